/* station-application.h: the kiosk application. */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_TYPE_APPLICATION (station_application_get_type ())
G_DECLARE_FINAL_TYPE (StationApplication, station_application, STATION, APPLICATION, GtkApplication)

StationApplication *station_application_new (void);
/* The run ended for a new process of the station (after a session that
 * loaded the browser): main () executes the program again. */
gboolean            station_application_renews (StationApplication *self);
/* Loads the CSS of the kiosk once per display. */
void                station_load_css (void);

G_END_DECLS
