/* station-stepper.c: StationStepper, a number changed with big "−" and
 * "+" only (station-stepper.h). */

#include "station-stepper.h"
#include "station-widgets.h"

struct _StationStepper {
  GtkSpinButton parent_instance;
};

G_DEFINE_FINAL_TYPE (StationStepper, station_stepper, GTK_TYPE_SPIN_BUTTON)

/* GTK 3 works out whether "−" and "+" can be touched when the value
 * changes, and not while the spin button is read-only: a range given
 * after the button was made read-only (as a template gives it) would show
 * both greyed out. So the value is said again, editable for that moment,
 * whenever the range changes. */
static void
adjustment_changed_cb (StationStepper *self)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self));

  gtk_editable_set_editable (GTK_EDITABLE (self), TRUE);
  g_signal_emit_by_name (adjustment, "value-changed");
  /* "−" and "+" only: typing would need a keypad for one number. */
  gtk_editable_set_editable (GTK_EDITABLE (self), FALSE);
}

static void
station_stepper_class_init (StationStepperClass *klass)
{
}

static void
station_stepper_init (StationStepper *self)
{
  /* As gtk_spin_button_new_with_range () sets them. */
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self), TRUE);
  g_object_set (self, "climb-rate", 1.0, NULL);
  gtk_widget_set_can_focus (GTK_WIDGET (self), FALSE);
  gtk_entry_set_width_chars (GTK_ENTRY (self), 2);
  gtk_entry_set_alignment (GTK_ENTRY (self), 0.5);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-stepper");
  g_signal_connect (self, "notify::adjustment", G_CALLBACK (adjustment_changed_cb), NULL);
  adjustment_changed_cb (self);
}

GtkWidget *
station_stepper_new (int         min,
                     int         max,
                     const char *name)
{
  /* As gtk_spin_button_new_with_range () makes it. */
  GtkAdjustment *adjustment = gtk_adjustment_new (min, min, max, 1, 10, 0);
  GtkWidget     *spin = g_object_new (STATION_TYPE_STEPPER, "adjustment", adjustment, "digits", 0, NULL);

  atk_object_set_name (gtk_widget_get_accessible (spin), name);
  return spin;
}
