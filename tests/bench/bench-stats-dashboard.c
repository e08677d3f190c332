/* bench-stats-dashboard: three years of synthetic activity for 50 stations
 * through the hub's own recording path, then the dashboard for one month
 * and one year, p50 over 10 runs. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "relais-db-stats.h"
#include "relais-hub-private.h"

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* p50 and max over @runs dashboards for the period, query and JSON. */
static void
time_dashboard (RelaisDb   *db,
                const char *from,
                const char *to,
                int         runs,
                double     *p50,
                double     *max,
                gint64     *sessions)
{
  g_autofree double *ms = g_new0 (double, runs);

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(RelaisStats) stats = relais_db_stats_query (db, from, to, NULL, &error);
      g_autoptr(JsonNode) json = NULL;
      g_autofree char *text = NULL;

      if (stats == NULL)
        g_error ("%s", error->message);
      json = relais_hub_json_stats (stats, from, to, NULL);
      text = json_to_string (json, FALSE);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      *sessions = stats->totals.sessions;
    }
  qsort (ms, runs, sizeof *ms, compare);
  *p50 = ms[runs / 2];
  *max = ms[runs - 1];
}

int
main (int argc, char **argv)
{
  const char               *path = argc > 1 ? argv[1] : "stats-bench.db";
  int                       stations = argc > 2 ? atoi (argv[2]) : 50;
  int                       per_day = argc > 3 ? atoi (argv[3]) : 90;
  static const char * const categories[] = { "website", "printer", "scanner", "mail", "safe", "other" };
  static const char * const languages[] = { "fr", "fr", "fr", "fr", "ar", "en", "es", "ro", "pt", "tr" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autoptr(GDateTime) first = g_date_time_new_local (2023, 12, 1, 0, 0, 0);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 start = g_get_monotonic_time ();
  gint64 rows = 0, help_rows = 0, sessions = 0;
  double month_p50, month_max, year_p50, year_max;

  if (db == NULL)
    g_error ("%s", error->message);

  /* 1096 days × @stations × about @per_day sessions (closed on Sundays). */
  for (int day = 0; day < 1096; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (first, day);

      if (g_date_time_get_day_of_week (date) == 7)
        continue;
      if (!relais_db_batch_begin (db, &error))
        g_error ("%s", error->message);
      for (int s = 0; s < stations; s++)
        {
          g_autofree char *station = g_strdup_printf ("poste-%02d", s + 1);
          int              n = per_day / 2 + g_rand_int_range (rand, 0, per_day + 1);

          for (int i = 0; i < n; i++)
            {
              int hour = 9 + g_rand_int_range (rand, 0, 9);
              g_autoptr(GDateTime) when = g_date_time_add_full (date, 0, 0, 0, hour, g_rand_int_range (rand, 0, 60), 0);
              RelaisSessionHelp help = { categories[g_rand_int_range (rand, 0, 6)], g_rand_int_range (rand, 5, 120),
                                         g_rand_int_range (rand, 30, 600), g_rand_int_range (rand, 120, 1800) };
              gboolean          with_help = g_rand_int_range (rand, 0, 5) == 0;
              RelaisSessionLog  log = { g_date_time_to_unix (when) * 1000, g_rand_int_range (rand, 60, 1800),
                                        languages[g_rand_int_range (rand, 0, 10)], "button",
                                        g_rand_int_range (rand, 0, 6), g_rand_int_range (rand, 0, 8), 0,
                                        g_rand_int_range (rand, 0, 2), 0, g_rand_int_range (rand, 0, 2),
                                       with_help ? 1 : 0, &help };
              /* No key: loading in bulk, as a migration from another
               * system would; the recording path is the hub's. */
              RelaisEventInfo   info = { NULL, NULL, NULL, 0, NULL };
              gboolean          duplicate;

              if (!relais_db_stats_record_session (db, &info, station, &log, &duplicate, &error))
                g_error ("%s", error->message);
              rows++;
              help_rows += with_help;
            }
        }
      if (!relais_db_batch_commit (db, &error))
        g_error ("%s", error->message);
      if (day % 100 == 0)
        fprintf (stderr, "  %d days, %" G_GINT64_FORMAT " sessions\n", day, rows);
    }
  printf ("generated %" G_GINT64_FORMAT " session rows + %" G_GINT64_FORMAT " help rows in %.1f s\n",
          rows, help_rows, (g_get_monotonic_time () - start) / 1e6);

  time_dashboard (db, "2026-03-01", "2026-03-31", 10, &month_p50, &month_max, &sessions);
  printf ("month (March 2026): p50 %.2f ms, max %.2f ms, %" G_GINT64_FORMAT " sessions\n", month_p50, month_max, sessions);
  time_dashboard (db, "2025-12-01", "2026-11-30", 10, &year_p50, &year_max, &sessions);
  printf ("year (Dec 2025 - Nov 2026): p50 %.2f ms, max %.2f ms, %" G_GINT64_FORMAT " sessions\n", year_p50, year_max, sessions);
  printf ("RESULT stats-dashboard month_ms=%.2f year_ms=%.2f month_max_ms=%.2f year_max_ms=%.2f rows=%" G_GINT64_FORMAT
          " help_rows=%" G_GINT64_FORMAT " stations=%d\n",
          month_p50, year_p50, month_max, year_max, rows + help_rows, help_rows, stations);
  g_rand_free (rand);
  return 0;
}
