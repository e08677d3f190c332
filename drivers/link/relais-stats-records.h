/* relais-stats-records.h: the staff's figures as GET /stats answers
 * them, read once: the consoles' dashboard, CSV tables and monthly
 * report use fields, never JSON members. */
#pragma once

#include <json-glib/json-glib.h>
#include "relais-db-stats.h"
#include "relais-db-mail-annual.h"

G_BEGIN_DECLS

/* One help category over the period; the delays are averages in
 * seconds, -1 when no request got that far. */
typedef struct {
  char  *category; /* a RelaisHelpCategory's word, or a newer station's */
  gint64 requests;
  gint64 avg_seen_s;
  gint64 avg_taken_s;
  gint64 avg_resolved_s;
} RelaisStatsHelpLine;

/* The mail desk's figures over the same days (site-wide). */
typedef struct {
  gint64      registered;
  gint64      handed;
  gint64      returned;
  gint64      reminders;
  double      avg_days; /* before a letter is handed over; 0 when none was */
  GHashTable *reasons;  /* why people applied for a domiciliation:
                         * reason word → gint64* count ("unknown": none given) */
} RelaisStatsMail;

/* The whole answer. Rows are RelaisStatsRow (relais-db-stats.h), the
 * hub's own: days keyed "YYYY-MM-DD", stations by name, languages by
 * code (sessions only). */
typedef struct {
  char            *from; /* "YYYY-MM-DD", never NULL */
  char            *to;
  char            *station; /* NULL: every station */
  char            *site;    /* the site's name, for the report's title; never NULL */
  RelaisStatsRow   totals;  /* key NULL */
  GPtrArray       *days;
  GPtrArray       *stations;
  GPtrArray       *languages;
  GPtrArray       *help;        /* RelaisStatsHelpLine* */
  gint64           heat[7][24]; /* sessions by weekday (0 = Monday) and hour */
  RelaisStatsMail *mail;        /* NULL when the hub gave none */
  GPtrArray       *outcomes;    /* RelaisStatsOutcome* (relais-db-stats.h): what the
                                 * resolved help requests were about, by month (site-wide) */
} RelaisSiteStats;

/* Every member's type checked; from and to required, the lists may be
 * absent (empty); else RELAIS_LINK_ERROR_PROTOCOL naming the member. */
RelaisSiteStats *relais_site_stats_from_reply (JsonObject *reply,
                                               GError    **error);
RelaisSiteStats *relais_site_stats_new (void);
void             relais_site_stats_free (RelaisSiteStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSiteStats, relais_site_stats_free)

/* A row as the hub fills one; @key is copied. */
RelaisStatsRow *relais_stats_row_new (const char *key);
void            relais_stats_row_free (RelaisStatsRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisStatsRow, relais_stats_row_free)
/* The count of @reason in @mail (0 when the hub gave none). */
gint64   relais_stats_mail_reason (const RelaisStatsMail *mail,
                                   const char            *reason);

/* GET /mail/annual's answer: every count of relais_mail_annual_fields
 * an integer >= 0, the year 2000–2999; else RELAIS_LINK_ERROR_PROTOCOL
 * naming the member. */
gboolean relais_mail_annual_from_reply (JsonObject       *reply,
                                        RelaisMailAnnual *annual,
                                        GError          **error);

G_END_DECLS
