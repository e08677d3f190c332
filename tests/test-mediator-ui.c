/* test-mediator-ui.c: the console under Xvfb, fed live by the real hub. */
#include <poppler.h>

#include "mediator-window.h"
#include "mediator-dashboard.h"
#include "mediator-help-outcome.h"
#include "mediator-purge.h"
#include "mediator-import.h"
#include "relais-db-accounts.h"
#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-stats.h"
#include "mediator-stations.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

static RelaisTestHub  *hub;
static RelaisLink     *station;
static MediatorWindow *window;

static char *
raise_request (const char *category)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char            *id = g_uuid_string_random ();
  JsonObject      *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", category);
  key = relais_link_queue_event (station, "help.raise", data, &error);
  g_assert_no_error (error);
  return id;
}

static char *
raise_with_context (const char *context,
                    const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char            *id = g_uuid_string_random ();
  JsonObject      *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", "other");
  json_object_set_string_member (data, "context", context);
  if (kind != NULL)
    json_object_set_string_member (data, "context_kind", kind);
  key = relais_link_queue_event (station, "help.raise", data, &error);
  g_assert_no_error (error);
  return id;
}

typedef struct {
  const char *id;
  const char *state;
} Expect;

static gboolean
shows_state (gpointer data)
{
  const Expect *e = data;
  return g_strcmp0 (mediator_window_get_state (window, e->id), e->state) == 0;
}

static gboolean
gone (gpointer data)
{
  return mediator_window_get_state (window, data) == NULL;
}

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (window) != NULL;
}

static gboolean
login_refused (gpointer data)
{
  return strstr (mediator_window_get_login_message (window), "incorrect") != NULL;
}

static void
test_login (void)
{
  g_autofree char *shot = NULL;

  /* A wrong password is refused plainly. */
  mediator_window_login (window, "sophie", "not-her-password");
  g_assert_true (relais_test_wait (login_refused, NULL));
  g_assert_null (mediator_window_get_mediator (window));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-login");

  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));
  g_assert_cmpstr (mediator_window_get_mediator (window), ==, "Sophie");
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (window));
}

static void
test_live_queue (void)
{
  g_autofree char *printer = NULL;
  g_autofree char *website = NULL;
  g_autofree char *shot = NULL;
  Expect           printer_seen = { NULL, "seen" };
  Expect           website_seen = { NULL, "seen" };
  Expect           website_taken = { NULL, "taken" };

  /* The mediator has the console in front of them (under Xvfb with no
   * window manager, presenting gives the focus), on the queue: a console
   * opens on it. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (relais_test_wait (window_active, NULL));
  g_assert_true (mediator_window_queue_on_screen (window));
  printer = raise_request ("printer");
  website = raise_request ("website");
  printer_seen.id = printer;
  website_seen.id = website;
  website_taken.id = website;

  /* Displayed to a person, hence marked seen by the console itself. */
  g_assert_true (relais_test_wait (shows_state, &printer_seen));
  g_assert_true (relais_test_wait (shows_state, &website_seen));
  g_assert_cmpuint (mediator_window_get_n_open (window), ==, 2);

  mediator_window_take (window, website);
  g_assert_true (relais_test_wait (shows_state, &website_taken));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-queue");

  mediator_window_resolve (window, website);
  g_assert_true (relais_test_wait (gone, website));
  g_assert_cmpuint (mediator_window_get_n_open (window), ==, 1);
}

static gboolean
shown (gpointer id)
{
  return mediator_window_get_text (window, id) != NULL;
}

/* Where the resident was, labelled by what the station says it is: a
 * site, a letter, or (an older station's) said as it came. */
static void
test_context_kinds (void)
{
  static const struct {
    const char *context;
    const char *kind;
    const char *reads;
  } cases[] = {
    { "caf.fr — Mon compte", "site", "\nSur le site : caf.fr — Mon compte" },
    { "CAF — Décision", "letter", "\nCourrier : CAF — Décision" },
    { "impots.gouv.fr — Accueil", NULL, "\nimpots.gouv.fr — Accueil" },
  };
  g_autofree char *shot = NULL;
  char            *ids[G_N_ELEMENTS (cases)];

  /* All three on screen at once, past the station's usual three open. */
  relais_hub_set_max_open_help (hub->hub, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char       *id = ids[i] = raise_with_context (cases[i].context, cases[i].kind);
      const char *text;

      g_assert_true (relais_test_wait (shown, id));
      text = mediator_window_get_text (window, id);
      g_test_message ("%s: %s", cases[i].kind != NULL ? cases[i].kind : "(none)", text);
      g_assert_true (g_str_has_suffix (text, cases[i].reads));
      /* Each kind its one label: a letter is not « on a site ». */
      if (!g_str_equal (cases[i].kind != NULL ? cases[i].kind : "", "site"))
        g_assert_null (strstr (text, "Sur le site"));
      if (!g_str_equal (cases[i].kind != NULL ? cases[i].kind : "", "letter"))
        g_assert_null (strstr (text, "Courrier"));
    }
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-help-contexts");
  g_test_message ("screenshot: %s", shot);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Expect taken = { ids[i], "taken" };

      mediator_window_take (window, ids[i]);
      g_assert_true (relais_test_wait (shows_state, &taken));
      mediator_window_resolve (window, ids[i]);
      g_assert_true (relais_test_wait (gone, ids[i]));
      g_free (ids[i]);
    }
  relais_hub_set_max_open_help (hub->hub, 3);
}

static gboolean
taps_shown (gpointer id)
{
  GtkWidget *outcome = mediator_window_get_outcome (window, id);

  relais_test_ui_settle (20);
  return outcome != NULL && gtk_widget_get_mapped (outcome);
}

static gboolean
toggled_down (gpointer button)
{
  return gtk_toggle_button_get_active (button);
}

static gboolean
partner_listed (gpointer combo)
{
  return gtk_combo_box_set_active_id (combo, "Mission locale");
}

static gboolean
partner_shown (gpointer combo)
{
  relais_test_ui_settle (20);
  return gtk_widget_get_mapped (combo);
}

/* Resolving asks two optional taps (issue 16): shown once the request is
 * taken, each named for a screen reader, one down at a time; « Orienté
 * vers… » lists the site's partners; « Terminé » sends them and the hub
 * counts them for the month. */
static void
test_what_it_was_about (void)
{
  g_autofree char *id = raise_request ("mail");
  g_autofree char *shot = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  Expect     seen = { id, "seen" };
  Expect     taken = { id, "taken" };
  GtkWidget *outcome, *logement, *caf, *referred, *partner;
  gboolean   counted = FALSE;

  gtk_window_resize (GTK_WINDOW (window), 1100, 700);
  g_assert_true (relais_test_wait (shows_state, &seen));
  outcome = mediator_window_get_outcome (window, id);
  g_assert_nonnull (outcome);
  g_assert_false (gtk_widget_get_visible (outcome));
  mediator_window_take (window, id);
  g_assert_true (relais_test_wait (shows_state, &taken));
  g_assert_true (relais_test_wait (taps_shown, id));

  logement = relais_test_ui_find_named (outcome, "Besoin : Logement");
  caf = relais_test_ui_find_named (outcome, "Besoin : CAF");
  referred = relais_test_ui_find_named (outcome, "Résultat : Orienté vers…");
  g_assert_nonnull (logement);
  g_assert_nonnull (caf);
  g_assert_nonnull (referred);
  g_assert_cmpint (atk_object_get_role (gtk_widget_get_accessible (logement)), ==, ATK_ROLE_TOGGLE_BUTTON);
  g_assert_nonnull (relais_test_ui_find_named (outcome, "Résultat : Droit ouvert"));
  g_assert_nonnull (relais_test_ui_find_named (outcome, "Besoin : Identité / titre de séjour"));

  /* The partners show only with « Orienté vers… ». */
  partner = relais_test_ui_find (outcome, GTK_TYPE_COMBO_BOX_TEXT, NULL);
  g_assert_true (partner == NULL || !gtk_widget_get_visible (partner));

  /* One need at a time: CAF, then Logement lifts CAF. */
  relais_test_ui_touch (caf);
  g_assert_true (relais_test_wait (toggled_down, caf));
  relais_test_ui_touch (logement);
  g_assert_true (relais_test_wait (toggled_down, logement));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (caf)));
  g_assert_cmpstr (mediator_help_outcome_get_need (MEDIATOR_HELP_OUTCOME (outcome)), ==, "logement");
  /* « Orienté vers… » brings the partners (GET /help/choices). */
  relais_test_ui_touch (referred);
  g_assert_true (relais_test_wait (toggled_down, referred));
  relais_test_ui_settle (100);
  partner = relais_test_ui_find (outcome, GTK_TYPE_COMBO_BOX_TEXT, NULL);
  g_assert_nonnull (partner);
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (partner)), ==, "Orienté vers");
  g_assert_cmpint (atk_object_get_role (gtk_widget_get_accessible (partner)), ==, ATK_ROLE_COMBO_BOX);
  g_assert_true (relais_test_wait (partner_shown, partner));
  g_assert_null (mediator_help_outcome_get_partner (MEDIATOR_HELP_OUTCOME (outcome)));
  g_assert_true (relais_test_wait (partner_listed, partner));
  g_assert_cmpstr (mediator_help_outcome_get_partner (MEDIATOR_HELP_OUTCOME (outcome)), ==, "Mission locale");
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-help-outcome");
  g_test_message ("screenshot: %s", shot);
  g_assert_cmpuint (relais_test_ui_count_unknown_glyphs (outcome, NULL), ==, 0);

  mediator_window_resolve (window, id);
  g_assert_true (relais_test_wait (gone, id));
  today = g_date_time_format (now, "%Y-%m-%d");
  lines = relais_db_stats_outcomes (relais_hub_get_db (hub->hub), today, today, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < lines->len; i++)
    {
      RelaisStatsOutcome *line = g_ptr_array_index (lines, i);

      if (g_str_equal (line->need, "logement"))
        {
          g_assert_cmpstr (line->outcome, ==, "oriente");
          g_assert_cmpstr (line->partner, ==, "Mission locale");
          g_assert_cmpint (line->requests, ==, 1);
          counted = TRUE;
        }
    }
  g_assert_true (counted);
}

static gboolean
station_online (gpointer data)
{
  MediatorStations *stations = MEDIATOR_STATIONS (mediator_window_get_stations (window));
  return g_strcmp0 (mediator_stations_get_link (stations, "poste-1"), "online") == 0;
}

static gboolean
ringing (gpointer id)
{
  return mediator_window_is_ringing (window, id);
}

static void
test_stations_and_ring (void)
{
  g_autofree char *id = NULL;
  g_autofree char *shot = NULL;
  Expect           seen = { NULL, "seen" };

  g_assert_true (relais_test_wait (station_online, NULL));
  relais_hub_set_ring_again (hub->hub, 300);
  id = raise_request ("safe");
  seen.id = id;
  g_assert_true (relais_test_wait (shows_state, &seen));
  /* Nobody took it: it rings again, and says so on its row. */
  g_assert_true (relais_test_wait (ringing, id));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-ringing");
  g_clear_pointer (&shot, g_free);

  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_parent (mediator_window_get_stations (window))), "stations");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mediator-stations");
}

static gboolean
dashboard_loaded (gpointer dashboard)
{
  return mediator_dashboard_get_stats (dashboard) != NULL;
}

static gboolean
dashboard_shows_station (gpointer dashboard)
{
  const RelaisSiteStats *stats = mediator_dashboard_get_stats (dashboard);

  return stats != NULL && g_str_has_suffix (stats->from, "-01-01") && g_strcmp0 (stats->station, "poste-1") == 0;
}

static gpointer
find_purge (void)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (MEDIATOR_IS_PURGE (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
purge_shown (gpointer user_data)
{
  MediatorPurge **purge = user_data;

  *purge = find_purge ();
  return *purge != NULL && mediator_purge_get_n_listed (*purge) >= 0;
}

static gboolean
purge_done (gpointer purge)
{
  return g_str_has_suffix (mediator_purge_get_message (purge), "supprimée.");
}

/* The retention purge from the dashboard: the preview lists the person
 * past the period, the confirmation deletes exactly them. */
static void
check_purge (GtkWidget *dashboard)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autofree char *shot = NULL;
  RelaisMailPerson p = { .number = (char *) "OLD-1", .surname = (char *) "Ancienne", .first_names = (char *) "Rose", .birth_date = (char *) "1940-02-03", .notify = (char *) "none" };
  GtkWidget       *button;
  MediatorPurge   *purge = NULL;

  saved = relais_db_mail_person_save (db, &p, &error);
  g_assert_no_error (error);
  /* Entered, and last seen, in 1970. */
  g_assert_true (relais_db_exec (db, "UPDATE mail_people SET created_at = 0 WHERE number = 'OLD-1'", &error));
  button = relais_test_ui_find_named (dashboard, "Conservation des données…");
  g_assert_nonnull (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (relais_test_wait (purge_shown, &purge));
  g_assert_cmpint (mediator_purge_get_n_listed (purge), ==, 1);
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (purge), "n° OLD-1 — Ancienne Rose — dernier contact le 1970-01-01"));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (purge), "Supprimer ces personnes"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (purge), "mediator-purge-preview");
  mediator_purge_confirm (purge);
  g_assert_true (relais_test_wait (purge_done, purge));
  g_assert_cmpstr (mediator_purge_get_message (purge), ==, "1 personne supprimée.");
  g_assert_null (relais_db_mail_person_get (db, "OLD-1", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  gtk_widget_destroy (GTK_WIDGET (purge));
}

static gpointer
find_import (void)
{
  g_autoptr(GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (MEDIATOR_IS_IMPORT (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
import_shown (gpointer user_data)
{
  MediatorImport **import = user_data;

  *import = find_import ();
  return *import != NULL;
}

static gboolean
import_done (gpointer import)
{
  return !mediator_import_is_busy (import);
}

/* The register's import from the dashboard (issue 15): a file with a bad
 * row imports nothing and lists the row; told to skip it, the others
 * come in. */
static void
check_import (GtkWidget *dashboard)
{
  RelaisDb        *db = relais_hub_get_db (hub->hub);
  g_autofree char *path = relais_test_artifact_path ("mediator-import.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) imported = NULL;
  g_autofree char *shot = NULL;
  MediatorImport  *import = NULL;
  GtkWidget       *button;

  g_file_set_contents (path,
                       "Numéro;Nom;Prénom;Date de naissance\n"
                       "IMP-1;Lambert;Odile;03/04/1961\n"
                       "IMP-2;Sow;Mariama;31/13/1990\n"
                       "IMP-3;Costa;Rui;07/07/1977\n",
                       -1, &error);
  g_assert_no_error (error);
  button = relais_test_ui_find_named (dashboard, "Importer des personnes…");
  g_assert_nonnull (button);
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (relais_test_wait (import_shown, &import));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (import), "Choisir le fichier à importer"));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (import), "Importer les bonnes lignes malgré les mauvaises"));
  mediator_import_set_file (import, path);
  mediator_import_run (import);
  g_assert_true (relais_test_wait (import_done, import));
  g_assert_cmpuint (mediator_import_get_n_problems (import), ==, 1);
  g_assert_true (g_str_has_prefix (mediator_import_get_message (import), "1 ligne refusée (liste ci-dessous) : rien"));
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (import), "ligne 3 : date de naissance illisible « 31/13/1990 »"));
  g_assert_null (relais_db_mail_person_get (db, "IMP-1", NULL));
  shot = relais_test_ui_screenshot (GTK_WIDGET (import), "mediator-import-refused");

  mediator_import_set_skip_bad (import, TRUE);
  mediator_import_run (import);
  g_assert_true (relais_test_wait (import_done, import));
  g_assert_cmpstr (mediator_import_get_message (import), ==,
                   "Personnes importées : 2 sur 3 ; lignes refusées : 1 (liste ci-dessous).");
  imported = relais_db_mail_person_get (db, "IMP-3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (imported->surname, ==, "Costa");
  gtk_widget_destroy (GTK_WIDGET (import));
}

static void
test_staff_dashboard (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) link = relais_link_new (hub->url, hub->console2_token, NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *shot = NULL;
  MediatorWindow  *staff;
  GtkWidget       *dashboard;

  /* A few sessions this month, as stations report them. */
  for (int i = 0; i < 12; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_hours (now, -i * 7);
      g_autofree char  *key = g_strdup_printf ("ui-session-%d", i);
      RelaisSessionHelp help = { i % 2 ? "website" : "printer", 25, 100, 400 };
      RelaisSessionLog  log = { g_date_time_to_unix (when) * 1000, 300, "fr", "button", i % 4, i % 3, 0, 0, 0, 1,
                                i % 3 == 0, &help };
      RelaisEventInfo   info = { key, "station:poste-1", "session.end", log.started_at, "{}" };
      gboolean          duplicate;

      g_assert_true (relais_db_stats_record_session (relais_hub_get_db (hub->hub), &info, "poste-1",
                                                     &log, &duplicate, &error));
    }
  g_assert_no_error (error);

  relais_hub_set_site_name (hub->hub, "CCAS de Villeneuve");
  /* Claire is also a responsable: she may run the purge. */
  g_assert_true (relais_db_mediator_set_roles (relais_hub_get_db (hub->hub), "claire",
                                               (const char *[]) { "staff", "responsable", NULL }, &error));
  staff = mediator_window_new (NULL, link);
  relais_link_start (link);
  mediator_window_login (staff, "claire", RELAIS_TEST_CLAIRE_PASSWORD);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
    while (mediator_window_get_dashboard (staff) == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  dashboard = mediator_window_get_dashboard (staff);
  g_assert_nonnull (dashboard);
  g_assert_true (relais_test_wait (dashboard_loaded, dashboard));
  mediator_window_show_view (staff, "statistics");
  shot = relais_test_ui_screenshot (GTK_WIDGET (staff), "mediator-dashboard");

  /* The report carries the site's name as the hub is configured, not
   * words written in the console. */
  {
    g_autofree char *pdf = relais_test_artifact_path ("mediator-dashboard-report.pdf");
    g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
    PopplerDocument *doc;
    PopplerPage     *page;
    g_autofree char *text = NULL;

    g_assert_true (mediator_dashboard_write_report (MEDIATOR_DASHBOARD (dashboard), pdf, &error));
    g_assert_no_error (error);
    doc = poppler_document_new_from_file (uri, NULL, &error);
    g_assert_no_error (error);
    page = poppler_document_get_page (doc, 0);
    text = poppler_page_get_text (page);
    g_assert_nonnull (strstr (text, "CCAS de Villeneuve — tableau de bord"));
    g_assert_null (strstr (text, "Maison des Solidarités"));
    g_object_unref (page);
    g_object_unref (doc);
  }

  /* The year, one station, by month. */
  mediator_dashboard_set_view (MEDIATOR_DASHBOARD (dashboard), "year", 2, "poste-1");
  g_assert_true (relais_test_wait (dashboard_shows_station, dashboard));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (staff), "mediator-dashboard-year");
  g_assert_cmpint (mediator_dashboard_get_stats (MEDIATOR_DASHBOARD (dashboard))->totals.sessions, ==, 12);

  check_purge (dashboard);
  check_import (dashboard);

  /* A mediator who is not staff has no such view. */
  g_assert_null (mediator_window_get_dashboard (window));
  gtk_widget_destroy (GTK_WIDGET (staff));
  relais_link_stop (link);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) console = NULL;
  g_autofree char *outbox = NULL;
  int              rc;

  relais_test_ui_init (&argc, &argv, FALSE);

  hub = relais_test_hub_new ();
  outbox = g_build_filename (hub->dir, "station.db", NULL);
  station = relais_link_new (hub->url, hub->station_token, outbox, &error);
  g_assert_no_error (error);
  relais_link_start (station);
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (NULL, console);
  relais_link_start (console);

  g_test_add_func ("/mediator-ui/login", test_login);
  g_test_add_func ("/mediator-ui/live-queue", test_live_queue);
  g_test_add_func ("/mediator-ui/what-it-was-about", test_what_it_was_about);
  g_test_add_func ("/mediator-ui/context-kinds", test_context_kinds);
  g_test_add_func ("/mediator-ui/stations-and-ring", test_stations_and_ring);
  g_test_add_func ("/mediator-ui/staff-dashboard", test_staff_dashboard);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_link_stop (console);
  relais_link_stop (station);
  g_clear_object (&station);
  relais_test_hub_free (hub);
  return rc;
}
