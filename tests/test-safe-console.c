/* test-safe-console.c: the safe's printable card, as the console writes
 * it: one page of PDF that poppler reads back, with the number, the
 * code and the recovery code in it; a path that cannot be written gives a clear error. */
#include <glib/gstdio.h>
#include <poppler.h>

#include "mediator-safes.h"

static void
test_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-safe-card-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GObject) document_object = NULL; /* this poppler has no autoptr */
  PopplerDocument *document;
  g_autoptr(GObject) page_object = NULL;
  PopplerPage *page;
  double       width, height;

  g_assert_no_error (error);
  path = g_build_filename (dir, "carte.pdf", NULL);
  g_assert_true (mediator_safes_write_card ("4271093385", "604812", "8305127746", path, &error));
  g_assert_no_error (error);

  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  document_object = G_OBJECT (document);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  page = poppler_document_get_page (document, 0);
  page_object = G_OBJECT (page);
  poppler_page_get_size (page, &width, &height);
  /* A4 */
  g_assert_cmpfloat_with_epsilon (width, 595.28, 1);
  g_assert_cmpfloat_with_epsilon (height, 841.89, 1);
  text = poppler_page_get_text (page);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "4271093385"));
  g_assert_nonnull (strstr (text, "604812"));
  g_assert_nonnull (strstr (text, "Mon coffre-fort"));
  g_assert_nonnull (strstr (text, "code secret"));
  /* The recovery code, on the sheet, said to be kept apart from the card. */
  g_assert_nonnull (strstr (text, "8305127746"));
  g_assert_nonnull (strstr (text, "garder chez vous"));

  /* Kept for a look: render it with pdftoppm. */
  if (g_getenv ("RELAIS_TEST_ARTIFACTS") != NULL)
    {
      g_autofree char *kept = g_build_filename (g_getenv ("RELAIS_TEST_ARTIFACTS"), "safe-card.pdf", NULL);
      g_autofree char *contents = NULL;
      gsize            length;

      g_mkdir_with_parents (g_getenv ("RELAIS_TEST_ARTIFACTS"), 0755);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (kept, contents, length, NULL));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_card_unwritable (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (mediator_safes_write_card ("4271093385", "604812", NULL, "/nonexistent-dir/carte.pdf", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/carte.pdf"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safe-console/card", test_card);
  g_test_add_func ("/safe-console/card-unwritable", test_card_unwritable);
  return g_test_run ();
}
