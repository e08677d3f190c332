/* relais-letter-document.c: a letter already in a file (a PDF on the USB
 * key, a document of the safe, a photo): one page drawn by poppler at
 * 300 dpi in grey, as the scanner gives it to relais_letter_read (). */
#include "relais-letter.h"
#include "relais-document.h"

#include <math.h>

/* relais_document_render_page ()'s bound on a side, in pixels. */
#define MAX_SIDE 4000
/* An image has no size on paper: taken as the long side of an A4 sheet. */
#define A4_LONG_INCHES (297.0 / 25.4)

RelaisPage *
relais_letter_page_from_document (GBytes  *bytes,
                                  int      index,
                                  int     *n_pages,
                                  GError **error)
{
  g_autoptr(RelaisDocument) document = NULL;
  cairo_surface_t *surface;
  double           width, height, scale;
  int              dpi, w, h, in_stride;
  const guint8    *in;
  guint8          *out;
  RelaisPage      *page = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (index >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  document = relais_document_new_from_bytes (bytes, error);
  if (document == NULL)
    return NULL;
  if (n_pages != NULL)
    *n_pages = relais_document_get_n_pages (document);
  if (index >= relais_document_get_n_pages (document))
    {
      g_set_error (error, RELAIS_LETTER_ERROR, RELAIS_LETTER_ERROR_PAGE, "No page %d", index + 1);
      return NULL;
    }
  if (!relais_document_get_page_size (document, index, &width, &height, error))
    return NULL;
  if (g_str_equal (relais_document_get_mime_type (document), "application/pdf"))
    {
      dpi = RELAIS_LETTER_DPI;
      scale = dpi / 72.0;
    }
  else
    {
      /* A photo's pixels as they are. */
      scale = 1;
      dpi = CLAMP ((int) lround (MAX (width, height) / A4_LONG_INCHES), 50, 600);
    }
  /* A page bigger than A3 is made smaller: its resolution with it. */
  if (MAX (width, height) * scale > MAX_SIDE)
    {
      double fit = MAX_SIDE / (MAX (width, height) * scale);

      scale *= fit;
      dpi = MAX (1, (int) (dpi * fit));
    }
  w = CLAMP ((int) lround (width * scale), 1, MAX_SIDE);
  h = CLAMP ((int) lround (height * scale), 1, MAX_SIDE);
  surface = relais_document_render_page (document, index, w, h, error);
  if (surface == NULL)
    return NULL;

  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  in = cairo_image_surface_get_data (surface);
  in_stride = cairo_image_surface_get_stride (surface);
  out = g_malloc ((gsize) w * h);
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (gconstpointer) (in + (gsize) y * in_stride);

      for (int x = 0; x < w; x++)
        {
          guint32 p = row[x];

          out[(gsize) y * w + x] = (guint8) ((((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114 + 500) / 1000);
        }
    }
  cairo_surface_destroy (surface);
  {
    g_autoptr(GBytes) data = g_bytes_new_take (out, (gsize) w * h);

    page = relais_page_new (RELAIS_PAGE_GRAY, w, h, w, dpi, data);
  }
  return page;
}
