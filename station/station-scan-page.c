/* station-scan-page.c: scan one page, a whole pile or a card's two sides,
 * and arrange the pages. Where the document goes (printer, USB key, safe)
 * is station-scan-page-send.c. */

#include "station-scan-page-private.h"
#include "relais-pdf.h"
#include "relais-usb.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define PREVIEW_HEIGHT 300
#define THUMB_HEIGHT 64
/* Thumbnails a row under the preview: each at least 48 px wide. */
#define THUMBS_PER_ROW 4
/* Resolutions per mode: enough for an administration to read a payslip,
 * small enough to scan fast; text is thresholded, so it gets more. */
#define DPI_PHOTO 200
#define DPI_TEXT 300
#define DPI_WEB 150
/* White between a card's two sides on the page. */
#define CARD_GAP_MM 10

#define MAX_FAILURES_ALONE 3

G_DEFINE_FINAL_TYPE (StationScanPage, station_scan_page, GTK_TYPE_BOX)

static void start_scan (StationScanPage *self);
static void add_page (StationScanPage *self,
                      RelaisPage      *page);

void
_station_scan_page_set_status (StationScanPage *self,
            const char      *css_class,
            const char      *text)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
}

GMount *
_station_scan_page_current_key (StationScanPage *self)
{
  GList *keys = relais_usb_list_keys (self->volumes);
  GList *last = g_list_last (keys);
  GMount *key = last != NULL ? g_object_ref (last->data) : NULL;

  g_list_free_full (keys, g_object_unref);
  return key;
}

static gboolean
card_wanted (StationScanPage *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_card));
}

/* The scan button's words, the ones the instructions quote. */
static const char *
scan_label (StationScanPage *self)
{
  if (self->services->scanner == NULL)
    return _("Chercher le scanner");
  if (card_wanted (self))
    return relais_scan_book_get_card_front (self->book) == NULL ? _("Numériser le devant de la carte") : _("Numériser le dos de la carte");
  return relais_scan_book_get_n_pages (self->book) > 0 ? _("Ajouter une page") : _("Numériser");
}

/* What to do first, for the way of scanning chosen, quoting the button. */
static void
say_what_to_do (StationScanPage *self)
{
  g_autofree char *text = NULL;

  if (self->services->scanner == NULL)
    text = g_strdup_printf (_("Aucun scanner n'est branché sur ce poste. Vérifiez qu'il est allumé, puis "
                              "touchez « %s », ou appelez un médiateur."), scan_label (self));
  else if (card_wanted (self))
    text = g_strdup_printf (_("Posez la carte face vers le bas sur la vitre, puis touchez « %s »."), scan_label (self));
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_feeder)))
    text = g_strdup_printf (_("Posez vos feuilles dans le bac du dessus, face vers le haut, puis touchez « %s »."),
                            scan_label (self));
  else
    text = g_strdup_printf (_("Posez votre feuille face vers le bas sur la vitre, puis touchez « %s »."),
                            scan_label (self));
  _station_scan_page_set_status (self, self->services->scanner == NULL ? "relais-status-problem" : NULL, text);
}

void
_station_scan_page_update_sensitivity (StationScanPage *self)
{
  gboolean have = relais_scan_book_get_n_pages (self->book) > 0;
  g_autoptr(GMount) key = _station_scan_page_current_key (self);
  gboolean scanning = self->busy && self->scanning;

  gtk_widget_set_sensitive (self->scan_button, !self->busy);
  gtk_button_set_label (GTK_BUTTON (self->scan_button), scan_label (self));
  gtk_widget_set_visible (self->cancel_button, scanning);
  /* Something is under way: the bar moves, scanning or not. */
  gtk_widget_set_visible (self->progress, self->busy || self->job_active);
  if ((self->busy || self->job_active) && !scanning)
    station_scan_progress_pulse (&self->scan_progress, self->progress);
  else if (!self->busy && !self->job_active)
    station_scan_progress_stop (&self->scan_progress);
  gtk_widget_set_sensitive (self->print_button, !self->busy && !self->job_active && have
                            && self->services->printer != NULL);
  gtk_widget_set_sensitive (self->usb_button, !self->busy && have && key != NULL);
  gtk_widget_set_sensitive (self->safe_button, !self->busy && have);
  gtk_widget_set_sensitive (self->page_tools, !self->busy && have);
  gtk_widget_set_sensitive (self->source_feeder,
                            self->services->scanner != NULL && relais_scanner_has_feeder (self->services->scanner));
}

static GdkPixbuf *
page_to_pixbuf (RelaisPage *page,
                int         height)
{
  int width = relais_page_get_width (page);
  int page_height = relais_page_get_height (page);
  int stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  int out_width = MAX (1, (int) ((gint64) width * height / MAX (1, page_height)));
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, out_width, height);
  guint8 *out = gdk_pixbuf_get_pixels (pixbuf);
  int out_stride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean rgb = relais_page_get_format (page) == RELAIS_PAGE_RGB;

  /* Nearest pixel straight from the page: a full-size pixbuf of an A4
   * scan would cost 25 MB for a 400-pixel preview. */
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) ((gint64) y * page_height / height) * stride;
      guint8 *dest = out + (gsize) y * out_stride;

      for (int x = 0; x < out_width; x++)
        {
          int sx = (int) ((gint64) x * width / out_width);

          if (rgb)
            memcpy (dest + 3 * x, row + 3 * sx, 3);
          else
            dest[3 * x] = dest[3 * x + 1] = dest[3 * x + 2] = row[sx];
        }
    }
  return g_steal_pointer (&pixbuf);
}

static void
show_preview (StationScanPage *self)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  /* A card's front waiting for its back is what the resident just did. */
  if (relais_scan_book_get_card_front (self->book) != NULL)
    pixbuf = page_to_pixbuf (relais_scan_book_get_card_front (self->book), PREVIEW_HEIGHT);
  else if (relais_scan_book_get_n_pages (self->book) == 0)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->preview), "image-x-generic-symbolic", GTK_ICON_SIZE_DIALOG);
      gtk_image_set_pixel_size (GTK_IMAGE (self->preview), 128);
      return;
    }
  else
    pixbuf = page_to_pixbuf (relais_scan_book_get_page (self->book, relais_scan_book_get_selected (self->book)),
                             PREVIEW_HEIGHT);
  /* A landscape page must not push the controls off the screen. */
  if (gdk_pixbuf_get_width (pixbuf) > PREVIEW_HEIGHT)
    {
      g_autoptr(GdkPixbuf) narrow = NULL;
      int height = PREVIEW_HEIGHT * PREVIEW_HEIGHT / gdk_pixbuf_get_width (pixbuf);

      narrow = gdk_pixbuf_scale_simple (pixbuf, PREVIEW_HEIGHT, MAX (1, height), GDK_INTERP_BILINEAR);
      g_set_object (&pixbuf, narrow);
    }
  gtk_image_set_from_pixbuf (GTK_IMAGE (self->preview), pixbuf);
}

static void
thumb_clicked_cb (GtkButton       *button,
                  StationScanPage *self)
{
  station_scan_page_select (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static void
rebuild_strip (StationScanPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->strip));
  gboolean selected = FALSE;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  for (guint i = 0; i < relais_scan_book_get_n_pages (self->book); i++)
    {
      g_autoptr(GdkPixbuf) thumb = page_to_pixbuf (relais_scan_book_get_page (self->book, i), THUMB_HEIGHT);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      /* TRANSLATORS: a thumbnail's name for screen readers: "Page 3". */
      g_autofree char *name = g_strdup_printf (_("Page %u"), i + 1);

      gtk_box_pack_start (GTK_BOX (box), gtk_image_new_from_pixbuf (thumb), FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), gtk_label_new (number), FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), box);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-thumb");
      atk_object_set_name (gtk_widget_get_accessible (button), name);
      if (i == relais_scan_book_get_selected (self->book))
        {
          gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-thumb-selected");
          selected = TRUE;
        }
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (thumb_clicked_cb), self);
      gtk_container_add (GTK_CONTAINER (self->strip), button);
    }
  gtk_widget_show_all (self->strip);
  /* Every page is there, rows under rows: the selected one is brought
   * into view once the rows are laid out (strip_allocated_cb). */
  self->show_selected = selected;
}

static void
strip_allocated_cb (GtkWidget       *strip,
                    GdkRectangle    *allocation,
                    StationScanPage *self)
{
  g_autoptr(GList) children = NULL;
  GtkAdjustment *adjustment;
  GtkAllocation child;
  GtkWidget *selected;

  if (!self->show_selected || relais_scan_book_get_n_pages (self->book) == 0)
    return;
  self->show_selected = FALSE;
  selected = GTK_WIDGET (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (strip),
                                                         (int) relais_scan_book_get_selected (self->book)));
  if (selected == NULL)
    return;
  gtk_widget_get_allocation (selected, &child);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->strip_scroller));
  gtk_adjustment_clamp_page (adjustment, child.y - allocation->y, child.y - allocation->y + child.height);
}

/* The book's pages changed (added, rotated, moved, deleted, cleared). */
static void
pages_changed (StationScanPage *self)
{
  self->web_size = 0;
  g_clear_pointer (&self->kept_pdf, g_bytes_unref);
  rebuild_strip (self);
  show_preview (self);
  _station_scan_page_update_sensitivity (self);
}

static void
book_items_changed_cb (StationScanPage *self)
{
  pages_changed (self);
}

/* A touch on a thumbnail: shown, and marked in the strip. */
static void
book_selected_cb (StationScanPage *self)
{
  rebuild_strip (self);
  show_preview (self);
}

guint
_station_scan_page_generation (StationScanPage *self)
{
  return relais_scan_book_get_generation (self->book) + self->web_changes;
}

void
_station_scan_page_finish_busy (StationScanPage *self)
{
  self->busy = FALSE;
  self->scanning = FALSE;
  self->feeding = FALSE;
  station_scan_progress_stop (&self->scan_progress);
  g_clear_object (&self->cancellable);
  _station_scan_page_update_sensitivity (self);
}

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
  id = station_services_raise_help (self->services, category, NULL, reason, &error);
  if (id == NULL)
    {
      g_message ("help not raised: %s", error->message);
      _station_scan_page_set_status (self, "relais-status-problem", message);
      return;
    }
  self->help_raised = TRUE;
  text = g_strdup_printf ("%s %s", message, _("Un médiateur a été prévenu."));
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
  /* On the glass a small sheet leaves white all round: cut it away. */
  g_autoptr(RelaisPage) cropped = relais_page_crop_margins (arrange->page);

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
      if (self->services->session != NULL)
        station_session_count (self->services->session, STATION_COUNT_PAGES_SCANNED, 1);
      _station_scan_page_finish_busy (self);
      {
        g_autofree char *text = g_strdup_printf (_("Le devant est numérisé. Retournez la carte sur la vitre, "
                                                   "au même endroit, puis touchez « %s »."), scan_label (self));

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
  g_autoptr(GTask) task = g_task_new (self, self->builds, arranged_cb, GINT_TO_POINTER (card_wanted (self)));
  Arrange *arrange = g_new0 (Arrange, 1);

  /* Busy still, no longer with the scanner. */
  self->scanning = FALSE;
  _station_scan_page_update_sensitivity (self);
  arrange->page = page;
  if (card_wanted (self) && relais_scan_book_get_card_front (self->book) != NULL)
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
  if (self->services->session != NULL)
    station_session_count (self->services->session, STATION_COUNT_PAGES_SCANNED, 1);
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
      _station_scan_page_set_status (self, NULL, _("Numérisation arrêtée. Les pages déjà numérisées sont gardées."));
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
  RelaisScanner     *scanner;
  RelaisScanOptions  options;
  StationScanPage   *self;      /* a reference, for the sheets' idles */
  GCancellable      *builds;    /* cancelled by a new session: sheets then dropped */
  GMainContext      *context;   /* the page's */
  gboolean           whole;     /* the document was empty: the batch is all of it */
  /* The sheets written into a PDF as they come (scanning the next one and
   * encoding this one overlap), for printing or saving the document as it
   * is once the batch ends; NULL once a sheet could not be encoded. */
  RelaisPdfWriter   *writer;
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
  BatchSheet *sheet = data;
  StationScanPage *self = sheet->self;
  g_autofree char *text = NULL;

  /* The session ended meanwhile: the sheet was the last resident's. */
  if (g_cancellable_is_cancelled (sheet->builds))
    return G_SOURCE_REMOVE;
  self->failures = 0;
  self->help_raised = FALSE;
  relais_scan_book_append (self->book, sheet->page);
  if (self->services->session != NULL)
    station_session_count (self->services->session, STATION_COUNT_PAGES_SCANNED, 1);
  /* Next sheet, until the feeder says it has none left. */
  self->batch_pages++;
  text = g_strdup_printf (_("Page %u numérisée… La suivante arrive."), relais_scan_book_get_n_pages (self->book));
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
  Batch *batch = user_data;
  BatchSheet *sheet = g_new0 (BatchSheet, 1);
  g_autoptr(GError) error = NULL;

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
  Batch *batch = task_data;
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
  Batch *batch = g_task_get_task_data (G_TASK (result));
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

  batch->scanner = g_object_ref (self->services->scanner);
  batch->options = *options;
  batch->self = g_object_ref (self);
  batch->builds = g_object_ref (self->builds);
  batch->context = g_main_context_ref_thread_default ();
  batch->whole = relais_scan_book_get_n_pages (self->book) == 0;
  if (batch->whole)
    batch->writer = relais_pdf_writer_new ();
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, batch_thread);
}

static void
start_scan (StationScanPage *self)
{
  RelaisScanOptions options = { RELAIS_SCAN_COLOR, DPI_PHOTO, RELAIS_SCAN_SOURCE_FLATBED };
  gboolean feeder = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_feeder));

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_gray)))
    options.mode = RELAIS_SCAN_GRAY;
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_text)))
    {
      options.mode = RELAIS_SCAN_TEXT;
      options.dpi = DPI_TEXT;
    }
  if (_station_scan_page_web_wanted (self) && options.mode != RELAIS_SCAN_TEXT)
    options.dpi = DPI_WEB;
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
  if (card_wanted (self))
    _station_scan_page_set_status (self, "relais-status-wait", relais_scan_book_get_card_front (self->book) == NULL
                ? _("Numérisation du devant de la carte… Ne la bougez pas.")
                : _("Numérisation du dos de la carte… Ne la bougez pas."));
  else if (!feeder || self->batch_pages == 0)
    _station_scan_page_set_status (self, "relais-status-wait", feeder ? _("Numérisation des feuilles du bac…")
                                                   : _("Numérisation en cours… Ne bougez pas la feuille."));
  _station_scan_page_update_sensitivity (self);
  if (feeder)
    {
      scan_batch (self, &options);
      return;
    }
  relais_scanner_scan_async (self->services->scanner, &options, station_scan_progress_cb,
                             &self->scan_progress, self->cancellable, scan_done_cb, g_object_ref (self));
}

static void
probed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean found = station_services_probe_scanner_finish (self->services, result, &error);

  _station_scan_page_finish_busy (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!found)
    {
      _station_scan_page_set_status (self, "relais-status-problem",
                  _("Aucun scanner n'est branché sur ce poste. Un médiateur peut vous aider."));
      gtk_widget_show (self->help_button);
      return;
    }
  gtk_widget_hide (self->help_button);
  {
    g_autofree char *text = g_strdup_printf (_("Le scanner est prêt. Posez votre feuille, puis touchez « %s »."),
                                             scan_label (self));

    _station_scan_page_set_status (self, "relais-status-ok", text);
  }
}

void
station_scan_page_scan (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->busy)
    return;
  if (self->services->scanner == NULL)
    {
      /* Plugged in since? Looked for in a worker (a probe can take a few
       * seconds), the page busy meanwhile. */
      self->busy = TRUE;
      self->cancellable = g_cancellable_new ();
      _station_scan_page_update_sensitivity (self);
      station_services_probe_scanner_async (self->services, self->cancellable, probed_cb, g_object_ref (self));
      return;
    }
  self->batch_pages = 0;
  self->job_active = FALSE;
  start_scan (self);
}

static void
volumes_changed_cb (StationScanPage *self)
{
  _station_scan_page_update_sensitivity (self);
}

/* ------------------------------------------------------------------------ */
/* Editing the document */

void
station_scan_page_set_card (StationScanPage *self,
                            gboolean         card)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (card ? self->source_card : self->source_glass), TRUE);
}

gboolean
station_scan_page_has_card_front (StationScanPage *self)
{
  g_return_val_if_fail (STATION_IS_SCAN_PAGE (self), FALSE);
  return relais_scan_book_get_card_front (self->book) != NULL;
}

void
station_scan_page_select (StationScanPage *self,
                          guint            index)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));
  g_return_if_fail (index < relais_scan_book_get_n_pages (self->book));

  relais_scan_book_select (self->book, index);
}

void
station_scan_page_rotate (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));
  if (self->busy)
    return;
  relais_scan_book_rotate_selected (self->book);
}

void
station_scan_page_delete (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));
  if (self->busy || relais_scan_book_get_n_pages (self->book) == 0)
    return;
  relais_scan_book_delete_selected (self->book);
  if (relais_scan_book_get_n_pages (self->book) == 0)
    say_what_to_do (self);
}

void
station_scan_page_move (StationScanPage *self,
                        int              delta)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));
  if (self->busy)
    return;
  relais_scan_book_move_selected (self->book, delta);
}

RelaisPage *
station_scan_page_get_page (StationScanPage *self,
                            guint            index)
{
  g_return_val_if_fail (STATION_IS_SCAN_PAGE (self), NULL);
  g_return_val_if_fail (index < relais_scan_book_get_n_pages (self->book), NULL);

  return relais_scan_book_get_page (self->book, index);
}

void
station_scan_page_set_options (StationScanPage *self,
                               RelaisScanMode   mode,
                               gboolean         feeder,
                               gboolean         web,
                               int              copies)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (mode == RELAIS_SCAN_GRAY ? self->mode_gray
                                                   : mode == RELAIS_SCAN_TEXT ? self->mode_text
                                                   : self->mode_color), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (feeder ? self->source_feeder : self->source_glass), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->web), web);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->copies), MAX (1, copies));
}

gsize
station_scan_page_get_web_size (StationScanPage *self)
{
  return self->web_size;
}

void
station_scan_page_clear (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->builds);
  g_clear_object (&self->builds);
  self->builds = g_cancellable_new ();
  relais_scan_book_clear (self->book);
  /* The last resident's job prints on, unfollowed; one being sent kept
   * the page busy. */
  if (_station_scan_page_drop_print (self))
    _station_scan_page_finish_busy (self);
  self->job_id = 0;
  self->failures = 0;
  self->help_raised = FALSE;
  self->web_size = 0;
  say_what_to_do (self);
  gtk_widget_set_visible (self->help_button, self->services->scanner == NULL);
  _station_scan_page_update_sensitivity (self);
}

/* Hot-plug: the scanner was found (or lost) while this page was built. */
static void
scanner_changed_cb (StationScanPage *self)
{
  if (self->busy)
    return;
  _station_scan_page_update_sensitivity (self);
  gtk_widget_set_visible (self->help_button, self->services->scanner == NULL
                          && relais_scan_book_get_n_pages (self->book) == 0);
  if (relais_scan_book_get_n_pages (self->book) > 0)
    return;
  if (self->services->scanner != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Le scanner est prêt. Posez votre feuille, puis touchez « %s »."),
                                               scan_label (self));

      _station_scan_page_set_status (self, "relais-status-ok", text);
    }
  else
    say_what_to_do (self);
}

guint
station_scan_page_get_n_pages (StationScanPage *self)
{
  return relais_scan_book_get_n_pages (self->book);
}

gboolean
station_scan_page_has_unsaved_work (StationScanPage *self)
{
  g_return_val_if_fail (STATION_IS_SCAN_PAGE (self), FALSE);

  return relais_scan_book_get_card_front (self->book) != NULL
         || (relais_scan_book_get_n_pages (self->book) > 0 && self->sent_generation != _station_scan_page_generation (self));
}

gboolean
station_scan_page_is_busy (StationScanPage *self)
{
  /* Something is under way: a scan, a print, a document being made or its
   * website size being measured. */
  return self->busy || self->job_active || self->sizing > 0;
}

int
station_scan_page_get_job (StationScanPage *self)
{
  return self->job_id;
}

const char *
station_scan_page_get_status (StationScanPage *self)
{
  return self->status_text;
}

static void
cancel_clicked_cb (StationScanPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
help_clicked_cb (StationScanPage *self)
{
  station_page_navigate (GTK_WIDGET (self), "help");
}

static void
home_clicked_cb (StationScanPage *self)
{
  station_page_navigate (GTK_WIDGET (self), "home");
}

/* Leaving the card mode forgets a front waiting for its back. */
static void
card_toggled_cb (StationScanPage *self)
{
  if (!card_wanted (self))
    relais_scan_book_set_card_front (self->book, NULL);
  _station_scan_page_update_sensitivity (self);
}

/* Another way of scanning: before the first page, say how to go about it. */
static void
source_toggled_cb (GtkToggleButton *button,
                   StationScanPage *self)
{
  if (gtk_toggle_button_get_active (button) && !self->busy && relais_scan_book_get_n_pages (self->book) == 0
      && relais_scan_book_get_card_front (self->book) == NULL)
    say_what_to_do (self);
}

static void
web_toggled_cb (StationScanPage *self)
{
  self->web_size = 0;
  self->web_changes++;
  if (relais_scan_book_get_n_pages (self->book) > 0 && !self->busy)
    _station_scan_page_say_scanned (self);
}

static void
rotate_clicked_cb (StationScanPage *self)
{
  station_scan_page_rotate (self);
}

static void
earlier_clicked_cb (StationScanPage *self)
{
  station_scan_page_move (self, -1);
}

static void
later_clicked_cb (StationScanPage *self)
{
  station_scan_page_move (self, 1);
}

static void
station_scan_page_dispose (GObject *object)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->builds);
  station_scan_progress_stop (&self->scan_progress);
  _station_scan_page_drop_print (self);
  if (self->volumes != NULL)
    g_signal_handlers_disconnect_by_data (self->volumes, self);
  g_clear_object (&self->volumes);
  G_OBJECT_CLASS (station_scan_page_parent_class)->dispose (object);
}

static void
station_scan_page_finalize (GObject *object)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);

  g_clear_object (&self->book);
  g_clear_pointer (&self->kept_pdf, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->builds);
  g_free (self->status_text);
  G_OBJECT_CLASS (station_scan_page_parent_class)->finalize (object);
}

static void
station_scan_page_class_init (StationScanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_scan_page_dispose;
  object_class->finalize = station_scan_page_finalize;
  station_page_class_add_navigate (object_class);
}

static void
station_scan_page_init (StationScanPage *self)
{
  self->book = relais_scan_book_new ();
  g_signal_connect_object (self->book, "items-changed", G_CALLBACK (book_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book, "notify::selected", G_CALLBACK (book_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book, "notify::card-front", G_CALLBACK (show_preview), self, G_CONNECT_SWAPPED);
  self->builds = g_cancellable_new ();
}

static GtkWidget *
tool_button (const char *icon,
             const char *label,
             GCallback   callback,
             gpointer    self)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_button_set_image (GTK_BUTTON (button), gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_LARGE_TOOLBAR));
  gtk_button_set_always_show_image (GTK_BUTTON (button), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tool");
  g_signal_connect_swapped (button, "clicked", callback, self);
  return button;
}

GtkWidget *
station_scan_page_new (StationServices *services)
{
  StationScanPage *self = g_object_new (STATION_TYPE_SCAN_PAGE,
                                        "orientation", GTK_ORIENTATION_HORIZONTAL,
                                        "spacing", 24,
                                        "margin", 16,
                                        NULL);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *frame = gtk_event_box_new ();
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Numériser"));
  /* Each kind of choice on one row, its words wrapping: three choices a
   * row, their pictograms beside. */
  GtkWidget *modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *sources = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *scan_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *print_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *bottom_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *home = station_page_big_button (_("_Retour à l'accueil"), NULL);
  GtkWidget *tools = gtk_grid_new ();

  self->services = services;
  self->volumes = g_volume_monitor_get ();
  g_signal_connect_object (services, "notify::scanner", G_CALLBACK (scanner_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Left: the selected page, every page below it, what to do with one. */
  self->preview = gtk_image_new ();
  gtk_widget_set_size_request (self->preview, PREVIEW_HEIGHT * 210 / 297, PREVIEW_HEIGHT);
  gtk_container_add (GTK_CONTAINER (frame), self->preview);
  gtk_style_context_add_class (gtk_widget_get_style_context (frame), "relais-preview");
  self->strip = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->strip), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->strip), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->strip), THUMBS_PER_ROW);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->strip), THUMBS_PER_ROW);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->strip), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->strip), 4);
  gtk_widget_set_valign (self->strip, GTK_ALIGN_START);
  self->strip_scroller = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->strip_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  /* Two rows of thumbnails in sight; more scroll, the last one shown. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->strip_scroller), 2 * (THUMB_HEIGHT + 40));
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->strip_scroller), 2 * (THUMB_HEIGHT + 40));
  gtk_container_add (GTK_CONTAINER (self->strip_scroller), self->strip);
  g_signal_connect_after (self->strip, "size-allocate", G_CALLBACK (strip_allocated_cb), self);
  self->page_tools = tools;
  gtk_grid_set_row_spacing (GTK_GRID (tools), 6);
  gtk_grid_set_column_spacing (GTK_GRID (tools), 6);
  gtk_grid_set_column_homogeneous (GTK_GRID (tools), TRUE);
  /* TRANSLATORS: turns the selected page a quarter turn. */
  gtk_grid_attach (GTK_GRID (tools), tool_button ("object-rotate-right-symbolic", _("Tourner"),
                                                  G_CALLBACK (rotate_clicked_cb), self), 0, 0, 1, 1);
  /* TRANSLATORS: takes the selected page out of the document. */
  gtk_grid_attach (GTK_GRID (tools), tool_button ("user-trash-symbolic", _("Enlever"),
                                                  G_CALLBACK (station_scan_page_delete), self), 1, 0, 1, 1);
  /* TRANSLATORS: moves the selected page one place earlier in the document. */
  gtk_grid_attach (GTK_GRID (tools), tool_button ("go-previous-symbolic", _("Avant"),
                                                  G_CALLBACK (earlier_clicked_cb), self), 0, 1, 1, 1);
  /* TRANSLATORS: moves the selected page one place later in the document. */
  gtk_grid_attach (GTK_GRID (tools), tool_button ("go-next-symbolic", _("Après"),
                                                  G_CALLBACK (later_clicked_cb), self), 1, 1, 1, 1);
  gtk_box_pack_start (GTK_BOX (left), frame, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), self->strip_scroller, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), tools, FALSE, FALSE, 0);

  /* Right: how to scan, then where the document goes. */
  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_widget_set_halign (title, GTK_ALIGN_START);
  self->mode_color = station_choice_new (NULL, "relais-colour", _("En couleur"));
  self->mode_gray = station_choice_new (self->mode_color, "relais-grey", _("En noir et blanc"));
  /* TRANSLATORS: the scan mode for a letter or a form: black and white
   * only, sharper than "En noir et blanc" (greys). */
  self->mode_text = station_choice_new (self->mode_color, "relais-text", _("Texte seul, net"));
  gtk_box_set_homogeneous (GTK_BOX (modes), TRUE);
  gtk_box_pack_start (GTK_BOX (modes), self->mode_color, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (modes), self->mode_gray, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (modes), self->mode_text, TRUE, TRUE, 0);
  /* Where to put the paper is said once a choice is made (say_what_to_do),
   * and its pictogram shows it. */
  self->source_glass = station_choice_new (NULL, "relais-glass", _("Une feuille"));
  /* TRANSLATORS: scanned from the scanner's feeder, the tray on its top. */
  self->source_feeder = station_choice_new (self->source_glass, "relais-feeder", _("Plusieurs feuilles"));
  /* TRANSLATORS: both sides of an identity card, on one page. */
  self->source_card = station_choice_new (self->source_glass, "relais-card", _("Une carte d'identité"));
  gtk_box_set_homogeneous (GTK_BOX (sources), TRUE);
  gtk_box_pack_start (GTK_BOX (sources), self->source_glass, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (sources), self->source_feeder, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (sources), self->source_card, TRUE, TRUE, 0);
  /* TRANSLATORS: made light enough for the websites of the CAF, the
   * impôts…, which refuse big files. */
  self->web = station_check_new ("relais-web", _("Pour un site internet (fichier léger)"));

  self->scan_button = station_page_big_button (_("Numériser"), "relais-primary");
  self->cancel_button = station_page_big_button (_("_Arrêter"), NULL);
  gtk_box_pack_start (GTK_BOX (scan_row), self->scan_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (scan_row), self->cancel_button, FALSE, FALSE, 0);
  self->progress = gtk_progress_bar_new ();
  self->status = gtk_label_new (NULL);
  station_label_wrap (self->status, 42);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);

  self->copies = station_stepper_new (1, 20, _("Nombre de copies"));
  self->print_button = station_page_big_button (_("_Imprimer"), "relais-primary");
  gtk_box_pack_start (GTK_BOX (print_row), self->print_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (print_row), self->copies, FALSE, FALSE, 0);
  /* TRANSLATORS: after the number of copies: "[−] 2 [+] copies". */
  gtk_box_pack_start (GTK_BOX (print_row), gtk_label_new (_("copies")), FALSE, FALSE, 0);
  /* TRANSLATORS: where the scanned document is saved: the resident's USB key. */
  self->usb_button = station_page_big_button (_("Sur ma clé _USB"), NULL);
  gtk_button_set_image (GTK_BUTTON (self->usb_button), gtk_image_new_from_icon_name ("media-removable-symbolic",
                                                                                     GTK_ICON_SIZE_LARGE_TOOLBAR));
  gtk_button_set_always_show_image (GTK_BUTTON (self->usb_button), TRUE);
  self->safe_button = station_page_big_button (_("Dans mon _coffre-fort"), NULL);
  gtk_button_set_image (GTK_BUTTON (self->safe_button), gtk_image_new_from_icon_name ("channel-secure-symbolic",
                                                                                      GTK_ICON_SIZE_LARGE_TOOLBAR));
  gtk_button_set_always_show_image (GTK_BUTTON (self->safe_button), TRUE);
  g_signal_connect_swapped (self->safe_button, "clicked", G_CALLBACK (station_scan_page_save_safe), self);
  self->help_button = station_page_big_button (_("Appeler un _médiateur"), "relais-help-button");

  g_signal_connect_swapped (self->scan_button, "clicked", G_CALLBACK (station_scan_page_scan), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect_swapped (self->print_button, "clicked", G_CALLBACK (station_scan_page_print), self);
  g_signal_connect_swapped (self->usb_button, "clicked", G_CALLBACK (station_scan_page_save_usb), self);
  g_signal_connect_swapped (self->help_button, "clicked", G_CALLBACK (help_clicked_cb), self);
  g_signal_connect_swapped (self->web, "toggled", G_CALLBACK (web_toggled_cb), self);
  g_signal_connect_swapped (self->source_card, "toggled", G_CALLBACK (card_toggled_cb), self);
  g_signal_connect (self->source_glass, "toggled", G_CALLBACK (source_toggled_cb), self);
  g_signal_connect (self->source_feeder, "toggled", G_CALLBACK (source_toggled_cb), self);
  g_signal_connect (self->source_card, "toggled", G_CALLBACK (source_toggled_cb), self);
  g_signal_connect_swapped (home, "clicked", G_CALLBACK (home_clicked_cb), self);
  g_signal_connect_swapped (self->volumes, "mount-added", G_CALLBACK (volumes_changed_cb), self);
  g_signal_connect_swapped (self->volumes, "mount-removed", G_CALLBACK (volumes_changed_cb), self);

  gtk_box_pack_start (GTK_BOX (side), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), modes, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), sources, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->web, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), scan_row, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->progress, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), print_row, FALSE, FALSE, 0);
  {
    GtkWidget *keep = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

    gtk_box_set_homogeneous (GTK_BOX (keep), TRUE);
    gtk_style_context_add_class (gtk_widget_get_style_context (self->usb_button), "relais-secondary");
    gtk_style_context_add_class (gtk_widget_get_style_context (self->safe_button), "relais-secondary");
    gtk_box_pack_start (GTK_BOX (keep), self->usb_button, TRUE, TRUE, 0);
    gtk_box_pack_start (GTK_BOX (keep), self->safe_button, TRUE, TRUE, 0);
    gtk_box_pack_start (GTK_BOX (side), keep, FALSE, FALSE, 0);
  }
  /* Side by side: the kiosk's 800 pixels of height hold no more rows. */
  gtk_box_pack_start (GTK_BOX (bottom_row), home, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (bottom_row), self->help_button, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (side), bottom_row, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (self), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), side, TRUE, TRUE, 0);

  gtk_widget_show_all (GTK_WIDGET (self));
  station_scan_page_clear (self);
  return GTK_WIDGET (self);
}
