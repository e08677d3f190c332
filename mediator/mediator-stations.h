/* mediator-stations.h: the console's view of the site's stations. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_STATIONS (mediator_stations_get_type ())
G_DECLARE_FINAL_TYPE (MediatorStations, mediator_stations, MEDIATOR, STATIONS, GtkBox)

GtkWidget  *mediator_stations_new      (RelaisLink       *link);
/* What the row of @name says, for tests: "online", "offline", or NULL. */
const char *mediator_stations_get_link (MediatorStations *self,
                                        const char       *name);
const char *mediator_stations_get_step (MediatorStations *self,
                                        const char       *name);

G_END_DECLS
