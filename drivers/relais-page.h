/* relais-page.h: one scanned page held in memory (never in a file). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  RELAIS_PAGE_GRAY = 1,   /* 8 bits per pixel, 0 = black */
  RELAIS_PAGE_RGB,        /* 24 bits per pixel, R G B */
} RelaisPageFormat;

/* Invariant: stride >= width * bytes-per-pixel, data holds height * stride
 * bytes. A page is immutable once built; share it with relais_page_ref (). */
typedef struct _RelaisPage RelaisPage;

#define RELAIS_TYPE_PAGE (relais_page_get_type ())
GType             relais_page_get_type   (void) G_GNUC_CONST;

RelaisPage       *relais_page_new        (RelaisPageFormat format,
                                          int              width,
                                          int              height,
                                          int              stride,
                                          int              dpi,
                                          GBytes          *data);
RelaisPage       *relais_page_ref        (RelaisPage *page);
void              relais_page_unref      (RelaisPage *page);
RelaisPageFormat  relais_page_get_format (const RelaisPage *page);
int               relais_page_get_width  (const RelaisPage *page);
int               relais_page_get_height (const RelaisPage *page);
int               relais_page_get_stride (const RelaisPage *page);
int               relais_page_get_dpi    (const RelaisPage *page);
/* Borrowed pointer to height * stride bytes. */
const guint8     *relais_page_get_data   (const RelaisPage *page);
GBytes           *relais_page_get_bytes  (const RelaisPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisPage, relais_page_unref)

G_END_DECLS
