/* relais-db-private.h: what the db/ files share, nobody else. */
#pragma once

#include <sqlite3.h>
#include "relais-db.h"

struct _RelaisDb {
  sqlite3     *handle;
  RelaisDbKind kind;
  char        *path;
  GHashTable  *statements; /* SQL literal (by address) → sqlite3_stmt* */
};

/* Statements come from the connection's cache: "freeing" one resets it
 * for the next use; they are finalized when the connection closes. */
void relais_db_stmt_release (sqlite3_stmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, relais_db_stmt_release)

/* Prepares @sql (a string literal with ?N parameters: it is cached by its
 * address, so never a built string) or sets @error. A cached statement is
 * in use until released: the same literal cannot be nested. */
sqlite3_stmt *relais_db_prepare (RelaisDb   *db,
                                 const char *sql,
                                 GError    **error);
/* Sets @error from the connection's last message. Returns FALSE. */
gboolean      relais_db_set_error (RelaisDb *db,
                                   int       code,
                                   GError  **error);
/* Runs one statement without parameters or rows (cached). */
/* Steps @stmt once, expecting no row; sets @error from the connection. */
gboolean      relais_db_step_done (RelaisDb     *db,
                                   sqlite3_stmt *stmt,
                                   GError      **error);
gboolean      relais_db_exec (RelaisDb   *db,
                              const char *sql,
                              GError    **error);
/* Runs a script of several statements (migrations, pragmas): not cached. */
gboolean      relais_db_exec_script (RelaisDb   *db,
                                     const char *sql,
                                     GError    **error);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
gboolean      relais_db_begin (RelaisDb *db,
                               GError  **error);
gboolean      relais_db_commit (RelaisDb *db,
                                GError  **error);
void          relais_db_rollback (RelaisDb *db);
/* Column as a newly allocated string (NULL for SQL NULL). */
char         *relais_db_column_dup (sqlite3_stmt *stmt,
                                    int           column);
/* Steps @stmt to its end, each row made into an element by @read_row
 * (@data passed along), freed with @free_row. NULL with @error set if a
 * step fails. */
typedef gpointer (*RelaisDbReadRow) (sqlite3_stmt *stmt,
                                     gpointer      data);
GPtrArray *relais_db_rows (RelaisDb       *db,
                           sqlite3_stmt   *stmt,
                           RelaisDbReadRow read_row,
                           gpointer        data,
                           GDestroyNotify  free_row,
                           GError        **error);
/* The same, each row an array of its @n_columns columns as strings
 * (g_strfreev ()), for lists the hub sends as they are. */
GPtrArray *relais_db_rows_of_strings (RelaisDb     *db,
                                      sqlite3_stmt *stmt,
                                      int           n_columns,
                                      GError      **error);
/* The first column of the first row of @sql (no parameters), -1 on error. */
gint64     relais_db_single_int (RelaisDb   *db,
                                 const char *sql);

/* SAVEPOINTs nest inside a batch and stand alone outside one. */
gboolean   relais_db_savepoint (RelaisDb *db,
                                GError  **error);
/* Releases the savepoint when @result is not NULL, else rolls back to it;
 * returns @result (NULL when the release itself failed). */
gpointer   relais_db_savepoint_release (RelaisDb *db,
                                        gpointer  result,
                                        GError  **error);

/* Records an event in the log: its seq, 0 for a key already recorded with
 * the same source, type and body (a replayed delivery), -1 on error
 * (RELAIS_DB_ERROR_KEY_REUSED: the key was recorded for another event). */
gint64     relais_db_event_append (RelaisDb              *db,
                                   const RelaisEventInfo *event,
                                   GError               **error);
