/* station-mail-page.h: "Mon courrier": how many letters wait, from the
 * card or the number and birth date; works with the hub down. */
#pragma once

#include <gtk/gtk.h>
#include "station-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_MAIL_PAGE (station_mail_page_get_type ())
G_DECLARE_FINAL_TYPE (StationMailPage, station_mail_page, STATION, MAIL_PAGE, StationPage)

GtkWidget  *station_mail_page_new (StationServices *services);
/* What the resident does, callable by tests: @birth_date NULL for a card
 * (the reader types its identifier), else as typed (JJ/MM/AAAA). */
void        station_mail_page_check (StationMailPage *self,
                                     const char      *card_or_number,
                                     const char      *birth_date);
/* The answer shown ("" before any). */
const char *station_mail_page_get_answer (StationMailPage *self);
/* Forgets what was typed and shown: the next resident sees nothing. */
void        station_mail_page_clear (StationMailPage *self);

G_END_DECLS
