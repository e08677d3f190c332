/* relais-hub-safe.c: residents' digital safes: the PIN attempt counter,
 * ciphertext storage, consents and the journal. The hub never sees a
 * document in clear nor a PIN; see docs/safe.md. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-safe.h"
#include "relais-hub-safe-private.h"
#include "relais-hub-central-private.h"
#include "relais-db-safe.h"
#include "relais-safe-crypto.h"

#include <errno.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* ---- helpers ---- */

/* The hub answers in French. The sentences a resident may read at a
 * station are marked N_(): the catalogues translate them, and the station
 * shows them in the resident's language (relais-safe-client.c). A sentence
 * with a number in it goes with that number as a member of its own, for
 * the station to write it. */
static const char * const _relais_hub_safe_locked_message =
    N_ ("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil.");

GBytes *
_relais_hub_safe_keyed_hash (const guint8 *key,
                             const guint8 *data,
                             gsize         length)
{
  guint8 *out = g_malloc (32);

  crypto_generichash (out, 32, data, length, key, 32);
  return g_bytes_new_take (out, 32);
}

static gboolean
bytes_equal_ct (GBytes *a,
                GBytes *b)
{
  return a != NULL && b != NULL && g_bytes_get_size (a) == g_bytes_get_size (b)
         && sodium_memcmp (g_bytes_get_data (a, NULL), g_bytes_get_data (b, NULL), g_bytes_get_size (a)) == 0;
}

char *
_relais_hub_safe_random_digits (guint n)
{
  GString *out = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (out, '0' + (i == 0 ? 1 + randombytes_uniform (9) : randombytes_uniform (10)));
  return g_string_free (out, FALSE);
}

void
_relais_hub_safe_reply_bytes (SoupServerMessage *msg,
                              GBytes            *bytes)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

void
_relais_hub_safe_reply_db_error (SoupServerMessage *msg,
                                 const GError      *error)
{
  guint status = g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND)  ? SOUP_STATUS_NOT_FOUND
                 : g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT) ? SOUP_STATUS_CONFLICT
                                                                                      : SOUP_STATUS_SERVICE_UNAVAILABLE;

  _relais_hub_reply_error (msg, status, error->message);
}

void
_relais_hub_safe_journal (RelaisHub  *self,
                          gint64      safe_id,
                          const char *who,
                          const char *what,
                          const char *station,
                          const char *detail)
{
  g_autoptr(GError) error = NULL;

  /* The journal is the resident's only view of who looked: an access
   * that cannot be journaled is a bug worth a loud message. */
  if (!relais_db_safe_journal_add (self->db, safe_id, self->safe->now (), who, what, station, detail, &error))
    g_message ("coffres : journal : %s", error->message);
}

static const char *
query_get (SoupServerMessage *msg,
           const char        *name,
           GHashTable       **params)
{
  GUri       *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (*params == NULL)
    *params = query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  return *params != NULL ? g_hash_table_lookup (*params, name) : NULL;
}

GBytes *
_relais_hub_safe_json_bytes (JsonObject *object,
                             const char *member,
                             gsize       expected,
                             GError    **error)
{
  const char *text = relais_hub_json_string (object, member, TRUE, 4096, error);
  GBytes     *bytes;

  if (text == NULL)
    return NULL;
  bytes = relais_safe_unbase64 (text, expected, NULL);
  if (bytes == NULL)
    g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » : base64 de %zu octets attendu", member, expected);
  return bytes;
}

static SafeSession *
safe_session (RelaisHub         *self,
              SoupServerMessage *msg,
              const Client      *client)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *token = soup_message_headers_get_one (headers, "X-Relais-Safe");
  g_autofree char    *hash = NULL;
  SafeSession        *session;
  gint64              now = self->safe->now ();

  if (token == NULL || strlen (token) > 256)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "ouvrez d'abord le coffre");
      return NULL;
    }
  hash = relais_hub_hash_token (token);
  session = g_hash_table_lookup (self->safe->sessions, hash);
  /* A session belongs to the station that opened it. */
  if (session == NULL || session->expires_at <= now || !g_str_equal (session->station, client->name))
    {
      if (session != NULL && session->expires_at <= now)
        g_hash_table_remove (self->safe->sessions, hash);
      _relais_hub_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, N_ ("Le coffre s'est refermé. Ouvrez-le de nouveau."));
      return NULL;
    }
  session->expires_at = now + SESSION_IDLE_MS;
  return session;
}

static char *
new_session (RelaisHub         *self,
             gint64             safe_id,
             const char        *number,
             const Client      *client,
             RelaisSafeChannel *channel)
{
  g_autofree char *token = relais_hub_new_token ();
  SafeSession     *session = g_new0 (SafeSession, 1);
  GHashTableIter   iter;
  gpointer         value;
  gint64           now = self->safe->now ();

  /* Forget sessions past their time, so the table stays small. */
  g_hash_table_iter_init (&iter, self->safe->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SafeSession *) value)->expires_at <= now)
      g_hash_table_iter_remove (&iter);

  session->safe_id = safe_id;
  session->number = g_strdup (number);
  session->station = g_strdup (client->name);
  session->channel = channel;
  session->expires_at = now + SESSION_IDLE_MS;
  g_hash_table_insert (self->safe->sessions, relais_hub_hash_token (token), session);
  return g_steal_pointer (&token);
}

/* ---- station routes ---- */

static void
handle_hello (RelaisHub         *self,
              SoupServerMessage *msg,
              JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *hub_pk = NULL;
  const char      *number;

  if (!relais_hub_json_only (root, (const char *[]) { "number", NULL }, &error)
      || (number = relais_hub_json_string (root, "number", TRUE, 32, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  record = relais_db_safe_get (self->db, number, &error);
  if (record == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  hub_pk = relais_safe_base64 (self->safe->keys->box_pk, 32);
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "number", record->number);
  relais_hub_json_add_string (builder, "state", record->locked_at != 0 ? "locked" : record->state);
  relais_hub_json_add_string (builder, "hub_pk", hub_pk);
  if (record->salt != NULL)
    {
      g_autofree char *salt = relais_safe_base64 (g_bytes_get_data (record->salt, NULL), g_bytes_get_size (record->salt));
      g_autofree char *box_pk = relais_safe_base64 (g_bytes_get_data (record->box_pk, NULL), g_bytes_get_size (record->box_pk));

      relais_hub_json_add_string (builder, "salt", salt);
      relais_hub_json_add_string (builder, "box_pk", box_pk);
    }
  relais_hub_json_add_int (builder, "remaining", MAX (0, RELAIS_HUB_SAFE_MAX_ATTEMPTS - record->attempts));
  if (record->announced_at != 0)
    {
      relais_hub_json_add_int (builder, "delete_after", record->announced_at + self->safe->notice_ms);
    }
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

/* Refuses when the safe is locked, else counts a wrong secret and
 * answers how many tries are left. */
static void
reply_wrong (RelaisHub         *self,
             SoupServerMessage *msg,
             const Client      *client,
             RelaisSafeRecord  *record,
             gboolean           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  gboolean         locked = FALSE;
  int              attempts;

  attempts = relais_db_safe_count_failure (self->db, record->id, RELAIS_HUB_SAFE_MAX_ATTEMPTS,
                                           self->safe->now (), &locked, &error);
  if (attempts < 0)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, "resident", locked ? "locked" : "wrong-pin", client->name, NULL);
  if (locked)
    message = g_strdup (_relais_hub_safe_locked_message);
  else if (RELAIS_HUB_SAFE_MAX_ATTEMPTS - attempts == 1)
    message = g_strdup (code ? "Code de la carte faux. Attention : encore une erreur et le coffre sera bloqué."
                             : "Code secret faux. Attention : encore une erreur et le coffre sera bloqué.");
  else
    message = g_strdup_printf (code ? "Code de la carte faux. Il vous reste %d essais."
                                    : "Code secret faux. Il vous reste %d essais.",
                               RELAIS_HUB_SAFE_MAX_ATTEMPTS - attempts);
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "error", message);
  relais_hub_json_add_int (builder, "remaining", MAX (0, RELAIS_HUB_SAFE_MAX_ATTEMPTS - attempts));
  relais_hub_json_add_bool (builder, "locked", locked);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _relais_hub_reply_json (msg, locked ? STATUS_LOCKED : SOUP_STATUS_FORBIDDEN, node);
}

/* The hub's half of a safe's key, as stored: encrypted with the hub key
 * (so useless without the key file); @secret is wiped. */
static GBytes *
encrypt_hub_secret (RelaisHub *self,
                    GBytes    *secret)
{
  guint8 *enc = g_malloc (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32);

  randombytes_buf (enc, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (enc + crypto_secretbox_NONCEBYTES, g_bytes_get_data (secret, NULL), 32, enc,
                         self->safe->keys->secret_key);
  sodium_memzero ((gpointer) g_bytes_get_data (secret, NULL), 32);
  return g_bytes_new_take (enc, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32);
}

/* Reads "number", "epk" and "sealed" and opens the channel. */
static RelaisSafeRecord *
read_sealed_request (RelaisHub          *self,
                     SoupServerMessage  *msg,
                     JsonObject         *root,
                     RelaisSafeChannel **channel,
                     GBytes            **plain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) epk = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  const char *number;
  const char *sealed;

  if (!relais_hub_json_only (root, (const char *[]) { "number", "epk", "sealed", NULL }, &error)
      || (number = relais_hub_json_string (root, "number", TRUE, 32, &error)) == NULL
      || (epk = _relais_hub_safe_json_bytes (root, "epk", 32, &error)) == NULL
      || (sealed = relais_hub_json_string (root, "sealed", TRUE, 4096, &error)) == NULL
      || (*channel = relais_safe_channel_new_server (self->safe->keys->box_sk,
                                                     g_bytes_get_data (epk, NULL), &error))
             == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return NULL;
    }
  *plain = relais_safe_channel_open (*channel, sealed, &error);
  if (*plain == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return NULL;
    }
  record = relais_db_safe_get (self->db, number, &error);
  if (record == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return NULL;
    }
  if (record->locked_at != 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      relais_hub_json_add_bool (builder, "locked", TRUE);
      relais_hub_json_add_int (builder, "remaining", 0);
      relais_hub_json_add_string (builder, "error", _relais_hub_safe_locked_message);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      _relais_hub_reply_json (msg, STATUS_LOCKED, node);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static void
reply_opened (RelaisHub         *self,
              SoupServerMessage *msg,
              const Client      *client,
              RelaisSafeRecord  *record,
              RelaisSafeChannel *channel,
              GBytes            *sealed_plain)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *token = NULL;
  g_autofree char *sealed = NULL;

  if (sealed_plain != NULL)
    sealed = relais_safe_channel_seal (channel, g_bytes_get_data (sealed_plain, NULL), g_bytes_get_size (sealed_plain));
  token = new_session (self, record->id, record->number, client, channel);
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "session", token);
  if (sealed != NULL)
    {
      relais_hub_json_add_string (builder, "sealed", sealed);
    }
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

static void
handle_activate (RelaisHub         *self,
                 SoupServerMessage *msg,
                 const Client      *client,
                 JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) code_hash = NULL;
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) auth = NULL;
  g_autoptr(GBytes) hub_secret = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) box_pk = NULL;
  g_autoptr(GBytes) verifier = NULL;
  g_autoptr(GBytes) secret_enc = NULL;
  const char *code;
  JsonObject *inner;
  JsonNode   *inner_root;

  record = read_sealed_request (self, msg, root, &channel, &plain);
  if (record == NULL)
    return;
  if (!g_str_equal (record->state, "new"))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT, N_ ("Ce coffre a déjà un code secret."));
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), &error)
      || (inner_root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (inner_root))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "message chiffré illisible");
      return;
    }
  inner = json_node_get_object (inner_root);
  if (!relais_hub_json_only (inner, (const char *[]) { "code", "salt", "auth", "hub_secret", "wrapped_keys", "box_pk", NULL }, &error)
      || (code = relais_hub_json_string (inner, "code", TRUE, 16, &error)) == NULL
      || (salt = _relais_hub_safe_json_bytes (inner, "salt", RELAIS_SAFE_SALT_BYTES, &error)) == NULL
      || (auth = _relais_hub_safe_json_bytes (inner, "auth", 32, &error)) == NULL
      || (hub_secret = _relais_hub_safe_json_bytes (inner, "hub_secret", 32, &error)) == NULL
      || (wrapped = _relais_hub_safe_json_bytes (inner, "wrapped_keys", 0, &error)) == NULL
      || (box_pk = _relais_hub_safe_json_bytes (inner, "box_pk", 32, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  code_hash = _relais_hub_safe_keyed_hash (self->safe->keys->code_key, (const guint8 *) code, strlen (code));
  if (!bytes_equal_ct (code_hash, record->activation_hash))
    {
      reply_wrong (self, msg, client, record, TRUE);
      return;
    }

  verifier = _relais_hub_safe_keyed_hash (self->safe->keys->verifier_key, g_bytes_get_data (auth, NULL), 32);
  secret_enc = encrypt_hub_secret (self, hub_secret);
  if (!relais_db_safe_setup (self->db, record->id, salt, verifier, secret_enc, wrapped, box_pk,
                             self->safe->now (), &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, "resident", "activate", client->name, NULL);
  _relais_hub_safe_journal (self, record->id, "resident", "open", client->name, NULL);
  reply_opened (self, msg, client, record, g_steal_pointer (&channel), NULL);
}

static void
handle_open (RelaisHub         *self,
             SoupServerMessage *msg,
             const Client      *client,
             JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(GBytes) auth = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(GBytes) verifier = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *secret_b64 = NULL;
  g_autofree char *wrapped_b64 = NULL;
  g_autoptr(GBytes) inner_bytes = NULL;
  guint8        secret[32];
  gsize         enc_length = 0;
  const guint8 *enc;

  record = read_sealed_request (self, msg, root, &channel, &auth);
  if (record == NULL)
    return;
  if (!g_str_equal (record->state, "ready"))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT,
                               N_ ("Ce coffre n'a pas encore de code secret : tapez le code de la carte."));
      return;
    }
  if (g_bytes_get_size (auth) != 32)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "preuve du code secret invalide");
      return;
    }
  verifier = _relais_hub_safe_keyed_hash (self->safe->keys->verifier_key, g_bytes_get_data (auth, NULL), 32);
  if (!bytes_equal_ct (verifier, record->verifier))
    {
      reply_wrong (self, msg, client, record, FALSE);
      return;
    }

  /* The counter allowed it and the PIN is right: release the hub's half. */
  enc = g_bytes_get_data (record->hub_secret, &enc_length);
  if (enc_length != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32
      || crypto_secretbox_open_easy (secret, enc + crypto_secretbox_NONCEBYTES,
                                     enc_length - crypto_secretbox_NONCEBYTES, enc,
                                     self->safe->keys->secret_key)
             != 0)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                               N_ ("La clé des coffres du hub n'est pas celle de ce coffre : demandez à l'accueil."));
      return;
    }
  if (!relais_db_safe_mark_used (self->db, record->id, self->safe->now (), &error))
    {
      sodium_memzero (secret, sizeof secret);
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, "resident", "open", client->name, NULL);

  secret_b64 = relais_safe_base64 (secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  wrapped_b64 = relais_safe_base64 (g_bytes_get_data (record->wrapped_keys, NULL), g_bytes_get_size (record->wrapped_keys));
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "hub_secret", secret_b64);
  relais_hub_json_add_string (builder, "wrapped_keys", wrapped_b64);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  inner = relais_hub_json_to_string (node);
  sodium_memzero (secret_b64, strlen (secret_b64));
  {
    gsize inner_length = strlen (inner);

    inner_bytes = g_bytes_new_take (g_steal_pointer (&inner), inner_length);
  }
  reply_opened (self, msg, client, record, g_steal_pointer (&channel), inner_bytes);
  /* The hub secret was in that text: wipe it before it is freed. */
  sodium_memzero ((gpointer) g_bytes_get_data (inner_bytes, NULL), g_bytes_get_size (inner_bytes));
}

JsonNode *
_relais_hub_safe_documents_json (GPtrArray         *list,
                                 RelaisSafeKeyring *only,
                                 RelaisSafeChannel *channel)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_assert (only == NULL || channel != NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      RelaisSafeDocument *doc = g_ptr_array_index (list, i);
      const guint8       *dk = only != NULL ? relais_safe_keyring_lookup (only, doc->id) : NULL;
      g_autofree char    *head = NULL;

      if (only != NULL && dk == NULL)
        continue;
      head = relais_safe_base64 (g_bytes_get_data (doc->head, NULL), g_bytes_get_size (doc->head));
      json_builder_begin_object (builder);
      relais_hub_json_add_string (builder, "id", doc->id);
      relais_hub_json_add_string (builder, "category", doc->category);
      relais_hub_json_add_string (builder, "head", head);
      relais_hub_json_add_int (builder, "size", doc->size);
      relais_hub_json_add_bool (builder, "deposited", doc->deposited);
      relais_hub_json_add_int (builder, "created_at", doc->created_at);
      if (dk != NULL)
        {
          /* Sealed to the console's key of the moment: the document's key
           * never crosses the network in clear, even over plain HTTP. */
          g_autofree char *sealed = relais_safe_channel_seal (channel, dk, RELAIS_SAFE_KEY_BYTES);

          relais_hub_json_add_string (builder, "key", sealed);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
handle_list (RelaisHub         *self,
             SoupServerMessage *msg,
             SafeSession       *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = relais_db_safe_document_list (self->db, session->safe_id, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (list == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "documents");
  json_builder_add_value (builder, _relais_hub_safe_documents_json (list, NULL, NULL));
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

/* Checks an uploaded envelope: its head must parse, and a deposit (no
 * session) must be sealed to the box key. Returns its head. */
static GBytes *
check_envelope (RelaisHub         *self,
                SoupServerMessage *msg,
                GBytes           **body_out,
                gboolean           deposit)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) head = NULL;
  gsize head_length;

  /* This route's own cap: the global max-body-bytes stays small for JSON. */
  if ((gsize) body->length > self->safe->max_document)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                               N_ ("Document trop grand pour le coffre."));
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  head_length = relais_safe_envelope_head_length (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (head_length == 0)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "ce n'est pas un document chiffré du coffre");
      return NULL;
    }
  head = g_bytes_new_from_bytes (bytes, 0, head_length);
  if (deposit && !relais_safe_envelope_is_deposit (head))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "un dépôt doit être scellé pour le coffre");
      return NULL;
    }
  *body_out = g_steal_pointer (&bytes);
  return g_steal_pointer (&head);
}

static gboolean
check_upload_params (SoupServerMessage *msg,
                     GHashTable       **params,
                     const char       **id,
                     const char       **category)
{
  *id = query_get (msg, "id", params);
  *category = query_get (msg, "category", params);
  if (*id == NULL || strlen (*id) < 8 || strlen (*id) > MAX_KEY_LENGTH)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« id » manque (8 à 128 caractères)");
      return FALSE;
    }
  if (!relais_db_safe_category_valid (*category))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "catégorie inconnue");
      return FALSE;
    }
  return TRUE;
}

/* The station's deposit bucket, refilled for the time since its last
 * use: an hour's worth at most. */
static DepositBucket *
deposit_bucket (RelaisHub  *self,
                const char *station)
{
  RelaisHubSafe *safe = self->safe;
  DepositBucket *bucket = g_hash_table_lookup (safe->deposit_buckets, station);
  gint64         now = safe->now ();
  double         hours;

  if (bucket == NULL)
    {
      bucket = g_new0 (DepositBucket, 1);
      bucket->documents = safe->limits.deposits_per_hour;
      bucket->bytes = safe->limits.deposit_bytes_per_hour;
      bucket->updated = now;
      g_hash_table_insert (safe->deposit_buckets, g_strdup (station), bucket);
    }
  hours = MAX (0, now - bucket->updated) / 3600000.0;
  bucket->documents = MIN (safe->limits.deposits_per_hour, bucket->documents + hours * safe->limits.deposits_per_hour);
  bucket->bytes = MIN (safe->limits.deposit_bytes_per_hour, bucket->bytes + hours * safe->limits.deposit_bytes_per_hour);
  bucket->updated = now;
  return bucket;
}

/* 429 with the wait, in minutes, before this deposit would fit. */
static void
reply_station_busy (RelaisHub         *self,
                    SoupServerMessage *msg,
                    DepositBucket     *bucket,
                    gsize              size)
{
  RelaisHubSafeLimits *limits = &self->safe->limits;
  double               wait_documents = (1 - bucket->documents) / limits->deposits_per_hour;
  double               wait_bytes = ((double) size - bucket->bytes) / limits->deposit_bytes_per_hour;
  gint64               seconds = (gint64) (MAX (wait_documents, wait_bytes) * 3600) + 1;
  g_autofree char     *retry = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
  g_autofree char     *message = g_strdup_printf ("Trop de documents déposés sans code depuis ce poste : "
                                                      "réessayez dans %" G_GINT64_FORMAT " minutes.",
                                                  (seconds + 59) / 60);
  g_autoptr(JsonNode) node = relais_hub_json_error (message);

  /* The station says it in the resident's language. */
  json_object_set_int_member (json_node_get_object (node), "minutes", (seconds + 59) / 60);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
  _relais_hub_reply_json (msg, RELAIS_HUB_STATUS_TOO_MANY_REQUESTS, node);
}

/* "600 Mo", or "100 Ko" below a megabyte. */
static char *
size_text (gint64 bytes)
{
  bytes = MAX (0, bytes);
  if (bytes >= 1024 * 1024)
    return g_strdup_printf ("%" G_GINT64_FORMAT " Mo", bytes / (1024 * 1024));
  return g_strdup_printf ("%" G_GINT64_FORMAT " Ko", bytes / 1024);
}

/* The safe's room: its quota, and for a deposit the deposits waiting for
 * its owner. Replies 507 and returns FALSE when @size does not fit. */
static gboolean
check_room (RelaisHub         *self,
            SoupServerMessage *msg,
            RelaisSafeRecord  *record,
            gsize              size,
            gboolean           deposited)
{
  RelaisHubSafeLimits *limits = &self->safe->limits;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject     *answer;
  RelaisSafeUsage usage = { 0 };

  if (!relais_db_safe_usage (self->db, record->id, record->last_used_at, &usage, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return FALSE;
    }
  if (usage.documents + 1 > limits->quota_documents)
    {
      message = g_strdup_printf ("Le coffre est plein : %" G_GINT64_FORMAT " documents au plus. "
                                 "Supprimez-en pour en mettre d'autres.",
                                 limits->quota_documents);
      node = relais_hub_json_error (message);
      answer = json_node_get_object (node);
      json_object_set_string_member (answer, "full", "documents");
      json_object_set_int_member (answer, "quota_documents", limits->quota_documents);
    }
  else if (usage.bytes + (gint64) size > limits->quota_bytes)
    {
      g_autofree char *quota = size_text (limits->quota_bytes);
      g_autofree char *left = size_text (limits->quota_bytes - usage.bytes);

      message = g_strdup_printf ("Le coffre est plein : %s au plus, il reste %s. "
                                 "Supprimez des documents pour en mettre d'autres.",
                                 quota, left);
      node = relais_hub_json_error (message);
      answer = json_node_get_object (node);
      json_object_set_string_member (answer, "full", "bytes");
      json_object_set_int_member (answer, "quota_bytes", limits->quota_bytes);
      json_object_set_int_member (answer, "left_bytes", MAX (0, limits->quota_bytes - usage.bytes));
    }
  else if (deposited && (usage.waiting_documents + 1 > RELAIS_HUB_SAFE_WAITING_DEPOSITS || usage.waiting_bytes + (gint64) size > (gint64) RELAIS_HUB_SAFE_WAITING_DEPOSIT_MB * 1024 * 1024))
    {
      message = g_strdup_printf ("Ce coffre a déjà %" G_GINT64_FORMAT " documents déposés sans code qui attendent : "
                                 "la personne doit ouvrir son coffre avec son code secret avant d'en recevoir d'autres.",
                                 usage.waiting_documents);
      node = relais_hub_json_error (message);
      answer = json_node_get_object (node);
      json_object_set_string_member (answer, "full", "waiting");
      json_object_set_int_member (answer, "waiting_documents", usage.waiting_documents);
    }
  if (node == NULL)
    return TRUE;
  _relais_hub_reply_json (msg, SOUP_STATUS_INSUFFICIENT_STORAGE, node);
  return FALSE;
}

static void
store_document (RelaisHub         *self,
                SoupServerMessage *msg,
                const Client      *client,
                RelaisSafeRecord  *record,
                const char        *id,
                const char        *category,
                GBytes            *head,
                GBytes            *body,
                gboolean           deposited)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gsize          size = g_bytes_get_size (body);
  DepositBucket *bucket = NULL;
  gboolean       duplicate = FALSE;
  int            same;

  /* A resend of what is already there is answered as such, full or not. */
  same = relais_db_safe_document_same (self->db, record->id, id, body, &error);
  if (error != NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  if (same < 0)
    {
      if (deposited)
        {
          bucket = deposit_bucket (self, client->name);
          if (bucket->documents < 1 || bucket->bytes < (double) size)
            {
              reply_station_busy (self, msg, bucket, size);
              return;
            }
        }
      if (!check_room (self, msg, record, size, deposited))
        return;
    }
  if (!relais_db_safe_document_add (self->db, record->id, id, category, head, body, deposited,
                                    self->safe->now (), &duplicate, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  if (!duplicate)
    {
      if (bucket != NULL)
        {
          bucket->documents -= 1;
          bucket->bytes -= size;
        }
      _relais_hub_safe_journal (self, record->id, "resident", deposited ? "deposit" : "add", client->name, id);
    }
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "id", id);
  relais_hub_json_add_string (builder, "status", duplicate ? "duplicate" : "stored");
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

static void
handle_upload (RelaisHub         *self,
               SoupServerMessage *msg,
               const Client      *client,
               SafeSession       *session)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  const char *category;

  if (!check_upload_params (msg, &params, &id, &category))
    return;
  head = check_envelope (self, msg, &body, FALSE);
  if (head == NULL)
    return;
  record = relais_db_safe_get_by_id (self->db, session->safe_id, &error);
  if (record == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  store_document (self, msg, client, record, id, category, head, body, FALSE);
}

/* A scan sealed to the safe's public key, made with the hub or the PIN
 * unavailable: no session, and nothing the station could read back. */
static void
handle_deposit (RelaisHub         *self,
                SoupServerMessage *msg,
                const Client      *client)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  const char *category;
  const char *number;

  if (!check_upload_params (msg, &params, &id, &category))
    return;
  number = query_get (msg, "number", &params);
  if (number == NULL || (record = relais_db_safe_get (self->db, number, &error)) == NULL)
    {
      if (error != NULL)
        _relais_hub_safe_reply_db_error (msg, error);
      else
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« number » manque");
      return;
    }
  head = check_envelope (self, msg, &body, TRUE);
  if (head == NULL)
    return;
  store_document (self, msg, client, record, id, category, head, body, TRUE);
}

static void
handle_download (RelaisHub         *self,
                 SoupServerMessage *msg,
                 const Client      *client,
                 SafeSession       *session,
                 const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = relais_db_safe_document_body (self->db, session->safe_id, id, &error);

  if (body == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, session->safe_id, "resident", "view", client->name, id);
  _relais_hub_safe_reply_bytes (msg, body);
}

static void
handle_delete (RelaisHub         *self,
               SoupServerMessage *msg,
               const Client      *client,
               SafeSession       *session,
               const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!relais_db_safe_document_delete (self->db, session->safe_id, id, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, session->safe_id, "resident", "delete", client->name, id);
  node = relais_hub_json_status ("deleted");
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_pin (RelaisHub         *self,
            SoupServerMessage *msg,
            const Client      *client,
            SafeSession       *session,
            JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) auth = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) verifier = NULL;
  g_autoptr(GBytes) hub_secret = NULL;
  g_autoptr(GBytes) secret_enc = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *sealed;
  JsonNode   *inner_root;
  JsonObject *inner;

  if (!relais_hub_json_only (root, (const char *[]) { "sealed", NULL }, &error)
      || (sealed = relais_hub_json_string (root, "sealed", TRUE, 4096, &error)) == NULL
      || (plain = relais_safe_channel_open (session->channel, sealed, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), NULL)
      || (inner_root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (inner_root))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "message chiffré illisible");
      return;
    }
  inner = json_node_get_object (inner_root);
  if (!relais_hub_json_only (inner, (const char *[]) { "salt", "auth", "hub_secret", "wrapped_keys", NULL }, &error)
      || (salt = _relais_hub_safe_json_bytes (inner, "salt", RELAIS_SAFE_SALT_BYTES, &error)) == NULL
      || (auth = _relais_hub_safe_json_bytes (inner, "auth", 32, &error)) == NULL
      || (hub_secret = _relais_hub_safe_json_bytes (inner, "hub_secret", 32, &error)) == NULL
      || (wrapped = _relais_hub_safe_json_bytes (inner, "wrapped_keys", 0, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  verifier = _relais_hub_safe_keyed_hash (self->safe->keys->verifier_key, g_bytes_get_data (auth, NULL), 32);
  secret_enc = encrypt_hub_secret (self, hub_secret);
  if (!relais_db_safe_set_pin (self->db, session->safe_id, salt, verifier, secret_enc, wrapped, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, session->safe_id, "resident", "pin", client->name, NULL);
  node = relais_hub_json_status ("changed");
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

static JsonNode *
journal_json (RelaisHub *self,
              gint64     safe_id,
              GError   **error)
{
  g_autoptr(GPtrArray) list = relais_db_safe_journal_list (self->db, safe_id, JOURNAL_LIMIT, error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (list == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "journal");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      RelaisSafeJournalEntry *entry = g_ptr_array_index (list, i);

      json_builder_begin_object (builder);
      relais_hub_json_add_int (builder, "at", entry->at);
      relais_hub_json_add_string (builder, "who", entry->who);
      relais_hub_json_add_string (builder, "what", entry->what);
      if (entry->station != NULL)
        {
          relais_hub_json_add_string (builder, "station", entry->station);
        }
      if (entry->detail != NULL)
        {
          relais_hub_json_add_string (builder, "detail", entry->detail);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
handle_journal (RelaisHub         *self,
                SoupServerMessage *msg,
                SafeSession       *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = journal_json (self, session->safe_id, &error);

  if (node == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* ---- the station's routes (relais-hub-routes.c) ---- */

/* Every route under /safe/ needs the safes' state: without it, 503. */
static gboolean
safe_ready (RelaisHub         *self,
            SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;

  if (_relais_hub_safe_get (self, &error) != NULL)
    return TRUE;
  _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
  return FALSE;
}

SafeSession *
_relais_hub_safe_opened (RelaisHub           *self,
                         SoupServerMessage   *msg,
                         const RelaisHubCall *call)
{
  if (!safe_ready (self, msg))
    return NULL;
  return safe_session (self, msg, call->client);
}

gsize
_relais_hub_safe_max_upload (RelaisHub *self)
{
  RelaisHubSafe *safe = _relais_hub_safe_get (self, NULL);

  /* Without its state the route answers for itself. */
  return safe != NULL ? MAX (self->max_body, safe->max_document) : G_MAXSIZE;
}

void
_relais_hub_handle_safe_hello (RelaisHub           *self,
                               SoupServerMessage   *msg,
                               const RelaisHubCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (!safe_ready (self, msg) || (root = _relais_hub_read_json_body (self, msg, parser)) == NULL)
    return;
  /* A safe of another site of the département comes from the centre. */
  if (_relais_hub_central_safe_visit (self, msg, root, handle_hello))
    return;
  handle_hello (self, msg, root);
}

void
_relais_hub_handle_safe_open (RelaisHub           *self,
                              SoupServerMessage   *msg,
                              const RelaisHubCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (!safe_ready (self, msg) || (root = _relais_hub_read_json_body (self, msg, parser)) == NULL)
    return;
  handle_open (self, msg, call->client, root);
}

void
_relais_hub_handle_safe_activate (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (!safe_ready (self, msg) || (root = _relais_hub_read_json_body (self, msg, parser)) == NULL)
    return;
  handle_activate (self, msg, call->client, root);
}

void
_relais_hub_handle_safe_deposit (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  if (safe_ready (self, msg))
    handle_deposit (self, msg, call->client);
}

void
_relais_hub_handle_safe_list (RelaisHub           *self,
                              SoupServerMessage   *msg,
                              const RelaisHubCall *call)
{
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);

  if (session != NULL)
    handle_list (self, msg, session);
}

void
_relais_hub_handle_safe_upload (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);

  if (session != NULL)
    handle_upload (self, msg, call->client, session);
}

void
_relais_hub_handle_safe_download (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);

  if (session != NULL)
    handle_download (self, msg, call->client, session, call->args[0]);
}

void
_relais_hub_handle_safe_delete (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);

  if (session != NULL)
    handle_delete (self, msg, call->client, session, call->args[0]);
}

void
_relais_hub_handle_safe_journal (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);

  if (session != NULL)
    handle_journal (self, msg, session);
}

void
_relais_hub_handle_safe_close (RelaisHub           *self,
                               SoupServerMessage   *msg,
                               const RelaisHubCall *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char    *hash = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (_relais_hub_safe_opened (self, msg, call) == NULL)
    return;
  hash = relais_hub_hash_token (soup_message_headers_get_one (headers, "X-Relais-Safe"));
  node = relais_hub_json_status ("closed");
  g_hash_table_remove (self->safe->sessions, hash);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

void
_relais_hub_handle_safe_pin (RelaisHub           *self,
                             SoupServerMessage   *msg,
                             const RelaisHubCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);
  JsonObject  *root;

  if (session == NULL || (root = _relais_hub_read_json_body (self, msg, parser)) == NULL)
    return;
  handle_pin (self, msg, call->client, session, root);
}
