/* station-services.c: the devices and link the station's pages share. */
#define G_LOG_DOMAIN "relais-station"

#include "station-services.h"

#include <glib/gi18n.h>

void
station_services_probe_scanner (StationServices *services)
{
  g_clear_object (&services->scanner);
  g_clear_error (&services->scanner_error);
  services->scanner = relais_scanner_sane_new (relais_config_get (services->config, "scanner", "device"),
                                               &services->scanner_error);
  if (services->scanner == NULL)
    g_message ("scanner: %s", services->scanner_error->message);
}

StationServices *
station_services_new (RelaisConfig  *config,
                      GError       **error)
{
  g_autoptr(StationServices) services = g_new0 (StationServices, 1);

  services->config = config;
  services->station_name = g_strdup (relais_config_get (config, "station", "name"));

  services->link = relais_link_new (relais_config_get (config, "hub", "url"),
                                    relais_config_get (config, "station", "token"),
                                    relais_config_get (config, "station", "database"),
                                    error);
  if (services->link == NULL)
    return NULL;

  station_services_probe_scanner (services);
  services->printer = relais_printer_cups_new (relais_config_get (config, "printer", "destination"),
                                               &services->printer_error);
  if (services->printer == NULL)
    g_message ("printer: %s", services->printer_error->message);

  return g_steal_pointer (&services);
}

void
station_services_free (StationServices *services)
{
  if (services == NULL)
    return;
  if (services->link != NULL)
    relais_link_stop (services->link);
  g_clear_object (&services->link);
  g_clear_object (&services->scanner);
  g_clear_error (&services->scanner_error);
  g_clear_object (&services->printer);
  g_clear_error (&services->printer_error);
  g_clear_pointer (&services->config, relais_config_free);
  g_free (services->station_name);
  g_free (services);
}
