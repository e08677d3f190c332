/* relais-test-ui.c: helpers for the GTK tests under Xvfb. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-ui.h"
#include "relais-test-util.h"

void
relais_test_ui_isolate_user_dirs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-ui-XXXXXX", NULL);
  static const char * const vars[] = { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *path = g_build_filename (dir, vars[i], NULL);
      g_mkdir_with_parents (path, 0700);
      g_setenv (vars[i], path, TRUE);
    }
}

void
relais_test_ui_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

char *
relais_test_ui_screenshot (GtkWidget  *window,
                           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = relais_test_artifact_path (file);
  GdkWindow *gdk_window;

  relais_test_ui_settle (400);
  gdk_window = gtk_widget_get_window (window);
  g_assert_nonnull (gdk_window);
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0,
                                       gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return path;
}
