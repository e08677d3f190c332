/* relais-hub.c: the site's HTTP service: events in, live stream out. */
#define G_LOG_DOMAIN "relais-hub"

#include "relais-hub.h"
#include "relais-hub-json.h"
#include "relais-db-help.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <sodium.h>

G_DEFINE_QUARK (relais-hub-error-quark, relais_hub_error)

#define MAX_EVENTS_PER_BATCH 500
#define MAX_KEY_LENGTH 128
#define KEEPALIVE_SECONDS 15

typedef enum {
  CLIENT_STATION = 1,
  CLIENT_CONSOLE,
} ClientKind;

typedef struct {
  ClientKind  kind;
  char       *name;
} Client;

/* A live stream. Invariant: msg is paused only while body has no pending
 * chunk; it is removed from the list when the message finishes. */
typedef struct {
  RelaisHub         *hub;      /* borrowed; the hub outlives its streams */
  SoupServerMessage *msg;      /* owned */
  Client             client;
} Subscriber;

struct _RelaisHub
{
  GObject     parent_instance;

  /* Owned */
  RelaisDb   *db;
  SoupServer *server;
  GList      *subscribers;      /* Subscriber* */
  guint       keepalive_id;

  gsize       max_body;
  guint       port;
};

G_DEFINE_FINAL_TYPE (RelaisHub, relais_hub, G_TYPE_OBJECT)

static void
client_clear (Client *client)
{
  g_clear_pointer (&client->name, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

static void
subscriber_free (Subscriber *sub)
{
  g_object_unref (sub->msg);
  g_free (sub->client.name);
  g_free (sub);
}

static void
relais_hub_finalize (GObject *object)
{
  RelaisHub *self = RELAIS_HUB (object);

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  /* Forget the streams first: disconnecting finishes their messages. */
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    {
      Subscriber *sub = l->data;
      g_signal_handlers_disconnect_by_data (sub->msg, sub);
    }
  g_list_free_full (g_steal_pointer (&self->subscribers), (GDestroyNotify) subscriber_free);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->db, relais_db_close);

  G_OBJECT_CLASS (relais_hub_parent_class)->finalize (object);
}

static void
relais_hub_class_init (RelaisHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relais_hub_finalize;
}

static void
relais_hub_init (RelaisHub *self)
{
  self->max_body = 64 * 1024;
}

char *
relais_hub_hash_token (const char *token)
{
  guchar hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  /* A token is 256 random bits: a fast hash is enough (no dictionary to
   * attack), unlike a mediator's password. */
  crypto_generichash (hash, sizeof hash, (const guchar *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

char *
relais_hub_enroll (RelaisDb    *db,
                   const char  *kind,
                   const char  *name,
                   GError     **error)
{
  guchar secret[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autofree char *hash = NULL;

  g_return_val_if_fail (db != NULL && kind != NULL && name != NULL, NULL);

  if (!g_str_equal (kind, "station") && !g_str_equal (kind, "console"))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Type inconnu « %s » : station ou console", kind);
      return NULL;
    }
  if (*name == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Nom invalide : de 1 à 64 caractères");
      return NULL;
    }
  if (sodium_init () < 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL, "libsodium indisponible");
      return NULL;
    }
  randombytes_buf (secret, sizeof secret);
  sodium_bin2base64 (token, sizeof token, secret, sizeof secret, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (secret, sizeof secret);
  hash = relais_hub_hash_token (token);
  if (!relais_db_client_enroll (db, kind, name, hash, error))
    return NULL;
  return g_strdup (token);
}

/* ---- responses ---- */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *text = relais_hub_json_to_string (node);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonNode) node = relais_hub_json_error (message);

  reply_json (msg, status, node);
}

/* ---- authentication ---- */

static gboolean
authenticate (RelaisHub         *self,
              SoupServerMessage *msg,
              Client            *out)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 512)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"relais\"");
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "jeton manquant");
      return FALSE;
    }
  /* One indexed lookup per request, no cache: a replaced token stops
   * working at once. */
  hash = relais_hub_hash_token (auth + strlen ("Bearer "));
  if (!relais_db_client_lookup (self->db, hash, &kind, &name, NULL))
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "jeton inconnu");
      return FALSE;
    }
  out->kind = g_str_equal (kind, "console") ? CLIENT_CONSOLE : CLIENT_STATION;
  out->name = g_steal_pointer (&name);
  return TRUE;
}

static char *
client_source (const Client *client)
{
  return g_strdup_printf ("%s:%s", client->kind == CLIENT_CONSOLE ? "console" : "station", client->name);
}

/* Parses the request body as one JSON object, or replies 400/413. */
static JsonObject *
read_json_body (RelaisHub         *self,
                SoupServerMessage *msg,
                JsonParser        *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if ((gsize) body->length > self->max_body)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "requête trop grande");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      g_autofree char *message = g_strdup_printf ("JSON invalide : %s", error->message);
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "un objet JSON est attendu");
      return NULL;
    }
  return json_node_get_object (root);
}

/* ---- live stream (server-sent events) ---- */

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

static void
broadcast_help (RelaisHub               *self,
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
  subscriber_free (sub);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  RelaisHub *self = user_data;

  /* A comment line: keeps proxies open and reveals dead peers. */
  for (GList *l = self->subscribers; l != NULL; l = l->next)
    subscriber_send (l->data, ": ping\n\n");
  return G_SOURCE_CONTINUE;
}

static void
handle_stream (RelaisHub         *self,
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
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Last-Event-ID invalide");
      return;
    }

  /* Catch-up: everything still open, and whatever closed since @after,
   * so a console that was away sees the queue as it stands. */
  backlog = relais_db_help_list_since (self->db, after,
                                       client->kind == CLIENT_STATION ? client->name : NULL,
                                       &error);
  if (backlog == NULL)
    {
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
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

/* ---- events from stations and consoles ---- */

typedef struct {
  const char *key;
  const char *type;
  gint64      at;
  JsonObject *data;
  JsonNode   *node;   /* the event as received */
} ParsedEvent;

static gboolean
parse_event (JsonNode     *node,
             ParsedEvent  *event,
             GError      **error)
{
  JsonObject *object;
  JsonNode *data;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "un événement doit être un objet");
      return FALSE;
    }
  object = json_node_get_object (node);
  event->node = node;
  event->key = relais_hub_json_string (object, "key", TRUE, MAX_KEY_LENGTH, error);
  if (event->key == NULL)
    return FALSE;
  event->type = relais_hub_json_string (object, "type", TRUE, 64, error);
  if (event->type == NULL)
    return FALSE;
  event->at = g_get_real_time () / 1000;
  if (!relais_hub_json_int (object, "at", FALSE, &event->at, error))
    return FALSE;
  data = json_object_get_member (object, "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "« data » doit être un objet");
      return FALSE;
    }
  event->data = json_node_get_object (data);

  if (g_str_equal (event->type, "help.raise"))
    {
      const char *category;
      g_autoptr(GError) local = NULL;

      if (relais_hub_json_string (event->data, "id", TRUE, MAX_KEY_LENGTH, error) == NULL)
        return FALSE;
      category = relais_hub_json_string (event->data, "category", TRUE, 32, error);
      if (category == NULL)
        return FALSE;
      if (!relais_hub_help_category_valid (category))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "catégorie inconnue « %s »", category);
          return FALSE;
        }
      relais_hub_json_string (event->data, "language", FALSE, 16, &local);
      if (local == NULL)
        relais_hub_json_string (event->data, "origin", FALSE, 16, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (event->type, "help.cancel"))
    return relais_hub_json_string (event->data, "id", TRUE, MAX_KEY_LENGTH, error) != NULL;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "type d'événement inconnu « %s »", event->type);
  return FALSE;
}

/* Applies one validated event. Returns the request it touched. */
static RelaisHelpRequest *
apply_event (RelaisHub          *self,
             const Client       *client,
             const ParsedEvent  *event,
             gboolean           *duplicate,
             GError            **error)
{
  g_autofree char *source = client_source (client);
  g_autofree char *body = relais_hub_json_to_string (event->node);
  RelaisEventInfo info = { event->key, source, event->type, event->at, body };
  const char *id = json_object_get_string_member (event->data, "id");

  if (g_str_equal (event->type, "help.raise"))
    {
      const char *origin = json_object_get_string_member_with_default (event->data, "origin", "resident");

      return relais_db_help_raise (self->db, &info, id, client->name,
                                   json_object_get_string_member (event->data, "category"),
                                   json_object_get_string_member_with_default (event->data, "language", NULL),
                                   g_str_equal (origin, "station") ? "station" : "resident",
                                   duplicate, error);
    }
  g_assert (g_str_equal (event->type, "help.cancel"));
  return relais_db_help_apply (self->db, &info, id, RELAIS_HELP_CANCEL, NULL,
                               client->kind == CLIENT_STATION ? client->name : NULL,
                               duplicate, error);
}

static void
handle_events (RelaisHub         *self,
               SoupServerMessage *msg,
               const Client      *client)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (ParsedEvent));
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_help_request_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *root;
  JsonNode *list;
  JsonArray *array;

  root = read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  list = json_object_get_member (root, "events");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« events » doit être un tableau");
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > MAX_EVENTS_PER_BATCH)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "de 1 à 500 événements par envoi");
      return;
    }

  /* Validate the whole batch first: a bad one stores nothing. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ParsedEvent event = { 0 };

      if (!parse_event (json_array_get_element (array, i), &event, &error))
        {
          g_autofree char *message = g_strdup_printf ("événement %u : %s", i, error->message);
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
      g_array_append_val (events, event);
    }

  if (!relais_db_batch_begin (self->db, &error))
    {
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      ParsedEvent *event = &g_array_index (events, ParsedEvent, i);
      g_autoptr(GError) local = NULL;
      gboolean duplicate = FALSE;
      RelaisHelpRequest *request = apply_event (self, client, event, &duplicate, &local);
      const char *status;

      /* A refused transition (cancel of a resolved request) is an answer,
       * not a failure: the station must not retry it forever. */
      if (request != NULL)
        status = duplicate ? "duplicate" : "stored";
      else if (g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
               || g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
        status = "refused";
      else
        {
          relais_db_batch_rollback (self->db);
          reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, local->message);
          return;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, event->key);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status);
      if (local != NULL)
        {
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, local->message);
        }
      json_builder_end_object (builder);
      if (request != NULL && !duplicate)
        g_ptr_array_add (touched, request);
      else
        relais_help_request_free (request);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (!relais_db_batch_commit (self->db, &error))
    {
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  /* Only what is durable is announced. */
  for (guint i = 0; i < touched->len; i++)
    broadcast_help (self, g_ptr_array_index (touched, i));

  reply = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, reply);
}

/* ---- help requests, for consoles ---- */

static void
handle_help_list (RelaisHub         *self,
                  SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = relais_db_help_list_since (self->db, G_MAXINT64, NULL, &error);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (list == NULL)
    {
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, relais_hub_json_help (g_ptr_array_index (list, i)));
  json_object_set_array_member (object, "requests", g_steal_pointer (&array));
  json_node_set_object (node, object);
  reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_help_action (RelaisHub         *self,
                    SoupServerMessage *msg,
                    const Client      *client,
                    const char        *id,
                    const char        *verb)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisHelpRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *source = client_source (client);
  g_autofree char *generated_key = NULL;
  g_autofree char *type = NULL;
  g_autofree char *body = NULL;
  RelaisHelpAction action;
  const char *key;
  const char *mediator;
  gboolean duplicate = FALSE;
  JsonObject *root;

  if (g_str_equal (verb, "seen"))
    action = RELAIS_HELP_SEEN;
  else if (g_str_equal (verb, "take"))
    action = RELAIS_HELP_TAKE;
  else if (g_str_equal (verb, "resolve"))
    action = RELAIS_HELP_RESOLVE;
  else if (g_str_equal (verb, "cancel"))
    action = RELAIS_HELP_CANCEL;
  else
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "action inconnue");
      return;
    }

  root = read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  key = relais_hub_json_string (root, "key", FALSE, MAX_KEY_LENGTH, &error);
  if (error == NULL)
    mediator = relais_hub_json_string (root, "mediator", FALSE, 64, &error);
  if (error != NULL)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (key == NULL)
    key = generated_key = g_uuid_string_random ();
  if (mediator == NULL)
    mediator = client->name;

  type = g_strconcat ("help.", verb, NULL);
  body = relais_hub_json_to_string (json_parser_get_root (parser));
  {
    RelaisEventInfo info = { key, source, type, g_get_real_time () / 1000, body };

    request = relais_db_help_apply (self->db, &info, id, action, mediator, NULL, &duplicate, &error);
  }
  if (request == NULL)
    {
      guint status = g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT) ? SOUP_STATUS_CONFLICT
                   : g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND) ? SOUP_STATUS_NOT_FOUND
                   : SOUP_STATUS_SERVICE_UNAVAILABLE;
      reply_error (msg, status, error->message);
      return;
    }
  if (!duplicate)
    broadcast_help (self, request);
  node = relais_hub_json_help (request);
  reply_json (msg, SOUP_STATUS_OK, node);
}

/* ---- routing ---- */

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RelaisHub *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (RELAIS_HUB_API);
  g_auto(Client) client = { 0 };

  if (g_str_equal (rest, "/health"))
    {
      g_autoptr(JsonNode) node = json_from_string ("{\"status\":\"ok\",\"api\":1}", NULL);
      reply_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (!authenticate (self, msg, &client))
    return;

  if (g_str_equal (rest, "/events"))
    {
      if (!g_str_equal (method, "POST"))
        reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST attendu");
      else
        handle_events (self, msg, &client);
      return;
    }
  if (g_str_equal (rest, "/stream"))
    {
      if (!g_str_equal (method, "GET"))
        reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET attendu");
      else
        handle_stream (self, msg, &client);
      return;
    }
  if (g_str_equal (rest, "/help") || g_str_has_prefix (rest, "/help/"))
    {
      g_auto(GStrv) parts = g_strsplit (rest + 1, "/", 0);

      if (client.kind != CLIENT_CONSOLE)
        {
          reply_error (msg, SOUP_STATUS_FORBIDDEN, "réservé aux consoles des médiateurs");
          return;
        }
      if (g_strv_length (parts) == 1 && g_str_equal (method, "GET"))
        handle_help_list (self, msg);
      else if (g_strv_length (parts) == 3 && g_str_equal (method, "POST") && *parts[1] != '\0')
        handle_help_action (self, msg, &client, parts[1], parts[2]);
      else
        reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
      return;
    }
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
}

RelaisHub *
relais_hub_new (RelaisDb *db)
{
  RelaisHub *self;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (relais_db_get_kind (db) == RELAIS_DB_HUB, NULL);

  self = g_object_new (RELAIS_TYPE_HUB, NULL);
  self->db = db;
  self->server = soup_server_new ("server-header", "relais-hub/" "1", NULL);
  soup_server_add_handler (self->server, RELAIS_HUB_API, handle_api, self, NULL);
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, keepalive_cb, self);
  return self;
}

void
relais_hub_set_max_body (RelaisHub *self,
                         gsize      max_body)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  self->max_body = max_body;
}

gboolean
relais_hub_listen (RelaisHub   *self,
                   const char  *address,
                   guint        port,
                   GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                   "Adresse d'écoute invalide : %s", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->server, socket_address, 0, error))
    {
      g_prefix_error (error, "Le hub ne peut pas écouter sur %s:%u : ", address, port);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
relais_hub_get_port (RelaisHub *self)
{
  return self->port;
}

RelaisDb *
relais_hub_get_db (RelaisHub *self)
{
  return self->db;
}

guint
relais_hub_get_n_subscribers (RelaisHub *self)
{
  return g_list_length (self->subscribers);
}
