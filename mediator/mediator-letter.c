/* mediator-letter.c: the console's letter reader
 * (assets/ui/mediator-letter.ui), on the same driver as the station
 * (drivers/letter): scan on a worker thread, Tesseract with progress,
 * facts, every glossary word of the letter explained in the resident's
 * language, the text read aloud in it. Nothing is stored or sent. */
#include "mediator-letter.h"
#include "relais-glossary.h"
#include "relais-letter.h"
#include "relais-scanner.h"
#include "relais-speech.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MediatorLetter {
  GtkWindow          parent_instance;

  /* Template widgets */
  GtkWidget         *language;
  GtkWidget         *scan_button;
  GtkWidget         *open_button;
  GtkWidget         *progress;
  GtkWidget         *status;
  GtkWidget         *summary;
  GtkWidget         *explanations;
  GtkWidget         *text_view;
  GtkWidget         *speak_button;

  /* Owned */
  GCancellable      *cancellable;
  RelaisLetterText  *text;
  RelaisLetterFacts *facts;
  RelaisSpeech      *speech;
  char              *language_code;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (MediatorLetter, mediator_letter, GTK_TYPE_WINDOW)

static void
set_busy (MediatorLetter *self, gboolean busy, const char *status)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->scan_button, !busy);
  gtk_widget_set_sensitive (self->open_button, !busy);
  gtk_widget_set_visible (self->progress, busy);
  gtk_label_set_text (GTK_LABEL (self->status), status);
}

static void
show_explanations (MediatorLetter *self)
{
  RelaisGlossary *glossary = relais_glossary_get_default ();
  g_autoptr (GArray) found = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new (NULL);

  if (self->text != NULL)
    {
      found = relais_glossary_find (glossary, self->text->text);
      for (guint i = 0; i < found->len; i++)
        {
          const RelaisGlossaryMatch *m = &g_array_index (found, RelaisGlossaryMatch, i);

          if (!g_hash_table_add (seen, (gpointer) m->term))
            continue;
          g_string_append_printf (out, "%s%s — %s", out->len > 0 ? "\n\n" : "", m->term,
                                  relais_glossary_explain (glossary, m->term, self->language_code));
        }
    }
  gtk_label_set_text (GTK_LABEL (self->explanations), out->str);
  g_string_free (out, TRUE);
}

static void
show_reading (MediatorLetter *self)
{
  const RelaisLetterFacts  *facts = self->facts;
  const RelaisLetterAmount *amount = relais_letter_facts_get_main_amount (facts);
  GString                  *out = g_string_new (NULL);

  g_string_append_printf (out, _ ("De la part de : %s"), facts->sender != NULL ? facts->sender : _ ("inconnu"));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _ ("C’est : %s"), _ (relais_letter_kind_label (facts->kind)));
  g_string_append_c (out, '\n');
  if (g_date_valid (&facts->deadline))
    {
      char date[32];

      g_date_strftime (date, sizeof date, "%d/%m/%Y", &facts->deadline);
      g_string_append_printf (out, _ ("À faire avant le : %s"), date);
    }
  else
    g_string_append (out, _ ("Pas de date limite trouvée"));
  g_string_append_c (out, '\n');
  if (amount != NULL)
    g_string_append_printf (out, amount->owed ? _ ("Somme à payer : %s") : _ ("Somme : %s"), amount->text);
  else
    g_string_append (out, _ ("Pas de somme trouvée"));
  for (guint i = 0; i < facts->references->len; i++)
    {
      const RelaisLetterReference *ref = &g_array_index (facts->references, RelaisLetterReference, i);

      g_string_append_printf (out, "\n%s : %s", _ (ref->label), ref->masked);
    }
  gtk_label_set_text (GTK_LABEL (self->summary), out->str);
  g_string_free (out, TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), self->text->text, -1);
  show_explanations (self);
}

static void
read_progress_cb (int percent, gpointer user_data)
{
  MediatorLetter *self = user_data;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), percent / 100.0);
}

static void
read_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MediatorLetter) self = user_data;
  g_autoptr (GError) error = NULL;
  RelaisLetterText *text = relais_letter_read_finish (result, &error);
  GDate             today;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (text == NULL)
    {
      set_busy (self, FALSE, _ ("Ce courrier n’a pas pu être lu. Demandez de l’aide."));
      return;
    }
  g_clear_pointer (&self->text, relais_letter_text_free);
  g_clear_pointer (&self->facts, relais_letter_facts_free);
  self->text = text;
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  self->facts = relais_letter_facts_find (text->text, &today);
  set_busy (self, FALSE, _ ("Courrier lu."));
  gtk_widget_set_sensitive (self->speak_button, TRUE);
  show_reading (self);
}

void
mediator_letter_read_page (MediatorLetter *self, RelaisPage *page)
{
  const char *languages = relais_letter_tesseract_languages (self->language_code);

  g_return_if_fail (MEDIATOR_IS_LETTER (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _ ("Lecture du courrier… Patientez."));
  relais_letter_read_async (page, languages != NULL ? languages : "fra", self->cancellable, read_progress_cb, self,
                            read_done_cb, g_object_ref (self));
}

static void
scan_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (RelaisScanner) scanner = NULL;
  GError           *error = NULL;
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 300, RELAIS_SCAN_SOURCE_DEFAULT };
  RelaisPage       *page;

  scanner = relais_scanner_sane_new (NULL, &error);
  if (scanner == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, cancellable, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) relais_page_unref);
}

static void
scan_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  MediatorLetter *self = MEDIATOR_LETTER (object);
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisPage) page = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (page == NULL)
    {
      set_busy (self, FALSE, error->message);
      return;
    }
  mediator_letter_read_page (self, page);
}

void
mediator_letter_scan (MediatorLetter *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MEDIATOR_IS_LETTER (self));
  if (self->busy)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _ ("Numérisation du courrier… Ne bougez pas la feuille."));
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  task = g_task_new (self, self->cancellable, scan_done_cb, NULL);
  g_task_run_in_thread (task, scan_thread);
}

/* The first page of a PDF file, rendered at 300 dpi (the station's
 * renderer): on the worker thread, as a scan is. */
static void
file_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GBytes) bytes = NULL;
  GError     *error = NULL;
  RelaisPage *page = NULL;
  int         n_pages = 0;

  bytes = g_file_load_bytes (G_FILE (data), cancellable, NULL, &error);
  if (bytes != NULL)
    page = relais_letter_page_from_document (bytes, 0, &n_pages, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) relais_page_unref);
}

void
mediator_letter_read_file (MediatorLetter *self, GFile *file)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MEDIATOR_IS_LETTER (self));
  g_return_if_fail (G_IS_FILE (file));
  if (self->busy)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _ ("Lecture du courrier… Patientez."));
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  task = g_task_new (self, self->cancellable, scan_done_cb, NULL);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, file_thread);
}

static void
open_clicked_cb (MediatorLetter *self)
{
  g_autoptr (GtkFileChooserNative) chooser = NULL;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_ ("Ouvrir un courrier en PDF"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Ouvrir"), _ ("_Annuler"));
  gtk_file_filter_set_name (filter, _ ("Documents PDF"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_filter_add_pattern (filter, "*.PDF");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (gtk_native_dialog_run (GTK_NATIVE_DIALOG (chooser)) == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      mediator_letter_read_file (self, file);
    }
}

static void
scan_clicked_cb (MediatorLetter *self)
{
  mediator_letter_scan (self);
}

static void
speak_clicked_cb (MediatorLetter *self)
{
  if (self->text == NULL)
    return;
  if (relais_speech_is_speaking (self->speech))
    relais_speech_stop (self->speech);
  else
    relais_speech_speak (self->speech, self->text->text, 0, self->language_code, RELAIS_SPEECH_RATE_NORMAL);
}

void
mediator_letter_set_language (MediatorLetter *self, const char *language)
{
  g_return_if_fail (MEDIATOR_IS_LETTER (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->language), language);
}

static void
language_changed_cb (MediatorLetter *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->language));

  g_free (self->language_code);
  self->language_code = g_strdup (id != NULL ? id : "fr");
  show_explanations (self);
}

gboolean
mediator_letter_is_busy (MediatorLetter *self)
{
  return self->busy;
}

const RelaisLetterFacts *
mediator_letter_get_facts (MediatorLetter *self)
{
  return self->facts;
}

const char *
mediator_letter_get_summary (MediatorLetter *self)
{
  return gtk_label_get_text (GTK_LABEL (self->summary));
}

const char *
mediator_letter_get_explanations (MediatorLetter *self)
{
  return gtk_label_get_text (GTK_LABEL (self->explanations));
}

static void
mediator_letter_dispose (GObject *object)
{
  MediatorLetter *self = MEDIATOR_LETTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->speech != NULL)
    relais_speech_stop (self->speech);
  g_clear_object (&self->speech);
  G_OBJECT_CLASS (mediator_letter_parent_class)->dispose (object);
}

static void
mediator_letter_finalize (GObject *object)
{
  MediatorLetter *self = MEDIATOR_LETTER (object);

  g_clear_pointer (&self->text, relais_letter_text_free);
  g_clear_pointer (&self->facts, relais_letter_facts_free);
  g_free (self->language_code);
  G_OBJECT_CLASS (mediator_letter_parent_class)->finalize (object);
}

static void
mediator_letter_class_init (MediatorLetterClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_letter_dispose;
  object_class->finalize = mediator_letter_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-letter.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, language);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, scan_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, open_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, progress);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, status);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, summary);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, explanations);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, text_view);
  gtk_widget_class_bind_template_child (widget_class, MediatorLetter, speak_button);
  gtk_widget_class_bind_template_callback (widget_class, scan_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, speak_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
}

static void
mediator_letter_init (MediatorLetter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language_code = g_strdup ("fr");
  self->speech = relais_speech_new ();
}

MediatorLetter *
mediator_letter_new (GtkWindow *parent)
{
  return g_object_new (MEDIATOR_TYPE_LETTER, "transient-for", parent, NULL);
}
