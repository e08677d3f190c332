/* test-printer.c: RelaisPrinter over CUPS, against a private cupsd whose
 * cups-pdf queue writes real PDFs (tests/fixtures/relais-cupsd). */
#define G_LOG_DOMAIN "relais-test-printer"

#include "relais-printer.h"
#include "relais-protocol.h"
#include "relais-test-util.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cups/cups.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <stdarg.h>
#include <unistd.h>

/* cups-pdf goes through pdftops and ghostscript: about a second a page here,
 * more on a loaded CI runner. */
#define JOB_TIMEOUT_S 30

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

/* A private cupsd started by the fixture script. */
typedef struct
{
  char *dir;    /* its state, its logs, and pdf/ where cups-pdf writes */
  char *server; /* "127.0.0.1:PORT", for CUPS_SERVER */
} Cupsd;

/* The one shared by the tests, started by the first test that needs it. */
static Cupsd *shared_cupsd;
static char  *shared_cupsd_failure;

static const char *
fixture_script (void)
{
  static char *script;

  if (script == NULL)
    script = g_build_filename (relais_test_source_dir (), "tests", "fixtures", "relais-cupsd", NULL);
  return script;
}

static Cupsd *
cupsd_start (GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *watch = g_strdup_printf ("%d", (int) getpid ());
  g_auto(GStrv) lines = NULL;
  int    status;
  Cupsd *cupsd;

  dir = g_dir_make_tmp ("relais-cupsd-XXXXXX", error);
  if (dir == NULL)
    return NULL;

  /* --watch: should this process die on an assertion, the script's watchdog
   * stops cupsd all the same. */
  const char *argv[] = { fixture_script (), "start", "--watch", watch, dir, NULL };
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &status, error)
      || !g_spawn_check_wait_status (status, error))
    {
      /* The script said why on stderr; its logs stay in @dir. */
      g_prefix_error (error, "%s start %s: ", fixture_script (), dir);
      return NULL;
    }

  cupsd = g_new0 (Cupsd, 1);
  cupsd->dir = g_steal_pointer (&dir);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "CUPS_SERVER="))
      cupsd->server = g_strdup (lines[i] + strlen ("CUPS_SERVER="));
  g_assert_nonnull (cupsd->server);
  g_test_message ("cupsd for %s on %s", cupsd->dir, cupsd->server);
  return cupsd;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
cupsd_stop (Cupsd *cupsd)
{
  g_autoptr(GError) error = NULL;
  int         status;
  const char *argv[] = { fixture_script (), "stop", cupsd->dir, NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_printerr ("# relais-cupsd stop %s: %s\n", cupsd->dir, error->message);
  remove_tree (cupsd->dir);
  g_free (cupsd->dir);
  g_free (cupsd->server);
  g_free (cupsd);
}

/* Points libcups at @server; libcups keeps the server per thread once read,
 * hence cupsSetServer (NULL) to read the environment again. */
static void
use_cups_server (const char *server)
{
  g_setenv ("CUPS_SERVER", server, TRUE);
  cupsSetServer (NULL);
}

/* The shared cupsd, or NULL with the test skipped or failed. */
static Cupsd *
require_cupsd (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root: cupsd, the cups-pdf backend and /etc/cups/cups-pdf-NAME.conf");
      return NULL;
    }
  if (shared_cupsd == NULL && shared_cupsd_failure == NULL)
    {
      g_autoptr(GError) error = NULL;

      shared_cupsd = cupsd_start (&error);
      if (shared_cupsd == NULL)
        shared_cupsd_failure = g_strdup (error->message);
    }
  if (shared_cupsd == NULL)
    {
      g_test_fail_printf ("the private cupsd did not start: %s", shared_cupsd_failure);
      return NULL;
    }
  use_cups_server (shared_cupsd->server);
  return shared_cupsd;
}

/* An A4 PDF of @pages pages with some text, as the station would print. */
static char *
make_pdf (const char *name,
          int         pages)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "printer-input", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  surface = cairo_pdf_surface_create (path, 595.28, 841.89);
  cr = cairo_create (surface);
  for (int page = 1; page <= pages; page++)
    {
      g_autofree char *text = g_strdup_printf ("Relais : page de test %d sur %d", page, pages);

      cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
      cairo_rectangle (cr, 72, 72, 451, 60);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 24);
      cairo_move_to (cr, 72, 200);
      cairo_show_text (cr, text);
      cairo_move_to (cr, 72, 240);
      cairo_show_text (cr, "Attestation de domicile — exemple");
      cairo_show_page (cr);
    }
  g_clear_pointer (&cr, cairo_destroy);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return g_steal_pointer (&path);
}

static char *
write_file (const char   *name,
            const guint8 *data,
            gsize         size)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "printer-input", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static int
count_jobs (void)
{
  cups_job_t *jobs = NULL;
  int         n = cupsGetJobs2 (CUPS_HTTP_DEFAULT, &jobs, NULL, 0, CUPS_WHICHJOBS_ALL);

  g_assert_cmpint (n, >=, 0);
  cupsFreeJobs (n, jobs);
  return n;
}

/* The "copies" the scheduler recorded for @job_id, asked without our code. */
static int
job_copies (int job_id)
{
  g_autofree char *uri = g_strdup_printf ("ipp://localhost/jobs/%d", job_id);
  ipp_t           *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t           *response;
  ipp_attribute_t *attr;
  int              copies;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "copies");
  response = cupsDoRequest (CUPS_HTTP_DEFAULT, request, "/");
  g_assert_cmpint (cupsLastError (), ==, IPP_STATUS_OK);
  attr = ippFindAttribute (response, "copies", IPP_TAG_INTEGER);
  g_assert_nonnull (attr);
  copies = ippGetInteger (attr, 0);
  ippDelete (response);
  return copies;
}

/* Polls until the job ends; "completed" alone proves nothing (see
 * wait_for_job_pdf). */
static RelaisJobState
wait_for_job_end (RelaisPrinter *printer,
                  int            job_id)
{
  gint64         deadline = g_get_monotonic_time () + JOB_TIMEOUT_S * G_USEC_PER_SEC;
  RelaisJobState state;

  do
    {
      g_autoptr(GError) error = NULL;

      state = relais_printer_get_job_state (printer, job_id, &error);
      g_assert_no_error (error);
      if (state == RELAIS_JOB_COMPLETED || state == RELAIS_JOB_CANCELLED
          || state == RELAIS_JOB_ABORTED || state == RELAIS_JOB_STOPPED)
        return state;
      g_usleep (100 * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  return state;
}

/* The PDF cups-pdf wrote for @job_id, once its size holds still.  The
 * fixture sets "Label 1", so cups-pdf names it job_<id>-<title>.pdf. */
static char *
wait_for_job_pdf (Cupsd *cupsd,
                  int    job_id)
{
  g_autofree char *pdf_dir = g_build_filename (cupsd->dir, "pdf", NULL);
  g_autofree char *prefix = g_strdup_printf ("job_%d-", job_id);
  gint64           deadline = g_get_monotonic_time () + JOB_TIMEOUT_S * G_USEC_PER_SEC;
  goffset          last_size = -1;

  do
    {
      g_autoptr(GDir) dir = g_dir_open (pdf_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;
          GStatBuf         st;

          if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".pdf"))
            continue;
          path = g_build_filename (pdf_dir, name, NULL);
          if (g_stat (path, &st) != 0 || st.st_size == 0)
            continue;
          if (st.st_size == last_size)
            return g_steal_pointer (&path);
          last_size = st.st_size;
        }
      g_usleep (200 * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  g_test_message ("no PDF for job %d in %s after %d s; see %s/log", job_id, pdf_dir,
                  JOB_TIMEOUT_S, cupsd->dir);
  return NULL;
}

/* Opens the PDF that landed, after keeping a copy for a human to look at. */
static PopplerDocument *
open_landed_pdf (const char *path,
                 const char *artifact)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  g_autofree char *keep = relais_test_artifact_path (artifact);
  g_autofree char *contents = NULL;
  PopplerDocument *document;
  gsize            length;

  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (keep, contents, length, &error);
  g_assert_no_error (error);
  g_test_message ("landed: %s (kept as %s)", path, keep);

  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  return document;
}

/* The colour at (@x, @y), in points, of the first page rendered on white:
 * make_pdf () puts a red band around (300, 100). */
static void
sample_colour (PopplerDocument *document,
               double           x,
               double           y,
               guint8           rgb[3])
{
  /* GObject: poppler-glib 22.12 defines no autoptr for its types. */
  g_autoptr(GObject) page = G_OBJECT (poppler_document_get_page (document, 0));
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  double  width;
  double  height;
  guint32 pixel;

  g_assert_nonnull (page);
  poppler_page_get_size (POPPLER_PAGE (page), &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render (POPPLER_PAGE (page), cr);
  cairo_surface_flush (surface);

  /* RGB24: one native-endian 0x00RRGGBB word a pixel. */
  pixel = *(guint32 *) (cairo_image_surface_get_data (surface)
                        + (int) y * cairo_image_surface_get_stride (surface)
                        + (int) x * 4);
  rgb[0] = (pixel >> 16) & 0xff;
  rgb[1] = (pixel >> 8) & 0xff;
  rgb[2] = pixel & 0xff;
  g_test_message ("colour at (%.0f, %.0f): #%02x%02x%02x", x, y, rgb[0], rgb[1], rgb[2]);
}

static void
test_print_pdf (void)
{
  g_autoptr(GObject) document = NULL;
  guint8 rgb[3];
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char *input = NULL;
  g_autofree char *landed = NULL;
  Cupsd           *cupsd;
  int              job_id;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (printer);
  g_assert_cmpstr (relais_printer_get_label (printer), ==, "relais-pdf");

  input = make_pdf ("une-page.pdf", 1);
  job_id = relais_printer_print_file (printer, input, "une page", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  document = G_OBJECT (open_landed_pdf (landed, "printer-one-page.pdf"));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)), ==, 1);
  /* In colour, as sent. */
  sample_colour (POPPLER_DOCUMENT (document), 300, 100, rgb);
  g_assert_cmpint (rgb[0], >, 150);
  g_assert_cmpint (rgb[1], <, 80);
}

static void
test_print_copies (void)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char   *input = NULL;
  g_autofree char   *landed = NULL;
  RelaisPrintOptions options = { .copies = 2 };
  Cupsd             *cupsd;
  int                job_id;
  int                pages;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);

  input = make_pdf ("deux-copies.pdf", 1);
  job_id = relais_printer_print_file (printer, input, "deux copies", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  /* What the job carries is ours to check... */
  g_assert_cmpint (job_copies (job_id), ==, 2);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  /* ...what the queue makes of it is not: cups-pdf's PPD leaves the copies
   * to the "printer" (a /#copies in the PostScript) and ghostscript's
   * pdfwrite writes the page once. */
  document = G_OBJECT (open_landed_pdf (landed, "printer-two-copies.pdf"));
  pages = poppler_document_get_n_pages (POPPLER_DOCUMENT (document));
  g_assert_cmpint (pages, >=, 1);
  g_assert_cmpint (pages, <=, 2);
}

static void
test_print_grayscale (void)
{
  g_autoptr(GObject) document = NULL;
  guint8 rgb[3];
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char   *input = NULL;
  g_autofree char   *landed = NULL;
  RelaisPrintOptions options = { .grayscale = TRUE };
  Cupsd             *cupsd;
  int                job_id;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new ("relais-pdf", &error);
  g_assert_no_error (error);

  input = make_pdf ("gris.pdf", 2);
  job_id = relais_printer_print_file (printer, input, "gris", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  document = G_OBJECT (open_landed_pdf (landed, "printer-grayscale.pdf"));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)), ==, 2);
  /* The red band came out gray: print-color-mode=monochrome reached the
   * filters. */
  sample_colour (POPPLER_DOCUMENT (document), 300, 100, rgb);
  g_assert_cmpint (ABS (rgb[0] - rgb[1]), <=, 8);
  g_assert_cmpint (ABS (rgb[1] - rgb[2]), <=, 8);
  g_assert_cmpint (rgb[0], <, 200);
}

/* A scanned page reaches the printer as an image. */
static void
test_print_png (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  g_autoptr(GObject) document = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "printer-input", NULL);
  g_autofree char *input = g_build_filename (dir, "scan.png", NULL);
  g_autofree char *landed = NULL;
  Cupsd           *cupsd;
  int              job_id;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);

  /* An A5-ish scan at 100 dpi. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 583, 827);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.2, 0.7);
  cairo_rectangle (cr, 50, 50, 483, 100);
  cairo_fill (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, input), ==, CAIRO_STATUS_SUCCESS);

  job_id = relais_printer_print_file (printer, input, "scan", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  document = G_OBJECT (open_landed_pdf (landed, "printer-png.pdf"));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)), ==, 1);
}

static void
assert_refused_file (RelaisPrinter *printer,
                     const char    *path)
{
  g_autoptr(GError) error = NULL;
  int before = count_jobs ();
  int job_id;

  job_id = relais_printer_print_file (printer, path, NULL, NULL, &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpint (job_id, ==, 0);
  g_test_message ("%s: %s", path, error->message);
  g_assert_cmpint (count_jobs (), ==, before);
}

static void
test_print_bad_file (void)
{
  static const char text[] = "Ceci est une lettre en texte brut, pas un PDF.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char *text_file = NULL;
  g_autofree char *disguised = NULL;
  g_autofree char *random_file = NULL;
  g_autofree char *empty_file = NULL;
  g_autofree char *missing = NULL;
  guint8           noise[4096];
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  if (require_cupsd () == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);

  text_file = write_file ("lettre.txt", (const guint8 *) text, strlen (text));
  assert_refused_file (printer, text_file);
  /* The name does not make a PDF. */
  disguised = write_file ("lettre.pdf", (const guint8 *) text, strlen (text));
  assert_refused_file (printer, disguised);
  random_file = write_file ("bruit.bin", noise, sizeof noise);
  assert_refused_file (printer, random_file);
  empty_file = write_file ("vide.pdf", (const guint8 *) "", 0);
  assert_refused_file (printer, empty_file);
  missing = g_build_filename (g_get_user_cache_dir (), "absent.pdf", NULL);
  assert_refused_file (printer, missing);
}

static void
test_no_such_destination (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;

  if (require_cupsd () == NULL)
    return;

  printer = relais_printer_cups_new ("relais-absente", &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER);
  g_assert_null (printer);
  g_assert_nonnull (strstr (error->message, "relais-absente"));
  g_test_message ("%s", error->message);
}

static void
test_server_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  Cupsd *cupsd;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  /* Nothing listens on port 1. */
  use_cups_server ("127.0.0.1:1");
  printer = relais_printer_cups_new (NULL, &error);
  use_cups_server (cupsd->server);

  g_assert_null (printer);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE)
                 || g_error_matches (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER));
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("%s", error->message);
}

static void
lpadmin (const char *server,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list     args;
  int         status;

  g_ptr_array_add (argv, (char *) "lpadmin");
  g_ptr_array_add (argv, (char *) "-h");
  g_ptr_array_add (argv, (char *) server);
  va_start (args, server);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

/* A second scheduler loses its default queue, then its last one, then goes
 * away, under a printer object that was fine when made.  The object follows
 * the process's CUPS server (libcups keeps one per thread), so CUPS_SERVER
 * stays on the dying one. */
static void
test_server_lost (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autoptr(RelaisPrinter) first = NULL;
  g_autoptr(RelaisPrinter) none = NULL;
  g_autofree char *input = NULL;
  g_autofree char *name_file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *device = NULL;
  Cupsd           *shared;
  Cupsd           *second;
  int              job_id;

  if ((shared = require_cupsd ()) == NULL)
    return;

  second = cupsd_start (&error);
  g_assert_no_error (error);
  use_cups_server (second->server);

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_printer_get_label (printer), ==, "relais-pdf");

  /* No default any more: the first queue there is. */
  name_file = g_build_filename (second->dir, "cups-pdf-name", NULL);
  g_file_get_contents (name_file, &name, NULL, &error);
  g_assert_no_error (error);
  device = g_strdup_printf ("cups-pdf:/%s", g_strstrip (name));
  lpadmin (second->server, "-p", "relais-brouillon", "-E", "-v", device,
           "-P", "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd", NULL);
  lpadmin (second->server, "-x", "relais-pdf", NULL);
  first = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_printer_get_label (first), ==, "relais-brouillon");

  lpadmin (second->server, "-x", "relais-brouillon", NULL);
  none = relais_printer_cups_new (NULL, &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER);
  g_assert_null (none);
  g_test_message ("no queue: %s", error->message);
  g_clear_error (&error);

  input = make_pdf ("perdue.pdf", 1);
  job_id = relais_printer_print_file (printer, input, NULL, NULL, &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER);
  g_assert_cmpint (job_id, ==, 0);
  g_test_message ("queue deleted: %s", error->message);
  g_clear_error (&error);

  cupsd_stop (second);

  job_id = relais_printer_print_file (printer, input, NULL, NULL, &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE);
  g_assert_cmpint (job_id, ==, 0);
  g_test_message ("server gone: %s", error->message);
  g_clear_error (&error);

  g_assert_cmpint (relais_printer_get_job_state (printer, 1, &error), ==, 0);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE);

  use_cups_server (shared->server);
}

/* The pid of @cupsd as its fixture recorded it, checked alive. */
static int
cupsd_pid (Cupsd *cupsd)
{
  g_autofree char *path = g_build_filename (cupsd->dir, "cupsd.pid", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int pid;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  pid = atoi (text);
  g_assert_cmpint (pid, >, 1);
  return pid;
}

/* Whether @pid is still the same cupsd and answers a Get-Printer-Attributes. */
static void
assert_cupsd_alive (int         pid,
                    const char *after)
{
  g_autofree char *exe_link = g_strdup_printf ("/proc/%d/exe", pid);
  g_autofree char *exe = g_file_read_link (exe_link, NULL);
  ipp_t           *request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ipp_t           *response;

  if (exe == NULL || !g_str_has_suffix (exe, "/cupsd"))
    g_error ("cupsd %d died after the job \"%s\" (see the kernel log)", pid, after);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL,
                "ipp://localhost/printers/relais-pdf");
  response = cupsDoRequest (CUPS_HTTP_DEFAULT, request, "/");
  g_assert_cmpint (cupsLastError (), ==, IPP_STATUS_OK);
  ippDelete (response);
}

/* Every kind of job the station sends, with the titles it gives them, goes
 * through the driver's exact IPP sequence (Create-Job, Send-Document) to the
 * real cupsd, which must still be the same process, answering, after each:
 * a cupsd update that crashes on some attribute (2.4.2-3+deb12u10 did on a
 * document-name with a space) is caught here, not in a centre. */
static void
test_print_titles_keep_server_alive (void)
{
  const char *titles[] = {
    "Document numérisé",                 /* scan page */
    "Photocopie",                        /* copy page */
    "Carte d'identité (recto et verso)", /* ID card */
    "CV Marie-Thérèse N'Diaye 2026.pdf", /* a file from a USB key */
    "Avis d'imposition 2025",            /* a safe document */
    "\"Attestation\" CAF — l'été",       /* quotes, a dash, an apostrophe */
    "Reçu 📄 ✅ ع",                        /* emoji and Arabic */
    "   ",                               /* blank: the driver's default title */
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char *input = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) document = NULL;
  gsize  length;
  Cupsd *cupsd;
  int    pid;

  if ((cupsd = require_cupsd ()) == NULL)
    return;
  pid = cupsd_pid (cupsd);
  assert_cupsd_alive (pid, "(none yet)");

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);
  input = make_pdf ("titres.pdf", 1);
  g_file_get_contents (input, &contents, &length, &error);
  g_assert_no_error (error);
  document = g_bytes_new_take (g_steal_pointer (&contents), length);

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      int job_id = relais_printer_print_bytes (printer, document, "application/pdf",
                                               titles[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (job_id, >, 0);
      assert_cupsd_alive (pid, titles[i]);
      g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
      assert_cupsd_alive (pid, titles[i]);
      g_test_message ("job %d \"%s\": completed, cupsd %d alive", job_id, titles[i], pid);
    }
}

static void
print_async_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  int *job_id = user_data;
  g_autoptr(GError) error = NULL;

  *job_id = relais_printer_print_finish (RELAIS_PRINTER (object), result, &error);
  g_assert_no_error (error);
  g_main_context_wakeup (NULL);
}

static void
test_print_async (void)
{
  g_autoptr(GObject) landed_document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char *input = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *landed = NULL;
  g_autoptr(GBytes) document = NULL;
  gsize  length;
  Cupsd *cupsd;
  int    job_id = -1;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);

  input = make_pdf ("asynchrone.pdf", 3);
  g_file_get_contents (input, &contents, &length, &error);
  g_assert_no_error (error);
  document = g_bytes_new_take (g_steal_pointer (&contents), length);

  relais_printer_print_async (printer, document, "application/pdf", "asynchrone", NULL,
                              NULL, print_async_cb, &job_id);
  while (job_id == -1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (job_id, >, 0);

  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  landed_document = G_OBJECT (open_landed_pdf (landed, "printer-async.pdf"));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (landed_document)), ==, 3);
}

static void
test_print_page_ranges (void)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_autofree char   *input = NULL;
  g_autofree char   *landed = NULL;
  RelaisPrintOptions options = { 1, FALSE, TRUE, "2-3" };
  RelaisPrintOptions bad = { 1, FALSE, FALSE, "3-1" };
  Cupsd             *cupsd;
  int                job_id;

  g_assert_true (relais_printer_page_ranges_are_valid (""));
  g_assert_true (relais_printer_page_ranges_are_valid ("1-2,5,7-9"));
  g_assert_false (relais_printer_page_ranges_are_valid ("0-2"));
  g_assert_false (relais_printer_page_ranges_are_valid ("2,1"));
  g_assert_false (relais_printer_page_ranges_are_valid ("1-"));
  g_assert_false (relais_printer_page_ranges_are_valid ("un"));

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);
  /* cups-pdf prints one side only, and says so: no duplex offered. */
  g_assert_false (relais_printer_supports_duplex (printer));

  input = make_pdf ("trois-pages.pdf", 3);
  job_id = relais_printer_print_file (printer, input, "pages 2 et 3", &bad, &error);
  g_assert_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE);
  g_assert_cmpint (job_id, ==, 0);
  g_clear_error (&error);

  /* Duplex asked of a one-sided printer: printed one-sided, not refused. */
  job_id = relais_printer_print_file (printer, input, "pages 2 et 3", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wait_for_job_end (printer, job_id), ==, RELAIS_JOB_COMPLETED);
  landed = wait_for_job_pdf (cupsd, job_id);
  g_assert_nonnull (landed);
  document = G_OBJECT (open_landed_pdf (landed, "printer-page-ranges.pdf"));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (document)), ==, 2);
}

/* What a printer's own backend reports (CUPS copies a backend's "STATE:
 * +media-empty-error" lines into printer-state-reasons): set here through
 * the scheduler's CUPS-Add-Modify-Printer, which takes the same attribute. */
static void
set_printer_reasons (Cupsd              *cupsd,
                     const char * const *reasons,
                     guint               n_reasons)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/printers/relais-pdf", cupsd->server);
  ipp_t           *request = ippNewRequest (IPP_OP_CUPS_ADD_MODIFY_PRINTER);
  ipp_t           *response;
  http_t          *http = httpConnect2 ("127.0.0.1", atoi (strrchr (cupsd->server, ':') + 1), NULL,
                                        AF_INET, HTTP_ENCRYPTION_NEVER, 1, 10000, NULL);

  g_assert_nonnull (http);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippAddStrings (request, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons",
                 (int) n_reasons, NULL, reasons);
  response = cupsDoRequest (http, request, "/admin/");
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  ippDelete (response);
  httpClose (http);
}

static void
pause_printer (Cupsd   *cupsd,
               gboolean pause)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/printers/relais-pdf", cupsd->server);
  ipp_t           *request = ippNewRequest (pause ? IPP_OP_PAUSE_PRINTER : IPP_OP_RESUME_PRINTER);
  http_t          *http = httpConnect2 ("127.0.0.1", atoi (strrchr (cupsd->server, ':') + 1), NULL,
                                        AF_INET, HTTP_ENCRYPTION_NEVER, 1, 10000, NULL);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippDelete (cupsDoRequest (http, request, "/admin/"));
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  httpClose (http);
}

/* Each printer reason that stops printing reaches the consoles as one of
 * the protocol's station reasons; the others raise nothing. */
static void
test_reasons_help (void)
{
  static const char * const stopping[] = {
    "media-empty",
    "media-needed",
    "media-jam",
    "toner-empty",
    "marker-supply-empty",
    "door-open",
    "cover-open",
    "offline",
    "stopped",
    "shutdown",
  };

  for (guint i = 0; i < G_N_ELEMENTS (stopping); i++)
    {
      g_autofree char *help = relais_printer_reason_dup_help_reason (stopping[i]);

      g_assert_nonnull (relais_printer_reason_get_message (stopping[i]));
      g_assert_cmpint (relais_station_reason_from_string (help), !=, RELAIS_STATION_REASON_UNKNOWN);
    }
  g_assert_null (relais_printer_reason_get_message ("toner-low-warning"));
  g_assert_null (relais_printer_reason_dup_help_reason ("toner-low-warning"));
}

static void
test_state_reasons (void)
{
  static const char * const empty[] = { "media-empty-error", "toner-low-warning" };
  static const char * const jam[] = { "media-jam-error", "door-open-error" };
  static const char * const none[] = { "none" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPrinter) printer = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *help = NULL;
  Cupsd           *cupsd;

  if ((cupsd = require_cupsd ()) == NULL)
    return;

  printer = relais_printer_cups_new (NULL, &error);
  g_assert_no_error (error);

  reasons = relais_printer_dup_state_reasons (printer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (reasons), ==, 0);
  g_clear_pointer (&reasons, g_strfreev);

  set_printer_reasons (cupsd, empty, G_N_ELEMENTS (empty));
  reasons = relais_printer_dup_state_reasons (printer, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) reasons, "media-empty"));
  /* A warning does not stop the printer: kept as it is, no message. */
  g_assert_true (g_strv_contains ((const char * const *) reasons, "toner-low-warning"));
  g_assert_null (relais_printer_reason_get_message ("toner-low-warning"));
  g_assert_nonnull (strstr (relais_printer_reason_get_message ("media-empty"), "papier"));
  help = relais_printer_reason_dup_help_reason ("media-empty");
  g_assert_cmpstr (help, ==, "printer-media-empty");
  g_clear_pointer (&reasons, g_strfreev);

  set_printer_reasons (cupsd, jam, G_N_ELEMENTS (jam));
  reasons = relais_printer_dup_state_reasons (printer, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) reasons, "media-jam"));
  g_assert_true (g_strv_contains ((const char * const *) reasons, "door-open"));
  g_clear_pointer (&reasons, g_strfreev);
  set_printer_reasons (cupsd, none, 1);

  /* A queue a mediator stopped (cupsdisable) says "paused": stopped. */
  pause_printer (cupsd, TRUE);
  reasons = relais_printer_dup_state_reasons (printer, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) reasons, "stopped"));
  g_assert_nonnull (relais_printer_reason_get_message ("stopped"));
  g_clear_pointer (&reasons, g_strfreev);
  pause_printer (cupsd, FALSE);

  reasons = relais_printer_dup_state_reasons (printer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (reasons), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* relais_printer_print_file () sniffs the content with the system's MIME
   * database, which the isolated XDG_DATA_DIRS would hide: point GIO at it
   * first.  From the environment, not g_get_system_data_dirs (), whose
   * cached value g_test_init () would leak. */
  {
    const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
    g_auto(GStrv) dirs = g_strsplit (data_dirs != NULL && *data_dirs != '\0'
                                          ? data_dirs
                                          : "/usr/local/share:/usr/share",
                                      ":", -1);
    g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; dirs[i] != NULL; i++)
      if (*dirs[i] != '\0')
        g_ptr_array_add (mime_dirs, g_build_filename (dirs[i], "mime", NULL));
    g_ptr_array_add (mime_dirs, NULL);
    g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  }
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/printer/cups/print-pdf", test_print_pdf);
  g_test_add_func ("/printer/cups/copies", test_print_copies);
  g_test_add_func ("/printer/cups/grayscale", test_print_grayscale);
  g_test_add_func ("/printer/cups/print-png", test_print_png);
  g_test_add_func ("/printer/file/not-printable", test_print_bad_file);
  g_test_add_func ("/printer/cups/no-such-destination", test_no_such_destination);
  g_test_add_func ("/printer/cups/unreachable", test_server_unreachable);
  g_test_add_func ("/printer/cups/server-lost", test_server_lost);
  g_test_add_func ("/printer/cups/print-async", test_print_async);
  g_test_add_func ("/printer/cups/page-ranges", test_print_page_ranges);
  g_test_add_func ("/printer/cups/state-reasons", test_state_reasons);
  g_test_add_func ("/printer/reasons-help", test_reasons_help);
  g_test_add_func ("/printer/cups/titles-keep-server-alive", test_print_titles_keep_server_alive);

  ret = g_test_run ();

  if (shared_cupsd != NULL)
    cupsd_stop (g_steal_pointer (&shared_cupsd));
  g_clear_pointer (&shared_cupsd_failure, g_free);
  /* Cairo's font caches, for the leak checker. */
  cairo_debug_reset_static_data ();
  return ret;
}
