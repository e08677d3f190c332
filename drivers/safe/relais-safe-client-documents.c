/* relais-safe-client-documents.c: an open safe's documents: listed,
 * fetched and decrypted, encrypted and added, deleted; and a new PIN. Part
 * of relais-safe-client.c. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* The items of a listing; names open with the safe's keys, or on a
 * console with the document's own key. */
static GPtrArray *
items_from_answer (RelaisSafeClient *self,
                   JsonObject       *answer)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_item_free);
  JsonArray *documents = json_object_get_array_member (answer, "documents");

  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    {
      JsonObject *doc = json_array_get_object_element (documents, i);
      g_autoptr(RelaisSafeItem) item = g_new0 (RelaisSafeItem, 1);
      g_autoptr(GBytes) head = NULL;
      g_autoptr(GError) local = NULL;

      if (doc == NULL)
        continue;
      item->id = g_strdup (json_object_get_string_member_with_default (doc, "id", ""));
      item->category = g_strdup (json_object_get_string_member_with_default (doc, "category", "autre"));
      item->size = json_object_get_int_member_with_default (doc, "size", 0);
      item->created_at = json_object_get_int_member_with_default (doc, "created_at", 0);
      item->deposited = json_object_get_boolean_member_with_default (doc, "deposited", FALSE);
      head = relais_safe_unbase64 (json_object_get_string_member_with_default (doc, "head", NULL), 0, NULL);
      if (head != NULL && self->keys != NULL)
        item->name = relais_safe_open_name (self->keys, head, &local);
      else if (head != NULL && self->doc_keys != NULL)
        {
          const guint8 *dk = relais_safe_keyring_lookup (self->doc_keys, item->id);

          item->name = dk != NULL ? relais_safe_open_name_with_key (dk, head, &local) : NULL;
        }
      /* A document whose name does not open is listed, marked: opening it
       * will say it was altered. */
      if (item->name == NULL)
        item->name = g_strdup (_ ("(document abîmé)"));
      g_ptr_array_add (list, g_steal_pointer (&item));
    }
  return g_steal_pointer (&list);
}

GPtrArray *
relais_safe_client_list (RelaisSafeClient *self,
                         GError          **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!_relais_safe_client_check_open (self, error))
    return NULL;
  if (self->consented)
    {
      if (!_relais_safe_client_consented_call (self, &answer, error))
        return NULL;
    }
  else
    answer = _relais_safe_client_call_json (self, "GET", "/safe/documents", NULL, NULL, error);
  if (answer == NULL)
    return NULL;
  return items_from_answer (self, answer);
}

GBytes *
relais_safe_client_fetch (RelaisSafeClient *self,
                          const char       *id,
                          char            **name,
                          GError          **error)
{
  g_autoptr(GBytes) envelope = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  long             status = 0;

  if (!_relais_safe_client_check_open (self, error))
    return NULL;
  escaped = g_uri_escape_string (id, NULL, FALSE);
  if (self->consented)
    {
      g_autofree char *suffix = g_strconcat ("/documents/", escaped, NULL);
      path = _relais_safe_client_consented_path (self, suffix);
    }
  else
    path = g_strconcat ("/safe/documents/", escaped, NULL);
  envelope = _relais_safe_client_call (self, "GET", path, NULL, RELAIS_SAFE_CLIENT_MAX_DOCUMENT_ANSWER, &status, error);
  if (envelope == NULL)
    return NULL;
  if (status != 200)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = NULL;

      if (json_parser_load_from_data (parser, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), NULL))
        root = json_parser_get_root (parser);
      _relais_safe_client_set_hub_error (status, root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL, FALSE, error);
      return NULL;
    }
  if (self->consented)
    {
      const guint8 *dk = relais_safe_keyring_lookup (self->doc_keys, id);

      /* The hub refuses those first; a key missing here would be its bug. */
      if (dk == NULL)
        {
          g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                               _ ("Ce document n'était pas dans le coffre quand la personne a donné son accord."));
          return NULL;
        }
      return relais_safe_open_document_with_key (dk, envelope, name, error);
    }
  return relais_safe_open_document (self->keys, envelope, name, error);
}

char *
_relais_safe_client_upload (RelaisSafeClient *self,
                            const char       *path_prefix,
                            const char       *number,
                            const char       *id,
                            const char       *category,
                            GBytes           *envelope,
                            GError          **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *escaped_number = number != NULL ? g_uri_escape_string (number, NULL, FALSE) : NULL;
  JsonNode        *root = NULL;
  long             status = 0;

  path = number != NULL ? g_strdup_printf ("%s?id=%s&category=%s&number=%s", path_prefix, id, category, escaped_number)
                        : g_strdup_printf ("%s?id=%s&category=%s", path_prefix, id, category);
  answer = _relais_safe_client_call (self, "POST", path, envelope, RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER, &status, error);
  if (answer == NULL)
    return NULL;
  if (status != 200)
    {
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL))
        root = json_parser_get_root (parser);
      _relais_safe_client_set_hub_error (status, root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL, FALSE, error);
      return NULL;
    }
  return g_strdup (id);
}

gboolean
_relais_safe_client_check_document (const char *category,
                                    GBytes     *plain,
                                    GError    **error)
{
  if (category == NULL || !relais_db_safe_category_valid (category))
    {
      g_set_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED, _ ("Catégorie inconnue : %s"),
                   category != NULL ? category : "");
      return FALSE;
    }
  if (plain == NULL || g_bytes_get_size (plain) == 0)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED, _ ("Le document est vide."));
      return FALSE;
    }
  return TRUE;
}

char *
relais_safe_client_add (RelaisSafeClient *self,
                        const char       *category,
                        const char       *name,
                        GBytes           *plain,
                        gboolean         *queued,
                        GError          **error)
{
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = g_uuid_string_random ();
  char            *result;

  *queued = FALSE;
  if (!_relais_safe_client_check_open (self, error) || !_relais_safe_client_check_document (category, plain, error))
    return NULL;
  envelope = relais_safe_seal_document (self->keys, NULL, name, plain, error);
  if (envelope == NULL)
    return NULL;
  result = _relais_safe_client_upload (self, "/safe/documents", NULL, id, category, envelope, &local);
  if (result != NULL || !g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return result;
    }
  /* The hub went away meanwhile: seal it to the box key and queue it. */
  g_clear_pointer (&envelope, g_bytes_unref);
  envelope = relais_safe_seal_document (NULL, self->keys->box_pk, name, plain, error);
  if (envelope == NULL)
    return NULL;
  *queued = TRUE;
  return _relais_safe_client_queue_deposit (self, self->number, id, category, envelope, error);
}

gboolean
relais_safe_client_delete (RelaisSafeClient *self,
                           const char       *id,
                           GError          **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
  g_autoptr(JsonObject) answer = NULL;

  if (!_relais_safe_client_check_open (self, error))
    return FALSE;
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/safe/documents/", escaped, "/delete", NULL);
  answer = _relais_safe_client_call_json (self, "POST", path, body, NULL, error);
  return answer != NULL;
}

gboolean
relais_safe_client_change_pin (RelaisSafeClient *self,
                               const char       *new_pin,
                               GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) outer = json_builder_new ();
  g_autoptr(JsonNode) inner = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autofree char  *text = NULL;
  g_autofree char  *sealed = NULL;
  RelaisSafePinKeys pin_keys;
  guint8            salt[RELAIS_SAFE_SALT_BYTES];
  guint8            hub_secret[32];
  char             *b64;

  if (!_relais_safe_client_check_open (self, error))
    return FALSE;
  if (!relais_safe_pin_valid (new_pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _ ("Le code secret doit avoir de 4 à 8 chiffres."));
      return FALSE;
    }
  /* The station wiped the hub's secret after opening: the keys are
   * re-wrapped under a fresh one, sent boxed, that replaces the old. */
  randombytes_buf (salt, sizeof salt);
  randombytes_buf (hub_secret, sizeof hub_secret);
  if (!relais_safe_derive_pin (new_pin, salt, &pin_keys, error))
    return FALSE;
  wrapped = relais_safe_keys_wrap (self->keys, pin_keys.wrap, hub_secret);
  json_builder_begin_object (builder);
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
#undef ADD_B64
  json_builder_end_object (builder);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero (hub_secret, sizeof hub_secret);
  inner = _relais_safe_client_object_node (builder);
  text = json_to_string (inner, FALSE);
  sealed = relais_safe_channel_seal (self->channel, (const guint8 *) text, strlen (text));
  sodium_memzero (text, strlen (text));
  json_builder_begin_object (outer);
  json_builder_set_member_name (outer, "sealed");
  json_builder_add_string_value (outer, sealed);
  json_builder_end_object (outer);
  body = _relais_safe_client_object_node (outer);
  answer = _relais_safe_client_call_json (self, "POST", "/safe/pin", body, NULL, error);
  return answer != NULL;
}
