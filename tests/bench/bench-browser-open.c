/* bench-browser-open: from touching a site's tile to the first frame of
 * the local test page drawn, over N opens, each in a new session (the web
 * context and WebKit's processes are made at the session's start, or at
 * the touch with "cold", and gone at the session's end, as for a
 * resident); the peak RSS of the station plus WebKit's processes, and
 * this process's RSS before any session and after the last one (it holds
 * the test hub and site too, and links the browser's page: the real
 * station's figures are browser-rest.py's). Run by tests/bench/browser-open
 * under Xvfb. */
#include <webkit2/webkit2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relais-test-hub.h"
#include "relais-test-site.h"
#include "relais-test-station.h"
#include "relais-test-util.h"
#include "station-browser.h"
#include "station-browser-page.h"

static StationWindow *window;
static double         peak_mb;
static gint64         painted_at;
static gboolean       loaded;

/* @field ("VmRSS:", "RssAnon:"…) of @pid's status in kB (0 when gone). */
static long
status_kb (int         pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char      *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return 0;
  return strtol (line + strlen (field), NULL, 10);
}

/* The process's largest mappings (RSS >= 2 MB), by file or [heap] /
 * anonymous: what the memory at rest and after the sessions is. */
static void
print_mappings (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  const char    *name = "";
  GHashTableIter iter;
  gpointer       key, value;

  if (!g_file_get_contents ("/proc/self/smaps", &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      if (g_ascii_isxdigit (**l) && strchr (*l, '-') != NULL && strchr (*l, ' ') != NULL)
        {
          const char *path = strchr (*l, '/');
          const char *bracket = strchr (*l, '[');

          name = path != NULL      ? path
                 : bracket != NULL ? bracket
                                   : "(anonymous)";
        }
      else if (g_str_has_prefix (*l, "Rss:"))
        {
          long kb = strtol (*l + 4, NULL, 10) + GPOINTER_TO_INT (g_hash_table_lookup (sizes, name));

          g_hash_table_replace (sizes, g_strdup (name), GINT_TO_POINTER (kb));
        }
    }
  g_hash_table_iter_init (&iter, sizes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_INT (value) >= 2048)
      g_print ("  %6.1f MB %s\n", GPOINTER_TO_INT (value) / 1024.0, (const char *) key);
}

/* VmRSS of @pid in kB (0 when gone). */
static long
rss_kb (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char      *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return 0;
  return strtol (line + 6, NULL, 10);
}

/* The station and every process under it (WebKit's web and network
 * processes, their bubblewrap and D-Bus proxy). */
static double
tree_mb (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr(GHashTable) tree = g_hash_table_new (NULL, NULL);
  GHashTable *parents = g_hash_table_new (NULL, NULL);
  const char *name;
  long        kb = 0;
  gboolean    grew = TRUE;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char      *close;
      int              pid = atoi (name), ppid;

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) || (close = strrchr (stat, ')')) == NULL)
        continue;
      if (sscanf (close + 2, "%*c %d", &ppid) == 1)
        g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
    }
  g_hash_table_add (tree, GINT_TO_POINTER (getpid ()));
  while (grew)
    {
      GHashTableIter iter;
      gpointer       pid, ppid;

      grew = FALSE;
      g_hash_table_iter_init (&iter, parents);
      while (g_hash_table_iter_next (&iter, &pid, &ppid))
        if (g_hash_table_contains (tree, ppid) && !g_hash_table_contains (tree, pid))
          {
            g_hash_table_add (tree, pid);
            grew = TRUE;
          }
    }
  {
    GHashTableIter iter;
    gpointer       pid;

    g_hash_table_iter_init (&iter, tree);
    while (g_hash_table_iter_next (&iter, &pid, NULL))
      kb += rss_kb (GPOINTER_TO_INT (pid));
  }
  g_hash_table_unref (parents);
  return kb / 1024.0;
}

static gboolean
sample_cb (gpointer data)
{
  peak_mb = MAX (peak_mb, tree_mb ());
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (loaded && painted_at == 0)
    painted_at = g_get_monotonic_time ();
}

static void
load_changed_cb (WebKitWebView  *view,
                 WebKitLoadEvent event,
                 gpointer        data)
{
  if (event == WEBKIT_LOAD_FINISHED)
    {
      loaded = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (view));
    }
}

static gboolean
painted (gpointer data)
{
  return painted_at != 0;
}

static gboolean
spare_ready (gpointer data)
{
  return station_browser_page_spare_ready ();
}

/* The person's browser made ahead: how long after « Commencer » the
 * first page is fast (a person touching a site sooner waits for part of
 * it: the opens measured here start once it is ready). */
static double
wait_spare (void)
{
  gint64 start = g_get_monotonic_time ();

  if (!relais_test_wait (spare_ready, NULL) && !relais_test_wait (spare_ready, NULL))
    g_error ("no browser made ahead after 40 s");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) readies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *sites = NULL;
  RelaisTestHub   *hub;
  RelaisTestSite  *site;
  StationServices *services;
  GdkFrameClock   *clock;
  double           rest_mb, after_mb;
  int              opens = argc > 1 ? atoi (argv[1]) : 20;
  /* "cold": no browser made ahead, all made at the touch (as before). */
  gboolean         prewarm = argc <= 2 || !g_str_equal (argv[2], "cold");

  /* As the station's main (): no OpenGL in the station's process. */
  g_setenv ("GDK_GL", "disable", FALSE);
  station_browser_prepare_environment ();
  /* The page is linked in: the window makes it without the module. */
  g_type_ensure (STATION_TYPE_BROWSER_PAGE);
  gtk_init (&argc, &argv);
  hub = relais_test_hub_new ();
  site = relais_test_site_new ();
  sites = g_strdup_printf ("Caisse d'essai|%s", site->url);
  services = relais_test_station_services_new (hub, (const char * const[]) {
                                                        "printer", "destination", "none-here", "browser", "sites", sites,
                                                        "browser", "prewarm", prewarm ? "true" : "false", NULL });
  window = relais_test_station_window_new (services);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_timeout_add (50, sample_cb, NULL);
  relais_test_wait (painted, NULL); /* 20 s of rest: the window settles */
  rest_mb = rss_kb (getpid ()) / 1024.0;
  g_print ("station at rest: %.1f MB (anonymous %.1f MB, files %.1f MB; whole tree %.1f MB)\n", rest_mb,
           status_kb (getpid (), "RssAnon:") / 1024.0, status_kb (getpid (), "RssFile:") / 1024.0, tree_mb ());
  print_mappings ();

  for (int i = 0; i < opens; i++)
    {
      GtkWidget *page;
      GtkWidget *tile;
      GtkWidget *view;
      gint64     start;
      double     ms;

      g_signal_emit_by_name (station_window_get_page (window, "welcome"), "start", "fr");
      if (prewarm)
        {
          double ms = wait_spare ();

          g_array_append_val (readies, ms);
        }
      station_window_show_page (window, "browser");
      page = station_window_get_page (window, "browser");
      while (gtk_events_pending ())
        gtk_main_iteration ();
      tile = gtk_bin_get_child (GTK_BIN (gtk_flow_box_get_child_at_index (
          GTK_FLOW_BOX (g_object_get_data (G_OBJECT (page), "relais-tiles")), 0)));
      loaded = FALSE;
      painted_at = 0;
      start = g_get_monotonic_time ();
      gtk_button_clicked (GTK_BUTTON (tile));
      view = station_browser_page_get_view (STATION_BROWSER_PAGE (page));
      g_signal_connect (view, "load-changed", G_CALLBACK (load_changed_cb), NULL);
      if (!relais_test_wait (painted, NULL) && !relais_test_wait (painted, NULL) && !relais_test_wait (painted, NULL))
        g_error ("open %d: no page after 60 s", i + 1);
      ms = (painted_at - start) / 1000.0;
      g_array_append_val (times, ms);
      g_print ("open %d: first frame after %.0f ms, peak so far %.1f MB\n", i + 1, ms, peak_mb);
      station_session_end (services->session, STATION_END_BUTTON);
    }

  /* The last session's web processes end: the station alone again. */
  for (int i = 0; i < 30; i++)
    {
      g_usleep (100000);
      while (gtk_events_pending ())
        gtk_main_iteration ();
    }
  after_mb = rss_kb (getpid ()) / 1024.0;
  g_array_sort (times, compare);
  g_print ("station after the sessions: %.1f MB (anonymous %.1f MB, files %.1f MB; whole tree %.1f MB)\n", after_mb,
           status_kb (getpid (), "RssAnon:") / 1024.0, status_kb (getpid (), "RssFile:") / 1024.0, tree_mb ());
  print_mappings ();
  /* The process holds the test's hub and site too: its rest and after
   * figures are not the station's alone (tests/bench/station-startup
   * measures that); the difference is what the sessions left. */
  if (readies->len > 0)
    {
      g_array_sort (readies, compare);
      g_print ("browser made ahead ready after « Commencer »: p50 %.0f ms, max %.0f ms\n",
               g_array_index (readies, double, readies->len / 2), g_array_index (readies, double, readies->len - 1));
    }
  /* The station's own rest and after figures come from the real process
   * (browser-rest.py): tests/bench/browser-open joins both lines. */
  g_print ("OPENS p50_ms=%.0f p99_ms=%.0f rss_mb=%.0f inprocess_rest_mb=%.1f inprocess_after_mb=%.1f "
           "after_delta_mb=%.1f ready_p50_ms=%.0f opens=%d prewarm=%s\n",
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, MIN (times->len - 1, (guint) (times->len * 0.99))), peak_mb, rest_mb,
           after_mb, after_mb - rest_mb, readies->len > 0 ? g_array_index (readies, double, readies->len / 2) : 0.0,
           opens, prewarm ? "yes" : "no");
  relais_test_station_free (window, services);
  station_browser_page_forget_spare ();
  relais_test_site_free (site);
  relais_test_hub_free (hub);
  return 0;
}
