/* test-central-ops.c: running a département's registry (issue 19): the
 * hubs reach PostgreSQL over TLS with the server's certificate checked
 * (sslmode=verify-full), a wrong authority refused with a clear error and
 * nothing of it shown to a console; `relais-hub central-setup` makes the
 * schema, the bodies and the sites as a database owner that is no
 * superuser, as docs/multi-site.md says to set it up. */

#include "test-central.h"
#include "relais-db-mail.h"
#include "relais-hub-central.h"
#include "relais-test-hub.h"

#include <string.h>

/* A site's URL over TLS, checking the server against @ca. */
static char *
tls_url (Departement *d, const char *role, const char *ca)
{
  g_autofree char *escaped = g_uri_escape_string (ca, NULL, FALSE);

  return g_strdup_printf ("postgresql://%s:%s@localhost:%u/%s?sslmode=verify-full&sslrootcert=%s", role, PASSWORD,
                          cluster->port, d->database, escaped);
}

static void
test_tls (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong_ca = NULL;
  g_autofree char *ca = relais_test_pg_enable_tls (cluster, &wrong_ca);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(RelaisCentral) site = NULL;
  g_autoptr(GPtrArray) people = NULL;
  RelaisTestHub *hub;
  g_autoptr(RelaisLink) console = NULL;
  g_autoptr(JsonObject) reply = NULL;
  const char *message;

  departement_init (&d);
  good = tls_url (&d, d.role_a, ca);
  bad = tls_url (&d, d.role_a, wrong_ca);

  /* The département's authority: in, encrypted. */
  site = relais_central_connect (good, &error);
  g_assert_no_error (error);
  people = relais_central_people (site, &error);
  g_assert_no_error (error);
  g_clear_pointer (&site, relais_central_close);
  {
    g_autoptr(PGconn) raw = PQconnectdb (good);
    g_autoptr(PGresult) r = NULL;

    g_assert_cmpint (PQstatus (raw), ==, CONNECTION_OK);
    g_assert_true (PQsslInUse (raw));
    r = PQexec (raw, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid ()");
    g_assert_cmpstr (PQgetvalue (r, 0, 0), ==, "t");
  }

  /* Another authority: refused, and the error says what to check. */
  site = relais_central_connect (bad, &error);
  g_assert_null (site);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_UNREACHABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Connexion TLS refusée"));
  g_assert_nonnull (strstr (error->message, "sslrootcert"));
  g_clear_error (&error);

  /* A hub joined through it serves its desk; its console hears that the
   * registry cannot be asked, with no server's name or file. */
  hub = relais_test_hub_new ();
  console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  relais_hub_set_central (hub->hub, bad, &error);
  g_assert_no_error (error);
  reply = relais_test_call (console, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (reply, "central"));
  g_assert_false (json_object_get_boolean_member (reply, "checked"));
  message = json_object_get_string_member (reply, "message");
  g_assert_nonnull (strstr (message, "impossible de savoir"));
  g_assert_null (strstr (message, "localhost"));
  g_assert_null (strstr (message, "certifica"));
  g_assert_null (strstr (message, cluster->dir));
  g_clear_pointer (&reply, json_object_unref);
  g_clear_object (&console);
  relais_test_hub_free (hub);

  /* The right authority: the hub's changes go up over TLS. */
  hub = relais_test_hub_new ();
  relais_hub_set_central (hub->hub, good, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RelaisMailPerson) saved = NULL;
    RelaisMailPerson in = { .number = (char *) "1", .surname = (char *) "Dupont", .first_names = (char *) "Marie", .birth_date = (char *) "1980-04-02", .notify = (char *) "none" };
    g_autoptr(PGconn) owner = raw_as (&d, NULL);
    g_autofree char *n = NULL;

    saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &in, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2000 && relais_hub_central_pending (hub->hub) != 0; i++)
      g_main_context_iteration (NULL, FALSE), g_usleep (5000);
    g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, 0);
    n = ask (owner, "SELECT surname FROM relais.people");
    g_assert_cmpstr (n, ==, "Dupont");
  }
  relais_test_hub_free (hub);
  relais_test_pg_disable_tls (cluster);
}

/* Runs `relais-hub central-setup @args…` with @password on its standard
 * input; its exit status, what it said in *@out and *@err. */
static int
central_setup (const char * const *args, const char *password, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *in = password != NULL ? g_strconcat (password, "\n", NULL) : g_strdup ("");

  g_ptr_array_add (argv, g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL));
  g_ptr_array_add (argv, g_strdup ("central-setup"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, in, NULL, out, err, &error);
  g_assert_no_error (error);
  if (**err != '\0')
    g_test_message ("central-setup %s: %s", args[1] != NULL ? args[1] : "", *err);
  return g_subprocess_get_exit_status (process);
}

/* The département as docs/multi-site.md sets it up: an owner role with
 * CREATEROLE only, its database, then central-setup for the schema, two
 * bodies, a site of each; run twice, nothing changes; a site's hub then
 * connects with its role, and row-level security holds. */
static void
test_setup (void)
{
  g_autofree char *database = relais_test_pg_new_database (cluster);
  g_autofree char *super_url = relais_test_pg_owner_url (cluster, database);
  g_autoptr(PGconn) super = PQconnectdb (super_url);
  g_autofree char *sql = NULL;
  g_autofree char *n = NULL;
  g_autofree char *owner_role = g_strdup_printf ("%s_owner", database);
  g_autofree char *owner_url = NULL;
  g_autofree char *role_a = g_strdup_printf ("%s_ccas", database);
  g_autofree char *role_b = g_strdup_printf ("%s_secours", database);
  g_autofree char *site_url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) site = NULL;
  g_autoptr(GPtrArray) people = NULL;

  g_assert_cmpint (PQstatus (super), ==, CONNECTION_OK);
  sql = g_strdup_printf ("CREATE ROLE %s LOGIN CREATEROLE PASSWORD '%s'", owner_role, PASSWORD);
  n = ask (super, sql);
  g_assert_cmpstr (n, ==, "ok:");
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&n, g_free);
  sql = g_strdup_printf ("ALTER DATABASE %s OWNER TO %s", database, owner_role);
  n = ask (super, sql);
  g_assert_cmpstr (n, ==, "ok:");
  g_clear_pointer (&n, g_free);
  /* Nobody else may create in it (PostgreSQL 15's default already). */
  n = ask (super, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  g_assert_cmpstr (n, ==, "ok:");
  owner_url = relais_test_pg_url (cluster, database, owner_role, PASSWORD);

  for (int run = 0; run < 2; run++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (central_setup ((const char *[]) { owner_url, NULL }, NULL, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "Registre central prêt"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (central_setup ((const char *[]) { owner_url, "organisation", "ccas", "CCAS de Villeneuve", NULL },
                                      NULL, &out, &err),
                       ==, 0);
      g_assert_nonnull (strstr (out, "CCAS de Villeneuve"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (central_setup ((const char *[]) { owner_url, "organisation", "secours", "Secours Catholique",
                                                         NULL },
                                      NULL, &out, &err),
                       ==, 0);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  /* A site and its role, once: the role's password is its own. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "site", "ccas", "ccas-centre", "CCAS — centre", role_a,
                                                       NULL },
                                    PASSWORD, &out, &err),
                     ==, 0);
    g_assert_nonnull (strstr (out, role_a));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "site", "secours", "secours-gare", "Gare", role_b,
                                                       NULL },
                                    PASSWORD, &out, &err),
                     ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* Again: said plainly, nothing changed. */
    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "site", "ccas", "ccas-centre", "CCAS — centre", role_a,
                                                       NULL },
                                    PASSWORD, &out, &err),
                     ==, 1);
    g_assert_nonnull (strstr (err, "existe déjà"));
  }
  g_clear_pointer (&n, g_free);
  n = ask (super, "SELECT count(*) || ',' || (SELECT count(*) FROM relais.sites) FROM relais.organisations");
  g_assert_cmpstr (n, ==, "2,2");
  /* The owner is no superuser. */
  g_clear_pointer (&n, g_free);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT rolsuper FROM pg_roles WHERE rolname = '%s'", owner_role);
  n = ask (super, sql);
  g_assert_cmpstr (n, ==, "f");

  /* Said plainly: no password for a site, a wrong word, an unknown body. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "site", "ccas", "x", "X", "relais_x", NULL }, NULL,
                                    &out, &err),
                     ==, 2);
    g_assert_nonnull (strstr (err, "mot de passe"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "sites", NULL }, NULL, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "usage"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (central_setup ((const char *[]) { owner_url, "site", "nobody", "x", "X", "relais_x", NULL },
                                    PASSWORD, &out, &err),
                     ==, 1);
    g_assert_nonnull (strstr (err, "nobody"));
  }

  /* A site's hub connects with its role and reads only its body. */
  site_url = relais_test_pg_url (cluster, database, role_a, PASSWORD);
  site = relais_central_connect (site_url, &error);
  g_assert_no_error (error);
  people = relais_central_people (site, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 0);
  {
    g_autoptr(PGconn) raw = PQconnectdb (site_url);

    g_clear_pointer (&n, g_free);
    n = ask (raw, "INSERT INTO relais.organisations (code, name) VALUES ('x', 'X')");
    g_assert_true (g_str_has_prefix (n, "error:"));
  }
}

/* Runs a PostgreSQL client program of the cluster's version; asserts
 * it went well. */
static void
run_client (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: %s", argv[0], err);
}

/* The backup docs/multi-site.md gives, run: pg_dump in its custom
 * format, pg_restore into an empty database, and the restored registry
 * works for a site as the original did (its policies, its functions);
 * pg_dumpall --roles-only has the site roles. */
static void
test_backup (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-central-dump-XXXXXX", &error);
  g_autofree char *dump = g_build_filename (dir, "relais.dump", NULL);
  g_autofree char *roles = g_build_filename (dir, "roles.sql", NULL);
  g_autofree char *port = g_strdup_printf ("%u", cluster->port);
  g_autofree char *restored = NULL;
  g_autofree char *roles_text = NULL;
  g_autofree char *n = NULL;
  g_autofree char *url = NULL;
  g_autoptr(PGconn) owner = NULL;

  g_assert_no_error (error);
  departement_init (&d);
  {
    g_autoptr(RelaisCentral) a = connect_as (&d, d.role_a);
    g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_change_free);
    RelaisCentralChange *c = g_new0 (RelaisCentralChange, 1);
    guint                applied = 0;

    c->seq = 1;
    c->key = g_strdup ("backup-1");
    c->op = g_strdup ("save");
    c->number = g_strdup ("7");
    c->surname = g_strdup ("Dupont");
    c->first_names = g_strdup ("Marie");
    c->birth_date = g_strdup ("1980-04-02");
    c->name_key = relais_central_name_key ("Dupont", "Marie");
    c->state = g_strdup ("granted");
    g_ptr_array_add (changes, c);
    relais_central_push (a, changes, &applied, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (applied, ==, 1);
  }

  run_client ((const char *[]) { "/usr/lib/postgresql/15/bin/pg_dump", "--format=custom", "--file", dump, "-h",
                                 cluster->dir, "-p", port, "-U", RELAIS_TEST_PG_OWNER, d.database, NULL });
  run_client ((const char *[]) { "/usr/lib/postgresql/15/bin/pg_dumpall", "--roles-only", "--file", roles, "-h",
                                 cluster->dir, "-p", port, "-U", RELAIS_TEST_PG_OWNER, NULL });
  g_file_get_contents (roles, &roles_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (roles_text, d.role_a));
  g_assert_nonnull (strstr (roles_text, "SCRAM-SHA-256$"));

  restored = relais_test_pg_new_database (cluster);
  run_client ((const char *[]) { "/usr/lib/postgresql/15/bin/pg_restore", "--exit-on-error", "--dbname", restored,
                                 "-h", cluster->dir, "-p", port, "-U", RELAIS_TEST_PG_OWNER, dump, NULL });

  /* The restored registry, as site B's hub sees it. */
  {
    g_autofree char *b_url = relais_test_pg_url (cluster, restored, d.role_b, PASSWORD);
    g_autofree char *a_url = relais_test_pg_url (cluster, restored, d.role_a, PASSWORD);
    g_autoptr(RelaisCentral) b = relais_central_connect (b_url, &error);
    g_autoptr(RelaisCentral) a = NULL;
    g_autoptr(GPtrArray) found = NULL;
    g_autoptr(GPtrArray) people = NULL;

    g_assert_no_error (error);
    found = relais_central_domiciled_elsewhere (b, "DUPONT", "marie", "1980-04-02", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((RelaisCentralElsewhere *) found->pdata[0])->organisation, ==, "CCAS de Villeneuve");
    /* Row-level security came back with it: B reads none of A's people,
     * A reads its own. */
    people = relais_central_people (b, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (people->len, ==, 0);
    g_clear_pointer (&people, g_ptr_array_unref);
    a = relais_central_connect (a_url, &error);
    g_assert_no_error (error);
    people = relais_central_people (a, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (people->len, ==, 1);
  }
  url = relais_test_pg_owner_url (cluster, restored);
  owner = PQconnectdb (url);
  n = ask (owner, "SELECT count(*) FROM relais.changes WHERE key = 'backup-1'");
  g_assert_cmpstr (n, ==, "1");
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

void
test_central_ops_add (void)
{
  g_test_add_func ("/central/ops/backup", test_backup);
  g_test_add_func ("/central/ops/tls", test_tls);
  g_test_add_func ("/central/ops/setup", test_setup);
}
