/* relais-enrol-window.h: the staff's screen at the first start of a
 * station or a console (no token yet): the hub's address and the
 * one-time code `relais-hub enroll station|console NAME` printed, then the
 * hub's short fingerprint to compare before anything is saved. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RELAIS_TYPE_ENROL_WINDOW (relais_enrol_window_get_type ())
G_DECLARE_FINAL_TYPE (RelaisEnrolWindow, relais_enrol_window, RELAIS, ENROL_WINDOW, GtkApplicationWindow)

/* @kind: "station" or "console" (a code for the other kind is refused in
 * plain words); @config_path: the key file the token and pin are written
 * to; @hub_url: the address proposed. Signal "enrolled": saved, the
 * program may start with its token. */
RelaisEnrolWindow *relais_enrol_window_new (GtkApplication *application,
                                            const char     *kind,
                                            const char     *config_path,
                                            const char     *hub_url);

G_END_DECLS
