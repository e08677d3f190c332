/* relais-test-ui.h: helpers for the GTK tests under Xvfb. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The start of every UI test's main (), as the programs start: GLib's
 * test harness, the user's own dirs made private (not
 * G_TEST_OPTION_ISOLATE_DIRS: GTK needs the system's data dirs, icons and
 * MIME database), the resident's language machinery when @with_i18n
 * (relais_i18n_init (), before any thread: the station changes LANGUAGE
 * later), then GTK. */
void       relais_test_ui_init (int     *argc,
                                char  ***argv,
                                gboolean with_i18n);
/* Points HOME and the XDG user dirs at a fresh temporary folder, keeping
 * the system's XDG_DATA_DIRS that GTK needs. */
void       relais_test_ui_isolate_user_dirs (void);
/* Lets GTK lay out and draw for @ms milliseconds. */
void       relais_test_ui_settle (guint ms);
/* Touches @widget in its middle as a finger does: a real press and
 * release through the X server (XTEST), then lets GTK handle them. */
void       relais_test_ui_touch (GtkWidget *widget);
/* The key inside @root (drawn now) of an on-screen keypad or keyboard
 * that types @key (its "keypad.press" or "keyboard.press" target). */
GtkWidget *relais_test_ui_find_key (GtkWidget  *root,
                                    const char *key);
/* The button inside @root (drawn now) that a screen reader calls @name;
 * none is a fatal error. */
GtkWidget *relais_test_ui_find_named (GtkWidget  *root,
                                      const char *name);
/* The same, NULL when there is none. */
GtkWidget *relais_test_ui_lookup_named (GtkWidget  *root,
                                        const char *name);
/* Saves what @window shows as PNG in the artefacts folder; returns the
 * path (owned). */
char      *relais_test_ui_screenshot (GtkWidget  *window,
                                      const char *name);

/* The first widget of @type under @root (itself included) whose labels
 * hold @text (NULL: any), or NULL. */
GtkWidget *relais_test_ui_find (GtkWidget  *root,
                                GType       type,
                                const char *text);
/* TRUE when a label, button or entry under @root, shown or not, holds
 * @text. */
gboolean   relais_test_ui_has_text (GtkWidget  *root,
                                    const char *text);
/* The same, counting only what a person can see (mapped: not on a
 * stack's hidden page, not in a hidden window). */
gboolean   relais_test_ui_shows_text (GtkWidget  *root,
                                      const char *text);
/* Characters that the fonts cannot draw (the "missing glyph" boxes) in
 * the labels shown under @root; each label concerned is named in @report. */
guint      relais_test_ui_count_unknown_glyphs (GtkWidget *root,
                                                GString   *report);

G_END_DECLS
