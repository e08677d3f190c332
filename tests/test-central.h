/* test-central.h: what test-central*.c share: the cluster of the whole
 * run, a département on a fresh database of it, raw connections. */
#pragma once

#include <libpq-fe.h>

#include "relais-central.h"
#include "relais-test-pg.h"
#include "relais-test-util.h"

#define PASSWORD "mot-de-passe-long-1"

extern RelaisTestPg *cluster;

/* A département on a fresh database: two bodies (a CCAS with two sites,
 * the Secours Catholique with one), each site a role. */
typedef struct {
  char          *database;
  RelaisCentral *owner;
  char          *role_a, *role_a2, *role_b;
} Departement;

void departement_init (Departement *d);
void departement_clear (Departement *d);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Departement, departement_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* A site's URL / connection with its role. */
char          *departement_url (Departement *d,
                                const char  *role);
RelaisCentral *connect_as (Departement *d,
                           const char  *role);
/* A raw connection as @role (NULL: the owner), to ask PostgreSQL itself. */
PGconn        *raw_as (Departement *d,
                       const char  *role);
/* What @sql gives @conn: the first column of the first row, "ok:N" for a
 * command, or "error:SQLSTATE". */
char          *ask (PGconn     *conn,
                    const char *sql);

/* test-central-hubs.c */
void           test_central_hubs_add (void);
/* test-central-sites.c */
void           test_central_sites_add (void);
/* test-central-ops.c */
void           test_central_ops_add (void);

/* test-central-safe.c */
void           test_central_safe_add (void);
