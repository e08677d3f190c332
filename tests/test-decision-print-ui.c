/* test-decision-print-ui.c: the written decisions printed from the
 * console (issue 15): « Imprimer la décision écrite » reads the person's
 * newest decision and the body's letterhead from the real hub, lays the
 * letter out (drivers/decisions) and sends it to the private cupsd's
 * cups-pdf queue: the attestation after a grant, the refusal letter with
 * its motive and ways to appeal after a refusal, nothing after an
 * application. The letter's text is read with poppler; the PDF that
 * lands (its text made outlines by the queue's PostScript step) is
 * compared, drawn, with the letter sent and with the other letter. */
#include <cairo.h>
#include <math.h>
#include <string.h>

#include "mediator-decision-print.h"
#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-hub-mail.h"
#include "relais-test-cups.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

static RelaisTestHub       *hub;
static char                *cups_dir;
static RelaisLink          *console;
static const RelaisMailSite site = { "le CCAS", "mardi 9h-12h" };

static void
decide (const char *number, const RelaisMailDecisionRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailDecision) d = relais_db_mail_decision_add (relais_hub_get_db (hub->hub), number, request,
                                                                  "Claire Martin", &site, g_get_real_time () / 1000,
                                                                  &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
}

static gboolean
printed (gpointer widget)
{
  return !mediator_decision_print_is_busy (widget);
}

/* What was sent to the printer, as the console makes it: the person's
 * decisions read from the hub the same way, rendered. */
static GBytes *
expected_pdf (const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/mail/people/%s/decisions", number);
  g_autoptr(JsonObject) reply = relais_test_call (console, path, NULL, &error);
  g_autoptr(RelaisMailDecisions) decisions = NULL;
  MediatorDecisionDoc doc;
  GBytes             *pdf;

  g_assert_no_error (error);
  decisions = relais_mail_decisions_from_reply (reply, &error);
  g_assert_no_error (error);
  g_assert_true (mediator_decision_doc_read (&doc, decisions, number, "Benali", "Karim", "1979-05-04", &error));
  g_assert_no_error (error);
  pdf = relais_decision_letter_render (doc.kind, &doc.letter, &error);
  g_assert_no_error (error);
  return pdf;
}

/* The text of every page, spaces and line breaks made single spaces. */
static char *
pdf_text (PopplerDocument *doc)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      PopplerPage     *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append_printf (all, "%s ", text);
      g_object_unref (page);
    }
  return g_regex_replace_literal (spaces, all->str, -1, 0, " ", 0, NULL);
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  return doc;
}

#define SHEET_W 60
#define SHEET_H 84

/* @doc's first page drawn at 72 dpi, then averaged into SHEET_W × SHEET_H
 * blocks (grey levels 0–255, white 255): how much ink each part of the
 * page holds, whatever the print chain did to the glyphs. */
static double *
thumbnail (PopplerDocument *doc)
{
  PopplerPage     *page = poppler_document_get_page (doc, 0);
  double           w, h;
  int              pw, ph;
  cairo_surface_t *surface;
  cairo_t         *cr;
  double          *ink = g_new0 (double, SHEET_W *SHEET_H);
  guint           *count = g_new0 (guint, SHEET_W * SHEET_H);

  poppler_page_get_size (page, &w, &h);
  pw = (int) w;
  ph = (int) h;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, pw, ph);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < ph; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < pw; x++)
        {
          int cell = (y * SHEET_H / ph) * SHEET_W + x * SHEET_W / pw;

          ink[cell] += (((row[x] >> 16) & 0xff) + ((row[x] >> 8) & 0xff) + (row[x] & 0xff)) / 3.0;
          count[cell]++;
        }
    }
  for (int i = 0; i < SHEET_W * SHEET_H; i++)
    ink[i] = count[i] > 0 ? ink[i] / count[i] : 255;
  g_free (count);
  cairo_surface_destroy (surface);
  g_object_unref (page);
  return ink;
}

/* @doc's first page as a PNG in the artefacts folder, to look at. */
static void
save_page (PopplerDocument *doc, const char *name)
{
  g_autofree char *path = relais_test_artifact_path (name);
  PopplerPage     *page = poppler_document_get_page (doc, 0);
  double           w, h;
  cairo_surface_t *surface;
  cairo_t         *cr;

  poppler_page_get_size (page, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  g_object_unref (page);
}

/* How alike two first pages are laid out: the correlation of their
 * thumbnails' ink (1: the same). Correlation, not a difference: the
 * queue draws text as outlines, thinner and lighter than the fonts. */
static double
likeness (PopplerDocument *a, PopplerDocument *b)
{
  g_autofree double *ta = thumbnail (a);
  g_autofree double *tb = thumbnail (b);
  double             ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  const int          n = SHEET_W * SHEET_H;

  for (int i = 0; i < n; i++)
    {
      ma += ta[i];
      mb += tb[i];
    }
  ma /= n;
  mb /= n;
  for (int i = 0; i < n; i++)
    {
      sab += (ta[i] - ma) * (tb[i] - mb);
      saa += (ta[i] - ma) * (ta[i] - ma);
      sbb += (tb[i] - mb) * (tb[i] - mb);
    }
  return saa > 0 && sbb > 0 ? sab / sqrt (saa * sbb) : 0;
}

static void
assert_says (const char *text, const char *what)
{
  if (strstr (text, what) == NULL)
    g_error ("the letter does not say « %s »:\n%s", what, text);
}

static void
test_print (void)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson    p = { .number = (char *) "4711", .surname = (char *) "Benali", .first_names = (char *) "Karim", .birth_date = (char *) "1979-05-04", .notify = (char *) "none" };
  RelaisHubLetterhead letterhead = { "CCAS de Villeneuve", "12 place de la Mairie\n69100 Villeneuve", NULL,
                                     "Villeneuve",
                                     "tribunal administratif de Lyon, 184 rue Duguesclin, 69433 Lyon Cedex 03" };
  GtkWidget          *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget          *widget = mediator_decision_print_new (console);
  g_autofree char    *shot = NULL;
  g_autofree char    *attestation = NULL;
  g_autofree char    *refusal = NULL;
  g_autoptr(GBytes) attestation_pdf = NULL;
  g_autoptr(GBytes) refusal_pdf = NULL;
  PopplerDocument *attestation_doc, *refusal_doc, *landed_attestation, *landed_refusal;
  double           same_attestation, same_refusal, crossed;

  relais_hub_mail_set_letterhead (hub->hub, &letterhead);
  saved = relais_db_mail_person_save (db, &p, &error);
  g_assert_no_error (error);
  gtk_container_add (GTK_CONTAINER (window), widget);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, -1);
  gtk_widget_show_all (window);

  /* No person shown: nothing to print. */
  g_assert_false (gtk_widget_get_sensitive (relais_test_ui_find_named (window, "Imprimer la décision écrite")));
  mediator_decision_print_set_person (MEDIATOR_DECISION_PRINT (widget), "4711", "Benali", "Karim", "1979-05-04");
  g_assert_true (gtk_widget_get_sensitive (relais_test_ui_find_named (window, "Imprimer la décision écrite")));

  /* Only an application: no written decision, told, nothing printed. */
  decide ("4711", &(RelaisMailDecisionRequest) { .decision = "applied", .reason = "hosted" });
  mediator_decision_print_run (MEDIATOR_DECISION_PRINT (widget));
  g_assert_true (relais_test_wait (printed, widget));
  g_assert_true (g_str_has_prefix (mediator_decision_print_get_message (MEDIATOR_DECISION_PRINT (widget)),
                                   "Aucune décision écrite à imprimer"));

  /* Granted: the Cerfa attestation, with the hub's letterhead. */
  decide ("4711", &(RelaisMailDecisionRequest) { .decision = "granted" });
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find_named (window, "Imprimer la décision écrite")));
  g_assert_true (relais_test_wait (printed, widget));
  g_assert_cmpstr (mediator_decision_print_get_message (MEDIATOR_DECISION_PRINT (widget)), ==,
                   "✓ L’attestation d’élection de domicile est partie à l’imprimante : à signer, puis à remettre à la "
                   "personne.");
  shot = relais_test_ui_screenshot (window, "mediator-decision-printed");
  /* The letter sent says what the law wants, with the hub's letterhead
   * (cups-pdf's chain turns its text into outlines: the text is read on
   * the PDF sent, and the PDF that landed is that one, drawn). */
  attestation_pdf = expected_pdf ("4711");
  attestation_doc = open_pdf (attestation_pdf);
  attestation = pdf_text (attestation_doc);
  assert_says (attestation, "ATTESTATION D'ÉLECTION DE DOMICILE");
  assert_says (attestation, "CCAS de Villeneuve");
  assert_says (attestation, "12 place de la Mairie");
  assert_says (attestation, "BENALI");
  assert_says (attestation, "Karim");
  assert_says (attestation, "04/05/1979");
  assert_says (attestation, "4711");
  assert_says (attestation, "Fait à Villeneuve");
  landed_attestation = relais_test_cupsd_wait_landed (cups_dir, 1);

  /* Radiated then? No: refused after a new application (the newest
   * written decision is what prints). */
  decide ("4711", &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "request" });
  decide ("4711", &(RelaisMailDecisionRequest) { .decision = "applied", .reason = "hosted" });
  decide ("4711", &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "ccas" });
  mediator_decision_print_run (MEDIATOR_DECISION_PRINT (widget));
  g_assert_true (relais_test_wait (printed, widget));
  g_assert_true (g_str_has_prefix (mediator_decision_print_get_message (MEDIATOR_DECISION_PRINT (widget)),
                                   "✓ La lettre de refus est partie à l’imprimante"));
  refusal_pdf = expected_pdf ("4711");
  refusal_doc = open_pdf (refusal_pdf);
  refusal = pdf_text (refusal_doc);
  assert_says (refusal, "Objet : refus de votre demande d'élection de domicile");
  assert_says (refusal, "Claire Martin");
  assert_says (refusal, "recours gracieux");
  assert_says (refusal, "tribunal administratif de Lyon");
  landed_refusal = relais_test_cupsd_wait_landed (cups_dir, 2);

  save_page (landed_attestation, "decision-printed-attestation.png");
  save_page (attestation_doc, "decision-sent-attestation.png");
  /* Each printed page is its letter, not the other one. */
  same_attestation = likeness (landed_attestation, attestation_doc);
  same_refusal = likeness (landed_refusal, refusal_doc);
  crossed = likeness (landed_attestation, refusal_doc);
  g_test_message ("likeness printed/sent: attestation %.3f, refusal %.3f; printed attestation/sent refusal %.3f",
                  same_attestation, same_refusal, crossed);
  g_assert_cmpfloat (same_attestation, >, 0.8);
  g_assert_cmpfloat (same_refusal, >, 0.8);
  g_assert_cmpfloat (crossed, <, 0.5);
  g_object_unref (landed_attestation);
  g_object_unref (landed_refusal);
  g_object_unref (attestation_doc);
  g_object_unref (refusal_doc);
  gtk_widget_destroy (window);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  relais_test_ui_init (&argc, &argv, FALSE);

  cups_dir = relais_test_cupsd_start ();
  hub = relais_test_hub_new ();
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));

  g_test_add_func ("/decision-print-ui/print", test_print);
  rc = g_test_run ();

  g_clear_object (&console);
  relais_test_hub_free (hub);
  relais_test_cupsd_stop (cups_dir);
  g_free (cups_dir);
  return rc;
}
