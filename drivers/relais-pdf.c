/* relais-pdf.c: scanned pages to an A4 PDF, each page image embedded as JPEG. */
#define G_LOG_DOMAIN "relais-drivers"

#include "relais-pdf.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

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

static void
relais_pdf_free_pixels (guchar   *pixels,
                        gpointer  user_data)
{
  g_free (pixels);
}

/* The page as a JPEG. GdkPixbuf only encodes RGB, so a grey page is
 * widened to RGB first; its chroma is flat and costs the JPEG little. */
static GBytes *
relais_pdf_encode_jpeg (const RelaisPage  *page,
                        int                quality,
                        guint              number,
                        GError           **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *quality_text = g_strdup_printf ("%d", quality);
  g_autofree char *buffer = NULL;
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  gsize size = 0;

  if (width > G_MAXINT / 3)
    {
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                   _("La page %u est trop large pour être mise dans le document."), number);
      return NULL;
    }

  if (relais_page_get_format (page) == RELAIS_PAGE_RGB)
    {
      /* Borrowed, not copied: a pixbuf made from GBytes copies its pixels
       * when the saver asks for them. The saver only reads, and the page
       * outlives the pixbuf. */
      pixbuf = gdk_pixbuf_new_from_data ((guchar *) relais_page_get_data (page), GDK_COLORSPACE_RGB,
                                         FALSE, 8, width, height, relais_page_get_stride (page),
                                         NULL, NULL);
    }
  else
    {
      const guint8 *grey = relais_page_get_data (page);
      int grey_stride = relais_page_get_stride (page);
      guint8 *rgb = g_malloc ((gsize) width * 3 * (gsize) height);

      for (int y = 0; y < height; y++)
        {
          const guint8 *in = grey + (gsize) y * (gsize) grey_stride;
          guint8 *out = rgb + (gsize) y * (gsize) width * 3;

          for (int x = 0; x < width; x++)
            out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = in[x];
        }
      pixbuf = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                         width * 3, relais_pdf_free_pixels, NULL);
    }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &local_error,
                                  "quality", quality_text, NULL))
    {
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                   _("L'image de la page %u n'a pas pu être compressée : %s"),
                   number, local_error->message);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* A cairo image of the page that carries its JPEG: the PDF backend embeds
 * the JPEG as is (/DCTDecode). The pixels are filled in too, for any
 * backend or fallback path that rasterises instead. */
static cairo_surface_t *
relais_pdf_page_surface (const RelaisPage  *page,
                         GBytes            *jpeg,
                         guint              number,
                         GError           **error)
{
  g_autoptr(cairo_surface_t) surface = NULL;
  const guint8 *pixels = relais_page_get_data (page);
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  int stride = relais_page_get_stride (page);
  gboolean grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  cairo_status_t status;
  guint8 *data;
  int data_stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                   _("L'image de la page %u n'a pas pu être préparée : %s"),
                   number, cairo_status_to_string (status));
      return NULL;
    }

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  data_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = pixels + (gsize) y * (gsize) stride;
      guint32 *out = (guint32 *) (gpointer) (data + (gsize) y * (gsize) data_stride);

      /* CAIRO_FORMAT_RGB24: one native-endian 32-bit word, x R G B. */
      if (grey)
        for (int x = 0; x < width; x++)
          out[x] = (guint32) in[x] << 16 | (guint32) in[x] << 8 | in[x];
      else
        for (int x = 0; x < width; x++)
          out[x] = (guint32) in[3 * x] << 16 | (guint32) in[3 * x + 1] << 8 | in[3 * x + 2];
    }
  cairo_surface_mark_dirty (surface);

  status = cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_JPEG,
                                        g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                        (cairo_destroy_func_t) g_bytes_unref, g_bytes_ref (jpeg));
  if (status != CAIRO_STATUS_SUCCESS)
    {
      /* cairo calls the destroy function only once it has taken the data. */
      g_bytes_unref (jpeg);
      g_set_error (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_ENCODE,
                   _("L'image de la page %u n'a pas pu être préparée : %s"),
                   number, cairo_status_to_string (status));
      return NULL;
    }

  return g_steal_pointer (&surface);
}

static gboolean
relais_pdf_draw_page (cairo_t           *cr,
                      const RelaisPage  *page,
                      int                quality,
                      guint              number,
                      GError           **error)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(cairo_surface_t) image = NULL;
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  double dpi = relais_page_get_dpi (page);
  double width_pt = width * 72.0 / dpi;
  double height_pt = height * 72.0 / dpi;
  double scale;
  cairo_status_t status;

  jpeg = relais_pdf_encode_jpeg (page, quality, number, error);
  if (jpeg == NULL)
    return FALSE;
  image = relais_pdf_page_surface (page, jpeg, number, error);
  if (image == NULL)
    return FALSE;

  /* Real size, unless that does not fit the sheet: never enlarged. */
  scale = MIN (1.0, MIN ((RELAIS_PDF_A4_WIDTH - 2 * RELAIS_PDF_MARGIN) / width_pt,
                         (RELAIS_PDF_A4_HEIGHT - 2 * RELAIS_PDF_MARGIN) / height_pt));
  width_pt *= scale;
  height_pt *= scale;

  cairo_save (cr);
  cairo_translate (cr, (RELAIS_PDF_A4_WIDTH - width_pt) / 2, (RELAIS_PDF_A4_HEIGHT - height_pt) / 2);
  cairo_scale (cr, width_pt / width, height_pt / height);
  cairo_set_source_surface (cr, image, 0, 0);
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

  g_debug ("PDF page %u: %dx%d pixels at %g dpi, JPEG %" G_GSIZE_FORMAT " bytes, scale %.3f",
           number, width, height, dpi, g_bytes_get_size (jpeg), scale);
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
  g_autoptr(GByteArray) array = NULL;
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  cairo_status_t status;
  int quality;

  g_return_val_if_fail (pages != NULL, NULL);
  g_return_val_if_fail (relais_pdf_pages_are_valid (pages), NULL);
  g_return_val_if_fail (jpeg_quality >= 0 && jpeg_quality <= 100, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (pages->len == 0)
    {
      g_set_error_literal (error, RELAIS_PDF_ERROR, RELAIS_PDF_ERROR_NO_PAGES,
                           _("Il n'y a aucune page à mettre dans le document."));
      return NULL;
    }

  quality = jpeg_quality == 0 ? RELAIS_PDF_DEFAULT_QUALITY : jpeg_quality;
  array = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (relais_pdf_write_cb, array,
                                                 RELAIS_PDF_A4_WIDTH, RELAIS_PDF_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  cr = cairo_create (surface);

  for (guint i = 0; i < pages->len; i++)
    if (!relais_pdf_draw_page (cr, g_ptr_array_index (pages, i), quality, i + 1, error))
      return NULL;

  g_clear_pointer (&cr, cairo_destroy);
  /* Finishing writes the trailer: only now are write errors all known. */
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELAIS_PDF_ERROR,
                   status == CAIRO_STATUS_WRITE_ERROR ? RELAIS_PDF_ERROR_WRITE : RELAIS_PDF_ERROR_ENCODE,
                   _("Le document PDF n'a pas pu être écrit : %s"),
                   cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
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
