/* test-station-links.c: the station at rest maps no WebKit (issue 14):
 * relais-station links none of it, its browser page is a module that
 * does (station-browser.c), and that module is whole: every function of
 * the station it calls is exported by relais-station, and it carries no
 * second copy of the station's code (a second copy of a GType's
 * registration fails at the first page). Reads the ELF dynamic symbol
 * tables (nm -D) and what the loader would bring in (ldd), as
 * test-hub-links.c does for the hub. */
#define G_LOG_DOMAIN "relais-test"

#include <string.h>

#include "relais-test-util.h"

static char *
built (const char *name)
{
  char *path = g_build_filename (relais_test_build_dir (), "station", name, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

/* @argv's standard output (owned), or NULL when its tool is missing (the
 * test is then skipped). */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  char *out = NULL;
  int   status = 0;

  if (program == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (why);
      return NULL;
    }
  g_ptr_array_add (args, program);
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("%s: %s", argv[0], err);
  g_assert_no_error (error);
  return out;
}

/* The station's own names (ours, not a library's). */
static gboolean
is_ours (const char *symbol)
{
  return g_str_has_prefix (symbol, "station_") || g_str_has_prefix (symbol, "_station_")
         || g_str_has_prefix (symbol, "relais_") || g_str_has_prefix (symbol, "_relais_");
}

/* The symbol names of `nm -D @option @path` that are ours. */
static GHashTable *
symbols (const char *option,
         const char *path)
{
  g_autofree char *out = run_tool ((const char *[]) { "nm", "-D", option, path, NULL });
  g_auto(GStrv) lines = NULL;
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (out == NULL)
    return found;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *name = strrchr (lines[i], ' ');

      name = name != NULL ? name + 1 : lines[i];
      if (is_ours (name))
        g_hash_table_add (found, g_strdup (name));
    }
  return found;
}

static void
test_station_maps_no_webkit (void)
{
  g_autofree char *station = built ("relais-station");
  g_autofree char *out = run_tool ((const char *[]) { "ldd", station, NULL });

  if (out == NULL)
    return;
  g_assert_nonnull (strstr (out, "libgtk-3"));
  g_assert_null (strstr (out, "libwebkit2gtk"));
  g_assert_null (strstr (out, "libjavascriptcoregtk"));
}

static void
test_module_links_webkit (void)
{
  g_autofree char *module = built ("librelais-station-browser.so");
  g_autofree char *out = run_tool ((const char *[]) { "objdump", "-p", module, NULL });

  if (out == NULL)
    return;
  g_assert_nonnull (strstr (out, "libwebkit2gtk-4.1.so"));
}

static void
test_module_is_whole (void)
{
  g_autofree char *station = built ("relais-station");
  g_autofree char *module = built ("librelais-station-browser.so");
  g_autoptr(GHashTable) exported = symbols ("--defined-only", station);
  g_autoptr(GHashTable) needed = symbols ("--undefined-only", module);
  g_autoptr(GHashTable) own = symbols ("--defined-only", module);
  GHashTableIter iter;
  gpointer       name;
  guint          missing = 0, twice = 0;

  if (g_test_failed () || g_hash_table_size (exported) == 0)
    return;
  /* The module calls the station: the page's parent type at least. */
  g_assert_true (g_hash_table_contains (needed, "station_page_get_type"));
  g_hash_table_iter_init (&iter, needed);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (exported, name))
      {
        g_test_message ("the module calls %s, which relais-station does not export", (char *) name);
        missing++;
      }
  g_hash_table_iter_init (&iter, own);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (g_hash_table_contains (exported, name))
      {
        g_test_message ("%s is in the module and in relais-station", (char *) name);
        twice++;
      }
  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpuint (twice, ==, 0);
  /* What station-browser.c looks up. */
  g_assert_true (g_hash_table_contains (own, "station_browser_page_get_type"));
  g_assert_true (g_hash_table_contains (own, "station_browser_page_forget_spare"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/station-links/station-maps-no-webkit", test_station_maps_no_webkit);
  g_test_add_func ("/station-links/module-links-webkit", test_module_links_webkit);
  g_test_add_func ("/station-links/module-is-whole", test_module_is_whole);
  return g_test_run ();
}
