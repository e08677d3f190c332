/* relais-hub-central-setup.h: `relais-hub central-setup`, the
 * département's side of the central registry (issue 19): the schema, the
 * bodies, the sites and their roles. See docs/multi-site.md. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `relais-hub central-setup URL [organisation CODE NOM | site
 * ORGANISATION CODE NOM RÔLE]` with @args (after "central-setup"); the
 * site role's password is read from @password_in (its first line). Says
 * what it did on standard output, why not on standard error. Returns the
 * exit status. */
int relais_hub_central_setup_run (int                 n_args,
                                  const char * const *args,
                                  FILE               *password_in);

G_END_DECLS
