/* mediator-decision-print.c: the person's written decision, from the
 * hub's record to the printer. The PDF is made and sent on a thread
 * (cairo, then CUPS, both blocking). */

#include "mediator-decision-print.h"

#include <glib/gi18n.h>
#include <string.h>

static char *destination;

void
mediator_decision_print_set_destination (const char *name)
{
  g_free (destination);
  destination = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
}

gboolean
mediator_decision_doc_read (MediatorDecisionDoc       *doc,
                            const RelaisMailDecisions *decisions,
                            const char                *number,
                            const char                *surname,
                            const char                *first_names,
                            const char                *birth_date,
                            GError                   **error)
{
  const RelaisMailDecisionRecord *d = NULL;
  g_autoptr(GDateTime) when = NULL;

  g_return_val_if_fail (doc != NULL && decisions != NULL, FALSE);

  memset (doc, 0, sizeof *doc);
  /* Newest first: the first written one. An application or an
   * adjournment after it means the last decision is not yet written. */
  for (guint i = 0; i < decisions->decisions->len && d == NULL; i++)
    {
      const RelaisMailDecisionRecord *o = g_ptr_array_index (decisions->decisions, i);

      if (g_str_equal (o->decision, "granted") || g_str_equal (o->decision, "refused")
          || g_str_equal (o->decision, "radiated"))
        d = o;
      else
        break;
    }
  if (d == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _ ("Aucune décision écrite à imprimer : la dernière décision n’est ni un accord, ni un refus, "
                              "ni une radiation."));
      return FALSE;
    }
  doc->kind = g_str_equal (d->decision, "granted")   ? RELAIS_DECISION_LETTER_ATTESTATION
              : g_str_equal (d->decision, "refused") ? RELAIS_DECISION_LETTER_REFUSAL
                                                     : RELAIS_DECISION_LETTER_RADIATION;
  when = g_date_time_new_from_unix_local (d->decided_at / 1000);
  if (when != NULL)
    {
      g_autofree char *day = g_date_time_format (when, "%Y-%m-%d");

      g_strlcpy (doc->decided_on, day, sizeof doc->decided_on);
    }
  doc->letter = (RelaisDecisionLetter) {
    .body_name = decisions->body_name,
    .body_address = decisions->body_address,
    .body_approval = decisions->approval,
    .town = decisions->town,
    .tribunal = decisions->tribunal,
    .surname = surname,
    .first_names = first_names,
    .birth_date = birth_date,
    .number = number,
    .decided_on = doc->decided_on[0] != '\0' ? doc->decided_on : NULL,
    .decided_by = d->decided_by,
    .election = d->election,
    .applied_on = d->applied_on,
    .active_from = d->active_from,
    .active_to = d->active_to,
    .motive = d->motive,
    .motive_text = d->motive_text,
    .orientation = d->orientation,
    .orientation_text = d->orientation_text,
  };
  /* A refusal's application day: the hub keeps it on grants only; the
   * decision's day stands for it. */
  if (doc->letter.applied_on == NULL)
    doc->letter.applied_on = doc->letter.decided_on;
  return TRUE;
}

const char *
mediator_decision_doc_name (const MediatorDecisionDoc *doc)
{
  switch (doc->kind)
    {
    case RELAIS_DECISION_LETTER_ATTESTATION: return _ ("l’attestation d’élection de domicile");
    case RELAIS_DECISION_LETTER_REFUSAL: return _ ("la lettre de refus");
    case RELAIS_DECISION_LETTER_RADIATION: return _ ("la lettre de radiation");
    default: return "";
    }
}

int
mediator_decision_doc_print (const MediatorDecisionDoc *doc,
                             RelaisPrinter             *printer,
                             GError                   **error)
{
  g_autoptr(GBytes) pdf = relais_decision_letter_render (doc->kind, &doc->letter, error);
  g_autofree char   *title = NULL;
  RelaisPrintOptions options = { 1, FALSE, FALSE, "" };

  if (pdf == NULL)
    return 0;
  /* The job's name shows in the queue: the number, never the name. */
  title = g_strdup_printf ("Décision n° %s", doc->letter.number != NULL ? doc->letter.number : "?");
  return relais_printer_print_bytes (printer, pdf, "application/pdf", title, &options, error);
}

/* ---- the button ---- */

struct _MediatorDecisionPrint {
  GtkBox        parent_instance;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  char         *number;
  char         *surname;
  char         *first_names;
  char         *birth_date;
  /* Borrowed */
  GtkWidget    *button;
  GtkWidget    *message;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (MediatorDecisionPrint, mediator_decision_print, GTK_TYPE_BOX)

typedef struct {
  RelaisMailDecisions *decisions; /* owned: the doc points into it */
  char                *number;
  char                *surname;
  char                *first_names;
  char                *birth_date;
  MediatorDecisionDoc  doc;
} Job;

static void
job_free (Job *job)
{
  relais_mail_decisions_free (job->decisions);
  g_free (job->number);
  g_free (job->surname);
  g_free (job->first_names);
  g_free (job->birth_date);
  g_free (job);
}

static void
set_message (MediatorDecisionPrint *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text);
}

static void
finish (MediatorDecisionPrint *self, const char *text)
{
  self->busy = FALSE;
  gtk_widget_set_sensitive (self->button, self->number != NULL);
  set_message (self, text);
}

static void
print_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = relais_printer_cups_new (destination, &error);
  int id = printer != NULL ? mediator_decision_doc_print (&job->doc, printer, &error) : 0;

  if (id <= 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, id);
}

static void
print_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MediatorDecisionPrint) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (g_task_propagate_int (G_TASK (result), &error) <= 0)
    text = g_strdup_printf (_ ("Impression impossible : %s"), error->message);
  else if (job->doc.kind == RELAIS_DECISION_LETTER_ATTESTATION)
    text = g_strdup (_ ("✓ L’attestation d’élection de domicile est partie à l’imprimante : à signer, puis à remettre "
                        "à la personne."));
  else if (job->doc.kind == RELAIS_DECISION_LETTER_REFUSAL)
    text = g_strdup (_ ("✓ La lettre de refus est partie à l’imprimante : à signer, puis à remettre ou envoyer à la "
                        "personne."));
  else
    text = g_strdup (_ ("✓ La lettre de radiation est partie à l’imprimante : à signer, puis à remettre ou envoyer à "
                        "la personne."));
  finish (self, text);
}

static void
decisions_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MediatorDecisionPrint) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;
  if (reply == NULL)
    {
      finish (self, error->message);
      return;
    }
  job = g_new0 (Job, 1);
  job->decisions = relais_mail_decisions_from_reply (reply, &error);
  job->number = g_strdup (self->number);
  job->surname = g_strdup (self->surname);
  job->first_names = g_strdup (self->first_names);
  job->birth_date = g_strdup (self->birth_date);
  if (job->decisions == NULL
      || !mediator_decision_doc_read (&job->doc, job->decisions, job->number, job->surname, job->first_names,
                                      job->birth_date, &error))
    {
      job_free (job);
      finish (self, error->message);
      return;
    }
  set_message (self, _ ("Impression…"));
  task = g_task_new (NULL, self->cancellable, print_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, print_thread);
}

void
mediator_decision_print_run (MediatorDecisionPrint *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (MEDIATOR_IS_DECISION_PRINT (self));
  if (self->number == NULL || self->busy)
    return;
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->button, FALSE);
  set_message (self, _ ("Lecture de la décision…"));
  escaped = g_uri_escape_string (self->number, NULL, FALSE);
  path = g_strdup_printf ("/mail/people/%s/decisions", escaped);
  relais_link_request_async (self->link, path, NULL, self->cancellable, decisions_cb, g_object_ref (self));
}

void
mediator_decision_print_set_person (MediatorDecisionPrint *self,
                                    const char            *number,
                                    const char            *surname,
                                    const char            *first_names,
                                    const char            *birth_date)
{
  g_return_if_fail (MEDIATOR_IS_DECISION_PRINT (self));
  g_free (self->number);
  g_free (self->surname);
  g_free (self->first_names);
  g_free (self->birth_date);
  self->number = g_strdup (number);
  self->surname = g_strdup (surname);
  self->first_names = g_strdup (first_names);
  self->birth_date = g_strdup (birth_date);
  if (!self->busy)
    {
      gtk_widget_set_sensitive (self->button, number != NULL);
      set_message (self, "");
    }
}

gboolean
mediator_decision_print_is_busy (MediatorDecisionPrint *self)
{
  g_return_val_if_fail (MEDIATOR_IS_DECISION_PRINT (self), FALSE);
  return self->busy;
}

const char *
mediator_decision_print_get_message (MediatorDecisionPrint *self)
{
  g_return_val_if_fail (MEDIATOR_IS_DECISION_PRINT (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static void
mediator_decision_print_dispose (GObject *object)
{
  MediatorDecisionPrint *self = MEDIATOR_DECISION_PRINT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->surname, g_free);
  g_clear_pointer (&self->first_names, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  G_OBJECT_CLASS (mediator_decision_print_parent_class)->dispose (object);
}

static void
mediator_decision_print_class_init (MediatorDecisionPrintClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_decision_print_dispose;
}

static void
mediator_decision_print_init (MediatorDecisionPrint *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 8);
  self->message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_box_pack_start (GTK_BOX (self), self->message, TRUE, TRUE, 0);
  self->button = gtk_button_new_with_mnemonic (_ ("Imprimer la décision é_crite"));
  atk_object_set_name (gtk_widget_get_accessible (self->button), _ ("Imprimer la décision écrite"));
  gtk_widget_set_tooltip_text (self->button, _ ("L’attestation d’élection de domicile, la lettre de refus ou de "
                                                "radiation de la dernière décision, à signer"));
  gtk_widget_set_sensitive (self->button, FALSE);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (mediator_decision_print_run), self);
  gtk_box_pack_end (GTK_BOX (self), self->button, FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (self));
}

GtkWidget *
mediator_decision_print_new (RelaisLink *link)
{
  MediatorDecisionPrint *self;

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);
  self = g_object_new (MEDIATOR_TYPE_DECISION_PRINT, NULL);
  self->link = g_object_ref (link);
  return GTK_WIDGET (self);
}
