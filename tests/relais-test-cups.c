/* relais-test-cups.c: the private cupsd for the tests that print. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-cups.h"
#include "relais-test-util.h"

#include <unistd.h>

static char *
fixture_script (void)
{
  return g_build_filename (relais_test_source_dir (), "tests", "fixtures", "relais-cupsd", NULL);
}

char *
relais_test_cupsd_start (void)
{
  g_autofree char *script = fixture_script ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int              status = 0;
  char            *dir = g_dir_make_tmp ("relais-cups-XXXXXX", &error);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  /* A port the kernel gives, not one of the fixture's 8631 and up: a test
   * that kills its cupsd and revives it on the same port must not find it
   * taken meanwhile by another test's cupsd picking the first free one. */
  g_autofree char *port = g_strdup_printf ("%u", relais_test_free_port ());
  /* Watched: a test that aborts leaves no cupsd behind. */
  const char      *argv[] = { script, "start", "--watch", pid, dir, port, NULL };

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strstrip (out);
  g_assert_true (g_str_has_prefix (out, "CUPS_SERVER="));
  g_setenv ("CUPS_SERVER", out + strlen ("CUPS_SERVER="), TRUE);
  return dir;
}

void
relais_test_cupsd_stop (const char *dir)
{
  g_autofree char *script = fixture_script ();
  const char      *argv[] = { script, "stop", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
run_fixture (const char *command,
             const char *dir)
{
  g_autofree char *script = fixture_script ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { script, command, dir, NULL };
  int         status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

void
relais_test_cupsd_kill (const char *dir)
{
  run_fixture ("kill", dir);
}

void
relais_test_cupsd_revive (const char *dir)
{
  run_fixture ("revive", dir);
}

PopplerDocument *
relais_test_cupsd_wait_landed (const char *dir,
                               guint       n)
{
  g_autofree char *script = fixture_script ();
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *out = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) pdfs = NULL;
  g_autoptr(GError) error = NULL;
  const char      *argv[] = { script, "wait-pdf", dir, count, "60", NULL };
  PopplerDocument *document;
  int              status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  pdfs = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (pdfs), ==, n);
  uri = g_filename_to_uri (pdfs[n - 1], NULL, NULL);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  return document;
}
