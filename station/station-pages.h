/* station-pages.h: the station's screens, each an independent page of the
 * one window's GtkStack. A page asks to show another by emitting
 * "navigate" with its name ("home", "scan", "help"). */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

/* The welcome screen: emits "start" (const char *language) when the
 * resident begins. */
#define STATION_TYPE_WELCOME_PAGE (station_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (StationWelcomePage, station_welcome_page, STATION, WELCOME_PAGE, GtkBox)
GtkWidget *station_welcome_page_new (StationServices *services);

#define STATION_TYPE_HOME_PAGE (station_home_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHomePage, station_home_page, STATION, HOME_PAGE, GtkBox)
GtkWidget *station_home_page_new (StationServices *services);

#define STATION_TYPE_SCAN_PAGE (station_scan_page_get_type ())
G_DECLARE_FINAL_TYPE (StationScanPage, station_scan_page, STATION, SCAN_PAGE, GtkBox)
GtkWidget *station_scan_page_new        (StationServices *services);
/* What the buttons do, callable by tests. */
void       station_scan_page_scan       (StationScanPage *self);
void       station_scan_page_print      (StationScanPage *self);
/* Forgets every page scanned: the next resident finds nothing. */
void       station_scan_page_clear      (StationScanPage *self);
guint      station_scan_page_get_n_pages (StationScanPage *self);
gboolean   station_scan_page_is_busy    (StationScanPage *self);
/* The last job sent, 0 if none; its state as last seen. */
int        station_scan_page_get_job    (StationScanPage *self);
const char *station_scan_page_get_status (StationScanPage *self);

#define STATION_TYPE_HELP_PAGE (station_help_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHelpPage, station_help_page, STATION, HELP_PAGE, GtkBox)
GtkWidget  *station_help_page_new        (StationServices *services);
/* Raises a request of @category ("scanner", "printer", "website", "mail",
 * "safe", "other"); returns its id. */
const char *station_help_page_raise      (StationHelpPage *self,
                                          const char      *category);
/* The state of the current request as the hub last said ("raised",
 * "seen", "taken", …) or NULL. */
const char *station_help_page_get_state  (StationHelpPage *self);
/* The spoken language flagged on the next request ("en", "ar"…; NULL or
 * "fr" for none). */
void        station_help_page_set_language (StationHelpPage *self,
                                            const char      *code);
const char *station_help_page_get_status (StationHelpPage *self);

/* Emits "navigate" on @page. */
void       station_page_navigate        (GtkWidget  *page,
                                         const char *name);
/* Installs the "navigate" signal on a page class. */
void       station_page_class_add_navigate (GObjectClass *klass);

G_END_DECLS
