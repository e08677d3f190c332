/* relais-safe-client-consent.c: a resident lets a mediator see the
 * documents in the safe now (their own keys go, never the safe's); a
 * mediator's console opens them under that consent. Part of
 * relais-safe-client.c. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* How many document keys go in one consent request (the hub takes up to
 * CONSENT_BATCH_MAX, 256). */
#define CONSENT_BATCH 200

/* One request of a consent: the keys in @entries (id length, id, key),
 * boxed over the safe's channel; the first one names the mediator. */
static JsonObject *
consent_batch (RelaisSafeClient *self,
               const char       *login,
               int               minutes,
               gint64            consent_id,
               GByteArray       *entries,
               GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *sealed = relais_safe_channel_seal (self->channel, entries->data, entries->len);

  json_builder_begin_object (builder);
  if (consent_id == 0)
    {
      json_builder_set_member_name (builder, "mediator");
      json_builder_add_string_value (builder, login);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, minutes);
    }
  else
    {
      json_builder_set_member_name (builder, "consent");
      json_builder_add_int_value (builder, consent_id);
    }
  json_builder_set_member_name (builder, "sealed");
  json_builder_add_string_value (builder, sealed);
  json_builder_end_object (builder);
  body = _relais_safe_client_object_node (builder);
  return _relais_safe_client_call_json (self, "POST", "/safe/consent", body, NULL, error);
}

gint64
relais_safe_client_consent (RelaisSafeClient *self,
                            const char       *login,
                            int               minutes,
                            guint            *n_documents,
                            GError          **error)
{
  g_autoptr(JsonObject) listing = NULL;
  g_autoptr(GByteArray) entries = g_byte_array_new ();
  JsonArray *documents;
  gint64     consent_id = 0;
  gint64     until = 0;
  guint      n = 0;
  guint      total;

  if (!_relais_safe_client_check_open (self, error))
    return 0;
  if (self->keys == NULL)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _ ("Seule la personne, avec son code secret, peut donner un accord."));
      return 0;
    }
  /* The consent covers the documents in the safe now: their own keys go,
   * never the safe's, so nothing added later opens with them. */
  listing = _relais_safe_client_call_json (self, "GET", "/safe/documents", NULL, NULL, error);
  if (listing == NULL)
    return 0;
  documents = json_object_get_array_member (listing, "documents");
  total = documents != NULL ? json_array_get_length (documents) : 0;
  for (guint i = 0; i <= total; i++)
    {
      if (i < total)
        {
          JsonObject *doc = json_array_get_object_element (documents, i);
          const char *id = doc != NULL ? json_object_get_string_member_with_default (doc, "id", NULL) : NULL;
          g_autoptr(GBytes) head = doc != NULL ? relais_safe_unbase64 (json_object_get_string_member_with_default (doc, "head", NULL), 0, NULL) : NULL;
          guint8 dk[RELAIS_SAFE_KEY_BYTES];
          guint8 id_length;

          /* A document whose key does not open is left out: the mediator
           * could not open it either. */
          if (id == NULL || head == NULL || strlen (id) > 255
              || !relais_safe_document_key (self->keys, head, dk, NULL))
            continue;
          id_length = strlen (id);
          g_byte_array_append (entries, &id_length, 1);
          g_byte_array_append (entries, (const guint8 *) id, id_length);
          g_byte_array_append (entries, dk, sizeof dk);
          sodium_memzero (dk, sizeof dk);
          n++;
          if (n % CONSENT_BATCH != 0)
            continue;
        }
      /* A batch is full, or the list is done (the first request goes
       * even for an empty safe: it opens the consent). */
      if (entries->len > 0 || consent_id == 0)
        {
          g_autoptr(JsonObject) answer = consent_batch (self, login, minutes, consent_id, entries, error);

          sodium_memzero (entries->data, entries->len);
          g_byte_array_set_size (entries, 0);
          if (answer == NULL)
            return 0;
          if (consent_id == 0)
            {
              consent_id = json_object_get_int_member_with_default (answer, "consent", 0);
              until = json_object_get_int_member_with_default (answer, "until", 0);
              if (consent_id <= 0 || until <= 0)
                {
                  _relais_safe_client_set_unreadable (error, RELAIS_SAFE_ERROR_REFUSED, "not a JSON object");
                  return 0;
                }
            }
        }
    }
  if (n_documents != NULL)
    *n_documents = n;
  return until;
}

/* ---- a mediator, with consent ---- */

char *
_relais_safe_client_consented_path (RelaisSafeClient *self,
                                    const char       *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (self->number, NULL, FALSE);

  return g_strconcat ("/safes/", escaped, suffix, NULL);
}

/* POST /safes/NUMBER/consented with a key pair made for this answer
 * alone: the hub seals each covered document's key to it. The keys go in
 * self->doc_keys (replacing the last ones); the answer in @answer. */
gboolean
_relais_safe_client_consented_call (RelaisSafeClient *self,
                                    JsonObject      **answer_out,
                                    GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) hub_epk = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(RelaisSafeKeyring) ring = relais_safe_keyring_new ();
  g_autofree char *path = NULL;
  g_autofree char *epk_b64 = NULL;
  guint8           epk[32];
  guint8           esk[32];
  JsonArray       *documents;

  crypto_box_keypair (epk, esk);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epk");
  json_builder_add_string_value (builder, epk_b64);
  json_builder_end_object (builder);
  body = _relais_safe_client_object_node (builder);
  path = _relais_safe_client_consented_path (self, "/consented");
  answer = _relais_safe_client_call_json (self, "POST", path, body, NULL, error);
  if (answer == NULL
      || (hub_epk = _relais_safe_client_member_bytes (answer, "hub_epk", 32, error)) == NULL
      || (channel = relais_safe_channel_new_server (esk, g_bytes_get_data (hub_epk, NULL), error)) == NULL)
    {
      sodium_memzero (esk, sizeof esk);
      return FALSE;
    }
  sodium_memzero (esk, sizeof esk);
  documents = json_object_get_array_member (answer, "documents");
  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    {
      JsonObject *doc = json_array_get_object_element (documents, i);
      const char *id = doc != NULL ? json_object_get_string_member_with_default (doc, "id", NULL) : NULL;
      const char *sealed = doc != NULL ? json_object_get_string_member_with_default (doc, "key", NULL) : NULL;
      g_autoptr(GBytes) dk = sealed != NULL ? relais_safe_channel_open (channel, sealed, NULL) : NULL;

      if (id != NULL && dk != NULL && g_bytes_get_size (dk) == RELAIS_SAFE_KEY_BYTES)
        relais_safe_keyring_add (ring, id, g_bytes_get_data (dk, NULL));
      if (dk != NULL)
        sodium_memzero ((gpointer) g_bytes_get_data (dk, NULL), g_bytes_get_size (dk));
    }
  g_clear_pointer (&self->doc_keys, relais_safe_keyring_free);
  self->doc_keys = g_steal_pointer (&ring);
  self->consent_until = json_object_get_int_member_with_default (answer, "until", 0);
  *answer_out = g_steal_pointer (&answer);
  return TRUE;
}

gboolean
relais_safe_client_open_consented (RelaisSafeClient *self,
                                   const char       *number,
                                   GError          **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!_relais_safe_client_valid_number (number, error))
    return FALSE;
  _relais_safe_client_forget (self);
  self->number = g_strdup (number);
  self->consented = TRUE;
  if (!_relais_safe_client_consented_call (self, &answer, error))
    {
      _relais_safe_client_forget (self);
      return FALSE;
    }
  return TRUE;
}

gint64
relais_safe_client_get_consent_until (RelaisSafeClient *self)
{
  return self->consented ? self->consent_until : 0;
}
