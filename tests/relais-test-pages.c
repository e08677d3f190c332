/* relais-test-pages.c: synthetic scanned pages for the tests. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-pages.h"

#include <string.h>

/* A page with a stride wider than its rows, so that padding is exercised.
 * @photo: smooth colour gradients (a photo) rather than text-like bars. */
RelaisPage *
relais_test_make_page (RelaisPageFormat format,
                       int              width,
                       int              height,
                       int              dpi,
                       gboolean         photo)
{
  int     bpp = format == RELAIS_PAGE_RGB ? 3 : 1;
  int     stride = width * bpp + 5;
  gsize   size = (gsize) stride * (gsize) height;
  guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    {
      guint8  *row = data + (gsize) y * stride;
      /* Lines of "words": dark bars 2/3 of each 60-pixel line. */
      gboolean text_line = (y % 60) < 40 && y > height / 10 && y < height * 9 / 10;

      for (int x = 0; x < width; x++)
        {
          guint8 rgb[3];
          int    noise = g_rand_int_range (rand, -3, 4);

          if (photo)
            {
              rgb[0] = (guint8) (255 * x / width);
              rgb[1] = (guint8) (255 * y / height);
              rgb[2] = (guint8) (255 - 255 * x / width);
            }
          else if (text_line && x > width / 10 && x < width * 9 / 10 && (x / 37) % 5 != 0)
            rgb[0] = rgb[1] = rgb[2] = 30;
          else
            rgb[0] = rgb[1] = rgb[2] = 245;

          for (int c = 0; c < 3; c++)
            rgb[c] = (guint8) CLAMP (rgb[c] + noise, 0, 255);

          if (bpp == 3)
            memcpy (row + 3 * x, rgb, 3);
          else
            row[x] = (guint8) ((rgb[0] + rgb[1] + rgb[2]) / 3);
        }
      memset (row + width * bpp, 0xAB, stride - width * bpp);
    }

  bytes = g_bytes_new_take (data, size);
  return relais_page_new (format, width, height, stride, dpi, bytes);
}
