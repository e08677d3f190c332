/* mediator-dashboard.h: the staff's statistics view in the console. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"
#include "relais-stats-records.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_DASHBOARD (mediator_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (MediatorDashboard, mediator_dashboard, MEDIATOR, DASHBOARD, GtkBox)

GtkWidget             *mediator_dashboard_new (RelaisLink *link);
/* Loads the month containing @day ("YYYY-MM-DD"), or the current one. */
void                   mediator_dashboard_load_month (MediatorDashboard *self,
                                                      const char        *day);
/* @span "month" or "year", @grouping a MediatorReportGrouping, @station
 * NULL for all; reloads. */
void                   mediator_dashboard_set_view (MediatorDashboard *self,
                                                    const char        *span,
                                                    int                grouping,
                                                    const char        *station);
/* The statistics shown (borrowed), NULL until loaded. */
const RelaisSiteStats *mediator_dashboard_get_stats (MediatorDashboard *self);
const char            *mediator_dashboard_get_message (MediatorDashboard *self);
/* What « Rapport mensuel (PDF)… » writes at @path: the month shown, under
 * the site's name as the hub gives it. */
gboolean               mediator_dashboard_write_report (MediatorDashboard *self,
                                                        const char        *path,
                                                        GError           **error);

G_END_DECLS
