/* station-scan-page-strip.c: the scan page's pictures of the document:
 * the selected page (or a card's front waiting for its back) large, every
 * page as a thumbnail below it, rows of them, the selected one scrolled
 * into view. They follow the page's RelaisScanBook by themselves. */

#include "station-scan-page-private.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

/* The preview's height; its width request in the template is A4's
 * proportion of it. */
#define PREVIEW_HEIGHT 300
#define THUMB_HEIGHT   64

static GdkPixbuf *
page_to_pixbuf (RelaisPage *page,
                int         height)
{
  int           width = relais_page_get_width (page);
  int           page_height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  const guint8 *data = relais_page_get_data (page);
  int           out_width = MAX (1, (int) ((gint64) width * height / MAX (1, page_height)));
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, out_width, height);
  guint8  *out = gdk_pixbuf_get_pixels (pixbuf);
  int      out_stride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean rgb = relais_page_get_format (page) == RELAIS_PAGE_RGB;

  /* Nearest pixel straight from the page: a full-size pixbuf of an A4
   * scan would cost 25 MB for a 400-pixel preview. */
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) ((gint64) y * page_height / height) * stride;
      guint8       *dest = out + (gsize) y * out_stride;

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

void
_station_scan_page_show_preview (StationScanPage *self)
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
      GtkWidget       *button = gtk_button_new ();
      GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      /* TRANSLATORS: a thumbnail's name for screen readers: "Page 3". */
      g_autofree char *name = g_strdup_printf (_ ("Page %u"), i + 1);

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
  GtkAllocation  child;
  GtkWidget     *selected;

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

/* A touch on a thumbnail: shown, and marked in the strip; pages added,
 * rotated, moved, deleted or cleared: every picture again. */
static void
book_changed_cb (StationScanPage *self)
{
  rebuild_strip (self);
  _station_scan_page_show_preview (self);
}

void
_station_scan_page_strip_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, strip_allocated_cb);
}

void
_station_scan_page_strip_init (StationScanPage *self)
{
  g_signal_connect_object (self->book, "items-changed", G_CALLBACK (book_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book, "notify::selected", G_CALLBACK (book_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book, "notify::card-front", G_CALLBACK (_station_scan_page_show_preview), self,
                           G_CONNECT_SWAPPED);
}
