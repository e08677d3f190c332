/* bench-print-submit.c: how long the station waits, from the print call to
 * the job accepted by cupsd (the job id back, the document received).
 *
 *   bench-print-submit N      (CUPS_SERVER points at the private cupsd)
 *
 * Prints one "job_ms=…" line per job, then "p50_ms=… p99_ms=… max_ms=…". */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-page.h"
#include "relais-pdf.h"
#include "relais-printer.h"

#include <stdlib.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint) (p / 100.0 * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  int     n = argc > 1 ? atoi (argv[1]) : 50;
  guint8 *pixels;

  printer = relais_printer_cups_new (NULL, &error);
  if (printer == NULL)
    g_error ("%s", error->message);

  /* A scanned letter as the station sends it: one A4 page at 150 dpi. */
  pixels = g_malloc (1240 * 1754);
  for (int i = 0; i < 1240 * 1754; i++)
    pixels[i] = (guint8) ((i / 1240) % 60 < 20 && (i % 1240) % 37 < 30 ? 30 + (i * 7) % 11 : 240 + (i * 13) % 9);
  g_ptr_array_add (pages, relais_page_new (RELAIS_PAGE_GRAY, 1240, 1754, 1240, 150,
                                           g_bytes_new_take (pixels, 1240 * 1754)));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  if (pdf == NULL)
    g_error ("%s", error->message);

  for (int i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      int    job = relais_printer_print_bytes (printer, pdf, "application/pdf", "bench", NULL, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (job <= 0)
        g_error ("job %d: %s", i + 1, error->message);
      g_array_append_val (times, ms);
      g_print ("job=%d job_ms=%.2f\n", job, ms);
    }
  g_array_sort (times, compare_doubles);
  g_print ("pdf_bytes=%" G_GSIZE_FORMAT " p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", g_bytes_get_size (pdf),
           percentile (times, 50), percentile (times, 99), g_array_index (times, double, times->len - 1));
  return 0;
}
