/* relais-test-pg.h: a throwaway PostgreSQL 15 cluster for the central
 * registry's tests (issue 19): Debian's initdb and pg_ctl in a temporary
 * folder, run as the postgres user when the tests run as root (PostgreSQL
 * refuses root). The owner (the cluster's superuser) is trusted on the
 * folder's unix socket only; every other role logs in over TCP on
 * 127.0.0.1 with a SCRAM password, as a site's hub does. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *dir;  /* the temporary folder: data/, the socket, log */
  char *data; /* the cluster */
  guint port; /* TCP on 127.0.0.1, and the socket's name */
  char *log;
  guint n_databases;
} RelaisTestPg;

#define RELAIS_TEST_PG_OWNER "relais_owner"

/* initdb, then starts it; asserts it went well. */
RelaisTestPg *relais_test_pg_new (void);
/* Stops it (fast shutdown) and removes its folder. */
void          relais_test_pg_free (RelaisTestPg *pg);
/* pg_ctl stop -m fast / start again on the same folder and port. */
void          relais_test_pg_stop (RelaisTestPg *pg);
void          relais_test_pg_start (RelaisTestPg *pg);
/* SIGKILL to the postmaster, as a crash would. */
void          relais_test_pg_kill (RelaisTestPg *pg);
/* A new empty database; its name (owned by the caller). */
char         *relais_test_pg_new_database (RelaisTestPg *pg);
/* The owner's URL for @database (unix socket, trust). */
char         *relais_test_pg_owner_url (RelaisTestPg *pg,
                                        const char   *database);
/* A role's URL for @database (TCP on 127.0.0.1, password). */
char         *relais_test_pg_url (RelaisTestPg *pg,
                                  const char   *database,
                                  const char   *role,
                                  const char   *password);

/* Turns TLS on (ssl = on, reloaded): a certificate authority and a
 * server certificate for localhost and 127.0.0.1 made with openssl in the
 * cluster's folder. Returns: (transfer full): the authority's file, for
 * sslrootcert; in *@wrong_ca (owned) another authority's. */
char         *relais_test_pg_enable_tls (RelaisTestPg *pg,
                                         char        **wrong_ca);
/* Back to plain TCP. */
void          relais_test_pg_disable_tls (RelaisTestPg *pg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisTestPg, relais_test_pg_free)

G_END_DECLS
