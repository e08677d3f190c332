/* relais-central.h: the département's central registry in PostgreSQL
 * (issue 19), through libpq. Each site's hub connects with a role of its
 * own; row-level security in PostgreSQL decides what that role reads and
 * writes. See docs/multi-site.md. */
#pragma once

#include <glib.h>
#include "relais-central-queue.h"

G_BEGIN_DECLS

#define RELAIS_CENTRAL_ERROR (relais_central_error_quark ())
typedef enum {
  RELAIS_CENTRAL_ERROR_UNREACHABLE = 1, /* no connection, or it dropped: try again later */
  RELAIS_CENTRAL_ERROR_REFUSED,         /* PostgreSQL refused this role the action */
  RELAIS_CENTRAL_ERROR_INVALID,         /* bad input, refused before anything is sent */
  RELAIS_CENTRAL_ERROR_QUERY,           /* any other failure of a statement */
} RelaisCentralError;
GQuark                        relais_central_error_quark (void);

/* One connection, used by one thread at a time (the caller serialises). */
typedef struct _RelaisCentral RelaisCentral;

/* @url: a libpq connection URI ("postgresql://site_a@centre/relais?
 * sslmode=verify-full"…). Fails with RELAIS_CENTRAL_ERROR_UNREACHABLE
 * when the server does not answer (within 5 s unless the URL says). A
 * connection that drops is made again by the next call. */
RelaisCentral                *relais_central_connect (const char *url,
                                                      GError    **error);
void                          relais_central_close (RelaisCentral *central);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentral, relais_central_close)

/* ---- the département's administration (the schema's owner) ---- */

/* The newest central schema version this program knows. */
int      relais_central_latest_version (void);
/* Creates or upgrades the central schema ("relais"), its policies and the
 * group role relais_site, in order, each version once. */
gboolean relais_central_migrate (RelaisCentral *owner,
                                 GError       **error);
int      relais_central_get_version (RelaisCentral *central);
/* A body that domiciles people (a CCAS, an association, a hospital):
 * @code is [a-z0-9-], 32 at most; @name as the consoles show it. Renames
 * it when it exists. */
gboolean relais_central_add_organisation (RelaisCentral *owner,
                                          const char    *code,
                                          const char    *name,
                                          GError       **error);
/* One site of @organisation, and the PostgreSQL role (LOGIN, member of
 * relais_site) its hub connects as: @role [a-z0-9_], 63 at most; the
 * password is sent already hashed (SCRAM-SHA-256). */
gboolean relais_central_add_site (RelaisCentral *owner,
                                  const char    *organisation,
                                  const char    *code,
                                  const char    *name,
                                  const char    *role,
                                  const char    *password,
                                  GError       **error);

/* ---- a site's hub (its own role) ---- */

/* Applies @changes (RelaisCentralChange, in order) in one transaction;
 * a change whose key the centre already applied is acknowledged without
 * being applied again. On success *@applied says how many were new. On
 * failure nothing of the batch is applied. */
gboolean relais_central_push (RelaisCentral *site,
                              GPtrArray     *changes,
                              guint         *applied,
                              GError       **error);

/* A person as the registry holds them. */
typedef struct {
  char *site; /* the home site's code */
  char *number;
  char *surname;
  char *first_names;
  char *birth_date;
  char *state;
  char *active_to;
} RelaisCentralPerson;
void relais_central_person_free (RelaisCentralPerson *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralPerson, relais_central_person_free)

/* Every person this role may read (its organisation's), by site and
 * number. */
GPtrArray *relais_central_people (RelaisCentral *site,
                                  GError       **error);

/* Another body (or another site) that domiciles this person, or has an
 * application or an adjournment under way: the coordination the law asks
 * for. Nothing else of the person crosses. */
typedef struct {
  char *organisation; /* the body's name */
  char *site;         /* the site's name */
  char *state;        /* "granted", "applied" or "adjourned" */
} RelaisCentralElsewhere;
void relais_central_elsewhere_free (RelaisCentralElsewhere *elsewhere);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralElsewhere, relais_central_elsewhere_free)

/* The same person: same surname and first first name (accents and case
 * folded, as the site's homonym check) and same birth date (YYYY-MM-DD).
 * An empty array when nobody else does. */
GPtrArray *relais_central_domiciled_elsewhere (RelaisCentral *site,
                                               const char    *surname,
                                               const char    *first_names,
                                               const char    *birth_date,
                                               GError       **error);
/* Down: the other sites' changes after (@xid, @pos), in order, @limit at
 * most (1,000), each the record's state now (RelaisCentralCopyRow, a
 * NULL name_key for a record deleted), for the site's local copy
 * (relais_db_central_copy_apply ()). */
GPtrArray *relais_central_pull (RelaisCentral *site,
                                gint64         xid,
                                gint64         pos,
                                guint          limit,
                                GError       **error);
/* The homonym key of a name, as mail_people.name_key holds it. */
char      *relais_central_name_key (const char *surname,
                                    const char *first_names);

G_END_DECLS
