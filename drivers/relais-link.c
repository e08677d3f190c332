/* relais-link.c: a station's or console's link to the hub (libcurl). */
#define G_LOG_DOMAIN "relais-link"

#include "relais-link.h"
#include "relais-db-outbox.h"

#include <curl/curl.h>

G_DEFINE_QUARK (relais-link-error-quark, relais_link_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

#define MAX_RESPONSE_BYTES (4 * 1024 * 1024)
#define MAX_SSE_LINE (1024 * 1024)
#define BATCH_SIZE 200
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 30000
#define STREAM_RETRY_MAX_MS 5000
/* The hub pings every 15 s: 40 s of silence means a dead link. */
#define STREAM_SILENCE_S 40

struct _RelaisLink
{
  GObject          parent_instance;

  char            *url;          /* without trailing slash */
  char            *auth_header;
  char            *session_header;  /* guarded by lock; NULL when logged out */
  char            *pin;          /* guarded by lock; "sha256//…", NULL: none */
  char            *outbox_path;
  GMainContext    *context;      /* where signals are emitted */

  /* Owned; db is shared by the caller's thread (queue) and the sender. */
  RelaisDb        *db;
  GMutex           db_lock;
  guint            batch_size;   /* guarded by db_lock; 1 while isolating a refused event */
  GHashTable      *senders;      /* guarded by lock: event type → RelaisLinkAttachmentSender */

  GThread         *sender;
  GThread         *streamer;
  GMutex           lock;         /* guards the fields below */
  GCond            cond;
  gboolean         quit;
  gboolean         wake;

  RelaisLinkState  state;        /* as last announced on context */
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_STREAM_EVENT,
  SIGNAL_HELP_CHANGED,
  SIGNAL_STATION_CHANGED,
  SIGNAL_RING,
  SIGNAL_READY,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelaisLink, relais_link, G_TYPE_OBJECT)

static void
curl_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

/* ---- announcing on the owner's main context ---- */

typedef struct {
  RelaisLink      *self;     /* owned ref */
  guint            signal;   /* 0: state change */
  GQuark           detail;   /* for stream-event: the event's name */
  RelaisLinkState  state;
  JsonObject      *object;   /* owned, may be NULL */
} Announce;

static void
announce_free (Announce *a)
{
  g_object_unref (a->self);
  g_clear_pointer (&a->object, json_object_unref);
  g_free (a);
}

static gboolean
announce_cb (gpointer user_data)
{
  Announce *a = user_data;

  if (a->signal == 0)
    {
      if (a->self->state != a->state)
        {
          a->self->state = a->state;
          g_object_notify_by_pspec (G_OBJECT (a->self), properties[PROP_STATE]);
        }
    }
  else if (a->signal == signals[SIGNAL_STREAM_EVENT])
    g_signal_emit (a->self, a->signal, a->detail, g_quark_to_string (a->detail), a->object);
  else if (a->object != NULL)
    g_signal_emit (a->self, a->signal, 0, a->object);
  else
    g_signal_emit (a->self, a->signal, 0);
  return G_SOURCE_REMOVE;
}

static void
announce (RelaisLink      *self,
          guint            signal,
          RelaisLinkState  state,
          JsonObject      *object)
{
  Announce *a = g_new0 (Announce, 1);

  a->self = g_object_ref (self);
  a->signal = signal;
  a->state = state;
  a->object = object;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, announce_cb, a,
                              (GDestroyNotify) announce_free);
}

static void
set_state (RelaisLink      *self,
           RelaisLinkState  state)
{
  announce (self, 0, state, NULL);
}

/* ---- HTTP ---- */

typedef struct {
  GByteArray *data;
  gboolean    too_large;
} Sink;

static size_t
sink_write_cb (char *ptr, size_t size, size_t nmemb, void *user_data)
{
  Sink *sink = user_data;
  size_t n = size * nmemb;

  if (sink->data->len + n > MAX_RESPONSE_BYTES)
    {
      sink->too_large = TRUE;
      return 0;
    }
  g_byte_array_append (sink->data, (const guint8 *) ptr, n);
  return n;
}

static gboolean
quit_requested (RelaisLink *self)
{
  gboolean quit;

  g_mutex_lock (&self->lock);
  quit = self->quit;
  g_mutex_unlock (&self->lock);
  return quit;
}

static int
xferinfo_cb (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  return quit_requested (user_data) ? 1 : 0;
}

static CURL *
new_handle (RelaisLink         *self,
            const char         *path,
            struct curl_slist **headers,
            char               *errbuf)
{
  g_autofree char *url = g_strconcat (self->url, "/api/v1", path, NULL);
  CURL *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt (curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, self);
  *headers = curl_slist_append (*headers, self->auth_header);
  g_mutex_lock (&self->lock);
  if (self->session_header != NULL)
    *headers = curl_slist_append (*headers, self->session_header);
  /* A site hub has a self-signed certificate: no CA can vouch for it, the
   * pin does. curl checks the pin even with peer verification off, and
   * fails the handshake when the hub's key is not the pinned one. Without
   * a pin, https keeps curl's usual CA and host name checks. The pin only
   * exists with an https:// URL (relais_link_set_pin ()). */
  if (self->pin != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, self->pin);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  g_mutex_unlock (&self->lock);
  *headers = curl_slist_append (*headers, "Content-Type: application/json");
  *headers = curl_slist_append (*headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, *headers);
  errbuf[0] = '\0';
  return curl;
}

/* Maps a finished transfer to an error, translating curl exactly once. */
static gboolean
check_transfer (CURLcode     rc,
                const char  *errbuf,
                long         status,
                GByteArray  *body,
                gboolean     too_large,
                GError     **error)
{
  g_autofree char *message = NULL;

  if (too_large)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE, "réponse du hub trop grande");
      return FALSE;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE,
                   "Le hub ne répond pas : %s", *errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      return FALSE;
    }
  if (status >= 200 && status < 300)
    return TRUE;

  /* The hub explains refusals as {"error": "..."}. */
  if (body != NULL && body->len > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, (const char *) body->data, body->len, NULL)
          && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        message = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL));
    }
  if (message == NULL)
    message = g_strdup_printf ("HTTP %ld", status);

  g_set_error (error, RELAIS_LINK_ERROR,
               status == 401 ? RELAIS_LINK_ERROR_UNAUTHORIZED :
               status == 404 ? RELAIS_LINK_ERROR_NOT_FOUND :
               status == 409 ? RELAIS_LINK_ERROR_CONFLICT :
               status == 413 ? RELAIS_LINK_ERROR_TOO_LARGE :
               status >= 500 ? RELAIS_LINK_ERROR_SERVER : RELAIS_LINK_ERROR_REFUSED,
               "%s", message);
  return FALSE;
}

/* One request with a JSON answer. @body NULL makes a GET. */
static JsonObject *
request_json (RelaisLink  *self,
              const char  *path,
              const char  *body,
              GError     **error)
{
  struct curl_slist *headers = NULL;
  char errbuf[CURL_ERROR_SIZE];
  g_autoptr(CURL) curl = new_handle (self, path, &headers, errbuf);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  Sink sink = { data, FALSE };
  long status = 0;
  CURLcode rc;
  JsonNode *root;

  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &sink);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);

  if (!check_transfer (rc, errbuf, status, data, sink.too_large, error))
    return NULL;
  if (!json_parser_load_from_data (parser, (const char *) data->data, data->len, &parse_error)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "réponse illisible du hub : %s", parse_error != NULL ? parse_error->message : "pas un objet");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
relais_link_get_json (RelaisLink  *self,
                      const char  *path,
                      GError     **error)
{
  g_return_val_if_fail (RELAIS_IS_LINK (self), NULL);
  return request_json (self, path, NULL, error);
}

/* ---- outbox sender ---- */

static gint64
backoff_ms (int attempts)
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
  RelaisLinkSendResult result;
  JsonObject *data;

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
      relais_db_outbox_mark_failed (self->db, item->key, now + backoff_ms (item->attempts),
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

static int
flush_once (RelaisLink  *self,
            gboolean    *more,
            GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *body = NULL;
  JsonArray *results;
  gint64 now = relais_db_now_ms ();
  int delivered = 0;

  *more = FALSE;
  g_mutex_lock (&self->db_lock);
  items = relais_db_outbox_due (self->db, now, self->batch_size, error);
  g_mutex_unlock (&self->db_lock);
  if (items == NULL)
    return -1;
  if (items->len == 0)
    return 0;
  if (((RelaisOutboxItem *) g_ptr_array_index (items, 0))->attachment != NULL)
    return send_attached (self, g_ptr_array_index (items, 0), now, more, error);
  /* A batch stops before the next event with an attachment: order holds. */
  for (guint i = 1; i < items->len; i++)
    if (((RelaisOutboxItem *) g_ptr_array_index (items, i))->attachment != NULL)
      {
        g_ptr_array_set_size (items, i);
        break;
      }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      RelaisOutboxItem *item = g_ptr_array_index (items, i);
      JsonNode *event = json_from_string (item->body, NULL);

      /* Our own rows; a corrupt one would be a bug, not input. */
      g_assert (event != NULL);
      json_builder_add_value (builder, event);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);

  reply = request_json (self, "/events", body, &local);
  g_mutex_lock (&self->db_lock);
  if (reply == NULL && g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED) && items->len == 1)
    {
      /* The hub will never take this one (a 400 on it alone): set it
       * aside with the reason, and let the queue behind it move on. */
      RelaisOutboxItem *item = g_ptr_array_index (items, 0);

      g_message ("outbox: event %s refused by the hub: %s", item->key, local->message);
      relais_db_outbox_mark_rejected (self->db, item->key, now, local->message, NULL);
      g_mutex_unlock (&self->db_lock);
      *more = TRUE;
      return 0;
    }
  if (reply == NULL)
    {
      /* One retry time for the whole queue keeps it in order; a refused
       * batch is retried one event at a time to find the culprit. */
      RelaisOutboxItem *head = g_ptr_array_index (items, 0);
      gint64 retry_at = g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED)
                        ? now : now + backoff_ms (head->attempts);

      self->batch_size = g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED) ? 1 : BATCH_SIZE;
      for (guint i = 0; i < items->len; i++)
        {
          RelaisOutboxItem *item = g_ptr_array_index (items, i);
          relais_db_outbox_mark_failed (self->db, item->key, retry_at, local->message, NULL);
        }
      g_mutex_unlock (&self->db_lock);
      g_propagate_error (error, g_steal_pointer (&local));
      return -1;
    }

  results = json_object_get_array_member (reply, "results");
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *key = result != NULL ? json_object_get_string_member_with_default (result, "key", NULL) : NULL;

      /* stored, duplicate and refused are all final answers. */
      if (key != NULL && relais_db_outbox_mark_delivered (self->db, key, now, NULL))
        delivered++;
    }
  self->batch_size = BATCH_SIZE;
  g_mutex_unlock (&self->db_lock);
  *more = TRUE;   /* until a round finds nothing due */
  return delivered;
}

int
relais_link_flush (RelaisLink  *self,
                   GError     **error)
{
  int total = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (RELAIS_IS_LINK (self), -1);
  g_return_val_if_fail (self->db != NULL, -1);

  while (more)
    {
      int n = flush_once (self, &more, error);
      if (n < 0)
        return -1;
      total += n;
    }
  return total;
}

static gpointer
sender_thread (gpointer user_data)
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
            set_state (self, RELAIS_LINK_UNAUTHORIZED);
          else if (g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE))
            set_state (self, RELAIS_LINK_OFFLINE);
        }
    }
  return NULL;
}

static void
wake_sender (RelaisLink *self)
{
  g_mutex_lock (&self->lock);
  self->wake = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

char *
relais_link_queue_event (RelaisLink  *self,
                         const char  *type,
                         JsonObject  *data,
                         GError     **error)
{
  return relais_link_queue_event_attached (self, type, data, NULL, error);
}

void
relais_link_set_attachment_sender (RelaisLink                 *self,
                                   const char                 *type,
                                   RelaisLinkAttachmentSender  sender)
{
  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (type != NULL && sender != NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->senders, g_strdup (type), sender);
  g_mutex_unlock (&self->lock);
  wake_sender (self);
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
  wake_sender (self);
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
relais_link_queue_event_attached (RelaisLink  *self,
                                  const char  *type,
                                  JsonObject  *data,
                                  GBytes      *attachment,
                                  GError     **error)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *body = NULL;
  JsonNode *data_node;
  gint64 at = relais_db_now_ms ();
  gboolean ok;

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

  wake_sender (self);
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

/* ---- live stream ---- */

typedef struct {
  RelaisLink *self;
  GString    *line;
  GString    *data;
  char       *event;
  char       *last_id;     /* survives reconnections */
  gboolean    overflow;
} Stream;

static void
stream_dispatch (Stream *stream)
{
  RelaisLink *self = stream->self;

  if (stream->event != NULL && g_str_equal (stream->event, "ready"))
    {
      set_state (self, RELAIS_LINK_ONLINE);
      announce (self, signals[SIGNAL_READY], 0, NULL);
      /* The link is back: what waited in the outbox goes now. */
      if (self->db != NULL)
        {
          g_mutex_lock (&self->db_lock);
          relais_db_outbox_retry_now (self->db, NULL);
          g_mutex_unlock (&self->db_lock);
          wake_sender (self);
        }
    }
  else if (stream->event != NULL && stream->data->len > 0)
    {
      guint signal = g_str_equal (stream->event, "help") ? signals[SIGNAL_HELP_CHANGED]
                   : g_str_equal (stream->event, "station") ? signals[SIGNAL_STATION_CHANGED]
                   : g_str_equal (stream->event, "ring") ? signals[SIGNAL_RING] : 0;
      JsonNode *node = signal != 0 ? json_from_string (stream->data->str, NULL) : NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        announce (self, signal, 0, json_object_ref (json_node_get_object (node)));
      else if (signal != 0)
        g_debug ("stream: unreadable %s event ignored", stream->event);
      g_clear_pointer (&node, json_node_unref);

      /* Every event, for the areas that follow their own (mail, safe…);
       * unknown ones are for newer clients and harmless. */
      node = json_from_string (stream->data->str, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          Announce *a = g_new0 (Announce, 1);

          a->self = g_object_ref (self);
          a->signal = signals[SIGNAL_STREAM_EVENT];
          a->detail = g_quark_from_string (stream->event);
          a->object = json_object_ref (json_node_get_object (node));
          g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, announce_cb, a,
                                      (GDestroyNotify) announce_free);
        }
      g_clear_pointer (&node, json_node_unref);
    }
  g_string_truncate (stream->data, 0);
  g_clear_pointer (&stream->event, g_free);
}

static void
stream_line (Stream     *stream,
             const char *line)
{
  const char *colon;
  const char *value;
  g_autofree char *field = NULL;

  if (*line == '\0')
    {
      stream_dispatch (stream);
      return;
    }
  if (*line == ':')
    return;   /* a comment: keep-alive */
  colon = strchr (line, ':');
  field = colon != NULL ? g_strndup (line, colon - line) : g_strdup (line);
  value = colon != NULL ? colon + 1 : "";
  if (*value == ' ')
    value++;

  if (g_str_equal (field, "data"))
    {
      if (stream->data->len > 0)
        g_string_append_c (stream->data, '\n');
      g_string_append (stream->data, value);
    }
  else if (g_str_equal (field, "event"))
    {
      g_free (stream->event);
      stream->event = g_strdup (value);
    }
  else if (g_str_equal (field, "id"))
    {
      g_free (stream->last_id);
      stream->last_id = g_strdup (value);
    }
}

static size_t
stream_write_cb (char *ptr, size_t size, size_t nmemb, void *user_data)
{
  Stream *stream = user_data;
  size_t n = size * nmemb;

  for (size_t i = 0; i < n; i++)
    {
      char c = ptr[i];

      if (c == '\r')
        continue;
      if (c == '\n')
        {
          stream_line (stream, stream->line->str);
          g_string_truncate (stream->line, 0);
          continue;
        }
      if (stream->line->len >= MAX_SSE_LINE)
        {
          stream->overflow = TRUE;
          return 0;
        }
      g_string_append_c (stream->line, c);
    }
  return n;
}

static gpointer
stream_thread (gpointer user_data)
{
  RelaisLink *self = user_data;
  Stream stream = { self, g_string_new (NULL), g_string_new (NULL), NULL, NULL, FALSE };
  gint64 retry_ms = 250;

  while (!quit_requested (self))
    {
      struct curl_slist *headers = NULL;
      char errbuf[CURL_ERROR_SIZE];
      g_autoptr(CURL) curl = new_handle (self, "/stream", &headers, errbuf);
      g_autofree char *last_id_header = NULL;
      CURLcode rc;
      long status = 0;

      if (stream.last_id != NULL)
        {
          last_id_header = g_strdup_printf ("Last-Event-ID: %s", stream.last_id);
          headers = curl_slist_append (headers, last_id_header);
          curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
        }
      curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, stream_write_cb);
      curl_easy_setopt (curl, CURLOPT_WRITEDATA, &stream);
      curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, (long) STREAM_SILENCE_S);
      curl_easy_setopt (curl, CURLOPT_FAILONERROR, 1L);
      g_string_truncate (stream.line, 0);
      g_string_truncate (stream.data, 0);
      g_clear_pointer (&stream.event, g_free);
      stream.overflow = FALSE;

      rc = curl_easy_perform (curl);
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      curl_slist_free_all (headers);
      if (quit_requested (self))
        break;

      g_debug ("stream ended: %s (HTTP %ld)", *errbuf ? errbuf : curl_easy_strerror (rc), status);
      set_state (self, status == 401 ? RELAIS_LINK_UNAUTHORIZED : RELAIS_LINK_OFFLINE);
      if (status == 200)
        retry_ms = 250;   /* it worked until now: come back quickly */

      g_mutex_lock (&self->lock);
      {
        gint64 until = g_get_monotonic_time () + retry_ms * 1000;
        while (!self->quit && g_cond_wait_until (&self->cond, &self->lock, until))
          ;
      }
      g_mutex_unlock (&self->lock);
      retry_ms = MIN (retry_ms * 2, STREAM_RETRY_MAX_MS);
    }

  g_string_free (stream.line, TRUE);
  g_string_free (stream.data, TRUE);
  g_free (stream.event);
  g_free (stream.last_id);
  return NULL;
}

/* ---- console actions ---- */

typedef struct {
  char *path;
  char *body;
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_free (data->path);
  if (data->body != NULL)
    memset (data->body, 0, strlen (data->body));   /* may hold a password */
  g_free (data->body);
  g_free (data);
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RelaisLink *self = source_object;
  ActionData *data = task_data;
  GError *error = NULL;
  JsonObject *reply = request_json (self, data->path, data->body, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) json_object_unref);
}

static void
post_async (RelaisLink          *self,
            gpointer             source_tag,
            char                *path,
            JsonNode            *body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ActionData *data = g_new0 (ActionData, 1);

  data->path = path;
  if (body != NULL)
    {
      data->body = json_to_string (body, FALSE);
      json_node_unref (body);
    }
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) action_data_free);
  g_task_run_in_thread (task, action_thread);
}

void
relais_link_help_action_async (RelaisLink          *self,
                               const char          *id,
                               const char          *verb,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *escaped = NULL;

  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (id != NULL && verb != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_end_object (builder);
  post_async (self, relais_link_help_action_async, g_strdup_printf ("/help/%s/%s", escaped, verb),
              json_builder_get_root (builder), cancellable, callback, user_data);
}

JsonObject *
relais_link_help_action_finish (RelaisLink    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
relais_link_request_async (RelaisLink          *self,
                           const char          *path,
                           JsonNode            *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  post_async (self, relais_link_request_async, g_strdup (path), body, cancellable, callback, user_data);
}

JsonObject *
relais_link_request_finish (RelaisLink    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- raw transfers (the digital safe's ciphertext) ---- */

typedef struct {
  GByteArray *data;
  gsize       max;
  gboolean    too_large;
} RawSink;

static size_t
raw_sink_write_cb (char *ptr, size_t size, size_t nmemb, void *user_data)
{
  RawSink *sink = user_data;
  size_t n = size * nmemb;

  if (sink->data->len + n > sink->max)
    {
      sink->too_large = TRUE;
      return 0;
    }
  g_byte_array_append (sink->data, (const guint8 *) ptr, n);
  return n;
}

GBytes *
relais_link_transfer (RelaisLink          *self,
                      const char          *method,
                      const char          *path,
                      GBytes              *body,
                      const char * const  *extra_headers,
                      gsize                max_response,
                      long                *status,
                      GError             **error)
{
  struct curl_slist *headers = NULL;
  char errbuf[CURL_ERROR_SIZE];
  g_autoptr(CURL) curl = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  RawSink sink = { data, max_response, FALSE };
  CURLcode rc;

  g_return_val_if_fail (RELAIS_IS_LINK (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && path[0] == '/' && status != NULL, NULL);

  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
    headers = curl_slist_append (headers, extra_headers[i]);
  curl = new_handle (self, path, &headers, errbuf);
  /* A 20 MB scan over a slow site network: minutes, not seconds. */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 300000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, raw_sink_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &sink);
  if (body != NULL)
    {
      gsize length = 0;
      const void *bytes = g_bytes_get_data (body, &length);

      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, length > 0 ? bytes : "");
    }
  if (!g_str_equal (method, body != NULL ? "POST" : "GET"))
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  rc = curl_easy_perform (curl);
  *status = 0;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
  curl_slist_free_all (headers);

  if (sink.too_large)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE, "réponse du hub trop grande");
      return NULL;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE,
                   "Le hub ne répond pas : %s", *errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RelaisLink *self = RELAIS_LINK (object);
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  JsonObject *reply = g_task_propagate_pointer (G_TASK (result), &error);
  const char *session;

  if (reply == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  session = json_object_get_string_member_with_default (reply, "session", NULL);
  if (session == NULL)
    {
      json_object_unref (reply);
      g_task_return_new_error (outer, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL, "réponse de connexion sans session");
      return;
    }
  g_mutex_lock (&self->lock);
  g_free (self->session_header);
  self->session_header = g_strdup_printf ("X-Relais-Session: %s", session);
  g_mutex_unlock (&self->lock);
  /* The session stays inside the link. */
  json_object_remove_member (reply, "session");
  g_task_return_pointer (outer, reply, (GDestroyNotify) json_object_unref);
}

void
relais_link_login_async (RelaisLink          *self,
                         const char          *login,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GTask *outer;

  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (login != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, relais_link_login_async);
  post_async (self, relais_link_login_async, g_strdup ("/login"), json_builder_get_root (builder),
              cancellable, login_done_cb, outer);
}

JsonObject *
relais_link_login_finish (RelaisLink    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
logout_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JsonObject) reply = g_task_propagate_pointer (G_TASK (result), NULL);
}

void
relais_link_logout (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  if (!relais_link_has_session (self))
    return;
  /* The request carries the session header; it is forgotten once sent. */
  post_async (self, relais_link_logout, g_strdup ("/logout"), json_from_string ("{}", NULL),
              NULL, logout_done_cb, NULL);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->session_header, g_free);
  g_mutex_unlock (&self->lock);
}

gboolean
relais_link_has_session (RelaisLink *self)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = self->session_header != NULL;
  g_mutex_unlock (&self->lock);
  return has;
}

/* ---- life cycle ---- */

static void
relais_link_dispose (GObject *object)
{
  relais_link_stop (RELAIS_LINK (object));
  G_OBJECT_CLASS (relais_link_parent_class)->dispose (object);
}

static void
relais_link_finalize (GObject *object)
{
  RelaisLink *self = RELAIS_LINK (object);

  g_clear_pointer (&self->db, relais_db_close);
  g_clear_pointer (&self->senders, g_hash_table_unref);
  g_mutex_clear (&self->db_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->url);
  g_free (self->auth_header);
  g_free (self->session_header);
  g_free (self->pin);
  g_free (self->outbox_path);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (relais_link_parent_class)->finalize (object);
}

static void
relais_link_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RelaisLink *self = RELAIS_LINK (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relais_link_class_init (RelaisLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relais_link_dispose;
  object_class->finalize = relais_link_finalize;
  object_class->get_property = relais_link_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL,
                                             RELAIS_LINK_OFFLINE, RELAIS_LINK_UNAUTHORIZED,
                                             RELAIS_LINK_OFFLINE,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STREAM_EVENT] = g_signal_new ("stream-event", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
  signals[SIGNAL_HELP_CHANGED] = g_signal_new ("help-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[SIGNAL_STATION_CHANGED] = g_signal_new ("station-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[SIGNAL_RING] = g_signal_new ("ring", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
}

static void
relais_link_init (RelaisLink *self)
{
  g_mutex_init (&self->db_lock);
  g_mutex_init (&self->lock);
  self->batch_size = BATCH_SIZE;
  self->senders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_cond_init (&self->cond);
  self->state = RELAIS_LINK_CONNECTING;
}

RelaisLink *
relais_link_new (const char  *hub_url,
                 const char  *token,
                 const char  *outbox_path,
                 GError     **error)
{
  g_autoptr(RelaisLink) self = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (hub_url != NULL, NULL);

  uri = g_uri_parse (hub_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    {
      g_prefix_error (error, "Adresse du hub invalide : ");
      return NULL;
    }
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "Adresse du hub invalide : %s (http:// ou https:// attendu)", hub_url);
      return NULL;
    }

  curl_init_once ();
  self = g_object_new (RELAIS_TYPE_LINK, NULL);
  self->url = g_strdup (hub_url);
  while (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->auth_header = g_strdup_printf ("Authorization: Bearer %s", token != NULL ? token : "");
  self->context = g_main_context_ref_thread_default ();
  if (outbox_path != NULL)
    {
      self->outbox_path = g_strdup (outbox_path);
      self->db = relais_db_open (outbox_path, RELAIS_DB_STATION, error);
      if (self->db == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

/* One pin: "sha256//" + the base64 of 32 bytes. */
static gboolean
pin_is_valid (const char *pin,
              gsize       length)
{
  const gsize prefix = strlen ("sha256//");

  if (length != prefix + 44 || strncmp (pin, "sha256//", prefix) != 0 || pin[length - 1] != '=')
    return FALSE;
  for (gsize i = prefix; i < length - 1; i++)
    if (!g_ascii_isalnum (pin[i]) && pin[i] != '+' && pin[i] != '/')
      return FALSE;
  return TRUE;
}

gboolean
relais_link_set_pin (RelaisLink  *self,
                     const char  *pin,
                     GError     **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (RELAIS_IS_LINK (self), FALSE);

  if (pin != NULL && *pin != '\0')
    {
      /* Several pins, separated by ';', let a site change its key without
       * a day when stations cannot connect. */
      const char *start = pin;

      for (;;)
        {
          const char *end = strchr (start, ';');
          gsize length = end != NULL ? (gsize) (end - start) : strlen (start);

          if (!pin_is_valid (start, length))
            {
              g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                           "Empreinte de la clé du hub invalide : « %s » (attendu : « sha256//… », "
                           "tel que l'affiche « relais-hub tls-pin »)", pin);
              return FALSE;
            }
          if (end == NULL)
            break;
          start = end + 1;
        }
      /* Over plain http the pin would protect nothing: say so rather than
       * let a site believe its link is checked. */
      if (g_strcmp0 (g_uri_peek_scheme (self->url), "https") != 0)
        {
          g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                       "Une empreinte de clé (pin) est donnée mais l'adresse du hub n'est pas en https:// : %s",
                       self->url);
          return FALSE;
        }
      copy = g_strdup (pin);
    }

  g_mutex_lock (&self->lock);
  g_free (self->pin);
  self->pin = g_steal_pointer (&copy);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
relais_link_start (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  if (self->streamer != NULL)
    return;
  self->quit = FALSE;
  self->streamer = g_thread_new ("relais-link-stream", stream_thread, self);
  if (self->db != NULL)
    self->sender = g_thread_new ("relais-link-send", sender_thread, self);
}

void
relais_link_stop (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->streamer, g_thread_join);
  g_clear_pointer (&self->sender, g_thread_join);
}

RelaisLinkState
relais_link_get_state (RelaisLink *self)
{
  g_return_val_if_fail (RELAIS_IS_LINK (self), RELAIS_LINK_OFFLINE);
  return self->state;
}

const char *
relais_link_get_url (RelaisLink *self)
{
  return self->url;
}
