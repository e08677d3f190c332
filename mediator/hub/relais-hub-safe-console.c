/* relais-hub-safe-console.c: a resident's consent to a mediator, and the
 * mediators' safe routes (create, unlock, read with consent).
 * Part of relais-hub-safe.c; see relais-hub-safe-private.h. */
#define G_LOG_DOMAIN "relais-hub"

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-hub-safe.h"
#include "relais-hub-safe-private.h"
#include "relais-db-safe.h"
#include "relais-safe-crypto.h"

#include <sodium.h>

static char *
grant_key (gint64      safe_id,
           const char *login)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", safe_id, login);
}

/* The resident, with the safe open (so with the PIN), lets one mediator
 * see it for a while: the keys travel boxed and stay in memory. */
void
_relais_hub_safe_handle_consent (RelaisHub         *self,
                SoupServerMessage *msg,
                const Client      *client,
                SafeSession       *session,
                JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) keys = NULL;
  g_autoptr(RelaisMediator) mediator = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *until_text = NULL;
  const char *login;
  const char *sealed;
  gint64 minutes = RELAIS_HUB_SAFE_CONSENT_MINUTES;
  gint64 now = self->safe->now ();
  gint64 until;
  Grant *grant;

  if (!relais_hub_json_only (root, (const char *[]) { "mediator", "minutes", "sealed", NULL }, &error)
      || (login = relais_hub_json_string (root, "mediator", TRUE, 64, &error)) == NULL
      || !relais_hub_json_int (root, "minutes", FALSE, &minutes, &error)
      || (sealed = relais_hub_json_string (root, "sealed", TRUE, 4096, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (minutes < 1 || minutes > 24 * 60)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "durée : de 1 minute à 24 heures");
      return;
    }
  mediator = relais_db_mediator_lookup (self->db, login, NULL, &error);
  if (mediator == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  keys = relais_safe_channel_open (session->channel, sealed, &error);
  if (keys == NULL || g_bytes_get_size (keys) != 2 * RELAIS_SAFE_KEY_BYTES)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "clés du coffre illisibles");
      return;
    }
  until = now + minutes * 60 * 1000;
  if (!relais_db_safe_consent_add (self->db, session->safe_id, mediator->login, client->name, now, until, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  until_text = g_strdup_printf ("%" G_GINT64_FORMAT, until);
  _relais_hub_safe_journal (self, session->safe_id, "resident", "consent", client->name, mediator->login);
  grant = g_new0 (Grant, 1);
  grant->keys = g_steal_pointer (&keys);
  grant->until = until;
  g_hash_table_replace (self->safe->grants, grant_key (session->safe_id, mediator->login), grant);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mediator");
  json_builder_add_string_value (builder, mediator->display_name);
  json_builder_set_member_name (builder, "until");
  json_builder_add_int_value (builder, until);
  json_builder_end_object (builder);
  _relais_hub_safe_reply_builder (msg, builder);
}

/* ---- mediators' routes (console + session) ---- */

static void
handle_create (RelaisHub            *self,
               SoupServerMessage    *msg,
               const RelaisMediator *mediator)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  const char *resident = NULL;
  JsonObject *root;

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (!relais_hub_json_only (root, (const char *[]) { "resident", NULL }, &error)
      || (resident = relais_hub_json_string (root, "resident", FALSE, 32, &error), error != NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  /* A few tries: a random 10-digit number rarely exists already. */
  for (int attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *number = _relais_hub_safe_random_digits (NUMBER_DIGITS);
      g_autofree char *code = _relais_hub_safe_random_digits (CODE_DIGITS);
      g_autoptr(GBytes) code_hash = _relais_hub_safe_keyed_hash (self->safe->keys->code_key, (const guint8 *) code, strlen (code));
      g_autoptr(GError) local = NULL;
      gint64 id = relais_db_safe_create (self->db, number, resident, code_hash, who, self->safe->now (), &local);

      if (id == 0 && g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT))
        continue;
      if (id == 0)
        {
          _relais_hub_safe_reply_db_error (msg, local);
          return;
        }
      _relais_hub_safe_journal (self, id, who, "create", NULL, NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, number);
      /* Shown once, for the card: the resident types it, then chooses a PIN. */
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
      json_builder_end_object (builder);
      _relais_hub_safe_reply_builder (msg, builder);
      return;
    }
  _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "aucun numéro libre : réessayez");
}

static void
handle_unlock (RelaisHub            *self,
               SoupServerMessage    *msg,
               const RelaisMediator *mediator,
               RelaisSafeRecord     *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);

  if (!relais_db_safe_unlock (self->db, record->id, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, who, "unlock", NULL, NULL);
  node = json_from_string ("{\"status\":\"unlocked\"}", NULL);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* The keys a consent gave this mediator, or NULL once it has ended. */
static Grant *
active_grant (RelaisHub            *self,
              const RelaisMediator *mediator,
              RelaisSafeRecord     *record)
{
  g_autofree char *key = grant_key (record->id, mediator->login);
  Grant *grant = g_hash_table_lookup (self->safe->grants, key);
  gint64 now = self->safe->now ();

  if (grant != NULL && (grant->until <= now
                        || relais_db_safe_consent_until (self->db, record->id, mediator->login, now) == 0))
    {
      /* Ended: the keys go at once, not at the next restart. */
      g_hash_table_remove (self->safe->grants, key);
      grant = NULL;
    }
  return grant;
}

static void
handle_consented (RelaisHub            *self,
                  SoupServerMessage    *msg,
                  const RelaisMediator *mediator,
                  RelaisSafeRecord     *record,
                  const char           *document)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  Grant *grant = active_grant (self, mediator, record);

  if (grant == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                               "Pas d'accord de la personne pour ce coffre, ou l'accord a pris fin.");
      return;
    }
  if (document != NULL)
    {
      g_autoptr(GBytes) body = relais_db_safe_document_body (self->db, record->id, document, &error);

      if (body == NULL)
        {
          _relais_hub_safe_reply_db_error (msg, error);
          return;
        }
      _relais_hub_safe_journal (self, record->id, who, "mediator-view", NULL, document);
      _relais_hub_safe_reply_bytes (msg, body);
    }
  else
    {
      g_autoptr(GPtrArray) list = relais_db_safe_document_list (self->db, record->id, &error);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *keys = NULL;

      if (list == NULL)
        {
          _relais_hub_safe_reply_db_error (msg, error);
          return;
        }
      keys = relais_safe_base64 (g_bytes_get_data (grant->keys, NULL), g_bytes_get_size (grant->keys));
      _relais_hub_safe_journal (self, record->id, who, "mediator-open", NULL, NULL);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "until");
      json_builder_add_int_value (builder, grant->until);
      json_builder_set_member_name (builder, "keys");
      json_builder_add_string_value (builder, keys);
      json_builder_set_member_name (builder, "documents");
      json_builder_add_value (builder, _relais_hub_safe_documents_json (list));
      json_builder_end_object (builder);
      _relais_hub_safe_reply_builder (msg, builder);
      sodium_memzero (keys, strlen (keys));
    }
}

void
_relais_hub_handle_safes (RelaisHub            *self,
                          SoupServerMessage    *msg,
                          const Client         *client,
                          const RelaisMediator *mediator,
                          const char           *rest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_auto(GStrv) parts = g_strsplit (rest, "/", 0);
  guint n = g_strv_length (parts);
  gboolean post = g_str_equal (soup_server_message_get_method (msg), "POST");

  if (_relais_hub_safe_get (self, &error) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  if (post && n == 1 && g_str_equal (parts[0], "create"))
    {
      handle_create (self, msg, mediator);
      return;
    }
  if (n == 0 || *parts[0] == '\0' || (record = relais_db_safe_get (self->db, parts[0], &error)) == NULL)
    {
      if (error != NULL)
        _relais_hub_safe_reply_db_error (msg, error);
      else
        _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
      return;
    }
  if (post && n == 2 && g_str_equal (parts[1], "unlock"))
    handle_unlock (self, msg, mediator, record);
  else if (!post && n == 1)
    handle_consented (self, msg, mediator, record, NULL);
  else if (!post && n == 3 && g_str_equal (parts[1], "documents"))
    handle_consented (self, msg, mediator, record, parts[2]);
  else
    _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
}
