/* station-window.h: the kiosk's one window; screens are pages of a stack. */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_TYPE_WINDOW (station_window_get_type ())
G_DECLARE_FINAL_TYPE (StationWindow, station_window, STATION, WINDOW, GtkApplicationWindow)

/* @services is borrowed and must outlive the window. */
StationWindow *station_window_new      (GtkApplication  *application,
                                        StationServices *services);
void           station_window_show_page (StationWindow  *self,
                                         const char     *name);
/* The page widget called @name ("home", "scan", "help"). */
GtkWidget     *station_window_get_page (StationWindow   *self,
                                        const char      *name);
const char    *station_window_get_link_text (StationWindow *self);

G_END_DECLS
