/* station-entry.c: StationEntry, the kiosk's big entry without a context
 * menu (station-entry.h). */

#include "station-entry.h"
#include "station-widgets.h"

struct _StationEntry {
  GtkEntry parent_instance;
};

G_DEFINE_FINAL_TYPE (StationEntry, station_entry, GTK_TYPE_ENTRY)

/* An entry's menu (cut, copy, paste, emoji, input methods) has small
 * items and leads to an emoji chooser: nothing a finger needs here, and a
 * way into GTK's own dialogs. */
static gboolean
no_menu_pressed_cb (GtkWidget      *entry,
                    GdkEventButton *event,
                    gpointer        data)
{
  return gdk_event_triggers_context_menu ((GdkEvent *) event);
}

static gboolean
station_entry_popup_menu (GtkWidget *widget)
{
  return TRUE;
}

static void
station_entry_class_init (StationEntryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->popup_menu = station_entry_popup_menu;
}

static void
station_entry_init (StationEntry *self)
{
  gtk_entry_set_input_hints (GTK_ENTRY (self), GTK_INPUT_HINT_NO_EMOJI);
  /* Connected first, so that a right click stops before the handlers a
   * page adds (a keypad taking the field). */
  g_signal_connect (self, "button-press-event", G_CALLBACK (no_menu_pressed_cb), NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-big-entry");
}

GtkWidget *
station_entry_new (const char *name,
                   const char *placeholder)
{
  GtkWidget *entry = g_object_new (STATION_TYPE_ENTRY, "placeholder-text", placeholder, NULL);

  atk_object_set_name (gtk_widget_get_accessible (entry), name);
  return entry;
}
