/* relais-letter.h: a scanned letter read by Tesseract (its C API), on a
 * worker thread, after Leptonica has turned it straight and cleaned its
 * background. The text stays in memory: nothing is written to disk. */
#pragma once

#include <gio/gio.h>
#include "relais-page.h"

G_BEGIN_DECLS

#define RELAIS_LETTER_ERROR (relais_letter_error_quark ())
GQuark relais_letter_error_quark (void);

typedef enum {
  RELAIS_LETTER_ERROR_LANGUAGE = 1, /* no recognition data for the language */
  RELAIS_LETTER_ERROR_PAGE,         /* a page Tesseract cannot read */
  RELAIS_LETTER_ERROR_CANCELLED,
} RelaisLetterError;

/* One recognised word: its box in the pixels of RelaisLetterText.page
 * (the page as read: straightened, cleaned) and where it lies in the text. */
typedef struct
{
  int   x, y, width, height;
  int   start, end; /* byte offsets into RelaisLetterText.text */
  float confidence; /* 0–100 */
} RelaisLetterWord;

typedef struct
{
  char       *text;         /* UTF-8, lines and paragraphs as read */
  GArray     *words;        /* RelaisLetterWord, in reading order */
  RelaisPage *page;         /* the page as read (grey, straight, clean, on white) */
  double      skew_degrees; /* the straightening Leptonica applied */
  int         mean_confidence;
} RelaisLetterText;

void relais_letter_text_free (RelaisLetterText *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisLetterText, relais_letter_text_free)

/* Tesseract's language codes for a station language ("fr" → "fra", "ar" →
 * "ara+fra": a letter in France mixes French in); NULL for unknown. */
const char *relais_letter_tesseract_languages (const char *language);

/* Called on the main context with 0–100 while the page is read. */
typedef void (*RelaisLetterProgress) (int percent, gpointer user_data);

/* Blocking: for a worker thread, a benchmark or a test. @languages is
 * Tesseract's ("fra", "ara+fra"). @progress is called from the calling
 * thread. */
RelaisLetterText *relais_letter_read (RelaisPage          *page,
                                      const char          *languages,
                                      GCancellable        *cancellable,
                                      RelaisLetterProgress progress,
                                      gpointer             progress_data,
                                      GError             **error);

/* The same on a worker thread; @progress (nullable) reaches the
 * thread-default main context of the caller. */
void              relais_letter_read_async (RelaisPage          *page,
                                            const char          *languages,
                                            GCancellable        *cancellable,
                                            RelaisLetterProgress progress,
                                            gpointer             progress_data,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
RelaisLetterText *relais_letter_read_finish (GAsyncResult *result,
                                             GError      **error);

/* The resolution letters are read at: scanned, or drawn from a PDF. */
#define RELAIS_LETTER_DPI 300

/* Page @index (from 0) of a PDF, JPEG or PNG (a USB key's file, a safe's
 * document) drawn by poppler at RELAIS_LETTER_DPI in grey, ready for
 * relais_letter_read (); an image keeps its pixels. @n_pages (nullable):
 * the document's pages. Blocking (a PDF page: under a second): for a
 * worker thread. Errors: RelaisDocumentError (a message the resident can
 * read), or RELAIS_LETTER_ERROR_PAGE for a page the document has not. */
RelaisPage *relais_letter_page_from_document (GBytes  *bytes,
                                              int      index,
                                              int     *n_pages,
                                              GError **error);

G_END_DECLS
