/* relais-db-enrol.c: one-time enrolment codes. */

#include "relais-db-private.h"
#include "relais-db-enrol.h"
#include "relais-db-help.h"

gboolean
relais_db_enrol_code_add (RelaisDb   *db,
                          const char *code_hash,
                          const char *kind,
                          const char *name,
                          gint64      now_ms,
                          gint64      expires_at,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) purge = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && code_hash != NULL && kind != NULL && name != NULL, FALSE);

  purge = relais_db_prepare (db, "DELETE FROM enrol_codes WHERE expires_at <= ?1", error);
  if (purge == NULL)
    return FALSE;
  sqlite3_bind_int64 (purge, 1, now_ms);
  if (!relais_db_step_done (db, purge, error))
    return FALSE;
  stmt = relais_db_prepare (db,
                            "INSERT INTO enrol_codes (code_hash, kind, name, created_at, expires_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now_ms);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  return relais_db_step_done (db, stmt, error);
}

/* Inside the transaction: the code's state, its client in *kind, *name. */
static gboolean
code_claim (RelaisDb             *db,
            const char           *code_hash,
            gint64                now_ms,
            RelaisEnrolCodeState *state,
            char                **kind,
            char                **name,
            GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  gint64   expires_at;
  gboolean used;
  int      rc;

  stmt = relais_db_prepare (db,
                            "SELECT kind, name, expires_at, used_at IS NOT NULL FROM enrol_codes"
                            " WHERE code_hash = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *state = RELAIS_ENROL_CODE_UNKNOWN;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return relais_db_set_error (db, rc, error);
  expires_at = sqlite3_column_int64 (stmt, 2);
  used = sqlite3_column_int (stmt, 3) != 0;
  if (used)
    {
      *state = RELAIS_ENROL_CODE_USED;
      return TRUE;
    }
  if (expires_at <= now_ms)
    {
      *state = RELAIS_ENROL_CODE_EXPIRED;
      return TRUE;
    }
  *kind = relais_db_column_dup (stmt, 0);
  *name = relais_db_column_dup (stmt, 1);
  mark = relais_db_prepare (db, "UPDATE enrol_codes SET used_at = ?2 WHERE code_hash = ?1", error);
  if (mark == NULL)
    return FALSE;
  sqlite3_bind_text (mark, 1, code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (mark, 2, now_ms);
  if (!relais_db_step_done (db, mark, error))
    return FALSE;
  *state = RELAIS_ENROL_CODE_OK;
  return TRUE;
}

gboolean
relais_db_enrol_code_redeem (RelaisDb             *db,
                             const char           *code_hash,
                             const char           *token_hash,
                             gint64                now_ms,
                             RelaisEnrolCodeState *state,
                             char                **kind,
                             char                **name,
                             GError              **error)
{
  g_autofree char *found_kind = NULL;
  g_autofree char *found_name = NULL;

  g_return_val_if_fail (db != NULL && code_hash != NULL && token_hash != NULL && state != NULL, FALSE);

  *state = RELAIS_ENROL_CODE_UNKNOWN;
  if (!relais_db_begin (db, error))
    return FALSE;
  if (!code_claim (db, code_hash, now_ms, state, &found_kind, &found_name, error))
    goto fail;
  if (*state != RELAIS_ENROL_CODE_OK)
    {
      /* Nothing was written. */
      relais_db_rollback (db);
      return TRUE;
    }
  if (!relais_db_client_enroll (db, found_kind, found_name, token_hash, error))
    goto fail;
  if (!relais_db_commit (db, error))
    goto fail;
  if (kind != NULL)
    *kind = g_steal_pointer (&found_kind);
  if (name != NULL)
    *name = g_steal_pointer (&found_name);
  return TRUE;

fail:
  relais_db_rollback (db);
  *state = RELAIS_ENROL_CODE_UNKNOWN;
  return FALSE;
}
