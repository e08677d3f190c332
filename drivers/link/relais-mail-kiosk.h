/* relais-mail-kiosk.h: a station's answer to "is there mail for me?",
 * offline: the hub pushes a snapshot (hash of card or number+birth date →
 * letters waiting) that the station keeps in its own database. */
#pragma once

#include <gio/gio.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define RELAIS_TYPE_MAIL_KIOSK (relais_mail_kiosk_get_type ())
G_DECLARE_FINAL_TYPE (RelaisMailKiosk, relais_mail_kiosk, RELAIS, MAIL_KIOSK, GObject)

/* Follows @link's stream: fetches the snapshot when the stream is ready
 * and whenever the hub says it changed, and stores it in the station
 * database @db_path. Signal "updated" after each stored snapshot. */
RelaisMailKiosk *relais_mail_kiosk_new (RelaisLink *link,
                                        const char *db_path,
                                        GError    **error);
/* Fetches the snapshot now (in a thread). */
void             relais_mail_kiosk_refresh (RelaisMailKiosk *self);
/* Letters waiting for the card @card_or_number (when @birth_date is NULL)
 * or for user number @card_or_number born on @birth_date (YYYY-MM-DD);
 * -1 when the snapshot does not know them. *hours (owned, may be NULL):
 * the pickup hours. Works with the hub down. */
gint64           relais_mail_kiosk_check (RelaisMailKiosk *self,
                                          const char      *card_or_number,
                                          const char      *birth_date,
                                          char           **hours,
                                          GError         **error);
/* The end of the domiciliation (YYYY-MM-DD) of the same person, NULL
 * when not granted or not known. */
char            *relais_mail_kiosk_active_to (RelaisMailKiosk *self,
                                              const char      *card_or_number,
                                              const char      *birth_date);
/* When the stored snapshot was received (ms), 0 for never. */
gint64           relais_mail_kiosk_get_updated_at (RelaisMailKiosk *self);

G_END_DECLS
