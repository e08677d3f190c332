/* test-letter.c: understanding a letter (drivers/letter). The facts are
 * checked on the known texts of tests/relais-test-letters.c; then two of
 * those letters are drawn at 300 dpi (one clean, one askew, noisy and
 * JPEG-damaged), scanned through SANE's pnm backend as a scanner gives
 * them, and read by Tesseract on its worker thread. OCR is slow: two
 * pages in all. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-document.h"
#include "relais-letter.h"
#include "relais-letter-facts.h"
#include "relais-glossary.h"
#include "relais-speech.h"
#include "relais-scanner.h"
#include "relais-test-letters.h"
#include "relais-test-papers.h"
#include "relais-test-util.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <string.h>

static void
assert_facts (const RelaisTestLetter *letter, const RelaisLetterFacts *facts)
{
  const RelaisLetterAmount *amount = relais_letter_facts_get_main_amount (facts);

  g_assert_cmpstr (facts->sender_id, ==, letter->sender_id);
  g_assert_cmpstr (relais_letter_kind_to_string (facts->kind), ==, letter->kind);
  g_assert_true (g_date_valid (&facts->deadline));
  g_assert_cmpint (g_date_get_day (&facts->deadline), ==, letter->deadline_day);
  g_assert_cmpint (g_date_get_month (&facts->deadline), ==, letter->deadline_month);
  g_assert_cmpint (g_date_get_year (&facts->deadline), ==, letter->deadline_year);
  g_assert_nonnull (facts->deadline_text);
  if (letter->amount > 0)
    {
      g_assert_nonnull (amount);
      g_assert_cmpfloat_with_epsilon (amount->euros, letter->amount, 0.001);
      g_assert_true (amount->owed);
    }
  if (letter->reference_label != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < facts->references->len; i++)
        {
          const RelaisLetterReference *ref = &g_array_index (facts->references, RelaisLetterReference, i);

          if (strcmp (ref->label, letter->reference_label) == 0)
            {
              found = TRUE;
              g_assert_true (g_str_has_suffix (ref->masked, letter->reference_end));
              g_assert_nonnull (strstr (ref->masked, "•"));
            }
        }
      g_assert_true (found);
    }
}

static void
test_facts_known (void)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  for (guint i = 0; i < RELAIS_TEST_LETTER_COUNT; i++)
    {
      const RelaisTestLetter *letter = relais_test_letter_get (i);
      g_autoptr (RelaisLetterFacts) facts = relais_letter_facts_find (letter->text, &today);

      g_test_message ("letter %u: %s", i + 1, letter->sender_id);
      assert_facts (letter, facts);
    }
}

/* The forms a deadline takes in letters, one by one. */
static void
test_facts_deadlines (void)
{
  static const struct
  {
    const char *text;
    int         d, m, y;
  } cases[] = {
    { "Paris, le 3 mars 2027. Répondez avant le 1er avril 2027.", 1, 4, 2027 },
    { "Le 10/01/2027 : merci de répondre sous 15 jours.", 25, 1, 2027 },
    { "Le 5 janvier 2027, vous avez un délai de paiement. Date limite : 20/02/2027", 20, 2, 2027 },
    { "Nantes, le 28 février 2027. Dans un délai de deux mois, vous pouvez contester.", 28, 4, 2027 },
    { "Vous avez jusqu’au 31 août 2027 pour déclarer vos revenus.", 31, 8, 2027 },
    /* No date of its own: counted from today. */
    { "Merci de nous renvoyer ce formulaire sous 8 jours.", 10, 12, 2026 },
  };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (RelaisLetterFacts) facts = relais_letter_facts_find (cases[i].text, &today);

      g_test_message ("%s", cases[i].text);
      g_assert_true (g_date_valid (&facts->deadline));
      g_assert_cmpint (g_date_get_day (&facts->deadline), ==, cases[i].d);
      g_assert_cmpint (g_date_get_month (&facts->deadline), ==, cases[i].m);
      g_assert_cmpint (g_date_get_year (&facts->deadline), ==, cases[i].y);
    }
}

static void
test_facts_amounts (void)
{
  GDate today;
  g_autoptr (RelaisLetterFacts) facts = NULL;
  const RelaisLetterAmount *main_amount;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  facts = relais_letter_facts_find (
      "Votre aide s'élève à 245,10 € par mois. Vous avez reçu un trop-perçu de 80 euros. "
      "Total 12 345,00 EUR.",
      &today);
  g_assert_cmpuint (facts->amounts->len, ==, 3);
  g_assert_cmpfloat_with_epsilon (g_array_index (facts->amounts, RelaisLetterAmount, 0).euros, 245.10, 0.001);
  g_assert_cmpfloat_with_epsilon (g_array_index (facts->amounts, RelaisLetterAmount, 2).euros, 12345.0, 0.001);
  main_amount = relais_letter_facts_get_main_amount (facts);
  g_assert_cmpfloat_with_epsilon (main_amount->euros, 80, 0.001);
  g_assert_true (main_amount->owed);
  g_assert_cmpstr (main_amount->text, ==, "80 euros");
}

static void
test_mask (void)
{
  g_autofree char *a = relais_letter_mask_reference ("2 85 05 93 066 042 17", 3);
  g_autofree char *b = relais_letter_mask_reference ("12", 3);

  g_assert_cmpstr (a, ==, "• •• •• •• ••• ••2 17");
  g_assert_cmpstr (b, ==, "12");
}

/* Nothing, noise, broken UTF-8, a huge line: no crash, nothing invented. */
static void
test_facts_bad_input (void)
{
  static const char *texts[] = {
    "",
    "    \n\n",
    "€€€ 99/99/9999 le 32 janvier 2027 avant le 30 février 2027",
    "\xff\xfe caf \xc3",
    "numéro allocataire : ",
    "sous 0 jours, sous 9999 jours",
  };
  GDate today;
  g_autoptr (GString) big = g_string_new (NULL);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (RelaisLetterFacts) facts = relais_letter_facts_find (texts[i], &today);

      g_assert_false (g_date_valid (&facts->deadline));
      g_assert_cmpuint (facts->amounts->len, ==, 0);
      g_assert_cmpuint (facts->references->len, ==, 0);
      g_assert_cmpint (facts->kind, ==, RELAIS_LETTER_KIND_UNKNOWN);
    }
  for (int i = 0; i < 20000; i++)
    g_string_append (big, "xx 1 ");
  {
    g_autoptr (RelaisLetterFacts) facts = relais_letter_facts_find (big->str, &today);

    g_assert_null (facts->sender);
  }
}

static void
test_fold (void)
{
  g_autoptr (GArray) map = NULL;
  const char      *text = "Échéance : 1 234,56 € — trop‑perçu";
  g_autofree char *folded = relais_letter_fold (text, &map);

  g_assert_cmpstr (folded, ==, "echeance : 1 234,56 eur - trop-percu");
  g_assert_cmpuint (map->len, ==, strlen (folded) + 1);
  /* "eur" maps back to the euro sign. */
  g_assert_cmpint (g_array_index (map, int, strstr (folded, "eur") - folded), ==,
                   strstr (text, "€") - text);
}

/* ------------------------------------------------------------------------ */
/* Through the scanner and Tesseract */

static char *sane_dir;

/* SANE's pnm backend reads a PNM file as a scanner would give it. */
static RelaisPage *
scan_pnm (RelaisPage *page)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (sane_dir, "letter.pnm", NULL);
  g_autoptr (RelaisScanner) scanner = NULL;
  RelaisScanOptions options = { 0 };
  RelaisPage       *scanned;

  g_assert_true (relais_test_page_write_pnm (page, path, &error));
  scanner = relais_scanner_sane_new ("pnm:0", &error);
  g_assert_no_error (error);
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "filename", path, &error));
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "grayify", "yes", &error));
  options.mode = RELAIS_SCAN_GRAY;
  options.dpi = 300;
  options.source = RELAIS_SCAN_SOURCE_DEFAULT;
  scanned = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return scanned;
}

typedef struct
{
  RelaisLetterText *text;
  GError           *error;
  int               last_percent;
  guint             n_progress;
  gboolean          done;
} ReadState;

static void
read_progress (int percent, gpointer user_data)
{
  ReadState *state = user_data;

  g_assert_cmpint (percent, >=, state->last_percent);
  state->last_percent = percent;
  state->n_progress++;
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadState *state = user_data;

  (void) source;
  state->text = relais_letter_read_finish (result, &state->error);
  state->done = TRUE;
}

static void
read_letter (guint index, gboolean degraded, double max_cer)
{
  const RelaisTestLetter *letter = relais_test_letter_get (index);
  g_autoptr (RelaisPage) paper = NULL;
  g_autoptr (RelaisPage) page = NULL;
  g_autoptr (RelaisLetterFacts) facts = NULL;
  ReadState state = { 0 };
  GDate     today;
  double    cer;

  relais_test_paper_render_typed (letter->text, index, 300, degraded, &paper);
  page = scan_pnm (paper);
  relais_letter_read_async (page, "fra", NULL, read_progress, &state, read_done, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  /* Progress reached the main context, in order, up to the end. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.n_progress, >=, 3);
  g_assert_cmpint (state.last_percent, ==, 100);

  cer = relais_test_letter_cer (letter->text, state.text->text);
  g_test_message ("letter %u %s: CER %.4f, skew %.2f°, confidence %d", index + 1,
                  degraded ? "degraded" : "clean", cer, state.text->skew_degrees,
                  state.text->mean_confidence);
  if (cer > max_cer || g_getenv ("RELAIS_TEST_SHOW_TEXT") != NULL)
    g_test_message ("read: %s", state.text->text);
  g_assert_cmpfloat (cer, <=, max_cer);

  /* Every word's box lies on the page read, its place in the text. */
  g_assert_cmpuint (state.text->words->len, >, 100);
  for (guint i = 0; i < state.text->words->len; i++)
    {
      const RelaisLetterWord *w = &g_array_index (state.text->words, RelaisLetterWord, i);

      g_assert_cmpint (w->x, >=, 0);
      g_assert_cmpint (w->y, >=, 0);
      g_assert_cmpint (w->x + w->width, <=, relais_page_get_width (state.text->page));
      g_assert_cmpint (w->y + w->height, <=, relais_page_get_height (state.text->page));
      g_assert_cmpint (w->start, <, w->end);
      g_assert_cmpint (w->end, <=, (int) strlen (state.text->text));
    }
  if (degraded)
    g_assert_cmpfloat (ABS (state.text->skew_degrees), >, 0.3);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  facts = relais_letter_facts_find (state.text->text, &today);
  assert_facts (letter, facts);
  relais_letter_text_free (state.text);
}

static void
test_ocr_clean (void)
{
  read_letter (0, FALSE, 0.02);
}

static void
test_ocr_degraded (void)
{
  read_letter (4, TRUE, 0.05);
}

/* A letter in a file: a PDF page drawn at 300 dpi in grey, its pages
 * counted; a file that is no PDF and a page it has not are refused with
 * their reason. */
static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
test_page_from_document (void)
{
  GByteArray      *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, pdf, 595.276, 841.89);
  cairo_t         *cr = cairo_create (surface);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) text = g_bytes_new_static ("Madame, Monsieur,", 17);
  g_autoptr (RelaisPage) page = NULL;
  g_autoptr (GError) error = NULL;
  gboolean dark = FALSE;
  int      n_pages = 0;

  for (int i = 0; i < 2; i++)
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_rectangle (cr, 72, 72, 200, 20);
      cairo_fill (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  bytes = g_byte_array_free_to_bytes (pdf);

  page = relais_letter_page_from_document (bytes, 1, &n_pages, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_pages, ==, 2);
  g_assert_cmpint (relais_page_get_format (page), ==, RELAIS_PAGE_GRAY);
  g_assert_cmpint (relais_page_get_dpi (page), ==, RELAIS_LETTER_DPI);
  /* 210 × 297 mm at 300 dpi, to the pixel rounded down or up. */
  g_assert_cmpint (ABS (relais_page_get_width (page) - 2480), <=, 1);
  g_assert_cmpint (ABS (relais_page_get_height (page) - 3508), <=, 1);
  /* The black band, 1 inch from the corner: at 300 dpi, pixel 310. */
  dark = relais_page_get_data (page)[(gsize) 310 * relais_page_get_stride (page) + 310] < 64;
  g_assert_true (dark);
  g_assert_cmpint (relais_page_get_data (page)[(gsize) 200 * relais_page_get_stride (page) + 200], >, 200);

  g_assert_null (relais_letter_page_from_document (bytes, 2, NULL, &error));
  g_assert_error (error, RELAIS_LETTER_ERROR, RELAIS_LETTER_ERROR_PAGE);
  g_clear_error (&error);
  g_assert_null (relais_letter_page_from_document (text, 0, NULL, &error));
  g_assert_error (error, RELAIS_DOCUMENT_ERROR, RELAIS_DOCUMENT_ERROR_UNSUPPORTED);
}

static void
test_ocr_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (RelaisPage) page = relais_page_new (RELAIS_PAGE_GRAY, 64, 64, 64, 300,
                                                 g_bytes_new_take (g_malloc0 (64 * 64), 64 * 64));
  RelaisLetterText *text;

  /* Recognition data that is not installed: said, not crashed. */
  text = relais_letter_read (page, "xyz", NULL, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, RELAIS_LETTER_ERROR, RELAIS_LETTER_ERROR_LANGUAGE);
  g_clear_error (&error);
  /* Cancelled: nothing comes back. */
  g_cancellable_cancel (cancellable);
  text = relais_letter_read (page, "fra", cancellable, NULL, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* A black square has no words, and that is not an error. */
  text = relais_letter_read (page, "fra", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (text->words->len, ==, 0);
  relais_letter_text_free (text);
  g_assert_cmpstr (relais_letter_tesseract_languages ("ar"), ==, "ara+fra");
  g_assert_null (relais_letter_tesseract_languages ("xx"));
}

/* ------------------------------------------------------------------------ */
/* Speech, into memory (a CI machine has no sound card) */

static void
test_speech_buffer (void)
{
  const char               *text = "Le montant à rembourser est de 1 234,56 €. Merci de répondre avant le 15 janvier 2027.";
  static const char * const languages[] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

  for (gsize l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GArray) samples = NULL;
      g_autoptr (GArray) words = NULL;
      gint64 first_sound = 0;
      int    rate = 0, loud = 0, last = -1;
      double seconds;

      g_assert_true (relais_speech_synthesize (text, 0, languages[l], RELAIS_SPEECH_RATE_NORMAL, &samples, &words,
                                               &rate, &first_sound, &error));
      g_assert_no_error (error);
      seconds = (double) samples->len / rate;
      g_test_message ("%s: %.2f s of speech, %u words, first sound after %" G_GINT64_FORMAT " ms", languages[l],
                      seconds, words->len, first_sound / 1000);
      /* Not silence; as long as such a sentence takes to say. */
      for (guint i = 0; i < samples->len; i++)
        loud += ABS (g_array_index (samples, gint16, i)) > 1000;
      g_assert_cmpint (loud, >, rate / 10);
      g_assert_cmpfloat (seconds, >, 2.0);
      g_assert_cmpfloat (seconds, <, 20.0);
      /* Word events in order, inside the text. */
      g_assert_cmpuint (words->len, >=, 10);
      for (guint i = 0; i < words->len; i++)
        {
          const RelaisSpeechWord *w = &g_array_index (words, RelaisSpeechWord, i);

          g_assert_cmpint (w->start, >=, last);
          g_assert_cmpint (w->end, >, w->start);
          g_assert_cmpint (w->end, <=, (int) strlen (text));
          g_assert_cmpint (w->sample, <=, (int) samples->len);
          last = w->start;
        }
      /* The first sound comes well within a second (a bound, not a timing). */
      g_assert_cmpint (first_sound, >=, 0);
      g_assert_cmpint (first_sound, <, G_USEC_PER_SEC);
    }
}

/* From a touched word: the first word told is that one. */
static void
test_speech_from_word (void)
{
  const char *text = "Vous devez rembourser un indu avant le 15 janvier.";
  int         start = (int) (strstr (text, "indu") - text);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) samples = NULL;
  g_autoptr (GArray) words = NULL;
  g_autoptr (GArray) slow_samples = NULL;
  g_autoptr (GArray) slow_words = NULL;
  int rate;

  g_assert_true (relais_speech_synthesize (text, start, "fr", RELAIS_SPEECH_RATE_NORMAL, &samples, &words, &rate,
                                           NULL, &error));
  g_assert_cmpint (g_array_index (words, RelaisSpeechWord, 0).start, ==, start);
  /* Slower is longer. */
  g_assert_true (relais_speech_synthesize (text, start, "fr", RELAIS_SPEECH_RATE_SLOWEST, &slow_samples,
                                           &slow_words, &rate, NULL, &error));
  g_assert_cmpuint (slow_samples->len, >, samples->len * 11 / 10);
  /* A language without a voice: said. */
  g_assert_false (relais_speech_synthesize (text, 0, "xx", RELAIS_SPEECH_RATE_NORMAL, &samples, &words, &rate,
                                            NULL, &error));
  g_assert_error (error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_VOICE);
}

/* No sound card (main () leaves PulseAudio and ALSA nothing to open):
 * espeak-ng's output fails on its own thread, silently. "failed" and
 * "finished" must still come, with the main loop running meanwhile (the
 * page's play button never hangs), and again on a second try. */
typedef struct
{
  GError  *error;
  gboolean finished;
  gboolean completed;
  guint    ticks;
} NoSound;

static void
no_sound_failed_cb (RelaisSpeech *speech, GError *error, NoSound *state)
{
  g_clear_error (&state->error);
  state->error = g_error_copy (error);
}

static void
no_sound_finished_cb (RelaisSpeech *speech, gboolean completed, NoSound *state)
{
  state->finished = TRUE;
  state->completed = completed;
}

static gboolean
no_sound_tick_cb (gpointer data)
{
  ((NoSound *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_speech_no_sound (void)
{
  g_autoptr (RelaisSpeech) speech = relais_speech_new ();
  NoSound state = { 0 };
  guint   tick = g_timeout_add (20, no_sound_tick_cb, &state);

  g_signal_connect (speech, "failed", G_CALLBACK (no_sound_failed_cb), &state);
  g_signal_connect (speech, "finished", G_CALLBACK (no_sound_finished_cb), &state);
  for (int round = 0; round < 2; round++)
    {
      /* A bound, not a timing: a loaded machine may be slow. */
      gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      state.finished = FALSE;
      state.completed = TRUE;
      state.ticks = 0;
      g_clear_error (&state.error);
      relais_speech_speak (speech, "Bonjour. Voici votre courrier.", 0, "fr", RELAIS_SPEECH_RATE_NORMAL);
      while (!state.finished && g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (state.finished);
      g_assert_false (state.completed);
      g_assert_error (state.error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_AUDIO);
      g_assert_false (relais_speech_is_speaking (speech));
      g_assert_false (relais_speech_is_paused (speech));
      g_assert_cmpuint (state.ticks, >, 0);
    }
  g_source_remove (tick);
  g_clear_error (&state.error);
}

/* ------------------------------------------------------------------------ */
/* The glossary */

static void
test_glossary_shipped (void)
{
  RelaisGlossary *glossary = relais_glossary_get_default ();
  g_autoptr (GPtrArray) terms = relais_glossary_list_terms (glossary);
  static const char * const languages[] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

  /* At least 200 words, each explained in French and in the other
   * languages (/letter/glossary/translated checks the translations). */
  g_assert_cmpuint (relais_glossary_get_n_terms (glossary), >=, 200);
  for (guint i = 0; i < terms->len; i++)
    for (gsize l = 0; l < G_N_ELEMENTS (languages); l++)
      {
        const char *said = relais_glossary_explain (glossary, terms->pdata[i], languages[l]);

        g_assert_nonnull (said);
        g_assert_true (g_utf8_validate (said, -1, NULL));
        g_assert_cmpuint (strlen (said), >, 10);
      }
  /* The terms each test letter uses are found in its text. */
  for (guint i = 0; i < RELAIS_TEST_LETTER_COUNT; i++)
    {
      const RelaisTestLetter *letter = relais_test_letter_get (i);
      g_autoptr (GArray) found = relais_glossary_find (glossary, letter->text);
      g_auto (GStrv) expected = g_strsplit (letter->terms, "|", -1);

      for (guint e = 0; expected[e] != NULL; e++)
        {
          gboolean seen = FALSE;

          for (guint f = 0; f < found->len; f++)
            seen |= g_strcmp0 (g_array_index (found, RelaisGlossaryMatch, f).term, expected[e]) == 0;
          if (!seen)
            g_test_message ("letter %u: “%s” not found", i + 1, expected[e]);
          g_assert_true (seen);
        }
    }
}

/* What is wrong with @glossary's translations, one line each: every term
 * explained in the six other station languages, not empty, not the French
 * left as it is (a missing key falls back to French), Arabic in Arabic
 * script and the others in Latin script, Romanian with its comma-below
 * letters (ș ț), not the Turkish cedilla ones (ş ţ). */
static void
glossary_check_translations (RelaisGlossary *glossary, GString *problems)
{
  static const char * const languages[] = { "en", "ar", "es", "pt", "ro", "tr" };
  g_autoptr (GPtrArray) terms = relais_glossary_list_terms (glossary);

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = terms->pdata[i];
      const char *french = relais_glossary_explain (glossary, term, "fr");

      for (gsize l = 0; l < G_N_ELEMENTS (languages); l++)
        {
          const char      *said = relais_glossary_explain (glossary, term, languages[l]);
          g_autofree char *stripped = g_strstrip (g_strdup (said != NULL ? said : ""));
          guint            arabic = 0, latin = 0;
          gboolean         cedilla = FALSE;

          if (stripped[0] == '\0')
            {
              g_string_append_printf (problems, "%s/%s: empty\n", term, languages[l]);
              continue;
            }
          if (g_strcmp0 (said, french) == 0)
            {
              g_string_append_printf (problems, "%s/%s: French, not translated\n", term, languages[l]);
              continue;
            }
          g_assert_true (g_utf8_validate (said, -1, NULL));
          for (const char *p = said; *p != '\0'; p = g_utf8_next_char (p))
            {
              gunichar c = g_utf8_get_char (p);

              if (!g_unichar_isalpha (c))
                continue;
              if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_ARABIC)
                arabic++;
              else if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_LATIN)
                latin++;
              cedilla |= c == 0x015F || c == 0x0163 || c == 0x015E || c == 0x0162;
            }
          if (strcmp (languages[l], "ar") == 0 ? arabic <= latin : arabic > 0 || latin == 0)
            g_string_append_printf (problems, "%s/%s: wrong script (%u Arabic, %u Latin letters)\n", term,
                                    languages[l], arabic, latin);
          if (strcmp (languages[l], "ro") == 0 && cedilla)
            g_string_append_printf (problems, "%s/ro: ş or ţ (cedilla) instead of ș or ț\n", term);
        }
    }
}

/* Every shipped term is explained in all seven station languages. */
static void
test_glossary_translated (void)
{
  static const char broken[] =
      "[bien]\nfr=Une phrase en français.\nen=A sentence in English.\nar=جملة بالعربية.\n"
      "es=Una frase en español.\npt=Uma frase em português.\nro=O frază în română, și așa.\n"
      "tr=Türkçe bir cümle, şöyle.\n"
      "[mal]\nfr=Une phrase en français.\nar=Une phrase en français mais en arabe.\nes=\n"
      "pt=Une phrase en français.\nro=O frază cu diacritice greşite.\ntr=جملة بالعربية.\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisGlossary) sample = relais_glossary_new_from_data (broken, sizeof broken - 1, &error);
  g_autoptr (GString) problems = g_string_new (NULL);

  /* The check finds each kind of fault, and only the faults. */
  g_assert_no_error (error);
  glossary_check_translations (sample, problems);
  g_test_message ("%s", problems->str);
  g_assert_nonnull (strstr (problems->str, "mal/en: French, not translated\n"));
  g_assert_nonnull (strstr (problems->str, "mal/ar: wrong script"));
  g_assert_nonnull (strstr (problems->str, "mal/es: empty\n"));
  g_assert_nonnull (strstr (problems->str, "mal/pt: French, not translated\n"));
  g_assert_nonnull (strstr (problems->str, "mal/ro: ş or ţ"));
  g_assert_nonnull (strstr (problems->str, "mal/tr: wrong script"));
  g_assert_null (strstr (problems->str, "bien/"));

  /* The shipped glossary: nothing wrong. */
  g_string_truncate (problems, 0);
  glossary_check_translations (relais_glossary_get_default (), problems);
  if (problems->len > 0)
    g_test_message ("%s", problems->str);
  g_assert_cmpstr (problems->str, ==, "");
}

static void
test_glossary_find (void)
{
  static const char data[] =
      "[mise en demeure]\nfr=Un dernier avertissement.\n"
      "[demeure]\nfr=Une maison.\n"
      "[APL]\nforms=aide personnalisée au logement\nfr=Une aide pour le loyer.\nen=Help with the rent.\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisGlossary) glossary = relais_glossary_new_from_data (data, sizeof data - 1, &error);
  const char *text = "Une MISE EN\nDEMEURE pour l'Aide personnalisée au logement (APL), pas APLomb.";
  g_autoptr (GArray) found = NULL;

  g_assert_no_error (error);
  found = relais_glossary_find (glossary, text);
  /* The longest at each place; across a line break; whole words only. */
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpstr (g_array_index (found, RelaisGlossaryMatch, 0).term, ==, "mise en demeure");
  g_assert_cmpint (g_array_index (found, RelaisGlossaryMatch, 0).start, ==, 4);
  g_assert_cmpint (g_array_index (found, RelaisGlossaryMatch, 0).end, ==, 19);
  g_assert_cmpstr (g_array_index (found, RelaisGlossaryMatch, 1).term, ==, "APL");
  g_assert_cmpstr (g_array_index (found, RelaisGlossaryMatch, 2).term, ==, "APL");
  g_assert_cmpstr (relais_glossary_explain (glossary, "APL", "en"), ==, "Help with the rent.");
  /* Missing in a language: French. */
  g_assert_cmpstr (relais_glossary_explain (glossary, "APL", "tr"), ==, "Une aide pour le loyer.");
  g_assert_null (relais_glossary_explain (glossary, "inconnu", "fr"));
  /* A broken file is refused with its reason. */
  g_assert_null (relais_glossary_new_from_data ("[x]\nen=only English\n", 21, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dll = NULL;
  int              status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* SANE's pnm backend only, in a config dir of this test's own. */
  sane_dir = g_dir_make_tmp ("relais-letter-sane-XXXXXX", NULL);
  dll = g_build_filename (sane_dir, "dll.conf", NULL);
  g_assert_true (g_file_set_contents (dll, "pnm\n", -1, NULL));
  g_setenv ("SANE_CONFIG_DIR", sane_dir, TRUE);
  relais_test_no_sound ();

  g_test_add_func ("/letter/facts/known", test_facts_known);
  g_test_add_func ("/letter/facts/deadlines", test_facts_deadlines);
  g_test_add_func ("/letter/facts/amounts", test_facts_amounts);
  g_test_add_func ("/letter/facts/bad-input", test_facts_bad_input);
  g_test_add_func ("/letter/facts/mask", test_mask);
  g_test_add_func ("/letter/facts/fold", test_fold);
  g_test_add_func ("/letter/speech/buffer", test_speech_buffer);
  g_test_add_func ("/letter/speech/from-word", test_speech_from_word);
  g_test_add_func ("/letter/speech/no-sound", test_speech_no_sound);
  g_test_add_func ("/letter/glossary/shipped", test_glossary_shipped);
  g_test_add_func ("/letter/glossary/translated", test_glossary_translated);
  g_test_add_func ("/letter/glossary/find", test_glossary_find);
  g_test_add_func ("/letter/page-from-document", test_page_from_document);
  g_test_add_func ("/letter/ocr/refused", test_ocr_refused);
  g_test_add_func ("/letter/ocr/clean", test_ocr_clean);
  g_test_add_func ("/letter/ocr/degraded", test_ocr_degraded);
  status = g_test_run ();
  g_unlink (dll);
  g_rmdir (sane_dir);
  g_free (sane_dir);
  return status;
}
