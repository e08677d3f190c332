/* test-session-ui.c: a resident's session at the station under Xvfb: the
 * idle countdown on a clock the test controls, the end that wipes
 * everything, the anonymous log that reaches the hub, the welcome screen
 * in every language. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "relais-db-stats.h"
#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-help-page.h"
#include "station-scan-page.h"
#include "station-window.h"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *window;
static gint64           fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

static gboolean
online (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_ONLINE;
}

static const char *
visible_page (void)
{
  GtkWidget *welcome = station_window_get_page (window, "welcome");
  GtkWidget *stack = gtk_widget_get_parent (welcome);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static void
start_session (const char *language)
{
  g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", language);
  relais_test_ui_settle (100);
}

static gboolean
hub_has_sessions (gpointer n)
{
  return relais_db_stats_count_sessions (relais_hub_get_db (hub->hub)) == GPOINTER_TO_INT (n);
}

static void
test_idle_countdown (void)
{
  g_autofree char *shot = NULL;

  start_session ("fr");
  g_assert_true (station_session_is_active (services->session));
  g_assert_cmpstr (visible_page (), ==, "home");

  /* Two minutes twenty without a touch: not yet. */
  fake_now += 140 * G_USEC_PER_SEC;
  station_window_check_idle (window);
  g_assert_false (station_window_is_counting_down (window));

  /* 25 s left: the countdown says so, over the screen. */
  fake_now += 15 * G_USEC_PER_SEC;
  station_window_check_idle (window);
  g_assert_true (station_window_is_counting_down (window));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "session-countdown");

  /* "Je suis encore là": the deadline moves. */
  station_session_touch (services->session);
  station_window_check_idle (window);
  g_assert_false (station_window_is_counting_down (window));
  g_assert_true (station_session_is_active (services->session));

  /* Then nobody: the session ends by itself, back to the welcome screen. */
  fake_now += 181 * G_USEC_PER_SEC;
  station_window_check_idle (window);
  g_assert_false (station_session_is_active (services->session));
  g_assert_cmpstr (visible_page (), ==, "welcome");
  g_assert_true (relais_test_wait (hub_has_sessions, GINT_TO_POINTER (1)));
}

static gboolean
scan_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

static void
test_end_wipes_everything (void)
{
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *new_files = NULL;
  g_autoptr(JsonObject) log = NULL;
  GtkWidget *scan;

  before = relais_test_station_list_files ();
  start_session ("en");
  scan = station_window_get_page (window, "scan");
  station_window_show_page (window, "scan");
  station_scan_page_scan (STATION_SCAN_PAGE (scan));
  g_assert_true (relais_test_wait (scan_idle, scan));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)), >=, 1);
  station_help_page_raise (STATION_HELP_PAGE (station_window_get_page (window, "help")), "website");
  gtk_clipboard_set_text (gtk_clipboard_get (GDK_SELECTION_CLIPBOARD), "mon numéro CAF 1234567", -1);

  /* What the log will say: counts, no id, no text of the resident. */
  log = station_session_dup_log (services->session, STATION_END_BUTTON);
  g_assert_cmpint (json_object_get_int_member (log, "pages_scanned"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (log, "language"), ==, "en");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (log, "help")), ==, 1);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), log);
    g_autofree char *text = json_to_string (node, FALSE);
    g_assert_null (strstr (text, "\"id\""));
    g_assert_null (strstr (text, "1234567"));
  }

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (200);

  /* The pages were rebuilt empty; the clipboard holds nothing. */
  scan = station_window_get_page (window, "scan");
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)), ==, 0);
  g_assert_null (station_help_page_get_state (STATION_HELP_PAGE (station_window_get_page (window, "help"))));
  {
    g_autofree char *clip = gtk_clipboard_wait_for_text (gtk_clipboard_get (GDK_SELECTION_CLIPBOARD));
    g_assert_true (clip == NULL || *clip == '\0');
  }
  g_assert_cmpstr (visible_page (), ==, "welcome");

  /* And no file of the resident anywhere the station may write. */
  new_files = relais_test_station_new_files (before);
  g_test_message ("new files after the session: %s", *new_files != '\0' ? new_files : "none");
  g_assert_cmpstr (new_files, ==, "");
  g_assert_true (relais_test_wait (hub_has_sessions, GINT_TO_POINTER (2)));
}

/* How many widgets of @type under @widget a person can see (the widget and
 * every ancestor visible). */
static guint
count_visible (GtkWidget *widget,
               GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_is_visible (widget) ? 1 : 0;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        n += count_visible (l->data, type);
    }
  return n;
}

/* A label under @widget reads @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        if (has_label (l->data, text))
          return TRUE;
    }
  return FALSE;
}

static void
test_welcome_in_every_language (void)
{
  static const char * const languages[] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *name = g_strdup_printf ("welcome-%s", languages[i]);
      g_autofree char *shot = NULL;

      station_window_set_language (window, languages[i]);
      station_window_show_page (window, "welcome");
      /* The catalogue in force is this language's, not the previous one. */
      if (g_str_equal (languages[i], "fr"))
        g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, "Bienvenue"), ==, "Bienvenue");
      else
        {
          const char *welcome = dgettext (GETTEXT_PACKAGE, "Bienvenue");
          g_assert_cmpstr (welcome, !=, "Bienvenue");
          g_assert_true (i < 2 || g_strcmp0 (welcome, "Welcome") != 0);
        }
      g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==,
                       g_str_equal (languages[i], "ar") ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      shot = relais_test_ui_screenshot (GTK_WIDGET (window), name);

      /* The pages rebuilt in this language show their contents: the home
       * screen its six tiles, "Mon courrier" its two fields. */
      station_window_show_page (window, "home");
      relais_test_ui_settle (50);
      g_assert_cmpuint (count_visible (station_window_get_page (window, "home"), GTK_TYPE_BUTTON), >=, 6);
      /* Words from a template (assets/ui/) are in this language too. */
      g_assert_true (has_label (station_window_get_page (window, "home"),
                                dgettext (GETTEXT_PACKAGE, "Numériser un document")));
      station_window_show_page (window, "mail");
      relais_test_ui_settle (50);
      g_assert_cmpuint (count_visible (station_window_get_page (window, "mail"), GTK_TYPE_ENTRY), ==, 2);
      station_window_show_page (window, "home");
      g_free (shot);
      g_free (name);
      name = g_strdup_printf ("home-%s", languages[i]);
      shot = relais_test_ui_screenshot (GTK_WIDGET (window), name);
    }
  station_window_set_language (window, "fr");
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *tmp = NULL;
  int              rc;

  /* A private temporary folder, set before GLib first reads TMPDIR, so
   * that the wipe proof sees the station's temporary files and nobody
   * else's (other tests run beside this one). */
  tmp = g_strdup ("/tmp/relais-session-XXXXXX");
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  db_path = g_build_filename (g_get_user_data_dir (), "relais", "station.db", NULL);
  services = relais_test_station_services_new (hub, (const char * const[]) {
                                                        "station", "database", db_path,
                                                        "scanner", "device", "test:0",
                                                        "printer", "destination", "none-here",
                                                        NULL });
  station_session_set_clock (services->session, fake_clock, NULL);
  fake_now = 1000 * G_USEC_PER_SEC;

  window = relais_test_station_window_new (services);
  relais_link_start (services->link);
  g_assert_true (relais_test_wait (online, services->link));
  /* Small pages: see tests/meson.build on libsane-test's reader thread. */
  relais_scanner_sane_set_option_string (services->scanner, "br-x", "20", NULL);
  relais_scanner_sane_set_option_string (services->scanner, "br-y", "20", NULL);

  g_test_add_func ("/session-ui/idle-countdown", test_idle_countdown);
  g_test_add_func ("/session-ui/end-wipes-everything", test_end_wipes_everything);
  g_test_add_func ("/session-ui/welcome-in-every-language", test_welcome_in_every_language);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  return rc;
}
