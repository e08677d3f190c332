/* station-letter-page.c: "Comprendre un courrier" (issue 16). The letter
 * on the glass is scanned in grey at 300 dpi, read by drivers/letter on a
 * worker thread (the bar follows), then shown: the page with its words
 * (the administration's words underlined, the word spoken highlighted),
 * and a card of key facts, speech controls and the explanation of a
 * touched word (assets/ui/station-letter-page.ui). The text lives in this
 * page only: the page is rebuilt at the session's end, and with it the
 * text goes. A help request carries the sender and the kind, never text.
 * A letter already here is chosen with the browser's chooser
 * (station-document-chooser.c): a page scanned in this visit as it is, a
 * PDF of the key or the safe drawn at 300 dpi on a worker. */
#include "station-letter-page.h"
#include "relais-i18n.h"
#include "station-document-chooser.h"
#include "station-scan-progress.h"
#include "station-widgets.h"
#include "relais-document.h"
#include "relais-glossary.h"
#include "relais-letter.h"
#include "relais-speech.h"

#include <glib/gi18n.h>
#include <string.h>

struct _StationLetterPage {
  StationPage             parent_instance;

  /* Template widgets */
  GtkWidget              *stack;
  GtkWidget              *read_button;
  GtkWidget              *progress;
  GtkWidget              *status;
  GtkWidget              *help_button;
  GtkWidget              *view;
  GtkWidget              *sender_label;
  GtkWidget              *kind_label;
  GtkWidget              *deadline_label;
  GtkWidget              *amount_label;
  GtkWidget              *reference_label;
  GtkWidget              *speak_button;
  GtkWidget              *speak_label;
  GtkWidget              *start_hint;
  GtkWidget              *touch_hint;
  GtkWidget              *term_title;
  GtkWidget              *term_label;
  GtkWidget              *letter_help_button;
  GtkWidget              *letter_help_status;
  GtkWidget              *choose_button;
  GtkWidget              *chooser_hint;
  GtkWidget              *choices;
  GtkWidget              *next_page_button;

  /* Owned */
  StationDocumentChooser *chooser;
  GFile                  *key_root; /* tests: a folder standing for the key */
  /* The file chosen (a PDF of the key or the safe), while its pages are
   * read one by one; NULL for a scan. */
  GBytes                 *document;
  int                     document_index;
  int                     document_pages;
  GCancellable           *cancellable;
  RelaisLetterText       *text;
  RelaisLetterFacts      *facts;
  GArray                 *terms;   /* RelaisGlossaryMatch */
  cairo_surface_t        *surface; /* the page read */
  RelaisSpeech           *speech;
  char                   *status_text;
  char                   *explanation;
  StationScanProgress     scan_progress;
  int                     spoken_start; /* the word being spoken, -1 */
  gboolean                busy;
  gboolean                scroll_to_term; /* a touched word's explanation */
};

G_DEFINE_FINAL_TYPE (StationLetterPage, station_letter_page, STATION_TYPE_PAGE)

static void
set_status (StationLetterPage *self, const char *css_class, const char *text)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
}

static void
set_busy (StationLetterPage *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->read_button, !busy);
  gtk_widget_set_sensitive (self->choose_button, !busy);
  gtk_widget_set_visible (self->progress, busy);
  if (!busy)
    station_scan_progress_stop (&self->scan_progress);
}

static void
fail (StationLetterPage *self, const char *message)
{
  set_busy (self, FALSE);
  set_status (self, "relais-status-problem", message);
  gtk_widget_show (self->help_button);
}

/* ------------------------------------------------------------------------ */
/* The card */

static char *
format_date (const GDate *date)
{

  return g_strdup_printf ("%d %s %d", g_date_get_day (date), relais_i18n_month_name (g_date_get_month (date)), g_date_get_year (date));
}

static void
show_facts (StationLetterPage *self)
{
  const RelaisLetterFacts  *facts = self->facts;
  const RelaisLetterAmount *amount = relais_letter_facts_get_main_amount (facts);
  g_autofree char          *sender = g_strdup_printf (_ ("De la part de : %s"),
                                             facts->sender != NULL ? facts->sender : _ ("inconnu"));
  g_autofree char          *kind = g_strdup_printf (_ ("C’est : %s"), _ (relais_letter_kind_label (facts->kind)));
  g_autofree char          *deadline = NULL;
  g_autofree char          *money = NULL;
  GString                  *refs = g_string_new (NULL);

  if (g_date_valid (&facts->deadline))
    {
      g_autofree char *date = format_date (&facts->deadline);

      deadline = g_strdup_printf (_ ("À faire avant le : %s"), date);
    }
  else
    deadline = g_strdup (_ ("Pas de date limite trouvée"));
  if (amount != NULL)
    {
      /* In a right-to-left language the figure is isolated left to right
       * (U+2066 … U+2069): in an Arabic sentence "1 234,56 €" was drawn
       * "€ 234,56 1". */
      g_autofree char *figure = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                                    ? g_strdup_printf ("\u2066%s\u2069", amount->text)
                                    : g_strdup (amount->text);

      money = g_strdup_printf (amount->owed ? _ ("Somme à payer : %s") : _ ("Somme : %s"), figure);
    }
  else
    money = g_strdup (_ ("Pas de somme trouvée"));
  for (guint i = 0; i < facts->references->len; i++)
    {
      const RelaisLetterReference *ref = &g_array_index (facts->references, RelaisLetterReference, i);

      g_string_append_printf (refs, "%s%s : %s", refs->len > 0 ? "\n" : "", _ (ref->label), ref->masked);
    }
  gtk_label_set_text (GTK_LABEL (self->sender_label), sender);
  gtk_label_set_text (GTK_LABEL (self->kind_label), kind);
  gtk_label_set_text (GTK_LABEL (self->deadline_label), deadline);
  gtk_label_set_text (GTK_LABEL (self->amount_label), money);
  gtk_label_set_text (GTK_LABEL (self->reference_label), refs->str);
  gtk_widget_set_visible (self->reference_label, refs->len > 0);
  g_string_free (refs, TRUE);
}

/* ------------------------------------------------------------------------ */
/* The page with its words */

static cairo_surface_t *
page_surface (const RelaisPage *page)
{
  int              width = relais_page_get_width (page), height = relais_page_get_height (page);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  int              stride = cairo_image_surface_get_stride (surface);
  guint8          *out = cairo_image_surface_get_data (surface);
  const guint8    *in = relais_page_get_data (page);

  for (int y = 0; y < height; y++)
    {
      guint32      *row = (guint32 *) (out + (gsize) y * stride);
      const guint8 *src = in + (gsize) y * relais_page_get_stride (page);

      for (int x = 0; x < width; x++)
        {
          guint32 v = relais_page_get_format (page) == RELAIS_PAGE_RGB ? src[3 * x + 1] : src[x];

          row[x] = 0xff000000u | v << 16 | v << 8 | v;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static double
view_scale (StationLetterPage *self)
{
  int width = gtk_widget_get_allocated_width (self->view);

  return self->text == NULL ? 1 : (double) width / relais_page_get_width (self->text->page);
}

static gboolean
view_draw_cb (GtkWidget *view, cairo_t *cr, StationLetterPage *self)
{
  double scale;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (self->text == NULL || self->surface == NULL)
    return TRUE;
  scale = view_scale (self);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);

  for (guint i = 0; i < self->text->words->len; i++)
    {
      const RelaisLetterWord *w = &g_array_index (self->text->words, RelaisLetterWord, i);
      gboolean                term = FALSE;

      for (guint t = 0; t < self->terms->len && !term; t++)
        {
          const RelaisGlossaryMatch *m = &g_array_index (self->terms, RelaisGlossaryMatch, t);

          term = w->start >= m->start && w->start < m->end;
        }
      if (w->start == self->spoken_start)
        {
          /* The word spoken: a yellow marker behind it. */
          cairo_set_source_rgba (cr, 1.0, 0.85, 0.0, 0.45);
          cairo_rectangle (cr, w->x * scale - 2, w->y * scale - 2, w->width * scale + 4, w->height * scale + 4);
          cairo_fill (cr);
        }
      if (term)
        {
          /* A word of the glossary: underlined in blue, touch to explain. */
          cairo_set_source_rgb (cr, 0.12, 0.37, 0.66);
          cairo_rectangle (cr, w->x * scale, (w->y + w->height) * scale + 1, w->width * scale, 3);
          cairo_fill (cr);
        }
    }
  return TRUE;
}

/* The underlines are drawn: a screen reader hears the words explained
 * through the letter's description. */
static void
describe_terms (StationLetterPage *self)
{
  g_autoptr (GString) list = g_string_new (NULL);
  g_autofree char *said = NULL;

  for (guint t = 0; t < self->terms->len; t++)
    {
      const char      *term = g_array_index (self->terms, RelaisGlossaryMatch, t).term;
      g_autofree char *listed = g_strdup_printf (", %s, ", list->str);
      g_autofree char *item = g_strdup_printf (", %s, ", term);

      if (strstr (listed, item) == NULL)
        g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", term);
    }
  if (list->len > 0)
    said = g_strdup_printf (_ ("Mots expliqués : %s"), list->str);
  atk_object_set_description (gtk_widget_get_accessible (self->view), said != NULL ? said : "");
}

static void
view_resize (StationLetterPage *self)
{
  if (self->text != NULL)
    {
      int    width = gtk_widget_get_allocated_width (self->view);
      double ratio = (double) relais_page_get_height (self->text->page) / relais_page_get_width (self->text->page);

      gtk_widget_set_size_request (self->view, -1, (int) (MAX (width, 200) * ratio));
    }
}

static void
view_size_cb (GtkWidget *view, GdkRectangle *allocation, StationLetterPage *self)
{
  int want;

  if (self->text == NULL)
    return;
  want = (int) (allocation->width * (double) relais_page_get_height (self->text->page) / relais_page_get_width (self->text->page));
  if (ABS (allocation->height - want) > 2)
    view_resize (self);
}

static gboolean
view_press_cb (GtkWidget *view, GdkEventButton *event, StationLetterPage *self)
{
  double scale = view_scale (self);

  if (self->text == NULL)
    return FALSE;
  for (guint i = 0; i < self->text->words->len; i++)
    {
      const RelaisLetterWord *w = &g_array_index (self->text->words, RelaisLetterWord, i);
      double                  x = event->x / scale, y = event->y / scale;

      if (x >= w->x - 4 && x <= w->x + w->width + 4 && y >= w->y - 6 && y <= w->y + w->height + 6)
        {
          station_letter_page_touch_word (self, w->start);
          return TRUE;
        }
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Speech */

static void
speech_labels (StationLetterPage *self)
{
  gboolean speaking = relais_speech_is_speaking (self->speech);

  gtk_label_set_text (GTK_LABEL (self->speak_label),
                      speaking ? _ ("Pause") : relais_speech_is_paused (self->speech) ? _ ("Reprendre")
                                                                                      : _ ("Lire à voix haute"));
  atk_object_set_name (gtk_widget_get_accessible (self->speak_button),
                       gtk_label_get_text (GTK_LABEL (self->speak_label)));
}

static void
speech_word_cb (RelaisSpeech *speech, int start, int end, StationLetterPage *self)
{
  self->spoken_start = start;
  gtk_widget_queue_draw (self->view);
}

static void
speech_finished_cb (RelaisSpeech *speech, gboolean completed, StationLetterPage *self)
{
  if (!relais_speech_is_paused (speech))
    self->spoken_start = -1;
  speech_labels (self);
  gtk_widget_queue_draw (self->view);
}

static void
speech_failed_cb (RelaisSpeech *speech, GError *error, StationLetterPage *self)
{
  set_status (self, "relais-status-problem", _ ("Le son ne marche pas sur ce poste. Demandez de l’aide."));
  g_message ("speech: %s", error->message);
}

static void
speak_clicked_cb (StationLetterPage *self)
{
  if (self->text == NULL)
    return;
  if (relais_speech_is_speaking (self->speech))
    relais_speech_pause (self->speech);
  else if (relais_speech_is_paused (self->speech))
    {
      set_status (self, NULL, "");
      relais_speech_resume (self->speech);
    }
  else
    {
      /* A new try: a problem said before is not this one's. */
      set_status (self, NULL, "");
      relais_speech_speak (self->speech, self->text->text, 0, STATION_PAGE_SERVICES (self)->language,
                           relais_speech_get_rate (self->speech));
    }
  speech_labels (self);
}

static void
slower_clicked_cb (StationLetterPage *self)
{
  relais_speech_set_rate (self->speech, relais_speech_get_rate (self->speech) - 25);
}

static void
faster_clicked_cb (StationLetterPage *self)
{
  relais_speech_set_rate (self->speech, relais_speech_get_rate (self->speech) + 25);
}

/* A touched word's explanation comes below the card's other lines: once
 * it has its size, the card scrolls to show it (else it may be out of
 * sight, under the hint). */
static void
term_allocated_cb (GtkWidget *label, GdkRectangle *allocation, StationLetterPage *self)
{
  GtkWidget     *scrolled = gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget     *viewport = scrolled != NULL ? gtk_bin_get_child (GTK_BIN (scrolled)) : NULL;
  GtkWidget     *content = GTK_IS_BIN (viewport) ? gtk_bin_get_child (GTK_BIN (viewport)) : NULL;
  GtkAdjustment *adjustment;
  int            x, top, bottom;

  if (!self->scroll_to_term || content == NULL)
    return;
  self->scroll_to_term = FALSE;
  if (!gtk_widget_translate_coordinates (self->term_title, content, 0, 0, &x, &top)
      || !gtk_widget_translate_coordinates (label, content, 0, allocation->height, &x, &bottom))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_clamp_page (adjustment, top, bottom);
}

void
station_letter_page_touch_word (StationLetterPage *self, int offset)
{
  const char *language = STATION_PAGE_SERVICES (self)->language;

  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  if (self->text == NULL || offset < 0 || offset >= (int) strlen (self->text->text))
    return;
  for (guint t = 0; t < self->terms->len; t++)
    {
      const RelaisGlossaryMatch *m = &g_array_index (self->terms, RelaisGlossaryMatch, t);

      if (offset >= m->start && offset < m->end)
        {
          const char *said = relais_glossary_explain (relais_glossary_get_default (), m->term, language);

          g_free (self->explanation);
          self->explanation = g_strdup (said);
          gtk_label_set_text (GTK_LABEL (self->term_title), m->term);
          gtk_label_set_text (GTK_LABEL (self->term_label), said);
          gtk_widget_show (self->term_title);
          gtk_widget_show (self->term_label);
          self->scroll_to_term = TRUE;
          gtk_widget_queue_resize (self->term_label);
          /* Spoken too, in the session's language. */
          relais_speech_speak (self->speech, said, 0, language, relais_speech_get_rate (self->speech));
          speech_labels (self);
          return;
        }
    }
  relais_speech_speak (self->speech, self->text->text, offset, language, relais_speech_get_rate (self->speech));
  speech_labels (self);
}

/* ------------------------------------------------------------------------ */
/* Reading */

static void
read_progress_cb (int percent, gpointer user_data)
{
  StationLetterPage *self = user_data;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), percent / 100.0);
}

static void
read_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StationLetterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  RelaisLetterText *text = relais_letter_read_finish (result, &error);
  GDate             today;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (text == NULL)
    {
      fail (self, _ ("Ce courrier n’a pas pu être lu. Demandez de l’aide."));
      g_message ("letter: %s", error->message);
      return;
    }
  set_busy (self, FALSE);
  gtk_widget_set_visible (self->next_page_button,
                          self->document != NULL && self->document_index + 1 < self->document_pages);
  if (text->words->len < 5)
    {
      relais_letter_text_free (text);
      fail (self, _ ("Aucun texte trouvé. Posez le courrier face vers le bas, bien à plat, et recommencez."));
      return;
    }
  g_clear_pointer (&self->text, relais_letter_text_free);
  g_clear_pointer (&self->facts, relais_letter_facts_free);
  g_clear_pointer (&self->terms, g_array_unref);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  self->text = text;
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  self->facts = relais_letter_facts_find (text->text, &today);
  self->terms = relais_glossary_find (relais_glossary_get_default (), text->text);
  self->surface = page_surface (text->page);
  show_facts (self);
  describe_terms (self);
  gtk_widget_hide (self->term_title);
  gtk_widget_hide (self->term_label);
  gtk_label_set_text (GTK_LABEL (self->letter_help_status), "");
  gtk_widget_set_sensitive (self->letter_help_button, TRUE);
  if (self->document != NULL && self->document_pages > 1)
    {
      g_autofree char *read = g_strdup_printf (_ ("Page %d sur %d lue."), self->document_index + 1, self->document_pages);

      set_status (self, "relais-status-ok", read);
    }
  else
    set_status (self, "relais-status-ok", _ ("Courrier lu."));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "result");
  view_resize (self);
  gtk_widget_queue_draw (self->view);
}

void
station_letter_page_read_page (StationLetterPage *self, RelaisPage *page)
{
  const char *languages = relais_letter_tesseract_languages (STATION_PAGE_SERVICES (self)->language);

  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  relais_speech_stop (self->speech);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  set_status (self, "relais-status-wait", _ ("Lecture du courrier… Patientez."));
  relais_letter_read_async (page, languages != NULL ? languages : "fra", self->cancellable, read_progress_cb,
                            self, read_done_cb, g_object_ref (self));
}

static void
scan_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StationLetterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisPage) page = relais_scanner_scan_finish (RELAIS_SCANNER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (page == NULL)
    {
      fail (self, error->message);
      return;
    }
  if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_PAGES_SCANNED, 1);
  station_scan_progress_stop (&self->scan_progress);
  station_letter_page_read_page (self, page);
}

void
station_letter_page_scan (StationLetterPage *self)
{
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, RELAIS_LETTER_DPI, RELAIS_SCAN_SOURCE_DEFAULT };

  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  if (self->busy)
    return;
  g_clear_pointer (&self->document, g_bytes_unref);
  gtk_widget_hide (self->help_button);
  if (STATION_PAGE_SERVICES (self)->scanner == NULL)
    {
      fail (self, STATION_PAGE_SERVICES (self)->scanner_error->message);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  station_scan_progress_start (&self->scan_progress, self->progress);
  set_status (self, "relais-status-wait", _ ("Numérisation du courrier… Ne bougez pas la feuille."));
  relais_scanner_scan_async (STATION_PAGE_SERVICES (self)->scanner, &options, station_scan_progress_cb,
                             &self->scan_progress, self->cancellable, scan_done_cb, g_object_ref (self));
}

static void
read_clicked_cb (StationLetterPage *self)
{
  station_letter_page_scan (self);
}

/* ------------------------------------------------------------------------ */
/* A letter already here */

static void
gather (StationLetterPage *self)
{
  g_autoptr (GVolumeMonitor) volumes = NULL;
  g_autoptr (GFile) key = NULL;

  if (self->key_root != NULL)
    key = g_object_ref (self->key_root);
  else
    {
      volumes = g_volume_monitor_get ();
      key = station_document_chooser_find_key (volumes, NULL);
    }
  station_document_chooser_gather (self->chooser, key);
}

void
station_letter_page_choose (StationLetterPage *self)
{
  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  if (self->busy)
    return;
  relais_speech_stop (self->speech);
  gtk_widget_hide (self->help_button);
  set_status (self, NULL, "");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "chooser");
  gather (self);
}

static void
choose_clicked_cb (StationLetterPage *self)
{
  station_letter_page_choose (self);
}

static void
gathered_cb (StationLetterPage *self, guint offered)
{
  gtk_label_set_text (GTK_LABEL (self->chooser_hint),
                      offered > 0 ? _ ("Touchez le courrier à lire.")
                                  : _ ("Aucun document ici. Numérisez votre courrier, branchez votre clé USB "
                                       "ou ouvrez votre coffre-fort, puis revenez ici."));
}

typedef struct
{
  GBytes *bytes;
  int     index;
  int     n_pages; /* set by the worker */
} Drawing;

static void
drawing_free (Drawing *drawing)
{
  g_bytes_unref (drawing->bytes);
  g_free (drawing);
}

static void
draw_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Drawing    *drawing = task_data;
  GError     *error = NULL;
  RelaisPage *page = relais_letter_page_from_document (drawing->bytes, drawing->index, &drawing->n_pages, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) relais_page_unref);
}

static void
drawn_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StationLetterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisPage) page = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self->document_pages = ((Drawing *) g_task_get_task_data (G_TASK (result)))->n_pages;
  if (page == NULL)
    {
      g_message ("letter not drawn: %s", error->message);
      /* The document's own errors say what is wrong with the file. */
      fail (self, error->domain == RELAIS_DOCUMENT_ERROR ? error->message
                                                         : _ ("Ce courrier n’a pas pu être lu. Demandez de l’aide."));
      return;
    }
  station_letter_page_read_page (self, page);
}

/* Page document_index of the document chosen, drawn on a worker, then read. */
static void
draw_page (StationLetterPage *self)
{
  g_autoptr (GTask) task = NULL;
  Drawing *drawing = g_new0 (Drawing, 1);

  drawing->bytes = g_bytes_ref (self->document);
  drawing->index = self->document_index;
  relais_speech_stop (self->speech);
  gtk_widget_hide (self->help_button);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  set_status (self, "relais-status-wait", _ ("Lecture du courrier… Patientez."));
  task = g_task_new (NULL, self->cancellable, drawn_cb, g_object_ref (self));
  g_task_set_task_data (task, drawing, (GDestroyNotify) drawing_free);
  g_task_run_in_thread (task, draw_thread);
}

static void
chosen_cb (StationLetterPage *self, const char *name, GBytes *bytes, RelaisPage *page)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "start");
  g_clear_pointer (&self->document, g_bytes_unref);
  if (page != NULL)
    {
      station_letter_page_read_page (self, page);
      return;
    }
  /* A letter of several pages: the first, then "Page suivante". */
  self->document = g_bytes_ref (bytes);
  self->document_index = 0;
  self->document_pages = 1;
  draw_page (self);
}

void
station_letter_page_next_page (StationLetterPage *self)
{
  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  if (self->busy || self->document == NULL || self->document_index + 1 >= self->document_pages)
    return;
  self->document_index++;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "start");
  draw_page (self);
}

static void
next_page_clicked_cb (StationLetterPage *self)
{
  station_letter_page_next_page (self);
}

/* Back from the safe (opened for this): what is offered may have changed. */
static void
mapped_cb (StationLetterPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "chooser") == 0)
    gather (self);
}

void
station_letter_page_set_key_root (StationLetterPage *self, GFile *root)
{
  g_return_if_fail (STATION_IS_LETTER_PAGE (self));
  g_set_object (&self->key_root, root);
}

static void
another_clicked_cb (StationLetterPage *self)
{
  station_document_chooser_cancel (self->chooser);
  relais_speech_stop (self->speech);
  set_status (self, NULL, "");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "start");
}

/* Help with the sender and the kind only: the letter's text never leaves. */
static void
letter_help_clicked_cb (StationLetterPage *self)
{
  StationServices *services = STATION_PAGE_SERVICES (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *context = NULL;

  if (self->facts == NULL)
    return;
  /* The console says « Courrier : » before it, from the kind. */
  context = g_strdup_printf ("%s — %s",
                             self->facts->sender != NULL ? self->facts->sender : "expéditeur inconnu",
                             relais_letter_kind_label (self->facts->kind));
  station_services_set_help_context (services, RELAIS_HELP_CONTEXT_LETTER, context);
  id = station_services_raise_help (services, "mail", services->language, NULL, &error);
  station_services_set_help_context (services, RELAIS_HELP_CONTEXT_UNKNOWN, NULL);
  if (id == NULL)
    {
      /* The page's status line, under the card: seen whatever the card's scroll. */
      set_status (self, "relais-status-problem", error->message);
      return;
    }
  gtk_widget_set_sensitive (self->letter_help_button, FALSE);
  set_status (self, "relais-status-ok", _ ("Un médiateur est prévenu. Il vient vous aider avec ce courrier."));
}

/* ------------------------------------------------------------------------ */

gboolean
station_letter_page_is_busy (StationLetterPage *self)
{
  return self->busy;
}

const char *
station_letter_page_get_status (StationLetterPage *self)
{
  return self->status_text;
}

const char *
station_letter_page_get_text (StationLetterPage *self)
{
  return self->text != NULL ? self->text->text : NULL;
}

const RelaisLetterFacts *
station_letter_page_get_facts (StationLetterPage *self)
{
  return self->facts;
}

GArray *
station_letter_page_get_terms (StationLetterPage *self)
{
  return self->terms;
}

const char *
station_letter_page_get_explanation (StationLetterPage *self)
{
  return self->explanation;
}

static void
station_letter_page_dispose (GObject *object)
{
  StationLetterPage *self = STATION_LETTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->speech != NULL)
    relais_speech_stop (self->speech);
  g_clear_object (&self->speech);
  station_scan_progress_stop (&self->scan_progress);
  if (self->chooser != NULL)
    station_document_chooser_cancel (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->key_root);
  g_clear_pointer (&self->document, g_bytes_unref);
  G_OBJECT_CLASS (station_letter_page_parent_class)->dispose (object);
}

static void
station_letter_page_finalize (GObject *object)
{
  StationLetterPage *self = STATION_LETTER_PAGE (object);

  g_clear_pointer (&self->text, relais_letter_text_free);
  g_clear_pointer (&self->facts, relais_letter_facts_free);
  g_clear_pointer (&self->terms, g_array_unref);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_free (self->status_text);
  g_free (self->explanation);
  G_OBJECT_CLASS (station_letter_page_parent_class)->finalize (object);
}

static void
station_letter_page_class_init (StationLetterPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = station_letter_page_dispose;
  object_class->finalize = station_letter_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-letter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, read_button);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, progress);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, help_button);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, view);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, sender_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, amount_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, reference_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, speak_button);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, speak_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, start_hint);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, touch_hint);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, term_title);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, term_label);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, letter_help_button);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, letter_help_status);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, chooser_hint);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, choices);
  gtk_widget_class_bind_template_callback (widget_class, read_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, StationLetterPage, next_page_button);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_page_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, speak_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, slower_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, faster_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, another_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, letter_help_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_draw_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_size_cb);
}

static void
station_letter_page_init (StationLetterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->spoken_start = -1;
  self->speech = relais_speech_new ();
  g_signal_connect_object (self->speech, "word", G_CALLBACK (speech_word_cb), self, 0);
  g_signal_connect_object (self->speech, "finished", G_CALLBACK (speech_finished_cb), self, 0);
  g_signal_connect_object (self->speech, "failed", G_CALLBACK (speech_failed_cb), self, 0);
  gtk_widget_add_events (self->view, GDK_BUTTON_PRESS_MASK);
  self->chooser = station_document_chooser_new (GTK_WIDGET (self), self->choices, self->chooser_hint);
  /* The pages scanned in this visit are offered one by one, as scanned. */
  station_document_chooser_set_scan_max_bytes (self->chooser, 0);
  g_signal_connect_object (self->chooser, "gathered", G_CALLBACK (gathered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chooser, "chosen", G_CALLBACK (chosen_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  station_label_wrap (self->chooser_hint, 60);
  station_label_wrap (gtk_bin_get_child (GTK_BIN (self->choose_button)), 40);
  g_signal_connect (self->term_label, "size-allocate", G_CALLBACK (term_allocated_cb), self);
  station_label_wrap (self->status, 50);
  station_label_wrap (self->start_hint, 60);
  /* The card is narrow beside the letter: every sentence wraps. */
  station_label_wrap (self->sender_label, 30);
  station_label_wrap (self->kind_label, 30);
  station_label_wrap (self->deadline_label, 28);
  station_label_wrap (self->amount_label, 30);
  station_label_wrap (self->reference_label, 34);
  station_label_wrap (self->touch_hint, 36);
  station_label_wrap (self->term_title, 28);
  station_label_wrap (self->term_label, 34);
  station_label_wrap (self->letter_help_status, 34);
  station_label_wrap (gtk_bin_get_child (GTK_BIN (self->letter_help_button)), 24);
}

GtkWidget *
station_letter_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_LETTER_PAGE, "services", services, NULL);
}
