/* station-help-page.h: asking a mediator for help, one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_HELP_PAGE (station_help_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHelpPage, station_help_page, STATION, HELP_PAGE, StationPage)
GtkWidget  *station_help_page_new (StationServices *services);
/* Raises a request of @category ("scanner", "printer", "website", "mail",
 * "safe", "other"); returns its id. */
const char *station_help_page_raise (StationHelpPage *self,
                                     const char      *category);
/* The state of the current request as the hub last said ("raised",
 * "seen", "taken", …) or NULL. */
const char *station_help_page_get_state (StationHelpPage *self);
/* The spoken language sent with the next request ("fr", "en", "ar"…;
 * NULL for French), shown selected under "Je parle". A new page starts on
 * the session's language. */
void        station_help_page_set_language (StationHelpPage *self,
                                            const char      *code);
const char *station_help_page_get_language (StationHelpPage *self);
const char *station_help_page_get_status (StationHelpPage *self);

G_END_DECLS
