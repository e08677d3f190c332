/* relais-test-pg.c: a throwaway PostgreSQL 15 cluster (see the header). */

#include "relais-test-pg.h"
#include "relais-test-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define PG_BIN "/usr/lib/postgresql/15/bin/"

/* Runs a PostgreSQL program, as postgres when we are root. */
static void
run_pg (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  if (geteuid () == 0)
    {
      g_ptr_array_add (args, (gpointer) "runuser");
      g_ptr_array_add (args, (gpointer) "-u");
      g_ptr_array_add (args, (gpointer) "postgres");
      g_ptr_array_add (args, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed:\n%s\n%s", argv[0], out, err);
}

static void
give_to_postgres (const char *path)
{
  struct passwd *pw;

  if (geteuid () != 0)
    return;
  pw = getpwnam ("postgres");
  g_assert_nonnull (pw);
  g_assert_cmpint (chown (path, pw->pw_uid, pw->pw_gid), ==, 0);
}

RelaisTestPg *
relais_test_pg_new (void)
{
  g_autoptr(GError) error = NULL;
  RelaisTestPg    *pg = g_new0 (RelaisTestPg, 1);
  g_autofree char *hba = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *old = NULL;

  g_assert_true (g_file_test (PG_BIN "initdb", G_FILE_TEST_IS_EXECUTABLE));
  pg->dir = g_dir_make_tmp ("relais-pg-XXXXXX", &error);
  g_assert_no_error (error);
  give_to_postgres (pg->dir);
  pg->data = g_build_filename (pg->dir, "data", NULL);
  pg->log = g_build_filename (pg->dir, "log", NULL);
  pg->port = relais_test_free_port ();
  run_pg ((const char *[]) { PG_BIN "initdb", "-D", pg->data, "-U", RELAIS_TEST_PG_OWNER, "-A", "trust",
                             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", NULL });

  /* Trust for the owner on the folder's socket only; passwords for the
   * sites' roles, over TCP as a hub connects. */
  hba = g_build_filename (pg->data, "pg_hba.conf", NULL);
  g_file_set_contents (hba,
                       "local all " RELAIS_TEST_PG_OWNER " trust\n"
                       "host all all 127.0.0.1/32 scram-sha-256\n",
                       -1, &error);
  g_assert_no_error (error);
  give_to_postgres (hba);
  conf = g_build_filename (pg->data, "postgresql.conf", NULL);
  g_file_get_contents (conf, &old, NULL, &error);
  g_assert_no_error (error);
  settings = g_strdup_printf ("%s\n"
                              "listen_addresses = '127.0.0.1'\n"
                              "port = %u\n"
                              "unix_socket_directories = '%s'\n"
                              "max_connections = 60\n"
                              "shared_buffers = 16MB\n"
                              /* A throwaway cluster: the machine does not crash under
                               * it, the server may (relais_test_pg_kill ()). */
                              "fsync = off\n"
                              "password_encryption = 'scram-sha-256'\n",
                              old, pg->port, pg->dir);
  g_file_set_contents (conf, settings, -1, &error);
  g_assert_no_error (error);
  give_to_postgres (conf);
  relais_test_pg_start (pg);
  return pg;
}

void
relais_test_pg_start (RelaisTestPg *pg)
{
  run_pg ((const char *[]) { PG_BIN "pg_ctl", "-D", pg->data, "-l", pg->log, "-w", "-t", "60", "start", NULL });
}

void
relais_test_pg_stop (RelaisTestPg *pg)
{
  run_pg ((const char *[]) { PG_BIN "pg_ctl", "-D", pg->data, "-w", "-m", "fast", "stop", NULL });
}

void
relais_test_pg_kill (RelaisTestPg *pg)
{
  g_autofree char *pid_path = g_build_filename (pg->data, "postmaster.pid", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  pid_t pid;

  g_file_get_contents (pid_path, &text, NULL, &error);
  g_assert_no_error (error);
  pid = (pid_t) atoi (text);
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  /* Gone before we go on (its children follow it on their own). */
  for (int i = 0; i < 500 && (kill (pid, 0) == 0 || errno != ESRCH); i++)
    g_usleep (10000);
}

static gboolean
server_running (RelaisTestPg *pg)
{
  g_autofree char *pid_path = g_build_filename (pg->data, "postmaster.pid", NULL);

  return g_file_test (pid_path, G_FILE_TEST_EXISTS);
}

void
relais_test_pg_free (RelaisTestPg *pg)
{
  const char *argv[] = { "rm", "-rf", pg->dir, NULL };

  if (server_running (pg))
    run_pg ((const char *[]) { PG_BIN "pg_ctl", "-D", pg->data, "-w", "-m", "immediate", "stop", NULL });
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (pg->dir);
  g_free (pg->data);
  g_free (pg->log);
  g_free (pg);
}

char *
relais_test_pg_owner_url (RelaisTestPg *pg,
                          const char   *database)
{
  g_autofree char *host = g_uri_escape_string (pg->dir, NULL, FALSE);

  return g_strdup_printf ("postgresql:///%s?host=%s&port=%u&user=" RELAIS_TEST_PG_OWNER, database, host, pg->port);
}

char *
relais_test_pg_url (RelaisTestPg *pg,
                    const char   *database,
                    const char   *role,
                    const char   *password)
{
  g_autofree char *pass = g_uri_escape_string (password, NULL, FALSE);

  return g_strdup_printf ("postgresql://%s:%s@127.0.0.1:%u/%s", role, pass, pg->port, database);
}

char *
relais_test_pg_new_database (RelaisTestPg *pg)
{
  g_autofree char *url = relais_test_pg_owner_url (pg, "postgres");
  g_autofree char *create = NULL;
  char            *name = g_strdup_printf ("relais_%u", ++pg->n_databases);
  PGconn          *conn = PQconnectdb (url);
  PGresult        *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  result = PQexec (conn, create);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", create, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
  return name;
}
