/* mediator-annual.c: the prefecture's annual report from its figures
 * (relais-db-mail-annual.h): one set of tables drawn into the PDF and
 * written into the workbook, so both always agree. */

#include "mediator-annual.h"
#include "mediator-report.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

static const char * const motive_labels[RELAIS_MAIL_N_MOTIVES + 1] = {
  N_ ("Absence de lien avec la commune"),
  N_ ("Logement stable trouvé"),
  N_ ("Sans contact depuis plus de trois mois"),
  N_ ("À la demande de la personne"),
  N_ ("Fraude ou fausse déclaration"),
  N_ ("Autre motif"),
  N_ ("Motif non renseigné"),
};

static const char * const orientation_labels[RELAIS_MAIL_N_ORIENTATIONS + 1] = {
  N_ ("Un autre CCAS ou CIAS"),
  N_ ("Un organisme agréé"),
  N_ ("Un autre organisme"),
  N_ ("Orientation non renseignée"),
};

static const char * const age_labels[RELAIS_MAIL_N_AGE_BANDS + 1] = {
  N_ ("Moins de 18 ans"),
  N_ ("18 à 24 ans"),
  N_ ("25 à 34 ans"),
  N_ ("35 à 44 ans"),
  N_ ("45 à 54 ans"),
  N_ ("55 à 64 ans"),
  N_ ("65 ans et plus"),
  N_ ("Date de naissance inconnue"),
};

static const char * const sex_labels[] = { N_ ("Femmes"), N_ ("Hommes"), N_ ("Autre"), N_ ("Non renseigné") };

static const char * const household_labels[] = {
  N_ ("Personne seule"),
  N_ ("Couple sans enfant"),
  N_ ("Parent seul avec enfant(s)"),
  N_ ("Couple avec enfant(s)"),
  N_ ("Autre"),
  N_ ("Non renseigné"),
};

static MediatorTable *
new_table (const char *name)
{
  MediatorTable *table = mediator_table_new (name);

  mediator_table_add_column (table, _ ("Libellé"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Nombre"), MEDIATOR_CELL_INTEGER);
  return table;
}

static void
add_line (MediatorTable *table, const char *label, gint64 count)
{
  mediator_table_add_row (table);
  mediator_table_set_text (table, 0, label);
  mediator_table_set_number (table, 1, (double) count);
}

/* One line per label, then the total. */
static MediatorTable *
counts_table (const char *name, const char * const *labels, const gint64 *counts, guint n)
{
  MediatorTable *table = new_table (name);
  gint64         total = 0;

  for (guint i = 0; i < n; i++)
    {
      add_line (table, _ (labels[i]), counts[i]);
      total += counts[i];
    }
  add_line (table, _ ("Total"), total);
  mediator_table_mark_total (table);
  return table;
}

GPtrArray *
mediator_annual_tables (const RelaisMailAnnual *annual)
{
  GPtrArray                       *tables = g_ptr_array_new_with_free_func ((GDestroyNotify) mediator_table_free);
  const RelaisMailDecisionFigures *f;
  MediatorTable                   *table;

  g_return_val_if_fail (annual != NULL, NULL);
  f = &annual->decisions;
  table = new_table (_ ("Demandes et décisions"));
  add_line (table, _ ("Demandes de première élection de domicile"), f->applications_first);
  add_line (table, _ ("Demandes de renouvellement"), f->applications_renewal);
  add_line (table, _ ("Premières élections accordées"), f->grants_first);
  add_line (table, _ ("Renouvellements accordés"), f->grants_renewal);
  add_line (table, _ ("Demandes ajournées (pièce manquante)"), f->adjournments);
  add_line (table, _ ("Refus"), f->refusals);
  add_line (table, _ ("Radiations"), f->radiations);
  g_ptr_array_add (tables, table);
  g_ptr_array_add (tables, counts_table (_ ("Refus par motif"), motive_labels, f->refusals_by_motive,
                                         RELAIS_MAIL_N_MOTIVES + 1));
  g_ptr_array_add (tables, counts_table (_ ("Radiations par motif"), motive_labels, f->radiations_by_motive,
                                         RELAIS_MAIL_N_MOTIVES + 1));
  g_ptr_array_add (tables, counts_table (_ ("Orientations des refus"), orientation_labels,
                                         f->refusals_by_orientation, RELAIS_MAIL_N_ORIENTATIONS + 1));
  g_ptr_array_add (tables, counts_table (_ ("Domiciliés au 31 décembre, âge"), age_labels, annual->by_age,
                                         RELAIS_MAIL_N_AGE_BANDS + 1));
  g_ptr_array_add (tables, counts_table (_ ("Domiciliés au 31 décembre, sexe"), sex_labels, annual->by_sex,
                                         G_N_ELEMENTS (sex_labels)));
  g_ptr_array_add (tables, counts_table (_ ("Domiciliés au 31 décembre, ménage"), household_labels,
                                         annual->by_household, G_N_ELEMENTS (household_labels)));
  return tables;
}

gboolean
mediator_annual_xlsx (const RelaisMailAnnual *annual, const char *path, GError **error)
{
  g_autoptr(GPtrArray) tables = mediator_annual_tables (annual);

  return mediator_export_xlsx ((const MediatorTable * const *) tables->pdata, tables->len, path, error);
}

GBytes *
mediator_annual_csv (const RelaisMailAnnual *annual)
{
  g_autoptr(GPtrArray) tables = mediator_annual_tables (annual);

  return mediator_export_csv_tables ((const MediatorTable * const *) tables->pdata, tables->len);
}

/* ---- PDF ---- */

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.7

static double
text (cairo_t *cr, double x, double y, double width, double size, gboolean bold, PangoAlignment align, const char *value)
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
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, value, -1);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* A table's rows as label … number, the total in bold over a rule. */
static double
draw_table (cairo_t *cr, const MediatorTable *table, GBytes *csv, double y)
{
  g_auto(GStrv) lines = g_strsplit ((const char *) g_bytes_get_data (csv, NULL) + 3, "\r\n", -1);
  double width = PAGE_W - 2 * MARGIN;
  guint  n = g_strv_length (lines);

  y += text (cr, MARGIN, y, width, 12, TRUE, PANGO_ALIGN_LEFT, mediator_table_get_name (table)) + 4;
  /* lines[0] is the header, the last one empty. */
  for (guint i = 1; i + 1 < n; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ";", 2);
      gboolean total = g_str_equal (cells[0], _ ("Total"));
      double   h;

      if (total)
        {
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, MARGIN, y + 1);
          cairo_line_to (cr, PAGE_W - MARGIN, y + 1);
          cairo_stroke (cr);
          y += 2;
        }
      h = text (cr, MARGIN + 8, y, width - 80, 10, total, PANGO_ALIGN_LEFT, cells[0]);
      text (cr, PAGE_W - MARGIN - 70, y, 70, 10, total, PANGO_ALIGN_RIGHT, cells[1] != NULL ? cells[1] : "");
      y += h + 2;
    }
  return y + 12;
}

gboolean
mediator_annual_pdf (const RelaisMailAnnual *annual, const char *site, const char *path, GError **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *part = NULL;
  g_autofree char *title = NULL;
  g_autofree char *period = NULL;
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;
  double           y = MARGIN;

  g_return_val_if_fail (annual != NULL && site != NULL && path != NULL, FALSE);
  tables = mediator_annual_tables (annual);
  part = g_strconcat (path, ".part", NULL);
  surface = cairo_pdf_surface_create (part, PAGE_W, PAGE_H);
  cr = cairo_create (surface);
  title = g_strdup_printf (_ ("Rapport d’activité de domiciliation — année %d"), annual->year);
  period = g_strdup_printf (_ ("Du 01/01/%d au 31/12/%d. Personnes domiciliées au 31 décembre : %ld."),
                            annual->year, annual->year, (long) annual->domiciled);
  y += text (cr, MARGIN, y, PAGE_W - 2 * MARGIN, 16, TRUE, PANGO_ALIGN_LEFT, title) + 4;
  y += text (cr, MARGIN, y, PAGE_W - 2 * MARGIN, 11, FALSE, PANGO_ALIGN_LEFT, site) + 2;
  y += text (cr, MARGIN, y, PAGE_W - 2 * MARGIN, 10, FALSE, PANGO_ALIGN_LEFT, period) + 16;
  for (guint i = 0; i < tables->len; i++)
    {
      const MediatorTable *table = g_ptr_array_index (tables, i);
      g_autoptr(GBytes) csv = mediator_export_csv (table);
      double need = 30 + 16.0 * (mediator_table_get_n_rows (table) + 1);

      if (y + need > PAGE_H - MARGIN)
        {
          cairo_show_page (cr);
          y = MARGIN;
        }
      y = draw_table (cr, table, csv, y);
    }
  if (y + 60 > PAGE_H - MARGIN)
    {
      cairo_show_page (cr);
      y = MARGIN;
    }
  text (cr, MARGIN, y + 10, PAGE_W - 2 * MARGIN, 10, FALSE, PANGO_ALIGN_LEFT,
        _ ("Fait à …………………… le ……………………   Signature du responsable :"));
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (part, path) != 0)
    {
      g_unlink (part);
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE,
                   _ ("Le rapport n’a pas pu être écrit : %s"),
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* ---- the domiciliation register ---- */

static const char *
word_label (const char *word, const char * const *words, const char * const *labels)
{
  if (word == NULL)
    return "";
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_equal (word, words[i]))
      return _ (labels[i]);
  return word;
}

MediatorTable *
mediator_register_table (GPtrArray *people)
{
  static const char * const states[] = { "none", "applied", "granted", "refused", "adjourned", "expired", "radiated", NULL };
  static const char * const state_labels[] = {
    N_ ("sans demande"),
    N_ ("demande en cours"),
    N_ ("domicilié(e)"),
    N_ ("refusée"),
    N_ ("ajournée"),
    N_ ("expirée"),
    N_ ("radiée"),
  };
  static const char * const person_sex_labels[] = { N_ ("femme"), N_ ("homme"), N_ ("autre") };
  MediatorTable            *table = mediator_table_new (_ ("Registre des domiciliations"));

  mediator_table_add_column (table, _ ("Numéro"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Nom"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Prénoms"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Date de naissance"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Sexe"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Ménage"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Domiciliation"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Fin de domiciliation"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Dernier contact"), MEDIATOR_CELL_TEXT);
  mediator_table_add_column (table, _ ("Courriers en attente"), MEDIATOR_CELL_INTEGER);
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);

      mediator_table_add_row (table);
      mediator_table_set_text (table, 0, p->number);
      mediator_table_set_text (table, 1, p->surname);
      mediator_table_set_text (table, 2, p->first_names);
      mediator_table_set_text (table, 3, p->birth_date);
      mediator_table_set_text (table, 4, word_label (p->sex, relais_mail_sexes, person_sex_labels));
      mediator_table_set_text (table, 5, word_label (p->household, relais_mail_households, household_labels));
      mediator_table_set_text (table, 6, word_label (p->state, states, state_labels));
      mediator_table_set_text (table, 7, p->active_to);
      mediator_table_set_text (table, 8, p->last_contact);
      mediator_table_set_number (table, 9, (double) p->waiting);
    }
  return table;
}
