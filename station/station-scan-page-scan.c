/* station-scan-page-scan.c: the scan page's scanning: one sheet from the
 * glass (cut to its paper, or a card's two sides stacked, in a worker), a
 * feeder's pile streamed into the document and into its PDF, the scanner
 * looked for again, and a mediator called when the resident cannot fix a
 * problem. The page itself is station-scan-page.c. */

#include "station-scan-page-private.h"
#include "relais-pdf.h"

#include <glib/gi18n.h>

/* Resolutions per mode: enough for an administration to read a payslip,
 * small enough to scan fast; text is thresholded, so it gets more. */
#define DPI_PHOTO 200
#define DPI_TEXT  300
#define DPI_WEB   150
/* White between a card's two sides on the page. */
#define CARD_GAP_MM 10

#define MAX_FAILURES_ALONE 3

static void add_page (StationScanPage *self,
                      RelaisPage      *page);

/* The station calls a mediator by itself when the resident cannot fix it:
 * once per problem, not once per attempt. */
static void
raise_for (StationScanPage *self,
           const char      *category,
           const char      *reason,
           const char      *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  if (self->help_raised)
    {
      _station_scan_page_set_status (self, "relais-status-problem", message);
      return;
    }
  id = station_services_raise_help (STATION_PAGE_SERVICES (self), category, NULL, reason, &error);
  if (id == NULL)
    {
      g_message ("help not raised: %s", error->message);
      _station_scan_page_set_status (self, "relais-status-problem", message);
      return;
    }
  self->help_raised = TRUE;
  text = g_strdup_printf ("%s %s", message, _ ("Un médiateur a été prévenu."));
  _station_scan_page_set_status (self, "relais-status-problem", text);
}

static const char *
scanner_reason (const GError *error)
{
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_JAMMED))
    return relais_station_reason_to_string (RELAIS_STATION_REASON_SCANNER_JAMMED);
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_COVER_OPEN))
    return relais_station_reason_to_string (RELAIS_STATION_REASON_SCANNER_COVER_OPEN);
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_IO)
      || g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DEVICE))
    return relais_station_reason_to_string (RELAIS_STATION_REASON_SCANNER_FAILED);
  return NULL;
}

/* A sheet from the glass made into the document's page, in a worker
 * thread (cutting the margins of a 300 dpi colour scan, or stacking a
 * card's two sides, takes a moment the screen must not freeze for). */
typedef struct {
  RelaisPage *page;     /* as scanned */
  RelaisPage *front;    /* a card's front, to stack above it, or NULL */
  gboolean    document; /* "Remettre la feuille droite": straightened, trimmed */
} Arrange;

static void
arrange_free (Arrange *arrange)
{
  g_clear_pointer (&arrange->page, relais_page_unref);
  g_clear_pointer (&arrange->front, relais_page_unref);
  g_free (arrange);
}

static void
arrange_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Arrange *arrange = task_data;
  /* A letter laid askew: straight, without the dark lid around it (a
   * card or a photo is never redrawn: relais_page_as_document ()). */
  g_autoptr(RelaisPage) document = arrange->document ? relais_page_as_document (arrange->page, NULL)
                                                      : relais_page_ref (arrange->page);
  /* On the glass a small sheet leaves white all round: cut it away. */
  g_autoptr(RelaisPage) cropped = relais_page_crop_margins (document);

  /* An identity card: both sides on one page, front above, as the
   * administrations' sites ask for it. */
  if (arrange->front != NULL)
    g_task_return_pointer (task, relais_page_stack (arrange->front, cropped, CARD_GAP_MM),
                           (GDestroyNotify) relais_page_unref);
  else
    g_task_return_pointer (task, g_steal_pointer (&cropped), (GDestroyNotify) relais_page_unref);
}

static void
arranged_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean card = GPOINTER_TO_INT (user_data);

  /* The session ended meanwhile: the sheet was the last resident's. */
  if (page == NULL)
    {
      _station_scan_page_finish_busy (self);
      return;
    }
  /* An identity card: its front waits for its back. */
  if (card && relais_scan_book_get_card_front (self->book) == NULL)
    {
      relais_scan_book_set_card_front (self->book, page);
      if (STATION_PAGE_SERVICES (self)->session != NULL)
        station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_PAGES_SCANNED, 1);
      _station_scan_page_finish_busy (self);
      {
        g_autofree char *text = g_strdup_printf (_ ("Le devant est numérisé. Retournez la carte sur la vitre, "
                                                    "au même endroit, puis touchez « %s »."),
                                                 _station_scan_page_scan_label (self));

        _station_scan_page_set_status (self, "relais-status-ok", text);
      }
      return;
    }
  if (card)
    relais_scan_book_set_card_front (self->book, NULL);
  add_page (self, g_steal_pointer (&page));
}

static void
arrange_page (StationScanPage *self,
              RelaisPage      *page)
{
  g_autoptr(GTask) task = g_task_new (self, self->builds, arranged_cb,
                                       GINT_TO_POINTER (_station_scan_page_card_wanted (self)));
  Arrange *arrange = g_new0 (Arrange, 1);

  /* Busy still, no longer with the scanner. */
  self->scanning = FALSE;
  _station_scan_page_update_sensitivity (self);
  arrange->page = page;
  arrange->document = _station_scan_page_document_wanted (self);
  if (_station_scan_page_card_wanted (self) && relais_scan_book_get_card_front (self->book) != NULL)
    arrange->front = relais_page_ref (relais_scan_book_get_card_front (self->book));
  g_task_set_task_data (task, arrange, (GDestroyNotify) arrange_free);
  g_task_run_in_thread (task, arrange_thread);
}

/* @page (transfer full), from the glass, joins the document. */
static void
add_page (StationScanPage *self,
          RelaisPage      *page)
{
  relais_scan_book_append (self->book, page);
  relais_page_unref (page);
  if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_PAGES_SCANNED, 1);
  _station_scan_page_finish_busy (self);
  _station_scan_page_say_scanned (self);
}

/* A scan, or a feeder's batch, failed. */
static void
scan_failed (StationScanPage *self,
             const GError    *error)
{
  const char *reason = scanner_reason (error);

  _station_scan_page_finish_busy (self);
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED))
    {
      _station_scan_page_set_status (self, NULL, _ ("Numérisation arrêtée. Les pages déjà numérisées sont gardées."));
      return;
    }
  self->failures++;
  if (reason == NULL && self->failures >= MAX_FAILURES_ALONE)
    reason = relais_station_reason_to_string (RELAIS_STATION_REASON_SCANNER_REPEATED_FAILURES);
  if (reason != NULL)
    raise_for (self, relais_help_category_to_string (RELAIS_HELP_CATEGORY_SCANNER), reason, error->message);
  else
    _station_scan_page_set_status (self, "relais-status-problem", error->message);
  gtk_widget_show (self->help_button);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = relais_scanner_scan_finish (RELAIS_SCANNER (object), result, &error);

  if (page == NULL)
    {
      scan_failed (self, error);
      return;
    }
  self->failures = 0;
  self->help_raised = FALSE;
  arrange_page (self, g_steal_pointer (&page));
}

/* ---- the feeder: relais_scanner_scan_batch () in a worker, each sheet
 * added to the document and said as it comes ---- */

typedef struct {
  RelaisScanner    *scanner;
  RelaisScanOptions options;
  StationScanPage  *self;     /* a reference, for the sheets' idles */
  GCancellable     *builds;   /* cancelled by a new session: sheets then dropped */
  GMainContext     *context;  /* the page's */
  gboolean          whole;    /* the document was empty: the batch is all of it */
  gboolean          document; /* "Remettre la feuille droite": each sheet */
  /* The sheets written into a PDF as they come (scanning the next one and
   * encoding this one overlap), for printing or saving the document as it
   * is once the batch ends; NULL once a sheet could not be encoded. */
  RelaisPdfWriter  *writer;
} Batch;

typedef struct {
  StationScanPage *self;
  RelaisPage      *page;
  GCancellable    *builds;
} BatchSheet;

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->scanner);
  g_clear_object (&batch->self);
  g_clear_object (&batch->builds);
  g_clear_pointer (&batch->context, g_main_context_unref);
  g_clear_pointer (&batch->writer, relais_pdf_writer_free);
  g_free (batch);
}

static void
batch_sheet_free (BatchSheet *sheet)
{
  g_clear_object (&sheet->self);
  g_clear_pointer (&sheet->page, relais_page_unref);
  g_clear_object (&sheet->builds);
  g_free (sheet);
}

/* Main thread: a feeder's sheet joins the document (it is already the
 * paper's size: nothing to cut). */
static gboolean
batch_sheet_cb (gpointer data)
{
  BatchSheet      *sheet = data;
  StationScanPage *self = sheet->self;
  g_autofree char *text = NULL;

  /* The session ended meanwhile: the sheet was the last resident's. */
  if (g_cancellable_is_cancelled (sheet->builds))
    return G_SOURCE_REMOVE;
  self->failures = 0;
  self->help_raised = FALSE;
  relais_scan_book_append (self->book, sheet->page);
  if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_PAGES_SCANNED, 1);
  /* Next sheet, until the feeder says it has none left. */
  self->batch_pages++;
  text = g_strdup_printf (_ ("Page %u numérisée… La suivante arrive."), relais_scan_book_get_n_pages (self->book));
  _station_scan_page_set_status (self, "relais-status-wait", text);
  return G_SOURCE_REMOVE;
}

/* The scanning thread: the sheet goes to the page's thread, in order
 * (idles of one priority run in the order they were added, and before the
 * batch's own result, added after them). */
static void
batch_page_func (RelaisPage *page,
                 guint       index,
                 gpointer    user_data)
{
  Batch      *batch = user_data;
  BatchSheet *sheet = g_new0 (BatchSheet, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) document = NULL;

  /* In the scanning thread, before the sheet is encoded: the feeder's
   * sheets go in askew too. */
  if (batch->document)
    page = document = relais_page_as_document (page, NULL);

  if (batch->writer != NULL && !relais_pdf_writer_add_page (batch->writer, page, STATION_SCAN_PDF_QUALITY, &error))
    {
      /* Made again from the pages when needed, which says why if it fails. */
      g_debug ("batch PDF dropped: %s", error->message);
      g_clear_pointer (&batch->writer, relais_pdf_writer_free);
    }

  sheet->self = g_object_ref (batch->self);
  sheet->page = relais_page_ref (page);
  sheet->builds = g_object_ref (batch->builds);
  g_main_context_invoke_full (batch->context, G_PRIORITY_DEFAULT, batch_sheet_cb, sheet,
                              (GDestroyNotify) batch_sheet_free);
}

static void
batch_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Batch  *batch = task_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) pages = relais_scanner_scan_batch (batch->scanner, &batch->options, batch_page_func, batch,
                                                           cancellable, &error);

  g_autoptr(GError) local = NULL;
  GBytes *pdf = NULL;

  if (pages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (batch->writer != NULL && (pdf = relais_pdf_writer_finish (batch->writer, &local)) == NULL)
    g_debug ("batch PDF dropped: %s", local->message);
  /* No PDF: the document is made from its pages when it leaves. */
  g_task_return_pointer (task, pdf != NULL ? pdf : g_bytes_new (NULL, 0), (GDestroyNotify) g_bytes_unref);
}

static void
batch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);
  Batch           *batch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  if (pdf == NULL)
    {
      scan_failed (self, error);
      return;
    }
  /* Every sheet was added (their idles ran before this result): the PDF
   * is the document's, until it changes. */
  if (batch->whole && g_bytes_get_size (pdf) > 0 && !g_cancellable_is_cancelled (batch->builds))
    _station_scan_page_keep_pdf (self, pdf);
  _station_scan_page_finish_busy (self);
  _station_scan_page_say_scanned (self);
}

static void
scan_batch (StationScanPage         *self,
            const RelaisScanOptions *options)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, batch_done_cb, NULL);
  Batch *batch = g_new0 (Batch, 1);

  batch->scanner = g_object_ref (STATION_PAGE_SERVICES (self)->scanner);
  batch->options = *options;
  batch->self = g_object_ref (self);
  batch->builds = g_object_ref (self->builds);
  batch->context = g_main_context_ref_thread_default ();
  batch->whole = relais_scan_book_get_n_pages (self->book) == 0;
  batch->document = _station_scan_page_document_wanted (self);
  if (batch->whole)
    batch->writer = relais_pdf_writer_new ();
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, batch_thread);
}

static void
start_scan (StationScanPage *self)
{
  RelaisScanOptions options = { RELAIS_SCAN_COLOR, DPI_PHOTO, RELAIS_SCAN_SOURCE_FLATBED };
  gboolean          feeder = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_feeder));

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_gray)))
    options.mode = RELAIS_SCAN_GRAY;
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_text)))
    {
      options.mode = RELAIS_SCAN_TEXT;
      options.dpi = DPI_TEXT;
    }
  if (_station_scan_page_web_wanted (self) && options.mode != RELAIS_SCAN_TEXT)
    options.dpi = DPI_WEB;
  /* A letter or a form to straighten: 300 dpi, where its lines are found
   * and it is told from a picture (at 200 its blurred letters look like
   * one); a website's cap lightens the file afterwards. */
  if (_station_scan_page_document_wanted (self))
    options.dpi = DPI_TEXT;
  if (feeder)
    options.source = RELAIS_SCAN_SOURCE_FEEDER;

  self->busy = TRUE;
  self->scanning = TRUE;
  self->feeding = feeder;
  self->cancellable = g_cancellable_new ();
  /* A pile's sheets come one after the other, how many is unknown: the bar
   * goes back and forth for the whole pile rather than start over at each
   * sheet. One sheet on the glass: the bar follows it. */
  if (feeder)
    station_scan_progress_pulse (&self->scan_progress, self->progress);
  else
    station_scan_progress_start (&self->scan_progress, self->progress);
  gtk_widget_hide (self->help_button);
  if (_station_scan_page_card_wanted (self))
    _station_scan_page_set_status (self, "relais-status-wait", relais_scan_book_get_card_front (self->book) == NULL ? _ ("Numérisation du devant de la carte… Ne la bougez pas.") : _ ("Numérisation du dos de la carte… Ne la bougez pas."));
  else if (!feeder || self->batch_pages == 0)
    _station_scan_page_set_status (self, "relais-status-wait", feeder ? _ ("Numérisation des feuilles du bac…") : _ ("Numérisation en cours… Ne bougez pas la feuille."));
  _station_scan_page_update_sensitivity (self);
  if (feeder)
    {
      scan_batch (self, &options);
      return;
    }
  relais_scanner_scan_async (STATION_PAGE_SERVICES (self)->scanner, &options, station_scan_progress_cb,
                             &self->scan_progress, self->cancellable, scan_done_cb, g_object_ref (self));
}

static void
probed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean found = station_services_probe_scanner_finish (STATION_PAGE_SERVICES (self), result, &error);

  _station_scan_page_finish_busy (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!found)
    {
      _station_scan_page_set_status (self, "relais-status-problem",
                                     _ ("Aucun scanner n'est branché sur ce poste. Un médiateur peut vous aider."));
      gtk_widget_show (self->help_button);
      return;
    }
  gtk_widget_hide (self->help_button);
  {
    g_autofree char *text = g_strdup_printf (_ ("Le scanner est prêt. Posez votre feuille, puis touchez « %s »."),
                                             _station_scan_page_scan_label (self));

    _station_scan_page_set_status (self, "relais-status-ok", text);
  }
}

void
station_scan_page_scan (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->busy)
    return;
  if (STATION_PAGE_SERVICES (self)->scanner == NULL)
    {
      /* Plugged in since? Looked for in a worker (a probe can take a few
       * seconds), the page busy meanwhile. */
      self->busy = TRUE;
      self->cancellable = g_cancellable_new ();
      _station_scan_page_update_sensitivity (self);
      station_services_probe_scanner_async (STATION_PAGE_SERVICES (self), self->cancellable, probed_cb,
                                            g_object_ref (self));
      return;
    }
  self->batch_pages = 0;
  self->job_active = FALSE;
  start_scan (self);
}
