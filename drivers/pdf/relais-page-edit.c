/* relais-page-edit.c: rotate, crop and shrink scanned pages (pure functions). */

#include "relais-page.h"
#include "relais-pdf-private.h"

#include <math.h>
#include <string.h>

/* A pixel is "content" when its darkest channel is below this: paper and a
 * scanner's lid read 220..255, pencil and faded print read well below. */
#define RELAIS_CROP_INK_LEVEL 200
/* A row or column holds content when more than 1/this of its pixels are ink:
 * dust and sensor noise are single pixels, text is not. */
#define RELAIS_CROP_NOISE_DIVISOR 1000
/* White kept around the content, in millimetres. */
#define RELAIS_CROP_BORDER_MM 3.0
/* Cropping less than this fraction of either side is not worth a new page. */
#define RELAIS_CROP_MIN_GAIN 0.02

static int
bytes_per_pixel (const RelaisPage *page)
{
  return relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
}

static RelaisPage *
page_from_buffer (RelaisPageFormat format,
                  int              width,
                  int              height,
                  int              dpi,
                  guint8          *data)
{
  int bpp = format == RELAIS_PAGE_RGB ? 3 : 1;
  g_autoptr(GBytes) bytes = g_bytes_new_take (data, (gsize) width * bpp * (gsize) height);

  return relais_page_new (format, width, height, width * bpp, dpi, bytes);
}

RelaisPage *
relais_page_rotate (const RelaisPage *page,
                    int               quarter_turns)
{
  int           width, height, stride, bpp, turns, out_width, out_height;
  const guint8 *in;
  guint8       *out;

  g_return_val_if_fail (page != NULL, NULL);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  in = relais_page_get_data (page);
  turns = ((quarter_turns % 4) + 4) % 4;

  if (turns == 0)
    return relais_page_ref ((RelaisPage *) page);

  out_width = turns == 2 ? width : height;
  out_height = turns == 2 ? height : width;
  out = g_malloc ((gsize) out_width * bpp * (gsize) out_height);

  /* Walk the output row by row: writes stay sequential, the scattered side
   * is the read, which the cache forgives more. */
  for (int oy = 0; oy < out_height; oy++)
    {
      guint8 *row = out + (gsize) oy * out_width * bpp;

      for (int ox = 0; ox < out_width; ox++)
        {
          int x, y;

          switch (turns)
            {
            case 1: /* clockwise: output (ox, oy) comes from (oy, height-1-ox) */
              x = oy;
              y = height - 1 - ox;
              break;
            case 2:
              x = width - 1 - ox;
              y = height - 1 - oy;
              break;
            default: /* 3: counter-clockwise */
              x = width - 1 - oy;
              y = ox;
              break;
            }
          memcpy (row + (gsize) ox * bpp, in + (gsize) y * stride + (gsize) x * bpp, bpp);
        }
    }

  return page_from_buffer (relais_page_get_format (page), out_width, out_height,
                           relais_page_get_dpi (page), out);
}

static inline gboolean
is_ink (const guint8 *pixel,
        int           bpp)
{
  if (bpp == 1)
    return pixel[0] < RELAIS_CROP_INK_LEVEL;
  return MIN (pixel[0], MIN (pixel[1], pixel[2])) < RELAIS_CROP_INK_LEVEL;
}

RelaisPage *
relais_page_crop_margins (RelaisPage *page)
{
  g_autofree guint *column_ink = NULL;
  int               width, height, stride, bpp, border;
  int               top = -1, bottom = -1, left = -1, right = -1;
  int               x0, y0, x1, y1;
  guint             row_noise, column_noise;
  const guint8     *data;
  guint8           *out;

  g_return_val_if_fail (page != NULL, NULL);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  data = relais_page_get_data (page);
  row_noise = (guint) (width / RELAIS_CROP_NOISE_DIVISOR) + 1;
  column_noise = (guint) (height / RELAIS_CROP_NOISE_DIVISOR) + 1;
  column_ink = g_new0 (guint, width);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * stride;
      guint         ink = 0;

      for (int x = 0; x < width; x++)
        if (is_ink (row + (gsize) x * bpp, bpp))
          {
            ink++;
            column_ink[x]++;
          }
      if (ink > row_noise)
        {
          if (top < 0)
            top = y;
          bottom = y;
        }
    }
  for (int x = 0; x < width; x++)
    if (column_ink[x] > column_noise)
      {
        if (left < 0)
          left = x;
        right = x;
      }

  /* All white (a blank sheet, an empty glass): nothing to frame. */
  if (top < 0 || left < 0)
    return relais_page_ref (page);

  border = (int) (RELAIS_CROP_BORDER_MM / 25.4 * relais_page_get_dpi (page));
  x0 = MAX (0, left - border);
  y0 = MAX (0, top - border);
  x1 = MIN (width, right + 1 + border);
  y1 = MIN (height, bottom + 1 + border);

  if (x1 - x0 > width * (1 - RELAIS_CROP_MIN_GAIN)
      && y1 - y0 > height * (1 - RELAIS_CROP_MIN_GAIN))
    return relais_page_ref (page);

  out = g_malloc ((gsize) (x1 - x0) * bpp * (gsize) (y1 - y0));
  for (int y = y0; y < y1; y++)
    memcpy (out + (gsize) (y - y0) * (x1 - x0) * bpp,
            data + (gsize) y * stride + (gsize) x0 * bpp,
            (gsize) (x1 - x0) * bpp);

  g_debug ("crop %dx%d -> %dx%d at (%d, %d)", width, height, x1 - x0, y1 - y0, x0, y0);
  return page_from_buffer (relais_page_get_format (page), x1 - x0, y1 - y0,
                           relais_page_get_dpi (page), out);
}

RelaisPage *
relais_page_scale_to_dpi (RelaisPage *page,
                          int         dpi)
{
  int                 width, height, stride, bpp, out_width, out_height, page_dpi;
  g_autofree guint32 *sums = NULL;
  const guint8       *data;
  guint8             *out;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (dpi > 0, NULL);

  page_dpi = relais_page_get_dpi (page);
  if (dpi >= page_dpi)
    return relais_page_ref (page);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  data = relais_page_get_data (page);
  out_width = MAX (1, (int) ((gint64) width * dpi / page_dpi));
  out_height = MAX (1, (int) ((gint64) height * dpi / page_dpi));
  out = g_malloc ((gsize) out_width * bpp * (gsize) out_height);
  sums = g_new (guint32, (gsize) out_width * bpp);

  /* Box filter: each output pixel is the mean of the source pixels its box
   * covers (whole pixels; boxes tile the source exactly). */
  for (int oy = 0; oy < out_height; oy++)
    {
      int     sy0 = (int) ((gint64) oy * height / out_height);
      int     sy1 = MAX (sy0 + 1, (int) ((gint64) (oy + 1) * height / out_height));
      guint8 *orow = out + (gsize) oy * out_width * bpp;

      memset (sums, 0, sizeof (guint32) * out_width * bpp);
      for (int ox = 0; ox < out_width; ox++)
        {
          int     sx0 = (int) ((gint64) ox * width / out_width);
          int     sx1 = MAX (sx0 + 1, (int) ((gint64) (ox + 1) * width / out_width));
          guint32 count = (guint32) (sx1 - sx0) * (guint32) (sy1 - sy0);

          for (int sy = sy0; sy < sy1; sy++)
            {
              const guint8 *p = data + (gsize) sy * stride + (gsize) sx0 * bpp;

              for (int n = 0; n < (sx1 - sx0) * bpp; n++)
                sums[ox * bpp + n % bpp] += p[n];
            }
          for (int c = 0; c < bpp; c++)
            orow[ox * bpp + c] = (guint8) ((sums[ox * bpp + c] + count / 2) / count);
        }
    }

  return page_from_buffer (relais_page_get_format (page), out_width, out_height, dpi, out);
}

gboolean
relais_page_is_bilevel (const RelaisPage *page)
{
  int           width, height, stride, bpp;
  const guint8 *data;

  g_return_val_if_fail (page != NULL, FALSE);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  data = relais_page_get_data (page);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * stride;

      for (int n = 0; n < width * bpp; n++)
        if (row[n] != 0 && row[n] != 255)
          return FALSE;
      /* Colour pixels must also be grey: black or white in all channels. */
      if (bpp == 3)
        for (int x = 0; x < width; x++)
          if (row[3 * x] != row[3 * x + 1] || row[3 * x] != row[3 * x + 2])
            return FALSE;
    }
  return TRUE;
}

/* Copies @page into @out (RGB when @rgb, else grey) at row @top, centred
 * in @width pixels. */
static void
relais_page_blit (const RelaisPage *page,
                  guint8           *out,
                  int               width,
                  gboolean          rgb,
                  int               top)
{
  int           bpp = bytes_per_pixel (page);
  int           out_bpp = rgb ? 3 : 1;
  int           left = (width - relais_page_get_width (page)) / 2;
  const guint8 *data = relais_page_get_data (page);
  int           stride = relais_page_get_stride (page);

  for (int y = 0; y < relais_page_get_height (page); y++)
    {
      const guint8 *in = data + (gsize) y * (gsize) stride;
      guint8       *row = out + ((gsize) (top + y) * (gsize) width + (gsize) left) * out_bpp;

      if (bpp == out_bpp)
        memcpy (row, in, (gsize) relais_page_get_width (page) * bpp);
      else
        for (int x = 0; x < relais_page_get_width (page); x++)
          row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = in[x];
    }
}

RelaisPage *
relais_page_stack (RelaisPage *top,
                   RelaisPage *bottom,
                   double      gap_mm)
{
  g_autoptr(RelaisPage) lower = NULL;
  gboolean rgb;
  int      dpi, gap, width, height;
  gsize    size;
  guint8  *data;

  g_return_val_if_fail (top != NULL && bottom != NULL, NULL);
  g_return_val_if_fail (gap_mm >= 0, NULL);

  /* One resolution for the sheet: the lower of the two. */
  dpi = MIN (relais_page_get_dpi (top), relais_page_get_dpi (bottom));
  top = relais_page_scale_to_dpi (top, dpi);
  lower = relais_page_scale_to_dpi (bottom, dpi);
  rgb = relais_page_get_format (top) == RELAIS_PAGE_RGB || relais_page_get_format (lower) == RELAIS_PAGE_RGB;
  gap = (int) (gap_mm / 25.4 * dpi + 0.5);
  width = MAX (relais_page_get_width (top), relais_page_get_width (lower));
  height = relais_page_get_height (top) + gap + relais_page_get_height (lower);
  size = (gsize) width * (gsize) height * (rgb ? 3 : 1);

  /* White paper, the two sides on it. */
  data = g_malloc (size);
  memset (data, 255, size);
  relais_page_blit (top, data, width, rgb, 0);
  relais_page_blit (lower, data, width, rgb, relais_page_get_height (top) + gap);
  relais_page_unref (top);
  return page_from_buffer (rgb ? RELAIS_PAGE_RGB : RELAIS_PAGE_GRAY, width, height, dpi, data);
}

/* ------------------------------------------------------------------------ */
/* "Document" mode: a sheet laid a little askew, and the scanner's dark plate
 * showing around it. Never for a card or a photo: they are kept as they
 * were laid. */

static inline int
luma_at (const guint8 *p, int bpp)
{
  return bpp == 3 ? (77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8 : p[0];
}

/* The angle (degrees, clockwise on the page as seen) that makes the most
 * rows of ink line up: the page's dark pixels, at about 75 dpi, projected
 * across at each angle from -@max to @max by tenths of a degree; the angle
 * whose projection is the most peaked (sum of squared counts) wins, as the
 * lines of a text collapse into few bins when the projection follows them. */
static double
estimate_skew (const RelaisPage *page,
               double            max_degrees)
{
  int           width = relais_page_get_width (page);
  int           height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  int           bpp = bytes_per_pixel (page);
  int           step = MAX (1, relais_page_get_dpi (page) / 75);
  const guint8 *data = relais_page_get_data (page);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (gint16) * 2);
  int                 n_bins = (width + height) / step + 2;
  g_autofree guint32 *bins = g_new (guint32, n_bins);
  double              best_score = -1, best = 0;
  int                 n_angles = (int) (max_degrees * 10);

  for (int y = 0; y < height; y += step)
    for (int x = 0; x < width; x += step)
      if (luma_at (data + (gsize) y * stride + (gsize) x * bpp, bpp) < 128)
        {
          gint16 point[2] = { (gint16) (x / step), (gint16) (y / step) };

          g_array_append_val (points, point);
        }
  if (points->len < 100)
    return 0;

  for (int k = -n_angles; k <= n_angles; k++)
    {
      double angle = k / 10.0 * G_PI / 180;
      double c = cos (angle), s = sin (angle);
      double score = 0;

      memset (bins, 0, sizeof (guint32) * n_bins);
      for (guint i = 0; i < points->len; i++)
        {
          const gint16 *p = &g_array_index (points, gint16, 2 * i);
          int           r = (int) lround (p[1] * c - p[0] * s) + width / step + 1;

          if (r >= 0 && r < n_bins)
            bins[r]++;
        }
      for (int b = 0; b < n_bins; b++)
        score += (double) bins[b] * bins[b];
      if (score > best_score)
        {
          best_score = score;
          best = k / 10.0;
        }
    }
  return best;
}

RelaisPage *
relais_page_straighten (RelaisPage *page,
                        double      max_degrees,
                        double     *out_degrees)
{
  int           width, height, stride, bpp;
  const guint8 *in;
  guint8       *out;
  double        degrees, c, s, cx, cy;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (max_degrees > 0 && max_degrees <= 10, NULL);

  degrees = estimate_skew (page, max_degrees);
  if (out_degrees != NULL)
    *out_degrees = degrees;
  /* A tenth of a degree is a pixel over a 300 dpi line of text: left be. */
  if (fabs (degrees) < 0.15)
    return relais_page_ref (page);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  in = relais_page_get_data (page);
  out = g_malloc ((gsize) width * bpp * (gsize) height);
  c = cos (degrees * G_PI / 180);
  s = sin (degrees * G_PI / 180);
  cx = (width - 1) / 2.0;
  cy = (height - 1) / 2.0;

  /* Each pixel of the straight page read where it lies on the askew one,
   * between its four neighbours; past the frame, the frame's edge (the
   * plate stays the plate, for relais_page_trim_dark_borders ()). */
  for (int v = 0; v < height; v++)
    {
      guint8 *row = out + (gsize) v * width * bpp;

      for (int u = 0; u < width; u++)
        {
          double x = CLAMP (cx + (u - cx) * c - (v - cy) * s, 0, width - 1.001);
          double y = CLAMP (cy + (u - cx) * s + (v - cy) * c, 0, height - 1.001);
          int    x0 = (int) floor (x), y0 = (int) floor (y);
          double fx = x - x0, fy = y - y0;

          for (int ch = 0; ch < bpp; ch++)
            {
              const guint8 *p = in + (gsize) y0 * stride + (gsize) x0 * bpp + ch;
              double        top = p[0] + (p[bpp] - p[0]) * fx;
              double        bottom = p[stride] + (p[stride + bpp] - p[stride]) * fx;

              row[(gsize) u * bpp + ch] = (guint8) lround (top + (bottom - top) * fy);
            }
        }
    }
  return page_from_buffer (relais_page_get_format (page), width, height, relais_page_get_dpi (page), out);
}

/* A row or column of the scanner's plate: most of it dark. */
#define RELAIS_TRIM_DARK_LEVEL 96

static gboolean
line_is_dark (const RelaisPage *page,
              int               index,
              gboolean          column)
{
  int           width = relais_page_get_width (page);
  int           height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  int           bpp = bytes_per_pixel (page);
  const guint8 *data = relais_page_get_data (page);
  int           n = column ? height : width, dark = 0;

  for (int i = 0; i < n; i++)
    {
      const guint8 *p = column ? data + (gsize) i * stride + (gsize) index * bpp
                               : data + (gsize) index * stride + (gsize) i * bpp;

      dark += luma_at (p, bpp) < RELAIS_TRIM_DARK_LEVEL;
    }
  /* More than half: a thick black rule on the paper is never that long. */
  return dark * 2 > n;
}

RelaisPage *
relais_page_trim_dark_borders (RelaisPage *page)
{
  int     width, height, stride, bpp;
  int     top = 0, bottom, left = 0, right;
  guint8 *out;

  g_return_val_if_fail (page != NULL, NULL);

  width = relais_page_get_width (page);
  height = relais_page_get_height (page);
  stride = relais_page_get_stride (page);
  bpp = bytes_per_pixel (page);
  bottom = height;
  right = width;
  /* Each side at most a quarter of the page: a dark page is not a border. */
  while (top < height / 4 && line_is_dark (page, top, FALSE))
    top++;
  while (bottom > height * 3 / 4 && line_is_dark (page, bottom - 1, FALSE))
    bottom--;
  while (left < width / 4 && line_is_dark (page, left, TRUE))
    left++;
  while (right > width * 3 / 4 && line_is_dark (page, right - 1, TRUE))
    right--;
  if (top == 0 && left == 0 && bottom == height && right == width)
    return relais_page_ref (page);

  out = g_malloc ((gsize) (right - left) * bpp * (gsize) (bottom - top));
  for (int y = top; y < bottom; y++)
    memcpy (out + (gsize) (y - top) * (right - left) * bpp,
            relais_page_get_data (page) + (gsize) y * stride + (gsize) left * bpp,
            (gsize) (right - left) * bpp);
  return page_from_buffer (relais_page_get_format (page), right - left, bottom - top,
                           relais_page_get_dpi (page), out);
}

RelaisPage *
relais_page_as_document (RelaisPage *page,
                         double     *out_degrees)
{
  g_autoptr(RelaisPage) straight = NULL;
  RelaisPdfAnalysis analysis;

  g_return_val_if_fail (page != NULL, NULL);

  if (out_degrees != NULL)
    *out_degrees = 0;
  /* A photo, an identity card (a picture on the page, as the PDF writer
   * judges it): its content is never redrawn nor cut. */
  relais_pdf_analyse (page, &analysis);
  if (analysis.kind == RELAIS_PDF_PAGE_PICTURE)
    return relais_page_ref (page);
  /* A sheet laid by hand on the glass is off by a degree or two; more is
   * a sheet laid across on purpose, or a page with no lines to go by. */
  straight = relais_page_straighten (page, 3.0, out_degrees);
  return relais_page_trim_dark_borders (straight);
}
