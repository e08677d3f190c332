/* relais-db.c: opening a database and bringing its schema up to date. */

#include "relais-db-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-life.h"
#include "relais-db-mail-contacts.h"
#include "relais-central-queue.h"
#include "relais-central-up.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (relais-db-error-quark, relais_db_error);

/* Each array is append-only: a released step is never edited, and
 * PRAGMA user_version counts the steps applied. */
/* Long steps kept beside their area's queries. */
extern const char         relais_db_mail_hub_migration[];
extern const char         relais_db_mail_station_migration[];
extern const char         relais_db_mail_station_migration_ends[];
extern const char         relais_db_mail_hub_migration_expiry[];
extern const char         relais_db_mail_hub_migration_documents[];
extern const char         relais_db_mail_hub_migration_batch_hash[];
extern const char         relais_db_mail_hub_migration_decisions[];
extern const char         relais_db_mail_hub_migration_decision_letters[];
extern const char         relais_db_mail_hub_migration_words[];
extern const char         relais_db_mail_hub_migration_kinds[];
extern const char         relais_db_mail_hub_migration_search_index[];

static const char * const hub_migrations[] = {
  /* 1: enrolled clients, the event log, help requests. */
  "CREATE TABLE clients ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('station', 'console')),"
  "  name TEXT NOT NULL,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER,"
  "  UNIQUE (kind, name));"
  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  key TEXT NOT NULL UNIQUE,"
  "  source TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  body TEXT NOT NULL);"
  "CREATE TABLE help_requests ("
  "  id TEXT PRIMARY KEY,"
  "  station TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  language TEXT,"
  "  origin TEXT NOT NULL DEFAULT 'resident',"
  "  state TEXT NOT NULL CHECK (state IN ('raised', 'seen', 'taken', 'resolved', 'cancelled')),"
  "  raised_at INTEGER NOT NULL,"
  "  seen_at INTEGER,"
  "  taken_at INTEGER,"
  "  taken_by TEXT,"
  "  closed_at INTEGER,"
  "  seq INTEGER NOT NULL);"
  "CREATE INDEX help_requests_open ON help_requests (state) WHERE state IN ('raised', 'seen', 'taken');"
  "CREATE INDEX help_requests_seq ON help_requests (seq);",
  /* 2: mediators' accounts and sessions, attribution, stations' presence,
   * and why a station raised a request by itself. */
  "CREATE TABLE mediators ("
  "  id INTEGER PRIMARY KEY,"
  "  login TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('mediator', 'staff')),"
  "  created_at INTEGER NOT NULL,"
  "  disabled_at INTEGER);"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  mediator_id INTEGER NOT NULL REFERENCES mediators (id),"
  "  console TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE TABLE stations ("
  "  name TEXT PRIMARY KEY,"
  "  step TEXT NOT NULL DEFAULT 'home',"
  "  in_session INTEGER NOT NULL DEFAULT 0,"
  "  since INTEGER,"
  "  last_event_at INTEGER);"
  "ALTER TABLE help_requests ADD COLUMN reason TEXT;"
  "ALTER TABLE help_requests ADD COLUMN taken_by_login TEXT;"
  "CREATE INDEX help_requests_unattended ON help_requests (raised_at) WHERE state IN ('raised', 'seen');",
  /* 3: anonymous session logs, and the aggregates the dashboard reads
   * (kept when the detailed rows are purged after the retention time). */
  "CREATE TABLE session_logs ("
  "  id INTEGER PRIMARY KEY,"
  "  station TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  day TEXT NOT NULL,"
  "  duration_s INTEGER NOT NULL,"
  "  language TEXT NOT NULL,"
  "  end_reason TEXT NOT NULL,"
  "  pages_scanned INTEGER NOT NULL, pages_printed INTEGER NOT NULL, copies INTEGER NOT NULL,"
  "  saved_usb INTEGER NOT NULL, saved_safe INTEGER NOT NULL, mail_checks INTEGER NOT NULL);"
  "CREATE INDEX session_logs_started ON session_logs (started_at);"
  "CREATE TABLE session_help ("
  "  session_id INTEGER NOT NULL REFERENCES session_logs (id) ON DELETE CASCADE,"
  "  category TEXT NOT NULL, to_seen_s INTEGER, to_taken_s INTEGER, to_resolved_s INTEGER);"
  "CREATE INDEX session_help_session ON session_help (session_id);"
  "CREATE TABLE stats_daily ("
  "  day TEXT NOT NULL, station TEXT NOT NULL,"
  "  sessions INTEGER NOT NULL DEFAULT 0, duration_s INTEGER NOT NULL DEFAULT 0,"
  "  pages_scanned INTEGER NOT NULL DEFAULT 0, pages_printed INTEGER NOT NULL DEFAULT 0,"
  "  copies INTEGER NOT NULL DEFAULT 0, saved_usb INTEGER NOT NULL DEFAULT 0,"
  "  saved_safe INTEGER NOT NULL DEFAULT 0, mail_checks INTEGER NOT NULL DEFAULT 0,"
  "  help_requests INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (day, station)) WITHOUT ROWID;"
  "CREATE TABLE stats_hourly ("
  "  day TEXT NOT NULL, station TEXT NOT NULL, hour INTEGER NOT NULL, weekday INTEGER NOT NULL,"
  "  sessions INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (day, station, hour)) WITHOUT ROWID;"
  "CREATE TABLE stats_help_daily ("
  "  day TEXT NOT NULL, station TEXT NOT NULL, category TEXT NOT NULL,"
  "  requests INTEGER NOT NULL DEFAULT 0,"
  "  seen_n INTEGER NOT NULL DEFAULT 0, seen_s INTEGER NOT NULL DEFAULT 0,"
  "  taken_n INTEGER NOT NULL DEFAULT 0, taken_s INTEGER NOT NULL DEFAULT 0,"
  "  resolved_n INTEGER NOT NULL DEFAULT 0, resolved_s INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (day, station, category)) WITHOUT ROWID;"
  "CREATE TABLE stats_language_daily ("
  "  day TEXT NOT NULL, station TEXT NOT NULL, language TEXT NOT NULL,"
  "  sessions INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (day, station, language)) WITHOUT ROWID;",
  /* 4: residents' digital safes: ciphertext and wrapped keys only, the
   * PIN attempt counter, consents and the journal the resident reads. */
  "CREATE TABLE safes ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  resident TEXT,"
  "  state TEXT NOT NULL CHECK (state IN ('new', 'ready')),"
  "  activation_hash BLOB,"
  "  salt BLOB, verifier BLOB, hub_secret BLOB, wrapped_keys BLOB, box_pk BLOB,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  locked_at INTEGER,"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  last_used_at INTEGER NOT NULL,"
  "  announced_at INTEGER);"
  "CREATE INDEX safes_last_used ON safes (last_used_at);"
  "CREATE TABLE safe_documents ("
  "  id TEXT PRIMARY KEY,"
  "  safe_id INTEGER NOT NULL REFERENCES safes (id) ON DELETE CASCADE,"
  "  category TEXT NOT NULL CHECK (category IN ('identite', 'ressources', 'logement', 'sante',"
  "    'impots', 'famille', 'emploi', 'autre')),"
  "  head BLOB NOT NULL,"
  "  body BLOB NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  deposited INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX safe_documents_safe ON safe_documents (safe_id, created_at);"
  "CREATE TABLE safe_consents ("
  "  id INTEGER PRIMARY KEY,"
  "  safe_id INTEGER NOT NULL REFERENCES safes (id) ON DELETE CASCADE,"
  "  mediator TEXT NOT NULL,"
  "  station TEXT NOT NULL,"
  "  from_at INTEGER NOT NULL,"
  "  until_at INTEGER NOT NULL,"
  "  revoked_at INTEGER);"
  "CREATE INDEX safe_consents_safe ON safe_consents (safe_id, mediator);"
  "CREATE TABLE safe_journal ("
  "  id INTEGER PRIMARY KEY,"
  "  safe_id INTEGER NOT NULL REFERENCES safes (id) ON DELETE CASCADE,"
  "  at INTEGER NOT NULL,"
  "  who TEXT NOT NULL,"
  "  what TEXT NOT NULL,"
  "  station TEXT,"
  "  detail TEXT);"
  "CREATE INDEX safe_journal_safe ON safe_journal (safe_id, at);",
  /* 5: mail for domiciled people: people, decisions, proxies, letters,
   * the "not domiciled here" list, templates, the notification outbox
   * (the SQL is in relais-db-mail.c). */
  relais_db_mail_hub_migration,
  /* 6: mail: the message before a domiciliation ends (relais-db-mail.c). */
  relais_db_mail_hub_migration_expiry,
  /* 7: mail: scanned supporting documents, and the reason given with an
   * application (relais-db-mail-docs.c). */
  relais_db_mail_hub_migration_documents,
  /* 8: safes: mediators' unlocks since the last right PIN (past a few, a
   * mediator alone cannot unlock), and the card's recovery code (keyed
   * hash) with its wrong tries. Safes made before have no recovery code:
   * a responsable unlocks them. */
  "ALTER TABLE safes ADD COLUMN unlocks INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE safes ADD COLUMN recovery_hash BLOB;"
  "ALTER TABLE safes ADD COLUMN recovery_attempts INTEGER NOT NULL DEFAULT 0;",
  /* 9: a safe document's id belongs to its safe: the same id in another
   * safe is another document, not a resend (the table is rebuilt, as
   * SQLite cannot change a primary key). */
  "CREATE TABLE safe_documents_new ("
  "  id TEXT NOT NULL,"
  "  safe_id INTEGER NOT NULL REFERENCES safes (id) ON DELETE CASCADE,"
  "  category TEXT NOT NULL CHECK (category IN ('identite', 'ressources', 'logement', 'sante',"
  "    'impots', 'famille', 'emploi', 'autre')),"
  "  head BLOB NOT NULL,"
  "  body BLOB NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  deposited INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (safe_id, id));"
  "INSERT INTO safe_documents_new (id, safe_id, category, head, body, size, deposited, created_at)"
  "  SELECT id, safe_id, category, head, body, size, deposited, created_at FROM safe_documents;"
  "DROP TABLE safe_documents;"
  "ALTER TABLE safe_documents_new RENAME TO safe_documents;"
  "CREATE INDEX safe_documents_safe ON safe_documents (safe_id, created_at);",
  /* 10: a request whose resident left the station (session ended) before
   * anyone resolved it is closed as 'left', for the consoles to say so.
   * SQLite cannot change a CHECK: the table is rebuilt. */
  "CREATE TABLE help_requests_v10 ("
  "  id TEXT PRIMARY KEY,"
  "  station TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  language TEXT,"
  "  origin TEXT NOT NULL DEFAULT 'resident',"
  "  state TEXT NOT NULL CHECK (state IN ('raised', 'seen', 'taken', 'resolved', 'cancelled', 'left')),"
  "  raised_at INTEGER NOT NULL,"
  "  seen_at INTEGER,"
  "  taken_at INTEGER,"
  "  taken_by TEXT,"
  "  closed_at INTEGER,"
  "  seq INTEGER NOT NULL,"
  "  reason TEXT,"
  "  taken_by_login TEXT);"
  "INSERT INTO help_requests_v10 (id, station, category, language, origin, state, raised_at, seen_at,"
  "  taken_at, taken_by, closed_at, seq, reason, taken_by_login)"
  " SELECT id, station, category, language, origin, state, raised_at, seen_at,"
  "  taken_at, taken_by, closed_at, seq, reason, taken_by_login FROM help_requests;"
  "DROP TABLE help_requests;"
  "ALTER TABLE help_requests_v10 RENAME TO help_requests;"
  "CREATE INDEX help_requests_open ON help_requests (state) WHERE state IN ('raised', 'seen', 'taken');"
  "CREATE INDEX help_requests_seq ON help_requests (seq);"
  "CREATE INDEX help_requests_unattended ON help_requests (raised_at) WHERE state IN ('raised', 'seen');",
  /* 11: a station counting down to the end of an idle session says when
   * it will end, for the consoles' "Postes". */
  "ALTER TABLE stations ADD COLUMN ends_at INTEGER;",
  /* 12: mail: a batch's key bound to its letters (relais-db-mail-letters.c). */
  relais_db_mail_hub_migration_batch_hash,
  /* 13: a station's open requests, counted at each help.raise (at most
   * [hub] max-open-help-per-station). */
  "CREATE INDEX help_requests_open_station ON help_requests (station)"
  "  WHERE state IN ('raised', 'seen', 'taken');",
  /* 14: mail: a proxy's name folded as people's are, so that the
   * type-ahead finds a person by the name of who collects for them
   * (relais_fold () is the SQL face of relais_mail_fold ()). */
  "ALTER TABLE mail_proxies ADD COLUMN folded TEXT;"
  "UPDATE mail_proxies SET folded = relais_fold (name);",
  /* 15: one-time enrolment codes (relais-db-enrol.c), hashed; a code
   * redeemed or expired stays until the next one is made, then goes. */
  "CREATE TABLE enrol_codes ("
  "  code_hash TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('station', 'console')),"
  "  name TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER);",
  /* 16: where the resident was when they called (the browser's host and
   * page title, issue 14). */
  "ALTER TABLE help_requests ADD COLUMN context TEXT;",
  /* 17: an account holds roles (relais-db-accounts.c): "mediator",
   * "responsable" (decides on domiciliations), "staff" (figures). The
   * staff accounts made before were the responsables ("--staff" said
   * so): they keep both. The role column stays as it was for old code. */
  "CREATE TABLE mediator_roles ("
  "  mediator_id INTEGER NOT NULL REFERENCES mediators (id),"
  "  role TEXT NOT NULL CHECK (role IN ('mediator', 'responsable', 'staff')),"
  "  PRIMARY KEY (mediator_id, role)) WITHOUT ROWID;"
  "INSERT INTO mediator_roles (mediator_id, role) SELECT id, role FROM mediators;"
  "INSERT INTO mediator_roles (mediator_id, role) SELECT id, 'responsable' FROM mediators WHERE role = 'staff';",
  /* 18: mail: a decision's motive, orientation, first election or
   * renewal, and its application's day (relais-db-mail-decisions.c). */
  relais_db_mail_hub_migration_decisions,
  /* 19: what a resolved request was about (issue 16), words only: the
   * need and outcome the mediator tapped, the partner referred to; and
   * their monthly counts for the dashboard, kept when the detailed rows
   * are purged ('' where nothing was said). */
  "ALTER TABLE help_requests ADD COLUMN need TEXT;"
  "ALTER TABLE help_requests ADD COLUMN outcome TEXT;"
  "ALTER TABLE help_requests ADD COLUMN partner TEXT;"
  "CREATE TABLE stats_help_outcomes_monthly ("
  "  month TEXT NOT NULL,"
  "  need TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  partner TEXT NOT NULL,"
  "  requests INTEGER NOT NULL,"
  "  PRIMARY KEY (month, need, outcome, partner));",
  /* 20 (reports): mail: sex and household type on the person, for the
   * annual activity report (relais-db-mail.c). */
  relais_db_mail_hub_migration_profile,
  /* 21 (reports): the data journal: deletions, purges, identity documents
   * opened (relais-db-mail-life.c). */
  relais_db_mail_hub_migration_life,
  /* 22 (decisions): mail: the refusal and radiation messages say a letter waits at
   * the desk (relais-db-mail-decisions.c). */
  relais_db_mail_hub_migration_decision_letters,
  /* 23 (search): mail: the words of people's folded names and who bears each, kept
   * by triggers, for a slip in any word of a name (relais-db-mail-search.c). */
  relais_db_mail_hub_migration_words,
  /* 24 (kinds): mail: the registered-mail notice and the parcel as kinds
   * with their own hand-over (relais-db-mail-kinds.c). */
  relais_db_mail_hub_migration_kinds,
  /* 25 (contacts): mail: what the last contact was (pickup, visit, phone,
   * kiosk), NPAI on a person and a letter, mail forwarding
   * (relais-db-mail-contacts.c). */
  relais_db_mail_hub_migration_contacts,
  /* 26 (search): mail: the search's id, folded name and state in two
   * narrow indexes, by name and by id (relais-db-mail-search.c). */
  relais_db_mail_hub_migration_search_index,
  /* 27 (help context): what a help request's context is ('site',
   * 'letter'), so that the console labels it without guessing; NULL for
   * the requests before, and for an older station's (issue 14). */
  "ALTER TABLE help_requests ADD COLUMN context_kind TEXT"
  "  CHECK (context_kind IN ('site', 'letter'));",
  /* 28 (central): the queue of people changes for the département's
   * central registry, filled only once the site is joined to it
   * (relais-central-queue.c). */
  relais_db_central_hub_migration_queue,
  /* 29 (central): the local copy of the other sites' records, read down
   * from the registry by cursor (relais-central-queue.c). */
  relais_db_central_hub_migration_copy,
  /* 30 (central): the second queue: safes, accounts' directory, monthly
   * statistics; a safe's home when fetched from another site
   * (relais-central-up.c). */
  relais_db_central_hub_migration_up,
};

static const char * const station_migrations[] = {
  /* 1: the outbox of events not yet acknowledged by the hub. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL UNIQUE,"
  "  type TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  delivered_at INTEGER);"
  "CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;",
  /* 2: an event the hub refuses for good is set aside, not lost, so it
   * cannot block the queue behind it. */
  "ALTER TABLE outbox ADD COLUMN rejected_at INTEGER;"
  "DROP INDEX outbox_pending;"
  "CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL AND rejected_at IS NULL;",
  /* 3: the digital safe: public keys of the safes seen (to seal a scan
   * with the hub down) and sealed documents waiting for the hub. Kept out
   * of the event outbox: a 10 MB scan must not hold up a help request. */
  "CREATE TABLE safe_keys ("
  "  number TEXT PRIMARY KEY,"
  "  box_pk BLOB NOT NULL,"
  "  seen_at INTEGER NOT NULL);"
  "CREATE TABLE safe_outbox ("
  "  id TEXT PRIMARY KEY,"
  "  number TEXT NOT NULL,"
  "  category TEXT NOT NULL,"
  "  envelope BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT);",
  /* 4: the mail kiosk's snapshot, hashed (relais-db-mail.c). */
  relais_db_mail_station_migration,
  /* 5: one outbox for every fact a station sends: an event may carry an
   * attachment (a sealed safe deposit), and the safe's own queue goes. */
  "ALTER TABLE outbox ADD COLUMN attachment BLOB;"
  "DROP TABLE safe_outbox;",
  /* 6 (contacts): the end of each domiciliation in the kiosk's snapshot,
   * for « renouvellement à demander avant le … » (relais-db-mail.c). */
  relais_db_mail_station_migration_ends,
};

static const char * const *
migrations_for (RelaisDbKind kind,
                gsize       *n_migrations)
{
  switch (kind)
    {
    case RELAIS_DB_HUB:
      *n_migrations = G_N_ELEMENTS (hub_migrations);
      return hub_migrations;
    case RELAIS_DB_STATION:
      *n_migrations = G_N_ELEMENTS (station_migrations);
      return station_migrations;
    default:
      g_assert_not_reached ();
    }
}

int
relais_db_latest_version (RelaisDbKind kind)
{
  gsize n = 0;

  migrations_for (kind, &n);
  return (int) n;
}

gint64
relais_db_now_ms (void)
{
  return g_get_real_time () / 1000;
}

gboolean
relais_db_set_error (RelaisDb *db,
                     int       code,
                     GError  **error)
{
  int           rc = sqlite3_extended_errcode (db->handle);
  RelaisDbError kind = code;

  if ((rc & 0xff) == SQLITE_CONSTRAINT && code == RELAIS_DB_ERROR_QUERY)
    kind = RELAIS_DB_ERROR_CONFLICT;
  /* No path: these messages may reach a client (the hub logs its 5xx
   * with the request; there is one database). */
  g_set_error (error, RELAIS_DB_ERROR, kind, "%s", sqlite3_errmsg (db->handle));
  return FALSE;
}

void
relais_db_stmt_release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Parsing SQL was a fifth of the hub's time under load (perf): each
 * literal is prepared once per connection. */
sqlite3_stmt *
relais_db_prepare (RelaisDb   *db,
                   const char *sql,
                   GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt != NULL)
    {
      g_assert (!sqlite3_stmt_busy (stmt));
      return stmt;
    }
  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
relais_db_step_done (RelaisDb     *db,
                     sqlite3_stmt *stmt,
                     GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

/* The write lock taken: wait as sqlite3_busy_timeout () would, in short
 * steps (its own grow to 100 ms: a writer that lets others in for a few
 * milliseconds between its transactions would never be seen), counted. */
static gint busy_waits;

static int
busy_wait (void *data,
           int   count)
{
  if (count >= RELAIS_DB_BUSY_TIMEOUT_MS / 2)
    return 0;
  g_atomic_int_inc (&busy_waits);
  g_usleep (2000);
  return 1;
}

guint
relais_db_busy_waits (void)
{
  return (guint) g_atomic_int_get (&busy_waits);
}

gboolean
relais_db_exec (RelaisDb   *db,
                const char *sql,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

gboolean
relais_db_exec_script (RelaisDb   *db,
                       const char *sql,
                       GError    **error)
{
  char *message = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_QUERY, "%s", message != NULL ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
relais_db_begin (RelaisDb *db,
                 GError  **error)
{
  return relais_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
relais_db_commit (RelaisDb *db,
                  GError  **error)
{
  if (relais_db_exec (db, "COMMIT", error))
    return TRUE;
  relais_db_rollback (db);
  return FALSE;
}

void
relais_db_rollback (RelaisDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    relais_db_exec (db, "ROLLBACK", NULL);
}

char *
relais_db_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

GPtrArray *
relais_db_rows (RelaisDb       *db,
                sqlite3_stmt   *stmt,
                RelaisDbReadRow read_row,
                gpointer        data,
                GDestroyNotify  free_row,
                GError        **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_row (stmt, data));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gpointer
relais_db_strings_from_row (sqlite3_stmt *stmt,
                            gpointer      n_columns)
{
  int    n = GPOINTER_TO_INT (n_columns);
  char **row = g_new0 (char *, n + 1);

  for (int i = 0; i < n; i++)
    row[i] = relais_db_column_dup (stmt, i);
  return row;
}

GPtrArray *
relais_db_rows_of_strings (RelaisDb     *db,
                           sqlite3_stmt *stmt,
                           int           n_columns,
                           GError      **error)
{
  return relais_db_rows (db, stmt, relais_db_strings_from_row, GINT_TO_POINTER (n_columns),
                         (GDestroyNotify) g_strfreev, error);
}

gint64
relais_db_single_int (RelaisDb   *db,
                      const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

int
relais_db_get_version (RelaisDb *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, -1);

  stmt = relais_db_prepare (db, "PRAGMA user_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static gboolean
relais_db_migrate (RelaisDb *db,
                   GError  **error)
{
  gsize               n_migrations = 0;
  const char * const *migrations = migrations_for (db->kind, &n_migrations);
  int                 version;

  /* BEGIN IMMEDIATE first, so two processes opening the same new file do
   * not both run step 1. */
  if (!relais_db_begin (db, error))
    return FALSE;
  version = relais_db_get_version (db);
  if (version < 0)
    {
      relais_db_rollback (db);
      return relais_db_set_error (db, RELAIS_DB_ERROR_MIGRATE, error);
    }
  if ((gsize) version > n_migrations)
    {
      relais_db_rollback (db);
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_TOO_NEW,
                   "La base %s est au schéma %d, plus récent que ce programme (%zu) : "
                   "mettez Relais à jour.",
                   db->path, version, n_migrations);
      return FALSE;
    }
  for (gsize i = version; i < n_migrations; i++)
    {
      g_autofree char *pragma = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!relais_db_exec_script (db, migrations[i], &local_error))
        {
          relais_db_rollback (db);
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_MIGRATE,
                       "Migration %zu of %s failed: %s", i + 1, db->path,
                       local_error->message);
          return FALSE;
        }
      /* PRAGMA takes no parameter; the value is our own integer. */
      pragma = g_strdup_printf ("PRAGMA user_version = %zu", i + 1);
      if (!relais_db_exec_script (db, pragma, error))
        {
          relais_db_rollback (db);
          return FALSE;
        }
    }
  return relais_db_commit (db, error);
}

/* relais_fold (text): the folded form names are searched by. */
static void
sql_fold (sqlite3_context *context,
          int              argc,
          sqlite3_value  **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, relais_mail_fold (text), -1, g_free);
}

RelaisDb *
relais_db_open (const char  *path,
                RelaisDbKind kind,
                GError     **error)
{
  g_autoptr(RelaisDb) db = NULL;
  g_autofree char *dir = NULL;
  int              rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kind == RELAIS_DB_HUB || kind == RELAIS_DB_STATION, NULL);

  db = g_new0 (RelaisDb, 1);
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          stmt_finalize);
  db->kind = kind;
  db->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN,
                   "Impossible de créer le dossier de la base %s : %s",
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Only the hub (or the station) reads its database: created 0600, as
   * SQLite then creates its -wal and -shm; one left readable by others
   * is closed to them. */
  {
    int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0)
      {
        int saved_errno = errno;
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN,
                     "Impossible d'ouvrir la base %s : %s", path, g_strerror (saved_errno));
        return NULL;
      }
    if (fchmod (fd, 0600) != 0)
      g_message ("%s: its permissions stay as they are: %s", path, g_strerror (errno));
    close (fd);
  }

  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN,
                   "Impossible d'ouvrir la base %s : %s", path,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_handler (db->handle, busy_wait, NULL);
  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_create_function (db->handle, "relais_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_fold, NULL, NULL);

  /* An acknowledged help request or registered letter must survive a
   * power cut: WAL with synchronous=FULL. */
  if (!relais_db_exec_script (db, "PRAGMA journal_mode = WAL", NULL) || !relais_db_exec_script (db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", NULL) ||
      /* Statement journals (an upsert's, a trigger's) in memory, not in
       * a temporary file written at each statement. */
      !relais_db_exec_script (db, "PRAGMA temp_store = MEMORY", NULL))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN,
                   "%s n'est pas une base Relais lisible : %s", path,
                   sqlite3_errmsg (db->handle));
      return NULL;
    }

  if (!relais_db_migrate (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
relais_db_close (RelaisDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close_v2 (db->handle);
  g_free (db->path);
  g_free (db);
}

RelaisDbKind
relais_db_get_kind (RelaisDb *db)
{
  return db->kind;
}

const char *
relais_db_get_path (RelaisDb *db)
{
  return db->path;
}
