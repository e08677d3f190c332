/* relais-test-station.c: a station on a test hub for the UI tests. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-station.h"
#include "station-application.h"

StationServices *
relais_test_station_services_new (RelaisTestHub      *hub,
                                  const char * const *settings)
{
  g_autoptr(GError) error = NULL;
  RelaisConfig *config = relais_test_hub_station_config (hub, settings);
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

void
relais_test_station_free (StationWindow   *window,
                          StationServices *services)
{
  if (window != NULL)
    gtk_widget_destroy (GTK_WIDGET (window));
  if (services != NULL)
    g_object_unref (services);
}
