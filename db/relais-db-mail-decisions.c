/* relais-db-mail-decisions.c: a domiciliation's decisions (applied,
 * granted, refused, adjourned…), with the notice each sends and the
 * reason given with an application (hub). Above relais-db-mail.c (the
 * people) and relais-db-mail-notify.c (the notices), which never call it. */

#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

/* ---- domiciliation ---- */

static gboolean
decide_in_savepoint (RelaisDb             *db,
                     RelaisMailPerson     *p,
                     const char           *decision,
                     const char           *missing,
                     const char           *active_from,
                     const char           *active_to,
                     const char           *by,
                     const RelaisMailSite *site,
                     gint64                now,
                     GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "INSERT INTO mail_decisions (person_id, decision, missing, active_from, active_to, decided_by, decided_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  g_autofree char *name = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, missing, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, active_to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  stmt = relais_db_prepare (db,
    "UPDATE mail_people SET state = ?2,"
    "  active_from = CASE WHEN ?2 = 'granted' THEN ?3 ELSE active_from END,"
    "  active_to = CASE WHEN ?2 = 'granted' THEN ?4 ELSE active_to END,"
    "  expiry_notices = CASE WHEN ?2 = 'granted' THEN 0 ELSE expiry_notices END,"
    "  last_contact_at = CASE WHEN ?2 IN ('applied', 'granted', 'adjourned') THEN ?5 ELSE last_contact_at END"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, active_to, -1, SQLITE_STATIC);
  /* The person came for it: that is a contact, as a pickup is. */
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (g_str_equal (decision, "applied"))
    return TRUE;
  g_free (p->state);
  p->state = g_strdup (decision);
  name = g_strdup_printf ("decision-%s", decision);
  return relais_db_mail_queue_notice (db, p, "decision", name, 0, missing, active_to, site, now, error);
}

gboolean
relais_db_mail_decide (RelaisDb              *db,
                       const char            *number,
                       const char            *decision,
                       const char            *missing,
                       const char            *active_from,
                       const char            *active_to,
                       const char            *by,
                       const RelaisMailSite  *site,
                       gint64                 now,
                       GError               **error)
{
  static const char * const decisions[] = { "applied", "granted", "refused", "adjourned", "radiated", NULL };
  g_autoptr(RelaisMailPerson) p = NULL;

  g_return_val_if_fail (db != NULL && number != NULL && decision != NULL && by != NULL && site != NULL, FALSE);

  if (!g_strv_contains (decisions, decision))
    return relais_db_mail_set_invalid (error, "Décision : applied, granted, refused, adjourned ou radiated.");
  if (g_str_equal (decision, "granted")
      && (!relais_db_mail_date_valid (active_from) || !relais_db_mail_date_valid (active_to) || strcmp (active_from, active_to) > 0))
    return relais_db_mail_set_invalid (error, "Domiciliation accordée : les dates de début et de fin sont obligatoires, la fin après le début.");
  if (g_str_equal (decision, "adjourned") && (relais_db_mail_empty_to_null (missing) == NULL || !relais_db_mail_free_text_valid (missing, 100)))
    return relais_db_mail_set_invalid (error, "Ajournement : dites quel document manque (100 caractères au plus).");
  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL || !relais_db_savepoint (db, error))
    return FALSE;
  return relais_db_savepoint_release (db, GINT_TO_POINTER (decide_in_savepoint (db, p, decision, relais_db_mail_empty_to_null (missing),
                                                                                 active_from, active_to, by, site, now, error)),
                                      error) != NULL;
}

/* ---- the reason of an application ---- */

static gboolean
decide_reason_in_savepoint (RelaisDb              *db,
                            const char            *number,
                            const char            *decision,
                            const char            *reason,
                            const char            *missing,
                            const char            *active_from,
                            const char            *active_to,
                            const char            *by,
                            const RelaisMailSite  *site,
                            gint64                 now,
                            GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!relais_db_mail_decide (db, number, decision, missing, active_from, active_to, by, site, now, error))
    return FALSE;
  if (reason == NULL)
    return TRUE;
  stmt = relais_db_prepare (db,
    "UPDATE mail_decisions SET reason = ?2 WHERE id ="
    " (SELECT max (d.id) FROM mail_decisions d JOIN mail_people p ON p.id = d.person_id WHERE p.number = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
relais_db_mail_decide_reason (RelaisDb              *db,
                              const char            *number,
                              const char            *decision,
                              const char            *reason,
                              const char            *missing,
                              const char            *active_from,
                              const char            *active_to,
                              const char            *by,
                              const RelaisMailSite  *site,
                              gint64                 now,
                              GError               **error)
{
  g_return_val_if_fail (db != NULL && number != NULL && decision != NULL, FALSE);

  if (reason != NULL && !g_str_equal (decision, "applied"))
    return relais_db_mail_set_invalid (error, "Le motif se donne avec la demande (applied) seulement.");
  if (reason != NULL && !g_strv_contains (relais_mail_application_reasons, reason))
    return relais_db_mail_set_invalid (error, "Motif : no-home, hosted, emergency ou other.");
  /* The decision and its reason together, or neither. */
  if (!relais_db_savepoint (db, error))
    return FALSE;
  return relais_db_savepoint_release (db, GINT_TO_POINTER (decide_reason_in_savepoint (db, number, decision, reason,
                                                                                      missing, active_from, active_to,
                                                                                      by, site, now, error)),
                                      error) != NULL;
}

static gboolean
day_start_ms (const char *day, int add_days, gint64 *ms)
{
  int y, m, d;
  char tail;
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  if (day == NULL || strlen (day) != 10 || sscanf (day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (t == NULL || (shifted = g_date_time_add_days (t, add_days)) == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (shifted) * 1000;
  return TRUE;
}

gboolean
relais_db_mail_reason_counts (RelaisDb    *db,
                              const char  *from,
                              const char  *to,
                              gint64      *counts,
                              GError     **error)
{
  guint n = g_strv_length ((GStrv) relais_mail_application_reasons);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 start, end;
  int rc;

  g_return_val_if_fail (db != NULL && counts != NULL, FALSE);

  if (!day_start_ms (from, 0, &start) || !day_start_ms (to, 1, &end) || start >= end)
    return relais_db_mail_set_invalid (error, "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ.");
  memset (counts, 0, sizeof (gint64) * (n + 1));
  stmt = relais_db_prepare (db,
    "SELECT reason, count(*) FROM mail_decisions"
    " WHERE decision = 'applied' AND decided_at >= ?1 AND decided_at < ?2 GROUP BY reason", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *reason = (const char *) sqlite3_column_text (stmt, 0);
      guint i = 0;

      while (i < n && g_strcmp0 (relais_mail_application_reasons[i], reason) != 0)
        i++;
      counts[i] += sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return FALSE;
    }
  return TRUE;
}
