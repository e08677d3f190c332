/* test-config.c: one documented key file per program, defaults, typos. */
#include <glib/gstdio.h>

#include "relais-config.h"
#include "relais-test-util.h"

static void
test_defaults_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = NULL;

  g_unsetenv ("RELAIS_CONFIG");
  config = relais_config_load (RELAIS_PROGRAM_STATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (relais_config_get_path (config));
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "http://127.0.0.1:8470");
  /* Paths under the user's data dir, never a fixed place. */
  g_assert_true (g_str_has_prefix (relais_config_get (config, "station", "database"), g_get_user_data_dir ()));
  g_assert_true (relais_config_get_bool (config, "station", "fullscreen"));
}

static void
test_shipped_examples_load (void)
{
  static const struct { const char *file; RelaisProgram program; } examples[] = {
    { "hub.conf", RELAIS_PROGRAM_HUB },
    { "station.conf", RELAIS_PROGRAM_STATION },
    { "mediator.conf", RELAIS_PROGRAM_MEDIATOR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *path = g_build_filename (relais_test_source_dir (), "assets", "config", examples[i].file, NULL);
      g_autofree char *shipped = NULL;
      g_autofree char *dumped = relais_config_dump_defaults (examples[i].program);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaisConfig) config = relais_config_load (examples[i].program, path, &error);

      g_assert_no_error (error);
      /* The documentation shipped is what the program knows. */
      g_assert_true (g_file_get_contents (path, &shipped, NULL, NULL));
      g_assert_cmpstr (shipped, ==, dumped);
    }
}

static char *
write_config (const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-config-XXXXXX", NULL);
  char *path = g_build_filename (dir, "station.conf", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_values_and_overrides (void)
{
  g_autofree char *path = write_config ("[hub]\nurl = http://hub.local:9000 \n[station]\nname=Accueil 2\nfullscreen=false\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get_path (config), ==, path);
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "http://hub.local:9000");
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "Accueil 2");
  g_assert_false (relais_config_get_bool (config, "station", "fullscreen"));
  relais_config_set (config, "station", "name", "Poste 3");
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "Poste 3");
}

static void
test_unknown_key_refused (void)
{
  g_autofree char *path = write_config ("[station]\nfulscreen=false\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);

  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "fulscreen"));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_unreadable_refused (void)
{
  g_autofree char *garbage = write_config ("this is = not [a key file\n\x01");
  g_autoptr(GError) error = NULL;
  RelaisConfig *config;

  config = relais_config_load (RELAIS_PROGRAM_HUB, "/nonexistent/relais/hub.conf", &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/relais/hub.conf"));
  g_clear_error (&error);

  config = relais_config_load (RELAIS_PROGRAM_HUB, garbage, &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ);
}

static void
test_bad_number_falls_back (void)
{
  g_autofree char *path = write_config ("[hub]\nport=huit mille\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_HUB, path, &error);

  g_assert_no_error (error);
  g_test_expect_message ("relais-common", G_LOG_LEVEL_MESSAGE, "*huit mille*");
  g_assert_cmpint (relais_config_get_int (config, "hub", "port"), ==, 8470);
  g_test_assert_expected_messages ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/config/defaults-only", test_defaults_only);
  g_test_add_func ("/config/shipped-examples-load", test_shipped_examples_load);
  g_test_add_func ("/config/values-and-overrides", test_values_and_overrides);
  g_test_add_func ("/config/unknown-key-refused", test_unknown_key_refused);
  g_test_add_func ("/config/unreadable-refused", test_unreadable_refused);
  g_test_add_func ("/config/bad-number-falls-back", test_bad_number_falls_back);
  return g_test_run ();
}
