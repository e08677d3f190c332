/* station-keypad.h: a big keypad for numbers, dates and page lists, that
 * types into the field the resident touched last. The safe, "Mon
 * courrier" and the USB page's pages use it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  STATION_KEYPAD_DIGITS = 1, /* a number: 0 to 9 */
  STATION_KEYPAD_DATE,       /* JJ/MM/AAAA: the slashes come by themselves */
  STATION_KEYPAD_PAGES,      /* pages to print: digits, "–" (to) and "," (and) */
} StationKeypadKind;

#define STATION_TYPE_KEYPAD (station_keypad_get_type ())
G_DECLARE_FINAL_TYPE (StationKeypad, station_keypad, STATION, KEYPAD, GtkGrid)

GtkWidget *station_keypad_new (void);
/* The keys type into @entry once it is touched or has the focus; the
 * first entry attached takes them until then. Sets @entry's
 * "station-touch-input" data to the keypad. */
void       station_keypad_attach (StationKeypad    *self,
                                  GtkEntry         *entry,
                                  StationKeypadKind kind);
/* Where the keys type now. */
GtkEntry  *station_keypad_get_target (StationKeypad *self);
void       station_keypad_set_target (StationKeypad *self,
                                      GtkEntry      *entry);
/* Touches key @key ("0" to "9", "-", ",", "back"), as a finger does. */
void       station_keypad_press (StationKeypad *self,
                                 const char    *key);

/* A keypad or keyboard shown under @entry while it is being filled, for
 * a field that does not leave room for one beside it: it opens when
 * @entry is touched or focused, and closes with its "done" signal or
 * when the screen changes. @input is a StationKeypad or StationKeyboard
 * already attached to @entry. Returns: (transfer none): the popover. */
GtkWidget *station_touch_input_popover (GtkWidget *entry,
                                        GtkWidget *input);

G_END_DECLS
