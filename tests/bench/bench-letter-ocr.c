/* bench-letter-ocr: the five letters of tests/relais-test-letters.c drawn
 * at 300 dpi, clean then degraded (askew, textured, noisy, JPEG 55),
 * scanned through SANE's pnm backend as the station scans them, then read
 * by the station's reader (drivers/letter: Leptonica + Tesseract's C API)
 * and, in the same run, by the `tesseract` command on the same scanned
 * page (a PNM file, `-l fra`). Figures: CER against the known text (clean
 * and degraded), seconds per page (wall), the time ratio (ours /
 * command), and how many of the letters' facts (sender, kind, deadline,
 * amount, reference: the ones a letter has) are found in our text.
 * Usage: bench-letter-ocr [ROUNDS] (each round reads the ten pages). */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-letter.h"
#include "relais-letter-facts.h"
#include "relais-scanner.h"
#include "relais-test-letters.h"
#include "relais-test-papers.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static guint
facts_found (const RelaisTestLetter *letter, const char *text, guint *out_expected)
{
  GDate today;
  g_autoptr (RelaisLetterFacts) facts = NULL;
  const RelaisLetterAmount *amount;
  guint                     found = 0, expected = 4;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, 12, 2026);
  facts = relais_letter_facts_find (text, &today);
  amount = relais_letter_facts_get_main_amount (facts);
  found += g_strcmp0 (facts->sender_id, letter->sender_id) == 0;
  found += g_strcmp0 (relais_letter_kind_to_string (facts->kind), letter->kind) == 0;
  found += g_date_valid (&facts->deadline) && g_date_get_day (&facts->deadline) == letter->deadline_day && (int) g_date_get_month (&facts->deadline) == letter->deadline_month && g_date_get_year (&facts->deadline) == letter->deadline_year;
  if (letter->amount > 0)
    {
      expected++;
      found += amount != NULL && ABS (amount->euros - letter->amount) < 0.005;
    }
  for (guint i = 0; i < facts->references->len; i++)
    {
      const RelaisLetterReference *ref = &g_array_index (facts->references, RelaisLetterReference, i);

      if (strcmp (ref->label, letter->reference_label) == 0 && g_str_has_suffix (ref->masked, letter->reference_end))
        {
          found++;
          break;
        }
    }
  *out_expected = expected;
  return found;
}

static RelaisPage *
scan (RelaisScanner *scanner, const char *path)
{
  g_autoptr (GError) error = NULL;
  RelaisScanOptions options = { 0 };
  RelaisPage       *page;

  if (!relais_scanner_sane_set_option_string (scanner, "filename", path, &error))
    g_error ("%s", error->message);
  options.mode = RELAIS_SCAN_GRAY;
  options.dpi = 300;
  options.source = RELAIS_SCAN_SOURCE_DEFAULT;
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
  if (page == NULL)
    g_error ("%s", error->message);
  return page;
}

int
main (int argc, char *argv[])
{
  int              rounds = argc > 1 ? atoi (argv[1]) : 1;
  g_autofree char *dir = g_dir_make_tmp ("relais-letter-ocr-XXXXXX", NULL);
  g_autofree char *dll = g_build_filename (dir, "dll.conf", NULL);
  const char      *artefacts = g_getenv ("RELAIS_TEST_ARTIFACTS");
  g_autoptr (RelaisScanner) scanner = NULL;
  g_autoptr (GError) error = NULL;
  double ours_s = 0, theirs_s = 0, cer_sum[2] = { 0, 0 }, their_cer_sum[2] = { 0, 0 };
  guint  found = 0, expected = 0, pages = 0;

  rounds = CLAMP (rounds, 1, 20);
  g_assert_true (g_file_set_contents (dll, "pnm\n", -1, NULL));
  g_setenv ("SANE_CONFIG_DIR", dir, TRUE);
  scanner = relais_scanner_sane_new ("pnm:0", &error);
  if (scanner == NULL)
    g_error ("%s", error->message);
  if (!relais_scanner_sane_set_option_string (scanner, "grayify", "yes", &error))
    g_error ("%s", error->message);

  for (int round = 0; round < rounds; round++)
    for (int degraded = 0; degraded < 2; degraded++)
      for (guint i = 0; i < RELAIS_TEST_LETTER_COUNT; i++)
        {
          const RelaisTestLetter *letter = relais_test_letter_get (i);
          g_autofree char        *name = g_strdup_printf ("letter-%u-%s", i + 1, degraded ? "degraded" : "clean");
          g_autofree char        *paper_path = g_strdup_printf ("%s/%s-paper.pnm", dir, name);
          g_autofree char        *scan_path = g_strdup_printf ("%s/%s.pnm", dir, name);
          g_autofree char        *command_out = NULL;
          g_autofree char        *command_err = NULL;
          g_autoptr (RelaisPage) paper = NULL;
          g_autoptr (RelaisPage) page = NULL;
          g_autoptr (RelaisLetterText) text = NULL;
          const char *argv_tess[] = { "tesseract", scan_path, "stdout", "-l", "fra", NULL };
          gint64      t0, t1, t2;
          int         status = 0;
          guint       exp = 0, got;
          double      cer, their_cer;

          relais_test_paper_render_typed (letter->text, i, 300, degraded, &paper);
          if (!relais_test_page_write_pnm (paper, paper_path, &error))
            g_error ("%s", error->message);
          page = scan (scanner, paper_path);
          /* The command reads the page as scanned. */
          if (!relais_test_page_write_pnm (page, scan_path, &error))
            g_error ("%s", error->message);
          if (artefacts != NULL && round == 0)
            {
              g_autofree char *png_name = g_strdup_printf ("letter-ocr-%s.png", name);
              g_autofree char *png = g_build_filename (artefacts, png_name, NULL);

              g_mkdir_with_parents (artefacts, 0755);
              relais_test_page_write_png (page, 1240, png, NULL);
            }

          t0 = g_get_monotonic_time ();
          text = relais_letter_read (page, "fra", NULL, NULL, NULL, &error);
          t1 = g_get_monotonic_time ();
          if (text == NULL)
            g_error ("%s", error->message);
          if (!g_spawn_sync (NULL, (char **) argv_tess, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                             &command_out, &command_err, &status, &error)
              || !g_spawn_check_wait_status (status, &error))
            g_error ("tesseract: %s", error->message);
          t2 = g_get_monotonic_time ();

          cer = relais_test_letter_cer (letter->text, text->text);
          their_cer = relais_test_letter_cer (letter->text, command_out);
          got = facts_found (letter, text->text, &exp);
          ours_s += (t1 - t0) / 1e6;
          theirs_s += (t2 - t1) / 1e6;
          cer_sum[degraded] += cer;
          their_cer_sum[degraded] += their_cer;
          found += got;
          expected += exp;
          pages++;
          g_print ("%-20s ours %5.2f s cer %.4f facts %u/%u | tesseract %5.2f s cer %.4f\n", name,
                   (t1 - t0) / 1e6, cer, got, exp, (t2 - t1) / 1e6, their_cer);
          g_unlink (paper_path);
          g_unlink (scan_path);
        }

  {
    double per_kind = (double) rounds * RELAIS_TEST_LETTER_COUNT;
    double cer_clean = cer_sum[0] / per_kind, cer_degraded = cer_sum[1] / per_kind;

    g_print ("pages=%u ours_s_per_page=%.2f tesseract_s_per_page=%.2f\n", pages, ours_s / pages, theirs_s / pages);
    g_print ("cer clean=%.4f degraded=%.4f | tesseract command clean=%.4f degraded=%.4f\n", cer_clean,
             cer_degraded, their_cer_sum[0] / per_kind, their_cer_sum[1] / per_kind);
    g_print ("RESULT letter-ocr cer=%.4f cer_clean=%.4f cer_degraded=%.4f seconds_per_page=%.2f ratio=%.2f "
             "facts_recall=%.3f\n",
             (cer_clean + cer_degraded) / 2, cer_clean, cer_degraded, ours_s / pages,
             ours_s / theirs_s, (double) found / expected);
  }
  g_unlink (dll);
  g_rmdir (dir);
  return 0;
}
