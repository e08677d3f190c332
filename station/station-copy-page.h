/* station-copy-page.h: "Photocopie", one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

/* "Photocopie" (station-copy-page.c): scan the glass, print N copies. */
#define STATION_TYPE_COPY_PAGE (station_copy_page_get_type ())
G_DECLARE_FINAL_TYPE (StationCopyPage, station_copy_page, STATION, COPY_PAGE, StationPage)
GtkWidget  *station_copy_page_new (StationServices *services);
void        station_copy_page_copy (StationCopyPage *self,
                                    int              copies,
                                    gboolean         colour);
gboolean    station_copy_page_is_busy (StationCopyPage *self);
int         station_copy_page_get_job (StationCopyPage *self);
const char *station_copy_page_get_status (StationCopyPage *self);

G_END_DECLS
