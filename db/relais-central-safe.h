/* relais-central-safe.h: what else the département's central registry
 * holds (issue 19): the safes (ciphertext and public data; the key file
 * never), the accounts' directory (no password), the monthly statistics
 * and the département's view of them. See docs/multi-site.md. */
#pragma once

#include <glib.h>
#include "relais-central.h"
#include "relais-central-up.h"

G_BEGIN_DECLS

/* The central migration (3) that makes them. */
extern const char  relais_central_migration_shared[];

/* ---- the département's administration (the schema's owner) ---- */

/* A LOGIN role in relais_departement, for the département's reports:
 * it reads the statistics summed over every site and the accounts'
 * directory, nothing of the people or the safes. @role [a-z0-9_], 63 at
 * most; the password is sent already hashed (SCRAM-SHA-256). */
gboolean           relais_central_add_departement_role (RelaisCentral *owner,
                                                        const char    *role,
                                                        const char    *password,
                                                        GError       **error);

/* ---- a site's hub (its own role) ---- */

/* Applies @ups (RelaisCentralUp, loaded, in order) in one transaction; a
 * key the centre already applied is acknowledged and not applied again.
 * *@applied says how many were new. On failure nothing is applied. */
gboolean           relais_central_push_up (RelaisCentral *site,
                                           GPtrArray     *ups,
                                           guint         *applied,
                                           GError       **error);

/* A safe of any site by the number on its card, for this site to open
 * it: NULL (no error) when the centre has none, or two (the number is
 * ambiguous between two sites: neither is given). Each fetch is
 * journaled at the centre (relais.safe_fetches). */
RelaisCentralSafe *relais_central_safe_fetch (RelaisCentral *site,
                                              const char    *number,
                                              GError       **error);
/* The documents of @safe (RelaisCentralSafeDocument, oldest first) but
 * those in @have (ids), each read as it is stored: ciphertext. */
GPtrArray         *relais_central_safe_documents (RelaisCentral     *site,
                                                  RelaisCentralSafe *safe,
                                                  GHashTable        *have,
                                                  GError           **error);

/* ---- the département's role ---- */

/* One month over every site (key "YYYY-MM"), or one site's month. */
typedef struct {
  char              *month;
  char              *site; /* NULL in the sums */
  gint64             sites;
  RelaisCentralMonth counts;
} RelaisCentralMonthRow;

void relais_central_month_row_free (RelaisCentralMonthRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralMonthRow, relais_central_month_row_free)

/* The sums by month over every site (RelaisCentralMonthRow), oldest
 * first: what relais.departement_months says; refused (REFUSED) to a
 * site's role. */
GPtrArray *relais_central_departement_months (RelaisCentral *departement,
                                              GError       **error);

G_END_DECLS
