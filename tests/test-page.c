/* test-page.c: editing scanned pages: rotate, crop the flatbed's margin,
 * shrink, and a card's two sides on one page. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-page.h"
#include "relais-test-pages.h"
#include "relais-test-papers.h"

#include <math.h>
#include <string.h>

static void
test_page_rotate (void)
{
  g_autoptr(RelaisPage) page = relais_test_make_page (RELAIS_PAGE_RGB, 7, 3, 50, TRUE);
  g_autoptr(RelaisPage) right = relais_page_rotate (page, 1);
  g_autoptr(RelaisPage) back = relais_page_rotate (right, -1);
  g_autoptr(RelaisPage) half = relais_page_rotate (page, 2);
  g_autoptr(RelaisPage) full = relais_page_rotate (page, 4);
  const guint8 *in = relais_page_get_data (page);
  const guint8 *out = relais_page_get_data (right);

  g_assert_cmpint (relais_page_get_width (right), ==, 3);
  g_assert_cmpint (relais_page_get_height (right), ==, 7);
  /* Clockwise: the source's bottom-left pixel is now the top-left one. */
  g_assert_cmpmem (out, 3, in + 2 * relais_page_get_stride (page), 3);
  g_assert_cmpint (relais_page_get_width (back), ==, 7);
  for (int y = 0; y < 3; y++)
    g_assert_cmpmem (relais_page_get_data (back) + (gsize) y * relais_page_get_stride (back), 21,
                     in + (gsize) y * relais_page_get_stride (page), 21);
  /* Half a turn: the last pixel first. */
  g_assert_cmpmem (relais_page_get_data (half), 3, in + 2 * relais_page_get_stride (page) + 18, 3);
  g_assert_true (full == page);
}

static void
test_page_crop (void)
{
  /* A 100 dpi glass scan, 800 × 1100 px, white but for a "sheet" of
   * content from (100, 150) to (499, 649). */
  int     width = 800, height = 1100, dpi = 100;
  int     border = (int) (3.0 / 25.4 * dpi);
  guint8 *data = g_malloc ((gsize) width * height);
  g_autoptr(RelaisPage) page = NULL;
  g_autoptr(RelaisPage) cropped = NULL;
  g_autoptr(RelaisPage) blank = NULL;
  g_autoptr(RelaisPage) same = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        gboolean inside = x >= 100 && x < 500 && y >= 150 && y < 650;

        data[(gsize) y * width + x] = inside && (x + y) % 7 == 0 ? 20 : 240 + g_rand_int_range (rand, 0, 15);
      }
  /* Dust: a few dark specks outside the sheet are not content. */
  data[20 * width + 700] = 0;
  data[1000 * width + 30] = 0;
  page = relais_page_new (RELAIS_PAGE_GRAY, width, height, width, dpi,
                          g_bytes_new_take (data, (gsize) width * height));

  cropped = relais_page_crop_margins (page);
  g_assert_cmpint (relais_page_get_width (cropped), ==, 400 + 2 * border);
  g_assert_cmpint (relais_page_get_height (cropped), ==, 500 + 2 * border);
  g_assert_cmpint (relais_page_get_dpi (cropped), ==, dpi);

  /* Nothing to frame: the same page back. */
  blank = relais_page_new (RELAIS_PAGE_GRAY, 50, 50, 50, dpi, g_bytes_new_take (g_malloc0 (2500), 2500));
  same = relais_page_crop_margins (blank);
  g_assert_true (same == blank);
}

static void
test_page_scale (void)
{
  g_autoptr(RelaisPage) page = relais_test_make_page (RELAIS_PAGE_RGB, 300, 200, 300, TRUE);
  g_autoptr(RelaisPage) small = relais_page_scale_to_dpi (page, 100);
  g_autoptr(RelaisPage) same = relais_page_scale_to_dpi (page, 600);

  g_assert_cmpint (relais_page_get_width (small), ==, 100);
  g_assert_cmpint (relais_page_get_height (small), ==, 66);
  g_assert_cmpint (relais_page_get_dpi (small), ==, 100);
  g_assert_true (same == page);
}

static void
test_page_stack (void)
{
  /* An identity card's sides, 85.6 × 54 mm at 300 dpi: colour front,
   * grey back a little narrower (cropped a bit tighter). */
  g_autoptr(RelaisPage) front = relais_test_make_page (RELAIS_PAGE_RGB, 1011, 638, 300, TRUE);
  g_autoptr(RelaisPage) back = relais_test_make_page (RELAIS_PAGE_GRAY, 1001, 630, 300, FALSE);
  g_autoptr(RelaisPage) sheet = relais_page_stack (front, back, 10);
  g_autoptr(RelaisPage) low = relais_test_make_page (RELAIS_PAGE_GRAY, 500, 300, 150, FALSE);
  g_autoptr(RelaisPage) mixed = relais_page_stack (front, low, 0);
  int           gap = (int) (10 / 25.4 * 300 + 0.5);
  const guint8 *data = relais_page_get_data (sheet);
  int           stride = relais_page_get_stride (sheet);
  const guint8 *back_data = relais_page_get_data (back);

  g_assert_cmpint (relais_page_get_format (sheet), ==, RELAIS_PAGE_RGB);
  g_assert_cmpint (relais_page_get_dpi (sheet), ==, 300);
  g_assert_cmpint (relais_page_get_width (sheet), ==, 1011);
  g_assert_cmpint (relais_page_get_height (sheet), ==, 638 + gap + 630);
  /* The front as it was, at the top. */
  for (int y = 0; y < 638; y += 97)
    g_assert_cmpmem (data + (gsize) y * stride, 1011 * 3,
                     relais_page_get_data (front) + (gsize) y * relais_page_get_stride (front), 1011 * 3);
  /* White between them, and round the narrower back. */
  for (int x = 0; x < 1011 * 3; x++)
    g_assert_cmpint (data[(gsize) (638 + gap / 2) * stride + x], ==, 255);
  g_assert_cmpint (data[(gsize) (638 + gap + 10) * stride + 0], ==, 255);
  /* The back below, centred, its grey in all three channels. */
  for (int y = 0; y < 630; y += 101)
    for (int x = 0; x < 1001; x += 53)
      {
        const guint8 *p = data + (gsize) (638 + gap + y) * stride + (gsize) (5 + x) * 3;
        guint8        v = back_data[(gsize) y * relais_page_get_stride (back) + x];

        g_assert_cmpint (p[0], ==, v);
        g_assert_cmpint (p[1], ==, v);
        g_assert_cmpint (p[2], ==, v);
      }
  /* Two resolutions: the lower one for the sheet, the front shrunk. */
  g_assert_cmpint (relais_page_get_dpi (mixed), ==, 150);
  g_assert_cmpint (relais_page_get_width (mixed), ==, 505);
  g_assert_cmpint (relais_page_get_height (mixed), ==, 319 + 300);
}

static void
test_page_type (void)
{
  g_autoptr(RelaisPage) page = relais_test_make_page (RELAIS_PAGE_GRAY, 10, 20, 50, FALSE);
  RelaisPage *copy;

  /* Boxed copy is a new reference to the same immutable page. */
  g_assert_true (G_TYPE_IS_BOXED (RELAIS_TYPE_PAGE));
  copy = g_boxed_copy (RELAIS_TYPE_PAGE, page);
  g_assert_true (copy == page);
  g_boxed_free (RELAIS_TYPE_PAGE, copy);

  g_assert_cmpint (relais_page_get_stride (page), ==, 15);
  g_assert_cmpuint (g_bytes_get_size (relais_page_get_bytes (page)), ==, 15 * 20);
  g_assert_true (relais_page_get_data (page) == g_bytes_get_data (relais_page_get_bytes (page), NULL));
}

static int
luma_of (RelaisPage *page, int x, int y)
{
  const guint8 *p = relais_page_get_data (page) + (gsize) y * relais_page_get_stride (page) + (gsize) x * 3;

  return (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;
}

/* "Document" mode on a letter laid askew on a scanner's dark plate
 * (tests/relais-test-papers.c, 150 dpi): the angle found is the one it
 * was laid at, and once straightened and trimmed no plate is left. */
static void
test_page_document (void)
{
  for (guint seed = 0; seed < 2; seed++)
    {
      g_autoptr(RelaisPage) scanned = NULL;
      g_autoptr(RelaisPage) straight = NULL;
      g_autoptr(RelaisPage) trimmed = NULL;
      g_autoptr(RelaisPage) again = NULL;
      double laid = 0, found = 0;
      int    w, h;

      relais_test_paper_render (RELAIS_TEST_PAPER_LETTER, seed, 150, NULL, &scanned, &laid);
      /* The plate shows in a corner as the paper lies. */
      g_assert_cmpint (luma_of (scanned, 2, 2), <, 96);

      straight = relais_page_straighten (scanned, 3.0, &found);
      g_test_message ("laid at %.2f degrees, found %.2f", laid, found);
      g_assert_cmpfloat (fabs (found - laid), <=, 0.2);
      g_assert_true (straight != scanned);
      g_assert_cmpint (relais_page_get_width (straight), ==, relais_page_get_width (scanned));

      trimmed = relais_page_trim_dark_borders (straight);
      w = relais_page_get_width (trimmed);
      h = relais_page_get_height (trimmed);
      g_test_message ("trimmed to %dx%d of %dx%d", w, h, relais_page_get_width (scanned),
                      relais_page_get_height (scanned));
      /* The plate showed 6 to 14 pixels wide at the top and the left. */
      g_assert_cmpint (w, <=, relais_page_get_width (scanned) - 5);
      g_assert_cmpint (h, <=, relais_page_get_height (scanned) - 5);
      g_assert_cmpint (luma_of (trimmed, 2, 2), >, 150);
      g_assert_cmpint (luma_of (trimmed, w / 2, 2), >, 150);
      g_assert_cmpint (luma_of (trimmed, 2, h / 2), >, 150);

      /* Straight already: left alone. */
      again = relais_page_straighten (trimmed, 3.0, &found);
      g_assert_true (again == trimmed);
    }
}

/* The scan page's "document" choice, at the station's resolution for it
 * (300 dpi: at 200 a letter's blurred edges look like a picture): a letter laid askew comes back straight and
 * without plate; a card's sides and a photo come back untouched (the same
 * pixels: the same page). */
static void
test_page_as_document (void)
{
  static const RelaisTestPaperKind pictures[] = {
    RELAIS_TEST_PAPER_ID_RECTO,
    RELAIS_TEST_PAPER_ID_VERSO,
    RELAIS_TEST_PAPER_PHOTO,
  };

  for (guint seed = 0; seed < 2; seed++)
    {
      g_autoptr(RelaisPage) scanned = NULL;
      g_autoptr(RelaisPage) document = NULL;
      double laid = 0, found = 0;

      relais_test_paper_render (RELAIS_TEST_PAPER_LETTER, seed, 300, NULL, &scanned, &laid);
      document = relais_page_as_document (scanned, &found);
      g_test_message ("letter laid at %.2f degrees, found %.2f", laid, found);
      g_assert_true (document != scanned);
      g_assert_cmpfloat (fabs (found - laid), <=, 0.2);
      g_assert_cmpint (relais_page_get_width (document), <, relais_page_get_width (scanned));
      /* The plate is gone at the top and the left where it showed. */
      g_assert_cmpint (luma_of (scanned, relais_page_get_width (scanned) / 2, 2), <, 96);
      g_assert_cmpint (luma_of (document, relais_page_get_width (document) / 2, 2), >, 150);
      g_assert_cmpint (luma_of (document, 2, relais_page_get_height (document) / 2), >, 150);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    {
      g_autoptr(RelaisPage) scanned = NULL;
      g_autoptr(RelaisPage) document = NULL;
      double laid = 0, found = 1;

      relais_test_paper_render (pictures[i], i, 300, NULL, &scanned, &laid);
      document = relais_page_as_document (scanned, &found);
      g_test_message ("%s laid at %.2f degrees: %s", relais_test_paper_kind_name (pictures[i]), laid,
                      document == scanned ? "left as it is" : "changed");
      g_assert_true (document == scanned);
      g_assert_cmpfloat (found, ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/page/type", test_page_type);
  g_test_add_func ("/page/rotate", test_page_rotate);
  g_test_add_func ("/page/crop", test_page_crop);
  g_test_add_func ("/page/scale", test_page_scale);
  g_test_add_func ("/page/stack", test_page_stack);
  g_test_add_func ("/page/document", test_page_document);
  g_test_add_func ("/page/as-document", test_page_as_document);

  return g_test_run ();
}
