/* mediator-stations.h: the console's view of the site's stations. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_STATIONS (mediator_stations_get_type ())
G_DECLARE_FINAL_TYPE (MediatorStations, mediator_stations, MEDIATOR, STATIONS, GtkBox)

GtkWidget  *mediator_stations_new (RelaisLink *link);
/* What the row of @name says, for tests: "online", "offline", or NULL. */
const char *mediator_stations_get_link (MediatorStations *self,
                                        const char       *name);
const char *mediator_stations_get_step (MediatorStations *self,
                                        const char       *name);
/* The activity shown for @name ("libre", "en cours d'utilisation depuis
 * 3 min — numérisation", "fin de session dans 25 s…"), or NULL. */
const char *mediator_stations_get_activity (MediatorStations *self,
                                            const char       *name);
/* That sentence for @station at @now_ms. */
char       *mediator_stations_activity_text (const RelaisStationStatus *station,
                                             gint64                     now_ms);

G_END_DECLS
