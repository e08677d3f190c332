/* station-usb-page.h: "Imprimer depuis une clé USB", one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

/* "Imprimer depuis une clé USB" (station-usb-page.c): the key's PDF and
 * pictures, a preview with the page count, then print and follow. */
#define STATION_TYPE_USB_PAGE (station_usb_page_get_type ())
G_DECLARE_FINAL_TYPE (StationUsbPage, station_usb_page, STATION, USB_PAGE, StationPage)
GtkWidget  *station_usb_page_new (StationServices *services);
/* Lists the newest key again (done on its own when a key comes or goes,
 * and when the page is shown). */
void        station_usb_page_refresh (StationUsbPage *self);
/* Lists @root instead of the keys (tests; NULL: the keys again). */
void        station_usb_page_set_root (StationUsbPage *self,
                                       GFile          *root);
guint       station_usb_page_get_n_files (StationUsbPage *self);
/* Opens and previews file @index of the list. */
void        station_usb_page_select (StationUsbPage *self,
                                     guint           index);
/* Pages of the file opened; 0 when none is, or it could not be read. */
int         station_usb_page_get_n_pages (StationUsbPage *self);
gboolean    station_usb_page_can_duplex (StationUsbPage *self);
/* What the choices do, callable by tests; @ranges "" or NULL for all. */
void        station_usb_page_set_options (StationUsbPage *self,
                                          int             copies,
                                          const char     *ranges,
                                          gboolean        colour,
                                          gboolean        duplex);
void        station_usb_page_print (StationUsbPage *self);
gboolean    station_usb_page_is_busy (StationUsbPage *self);
int         station_usb_page_get_job (StationUsbPage *self);
const char *station_usb_page_get_status (StationUsbPage *self);

G_END_DECLS
