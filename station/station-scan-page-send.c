/* station-scan-page-send.c: the scan page's document leaving the
 * station: made into a PDF off the screen's thread (lightened for a
 * website, its size said), then printed and followed, saved on a USB key,
 * or handed to the digital safe. */

#include "station-scan-page-private.h"
#include "station-safe-page.h"
#include "relais-pdf.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

gboolean
_station_scan_page_web_wanted (StationScanPage *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->web));
}

gsize
_station_scan_page_web_cap (StationScanPage *self)
{
  int cap = relais_config_get_int (STATION_PAGE_SERVICES (self)->config, "scanner", "web-max-bytes");

  return cap > 0 ? (gsize) cap : 2000000;
}

/* What to do with the document once it is made. */
typedef void (*StationScanPdfReady) (StationScanPage *self,
                                     GBytes          *pdf);

typedef struct
{
  StationScanPage    *self; /* a reference */
  StationScanPdfReady ready;
  gboolean            blocking;   /* the page is busy meanwhile */
  guint               generation; /* of the document it was made from */
} StationScanPdfBuild;

static void
build_pdf_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StationScanPdfBuild *build = user_data;
  g_autoptr(StationScanPage) self = build->self;
  StationScanPdfReady ready = build->ready;
  gboolean            blocking = build->blocking;
  guint               generation = build->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = relais_pdf_build_finish (result, &error);

  g_free (build);
  if (blocking)
    _station_scan_page_finish_busy (self);
  else
    self->sizing--;
  /* The session ended meanwhile: the document is the last resident's, it
   * goes nowhere. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!blocking)
    {
      /* While something else speaks on the screen (printing, saving),
       * not worth saying; for a document since changed, measure that one
       * (once the last measure in flight is back). */
      if (self->busy)
        return;
      if (generation != _station_scan_page_generation (self))
        {
          if (self->sizing == 0 && relais_scan_book_get_n_pages (self->book) > 0)
            _station_scan_page_say_scanned (self);
          return;
        }
    }
  if (pdf == NULL)
    {
      _station_scan_page_set_status (self, "relais-status-problem", error->message);
      return;
    }
  ready (self, pdf);
}

/* The PDF as it will leave the station, made in a worker thread while the
 * screen says so (ten colour pages, or the website preset trying several
 * settings, take a moment): for a website (@for_web and the box ticked),
 * lightened under the cap, else at the scan's own quality. @blocking: the
 * page is busy until it is made (print, save); otherwise (measuring the
 * website size) the resident may go on, and a result that no longer fits
 * the document is dropped. */
static void
build_pdf (StationScanPage    *self,
           gboolean            for_web,
           gboolean            blocking,
           StationScanPdfReady ready)
{
  gboolean             capped = for_web && _station_scan_page_web_wanted (self);
  StationScanPdfBuild *build;

  /* A feeder's batch wrote it already, and nothing changed since. */
  if (!capped && self->kept_pdf != NULL
      && self->kept_pdf_generation == relais_scan_book_get_generation (self->book))
    {
      g_autoptr(GBytes) pdf = g_bytes_ref (self->kept_pdf);

      ready (self, pdf);
      return;
    }
  build = g_new0 (StationScanPdfBuild, 1);
  build->self = g_object_ref (self);
  build->ready = ready;
  build->blocking = blocking;
  build->generation = _station_scan_page_generation (self);
  if (blocking)
    {
      self->busy = TRUE;
      _station_scan_page_set_status (self, "relais-status-wait", _ ("Préparation du document…"));
      _station_scan_page_update_sensitivity (self);
    }
  else
    {
      self->sizing++;
      _station_scan_page_set_status (self, "relais-status-wait", _ ("Calcul de la taille du fichier…"));
    }
  relais_pdf_build_async (relais_scan_book_get_pages (self->book), STATION_SCAN_PDF_QUALITY,
                          capped ? _station_scan_page_web_cap (self) : 0, self->builds, build_pdf_cb, build);
}

void
_station_scan_page_keep_pdf (StationScanPage *self,
                             GBytes          *pdf)
{
  g_clear_pointer (&self->kept_pdf, g_bytes_unref);
  self->kept_pdf = g_bytes_ref (pdf);
  self->kept_pdf_generation = relais_scan_book_get_generation (self->book);
}

static void
say_web_size (StationScanPage *self,
              GBytes          *pdf)
{
  g_autofree char *text = NULL;

  /* Made under the cap: the resident needs to know it will go through,
   * not its size in units few can read. */
  self->web_size = g_bytes_get_size (pdf);
  text = g_strdup_printf (g_dngettext (NULL, "%u page prête pour un site internet : le fichier est assez léger.",
                                       "%u pages prêtes pour un site internet : le fichier est assez léger.",
                                       relais_scan_book_get_n_pages (self->book)),
                          relais_scan_book_get_n_pages (self->book));
  _station_scan_page_set_status (self, "relais-status-ok", text);
}

void
_station_scan_page_say_scanned (StationScanPage *self)
{
  g_autofree char *text = NULL;

  /* For a website, the size it will have: made now, so that the resident
   * knows before choosing where it goes. */
  if (_station_scan_page_web_wanted (self))
    {
      build_pdf (self, TRUE, FALSE, say_web_size);
      return;
    }
  text = g_strdup_printf (g_dngettext (NULL, "%u page numérisée. Ajoutez une page, imprimez ou enregistrez.",
                                       "%u pages numérisées. Ajoutez une page, imprimez ou enregistrez.",
                                       relais_scan_book_get_n_pages (self->book)),
                          relais_scan_book_get_n_pages (self->book));
  _station_scan_page_set_status (self, "relais-status-ok", text);
}

static void
print_status_cb (StationPrintJob *job,
                 const char      *css_class,
                 const char      *text,
                 StationScanPage *self)
{
  _station_scan_page_set_status (self, css_class, text);
}

static void
print_offer_help_cb (StationPrintJob *job,
                     gboolean         offer,
                     StationScanPage *self)
{
  gtk_widget_set_visible (self->help_button, offer);
}

static void
print_sent_cb (StationPrintJob *job,
               int              job_id,
               StationScanPage *self)
{
  _station_scan_page_finish_busy (self);
  self->job_id = job_id;
  self->job_active = TRUE;
  self->sent_generation = _station_scan_page_generation (self);
  _station_scan_page_update_sensitivity (self);
}

static void
print_finished_cb (StationPrintJob *job,
                   StationScanPage *self)
{
  /* Never sent: the page was busy sending it. */
  if (!self->job_active)
    _station_scan_page_finish_busy (self);
  self->job_active = FALSE;
  g_clear_object (&self->print);
  _station_scan_page_update_sensitivity (self);
}

gboolean
_station_scan_page_drop_print (StationScanPage *self)
{
  gboolean sending = self->print != NULL && !self->job_active;

  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
  self->job_active = FALSE;
  return sending;
}

static void
print_pdf (StationScanPage *self,
           GBytes          *pdf)
{
  RelaisPrintOptions options = { 1, FALSE, FALSE, "" };

  options.copies = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies));
  options.grayscale = !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->mode_color));

  self->busy = TRUE;
  _station_scan_page_update_sensitivity (self);
  _station_scan_page_drop_print (self);
  self->print = station_print_job_new (STATION_PAGE_SERVICES (self), STATION_COUNT_PAGES_PRINTED,
                                       relais_scan_book_get_n_pages (self->book) * MAX (1, options.copies));
  g_signal_connect_object (self->print, "status", G_CALLBACK (print_status_cb), self, 0);
  g_signal_connect_object (self->print, "offer-help", G_CALLBACK (print_offer_help_cb), self, 0);
  g_signal_connect_object (self->print, "sent", G_CALLBACK (print_sent_cb), self, 0);
  g_signal_connect_object (self->print, "finished", G_CALLBACK (print_finished_cb), self, 0);
  station_print_job_start (self->print, pdf, "application/pdf", _ ("Document numérisé"), &options);
}

void
station_scan_page_print (StationScanPage *self)
{
  g_autoptr(GError) error = NULL;
  int copies;

  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  /* A job still followed is not sent again: when the print server died
   * with it, it may come back and print once it is restarted. */
  if (self->busy || self->job_active || relais_scan_book_get_n_pages (self->book) == 0)
    return;
  /* Refused (no printer, cap reached) before the document is made. */
  copies = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->copies));
  if (!station_print_job_check (STATION_PAGE_SERVICES (self),
                                relais_scan_book_get_n_pages (self->book) * MAX (1, copies), &error))
    {
      _station_scan_page_set_status (self, "relais-status-problem", error->message);
      gtk_widget_show (self->help_button);
      return;
    }
  /* Printed at the scan's quality, website box or not. */
  build_pdf (self, FALSE, TRUE, print_pdf);
}

/* ------------------------------------------------------------------------ */
/* USB key */

static void
unmounted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StationScanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  _station_scan_page_finish_busy (self);
  if (!relais_usb_unmount_finish (G_MOUNT (object), result, &error))
    {
      _station_scan_page_set_status (self, "relais-status-problem", error->message);
      return;
    }
  text = g_strdup_printf ("%s %s", self->status_text != NULL ? self->status_text : "",
                          _ ("Vous pouvez retirer la clé USB."));
  _station_scan_page_set_status (self, "relais-status-ok", text);
}

/* The document goes to the resident's digital safe: the safe page takes
 * it (category, number, PIN), encrypted before it leaves the station. */
static void
deliver_to_safe (StationScanPage *self,
                 GBytes          *pdf)
{
  /* The safe page holds it now, until it is stored. */
  self->sent_generation = _station_scan_page_generation (self);
  station_safe_page_deliver (GTK_WIDGET (self), pdf);
}

void
station_scan_page_save_safe (StationScanPage *self)
{
  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->busy || relais_scan_book_get_n_pages (self->book) == 0)
    return;
  build_pdf (self, TRUE, TRUE, deliver_to_safe);
}

static void
save_pdf_on_key (StationScanPage *self,
                 GBytes          *pdf)
{
  g_autoptr(GMount) key = _station_scan_page_current_key (self);
  g_autoptr(GFile) root = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "document-%Y-%m-%d-%Hh%M.pdf");
  g_autofree char *text = NULL;
  g_autofree char *basename = NULL;

  /* Pulled out while the document was being made. */
  if (key == NULL)
    {
      _station_scan_page_set_status (self, "relais-status-problem", _ ("Branchez votre clé USB sur le côté de l'écran, puis réessayez."));
      return;
    }
  root = g_mount_get_root (key);
  saved = relais_usb_save (root, name, pdf, NULL, &error);
  if (saved == NULL)
    {
      _station_scan_page_set_status (self, "relais-status-problem", error->message);
      return;
    }
  if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_count (STATION_PAGE_SERVICES (self)->session, STATION_COUNT_SAVED_USB, 1);
  self->sent_generation = _station_scan_page_generation (self);
  basename = g_file_get_basename (saved);
  text = g_strdup_printf (_ ("Enregistré sur la clé USB, sous le nom « %s ». Attendez…"), basename);
  _station_scan_page_set_status (self, "relais-status-wait", text);

  /* Then unmounted at once: the resident's next move is to pull it out. */
  g_free (self->status_text);
  self->status_text = g_strdup_printf (_ ("Enregistré sur la clé USB, sous le nom « %s »."), basename);
  self->busy = TRUE;
  _station_scan_page_update_sensitivity (self);
  relais_usb_unmount_async (key, NULL, unmounted_cb, g_object_ref (self));
}

void
station_scan_page_save_usb (StationScanPage *self)
{
  g_autoptr(GMount) key = NULL;

  g_return_if_fail (STATION_IS_SCAN_PAGE (self));

  if (self->busy || relais_scan_book_get_n_pages (self->book) == 0)
    return;
  key = _station_scan_page_current_key (self);
  if (key == NULL)
    {
      _station_scan_page_set_status (self, "relais-status-problem", _ ("Branchez votre clé USB sur le côté de l'écran, puis réessayez."));
      return;
    }
  build_pdf (self, TRUE, TRUE, save_pdf_on_key);
}
