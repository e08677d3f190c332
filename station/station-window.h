/* station-window.h: the kiosk's one window; screens are pages of a stack. */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_TYPE_WINDOW (station_window_get_type ())
G_DECLARE_FINAL_TYPE (StationWindow, station_window, STATION, WINDOW, GtkApplicationWindow)

/* @services is borrowed and must outlive the window. */
StationWindow *station_window_new (GtkApplication  *application,
                                   StationServices *services);
void           station_window_show_page (StationWindow *self,
                                         const char    *name);
/* The page widget called @name ("home", "scan", "help"). */
GtkWidget     *station_window_get_page (StationWindow *self,
                                        const char    *name);
const char    *station_window_get_link_text (StationWindow *self);
/* Rebuilds every page in @language ("fr", "en", "ar"…). */
void           station_window_set_language (StationWindow *self,
                                            const char    *language);
/* Ends the session after [station] idle-timeout seconds without a touch,
 * with a countdown over the screen the last 30 s. Runs every second; tests
 * call it after moving the session's clock. */
void           station_window_check_idle (StationWindow *self);
gboolean       station_window_is_counting_down (StationWindow *self);
/* "Terminer" was touched with work not saved: the window asks first. */
gboolean       station_window_is_asking_to_end (StationWindow *self);

G_END_DECLS
