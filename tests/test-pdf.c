/* test-pdf.c: pages to A4 PDF, read back with poppler (and qpdf). The
 * page editing itself is test-page.c; the writer's cases are
 * test-pdf-writer.c, the choice of encoding per page test-pdf-encodings.c.
 * Here: what they share, and main (). */
#define G_LOG_DOMAIN "relais-test"

#include "test-pdf.h"

RelaisPage *
make_a4_letter (int dpi)
{
  int     width = (int) (210 / 25.4 * dpi);
  int     height = (int) (297 / 25.4 * dpi);
  int     stride = width * 3;
  gsize   size = (gsize) stride * (gsize) height;
  guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8  *p = data + (gsize) y * stride + 3 * x;
        int      noise = g_rand_int_range (rand, -4, 5);
        int      value = 240;
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

GPtrArray *
page_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
}

/* A PDF holds NUL bytes: no str* functions. */
guint
count_occurrences (GBytes     *bytes,
                   const char *needle)
{
  gsize         size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize         length = strlen (needle);
  guint         count = 0;

  for (gsize i = 0; i + length <= size; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, length) == 0)
      count++;
  return count;
}

PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

void
assert_a4 (PopplerPage *page)
{
  double width = 0, height = 0;

  poppler_page_get_size (page, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 595, 1);
  g_assert_cmpfloat_with_epsilon (height, 842, 1);
}

/* The one image on @page: where it is (in points; poppler rounds the box
 * outwards to whole points, so compare with ±2) and its pixels. */
cairo_surface_t *
page_image_n (PopplerPage      *page,
              PopplerRectangle *area,
              guint             n_images)
{
  GList               *mapping = poppler_page_get_image_mapping (page);
  PopplerImageMapping *image;
  cairo_surface_t     *surface;

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

cairo_surface_t *
page_image (PopplerPage      *page,
            PopplerRectangle *area)
{
  return page_image_n (page, area, 1);
}

/* Mean absolute difference, per sample, between @page and the image
 * poppler decoded from the PDF. */
double
mean_difference (RelaisPage      *page,
                 cairo_surface_t *image)
{
  const guint8 *data = relais_page_get_data (page);
  const guint8 *pixels = cairo_image_surface_get_data (image);
  int           image_stride = cairo_image_surface_get_stride (image);
  gboolean      grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  double        total = 0;
  gsize         count = 0;

  cairo_surface_flush (image);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, relais_page_get_width (page));
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, relais_page_get_height (page));

  for (int y = 0; y < relais_page_get_height (page); y++)
    for (int x = 0; x < relais_page_get_width (page); x++)
      {
        guint32       argb;
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

GArray *
pdf_images (GBytes *pdf)
{
  GArray     *images = g_array_new (FALSE, TRUE, sizeof (PdfImage));
  gsize       size = 0;
  const char *data = g_bytes_get_data (pdf, &size);
  const char *needle = "/Subtype /Image";

  for (gsize i = 0; i + strlen (needle) <= size; i++)
    {
      PdfImage         image = { "", "", 0, 0, 0 };
      gsize            start, end;
      g_autofree char *dict = NULL;
      const char      *p;

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

RelaisPage *
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
RelaisPage *
make_ramp_page (RelaisPageFormat format,
                int              width,
                int              height,
                int              dpi)
{
  int     bpp = format == RELAIS_PAGE_RGB ? 3 : 1;
  gsize   size = (gsize) width * bpp * height;
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
void
assert_pdf_structure (GBytes *pdf)
{
  gsize       size = 0;
  const char *data = g_bytes_get_data (pdf, &size);
  gssize      at;
  guint64     xref, n_entries, trailer_size;
  const char *entry;
  char       *end;
  guint       n_streams = 0, n_pages;

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
      guint64          offset;

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
      gssize  stream = find_bytes (data, xref, (gsize) length_at, ">>\nstream\n");

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

RelaisPage *
scan_test_page (RelaisScanner *scanner,
                const char    *picture,
                RelaisScanMode mode,
                int            dpi)
{
  g_autoptr(GError) error = NULL;
  RelaisScanOptions options = { mode, dpi };
  RelaisPage       *page;

  relais_scanner_sane_set_option_string (scanner, "test-picture", picture, &error);
  g_assert_no_error (error);
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return page;
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

  test_pdf_writer_add_tests ();
  test_pdf_encodings_add_tests ();

  return g_test_run ();
}
