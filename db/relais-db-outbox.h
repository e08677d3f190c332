/* relais-db-outbox.h: a station's events waiting for the hub's receipt. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *key; /* idempotency key: the hub records each key once */
  char   *type;
  gint64  at;
  char   *body;       /* the whole event, JSON, as it will be sent */
  GBytes *attachment; /* bytes that go with it (a sealed document), or NULL */
  int     attempts;
} RelaisOutboxItem;

void relais_outbox_item_free (RelaisOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisOutboxItem, relais_outbox_item_free)

/* Durable once this returns TRUE (synchronous=FULL). */
gboolean relais_db_outbox_add (RelaisDb   *db,
                               const char *key,
                               const char *type,
                               gint64      at,
                               const char *body,
                               GError    **error);
/* The same with @attachment (may be NULL) stored beside the event. */
gboolean relais_db_outbox_add_attached (RelaisDb   *db,
                                        const char *key,
                                        const char *type,
                                        gint64      at,
                                        const char *body,
                                        GBytes     *attachment,
                                        GError    **error);
/* Pending items of @type. */
gint64   relais_db_outbox_pending_of_type (RelaisDb   *db,
                                           const char *type);
/* The outbox delivers two lanes, each first in, first out: events alone,
 * and events that carry an attachment (a document deposited in a safe).
 * A deposit the hub makes wait (a station's hourly rate, a safe's size) must
 * never hold a help request back; no event depends on a deposit. */
typedef enum {
  RELAIS_OUTBOX_EVENTS = 1,
  RELAIS_OUTBOX_ATTACHMENTS,
} RelaisOutboxLane;

/* Up to @limit undelivered items of @lane, oldest first, when the lane's
 * oldest is due at @now; none otherwise (first in, first out). */
GPtrArray *relais_db_outbox_due (RelaisDb        *db,
                                 RelaisOutboxLane lane,
                                 gint64           now,
                                 guint            limit,
                                 GError         **error);
gboolean   relais_db_outbox_mark_delivered (RelaisDb   *db,
                                            const char *key,
                                            gint64      at,
                                            GError    **error);
/* Records a failed attempt and when to try again. */
gboolean   relais_db_outbox_mark_failed (RelaisDb   *db,
                                         const char *key,
                                         gint64      next_attempt_at,
                                         const char *message,
                                         GError    **error);
/* The hub refused @key for good (malformed for it): kept, with @message,
 * but no longer pending, so the queue behind it moves on. */
gboolean   relais_db_outbox_mark_rejected (RelaisDb   *db,
                                           const char *key,
                                           gint64      at,
                                           const char *message,
                                           GError    **error);
gint64     relais_db_outbox_rejected (RelaisDb *db);
/* Makes every pending item due now (the link came back). */
gboolean   relais_db_outbox_retry_now (RelaisDb *db,
                                       GError  **error);
gint64     relais_db_outbox_pending (RelaisDb *db);
/* When the first lane's head is due, or -1 when none is pending. */
gint64     relais_db_outbox_next_due (RelaisDb *db);
/* Forgets delivered items older than @before. */
gboolean   relais_db_outbox_prune (RelaisDb *db,
                                   gint64    before,
                                   GError  **error);

G_END_DECLS
