/* test-pdf-writer.c: the writer: pages in, a valid A4 PDF out (its
 * structure read by poppler and qpdf), in order, capped, off the thread. */
#define G_LOG_DOMAIN "relais-test"

#include "test-pdf.h"

static void
test_writer_pipeline (void)
{
  g_autoptr(RelaisPdfWriter) writer = relais_pdf_writer_new ();
  g_autoptr(RelaisPage) photo = relais_test_make_page (RELAIS_PAGE_RGB, 400, 300, 100, TRUE);
  g_autoptr(RelaisPage) text = make_bilevel_page (400, 300, 100);
  g_autoptr(RelaisPdfImage) a = NULL;
  g_autoptr(RelaisPdfImage) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  PopplerDocument *document;

  a = relais_pdf_image_new (photo, 0, &error);
  g_assert_no_error (error);
  b = relais_pdf_image_new (text, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_pdf_image_get_kind (a), ==, RELAIS_PDF_IMAGE_JPEG);
  g_assert_cmpint (relais_pdf_image_get_kind (b), ==, RELAIS_PDF_IMAGE_BILEVEL);
  g_assert_true (relais_pdf_writer_add_image (writer, a, &error));
  g_assert_true (relais_pdf_writer_add_image (writer, b, &error));
  g_assert_cmpuint (relais_pdf_writer_get_n_pages (writer), ==, 2);
  pdf = relais_pdf_writer_finish (writer, &error);
  g_assert_no_error (error);
  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 2);
  g_object_unref (document);
}

/* ------------------------------------------------------------------------ */

static void
test_one_page (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  PopplerDocument *document;
  PopplerPage     *page;
  PopplerRectangle area;
  cairo_surface_t *image;

  /* 80 × 100 mm at 150 dpi: fits the sheet, drawn at its real size. */
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_RGB, 472, 590, 150, TRUE));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);

  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
  g_assert_cmpuint (count_occurrences (pdf, "/DCTDecode"), ==, 1);

  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  page = poppler_document_get_page (document, 0);
  assert_a4 (page);

  image = page_image (page, &area);
  g_assert_cmpfloat_with_epsilon (area.x2 - area.x1, 472 / 150.0 * 72, 2);
  g_assert_cmpfloat_with_epsilon (area.y2 - area.y1, 590 / 150.0 * 72, 2);
  g_assert_cmpfloat_with_epsilon ((area.x1 + area.x2) / 2, A4_WIDTH / 2, 1);
  g_assert_cmpfloat_with_epsilon ((area.y1 + area.y2) / 2, A4_HEIGHT / 2, 1);
  g_assert_cmpfloat (mean_difference (g_ptr_array_index (pages, 0), image), <, 4);
  cairo_surface_destroy (image);
  g_object_unref (page);
  g_object_unref (document);
}

static void
test_three_pages (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = NULL;
  PopplerDocument *document;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gsize    length = 0;
  GStatBuf st;

  scanner = relais_scanner_sane_new ("test:0", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (scanner, "read-return-value", "Default", &error);
  g_assert_no_error (error);

  /* A colour scan, a grey scan, and a grey A4 page bigger than the sheet's
   * printable area (scaled down to fit). */
  g_ptr_array_add (pages, scan_test_page (scanner, "Color pattern", RELAIS_SCAN_COLOR, 100));
  g_ptr_array_add (pages, scan_test_page (scanner, "Grid", RELAIS_SCAN_GRAY, 100));
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_GRAY, 1654, 2339, 200, FALSE));

  dir = g_dir_make_tmp ("relais-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "trois pages.pdf", NULL);
  g_assert_true (relais_pdf_write_file (pages, path, 90, &error));
  g_assert_no_error (error);

  /* A resident's papers: readable by the station's user only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);
  /* Each page as whichever is smaller, JPEG or lossless; "Grid" in grey is
   * pure black and white: 1 bit, never JPEG. The third, text on paper
   * with a sensor's noise, is mixed raster content: the paper and the
   * ink's tone in JPEG, the ink's share of each pixel a 4-bit soft mask
   * at the page's resolution. */
  {
    g_autoptr(GArray) images = pdf_images (pdf);

    g_assert_cmpuint (images->len, ==, 5);
    g_assert_cmpint (g_array_index (images, PdfImage, 1).bits, ==, 1);
    g_assert_cmpstr (g_array_index (images, PdfImage, 1).filter, ==, "FlateDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 2).filter, ==, "DCTDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 3).filter, ==, "DCTDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 4).filter, ==, "FlateDecode");
    g_assert_cmpint (g_array_index (images, PdfImage, 4).bits, ==, 4);
    g_assert_cmpstr (g_array_index (images, PdfImage, 4).colour_space, ==, "DeviceGray");
    g_assert_cmpint (g_array_index (images, PdfImage, 4).width, ==, 1654);
    g_assert_cmpint (g_array_index (images, PdfImage, 4).height, ==, 2339);
    g_assert_cmpuint (count_occurrences (pdf, "/SMask "), ==, 1);
    g_assert_cmpuint (count_occurrences (pdf, "/ImageMask true"), ==, 0);
  }

  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 3);

  for (int i = 0; i < 3; i++)
    {
      PopplerPage     *page = poppler_document_get_page (document, i);
      RelaisPage      *source = g_ptr_array_index (pages, i);
      PopplerRectangle area;
      cairo_surface_t *image;
      double           width_pt = relais_page_get_width (source) * 72.0 / relais_page_get_dpi (source);
      double           height_pt = relais_page_get_height (source) * 72.0 / relais_page_get_dpi (source);
      double           drawn_width, drawn_height, difference;

      assert_a4 (page);
      /* The third page, text on paper: the paper, then the ink through
       * its mask (two images drawn; the mask is the second's /Mask). */
      image = page_image_n (page, &area, i == 2 ? 2 : 1);
      drawn_width = area.x2 - area.x1;
      drawn_height = area.y2 - area.y1;

      /* Never enlarged, never out of the sheet, never distorted; centred. */
      g_assert_cmpfloat (drawn_width, <=, width_pt + 1);
      g_assert_cmpfloat (area.x1, >=, MM_TO_PT (5) - 1);
      g_assert_cmpfloat (area.y1, >=, MM_TO_PT (5) - 1);
      g_assert_cmpfloat (area.x2, <=, A4_WIDTH - MM_TO_PT (5) + 1);
      g_assert_cmpfloat (area.y2, <=, A4_HEIGHT - MM_TO_PT (5) + 1);
      g_assert_cmpfloat_with_epsilon (drawn_width / drawn_height, width_pt / height_pt, 0.01);
      g_assert_cmpfloat_with_epsilon ((area.x1 + area.x2) / 2, A4_WIDTH / 2, 1);
      g_assert_cmpfloat_with_epsilon ((area.y1 + area.y2) / 2, A4_HEIGHT / 2, 1);
      if (i < 2)
        {
          /* The scans fit: real size (80 × 100 mm). */
          g_assert_cmpfloat_with_epsilon (drawn_width, width_pt, 2);
          g_assert_cmpfloat_with_epsilon (drawn_height, height_pt, 2);
        }
      else
        g_assert_cmpfloat (drawn_height, <, height_pt - 20);

      /* The 1-bit page comes back exact; JPEG halves the chroma
       * resolution, and the test backend's 4-pixel saturated stripes are
       * its worst case. */
      if (i < 2)
        {
          difference = mean_difference (source, image);
          g_test_message ("page %d: mean difference %.2f per sample", i + 1, difference);
          g_assert_cmpfloat (difference, <, i == 1 ? 0.001 : 30);
        }
      else
        {
          /* A layer: the paper at a third of the resolution, or the
           * ink's tone at a sixth (poppler lists them in either order). */
          int layer_width = cairo_image_surface_get_width (image);
          int layer_height = cairo_image_surface_get_height (image);

          g_assert_true ((layer_width == (1654 + 2) / 3 && layer_height == (2339 + 2) / 3)
                         || (layer_width == (1654 + 5) / 6 && layer_height == (2339 + 5) / 6));
        }
      cairo_surface_destroy (image);
      g_object_unref (page);
    }
  g_object_unref (document);

  if (g_getenv ("RELAIS_TEST_ARTIFACTS") != NULL)
    {
      g_autofree char *kept = relais_test_artifact_path ("test-pdf-three-pages.pdf");

      g_assert_true (g_file_set_contents (kept, g_bytes_get_data (pdf, NULL),
                                          g_bytes_get_size (pdf), &error));
      g_assert_no_error (error);
      g_test_message ("kept %s", kept);
    }

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_a4_300dpi_size (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gint64           start = g_get_monotonic_time ();
  PopplerDocument *document;
  PopplerPage     *page;
  gsize            size;

  g_ptr_array_add (pages, make_a4_letter (300));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  size = g_bytes_get_size (pdf);
  g_test_message ("A4 colour page at 300 dpi (%d x %d): PDF of %" G_GSIZE_FORMAT " bytes "
                  "(%.2f MB) in %.2f s; raw pixels %" G_GSIZE_FORMAT " bytes",
                  relais_page_get_width (g_ptr_array_index (pages, 0)),
                  relais_page_get_height (g_ptr_array_index (pages, 0)),
                  size, size / 1e6, (g_get_monotonic_time () - start) / 1e6,
                  g_bytes_get_size (relais_page_get_bytes (g_ptr_array_index (pages, 0))));

  /* 26 MB of pixels; as JPEG, a few MB at most. */
  g_assert_cmpuint (size, <, 4 * 1000 * 1000);
  g_assert_cmpuint (count_occurrences (pdf, "/DCTDecode"), ==, 1);

  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  page = poppler_document_get_page (document, 0);
  assert_a4 (page);
  g_object_unref (page);
  g_object_unref (document);
}

static void
test_quality (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) low = NULL;
  g_autoptr(GBytes) high = NULL;

  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_GRAY, 600, 800, 100, FALSE));
  low = relais_pdf_write_bytes (pages, 20, &error);
  g_assert_no_error (error);
  high = relais_pdf_write_bytes (pages, 95, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (low), <, g_bytes_get_size (high));
}

static void
test_no_pages (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_null (pdf);
  g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_NO_PAGES);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  dir = g_dir_make_tmp ("relais-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "vide.pdf", NULL);
  g_assert_false (relais_pdf_write_file (pages, path, 0, &error));
  g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_NO_PAGES);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_unwritable (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;

  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_RGB, 100, 100, 100, TRUE));

  g_assert_false (relais_pdf_write_file (pages, "/nonexistent/dir/x.pdf", 0, &error));
  g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test ("/nonexistent/dir/x.pdf", G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The path is a directory: refused, and no temporary file left beside it. */
  dir = g_dir_make_tmp ("relais-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *sub = g_build_filename (dir, "occupé", NULL);

    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    g_assert_false (relais_pdf_write_file (pages, sub, 0, &error));
    g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE);
    g_clear_error (&error);

    listing = g_dir_open (dir, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_dir_read_name (listing), ==, "occupé");
    g_assert_null (g_dir_read_name (listing));
    g_assert_cmpint (g_rmdir (sub), ==, 0);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* qpdf --check (Debian's qpdf): a second, independent reader of the
 * structure, which also decodes every stream (Deflate with PNG filters,
 * JPEG headers). Returns its exit status; its words go to the test log. */
static int
qpdf_check (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-qpdf-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "check.pdf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "qpdf", "--check", path, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("qpdf --check: %s%s", out, err);
  g_remove (path);
  g_rmdir (dir);
  return g_spawn_check_wait_status (status, NULL) ? 0 : MAX (1, WEXITSTATUS (status));
}

static void
test_structure (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) broken = NULL;
  guint8 *copy;
  gsize   size;

  /* One page of each encoding: JPEG, 1 bit, Deflate with PNG filters in
   * grey and in colour. */
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_RGB, 400, 300, 100, TRUE));
  g_ptr_array_add (pages, make_bilevel_page (400, 300, 100));
  g_ptr_array_add (pages, make_ramp_page (RELAIS_PAGE_GRAY, 400, 300, 100));
  g_ptr_array_add (pages, make_ramp_page (RELAIS_PAGE_RGB, 400, 300, 100));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  assert_pdf_structure (pdf);
  g_assert_cmpint (qpdf_check (pdf), ==, 0);

  /* The check is not a formality: one byte more before the table and it
   * fails (in a subprocess, so that this one goes on). */
  size = g_bytes_get_size (pdf);
  copy = g_memdup2 (g_bytes_get_data (pdf, NULL), size);
  memmove (copy + 10, copy + 9, size - 10);
  broken = g_bytes_new_take (copy, size);
  g_assert_cmpint (qpdf_check (broken), !=, 0);
  if (g_test_subprocess ())
    {
      assert_pdf_structure (broken);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

static void
test_writer_order (void)
{
  g_autoptr(RelaisPdfWriter) writer = relais_pdf_writer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GArray) images = NULL;
  PopplerDocument *document;

  /* Pages that take very different times to encode (a 1-bit page is
   * quick, a big photo slow) come out in the order given. */
  for (int i = 0; i < 12; i++)
    {
      g_autoptr(RelaisPage) page = NULL;

      switch (i % 3)
        {
        case 0:
          page = relais_test_make_page (RELAIS_PAGE_RGB, 1200 + i, 900, 150, TRUE);
          break;
        case 1:
          page = make_bilevel_page (200 + i, 300, 100);
          break;
        default:
          page = make_ramp_page (RELAIS_PAGE_GRAY, 200 + i, 300, 100);
          break;
        }
      g_assert_true (relais_pdf_writer_add_page (writer, page, 0, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (relais_pdf_writer_get_n_pages (writer), ==, 12);
  pdf = relais_pdf_writer_finish (writer, &error);
  g_assert_no_error (error);
  assert_pdf_structure (pdf);

  images = pdf_images (pdf);
  g_assert_cmpuint (images->len, ==, 12);
  for (int i = 0; i < 12; i++)
    {
      PdfImage *image = &g_array_index (images, PdfImage, i);

      g_assert_cmpint (image->width, ==, (i % 3 == 0 ? 1200 : 200) + i);
      g_assert_cmpstr (image->filter, ==, i % 3 == 0 ? "DCTDecode" : "FlateDecode");
      g_assert_cmpint (image->bits, ==, i % 3 == 1 ? 1 : 8);
    }
  document = open_pdf (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 12);
  g_object_unref (document);
}

static void
test_writer_too_big (void)
{
  g_autoptr(RelaisPdfWriter) writer = relais_pdf_writer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gboolean refused = FALSE;

  /* Past the writer's limit the document is refused with a sentence, not
   * a crash; the pages still being encoded are dropped. */
  relais_pdf_writer_set_max_bytes (writer, 150 * 1000);
  for (int i = 0; i < 20 && !refused; i++)
    {
      g_autoptr(RelaisPage) page = relais_test_make_page (RELAIS_PAGE_RGB, 800, 600, 100, TRUE);

      refused = !relais_pdf_writer_add_page (writer, page, 95, &error);
    }
  if (refused)
    {
      g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE);
      g_clear_error (&error);
    }
  pdf = relais_pdf_writer_finish (writer, &error);
  g_assert_null (pdf);
  g_assert_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "trop gros"));
}

static void
build_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = relais_pdf_build_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

static void
test_build_async (void)
{
  g_autoptr(GPtrArray) pages = page_array ();
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) capped = NULL;
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GError) error = NULL;

  /* Made in a worker thread, the caller's loop turning meanwhile; the
   * caller's list may change at once without touching the document. */
  g_ptr_array_add (pages, make_a4_letter (150));
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_GRAY, 600, 800, 100, FALSE));
  relais_pdf_build_async (pages, 85, 0, NULL, build_done_cb, &full);
  relais_pdf_build_async (pages, 0, 150 * 1000, NULL, build_done_cb, &capped);
  g_ptr_array_set_size (pages, 1);
  while (full == NULL || capped == NULL)
    g_main_context_iteration (NULL, TRUE);

  assert_pdf_structure (full);
  assert_pdf_structure (capped);
  g_assert_cmpuint (g_bytes_get_size (capped), <=, 150 * 1000);
  g_assert_cmpuint (g_bytes_get_size (capped), <, g_bytes_get_size (full));
  {
    PopplerDocument *document = open_pdf (full);

    g_assert_cmpint (poppler_document_get_n_pages (document), ==, 2);
    g_object_unref (document);
  }
  /* The same as the synchronous call. */
  g_ptr_array_add (pages, relais_test_make_page (RELAIS_PAGE_GRAY, 600, 800, 100, FALSE));
  same = relais_pdf_write_bytes (pages, 85, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (same), ==, g_bytes_get_size (full));
}

void
test_pdf_writer_add_tests (void)
{
  g_test_add_func ("/pdf/one-page", test_one_page);
  g_test_add_func ("/pdf/three-pages", test_three_pages);
  g_test_add_func ("/pdf/a4-300dpi-size", test_a4_300dpi_size);
  g_test_add_func ("/pdf/quality", test_quality);
  g_test_add_func ("/pdf/no-pages", test_no_pages);
  g_test_add_func ("/pdf/unwritable", test_unwritable);
  g_test_add_func ("/pdf/writer-pipeline", test_writer_pipeline);
  g_test_add_func ("/pdf/writer-order", test_writer_order);
  g_test_add_func ("/pdf/writer-too-big", test_writer_too_big);
  g_test_add_func ("/pdf/structure", test_structure);
  g_test_add_func ("/pdf/build-async", test_build_async);
}
