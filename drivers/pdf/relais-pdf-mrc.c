/* relais-pdf-mrc.c: what a scanned paper is (text on paper, a picture, or
 * a flat synthetic page) and, for text on paper, mixed raster content: a
 * soft mask of the ink (its share in each pixel, 4 bits) at the scan's
 * resolution, over a low-resolution JPEG of the paper, the ink's colours
 * in a lower-resolution JPEG still.
 *
 * Why: a letter scanned at 300 dpi is 26 MB of pixels of which nine in ten
 * are paper, and the sensor's noise on that paper is what JPEG spends its
 * bytes on. Split, the text stays crisp (its share of each pixel at full
 * resolution, Deflate of long runs), the paper and the shading keep their tone at 100 dpi
 * where the noise averages out, and a letter weighs a tenth of its JPEG. */
#include "relais-pdf-private.h"

#include <string.h>

/* Blocks in which the page is judged: 16 × 16, a JPEG colour MCU. */
#define RELAIS_MRC_BLOCK 16
/* Background at a third of the scan's resolution (100 dpi from 300). */
#define RELAIS_MRC_BACKGROUND_STEP 3
/* The ink's colour at a sixth (50 dpi): letters of one word share one. */
#define RELAIS_MRC_FOREGROUND_STEP 6
/* Low qualities are enough: the noise is gone, the tones are smooth. For
 * the writer's default quality (85) the layers take 40 and 50; another
 * quality asked for (a smaller file for a website) scales them. (60 and 70
 * before the soft mask: 25 KB a page more, and measured 0.02 dB closer to
 * the paper before degradation, tests/bench/scan-real.) */
#define RELAIS_MRC_BACKGROUND_QUALITY(q) MAX (5, (q) *40 / 85)
#define RELAIS_MRC_FOREGROUND_QUALITY(q) MAX (5, (q) *50 / 85)
/* The soft mask: 4 bits a pixel (16 shares of ink), at the scan's
 * resolution. Against the 1-bit mask of before, on the scan-real papers
 * (PSNR of the luminance against the page before degradation): +5 dB on
 * text pages, the antialiased edges of letters no longer all ink or all
 * paper; 2 bits lose 0.7 dB of that for 40 % fewer bytes. */
#define RELAIS_MRC_ALPHA_BITS 4
/* Of which 10 shares used (0, 1/9, … 1, as 0, 2, 3, 5, … 15): 14 % fewer
 * bytes than 16 for 0.15 dB (12: 8 % for 0.1 dB); what keeps a grey text
 * page under half the bytes of the peer's grey JPEG. */
#define RELAIS_MRC_ALPHA_LEVELS 10
/* Darker than the paper by this much (the sensor's noise and the paper's
 * grain stay within it) before a pixel can hold any ink. */
#define RELAIS_MRC_ALPHA_MARGIN 8
/* The optics' blur taken back before the ink's share is read: v + k (v -
 * the mean of the four neighbours), k = 3 (tried 0, 2, 3, 4: 27.9, 30.7,
 * 31.0 and 30.8 dB on the text pages, before the paper's layer left out
 * the letters' halo, which gave 1.4 dB more). The letters' edges come back
 * close to the printed ones; the paper is never sharpened (its noise
 * would be), only pixels darker than it. */
#define RELAIS_MRC_SHARPEN 3
/* A pixel whose channels differ by more than this is coloured, not the
 * sensor's noise on grey (σ of a few levels on each channel). */
#define RELAIS_MRC_CHROMA 40

static inline guint8
relais_luma (const guint8 *p)
{
  return (guint8) ((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
}

/* A row's luminance, the same as relais_luma () pixel by pixel, in vector
 * code: the encoders' most repeated loop (every pixel of a text page,
 * half the rows of every page for the analysis). Debian's amd64 baseline
 * (SSE2) has no shuffle that makes this loop vector code (6.8 ms a 300 dpi
 * colour page, as scalar code); with AVX2, 1.8 ms. So an AVX2 version
 * beside the baseline one, the CPU choosing at load time. */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
__attribute__ ((target_clones ("avx2", "default")))
#endif
#endif
static void
relais_luma_row (const guint8 * restrict in,
                 guint8 * restrict out,
                 int width)
{
  for (int x = 0; x < width; x++)
    out[x] = (guint8) ((77 * in[3 * x] + 150 * in[3 * x + 1] + 29 * in[3 * x + 2] + 128) >> 8);
}

static inline int
relais_chroma (const guint8 *p)
{
  return MAX (p[0], MAX (p[1], p[2])) - MIN (p[0], MIN (p[1], p[2]));
}

void
relais_pdf_analyse (const RelaisPage  *page,
                    RelaisPdfAnalysis *out)
{
  int                 width = relais_page_get_width (page);
  int                 height = relais_page_get_height (page);
  int                 stride = relais_page_get_stride (page);
  int                 bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
  const guint8       *data = relais_page_get_data (page);
  guint64             histogram[256] = { 0 };
  guint64             colour_sums[256][3] = { { 0 } }, colour_n[256] = { 0 };
  /* Two of each, for even and odd columns: neighbours on bare paper share
   * a luminance, and one counter would be a load waiting on the store
   * before it, pixel after pixel. Summed after the pass. */
  guint64             halves_histogram[2][256] = { { 0 } };
  guint64             halves_colour[2][256][4] = { { { 0 } } }; /* R, G, B, pixels */
  guint64             samples = 0, smooth = 0, coloured = 0;
  guint64             best = 0;
  int                 mid_low, mid_high;
  /* Judged on 300 dpi scans, the station's resolution for documents (at
   * 150 dpi, letters' blurred edges fill more of each block). */
  int                 block = RELAIS_MRC_BLOCK;
  int                 blocks_x = (width + block - 1) / block;
  int                 blocks_y = (height + block - 1) / block;
  g_autofree guint32 *mid = g_new0 (guint32, (gsize) blocks_x * (gsize) blocks_y);
  g_autofree guint8  *lumas = g_malloc ((gsize) width);
  guint               pictorial = 0;

  memset (out, 0, sizeof *out);

  /* One row in eight: the paper's tone (the brightest frequent luminance),
   * and whether the page has a sensor's noise at all. A page drawn by a
   * program (the SANE test backend's patterns, a form filled on screen)
   * is smooth between neighbours; a scan almost never is. The same pass
   * sums each luminance's colour, from which the paper's is read once its
   * tone is known (a second pass over these rows was a tenth of the
   * analysis: rows of a colour page fall out of the cache in between). */
  for (int y = 0; y < height; y += 8)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;
      const guint8 *row_lumas = row;

      if (bpp == 3)
        {
          relais_luma_row (row, lumas, width);
          row_lumas = lumas;
        }
      for (int x = 0; x < width; x++)
        {
          const guint8 *p = row + (gsize) x * bpp;
          guint8        v = row_lumas[x];
          guint64      *sum = halves_colour[x & 1][v];
          int           curve;
          gboolean      same_above;

          sum[0] += p[0];
          sum[1] += p[bpp == 3 ? 1 : 0];
          sum[2] += p[bpp == 3 ? 2 : 0];
          sum[3]++;
          if (x == 0 || x + 1 == width)
            continue;
          curve = p[-bpp] - 2 * p[0] + p[bpp];
          halves_histogram[x & 1][v]++;
          /* Smooth: on a straight line with its left and right neighbours
           * (flat areas, ramps, gradients), or the same as the pixel above
           * (vertical stripes). A sensor's noise makes both rare. (Compared
           * here, not by memcmp (): a call per pixel was 4 % of a page's
           * encoding.) */
          same_above = y > 0 && p[0] == p[-stride]
                       && (bpp == 1 || (p[1] == p[1 - stride] && p[2] == p[2 - stride]));
          smooth += (curve >= -1 && curve <= 1) || same_above;
          if (bpp == 3 && relais_chroma (p) > RELAIS_MRC_CHROMA)
            coloured++;
          samples++;
        }
    }
  for (int v = 0; v < 256; v++)
    {
      histogram[v] = halves_histogram[0][v] + halves_histogram[1][v];
      for (int c = 0; c < 3; c++)
        colour_sums[v][c] = halves_colour[0][v][c] + halves_colour[1][v][c];
      colour_n[v] = halves_colour[0][v][3] + halves_colour[1][v][3];
    }
  if (samples == 0 || smooth * 2 > samples)
    {
      out->kind = RELAIS_PDF_PAGE_SYNTHETIC;
      return;
    }
  out->paper = 255;
  for (int v = 128; v < 256; v++)
    if (histogram[v] > best)
      {
        best = histogram[v];
        out->paper = v;
      }
  /* The paper's colour: the mean of the pixels of its exact tone. */
  for (int c = 0; c < 3; c++)
    out->paper_rgb[c] = (guint8) (colour_n[out->paper] > 0 ? colour_sums[out->paper][c] / colour_n[out->paper]
                                                           : (guint64) out->paper);
  /* Ink: darker than a little more than half the paper's tone; the faint
   * grey of small print (40 % grey, blurred) is still well under it. */
  out->ink = out->paper * 55 / 100;
  /* The ink's own tone: the mean of its core (darker than two thirds of
   * the threshold), what a letter's stroke is away from its edges. */
  {
    guint64 sum = 0, n = 0;

    for (int v = 0; v < out->ink * 2 / 3; v++)
      sum += histogram[v] * (guint64) v, n += histogram[v];
    out->ink_tone = n > 0 ? (int) (sum / n) : out->ink / 3;
  }
  /* A few coloured pixels in ten thousand are noise or a speck of dust;
   * a logo, a stamp, a signature in blue are more. */
  out->neutral = bpp == 1 || coloured * 10000 < samples * 2;

  /* Pictures: blocks where most pixels are neither paper nor ink but
   * tones between (a face, a landscape, a sky). Text has such tones only
   * on its letters' edges; shaded rows and tinted bands are near the
   * paper's tone, solid dark areas near the ink's. */
  mid_low = MAX (0, out->ink - 50);
  mid_high = out->paper - 28;
  /* Every other pixel of every other row: a quarter of the work, still
   * 64 samples a block. */
  for (int y = 0; y < height; y += 2)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;
      guint32      *block_row = mid + (gsize) (y / block) * (gsize) blocks_x;

      /* The row's luminance whole, in vector code, then every other. */
      if (bpp == 3)
        {
          relais_luma_row (row, lumas, width);
          row = lumas;
        }
      /* Counted a block at a time in a register, then added: one store
       * a block rather than one a sample (the loop was a store and a load
       * of the same counter per pixel, a quarter of the analysis). */
      for (int bx = 0; bx < blocks_x; bx++)
        {
          int     end = MIN (width, (bx + 1) * block);
          guint32 n = 0;

          for (int x = bx * block; x < end; x += 2)
            n += row[x] > mid_low && row[x] < mid_high;
          block_row[bx] += n;
        }
    }
  for (int i = 0; i < blocks_x * blocks_y; i++)
    if (mid[i] * 10 > (guint32) (block * block / 4 * 4))
      pictorial++;
  out->picture_share = (double) pictorial / ((double) blocks_x * blocks_y);
  /* One block in a hundred is a passport photo on an A4 sheet: such a
   * page is a picture, kept whole (an identity card is never redrawn). */
  out->kind = out->picture_share >= 0.01 ? RELAIS_PDF_PAGE_PICTURE : RELAIS_PDF_PAGE_TEXT;
  g_debug ("page analysis (%d dpi): paper %d, ink below %d, %s, %.2f %% pictorial blocks: %s",
           relais_page_get_dpi (page), out->paper, out->ink, out->neutral ? "neutral" : "coloured", 100 * out->picture_share,
           out->kind == RELAIS_PDF_PAGE_PICTURE ? "picture" : "text");
}

/* ------------------------------------------------------------------------ */

/* A page of @format from pixels the caller allocated with g_malloc (). */
static RelaisPage *
relais_pdf_page_take (RelaisPageFormat format,
                      int              width,
                      int              height,
                      int              dpi,
                      guint8          *pixels)
{
  int   bpp = format == RELAIS_PAGE_RGB ? 3 : 1;
  gsize size = (gsize) width * (gsize) bpp * (gsize) height;

  return relais_page_new (format, width, height, width * bpp, dpi, g_bytes_new_take (pixels, size));
}

/* Cells no pixel of which was taken (@known 0) get the value of a
 * neighbour that has one, so that JPEG sees smooth areas, not holes.
 * @known is 1 everywhere after. */
static void
relais_pdf_fill_holes (guint8       *plane,
                       guint8       *known,
                       int           width,
                       int           height,
                       int           channels,
                       const guint8 *fallback)
{
  /* Left to right then right to left, then down then up: four sweeps
   * reach every hole from a known cell in its row or column. */
  for (int pass = 0; pass < 2; pass++)
    for (int y = 0; y < height; y++)
      for (int i = 0; i < width; i++)
        {
          int   x = pass == 0 ? i : width - 1 - i;
          int   from = pass == 0 ? x - 1 : x + 1;
          gsize at = (gsize) y * width + x;

          if (!known[at] && from >= 0 && from < width && known[at - x + from])
            {
              memcpy (plane + at * channels, plane + (at - x + from) * channels, (size_t) channels);
              known[at] = 1;
            }
        }
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < height; i++)
      {
        int y = pass == 0 ? i : height - 1 - i;
        int from = pass == 0 ? y - 1 : y + 1;

        for (int x = 0; x < width; x++)
          {
            gsize at = (gsize) y * width + x;

            if (!known[at] && from >= 0 && from < height && known[(gsize) from * width + x])
              {
                memcpy (plane + at * channels, plane + ((gsize) from * width + x) * channels, (size_t) channels);
                known[at] = 1;
              }
          }
      }
  for (gsize at = 0; at < (gsize) width * height; at++)
    if (!known[at])
      memcpy (plane + at * channels, fallback, (size_t) channels);
}

/* One layer being averaged over @step × @step cells, a row of cells at a
 * time: sums of the pixels taken (R, G, B or the luminance, and their
 * number), then their means in @plane. */
typedef struct
{
  int      step, width, height, channels;
  /* In a RelaisPdfScratch: */
  guint32 *sums;  /* 4 per cell of the current row of cells */
  guint8  *plane; /* width × height × channels */
  guint8  *known; /* 1 where a cell took a pixel */
  /* 2^24 / n + 1 for n pixels taken: a mean by a multiplication, exact
   * for sums of up to 36 pixels (a division per cell and channel was
   * most of the flush's time). */
  guint32  reciprocal[RELAIS_MRC_FOREGROUND_STEP * RELAIS_MRC_FOREGROUND_STEP + 1];
} RelaisMrcLayer;

/* @n: the layer's buffers in @scratch. */
static void
relais_mrc_layer_init (RelaisMrcLayer   *layer,
                       int               page_width,
                       int               page_height,
                       int               step,
                       int               channels,
                       RelaisPdfScratch *scratch,
                       int               n)
{
  gsize cells;

  layer->step = step;
  layer->width = (page_width + step - 1) / step;
  layer->height = (page_height + step - 1) / step;
  layer->channels = channels;
  cells = (gsize) layer->width * (gsize) layer->height;
  layer->sums = NULL; /* each half's: relais_mrc_band_init () */
  layer->plane = relais_pdf_scratch_buffer (&scratch->buffers.planes[n], cells * (gsize) channels);
  layer->known = relais_pdf_scratch_buffer (&scratch->buffers.known[n], cells);
  memset (layer->known, 0, cells);
  g_assert (step * step < (int) G_N_ELEMENTS (layer->reciprocal));
  layer->reciprocal[0] = 0;
  for (int n = 1; n <= step * step; n++)
    layer->reciprocal[n] = (1u << 24) / (guint32) n + 1;
}

/* @cell: the pixel's column of cells, x / step with the step a constant
 * where it is called (a division by a variable, per pixel, was a fifth of
 * the pass). */
static inline void
relais_mrc_layer_take (RelaisMrcLayer *layer,
                       int             cell,
                       const guint8   *p,
                       guint8          luma)
{
  guint32 *s = layer->sums + (gsize) cell * 4;

  if (layer->channels == 3)
    s[0] += p[0], s[1] += p[1], s[2] += p[2];
  else
    s[0] += luma;
  s[3]++;
}

/* After the last pixel row of a row of cells. */
static void
relais_mrc_layer_flush (RelaisMrcLayer *layer,
                        int             cell_y)
{
  for (int cx = 0; cx < layer->width; cx++)
    {
      guint32 *s = layer->sums + (gsize) cx * 4;
      gsize    at = (gsize) cell_y * layer->width + cx;

      if (s[3] == 0)
        continue;
      layer->known[at] = 1;
      for (int c = 0; c < layer->channels; c++)
        layer->plane[at * layer->channels + c] = (guint8) (((guint64) (s[c] + s[3] / 2) * layer->reciprocal[s[3]]) >> 24);
    }
  memset (layer->sums, 0, sizeof (guint32) * 4 * (gsize) layer->width);
}

static const guint8 *
relais_mrc_layer_row (int      y,
                      gpointer user_data)
{
  RelaisMrcLayer *layer = user_data;

  return layer->plane + (gsize) y * (gsize) layer->width * (gsize) layer->channels;
}

static GBytes *
relais_mrc_layer_encode (RelaisMrcLayer *layer,
                         guint8          fallback,
                         int             quality,
                         GError        **error)
{
  guint8 fill[3] = { fallback, fallback, fallback };

  relais_pdf_fill_holes (layer->plane, layer->known, layer->width, layer->height, layer->channels, fill);
  return relais_pdf_encode_jpeg_rows (layer->width, layer->height, layer->channels == 1, quality,
                                      relais_mrc_layer_row, layer, error);
}

/* The MRC pass over rows @y0 to @y1 (a half of the page), with its own
 * rows of luminance and its own sums of the layers' current rows of
 * cells; the two halves write disjoint rows of the mask and of the
 * layers' planes (@y0 is a multiple of the layers' steps). */
typedef struct
{
  const guint8  *data;
  int            width, height, stride, bpp;
  guint8        *alpha;
  gsize          alpha_stride;
  const guint8  *lut;
  int            light, ink, edge, core;
  int            y0, y1;
  guint8        *lumas;     /* 3 rows */
  RelaisMrcLayer layers[3]; /* the paper, the ink, the ink's core: this half's sums */
} RelaisMrcBand;

static void
relais_mrc_band_init (RelaisMrcBand       *band,
                      const RelaisMrcBand *shape,
                      const RelaisMrcLayer layers[3],
                      RelaisPdfScratch    *scratch,
                      int                  half,
                      int                  y0,
                      int                  y1)
{
  *band = *shape;
  band->y0 = y0;
  band->y1 = y1;
  band->lumas = relais_pdf_scratch_buffer (&scratch->buffers.lumas[half], (gsize) band->width * 3);
  for (int n = 0; n < 3; n++)
    {
      gsize size = sizeof (guint32) * 4 * (gsize) layers[n].width;

      band->layers[n] = layers[n];
      band->layers[n].sums = relais_pdf_scratch_buffer (&scratch->buffers.sums[half][n], size);
      memset (band->layers[n].sums, 0, size);
    }
}

static void
relais_mrc_band_run (gpointer half,
                     gpointer user_data)
{
  RelaisMrcBand  *band = half;
  const guint8   *data = band->data;
  int             width = band->width, height = band->height, stride = band->stride, bpp = band->bpp;
  guint8         *alpha = band->alpha, *lumas = band->lumas;
  gsize           alpha_stride = band->alpha_stride;
  const guint8   *lut = band->lut;
  int             light = band->light, ink = band->ink, edge = band->edge, core = band->core;
  int             per_byte = 8 / RELAIS_MRC_ALPHA_BITS;
  RelaisMrcLayer *background = &band->layers[0], *foreground = &band->layers[1],
                 *foreground_core = &band->layers[2];

  for (int y = band->y0; y < band->y1; y++)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;
      guint8       *alpha_row = alpha + (gsize) y * alpha_stride;
      const guint8 *cur = lumas + (gsize) (y % 3) * width;
      const guint8 *up, *down;

      memset (alpha_row, 0, alpha_stride);
      /* The luminance of this row (the first time) and of the next. */
      for (int r = y == band->y0 ? MAX (0, y - 1) : y + 1; r <= y + 1 && r < height; r++)
        {
          const guint8 *in = data + (gsize) r * (gsize) stride;
          guint8       *l = lumas + (gsize) (r % 3) * width;

          if (bpp == 3)
            relais_luma_row (in, l, width);
          else
            memcpy (l, in, (gsize) width);
        }
      up = y > 0 ? lumas + (gsize) ((y - 1) % 3) * width : cur;
      down = y + 1 < height ? lumas + (gsize) ((y + 1) % 3) * width : cur;

      for (int x = 0; x < width; x++)
        {
          const guint8 *p = row + (gsize) x * bpp;
          int           v = cur[x];
          int           left, right, s;
          gboolean      near;
          guint8        a;

          /* Three pixels of bare paper, one cell of the paper's layer
           * (nine in ten of a letter's): their sums at once. */
          if (x % RELAIS_MRC_BACKGROUND_STEP == 0 && x + RELAIS_MRC_BACKGROUND_STEP <= width && v >= light
              && cur[x + 1] >= light && cur[x + 2] >= light)
            {
              guint32 *sum = background->sums + (gsize) (x / RELAIS_MRC_BACKGROUND_STEP) * 4;

              G_STATIC_ASSERT (RELAIS_MRC_BACKGROUND_STEP == 3);
              if (background->channels == 3)
                {
                  sum[0] += (guint32) p[0] + p[3] + p[6];
                  sum[1] += (guint32) p[1] + p[4] + p[7];
                  sum[2] += (guint32) p[2] + p[5] + p[8];
                }
              else
                sum[0] += (guint32) v + cur[x + 1] + cur[x + 2];
              sum[3] += 3;
              x += RELAIS_MRC_BACKGROUND_STEP - 1;
              continue;
            }
          if (v >= light)
            {
              relais_mrc_layer_take (background, x / RELAIS_MRC_BACKGROUND_STEP, p, (guint8) v);
              continue;
            }
          /* Ink, or next to ink (its edge, blurred by the scanner)? */
          near = v < ink;
          for (int dx = -1; dx <= 1 && !near; dx++)
            {
              int n = CLAMP (x + dx, 0, width - 1);

              near = up[n] < ink || cur[n] < ink || down[n] < ink;
            }
          if (!near)
            {
              /* Away from ink, a tone under the paper's is the paper's
               * layer's: a tinted band, a shading, the paper's grain. A
               * coloured tone between ink and paper (a logo's orange arc,
               * a stamp) is the paper's to keep too. Darker and grey, it
               * is neither (a dot's blurred core: too small to be ink). */
              if (v >= edge || (bpp == 3 && relais_chroma (p) > RELAIS_MRC_CHROMA))
                relais_mrc_layer_take (background, x / RELAIS_MRC_BACKGROUND_STEP, p, (guint8) v);
              continue;
            }
          left = x > 0 ? cur[x - 1] : v;
          right = x + 1 < width ? cur[x + 1] : v;
          s = CLAMP (v + RELAIS_MRC_SHARPEN * (4 * v - up[x] - down[x] - left - right) / 4, 0, 255);
          /* The ink's share: on the ink and its edge only. The paper's
           * layer leaves out the pixels next to ink: the scanner's blur
           * darkens them, and the paper around every letter with them
           * (measured: 2.5 × the error on the light pixels of a letter). */
          a = lut[s];
          if (s < ink)
            {
              guint8        sharpened[3];
              const guint8 *q = p;

              if (bpp == 3)
                {
                  for (int c = 0; c < 3; c++)
                    sharpened[c] = (guint8) CLAMP (p[c] + s - v, 0, 255);
                  q = sharpened;
                }
              relais_mrc_layer_take (foreground, x / RELAIS_MRC_FOREGROUND_STEP, q, (guint8) s);
              if (s < core)
                relais_mrc_layer_take (foreground_core, x / RELAIS_MRC_FOREGROUND_STEP, q, (guint8) s);
            }
          if (a != 0)
            alpha_row[x / per_byte] |= (guint8) (a << (8 - RELAIS_MRC_ALPHA_BITS * (x % per_byte + 1)));
        }
      if ((y + 1) % RELAIS_MRC_BACKGROUND_STEP == 0 || y == height - 1)
        relais_mrc_layer_flush (background, y / RELAIS_MRC_BACKGROUND_STEP);
      if ((y + 1) % RELAIS_MRC_FOREGROUND_STEP == 0 || y == height - 1)
        {
          relais_mrc_layer_flush (foreground, y / RELAIS_MRC_FOREGROUND_STEP);
          relais_mrc_layer_flush (foreground_core, y / RELAIS_MRC_FOREGROUND_STEP);
        }
    }
}

/* Whether @scratch's encoder may split its passes now (its fork_gate). */
static gboolean
relais_mrc_may_fork (const RelaisPdfScratch *scratch)
{
  return scratch->fork_gate == NULL || g_atomic_int_get (scratch->fork_gate);
}

/* The mask's Deflate, in whichever thread takes it. */
typedef struct
{
  RelaisPdfScratch *scratch;
  const guint8     *alpha;
  gsize             size;
  GBytes           *mask;
  GError           *error;
} RelaisMrcDeflate;

static void
relais_mrc_deflate_run (gpointer job,
                        gpointer user_data)
{
  RelaisMrcDeflate *deflate = job;

  deflate->mask = relais_pdf_deflate_buffer_with (deflate->scratch, deflate->alpha, deflate->size, &deflate->error);
}

/* The ink's soft mask at the scan's resolution (the ink's image's
 * /SMask), RELAIS_MRC_ALPHA_BITS per pixel, 0 on the paper, Deflate; set
 * in the same pass as the layers' sums (one read of the page, one
 * luminance per pixel, three rows of luminance kept for the sharpening
 * and the neighbours). (A 1-bit mask at twice the resolution from the
 * interpolated luminance was tried: half as large again, and poppler drew
 * it no closer to the paper's letters.) */
gboolean
relais_pdf_encode_mrc (const RelaisPage        *page,
                       const RelaisPdfAnalysis *analysis,
                       int                      quality,
                       RelaisPdfScratch        *scratch,
                       RelaisPdfMrc            *out,
                       GError                 **error)
{
  g_autoptr(RelaisPdfScratch) own = scratch == NULL ? relais_pdf_scratch_new () : NULL;
  int            width = relais_page_get_width (page);
  int            height = relais_page_get_height (page);
  int            stride = relais_page_get_stride (page);
  int            bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
  const guint8  *data = relais_page_get_data (page);
  gboolean       grey = analysis->neutral || bpp == 1;
  int            ink = analysis->ink;
  /* The paper leaves out the ink and its blurred edge, which would darken
   * it around every letter; the ink's tone is that of its core, not of
   * its edge (which the mask's share already stands for). */
  int            edge = (ink + analysis->paper) / 2;
  int            core = ink * 2 / 3;
  /* Lighter than this is paper: the fast path, most of the page. */
  int            light = analysis->paper - RELAIS_MRC_ALPHA_MARGIN;
  gsize          alpha_stride = ((gsize) width * RELAIS_MRC_ALPHA_BITS + 7) / 8;
  guint8        *alpha;
  guint8         lut[256];
  RelaisMrcLayer background, foreground, foreground_core;
  gboolean       ok = FALSE;

  memset (out, 0, sizeof *out);
  if (scratch == NULL)
    scratch = own;
  alpha = relais_pdf_scratch_buffer (&scratch->buffers.alpha, alpha_stride * (gsize) height);
  relais_mrc_layer_init (&background, width, height, RELAIS_MRC_BACKGROUND_STEP, grey ? 1 : 3, scratch, 0);
  relais_mrc_layer_init (&foreground, width, height, RELAIS_MRC_FOREGROUND_STEP, grey ? 1 : 3, scratch, 1);
  relais_mrc_layer_init (&foreground_core, width, height, RELAIS_MRC_FOREGROUND_STEP, grey ? 1 : 3, scratch, 2);

  /* A pixel's share of ink from its (sharpened) luminance: 0 on the
   * paper, full at the ink's own tone, in proportion between, which is
   * what the viewer mixes back: share × the ink's colour + the rest ×
   * the paper's. */
  {
    int full = (1 << RELAIS_MRC_ALPHA_BITS) - 1;
    int top = RELAIS_MRC_ALPHA_LEVELS - 1;
    int paper = analysis->paper, tone = MIN (analysis->ink_tone, ink - 1);

    for (int v = 0; v < 256; v++)
      {
        int share = v >= light  ? 0
                    : v <= tone ? top
                                : CLAMP (((paper - v) * top + (paper - tone) / 2) / (paper - tone), 0, top);

        lut[v] = (guint8) ((share * full + top / 2) / top);
      }
  }

  /* Two halves, the second offered to another core; split on a row of
   * the ink's cells (a multiple of the paper's too). */
  {
    RelaisMrcBand  shape = { data, width, height, stride, bpp, alpha, alpha_stride, lut, light, ink, edge, core };
    RelaisMrcLayer layers[3] = { background, foreground, foreground_core };
    RelaisMrcBand  halves[2];
    int            middle = height / 2 / RELAIS_MRC_FOREGROUND_STEP * RELAIS_MRC_FOREGROUND_STEP;
    RelaisPdfFork *fork;

    G_STATIC_ASSERT (RELAIS_MRC_FOREGROUND_STEP % RELAIS_MRC_BACKGROUND_STEP == 0);
    if (!relais_mrc_may_fork (scratch))
      middle = height;
    relais_mrc_band_init (&halves[0], &shape, layers, scratch, 0, 0, middle);
    relais_mrc_band_init (&halves[1], &shape, layers, scratch, 1, middle, height);
    fork = middle < height ? relais_pdf_fork (relais_mrc_band_run, &halves[1]) : NULL;
    relais_mrc_band_run (&halves[0], NULL);
    if (fork != NULL)
      relais_pdf_fork_join (fork);
  }
  /* Where a cell has a core of ink, its tone; else that of its edges. */
  for (gsize at = 0; at < (gsize) foreground.width * foreground.height; at++)
    if (foreground_core.known[at])
      memcpy (foreground.plane + at * foreground.channels, foreground_core.plane + at * foreground.channels,
              (size_t) foreground.channels);

  out->grey = grey;
  out->mask_width = width;
  out->mask_height = height;
  out->background_width = background.width;
  out->background_height = background.height;
  out->foreground_width = foreground.width;
  out->foreground_height = foreground.height;
  out->mask_bits = RELAIS_MRC_ALPHA_BITS;
  /* The mask's Deflate (the longer) beside the layers' JPEG when another
   * core may take it. (libdeflate's level 12 makes it 5 % smaller in 7
   * times the time.) */
  {
    RelaisMrcDeflate deflate = { scratch, alpha, alpha_stride * (gsize) height, NULL, NULL };
    RelaisPdfFork   *fork = NULL;

    if (relais_mrc_may_fork (scratch))
      fork = relais_pdf_fork (relais_mrc_deflate_run, &deflate);
    else
      relais_mrc_deflate_run (&deflate, NULL);
    out->background = relais_mrc_layer_encode (&background, (guint8) analysis->paper,
                                               RELAIS_MRC_BACKGROUND_QUALITY (quality), error);
    if (out->background != NULL)
      out->foreground = relais_mrc_layer_encode (&foreground, (guint8) core,
                                                 RELAIS_MRC_FOREGROUND_QUALITY (quality), error);
    if (fork != NULL)
      relais_pdf_fork_join (fork);
    out->mask = g_steal_pointer (&deflate.mask);
    if (out->foreground != NULL && out->mask == NULL)
      g_propagate_error (error, g_steal_pointer (&deflate.error));
    g_clear_error (&deflate.error);
  }
  ok = out->foreground != NULL && out->mask != NULL;
  if (!ok)
    {
      relais_pdf_mrc_clear (out);
      return FALSE;
    }
  g_debug ("MRC: mask %" G_GSIZE_FORMAT " bytes, background %dx%d %" G_GSIZE_FORMAT
           " bytes, ink %dx%d %" G_GSIZE_FORMAT " bytes, %s",
           g_bytes_get_size (out->mask), out->background_width, out->background_height,
           g_bytes_get_size (out->background), out->foreground_width, out->foreground_height,
           g_bytes_get_size (out->foreground), grey ? "grey" : "colour");
  return TRUE;
}

void
relais_pdf_mrc_clear (RelaisPdfMrc *mrc)
{
  g_clear_pointer (&mrc->mask, g_bytes_unref);
  g_clear_pointer (&mrc->background, g_bytes_unref);
  g_clear_pointer (&mrc->foreground, g_bytes_unref);
}

/* ------------------------------------------------------------------------ */

/* How far (of 255) each channel of bare paper may be from the paper's
 * colour: the sensor's noise and the paper's grain stay within it. */
#define RELAIS_FLAT_NOISE 12

/* 16 bytes at once, in the baseline's vector registers (SSE2 on amd64),
 * by GCC's and Clang's vector extensions. */
typedef guint8  RelaisBytes16 __attribute__ ((vector_size (16)));
typedef guint16 RelaisWords16 __attribute__ ((vector_size (32)));

/* A block's row of 16 pixels is 16 bytes (grey) or 48 (RGB): one vector
 * or three, and in RGB the three start at channels 0, 1 (16 = 5 × 3 + 1)
 * and 2: each has its pattern of bounds. */
typedef struct
{
  int           vectors; /* 1 or 3 */
  RelaisBytes16 low[3], high[3];
} RelaisFlatBounds;

static void
relais_flat_bounds_init (RelaisFlatBounds *bounds,
                         int               bpp,
                         const guint8      paper[3])
{
  bounds->vectors = bpp;
  for (int k = 0; k < bpp; k++)
    for (int j = 0; j < 16; j++)
      {
        int c = bpp == 1 ? 0 : (16 * k + j) % 3;

        bounds->low[k][j] = (guint8) MAX (0, paper[c] - RELAIS_FLAT_NOISE);
        bounds->high[k][j] = (guint8) MIN (255, paper[c] + RELAIS_FLAT_NOISE);
      }
}

typedef struct
{
  const RelaisPage *page;
  int               first;    /* the first row in @strip, or -1 */
  guint8           *strip;    /* RELAIS_MRC_BLOCK rows, without padding */
  guint8            paper[3]; /* its colour, grey on a grey page */
  RelaisFlatBounds  bounds;   /* of bare paper, for the whole page */
} RelaisFlatStrip;

/* Whether the block of 16 pixels × @rows at @at is bare paper; if so, the
 * sum of each channel in @sum. */
static gboolean
relais_flat_block_bare (const guint8           *at,
                        gsize                   row_bytes,
                        int                     rows,
                        const RelaisFlatBounds *bounds,
                        guint32                 sum[3])
{
  RelaisWords16 acc[3] = { { 0 } };

  for (int y = 0; y < rows; y++)
    {
      RelaisBytes16 out = { 0 };
      guint64       words[2];

      for (int k = 0; k < bounds->vectors; k++)
        {
          RelaisBytes16 v;

          memcpy (&v, at + (gsize) y * row_bytes + 16 * (gsize) k, sizeof v);
          out |= (RelaisBytes16) ((v < bounds->low[k]) | (v > bounds->high[k]));
          acc[k] += __builtin_convertvector(v, RelaisWords16);
        }
      /* Most blocks with content show it in their first rows. */
      memcpy (words, &out, sizeof words);
      if ((words[0] | words[1]) != 0)
        return FALSE;
    }
  sum[0] = sum[1] = sum[2] = 0;
  for (int k = 0; k < bounds->vectors; k++)
    for (int j = 0; j < 16; j++)
      sum[bounds->vectors == 1 ? 0 : (16 * k + j) % 3] += acc[k][j];
  return TRUE;
}

/* The same, pixel by pixel, for the page's last column of blocks when it
 * is narrower than 16. */
static gboolean
relais_flat_block_bare_narrow (const guint8 *at,
                               gsize         row_bytes,
                               int           w,
                               int           rows,
                               int           bpp,
                               const guint8  paper[3],
                               guint32       sum[3])
{
  sum[0] = sum[1] = sum[2] = 0;
  for (int y = 0; y < rows; y++)
    for (int i = 0; i < w * bpp; i++)
      {
        int v = at[(gsize) y * row_bytes + (gsize) i];

        if (ABS (v - paper[i % bpp]) > RELAIS_FLAT_NOISE)
          return FALSE;
        sum[i % bpp] += (guint32) v;
      }
  return TRUE;
}

/* Copies the 16 rows from @first and makes each block of bare paper in
 * them uniform: every channel of every pixel within the noise of the
 * paper's colour. Anything drawn, printed or photographed in a block
 * leaves it exactly as scanned. (Judged on the luminance and the pixel's
 * chroma before, pixel by pixel: as long as libjpeg's whole encoding of an
 * identity card's page; in vectors of 16 bytes, a quarter of it.) */
static void
relais_flat_strip_fill (RelaisFlatStrip *flat,
                        int              first)
{
  const RelaisPage *page = flat->page;
  int               width = relais_page_get_width (page);
  int               height = relais_page_get_height (page);
  int               stride = relais_page_get_stride (page);
  int               bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
  gsize             row_bytes = (gsize) width * bpp;
  int               rows = MIN (RELAIS_MRC_BLOCK, height - first);

  G_STATIC_ASSERT (RELAIS_MRC_BLOCK == 16);

  for (int y = 0; y < rows; y++)
    memcpy (flat->strip + (gsize) y * row_bytes,
            relais_page_get_data (page) + (gsize) (first + y) * (gsize) stride, row_bytes);
  flat->first = first;

  for (int bx = 0; bx < width; bx += RELAIS_MRC_BLOCK)
    {
      int      w = MIN (RELAIS_MRC_BLOCK, width - bx);
      guint8  *at = flat->strip + (gsize) bx * bpp;
      guint32  sum[3];
      gboolean bare = w == RELAIS_MRC_BLOCK
                          ? relais_flat_block_bare (at, row_bytes, rows, &flat->bounds, sum)
                          : relais_flat_block_bare_narrow (at, row_bytes, w, rows, bpp, flat->paper, sum);

      if (!bare)
        continue;
      /* The block's mean, once, then its rows: one block row made and
       * copied (a division per byte written was half of this function's
       * time, itself more than libjpeg's on a card's page). */
      {
        guint8 mean[RELAIS_MRC_BLOCK * 3];

        for (int x = 0; x < w; x++)
          for (int c = 0; c < bpp; c++)
            mean[x * bpp + c] = (guint8) (sum[c] / (guint32) (w * rows));
        for (int y = 0; y < rows; y++)
          memcpy (at + (gsize) y * row_bytes, mean, (gsize) w * bpp);
      }
    }
}

static const guint8 *
relais_flat_strip_row (int      y,
                       gpointer user_data)
{
  RelaisFlatStrip *flat = user_data;
  gsize            row_bytes = (gsize) relais_page_get_width (flat->page)
                    * (relais_page_get_format (flat->page) == RELAIS_PAGE_RGB ? 3 : 1);

  if (flat->first < 0 || y >= flat->first + RELAIS_MRC_BLOCK)
    relais_flat_strip_fill (flat, y - y % RELAIS_MRC_BLOCK);
  return flat->strip + (gsize) (y - flat->first) * row_bytes;
}

GBytes *
relais_pdf_encode_jpeg_flat (const RelaisPage        *page,
                             const RelaisPdfAnalysis *analysis,
                             int                      quality,
                             GError                 **error)
{
  gboolean           grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  gsize              row_bytes = (gsize) relais_page_get_width (page) * (grey ? 1 : 3);
  g_autofree guint8 *strip = g_malloc (row_bytes * RELAIS_MRC_BLOCK);
  RelaisFlatStrip    flat = { page, -1, strip };

  /* The paper's colour and the bounds of bare paper, once for the page. */
  if (grey)
    memset (flat.paper, analysis->paper, sizeof flat.paper);
  else
    memcpy (flat.paper, analysis->paper_rgb, sizeof flat.paper);
  relais_flat_bounds_init (&flat.bounds, grey ? 1 : 3, flat.paper);

  return relais_pdf_encode_jpeg_rows (relais_page_get_width (page), relais_page_get_height (page), grey,
                                      quality, relais_flat_strip_row, &flat, error);
}

RelaisPage *
relais_pdf_page_luma (const RelaisPage *page)
{
  int           width = relais_page_get_width (page);
  int           height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  guint8       *grey = g_malloc ((gsize) width * (gsize) height);

  g_return_val_if_fail (relais_page_get_format (page) == RELAIS_PAGE_RGB, NULL);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;
      guint8       *out = grey + (gsize) y * (gsize) width;

      for (int x = 0; x < width; x++)
        out[x] = relais_luma (row + 3 * x);
    }
  return relais_pdf_page_take (RELAIS_PAGE_GRAY, width, height, relais_page_get_dpi (page), grey);
}
