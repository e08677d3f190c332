/* relais-hub-safe-console.c: a resident's consent to a mediator, and the
 * mediators' safe routes (create, unlock, read with consent).
 * Part of relais-hub-safe.c; see relais-hub-safe-private.h. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
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

/* The keys a consent covers, as the station sends them (boxed over the
 * safe's channel): entries of [1-byte id length][id][32-byte key], at most
 * CONSENT_BATCH_MAX. Every id must be a document of the safe: the keys go
 * into @ring. */
static gboolean
read_consent_keys (RelaisHub         *self,
                   gint64             safe_id,
                   GBytes            *plain,
                   RelaisSafeKeyring *ring,
                   GError           **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gsize         length = 0;
  const guint8 *data = g_bytes_get_data (plain, &length);
  gsize         offset = 0;
  guint         n = 0;

  list = relais_db_safe_document_list (self->db, safe_id, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    g_hash_table_add (ids, ((RelaisSafeDocument *) g_ptr_array_index (list, i))->id);
  while (offset < length)
    {
      gsize            id_length = data[offset];
      g_autofree char *id = NULL;

      if (id_length < 8 || id_length > MAX_KEY_LENGTH || offset + 1 + id_length + RELAIS_SAFE_KEY_BYTES > length
          || ++n > CONSENT_BATCH_MAX)
        {
          g_set_error_literal (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                               length == 2 * RELAIS_SAFE_KEY_BYTES
                                   ? "Cette borne doit être mise à jour pour donner un accord."
                                   : "clés des documents illisibles");
          return FALSE;
        }
      id = g_strndup ((const char *) data + offset + 1, id_length);
      if (!g_hash_table_contains (ids, id))
        {
          /* 64 bytes that do not parse: the safe's two keys, as stations
           * sent them before consents carried document keys. */
          if (length == 2 * RELAIS_SAFE_KEY_BYTES)
            g_set_error_literal (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                                 "Cette borne doit être mise à jour pour donner un accord.");
          else
            g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "document inconnu dans ce coffre : %s",
                         g_utf8_validate (id, -1, NULL) ? id : "?");
          return FALSE;
        }
      relais_safe_keyring_add (ring, id, data + offset + 1 + id_length);
      offset += 1 + id_length + RELAIS_SAFE_KEY_BYTES;
    }
  return TRUE;
}

static Grant *
find_grant (RelaisHub *self,
            gint64     safe_id,
            gint64     consent_id)
{
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, self->safe->grants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Grant *) value)->safe_id == safe_id && ((Grant *) value)->consent_id == consent_id)
      return value;
  return NULL;
}

static void
reply_consent (SoupServerMessage *msg,
               const char        *mediator,
               Grant             *grant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (mediator != NULL)
    {
      relais_hub_json_add_string (builder, "mediator", mediator);
    }
  relais_hub_json_add_int (builder, "consent", grant->consent_id);
  relais_hub_json_add_int (builder, "until", grant->until);
  relais_hub_json_add_int (builder, "documents", relais_safe_keyring_get_size (grant->keys));
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

/* The resident, with the safe open (so with the PIN), lets one mediator
 * see the documents now in the safe for a while: the station sends their
 * keys (never the safe's), boxed, and the hub keeps them in memory. A
 * full safe's keys come in several requests: the first opens the consent,
 * the next ones ({"consent": ID}) add to it. */
static void
handle_consent (RelaisHub         *self,
                SoupServerMessage *msg,
                const Client      *client,
                SafeSession       *session,
                JsonObject        *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(RelaisMediator) mediator = NULL;
  g_autoptr(RelaisSafeKeyring) ring = NULL;
  const char *login = NULL;
  const char *sealed;
  gint64      minutes = RELAIS_HUB_SAFE_CONSENT_MINUTES;
  gint64      consent_id = 0;
  gint64      now = self->safe->now ();
  Grant      *grant;
  gboolean    more;

  /* A batch of keys: under 100 characters a document once sealed. */
  if (!relais_hub_json_only (root, (const char *[]) { "mediator", "minutes", "sealed", "consent", NULL }, &error)
      || !relais_hub_json_int (root, "consent", FALSE, &consent_id, &error)
      || (sealed = relais_hub_json_string (root, "sealed", TRUE, 64 * 1024, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  more = json_object_has_member (root, "consent");
  if (!more
      && ((login = relais_hub_json_string (root, "mediator", TRUE, 64, &error)) == NULL
          || !relais_hub_json_int (root, "minutes", FALSE, &minutes, &error)))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (more && (json_object_has_member (root, "mediator") || json_object_has_member (root, "minutes")))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« consent » : la suite d'un accord ne change ni le médiateur ni la durée");
      return;
    }
  if (!more && (minutes < 1 || minutes > 24 * 60))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "durée : de 1 minute à 24 heures");
      return;
    }
  plain = relais_safe_channel_open (session->channel, sealed, &error);
  if (plain == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "clés des documents illisibles");
      return;
    }

  if (more)
    {
      grant = find_grant (self, session->safe_id, consent_id);
      if (grant == NULL || grant->until <= now || !g_str_equal (grant->station, client->name))
        {
          sodium_memzero ((gpointer) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
          _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT, "Cet accord a pris fin : donnez-en un nouveau.");
          return;
        }
      if (!read_consent_keys (self, session->safe_id, plain, grant->keys, &error))
        {
          sodium_memzero ((gpointer) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }
      sodium_memzero ((gpointer) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
      reply_consent (msg, NULL, grant);
      return;
    }

  ring = relais_safe_keyring_new ();
  if (!read_consent_keys (self, session->safe_id, plain, ring, &error))
    {
      sodium_memzero ((gpointer) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  sodium_memzero ((gpointer) g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  mediator = relais_db_mediator_lookup (self->db, login, NULL, &error);
  if (mediator == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  grant = g_new0 (Grant, 1);
  grant->keys = g_steal_pointer (&ring);
  grant->safe_id = session->safe_id;
  grant->station = g_strdup (client->name);
  grant->until = now + minutes * 60 * 1000;
  grant->consent_id = relais_db_safe_consent_add (self->db, session->safe_id, mediator->login, client->name,
                                                  now, grant->until, &error);
  if (grant->consent_id == 0)
    {
      relais_safe_keyring_free (grant->keys);
      g_free (grant->station);
      g_free (grant);
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, session->safe_id, "resident", "consent", client->name, mediator->login);
  /* A new consent to the same mediator replaces the last one: it covers
   * what is in the safe now. */
  g_hash_table_replace (self->safe->grants, grant_key (session->safe_id, mediator->login), grant);
  reply_consent (msg, mediator->display_name, grant);
}

/* POST /safe/consent, from the station where the safe is open. */
void
_relais_hub_handle_safe_consent (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SafeSession *session = _relais_hub_safe_opened (self, msg, call);
  JsonObject  *root;

  if (session == NULL || (root = _relais_hub_read_json_body (self, msg, parser)) == NULL)
    return;
  handle_consent (self, msg, call->client, session, root);
}

/* ---- mediators' routes (console + session) ---- */

/* The recovery code's keyed hash: its digits only, so "12345-67890" and
 * "1234567890" are the same code. */
static GBytes *
recovery_keyed_hash (RelaisHub  *self,
                     const char *code)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = code; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return _relais_hub_safe_keyed_hash (self->safe->keys->code_key, (const guint8 *) digits->str, digits->len);
}

static void
handle_create (RelaisHub            *self,
               SoupServerMessage    *msg,
               const RelaisMediator *mediator)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  const char      *resident = NULL;
  JsonObject      *root;

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
      g_autofree char *recovery = _relais_hub_safe_random_digits (RECOVERY_DIGITS);
      g_autoptr(GBytes) code_hash = _relais_hub_safe_keyed_hash (self->safe->keys->code_key, (const guint8 *) code, strlen (code));
      g_autoptr(GBytes) recovery_hash = recovery_keyed_hash (self, recovery);
      g_autoptr(GError) local = NULL;
      gint64 id = relais_db_safe_create (self->db, number, resident, code_hash, recovery_hash, who,
                                         self->safe->now (), &local);

      if (id == 0 && g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT))
        continue;
      if (id == 0)
        {
          _relais_hub_safe_reply_db_error (msg, local);
          return;
        }
      _relais_hub_safe_journal (self, id, who, "create", NULL, NULL);
      json_builder_begin_object (builder);
      relais_hub_json_add_string (builder, "number", number);
      /* Shown once, for the card: the resident types it, then chooses a PIN. */
      relais_hub_json_add_string (builder, "code", code);
      /* Printed on the sheet that comes with the card, to keep at home:
       * past a few unlocks a mediator asks for it. */
      relais_hub_json_add_string (builder, "recovery", recovery);
      json_builder_end_object (builder);
      _relais_hub_reply_builder (msg, builder);
      return;
    }
  _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "aucun numéro libre : réessayez");
}

static void
reply_unlocked (RelaisHub         *self,
                SoupServerMessage *msg,
                const char        *who,
                RelaisSafeRecord  *record,
                gboolean           recovered,
                const char        *detail)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!relais_db_safe_unlock (self->db, record->id, recovered, &error))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, who, "unlock", NULL, detail);
  node = relais_hub_json_status ("unlocked");
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

/* POST /safes/NUMBER/unlock {"recovery"?}; @record NULL for a number
 * that does not exist. A mediator alone unlocks a
 * locked safe RELAIS_HUB_SAFE_FREE_UNLOCKS times with no right PIN in
 * between; then the card's recovery code, or a responsable, is needed:
 * otherwise "unlock, guess five more" would try every PIN. Every unlock
 * and every refusal is in the journal the resident reads. */
static void
handle_unlock (RelaisHub            *self,
               SoupServerMessage    *msg,
               const RelaisMediator *mediator,
               RelaisSafeRecord     *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  gboolean         staff = relais_mediator_has_role (mediator, "staff");
  const char      *recovery = NULL;
  JsonObject      *root;

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (!relais_hub_json_only (root, (const char *[]) { "recovery", NULL }, &error)
      || (recovery = relais_hub_json_string (root, "recovery", FALSE, 32, &error), error != NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (recovery != NULL && *recovery == '\0')
    recovery = NULL;
  /* Unknown or not locked: one answer (see _relais_hub_handle_safes). */
  if (record == NULL || record->locked_at == 0)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT,
                               "Aucun coffre bloqué sous ce numéro : vérifiez le numéro sur la carte.");
      return;
    }

  if (recovery != NULL)
    {
      g_autoptr(GBytes) hash = NULL;
      g_autofree char *message = NULL;
      int              failures;

      if (record->recovery_hash == NULL)
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                                   "Ce coffre a été créé sans code de secours : seul un responsable peut le débloquer.");
          return;
        }
      if (record->recovery_attempts >= RELAIS_HUB_SAFE_MAX_RECOVERY_ATTEMPTS)
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                                   "Trop de codes de secours faux : seul un responsable peut débloquer ce coffre.");
          return;
        }
      hash = recovery_keyed_hash (self, recovery);
      if (g_bytes_get_size (hash) == g_bytes_get_size (record->recovery_hash)
          && sodium_memcmp (g_bytes_get_data (hash, NULL), g_bytes_get_data (record->recovery_hash, NULL),
                            g_bytes_get_size (hash))
                 == 0)
        {
          reply_unlocked (self, msg, who, record, TRUE, "recovery");
          return;
        }
      failures = relais_db_safe_count_recovery_failure (self->db, record->id, &error);
      if (failures < 0)
        {
          _relais_hub_safe_reply_db_error (msg, error);
          return;
        }
      _relais_hub_safe_journal (self, record->id, who, "recovery-wrong", NULL, NULL);
      if (failures >= RELAIS_HUB_SAFE_MAX_RECOVERY_ATTEMPTS)
        message = g_strdup ("Code de secours faux. C'était le dernier essai : seul un responsable peut "
                            "maintenant débloquer ce coffre.");
      else
        message = g_strdup_printf ("Code de secours faux. Il reste %d essais.",
                                   RELAIS_HUB_SAFE_MAX_RECOVERY_ATTEMPTS - failures);
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, message);
      return;
    }
  if (staff)
    {
      reply_unlocked (self, msg, who, record, FALSE, "staff");
      return;
    }
  if (record->unlocks < RELAIS_HUB_SAFE_FREE_UNLOCKS)
    {
      reply_unlocked (self, msg, who, record, FALSE, NULL);
      return;
    }
  _relais_hub_safe_journal (self, record->id, who, "unlock-refused", NULL, NULL);
  _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                           "Ce coffre a déjà été débloqué deux fois sans que le bon code secret soit tapé. "
                           "Pour le débloquer encore : tapez le code de secours de la personne (sur la feuille "
                           "remise avec sa carte), ou demandez à un responsable.");
}

/* The keys a consent gave this mediator, or NULL once it has ended (or
 * for @record NULL: a number that does not exist). */
static Grant *
active_grant (RelaisHub            *self,
              const RelaisMediator *mediator,
              RelaisSafeRecord     *record)
{
  g_autofree char *key = NULL;
  Grant           *grant;
  gint64           now = self->safe->now ();

  if (record == NULL)
    return NULL;
  key = grant_key (record->id, mediator->login);
  grant = g_hash_table_lookup (self->safe->grants, key);

  if (grant != NULL && (grant->until <= now || relais_db_safe_consent_until (self->db, record->id, mediator->login, now) == 0))
    {
      /* Ended: the keys go at once, not at the next sweep. */
      g_hash_table_remove (self->safe->grants, key);
      grant = NULL;
    }
  return grant;
}

static const char no_consent_message[] =
    "Pas d'accord de la personne pour ce coffre, ou l'accord a pris fin.";

/* POST /safes/NUMBER/consented {"epk"}: the documents the consent covers,
 * each with its key sealed to the console's ephemeral key @epk (the hub
 * answers with its own ephemeral key, "hub_epk"). */
static void
handle_consented_list (RelaisHub            *self,
                       SoupServerMessage    *msg,
                       const RelaisMediator *mediator,
                       RelaisSafeRecord     *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) epk = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  g_autofree char *hub_epk_b64 = NULL;
  guint8           hub_epk[32];
  Grant           *grant;
  JsonObject      *root;

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (!relais_hub_json_only (root, (const char *[]) { "epk", NULL }, &error)
      || (epk = _relais_hub_safe_json_bytes (root, "epk", 32, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  grant = active_grant (self, mediator, record);
  if (grant == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, no_consent_message);
      return;
    }
  list = relais_db_safe_document_list (self->db, record->id, &error);
  if (list == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  /* A key pair of the hub's for this answer alone, against the console's. */
  channel = relais_safe_channel_new_client (g_bytes_get_data (epk, NULL), hub_epk);
  hub_epk_b64 = relais_safe_base64 (hub_epk, sizeof hub_epk);
  _relais_hub_safe_journal (self, record->id, who, "mediator-open", NULL, NULL);
  json_builder_begin_object (builder);
  relais_hub_json_add_int (builder, "until", grant->until);
  relais_hub_json_add_string (builder, "hub_epk", hub_epk_b64);
  json_builder_set_member_name (builder, "documents");
  json_builder_add_value (builder, _relais_hub_safe_documents_json (list, grant->keys, channel));
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
}

/* GET /safes/NUMBER/documents/ID: the envelope of a covered document. */
static void
handle_consented_document (RelaisHub            *self,
                           SoupServerMessage    *msg,
                           const RelaisMediator *mediator,
                           RelaisSafeRecord     *record,
                           const char           *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *who = g_strconcat ("mediator:", mediator->login, NULL);
  Grant           *grant = active_grant (self, mediator, record);

  if (grant == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, no_consent_message);
      return;
    }
  if (relais_safe_keyring_lookup (grant->keys, document) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                               "Ce document n'était pas dans le coffre quand la personne a donné son accord.");
      return;
    }
  body = relais_db_safe_document_body (self->db, record->id, document, &error);
  if (body == NULL)
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return;
    }
  _relais_hub_safe_journal (self, record->id, who, "mediator-view", NULL, document);
  _relais_hub_safe_reply_bytes (msg, body);
}

/* ---- the mediators' routes (relais-hub-routes.c) ---- */

/* Every route under /safes/ needs the safes' state: without it, 503. */
static gboolean
safes_ready (RelaisHub         *self,
             SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;

  if (_relais_hub_safe_get (self, &error) != NULL)
    return TRUE;
  _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
  return FALSE;
}

/* The safe of /safes/NUMBER/…, or NULL for a number that does not exist
 * (*@answered FALSE): the route comes first, then the safe, so that a
 * number that does not exist gets the same status and sentence as one
 * the mediator may not see, and the console cannot be used to find which
 * numbers exist. */
static RelaisSafeRecord *
safes_record (RelaisHub           *self,
              SoupServerMessage   *msg,
              const RelaisHubCall *call,
              gboolean            *answered)
{
  g_autoptr(GError) error = NULL;
  RelaisSafeRecord *record;

  *answered = TRUE;
  if (!safes_ready (self, msg))
    return NULL;
  record = relais_db_safe_get (self->db, call->args[0], &error);
  if (record == NULL && !g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
    {
      _relais_hub_safe_reply_db_error (msg, error);
      return NULL;
    }
  *answered = FALSE;
  return record;
}

void
_relais_hub_handle_safes_create (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  if (safes_ready (self, msg))
    handle_create (self, msg, call->client->mediator);
}

void
_relais_hub_handle_safes_unlock (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  gboolean answered;
  g_autoptr(RelaisSafeRecord) record = safes_record (self, msg, call, &answered);

  if (!answered)
    handle_unlock (self, msg, call->client->mediator, record);
}

void
_relais_hub_handle_safes_consented (RelaisHub           *self,
                                    SoupServerMessage   *msg,
                                    const RelaisHubCall *call)
{
  gboolean answered;
  g_autoptr(RelaisSafeRecord) record = safes_record (self, msg, call, &answered);

  if (!answered)
    handle_consented_list (self, msg, call->client->mediator, record);
}

void
_relais_hub_handle_safes_document (RelaisHub           *self,
                                   SoupServerMessage   *msg,
                                   const RelaisHubCall *call)
{
  gboolean answered;
  g_autoptr(RelaisSafeRecord) record = safes_record (self, msg, call, &answered);

  if (!answered)
    handle_consented_document (self, msg, call->client->mediator, record, call->args[1]);
}
