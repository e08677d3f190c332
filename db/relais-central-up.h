/* relais-central-up.h: the site's second durable queue for the
 * département's central registry (issue 19): the safes (their ciphertext
 * and public data), the accounts' directory and the monthly statistics.
 * Triggers fill it in the transaction of the change itself; each entry
 * names a record, and the record is read as it is *when it goes up*, so
 * a later change never goes up before an earlier one and a re-sent key
 * changes nothing. See docs/multi-site.md. */
#pragma once

#include "relais-db.h"
#include "relais-db-safe.h"

G_BEGIN_DECLS

/* What an entry is about (the queue's "kind"). */
#define RELAIS_CENTRAL_UP_SAFE            "safe"
#define RELAIS_CENTRAL_UP_SAFE_DELETE     "safe-delete"
#define RELAIS_CENTRAL_UP_DOCUMENT        "document"
#define RELAIS_CENTRAL_UP_DOCUMENT_DELETE "document-delete"
#define RELAIS_CENTRAL_UP_ACCOUNT         "account"
#define RELAIS_CENTRAL_UP_STATS           "stats"

/* The monthly counts of a site, as stats_daily sums them. */
typedef struct {
  gint64 sessions;
  gint64 duration_s;
  gint64 pages_scanned;
  gint64 pages_printed;
  gint64 copies;
  gint64 saved_usb;
  gint64 saved_safe;
  gint64 mail_checks;
  gint64 help_requests;
} RelaisCentralMonth;

/* One entry and, once loaded, its record now. */
typedef struct {
  gint64             seq; /* the site's order */
  char              *key; /* idempotency key: the centre applies a key once */
  char              *kind;
  char              *ref;  /* a safe's number, a login, a month "YYYY-MM" */
  char              *ref2; /* a document's id */
  gint64             queued_at;
  /* relais_db_central_up_load () */
  gboolean           gone;   /* the record is no more: the centre's goes too */
  gboolean           merged; /* an earlier entry of the batch sends the same record:
                              * only the key goes */
  /* safe */
  char              *state;
  GBytes            *box_pk;
  GBytes            *activation_hash;
  GBytes            *recovery_hash;
  GBytes            *salt;
  GBytes            *verifier;
  GBytes            *hub_secret; /* encrypted with the safes' key file */
  GBytes            *wrapped_keys;
  gint64             created_at;
  /* document (created_at too) */
  char              *category;
  GBytes            *head;
  GBytes            *body; /* the whole envelope */
  gboolean           deposited;
  /* account */
  char              *display_name;
  char              *roles; /* "mediator,responsable", sorted */
  gboolean           active;
  /* stats */
  RelaisCentralMonth month;
} RelaisCentralUp;

void relais_central_up_free (RelaisCentralUp *up);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralUp, relais_central_up_free)

/* 30 (central): the queue, the safes' home (NULL: made here) and the
 * triggers. */
extern const char relais_db_central_hub_migration_up[];

/* Once the site is joined (relais_db_central_enable ()): every safe,
 * document, account and month already here is queued once, in that
 * order; nothing when it was done before. */
gboolean          relais_db_central_up_enable (RelaisDb *db,
                                               GError  **error);
/* The oldest entries not yet acknowledged, in order: at most @max, and
 * no more than @max_bytes of documents unless the first alone is larger.
 * Each is loaded (its record now). */
GPtrArray        *relais_db_central_up_peek (RelaisDb *db,
                                             guint     max,
                                             gsize     max_bytes,
                                             GError  **error);
/* The centre committed every entry up to @seq. */
gboolean          relais_db_central_up_done (RelaisDb *db,
                                             gint64    seq,
                                             GError  **error);
/* Entries waiting; -1 on error. */
gint64            relais_db_central_up_length (RelaisDb *db);

/* Down: a safe of another site, fetched from the centre: the record its
 * home keeps there (number, state, public key, keyed hashes, wrapped
 * keys, creation), never the counters (wrong PINs, a lock), which are
 * each site's. */
typedef struct {
  char             *site_code; /* its home */
  RelaisSafeRecord *record;
} RelaisCentralSafe;

typedef struct {
  char    *id;
  char    *category;
  GBytes  *head;
  GBytes  *body;
  gboolean deposited;
  gint64   created_at;
} RelaisCentralSafeDocument;

void relais_central_safe_free (RelaisCentralSafe *safe);
void relais_central_safe_document_free (RelaisCentralSafeDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralSafe, relais_central_safe_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisCentralSafeDocument, relais_central_safe_document_free)

/* The safe's home site code when it was fetched from another site, NULL
 * when it was made here or is unknown. */
char       *relais_db_central_safe_home (RelaisDb   *db,
                                         const char *number);
/* Keeps (or refreshes) @safe and @documents (RelaisCentralSafeDocument,
 * those this hub lacks) in one transaction. A safe made here is never
 * touched; the counters (wrong PINs, a lock) of a copy stay this site's.
 * Nothing of it is queued: the centre's record is written by its home. */
gboolean    relais_db_central_safe_store (RelaisDb          *db,
                                          RelaisCentralSafe *safe,
                                          GPtrArray         *documents,
                                          GError           **error);
/* The ids of the documents this hub has of safe @number. */
GHashTable *relais_db_central_safe_document_ids (RelaisDb   *db,
                                                 const char *number,
                                                 GError    **error);

G_END_DECLS
