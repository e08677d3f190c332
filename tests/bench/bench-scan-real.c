/* bench-scan-real.c: the scan-real bench's three tools (run by
 * tests/bench/scan-real).
 *
 *   bench-scan-real corpus DIR [ARTEFACTS]
 *       the ten papers (relais-test-papers.c) at 300 dpi: DIR/pNN.ppm as
 *       the scanner sees them, DIR/refNN.ppm before degradation; PNGs of
 *       the scanned pages in ARTEFACTS.
 *   bench-scan-real ours color|gray DIR OUT.pdf
 *       DIR/p*.ppm through SANE's pnm backend ("pnm:0"), the station's
 *       scanner driver and PDF writer, into one PDF; prints "pages=N".
 *   bench-scan-real fidelity color|gray PDF DIR [PNG]
 *       each page of PDF decoded by poppler at the scan's pixel grid and
 *       compared with DIR/refNN.ppm: PSNR in dB of the luminance (what a
 *       reader reads; a text page stored grey loses only the paper's tint)
 *       and of the three channels; PNG (optional): the first page as
 *       decoded. RELAIS_BENCH_CROP=FILE.png: 500 × 250 pixels of the first
 *       page's text at full resolution, decoded above, before degradation
 *       below (to look closely). */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-pdf.h"
#include "relais-scanner.h"
#include "relais-test-papers.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <stdlib.h>

#define DPI 300

/* poppler-glib 22 declares no autoptr for its objects. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static char *
page_path (const char *dir, const char *prefix, guint index)
{
  g_autofree char *name = g_strdup_printf ("%s%02u.ppm", prefix, index + 1);

  return g_build_filename (dir, name, NULL);
}

static int
corpus (const char *dir, const char *artefacts)
{
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (artefacts != NULL)
    g_mkdir_with_parents (artefacts, 0755);
  for (guint i = 0; i < RELAIS_TEST_PAPER_CORPUS_SIZE; i++)
    {
      RelaisTestPaperKind kind = relais_test_paper_corpus_kind (i);
      g_autoptr(RelaisPage) clean = NULL;
      g_autoptr(RelaisPage) scanned = NULL;
      g_autofree char *scanned_path = page_path (dir, "p", i);
      g_autofree char *clean_path = page_path (dir, "ref", i);
      double           angle;

      relais_test_paper_render (kind, i, DPI, &clean, &scanned, &angle);
      if (!relais_test_page_write_pnm (scanned, scanned_path, &error)
          || !relais_test_page_write_pnm (clean, clean_path, &error))
        g_error ("%s", error->message);
      if (artefacts != NULL)
        {
          g_autofree char *name = g_strdup_printf ("corpus-%02u-%s.png", i + 1, relais_test_paper_kind_name (kind));
          g_autofree char *png = g_build_filename (artefacts, name, NULL);

          if (!relais_test_page_write_png (scanned, 1240, png, &error))
            g_error ("%s", error->message);
        }
      g_print ("page %2u: %-10s skew %+.2f degrees\n", i + 1, relais_test_paper_kind_name (kind), angle);
    }
  return 0;
}

static void
set_option (RelaisScanner *scanner, const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!relais_scanner_sane_set_option_string (scanner, name, value, &error))
    g_error ("%s=%s: %s", name, value, error->message);
}

static int
ours (gboolean colour, const char *dir, const char *out)
{
  g_autoptr(RelaisScanner) scanner = NULL;
  g_autoptr(RelaisPdfWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  RelaisScanOptions options = { 0 };

  scanner = relais_scanner_sane_new ("pnm:0", &error);
  if (scanner == NULL)
    g_error ("%s", error->message);
  /* The pnm backend has no mode: it greys the file on request. */
  set_option (scanner, "grayify", colour ? "no" : "yes");
  options.mode = colour ? RELAIS_SCAN_COLOR : RELAIS_SCAN_GRAY;
  options.dpi = DPI;
  options.source = RELAIS_SCAN_SOURCE_DEFAULT;

  writer = relais_pdf_writer_new ();
  for (guint i = 0; i < RELAIS_TEST_PAPER_CORPUS_SIZE; i++)
    {
      g_autofree char *path = page_path (dir, "p", i);
      g_autoptr(RelaisPage) page = NULL;

      set_option (scanner, "filename", path);
      page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
      if (page == NULL)
        g_error ("page %u: %s", i + 1, error->message);
      if (!relais_pdf_writer_add_page (writer, page, 0, &error))
        g_error ("%s", error->message);
    }
  pdf = relais_pdf_writer_finish (writer, &error);
  if (pdf == NULL)
    g_error ("%s", error->message);
  if (!g_file_set_contents (out, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    g_error ("%s", error->message);
  g_print ("pages=%u\n", relais_pdf_writer_get_n_pages (writer));
  return 0;
}

/* ------------------------------------------------------------------------ */

static double
luma (const guint8 *p)
{
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

static double
psnr (double sum_sq, double n)
{
  double mse = sum_sq / n;

  return mse <= 1e-9 ? 99.0 : 10 * log10 (255.0 * 255.0 / mse);
}

/* The page drawn so that its image lands on the scan's @width × @height
 * pixel grid, whatever the page size and the scale the PDF chose. Both
 * writers centre the image on the page; poppler's image mapping gives its
 * size only to the point (4 pixels at 300 dpi), so the scale is taken
 * from the two rules in use: the image is the page (img2pdf --imgsize),
 * or it is fitted inside A4 less 5 mm all round, never enlarged (Relais). */
static cairo_surface_t *
render_to_grid (PopplerPage *page, int width, int height)
{
  GList           *mapping = poppler_page_get_image_mapping (page);
  double           mapped = 0, page_w, page_h, image_w = width * 72.0 / DPI, image_h = height * 72.0 / DPI;
  double           margin = 5.0 / 25.4 * 72.0, fill, fit, scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t         *cr = cairo_create (surface);

  for (GList *l = mapping; l != NULL; l = l->next)
    {
      PopplerImageMapping *m = l->data;

      mapped = MAX (mapped, m->area.x2 - m->area.x1);
    }
  poppler_page_free_image_mapping (mapping);
  if (mapped <= 0)
    g_error ("a page without an image");
  poppler_page_get_size (page, &page_w, &page_h);
  fill = page_w / image_w;
  fit = MIN (1.0, MIN ((page_w - 2 * margin) / image_w, (page_h - 2 * margin) / image_h));
  scale = fabs (mapped - fill * image_w) < fabs (mapped - fit * image_w) ? fill : fit;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* Device pixel (0, 0) is the image's top-left corner. */
  cairo_scale (cr, DPI / 72.0 / scale, DPI / 72.0 / scale);
  cairo_translate (cr, -(page_w - image_w * scale) / 2, -(page_h - image_h * scale) / 2);
  /* As a viewer draws it on screen (printing would draw image masks
   * without smoothing their edges, which no reader sees). */
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static int
fidelity (gboolean colour, const char *pdf_path, const char *dir, const char *png)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *absolute = g_canonicalize_filename (pdf_path, NULL);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, &error);
  g_autoptr(PopplerDocument) document = NULL;
  double sum_y = 0, sum_rgb = 0, text_y = 0, other_y = 0;
  int    n_text = 0, n_other = 0;

  if (uri == NULL || (document = poppler_document_new_from_file (uri, NULL, &error)) == NULL)
    g_error ("%s: %s", pdf_path, error->message);
  if (poppler_document_get_n_pages (document) != RELAIS_TEST_PAPER_CORPUS_SIZE)
    g_error ("%s: %d pages", pdf_path, poppler_document_get_n_pages (document));

  for (guint i = 0; i < RELAIS_TEST_PAPER_CORPUS_SIZE; i++)
    {
      g_autofree char *ref_path = page_path (dir, "ref", i);
      g_autoptr(RelaisPage) ref = relais_test_page_read_pnm (ref_path, DPI, &error);
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, (int) i);
      RelaisTestPaperKind kind = relais_test_paper_corpus_kind (i);
      cairo_surface_t    *surface;
      int                 width, height, stride;
      const guint8       *data;
      double              sq_y = 0, sq_rgb = 0, p_y, p_rgb;
      double              cls_sq[3] = { 0 }, cls_n[3] = { 0 };

      if (ref == NULL)
        g_error ("%s", error->message);
      width = relais_page_get_width (ref);
      height = relais_page_get_height (ref);
      surface = render_to_grid (page, width, height);
      stride = cairo_image_surface_get_stride (surface);
      data = cairo_image_surface_get_data (surface);
      for (int y = 0; y < height; y++)
        {
          const guint8  *r = relais_page_get_data (ref) + (gsize) y * relais_page_get_stride (ref);
          const guint32 *o = (const guint32 *) (data + (gsize) y * stride);

          for (int x = 0; x < width; x++)
            {
              guint8 got[3] = { (o[x] >> 16) & 0xff, (o[x] >> 8) & 0xff, o[x] & 0xff };
              double d = luma (got) - luma (r + 3 * x);
              double want = luma (r + 3 * x);
              int    cls = want > 200 ? 0 : want < 90 ? 2
                                                      : 1;

              sq_y += d * d;
              cls_sq[cls] += d * d;
              cls_n[cls]++;
              for (int c = 0; c < 3; c++)
                {
                  /* In grey, the reference's channels are its luminance. */
                  double want = colour ? r[3 * x + c] : luma (r + 3 * x);
                  double e = got[c] - want;

                  sq_rgb += e * e;
                }
            }
        }
      p_y = psnr (sq_y, (double) width * height);
      p_rgb = psnr (sq_rgb, 3.0 * width * height);
      /* Where the error is: the mean square error of the luminance on
       * the reference's light pixels (paper), its mid tones (letters'
       * edges, a photo's tones) and its dark ones (ink), with their
       * share of the page. */
      g_print ("page %2u %-10s psnr_y=%.2f psnr_rgb=%.2f mse light %.1f (%.0f%%) mid %.0f (%.1f%%) dark %.0f (%.1f%%)\n",
               i + 1, relais_test_paper_kind_name (kind), p_y, p_rgb,
               cls_sq[0] / MAX (1, cls_n[0]), 100 * cls_n[0] / (width * (double) height),
               cls_sq[1] / MAX (1, cls_n[1]), 100 * cls_n[1] / (width * (double) height),
               cls_sq[2] / MAX (1, cls_n[2]), 100 * cls_n[2] / (width * (double) height));
      sum_y += p_y;
      sum_rgb += p_rgb;
      if (relais_test_paper_kind_is_text (kind))
        text_y += p_y, n_text++;
      else
        other_y += p_y, n_other++;
      if (i == 0 && g_getenv ("RELAIS_BENCH_CROP") != NULL)
        {
          /* To look closely: 500 × 250 pixels of the letter's text, as
           * decoded (top) and before degradation (bottom). */
          cairo_surface_t *crop = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 500, 500);
          guint32         *cd = (guint32 *) cairo_image_surface_get_data (crop);

          for (int y = 0; y < 250; y++)
            for (int x = 0; x < 500; x++)
              {
                const guint8 *r = relais_page_get_data (ref) + (gsize) (1500 + y) * relais_page_get_stride (ref) + 3 * (300 + x);

                cd[y * 500 + x] = ((const guint32 *) (data + (gsize) (1500 + y) * stride))[300 + x];
                cd[(250 + y) * 500 + x] = 0xff000000u | (guint32) r[0] << 16 | (guint32) r[1] << 8 | r[2];
              }
          cairo_surface_mark_dirty (crop);
          cairo_surface_write_to_png (crop, g_getenv ("RELAIS_BENCH_CROP"));
          cairo_surface_destroy (crop);
        }
      if (i == 0 && png != NULL)
        {
          /* A quarter of the page's width: enough to see the text. */
          cairo_surface_t *small = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width / 2, height / 2);
          cairo_t         *cr = cairo_create (small);

          cairo_scale (cr, 0.5, 0.5);
          cairo_set_source_surface (cr, surface, 0, 0);
          cairo_paint (cr);
          cairo_destroy (cr);
          cairo_surface_write_to_png (small, png);
          cairo_surface_destroy (small);
        }
      cairo_surface_destroy (surface);
    }
  g_print ("psnr_y=%.2f psnr_rgb=%.2f text_psnr_y=%.2f other_psnr_y=%.2f\n",
           sum_y / RELAIS_TEST_PAPER_CORPUS_SIZE, sum_rgb / RELAIS_TEST_PAPER_CORPUS_SIZE,
           text_y / MAX (1, n_text), other_y / MAX (1, n_other));
  return 0;
}

/* ------------------------------------------------------------------------ */

/* The same fixed work (arithmetic in registers, no memory) once in one
 * thread, then in two at once: how much of a second core the machine
 * gives now. Relais encodes on two cores and the peer runs on one, so a
 * virtual machine whose second core is held by its host (its steal time
 * not shown) slows ours alone; this says when it happened. */
static gpointer
cores_work (gpointer data)
{
  guint64 x = GPOINTER_TO_SIZE (data) + 1;

  for (guint i = 0; i < 150000000; i++)
    x = x * 6364136223846793005u + 1442695040888963407u;
  return GSIZE_TO_POINTER ((gsize) (x >> 32));
}

static int
cores (void)
{
  gint64   start = g_get_monotonic_time (), one, two;
  GThread *a, *b;

  g_assert (cores_work (NULL) != GSIZE_TO_POINTER (1));
  one = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  a = g_thread_new ("core-a", cores_work, NULL);
  b = g_thread_new ("core-b", cores_work, NULL);
  g_thread_join (a);
  g_thread_join (b);
  two = g_get_monotonic_time () - start;
  /* 2.0: two cores; 1.0: one. */
  g_print ("%.2f\n", 2.0 * (double) one / (double) MAX (two, 1));
  return 0;
}

int
main (int argc, char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "cores"))
    return cores ();
  if (argc >= 3 && g_str_equal (argv[1], "corpus"))
    return corpus (argv[2], argc > 3 ? argv[3] : NULL);
  if (argc == 5 && g_str_equal (argv[1], "ours")
      && (g_str_equal (argv[2], "color") || g_str_equal (argv[2], "gray")))
    return ours (g_str_equal (argv[2], "color"), argv[3], argv[4]);
  if (argc >= 5 && g_str_equal (argv[1], "fidelity")
      && (g_str_equal (argv[2], "color") || g_str_equal (argv[2], "gray")))
    return fidelity (g_str_equal (argv[2], "color"), argv[3], argv[4], argc > 5 ? argv[5] : NULL);
  g_printerr ("usage: %s corpus DIR [ARTEFACTS] | ours color|gray DIR OUT.pdf | "
              "fidelity color|gray PDF DIR [PNG] | cores\n",
              argv[0]);
  return 2;
}
