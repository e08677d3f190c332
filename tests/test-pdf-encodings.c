/* test-pdf-encodings.c: how each page is encoded: 1-bit text, grey or
 * colour JPEG, lossless, the size cap, real papers judged for what they are. */
#define G_LOG_DOMAIN "relais-test"

#include "test-pdf.h"
#include "relais-pdf-private.h"

/* ------------------------------------------------------------------------ */
/* Page editing */

/* ------------------------------------------------------------------------ */
/* Encodings, checked in the file itself */

static void
test_text_bilevel (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GPtrArray) grey_pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) grey_pdf = NULL;
  g_autoptr(GArray) images = NULL;
  g_autoptr(RelaisScanner) scanner = relais_scanner_sane_new ("test:0", &error);
  RelaisScanOptions options = { RELAIS_SCAN_TEXT, 300, 0 };
  PdfImage         *image;
  PopplerDocument  *document;

  /* A real "Texte" scan: A4-wide text from the test backend. */
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (scanner, "test-picture", "Grid", &error);
  g_assert_no_error (error);
  g_ptr_array_add (pages, relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (pages, make_bilevel_page (2480, 3508, 300));
  g_assert_true (relais_page_is_bilevel (g_ptr_array_index (pages, 0)));

  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  images = pdf_images (pdf);
  g_assert_cmpuint (images->len, ==, 2);
  for (guint i = 0; i < images->len; i++)
    {
      image = &g_array_index (images, PdfImage, i);
      g_test_message ("image %u: %s %s %d bits %dx%d", i, image->filter, image->colour_space,
                      image->bits, image->width, image->height);
      g_assert_cmpstr (image->filter, ==, "FlateDecode");
      g_assert_cmpstr (image->colour_space, ==, "DeviceGray");
      g_assert_cmpint (image->bits, ==, 1);
    }
  g_assert_cmpuint (count_occurrences (pdf, "/DCTDecode"), ==, 0);

  /* Far smaller than the same A4 text page as a grey JPEG would be. */
  g_ptr_array_add (grey_pages, relais_test_make_page (RELAIS_PAGE_GRAY, 2480, 3508, 300, FALSE));
  grey_pdf = relais_pdf_write_bytes (grey_pages, 0, &error);
  g_assert_no_error (error);
  g_test_message ("bilevel PDF %" G_GSIZE_FORMAT " bytes; noisy grey A4 page %" G_GSIZE_FORMAT,
                  g_bytes_get_size (pdf), g_bytes_get_size (grey_pdf));
  g_assert_cmpuint (g_bytes_get_size (pdf), <, g_bytes_get_size (grey_pdf));

  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 2);
  for (int i = 0; i < 2; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      assert_a4 (page);
      g_object_unref (page);
    }
  g_object_unref (document);
}

static void
test_grey_jpeg (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) images = NULL;

  /* A grey scan with a sensor's noise: JPEG with one channel. */
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_GRAY, 600, 800, 100, TRUE));
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_RGB, 600, 800, 100, TRUE));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  images = pdf_images (pdf);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpstr (g_array_index (images, PdfImage, 0).filter, ==, "DCTDecode");
  g_assert_cmpstr (g_array_index (images, PdfImage, 0).colour_space, ==, "DeviceGray");
  g_assert_cmpstr (g_array_index (images, PdfImage, 1).filter, ==, "DCTDecode");
  g_assert_cmpstr (g_array_index (images, PdfImage, 1).colour_space, ==, "DeviceRGB");
}

static void
test_capped (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;
  int              dpi = 0, quality = 0;

  /* Four A4 letters at 300 dpi in colour: far over 2 MB as they are. */
  for (int i = 0; i < 4; i++)
    g_ptr_array_add (pages, make_a4_letter (300));
  full = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);

  pdf = relais_pdf_write_bytes_capped (pages, 2000000, &dpi, &quality, &error);
  g_assert_no_error (error);
  text = relais_pdf_format_size (g_bytes_get_size (pdf));
  g_test_message ("uncapped %" G_GSIZE_FORMAT " bytes; capped %" G_GSIZE_FORMAT " bytes (%s) at %d dpi, quality %d",
                  g_bytes_get_size (full), g_bytes_get_size (pdf), text, dpi, quality);
  g_assert_cmpuint (g_bytes_get_size (full), >, 2000000);
  g_assert_cmpuint (g_bytes_get_size (pdf), <=, 2000000);
  g_assert_cmpint (dpi, <, 300);
  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 4);
  {
    PopplerPage *page = poppler_document_get_page (document, 3);
    assert_a4 (page);
    g_object_unref (page);
  }
  g_object_unref (document);

  /* A cap nothing can meet: a clear refusal, not a bad file. */
  none = relais_pdf_write_bytes_capped (pages, 5000, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
}

static void
test_lossless_exact (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) images = NULL;
  g_autoptr(RelaisScanner) scanner = relais_scanner_sane_new ("test:0", &error);
  PopplerDocument *document;

  g_assert_no_error (error);
  /* Drawings: PNG's filters; the test backend's colour pattern: lossless
   * too, with or without filters, whichever its sample says is smaller. */
  g_ptr_array_add (pages, make_ramp_page (RELAIS_PAGE_GRAY, 600, 500, 100));
  g_ptr_array_add (pages, make_ramp_page (RELAIS_PAGE_RGB, 600, 500, 100));
  g_ptr_array_add (pages, scan_test_page (scanner, "Color pattern", RELAIS_SCAN_COLOR, 150));
  g_ptr_array_add (pages, scan_test_page (scanner, "Color pattern", RELAIS_SCAN_GRAY, 150));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  assert_pdf_structure (pdf);
  g_test_message ("4 lossless pages: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (pdf));

  images = pdf_images (pdf);
  g_assert_cmpuint (images->len, ==, 4);
  for (guint i = 0; i < images->len; i++)
    g_assert_cmpstr (g_array_index (images, PdfImage, i).filter, ==, "FlateDecode");
  g_assert_cmpuint (count_occurrences (pdf, "/Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns 600"), ==, 1);
  g_assert_cmpuint (count_occurrences (pdf, "/Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns 600"), ==, 1);
  g_assert_cmpstr (g_array_index (images, PdfImage, 0).colour_space, ==, "DeviceGray");
  g_assert_cmpstr (g_array_index (images, PdfImage, 1).colour_space, ==, "DeviceRGB");

  /* Lossless means every sample comes back. */
  document = open_pdf (pdf);
  for (int i = 0; i < 4; i++)
    {
      PopplerPage     *page = poppler_document_get_page (document, i);
      PopplerRectangle area;
      cairo_surface_t *image = page_image (page, &area);

      g_assert_cmpfloat (mean_difference (g_ptr_array_index (pages, i), image), ==, 0);
      cairo_surface_destroy (image);
      g_object_unref (page);
    }
  g_object_unref (document);
}

static void
test_grey_in_colour (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) images = NULL;
  g_autoptr(GBytes) grey_pdf = NULL;
  g_autoptr(GPtrArray) grey_pages = page_array ();

  /* A black-and-white letter scanned in colour (every pixel R = G = B):
   * stored with one channel, as small as the same page scanned in grey. */
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_RGB, 600, 800, 100, FALSE));
  g_ptr_array_add (grey_pages, relais_test_make_page (RELAIS_PAGE_GRAY, 600, 800, 100, FALSE));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  grey_pdf = relais_pdf_write_bytes (grey_pages, 0, &error);
  g_assert_no_error (error);
  images = pdf_images (pdf);
  g_assert_cmpstr (g_array_index (images, PdfImage, 0).colour_space, ==, "DeviceGray");
  g_assert_cmpuint (g_bytes_get_size (pdf), <=, g_bytes_get_size (grey_pdf) + 200);
}

/* A letter scanned in colour by a real sensor: grey paper and ink whose
 * three channels each get their own noise; @stamp adds a blue stamp in
 * the right margin (over paper only: the same text, and colour more). */
static RelaisPage *
make_noisy_colour_letter (gboolean stamp)
{
  int     width = 600, height = 800;
  gsize   size = (gsize) width * 3 * height;
  guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + ((gsize) y * width + x) * 3;
        int     value = (y % 30 < 10 && x > 50 && x < 550 && (x / 17) % 4 != 0) ? 40 : 235;

        for (int c = 0; c < 3; c++)
          p[c] = (guint8) CLAMP (value + g_rand_int_range (rand, -3, 4), 0, 255);
        if (stamp && x > 555 && x < 595 && y > 650 && y < 730)
          {
            p[0] = 40;
            p[1] = 60;
            p[2] = 190;
          }
      }
  return relais_page_new (RELAIS_PAGE_RGB, width, height, width * 3, 100, g_bytes_new_take (data, size));
}

static void
test_near_grey_jpeg (void)
{
  g_autoptr(GPtrArray) plain = page_array ();
  g_autoptr(GPtrArray) stamped = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain_pdf = NULL;
  g_autoptr(GBytes) stamped_pdf = NULL;
  g_autoptr(GArray) plain_images = NULL;
  g_autoptr(GArray) stamped_images = NULL;

  /* Noise only: stored as a grey JPEG. A blue stamp: colour kept. */
  g_ptr_array_add (plain, make_noisy_colour_letter (FALSE));
  g_ptr_array_add (stamped, make_noisy_colour_letter (TRUE));
  plain_pdf = relais_pdf_write_bytes (plain, 0, &error);
  g_assert_no_error (error);
  stamped_pdf = relais_pdf_write_bytes (stamped, 0, &error);
  g_assert_no_error (error);
  plain_images = pdf_images (plain_pdf);
  stamped_images = pdf_images (stamped_pdf);
  g_assert_cmpstr (g_array_index (plain_images, PdfImage, 0).filter, ==, "DCTDecode");
  g_assert_cmpstr (g_array_index (plain_images, PdfImage, 0).colour_space, ==, "DeviceGray");
  g_assert_cmpstr (g_array_index (stamped_images, PdfImage, 0).filter, ==, "DCTDecode");
  g_assert_cmpstr (g_array_index (stamped_images, PdfImage, 0).colour_space, ==, "DeviceRGB");
  g_test_message ("noisy colour letter: %" G_GSIZE_FORMAT " bytes as grey; with a stamp, %" G_GSIZE_FORMAT
                  " bytes in colour",
                  g_bytes_get_size (plain_pdf), g_bytes_get_size (stamped_pdf));
  g_assert_cmpuint (g_bytes_get_size (plain_pdf), <, g_bytes_get_size (stamped_pdf));
}

/* Real papers (tests/relais-test-papers.c) at 300 dpi, the station's
 * resolution for documents: each judged for what it is. */
static double
rendered_psnr (GBytes *pdf, RelaisPage *clean)
{
  int              width = relais_page_get_width (clean), height = relais_page_get_height (clean);
  int              dpi = relais_page_get_dpi (clean);
  PopplerDocument *document = open_pdf (pdf);
  PopplerPage     *page = poppler_document_get_page (document, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t         *cr = cairo_create (surface);
  double           page_w, page_h, image_w = width * 72.0 / dpi, image_h = height * 72.0 / dpi;
  double           scale, sum = 0;

  /* The writer's rule: fitted inside A4 less 5 mm all round, centred. */
  poppler_page_get_size (page, &page_w, &page_h);
  scale = MIN (1.0, MIN ((page_w - 2 * MM_TO_PT (5)) / image_w, (page_h - 2 * MM_TO_PT (5)) / image_h));
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, dpi / 72.0 / scale, dpi / 72.0 / scale);
  cairo_translate (cr, -(page_w - image_w * scale) / 2, -(page_h - image_h * scale) / 2);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    {
      const guint32 *got = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + (gsize) y * cairo_image_surface_get_stride (surface));
      const guint8  *want = relais_page_get_data (clean) + (gsize) y * relais_page_get_stride (clean);

      for (int x = 0; x < width; x++)
        {
          double g = 0.299 * ((got[x] >> 16) & 0xff) + 0.587 * ((got[x] >> 8) & 0xff) + 0.114 * (got[x] & 0xff);
          double w = 0.299 * want[3 * x] + 0.587 * want[3 * x + 1] + 0.114 * want[3 * x + 2];

          sum += (g - w) * (g - w);
        }
    }
  cairo_surface_destroy (surface);
  g_object_unref (page);
  g_object_unref (document);
  return 10 * log10 (255.0 * 255.0 / MAX (1e-9, sum / ((double) width * height)));
}

static void
test_real_papers (void)
{
  static const struct {
    RelaisTestPaperKind kind;
    RelaisPdfImageKind  expected;
    gsize               max_bytes; /* in colour */
    double              min_psnr;  /* against the page before degradation */
  } papers[] = {
    /* Text on paper: the ink's soft mask over the paper at 100 dpi: a
     * few hundred KB where JPEG takes more than 600 (tests/bench/scan-real
     * compares them), and the letters' edges as printed (the 1-bit mask
     * of before gave 26 to 28 dB here). */
    { RELAIS_TEST_PAPER_LETTER, RELAIS_PDF_IMAGE_MRC, 400000, 30 },
    { RELAIS_TEST_PAPER_PAYSLIP, RELAIS_PDF_IMAGE_MRC, 400000, 30 },
    /* A card: JPEG of the whole page, never redrawn. */
    { RELAIS_TEST_PAPER_ID_RECTO, RELAIS_PDF_IMAGE_JPEG, 400000, 32 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autoptr(RelaisPage) clean = NULL;
      g_autoptr(RelaisPage) scanned = NULL;
      g_autoptr(RelaisPdfImage) image = NULL;
      g_autoptr(GPtrArray) pages = page_array ();
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GError) error = NULL;
      double psnr;

      relais_test_paper_render (papers[i].kind, i, 300, &clean, &scanned, NULL);
      image = relais_pdf_image_new (scanned, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpint (relais_pdf_image_get_kind (image), ==, papers[i].expected);

      g_ptr_array_add (pages, relais_page_ref (scanned));
      pdf = relais_pdf_write_bytes (pages, 0, &error);
      g_assert_no_error (error);
      assert_pdf_structure (pdf);
      psnr = rendered_psnr (pdf, clean);
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes, PSNR %.2f dB", relais_test_paper_kind_name (papers[i].kind),
                      g_bytes_get_size (pdf), psnr);
      g_assert_cmpuint (g_bytes_get_size (pdf), <=, papers[i].max_bytes);
      g_assert_cmpfloat (psnr, >=, papers[i].min_psnr);
      /* A text page whose ink is all black or grey is stored grey. */
      if (papers[i].kind == RELAIS_TEST_PAPER_PAYSLIP)
        g_assert_cmpuint (count_occurrences (pdf, "/DeviceRGB"), ==, 0);
      /* The letter's logo is blue: its colours are kept. */
      if (papers[i].kind == RELAIS_TEST_PAPER_LETTER)
        g_assert_cmpuint (count_occurrences (pdf, "/DeviceRGB"), >, 0);
    }
}

/* The streams of a PDF the writer made, in order ("stream\n" after a
 * dictionary with its /Length). */
static GPtrArray *
pdf_streams (GBytes *pdf)
{
  GPtrArray  *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize       size = 0;
  const char *data = g_bytes_get_data (pdf, &size);
  const char *end = data + size;
  const char *at = data;

  while ((at = g_strstr_len (at, end - at, "/Length ")) != NULL)
    {
      guint64     length = g_ascii_strtoull (at + strlen ("/Length "), NULL, 10);
      const char *stream = g_strstr_len (at, end - at, "stream\n");

      g_assert_nonnull (stream);
      stream += strlen ("stream\n");
      g_assert_cmpuint (length, <=, (guint64) (end - stream));
      g_ptr_array_add (streams, g_bytes_new (stream, length));
      at = stream + length;
    }
  return streams;
}

/* The writer's encoders keep their memory from page to page: a page
 * encoded after others (larger, smaller, of another kind) is the same,
 * byte for byte, as the page encoded alone. Alone (relais_pdf_image_new
 * ()), a text page's passes are split in two halves, one offered to
 * another core; in the writer, while pages still come, they are not: the
 * halves join into the same page. */
static void
test_encoder_memory_reused (void)
{
  static const struct {
    RelaisTestPaperKind kind;
    int                 dpi;
  } papers[] = {
    { RELAIS_TEST_PAPER_LETTER, 300 },
    { RELAIS_TEST_PAPER_PAYSLIP, 150 },
    { RELAIS_TEST_PAPER_ID_RECTO, 300 },
    { RELAIS_TEST_PAPER_FORM, 300 },
    { RELAIS_TEST_PAPER_LETTER, 200 },
  };
  g_autoptr(RelaisPdfWriter) writer = relais_pdf_writer_new ();
  g_autoptr(GPtrArray) alone = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) together = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autoptr(RelaisPage) scanned = NULL;
      g_autoptr(RelaisPdfWriter) one = relais_pdf_writer_new ();
      g_autoptr(RelaisPdfImage) image = NULL;
      g_autoptr(GBytes) single = NULL;

      relais_test_paper_render (papers[i].kind, i, papers[i].dpi, NULL, &scanned, NULL);
      g_assert_true (relais_pdf_writer_add_page (writer, scanned, 0, &error));
      g_assert_no_error (error);
      image = relais_pdf_image_new (scanned, 0, &error);
      g_assert_no_error (error);
      g_assert_true (relais_pdf_writer_add_image (one, image, &error));
      single = relais_pdf_writer_finish (one, &error);
      g_assert_no_error (error);
      g_ptr_array_add (alone, pdf_streams (single));
    }
  pdf = relais_pdf_writer_finish (writer, &error);
  g_assert_no_error (error);
  assert_pdf_structure (pdf);

  together = pdf_streams (pdf);
  for (guint i = 0; i < alone->len; i++)
    {
      GPtrArray *streams = g_ptr_array_index (alone, i);

      /* Two or more streams a page: its drawing, its image or images. */
      g_assert_cmpuint (streams->len, >=, 2);
      for (guint j = 0; j < streams->len; j++, n++)
        {
          g_assert_cmpuint (n, <, together->len);
          g_assert_true (g_bytes_equal (g_ptr_array_index (streams, j), g_ptr_array_index (together, n)));
        }
    }
  g_assert_cmpuint (n, ==, together->len);
}

typedef struct
{
  gint     runs;
  GThread *thread;
  gint64   sleep_us;
} Piece;

static void
piece_run (gpointer data,
           gpointer user_data)
{
  Piece *piece = data;

  if (piece->sleep_us > 0)
    g_usleep (piece->sleep_us);
  piece->thread = g_thread_self ();
  g_atomic_int_inc (&piece->runs);
}

/* A piece offered to another core runs once, in a helper or, when none
 * has started it, in the thread that joins it; the join returns only once
 * it is done. With every helper busy (a slow piece each), the next piece
 * is the joining thread's own. */
static void
test_fork_join (void)
{
  guint          helpers = CLAMP (g_get_num_processors (), 1, 4) - 1;
  Piece          slow[4] = { { 0 } }, quick[64] = { { 0 } }, mine = { 0 };
  RelaisPdfFork *slow_forks[G_N_ELEMENTS (slow)];
  RelaisPdfFork *forks[G_N_ELEMENTS (quick)];

  for (guint i = 0; i < G_N_ELEMENTS (quick); i++)
    forks[i] = relais_pdf_fork (piece_run, &quick[i]);
  for (guint i = 0; i < G_N_ELEMENTS (quick); i++)
    {
      relais_pdf_fork_join (forks[i]);
      g_assert_cmpint (g_atomic_int_get (&quick[i].runs), ==, 1);
    }

  /* Each helper busy for 300 ms (they take them as they come). */
  for (guint i = 0; i < helpers; i++)
    {
      slow[i].sleep_us = 300 * 1000;
      slow_forks[i] = relais_pdf_fork (piece_run, &slow[i]);
    }
  g_usleep (50 * 1000);
  relais_pdf_fork_join (relais_pdf_fork (piece_run, &mine));
  g_assert_cmpint (mine.runs, ==, 1);
  g_assert_true (mine.thread == g_thread_self ());
  for (guint i = 0; i < helpers; i++)
    {
      relais_pdf_fork_join (slow_forks[i]);
      g_assert_cmpint (g_atomic_int_get (&slow[i].runs), ==, 1);
      /* Started by a helper before the join: the join waited for it. */
      g_assert_true (slow[i].thread != g_thread_self ());
    }
}

void
test_pdf_encodings_add_tests (void)
{
  g_test_add_func ("/pdf/fork-join", test_fork_join);
  g_test_add_func ("/pdf/encoder-memory-reused", test_encoder_memory_reused);
  g_test_add_func ("/pdf/text-bilevel", test_text_bilevel);
  g_test_add_func ("/pdf/grey-jpeg", test_grey_jpeg);
  g_test_add_func ("/pdf/capped", test_capped);
  g_test_add_func ("/pdf/lossless-exact", test_lossless_exact);
  g_test_add_func ("/pdf/grey-in-colour", test_grey_in_colour);
  g_test_add_func ("/pdf/near-grey-jpeg", test_near_grey_jpeg);
  g_test_add_func ("/pdf/real-papers", test_real_papers);
}
