/* test-mail.h: what the files of test-mail share: the fixture (a real
 * hub on loopback, the console's link, a local SMS gateway and SMTP sink),
 * the helpers that add people, grant them and call the hub, and each
 * file's tests for main (). */
#pragma once

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "relais-db-help.h"
#include "relais-db-mail.h"
#include "relais-hub-mail.h"
#include "relais-mail-kiosk.h"
#include "relais-mail-records.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
/* 2026-03-02 10:00 UTC: a Monday, the clock the mail reads in tests. */
#define T0 ((gint64) 1772445600000)

extern RelaisTestHub *hub;
extern RelaisLink    *console;
extern GPtrArray     *sms_bodies; /* every body the SMS gateway received */
extern guint          sms_ok;     /* requests it answered 200 */
extern char          *smtp_dir;   /* where the SMTP sink writes 1.txt, 2.txt… */

/* Helpers (test-mail.c). */
RelaisDb             *hub_db (void);
void                  add_person (const char *number,
                                  const char *surname,
                                  const char *first_names,
                                  const char *birth_date,
                                  const char *notify,
                                  const char *contact,
                                  const char *card);
/* A console call to the hub; the hub runs on this loop, so it iterates. */
JsonObject           *call (const char *path,
                            const char *body,
                            GError    **error);
RelaisMailPerson     *find (GPtrArray  *people,
                            const char *number);
GPtrArray            *search (const char *query);
/* Local noon of @ms's day + @days, as YYYY-MM-DD. */
char                 *day_of (gint64 ms,
                              int    days);
void                  grant (const char *number,
                             gint64      at,
                             int         days);
gboolean              listed (JsonObject *reply,
                              const char *number);
RelaisMailNotice     *last_notice (GPtrArray *notices);

/* Search and names (test-mail-search.c). */
void                  test_fold (void);
void                  test_search_homonyms (void);
void                  test_search_never_loses (void);
void                  test_search_slips (void);
void                  test_invalid_names (void);

/* Notices by SMS and e-mail, reminders, expiry and no contact
 * (test-mail-notify.c). */
void                  test_batch_and_sms_retry (void);
void                  test_email (void);
void                  test_reminders_and_returns (void);
void                  test_decision_sms (void);
void                  test_expiry_reminders (void);
void                  test_no_contact (void);

/* Contacts, NPAI, forwarding (test-mail-contacts.c). */
void                  test_contact_visit_phone (void);
void                  test_contact_kiosk_offline (void);
void                  test_npai (void);
void                  test_hand_over_skips_returns (void);
void                  test_forwarding (void);
