/* station-widgets.h: the station's screens are independent pages of the
 * one window's GtkStack. A page asks to show another by emitting
 * "navigate" with its name ("home", "scan", "help"). */
#pragma once

#include <gtk/gtk.h>
#include "station-choice.h"
#include "station-stepper.h"
#include "station-entry.h"

G_BEGIN_DECLS

/* The kiosk's building blocks: each is at least 48 × 48 px and has a
 * name a screen reader speaks. The classes (StationChoice, StationCheck,
 * StationStepper, StationEntry) can be used in templates; these are
 * shorthands for code that builds them by hand. */

/* One choice of a group (a radio button that looks like a big button):
 * @icon's pictogram beside @label, which wraps. @group: another choice of
 * the group, NULL for the first. */
GtkWidget  *station_choice_new (GtkWidget  *group,
                                const char *icon,
                                const char *label);
/* A yes/no choice (a check button), as big and in the same look. */
GtkWidget  *station_check_new (const char *icon,
                               const char *label);
/* A StationStepper from @min to @max, called @name for screen readers. */
GtkWidget  *station_stepper_new (int         min,
                                 int         max,
                                 const char *name);
/* A StationEntry called @name for screen readers. */
GtkWidget  *station_entry_new (const char *name,
                               const char *placeholder);
/* Lets @label wrap at @max_chars characters, so that a long sentence
 * (or its translation) never widens the screen. */
void        station_label_wrap (GtkWidget *label,
                                int        max_chars);
/* A button's words as the resident reads them (its mnemonic's "_"
 * dropped), to quote it in a sentence: « touchez « Continuer » ». */
char       *station_label_plain (const char *label);
/* A large button with a mnemonic, in the kiosk's style, plus @css_class
 * when not NULL ("relais-primary", "relais-help-button"…). */
GtkWidget  *station_page_big_button (const char *label,
                                     const char *css_class);
/* Shows @text in a page's status @label, coloured by @css_class
 * ("relais-status-ok", "-wait", "-problem"; NULL for none), and keeps it in
 * *@kept (freed and replaced) for the page's get_status (). */
void        station_page_set_status (GtkWidget  *label,
                                     char      **kept,
                                     const char *css_class,
                                     const char *text);
/* Emits "navigate" on @page. */
void        station_page_navigate (GtkWidget  *page,
                                   const char *name);
/* Installs the "navigate" signal on a page class. StationPage does it
 * for its subclasses: this and station_page_add_actions () are for a page
 * that does not derive from it yet (the safe page). */
void        station_page_class_add_navigate (GObjectClass *klass);
/* Gives @page its "page" action group, holding "page.navigate" (a page's
 * name, "s"): a button of a template whose action-name is page.navigate
 * and action-target 'home' emits "navigate" ("home"). The page adds its
 * own actions to the group returned (borrowed). */
GActionMap *station_page_add_actions (GtkWidget *page);

G_END_DECLS
