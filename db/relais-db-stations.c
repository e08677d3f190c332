/* relais-db-stations.c: what the hub knows of each station's activity. */

#include "relais-db-stations.h"
#include "relais-db-private.h"
#include "relais-db-help.h"

void
relais_station_info_free (RelaisStationInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->step);
  g_free (info);
}

RelaisStationInfo *
relais_db_station_report (RelaisDb              *db,
                          const RelaisEventInfo *event,
                          const char            *name,
                          const char            *step,
                          gboolean               in_session,
                          gint64                 ends_at,
                          gboolean              *duplicate,
                          GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq;

  g_return_val_if_fail (db != NULL && event != NULL && name != NULL && step != NULL, NULL);

  *duplicate = FALSE;
  if (!relais_db_savepoint (db, error))
    return NULL;
  seq = relais_db_event_append (db, event, error);
  if (seq <= 0)
    {
      *duplicate = seq == 0;
      return relais_db_savepoint_release (db, seq == 0 ? relais_db_station_get (db, name, error) : NULL, error);
    }

  /* "since" moves only when the session starts or ends. */
  stmt = relais_db_prepare (db,
                            "INSERT INTO stations (name, step, in_session, since, last_event_at, ends_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?4, ?5)"
                            " ON CONFLICT (name) DO UPDATE SET"
                            "  step = excluded.step,"
                            "  ends_at = excluded.ends_at,"
                            "  since = CASE WHEN in_session = excluded.in_session THEN since ELSE excluded.since END,"
                            "  in_session = excluded.in_session,"
                            "  last_event_at = excluded.last_event_at"
                            " WHERE coalesce (last_event_at, 0) <= excluded.last_event_at",
                            error);
  if (stmt == NULL)
    return relais_db_savepoint_release (db, NULL, error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, step, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, in_session ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, event->at);
  if (ends_at > 0)
    sqlite3_bind_int64 (stmt, 5, ends_at);
  else
    sqlite3_bind_null (stmt, 5);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return relais_db_savepoint_release (db, NULL, error);
    }
  return relais_db_savepoint_release (db, relais_db_station_get (db, name, error), error);
}

#define STATION_SELECT                                                             \
  "SELECT c.name, coalesce (s.step, 'home'), coalesce (s.in_session, 0),"          \
  " coalesce (s.since, 0), coalesce (s.last_event_at, 0), coalesce (s.ends_at, 0)" \
  " FROM clients c LEFT JOIN stations s ON s.name = c.name"                        \
  " WHERE c.kind = 'station' AND c.revoked_at IS NULL"

static RelaisStationInfo *
info_from_row (sqlite3_stmt *stmt)
{
  RelaisStationInfo *info = g_new0 (RelaisStationInfo, 1);

  info->name = relais_db_column_dup (stmt, 0);
  info->step = relais_db_column_dup (stmt, 1);
  info->in_session = sqlite3_column_int (stmt, 2) != 0;
  info->since = sqlite3_column_int64 (stmt, 3);
  info->last_event_at = sqlite3_column_int64 (stmt, 4);
  info->ends_at = sqlite3_column_int64 (stmt, 5);
  return info;
}

GPtrArray *
relais_db_station_list (RelaisDb *db,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_station_info_free);
  int rc;

  stmt = relais_db_prepare (db, STATION_SELECT " ORDER BY c.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, info_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

RelaisStationInfo *
relais_db_station_get (RelaisDb   *db,
                       const char *name,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db, STATION_SELECT " AND c.name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return info_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Poste inconnu : %s", name);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}
