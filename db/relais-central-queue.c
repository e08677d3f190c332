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

/* 28 (central): the queue, whether the site is joined, and the triggers.
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

/* ---- down: the local copy of the other sites' records ---- */

/* 29 (central): a person of another site is kept as a hash of their
 * homonym key and birth date (enough to answer for a name and date typed
 * at the desk, not to list anyone), their body, site and state. */
const char relais_db_central_hub_migration_copy[] =
    "CREATE TABLE central_copy ("
    "  site_code TEXT NOT NULL,"
    "  number TEXT NOT NULL,"
    "  identity TEXT NOT NULL,"
    "  organisation TEXT NOT NULL,"
    "  site TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  PRIMARY KEY (site_code, number)) WITHOUT ROWID;"
    "CREATE INDEX central_copy_identity ON central_copy (identity);"
    "ALTER TABLE central_state ADD COLUMN copy_xid INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE central_state ADD COLUMN copy_pos INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE central_state ADD COLUMN copied_at INTEGER;";

void
relais_central_copy_row_free (RelaisCentralCopyRow *row)
{
  if (row == NULL)
    return;
  g_free (row->site_code);
  g_free (row->number);
  g_free (row->name_key);
  g_free (row->birth_date);
  g_free (row->organisation);
  g_free (row->site);
  g_free (row->state);
  g_free (row);
}

static char *
identity_of (const char *name_key,
             const char *birth_date)
{
  g_autofree char *text = g_strdup_printf ("%s\n%s", name_key, birth_date);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

gboolean
relais_db_central_copy_cursor (RelaisDb *db,
                               gint64   *xid,
                               gint64   *pos,
                               gint64   *copied_at)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT copy_xid, copy_pos, copied_at FROM central_state WHERE id = 1",
                                                     NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *xid = sqlite3_column_int64 (stmt, 0);
  *pos = sqlite3_column_int64 (stmt, 1);
  if (copied_at != NULL)
    *copied_at = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
copy_one (RelaisDb                   *db,
          const RelaisCentralCopyRow *r,
          GError                    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *identity = NULL;

  if (r->name_key == NULL || r->birth_date == NULL || r->state == NULL)
    {
      stmt = relais_db_prepare (db, "DELETE FROM central_copy WHERE site_code = ?1 AND number = ?2", error);
      if (stmt == NULL)
        return FALSE;
    }
  else
    {
      identity = identity_of (r->name_key, r->birth_date);
      stmt = relais_db_prepare (db,
                                "INSERT OR REPLACE INTO central_copy (site_code, number, identity, organisation, site,"
                                "  state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 3, identity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, r->organisation, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, r->site, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, r->state, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 1, r->site_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, r->number, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

gboolean
relais_db_central_copy_apply (RelaisDb  *db,
                              GPtrArray *rows,
                              GError   **error)
{
  const RelaisCentralCopyRow *last;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && rows != NULL, FALSE);

  if (!relais_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!copy_one (db, g_ptr_array_index (rows, i), error))
      {
        relais_db_rollback (db);
        return FALSE;
      }
  stmt = relais_db_prepare (db,
                            "UPDATE central_state SET copy_xid = ?1, copy_pos = ?2, copied_at = ?3 WHERE id = 1",
                            error);
  if (stmt == NULL)
    {
      relais_db_rollback (db);
      return FALSE;
    }
  last = rows->len > 0 ? g_ptr_array_index (rows, rows->len - 1) : NULL;
  if (last != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, last->xid);
      sqlite3_bind_int64 (stmt, 2, last->pos);
    }
  else
    {
      gint64 xid = 0, pos = 0;

      relais_db_central_copy_cursor (db, &xid, &pos, NULL);
      sqlite3_bind_int64 (stmt, 1, xid);
      sqlite3_bind_int64 (stmt, 2, pos);
    }
  sqlite3_bind_int64 (stmt, 3, relais_db_now_ms ());
  if (!relais_db_step_done (db, stmt, error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

static gpointer
read_copy (sqlite3_stmt *stmt,
           gpointer      data)
{
  RelaisCentralCopyRow *r = g_new0 (RelaisCentralCopyRow, 1);

  r->organisation = relais_db_column_dup (stmt, 0);
  r->site = relais_db_column_dup (stmt, 1);
  r->state = relais_db_column_dup (stmt, 2);
  return r;
}

GPtrArray *
relais_db_central_copy_lookup (RelaisDb   *db,
                               const char *name_key,
                               const char *birth_date,
                               GError    **error)
{
  g_autofree char *identity = identity_of (name_key, birth_date);
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT organisation, site, state FROM central_copy"
                                                     " WHERE identity = ?1 AND state IN ('granted', 'applied', 'adjourned')"
                                                     " ORDER BY organisation, site LIMIT 20",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_STATIC);
  return relais_db_rows (db, stmt, read_copy, NULL, (GDestroyNotify) relais_central_copy_row_free, error);
}
