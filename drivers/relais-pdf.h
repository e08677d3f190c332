/* relais-pdf.h: pages to an A4 PDF with cairo (JPEG-embedded colour/grey). */
#pragma once

#include "relais-page.h"

G_BEGIN_DECLS

#define RELAIS_PDF_ERROR (relais_pdf_error_quark ())
typedef enum {
  RELAIS_PDF_ERROR_NO_PAGES = 1,
  RELAIS_PDF_ERROR_WRITE,
  RELAIS_PDF_ERROR_ENCODE,
} RelaisPdfError;
GQuark relais_pdf_error_quark (void);

/* Writes @pages (RelaisPage*) as an A4 PDF to @path. Each page is scaled to
 * fit the A4 sheet at its scan resolution, centred, never enlarged past 100%.
 * @jpeg_quality in 1..100 (0 = default 85). */
gboolean relais_pdf_write_file  (GPtrArray   *pages,
                                 const char  *path,
                                 int          jpeg_quality,
                                 GError     **error);
/* Same, into memory. */
GBytes  *relais_pdf_write_bytes (GPtrArray   *pages,
                                 int          jpeg_quality,
                                 GError     **error);

G_END_DECLS
