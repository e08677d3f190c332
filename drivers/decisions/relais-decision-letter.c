/* relais-decision-letter.c: the written decisions of a domiciliation, drawn with
 * cairo and Pango on A4 pages (see relais-decision-letter.h). */

#include "relais-decision-letter.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (relais-decision-letter-error-quark, relais_decision_letter_error);

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 50.0
#define WIDTH  (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN)

/* Where the next line goes, and the page it goes on. */
typedef struct {
  cairo_t *cr;
  double   y;
} Pen;

static void
next_page_if (Pen *pen, double height)
{
  if (pen->y + height <= BOTTOM)
    return;
  cairo_show_page (pen->cr);
  pen->y = MARGIN;
}

static PangoLayout *
layout_new (cairo_t *cr, double size, gboolean bold, double width, const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, "DejaVu Sans");
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Text at @x (from the margin), @width wide, wrapped; returns its height
 * without moving the pen. */
static double
text_at (Pen *pen, double x, double width, double size, gboolean bold, PangoAlignment align, const char *text)
{
  g_autoptr(PangoLayout) layout = layout_new (pen->cr, size, bold, width, text);
  int height;

  pango_layout_set_alignment (layout, align);
  pango_layout_get_size (layout, NULL, &height);
  next_page_if (pen, (double) height / PANGO_SCALE);
  cairo_set_source_rgb (pen->cr, 0, 0, 0);
  cairo_move_to (pen->cr, MARGIN + x, pen->y);
  pango_cairo_show_layout (pen->cr, layout);
  return (double) height / PANGO_SCALE;
}

static void
para (Pen *pen, double size, gboolean bold, const char *text)
{
  pen->y += text_at (pen, 0, WIDTH, size, bold, PANGO_ALIGN_LEFT, text) + size * 0.6;
}

static void
centred (Pen *pen, double size, gboolean bold, const char *text)
{
  pen->y += text_at (pen, 0, WIDTH, size, bold, PANGO_ALIGN_CENTER, text) + size * 0.4;
}

/* A Cerfa section: its title white on a dark band. */
static void
band (Pen *pen, const char *title)
{
  g_autoptr(PangoLayout) layout = layout_new (pen->cr, 10, TRUE, WIDTH - 12, title);

  next_page_if (pen, 60);
  pen->y += 6;
  cairo_set_source_rgb (pen->cr, 0.2, 0.2, 0.2);
  cairo_rectangle (pen->cr, MARGIN, pen->y, WIDTH, 18);
  cairo_fill (pen->cr);
  cairo_set_source_rgb (pen->cr, 1, 1, 1);
  cairo_move_to (pen->cr, MARGIN + 6, pen->y + 3);
  pango_cairo_show_layout (pen->cr, layout);
  pen->y += 24;
}

/* A form's field: its label, the value on a dotted line. */
static void
field (Pen *pen, const char *label, const char *value)
{
  double label_w = 170;
  double h;

  h = MAX (text_at (pen, 0, label_w - 6, 9.5, FALSE, PANGO_ALIGN_LEFT, label),
           text_at (pen, label_w, WIDTH - label_w, 10.5, TRUE, PANGO_ALIGN_LEFT, value != NULL ? value : ""));
  cairo_set_source_rgb (pen->cr, 0.45, 0.45, 0.45);
  cairo_set_line_width (pen->cr, 0.5);
  cairo_set_dash (pen->cr, (double[]) { 1, 2 }, 2, 0);
  cairo_move_to (pen->cr, MARGIN + label_w, pen->y + h + 1.5);
  cairo_line_to (pen->cr, MARGIN + WIDTH, pen->y + h + 1.5);
  cairo_stroke (pen->cr);
  cairo_set_dash (pen->cr, NULL, 0, 0);
  pen->y += h + 8;
}

static void
checkbox (Pen *pen, double x, gboolean checked, const char *label)
{
  cairo_set_source_rgb (pen->cr, 0, 0, 0);
  cairo_set_line_width (pen->cr, 0.8);
  cairo_rectangle (pen->cr, MARGIN + x, pen->y + 1, 10, 10);
  cairo_stroke (pen->cr);
  if (checked)
    {
      cairo_move_to (pen->cr, MARGIN + x + 2, pen->y + 3);
      cairo_line_to (pen->cr, MARGIN + x + 8, pen->y + 9);
      cairo_move_to (pen->cr, MARGIN + x + 8, pen->y + 3);
      cairo_line_to (pen->cr, MARGIN + x + 2, pen->y + 9);
      cairo_stroke (pen->cr);
    }
  text_at (pen, x + 16, 220, 10, checked, PANGO_ALIGN_LEFT, label);
}

/* "2026-03-15" → "15/03/2026"; anything else as it is. */
static char *
date_fr (const char *iso)
{
  int y, m, d;

  if (iso != NULL && strlen (iso) == 10 && sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
    return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
  return g_strdup (iso != NULL ? iso : "");
}

/* The address on one line, for a sentence. */
static char *
one_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv (", ", lines);
}

const char *
relais_decision_letter_motive_sentence (const char *motive,
                                        const char *text)
{
  static const struct {
    const char *motive, *sentence;
  } sentences[] = {
    { "no-link", "vous n'avez pas de lien avec la commune (vous n'y séjournez pas, n'y exercez pas d'activité"
                 " professionnelle, n'y suivez pas de démarche d'insertion ou de soins, et n'y avez pas de liens"
                 " familiaux)" },
    { "stable-home", "vous disposez désormais d'un logement stable" },
    { "no-contact", "vous ne vous êtes pas présenté(e) et n'avez pas pris contact avec nous depuis plus de trois mois"
                    " consécutifs" },
    { "request", "vous en avez fait la demande" },
    { "fraud", "votre demande repose sur une déclaration inexacte ou frauduleuse" },
  };

  if (g_strcmp0 (motive, "other") == 0)
    return text;
  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    if (g_strcmp0 (motive, sentences[i].motive) == 0)
      return sentences[i].sentence;
  return NULL;
}

static char *
orientation_sentence (const char *orientation, const char *text)
{
  const char *base = NULL;

  if (g_strcmp0 (orientation, "ccas") == 0)
    base = "le centre communal ou intercommunal d'action sociale (CCAS ou CIAS) de la commune avec laquelle vous"
           " avez un lien";
  else if (g_strcmp0 (orientation, "association") == 0)
    base = "un organisme agréé par la préfecture pour la domiciliation";
  else if (g_strcmp0 (orientation, "other") == 0 && text != NULL)
    return g_strdup (text);
  if (base == NULL)
    return NULL;
  return text != NULL ? g_strdup_printf ("%s : %s", base, text) : g_strdup (base);
}

static gboolean
need (const char *value, const char *what, GError **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, RELAIS_DECISION_LETTER_ERROR, RELAIS_DECISION_LETTER_ERROR_INCOMPLETE, "Il manque %s pour écrire ce document.", what);
  return FALSE;
}

static gboolean
check (RelaisDecisionLetterKind kind, const RelaisDecisionLetter *l, GError **error)
{
  if (!need (l->body_name, "le nom de l'organisme", error) || !need (l->body_address, "l'adresse de l'organisme", error)
      || !need (l->town, "la commune de l'organisme", error) || !need (l->surname, "le nom de la personne", error)
      || !need (l->first_names, "le prénom de la personne", error) || !need (l->decided_on, "la date de la décision", error)
      || !need (l->decided_by, "le nom de qui a décidé", error))
    return FALSE;
  switch (kind)
    {
    case RELAIS_DECISION_LETTER_ATTESTATION:
      return need (l->birth_date, "la date de naissance", error) && need (l->number, "le numéro d'usager", error)
             && need (l->active_from, "la date de début", error) && need (l->active_to, "la date de fin", error)
             && need (l->election, "première demande ou renouvellement", error);
    case RELAIS_DECISION_LETTER_REFUSAL:
      {
        g_autofree char *where = orientation_sentence (l->orientation, l->orientation_text);

        if (where == NULL && !need (NULL, "l'organisme vers lequel la personne est orientée", error))
          return FALSE;
      }
      return need (l->tribunal, "le tribunal administratif", error)
             && need (relais_decision_letter_motive_sentence (l->motive, l->motive_text), "le motif", error);
    case RELAIS_DECISION_LETTER_RADIATION:
      return need (l->tribunal, "le tribunal administratif", error)
             && need (relais_decision_letter_motive_sentence (l->motive, l->motive_text), "le motif", error);
    default:
      return need (NULL, "le genre de document", error);
    }
}

/* ---- the attestation (Cerfa n° 13482) ---- */

static void
draw_attestation (Pen *pen, const RelaisDecisionLetter *l)
{
  g_autofree char *birth = date_fr (l->birth_date);
  g_autofree char *applied = date_fr (l->applied_on);
  g_autofree char *from = date_fr (l->active_from);
  g_autofree char *to = date_fr (l->active_to);
  g_autofree char *decided = date_fr (l->decided_on);
  g_autofree char *name = g_strdup_printf ("%s %s", l->first_names, l->surname);
  g_autofree char *upper = g_utf8_strup (l->surname, -1);
  g_autofree char *mail_address = g_strdup_printf ("%s %s\nN° d'usager %s\nchez %s\n%s", l->first_names, upper, l->number,
                                                   l->body_name, l->body_address);
  g_autofree char *done = g_strdup_printf ("Fait à %s, le %s", l->town, decided);
  double           top = pen->y;

  /* The header: the Republic on the left, the form's number on the right. */
  text_at (pen, 0, 200, 10, TRUE, PANGO_ALIGN_LEFT, "RÉPUBLIQUE FRANÇAISE");
  pen->y += 13;
  text_at (pen, 0, 200, 8, FALSE, PANGO_ALIGN_LEFT, "Liberté\nÉgalité\nFraternité");
  pen->y = top;
  cairo_set_line_width (pen->cr, 1);
  cairo_rectangle (pen->cr, MARGIN + WIDTH - 110, top, 110, 34);
  cairo_stroke (pen->cr);
  text_at (pen, WIDTH - 106, 102, 12, TRUE, PANGO_ALIGN_CENTER, "cerfa");
  pen->y += 16;
  text_at (pen, WIDTH - 106, 102, 9, FALSE, PANGO_ALIGN_CENTER, "N° 13482*03");
  pen->y = top + 50;

  centred (pen, 15, TRUE, "ATTESTATION D'ÉLECTION DE DOMICILE");
  centred (pen, 8.5, FALSE,
           "Articles L. 264-1 à L. 264-10 et D. 264-1 à D. 264-15 du code de l'action sociale et des familles");
  pen->y += 6;
  checkbox (pen, 40, g_strcmp0 (l->election, "first") == 0, "Première élection de domicile");
  checkbox (pen, 280, g_strcmp0 (l->election, "renewal") == 0, "Renouvellement");
  pen->y += 20;

  band (pen, "1. L'ORGANISME DOMICILIATAIRE");
  field (pen, "Nom de l'organisme", l->body_name);
  field (pen, "Adresse", l->body_address);
  field (pen, "Agrément (numéro et date)", l->body_approval != NULL ? l->body_approval : "Sans objet (CCAS ou CIAS, domiciliation de droit)");

  band (pen, "2. LA PERSONNE DOMICILIÉE");
  field (pen, "Nom", upper);
  field (pen, "Prénom(s)", l->first_names);
  field (pen, "Date de naissance", birth);
  field (pen, "Lieu de naissance", l->birth_place != NULL ? l->birth_place : "");

  band (pen, "3. L'ÉLECTION DE DOMICILE");
  field (pen, "Date de la demande", applied);
  field (pen, "Date d'effet", from);
  field (pen, "Valable jusqu'au", to);
  field (pen, "Numéro d'usager", l->number);
  field (pen, "Adresse postale de la personne", mail_address);
  para (pen, 8.5, FALSE,
        "Cette attestation vaut un an à compter de la demande. Elle permet de recevoir son courrier à cette adresse"
        " et de faire valoir ses droits (prestations sociales, ouverture d'un compte bancaire, papiers"
        " d'identité, inscription sur les listes électorales…). Son renouvellement se demande avant son terme."
        " Elle peut prendre fin, par une décision écrite et motivée, si la personne ne se manifeste pas pendant"
        " plus de trois mois consécutifs, à sa demande ou lorsqu'elle dispose d'un logement stable.");
  pen->y += 6;
  para (pen, 10, FALSE, done);
  para (pen, 10, FALSE, l->decided_by);
  text_at (pen, WIDTH - 210, 210, 9, FALSE, PANGO_ALIGN_CENTER, "Signature et cachet de l'organisme");
  cairo_rectangle (pen->cr, MARGIN + WIDTH - 210, pen->y + 14, 210, 70);
  cairo_stroke (pen->cr);
  pen->y += 90;
}

/* ---- the letters ---- */

static void
letter_head (Pen *pen, const RelaisDecisionLetter *l, const char *subject)
{
  g_autofree char *upper = g_utf8_strup (l->surname, -1);
  g_autofree char *to = l->number != NULL ? g_strdup_printf ("%s %s\nN° d'usager %s\nRemis en main propre", l->first_names,
                                                             upper, l->number)
                                          : g_strdup_printf ("%s %s\nRemis en main propre", l->first_names, upper);
  g_autofree char *decided = date_fr (l->decided_on);
  g_autofree char *where = g_strdup_printf ("%s, le %s", l->town, decided);
  g_autofree char *from = g_strdup_printf ("%s\n%s", l->body_name, l->body_address);
  double           top = pen->y;
  double           left_h;

  left_h = text_at (pen, 0, 250, 10, FALSE, PANGO_ALIGN_LEFT, from);
  pen->y = top + MAX (left_h, 0) + 30;
  pen->y += text_at (pen, 280, WIDTH - 280, 10.5, FALSE, PANGO_ALIGN_LEFT, to) + 24;
  pen->y += text_at (pen, 280, WIDTH - 280, 10, FALSE, PANGO_ALIGN_LEFT, where) + 24;
  para (pen, 11, TRUE, subject);
  pen->y += 4;
  para (pen, 10.5, FALSE, "Madame, Monsieur,");
}

static void
appeals (Pen *pen, const RelaisDecisionLetter *l)
{
  g_autofree char *address = one_line (l->body_address);
  g_autofree char *gracious = g_strdup_printf ("• par un recours gracieux, en écrivant à %s, %s ;", l->body_name, address);
  g_autofree char *court = g_strdup_printf ("• par un recours contentieux devant le %s. Le tribunal peut aussi être saisi"
                                            " par internet, avec l'application Télérecours citoyens"
                                            " (www.telerecours.fr).",
                                            l->tribunal);

  pen->y += 4;
  para (pen, 10.5, TRUE, "Voies et délais de recours");
  para (pen, 10, FALSE, "Vous pouvez contester cette décision dans un délai de deux mois à compter du jour où elle"
                        " vous est remise :");
  para (pen, 10, FALSE, gracious);
  para (pen, 10, FALSE, court);
  para (pen, 10, FALSE, "Un recours gracieux prolonge le délai du recours contentieux : les deux mois pour saisir le"
                        " tribunal administratif courent à nouveau à partir de la réponse. Sans réponse dans les deux"
                        " mois, le recours gracieux est rejeté.");
}

static void
letter_foot (Pen *pen, const RelaisDecisionLetter *l)
{
  g_autofree char *who = g_strdup_printf ("%s\npour %s", l->decided_by, l->body_name);

  pen->y += 4;
  para (pen, 10.5, FALSE, "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.");
  pen->y += 10;
  next_page_if (pen, 80);
  text_at (pen, 280, WIDTH - 280, 10.5, FALSE, PANGO_ALIGN_LEFT, who);
  pen->y += 34;
  text_at (pen, 280, WIDTH - 280, 9, FALSE, PANGO_ALIGN_LEFT, "Signature et cachet");
}

static void
draw_refusal (Pen *pen, const RelaisDecisionLetter *l)
{
  g_autofree char *applied = date_fr (l->applied_on);
  g_autofree char *asked = l->applied_on != NULL
                               ? g_strdup_printf ("Vous avez demandé, le %s, à élire domicile auprès de %s.", applied, l->body_name)
                               : g_strdup_printf ("Vous avez demandé à élire domicile auprès de %s.", l->body_name);
  g_autofree char *why = g_strdup_printf ("Après examen, votre demande est refusée pour le motif suivant : %s.",
                                          relais_decision_letter_motive_sentence (l->motive, l->motive_text));
  g_autofree char *where = orientation_sentence (l->orientation, l->orientation_text);
  g_autofree char *orient = g_strdup_printf ("Comme le prévoit l'article L. 264-2 du code de l'action sociale et des"
                                             " familles, nous vous orientons vers %s.",
                                             where);

  letter_head (pen, l, "Objet : refus de votre demande d'élection de domicile");
  para (pen, 10.5, FALSE, asked);
  para (pen, 10.5, FALSE, why);
  para (pen, 10.5, FALSE, orient);
  appeals (pen, l);
  letter_foot (pen, l);
}

static void
draw_radiation (Pen *pen, const RelaisDecisionLetter *l)
{
  g_autofree char *decided = date_fr (l->decided_on);
  g_autofree char *number = l->number != NULL ? g_strdup_printf (" (n° d'usager %s)", l->number) : g_strdup ("");
  g_autofree char *ends = g_strdup_printf ("Votre domiciliation auprès de %s%s prend fin le %s, pour le motif suivant : %s.",
                                           l->body_name, number, decided,
                                           relais_decision_letter_motive_sentence (l->motive, l->motive_text));

  letter_head (pen, l, "Objet : fin de votre domiciliation (radiation)");
  para (pen, 10.5, FALSE, ends);
  para (pen, 10.5, FALSE, "À partir de cette date, le courrier qui arrivera à votre nom sera renvoyé à son expéditeur."
                          " Le courrier qui vous attend encore reste à retirer à l'accueil. Vous pourrez demander à"
                          " nouveau une domiciliation si votre situation le permet.");
  appeals (pen, l);
  letter_foot (pen, l);
}

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
relais_decision_letter_render (RelaisDecisionLetterKind    kind,
                               const RelaisDecisionLetter *letter,
                               GError                    **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t   status;
  Pen              pen = { NULL, MARGIN };

  g_return_val_if_fail (letter != NULL, NULL);

  if (!check (kind, letter, error))
    return NULL;
  surface = cairo_pdf_surface_create_for_stream (write_cb, pdf, PAGE_W, PAGE_H);
  pen.cr = cairo_create (surface);
  switch (kind)
    {
    case RELAIS_DECISION_LETTER_ATTESTATION:
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Attestation d'élection de domicile");
      draw_attestation (&pen, letter);
      break;
    case RELAIS_DECISION_LETTER_REFUSAL:
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Refus d'élection de domicile");
      draw_refusal (&pen, letter);
      break;
    case RELAIS_DECISION_LETTER_RADIATION:
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Fin de domiciliation");
      draw_radiation (&pen, letter);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_show_page (pen.cr);
  status = cairo_status (pen.cr);
  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RELAIS_DECISION_LETTER_ERROR, RELAIS_DECISION_LETTER_ERROR_RENDER, "PDF impossible : %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
