/* relais-safe-client-open.c: what the hub says of a safe, its first
 * opening with the card's code, opening with the PIN (Argon2id here, on
 * the station), closing. Part of relais-safe-client.c. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

void
_relais_safe_client_hello_free (RelaisSafeHello *hello)
{
  g_free (hello->state);
  g_clear_pointer (&hello->hub_pk, g_bytes_unref);
  g_clear_pointer (&hello->salt, g_bytes_unref);
  g_clear_pointer (&hello->box_pk, g_bytes_unref);
  g_free (hello);
}
RelaisSafeHello *
_relais_safe_client_hello (RelaisSafeClient *self,
                           const char       *number,
                           GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(RelaisSafeHello) result = g_new0 (RelaisSafeHello, 1);

  if (!_relais_safe_client_valid_number (number, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, number);
  json_builder_end_object (builder);
  body = _relais_safe_client_object_node (builder);
  answer = _relais_safe_client_call_json (self, "POST", "/safe/hello", body, NULL, error);
  if (answer == NULL)
    return NULL;
  result->state = g_strdup (json_object_get_string_member_with_default (answer, "state", "ready"));
  result->remaining = json_object_get_int_member_with_default (answer, "remaining", 0);
  result->hub_pk = _relais_safe_client_member_bytes (answer, "hub_pk", 32, error);
  if (result->hub_pk == NULL)
    return NULL;
  if (json_object_has_member (answer, "salt"))
    {
      result->salt = _relais_safe_client_member_bytes (answer, "salt", RELAIS_SAFE_SALT_BYTES, error);
      result->box_pk = _relais_safe_client_member_bytes (answer, "box_pk", 32, error);
      if (result->salt == NULL || result->box_pk == NULL)
        return NULL;
      /* Remembered, so that a scan can go into this safe with the hub down. */
      if (self->db != NULL)
        {
          g_mutex_lock (&self->db_lock);
          relais_db_safe_key_remember (self->db, number, result->box_pk, relais_db_now_ms (), NULL);
          g_mutex_unlock (&self->db_lock);
        }
    }
  return g_steal_pointer (&result);
}

char *
relais_safe_client_hello (RelaisSafeClient *self,
                          const char       *number,
                          int              *remaining,
                          GError          **error)
{
  g_autoptr(RelaisSafeHello) h = _relais_safe_client_hello (self, number, error);

  if (h == NULL)
    return NULL;
  if (remaining != NULL)
    *remaining = h->remaining;
  return g_strdup (h->state);
}

/* POSTs {number, epk, sealed} to @path over a fresh channel. */
static JsonObject *
sealed_call (RelaisSafeClient   *self,
             const char         *path,
             const char         *number,
             GBytes             *hub_pk,
             const guint8       *plain,
             gsize               length,
             RelaisSafeChannel **channel_out,
             int                *remaining,
             GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *epk_b64 = NULL;
  g_autofree char *sealed = NULL;
  guint8           epk[32];
  JsonObject      *answer;
  long             status = 0;

  channel = relais_safe_channel_new_client (g_bytes_get_data (hub_pk, NULL), epk);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  sealed = relais_safe_channel_seal (channel, plain, length);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, number);
  json_builder_set_member_name (builder, "epk");
  json_builder_add_string_value (builder, epk_b64);
  json_builder_set_member_name (builder, "sealed");
  json_builder_add_string_value (builder, sealed);
  json_builder_end_object (builder);
  body = _relais_safe_client_object_node (builder);
  answer = _relais_safe_client_call_json (self, "POST", path, body, &status, &local);
  if (answer == NULL)
    {
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED))
        *remaining = 0;
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *channel_out = g_steal_pointer (&channel);
  return answer;
}

static void
set_session (RelaisSafeClient  *self,
             const char        *number,
             JsonObject        *answer,
             RelaisSafeKeys    *keys,
             RelaisSafeChannel *channel)
{
  _relais_safe_client_forget (self);
  self->number = g_strdup (number);
  self->session_header = g_strconcat ("X-Relais-Safe: ",
                                      json_object_get_string_member_with_default (answer, "session", ""), NULL);
  self->keys = keys;
  self->channel = channel;
}

gboolean
relais_safe_client_activate (RelaisSafeClient *self,
                             const char       *number,
                             const char       *code,
                             const char       *pin,
                             GError          **error)
{
  g_autoptr(RelaisSafeHello) h = NULL;
  g_autoptr(RelaisSafeKeys) keys = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) inner = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char   *text = NULL;
  RelaisSafeChannel *channel = NULL;
  RelaisSafePinKeys  pin_keys;
  guint8             salt[RELAIS_SAFE_SALT_BYTES];
  guint8             hub_secret[32];
  char              *b64;

  g_return_val_if_fail (self != NULL && code != NULL, FALSE);

  if (!relais_safe_pin_valid (pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _ ("Le code secret doit avoir de 4 à 8 chiffres."));
      return FALSE;
    }
  h = _relais_safe_client_hello (self, number, error);
  if (h == NULL)
    return FALSE;

  /* Every key is made here; the hub gets only what it must keep. */
  randombytes_buf (salt, sizeof salt);
  randombytes_buf (hub_secret, sizeof hub_secret);
  if (!relais_safe_derive_pin (pin, salt, &pin_keys, error))
    return FALSE;
  keys = relais_safe_keys_new_random ();
  wrapped = relais_safe_keys_wrap (keys, pin_keys.wrap, hub_secret);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
#define ADD_B64(name, data, length)             \
  b64 = relais_safe_base64 (data, length);      \
  json_builder_set_member_name (builder, name); \
  json_builder_add_string_value (builder, b64); \
  sodium_memzero (b64, strlen (b64));           \
  g_free (b64)
  ADD_B64 ("salt", salt, sizeof salt);
  ADD_B64 ("auth", pin_keys.auth, sizeof pin_keys.auth);
  ADD_B64 ("hub_secret", hub_secret, sizeof hub_secret);
  ADD_B64 ("wrapped_keys", g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped));
  ADD_B64 ("box_pk", keys->box_pk, sizeof keys->box_pk);
#undef ADD_B64
  json_builder_end_object (builder);
  inner = _relais_safe_client_object_node (builder);
  text = json_to_string (inner, FALSE);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero (hub_secret, sizeof hub_secret);

  answer = sealed_call (self, "/safe/activate", number, h->hub_pk, (const guint8 *) text, strlen (text),
                        &channel, NULL, error);
  sodium_memzero (text, strlen (text));
  if (answer == NULL)
    return FALSE;
  if (self->db != NULL)
    {
      g_autoptr(GBytes) box_pk = g_bytes_new (keys->box_pk, sizeof keys->box_pk);

      g_mutex_lock (&self->db_lock);
      relais_db_safe_key_remember (self->db, number, box_pk, relais_db_now_ms (), NULL);
      g_mutex_unlock (&self->db_lock);
    }
  set_session (self, number, answer, g_steal_pointer (&keys), channel);
  return TRUE;
}

gboolean
relais_safe_client_open (RelaisSafeClient *self,
                         const char       *number,
                         const char       *pin,
                         int              *remaining,
                         GError          **error)
{
  g_autoptr(RelaisSafeHello) h = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) inner = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) hub_secret = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  RelaisSafeKeys   *keys;
  RelaisSafePinKeys pin_keys;
  JsonNode         *root;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!relais_safe_pin_valid (pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN,
                           _ ("Le code secret a de 4 à 8 chiffres."));
      return FALSE;
    }
  h = _relais_safe_client_hello (self, number, error);
  if (h == NULL)
    return FALSE;
  if (remaining != NULL)
    *remaining = h->remaining;
  if (g_str_equal (h->state, "locked"))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED,
                           _ ("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."));
      return FALSE;
    }
  if (h->salt == NULL)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _ ("Ce coffre est neuf : tapez d'abord le code de la carte."));
      return FALSE;
    }

  /* Argon2id runs here, on the station: the hub never sees the PIN. */
  if (!relais_safe_derive_pin (pin, g_bytes_get_data (h->salt, NULL), &pin_keys, error))
    return FALSE;
  answer = sealed_call (self, "/safe/open", number, h->hub_pk, pin_keys.auth, sizeof pin_keys.auth,
                        &channel, NULL, &local);
  if (answer == NULL)
    {
      sodium_memzero (&pin_keys, sizeof pin_keys);
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN))
        *remaining = MAX (0, h->remaining - 1);
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED))
        *remaining = 0;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  inner = relais_safe_channel_open (channel, json_object_get_string_member_with_default (answer, "sealed", NULL), &local);
  if (inner == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (inner, NULL), g_bytes_get_size (inner), &local)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* The channel's and the parser's words are for the log. */
      _relais_safe_client_set_unreadable (error, local != NULL && local->domain == RELAIS_SAFE_ERROR ? local->code : RELAIS_SAFE_ERROR_FORMAT,
                                          local != NULL ? local->message : "not a JSON object");
      sodium_memzero (&pin_keys, sizeof pin_keys);
      return FALSE;
    }
  if ((hub_secret = _relais_safe_client_member_bytes (json_node_get_object (root), "hub_secret", 32, error)) == NULL
      || (wrapped = _relais_safe_client_member_bytes (json_node_get_object (root), "wrapped_keys", 0, error)) == NULL)
    {
      sodium_memzero (&pin_keys, sizeof pin_keys);
      return FALSE;
    }
  keys = relais_safe_keys_unwrap (wrapped, pin_keys.wrap, g_bytes_get_data (hub_secret, NULL), error);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero ((gpointer) g_bytes_get_data (hub_secret, NULL), 32);
  sodium_memzero ((gpointer) g_bytes_get_data (inner, NULL), g_bytes_get_size (inner));
  if (keys == NULL)
    return FALSE;
  set_session (self, number, answer, keys, g_steal_pointer (&channel));
  return TRUE;
}

void
relais_safe_client_close (RelaisSafeClient *self)
{
  if (self->session_header != NULL && !self->consented)
    {
      long status = 0;
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
      g_autoptr(GBytes) answer = _relais_safe_client_call (self, "POST", "/safe/close", empty, 4096, &status, NULL);
    }
  _relais_safe_client_forget (self);
}
