/* relais-db-safe.c: residents' digital safes on the hub (ciphertext only). */

#include "relais-db-safe.h"
#include "relais-db-private.h"

#include <glib/gi18n-lib.h>

/* The sentences marked N_() reach a resident through the hub and a
 * station, which translates them (relais-safe-client.c). */

static const char * const categories[] = {
  "identite",
  "ressources",
  "logement",
  "sante",
  "impots",
  "famille",
  "emploi",
  "autre",
  NULL,
};

gboolean
relais_db_safe_category_valid (const char *category)
{
  return category != NULL && g_strv_contains (categories, category);
}

void
relais_safe_record_free (RelaisSafeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->number);
  g_free (record->resident);
  g_free (record->state);
  g_clear_pointer (&record->activation_hash, g_bytes_unref);
  g_clear_pointer (&record->salt, g_bytes_unref);
  g_clear_pointer (&record->verifier, g_bytes_unref);
  g_clear_pointer (&record->hub_secret, g_bytes_unref);
  g_clear_pointer (&record->wrapped_keys, g_bytes_unref);
  g_clear_pointer (&record->box_pk, g_bytes_unref);
  g_clear_pointer (&record->recovery_hash, g_bytes_unref);
  g_free (record);
}

void
relais_safe_document_free (RelaisSafeDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->id);
  g_free (doc->category);
  g_clear_pointer (&doc->head, g_bytes_unref);
  g_free (doc);
}

void
relais_safe_journal_entry_free (RelaisSafeJournalEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->who);
  g_free (entry->what);
  g_free (entry->station);
  g_free (entry->detail);
  g_free (entry);
}

static void
bind_bytes (sqlite3_stmt *stmt,
            int           column,
            GBytes       *bytes)
{
  gsize       length = 0;
  const void *data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, column);
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  /* A zero-length blob, not NULL, for empty bytes. */
  if (length == 0)
    sqlite3_bind_zeroblob (stmt, column, 0);
  else
    sqlite3_bind_blob64 (stmt, column, data, length, SQLITE_STATIC);
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

/* Deleted rows' bytes are overwritten, not merely unlinked: a deleted
 * document or key must not linger in free pages. */
static gboolean
secure_delete_on (RelaisDb *db,
                  GError  **error)
{
  return relais_db_exec (db, "PRAGMA secure_delete = ON", error);
}

gint64
relais_db_safe_create (RelaisDb   *db,
                       const char *number,
                       const char *resident,
                       GBytes     *activation_hash,
                       GBytes     *recovery_hash,
                       const char *created_by,
                       gint64      now,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && number != NULL && activation_hash != NULL && created_by != NULL, 0);

  stmt = relais_db_prepare (db,
                            "INSERT INTO safes (number, resident, state, activation_hash, created_by,"
                            " created_at, last_used_at, recovery_hash) VALUES (?1, ?2, 'new', ?3, ?4, ?5, ?5, ?6)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, resident, -1, SQLITE_STATIC);
  bind_bytes (stmt, 3, activation_hash);
  sqlite3_bind_text (stmt, 4, created_by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  bind_bytes (stmt, 6, recovery_hash);
  if (!relais_db_step_done (db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (db->handle);
}

#define SAFE_SELECT                                                                     \
  "SELECT id, number, resident, state, activation_hash, salt, verifier, hub_secret,"    \
  " wrapped_keys, box_pk, attempts, coalesce (locked_at, 0), created_at, last_used_at," \
  " coalesce (announced_at, 0), unlocks, recovery_hash, recovery_attempts FROM safes"

static RelaisSafeRecord *
record_from_row (sqlite3_stmt *stmt)
{
  RelaisSafeRecord *record = g_new0 (RelaisSafeRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->number = relais_db_column_dup (stmt, 1);
  record->resident = relais_db_column_dup (stmt, 2);
  record->state = relais_db_column_dup (stmt, 3);
  record->activation_hash = column_bytes (stmt, 4);
  record->salt = column_bytes (stmt, 5);
  record->verifier = column_bytes (stmt, 6);
  record->hub_secret = column_bytes (stmt, 7);
  record->wrapped_keys = column_bytes (stmt, 8);
  record->box_pk = column_bytes (stmt, 9);
  record->attempts = sqlite3_column_int (stmt, 10);
  record->locked_at = sqlite3_column_int64 (stmt, 11);
  record->created_at = sqlite3_column_int64 (stmt, 12);
  record->last_used_at = sqlite3_column_int64 (stmt, 13);
  record->announced_at = sqlite3_column_int64 (stmt, 14);
  record->unlocks = sqlite3_column_int (stmt, 15);
  record->recovery_hash = column_bytes (stmt, 16);
  record->recovery_attempts = sqlite3_column_int (stmt, 17);
  return record;
}

static RelaisSafeRecord *
record_step (RelaisDb     *db,
             sqlite3_stmt *stmt,
             GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                         N_ ("Ce numéro ne correspond à aucun coffre-fort."));
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

RelaisSafeRecord *
relais_db_safe_get (RelaisDb   *db,
                    const char *number,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, SAFE_SELECT " WHERE number = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return record_step (db, stmt, error);
}

RelaisSafeRecord *
relais_db_safe_get_by_id (RelaisDb *db,
                          gint64    id,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, SAFE_SELECT " WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return record_step (db, stmt, error);
}

gboolean
relais_db_safe_setup (RelaisDb *db,
                      gint64    id,
                      GBytes   *salt,
                      GBytes   *verifier,
                      GBytes   *hub_secret,
                      GBytes   *wrapped_keys,
                      GBytes   *box_pk,
                      gint64    now,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!secure_delete_on (db, error))
    return FALSE;
  stmt = relais_db_prepare (db,
                            "UPDATE safes SET state = 'ready', activation_hash = NULL, salt = ?2,"
                            " verifier = ?3, hub_secret = ?4, wrapped_keys = ?5, box_pk = ?6,"
                            " attempts = 0, locked_at = NULL, last_used_at = ?7, announced_at = NULL"
                            " WHERE id = ?1 AND state = 'new'",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_bytes (stmt, 2, salt);
  bind_bytes (stmt, 3, verifier);
  bind_bytes (stmt, 4, hub_secret);
  bind_bytes (stmt, 5, wrapped_keys);
  bind_bytes (stmt, 6, box_pk);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                           N_ ("Ce coffre a déjà un code secret."));
      return FALSE;
    }
  return TRUE;
}

int
relais_db_safe_count_failure (RelaisDb *db,
                              gint64    id,
                              int       max_attempts,
                              gint64    now,
                              gboolean *locked,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int attempts;

  /* One statement: two stations guessing at once cannot both slip in
   * under the limit. */
  stmt = relais_db_prepare (db,
                            "UPDATE safes SET attempts = attempts + 1,"
                            " locked_at = CASE WHEN attempts + 1 >= ?2 THEN coalesce (locked_at, ?3) ELSE locked_at END"
                            " WHERE id = ?1 RETURNING attempts, locked_at IS NOT NULL",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, max_attempts);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return -1;
    }
  attempts = sqlite3_column_int (stmt, 0);
  *locked = sqlite3_column_int (stmt, 1) != 0;
  /* RETURNING: the row is written once the statement completes. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  return attempts;
}

gboolean
relais_db_safe_mark_used (RelaisDb *db,
                          gint64    id,
                          gint64    now,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE safes SET attempts = 0, unlocks = 0, recovery_attempts = 0,"
                            " last_used_at = max (last_used_at, ?2), announced_at = NULL WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  return relais_db_step_done (db, stmt, error);
}

gboolean
relais_db_safe_unlock (RelaisDb *db,
                       gint64    id,
                       gboolean  recovered,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE safes SET attempts = 0, locked_at = NULL, unlocks = unlocks + 1,"
                            " recovery_attempts = CASE WHEN ?2 THEN 0 ELSE recovery_attempts END"
                            " WHERE id = ?1 AND locked_at IS NOT NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, recovered ? 1 : 0);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Ce coffre n'est pas bloqué.");
      return FALSE;
    }
  return TRUE;
}

int
relais_db_safe_count_recovery_failure (RelaisDb *db,
                                       gint64    id,
                                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int count;

  /* One statement: two consoles cannot both slip under the limit. */
  stmt = relais_db_prepare (db,
                            "UPDATE safes SET recovery_attempts = recovery_attempts + 1 WHERE id = ?1"
                            " RETURNING recovery_attempts",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return -1;
    }
  count = sqlite3_column_int (stmt, 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  return count;
}

gboolean
relais_db_safe_set_pin (RelaisDb *db,
                        gint64    id,
                        GBytes   *salt,
                        GBytes   *verifier,
                        GBytes   *hub_secret,
                        GBytes   *wrapped_keys,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!secure_delete_on (db, error))
    return FALSE;
  stmt = relais_db_prepare (db,
                            "UPDATE safes SET salt = ?2, verifier = ?3, wrapped_keys = ?4, hub_secret = ?5, attempts = 0"
                            " WHERE id = ?1 AND state = 'ready'",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_bytes (stmt, 2, salt);
  bind_bytes (stmt, 3, verifier);
  bind_bytes (stmt, 4, wrapped_keys);
  bind_bytes (stmt, 5, hub_secret);
  return relais_db_step_done (db, stmt, error);
}

/* ---- documents ---- */

int
relais_db_safe_document_same (RelaisDb   *db,
                              gint64      safe_id,
                              const char *id,
                              GBytes     *body,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db, "SELECT body = ?3 FROM safe_documents WHERE safe_id = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  bind_bytes (stmt, 3, body);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0) != 0 ? 1 : 0;
  if (rc != SQLITE_DONE)
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return -1;
}

gboolean
relais_db_safe_document_add (RelaisDb   *db,
                             gint64      safe_id,
                             const char *id,
                             const char *category,
                             GBytes     *head,
                             GBytes     *body,
                             gboolean    deposited,
                             gint64      now,
                             gboolean   *duplicate,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (id != NULL && head != NULL && body != NULL, FALSE);

  *duplicate = FALSE;
  stmt = relais_db_prepare (db,
                            "INSERT INTO safe_documents (id, safe_id, category, head, body, size, deposited, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (safe_id, id) DO NOTHING",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, safe_id);
  sqlite3_bind_text (stmt, 3, category, -1, SQLITE_STATIC);
  bind_bytes (stmt, 4, head);
  bind_bytes (stmt, 5, body);
  sqlite3_bind_int64 (stmt, 6, g_bytes_get_size (body));
  sqlite3_bind_int (stmt, 7, deposited ? 1 : 0);
  sqlite3_bind_int64 (stmt, 8, now);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) > 0)
    return TRUE;
  /* Already there: a resend only if it is the same document. */
  switch (relais_db_safe_document_same (db, safe_id, id, body, &local))
    {
    case 1:
      *duplicate = TRUE;
      return TRUE;
    case 0:
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                           N_ ("Un autre document de ce coffre porte déjà cet identifiant."));
      return FALSE;
    default:
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
}

gboolean
relais_db_safe_usage (RelaisDb        *db,
                      gint64           safe_id,
                      gint64           since,
                      RelaisSafeUsage *usage,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "SELECT coalesce (sum (size), 0), count (*),"
                            " coalesce (sum (CASE WHEN deposited AND created_at > ?2 THEN size END), 0),"
                            " count (CASE WHEN deposited AND created_at > ?2 THEN 1 END)"
                            " FROM safe_documents WHERE safe_id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_int64 (stmt, 2, since);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  usage->bytes = sqlite3_column_int64 (stmt, 0);
  usage->documents = sqlite3_column_int64 (stmt, 1);
  usage->waiting_bytes = sqlite3_column_int64 (stmt, 2);
  usage->waiting_documents = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

GPtrArray *
relais_db_safe_document_list (RelaisDb *db,
                              gint64    safe_id,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_document_free);
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT id, category, head, size, deposited, created_at FROM safe_documents"
                            " WHERE safe_id = ?1 ORDER BY created_at, id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisSafeDocument *doc = g_new0 (RelaisSafeDocument, 1);

      doc->id = relais_db_column_dup (stmt, 0);
      doc->category = relais_db_column_dup (stmt, 1);
      doc->head = column_bytes (stmt, 2);
      doc->size = sqlite3_column_int64 (stmt, 3);
      doc->deposited = sqlite3_column_int (stmt, 4) != 0;
      doc->created_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (list, doc);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GBytes *
relais_db_safe_document_body (RelaisDb   *db,
                              gint64      safe_id,
                              const char *id,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db, "SELECT body FROM safe_documents WHERE safe_id = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_bytes (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, N_ ("Ce document n'est plus dans le coffre."));
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

gboolean
relais_db_safe_document_delete (RelaisDb   *db,
                                gint64      safe_id,
                                const char *id,
                                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!secure_delete_on (db, error))
    return FALSE;
  stmt = relais_db_prepare (db, "DELETE FROM safe_documents WHERE safe_id = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, N_ ("Ce document n'est plus dans le coffre."));
      return FALSE;
    }
  return TRUE;
}

/* ---- journal ---- */

gboolean
relais_db_safe_journal_add (RelaisDb   *db,
                            gint64      safe_id,
                            gint64      at,
                            const char *who,
                            const char *what,
                            const char *station,
                            const char *detail,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO safe_journal (safe_id, at, who, what, station, detail)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, who, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, what, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, station, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

GPtrArray *
relais_db_safe_journal_list (RelaisDb *db,
                             gint64    safe_id,
                             int       limit,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_journal_entry_free);
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT at, who, what, station, detail FROM safe_journal WHERE safe_id = ?1"
                            " ORDER BY at DESC, id DESC LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisSafeJournalEntry *entry = g_new0 (RelaisSafeJournalEntry, 1);

      entry->at = sqlite3_column_int64 (stmt, 0);
      entry->who = relais_db_column_dup (stmt, 1);
      entry->what = relais_db_column_dup (stmt, 2);
      entry->station = relais_db_column_dup (stmt, 3);
      entry->detail = relais_db_column_dup (stmt, 4);
      g_ptr_array_add (list, entry);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- consents ---- */

gint64
relais_db_safe_consent_add (RelaisDb   *db,
                            gint64      safe_id,
                            const char *mediator,
                            const char *station,
                            gint64      from,
                            gint64      until,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO safe_consents (safe_id, mediator, station, from_at, until_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_text (stmt, 2, mediator, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, from);
  sqlite3_bind_int64 (stmt, 5, until);
  if (!relais_db_step_done (db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (db->handle);
}

gint64
relais_db_safe_consent_until (RelaisDb   *db,
                              gint64      safe_id,
                              const char *mediator,
                              gint64      now)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "SELECT coalesce (max (until_at), 0) FROM safe_consents"
                            " WHERE safe_id = ?1 AND mediator = ?2 AND from_at <= ?3 AND until_at > ?3"
                            "   AND revoked_at IS NULL",
                            NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, safe_id);
  sqlite3_bind_text (stmt, 2, mediator, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* ---- retention ---- */

static gboolean
collect_numbers (RelaisDb     *db,
                 sqlite3_stmt *stmt,
                 GPtrArray    *out,
                 GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, relais_db_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

gboolean
relais_db_safe_retention (RelaisDb  *db,
                          gint64     now,
                          gint64     unused_before,
                          gint64     delete_before,
                          GPtrArray *announced,
                          GPtrArray *deleted,
                          GError   **error)
{
  if (!secure_delete_on (db, error) || !relais_db_savepoint (db, error))
    return FALSE;
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "DELETE FROM safes WHERE announced_at IS NOT NULL"
                                                       " AND announced_at < ?1 AND last_used_at < ?2 RETURNING number",
                                                       error);
    if (stmt == NULL)
      return relais_db_savepoint_release (db, NULL, error) != NULL;
    sqlite3_bind_int64 (stmt, 1, delete_before);
    sqlite3_bind_int64 (stmt, 2, unused_before);
    if (!collect_numbers (db, stmt, deleted, error))
      return relais_db_savepoint_release (db, NULL, error) != NULL;
  }
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "UPDATE safes SET announced_at = ?1 WHERE announced_at IS NULL"
                                                       " AND last_used_at < ?2 RETURNING number",
                                                       error);
    if (stmt == NULL)
      return relais_db_savepoint_release (db, NULL, error) != NULL;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, unused_before);
    if (!collect_numbers (db, stmt, announced, error))
      return relais_db_savepoint_release (db, NULL, error) != NULL;
  }
  return relais_db_savepoint_release (db, GINT_TO_POINTER (1), error) != NULL;
}

GBytes *
relais_db_safe_any_hub_secret (RelaisDb *db,
                               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT hub_secret FROM safes WHERE hub_secret IS NOT NULL LIMIT 1",
                                                     error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_bytes (stmt, 0);
  if (rc != SQLITE_DONE)
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

/* ---- station side ---- */

gboolean
relais_db_safe_key_remember (RelaisDb   *db,
                             const char *number,
                             GBytes     *box_pk,
                             gint64      now,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO safe_keys (number, box_pk, seen_at) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (number) DO UPDATE SET box_pk = excluded.box_pk, seen_at = excluded.seen_at",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  bind_bytes (stmt, 2, box_pk);
  sqlite3_bind_int64 (stmt, 3, now);
  return relais_db_step_done (db, stmt, error);
}

GBytes *
relais_db_safe_key_lookup (RelaisDb   *db,
                           const char *number)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT box_pk FROM safe_keys WHERE number = ?1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return column_bytes (stmt, 0);
}
