/* mediator-dates.h: dates between the hub's AAAA-MM-JJ and the desk's
 * JJ/MM/AAAA. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A date as a person types it (JJ/MM/AAAA, JJMMAAAA…; AAAA-MM-JJ too)
 * as the hub's AAAA-MM-JJ, or NULL when it is no date. */
char *mediator_date_to_iso (const char *typed);
/* The hub's "1992-09-17" as the desk reads and types it: "17/09/1992";
 * @none for NULL; anything not of that shape as it is. */
char *mediator_date_fr (const char *iso,
                        const char *none);

G_END_DECLS
