/* relais-link-outbox.c: the station's outbox, delivered to the hub in
 * order, exactly once, with retries and backoff. */

#include "relais-link-private.h"

gint64
_relais_link_backoff_ms (int attempts)
{
  gint64 delay = BACKOFF_MIN_MS;

  for (int i = 0; i < attempts && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);
  /* Jitter, so fifty stations coming back do not knock in step. */
  return delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1);
}

/* The head of the queue carries an attachment: its type's sender delivers
 * it alone, with the queue's retry rules. */
static int
send_attached (RelaisLink       *self,
               RelaisOutboxItem *item,
               gint64            now,
               gboolean         *more,
               GError          **error)
{
  g_autoptr(JsonNode) event = json_from_string (item->body, NULL);
  g_autoptr(GError) local = NULL;
  RelaisLinkAttachmentSender sender;
  RelaisLinkSendResult       result;
  JsonObject                *data;

  g_assert (event != NULL && JSON_NODE_HOLDS_OBJECT (event));
  data = json_object_get_object_member (json_node_get_object (event), "data");
  g_mutex_lock (&self->lock);
  sender = g_hash_table_lookup (self->senders, item->type);
  g_mutex_unlock (&self->lock);
  if (sender == NULL)
    {
      /* Its sender registers when its screen starts: wait for it. */
      g_set_error (&local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_STORE,
                   "nothing sends events of type %s yet", item->type);
      result = RELAIS_LINK_RETRY;
    }
  else
    result = sender (self, data, item->attachment, &local);

  g_mutex_lock (&self->db_lock);
  switch (result)
    {
    case RELAIS_LINK_SENT:
      relais_db_outbox_mark_delivered (self->db, item->key, now, NULL);
      break;
    case RELAIS_LINK_REFUSED:
      g_message ("outbox: event %s refused by the hub: %s", item->key, local != NULL ? local->message : "?");
      relais_db_outbox_mark_rejected (self->db, item->key, now, local != NULL ? local->message : "refused", NULL);
      break;
    case RELAIS_LINK_RETRY:
    default:
      relais_db_outbox_mark_failed (self->db, item->key, now + _relais_link_backoff_ms (item->attempts),
                                    local != NULL ? local->message : "retry", NULL);
      g_mutex_unlock (&self->db_lock);
      if (local == NULL)
        g_set_error_literal (&local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE, "retry later");
      g_propagate_error (error, g_steal_pointer (&local));
      return -1;
    }
  g_mutex_unlock (&self->db_lock);
  *more = TRUE;
  return result == RELAIS_LINK_SENT ? 1 : 0;
}

/* The hub's answer says "never" for what was sent: malformed or not
 * allowed (400, 403, 422…), unknown (404), a key it knows for another event
 * (409), too large (413). Not 401 (our token: retry once it is fixed) nor
 * 429 (slow down). */
static gboolean
hub_refused (const GError *error)
{
  return g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED)
         || g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_NOT_FOUND)
         || g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT)
         || g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE);
}

static char *
events_body (GPtrArray *items)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      RelaisOutboxItem *item = g_ptr_array_index (items, i);
      JsonNode         *event = json_from_string (item->body, NULL);

      /* Our own rows; a corrupt one would be a bug, not input. */
      g_assert (event != NULL);
      json_builder_add_value (builder, event);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Marks what the hub answered for each event; called with db_lock. */
static int
mark_results (RelaisLink *self,
              JsonObject *reply,
              gint64      now)
{
  JsonArray *results = json_object_get_array_member (reply, "results");
  int        delivered = 0;

  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *key = result != NULL ? json_object_get_string_member_with_default (result, "key", NULL) : NULL;

      /* stored, duplicate and refused are all final answers. */
      if (key != NULL && relais_db_outbox_mark_delivered (self->db, key, now, NULL))
        delivered++;
    }
  return delivered;
}

/* The head of the queue failed alone MAX_SERVER_FAILURES times: is it the
 * event, or the hub? The next event without attachment goes alone. If the
 * hub answers it (stored, or even refused), the hub works and the head is
 * what it cannot store; if it fails too, the hub is down and nothing is
 * set aside. Called without db_lock. */
static gboolean
hub_works_without (RelaisLink       *self,
                   RelaisOutboxItem *head,
                   gint64            now)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) probe = g_ptr_array_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  g_mutex_lock (&self->db_lock);
  /* Past every retry time: the head is among them, then the rest. */
  items = relais_db_outbox_due (self->db, RELAIS_OUTBOX_EVENTS, G_MAXINT64, 16, NULL);
  g_mutex_unlock (&self->db_lock);
  for (guint i = 0; items != NULL && i < items->len && probe->len == 0; i++)
    {
      RelaisOutboxItem *item = g_ptr_array_index (items, i);

      if (item->id != head->id)
        g_ptr_array_add (probe, item);
    }
  if (probe->len == 0)
    return FALSE; /* nothing waits behind it: it may keep trying */
  body = events_body (probe);
  reply = _relais_link_request_json (self, "/events", body, &error);
  if (reply == NULL && !hub_refused (error))
    return FALSE;
  if (reply != NULL)
    {
      g_mutex_lock (&self->db_lock);
      mark_results (self, reply, now);
      g_mutex_unlock (&self->db_lock);
    }
  return TRUE;
}

static int
flush_once (RelaisLink      *self,
            RelaisOutboxLane lane,
            gboolean        *more,
            GError         **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char  *body = NULL;
  RelaisOutboxItem *head;
  gint64            now = relais_db_now_ms ();
  int               delivered = 0;

  *more = FALSE;
  g_mutex_lock (&self->db_lock);
  /* An attachment goes alone, through its type's sender. */
  items = relais_db_outbox_due (self->db, lane, now,
                                lane == RELAIS_OUTBOX_ATTACHMENTS ? 1 : self->batch_size, error);
  g_mutex_unlock (&self->db_lock);
  if (items == NULL)
    return -1;
  if (items->len == 0)
    return 0;
  head = g_ptr_array_index (items, 0);
  if (lane == RELAIS_OUTBOX_ATTACHMENTS)
    return send_attached (self, head, now, more, error);
  g_assert (head->attachment == NULL);

  body = events_body (items);
  reply = _relais_link_request_json (self, "/events", body, &local);

  if (reply == NULL && items->len == 1
      && g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_SERVER))
    {
      gboolean set_aside;

      g_mutex_lock (&self->db_lock);
      if (g_strcmp0 (self->failing_key, head->key) != 0)
        {
          g_free (self->failing_key);
          self->failing_key = g_strdup (head->key);
          self->failing_count = 0;
        }
      set_aside = ++self->failing_count >= MAX_SERVER_FAILURES;
      g_mutex_unlock (&self->db_lock);
      if (set_aside && hub_works_without (self, head, now))
        {
          g_autofree char *why = g_strdup_printf ("le hub n'a pas pu l'enregistrer (%u essais) : %s",
                                                  MAX_SERVER_FAILURES, local->message);

          g_message ("outbox: event %s set aside: %s", head->key, why);
          g_mutex_lock (&self->db_lock);
          relais_db_outbox_mark_rejected (self->db, head->key, now, why, NULL);
          g_clear_pointer (&self->failing_key, g_free);
          self->batch_size = BATCH_SIZE;
          g_mutex_unlock (&self->db_lock);
          *more = TRUE;
          return 0;
        }
    }

  g_mutex_lock (&self->db_lock);
  if (reply == NULL && hub_refused (local) && items->len == 1)
    {
      /* The hub will never take this one (a 4xx on it alone): set it
       * aside with the reason, and let the queue behind it move on. */
      g_message ("outbox: event %s refused by the hub: %s", head->key, local->message);
      relais_db_outbox_mark_rejected (self->db, head->key, now, local->message, NULL);
      g_mutex_unlock (&self->db_lock);
      *more = TRUE;
      return 0;
    }
  if (reply == NULL)
    {
      /* One retry time for the whole queue keeps it in order. A batch
       * refused, or that the hub failed to store, is retried one event
       * at a time to find the culprit; a refused one at once. */
      gboolean isolate = hub_refused (local) || g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_SERVER);
      gint64   retry_at = hub_refused (local) ? now : now + _relais_link_backoff_ms (head->attempts);

      self->batch_size = isolate ? 1 : BATCH_SIZE;
      for (guint i = 0; i < items->len; i++)
        {
          RelaisOutboxItem *item = g_ptr_array_index (items, i);
          relais_db_outbox_mark_failed (self->db, item->key, retry_at, local->message, NULL);
        }
      g_mutex_unlock (&self->db_lock);
      g_propagate_error (error, g_steal_pointer (&local));
      return -1;
    }

  delivered = mark_results (self, reply, now);
  self->batch_size = BATCH_SIZE;
  g_clear_pointer (&self->failing_key, g_free);
  g_mutex_unlock (&self->db_lock);
  *more = TRUE; /* until a round finds nothing due */
  return delivered;
}

/* Flushes @lane until nothing in it is due; FALSE with @error when a
 * round fails. */
static gboolean
flush_lane (RelaisLink      *self,
            RelaisOutboxLane lane,
            int             *total,
            GError         **error)
{
  gboolean more = TRUE;

  while (more)
    {
      int n = flush_once (self, lane, &more, error);
      if (n < 0)
        return FALSE;
      *total += n;
    }
  return TRUE;
}

int
relais_link_flush (RelaisLink *self,
                   GError    **error)
{
  g_autoptr(GError) events_error = NULL;
  g_autoptr(GError) attachments_error = NULL;
  int total = 0;

  g_return_val_if_fail (RELAIS_IS_LINK (self), -1);
  g_return_val_if_fail (self->db != NULL, -1);

  /* Events first, and on their own: a help request never waits behind a
   * deposit the hub makes wait. */
  if (!flush_lane (self, RELAIS_OUTBOX_EVENTS, &total, &events_error)
      && g_error_matches (events_error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE))
    {
      /* Out of reach for events, out of reach for deposits too. */
      g_propagate_error (error, g_steal_pointer (&events_error));
      return -1;
    }
  flush_lane (self, RELAIS_OUTBOX_ATTACHMENTS, &total, &attachments_error);
  if (events_error != NULL || attachments_error != NULL)
    {
      g_propagate_error (error, events_error != NULL ? g_steal_pointer (&events_error)
                                                     : g_steal_pointer (&attachments_error));
      return -1;
    }
  return total;
}

gpointer
_relais_link_sender_thread (gpointer user_data)
{
  RelaisLink *self = user_data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gint64 next_due;
      gint64 wait_until;

      g_mutex_lock (&self->db_lock);
      next_due = relais_db_outbox_next_due (self->db);
      g_mutex_unlock (&self->db_lock);

      g_mutex_lock (&self->lock);
      /* Sleep until woken, or until the next retry is due. */
      wait_until = g_get_monotonic_time ()
                   + (next_due < 0 ? 30 * G_TIME_SPAN_SECOND
                                   : MAX (0, next_due - relais_db_now_ms ()) * 1000);
      while (!self->quit && !self->wake)
        if (!g_cond_wait_until (&self->cond, &self->lock, wait_until))
          break;
      self->wake = FALSE;
      if (self->quit)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);

      if (relais_link_flush (self, &error) < 0)
        {
          g_debug ("outbox: %s", error->message);
          if (g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNAUTHORIZED))
            _relais_link_set_state (self, RELAIS_LINK_UNAUTHORIZED);
          else if (g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE))
            _relais_link_set_state (self, RELAIS_LINK_OFFLINE);
        }
    }
  return NULL;
}

void
_relais_link_wake_sender (RelaisLink *self)
{
  g_mutex_lock (&self->lock);
  self->wake = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

char *
relais_link_queue_event (RelaisLink *self,
                         const char *type,
                         JsonObject *data,
                         GError    **error)
{
  return relais_link_queue_event_attached (self, type, data, NULL, error);
}

void
relais_link_set_attachment_sender (RelaisLink                *self,
                                   const char                *type,
                                   RelaisLinkAttachmentSender sender)
{
  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (type != NULL && sender != NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->senders, g_strdup (type), sender);
  g_mutex_unlock (&self->lock);
  _relais_link_wake_sender (self);
}

void
relais_link_retry_now (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  if (self->db == NULL)
    return;
  g_mutex_lock (&self->db_lock);
  relais_db_outbox_retry_now (self->db, NULL);
  g_mutex_unlock (&self->db_lock);
  _relais_link_wake_sender (self);
}

gint64
relais_link_get_pending_of_type (RelaisLink *self,
                                 const char *type)
{
  gint64 pending;

  g_return_val_if_fail (RELAIS_IS_LINK (self), -1);
  if (self->db == NULL)
    return 0;
  g_mutex_lock (&self->db_lock);
  pending = relais_db_outbox_pending_of_type (self->db, type);
  g_mutex_unlock (&self->db_lock);
  return pending;
}

char *
relais_link_queue_event_attached (RelaisLink *self,
                                  const char *type,
                                  JsonObject *data,
                                  GBytes     *attachment,
                                  GError    **error)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *body = NULL;
  JsonNode        *data_node;
  gint64           at = relais_db_now_ms ();
  gboolean         ok;

  g_return_val_if_fail (RELAIS_IS_LINK (self), NULL);
  g_return_val_if_fail (type != NULL && data != NULL, NULL);

  if (self->db == NULL)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_STORE, "ce lien n'a pas de boîte d'envoi");
      return NULL;
    }

  data_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (data_node, owned);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "at");
  json_builder_add_int_value (builder, at);
  json_builder_set_member_name (builder, "data");
  json_builder_add_value (builder, data_node);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  g_mutex_lock (&self->db_lock);
  ok = relais_db_outbox_add_attached (self->db, key, type, at, body, attachment, error);
  g_mutex_unlock (&self->db_lock);
  if (!ok)
    return NULL;

  _relais_link_wake_sender (self);
  return g_steal_pointer (&key);
}

gint64
relais_link_get_pending (RelaisLink *self)
{
  gint64 pending;

  g_return_val_if_fail (RELAIS_IS_LINK (self), -1);
  if (self->db == NULL)
    return 0;
  g_mutex_lock (&self->db_lock);
  pending = relais_db_outbox_pending (self->db);
  g_mutex_unlock (&self->db_lock);
  return pending;
}

gint64
relais_link_get_rejected (RelaisLink *self)
{
  gint64 rejected;

  g_return_val_if_fail (RELAIS_IS_LINK (self), -1);
  if (self->db == NULL)
    return 0;
  g_mutex_lock (&self->db_lock);
  rejected = relais_db_outbox_rejected (self->db);
  g_mutex_unlock (&self->db_lock);
  return rejected;
}
