/* station-application.c: the kiosk application: options, services, window. */

#include "station-application.h"
#include "station-browser.h"
#include "station-window.h"
#include "relais-enrol-command.h"
#include "relais-enrol-window.h"
#include "relais-version.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

struct _StationApplication {
  GtkApplication   parent_instance;

  /* Owned */
  StationServices *services;
  char            *config_path;
  gboolean         windowed;
  /* The window was closed for a new process (station_application_renews ()) */
  gboolean         renew;
};

G_DEFINE_FINAL_TYPE (StationApplication, station_application, GTK_TYPE_APPLICATION)

void
station_load_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/fr/relais/station/css/station.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* The pictograms beside each choice (assets/icons). */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_default (), "/fr/relais/station/icons");
}

static int
station_application_handle_local_options (GApplication *application,
                                          GVariantDict *options)
{
  StationApplication *self = STATION_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("relais-station %s\n", RELAIS_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "print-config"))
    {
      g_autofree char *text = relais_config_dump_defaults (RELAIS_PROGRAM_STATION);
      g_print ("%s", text);
      return 0;
    }
  g_variant_dict_lookup (options, "config", "^ay", &self->config_path);
  self->windowed = g_variant_dict_contains (options, "windowed");

  config = relais_config_load (RELAIS_PROGRAM_STATION, self->config_path, &error);
  if (config == NULL)
    {
      g_printerr ("relais-station : %s\n", error->message);
      return 1;
    }
  if (g_variant_dict_contains (options, "enrol"))
    {
      g_autofree char *code = NULL;
      g_autofree char *url = NULL;
      g_autofree char *own = g_build_filename (g_get_user_config_dir (), "relais", "station.conf", NULL);

      g_variant_dict_lookup (options, "enrol", "s", &code);
      g_variant_dict_lookup (options, "hub", "s", &url);
      return relais_enrol_command ("station", config, own, code, url, stdin, stdout);
    }
  self->services = station_services_new (g_steal_pointer (&config), &error);
  if (self->services == NULL)
    {
      g_printerr ("relais-station : %s\n", error->message);
      return 1;
    }
  return -1;
}

/* For tests/bench/station-startup: one line when the first frame is
 * drawn, so that a cold start can be timed from outside. */
static gboolean
first_frame_cb (GtkWidget *widget,
                cairo_t   *cr,
                gpointer   data)
{
  g_signal_handlers_disconnect_by_func (widget, first_frame_cb, data);
  g_printerr ("relais-station: first frame\n");
  return FALSE;
}

/* After a session that loaded the browser, the station renews its
 * process: WebKit, once loaded, stays mapped for the process's life (its
 * code ~21 MB, its heap more), so the station at rest would hold ~120 MB
 * instead of ~60 (tests/bench/browser-open). And a new process is the
 * plainest proof that nothing of a person's session survives in the
 * station's memory: not a page, a cookie, a word typed in a site, an
 * image freed but not overwritten.
 *
 * How: the window goes at once (the next person never sees it, and no
 * touch lands in it), the application ends as at a stop (the link's
 * threads joined, the database closed: the outbox, durable in SQLite,
 * loses nothing), and main () executes the same program again, same
 * process id: the kiosk's supervisor (systemd, cage) sees nothing, the
 * new process shows its welcome screen ~0.5 s later (a second with
 * the browser's module, see tests/bench/station-startup). A key being
 * unmounted holds the application until it is (station-window.c). */
static gboolean
renew_cb (gpointer data)
{
  StationApplication *self = data;
  GtkWindow          *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_destroy (GTK_WIDGET (window));
  return G_SOURCE_REMOVE;
}

static void
session_ended_cb (StationSession     *session,
                  StationEndReason    reason,
                  StationApplication *self)
{
  if (!station_browser_is_loaded () || self->renew)
    return;
  g_message ("the browser was loaded: a new process for the next person");
  self->renew = TRUE;
  /* After the window's own handler, before anything else is drawn or
   * answered (the accessibility bus's questions come at the default
   * priority). */
  g_idle_add_full (G_PRIORITY_HIGH, renew_cb, g_object_ref (self), g_object_unref);
}

gboolean
station_application_renews (StationApplication *self)
{
  g_return_val_if_fail (STATION_IS_APPLICATION (self), FALSE);
  return self->renew;
}

static void
station_application_activate (GApplication *application)
{
  StationApplication *self = STATION_APPLICATION (application);
  GtkWindow          *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* First start, no token: the staff enrol the station by code; once
   * saved, it quits and its service starts it again, enrolled. */
  if (window == NULL && *relais_config_get (self->services->config, "station", "token") == '\0')
    {
      const char      *path = relais_config_get_enrolment_path (self->services->config);
      g_autofree char *own = g_build_filename (g_get_user_config_dir (), "relais", "station.conf", NULL);

      station_load_css ();
      window = GTK_WINDOW (relais_enrol_window_new (GTK_APPLICATION (self), "station", path != NULL ? path : own,
                                                    relais_config_get (self->services->config, "hub", "url")));
      g_signal_connect_object (window, "enrolled", G_CALLBACK (g_application_quit), self, G_CONNECT_SWAPPED);
    }
  if (window == NULL)
    {
      station_load_css ();
      window = GTK_WINDOW (station_window_new (GTK_APPLICATION (self), self->services));
      if (g_getenv ("RELAIS_REPORT_FIRST_FRAME") != NULL)
        g_signal_connect_after (window, "draw", G_CALLBACK (first_frame_cb), NULL);
      if (!self->windowed && relais_config_get_bool (self->services->config, "station", "fullscreen"))
        gtk_window_fullscreen (window);
      relais_link_start (self->services->link);
      g_signal_connect_object (self->services->session, "ended", G_CALLBACK (session_ended_cb), self,
                               G_CONNECT_AFTER);
    }
  gtk_window_present (window);
}

static void
station_application_shutdown (GApplication *application)
{
  StationApplication *self = STATION_APPLICATION (application);

  G_APPLICATION_CLASS (station_application_parent_class)->shutdown (application);
  g_clear_object (&self->services);
  /* GtkApplication's shutdown writes GTK's recent files list out
   * (_gtk_recent_manager_sync ()), emptied at the session's end
   * (station-window.c): nothing of the session goes to disk, not even
   * an empty list, before the next process. */
  if (self->renew)
    {
      g_autofree char *recent = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);

      g_unlink (recent);
    }
}

static void
station_application_finalize (GObject *object)
{
  StationApplication *self = STATION_APPLICATION (object);

  g_clear_object (&self->services);
  g_free (self->config_path);
  G_OBJECT_CLASS (station_application_parent_class)->finalize (object);
}

static void
station_application_class_init (StationApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = station_application_finalize;
  app_class->handle_local_options = station_application_handle_local_options;
  app_class->activate = station_application_activate;
  app_class->shutdown = station_application_shutdown;
}

static void
station_application_init (StationApplication *self)
{
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Fichier de configuration"), N_ ("FICHIER") },
    { "windowed", 'w', 0, G_OPTION_ARG_NONE, NULL, N_ ("Dans une fenêtre plutôt qu'en plein écran"), NULL },
    { "enrol", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Inscrit le poste auprès du hub avec le code de « relais-hub enroll station NOM », sans écran"), N_ ("CODE") },
    { "hub", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Avec --enrol : l'adresse du hub, si ce n'est pas celle de la configuration"), N_ ("URL") },
    { "print-config", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Affiche la configuration par défaut documentée"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Affiche la version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

StationApplication *
station_application_new (void)
{
  /* NON_UNIQUE: a kiosk has one instance; no session bus is needed. */
  return g_object_new (STATION_TYPE_APPLICATION,
                       "application-id", "fr.relais.Station",
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}
