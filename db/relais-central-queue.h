/* relais-central-queue.h: the site's durable queue of people changes for
 * the département's central registry (issue 19), in the hub's SQLite
 * database. Triggers on mail_people fill it, in the same transaction as
 * the change, once the site is joined to a centre; the hub's pusher
 * (mediator/hub/relais-hub-central.c) sends it up in order. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

/* One change of a person, as the site made it: what crosses sites and
 * nothing more (no phone, no e-mail, no letters). */
typedef struct {
  gint64 seq; /* the site's order of changes */
  char  *key; /* idempotency key: the centre applies a key once */
  char  *op;  /* "save" or "delete" */
  char  *number;
  char  *surname;
  char  *first_names;
  char  *birth_date; /* YYYY-MM-DD */
  char  *name_key;   /* "surname|first first name", folded: the homonym key */
  char  *state;      /* the domiciliation's state (relais-db-mail.h) */
  char  *active_to;  /* YYYY-MM-DD or NULL */
  gint64 queued_at;  /* ms since the epoch */
} RelaisCentralChange;

void relais_central_change_free (RelaisCentralChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralChange, relais_central_change_free)

/* The hub migration that makes the queue and its triggers. */
extern const char relais_db_central_hub_migration_queue[];

/* Joins the site to a centre: from now on every change of a person is
 * queued, and every person already here is queued once (the first push).
 * Nothing is queued twice when it is already joined. */
gboolean          relais_db_central_enable (RelaisDb *db,
                                            GError  **error);
gboolean          relais_db_central_is_enabled (RelaisDb *db);
/* The oldest @max changes not yet acknowledged by the centre, in order. */
GPtrArray        *relais_db_central_queue_peek (RelaisDb *db,
                                                guint     max,
                                                GError  **error);
/* The centre acknowledged every change up to @seq: they leave the queue. */
gboolean          relais_db_central_queue_done (RelaisDb *db,
                                                gint64    seq,
                                                GError  **error);
/* Changes waiting; -1 on error. */
gint64            relais_db_central_queue_length (RelaisDb *db);

G_END_DECLS
