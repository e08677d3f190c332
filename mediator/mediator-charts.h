/* mediator-charts.h: the dashboard's charts, drawn with cairo on any
 * surface: a widget on screen, a page of the monthly PDF report. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Vertical bars, one per value, with every @label_every-th label under
 * its bar. */
void mediator_chart_bars (cairo_t            *cr,
                          double              x,
                          double              y,
                          double              width,
                          double              height,
                          const char         *title,
                          guint               n,
                          const char * const *labels,
                          const double       *values,
                          guint               label_every);
/* Horizontal bars with a label and a value text each (categories). */
void mediator_chart_hbars (cairo_t            *cr,
                           double              x,
                           double              y,
                           double              width,
                           double              height,
                           const char         *title,
                           guint               n,
                           const char * const *labels,
                           const double       *values,
                           const char * const *value_texts);
/* Weekday (rows, Monday first) × hour-of-day (columns) heat map. */
void mediator_chart_heat (cairo_t     *cr,
                          double       x,
                          double       y,
                          double       width,
                          double       height,
                          const char  *title,
                          const gint64 heat[7][24]);
/* Text, left-aligned at baseline @y, in @size points, bold or not. */
void mediator_chart_text (cairo_t    *cr,
                          double      x,
                          double      y,
                          double      size,
                          gboolean    bold,
                          const char *text);

G_END_DECLS
