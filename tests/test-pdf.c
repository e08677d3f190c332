/* test-pdf.c: pages to A4 PDF, read back with poppler (and qpdf). The
 * page editing itself is test-page.c. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-pdf.h"
#include "relais-scanner.h"
#include "relais-test-pages.h"
#include "relais-test-papers.h"
#include "relais-test-util.h"

#include <math.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define A4_WIDTH 595.276
#define A4_HEIGHT 841.890
#define MM_TO_PT(mm) ((mm) / 25.4 * 72.0)

/* A typical letter with a photo: A4 at @dpi, text lines, a colour block. */
static RelaisPage *
make_a4_letter (int dpi)
{
  int width = (int) (210 / 25.4 * dpi);
  int height = (int) (297 / 25.4 * dpi);
  int stride = width * 3;
  gsize size = (gsize) stride * (gsize) height;
  guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + (gsize) y * stride + 3 * x;
        int noise = g_rand_int_range (rand, -4, 5);
        int value = 240;
        gboolean photo = x > width / 2 && x < width * 9 / 10 && y > height / 10 && y < height / 3;

        if (photo)
          {
            p[0] = (guint8) CLAMP (200 * (x - width / 2) / (width * 2 / 5) + noise, 0, 255);
            p[1] = (guint8) CLAMP (120 + 100 * (y - height / 10) / (height / 4) + noise, 0, 255);
            p[2] = (guint8) CLAMP (90 + noise, 0, 255);
            continue;
          }
        /* Text: lines 12 pt apart, "words" of varying length. */
        if (y > height / 3 && y < height * 9 / 10 && (y % (dpi / 6)) < dpi / 12
            && x > width / 12 && x < width * 11 / 12
            && ((x / (dpi / 10)) * 7 + y / (dpi / 6)) % 6 != 0)
          value = 25;
        p[0] = p[1] = p[2] = (guint8) CLAMP (value + noise, 0, 255);
      }

  bytes = g_bytes_new_take (data, size);
  return relais_page_new (RELAIS_PAGE_RGB, width, height, stride, dpi, bytes);
}

static GPtrArray *
page_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
}

/* A PDF holds NUL bytes: no str* functions. */
static guint
count_occurrences (GBytes     *bytes,
                   const char *needle)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);
  guint count = 0;

  for (gsize i = 0; i + length <= size; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, length) == 0)
      count++;
  return count;
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static void
assert_a4 (PopplerPage *page)
{
  double width = 0, height = 0;

  poppler_page_get_size (page, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 595, 1);
  g_assert_cmpfloat_with_epsilon (height, 842, 1);
}

/* The one image on @page: where it is (in points; poppler rounds the box
 * outwards to whole points, so compare with ±2) and its pixels. */
static cairo_surface_t *
page_image_n (PopplerPage      *page,
              PopplerRectangle *area,
              guint             n_images)
{
  GList *mapping = poppler_page_get_image_mapping (page);
  PopplerImageMapping *image;
  cairo_surface_t *surface;

  g_assert_cmpuint (g_list_length (mapping), ==, n_images);
  /* Mixed raster content: every layer over the same area. */
  for (GList *l = mapping->next; l != NULL; l = l->next)
    {
      PopplerImageMapping *other = l->data;

      g_assert_cmpfloat_with_epsilon (other->area.x1, ((PopplerImageMapping *) mapping->data)->area.x1, 1);
      g_assert_cmpfloat_with_epsilon (other->area.y2, ((PopplerImageMapping *) mapping->data)->area.y2, 1);
    }
  image = mapping->data;
  *area = image->area;
  surface = poppler_page_get_image (page, image->image_id);
  poppler_page_free_image_mapping (mapping);
  g_assert_nonnull (surface);
  return surface;
}

static cairo_surface_t *
page_image (PopplerPage      *page,
            PopplerRectangle *area)
{
  return page_image_n (page, area, 1);
}

/* Mean absolute difference, per sample, between @page and the image
 * poppler decoded from the PDF. */
static double
mean_difference (RelaisPage      *page,
                 cairo_surface_t *image)
{
  const guint8 *data = relais_page_get_data (page);
  const guint8 *pixels = cairo_image_surface_get_data (image);
  int image_stride = cairo_image_surface_get_stride (image);
  gboolean grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  double total = 0;
  gsize count = 0;

  cairo_surface_flush (image);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, relais_page_get_width (page));
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, relais_page_get_height (page));

  for (int y = 0; y < relais_page_get_height (page); y++)
    for (int x = 0; x < relais_page_get_width (page); x++)
      {
        guint32 argb;
        const guint8 *in = data + (gsize) y * relais_page_get_stride (page) + (grey ? x : 3 * x);

        memcpy (&argb, pixels + (gsize) y * image_stride + 4 * x, 4);
        for (int c = 0; c < 3; c++)
          {
            int decoded = (argb >> (16 - 8 * c)) & 0xff;

            total += ABS (decoded - in[grey ? 0 : c]);
            count++;
          }
      }

  return total / count;
}

/* The image XObjects of a PDF as cairo writes them: one dictionary per
 * image, its keys on their own lines. */
typedef struct
{
  char filter[32];
  char colour_space[32];
  int  bits;
  int  width;
  int  height;
} PdfImage;

static GArray *
pdf_images (GBytes *pdf)
{
  GArray *images = g_array_new (FALSE, TRUE, sizeof (PdfImage));
  gsize size = 0;
  const char *data = g_bytes_get_data (pdf, &size);
  const char *needle = "/Subtype /Image";

  for (gsize i = 0; i + strlen (needle) <= size; i++)
    {
      PdfImage image = { "", "", 0, 0, 0 };
      gsize start, end;
      g_autofree char *dict = NULL;
      const char *p;

      if (memcmp (data + i, needle, strlen (needle)) != 0)
        continue;
      for (start = i; start > 1 && memcmp (data + start - 2, "<<", 2) != 0; start--)
        ;
      for (end = i; end + 2 < size && memcmp (data + end, ">>", 2) != 0; end++)
        ;
      dict = g_strndup (data + start, end - start);
      if ((p = strstr (dict, "/Filter /")) != NULL)
        sscanf (p, "/Filter /%31s", image.filter);
      if ((p = strstr (dict, "/ColorSpace /")) != NULL)
        sscanf (p, "/ColorSpace /%31s", image.colour_space);
      if ((p = strstr (dict, "/BitsPerComponent ")) != NULL)
        sscanf (p, "/BitsPerComponent %d", &image.bits);
      if ((p = strstr (dict, "/Width ")) != NULL)
        sscanf (p, "/Width %d", &image.width);
      if ((p = strstr (dict, "/Height ")) != NULL)
        sscanf (p, "/Height %d", &image.height);
      g_array_append_val (images, image);
    }
  return images;
}

static RelaisPage *
make_bilevel_page (int width,
                   int height,
                   int dpi)
{
  guint8 *data = g_malloc ((gsize) width * height);

  /* Lines of text: black bars on white, as a thresholded letter. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      data[(gsize) y * width + x] = (y % 40 < 12 && x > 50 && x < width - 50 && (x / 23) % 4 != 0) ? 0 : 255;
  return relais_page_new (RELAIS_PAGE_GRAY, width, height, width, dpi,
                          g_bytes_new_take (data, (gsize) width * height));
}

/* Saw-tooth ramps without noise, steeper from row to row, as a chart or a
 * drawing: JPEG smudges their sharp edges, and PNG's filters turn each row
 * into runs of the same small number where Deflate alone finds few
 * repeats. */
static RelaisPage *
make_ramp_page (RelaisPageFormat format,
                int              width,
                int              height,
                int              dpi)
{
  int bpp = format == RELAIS_PAGE_RGB ? 3 : 1;
  gsize size = (gsize) width * bpp * height;
  guint8 *data = g_malloc (size);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < bpp; c++)
        data[((gsize) y * width + x) * bpp + c] = (guint8) (x * y / 50 + x + y + 85 * c);
  return relais_page_new (format, width, height, width * bpp, dpi, g_bytes_new_take (data, size));
}

/* Where @needle first occurs in @data[from, size), or -1. */
static gssize
find_bytes (const char *data,
            gsize       size,
            gsize       from,
            const char *needle)
{
  gsize length = strlen (needle);

  for (gsize i = from; i + length <= size; i++)
    if (memcmp (data + i, needle, length) == 0)
      return (gssize) i;
  return -1;
}

/* The file's structure is exact, as a strict reader (a website's validator)
 * wants it and as poppler, which rebuilds a broken table silently, would
 * never tell: "startxref" points at the table, each entry at its object,
 * /Size counts them, and every stream is as long as its /Length says. */
static void
assert_pdf_structure (GBytes *pdf)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (pdf, &size);
  gssize at;
  guint64 xref, n_entries, trailer_size;
  const char *entry;
  char *end;
  guint n_streams = 0, n_pages;

  g_assert_true (size > 32 && memcmp (data, "%PDF-1.", 7) == 0);
  g_assert_true (memcmp (data + size - 6, "%%EOF\n", 6) == 0);
  at = find_bytes (data, size, size - 40, "startxref\n");
  g_assert_cmpint (at, >, 0);
  xref = g_ascii_strtoull (data + at + strlen ("startxref\n"), NULL, 10);
  g_assert_cmpuint (xref, <, size);
  g_assert_true (memcmp (data + xref, "xref\n0 ", 7) == 0);
  n_entries = g_ascii_strtoull (data + xref + 7, &end, 10);
  g_assert_cmpuint (n_entries, >=, 4);
  g_assert_true (*end == '\n');
  entry = end + 1;
  g_assert_true (memcmp (entry, "0000000000 65535 f \n", 20) == 0);
  for (guint64 i = 1; i < n_entries; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT " 0 obj\n", i);
      guint64 offset;

      entry += 20;
      g_assert_true (memcmp (entry + 10, " 00000 n \n", 10) == 0);
      offset = g_ascii_strtoull (entry, NULL, 10);
      g_assert_cmpuint (offset, <, xref);
      g_assert_true (memcmp (data + offset, expected, strlen (expected)) == 0);
    }
  g_assert_true (memcmp (entry + 20, "trailer\n<< /Size ", 17) == 0);
  trailer_size = g_ascii_strtoull (entry + 20 + 17, NULL, 10);
  g_assert_cmpuint (trailer_size, ==, n_entries);

  for (gssize length_at = find_bytes (data, xref, 0, "/Length ");
       length_at >= 0;
       length_at = find_bytes (data, xref, (gsize) length_at + 1, "/Length "))
    {
      guint64 length = g_ascii_strtoull (data + length_at + strlen ("/Length "), NULL, 10);
      gssize stream = find_bytes (data, xref, (gsize) length_at, ">>\nstream\n");

      g_assert_cmpint (stream, >, 0);
      stream += strlen (">>\nstream\n");
      g_assert_cmpuint ((guint64) stream + length + 10, <=, xref);
      g_assert_true (memcmp (data + stream + length, "\nendstream", 10) == 0);
      n_streams++;
    }
  /* Every object of a page but its dictionary is a stream: its drawing
   * and its images (one, or three for mixed raster content). */
  n_pages = 0;
  for (gssize at = find_bytes (data, xref, 0, "/Type /Page /Parent"); at >= 0;
       at = find_bytes (data, xref, (gsize) at + 1, "/Type /Page /Parent"))
    n_pages++;
  g_assert_cmpuint (n_pages, >, 0);
  g_assert_cmpuint (n_streams, ==, n_entries - 4 - n_pages);
}

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
  PdfImage *image;
  PopplerDocument *document;

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
  int dpi = 0, quality = 0;

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
  PopplerPage *page;
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

static RelaisPage *
scan_test_page (RelaisScanner  *scanner,
                const char     *picture,
                RelaisScanMode  mode,
                int             dpi)
{
  g_autoptr(GError) error = NULL;
  RelaisScanOptions options = { mode, dpi };
  RelaisPage *page;

  relais_scanner_sane_set_option_string (scanner, "test-picture", picture, &error);
  g_assert_no_error (error);
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return page;
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
  gsize length = 0;
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
   * ink's tone in JPEG, the ink a 1-bit mask at the page's resolution. */
  {
    g_autoptr(GArray) images = pdf_images (pdf);

    g_assert_cmpuint (images->len, ==, 5);
    g_assert_cmpint (g_array_index (images, PdfImage, 1).bits, ==, 1);
    g_assert_cmpstr (g_array_index (images, PdfImage, 1).filter, ==, "FlateDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 2).filter, ==, "DCTDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 3).filter, ==, "DCTDecode");
    g_assert_cmpstr (g_array_index (images, PdfImage, 4).filter, ==, "FlateDecode");
    g_assert_cmpint (g_array_index (images, PdfImage, 4).bits, ==, 1);
    g_assert_cmpint (g_array_index (images, PdfImage, 4).width, ==, 1654);
    g_assert_cmpint (g_array_index (images, PdfImage, 4).height, ==, 2339);
    g_assert_cmpuint (count_occurrences (pdf, "/ImageMask true"), ==, 1);
  }

  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 3);

  for (int i = 0; i < 3; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      RelaisPage *source = g_ptr_array_index (pages, i);
      PopplerRectangle area;
      cairo_surface_t *image;
      double width_pt = relais_page_get_width (source) * 72.0 / relais_page_get_dpi (source);
      double height_pt = relais_page_get_height (source) * 72.0 / relais_page_get_dpi (source);
      double drawn_width, drawn_height, difference;

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
  gint64 start = g_get_monotonic_time ();
  PopplerDocument *document;
  PopplerPage *page;
  gsize size;

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
  int status = 0;

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
  gsize size;

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
      PopplerPage *page = poppler_document_get_page (document, i);
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
 * three channels each get their own noise; @stamp adds a blue stamp. */
static RelaisPage *
make_noisy_colour_letter (gboolean stamp)
{
  int width = 600, height = 800;
  gsize size = (gsize) width * 3 * height;
  guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + ((gsize) y * width + x) * 3;
        int value = (y % 30 < 10 && x > 50 && x < 550 && (x / 17) % 4 != 0) ? 40 : 235;

        for (int c = 0; c < 3; c++)
          p[c] = (guint8) CLAMP (value + g_rand_int_range (rand, -3, 4), 0, 255);
        if (stamp && x > 400 && x < 480 && y > 650 && y < 730)
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
                  " bytes in colour", g_bytes_get_size (plain_pdf), g_bytes_get_size (stamped_pdf));
  g_assert_cmpuint (g_bytes_get_size (plain_pdf), <, g_bytes_get_size (stamped_pdf));
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

/* Real papers (tests/relais-test-papers.c) at 300 dpi, the station's
 * resolution for documents: each judged for what it is. */
static double
rendered_psnr (GBytes *pdf, RelaisPage *clean)
{
  int width = relais_page_get_width (clean), height = relais_page_get_height (clean);
  int dpi = relais_page_get_dpi (clean);
  PopplerDocument *document = open_pdf (pdf);
  PopplerPage *page = poppler_document_get_page (document, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  double page_w, page_h, image_w = width * 72.0 / dpi, image_h = height * 72.0 / dpi;
  double scale, sum = 0;

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
      const guint8 *want = relais_page_get_data (clean) + (gsize) y * relais_page_get_stride (clean);

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
    gsize               max_bytes;   /* in colour */
    double              min_psnr;    /* against the page before degradation */
  } papers[] = {
    /* Text on paper: the ink's mask over the paper at 100 dpi: a few
     * hundred KB where JPEG takes more than 600, and the text reads. */
    { RELAIS_TEST_PAPER_LETTER, RELAIS_PDF_IMAGE_MRC, 300000, 22 },
    { RELAIS_TEST_PAPER_PAYSLIP, RELAIS_PDF_IMAGE_MRC, 300000, 22 },
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

int
main (int   argc,
      char *argv[])
{
  /* Run by hand, outside meson: find the SANE test backend's configuration. */
  if (g_getenv ("SANE_CONFIG_DIR") == NULL)
    {
      g_autofree char *sane = g_build_filename (relais_test_source_dir (), "tests", "sane", NULL);

      g_setenv ("SANE_CONFIG_DIR", sane, TRUE);
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pdf/one-page", test_one_page);
  g_test_add_func ("/pdf/three-pages", test_three_pages);
  g_test_add_func ("/pdf/a4-300dpi-size", test_a4_300dpi_size);
  g_test_add_func ("/pdf/quality", test_quality);
  g_test_add_func ("/pdf/no-pages", test_no_pages);
  g_test_add_func ("/pdf/unwritable", test_unwritable);
  g_test_add_func ("/pdf/text-bilevel", test_text_bilevel);
  g_test_add_func ("/pdf/grey-jpeg", test_grey_jpeg);
  g_test_add_func ("/pdf/capped", test_capped);
  g_test_add_func ("/pdf/writer-pipeline", test_writer_pipeline);
  g_test_add_func ("/pdf/writer-order", test_writer_order);
  g_test_add_func ("/pdf/writer-too-big", test_writer_too_big);
  g_test_add_func ("/pdf/structure", test_structure);
  g_test_add_func ("/pdf/lossless-exact", test_lossless_exact);
  g_test_add_func ("/pdf/grey-in-colour", test_grey_in_colour);
  g_test_add_func ("/pdf/near-grey-jpeg", test_near_grey_jpeg);
  g_test_add_func ("/pdf/build-async", test_build_async);
  g_test_add_func ("/pdf/real-papers", test_real_papers);

  return g_test_run ();
}
