/* station-scan-page.c: "Numériser" (assets/ui/station-scan-page.ui): scan
 * one page, a whole pile or a card's two sides, and arrange the pages. The
 * page's state and what its buttons say live here; the scanning itself is
 * station-scan-page-scan.c, the pictures of the document
 * station-scan-page-strip.c, where the document goes (printer, USB key,
 * safe) station-scan-page-send.c. */

#include "station-scan-page-private.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (StationScanPage, station_scan_page, STATION_TYPE_PAGE)

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
  GList  *keys = relais_usb_list_keys (self->volumes);
  GList  *last = g_list_last (keys);
  GMount *key = last != NULL ? g_object_ref (last->data) : NULL;

  g_list_free_full (keys, g_object_unref);
  return key;
}

gboolean
_station_scan_page_card_wanted (StationScanPage *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_card));
}

/* The scan button's words, the ones the instructions quote. */
const char *
_station_scan_page_scan_label (StationScanPage *self)
{
  if (STATION_PAGE_SERVICES (self)->scanner == NULL)
    return _ ("Chercher le scanner");
  if (_station_scan_page_card_wanted (self))
    return relais_scan_book_get_card_front (self->book) == NULL ? _ ("Numériser le devant de la carte")
                                                                : _ ("Numériser le dos de la carte");
  return relais_scan_book_get_n_pages (self->book) > 0 ? _ ("Ajouter une page") : _ ("Numériser");
}

/* What to do first, for the way of scanning chosen, quoting the button. */
static void
say_what_to_do (StationScanPage *self)
{
  g_autofree char *text = NULL;

  if (STATION_PAGE_SERVICES (self)->scanner == NULL)
    text = g_strdup_printf (_ ("Aucun scanner n'est branché sur ce poste. Vérifiez qu'il est allumé, puis "
                               "touchez « %s », ou appelez un médiateur."),
                            _station_scan_page_scan_label (self));
  else if (_station_scan_page_card_wanted (self))
    text = g_strdup_printf (_ ("Posez la carte face vers le bas sur la vitre, puis touchez « %s »."),
                            _station_scan_page_scan_label (self));
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->source_feeder)))
    text = g_strdup_printf (_ ("Posez vos feuilles dans le bac du dessus, face vers le haut, puis touchez « %s »."),
                            _station_scan_page_scan_label (self));
  else
    text = g_strdup_printf (_ ("Posez votre feuille face vers le bas sur la vitre, puis touchez « %s »."),
                            _station_scan_page_scan_label (self));
  _station_scan_page_set_status (self, STATION_PAGE_SERVICES (self)->scanner == NULL ? "relais-status-problem" : NULL,
                                 text);
}

void
_station_scan_page_update_sensitivity (StationScanPage *self)
{
  gboolean have = relais_scan_book_get_n_pages (self->book) > 0;
  g_autoptr(GMount) key = _station_scan_page_current_key (self);
  gboolean       scanning = self->busy && self->scanning;
  RelaisScanner *scanner = STATION_PAGE_SERVICES (self)->scanner;

  gtk_widget_set_sensitive (self->scan_button, !self->busy);
  gtk_button_set_label (GTK_BUTTON (self->scan_button), _station_scan_page_scan_label (self));
  gtk_widget_set_visible (self->cancel_button, scanning);
  /* Something is under way: the bar moves, scanning or not. */
  gtk_widget_set_visible (self->progress, self->busy || self->job_active);
  if ((self->busy || self->job_active) && !scanning)
    station_scan_progress_pulse (&self->scan_progress, self->progress);
  else if (!self->busy && !self->job_active)
    station_scan_progress_stop (&self->scan_progress);
  gtk_widget_set_sensitive (self->print_button, !self->busy && !self->job_active && have
                                                    && STATION_PAGE_SERVICES (self)->printer != NULL);
  gtk_widget_set_sensitive (self->usb_button, !self->busy && have && key != NULL);
  gtk_widget_set_sensitive (self->safe_button, !self->busy && have);
  gtk_widget_set_sensitive (self->page_tools, !self->busy && have);
  gtk_widget_set_sensitive (self->source_feeder,
                            scanner != NULL && relais_scanner_has_feeder (scanner));
}

/* The book's pages changed (added, rotated, moved, deleted, cleared): the
 * document as it would leave changed too (the pictures follow by
 * themselves: station-scan-page-strip.c). */
static void
book_items_changed_cb (StationScanPage *self)
{
  self->web_size = 0;
  g_clear_pointer (&self->kept_pdf, g_bytes_unref);
  _station_scan_page_update_sensitivity (self);
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

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (mode == RELAIS_SCAN_GRAY   ? self->mode_gray
                                                   : mode == RELAIS_SCAN_TEXT ? self->mode_text
                                                                              : self->mode_color),
                                TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (feeder ? self->source_feeder : self->source_glass), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->web), web);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->copies), MAX (1, copies));
}

void
station_scan_page_set_document (StationScanPage *self,
                                gboolean         document)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->document), document);
}

/* A card's sides are never redrawn nor cut (relais_page_as_document ()
 * would leave them anyway: they are pictures); not even asked. */
gboolean
_station_scan_page_document_wanted (StationScanPage *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->document)) && !_station_scan_page_card_wanted (self);
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
  gtk_widget_set_visible (self->help_button, STATION_PAGE_SERVICES (self)->scanner == NULL);
  _station_scan_page_update_sensitivity (self);
}

/* Hot-plug: the scanner was found (or lost) while this page was built. */
static void
scanner_changed_cb (StationScanPage *self)
{
  if (self->busy)
    return;
  _station_scan_page_update_sensitivity (self);
  gtk_widget_set_visible (self->help_button, STATION_PAGE_SERVICES (self)->scanner == NULL
                                                 && relais_scan_book_get_n_pages (self->book) == 0);
  if (relais_scan_book_get_n_pages (self->book) > 0)
    return;
  if (STATION_PAGE_SERVICES (self)->scanner != NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("Le scanner est prêt. Posez votre feuille, puis touchez « %s »."),
                                               _station_scan_page_scan_label (self));

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

/* Leaving the card mode forgets a front waiting for its back. */
static void
card_toggled_cb (StationScanPage *self)
{
  if (!_station_scan_page_card_wanted (self))
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

/* What the page shows depends on the scanner and the printer: known once
 * "services" is set. */
static void
station_scan_page_constructed (GObject *object)
{
  StationScanPage *self = STATION_SCAN_PAGE (object);

  G_OBJECT_CLASS (station_scan_page_parent_class)->constructed (object);
  g_return_if_fail (STATION_PAGE_SERVICES (self) != NULL);

  g_signal_connect_object (STATION_PAGE_SERVICES (self), "notify::scanner", G_CALLBACK (scanner_changed_cb), self,
                           G_CONNECT_SWAPPED);
  station_scan_page_clear (self);
}

static void
station_scan_page_class_init (StationScanPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = station_scan_page_constructed;
  object_class->dispose = station_scan_page_dispose;
  object_class->finalize = station_scan_page_finalize;

  /* The template's own widget classes. */
  g_type_ensure (STATION_TYPE_CHOICE);
  g_type_ensure (STATION_TYPE_CHECK);
  g_type_ensure (STATION_TYPE_STEPPER);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, preview);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, strip);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, strip_scroller);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, page_tools);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, mode_color);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, mode_gray);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, mode_text);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, source_glass);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, source_feeder);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, source_card);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, web);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, document);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, scan_button);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, usb_button);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, safe_button);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, copies);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, progress);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationScanPage, help_button);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_scan);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_print);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_save_usb);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_save_safe);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_rotate);
  gtk_widget_class_bind_template_callback (widget_class, station_scan_page_delete);
  gtk_widget_class_bind_template_callback (widget_class, earlier_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, later_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, web_toggled_cb);
  _station_scan_page_strip_class_init (widget_class);
}

/* "Pour un site internet" and "Remettre la feuille droite" share a line
 * (a line each would push the page's last buttons off an 800-pixel
 * screen): their words wrap sooner than a lone check's 32 characters, the
 * longer at 22 and the shorter at 13, two lines each at most in large
 * text; wider, the two ask for more than a 1,280-pixel screen, narrower
 * (18 each), the first takes three lines and the page 704 pixels. */
static void
wrap_shared_line (GtkWidget *check,
                  int        max_chars)
{
  GtkWidget *box = gtk_bin_get_child (GTK_BIN (check));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (box));

  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_LABEL (l->data))
      gtk_label_set_max_width_chars (GTK_LABEL (l->data), max_chars);
}

static void
station_scan_page_init (StationScanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  station_label_wrap (self->status, 42);
  wrap_shared_line (self->web, 22);
  wrap_shared_line (self->document, 13);

  self->builds = g_cancellable_new ();
  self->book = relais_scan_book_new ();
  g_signal_connect_object (self->book, "items-changed", G_CALLBACK (book_items_changed_cb), self, G_CONNECT_SWAPPED);
  _station_scan_page_strip_init (self);
  /* A key plugged in or pulled out: "Sur ma clé USB" follows. */
  self->volumes = g_volume_monitor_get ();
  g_signal_connect_object (self->volumes, "mount-added", G_CALLBACK (volumes_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->volumes, "mount-removed", G_CALLBACK (volumes_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
station_scan_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_SCAN_PAGE, "services", services, NULL);
}
