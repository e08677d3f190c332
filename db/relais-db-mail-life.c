/* relais-db-mail-life.c: deletion, retention purge and the data journal
 * (hub). */

#include "relais-db-mail-life.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <string.h>

/* Hub migration: the data journal. Its lines never name a person: a
 * deletion says what was deleted (counts) and who did it. */
const char relais_db_mail_hub_migration_life[] =
    "CREATE TABLE data_journal ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  what TEXT NOT NULL,"
    "  detail TEXT);"
    "CREATE INDEX data_journal_at ON data_journal (at);";

void
relais_data_journal_line_free (RelaisDataJournalLine *line)
{
  if (line == NULL)
    return;
  g_free (line->who);
  g_free (line->what);
  g_free (line->detail);
  g_free (line);
}

gboolean
relais_db_data_journal_add (RelaisDb   *db,
                            const char *who,
                            const char *what,
                            const char *detail,
                            gint64      now,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "INSERT INTO data_journal (at, who, what, detail) VALUES (?1, ?2, ?3, ?4)", error);

  g_return_val_if_fail (who != NULL && what != NULL, FALSE);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, who, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

static gpointer
journal_line_from_row (sqlite3_stmt *stmt, gpointer data)
{
  RelaisDataJournalLine *line = g_new0 (RelaisDataJournalLine, 1);

  line->at = sqlite3_column_int64 (stmt, 0);
  line->who = relais_db_column_dup (stmt, 1);
  line->what = relais_db_column_dup (stmt, 2);
  line->detail = relais_db_column_dup (stmt, 3);
  return line;
}

GPtrArray *
relais_db_data_journal (RelaisDb *db, int limit, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT at, who, what, detail FROM data_journal ORDER BY at DESC, id DESC LIMIT ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, CLAMP (limit, 1, 10000));
  return relais_db_rows (db, stmt, journal_line_from_row, NULL, (GDestroyNotify) relais_data_journal_line_free,
                         error);
}

/* What goes with a person, children first (foreign keys are on: a table
 * added later that points at mail_people makes the last DELETE fail, and
 * the whole deletion with it, rather than leave its rows behind). */
static const char * const delete_steps[] = {
  "DELETE FROM mail_letters WHERE person_id = ?1",
  "DELETE FROM mail_notices WHERE person_id = ?1",
  "DELETE FROM mail_documents WHERE person_id = ?1",
  "DELETE FROM mail_proxies WHERE person_id = ?1",
  "DELETE FROM mail_decisions WHERE person_id = ?1",
  "DELETE FROM mail_people WHERE id = ?1",
};

/* Inside a transaction: deletes the person of row @id; the counts per
 * step in @counts. */
static gboolean
delete_person_rows (RelaisDb *db, gint64 id, int counts[G_N_ELEMENTS (delete_steps)], GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (delete_steps); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, delete_steps[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!relais_db_step_done (db, stmt, error))
        return FALSE;
      counts[i] = sqlite3_changes (db->handle);
    }
  return TRUE;
}

gboolean
relais_db_mail_person_delete (RelaisDb   *db,
                              const char *number,
                              const char *by,
                              gint64      now,
                              GError    **error)
{
  int              counts[G_N_ELEMENTS (delete_steps)] = { 0 };
  g_autofree char *detail = NULL;
  gint64           id;

  g_return_val_if_fail (db != NULL && number != NULL && by != NULL, FALSE);
  if (!relais_db_begin (db, error))
    return FALSE;
  if ((id = relais_db_mail_person_id (db, number, error)) == 0 || !delete_person_rows (db, id, counts, error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  /* Counts only: the journal must not keep what was just deleted. */
  detail = g_strdup_printf ("courriers=%d messages=%d documents=%d mandataires=%d decisions=%d",
                            counts[0], counts[1], counts[2], counts[3], counts[4]);
  if (!relais_db_data_journal_add (db, by, "person-deleted", detail, now, error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

/* The condition a person meets to be purged on ?1 (today) with the
 * cut-off day ?2: nothing running or pending, the domiciliation's end
 * and the last contact both before the cut-off. */
#define PURGE_DUE                                                                                                \
  " NOT (p.state IN ('applied', 'adjourned') OR (p.state = 'granted' AND coalesce (p.active_to, '9999') >= ?1))" \
  " AND coalesce (p.active_to, '0000') < ?2"                                                                     \
  " AND strftime ('%Y-%m-%d', coalesce (p.last_contact_at, p.created_at) / 1000, 'unixepoch', 'localtime') < ?2"

static gpointer
person_from_row (sqlite3_stmt *stmt, gpointer data)
{
  return relais_db_mail_person_from_row (stmt);
}

static char *
cutoff_of (const char *today, int retention_days, GError **error)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) cutoff = NULL;
  g_autofree char *iso = NULL;

  if (today == NULL || !relais_db_mail_date_valid (today) || retention_days < 1 || retention_days > 36500)
    {
      relais_db_mail_set_invalid (error, "Durée de conservation invalide (1 à 36 500 jours) ou date invalide.");
      return NULL;
    }
  iso = g_strdup_printf ("%sT00:00:00Z", today);
  day = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert (day != NULL);
  cutoff = g_date_time_add_days (day, -retention_days);
  return g_date_time_format (cutoff, "%Y-%m-%d");
}

GPtrArray *
relais_db_mail_purge_preview (RelaisDb   *db,
                              int         retention_days,
                              const char *today,
                              GError    **error)
{
  g_autofree char *cutoff = cutoff_of (today, retention_days, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (cutoff == NULL)
    return NULL;
  stmt = relais_db_prepare (db, "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE" PURGE_DUE " ORDER BY p.number",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cutoff, -1, SQLITE_STATIC);
  return relais_db_rows (db, stmt, person_from_row, NULL,
                         (GDestroyNotify) relais_mail_person_free, error);
}

int
relais_db_mail_purge (RelaisDb           *db,
                      const char * const *numbers,
                      int                 retention_days,
                      const char         *today,
                      const char         *by,
                      gint64              now,
                      GError            **error)
{
  g_autofree char *cutoff = cutoff_of (today, retention_days, error);
  g_autofree char *detail = NULL;
  int              deleted = 0;

  g_return_val_if_fail (db != NULL && numbers != NULL && by != NULL, -1);
  if (cutoff == NULL || !relais_db_begin (db, error))
    return -1;
  for (guint i = 0; numbers[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "SELECT p.id FROM mail_people p WHERE p.number = ?3 AND" PURGE_DUE, error);
      int    counts[G_N_ELEMENTS (delete_steps)];
      gint64 id = 0;
      int    rc;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, today, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, cutoff, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, numbers[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      else if (rc != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          goto fail;
        }
      g_clear_pointer (&stmt, relais_db_stmt_release);
      /* Not due any more (came back, renewed) or unknown: kept. */
      if (id == 0)
        continue;
      if (!delete_person_rows (db, id, counts, error))
        goto fail;
      deleted++;
    }
  detail = g_strdup_printf ("personnes=%d conservation=%dj", deleted, retention_days);
  if (!relais_db_data_journal_add (db, by, "purge", detail, now, error) || !relais_db_commit (db, error))
    goto fail;
  return deleted;

fail:
  relais_db_rollback (db);
  return -1;
}

GPtrArray *
relais_db_mail_register_list (RelaisDb *db,
                              int       limit,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " PERSON_COLUMNS " FROM mail_people p ORDER BY p.number LIMIT ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, CLAMP (limit, 1, 100000));
  return relais_db_rows (db, stmt, person_from_row, NULL, (GDestroyNotify) relais_mail_person_free, error);
}
