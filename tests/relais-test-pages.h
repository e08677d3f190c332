/* relais-test-pages.h: synthetic scanned pages for the tests. */
#pragma once

#include "relais-page.h"

G_BEGIN_DECLS

/* A page with a stride wider than its rows, so that padding is exercised,
 * and a sensor's noise. @photo: smooth colour gradients (a photo) rather
 * than text-like bars. */
RelaisPage *relais_test_make_page (RelaisPageFormat format,
                                   int              width,
                                   int              height,
                                   int              dpi,
                                   gboolean         photo);

G_END_DECLS
