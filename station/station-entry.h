/* station-entry.h: a big entry with no context menu (a finger has no use
 * for cut/paste/emoji, and the emoji chooser is a way into GTK's own
 * dialogs), usable from a template: give it an accessible name there. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STATION_TYPE_ENTRY (station_entry_get_type ())
G_DECLARE_FINAL_TYPE (StationEntry, station_entry, STATION, ENTRY, GtkEntry)

G_END_DECLS
