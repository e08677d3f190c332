/* bench-scan-to-pdf.c: a feeder's pile to one PDF, the way the station
 * does it: the scanner's thread reads a sheet and prepares its image (JPEG
 * or lossless, chosen per page) while this thread writes the previous one.
 *
 *   bench-scan-to-pdf color|gray DPI OUT.pdf
 *
 * Prints "pages=N seconds=S bytes=B" on stdout. */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-pdf.h"
#include "relais-scanner.h"

#include <stdlib.h>

typedef struct
{
  RelaisScanner     *scanner;
  RelaisScanOptions  options;
  GAsyncQueue       *queue;     /* RelaisPdfImage*, then the end marker */
  GAsyncQueue       *tokens;    /* free slots: at most IN_FLIGHT images wait */
  GError            *error;
} Pipeline;

/* Images prepared ahead of the writer: memory stays that of a few pages
 * whatever the pile's length. */
#define IN_FLIGHT 2

static int end_marker_storage;
#define END_MARKER ((gpointer) &end_marker_storage)

static gpointer
scan_thread (gpointer data)
{
  Pipeline *pipeline = data;

  /* The feeder until NO_DOCS, as relais_scanner_scan_batch () does, but
   * each page dropped once its image is ready. */
  for (guint index = 0;; index++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaisPage) page = NULL;
      RelaisPdfImage *image;

      g_async_queue_pop (pipeline->tokens);
      page = relais_scanner_scan_page (pipeline->scanner, &pipeline->options, NULL, NULL, NULL, &error);
      if (page == NULL)
        {
          if (index == 0 || !g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DOCS))
            pipeline->error = g_steal_pointer (&error);
          break;
        }
      image = relais_pdf_image_new (page, 0, &error);
      if (image == NULL)
        g_error ("page %u: %s", index + 1, error->message);
      g_async_queue_push (pipeline->queue, image);
    }
  g_async_queue_push (pipeline->queue, END_MARKER);
  return NULL;
}

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
  Pipeline pipeline = { 0 };
  GThread *thread;
  gint64 start;
  double seconds;

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

  pipeline.scanner = scanner;
  pipeline.options.mode = g_str_equal (argv[1], "color") ? RELAIS_SCAN_COLOR : RELAIS_SCAN_GRAY;
  pipeline.options.dpi = atoi (argv[2]);
  pipeline.options.source = RELAIS_SCAN_SOURCE_FEEDER;
  pipeline.queue = g_async_queue_new ();
  pipeline.tokens = g_async_queue_new ();
  for (int i = 0; i < IN_FLIGHT; i++)
    g_async_queue_push (pipeline.tokens, GINT_TO_POINTER (1));

  start = g_get_monotonic_time ();
  writer = relais_pdf_writer_new ();
  thread = g_thread_new ("scan", scan_thread, &pipeline);
  for (;;)
    {
      RelaisPdfImage *image = g_async_queue_pop (pipeline.queue);

      if (image == END_MARKER)
        break;
      if (!relais_pdf_writer_add_image (writer, image, &error))
        g_error ("%s", error->message);
      relais_pdf_image_free (image);
      g_async_queue_push (pipeline.tokens, GINT_TO_POINTER (1));
    }
  g_thread_join (thread);
  if (pipeline.error != NULL)
    g_error ("%s", pipeline.error->message);
  pdf = relais_pdf_writer_finish (writer, &error);
  if (pdf == NULL)
    g_error ("%s", error->message);
  if (!g_file_set_contents (argv[3], g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_print ("pages=%u seconds=%.3f bytes=%" G_GSIZE_FORMAT "\n",
           relais_pdf_writer_get_n_pages (writer), seconds, g_bytes_get_size (pdf));
  g_async_queue_unref (pipeline.queue);
  g_async_queue_unref (pipeline.tokens);
  return 0;
}
