/* mediator-dates.c: dates between the hub and the desk (see the header). */
#include "mediator-dates.h"

#include <stdio.h>
#include <string.h>

/* "17/09/1992", "17091992", "17-09-1992" or "1992-09-17" → "1992-09-17";
 * NULL when it is no date of the calendar. */
char *
mediator_date_to_iso (const char *typed)
{
  g_autofree char *digits = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  int              day, month, year;
  char             sep1 = 0, sep2 = 0;
  int              end = 0;

  if (strlen (digits) == 10 && digits[4] == '-' && digits[7] == '-'
      && sscanf (digits, "%4d-%2d-%2d%n", &year, &month, &day, &end) == 3 && end == 10)
    ;
  else if (strlen (digits) == 8 && strspn (digits, "0123456789") == 8
           && sscanf (digits, "%2d%2d%4d", &day, &month, &year) == 3)
    ;
  else if (strlen (digits) == 10 && sscanf (digits, "%2d%c%2d%c%4d%n", &day, &sep1, &month, &sep2, &year, &end) == 5
           && end == 10 && sep1 == sep2 && strchr ("/-. ", sep1) != NULL
           && strspn (digits, "0123456789/-. ") == 10)
    ;
  else
    return NULL;
  if (year < 1900 || year > 2200 || !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

char *
mediator_date_fr (const char *iso,
                  const char *none)
{
  if (iso == NULL)
    return g_strdup (none);
  if (strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return g_strdup (iso);
  return g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}
