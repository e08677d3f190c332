/* station-welcome-page.h: the first screen, where a resident begins, one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

/* The welcome screen: emits "start" (const char *language) when the
 * resident begins. */
#define STATION_TYPE_WELCOME_PAGE (station_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (StationWelcomePage, station_welcome_page, STATION, WELCOME_PAGE, StationPage)
GtkWidget *station_welcome_page_new (StationServices *services);

G_END_DECLS
