/* test-stats.c: session logs from a station's outbox to the staff's
 * dashboard: anonymous, aggregated, staff only, purged after retention. */
#include "relais-db-stats.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

typedef struct {
  RelaisTestHub *th;
  RelaisLink    *station;
  RelaisLink    *console;
} Fixture;

static gboolean
online (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_ONLINE;
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = NULL;

  fx->th = relais_test_hub_new ();
  outbox = g_build_filename (fx->th->dir, "station.db", NULL);
  fx->station = relais_link_new (fx->th->url, fx->th->station_token, outbox, &error);
  g_assert_no_error (error);
  fx->console = relais_link_new (fx->th->url, fx->th->console_token, NULL, &error);
  g_assert_no_error (error);
  relais_link_start (fx->station);
  relais_link_start (fx->console);
  g_assert_true (relais_test_wait (online, fx->station));
  g_assert_true (relais_test_wait (online, fx->console));
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  relais_link_stop (fx->station);
  relais_link_stop (fx->console);
  g_clear_object (&fx->station);
  g_clear_object (&fx->console);
  g_clear_pointer (&fx->th, relais_test_hub_free);
}

/* A session log as a station sends it, started at local @day @hour. */
static JsonObject *
session_log (int year, int month, int day, int hour, int scanned, int printed, const char *help_category)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (year, month, day, hour, 15, 0);
  JsonObject *log = json_object_new ();
  JsonArray  *help = json_array_new ();

  json_object_set_int_member (log, "started_at", g_date_time_to_unix (when) * 1000);
  json_object_set_int_member (log, "duration_s", 300);
  json_object_set_string_member (log, "language", "fr");
  json_object_set_string_member (log, "end", "button");
  json_object_set_int_member (log, "pages_scanned", scanned);
  json_object_set_int_member (log, "pages_printed", printed);
  json_object_set_int_member (log, "copies", 0);
  json_object_set_int_member (log, "saved_usb", 0);
  json_object_set_int_member (log, "saved_safe", 0);
  json_object_set_int_member (log, "mail_checks", 1);
  if (help_category != NULL)
    {
      JsonObject *h = json_object_new ();

      json_object_set_string_member (h, "category", help_category);
      json_object_set_int_member (h, "to_seen_s", 20);
      json_object_set_int_member (h, "to_taken_s", 90);
      json_object_set_null_member (h, "to_resolved_s");
      json_array_add_object_element (help, h);
    }
  json_object_set_array_member (log, "help", help);
  return log;
}

static gboolean
delivered (gpointer link)
{
  return relais_link_get_pending (link) == 0;
}

static void
test_dashboard_from_sessions (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *totals;
  JsonArray  *heat;
  JsonArray  *help;
  /* clang-format off */
  struct { int d, h, scanned, printed; const char *help; } sessions[] = {
    { 2, 9, 3, 2, "website" },    /* Monday 2 March 2026, 9h */
    { 2, 9, 1, 0, NULL },
    { 4, 14, 0, 5, "printer" },   /* Wednesday */
    { 30, 10, 2, 2, "website" },  /* Monday 30 */
  };
  /* clang-format on */

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autofree char *key = relais_link_queue_event (fx->station, "session.end",
                                                      session_log (2026, 3, sessions[i].d, sessions[i].h,
                                                                   sessions[i].scanned, sessions[i].printed,
                                                                   sessions[i].help),
                                                      &error);
      g_assert_no_error (error);
    }
  g_assert_true (relais_test_wait (delivered, fx->station));

  /* A mediator is not staff: the figures are not for them. */
  g_assert_true (relais_test_login (fx->console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  stats = relais_test_call (fx->console, "/stats?from=2026-03-01&to=2026-03-31", NULL, &error);
  g_assert_null (stats);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "responsables"));
  g_clear_error (&error);

  g_assert_true (relais_test_login (fx->console, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  stats = relais_test_call (fx->console, "/stats?from=2026-03-01&to=2026-03-31", NULL, &error);
  g_assert_no_error (error);
  totals = json_object_get_object_member (stats, "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "sessions"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (totals, "pages_scanned"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (totals, "pages_printed"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (totals, "help_requests"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (totals, "mail_checks"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stats, "days")), ==, 3);

  /* Monday 9h: two sessions; Wednesday 14h: one. */
  heat = json_object_get_array_member (stats, "heat");
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (heat, 0), 9), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (heat, 0), 10), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (heat, 2), 14), ==, 1);

  help = json_object_get_array_member (stats, "help");
  g_assert_cmpuint (json_array_get_length (help), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (help, 0), "category"), ==, "website");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (help, 0), "requests"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (help, 0), "avg_seen_s"), ==, 20);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (help, 0), "avg_resolved_s"));
  g_clear_pointer (&stats, json_object_unref);

  /* One day, one station. */
  stats = relais_test_call (fx->console, "/stats?from=2026-03-02&to=2026-03-02&station=poste-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "totals"), "sessions"), ==, 2);
  g_clear_pointer (&stats, json_object_unref);

  /* A bad period: a clear 400. */
  stats = relais_test_call (fx->console, "/stats?from=2026-03-31&to=2026-03-01", NULL, &error);
  g_assert_null (stats);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Période invalide"));
}

static void
test_log_is_anonymous (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = NULL;
  g_autofree char *key = NULL;
  JsonObject      *log = session_log (2026, 3, 5, 11, 1, 1, NULL);

  /* Anything that could name a person is refused, not stored. */
  json_object_set_string_member (log, "card", "12345");
  key = relais_link_queue_event (fx->station, "session.end", log, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_wait (delivered, fx->station));
  g_assert_cmpint (relais_link_get_rejected (fx->station), ==, 1);
  g_assert_cmpint (relais_db_stats_count_sessions (relais_hub_get_db (fx->th->hub)), ==, 0);
}

static void
test_purge_keeps_aggregates (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-stats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autoptr(GDateTime) old = g_date_time_new_local (2024, 1, 15, 10, 0, 0);
  g_autoptr(GDateTime) recent = g_date_time_new_local (2026, 3, 15, 10, 0, 0);
  g_autoptr(RelaisStats) stats = NULL;
  RelaisSessionLog log = { 0, 120, "fr", "timeout", 2, 1, 0, 0, 0, 0, 0, NULL };
  gboolean         duplicate = FALSE;
  gint64           deleted = 0;

  g_assert_no_error (error);
  log.started_at = g_date_time_to_unix (old) * 1000;
  {
    RelaisEventInfo info = { "old", "station:poste-1", "session.end", log.started_at, "{}" };
    g_assert_true (relais_db_stats_record_session (db, &info, "poste-1", &log, &duplicate, &error));
    /* The same event again: counted once. */
    g_assert_true (relais_db_stats_record_session (db, &info, "poste-1", &log, &duplicate, &error));
    g_assert_true (duplicate);
  }
  log.started_at = g_date_time_to_unix (recent) * 1000;
  {
    RelaisEventInfo info = { "recent", "station:poste-1", "session.end", log.started_at, "{}" };
    g_assert_true (relais_db_stats_record_session (db, &info, "poste-1", &log, &duplicate, &error));
  }
  g_assert_cmpint (relais_db_stats_count_sessions (db), ==, 2);

  /* Thirteen months before 15 March 2026. */
  {
    g_autoptr(GDateTime) limit = g_date_time_add_months (recent, -13);
    g_assert_true (relais_db_stats_purge (db, g_date_time_to_unix (limit) * 1000, &deleted, &error));
  }
  g_assert_cmpint (relais_db_stats_count_sessions (db), ==, 1);
  g_assert_cmpint (deleted, >=, 1);

  /* The detailed row is gone; its day still counts. */
  stats = relais_db_stats_query (db, "2024-01-01", "2024-01-31", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->totals.sessions, ==, 1);
  g_assert_cmpint (stats->totals.pages_scanned, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/stats/dashboard-from-sessions", Fixture, NULL, fixture_set_up, test_dashboard_from_sessions, fixture_tear_down);
  g_test_add ("/stats/log-is-anonymous", Fixture, NULL, fixture_set_up, test_log_is_anonymous, fixture_tear_down);
  g_test_add_func ("/stats/purge-keeps-aggregates", test_purge_keeps_aggregates);
  return g_test_run ();
}
