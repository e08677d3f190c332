/* relais-pdf.c: scanned pages to an A4 PDF: photos as JPEG, text 1-bit, flat pages lossless. */
#define G_LOG_DOMAIN "relais-drivers"

#include "relais-pdf.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

/* A4 in PostScript points (1/72 inch). */
#define RELAIS_PDF_A4_WIDTH   595.276
#define RELAIS_PDF_A4_HEIGHT  841.890
/* Printers cannot print to the edge: a page bigger than the sheet minus
 * this margin all round is scaled down to fit inside it. */
#define RELAIS_PDF_MARGIN     (5.0 / 25.4 * 72.0)
#define RELAIS_PDF_DEFAULT_QUALITY 85
/* The PDF grows in memory: stop well before that hurts the station. */
#define RELAIS_PDF_MAX_BYTES  ((guint) 1024 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

G_DEFINE_QUARK (relais-pdf-error-quark, relais_pdf_error)

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

static GBytes *
relais_pdf_encode_jpeg (const RelaisPage  *page,
                        int                quality,
                        GError           **error)
{
  struct jpeg_compress_struct cinfo;
  RelaisJpegError jerr;
  unsigned char *volatile buffer = NULL;
  volatile unsigned long size = 0;
  const guint8 *data = relais_page_get_data (page);
  int stride = relais_page_get_stride (page);
  gboolean grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;

  memset (&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error (&jerr.pub);
  jerr.pub.error_exit = relais_jpeg_error_exit;
  jerr.message[0] = '\0';
  if (setjmp (jerr.jump))
    {
      jpeg_destroy_compress (&cinfo);
      free (buffer);
      g_debug ("libjpeg: %s", jerr.message);
      g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                           _("L'image d'une page n'a pas pu être compressée. Réessayez, ou appelez un médiateur."));
      return NULL;
    }

  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, (unsigned char **) &buffer, (unsigned long *) &size);
  cinfo.image_width = (JDIMENSION) relais_page_get_width (page);
  cinfo.image_height = (JDIMENSION) relais_page_get_height (page);
  cinfo.input_components = grey ? 1 : 3;
  cinfo.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, quality, TRUE);
  /* Integer DCT: the fast path of libjpeg-turbo, same files as the default. */
  cinfo.dct_method = JDCT_ISLOW;
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW row = (JSAMPROW) (data + (gsize) cinfo.next_scanline * (gsize) stride);

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  /* Allocated by libjpeg with malloc (). */
  return g_bytes_new_with_free_func (buffer, size, free, buffer);
}

/* ------------------------------------------------------------------------ */
/* Choosing the encoding. */

/* The choice between JPEG and lossless Flate is made on a sample of the
 * page, both ways: bands of rows, one in RELAIS_PDF_SAMPLE_EVERY, each
 * RELAIS_PDF_SAMPLE_BAND rows high so that what repeats from row to row
 * (stripes, flat areas) shows. A scan's sensor noise makes Flate lose; a
 * drawing, a form or a test pattern makes JPEG lose (and smudge it). */
#define RELAIS_PDF_SAMPLE_BAND 16
#define RELAIS_PDF_SAMPLE_EVERY 8

static gsize
relais_pdf_deflate_size (const guint8 *data,
                         gsize         size)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 1);
  guint8 out[64 * 1024];
  gsize total = 0;
  gsize offset = 0;

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (compressor), data + offset, size - offset,
                                    out, sizeof out, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, NULL);
      offset += read;
      total += written;
      if (result == G_CONVERTER_FINISHED || result == G_CONVERTER_ERROR)
        return total;
    }
}

/* TRUE when lossless Flate is expected to be smaller than JPEG at @quality. */
static gboolean
relais_pdf_prefers_lossless (const RelaisPage *page,
                             int               quality)
{
  int bpp = relais_page_get_format (page) == RELAIS_PAGE_RGB ? 3 : 1;
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  int stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  gsize row_bytes = (gsize) width * bpp;
  g_autoptr(GByteArray) sample = g_byte_array_new ();
  g_autoptr(GBytes) sample_bytes = NULL;
  g_autoptr(RelaisPage) sample_page = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  gsize flate;
  int rows = 0;

  for (int y = 0; y < height; y++)
    if ((y / RELAIS_PDF_SAMPLE_BAND) % RELAIS_PDF_SAMPLE_EVERY == 0)
      {
        g_byte_array_append (sample, data + (gsize) y * stride, row_bytes);
        rows++;
      }
  flate = relais_pdf_deflate_size (sample->data, sample->len);
  sample_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&sample));
  sample_page = relais_page_new (relais_page_get_format (page), width, rows, (int) row_bytes,
                                 relais_page_get_dpi (page), sample_bytes);
  jpeg = relais_pdf_encode_jpeg (sample_page, quality, NULL);
  g_debug ("sample of %d rows: Flate %" G_GSIZE_FORMAT " bytes, JPEG %" G_GSIZE_FORMAT,
           rows, flate, jpeg != NULL ? g_bytes_get_size (jpeg) : 0);
  return jpeg != NULL && flate < g_bytes_get_size (jpeg);
}

struct _RelaisPdfImage
{
  RelaisPdfImageKind  kind;
  int                 width;      /* pixels */
  int                 height;
  int                 dpi;
  gsize               encoded;    /* JPEG bytes, or 0 */
  /* Owned */
  cairo_surface_t    *surface;    /* RGB24; its pixels are filled in only
                                   * when cairo must compress them itself */
};

void
relais_pdf_image_free (RelaisPdfImage *image)
{
  if (image == NULL)
    return;
  g_clear_pointer (&image->surface, cairo_surface_destroy);
  g_free (image);
}

RelaisPdfImageKind
relais_pdf_image_get_kind (const RelaisPdfImage *image)
{
  g_return_val_if_fail (image != NULL, 0);

  return image->kind;
}

static void
relais_pdf_fill_surface (cairo_surface_t  *surface,
                         const RelaisPage *page)
{
  const guint8 *pixels = relais_page_get_data (page);
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  int stride = relais_page_get_stride (page);
  gboolean grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  guint8 *data;
  int data_stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  data_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = pixels + (gsize) y * (gsize) stride;
      guint32 *out = (guint32 *) (gpointer) (data + (gsize) y * (gsize) data_stride);

      /* CAIRO_FORMAT_RGB24: one native-endian 32-bit word, x R G B. cairo
       * looks at the pixels when it writes them: all grey gives a
       * one-channel image, all black-or-white a 1-bit one. */
      if (grey)
        for (int x = 0; x < width; x++)
          out[x] = (guint32) in[x] << 16 | (guint32) in[x] << 8 | in[x];
      else
        for (int x = 0; x < width; x++)
          out[x] = (guint32) in[3 * x] << 16 | (guint32) in[3 * x + 1] << 8 | in[3 * x + 2];
    }
  cairo_surface_mark_dirty (surface);
}

/**
 * relais_pdf_image_new:
 * @jpeg_quality: 1..100, or 0 for the default (85)
 *
 * Returns: (transfer full): the page ready for relais_pdf_writer_add_image (),
 *   or %NULL with @error set.
 */
RelaisPdfImage *
relais_pdf_image_new (const RelaisPage  *page,
                      int                jpeg_quality,
                      GError           **error)
{
  g_autoptr(RelaisPdfImage) image = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  cairo_status_t status;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  image = g_new0 (RelaisPdfImage, 1);
  image->width = relais_page_get_width (page);
  image->height = relais_page_get_height (page);
  image->dpi = relais_page_get_dpi (page);

  if (jpeg_quality == 0)
    jpeg_quality = RELAIS_PDF_DEFAULT_QUALITY;
  if (relais_page_is_bilevel (page))
    image->kind = RELAIS_PDF_IMAGE_BILEVEL;
  else if (relais_pdf_prefers_lossless (page, jpeg_quality))
    image->kind = RELAIS_PDF_IMAGE_LOSSLESS;
  else
    image->kind = RELAIS_PDF_IMAGE_JPEG;

  if (image->kind == RELAIS_PDF_IMAGE_JPEG)
    {
      jpeg = relais_pdf_encode_jpeg (page, jpeg_quality, error);
      if (jpeg == NULL)
        return NULL;
      image->encoded = g_bytes_get_size (jpeg);
    }

  /* A JPEG page's surface is never read (the PDF takes the JPEG as is):
   * its pixels stay the untouched zero pages the allocator gave, which
   * costs neither time nor memory. */
  image->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, image->width, image->height);
  status = cairo_surface_status (image->surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_debug ("cairo image %dx%d: %s", image->width, image->height, cairo_status_to_string (status));
      g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                           _("Une page est trop grande pour être mise dans le document."));
      return NULL;
    }

  if (jpeg == NULL)
    relais_pdf_fill_surface (image->surface, page);
  else
    {
      status = cairo_surface_set_mime_data (image->surface, CAIRO_MIME_TYPE_JPEG,
                                            g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                            (cairo_destroy_func_t) g_bytes_unref, g_bytes_ref (jpeg));
      if (status != CAIRO_STATUS_SUCCESS)
        {
          /* cairo calls the destroy function only once it has taken the data. */
          g_bytes_unref (jpeg);
          g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                       _("L'image d'une page n'a pas pu être préparée : %s"),
                       cairo_status_to_string (status));
          return NULL;
        }
    }

  return g_steal_pointer (&image);
}

static gboolean
relais_pdf_draw_image (cairo_t         *cr,
                       RelaisPdfImage  *image,
                       guint            number,
                       GError         **error)
{
  double width_pt = image->width * 72.0 / image->dpi;
  double height_pt = image->height * 72.0 / image->dpi;
  double scale;
  cairo_status_t status;

  /* Real size, unless that does not fit the sheet: never enlarged. */
  scale = MIN (1.0, MIN ((RELAIS_PDF_A4_WIDTH - 2 * RELAIS_PDF_MARGIN) / width_pt,
                         (RELAIS_PDF_A4_HEIGHT - 2 * RELAIS_PDF_MARGIN) / height_pt));
  width_pt *= scale;
  height_pt *= scale;

  cairo_save (cr);
  cairo_translate (cr, (RELAIS_PDF_A4_WIDTH - width_pt) / 2, (RELAIS_PDF_A4_HEIGHT - height_pt) / 2);
  cairo_scale (cr, width_pt / image->width, height_pt / image->height);
  cairo_set_source_surface (cr, image->surface, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_show_page (cr);

  status = cairo_status (cr);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELAIS_PDF_ERROR,
                   status == CAIRO_STATUS_WRITE_ERROR ? RELAIS_PDF_ERROR_WRITE : RELAIS_PDF_ERROR_ENCODE,
                   _("La page %u n'a pas pu être ajoutée au document : %s"),
                   number, cairo_status_to_string (status));
      return FALSE;
    }

  g_debug ("PDF page %u: %dx%d pixels at %d dpi, kind %d, JPEG %" G_GSIZE_FORMAT " bytes, scale %.3f",
           number, image->width, image->height, image->dpi, image->kind, image->encoded, scale);
  return TRUE;
}

static cairo_status_t
relais_pdf_write_cb (void                *closure,
                     const unsigned char *data,
                     unsigned int         length)
{
  GByteArray *array = closure;

  if (length > RELAIS_PDF_MAX_BYTES - array->len)
    {
      g_debug ("PDF would pass %u bytes: stopped", RELAIS_PDF_MAX_BYTES);
      return CAIRO_STATUS_WRITE_ERROR;
    }
  g_byte_array_append (array, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* The incremental writer. */

struct _RelaisPdfWriter
{
  guint            n_pages;
  gboolean         finished;
  /* Owned */
  GByteArray      *array;
  cairo_surface_t *surface;
  cairo_t         *cr;
};

RelaisPdfWriter *
relais_pdf_writer_new (void)
{
  RelaisPdfWriter *writer = g_new0 (RelaisPdfWriter, 1);

  writer->array = g_byte_array_new ();
  writer->surface = cairo_pdf_surface_create_for_stream (relais_pdf_write_cb, writer->array,
                                                         RELAIS_PDF_A4_WIDTH, RELAIS_PDF_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  writer->cr = cairo_create (writer->surface);
  return writer;
}

void
relais_pdf_writer_free (RelaisPdfWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_pointer (&writer->cr, cairo_destroy);
  g_clear_pointer (&writer->surface, cairo_surface_destroy);
  g_clear_pointer (&writer->array, g_byte_array_unref);
  g_free (writer);
}

guint
relais_pdf_writer_get_n_pages (RelaisPdfWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);

  return writer->n_pages;
}

gboolean
relais_pdf_writer_add_image (RelaisPdfWriter  *writer,
                             RelaisPdfImage   *image,
                             GError          **error)
{
  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!relais_pdf_draw_image (writer->cr, image, writer->n_pages + 1, error))
    return FALSE;
  writer->n_pages++;
  return TRUE;
}

gboolean
relais_pdf_writer_add_page (RelaisPdfWriter  *writer,
                            const RelaisPage *page,
                            int               jpeg_quality,
                            GError          **error)
{
  g_autoptr(RelaisPdfImage) image = NULL;

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  image = relais_pdf_image_new (page, jpeg_quality, error);
  return image != NULL && relais_pdf_writer_add_image (writer, image, error);
}

GBytes *
relais_pdf_writer_finish (RelaisPdfWriter  *writer,
                          GError          **error)
{
  cairo_status_t status;

  g_return_val_if_fail (writer != NULL && !writer->finished, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  writer->finished = TRUE;
  if (writer->n_pages == 0)
    {
      g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_NO_PAGES,
                           _("Il n'y a aucune page à mettre dans le document."));
      return NULL;
    }

  g_clear_pointer (&writer->cr, cairo_destroy);
  /* Finishing writes the trailer: only now are write errors all known. */
  cairo_surface_finish (writer->surface);
  status = cairo_surface_status (writer->surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELAIS_PDF_ERROR,
                   status == CAIRO_STATUS_WRITE_ERROR ? RELAIS_PDF_ERROR_WRITE : RELAIS_PDF_ERROR_ENCODE,
                   _("Le document PDF n'a pas pu être écrit : %s"),
                   cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&writer->array));
}

/* For use inside g_return_val_if_fail () only. */
static gboolean
relais_pdf_pages_are_valid (GPtrArray *pages)
{
  for (guint i = 0; i < pages->len; i++)
    if (g_ptr_array_index (pages, i) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * relais_pdf_write_bytes:
 * @pages: (element-type RelaisPage): the pages, in order
 * @jpeg_quality: 1..100, or 0 for the default (85)
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set.
 */
GBytes *
relais_pdf_write_bytes (GPtrArray  *pages,
                        int         jpeg_quality,
                        GError    **error)
{
  g_autoptr(RelaisPdfWriter) writer = NULL;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (relais_pdf_pages_are_valid (pages), NULL);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  writer = relais_pdf_writer_new ();
  for (guint i = 0; i < pages->len; i++)
    if (!relais_pdf_writer_add_page (writer, g_ptr_array_index (pages, i), jpeg_quality, error))
      {
        g_prefix_error (error, _("Page %u : "), i + 1);
        return NULL;
      }

  return relais_pdf_writer_finish (writer, error);
}

/* A text page shrunk by averaging turns grey at the edges of letters: put
 * it back to black and white so it stays 1 bit per pixel. */
static RelaisPage *
relais_pdf_scale_page (RelaisPage *page,
                       int         dpi)
{
  g_autoptr(RelaisPage) scaled = relais_page_scale_to_dpi (page, dpi);
  gboolean rgb = relais_page_get_format (scaled) == RELAIS_PAGE_RGB;
  int width, height, stride;
  const guint8 *in;
  guint8 *out;
  g_autoptr(GBytes) bytes = NULL;

  if (scaled == page || !relais_page_is_bilevel (page))
    return g_steal_pointer (&scaled);

  width = relais_page_get_width (scaled);
  height = relais_page_get_height (scaled);
  stride = relais_page_get_stride (scaled);
  in = relais_page_get_data (scaled);
  out = g_malloc ((gsize) width * (gsize) height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      out[(gsize) y * width + x] = in[(gsize) y * stride + (rgb ? 3 * x : x)] < 128 ? 0 : 255;
  bytes = g_bytes_new_take (out, (gsize) width * (gsize) height);
  return relais_page_new (RELAIS_PAGE_GRAY, width, height, width, dpi, bytes);
}

/**
 * relais_pdf_write_bytes_capped:
 *
 * Tries settings from the best down, each a resolution and a JPEG quality,
 * and keeps the first PDF that fits: a website refuses the file whole, so
 * the resident gets the best one it will accept.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set.
 */
GBytes *
relais_pdf_write_bytes_capped (GPtrArray   *pages,
                               gsize        max_bytes,
                               int         *out_dpi,
                               int         *out_quality,
                               GError     **error)
{
  static const struct { int dpi; int quality; } steps[] = {
    { 300, 85 }, { 200, 80 }, { 150, 75 }, { 150, 60 }, { 150, 45 },
    { 100, 50 }, { 100, 35 }, { 75, 30 },
  };
  gsize smallest = G_MAXSIZE;
  int max_dpi = 0;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (relais_pdf_pages_are_valid (pages), NULL);
  g_return_val_if_fail (max_bytes > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < pages->len; i++)
    max_dpi = MAX (max_dpi, relais_page_get_dpi (g_ptr_array_index (pages, i)));

  for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(RelaisPdfWriter) writer = NULL;
      g_autoptr(GBytes) pdf = NULL;

      /* Steps above the scan's own resolution would all be the same file. */
      if (steps[s].dpi > max_dpi && s + 1 < G_N_ELEMENTS (steps) && steps[s + 1].dpi >= max_dpi)
        continue;

      writer = relais_pdf_writer_new ();
      for (guint i = 0; i < pages->len; i++)
        {
          g_autoptr(RelaisPage) scaled = relais_pdf_scale_page (g_ptr_array_index (pages, i), steps[s].dpi);

          if (!relais_pdf_writer_add_page (writer, scaled, steps[s].quality, error))
            return NULL;
        }
      pdf = relais_pdf_writer_finish (writer, error);
      if (pdf == NULL)
        return NULL;

      g_debug ("capped PDF at %d dpi, quality %d: %" G_GSIZE_FORMAT " bytes (cap %" G_GSIZE_FORMAT ")",
               steps[s].dpi, steps[s].quality, g_bytes_get_size (pdf), max_bytes);
      smallest = MIN (smallest, g_bytes_get_size (pdf));
      if (g_bytes_get_size (pdf) <= max_bytes)
        {
          if (out_dpi != NULL)
            *out_dpi = MIN (steps[s].dpi, max_dpi);
          if (out_quality != NULL)
            *out_quality = steps[s].quality;
          return g_steal_pointer (&pdf);
        }
    }

  {
    g_autofree char *cap = relais_pdf_format_size (max_bytes);
    g_autofree char *best = relais_pdf_format_size (smallest);

    g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_TOO_LARGE,
                 _("Le document ne tient pas dans %s (au mieux %s). Enlevez des pages, "
                   "ou envoyez-le en plusieurs fois."), cap, best);
  }
  return NULL;
}

char *
relais_pdf_format_size (guint64 bytes)
{
  /* Decimal units, as websites state their limits ("2 Mo"). */
  if (bytes < 1000 * 1000)
    return g_strdup_printf (_("%u ko"), (guint) MAX (1, (bytes + 999) / 1000));
  {
    /* One decimal, with a comma whatever the locale: "1,4 Mo", "2 Mo". */
    guint64 tenths = (bytes + 50000) / 100000;

    if (tenths % 10 == 0)
      return g_strdup_printf (_("%u Mo"), (guint) (tenths / 10));
    return g_strdup_printf (_("%u,%u Mo"), (guint) (tenths / 10), (guint) (tenths % 10));
  }
}

/**
 * relais_pdf_write_file:
 *
 * Writes the PDF atomically (a temporary file renamed into place), readable
 * by its owner only: it holds a resident's papers. On error nothing is left
 * at @path.
 */
gboolean
relais_pdf_write_file (GPtrArray   *pages,
                       const char  *path,
                       int          jpeg_quality,
                       GError     **error)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (pages != NULL, FALSE);
  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pdf = relais_pdf_write_bytes (pages, jpeg_quality, error);
  if (pdf == NULL)
    return FALSE;

  if (!g_file_set_contents_full (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE,
                   _("Le document n'a pas pu être enregistré (%s). Vérifiez qu'il reste "
                     "de la place, ou appelez un médiateur."),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}
