/* relais-test-station.c: a station on a test hub for the UI tests. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-station.h"
#include "station-application.h"

StationServices *
relais_test_station_services_new (RelaisTestHub      *hub,
                                  const char * const *settings)
{
  g_autoptr(GError) error = NULL;
  RelaisConfig    *config = relais_test_hub_station_config (hub, settings);
  StationServices *services = station_services_new (config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (services);
  return services;
}

StationWindow *
relais_test_station_window_new (StationServices *services)
{
  StationWindow *window;

  station_load_css ();
  window = station_window_new (NULL, services);
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

/* Every file under @dir, as paths. */
static void
list_files (const char *dir,
            GHashTable *files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        list_files (path, files);
      else
        g_hash_table_add (files, g_steal_pointer (&path));
    }
}

GHashTable *
relais_test_station_list_files (void)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *dirs[] = { g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
                         g_get_user_cache_dir (), g_get_user_state_dir (), g_get_tmp_dir (),
                         g_get_user_runtime_dir () };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    list_files (dirs[i], files);
  return files;
}

char *
relais_test_station_new_files (GHashTable *before)
{
  g_autoptr(GHashTable) after = relais_test_station_list_files ();
  GString       *new_files = g_string_new (NULL);
  GHashTableIter iter;
  gpointer       path;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    if (!g_hash_table_contains (before, path))
      g_string_append_printf (new_files, "%s\n", (const char *) path);
  return g_string_free (new_files, FALSE);
}

void
relais_test_station_free (StationWindow   *window,
                          StationServices *services)
{
  if (window != NULL)
    gtk_widget_destroy (GTK_WIDGET (window));
  if (services != NULL)
    g_object_unref (services);
}
