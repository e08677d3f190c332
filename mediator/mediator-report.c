/* mediator-report.c: CSV tables and the monthly PDF report, from the
 * hub's statistics. */

#include "mediator-report.h"
#include "mediator-charts.h"
#include "mediator-labels.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (mediator-report-error-quark, mediator_report_error)

static const char * const row_columns[] = {
  "sessions", "duration_s", "pages_scanned", "pages_printed", "copies",
  "saved_usb", "saved_safe", "mail_checks", "help_requests", NULL
};

/* RFC 4180: quote when needed, double the quotes. */
static void
csv_field (GString    *out,
           const char *value)
{
  if (strpbrk (value, ",\"\r\n;") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_member (GString    *out,
            JsonObject *row,
            const char *member)
{
  JsonNode *node = json_object_get_member (row, member);
  char number[32];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    csv_field (out, json_node_get_string (node));
  else
    {
      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, json_node_get_int (node));
      g_string_append (out, number);
    }
}

GBytes *
mediator_report_csv (JsonObject  *stats,
                     const char  *table,
                     GError     **error)
{
  static const char * const help_columns[] = { "category", "requests", "avg_seen_s", "avg_taken_s", "avg_resolved_s", NULL };
  static const char * const language_columns[] = { "language", "sessions", NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  const char * const *columns;
  const char *key = NULL;
  JsonArray *rows;

  g_return_val_if_fail (stats != NULL && table != NULL, NULL);

  if (g_str_equal (table, "days"))
    key = "day";
  else if (g_str_equal (table, "stations"))
    key = "station";
  if (key != NULL)
    columns = row_columns;
  else if (g_str_equal (table, "help"))
    columns = help_columns;
  else if (g_str_equal (table, "languages"))
    columns = language_columns;
  else
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_TABLE, _("Tableau inconnu : %s"), table);
      return NULL;
    }
  rows = json_object_get_array_member (stats, table);
  if (rows == NULL)
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_TABLE, _("Les statistiques n'ont pas de tableau %s"), table);
      return NULL;
    }

  if (key != NULL)
    g_string_append_printf (out, "%s,", key);
  for (guint c = 0; columns[c] != NULL; c++)
    g_string_append_printf (out, "%s%s", c > 0 ? "," : "", columns[c]);
  g_string_append (out, "\r\n");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (key != NULL)
        {
          csv_member (out, row, key);
          g_string_append_c (out, ',');
        }
      for (guint c = 0; columns[c] != NULL; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          csv_member (out, row, columns[c]);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static gint64
total (JsonObject *stats,
       const char *member)
{
  JsonObject *totals = json_object_get_object_member (stats, "totals");
  return totals != NULL ? json_object_get_int_member_with_default (totals, member, 0) : 0;
}

/* Every page that came out of the printer: documents and photocopies
 * (the stations count a page once its job completed). */
static gint64
pages_printed (JsonObject *row)
{
  return row != NULL ? json_object_get_int_member_with_default (row, "pages_printed", 0)
                       + json_object_get_int_member_with_default (row, "copies", 0) : 0;
}

/* "0,5" in French, whatever the C library's locale. */
static char *
decimal_fr (double value)
{
  g_autofree char *text = g_strdup_printf ("%.1f", value);
  char *point = strchr (text, '.');

  if (point != NULL)
    *point = ',';
  return g_steal_pointer (&text);
}

/* A paragraph that wraps within @width, its top at @y; returns its height.
 * (mediator_chart_text draws one line from its baseline and never wraps:
 * long lines ran past the margin.) */
static double
paragraph (cairo_t    *cr,
           double      x,
           double      y,
           double      width,
           double      size,
           gboolean    bold,
           const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  int height;

  pango_font_description_set_family (font, "DejaVu Sans");
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.12);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* One line cut with « … » past @width: a cell of a table. */
static void
cell (cairo_t    *cr,
      double      x,
      double      baseline,
      double      width,
      double      size,
      gboolean    bold,
      const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, "DejaVu Sans");
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.12);
  cairo_move_to (cr, x, baseline - (double) pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* "2026-03-05" → "05/03/2026". */
static char *
date_fr (const char *iso)
{
  if (iso == NULL || strlen (iso) != 10)
    return g_strdup (iso != NULL ? iso : "?");
  return g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* The days' sessions summed by week (ISO number) or by month. */
static guint
group_days (JsonArray              *days,
            MediatorReportGrouping  grouping,
            double                 *values,
            char                  **labels)
{
  static const char * const months[] = { "jan", "fév", "mar", "avr", "mai", "juin",
                                          "juil", "août", "sep", "oct", "nov", "déc" };
  guint n = 0;
  int last = -1;

  for (guint i = 0; days != NULL && i < json_array_get_length (days); i++)
    {
      JsonObject *day = json_array_get_object_element (days, i);
      const char *date = json_object_get_string_member_with_default (day, "day", "");
      g_autofree char *iso = g_strconcat (date, "T12:00:00Z", NULL);
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (iso, NULL);
      int key;

      if (when == NULL)
        continue;
      key = grouping == MEDIATOR_REPORT_BY_WEEK ? g_date_time_get_week_of_year (when)
                                                : g_date_time_get_month (when);
      if (key != last)
        {
          labels[n] = grouping == MEDIATOR_REPORT_BY_WEEK ? g_strdup_printf ("S%d", key)
                                                          : g_strdup (months[key - 1]);
          values[n++] = 0;
          last = key;
        }
      values[n - 1] += json_object_get_int_member_with_default (day, "sessions", 0);
    }
  return n;
}

void
mediator_report_draw_overview (cairo_t    *cr,
                               JsonObject *stats,
                               double      width,
                               double      height)
{
  mediator_report_draw_overview_grouped (cr, stats, MEDIATOR_REPORT_BY_DAY, width, height);
}

void
mediator_report_draw_overview_grouped (cairo_t                *cr,
                                       JsonObject             *stats,
                                       MediatorReportGrouping  grouping,
                                       double                  width,
                                       double                  height)
{
  JsonArray *days = json_object_get_array_member (stats, "days");
  JsonArray *heat = json_object_get_array_member (stats, "heat");
  guint n = days != NULL ? json_array_get_length (days) : 0;
  g_autofree double *values = g_new0 (double, MAX (1, n));
  g_autofree const char **labels = g_new0 (const char *, MAX (1, n));
  gint64 grid[7][24] = { { 0 } };
  char text[128];
  struct { const char *label; const char *member; } figures[] = {
    { N_("Séances"), "sessions" },
    { N_("Pages imprimées"), "pages_printed" },
    { N_("Pages numérisées"), "pages_scanned" },
    { N_("Demandes d'aide"), "help_requests" },
    { N_("Courriers consultés"), "mail_checks" },
  };

  /* Key figures across the top. */
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double fx = i * width / G_N_ELEMENTS (figures);
      gint64 value = g_str_equal (figures[i].member, "pages_printed")
                     ? pages_printed (json_object_get_object_member (stats, "totals"))
                     : total (stats, figures[i].member);

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
      mediator_chart_text (cr, fx, 30, 24, TRUE, text);
      /* Wrapped in its column, never into the next. */
      paragraph (cr, fx, 37, width / G_N_ELEMENTS (figures) - 6, 9, FALSE, _(figures[i].label));
    }
  if (grouping == MEDIATOR_REPORT_BY_DAY)
    {
      for (guint i = 0; i < n; i++)
        {
          JsonObject *day = json_array_get_object_element (days, i);

          values[i] = json_object_get_int_member_with_default (day, "sessions", 0);
          /* "2026-03-05" → "05" */
          labels[i] = json_object_get_string_member_with_default (day, "day", "");
          if (strlen (labels[i]) == 10)
            labels[i] += 8;
        }
      mediator_chart_bars (cr, 0, 70, width, height * 0.45, _("Séances par jour (jours d'ouverture)"),
                           n, labels, values, n > 16 ? 2 : 1);
    }
  else
    {
      g_autofree char **owned = g_new0 (char *, MAX (1, n) + 1);
      guint groups = group_days (days, grouping, values, owned);

      mediator_chart_bars (cr, 0, 70, width, height * 0.45,
                           grouping == MEDIATOR_REPORT_BY_WEEK ? _("Séances par semaine") : _("Séances par mois"),
                           groups, (const char * const *) owned, values, 1);
      for (guint i = 0; i < groups; i++)
        g_free (owned[i]);
    }
  for (guint d = 0; heat != NULL && d < MIN (7, json_array_get_length (heat)); d++)
    {
      JsonArray *hours = json_array_get_array_element (heat, d);

      for (guint h = 0; hours != NULL && h < MIN (24, json_array_get_length (hours)); h++)
        grid[d][h] = json_array_get_int_element (hours, h);
    }
  mediator_chart_heat (cr, 0, 80 + height * 0.45, width, height * 0.5 - 90,
                       _("Fréquentation : jour de la semaine × heure"), grid);
}

/* The month's difficulties, with the change against the month before. */
static double
draw_help (cairo_t    *cr,
           JsonObject *stats,
           JsonObject *previous,
           double      width,
           double      height)
{
  JsonArray *help = json_object_get_array_member (stats, "help");
  JsonArray *before = previous != NULL ? json_object_get_array_member (previous, "help") : NULL;
  guint n = help != NULL ? MIN (json_array_get_length (help), 12) : 0;
  g_autofree double *values = g_new0 (double, MAX (1, n));
  g_autofree const char **labels = g_new0 (const char *, MAX (1, n));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (help, i);
      const char *category = json_object_get_string_member_with_default (row, "category", "");
      gint64 requests = json_object_get_int_member_with_default (row, "requests", 0);
      gint64 was = 0;
      JsonNode *seen = json_object_get_member (row, "avg_seen_s");
      g_autofree char *trend = NULL;

      for (guint j = 0; before != NULL && j < json_array_get_length (before); j++)
        {
          JsonObject *old = json_array_get_object_element (before, j);
          if (g_strcmp0 (json_object_get_string_member_with_default (old, "category", ""), category) == 0)
            was = json_object_get_int_member_with_default (old, "requests", 0);
        }
      trend = previous == NULL ? g_strdup ("")
            : requests > was ? g_strdup_printf (" ↑ +%" G_GINT64_FORMAT, requests - was)
            : requests < was ? g_strdup_printf (" ↓ −%" G_GINT64_FORMAT, was - requests)
            : g_strdup (" =");
      values[i] = requests;
      labels[i] = mediator_category_label (category);
      if (seen != NULL && !JSON_NODE_HOLDS_NULL (seen))
        /* %lld, not G_GINT64_FORMAT: xgettext cannot see through the macro. */
        g_ptr_array_add (texts, g_strdup_printf (_("%lld%s · vu en %lld s"),
                                                 (long long) requests, trend, (long long) json_node_get_int (seen)));
      else
        g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT "%s", requests, trend));
    }
  g_ptr_array_add (texts, NULL);
  mediator_chart_hbars (cr, 0, 0, width, height, _("Difficultés du mois : demandes d'aide par catégorie"),
                        n, labels, values, (const char * const *) texts->pdata);
  return height + 4
         + paragraph (cr, 0, height + 4, width, 9, FALSE,
                      _("↑ ↓ : évolution sur le mois précédent ; « vu en » : délai moyen avant qu'un médiateur voie la demande."));
}

static void
draw_stations (cairo_t    *cr,
               JsonObject *stats,
               double      y,
               double      width)
{
  JsonArray *stations = json_object_get_array_member (stats, "stations");
  /* Columns as shares of the width: the table stays within the margins. */
  const double x[] = { 0, 0.36 * width, 0.50 * width, 0.70 * width, 0.90 * width, width };
  const char *heads[] = { _("Poste"), _("Séances"), _("Pages imprimées"), _("Pages numérisées"), _("Aides") };
  char text[64];

  mediator_chart_text (cr, 0, y, 13, TRUE, _("Par poste"));
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    cell (cr, x[c], y + 22, x[c + 1] - x[c] - 6, 9, TRUE, heads[c]);
  for (guint i = 0; stations != NULL && i < MIN (json_array_get_length (stations), 25); i++)
    {
      JsonObject *row = json_array_get_object_element (stations, i);
      gint64 values[] = { json_object_get_int_member_with_default (row, "sessions", 0), pages_printed (row),
                          json_object_get_int_member_with_default (row, "pages_scanned", 0),
                          json_object_get_int_member_with_default (row, "help_requests", 0) };
      double ry = y + 40 + i * 16;

      cell (cr, x[0], ry, x[1] - x[0] - 6, 10, FALSE, json_object_get_string_member_with_default (row, "station", ""));
      for (guint c = 0; c < G_N_ELEMENTS (values); c++)
        {
          g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, values[c]);
          cell (cr, x[c + 1], ry, x[c + 2] - x[c + 1] - 6, 10, FALSE, text);
        }
    }
}

/* The mail desk's month: letters registered, handed over, returned. */
static double
draw_mail (cairo_t    *cr,
           JsonObject *stats,
           double      y,
           double      width)
{
  JsonObject *mail = json_object_get_object_member (stats, "mail");
  JsonObject *reasons;
  char text[160];
  struct { const char *label; const char *member; } figures[] = {
    { N_("Courriers reçus"), "registered" },
    { N_("Remis"), "handed" },
    { N_("Renvoyés à l'expéditeur"), "returned" },
    { N_("Relances envoyées"), "reminders" },
  };

  if (mail == NULL)
    return y;
  mediator_chart_text (cr, 0, y, 13, TRUE, _("Courrier des personnes domiciliées"));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double column = width / G_N_ELEMENTS (figures);

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT,
                  json_object_get_int_member_with_default (mail, figures[i].member, 0));
      mediator_chart_text (cr, i * column, y + 30, 18, TRUE, text);
      cell (cr, i * column, y + 44, column - 6, 9, FALSE, _(figures[i].label));
    }
  {
    g_autofree char *days = decimal_fr (json_object_get_double_member_with_default (mail, "avg_days", 0));
    g_autofree char *line = g_strdup_printf (_("Délai moyen avant le retrait : %s jours"), days);

    cell (cr, 0, y + 66, width, 10, FALSE, line);
  }
  y += 74;

  /* Why people asked for a domiciliation this month. */
  reasons = json_object_get_object_member (mail, "reasons");
  if (reasons != NULL)
    {
      static const struct { const char *id; const char *label; } labels[] = {
        { "no-home", N_("sans logement") }, { "hosted", N_("hébergé chez un tiers") },
        { "emergency", N_("hébergement d'urgence") }, { "other", N_("autre") },
        { "unknown", N_("non précisé") },
      };
      g_autoptr(GString) line = g_string_new (_("Demandes de domiciliation : "));

      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        g_string_append_printf (line, "%s%s %lld", i > 0 ? ", " : "", _(labels[i].label),
                                (long long) json_object_get_int_member_with_default (reasons, labels[i].id, 0));
      y += paragraph (cr, 0, y, width, 10, FALSE, line->str);
    }
  return y;
}

gboolean
mediator_report_pdf (JsonObject  *stats,
                     JsonObject  *previous,
                     const char  *site,
                     const char  *path,
                     GError     **error)
{
  /* A4 in points, 2 cm margins. */
  const double page_w = 595.28, page_h = 841.89, margin = 56.7;
  const double w = page_w - 2 * margin;
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (stats != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (tmp, page_w, page_h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Tableau de bord mensuel"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  cr = cairo_create (surface);

  /* Page 1: the month at a glance. The title, then the period under it,
   * each as long as it needs (a long site name wraps). */
  title = g_strdup_printf (_("%s — tableau de bord"), site != NULL ? site : "Relais");
  {
    g_autofree char *from = date_fr (json_object_get_string_member_with_default (stats, "from", NULL));
    g_autofree char *to = date_fr (json_object_get_string_member_with_default (stats, "to", NULL));
    g_autofree char *period = g_strdup_printf (_("Du %s au %s"), from, to);
    double y = margin;

    y += paragraph (cr, margin, y, w, 16, TRUE, title) + 2;
    y += paragraph (cr, margin, y, w, 11, FALSE, period) + 2;
    y += paragraph (cr, margin, y, w, 9, FALSE,
                    _("Chiffres anonymes : aucune donnée personnelle n'est enregistrée sur les séances. "
                      "Pages imprimées : documents et photocopies sortis de l'imprimante.")) + 4;
    cairo_save (cr);
    cairo_translate (cr, margin, y);
    mediator_report_draw_overview (cr, stats, w, page_h - margin - y);
    cairo_restore (cr);
  }
  cairo_show_page (cr);

  /* Page 2: what people needed help with, and the stations. */
  cairo_save (cr);
  cairo_translate (cr, margin, margin);
  {
    double y = draw_help (cr, stats, previous, w, 280) + 36;

    y = draw_mail (cr, stats, y, w) + 30;
    draw_stations (cr, stats, y, w);
  }
  cairo_restore (cr);
  cairo_show_page (cr);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, path) != 0)
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE,
                   _("Le rapport n'a pas pu être écrit dans %s : %s"), path,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (errno));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}
