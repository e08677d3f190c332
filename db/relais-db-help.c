/* relais-db-help.c: the hub's event log, clients and help requests. */

#include "relais-db-help.h"
#include "relais-db-private.h"

gboolean
relais_db_client_enroll (RelaisDb   *db,
                         const char *kind,
                         const char *name,
                         const char *token_hash,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && kind != NULL && name != NULL && token_hash != NULL, FALSE);

  /* Enrolling again replaces the token: the old one stops working. */
  stmt = relais_db_prepare (db,
                            "INSERT INTO clients (kind, name, token_hash, created_at)"
                            " VALUES (?1, ?2, ?3, ?4)"
                            " ON CONFLICT (kind, name) DO UPDATE SET"
                            "  token_hash = excluded.token_hash,"
                            "  created_at = excluded.created_at, revoked_at = NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, relais_db_now_ms ());
  return relais_db_step_done (db, stmt, error);
}

gboolean
relais_db_client_lookup (RelaisDb   *db,
                         const char *token_hash,
                         char      **kind,
                         char      **name,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT kind, name FROM clients"
                            " WHERE token_hash = ?1 AND revoked_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "unknown token");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  *kind = relais_db_column_dup (stmt, 0);
  *name = relais_db_column_dup (stmt, 1);
  return TRUE;
}

gboolean
relais_db_batch_begin (RelaisDb *db,
                       GError  **error)
{
  return relais_db_begin (db, error);
}

gboolean
relais_db_batch_commit (RelaisDb *db,
                        GError  **error)
{
  return relais_db_commit (db, error);
}

void
relais_db_batch_rollback (RelaisDb *db)
{
  relais_db_rollback (db);
}

/* A key recorded already: a replay when it said the same thing, from the
 * same client; anything else would be taken for done without being done. */
static gboolean
key_replayed (RelaisDb              *db,
              const RelaisEventInfo *event,
              GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT source = ?2 AND type = ?3 AND body = ?4"
                                                     " FROM events WHERE key = ?1",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, event->body != NULL ? event->body : "{}", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (sqlite3_column_int (stmt, 0) == 1)
    return TRUE;
  g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED,
               "la clé « %s » a déjà servi pour une autre demande : une nouvelle demande prend une nouvelle clé",
               event->key);
  return FALSE;
}

gint64
relais_db_event_append (RelaisDb              *db,
                        const RelaisEventInfo *event,
                        GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = relais_db_prepare (db,
                            "INSERT INTO events (key, source, type, at, received_at, body)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                            " ON CONFLICT (key) DO NOTHING",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, event->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, event->at);
  sqlite3_bind_int64 (stmt, 5, relais_db_now_ms ());
  sqlite3_bind_text (stmt, 6, event->body != NULL ? event->body : "{}", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return -1;
    }
  if (sqlite3_changes (db->handle) == 0)
    return key_replayed (db, event, error) ? 0 : -1;
  return sqlite3_last_insert_rowid (db->handle);
}

#define HELP_COLUMNS                                                                        \
  "id, station, category, language, origin, state, raised_at,"                              \
  " coalesce (seen_at, 0), coalesce (taken_at, 0), taken_by, coalesce (closed_at, 0), seq," \
  " reason, taken_by_login, context, context_kind"

static RelaisHelpRequest *
help_from_row (sqlite3_stmt *stmt)
{
  RelaisHelpRequest *request = g_new0 (RelaisHelpRequest, 1);

  request->id = relais_db_column_dup (stmt, 0);
  request->station = relais_db_column_dup (stmt, 1);
  request->category = relais_help_category_from_string ((const char *) sqlite3_column_text (stmt, 2));
  request->language = relais_db_column_dup (stmt, 3);
  request->origin = relais_help_origin_from_string ((const char *) sqlite3_column_text (stmt, 4));
  request->state = relais_help_state_from_string ((const char *) sqlite3_column_text (stmt, 5));
  request->raised_at = sqlite3_column_int64 (stmt, 6);
  request->seen_at = sqlite3_column_int64 (stmt, 7);
  request->taken_at = sqlite3_column_int64 (stmt, 8);
  request->taken_by = relais_db_column_dup (stmt, 9);
  request->closed_at = sqlite3_column_int64 (stmt, 10);
  request->seq = sqlite3_column_int64 (stmt, 11);
  request->reason = relais_db_column_dup (stmt, 12);
  request->taken_by_login = relais_db_column_dup (stmt, 13);
  request->context = relais_db_column_dup (stmt, 14);
  request->context_kind = relais_help_context_kind_from_string ((const char *) sqlite3_column_text (stmt, 15));
  return request;
}

static gpointer
help_row (sqlite3_stmt *stmt,
          gpointer      data)
{
  return help_from_row (stmt);
}

RelaisHelpRequest *
relais_db_help_get (RelaisDb   *db,
                    const char *id,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && id != NULL, NULL);

  stmt = relais_db_prepare (db, "SELECT " HELP_COLUMNS " FROM help_requests WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return help_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                 "Demande d'aide inconnue : %s", id);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

gboolean
relais_db_savepoint (RelaisDb *db, GError **error)
{
  return relais_db_exec (db, "SAVEPOINT help", error);
}

gpointer
relais_db_savepoint_release (RelaisDb *db, gpointer result, GError **error)
{
  if (result != NULL && relais_db_exec (db, "RELEASE help", error))
    return result;
  relais_db_exec (db, "ROLLBACK TO help", NULL);
  relais_db_exec (db, "RELEASE help", NULL);
  return NULL;
}

RelaisHelpRequest *
relais_db_help_raise (RelaisDb              *db,
                      const RelaisEventInfo *event,
                      const char            *id,
                      const char            *station,
                      const char            *category,
                      const char            *language,
                      const char            *origin,
                      const char            *reason,
                      const char            *context,
                      RelaisHelpContextKind  context_kind,
                      gboolean              *duplicate,
                      GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RelaisHelpRequest *result = NULL;
  gint64             seq;

  g_return_val_if_fail (db != NULL && event != NULL && id != NULL, NULL);
  g_return_val_if_fail (station != NULL && category != NULL && origin != NULL, NULL);

  *duplicate = FALSE;
  if (!relais_db_savepoint (db, error))
    return NULL;
  seq = relais_db_event_append (db, event, error);
  if (seq == 0)
    {
      *duplicate = TRUE;
      result = relais_db_help_get (db, id, error);
      return relais_db_savepoint_release (db, result, error);
    }
  if (seq < 0)
    return relais_db_savepoint_release (db, NULL, error);

  stmt = relais_db_prepare (db,
                            "INSERT INTO help_requests (id, station, category, language, origin,"
                            " state, raised_at, seq, reason, context, context_kind)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, 'raised', ?6, ?7, ?8, ?9, ?10)",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, category, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, language, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, event->at);
      sqlite3_bind_int64 (stmt, 7, seq);
      sqlite3_bind_text (stmt, 8, reason, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, context, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, context != NULL ? relais_help_context_kind_to_string (context_kind) : NULL, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        result = relais_db_help_get (db, id, error);
      else if ((sqlite3_extended_errcode (db->handle) & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                     "Une autre demande d'aide porte déjà l'identifiant « %s ».", id);
      else
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
    }
  return relais_db_savepoint_release (db, result, error);
}

static RelaisHelpState
action_target (RelaisHelpAction action)
{
  switch (action)
    {
    case RELAIS_HELP_SEEN: return RELAIS_HELP_STATE_SEEN;
    case RELAIS_HELP_TAKE: return RELAIS_HELP_STATE_TAKEN;
    case RELAIS_HELP_RESOLVE: return RELAIS_HELP_STATE_RESOLVED;
    case RELAIS_HELP_CANCEL: return RELAIS_HELP_STATE_CANCELLED;
    case RELAIS_HELP_LEAVE: return RELAIS_HELP_STATE_LEFT;
    default: g_assert_not_reached ();
    }
}

/* The lifecycle: raised → seen → taken → resolved; cancelled, or left
 * (the resident's session ended), from any open state. "seen" on a request already seen or taken changes nothing. */
static gboolean
action_allowed (RelaisHelpAction action,
                RelaisHelpState  state)
{
  switch (action)
    {
    case RELAIS_HELP_SEEN:
      return state == RELAIS_HELP_STATE_RAISED;
    case RELAIS_HELP_TAKE:
      return relais_help_state_is_waiting (state);
    case RELAIS_HELP_RESOLVE:
    case RELAIS_HELP_CANCEL:
    case RELAIS_HELP_LEAVE:
      return relais_help_state_is_open (state);
    default:
      g_assert_not_reached ();
    }
}

RelaisHelpRequest *
relais_db_help_apply (RelaisDb              *db,
                      const RelaisEventInfo *event,
                      const char            *id,
                      RelaisHelpAction       action,
                      const char            *mediator_name,
                      const char            *mediator_login,
                      const char            *station,
                      gboolean              *duplicate,
                      GError               **error)
{
  g_autoptr(RelaisHelpRequest) current = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RelaisHelpRequest *result = NULL;
  gint64             seq;

  g_return_val_if_fail (db != NULL && event != NULL && id != NULL, NULL);

  *duplicate = FALSE;
  if (!relais_db_savepoint (db, error))
    return NULL;

  current = relais_db_help_get (db, id, error);
  if (current == NULL)
    return relais_db_savepoint_release (db, NULL, error);
  if (station != NULL && !g_str_equal (station, current->station))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                   "Demande d'aide inconnue : %s", id);
      return relais_db_savepoint_release (db, NULL, error);
    }

  seq = relais_db_event_append (db, event, error);
  if (seq == 0)
    {
      *duplicate = TRUE;
      return relais_db_savepoint_release (db, g_steal_pointer (&current), error);
    }
  if (seq < 0)
    return relais_db_savepoint_release (db, NULL, error);

  if (!action_allowed (action, current->state))
    {
      if (action == RELAIS_HELP_SEEN && relais_help_state_is_open (current->state))
        return relais_db_savepoint_release (db, g_steal_pointer (&current), error);
      if (action == RELAIS_HELP_TAKE && current->taken_by != NULL)
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                     "%s a déjà pris cette demande.", current->taken_by);
      else
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                     "Cette demande est déjà « %s ».", relais_help_state_to_string (current->state));
      return relais_db_savepoint_release (db, NULL, error);
    }

  stmt = relais_db_prepare (db,
                            "UPDATE help_requests SET state = ?2, seq = ?3,"
                            " seen_at = CASE WHEN ?2 IN ('seen', 'taken') THEN coalesce (seen_at, ?4) ELSE seen_at END,"
                            " taken_at = CASE WHEN ?2 = 'taken' THEN ?4 ELSE taken_at END,"
                            " taken_by = CASE WHEN ?2 = 'taken' THEN ?5 ELSE taken_by END,"
                            " taken_by_login = CASE WHEN ?2 = 'taken' THEN ?6 ELSE taken_by_login END,"
                            " closed_at = CASE WHEN ?2 IN ('resolved', 'cancelled', 'left') THEN ?4 ELSE closed_at END"
                            " WHERE id = ?1",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, relais_help_state_to_string (action_target (action)), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, seq);
      sqlite3_bind_int64 (stmt, 4, event->at);
      sqlite3_bind_text (stmt, 5, mediator_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, mediator_login, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        result = relais_db_help_get (db, id, error);
      else
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
    }
  return relais_db_savepoint_release (db, result, error);
}

gboolean
relais_db_help_record_outcome (RelaisDb                *db,
                               const char              *id,
                               const char              *month,
                               const RelaisHelpOutcome *outcome,
                               GError                 **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;

  g_return_val_if_fail (db != NULL && id != NULL && month != NULL && outcome != NULL, FALSE);

  update = relais_db_prepare (db, "UPDATE help_requests SET need = ?2, outcome = ?3, partner = ?4 WHERE id = ?1", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_text (update, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, outcome->need, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, outcome->outcome, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 4, outcome->partner, -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return FALSE;
    }
  count = relais_db_prepare (db,
                             "INSERT INTO stats_help_outcomes_monthly (month, need, outcome, partner, requests)"
                             " VALUES (?1, ?2, ?3, ?4, 1)"
                             " ON CONFLICT (month, need, outcome, partner) DO UPDATE SET requests = requests + 1",
                             error);
  if (count == NULL)
    return FALSE;
  sqlite3_bind_text (count, 1, month, -1, SQLITE_STATIC);
  sqlite3_bind_text (count, 2, outcome->need != NULL ? outcome->need : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (count, 3, outcome->outcome != NULL ? outcome->outcome : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (count, 4, outcome->partner != NULL ? outcome->partner : "", -1, SQLITE_STATIC);
  if (sqlite3_step (count) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
relais_db_help_list_since (RelaisDb   *db,
                           gint64      after_seq,
                           const char *station,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_help_request_free);
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT " HELP_COLUMNS " FROM help_requests"
                            " WHERE (state IN ('raised', 'seen', 'taken') OR seq > ?1)"
                            "   AND (?2 IS NULL OR station = ?2)"
                            " ORDER BY seq",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, help_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
relais_db_help_catch_up (RelaisDb   *db,
                         gint64      after_seq,
                         const char *station,
                         guint       max_closed,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  /* Two halves, each through its index: the open ones (partial index;
   * as many as the stations may have: max-open-help-per-station each),
   * and the newest closed ones walking seq backwards. */
  stmt = relais_db_prepare (db,
                            "SELECT * FROM ("
                            " SELECT " HELP_COLUMNS " FROM help_requests"
                            "  WHERE state IN ('raised', 'seen', 'taken') AND (?2 IS NULL OR station = ?2)"
                            " UNION ALL"
                            " SELECT * FROM (SELECT " HELP_COLUMNS " FROM help_requests"
                            "  WHERE seq > ?1 AND state NOT IN ('raised', 'seen', 'taken')"
                            "    AND (?2 IS NULL OR station = ?2)"
                            "  ORDER BY seq DESC LIMIT ?3))"
                            " ORDER BY seq",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, max_closed);
  return relais_db_rows (db, stmt, help_row, NULL, (GDestroyNotify) relais_help_request_free, error);
}

gint64
relais_db_help_count_open (RelaisDb   *db,
                           const char *station,
                           const char *origin,
                           gint64      at_most)
{
  /* Through help_requests_open_station, and no further than @at_most: a
   * count of every open request of the site, for every help.raise, made
   * the page-latency benchmark four times slower. */
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT count (*) FROM (SELECT 1 FROM help_requests"
                                                     " WHERE station = ?1 AND state IN ('raised', 'seen', 'taken')"
                                                     "   AND origin = ?3"
                                                     " LIMIT ?2)",
                                                     NULL);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at_most);
  sqlite3_bind_text (stmt, 3, origin, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gint64
relais_db_event_last_seq (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT coalesce (max (seq), 0) FROM events");
}

gint64
relais_db_event_count (RelaisDb *db)
{
  return relais_db_single_int (db, "SELECT count (*) FROM events");
}

GPtrArray *
relais_db_event_keys (RelaisDb *db,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT key FROM events ORDER BY seq", error);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, relais_db_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

GPtrArray *
relais_db_help_list_unattended (RelaisDb *db,
                                gint64    raised_before,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_help_request_free);
  int rc;

  stmt = relais_db_prepare (db,
                            "SELECT " HELP_COLUMNS " FROM help_requests"
                            " WHERE state IN ('raised', 'seen') AND raised_at <= ?1"
                            " ORDER BY raised_at LIMIT 1000",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, raised_before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, help_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
