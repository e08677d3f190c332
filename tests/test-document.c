/* test-document.c: documents from a USB key: real ones open and preview,
 * hostile ones (mutated PDFs and images, a few hundred, fixed seed) never
 * crash, and each refusal says something a resident can read. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-document.h"
#include "relais-test-util.h"

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#define FUZZ_SEED           20240611
#define FUZZ_CASES_PER_BASE 100

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_pdf (int pages)
{
  GByteArray      *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, array, 595, 842);
  cairo_t         *cr = cairo_create (surface);

  for (int i = 0; i < pages; i++)
    {
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 40, 30);
      cairo_t         *icr = cairo_create (image);

      cairo_set_source_rgb (icr, 0.2, 0.5, 0.9);
      cairo_paint (icr);
      cairo_destroy (icr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, 72, 72);
      cairo_set_font_size (cr, 24);
      cairo_show_text (cr, "Attestation de la CAF");
      cairo_set_source_surface (cr, image, 100, 200);
      cairo_paint (cr);
      cairo_surface_destroy (image);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_image (const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  char   *buffer = NULL;
  gsize   size = 0;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < 48; y++)
    for (int x = 0; x < 64; x++)
      {
        guint8 *p = pixels + y * gdk_pixbuf_get_rowstride (pixbuf) + 3 * x;
        p[0] = (guint8) (x * 4);
        p[1] = (guint8) (y * 5);
        p[2] = 128;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
assert_preview (RelaisDocument *document,
                int             index)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = relais_document_render_page (document, index, 200, 280, &error);

  g_assert_no_error (error);
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_image_surface_get_width (surface), <=, 200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), <=, 280);
  cairo_surface_destroy (surface);
}

static void
test_good (void)
{
  g_autoptr(GBytes) pdf = make_pdf (3);
  g_autoptr(GBytes) png = make_image ("png");
  g_autoptr(GBytes) jpeg = make_image ("jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDocument) a = relais_document_new_from_bytes (pdf, &error);
  g_autoptr(RelaisDocument) b = NULL;
  g_autoptr(RelaisDocument) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (relais_document_get_mime_type (a), ==, "application/pdf");
  g_assert_cmpint (relais_document_get_n_pages (a), ==, 3);
  assert_preview (a, 2);

  b = relais_document_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_document_get_mime_type (b), ==, "image/png");
  g_assert_cmpint (relais_document_get_n_pages (b), ==, 1);
  assert_preview (b, 0);

  c = relais_document_new_from_bytes (jpeg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_document_get_mime_type (c), ==, "image/jpeg");
  assert_preview (c, 0);
}

static void
assert_refused (GBytes *bytes,
                int     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDocument) document = relais_document_new_from_bytes (bytes, &error);

  g_assert_null (document);
  g_assert_error (error, RELAIS_DOCUMENT_ERROR, code);
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static void
test_hostile (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("Bonjour, ceci n'est pas un PDF.\n", 32);
  g_autoptr(GBytes) header = g_bytes_new_static ("%PDF-1.7\n", 9);
  /* A PNG header claiming 100000 × 100000 pixels, then nothing. */
  /* clang-format off */
  static const guint8 huge_png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 2, 0, 0, 0,
    0x1f, 0x15, 0xc4, 0x89,
  };
  /* clang-format on */
  g_autoptr(GBytes) huge = g_bytes_new_static (huge_png, sizeof huge_png);

  assert_refused (empty, RELAIS_DOCUMENT_ERROR_UNSUPPORTED);
  assert_refused (text, RELAIS_DOCUMENT_ERROR_UNSUPPORTED);
  assert_refused (header, RELAIS_DOCUMENT_ERROR_DAMAGED);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelaisDocument) document = relais_document_new_from_bytes (huge, &error);

    g_assert_null (document);
    g_assert_true (g_error_matches (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_TOO_LARGE)
                   || g_error_matches (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_DAMAGED));
  }
}

/* One mutation of @base, as a broken download or a hostile file gives. */
static GBytes *
mutate (GBytes *base,
        GRand  *rand)
{
  gsize         size = 0;
  const guint8 *data = g_bytes_get_data (base, &size);
  GByteArray   *out = g_byte_array_sized_new (size + 64);
  int           kind = g_rand_int_range (rand, 0, 6);

  g_byte_array_append (out, data, size);
  switch (kind)
    {
    case 0: /* flip some bytes */
      for (int i = g_rand_int_range (rand, 1, 40); i > 0; i--)
        out->data[g_rand_int_range (rand, 0, out->len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      break;
    case 1: /* cut short */
      g_byte_array_set_size (out, g_rand_int_range (rand, 1, out->len));
      break;
    case 2: /* a run of zeros or 0xFF */
      {
        guint at = g_rand_int_range (rand, 0, out->len);
        guint want = g_rand_int_range (rand, 1, 512); /* not inside MIN (): evaluated twice */
        guint len = MIN (out->len - at, want);
        memset (out->data + at, g_rand_boolean (rand) ? 0 : 0xFF, len);
      }
      break;
    case 3: /* a chunk repeated */
      {
        guint              at = g_rand_int_range (rand, 0, out->len);
        guint              want = g_rand_int_range (rand, 1, 2048);
        guint              len = MIN (out->len - at, want);
        g_autofree guint8 *chunk = g_memdup2 (out->data + at, len);
        g_byte_array_append (out, chunk, len);
      }
      break;
    case 4: /* digits changed: lengths, offsets, sizes */
      for (guint i = 0; i < out->len; i++)
        if (g_ascii_isdigit (out->data[i]) && g_rand_int_range (rand, 0, 20) == 0)
          out->data[i] = (guint8) ('0' + g_rand_int_range (rand, 0, 10));
      break;
    default: /* random bytes inserted */
      {
        guint  at = g_rand_int_range (rand, 0, out->len);
        guint8 junk[64];
        for (guint i = 0; i < sizeof junk; i++)
          junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
        {
          g_autoptr(GByteArray) tail = g_byte_array_new ();
          g_byte_array_append (tail, out->data + at, out->len - at);
          g_byte_array_set_size (out, at);
          g_byte_array_append (out, junk, sizeof junk);
          g_byte_array_append (out, tail->data, tail->len);
        }
      }
      break;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (FUZZ_SEED);
  GBytes *bases[] = { make_pdf (1), make_pdf (3), make_image ("png"), make_image ("jpeg") };
  guint   opened = 0, refused = 0;

  for (gsize b = 0; b < G_N_ELEMENTS (bases); b++)
    {
      for (int i = 0; i < FUZZ_CASES_PER_BASE; i++)
        {
          g_autoptr(GBytes) bytes = mutate (bases[b], rand);
          g_autoptr(GError) error = NULL;
          g_autoptr(RelaisDocument) document = relais_document_new_from_bytes (bytes, &error);

          if (document == NULL)
            {
              g_assert_nonnull (error);
              g_assert_true (error->domain == RELAIS_DOCUMENT_ERROR);
              g_assert_cmpuint (strlen (error->message), >, 20);
              refused++;
              continue;
            }
          g_assert_no_error (error);
          opened++;
          /* The preview of the first and the last page: either drawn, or
           * refused with a message; never a crash. */
          for (int p = 0; p < 2; p++)
            {
              int index = p == 0 ? 0 : relais_document_get_n_pages (document) - 1;
              g_autoptr(GError) render_error = NULL;
              cairo_surface_t *surface = relais_document_render_page (document, index, 120, 160, &render_error);

              if (surface != NULL)
                cairo_surface_destroy (surface);
              else
                g_assert_true (render_error->domain == RELAIS_DOCUMENT_ERROR);
            }
        }
      g_bytes_unref (bases[b]);
    }
  g_test_message ("fuzz: %u mutated documents opened, %u refused with a message", opened, refused);
  g_assert_cmpuint (opened + refused, ==, G_N_ELEMENTS (bases) * FUZZ_CASES_PER_BASE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/document/good", test_good);
  g_test_add_func ("/document/hostile", test_hostile);
  g_test_add_func ("/document/fuzz", test_fuzz);

  return g_test_run ();
}
