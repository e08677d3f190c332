/* relais-hub-mail.h: the hub's side of mail for domiciled people:
 * routes for the console, the notification outbox sender, reminders and
 * the kiosk's snapshot. */
#pragma once

#include "relais-hub.h"
#include "relais-config.h"
#include "relais-notify.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reads [mail] and [notify] of the hub's configuration, and starts the
 * sender (every second) and the reminders (every hour). Without this call
 * the defaults apply on first use, with no SMS gateway nor SMTP server. */
void      relais_hub_mail_setup (RelaisHub    *self,
                                 RelaisConfig *config);
/* The form of the user numbers the hub gives a new person saved without
 * one ([mail] number-format, "{n}" by default); refuses a bad form. */
gboolean  relais_hub_mail_set_number_format (RelaisHub  *self,
                                             const char *format,
                                             GError    **error);
/* Replaces how messages leave (@notify is reffed). */
void      relais_hub_mail_set_notify (RelaisHub    *self,
                                      RelaisNotify *notify);
/* Retries: first after @retry_ms, doubled each time, failed for good
 * after @max_attempts. Reminders every @reminder_ms, return after
 * @max_reminders. */
void      relais_hub_mail_set_timing (RelaisHub *self,
                                      gint64     retry_ms,
                                      int        max_attempts,
                                      gint64     reminder_ms,
                                      int        max_reminders);
/* Domiciliations about to end: notices @first_days and @second_days
 * before the end date; people not seen for @no_contact_days are listed
 * (GET /mail/no-contact). */
void      relais_hub_mail_set_expiry (RelaisHub *self,
                                      int        first_days,
                                      int        second_days,
                                      int        no_contact_days);
/* Tests: the clock the mail reads, ms since the epoch; 0: the real one. */
void      relais_hub_mail_set_clock (RelaisHub *self,
                                     gint64     now_ms);
/* Queues the reminders due now; returns how many, -1 on error. */
int       relais_hub_mail_run_reminders (RelaisHub *self,
                                         GError   **error);
/* Queues the notices of domiciliations about to end; how many, -1 on
 * error. The hourly tick runs it after the reminders. */
int       relais_hub_mail_run_expiry (RelaisHub *self,
                                      GError   **error);
/* The mail figures of local days @from to @to (YYYY-MM-DD) for the
 * staff's statistics: {"registered","handed","returned","reminders",
 * "expiry_reminders","unknown","avg_days","kinds":[…]}. */
JsonNode *relais_hub_mail_figures (RelaisHub  *self,
                                   const char *from,
                                   const char *to,
                                   GError    **error);
/* The body that writes the decisions ([decisions] of the configuration),
 * sent with a person's decisions (GET /mail/people/N/decisions,
 * "letterhead") for the console to print the letters: its name (NULL or
 * empty: the site's), address (lines separated by '\n'), approval
 * (agrément; empty for a CCAS), town (« Fait à »), administrative
 * tribunal (the appeal). Copied. */
typedef struct {
  const char *body_name;
  const char *body_address;
  const char *approval;
  const char *town;
  const char *tribunal;
} RelaisHubLetterhead;
void     relais_hub_mail_set_letterhead (RelaisHub                 *self,
                                         const RelaisHubLetterhead *letterhead);
/* Looks for due messages now instead of at the next tick. */
void     relais_hub_mail_kick (RelaisHub *self);
/* TRUE while a batch of messages is being sent. */
gboolean relais_hub_mail_is_sending (RelaisHub *self);

G_END_DECLS
