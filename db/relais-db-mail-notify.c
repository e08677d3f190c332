/* relais-db-mail-notify.c: the notification outbox, its templates, and
 * the notices of domiciliations about to end (hub). */

#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

/* ---- notices ---- */

static char *
template_get (RelaisDb *db, const char *name, const char *language)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT body FROM mail_templates WHERE name = ?1 AND language IN (?2, 'fr')"
                                                     " ORDER BY language = ?2 DESC LIMIT 1",
                                                     NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return relais_db_column_dup (stmt, 0);
}

static char *
render (const char *template, const char * const *vars)
{
  GString *out = g_string_new (NULL);

  for (const char *p = template; *p != '\0';)
    {
      gboolean replaced = FALSE;

      if (*p == '{')
        for (guint i = 0; vars[i] != NULL; i += 2)
          {
            gsize n = strlen (vars[i]);
            if (strncmp (p + 1, vars[i], n) == 0 && p[1 + n] == '}')
              {
                g_string_append (out, vars[i + 1] != NULL ? vars[i + 1] : "");
                p += n + 2;
                replaced = TRUE;
                break;
              }
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

gboolean
relais_db_mail_template_set (RelaisDb   *db,
                             const char *name,
                             const char *language,
                             const char *text,
                             GError    **error)
{
  static const char * const names[] = {
    "subject", "batch-one", "batch-many", "reminder-one", "reminder-many", "decision-granted",
    "decision-refused", "decision-adjourned", "decision-radiated", "expiry", NULL
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && name != NULL && language != NULL && text != NULL, FALSE);

  if (!g_strv_contains (names, name))
    return relais_db_mail_set_invalid (error, "Modèle inconnu.");
  if (!relais_db_mail_token_valid (language, 8) || *text == '\0' || !relais_db_mail_free_text_valid (text, 480))
    return relais_db_mail_set_invalid (error, "Modèle : une langue (fr, en…) et un texte d'une ligne, 480 caractères au plus.");
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_templates (name, language, body) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (name, language) DO UPDATE SET body = excluded.body",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  return relais_db_step_done (db, stmt, error);
}

/* Every template, each a row of strings: name, language, text. */
GPtrArray *
relais_db_mail_template_list (RelaisDb *db,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT name, language, body FROM mail_templates ORDER BY name, language", error);

  if (stmt == NULL)
    return NULL;
  return relais_db_rows_of_strings (db, stmt, 3, error);
}

/* Queues one notice to @p from template @name. A person who asked for
 * none, or whose domiciliation ended, gets none. */
gboolean
relais_db_mail_queue_notice (RelaisDb               *db,
                             const RelaisMailPerson *p,
                             const char             *reason,
                             const char             *name,
                             gint64                  count,
                             const char             *missing,
                             const char             *date,
                             const RelaisMailSite   *site,
                             gint64                  now,
                             GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  g_autofree char *template = NULL;
  g_autofree char *subject_template = NULL;
  g_autofree char *body = NULL;
  g_autofree char *subject = NULL;
  const char      *recipient;
  const char      *vars[] = {
         "count", count_text, "place", site->place, "hours", site->hours, "number", p->number,
         "missing", missing, "date", date, NULL
  };

  if (g_str_equal (p->notify, "none")
      || (g_str_equal (p->state, "expired") || (g_str_equal (p->state, "radiated") && !g_str_equal (reason, "decision"))))
    return TRUE;
  recipient = g_str_equal (p->notify, "sms") ? p->phone : p->email;
  if (recipient == NULL)
    return TRUE;
  template = template_get (db, name, p->language);
  subject_template = template_get (db, "subject", p->language);
  if (template == NULL || subject_template == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Modèle de message « %s » absent.", name);
      return FALSE;
    }
  body = render (template, vars);
  subject = render (subject_template, vars);
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_notices (person_id, channel, recipient, subject, body, reason,"
                            "  next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, p->notify, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, recipient, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, now);
  return relais_db_step_done (db, stmt, error);
}

#define NOTICE_COLUMNS                                                                         \
  "n.id, p.number, n.channel, n.recipient, n.subject, n.body, n.reason, n.status, n.attempts," \
  " n.next_attempt_at, n.last_error, n.created_at, coalesce (n.sent_at, 0)"                    \
  " FROM mail_notices n JOIN mail_people p ON p.id = n.person_id"

static gpointer
notice_from_row (sqlite3_stmt *stmt,
                 gpointer      data)
{
  RelaisMailNotice *n = g_new0 (RelaisMailNotice, 1);

  n->id = sqlite3_column_int64 (stmt, 0);
  n->number = relais_db_column_dup (stmt, 1);
  n->channel = relais_db_column_dup (stmt, 2);
  n->recipient = relais_db_column_dup (stmt, 3);
  n->subject = relais_db_column_dup (stmt, 4);
  n->body = relais_db_column_dup (stmt, 5);
  n->reason = relais_db_column_dup (stmt, 6);
  n->status = relais_db_column_dup (stmt, 7);
  n->attempts = sqlite3_column_int (stmt, 8);
  n->next_attempt_at = sqlite3_column_int64 (stmt, 9);
  n->last_error = relais_db_column_dup (stmt, 10);
  n->created_at = sqlite3_column_int64 (stmt, 11);
  n->sent_at = sqlite3_column_int64 (stmt, 12);
  return n;
}

static GPtrArray *
notices_from (RelaisDb *db, sqlite3_stmt *stmt, GError **error)
{
  return relais_db_rows (db, stmt, notice_from_row, NULL, (GDestroyNotify) relais_mail_notice_free, error);
}

GPtrArray *
relais_db_mail_notices_due (RelaisDb *db,
                            gint64    now,
                            guint     limit,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " NOTICE_COLUMNS " WHERE n.status = 'pending' AND n.next_attempt_at <= ?1"
                                                     " ORDER BY n.next_attempt_at, n.id LIMIT ?2",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, limit);
  return notices_from (db, stmt, error);
}

GPtrArray *
relais_db_mail_notices_failing (RelaisDb *db,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " NOTICE_COLUMNS " WHERE n.status = 'failed' OR (n.status = 'pending' AND n.attempts > 0)"
                                                     " ORDER BY n.id DESC LIMIT 500",
                                                     error);

  if (stmt == NULL)
    return NULL;
  return notices_from (db, stmt, error);
}

GPtrArray *
relais_db_mail_notices_of (RelaisDb   *db,
                           const char *number,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " NOTICE_COLUMNS " WHERE p.number = ?1 ORDER BY n.id DESC", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return notices_from (db, stmt, error);
}

gboolean
relais_db_mail_notice_done (RelaisDb   *db,
                            gint64      id,
                            const char *error_text,
                            gint64      retry_at,
                            gint64      now,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "UPDATE mail_notices SET attempts = attempts + 1,"
                                                     "  status = CASE WHEN ?2 IS NULL THEN 'sent' WHEN ?3 = 0 THEN 'failed' ELSE 'pending' END,"
                                                     "  last_error = ?2,"
                                                     "  next_attempt_at = CASE WHEN ?2 IS NOT NULL AND ?3 != 0 THEN ?3 ELSE next_attempt_at END,"
                                                     "  sent_at = CASE WHEN ?2 IS NULL THEN ?4 END"
                                                     " WHERE id = ?1 AND status = 'pending'",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, retry_at);
  sqlite3_bind_int64 (stmt, 4, now);
  return relais_db_step_done (db, stmt, error);
}

/* ---- domiciliations about to end, people not seen ---- */

static int
expiry_in_savepoint (RelaisDb             *db,
                     const char           *today,
                     int                   first_days,
                     int                   second_days,
                     const RelaisMailSite *site,
                     gint64                now,
                     GError              **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (int));
  int queued = 0;

  /* expiry_notices says how many were sent: 1 after the first, 2 after the
   * second. A person granted late, already inside the second window, gets
   * one notice, counted as both. */
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "SELECT id, CASE WHEN date (active_to, printf ('-%d days', ?3)) <= ?1 THEN 2 ELSE 1 END AS step"
                                                       " FROM mail_people"
                                                       " WHERE state = 'granted' AND active_to IS NOT NULL AND active_to >= ?1"
                                                       "  AND ((expiry_notices < 1 AND date (active_to, printf ('-%d days', ?2)) <= ?1)"
                                                       "    OR (expiry_notices < 2 AND date (active_to, printf ('-%d days', ?3)) <= ?1))"
                                                       " ORDER BY id",
                                                       error);
    int rc;

    if (stmt == NULL)
      return -1;
    sqlite3_bind_text (stmt, 1, today, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, first_days);
    sqlite3_bind_int (stmt, 3, second_days);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        int    step = sqlite3_column_int (stmt, 1);

        g_array_append_val (ids, id);
        g_array_append_val (steps, step);
      }
    if (rc != SQLITE_DONE)
      {
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return -1;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get_by_id (db, g_array_index (ids, gint64, i), error);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      int              y = 0, m = 0, d = 0;
      g_autofree char *date = NULL;

      if (p == NULL)
        return -1;
      /* The way people write a date: 30/06/2025. */
      if (sscanf (p->active_to, "%4d-%2d-%2d", &y, &m, &d) == 3)
        date = g_strdup_printf ("%02d/%02d/%04d", d, m, y);
      if (!relais_db_mail_queue_notice (db, p, "expiry", "expiry", 0, NULL, date != NULL ? date : p->active_to, site, now, error))
        return -1;
      stmt = relais_db_prepare (db, "UPDATE mail_people SET expiry_notices = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, p->id);
      sqlite3_bind_int (stmt, 2, g_array_index (steps, int, i));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return -1;
        }
      queued++;
    }
  return queued;
}

int
relais_db_mail_run_expiry (RelaisDb             *db,
                           gint64                now,
                           int                   first_days,
                           int                   second_days,
                           const RelaisMailSite *site,
                           GError              **error)
{
  g_autofree char *today = NULL;
  int              queued;

  g_return_val_if_fail (db != NULL && site != NULL, -1);
  g_return_val_if_fail (first_days >= second_days && second_days >= 0, -1);

  today = relais_db_mail_today_of (now);
  if (!relais_db_savepoint (db, error))
    return -1;
  queued = expiry_in_savepoint (db, today, first_days, second_days, site, now, error);
  if (relais_db_savepoint_release (db, queued >= 0 ? GINT_TO_POINTER (1) : NULL, queued >= 0 ? error : NULL) == NULL)
    return -1;
  return queued;
}

GPtrArray *
relais_db_mail_no_contact (RelaisDb *db,
                           gint64    now,
                           int       days,
                           GError  **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && days >= 0, NULL);

  /* With no contact recorded, the day they were first entered counts. */
  stmt = relais_db_prepare (db,
                            "SELECT " PERSON_COLUMNS
                            " FROM mail_people p"
                            " WHERE p.state = 'granted' AND coalesce (p.last_contact_at, p.created_at) <= ?1"
                            " ORDER BY coalesce (p.last_contact_at, p.created_at), p.id LIMIT 1000",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - (gint64) days * 24 * 3600 * 1000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (out, relais_db_mail_person_from_row (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}
