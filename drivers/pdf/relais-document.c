/* relais-document.c: PDFs and images from a USB key, checked and previewed. */

#include "relais-document.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <poppler.h>
#include <string.h>

/* An image with more pixels than this per side is not a photo or a scan a
 * resident prints: refused before its pixels are allocated. */
#define RELAIS_DOCUMENT_MAX_IMAGE_SIDE 20000
/* Images are kept at most this big (the preview, not the print: the print
 * sends the original bytes). */
#define RELAIS_DOCUMENT_KEEP_SIDE 1600
/* A PDF with more pages is refused: a public station prints forms and
 * letters, not books, and every page is counted before printing. */
#define RELAIS_DOCUMENT_MAX_PAGES 2000
/* Rendering bigger than this (pixels per side) is a bug or an attack. */
#define RELAIS_DOCUMENT_MAX_RENDER 4000

G_DEFINE_QUARK (relais-document-error-quark, relais_document_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
/* poppler-glib 22 declares no autoptr for its pages. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* Invariant: exactly one of pdf and image is set; n_pages >= 1. */
struct _RelaisDocument {
  const char      *mime_type; /* static */
  int              n_pages;
  /* Owned */
  GBytes          *bytes;
  PopplerDocument *pdf;
  GdkPixbuf       *image; /* scaled to RELAIS_DOCUMENT_KEEP_SIDE at most */
};

void
relais_document_free (RelaisDocument *document)
{
  if (document == NULL)
    return;
  g_clear_object (&document->pdf);
  g_clear_object (&document->image);
  g_clear_pointer (&document->bytes, g_bytes_unref);
  g_free (document);
}

static void
set_damaged (GError    **error,
             const char *detail)
{
  g_debug ("document refused: %s", detail);
  g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_DAMAGED,
                       _ ("Ce document est abîmé : il ne peut pas être ouvert. Essayez un autre "
                          "fichier, ou demandez de l'aide à un médiateur."));
}

static const char *
sniff_type (const guint8 *data,
            gsize         size)
{
  /* The signatures themselves, not GLib's guess: a name or an extension
   * is whatever the key's owner made it. A PDF may start with junk; the
   * standard tolerates 1024 bytes of it. */
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return "image/jpeg";
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  for (gsize i = 0; i + 5 <= MIN (size, 1024); i++)
    if (memcmp (data + i, "%PDF-", 5) == 0)
      return "application/pdf";
  return NULL;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  gboolean *too_big = user_data;
  double    scale;

  if (width <= 0 || height <= 0
      || width > RELAIS_DOCUMENT_MAX_IMAGE_SIDE || height > RELAIS_DOCUMENT_MAX_IMAGE_SIDE)
    {
      /* Decoding stops at the next write: the loader is told to make a
       * 1×1 image, and the result is thrown away. */
      *too_big = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
      return;
    }
  scale = MIN (1.0, (double) RELAIS_DOCUMENT_KEEP_SIDE / MAX (width, height));
  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)));
}

static gboolean
load_image (RelaisDocument *document,
            GError        **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean      too_big = FALSE;
  GdkPixbuf    *pixbuf;
  gsize         size;
  const guint8 *data = g_bytes_get_data (document->bytes, &size);

  loader = gdk_pixbuf_loader_new_with_mime_type (document->mime_type, &local_error);
  if (loader == NULL)
    {
      set_damaged (error, local_error->message);
      return FALSE;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &too_big);
  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error) || too_big
      || !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* Closing also after a failure: a loader left open complains. */
      if (local_error == NULL || !too_big)
        gdk_pixbuf_loader_close (loader, NULL);
      if (too_big)
        {
          g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_TOO_LARGE,
                               _ ("Cette image est trop grande pour être imprimée à la borne."));
          return FALSE;
        }
      set_damaged (error, local_error != NULL ? local_error->message : "loader failed");
      return FALSE;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      set_damaged (error, "no image decoded");
      return FALSE;
    }
  /* Photos from a phone are often stored sideways with an orientation tag. */
  document->image = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  document->n_pages = 1;
  return TRUE;
}

static gboolean
load_pdf (RelaisDocument *document,
          GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  document->pdf = poppler_document_new_from_bytes (document->bytes, NULL, &local_error);
  if (document->pdf == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_PROTECTED,
                               _ ("Ce document est protégé par un mot de passe : la borne ne peut "
                                  "pas l'ouvrir. Enregistrez-le sans mot de passe, ou demandez de "
                                  "l'aide à un médiateur."));
          return FALSE;
        }
      set_damaged (error, local_error != NULL ? local_error->message : "poppler failed");
      return FALSE;
    }

  document->n_pages = poppler_document_get_n_pages (document->pdf);
  if (document->n_pages < 1)
    {
      set_damaged (error, "no pages");
      return FALSE;
    }
  if (document->n_pages > RELAIS_DOCUMENT_MAX_PAGES)
    {
      g_set_error (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_TOO_LARGE,
                   _ ("Ce document a %d pages : c'est trop pour la borne. Demandez de l'aide "
                      "à un médiateur."),
                   document->n_pages);
      return FALSE;
    }
  return TRUE;
}

/**
 * relais_document_new_from_bytes:
 *
 * Returns: (transfer full): the document, or %NULL with @error set.
 */
RelaisDocument *
relais_document_new_from_bytes (GBytes  *bytes,
                                GError **error)
{
  g_autoptr(RelaisDocument) document = NULL;
  gsize         size;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > RELAIS_DOCUMENT_MAX_BYTES)
    {
      g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_TOO_LARGE,
                           _ ("Ce document est trop volumineux pour être imprimé à la borne."));
      return NULL;
    }

  document = g_new0 (RelaisDocument, 1);
  document->bytes = g_bytes_ref (bytes);
  document->mime_type = size > 0 ? sniff_type (data, size) : NULL;
  if (document->mime_type == NULL)
    {
      g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_UNSUPPORTED,
                           _ ("Ce fichier ne peut pas être imprimé : seuls les documents PDF et "
                              "les photos (JPEG, PNG) sont acceptés."));
      return NULL;
    }

  if (g_str_equal (document->mime_type, "application/pdf") ? !load_pdf (document, error)
                                                           : !load_image (document, error))
    return NULL;

  return g_steal_pointer (&document);
}

RelaisDocument *
relais_document_new_from_file (GFile        *file,
                               GCancellable *cancellable,
                               GError      **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The size first: g_file_load_bytes () would read any size. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR
      && (guint64) g_file_info_get_size (info) > RELAIS_DOCUMENT_MAX_BYTES)
    {
      g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_TOO_LARGE,
                           _ ("Ce document est trop volumineux pour être imprimé à la borne."));
      return NULL;
    }
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR
      || (bytes = g_file_load_bytes (file, cancellable, NULL, &local_error)) == NULL)
    {
      g_debug ("cannot read %s: %s", g_file_peek_path (file),
               local_error != NULL ? local_error->message : "not a regular file");
      g_set_error_literal (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_UNREADABLE,
                           _ ("Ce fichier ne peut pas être lu. La clé a peut-être été retirée : "
                              "rebranchez-la, puis réessayez."));
      return NULL;
    }

  return relais_document_new_from_bytes (bytes, error);
}

const char *
relais_document_get_mime_type (RelaisDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);

  return document->mime_type;
}

int
relais_document_get_n_pages (RelaisDocument *document)
{
  g_return_val_if_fail (document != NULL, 0);

  return document->n_pages;
}

GBytes *
relais_document_get_bytes (RelaisDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);

  return document->bytes;
}

/* GDK's gdk_cairo_set_source_pixbuf () without GTK: transparent parts end
 * up on white, as on paper. */
static cairo_surface_t *
pixbuf_to_surface (GdkPixbuf *pixbuf)
{
  int              width = gdk_pixbuf_get_width (pixbuf);
  int              height = gdk_pixbuf_get_height (pixbuf);
  int              channels = gdk_pixbuf_get_n_channels (pixbuf);
  int              stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8    *pixels = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  guint8          *out;
  int              out_stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  out = cairo_image_surface_get_data (surface);
  out_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = pixels + (gsize) y * stride;
      guint32      *row = (guint32 *) (gpointer) (out + (gsize) y * out_stride);

      for (int x = 0; x < width; x++)
        {
          const guint8 *p = in + (gsize) x * channels;
          guint         alpha = channels == 4 ? p[3] : 255;
          guint32       rgb = 0;

          for (int c = 0; c < 3; c++)
            rgb = rgb << 8 | (p[c] * alpha + 255 * (255 - alpha) + 127) / 255;
          row[x] = rgb;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* Page @index's box (@page: the PDF's page, kept for rendering), checked. */
static gboolean
page_size (RelaisDocument *document,
           int             index,
           PopplerPage   **page,
           double         *width,
           double         *height,
           GError        **error)
{
  if (document->pdf != NULL)
    {
      *page = poppler_document_get_page (document->pdf, index);
      if (*page == NULL)
        {
          set_damaged (error, "page missing");
          return FALSE;
        }
      poppler_page_get_size (*page, width, height);
    }
  else
    {
      *width = gdk_pixbuf_get_width (document->image);
      *height = gdk_pixbuf_get_height (document->image);
    }
  /* A hostile PDF may declare any page box: NaN, 0, 10^30 points. */
  if (!(*width >= 1 && *height >= 1 && *width < 1e6 && *height < 1e6))
    {
      set_damaged (error, "page size out of range");
      return FALSE;
    }
  return TRUE;
}

gboolean
relais_document_get_page_size (RelaisDocument *document,
                               int             index,
                               double         *width,
                               double         *height,
                               GError        **error)
{
  g_autoptr(PopplerPage) page = NULL;

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (index >= 0 && index < document->n_pages, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return page_size (document, index, &page, width, height, error);
}

cairo_surface_t *
relais_document_render_page (RelaisDocument *document,
                             int             index,
                             int             max_width,
                             int             max_height,
                             GError        **error)
{
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;
  g_autoptr(PopplerPage) page = NULL;
  double width, height, scale;

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (index >= 0 && index < document->n_pages, NULL);
  g_return_val_if_fail (max_width > 0 && max_width <= RELAIS_DOCUMENT_MAX_RENDER, NULL);
  g_return_val_if_fail (max_height > 0 && max_height <= RELAIS_DOCUMENT_MAX_RENDER, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!page_size (document, index, &page, &width, &height, error))
    return NULL;

  scale = MIN (max_width / width, max_height / height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                        CLAMP ((int) (width * scale), 1, max_width),
                                        CLAMP ((int) (height * scale), 1, max_height));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  if (page != NULL)
    poppler_page_render (page, cr);
  else
    {
      g_autoptr(cairo_surface_t) image = pixbuf_to_surface (document->image);

      cairo_set_source_surface (cr, image, 0, 0);
      cairo_paint (cr);
    }
  g_clear_pointer (&cr, cairo_destroy);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      set_damaged (error, cairo_status_to_string (cairo_surface_status (surface)));
      return NULL;
    }
  return g_steal_pointer (&surface);
}
