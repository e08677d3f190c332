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
  if (services->link == NULL
      || !relais_link_set_pin (services->link, relais_config_get (config, "hub", "pin"), error))
    return NULL;
  services->session = station_session_new (services->link);

  station_services_probe_scanner (services);
  services->printer = relais_printer_cups_new (relais_config_get (config, "printer", "destination"),
                                               &services->printer_error);
  if (services->printer == NULL)
    g_message ("printer: %s", services->printer_error->message);

  return g_steal_pointer (&services);
}

char *
station_services_raise_help (StationServices  *services,
                             const char       *category,
                             const char       *language,
                             const char       *reason,
                             GError          **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *key = NULL;
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", category);
  if (language != NULL)
    json_object_set_string_member (data, "language", language);
  if (reason != NULL)
    {
      json_object_set_string_member (data, "origin", "station");
      json_object_set_string_member (data, "reason", reason);
    }
  key = relais_link_queue_event (services->link, "help.raise", data, error);
  if (key == NULL)
    return NULL;
  /* Its response times go into the session's anonymous log. */
  station_session_note_help (services->session, id, category);
  return g_steal_pointer (&id);
}

void
station_services_report_step (StationServices *services,
                              const char      *step)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  JsonObject *data;

  if (g_strcmp0 (services->reported_step, step) == 0)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "step", step);
  /* Sessions proper come with the welcome screen; until then a resident
   * is "in session" whenever the station is away from its home screen. */
  json_object_set_boolean_member (data, "in_session", !g_str_equal (step, "home"));
  key = relais_link_queue_event (services->link, "station.status", data, &error);
  if (key == NULL)
    {
      g_message ("step not reported: %s", error->message);
      return;
    }
  g_free (services->reported_step);
  services->reported_step = g_strdup (step);
}

void
station_services_free (StationServices *services)
{
  if (services == NULL)
    return;
  if (services->session != NULL)
    station_session_end (services->session, STATION_END_SHUTDOWN);
  g_clear_object (&services->session);
  if (services->link != NULL)
    relais_link_stop (services->link);
  g_clear_object (&services->link);
  g_clear_object (&services->scanner);
  g_clear_error (&services->scanner_error);
  g_clear_object (&services->printer);
  g_clear_error (&services->printer_error);
  g_clear_pointer (&services->config, relais_config_free);
  g_free (services->station_name);
  g_free (services->reported_step);
  g_free (services);
}
