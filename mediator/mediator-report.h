/* mediator-report.h: what staff take away from the dashboard: tables
 * and the monthly PDF report for funders and elected officials. */
#pragma once

#include <gio/gio.h>
#include <cairo.h>
#include "relais-stats-records.h"
#include "mediator-export.h"

G_BEGIN_DECLS

#define MEDIATOR_REPORT_ERROR (mediator_report_error_quark ())
typedef enum {
  MEDIATOR_REPORT_ERROR_TABLE = 1,
  MEDIATOR_REPORT_ERROR_WRITE,
} MediatorReportError;
GQuark                    mediator_report_error_quark (void);

/* The names of the dashboard's tables, NULL-terminated: "days",
 * "stations", "help", "languages", "mail", "outcomes" (what the
 * resolved help requests were about, by month). */
extern const char * const mediator_report_tables[];
/* One table of @stats (the hub's /stats answer) with French headers, the
 * last row the totals (the dashboard's). */
MediatorTable            *mediator_report_table (const RelaisSiteStats *stats,
                                                 const char            *name,
                                                 GError               **error);
/* The same as CSV (mediator-export.h: ';', BOM, decimal comma). */
GBytes                   *mediator_report_csv (const RelaisSiteStats *stats,
                                               const char            *name,
                                               GError               **error);
/* The monthly report as a PDF at @path: key figures and charts, then the
 * month's difficulties by category with the trend against @previous (the
 * stats of the month before; may be NULL). */
gboolean                  mediator_report_pdf (const RelaisSiteStats *stats,
                                               const RelaisSiteStats *previous,
                                               const char            *site,
                                               const char            *path,
                                               GError               **error);
typedef enum {
  MEDIATOR_REPORT_BY_DAY = 0,
  MEDIATOR_REPORT_BY_WEEK,
  MEDIATOR_REPORT_BY_MONTH,
} MediatorReportGrouping;

/* The same, with the sessions' bars by day, week or month. */
void mediator_report_draw_overview_grouped (cairo_t               *cr,
                                            const RelaisSiteStats *stats,
                                            MediatorReportGrouping grouping,
                                            double                 width,
                                            double                 height);
/* Draws the dashboard's charts of @stats in the rectangle (for the screen
 * and the report's first page), sessions by day. */
void mediator_report_draw_overview (cairo_t               *cr,
                                    const RelaisSiteStats *stats,
                                    double                 width,
                                    double                 height);

G_END_DECLS
