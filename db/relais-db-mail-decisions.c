/* relais-db-mail-decisions.c: a domiciliation's decisions (applied,
 * granted, refused, adjourned, radiated), each with who decided and when,
 * its motive and orientation, first election or renewal and the grant's
 * dates; the notice each sends; the figures of the annual report (hub).
 * Above relais-db-mail.c (the people) and relais-db-mail-notify.c (the
 * notices), which never call it. */

#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-db-mail-docs.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

#define MAX_DECISION_TEXT_CHARS 200

const char * const relais_mail_decision_motives[] = {
  "no-link", "stable-home", "no-contact", "request", "fraud", "other", NULL
};
const char * const relais_mail_orientations[] = { "ccas", "association", "other", NULL };
const char * const relais_mail_elections[] = { "first", "renewal", NULL };

/* Hub migration: the decision's motive, orientation, election and the
 * application's day a grant counts its year from. Decisions recorded
 * before are told first or renewal by the grants before them. */
const char         relais_db_mail_hub_migration_decisions[] =
    "ALTER TABLE mail_decisions ADD COLUMN motive TEXT"
    "  CHECK (motive IN ('no-link', 'stable-home', 'no-contact', 'request', 'fraud', 'other'));"
    "ALTER TABLE mail_decisions ADD COLUMN motive_text TEXT;"
    "ALTER TABLE mail_decisions ADD COLUMN orientation TEXT"
    "  CHECK (orientation IN ('ccas', 'association', 'other'));"
    "ALTER TABLE mail_decisions ADD COLUMN orientation_text TEXT;"
    "ALTER TABLE mail_decisions ADD COLUMN election TEXT CHECK (election IN ('first', 'renewal'));"
    "ALTER TABLE mail_decisions ADD COLUMN applied_on TEXT;"
    "UPDATE mail_decisions SET election = CASE WHEN EXISTS (SELECT 1 FROM mail_decisions g"
    "    WHERE g.person_id = mail_decisions.person_id AND g.decision = 'granted' AND g.id < mail_decisions.id)"
    "  THEN 'renewal' ELSE 'first' END"
    "  WHERE decision IN ('applied', 'granted');"
    "CREATE INDEX mail_decisions_person ON mail_decisions (person_id, id);";

/* Hub migration: the refusal and radiation messages say a letter waits
 * (the written decision with its reasons and appeals, which the console
 * now prints), unless the centre already wrote its own. */
const char relais_db_mail_hub_migration_decision_letters[] =
    "UPDATE mail_templates SET body = 'Bonjour, votre demande de domiciliation à {place} est refusée. Un courrier"
    " expliquant la décision et les recours possibles est à retirer à l''accueil ({hours}).'"
    "  WHERE name = 'decision-refused' AND language = 'fr' AND body = 'Bonjour, votre demande de domiciliation à {place}"
    " est refusée. Passez à l''accueil ({hours}) pour la décision écrite et les recours.';"
    "UPDATE mail_templates SET body = 'Bonjour, votre domiciliation à {place} a pris fin. Un courrier expliquant la"
    " décision et les recours possibles est à retirer à l''accueil ({hours}).'"
    "  WHERE name = 'decision-radiated' AND language = 'fr' AND body = 'Bonjour, votre domiciliation à {place} a pris"
    " fin. Passez à l''accueil ({hours}) pour en savoir plus.';";

void
relais_mail_decision_free (RelaisMailDecision *d)
{
  if (d == NULL)
    return;
  g_free (d->number);
  g_free (d->decision);
  g_free (d->reason);
  g_free (d->motive);
  g_free (d->motive_text);
  g_free (d->orientation);
  g_free (d->orientation_text);
  g_free (d->election);
  g_free (d->missing);
  g_free (d->applied_on);
  g_free (d->active_from);
  g_free (d->active_to);
  g_free (d->decided_by);
  g_free (d);
}

char *
relais_mail_domiciliation_end (const char *applied_on)
{
  int   y, m, d;
  GDate date;
  char  text[11];

  if (!relais_db_mail_date_valid (applied_on) || sscanf (applied_on, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return NULL;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  /* From 1 March 2023, to 29 February 2024; from 29 February 2024, to 28
   * February 2025 (GDate lands there already). */
  g_date_add_years (&date, 1);
  if (!(m == 2 && d == 29))
    g_date_subtract_days (&date, 1);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
  return g_strdup (text);
}

/* ---- reading ---- */

#define DECISION_COLUMNS                                                                              \
  "d.id, p.number, d.decision, d.reason, d.motive, d.motive_text, d.orientation, d.orientation_text," \
  " d.election, d.missing, d.applied_on, d.active_from, d.active_to, d.decided_by, d.decided_at"      \
  " FROM mail_decisions d JOIN mail_people p ON p.id = d.person_id"

static gpointer
decision_from_row (sqlite3_stmt *stmt, gpointer data)
{
  RelaisMailDecision *d = g_new0 (RelaisMailDecision, 1);

  d->id = sqlite3_column_int64 (stmt, 0);
  d->number = relais_db_column_dup (stmt, 1);
  d->decision = relais_db_column_dup (stmt, 2);
  d->reason = relais_db_column_dup (stmt, 3);
  d->motive = relais_db_column_dup (stmt, 4);
  d->motive_text = relais_db_column_dup (stmt, 5);
  d->orientation = relais_db_column_dup (stmt, 6);
  d->orientation_text = relais_db_column_dup (stmt, 7);
  d->election = relais_db_column_dup (stmt, 8);
  d->missing = relais_db_column_dup (stmt, 9);
  d->applied_on = relais_db_column_dup (stmt, 10);
  d->active_from = relais_db_column_dup (stmt, 11);
  d->active_to = relais_db_column_dup (stmt, 12);
  d->decided_by = relais_db_column_dup (stmt, 13);
  d->decided_at = sqlite3_column_int64 (stmt, 14);
  return d;
}

RelaisMailDecision *
relais_db_mail_decision_get (RelaisDb *db,
                             gint64    id,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = relais_db_prepare (db, "SELECT " DECISION_COLUMNS " WHERE d.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return decision_from_row (stmt, NULL);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Décision inconnue : %" G_GINT64_FORMAT, id);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

GPtrArray *
relais_db_mail_decisions_of (RelaisDb   *db,
                             const char *number,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  /* NOT_FOUND for an unknown person, not an empty list. */
  if ((p = relais_db_mail_person_get (db, number, error)) == NULL)
    return NULL;
  stmt = relais_db_prepare (db, "SELECT " DECISION_COLUMNS " WHERE d.person_id = ?1 ORDER BY d.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, p->id);
  return relais_db_rows (db, stmt, decision_from_row, NULL, (GDestroyNotify) relais_mail_decision_free, error);
}

/* ---- recording ---- */

/* The request once checked and completed: what is stored. */
typedef struct {
  const char *decision;
  const char *reason;
  const char *motive;
  const char *motive_text;
  const char *orientation;
  const char *orientation_text;
  const char *election;
  const char *missing;
  char       *applied_on;
  char       *active_from;
  char       *active_to;
} Decision;

static void
decision_clear (Decision *d)
{
  g_free (d->applied_on);
  g_free (d->active_from);
  g_free (d->active_to);
}

/* The application not yet answered (after the last grant, refusal or
 * radiation), its day and election; FALSE with no error when none. */
static gboolean
pending_application (RelaisDb *db,
                     gint64    person_id,
                     char    **day,
                     char    **election,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT decided_at, election FROM mail_decisions"
                                                     " WHERE person_id = ?1 AND decision = 'applied' AND id > coalesce ((SELECT max (id) FROM mail_decisions"
                                                     "   WHERE person_id = ?1 AND decision IN ('granted', 'refused', 'radiated')), 0)"
                                                     " ORDER BY id LIMIT 1",
                                                     error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *day = relais_db_mail_today_of (sqlite3_column_int64 (stmt, 0));
      *election = relais_db_column_dup (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return FALSE;
}

/* "renewal" for a person granted before (here, or imported with dates),
 * else "first"; NULL on error. */
static const char *
election_of (RelaisDb *db,
             gint64    person_id,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT EXISTS (SELECT 1 FROM mail_decisions WHERE person_id = ?1 AND decision = 'granted')"
                                                     "    OR EXISTS (SELECT 1 FROM mail_people WHERE id = ?1 AND active_from IS NOT NULL)",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return sqlite3_column_int (stmt, 0) ? "renewal" : "first";
}

static gboolean
only_with (const char *value, gboolean allowed, const char *message, GError **error)
{
  if (value != NULL && !allowed)
    return relais_db_mail_set_invalid (error, message);
  return TRUE;
}

static gboolean
text_valid (const char *text, gboolean required, const char *message, GError **error)
{
  if ((required && text == NULL) || !relais_db_mail_free_text_valid (text, MAX_DECISION_TEXT_CHARS))
    return relais_db_mail_set_invalid (error, message);
  return TRUE;
}

/* Checks @in against the person and completes it into @out. @strict is
 * what a decision made today must say; the old entry points (tests,
 * imports of past decisions) give dates and no motive. */
static gboolean
check_request (RelaisDb                        *db,
               const RelaisMailPerson          *p,
               const RelaisMailDecisionRequest *in,
               gboolean                         strict,
               gint64                           now,
               Decision                        *out,
               GError                         **error)
{
  static const char * const decisions[] = { "applied", "granted", "refused", "adjourned", "radiated", NULL };
  const char               *decision = in->decision;
  gboolean                  applied, granted, refused, radiated, adjourned;
  g_autofree char          *today = relais_db_mail_today_of (now);

  if (decision == NULL || !g_strv_contains (decisions, decision))
    return relais_db_mail_set_invalid (error, "Décision : applied, granted, refused, adjourned ou radiated.");
  applied = g_str_equal (decision, "applied");
  granted = g_str_equal (decision, "granted");
  refused = g_str_equal (decision, "refused");
  radiated = g_str_equal (decision, "radiated");
  adjourned = g_str_equal (decision, "adjourned");
  out->decision = decision;
  out->reason = relais_db_mail_empty_to_null (in->reason);
  out->motive = relais_db_mail_empty_to_null (in->motive);
  out->motive_text = relais_db_mail_empty_to_null (in->motive_text);
  out->orientation = relais_db_mail_empty_to_null (in->orientation);
  out->orientation_text = relais_db_mail_empty_to_null (in->orientation_text);
  out->election = relais_db_mail_empty_to_null (in->election);
  out->missing = relais_db_mail_empty_to_null (in->missing);

  /* Nothing that belongs to another kind of decision (the old entry
   * points were lenient there and stay so). */
  if (!only_with (out->reason, applied, "Le motif se donne avec la demande (applied) seulement.", error))
    return FALSE;
  if (strict
      && (!only_with (out->motive, refused || radiated, "Un motif se donne avec un refus ou une radiation seulement.", error)
          || !only_with (out->motive_text, refused || radiated, "Un motif se donne avec un refus ou une radiation seulement.", error)
          || !only_with (out->orientation, refused, "Une orientation se donne avec un refus seulement.", error)
          || !only_with (out->orientation_text, refused, "Une orientation se donne avec un refus seulement.", error)
          || !only_with (out->election, applied || granted, "Première demande ou renouvellement : avec une demande ou un accord seulement.", error)
          || !only_with (out->missing, adjourned, "Le document manquant se donne avec un ajournement seulement.", error)
          || !only_with (relais_db_mail_empty_to_null (in->applied_on), granted, "Les dates se donnent avec un accord seulement.", error)
          || !only_with (relais_db_mail_empty_to_null (in->active_from), granted, "Les dates se donnent avec un accord seulement.", error)
          || !only_with (relais_db_mail_empty_to_null (in->active_to), granted, "Les dates se donnent avec un accord seulement.", error)))
    return FALSE;

  if (out->reason != NULL && !g_strv_contains (relais_mail_application_reasons, out->reason))
    return relais_db_mail_set_invalid (error, "Motif : no-home, hosted, emergency ou other.");
  if (out->election != NULL && !g_strv_contains (relais_mail_elections, out->election))
    return relais_db_mail_set_invalid (error, "Première demande ou renouvellement : first ou renewal.");
  if (adjourned && (out->missing == NULL || !relais_db_mail_free_text_valid (out->missing, 100)))
    return relais_db_mail_set_invalid (error, "Ajournement : dites quel document manque (100 caractères au plus).");

  if (out->motive != NULL && !g_strv_contains (relais_mail_decision_motives, out->motive))
    return relais_db_mail_set_invalid (error, "Motif : no-link, stable-home, no-contact, request, fraud ou other.");
  if (strict && (refused || radiated) && out->motive == NULL)
    return relais_db_mail_set_invalid (error, "Un refus ou une radiation donne son motif.");
  if (!text_valid (out->motive_text, g_strcmp0 (out->motive, "other") == 0,
                   "Motif « autre » : précisez-le (200 caractères au plus, sans retour à la ligne).", error))
    return FALSE;
  if (out->orientation != NULL && !g_strv_contains (relais_mail_orientations, out->orientation))
    return relais_db_mail_set_invalid (error, "Orientation : ccas, association ou other.");
  if (strict && refused && out->orientation == NULL)
    return relais_db_mail_set_invalid (error, "Un refus oriente la personne vers un autre organisme.");
  if (!text_valid (out->orientation_text, g_strcmp0 (out->orientation, "other") == 0,
                   "Orientation « autre » : nommez l'organisme (200 caractères au plus).", error))
    return FALSE;
  if (strict && radiated && g_strcmp0 (p->state, "granted") != 0)
    return relais_db_mail_set_invalid (error, "Seule une domiciliation en cours peut être radiée.");

  if (applied || granted)
    {
      g_autofree char *pending_day = NULL;
      g_autofree char *pending_election = NULL;
      g_autoptr(GError) local = NULL;
      gboolean pending = granted && pending_application (db, p->id, &pending_day, &pending_election, &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (out->election == NULL && pending_election != NULL)
        out->election = g_intern_string (pending_election);
      if (out->election == NULL && (out->election = election_of (db, p->id, error)) == NULL)
        return FALSE;
      if (granted && !pending)
        pending_day = g_strdup (today);
      if (granted)
        {
          g_autofree char *longest = NULL;

          out->applied_on = g_strdup (relais_db_mail_empty_to_null (in->applied_on) != NULL ? in->applied_on : pending_day);
          out->active_from = g_strdup (relais_db_mail_empty_to_null (in->active_from) != NULL ? in->active_from : today);
          if (!relais_db_mail_date_valid (out->applied_on) || (strict && strcmp (out->applied_on, today) > 0))
            return relais_db_mail_set_invalid (error, "Date de la demande invalide (AAAA-MM-JJ, pas dans le futur).");
          longest = relais_mail_domiciliation_end (out->applied_on);
          out->active_to = g_strdup (relais_db_mail_empty_to_null (in->active_to) != NULL ? in->active_to : longest);
          if (!strict && (in->active_from == NULL || in->active_to == NULL))
            return relais_db_mail_set_invalid (error, "Domiciliation accordée : les dates de début et de fin sont obligatoires, la fin après le début.");
          if (!relais_db_mail_date_valid (out->active_from) || !relais_db_mail_date_valid (out->active_to)
              || strcmp (out->active_from, out->active_to) > 0)
            return relais_db_mail_set_invalid (error, "Domiciliation accordée : dates invalides, la fin après le début.");
          if (strict && strcmp (out->active_from, out->applied_on) < 0)
            return relais_db_mail_set_invalid (error, "La domiciliation ne peut commencer avant la demande.");
          if (strict && strcmp (out->active_to, longest) > 0)
            {
              g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                           "La domiciliation vaut un an au plus depuis la demande : fin le %s au plus tard.", longest);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gint64
record_in_savepoint (RelaisDb             *db,
                     RelaisMailPerson     *p,
                     const Decision       *d,
                     const char           *by,
                     const RelaisMailSite *site,
                     gint64                now,
                     GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "INSERT INTO mail_decisions (person_id, decision, reason, motive, motive_text, orientation, orientation_text,"
                                                     "  election, missing, applied_on, active_from, active_to, decided_by, decided_at)"
                                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                                                     error);
  g_autofree char *name = NULL;
  gint64           id;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, d->decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, d->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, d->motive, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, d->motive_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, d->orientation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, d->orientation_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, d->election, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, d->missing, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, d->applied_on, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, d->active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, d->active_to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return 0;
    }
  id = sqlite3_last_insert_rowid (db->handle);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  stmt = relais_db_prepare (db,
                            "UPDATE mail_people SET state = ?2,"
                            "  active_from = CASE WHEN ?2 = 'granted' THEN ?3 ELSE active_from END,"
                            "  active_to = CASE WHEN ?2 = 'granted' THEN ?4 ELSE active_to END,"
                            "  expiry_notices = CASE WHEN ?2 = 'granted' THEN 0 ELSE expiry_notices END,"
                            "  last_contact_at = CASE WHEN ?2 IN ('applied', 'granted', 'adjourned') THEN ?5 ELSE last_contact_at END,"
                            "  last_contact_kind = CASE WHEN ?2 IN ('applied', 'granted', 'adjourned') THEN NULL ELSE last_contact_kind END"
                            " WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, d->decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, d->active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, d->active_to, -1, SQLITE_STATIC);
  /* The person came for it: that is a contact, as a pickup is. */
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return 0;
    }
  if (g_str_equal (d->decision, "applied"))
    return id;
  g_free (p->state);
  p->state = g_strdup (d->decision);
  name = g_strdup_printf ("decision-%s", d->decision);
  if (!relais_db_mail_queue_notice (db, p, "decision", name, 0, d->missing, d->active_to, site, now, error))
    return 0;
  return id;
}

/* Checks, records and notifies in one savepoint: the decision's id, 0
 * with @error set. */
static gint64
decide (RelaisDb                        *db,
        const char                      *number,
        const RelaisMailDecisionRequest *request,
        gboolean                         strict,
        const char                      *by,
        const RelaisMailSite            *site,
        gint64                           now,
        GError                         **error)
{
  g_autoptr(RelaisMailPerson) p = NULL;
  Decision d = { 0 };
  gint64   id = 0;

  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL || !relais_db_savepoint (db, error))
    return 0;
  if (check_request (db, p, request, strict, now, &d, error))
    id = record_in_savepoint (db, p, &d, by, site, now, error);
  decision_clear (&d);
  if (relais_db_savepoint_release (db, id != 0 ? GINT_TO_POINTER (1) : NULL, error) == NULL)
    return 0;
  return id;
}

RelaisMailDecision *
relais_db_mail_decision_add (RelaisDb                        *db,
                             const char                      *number,
                             const RelaisMailDecisionRequest *request,
                             const char                      *by,
                             const RelaisMailSite            *site,
                             gint64                           now,
                             GError                         **error)
{
  gint64 id;

  g_return_val_if_fail (db != NULL && number != NULL && request != NULL, NULL);
  g_return_val_if_fail (by != NULL && site != NULL, NULL);

  id = decide (db, number, request, TRUE, by, site, now, error);
  return id != 0 ? relais_db_mail_decision_get (db, id, error) : NULL;
}

gboolean
relais_db_mail_decide (RelaisDb             *db,
                       const char           *number,
                       const char           *decision,
                       const char           *missing,
                       const char           *active_from,
                       const char           *active_to,
                       const char           *by,
                       const RelaisMailSite *site,
                       gint64                now,
                       GError              **error)
{
  RelaisMailDecisionRequest request = {
    .decision = decision,
    .missing = missing,
    .active_from = active_from,
    .active_to = active_to,
  };

  g_return_val_if_fail (db != NULL && number != NULL && decision != NULL && by != NULL && site != NULL, FALSE);

  return decide (db, number, &request, FALSE, by, site, now, error) != 0;
}

gboolean
relais_db_mail_decide_reason (RelaisDb             *db,
                              const char           *number,
                              const char           *decision,
                              const char           *reason,
                              const char           *missing,
                              const char           *active_from,
                              const char           *active_to,
                              const char           *by,
                              const RelaisMailSite *site,
                              gint64                now,
                              GError              **error)
{
  RelaisMailDecisionRequest request = {
    .decision = decision,
    .reason = reason,
    .missing = missing,
    .active_from = active_from,
    .active_to = active_to,
  };

  g_return_val_if_fail (db != NULL && number != NULL && decision != NULL, FALSE);

  return decide (db, number, &request, FALSE, by, site, now, error) != 0;
}

static gboolean
day_start_ms (const char *day, int add_days, gint64 *ms)
{
  int  y, m, d;
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
relais_db_mail_reason_counts (RelaisDb   *db,
                              const char *from,
                              const char *to,
                              gint64     *counts,
                              GError    **error)
{
  guint n = g_strv_length ((GStrv) relais_mail_application_reasons);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 start, end;
  int    rc;

  g_return_val_if_fail (db != NULL && counts != NULL, FALSE);

  if (!day_start_ms (from, 0, &start) || !day_start_ms (to, 1, &end) || start >= end)
    return relais_db_mail_set_invalid (error, "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ.");
  memset (counts, 0, sizeof (gint64) * (n + 1));
  stmt = relais_db_prepare (db,
                            "SELECT reason, count(*) FROM mail_decisions"
                            " WHERE decision = 'applied' AND decided_at >= ?1 AND decided_at < ?2 GROUP BY reason",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *reason = (const char *) sqlite3_column_text (stmt, 0);
      guint       i = 0;

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

/* ---- the annual report ---- */

static guint
index_in (const char * const *list, const char *value)
{
  guint i = 0;

  while (list[i] != NULL && g_strcmp0 (list[i], value) != 0)
    i++;
  return i; /* the list's length, the "not given" slot, when absent */
}

gboolean
relais_db_mail_decision_figures (RelaisDb                  *db,
                                 const char                *from,
                                 const char                *to,
                                 RelaisMailDecisionFigures *figures,
                                 GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 start, end;
  int    rc;

  g_return_val_if_fail (db != NULL && figures != NULL, FALSE);

  if (!day_start_ms (from, 0, &start) || !day_start_ms (to, 1, &end) || start >= end)
    return relais_db_mail_set_invalid (error, "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ.");
  memset (figures, 0, sizeof *figures);
  stmt = relais_db_prepare (db,
                            "SELECT decision, election, motive, orientation, count(*) FROM mail_decisions"
                            " WHERE decided_at >= ?1 AND decided_at < ?2 GROUP BY decision, election, motive, orientation",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *decision = (const char *) sqlite3_column_text (stmt, 0);
      gboolean    renewal = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "renewal") == 0;
      guint       motive = index_in (relais_mail_decision_motives, (const char *) sqlite3_column_text (stmt, 2));
      guint       orientation = index_in (relais_mail_orientations, (const char *) sqlite3_column_text (stmt, 3));
      gint64      n = sqlite3_column_int64 (stmt, 4);

      if (g_strcmp0 (decision, "applied") == 0)
        *(renewal ? &figures->applications_renewal : &figures->applications_first) += n;
      else if (g_strcmp0 (decision, "granted") == 0)
        *(renewal ? &figures->grants_renewal : &figures->grants_first) += n;
      else if (g_strcmp0 (decision, "adjourned") == 0)
        figures->adjournments += n;
      else if (g_strcmp0 (decision, "refused") == 0)
        {
          figures->refusals += n;
          figures->refusals_by_motive[motive] += n;
          figures->refusals_by_orientation[orientation] += n;
        }
      else if (g_strcmp0 (decision, "radiated") == 0)
        {
          figures->radiations += n;
          figures->radiations_by_motive[motive] += n;
        }
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

static gpointer
person_from_row (sqlite3_stmt *stmt, gpointer data)
{
  return relais_db_mail_person_from_row (stmt);
}

GPtrArray *
relais_db_mail_domiciled_on (RelaisDb   *db,
                             const char *day,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 end;

  g_return_val_if_fail (db != NULL, NULL);

  if (!relais_db_mail_date_valid (day) || !day_start_ms (day, 1, &end))
    {
      relais_db_mail_set_invalid (error, "Jour invalide : AAAA-MM-JJ.");
      return NULL;
    }
  /* A grant known by the end of the day whose dates cover it, with no
   * radiation after it by then (a refused renewal ends nothing). */
  stmt = relais_db_prepare (db,
                            "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE EXISTS (SELECT 1 FROM mail_decisions g"
                            "   WHERE g.person_id = p.id AND g.decision = 'granted' AND g.decided_at < ?2"
                            "     AND g.active_from <= ?1 AND g.active_to >= ?1"
                            "     AND NOT EXISTS (SELECT 1 FROM mail_decisions r WHERE r.person_id = p.id AND r.decision = 'radiated'"
                            "       AND r.id > g.id AND r.decided_at < ?2))"
                            " ORDER BY p.number",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, end);
  return relais_db_rows (db, stmt, person_from_row, NULL, (GDestroyNotify) relais_mail_person_free, error);
}

/* ---- the "not domiciled here" list ---- */

gboolean
relais_db_mail_unknown_returned (RelaisDb *db,
                                 gint64    id,
                                 gint64    now,
                                 GError  **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  stmt = relais_db_prepare (db, "UPDATE mail_unknown SET returned_at = ?2 WHERE id = ?1 AND returned_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                   "Ligne « non domicilié ici » inconnue ou déjà renvoyée : %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  return TRUE;
}
