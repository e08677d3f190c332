/* station-enrol-window.h: the staff's screen at a station's first start
 * (no token yet): the hub's address and the one-time code `relais-hub
 * enroll station NAME` printed, then the hub's short fingerprint to
 * compare before anything is saved. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STATION_TYPE_ENROL_WINDOW (station_enrol_window_get_type ())
G_DECLARE_FINAL_TYPE (StationEnrolWindow, station_enrol_window, STATION, ENROL_WINDOW, GtkApplicationWindow)

/* @config_path: the key file the token and pin are written to; @hub_url:
 * the address proposed. Signal "enrolled": saved, the station may start
 * with its token. */
StationEnrolWindow *station_enrol_window_new (GtkApplication *application,
                                              const char     *config_path,
                                              const char     *hub_url);

G_END_DECLS
