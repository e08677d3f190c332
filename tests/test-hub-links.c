/* test-hub-links.c: the headless hub links none of the stations' and the
 * console's libraries (issue 13, point 6): a server that needs SANE, CUPS,
 * poppler, GTK or cairo to start is one `apt upgrade` away from a broken
 * site. Reads the ELF NEEDED list (objdump -p) and what the loader would
 * bring in with it (ldd). */
#define G_LOG_DOMAIN "relais-test"

#include <string.h>

#include "relais-test-util.h"

/* Prefixes of the sonames the hub must not need, directly or not. */
static const char * const forbidden[] = {
  "libsane",
  "libcups",
  "libpoppler",
  "libgtk",
  "libgdk",
  "libcairo",
  "libpango",
  "libX11",
  NULL,
};

static char *
hub_path (void)
{
  char *path = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

/* Runs @tool @option @path; its standard output (owned), or NULL when the
 * tool is missing (the test is then skipped). */
static char *
run_tool (const char *tool,
          const char *option,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (tool);
  g_autofree char *err = NULL;
  char            *out = NULL;
  int              status = 0;

  if (program == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", tool);

      g_test_skip (why);
      return NULL;
    }
  {
    const char *argv[] = { program, option, path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("%s: %s", tool, err);
  g_assert_no_error (error);
  return out;
}

/* The library names in @lines: "NEEDED libfoo.so.1" (objdump -p) or
 * "libfoo.so.1 => /usr/lib/…" (ldd), one a line. */
static GPtrArray *
libraries (const char *lines,
           gboolean    needed_only)
{
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; split[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (split[i]), " \t", -1);
      guint       n = 0;
      const char *name = NULL;

      /* g_strsplit_set keeps empty words between runs of blanks. */
      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0')
          {
            if (needed_only && n == 0 && !g_str_equal (words[w], "NEEDED"))
              break;
            if (n == (needed_only ? 1 : 0))
              name = words[w];
            n++;
          }
      if (name != NULL)
        g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

static void
assert_none_forbidden (GPtrArray  *names,
                       const char *how)
{
  guint bad = 0;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_test_message ("%s: %s", how, name);
      for (guint f = 0; forbidden[f] != NULL; f++)
        if (g_str_has_prefix (name, forbidden[f]))
          {
            g_test_message ("the hub must not link %s (%s)", name, how);
            bad++;
          }
    }
  g_assert_cmpuint (bad, ==, 0);
}

/* What the link editor wrote: the hub's own choices. */
static void
test_needed (void)
{
  g_autofree char *path = hub_path ();
  g_autofree char *out = run_tool ("objdump", "-p", path);
  g_autoptr(GPtrArray) names = NULL;

  if (out == NULL)
    return;
  names = libraries (out, TRUE);
  /* The list was read: a hub links at least GLib. */
  g_assert_true (g_ptr_array_find_with_equal_func (names, "libglib-2.0.so.0", g_str_equal, NULL));
  assert_none_forbidden (names, "NEEDED");
}

/* What the loader brings in: a library the hub needs must not drag GTK or
 * cairo along either. */
static void
test_loaded (void)
{
  g_autofree char *path = hub_path ();
  g_autofree char *out = run_tool ("ldd", path, NULL);
  g_autoptr(GPtrArray) names = NULL;

  if (out == NULL)
    return;
  names = libraries (out, FALSE);
  g_assert_cmpuint (names->len, >, 1);
  assert_none_forbidden (names, "ldd");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hub-links/needed", test_needed);
  g_test_add_func ("/hub-links/loaded", test_loaded);
  return g_test_run ();
}
