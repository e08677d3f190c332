/* relais-test-pg.c: a throwaway PostgreSQL 15 cluster (see the header). */

#include "relais-test-pg.h"
#include "relais-test-util.h"

#include <errno.h>
#include <string.h>
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

/* Runs openssl with @argv in @dir; asserts it went well. */
static void
run_openssl (const char *dir, const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed:\n%s", argv[1], err);
}

/* A certificate authority @name in @dir: NAME.pem and NAME.key. */
static void
make_ca (const char *dir, const char *name, const char *subject)
{
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);

  run_openssl (dir, (const char *[]) { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", pem,
                                       "-days", "2", "-subj", subject, "-addext",
                                       "basicConstraints=critical,CA:TRUE", "-addext",
                                       "keyUsage=critical,keyCertSign,cRLSign", NULL });
}

/* TRUE once the server takes TLS on @conninfo (its certificate checked):
 * the owner has no password over TCP, so a request for one means the
 * handshake went through; "does not support SSL" means not reloaded yet. */
static gboolean
tls_answers (const char *conninfo)
{
  for (int i = 0; i < 200; i++)
    {
      PGconn     *conn = PQconnectdb (conninfo);
      const char *message = PQerrorMessage (conn);
      gboolean    ok = PQstatus (conn) == CONNECTION_OK || strstr (message, "password") != NULL;

      if (!ok && strstr (message, "does not support SSL") == NULL)
        g_error ("TLS to the test cluster: %s", message);
      PQfinish (conn);
      if (ok)
        return TRUE;
      g_usleep (50000);
    }
  return FALSE;
}

char *
relais_test_pg_enable_tls (RelaisTestPg *pg,
                           char        **wrong_ca)
{
  g_autofree char *tls = g_build_filename (pg->dir, "tls", NULL);
  g_autofree char *ext = g_build_filename (tls, "server.ext", NULL);
  g_autofree char *server_pem = g_build_filename (tls, "server.pem", NULL);
  g_autofree char *server_key = g_build_filename (tls, "server.key", NULL);
  g_autofree char *url = relais_test_pg_owner_url (pg, "postgres");
  g_autofree char *set_cert = NULL;
  g_autofree char *set_key = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GError) error = NULL;
  PGconn *conn;

  g_assert_cmpint (g_mkdir_with_parents (tls, 0755), ==, 0);
  /* The département's authority, and another one (a wrong file given
   * to a hub, or a server that is not the département's). */
  make_ca (tls, "ca", "/CN=Autorite de test du departement");
  make_ca (tls, "other-ca", "/CN=Une autre autorite");
  /* The server's certificate, for the name the hubs use. */
  g_file_set_contents (ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n", -1, &error);
  g_assert_no_error (error);
  run_openssl (tls, (const char *[]) { "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                       "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                                       "/CN=localhost", NULL });
  run_openssl (tls, (const char *[]) { "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey",
                                       "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
                                       "-extfile", "server.ext", NULL });
  /* PostgreSQL reads its key only when no one else may. */
  g_assert_cmpint (g_chmod (server_key, 0600), ==, 0);
  give_to_postgres (server_key);
  give_to_postgres (server_pem);

  /* ssl is reloaded without a restart (PostgreSQL 10 and later). */
  conn = PQconnectdb (url);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  set_cert = g_strdup_printf ("ALTER SYSTEM SET ssl_cert_file = '%s'", server_pem);
  set_key = g_strdup_printf ("ALTER SYSTEM SET ssl_key_file = '%s'", server_key);
  for (const char * const *sql = (const char *[]) { set_cert, set_key, "ALTER SYSTEM SET ssl = on",
                                                    "SELECT pg_reload_conf ()", NULL };
       *sql != NULL; sql++)
    {
      PGresult *result = PQexec (conn, *sql);

      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("%s: %s", *sql, PQresultErrorMessage (result));
      PQclear (result);
    }
  PQfinish (conn);
  probe = g_strdup_printf ("host=localhost port=%u dbname=postgres user=" RELAIS_TEST_PG_OWNER
                           " sslmode=verify-full sslrootcert=%s/ca.pem connect_timeout=5",
                           pg->port, tls);
  g_assert_true (tls_answers (probe));
  if (wrong_ca != NULL)
    *wrong_ca = g_build_filename (tls, "other-ca.pem", NULL);
  return g_build_filename (tls, "ca.pem", NULL);
}

void
relais_test_pg_disable_tls (RelaisTestPg *pg)
{
  g_autofree char *url = relais_test_pg_owner_url (pg, "postgres");
  PGconn          *conn = PQconnectdb (url);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (const char * const *sql = (const char *[]) { "ALTER SYSTEM RESET ssl", "SELECT pg_reload_conf ()", NULL };
       *sql != NULL; sql++)
    PQclear (PQexec (conn, *sql));
  PQfinish (conn);
}
