/* relais-test-papers.h: realistic papers as a scanner sees them (letters,
 * payslips, tax notices, an identity card, a photo, a filled-in form),
 * drawn with cairo and pango, then degraded as a flatbed degrades them. */
#pragma once

#include "relais-page.h"

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  RELAIS_TEST_PAPER_LETTER = 1, /* a typed letter, a coloured logo, a signature */
  RELAIS_TEST_PAPER_PAYSLIP,    /* a table with ruled and shaded rows */
  RELAIS_TEST_PAPER_TAX_NOTICE, /* tinted bands and boxes, a 2-D barcode */
  RELAIS_TEST_PAPER_ID_RECTO,   /* a card on the glass: guilloche, a face, fields */
  RELAIS_TEST_PAPER_ID_VERSO,   /* its back: fields and the machine-readable zone */
  RELAIS_TEST_PAPER_PHOTO,      /* a photograph printed on the sheet */
  RELAIS_TEST_PAPER_FORM,       /* a printed form filled in by hand, in blue */
} RelaisTestPaperKind;

/* "letter", "payslip"…: for file names and figures. */
const char         *relais_test_paper_kind_name (RelaisTestPaperKind kind);

/* TRUE for the papers that are text on paper (letter, payslip, tax notice,
 * form), as opposed to the card and the photo. */
gboolean            relais_test_paper_kind_is_text (RelaisTestPaperKind kind);

/* The ten pages of the scan-real bench, in order: two letters, two
 * payslips, a tax notice, the card's two sides, a photo, a form, and a
 * second page of the letter. */
RelaisTestPaperKind relais_test_paper_corpus_kind (guint index);
#define RELAIS_TEST_PAPER_CORPUS_SIZE 10

/* Renders one A4 sheet of @kind at @dpi (RGB), varied by @seed (the text,
 * the skew angle between 0.5° and 2° either way). @out_clean: the sheet as
 * an ideal scanner sees it where it lies on the glass (skewed, but without
 * texture, blur or noise): what the fidelity figures compare with.
 * @out_scanned: the same after the paper's texture, the optics' slight
 * blur and the sensor's noise. @out_angle (nullable): the skew in degrees. */
void        relais_test_paper_render (RelaisTestPaperKind kind,
                                      guint               seed,
                                      int                 dpi,
                                      RelaisPage        **out_clean,
                                      RelaisPage        **out_scanned,
                                      double             *out_angle);

/* A typed letter of @typed ("\n" between paragraphs, the first one the
 * sender's name beside a logo). Clean: straight, plain paper, no noise.
 * @degraded: askew by 0.5–2°, the paper's texture, blur, noise, then
 * JPEG-compressed (quality 55) as a cheap scanner sends it. */
void        relais_test_paper_render_typed (const char  *typed,
                                            guint        seed,
                                            int          dpi,
                                            gboolean     degraded,
                                            RelaisPage **out_page);

/* Binary PNM (P6 for colour, P5 for grey), as SANE's pnm backend reads. */
gboolean    relais_test_page_write_pnm (const RelaisPage *page,
                                        const char       *path,
                                        GError          **error);
/* Reads what relais_test_page_write_pnm () wrote. */
RelaisPage *relais_test_page_read_pnm (const char *path,
                                       int         dpi,
                                       GError    **error);
/* A PNG of the page, scaled down to @max_width pixels wide (to look at). */
gboolean    relais_test_page_write_png (const RelaisPage *page,
                                        int               max_width,
                                        const char       *path,
                                        GError          **error);

G_END_DECLS
