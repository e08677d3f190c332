/* relais-hub-safe-state.c: the safes' state: the master key and the keys
 * derived from it, the settings and the retention of unused safes.
 * Part of relais-hub-safe.c; see relais-hub-safe-private.h. */

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-hub-safe.h"
#include "relais-hub-safe-private.h"
#include "relais-db-safe.h"
#include "relais-safe-crypto.h"

#include <sodium.h>

static void
session_free (SafeSession *session)
{
  g_free (session->number);
  g_free (session->station);
  relais_safe_channel_free (session->channel);
  g_free (session);
}

static void
grant_free (Grant *grant)
{
  /* The keyring wipes its keys. */
  relais_safe_keyring_free (grant->keys);
  g_free (grant->station);
  g_free (grant);
}

void
_relais_hub_safe_sweep (RelaisHubSafe *safe)
{
  GHashTableIter iter;
  gpointer       value;
  gint64         now = safe->now ();

  g_hash_table_iter_init (&iter, safe->grants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Grant *) value)->until <= now)
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, safe->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SafeSession *) value)->expires_at <= now)
      g_hash_table_iter_remove (&iter);
}

/* A consent's keys leave the hub's memory when it ends, even if nobody
 * asks for that safe again. */
static gboolean
sweep_cb (gpointer user_data)
{
  _relais_hub_safe_sweep (user_data);
  return G_SOURCE_CONTINUE;
}

void
_relais_hub_safe_free (RelaisHubSafe *safe)
{
  if (safe == NULL)
    return;
  g_clear_handle_id (&safe->retention_id, g_source_remove);
  g_clear_handle_id (&safe->sweep_id, g_source_remove);
  g_clear_pointer (&safe->sessions, g_hash_table_unref);
  g_clear_pointer (&safe->grants, g_hash_table_unref);
  g_clear_pointer (&safe->deposit_buckets, g_hash_table_unref);
  if (safe->keys != NULL)
    sodium_free (safe->keys);
  g_free (safe);
}

/* ---- the master key ---- */

static gboolean
load_master_key (const char *path,
                 guint8     *master,
                 GError    **error)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;
  g_autoptr(GError) local = NULL;

  if (g_file_get_contents (path, &contents, &length, &local))
    {
      if (length != 32)
        {
          sodium_memzero (contents, length);
          g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                       "Clé des coffres %s illisible (32 octets attendus, %zu lus)", path, length);
          return FALSE;
        }
      memcpy (master, contents, 32);
      sodium_memzero (contents, length);
      return TRUE;
    }
  if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "Clé des coffres : ");
      return FALSE;
    }
  /* First start: a fresh key, readable by the hub's user only. Losing it
   * loses every safe: back it up apart from the database. */
  randombytes_buf (master, 32);
  if (!g_file_set_contents_full (path, (const char *) master, 32,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, "Clé des coffres : ");
      return FALSE;
    }
  return TRUE;
}

static RelaisHubSafe *
safe_new (const char *key_path,
          GError    **error)
{
  g_autoptr(GError) local = NULL;
  guint8         master[32];
  RelaisHubSafe *safe;

  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  if (!load_master_key (key_path, master, error))
    return NULL;

  safe = g_new0 (RelaisHubSafe, 1);
  safe->keys = sodium_malloc (sizeof (HubKeys));
  g_assert (safe->keys != NULL);
  crypto_kdf_derive_from_key (safe->keys->verifier_key, 32, 1, "RelaisHB", master);
  crypto_kdf_derive_from_key (safe->keys->secret_key, 32, 2, "RelaisHB", master);
  crypto_kdf_derive_from_key (safe->keys->code_key, 32, 3, "RelaisHB", master);
  crypto_kdf_derive_from_key (safe->keys->box_sk, 32, 4, "RelaisHB", master);
  crypto_scalarmult_base (safe->keys->box_pk, safe->keys->box_sk);
  crypto_kdf_derive_from_key (safe->keys->document_key, 32, 5, "RelaisHB", master);
  sodium_memzero (master, sizeof master);

  safe->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_free);
  safe->grants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) grant_free);
  safe->now = relais_db_now_ms;
  safe->retention_ms = (gint64) 3 * 365 * 24 * 3600 * 1000;
  safe->notice_ms = (gint64) 90 * 24 * 3600 * 1000;
  safe->max_document = RELAIS_HUB_SAFE_MAX_DOCUMENT;
  safe->limits = (RelaisHubSafeLimits) {
    .quota_bytes = (gint64) RELAIS_HUB_SAFE_QUOTA_MB * 1024 * 1024,
    .quota_documents = RELAIS_HUB_SAFE_QUOTA_DOCUMENTS,
    .deposits_per_hour = RELAIS_HUB_SAFE_DEPOSITS_PER_HOUR,
    .deposit_bytes_per_hour = (gint64) RELAIS_HUB_SAFE_DEPOSIT_MB_PER_HOUR * 1024 * 1024,
  };
  safe->deposit_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  safe->sweep_id = g_timeout_add_seconds (60, sweep_cb, safe);
  return safe;
}

char *
relais_hub_safe_key_path (const char *db_path,
                          const char *configured)
{
  g_return_val_if_fail (db_path != NULL, NULL);

  if (configured != NULL && *configured != '\0')
    return g_strdup (configured);
  return g_strconcat (db_path, ".safe-key", NULL);
}

static char *
default_key_path (RelaisHub *self)
{
  return relais_hub_safe_key_path (relais_db_get_path (self->db), NULL);
}

gboolean
relais_hub_safe_check_key (RelaisDb   *db,
                           const char *key_path,
                           gboolean   *checked,
                           GError    **error)
{
  g_autoptr(GBytes) enc = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  guint8           secret_key[32];
  guint8           secret[32];
  gsize            length = 0;
  const guint8    *data;
  gboolean         ok;

  g_return_val_if_fail (db != NULL && key_path != NULL, FALSE);

  *checked = FALSE;
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  enc = relais_db_safe_any_hub_secret (db, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!g_file_get_contents (key_path, &contents, &length, &local))
    {
      /* A hub would make a new key and no safe would open. */
      if (enc == NULL)
        return TRUE;
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                   "La clé des coffres %s est introuvable : sans elle, aucun coffre de cette base ne s'ouvre "
                   "(%s).",
                   key_path, local->message);
      return FALSE;
    }
  if (length != 32)
    {
      sodium_memzero (contents, length);
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                   "Clé des coffres %s illisible (32 octets attendus, %zu lus)", key_path, length);
      return FALSE;
    }
  if (enc == NULL)
    {
      sodium_memzero (contents, length);
      return TRUE;
    }
  crypto_kdf_derive_from_key (secret_key, sizeof secret_key, 2, "RelaisHB", (const guint8 *) contents);
  sodium_memzero (contents, length);
  data = g_bytes_get_data (enc, &length);
  ok = length == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 32
       && crypto_secretbox_open_easy (secret, data + crypto_secretbox_NONCEBYTES,
                                      length - crypto_secretbox_NONCEBYTES, data, secret_key)
              == 0;
  sodium_memzero (secret_key, sizeof secret_key);
  sodium_memzero (secret, sizeof secret);
  *checked = TRUE;
  if (!ok)
    g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_LISTEN,
                 "La clé des coffres %s n'est pas celle des coffres de cette base : avec elle, aucun ne "
                 "s'ouvrirait. Remettez la bonne clé (sa copie de sauvegarde).",
                 key_path);
  return ok;
}

const guint8 *
_relais_hub_document_key (RelaisHub *self,
                          GError   **error)
{
  RelaisHubSafe *safe = _relais_hub_safe_get (self, error);

  return safe != NULL ? safe->keys->document_key : NULL;
}

/* The safes' state, made with the defaults on first use. */
RelaisHubSafe *
_relais_hub_safe_get (RelaisHub *self,
                      GError   **error)
{
  if (self->safe == NULL)
    {
      g_autofree char *path = default_key_path (self);
      self->safe = safe_new (path, error);
    }
  return self->safe;
}

static gboolean
retention_cb (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!relais_hub_safe_run_retention (user_data, &error))
    g_message ("coffres : conservation : %s", error->message);
  return G_SOURCE_CONTINUE;
}

gboolean
relais_hub_set_safe (RelaisHub  *self,
                     const char *key_path,
                     int         retention_days,
                     int         notice_days,
                     gsize       max_document,
                     GError    **error)
{
  g_autofree char *path = NULL;
  RelaisHubSafe   *safe;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);
  g_return_val_if_fail (retention_days >= 1 && notice_days >= 0 && max_document > 0, FALSE);

  path = key_path != NULL && *key_path != '\0' ? g_strdup (key_path) : default_key_path (self);
  safe = safe_new (path, error);
  if (safe == NULL)
    return FALSE;
  g_clear_pointer (&self->safe, _relais_hub_safe_free);
  self->safe = safe;
  safe->retention_ms = (gint64) retention_days * 24 * 3600 * 1000;
  safe->notice_ms = (gint64) notice_days * 24 * 3600 * 1000;
  safe->max_document = max_document;
  retention_cb (self);
  safe->retention_id = g_timeout_add_seconds (6 * 3600, retention_cb, self);
  return TRUE;
}

void
relais_hub_safe_set_limits (RelaisHub                 *self,
                            const RelaisHubSafeLimits *limits)
{
  g_autoptr(GError) error = NULL;
  RelaisHubSafe *safe;

  g_return_if_fail (RELAIS_IS_HUB (self));
  g_return_if_fail (limits != NULL && limits->quota_bytes > 0 && limits->quota_documents > 0
                    && limits->deposits_per_hour > 0 && limits->deposit_bytes_per_hour > 0);
  safe = _relais_hub_safe_get (self, &error);
  g_return_if_fail (safe != NULL);
  safe->limits = *limits;
  g_hash_table_remove_all (safe->deposit_buckets);
}

void
relais_hub_safe_set_clock (RelaisHub *self,
                           gint64 (*now) (void))
{
  g_autoptr(GError) error = NULL;
  RelaisHubSafe *safe;

  g_return_if_fail (RELAIS_IS_HUB (self));
  safe = _relais_hub_safe_get (self, &error);
  g_return_if_fail (safe != NULL);
  safe->now = now != NULL ? now : relais_db_now_ms;
}

/* The consoles' news of a safe the retention touched: {"number", "state"}
 * and, for one announced, "delete_after" (ms). */
static JsonNode *
safe_news (const char *number,
           const char *state,
           gint64      delete_after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "number", number);
  relais_hub_json_add_string (builder, "state", state);
  if (delete_after != 0)
    relais_hub_json_add_int (builder, "delete_after", delete_after);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
relais_hub_safe_run_retention (RelaisHub *self,
                               GError   **error)
{
  RelaisHubSafe *safe = _relais_hub_safe_get (self, error);
  g_autoptr(GPtrArray) announced = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  gint64 now;

  if (safe == NULL)
    return FALSE;
  now = safe->now ();
  if (!relais_db_safe_retention (self->db, now, now - safe->retention_ms, now - safe->notice_ms,
                                 announced, deleted, error))
    return FALSE;
  for (guint i = 0; i < announced->len; i++)
    {
      g_autoptr(RelaisSafeRecord) record = relais_db_safe_get (self->db, g_ptr_array_index (announced, i), NULL);
      g_autoptr(JsonNode) node = NULL;

      if (record == NULL)
        continue;
      relais_db_safe_journal_add (self->db, record->id, now, "hub", "announce", NULL, NULL, NULL);
      node = safe_news (record->number, "announced", now + safe->notice_ms);
      _relais_hub_broadcast (self, RELAIS_STREAM_SAFE, node, TRUE, NULL);
    }
  for (guint i = 0; i < deleted->len; i++)
    {
      g_autoptr(JsonNode) node = safe_news (g_ptr_array_index (deleted, i), "deleted", 0);

      g_message ("coffres : coffre %s supprimé (inutilisé)", (const char *) g_ptr_array_index (deleted, i));
      _relais_hub_broadcast (self, RELAIS_STREAM_SAFE, node, TRUE, NULL);
    }
  return TRUE;
}
