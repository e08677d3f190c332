/* mediator-report.c: the dashboard's tables (exported as CSV and XLSX) and the monthly PDF report, from the
 * hub's statistics. */

#include "mediator-report.h"
#include "mediator-dates.h"
#include "mediator-charts.h"
#include "mediator-labels.h"
#include "mediator-report-outcomes.h"
#include "mediator-export.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (mediator-report-error-quark, mediator_report_error);

/* The counters of a row, as the exported tables' columns name them. */
static const struct {
  const char *header;
  gsize       offset;
} row_columns[] = {
  { N_ ("Sessions"), G_STRUCT_OFFSET (RelaisStatsRow, sessions) },
  { N_ ("Durée (s)"), G_STRUCT_OFFSET (RelaisStatsRow, duration_s) },
  { N_ ("Pages numérisées"), G_STRUCT_OFFSET (RelaisStatsRow, pages_scanned) },
  { N_ ("Pages imprimées"), G_STRUCT_OFFSET (RelaisStatsRow, pages_printed) },
  { N_ ("Photocopies"), G_STRUCT_OFFSET (RelaisStatsRow, copies) },
  { N_ ("Enregistrés sur clé USB"), G_STRUCT_OFFSET (RelaisStatsRow, saved_usb) },
  { N_ ("Mis au coffre-fort"), G_STRUCT_OFFSET (RelaisStatsRow, saved_safe) },
  { N_ ("Consultations du courrier"), G_STRUCT_OFFSET (RelaisStatsRow, mail_checks) },
  { N_ ("Demandes d’aide"), G_STRUCT_OFFSET (RelaisStatsRow, help_requests) },
};

const char * const mediator_report_tables[] = { "days", "stations", "help", "languages", "mail", "outcomes", NULL };

/* An average the hub has none of (< 0) is an empty cell. */
static void
set_optional (MediatorTable *table, guint column, gint64 value)
{
  if (value >= 0)
    mediator_table_set_number (table, column, (double) value);
}

static void
add_counters_row (MediatorTable *table, const char *key, const RelaisStatsRow *row)
{
  mediator_table_add_row (table);
  mediator_table_set_text (table, 0, key);
  for (guint c = 0; c < G_N_ELEMENTS (row_columns); c++)
    mediator_table_set_number (table, c + 1, (double) G_STRUCT_MEMBER (gint64, row, row_columns[c].offset));
}

MediatorTable *
mediator_report_table (const RelaisSiteStats *stats,
                       const char            *name,
                       GError               **error)
{
  g_autoptr(MediatorTable) table = NULL;
  GPtrArray *rows = NULL;

  g_return_val_if_fail (stats != NULL && name != NULL, NULL);

  if (g_str_equal (name, "days"))
    {
      table = mediator_table_new (_ ("Par jour"));
      mediator_table_add_column (table, _ ("Jour"), MEDIATOR_CELL_TEXT);
      rows = stats->days;
    }
  else if (g_str_equal (name, "stations"))
    {
      table = mediator_table_new (_ ("Par poste"));
      mediator_table_add_column (table, _ ("Poste"), MEDIATOR_CELL_TEXT);
      rows = stats->stations;
    }
  else if (g_str_equal (name, "help"))
    {
      gint64 requests = 0;

      table = mediator_table_new (_ ("Demandes d’aide"));
      mediator_table_add_column (table, _ ("Catégorie"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Demandes"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Délai moyen avant « Vu » (s)"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Délai moyen avant prise en charge (s)"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Délai moyen avant résolution (s)"), MEDIATOR_CELL_INTEGER);
      for (guint i = 0; i < stats->help->len; i++)
        {
          const RelaisStatsHelpLine *line = g_ptr_array_index (stats->help, i);

          mediator_table_add_row (table);
          mediator_table_set_text (table, 0, mediator_category_label (line->category));
          mediator_table_set_number (table, 1, (double) line->requests);
          set_optional (table, 2, line->avg_seen_s);
          set_optional (table, 3, line->avg_taken_s);
          set_optional (table, 4, line->avg_resolved_s);
          requests += line->requests;
        }
      mediator_table_add_row (table);
      mediator_table_set_text (table, 0, _ ("Total"));
      mediator_table_set_number (table, 1, (double) requests);
      mediator_table_mark_total (table);
      return g_steal_pointer (&table);
    }
  else if (g_str_equal (name, "outcomes"))
    {
      gint64 requests = 0;

      table = mediator_table_new (_ ("Aide : besoins et résultats"));
      mediator_table_add_column (table, _ ("Mois"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Besoin"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Résultat"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Partenaire"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Demandes"), MEDIATOR_CELL_INTEGER);
      for (guint i = 0; i < stats->outcomes->len; i++)
        {
          const RelaisStatsOutcome *line = g_ptr_array_index (stats->outcomes, i);

          mediator_table_add_row (table);
          mediator_table_set_text (table, 0, line->month);
          mediator_table_set_text (table, 1, line->need);
          mediator_table_set_text (table, 2, line->outcome);
          mediator_table_set_text (table, 3, line->partner);
          mediator_table_set_number (table, 4, (double) line->requests);
          requests += line->requests;
        }
      mediator_table_add_row (table);
      mediator_table_set_text (table, 0, _ ("Total"));
      mediator_table_set_number (table, 4, (double) requests);
      mediator_table_mark_total (table);
      return g_steal_pointer (&table);
    }
  else if (g_str_equal (name, "languages"))
    {
      gint64 sessions = 0;

      table = mediator_table_new (_ ("Langues"));
      mediator_table_add_column (table, _ ("Langue"), MEDIATOR_CELL_TEXT);
      mediator_table_add_column (table, _ ("Sessions"), MEDIATOR_CELL_INTEGER);
      for (guint i = 0; i < stats->languages->len; i++)
        {
          const RelaisStatsRow *row = g_ptr_array_index (stats->languages, i);

          mediator_table_add_row (table);
          mediator_table_set_text (table, 0, mediator_language_name (row->key));
          mediator_table_set_number (table, 1, (double) row->sessions);
          sessions += row->sessions;
        }
      mediator_table_add_row (table);
      mediator_table_set_text (table, 0, _ ("Total"));
      mediator_table_set_number (table, 1, (double) sessions);
      mediator_table_mark_total (table);
      return g_steal_pointer (&table);
    }
  else if (g_str_equal (name, "mail"))
    {
      table = mediator_table_new (_ ("Courrier"));
      mediator_table_add_column (table, _ ("Courriers enregistrés"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Courriers remis"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Courriers retournés"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Relances envoyées"), MEDIATOR_CELL_INTEGER);
      mediator_table_add_column (table, _ ("Délai moyen avant remise (jours)"), MEDIATOR_CELL_DECIMAL);
      if (stats->mail != NULL)
        {
          mediator_table_add_row (table);
          mediator_table_set_number (table, 0, (double) stats->mail->registered);
          mediator_table_set_number (table, 1, (double) stats->mail->handed);
          mediator_table_set_number (table, 2, (double) stats->mail->returned);
          mediator_table_set_number (table, 3, (double) stats->mail->reminders);
          mediator_table_set_number (table, 4, stats->mail->avg_days);
        }
      return g_steal_pointer (&table);
    }
  else
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_TABLE, _ ("Tableau inconnu : %s"), name);
      return NULL;
    }

  for (guint c = 0; c < G_N_ELEMENTS (row_columns); c++)
    mediator_table_add_column (table, _ (row_columns[c].header), MEDIATOR_CELL_INTEGER);
  for (guint i = 0; i < rows->len; i++)
    {
      const RelaisStatsRow *row = g_ptr_array_index (rows, i);

      add_counters_row (table, row->key, row);
    }
  add_counters_row (table, _ ("Total"), &stats->totals);
  mediator_table_mark_total (table);
  return g_steal_pointer (&table);
}

GBytes *
mediator_report_csv (const RelaisSiteStats *stats,
                     const char            *name,
                     GError               **error)
{
  g_autoptr(MediatorTable) table = mediator_report_table (stats, name, error);

  return table != NULL ? mediator_export_csv (table) : NULL;
}

/* Every page that came out of the printer: documents and photocopies
 * (the stations count a page once its job completed). */
static gint64
pages_printed (const RelaisStatsRow *row)
{
  return row->pages_printed + row->copies;
}

/* "0,5" in French, whatever the C library's locale. */
static char *
decimal_fr (double value)
{
  g_autofree char *text = g_strdup_printf ("%.1f", value);
  char            *point = strchr (text, '.');

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

/* The days' sessions summed by week (ISO number) or by month. */
static guint
group_days (GPtrArray             *days,
            MediatorReportGrouping grouping,
            double                *values,
            char                 **labels)
{
  static const char * const months[] = { "jan", "fév", "mar", "avr", "mai", "juin",
                                         "juil", "août", "sep", "oct", "nov", "déc" };
  guint                     n = 0;
  int                       last = -1;

  for (guint i = 0; i < days->len; i++)
    {
      const RelaisStatsRow *day = g_ptr_array_index (days, i);
      const char           *date = day->key;
      g_autofree char      *iso = g_strconcat (date, "T12:00:00Z", NULL);
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
      values[n - 1] += day->sessions;
    }
  return n;
}

void
mediator_report_draw_overview (cairo_t               *cr,
                               const RelaisSiteStats *stats,
                               double                 width,
                               double                 height)
{
  mediator_report_draw_overview_grouped (cr, stats, MEDIATOR_REPORT_BY_DAY, width, height);
}

void
mediator_report_draw_overview_grouped (cairo_t               *cr,
                                       const RelaisSiteStats *stats,
                                       MediatorReportGrouping grouping,
                                       double                 width,
                                       double                 height)
{
  GPtrArray              *days = stats->days;
  guint                   n = days->len;
  g_autofree double      *values = g_new0 (double, MAX (1, n));
  g_autofree const char **labels = g_new0 (const char *, MAX (1, n));
  char                    text[128];
  struct {
    const char *label;
    gint64      value;
  } figures[] = {
    { N_ ("Séances"), stats->totals.sessions },
    { N_ ("Pages imprimées"), pages_printed (&stats->totals) },
    { N_ ("Pages numérisées"), stats->totals.pages_scanned },
    { N_ ("Demandes d'aide"), stats->totals.help_requests },
    { N_ ("Courriers consultés"), stats->totals.mail_checks },
  };

  /* Key figures across the top. */
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double fx = i * width / G_N_ELEMENTS (figures);

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, figures[i].value);
      mediator_chart_text (cr, fx, 30, 24, TRUE, text);
      /* Wrapped in its column, never into the next. */
      paragraph (cr, fx, 37, width / G_N_ELEMENTS (figures) - 6, 9, FALSE, _ (figures[i].label));
    }
  if (grouping == MEDIATOR_REPORT_BY_DAY)
    {
      for (guint i = 0; i < n; i++)
        {
          const RelaisStatsRow *day = g_ptr_array_index (days, i);

          values[i] = day->sessions;
          /* "2026-03-05" → "05" */
          labels[i] = day->key;
          if (strlen (labels[i]) == 10)
            labels[i] += 8;
        }
      mediator_chart_bars (cr, 0, 70, width, height * 0.45, _ ("Séances par jour (jours d'ouverture)"),
                           n, labels, values, n > 16 ? 2 : 1);
    }
  else
    {
      g_autofree char **owned = g_new0 (char *, MAX (1, n) + 1);
      guint             groups = group_days (days, grouping, values, owned);

      mediator_chart_bars (cr, 0, 70, width, height * 0.45,
                           grouping == MEDIATOR_REPORT_BY_WEEK ? _ ("Séances par semaine") : _ ("Séances par mois"),
                           groups, (const char * const *) owned, values, 1);
      for (guint i = 0; i < groups; i++)
        g_free (owned[i]);
    }
  mediator_chart_heat (cr, 0, 80 + height * 0.45, width, height * 0.5 - 90,
                       _ ("Fréquentation : jour de la semaine × heure"), stats->heat);
}

/* The month's difficulties, with the change against the month before. */
static double
draw_help (cairo_t               *cr,
           const RelaisSiteStats *stats,
           const RelaisSiteStats *previous,
           double                 width,
           double                 height)
{
  guint                   n = MIN (stats->help->len, 12);
  g_autofree double      *values = g_new0 (double, MAX (1, n));
  g_autofree const char **labels = g_new0 (const char *, MAX (1, n));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      const RelaisStatsHelpLine *row = g_ptr_array_index (stats->help, i);
      const char                *category = row->category;
      gint64                     requests = row->requests;
      gint64                     was = 0;
      g_autofree char           *trend = NULL;

      for (guint j = 0; previous != NULL && j < previous->help->len; j++)
        {
          const RelaisStatsHelpLine *old = g_ptr_array_index (previous->help, j);
          if (g_strcmp0 (old->category, category) == 0)
            was = old->requests;
        }
      trend = previous == NULL ? g_strdup ("")
              : requests > was ? g_strdup_printf (" ↑ +%" G_GINT64_FORMAT, requests - was)
              : requests < was ? g_strdup_printf (" ↓ −%" G_GINT64_FORMAT, was - requests)
                               : g_strdup (" =");
      values[i] = requests;
      labels[i] = mediator_category_label (category);
      if (row->avg_seen_s >= 0)
        /* %lld, not G_GINT64_FORMAT: xgettext cannot see through the macro. */
        g_ptr_array_add (texts, g_strdup_printf (_ ("%lld%s · vu en %lld s"),
                                                 (long long) requests, trend, (long long) row->avg_seen_s));
      else
        g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT "%s", requests, trend));
    }
  g_ptr_array_add (texts, NULL);
  mediator_chart_hbars (cr, 0, 0, width, height, _ ("Difficultés du mois : demandes d'aide par catégorie"),
                        n, labels, values, (const char * const *) texts->pdata);
  return height + 4
         + paragraph (cr, 0, height + 4, width, 9, FALSE,
                      _ ("↑ ↓ : évolution sur le mois précédent ; « vu en » : délai moyen avant qu'un médiateur voie la demande."));
}

static void
draw_stations (cairo_t               *cr,
               const RelaisSiteStats *stats,
               double                 y,
               double                 width)
{
  GPtrArray   *stations = stats->stations;
  /* Columns as shares of the width: the table stays within the margins. */
  const double x[] = { 0, 0.36 * width, 0.50 * width, 0.70 * width, 0.90 * width, width };
  const char  *heads[] = { _ ("Poste"), _ ("Séances"), _ ("Pages imprimées"), _ ("Pages numérisées"), _ ("Aides") };
  char         text[64];

  mediator_chart_text (cr, 0, y, 13, TRUE, _ ("Par poste"));
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    cell (cr, x[c], y + 22, x[c + 1] - x[c] - 6, 9, TRUE, heads[c]);
  for (guint i = 0; i < MIN (stations->len, 25); i++)
    {
      const RelaisStatsRow *row = g_ptr_array_index (stations, i);
      gint64                values[] = { row->sessions, pages_printed (row), row->pages_scanned, row->help_requests };
      double                ry = y + 40 + i * 16;

      cell (cr, x[0], ry, x[1] - x[0] - 6, 10, FALSE, row->key);
      for (guint c = 0; c < G_N_ELEMENTS (values); c++)
        {
          g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, values[c]);
          cell (cr, x[c + 1], ry, x[c + 2] - x[c + 1] - 6, 10, FALSE, text);
        }
    }
}

/* The mail desk's month: letters registered, handed over, returned. */
static double
draw_mail (cairo_t               *cr,
           const RelaisSiteStats *stats,
           double                 y,
           double                 width)
{
  const RelaisStatsMail *mail = stats->mail;
  char                   text[160];

  if (mail == NULL)
    return y;
  {
    struct {
      const char *label;
      gint64      value;
    } figures[] = {
      { N_ ("Courriers reçus"), mail->registered },
      { N_ ("Remis"), mail->handed },
      { N_ ("Renvoyés à l'expéditeur"), mail->returned },
      { N_ ("Relances envoyées"), mail->reminders },
    };

    mediator_chart_text (cr, 0, y, 13, TRUE, _ ("Courrier des personnes domiciliées"));
    for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
      {
        double column = width / G_N_ELEMENTS (figures);

        g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, figures[i].value);
        mediator_chart_text (cr, i * column, y + 30, 18, TRUE, text);
        cell (cr, i * column, y + 44, column - 6, 9, FALSE, _ (figures[i].label));
      }
  }
  {
    g_autofree char *days = decimal_fr (mail->avg_days);
    g_autofree char *line = g_strdup_printf (_ ("Délai moyen avant le retrait : %s jours"), days);

    cell (cr, 0, y + 66, width, 10, FALSE, line);
  }
  y += 74;

  /* Why people asked for a domiciliation this month. */
  if (g_hash_table_size (mail->reasons) > 0)
    {
      static const struct {
        const char *id;
        const char *label;
      } labels[] = {
        { "no-home", N_ ("sans logement") },
        { "hosted", N_ ("hébergé chez un tiers") },
        { "emergency", N_ ("hébergement d'urgence") },
        { "other", N_ ("autre") },
        { "unknown", N_ ("non précisé") },
      };
      g_autoptr(GString) line = g_string_new (_ ("Demandes de domiciliation : "));

      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        g_string_append_printf (line, "%s%s %lld", i > 0 ? ", " : "", _ (labels[i].label),
                                (long long) relais_stats_mail_reason (mail, labels[i].id));
      y += paragraph (cr, 0, y, width, 10, FALSE, line->str);
    }
  return y;
}

gboolean
mediator_report_pdf (const RelaisSiteStats *stats,
                     const RelaisSiteStats *previous,
                     const char            *site,
                     const char            *path,
                     GError               **error)
{
  /* A4 in points, 2 cm margins. */
  const double     page_w = 595.28, page_h = 841.89, margin = 56.7;
  const double     w = page_w - 2 * margin;
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;

  g_return_val_if_fail (stats != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (tmp, page_w, page_h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Tableau de bord mensuel"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  cr = cairo_create (surface);

  /* Page 1: the month at a glance. The title, then the period under it,
   * each as long as it needs (a long site name wraps). */
  title = g_strdup_printf (_ ("%s — tableau de bord"), site != NULL ? site : "Relais");
  {
    g_autofree char *from = mediator_date_fr (stats->from, "?");
    g_autofree char *to = mediator_date_fr (stats->to, "?");
    g_autofree char *period = g_strdup_printf (_ ("Du %s au %s"), from, to);
    double           y = margin;

    y += paragraph (cr, margin, y, w, 16, TRUE, title) + 2;
    y += paragraph (cr, margin, y, w, 11, FALSE, period) + 2;
    y += paragraph (cr, margin, y, w, 9, FALSE,
                    _ ("Chiffres anonymes : aucune donnée personnelle n'est enregistrée sur les séances. "
                       "Pages imprimées : documents et photocopies sortis de l'imprimante."))
         + 4;
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

  /* Page 3: what the help requests were about and what came of them. */
  {
    g_autofree char *outcomes = mediator_report_outcomes_text (stats);

    if (*outcomes != '\0')
      {
        double y = margin;

        y += paragraph (cr, margin, y, w, 13, TRUE, _ ("Ce que les demandes d'aide concernaient, et ce qu'elles ont donné")) + 6;
        y += paragraph (cr, margin, y, w, 9, FALSE,
                        _ ("Ce que le médiateur a indiqué en terminant chaque demande (facultatif) : "
                           "aucune donnée personnelle, des mots d'une liste."))
             + 10;
        paragraph (cr, margin, y, w, 10, FALSE, outcomes);
        cairo_show_page (cr);
      }
  }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, path) != 0)
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE,
                   _ ("Le rapport n'a pas pu être écrit dans %s : %s"), path,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (errno));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}
