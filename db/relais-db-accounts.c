/* relais-db-accounts.c: mediators' accounts and their sessions (hub). */

#include "relais-db-accounts.h"
#include "relais-db-private.h"

#include <string.h>

const char * const relais_account_roles[] = { "mediator", "responsable", "staff", NULL };

void
relais_mediator_free (RelaisMediator *mediator)
{
  if (mediator == NULL)
    return;
  g_free (mediator->login);
  g_free (mediator->display_name);
  g_free (mediator->role);
  g_strfreev (mediator->roles);
  g_free (mediator);
}

gboolean
relais_mediator_has_role (const RelaisMediator *mediator,
                          const char           *role)
{
  g_return_val_if_fail (mediator != NULL && role != NULL, FALSE);

  return mediator->roles != NULL && g_strv_contains ((const char * const *) mediator->roles, role);
}

/* The account's column for old code: "staff" or "mediator". */
static const char *
kind_of_roles (const char * const *roles)
{
  return g_strv_contains (roles, "staff") ? "staff" : "mediator";
}

static gboolean
add_role (RelaisDb   *db,
          const char *login,
          const char *role,
          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "INSERT OR IGNORE INTO mediator_roles (mediator_id, role)"
                                                     " SELECT id, ?2 FROM mediators WHERE login = ?1",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

static gboolean
add_in_savepoint (RelaisDb   *db,
                  const char *login,
                  const char *display_name,
                  const char *password_hash,
                  const char *role,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO mediators (login, display_name, password_hash, role, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kind_of_roles ((const char *[]) { role, NULL }), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, relais_db_now_ms ());
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  return add_role (db, login, role, error);
}

gboolean
relais_db_mediator_add (RelaisDb   *db,
                        const char *login,
                        const char *display_name,
                        const char *password_hash,
                        const char *role,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && login != NULL && display_name != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL && role != NULL, FALSE);

  if (!g_strv_contains (relais_account_roles, role))
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                           "Rôle : mediator, responsable ou staff.");
      return FALSE;
    }
  if (!relais_db_savepoint (db, error))
    return FALSE;
  return relais_db_savepoint_release (db, GINT_TO_POINTER (add_in_savepoint (db, login, display_name, password_hash, role, error)),
                                      error)
         != NULL;
}

static gboolean
set_roles_in_savepoint (RelaisDb           *db,
                        const char         *login,
                        const char * const *roles,
                        GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db, "UPDATE mediators SET role = ?2 WHERE login = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_of_roles (roles), -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Compte inconnu : %s", login);
      return FALSE;
    }
  g_clear_pointer (&stmt, relais_db_stmt_release);
  stmt = relais_db_prepare (db,
                            "DELETE FROM mediator_roles WHERE mediator_id = (SELECT id FROM mediators WHERE login = ?1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  for (guint i = 0; roles[i] != NULL; i++)
    if (!add_role (db, login, roles[i], error))
      return FALSE;
  return TRUE;
}

gboolean
relais_db_mediator_set_roles (RelaisDb           *db,
                              const char         *login,
                              const char * const *roles,
                              GError            **error)
{
  g_return_val_if_fail (db != NULL && login != NULL && roles != NULL, FALSE);

  if (roles[0] == NULL)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "Un compte a au moins un rôle.");
      return FALSE;
    }
  for (guint i = 0; roles[i] != NULL; i++)
    if (!g_strv_contains (relais_account_roles, roles[i]))
      {
        g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                             "Rôle : mediator, responsable ou staff.");
        return FALSE;
      }
  if (!relais_db_savepoint (db, error))
    return FALSE;
  return relais_db_savepoint_release (db, GINT_TO_POINTER (set_roles_in_savepoint (db, login, roles, error)),
                                      error)
         != NULL;
}

gboolean
relais_db_mediator_set_password (RelaisDb   *db,
                                 const char *login,
                                 const char *password_hash,
                                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db, "UPDATE mediators SET password_hash = ?2 WHERE login = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, password_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Compte inconnu : %s", login);
      return FALSE;
    }
  return TRUE;
}

/* The account's roles, comma-separated, in a fixed order. */
#define ROLES_OF_M \
  "(SELECT group_concat (role, ',') FROM (SELECT role FROM mediator_roles WHERE mediator_id = m.id ORDER BY role))"

static RelaisMediator *
mediator_from_row (sqlite3_stmt *stmt)
{
  RelaisMediator *mediator = g_new0 (RelaisMediator, 1);

  mediator->id = sqlite3_column_int64 (stmt, 0);
  mediator->login = relais_db_column_dup (stmt, 1);
  mediator->display_name = relais_db_column_dup (stmt, 2);
  mediator->role = relais_db_column_dup (stmt, 3);
  mediator->roles = g_strsplit ((const char *) (sqlite3_column_text (stmt, 4) != NULL ? sqlite3_column_text (stmt, 4)
                                                                                      : (const guchar *) ""),
                                ",", -1);
  if (mediator->roles[0] != NULL && mediator->roles[0][0] == '\0')
    g_clear_pointer (&mediator->roles[0], g_free);
  return mediator;
}

RelaisMediator *
relais_db_mediator_lookup (RelaisDb   *db,
                           const char *login,
                           char      **password_hash,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT m.id, m.login, m.display_name, m.role, " ROLES_OF_M ", m.password_hash"
                            " FROM mediators m WHERE m.login = ?1 AND m.disabled_at IS NULL",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (password_hash != NULL)
        *password_hash = relais_db_column_dup (stmt, 5);
      return mediator_from_row (stmt);
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Compte inconnu : %s", login);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

gboolean
relais_db_session_add (RelaisDb   *db,
                       const char *token_hash,
                       gint64      mediator_id,
                       const char *console,
                       gint64      expires_at,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO sessions (token_hash, mediator_id, console, created_at, expires_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, mediator_id);
  sqlite3_bind_text (stmt, 3, console, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, relais_db_now_ms ());
  sqlite3_bind_int64 (stmt, 5, expires_at);
  return relais_db_step_done (db, stmt, error);
}

RelaisMediator *
relais_db_session_lookup (RelaisDb   *db,
                          const char *token_hash,
                          const char *console,
                          gint64      now,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT m.id, m.login, m.display_name, m.role, " ROLES_OF_M " FROM sessions s"
                            " JOIN mediators m ON m.id = s.mediator_id"
                            " WHERE s.token_hash = ?1 AND s.console = ?2 AND s.expires_at > ?3"
                            "   AND m.disabled_at IS NULL",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, console, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return mediator_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "session inconnue ou expirée");
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

gboolean
relais_db_session_end (RelaisDb   *db,
                       const char *token_hash,
                       const char *console,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db, "DELETE FROM sessions WHERE token_hash = ?1 AND console = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, console, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "session inconnue");
      return FALSE;
    }
  return TRUE;
}
