/* relais-pdf-encode.c: a page's pixels to the bytes of a PDF image stream:
 * JPEG (libjpeg), Deflate with or without PNG row filters (libdeflate), and
 * 1 bit per pixel for black-and-white pages. */

#include "relais-pdf-private.h"

#include <glib/gi18n-lib.h>
#include <libdeflate.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

typedef struct libdeflate_compressor RelaisLibdeflateCompressor;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisLibdeflateCompressor, libdeflate_free_compressor)

static void
relais_pdf_set_encode_error (GError **error)
{
  g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                       _ ("L'image d'une page n'a pas pu être compressée. Réessayez, ou appelez un médiateur."));
}

static int
relais_pdf_bytes_per_pixel (const RelaisPage *page)
{
  return relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
}

/* ------------------------------------------------------------------------ */
/* JPEG through libjpeg itself: GdkPixbuf only writes RGB, and a grey page
 * stored as one channel is a third of the work and smaller. */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
  char                  message[JMSG_LENGTH_MAX];
} RelaisJpegError;

static void
relais_jpeg_error_exit (j_common_ptr cinfo)
{
  RelaisJpegError *error = (RelaisJpegError *) cinfo->err;

  /* libjpeg's default would exit () the station. */
  (*cinfo->err->format_message) (cinfo, error->message);
  longjmp (error->jump, 1);
}

GBytes *
relais_pdf_encode_jpeg_rows (int              width,
                             int              height,
                             gboolean         grey,
                             int              quality,
                             RelaisPdfRowFunc row_func,
                             gpointer         user_data,
                             GError         **error)
{
  struct jpeg_compress_struct cinfo;
  RelaisJpegError             jerr;
  unsigned char * volatile buffer = NULL;
  volatile unsigned long size = 0;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = relais_jpeg_error_exit;
  jerr.message[0] = '\0';
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_compress (&cinfo);
      free (buffer);
      g_debug ("libjpeg: %s", jerr.message);
      relais_pdf_set_encode_error (error);
      return NULL;
    }

  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, (unsigned char **) &buffer, (unsigned long *) &size);
  cinfo.image_width = (JDIMENSION) width;
  cinfo.image_height = (JDIMENSION) height;
  cinfo.input_components = grey ? 1 : 3;
  cinfo.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  /* Integer DCT: the fast path of libjpeg-turbo, same files as the default. */
  cinfo.dct_method = JDCT_ISLOW;
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) row_func ((int) cinfo.next_scanline, user_data);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  /* Allocated by libjpeg with malloc (). */
  return g_bytes_new_with_free_func (buffer, size, free, buffer);
}

static const guint8 *
relais_pdf_page_row (int      y,
                     gpointer user_data)
{
  const RelaisPage *page = user_data;

  return relais_page_get_data (page) + (gsize) y * (gsize) relais_page_get_stride (page);
}

GBytes *
relais_pdf_encode_jpeg (const RelaisPage *page,
                        int               quality,
                        GError          **error)
{
  return relais_pdf_encode_jpeg_rows (relais_page_get_width (page), relais_page_get_height (page),
                                      relais_page_get_format (page) == RELAIS_PAGE_GRAY, quality,
                                      relais_pdf_page_row, (gpointer) page, error);
}

/* ------------------------------------------------------------------------ */
/* Deflate (libdeflate: whole buffers, which is what a page is). */

GBytes *
relais_pdf_deflate_buffer (const guint8 *data,
                           gsize         size,
                           GError      **error)
{
  return relais_pdf_deflate_buffer_with (NULL, data, size, error);
}

RelaisPdfScratch *
relais_pdf_scratch_new (void)
{
  return g_new0 (RelaisPdfScratch, 1);
}

void
relais_pdf_scratch_free (RelaisPdfScratch *scratch)
{
  RelaisPdfScratchBuffer *buffers;

  if (scratch == NULL)
    return;
  buffers = (RelaisPdfScratchBuffer *) &scratch->buffers;
  for (gsize i = 0; i < sizeof scratch->buffers / sizeof (RelaisPdfScratchBuffer); i++)
    g_free (buffers[i].data);
  g_clear_pointer (&scratch->compressor, libdeflate_free_compressor);
  g_free (scratch);
}

gpointer
relais_pdf_scratch_buffer (RelaisPdfScratchBuffer *buffer,
                           gsize                   size)
{
  if (buffer->size < size)
    {
      /* Not g_realloc (): the old contents are not wanted, only room. */
      g_free (buffer->data);
      buffer->data = g_malloc (size);
      buffer->size = size;
    }
  return buffer->data;
}

GBytes *
relais_pdf_deflate_buffer_with (RelaisPdfScratch *scratch,
                                const guint8     *data,
                                gsize             size,
                                GError          **error)
{
  g_autoptr(RelaisLibdeflateCompressor) own = NULL;
  struct libdeflate_compressor *compressor;
  gsize                         bound, written;
  guint8                       *out;

  if (scratch != NULL && scratch->compressor == NULL)
    scratch->compressor = libdeflate_alloc_compressor (RELAIS_PDF_FLATE_LEVEL);
  compressor = scratch != NULL ? scratch->compressor : (own = libdeflate_alloc_compressor (RELAIS_PDF_FLATE_LEVEL));
  if (compressor == NULL)
    {
      relais_pdf_set_encode_error (error);
      return NULL;
    }
  /* The bound is the input's size and a little more: pages the allocator
   * hands out but nobody touches cost no memory, and the buffer shrinks to
   * what was written. */
  bound = libdeflate_zlib_compress_bound (compressor, size);
  out = g_malloc (bound);
  written = libdeflate_zlib_compress (compressor, data, size, out, bound);
  if (written == 0)
    {
      g_free (out);
      relais_pdf_set_encode_error (error);
      return NULL;
    }
  return g_bytes_new_take (g_realloc (out, written), written);
}

/* PNG's filters (RFC 2083 §6), each row given the one whose output has the
 * smallest sum of absolute values, the heuristic libpng and Pillow use: it
 * turns gradients and repeated rows into runs of small numbers. @prior is
 * the previous row, zeros for the first one; @scratch holds 4 × @n bytes. */
/* Σ|v| over @n filter outputs read as signed bytes: libpng's measure of
 * how well a filter did. */
static guint32
relais_pdf_png_cost (const guint8 * restrict values,
                     gsize n)
{
  guint32 sum = 0;

  for (gsize x = 0; x < n; x++)
    {
      guint8 v = values[x];

      sum += v < 128 ? v : (guint8) (256 - v);
    }
  return sum;
}

/* PNG's filters (RFC 2083 §6), each row given the one whose output has the
 * smallest sum of absolute values, the heuristic libpng and Pillow use: it
 * turns gradients and repeated rows into runs of small numbers. @prior is
 * the previous row, zeros for the first one; @scratch holds 4 × @n bytes.
 *
 * Each filter is its own loop over plain arrays, in 16-bit arithmetic, so
 * that the compiler turns every one into vector instructions (this file is
 * built with -O3): 4 ms for a 300 dpi page where the one-loop version took
 * 30. */
static void
relais_pdf_png_filter_row (const guint8 * restrict row,
                           const guint8 * restrict prior,
                           gsize n,
                           gsize bpp,
                           guint8 * restrict out,
                           guint8 * restrict scratch)
{
  guint8 * restrict sub = scratch;
  guint8 * restrict up = scratch + n;
  guint8 * restrict average = scratch + 2 * n;
  guint8 * restrict paeth = scratch + 3 * n;
  guint32 cost[5];
  int     best = 0;
  gsize   x;

  for (x = 0; x < n; x++)
    up[x] = (guint8) (row[x] - prior[x]);
  /* The first pixel has nothing on its left: Sub keeps it, Paeth is Up. */
  for (x = 0; x < bpp && x < n; x++)
    {
      sub[x] = row[x];
      average[x] = (guint8) (row[x] - (prior[x] >> 1));
      paeth[x] = up[x];
    }
  for (x = bpp; x < n; x++)
    {
      sub[x] = (guint8) (row[x] - row[x - bpp]);
      average[x] = (guint8) (row[x] - ((row[x - bpp] + prior[x]) >> 1));
    }
  for (x = bpp; x < n; x++)
    {
      gint16 a = row[x - bpp], b = prior[x], c = prior[x - bpp];
      gint16 p = (gint16) (b - c), q = (gint16) (a - c), pq = (gint16) (p + q);
      gint16 pa = p < 0 ? (gint16) -p : p;
      gint16 pb = q < 0 ? (gint16) -q : q;
      gint16 pc = pq < 0 ? (gint16) -pq : pq;
      gint16 b_or_c = pb <= pc ? b : c;
      gint16 predictor = ((pa <= pb) & (pa <= pc)) ? a : b_or_c;

      paeth[x] = (guint8) (row[x] - predictor);
    }

  cost[0] = relais_pdf_png_cost (row, n);
  for (int f = 1; f < 5; f++)
    cost[f] = relais_pdf_png_cost (scratch + (gsize) (f - 1) * n, n);
  for (int f = 1; f < 5; f++)
    if (cost[f] < cost[best])
      best = f;
  out[0] = (guint8) best;
  memcpy (out + 1, best == 0 ? row : scratch + (gsize) (best - 1) * n, n);
}

GBytes *
relais_pdf_encode_flate (const RelaisPage *page,
                         gboolean          png_filters,
                         GError          **error)
{
  int                bpp = relais_pdf_bytes_per_pixel (page);
  int                height = relais_page_get_height (page);
  int                stride = relais_page_get_stride (page);
  const guint8      *data = relais_page_get_data (page);
  gsize              n = (gsize) relais_page_get_width (page) * (gsize) bpp;
  g_autofree guint8 *rows = NULL;
  g_autofree guint8 *scratch = NULL;
  g_autofree guint8 *zeros = NULL;

  if (!png_filters)
    {
      /* Rows as they are: straight from the page when it has no padding. */
      if ((gsize) stride == n)
        return relais_pdf_deflate_buffer (data, n * (gsize) height, error);
      rows = g_malloc (n * (gsize) height);
      for (int y = 0; y < height; y++)
        memcpy (rows + (gsize) y * n, data + (gsize) y * (gsize) stride, n);
      return relais_pdf_deflate_buffer (rows, n * (gsize) height, error);
    }

  rows = g_malloc ((n + 1) * (gsize) height);
  scratch = g_malloc (4 * n);
  zeros = g_malloc0 (n);
  for (int y = 0; y < height; y++)
    relais_pdf_png_filter_row (data + (gsize) y * (gsize) stride,
                               y > 0 ? data + (gsize) (y - 1) * (gsize) stride : zeros,
                               n, (gsize) bpp, rows + (gsize) y * (n + 1), scratch);
  return relais_pdf_deflate_buffer (rows, (n + 1) * (gsize) height, error);
}

GBytes *
relais_pdf_encode_bilevel (const RelaisPage *page,
                           GError          **error)
{
  int                bpp = relais_pdf_bytes_per_pixel (page);
  int                width = relais_page_get_width (page);
  int                height = relais_page_get_height (page);
  int                stride = relais_page_get_stride (page);
  const guint8      *data = relais_page_get_data (page);
  gsize              packed_stride = ((gsize) width + 7) / 8;
  g_autofree guint8 *packed = g_malloc0 (packed_stride * (gsize) height);

  for (int y = 0; y < height; y++)
    {
      const guint8 *in = data + (gsize) y * (gsize) stride;
      guint8       *out = packed + (gsize) y * packed_stride;

      for (int x = 0; x < width; x++)
        if (in[(gsize) x * bpp] >= 128)
          out[x >> 3] |= (guint8) (0x80 >> (x & 7));
    }
  return relais_pdf_deflate_buffer (packed, packed_stride * (gsize) height, error);
}

RelaisPage *
relais_pdf_page_as_grey (const RelaisPage *page,
                         int               tolerance)
{
  int           width = relais_page_get_width (page);
  int           height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  guint8       *grey;

  if (relais_page_get_format (page) != RELAIS_PAGE_RGB)
    return NULL;
  /* Colour scans of coloured paper stop at the first colour pixel. */
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;

      for (int x = 0; x < width; x++)
        {
          int r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];

          if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > tolerance)
            return NULL;
        }
    }

  grey = g_malloc ((gsize) width * (gsize) height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * (gsize) stride;
      guint8       *out = grey + (gsize) y * (gsize) width;

      if (tolerance == 0)
        for (int x = 0; x < width; x++)
          out[x] = row[3 * x];
      else
        for (int x = 0; x < width; x++)
          out[x] = (guint8) ((row[3 * x] + row[3 * x + 1] + row[3 * x + 2] + 1) / 3);
    }
  return relais_page_new (RELAIS_PAGE_GRAY, width, height, width, relais_page_get_dpi (page),
                          g_bytes_new_take (grey, (gsize) width * (gsize) height));
}

/* ------------------------------------------------------------------------ */
/* Choosing the encoding, on samples of the page.
 *
 * JPEG or lossless: bands of rows spread over the whole page, one in
 * RELAIS_PDF_SAMPLE_EVERY, each RELAIS_PDF_SAMPLE_BAND rows high so that
 * what repeats from row to row (stripes, flat areas) shows, each encoded
 * the three ways. A scan's sensor noise makes Deflate lose; a drawing, a
 * form or a test pattern makes JPEG lose (and smudge it).
 *
 * Lossless with or without PNG's filters: a few taller blocks, because
 * which one wins depends on how rows repeat over a longer stretch, which
 * thin bands cut up (measured on the test backend's patterns at 150 to
 * 600 dpi: thin bands chose wrong, three blocks of 128 rows chose right). */
#define RELAIS_PDF_SAMPLE_BAND   16
#define RELAIS_PDF_SAMPLE_EVERY  8
#define RELAIS_PDF_SAMPLE_BLOCK  128
#define RELAIS_PDF_SAMPLE_BLOCKS 3

static void
relais_pdf_sample_rows (GByteArray       *sample,
                        const RelaisPage *page,
                        int               first,
                        int               n_rows)
{
  gsize         row_bytes = (gsize) relais_page_get_width (page) * relais_pdf_bytes_per_pixel (page);
  int           stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);

  for (int y = first; y < first + n_rows; y++)
    g_byte_array_append (sample, data + (gsize) y * (gsize) stride, (guint) row_bytes);
}

static RelaisPage *
relais_pdf_sample_page (const RelaisPage *page,
                        GByteArray       *sample)
{
  int row_bytes = relais_page_get_width (page) * relais_pdf_bytes_per_pixel (page);
  int rows = (int) (sample->len / (guint) row_bytes);
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (sample);

  return relais_page_new (relais_page_get_format (page), relais_page_get_width (page), rows,
                          row_bytes, relais_page_get_dpi (page), bytes);
}

static gsize
relais_pdf_encoded_size (GBytes *encoded)
{
  return encoded != NULL ? g_bytes_get_size (encoded) : G_MAXSIZE;
}

RelaisPdfEncoding
relais_pdf_choose_encoding (const RelaisPage *page,
                            int               quality)
{
  int         height = relais_page_get_height (page);
  GByteArray *bands = g_byte_array_new ();
  GByteArray *blocks = g_byte_array_new ();
  g_autoptr(RelaisPage) bands_page = NULL;
  g_autoptr(RelaisPage) blocks_page = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) flate = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) block_flate = NULL;
  g_autoptr(GBytes) block_png = NULL;

  for (int y = 0; y < height; y += RELAIS_PDF_SAMPLE_BAND * RELAIS_PDF_SAMPLE_EVERY)
    relais_pdf_sample_rows (bands, page, y, MIN (RELAIS_PDF_SAMPLE_BAND, height - y));
  bands_page = relais_pdf_sample_page (page, bands);
  jpeg = relais_pdf_encode_jpeg (bands_page, quality, NULL);
  flate = relais_pdf_encode_flate (bands_page, FALSE, NULL);
  /* PNG's filters only matter here if they could beat JPEG where plain
   * Deflate does not (a gradient, a chart). */
  if (relais_pdf_encoded_size (jpeg) <= relais_pdf_encoded_size (flate))
    png = relais_pdf_encode_flate (bands_page, TRUE, NULL);
  g_debug ("sample of %d rows in bands: JPEG %" G_GSIZE_FORMAT " bytes, Deflate %" G_GSIZE_FORMAT
           ", with PNG filters %" G_GSIZE_FORMAT,
           relais_page_get_height (bands_page),
           relais_pdf_encoded_size (jpeg), relais_pdf_encoded_size (flate), relais_pdf_encoded_size (png));
  if (relais_pdf_encoded_size (jpeg) <= MIN (relais_pdf_encoded_size (flate), relais_pdf_encoded_size (png)))
    return RELAIS_PDF_ENCODING_JPEG;

  /* Blocks centred at 1/6, 3/6 and 5/6 of the page; a short page whole. */
  if (height <= RELAIS_PDF_SAMPLE_BLOCK * RELAIS_PDF_SAMPLE_BLOCKS)
    relais_pdf_sample_rows (blocks, page, 0, height);
  else
    for (int k = 0; k < RELAIS_PDF_SAMPLE_BLOCKS; k++)
      {
        int centre = (int) ((2 * k + 1) * (gint64) height / (2 * RELAIS_PDF_SAMPLE_BLOCKS));

        relais_pdf_sample_rows (blocks, page, CLAMP (centre - RELAIS_PDF_SAMPLE_BLOCK / 2, 0, height - RELAIS_PDF_SAMPLE_BLOCK),
                                RELAIS_PDF_SAMPLE_BLOCK);
      }
  blocks_page = relais_pdf_sample_page (page, blocks);
  block_flate = relais_pdf_encode_flate (blocks_page, FALSE, NULL);
  block_png = relais_pdf_encode_flate (blocks_page, TRUE, NULL);
  g_debug ("sample of %d rows in blocks: Deflate %" G_GSIZE_FORMAT " bytes, with PNG filters %" G_GSIZE_FORMAT,
           relais_page_get_height (blocks_page), relais_pdf_encoded_size (block_flate),
           relais_pdf_encoded_size (block_png));
  return relais_pdf_encoded_size (block_png) < relais_pdf_encoded_size (block_flate)
             ? RELAIS_PDF_ENCODING_FLATE_PNG
             : RELAIS_PDF_ENCODING_FLATE;
}
