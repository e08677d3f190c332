/* relais-db-outbox.c: a station's events waiting for the hub's receipt. */

#include "relais-db-outbox.h"
#include "relais-db-private.h"

void
relais_outbox_item_free (RelaisOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->key);
  g_free (item->type);
  g_free (item->body);
  g_clear_pointer (&item->attachment, g_bytes_unref);
  g_free (item);
}

gboolean
relais_db_outbox_add (RelaisDb   *db,
                      const char *key,
                      const char *type,
                      gint64      at,
                      const char *body,
                      GError    **error)
{
  return relais_db_outbox_add_attached (db, key, type, at, body, NULL, error);
}

gboolean
relais_db_outbox_add_attached (RelaisDb   *db,
                               const char *key,
                               const char *type,
                               gint64      at,
                               const char *body,
                               GBytes     *attachment,
                               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && key != NULL && type != NULL && body != NULL, FALSE);
  g_return_val_if_fail (db->kind == RELAIS_DB_STATION, FALSE);

  stmt = relais_db_prepare (db,
                            "INSERT INTO outbox (key, type, at, body, attachment) VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  if (attachment != NULL)
    sqlite3_bind_blob64 (stmt, 5, g_bytes_get_data (attachment, NULL), g_bytes_get_size (attachment), SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  return relais_db_step_done (db, stmt, error);
}

GPtrArray *
relais_db_outbox_due (RelaisDb        *db,
                      RelaisOutboxLane lane,
                      gint64           now,
                      guint            limit,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_outbox_item_free);
  int rc;

  g_assert (lane == RELAIS_OUTBOX_EVENTS || lane == RELAIS_OUTBOX_ATTACHMENTS);

  /* Strictly first in, first out within a lane: nothing goes while the
   * lane's oldest pending item waits for its retry. */
  stmt = relais_db_prepare (db,
                            "SELECT id, key, type, at, body, attempts, attachment FROM outbox"
                            " WHERE delivered_at IS NULL AND rejected_at IS NULL"
                            "   AND (attachment IS NOT NULL) = ?3"
                            "   AND (SELECT next_attempt_at FROM outbox WHERE delivered_at IS NULL"
                            "        AND rejected_at IS NULL AND (attachment IS NOT NULL) = ?3"
                            "        ORDER BY id LIMIT 1) <= ?1"
                            " ORDER BY id LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 3, lane == RELAIS_OUTBOX_ATTACHMENTS);
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisOutboxItem *item = g_new0 (RelaisOutboxItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->key = relais_db_column_dup (stmt, 1);
      item->type = relais_db_column_dup (stmt, 2);
      item->at = sqlite3_column_int64 (stmt, 3);
      item->body = relais_db_column_dup (stmt, 4);
      item->attempts = sqlite3_column_int (stmt, 5);
      if (sqlite3_column_type (stmt, 6) == SQLITE_BLOB)
        item->attachment = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

gboolean
relais_db_outbox_mark_delivered (RelaisDb   *db,
                                 const char *key,
                                 gint64      at,
                                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1,"
                            " last_error = NULL, attachment = NULL WHERE key = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  return relais_db_step_done (db, stmt, error);
}

gboolean
relais_db_outbox_mark_failed (RelaisDb   *db,
                              const char *key,
                              gint64      next_attempt_at,
                              const char *message,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2,"
                            " last_error = ?3 WHERE key = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, next_attempt_at);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

gboolean
relais_db_outbox_mark_rejected (RelaisDb   *db,
                                const char *key,
                                gint64      at,
                                const char *message,
                                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE outbox SET rejected_at = ?2, attempts = attempts + 1,"
                            " last_error = ?3 WHERE key = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

gint64
relais_db_outbox_rejected (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count (*) FROM outbox WHERE rejected_at IS NOT NULL");
}

gboolean
relais_db_outbox_retry_now (RelaisDb *db,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "UPDATE outbox SET next_attempt_at = 0 WHERE delivered_at IS NULL AND rejected_at IS NULL",
                            error);
  return stmt != NULL && relais_db_step_done (db, stmt, error);
}

gint64
relais_db_outbox_pending (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count (*) FROM outbox WHERE delivered_at IS NULL AND rejected_at IS NULL");
}

gint64
relais_db_outbox_next_due (RelaisDb *db)
{
  /* The sooner of the two lanes' heads. */
  return relais_db_single_int (db, "SELECT coalesce (min (next_attempt_at), -1) FROM ("
                                   " SELECT (SELECT next_attempt_at FROM outbox"
                                   "  WHERE delivered_at IS NULL AND rejected_at IS NULL AND attachment IS NULL"
                                   "  ORDER BY id LIMIT 1) AS next_attempt_at"
                                   " UNION ALL"
                                   " SELECT (SELECT next_attempt_at FROM outbox"
                                   "  WHERE delivered_at IS NULL AND rejected_at IS NULL AND attachment IS NOT NULL"
                                   "  ORDER BY id LIMIT 1))");
}

gboolean
relais_db_outbox_prune (RelaisDb *db,
                        gint64    before,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  return relais_db_step_done (db, stmt, error);
}

gint64
relais_db_outbox_pending_of_type (RelaisDb   *db,
                                  const char *type)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT count (*) FROM outbox WHERE type = ?1"
                                                     " AND delivered_at IS NULL AND rejected_at IS NULL",
                                                     NULL);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}
