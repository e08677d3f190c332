/* test-help-ui.c: a help request from the station's screen to the
 * console's, under Xvfb with the real hub on loopback: the language of the
 * session goes with it; "Vu" is sent only once a person has the queue in
 * front of them; a resident who leaves shows as "parti"; "Postes" says
 * what each station is doing in plain words. The console belongs to a
 * registered application with no session bus, as in the demo. */
#include "mediator-stations.h"
#include "mediator-window.h"
#include "relais-db-help.h"
#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-help-page.h"
#include "station-window.h"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *station;
static GtkApplication  *app;
static RelaisLink      *console;
static MediatorWindow  *window;
static gint64           fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (window) != NULL;
}

static gboolean
online (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_ONLINE;
}

static void
start_session (const char *language)
{
  g_signal_emit_by_name (station_window_get_page (station, "welcome"), "start", language);
  relais_test_ui_settle (100);
}

static StationHelpPage *
help_page (void)
{
  return STATION_HELP_PAGE (station_window_get_page (station, "help"));
}

/* The hub's own record of request @id. */
static char *
hub_state (const char *id)
{
  g_autoptr(RelaisHelpRequest) request = relais_db_help_get (relais_hub_get_db (hub->hub), id, NULL);

  return request != NULL ? g_strdup (relais_help_state_to_string (request->state)) : NULL;
}

typedef struct {
  const char *id;
  const char *state;
} Expect;

static gboolean
hub_has_state (gpointer data)
{
  const Expect    *e = data;
  g_autofree char *state = hub_state (e->id);

  return g_strcmp0 (state, e->state) == 0;
}

static gboolean
console_has_state (gpointer data)
{
  const Expect *e = data;

  return g_strcmp0 (mediator_window_get_state (window, e->id), e->state) == 0;
}

static gboolean
console_has_row (gpointer id)
{
  return mediator_window_get_state (window, id) != NULL;
}

static gboolean
gone (gpointer id)
{
  return mediator_window_get_state (window, id) == NULL;
}

static gboolean
console_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (window)) == GPOINTER_TO_INT (data);
}

/* Under Xvfb without a window manager, presenting a window gives it the
 * keyboard focus, as a person clicking on it would. */
static void
focus_console (gboolean focused)
{
  gtk_window_present (focused ? GTK_WINDOW (window) : GTK_WINDOW (station));
  g_assert_true (relais_test_wait (console_active, GINT_TO_POINTER (focused)));
}

static const char *
requests_tab_title (void)
{
  GtkWidget  *views = gtk_widget_get_parent (mediator_window_get_stations (window));
  GtkWidget  *requests = gtk_stack_get_child_by_name (GTK_STACK (views), "requests");
  const char *title = NULL;

  gtk_container_child_get (GTK_CONTAINER (views), requests, "title", &title, NULL);
  return title;
}

static void
test_language (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *shot = NULL;
  GtkWidget       *arabic;
  g_autofree char *id = NULL;
  JsonArray       *requests;
  gboolean         found = FALSE;

  start_session ("ar");
  station_window_show_page (station, "help");
  /* "Je parle" starts on the session's language. */
  g_assert_cmpstr (station_help_page_get_language (help_page ()), ==, "ar");
  arabic = relais_test_ui_find (GTK_WIDGET (help_page ()), GTK_TYPE_RADIO_BUTTON, "العربية");
  g_assert_nonnull (arabic);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (arabic)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (relais_test_ui_find (GTK_WIDGET (help_page ()),
                                                                                        GTK_TYPE_RADIO_BUTTON,
                                                                                        "Français"))));
  /* One window on screen at a time: screenshots read the screen. */
  gtk_widget_hide (GTK_WIDGET (window));
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "help-ui-station-arabic");
  gtk_widget_show (GTK_WIDGET (window));

  id = g_strdup (station_help_page_raise (help_page (), "other"));
  g_assert_nonnull (id);
  g_assert_true (relais_test_wait (console_has_row, (gpointer) id));

  /* The hub stored it and returns it… */
  {
    g_autoptr(RelaisHelpRequest) request = relais_db_help_get (relais_hub_get_db (hub->hub), id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (request->language, ==, "ar");
  }
  list = relais_test_call (console, "/help", NULL, &error);
  g_assert_no_error (error);
  requests = json_object_get_array_member (list, "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (r, "id"), id))
        {
          g_assert_cmpstr (json_object_get_string_member_with_default (r, "language", NULL), ==, "ar");
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* …and the console names the language, in French and in its script. */
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "parle : arabe (العربية)"));

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

static void
test_seen_only_on_screen (void)
{
  g_autofree char *shot = NULL;
  g_autofree char *state = NULL;
  g_autofree char *id = NULL;
  Expect           raised = { NULL, "raised" };
  Expect           seen = { NULL, "seen" };

  /* The mediator works in "Postes", the window focused. */
  mediator_window_show_view (window, "stations");
  focus_console (TRUE);
  start_session ("fr");
  id = g_strdup (station_help_page_raise (help_page (), "printer"));
  raised.id = seen.id = id;
  g_assert_true (relais_test_wait (console_has_state, &raised));
  /* The console has it, but nobody looks at the queue: no "Vu". (A
   * console of the old kind sent it at once; the pause lets it arrive.) */
  relais_test_ui_settle (600);
  state = hub_state (id);
  g_assert_cmpstr (state, ==, "raised");
  g_assert_false (mediator_window_queue_on_screen (window));
  /* The tab says one is waiting. */
  g_assert_cmpstr (requests_tab_title (), ==, "Demandes d'aide (1)");
  g_assert_cmpuint (mediator_window_get_n_waiting (window), ==, 1);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-console-tab-count");

  /* The queue shown, but the window in the background: still no "Vu". */
  focus_console (FALSE);
  mediator_window_show_view (window, "requests");
  relais_test_ui_settle (600);
  g_clear_pointer (&state, g_free);
  state = hub_state (id);
  g_assert_cmpstr (state, ==, "raised");
  g_assert_cmpstr (station_help_page_get_state (help_page ()), ==, "raised");

  /* The mediator comes back to the window: now it is seen, and the
   * resident's screen says so. */
  focus_console (TRUE);
  g_assert_true (mediator_window_queue_on_screen (window));
  g_assert_true (relais_test_wait (hub_has_state, &seen));
  g_assert_true (relais_test_wait (console_has_state, &seen));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-console-seen");
  gtk_widget_hide (GTK_WIDGET (window));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "help-ui-station-seen");
  gtk_widget_show (GTK_WIDGET (window));
  g_assert_nonnull (strstr (station_help_page_get_status (help_page ()), "Vu"));
  mediator_window_take (window, id);
  g_assert_true (relais_test_wait (console_has_state, &(Expect) { id, "taken" }));
  mediator_window_resolve (window, id);
  g_assert_true (relais_test_wait (gone, (gpointer) id));
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

static gboolean
ringing (gpointer id)
{
  return mediator_window_is_ringing (window, id);
}

static void
test_left_and_ringing (void)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autofree char *shot = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *state = NULL;
  Expect           taken = { NULL, "taken" };
  Expect           left = { NULL, "left" };
  Expect           hub_left = { NULL, "left" };

  focus_console (TRUE);
  mediator_window_show_view (window, "requests");
  start_session ("fr");
  /* One request resolved, one nobody takes in time. */
  resolved = g_strdup (station_help_page_raise (help_page (), "scanner"));
  taken.id = resolved;
  g_assert_true (relais_test_wait (console_has_state, &(Expect) { resolved, "seen" }));
  mediator_window_take (window, resolved);
  g_assert_true (relais_test_wait (console_has_state, &taken));
  mediator_window_resolve (window, resolved);
  g_assert_true (relais_test_wait (gone, resolved));

  relais_hub_set_ring_again (hub->hub, 300);
  station_window_show_page (station, "home");
  waiting = g_strdup (station_help_page_raise (help_page (), "website"));
  g_assert_true (relais_test_wait (ringing, waiting));
  relais_hub_set_ring_again (hub->hub, 3 * 60 * 1000);
  /* Ringing is shown with an icon every font can draw. */
  g_assert_nonnull (relais_test_ui_find (GTK_WIDGET (window), GTK_TYPE_IMAGE, NULL));
  g_assert_cmpuint (relais_test_ui_count_unknown_glyphs (GTK_WIDGET (window), report), ==, 0);
  g_test_message ("unknown glyphs: %s", report->str);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-console-ringing");

  /* Nobody touches the station: the session ends, the console says the
   * resident left instead of sending someone to an empty station. */
  fake_now += 200 * G_USEC_PER_SEC;
  station_window_check_idle (station);
  g_assert_false (station_session_is_active (services->session));
  left.id = hub_left.id = waiting;
  g_assert_true (relais_test_wait (hub_has_state, &hub_left));
  g_assert_true (relais_test_wait (console_has_state, &left));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "parti"));
  g_assert_false (mediator_window_is_ringing (window, waiting));
  g_assert_cmpuint (mediator_window_get_n_waiting (window), ==, 0);
  g_assert_cmpstr (requests_tab_title (), ==, "Demandes d'aide");
  state = hub_state (resolved);
  g_assert_cmpstr (state, ==, "resolved");
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-console-left");

  /* "Retirer" takes the line away. */
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "Retirer"));
  mediator_window_dismiss (window, waiting);
  g_assert_null (mediator_window_get_state (window, waiting));
}

static void
test_left_on_terminer (void)
{
  Expect           left = { NULL, "left" };
  Expect           raised = { NULL, "raised" };
  g_autofree char *cancelled = NULL;
  g_autofree char *state = NULL;
  g_autofree char *id = NULL;

  start_session ("fr");
  /* A request the resident cancelled is not "left" afterwards. */
  cancelled = g_strdup (station_help_page_raise (help_page (), "mail"));
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find (GTK_WIDGET (help_page ()), GTK_TYPE_BUTTON, "Annuler ma demande")));
  g_assert_true (relais_test_wait (hub_has_state, &(Expect) { cancelled, "cancelled" }));
  id = g_strdup (station_help_page_raise (help_page (), "safe"));
  left.id = raised.id = id;
  g_assert_true (relais_test_wait (hub_has_state, &(Expect) { id, "seen" }));
  /* "Terminer". */
  station_session_end (services->session, STATION_END_BUTTON);
  g_assert_true (relais_test_wait (hub_has_state, &left));
  g_assert_true (relais_test_wait (console_has_state, &left));
  state = hub_state (cancelled);
  g_assert_cmpstr (state, ==, "cancelled");
  g_assert_cmpint (relais_link_get_rejected (services->link), ==, 0);
}

typedef struct {
  const char *prefix;
} Activity;

static gboolean
station_says (gpointer data)
{
  MediatorStations *stations = MEDIATOR_STATIONS (mediator_window_get_stations (window));
  const char       *activity = mediator_stations_get_activity (stations, "poste-1");

  return activity != NULL && g_str_has_prefix (activity, data);
}

static void
test_stations (void)
{
  g_autofree char *shot = NULL;

  focus_console (TRUE);
  mediator_window_show_view (window, "stations");
  /* At the welcome screen, between two residents: free. */
  g_assert_true (relais_test_wait (station_says, "libre"));

  start_session ("fr");
  g_assert_true (relais_test_wait (station_says, "en cours d'utilisation depuis 0 min — menu principal"));
  station_window_show_page (station, "scan");
  g_assert_true (relais_test_wait (station_says, "en cours d'utilisation depuis 0 min — numérisation"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-stations-in-use");

  /* Nobody touches it: the countdown is on the station, and said here. */
  fake_now += 160 * G_USEC_PER_SEC;
  station_window_check_idle (station);
  g_assert_true (station_window_is_counting_down (station));
  g_assert_true (relais_test_wait (station_says, "fin de session dans 2"));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-stations-countdown");

  /* "Je suis encore là". */
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find (GTK_WIDGET (station), GTK_TYPE_BUTTON, "encore")));
  station_window_check_idle (station);
  g_assert_true (relais_test_wait (station_says, "en cours d'utilisation depuis"));

  /* Then the end: back to the welcome screen, free. */
  fake_now += 200 * G_USEC_PER_SEC;
  station_window_check_idle (station);
  g_assert_true (relais_test_wait (station_says, "libre"));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "help-ui-stations-free");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  RelaisConfig *config;
  int           rc;

  /* No session bus, as in the demo under Xvfb: notifications must not
   * end in GLib criticals (fatal here). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/relais-no-bus", TRUE);
  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  config = relais_test_hub_station_config (hub, (const char * const[]) {
                                                    "scanner", "device", "none-here",
                                                    "printer", "destination", "none-here",
                                                    NULL });
  services = station_services_new (config, &error);
  g_assert_no_error (error);
  station_services_set_probe_interval (services, 0);
  station_session_set_clock (services->session, fake_clock, NULL);
  fake_now = 1000 * G_USEC_PER_SEC;
  station_load_css ();
  station = station_window_new (NULL, services);
  gtk_window_move (GTK_WINDOW (station), 0, 0);
  relais_link_start (services->link);
  g_assert_true (relais_test_wait (online, services->link));

  app = gtk_application_new ("fr.relais.TestHelpUi", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (app, console);
  gtk_window_move (GTK_WINDOW (window), 0, 0);
  relais_link_start (console);
  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));

  g_test_add_func ("/help-ui/language", test_language);
  g_test_add_func ("/help-ui/seen-only-on-screen", test_seen_only_on_screen);
  g_test_add_func ("/help-ui/left-and-ringing", test_left_and_ringing);
  g_test_add_func ("/help-ui/left-on-terminer", test_left_on_terminer);
  g_test_add_func ("/help-ui/stations", test_stations);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_link_stop (console);
  g_clear_object (&console);
  g_clear_object (&app);
  gtk_widget_destroy (GTK_WIDGET (station));
  g_object_unref (services);
  relais_test_hub_free (hub);
  return rc;
}
