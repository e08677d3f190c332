/* station-home-page.c: the home screen, a few large tiles
 * (assets/ui/station-home-page.ui). */

#include "station-home-page.h"
#include "station-widgets.h"

struct _StationHomePage
{
  GtkBox           parent_instance;

  /* Template widgets: the tiles' words */
  GtkWidget       *scan_label;
  GtkWidget       *copy_label;
  GtkWidget       *usb_label;
  GtkWidget       *mail_label;
  GtkWidget       *safe_label;
  GtkWidget       *browser_label;
  GtkWidget       *help_label;

  /* Borrowed: the application's, they outlive every page */
  StationServices *services;
};

G_DEFINE_FINAL_TYPE (StationHomePage, station_home_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SERVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
station_home_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StationHomePage *self = STATION_HOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      g_value_set_object (value, self->services);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_home_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StationHomePage *self = STATION_HOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      self->services = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_home_page_class_init (StationHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = station_home_page_get_property;
  object_class->set_property = station_home_page_set_property;
  station_page_class_add_navigate (object_class);

  properties[PROP_SERVICES] =
    g_param_spec_object ("services", NULL, NULL, STATION_TYPE_SERVICES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, scan_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, copy_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, usb_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, mail_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, safe_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, browser_label);
  gtk_widget_class_bind_template_child (widget_class, StationHomePage, help_label);
}

static void
station_home_page_init (StationHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  station_page_add_actions (GTK_WIDGET (self));
  station_label_wrap (self->scan_label, 15);
  station_label_wrap (self->copy_label, 15);
  station_label_wrap (self->usb_label, 15);
  station_label_wrap (self->mail_label, 15);
  station_label_wrap (self->safe_label, 15);
  station_label_wrap (self->browser_label, 15);
  station_label_wrap (self->help_label, 15);
}

GtkWidget *
station_home_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_HOME_PAGE, "services", services, NULL);
}
