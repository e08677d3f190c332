/* mediator-mail-people.c: the Courrier view's "Personnes" tab: create or
 * edit a domiciled person, record the domiciliation decision, add a
 * proxy, and see who has not come for nearly three months. Every check is
 * the hub's: its French message is shown as is, and the form keeps what
 * was typed. */

#include "mediator-mail-people.h"
#include "mediator-mail-contacts.h"
#include "mediator-dates.h"
#include "mediator-mail-docs.h"
#include "mediator-mail-elsewhere.h"
#include "mediator-decision-print.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

struct _MediatorMailPeople {
  GtkBox        parent_instance;

  /* Template widgets */
  GtkWidget    *message;
  GtkWidget    *record_label;
  GtkWidget    *proxies_label;
  GtkWidget    *unseen_list;
  GtkWidget    *decide_button;
  GtkWidget    *decide_hint;
  gboolean      responsable;  /* the logged-in account may grant, refuse, radiate */
  guint         n_to_radiate; /* people not seen for more than three months */
  GtkWidget    *documents_frame;
  /* Made in init, under the record's header: MediatorMailContacts */
  GtkWidget    *contacts;
  GHashTable   *fields; /* API name → GtkEntry or GtkComboBoxText (borrowed) */

  /* Added once the link is known (borrowed: the frame owns it) */
  GtkWidget    *documents;      /* MediatorMailDocs */
  GtkWidget    *decision_print; /* MediatorDecisionPrint, under the decision */
  GtkWidget    *elsewhere;      /* MediatorMailElsewhere, under the birth date */

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  char         *record_number; /* the person the hub last gave back, or NULL */
  char         *save_error;    /* why the last save failed, or NULL */
  gboolean      saving;        /* a save is under way: a second click waits */
  guint         n_unseen;
  guint         busy;
};

G_DEFINE_FINAL_TYPE (MediatorMailPeople, mediator_mail_people, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define RECORD_HINT N_ ("Tapez un numéro et Entrée pour ouvrir une fiche, ou remplissez-la pour une nouvelle personne.")

static const char * const person_fields[] = {
  "number", "surname", "first_names", "birth_date", "phone", "email", "notify", "card_id",
  "language", "last_met_by", "last_met_phone", "sex", "household", NULL
};

/* The fields where a person types a date: JJ/MM/AAAA on screen, as
 * everywhere a person types one; the hub's AAAA-MM-JJ on the wire. */
static const char * const date_fields[] = {
  "birth_date", "active_from", "active_to", "authorised_on", "ends_on", "forward_from", NULL
};

/* Red for a refusal, plain for what went well: success in red reads as a
 * failure. */
static void
show_message (MediatorMailPeople *self, const char *text, gboolean failed)
{
  GtkStyleContext *style = gtk_widget_get_style_context (self->message);

  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  if (failed)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

static void
set_message (MediatorMailPeople *self, const char *text)
{
  show_message (self, text, TRUE);
}

static void
set_success (MediatorMailPeople *self, const char *text)
{
  show_message (self, text, FALSE);
}

gboolean
mediator_mail_people_message_is_error (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), FALSE);
  return gtk_style_context_has_class (gtk_widget_get_style_context (self->message), "error");
}

const char *
mediator_mail_people_get_field (MediatorMailPeople *self,
                                const char         *field)
{
  GtkWidget *w;

  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  w = g_hash_table_lookup (self->fields, field);
  g_return_val_if_fail (w != NULL, NULL);
  if (GTK_IS_COMBO_BOX (w))
    return gtk_combo_box_get_active_id (GTK_COMBO_BOX (w));
  return gtk_entry_get_text (GTK_ENTRY (w));
}

GtkWidget *
mediator_mail_people_get_field_widget (MediatorMailPeople *self,
                                       const char         *field)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  return g_hash_table_lookup (self->fields, field);
}

void
mediator_mail_people_set_field (MediatorMailPeople *self,
                                const char         *field,
                                const char         *value)
{
  GtkWidget *w;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  w = g_hash_table_lookup (self->fields, field);
  g_return_if_fail (w != NULL);
  if (GTK_IS_COMBO_BOX (w))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), value);
  else
    gtk_entry_set_text (GTK_ENTRY (w), value != NULL ? value : "");
}

/* A field as the hub gives it: dates shown JJ/MM/AAAA. */
static void
show_field (MediatorMailPeople *self,
            const char         *field,
            const char         *value)
{
  g_autofree char *typed = g_strv_contains (date_fields, field) ? mediator_date_fr (value, "") : NULL;

  mediator_mail_people_set_field (self, field, typed != NULL ? typed : value);
}

/* ---- calls ---- */

typedef void (*Done) (MediatorMailPeople *self, JsonObject *reply, GError *error);

typedef struct {
  MediatorMailPeople *self; /* owned ref */
  Done                done;
} CallData;

static void
call_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CallData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);

  data->self->busy--;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    data->done (data->self, reply, error);
  g_object_unref (data->self);
  g_free (data);
}

static void
call (MediatorMailPeople *self, const char *path, JsonNode *body, Done done)
{
  CallData *data = g_new0 (CallData, 1);

  data->self = g_object_ref (self);
  data->done = done;
  self->busy++;
  relais_link_request_async (self->link, path, body, self->cancellable, call_cb, data);
}

/* A body from fields: empty ones are left out, so the hub says what is
 * missing rather than what is empty. A date that is none is said here,
 * and NULL returned: nothing is sent. */
static JsonNode *
body_of (MediatorMailPeople *self, const char * const *fields, const char * const *names)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char      *value = mediator_mail_people_get_field (self, fields[i]);
      g_autofree char *trimmed = g_strstrip (g_strdup (value != NULL ? value : ""));

      if (*trimmed == '\0' && !g_str_equal (fields[i], "surname") && !g_str_equal (fields[i], "first_names"))
        continue;
      if (g_strv_contains (date_fields, fields[i]))
        {
          g_autofree char *iso = mediator_date_to_iso (trimmed);

          if (iso == NULL)
            {
              g_autofree char *text = g_strdup_printf (_ ("Date invalide : « %s ». Tapez-la en JJ/MM/AAAA, par exemple 02/04/1980."),
                                                       trimmed);
              set_message (self, text);
              return NULL;
            }
          g_free (trimmed);
          trimmed = g_steal_pointer (&iso);
        }
      json_builder_set_member_name (b, names != NULL ? names[i] : fields[i]);
      json_builder_add_string_value (b, trimmed);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
number_path (MediatorMailPeople *self, const char *tail)
{
  g_autofree char *number = g_strstrip (g_strdup (mediator_mail_people_get_field (self, "number")));
  g_autofree char *escaped = g_uri_escape_string (number, NULL, FALSE);

  if (*number == '\0')
    return NULL;
  return g_strdup_printf ("/mail/people/%s%s", escaped, tail);
}

/* ---- the record ---- */

/* A domiciliation's state, as the desk says it. */
const char *
mediator_mail_state_label (const char *state)
{
  static const struct {
    const char *id;
    const char *label;
  } states[] = {
    { "none", N_ ("pas de demande") },
    { "applied", N_ ("demande en cours") },
    { "granted", N_ ("domiciliation accordée") },
    { "refused", N_ ("refusée") },
    { "adjourned", N_ ("ajournée : document manquant") },
    { "expired", N_ ("expirée") },
    { "radiated", N_ ("radiée") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_strcmp0 (state, states[i].id) == 0)
      return _ (states[i].label);
  return state != NULL ? state : "";
}

/* Shows the record the hub gave back, and returns it; NULL, with the
 * reason shown, when there is none. */
static RelaisMailRecord *
show_record (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  g_autoptr(RelaisMailRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  const RelaisMailPerson *p;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *to = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *header = NULL;

  if (reply != NULL)
    record = relais_mail_record_from_reply (reply, &local_error);
  if (record == NULL)
    {
      /* What was typed stays in the form, to correct and send again. */
      set_message (self, error != NULL ? error->message : local_error->message);
      return NULL;
    }
  p = record->person;
  {
    /* In person_fields' order. */
    const char *values[] = {
      p->number,
      p->surname,
      p->first_names,
      p->birth_date,
      p->phone,
      p->email,
      p->notify,
      p->card_id,
      p->language,
      p->last_met_by,
      p->last_met_phone,
      p->sex,
      p->household,
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (person_fields) - 1);
    for (guint i = 0; person_fields[i] != NULL; i++)
      show_field (self, person_fields[i], values[i]);
  }
  g_free (self->record_number);
  self->record_number = g_strdup (p->number);
  /* A file that exists: the question was for a new one. */
  mediator_mail_elsewhere_clear (MEDIATOR_MAIL_ELSEWHERE (self->elsewhere));
  if (self->decision_print != NULL)
    mediator_decision_print_set_person (MEDIATOR_DECISION_PRINT (self->decision_print), p->number, p->surname,
                                        p->first_names, p->birth_date);
  to = mediator_date_fr (p->active_to, "—");
  contact = mediator_date_fr (p->last_contact, "—");
  header = g_markup_printf_escaped (ngettext ("<b>%s %s</b>, n° %s — %s (fin : %s) — dernier contact le %s — %d courrier en attente",
                                              "<b>%s %s</b>, n° %s — %s (fin : %s) — dernier contact le %s — %d courriers en attente",
                                              (gulong) p->waiting),
                                    p->surname, p->first_names, p->number,
                                    mediator_mail_state_label (p->state), to, contact, (int) p->waiting);
  gtk_label_set_markup (GTK_LABEL (self->record_label), header);
  mediator_mail_contacts_show (MEDIATOR_MAIL_CONTACTS (self->contacts), p);
  for (guint i = 0; i < record->proxies->len; i++)
    {
      const RelaisMailProxy *x = g_ptr_array_index (record->proxies, i);
      g_autofree char       *on = mediator_date_fr (x->authorised_on, "—");
      g_autofree char       *ends = mediator_date_fr (x->ends_on, "—");

      g_string_append_printf (lines, x->valid ? _ ("Mandataire : %s — procuration du %s, pièces : %s — valable jusqu'au %s\n") : _ ("Mandataire : %s — procuration du %s, pièces : %s — PLUS VALABLE (fin le %s)\n"),
                              x->name, on, x->id_copies, ends);
    }
  gtk_label_set_text (GTK_LABEL (self->proxies_label), lines->len > 0 ? lines->str : _ ("Aucun mandataire."));
  mediator_mail_docs_set_person (MEDIATOR_MAIL_DOCS (self->documents), p->number);
  return g_steal_pointer (&record);
}

static void
record_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  relais_mail_record_free (show_record (self, reply, error));
}

static char *
record_name (const RelaisMailRecord *record)
{
  const RelaisMailPerson *p = record->person;
  g_autofree char        *surname = g_utf8_strup (p->surname != NULL ? p->surname : "", -1);

  return g_strdup_printf ("%s %s", p->first_names != NULL ? p->first_names : "", surname);
}

/* Each button says what it did, in its own words. */
static void
person_saved_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  g_autoptr(RelaisMailRecord) record = NULL;

  self->saving = FALSE;
  record = show_record (self, reply, error);
  g_clear_pointer (&self->save_error, g_free);
  if (record != NULL)
    {
      g_autofree char *name = record_name (record);
      g_autofree char *text = g_strdup_printf (_ ("✓ Fiche de %s enregistrée, n° %s."), name, record->person->number);

      set_success (self, text);
    }
  else if (error != NULL)
    self->save_error = g_strdup (error->message);
  mediator_mail_people_refresh (self);
}

static const char *
notified_by (const RelaisMailPerson *p)
{
  if (g_strcmp0 (p->notify, "email") == 0)
    return _ ("La personne est prévenue par e-mail.");
  if (g_strcmp0 (p->notify, "none") == 0)
    return _ ("La personne n'est pas prévenue (aucun message choisi).");
  return _ ("La personne est prévenue par SMS.");
}

static void
decision_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  g_autoptr(RelaisMailRecord) record = show_record (self, reply, error);

  if (record != NULL)
    {
      const RelaisMailPerson *p = record->person;
      g_autofree char        *name = record_name (record);
      /* An application received sends nothing; a decision does. */
      g_autofree char        *text = g_strdup_printf (_ ("✓ Décision enregistrée pour %s : %s. %s"), name,
                                                      mediator_mail_state_label (p->state),
                                               g_strcmp0 (p->state, "applied") == 0 ? "" : notified_by (p));

      set_success (self, text);
    }
  mediator_mail_people_refresh (self);
}

static void
proxy_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  g_autofree char *proxy = g_strdup (mediator_mail_people_get_field (self, "proxy_name"));
  g_autoptr(RelaisMailRecord) record = show_record (self, reply, error);

  if (record != NULL)
    {
      g_autofree char *name = record_name (record);
      g_autofree char *text = g_strdup_printf (_ ("✓ Mandataire de %s ajouté : %s."), name, proxy);

      set_success (self, text);
    }
  mediator_mail_people_refresh (self);
}

/* The decision and the proxy belong to a person the hub has: not to a
 * form whose save failed (the hub would answer « Personne inconnue »,
 * and the reason of the failure would be lost). */
static gboolean
check_saved (MediatorMailPeople *self)
{
  g_autofree char *number = g_strstrip (g_strdup (mediator_mail_people_get_field (self, "number")));

  if (*number != '\0' && g_strcmp0 (number, self->record_number) == 0)
    return TRUE;
  if (self->save_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("La fiche n'est pas enregistrée : %s Corrigez-la, puis « Enregistrer la personne »."),
                                               self->save_error);
      set_message (self, text);
    }
  else
    set_message (self, _ ("Enregistrez d'abord la personne, ou ouvrez sa fiche (son numéro, puis Entrée)."));
  return FALSE;
}

void
mediator_mail_people_open (MediatorMailPeople *self,
                           const char         *number)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self) && number != NULL);
  escaped = g_uri_escape_string (number, NULL, FALSE);
  path = g_strdup_printf ("/mail/people/%s", escaped);
  set_message (self, NULL);
  call (self, path, NULL, record_done);
}

void
mediator_mail_people_save (MediatorMailPeople *self)
{
  JsonNode *body;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  /* A new person has no number until the hub answers: a second click
   * meanwhile would create them twice, under two numbers. */
  if (self->saving)
    return;
  body = body_of (self, person_fields, NULL);
  if (body != NULL)
    {
      self->saving = TRUE;
      call (self, "/mail/people", body, person_saved_done);
    }
}

void
mediator_mail_people_decide (MediatorMailPeople *self)
{
  /* Each decision sends its own fields: the hub refuses what belongs to
   * another (a missing document left typed in the form, with a grant). */
  static const char * const application_fields[] = { "decision", "reason", NULL };
  static const char * const grant_fields[] = { "decision", "active_from", "active_to", NULL };
  static const char * const adjourn_fields[] = { "decision", "missing", NULL };
  static const char * const refusal_fields[] = { "decision", "motive", "motive_text", "orientation", "orientation_text", NULL };
  static const char * const radiation_fields[] = { "decision", "motive", "motive_text", NULL };
  static const char * const other_fields[] = { "decision", NULL };
  g_autofree char          *path = number_path (self, "/decision");
  const char               *decision = mediator_mail_people_get_field (self, "decision");
  const char * const       *fields = other_fields;
  JsonNode                 *body;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (!check_saved (self) || path == NULL)
    return;
  if (g_strcmp0 (decision, "applied") == 0)
    fields = application_fields;
  else if (g_strcmp0 (decision, "granted") == 0)
    fields = grant_fields;
  else if (g_strcmp0 (decision, "adjourned") == 0)
    fields = adjourn_fields;
  else if (g_strcmp0 (decision, "refused") == 0)
    fields = refusal_fields;
  else if (g_strcmp0 (decision, "radiated") == 0)
    fields = radiation_fields;
  body = body_of (self, fields, NULL);
  if (body != NULL)
    call (self, path, body, decision_done);
}

void
mediator_mail_people_add_proxy (MediatorMailPeople *self)
{
  static const char * const fields[] = { "proxy_name", "authorised_on", "id_copies", "ends_on", NULL };
  static const char * const names[] = { "name", "authorised_on", "id_copies", "ends_on", NULL };
  g_autofree char          *path = number_path (self, "/proxies");
  JsonNode                 *body;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (!check_saved (self) || path == NULL)
    return;
  body = body_of (self, fields, names);
  if (body != NULL)
    call (self, path, body, proxy_done);
}

/* ---- contacts, NPAI, forwarding ---- */

/* The hub answers {"person": …}: the whole record is opened again. */
static void
contact_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  set_success (self, _ ("Fiche mise à jour."));
  if (self->record_number != NULL)
    mediator_mail_people_open (self, self->record_number);
}

void
mediator_mail_people_record_contact (MediatorMailPeople *self,
                                     const char         *kind)
{
  g_autofree char *path = number_path (self, "/contact");
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (!check_saved (self) || path == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_end_object (b);
  call (self, path, json_builder_get_root (b), contact_done);
}

void
mediator_mail_people_set_npai (MediatorMailPeople *self,
                               gboolean            npai)
{
  g_autofree char *path = number_path (self, "/npai");
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (!check_saved (self) || path == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "npai");
  json_builder_add_boolean_value (b, npai);
  json_builder_end_object (b);
  call (self, path, json_builder_get_root (b), contact_done);
}

void
mediator_mail_people_forward (MediatorMailPeople *self)
{
  static const char * const fields[] = { "forward_address", "forward_from", NULL };
  static const char * const names[] = { "address", "from", NULL };
  g_autofree char          *path = number_path (self, "/forward");
  JsonNode                 *body;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (!check_saved (self) || path == NULL)
    return;
  body = body_of (self, fields, names);
  if (body != NULL)
    call (self, path, body, contact_done);
}

static void
contact_cb (MediatorMailPeople *self,
            const char         *kind)
{
  mediator_mail_people_record_contact (self, kind);
}

/* Under the record's header: who came or called, NPAI, forwarding. Its
 * fields join self->fields by name. */
static void
build_contacts (MediatorMailPeople *self)
{
  GtkWidget *parent = gtk_widget_get_parent (self->record_label);

  self->contacts = mediator_mail_contacts_new ();
  g_signal_connect_swapped (self->contacts, "contact", G_CALLBACK (contact_cb), self);
  g_signal_connect_swapped (self->contacts, "npai", G_CALLBACK (mediator_mail_people_set_npai), self);
  g_signal_connect_swapped (self->contacts, "forward", G_CALLBACK (mediator_mail_people_forward), self);
  for (guint i = 0; i < 2; i++)
    {
      const char *field = i == 0 ? "forward_address" : "forward_from";

      g_hash_table_insert (self->fields, (gpointer) field,
                           mediator_mail_contacts_get_entry (MEDIATOR_MAIL_CONTACTS (self->contacts), field));
    }
  gtk_box_pack_start (GTK_BOX (parent), self->contacts, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (parent), self->contacts, 1);
}

/* ---- the form ---- */

/* The decision's button says how this person will hear of it. */
static void
update_decide_label (MediatorMailPeople *self)
{
  const char *notify = mediator_mail_people_get_field (self, "notify");
  const char *label = g_strcmp0 (notify, "email") == 0  ? _ ("Enregistrer la _décision (la personne reçoit un e-mail)")
                      : g_strcmp0 (notify, "none") == 0 ? _ ("Enregistrer la _décision (la personne n'est pas prévenue)")
                                                        : _ ("Enregistrer la _décision (la personne reçoit un SMS)");

  gtk_button_set_label (GTK_BUTTON (self->decide_button), label);
}

/* Granting, refusing and radiating are a responsable's: for anyone else
 * the button is off and a sentence says why (the hub refuses anyway). */
static void
update_decide_state (MediatorMailPeople *self)
{
  static const char * const reserved[] = { "granted", "refused", "radiated", NULL };
  const char               *decision = mediator_mail_people_get_field (self, "decision");
  gboolean                  allowed = self->responsable || decision == NULL || !g_strv_contains (reserved, decision);

  gtk_widget_set_sensitive (self->decide_button, allowed);
  gtk_widget_set_visible (self->decide_hint, !allowed);
}

void
mediator_mail_people_set_responsable (MediatorMailPeople *self,
                                      gboolean            responsable)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  self->responsable = responsable;
  update_decide_state (self);
}

gboolean
mediator_mail_people_may_decide (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), FALSE);
  return gtk_widget_get_sensitive (self->decide_button);
}

const char *
mediator_mail_people_get_decide_label (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  return gtk_button_get_label (GTK_BUTTON (self->decide_button));
}

/* The wheel scrolls the form; over a choice it must not change it behind
 * the agent's back (« Prévenir par » went from SMS to e-mail). */
static gboolean
combo_scroll_cb (GtkWidget      *combo,
                 GdkEventScroll *event,
                 gpointer        data)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (combo, GTK_TYPE_SCROLLED_WINDOW);

  if (scroller != NULL)
    gtk_widget_event (scroller, (GdkEvent *) event);
  return GDK_EVENT_STOP;
}

/* ---- people not seen ---- */

static void
open_clicked_cb (GtkButton *button, MediatorMailPeople *self)
{
  mediator_mail_people_open (self, g_object_get_data (G_OBJECT (button), "number"));
}

/* Past three months without contact the law allows ending the
 * domiciliation, by a written decision: the console proposes it, with
 * the decision's fields filled, and a responsable decides. */
static gboolean
past_three_months (const char *last_contact)
{
  int   y, m, d;
  GDate date, today;

  if (last_contact == NULL || sscanf (last_contact, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_months (&date, 3);
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  return g_date_compare (&date, &today) < 0;
}

static void
propose_radiation_cb (GtkButton *button, MediatorMailPeople *self)
{
  mediator_mail_people_open (self, g_object_get_data (G_OBJECT (button), "number"));
  mediator_mail_people_set_field (self, "decision", "radiated");
  mediator_mail_people_set_field (self, "motive", "no-contact");
  mediator_mail_people_set_field (self, "motive_text", "");
}

static void
unseen_done (MediatorMailPeople *self, JsonObject *reply, GError *error)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->unseen_list));
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) local_error = NULL;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  self->n_unseen = 0;
  self->n_to_radiate = 0;
  if (reply != NULL)
    people = relais_mail_people_from_reply (reply, "people", &local_error);
  if (people == NULL)
    {
      set_message (self, error != NULL ? error->message : local_error->message);
      return;
    }
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);
      g_autofree char        *contact = mediator_date_fr (p->last_contact, "—");
      g_autofree char        *to = mediator_date_fr (p->active_to, "—");
      g_autofree char        *text = g_strdup_printf (_ ("%s %s, n° %s — dernier contact le %s — domiciliation jusqu'au %s — tél. %s"),
                                                      p->surname, p->first_names, p->number,
                                                      contact, to, p->phone != NULL ? p->phone : "—");
      GtkWidget              *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget              *label = gtk_label_new (text);
      GtkWidget              *button = gtk_button_new_with_label (_ ("Ouvrir"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set_data_full (G_OBJECT (button), "number", g_strdup (p->number), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (line), label, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (line), button, FALSE, FALSE, 0);
      if (past_three_months (p->last_contact))
        {
          GtkWidget *radiate = gtk_button_new_with_label (_ ("Plus de 3 mois : proposer la radiation"));

          g_object_set_data_full (G_OBJECT (radiate), "number", g_strdup (p->number), g_free);
          g_signal_connect (radiate, "clicked", G_CALLBACK (propose_radiation_cb), self);
          gtk_box_pack_start (GTK_BOX (line), radiate, FALSE, FALSE, 0);
          self->n_to_radiate++;
        }
      gtk_container_add (GTK_CONTAINER (self->unseen_list), line);
      self->n_unseen++;
    }
  if (self->n_unseen == 0)
    gtk_container_add (GTK_CONTAINER (self->unseen_list), gtk_label_new (_ ("Personne : tout le monde est passé récemment.")));
  gtk_widget_show_all (self->unseen_list);
}

void
mediator_mail_people_refresh (MediatorMailPeople *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));
  if (relais_link_has_session (self->link))
    call (self, "/mail/no-contact", NULL, unseen_done);
}

void
mediator_mail_people_reset (MediatorMailPeople *self)
{
  GHashTableIter iter;
  gpointer       key, value;

  g_return_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self));

  /* The next account says its roles when it logs in. */
  self->responsable = FALSE;
  /* Replies to the last mediator's calls would fill the form again. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GTK_IS_COMBO_BOX (value))
      gtk_combo_box_set_active (GTK_COMBO_BOX (value), 0);
    else
      gtk_entry_set_text (GTK_ENTRY (value), "");
  mediator_mail_people_set_field (self, "language", "fr");
  gtk_label_set_text (GTK_LABEL (self->record_label), _ (RECORD_HINT));
  gtk_label_set_text (GTK_LABEL (self->proxies_label), "");
  mediator_mail_contacts_clear (MEDIATOR_MAIL_CONTACTS (self->contacts));
  {
    g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->unseen_list));

    for (GList *l = children; l != NULL; l = l->next)
      gtk_widget_destroy (l->data);
  }
  self->n_unseen = 0;
  self->saving = FALSE;
  g_clear_pointer (&self->record_number, g_free);
  if (self->decision_print != NULL)
    mediator_decision_print_set_person (MEDIATOR_DECISION_PRINT (self->decision_print), NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->save_error, g_free);
  mediator_mail_docs_set_person (MEDIATOR_MAIL_DOCS (self->documents), NULL);
  mediator_mail_elsewhere_clear (MEDIATOR_MAIL_ELSEWHERE (self->elsewhere));
  set_message (self, NULL);
}

guint
mediator_mail_people_get_n_to_radiate (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), 0);
  return self->n_to_radiate;
}

guint
mediator_mail_people_get_n_unseen (MediatorMailPeople *self)
{
  return self->n_unseen;
}

const char *
mediator_mail_people_get_message (MediatorMailPeople *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

GtkWidget *
mediator_mail_people_get_documents (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  return self->documents;
}

const char *
mediator_mail_people_get_contacts (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  return mediator_mail_contacts_get_text (MEDIATOR_MAIL_CONTACTS (self->contacts));
}

gboolean
mediator_mail_people_is_busy (MediatorMailPeople *self)
{
  return self->busy > 0;
}

/* ---- construction ---- */

static void
mediator_mail_people_open_cb_helper (MediatorMailPeople *self)
{
  g_autofree char *number = g_strstrip (g_strdup (mediator_mail_people_get_field (self, "number")));

  if (*number != '\0')
    mediator_mail_people_open (self, number);
}

static void
mediator_mail_people_dispose (GObject *object)
{
  MediatorMailPeople *self = MEDIATOR_MAIL_PEOPLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->link);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  G_OBJECT_CLASS (mediator_mail_people_parent_class)->dispose (object);
}

static void
mediator_mail_people_finalize (GObject *object)
{
  g_clear_object (&MEDIATOR_MAIL_PEOPLE (object)->cancellable);
  g_free (MEDIATOR_MAIL_PEOPLE (object)->record_number);
  g_free (MEDIATOR_MAIL_PEOPLE (object)->save_error);
  G_OBJECT_CLASS (mediator_mail_people_parent_class)->finalize (object);
}

static void
mediator_mail_people_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MediatorMailPeople *self = MEDIATOR_MAIL_PEOPLE (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_mail_people_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MediatorMailPeople *self = MEDIATOR_MAIL_PEOPLE (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A name and birth date typed for a new file (not the record the hub
 * gave back): is the person domiciled by another body? (issue 19) */
static void
name_changed_cb (MediatorMailPeople *self)
{
  g_autofree char       *number = g_strstrip (g_strdup (mediator_mail_people_get_field (self, "number")));
  g_autofree char       *birth = g_strstrip (g_strdup (mediator_mail_people_get_field (self, "birth_date")));
  g_autofree char       *iso = mediator_date_to_iso (birth);
  MediatorMailElsewhere *elsewhere = MEDIATOR_MAIL_ELSEWHERE (self->elsewhere);

  if (self->record_number != NULL && g_strcmp0 (number, self->record_number) == 0)
    mediator_mail_elsewhere_clear (elsewhere);
  else
    mediator_mail_elsewhere_ask (elsewhere, mediator_mail_people_get_field (self, "surname"),
                                 mediator_mail_people_get_field (self, "first_names"), iso);
}

GtkWidget *
mediator_mail_people_get_elsewhere (MediatorMailPeople *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_PEOPLE (self), NULL);
  return self->elsewhere;
}

/* The supporting documents need the link. */
static void
mediator_mail_people_constructed (GObject *object)
{
  MediatorMailPeople *self = MEDIATOR_MAIL_PEOPLE (object);

  G_OBJECT_CLASS (mediator_mail_people_parent_class)->constructed (object);

  g_assert (self->link != NULL);
  self->documents = mediator_mail_docs_new (self->link);
  g_object_set (self->documents, "margin", 8, NULL);
  gtk_container_add (GTK_CONTAINER (self->documents_frame), self->documents);
  /* The written decision, printed under the button that records it. */
  self->decision_print = mediator_decision_print_new (self->link);
  gtk_box_pack_end (GTK_BOX (gtk_widget_get_parent (self->decide_button)), self->decision_print, FALSE, FALSE, 0);
  /* "Already domiciled by…", on its own row under the birth date. */
  {
    GtkWidget *birth = g_hash_table_lookup (self->fields, "birth_date");
    GtkGrid   *grid = GTK_GRID (gtk_widget_get_parent (birth));
    int        top = 0;

    gtk_container_child_get (GTK_CONTAINER (grid), birth, "top-attach", &top, NULL);
    gtk_grid_insert_row (grid, top + 1);
    self->elsewhere = mediator_mail_elsewhere_new (self->link);
    gtk_grid_attach (grid, self->elsewhere, 0, top + 1, 2, 1);
    for (const char * const *f = (const char *[]) { "surname", "first_names", "birth_date", NULL }; *f != NULL; f++)
      g_signal_connect_swapped (g_hash_table_lookup (self->fields, *f), "changed", G_CALLBACK (name_changed_cb), self);
  }
}

/* Every field of the three forms, by API name; the template calls its
 * widget "field_" + that name. */
static const char * const fields[] = {
  "number", "surname", "first_names", "birth_date", "phone", "email", "notify", "card_id", "language",
  "last_met_by", "last_met_phone", "sex", "household",
  "decision", "active_from", "active_to", "missing", "reason", "motive", "motive_text", "orientation", "orientation_text",
  "proxy_name", "authorised_on", "id_copies", "ends_on",
  NULL
};

static void
mediator_mail_people_class_init (MediatorMailPeopleClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mediator_mail_people_constructed;
  object_class->dispose = mediator_mail_people_dispose;
  object_class->finalize = mediator_mail_people_finalize;
  object_class->set_property = mediator_mail_people_set_property;
  object_class->get_property = mediator_mail_people_get_property;

  /* The console's link: the records are the hub's. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-mail-people.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, record_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, proxies_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, unseen_list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, decide_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, decide_hint);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailPeople, documents_frame);
  /* The fields go to self->fields by name (init), not to members. */
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *id = g_strconcat ("field_", fields[i], NULL);

      gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, 0);
    }
  gtk_widget_class_bind_template_callback (widget_class, combo_scroll_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "number_activate_cb",
                                                G_CALLBACK (mediator_mail_people_open_cb_helper));
  gtk_widget_class_bind_template_callback_full (widget_class, "save_clicked_cb", G_CALLBACK (mediator_mail_people_save));
  gtk_widget_class_bind_template_callback_full (widget_class, "decide_clicked_cb", G_CALLBACK (mediator_mail_people_decide));
  gtk_widget_class_bind_template_callback_full (widget_class, "add_proxy_clicked_cb",
                                                G_CALLBACK (mediator_mail_people_add_proxy));
}

static void
mediator_mail_people_init (MediatorMailPeople *self)
{
  self->cancellable = g_cancellable_new ();
  self->fields = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *id = g_strconcat ("field_", fields[i], NULL);
      GObject         *widget = gtk_widget_get_template_child (GTK_WIDGET (self), MEDIATOR_TYPE_MAIL_PEOPLE, id);

      g_assert (GTK_IS_ENTRY (widget) || GTK_IS_COMBO_BOX_TEXT (widget));
      /* A template cannot choose an item (its items come after its
       * properties): each choice starts on its first. */
      if (GTK_IS_COMBO_BOX_TEXT (widget))
        gtk_combo_box_set_active (GTK_COMBO_BOX (widget), 0);
      g_hash_table_insert (self->fields, (gpointer) fields[i], widget);
    }
  mediator_mail_people_set_field (self, "language", "fr");
  g_signal_connect_swapped (g_hash_table_lookup (self->fields, "notify"), "changed",
                            G_CALLBACK (update_decide_label), self);
  update_decide_label (self);
  g_signal_connect_swapped (g_hash_table_lookup (self->fields, "decision"), "changed",
                            G_CALLBACK (update_decide_state), self);
  update_decide_state (self);
  build_contacts (self);
}

GtkWidget *
mediator_mail_people_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_MAIL_PEOPLE, "link", link, NULL);
}
