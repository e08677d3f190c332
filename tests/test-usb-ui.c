/* test-usb-ui.c: "Imprimer depuis une clé USB" under Xvfb, with a private
 * cupsd and cups-pdf: a folder stands for the key (test-usb covers GIO's
 * side of a real one). A damaged file gets a message and spoils nothing;
 * pages 2-3 of a three-page PDF land as a two-page PDF, counted in the
 * session. Then the scan page with a scanner plugged in after start. */
#define G_LOG_DOMAIN "relais-test"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <poppler.h>

#include "relais-test-cups.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-i18n.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-scan-page.h"
#include "station-usb-page.h"
#include "station-window.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)

static RelaisTestHub   *hub;
static char            *cups_dir;
static char            *key_dir;
static StationServices *services;
static StationWindow   *window;

/* A letter of @n_pages, each page saying its number. */
static void
write_pdf (const char *path,
           int         n_pages)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t         *cr = cairo_create (surface);

  for (int i = 1; i <= n_pages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Attestation CAF, page %d", i);

      cairo_set_source_rgb (cr, 0.1, 0.3, 0.7);
      cairo_rectangle (cr, 60, 60, 475, 80);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, 72, 200);
      cairo_set_font_size (cr, 28);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
make_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *png = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *txt = NULL;
  cairo_surface_t *image;
  cairo_t         *cr;

  key_dir = g_dir_make_tmp ("relais-key-XXXXXX", &error);
  g_assert_no_error (error);
  pdf = g_build_filename (key_dir, "attestation.pdf", NULL);
  write_pdf (pdf, 3);

  png = g_build_filename (key_dir, "photo-carte.png", NULL);
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 250);
  cr = cairo_create (image);
  cairo_set_source_rgb (cr, 0.9, 0.6, 0.2);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (image, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (image);

  /* Named like a PDF, broken inside: a download cut short. */
  bad = g_build_filename (key_dir, "abime.pdf", NULL);
  g_file_set_contents (bad, "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nxref\n0 1\ntrailer << >>\n%%EOF", -1, &error);
  g_assert_no_error (error);
  txt = g_build_filename (key_dir, "notes.txt", NULL);
  g_file_set_contents (txt, "pas un document", -1, &error);
  g_assert_no_error (error);
}

static gboolean
usb_page_idle (gpointer page)
{
  return !station_usb_page_is_busy (page);
}

static gboolean
scan_page_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

static void
test_home_tile (void)
{
  g_autofree char *shot = NULL;

  station_window_show_page (window, "home");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-home-usb");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (station_window_get_page (window, "usb"));
}

static void
test_print_from_key (void)
{
  GtkWidget      *widget = station_window_get_page (window, "usb");
  StationUsbPage *page = STATION_USB_PAGE (widget);
  g_autoptr(GFile) root = g_file_new_for_path (key_dir);
  g_autoptr(PopplerDocument) landed = NULL;
  g_autofree char *shot = NULL;
  GtkRequisition   natural;
  guint            printed_before;

  station_window_show_page (window, "usb");
  station_usb_page_set_root (page, root);
  g_assert_true (relais_test_wait (usb_page_idle, page));
  /* The two PDFs and the picture, sorted by name; not the text file. */
  g_assert_cmpuint (station_usb_page_get_n_files (page), ==, 3);

  /* The damaged file: a sentence, no preview, nothing to print. */
  station_usb_page_select (page, 0);
  g_assert_true (relais_test_wait (usb_page_idle, page));
  g_assert_cmpint (station_usb_page_get_n_pages (page), ==, 0);
  g_test_message ("damaged: %s", station_usb_page_get_status (page));
  g_assert_nonnull (station_usb_page_get_status (page));
  station_usb_page_print (page);
  g_assert_cmpint (station_usb_page_get_job (page), ==, 0);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-usb-damaged");

  /* The next file opens as if nothing happened. */
  station_usb_page_select (page, 1);
  g_assert_true (relais_test_wait (usb_page_idle, page));
  g_assert_cmpint (station_usb_page_get_n_pages (page), ==, 3);
  g_test_message ("duplex offered: %d", station_usb_page_can_duplex (page));

  /* Pages the document does not have: said, nothing sent. */
  station_usb_page_set_options (page, 1, "2-5", FALSE, FALSE);
  station_usb_page_print (page);
  g_assert_false (station_usb_page_is_busy (page));
  g_assert_cmpint (station_usb_page_get_job (page), ==, 0);
  g_assert_nonnull (strstr (station_usb_page_get_status (page), "entre 1 et 3"));

  station_usb_page_set_options (page, 1, "2-3", FALSE, TRUE);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-usb-preview");
  /* It fits the station's 1280 × 800 screen under the window's bar. */
  gtk_widget_get_preferred_size (widget, NULL, &natural);
  g_test_message ("usb page natural size: %d × %d", natural.width, natural.height);
  g_assert_cmpint (natural.width, <=, 1230);
  g_assert_cmpint (natural.height, <=, 690);

  printed_before = station_session_get_count (services->session, STATION_COUNT_PAGES_PRINTED);
  station_usb_page_print (page);
  g_assert_true (relais_test_wait (usb_page_idle, page));
  g_test_message ("status: %s", station_usb_page_get_status (page));
  g_assert_cmpint (station_usb_page_get_job (page), >, 0);
  g_assert_cmpuint (station_session_get_count (services->session, STATION_COUNT_PAGES_PRINTED),
                    ==, printed_before + 2);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-usb-printed");

  /* "completed" is no proof: the PDF that landed is, with pages 2 and 3. */
  landed = relais_test_cupsd_wait_landed (cups_dir, 1);
  g_assert_cmpint (poppler_document_get_n_pages (landed), ==, 2);

  /* A picture: one page, no range to choose. */
  station_usb_page_select (page, 2);
  g_assert_true (relais_test_wait (usb_page_idle, page));
  g_assert_cmpint (station_usb_page_get_n_pages (page), ==, 1);
}

static gboolean
scanner_found (gpointer data)
{
  return services->scanner != NULL;
}

/* Hot-plug seen on the scan page: with no scanner it offers to look for
 * one; the periodic probe finds it and the page says it is ready, with
 * nobody touching "Chercher le scanner". The test backend's device, held
 * open here, is what "unplugged" looks like to SANE (busy). */
static void
test_scanner_plugged_in (void)
{
  GtkWidget *page = station_window_get_page (window, "scan");
  g_autoptr(RelaisScanner) holder = NULL;
  g_autofree char *shot = NULL;

  g_assert_nonnull (services->scanner);
  station_window_show_page (window, "scan");
  holder = g_steal_pointer (&services->scanner);
  station_services_probe_scanner (services);
  g_assert_null (services->scanner);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan-no-scanner");

  station_services_set_probe_interval (services, 100);
  g_clear_object (&holder);
  g_assert_true (relais_test_wait (scanner_found, NULL));
  g_test_message ("scan page: %s", station_scan_page_get_status (STATION_SCAN_PAGE (page)));
  g_assert_cmpstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), ==,
                   "Le scanner est prêt. Posez votre feuille, puis touchez « Numériser ».");
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan-plugged-in");

  /* And it scans. */
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (page)), ==, 1);
  station_scan_page_clear (STATION_SCAN_PAGE (page));
}

int
main (int argc, char **argv)
{
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  cups_dir = relais_test_cupsd_start ();
  make_key ();
  hub = relais_test_hub_new ();

  services = relais_test_station_services_new (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });
  window = relais_test_station_window_new (services);
  relais_link_start (services->link);

  g_test_add_func ("/usb-ui/home-tile", test_home_tile);
  g_test_add_func ("/usb-ui/print-from-key", test_print_from_key);
  g_test_add_func ("/usb-ui/scanner-plugged-in", test_scanner_plugged_in);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  relais_test_cupsd_stop (cups_dir);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", key_dir);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
  return rc;
}
