/* relais-pdf.c: scanned pages to an A4 PDF: photos and cards as JPEG,
 * papers of text as mixed raster content, "Texte" scans 1 bit per pixel,
 * flat pages lossless.
 *
 * A document of image pages is a small, fixed structure (a catalogue, a
 * page tree, and per page its dictionary, a one-line drawing and the image),
 * so it is written here directly, the way img2pdf does, rather than through
 * cairo: cairo would compress each lossless image again itself, with zlib,
 * in the one thread that draws. Here the pages are encoded by a pool of
 * threads while the scanner reads the next ones, each by libdeflate or
 * libjpeg, and the writer only lays the finished streams out in order. */

#include "relais-pdf-private.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gprintf.h>
#include <string.h>

/* A4 in PostScript points (1/72 inch). */
#define RELAIS_PDF_A4_WIDTH  595.276
#define RELAIS_PDF_A4_HEIGHT 841.890
/* Printers cannot print to the edge: a page bigger than the sheet minus
 * this margin all round is scaled down to fit inside it. */
#define RELAIS_PDF_MARGIN          (5.0 / 25.4 * 72.0)
#define RELAIS_PDF_DEFAULT_QUALITY 85
/* Photos and identity cards scanned on paper, when no quality is asked:
 * the sensor's noise is finer than what 85 keeps over 75 (0.2 dB on a
 * noisy card, for a file half as large again), and 75 is what scanimage
 * and most scanning programs write. */
#define RELAIS_PDF_PICTURE_QUALITY 75
/* How far apart (of 255) a pixel's channels may be on a page still taken
 * for black and white when it goes as JPEG: a scanner's noise, not ink. */
#define RELAIS_PDF_NEAR_GREY 8
/* The PDF grows in memory: stop well before that hurts the station. */
#define RELAIS_PDF_MAX_BYTES ((gsize) 1024 * 1024 * 1024)

G_DEFINE_QUARK (relais-pdf-error-quark, relais_pdf_error);

/* ------------------------------------------------------------------------ */
/* One page's image. */

struct _RelaisPdfImage {
  RelaisPdfImageKind kind;
  int                width; /* pixels */
  int                height;
  int                dpi;
  gboolean           grey; /* one component */
  gboolean           png_filters;
  /* Owned */
  GBytes            *stream; /* the image XObject's encoded data; NULL for MRC */
  RelaisPdfMrc       mrc;    /* RELAIS_PDF_IMAGE_MRC only */
};

void
relais_pdf_image_free (RelaisPdfImage *image)
{
  if (image == NULL)
    return;
  g_clear_pointer (&image->stream, g_bytes_unref);
  relais_pdf_mrc_clear (&image->mrc);
  g_free (image);
}

RelaisPdfImageKind
relais_pdf_image_get_kind (const RelaisPdfImage *image)
{
  g_return_val_if_fail (image != NULL, 0);

  return image->kind;
}

/**
 * relais_pdf_image_new:
 * @jpeg_quality: 1..100, or 0 for the default (85)
 *
 * Returns: (transfer full): the page ready for relais_pdf_writer_add_image (),
 *   or %NULL with @error set.
 */
RelaisPdfImage *
relais_pdf_image_new (const RelaisPage *page,
                      int               jpeg_quality,
                      GError          **error)
{
  return relais_pdf_image_new_with (page, jpeg_quality, NULL, error);
}

RelaisPdfImage *
relais_pdf_image_new_with (const RelaisPage *page,
                           int               jpeg_quality,
                           RelaisPdfScratch *scratch,
                           GError          **error)
{
  g_autoptr(RelaisPdfImage) image = NULL;
  g_autoptr(RelaisPage) grey = NULL;
  RelaisPdfAnalysis analysis;
  int               picture_quality;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  picture_quality = jpeg_quality == 0 ? RELAIS_PDF_PICTURE_QUALITY : jpeg_quality;
  if (jpeg_quality == 0)
    jpeg_quality = RELAIS_PDF_DEFAULT_QUALITY;

  image = g_new0 (RelaisPdfImage, 1);
  image->width = relais_page_get_width (page);
  image->height = relais_page_get_height (page);
  image->dpi = relais_page_get_dpi (page);

  /* A black-and-white letter scanned in colour is stored as grey: a third
   * of the data, whatever the encoding. */
  grey = relais_pdf_page_as_grey (page, 0);
  if (grey != NULL)
    page = grey;
  image->grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;

  if (relais_page_is_bilevel (page))
    {
      image->kind = RELAIS_PDF_IMAGE_BILEVEL;
      image->stream = relais_pdf_encode_bilevel (page, error);
      return image->stream != NULL ? g_steal_pointer (&image) : NULL;
    }

  /* A scan of paper (a sensor's noise on every pixel) is judged on the
   * whole page, without trial encodings: noise makes lossless coding lose
   * by far, so only how to go lossy is left to decide. */
  relais_pdf_analyse (page, &analysis);
  switch (analysis.kind)
    {
    case RELAIS_PDF_PAGE_TEXT:
      /* Print and handwriting on paper: the ink crisp at full resolution,
       * the paper and its shading at 100 dpi; grey when no ink has a
       * colour. A few hundred KB for a letter instead of megabytes. */
      image->kind = RELAIS_PDF_IMAGE_MRC;
      if (!relais_pdf_encode_mrc (page, &analysis, jpeg_quality, scratch, &image->mrc, error))
        return NULL;
      image->grey = image->mrc.grey;
      return g_steal_pointer (&image);
    case RELAIS_PDF_PAGE_PICTURE:
      {
        /* A photo, an identity card: JPEG of the whole page, as it is,
         * at the quality asked for (75 when none is). Only the bare paper or lid around it,
         * where JPEG would spend its bytes on the sensor's noise, is made
         * uniform; grey when nothing on it has a colour. */
        if (!image->grey && analysis.neutral)
          {
            g_clear_pointer (&grey, relais_page_unref);
            grey = relais_pdf_page_luma (page);
            page = grey;
            image->grey = TRUE;
            memset (analysis.paper_rgb, analysis.paper, sizeof analysis.paper_rgb);
          }
        image->kind = RELAIS_PDF_IMAGE_JPEG;
        image->stream = relais_pdf_encode_jpeg_flat (page, &analysis, picture_quality, error);
        return image->stream != NULL ? g_steal_pointer (&image) : NULL;
      }
    case RELAIS_PDF_PAGE_SYNTHETIC:
    default:
      break;
    }

  switch (relais_pdf_choose_encoding (page, jpeg_quality))
    {
    case RELAIS_PDF_ENCODING_JPEG:
      /* Going lossy anyway: a black-and-white letter scanned in colour,
       * whose channels differ only by the sensor's noise, goes as grey
       * too. Any ink of a colour (a stamp, a signature) keeps it. */
      if (!image->grey)
        {
          g_clear_pointer (&grey, relais_page_unref);
          grey = relais_pdf_page_as_grey (page, RELAIS_PDF_NEAR_GREY);
          if (grey != NULL)
            {
              page = grey;
              image->grey = TRUE;
            }
        }
      image->kind = RELAIS_PDF_IMAGE_JPEG;
      image->stream = relais_pdf_encode_jpeg (page, jpeg_quality, error);
      break;
    case RELAIS_PDF_ENCODING_FLATE:
      image->kind = RELAIS_PDF_IMAGE_LOSSLESS;
      image->stream = relais_pdf_encode_flate (page, FALSE, error);
      break;
    case RELAIS_PDF_ENCODING_FLATE_PNG:
    default:
      image->kind = RELAIS_PDF_IMAGE_LOSSLESS;
      image->png_filters = TRUE;
      image->stream = relais_pdf_encode_flate (page, TRUE, error);
      break;
    }

  if (image->stream == NULL)
    return NULL;
  return g_steal_pointer (&image);
}

/* ------------------------------------------------------------------------ */
/* The document. Objects 1 to 3 are the catalogue, the page tree and the
 * document's information, written last; each page then takes the next
 * numbers in order: its dictionary, its drawing, its image (three images
 * for mixed raster content: the paper, the ink's colours, the ink's soft
 * mask). */

#define RELAIS_PDF_CATALOG           1
#define RELAIS_PDF_PAGES             2
#define RELAIS_PDF_INFO              3
#define RELAIS_PDF_FIRST_PAGE_OBJECT 4

/* A page whose encoding failed, in the slots of those waiting their turn. */
static int failed_slot_storage;
#define RELAIS_PDF_FAILED_SLOT ((gpointer) &failed_slot_storage)

struct _RelaisPdfWriter {
  GMutex       mutex;
  GCond        cond;
  guint        n_pages;       /* written into the document */
  guint        next_object;   /* the next object number to give */
  guint        max_in_flight; /* pages added and not yet written; as many threads encode them */
  gsize        max_bytes;
  gboolean     finished;
  int          last_pages; /* atomic: finish () was called, no page comes after */
  /* Owned */
  GByteArray  *out;
  GArray      *offsets;      /* gsize per object number; 0 = not written */
  GArray      *page_objects; /* guint per page written: its dictionary's number */
  GPtrArray   *waiting;      /* a slot per page given to add_page () or add_image ():
                              * its RelaisPdfImage* until written */
  GThreadPool *pool;         /* created by the first add_page () */
  GPtrArray   *scratches;    /* of RelaisPdfScratch: the encoders' memory, one per page being encoded at most */
  GError      *error;        /* the first failure; nothing is written after it */
};

typedef struct
{
  guint       index;
  int         quality;
  /* Owned */
  RelaisPage *page;
} RelaisPdfJob;

static void
relais_pdf_append (RelaisPdfWriter *writer,
                   const char      *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
relais_pdf_append (RelaisPdfWriter *writer,
                   const char      *format,
                   ...)
{
  g_autofree char *text = NULL;
  va_list          args;
  int              length;

  va_start (args, format);
  length = g_vasprintf (&text, format, args);
  va_end (args);
  g_byte_array_append (writer->out, (const guint8 *) text, (guint) length);
}

/* Numbers in a PDF have a dot whatever the locale. */
static const char *
relais_pdf_number (char   buffer[G_ASCII_DTOSTR_BUF_SIZE],
                   double value)
{
  return g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.3f", value);
}

static void
relais_pdf_begin_object (RelaisPdfWriter *writer,
                         guint            number)
{
  gsize offset = writer->out->len;

  if (writer->offsets->len <= number)
    g_array_set_size (writer->offsets, number + 1);
  g_array_index (writer->offsets, gsize, number) = offset;
  relais_pdf_append (writer, "%u 0 obj\n", number);
}

static void
relais_pdf_append_stream (RelaisPdfWriter *writer,
                          GBytes          *stream)
{
  gsize         size = 0;
  const guint8 *data = g_bytes_get_data (stream, &size);

  relais_pdf_append (writer, "stream\n");
  g_byte_array_append (writer->out, data, (guint) size);
  relais_pdf_append (writer, "\nendstream\nendobj\n");
}

static gsize
relais_pdf_image_size (const RelaisPdfImage *image)
{
  if (image->kind == RELAIS_PDF_IMAGE_MRC)
    return g_bytes_get_size (image->mrc.mask) + g_bytes_get_size (image->mrc.background)
           + g_bytes_get_size (image->mrc.foreground);
  return g_bytes_get_size (image->stream);
}

/* An image XObject's dictionary, each key on its own line, then its data. */
static void
relais_pdf_append_image (RelaisPdfWriter *writer,
                         guint            object,
                         int              width,
                         int              height,
                         const char      *colour_space, /* NULL: a stencil mask */
                         int              bits,
                         const char      *filter,
                         const char      *extra, /* more keys, or "" */
                         GBytes          *stream)
{
  relais_pdf_begin_object (writer, object);
  relais_pdf_append (writer, "<< /Type /XObject\n/Subtype /Image\n/Width %d\n/Height %d\n", width, height);
  if (colour_space != NULL)
    relais_pdf_append (writer, "/ColorSpace /%s\n", colour_space);
  else
    relais_pdf_append (writer, "/ImageMask true\n");
  relais_pdf_append (writer, "/BitsPerComponent %d\n/Filter /%s\n/Length %" G_GSIZE_FORMAT "\n%s>>\n",
                     bits, filter, g_bytes_get_size (stream), extra);
  relais_pdf_append_stream (writer, stream);
}

/* Lays out page @index (its objects) into the document. Called with the
 * mutex held, in page order. */
static gboolean
relais_pdf_write_page (RelaisPdfWriter *writer,
                       RelaisPdfImage  *image,
                       guint            index,
                       GError         **error)
{
  guint            object = writer->next_object;
  gboolean         mrc = image->kind == RELAIS_PDF_IMAGE_MRC;
  double           width_pt = image->width * 72.0 / image->dpi;
  double           height_pt = image->height * 72.0 / image->dpi;
  char             w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
  char             x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
  char             a4_width[G_ASCII_DTOSTR_BUF_SIZE], a4_height[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *placement = NULL;
  g_autofree char *drawing = NULL;
  const char      *colour_space = image->grey ? "DeviceGray" : "DeviceRGB";
  double           scale;

  if (writer->out->len > writer->max_bytes
      || relais_pdf_image_size (image) > writer->max_bytes - writer->out->len)
    {
      g_debug ("PDF would pass %" G_GSIZE_FORMAT " bytes: stopped", writer->max_bytes);
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_WRITE,
                   _ ("La page %u n'a pas pu être ajoutée au document : il est trop gros. "
                      "Faites-en plusieurs."),
                   index + 1);
      return FALSE;
    }

  /* Real size, unless that does not fit the sheet: never enlarged; centred. */
  scale = MIN (1.0, MIN ((RELAIS_PDF_A4_WIDTH - 2 * RELAIS_PDF_MARGIN) / width_pt,
                         (RELAIS_PDF_A4_HEIGHT - 2 * RELAIS_PDF_MARGIN) / height_pt));
  width_pt *= scale;
  height_pt *= scale;
  placement = g_strdup_printf ("%s 0 0 %s %s %s cm",
                               relais_pdf_number (w, width_pt), relais_pdf_number (h, height_pt),
                               relais_pdf_number (x, (RELAIS_PDF_A4_WIDTH - width_pt) / 2),
                               relais_pdf_number (y, (RELAIS_PDF_A4_HEIGHT - height_pt) / 2));
  /* Mixed raster content: the paper, then the ink's colours through the
   * ink's soft mask (the image's /SMask: its share of each pixel), both
   * stretched over the same area. */
  if (mrc)
    drawing = g_strdup_printf ("q %s /Im0 Do Q q %s /Im1 Do Q", placement, placement);
  else
    drawing = g_strdup_printf ("q %s /Im0 Do Q", placement);

  g_array_append_val (writer->page_objects, object);
  writer->next_object += mrc ? 5 : 3;
  relais_pdf_begin_object (writer, object);
  relais_pdf_append (writer,
                     "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 %s %s]\n"
                     "   /Resources << /XObject << /Im0 %u 0 R",
                     RELAIS_PDF_PAGES,
                     relais_pdf_number (a4_width, RELAIS_PDF_A4_WIDTH),
                     relais_pdf_number (a4_height, RELAIS_PDF_A4_HEIGHT),
                     object + 2);
  if (mrc)
    relais_pdf_append (writer, " /Im1 %u 0 R", object + 3);
  relais_pdf_append (writer, " >> >>\n   /Contents %u 0 R >>\nendobj\n", object + 1);

  relais_pdf_begin_object (writer, object + 1);
  relais_pdf_append (writer, "<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                     strlen (drawing), drawing);

  if (mrc)
    {
      g_autofree char *mask_key = g_strdup_printf ("/SMask %u 0 R\n", object + 4);

      relais_pdf_append_image (writer, object + 2, image->mrc.background_width, image->mrc.background_height,
                               colour_space, 8, "DCTDecode", "/Interpolate true\n", image->mrc.background);
      relais_pdf_append_image (writer, object + 3, image->mrc.foreground_width, image->mrc.foreground_height,
                               colour_space, 8, "DCTDecode", mask_key, image->mrc.foreground);
      relais_pdf_append_image (writer, object + 4, image->mrc.mask_width, image->mrc.mask_height,
                               "DeviceGray", image->mrc.mask_bits, "FlateDecode", "", image->mrc.mask);
    }
  else
    {
      g_autofree char *parms = NULL;

      if (image->png_filters)
        parms = g_strdup_printf ("/DecodeParms << /Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d >>\n",
                                 image->grey ? 1 : 3, image->width);
      relais_pdf_append_image (writer, object + 2, image->width, image->height, colour_space,
                               image->kind == RELAIS_PDF_IMAGE_BILEVEL ? 1 : 8,
                               image->kind == RELAIS_PDF_IMAGE_JPEG ? "DCTDecode" : "FlateDecode",
                               parms != NULL ? parms : "", image->stream);
    }

  g_debug ("PDF page %u: %dx%d pixels at %d dpi, kind %d%s, %" G_GSIZE_FORMAT " bytes, scale %.3f",
           index + 1, image->width, image->height, image->dpi, image->kind,
           image->png_filters ? " with PNG filters" : "", relais_pdf_image_size (image), scale);
  return TRUE;
}

/* After a failure the document is lost: the pages waiting their turn are
 * dropped. Called with the mutex held. */
static void
relais_pdf_writer_discard (RelaisPdfWriter *writer)
{
  for (guint i = writer->n_pages; i < writer->waiting->len; i++)
    {
      RelaisPdfImage *image = g_ptr_array_index (writer->waiting, i);

      if (image != NULL && image != RELAIS_PDF_FAILED_SLOT)
        {
          relais_pdf_image_free (image);
          g_ptr_array_index (writer->waiting, i) = RELAIS_PDF_FAILED_SLOT;
        }
    }
}

/* Writes the pages whose turn has come. Called with the mutex held. */
static void
relais_pdf_writer_drain (RelaisPdfWriter *writer)
{
  while (writer->error == NULL && writer->n_pages < writer->waiting->len)
    {
      RelaisPdfImage *image = g_ptr_array_index (writer->waiting, writer->n_pages);

      if (image == NULL || image == RELAIS_PDF_FAILED_SLOT)
        break;
      g_ptr_array_index (writer->waiting, writer->n_pages) = NULL;
      relais_pdf_write_page (writer, image, writer->n_pages, &writer->error);
      relais_pdf_image_free (image);
      writer->n_pages++;
    }
  if (writer->error != NULL)
    relais_pdf_writer_discard (writer);
  g_cond_broadcast (&writer->cond);
}

/* Pages submitted and not yet written (nor given up). */
static guint
relais_pdf_writer_in_flight (RelaisPdfWriter *writer)
{
  guint n = 0;

  for (guint i = writer->n_pages; i < writer->waiting->len; i++)
    if (g_ptr_array_index (writer->waiting, i) != RELAIS_PDF_FAILED_SLOT)
      n++;
  return n;
}

static void
relais_pdf_job_run (gpointer data,
                    gpointer user_data)
{
  RelaisPdfJob    *job = data;
  RelaisPdfWriter *writer = user_data;
  g_autoptr(GError) error = NULL;
  RelaisPdfImage   *image = NULL;
  RelaisPdfScratch *scratch = NULL;
  gboolean          skip;

  g_mutex_lock (&writer->mutex);
  skip = writer->error != NULL;
  if (!skip && writer->scratches->len > 0)
    scratch = g_ptr_array_steal_index_fast (writer->scratches, writer->scratches->len - 1);
  g_mutex_unlock (&writer->mutex);

  /* After a failure the document is lost: the pages still queued are not
   * worth the work. */
  if (!skip)
    {
      if (scratch == NULL)
        {
          scratch = relais_pdf_scratch_new ();
          scratch->fork_gate = &writer->last_pages;
        }
      image = relais_pdf_image_new_with (job->page, job->quality, scratch, &error);
      if (image == NULL)
        g_prefix_error (&error, _ ("Page %u : "), job->index + 1);
    }

  /* The page's pixels go before the scanner hears there is room for the
   * next: it then reads into them (the spare frames) rather than into
   * fresh memory, a frame more at the peak. */
  g_clear_pointer (&job->page, relais_page_unref);

  g_mutex_lock (&writer->mutex);
  if (scratch != NULL)
    g_ptr_array_add (writer->scratches, scratch);
  if (image == NULL && writer->error == NULL && error != NULL)
    writer->error = g_steal_pointer (&error);
  if (image != NULL && writer->error == NULL)
    g_ptr_array_index (writer->waiting, job->index) = g_steal_pointer (&image);
  else
    g_ptr_array_index (writer->waiting, job->index) = RELAIS_PDF_FAILED_SLOT;
  relais_pdf_writer_drain (writer);
  g_mutex_unlock (&writer->mutex);

  relais_pdf_image_free (image);
  g_free (job);
}

RelaisPdfWriter *
relais_pdf_writer_new (void)
{
  RelaisPdfWriter *writer = g_new0 (RelaisPdfWriter, 1);

  g_mutex_init (&writer->mutex);
  g_cond_init (&writer->cond);
  writer->out = g_byte_array_new ();
  writer->offsets = g_array_new (FALSE, TRUE, sizeof (gsize));
  writer->page_objects = g_array_new (FALSE, FALSE, sizeof (guint));
  writer->next_object = RELAIS_PDF_FIRST_PAGE_OBJECT;
  writer->waiting = g_ptr_array_new ();
  writer->scratches = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_pdf_scratch_free);
  /* As many pages in the making as there are processors (at most 4: a
   * 600 dpi colour page filtered for PNG takes 100 MB while it is being
   * compressed), none more waiting: memory stays that of a few pages
   * whatever the pile's length. A page queued behind busy encoders only
   * held its pixels longer (ten colour papers, 2 cores, scan-real: the
   * same time, 26 MB more at the peak, 154 MB); the scanner, held up, reads
   * the next sheet as soon as an encoder is free. */
  writer->max_in_flight = CLAMP (g_get_num_processors (), 1, 4);
  writer->max_bytes = RELAIS_PDF_MAX_BYTES;

  /* The header's second line marks the file as binary for transfer tools. */
  relais_pdf_append (writer, "%%PDF-1.5\n%%\xe2\xe3\xcf\xd3\n");
  return writer;
}

void
relais_pdf_writer_free (RelaisPdfWriter *writer)
{
  if (writer == NULL)
    return;
  /* Waits for the pages being encoded; those not started yet are skipped. */
  g_mutex_lock (&writer->mutex);
  if (writer->error == NULL)
    writer->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "abandoned");
  g_mutex_unlock (&writer->mutex);
  if (writer->pool != NULL)
    g_thread_pool_free (writer->pool, FALSE, TRUE);
  for (guint i = writer->n_pages; i < writer->waiting->len; i++)
    {
      RelaisPdfImage *image = g_ptr_array_index (writer->waiting, i);

      if (image != RELAIS_PDF_FAILED_SLOT)
        relais_pdf_image_free (image);
    }
  g_ptr_array_unref (writer->waiting);
  g_ptr_array_unref (writer->scratches);
  g_array_unref (writer->offsets);
  g_array_unref (writer->page_objects);
  g_clear_pointer (&writer->out, g_byte_array_unref);
  g_clear_error (&writer->error);
  g_mutex_clear (&writer->mutex);
  g_cond_clear (&writer->cond);
  g_free (writer);
}

/**
 * relais_pdf_writer_set_max_bytes:
 *
 * The size past which pages are refused (RELAIS_PDF_ERROR_WRITE), to
 * protect the station's memory; 1 GiB unless set. Call before adding pages.
 */
void
relais_pdf_writer_set_max_bytes (RelaisPdfWriter *writer,
                                 gsize            max_bytes)
{
  g_return_if_fail (writer != NULL && writer->waiting->len == 0);
  g_return_if_fail (max_bytes > 0);

  writer->max_bytes = max_bytes;
}

guint
relais_pdf_writer_get_n_pages (RelaisPdfWriter *writer)
{
  guint n;

  g_return_val_if_fail (writer != NULL, 0);

  g_mutex_lock (&writer->mutex);
  n = writer->waiting->len;
  g_mutex_unlock (&writer->mutex);
  return n;
}

/* Waits until fewer than @limit pages are in flight. With the mutex held. */
static void
relais_pdf_writer_wait (RelaisPdfWriter *writer,
                        guint            limit)
{
  while (relais_pdf_writer_in_flight (writer) >= limit)
    g_cond_wait (&writer->cond, &writer->mutex);
}

static gboolean
relais_pdf_writer_check (RelaisPdfWriter *writer,
                         GError         **error)
{
  if (writer->error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (writer->error));
  return FALSE;
}

gboolean
relais_pdf_writer_add_image (RelaisPdfWriter *writer,
                             RelaisPdfImage  *image,
                             GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The image is the caller's: written now, after the pages before it. */
  g_mutex_lock (&writer->mutex);
  relais_pdf_writer_wait (writer, 1);
  ok = relais_pdf_writer_check (writer, error);
  if (ok)
    {
      ok = relais_pdf_write_page (writer, image, writer->waiting->len, error);
      if (ok)
        {
          g_ptr_array_add (writer->waiting, NULL);
          writer->n_pages++;
        }
    }
  g_mutex_unlock (&writer->mutex);
  return ok;
}

/**
 * relais_pdf_writer_add_page:
 *
 * Queues @page: it is encoded in another thread while the caller goes on
 * (scanning the next sheet), and written in its turn. Blocks only while
 * enough pages are already in the making. A failure shows here for the
 * pages after it, and in relais_pdf_writer_finish ().
 */
gboolean
relais_pdf_writer_add_page (RelaisPdfWriter  *writer,
                            const RelaisPage *page,
                            int               jpeg_quality,
                            GError          **error)
{
  RelaisPdfJob *job;

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&writer->mutex);
  relais_pdf_writer_wait (writer, writer->max_in_flight);
  if (!relais_pdf_writer_check (writer, error))
    {
      g_mutex_unlock (&writer->mutex);
      return FALSE;
    }
  job = g_new0 (RelaisPdfJob, 1);
  job->index = writer->waiting->len;
  job->quality = jpeg_quality;
  job->page = relais_page_ref ((RelaisPage *) page);
  g_ptr_array_add (writer->waiting, NULL);
  if (writer->pool == NULL)
    writer->pool = g_thread_pool_new (relais_pdf_job_run, writer, (int) writer->max_in_flight,
                                      FALSE, NULL);
  g_mutex_unlock (&writer->mutex);

  /* Non-exclusive pools never fail to take a job. */
  g_thread_pool_push (writer->pool, job, NULL);
  return TRUE;
}

GBytes *
relais_pdf_writer_finish (RelaisPdfWriter *writer,
                          GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = NULL;
  g_autoptr(GString) kids = g_string_new (NULL);
  guint8 id[16];
  gsize  xref;
  guint  n_objects;

  g_return_val_if_fail (writer != NULL && !writer->finished, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  writer->finished = TRUE;
  /* The pages still in the making are the last: with no more to read, the
   * cores the scanner and the other pages leave are theirs. */
  g_atomic_int_set (&writer->last_pages, 1);
  g_mutex_lock (&writer->mutex);
  relais_pdf_writer_wait (writer, 1);
  /* No page comes after: the encoders' memory goes now, not with the
   * writer. */
  g_ptr_array_set_size (writer->scratches, 0);
  g_mutex_unlock (&writer->mutex);
  if (!relais_pdf_writer_check (writer, error))
    return NULL;
  if (writer->n_pages == 0)
    {
      g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_NO_PAGES,
                           _ ("Il n'y a aucune page à mettre dans le document."));
      return NULL;
    }

  for (guint i = 0; i < writer->n_pages; i++)
    g_string_append_printf (kids, "%s%u 0 R", i > 0 ? " " : "", g_array_index (writer->page_objects, guint, i));
  relais_pdf_begin_object (writer, RELAIS_PDF_PAGES);
  relais_pdf_append (writer, "<< /Type /Pages /Kids [%s] /Count %u >>\nendobj\n", kids->str, writer->n_pages);
  relais_pdf_begin_object (writer, RELAIS_PDF_CATALOG);
  relais_pdf_append (writer, "<< /Type /Catalog /Pages %u 0 R >>\nendobj\n", RELAIS_PDF_PAGES);
  /* D:YYYYMMDDHHmmSS+HH'mm' (PDF 1.7, §7.9.4). */
  date = g_date_time_format (now, "D:%Y%m%d%H%M%S");
  {
    gint64 offset_minutes = g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE;

    relais_pdf_begin_object (writer, RELAIS_PDF_INFO);
    relais_pdf_append (writer, "<< /Creator (Relais) /Producer (Relais) /CreationDate (%s%c%02d'%02d') >>\nendobj\n",
                       date, offset_minutes < 0 ? '-' : '+',
                       (int) (ABS (offset_minutes) / 60), (int) (ABS (offset_minutes) % 60));
  }

  /* The cross-reference table: every object's exact offset, entries of
   * exactly 20 bytes. */
  n_objects = writer->offsets->len;
  xref = writer->out->len;
  relais_pdf_append (writer, "xref\n0 %u\n0000000000 65535 f \n", n_objects);
  for (guint i = 1; i < n_objects; i++)
    relais_pdf_append (writer, "%010" G_GSIZE_FORMAT " 00000 n \n", g_array_index (writer->offsets, gsize, i));

  for (gsize i = 0; i < sizeof id; i++)
    id[i] = (guint8) g_random_int_range (0, 256);
  relais_pdf_append (writer, "trailer\n<< /Size %u /Root %u 0 R /Info %u 0 R /ID [<", n_objects,
                     RELAIS_PDF_CATALOG, RELAIS_PDF_INFO);
  for (int pass = 0; pass < 2; pass++)
    {
      for (gsize i = 0; i < sizeof id; i++)
        relais_pdf_append (writer, "%02x", id[i]);
      relais_pdf_append (writer, pass == 0 ? "> <" : ">] >>\n");
    }
  relais_pdf_append (writer, "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);

  return g_byte_array_free_to_bytes (g_steal_pointer (&writer->out));
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
relais_pdf_write_bytes (GPtrArray *pages,
                        int        jpeg_quality,
                        GError   **error)
{
  g_autoptr(RelaisPdfWriter) writer = NULL;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (relais_pdf_pages_are_valid (pages), NULL);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  writer = relais_pdf_writer_new ();
  for (guint i = 0; i < pages->len; i++)
    if (!relais_pdf_writer_add_page (writer, g_ptr_array_index (pages, i), jpeg_quality, error))
      return NULL;

  return relais_pdf_writer_finish (writer, error);
}

/* A text page shrunk by averaging turns grey at the edges of letters: put
 * it back to black and white so it stays 1 bit per pixel. */
static RelaisPage *
relais_pdf_scale_page (RelaisPage *page,
                       int         dpi)
{
  g_autoptr(RelaisPage) scaled = relais_page_scale_to_dpi (page, dpi);
  gboolean      rgb = relais_page_get_format (scaled) == RELAIS_PAGE_RGB;
  int           width, height, stride;
  const guint8 *in;
  guint8       *out;
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
relais_pdf_write_bytes_capped (GPtrArray *pages,
                               gsize      max_bytes,
                               int       *out_dpi,
                               int       *out_quality,
                               GError   **error)
{
  static const struct {
    int dpi;
    int quality;
  } steps[] = {
    { 300, 85 },
    { 200, 80 },
    { 150, 75 },
    { 150, 60 },
    { 150, 45 },
    { 100, 50 },
    { 100, 35 },
    { 75, 30 },
  };
  gsize smallest = G_MAXSIZE;
  int   max_dpi = 0;

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
                 _ ("Le document ne tient pas dans %s (au mieux %s). Enlevez des pages, "
                    "ou envoyez-le en plusieurs fois."),
                 cap, best);
  }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Off the caller's thread: a screen stays alive while a long document is
 * made (the website preset may make it several times). */

typedef struct
{
  GPtrArray *pages; /* RelaisPage*: a copy of the caller's list */
  int        quality;
  gsize      max_bytes; /* 0: not capped */
} RelaisPdfBuild;

static void
relais_pdf_build_free (RelaisPdfBuild *build)
{
  g_ptr_array_unref (build->pages);
  g_free (build);
}

static void
relais_pdf_build_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  RelaisPdfBuild *build = task_data;
  GError         *error = NULL;
  GBytes         *pdf;

  if (build->max_bytes > 0)
    pdf = relais_pdf_write_bytes_capped (build->pages, build->max_bytes, NULL, NULL, &error);
  else
    pdf = relais_pdf_write_bytes (build->pages, build->quality, &error);
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

/**
 * relais_pdf_build_async:
 * @max_bytes: the website cap (relais_pdf_write_bytes_capped ()), or 0 for
 *   a document at @jpeg_quality (relais_pdf_write_bytes ())
 *
 * Makes the PDF in a worker thread; the pages are referenced, so the caller
 * may change its list meanwhile.
 */
void
relais_pdf_build_async (GPtrArray          *pages,
                        int                 jpeg_quality,
                        gsize               max_bytes,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  RelaisPdfBuild *build;

  g_return_if_fail (pages != NULL);
  g_return_if_fail (relais_pdf_pages_are_valid (pages));
  g_return_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100);

  build = g_new0 (RelaisPdfBuild, 1);
  build->pages = g_ptr_array_new_full (pages->len, (GDestroyNotify) relais_page_unref);
  for (guint i = 0; i < pages->len; i++)
    g_ptr_array_add (build->pages, relais_page_ref (g_ptr_array_index (pages, i)));
  build->quality = jpeg_quality;
  build->max_bytes = max_bytes;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relais_pdf_build_async);
  g_task_set_task_data (task, build, (GDestroyNotify) relais_pdf_build_free);
  g_task_run_in_thread (task, relais_pdf_build_thread);
}

/* Returns: (transfer full): the PDF, or NULL with @error set. */
GBytes *
relais_pdf_build_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relais_pdf_build_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
relais_pdf_format_size (guint64 bytes)
{
  /* Decimal units, as websites state their limits ("2 Mo"). */
  if (bytes < 1000 * 1000)
    return g_strdup_printf (_ ("%u ko"), (guint) MAX (1, (bytes + 999) / 1000));
  {
    /* One decimal, with a comma whatever the locale: "1,4 Mo", "2 Mo". */
    guint64 tenths = (bytes + 50000) / 100000;

    if (tenths % 10 == 0)
      return g_strdup_printf (_ ("%u Mo"), (guint) (tenths / 10));
    return g_strdup_printf (_ ("%u,%u Mo"), (guint) (tenths / 10), (guint) (tenths % 10));
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
relais_pdf_write_file (GPtrArray  *pages,
                       const char *path,
                       int         jpeg_quality,
                       GError    **error)
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
                   _ ("Le document n'a pas pu être enregistré (%s). Vérifiez qu'il reste "
                      "de la place, ou appelez un médiateur."),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}
