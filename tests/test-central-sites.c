/* test-central-sites.c: site hubs and the central registry under the
 * accidents of a département's day (issue 19): a hub process killed
 * (SIGKILL) while it pushes, then started again; one site cut from the
 * centre for a day of work at three sites, then back. Nothing is lost,
 * nothing applied twice, every site converges; a write made offline on a
 * person another body domiciles follows the home rule
 * (docs/multi-site.md). */

#include "test-central.h"
#include "relais-db-mail.h"
#include "relais-hub-central.h"
#include "relais-test-hub.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void
save (RelaisDb *db, const char *number, const char *surname, const char *first_names, const char *birth_date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson in = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) first_names,
    .birth_date = (char *) birth_date,
    .notify = (char *) "none",
  };

  saved = relais_db_mail_person_save (db, &in, &error);
  g_assert_no_error (error);
}

/* "Nom" + @i in letters (a name holds no digit): Nomb, Nomc… Nomba. */
static char *
name_of (const char *prefix, guint i)
{
  GString *s = g_string_new (prefix);
  gsize    at = s->len;

  do
    {
      g_string_insert_c (s, at, (char) ('a' + i % 26));
      i /= 26;
    }
  while (i > 0);
  return g_string_free (s, FALSE);
}

/* The centre's count of changes from site @code, and of distinct keys:
 * "N,N" when each was applied once. */
static char *
centre_changes (PGconn *owner, const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) || ',' || count (DISTINCT c.key) || ',' ||"
                                          " coalesce (bool_and (c.ordered), true) FROM (SELECT key, seq > coalesce"
                                          " (lag (seq) OVER (ORDER BY pos), 0) AS ordered FROM relais.changes"
                                          " WHERE site_id = (SELECT id FROM relais.sites WHERE code = '%s')) c",
                                          code);

  return ask (owner, sql);
}

/* What the centre holds of site @code, "number:surname:first names;…". */
static char *
centre_people (PGconn *owner, const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (string_agg (p.number || ':' || p.surname || ':' ||"
                                          " p.first_names, ';' ORDER BY p.number), '') FROM relais.people p"
                                          " JOIN relais.sites s ON s.id = p.home_site_id WHERE s.code = '%s'",
                                          code);

  return ask (owner, sql);
}

/* The same of a site's own database, read as the centre should hold it. */
static void
expect (GTree *site, const char *number, const char *surname, const char *first_names)
{
  g_tree_replace (site, g_strdup (number), g_strdup_printf ("%s:%s:%s", number, surname, first_names));
}

static gboolean
join_line (gpointer key, gpointer value, gpointer data)
{
  GString *s = data;

  if (s->len > 0)
    g_string_append_c (s, ';');
  g_string_append (s, value);
  return FALSE;
}

static char *
expected (GTree *site)
{
  GString *s = g_string_new (NULL);

  g_tree_foreach (site, join_line, s);
  return g_string_free (s, FALSE);
}

static int
compare_numbers (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (a, b);
}

static GTree *
site_new (void)
{
  return g_tree_new_full (compare_numbers, NULL, g_free, g_free);
}

/* ---- a hub process killed while it pushes ---- */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GPid
hub_process_start (const char *config, const char *db)
{
  g_autofree char *exe = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  const char      *argv[] = { exe, "-c", config, "-d", db, "-p", "0", NULL };
  int              out = -1;
  GPid             pid = 0;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            die_with_parent, NULL, &pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  /* It says so once it listens: joined to the centre by then. */
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "listening"));
  return pid;
}

static void
hub_process_kill (GPid pid, int sig)
{
  int status = 0;

  g_assert_cmpint (kill (pid, sig), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (sig == SIGKILL)
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);
}

static gint64
centre_count (PGconn *owner)
{
  g_autofree char *n = ask (owner, "SELECT count(*) FROM relais.changes");

  return g_ascii_strtoll (n, NULL, 10);
}

/* The hub program pushes a morning's changes; killed with SIGKILL once
 * the centre has some of them and others are still queued, then started
 * again: every change reaches the centre once, in order. */
static void
test_hub_killed (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) owner = NULL;
  g_autoptr(RelaisDb) db = NULL;
  g_autoptr(GTree) site = site_new ();
  g_autofree char *dir = g_dir_make_tmp ("relais-central-kill-XXXXXX", &error);
  g_autofree char *config = g_build_filename (dir, "hub.conf", NULL);
  g_autofree char *db_path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autofree char *n = NULL;
  g_autofree char *want = NULL;
  guint            writes = 0;
  gint64           in_centre = 0;
  GPid             pid;

  g_assert_no_error (error);
  departement_init (&d);
  owner = raw_as (&d, NULL);
  url = departement_url (&d, d.role_a);
  text = g_strdup_printf ("[central]\nurl=%s\n", url);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  db = relais_db_open (db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  pid = hub_process_start (config, db_path);
  g_assert_true (relais_db_central_is_enabled (db));

  /* The desk's writes (through the same database, as a second hub
   * connection would) while the hub pushes them. */
  for (guint i = 0; in_centre == 0 || writes < 120; i++)
    {
      g_autofree char *number = g_strdup_printf ("%04u", 1000 + i);
      g_autofree char *surname = name_of ("Nom", i);

      save (db, number, surname, "Prénom", "1980-01-01");
      expect (site, number, surname, "Prénom");
      writes++;
      if (i % 3 == 0)
        {
          save (db, number, surname, "Prénom Second", "1980-01-01");
          expect (site, number, surname, "Prénom Second");
          writes++;
        }
      if (in_centre == 0 && i % 10 == 9)
        in_centre = centre_count (owner);
      g_assert_cmpuint (i, <, 5000);
    }
  /* Killed during the sync: some changes at the centre, the last ones
   * (at least the one just written) still queued. */
  hub_process_kill (pid, SIGKILL);
  g_test_message ("killed with %" G_GINT64_FORMAT " of %u changes at the centre", centre_count (owner), writes);
  g_assert_cmpint (centre_count (owner), <, writes);
  g_assert_cmpint (relais_db_central_queue_length (db), >, 0);
  /* The site works on without its hub's pusher. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *number = g_strdup_printf ("%04u", 9000 + i);

      save (db, number, "Après", "Panne", "1990-01-01");
      expect (site, number, "Après", "Panne");
      writes++;
    }

  pid = hub_process_start (config, db_path);
  for (guint i = 0; i < 2000 && relais_db_central_queue_length (db) > 0; i++)
    g_usleep (10000);
  g_assert_cmpint (relais_db_central_queue_length (db), ==, 0);
  hub_process_kill (pid, SIGTERM);

  n = centre_changes (owner, "ccas-centre");
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("%u,%u,true", writes, writes);
  g_assert_cmpstr (n, ==, text);
  g_clear_pointer (&n, g_free);
  n = centre_people (owner, "ccas-centre");
  want = expected (site);
  g_assert_cmpstr (n, ==, want);
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

/* ---- one site cut off for a day ---- */

static void
join (RelaisTestHub *hub, Departement *d, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = departement_url (d, role);

  relais_hub_set_central (hub->hub, url, &error);
  g_assert_no_error (error);
  relais_hub_central_set_retry (hub->hub, 50, 400);
}

static gboolean
queue_empty (gpointer data)
{
  return relais_hub_central_pending (((RelaisTestHub *) data)->hub) == 0;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static void
decide (RelaisLink *console, const char *number, const char *decision)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/mail/people/%s/decision", number);
  g_autoptr(JsonObject) reply = relais_test_call (console, path, json_from_string (decision, NULL), &error);

  g_assert_no_error (error);
}

/* The bodies "domiciling elsewhere" Marie Dupont, as @console's hub
 * answers: "organisation/state;…" and whether the centre answered. */
static char *
elsewhere (RelaisLink *console, gboolean *checked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_test_call (console,
                                                   "/central/elsewhere?surname=Dupont&first_names=Marie"
                                                   "&birth_date=1980-04-02",
                                                   NULL, &error);
  JsonArray *bodies;
  GString   *s = g_string_new (NULL);

  g_assert_no_error (error);
  *checked = json_object_get_boolean_member (reply, "checked");
  bodies = json_object_get_array_member (reply, "elsewhere");
  for (guint i = 0; i < json_array_get_length (bodies); i++)
    {
      JsonObject *b = json_array_get_object_element (bodies, i);

      g_string_append_printf (s, "%s%s/%s", i > 0 ? ";" : "", json_object_get_string_member (b, "organisation"),
                              json_object_get_string_member (b, "state"));
    }
  return g_string_free (s, FALSE);
}

typedef struct {
  RelaisTestHub *hub;
  PGconn        *owner;
  const char    *code;
} CopyWait;

/* @hub's copy has read every change of the other sites. */
static gboolean
copy_caught_up (gpointer data)
{
  CopyWait        *w = data;
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (max (pos), 0) FROM (SELECT pos FROM relais.changes"
                                          " WHERE site_id <> (SELECT id FROM relais.sites WHERE code = '%s')"
                                          " ORDER BY xid DESC, pos DESC LIMIT 1) l",
                                          w->code);
  g_autofree char *last = ask (w->owner, sql);
  gint64           xid = 0, pos = 0, at = 0;

  relais_db_central_copy_cursor (relais_hub_get_db (w->hub->hub), &xid, &pos, &at);
  return pos == g_ascii_strtoll (last, NULL, 10);
}

/* Three sites: A and C (the CCAS's centre and its northern antenna) and
 * B (the Secours Catholique). B is cut from the centre (its role may no
 * longer log in, its connections are ended) for a day of work at all
 * three; B keeps serving its desk and answers "elsewhere?" from its copy.
 * Meanwhile A and B both work on Marie Dupont: A on its file (she
 * applied at A, A adjourns), B on its own file for the same person (the
 * home rule: B never writes A's record). Back: every site's records at
 * the centre are the site's, each change applied once, in order; every
 * copy caught up; each site sees the others' Marie. */
static void
test_day_cut_off (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(PGconn) owner = NULL;
  g_autoptr(GTree) site_a = site_new ();
  g_autoptr(GTree) site_b = site_new ();
  g_autoptr(GTree) site_c = site_new ();
  RelaisTestHub *a = relais_test_hub_new ();
  RelaisTestHub *b = relais_test_hub_new ();
  RelaisTestHub *c = relais_test_hub_new ();
  g_autoptr(RelaisLink) console_a = relais_test_console (a, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) console_b = relais_test_console (b, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) console_c = relais_test_console (c, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autofree char *sql = NULL;
  g_autofree char *n = NULL;
  guint            writes_a = 0, writes_b = 0, writes_c = 0;
  gint64           b_pending = 0;
  gboolean         checked = FALSE;

  departement_init (&d);
  owner = raw_as (&d, NULL);
  join (a, &d, d.role_a);
  join (b, &d, d.role_b);
  join (c, &d, d.role_a2);

  /* Morning: Marie Dupont applies at A; B's copy learns it. */
  save (relais_hub_get_db (a->hub), "500", "Dupont", "Marie Louise", "1980-04-02");
  expect (site_a, "500", "Dupont", "Marie Louise");
  decide (console_a, "500", "{\"decision\": \"applied\", \"reason\": \"no-home\"}");
  writes_a += 2;
  {
    CopyWait w = { b, owner, "secours-gare" };

    g_assert_true (relais_test_wait (queue_empty, a));
    g_assert_true (relais_test_wait (copy_caught_up, &w));
  }

  /* B cut off: the centre no longer lets it in. */
  sql = g_strdup_printf ("ALTER ROLE %s NOLOGIN", d.role_b);
  g_clear_pointer (&n, g_free);
  n = ask (owner, sql);
  g_assert_cmpstr (n, ==, "ok:");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) >= 0 FROM pg_stat_activity WHERE usename = '%s'",
                         d.role_b);
  g_clear_pointer (&n, g_free);
  n = ask (owner, sql);
  g_assert_cmpstr (n, ==, "t");

  /* A day of work, hour by hour, at the three sites. */
  for (guint hour = 9; hour < 17; hour++)
    {
      for (guint i = 0; i < 30; i++)
        {
          g_autofree char *number = g_strdup_printf ("B%02u%02u", hour, i);
          g_autofree char *surname = name_of ("Gare", hour * 100 + i);

          save (relais_hub_get_db (b->hub), number, surname, "Ali", "1970-01-01");
          expect (site_b, number, surname, "Ali");
          writes_b++;
          if (i % 5 == 0)
            {
              save (relais_hub_get_db (b->hub), number, surname, "Ali Karim", "1970-01-01");
              expect (site_b, number, surname, "Ali Karim");
              writes_b++;
            }
        }
      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *number = g_strdup_printf ("A%02u%02u", hour, i);
          g_autofree char *surname = name_of ("Centre", hour * 100 + i);

          save (relais_hub_get_db (a->hub), number, surname, "Léa", "1985-05-05");
          expect (site_a, number, surname, "Léa");
          writes_a++;
        }
      for (guint i = 0; i < 10; i++)
        {
          g_autofree char *number = g_strdup_printf ("C%02u%02u", hour, i);
          g_autofree char *surname = name_of ("Nord", hour * 100 + i);

          save (relais_hub_get_db (c->hub), number, surname, "Inès", "1999-09-09");
          expect (site_c, number, surname, "Inès");
          writes_c++;
        }
      if (hour == 11)
        {
          /* Marie walks into B: B, offline, answers from its copy that
           * she applied at the CCAS… */
          g_autofree char *at_b = elsewhere (console_b, &checked);

          g_assert_false (checked);
          g_assert_cmpstr (at_b, ==, "CCAS de Villeneuve/applied");
          /* …and makes its own file for her: same number as A's, its
           * own record (the home rule), queued at B. */
          save (relais_hub_get_db (b->hub), "500", "Dupont", "Marie", "1980-04-02");
          expect (site_b, "500", "Dupont", "Marie");
          decide (console_b, "500", "{\"decision\": \"applied\", \"reason\": \"no-home\"}");
          writes_b += 2;
        }
      if (hour == 14)
        {
          /* Meanwhile A works on its own file of her. */
          save (relais_hub_get_db (a->hub), "500", "Dupont", "Marie-Louise", "1980-04-02");
          expect (site_a, "500", "Dupont", "Marie-Louise");
          decide (console_a, "500", "{\"decision\": \"adjourned\", \"missing\": \"justificatif\"}");
          writes_a += 2;
        }
      /* The pushers work between the hours; B's meets a closed door. */
      spin (150);
    }
  g_assert_true (relais_test_wait (queue_empty, a));
  g_assert_true (relais_test_wait (queue_empty, c));
  b_pending = relais_hub_central_pending (b->hub);
  g_test_message ("B cut off with %" G_GINT64_FORMAT " changes waiting", b_pending);
  g_assert_cmpint (b_pending, ==, writes_b);
  g_clear_pointer (&n, g_free);
  n = centre_people (owner, "secours-gare");
  g_assert_cmpstr (n, ==, "");

  /* Back. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("ALTER ROLE %s LOGIN", d.role_b);
  g_clear_pointer (&n, g_free);
  n = ask (owner, sql);
  g_assert_cmpstr (n, ==, "ok:");
  g_assert_true (relais_test_wait (queue_empty, b));

  /* Every site's records at the centre are its own, each change once and
   * in its order. */
  {
    struct {
      const char *code;
      GTree      *site;
      guint       writes;
    } sites[] = { { "ccas-centre", site_a, writes_a }, { "secours-gare", site_b, writes_b }, { "ccas-nord", site_c, writes_c } };

    for (guint i = 0; i < G_N_ELEMENTS (sites); i++)
      {
        g_autofree char *want = expected (sites[i].site);
        g_autofree char *got = centre_people (owner, sites[i].code);
        g_autofree char *changes = centre_changes (owner, sites[i].code);
        g_autofree char *want_changes = g_strdup_printf ("%u,%u,true", sites[i].writes, sites[i].writes);

        g_assert_cmpstr (got, ==, want);
        g_assert_cmpstr (changes, ==, want_changes);
      }
  }
  /* Every copy has read everything the others did. */
  {
    CopyWait waits[] = { { a, owner, "ccas-centre" }, { b, owner, "secours-gare" }, { c, owner, "ccas-nord" } };

    for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
      g_assert_true (relais_test_wait (copy_caught_up, &waits[i]));
  }
  /* The home rule: A's Marie is as A left her (adjourned), B's as B made
   * her; each sees the other's, C (A's body) sees both. */
  g_clear_pointer (&n, g_free);
  n = ask (owner, "SELECT string_agg (s.code || ':' || p.first_names || ':' || p.state, ';' ORDER BY s.code)"
                  " FROM relais.people p JOIN relais.sites s ON s.id = p.home_site_id WHERE p.number = '500'");
  g_assert_cmpstr (n, ==, "ccas-centre:Marie-Louise:adjourned;secours-gare:Marie:applied");
  g_clear_pointer (&n, g_free);
  n = elsewhere (console_b, &checked);
  g_assert_true (checked);
  g_assert_cmpstr (n, ==, "CCAS de Villeneuve/adjourned");
  g_clear_pointer (&n, g_free);
  n = elsewhere (console_a, &checked);
  g_assert_true (checked);
  g_assert_cmpstr (n, ==, "Secours Catholique/applied");
  g_clear_pointer (&n, g_free);
  n = elsewhere (console_c, &checked);
  g_assert_true (checked);
  g_assert_cmpstr (n, ==, "CCAS de Villeneuve/adjourned;Secours Catholique/applied");

  g_clear_object (&console_a);
  g_clear_object (&console_b);
  g_clear_object (&console_c);
  relais_test_hub_free (a);
  relais_test_hub_free (b);
  relais_test_hub_free (c);
}

void
test_central_sites_add (void)
{
  g_test_add_func ("/central/sites/hub-killed", test_hub_killed);
  g_test_add_func ("/central/sites/day-cut-off", test_day_cut_off);
}
