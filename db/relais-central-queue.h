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

/* Down: one record of another site as the centre has it now, for the
 * site's local copy (what "domiciled elsewhere?" needs offline). */
typedef struct {
  gint64 xid; /* the centre's order: (xid, pos) */
  gint64 pos;
  char  *site_code;
  char  *number;
  char  *name_key; /* NULL: the record was deleted */
  char  *birth_date;
  char  *organisation;
  char  *site;
  char  *state;
} RelaisCentralCopyRow;

void relais_central_copy_row_free (RelaisCentralCopyRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralCopyRow, relais_central_copy_row_free)

/* 27 (central): the local copy of the other sites' records and its
 * cursor. */
extern const char relais_db_central_hub_migration_copy[];

/* Where the copy has read up to. */
gboolean          relais_db_central_copy_cursor (RelaisDb *db,
                                                 gint64   *xid,
                                                 gint64   *pos,
                                                 gint64   *copied_at);
/* Applies @rows (RelaisCentralCopyRow, in the centre's order) and moves
 * the cursor past the last, in one transaction: a crash replays them,
 * which changes nothing. The copy keeps of a person only a hash of their
 * homonym key and birth date, the body, the site and the state. */
gboolean          relais_db_central_copy_apply (RelaisDb  *db,
                                                GPtrArray *rows,
                                                GError   **error);
/* The copy's answer to "domiciled elsewhere?": RelaisCentralCopyRow with
 * only organisation, site and state set. */
GPtrArray        *relais_db_central_copy_lookup (RelaisDb   *db,
                                                 const char *name_key,
                                                 const char *birth_date,
                                                 GError    **error);

G_END_DECLS
