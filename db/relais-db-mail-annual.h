/* relais-db-mail-annual.h: the figures of the domiciliation body's
 * annual activity report to the prefecture, for any calendar year (hub):
 * the year's decisions (relais-db-mail-decisions.h) and the people
 * domiciled on 31 December by age band, sex and household type. */
#pragma once

#include "relais-db-mail-decisions.h"

G_BEGIN_DECLS

/* Age on 31 December: under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65
 * and over. */
#define RELAIS_MAIL_N_AGE_BANDS 7
extern const int relais_mail_age_band_floors[RELAIS_MAIL_N_AGE_BANDS];

typedef struct
{
  int                       year;
  RelaisMailDecisionFigures decisions;
  gint64                    domiciled;                           /* in force on 31 December */
  gint64                    by_age[RELAIS_MAIL_N_AGE_BANDS + 1]; /* last: birth date unreadable */
  gint64                    by_sex[3 + 1];                       /* relais_mail_sexes, then not said */
  gint64                    by_household[5 + 1];                 /* relais_mail_households, then not said */
} RelaisMailAnnual;

typedef struct
{
  const char *name;
  gsize       offset; /* of a gint64 in RelaisMailAnnual */
} RelaisMailAnnualField;
/* NULL-terminated; "year" is apart. */
extern const RelaisMailAnnualField relais_mail_annual_fields[];

/* The band of someone born on @birth_date (YYYY-MM-DD) on @day, or
 * RELAIS_MAIL_N_AGE_BANDS when either is not a date. */
guint                              relais_mail_age_band (const char *birth_date,
                                                         const char *day);

/* The figures of @year (2000–2999). INVALID for another year. */
gboolean                           relais_db_mail_annual (RelaisDb         *db,
                                                          int               year,
                                                          RelaisMailAnnual *annual,
                                                          GError          **error);

G_END_DECLS
