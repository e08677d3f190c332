/* relais-db-mail-annual.c: the prefecture's annual figures, from the
 * decisions and the people (hub). */

#include "relais-db-mail-annual.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

const int                   relais_mail_age_band_floors[RELAIS_MAIL_N_AGE_BANDS] = { 0, 18, 25, 35, 45, 55, 65 };

/* Every count of the figures by the name the hub's answer gives it (GET
 * /mail/annual): the hub writes and the console reads the same list. */
const RelaisMailAnnualField relais_mail_annual_fields[] = {
  { "domiciled", G_STRUCT_OFFSET (RelaisMailAnnual, domiciled) },
  { "applications_first", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.applications_first) },
  { "applications_renewal", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.applications_renewal) },
  { "grants_first", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.grants_first) },
  { "grants_renewal", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.grants_renewal) },
  { "refusals", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals) },
  { "radiations", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations) },
  { "adjournments", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.adjournments) },
  { "refusals_by_motive_0", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[0]) },
  { "refusals_by_motive_1", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[1]) },
  { "refusals_by_motive_2", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[2]) },
  { "refusals_by_motive_3", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[3]) },
  { "refusals_by_motive_4", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[4]) },
  { "refusals_by_motive_5", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[5]) },
  { "refusals_by_motive_6", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_motive[6]) },
  { "radiations_by_motive_0", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[0]) },
  { "radiations_by_motive_1", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[1]) },
  { "radiations_by_motive_2", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[2]) },
  { "radiations_by_motive_3", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[3]) },
  { "radiations_by_motive_4", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[4]) },
  { "radiations_by_motive_5", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[5]) },
  { "radiations_by_motive_6", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.radiations_by_motive[6]) },
  { "refusals_by_orientation_0", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_orientation[0]) },
  { "refusals_by_orientation_1", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_orientation[1]) },
  { "refusals_by_orientation_2", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_orientation[2]) },
  { "refusals_by_orientation_3", G_STRUCT_OFFSET (RelaisMailAnnual, decisions.refusals_by_orientation[3]) },
  { "by_age_0", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[0]) },
  { "by_age_1", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[1]) },
  { "by_age_2", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[2]) },
  { "by_age_3", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[3]) },
  { "by_age_4", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[4]) },
  { "by_age_5", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[5]) },
  { "by_age_6", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[6]) },
  { "by_age_7", G_STRUCT_OFFSET (RelaisMailAnnual, by_age[7]) },
  { "by_sex_0", G_STRUCT_OFFSET (RelaisMailAnnual, by_sex[0]) },
  { "by_sex_1", G_STRUCT_OFFSET (RelaisMailAnnual, by_sex[1]) },
  { "by_sex_2", G_STRUCT_OFFSET (RelaisMailAnnual, by_sex[2]) },
  { "by_sex_3", G_STRUCT_OFFSET (RelaisMailAnnual, by_sex[3]) },
  { "by_household_0", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[0]) },
  { "by_household_1", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[1]) },
  { "by_household_2", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[2]) },
  { "by_household_3", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[3]) },
  { "by_household_4", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[4]) },
  { "by_household_5", G_STRUCT_OFFSET (RelaisMailAnnual, by_household[5]) },
  { NULL, 0 }
};

guint
relais_mail_age_band (const char *birth_date, const char *day)
{
  int by, bm, bd, y, m, d, age;

  if (birth_date == NULL || day == NULL || sscanf (birth_date, "%4d-%2d-%2d", &by, &bm, &bd) != 3
      || sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3 || by < 1880 || by > y)
    return RELAIS_MAIL_N_AGE_BANDS;
  age = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
  if (age < 0)
    return RELAIS_MAIL_N_AGE_BANDS;
  for (guint band = RELAIS_MAIL_N_AGE_BANDS; band > 0; band--)
    if (age >= relais_mail_age_band_floors[band - 1])
      return band - 1;
  return RELAIS_MAIL_N_AGE_BANDS;
}

static guint
index_in (const char * const *list, const char *word, guint n)
{
  for (guint i = 0; i < n && list[i] != NULL; i++)
    if (g_strcmp0 (list[i], word) == 0)
      return i;
  return n;
}

gboolean
relais_db_mail_annual (RelaisDb         *db,
                       int               year,
                       RelaisMailAnnual *annual,
                       GError          **error)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GPtrArray) people = NULL;

  g_return_val_if_fail (db != NULL && annual != NULL, FALSE);

  memset (annual, 0, sizeof *annual);
  if (year < 2000 || year > 2999)
    return relais_db_mail_set_invalid (error, "Année invalide (2000 à 2999).");
  annual->year = year;
  from = g_strdup_printf ("%04d-01-01", year);
  to = g_strdup_printf ("%04d-12-31", year);
  if (!relais_db_mail_decision_figures (db, from, to, &annual->decisions, error))
    return FALSE;
  if ((people = relais_db_mail_domiciled_on (db, to, error)) == NULL)
    return FALSE;
  annual->domiciled = people->len;
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);

      annual->by_age[relais_mail_age_band (p->birth_date, to)]++;
      annual->by_sex[index_in (relais_mail_sexes, p->sex, 3)]++;
      annual->by_household[index_in (relais_mail_households, p->household, 5)]++;
    }
  return TRUE;
}
