/* station-scan-page.c: scan a page, see it, print it. */
#define G_LOG_DOMAIN "relais-station"

#include "station-pages.h"
#include "relais-pdf.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define PREVIEW_HEIGHT 420

struct _StationScanPage
{
  GtkBox           parent_instance;

  /* Widgets */
  GtkWidget       *preview;
  GtkWidget       *mode_color;
  GtkWidget       *mode_gray;
  GtkWidget       *mode_text;
  GtkWidget       *scan_button;
  GtkWidget       *cancel_button;
  GtkWidget       *print_button;
  GtkWidget       *copies;
  GtkWidget       *progress;
  GtkWidget       *status;
  GtkWidget       *help_button;

  /* Owned */
  GPtrArray       *pages;          /* RelaisPage*, in memory only */
  GCancellable    *cancellable;
  guint            progress_id;
  guint            job_poll_id;
  char            *status_text;

  /* Borrowed */
  StationServices *services;

  /* Written by the scanning thread, read by a timeout: a double in
   * 0..1, or < 0 when the height is unknown. */
  gint             progress_permille;
  gboolean         busy;
  int              job_id;
  guint            failures;       /* scans failed in a row */
  gboolean         help_raised;    /* the station already called for this problem */
};

#define MAX_FAILURES_ALONE 3

G_DEFINE_FINAL_TYPE (StationScanPage, station_scan_page, GTK_TYPE_BOX)

static void
set_status (StationScanPage *self,
            const char      *css_class,
            const char      *text)
{
  GtkStyleContext *style = gtk_widget_get_style_context (self->status);

  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->status), text);
  gtk_style_context_remove_class (style, "relais-status-ok");
  gtk_style_context_remove_class (style, "relais-status-wait");
  gtk_style_context_remove_class (style, "relais-status-problem");
  if (css_class != NULL)
    gtk_style_context_add_class (style, css_class);
}

static void
update_sensitivity (StationScanPage *self)
{
  gboolean can_scan = self->services->scanner != NULL && !self->busy;

  gtk_widget_set_sensitive (self->scan_button, can_scan);
  gtk_widget_set_visible (self->cancel_button, self->busy);
  gtk_widget_set_visible (self->progress, self->busy);
  gtk_widget_set_sensitive (self->print_button,
                            !self->busy && self->pages->len > 0 && self->services->printer != NULL);
}

static GdkPixbuf *
page_to_pixbuf (RelaisPage *page)
{
  int width = relais_page_get_width (page);
  int height = relais_page_get_height (page);
  int stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *out = gdk_pixbuf_get_pixels (pixbuf);
  int out_stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * stride;
      guint8 *dest = out + (gsize) y * out_stride;

      if (relais_page_get_format (page) == RELAIS_PAGE_RGB)
        memcpy (dest, row, (gsize) width * 3);
      else
        for (int x = 0; x < width; x++)
          dest[3 * x] = dest[3 * x + 1] = dest[3 * x + 2] = row[x];
    }
  return g_steal_pointer (&pixbuf);
}

static void
show_preview (StationScanPage *self)
{
  RelaisPage *page;
  g_autoptr(GdkPixbuf) full = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  int width, height;

  if (self->pages->len == 0)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->preview), "image-x-generic-symbolic", GTK_ICON_SIZE_DIALOG);
      gtk_image_set_pixel_size (GTK_IMAGE (self->preview), 128);
      return;
    }
  page = g_ptr_array_index (self->pages, self->pages->len - 1);
  full = page_to_pixbuf (page);
  height = PREVIEW_HEIGHT;
  width = MAX (1, relais_page_get_width (page) * height / MAX (1, relais_page_get_height (page)));
  scaled = gdk_pixbuf_scale_simple (full, width, height, GDK_INTERP_BILINEAR);
  gtk_image_set_from_pixbuf (GTK_IMAGE (self->preview), scaled);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  StationScanPage *self = user_data;

  /* Scanning thread: only an atomic store here. */
  g_atomic_int_set (&self->progress_permille, fraction < 0 ? -1 : (int) (fraction * 1000));
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  StationScanPage *self = user_data;
  int permille = g_atomic_int_get (&self->progress_permille);

  if (permille < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), permille / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
finish_busy (StationScanPage *self)
{
  self->busy = FALSE;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->cancellable);
  update_sensitivity (self);
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
      set_status (self, "relais-status-problem", message);
      return;
    }
  id = station_services_raise_help (self->services, category, NULL, reason, &error);
  if (id == NULL)
    {
      g_message ("help not raised: %s", error->message);
      set_status (self, "relais-status-problem", message);
      return;
    }
  self->help_raised = TRUE;
  text = g_strdup_printf ("%s %s", message, _("Un médiateur a été prévenu."));
  set_status (self, "relais-status-problem", text);
}

static const char *
scanner_reason (const GError *error)
{
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_JAMMED))
    return "scanner-jammed";
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_COVER_OPEN))
    return "scanner-cover-open";
  if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_IO)
      || g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DEVICE))
    return "scanner-failed";
  return NULL;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = relais_scanner_scan_finish (RELAIS_SCANNER (object), result, &error);

  finish_busy (self);
  if (page == NULL)
    {
      const char *reason = scanner_reason (error);

      if (g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_CANCELLED))
        {
          set_status (self, NULL, _("Numérisation annulée."));
          return;
        }
      self->failures++;
      if (reason == NULL && self->failures >= MAX_FAILURES_ALONE)
        reason = "scanner-repeated-failures";
      if (reason != NULL)
        raise_for (self, "scanner", reason, error->message);
      else
        set_status (self, "relais-status-problem", error->message);
      gtk_widget_show (self->help_button);
      return;
    }
  self->failures = 0;
  self->help_raised = FALSE;
  /* One page for now: a new scan replaces the previous one. */
  g_ptr_array_set_size (self->pages, 0);
  g_ptr_array_add (self->pages, g_steal_pointer (&page));
  station_session_count (self->services->session, STATION_COUNT_PAGES_SCANNED, 1);
  show_preview (self);
  set_status (self, "relais-status-ok", _("Votre document est numérisé. Vous pouvez l'imprimer."));
  update_sensitivity (self);
}

void
station_scan_page_scan (StationScanPage *self)
{
  RelaisScanOptions options = { RELAIS_SCAN_COLOR, 150 };

  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->services->scanner == NULL)
    {
      station_services_probe_scanner (self->services);
      if (self->services->scanner == NULL)
        {
          set_status (self, "relais-status-problem",
                      _("Aucun scanner n'est disponible sur ce poste. Un médiateur peut vous aider."));
          gtk_widget_show (self->help_button);
          update_sensitivity (self);
          return;
        }
    }
  if (self->busy)
    return;

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_gray)))
    options.mode = RELAIS_SCAN_GRAY;
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_text)))
    {
      options.mode = RELAIS_SCAN_TEXT;
      options.dpi = 300;
    }

  self->busy = TRUE;
  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->progress_permille, 0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  self->progress_id = g_timeout_add (100, progress_tick_cb, self);
  gtk_widget_hide (self->help_button);
  set_status (self, "relais-status-wait", _("Numérisation en cours… Ne bougez pas la feuille."));
  update_sensitivity (self);
  relais_scanner_scan_async (self->services->scanner, &options, progress_cb, self,
                             self->cancellable, scan_done_cb, g_object_ref (self));
}

static const char *
job_state_text (RelaisJobState state)
{
  switch (state)
    {
    case RELAIS_JOB_PENDING: return _("Votre document attend son tour à l'imprimante…");
    case RELAIS_JOB_PROCESSING: return _("Impression en cours…");
    case RELAIS_JOB_HELD: return _("L'impression est en attente. Un médiateur peut vous aider.");
    case RELAIS_JOB_STOPPED: return _("L'imprimante est arrêtée. Un médiateur va vous aider.");
    case RELAIS_JOB_COMPLETED: return _("C'est imprimé. Prenez votre feuille dans l'imprimante.");
    case RELAIS_JOB_CANCELLED: return _("L'impression a été annulée.");
    case RELAIS_JOB_ABORTED: return _("L'impression a échoué. Un médiateur peut vous aider.");
    default: return "";
    }
}

static gboolean
job_poll_cb (gpointer user_data)
{
  StationScanPage *self = user_data;
  g_autoptr(GError) error = NULL;
  RelaisJobState state;

  state = relais_printer_get_job_state (self->services->printer, self->job_id, &error);
  if (error != NULL)
    {
      set_status (self, "relais-status-problem", error->message);
      self->job_poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (state == RELAIS_JOB_STOPPED || state == RELAIS_JOB_ABORTED)
    raise_for (self, "printer", state == RELAIS_JOB_STOPPED ? "printer-stopped" : "printer-failed",
               job_state_text (state));
  else
    set_status (self,
                state == RELAIS_JOB_COMPLETED ? "relais-status-ok" :
                state >= RELAIS_JOB_STOPPED ? "relais-status-problem" : "relais-status-wait",
                job_state_text (state));
  if (state >= RELAIS_JOB_COMPLETED || state == RELAIS_JOB_STOPPED)
    {
      self->job_poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
print_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  int job = relais_printer_print_finish (RELAIS_PRINTER (object), result, &error);

  finish_busy (self);
  if (job <= 0)
    {
      set_status (self, "relais-status-problem", error->message);
      gtk_widget_show (self->help_button);
      return;
    }
  self->job_id = job;
  /* Counted when CUPS accepts the job: the log counts sheets asked for. */
  station_session_count (self->services->session, STATION_COUNT_PAGES_PRINTED,
                         self->pages->len * MAX (1, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies))));
  set_status (self, "relais-status-wait", job_state_text (RELAIS_JOB_PENDING));
  g_clear_handle_id (&self->job_poll_id, g_source_remove);
  self->job_poll_id = g_timeout_add (500, job_poll_cb, self);
}

void
station_scan_page_print (StationScanPage *self)
{
  RelaisPrintOptions options = { 1, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;

  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->busy || self->pages->len == 0)
    return;
  if (self->services->printer == NULL)
    {
      set_status (self, "relais-status-problem", self->services->printer_error->message);
      gtk_widget_show (self->help_button);
      return;
    }
  pdf = relais_pdf_write_bytes (self->pages, 85, &error);
  if (pdf == NULL)
    {
      set_status (self, "relais-status-problem", error->message);
      return;
    }
  options.copies = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies));
  options.grayscale = !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_color));
  self->busy = TRUE;
  self->cancellable = g_cancellable_new ();
  set_status (self, "relais-status-wait", _("Envoi à l'imprimante…"));
  update_sensitivity (self);
  gtk_widget_hide (self->progress);
  relais_printer_print_async (self->services->printer, pdf, "application/pdf", _("Document numérisé"),
                              &options, self->cancellable, print_done_cb, g_object_ref (self));
}

void
station_scan_page_clear (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_ptr_array_set_size (self->pages, 0);
  g_clear_handle_id (&self->job_poll_id, g_source_remove);
  self->job_id = 0;
  self->failures = 0;
  self->help_raised = FALSE;
  show_preview (self);
  set_status (self, NULL, _("Posez votre feuille face vers le bas sur la vitre, puis touchez « Numériser »."));
  gtk_widget_hide (self->help_button);
  update_sensitivity (self);
}

guint
station_scan_page_get_n_pages (StationScanPage *self)
{
  return self->pages->len;
}

gboolean
station_scan_page_is_busy (StationScanPage *self)
{
  return self->busy || self->job_poll_id != 0;
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
scan_clicked_cb (StationScanPage *self)
{
  station_scan_page_scan (self);
}

static void
print_clicked_cb (StationScanPage *self)
{
  station_scan_page_print (self);
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

static void
station_scan_page_dispose (GObject *object)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->job_poll_id, g_source_remove);
  G_OBJECT_CLASS (station_scan_page_parent_class)->dispose (object);
}

static void
station_scan_page_finalize (GObject *object)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
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
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
}

static GtkWidget *
big_button (const char *label,
            const char *css)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-big-button");
  if (css != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (button), css);
  return button;
}

GtkWidget *
station_scan_page_new (StationServices *services)
{
  StationScanPage *self = g_object_new (STATION_TYPE_SCAN_PAGE,
                                        "orientation", GTK_ORIENTATION_HORIZONTAL,
                                        "spacing", 32,
                                        "margin", 24,
                                        NULL);
  GtkWidget *frame = gtk_event_box_new ();
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (_("Numériser"));
  GtkWidget *modes = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *copies_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *home = big_button (_("_Retour à l'accueil"), NULL);

  self->services = services;

  self->preview = gtk_image_new ();
  gtk_widget_set_size_request (self->preview, PREVIEW_HEIGHT * 210 / 297, PREVIEW_HEIGHT);
  gtk_container_add (GTK_CONTAINER (frame), self->preview);
  gtk_style_context_add_class (gtk_widget_get_style_context (frame), "relais-preview");
  gtk_widget_set_valign (frame, GTK_ALIGN_START);

  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_widget_set_halign (title, GTK_ALIGN_START);

  self->mode_color = gtk_radio_button_new_with_label (NULL, _("Couleur"));
  self->mode_gray = gtk_radio_button_new_with_label_from_widget (GTK_RADIO_BUTTON (self->mode_color),
                                                                 _("Noir et blanc"));
  self->mode_text = gtk_radio_button_new_with_label_from_widget (GTK_RADIO_BUTTON (self->mode_color),
                                                                 _("Texte (lettre, formulaire)"));
  gtk_box_pack_start (GTK_BOX (modes), self->mode_color, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (modes), self->mode_gray, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (modes), self->mode_text, FALSE, FALSE, 0);

  self->scan_button = big_button (_("_Numériser"), "relais-primary");
  self->cancel_button = big_button (_("_Arrêter"), NULL);
  self->progress = gtk_progress_bar_new ();
  self->print_button = big_button (_("_Imprimer"), "relais-primary");
  self->copies = gtk_spin_button_new_with_range (1, 20, 1);
  gtk_box_pack_start (GTK_BOX (copies_box), gtk_label_new (_("Nombre de copies :")), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (copies_box), self->copies, FALSE, FALSE, 0);
  self->status = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->status), 36);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  self->help_button = big_button (_("_Appeler un médiateur"), "relais-help-button");

  g_signal_connect_swapped (self->scan_button, "clicked", G_CALLBACK (scan_clicked_cb), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect_swapped (self->print_button, "clicked", G_CALLBACK (print_clicked_cb), self);
  g_signal_connect_swapped (self->help_button, "clicked", G_CALLBACK (help_clicked_cb), self);
  g_signal_connect_swapped (home, "clicked", G_CALLBACK (home_clicked_cb), self);

  gtk_box_pack_start (GTK_BOX (side), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), modes, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->scan_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->progress, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->cancel_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), copies_box, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->print_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (side), self->help_button, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (side), home, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (self), frame, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), side, TRUE, TRUE, 0);

  gtk_widget_show_all (GTK_WIDGET (self));
  station_scan_page_clear (self);
  return GTK_WIDGET (self);
}
