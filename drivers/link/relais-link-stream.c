/* relais-link-stream.c: following the hub's server-sent events and
 * re-emitting them on the link's main context. */

#include "relais-link-private.h"

typedef struct {
  RelaisLink  *self;
  RelaisBuffer line;
  RelaisBuffer data; /* the event's "data:" lines, joined by '\n' */
  char        *event;
  char        *last_id; /* survives reconnections */
} Stream;

/* The one place the JSON of a help request is read; past here it is a
 * typed record. NULL for one without an id or with a state this link
 * does not know (a newer hub's): no screen could show it. */
RelaisHelpRequest *
_relais_link_help_from_json (JsonObject *object)
{
  const char        *id = json_object_get_string_member_with_default (object, "id", NULL);
  RelaisHelpState    state = relais_help_state_from_string (json_object_get_string_member_with_default (object, "state", NULL));
  RelaisHelpRequest *request;

  if (id == NULL || state == RELAIS_HELP_STATE_UNKNOWN)
    return NULL;
  request = g_new0 (RelaisHelpRequest, 1);
  request->id = g_strdup (id);
  request->state = state;
  request->station = g_strdup (json_object_get_string_member_with_default (object, "station", NULL));
  request->category = relais_help_category_from_string (json_object_get_string_member_with_default (object, "category", NULL));
  request->language = g_strdup (json_object_get_string_member_with_default (object, "language", NULL));
  request->origin = relais_help_origin_from_string (json_object_get_string_member_with_default (object, "origin", NULL));
  request->reason = g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
  request->context = g_strdup (json_object_get_string_member_with_default (object, "context", NULL));
  if (request->context != NULL)
    request->context_kind = relais_help_context_kind_from_string (json_object_get_string_member_with_default (object, "context_kind", NULL));
  request->raised_at = json_object_get_int_member_with_default (object, "raised_at", 0);
  request->seen_at = json_object_get_int_member_with_default (object, "seen_at", 0);
  request->taken_at = json_object_get_int_member_with_default (object, "taken_at", 0);
  request->taken_by = g_strdup (json_object_get_string_member_with_default (object, "taken_by", NULL));
  request->closed_at = json_object_get_int_member_with_default (object, "closed_at", 0);
  request->seq = json_object_get_int_member_with_default (object, "seq", 0);
  return request;
}

/* The one place the JSON of a station's status is read. NULL without a
 * name. */
static RelaisStationStatus *
station_status_from_json (JsonObject *object)
{
  const char          *name = json_object_get_string_member_with_default (object, "name", NULL);
  RelaisStationStatus *status;

  if (name == NULL)
    return NULL;
  status = g_new0 (RelaisStationStatus, 1);
  status->name = g_strdup (name);
  status->online = json_object_get_boolean_member_with_default (object, "online", FALSE);
  status->step = relais_station_step_from_string (json_object_get_string_member_with_default (object, "step", NULL));
  status->in_session = json_object_get_boolean_member_with_default (object, "in_session", FALSE);
  status->since = json_object_get_int_member_with_default (object, "since", 0);
  status->ends_at = json_object_get_int_member_with_default (object, "ends_at", 0);
  status->last_event_at = json_object_get_int_member_with_default (object, "last_event_at", 0);
  return status;
}

static void
stream_dispatch (Stream *stream)
{
  RelaisLink       *self = stream->self;
  RelaisStreamEvent event = relais_stream_event_from_string (stream->event);

  if (event == RELAIS_STREAM_READY)
    {
      _relais_link_set_state (self, RELAIS_LINK_ONLINE);
      _relais_link_announce (self, _relais_link_signals[SIGNAL_READY], 0, NULL);
      /* The link is back: what waited in the outbox goes now. */
      if (self->db != NULL)
        {
          g_mutex_lock (&self->db_lock);
          relais_db_outbox_retry_now (self->db, NULL);
          g_mutex_unlock (&self->db_lock);
          _relais_link_wake_sender (self);
        }
    }
  else if (stream->data.too_large)
    {
      /* Its memory was never taken: the lines past the cap were dropped. */
      g_debug ("stream: %s event past %zu bytes ignored", stream->event != NULL ? stream->event : "(untyped)",
               stream->data.max);
    }
  else if (stream->event != NULL && stream->data.data->len > 0)
    {
      JsonNode          *node = json_from_string (stream->data.data->str, NULL);
      JsonObject        *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      RelaisHelpRequest *request = NULL;

      switch (event)
        {
        case RELAIS_STREAM_HELP:
        case RELAIS_STREAM_RING:
          request = object != NULL ? _relais_link_help_from_json (object) : NULL;
          if (request != NULL)
            _relais_link_announce_boxed (self, _relais_link_signals[event == RELAIS_STREAM_HELP ? SIGNAL_HELP_CHANGED : SIGNAL_RING],
                                         RELAIS_TYPE_HELP_REQUEST, request);
          else
            g_debug ("stream: unreadable %s event ignored", stream->event);
          break;
        case RELAIS_STREAM_STATION:
          {
            RelaisStationStatus *status = object != NULL ? station_status_from_json (object) : NULL;

            if (status != NULL)
              _relais_link_announce_boxed (self, _relais_link_signals[SIGNAL_STATION_CHANGED],
                                           RELAIS_TYPE_STATION_STATUS, status);
            else
              g_debug ("stream: unreadable %s event ignored", stream->event);
          }
          break;
        case RELAIS_STREAM_UNKNOWN:
        case RELAIS_STREAM_READY:
        case RELAIS_STREAM_MAIL_CHANGED:
        case RELAIS_STREAM_MAIL_NOTICES:
        case RELAIS_STREAM_MAIL_SNAPSHOT:
        case RELAIS_STREAM_SAFE:
        case RELAIS_STREAM_CENTRAL:
        case RELAIS_STREAM_N_EVENTS:
        default:
          break;
        }
      g_clear_pointer (&node, json_node_unref);

      /* Every event, for the areas that follow their own (mail, safe…);
       * unknown ones are for newer clients and harmless. */
      node = json_from_string (stream->data.data->str, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          _relais_link_announce_event (self, g_quark_from_string (stream->event),
                                       json_object_ref (json_node_get_object (node)));
        }
      g_clear_pointer (&node, json_node_unref);
    }
  relais_buffer_reset (&stream->data);
  g_clear_pointer (&stream->event, g_free);
}

static void
stream_line (Stream     *stream,
             const char *line)
{
  const char      *colon;
  const char      *value;
  g_autofree char *field = NULL;

  if (*line == '\0')
    {
      stream_dispatch (stream);
      return;
    }
  if (*line == ':')
    return; /* a comment: keep-alive */
  colon = strchr (line, ':');
  field = colon != NULL ? g_strndup (line, colon - line) : g_strdup (line);
  value = colon != NULL ? colon + 1 : "";
  if (*value == ' ')
    value++;

  if (g_str_equal (field, "data"))
    {
      /* Past the cap the event is dropped whole (stream_dispatch). */
      if (stream->data.data->len > 0)
        relais_buffer_append (&stream->data, "\n", 1);
      relais_buffer_append (&stream->data, value, strlen (value));
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
  size_t  n = size * nmemb;

  for (size_t i = 0; i < n; i++)
    {
      char c = ptr[i];

      if (c == '\r')
        continue;
      if (c == '\n')
        {
          stream_line (stream, stream->line.data->str);
          relais_buffer_reset (&stream->line);
          continue;
        }
      /* A line past its cap: the hub is broken, the connection ends. */
      if (!relais_buffer_append (&stream->line, &c, 1))
        return 0;
    }
  return n;
}

gpointer
_relais_link_stream_thread (gpointer user_data)
{
  RelaisLink *self = user_data;
  Stream      stream = { self };
  gint64      retry_ms = 250;

  relais_buffer_init (&stream.line, RELAIS_LINK_MAX_STREAM_LINE);
  relais_buffer_init (&stream.data, RELAIS_LINK_MAX_STREAM_EVENT);

  while (!_relais_link_quit_requested (self))
    {
      struct curl_slist *headers = NULL;
      char               errbuf[CURL_ERROR_SIZE];
      CURL              *curl = _relais_link_take_handle (self, "/stream", &headers, errbuf);
      g_autofree char   *last_id_header = NULL;
      CURLcode           rc;
      long               status = 0;

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
      relais_buffer_reset (&stream.line);
      relais_buffer_reset (&stream.data);
      g_clear_pointer (&stream.event, g_free);

      rc = curl_easy_perform (curl);
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      _relais_link_give_handle (self, curl);
      curl_slist_free_all (headers);
      if (_relais_link_quit_requested (self))
        break;

      g_debug ("stream ended: %s (HTTP %ld)", *errbuf ? errbuf : curl_easy_strerror (rc), status);
      _relais_link_set_state (self, status == 401 ? RELAIS_LINK_UNAUTHORIZED : RELAIS_LINK_OFFLINE);
      if (status == 200)
        retry_ms = 250; /* it worked until now: come back quickly */

      g_mutex_lock (&self->lock);
      {
        gint64 until = g_get_monotonic_time () + retry_ms * 1000;
        while (!self->quit && g_cond_wait_until (&self->cond, &self->lock, until))
          ;
      }
      g_mutex_unlock (&self->lock);
      retry_ms = MIN (retry_ms * 2, STREAM_RETRY_MAX_MS);
    }

  relais_buffer_clear (&stream.line);
  relais_buffer_clear (&stream.data);
  g_free (stream.event);
  g_free (stream.last_id);
  return NULL;
}
