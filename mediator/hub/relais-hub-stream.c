/* relais-hub-stream.c: the live stream (server-sent events) to stations
 * and consoles, with catch-up on reconnection. */

#include "relais-hub-private.h"
#include "relais-hub-central-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-db-stations.h"

#define CHUNK_OVERHEAD 64

void
_relais_hub_subscriber_free (Subscriber *sub)
{
  if (sub->hangup != NULL)
    {
      g_source_destroy (sub->hangup);
      g_source_unref (sub->hangup);
    }
  g_object_unref (sub->msg);
  g_free (sub->client.name);
  g_free (sub);
}

/* Ends a stream at once, whatever it still had to send: its socket is shut,
 * libsoup fails the next write and finishes the message, which removes
 * the subscriber. */
static void
subscriber_drop (Subscriber *sub,
                 const char *why)
{
  GSocket *socket = soup_server_message_get_socket (sub->msg);

  if (sub->dropped)
    return;
  g_message ("stream of %s %s dropped: %s", sub->client.kind == CLIENT_CONSOLE ? "console" : "station",
             sub->client.name, why);
  sub->dropped = TRUE;
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_message_body_complete (soup_server_message_get_response_body (sub->msg));
  soup_server_message_unpause (sub->msg);
}

static void
subscriber_send (Subscriber *sub,
                 const char *chunk)
{
  SoupMessageBody *body = soup_server_message_get_response_body (sub->msg);
  gsize            length = strlen (chunk);

  if (sub->dropped)
    return;
  /* A reader that lets this much wait would make the hub hold all it
   * misses: it catches up when it comes back. */
  if (!relais_limit_fits (sub->queued, length, RELAIS_HUB_MAX_STREAM_QUEUE))
    {
      subscriber_drop (sub, "too slow a reader");
      return;
    }
  /* What a chunk costs besides its bytes (its GBytes, libsoup's list). */
  sub->queued += length + CHUNK_OVERHEAD;
  soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, length);
  soup_server_message_unpause (sub->msg);
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                Subscriber        *sub)
{
  /* One chunk written (its bytes were counted by wrote-body-data). */
  sub->queued -= MIN (sub->queued, CHUNK_OVERHEAD);
}

static void
wrote_body_data_cb (SoupServerMessage *msg,
                    guint              size,
                    Subscriber        *sub)
{
  sub->queued -= MIN (sub->queued, size);
}

static gboolean
subscriber_wants (const Subscriber        *sub,
                  const RelaisHelpRequest *request)
{
  return sub->client.kind == CLIENT_CONSOLE || g_str_equal (sub->client.name, request->station);
}

/* One server-sent event, the only place the stream's text is written:
 * "id: @id" when @id > 0 (a help request's place in the log, for
 * Last-Event-ID), the protocol's name of @event, @data on one line. */
static char *
stream_text (RelaisStreamEvent event,
             gint64            id,
             JsonNode         *data)
{
  g_autofree char *json = relais_hub_json_to_string (data);
  GString         *text = g_string_new (NULL);

  g_assert (relais_stream_event_to_string (event) != NULL);
  if (id > 0)
    g_string_append_printf (text, "id: %" G_GINT64_FORMAT "\n", id);
  g_string_append_printf (text, "event: %s\ndata: %s\n\n", relais_stream_event_to_string (event), json);
  return g_string_free (text, FALSE);
}

static char *
help_event_text (const RelaisHelpRequest *request)
{
  g_autoptr(JsonNode) node = relais_hub_json_help (request);

  return stream_text (RELAIS_STREAM_HELP, request->seq, node);
}

void
_relais_hub_broadcast_help (RelaisHub               *self,
                            const RelaisHelpRequest *request)
{
  g_autofree char *text = NULL;

  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if (!subscriber_wants (sub, request))
        continue;
      if (text == NULL)
        text = help_event_text (request);
      subscriber_send (sub, text);
    }
}

/* A station is online while it holds a live stream. */
static gboolean
station_online (RelaisHub  *self,
                const char *name)
{
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if (sub->client.kind == CLIENT_STATION && g_str_equal (sub->client.name, name))
        return TRUE;
    }
  return FALSE;
}

static char *
station_event_text (RelaisHub               *self,
                    const RelaisStationInfo *info)
{
  g_autoptr(JsonNode) node = relais_hub_json_station (info, station_online (self, info->name));

  return stream_text (RELAIS_STREAM_STATION, 0, node);
}

static void
send_to_consoles (RelaisHub  *self,
                  const char *text)
{
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if (sub->client.kind == CLIENT_CONSOLE)
        subscriber_send (sub, text);
    }
}

void
_relais_hub_broadcast (RelaisHub        *self,
                       RelaisStreamEvent event,
                       JsonNode         *data,
                       gboolean          to_consoles,
                       const char       *station)
{
  g_autofree char *text = stream_text (event, 0, data);

  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;

      if ((to_consoles && sub->client.kind == CLIENT_CONSOLE)
          || (station != NULL && sub->client.kind == CLIENT_STATION && g_str_equal (sub->client.name, station)))
        subscriber_send (sub, text);
    }
}

void
_relais_hub_broadcast_station (RelaisHub               *self,
                               const RelaisStationInfo *info)
{
  g_autofree char *text = station_event_text (self, info);

  send_to_consoles (self, text);
}

static void
announce_station (RelaisHub  *self,
                  const char *name)
{
  g_autoptr(RelaisStationInfo) info = relais_db_station_get (self->db, name, NULL);

  if (info != NULL)
    _relais_hub_broadcast_station (self, info);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    Subscriber        *sub)
{
  RelaisHub       *self = sub->hub;
  g_autofree char *station = sub->client.kind == CLIENT_STATION ? g_strdup (sub->client.name) : NULL;

  self->subscribers = g_list_remove (self->subscribers, sub);
  g_signal_handlers_disconnect_by_data (msg, sub);
  _relais_hub_subscriber_free (sub);
  /* The consoles see the station's link drop. */
  if (station != NULL)
    announce_station (self, station);
}

/* Open requests nobody took for ring_after_ms ring again on every
 * console, and again each ring_after_ms while still untaken. */
gboolean
_relais_hub_ring_cb (gpointer user_data)
{
  RelaisHub *self = user_data;
  gint64     now = relais_db_now_ms ();
  /* Only the few requests waiting longer than the delay, not every open
   * one: this runs on the loop that serves every station. */
  g_autoptr(GPtrArray) waiting = relais_db_help_list_unattended (self->db, now - self->ring_after_ms, NULL);
  g_autoptr(GHashTable) still = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer       key;

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      RelaisHelpRequest *request = g_ptr_array_index (waiting, i);
      gint64            *last = g_hash_table_lookup (self->rung_at, request->id);

      g_hash_table_add (still, request->id);
      if (last != NULL && now - *last < self->ring_after_ms)
        continue;
      {
        g_autoptr(JsonNode) node = relais_hub_json_help (request);
        g_autofree char *text = stream_text (RELAIS_STREAM_RING, 0, node);

        send_to_consoles (self, text);
      }
      if (last == NULL)
        {
          last = g_new (gint64, 1);
          g_hash_table_insert (self->rung_at, g_strdup (request->id), last);
        }
      *last = now;
    }
  /* Forget the requests taken or closed since. */
  g_hash_table_iter_init (&iter, self->rung_at);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (still, key))
      g_hash_table_iter_remove (&iter);
  return G_SOURCE_CONTINUE;
}

gboolean
_relais_hub_keepalive_cb (gpointer user_data)
{
  RelaisHub *self = user_data;

  /* A comment line: keeps proxies open and reveals dead peers. */
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    subscriber_send (l->data, ": ping\n\n");
  return G_SOURCE_CONTINUE;
}

/* A stream's peer never sends anything after its request, so a readable
 * socket means it closed. Without this, a paused stream would learn of it
 * only at the next keep-alive, and consoles would see a station that left
 * as still linked for up to 15 s. Ending the body makes libsoup finish the
 * message, which removes the subscriber. */
static gboolean
hangup_cb (GSocket     *socket,
           GIOCondition condition,
           gpointer     user_data)
{
  Subscriber *sub = user_data;

  g_clear_pointer (&sub->hangup, g_source_unref);
  soup_message_body_complete (soup_server_message_get_response_body (sub->msg));
  soup_server_message_unpause (sub->msg);
  return G_SOURCE_REMOVE;
}

static void
watch_hangup (Subscriber *sub)
{
  GSocket *socket = soup_server_message_get_socket (sub->msg);

  if (socket == NULL)
    return;
  sub->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (sub->hangup, (GSourceFunc) (void (*) (void)) hangup_cb, sub, NULL);
  g_source_attach (sub->hangup, g_main_context_get_thread_default ());
}

void
_relais_hub_handle_stream (RelaisHub           *self,
                           SoupServerMessage   *msg,
                           const RelaisHubCall *call)
{
  const Client       *client = call->client;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char         *last_id = soup_message_headers_get_one (request_headers, "Last-Event-ID");
  GUri               *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  g_autoptr(GError) error = NULL;
  gint64      after = 0;
  Subscriber *sub;

  if (last_id == NULL && g_uri_get_query (uri) != NULL)
    {
      query = soup_form_decode (g_uri_get_query (uri));
      last_id = g_hash_table_lookup (query, "after");
    }
  if (last_id != NULL && !g_ascii_string_to_signed (last_id, 10, 0, G_MAXINT64, &after, NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Last-Event-ID invalide");
      return;
    }

  /* Catch-up: everything still open, and what closed since @after (the
   * newest RELAIS_HUB_CATCH_UP_CLOSED: without Last-Event-ID that would
   * be the whole history), so a console that was away sees the queue as
   * it stands. */
  backlog = relais_db_help_catch_up (self->db, after,
                                     client->kind == CLIENT_STATION ? client->name : NULL,
                                     RELAIS_HUB_CATCH_UP_CLOSED, &error);
  if (backlog == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  /* A client's oldest streams beyond the limit make room for this one. */
  {
    guint n = 0;

    for (GList *l = self->subscribers; l != NULL; l = l->next)
      {
        Subscriber *other = l->data;

        if (other->dropped || other->client.kind != client->kind || !g_str_equal (other->client.name, client->name))
          continue;
        /* Newest first. */
        if (++n >= RELAIS_HUB_MAX_STREAMS_PER_CLIENT)
          subscriber_drop (other, "too many streams for one client");
      }
  }

  sub = g_new0 (Subscriber, 1);
  sub->hub = self;
  sub->msg = g_object_ref (msg);
  sub->client.kind = client->kind;
  sub->client.name = g_strdup (client->name);
  self->subscribers = g_list_prepend (self->subscribers, sub);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), sub);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), sub);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), sub);
  watch_hangup (sub);

  /* "retry" tells the client how soon to reconnect; then the backlog,
   * then a marker so a client knows it is up to date. */
  subscriber_send (sub, "retry: 1000\n\n");
  for (guint i = 0; i < backlog->len; i++)
    {
      g_autofree char *text = help_event_text (g_ptr_array_index (backlog, i));
      subscriber_send (sub, text);
    }
  if (client->kind == CLIENT_CONSOLE)
    {
      g_autoptr(GPtrArray) stations = relais_db_station_list (self->db, NULL);
      /* Only a site joined to a département says anything of it. */
      g_autoptr(JsonNode) central = _relais_hub_central_state (self);

      for (guint i = 0; stations != NULL && i < stations->len; i++)
        {
          g_autofree char *text = station_event_text (self, g_ptr_array_index (stations, i));
          subscriber_send (sub, text);
        }
      if (central != NULL)
        {
          g_autofree char *text = stream_text (RELAIS_STREAM_CENTRAL, 0, central);
          subscriber_send (sub, text);
        }
    }
  else
    announce_station (self, client->name);
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *ready = NULL;

    json_builder_begin_object (builder);
    relais_hub_json_add_int (builder, "seq", relais_db_event_last_seq (self->db));
    json_builder_end_object (builder);
    node = json_builder_get_root (builder);
    ready = stream_text (RELAIS_STREAM_READY, 0, node);
    subscriber_send (sub, ready);
  }
}
