/* relais-page.c: one scanned page, refcounted and immutable once built. */

#include "relais-page.h"

/* Invariants (checked by relais_page_new, relied upon everywhere else):
 * width, height, dpi > 0; stride >= width * bytes-per-pixel;
 * data holds exactly height * stride bytes and is never written to. */
struct _RelaisPage {
  RelaisPageFormat format;
  int              width;
  int              height;
  int              stride;
  int              dpi;

  /* Owned */
  GBytes          *data;
};

G_DEFINE_BOXED_TYPE (RelaisPage, relais_page, relais_page_ref, relais_page_unref)

static int
relais_page_format_bpp (RelaisPageFormat format)
{
  switch (format)
    {
    case RELAIS_PAGE_GRAY:
      return 1;
    case RELAIS_PAGE_RGB:
      return 3;
    default:
      return 0;
    }
}

static void
relais_page_clear (gpointer data)
{
  RelaisPage *page = data;

  g_clear_pointer (&page->data, g_bytes_unref);
}

/**
 * relais_page_new:
 * @format: how the pixels are laid out
 * @width: pixels per row, > 0
 * @height: rows, > 0
 * @stride: bytes from one row to the next, >= @width * bytes-per-pixel
 * @dpi: scan resolution, > 0
 * @data: exactly @height * @stride bytes; a reference is taken
 *
 * Returns: (transfer full): a new page, or %NULL if an argument breaks the
 *   invariants (a programming error, reported with g_critical).
 */
RelaisPage *
relais_page_new (RelaisPageFormat format,
                 int              width,
                 int              height,
                 int              stride,
                 int              dpi,
                 GBytes          *data)
{
  RelaisPage *page;
  int         bpp = relais_page_format_bpp (format);

  g_return_val_if_fail (bpp > 0, NULL);
  g_return_val_if_fail (width > 0, NULL);
  g_return_val_if_fail (height > 0, NULL);
  g_return_val_if_fail (dpi > 0, NULL);
  g_return_val_if_fail (width <= G_MAXINT / bpp, NULL);
  g_return_val_if_fail (stride >= width * bpp, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  /* gsize arithmetic: height * stride may exceed G_MAXINT on big scans. */
  g_return_val_if_fail (g_bytes_get_size (data) == (gsize) height * (gsize) stride, NULL);

  page = g_atomic_rc_box_new0 (RelaisPage);
  page->format = format;
  page->width = width;
  page->height = height;
  page->stride = stride;
  page->dpi = dpi;
  page->data = g_bytes_ref (data);

  return page;
}

RelaisPage *
relais_page_ref (RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);

  return g_atomic_rc_box_acquire (page);
}

void
relais_page_unref (RelaisPage *page)
{
  g_return_if_fail (page != NULL);

  g_atomic_rc_box_release_full (page, relais_page_clear);
}

RelaisPageFormat
relais_page_get_format (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->format;
}

int
relais_page_get_width (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->width;
}

int
relais_page_get_height (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->height;
}

int
relais_page_get_stride (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->stride;
}

int
relais_page_get_dpi (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->dpi;
}

const guint8 *
relais_page_get_data (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);

  return g_bytes_get_data (page->data, NULL);
}

/* Borrowed, like every _get_: take a ref with g_bytes_ref () to keep it. */
GBytes *
relais_page_get_bytes (const RelaisPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);

  return page->data;
}
