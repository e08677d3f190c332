/* station-copy-page.c: "Photocopie": one touch scans the glass and prints
 * the copies, in colour or black and white
 * (assets/ui/station-copy-page.ui). */

#include "station-copy-page.h"
#include "station-widgets.h"
#include "station-scan-progress.h"
#include "station-print-job.h"
#include "relais-pdf.h"
#include "relais-scan-book.h"

#include <glib/gi18n.h>

/* A copy looks like the original at this resolution, and a colour A4
 * page still goes to the printer in a second. */
#define COPY_DPI 200

struct _StationCopyPage {
  StationPage         parent_instance;

  /* Template widgets */
  GtkWidget          *hint;
  GtkWidget          *count_label;
  GtkWidget          *copy_button;
  GtkWidget          *progress;
  GtkWidget          *status;
  GtkWidget          *help_button;
  GtkWidget          *colour;
  GtkWidget          *grey;
  GtkWidget          *copies;

  /* Owned */
  GCancellable       *cancellable;
  GCancellable       *builds; /* the copy's PDF being made; cancelled with the session */
  RelaisScanBook     *book;   /* the sheet scanned, until its PDF is made */
  StationPrintJob    *print;  /* the copy's, while followed */
  char               *status_text;
  StationScanProgress scan_progress; /* the bar, fed by the scanning thread */

  int                 n_copies; /* of the copy under way */
  gboolean            in_colour;
  gboolean            busy;
  int                 job_id;
};

G_DEFINE_FINAL_TYPE (StationCopyPage, station_copy_page, STATION_TYPE_PAGE)

static void
set_status (StationCopyPage *self,
            const char      *css_class,
            const char      *text)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
}

/* Busy from the scan to the last copy out of the printer: the bar follows
 * the scan, then goes back and forth while the copy is made, sent and
 * printed. */
static void
set_busy (StationCopyPage *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->copy_button, !busy);
  gtk_widget_set_visible (self->progress, busy);
  if (!busy)
    station_scan_progress_stop (&self->scan_progress);
  else if (self->cancellable == NULL)
    station_scan_progress_pulse (&self->scan_progress, self->progress);
}

static void
fail (StationCopyPage *self,
      const char      *message)
{
  set_busy (self, FALSE);
  set_status (self, "relais-status-problem", message);
  gtk_widget_show (self->help_button);
}

static void
print_status_cb (StationPrintJob *job,
                 const char      *css_class,
                 const char      *text,
                 StationCopyPage *self)
{
  set_status (self, css_class, text);
}

static void
print_offer_help_cb (StationPrintJob *job,
                     gboolean         offer,
                     StationCopyPage *self)
{
  gtk_widget_set_visible (self->help_button, offer);
}

static void
print_sent_cb (StationPrintJob *job,
               int              job_id,
               StationCopyPage *self)
{
  self->job_id = job_id;
}

static void
print_finished_cb (StationPrintJob *job,
                   StationCopyPage *self)
{
  g_clear_object (&self->print);
  set_busy (self, FALSE);
}

/* The copy prints on, unfollowed. */
static void
drop_print (StationCopyPage *self)
{
  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
}

static void
pdf_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StationCopyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = relais_pdf_build_finish (result, &error);
  RelaisPrintOptions options = { self->n_copies, !self->in_colour, FALSE, "" };

  /* The sheet is in the PDF now (or the copy failed): not kept. */
  relais_scan_book_clear (self->book);

  /* The session ended meanwhile: the copy is the last resident's. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (pdf == NULL)
    {
      fail (self, error->message);
      return;
    }
  drop_print (self);
  self->print = station_print_job_new (STATION_PAGE_SERVICES (self), STATION_COUNT_COPIES, (guint) self->n_copies);
  g_signal_connect_object (self->print, "status", G_CALLBACK (print_status_cb), self, 0);
  g_signal_connect_object (self->print, "offer-help", G_CALLBACK (print_offer_help_cb), self, 0);
  g_signal_connect_object (self->print, "sent", G_CALLBACK (print_sent_cb), self, 0);
  g_signal_connect_object (self->print, "finished", G_CALLBACK (print_finished_cb), self, 0);
  station_print_job_start (self->print, pdf, "application/pdf", _ ("Photocopie"), &options);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StationCopyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = relais_scanner_scan_finish (RELAIS_SCANNER (object), result, &error);

  g_clear_object (&self->cancellable);
  if (page == NULL)
    {
      fail (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  set_status (self, "relais-status-wait", _ ("Préparation de la copie…"));
  if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_PAGES_SCANNED, 1);

  /* Same size as the original: a copy is never cropped nor enlarged. The
   * PDF is made in a worker thread: the screen stays alive. */
  relais_scan_book_clear (self->book);
  relais_scan_book_append (self->book, page);
  relais_pdf_build_async (relais_scan_book_get_pages (self->book), 90, 0, self->builds, pdf_done_cb,
                          g_object_ref (self));
}

/* The scanner is known: the copy starts, unless it may not be printed. */
static void
copy_now (StationCopyPage *self)
{
  RelaisScanOptions options = { self->in_colour ? RELAIS_SCAN_COLOR : RELAIS_SCAN_GRAY, COPY_DPI,
                                RELAIS_SCAN_SOURCE_FLATBED };
  g_autoptr(GError) error = NULL;

  /* Refused (no printer, cap reached) before the scan. */
  if (!station_print_job_check (STATION_PAGE_SERVICES (self), (guint) self->n_copies, &error))
    {
      fail (self, error->message);
      return;
    }

  drop_print (self);
  gtk_widget_hide (self->help_button);
  self->cancellable = g_cancellable_new ();
  station_scan_progress_start (&self->scan_progress, self->progress);
  set_busy (self, TRUE);
  set_status (self, "relais-status-wait", _ ("Copie en cours… Ne bougez pas la feuille."));
  relais_scanner_scan_async (STATION_PAGE_SERVICES (self)->scanner, &options, station_scan_progress_cb,
                             &self->scan_progress,
                             self->cancellable, scan_done_cb, g_object_ref (self));
}

static void
probed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StationCopyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean found = station_services_probe_scanner_finish (STATION_PAGE_SERVICES (self), result, &error);

  g_clear_object (&self->cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      return;
    }
  if (!found)
    {
      fail (self, STATION_PAGE_SERVICES (self)->scanner_error->message);
      return;
    }
  self->busy = FALSE;
  copy_now (self);
}

void
station_copy_page_copy (StationCopyPage *self,
                        int              copies,
                        gboolean         colour)
{
  g_return_if_fail (STATION_IS_COPY_PAGE (self));

  if (self->busy)
    return;
  self->n_copies = MAX (1, copies);
  self->in_colour = colour;
  if (STATION_PAGE_SERVICES (self)->scanner == NULL)
    {
      /* Plugged in since? Looked for in a worker (a probe can take a few
       * seconds), the page busy meanwhile. */
      set_busy (self, TRUE);
      self->cancellable = g_cancellable_new ();
      station_services_probe_scanner_async (STATION_PAGE_SERVICES (self), self->cancellable, probed_cb,
                                            g_object_ref (self));
      return;
    }
  copy_now (self);
}

gboolean
station_copy_page_is_busy (StationCopyPage *self)
{
  return self->busy;
}

int
station_copy_page_get_job (StationCopyPage *self)
{
  return self->job_id;
}

const char *
station_copy_page_get_status (StationCopyPage *self)
{
  return self->status_text;
}

static void
copy_clicked_cb (StationCopyPage *self)
{
  station_copy_page_copy (self, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies)),
                          gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->colour)));
}

static void
station_copy_page_dispose (GObject *object)
{
  StationCopyPage *self = STATION_COPY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->builds);
  station_scan_progress_stop (&self->scan_progress);
  drop_print (self);
  G_OBJECT_CLASS (station_copy_page_parent_class)->dispose (object);
}

static void
station_copy_page_finalize (GObject *object)
{
  StationCopyPage *self = STATION_COPY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->builds);
  g_clear_object (&self->book);
  g_free (self->status_text);
  G_OBJECT_CLASS (station_copy_page_parent_class)->finalize (object);
}

static void
station_copy_page_class_init (StationCopyPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = station_copy_page_dispose;
  object_class->finalize = station_copy_page_finalize;

  /* The template's own widget classes. */
  g_type_ensure (STATION_TYPE_CHOICE);
  g_type_ensure (STATION_TYPE_STEPPER);
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-copy-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, hint);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, progress);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, help_button);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, colour);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, grey);
  gtk_widget_class_bind_template_child (widget_class, StationCopyPage, copies);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
}

static void
station_copy_page_init (StationCopyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->builds = g_cancellable_new ();
  self->book = relais_scan_book_new ();

  station_label_wrap (self->hint, 60);
  station_label_wrap (self->status, 50);
}

GtkWidget *
station_copy_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_COPY_PAGE, "services", services, NULL);
}
