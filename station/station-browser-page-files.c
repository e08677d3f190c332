/* station-browser-page-files.c: the files a site asks for and the files
 * it gives. A site's <input type="file"> opens the page's own chooser
 * (the "chooser" view of the template): this session's scanned document,
 * the USB key's files and the open safe's documents, each with its first
 * page large; never the station's file system. A file the site gave is
 * saved on the USB key or put in the safe, as after a scan. */

#include "station-browser-page-private.h"
#include "station-document-chooser.h"
#include "station-safe-page.h"
#include "relais-document.h"
#include "relais-usb.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>

/* The key plugged in (the last one), or the tests' folder standing for
 * it; @mount (nullable) the real key's, to unmount. */
static GFile *
key_root (StationBrowserPage *self,
          GMount            **mount)
{
  if (mount != NULL)
    *mount = NULL;
  if (self->key_root != NULL)
    return g_object_ref (self->key_root);
  return station_document_chooser_find_key (self->volumes, mount);
}

/* ---- uploads: the chooser ---- */

static void
gathered_cb (StationBrowserPage *self,
             guint               offered)
{
  gtk_label_set_text (GTK_LABEL (self->chooser_hint),
                      offered > 0 ? _ ("Touchez le document à envoyer. Seuls vos documents de cette visite, "
                                       "votre clé USB et votre coffre-fort sont proposés.")
                                  : _ ("Aucun document à envoyer. Numérisez votre papier, branchez votre clé USB "
                                       "ou ouvrez votre coffre-fort, puis revenez ici."));
  _station_browser_page_set_status (self, NULL, "");
}

/* Reads again what may be sent: the session's scan, the key, the safe. */
static void
gather_choices (StationBrowserPage *self)
{
  g_autoptr(GFile) key = key_root (self, NULL);
  int cap = relais_config_get_int (STATION_PAGE_SERVICES (self)->config, "scanner", "web-max-bytes");

  /* The scan lightened as "Pour un site internet" is: sites refuse big files. */
  station_document_chooser_set_scan_max_bytes (self->chooser, cap > 0 ? (gsize) cap : 2000000);
  station_document_chooser_gather (self->chooser, key);
  _station_browser_page_set_status (self, "relais-status-wait", _ ("Recherche de vos documents…"));
}

gboolean
_station_browser_page_run_file_chooser_cb (WebKitWebView            *view,
                                           WebKitFileChooserRequest *request,
                                           StationBrowserPage       *self)
{
  if (self->upload != NULL)
    webkit_file_chooser_request_cancel (self->upload);
  g_clear_object (&self->upload);
  self->upload = g_object_ref (request);
  _station_browser_page_show_view (self, "chooser");
  gather_choices (self);
  /* Handled: WebKit's own dialog (GTK's file chooser) never opens. */
  return TRUE;
}

/* A name the folder can hold: the last part, no leading dot. */
static char *
safe_file_name (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  g_autofree char *valid = g_utf8_make_valid (base, -1);
  char            *clean = g_strdelimit (g_strdup (valid), "/\\", '_');

  if (*clean == '\0' || *clean == '.')
    {
      char *named = g_strconcat ("document", clean, NULL);

      g_free (clean);
      clean = named;
    }
  return clean;
}

static void
chosen_cb (StationBrowserPage *self,
           const char         *name,
           GBytes             *bytes,
           RelaisPage         *page)
{
  g_autofree char *file_name = safe_file_name (name);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *files[2] = { NULL, NULL };

  /* A scan is offered to sites as one PDF, never page by page. */
  if (self->upload == NULL || self->web_dir == NULL || bytes == NULL)
    return;
  /* WebKit gives a site a file by its path: the document is written, for
   * the time of the session, in the page's own folder (0700), the only
   * one WebKit's sandbox lets it read. */
  path = g_build_filename (self->web_dir, file_name, NULL);
  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      g_message ("file not given to the site: %s", error->message);
      _station_browser_page_set_status (self, "relais-status-problem",
                                        _ ("Le document n'a pas pu être préparé pour le site. Réessayez."));
      return;
    }
  files[0] = path;
  webkit_file_chooser_request_select_files (self->upload, files);
  g_clear_object (&self->upload);
  g_free (self->uploaded_name);
  self->uploaded_name = g_strdup (file_name);
  _station_browser_page_show_view (self, "web");
  text = g_strdup_printf (_ ("« %s » est joint. Touchez le bouton du site pour l'envoyer."), file_name);
  _station_browser_page_set_status (self, "relais-status-ok", text);
}

static void
chooser_cancel_clicked_cb (StationBrowserPage *self)
{
  station_document_chooser_cancel (self->chooser);
  if (self->upload != NULL)
    webkit_file_chooser_request_cancel (self->upload);
  g_clear_object (&self->upload);
  _station_browser_page_set_status (self, NULL, "");
  _station_browser_page_show_view (self, "web");
}

/* Back from the safe (opened for this) or the scanner: what is offered
 * may have changed. */
static void
mapped_cb (StationBrowserPage *self)
{
  if (self->upload != NULL && g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->views)), "chooser"))
    gather_choices (self);
}

/* ---- downloads: the USB key and the safe ---- */

static void
update_download_buttons (StationBrowserPage *self)
{
  g_autoptr(GFile) root = key_root (self, NULL);
  g_autoptr(RelaisDocument) document = NULL;

  if (self->download != NULL)
    document = relais_document_new_from_bytes (self->download, NULL);
  gtk_widget_set_sensitive (self->download_usb, self->download != NULL && root != NULL && !self->saving);
  /* The safe keeps PDFs. */
  gtk_widget_set_sensitive (self->download_safe, document != NULL
                                                     && g_str_equal (relais_document_get_mime_type (document), "application/pdf"));
}

void
_station_browser_page_files_downloaded (StationBrowserPage *self)
{
  update_download_buttons (self);
}

static void
unmounted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StationBrowserPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->saving = FALSE;
  update_download_buttons (self);
  if (!relais_usb_unmount_finish (G_MOUNT (object), result, &error))
    {
      _station_browser_page_set_status (self, "relais-status-problem", error->message);
      return;
    }
  text = g_strdup_printf ("%s %s", self->status_text != NULL ? self->status_text : "", _ ("Vous pouvez retirer la clé USB."));
  _station_browser_page_set_status (self, "relais-status-ok", text);
}

static void
download_usb_clicked_cb (StationBrowserPage *self)
{
  g_autoptr(GMount) mount = NULL;
  g_autoptr(GFile) root = key_root (self, &mount);
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;
  StationServices *services = STATION_PAGE_SERVICES (self);

  if (self->download == NULL || self->saving)
    return;
  if (root == NULL)
    {
      _station_browser_page_set_status (self, "relais-status-problem",
                                        _ ("Branchez votre clé USB sur le côté de l'écran, puis réessayez."));
      return;
    }
  name = safe_file_name (self->download_name);
  saved = relais_usb_save (root, name, self->download, NULL, &error);
  if (saved == NULL)
    {
      _station_browser_page_set_status (self, "relais-status-problem", error->message);
      return;
    }
  if (services->session != NULL)
    station_session_count (services->session, STATION_COUNT_SAVED_USB, 1);
  basename = g_file_get_basename (saved);
  text = g_strdup_printf (_ ("Enregistré sur la clé USB, sous le nom « %s »."), basename);
  _station_browser_page_set_status (self, "relais-status-ok", text);
  if (mount == NULL)
    return;
  /* Then unmounted at once: the person's next move is to pull it out. */
  self->saving = TRUE;
  update_download_buttons (self);
  relais_usb_unmount_async (mount, NULL, unmounted_cb, g_object_ref (self));
}

static void
download_safe_clicked_cb (StationBrowserPage *self)
{
  if (self->download == NULL || !gtk_widget_get_sensitive (self->download_safe))
    return;
  /* The safe page takes it (category, name, PIN), encrypted before it
   * leaves the station, as a scan is. */
  station_safe_page_deliver (GTK_WIDGET (self), self->download);
}

void
station_browser_page_save_download_usb (StationBrowserPage *self)
{
  g_return_if_fail (STATION_IS_BROWSER_PAGE (self));

  download_usb_clicked_cb (self);
}

void
station_browser_page_set_key_root (StationBrowserPage *self,
                                   GFile              *root)
{
  g_return_if_fail (STATION_IS_BROWSER_PAGE (self));

  g_set_object (&self->key_root, root);
  update_download_buttons (self);
}

const char *
station_browser_page_get_uploaded_name (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->uploaded_name;
}

gboolean
station_browser_page_is_choosing (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), FALSE);

  return self->upload != NULL && !station_document_chooser_is_gathering (self->chooser);
}

/* ---- the part's life ---- */

char *
_station_browser_page_files_prepare (WebKitWebContext *context)
{
  /* In the runtime dir (memory, the user's alone) when there is one. */
  char *web_dir = g_build_filename (g_get_user_runtime_dir (), "relais-web-XXXXXX", NULL);

  if (g_mkdtemp_full (web_dir, 0700) == NULL)
    {
      g_message ("no folder for uploads: %s", g_strerror (errno));
      g_free (web_dir);
      return NULL;
    }
  webkit_web_context_add_path_to_sandbox (context, web_dir, TRUE);
  return web_dir;
}

void
_station_browser_page_files_dispose (StationBrowserPage *self)
{
  if (self->chooser != NULL)
    station_document_chooser_cancel (self->chooser);
  g_clear_object (&self->chooser);
  if (self->upload != NULL)
    webkit_file_chooser_request_cancel (self->upload);
  g_clear_object (&self->upload);
  if (self->volumes != NULL)
    g_signal_handlers_disconnect_by_data (self->volumes, self);
  g_clear_object (&self->volumes);
  g_clear_object (&self->key_root);
  g_clear_pointer (&self->uploaded_name, g_free);
  /* What was given to the sites goes with the session. */
  if (self->web_dir != NULL)
    {
      station_browser_remove_folder (self->web_dir);
      g_clear_pointer (&self->web_dir, g_free);
    }
}

void
_station_browser_page_files_init (StationBrowserPage *self)
{
  self->chooser = station_document_chooser_new (GTK_WIDGET (self), self->choices, self->chooser_hint);
  g_signal_connect_object (self->chooser, "gathered", G_CALLBACK (gathered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chooser, "chosen", G_CALLBACK (chosen_cb), self, G_CONNECT_SWAPPED);
  self->volumes = g_volume_monitor_get ();
  g_signal_connect_swapped (self->volumes, "mount-added", G_CALLBACK (update_download_buttons), self);
  g_signal_connect_swapped (self->volumes, "mount-removed", G_CALLBACK (update_download_buttons), self);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  update_download_buttons (self);
}

void
_station_browser_page_files_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, chooser_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_usb_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_safe_clicked_cb);
}
