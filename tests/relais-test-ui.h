/* relais-test-ui.h: helpers for the GTK tests under Xvfb. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Points HOME and the XDG user dirs at a fresh temporary folder, keeping
 * the system's XDG_DATA_DIRS that GTK needs. */
void     relais_test_ui_isolate_user_dirs (void);
/* Lets GTK lay out and draw for @ms milliseconds. */
void     relais_test_ui_settle     (guint      ms);
/* Saves what @window shows as PNG in the artefacts folder; returns the
 * path (owned). */
char    *relais_test_ui_screenshot (GtkWidget  *window,
                                    const char *name);

G_END_DECLS
