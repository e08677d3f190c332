/* relais-pdf-private.h: the page encoders the PDF writer uses
 * (relais-pdf-encode.c); safe to call from any thread. */
#pragma once

#include "relais-pdf.h"

G_BEGIN_DECLS

/* libdeflate's default level: on scanned forms and test patterns it is
 * both faster and smaller than zlib's level 6 (see tests/bench/scan-to-pdf). */
#define RELAIS_PDF_FLATE_LEVEL 6

/* How a page's pixels become an image stream. */
typedef enum {
  RELAIS_PDF_ENCODING_JPEG = 1,     /* /DCTDecode */
  RELAIS_PDF_ENCODING_FLATE,        /* /FlateDecode, rows as they are */
  RELAIS_PDF_ENCODING_FLATE_PNG,    /* /FlateDecode, PNG row filters (/Predictor 15) */
} RelaisPdfEncoding;

/* JPEG at @quality (1..100): one channel for a grey page. */
GBytes           *relais_pdf_encode_jpeg     (const RelaisPage  *page,
                                              int                quality,
                                              GError           **error);
/* zlib-wrapped Deflate of the page's rows, with PNG's adaptive row filters
 * when @png_filters (each row then starts with its filter type byte). */
GBytes           *relais_pdf_encode_flate    (const RelaisPage  *page,
                                              gboolean           png_filters,
                                              GError           **error);
/* A black-and-white page packed 1 bit per pixel (1 = white, as
 * /DeviceGray reads it), rows padded to a byte, then Deflate. */
GBytes           *relais_pdf_encode_bilevel  (const RelaisPage  *page,
                                              GError           **error);
/* The encoding expected to give the smallest stream for this page, tried
 * on a sample of its rows. */
RelaisPdfEncoding relais_pdf_choose_encoding (const RelaisPage  *page,
                                              int                quality);
/* A colour page whose every pixel is grey (a black-and-white letter
 * scanned in colour) as a one-channel page; otherwise NULL. @tolerance:
 * how far apart a pixel's channels may be (0: exactly grey, kept as is;
 * more: their mean, for pages that go lossy anyway). */
RelaisPage       *relais_pdf_page_as_grey    (const RelaisPage  *page,
                                              int                tolerance);

G_END_DECLS
