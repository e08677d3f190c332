/* station-page.h: what every page of the station's window is: a box
 * built from its template, given the application's StationServices as
 * the construct-only "services" property, that asks the window for
 * another page with "navigate" (a page's name: "home", "scan", "help"…).
 * Its template's buttons do that with the "page.navigate" action and an
 * action-target ('home'); a page adds its own actions to the same "page"
 * group (station_page_get_actions ()). */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_TYPE_PAGE (station_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (StationPage, station_page, STATION, PAGE, GtkBox)

struct _StationPageClass {
  GtkBoxClass parent_class;

  gpointer    padding[4];
};

/* The application's services (borrowed: they outlive every page). */
StationServices *station_page_get_services (StationPage *self);
/* The same, for a page's own code: STATION_PAGE_SERVICES (self)->scanner. */
#define STATION_PAGE_SERVICES(page) (station_page_get_services (STATION_PAGE (page)))
/* The page's "page" action group, holding "navigate" (borrowed). */
GActionMap *station_page_get_actions (StationPage *self);

G_END_DECLS
