/* test-letter-ui.c: "Comprendre un courrier" under Xvfb. A CAF letter
 * (tests/relais-test-letters.c, drawn at 300 dpi) lies on the "glass" of
 * SANE's pnm backend; touching « Lire le courrier » scans and reads it;
 * the card shows the sender, the kind, the deadline, the amount; the
 * glossary's words are found and a touch explains one; the controls have
 * French names a screen reader speaks; a help request carries the sender
 * and the kind only. Screenshots: letter-ui-*.png. */
#define G_LOG_DOMAIN "relais-test"

#include <glib/gstdio.h>
#include <string.h>

#include "relais-db-help.h"
#include "relais-document.h"
#include "relais-glossary.h"
#include "relais-hub.h"
#include "relais-pdf.h"
#include "relais-test-hub.h"
#include "relais-test-letters.h"
#include "relais-test-papers.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "mediator-letter.h"
#include "station-letter-page.h"
#include "station-scan-page.h"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *window;
static char            *sane_dir;

static StationLetterPage *
letter_page (void)
{
  return STATION_LETTER_PAGE (station_window_get_page (window, "letter"));
}

static gboolean
read_done (gpointer data)
{
  return !station_letter_page_is_busy (letter_page ()) && station_letter_page_get_text (letter_page ()) != NULL;
}

/* OCR takes seconds, more on a loaded machine: a bound, not a timing. */
static void
wait_read (void)
{
  gint64 until = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

  while (!read_done (NULL) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (read_done (NULL));
}

static void
test_read_letter (void)
{
  const RelaisTestLetter *letter = relais_test_letter_get (0);
  g_autoptr (RelaisPage) paper = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (sane_dir, "courrier.pnm", NULL);
  g_autofree char *shot = NULL;
  GtkWidget       *page;
  GtkWidget       *button;
  GArray          *terms;
  gboolean         saw_indu = FALSE;
  int              indu_at = -1;
  const char      *explanation;

  relais_test_paper_render_typed (letter->text, 1, 300, TRUE, &paper);
  g_assert_true (relais_test_page_write_pnm (paper, path, &error));
  g_assert_nonnull (services->scanner);
  g_assert_true (relais_scanner_sane_set_option_string (services->scanner, "filename", path, &error));
  g_assert_true (relais_scanner_sane_set_option_string (services->scanner, "grayify", "yes", &error));

  g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", "fr");
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "letter-ui-home");
  /* The home tile, by its name. */
  button = relais_test_ui_find_named (station_window_get_page (window, "home"), "Comprendre un courrier");
  g_assert_nonnull (button);
  relais_test_ui_touch (button);
  relais_test_ui_settle (200);
  page = GTK_WIDGET (letter_page ());
  g_assert_true (gtk_widget_get_mapped (page));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "letter-ui-start");

  button = relais_test_ui_find_named (page, "Lire le courrier");
  g_assert_nonnull (button);
  relais_test_ui_touch (button);
  wait_read ();
  relais_test_ui_settle (300);

  /* The card. */
  g_assert_true (relais_test_ui_shows_text (page, "De la part de : CAF"));
  g_assert_true (relais_test_ui_shows_text (page, "C’est : Décision"));
  g_assert_true (relais_test_ui_shows_text (page, "À faire avant le : 15 janvier 2027"));
  g_assert_true (relais_test_ui_shows_text (page, "Somme à payer : 1 234,56 €"));
  g_assert_true (relais_test_ui_shows_text (page, "Numéro allocataire : "));
  /* The number itself is never shown whole. */
  g_assert_false (relais_test_ui_has_text (page, "0457 1289 B"));

  /* Every control has a French name a screen reader speaks. */
  for (const char * const *name = (const char * const[]) { "Lire à voix haute", "Plus lent", "Plus vite",
                                                           "Demander de l'aide pour ce courrier",
                                                           "Lire un autre courrier", NULL };
       *name != NULL; name++)
    {
      g_test_message ("%s", *name);
      g_assert_nonnull (relais_test_ui_find_named (page, *name));
    }

  /* The glossary's words in the letter. */
  terms = station_letter_page_get_terms (letter_page ());
  g_assert_nonnull (terms);
  for (guint i = 0; i < terms->len; i++)
    {
      const RelaisGlossaryMatch *m = &g_array_index (terms, RelaisGlossaryMatch, i);

      if (strcmp (m->term, "indu") == 0)
        {
          saw_indu = TRUE;
          indu_at = m->start;
        }
    }
  g_assert_true (saw_indu);
  station_letter_page_touch_word (letter_page (), indu_at);
  relais_test_ui_settle (200);
  explanation = station_letter_page_get_explanation (letter_page ());
  g_assert_cmpstr (explanation, ==,
                   relais_glossary_explain (relais_glossary_get_default (), "indu", "fr"));
  g_assert_true (relais_test_ui_shows_text (page, explanation));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "letter-ui-read");
  g_unlink (path);
}

static gboolean
hub_has_letter_request (gpointer data)
{
  g_autoptr (GPtrArray) requests = relais_db_help_list_since (relais_hub_get_db (hub->hub), 0, NULL, NULL);

  for (guint i = 0; requests != NULL && i < requests->len; i++)
    {
      RelaisHelpRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->context, "CAF — Décision") == 0 && request->context_kind == RELAIS_HELP_CONTEXT_LETTER)
        return TRUE;
    }
  return FALSE;
}

/* Help for this letter: the sender and the kind reach the hub, nothing of
 * the text. */
static void
test_help (void)
{
  GtkWidget *page = GTK_WIDGET (letter_page ());
  GtkWidget *button = relais_test_ui_find_named (page, "Demander de l'aide pour ce courrier");
  g_autoptr (GPtrArray) requests = NULL;

  g_assert_nonnull (button);
  /* Low on the card, maybe scrolled out of the screen: clicked. */
  gtk_button_clicked (GTK_BUTTON (button));
  relais_test_ui_settle (100);
  g_assert_true (relais_test_ui_has_text (page, "Un médiateur est prévenu. Il vient vous aider avec ce courrier."));
  relais_link_start (services->link);
  g_assert_true (relais_test_wait (hub_has_letter_request, NULL));
  requests = relais_db_help_list_since (relais_hub_get_db (hub->hub), 0, NULL, NULL);
  for (guint i = 0; i < requests->len; i++)
    {
      RelaisHelpRequest *request = g_ptr_array_index (requests, i);

      g_assert_null (request->context != NULL ? strstr (request->context, "0457") : NULL);
      g_assert_null (request->context != NULL ? strstr (request->context, "1 234") : NULL);
    }
}

/* The session's end takes the letter with it. */
static void
test_session_end (void)
{
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (200);
  g_assert_null (station_letter_page_get_text (letter_page ()));
}

/* Read aloud on a station with no sound card (main () sees to it): the
 * page says so, and the button is « Lire à voix haute » again. */
static gboolean
speech_given_up (gpointer page)
{
  return relais_test_ui_has_text (page, "Le son ne marche pas sur ce poste. Demandez de l’aide.")
         && relais_test_ui_lookup_named (page, "Lire à voix haute") != NULL;
}

static void
test_no_sound (void)
{
  GtkWidget *page = GTK_WIDGET (letter_page ());

  /* The explanation spoken in /letter-ui/read gave up too. */
  g_assert_true (relais_test_wait (speech_given_up, page));
  relais_test_ui_touch (relais_test_ui_find_named (page, "Lire à voix haute"));
  /* Speaking: the problem said before is gone, the button pauses. */
  g_assert_false (relais_test_ui_has_text (page, "Le son ne marche pas sur ce poste."));
  g_assert_nonnull (relais_test_ui_lookup_named (page, "Pause"));
  g_assert_true (relais_test_wait (speech_given_up, page));
}

/* The letter page shown in a new session, in French. */
static GtkWidget *
new_session_letter_page (void)
{
  g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", "fr");
  relais_test_ui_settle (200);
  station_window_show_page (window, "letter");
  relais_test_ui_settle (200);
  g_assert_null (station_letter_page_get_text (letter_page ()));
  return GTK_WIDGET (letter_page ());
}

typedef struct
{
  GtkWidget  *page;
  const char *name;
} Named;

static gboolean
shows_named (gpointer data)
{
  Named *named = data;

  return relais_test_ui_lookup_named (named->page, named->name) != NULL;
}

/* Read until the sender found is @sender_id (a bound, not a timing). */
static void
wait_sender (const char *sender_id)
{
  gint64                   until = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;
  const RelaisLetterFacts *facts;

  while (g_get_monotonic_time () < until
         && (station_letter_page_is_busy (letter_page ()) || (facts = station_letter_page_get_facts (letter_page ())) == NULL
             || g_strcmp0 (facts->sender_id, sender_id) != 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (station_letter_page_is_busy (letter_page ()));
  g_assert_nonnull (station_letter_page_get_facts (letter_page ()));
  g_assert_cmpstr (station_letter_page_get_facts (letter_page ())->sender_id, ==, sender_id);
}

static char *
write_file (const char *dir, const char *name, GBytes *bytes)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return path;
}

/* A letter of two pages kept as a PDF on the USB key: offered in the
 * page's chooser (the browser's), drawn at 300 dpi, read page after page;
 * a damaged PDF beside it is not offered, and the key's files are left as
 * they were. */
static void
test_usb_pdf (void)
{
  const RelaisTestLetter *letter = relais_test_letter_get (1);
  const RelaisTestLetter *second = relais_test_letter_get (2);
  g_autofree char        *key = g_dir_make_tmp ("relais-letter-key-XXXXXX", NULL);
  g_autoptr (GFile) root = g_file_new_for_path (key);
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GBytes) broken = g_bytes_new_static ("%PDF-1.4\nplus rien\n", 19);
  g_autoptr (GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *kept = NULL;
  RelaisPage      *paper = NULL;
  GtkWidget       *page = new_session_letter_page ();
  Named            tile = { page, "Clé USB : courrier-cpam.pdf" };

  relais_test_paper_render_typed (letter->text, 3, 300, TRUE, &paper);
  g_ptr_array_add (pages, paper);
  relais_test_paper_render_typed (second->text, 5, 300, TRUE, &paper);
  g_ptr_array_add (pages, paper);
  pdf = relais_pdf_write_bytes (pages, 85, &error);
  g_assert_no_error (error);
  good = write_file (key, "courrier-cpam.pdf", pdf);
  bad = write_file (key, "abime.pdf", broken);
  station_letter_page_set_key_root (letter_page (), root);

  g_assert_nonnull (relais_test_ui_find_named (page, "Choisir un document déjà là"));
  relais_test_ui_touch (relais_test_ui_find_named (page, "Choisir un document déjà là"));
  g_assert_true (relais_test_wait (shows_named, &tile));
  relais_test_ui_settle (300);
  g_assert_true (relais_test_ui_shows_text (page, "Touchez le courrier à lire."));
  g_assert_null (relais_test_ui_lookup_named (page, "Clé USB : abime.pdf"));
  /* No page scanned in this visit; the safe shut: a tile to open it. */
  g_assert_null (relais_test_ui_lookup_named (page, "Numérisé ici : page 1"));
  g_assert_nonnull (relais_test_ui_find_named (page, "Ouvrir mon coffre-fort"));
  g_assert_nonnull (relais_test_ui_find_named (page, "Ne rien lire"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "letter-ui-chooser");

  relais_test_ui_touch (relais_test_ui_find_named (page, tile.name));
  g_assert_true (station_letter_page_is_busy (letter_page ()));
  wait_sender ("cpam");
  relais_test_ui_settle (300);
  g_assert_true (relais_test_ui_shows_text (page, "De la part de : Assurance Maladie (CPAM)"));
  g_assert_true (relais_test_ui_shows_text (page, "C’est : Demande de pièces"));
  g_assert_true (relais_test_ui_shows_text (page, "Page 1 sur 2 lue."));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "letter-ui-usb-read");
  /* Low on the card, maybe scrolled out of the screen: clicked. */
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find_named (page, "Lire la page suivante")));
  g_assert_true (station_letter_page_is_busy (letter_page ()));
  wait_sender (second->sender_id);
  relais_test_ui_settle (200);
  g_assert_true (relais_test_ui_shows_text (page, "Page 2 sur 2 lue."));
  g_assert_null (relais_test_ui_lookup_named (page, "Lire la page suivante"));
  /* The key's files as they were. */
  g_assert_true (g_file_get_contents (good, &kept, NULL, NULL));
  g_assert_cmpmem (kept, g_bytes_get_size (pdf), g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  g_assert_true (g_file_test (bad, G_FILE_TEST_EXISTS));

  station_letter_page_set_key_root (letter_page (), NULL);
  g_unlink (good);
  g_unlink (bad);
  g_rmdir (key);
}

static gboolean
scan_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

/* A page scanned earlier in this visit (the scan page's), read as it was
 * scanned; "Ne rien lire" leaves the chooser with nothing read. */
static void
test_session_page (void)
{
  const RelaisTestLetter *letter = relais_test_letter_get (3);
  g_autoptr (RelaisPage) paper = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (sane_dir, "courrier-ft.pnm", NULL);
  GtkWidget       *scan = station_window_get_page (window, "scan");
  GtkWidget       *page;
  Named            tile;

  relais_test_paper_render_typed (letter->text, 4, 300, TRUE, &paper);
  g_assert_true (relais_test_page_write_pnm (paper, path, &error));
  g_assert_true (relais_scanner_sane_set_option_string (services->scanner, "filename", path, &error));
  station_window_show_page (window, "scan");
  station_scan_page_scan (STATION_SCAN_PAGE (scan));
  g_assert_true (relais_test_wait (scan_idle, scan));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)), ==, 1);

  station_window_show_page (window, "letter");
  relais_test_ui_settle (200);
  page = GTK_WIDGET (letter_page ());
  tile = (Named) { page, "Numérisé ici : page 1" };
  /* The letter of the key is still shown: another one. */
  /* Low on the card, maybe scrolled out of the screen: clicked. */
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find_named (page, "Lire un autre courrier")));
  relais_test_ui_settle (100);
  /* "Ne rien lire": back, nothing read. */
  relais_test_ui_touch (relais_test_ui_find_named (page, "Choisir un document déjà là"));
  g_assert_true (relais_test_wait (shows_named, &tile));
  relais_test_ui_touch (relais_test_ui_find_named (page, "Ne rien lire"));
  relais_test_ui_settle (100);
  g_assert_nonnull (relais_test_ui_find_named (page, "Lire le courrier"));
  g_assert_false (station_letter_page_is_busy (letter_page ()));

  relais_test_ui_touch (relais_test_ui_find_named (page, "Choisir un document déjà là"));
  g_assert_true (relais_test_wait (shows_named, &tile));
  relais_test_ui_touch (relais_test_ui_find_named (page, tile.name));
  wait_sender (letter->sender_id);
  g_assert_cmpstr (relais_letter_kind_to_string (station_letter_page_get_facts (letter_page ())->kind), ==, letter->kind);
  station_session_end (services->session, STATION_END_BUTTON);
  relais_test_ui_settle (200);
  g_assert_null (station_letter_page_get_text (letter_page ()));
  g_unlink (path);
}

/* TRUE when the whole of @widget is inside what its scrolled window shows. */
static gboolean
seen_in_its_scroller (GtkWidget *widget)
{
  GtkWidget    *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAllocation mine, shown;
  int           x, y;

  if (scrolled == NULL)
    return TRUE;
  gtk_widget_get_allocation (widget, &mine);
  gtk_widget_get_allocation (scrolled, &shown);
  if (!gtk_widget_translate_coordinates (widget, scrolled, 0, 0, &x, &y))
    return FALSE;
  g_test_message ("explanation at y=%d..%d, the card shows 0..%d", y, y + mine.height, shown.height);
  return y >= 0 && y + mine.height <= shown.height;
}

/* The glossary in the session's language: a session in Arabic, then one
 * in Turkish, read the letter; touching « indu » shows its explanation in
 * that language (not the French). Screenshots: letter-ui-glossary-ar.png,
 * letter-ui-glossary-tr.png. */
static void
test_glossary_languages (void)
{
  const RelaisTestLetter   *letter = relais_test_letter_get (0);
  static const char * const languages[] = { "ar", "tr" };
  g_autoptr (RelaisPage) paper = NULL;

  relais_test_paper_render_typed (letter->text, 1, 300, TRUE, &paper);
  for (gsize l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autofree char *shot_name = g_strdup_printf ("letter-ui-glossary-%s", languages[l]);
      g_autofree char *shot = NULL;
      const char      *french = relais_glossary_explain (relais_glossary_get_default (), "indu", "fr");
      const char      *said = relais_glossary_explain (relais_glossary_get_default (), "indu", languages[l]);
      GtkWidget       *page;
      g_autoptr (GString) glyphs = NULL;
      GArray *terms;
      int     indu_at = -1;

      g_assert_cmpstr (said, !=, french);
      g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", languages[l]);
      relais_test_ui_settle (300);
      station_window_show_page (window, "letter");
      relais_test_ui_settle (200);
      page = GTK_WIDGET (letter_page ());
      g_assert_true (gtk_widget_get_mapped (page));
      /* The scan itself is /letter-ui/read's: here the page is given. */
      station_letter_page_read_page (letter_page (), paper);
      wait_read ();
      relais_test_ui_settle (300);

      terms = station_letter_page_get_terms (letter_page ());
      for (guint i = 0; terms != NULL && i < terms->len; i++)
        if (strcmp (g_array_index (terms, RelaisGlossaryMatch, i).term, "indu") == 0)
          indu_at = g_array_index (terms, RelaisGlossaryMatch, i).start;
      g_assert_cmpint (indu_at, >=, 0);
      station_letter_page_touch_word (letter_page (), indu_at);
      relais_test_ui_settle (300);
      g_assert_cmpstr (station_letter_page_get_explanation (letter_page ()), ==, said);
      g_assert_true (relais_test_ui_shows_text (page, said));
      /* In sight (the card scrolls to it), every letter drawn. */
      g_assert_true (seen_in_its_scroller (relais_test_ui_find (page, GTK_TYPE_LABEL, said)));
      glyphs = g_string_new (NULL);
      g_assert_cmpuint (relais_test_ui_count_unknown_glyphs (page, glyphs), ==, 0);
      shot = relais_test_ui_screenshot (GTK_WIDGET (window), shot_name);
      station_session_end (services->session, STATION_END_BUTTON);
      relais_test_ui_settle (200);
    }
}

static MediatorLetter *console_letter;

static gboolean
console_read (gpointer data)
{
  return !mediator_letter_is_busy (console_letter) && mediator_letter_get_facts (console_letter) != NULL;
}

/* At the console: the same reading, explained in the resident's language. */
static void
test_console (void)
{
  const RelaisTestLetter *letter = relais_test_letter_get (1);
  g_autoptr (RelaisPage) paper = NULL;
  g_autofree char *shot = NULL;
  gint64           until = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;
  const char      *explanations;

  console_letter = mediator_letter_new (NULL);
  gtk_window_move (GTK_WINDOW (console_letter), 0, 0);
  gtk_widget_show (GTK_WIDGET (console_letter));
  mediator_letter_set_language (console_letter, "ar");
  relais_test_paper_render_typed (letter->text, 2, 300, TRUE, &paper);
  mediator_letter_read_page (console_letter, paper);
  while (!console_read (NULL) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (console_read (NULL));
  relais_test_ui_settle (300);
  g_assert_nonnull (strstr (mediator_letter_get_summary (console_letter), "De la part de : Assurance Maladie (CPAM)"));
  g_assert_nonnull (strstr (mediator_letter_get_summary (console_letter), "C’est : Demande de pièces"));
  g_assert_nonnull (strstr (mediator_letter_get_summary (console_letter), "01/01/2027"));
  explanations = mediator_letter_get_explanations (console_letter);
  /* "pièces justificatives" explained in Arabic. */
  g_assert_nonnull (strstr (explanations, relais_glossary_explain (relais_glossary_get_default (),
                                                                   "pièces justificatives", "ar")));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (console_letter), "Numériser un courrier"));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (console_letter), "Lire à voix haute"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_letter), "letter-ui-console");
  gtk_widget_destroy (GTK_WIDGET (console_letter));
}

static gboolean
console_idle (gpointer data)
{
  return !mediator_letter_is_busy (console_letter);
}

/* At the console: a letter the resident brought as a PDF file (the
 * « Ouvrir un PDF… » button's choice), its first page read at 300 dpi; a
 * file that is no PDF gets the document driver's message and no reading. */
static void
test_console_pdf (void)
{
  const RelaisTestLetter *letter = relais_test_letter_get (0);
  g_autofree char        *dir = g_dir_make_tmp ("relais-letter-console-XXXXXX", NULL);
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GBytes) broken = g_bytes_new_static ("%PDF-1.4\nplus rien\n", 19);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) expected = NULL;
  g_autoptr (RelaisDocument) none = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *shot = NULL;
  g_autoptr (GFile) good_file = NULL;
  g_autoptr (GFile) bad_file = NULL;
  RelaisPage *paper = NULL;

  relais_test_paper_render_typed (letter->text, 4, 300, TRUE, &paper);
  g_ptr_array_add (pages, paper);
  pdf = relais_pdf_write_bytes (pages, 85, &error);
  g_assert_no_error (error);
  good = write_file (dir, "courrier-caf.pdf", pdf);
  bad = write_file (dir, "abime.pdf", broken);
  good_file = g_file_new_for_path (good);
  bad_file = g_file_new_for_path (bad);
  none = relais_document_new_from_bytes (broken, &expected);
  g_assert_null (none);
  g_assert_nonnull (expected);

  console_letter = mediator_letter_new (NULL);
  gtk_window_move (GTK_WINDOW (console_letter), 0, 0);
  gtk_widget_show (GTK_WIDGET (console_letter));
  g_assert_nonnull (relais_test_ui_find_named (GTK_WIDGET (console_letter), "Ouvrir un courrier en PDF"));

  mediator_letter_read_file (console_letter, bad_file);
  g_assert_true (mediator_letter_is_busy (console_letter));
  g_assert_true (relais_test_wait (console_idle, NULL));
  g_assert_null (mediator_letter_get_facts (console_letter));
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (console_letter), expected->message));
  g_assert_true (gtk_widget_get_sensitive (relais_test_ui_find_named (GTK_WIDGET (console_letter),
                                                                      "Ouvrir un courrier en PDF")));

  mediator_letter_read_file (console_letter, good_file);
  g_assert_true (mediator_letter_is_busy (console_letter));
  {
    gint64 until = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

    while (!console_read (NULL) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (console_read (NULL));
  relais_test_ui_settle (300);
  g_assert_cmpstr (mediator_letter_get_facts (console_letter)->sender_id, ==, letter->sender_id);
  g_assert_nonnull (strstr (mediator_letter_get_summary (console_letter), "Somme à payer : 1 234,56 €"));
  /* The file is read, never changed. */
  g_assert_true (g_file_query_exists (good_file, NULL));
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_letter), "letter-ui-console-pdf");
  gtk_widget_destroy (GTK_WIDGET (console_letter));
  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *dll = NULL;
  int              rc;

  relais_test_ui_init (&argc, &argv, TRUE);
  /* SANE's pnm backend only: a file stands on the glass. */
  sane_dir = g_dir_make_tmp ("relais-letter-ui-XXXXXX", NULL);
  dll = g_build_filename (sane_dir, "dll.conf", NULL);
  g_assert_true (g_file_set_contents (dll, "pnm\n", -1, NULL));
  g_setenv ("SANE_CONFIG_DIR", sane_dir, TRUE);
  relais_test_no_sound ();

  hub = relais_test_hub_new ();
  services = relais_test_station_services_new (hub, (const char * const[]) {
                                                        "scanner", "device", "pnm:0", "printer", "destination", "none-here", NULL });
  window = relais_test_station_window_new (services);

  g_test_add_func ("/letter-ui/read", test_read_letter);
  g_test_add_func ("/letter-ui/help", test_help);
  g_test_add_func ("/letter-ui/no-sound", test_no_sound);
  g_test_add_func ("/letter-ui/session-end", test_session_end);
  g_test_add_func ("/letter-ui/usb-pdf", test_usb_pdf);
  g_test_add_func ("/letter-ui/session-page", test_session_page);
  g_test_add_func ("/letter-ui/glossary-languages", test_glossary_languages);
  g_test_add_func ("/letter-ui/console", test_console);
  g_test_add_func ("/letter-ui/console-pdf", test_console_pdf);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  g_unlink (dll);
  g_rmdir (sane_dir);
  g_free (sane_dir);
  return rc;
}
