/* relais-db-stats.h: anonymous session logs and the aggregates that make
 * the staff's dashboard fast (hub). */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  const char *category;
  gint64      to_seen_s; /* -1 when it never happened */
  gint64      to_taken_s;
  gint64      to_resolved_s;
} RelaisSessionHelp;

/* What a station reports when a session ends: counts and durations only. */
typedef struct {
  gint64                   started_at; /* ms since the epoch */
  gint64                   duration_s;
  const char              *language;
  const char              *end_reason; /* "button", "timeout", "shutdown" */
  gint64                   pages_scanned;
  gint64                   pages_printed;
  gint64                   copies;
  gint64                   saved_usb;
  gint64                   saved_safe;
  gint64                   mail_checks;
  guint                    n_help;
  const RelaisSessionHelp *help;
} RelaisSessionLog;

/* One line of a table: a day, a station or a language, by @key. */
typedef struct {
  char  *key;
  gint64 sessions;
  gint64 duration_s;
  gint64 pages_scanned;
  gint64 pages_printed;
  gint64 copies;
  gint64 saved_usb;
  gint64 saved_safe;
  gint64 mail_checks;
  gint64 help_requests;
} RelaisStatsRow;

typedef struct {
  char  *category;
  gint64 requests;
  gint64 seen_n, seen_s; /* averages are sum / n */
  gint64 taken_n, taken_s;
  gint64 resolved_n, resolved_s;
} RelaisStatsHelp;

typedef struct {
  RelaisStatsRow totals;
  GPtrArray     *days;        /* RelaisStatsRow*, key "YYYY-MM-DD", only days with activity */
  GPtrArray     *stations;    /* RelaisStatsRow*, key = station name */
  GPtrArray     *languages;   /* RelaisStatsRow*, key = language, sessions only */
  GPtrArray     *help;        /* RelaisStatsHelp* by category */
  gint64         heat[7][24]; /* sessions by weekday (0 = Monday) and hour */
} RelaisStats;

void relais_stats_free (RelaisStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisStats, relais_stats_free)

/* Records @event, the log of a session on @station, and adds it to the
 * aggregates of its local day and hour, in one savepoint. */
gboolean     relais_db_stats_record_session (RelaisDb               *db,
                                             const RelaisEventInfo  *event,
                                             const char             *station,
                                             const RelaisSessionLog *log,
                                             gboolean               *duplicate,
                                             GError                **error);
/* The dashboard for the local days @from to @to included ("YYYY-MM-DD"),
 * for one @station or all (NULL). Reads only the aggregates. */
RelaisStats *relais_db_stats_query (RelaisDb   *db,
                                    const char *from,
                                    const char *to,
                                    const char *station,
                                    GError    **error);
/* Deletes the detailed rows (session logs, closed help requests, the event
 * log) older than @before (ms); the aggregates stay. Sets *deleted. */
gboolean     relais_db_stats_purge (RelaisDb *db,
                                    gint64    before,
                                    gint64   *deleted,
                                    GError  **error);
gint64       relais_db_stats_count_sessions (RelaisDb *db);

/* Resolved help requests of a month by what they were about (issue 16):
 * words of relais-help-outcome.h, "" where the mediator said nothing. */
typedef struct {
  char  *month; /* "YYYY-MM" */
  char  *need;
  char  *outcome;
  char  *partner;
  gint64 requests;
} RelaisStatsOutcome;

void       relais_stats_outcome_free (RelaisStatsOutcome *line);
/* The months that overlap the days @from to @to ("YYYY-MM-DD"), by month
 * then need, outcome and partner; RelaisStatsOutcome*. Site-wide (the
 * aggregate has no station). */
GPtrArray *relais_db_stats_outcomes (RelaisDb   *db,
                                     const char *from,
                                     const char *to,
                                     GError    **error);

G_END_DECLS
