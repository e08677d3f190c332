/* station-scan-page.h: "Scanner un document", one page of the window's GtkStack
 * (a page asks for another with "navigate": station-widgets.h). */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_SCAN_PAGE (station_scan_page_get_type ())
G_DECLARE_FINAL_TYPE (StationScanPage, station_scan_page, STATION, SCAN_PAGE, StationPage)
GtkWidget  *station_scan_page_new (StationServices *services);
/* What the buttons do, callable by tests. */
void        station_scan_page_scan (StationScanPage *self);
void        station_scan_page_print (StationScanPage *self);
/* Hands the document to the digital safe page. */
void        station_scan_page_save_safe (StationScanPage *self);
/* Forgets every page scanned: the next resident finds nothing. */
void        station_scan_page_clear (StationScanPage *self);
guint       station_scan_page_get_n_pages (StationScanPage *self);
/* Pages scanned and not yet printed nor saved (nor a card's front alone):
 * ending the session would lose them. */
gboolean    station_scan_page_has_unsaved_work (StationScanPage *self);
gboolean    station_scan_page_is_busy (StationScanPage *self);
/* The last job sent, 0 if none; its state as last seen. */
int         station_scan_page_get_job (StationScanPage *self);
const char *station_scan_page_get_status (StationScanPage *self);
/* The document being made (station-scan-page.c): pages in order; the
 * selected one is what rotate, move and delete act on. */
void        station_scan_page_set_options (StationScanPage *self,
                                           RelaisScanMode   mode,
                                           gboolean         feeder,
                                           gboolean         web,
                                           int              copies);
/* "Remettre la feuille droite" (a letter, a form): each page scanned
 * (not a card's) straightened and without the scanner's dark edge. */
void        station_scan_page_set_document (StationScanPage *self,
                                            gboolean         document);
/* "Carte d'identité (recto et verso)": two scans, one page. */
void        station_scan_page_set_card (StationScanPage *self,
                                        gboolean         card);
/* TRUE while a card's front waits for its back. */
gboolean    station_scan_page_has_card_front (StationScanPage *self);
void        station_scan_page_select (StationScanPage *self,
                                      guint            index);
void        station_scan_page_rotate (StationScanPage *self);
void        station_scan_page_delete (StationScanPage *self);
void        station_scan_page_move (StationScanPage *self,
                                    int              delta);
RelaisPage *station_scan_page_get_page (StationScanPage *self,
                                        guint            index);
void        station_scan_page_save_usb (StationScanPage *self);
/* Size of the last "Pour un site internet" PDF, 0 if none made. */
gsize       station_scan_page_get_web_size (StationScanPage *self);

G_END_DECLS
