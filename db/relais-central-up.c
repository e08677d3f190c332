/* relais-central-up.c: the site's second queue for the central registry
 * (issue 19): safes, accounts' directory, monthly statistics. An entry
 * names its record; the record is read when the entry goes up, as it is
 * then. Documents are never copied into the queue: the envelope is read
 * from safe_documents, so a 40 MB scan does not sit twice on the disk. */

#include "relais-central-up.h"
#include "relais-db-private.h"

#include <string.h>

#define NOW_MS     "CAST ((julianday ('now') - 2440587.5) * 86400000 AS INTEGER)"
#define NEW_KEY    "lower (hex (randomblob (16)))"
#define CENTRAL_ON "(SELECT enabled FROM central_state WHERE id = 1)"
#define QUEUE(kind, ref, ref2)                                                \
  "INSERT INTO central_up (key, kind, ref, ref2, queued_at) VALUES (" NEW_KEY \
  ", '" kind "', " ref ", " ref2 ", " NOW_MS ");"
/* A safe made here: those fetched from another site have a home. */
#define SAFE_OURS(id) "(SELECT home_site IS NULL FROM safes WHERE id = " id ")"

/* 30 (central): what else crosses sites. A safe's counters (wrong PINs,
 * a lock, last use) and its journal and consents stay at the site. */
const char relais_db_central_hub_migration_up[] =
    "CREATE TABLE central_up ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('safe', 'safe-delete', 'document', 'document-delete', 'account',"
    "    'stats')),"
    "  ref TEXT NOT NULL,"
    "  ref2 TEXT,"
    "  queued_at INTEGER NOT NULL);"
    "ALTER TABLE central_state ADD COLUMN up_joined INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE safes ADD COLUMN home_site TEXT;"
    "CREATE TRIGGER central_up_si AFTER INSERT ON safes WHEN " CENTRAL_ON " AND new.home_site IS NULL BEGIN " QUEUE ("safe", "new.number", "NULL") " END;"
                                                                                                                                                   "CREATE TRIGGER central_up_su AFTER UPDATE OF state, activation_hash, recovery_hash, salt, verifier,"
                                                                                                                                                   "  hub_secret, wrapped_keys, box_pk ON safes WHEN " CENTRAL_ON " AND new.home_site IS NULL"
                                                                                                                                                   "  AND (old.state IS NOT new.state OR old.activation_hash IS NOT new.activation_hash"
                                                                                                                                                   "  OR old.recovery_hash IS NOT new.recovery_hash OR old.salt IS NOT new.salt"
                                                                                                                                                   "  OR old.verifier IS NOT new.verifier OR old.hub_secret IS NOT new.hub_secret"
                                                                                                                                                   "  OR old.wrapped_keys IS NOT new.wrapped_keys OR old.box_pk IS NOT new.box_pk) BEGIN " QUEUE ("safe", "new.number", "NULL") " END;"
                                                                                                                                                                                                                                                                                "CREATE TRIGGER central_up_sd AFTER DELETE ON safes WHEN " CENTRAL_ON " AND old.home_site IS NULL BEGIN " QUEUE ("safe-delete", "old.number", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                      "CREATE TRIGGER central_up_di AFTER INSERT ON safe_documents WHEN " CENTRAL_ON " AND " SAFE_OURS ("new.safe_id") " BEGIN " QUEUE ("document", "(SELECT number FROM safes WHERE id = new.safe_id)", "new.id") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   /* A safe's deletion takes its documents: the safe goes, they with it. */
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "CREATE TRIGGER central_up_dd AFTER DELETE ON safe_documents WHEN " CENTRAL_ON " AND " SAFE_OURS ("old.safe_id") " BEGIN " QUEUE ("document-delete", "(SELECT number FROM safes WHERE id = old.safe_id)", "old.id") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "CREATE TRIGGER central_up_ai AFTER INSERT ON mediators WHEN " CENTRAL_ON " BEGIN " QUEUE ("account", "new.login", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  "CREATE TRIGGER central_up_au AFTER UPDATE OF login, display_name, disabled_at ON mediators WHEN " CENTRAL_ON
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  " BEGIN " QUEUE ("account", "old.login", "NULL") QUEUE ("account", "new.login", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          "CREATE TRIGGER central_up_ri AFTER INSERT ON mediator_roles WHEN " CENTRAL_ON " BEGIN " QUEUE ("account", "(SELECT login FROM mediators WHERE id = new.mediator_id)", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "CREATE TRIGGER central_up_rd AFTER DELETE ON mediator_roles WHEN " CENTRAL_ON
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         " AND EXISTS (SELECT 1 FROM mediators WHERE id = old.mediator_id) BEGIN " QUEUE ("account", "(SELECT login FROM mediators WHERE id = old.mediator_id)", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "CREATE TRIGGER central_up_ti AFTER INSERT ON stats_daily WHEN " CENTRAL_ON " BEGIN " QUEUE ("stats", "substr (new.day, 1, 7)", "NULL") " END;"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "CREATE TRIGGER central_up_tu AFTER UPDATE ON stats_daily WHEN " CENTRAL_ON " BEGIN " QUEUE ("stats", "substr (new.day, 1, 7)", "NULL") " END;";

void
relais_central_up_free (RelaisCentralUp *up)
{
  if (up == NULL)
    return;
  g_free (up->key);
  g_free (up->kind);
  g_free (up->ref);
  g_free (up->ref2);
  g_free (up->state);
  g_clear_pointer (&up->box_pk, g_bytes_unref);
  g_clear_pointer (&up->activation_hash, g_bytes_unref);
  g_clear_pointer (&up->recovery_hash, g_bytes_unref);
  g_clear_pointer (&up->salt, g_bytes_unref);
  g_clear_pointer (&up->verifier, g_bytes_unref);
  g_clear_pointer (&up->hub_secret, g_bytes_unref);
  g_clear_pointer (&up->wrapped_keys, g_bytes_unref);
  g_free (up->category);
  g_clear_pointer (&up->head, g_bytes_unref);
  g_clear_pointer (&up->body, g_bytes_unref);
  g_free (up->display_name);
  g_free (up->roles);
  g_free (up);
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

static void
bind_bytes (sqlite3_stmt *stmt,
            int           column,
            GBytes       *bytes)
{
  gsize         length = 0;
  gconstpointer data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  if (bytes == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_blob64 (stmt, column, data != NULL ? data : "", length, SQLITE_STATIC);
}

gboolean
relais_db_central_up_enable (RelaisDb *db,
                             GError  **error)
{
  static const char * const backfill[] = {
    "INSERT INTO central_up (key, kind, ref, ref2, queued_at)"
    " SELECT " NEW_KEY ", 'safe', number, NULL, " NOW_MS " FROM safes WHERE home_site IS NULL ORDER BY id",
    "INSERT INTO central_up (key, kind, ref, ref2, queued_at)"
    " SELECT " NEW_KEY ", 'document', s.number, d.id, " NOW_MS " FROM safe_documents d"
    " JOIN safes s ON s.id = d.safe_id WHERE s.home_site IS NULL ORDER BY d.created_at, d.rowid",
    "INSERT INTO central_up (key, kind, ref, ref2, queued_at)"
    " SELECT " NEW_KEY ", 'account', login, NULL, " NOW_MS " FROM mediators ORDER BY id",
    "INSERT INTO central_up (key, kind, ref, ref2, queued_at)"
    " SELECT " NEW_KEY ", 'stats', month, NULL, " NOW_MS
    " FROM (SELECT DISTINCT substr (day, 1, 7) AS month FROM stats_daily) ORDER BY month",
  };

  g_return_val_if_fail (db != NULL, FALSE);

  if (!relais_db_begin (db, error))
    return FALSE;
  if (relais_db_single_int (db, "SELECT up_joined FROM central_state WHERE id = 1") == 1)
    return relais_db_commit (db, error);
  for (guint i = 0; i < G_N_ELEMENTS (backfill); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, backfill[i], error);

      if (stmt == NULL || !relais_db_step_done (db, stmt, error))
        {
          relais_db_rollback (db);
          return FALSE;
        }
    }
  if (!relais_db_exec (db, "UPDATE central_state SET up_joined = 1 WHERE id = 1", error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

static gpointer
read_entry (sqlite3_stmt *stmt,
            gpointer      data)
{
  RelaisCentralUp *up = g_new0 (RelaisCentralUp, 1);

  up->seq = sqlite3_column_int64 (stmt, 0);
  up->key = relais_db_column_dup (stmt, 1);
  up->kind = relais_db_column_dup (stmt, 2);
  up->ref = relais_db_column_dup (stmt, 3);
  up->ref2 = relais_db_column_dup (stmt, 4);
  up->queued_at = sqlite3_column_int64 (stmt, 5);
  return up;
}

/* The record of @up as it is now; gone when it is no more. */
static gboolean
load (RelaisDb        *db,
      RelaisCentralUp *up,
      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_SAFE))
    stmt = relais_db_prepare (db,
                              "SELECT state, box_pk, activation_hash, recovery_hash, salt, verifier, hub_secret,"
                              " wrapped_keys, created_at FROM safes WHERE number = ?1 AND home_site IS NULL",
                              error);
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_DOCUMENT))
    stmt = relais_db_prepare (db,
                              "SELECT d.category, d.head, d.body, d.deposited, d.created_at FROM safe_documents d"
                              " JOIN safes s ON s.id = d.safe_id WHERE s.number = ?1 AND d.id = ?2"
                              " AND s.home_site IS NULL",
                              error);
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_ACCOUNT))
    stmt = relais_db_prepare (db,
                              "SELECT m.display_name, m.disabled_at IS NULL,"
                              " (SELECT group_concat (role, ',') FROM (SELECT role FROM mediator_roles"
                              "  WHERE mediator_id = m.id ORDER BY role))"
                              " FROM mediators m WHERE m.login = ?1",
                              error);
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_STATS))
    stmt = relais_db_prepare (db,
                              "SELECT count(*), sum (sessions), sum (duration_s), sum (pages_scanned),"
                              " sum (pages_printed), sum (copies), sum (saved_usb), sum (saved_safe),"
                              " sum (mail_checks), sum (help_requests) FROM stats_daily"
                              " WHERE day >= ?1 || '-01' AND day <= ?1 || '-31'",
                              error);
  else
    return TRUE; /* the deletions carry their references only */
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, up->ref, -1, SQLITE_STATIC);
  if (up->ref2 != NULL)
    sqlite3_bind_text (stmt, 2, up->ref2, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      up->gone = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_SAFE))
    {
      up->state = relais_db_column_dup (stmt, 0);
      up->box_pk = column_bytes (stmt, 1);
      up->activation_hash = column_bytes (stmt, 2);
      up->recovery_hash = column_bytes (stmt, 3);
      up->salt = column_bytes (stmt, 4);
      up->verifier = column_bytes (stmt, 5);
      up->hub_secret = column_bytes (stmt, 6);
      up->wrapped_keys = column_bytes (stmt, 7);
      up->created_at = sqlite3_column_int64 (stmt, 8);
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_DOCUMENT))
    {
      up->category = relais_db_column_dup (stmt, 0);
      up->head = column_bytes (stmt, 1);
      up->body = column_bytes (stmt, 2);
      up->deposited = sqlite3_column_int (stmt, 3) != 0;
      up->created_at = sqlite3_column_int64 (stmt, 4);
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_ACCOUNT))
    {
      up->display_name = relais_db_column_dup (stmt, 0);
      up->active = sqlite3_column_int (stmt, 1) != 0;
      up->roles = relais_db_column_dup (stmt, 2);
      if (up->roles == NULL)
        up->roles = g_strdup ("");
    }
  else
    {
      RelaisCentralMonth *m = &up->month;

      up->gone = sqlite3_column_int64 (stmt, 0) == 0;
      m->sessions = sqlite3_column_int64 (stmt, 1);
      m->duration_s = sqlite3_column_int64 (stmt, 2);
      m->pages_scanned = sqlite3_column_int64 (stmt, 3);
      m->pages_printed = sqlite3_column_int64 (stmt, 4);
      m->copies = sqlite3_column_int64 (stmt, 5);
      m->saved_usb = sqlite3_column_int64 (stmt, 6);
      m->saved_safe = sqlite3_column_int64 (stmt, 7);
      m->mail_checks = sqlite3_column_int64 (stmt, 8);
      m->help_requests = sqlite3_column_int64 (stmt, 9);
    }
  return TRUE;
}

GPtrArray *
relais_db_central_up_peek (RelaisDb *db,
                           guint     max,
                           gsize     max_bytes,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_up_free);
  gsize bytes = 0;

  g_return_val_if_fail (db != NULL && max > 0, NULL);

  stmt = relais_db_prepare (db, "SELECT seq, key, kind, ref, ref2, queued_at FROM central_up ORDER BY seq LIMIT ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max);
  entries = relais_db_rows (db, stmt, read_entry, NULL, (GDestroyNotify) relais_central_up_free, error);
  if (entries == NULL)
    return NULL;
  g_clear_pointer (&stmt, relais_db_stmt_release);
  /* A month's counts go up once per batch, read now: the latest. */
  for (guint i = 0; i < entries->len; i++)
    {
      RelaisCentralUp *up = g_ptr_array_index (entries, i);
      gboolean         again = FALSE;

      for (guint j = 0; j < out->len && g_str_equal (up->kind, RELAIS_CENTRAL_UP_STATS); j++)
        {
          RelaisCentralUp *before = g_ptr_array_index (out, j);

          again = again || (g_str_equal (before->kind, up->kind) && g_str_equal (before->ref, up->ref));
        }
      /* Acknowledged with the batch, nothing sent for it. */
      if (again)
        up->merged = TRUE;
      else if (!load (db, up, error))
        return NULL;
      if (up->body != NULL && out->len > 0 && bytes + g_bytes_get_size (up->body) > max_bytes)
        break;
      bytes += up->body != NULL ? g_bytes_get_size (up->body) : 0;
      g_ptr_array_add (out, up);
      entries->pdata[i] = NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
relais_db_central_up_done (RelaisDb *db,
                           gint64    seq,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "DELETE FROM central_up WHERE seq <= ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return relais_db_step_done (db, stmt, error);
}

gint64
relais_db_central_up_length (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count(*) FROM central_up");
}

/* ---- down: a safe of another site ---- */

void
relais_central_safe_free (RelaisCentralSafe *safe)
{
  if (safe == NULL)
    return;
  g_free (safe->site_code);
  g_clear_pointer (&safe->record, relais_safe_record_free);
  g_free (safe);
}

void
relais_central_safe_document_free (RelaisCentralSafeDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->id);
  g_free (doc->category);
  g_clear_pointer (&doc->head, g_bytes_unref);
  g_clear_pointer (&doc->body, g_bytes_unref);
  g_free (doc);
}

char *
relais_db_central_safe_home (RelaisDb   *db,
                             const char *number)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT home_site FROM safes WHERE number = ?1", NULL);

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return relais_db_column_dup (stmt, 0);
}

GHashTable *
relais_db_central_safe_document_ids (RelaisDb   *db,
                                     const char *number,
                                     GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT d.id FROM safe_documents d JOIN safes s"
                                                     " ON s.id = d.safe_id WHERE s.number = ?1",
                                                     error);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, relais_db_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
store_safe (RelaisDb          *db,
            RelaisCentralSafe *safe,
            gint64            *id,
            GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char        *created_by = g_strdup_printf ("central:%s", safe->site_code);
  const RelaisSafeRecord *record = safe->record;
  int                     rc;

  stmt = relais_db_prepare (db, "SELECT id, home_site FROM safes WHERE number = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->number, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    {
      /* A safe made here with the same number: ours stays ours. */
      *id = 0;
      return TRUE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  g_clear_pointer (&stmt, relais_db_stmt_release);

  if (*id != 0)
    stmt = relais_db_prepare (db,
                              "UPDATE safes SET state = ?2, activation_hash = ?3, salt = ?4, verifier = ?5,"
                              " hub_secret = ?6, wrapped_keys = ?7, box_pk = ?8, recovery_hash = ?9, home_site = ?10"
                              " WHERE number = ?1",
                              error);
  else
    stmt = relais_db_prepare (db,
                              "INSERT INTO safes (number, state, activation_hash, salt, verifier, hub_secret,"
                              " wrapped_keys, box_pk, recovery_hash, home_site, created_by, created_at,"
                              " last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record->state, -1, SQLITE_STATIC);
  bind_bytes (stmt, 3, record->activation_hash);
  bind_bytes (stmt, 4, record->salt);
  bind_bytes (stmt, 5, record->verifier);
  bind_bytes (stmt, 6, record->hub_secret);
  bind_bytes (stmt, 7, record->wrapped_keys);
  bind_bytes (stmt, 8, record->box_pk);
  bind_bytes (stmt, 9, record->recovery_hash);
  sqlite3_bind_text (stmt, 10, safe->site_code, -1, SQLITE_STATIC);
  if (*id == 0)
    {
      sqlite3_bind_text (stmt, 11, created_by, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 12, record->created_at);
    }
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (*id == 0)
    *id = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

gboolean
relais_db_central_safe_store (RelaisDb          *db,
                              RelaisCentralSafe *safe,
                              GPtrArray         *documents,
                              GError           **error)
{
  gint64 id = 0;

  g_return_val_if_fail (db != NULL && safe != NULL && safe->site_code != NULL && safe->record != NULL
                            && safe->record->number != NULL,
                        FALSE);

  if (!relais_db_begin (db, error))
    return FALSE;
  if (!store_safe (db, safe, &id, error))
    goto fail;
  for (guint i = 0; id != 0 && documents != NULL && i < documents->len; i++)
    {
      RelaisCentralSafeDocument *d = g_ptr_array_index (documents, i);
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "INSERT OR IGNORE INTO safe_documents (id, safe_id, category,"
                                                         " head, body, size, deposited, created_at)"
                                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                                         error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, d->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      sqlite3_bind_text (stmt, 3, d->category, -1, SQLITE_STATIC);
      bind_bytes (stmt, 4, d->head);
      bind_bytes (stmt, 5, d->body);
      sqlite3_bind_int64 (stmt, 6, g_bytes_get_size (d->body));
      sqlite3_bind_int (stmt, 7, d->deposited);
      sqlite3_bind_int64 (stmt, 8, d->created_at);
      if (!relais_db_step_done (db, stmt, error))
        goto fail;
    }
  return relais_db_commit (db, error);

fail:
  relais_db_rollback (db);
  return FALSE;
}
