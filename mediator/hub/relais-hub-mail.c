/* relais-hub-mail.c: mail for domiciled people on the hub: the console's
 * routes (search, people, batches, hand-over, returns, failed messages),
 * the outbox sender with retries, monthly reminders, and the kiosk's
 * hashed snapshot for stations. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

Mail *
_relais_hub_mail_ref (Mail *mail)
{
  return g_atomic_rc_box_acquire (mail);
}

static void
mail_clear (Mail *mail)
{
  relais_notify_unref (mail->notify);
  g_free (mail->place);
  g_free (mail->hours);
  g_free (mail->number_format);
}

void
_relais_hub_mail_unref (Mail *mail)
{
  g_atomic_rc_box_release_full (mail, (GDestroyNotify) mail_clear);
}

/* The hub is going: stop the timers, forget it. */
static void
mail_detach (gpointer data)
{
  Mail *mail = data;

  mail->hub = NULL;
  g_clear_handle_id (&mail->send_id, g_source_remove);
  g_clear_handle_id (&mail->reminder_id, g_source_remove);
  g_clear_handle_id (&mail->snapshot_id, g_source_remove);
  _relais_hub_mail_unref (mail);
}

gint64
_relais_hub_mail_now (Mail *mail)
{
  return mail->clock_ms != 0 ? mail->clock_ms : relais_db_now_ms ();
}

char *
_relais_hub_mail_today (Mail *mail)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (_relais_hub_mail_now (mail) / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

RelaisMailSite
_relais_hub_mail_site (Mail *mail)
{
  RelaisMailSite site = { mail->place, mail->hours };
  return site;
}

Mail *
_relais_hub_mail_get (RelaisHub *self)
{
  Mail *mail = g_object_get_data (G_OBJECT (self), MAIL_KEY);
  RelaisNotifySettings none = { 0 };

  if (mail != NULL)
    return mail;
  mail = g_atomic_rc_box_new0 (Mail);
  mail->hub = self;
  mail->notify = relais_notify_new (&none);
  mail->place = g_strdup ("la Maison des Solidarités");
  mail->hours = g_strdup ("le lundi, le mercredi et le vendredi, de 9 h à 12 h");
  mail->number_format = g_strdup ("{n}");
  mail->retry_ms = 60 * 1000;
  mail->max_attempts = 6;
  mail->reminder_ms = (gint64) 30 * 24 * 3600 * 1000;
  mail->max_reminders = 3;
  mail->expiry_first_days = 60;
  mail->expiry_second_days = 14;
  mail->no_contact_days = 75;
  mail->send_id = g_timeout_add_seconds (1, _relais_hub_mail_send_tick_cb, mail);
  mail->reminder_id = g_timeout_add_seconds (3600, _relais_hub_mail_reminder_tick_cb, mail);
  g_object_set_data_full (G_OBJECT (self), MAIL_KEY, mail, mail_detach);
  return mail;
}

void
relais_hub_mail_setup (RelaisHub    *self,
                       RelaisConfig *config)
{
  Mail *mail;

  g_return_if_fail (RELAIS_IS_HUB (self) && config != NULL);

  mail = _relais_hub_mail_get (self);
  g_free (mail->place);
  mail->place = g_strdup (relais_config_get (config, "mail", "place"));
  g_free (mail->hours);
  mail->hours = g_strdup (relais_config_get (config, "mail", "pickup-hours"));
  relais_notify_unref (mail->notify);
  mail->notify = relais_notify_new_from_config (config);
  relais_hub_mail_set_timing (self,
                              (gint64) MAX (1, relais_config_get_int (config, "notify", "retry-seconds")) * 1000,
                              MAX (1, relais_config_get_int (config, "notify", "max-attempts")),
                              (gint64) MAX (1, relais_config_get_int (config, "mail", "reminder-days")) * 24 * 3600 * 1000,
                              MAX (1, relais_config_get_int (config, "mail", "max-reminders")));
  relais_hub_mail_set_expiry (self,
                              relais_config_get_int (config, "mail", "expiry-first-days"),
                              relais_config_get_int (config, "mail", "expiry-second-days"),
                              relais_config_get_int (config, "mail", "no-contact-days"));
}

void
relais_hub_mail_set_expiry (RelaisHub *self,
                            int        first_days,
                            int        second_days,
                            int        no_contact_days)
{
  Mail *mail;

  g_return_if_fail (RELAIS_IS_HUB (self));

  mail = _relais_hub_mail_get (self);
  /* A configuration in the wrong order still sends two notices. */
  mail->expiry_first_days = CLAMP (MAX (first_days, second_days), 0, 366);
  mail->expiry_second_days = CLAMP (MIN (first_days, second_days), 0, 366);
  mail->no_contact_days = CLAMP (no_contact_days, 1, 3660);
}

void
relais_hub_mail_set_notify (RelaisHub    *self,
                            RelaisNotify *notify)
{
  Mail *mail;

  g_return_if_fail (RELAIS_IS_HUB (self) && notify != NULL);

  mail = _relais_hub_mail_get (self);
  relais_notify_unref (mail->notify);
  mail->notify = relais_notify_ref (notify);
}

void
relais_hub_mail_set_timing (RelaisHub *self,
                            gint64     retry_ms,
                            int        max_attempts,
                            gint64     reminder_ms,
                            int        max_reminders)
{
  Mail *mail;

  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (retry_ms > 0 && max_attempts > 0 && reminder_ms > 0 && max_reminders >= 0);

  mail = _relais_hub_mail_get (self);
  mail->retry_ms = retry_ms;
  mail->max_attempts = max_attempts;
  mail->reminder_ms = reminder_ms;
  mail->max_reminders = max_reminders;
}

void
relais_hub_mail_set_clock (RelaisHub *self,
                           gint64     now_ms)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  _relais_hub_mail_get (self)->clock_ms = now_ms;
}

gboolean
relais_hub_mail_is_sending (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);
  return _relais_hub_mail_get (self)->sending;
}

/* ---- JSON ---- */

void
_relais_hub_mail_build_person (JsonBuilder *b, const RelaisMailPerson *p)
{
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "number", p->number);
  relais_hub_json_add_string (b, "surname", p->surname);
  relais_hub_json_add_string (b, "first_names", p->first_names);
  relais_hub_json_add_string (b, "birth_date", p->birth_date);
  relais_hub_json_add_string (b, "phone", p->phone);
  relais_hub_json_add_string (b, "email", p->email);
  relais_hub_json_add_string (b, "notify", p->notify);
  relais_hub_json_add_string (b, "card_id", p->card_id);
  relais_hub_json_add_string (b, "language", p->language);
  relais_hub_json_add_string (b, "last_met_by", p->last_met_by);
  relais_hub_json_add_string (b, "last_met_phone", p->last_met_phone);
  relais_hub_json_add_string (b, "state", p->state);
  relais_hub_json_add_string (b, "active_to", p->active_to);
  relais_hub_json_add_int (b, "waiting", p->waiting);
  relais_hub_json_add_string (b, "last_contact", p->last_contact);
  relais_hub_json_add_int (b, "homonyms", p->homonyms);
  relais_hub_json_add_int (b, "near_homonyms", p->near_homonyms);
  relais_hub_json_add_bool (b, "approximate", p->approximate);
  json_builder_end_object (b);
}

void
_relais_hub_mail_build_letter (JsonBuilder *b, const RelaisMailLetter *l)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", l->id);
  relais_hub_json_add_string (b, "number", l->number);
  relais_hub_json_add_string (b, "person", l->person);
  relais_hub_json_add_string (b, "kind", l->kind);
  relais_hub_json_add_string (b, "tracking", l->tracking);
  relais_hub_json_add_string (b, "sender", l->sender);
  relais_hub_json_add_bool (b, "urgent", l->urgent);
  relais_hub_json_add_time (b, "registered_at", l->registered_at);
  relais_hub_json_add_string (b, "registered_by", l->registered_by);
  relais_hub_json_add_time (b, "handed_at", l->handed_at);
  relais_hub_json_add_string (b, "handed_by", l->handed_by);
  relais_hub_json_add_string (b, "handed_to", l->handed_to);
  relais_hub_json_add_int (b, "reminders", l->reminders);
  relais_hub_json_add_time (b, "return_due_at", l->return_due_at);
  relais_hub_json_add_time (b, "returned_at", l->returned_at);
  relais_hub_json_add_string (b, "return_reason", l->return_reason);
  json_builder_end_object (b);
}

static void
build_proxy (JsonBuilder *b, const RelaisMailProxy *x)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", x->id);
  relais_hub_json_add_string (b, "name", x->name);
  relais_hub_json_add_string (b, "authorised_on", x->authorised_on);
  relais_hub_json_add_string (b, "id_copies", x->id_copies);
  relais_hub_json_add_string (b, "ends_on", x->ends_on);
  relais_hub_json_add_bool (b, "valid", x->valid);
  json_builder_end_object (b);
}

void
_relais_hub_mail_build_notice (JsonBuilder *b, const RelaisMailNotice *n)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", n->id);
  relais_hub_json_add_string (b, "number", n->number);
  relais_hub_json_add_string (b, "channel", n->channel);
  relais_hub_json_add_string (b, "recipient", n->recipient);
  relais_hub_json_add_string (b, "body", n->body);
  relais_hub_json_add_string (b, "reason", n->reason);
  relais_hub_json_add_string (b, "status", n->status);
  relais_hub_json_add_int (b, "attempts", n->attempts);
  relais_hub_json_add_time (b, "next_attempt_at", n->next_attempt_at);
  relais_hub_json_add_string (b, "last_error", n->last_error);
  relais_hub_json_add_time (b, "created_at", n->created_at);
  relais_hub_json_add_time (b, "sent_at", n->sent_at);
  json_builder_end_object (b);
}

/* A database error to the console: its message is already French for
 * the cases a person causes (invalid, unknown, conflict). */
void
_relais_hub_mail_reply_db_error (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
    status = SOUP_STATUS_BAD_REQUEST;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
           || g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED))
    status = SOUP_STATUS_CONFLICT;
  _relais_hub_reply_error (msg, status, error->message);
}

/* ---- strict readers (empty strings allowed: the db says why not) ---- */

gboolean
_relais_hub_mail_read_text (JsonObject *o, const char *member, gsize max, const char **value, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » doit être une chaîne", member);
      return FALSE;
    }
  *value = json_node_get_string (node);
  if (strlen (*value) > max || !g_utf8_validate (*value, -1, NULL))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » : %zu octets au plus", member, max);
      return FALSE;
    }
  return TRUE;
}

/* ---- routes ---- */

static void
reply_person_record (RelaisHub *self, SoupServerMessage *msg, RelaisMailPerson *p)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *today = _relais_hub_mail_today (mail);
  g_autoptr(GPtrArray) letters = relais_db_mail_waiting (self->db, p->number, &error);
  g_autoptr(GPtrArray) proxies = letters != NULL ? relais_db_mail_proxies (self->db, p->number, today, &error) : NULL;
  g_autoptr(GPtrArray) notices = proxies != NULL ? relais_db_mail_notices_of (self->db, p->number, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (notices == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "person");
  _relais_hub_mail_build_person (b, p);
  relais_hub_json_add_array (b, "letters", letters, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  relais_hub_json_add_array (b, "proxies", proxies, (RelaisHubJsonBuildFunc) build_proxy);
  relais_hub_json_add_array (b, "notices", notices, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_notice);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

static void
handle_search (RelaisHub *self, SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) form = query != NULL ? soup_form_decode (query) : NULL;
  const char *q = form != NULL ? g_hash_table_lookup (form, "q") : NULL;
  const char *limit_text = form != NULL ? g_hash_table_lookup (form, "limit") : NULL;
  guint64 limit = 20;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, 100, &limit, NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "limit : de 1 à 100");
      return;
    }
  people = relais_db_mail_search (self->db, q != NULL ? q : "", limit, &error);
  if (people == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "people", people, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_person);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

gboolean
relais_hub_mail_set_number_format (RelaisHub   *self,
                                   const char  *format,
                                   GError     **error)
{
  Mail *mail;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);

  if (!relais_mail_number_format_valid (format, error))
    return FALSE;
  mail = _relais_hub_mail_get (self);
  g_free (mail->number_format);
  mail->number_format = g_strdup (format);
  return TRUE;
}

static void
handle_person_save (RelaisHub *self, SoupServerMessage *msg, JsonObject *root)
{
  static const char * const fields[] = {
    "number", "surname", "first_names", "birth_date", "phone", "email", "notify", "card_id",
    "language", "last_met_by", "last_met_phone", NULL
  };
  const char *values[G_N_ELEMENTS (fields)] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autofree char *given = NULL;
  RelaisMailPerson in = { 0 };

  if (!relais_hub_json_only (root, fields, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  for (guint i = 0; fields[i] != NULL; i++)
    if (!_relais_hub_mail_read_text (root, fields[i], 400, &values[i], &error))
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
        return;
      }
  /* No number typed: a new person gets the next free one; a number
   * typed is kept (cards already printed, another numbering). */
  if (values[0] == NULL || *values[0] == '\0')
    {
      given = relais_db_mail_next_number (self->db, _relais_hub_mail_get (self)->number_format, &error);
      if (given == NULL)
        {
          _relais_hub_mail_reply_db_error (msg, error);
          return;
        }
    }
  in.number = given != NULL ? given : (char *) values[0];
  in.surname = (char *) (values[1] != NULL ? values[1] : "");
  in.first_names = (char *) (values[2] != NULL ? values[2] : "");
  in.birth_date = (char *) values[3];
  in.phone = (char *) values[4];
  in.email = (char *) values[5];
  in.notify = (char *) values[6];
  in.card_id = (char *) values[7];
  in.language = (char *) values[8];
  in.last_met_by = (char *) values[9];
  in.last_met_phone = (char *) values[10];
  saved = relais_db_mail_person_save (self->db, &in, &error);
  if (saved == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  _relais_hub_mail_changed (_relais_hub_mail_get (self));
  reply_person_record (self, msg, saved);
}

static void
handle_decision (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number,
                 const RelaisMediator *mediator)
{
  Mail *mail = _relais_hub_mail_get (self);
  RelaisMailSite site = _relais_hub_mail_site (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  const char *decision, *reason, *missing, *from, *to;

  if (!relais_hub_json_only (root, (const char *[]) { "decision", "reason", "missing", "active_from", "active_to", NULL }, &error)
      || !_relais_hub_mail_read_text (root, "decision", 32, &decision, &error)
      || !_relais_hub_mail_read_text (root, "reason", 32, &reason, &error)
      || !_relais_hub_mail_read_text (root, "missing", 400, &missing, &error)
      || !_relais_hub_mail_read_text (root, "active_from", 16, &from, &error)
      || !_relais_hub_mail_read_text (root, "active_to", 16, &to, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_decide_reason (self->db, number, decision != NULL ? decision : "", reason, missing, from, to,
                                     mediator->display_name, &site, _relais_hub_mail_now (mail), &error)
      || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  relais_hub_mail_kick (self);
  _relais_hub_mail_changed (mail);
  reply_person_record (self, msg, p);
}

static void
handle_proxy_add (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailProxy) proxy = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  const char *name, *on, *copies, *ends;

  if (!relais_hub_json_only (root, (const char *[]) { "name", "authorised_on", "id_copies", "ends_on", NULL }, &error)
      || !_relais_hub_mail_read_text (root, "name", 400, &name, &error)
      || !_relais_hub_mail_read_text (root, "authorised_on", 16, &on, &error)
      || !_relais_hub_mail_read_text (root, "id_copies", 400, &copies, &error)
      || !_relais_hub_mail_read_text (root, "ends_on", 16, &ends, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  proxy = relais_db_mail_proxy_add (self->db, number, name != NULL ? name : "", on, copies, ends, &error);
  if (proxy == NULL || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_person_record (self, msg, p);
}

/* ---- the routes under /mail/ (relais-hub-routes.c) ---- */

void
_relais_hub_handle_mail_search (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  handle_search (self, msg);
}

/* GET /mail/people/NUMBER or /mail/card/CARD: a person's record. */
static void
handle_person_get (RelaisHub         *self,
                   SoupServerMessage *msg,
                   const char        *escaped,
                   gboolean           by_card)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uri_unescape_string (escaped, NULL);
  g_autoptr(RelaisMailPerson) p = NULL;

  if (key == NULL || *key == '\0')
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro manquant");
      return;
    }
  p = by_card ? relais_db_mail_person_by_card (self->db, key, &error) : relais_db_mail_person_get (self->db, key, &error);
  if (p == NULL)
    _relais_hub_mail_reply_db_error (msg, error);
  else
    reply_person_record (self, msg, p);
}

void
_relais_hub_handle_mail_person (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  handle_person_get (self, msg, call->args[0], FALSE);
}

void
_relais_hub_handle_mail_card (RelaisHub           *self,
                              SoupServerMessage   *msg,
                              const RelaisHubCall *call)
{
  handle_person_get (self, msg, call->args[0], TRUE);
}

void
_relais_hub_handle_mail_person_save (RelaisHub           *self,
                                     SoupServerMessage   *msg,
                                     const RelaisHubCall *call)
{
  handle_person_save (self, msg, call->body);
}

void
_relais_hub_handle_mail_decision (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL)
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
  else
    handle_decision (self, msg, call->body, number, call->client->mediator);
}

void
_relais_hub_handle_mail_proxy_add (RelaisHub           *self,
                                   SoupServerMessage   *msg,
                                   const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL)
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
  else
    handle_proxy_add (self, msg, call->body, number);
}

/* POST /mail/returns/ID/confirm: the letter went back to its sender. */
void
_relais_hub_handle_mail_return_confirm (RelaisHub           *self,
                                        SoupServerMessage   *msg,
                                        const RelaisHubCall *call)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  if (!_relais_hub_mail_parse_id (call->args[0], &id))
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de courrier invalide");
  else if (!relais_db_mail_confirm_return (self->db, id, call->client->mediator->display_name,
                                           _relais_hub_mail_now (mail), &error))
    _relais_hub_mail_reply_db_error (msg, error);
  else
    {
      _relais_hub_mail_changed (mail);
      node = relais_hub_json_status ("ok");
      _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
    }
}
