/* mediator-viewer.c: a document shown from memory, PDF or picture. */

#include "mediator-viewer.h"

#include <glib/gi18n.h>
#include <poppler.h>

/* Pages are drawn this wide: an A4 page reads well on a console screen. */
#define PAGE_WIDTH 760
/* A PDF past this many pages shows the first ones and says so. */
#define MAX_PAGES 50

G_DEFINE_QUARK (mediator-viewer-error-quark, mediator_viewer_error);

struct _MediatorViewer {
  GtkWindow  parent_instance;

  /* Template widgets */
  GtkWidget *pages; /* a vertical box of GtkImage */

  guint      n_pages;
};

G_DEFINE_FINAL_TYPE (MediatorViewer, mediator_viewer, GTK_TYPE_WINDOW)

static void
add_surface (MediatorViewer  *self,
             cairo_surface_t *surface)
{
  GtkWidget *image = gtk_image_new_from_surface (surface);

  gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (self->pages), image, FALSE, FALSE, 0);
  self->n_pages++;
}

static gboolean
show_pdf (MediatorViewer *self,
          GBytes         *bytes,
          GError        **error)
{
  g_autoptr(GError) local = NULL;
  /* This poppler-glib has no g_autoptr for its types. */
  PopplerDocument *doc = poppler_document_new_from_bytes (bytes, NULL, &local);
  int              n;

  if (doc == NULL || (n = poppler_document_get_n_pages (doc)) < 1)
    {
      g_clear_object (&doc);
      g_set_error_literal (error, MEDIATOR_VIEWER_ERROR, MEDIATOR_VIEWER_ERROR_UNREADABLE,
                           _ ("Ce document ne s'ouvre pas : le PDF est abîmé."));
      return FALSE;
    }
  for (int i = 0; i < MIN (n, MAX_PAGES); i++)
    {
      PopplerPage     *page = poppler_document_get_page (doc, i);
      cairo_surface_t *surface;
      cairo_t         *cr;
      double           w, h, scale;

      poppler_page_get_size (page, &w, &h);
      scale = PAGE_WIDTH / MAX (w, 1);
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PAGE_WIDTH, MAX (1, (int) (h * scale)));
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, scale, scale);
      poppler_page_render (page, cr);
      cairo_destroy (cr);
      g_object_unref (page);
      add_surface (self, surface);
      cairo_surface_destroy (surface);
    }
  if (n > MAX_PAGES)
    {
      g_autofree char *text = g_strdup_printf (_ ("Les %d premières pages sur %d sont montrées."), MAX_PAGES, n);

      gtk_box_pack_start (GTK_BOX (self->pages), gtk_label_new (text), FALSE, FALSE, 0);
    }
  g_object_unref (doc);
  return TRUE;
}

static gboolean
show_picture (MediatorViewer *self,
              GBytes         *bytes,
              GError        **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) local = NULL;
  GdkPixbuf       *pixbuf;
  cairo_surface_t *surface;
  int              width, height;

  gboolean         written = gdk_pixbuf_loader_write_bytes (loader, bytes, &local);

  /* Closed whatever happened: GdkPixbuf warns about a loader left open. */
  if (!gdk_pixbuf_loader_close (loader, written ? &local : NULL) || !written
      || (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_debug ("not a picture: %s", local != NULL ? local->message : "?");
      g_set_error_literal (error, MEDIATOR_VIEWER_ERROR, MEDIATOR_VIEWER_ERROR_UNREADABLE,
                           _ ("Ce document ne s'ouvre pas : ce n'est ni un PDF ni une image."));
      return FALSE;
    }
  /* A photo taken on its side shows upright. */
  scaled = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  width = gdk_pixbuf_get_width (scaled);
  height = gdk_pixbuf_get_height (scaled);
  if (width > PAGE_WIDTH)
    {
      GdkPixbuf *smaller = gdk_pixbuf_scale_simple (scaled, PAGE_WIDTH, MAX (1, height * PAGE_WIDTH / width),
                                                    GDK_INTERP_BILINEAR);
      g_object_unref (scaled);
      scaled = smaller;
    }
  surface = gdk_cairo_surface_create_from_pixbuf (scaled, 1, NULL);
  add_surface (self, surface);
  cairo_surface_destroy (surface);
  return TRUE;
}

guint
mediator_viewer_get_n_pages (MediatorViewer *self)
{
  g_return_val_if_fail (MEDIATOR_IS_VIEWER (self), 0);
  return self->n_pages;
}

static void
mediator_viewer_class_init (MediatorViewerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Its default size (PAGE_WIDTH + 60 wide) fits a 1280 × 800 screen. */
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorViewer, pages);
}

static void
mediator_viewer_init (MediatorViewer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MediatorViewer *
mediator_viewer_new (GtkWindow  *parent,
                     const char *title,
                     GBytes     *bytes,
                     GError    **error)
{
  MediatorViewer *self;
  gsize           size = 0;
  const char     *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  /* A toplevel belongs to GTK until destroyed, as gtk_window_new ()'s. */
  self = g_object_new (MEDIATOR_TYPE_VIEWER,
                       "title", title != NULL && *title != '\0' ? title : _ ("Document"),
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  data = g_bytes_get_data (bytes, &size);
  if (size >= 5 && memcmp (data, "%PDF-", 5) == 0 ? !show_pdf (self, bytes, error) : !show_picture (self, bytes, error))
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return NULL;
    }
  gtk_widget_show_all (GTK_WIDGET (self));
  return self;
}
