/* station-keyboard.h: an on-screen keyboard for a name or a login, in the
 * session's language and script: French with its accents, Spanish,
 * Portuguese, Romanian and Turkish letters, Arabic letters (and Latin
 * ones a touch away). Big keys, each with a name a screen reader speaks. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STATION_TYPE_KEYBOARD (station_keyboard_get_type ())
G_DECLARE_FINAL_TYPE (StationKeyboard, station_keyboard, STATION, KEYBOARD, GtkBox)

/* @language: "fr", "en", "ar", "es", "pt", "ro" or "tr" (others: "en"). */
GtkWidget *station_keyboard_new (const char *language);
/* The keys type into @entry (one entry per keyboard). Sets @entry's
 * "station-touch-input" data to the keyboard. */
void       station_keyboard_attach (StationKeyboard *self,
                                    GtkEntry        *entry);
/* Shows the Latin letters, not the language's own (a mediator's login is
 * written in Latin letters whatever the resident reads). */
void       station_keyboard_show_latin (StationKeyboard *self,
                                        gboolean         latin);
/* A capital to begin with, as on a phone (a document's name; not a
 * login). Off by default. */
void       station_keyboard_set_capitalize (StationKeyboard *self,
                                            gboolean         capitalize);
/* Touches key @key as a finger does: a character ("é", "ش", "7"), or
 * "space", "back", "shift", "script" (Latin ↔ the language's letters) or
 * "done" (emits "done"). */
void       station_keyboard_press (StationKeyboard *self,
                                   const char      *key);
/* The characters on the keys shown now, for tests. */
char      *station_keyboard_dup_keys (StationKeyboard *self);

G_END_DECLS
