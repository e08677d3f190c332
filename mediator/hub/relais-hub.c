/* relais-hub.c: the site's HTTP service: events in, live stream out. */

#include "relais-hub-private.h"
#include "relais-hub-json.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <sodium.h>

G_DEFINE_QUARK (relais-hub-error-quark, relais_hub_error);

#define KEEPALIVE_SECONDS 15

G_DEFINE_FINAL_TYPE (RelaisHub, relais_hub, G_TYPE_OBJECT)

static void
client_clear (Client *client)
{
  g_clear_pointer (&client->name, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

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
  g_list_free_full (g_steal_pointer (&self->subscribers), (GDestroyNotify) _relais_hub_subscriber_free);
  /* Nothing waits in it: each login holds a reference to the hub. */
  g_thread_pool_free (g_steal_pointer (&self->hashers), FALSE, TRUE);
  g_clear_pointer (&self->login_failures, g_hash_table_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_handle_id (&self->ring_id, g_source_remove);
  g_clear_handle_id (&self->purge_id, g_source_remove);
  g_clear_pointer (&self->safe, _relais_hub_safe_free);
  g_clear_pointer (&self->rung_at, g_hash_table_unref);
  g_clear_pointer (&self->enrol_attempts, g_hash_table_unref);
  g_clear_pointer (&self->tls_pin, g_free);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* After the server: disconnecting emptied it. */
  g_clear_pointer (&self->connections, g_hash_table_unref);
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
  self->max_body = RELAIS_HUB_MAX_BODY;
  self->login_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hashers = _relais_hub_hashers_new ();
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rate_per_s = 50;
  self->rate_burst = 100;
  self->max_open_help = 3;
  self->rung_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->retention_months = 13;
  self->ring_after_ms = 3 * 60 * 1000;
  self->connections = _relais_hub_conn_table_new ();
  self->request_timeout_s = 15;
  self->idle_timeout_s = 60;
  self->enrol_attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

char *
relais_hub_hash_token (const char *token)
{
  guchar hash[crypto_generichash_BYTES];
  char   hex[crypto_generichash_BYTES * 2 + 1];

  /* A token is 256 random bits: a fast hash is enough (no dictionary to
   * attack), unlike a mediator's password. */
  crypto_generichash (hash, sizeof hash, (const guchar *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

char *
relais_hub_new_token (void)
{
  guchar secret[32];
  char   token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  randombytes_buf (secret, sizeof secret);
  sodium_bin2base64 (token, sizeof token, secret, sizeof secret, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (secret, sizeof secret);
  return g_strdup (token);
}

char *
relais_hub_enroll (RelaisDb   *db,
                   const char *kind,
                   const char *name,
                   GError    **error)
{
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (db != NULL && kind != NULL && name != NULL, NULL);

  if (!_relais_hub_enroll_check (kind, name, error))
    return NULL;
  token = relais_hub_new_token ();
  hash = relais_hub_hash_token (token);
  if (!relais_db_client_enroll (db, kind, name, hash, error))
    return NULL;
  return g_steal_pointer (&token);
}

/* ---- authentication ---- */

/* The client a request's token names, or the reason it names none. */
static gboolean
authenticate (RelaisHub          *self,
              SoupMessageHeaders *headers,
              Client             *out,
              const char        **refusal)
{
  const char      *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 512)
    {
      *refusal = "jeton manquant";
      return FALSE;
    }
  /* One indexed lookup per request, no cache: a replaced token stops
   * working at once. */
  hash = relais_hub_hash_token (auth + strlen ("Bearer "));
  if (!relais_db_client_lookup (self->db, hash, &kind, &name, NULL))
    {
      *refusal = "jeton inconnu";
      return FALSE;
    }
  out->kind = g_str_equal (kind, "console") ? CLIENT_CONSOLE : CLIENT_STATION;
  out->name = g_steal_pointer (&name);
  return TRUE;
}

/* ---- the gate ---- */

/* TRUE when @client may make one more request now. */
static gboolean
rate_allow (RelaisHub    *self,
            const Client *client)
{
  g_autofree char *key = g_strdup_printf ("%d:%s", client->kind, client->name);
  RateBucket      *bucket = g_hash_table_lookup (self->buckets, key);
  gint64           now = g_get_monotonic_time ();

  if (bucket == NULL)
    {
      bucket = g_new0 (RateBucket, 1);
      bucket->tokens = self->rate_burst;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), bucket);
    }
  bucket->tokens = MIN (self->rate_burst,
                        bucket->tokens + (now - bucket->updated) / 1e6 * self->rate_per_s);
  bucket->updated = now;
  if (bucket->tokens < 1)
    return FALSE;
  bucket->tokens -= 1;
  return TRUE;
}

/* What the headers of a request established (got_headers_cb ()), for its
 * handler. */
typedef struct {
  Client                client;
  RelaisMediator       *mediator; /* owned; routes with ROUTE_SESSION, for a console */
  const RelaisHubRoute *route;    /* NULL: no route has this method and path */
  GStrv                 args;     /* what the route's "*" matched */
  gboolean              health;
} Gate;

static void
gate_free (Gate *gate)
{
  client_clear (&gate->client);
  relais_mediator_free (gate->mediator);
  g_strfreev (gate->args);
  g_free (gate);
}

/* FALSE when @name comes more than once (libsoup joins them with ", ";
 * neither a token nor a session holds a comma). */
static gboolean
header_single (SoupMessageHeaders *headers,
               const char         *name)
{
  const char *value = soup_message_headers_get_list (headers, name);

  return value == NULL || strchr (value, ',') == NULL;
}

/* Every check the headers allow, in order: token, rate, route, session,
 * role (@gate->route, already found, says which apply). Returns 0 when
 * the request may go on, else the status to answer with *@sentence.
 * Nothing of the body has been read. */
static guint
gate_check (RelaisHub         *self,
            SoupServerMessage *msg,
            Gate              *gate,
            const char       **sentence)
{
  SoupMessageHeaders   *headers = soup_server_message_get_request_headers (msg);
  const char           *rest = g_uri_get_path (soup_server_message_get_uri (msg)) + strlen (RELAIS_HUB_API);
  const RelaisHubRoute *route;

  if (g_str_equal (rest, "/health"))
    {
      gate->health = TRUE;
      return 0;
    }
  /* No token yet: each client address gets a few tries. */
  if (gate->route != NULL && (gate->route->flags & ROUTE_OPEN))
    {
      if (!_relais_hub_enrol_allow (self, soup_server_message_get_remote_host (msg)))
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "900");
          *sentence = "trop d'essais d'inscription depuis cette adresse : réessayez dans un quart d'heure";
          return RELAIS_HUB_STATUS_TOO_MANY_REQUESTS;
        }
      return 0;
    }
  /* libsoup reads the last of two: a wrong first one must not be
   * followed by a second chance. */
  if (!header_single (headers, "Authorization") || !header_single (headers, "X-Relais-Session"))
    {
      *sentence = "en-tête Authorization ou X-Relais-Session répété";
      return SOUP_STATUS_BAD_REQUEST;
    }
  if (!authenticate (self, headers, &gate->client, sentence))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"relais\"");
      return SOUP_STATUS_UNAUTHORIZED;
    }
  if (!(gate->route != NULL && (gate->route->flags & ROUTE_BULK)) && !rate_allow (self, &gate->client))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      *sentence = "trop de requêtes : ralentissez";
      return RELAIS_HUB_STATUS_TOO_MANY_REQUESTS;
    }

  route = gate->route;
  if (route == NULL)
    {
      *sentence = "chemin inconnu";
      return SOUP_STATUS_NOT_FOUND;
    }
  if (route->who != 0 && (int) gate->client.kind != route->who)
    {
      *sentence = route->who == CLIENT_CONSOLE ? "réservé aux consoles des médiateurs" : "réservé aux postes";
      return SOUP_STATUS_FORBIDDEN;
    }
  if ((route->flags & ROUTE_SESSION) && gate->client.kind == CLIENT_CONSOLE)
    {
      gate->mediator = _relais_hub_session (self, msg, &gate->client, sentence);
      if (gate->mediator == NULL)
        return SOUP_STATUS_UNAUTHORIZED;
      gate->client.mediator = gate->mediator;
      if (route->role != NULL && !relais_mediator_has_role (gate->mediator, route->role))
        {
          *sentence = "réservé aux responsables";
          return SOUP_STATUS_FORBIDDEN;
        }
    }
  return 0;
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RelaisHub *self = user_data;
  Gate      *gate = g_object_get_data (G_OBJECT (msg), "relais-gate");

  /* The gate let it through (a refused request never gets here). */
  g_assert (gate != NULL);
  if (gate->health)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      relais_hub_json_add_string (builder, "status", "ok");
      relais_hub_json_add_int (builder, "api", 1);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
    }
  else
    {
      RelaisHubCall call = { &gate->client, (const char * const *) gate->args, NULL, gate->route->data };
      g_autoptr(JsonParser) parser = NULL;

      g_assert (gate->route != NULL);
      g_assert (!(gate->route->flags & ROUTE_SESSION) || gate->client.kind != CLIENT_CONSOLE || gate->mediator != NULL);
      if (gate->route->flags & ROUTE_JSON)
        {
          parser = json_parser_new ();
          call.body = _relais_hub_read_json_body (self, msg, parser);
          if (call.body == NULL)
            return;
        }
      gate->route->handler (self, msg, &call);
    }
}

/* ------------------------------------------------------------------------ */
/* Bodies too big are refused on their headers, before the hub reads them
 * into memory: the routes that take documents have their own caps, every
 * other one the JSON cap. A chunked body (no length said) is still read,
 * then refused by its route. */

static gsize
request_cap (RelaisHub            *self,
             const RelaisHubRoute *route,
             const char          **refusal)
{
  *refusal = "requête trop grande";
  if (route == NULL || route->cap == NULL)
    return self->max_body;
  *refusal = route->cap_sentence;
  return route->cap (self);
}

/* After the answer, what the client still sends is read and dropped for a
 * few seconds before closing: closing on unread data would reset the
 * connection, and the client could lose the answer (Apache's "lingering
 * close"). Nothing is kept: a small buffer, reused. */
#define REFUSAL_LINGER_US (5 * G_USEC_PER_SEC)

typedef struct
{
  GIOStream *stream;
  gint64     deadline;
  guint8     buffer[16 * 1024];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (refusal->stream);
  g_free (refusal);
}

static void
refusal_drained_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize   n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || g_get_monotonic_time () > refusal->deadline)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (object), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_LOW, NULL, refusal_drained_cb, refusal);
}

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  /* A plain connection says it has no more to say; the rest is read. */
  if (G_IS_SOCKET_CONNECTION (refusal->stream))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (refusal->stream)), FALSE, TRUE, NULL);
  refusal->deadline = g_get_monotonic_time () + REFUSAL_LINGER_US;
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_LOW, NULL, refusal_drained_cb, refusal);
}

/* Takes the connection from libsoup, answers @status with @sentence (and
 * the response headers already set, WWW-Authenticate or Retry-After), and
 * drops what the client still sends: the body is never held. */
static void
refuse_body (SoupServerMessage *msg,
             guint              status,
             const char        *sentence)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonNode) node = relais_hub_json_error (sentence);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autoptr(GString) answer = g_string_new (NULL);
  const char *extra[] = { "WWW-Authenticate", "Retry-After" };
  Refusal    *refusal = g_new0 (Refusal, 1);
  gsize       length;

  g_string_append_printf (answer, "HTTP/1.1 %u %s\r\n", status,
                          status == RELAIS_HUB_STATUS_TOO_MANY_REQUESTS ? "Too Many Requests"
                                                                        : soup_status_get_phrase (status));
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      const char *value = soup_message_headers_get_one (response, extra[i]);

      if (value != NULL)
        g_string_append_printf (answer, "%s: %s\r\n", extra[i], value);
    }
  g_string_append_printf (answer, "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                                  "Connection: close\r\n\r\n%s",
                          strlen (json), json);
  length = answer->len;
  refusal->stream = soup_server_message_steal_connection (msg);
  /* The stream keeps the text until it is written. */
  g_object_set_data_full (G_OBJECT (refusal->stream), "relais-refusal", g_string_free (g_steal_pointer (&answer), FALSE),
                          g_free);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_object_get_data (G_OBJECT (refusal->stream), "relais-refusal"), length,
                                   G_PRIORITY_DEFAULT, NULL, refusal_written_cb, refusal);
}

/* A body without a length (chunked) is refused as soon as it passes the
 * cap worked out from its headers: what was read stays under it. */
typedef struct
{
  gsize       cap;
  const char *sentence; /* static */
} BodyCap;

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              BodyCap           *cap)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if ((guint64) body->length <= cap->cap)
    return;
  g_debug ("%s %s: body past %" G_GINT64_FORMAT " bytes, refused while it comes",
           soup_server_message_get_method (msg), g_uri_get_path (soup_server_message_get_uri (msg)),
           (gint64) body->length);
  g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, cap);
  refuse_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, cap->sentence);
}

/* A body's framing the hub can trust: at most one Content-Length, digits
 * only, that fits in 63 bits, and never with a Transfer-Encoding. libsoup
 * takes "-1" or 2^64 as "read until the connection ends", and the last of
 * two lengths. */
static gboolean
framing_valid (SoupMessageHeaders *headers)
{
  const char *length = soup_message_headers_get_list (headers, "Content-Length");
  guint64     value;

  if (length == NULL)
    return TRUE;
  if (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    return FALSE;
  if (*length == '\0' || strlen (length) > 19 || strspn (length, "0123456789") != strlen (length))
    return FALSE;
  return g_ascii_string_to_unsigned (length, 10, 0, G_MAXINT64, &value, NULL);
}

/* Everything the headers allow to check is checked here, before libsoup
 * reads a byte of the body: its framing, the token, the rate, the route,
 * the session, the role, then the size. A refused request with a body
 * loses its connection (the body is dropped as it comes); one without a
 * body is answered as usual. */
static void
got_headers_cb (SoupServerMessage *msg,
                RelaisHub         *self)
{
  SoupMessageHeaders   *headers = soup_server_message_get_request_headers (msg);
  const char           *path = g_uri_get_path (soup_server_message_get_uri (msg));
  SoupEncoding          encoding;
  BodyCap              *cap;
  Gate                 *gate;
  const RelaisHubRoute *route = NULL;
  const char           *sentence = NULL;
  gboolean              has_body;
  goffset               length = 0;
  guint                 status;

  if (!framing_valid (headers))
    {
      g_debug ("%s %s: body length not to be trusted, refused", soup_server_message_get_method (msg), path);
      refuse_body (msg, SOUP_STATUS_BAD_REQUEST, "longueur du corps invalide");
      return;
    }
  encoding = soup_message_headers_get_encoding (headers);
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  has_body = encoding == SOUP_ENCODING_CHUNKED || length > 0;

  /* Other paths have no handler: libsoup answers 404, after a body
   * capped like any other. */
  if (g_str_has_prefix (path, RELAIS_HUB_API "/"))
    {
      gate = g_new0 (Gate, 1);
      g_object_set_data_full (G_OBJECT (msg), "relais-gate", gate, (GDestroyNotify) gate_free);
      /* The route decides the body's cap, whether the request is let
       * through or not (a refused body is read within it). */
      route = _relais_hub_route_find (soup_server_message_get_method (msg), path + strlen (RELAIS_HUB_API), &gate->args);
      gate->route = route;
      status = gate_check (self, msg, gate, &sentence);
      if (status != 0)
        {
          g_debug ("%s %s: %u on the headers (%s)", soup_server_message_get_method (msg), path, status, sentence);
          /* Whoever has no valid token sends no body here. An enrolled
           * client's refused body is read, within its cap, to keep its
           * connection. */
          if (has_body && (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_BAD_REQUEST))
            {
              refuse_body (msg, status, sentence);
              return;
            }
          _relais_hub_reply_error (msg, status, sentence);
        }
    }

  /* The route's cap, once: the body's chunks are checked against it. */
  cap = g_new0 (BodyCap, 1);
  cap->cap = request_cap (self, route, &cap->sentence);
  g_object_set_data_full (G_OBJECT (msg), "relais-body-cap", cap, g_free);
  if (encoding == SOUP_ENCODING_CHUNKED)
    {
      g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), cap);
      return;
    }
  if ((guint64) length <= cap->cap)
    return;
  g_debug ("%s %s: %" G_GOFFSET_FORMAT " bytes announced, refused before reading them",
           soup_server_message_get_method (msg), path, length);
  /* libsoup would read the whole body into memory before any answer
   * (unless the client asked "Expect: 100-continue"). */
  refuse_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, cap->sentence);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    RelaisHub         *self)
{
  _relais_hub_conn_request_started (self, msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
}

RelaisHub *
relais_hub_new (RelaisDb *db)
{
  RelaisHub *self;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (relais_db_get_kind (db) == RELAIS_DB_HUB, NULL);

  self = g_object_new (RELAIS_TYPE_HUB, NULL);
  self->db = db;
  self->server = soup_server_new ("server-header", "relais-hub/"
                                                   "1",
                                  NULL);
  soup_server_add_handler (self->server, RELAIS_HUB_API, handle_api, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, _relais_hub_keepalive_cb, self);
  relais_hub_set_ring_again (self, self->ring_after_ms);
  return self;
}

void
relais_hub_set_max_body (RelaisHub *self,
                         gsize      max_body)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  self->max_body = max_body;
}

void
relais_hub_set_timeouts (RelaisHub *self,
                         guint      request_s,
                         guint      idle_s)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (request_s > 0 && idle_s > 0);
  self->request_timeout_s = request_s;
  self->idle_timeout_s = idle_s;
}

void
relais_hub_set_max_open_help (RelaisHub *self,
                              guint      max)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  self->max_open_help = max;
}

void
relais_hub_set_ring_again (RelaisHub *self,
                           gint64     after_ms)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (after_ms > 0);

  self->ring_after_ms = after_ms;
  /* Look often enough for the delay to be kept within a tenth. */
  g_clear_handle_id (&self->ring_id, g_source_remove);
  self->ring_id = g_timeout_add (CLAMP (after_ms / 10, 50, 5000), _relais_hub_ring_cb, self);
}

void
relais_hub_set_retention (RelaisHub *self,
                          int        months)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (months >= 1);

  self->retention_months = months;
  /* At start, then every day. */
  g_clear_handle_id (&self->purge_id, g_source_remove);
  _relais_hub_stats_purge_cb (self);
  self->purge_id = g_timeout_add_seconds (24 * 3600, _relais_hub_stats_purge_cb, self);
}

void
relais_hub_set_rate_limit (RelaisHub *self,
                           double     per_second,
                           double     burst)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (per_second > 0 && burst >= 1);
  self->rate_per_s = per_second;
  self->rate_burst = burst;
}

gboolean
relais_hub_listen (RelaisHub  *self,
                   const char *address,
                   guint       port,
                   GError    **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  SoupServerListenOptions options = 0;
  GSList                 *uris;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                   "Adresse d'écoute invalide : %s", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);
  /* relais_hub_set_tls () left the certificate on the server. */
  if (soup_server_get_tls_certificate (self->server) != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;
  if (!soup_server_listen (self->server, socket_address, options, error))
    {
      g_prefix_error (error, "Le hub ne peut pas écouter sur %s:%u : ", address, port);
      return FALSE;
    }
  _relais_hub_conn_init ();
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

const char *
relais_hub_get_tls_pin (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), NULL);
  return self->tls_pin;
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
