/* station-stepper.h: a number changed with big "−" and "+" only (a
 * GtkSpinButton that cannot be typed into), usable from a template: give
 * it an adjustment and an accessible name there. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STATION_TYPE_STEPPER (station_stepper_get_type ())
G_DECLARE_FINAL_TYPE (StationStepper, station_stepper, STATION, STEPPER, GtkSpinButton)

G_END_DECLS
