/* mediator-stations.c: the console's view of the site's stations: linked
 * or not, in use or free, since when, on which screen. */

#include "mediator-stations.h"
#include "mediator-labels.h"

#include <glib/gi18n.h>

typedef struct {
  GtkWidget           *row; /* owned by the list */
  GtkWidget           *name;
  GtkWidget           *link;
  GtkWidget           *activity;
  RelaisStationStatus *station; /* owned: the hub's latest report */
} StationRow;

struct _MediatorStations {
  GtkBox      parent_instance;

  /* Template widgets */
  GtkWidget  *list;

  /* Owned */
  RelaisLink *link;
  GHashTable *rows; /* name → StationRow* */
  guint       tick_id;
};

G_DEFINE_FINAL_TYPE (MediatorStations, mediator_stations, GTK_TYPE_BOX)

static void
station_row_free (StationRow *row)
{
  g_clear_pointer (&row->station, relais_station_status_free);
  g_free (row);
}

char *
mediator_stations_activity_text (const RelaisStationStatus *station,
                                 gint64                     now_ms)
{
  gint64 since, ends_at;

  g_return_val_if_fail (station != NULL, NULL);

  since = station->since;
  ends_at = station->ends_at;
  /* The welcome screen waits for the next person: the station is free. */
  if (!station->in_session || station->step == RELAIS_STATION_STEP_WELCOME)
    return g_strdup (_ ("libre"));
  if (ends_at > 0)
    {
      int seconds = (int) MAX (0, (ends_at - now_ms + 999) / 1000);

      return g_strdup_printf (ngettext ("fin de session dans %d s (personne ne touche le poste)",
                                        "fin de session dans %d s (personne ne touche le poste)", seconds),
                              seconds);
    }
  {
    int minutes = since > 0 ? (int) MAX (0, (now_ms - since) / 60000) : 0;

    return g_strdup_printf (ngettext ("en cours d'utilisation depuis %d min — %s",
                                      "en cours d'utilisation depuis %d min — %s", minutes),
                            minutes, mediator_station_step_label (relais_station_step_to_string (station->step)));
  }
}

static void
station_row_update (StationRow *row)
{
  gboolean         online = row->station->online;
  g_autofree char *activity = mediator_stations_activity_text (row->station, g_get_real_time () / 1000);

  gtk_label_set_text (GTK_LABEL (row->link), online ? _ ("● relié") : _ ("○ hors ligne"));
  gtk_label_set_text (GTK_LABEL (row->activity), activity);
}

static void
station_changed_cb (RelaisLink          *link,
                    RelaisStationStatus *station,
                    MediatorStations    *self)
{
  const char *name = station->name;
  StationRow *row = g_hash_table_lookup (self->rows, name);

  if (row == NULL)
    {
      /* The list owns the row once the builder is gone. */
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/fr/relais/mediator/ui/mediator-station-row.ui");

      row = g_new0 (StationRow, 1);
      row->row = GTK_WIDGET (gtk_builder_get_object (builder, "row"));
      row->name = GTK_WIDGET (gtk_builder_get_object (builder, "name"));
      row->link = GTK_WIDGET (gtk_builder_get_object (builder, "link"));
      row->activity = GTK_WIDGET (gtk_builder_get_object (builder, "activity"));
      gtk_label_set_text (GTK_LABEL (row->name), name);
      gtk_list_box_insert (GTK_LIST_BOX (self->list), row->row, -1);
      g_hash_table_insert (self->rows, g_strdup (name), row);
    }
  g_clear_pointer (&row->station, relais_station_status_free);
  row->station = relais_station_status_copy (station);
  station_row_update (row);
}

static gboolean
tick_cb (gpointer user_data)
{
  MediatorStations *self = user_data;
  GHashTableIter    iter;
  gpointer          value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    station_row_update (value);
  return G_SOURCE_CONTINUE;
}

const char *
mediator_stations_get_link (MediatorStations *self,
                            const char       *name)
{
  StationRow *row = g_hash_table_lookup (self->rows, name);

  if (row == NULL)
    return NULL;
  return row->station->online ? "online" : "offline";
}

const char *
mediator_stations_get_activity (MediatorStations *self,
                                const char       *name)
{
  StationRow *row = g_hash_table_lookup (self->rows, name);

  return row != NULL ? gtk_label_get_text (GTK_LABEL (row->activity)) : NULL;
}

const char *
mediator_stations_get_step (MediatorStations *self,
                            const char       *name)
{
  StationRow *row = g_hash_table_lookup (self->rows, name);

  return row != NULL ? relais_station_step_to_string (row->station->step) : NULL;
}

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mediator_stations_constructed (GObject *object)
{
  MediatorStations *self = MEDIATOR_STATIONS (object);

  G_OBJECT_CLASS (mediator_stations_parent_class)->constructed (object);

  g_assert (self->link != NULL);
  g_signal_connect_object (self->link, "station-changed", G_CALLBACK (station_changed_cb), self, 0);
  /* Each second: a countdown is counted in seconds. */
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
mediator_stations_dispose (GObject *object)
{
  MediatorStations *self = MEDIATOR_STATIONS (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->link);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  G_OBJECT_CLASS (mediator_stations_parent_class)->dispose (object);
}

static void
mediator_stations_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MediatorStations *self = MEDIATOR_STATIONS (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_stations_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MediatorStations *self = MEDIATOR_STATIONS (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_stations_class_init (MediatorStationsClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mediator_stations_constructed;
  object_class->dispose = mediator_stations_dispose;
  object_class->set_property = mediator_stations_set_property;
  object_class->get_property = mediator_stations_get_property;

  /* The console's link to the hub, whose "station-changed" fills the list. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-stations.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorStations, list);
}

static void
mediator_stations_init (MediatorStations *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) station_row_free);
}

GtkWidget *
mediator_stations_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_STATIONS, "link", link, NULL);
}
