/* relais-hub-stream.c: the live stream (server-sent events) to stations
 * and consoles, with catch-up on reconnection. */
#define G_LOG_DOMAIN "relais-hub"

#include "relais-hub-private.h"
#include "relais-hub-json.h"

void
_relais_hub_subscriber_free (Subscriber *sub)
{
  g_object_unref (sub->msg);
  g_free (sub->client.name);
  g_free (sub);
}

static void
subscriber_send (Subscriber *sub,
                 const char *chunk)
{
  SoupMessageBody *body = soup_server_message_get_response_body (sub->msg);

  soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
  soup_server_message_unpause (sub->msg);
}

static gboolean
subscriber_wants (const Subscriber        *sub,
                  const RelaisHelpRequest *request)
{
  return sub->client.kind == CLIENT_CONSOLE || g_str_equal (sub->client.name, request->station);
}

static char *
help_event_text (const RelaisHelpRequest *request)
{
  g_autoptr(JsonNode) node = relais_hub_json_help (request);
  g_autofree char *json = relais_hub_json_to_string (node);

  return g_strdup_printf ("id: %" G_GINT64_FORMAT "\nevent: help\ndata: %s\n\n", request->seq, json);
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

static void
stream_finished_cb (SoupServerMessage *msg,
                    Subscriber        *sub)
{
  RelaisHub *self = sub->hub;

  self->subscribers = g_list_remove (self->subscribers, sub);
  g_signal_handlers_disconnect_by_data (msg, sub);
  _relais_hub_subscriber_free (sub);
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

void
_relais_hub_handle_stream (RelaisHub         *self,
               SoupServerMessage *msg,
               const Client      *client)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *last_id = soup_message_headers_get_one (request_headers, "Last-Event-ID");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  g_autoptr(GError) error = NULL;
  gint64 after = 0;
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

  /* Catch-up: everything still open, and whatever closed since @after,
   * so a console that was away sees the queue as it stands. */
  backlog = relais_db_help_list_since (self->db, after,
                                       client->kind == CLIENT_STATION ? client->name : NULL,
                                       &error);
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

  sub = g_new0 (Subscriber, 1);
  sub->hub = self;
  sub->msg = g_object_ref (msg);
  sub->client.kind = client->kind;
  sub->client.name = g_strdup (client->name);
  self->subscribers = g_list_prepend (self->subscribers, sub);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), sub);

  /* "retry" tells the client how soon to reconnect; then the backlog,
   * then a marker so a client knows it is up to date. */
  subscriber_send (sub, "retry: 1000\n\n");
  for (guint i = 0; i < backlog->len; i++)
    {
      g_autofree char *text = help_event_text (g_ptr_array_index (backlog, i));
      subscriber_send (sub, text);
    }
  {
    g_autofree char *ready = g_strdup_printf ("event: ready\ndata: {\"seq\":%" G_GINT64_FORMAT "}\n\n",
                                              relais_db_event_last_seq (self->db));
    subscriber_send (sub, ready);
  }
}
