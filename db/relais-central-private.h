/* relais-central-private.h: what the central registry's files share
 * (relais-central.c and relais-central-safe.c), nobody else. */
#pragma once

#include <libpq-fe.h>
#include "relais-central.h"

G_BEGIN_DECLS

/* The connection, made again if it dropped; NULL with @error. */
PGconn  *_relais_central_conn (RelaisCentral *central,
                               GError       **error);
/* Sets @error from @result (or the connection when NULL) as the other
 * calls do: UNREACHABLE, REFUSED (SQLSTATE 42501) or QUERY. FALSE. */
gboolean _relais_central_fail (RelaisCentral *central,
                               PGresult      *result,
                               GError       **error);

G_END_DECLS
