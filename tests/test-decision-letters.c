/* test-decision-letters.c: the written decisions of a domiciliation (issue 15):
 * the Cerfa attestation, the refusal and radiation letters, opened with
 * poppler and read for what the law wants in them (the reason, the ways
 * and time to appeal); a document missing what it needs is not written.
 * Each is kept as PDF and PNG in the test artefacts, to look at. */
#include <poppler.h>
#include <string.h>

#include "relais-decision-letter.h"
#include "relais-test-util.h"

static const RelaisDecisionLetter base = {
  .body_name = "CCAS de Villeneuve",
  .body_address = "12 place de la Mairie\n69100 Villeneuve",
  .town = "Villeneuve",
  .tribunal = "tribunal administratif de Lyon, 184 rue Duguesclin, 69433 Lyon Cedex 03",
  .surname = "Benali",
  .first_names = "Karim",
  .birth_date = "1979-05-04",
  .birth_place = "Oran (Algérie)",
  .number = "1042",
  .decided_on = "2026-03-12",
  .decided_by = "Claire Martin, responsable",
};

/* The text of every page, spaces and line breaks made single spaces (a
 * sentence may wrap anywhere). */
static char *
pdf_text (GBytes *pdf, int *n_pages, const char *artefact)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = (GObject *) poppler_document_new_from_bytes (pdf, NULL, &error);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (POPPLER_DOCUMENT (doc));
  for (int i = 0; i < *n_pages; i++)
    {
      g_autoptr(GObject) page_object = (GObject *) poppler_document_get_page (POPPLER_DOCUMENT (doc), i);
      PopplerPage     *page = POPPLER_PAGE (page_object);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append_printf (all, "%s ", text);
      if (i == 0)
        {
          /* The first page at 100 dpi, to look at. */
          double           w, h;
          cairo_surface_t *png;
          cairo_t         *cr;
          g_autofree char *name = g_strdup_printf ("%s.png", artefact);
          g_autofree char *path = relais_test_artifact_path (name);

          poppler_page_get_size (page, &w, &h);
          png = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (w * 100 / 72), (int) (h * 100 / 72));
          cr = cairo_create (png);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          cairo_scale (cr, 100.0 / 72, 100.0 / 72);
          poppler_page_render_for_printing (page, cr);
          cairo_destroy (cr);
          g_assert_cmpint (cairo_surface_write_to_png (png, path), ==, CAIRO_STATUS_SUCCESS);
          cairo_surface_destroy (png);
        }
    }
  {
    g_autofree char *name = g_strdup_printf ("%s.pdf", artefact);
    g_autofree char *path = relais_test_artifact_path (name);

    g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  }
  return g_regex_replace_literal (spaces, all->str, -1, 0, " ", 0, NULL);
}

static void
assert_says (const char *text, const char *words)
{
  if (strstr (text, words) == NULL)
    g_error ("the document does not say « %s »:\n%s", words, text);
}

/* A form's field: @label, then @value next to it (poppler may or may not
 * put a space between the two columns). */
static void
assert_field (const char *text, const char *label, const char *value)
{
  const char *at = strstr (text, label);

  if (at == NULL)
    g_error ("the form has no field « %s »:\n%s", label, text);
  at += strlen (label);
  while (*at == ' ' || *at == ':')
    at++;
  if (!g_str_has_prefix (at, value))
    g_error ("the field « %s » does not hold « %s »:\n%s", label, value, text);
}

/* @l rendered as @kind, its text (the PDF kept as @artefact). */
static char *
rendered (RelaisDecisionLetterKind    kind,
          const RelaisDecisionLetter *l,
          const char                 *artefact,
          int                        *pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = relais_decision_letter_render (kind, l, &error);

  g_assert_no_error (error);
  return pdf_text (pdf, pages, artefact);
}

static void
test_attestation (void)
{
  RelaisDecisionLetter l = base;
  g_autofree char     *text = NULL;
  int                  pages;

  l.election = "first";
  l.applied_on = "2026-03-02";
  l.active_from = "2026-03-12";
  l.active_to = "2027-03-01";
  text = rendered (RELAIS_DECISION_LETTER_ATTESTATION, &l, "letter-attestation", &pages);
  g_assert_cmpint (pages, ==, 1);
  assert_says (text, "ATTESTATION D'ÉLECTION DE DOMICILE");
  assert_says (text, "N° 13482*03");
  assert_says (text, "L. 264-1");
  assert_field (text, "Nom de l'organisme", "CCAS de Villeneuve");
  assert_field (text, "Adresse", "12 place de la Mairie 69100 Villeneuve");
  assert_field (text, "LA PERSONNE DOMICILIÉE Nom", "BENALI");
  assert_field (text, "Prénom(s)", "Karim");
  assert_field (text, "Date de naissance", "04/05/1979");
  assert_field (text, "Lieu de naissance", "Oran (Algérie)");
  assert_field (text, "Date de la demande", "02/03/2026");
  assert_field (text, "Date d'effet", "12/03/2026");
  assert_field (text, "Valable jusqu'au", "01/03/2027");
  assert_field (text, "Numéro d'usager", "1042");
  assert_field (text, "Adresse postale de la personne", "Karim BENALI N° d'usager 1042 chez CCAS de Villeneuve");
  assert_says (text, "Première élection de domicile");
  assert_says (text, "Fait à Villeneuve, le 12/03/2026");
  assert_says (text, "Signature et cachet");
}

static void
test_refusal (void)
{
  RelaisDecisionLetter l = base;
  g_autofree char     *text = NULL;
  int                  pages;

  l.applied_on = "2026-03-02";
  l.motive = "no-link";
  l.orientation = "association";
  l.orientation_text = "Secours populaire, 12 rue Pasteur, Lyon";
  text = rendered (RELAIS_DECISION_LETTER_REFUSAL, &l, "letter-refusal", &pages);
  g_assert_cmpint (pages, ==, 1);
  assert_says (text, "Objet : refus de votre demande d'élection de domicile");
  assert_says (text, "Vous avez demandé, le 02/03/2026, à élire domicile auprès de CCAS de Villeneuve");
  /* The reason, and where the person is sent. */
  assert_says (text, "refusée pour le motif suivant : vous n'avez pas de lien avec la commune");
  assert_says (text, "nous vous orientons vers un organisme agréé par la préfecture pour la domiciliation : Secours"
                     " populaire, 12 rue Pasteur, Lyon");
  /* The ways and time to appeal. */
  assert_says (text, "Voies et délais de recours");
  assert_says (text, "délai de deux mois");
  assert_says (text, "recours gracieux, en écrivant à CCAS de Villeneuve, 12 place de la Mairie, 69100 Villeneuve");
  assert_says (text, "recours contentieux devant le tribunal administratif de Lyon");
  assert_says (text, "Télérecours citoyens");
  assert_says (text, "Claire Martin, responsable");

  /* "other": its own words. */
  g_clear_pointer (&text, g_free);
  l.motive = "other";
  l.motive_text = "la demande a été faite pour une autre personne";
  text = rendered (RELAIS_DECISION_LETTER_REFUSAL, &l, "letter-refusal-other", &pages);
  assert_says (text, "motif suivant : la demande a été faite pour une autre personne.");
}

static void
test_radiation (void)
{
  RelaisDecisionLetter l = base;
  g_autofree char     *text = NULL;
  int                  pages;

  l.motive = "no-contact";
  text = rendered (RELAIS_DECISION_LETTER_RADIATION, &l, "letter-radiation", &pages);
  g_assert_cmpint (pages, ==, 1);
  assert_says (text, "Objet : fin de votre domiciliation (radiation)");
  assert_says (text, "(n° d'usager 1042) prend fin le 12/03/2026");
  assert_says (text, "depuis plus de trois mois consécutifs");
  assert_says (text, "renvoyé à son expéditeur");
  assert_says (text, "Voies et délais de recours");
  assert_says (text, "recours gracieux");
  assert_says (text, "tribunal administratif de Lyon");
  assert_says (text, "deux mois");
}

/* A document missing what the law wants in it is not written at all. */
static void
test_incomplete (void)
{
  struct {
    RelaisDecisionLetterKind kind;
    const char              *motive, *orientation, *tribunal, *active_to, *words;
  } cases[] = {
    { RELAIS_DECISION_LETTER_REFUSAL, NULL, "ccas", "TA de Lyon", NULL, "le motif" },
    { RELAIS_DECISION_LETTER_REFUSAL, "no-link", NULL, "TA de Lyon", NULL, "orientée" },
    { RELAIS_DECISION_LETTER_REFUSAL, "no-link", "ccas", NULL, NULL, "tribunal" },
    { RELAIS_DECISION_LETTER_REFUSAL, "other", "ccas", "TA de Lyon", NULL, "le motif" },
    { RELAIS_DECISION_LETTER_REFUSAL, "no-link", "other", "TA de Lyon", NULL, "orientée" },
    { RELAIS_DECISION_LETTER_RADIATION, "bored", NULL, "TA de Lyon", NULL, "le motif" },
    { RELAIS_DECISION_LETTER_RADIATION, "request", NULL, NULL, NULL, "tribunal" },
    { RELAIS_DECISION_LETTER_ATTESTATION, NULL, NULL, NULL, NULL, "date de début" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RelaisDecisionLetter l = base;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = NULL;

      l.motive = cases[i].motive;
      l.orientation = cases[i].orientation;
      l.tribunal = cases[i].tribunal;
      l.active_to = cases[i].active_to;
      l.election = "first";
      pdf = relais_decision_letter_render (cases[i].kind, &l, &error);
      g_assert_null (pdf);
      g_assert_error (error, RELAIS_DECISION_LETTER_ERROR, RELAIS_DECISION_LETTER_ERROR_INCOMPLETE);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("case %u: « %s » does not say « %s »", i, error->message, cases[i].words);
    }
  g_assert_null (relais_decision_letter_motive_sentence ("bored", NULL));
  g_assert_cmpstr (relais_decision_letter_motive_sentence ("other", "texte"), ==, "texte");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/decision-letters/attestation", test_attestation);
  g_test_add_func ("/decision-letters/refusal", test_refusal);
  g_test_add_func ("/decision-letters/radiation", test_radiation);
  g_test_add_func ("/decision-letters/incomplete", test_incomplete);
  return g_test_run ();
}
