/* station-home-page.h: the choice of what to do, one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_HOME_PAGE (station_home_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHomePage, station_home_page, STATION, HOME_PAGE, StationPage)
GtkWidget *station_home_page_new (StationServices *services);

G_END_DECLS
