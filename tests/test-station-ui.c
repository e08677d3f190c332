/* test-station-ui.c: the kiosk under Xvfb with real parts: SANE's test
 * backend, a private cupsd with cups-pdf, the hub on loopback. The thin
 * path: scan → PDF → print → the PDF lands; help → "Vu". */
#include <glib/gstdio.h>
#include <poppler.h>

#include "relais-test-hub.h"
#include "relais-db-help.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-pages.h"
#include "station-window.h"

static RelaisTestHub *hub;
static char *cups_dir;
static StationServices *services;
static StationWindow *window;
static RelaisLink *console;

static char *
fixture_script (void)
{
  return g_build_filename (relais_test_source_dir (), "tests", "fixtures", "relais-cupsd", NULL);
}

static void
start_cupsd (void)
{
  g_autofree char *script = fixture_script ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { script, "start", NULL, NULL };

  cups_dir = g_dir_make_tmp ("relais-cups-XXXXXX", &error);
  g_assert_no_error (error);
  argv[2] = cups_dir;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strstrip (out);
  g_assert_true (g_str_has_prefix (out, "CUPS_SERVER="));
  g_setenv ("CUPS_SERVER", out + strlen ("CUPS_SERVER="), TRUE);
}

static void
stop_cupsd (void)
{
  g_autofree char *script = fixture_script ();
  const char *argv[] = { script, "stop", cups_dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gboolean
online (gpointer data)
{
  return relais_link_get_state (data) == RELAIS_LINK_ONLINE;
}

static gboolean
scan_page_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

static void
test_home (void)
{
  g_autofree char *shot = NULL;

  g_assert_true (relais_test_wait (online, services->link));
  station_window_show_page (window, "home");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-home");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (station_window_get_link_text (window), ==, "● relié");
}

static void
test_scan_and_print (void)
{
  GtkWidget *page = station_window_get_page (window, "scan");
  g_autofree char *shot = NULL;
  g_autofree char *script = fixture_script ();
  g_autofree char *out = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) pdfs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = NULL;
  const char *argv[] = { script, "wait-pdf", cups_dir, "1", "60", NULL };
  int status = 0;

  g_assert_nonnull (services->scanner);
  g_assert_nonnull (services->printer);
  station_window_show_page (window, "scan");
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (page)), ==, 1);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan");

  station_scan_page_print (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpint (station_scan_page_get_job (STATION_SCAN_PAGE (page)), >, 0);
  g_test_message ("status: %s", station_scan_page_get_status (STATION_SCAN_PAGE (page)));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-printed");

  /* "completed" is no proof: the PDF that landed is. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pdfs = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (pdfs), ==, 1);
  uri = g_filename_to_uri (pdfs[0], NULL, NULL);
  doc = G_OBJECT (poppler_document_new_from_file (uri, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (doc)), ==, 1);

  /* Back home, nothing of the document remains in the page. */
  station_scan_page_clear (STATION_SCAN_PAGE (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (page)), ==, 0);
}

static gboolean
hub_has_reason (gpointer reason)
{
  g_autoptr(GPtrArray) open = relais_db_help_list_since (relais_hub_get_db (hub->hub), G_MAXINT64, NULL, NULL);

  for (guint i = 0; open != NULL && i < open->len; i++)
    {
      RelaisHelpRequest *request = g_ptr_array_index (open, i);
      if (g_strcmp0 (request->reason, reason) == 0 && g_str_equal (request->origin, "station"))
        return TRUE;
    }
  return FALSE;
}

static void
test_jam_calls_for_help (void)
{
  GtkWidget *page = station_window_get_page (window, "scan");
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;

  station_window_show_page (window, "scan");
  /* A page small enough for the test backend's reader thread to finish
   * before it is cancelled: cancelling it mid-write can deadlock it inside
   * malloc (seen under MALLOC_PERTURB_, in libsane-test's own thread). */
  relais_scanner_sane_set_option_string (services->scanner, "br-x", "20", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-y", "20", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "read-return-value", "SANE_STATUS_JAMMED", &error);
  g_assert_no_error (error);
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  /* The resident reads what to do, and knows someone is coming. */
  g_assert_nonnull (strstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), "coincé"));
  g_assert_nonnull (strstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), "Un médiateur a été prévenu"));
  g_assert_true (relais_test_wait (hub_has_reason, "scanner-jammed"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scanner-jammed");

  relais_scanner_sane_set_option_string (services->scanner, "read-return-value", "Default", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-x", "80", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-y", "100", &error);
  g_assert_no_error (error);
  station_scan_page_clear (STATION_SCAN_PAGE (page));
}

static void
seen_cb (RelaisLink *link, JsonObject *request, gpointer data)
{
  if (g_strcmp0 (json_object_get_string_member (request, "state"), "raised") == 0)
    relais_link_help_action_async (link, json_object_get_string_member (request, "id"), "seen",
                                   NULL, NULL, NULL);
}

static gboolean
help_seen (gpointer page)
{
  return g_strcmp0 (station_help_page_get_state (page), "seen") == 0;
}

static void
test_help_seen (void)
{
  GtkWidget *page = station_window_get_page (window, "help");
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;

  station_window_show_page (window, "help");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-choose");
  g_clear_pointer (&shot, g_free);

  /* A console that marks what it displays as seen, as the real one does. */
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (console, "help-changed", G_CALLBACK (seen_cb), NULL);
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  relais_link_start (console);

  g_assert_nonnull (station_help_page_raise (STATION_HELP_PAGE (page), "scanner"));
  g_assert_true (relais_test_wait (help_seen, page));
  g_assert_nonnull (strstr (station_help_page_get_status (STATION_HELP_PAGE (page)), "Vu"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-seen");
  relais_link_stop (console);
  g_clear_object (&console);
}

static gboolean
offline (gpointer data)
{
  return relais_link_get_state (data) == RELAIS_LINK_OFFLINE;
}

static void
test_help_offline (void)
{
  GtkWidget *page = station_window_get_page (window, "help");
  g_autofree char *shot = NULL;

  relais_test_hub_stop (hub);
  g_assert_true (relais_test_wait (offline, services->link));
  g_assert_nonnull (station_help_page_raise (STATION_HELP_PAGE (page), "printer"));
  /* An answer at once, never a void. */
  g_assert_cmpstr (station_help_page_get_status (STATION_HELP_PAGE (page)), ==,
                   "La console des médiateurs ne répond pas : adressez-vous à l'accueil.");
  g_assert_cmpint (relais_link_get_pending (services->link), ==, 1);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-offline");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *config_path = NULL;
  g_autofree char *db_path = NULL;
  RelaisConfig *config;
  int rc;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: GTK needs the system's data dirs
   * (icons, MIME database); only the user's own dirs are made private. */
  g_test_init (&argc, &argv, NULL);
  relais_test_ui_isolate_user_dirs ();
  gtk_init (&argc, &argv);

  start_cupsd ();
  hub = relais_test_hub_new ();

  config_path = g_build_filename (hub->dir, "station.conf", NULL);
  db_path = g_build_filename (hub->dir, "station.db", NULL);
  g_key_file_set_string (keyfile, "hub", "url", hub->url);
  g_key_file_set_string (keyfile, "station", "token", hub->station_token);
  g_key_file_set_string (keyfile, "station", "database", db_path);
  g_key_file_set_string (keyfile, "station", "fullscreen", "false");
  g_key_file_set_string (keyfile, "scanner", "device", "test:0");
  g_key_file_save_to_file (keyfile, config_path, &error);
  g_assert_no_error (error);
  config = relais_config_load (RELAIS_PROGRAM_STATION, config_path, &error);
  g_assert_no_error (error);
  services = station_services_new (config, &error);
  g_assert_no_error (error);

  station_load_css ();
  window = station_window_new (NULL, services);
  gtk_widget_show (GTK_WIDGET (window));
  relais_link_start (services->link);

  g_test_add_func ("/station-ui/home", test_home);
  g_test_add_func ("/station-ui/scan-and-print", test_scan_and_print);
  g_test_add_func ("/station-ui/jam-calls-for-help", test_jam_calls_for_help);
  g_test_add_func ("/station-ui/help-seen", test_help_seen);
  g_test_add_func ("/station-ui/help-offline", test_help_offline);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (window));
  station_services_free (services);
  relais_test_hub_free (hub);
  stop_cupsd ();
  return rc;
}
