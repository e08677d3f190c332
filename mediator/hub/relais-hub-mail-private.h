/* relais-hub-mail-private.h: what the relais-hub-mail*.c files share,
 * nobody else. */
#pragma once

#include "relais-hub-private.h"
#include "relais-db-mail.h"

#define MAIL_KEY        "relais-hub-mail"
#define SEND_BATCH      50
#define MAX_RETRY_MS    (6 * 3600 * 1000)
#define MAX_BATCH_ITEMS 500

/* The mail's state, hung on the hub, in a g_atomic_rc_box. The sender's
 * thread holds a ref; hub is NULL once the hub is gone, and the thread's
 * results dropped. */
typedef struct {
  RelaisHub    *hub;    /* borrowed */
  RelaisNotify *notify; /* owned */
  char         *place;
  char         *hours;
  char         *number_format; /* user numbers given, e.g. "A-{n:4}" */
  gint64        clock_ms;      /* 0: real time */
  gint64        retry_ms;
  int           max_attempts;
  gint64        reminder_ms;
  int           max_reminders;
  int           expiry_first_days; /* reminders before a domiciliation ends */
  int           expiry_second_days;
  int           no_contact_days; /* warn when not seen for this long */
  int           retention_days;  /* purge: kept this long after the end */
  guint         send_id;
  guint         reminder_id;
  guint         snapshot_id;
  gboolean      sending;
} Mail;

/* relais-hub-mail.c: the state's clock, JSON and readers; calls no
 * other mail file. */
Mail          *_relais_hub_mail_ref (Mail *mail);
void           _relais_hub_mail_unref (Mail *mail);
gint64         _relais_hub_mail_now (Mail *mail);
char          *_relais_hub_mail_today (Mail *mail);
RelaisMailSite _relais_hub_mail_site (Mail *mail);
void           _relais_hub_mail_build_person (JsonBuilder *b, const RelaisMailPerson *p);
void           _relais_hub_mail_build_letter (JsonBuilder *b, const RelaisMailLetter *l);
void           _relais_hub_mail_build_notice (JsonBuilder *b, const RelaisMailNotice *n);
void           _relais_hub_mail_reply_db_error (SoupServerMessage *msg, const GError *error);
gboolean       _relais_hub_mail_read_text (JsonObject *o, const char *member, gsize max, const char **value, GError **error);
gboolean       _relais_hub_mail_parse_id (const char *text, gint64 *id);

/* relais-hub-mail-notify.c: the state (made on first use) and what
 * follows a change; uses relais-hub-mail.c only. The routes
 * (relais-hub-mail-people.c, -letters.c, -docs.c) use both. */
Mail          *_relais_hub_mail_get (RelaisHub *self);
void           _relais_hub_mail_changed (Mail *mail);
