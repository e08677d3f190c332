/* bench-multi-site: N site hubs (in this process, each with its own SQLite
 * database, its queue, its pusher and its copy) joined to one throwaway
 * PostgreSQL 15 registry on this machine (issue 19).
 *
 * per_s: people changes per second from the sites' durable queues to
 * their commit at the centre, 30 hubs pushing at once; write_per_s: the
 * sites' own SQLite writes, serialised here in one process (see below).
 * lag_p99_ms: from a site's committed application to its visibility in
 * another site's local copy (push every 100 ms, pull every second).
 *
 * What goes up today is the people registry only: the "morning's
 * activity" (help events, letters, sessions) does not cross sites yet, so
 * an event here is a person's change. */

#include "relais-central.h"
#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-hub.h"
#include "relais-hub-central.h"
#include "relais-test-pg.h"
#include "relais-test-util.h"

#include <stdlib.h>

#define PASSWORD "mot-de-passe-du-banc"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
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

int
main (int argc, char **argv)
{
  int          sites = 30, per_site = 200, samples = 50;
  GOptionEntry entries[] = {
    { "sites", 0, 0, G_OPTION_ARG_INT, &sites, "Site hubs", "N" },
    { "per-site", 0, 0, G_OPTION_ARG_INT, &per_site, "People changes per site", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, "Lag samples", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— many site hubs, one PostgreSQL registry");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisTestPg) pg = NULL;
  g_autoptr(RelaisCentral) owner = NULL;
  g_autofree char   *database = NULL;
  g_autofree char   *owner_url = NULL;
  g_autofree char   *dir = NULL;
  g_autofree double *lags = NULL;
  RelaisHub        **hubs;
  RelaisMailSite     site = { "la Maison", "le lundi" };
  gint64             start, written, end, total;
  gboolean           done;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  sites = CLAMP (sites, 2, 50);
  per_site = CLAMP (per_site, 1, 100000);
  samples = CLAMP (samples, 1, 1000);

  pg = relais_test_pg_new ();
  database = relais_test_pg_new_database (pg);
  owner_url = relais_test_pg_owner_url (pg, database);
  owner = relais_central_connect (owner_url, &error);
  if (owner == NULL || !relais_central_migrate (owner, &error))
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("relais-multi-site-XXXXXX", &error);
  g_assert_no_error (error);
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

  /* Throughput. Every site writes its changes first (interleaved, as a
   * morning at 30 desks): here the 30 sites' SQLite commits (WAL,
   * synchronous=FULL: an fsync each) are serialised in one process on one
   * disk, which 30 sites on their own machines are not, so the writes are
   * timed apart (write_per_s) and per_s is from the sites' durable queues
   * to the last change committed at the centre, all 30 hubs pushing at
   * once. */
  total = (gint64) sites * per_site;
  start = g_get_monotonic_time ();
  for (int k = 0; k < per_site; k++)
    {
      for (int i = 0; i < sites; i++)
        {
          g_autofree char *number = g_strdup_printf ("S%d-%d", i, k);
          g_autofree char *surname = letters ("Nom", k);

          save (relais_hub_get_db (hubs[i]), number, surname, "Prénom");
        }
    }
  written = g_get_monotonic_time ();
  do
    {
      spin_once ();
      done = TRUE;
      for (int i = 0; i < sites && done; i++)
        done = relais_hub_central_pending (hubs[i]) == 0;
    }
  while (!done);
  end = g_get_monotonic_time ();
  g_print ("%d sites, %d changes each: %" G_GINT64_FORMAT " changes in %.2f s (the writes at the sites %.2f s,"
           " then %.2f s until the last was committed at the centre)\n",
           sites, per_site, total, (end - start) / 1e6, (written - start) / 1e6, (end - written) / 1e6);

  /* Lag: an application at one site, seen in another site's copy. */
  lags = g_new0 (double, samples);
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
    }
  qsort (lags, samples, sizeof (double), cmp_double);
  g_print ("lag: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d samples)\n", lags[samples / 2],
           lags[MIN (samples - 1, (int) (samples * 0.99))], lags[samples - 1], samples);
  g_print ("RESULT multi-site per_s=%.0f lag_p99_ms=%.0f sites=%d write_per_s=%.0f\n", total / ((end - written) / 1e6),
           lags[MIN (samples - 1, (int) (samples * 0.99))], sites, total / ((written - start) / 1e6));

  for (int i = 0; i < sites; i++)
    g_object_unref (hubs[i]);
  g_free (hubs);
  {
    const char *argv_rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
