/* relais-hub-http.c: what every route uses to read a request and to
 * answer it. It calls nothing else of the hub: the gate (relais-hub.c)
 * and the areas call it, never the other way. */

#include "relais-hub-private.h"
#include "relais-hub-json.h"

#include <string.h>

/* ---- answers ---- */

void
_relais_hub_reply_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  g_autofree char *text = relais_hub_json_to_string (node);
  gsize            length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

void
_relais_hub_reply_builder (SoupServerMessage *msg,
                           JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* What a client reads when the hub fails (500, 503): the details (a full
 * disk, SQLite's words) are for the log, never for the network. (A 507,
 * a safe's quota, is an answer made for the person, not a failure.) */
#define SERVER_FAILURE_SENTENCE                                          \
  "Le hub ne peut pas répondre pour le moment : réessayez plus tard. " \
  "(The hub cannot answer right now: please try again later.)"

void
_relais_hub_reply_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *message)
{
  g_autoptr(JsonNode) node = NULL;

  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      g_message ("%s %s: %u: %s", soup_server_message_get_method (msg),
                 g_uri_get_path (soup_server_message_get_uri (msg)), status, message);
      message = SERVER_FAILURE_SENTENCE;
    }
  node = relais_hub_json_error (message);
  _relais_hub_reply_json (msg, status, node);
}

/* ---- requests ---- */

char *
_relais_hub_client_source (const Client *client)
{
  if (client->mediator != NULL)
    return g_strdup_printf ("console:%s/%s", client->name, client->mediator->login);
  return g_strdup_printf ("%s:%s", client->kind == CLIENT_CONSOLE ? "console" : "station", client->name);
}

/* TRUE when a string of @data would hold a NUL: escaped ("\u0000") or a
 * raw byte. json-glib keeps strings NUL-terminated, so "sophie\u0000admin"
 * would be read as "sophie". A backslash escapes the character after it,
 * so "\\u0000" (a backslash, then text) is no NUL. */
static gboolean
json_text_has_nul (const guint8 *data,
                   gsize         size)
{
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\0')
        return TRUE;
      if (data[i] != '\\' || i + 1 >= size)
        continue;
      if (data[i + 1] == 'u' && i + 5 < size && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;
    }
  return FALSE;
}

/* Parses the request body as one JSON object, or replies 400/413. */
JsonObject *
_relais_hub_read_json_body (RelaisHub         *self,
                            SoupServerMessage *msg,
                            JsonParser        *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if ((gsize) body->length > self->max_body)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "requête trop grande");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  if (json_text_has_nul (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "JSON invalide : caractère nul (\\u0000) refusé");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      g_autofree char *message = g_strdup_printf ("JSON invalide : %s", error->message);
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "un objet JSON est attendu");
      return NULL;
    }
  return json_node_get_object (root);
}
