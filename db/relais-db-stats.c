/* relais-db-stats.c: session logs and the dashboard's aggregates (hub). */

#include "relais-db-stats.h"
#include "relais-db-private.h"

static void
row_free (RelaisStatsRow *row)
{
  g_free (row->key);
  g_free (row);
}

static void
help_free (RelaisStatsHelp *help)
{
  g_free (help->category);
  g_free (help);
}

void
relais_stats_free (RelaisStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->days, g_ptr_array_unref);
  g_clear_pointer (&stats->stations, g_ptr_array_unref);
  g_clear_pointer (&stats->languages, g_ptr_array_unref);
  g_clear_pointer (&stats->help, g_ptr_array_unref);
  g_free (stats);
}

static gboolean
add_help (RelaisDb                *db,
          gint64                   session_id,
          const char              *day,
          const char              *station,
          const RelaisSessionHelp *help,
          GError                 **error)
{
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) agg = NULL;

  row = relais_db_prepare (db,
                           "INSERT INTO session_help (session_id, category, to_seen_s, to_taken_s, to_resolved_s)"
                           " VALUES (?1, ?2, nullif (?3, -1), nullif (?4, -1), nullif (?5, -1))",
                           error);
  if (row == NULL)
    return FALSE;
  sqlite3_bind_int64 (row, 1, session_id);
  sqlite3_bind_text (row, 2, help->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (row, 3, help->to_seen_s);
  sqlite3_bind_int64 (row, 4, help->to_taken_s);
  sqlite3_bind_int64 (row, 5, help->to_resolved_s);
  if (!relais_db_step_done (db, row, error))
    return FALSE;

  agg = relais_db_prepare (db,
                           "INSERT INTO stats_help_daily (day, station, category, requests,"
                           "  seen_n, seen_s, taken_n, taken_s, resolved_n, resolved_s)"
                           " VALUES (?1, ?2, ?3, 1, ?4 >= 0, max (?4, 0), ?5 >= 0, max (?5, 0), ?6 >= 0, max (?6, 0))"
                           " ON CONFLICT (day, station, category) DO UPDATE SET"
                           "  requests = requests + 1,"
                           "  seen_n = seen_n + excluded.seen_n, seen_s = seen_s + excluded.seen_s,"
                           "  taken_n = taken_n + excluded.taken_n, taken_s = taken_s + excluded.taken_s,"
                           "  resolved_n = resolved_n + excluded.resolved_n, resolved_s = resolved_s + excluded.resolved_s",
                           error);
  if (agg == NULL)
    return FALSE;
  sqlite3_bind_text (agg, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (agg, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_text (agg, 3, help->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (agg, 4, help->to_seen_s);
  sqlite3_bind_int64 (agg, 5, help->to_taken_s);
  sqlite3_bind_int64 (agg, 6, help->to_resolved_s);
  return relais_db_step_done (db, agg, error);
}

static gboolean
record (RelaisDb               *db,
        const char             *station,
        const RelaisSessionLog *log,
        GError                **error)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (log->started_at / 1000);
  g_autofree char *day = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) daily = NULL;
  g_autoptr(sqlite3_stmt) hourly = NULL;
  g_autoptr(sqlite3_stmt) language = NULL;
  gint64 session_id;

  if (local == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "date de séance invalide");
      return FALSE;
    }
  day = g_date_time_format (local, "%Y-%m-%d");

  insert = relais_db_prepare (db,
                              "INSERT INTO session_logs (station, started_at, day, duration_s, language, end_reason,"
                              "  pages_scanned, pages_printed, copies, saved_usb, saved_safe, mail_checks)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                              error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, log->started_at);
  sqlite3_bind_text (insert, 3, day, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, log->duration_s);
  sqlite3_bind_text (insert, 5, log->language, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, log->end_reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 7, log->pages_scanned);
  sqlite3_bind_int64 (insert, 8, log->pages_printed);
  sqlite3_bind_int64 (insert, 9, log->copies);
  sqlite3_bind_int64 (insert, 10, log->saved_usb);
  sqlite3_bind_int64 (insert, 11, log->saved_safe);
  sqlite3_bind_int64 (insert, 12, log->mail_checks);
  if (!relais_db_step_done (db, insert, error))
    return FALSE;
  session_id = sqlite3_last_insert_rowid (db->handle);

  daily = relais_db_prepare (db,
                             "INSERT INTO stats_daily (day, station, sessions, duration_s, pages_scanned,"
                             "  pages_printed, copies, saved_usb, saved_safe, mail_checks, help_requests)"
                             " VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                             " ON CONFLICT (day, station) DO UPDATE SET"
                             "  sessions = sessions + 1, duration_s = duration_s + excluded.duration_s,"
                             "  pages_scanned = pages_scanned + excluded.pages_scanned,"
                             "  pages_printed = pages_printed + excluded.pages_printed,"
                             "  copies = copies + excluded.copies, saved_usb = saved_usb + excluded.saved_usb,"
                             "  saved_safe = saved_safe + excluded.saved_safe,"
                             "  mail_checks = mail_checks + excluded.mail_checks,"
                             "  help_requests = help_requests + excluded.help_requests",
                             error);
  if (daily == NULL)
    return FALSE;
  sqlite3_bind_text (daily, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (daily, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (daily, 3, log->duration_s);
  sqlite3_bind_int64 (daily, 4, log->pages_scanned);
  sqlite3_bind_int64 (daily, 5, log->pages_printed);
  sqlite3_bind_int64 (daily, 6, log->copies);
  sqlite3_bind_int64 (daily, 7, log->saved_usb);
  sqlite3_bind_int64 (daily, 8, log->saved_safe);
  sqlite3_bind_int64 (daily, 9, log->mail_checks);
  sqlite3_bind_int64 (daily, 10, log->n_help);
  if (!relais_db_step_done (db, daily, error))
    return FALSE;

  hourly = relais_db_prepare (db,
                              "INSERT INTO stats_hourly (day, station, hour, weekday, sessions)"
                              " VALUES (?1, ?2, ?3, ?4, 1)"
                              " ON CONFLICT (day, station, hour) DO UPDATE SET sessions = sessions + 1",
                              error);
  if (hourly == NULL)
    return FALSE;
  sqlite3_bind_text (hourly, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (hourly, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int (hourly, 3, g_date_time_get_hour (local));
  sqlite3_bind_int (hourly, 4, g_date_time_get_day_of_week (local) - 1);
  if (!relais_db_step_done (db, hourly, error))
    return FALSE;

  language = relais_db_prepare (db,
                                "INSERT INTO stats_language_daily (day, station, language, sessions)"
                                " VALUES (?1, ?2, ?3, 1)"
                                " ON CONFLICT (day, station, language) DO UPDATE SET sessions = sessions + 1",
                                error);
  if (language == NULL)
    return FALSE;
  sqlite3_bind_text (language, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (language, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_text (language, 3, log->language, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, language, error))
    return FALSE;

  for (guint i = 0; i < log->n_help; i++)
    if (!add_help (db, session_id, day, station, &log->help[i], error))
      return FALSE;
  return TRUE;
}

gboolean
relais_db_stats_record_session (RelaisDb               *db,
                                const RelaisEventInfo  *event,
                                const char             *station,
                                const RelaisSessionLog *log,
                                gboolean               *duplicate,
                                GError                **error)
{
  gint64   seq;
  gboolean ok;

  g_return_val_if_fail (db != NULL && event != NULL && station != NULL && log != NULL, FALSE);

  *duplicate = FALSE;
  if (!relais_db_savepoint (db, error))
    return FALSE;
  /* event == NULL-key free path: a benchmark may load logs in bulk. */
  seq = event->key != NULL ? relais_db_event_append (db, event, error) : 1;
  if (seq <= 0)
    {
      *duplicate = seq == 0;
      return relais_db_savepoint_release (db, seq == 0 ? GINT_TO_POINTER (TRUE) : NULL, error) != NULL;
    }
  ok = record (db, station, log, error);
  return relais_db_savepoint_release (db, ok ? GINT_TO_POINTER (TRUE) : NULL, error) != NULL;
}

static void
read_row (sqlite3_stmt   *stmt,
          RelaisStatsRow *row)
{
  row->key = relais_db_column_dup (stmt, 0);
  row->sessions = sqlite3_column_int64 (stmt, 1);
  row->duration_s = sqlite3_column_int64 (stmt, 2);
  row->pages_scanned = sqlite3_column_int64 (stmt, 3);
  row->pages_printed = sqlite3_column_int64 (stmt, 4);
  row->copies = sqlite3_column_int64 (stmt, 5);
  row->saved_usb = sqlite3_column_int64 (stmt, 6);
  row->saved_safe = sqlite3_column_int64 (stmt, 7);
  row->mail_checks = sqlite3_column_int64 (stmt, 8);
  row->help_requests = sqlite3_column_int64 (stmt, 9);
}

#define ROW_SUMS                                                                               \
  " sum (sessions), sum (duration_s), sum (pages_scanned), sum (pages_printed), sum (copies)," \
  " sum (saved_usb), sum (saved_safe), sum (mail_checks), sum (help_requests)"
#define IN_PERIOD " WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR station = ?3)"

static gboolean
bind_period (sqlite3_stmt *stmt,
             const char   *from,
             const char   *to,
             const char   *station)
{
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, station, -1, SQLITE_STATIC);
  return TRUE;
}

static GPtrArray *
query_rows (RelaisDb   *db,
            const char *sql,
            const char *from,
            const char *to,
            const char *station,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_period (stmt, from, to, station);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisStatsRow *row = g_new0 (RelaisStatsRow, 1);
      read_row (stmt, row);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
valid_day (const char *day)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (day == NULL || strlen (day) != 10)
    return FALSE;
  iso = g_strconcat (day, "T00:00:00Z", NULL);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  return parsed != NULL;
}

RelaisStats *
relais_db_stats_query (RelaisDb   *db,
                       const char *from,
                       const char *to,
                       const char *station,
                       GError    **error)
{
  g_autoptr(RelaisStats) stats = g_new0 (RelaisStats, 1);
  g_autoptr(sqlite3_stmt) heat = NULL;
  g_autoptr(sqlite3_stmt) help = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (!valid_day (from) || !valid_day (to) || strcmp (from, to) > 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                   "Période invalide : du « %s » au « %s » (AAAA-MM-JJ attendu)",
                   from != NULL ? from : "", to != NULL ? to : "");
      return NULL;
    }

  stats->days = query_rows (db, "SELECT day," ROW_SUMS " FROM stats_daily" IN_PERIOD " GROUP BY day ORDER BY day",
                            from, to, station, error);
  if (stats->days == NULL)
    return NULL;
  stats->stations = query_rows (db, "SELECT station," ROW_SUMS " FROM stats_daily" IN_PERIOD " GROUP BY station ORDER BY station", from, to, station, error);
  if (stats->stations == NULL)
    return NULL;
  stats->languages = query_rows (db, "SELECT language, sum (sessions), 0, 0, 0, 0, 0, 0, 0, 0"
                                     " FROM stats_language_daily" IN_PERIOD " GROUP BY language ORDER BY sum (sessions) DESC",
                                 from, to, station, error);
  if (stats->languages == NULL)
    return NULL;

  stats->totals.key = NULL;
  for (guint i = 0; i < stats->days->len; i++)
    {
      RelaisStatsRow *day = g_ptr_array_index (stats->days, i);

      stats->totals.sessions += day->sessions;
      stats->totals.duration_s += day->duration_s;
      stats->totals.pages_scanned += day->pages_scanned;
      stats->totals.pages_printed += day->pages_printed;
      stats->totals.copies += day->copies;
      stats->totals.saved_usb += day->saved_usb;
      stats->totals.saved_safe += day->saved_safe;
      stats->totals.mail_checks += day->mail_checks;
      stats->totals.help_requests += day->help_requests;
    }

  heat = relais_db_prepare (db, "SELECT weekday, hour, sum (sessions) FROM stats_hourly" IN_PERIOD " GROUP BY weekday, hour", error);
  if (heat == NULL)
    return NULL;
  bind_period (heat, from, to, station);
  while ((rc = sqlite3_step (heat)) == SQLITE_ROW)
    {
      int weekday = sqlite3_column_int (heat, 0);
      int hour = sqlite3_column_int (heat, 1);

      if (weekday >= 0 && weekday < 7 && hour >= 0 && hour < 24)
        stats->heat[weekday][hour] = sqlite3_column_int64 (heat, 2);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }

  stats->help = g_ptr_array_new_with_free_func ((GDestroyNotify) help_free);
  help = relais_db_prepare (db, "SELECT category, sum (requests), sum (seen_n), sum (seen_s), sum (taken_n),"
                                " sum (taken_s), sum (resolved_n), sum (resolved_s) FROM stats_help_daily" IN_PERIOD " GROUP BY category ORDER BY sum (requests) DESC",
                            error);
  if (help == NULL)
    return NULL;
  bind_period (help, from, to, station);
  while ((rc = sqlite3_step (help)) == SQLITE_ROW)
    {
      RelaisStatsHelp *h = g_new0 (RelaisStatsHelp, 1);

      h->category = relais_db_column_dup (help, 0);
      h->requests = sqlite3_column_int64 (help, 1);
      h->seen_n = sqlite3_column_int64 (help, 2);
      h->seen_s = sqlite3_column_int64 (help, 3);
      h->taken_n = sqlite3_column_int64 (help, 4);
      h->taken_s = sqlite3_column_int64 (help, 5);
      h->resolved_n = sqlite3_column_int64 (help, 6);
      h->resolved_s = sqlite3_column_int64 (help, 7);
      g_ptr_array_add (stats->help, h);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&stats);
}

gboolean
relais_db_stats_purge (RelaisDb *db,
                       gint64    before,
                       gint64   *deleted,
                       GError  **error)
{
  static const char * const purges[] = {
    "DELETE FROM session_logs WHERE started_at < ?1",
    "DELETE FROM help_requests WHERE state IN ('resolved', 'cancelled', 'left') AND closed_at < ?1",
    "DELETE FROM events WHERE received_at < ?1",
  };
  gint64 total = 0;

  if (!relais_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (purges); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, purges[i], error);

      if (stmt == NULL)
        {
          relais_db_rollback (db);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, before);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          relais_db_rollback (db);
          return FALSE;
        }
      total += sqlite3_changes (db->handle);
    }
  if (!relais_db_commit (db, error))
    return FALSE;
  if (deleted != NULL)
    *deleted = total;
  return TRUE;
}

gint64
relais_db_stats_count_sessions (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count (*) FROM session_logs");
}

void
relais_stats_outcome_free (RelaisStatsOutcome *line)
{
  if (line == NULL)
    return;
  g_free (line->month);
  g_free (line->need);
  g_free (line->outcome);
  g_free (line->partner);
  g_free (line);
}

GPtrArray *
relais_db_stats_outcomes (RelaisDb   *db,
                          const char *from,
                          const char *to,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_stats_outcome_free);
  int rc;

  g_return_val_if_fail (db != NULL && from != NULL && to != NULL, NULL);
  stmt = relais_db_prepare (db,
                            "SELECT month, need, outcome, partner, requests FROM stats_help_outcomes_monthly"
                            " WHERE month BETWEEN substr (?1, 1, 7) AND substr (?2, 1, 7)"
                            " ORDER BY month, need, outcome, partner",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisStatsOutcome *line = g_new0 (RelaisStatsOutcome, 1);

      line->month = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      line->need = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      line->outcome = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      line->partner = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      line->requests = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (lines, line);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&lines);
}
