/* station-document-chooser.c: the tiles of the documents a person may
 * take (station-document-chooser.h), read on a worker: the key's files
 * checked by their content (relais-document.h), the scan made a PDF or
 * kept page by page, each with its first page drawn large. */
#include "station-document-chooser.h"
#include "station-widgets.h"
#include "station-safe-page.h"
#include "station-scan-page.h"
#include "relais-document.h"
#include "relais-pdf.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

/* The previews: a page large enough to recognise. */
#define PREVIEW_WIDTH  130
#define PREVIEW_HEIGHT 170

struct _StationDocumentChooser {
  GObject       parent_instance;

  GtkWidget    *owner;   /* not owned: it owns this */
  GtkWidget    *choices; /* @owner's */
  GtkWidget    *hint;    /* @owner's */
  gsize         scan_max_bytes;
  GCancellable *gathering; /* owned, while the documents are read */
};

G_DEFINE_FINAL_TYPE (StationDocumentChooser, station_document_chooser, G_TYPE_OBJECT)

enum {
  SIGNAL_GATHERED,
  SIGNAL_CHOSEN,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* One document offered. Invariant, once gathered: (bytes or page) and
 * preview are set, or error says why it cannot be offered. */
typedef struct
{
  const char      *source; /* "Clé USB"…, translated, static */
  char            *name;   /* the file's name as a site will see it */
  GBytes          *bytes;
  GFile           *file;      /* a key's file, read in the worker */
  GPtrArray       *pages;     /* the scanned pages, made a PDF in the worker */
  gsize            max_bytes; /* for pages: the website cap */
  RelaisPage      *page;      /* a scanned page offered apart */
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
  g_clear_pointer (&choice->page, relais_page_unref);
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
sibling_page (StationDocumentChooser *self,
              const char             *name)
{
  GtkWidget *stack = gtk_widget_get_parent (self->owner);

  return GTK_IS_STACK (stack) ? gtk_stack_get_child_by_name (GTK_STACK (stack), name) : NULL;
}

GFile *
station_document_chooser_find_key (GVolumeMonitor *volumes,
                                   GMount        **mount)
{
  GList *keys;
  GList *last;
  GFile *root = NULL;

  if (mount != NULL)
    *mount = NULL;
  keys = relais_usb_list_keys (volumes);
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

/* A scanned page, small: made smaller by averaging, then drawn. */
static cairo_surface_t *
page_preview (RelaisPage *page)
{
  double fit = MIN ((double) PREVIEW_WIDTH / relais_page_get_width (page),
                    (double) PREVIEW_HEIGHT / relais_page_get_height (page));
  g_autoptr(RelaisPage) small = relais_page_scale_to_dpi (page, MAX (1, (int) (relais_page_get_dpi (page) * fit)));
  int              width = MIN (relais_page_get_width (small), PREVIEW_WIDTH);
  int              height = MIN (relais_page_get_height (small), PREVIEW_HEIGHT);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  int              stride = cairo_image_surface_get_stride (surface);
  guint8          *out = cairo_image_surface_get_data (surface);
  gboolean         rgb = relais_page_get_format (small) == RELAIS_PAGE_RGB;

  for (int y = 0; y < height; y++)
    {
      guint32      *row = (guint32 *) (gpointer) (out + (gsize) y * stride);
      const guint8 *src = relais_page_get_data (small) + (gsize) y * relais_page_get_stride (small);

      for (int x = 0; x < width; x++)
        row[x] = rgb ? (guint32) src[3 * x] << 16 | (guint32) src[3 * x + 1] << 8 | src[3 * x + 2]
                     : (guint32) src[x] << 16 | (guint32) src[x] << 8 | src[x];
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

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

          choice->source = _ ("Clé USB");
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

      if (choice->page != NULL)
        {
          choice->preview = page_preview (choice->page);
          continue;
        }
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

static void
choice_clicked_cb (GtkButton              *button,
                   StationDocumentChooser *self)
{
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, g_object_get_data (G_OBJECT (button), "relais-name"),
                 g_object_get_data (G_OBJECT (button), "relais-bytes"), g_object_get_data (G_OBJECT (button), "relais-page"));
}

static GtkWidget *
choice_tile (StationDocumentChooser *self,
             Choice                 *choice)
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
  if (choice->bytes != NULL)
    g_object_set_data_full (G_OBJECT (button), "relais-bytes", g_bytes_ref (choice->bytes), (GDestroyNotify) g_bytes_unref);
  if (choice->page != NULL)
    g_object_set_data_full (G_OBJECT (button), "relais-page", relais_page_ref (choice->page), (GDestroyNotify) relais_page_unref);
  g_object_set_data_full (G_OBJECT (button), "relais-name", g_strdup (choice->name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (choice_clicked_cb), self, 0);
  gtk_widget_show_all (button);
  return button;
}

static void
open_safe_clicked_cb (StationDocumentChooser *self)
{
  /* The person opens it there, then comes back: the owner reads the safe
   * again when it is shown. */
  station_page_navigate (self->owner, "safe");
}

static void
gathered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StationDocumentChooser) self = user_data;
  Gathering *gathering = g_task_get_task_data (G_TASK (result));
  GtkWidget *safe;
  guint      offered = 0;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->gathering);
  for (guint i = 0; i < gathering->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (gathering->choices, i);

      if (choice->preview == NULL)
        {
          g_message ("not offered: %s", choice->error);
          continue;
        }
      gtk_container_add (GTK_CONTAINER (self->choices), choice_tile (self, choice));
      offered++;
    }
  /* The safe shut: a tile to open it. */
  safe = sibling_page (self, "safe");
  if (STATION_IS_SAFE_PAGE (safe) && station_safe_page_get_n_documents (STATION_SAFE_PAGE (safe)) == 0)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *image = gtk_image_new_from_icon_name ("channel-secure-symbolic", GTK_ICON_SIZE_DIALOG);
      GtkWidget *label = gtk_label_new (_ ("Ouvrir mon coffre-fort"));

      gtk_image_set_pixel_size (GTK_IMAGE (image), 96);
      gtk_box_pack_start (GTK_BOX (box), image, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), box);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      atk_object_set_name (gtk_widget_get_accessible (button), _ ("Ouvrir mon coffre-fort"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (open_safe_clicked_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_show_all (button);
      gtk_container_add (GTK_CONTAINER (self->choices), button);
    }
  g_signal_emit (self, signals[SIGNAL_GATHERED], 0, offered);
}

void
station_document_chooser_gather (StationDocumentChooser *self,
                                 GFile                  *key)
{
  g_autoptr(GTask) task = NULL;
  Gathering *gathering;
  GtkWidget *scan = sibling_page (self, "scan");
  GtkWidget *safe = sibling_page (self, "safe");
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->choices));

  g_return_if_fail (STATION_IS_DOCUMENT_CHOOSER (self));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  station_document_chooser_cancel (self);
  self->gathering = g_cancellable_new ();

  gathering = g_new0 (Gathering, 1);
  gathering->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  if (STATION_IS_SCAN_PAGE (scan))
    {
      StationScanPage *page = STATION_SCAN_PAGE (scan);
      guint            n = station_scan_page_get_n_pages (page);

      for (guint i = 0; i < n && self->scan_max_bytes == 0; i++)
        {
          Choice *choice = g_new0 (Choice, 1);

          choice->source = _ ("Numérisé ici");
          choice->name = g_strdup_printf (_ ("page %u"), i + 1);
          choice->page = relais_page_ref (station_scan_page_get_page (page, i));
          g_ptr_array_add (gathering->choices, choice);
        }
      if (n > 0 && self->scan_max_bytes > 0)
        {
          Choice *choice = g_new0 (Choice, 1);

          choice->source = _ ("Numérisé ici");
          choice->name = g_strdup (_ ("document-numerise.pdf"));
          choice->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
          for (guint i = 0; i < n; i++)
            g_ptr_array_add (choice->pages, relais_page_ref (station_scan_page_get_page (page, i)));
          choice->max_bytes = self->scan_max_bytes;
          g_ptr_array_add (gathering->choices, choice);
        }
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
        choice->source = _ ("Mon coffre-fort");
        choice->name = g_strconcat (*name != '\0' ? name : _ ("document"), ".pdf", NULL);
        choice->bytes = g_bytes_ref (plain);
        g_ptr_array_add (gathering->choices, choice);
      }
  gathering->key = key != NULL ? g_object_ref (key) : NULL;

  gtk_label_set_text (GTK_LABEL (self->hint), _ ("Recherche de vos documents…"));
  task = g_task_new (NULL, self->gathering, gathered_cb, g_object_ref (self));
  g_task_set_task_data (task, gathering, (GDestroyNotify) gathering_free);
  g_task_run_in_thread (task, gather_thread);
}

void
station_document_chooser_cancel (StationDocumentChooser *self)
{
  g_return_if_fail (STATION_IS_DOCUMENT_CHOOSER (self));

  if (self->gathering != NULL)
    g_cancellable_cancel (self->gathering);
  g_clear_object (&self->gathering);
}

gboolean
station_document_chooser_is_gathering (StationDocumentChooser *self)
{
  g_return_val_if_fail (STATION_IS_DOCUMENT_CHOOSER (self), FALSE);

  return self->gathering != NULL;
}

void
station_document_chooser_set_scan_max_bytes (StationDocumentChooser *self,
                                             gsize                   max_bytes)
{
  g_return_if_fail (STATION_IS_DOCUMENT_CHOOSER (self));

  self->scan_max_bytes = max_bytes;
}

static void
station_document_chooser_dispose (GObject *object)
{
  StationDocumentChooser *self = STATION_DOCUMENT_CHOOSER (object);

  if (self->gathering != NULL)
    g_cancellable_cancel (self->gathering);
  g_clear_object (&self->gathering);
  G_OBJECT_CLASS (station_document_chooser_parent_class)->dispose (object);
}

static void
station_document_chooser_class_init (StationDocumentChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_document_chooser_dispose;
  signals[SIGNAL_GATHERED] = g_signal_new ("gathered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BYTES, RELAIS_TYPE_PAGE);
}

static void
station_document_chooser_init (StationDocumentChooser *self)
{
}

StationDocumentChooser *
station_document_chooser_new (GtkWidget *owner,
                              GtkWidget *choices,
                              GtkWidget *hint)
{
  StationDocumentChooser *self;

  g_return_val_if_fail (GTK_IS_WIDGET (owner), NULL);
  g_return_val_if_fail (GTK_IS_FLOW_BOX (choices), NULL);
  g_return_val_if_fail (GTK_IS_LABEL (hint), NULL);

  self = g_object_new (STATION_TYPE_DOCUMENT_CHOOSER, NULL);
  self->owner = owner;
  self->choices = choices;
  self->hint = hint;
  return self;
}
