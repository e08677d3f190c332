/* test-browser-ui.c: the station's browser (issue 14) under Xvfb, on a
 * local site served over loopback (relais-test-site.c): the sites' tiles,
 * a page opened by touching its tile, back/forward/zoom, a session's
 * cookie and localStorage gone in the next one with no file left behind,
 * the staff's policy, no file: address, a self-signed certificate
 * refused, a pop-up as a tab, window.print () through the station's
 * printing, a file sent to a site chosen among the session's scan and the
 * USB key only, a file the site gave saved on the key or put in the safe. */
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
#include "station-browser.h"
#include "station-browser-page.h"
#include "station-help-page.h"
#include "station-safe-page.h"
#include "station-scan-page.h"
#include "station-window.h"

static char            *cups_dir;
static RelaisTestHub   *hub;
static RelaisTestSite  *site;
static StationServices *services;
static StationWindow   *window;

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

/* The page is drawn, and the station's process has loaded no EGL or
 * Mesa driver (nor LLVM, which would stay for the process's life): only
 * WebKit's web process draws with them. */
static void
assert_no_gl_driver (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "libEGL_mesa"));
  g_assert_null (strstr (maps, "_dri.so"));
  g_assert_null (strstr (maps, "libLLVM"));
}

static void
test_tiles_open_a_site (void)
{
  g_autofree char *shot = NULL;
  GtkWidget       *tile;
  GtkWidget       *view;
  double           zoom;

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
  /* The first page has no page before it (not the about:blank the
   * browser made ahead was started on). */
  g_assert_false (gtk_widget_get_sensitive (relais_test_ui_find_named (GTK_WIDGET (window), "Page précédente")));
  relais_test_ui_settle (500);
  g_free (shot);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-page");
  assert_no_gl_driver ();

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

static gboolean
spare_ready (gpointer data)
{
  return station_browser_page_spare_ready ();
}

static void
test_session_leaves_nothing (void)
{
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *new_files = NULL;
  g_autofree char *login = site_uri (site->url, "/login");
  g_autofree char *whoami = site_uri (site->url, "/whoami");
  guint            logins = site->n_logins;

  before = relais_test_station_list_files ();

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

  /* The next person: their browser is made ahead when they begin, new
   * and empty; the same site knows nothing of the last one. */
  start_session ();
  g_assert_true (relais_test_wait (spare_ready, NULL));
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), whoami);
  g_assert_true (wait_page (title_is, "serveur:non cookie:non stockage:non"));
  station_session_end (services->session, STATION_END_BUTTON);

  /* At rest the station holds no browser: none is made for the next
   * person before they begin (one is ready ~2 s after being started). */
  relais_test_ui_settle (5000);
  g_assert_false (station_browser_page_spare_ready ());

  /* A person who never opens a site: the browser made for them goes,
   * unused, with their session. */
  start_session ();
  g_assert_true (relais_test_wait (spare_ready, NULL));
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (300);
  g_assert_false (station_browser_page_spare_ready ());

  /* And no file of either anywhere the station may write. */
  new_files = relais_test_station_new_files (before);
  g_test_message ("new files after the sessions: %s", *new_files != '\0' ? new_files : "none");
  g_assert_cmpstr (new_files, ==, "");
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
  GBytes          *download;

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

static const char *
visible_page (void)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (browser ()));

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* A folder standing for the USB key (test-usb covers GIO's side of a
 * real one), with @names' files copied from @bytes. */
static char *
make_key (GBytes             *bytes,
          const char * const *names)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("relais-key-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL));
    }
  return dir;
}

static void
remove_key (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* "Sur ma clé USB" and "Dans mon coffre-fort" for the file the site gave,
 * as after a scan. */
static void
test_download_to_key_and_safe (void)
{
  g_autofree char *attestation = site_uri (site->url, "/attestation.pdf");
  g_autofree char *key = make_key (site->attestation, NULL);
  g_autoptr(GFile) root = g_file_new_for_path (key);
  g_autofree char *saved_path = g_build_filename (key, "attestation.pdf", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *shot = NULL;
  gsize            length = 0;
  GtkWidget       *safe;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), site->url);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Accueil"));
  station_browser_page_open (browser (), attestation);
  g_assert_true (wait_page (downloaded, NULL));

  /* No key: the button says nothing can be done yet. */
  g_assert_false (gtk_widget_get_sensitive (relais_test_ui_find_named (GTK_WIDGET (window),
                                                                       "Enregistrer le document sur ma clé USB")));
  station_browser_page_set_key_root (browser (), root);
  relais_test_ui_settle (200);
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Enregistrer le document sur ma clé USB"));
  g_assert_true (g_file_get_contents (saved_path, &saved, &length, NULL));
  g_assert_cmpmem (saved, length, g_bytes_get_data (site->attestation, NULL), g_bytes_get_size (site->attestation));
  g_assert_nonnull (strstr (station_browser_page_get_status (browser ()), "attestation.pdf"));
  g_assert_cmpuint (station_session_get_count (services->session, STATION_COUNT_SAVED_USB), ==, 1);
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-download-usb");

  /* The safe page takes it, as a scan: its category next. */
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Mettre le document dans mon coffre-fort"));
  relais_test_ui_settle (200);
  g_assert_cmpstr (visible_page (), ==, "safe");
  safe = station_window_get_page (window, "safe");
  g_assert_true (station_safe_page_has_unsaved_work (STATION_SAFE_PAGE (safe)));

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
  remove_key (key);
}

/* Dark pixels on page @index of @document drawn small: something printed. */
static guint
inked_pixels (PopplerDocument *document,
              int              index)
{
  PopplerPage     *page = poppler_document_get_page (document, index);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 150, 212);
  cairo_t         *cr = cairo_create (surface);
  double           width, height;
  guint            inked = 0;

  poppler_page_get_size (page, &width, &height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 150 / width, 212 / height);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < 212; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < 150; x++)
        if (((row[x] >> 8) & 0xff) < 128)
          inked++;
    }
  cairo_surface_destroy (surface);
  g_object_unref (page);
  return inked;
}

/* window.print () prints through StationPrintJob, never GTK's dialog:
 * the page as shown lands in cups-pdf, one page, with ink on it. */
static void
test_window_print (void)
{
  g_autofree char *print = site_uri (site->url, "/print");
  PopplerDocument *landed = NULL;
  guint            inked;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), print);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Imprimer"));
  relais_test_ui_settle (300);
  run_script ("document.getElementById ('imprimer').click ()");
  if (!wait_page (printed, NULL))
    g_error ("not printed; the page says: %s", station_browser_page_get_status (browser ()));
  /* The second PDF of the run: the attestation was the first. */
  landed = relais_test_cupsd_wait_landed (cups_dir, 2);
  g_assert_nonnull (landed);
  g_assert_cmpint (poppler_document_get_n_pages (landed), ==, 1);
  inked = inked_pixels (landed, 0);
  g_test_message ("printed page: %u dark pixels of 150×212", inked);
  g_assert_cmpuint (inked, >, 20);
  g_clear_object (&landed);

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

static gboolean
choosing (gpointer data)
{
  return station_browser_page_is_choosing (browser ());
}

static gboolean
scan_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

/* The page's file field holds @name: asked through the page's title. */
static gboolean
field_has_file (gpointer name)
{
  g_autofree char *expected = g_strdup_printf ("fichier:%s", (const char *) name);

  run_script ("var f = document.getElementById ('document').files;"
              "document.title = 'fichier:' + (f.length > 0 ? f[0].name : '')");
  relais_test_ui_settle (50);
  return g_strcmp0 (view_title (), expected) == 0;
}

/* The site's answer to the scan's post: its size in the title. */
static gboolean
received_scan (gpointer data)
{
  const char *title = view_title ();

  return title != NULL && g_str_has_prefix (title, "Reçu ") && g_strcmp0 (site->upload_name, "document-numerise.pdf") == 0;
}

/* Whether a widget under @root is called @name (relais_test_ui_find_named ()
 * fails the test when none is). */
static gboolean
shows_named (GtkWidget  *root,
             const char *name)
{
  const char *own = atk_object_get_name (gtk_widget_get_accessible (root));
  gboolean    found = g_strcmp0 (own, name) == 0;

  if (!found && GTK_IS_CONTAINER (root))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (root));

      for (GList *l = children; l != NULL && !found; l = l->next)
        found = shows_named (l->data, name);
    }
  return found;
}

/* The chooser's tiles: what it offers, and the one to open the safe. */
static guint
count_tiles (void)
{
  GtkWidget *tile = relais_test_ui_find_named (GTK_WIDGET (window), "Ouvrir mon coffre-fort");
  GtkWidget *flow = gtk_widget_get_ancestor (tile, GTK_TYPE_FLOW_BOX);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (flow));

  return g_list_length (children);
}

/* No dialog of GTK's anywhere: the file system is never shown. */
static gboolean
file_chooser_shown (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;
  return FALSE;
}

/* The site's "Parcourir…": the page's own chooser offers this session's
 * scan and the key's PDF (not its text file), never the file system; the
 * file chosen is the one the site receives. */
static void
test_upload_offers_only_the_session (void)
{
  g_autofree char *upload = site_uri (site->url, "/upload");
  g_autofree char *key = make_key (site->attestation, (const char * const[]) { "justificatif.pdf", "notes.txt", NULL });
  g_autoptr(GFile) root = g_file_new_for_path (key);
  g_autofree char *shot = NULL;
  g_autofree char *received = NULL;
  GtkWidget       *scan;

  start_session ();
  /* A page scanned in this session. */
  scan = station_window_get_page (window, "scan");
  station_window_show_page (window, "scan");
  station_scan_page_scan (STATION_SCAN_PAGE (scan));
  g_assert_true (relais_test_wait (scan_idle, scan));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)), >=, 1);

  station_window_show_page (window, "browser");
  station_browser_page_set_key_root (browser (), root);
  station_browser_page_open (browser (), upload);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Envoyer un document"));
  run_script ("document.getElementById ('document').click ()");
  g_assert_true (wait_page (choosing, NULL));
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "chooser");
  relais_test_ui_settle (300);
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (window), "Clé USB : justificatif.pdf"));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (window), "Numérisé ici : document-numerise.pdf"));
  g_assert_false (shows_named (GTK_WIDGET (window), "Clé USB : notes.txt"));
  g_assert_cmpuint (count_tiles (), ==, 3);
  /* The safe is shut: a tile to open it. */
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (window), "Ouvrir mon coffre-fort"));
  g_assert_false (file_chooser_shown ());
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-upload-chooser");

  /* The key's PDF: the very bytes reach the site. */
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Clé USB : justificatif.pdf"));
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "web");
  g_assert_cmpstr (station_browser_page_get_uploaded_name (browser ()), ==, "justificatif.pdf");
  /* WebKit's web process takes it in its own time; a person needs more. */
  g_assert_true (wait_page (field_has_file, "justificatif.pdf"));
  run_script ("document.getElementById ('envoyer').click ()");
  received = g_strdup_printf ("Reçu %zu octets", g_bytes_get_size (site->attestation));
  if (!wait_page (title_is, received))
    g_error ("the site says « %s », not « %s »", view_title (), received);
  g_assert_true (g_bytes_equal (site->upload, site->attestation));
  g_assert_cmpstr (site->upload_name, ==, "justificatif.pdf");

  /* The page scanned here, lightened for a website. */
  station_browser_page_open (browser (), upload);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Envoyer un document"));
  run_script ("document.getElementById ('document').click ()");
  g_assert_true (wait_page (choosing, NULL));
  relais_test_ui_settle (200);
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Numérisé ici : document-numerise.pdf"));
  g_assert_true (wait_page (field_has_file, "document-numerise.pdf"));
  run_script ("document.getElementById ('envoyer').click ()");
  g_assert_true (wait_page (received_scan, NULL));
  {
    PopplerDocument *sent = poppler_document_new_from_bytes (site->upload, NULL, NULL);

    g_assert_nonnull (sent);
    g_assert_cmpint (poppler_document_get_n_pages (sent), ==, (int) station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)));
    g_assert_cmpuint (g_bytes_get_size (site->upload), <=, 2000000);
    g_object_unref (sent);
  }

  /* "Ne rien envoyer": back to the site, nothing given. */
  station_browser_page_open (browser (), upload);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Envoyer un document"));
  run_script ("document.getElementById ('document').click ()");
  g_assert_true (wait_page (choosing, NULL));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Ne rien envoyer"));
  g_assert_cmpstr (station_browser_page_get_view_name (browser ()), ==, "web");
  g_assert_false (station_browser_page_is_choosing (browser ()));

  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
  remove_key (key);
}

static gboolean
keyboard_shown (gpointer shown)
{
  return (station_browser_page_get_keyboard (browser ()) != NULL) == GPOINTER_TO_INT (shown);
}

/* The field @id holds @value: asked through the page's title. */
static gboolean
field_holds (const char *id,
             const char *value)
{
  g_autofree char *script = g_strdup_printf ("document.title = 'champ:' + document.getElementById ('%s').value", id);
  g_autofree char *expected = g_strdup_printf ("champ:%s", value);

  for (int i = 0; i < 100; i++)
    {
      run_script (script);
      relais_test_ui_settle (50);
      if (g_strcmp0 (view_title (), expected) == 0)
        return TRUE;
    }
  g_test_message ("the field holds: %s", view_title ());
  return FALSE;
}

/* A touch in a site's text field brings the station's keyboard; its keys
 * type in the field (accents too), « effacer » takes the last letter back,
 * and the page keeps the focus; out of the field, it goes. */
static void
test_keyboard_types_in_fields (void)
{
  g_autofree char *login = site_uri (site->url, "/login");
  g_autofree char *shot = NULL;
  GtkWidget       *view;
  GtkWidget       *keyboard;

  start_session ();
  station_window_show_page (window, "browser");
  station_browser_page_open (browser (), login);
  g_assert_true (wait_page (title_is, "Caisse d'essai — Mon compte"));
  g_assert_null (station_browser_page_get_keyboard (browser ()));
  view = station_browser_page_get_view (browser ());
  gtk_widget_grab_focus (view);
  run_script ("document.getElementById ('identifiant').focus ()");
  g_assert_true (wait_page (keyboard_shown, GINT_TO_POINTER (TRUE)));
  keyboard = station_browser_page_get_keyboard (browser ());
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "browser-keyboard");

  /* Touched as a finger does: the keys never take the focus. */
  {
    const char *keys[] = { "m", "a", "r", "x", "back", "i", "é" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      relais_test_ui_touch (relais_test_ui_find_key (keyboard, keys[i]));
  }
  g_assert_true (gtk_widget_has_focus (view));
  g_assert_true (field_holds ("identifiant", "marié"));

  /* « Fini », then the next field (the password after the login): the
   * keyboard comes back for it, and types there. */
  relais_test_ui_touch (relais_test_ui_find_named (keyboard, "Fini"));
  g_assert_true (wait_page (keyboard_shown, GINT_TO_POINTER (FALSE)));
  run_script ("document.getElementById ('mdp').focus ()");
  g_assert_true (wait_page (keyboard_shown, GINT_TO_POINTER (TRUE)));
  keyboard = station_browser_page_get_keyboard (browser ());
  {
    const char *keys[] = { "s", "e", "c" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      relais_test_ui_touch (relais_test_ui_find_key (keyboard, keys[i]));
  }
  g_assert_true (field_holds ("mdp", "sec"));
  g_assert_true (field_holds ("identifiant", "marié"));

  /* Out of the field: the keyboard goes. */
  run_script ("document.getElementById ('mdp').blur ()");
  g_assert_true (wait_page (keyboard_shown, GINT_TO_POINTER (FALSE)));

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
  Stored           stored = { NULL, NULL };

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
  g_assert_cmpint (stored.request->context_kind, ==, RELAIS_HELP_CONTEXT_SITE);
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
  g_assert_cmpint (stored.request->context_kind, ==, RELAIS_HELP_CONTEXT_UNKNOWN);
  g_clear_pointer (&stored.request, relais_help_request_free);
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (100);
}

/* A station stopped mid-session (a signal, a crash) left a file a person
 * gave to a site: the next station removes it when it starts. */
static char *stale_upload;

static void
test_stopped_station_leftovers_removed (void)
{
  g_autofree char *folder = g_path_get_dirname (stale_upload);

  g_assert_false (g_file_test (stale_upload, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *sites = NULL;
  int              rc;

  /* A private temporary folder, set before GLib first reads TMPDIR, so
   * that the proof of no file left sees the station's and WebKit's. */
  tmp = g_strdup ("/tmp/relais-browser-XXXXXX");
  g_assert_nonnull (g_mkdtemp (tmp));
  /* cupsd's filters run as lp and must reach its folder in there. */
  g_assert_cmpint (g_chmod (tmp, 0711), ==, 0);
  g_setenv ("TMPDIR", tmp, TRUE);
  /* As the station's main (). */
  g_setenv ("GDK_GL", "disable", FALSE);
  station_browser_prepare_environment ();
  /* The page is linked in: the window makes it without the module. */
  g_type_ensure (STATION_TYPE_BROWSER_PAGE);
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
  services = relais_test_station_services_new (hub, (const char * const[]) {
                                                        "station", "database", db_path,
                                                        "browser", "sites", sites,
                                                        "browser", "policy", "block",
                                                        "browser", "hosts", "localhost",
                                                        "browser", "prewarm", "true",
                                                        NULL });
  {
    g_autofree char *folder = g_build_filename (g_get_user_runtime_dir (), "relais-web-Xk3p9Q", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    stale_upload = g_build_filename (folder, "avis-imposition.pdf", NULL);
    g_file_set_contents (stale_upload, "%PDF-1.4 a person's page", -1, &error);
    g_assert_no_error (error);
  }
  window = relais_test_station_window_new (services);

  g_test_add_func ("/browser-ui/stopped-station-leftovers-removed", test_stopped_station_leftovers_removed);
  g_test_add_func ("/browser-ui/tiles-open-a-site", test_tiles_open_a_site);
  g_test_add_func ("/browser-ui/session-leaves-nothing", test_session_leaves_nothing);
  g_test_add_func ("/browser-ui/refusals", test_refusals);
  g_test_add_func ("/browser-ui/popup-is-a-tab", test_popup_is_a_tab);
  g_test_add_func ("/browser-ui/questions-shown-large", test_questions_shown_large);
  g_test_add_func ("/browser-ui/download-and-print", test_download_and_print);
  g_test_add_func ("/browser-ui/help-names-the-site", test_help_names_the_site);
  g_test_add_func ("/browser-ui/download-to-key-and-safe", test_download_to_key_and_safe);
  g_test_add_func ("/browser-ui/window-print", test_window_print);
  g_test_add_func ("/browser-ui/keyboard-types-in-fields", test_keyboard_types_in_fields);
  g_test_add_func ("/browser-ui/upload-offers-only-the-session", test_upload_offers_only_the_session);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  station_browser_page_forget_spare ();
  g_free (stale_upload);
  relais_test_site_free (site);
  relais_test_hub_free (hub);
  relais_test_cupsd_stop (cups_dir);
  return rc;
}
