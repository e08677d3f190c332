/* relais-db-mail-import.c: people brought in from a former register. */

#include "relais-db-mail-import.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

/* Local noon of @day (YYYY-MM-DD, valid), in ms; @otherwise if none. */
static gint64
day_ms (const char *day, gint64 otherwise)
{
  guint y, m, d;
  g_autoptr(GDateTime) t = NULL;

  if (sscanf (day, "%u-%u-%u", &y, &m, &d) != 3 || (t = g_date_time_new_local (y, m, d, 12, 0, 0)) == NULL)
    return otherwise;
  return g_date_time_to_unix (t) * 1000;
}

static const char * const states[] = { "none", "applied", "granted", "refused", "radiated", "expired", NULL };

/* What a row is refused for, the database read, not written. */
static gboolean
import_valid (RelaisDb               *db,
              const RelaisMailPerson *in,
              const char             *state,
              const char             *active_from,
              const char             *active_to,
              GError                **error)
{
  gboolean dated = g_str_equal (state, "granted") || g_str_equal (state, "expired");

  if (!g_strv_contains (states, state))
    return relais_db_mail_set_invalid (error, "Statut inconnu.");
  if (in->number != NULL && *in->number != '\0')
    {
      g_autoptr(GError) local = NULL;

      if (relais_db_mail_person_id (db, in->number, &local) != 0)
        return relais_db_mail_set_invalid (error, "Numéro d'usager déjà dans le registre.");
      if (!g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (dated && (!relais_db_mail_date_valid (active_from) || !relais_db_mail_date_valid (active_to) || strcmp (active_from, active_to) > 0))
    return relais_db_mail_set_invalid (error, "Domiciliation : les dates de début et de fin sont obligatoires, "
                                              "la fin après le début.");
  if (in->number == NULL)
    {
      /* A number to be given at the import: any valid one here. */
      RelaisMailPerson numbered = *in;

      numbered.number = (char *) "0";
      return relais_db_mail_person_check (&numbered, error);
    }
  return relais_db_mail_person_check (in, error);
}

gboolean
relais_db_mail_import_check (RelaisDb               *db,
                             const RelaisMailPerson *person,
                             const char             *state,
                             const char             *active_from,
                             const char             *active_to,
                             GError                **error)
{
  g_return_val_if_fail (db != NULL && person != NULL && state != NULL, FALSE);

  return import_valid (db, person, state, active_from, active_to, error);
}

static gboolean
import_checked (RelaisDb               *db,
                const RelaisMailPerson *in,
                const char             *state,
                const char             *active_from,
                const char             *active_to,
                const char             *by,
                gint64                  now,
                GError                **error)
{
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) decision = NULL;
  gboolean dated = g_str_equal (state, "granted") || g_str_equal (state, "expired");

  if (!import_valid (db, in, state, active_from, active_to, error))
    return FALSE;
  saved = relais_db_mail_person_save (db, in, error);
  if (saved == NULL)
    return FALSE;
  if (g_str_equal (state, "none"))
    return TRUE;
  update = relais_db_prepare (db,
                              "UPDATE mail_people SET state = ?2, active_from = ?3, active_to = ?4 WHERE id = ?1",
                              error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, saved->id);
  sqlite3_bind_text (update, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, dated ? active_from : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 4, dated ? active_to : NULL, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, update, error))
    return FALSE;
  /* The register's history has the decision ("expired" is a granted one
   * whose end passed). */
  decision = relais_db_prepare (db,
                                "INSERT INTO mail_decisions (person_id, decision, active_from, active_to, decided_by,"
                                "  decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) /* imported */",
                                error);
  if (decision == NULL)
    return FALSE;
  sqlite3_bind_int64 (decision, 1, saved->id);
  sqlite3_bind_text (decision, 2, g_str_equal (state, "expired") ? "granted" : state, -1, SQLITE_STATIC);
  sqlite3_bind_text (decision, 3, dated ? active_from : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (decision, 4, dated ? active_to : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (decision, 5, by, -1, SQLITE_STATIC);
  /* Dated on its start, not on the import: a year's figures count the
   * grants of that year. */
  sqlite3_bind_int64 (decision, 6, dated ? day_ms (active_from, now) : now);
  return relais_db_step_done (db, decision, error);
}

gboolean
relais_db_mail_import_person (RelaisDb               *db,
                              const RelaisMailPerson *person,
                              const char             *state,
                              const char             *active_from,
                              const char             *active_to,
                              const char             *by,
                              gint64                  now,
                              GError                **error)
{
  g_return_val_if_fail (db != NULL && person != NULL && state != NULL && by != NULL, FALSE);

  /* No savepoint: every check comes before the first write, and a
   * savepoint per person would make the trigram index flush its pending
   * terms at each one (measured: 37 writes a person, 4 ms). */
  return import_checked (db, person, state, active_from, active_to, by, now, error);
}
