/* mediator-dashboard.c: the staff's statistics view: a month at a glance,
 * CSV exports and the monthly PDF report. */

#include "mediator-dashboard.h"
#include "relais-i18n.h"
#include "mediator-files.h"
#include "mediator-report.h"
#include "mediator-report-outcomes.h"
#include "mediator-annual.h"
#include "mediator-purge.h"
#include "mediator-import.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MediatorDashboard {
  GtkBox           parent_instance;

  /* Template widgets */
  GtkWidget       *period;
  GtkWidget       *span;     /* "month" or "year" */
  GtkWidget       *grouping; /* by day, week, month */
  GtkWidget       *station;  /* "" for every station */
  GtkWidget       *area;
  GtkWidget       *message;
  GtkWidget       *outcomes; /* what the resolved help requests were about */

  /* Owned */
  RelaisLink      *link;
  RelaisSiteStats *stats;
  RelaisSiteStats *previous; /* the month before, for trends */
  GDateTime       *month;    /* first day of the month shown */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (MediatorDashboard, mediator_dashboard, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
year_shown (MediatorDashboard *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->span)), "year") == 0;
}

/* The period starting at @first (a month, or the year when @year). */
static char *
period_path (MediatorDashboard *self,
             GDateTime         *first,
             gboolean           year)
{
  g_autoptr(GDateTime) next = g_date_time_add_months (first, year ? 12 : 1);
  g_autoptr(GDateTime) last = g_date_time_add_days (next, -1);
  g_autofree char *from = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *to = g_date_time_format (last, "%Y-%m-%d");
  const char      *station = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->station));

  if (station != NULL && *station != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (station, NULL, FALSE);
      return g_strdup_printf ("/stats?from=%s&to=%s&station=%s", from, to, escaped);
    }
  return g_strdup_printf ("/stats?from=%s&to=%s", from, to);
}

/* The stations the hub counted, offered in the selector (kept as they are
 * once known, so that the choice stays). */
static void
offer_stations (MediatorDashboard *self)
{
  for (guint i = 0; i < self->stats->stations->len; i++)
    {
      const char   *name = ((RelaisStatsRow *) g_ptr_array_index (self->stats->stations, i))->key;
      GtkTreeModel *model = gtk_combo_box_get_model (GTK_COMBO_BOX (self->station));
      GtkTreeIter   iter;
      gboolean      known = FALSE;

      for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok && !known;
           ok = gtk_tree_model_iter_next (model, &iter))
        {
          g_autofree char *id = NULL;
          gtk_tree_model_get (model, &iter, 1, &id, -1);
          known = g_strcmp0 (id, name) == 0;
        }
      if (name != NULL && !known)
        gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->station), name, name);
    }
}

static void
previous_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MediatorDashboard) self = user_data;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, NULL);

  /* Without the month before, the report shows no trends: no more. */
  g_clear_pointer (&self->previous, relais_site_stats_free);
  if (reply != NULL)
    self->previous = relais_site_stats_from_reply (reply, NULL);
}

static void
stats_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MediatorDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(RelaisSiteStats) stats = reply != NULL ? relais_site_stats_from_reply (reply, &error) : NULL;

  if (stats == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->message), error->message);
      return;
    }
  g_clear_pointer (&self->stats, relais_site_stats_free);
  self->stats = g_steal_pointer (&stats);
  offer_stations (self);
  {
    g_autofree char *outcomes = mediator_report_outcomes_text (self->stats);

    gtk_label_set_text (GTK_LABEL (self->outcomes), outcomes);
  }
  gtk_label_set_text (GTK_LABEL (self->message), "");
  gtk_widget_queue_draw (self->area);
}

void
mediator_dashboard_load_month (MediatorDashboard *self,
                               const char        *day)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (MEDIATOR_IS_DASHBOARD (self));

  if (day != NULL)
    {
      g_autofree char *iso = g_strconcat (day, "T12:00:00", NULL);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      when = g_date_time_new_from_iso8601 (iso, local);
    }
  if (when == NULL)
    when = g_date_time_new_now_local ();
  g_clear_pointer (&self->month, g_date_time_unref);
  self->month = g_date_time_new_local (g_date_time_get_year (when),
                                       year_shown (self) ? 1 : g_date_time_get_month (when), 1, 0, 0, 0);
  /* Not strftime's %B: stations and consoles often run in the C locale. */
  if (year_shown (self))
    label = g_strdup_printf ("%d", g_date_time_get_year (self->month));
  else
    label = g_strdup_printf ("%s %d", relais_i18n_month_name (g_date_time_get_month (self->month)),
                             g_date_time_get_year (self->month));
  gtk_label_set_text (GTK_LABEL (self->period), label);
  gtk_label_set_text (GTK_LABEL (self->message), _ ("Chargement…"));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  {
    g_autofree char *path = period_path (self, self->month, year_shown (self));
    relais_link_request_async (self->link, path, NULL, self->cancellable, stats_cb, g_object_ref (self));
  }
  before = g_date_time_add_months (self->month, year_shown (self) ? -12 : -1);
  {
    g_autofree char *path = period_path (self, before, year_shown (self));
    relais_link_request_async (self->link, path, NULL, self->cancellable, previous_cb, g_object_ref (self));
  }
}

const RelaisSiteStats *
mediator_dashboard_get_stats (MediatorDashboard *self)
{
  return self->stats;
}

const char *
mediator_dashboard_get_message (MediatorDashboard *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static gboolean
draw_cb (GtkWidget         *area,
         cairo_t           *cr,
         MediatorDashboard *self)
{
  int width = gtk_widget_get_allocated_width (area);
  int height = gtk_widget_get_allocated_height (area);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (self->stats == NULL)
    return TRUE;
  cairo_translate (cr, 16, 8);
  mediator_report_draw_overview_grouped (cr, self->stats,
                                         gtk_combo_box_get_active (GTK_COMBO_BOX (self->grouping)),
                                         width - 32, height - 16);
  return TRUE;
}

static void
shift_month (MediatorDashboard *self,
             int                months)
{
  g_autoptr(GDateTime) target = g_date_time_add_months (self->month, year_shown (self) ? 12 * months : months);
  g_autofree char *day = g_date_time_format (target, "%Y-%m-%d");

  mediator_dashboard_load_month (self, day);
}

static void
reload_cb (MediatorDashboard *self)
{
  g_autofree char *day = self->month != NULL ? g_date_time_format (self->month, "%Y-%m-%d") : NULL;

  mediator_dashboard_load_month (self, day);
}

static void
redraw_cb (MediatorDashboard *self)
{
  gtk_widget_queue_draw (self->area);
}

void
mediator_dashboard_set_view (MediatorDashboard *self,
                             const char        *span,
                             int                grouping,
                             const char        *station)
{
  g_return_if_fail (MEDIATOR_IS_DASHBOARD (self));

  g_signal_handlers_block_by_func (self->span, reload_cb, self);
  g_signal_handlers_block_by_func (self->station, reload_cb, self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->span), span);
  if (station != NULL && !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->station), station))
    {
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->station), station, station);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->station), station);
    }
  else if (station == NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->station), "");
  g_signal_handlers_unblock_by_func (self->span, reload_cb, self);
  g_signal_handlers_unblock_by_func (self->station, reload_cb, self);
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->grouping), grouping);
  reload_cb (self);
}

static void
previous_clicked_cb (MediatorDashboard *self)
{
  shift_month (self, -1);
}

static void
next_clicked_cb (MediatorDashboard *self)
{
  shift_month (self, 1);
}

static char *
choose_file (MediatorDashboard *self,
             const char        *title,
             const char        *name)
{
  return mediator_files_choose_save (GTK_WIDGET (self), title, name);
}

/* The dashboard's tables of the month shown, or NULL with the reason
 * under the bar. */
static GPtrArray *
dashboard_tables (MediatorDashboard *self)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) mediator_table_free);

  for (guint i = 0; mediator_report_tables[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      MediatorTable *table = mediator_report_table (self->stats, mediator_report_tables[i], &error);

      if (table == NULL)
        {
          gtk_label_set_text (GTK_LABEL (self->message), error->message);
          return NULL;
        }
      g_ptr_array_add (tables, table);
    }
  return g_steal_pointer (&tables);
}

static char *
export_name (MediatorDashboard *self, const char *extension)
{
  g_autofree char *month = self->month != NULL ? g_date_time_format (self->month, "%Y-%m") : g_strdup ("");

  return g_strdup_printf ("relais-%s.%s", month, extension);
}

static void
export_csv_clicked_cb (MediatorDashboard *self)
{
  g_autofree char *name = export_name (self, "csv");
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;

  if (self->stats == NULL || (path = choose_file (self, _ ("Exporter en CSV"), name)) == NULL)
    return;
  if ((tables = dashboard_tables (self)) == NULL)
    return;
  /* One file, the tables one after the other, each with its title. */
  csv = mediator_export_csv_tables ((const MediatorTable * const *) tables->pdata, tables->len);
  if (!g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &error))
    gtk_label_set_text (GTK_LABEL (self->message), error->message);
  else
    gtk_label_set_text (GTK_LABEL (self->message), _ ("Tableaux exportés."));
}

static void
export_xlsx_clicked_cb (MediatorDashboard *self)
{
  g_autofree char *name = export_name (self, "xlsx");
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;

  if (self->stats == NULL || (path = choose_file (self, _ ("Exporter en XLSX"), name)) == NULL)
    return;
  if ((tables = dashboard_tables (self)) == NULL)
    return;
  /* One workbook, one sheet per table. */
  if (!mediator_export_xlsx ((const MediatorTable * const *) tables->pdata, tables->len, path, &error))
    gtk_label_set_text (GTK_LABEL (self->message), error->message);
  else
    gtk_label_set_text (GTK_LABEL (self->message), _ ("Tableaux exportés."));
}

gboolean
mediator_dashboard_write_report (MediatorDashboard *self,
                                 const char        *path,
                                 GError           **error)
{
  g_return_val_if_fail (MEDIATOR_IS_DASHBOARD (self), FALSE);

  if (self->stats == NULL)
    {
      g_set_error_literal (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_TABLE,
                           _ ("Les statistiques ne sont pas encore chargées."));
      return FALSE;
    }
  /* The site's name as the hub's configuration says it. */
  return mediator_report_pdf (self->stats, self->previous, self->stats->site, path, error);
}

static void
report_clicked_cb (MediatorDashboard *self)
{
  g_autofree char *month = self->month != NULL ? g_date_time_format (self->month, "%Y-%m") : g_strdup ("");
  g_autofree char *name = g_strdup_printf ("relais-tableau-de-bord-%s.pdf", month);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (self->stats == NULL || (path = choose_file (self, _ ("Rapport mensuel (PDF)"), name)) == NULL)
    return;
  if (!mediator_dashboard_write_report (self, path, &error))
    gtk_label_set_text (GTK_LABEL (self->message), error->message);
  else
    gtk_label_set_text (GTK_LABEL (self->message), _ ("Rapport enregistré."));
}

/* The prefecture's annual report for the year shown: a PDF to print and
 * sign, and the same tables beside it as an XLSX and a CSV. */
static void
annual_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MediatorDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *xlsx = NULL;
  g_autofree char *csv_path = NULL;
  g_autoptr(GBytes) csv = NULL;
  RelaisMailAnnual annual;

  if (reply == NULL || !relais_mail_annual_from_reply (reply, &annual, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->message), error->message);
      return;
    }
  name = g_strdup_printf ("rapport-annuel-domiciliation-%d.pdf", annual.year);
  if ((path = choose_file (self, _ ("Rapport annuel (PDF, XLSX et CSV)"), name)) == NULL)
    return;
  stem = g_str_has_suffix (path, ".pdf") ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  xlsx = g_strconcat (stem, ".xlsx", NULL);
  csv_path = g_strconcat (stem, ".csv", NULL);
  csv = mediator_annual_csv (&annual);
  if (!mediator_annual_pdf (&annual, self->stats != NULL ? self->stats->site : "Relais", path, &error)
      || !mediator_annual_xlsx (&annual, xlsx, &error)
      || !g_file_set_contents (csv_path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &error))
    gtk_label_set_text (GTK_LABEL (self->message), error->message);
  else
    gtk_label_set_text (GTK_LABEL (self->message), _ ("Rapport annuel enregistré (PDF, XLSX et CSV)."));
}

static void
annual_clicked_cb (MediatorDashboard *self)
{
  g_autofree char *path = NULL;

  if (self->month == NULL)
    return;
  path = g_strdup_printf ("/mail/annual?year=%d", g_date_time_get_year (self->month));
  gtk_label_set_text (GTK_LABEL (self->message), _ ("Chargement…"));
  relais_link_request_async (self->link, path, NULL, self->cancellable, annual_cb, g_object_ref (self));
}

/* The domiciliation register: XLSX, or CSV when the name asks for it. */
static void
register_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MediatorDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(GPtrArray) people = reply != NULL ? relais_mail_people_from_reply (reply, "people", &error) : NULL;
  g_autoptr(MediatorTable) table = NULL;
  g_autofree char *path = NULL;
  gboolean         ok;

  if (people == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->message), error->message);
      return;
    }
  if ((path = choose_file (self, _ ("Registre des domiciliations (XLSX ou CSV)"), "registre-domiciliations.xlsx"))
      == NULL)
    return;
  table = mediator_register_table (people);
  if (g_str_has_suffix (path, ".csv"))
    {
      g_autoptr(GBytes) csv = mediator_export_csv (table);

      ok = g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &error);
    }
  else
    ok = mediator_export_xlsx ((const MediatorTable * const *) &table, 1, path, &error);
  gtk_label_set_text (GTK_LABEL (self->message), ok ? _ ("Registre exporté.") : error->message);
}

static void
register_clicked_cb (MediatorDashboard *self)
{
  gtk_label_set_text (GTK_LABEL (self->message), _ ("Chargement…"));
  relais_link_request_async (self->link, "/mail/register", NULL, self->cancellable, register_cb, g_object_ref (self));
}

static void
purge_clicked_cb (MediatorDashboard *self)
{
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));

  gtk_widget_show (GTK_WIDGET (mediator_purge_new (GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL, self->link)));
}

static void
import_clicked_cb (MediatorDashboard *self)
{
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));

  gtk_widget_show (GTK_WIDGET (mediator_import_new (GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL, self->link)));
}

static void
mediator_dashboard_dispose (GObject *object)
{
  MediatorDashboard *self = MEDIATOR_DASHBOARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link);
  g_clear_pointer (&self->stats, relais_site_stats_free);
  g_clear_pointer (&self->previous, relais_site_stats_free);
  g_clear_pointer (&self->month, g_date_time_unref);
  G_OBJECT_CLASS (mediator_dashboard_parent_class)->dispose (object);
}

static void
mediator_dashboard_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MediatorDashboard *self = MEDIATOR_DASHBOARD (object);

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
mediator_dashboard_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MediatorDashboard *self = MEDIATOR_DASHBOARD (object);

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
mediator_dashboard_class_init (MediatorDashboardClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_dashboard_dispose;
  object_class->set_property = mediator_dashboard_set_property;
  object_class->get_property = mediator_dashboard_get_property;

  /* The link the statistics are asked through (a staff member's session). */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, period);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, span);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, grouping);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, station);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, area);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorDashboard, outcomes);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_csv_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_xlsx_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, annual_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, purge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, draw_cb);
}

static void
mediator_dashboard_init (MediatorDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A template cannot choose an item of a GtkComboBoxText (its items come
   * after its properties); the choices are made here, before "changed" is
   * connected, so that making them loads nothing. */
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->span), "month");
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->grouping), 0);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->station), "");
  g_signal_connect_swapped (self->span, "changed", G_CALLBACK (reload_cb), self);
  g_signal_connect_swapped (self->station, "changed", G_CALLBACK (reload_cb), self);
  g_signal_connect_swapped (self->grouping, "changed", G_CALLBACK (redraw_cb), self);
  /* A station's long name is cut in the closed choice: the window must not
   * grow past the screen for it. */
  {
    g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (self->station));

    for (GList *l = cells; l != NULL; l = l->next)
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 18, NULL);
  }
}

GtkWidget *
mediator_dashboard_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_DASHBOARD, "link", link, NULL);
}
