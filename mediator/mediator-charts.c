/* mediator-charts.c: the dashboard's charts, drawn with cairo. */

#include "mediator-charts.h"

/* One blue, one orange: readable printed in grey, and by colour-blind eyes. */
#define INK  0.12, 0.12, 0.12
#define BAR  0.12, 0.37, 0.66
#define GRID 0.85, 0.85, 0.85

void
mediator_chart_text (cairo_t    *cr,
                     double      x,
                     double      y,
                     double      size,
                     gboolean    bold,
                     const char *text)
{
  cairo_save (cr);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  cairo_set_source_rgb (cr, INK);
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, text);
  cairo_restore (cr);
}

static double
max_of (const double *values,
        guint         n)
{
  double max = 0;

  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  return max;
}

/* A round top for the scale: 1, 2, 5 × 10^k. */
static double
nice_ceiling (double value)
{
  double step = 1;

  if (value <= 0)
    return 1;
  while (step * 10 <= value)
    step *= 10;
  if (value <= step)
    return step;
  if (value <= 2 * step)
    return 2 * step;
  if (value <= 5 * step)
    return 5 * step;
  return 10 * step;
}

void
mediator_chart_bars (cairo_t            *cr,
                     double              x,
                     double              y,
                     double              width,
                     double              height,
                     const char         *title,
                     guint               n,
                     const char * const *labels,
                     const double       *values,
                     guint               label_every)
{
  double top = nice_ceiling (max_of (values, n));
  double plot_x = x + 40, plot_y = y + 24, plot_w = width - 48, plot_h = height - 50;
  double slot = n > 0 ? plot_w / n : plot_w;
  char   text[32];

  cairo_save (cr);
  mediator_chart_text (cr, x, y + 14, 13, TRUE, title);
  /* Scale: 0, half, top. */
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 2; i++)
    {
      double gy = plot_y + plot_h - plot_h * i / 2.0;

      cairo_set_source_rgb (cr, GRID);
      cairo_move_to (cr, plot_x, gy);
      cairo_line_to (cr, plot_x + plot_w, gy);
      cairo_stroke (cr);
      g_snprintf (text, sizeof text, "%g", top * i / 2.0);
      mediator_chart_text (cr, x, gy + 4, 10, FALSE, text);
    }
  cairo_set_source_rgb (cr, BAR);
  for (guint i = 0; i < n; i++)
    {
      double h = top > 0 ? plot_h * values[i] / top : 0;

      cairo_rectangle (cr, plot_x + i * slot + slot * 0.15, plot_y + plot_h - h, MAX (1, slot * 0.7), h);
    }
  cairo_fill (cr);
  for (guint i = 0; i < n; i += MAX (1, label_every))
    if (labels != NULL && labels[i] != NULL)
      mediator_chart_text (cr, plot_x + i * slot, plot_y + plot_h + 14, 9, FALSE, labels[i]);
  cairo_restore (cr);
}

void
mediator_chart_hbars (cairo_t            *cr,
                      double              x,
                      double              y,
                      double              width,
                      double              height,
                      const char         *title,
                      guint               n,
                      const char * const *labels,
                      const double       *values,
                      const char * const *value_texts)
{
  double top = max_of (values, n);
  double label_w = 150, text_w = 170;
  double row = n > 0 ? MIN (26, (height - 28) / n) : 26;
  double bar_w = width - label_w - text_w;

  cairo_save (cr);
  mediator_chart_text (cr, x, y + 14, 13, TRUE, title);
  for (guint i = 0; i < n; i++)
    {
      double ry = y + 28 + i * row;
      double w = top > 0 ? bar_w * values[i] / top : 0;

      mediator_chart_text (cr, x, ry + row * 0.65, 11, FALSE, labels[i]);
      cairo_set_source_rgb (cr, BAR);
      cairo_rectangle (cr, x + label_w, ry + row * 0.15, MAX (1, w), row * 0.7);
      cairo_fill (cr);
      if (value_texts != NULL && value_texts[i] != NULL)
        mediator_chart_text (cr, x + label_w + w + 6, ry + row * 0.65, 10, FALSE, value_texts[i]);
    }
  cairo_restore (cr);
}

void
mediator_chart_heat (cairo_t     *cr,
                     double       x,
                     double       y,
                     double       width,
                     double       height,
                     const char  *title,
                     const gint64 heat[7][24])
{
  static const char * const days[] = { "lun", "mar", "mer", "jeu", "ven", "sam", "dim" };
  double                    label_w = 34, top_h = 40;
  double                    cell_w = (width - label_w) / 24, cell_h = (height - top_h) / 7;
  gint64                    max = 0;
  char                      text[8];

  for (int d = 0; d < 7; d++)
    for (int h = 0; h < 24; h++)
      max = MAX (max, heat[d][h]);

  cairo_save (cr);
  mediator_chart_text (cr, x, y + 14, 13, TRUE, title);
  for (int h = 0; h < 24; h += 3)
    {
      g_snprintf (text, sizeof text, "%dh", h);
      mediator_chart_text (cr, x + label_w + h * cell_w, y + top_h - 6, 9, FALSE, text);
    }
  for (int d = 0; d < 7; d++)
    {
      mediator_chart_text (cr, x, y + top_h + d * cell_h + cell_h * 0.7, 10, FALSE, days[d]);
      for (int h = 0; h < 24; h++)
        {
          /* White (none) to deep blue (busiest hour). */
          double t = max > 0 ? (double) heat[d][h] / max : 0;

          cairo_set_source_rgb (cr, 1 - 0.88 * t, 1 - 0.63 * t, 1 - 0.34 * t);
          cairo_rectangle (cr, x + label_w + h * cell_w, y + top_h + d * cell_h, cell_w - 1, cell_h - 1);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}
