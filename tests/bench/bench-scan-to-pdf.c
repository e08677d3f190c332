/* bench-scan-to-pdf.c: a feeder's pile to one PDF, the way the station's
 * drivers do it: this thread reads each sheet from the scanner and hands it
 * to the PDF writer, whose threads encode it (JPEG or lossless, chosen per
 * page) while the next sheet is read.
 *
 *   bench-scan-to-pdf color|gray DPI OUT.pdf
 *
 * Prints "pages=N seconds=S bytes=B" on stdout. */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-pdf.h"
#include "relais-scanner.h"

#include <stdlib.h>

static void
set_option (RelaisScanner *scanner,
            const char    *name,
            const char    *value)
{
  g_autoptr(GError) error = NULL;

  if (!relais_scanner_sane_set_option_string (scanner, name, value, &error))
    g_error ("%s=%s: %s", name, value, error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelaisScanner) scanner = NULL;
  g_autoptr(RelaisPdfWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  RelaisScanOptions options = { 0 };
  gint64            start;
  double            seconds;

  if (argc != 4 || (g_strcmp0 (argv[1], "color") != 0 && g_strcmp0 (argv[1], "gray") != 0))
    {
      g_printerr ("usage: %s color|gray DPI OUT.pdf\n", argv[0]);
      return 2;
    }

  scanner = relais_scanner_sane_new ("test:0", &error);
  if (scanner == NULL)
    g_error ("%s", error->message);
  /* The test backend's largest area (200 × 200 mm), its colour picture. */
  set_option (scanner, "tl-x", "0");
  set_option (scanner, "tl-y", "0");
  set_option (scanner, "br-x", "200");
  set_option (scanner, "br-y", "200");
  set_option (scanner, "test-picture", "Color pattern");

  options.mode = g_str_equal (argv[1], "color") ? RELAIS_SCAN_COLOR : RELAIS_SCAN_GRAY;
  options.dpi = atoi (argv[2]);
  options.source = RELAIS_SCAN_SOURCE_FEEDER;

  start = g_get_monotonic_time ();
  writer = relais_pdf_writer_new ();
  /* The feeder until NO_DOCS, as relais_scanner_scan_batch () does, each
   * page let go once the writer has it. */
  for (guint index = 0;; index++)
    {
      g_autoptr(RelaisPage) page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);

      if (page == NULL)
        {
          if (index == 0 || !g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DOCS))
            g_error ("page %u: %s", index + 1, error->message);
          g_clear_error (&error);
          break;
        }
      if (!relais_pdf_writer_add_page (writer, page, 0, &error))
        g_error ("%s", error->message);
    }
  pdf = relais_pdf_writer_finish (writer, &error);
  if (pdf == NULL)
    g_error ("%s", error->message);
  if (!g_file_set_contents (argv[3], g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_print ("pages=%u seconds=%.3f bytes=%" G_GSIZE_FORMAT "\n",
           relais_pdf_writer_get_n_pages (writer), seconds, g_bytes_get_size (pdf));
  return 0;
}
