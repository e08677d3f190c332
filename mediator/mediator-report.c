/* mediator-report.c: CSV tables and the monthly PDF report, from the
 * hub's statistics. */
#define G_LOG_DOMAIN "relais-mediator"

#include "mediator-report.h"
#include "mediator-charts.h"
#include "mediator-labels.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

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

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, total (stats, figures[i].member));
      mediator_chart_text (cr, fx, 30, 24, TRUE, text);
      mediator_chart_text (cr, fx, 46, 9, FALSE, _(figures[i].label));
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
static void
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
  mediator_chart_text (cr, 0, height + 4, 9, FALSE,
                       _("↑ ↓ : évolution sur le mois précédent ; « vu en » : délai moyen avant qu'un médiateur voie la demande."));
}

static void
draw_stations (cairo_t    *cr,
               JsonObject *stats,
               double      y)
{
  JsonArray *stations = json_object_get_array_member (stats, "stations");
  char text[160];

  mediator_chart_text (cr, 0, y, 13, TRUE, _("Par poste"));
  mediator_chart_text (cr, 0, y + 22, 10, TRUE, _("Poste"));
  mediator_chart_text (cr, 180, y + 22, 10, TRUE, _("Séances"));
  mediator_chart_text (cr, 260, y + 22, 10, TRUE, _("Pages imprimées"));
  mediator_chart_text (cr, 370, y + 22, 10, TRUE, _("Pages numérisées"));
  mediator_chart_text (cr, 480, y + 22, 10, TRUE, _("Aides"));
  for (guint i = 0; stations != NULL && i < MIN (json_array_get_length (stations), 25); i++)
    {
      JsonObject *row = json_array_get_object_element (stations, i);
      double ry = y + 40 + i * 16;

      mediator_chart_text (cr, 0, ry, 10, FALSE, json_object_get_string_member_with_default (row, "station", ""));
#define CELL(x, member) \
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, json_object_get_int_member_with_default (row, member, 0)); \
      mediator_chart_text (cr, x, ry, 10, FALSE, text)
      CELL (180, "sessions");
      CELL (260, "pages_printed");
      CELL (370, "pages_scanned");
      CELL (480, "help_requests");
#undef CELL
    }
}

/* The mail desk's month: letters registered, handed over, returned. */
static void
draw_mail (cairo_t    *cr,
           JsonObject *stats,
           double      y)
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
    return;
  mediator_chart_text (cr, 0, y, 13, TRUE, _("Courrier des personnes domiciliées"));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT,
                  json_object_get_int_member_with_default (mail, figures[i].member, 0));
      mediator_chart_text (cr, i * 120, y + 30, 18, TRUE, text);
      mediator_chart_text (cr, i * 120, y + 44, 9, FALSE, _(figures[i].label));
    }
  g_snprintf (text, sizeof text, _("Délai moyen avant le retrait : %.1f jours"),
              json_object_get_double_member_with_default (mail, "avg_days", 0));
  mediator_chart_text (cr, 0, y + 66, 10, FALSE, text);

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
      mediator_chart_text (cr, 0, y + 82, 10, FALSE, line->str);
    }
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

  /* Page 1: the month at a glance. */
  title = g_strdup_printf (_("%s — tableau de bord"), site != NULL ? site : "Relais");
  mediator_chart_text (cr, margin, margin, 16, TRUE, title);
  {
    g_autofree char *period = g_strdup_printf (_("Du %s au %s"),
                                               json_object_get_string_member_with_default (stats, "from", "?"),
                                               json_object_get_string_member_with_default (stats, "to", "?"));
    mediator_chart_text (cr, page_w - margin - 150, margin, 10, FALSE, period);
  }
  mediator_chart_text (cr, margin, margin + 18, 9, FALSE,
                       _("Chiffres anonymes : aucune donnée personnelle n'est enregistrée sur les séances."));
  cairo_save (cr);
  cairo_translate (cr, margin, margin + 30);
  mediator_report_draw_overview (cr, stats, w, page_h - 2 * margin - 40);
  cairo_restore (cr);
  cairo_show_page (cr);

  /* Page 2: what people needed help with, and the stations. */
  cairo_save (cr);
  cairo_translate (cr, margin, margin);
  draw_help (cr, stats, previous, w, 300);
  draw_mail (cr, stats, 340);
  draw_stations (cr, stats, 440);
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
