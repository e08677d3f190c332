/* relais-central-queue.c: the site's durable queue of people changes for
 * the central registry (issue 19). Filled by triggers in the transaction
 * of the change itself, so no path that writes a person (the console, the
 * import, a decision, a purge) can forget it; emptied only once the
 * centre has acknowledged. */

#include "relais-central-queue.h"
#include "relais-db-private.h"

#define NOW_MS     "CAST ((julianday ('now') - 2440587.5) * 86400000 AS INTEGER)"
#define NEW_KEY    "lower (hex (randomblob (16)))"
#define CENTRAL_ON "(SELECT enabled FROM central_state WHERE id = 1)"

/* 26 (central): the queue, whether the site is joined, and the triggers.
 * A site never joined queues nothing (enabled = 0): a single site is
 * unchanged. */
const char relais_db_central_hub_migration_queue[] =
    "CREATE TABLE central_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  enabled INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO central_state (id, enabled) VALUES (1, 0);"
    "CREATE TABLE central_queue ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  key TEXT NOT NULL UNIQUE,"
    "  op TEXT NOT NULL CHECK (op IN ('save', 'delete')),"
    "  number TEXT NOT NULL,"
    "  surname TEXT,"
    "  first_names TEXT,"
    "  birth_date TEXT,"
    "  name_key TEXT,"
    "  state TEXT,"
    "  active_to TEXT,"
    "  queued_at INTEGER NOT NULL);"
    "CREATE TRIGGER central_queue_pi AFTER INSERT ON mail_people WHEN " CENTRAL_ON " BEGIN"
    "  INSERT INTO central_queue (key, op, number, surname, first_names, birth_date, name_key, state, active_to, queued_at)"
    "  VALUES (" NEW_KEY ", 'save', new.number, new.surname, new.first_names, new.birth_date, new.name_key,"
    "          new.state, new.active_to, " NOW_MS "); END;"
    "CREATE TRIGGER central_queue_pu AFTER UPDATE OF number, surname, first_names, birth_date, name_key, state, active_to"
    "  ON mail_people WHEN " CENTRAL_ON " AND (old.number IS NOT new.number OR old.surname IS NOT new.surname"
    "  OR old.first_names IS NOT new.first_names OR old.birth_date IS NOT new.birth_date"
    "  OR old.state IS NOT new.state OR old.active_to IS NOT new.active_to) BEGIN"
    "  INSERT INTO central_queue (key, op, number, queued_at)"
    "  SELECT " NEW_KEY ", 'delete', old.number, " NOW_MS " WHERE old.number IS NOT new.number;"
    "  INSERT INTO central_queue (key, op, number, surname, first_names, birth_date, name_key, state, active_to, queued_at)"
    "  VALUES (" NEW_KEY ", 'save', new.number, new.surname, new.first_names, new.birth_date, new.name_key,"
    "          new.state, new.active_to, " NOW_MS "); END;"
    "CREATE TRIGGER central_queue_pd AFTER DELETE ON mail_people WHEN " CENTRAL_ON " BEGIN"
    "  INSERT INTO central_queue (key, op, number, queued_at)"
    "  VALUES (" NEW_KEY ", 'delete', old.number, " NOW_MS "); END;";

void
relais_central_change_free (RelaisCentralChange *change)
{
  if (change == NULL)
    return;
  g_free (change->key);
  g_free (change->op);
  g_free (change->number);
  g_free (change->surname);
  g_free (change->first_names);
  g_free (change->birth_date);
  g_free (change->name_key);
  g_free (change->state);
  g_free (change->active_to);
  g_free (change);
}

gboolean
relais_db_central_is_enabled (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT enabled FROM central_state WHERE id = 1") == 1;
}

gboolean
relais_db_central_enable (RelaisDb *db,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!relais_db_begin (db, error))
    return FALSE;
  if (relais_db_single_int (db, "SELECT enabled FROM central_state WHERE id = 1") == 1)
    return relais_db_commit (db, error);
  /* Everyone already here goes up first, in the order they were entered. */
  stmt = relais_db_prepare (db,
                            "INSERT INTO central_queue (key, op, number, surname, first_names, birth_date, name_key,"
                            "  state, active_to, queued_at)"
                            " SELECT " NEW_KEY ", 'save', number, surname, first_names, birth_date, name_key, state,"
                            "  active_to, " NOW_MS " FROM mail_people ORDER BY id",
                            error);
  if (stmt == NULL || !relais_db_step_done (db, stmt, error)
      || !relais_db_exec (db, "UPDATE central_state SET enabled = 1 WHERE id = 1", error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

static gpointer
read_change (sqlite3_stmt *stmt,
             gpointer      data)
{
  RelaisCentralChange *c = g_new0 (RelaisCentralChange, 1);

  c->seq = sqlite3_column_int64 (stmt, 0);
  c->key = relais_db_column_dup (stmt, 1);
  c->op = relais_db_column_dup (stmt, 2);
  c->number = relais_db_column_dup (stmt, 3);
  c->surname = relais_db_column_dup (stmt, 4);
  c->first_names = relais_db_column_dup (stmt, 5);
  c->birth_date = relais_db_column_dup (stmt, 6);
  c->name_key = relais_db_column_dup (stmt, 7);
  c->state = relais_db_column_dup (stmt, 8);
  c->active_to = relais_db_column_dup (stmt, 9);
  c->queued_at = sqlite3_column_int64 (stmt, 10);
  return c;
}

GPtrArray *
relais_db_central_queue_peek (RelaisDb *db,
                              guint     max,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT seq, key, op, number, surname, first_names, birth_date,"
                                                     "  name_key, state, active_to, queued_at"
                                                     " FROM central_queue ORDER BY seq LIMIT ?1",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max);
  return relais_db_rows (db, stmt, read_change, NULL, (GDestroyNotify) relais_central_change_free, error);
}

gboolean
relais_db_central_queue_done (RelaisDb *db,
                              gint64    seq,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "DELETE FROM central_queue WHERE seq <= ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return relais_db_step_done (db, stmt, error);
}

gint64
relais_db_central_queue_length (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count(*) FROM central_queue");
}
