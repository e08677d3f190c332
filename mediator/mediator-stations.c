/* mediator-stations.c: the console's view of the site's stations: linked
 * or not, in use or free, since when, on which screen. */

#include "mediator-stations.h"
#include "mediator-labels.h"

#include <glib/gi18n.h>

typedef struct {
  GtkWidget  *row;       /* owned by the list */
  GtkWidget  *name;
  GtkWidget  *link;
  GtkWidget  *activity;
  JsonObject *station;   /* owned: the hub's latest report */
} StationRow;

struct _MediatorStations
{
  GtkBox      parent_instance;

  /* Widgets */
  GtkWidget  *list;

  /* Owned */
  RelaisLink *link;
  GHashTable *rows;      /* name → StationRow* */
  guint       tick_id;
};

G_DEFINE_FINAL_TYPE (MediatorStations, mediator_stations, GTK_TYPE_BOX)

static void
station_row_free (StationRow *row)
{
  g_clear_pointer (&row->station, json_object_unref);
  g_free (row);
}

char *
mediator_stations_activity_text (JsonObject *station,
                                 gint64      now_ms)
{
  gboolean in_session = json_object_get_boolean_member_with_default (station, "in_session", FALSE);
  gint64 since = json_object_get_int_member_with_default (station, "since", 0);
  gint64 ends_at = json_object_get_int_member_with_default (station, "ends_at", 0);
  const char *step = json_object_get_string_member_with_default (station, "step", NULL);

  g_return_val_if_fail (station != NULL, NULL);

  /* The welcome screen waits for the next person: the station is free. */
  if (!in_session || g_strcmp0 (step, "welcome") == 0)
    return g_strdup (_("libre"));
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
                            minutes, mediator_station_step_label (step));
  }
}

static void
station_row_update (StationRow *row)
{
  gboolean online = json_object_get_boolean_member_with_default (row->station, "online", FALSE);
  g_autofree char *activity = mediator_stations_activity_text (row->station, g_get_real_time () / 1000);

  gtk_label_set_text (GTK_LABEL (row->link), online ? _("● relié") : _("○ hors ligne"));
  gtk_label_set_text (GTK_LABEL (row->activity), activity);
}

static void
station_changed_cb (RelaisLink       *link,
                    JsonObject       *station,
                    MediatorStations *self)
{
  const char *name = json_object_get_string_member_with_default (station, "name", NULL);
  StationRow *row;

  if (name == NULL)
    return;
  row = g_hash_table_lookup (self->rows, name);
  if (row == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);

      row = g_new0 (StationRow, 1);
      row->name = gtk_label_new (NULL);
      row->link = gtk_label_new (NULL);
      row->activity = gtk_label_new (NULL);
      gtk_label_set_text (GTK_LABEL (row->name), name);
      gtk_label_set_xalign (GTK_LABEL (row->name), 0);
      gtk_label_set_xalign (GTK_LABEL (row->activity), 0);
      gtk_label_set_ellipsize (GTK_LABEL (row->activity), PANGO_ELLIPSIZE_END);
      gtk_widget_set_size_request (row->name, 180, -1);
      gtk_widget_set_size_request (row->link, 120, -1);
      gtk_box_pack_start (GTK_BOX (box), row->name, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), row->link, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), row->activity, TRUE, TRUE, 0);
      g_object_set (box, "margin", 10, NULL);
      row->row = gtk_list_box_row_new ();
      gtk_container_add (GTK_CONTAINER (row->row), box);
      gtk_widget_show_all (row->row);
      gtk_list_box_insert (GTK_LIST_BOX (self->list), row->row, -1);
      g_hash_table_insert (self->rows, g_strdup (name), row);
    }
  g_clear_pointer (&row->station, json_object_unref);
  row->station = json_object_ref (station);
  station_row_update (row);
}

static gboolean
tick_cb (gpointer user_data)
{
  MediatorStations *self = user_data;
  GHashTableIter iter;
  gpointer value;

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
  return json_object_get_boolean_member_with_default (row->station, "online", FALSE) ? "online" : "offline";
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

  return row != NULL ? json_object_get_string_member_with_default (row->station, "step", NULL) : NULL;
}

static void
mediator_stations_dispose (GObject *object)
{
  MediatorStations *self = MEDIATOR_STATIONS (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  g_clear_object (&self->link);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  G_OBJECT_CLASS (mediator_stations_parent_class)->dispose (object);
}

static void
mediator_stations_class_init (MediatorStationsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_stations_dispose;
}

static void
mediator_stations_init (MediatorStations *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) station_row_free);
}

GtkWidget *
mediator_stations_new (RelaisLink *link)
{
  MediatorStations *self = g_object_new (MEDIATOR_TYPE_STATIONS,
                                         "orientation", GTK_ORIENTATION_VERTICAL,
                                         "spacing", 12,
                                         "margin", 18,
                                         NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);

  self->link = g_object_ref (link);
  gtk_label_set_markup (GTK_LABEL (title), _("<span size='x-large' weight='bold'>Postes du site</span>"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_container_add (GTK_CONTAINER (scroller), self->list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), scroller, TRUE, TRUE, 0);

  g_signal_connect (link, "station-changed", G_CALLBACK (station_changed_cb), self);
  /* Each second: a countdown is counted in seconds. */
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
