/* relais-db-mail-contacts.h: the contacts that keep a domiciliation alive
 * (a pickup, a visit without mail, a phone call, a check at the kiosk),
 * the NPAI flag ("n'habite pas à l'adresse indiquée") on a person and on
 * a letter, and mail forwarding to a new address (hub). */
#pragma once

#include "relais-db-mail.h"

G_BEGIN_DECLS

extern const char relais_db_mail_hub_migration_contacts[];

/* "visit" (came to the desk, no mail to take), "phone" (called or was
 * called) and "kiosk" (checked "Mon courrier" at a station); a pickup is
 * recorded by the hand-over itself ("pickup"). */
gboolean          relais_mail_contact_kind_valid (const char *kind);

/* Records a contact with @number at @at: the last contact moves to @at,
 * never back (a kiosk check delivered late by a station's outbox does not
 * hide a later pickup). NOT_FOUND for an unknown number. */
gboolean          relais_db_mail_contact_add (RelaisDb   *db,
                                              const char *number,
                                              const char *kind,
                                              gint64      at,
                                              GError    **error);

/* A station's "mail.check" event: the kiosk knows only @hash (HMAC of the
 * card, or number and birth date, with the site's @salt); the hub finds
 * the person among those of the snapshot and records a "kiosk" contact at
 * @event->at, once per event key (*duplicate set on a replay). NOT_FOUND
 * when nobody has that hash any more (deleted, new card). */
gboolean          relais_db_mail_kiosk_contact (RelaisDb              *db,
                                                const RelaisEventInfo *event,
                                                const char            *salt,
                                                const char            *hash,
                                                gboolean              *duplicate,
                                                GError               **error);

/* The person's NPAI flag: while set, new letters for them go straight to
 * the return list with the reason NPAI. */
gboolean          relais_db_mail_npai_set (RelaisDb   *db,
                                           const char *number,
                                           gboolean    npai,
                                           const char *by,
                                           gint64      now,
                                           GError    **error);
/* One waiting letter came back NPAI (or the person says the address is
 * wrong for it): flagged and put on the return list at once. CONFLICT
 * when it is not waiting any more. */
gboolean          relais_db_mail_letter_npai (RelaisDb *db,
                                              gint64    id,
                                              gint64    now,
                                              GError  **error);

/* Mail forwarding: from @from (YYYY-MM-DD) the person's new letters are
 * listed to forward to @address (one line, 200 characters at most), not
 * to hand over. @address NULL or "" ends the forwarding. */
gboolean          relais_db_mail_forward_set (RelaisDb   *db,
                                              const char *number,
                                              const char *address,
                                              const char *from,
                                              GError    **error);

/* Why a new letter for @p (domiciled) does not wait in the cabinet: NPAI,
 * or forwarded to their new address from a day on or before @now's; NULL
 * when it waits. The letters' registration uses it. */
char             *relais_db_mail_held_reason (const RelaisMailPerson *p,
                                              gint64                  now);

G_END_DECLS
