/* station-browser-page.h: "Internet", one page of the window's GtkStack:
 * the sites staff chose, and an ephemeral web browser. Built into the
 * module relais-station-browser, which links WebKit: the station makes
 * it through station-browser.h and calls none of these; the tests link
 * the page and call them. */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_BROWSER_PAGE (station_browser_page_get_type ())
G_DECLARE_FINAL_TYPE (StationBrowserPage, station_browser_page, STATION, BROWSER_PAGE, StationPage)

GtkWidget  *station_browser_page_new (StationServices *services);
/* The person's browser, made ahead when a session begins ("prewarm" of
 * [browser]): TRUE once its web process has started. */
gboolean    station_browser_page_spare_ready (void);
/* Ends it (the station's end; tests): its processes, its empty uploads'
 * folder and its sandbox's files in the runtime dir go. */
void        station_browser_page_forget_spare (void);
/* Opens @uri in the page's web view (made now if it is not yet): what a
 * site's tile or the address bar does. A refused address shows why. */
void        station_browser_page_open (StationBrowserPage *self,
                                       const char         *uri);
/* The web view shown (the first tab's, or a pop-up's), NULL before a site
 * is opened: a GtkWidget that is a WebKitWebView. */
GtkWidget  *station_browser_page_get_view (StationBrowserPage *self);
/* How many tabs are open (the person's own and the pop-ups). */
guint       station_browser_page_get_n_tabs (StationBrowserPage *self);
/* What the problem screen says, NULL when none is shown. */
const char *station_browser_page_get_problem (StationBrowserPage *self);
/* The text of a page's alert () or confirm () shown, else NULL. */
const char *station_browser_page_get_question (StationBrowserPage *self);
/* The last file the site gave in this session (borrowed), else NULL. */
GBytes     *station_browser_page_get_download (StationBrowserPage *self);
/* The print job followed, 0 when none. */
int         station_browser_page_get_print_job (StationBrowserPage *self);
/* What the status line says. */
const char *station_browser_page_get_status (StationBrowserPage *self);
/* "sites", "web", "problem" or "chooser" (a site asked for a file). */
const char *station_browser_page_get_view_name (StationBrowserPage *self);
/* The chooser shows what may be sent (gathered, ready to be touched). */
gboolean    station_browser_page_is_choosing (StationBrowserPage *self);
/* The name of the last file given to a site, NULL before any. */
const char *station_browser_page_get_uploaded_name (StationBrowserPage *self);
/* "Sur ma clé USB" for the file the site gave. */
void        station_browser_page_save_download_usb (StationBrowserPage *self);
/* The on-screen keyboard while a site's text field has the focus, else
 * NULL (a StationKeyboard). */
GtkWidget  *station_browser_page_get_keyboard (StationBrowserPage *self);
/* Tests: @root (a folder) stands for the USB key; NULL: the real keys. */
void        station_browser_page_set_key_root (StationBrowserPage *self,
                                               GFile              *root);

G_END_DECLS
