/* relais-hub-central-safe.h: the site's second queue to the central
 * registry (issue 19): safes, accounts' directory, monthly statistics. */
#pragma once

#include "relais-hub.h"

G_BEGIN_DECLS

/* Entries not yet acknowledged by the centre; -1 without [central]. */
gint64  relais_hub_central_up_pending (RelaisHub *self);
/* Entries the centre acknowledged since the hub started. */
guint64 relais_hub_central_up_pushed (RelaisHub *self);
/* Safes fetched from the centre at the door since the hub started. */
guint64 relais_hub_central_safes_fetched (RelaisHub *self);

G_END_DECLS
