/* relais-document.h: a document brought by a resident (PDF or image from a
 * USB key), checked and previewed before it is printed. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "relais-limits.h"

G_BEGIN_DECLS

#define RELAIS_DOCUMENT_ERROR (relais_document_error_quark ())
typedef enum {
  RELAIS_DOCUMENT_ERROR_UNREADABLE = 1, /* the file cannot be read */
  RELAIS_DOCUMENT_ERROR_TOO_LARGE,
  RELAIS_DOCUMENT_ERROR_UNSUPPORTED, /* not a PDF, JPEG or PNG */
  RELAIS_DOCUMENT_ERROR_DAMAGED,     /* looks like one, but is broken */
  RELAIS_DOCUMENT_ERROR_PROTECTED,   /* a PDF with a password */
} RelaisDocumentError;
GQuark                         relais_document_error_quark (void);

/* Bigger files are refused before they are read: RELAIS_DOCUMENT_MAX_BYTES
 * (relais-limits.h). */

typedef struct _RelaisDocument RelaisDocument;

/* Parses @bytes (its type from the content, never from a name). Every
 * failure is a RelaisDocumentError whose message the resident can read. */
RelaisDocument                *relais_document_new_from_bytes (GBytes  *bytes,
                                                               GError **error);
RelaisDocument                *relais_document_new_from_file (GFile        *file,
                                                              GCancellable *cancellable,
                                                              GError      **error);
void                           relais_document_free (RelaisDocument *document);
/* "application/pdf", "image/jpeg" or "image/png". */
const char                    *relais_document_get_mime_type (RelaisDocument *document);
int                            relais_document_get_n_pages (RelaisDocument *document);
GBytes                        *relais_document_get_bytes (RelaisDocument *document);
/* Page @index's size: in points (1/72 inch) for a PDF, in pixels for an
 * image (as kept: RELAIS_DOCUMENT_KEEP_SIDE at most). FALSE with @error
 * for a page box no paper has. */
gboolean                       relais_document_get_page_size (RelaisDocument *document,
                                                              int             index,
                                                              double         *width,
                                                              double         *height,
                                                              GError        **error);
/* Page @index (from 0) drawn to fit @max_width × @max_height pixels, on
 * white. Returns: (transfer full): an RGB24 image, or NULL with @error. */
cairo_surface_t               *relais_document_render_page (RelaisDocument *document,
                                                            int             index,
                                                            int             max_width,
                                                            int             max_height,
                                                            GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisDocument, relais_document_free)

G_END_DECLS
