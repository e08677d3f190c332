/* relais-db-mail-decisions.h: a domiciliation's decisions as the law
 * wants them written (hub): who decided and when, for a refusal or a
 * radiation its motive from the national list and, for a refusal, where
 * the person was sent; a first election told from a renewal; a grant's
 * end one year from the application unless staff set it shorter. The
 * figures of the prefecture's annual report are read from here. */
#pragma once

#include "relais-db-mail.h"

G_BEGIN_DECLS

/* Why a domiciliation is refused or ended: "no-link" (pas de lien avec la
 * commune), "stable-home" (logement stable trouvé), "no-contact" (sans
 * contact depuis plus de trois mois), "request" (à la demande de la
 * personne), "fraud" (fraude, fausse déclaration), "other" (with a text).
 * NULL-terminated, in this order (the figures' arrays follow it). */
extern const char * const relais_mail_decision_motives[];
#define RELAIS_MAIL_N_MOTIVES 6

/* Where a refused person is sent: "ccas" (un autre CCAS ou CIAS),
 * "association" (un organisme agréé), "other" (with a text naming it).
 * NULL-terminated, in this order. */
extern const char * const relais_mail_orientations[];
#define RELAIS_MAIL_N_ORIENTATIONS 3

/* "first" (première élection de domicile) or "renewal". */
extern const char * const relais_mail_elections[];

/* What a decision asks for. Every member but @decision is nullable. */
typedef struct
{
  const char *decision;         /* "applied", "granted", "refused",
                                 * "adjourned", "radiated" */
  const char *reason;           /* applied: relais_mail_application_reasons */
  const char *motive;           /* refused, radiated: required */
  const char *motive_text;      /* required with motive "other", 200 chars */
  const char *orientation;      /* refused: required */
  const char *orientation_text; /* the body's name; required with "other" */
  const char *election;         /* applied, granted: NULL works it out (a
                                 * person once granted renews) */
  const char *missing;          /* adjourned: required */
  const char *applied_on;       /* granted: NULL is the day of the pending
                                 * application, else the decision's day */
  const char *active_from;      /* granted: NULL is the decision's day */
  const char *active_to;        /* granted: NULL is one year from the
                                 * application; never later than that */
} RelaisMailDecisionRequest;

/* A decision as recorded. */
typedef struct
{
  gint64 id;
  char  *number; /* the person's user number */
  char  *decision;
  char  *reason;
  char  *motive;
  char  *motive_text;
  char  *orientation;
  char  *orientation_text;
  char  *election;
  char  *missing;
  char  *applied_on; /* YYYY-MM-DD, granted only */
  char  *active_from;
  char  *active_to;
  char  *decided_by; /* the account's display name */
  gint64 decided_at; /* ms */
} RelaisMailDecision;

void relais_mail_decision_free (RelaisMailDecision *decision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailDecision, relais_mail_decision_free)

/* The last day of a domiciliation applied for on @applied_on
 * (YYYY-MM-DD): one year later, the day before. NULL if not a date. */
char               *relais_mail_domiciliation_end (const char *applied_on);

/* Records a decision on @number's domiciliation, checked whole (an
 * incomplete or inconsistent one is RELAIS_DB_ERROR_INVALID and records
 * nothing; radiation only of a domiciliation in force), updates the
 * person's state and dates and queues the SMS or e-mail telling them.
 * Who may decide is the hub's business (the "responsable" role). */
RelaisMailDecision *relais_db_mail_decision_add (RelaisDb                        *db,
                                                 const char                      *number,
                                                 const RelaisMailDecisionRequest *request,
                                                 const char                      *by,
                                                 const RelaisMailSite            *site,
                                                 gint64                           now,
                                                 GError                         **error);
RelaisMailDecision *relais_db_mail_decision_get (RelaisDb *db,
                                                 gint64    id,
                                                 GError  **error);
/* Every decision on @number's domiciliation, newest first. */
GPtrArray          *relais_db_mail_decisions_of (RelaisDb   *db,
                                                 const char *number,
                                                 GError    **error);

/* The decisions taken on local days @from to @to included (YYYY-MM-DD):
 * the annual report's figures. Arrays follow relais_mail_decision_motives
 * and relais_mail_orientations; their last slot counts decisions recorded
 * without one (before motives were asked). */
typedef struct
{
  gint64 applications_first;
  gint64 applications_renewal;
  gint64 grants_first;
  gint64 grants_renewal;
  gint64 refusals;
  gint64 radiations;
  gint64 adjournments;
  gint64 refusals_by_motive[RELAIS_MAIL_N_MOTIVES + 1];
  gint64 radiations_by_motive[RELAIS_MAIL_N_MOTIVES + 1];
  gint64 refusals_by_orientation[RELAIS_MAIL_N_ORIENTATIONS + 1];
} RelaisMailDecisionFigures;

gboolean   relais_db_mail_decision_figures (RelaisDb                  *db,
                                            const char                *from,
                                            const char                *to,
                                            RelaisMailDecisionFigures *figures,
                                            GError                   **error);

/* The people whose domiciliation was in force on local day @day
 * (YYYY-MM-DD), as the decisions recorded by the end of that day say: a
 * grant covering the day, not radiated since. By user number. */
GPtrArray *relais_db_mail_domiciled_on (RelaisDb   *db,
                                        const char *day,
                                        GError    **error);

/* The "not domiciled here" letters of line @id (relais_db_mail_unknown_list)
 * went back to their senders: the line leaves the list. NOT_FOUND when
 * there is no such line still waiting. */
gboolean   relais_db_mail_unknown_returned (RelaisDb *db,
                                            gint64    id,
                                            gint64    now,
                                            GError  **error);

G_END_DECLS
