/* test-scanner.c: the SANE scanner driver against SANE's virtual "test" backend. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-scanner.h"
#include "relais-scan-book.h"
#include "relais-test-util.h"

#include <string.h>

#define TEST_DEVICE "test:0"
/* The test backend's default scan area (tests/sane/test.conf): 80 × 100 mm. */
#define TEST_WIDTH_MM  80.0
#define TEST_HEIGHT_MM 100.0
/* Its hand-scanner simulation: 110 mm wide, 170 mm of lines. */
#define HAND_WIDTH_MM  110.0
#define HAND_HEIGHT_MM 170.0

#if defined(__SANITIZE_ADDRESS__)
#define RELAIS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RELAIS_TEST_ASAN 1
#endif
#endif

#ifdef RELAIS_TEST_ASAN
/* SANE's test backend frees its picture buffer only when its reader thread
 * ends normally: a scan cancelled mid-read (sane_cancel () kills that
 * thread) leaks 64 KiB inside libsane-test, never in our code. The cancel
 * tests must do exactly that, so LeakSanitizer is told about it here, for
 * this program only. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libsane-test.so\n";
}
#endif

/* Pixels the test backend announces for @mm at @dpi, computed the way its
 * sane_get_parameters () does: (SANE_Int) (res * mm / MM_PER_INCH). */
static int
backend_pixels (double mm,
                int    dpi)
{
  return (int) (dpi * mm / 25.4);
}

static void
set_option (RelaisScanner *scanner,
            const char    *name,
            const char    *value)
{
  g_autoptr(GError) error = NULL;

  relais_scanner_sane_set_option_string (scanner, name, value, &error);
  g_assert_no_error (error);
}

/* The test backend keeps its option values from one sane_open () to the
 * next within a process: put back what the tests rely on. */
static RelaisScanner *
open_test_scanner (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = relais_scanner_sane_new (TEST_DEVICE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scanner);

  set_option (scanner, "mode", "Color"); /* three-pass is only active in colour */
  set_option (scanner, "three-pass", "no");
  set_option (scanner, "hand-scanner", "no");
  set_option (scanner, "test-picture", "Solid black");
  set_option (scanner, "read-return-value", "Default");
  set_option (scanner, "read-delay", "no");
  set_option (scanner, "source", "Flatbed");

  return g_steal_pointer (&scanner);
}

typedef struct
{
  guint    calls;
  guint    unknown; /* calls with -1 */
  double   last;
  gboolean monotonic;
  GThread *thread; /* the last caller */
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (fraction < 0)
    progress->unknown++;
  else
    {
      g_assert_cmpfloat (fraction, <=, 1.0);
      if (progress->calls > 0 && progress->last >= 0 && fraction < progress->last)
        progress->monotonic = FALSE;
    }
  progress->last = fraction;
  progress->calls++;
  progress->thread = g_thread_self ();
}

static RelaisPage *
scan (RelaisScanner *scanner,
      RelaisScanMode mode,
      int            dpi,
      GError       **error)
{
  RelaisScanOptions options = { mode, dpi };

  return relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, error);
}

static RelaisPage *
scan_ok (RelaisScanner *scanner,
         RelaisScanMode mode,
         int            dpi)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = scan (scanner, mode, dpi, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return g_steal_pointer (&page);
}

static void
assert_page_geometry (RelaisPage      *page,
                      RelaisPageFormat format,
                      int              width,
                      int              height,
                      int              dpi)
{
  int bpp = format == RELAIS_PAGE_RGB ? 3 : 1;

  g_assert_cmpint (relais_page_get_format (page), ==, format);
  g_assert_cmpint (relais_page_get_width (page), ==, width);
  g_assert_cmpint (relais_page_get_height (page), ==, height);
  g_assert_cmpint (relais_page_get_dpi (page), ==, dpi);
  g_assert_cmpint (relais_page_get_stride (page), >=, width * bpp);
  g_assert_cmpuint (g_bytes_get_size (relais_page_get_bytes (page)), ==,
                    (gsize) relais_page_get_stride (page) * (gsize) height);
}

/* Every pixel byte of @page (padding excluded) equals @value. */
static gboolean
page_all (RelaisPage *page,
          guint8      value)
{
  const guint8 *data = relais_page_get_data (page);
  int           bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
  int           row = relais_page_get_width (page) * bpp;

  for (int y = 0; y < relais_page_get_height (page); y++)
    for (int x = 0; x < row; x++)
      if (data[(gsize) y * relais_page_get_stride (page) + x] != value)
        return FALSE;
  return TRUE;
}

static void
assert_pages_equal (RelaisPage *a,
                    RelaisPage *b)
{
  int bpp = relais_page_get_format (a) == RELAIS_PAGE_RGB ? 3 : 1;

  g_assert_cmpint (relais_page_get_format (a), ==, relais_page_get_format (b));
  g_assert_cmpint (relais_page_get_width (a), ==, relais_page_get_width (b));
  g_assert_cmpint (relais_page_get_height (a), ==, relais_page_get_height (b));
  for (int y = 0; y < relais_page_get_height (a); y++)
    g_assert_cmpmem (relais_page_get_data (a) + (gsize) y * relais_page_get_stride (a),
                     relais_page_get_width (a) * bpp,
                     relais_page_get_data (b) + (gsize) y * relais_page_get_stride (b),
                     relais_page_get_width (b) * bpp);
}

static const guint8 *
pixel (RelaisPage *page,
       int         x,
       int         y)
{
  int bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;

  g_assert_cmpint (x, <, relais_page_get_width (page));
  g_assert_cmpint (y, <, relais_page_get_height (page));
  return relais_page_get_data (page) + (gsize) y * relais_page_get_stride (page) + (gsize) x * bpp;
}

/* ------------------------------------------------------------------------ */

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = relais_scanner_sane_list (&error);
  g_autoptr(RelaisScanner) first = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (names);
  g_assert_true (g_strv_contains ((const char * const *) names, "test:0"));
  g_assert_true (g_strv_contains ((const char * const *) names, "test:1"));

  /* No name: the first device found, labelled with vendor and model. */
  first = relais_scanner_sane_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_scanner_get_label (first), ==, "Noname frontend-tester");
}

static void
test_no_device (void)
{
  const char *names[] = { "nonexistent:device", "test:99", "nonexistent" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaisScanner) scanner = relais_scanner_sane_new (names[i], &error);

      g_assert_null (scanner);
      g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DEVICE);
      g_assert_true (g_str_has_prefix (error->message, "Aucun scanner n'est branché"));
    }
}

static void
test_open_twice (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) again = relais_scanner_sane_new (TEST_DEVICE, &error);

  /* The handle stays open as long as the object lives. */
  g_assert_null (again);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_BUSY);
}

static void
test_gray (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) black = NULL;
  g_autoptr(RelaisPage) white = NULL;
  g_autoptr(GError) error = NULL;
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 100 };
  Progress          progress = { 0, 0, 0, TRUE, NULL };

  black = relais_scanner_scan_page (scanner, &options, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  assert_page_geometry (black, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);
  g_assert_cmpint (relais_page_get_width (black), ==, 314);
  g_assert_true (page_all (black, 0));
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.unknown, ==, 0);
  g_assert_cmpfloat (progress.last, ==, 1.0);
  g_assert_true (progress.monotonic);

  set_option (scanner, "test-picture", "Solid white");
  white = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  g_assert_true (page_all (white, 255));
}

/* A page's frame, once the page is freed, is read into again (the spare
 * frames): each page still holds its own pixels, whatever the one before
 * held, in a size of its own or a mode of its own; a page outliving its
 * scanner is freed as any other. */
static void
test_spare_frame (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) page = NULL;
  g_autoptr(RelaisPage) kept = NULL;
  const guint8 *before;

  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 300);
  g_assert_true (page_all (page, 0));
  before = relais_page_get_data (page);
  g_clear_pointer (&page, relais_page_unref);

  /* Into the black page's buffer: all white, nothing of the black left. */
  set_option (scanner, "test-picture", "Solid white");
  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 300);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 300),
                        backend_pixels (TEST_HEIGHT_MM, 300), 300);
  g_assert_true (relais_page_get_data (page) == before);
  g_assert_true (page_all (page, 255));

  /* Kept: the next page has a buffer of its own. */
  kept = g_steal_pointer (&page);
  set_option (scanner, "test-picture", "Solid black");
  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 300);
  g_assert_true (relais_page_get_data (page) != relais_page_get_data (kept));
  g_assert_true (page_all (page, 0));
  g_assert_true (page_all (kept, 255));

  /* Two pages given back at once (the PDF writer encodes two or three
   * together): both buffers are read into again, not one. */
  {
    g_autoptr(RelaisPage) first = NULL;
    g_autoptr(RelaisPage) second = NULL;
    const guint8 *a = relais_page_get_data (page), *b = relais_page_get_data (kept);

    g_clear_pointer (&page, relais_page_unref);
    g_clear_pointer (&kept, relais_page_unref);
    first = scan_ok (scanner, RELAIS_SCAN_GRAY, 300);
    set_option (scanner, "test-picture", "Solid white");
    second = scan_ok (scanner, RELAIS_SCAN_GRAY, 300);
    g_assert_true (relais_page_get_data (first) == a || relais_page_get_data (first) == b);
    g_assert_true (relais_page_get_data (second) == a || relais_page_get_data (second) == b);
    g_assert_true (relais_page_get_data (first) != relais_page_get_data (second));
    g_assert_true (page_all (first, 0));
    g_assert_true (page_all (second, 255));
    kept = g_steal_pointer (&second);
  }

  /* A grey page's buffer is too small for a colour one, and a larger
   * one's too large for a smaller page: neither is used. */
  set_option (scanner, "test-picture", "Solid white");
  page = scan_ok (scanner, RELAIS_SCAN_COLOR, 300);
  assert_page_geometry (page, RELAIS_PAGE_RGB, backend_pixels (TEST_WIDTH_MM, 300),
                        backend_pixels (TEST_HEIGHT_MM, 300), 300);
  g_assert_true (page_all (page, 255));
  g_clear_pointer (&page, relais_page_unref);
  set_option (scanner, "test-picture", "Solid black");
  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 150);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 150),
                        backend_pixels (TEST_HEIGHT_MM, 150), 150);
  g_assert_true (page_all (page, 0));

  /* The scanner goes first; its pages after it. */
  g_clear_object (&scanner);
  g_clear_pointer (&page, relais_page_unref);
  g_assert_true (page_all (kept, 255));
}

static void
test_resolution_nearest (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) page = NULL;

  /* The backend offers 1..1200 dpi (a SANE_TYPE_FIXED range). */
  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 5000);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 1200),
                        backend_pixels (TEST_HEIGHT_MM, 1200), 1200);
  g_clear_pointer (&page, relais_page_unref);

  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 37);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 37),
                        backend_pixels (TEST_HEIGHT_MM, 37), 37);
}

static void
test_color (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) page = NULL;
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  gboolean red = FALSE, green = FALSE, blue = FALSE;

  set_option (scanner, "test-picture", "Color pattern");
  page = scan_ok (scanner, RELAIS_SCAN_COLOR, 100);
  assert_page_geometry (page, RELAIS_PAGE_RGB, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);

  for (int y = 0; y < relais_page_get_height (page); y++)
    for (int x = 0; x < relais_page_get_width (page); x++)
      {
        const guint8 *p = pixel (page, x, y);

        g_hash_table_add (colours, GUINT_TO_POINTER (1u << 24 | p[0] << 16 | p[1] << 8 | p[2]));
        red |= p[0] > 0x80 && p[1] == 0 && p[2] == 0;
        green |= p[0] == 0 && p[1] > 0x80 && p[2] == 0;
        blue |= p[0] == 0 && p[1] == 0 && p[2] > 0x80;
      }
  g_assert_cmpuint (g_hash_table_size (colours), >, 50);
  g_assert_true (red && green && blue);
}

static void
test_color_as_gray (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) page = NULL;

  set_option (scanner, "test-picture", "Solid white");
  page = scan_ok (scanner, RELAIS_SCAN_GRAY, 50);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 50),
                        backend_pixels (TEST_HEIGHT_MM, 50), 50);
  g_assert_true (page_all (page, 255));
}

static void
assert_black_and_white (RelaisPage *page)
{
  guint         counts[256] = { 0 };
  const guint8 *data = relais_page_get_data (page);

  g_assert_cmpint (relais_page_get_format (page), ==, RELAIS_PAGE_GRAY);
  for (int y = 0; y < relais_page_get_height (page); y++)
    for (int x = 0; x < relais_page_get_width (page); x++)
      counts[data[(gsize) y * relais_page_get_stride (page) + x]]++;

  g_assert_cmpuint (counts[0], >, 0);
  g_assert_cmpuint (counts[255], >, 0);
  g_assert_cmpuint (counts[0] + counts[255], ==,
                    (guint) (relais_page_get_width (page) * relais_page_get_height (page)));
}

static void
test_text (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) pattern = NULL;
  g_autoptr(RelaisPage) grid = NULL;

  /* The test backend has no lineart mode: grey, thresholded by us. */
  set_option (scanner, "test-picture", "Color pattern");
  pattern = scan_ok (scanner, RELAIS_SCAN_TEXT, 100);
  assert_page_geometry (pattern, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);
  assert_black_and_white (pattern);

  set_option (scanner, "test-picture", "Grid");
  grid = scan_ok (scanner, RELAIS_SCAN_TEXT, 100);
  assert_black_and_white (grid);
}

static void
test_depth_16 (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) gray = NULL;
  g_autoptr(RelaisPage) color = NULL;
  g_autoptr(RelaisPage) white = NULL;

  set_option (scanner, "depth", "16");
  set_option (scanner, "test-picture", "Color pattern");

  /* 16-bit grey pattern: from pixel 4 of each line past the 4th, a run of
   * 256 samples whose high byte counts 0..255 (the low byte varies by line). */
  gray = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  assert_page_geometry (gray, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);
  for (int k = 0; k < 256; k++)
    g_assert_cmpuint (pixel (gray, 4 + k, 10)[0], ==, k);
  g_assert_cmpuint (pixel (gray, 261, 10)[0], ==, 0x55); /* the background, 0x5555 */
  g_assert_cmpuint (pixel (gray, 10, 2)[0], ==, 0x55);

  /* 16-bit colour pattern: the first run is red. */
  color = scan_ok (scanner, RELAIS_SCAN_COLOR, 100);
  assert_page_geometry (color, RELAIS_PAGE_RGB, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);
  for (int k = 0; k < 256; k++)
    {
      const guint8 *p = pixel (color, 4 + k, 10);

      g_assert_cmpuint (p[0], ==, k);
      g_assert_cmpuint (p[1], ==, 0);
      g_assert_cmpuint (p[2], ==, 0);
    }

  set_option (scanner, "test-picture", "Solid white");
  white = scan_ok (scanner, RELAIS_SCAN_COLOR, 50);
  g_assert_true (page_all (white, 255));
}

static void
test_depth_1 (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) black = NULL;
  g_autoptr(RelaisPage) white = NULL;
  g_autoptr(RelaisPage) grid_1 = NULL;
  g_autoptr(RelaisPage) grid_8 = NULL;

  /* In a 1-bit grey frame, SANE's 1 is black. */
  set_option (scanner, "depth", "1");
  black = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  assert_page_geometry (black, RELAIS_PAGE_GRAY, backend_pixels (TEST_WIDTH_MM, 100),
                        backend_pixels (TEST_HEIGHT_MM, 100), 100);
  g_assert_true (page_all (black, 0));

  set_option (scanner, "test-picture", "Solid white");
  white = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  g_assert_true (page_all (white, 255));

  /* The grid is drawn alike at 1 and 8 bits: the decoded pages match. */
  set_option (scanner, "test-picture", "Grid");
  grid_1 = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  set_option (scanner, "depth", "8");
  grid_8 = scan_ok (scanner, RELAIS_SCAN_GRAY, 100);
  assert_black_and_white (grid_8);
  assert_pages_equal (grid_1, grid_8);
}

static void
test_three_pass (void)
{
  const char *pictures[] = { "Color pattern", "Grid" };
  const char *depths[] = { "8", "16" };
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();

  for (guint d = 0; d < G_N_ELEMENTS (depths); d++)
    for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
      {
        g_autoptr(RelaisPage) one_pass = NULL;
        g_autoptr(RelaisPage) three_pass = NULL;
        g_autoptr(RelaisPage) reordered = NULL;
        Progress          progress = { 0, 0, 0, TRUE, NULL };
        RelaisScanOptions options = { RELAIS_SCAN_COLOR, 60 };
        g_autoptr(GError) error = NULL;

        g_test_message ("%s at %s bits", pictures[i], depths[d]);
        set_option (scanner, "depth", depths[d]);
        set_option (scanner, "test-picture", pictures[i]);
        set_option (scanner, "three-pass", "no");
        one_pass = scan_ok (scanner, RELAIS_SCAN_COLOR, 60);

        set_option (scanner, "three-pass", "yes");
        set_option (scanner, "three-pass-order", "RGB");
        three_pass = relais_scanner_scan_page (scanner, &options, progress_cb, &progress,
                                               NULL, &error);
        g_assert_no_error (error);
        assert_pages_equal (one_pass, three_pass);
        g_assert_true (progress.monotonic);
        g_assert_cmpfloat (progress.last, ==, 1.0);

        set_option (scanner, "three-pass-order", "BGR");
        reordered = scan_ok (scanner, RELAIS_SCAN_COLOR, 60);
        assert_pages_equal (one_pass, reordered);
      }
}

static void
test_hand_scanner (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(RelaisPage) page = NULL;
  g_autoptr(GError) error = NULL;
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 100 };
  Progress          progress = { 0, 0, 0, TRUE, NULL };

  /* Height unknown until the end (lines = -1): the buffer grows until EOF. */
  set_option (scanner, "hand-scanner", "yes");
  set_option (scanner, "test-picture", "Solid white");
  page = relais_scanner_scan_page (scanner, &options, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  assert_page_geometry (page, RELAIS_PAGE_GRAY, backend_pixels (HAND_WIDTH_MM, 100),
                        backend_pixels (HAND_HEIGHT_MM, 100), 100);
  g_assert_true (page_all (page, 255));
  g_assert_cmpuint (progress.unknown, >=, 1);
  g_assert_cmpfloat (progress.last, ==, 1.0);
}

static void
test_read_errors (void)
{
  static const struct {
    const char        *status;
    RelaisScannerError code;
  } cases[] = {
    { "SANE_STATUS_JAMMED", RELAIS_SCANNER_ERROR_JAMMED },
    { "SANE_STATUS_NO_DOCS", RELAIS_SCANNER_ERROR_NO_DOCS },
    { "SANE_STATUS_COVER_OPEN", RELAIS_SCANNER_ERROR_COVER_OPEN },
    { "SANE_STATUS_DEVICE_BUSY", RELAIS_SCANNER_ERROR_BUSY },
    { "SANE_STATUS_IO_ERROR", RELAIS_SCANNER_ERROR_IO },
    { "SANE_STATUS_ACCESS_DENIED", RELAIS_SCANNER_ERROR_ACCESS_DENIED },
    { "SANE_STATUS_NO_MEM", RELAIS_SCANNER_ERROR_NO_MEM },
    { "SANE_STATUS_CANCELLED", RELAIS_SCANNER_ERROR_CANCELLED },
    { "SANE_STATUS_UNSUPPORTED", RELAIS_SCANNER_ERROR_UNSUPPORTED },
    { "SANE_STATUS_INVAL", RELAIS_SCANNER_ERROR_UNSUPPORTED },
    /* EOF before the first line: the scanner sent nothing. */
    { "SANE_STATUS_EOF", RELAIS_SCANNER_ERROR_IO },
  };
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GHashTable) messages = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaisPage) page = NULL;
      g_autoptr(RelaisPage) after = NULL;

      g_test_message ("%s", cases[i].status);
      set_option (scanner, "read-return-value", cases[i].status);
      page = scan (scanner, RELAIS_SCAN_GRAY, 50, &error);
      g_assert_null (page);
      g_assert_error (error, RELAIS_SCANNER_ERROR, (int) cases[i].code);
      g_assert_cmpuint (strlen (error->message), >, 20);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      if (cases[i].code == RELAIS_SCANNER_ERROR_JAMMED)
        g_assert_cmpstr (error->message, ==,
                         "Le papier est coincé dans le scanner. Ouvrez le capot, "
                         "retirez la feuille doucement, puis réessayez.");
      if (cases[i].code == RELAIS_SCANNER_ERROR_IO)
        g_assert_cmpstr (error->message, ==,
                         "Le scanner ne répond plus. Vérifiez qu'il est allumé et branché, "
                         "ou appelez un médiateur.");
      g_hash_table_add (messages, (gpointer) g_intern_string (error->message));

      /* The failed scan was ended properly: the next one works. */
      set_option (scanner, "read-return-value", "Default");
      after = scan_ok (scanner, RELAIS_SCAN_GRAY, 50);
    }

  /* One sentence per error, not one for all (UNSUPPORTED and INVAL share,
   * and so do IO_ERROR and EOF). */
  g_assert_cmpuint (g_hash_table_size (messages), ==, G_N_ELEMENTS (cases) - 2);
}

static void
test_feeder_empty (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = NULL;

  /* The test backend's feeder holds 10 sheets; sane_start () then says NO_DOCS. */
  set_option (scanner, "source", "Automatic Document Feeder");
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(RelaisPage) sheet = scan_ok (scanner, RELAIS_SCAN_GRAY, 10);
    }
  page = scan (scanner, RELAIS_SCAN_GRAY, 10, &error);
  g_assert_null (page);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DOCS);
}

typedef struct
{
  guint pages;
} BatchCount;

static void
batch_page_cb (RelaisPage *page,
               guint       index,
               gpointer    user_data)
{
  BatchCount *count = user_data;

  g_assert_cmpuint (index, ==, count->pages);
  count->pages++;
}

static void
test_feeder_batch (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) glass = NULL;
  RelaisScanOptions feeder = { RELAIS_SCAN_GRAY, 10, RELAIS_SCAN_SOURCE_FEEDER };
  RelaisScanOptions flatbed = { RELAIS_SCAN_GRAY, 10, RELAIS_SCAN_SOURCE_FLATBED };
  BatchCount        count = { 0 };

  g_assert_true (relais_scanner_has_feeder (scanner));

  /* "Chargeur": every sheet, the batch ends normally at NO_DOCS after the
   * test backend's 10 sheets. */
  pages = relais_scanner_scan_batch (scanner, &feeder, batch_page_cb, &count, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages->len, ==, 10);
  g_assert_cmpuint (count.pages, ==, 10);

  /* An empty feeder at the start is the resident's problem to fix: an
   * error with what to do, not an empty document. (The test backend refills
   * its feeder once it said NO_DOCS, so the empty feeder is simulated.) */
  set_option (scanner, "read-return-value", "SANE_STATUS_NO_DOCS");
  again = relais_scanner_scan_batch (scanner, &feeder, NULL, NULL, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DOCS);
  g_clear_error (&error);
  set_option (scanner, "read-return-value", "Default");

  /* "Recto": one page from the glass, whatever the feeder holds. */
  glass = relais_scanner_scan_batch (scanner, &flatbed, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (glass->len, ==, 1);
}

static void
test_option_errors (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  /* clang-format off */
  static const char *bad[][2] = {
    { "no-such-option", "1" },
    { "test-picture", "Purple" },
    { "read-delay-duration", "1000" },   /* inactive while read-delay is off */
    { "resolution", "lots" },
    { "hand-scanner", "perhaps" },
  };
  /* clang-format on */

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (relais_scanner_sane_set_option_string (scanner, bad[i][0], bad[i][1], &error));
      g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* Case does not matter for a value of a list. */
  set_option (scanner, "test-picture", "solid WHITE");
}

static void
test_cancel_before (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = NULL;
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 50 };

  g_cancellable_cancel (cancellable);
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, cancellable, &error);
  g_assert_null (page);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED);
}

typedef struct
{
  GMainLoop  *loop; /* quit when done, if set */
  RelaisPage *page;
  GError     *error;
  gint64      done_at;
  gint        progressed; /* atomic */
  GThread    *progress_thread;
} AsyncResult;

static void
async_progress_cb (double   fraction,
                   gpointer user_data)
{
  AsyncResult *result = user_data;

  result->progress_thread = g_thread_self ();
  g_atomic_int_set (&result->progressed, 1);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->page = relais_scanner_scan_finish (RELAIS_SCANNER (object), res, &result->error);
  result->done_at = g_get_monotonic_time ();
  if (result->loop != NULL)
    g_main_loop_quit (result->loop);
}

/* Runs the main loop until the scan has finished. */
static void
wait_for_result (AsyncResult *result)
{
  while (result->done_at == 0)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until pixels flow (or the scan ended early, which the
 * caller's assertions then catch). */
static void
wait_for_progress (AsyncResult *result)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!g_atomic_int_get (&result->progressed) && result->done_at == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpint (result->done_at, ==, 0);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
async_result_clear (AsyncResult *result)
{
  g_clear_pointer (&result->loop, g_main_loop_unref);
  g_clear_pointer (&result->page, relais_page_unref);
  g_clear_error (&result->error);
}

/* Slow enough to cancel: 200 ms per 64 KiB of a 1.1 MB page. */
static void
make_slow (RelaisScanner *scanner)
{
  set_option (scanner, "read-delay", "yes");
  set_option (scanner, "read-delay-duration", "200000");
}

static void
test_async (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  AsyncResult       result = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, NULL };
  RelaisScanOptions options = { RELAIS_SCAN_COLOR, 75 };

  set_option (scanner, "test-picture", "Solid white");
  relais_scanner_scan_async (scanner, &options, async_progress_cb, &result, NULL,
                             scan_done_cb, &result);
  options.dpi = 1; /* the task holds its own copy */
  g_main_loop_run (result.loop);

  g_assert_no_error (result.error);
  assert_page_geometry (result.page, RELAIS_PAGE_RGB, backend_pixels (TEST_WIDTH_MM, 75),
                        backend_pixels (TEST_HEIGHT_MM, 75), 75);
  g_assert_true (page_all (result.page, 255));
  g_assert_true (g_atomic_int_get (&result.progressed));
  g_assert_true (result.progress_thread != g_thread_self ());
  async_result_clear (&result);
}

static void
test_cancel (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RelaisPage) after = NULL;
  AsyncResult       result = { NULL, NULL, NULL, 0, 0, NULL };
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 300 };
  gint64            start = g_get_monotonic_time ();

  make_slow (scanner);
  relais_scanner_scan_async (scanner, &options, async_progress_cb, &result, cancellable,
                             scan_done_cb, &result);
  /* Cancel from the main loop once data flows, so that sane_read () is
   * really under way. */
  wait_for_progress (&result);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, cancel_cb, g_object_ref (cancellable),
                      g_object_unref);
  wait_for_result (&result);

  g_assert_null (result.page);
  g_assert_error (result.error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED);
  g_assert_cmpstr (result.error->message, ==, "La numérisation a été annulée.");
  /* The whole page takes over 3 s: the cancel cut it short. */
  g_assert_cmpint (result.done_at - start, <, 2 * G_TIME_SPAN_SECOND);
  async_result_clear (&result);

  /* The scanner is usable again at once. */
  set_option (scanner, "read-delay", "no");
  after = scan_ok (scanner, RELAIS_SCAN_GRAY, 50);
}

static gpointer
cancel_later_thread (gpointer data)
{
  g_usleep (400 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_from_thread (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = NULL;
  GThread          *canceller;
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 300 };
  gint64            start = g_get_monotonic_time ();

  /* The blocking call in this thread, the cancel from another, mid-read. */
  make_slow (scanner);
  canceller = g_thread_new ("canceller", cancel_later_thread, cancellable);
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, cancellable, &error);
  g_thread_join (canceller);

  g_assert_null (page);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED);
  /* The whole page takes over 3 s: the cancel cut it short. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
}

static void
test_busy (void)
{
  g_autoptr(RelaisScanner) scanner = open_test_scanner ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) second = NULL;
  AsyncResult       result = { NULL, NULL, NULL, 0, 0, NULL };
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 300 };

  make_slow (scanner);
  relais_scanner_scan_async (scanner, &options, async_progress_cb, &result, cancellable,
                             scan_done_cb, &result);
  wait_for_progress (&result);

  /* A second scan, or an option change, during the first: refused at once. */
  second = scan (scanner, RELAIS_SCAN_GRAY, 50, &error);
  g_assert_null (second);
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (relais_scanner_sane_set_option_string (scanner, "test-picture", "Grid", &error));
  g_assert_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_BUSY);

  g_cancellable_cancel (cancellable);
  wait_for_result (&result);
  g_assert_error (result.error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED);
  async_result_clear (&result);
}

/* ---- the scanned document (RelaisScanBook) ---- */

/* A 2 × 1 grey page whose first pixel is @tag, to tell pages apart. */
static RelaisPage *
tagged_page (guint8 tag)
{
  guint8 pixels[2] = { tag, 0 };
  g_autoptr(GBytes) data = g_bytes_new (pixels, sizeof pixels);

  return relais_page_new (RELAIS_PAGE_GRAY, 2, 1, 2, 100, data);
}

static guint8
tag_at (RelaisScanBook *book,
        guint           index)
{
  return relais_page_get_data (relais_scan_book_get_page (book, index))[0];
}

typedef struct {
  guint position, removed, added;
  guint calls;
  guint generation; /* as the listener saw it */
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *seen)
{
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
  seen->calls++;
  seen->generation = relais_scan_book_get_generation (RELAIS_SCAN_BOOK (model));
}

static void
test_book (void)
{
  g_autoptr(RelaisScanBook) book = relais_scan_book_new ();
  ItemsChanged seen = { 0 };
  guint        generation;
  g_autoptr(RelaisScanSheet) sheet = NULL;

  g_signal_connect (book, "items-changed", G_CALLBACK (items_changed_cb), &seen);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (book)) == RELAIS_TYPE_SCAN_SHEET);
  g_assert_cmpuint (relais_scan_book_get_n_pages (book), ==, 0);
  generation = relais_scan_book_get_generation (book);

  /* Nothing to act on: nothing changes. */
  relais_scan_book_rotate_selected (book);
  relais_scan_book_delete_selected (book);
  relais_scan_book_move_selected (book, 1);
  g_assert_cmpuint (seen.calls, ==, 0);
  g_assert_cmpuint (relais_scan_book_get_generation (book), ==, generation);

  for (guint8 tag = 1; tag <= 3; tag++)
    {
      g_autoptr(RelaisPage) page = tagged_page (tag);

      relais_scan_book_append (book, page);
      /* The new page is selected, and the listener sees a consistent book. */
      g_assert_cmpuint (relais_scan_book_get_selected (book), ==, tag - 1);
      g_assert_cmpuint (seen.position, ==, tag - 1);
      g_assert_cmpuint (seen.added, ==, 1);
      g_assert_cmpuint (seen.generation, ==, relais_scan_book_get_generation (book));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (book)), ==, 3);
  sheet = g_list_model_get_item (G_LIST_MODEL (book), 1);
  g_assert_true (relais_scan_sheet_get_page (sheet) == relais_scan_book_get_page (book, 1));
  g_assert_cmpuint (relais_scan_book_get_pages (book)->len, ==, 3);

  /* Moving: the page goes with the selection; nothing past the ends. */
  relais_scan_book_select (book, 0);
  generation = relais_scan_book_get_generation (book);
  relais_scan_book_move_selected (book, -1);
  g_assert_cmpuint (relais_scan_book_get_generation (book), ==, generation);
  relais_scan_book_move_selected (book, 1);
  g_assert_cmpuint (tag_at (book, 0), ==, 2);
  g_assert_cmpuint (tag_at (book, 1), ==, 1);
  g_assert_cmpuint (relais_scan_book_get_selected (book), ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, 2);
  g_assert_cmpuint (relais_scan_book_get_generation (book), !=, generation);

  /* Rotating a 2 × 1 page makes it 1 × 2, in place. */
  relais_scan_book_rotate_selected (book);
  g_assert_cmpint (relais_page_get_width (relais_scan_book_get_page (book, 1)), ==, 1);
  g_assert_cmpint (relais_page_get_height (relais_scan_book_get_page (book, 1)), ==, 2);
  g_assert_cmpuint (seen.position, ==, 1);

  /* Deleting the last page selects the new last one. */
  relais_scan_book_select (book, 2);
  relais_scan_book_delete_selected (book);
  g_assert_cmpuint (relais_scan_book_get_n_pages (book), ==, 2);
  g_assert_cmpuint (relais_scan_book_get_selected (book), ==, 1);

  /* A card's front is not a page; clearing forgets it with the pages. */
  {
    g_autoptr(RelaisPage) front = tagged_page (9);

    relais_scan_book_set_card_front (book, front);
  }
  g_assert_nonnull (relais_scan_book_get_card_front (book));
  g_assert_cmpuint (relais_scan_book_get_n_pages (book), ==, 2);
  relais_scan_book_clear (book);
  g_assert_null (relais_scan_book_get_card_front (book));
  g_assert_cmpuint (relais_scan_book_get_n_pages (book), ==, 0);
  g_assert_cmpuint (relais_scan_book_get_selected (book), ==, 0);
  g_assert_cmpuint (seen.removed, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  /* Run by hand, outside meson: find the test backend's configuration. */
  if (g_getenv ("SANE_CONFIG_DIR") == NULL)
    {
      g_autofree char *dir = g_build_filename (relais_test_source_dir (), "tests", "sane", NULL);

      g_setenv ("SANE_CONFIG_DIR", dir, TRUE);
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scanner/book", test_book);
  g_test_add_func ("/scanner/list", test_list);
  g_test_add_func ("/scanner/no-device", test_no_device);
  g_test_add_func ("/scanner/open-twice", test_open_twice);
  g_test_add_func ("/scanner/gray", test_gray);
  g_test_add_func ("/scanner/resolution-nearest", test_resolution_nearest);
  g_test_add_func ("/scanner/spare-frame", test_spare_frame);
  g_test_add_func ("/scanner/color", test_color);
  g_test_add_func ("/scanner/color-as-gray", test_color_as_gray);
  g_test_add_func ("/scanner/text", test_text);
  g_test_add_func ("/scanner/depth-16", test_depth_16);
  g_test_add_func ("/scanner/depth-1", test_depth_1);
  g_test_add_func ("/scanner/three-pass", test_three_pass);
  g_test_add_func ("/scanner/hand-scanner", test_hand_scanner);
  g_test_add_func ("/scanner/read-errors", test_read_errors);
  g_test_add_func ("/scanner/feeder-empty", test_feeder_empty);
  g_test_add_func ("/scanner/option-errors", test_option_errors);
  g_test_add_func ("/scanner/feeder-batch", test_feeder_batch);
  g_test_add_func ("/scanner/cancel-before", test_cancel_before);
  g_test_add_func ("/scanner/async", test_async);
  g_test_add_func ("/scanner/cancel", test_cancel);
  g_test_add_func ("/scanner/cancel-from-thread", test_cancel_from_thread);
  g_test_add_func ("/scanner/busy", test_busy);

  return g_test_run ();
}
