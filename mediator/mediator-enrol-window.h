/* mediator-enrol-window.h: the staff's screen at a console's first start
 * (no token yet): the hub's address and the one-time code `relais-hub
 * enroll console NAME` printed, then the hub's short fingerprint to
 * compare before anything is saved. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEDIATOR_TYPE_ENROL_WINDOW (mediator_enrol_window_get_type ())
G_DECLARE_FINAL_TYPE (MediatorEnrolWindow, mediator_enrol_window, MEDIATOR, ENROL_WINDOW, GtkApplicationWindow)

/* @config_path: the key file the token and pin are written to; @hub_url:
 * the address proposed. Signal "enrolled": saved, the console may start
 * with its token. */
MediatorEnrolWindow *mediator_enrol_window_new (GtkApplication *application,
                                              const char     *config_path,
                                              const char     *hub_url);

G_END_DECLS
