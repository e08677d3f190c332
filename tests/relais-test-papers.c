/* relais-test-papers.c: realistic scanned papers for the tests and the
 * scan-real bench, drawn at the scan's resolution (cairo, pango), then
 * degraded as a flatbed does: the sheet a little askew on a dark backing,
 * the paper's texture, a slight blur, the sensor's noise. No image file
 * lives in the repository: every page is made again from its seed. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-papers.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define A4_W_MM 210.0
#define A4_H_MM 297.0

/* xorshift: the same page for the same seed on every machine. */
typedef struct {
  guint64 s;
} Rng;

static guint32
rng_next (Rng *rng)
{
  guint64 x = rng->s;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  rng->s = x;
  return (guint32) (x >> 16);
}

static double
rng_uniform (Rng *rng)
{
  return (rng_next (rng) & 0xffffff) / (double) 0x1000000;
}

static double
rng_range (Rng *rng, double lo, double hi)
{
  return lo + (hi - lo) * rng_uniform (rng);
}

static void
rng_init (Rng *rng, guint64 seed)
{
  rng->s = seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
  for (int i = 0; i < 8; i++)
    rng_next (rng);
}

const char *
relais_test_paper_kind_name (RelaisTestPaperKind kind)
{
  switch (kind)
    {
    case RELAIS_TEST_PAPER_LETTER: return "letter";
    case RELAIS_TEST_PAPER_PAYSLIP: return "payslip";
    case RELAIS_TEST_PAPER_TAX_NOTICE: return "tax-notice";
    case RELAIS_TEST_PAPER_ID_RECTO: return "id-recto";
    case RELAIS_TEST_PAPER_ID_VERSO: return "id-verso";
    case RELAIS_TEST_PAPER_PHOTO: return "photo";
    case RELAIS_TEST_PAPER_FORM: return "form";
    default: g_assert_not_reached ();
    }
}

gboolean
relais_test_paper_kind_is_text (RelaisTestPaperKind kind)
{
  return kind == RELAIS_TEST_PAPER_LETTER || kind == RELAIS_TEST_PAPER_PAYSLIP
         || kind == RELAIS_TEST_PAPER_TAX_NOTICE || kind == RELAIS_TEST_PAPER_FORM;
}

RelaisTestPaperKind
relais_test_paper_corpus_kind (guint index)
{
  /* clang-format off */
  static const RelaisTestPaperKind corpus[RELAIS_TEST_PAPER_CORPUS_SIZE] = {
    RELAIS_TEST_PAPER_LETTER, RELAIS_TEST_PAPER_PAYSLIP, RELAIS_TEST_PAPER_TAX_NOTICE,
    RELAIS_TEST_PAPER_ID_RECTO, RELAIS_TEST_PAPER_ID_VERSO, RELAIS_TEST_PAPER_PHOTO,
    RELAIS_TEST_PAPER_FORM, RELAIS_TEST_PAPER_LETTER, RELAIS_TEST_PAPER_PAYSLIP,
    RELAIS_TEST_PAPER_LETTER,
  };
  /* clang-format on */

  g_return_val_if_fail (index < RELAIS_TEST_PAPER_CORPUS_SIZE, RELAIS_TEST_PAPER_LETTER);
  return corpus[index];
}

/* ------------------------------------------------------------------------ */
/* Words. */

/* clang-format off */
static const char * const words[] = {
  "le", "la", "les", "de", "des", "du", "et", "à", "votre", "vous", "nous", "dossier",
  "allocation", "logement", "mois", "montant", "droits", "demande", "pièces",
  "justificatives", "avant", "date", "caisse", "prestation", "situation", "familiale",
  "revenus", "déclarés", "année", "versement", "compte", "bancaire", "rappel",
  "régularisation", "courrier", "réponse", "délai", "jours", "sera", "être", "pour",
  "sur", "avec", "dans", "suite", "examen", "changement", "adresse", "service",
  "contact", "merci", "transmettre", "document", "signé", "copie", "attestation",
  "employeur", "salaire", "net", "imposable", "période", "contrat", "résiliation",
};
/* clang-format on */

static char *
make_sentence (Rng *rng, int n_words)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < n_words; i++)
    {
      const char *w = words[rng_next (rng) % G_N_ELEMENTS (words)];

      if (i > 0)
        g_string_append_c (s, ' ');
      if (i == 0)
        {
          gunichar c = g_unichar_toupper (g_utf8_get_char (w));
          g_string_append_unichar (s, c);
          g_string_append (s, g_utf8_next_char (w));
        }
      else
        g_string_append (s, w);
      if (i > 2 && i < n_words - 2 && rng_next (rng) % 9 == 0)
        g_string_append_c (s, ',');
    }
  g_string_append_c (s, '.');
  return g_string_free (s, FALSE);
}

static char *
make_paragraph (Rng *rng, int n_sentences)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < n_sentences; i++)
    {
      g_autofree char *sentence = make_sentence (rng, 6 + (int) (rng_next (rng) % 12));

      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, sentence);
    }
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Drawing in millimetres; text in points. */

static double
text (cairo_t *cr, double x, double y, double width, const char *font, PangoAlignment align, const char *markup)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int                   w, h;

  /* 1 pt = 25.4 / 72 mm: the context's resolution is 25.4 units per inch. */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 25.4);
  /* In millimetres, whole units would be whole millimetres between letters. */
  pango_context_set_round_glyph_positions (pango_layout_get_context (layout), FALSE);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_justify (layout, align == PANGO_ALIGN_LEFT);
      pango_layout_set_alignment (layout, align);
    }
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
rgb (cairo_t *cr, double r, double g, double b)
{
  cairo_set_source_rgb (cr, r, g, b);
}

/* A pen stroke: a signature, a tick, handwriting's flourishes. */
static void
scribble (cairo_t *cr, Rng *rng, double x, double y, double w, double h, int loops)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 0.35);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  rgb (cr, 0.08, 0.12, 0.5);
  cairo_move_to (cr, x, y + h / 2);
  for (int i = 0; i < loops; i++)
    {
      double x0 = x + w * i / loops, x1 = x + w * (i + 1) / loops;

      cairo_curve_to (cr, x0 + rng_range (rng, 0, w / loops), y - rng_range (rng, 0, h),
                      x1 - rng_range (rng, 0, w / loops), y + h + rng_range (rng, 0, h / 2),
                      x1, y + h / 2 + rng_range (rng, -h / 4, h / 4));
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_logo (cairo_t *cr, double x, double y, const char *name)
{
  cairo_arc (cr, x + 9, y + 9, 9, 0, 2 * G_PI);
  rgb (cr, 0.05, 0.33, 0.68);
  cairo_fill (cr);
  cairo_arc (cr, x + 9, y + 9, 5.5, 0.3, 2.6);
  cairo_set_line_width (cr, 2.2);
  rgb (cr, 0.9, 0.55, 0.1);
  cairo_stroke (cr);
  rgb (cr, 0.05, 0.33, 0.68);
  text (cr, x + 22, y + 2, 0, "Sans Bold 15", PANGO_ALIGN_LEFT, name);
  rgb (cr, 0.35, 0.35, 0.35);
  text (cr, x + 22, y + 10, 0, "Sans 8", PANGO_ALIGN_LEFT, "Service des prestations — 75 rue des Écoles");
}

static void
draw_letter (cairo_t *cr, Rng *rng, gboolean second_page)
{
  double y;

  rgb (cr, 0, 0, 0);
  if (!second_page)
    {
      g_autofree char *subject = make_sentence (rng, 6);
      g_autofree char *subject_markup = g_markup_printf_escaped ("<b>Objet :</b> %s", subject);

      draw_logo (cr, 20, 15, "Caisse d'allocations");
      rgb (cr, 0, 0, 0);
      text (cr, 20, 42, 0, "Sans 9", PANGO_ALIGN_LEFT,
            "Dossier n° 0457 1289 B\nAffaire suivie par : M. Durand\nTél. 09 69 32 52 52");
      text (cr, 115, 55, 0, "Serif 11", PANGO_ALIGN_LEFT,
            "Madame Fatou DIALLO\nRésidence Les Tilleuls, bât. C\n12 allée des Peupliers\n93200 Saint-Denis");
      text (cr, 115, 88, 0, "Serif 11", PANGO_ALIGN_LEFT, "Saint-Denis, le 14 novembre 2026");
      text (cr, 20, 102, 170, "Serif 11", PANGO_ALIGN_LEFT, subject_markup);
      y = 115;
      text (cr, 20, y, 0, "Serif 11", PANGO_ALIGN_LEFT, "Madame,");
      y += 9;
    }
  else
    {
      rgb (cr, 0.3, 0.3, 0.3);
      text (cr, 20, 15, 0, "Sans 8", PANGO_ALIGN_LEFT, "Dossier n° 0457 1289 B — suite");
      rgb (cr, 0, 0, 0);
      y = 28;
    }
  while (y < (second_page ? 240 : 225))
    {
      g_autofree char *paragraph = make_paragraph (rng, 3 + (int) (rng_next (rng) % 3));
      g_autofree char *escaped = g_markup_escape_text (paragraph, -1);

      y += text (cr, 20, y, 170, "Serif 11", PANGO_ALIGN_LEFT, escaped) + 4;
    }
  text (cr, 20, y + 2, 170, "Serif 11", PANGO_ALIGN_LEFT,
        "Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.");
  text (cr, 120, y + 14, 0, "Serif 11", PANGO_ALIGN_LEFT, "Le directeur,");
  scribble (cr, rng, 122, y + 21, 40, 10, 6);
  rgb (cr, 0.4, 0.4, 0.4);
  text (cr, 20, 282, 170, "Sans 7", PANGO_ALIGN_CENTER,
        "Caisse d'allocations familiales — www.caf.example — Accueil du lundi au vendredi de 8 h 30 à 16 h 30");
}

static void
draw_payslip (cairo_t *cr, Rng *rng)
{
  /* clang-format off */
  static const char * const lines[] = {
    "Salaire de base", "Heures supplémentaires 25 %", "Prime d'ancienneté", "Indemnité de transport",
    "Sécurité sociale plafonnée", "Sécurité sociale déplafonnée", "Complémentaire tranche 1",
    "Assurance chômage", "CSG déductible", "CSG/CRDS non déductible", "Mutuelle", "Prévoyance",
    "Titres-restaurant", "Acompte", "Congés payés pris", "Absence non rémunérée",
    "Réduction générale", "Contribution solidarité", "Formation professionnelle", "Taxe d'apprentissage",
    "Versement mobilité", "Allocations familiales",
  };
  /* clang-format on */
  double y = 78, row = 7;

  cairo_set_line_width (cr, 0.25);
  rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 15, 15, 180, 22);
  cairo_stroke (cr);
  text (cr, 20, 18, 0, "Sans Bold 14", PANGO_ALIGN_LEFT, "BULLETIN DE PAIE");
  text (cr, 20, 27, 0, "Sans 9", PANGO_ALIGN_LEFT, "Période du 01/10/2026 au 31/10/2026 — Paiement le 31/10/2026");
  text (cr, 15, 42, 0, "Sans 9", PANGO_ALIGN_LEFT,
        "<b>Nettoyage Services SARL</b>\n4 rue de la Gare\n93200 Saint-Denis\nSIRET 512 345 678 00021");
  text (cr, 115, 42, 0, "Sans 9", PANGO_ALIGN_LEFT,
        "<b>M. Karim BENALI</b>\nAgent de propreté — coeff. 150\nEntré le 02/03/2021\nN° SS 1 85 07 93 066 042 17");
  /* Header row, dark, white text. */
  rgb (cr, 0.25, 0.25, 0.25);
  cairo_rectangle (cr, 15, y - row, 180, row);
  cairo_fill (cr);
  rgb (cr, 1, 1, 1);
  text (cr, 17, y - row + 1.5, 0, "Sans Bold 8", PANGO_ALIGN_LEFT, "Rubrique");
  text (cr, 97, y - row + 1.5, 0, "Sans Bold 8", PANGO_ALIGN_LEFT, "Base");
  text (cr, 127, y - row + 1.5, 0, "Sans Bold 8", PANGO_ALIGN_LEFT, "Taux");
  text (cr, 162, y - row + 1.5, 0, "Sans Bold 8", PANGO_ALIGN_LEFT, "Montant");
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++, y += row)
    {
      char number[64];

      if (i % 2 == 1)
        {
          rgb (cr, 0.92, 0.92, 0.92);
          cairo_rectangle (cr, 15, y, 180, row);
          cairo_fill (cr);
        }
      rgb (cr, 0, 0, 0);
      text (cr, 17, y + 1.5, 0, "Sans 8", PANGO_ALIGN_LEFT, lines[i]);
      g_snprintf (number, sizeof number, "%.2f", rng_range (rng, 50, 2500));
      text (cr, 97, y + 1.5, 0, "Sans 8", PANGO_ALIGN_LEFT, number);
      g_snprintf (number, sizeof number, "%.3f", rng_range (rng, 0.1, 9));
      text (cr, 127, y + 1.5, 0, "Sans 8", PANGO_ALIGN_LEFT, number);
      g_snprintf (number, sizeof number, "%.2f", rng_range (rng, 1, 400));
      text (cr, 162, y + 1.5, 0, "Sans 8", PANGO_ALIGN_LEFT, number);
    }
  rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 15, 78 - row, 180, y - 78 + row);
  cairo_move_to (cr, 95, 78 - row);
  cairo_line_to (cr, 95, y);
  cairo_move_to (cr, 125, 78 - row);
  cairo_line_to (cr, 125, y);
  cairo_move_to (cr, 160, 78 - row);
  cairo_line_to (cr, 160, y);
  cairo_stroke (cr);
  rgb (cr, 0.85, 0.9, 0.97);
  cairo_rectangle (cr, 120, y + 8, 75, 14);
  cairo_fill_preserve (cr);
  rgb (cr, 0, 0, 0);
  cairo_stroke (cr);
  text (cr, 124, y + 11, 0, "Sans Bold 11", PANGO_ALIGN_LEFT, "NET À PAYER  1 642,37 €");
  text (cr, 15, y + 30, 180, "Sans 7", PANGO_ALIGN_LEFT,
        "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin "
        "de paie sans limitation de durée. Rubrique dédiée au bulletin de paie sur le portail "
        "www.service-public.fr.");
}

static void
draw_tax_notice (cairo_t *cr, Rng *rng)
{
  double y = 110;

  rgb (cr, 0.86, 0.91, 0.97);
  cairo_rectangle (cr, 0, 12, A4_W_MM, 26);
  cairo_fill (cr);
  rgb (cr, 0.0, 0.15, 0.45);
  text (cr, 20, 16, 0, "Sans Bold 17", PANGO_ALIGN_LEFT, "AVIS D'IMPÔT 2026");
  text (cr, 20, 27, 0, "Sans 10", PANGO_ALIGN_LEFT, "sur les revenus de l'année 2025");
  rgb (cr, 0, 0, 0);
  text (cr, 115, 45, 0, "Sans 10", PANGO_ALIGN_LEFT,
        "M. ou Mme NGUYEN VAN AN\n8 rue Jean Jaurès\n93200 SAINT-DENIS");
  rgb (cr, 0.95, 0.95, 0.9);
  cairo_rectangle (cr, 15, 45, 90, 50);
  cairo_fill (cr);
  rgb (cr, 0, 0, 0);
  text (cr, 18, 48, 84, "Sans 8", PANGO_ALIGN_LEFT,
        "Numéro fiscal : 30 12 345 678 901\nRéférence de l'avis : 26 93 A123456 78\n"
        "Nombre de parts : 2,5\nRevenu fiscal de référence : 23 418 €\nDate de mise en recouvrement : 31/07/2026");
  /* A 2-D barcode: the edges a scanner smudges. */
  for (int i = 0; i < 26; i++)
    for (int j = 0; j < 26; j++)
      if (i == 0 || j == 25 || (rng_next (rng) & 1))
        {
          cairo_rectangle (cr, 170 + j * 0.6, 45 + i * 0.6, 0.6, 0.6);
          cairo_fill (cr);
        }
  for (int block = 0; block < 4; block++)
    {
      rgb (cr, 0.0, 0.15, 0.45);
      text (cr, 15, y, 0, "Sans Bold 10", PANGO_ALIGN_LEFT, block % 2 ? "Détail des revenus" : "Calcul de l'impôt");
      y += 7;
      for (int r = 0; r < 8; r++, y += 5.5)
        {
          char             number[32];
          g_autofree char *label = make_sentence (rng, 4);

          if (r % 2 == 0)
            {
              rgb (cr, 0.93, 0.95, 0.99);
              cairo_rectangle (cr, 15, y - 0.5, 180, 5.5);
              cairo_fill (cr);
            }
          rgb (cr, 0, 0, 0);
          text (cr, 17, y, 0, "Sans 8", PANGO_ALIGN_LEFT, label);
          g_snprintf (number, sizeof number, "%d €", (int) rng_range (rng, 10, 30000));
          text (cr, 160, y, 30, "Sans 8", PANGO_ALIGN_RIGHT, number);
        }
      y += 6;
    }
  rgb (cr, 0.3, 0.3, 0.3);
  text (cr, 15, 280, 180, "Sans 6.5", PANGO_ALIGN_LEFT,
        "Pour toute question, connectez-vous à votre espace particulier sur impots.gouv.fr "
        "ou rendez-vous dans votre centre des finances publiques.");
}

/* A face, or something near enough for a camera's smooth shading. */
static void
draw_face (cairo_t *cr, double x, double y, double w, double h)
{
  cairo_pattern_t *p;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  p = cairo_pattern_create_linear (x, y, x, y + h);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.78, 0.82, 0.86);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.6, 0.65, 0.72);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  /* Shoulders. */
  cairo_arc (cr, x + w / 2, y + h * 1.15, w * 0.55, G_PI, 2 * G_PI);
  rgb (cr, 0.15, 0.18, 0.28);
  cairo_fill (cr);
  /* Face. */
  p = cairo_pattern_create_radial (x + w * 0.45, y + h * 0.4, 1, x + w / 2, y + h * 0.45, w * 0.35);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.86, 0.68, 0.55);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.55, 0.38, 0.28);
  cairo_save (cr);
  cairo_translate (cr, x + w / 2, y + h * 0.45);
  cairo_scale (cr, w * 0.27, h * 0.27);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  /* Hair, eyes, mouth. */
  cairo_save (cr);
  cairo_translate (cr, x + w / 2, y + h * 0.3);
  cairo_scale (cr, w * 0.29, h * 0.16);
  cairo_arc (cr, 0, 0, 1, G_PI, 2 * G_PI);
  cairo_restore (cr);
  rgb (cr, 0.12, 0.08, 0.05);
  cairo_fill (cr);
  cairo_arc (cr, x + w * 0.4, y + h * 0.45, w * 0.03, 0, 2 * G_PI);
  cairo_arc (cr, x + w * 0.6, y + h * 0.45, w * 0.03, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_set_line_width (cr, w * 0.02);
  rgb (cr, 0.5, 0.2, 0.2);
  cairo_arc (cr, x + w / 2, y + h * 0.52, w * 0.1, 0.4, G_PI - 0.4);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_id_card (cairo_t *cr, Rng *rng, gboolean verso)
{
  double           x = 25, y = 25, w = 85.6, h = 54;
  cairo_pattern_t *p;

  /* The card is alone on the glass; the lid around it. */
  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, x + 3, y + 3, 3, G_PI, 1.5 * G_PI);
  cairo_arc (cr, x + w - 3, y + 3, 3, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, x + w - 3, y + h - 3, 3, 0, 0.5 * G_PI);
  cairo_arc (cr, x + 3, y + h - 3, 3, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
  cairo_clip (cr);
  p = cairo_pattern_create_linear (x, y, x + w, y + h);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.93, 0.85, 0.9);
  cairo_pattern_add_color_stop_rgb (p, 0.5, 0.86, 0.92, 0.96);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.9, 0.95, 0.86);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  /* Guilloche: fine interleaved sine lines. */
  cairo_set_line_width (cr, 0.08);
  for (int k = 0; k < 40; k++)
    {
      double phase = k * 0.31;

      cairo_set_source_rgba (cr, 0.3 + 0.4 * (k % 3 == 0), 0.35, 0.6 + 0.3 * (k % 2), 0.55);
      for (double t = 0; t <= w; t += 0.4)
        {
          double yy = y + h / 2 + (h / 2.2) * sin (t * 0.18 + phase) * cos (t * 0.05 + phase * 0.7);

          if (t == 0)
            cairo_move_to (cr, x + t, yy);
          else
            cairo_line_to (cr, x + t, yy);
        }
      cairo_stroke (cr);
    }
  rgb (cr, 0.1, 0.15, 0.4);
  text (cr, x + 4, y + 2.5, 0, "Sans Bold 6.5", PANGO_ALIGN_LEFT, "RÉPUBLIQUE FRANÇAISE");
  if (!verso)
    {
      text (cr, x + 4, y + 6.5, 0, "Sans 5", PANGO_ALIGN_LEFT, "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD");
      draw_face (cr, x + 4, y + 12, 25, 32);
      rgb (cr, 0, 0, 0);
      text (cr, x + 33, y + 12, 0, "Sans 5.5", PANGO_ALIGN_LEFT,
            "NOM / Surname\n<b>MARTIN</b>\nPrénoms / Given names\n<b>Léa, Marie</b>\n"
            "Sexe  F     Nationalité  FRA\nDate de naiss.  12 03 1994\nLieu de naissance  LYON");
      scribble (cr, rng, x + 34, y + 44, 28, 5, 4);
    }
  else
    {
      rgb (cr, 0, 0, 0);
      text (cr, x + 4, y + 8, 0, "Sans 5.5", PANGO_ALIGN_LEFT,
            "Adresse : 3 place du Marché\n69002 LYON\nDate de délivrance : 05 06 2021\n"
            "Date d'expiration : 04 06 2031\nN° du document : X4RTBPFW4");
      rgb (cr, 1, 1, 1);
      cairo_rectangle (cr, x, y + h - 16, w, 16);
      cairo_fill (cr);
      rgb (cr, 0, 0, 0);
      text (cr, x + 3, y + h - 15, 0, "Mono 7", PANGO_ALIGN_LEFT,
            "IDFRAX4RTBPFW46&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;\n"
            "9403121F3106041FRA&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;4\n"
            "MARTIN&lt;&lt;LEA&lt;MARIE&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;");
    }
  cairo_restore (cr);
}

/* Value noise over a grid of @cell pixels: a photo's and a paper's
 * slowly varying texture, amplitude ±1. */
static float *
value_noise (Rng *rng, int width, int height, int cell)
{
  int               gw = width / cell + 2, gh = height / cell + 2;
  g_autofree float *grid = g_new (float, (gsize) gw *gh);
  float            *out = g_new (float, (gsize) width *height);

  for (int i = 0; i < gw * gh; i++)
    grid[i] = (float) rng_range (rng, -1, 1);
  for (int y = 0; y < height; y++)
    {
      int   gy = y / cell;
      float fy = (float) (y % cell) / cell;

      for (int x = 0; x < width; x++)
        {
          int   gx = x / cell;
          float fx = (float) (x % cell) / cell;
          float a = grid[gy * gw + gx], b = grid[gy * gw + gx + 1];
          float c = grid[(gy + 1) * gw + gx], d = grid[(gy + 1) * gw + gx + 1];

          out[(gsize) y * width + x] = (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
        }
    }
  return out;
}

static void
draw_photo (cairo_t *cr, Rng *rng, double px_per_mm)
{
  double           x = 15, y = 20, w = 180, h = 240;
  cairo_pattern_t *p;
  cairo_surface_t *target = cairo_get_target (cr);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  p = cairo_pattern_create_linear (0, y, 0, y + h * 0.55);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.25, 0.45, 0.8);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.95, 0.75, 0.55);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  p = cairo_pattern_create_radial (x + w * 0.7, y + h * 0.42, 2, x + w * 0.7, y + h * 0.42, 40);
  cairo_pattern_add_color_stop_rgba (p, 0, 1, 0.95, 0.8, 1);
  cairo_pattern_add_color_stop_rgba (p, 0.25, 1, 0.85, 0.5, 0.9);
  cairo_pattern_add_color_stop_rgba (p, 1, 1, 0.7, 0.4, 0);
  cairo_set_source (cr, p);
  cairo_paint (cr);
  cairo_pattern_destroy (p);
  /* Mountains, then hills, each a ragged silhouette. */
  for (int layer = 0; layer < 3; layer++)
    {
      double base = y + h * (0.45 + 0.1 * layer), yy = base;

      cairo_move_to (cr, x, y + h);
      for (double t = 0; t <= w; t += 1.5)
        {
          yy += rng_range (rng, -2.2, 2.2) + (base - 25 + 10 * layer - yy) * 0.03;
          cairo_line_to (cr, x + t, yy);
        }
      cairo_line_to (cr, x + w, y + h);
      cairo_close_path (cr);
      rgb (cr, 0.25 - 0.07 * layer, 0.3 + 0.1 * layer, 0.35 - 0.1 * layer);
      cairo_fill (cr);
    }
  /* A lake, trees. */
  p = cairo_pattern_create_linear (0, y + h * 0.8, 0, y + h);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.35, 0.5, 0.65);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.1, 0.2, 0.3);
  cairo_set_source (cr, p);
  cairo_rectangle (cr, x, y + h * 0.8, w, h * 0.2);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  for (int i = 0; i < 30; i++)
    {
      double tx = x + rng_range (rng, 0, w), ty = y + h * rng_range (rng, 0.62, 0.8), th = rng_range (rng, 8, 25);

      cairo_move_to (cr, tx, ty - th);
      cairo_line_to (cr, tx - th / 4, ty);
      cairo_line_to (cr, tx + th / 4, ty);
      cairo_close_path (cr);
      rgb (cr, 0.05, rng_range (rng, 0.18, 0.3), 0.08);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  /* A camera's fine detail: foliage, grain, over the whole photo. */
  cairo_surface_flush (target);
  {
    int               stride = cairo_image_surface_get_stride (target);
    guint8           *data = cairo_image_surface_get_data (target);
    int               x0 = (int) (x * px_per_mm), y0 = (int) (y * px_per_mm);
    int               pw = (int) (w * px_per_mm), ph = (int) (h * px_per_mm);
    g_autofree float *fine = value_noise (rng, pw, ph, 3);
    g_autofree float *mid = value_noise (rng, pw, ph, 17);

    for (int j = 0; j < ph; j++)
      {
        guint32 *row = (guint32 *) (data + (gsize) (y0 + j) * stride) + x0;

        for (int i = 0; i < pw; i++)
          {
            float   n = 14 * fine[(gsize) j * pw + i] + 10 * mid[(gsize) j * pw + i];
            guint32 v = row[i];
            int     r = CLAMP ((int) ((v >> 16) & 0xff) + (int) n, 0, 255);
            int     g = CLAMP ((int) ((v >> 8) & 0xff) + (int) (n * 1.1f), 0, 255);
            int     b = CLAMP ((int) (v & 0xff) + (int) (n * 0.8f), 0, 255);

            row[i] = 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | (guint32) b;
          }
      }
    cairo_surface_mark_dirty (target);
  }
}

static void
draw_form (cairo_t *cr, Rng *rng)
{
  /* clang-format off */
  static const char * const labels[] = {
    "Nom de naissance", "Prénom(s)", "Date de naissance", "Adresse", "Code postal et commune",
    "Téléphone", "Adresse électronique", "Numéro d'allocataire", "Nombre d'enfants à charge",
    "Montant du loyer mensuel", "Nom du bailleur",
  };
  /* clang-format on */
  /* clang-format off */
  static const char * const answers[] = {
    "Kowalski", "Anna", "3 avril 1979", "27 rue Gabriel Péri", "93200 Saint-Denis",
    "06 12 34 56 78", "anna.k@example.org", "2 345 678", "deux", "612 euros", "Plaine Commune Habitat",
  };
  /* clang-format on */
  double y = 50;

  rgb (cr, 0, 0, 0);
  text (cr, 20, 18, 170, "Sans Bold 14", PANGO_ALIGN_CENTER, "DEMANDE D'AIDE AU LOGEMENT");
  text (cr, 20, 27, 170, "Sans 8", PANGO_ALIGN_CENTER,
        "Formulaire à remplir en lettres lisibles et à retourner avec les pièces justificatives");
  cairo_set_line_width (cr, 0.25);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++, y += 15)
    {
      g_autofree char *markup = g_markup_printf_escaped ("%s", answers[i]);

      rgb (cr, 0, 0, 0);
      text (cr, 20, y, 0, "Sans 8", PANGO_ALIGN_LEFT, labels[i]);
      rgb (cr, 0.4, 0.4, 0.4);
      cairo_rectangle (cr, 75, y - 3, 115, 9);
      cairo_stroke (cr);
      /* The hand: a script face, each answer a little askew and in blue. */
      cairo_save (cr);
      cairo_translate (cr, 78 + rng_range (rng, 0, 4), y - 3.5 + rng_range (rng, -0.6, 0.6));
      cairo_rotate (cr, rng_range (rng, -0.03, 0.03));
      rgb (cr, 0.08, 0.12, 0.5);
      text (cr, 0, 0, 0, "Z003 15", PANGO_ALIGN_LEFT, markup);
      cairo_restore (cr);
    }
  rgb (cr, 0, 0, 0);
  text (cr, 20, y + 4, 170, "Sans 8", PANGO_ALIGN_LEFT,
        "Situation :   ☐ célibataire   ☐ marié(e)   ☐ pacsé(e)   ☐ séparé(e)   ☐ veuf(ve)");
  /* A cross in the second box, by hand. */
  cairo_save (cr);
  cairo_set_line_width (cr, 0.45);
  rgb (cr, 0.08, 0.12, 0.5);
  cairo_move_to (cr, 58.5, y + 4.5);
  cairo_line_to (cr, 62, y + 8);
  cairo_move_to (cr, 62, y + 4.5);
  cairo_line_to (cr, 58.5, y + 8);
  cairo_stroke (cr);
  cairo_restore (cr);
  text (cr, 20, y + 16, 170, "Sans 8", PANGO_ALIGN_LEFT,
        "Je certifie sur l'honneur l'exactitude des renseignements portés sur ce formulaire.");
  rgb (cr, 0.4, 0.4, 0.4);
  cairo_rectangle (cr, 120, y + 26, 70, 30);
  cairo_stroke (cr);
  text (cr, 122, y + 27, 0, "Sans 7", PANGO_ALIGN_LEFT, "Date et signature");
  scribble (cr, rng, 128, y + 38, 45, 10, 7);
}

/* A typed letter whose every word is known: the first line is the
 * sender's name beside a logo, the rest one paragraph per line of @typed. */
static void
draw_typed_text (cairo_t *cr, const char *typed)
{
  g_auto(GStrv) lines = g_strsplit (typed, "\n", -1);
  double y = 42;

  if (lines[0] == NULL)
    return;
  cairo_arc (cr, 29, 24, 9, 0, 2 * G_PI);
  rgb (cr, 0.05, 0.33, 0.68);
  cairo_fill (cr);
  cairo_arc (cr, 29, 24, 5.5, 0.3, 2.6);
  cairo_set_line_width (cr, 2.2);
  rgb (cr, 0.9, 0.55, 0.1);
  cairo_stroke (cr);
  {
    g_autofree char *name = g_markup_escape_text (lines[0], -1);

    rgb (cr, 0.05, 0.33, 0.68);
    text (cr, 42, 19, 0, "Sans Bold 15", PANGO_ALIGN_LEFT, name);
  }
  rgb (cr, 0, 0, 0);
  for (int i = 1; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (lines[i], -1);

      if (lines[i][0] == '\0')
        {
          y += 3;
          continue;
        }
      y += text (cr, 20, y, 170, "Serif 11", PANGO_ALIGN_LEFT, escaped) + 1.2;
    }
}

/* ------------------------------------------------------------------------ */
/* The scanner's degradations. */

/* The paper's grain: slow blotches and fibres, ±2.5 %, on paper and ink alike. */
static void
apply_texture (guint32 *pixels, int width, int height, Rng *rng)
{
  g_autofree float *slow = value_noise (rng, width, height, 64);
  g_autofree float *fibre = value_noise (rng, width, height, 2);

  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      float   f = 1.0f + 0.015f * slow[i] + 0.01f * fibre[i];
      guint32 v = pixels[i];
      int     r = MIN (255, (int) (((v >> 16) & 0xff) * f));
      int     g = MIN (255, (int) (((v >> 8) & 0xff) * f));
      int     b = MIN (255, (int) ((v & 0xff) * f));

      pixels[i] = 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | (guint32) b;
    }
}

/* The sheet where it lies: rotated by @angle about its centre, shifted a
 * little, on @backing (the lid or the feeder's dark plate). */
static cairo_surface_t *
place_on_glass (cairo_surface_t *sheet, double angle, double dx, double dy, double backing)
{
  int              width = cairo_image_surface_get_width (sheet);
  int              height = cairo_image_surface_get_height (sheet);
  cairo_surface_t *glass = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t         *cr = cairo_create (glass);

  cairo_set_source_rgb (cr, backing, backing, backing);
  cairo_paint (cr);
  cairo_translate (cr, width / 2.0 + dx, height / 2.0 + dy);
  cairo_rotate (cr, angle * G_PI / 180);
  cairo_translate (cr, -width / 2.0, -height / 2.0);
  cairo_set_source_surface (cr, sheet, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (glass);
  return glass;
}

/* Cairo's xRGB words to a page's R G B bytes, with the optics' slight
 * blur ([1 2 1] / 4 both ways) and the sensor's noise when @scanned. */
static RelaisPage *
surface_to_page (cairo_surface_t *surface, int dpi, gboolean scanned, Rng *rng)
{
  int           width = cairo_image_surface_get_width (surface);
  int           height = cairo_image_surface_get_height (surface);
  int           stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  gsize         row_bytes = (gsize) width * 3;
  guint8       *out = g_malloc (row_bytes * height);

  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);
      guint8        *o = out + (gsize) y * row_bytes;

      for (int x = 0; x < width; x++)
        {
          o[3 * x] = (row[x] >> 16) & 0xff;
          o[3 * x + 1] = (row[x] >> 8) & 0xff;
          o[3 * x + 2] = row[x] & 0xff;
        }
    }

  if (scanned)
    {
      g_autofree guint16 *h = g_new (guint16, row_bytes * height);

      for (int y = 0; y < height; y++)
        {
          const guint8 *o = out + (gsize) y * row_bytes;
          guint16      *hr = h + (gsize) y * row_bytes;

          for (gsize i = 0; i < row_bytes; i++)
            {
              int left = i >= 3 ? o[i - 3] : o[i];
              int right = i + 3 < row_bytes ? o[i + 3] : o[i];

              hr[i] = (guint16) (left + 2 * o[i] + right);
            }
        }
      for (int y = 0; y < height; y++)
        {
          const guint16 *up = h + (gsize) MAX (0, y - 1) * row_bytes;
          const guint16 *mid = h + (gsize) y * row_bytes;
          const guint16 *down = h + (gsize) MIN (height - 1, y + 1) * row_bytes;
          guint8        *o = out + (gsize) y * row_bytes;

          for (gsize i = 0; i < row_bytes; i += 3)
            {
              /* Noise: a shared luminance part and a colour part per
               * channel, roughly normal (sum of uniforms), σ ≈ 2.5. */
              int shared = (int) (rng_next (rng) % 5) + (int) (rng_next (rng) % 5) - 4;

              for (int c = 0; c < 3; c++)
                {
                  int v = (up[i + c] + 2 * mid[i + c] + down[i + c] + 8) / 16;
                  int own = (int) (rng_next (rng) % 4) + (int) (rng_next (rng) % 4) - 3;

                  o[i + c] = (guint8) CLAMP (v + shared + own, 0, 255);
                }
            }
        }
    }
  return relais_page_new (RELAIS_PAGE_RGB, width, height, (int) row_bytes, dpi,
                          g_bytes_new_take (out, row_bytes * height));
}

static void
render_sheet (RelaisTestPaperKind kind,
              const char         *typed,
              guint               seed,
              int                 dpi,
              gboolean            askew,
              RelaisPage        **out_clean,
              RelaisPage        **out_scanned,
              double             *out_angle);

void
relais_test_paper_render (RelaisTestPaperKind kind,
                          guint               seed,
                          int                 dpi,
                          RelaisPage        **out_clean,
                          RelaisPage        **out_scanned,
                          double             *out_angle)
{
  render_sheet (kind, NULL, seed, dpi, TRUE, out_clean, out_scanned, out_angle);
}

void
relais_test_paper_render_typed (const char  *typed,
                                guint        seed,
                                int          dpi,
                                gboolean     degraded,
                                RelaisPage **out_page)
{
  RelaisPage *clean = NULL, *scanned = NULL;

  render_sheet (RELAIS_TEST_PAPER_LETTER, typed, seed, dpi, degraded,
                degraded ? NULL : &clean, degraded ? &scanned : NULL, NULL);
  if (degraded)
    {
      /* What a cheap scanner's JPEG leaves: blocks and ringing. */
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_bytes (
          relais_page_get_bytes (scanned), GDK_COLORSPACE_RGB, FALSE, 8,
          relais_page_get_width (scanned), relais_page_get_height (scanned),
          relais_page_get_stride (scanned));
      g_autofree char *jpeg = NULL;
      gsize            jpeg_size = 0;
      g_autoptr(GdkPixbuf) back = NULL;
      g_autoptr(GError) error = NULL;
      int     width, height, stride;
      guint8 *out;

      g_assert (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", NULL, "quality", "55", NULL));
      {
        g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", &error);

        g_assert_no_error (error);
        g_assert_true (gdk_pixbuf_loader_write (loader, (const guchar *) jpeg, jpeg_size, &error));
        g_assert_true (gdk_pixbuf_loader_close (loader, &error));
        back = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
      }
      width = gdk_pixbuf_get_width (back);
      height = gdk_pixbuf_get_height (back);
      stride = gdk_pixbuf_get_rowstride (back);
      out = g_malloc ((gsize) width * 3 * height);
      for (int y = 0; y < height; y++)
        memcpy (out + (gsize) y * width * 3, gdk_pixbuf_read_pixels (back) + (gsize) y * stride,
                (gsize) width * 3);
      *out_page = relais_page_new (RELAIS_PAGE_RGB, width, height, width * 3,
                                   relais_page_get_dpi (scanned),
                                   g_bytes_new_take (out, (gsize) width * 3 * height));
      relais_page_unref (scanned);
    }
  else
    *out_page = clean;
}

static void
render_sheet (RelaisTestPaperKind kind,
              const char         *typed,
              guint               seed,
              int                 dpi,
              gboolean            askew,
              RelaisPage        **out_clean,
              RelaisPage        **out_scanned,
              double             *out_angle)
{
  double                px_per_mm = dpi / 25.4;
  int                   width = (int) lround (A4_W_MM * px_per_mm);
  int                   height = (int) lround (A4_H_MM * px_per_mm);
  gboolean              on_lid = kind == RELAIS_TEST_PAPER_ID_RECTO || kind == RELAIS_TEST_PAPER_ID_VERSO;
  cairo_surface_t      *sheet = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_surface_t      *textured, *clean, *scanned;
  cairo_font_options_t *font_options = cairo_font_options_create ();
  cairo_t              *cr = cairo_create (sheet);
  Rng                   rng;
  double                angle, dx, dy, backing;

  rng_init (&rng, (guint64) seed * 131 + (guint64) kind);
  angle = rng_range (&rng, 0.5, 2.0) * ((rng_next (&rng) & 1) ? 1 : -1);
  /* A card lies on the glass under the white lid; a sheet fed or laid on
   * the glass of a scanner whose plate is dark, a little off its corner. */
  backing = on_lid ? 0.97 : 0.16;
  dx = on_lid ? 0 : rng_range (&rng, 6, 14);
  dy = on_lid ? 0 : rng_range (&rng, 6, 14);
  if (!askew)
    angle = dx = dy = 0;

  /* Paper is never quite white. */
  if (on_lid)
    cairo_set_source_rgb (cr, 0.97, 0.97, 0.97);
  else
    cairo_set_source_rgb (cr, 0.975, 0.965, 0.94);
  cairo_paint (cr);
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options (cr, font_options);
  cairo_font_options_destroy (font_options);
  cairo_scale (cr, px_per_mm, px_per_mm);
  switch (kind)
    {
    case RELAIS_TEST_PAPER_LETTER:
      if (typed != NULL)
        draw_typed_text (cr, typed);
      else
        draw_letter (cr, &rng, seed % 3 == 2);
      break;
    case RELAIS_TEST_PAPER_PAYSLIP:
      draw_payslip (cr, &rng);
      break;
    case RELAIS_TEST_PAPER_TAX_NOTICE:
      draw_tax_notice (cr, &rng);
      break;
    case RELAIS_TEST_PAPER_ID_RECTO:
    case RELAIS_TEST_PAPER_ID_VERSO:
      draw_id_card (cr, &rng, kind == RELAIS_TEST_PAPER_ID_VERSO);
      break;
    case RELAIS_TEST_PAPER_PHOTO:
      draw_photo (cr, &rng, px_per_mm);
      break;
    case RELAIS_TEST_PAPER_FORM:
      draw_form (cr, &rng);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_destroy (cr);
  cairo_surface_flush (sheet);

  clean = place_on_glass (sheet, angle, dx, dy, backing);
  textured = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  g_assert (cairo_image_surface_get_stride (textured) == width * 4);
  memcpy (cairo_image_surface_get_data (textured), cairo_image_surface_get_data (sheet),
          (gsize) width * 4 * height);
  apply_texture ((guint32 *) cairo_image_surface_get_data (textured), width, height, &rng);
  cairo_surface_mark_dirty (textured);
  scanned = place_on_glass (textured, angle, dx, dy, backing);

  if (out_clean != NULL)
    *out_clean = surface_to_page (clean, dpi, FALSE, &rng);
  if (out_scanned != NULL)
    *out_scanned = surface_to_page (scanned, dpi, TRUE, &rng);
  if (out_angle != NULL)
    *out_angle = angle;
  cairo_surface_destroy (sheet);
  cairo_surface_destroy (textured);
  cairo_surface_destroy (clean);
  cairo_surface_destroy (scanned);
}

/* ------------------------------------------------------------------------ */
/* Files. */

gboolean
relais_test_page_write_pnm (const RelaisPage *page,
                            const char       *path,
                            GError          **error)
{
  gboolean           grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  int                width = relais_page_get_width (page), height = relais_page_get_height (page);
  gsize              row_bytes = (gsize) width * (grey ? 1 : 3);
  g_autofree char   *header = g_strdup_printf ("P%c\n%d %d\n255\n", grey ? '5' : '6', width, height);
  gsize              header_len = strlen (header);
  g_autofree guint8 *file = g_malloc (header_len + row_bytes * height);

  memcpy (file, header, header_len);
  for (int y = 0; y < height; y++)
    memcpy (file + header_len + (gsize) y * row_bytes,
            relais_page_get_data (page) + (gsize) y * relais_page_get_stride (page), row_bytes);
  return g_file_set_contents (path, (const char *) file, (gssize) (header_len + row_bytes * height), error);
}

RelaisPage *
relais_test_page_read_pnm (const char *path,
                           int         dpi,
                           GError    **error)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;
  char             magic = 0;
  int              width = 0, height = 0, maxval = 0, consumed = 0;
  gsize            row_bytes;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (sscanf (contents, "P%c %d %d %d%n", &magic, &width, &height, &maxval, &consumed) != 4
      || (magic != '5' && magic != '6') || maxval != 255 || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a binary 8-bit PNM", path);
      return NULL;
    }
  consumed++; /* the one whitespace byte after maxval */
  row_bytes = (gsize) width * (magic == '6' ? 3 : 1);
  if (length < (gsize) consumed + row_bytes * height)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: truncated", path);
      return NULL;
    }
  return relais_page_new (magic == '6' ? RELAIS_PAGE_RGB : RELAIS_PAGE_GRAY, width, height,
                          (int) row_bytes, dpi,
                          g_bytes_new (contents + consumed, row_bytes * height));
}

gboolean
relais_test_page_write_png (const RelaisPage *page,
                            int               max_width,
                            const char       *path,
                            GError          **error)
{
  int              width = relais_page_get_width (page), height = relais_page_get_height (page);
  int              step = MAX (1, (width + max_width - 1) / max_width);
  int              out_w = width / step, out_h = height / step;
  gboolean         grey = relais_page_get_format (page) == RELAIS_PAGE_GRAY;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, out_w, out_h);
  int              stride = cairo_image_surface_get_stride (surface);
  guint8          *data = cairo_image_surface_get_data (surface);
  cairo_status_t   status;

  /* A box average over step × step pixels. */
  for (int y = 0; y < out_h; y++)
    for (int x = 0; x < out_w; x++)
      {
        guint sum[3] = { 0, 0, 0 };

        for (int j = 0; j < step; j++)
          {
            const guint8 *in = relais_page_get_data (page)
                               + (gsize) (y * step + j) * relais_page_get_stride (page);

            for (int i = 0; i < step; i++)
              for (int c = 0; c < 3; c++)
                sum[c] += grey ? in[x * step + i] : in[3 * (x * step + i) + c];
          }
        ((guint32 *) (data + (gsize) y * stride))[x] =
            0xff000000u | (sum[0] / (step * step)) << 16 | (sum[1] / (step * step)) << 8 | sum[2] / (step * step);
      }
  cairo_surface_mark_dirty (surface);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
