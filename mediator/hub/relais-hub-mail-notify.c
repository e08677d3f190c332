/* relais-hub-mail-notify.c: the mail's state on the hub (made on first
 * use, with its timers) and its settings, the outbox sender with retries,
 * monthly reminders, expiry notices and the kiosk's hashed snapshot for
 * stations. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

/* ---- the state and its settings ---- */

static gboolean send_tick_cb (gpointer user_data);
static gboolean reminder_tick_cb (gpointer user_data);

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

Mail *
_relais_hub_mail_get (RelaisHub *self)
{
  Mail                *mail = g_object_get_data (G_OBJECT (self), MAIL_KEY);
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
  mail->retention_days = 730;
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
  mail->retention_days = CLAMP (relais_config_get_int (config, "mail", "retention-days"), 1, 36500);
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

gboolean
relais_hub_mail_set_number_format (RelaisHub  *self,
                                   const char *format,
                                   GError    **error)
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

/* ---- the kiosk's snapshot ---- */

/* Stations fetch the snapshot again; debounced so a morning's 200 letters
 * make one fetch, not 200. */
static gboolean
snapshot_cb (gpointer user_data)
{
  Mail      *mail = user_data;
  RelaisHub *self = mail->hub;
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  mail->snapshot_id = 0;
  json_builder_begin_object (builder);
  relais_hub_json_add_bool (builder, "changed", TRUE);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if (sub->client.kind != CLIENT_STATION || g_hash_table_contains (done, sub->client.name))
        continue;
      g_hash_table_add (done, sub->client.name);
    }
  {
    GHashTableIter iter;
    gpointer       name;

    g_hash_table_iter_init (&iter, done);
    while (g_hash_table_iter_next (&iter, &name, NULL))
      _relais_hub_broadcast (self, RELAIS_STREAM_MAIL_SNAPSHOT, node, FALSE, name);
  }
  _relais_hub_broadcast (self, RELAIS_STREAM_MAIL_CHANGED, node, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

void
_relais_hub_mail_changed (Mail *mail)
{
  if (mail->snapshot_id == 0)
    mail->snapshot_id = g_timeout_add (300, snapshot_cb, mail);
}

/* GET /mail-snapshot (stations): {"salt","hours","entries":[[hash,n]…],
 * "ends":[[hash,"YYYY-MM-DD"]…]}; "ends" apart, so that a station of an
 * older version still reads its pairs. */
void
_relais_hub_handle_mail_snapshot (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *salt = relais_db_mail_salt (self->db, &error);
  g_autoptr(GPtrArray) entries = salt != NULL ? relais_db_mail_snapshot (self->db, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (entries == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "salt", salt);
  relais_hub_json_add_string (b, "hours", mail->hours);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      RelaisMailSnapshotEntry *e = g_ptr_array_index (entries, i);
      g_autofree char         *by_number = relais_mail_kiosk_hash (salt, e->number, e->birth_date);

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
  json_builder_set_member_name (b, "ends");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      RelaisMailSnapshotEntry *e = g_ptr_array_index (entries, i);
      g_autofree char         *by_number = NULL;

      if (e->active_to == NULL)
        continue;
      by_number = relais_mail_kiosk_hash (salt, e->number, e->birth_date);
      json_builder_begin_array (b);
      json_builder_add_string_value (b, by_number);
      json_builder_add_string_value (b, e->active_to);
      json_builder_end_array (b);
      if (e->card_id != NULL)
        {
          g_autofree char *by_card = relais_mail_kiosk_hash (salt, e->card_id, NULL);

          json_builder_begin_array (b);
          json_builder_add_string_value (b, by_card);
          json_builder_add_string_value (b, e->active_to);
          json_builder_end_array (b);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* ---- sending ---- */

typedef struct {
  GPtrArray    *notices; /* RelaisMailNotice* */
  GPtrArray    *errors;  /* GError* or NULL, one per notice */
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
      GError           *error = NULL;

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
  Mail    *mail = user_data;
  SendJob *job = g_task_get_task_data (G_TASK (result));
  guint    failed = 0;

  mail->sending = FALSE;
  if (mail->hub == NULL)
    {
      _relais_hub_mail_unref (mail);
      return;
    }
  for (guint i = 0; i < job->notices->len; i++)
    {
      RelaisMailNotice *n = g_ptr_array_index (job->notices, i);
      GError           *sent_error = g_ptr_array_index (job->errors, i);
      g_autoptr(GError) error = NULL;
      gint64 now = _relais_hub_mail_now (mail);
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
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      relais_hub_json_add_int (builder, "failed", failed);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      _relais_hub_broadcast (mail->hub, RELAIS_STREAM_MAIL_NOTICES, node, TRUE, NULL);
    }
  if (job->notices->len == SEND_BATCH)
    relais_hub_mail_kick (mail->hub);
  _relais_hub_mail_unref (mail);
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
  due = relais_db_mail_notices_due (mail->hub->db, _relais_hub_mail_now (mail), SEND_BATCH, &error);
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
  task = g_task_new (NULL, NULL, send_done_cb, _relais_hub_mail_ref (mail));
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
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, kick_cb, _relais_hub_mail_ref (_relais_hub_mail_get (self)), (GDestroyNotify) _relais_hub_mail_unref);
}

int
relais_hub_mail_run_reminders (RelaisHub *self,
                               GError   **error)
{
  Mail          *mail;
  RelaisMailSite site;
  int            queued;

  g_return_val_if_fail (RELAIS_IS_HUB (self), -1);

  mail = _relais_hub_mail_get (self);
  site = _relais_hub_mail_site (mail);
  queued = relais_db_mail_run_reminders (self->db, _relais_hub_mail_now (mail), mail->reminder_ms, mail->max_reminders,
                                         &site, error);
  if (queued > 0)
    relais_hub_mail_kick (self);
  _relais_hub_mail_changed (mail);
  return queued;
}

int
relais_hub_mail_run_expiry (RelaisHub *self,
                            GError   **error)
{
  Mail          *mail;
  RelaisMailSite site;
  int            queued;

  g_return_val_if_fail (RELAIS_IS_HUB (self), -1);

  mail = _relais_hub_mail_get (self);
  site = _relais_hub_mail_site (mail);
  queued = relais_db_mail_run_expiry (self->db, _relais_hub_mail_now (mail), mail->expiry_first_days,
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
