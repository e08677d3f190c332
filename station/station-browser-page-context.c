/* station-browser-page-context.c: the browser's web contexts, each
 * ephemeral and serving one session at most, the next person's made
 * ahead (the spare), and what WebKit's sandbox or a stopped station
 * leaves on disk. Calls go one way: the page takes contexts from here;
 * this file calls only the files part (the uploads' folder). */

#include "station-browser-page-private.h"

#include <glib/gstdio.h>

/* A context of its own, never used yet: memory only, in WebKit's
 * sandbox, with the uploads' folder (*web_dir) the only one of the
 * station's it sees. */
static WebKitWebContext *
context_new (char **web_dir)
{
  g_autoptr(WebKitWebsiteDataManager) data = NULL;
  WebKitWebContext *context;

  station_browser_forget_leftovers ();

  /* Memory only: nothing the person does here is written to disk. */
  data = webkit_website_data_manager_new_ephemeral ();
  webkit_website_data_manager_set_tls_errors_policy (data, WEBKIT_TLS_ERRORS_POLICY_FAIL);
  context = webkit_web_context_new_with_website_data_manager (data);
  /* The web processes see none of the station's files (bubblewrap). */
  webkit_web_context_set_sandbox_enabled (context, TRUE);
  webkit_web_context_set_cache_model (context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
  webkit_web_context_set_spell_checking_enabled (context, FALSE);
  *web_dir = _station_browser_page_files_prepare (context);
  return context;
}

static WebKitSettings *
settings_new (void)
{
  /* Drawn without OpenGL, as the rest of the kiosk (main.c's GDK_GL): a
   * station may have no GPU, and in compositing mode under a software
   * driver (Xvfb in the tests) the page is painted nowhere the X server
   * shows it. */
  return webkit_settings_new_with_settings ("hardware-acceleration-policy",
                                            WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER,
                                            "enable-developer-extras", FALSE,
                                            "enable-page-cache", FALSE,
                                            "javascript-can-open-windows-automatically", FALSE,
                                            "javascript-can-access-clipboard", FALSE,
                                            "enable-back-forward-navigation-gestures", FALSE,
                                            NULL);
}

/* The person's browser, made ahead: starting WebKit's web and network
 * processes (the web one in its bubblewrap sandbox) is most of the first
 * page's wait, ~2 s of a 2-core station's. When a session begins (the
 * window rebuilds its pages then), a new ephemeral context and its first
 * view are made and the view's web process started on about:blank, in no
 * window, while the person finds their way to a site. The first site
 * opened takes them; they go with that page at the session's end, or
 * unused then (station_browser_page_constructed ()): a context serves one
 * session at most, the ephemeral proof (test-browser-ui) holds as before,
 * and at rest the station holds no WebKit at all.
 * "prewarm=false" in [browser]: made at the touch, as before.
 *
 * Memory: the station's process gains ~15 MB with a context (WebKit's
 * UI side; its web and network processes are their own). WebKit's UI
 * side would also open an EGL display with the first context and keep
 * Mesa's driver and LLVM mapped for the process's life (~50 MB):
 * station_browser_prepare_environment () keeps EGL out of the
 * station's process. */
typedef struct {
  WebKitWebContext *context;
  WebKitSettings   *settings;
  GtkWidget        *view; /* a reference of ours, in no window */
  char             *web_dir;
  gboolean          ready; /* about:blank drawn by its web process */
} Spare;

static Spare spare;

static void
spare_load_changed_cb (WebKitWebView  *view,
                       WebKitLoadEvent event,
                       gpointer        data)
{
  if (event == WEBKIT_LOAD_FINISHED)
    spare.ready = TRUE;
}

void
_station_browser_page_spare_make (gboolean start)
{
  if (spare.context != NULL)
    return;
  spare.context = context_new (&spare.web_dir);
  spare.settings = settings_new ();
  spare.view = g_object_ref_sink (g_object_new (WEBKIT_TYPE_WEB_VIEW, "web-context", spare.context,
                                                "settings", spare.settings, NULL));
  spare.ready = FALSE;
  if (start)
    {
      g_signal_connect (spare.view, "load-changed", G_CALLBACK (spare_load_changed_cb), NULL);
      webkit_web_view_load_uri (WEBKIT_WEB_VIEW (spare.view), "about:blank");
    }
}

gboolean
station_browser_page_spare_ready (void)
{
  return spare.ready;
}

void
station_browser_page_forget_spare (void)
{
  if (spare.context == NULL)
    return;
  gtk_widget_destroy (spare.view);
  g_clear_object (&spare.view);
  g_clear_object (&spare.settings);
  g_clear_object (&spare.context);
  /* Nothing was given to its sites: the folder is empty. */
  if (spare.web_dir != NULL)
    g_rmdir (spare.web_dir);
  g_clear_pointer (&spare.web_dir, g_free);
  spare.ready = FALSE;
  station_browser_forget_sandbox_files ();
}

GtkWidget *
_station_browser_page_spare_take (WebKitWebContext **context,
                                  WebKitSettings   **settings,
                                  char             **web_dir)
{
  _station_browser_page_spare_make (FALSE);
  g_signal_handlers_disconnect_by_func (spare.view, spare_load_changed_cb, NULL);
  *context = g_steal_pointer (&spare.context);
  *settings = g_steal_pointer (&spare.settings);
  *web_dir = g_steal_pointer (&spare.web_dir);
  spare.ready = FALSE;
  return g_steal_pointer (&spare.view);
}
