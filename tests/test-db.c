/* test-db.c: migrations, re-opening, outbox and help request rules. */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relais-db.h"
#include "relais-db-help.h"
#include "relais-db-mail.h"
#include "relais-db-outbox.h"
#include "relais-test-util.h"

static char *
temp_db (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-db-XXXXXX", NULL);
  return g_build_filename (dir, name, NULL);
}

static void
test_migrate_from_empty (void)
{
  g_autofree char *path = temp_db ("hub.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_HUB));
  g_assert_cmpint (relais_db_get_version (db), >=, 1);
  g_assert_cmpint (relais_db_event_count (db), ==, 0);
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *path = temp_db ("station.db");
  g_autoptr(GError) error = NULL;
  RelaisDb *db = relais_db_open (path, RELAIS_DB_STATION, &error);

  g_assert_no_error (error);
  g_assert_true (relais_db_outbox_add (db, "k1", "help.raise", 1, "{}", &error));
  g_assert_no_error (error);
  relais_db_close (db);

  db = relais_db_open (path, RELAIS_DB_STATION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_STATION));
  g_assert_cmpint (relais_db_outbox_pending (db), ==, 1);
  relais_db_close (db);
}

static void
test_newer_schema_refused (void)
{
  g_autofree char *path = temp_db ("future.db");
  g_autoptr(GError) error = NULL;
  sqlite3  *raw = NULL;
  RelaisDb *db;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE keep (x); INSERT INTO keep VALUES (42); PRAGMA user_version = 999",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (raw);

  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_null (db);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "999"));

  /* Nothing was lost. */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (raw, "SELECT x FROM keep", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 42);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (raw);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db ("garbage.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char      *garbage = "this is not an sqlite file, but a letter from CAF\n";
  RelaisDb        *db;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  db = relais_db_open (path, RELAIS_DB_STATION, &error);
  g_assert_null (db);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
  /* The file is left as it was. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);
}

static void
test_unwritable_path (void)
{
  g_autoptr(GError) error = NULL;
  RelaisDb *db = relais_db_open ("/proc/relais/nowhere/hub.db", RELAIS_DB_HUB, &error);

  g_assert_null (db);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "/proc/relais"));
}

static void
test_outbox_cycle (void)
{
  g_autofree char *path = temp_db ("station.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_STATION, &error);
  g_autoptr(GPtrArray) due = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (relais_db_outbox_next_due (db), ==, -1);
  g_assert_true (relais_db_outbox_add (db, "a", "help.raise", 10, "{\"key\":\"a\"}", &error));
  g_assert_true (relais_db_outbox_add (db, "b", "help.raise", 11, "{\"key\":\"b\"}", &error));
  /* The same key twice is a conflict, and the first stays. */
  g_assert_false (relais_db_outbox_add (db, "a", "help.raise", 12, "{}", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT);
  g_clear_error (&error);

  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->key, ==, "a");
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->body, ==, "{\"key\":\"a\"}");
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_true (relais_db_outbox_mark_failed (db, "a", 5000, "hub down", &error));
  g_assert_true (relais_db_outbox_mark_delivered (db, "b", 1000, &error));
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  g_assert_cmpint (relais_db_outbox_next_due (db), ==, 5000);
  g_assert_cmpint (relais_db_outbox_pending (db), ==, 1);

  /* First in, first out: a newer event waits behind the one retrying. */
  g_assert_true (relais_db_outbox_add (db, "c", "help.raise", 13, "{\"key\":\"c\"}", &error));
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_true (relais_db_outbox_retry_now (db, &error));
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->key, ==, "a");
  g_assert_cmpint (((RelaisOutboxItem *) due->pdata[0])->attempts, ==, 1);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[1])->key, ==, "c");
  g_clear_pointer (&due, g_ptr_array_unref);

  /* Refused for good: set aside (kept), and the queue moves on. */
  g_assert_true (relais_db_outbox_mark_rejected (db, "a", 2000, "catégorie inconnue", &error));
  g_assert_cmpint (relais_db_outbox_rejected (db), ==, 1);
  g_assert_cmpint (relais_db_outbox_pending (db), ==, 1);
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->key, ==, "c");
}

/* A deposit the hub makes wait holds no event back: two lanes, each in
 * order. */
static void
test_outbox_lanes (void)
{
  g_autofree char *path = temp_db ("lanes.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_STATION, &error);
  g_autoptr(GBytes) envelope = g_bytes_new_static ("sealed", 6);
  g_autoptr(GPtrArray) due = NULL;

  g_assert_no_error (error);
  g_assert_true (relais_db_outbox_add_attached (db, "d1", "safe.deposit", 10, "{}", envelope, &error));
  g_assert_true (relais_db_outbox_add_attached (db, "d2", "safe.deposit", 11, "{}", envelope, &error));
  g_assert_true (relais_db_outbox_add (db, "h1", "help.raise", 12, "{}", &error));
  g_assert_no_error (error);

  /* The first deposit must wait an hour. */
  g_assert_true (relais_db_outbox_mark_failed (db, "d1", 3600000, "429", &error));
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_ATTACHMENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 0); /* d2 waits behind d1 */
  g_clear_pointer (&due, g_ptr_array_unref);
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_EVENTS, 1000, 10, &error);
  g_assert_cmpuint (due->len, ==, 1); /* the help request does not */
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->key, ==, "h1");
  g_assert_null (((RelaisOutboxItem *) due->pdata[0])->attachment);
  g_clear_pointer (&due, g_ptr_array_unref);
  g_assert_cmpint (relais_db_outbox_next_due (db), ==, 0);

  g_assert_true (relais_db_outbox_mark_delivered (db, "h1", 1000, &error));
  g_assert_cmpint (relais_db_outbox_next_due (db), ==, 3600000);
  due = relais_db_outbox_due (db, RELAIS_OUTBOX_ATTACHMENTS, 3600000, 10, &error);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[0])->key, ==, "d1");
  g_assert_nonnull (((RelaisOutboxItem *) due->pdata[0])->attachment);
  g_assert_cmpstr (((RelaisOutboxItem *) due->pdata[1])->key, ==, "d2");
}

static RelaisEventInfo
event (const char *key, const char *type)
{
  RelaisEventInfo info = { key, "station:poste-1", type, relais_db_now_ms (), "{}" };
  return info;
}

static void
test_help_lifecycle (void)
{
  g_autofree char *path = temp_db ("hub.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autoptr(RelaisHelpRequest) request = NULL;
  g_autoptr(GPtrArray) open = NULL;
  RelaisEventInfo ev;
  gboolean        duplicate = FALSE;
  gint64          seq_after_raise;

  ev = event ("e1", "help.raise");
  request = relais_db_help_raise (db, &ev, "h1", "poste-1", "scanner", NULL, "resident", NULL, NULL, RELAIS_HELP_CONTEXT_UNKNOWN, &duplicate, &error);
  g_assert_no_error (error);
  g_assert_false (duplicate);
  g_assert_cmpint (request->state, ==, RELAIS_HELP_STATE_RAISED);
  seq_after_raise = request->seq;
  g_clear_pointer (&request, relais_help_request_free);

  /* Replayed delivery: recorded once. */
  request = relais_db_help_raise (db, &ev, "h1", "poste-1", "scanner", NULL, "resident", NULL, NULL, RELAIS_HELP_CONTEXT_UNKNOWN, &duplicate, &error);
  g_assert_no_error (error);
  g_assert_true (duplicate);
  g_assert_cmpint (relais_db_event_count (db), ==, 1);
  g_clear_pointer (&request, relais_help_request_free);

  ev = event ("e2", "help.seen");
  request = relais_db_help_apply (db, &ev, "h1", RELAIS_HELP_SEEN, "Sophie", "login", NULL, &duplicate, &error);
  g_assert_cmpint (request->state, ==, RELAIS_HELP_STATE_SEEN);
  g_assert_cmpint (request->seen_at, >, 0);
  g_clear_pointer (&request, relais_help_request_free);

  ev = event ("e3", "help.take");
  request = relais_db_help_apply (db, &ev, "h1", RELAIS_HELP_TAKE, "Sophie", "login", NULL, &duplicate, &error);
  g_assert_cmpint (request->state, ==, RELAIS_HELP_STATE_TAKEN);
  g_assert_cmpstr (request->taken_by, ==, "Sophie");
  g_clear_pointer (&request, relais_help_request_free);

  /* A second console cannot take it. */
  ev = event ("e4", "help.take");
  request = relais_db_help_apply (db, &ev, "h1", RELAIS_HELP_TAKE, "Marc", "login", NULL, &duplicate, &error);
  g_assert_null (request);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Sophie"));
  g_clear_error (&error);
  request = relais_db_help_get (db, "h1", &error);
  g_assert_cmpstr (request->taken_by, ==, "Sophie");
  g_clear_pointer (&request, relais_help_request_free);

  /* Another station cannot cancel it. */
  ev = event ("e5", "help.cancel");
  request = relais_db_help_apply (db, &ev, "h1", RELAIS_HELP_CANCEL, NULL, NULL, "poste-2", &duplicate, &error);
  g_assert_null (request);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  open = relais_db_help_list_since (db, G_MAXINT64, NULL, &error);
  g_assert_cmpuint (open->len, ==, 1);
  g_clear_pointer (&open, g_ptr_array_unref);

  ev = event ("e6", "help.resolve");
  request = relais_db_help_apply (db, &ev, "h1", RELAIS_HELP_RESOLVE, "Sophie", "login", NULL, &duplicate, &error);
  g_assert_cmpint (request->state, ==, RELAIS_HELP_STATE_RESOLVED);
  g_assert_cmpint (request->closed_at, >, 0);
  g_clear_pointer (&request, relais_help_request_free);

  /* Closed: gone from the open list, still in a catch-up from before. */
  open = relais_db_help_list_since (db, G_MAXINT64, NULL, &error);
  g_assert_cmpuint (open->len, ==, 0);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = relais_db_help_list_since (db, seq_after_raise, "poste-1", &error);
  g_assert_cmpuint (open->len, ==, 1);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = relais_db_help_list_since (db, seq_after_raise, "poste-2", &error);
  g_assert_cmpuint (open->len, ==, 0);
}

static void
test_clients (void)
{
  g_autofree char *path = temp_db ("hub.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;

  g_assert_true (relais_db_client_enroll (db, "station", "poste-1", "hash-1", &error));
  g_assert_true (relais_db_client_lookup (db, "hash-1", &kind, &name, &error));
  g_assert_cmpstr (kind, ==, "station");
  g_assert_cmpstr (name, ==, "poste-1");
  /* Enrolling again replaces the token. */
  g_assert_true (relais_db_client_enroll (db, "station", "poste-1", "hash-2", &error));
  g_assert_false (relais_db_client_lookup (db, "hash-1", &kind, &name, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
}

/* TRUE when @path's schema has an index named @name. */
static gboolean
has_index (const char *path, const char *name)
{
  sqlite3      *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean      found;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1", -1, &stmt,
                                       NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return found;
}

/* Migration 26: a hub of schema 25 (the folded name's index alone) gets
 * the search's two narrow indexes, loses the one they replace, and its
 * people are found as before. */
static void
test_search_indexes (void)
{
  g_autofree char *path = temp_db ("hub.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson in = { 0 };
  sqlite3         *raw = NULL;
  RelaisDb        *db = relais_db_open (path, RELAIS_DB_HUB, &error);

  g_assert_no_error (error);
  g_assert_cmpint (relais_db_latest_version (RELAIS_DB_HUB), >=, 26);
  in.number = "501";
  in.surname = "Le Goff";
  in.first_names = "Valérie";
  in.birth_date = "1980-04-02";
  in.notify = "none";
  saved = relais_db_mail_person_save (db, &in, &error);
  g_assert_no_error (error);
  relais_db_close (db);

  /* Back to schema 25 as it was: the later migrations (a help context's
   * kind, the central queue and copy) undone too, so that they run again. */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
                                 "DROP INDEX mail_people_by_name; DROP INDEX mail_people_names;"
                                 "CREATE INDEX mail_people_folded ON mail_people (folded);" RELAIS_TEST_UNDO_HUB_MIGRATIONS_27_TO_30
                                 "PRAGMA user_version = 25;",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (raw);
  g_assert_true (has_index (path, "mail_people_folded"));

  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_HUB));
  g_assert_true (has_index (path, "mail_people_by_name"));
  g_assert_true (has_index (path, "mail_people_names"));
  g_assert_false (has_index (path, "mail_people_folded"));
  /* Every pass that reads through them: the name's start, a word's
   * bearers (a slip in the later word of a particle surname), a piece. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const queries[] = { "le goff val", "le gboff valerie", "off aler" };

      found = relais_db_mail_search (db, queries[i], 12, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (((RelaisMailPerson *) found->pdata[0])->number, ==, "501");
      g_clear_pointer (&found, g_ptr_array_unref);
    }
  relais_db_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/db/migrate-from-empty", test_migrate_from_empty);
  g_test_add_func ("/db/reopen-keeps-data", test_reopen_keeps_data);
  g_test_add_func ("/db/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/db/not-a-database", test_not_a_database);
  g_test_add_func ("/db/unwritable-path", test_unwritable_path);
  g_test_add_func ("/db/outbox-cycle", test_outbox_cycle);
  g_test_add_func ("/db/outbox-lanes", test_outbox_lanes);
  g_test_add_func ("/db/help-lifecycle", test_help_lifecycle);
  g_test_add_func ("/db/clients", test_clients);
  g_test_add_func ("/db/search-indexes", test_search_indexes);
  return g_test_run ();
}
