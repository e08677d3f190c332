/* relais-pdf.h: pages to an A4 PDF: photos and cards as JPEG, papers of
 * text as mixed raster content (a soft mask of the ink over a low-
 * resolution JPEG of the paper), "Texte" scans 1 bit per pixel and flat
 * synthetic pages lossless (Deflate, with PNG row filters when they help). */
#pragma once

#include "relais-page.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAIS_PDF_ERROR (relais_pdf_error_quark ())
typedef enum {
  RELAIS_PDF_ERROR_NO_PAGES = 1,
  RELAIS_PDF_ERROR_WRITE,
  RELAIS_PDF_ERROR_ENCODE,
  RELAIS_PDF_ERROR_TOO_LARGE,
} RelaisPdfError;
GQuark   relais_pdf_error_quark (void);

/* Writes @pages (RelaisPage*) as an A4 PDF to @path. Each page is scaled to
 * fit the A4 sheet at its scan resolution, centred, never enlarged past 100%.
 * @jpeg_quality in 1..100 (0 = default 85). */
gboolean relais_pdf_write_file (GPtrArray  *pages,
                                const char *path,
                                int         jpeg_quality,
                                GError    **error);
/* Same, into memory. */
GBytes  *relais_pdf_write_bytes (GPtrArray *pages,
                                 int        jpeg_quality,
                                 GError   **error);

/* How a page's image went into the PDF (for tests and figures). */
typedef enum {
  RELAIS_PDF_IMAGE_JPEG = 1, /* /DCTDecode, grey (1 component) or RGB */
  RELAIS_PDF_IMAGE_LOSSLESS, /* /FlateDecode, 8 bits: few colours */
  RELAIS_PDF_IMAGE_BILEVEL,  /* /FlateDecode, 1 bit: a "Texte" scan */
  RELAIS_PDF_IMAGE_MRC,      /* text on paper: a soft ink mask over a
                              * low-resolution JPEG of the paper */
} RelaisPdfImageKind;

/* One page made ready for the PDF: the costly part (colour analysis, JPEG
 * compression), safe to run in any thread, so that a scanner's next page
 * and this one's encoding overlap. */
typedef struct _RelaisPdfImage RelaisPdfImage;
RelaisPdfImage                *relais_pdf_image_new (const RelaisPage *page,
                                                     int               jpeg_quality,
                                                     GError          **error);
RelaisPdfImageKind             relais_pdf_image_get_kind (const RelaisPdfImage *image);
void                           relais_pdf_image_free (RelaisPdfImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisPdfImage, relais_pdf_image_free)

/* A PDF written page after page, in memory (call it from one thread at a
 * time). add_page () hands the page to a pool of encoding threads and
 * returns while it is being encoded (blocking only when a few pages already
 * wait), so that scanning the next sheet and encoding this one overlap;
 * the pages land in the document in the order given. add_image () writes an
 * image already encoded, after every page given before it. An encoding
 * failure makes the later calls and finish () fail with that error. */
typedef struct _RelaisPdfWriter RelaisPdfWriter;
RelaisPdfWriter                *relais_pdf_writer_new (void);
gboolean                        relais_pdf_writer_add_image (RelaisPdfWriter *writer,
                                                             RelaisPdfImage  *image,
                                                             GError         **error);
gboolean                        relais_pdf_writer_add_page (RelaisPdfWriter  *writer,
                                                            const RelaisPage *page,
                                                            int               jpeg_quality,
                                                            GError          **error);
guint                           relais_pdf_writer_get_n_pages (RelaisPdfWriter *writer);
void                            relais_pdf_writer_set_max_bytes (RelaisPdfWriter *writer,
                                                                 gsize            max_bytes);
/* Ends the document. Returns: (transfer full): the PDF, or NULL. */
GBytes                         *relais_pdf_writer_finish (RelaisPdfWriter *writer,
                                                          GError         **error);
void                            relais_pdf_writer_free (RelaisPdfWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisPdfWriter, relais_pdf_writer_free)

/* "Pour un site internet": the whole PDF at most @max_bytes, trying lower
 * resolutions and JPEG qualities until it fits (text pages stay 1 bit).
 * @out_dpi and @out_quality (nullable) say what was chosen. Fails with
 * RELAIS_PDF_ERROR_TOO_LARGE when even the lowest setting is too big. */
GBytes *relais_pdf_write_bytes_capped (GPtrArray *pages,
                                       gsize      max_bytes,
                                       int       *out_dpi,
                                       int       *out_quality,
                                       GError   **error);

/* Either of the above in a worker thread (@max_bytes > 0: capped). */
void    relais_pdf_build_async (GPtrArray          *pages,
                                int                 jpeg_quality,
                                gsize               max_bytes,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
GBytes *relais_pdf_build_finish (GAsyncResult *result,
                                 GError      **error);

/* "1,2 Mo" / "350 ko": a size as a French reader says it. */
char   *relais_pdf_format_size (guint64 bytes);

G_END_DECLS
