/* station-home-page.c: the welcome screen, a few large tiles. */

#include "station-home-page.h"
#include "station-widgets.h"

#include <glib/gi18n.h>

struct _StationHomePage
{
  GtkBox           parent_instance;

  /* Borrowed */
  StationServices *services;
};

G_DEFINE_FINAL_TYPE (StationHomePage, station_home_page, GTK_TYPE_BOX)

static void
tile_clicked_cb (GtkButton       *button,
                 StationHomePage *self)
{
  station_page_navigate (GTK_WIDGET (self), g_object_get_data (G_OBJECT (button), "target"));
}

static GtkWidget *
tile_new (StationHomePage *self,
          const char      *icon_name,
          const char      *label,
          const char      *target)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name, GTK_ICON_SIZE_DIALOG);
  GtkWidget *text = gtk_label_new (label);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 72);
  gtk_label_set_line_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  station_label_wrap (text, 15);
  gtk_box_pack_start (GTK_BOX (box), image, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), text, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (button), box);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
  g_object_set_data_full (G_OBJECT (button), "target", g_strdup (target), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (tile_clicked_cb), self);
  /* The tile's accessible name is its text, for screen readers. */
  atk_object_set_name (gtk_widget_get_accessible (button), label);
  return button;
}

static void
station_home_page_class_init (StationHomePageClass *klass)
{
  station_page_class_add_navigate (G_OBJECT_CLASS (klass));
}

static void
station_home_page_init (StationHomePage *self)
{
}

GtkWidget *
station_home_page_new (StationServices *services)
{
  StationHomePage *self = g_object_new (STATION_TYPE_HOME_PAGE,
                                        "orientation", GTK_ORIENTATION_VERTICAL,
                                        "spacing", 12,
                                        "margin", 24,
                                        NULL);
  GtkWidget *title = gtk_label_new (_("Bonjour"));
  GtkWidget *subtitle = gtk_label_new (_("Que voulez-vous faire ? Touchez une image."));
  /* Tiles wrap: each area adds its own, and the station's screen may be
   * 1280 × 800. Three a line: two lines hold the six, in large text too. */
  GtkWidget *tiles = gtk_flow_box_new ();

  self->services = services;
  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_style_context_add_class (gtk_widget_get_style_context (subtitle), "relais-subtitle");
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (tiles), TRUE);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (tiles), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (tiles), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (tiles), 3);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (tiles), 16);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (tiles), 24);
  gtk_widget_set_halign (tiles, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (tiles, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (tiles, TRUE);

  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "scanner-symbolic",
                                                 _("Numériser un document"), "scan"));
  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "printer-symbolic",
                                                 _("Photocopier"), "copy"));
  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "media-removable-symbolic",
                                                 _("Imprimer depuis une clé USB"), "usb"));
  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "mail-unread-symbolic",
                                                 _("Mon courrier"), "mail"));
  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "channel-secure-symbolic",
                                                 _("Mon coffre-fort"), "safe"));
  gtk_container_add (GTK_CONTAINER (tiles), tile_new (self, "system-users-symbolic",
                                                 _("Demander de l'aide"), "help"));

  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), subtitle, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), tiles, TRUE, TRUE, 0);
  /* Pages are rebuilt after the window's first show_all (a new language,
   * a new session): each shows its own contents. */
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
