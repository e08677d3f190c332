/* station-page.c: StationPage, the base of the window's pages: the
 * "services" property, the "navigate" signal and the "page" actions, once
 * for every page (station-page.h). */

#include "station-page.h"
#include "station-widgets.h"

typedef struct
{
  /* Borrowed: the application's, they outlive every page */
  StationServices *services;
  /* Owned by the widget (gtk_widget_insert_action_group ()) */
  GActionMap      *actions;
} StationPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (StationPage, station_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SERVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

StationServices *
station_page_get_services (StationPage *self)
{
  StationPagePrivate *priv = station_page_get_instance_private (self);

  g_return_val_if_fail (STATION_IS_PAGE (self), NULL);

  return priv->services;
}

GActionMap *
station_page_get_actions (StationPage *self)
{
  StationPagePrivate *priv = station_page_get_instance_private (self);

  g_return_val_if_fail (STATION_IS_PAGE (self), NULL);

  return priv->actions;
}

static void
station_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StationPage *self = STATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      g_value_set_object (value, station_page_get_services (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  StationPagePrivate *priv = station_page_get_instance_private (STATION_PAGE (object));

  switch (prop_id)
    {
    case PROP_SERVICES:
      priv->services = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_page_class_init (StationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = station_page_get_property;
  object_class->set_property = station_page_set_property;
  station_page_class_add_navigate (object_class);

  properties[PROP_SERVICES] =
      g_param_spec_object ("services", NULL, NULL, STATION_TYPE_SERVICES,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
station_page_init (StationPage *self)
{
  StationPagePrivate *priv = station_page_get_instance_private (self);

  priv->actions = station_page_add_actions (GTK_WIDGET (self));
}
