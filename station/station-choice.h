/* station-choice.h: the kiosk's big choices, usable from a template: a
 * StationChoice is one choice of a group (a radio button that looks like a
 * big button), a StationCheck a yes/no choice (a check button) in the same
 * look. Both show their "icon-name" pictogram beside their "text", which
 * wraps and names the button for screen readers. One header for the two:
 * they are one look on two GTK parents, built by one helper. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STATION_TYPE_CHOICE (station_choice_get_type ())
G_DECLARE_FINAL_TYPE (StationChoice, station_choice, STATION, CHOICE, GtkRadioButton)

#define STATION_TYPE_CHECK (station_check_get_type ())
G_DECLARE_FINAL_TYPE (StationCheck, station_check, STATION, CHECK, GtkCheckButton)

G_END_DECLS
