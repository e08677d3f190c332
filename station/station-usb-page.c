/* station-usb-page.c: "Imprimer depuis une clé USB": the documents found
 * on the resident's key, a preview with the page count, then copies, pages,
 * colour and both sides, and the job followed to the tray. */

#include "station-usb-page.h"
#include "station-widgets.h"
#include "station-print-job.h"
#include "station-scan-progress.h"
#include "relais-document.h"
#include "relais-usb.h"
#include "station-keypad.h"

#include <glib/gi18n.h>
#include <string.h>

/* The preview fits beside the list on a 1280 × 800 screen. */
#define PREVIEW_WIDTH  240
#define PREVIEW_HEIGHT 320

struct _StationUsbPage {
  StationPage         parent_instance;

  /* Template widgets */
  GtkWidget          *files; /* GtkListBox, one row per file */
  GtkWidget          *preview;
  GtkWidget          *pages_label;
  GtkWidget          *range_box;
  GtkWidget          *range_label;
  GtkWidget          *print_button;
  GtkWidget          *status;
  GtkWidget          *progress; /* moves while a file opens or a job prints */
  GtkWidget          *help_button;
  GtkWidget          *colour;
  GtkWidget          *grey;
  GtkWidget          *copies;
  GtkWidget          *range;
  GtkWidget          *duplex;

  /* Owned */
  StationScanProgress progress_tick;
  GVolumeMonitor     *volumes;
  GFile              *root_override; /* a folder instead of the key (tests) */
  GPtrArray          *file_list;     /* GFile, as listed */
  RelaisDocument     *document;      /* the file chosen, checked */
  char               *document_name;
  GCancellable       *list_cancellable;
  GCancellable       *load_cancellable;
  StationPrintJob    *print; /* the last one sent, while followed */
  char               *status_text;

  gboolean            listing;
  gboolean            loading;
  gboolean            printing;
  gboolean            can_duplex;
  int                 job_id;
};

G_DEFINE_FINAL_TYPE (StationUsbPage, station_usb_page, STATION_TYPE_PAGE)

static void
set_status (StationUsbPage *self,
            const char     *css_class,
            const char     *text)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
}

static void
update_sensitivity (StationUsbPage *self)
{
  gboolean have = self->document != NULL;
  int      n_pages = have ? relais_document_get_n_pages (self->document) : 0;

  gtk_widget_set_sensitive (self->files, !self->printing);
  gtk_widget_set_sensitive (self->print_button, have && !self->printing && !self->loading
                                                    && STATION_PAGE_SERVICES (self)->printer != NULL);
  gtk_widget_set_sensitive (self->colour, have && !self->printing);
  gtk_widget_set_sensitive (self->grey, have && !self->printing);
  gtk_widget_set_sensitive (self->copies, have && !self->printing);
  gtk_widget_set_sensitive (self->range, have && !self->printing);
  /* A single page has no range to choose. */
  gtk_widget_set_visible (self->range_box, n_pages > 1);
  gtk_widget_set_visible (self->duplex, have && n_pages > 1 && self->can_duplex);
  gtk_widget_set_visible (self->progress, station_usb_page_is_busy (self));
  if (station_usb_page_is_busy (self))
    station_scan_progress_pulse (&self->progress_tick, self->progress);
  else
    station_scan_progress_stop (&self->progress_tick);
}

/* Listing the key */

static GFile *
current_root (StationUsbPage *self)
{
  GList *keys;
  GList *last;
  GFile *root = NULL;

  if (self->root_override != NULL)
    return g_object_ref (self->root_override);
  keys = relais_usb_list_keys (self->volumes);
  last = g_list_last (keys);
  if (last != NULL)
    root = g_mount_get_root (last->data);
  g_list_free_full (keys, g_object_unref);
  return root;
}

static void
clear_document (StationUsbPage *self)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->document, relais_document_free);
  g_clear_pointer (&self->document_name, g_free);
  self->loading = FALSE;
  gtk_image_clear (GTK_IMAGE (self->preview));
  gtk_label_set_text (GTK_LABEL (self->pages_label), "");
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError    *error = NULL;
  GPtrArray *files = relais_usb_list_printable (task_data, cancellable, &error);

  if (files == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, files, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_task_propagate_pointer (G_TASK (result), &error);
  StationUsbPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = STATION_USB_PAGE (object);
  g_clear_object (&self->list_cancellable);
  self->listing = FALSE;
  update_sensitivity (self);
  if (files == NULL)
    {
      g_message ("key not listed: %s", error->message);
      set_status (self, "relais-status-problem",
                  _ ("La clé USB ne peut pas être lue. Retirez-la, rebranchez-la, puis réessayez."));
      return;
    }

  g_clear_pointer (&self->file_list, g_ptr_array_unref);
  self->file_list = g_steal_pointer (&files);
  for (guint i = 0; i < self->file_list->len; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (self->file_list, i));
      g_autofree char *display = g_filename_display_name (name);
      GtkWidget       *label = gtk_label_new (display);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_margin_top (label, 14);
      gtk_widget_set_margin_bottom (label, 14);
      gtk_widget_set_margin_start (label, 8);
      gtk_widget_show (label);
      gtk_list_box_insert (GTK_LIST_BOX (self->files), label, -1);
      /* The row is what a finger touches and a screen reader names. */
      atk_object_set_name (gtk_widget_get_accessible (gtk_widget_get_parent (label)), display);
    }
  if (self->file_list->len == 0)
    set_status (self, "relais-status-problem",
                _ ("Il n'y a pas de document à imprimer sur cette clé (PDF, JPEG ou PNG)."));
  else
    set_status (self, NULL, _ ("Touchez le document à imprimer."));
}

static void
clear_list (StationUsbPage *self)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->files));

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_clear_pointer (&self->file_list, g_ptr_array_unref);
}

void
station_usb_page_refresh (StationUsbPage *self)
{
  g_autoptr(GFile) root = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STATION_IS_USB_PAGE (self));

  /* A job under way keeps its document; the list comes back after. */
  if (self->printing)
    return;
  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  clear_document (self);
  clear_list (self);
  self->listing = FALSE;
  update_sensitivity (self);

  root = current_root (self);
  if (root == NULL)
    {
      set_status (self, NULL, _ ("Branchez votre clé USB sur le côté de l'écran."));
      return;
    }
  self->listing = TRUE;
  update_sensitivity (self);
  set_status (self, "relais-status-wait", _ ("Lecture de la clé USB…"));
  self->list_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->list_cancellable, list_done_cb, NULL);
  g_task_set_task_data (task, g_steal_pointer (&root), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

void
station_usb_page_set_root (StationUsbPage *self,
                           GFile          *root)
{
  g_return_if_fail (STATION_IS_USB_PAGE (self));

  g_set_object (&self->root_override, root);
  station_usb_page_refresh (self);
}

static void
volumes_changed_cb (StationUsbPage *self)
{
  if (self->root_override == NULL)
    station_usb_page_refresh (self);
}

/* Opening a file: read, checked and its first page drawn off the main
 * thread, for a hostile file may take poppler a while to refuse. */

typedef struct {
  RelaisDocument  *document;
  cairo_surface_t *preview;
  gboolean         can_duplex;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->document, relais_document_free);
  g_clear_pointer (&loaded->preview, cairo_surface_destroy);
  g_free (loaded);
}

typedef struct {
  GFile         *file;
  RelaisPrinter *printer;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->printer);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError   *error = NULL;
  Loaded   *loaded = g_new0 (Loaded, 1);

  loaded->document = relais_document_new_from_file (data->file, cancellable, &error);
  if (loaded->document != NULL)
    loaded->preview = relais_document_render_page (loaded->document, 0, PREVIEW_WIDTH,
                                                   PREVIEW_HEIGHT, &error);
  if (loaded->preview == NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  /* Asked of the destination, never assumed; one IPP request. */
  loaded->can_duplex = data->printer != NULL && relais_printer_supports_duplex (data->printer);
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Loaded          *loaded = g_task_propagate_pointer (G_TASK (result), &error);
  StationUsbPage  *self;
  int              n_pages;
  g_autofree char *count = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = STATION_USB_PAGE (object);
  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;
  if (loaded == NULL)
    {
      /* The message says what is wrong with the file; the rest of the
       * page, and the other files, stay usable. */
      g_clear_pointer (&self->document_name, g_free);
      set_status (self, "relais-status-problem", error->message);
      gtk_widget_show (self->help_button);
      update_sensitivity (self);
      return;
    }

  self->document = g_steal_pointer (&loaded->document);
  self->can_duplex = loaded->can_duplex;
  gtk_image_set_from_surface (GTK_IMAGE (self->preview), loaded->preview);
  n_pages = relais_document_get_n_pages (self->document);
  count = g_strdup_printf (g_dngettext (NULL, "%d page", "%d pages", n_pages), n_pages);
  gtk_label_set_text (GTK_LABEL (self->pages_label), count);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->copies), 1);
  gtk_entry_set_text (GTK_ENTRY (self->range), "");
  set_status (self, NULL, _ ("Choisissez, puis touchez « Imprimer »."));
  loaded_free (loaded);
  update_sensitivity (self);
}

void
station_usb_page_select (StationUsbPage *self,
                         guint           index)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (STATION_IS_USB_PAGE (self));

  if (self->printing || self->file_list == NULL || index >= self->file_list->len)
    return;
  clear_document (self);
  gtk_widget_hide (self->help_button);
  gtk_list_box_select_row (GTK_LIST_BOX (self->files),
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->files), (int) index));
  self->document_name = g_file_get_basename (g_ptr_array_index (self->file_list, index));
  self->loading = TRUE;
  self->load_cancellable = g_cancellable_new ();
  set_status (self, "relais-status-wait", _ ("Ouverture du document…"));
  update_sensitivity (self);

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (g_ptr_array_index (self->file_list, index));
  data->printer = STATION_PAGE_SERVICES (self)->printer != NULL ? g_object_ref (STATION_PAGE_SERVICES (self)->printer)
                                                                : NULL;
  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static void
row_activated_cb (GtkListBox     *box,
                  GtkListBoxRow  *row,
                  StationUsbPage *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0)
    station_usb_page_select (self, (guint) index);
}

/* Printing */

/* Pages @ranges ("" for all) selects in a document of @n_pages, or -1
 * when it names a page the document does not have. */
static int
count_range_pages (const char *ranges,
                   int         n_pages)
{
  g_auto(GStrv) parts = NULL;
  int total = 0;

  if (ranges[0] == '\0')
    return n_pages;
  if (!relais_printer_page_ranges_are_valid (ranges))
    return -1;
  parts = g_strsplit (ranges, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *dash = strchr (parts[i], '-');
      gint64      first = g_ascii_strtoll (parts[i], NULL, 10);
      gint64      last = dash != NULL ? g_ascii_strtoll (dash + 1, NULL, 10) : first;

      if (first < 1 || last > n_pages || last < first)
        return -1;
      total += (int) (last - first + 1);
    }
  return total;
}

static void
fail (StationUsbPage *self,
      const char     *message)
{
  self->printing = FALSE;
  set_status (self, "relais-status-problem", message);
  gtk_widget_show (self->help_button);
  update_sensitivity (self);
}

static void
print_status_cb (StationPrintJob *job,
                 const char      *css_class,
                 const char      *text,
                 StationUsbPage  *self)
{
  set_status (self, css_class, text);
}

static void
print_offer_help_cb (StationPrintJob *job,
                     gboolean         offer,
                     StationUsbPage  *self)
{
  gtk_widget_set_visible (self->help_button, offer);
}

static void
print_sent_cb (StationPrintJob *job,
               int              job_id,
               StationUsbPage  *self)
{
  self->job_id = job_id;
}

static void
print_finished_cb (StationPrintJob *job,
                   StationUsbPage  *self)
{
  g_clear_object (&self->print);
  self->printing = FALSE;
  update_sensitivity (self);
}

/* The job prints on, unfollowed. */
static void
drop_print (StationUsbPage *self)
{
  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
}

void
station_usb_page_print (StationUsbPage *self)
{
  RelaisPrintOptions options = { 1, FALSE, FALSE, "" };
  g_autofree char   *ranges = NULL;
  g_autoptr(GError) error = NULL;
  int selected;

  g_return_if_fail (STATION_IS_USB_PAGE (self));

  if (self->printing || self->loading || self->document == NULL)
    return;
  /* No printer: said before the choices are checked. */
  if (!station_print_job_check (STATION_PAGE_SERVICES (self), 0, &error))
    {
      fail (self, error->message);
      return;
    }

  ranges = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->range)));
  g_strdelimit (g_strstrip (ranges), " ", ',');
  selected = count_range_pages (ranges, relais_document_get_n_pages (self->document));
  if (selected <= 0)
    {
      g_autofree char *text = g_strdup_printf (_ ("Les pages à imprimer sont mal écrites. Écrivez par exemple "
                                                  "« 1-3 » ou « 2,5 », entre 1 et %d, ou laissez vide pour tout imprimer."),
                                               relais_document_get_n_pages (self->document));

      set_status (self, "relais-status-problem", text);
      return;
    }
  options.copies = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies));
  options.grayscale = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->grey));
  options.duplex = self->can_duplex && gtk_widget_get_visible (self->duplex)
                   && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->duplex));
  g_strlcpy (options.page_ranges, ranges, sizeof options.page_ranges);
  if (strlen (ranges) >= sizeof options.page_ranges)
    {
      set_status (self, "relais-status-problem",
                  _ ("Trop de pages différentes : imprimez-les en plusieurs fois."));
      return;
    }
  if (!station_print_job_check (STATION_PAGE_SERVICES (self), (guint) (selected * MAX (1, options.copies)), &error))
    {
      fail (self, error->message);
      return;
    }

  drop_print (self);
  gtk_widget_hide (self->help_button);
  self->printing = TRUE;
  self->job_id = 0;
  update_sensitivity (self);
  self->print = station_print_job_new (STATION_PAGE_SERVICES (self), STATION_COUNT_PAGES_PRINTED,
                                       (guint) (selected * MAX (1, options.copies)));
  g_signal_connect_object (self->print, "status", G_CALLBACK (print_status_cb), self, 0);
  g_signal_connect_object (self->print, "offer-help", G_CALLBACK (print_offer_help_cb), self, 0);
  g_signal_connect_object (self->print, "sent", G_CALLBACK (print_sent_cb), self, 0);
  g_signal_connect_object (self->print, "finished", G_CALLBACK (print_finished_cb), self, 0);
  station_print_job_start (self->print, relais_document_get_bytes (self->document),
                           relais_document_get_mime_type (self->document), self->document_name, &options);
}

void
station_usb_page_set_options (StationUsbPage *self,
                              int             copies,
                              const char     *ranges,
                              gboolean        colour,
                              gboolean        duplex)
{
  g_return_if_fail (STATION_IS_USB_PAGE (self));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->copies), MAX (1, copies));
  gtk_entry_set_text (GTK_ENTRY (self->range), ranges != NULL ? ranges : "");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (colour ? self->colour : self->grey), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->duplex), duplex);
}

guint
station_usb_page_get_n_files (StationUsbPage *self)
{
  return self->file_list != NULL ? self->file_list->len : 0;
}

int
station_usb_page_get_n_pages (StationUsbPage *self)
{
  return self->document != NULL ? relais_document_get_n_pages (self->document) : 0;
}

gboolean
station_usb_page_is_busy (StationUsbPage *self)
{
  return self->listing || self->loading || self->printing;
}

gboolean
station_usb_page_can_duplex (StationUsbPage *self)
{
  return self->can_duplex;
}

int
station_usb_page_get_job (StationUsbPage *self)
{
  return self->job_id;
}

const char *
station_usb_page_get_status (StationUsbPage *self)
{
  return self->status_text;
}

static void
station_usb_page_dispose (GObject *object)
{
  StationUsbPage *self = STATION_USB_PAGE (object);

  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  drop_print (self);
  station_scan_progress_stop (&self->progress_tick);
  if (self->volumes != NULL)
    g_signal_handlers_disconnect_by_data (self->volumes, self);
  g_clear_object (&self->volumes);
  G_OBJECT_CLASS (station_usb_page_parent_class)->dispose (object);
}

static void
station_usb_page_finalize (GObject *object)
{
  StationUsbPage *self = STATION_USB_PAGE (object);

  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->root_override);
  g_clear_pointer (&self->file_list, g_ptr_array_unref);
  g_clear_pointer (&self->document, relais_document_free);
  g_free (self->document_name);
  g_free (self->status_text);
  G_OBJECT_CLASS (station_usb_page_parent_class)->finalize (object);
}

/* The choices depend on the printer: known once "services" is set. */
static void
station_usb_page_constructed (GObject *object)
{
  StationUsbPage *self = STATION_USB_PAGE (object);

  G_OBJECT_CLASS (station_usb_page_parent_class)->constructed (object);
  update_sensitivity (self);
  set_status (self, NULL, _ ("Branchez votre clé USB sur le côté de l'écran."));
}

static void
station_usb_page_class_init (StationUsbPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = station_usb_page_constructed;
  object_class->dispose = station_usb_page_dispose;
  object_class->finalize = station_usb_page_finalize;

  /* The template's own widget classes. */
  g_type_ensure (STATION_TYPE_CHOICE);
  g_type_ensure (STATION_TYPE_CHECK);
  g_type_ensure (STATION_TYPE_STEPPER);
  g_type_ensure (STATION_TYPE_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-usb-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, files);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, preview);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, pages_label);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, grey);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, colour);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, copies);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, range);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, duplex);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, range_box);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, progress);
  gtk_widget_class_bind_template_child (widget_class, StationUsbPage, help_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, station_usb_page_print);
}

static void
station_usb_page_init (StationUsbPage *self)
{
  GtkWidget *keypad;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->volumes = g_volume_monitor_get ();

  keypad = station_keypad_new ();
  station_keypad_attach (STATION_KEYPAD (keypad), GTK_ENTRY (self->range), STATION_KEYPAD_PAGES);
  station_touch_input_popover (self->range, keypad);
  station_label_wrap (self->range_label, 30);
  station_label_wrap (self->status, 60);

  g_signal_connect_swapped (self->volumes, "mount-added", G_CALLBACK (volumes_changed_cb), self);
  g_signal_connect_swapped (self->volumes, "mount-removed", G_CALLBACK (volumes_changed_cb), self);
  /* The resident comes to this screen with the key in: look at it now. */
  g_signal_connect_swapped (self, "map", G_CALLBACK (volumes_changed_cb), self);
}

GtkWidget *
station_usb_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_USB_PAGE, "services", services, NULL);
}
