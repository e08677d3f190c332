/* station-browser.c: the station's side of its browser: the module that
 * holds the "Internet" page and WebKit, loaded on demand, and what a
 * browser leaves in the runtime dir, removed by name.
 *
 * Why a module: linking libwebkit2gtk-4.1 into relais-station maps ~35 MB
 * of WebKit's code and data into the station at rest, used or not
 * (tests/bench/station-startup). The page's files are built into
 * relais-station-browser.so instead (station/meson.build), which the
 * station loads when a session first needs a browser: at its start when
 * the person's browser is made ahead ([browser] prewarm), else at the
 * "Internet" tile. The module calls the station's own functions (the
 * executable exports them); the station calls the module only through
 * the two symbols looked up here. WebKit cannot be unloaded: the station
 * renews its process after such a session (station-application.c). */
#define G_LOG_DOMAIN "relais-station"

#include "station-browser.h"
#include "relais-version.h"

#include <gmodule.h>
#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_QUARK (station-browser-error-quark, station_browser_error);

#define MODULE_NAME "relais-station-browser"

/* Set once, when the page's type is first found (linked in or loaded);
 * never unset: a loaded module stays (WebKit's threads and atexit
 * handlers outlive any unloading). */
static GType    page_type;
static GModule *module;
static void (*forget_spare) (void);

/* RELAIS_STATION_BROWSER_MODULE first (the tests' programs, which are not
 * relais-station, as RELAIS_LOCALEDIR names their catalogues); next to the
 * running program: the build dir, where the journeys and tools/relais-demo
 * run relais-station; else where it is installed. */
static char *
module_path (void)
{
  const char      *named = g_getenv ("RELAIS_STATION_BROWSER_MODULE");
  g_autofree char *exe = NULL;

  if (named != NULL && *named != '\0')
    return g_strdup (named);
  exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *path = g_module_build_path (dir, MODULE_NAME);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_module_build_path (RELAIS_STATION_MODULEDIR, MODULE_NAME);
}

static gboolean
load (GError **error)
{
  g_autofree char *path = NULL;
  const char      *version = NULL;
  GType (*get_type) (void) = NULL;

  if (page_type != 0)
    return TRUE;
  /* A program that links the page (the tests) registered its type. */
  page_type = g_type_from_name ("StationBrowserPage");
  if (page_type != 0)
    return TRUE;

  path = module_path ();
  /* Every symbol bound now: one the station does not export fails here,
   * with its name, not later in a person's session. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, STATION_BROWSER_ERROR, STATION_BROWSER_ERROR_MODULE, "%s", g_module_error ());
      return FALSE;
    }
  /* A module from another build of the station (an upgrade half done)
   * would call functions that no longer are what it was built against. */
  if (!g_module_symbol (module, "station_browser_module_version", (gpointer *) &version) || version == NULL
      || strcmp (version, RELAIS_VERSION) != 0
      || !g_module_symbol (module, "station_browser_page_get_type", (gpointer *) &get_type)
      || !g_module_symbol (module, "station_browser_page_forget_spare", (gpointer *) &forget_spare))
    {
      g_set_error (error, STATION_BROWSER_ERROR, STATION_BROWSER_ERROR_MODULE,
                   "%s: not the browser of relais-station %s", path, RELAIS_VERSION);
      g_module_close (g_steal_pointer (&module));
      forget_spare = NULL;
      return FALSE;
    }
  g_module_make_resident (module);
  page_type = get_type ();
  g_debug ("browser loaded from %s", path);
  return TRUE;
}

GtkWidget *
station_browser_new_page (StationServices *services,
                          GError         **error)
{
  g_return_val_if_fail (STATION_IS_SERVICES (services), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load (error))
    return NULL;
  return g_object_new (page_type, "services", services, NULL);
}

gboolean
station_browser_is_loaded (void)
{
  return page_type != 0;
}

gboolean
station_browser_available (void)
{
  static gsize    checked;
  static gboolean found;

  if (page_type != 0 || g_type_from_name ("StationBrowserPage") != 0)
    return TRUE;
  if (g_once_init_enter (&checked))
    {
      g_autofree char *path = module_path ();

      found = g_file_test (path, G_FILE_TEST_IS_REGULAR);
      if (!found)
        g_warning ("no browser: %s is missing, the « Internet » tile is hidden", path);
      g_once_init_leave (&checked, 1);
    }
  return found;
}

void
station_browser_shutdown (void)
{
  if (forget_spare != NULL)
    forget_spare ();
}
/* WebKit's sandbox leaves, for each web process it started, a folder
 * .flatpak/webkit-PID-N/ with a bwrapinfo.json (for the desktop portals)
 * in the user's runtime dir, or its cache dir when there is none; nothing
 * of the person's is in it, but nothing of a session stays on disk. The
 * kiosk's account runs no other WebKit program. */
void
station_browser_forget_sandbox_files (void)
{
  const char *roots[] = { g_get_user_runtime_dir (), g_get_user_cache_dir () };

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *flatpak = g_build_filename (roots[i], ".flatpak", NULL);
      g_autoptr(GDir) dir = g_dir_open (flatpak, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *instance = g_build_filename (flatpak, name, NULL);

          if (g_str_has_prefix (name, "webkit-"))
            station_browser_remove_folder (instance);
        }
      g_rmdir (flatpak);
    }
}

/* A station stopped by a signal or a crash leaves its browser's folders
 * in the runtime dir: the files a person gave to a site (the uploads'
 * folder), the sandbox's. This station removes them when its browser
 * page is first built, at its start (before any context of its own),
 * and no later; the kiosk's account runs one station and no other
 * WebKit program. */
void
station_browser_forget_leftovers (void)
{
  static gboolean done;
  const char     *runtime = g_get_user_runtime_dir ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (done)
    return;
  done = TRUE;
  dir = g_dir_open (runtime, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (runtime, name, NULL);

      if (!g_str_has_prefix (name, "relais-web-") || !g_file_test (folder, G_FILE_TEST_IS_DIR)
          || g_file_test (folder, G_FILE_TEST_IS_SYMLINK))
        continue;
      g_message ("a stopped station's uploads' folder removed");
      station_browser_remove_folder (folder);
    }
  station_browser_forget_sandbox_files ();
}

void
station_browser_remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

/* The first DRM render node (/dev/dri/renderD128…), NULL when there is
 * none. */
static char *
first_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;
  guint64     first = G_MAXUINT64;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 number;

      if (g_str_has_prefix (name, "renderD")
          && g_ascii_string_to_unsigned (name + strlen ("renderD"), 10, 0, G_MAXUINT32, &number, NULL))
        first = MIN (first, number);
    }
  return first == G_MAXUINT64 ? NULL : g_strdup_printf ("/dev/dri/renderD%" G_GUINT64_FORMAT, first);
}

void
station_browser_prepare_environment (void)
{
  /* Mesa keeps the shaders the web process compiles in
   * ~/.cache/mesa_shader_cache: hundreds of files left by every session
   * (test-browser-ui's proof of no file). */
  g_setenv ("MESA_SHADER_CACHE_DISABLE", "true", TRUE);

  /* No EGL in the station's own process. WebKitGTK 2.50's UI side opens
   * an EGL display for two things only: to offer the web process DMA-BUF
   * buffers (when the first context is made), and to find which GPU the
   * web process should render with (the render node of that display, when
   * each web process starts). Mesa's driver and LLVM then stay mapped for
   * the process's life (~50 MB: LLVM is never unloaded), the station's
   * memory at rest doubled by its first site (tests/bench/browser-open).
   * The station needs neither: its views are drawn without compositing
   * (settings_new ()'s hardware-acceleration-policy), so the web process
   * hands over its frames in shared memory, not DMA-BUF; and the GPU is
   * named here: the first render node, what WebKit finds on a station
   * with one GPU. With none (a software-only station, Xvfb) a name no
   * device has is given: the web process then uses EGL's surfaceless
   * platform, as WebKit's own empty answer makes it. The web processes
   * keep their own EGL (with none at all they abort). Set before GTK or
   * WebKit reads them; a value the operator set is kept. */
  g_setenv ("WEBKIT_DISABLE_DMABUF_RENDERER", "1", FALSE);
  if (g_getenv ("WEBKIT_WEB_RENDER_DEVICE_FILE") == NULL)
    {
      g_autofree char *node = first_render_node ();

      g_setenv ("WEBKIT_WEB_RENDER_DEVICE_FILE", node != NULL ? node : "none", TRUE);
    }
}
