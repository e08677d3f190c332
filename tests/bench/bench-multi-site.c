/* bench-multi-site: N site hubs (in this process, each with its own SQLite
 * database, its two queues, its pusher and its copy) joined to one
 * throwaway PostgreSQL 15 registry on this machine (issue 19), pushing
 * mornings of a Maison des Solidarités' activity.
 *
 * A morning at a site (options; ../shared/DOMAIN.md: 100 to 200 letters a
 * day, so half of that by noon): people registered or updated at the mail
 * desk, letters registered for them, sessions at the stations (each
 * session's figures, some with a help request raised), a few safes made,
 * each with its documents. What goes up: the people (the registry's queue)
 * and, on the second queue (db/relais-central-up.c), the safes, their
 * documents and a statistics entry per session; letters and help requests
 * stay at the site (their counts go up in the sessions' months).
 *
 * per_s: entries of both queues committed at the centre per second, from
 * the sites' durable queues to the last commit, 30 hubs pushing at once;
 * people_per_s and up_per_s: each queue's entries over the time until that
 * queue was empty everywhere; write_per_s: the sites' own SQLite writes,
 * serialised here in one process (see below).
 * lag_p99_ms: from a site's committed application to its visibility in
 * another site's local copy (push every 100 ms, pull every second).
 * stats_lag_p99_ms: from a session recorded at a site to the département's
 * view (relais.departement_months, read by the département's role)
 * counting it.
 * rss_peak_mb: VmHWM of this process (every hub); hub_rss_mb: what the
 * hubs added to it, divided by their number. */

#include "relais-central.h"
#include "relais-central-safe.h"
#include "relais-db-help.h"
#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "bench-safes.h"
#include "relais-db-safe.h"
#include "relais-db-stats.h"
#include "relais-hub.h"
#include "relais-hub-central.h"
#include "relais-hub-central-safe.h"
#include "relais-test-pg.h"
#include "relais-test-util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define PASSWORD "mot-de-passe-du-banc"
#define STATIONS 6

/* A morning at one site. */
typedef struct {
  int people;  /* registered or updated */
  int letters; /* registered */
  int sessions;
  int help;  /* sessions with a help request */
  int safes; /* made, with their documents */
  int documents;
  int doc_kib;
} Morning;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
p99 (double *values, int n)
{
  qsort (values, n, sizeof (double), cmp_double);
  return values[MIN (n - 1, (int) (n * 0.99))];
}

static void
spin_once (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (500);
}

/* Names are letters only: @n written in base 26. */
static char *
letters (const char *prefix, int n)
{
  GString *s = g_string_new (prefix);

  do
    {
      g_string_append_c (s, 'a' + n % 26);
      n /= 26;
    }
  while (n > 0);
  return g_string_free (s, FALSE);
}

/* kB of /proc/self/status's @field. */
static gint64
status_kb (const char *field)
{
  g_autofree char *text = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static char *
loadavg (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " "));
}

static double
cpu_s (void)
{
  struct rusage use;

  getrusage (RUSAGE_SELF, &use);
  return use.ru_utime.tv_sec + use.ru_stime.tv_sec + (use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6;
}

static void
save (RelaisDb *db, const char *number, const char *surname, const char *first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson in = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) first,
    .birth_date = (char *) "1980-04-02",
    .notify = (char *) "none",
  };

  saved = relais_db_mail_person_save (db, &in, &error);
  if (saved == NULL)
    g_error ("%s", error->message);
}

/* A session ended at a station of @site, as the station reports it;
 * @help: a help request was raised in it (raised here too, site-local). */
static void
session (RelaisDb *db, int site, int n, gboolean help)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *key = g_strdup_printf ("seance-%d-%d", site, n);
  g_autofree char  *station = g_strdup_printf ("poste-%d", n % STATIONS + 1);
  g_autofree char  *source = g_strdup_printf ("station:%s", station);
  gint64            now = relais_db_now_ms ();
  RelaisEventInfo   event = { key, source, "session.end", now, "{}" };
  RelaisSessionHelp asked = { "scan", 40, 90, 600 };
  RelaisSessionLog  log = { 0 };
  gboolean          duplicate = FALSE;

  if (help)
    {
      g_autofree char *hkey = g_strdup_printf ("aide-%d-%d", site, n);
      g_autofree char *id = g_strdup_printf ("demande-%d-%d", site, n);
      g_autofree char *body = g_strdup_printf ("{\"key\":\"%s\",\"type\":\"help.raise\",\"data\":{\"id\":\"%s\","
                                               "\"category\":\"scan\"}}",
                                               hkey, id);
      RelaisEventInfo  info = { hkey, source, "help.raise", now, body };
      g_autoptr(RelaisHelpRequest) request = relais_db_help_raise (db, &info, id, station, "scan", "fr", "resident",
                                                                    NULL, NULL, RELAIS_HELP_CONTEXT_UNKNOWN, &duplicate,
                                                                    &error);

      if (request == NULL)
        g_error ("%s", error->message);
    }
  log.started_at = now;
  log.duration_s = 20 * 60;
  log.language = "fr";
  log.end_reason = "button";
  log.pages_scanned = 3;
  log.pages_printed = 2;
  log.copies = 2;
  log.mail_checks = 1;
  log.n_help = help ? 1 : 0;
  log.help = &asked;
  if (!relais_db_stats_record_session (db, &event, station, &log, &duplicate, &error))
    g_error ("%s", error->message);
}

static void
safe (RelaisDb *db, GRand *rand, const Morning *m, int site, int n)
{
  g_autofree char *number = g_strdup_printf ("%010d", 1000000000 + site * 1000000 + n);
  g_autofree char *prefix = g_strdup_printf ("document-%d-%d", site, n);

  bench_fill_safe (db, rand, number, "mediator:banc", prefix, m->documents, (gsize) m->doc_kib * 1024,
                   relais_db_now_ms ());
}

/* One morning @k at site @i: what its desks and stations write. */
static void
morning (RelaisDb *db, GRand *rand, const Morning *m, int i, int k)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RelaisMailItem));
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) registered = NULL;
  g_autofree char *batch = g_strdup_printf ("matin-%d", k);
  RelaisMailSite   site = { "la Maison", "le lundi" };
  gboolean         duplicate = FALSE;

  /* The desk: one in two is a new domiciliation, the other an update
   * (an address, a first name) of someone registered before. */
  for (int p = 0; p < m->people; p++)
    {
      int              who = k * m->people + p - (p % 2);
      char            *number = g_strdup_printf ("S%d-%d", i, who);
      g_autofree char *surname = letters ("Nom", who);

      save (db, number, surname, p % 2 ? "Prénom Second" : "Prénom");
      g_ptr_array_add (numbers, number);
    }
  for (int l = 0; l < m->letters && numbers->len > 0; l++)
    {
      RelaisMailItem item = { 0 };

      item.number = g_ptr_array_index (numbers, l % numbers->len);
      item.kind = l % 25 == 0 ? "social" : "ordinary";
      item.count = 1;
      g_array_append_val (items, item);
    }
  if (items->len > 0)
    {
      registered = relais_db_mail_register (db, batch, "banc", (RelaisMailItem *) items->data, items->len, NULL, 0,
                                            &site, relais_db_now_ms (), &duplicate, &error);
      if (registered == NULL)
        g_error ("%s", error->message);
    }
  for (int s = 0; s < m->sessions; s++)
    session (db, i, k * m->sessions + s, s < m->help);
  for (int s = 0; s < m->safes; s++)
    safe (db, rand, m, i, k * m->safes + s);
}

static gint64
month_sessions (RelaisCentral *departement, const char *month)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_central_departement_months (departement, &error);

  if (rows == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < rows->len; i++)
    {
      RelaisCentralMonthRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->month, month) == 0)
        return row->counts.sessions;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  int          sites = 30, mornings = 1, samples = 50;
  Morning      m = { .people = 40, .letters = 100, .sessions = 60, .help = 25, .safes = 3, .documents = 2, .doc_kib = 150 };
  GOptionEntry entries[] = {
    { "sites", 0, 0, G_OPTION_ARG_INT, &sites, "Site hubs", "N" },
    { "mornings", 0, 0, G_OPTION_ARG_INT, &mornings, "Mornings each site writes", "N" },
    { "people", 0, 0, G_OPTION_ARG_INT, &m.people, "People registered or updated per morning", "N" },
    { "letters", 0, 0, G_OPTION_ARG_INT, &m.letters, "Letters registered per morning", "N" },
    { "sessions", 0, 0, G_OPTION_ARG_INT, &m.sessions, "Station sessions per morning", "N" },
    { "help", 0, 0, G_OPTION_ARG_INT, &m.help, "Of them with a help request", "N" },
    { "safes", 0, 0, G_OPTION_ARG_INT, &m.safes, "Safes made per morning", "N" },
    { "documents", 0, 0, G_OPTION_ARG_INT, &m.documents, "Documents per safe", "N" },
    { "doc-kib", 0, 0, G_OPTION_ARG_INT, &m.doc_kib, "A document's size", "KIB" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, "Lag samples (each kind)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— many site hubs, one PostgreSQL registry");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisTestPg) pg = NULL;
  g_autoptr(RelaisCentral) owner = NULL;
  g_autoptr(RelaisCentral) departement = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char   *month = g_date_time_format (today, "%Y-%m");
  g_autofree char   *database = NULL;
  g_autofree char   *owner_url = NULL;
  g_autofree char   *dep_url = NULL;
  g_autofree char   *dir = NULL;
  g_autofree char   *load0 = NULL;
  g_autofree char   *load1 = NULL;
  g_autofree double *lags = NULL;
  g_autofree double *stats_lags = NULL;
  RelaisHub        **hubs;
  RelaisMailSite     site = { "la Maison", "le lundi" };
  gint64             start, written, people_end = 0, up_end = 0, end;
  gint64             people_total = 0, up_total = 0, expected, rss0, rss_peak;
  double             cpu0, cpu1, lag_p99, stats_lag_p99;
  gboolean           done;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  sites = CLAMP (sites, 2, 50);
  mornings = CLAMP (mornings, 1, 50);
  m.people = CLAMP (m.people, 0, 10000);
  m.letters = CLAMP (m.letters, 0, 10000);
  m.sessions = CLAMP (m.sessions, 1, 10000);
  m.help = CLAMP (m.help, 0, m.sessions);
  m.safes = CLAMP (m.safes, 0, 1000);
  m.documents = CLAMP (m.documents, 0, 100);
  m.doc_kib = CLAMP (m.doc_kib, 1, 40 * 1024);
  samples = CLAMP (samples, 1, 1000);
  load0 = loadavg ();

  pg = relais_test_pg_new ();
  database = relais_test_pg_new_database (pg);
  owner_url = relais_test_pg_owner_url (pg, database);
  owner = relais_central_connect (owner_url, &error);
  if (owner == NULL || !relais_central_migrate (owner, &error)
      || !relais_central_add_departement_role (owner, "bench_departement", PASSWORD, &error))
    g_error ("%s", error->message);
  dep_url = relais_test_pg_url (pg, database, "bench_departement", PASSWORD);
  departement = relais_central_connect (dep_url, &error);
  if (departement == NULL)
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("relais-multi-site-XXXXXX", &error);
  g_assert_no_error (error);
  rss0 = status_kb ("VmRSS:");
  hubs = g_new0 (RelaisHub *, sites);
  /* Three sites per body, as a town's CCAS, MDS and association. */
  for (int i = 0; i < sites; i++)
    {
      g_autofree char *org = g_strdup_printf ("org-%d", i / 3);
      g_autofree char *org_name = g_strdup_printf ("Organisme %d", i / 3);
      g_autofree char *code = g_strdup_printf ("site-%d", i);
      g_autofree char *name = g_strdup_printf ("Site %d", i);
      g_autofree char *role = g_strdup_printf ("bench_site_%d", i);
      g_autofree char *url = relais_test_pg_url (pg, database, role, PASSWORD);
      g_autofree char *db_name = g_strdup_printf ("site-%d.db", i);
      g_autofree char *db_path = g_build_filename (dir, db_name, NULL);
      RelaisDb        *db;

      if (!relais_central_add_organisation (owner, org, org_name, &error)
          || !relais_central_add_site (owner, org, code, name, role, PASSWORD, &error))
        g_error ("%s", error->message);
      db = relais_db_open (db_path, RELAIS_DB_HUB, &error);
      if (db == NULL)
        g_error ("%s", error->message);
      hubs[i] = relais_hub_new (db);
      if (!relais_hub_set_central (hubs[i], url, &error))
        g_error ("%s", error->message);
    }

  /* A site's hub is connected all morning: the first ticks connect each
   * to the centre (its pull), outside the measure. */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    spin_once ();

  /* Throughput. Every site writes its mornings first (site after site,
   * morning after morning, as 30 desks at once): here the 30 sites'
   * SQLite commits (WAL, synchronous=FULL: an fsync each) are serialised
   * in one process on one disk, which 30 sites on their own machines are
   * not, so the writes are timed apart (write_per_s) and per_s is from the
   * sites' durable queues to the last entry committed at the centre, all
   * 30 hubs pushing at once. */
  start = g_get_monotonic_time ();
  for (int k = 0; k < mornings; k++)
    for (int i = 0; i < sites; i++)
      morning (relais_hub_get_db (hubs[i]), rand, &m, i, k);
  written = g_get_monotonic_time ();
  for (int i = 0; i < sites; i++)
    {
      people_total += relais_hub_central_pending (hubs[i]);
      up_total += relais_hub_central_up_pending (hubs[i]);
    }
  cpu0 = cpu_s ();
  do
    {
      gboolean people_done = TRUE, up_done = TRUE;

      spin_once ();
      for (int i = 0; i < sites; i++)
        {
          people_done = people_done && relais_hub_central_pending (hubs[i]) == 0;
          up_done = up_done && relais_hub_central_up_pending (hubs[i]) == 0;
        }
      if (people_done && people_end == 0)
        people_end = g_get_monotonic_time ();
      if (up_done && up_end == 0)
        up_end = g_get_monotonic_time ();
      done = people_done && up_done;
    }
  while (!done);
  end = g_get_monotonic_time ();
  cpu1 = cpu_s ();
  expected = (gint64) sites * mornings * m.sessions;
  if (month_sessions (departement, month) != expected)
    g_error ("the département counts %" G_GINT64_FORMAT " sessions in %s, not %" G_GINT64_FORMAT,
             month_sessions (departement, month), month, expected);
  g_print ("%d sites x %d morning(s) of %d people, %d letters, %d sessions (%d with help), %d safes x %d documents"
           " of %d KiB\n",
           sites, mornings, m.people, m.letters, m.sessions, m.help, m.safes, m.documents, m.doc_kib);
  g_print ("%" G_GINT64_FORMAT " people changes and %" G_GINT64_FORMAT " up entries (safes, documents, statistics)"
           " written in %.2f s; then the people at the centre in %.2f s, the up queue in %.2f s; this process used"
           " %.0f%% of a core meanwhile\n",
           people_total, up_total, (written - start) / 1e6, (people_end - written) / 1e6, (up_end - written) / 1e6,
           100 * (cpu1 - cpu0) / ((end - written) / 1e6));

  /* Lags: an application at one site, seen in another site's copy; a
   * session at one site, counted in the département's view. */
  lags = g_new0 (double, samples);
  stats_lags = g_new0 (double, samples);
  for (int s = 0; s < samples; s++)
    {
      int              from = s % sites, to = (s + 1 + s / sites) % sites;
      g_autofree char *number = g_strdup_printf ("L%d", s);
      g_autofree char *surname = letters ("Retard", s);
      g_autofree char *key = NULL;
      g_autoptr(RelaisMailDecision) decision = NULL;
      RelaisMailDecisionRequest applied = { .decision = "applied", .reason = "no-home" };
      gint64                    t0, t1;

      if (to == from)
        to = (to + 1) % sites;
      save (relais_hub_get_db (hubs[from]), number, surname, "Prénom");
      decision = relais_db_mail_decision_add (relais_hub_get_db (hubs[from]), number, &applied, "banc", &site,
                                              relais_db_now_ms (), &error);
      if (decision == NULL)
        g_error ("%s", error->message);
      t0 = g_get_monotonic_time ();
      key = relais_central_name_key (surname, "Prénom");
      for (;;)
        {
          g_autoptr(GPtrArray) seen = relais_db_central_copy_lookup (relais_hub_get_db (hubs[to]), key, "1980-04-02",
                                                                      NULL);

          if (seen != NULL && seen->len > 0)
            break;
          spin_once ();
        }
      t1 = g_get_monotonic_time ();
      lags[s] = (t1 - t0) / 1000.0;

      session (relais_hub_get_db (hubs[from]), from, 1000000 + s, FALSE);
      expected++;
      t0 = g_get_monotonic_time ();
      while (month_sessions (departement, month) < expected)
        {
          for (int i = 0; i < 20; i++)
            spin_once ();
        }
      t1 = g_get_monotonic_time ();
      stats_lags[s] = (t1 - t0) / 1000.0;
    }
  rss_peak = status_kb ("VmHWM:");
  load1 = loadavg ();
  lag_p99 = p99 (lags, samples);
  stats_lag_p99 = p99 (stats_lags, samples);
  g_print ("lag: people p50 %.0f ms, p99 %.0f ms, max %.0f ms; statistics p50 %.0f ms, p99 %.0f ms, max %.0f ms;"
           " %d samples each\n",
           lags[samples / 2], lag_p99, lags[samples - 1], stats_lags[samples / 2], stats_lag_p99,
           stats_lags[samples - 1], samples);
  g_print ("RESULT multi-site per_s=%.0f lag_p99_ms=%.0f sites=%d people_per_s=%.0f up_per_s=%.0f"
           " stats_lag_p99_ms=%.0f write_per_s=%.0f rss_peak_mb=%.0f hub_rss_mb=%.1f load=%s/%s\n",
           (people_total + up_total) / ((end - written) / 1e6), lag_p99, sites,
           people_total / ((people_end - written) / 1e6), up_total / ((up_end - written) / 1e6),
           stats_lag_p99, (people_total + up_total) / ((written - start) / 1e6), rss_peak / 1024.0,
           (rss_peak - rss0) / 1024.0 / sites, load0, load1);

  for (int i = 0; i < sites; i++)
    g_object_unref (hubs[i]);
  g_free (hubs);
  {
    const char *argv_rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
