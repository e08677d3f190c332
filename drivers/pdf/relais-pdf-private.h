/* relais-pdf-private.h: the page encoders the PDF writer uses
 * (relais-pdf-encode.c); safe to call from any thread. */
#pragma once

#include "relais-pdf.h"

struct libdeflate_compressor;

G_BEGIN_DECLS

/* libdeflate's default level: on scanned forms and test patterns it is
 * both faster and smaller than zlib's level 6 (see tests/bench/scan-to-pdf). */
#define RELAIS_PDF_FLATE_LEVEL 6

/* How a page's pixels become an image stream. */
typedef enum {
  RELAIS_PDF_ENCODING_JPEG = 1,  /* /DCTDecode */
  RELAIS_PDF_ENCODING_FLATE,     /* /FlateDecode, rows as they are */
  RELAIS_PDF_ENCODING_FLATE_PNG, /* /FlateDecode, PNG row filters (/Predictor 15) */
} RelaisPdfEncoding;

/* JPEG at @quality (1..100): one channel for a grey page. */
GBytes           *relais_pdf_encode_jpeg (const RelaisPage *page,
                                          int               quality,
                                          GError          **error);
/* zlib-wrapped Deflate of the page's rows, with PNG's adaptive row filters
 * when @png_filters (each row then starts with its filter type byte). */
GBytes           *relais_pdf_encode_flate (const RelaisPage *page,
                                           gboolean          png_filters,
                                           GError          **error);
/* A black-and-white page packed 1 bit per pixel (1 = white, as
 * /DeviceGray reads it), rows padded to a byte, then Deflate. */
GBytes           *relais_pdf_encode_bilevel (const RelaisPage *page,
                                             GError          **error);
/* The encoding expected to give the smallest stream for this page, tried
 * on a sample of its rows. */
RelaisPdfEncoding relais_pdf_choose_encoding (const RelaisPage *page,
                                              int               quality);
/* A colour page whose every pixel is grey (a black-and-white letter
 * scanned in colour) as a one-channel page; otherwise NULL. @tolerance:
 * how far apart a pixel's channels may be (0: exactly grey, kept as is;
 * more: their mean, for pages that go lossy anyway). */
RelaisPage       *relais_pdf_page_as_grey (const RelaisPage *page,
                                           int               tolerance);

/* JPEG of rows given one at a time, in order, by @row_func (its pointer
 * valid until the next call): a page made as it is compressed. */
typedef const guint8 *(*RelaisPdfRowFunc) (int y, gpointer user_data);
GBytes *relais_pdf_encode_jpeg_rows (int              width,
                                     int              height,
                                     gboolean         grey,
                                     int              quality,
                                     RelaisPdfRowFunc row_func,
                                     gpointer         user_data,
                                     GError         **error);

/* zlib-wrapped Deflate of a buffer (libdeflate). */
GBytes *relais_pdf_deflate_buffer (const guint8 *data,
                                   gsize         size,
                                   GError      **error);

/* Work memory an encoder keeps from one page to the next, for one thread
 * at a time: the layers and the mask of mixed raster content, Deflate's
 * compressor. A text page's buffers are 10 MB that the
 * kernel otherwise hands out anew for every page, a fault and a zeroed
 * page every 4 KiB (ten colour papers, scan-real: 6 % of all the
 * samples, in the encoders' first writes). */
typedef struct
{
  guint8 *data;
  gsize   size;
} RelaisPdfScratchBuffer;
typedef struct _RelaisPdfScratch RelaisPdfScratch;
struct _RelaisPdfScratch {
  struct {
    RelaisPdfScratchBuffer alpha;
    /* Per layer of mixed raster content (the paper, the ink, its core),
     * and per half of the page for what each half keeps of its own. */
    RelaisPdfScratchBuffer planes[3], known[3], sums[2][3], lumas[2];
  } buffers;
  struct libdeflate_compressor *compressor;
  /* NULL: the encoder splits its longest passes in two (relais_pdf_fork ())
   * whenever it likes; else only once this is non-zero (atomic): a PDF
   * writer, while the scanner still reads the pile, keeps every core
   * busy with a page each, and halves would only slow the reading. */
  const int                    *fork_gate;
};
RelaisPdfScratch *relais_pdf_scratch_new (void);
void              relais_pdf_scratch_free (RelaisPdfScratch *scratch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisPdfScratch, relais_pdf_scratch_free)
/* @buffer's memory, at least @size bytes, contents undefined. */
gpointer                      relais_pdf_scratch_buffer (RelaisPdfScratchBuffer *buffer,
                                                         gsize                   size);

/* relais_pdf_deflate_buffer () with @scratch's compressor (NULL: one of
 * its own). */
GBytes                       *relais_pdf_deflate_buffer_with (RelaisPdfScratch *scratch,
                                                              const guint8     *data,
                                                              gsize             size,
                                                              GError          **error);

/* relais_pdf_image_new () with @scratch's memory (NULL: its own). */
RelaisPdfImage               *relais_pdf_image_new_with (const RelaisPage *page,
                                                         int               jpeg_quality,
                                                         RelaisPdfScratch *scratch,
                                                         GError          **error);

/* A piece of a page's encoding offered to another core
 * (relais-pdf-fork.c): relais_pdf_fork () queues @func (@data, NULL) for
 * a helper thread, relais_pdf_fork_join () returns once it is done, having
 * done it itself if no helper had started it. */
typedef struct _RelaisPdfFork RelaisPdfFork;
RelaisPdfFork                *relais_pdf_fork (GFunc    func,
                                               gpointer data);
void                          relais_pdf_fork_join (RelaisPdfFork *fork);

/* What a page is (relais-pdf-mrc.c). */
typedef enum {
  RELAIS_PDF_PAGE_SYNTHETIC = 1, /* no sensor noise: drawn by a program, a test pattern */
  RELAIS_PDF_PAGE_TEXT,          /* print and handwriting on paper */
  RELAIS_PDF_PAGE_PICTURE,       /* a photo, an identity card: kept whole */
} RelaisPdfPageKind;

typedef struct {
  RelaisPdfPageKind kind;
  int               paper;         /* the paper's luminance, 0..255 */
  guint8            paper_rgb[3];  /* its colour */
  int               ink;           /* darker than this is ink */
  int               ink_tone;      /* the mean luminance of the ink's core */
  gboolean          neutral;       /* no coloured ink (grey, black) */
  double            picture_share; /* of the page's 16 × 16 blocks */
} RelaisPdfAnalysis;

/* Looks at the page without copying it: one row in eight for the tones
 * and the noise, every other pixel of every other row for pictures. */
void relais_pdf_analyse (const RelaisPage  *page,
                         RelaisPdfAnalysis *out);

/* Mixed raster content: the ink's share of each pixel as a soft mask
 * (/SMask, @mask_bits per pixel, Deflate) at the page's resolution, the paper without the ink at a third of it,
 * the ink's colours at a sixth (both JPEG, at qualities below @quality;
 * grey when the page is neutral). */
typedef struct {
  GBytes  *mask; /* a soft mask (/SMask): 0 = paper, full = ink */
  int      mask_width, mask_height, mask_bits;
  GBytes  *background;
  int      background_width, background_height;
  GBytes  *foreground;
  int      foreground_width, foreground_height;
  gboolean grey;
} RelaisPdfMrc;
gboolean    relais_pdf_encode_mrc (const RelaisPage        *page,
                                   const RelaisPdfAnalysis *analysis,
                                   int                      quality,
                                   RelaisPdfScratch        *scratch,
                                   RelaisPdfMrc            *out,
                                   GError                 **error);
void        relais_pdf_mrc_clear (RelaisPdfMrc *mrc);

/* A colour page's luminance (what a grey scan of it would give). */
RelaisPage *relais_pdf_page_luma (const RelaisPage *page);

/* JPEG of @page with its blocks of bare paper (nothing but the paper's
 * tone and the sensor's noise) made uniform, 16 rows at a time: JPEG then
 * spends nothing on them. Blocks with any content stay exactly as they
 * are. */
GBytes     *relais_pdf_encode_jpeg_flat (const RelaisPage        *page,
                                         const RelaisPdfAnalysis *analysis,
                                         int                      quality,
                                         GError                 **error);

G_END_DECLS
