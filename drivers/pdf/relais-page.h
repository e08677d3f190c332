/* relais-page.h: one scanned page held in memory (never in a file). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  RELAIS_PAGE_GRAY = 1, /* 8 bits per pixel, 0 = black */
  RELAIS_PAGE_RGB,      /* 24 bits per pixel, R G B */
} RelaisPageFormat;

/* Invariant: stride >= width * bytes-per-pixel, data holds height * stride
 * bytes. A page is immutable once built; share it with relais_page_ref (). */
typedef struct _RelaisPage RelaisPage;

#define RELAIS_TYPE_PAGE (relais_page_get_type ())
GType            relais_page_get_type (void) G_GNUC_CONST;

RelaisPage      *relais_page_new (RelaisPageFormat format,
                                  int              width,
                                  int              height,
                                  int              stride,
                                  int              dpi,
                                  GBytes          *data);
RelaisPage      *relais_page_ref (RelaisPage *page);
void             relais_page_unref (RelaisPage *page);
RelaisPageFormat relais_page_get_format (const RelaisPage *page);
int              relais_page_get_width (const RelaisPage *page);
int              relais_page_get_height (const RelaisPage *page);
int              relais_page_get_stride (const RelaisPage *page);
int              relais_page_get_dpi (const RelaisPage *page);
/* Borrowed pointer to height * stride bytes. */
const guint8    *relais_page_get_data (const RelaisPage *page);
GBytes          *relais_page_get_bytes (const RelaisPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisPage, relais_page_unref)

/* Editing (relais-page-edit.c): pure functions, each returns a new page and
 * leaves its argument alone. */

/* @quarter_turns clockwise (any integer; 4 is a full turn). */
RelaisPage *relais_page_rotate (const RelaisPage *page,
                                int               quarter_turns);
/* The page without the white (or near-white) margin a flatbed leaves around
 * a smaller sheet: the smallest rectangle holding every pixel darker than
 * the paper, plus a small border. A page that is all white, or whose
 * content already reaches the edges, comes back as a new reference. */
RelaisPage *relais_page_crop_margins (RelaisPage *page);
/* The page at @dpi (smaller only: a lower @dpi than the page's shrinks it by
 * averaging; an equal or higher one returns a new reference). */
RelaisPage *relais_page_scale_to_dpi (RelaisPage *page,
                                      int         dpi);
/* @top above @bottom on one white sheet, @gap_mm apart, each centred: an
 * identity card's two sides on one page, as administrations ask for it.
 * The lower resolution of the two is kept; grey and colour give colour. */
RelaisPage *relais_page_stack (RelaisPage *top,
                               RelaisPage *bottom,
                               double      gap_mm);
/* TRUE when every pixel is pure black or pure white (a "Texte" scan): such
 * a page is stored 1 bit per pixel, without JPEG's smudges. */
gboolean    relais_page_is_bilevel (const RelaisPage *page);

/* "Document" mode (a letter, a form; never a card or a photo): the sheet
 * turned back straight when it lay askew by less than @max_degrees (the
 * angle found from how its lines of ink line up, in @out_degrees,
 * clockwise as seen; under 0.15° the page comes back as a new reference),
 * the frame's edge repeated where the turned sheet leaves it. Needs a page
 * at least 2 pixels wide and high. */
RelaisPage *relais_page_straighten (RelaisPage *page,
                                    double      max_degrees,
                                    double     *out_degrees);
/* The page without the rows and columns of the scanner's dark plate
 * around the sheet (each more than half dark, at most a quarter of the
 * page from each side); a new reference when there are none. */
RelaisPage *relais_page_trim_dark_borders (RelaisPage *page);
/* The scan page's "document" choice: @page straightened (up to 3°; the
 * angle in @out_degrees, 0 when left) then without the plate around it;
 * a page the PDF writer judges a picture (a photo, an identity card)
 * comes back as it is, a new reference. */
RelaisPage *relais_page_as_document (RelaisPage *page,
                                     double     *out_degrees);

G_END_DECLS
