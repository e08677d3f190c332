/* station-browser.h: the station's side of its browser. The "Internet"
 * page and WebKit live in a module (relais-station-browser, GModule)
 * that the station loads only when a session needs it: at rest the
 * station's process maps no WebKit at all (issue 14: "RSS at rest
 * unchanged"). Nothing here links WebKit. */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_BROWSER_ERROR (station_browser_error_quark ())
typedef enum {
  STATION_BROWSER_ERROR_MODULE = 1, /* missing, unreadable or of another version */
} StationBrowserError;
GQuark     station_browser_error_quark (void);

/* Before GTK and any thread (main ()): what WebKit's own processes,
 * which inherit the station's environment, must never write to disk,
 * and the EGL the station's own process must never open. */
void       station_browser_prepare_environment (void);
/* The "browser" page (a StationBrowserPage), the module loaded the first
 * time; NULL with @error when it cannot be. A program that links the
 * page itself (the tests) registers its type first (g_type_ensure ()):
 * no module is loaded then. */
GtkWidget *station_browser_new_page (StationServices *services,
                                     GError         **error);
/* Whether WebKit was loaded into this process (it can never leave it:
 * see station-application.c's renewal). */
gboolean   station_browser_is_loaded (void);
/* Whether the browser can be had: its page registered, or its module on
 * disk. A station installed without it shows no "Internet" tile. */
gboolean   station_browser_available (void);
/* The station's end: the browser made ahead, if any, goes with its
 * processes and its files (station_browser_page_forget_spare ()). */
void       station_browser_shutdown (void);

/* What a browser leaves in the runtime dir, removed by name (no WebKit
 * needed): */
/* @folder and the files in it (one level: the uploads' folder, a
 * sandbox's instance folder hold no folder). */
void       station_browser_remove_folder (const char *folder);
/* The folders WebKit's sandbox left for its web processes. */
void       station_browser_forget_sandbox_files (void);
/* A stopped station's uploads' folders and sandbox folders; once per
 * process, before its first web context. */
void       station_browser_forget_leftovers (void);

G_END_DECLS
