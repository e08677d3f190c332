/* relais-db.h: the SQLite databases of Relais (hub of record, station). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAIS_DB_ERROR (relais_db_error_quark ())
typedef enum {
  RELAIS_DB_ERROR_OPEN = 1,
  RELAIS_DB_ERROR_MIGRATE,
  RELAIS_DB_ERROR_TOO_NEW,
  RELAIS_DB_ERROR_QUERY,
  RELAIS_DB_ERROR_NOT_FOUND,
  RELAIS_DB_ERROR_CONFLICT,
  RELAIS_DB_ERROR_INVALID,
  RELAIS_DB_ERROR_KEY_REUSED, /* an idempotency key already used for another request */
} RelaisDbError;
GQuark relais_db_error_quark (void);

typedef enum {
  RELAIS_DB_HUB = 1, /* the site's database of record */
  RELAIS_DB_STATION, /* a station's local state and outbox */
} RelaisDbKind;

/* One fact sent by a station or console. @key makes delivery idempotent:
 * the same key twice is recorded once, when it comes with the same source,
 * type and body; with anything else it is RELAIS_DB_ERROR_KEY_REUSED. */
typedef struct _RelaisEventInfo {
  const char *key;
  const char *source; /* "station:NAME" or "console:NAME" */
  const char *type;   /* "help.raise", "help.cancel", "help.seen", … */
  gint64      at;     /* when it happened, ms since the epoch */
  const char *body;   /* the event as received, JSON */
} RelaisEventInfo;

/* How long a connection waits for another's write to end. */
#define RELAIS_DB_BUSY_TIMEOUT_MS 5000

/* One connection, used by one thread at a time (the caller serialises). */
typedef struct _RelaisDb RelaisDb;

RelaisDb                *relais_db_open (const char  *path,
                                         RelaisDbKind kind,
                                         GError     **error);
void                     relais_db_close (RelaisDb *db);
int                      relais_db_get_version (RelaisDb *db);
/* The newest schema version this program knows for @kind. */
int                      relais_db_latest_version (RelaisDbKind kind);
RelaisDbKind             relais_db_get_kind (RelaisDb *db);
const char              *relais_db_get_path (RelaisDb *db);

/* Wall-clock milliseconds since the epoch, the time unit of every table. */
gint64                   relais_db_now_ms (void);
/* How many times, in this process, a connection found the write lock
 * taken and waited (every 2 ms, up to RELAIS_DB_BUSY_TIMEOUT_MS): a long
 * writer on another connection (an import) sees someone waits and lets
 * them in between its transactions. */
guint                    relais_db_busy_waits (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisDb, relais_db_close)

G_END_DECLS
