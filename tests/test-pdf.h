/* test-pdf.h: what the files of test-pdf share: pages made for the
 * writer, the PDF read back with poppler, and each file's cases. */
#pragma once

#include "relais-pdf.h"
#include "relais-scanner.h"
#include "relais-test-pages.h"
#include "relais-test-papers.h"
#include "relais-test-util.h"

#include <math.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define A4_WIDTH     595.276
#define A4_HEIGHT    841.890
#define MM_TO_PT(mm) ((mm) / 25.4 * 72.0)

/* The image XObjects of a PDF as cairo writes them: one dictionary per
 * image, its keys on their own lines. */
typedef struct
{
  char filter[32];
  char colour_space[32];
  int  bits;
  int  width;
  int  height;
} PdfImage;

RelaisPage      *make_a4_letter (int dpi);
GPtrArray       *page_array (void);
guint            count_occurrences (GBytes     *bytes,
                                    const char *needle);
PopplerDocument *open_pdf (GBytes *pdf);
void             assert_a4 (PopplerPage *page);
cairo_surface_t *page_image_n (PopplerPage      *page,
                               PopplerRectangle *area,
                               guint             n_images);
cairo_surface_t *page_image (PopplerPage      *page,
                             PopplerRectangle *area);
double           mean_difference (RelaisPage      *page,
                                  cairo_surface_t *image);
GArray          *pdf_images (GBytes *pdf);
RelaisPage      *make_bilevel_page (int width,
                                    int height,
                                    int dpi);
RelaisPage      *make_ramp_page (RelaisPageFormat format,
                                 int              width,
                                 int              height,
                                 int              dpi);
void             assert_pdf_structure (GBytes *pdf);
RelaisPage      *scan_test_page (RelaisScanner *scanner,
                                 const char    *picture,
                                 RelaisScanMode mode,
                                 int            dpi);

void             test_pdf_writer_add_tests (void);
void             test_pdf_encodings_add_tests (void);
