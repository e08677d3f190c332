/* station-safe-page-jobs.c: the safe page's work in a thread (one job at
 * a time, sharing the client) and what their results do to the page. Part
 * of station-safe-page.c; see station-safe-page-private.h. */

#include "station-safe-page-private.h"
#include "station-widgets.h"
#include "relais-document.h"
#include "relais-safe-client.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
job_free (Job *job)
{
  g_free (job->number);
  wipe_free (job->secret);
  wipe_free (job->secret2);
  g_free (job->category);
  g_free (job->name);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->root);
  g_free (job->state);
  g_clear_pointer (&job->docs, g_ptr_array_unref);
  g_clear_pointer (&job->journal, g_ptr_array_unref);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  StationSafePage  *self = source_object;
  RelaisSafeClient *client = self->client;
  Job              *job = task_data;
  GError           *error = NULL;
  gboolean          ok = FALSE;

  switch (job->kind)
    {
    case JOB_OPEN:
      job->state = relais_safe_client_hello (client, job->number, &job->remaining, &error);
      /* New: the page asks for the card's code; no PIN yet: for it. */
      if (job->state != NULL && (g_str_equal (job->state, "new") || job->secret == NULL))
        ok = TRUE;
      else if (job->state != NULL)
        ok = relais_safe_client_open (client, job->number, job->secret, &job->remaining, &error);
      break;
    case JOB_ACTIVATE:
      ok = relais_safe_client_activate (client, job->number, job->secret2, job->secret, &error);
      break;
    case JOB_LOAD:
      {
        g_autoptr(GPtrArray) items = relais_safe_client_list (client, &error);

        if (items == NULL)
          break;
        job->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) _station_safe_page_doc_free);
        for (guint i = 0; i < items->len; i++)
          {
            Doc *doc = g_new0 (Doc, 1);
            g_autoptr(GError) local = NULL;

            doc->item = g_steal_pointer (&items->pdata[i]);
            doc->plain = relais_safe_client_fetch (client, doc->item->id, NULL, &local);
            if (doc->plain != NULL)
              {
                g_autoptr(RelaisDocument) pdf = relais_document_new_from_bytes (doc->plain, &local);

                if (pdf != NULL)
                  doc->n_pages = relais_document_get_n_pages (pdf);
                if (pdf != NULL)
                  doc->thumb = relais_document_render_page (pdf, 0, THUMB_WIDTH, THUMB_HEIGHT, &local);
              }
            if (local != NULL)
              doc->error = g_strdup (local->message);
            g_ptr_array_add (job->docs, doc);
          }
        ok = TRUE;
      }
      break;
    case JOB_ADD:
      {
        g_autofree char *id = relais_safe_client_add (client, job->category, job->name, job->bytes,
                                                      &job->queued, &error);
        ok = id != NULL;
      }
      break;
    case JOB_DEPOSIT:
      {
        g_autofree char *id = relais_safe_client_deposit (client, job->number, job->category, job->name,
                                                          job->bytes, &job->queued, &error);
        ok = id != NULL;
      }
      break;
    case JOB_DELETE:
      ok = relais_safe_client_delete (client, job->name, &error);
      break;
    case JOB_PIN:
      ok = relais_safe_client_change_pin (client, job->secret, &error);
      break;
    case JOB_JOURNAL:
      job->journal = relais_safe_client_journal (client, &error);
      ok = job->journal != NULL;
      break;
    case JOB_USB:
      {
        g_autoptr(GFile) saved = relais_usb_save (job->root, job->name, job->bytes, cancellable, &error);

        ok = saved != NULL;
      }
      break;
    case JOB_FLUSH:
      ok = relais_safe_client_flush (client, &error) >= 0;
      break;
    case JOB_CLOSE:
      relais_safe_client_close (client);
      ok = TRUE;
      break;
    case JOB_CONSENT:
      job->until = relais_safe_client_consent (client, job->name, job->remaining, &job->n_documents, &error);
      ok = job->until > 0;
      break;
    default:
      g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void job_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

void
_station_safe_page_run_job (StationSafePage *self,
                            Job             *job)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done_cb, NULL);

  /* One job at a time: they share the client (and its session). */
  self->busy = TRUE;
  /* What the resident waits for moves on the screen; the background
   * sending of sealed scans and the closing do not. */
  if (job->kind != JOB_FLUSH && job->kind != JOB_CLOSE)
    {
      gtk_widget_show (self->progress);
      station_scan_progress_pulse (&self->progress_tick, self->progress);
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

Job *
_station_safe_page_job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

/* ---- job results ---- */

void
_station_safe_page_add_pending (StationSafePage *self)
{
  Job *job = _station_safe_page_job_new (JOB_ADD);

  job->category = g_strdup (self->pending_category);
  job->name = g_strdup (self->name_entry != NULL ? gtk_entry_get_text (GTK_ENTRY (self->name_entry)) : "");
  job->bytes = g_bytes_ref (self->pending);
  _station_safe_page_set_status (self, _ ("Je range le document dans votre coffre…"));
  _station_safe_page_run_job (self, job);
}

static void
deposit_pending (StationSafePage *self,
                 const char      *number)
{
  Job *job = _station_safe_page_job_new (JOB_DEPOSIT);

  job->number = g_strdup (number);
  job->category = g_strdup (self->pending_category);
  job->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  job->bytes = g_bytes_ref (self->pending);
  _station_safe_page_run_job (self, job);
}

static const char *
journal_phrase (const char *what)
{
  static const struct {
    const char *what;
    const char *phrase;
  } phrases[] = {
    { "create", N_ ("coffre créé") },
    { "activate", N_ ("premier code secret choisi") },
    { "open", N_ ("coffre ouvert") },
    { "wrong-pin", N_ ("code secret faux") },
    { "locked", N_ ("coffre bloqué") },
    { "unlock", N_ ("coffre débloqué") },
    { "unlock-refused", N_ ("déblocage refusé : il faut votre code de secours") },
    { "recovery-wrong", N_ ("code de secours faux") },
    { "add", N_ ("document ajouté") },
    { "deposit", N_ ("document déposé sans code") },
    { "view", N_ ("document ouvert") },
    { "delete", N_ ("document supprimé") },
    { "pin", N_ ("code secret changé") },
    { "consent", N_ ("accord donné à un médiateur") },
    { "mediator-open", N_ ("un médiateur a regardé la liste") },
    { "mediator-view", N_ ("un médiateur a ouvert un document") },
    { "announce", N_ ("suppression annoncée (coffre inutilisé)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (g_str_equal (phrases[i].what, what))
      return _ (phrases[i].phrase);
  return what;
}

static void
fill_journal (StationSafePage *self,
              GPtrArray       *journal)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->journal_box));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < journal->len && i < 40; i++)
    {
      RelaisSafeJournalLine *line = g_ptr_array_index (journal, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (line->at / 1000);
      g_autofree char *when = g_date_time_format (at, "%d/%m/%Y %H:%M");
      g_autofree char *by = line->mediator != NULL
                                ? g_strdup_printf (_ ("par %s"), line->mediator)
                                : g_strdup (g_str_equal (line->who, "resident") ? _ ("par vous") : "");
      const char      *what = line->what;
      const char      *detail = line->detail;
      g_autofree char *phrase = g_str_equal (what, "consent") && detail != NULL
                                    ? g_strdup_printf (_ ("accord donné à %s"), detail)
                                : g_str_equal (what, "unlock") && g_strcmp0 (detail, "recovery") == 0
                                    ? g_strdup (_ ("coffre débloqué avec le code de secours"))
                                : g_str_equal (what, "unlock") && g_strcmp0 (detail, "staff") == 0
                                    ? g_strdup (_ ("coffre débloqué (responsable)"))
                                    : g_strdup (journal_phrase (what));
      g_autofree char *text = NULL;
      GtkWidget       *label;

      /* A refused unlock names who tried in its own words: "par X" after
       * "refusé" would read as X refusing. */
      if (g_str_equal (what, "unlock-refused") && line->mediator != NULL)
        {
          g_free (phrase);
          phrase = g_strdup_printf (_ ("%s a voulu débloquer le coffre : refusé, il faut votre code de secours"),
                                    line->mediator);
          g_free (by);
          by = g_strdup ("");
        }
      text = g_strdup_printf ("%s   %s %s   %s", when, phrase, by, line->station);
      label = gtk_label_new (text);

      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->journal_box), label);
    }
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);
  Job             *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  station_scan_progress_stop (&self->progress_tick);
  gtk_widget_hide (self->progress);

  switch (job->kind)
    {
    case JOB_OPEN:
      gtk_entry_set_text (GTK_ENTRY (self->pin_entry), "");
      if (ok && g_str_equal (job->state, "new"))
        {
          _station_safe_page_set_status (self, _ ("Votre coffre est neuf. Tapez le code écrit sur votre carte, "
                                                  "puis choisissez votre code secret."));
          _station_safe_page_show_screen (self, "code");
        }
      else if (ok && job->secret == NULL && g_str_equal (job->state, "locked"))
        _station_safe_page_set_status (self, _ ("Ce coffre est bloqué : trop de codes faux. "
                                                "Un médiateur peut le débloquer à l'accueil."));
      else if (ok && job->secret == NULL)
        {
          g_autofree char *button = station_label_plain (_ ("_Ouvrir mon coffre"));
          g_autofree char *text = g_strdup_printf (_ ("Tapez votre code secret, puis touchez « %s »."), button);

          _station_safe_page_set_status (self, text);
          _station_safe_page_show_screen (self, "secret");
        }
      else if (ok)
        {
          _station_safe_page_set_status (self, _ ("Coffre ouvert."));
          if (self->pending != NULL)
            _station_safe_page_add_pending (self);
          else
            _station_safe_page_load_documents (self);
        }
      else if (g_error_matches (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE) && self->pending != NULL)
        {
          /* The hub is down: the scan is sealed for the safe and waits. */
          deposit_pending (self, job->number);
        }
      else if (g_error_matches (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
        _station_safe_page_set_status (self, _ ("Votre coffre-fort est injoignable pour le moment : vos documents sont à l'abri, "
                                                "mais on ne peut pas les ouvrir. Réessayez plus tard ou demandez à l'accueil."));
      else
        {
          _station_safe_page_set_status (self, error->message);
          /* A wrong secret code: typed again, in the same field. */
          if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "secret") == 0)
            gtk_widget_grab_focus (self->pin_entry);
        }
      break;
    case JOB_ACTIVATE:
      gtk_entry_set_text (GTK_ENTRY (self->code_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->new_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->new_pin2_entry), "");
      if (!ok)
        {
          _station_safe_page_set_status (self, error->message);
          break;
        }
      _station_safe_page_set_status (self, _ ("Votre code secret est choisi. Ne le dites à personne."));
      if (self->pending != NULL)
        _station_safe_page_add_pending (self);
      else
        _station_safe_page_load_documents (self);
      break;
    case JOB_LOAD:
      if (!ok)
        {
          _station_safe_page_set_status (self, error->message);
          break;
        }
      g_ptr_array_unref (self->docs);
      self->docs = g_steal_pointer (&job->docs);
      _station_safe_page_fill_list (self);
      _station_safe_page_show_screen (self, "list");
      _station_safe_page_set_status (self, self->docs->len == 0 ? _ ("Votre coffre est vide. Numérisez un papier pour l'y ranger.")
                                                                : _ ("Touchez un document, puis ce que vous voulez en faire."));
      break;
    case JOB_ADD:
    case JOB_DEPOSIT:
      if (!ok)
        {
          _station_safe_page_set_status (self, error->message);
          break;
        }
      g_clear_pointer (&self->pending, g_bytes_unref);
      if (job->queued)
        {
          _station_safe_page_set_status (self, _ ("Le réseau ne répond pas. Votre document est gardé chiffré sur ce poste "
                                                  "et ira dans votre coffre dès que le réseau reviendra."));
          _station_safe_page_show_screen (self, "login");
        }
      else if (relais_safe_client_is_open (self->client))
        {
          _station_safe_page_set_status (self, _ ("Le document est rangé dans votre coffre."));
          _station_safe_page_load_documents (self);
        }
      else
        {
          _station_safe_page_set_status (self, _ ("Le document est rangé dans votre coffre."));
          _station_safe_page_show_screen (self, "login");
        }
      break;
    case JOB_DELETE:
      _station_safe_page_set_status (self, ok ? _ ("Document supprimé.") : error->message);
      if (ok)
        _station_safe_page_load_documents (self);
      break;
    case JOB_PIN:
      gtk_entry_set_text (GTK_ENTRY (self->change_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->change_pin2_entry), "");
      _station_safe_page_set_status (self, ok ? _ ("Votre nouveau code secret est enregistré.") : error->message);
      if (ok)
        _station_safe_page_show_screen (self, "list");
      break;
    case JOB_JOURNAL:
      if (!ok)
        {
          _station_safe_page_set_status (self, error->message);
          break;
        }
      fill_journal (self, job->journal);
      _station_safe_page_set_status (self, _ ("Qui a ouvert votre coffre, et quand."));
      _station_safe_page_show_screen (self, "journal");
      break;
    case JOB_USB:
      _station_safe_page_set_status (self, ok ? _ ("Copié sur la clé USB.") : error->message);
      break;
    case JOB_FLUSH:
      if (!ok)
        g_debug ("safe outbox: %s", error->message);
      break;
    case JOB_CLOSE:
      break;
    case JOB_CONSENT:
      if (!ok)
        {
          _station_safe_page_set_status (self, error->message);
          break;
        }
      {
        g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (job->until / 1000);
        g_autofree char *hour = g_date_time_format (until, "%H:%M");
        g_autofree char *text = NULL;

        /* What was given is what is in the safe now: said so. */
        if (job->n_documents == 0)
          text = g_strdup_printf (_ ("Votre coffre est vide : %s ne verra aucun document. "
                                     "Ceux que vous ajouterez après ne sont pas montrés."),
                                  job->name);
        else
          text = g_strdup_printf (ngettext ("%s peut voir %u document jusqu'à %s. "
                                            "Pas ceux que vous ajouterez après. "
                                            "C'est noté dans « Qui a ouvert mon coffre ? ».",
                                            "%s peut voir vos %u documents jusqu'à %s. "
                                            "Pas ceux que vous ajouterez après. "
                                            "C'est noté dans « Qui a ouvert mon coffre ? ».",
                                            job->n_documents),
                                  job->name, job->n_documents, hour);

        gtk_entry_set_text (GTK_ENTRY (self->consent_entry), "");
        _station_safe_page_set_status (self, text);
        _station_safe_page_show_screen (self, "list");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
_station_safe_page_load_documents (StationSafePage *self)
{
  _station_safe_page_set_status (self, _ ("J'ouvre vos documents…"));
  _station_safe_page_run_job (self, _station_safe_page_job_new (JOB_LOAD));
}
