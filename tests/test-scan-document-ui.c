/* test-scan-document-ui.c: the scan page's "document" choice under Xvfb
 * (issue 17). A letter laid askew on the glass of SANE's pnm backend
 * (tests/relais-test-papers.c, 300 dpi, the scanner's dark lid showing)
 * comes into the document straight and without the lid when « Remettre
 * la feuille droite » is ticked (touched by its accessible name); a photo scanned with the same choice ticked is left
 * exactly as the glass gives it. Screenshot: scan-document-ui.png. */
#define G_LOG_DOMAIN "relais-test"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "relais-test-hub.h"
#include "relais-test-papers.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-scan-page.h"

#define DOCUMENT_NAME "Remettre la feuille droite"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *window;
static char            *sane_dir;

static StationScanPage *
scan_page (void)
{
  return STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
}

static gboolean
scan_page_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

/* @kind laid on the glass; returns the page as the glass gives it. */
static RelaisPage *
lay_on_glass (RelaisTestPaperKind kind,
              guint               seed,
              double             *laid)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (sane_dir, "feuille.ppm", NULL);
  RelaisPage      *scanned = NULL;

  relais_test_paper_render (kind, seed, 300, NULL, &scanned, laid);
  g_assert_true (relais_test_page_write_pnm (scanned, path, &error));
  g_assert_true (relais_scanner_sane_set_option_string (services->scanner, "filename", path, &error));
  return scanned;
}

static int
luma_at (const RelaisPage *page,
         int               x,
         int               y)
{
  const guint8 *p = relais_page_get_data (page) + (gsize) y * relais_page_get_stride (page)
                    + (gsize) x * (relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1);

  return relais_page_get_format (page) == RELAIS_PAGE_RGB ? (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8 : p[0];
}

static gboolean
same_pixels (const RelaisPage *a,
             const RelaisPage *b)
{
  int width = relais_page_get_width (a);
  int bpp = relais_page_get_format (a) == RELAIS_PAGE_RGB ? 3 : 1;

  if (width != relais_page_get_width (b) || relais_page_get_height (a) != relais_page_get_height (b)
      || relais_page_get_format (a) != relais_page_get_format (b))
    return FALSE;
  for (int y = 0; y < relais_page_get_height (a); y++)
    if (memcmp (relais_page_get_data (a) + (gsize) y * relais_page_get_stride (a),
                relais_page_get_data (b) + (gsize) y * relais_page_get_stride (b), (gsize) width * bpp)
        != 0)
      return FALSE;
  return TRUE;
}

static void
test_document (void)
{
  g_autoptr(RelaisPage) letter = NULL;
  g_autoptr(RelaisPage) photo = NULL;
  g_autoptr(RelaisPage) photo_cropped = NULL;
  g_autofree char *shot = NULL;
  GtkWidget       *check;
  RelaisPage      *page;
  double           laid = 0;

  g_assert_nonnull (services->scanner);
  g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", "fr");
  station_window_show_page (window, "scan");
  relais_test_ui_settle (300);

  /* The choice, large, with a name a screen reader speaks; touched. */
  check = relais_test_ui_find_named (GTK_WIDGET (scan_page ()), DOCUMENT_NAME);
  g_assert_nonnull (check);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (check));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)));
  g_assert_cmpint (gtk_widget_get_allocated_height (check), >=, 48);
  /* Drawn where it is before a finger finds it. */
  relais_test_ui_settle (500);
  g_free (relais_test_ui_screenshot (GTK_WIDGET (window), "scan-document-ui-choice"));
  relais_test_ui_touch (check);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)));

  /* A letter laid askew: straight, the lid gone. */
  station_scan_page_set_options (scan_page (), RELAIS_SCAN_COLOR, FALSE, FALSE, 1);
  letter = lay_on_glass (RELAIS_TEST_PAPER_LETTER, 0, &laid);
  g_assert_cmpint (luma_at (letter, relais_page_get_width (letter) / 2, 2), <, 96);
  station_scan_page_scan (scan_page ());
  g_assert_true (relais_test_wait (scan_page_idle, scan_page ()));
  g_assert_cmpuint (station_scan_page_get_n_pages (scan_page ()), ==, 1);
  page = station_scan_page_get_page (scan_page (), 0);
  g_test_message ("letter laid at %.2f degrees, %dx%d scanned, %dx%d in the document", laid,
                  relais_page_get_width (letter), relais_page_get_height (letter),
                  relais_page_get_width (page), relais_page_get_height (page));
  g_assert_cmpint (relais_page_get_dpi (page), ==, 300);
  g_assert_cmpint (relais_page_get_width (page), <, relais_page_get_width (letter));
  g_assert_cmpint (luma_at (page, relais_page_get_width (page) / 2, 2), >, 150);
  g_assert_cmpint (luma_at (page, 2, relais_page_get_height (page) / 2), >, 150);
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "scan-document-ui");

  /* A photo, the same choice ticked: exactly what the glass gave (cut
   * to its sheet as any glass scan is), not turned, not trimmed. */
  photo = lay_on_glass (RELAIS_TEST_PAPER_PHOTO, 1, &laid);
  photo_cropped = relais_page_crop_margins (photo);
  station_scan_page_scan (scan_page ());
  g_assert_true (relais_test_wait (scan_page_idle, scan_page ()));
  g_assert_cmpuint (station_scan_page_get_n_pages (scan_page ()), ==, 2);
  g_test_message ("photo laid at %.2f degrees", laid);
  g_assert_true (same_pixels (station_scan_page_get_page (scan_page (), 1), photo_cropped));

  /* Unticked: the letter comes in as the glass gives it. */
  relais_test_ui_touch (check);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)));
  g_clear_pointer (&letter, relais_page_unref);
  letter = lay_on_glass (RELAIS_TEST_PAPER_LETTER, 0, &laid);
  station_scan_page_scan (scan_page ());
  g_assert_true (relais_test_wait (scan_page_idle, scan_page ()));
  g_assert_cmpuint (station_scan_page_get_n_pages (scan_page ()), ==, 3);
  {
    g_autoptr(RelaisPage) cropped = relais_page_crop_margins (letter);

    g_assert_true (same_pixels (station_scan_page_get_page (scan_page (), 2), cropped));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dll = NULL;
  int              rc;

  relais_test_ui_init (&argc, &argv, TRUE);
  /* SANE's pnm backend only: a file stands on the glass. */
  sane_dir = g_dir_make_tmp ("relais-scan-document-ui-XXXXXX", NULL);
  dll = g_build_filename (sane_dir, "dll.conf", NULL);
  g_assert_true (g_file_set_contents (dll, "pnm\n", -1, NULL));
  g_setenv ("SANE_CONFIG_DIR", sane_dir, TRUE);

  hub = relais_test_hub_new ();
  services = relais_test_station_services_new (hub, (const char * const[]) {
                                                        "scanner", "device", "pnm:0", "printer", "destination",
                                                        "none-here", NULL });
  window = relais_test_station_window_new (services);

  g_test_add_func ("/scan-document-ui/document", test_document);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  g_unlink (dll);
  {
    g_autofree char *sheet = g_build_filename (sane_dir, "feuille.ppm", NULL);

    g_unlink (sheet);
  }
  g_rmdir (sane_dir);
  g_free (sane_dir);
  return rc;
}
