/* test-browser-ui.c: the station's browser (issue 14) under Xvfb, on a
 * local site served over loopback (relais-test-site.c): the sites' tiles,
 * a page opened by touching its tile, back/forward/zoom, a session's
 * cookie and localStorage gone in the next one with no file left behind,
 * the staff's policy, no file: address, a self-signed certificate
 * refused, a pop-up as a tab. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <webkit2/webkit2.h>

#include "relais-test-cups.h"
#include "relais-test-hub.h"
#include "relais-test-site.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "relais-db-help.h"
#include "station-browser-page.h"
#include "station-help-page.h"
#include "station-window.h"

static char *cups_dir;
static RelaisTestHub *hub;
static RelaisTestSite *site;
static StationServices *services;
static StationWindow *window;

static StationBrowserPage *
browser (void)
{
  return STATION_BROWSER_PAGE (station_window_get_page (window, "browser"));
}

static void
start_session (void)
{
  g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", "fr");
  relais_test_ui_settle (100);
}

static const char *
view_title (void)
{
  GtkWidget *view = station_browser_page_get_view (browser ());

  return view != NULL ? webkit_web_view_get_title (WEBKIT_WEB_VIEW (view)) : NULL;
}

static gboolean
title_is (gpointer expected)
{
  return g_strcmp0 (view_title (), expected) == 0;
}

/* WebKit starts its web and network processes with the first page: on
 * a loaded two-core machine that alone can take many seconds. Still
 * bounded (three of relais_test_wait ()'s bounds), never timed. */
static gboolean
wait_page (GSourceFunc condition,
           gpointer    data)
{
  for (int i = 0; i < 3; i++)
    if (relais_test_wait (condition, data))
      return TRUE;
  return FALSE;
}

/* The problem screen says @words. */
static gboolean
shows_problem (gpointer words)
{
  const char *problem = station_browser_page_get_problem (browser ());

  return problem != NULL && strstr (problem, words) != NULL;
}

static char *
site_uri (const char *base,
          const char *path)
{
  return g_strconcat (base, path + 1, NULL);
}

/* Runs @script in the page shown, as the person's own gesture. */
static void
run_script (const char *script)
{
  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (station_browser_page_get_view (browser ())), script, -1,
                                       NULL, NULL, NULL, NULL, NULL);
}

static void
test_tiles_open_a_site (void)
{
  g_autofree char *shot = NULL;
  GtkWidget *tile;
  GtkWidget *view;
  double zoom;

  start_session ();
  station_window_show_page (window, "browser");
  relais_test_ui_settle (200);
  /* No web process until a site is opened: the kiosk stays light. */
  g_assert_null (station_browser_page_get_view (browser ()));
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "sites");
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (window), "ameli"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-sites");

  tile = relais_test_ui_find_named (GTK_WIDGET (window), "Caisse d'essai");
  g_assert_nonnull (tile);
  relais_test_ui_touch (tile);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Accueil"));
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "web");
  relais_test_ui_settle (500);
  g_free (shot);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-page");

  /* Forward, back, and A+ for larger text. */
  run_script ("document.querySelector('a[href=\"/login\"]').click ()");
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Page précédente"));
  g_assert_true (wait_page (title_is, "Caisse d'essai — Accueil"));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Page suivante"));
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  view = station_browser_page_get_view (browser ());
  zoom = webkit_web_view_get_zoom_level (WEBKIT_WEB_VIEW (view));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Texte plus grand"));
  g_assert_cmpfloat (webkit_web_view_get_zoom_level (WEBKIT_WEB_VIEW (view)), >, zoom);

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

/* Every file under @dir, as paths. */
static void
list_files (const char *dir,
            GHashTable *files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        list_files (path, files);
      else
        g_hash_table_add (files, g_steal_pointer (&path));
    }
}

static GHashTable *
writable_paths (void)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *dirs[] = { g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
                         g_get_user_cache_dir (), g_get_user_state_dir (), g_get_tmp_dir (),
                         g_get_user_runtime_dir () };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    list_files (dirs[i], files);
  return files;
}

static void
test_session_leaves_nothing (void)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GString) new_files = g_string_new (NULL);
  g_autofree char *login = site_uri (site->url, "/login");
  g_autofree char *whoami = site_uri (site->url, "/whoami");
  GHashTableIter iter;
  gpointer path;
  guint logins = site->n_logins;

  before = writable_paths ();

  /* A person logs in: the site sets its session cookie (HttpOnly), a
   * script's cookie and a localStorage value. */
  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), login);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  run_script ("document.getElementById ('identifiant').value = 'marie';"
              "document.getElementById ('mdp').value = 'secret';"
              "document.getElementById ('connexion').click ()");
  g_assert_true (wait_page (title_is, "Caisse d'essai — Connecté"));
  g_assert_cmpuint (site->n_logins, ==, logins + 1);
  station_browser_page_open (browser (), whoami);
  g_assert_true (wait_page (title_is, "serveur:oui cookie:oui stockage:oui"));

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (300);

  /* The next person: the same site knows nothing of the last one. */
  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), whoami);
  g_assert_true (wait_page (title_is, "serveur:non cookie:non stockage:non"));
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (300);

  /* And no file of either anywhere the station may write. */
  after = writable_paths ();
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    if (!g_hash_table_contains (before, path))
      g_string_append_printf (new_files, "%s\n", (const char *) path);
  g_test_message ("new files after the sessions: %s", new_files->len > 0 ? new_files->str : "none");
  g_assert_cmpuint (new_files->len, ==, 0);
}

static void
test_refusals (void)
{
  g_autofree char *blocked = site_uri (site->other_url, "/");
  g_autofree char *shot = NULL;

  start_session ();
  station_window_show_page (window, "browser");

  /* The staff's block list: a plain sentence, the help button. */
  station_browser_page_open (browser (), blocked);
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "problem");
  g_assert_nonnull (strstr (station_browser_page_get_problem (browser ()), "localhost"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-blocked");

  /* The station's own files are never shown. */
  station_browser_page_open (browser (), "file:///etc/passwd");
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "problem");
  g_assert_null (station_browser_page_get_view (browser ()));

  /* A link to a blocked host, from an allowed page, is refused too. */
  station_browser_page_open (browser (), site->url);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Accueil"));
  {
    g_autofree char *script = g_strdup_printf ("window.location.href = '%s'", blocked);
    run_script (script);
  }
  g_assert_true (wait_page (shows_problem, "localhost"));

  /* A self-signed certificate: refused, never "proceed anyway". */
  station_browser_page_open (browser (), site->tls_url);
  g_assert_true (wait_page (shows_problem, "sécurité"));
  relais_test_ui_settle (200);
  g_free (shot);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-tls-refused");

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

static gboolean
has_tabs (gpointer n)
{
  return station_browser_page_get_n_tabs (browser ()) == GPOINTER_TO_UINT (n);
}

static void
test_popup_is_a_tab (void)
{
  g_autofree char *popup = site_uri (site->url, "/popup");
  g_autofree char *shot = NULL;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), popup);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Fenêtre"));
  run_script ("document.querySelector ('a').click ()");
  g_assert_true (wait_page (has_tabs, GUINT_TO_POINTER (2)));
  g_assert_true (wait_page (title_is, "Notice"));
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-popup-tab");
  /* The person closes it: back to their page. */
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Fermer cette fenêtre"));
  g_assert_true (wait_page (has_tabs, GUINT_TO_POINTER (1)));
  g_assert_cmpstr (view_title (), ==, "Caisse d'essai — Fenêtre");

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

static gboolean
asks (gpointer words)
{
  const char *question = station_browser_page_get_question (browser ());

  return question != NULL && g_str_equal (question, words);
}

static gboolean
downloaded (gpointer data)
{
  return station_browser_page_get_download (browser ()) != NULL;
}

static gboolean
printed (gpointer data)
{
  return station_browser_page_get_print_job (browser ()) > 0;
}

/* alert () and confirm () shown large, answered by the page's buttons. */
static void
test_questions_shown_large (void)
{
  g_autofree char *dialogs = site_uri (site->url, "/dialogs");
  g_autofree char *shot = NULL;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), dialogs);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Questions"));
  run_script ("setTimeout (function () { document.getElementById ('question').click (); }, 0)");
  g_assert_true (wait_page (asks, "Envoyer le dossier ?"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-confirm");
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Oui"));
  g_assert_true (wait_page (title_is, "oui"));
  g_assert_null (station_browser_page_get_question (browser ()));

  run_script ("setTimeout (function () { document.getElementById ('question').click (); }, 0)");
  g_assert_true (wait_page (asks, "Envoyer le dossier ?"));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Non"));
  g_assert_true (wait_page (title_is, "non"));

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

/* The attestation becomes a document of the session (in memory, the same
 * bytes) and prints through the station's print path: the PDF lands in
 * cups-pdf. */
static void
test_download_and_print (void)
{
  g_autofree char *attestation = site_uri (site->url, "/attestation.pdf");
  PopplerDocument *landed = NULL;
  g_autofree char *shot = NULL;
  GBytes *download;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), site->url);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Accueil"));
  station_browser_page_open (browser (), attestation);
  g_assert_true (wait_page (downloaded, NULL));
  download = station_browser_page_get_download (browser ());
  g_assert_true (g_bytes_equal (download, site->attestation));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-downloaded");

  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Imprimer le document"));
  g_assert_true (wait_page (printed, NULL));
  landed = relais_test_cupsd_wait_landed (cups_dir, 1);
  g_assert_nonnull (landed);
  g_assert_cmpint (poppler_document_get_n_pages (landed), ==, 1);
  g_clear_object (&landed);

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

typedef struct {
  const char        *id;
  RelaisHelpRequest *request;
} Stored;

static gboolean
hub_has_request (gpointer data)
{
  Stored *stored = data;

  g_clear_pointer (&stored->request, relais_help_request_free);
  stored->request = relais_db_help_get (relais_hub_get_db (hub->hub), stored->id, NULL);
  return stored->request != NULL;
}

static gboolean
online (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_ONLINE;
}

/* "J'ai besoin d'aide" from a site: the mediator reads "127.0.0.1 —
 * Caisse d'essai — Mon compte", never the path, its query or what was
 * typed. Away from the browser, a request says nothing of it. */
static void
test_help_names_the_site (void)
{
  g_autofree char *login = site_uri (site->url, "/login?numero=1234567");
  g_autofree char *expected = NULL;
  StationHelpPage *help;
  Stored stored = { NULL, NULL };

  relais_link_start (services->link);
  g_assert_true (relais_test_wait (online, services->link));
  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), login);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  run_script ("document.getElementById ('identifiant').value = 'motdepasse-tape'");

  /* The header's button, as a person touches it. */
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "J'ai besoin d'aide"));
  help = STATION_HELP_PAGE (station_window_get_page (window, "help"));
  stored.id = station_help_page_raise (help, "website");
  g_assert_nonnull (stored.id);
  g_assert_true (relais_test_wait (hub_has_request, &stored));
  expected = g_strdup ("127.0.0.1 — Caisse d'essai — Mon compte");
  g_assert_cmpstr (stored.request->context, ==, expected);
  g_assert_null (strstr (stored.request->context, "1234567"));
  g_assert_null (strstr (stored.request->context, "motdepasse"));
  g_clear_pointer (&stored.request, relais_help_request_free);
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);

  /* Another session, from the home screen: no context. */
  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), login);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  station_window_show_page (window, "home");
  station_window_show_page (window, "help");
  help = STATION_HELP_PAGE (station_window_get_page (window, "help"));
  stored.id = station_help_page_raise (help, "other");
  g_assert_true (relais_test_wait (hub_has_request, &stored));
  g_assert_null (stored.request->context);
  g_clear_pointer (&stored.request, relais_help_request_free);
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *sites = NULL;
  int rc;

  /* A private temporary folder, set before GLib first reads TMPDIR, so
   * that the proof of no file left sees the station's and WebKit's. */
  tmp = g_strdup ("/tmp/relais-browser-XXXXXX");
  g_assert_nonnull (g_mkdtemp (tmp));
  /* cupsd's filters run as lp and must reach its folder in there. */
  g_assert_cmpint (g_chmod (tmp, 0711), ==, 0);
  g_setenv ("TMPDIR", tmp, TRUE);
  station_browser_page_prepare_environment ();
  /* GLib read G_DEBUG when this process started: its warnings stay
   * fatal. WebKit's web process inherits the environment and, in its
   * sandbox with no session bus here, warns that it cannot reach the
   * accessibility bus: WebKit's own warning, not a bug of the station,
   * which must not kill the page. */
  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  relais_test_ui_init (&argc, &argv, TRUE);

  cups_dir = relais_test_cupsd_start ();
  hub = relais_test_hub_new ();
  site = relais_test_site_new ();
  db_path = g_build_filename (g_get_user_data_dir (), "relais", "station.db", NULL);
  sites = g_strdup_printf ("Caisse d'essai|%s|relais-web;ameli|https://www.ameli.fr/", site->url);
  services = relais_test_station_services_new (hub, (const char * const []) {
    "station", "database", db_path,
    "browser", "sites", sites,
    "browser", "policy", "block",
    "browser", "hosts", "localhost",
    NULL });
  window = relais_test_station_window_new (services);

  g_test_add_func ("/browser-ui/tiles-open-a-site", test_tiles_open_a_site);
  g_test_add_func ("/browser-ui/session-leaves-nothing", test_session_leaves_nothing);
  g_test_add_func ("/browser-ui/refusals", test_refusals);
  g_test_add_func ("/browser-ui/popup-is-a-tab", test_popup_is_a_tab);
  g_test_add_func ("/browser-ui/questions-shown-large", test_questions_shown_large);
  g_test_add_func ("/browser-ui/download-and-print", test_download_and_print);
  g_test_add_func ("/browser-ui/help-names-the-site", test_help_names_the_site);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_site_free (site);
  relais_test_hub_free (hub);
  relais_test_cupsd_stop (cups_dir);
  return rc;
}
