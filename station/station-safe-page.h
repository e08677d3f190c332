/* station-safe-page.h: "Mon coffre-fort": a resident's papers, encrypted,
 * opened with the card's number and a PIN on a big keypad. Decrypted
 * documents live in memory only and go with the page at the session's end. */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

#define STATION_TYPE_SAFE_PAGE (station_safe_page_get_type ())
G_DECLARE_FINAL_TYPE (StationSafePage, station_safe_page, STATION, SAFE_PAGE, GtkBox)

GtkWidget  *station_safe_page_new (StationServices *services);
/* The scan page's hook ("Mettre dans mon coffre-fort"): shows the
 * category icons for @pdf (a ref is taken); once the resident chooses, it
 * goes into the open safe, or after the resident opens it, or, with the
 * hub down, sealed into the station's safe outbox. Navigate to "safe"
 * after calling it. */
void        station_safe_page_add_document (StationSafePage *self,
                                            GBytes          *pdf);
/* For another page (the scan page's "Mettre dans mon coffre-fort"):
 * hands @pdf to the window's safe page and shows it. @from_page is the
 * calling page, a child of the window's stack. */
void        station_safe_page_deliver (GtkWidget *from_page,
                                       GBytes    *pdf);
/* What the buttons do, callable by tests. */
void        station_safe_page_choose_category (StationSafePage *self,
                                               const char      *category);
/* @pin NULL or "": asks the hub about safe @number only, then shows what
 * comes next (the secret code, or the card's code for a new safe). */
void        station_safe_page_open (StationSafePage *self,
                                    const char      *number,
                                    const char      *pin);
/* The sentence shown to the resident ("" before any), and the screen
 * ("login", "secret", "code", "category", "list", "view", "journal", "pin",
 * "consent"). */
const char *station_safe_page_get_status (StationSafePage *self);
const char *station_safe_page_get_screen (StationSafePage *self);
gboolean    station_safe_page_is_busy (StationSafePage *self);
guint       station_safe_page_get_n_documents (StationSafePage *self);
/* The open safe's document @index, decrypted, in memory (borrowed), or
 * NULL when it could not be opened; @name (nullable) its name, "" when
 * none was given. For the browser's chooser of a file to send. */
GBytes     *station_safe_page_get_document (StationSafePage *self,
                                            guint            index,
                                            const char     **name);
/* A scan handed over and not yet stored in a safe. */
gboolean    station_safe_page_has_unsaved_work (StationSafePage *self);
/* "Autoriser un médiateur": lets mediator @login see the open safe for
 * @minutes (the screen offers 15 or 30, 30 by default). */
void        station_safe_page_consent (StationSafePage *self,
                                       const char      *login,
                                       int              minutes);

G_END_DECLS
