/* relais-hub-mail.c: mail for domiciled people on the hub: the console's
 * routes (search, people, batches, hand-over, returns, failed messages),
 * the outbox sender with retries, monthly reminders, and the kiosk's
 * hashed snapshot for stations. */
#define G_LOG_DOMAIN "relais-hub"

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

#define MAIL_KEY "relais-hub-mail"
#define SEND_BATCH 50
#define MAX_RETRY_MS (6 * 3600 * 1000)
#define MAX_BATCH_ITEMS 500

/* The mail's state, hung on the hub. The sender's thread holds a ref;
 * hub is NULL once the hub is gone, and the thread's results dropped. */
typedef struct {
  gatomicrefcount  ref;
  RelaisHub       *hub;            /* borrowed */
  RelaisNotify    *notify;         /* owned */
  char            *place;
  char            *hours;
  gint64           clock_ms;       /* 0: real time */
  gint64           retry_ms;
  int              max_attempts;
  gint64           reminder_ms;
  int              max_reminders;
  int              expiry_first_days;   /* reminders before a domiciliation ends */
  int              expiry_second_days;
  int              no_contact_days;     /* warn when not seen for this long */
  guint            send_id;
  guint            reminder_id;
  guint            snapshot_id;
  gboolean         sending;
} Mail;

static Mail *
mail_ref (Mail *mail)
{
  g_atomic_ref_count_inc (&mail->ref);
  return mail;
}

static void
mail_unref (Mail *mail)
{
  if (!g_atomic_ref_count_dec (&mail->ref))
    return;
  relais_notify_unref (mail->notify);
  g_free (mail->place);
  g_free (mail->hours);
  g_free (mail);
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
  mail_unref (mail);
}

static gint64
mail_now (Mail *mail)
{
  return mail->clock_ms != 0 ? mail->clock_ms : relais_db_now_ms ();
}

static char *
mail_today (Mail *mail)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (mail_now (mail) / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

static RelaisMailSite
mail_site (Mail *mail)
{
  RelaisMailSite site = { mail->place, mail->hours };
  return site;
}

static gboolean send_tick_cb (gpointer user_data);
static gboolean reminder_tick_cb (gpointer user_data);

static Mail *
mail_get (RelaisHub *self)
{
  Mail *mail = g_object_get_data (G_OBJECT (self), MAIL_KEY);
  RelaisNotifySettings none = { 0 };

  if (mail != NULL)
    return mail;
  mail = g_new0 (Mail, 1);
  g_atomic_ref_count_init (&mail->ref);
  mail->hub = self;
  mail->notify = relais_notify_new (&none);
  mail->place = g_strdup ("la Maison des Solidarités");
  mail->hours = g_strdup ("lun/mer/ven 9h-12h");
  mail->retry_ms = 60 * 1000;
  mail->max_attempts = 6;
  mail->reminder_ms = (gint64) 30 * 24 * 3600 * 1000;
  mail->max_reminders = 3;
  mail->expiry_first_days = 60;
  mail->expiry_second_days = 14;
  mail->no_contact_days = 75;
  mail->send_id = g_timeout_add_seconds (1, send_tick_cb, mail);
  mail->reminder_id = g_timeout_add_seconds (3600, reminder_tick_cb, mail);
  g_object_set_data_full (G_OBJECT (self), MAIL_KEY, mail, mail_detach);
  return mail;
}

void
relais_hub_mail_setup (RelaisHub    *self,
                       RelaisConfig *config)
{
  Mail *mail;

  g_return_if_fail (RELAIS_IS_HUB (self) && config != NULL);

  mail = mail_get (self);
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

  mail = mail_get (self);
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

  mail = mail_get (self);
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

  mail = mail_get (self);
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
  mail_get (self)->clock_ms = now_ms;
}

gboolean
relais_hub_mail_is_sending (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);
  return mail_get (self)->sending;
}

/* ---- the kiosk's snapshot ---- */

/* Stations fetch the snapshot again; debounced so a morning's 200 letters
 * make one fetch, not 200. */
static gboolean
snapshot_cb (gpointer user_data)
{
  Mail *mail = user_data;
  RelaisHub *self = mail->hub;
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) node = json_from_string ("{\"changed\":true}", NULL);

  mail->snapshot_id = 0;
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if (sub->client.kind != CLIENT_STATION || g_hash_table_contains (done, sub->client.name))
        continue;
      g_hash_table_add (done, sub->client.name);
    }
  {
    GHashTableIter iter;
    gpointer name;

    g_hash_table_iter_init (&iter, done);
    while (g_hash_table_iter_next (&iter, &name, NULL))
      _relais_hub_broadcast (self, "mail-snapshot", node, FALSE, name);
  }
  _relais_hub_broadcast (self, "mail-changed", node, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
mail_changed (Mail *mail)
{
  if (mail->snapshot_id == 0)
    mail->snapshot_id = g_timeout_add (300, snapshot_cb, mail);
}

/* GET /mail-snapshot (stations): {"salt","hours","entries":[[hash,n]…]}. */
void
_relais_hub_handle_mail_snapshot (RelaisHub         *self,
                                  SoupServerMessage *msg,
                                  const Client      *client)
{
  Mail *mail = mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *salt = relais_db_mail_salt (self->db, &error);
  g_autoptr(GPtrArray) entries = salt != NULL ? relais_db_mail_snapshot (self->db, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  if (entries == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "salt");
  json_builder_add_string_value (b, salt);
  json_builder_set_member_name (b, "hours");
  json_builder_add_string_value (b, mail->hours);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      RelaisMailSnapshotEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *by_number = relais_mail_kiosk_hash (salt, e->number, e->birth_date);

      json_builder_begin_array (b);
      json_builder_add_string_value (b, by_number);
      json_builder_add_int_value (b, e->waiting);
      json_builder_end_array (b);
      if (e->card_id != NULL)
        {
          g_autofree char *by_card = relais_mail_kiosk_hash (salt, e->card_id, NULL);

          json_builder_begin_array (b);
          json_builder_add_string_value (b, by_card);
          json_builder_add_int_value (b, e->waiting);
          json_builder_end_array (b);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* ---- sending ---- */

typedef struct {
  GPtrArray    *notices;   /* RelaisMailNotice* */
  GPtrArray    *errors;    /* GError* or NULL, one per notice */
  RelaisNotify *notify;
} SendJob;

static void
send_job_free (SendJob *job)
{
  g_ptr_array_unref (job->notices);
  g_clear_pointer (&job->errors, g_ptr_array_unref);
  relais_notify_unref (job->notify);
  g_free (job);
}

static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendJob *job = task_data;

  job->errors = g_ptr_array_new_with_free_func (error_free0);
  for (guint i = 0; i < job->notices->len; i++)
    {
      RelaisMailNotice *n = g_ptr_array_index (job->notices, i);
      GError *error = NULL;

      relais_notify_send (job->notify, n->channel, n->recipient, n->subject, n->body, &error);
      g_ptr_array_add (job->errors, error);
    }
  g_task_return_boolean (task, TRUE);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Mail *mail = user_data;
  SendJob *job = g_task_get_task_data (G_TASK (result));
  guint failed = 0;

  mail->sending = FALSE;
  if (mail->hub == NULL)
    {
      mail_unref (mail);
      return;
    }
  for (guint i = 0; i < job->notices->len; i++)
    {
      RelaisMailNotice *n = g_ptr_array_index (job->notices, i);
      GError *sent_error = g_ptr_array_index (job->errors, i);
      g_autoptr(GError) error = NULL;
      gint64 now = mail_now (mail);
      gint64 retry_at = 0;

      if (sent_error != NULL)
        {
          int attempts = n->attempts + 1;

          if (attempts < mail->max_attempts && !g_error_matches (sent_error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_REJECTED))
            retry_at = now + MIN (MAX_RETRY_MS, mail->retry_ms << MIN (attempts - 1, 20));
          else
            failed++;
          g_message ("message %" G_GINT64_FORMAT " (%s) : %s%s", n->id, n->channel, sent_error->message,
                     retry_at != 0 ? " ; nouvel essai prévu" : " ; abandon");
        }
      if (!relais_db_mail_notice_done (mail->hub->db, n->id, sent_error != NULL ? sent_error->message : NULL,
                                       retry_at, now, &error))
        g_message ("message %" G_GINT64_FORMAT " : %s", n->id, error->message);
    }
  if (failed > 0)
    {
      g_autofree char *json = g_strdup_printf ("{\"failed\":%u}", failed);
      g_autoptr(JsonNode) node = json_from_string (json, NULL);

      _relais_hub_broadcast (mail->hub, "mail-notices", node, TRUE, NULL);
    }
  if (job->notices->len == SEND_BATCH)
    relais_hub_mail_kick (mail->hub);
  mail_unref (mail);
}

static gboolean
send_tick_cb (gpointer user_data)
{
  Mail *mail = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GTask) task = NULL;
  SendJob *job;

  if (mail->sending || mail->hub == NULL)
    return G_SOURCE_CONTINUE;
  due = relais_db_mail_notices_due (mail->hub->db, mail_now (mail), SEND_BATCH, &error);
  if (due == NULL)
    {
      g_message ("messages : %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (due->len == 0)
    return G_SOURCE_CONTINUE;
  /* The network is slow and may hang for the timeout: never on the loop
   * that serves the stations. */
  job = g_new0 (SendJob, 1);
  job->notices = g_steal_pointer (&due);
  job->notify = relais_notify_ref (mail->notify);
  mail->sending = TRUE;
  task = g_task_new (NULL, NULL, send_done_cb, mail_ref (mail));
  g_task_set_task_data (task, job, (GDestroyNotify) send_job_free);
  g_task_run_in_thread (task, send_thread);
  return G_SOURCE_CONTINUE;
}

static gboolean
kick_cb (gpointer user_data)
{
  Mail *mail = user_data;

  if (mail->hub != NULL)
    send_tick_cb (mail);
  return G_SOURCE_REMOVE;
}

void
relais_hub_mail_kick (RelaisHub *self)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, kick_cb, mail_ref (mail_get (self)), (GDestroyNotify) mail_unref);
}

int
relais_hub_mail_run_reminders (RelaisHub  *self,
                               GError    **error)
{
  Mail *mail;
  RelaisMailSite site;
  int queued;

  g_return_val_if_fail (RELAIS_IS_HUB (self), -1);

  mail = mail_get (self);
  site = mail_site (mail);
  queued = relais_db_mail_run_reminders (self->db, mail_now (mail), mail->reminder_ms, mail->max_reminders,
                                         &site, error);
  if (queued > 0)
    relais_hub_mail_kick (self);
  mail_changed (mail);
  return queued;
}

int
relais_hub_mail_run_expiry (RelaisHub  *self,
                            GError    **error)
{
  Mail *mail;
  RelaisMailSite site;
  int queued;

  g_return_val_if_fail (RELAIS_IS_HUB (self), -1);

  mail = mail_get (self);
  site = mail_site (mail);
  queued = relais_db_mail_run_expiry (self->db, mail_now (mail), mail->expiry_first_days,
                                      mail->expiry_second_days, &site, error);
  if (queued > 0)
    relais_hub_mail_kick (self);
  return queued;
}

static gboolean
reminder_tick_cb (gpointer user_data)
{
  Mail *mail = user_data;
  g_autoptr(GError) error = NULL;

  /* Reminders first: they mark the domiciliations past their end, which
   * then get no expiry notice. */
  if (mail->hub != NULL && relais_hub_mail_run_reminders (mail->hub, &error) < 0)
    g_message ("rappels : %s", error->message);
  g_clear_error (&error);
  if (mail->hub != NULL && relais_hub_mail_run_expiry (mail->hub, &error) < 0)
    g_message ("fins de domiciliation : %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* ---- JSON ---- */

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_time (JsonBuilder *b, const char *member, gint64 ms)
{
  json_builder_set_member_name (b, member);
  if (ms > 0)
    json_builder_add_int_value (b, ms);
  else
    json_builder_add_null_value (b);
}

static void
add_bool (JsonBuilder *b, const char *member, gboolean value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

static void
build_person (JsonBuilder *b, const RelaisMailPerson *p)
{
  json_builder_begin_object (b);
  add_string (b, "number", p->number);
  add_string (b, "surname", p->surname);
  add_string (b, "first_names", p->first_names);
  add_string (b, "birth_date", p->birth_date);
  add_string (b, "phone", p->phone);
  add_string (b, "email", p->email);
  add_string (b, "notify", p->notify);
  add_string (b, "card_id", p->card_id);
  add_string (b, "language", p->language);
  add_string (b, "last_met_by", p->last_met_by);
  add_string (b, "last_met_phone", p->last_met_phone);
  add_string (b, "state", p->state);
  add_string (b, "active_to", p->active_to);
  add_int (b, "waiting", p->waiting);
  add_string (b, "last_contact", p->last_contact);
  add_int (b, "homonyms", p->homonyms);
  add_int (b, "near_homonyms", p->near_homonyms);
  add_bool (b, "approximate", p->approximate);
  json_builder_end_object (b);
}

static void
build_letter (JsonBuilder *b, const RelaisMailLetter *l)
{
  json_builder_begin_object (b);
  add_int (b, "id", l->id);
  add_string (b, "number", l->number);
  add_string (b, "person", l->person);
  add_string (b, "kind", l->kind);
  add_string (b, "tracking", l->tracking);
  add_string (b, "sender", l->sender);
  add_bool (b, "urgent", l->urgent);
  add_time (b, "registered_at", l->registered_at);
  add_string (b, "registered_by", l->registered_by);
  add_time (b, "handed_at", l->handed_at);
  add_string (b, "handed_by", l->handed_by);
  add_string (b, "handed_to", l->handed_to);
  add_int (b, "reminders", l->reminders);
  add_time (b, "return_due_at", l->return_due_at);
  add_time (b, "returned_at", l->returned_at);
  add_string (b, "return_reason", l->return_reason);
  json_builder_end_object (b);
}

static void
build_proxy (JsonBuilder *b, const RelaisMailProxy *x)
{
  json_builder_begin_object (b);
  add_int (b, "id", x->id);
  add_string (b, "name", x->name);
  add_string (b, "authorised_on", x->authorised_on);
  add_string (b, "id_copies", x->id_copies);
  add_string (b, "ends_on", x->ends_on);
  add_bool (b, "valid", x->valid);
  json_builder_end_object (b);
}

static void
build_notice (JsonBuilder *b, const RelaisMailNotice *n)
{
  json_builder_begin_object (b);
  add_int (b, "id", n->id);
  add_string (b, "number", n->number);
  add_string (b, "channel", n->channel);
  add_string (b, "recipient", n->recipient);
  add_string (b, "body", n->body);
  add_string (b, "reason", n->reason);
  add_string (b, "status", n->status);
  add_int (b, "attempts", n->attempts);
  add_time (b, "next_attempt_at", n->next_attempt_at);
  add_string (b, "last_error", n->last_error);
  add_time (b, "created_at", n->created_at);
  add_time (b, "sent_at", n->sent_at);
  json_builder_end_object (b);
}

typedef void (*BuildFunc) (JsonBuilder *b, gconstpointer item);

static void
add_array (JsonBuilder *b, const char *member, GPtrArray *items, BuildFunc build)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; items != NULL && i < items->len; i++)
    build (b, g_ptr_array_index (items, i));
  json_builder_end_array (b);
}

static void
reply_builder (SoupServerMessage *msg, JsonBuilder *b)
{
  g_autoptr(JsonNode) node = json_builder_get_root (b);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* A database error to the console: its message is already French for
 * the cases a person causes (invalid, unknown, conflict). */
static void
reply_db_error (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
    status = SOUP_STATUS_BAD_REQUEST;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT))
    status = SOUP_STATUS_CONFLICT;
  _relais_hub_reply_error (msg, status, error->message);
}

/* ---- strict readers (empty strings allowed: the db says why not) ---- */

static gboolean
read_text (JsonObject *o, const char *member, gsize max, const char **value, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "« %s » doit être une chaîne", member);
      return FALSE;
    }
  *value = json_node_get_string (node);
  if (strlen (*value) > max || !g_utf8_validate (*value, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "« %s » : %zu octets au plus", member, max);
      return FALSE;
    }
  return TRUE;
}

/* ---- routes ---- */

static void
reply_person_record (RelaisHub *self, SoupServerMessage *msg, RelaisMailPerson *p)
{
  Mail *mail = mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *today = mail_today (mail);
  g_autoptr(GPtrArray) letters = relais_db_mail_waiting (self->db, p->number, &error);
  g_autoptr(GPtrArray) proxies = letters != NULL ? relais_db_mail_proxies (self->db, p->number, today, &error) : NULL;
  g_autoptr(GPtrArray) notices = proxies != NULL ? relais_db_mail_notices_of (self->db, p->number, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (notices == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "person");
  build_person (b, p);
  add_array (b, "letters", letters, (BuildFunc) build_letter);
  add_array (b, "proxies", proxies, (BuildFunc) build_proxy);
  add_array (b, "notices", notices, (BuildFunc) build_notice);
  json_builder_end_object (b);
  reply_builder (msg, b);
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
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  add_array (b, "people", people, (BuildFunc) build_person);
  json_builder_end_object (b);
  reply_builder (msg, b);
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
  RelaisMailPerson in = { 0 };

  if (!relais_hub_json_only (root, fields, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  for (guint i = 0; fields[i] != NULL; i++)
    if (!read_text (root, fields[i], 400, &values[i], &error))
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
        return;
      }
  in.number = (char *) values[0];
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
      reply_db_error (msg, error);
      return;
    }
  mail_changed (mail_get (self));
  reply_person_record (self, msg, saved);
}

static void
handle_batch (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const RelaisMediator *mediator)
{
  Mail *mail = mail_get (self);
  RelaisMailSite site = mail_site (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RelaisMailItem));
  g_autoptr(GArray) unknown = g_array_new (FALSE, TRUE, sizeof (RelaisMailUnknown));
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *key;
  JsonNode *node;
  gboolean duplicate = FALSE;

  if (!relais_hub_json_only (root, (const char *[]) { "key", "items", "unknown", NULL }, &error)
      || (key = relais_hub_json_string (root, "key", TRUE, MAX_KEY_LENGTH, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  node = json_object_get_member (root, "items");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_BATCH_ITEMS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          RelaisMailItem item = { 0 };
          gint64 count = 1;

          if (o == NULL
              || !relais_hub_json_only (o, (const char *[]) { "number", "kind", "count", "tracking", "sender", "urgent", NULL }, &error)
              || !read_text (o, "number", 64, &item.number, &error)
              || !read_text (o, "kind", 32, &item.kind, &error)
              || !read_text (o, "tracking", 64, &item.tracking, &error)
              || !read_text (o, "sender", 400, &item.sender, &error)
              || !relais_hub_json_int (o, "count", FALSE, &count, &error)
              || !relais_hub_json_bool (o, "urgent", FALSE, &item.urgent, &error))
            {
              if (error == NULL)
                g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "chaque élément de « items » est un objet");
              _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
              return;
            }
          item.count = (int) CLAMP (count, -1, 1000);
          if (item.kind == NULL)
            item.kind = "ordinary";
          g_array_append_val (items, item);
        }
    }
  else if (node != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« items » doit être une liste");
      return;
    }
  node = json_object_get_member (root, "unknown");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_BATCH_ITEMS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          RelaisMailUnknown u = { "", 1 };
          gint64 count = 1;

          if (o == NULL
              || !relais_hub_json_only (o, (const char *[]) { "name", "count", NULL }, &error)
              || !read_text (o, "name", 400, &u.name, &error)
              || !relais_hub_json_int (o, "count", FALSE, &count, &error))
            {
              if (error == NULL)
                g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "chaque élément de « unknown » est un objet");
              _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
              return;
            }
          u.count = (int) CLAMP (count, -1, 1000);
          if (u.name == NULL)
            u.name = "";
          g_array_append_val (unknown, u);
        }
    }
  else if (node != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« unknown » doit être une liste");
      return;
    }
  letters = relais_db_mail_register (self->db, key, mediator->display_name,
                                     (const RelaisMailItem *) items->data, items->len,
                                     (const RelaisMailUnknown *) unknown->data, unknown->len,
                                     &site, mail_now (mail), &duplicate, &error);
  if (letters == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  if (!duplicate)
    {
      relais_hub_mail_kick (self);
      mail_changed (mail);
    }
  json_builder_begin_object (b);
  add_bool (b, "duplicate", duplicate);
  add_array (b, "letters", letters, (BuildFunc) build_letter);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

static gboolean
parse_id (const char *text, gint64 *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

static void
handle_hand_over (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number,
                  const RelaisMediator *mediator)
{
  Mail *mail = mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) handed = NULL;
  g_autofree char *today = mail_today (mail);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 proxy = 0;
  JsonNode *node;

  if (!relais_hub_json_only (root, (const char *[]) { "letters", "proxy", NULL }, &error)
      || !relais_hub_json_int (root, "proxy", FALSE, &proxy, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  node = json_object_get_member (root, "letters");
  if (node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          gint64 id;

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64
              || (id = json_node_get_int (e)) <= 0)
            {
              array = NULL;
              break;
            }
          g_array_append_val (ids, id);
        }
      if (array == NULL || ids->len == 0 || ids->len > 500)
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                                   "« letters » : une liste de 1 à 500 numéros de courrier (absente : tout remettre)");
          return;
        }
    }
  handed = relais_db_mail_hand_over (self->db, number, (const gint64 *) ids->data, ids->len, proxy,
                                     mediator->display_name, today, mail_now (mail), &error);
  if (handed == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  mail_changed (mail);
  json_builder_begin_object (b);
  add_array (b, "letters", handed, (BuildFunc) build_letter);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

static void
handle_decision (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number,
                 const RelaisMediator *mediator)
{
  Mail *mail = mail_get (self);
  RelaisMailSite site = mail_site (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  const char *decision, *reason, *missing, *from, *to;

  if (!relais_hub_json_only (root, (const char *[]) { "decision", "reason", "missing", "active_from", "active_to", NULL }, &error)
      || !read_text (root, "decision", 32, &decision, &error)
      || !read_text (root, "reason", 32, &reason, &error)
      || !read_text (root, "missing", 400, &missing, &error)
      || !read_text (root, "active_from", 16, &from, &error)
      || !read_text (root, "active_to", 16, &to, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_decide_reason (self->db, number, decision != NULL ? decision : "", reason, missing, from, to,
                                     mediator->display_name, &site, mail_now (mail), &error)
      || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  relais_hub_mail_kick (self);
  mail_changed (mail);
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
      || !read_text (root, "name", 400, &name, &error)
      || !read_text (root, "authorised_on", 16, &on, &error)
      || !read_text (root, "id_copies", 400, &copies, &error)
      || !read_text (root, "ends_on", 16, &ends, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  proxy = relais_db_mail_proxy_add (self->db, number, name != NULL ? name : "", on, copies, ends, &error);
  if (proxy == NULL || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  reply_person_record (self, msg, p);
}

static void
handle_returns (RelaisHub *self, SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = relais_db_mail_to_return (self->db, &error);
  g_autoptr(GPtrArray) unknown = letters != NULL ? relais_db_mail_unknown_list (self->db, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (unknown == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  add_array (b, "letters", letters, (BuildFunc) build_letter);
  json_builder_set_member_name (b, "unknown");
  json_builder_begin_array (b);
  for (guint i = 0; i < unknown->len; i++)
    {
      char **row = g_ptr_array_index (unknown, i);

      json_builder_begin_object (b);
      add_int (b, "id", g_ascii_strtoll (row[0], NULL, 10));
      add_string (b, "name", row[1]);
      add_int (b, "count", g_ascii_strtoll (row[2], NULL, 10));
      add_time (b, "registered_at", g_ascii_strtoll (row[3], NULL, 10));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

static void
handle_notices_failed (RelaisHub *self, SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notices = relais_db_mail_notices_failing (self->db, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (notices == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  add_array (b, "notices", notices, (BuildFunc) build_notice);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

static void
handle_stats (RelaisHub *self, SoupServerMessage *msg)
{
  static const char * const columns[] = { "month", "kind", "registered", "handed", "returned", "reminders", "avg_days" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_db_mail_stats (self->db, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        if (c < 2)
          add_string (b, columns[c], row[c]);
        else if (c == 6)
          {
            json_builder_set_member_name (b, columns[c]);
            json_builder_add_double_value (b, g_ascii_strtod (row[c] != NULL ? row[c] : "0", NULL));
          }
        else
          add_int (b, columns[c], row[c] != NULL ? g_ascii_strtoll (row[c], NULL, 10) : 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

/* GET /mail/no-contact: people not seen for nearly three months. */
static void
handle_no_contact (RelaisHub *self, SoupServerMessage *msg)
{
  Mail *mail = mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = relais_db_mail_no_contact (self->db, mail_now (mail), mail->no_contact_days, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (people == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  add_int (b, "days", mail->no_contact_days);
  add_array (b, "people", people, (BuildFunc) build_person);
  json_builder_end_object (b);
  reply_builder (msg, b);
}

JsonNode *
relais_hub_mail_figures (RelaisHub   *self,
                         const char  *from,
                         const char  *to,
                         GError     **error)
{
  g_autoptr(RelaisMailFigures) f = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_reasons = g_strv_length ((GStrv) relais_mail_application_reasons);
  g_autofree gint64 *reasons = g_new0 (gint64, n_reasons + 1);

  g_return_val_if_fail (RELAIS_IS_HUB (self), NULL);

  f = relais_db_mail_figures (self->db, from, to, error);
  if (f == NULL || !relais_db_mail_reason_counts (self->db, from, to, reasons, error))
    return NULL;
  json_builder_begin_object (b);
  add_int (b, "registered", f->totals.registered);
  add_int (b, "handed", f->totals.handed);
  add_int (b, "returned", f->totals.returned);
  add_int (b, "reminders", f->reminders);
  add_int (b, "expiry_reminders", f->expiry_reminders);
  add_int (b, "unknown", f->unknown);
  json_builder_set_member_name (b, "avg_days");
  json_builder_add_double_value (b, f->totals.avg_days);
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->kinds->len; i++)
    {
      RelaisMailFiguresRow *row = g_ptr_array_index (f->kinds, i);

      json_builder_begin_object (b);
      add_string (b, "kind", row->kind);
      add_int (b, "registered", row->registered);
      add_int (b, "handed", row->handed);
      add_int (b, "returned", row->returned);
      json_builder_set_member_name (b, "avg_days");
      json_builder_add_double_value (b, row->avg_days);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Applications of the period by reason; "unknown": none was given. */
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_object (b);
  for (guint i = 0; i <= n_reasons; i++)
    add_int (b, i < n_reasons ? relais_mail_application_reasons[i] : "unknown", reasons[i]);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
handle_template (RelaisHub *self, SoupServerMessage *msg, JsonObject *root)
{
  g_autoptr(GError) error = NULL;
  const char *name, *language, *text;
  g_autoptr(JsonNode) node = NULL;

  if (!relais_hub_json_only (root, (const char *[]) { "name", "language", "text", NULL }, &error)
      || !read_text (root, "name", 32, &name, &error)
      || !read_text (root, "language", 8, &language, &error)
      || !read_text (root, "text", 2000, &text, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_template_set (self->db, name != NULL ? name : "", language != NULL ? language : "fr",
                                    text != NULL ? text : "", &error))
    {
      reply_db_error (msg, error);
      return;
    }
  node = json_from_string ("{\"status\":\"ok\"}", NULL);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* GET and POST under /mail/ for a mediator logged in. */
void
_relais_hub_handle_mail (RelaisHub            *self,
                         SoupServerMessage    *msg,
                         const Client         *client,
                         const RelaisMediator *mediator,
                         const char           *rest)
{
  gboolean post = g_str_equal (soup_server_message_get_method (msg), "POST");
  g_auto(GStrv) parts = g_strsplit (rest, "/", 4);
  guint n = g_strv_length (parts);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root = NULL;
  Mail *mail = mail_get (self);

  /* Supporting documents come as a raw PDF, not JSON. */
  if (n >= 3 && g_str_equal (parts[0], "people") && g_str_equal (parts[2], "documents"))
    {
      _relais_hub_handle_mail_documents (self, msg, mediator, parts[1], n == 4 ? parts[3] : NULL, mail_now (mail));
      return;
    }
  if (post)
    {
      parser = json_parser_new ();
      root = _relais_hub_read_json_body (self, msg, parser);
      if (root == NULL)
        return;
    }

  if (!post && n == 1 && g_str_equal (parts[0], "search"))
    handle_search (self, msg);
  else if (!post && n == 2 && (g_str_equal (parts[0], "people") || g_str_equal (parts[0], "card")))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_uri_unescape_string (parts[1], NULL);
      g_autoptr(RelaisMailPerson) p = NULL;

      if (key == NULL || *key == '\0')
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro manquant");
          return;
        }
      p = g_str_equal (parts[0], "people") ? relais_db_mail_person_get (self->db, key, &error)
                                           : relais_db_mail_person_by_card (self->db, key, &error);
      if (p == NULL)
        reply_db_error (msg, error);
      else
        reply_person_record (self, msg, p);
    }
  else if (post && n == 1 && g_str_equal (parts[0], "people"))
    handle_person_save (self, msg, root);
  else if (post && n == 3 && g_str_equal (parts[0], "people"))
    {
      g_autofree char *number = g_uri_unescape_string (parts[1], NULL);

      if (number == NULL)
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
      else if (g_str_equal (parts[2], "hand-over"))
        handle_hand_over (self, msg, root, number, mediator);
      else if (g_str_equal (parts[2], "decision"))
        handle_decision (self, msg, root, number, mediator);
      else if (g_str_equal (parts[2], "proxies"))
        handle_proxy_add (self, msg, root, number);
      else
        _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
    }
  else if (post && n == 1 && g_str_equal (parts[0], "batch"))
    handle_batch (self, msg, root, mediator);
  else if (!post && n == 1 && g_str_equal (parts[0], "returns"))
    handle_returns (self, msg);
  else if (post && n == 3 && g_str_equal (parts[0], "returns") && g_str_equal (parts[2], "confirm"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gint64 id;

      if (!parse_id (parts[1], &id))
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de courrier invalide");
      else if (!relais_db_mail_confirm_return (self->db, id, mediator->display_name, mail_now (mail), &error))
        reply_db_error (msg, error);
      else
        {
          mail_changed (mail);
          node = json_from_string ("{\"status\":\"ok\"}", NULL);
          _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
        }
    }
  else if (!post && n == 2 && g_str_equal (parts[0], "notices") && g_str_equal (parts[1], "failed"))
    handle_notices_failed (self, msg);
  else if (post && n == 1 && g_str_equal (parts[0], "templates"))
    handle_template (self, msg, root);
  else if (!post && n == 1 && g_str_equal (parts[0], "stats"))
    handle_stats (self, msg);
  else if (!post && n == 1 && g_str_equal (parts[0], "no-contact"))
    handle_no_contact (self, msg);
  else
    _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
}
