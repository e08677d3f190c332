/* station-home-page.c: the home screen, a few large tiles
 * (assets/ui/station-home-page.ui). */

#include "station-home-page.h"
#include "station-browser.h"
#include "station-widgets.h"

struct _StationHomePage {
  StationPage parent_instance;

  /* Template widgets: the tiles' words */
  GtkWidget  *scan_label;
  GtkWidget  *copy_label;
  GtkWidget  *usb_label;
  GtkWidget  *mail_label;
  GtkWidget  *safe_label;
  GtkWidget  *browser_label;
  GtkWidget  *letter_label;
  GtkWidget  *help_label;
  GtkWidget  *browser_tile;
};

G_DEFINE_FINAL_TYPE (StationHomePage, station_home_page, STATION_TYPE_PAGE)

static void
station_home_page_class_init (StationHomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, scan_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, copy_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, usb_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, mail_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, safe_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, browser_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, letter_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, help_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, browser_tile);
}

static void
station_home_page_init (StationHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  station_label_wrap (self->scan_label, 15);
  station_label_wrap (self->copy_label, 15);
  station_label_wrap (self->usb_label, 15);
  station_label_wrap (self->mail_label, 15);
  station_label_wrap (self->safe_label, 15);
  station_label_wrap (self->browser_label, 15);
  station_label_wrap (self->letter_label, 15);
  station_label_wrap (self->help_label, 15);
  /* No dead tile: without its module (an installation gone wrong) the
   * browser cannot open, so the person is not offered it. */
  if (!station_browser_available ())
    {
      gtk_widget_set_no_show_all (self->browser_tile, TRUE);
      gtk_widget_hide (self->browser_tile);
    }
}

GtkWidget *
station_home_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_HOME_PAGE, "services", services, NULL);
}
