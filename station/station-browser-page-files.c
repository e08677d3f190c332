/* station-browser-page-files.c: the files a site asks for and the files
 * it gives. A site's <input type="file"> opens the page's own chooser
 * (the "chooser" view of the template): this session's scanned document,
 * the USB key's files and the open safe's documents, each with its first
 * page large; never the station's file system. A file the site gave is
 * saved on the USB key or put in the safe, as after a scan. */

#include "station-browser-page-private.h"
#include "station-safe-page.h"
#include "station-scan-page.h"
#include "relais-document.h"
#include "relais-pdf.h"
#include "relais-usb.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>

/* The previews: a page large enough to recognise. */
#define PREVIEW_WIDTH  130
#define PREVIEW_HEIGHT 170

/* One document the chooser offers. Invariant, once gathered: bytes and
 * preview are set, or error says why it cannot be sent. */
typedef struct
{
  const char      *source; /* "Clé USB"…, translated, static */
  char            *name;   /* the file's name as the site will see it */
  GBytes          *bytes;
  GFile           *file;      /* a key's file, read in the worker */
  GPtrArray       *pages;     /* the scanned pages, made a PDF in the worker */
  gsize            max_bytes; /* for pages: the website cap */
  cairo_surface_t *preview;
  char            *error;
} Choice;

static void
choice_free (Choice *choice)
{
  g_free (choice->name);
  g_clear_pointer (&choice->bytes, g_bytes_unref);
  g_clear_object (&choice->file);
  g_clear_pointer (&choice->pages, g_ptr_array_unref);
  g_clear_pointer (&choice->preview, cairo_surface_destroy);
  g_free (choice->error);
  g_free (choice);
}

/* What the worker is given: the choices known on the main thread, and
 * the key's folder to list there. */
typedef struct
{
  GPtrArray *choices; /* Choice* */
  GFile     *key;
} Gathering;

static void
gathering_free (Gathering *gathering)
{
  g_clear_pointer (&gathering->choices, g_ptr_array_unref);
  g_clear_object (&gathering->key);
  g_free (gathering);
}

static GtkWidget *
sibling_page (StationBrowserPage *self,
              const char         *name)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (self));

  return GTK_IS_STACK (stack) ? gtk_stack_get_child_by_name (GTK_STACK (stack), name) : NULL;
}

/* The key plugged in (the last one), or the tests' folder standing for
 * it; @mount (nullable) the real key's, to unmount. */
static GFile *
key_root (StationBrowserPage *self,
          GMount            **mount)
{
  GList *keys;
  GList *last;
  GFile *root = NULL;

  if (mount != NULL)
    *mount = NULL;
  if (self->key_root != NULL)
    return g_object_ref (self->key_root);
  keys = relais_usb_list_keys (self->volumes);
  last = g_list_last (keys);
  if (last != NULL)
    {
      root = g_mount_get_root (last->data);
      if (mount != NULL)
        *mount = g_object_ref (last->data);
    }
  g_list_free_full (keys, g_object_unref);
  return root;
}

/* ---- uploads: the chooser ---- */

static void
gather_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Gathering *gathering = task_data;

  if (gathering->key != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = relais_usb_list_printable (gathering->key, cancellable, &error);

      for (guint i = 0; files != NULL && i < files->len; i++)
        {
          Choice *choice = g_new0 (Choice, 1);

          choice->source = _("Clé USB");
          choice->file = g_object_ref (g_ptr_array_index (files, i));
          choice->name = g_file_get_basename (choice->file);
          g_ptr_array_add (gathering->choices, choice);
        }
      if (files == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("key not listed: %s", error->message);
    }

  for (guint i = 0; i < gathering->choices->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Choice *choice = g_ptr_array_index (gathering->choices, i);
      g_autoptr(RelaisDocument) document = NULL;
      g_autoptr(GError) error = NULL;

      if (choice->pages != NULL)
        choice->bytes = relais_pdf_write_bytes_capped (choice->pages, choice->max_bytes, NULL, NULL, &error);
      else if (choice->file != NULL)
        {
          /* Its content decides, never its name; too big is refused
           * before it is read (relais-document.h). */
          document = relais_document_new_from_file (choice->file, cancellable, &error);
          if (document != NULL)
            choice->bytes = g_bytes_ref (relais_document_get_bytes (document));
        }
      if (choice->bytes != NULL && document == NULL)
        document = relais_document_new_from_bytes (choice->bytes, &error);
      if (document != NULL)
        choice->preview = relais_document_render_page (document, 0, PREVIEW_WIDTH, PREVIEW_HEIGHT, &error);
      if (choice->preview == NULL)
        {
          g_clear_pointer (&choice->bytes, g_bytes_unref);
          choice->error = g_strdup (error != NULL ? error->message : "");
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void choice_clicked_cb (GtkButton *button, StationBrowserPage *self);

static GtkWidget *
choice_tile (StationBrowserPage *self,
             Choice             *choice)
{
  GtkWidget       *button = gtk_button_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget       *image = gtk_image_new_from_surface (choice->preview);
  GtkWidget       *source = gtk_label_new (choice->source);
  GtkWidget       *name = gtk_label_new (choice->name);
  g_autofree char *spoken = g_strdup_printf ("%s : %s", choice->source, choice->name);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 20);
  gtk_box_pack_start (GTK_BOX (box), image, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), source, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), name, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (button), box);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile-small");
  atk_object_set_name (gtk_widget_get_accessible (button), spoken);
  g_object_set_data_full (G_OBJECT (button), "relais-bytes", g_bytes_ref (choice->bytes), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (button), "relais-name", g_strdup (choice->name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (choice_clicked_cb), self, 0);
  gtk_widget_show_all (button);
  return button;
}

static void
open_safe_clicked_cb (StationBrowserPage *self)
{
  /* The person opens it there, then comes back here: the chooser waits,
   * and reads the safe again when the page is shown. */
  station_page_navigate (GTK_WIDGET (self), "safe");
}

static void
gathered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StationBrowserPage) self = user_data;
  Gathering *gathering = g_task_get_task_data (G_TASK (result));
  GtkWidget *safe = sibling_page (self, "safe");
  guint      offered = 0;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->gathering);
  if (self->upload == NULL)
    return;
  for (guint i = 0; i < gathering->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (gathering->choices, i);

      if (choice->bytes == NULL)
        {
          g_message ("not offered to the site: %s", choice->error);
          continue;
        }
      gtk_container_add (GTK_CONTAINER (self->choices), choice_tile (self, choice));
      offered++;
    }
  /* The safe shut: a tile to open it. */
  if (STATION_IS_SAFE_PAGE (safe) && station_safe_page_get_n_documents (STATION_SAFE_PAGE (safe)) == 0)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *image = gtk_image_new_from_icon_name ("channel-secure-symbolic", GTK_ICON_SIZE_DIALOG);
      GtkWidget *label = gtk_label_new (_("Ouvrir mon coffre-fort"));

      gtk_image_set_pixel_size (GTK_IMAGE (image), 96);
      gtk_box_pack_start (GTK_BOX (box), image, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), box);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      atk_object_set_name (gtk_widget_get_accessible (button), _("Ouvrir mon coffre-fort"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (open_safe_clicked_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_show_all (button);
      gtk_container_add (GTK_CONTAINER (self->choices), button);
    }
  gtk_label_set_text (GTK_LABEL (self->chooser_hint),
                      offered > 0 ? _("Touchez le document à envoyer. Seuls vos documents de cette visite, "
                                      "votre clé USB et votre coffre-fort sont proposés.")
                                  : _("Aucun document à envoyer. Numérisez votre papier, branchez votre clé USB "
                                      "ou ouvrez votre coffre-fort, puis revenez ici."));
  _station_browser_page_set_status (self, NULL, "");
}

/* Reads again what may be sent: the session's scan, the key, the safe. */
static void
gather_choices (StationBrowserPage *self)
{
  g_autoptr(GTask) task = NULL;
  Gathering *gathering = g_new0 (Gathering, 1);
  GtkWidget *scan = sibling_page (self, "scan");
  GtkWidget *safe = sibling_page (self, "safe");
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->choices));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  if (self->gathering != NULL)
    g_cancellable_cancel (self->gathering);
  g_clear_object (&self->gathering);
  self->gathering = g_cancellable_new ();

  gathering->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  if (STATION_IS_SCAN_PAGE (scan) && station_scan_page_get_n_pages (STATION_SCAN_PAGE (scan)) > 0)
    {
      StationScanPage *page = STATION_SCAN_PAGE (scan);
      guint            n = station_scan_page_get_n_pages (page);
      int              cap = relais_config_get_int (STATION_PAGE_SERVICES (self)->config, "scanner", "web-max-bytes");
      Choice          *choice = g_new0 (Choice, 1);

      choice->source = _("Numérisé ici");
      choice->name = g_strdup (_("document-numerise.pdf"));
      choice->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (choice->pages, relais_page_ref (station_scan_page_get_page (page, i)));
      /* Lightened as "Pour un site internet" is: sites refuse big files. */
      choice->max_bytes = cap > 0 ? (gsize) cap : 2000000;
      g_ptr_array_add (gathering->choices, choice);
    }
  if (STATION_IS_SAFE_PAGE (safe))
    for (guint i = 0; i < station_safe_page_get_n_documents (STATION_SAFE_PAGE (safe)); i++)
      {
        const char *name = NULL;
        GBytes     *plain = station_safe_page_get_document (STATION_SAFE_PAGE (safe), i, &name);
        Choice     *choice;

        if (plain == NULL)
          continue;
        choice = g_new0 (Choice, 1);
        choice->source = _("Mon coffre-fort");
        choice->name = g_strconcat (*name != '\0' ? name : _("document"), ".pdf", NULL);
        choice->bytes = g_bytes_ref (plain);
        g_ptr_array_add (gathering->choices, choice);
      }
  gathering->key = key_root (self, NULL);

  gtk_label_set_text (GTK_LABEL (self->chooser_hint), _("Recherche de vos documents…"));
  _station_browser_page_set_status (self, "relais-status-wait", _("Recherche de vos documents…"));
  task = g_task_new (NULL, self->gathering, gathered_cb, g_object_ref (self));
  g_task_set_task_data (task, gathering, (GDestroyNotify) gathering_free);
  g_task_run_in_thread (task, gather_thread);
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
choice_clicked_cb (GtkButton          *button,
                   StationBrowserPage *self)
{
  GBytes          *bytes = g_object_get_data (G_OBJECT (button), "relais-bytes");
  const char      *name = g_object_get_data (G_OBJECT (button), "relais-name");
  g_autofree char *file_name = safe_file_name (name);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *files[2] = { NULL, NULL };

  if (self->upload == NULL || self->web_dir == NULL)
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
                                        _("Le document n'a pas pu être préparé pour le site. Réessayez."));
      return;
    }
  files[0] = path;
  webkit_file_chooser_request_select_files (self->upload, files);
  g_clear_object (&self->upload);
  g_free (self->uploaded_name);
  self->uploaded_name = g_strdup (file_name);
  _station_browser_page_show_view (self, "web");
  text = g_strdup_printf (_("« %s » est joint. Touchez le bouton du site pour l'envoyer."), file_name);
  _station_browser_page_set_status (self, "relais-status-ok", text);
}

static void
chooser_cancel_clicked_cb (StationBrowserPage *self)
{
  if (self->gathering != NULL)
    g_cancellable_cancel (self->gathering);
  g_clear_object (&self->gathering);
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
  text = g_strdup_printf ("%s %s", self->status_text != NULL ? self->status_text : "", _("Vous pouvez retirer la clé USB."));
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
                                        _("Branchez votre clé USB sur le côté de l'écran, puis réessayez."));
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
  text = g_strdup_printf (_("Enregistré sur la clé USB, sous le nom « %s »."), basename);
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

  return self->upload != NULL && self->gathering == NULL;
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
  if (self->gathering != NULL)
    g_cancellable_cancel (self->gathering);
  g_clear_object (&self->gathering);
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
      g_autoptr(GDir) dir = g_dir_open (self->web_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (self->web_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (self->web_dir);
      g_clear_pointer (&self->web_dir, g_free);
    }
}

void
_station_browser_page_files_init (StationBrowserPage *self)
{
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
