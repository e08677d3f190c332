/* station-services.c: the devices and link the station's pages share. */

#include "station-services.h"

#include <glib/gi18n.h>

/* A scanner plugged in after start is found within this delay, without
 * the resident touching "Chercher le scanner". */
#define PROBE_INTERVAL_MS 10000

G_DEFINE_FINAL_TYPE (StationServices, station_services, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCANNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
scanner_changed (StationServices *services)
{
  g_object_notify_by_pspec (G_OBJECT (services), properties[PROP_SCANNER]);
}

void
station_services_probe_scanner (StationServices *services)
{
  g_clear_object (&services->scanner);
  g_clear_error (&services->scanner_error);
  services->scanner = relais_scanner_sane_new (relais_config_get (services->config, "scanner", "device"),
                                               &services->scanner_error);
  if (services->scanner == NULL)
    g_message ("scanner: %s", services->scanner_error->message);
  scanner_changed (services);
}

/* The periodic probe: sane_get_devices () can take seconds (network
 * backends), so it runs in a worker; SANE's calls are serialised by the
 * driver's global lock. */
static void
probe_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError        *error = NULL;
  RelaisScanner *scanner = relais_scanner_sane_new (task_data, &error);

  if (scanner == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scanner, g_object_unref);
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = g_task_propagate_pointer (G_TASK (result), &error);
  StationServices *services;

  /* Cancelled: the services are gone, or being freed. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  services = user_data;
  g_clear_object (&services->probe_cancellable);
  /* Found meanwhile by "Chercher le scanner": keep that one. */
  if (scanner == NULL || services->scanner != NULL)
    {
      if (scanner == NULL)
        g_debug ("scanner still missing: %s", error->message);
      return;
    }
  g_message ("scanner plugged in: %s", relais_scanner_get_label (scanner));
  services->scanner = g_steal_pointer (&scanner);
  g_clear_error (&services->scanner_error);
  scanner_changed (services);
}

/* "Chercher le scanner", or a page's button with no scanner: the same
 * probe as the periodic one, off the screen's thread. */
static void
probe_asked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *asked = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = g_task_propagate_pointer (G_TASK (result), &error);
  StationServices *services = g_task_get_task_data (asked);

  if (g_task_return_error_if_cancelled (asked))
    {
      g_object_unref (asked);
      return;
    }
  /* Found meanwhile by the periodic probe: keep that one. */
  if (services->scanner == NULL)
    {
      g_clear_error (&services->scanner_error);
      if (scanner != NULL)
        services->scanner = g_steal_pointer (&scanner);
      else
        {
          g_message ("scanner: %s", error->message);
          services->scanner_error = g_steal_pointer (&error);
        }
      scanner_changed (services);
    }
  g_task_return_boolean (asked, services->scanner != NULL);
  g_object_unref (asked);
}

void
station_services_probe_scanner_async (StationServices    *services,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *asked;

  g_return_if_fail (services != NULL);

  asked = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (asked, station_services_probe_scanner_async);
  g_task_set_task_data (asked, services, NULL);
  task = g_task_new (NULL, cancellable, probe_asked_cb, asked);
  g_task_set_task_data (task, g_strdup (relais_config_get (services->config, "scanner", "device")), g_free);
  g_task_run_in_thread (task, probe_thread);
}

gboolean
station_services_probe_scanner_finish (StationServices *services,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == station_services_probe_scanner_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
probe_tick_cb (gpointer user_data)
{
  StationServices *services = user_data;
  g_autoptr(GTask) task = NULL;

  if (services->scanner != NULL || services->probe_cancellable != NULL)
    return G_SOURCE_CONTINUE;
  services->probe_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, services->probe_cancellable, probe_done_cb, services);
  g_task_set_task_data (task, g_strdup (relais_config_get (services->config, "scanner", "device")), g_free);
  g_task_run_in_thread (task, probe_thread);
  return G_SOURCE_CONTINUE;
}

void
station_services_set_probe_interval (StationServices *services,
                                     guint            interval_ms)
{
  services->probe_interval_ms = interval_ms;
  g_clear_handle_id (&services->probe_id, g_source_remove);
  if (interval_ms > 0)
    services->probe_id = g_timeout_add (interval_ms, probe_tick_cb, services);
}

/* The next resident meeting the same broken printer calls again: the
 * last one's request may be closed as they left. */
static void
session_ended_cb (StationSession  *session,
                  StationEndReason reason,
                  StationServices *services)
{
  station_services_printer_ok (services);
  station_services_set_help_context (services, RELAIS_HELP_CONTEXT_UNKNOWN, NULL);
}

void
station_services_set_help_context (StationServices      *services,
                                   RelaisHelpContextKind kind,
                                   const char           *context)
{
  g_autofree char *cut = NULL;

  g_return_if_fail (STATION_IS_SERVICES (services));
  g_return_if_fail (context == NULL || (kind > RELAIS_HELP_CONTEXT_UNKNOWN && kind < RELAIS_HELP_N_CONTEXTS));

  /* The hub refuses a longer one, and with it the whole request. */
  if (context != NULL && g_utf8_strlen (context, -1) > RELAIS_HELP_CONTEXT_MAX)
    cut = g_utf8_substring (context, 0, RELAIS_HELP_CONTEXT_MAX);
  g_free (services->help_context);
  services->help_context = g_strdup (cut != NULL ? cut : context);
  services->help_context_kind = context != NULL ? kind : RELAIS_HELP_CONTEXT_UNKNOWN;
}

StationServices *
station_services_new (RelaisConfig *config,
                      GError      **error)
{
  g_autoptr(StationServices) services = g_object_new (STATION_TYPE_SERVICES, NULL);

  services->config = config;
  services->station_name = g_strdup (relais_config_get (config, "station", "name"));
  services->language = g_strdup ("fr");

  services->link = relais_link_new (relais_config_get (config, "hub", "url"),
                                    relais_config_get (config, "station", "token"),
                                    relais_config_get (config, "station", "database"),
                                    error);
  if (services->link == NULL
      || !relais_link_set_pin (services->link, relais_config_get (config, "hub", "pin"), error))
    return NULL;
  /* The browser's tiles and policy, checked once: a staff's typo stops
   * the station with its reason, as an unknown key does. */
  services->web_sites = relais_web_sites_parse (relais_config_get (config, "browser", "sites"), error);
  if (services->web_sites == NULL)
    return NULL;
  services->web_policy = relais_web_policy_new (relais_config_get (config, "browser", "policy"),
                                                relais_config_get (config, "browser", "hosts"),
                                                services->web_sites, error);
  if (services->web_policy == NULL)
    return NULL;
  services->session = station_session_new (services->link);
  g_signal_connect (services->session, "ended", G_CALLBACK (session_ended_cb), services);

  station_services_probe_scanner (services);
  station_services_set_probe_interval (services, PROBE_INTERVAL_MS);
  services->printer = relais_printer_cups_new (relais_config_get (config, "printer", "destination"),
                                               &services->printer_error);
  if (services->printer == NULL)
    g_message ("printer: %s", services->printer_error->message);

  return g_steal_pointer (&services);
}

char *
station_services_raise_help (StationServices *services,
                             const char      *category,
                             const char      *language,
                             const char      *reason,
                             GError         **error)
{
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  JsonObject      *data;

  g_return_val_if_fail (relais_help_category_is_valid (category), NULL);

  id = g_uuid_string_random ();
  data = json_object_new ();
  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", category);
  if (language != NULL)
    json_object_set_string_member (data, "language", language);
  if (reason != NULL)
    {
      json_object_set_string_member (data, "origin", relais_help_origin_to_string (RELAIS_HELP_ORIGIN_STATION));
      json_object_set_string_member (data, "reason", reason);
    }
  else if (services->help_context != NULL)
    {
      json_object_set_string_member (data, "context", services->help_context);
      json_object_set_string_member (data, "context_kind", relais_help_context_kind_to_string (services->help_context_kind));
    }
  key = relais_link_queue_event (services->link, relais_event_type_to_string (RELAIS_EVENT_HELP_RAISE), data, error);
  if (key == NULL)
    return NULL;
  /* Its response times go into the session's anonymous log. */
  station_session_note_help (services->session, id, category);
  return g_steal_pointer (&id);
}

gboolean
station_services_raise_printer (StationServices *services,
                                const char      *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (reason != NULL, FALSE);

  if (g_strcmp0 (services->printer_problem, reason) == 0)
    return TRUE;
  id = station_services_raise_help (services, relais_help_category_to_string (RELAIS_HELP_CATEGORY_PRINTER),
                                    NULL, reason, &error);
  if (id == NULL)
    {
      g_message ("help not raised: %s", error->message);
      return FALSE;
    }
  g_free (services->printer_problem);
  services->printer_problem = g_strdup (reason);
  return TRUE;
}

void
station_services_printer_ok (StationServices *services)
{
  g_clear_pointer (&services->printer_problem, g_free);
}

/* One "station.status" event, only when what the consoles show changes:
 * the screen, whether a resident is there, whether the idle countdown is
 * on (with the seconds left when it starts). */
static void
report_status (StationServices *services,
               const char      *step,
               int              ends_in)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gboolean         in_session = services->session != NULL && station_session_is_active (services->session);
  gboolean         ending = ends_in >= 0;
  JsonObject      *data;

  if (g_strcmp0 (services->reported_step, step) == 0 && services->reported_in_session == in_session
      && services->reported_ending == ending)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "step", step);
  /* The welcome screen is the free station; any other screen outside a
   * session (a mediator trying it) counts as in use. */
  json_object_set_boolean_member (data, "in_session",
                                  in_session || relais_station_step_from_string (step) != RELAIS_STATION_STEP_WELCOME);
  if (ending)
    json_object_set_int_member (data, "ends_in", MAX (1, ends_in));
  key = relais_link_queue_event (services->link, relais_event_type_to_string (RELAIS_EVENT_STATION_STATUS),
                                 data, &error);
  if (key == NULL)
    {
      g_message ("step not reported: %s", error->message);
      return;
    }
  /* @step may be reported_step itself (a countdown on the same screen). */
  if (step != services->reported_step)
    {
      g_free (services->reported_step);
      services->reported_step = g_strdup (step);
    }
  services->reported_in_session = in_session;
  services->reported_ending = ending;
}

void
station_services_report_step (StationServices *services,
                              const char      *step)
{
  report_status (services, step, -1);
}

void
station_services_report_countdown (StationServices *services,
                                   int              seconds_left)
{
  if (services->reported_step != NULL)
    report_status (services, services->reported_step, seconds_left);
}

static void
station_services_dispose (GObject *object)
{
  StationServices *services = STATION_SERVICES (object);

  g_clear_handle_id (&services->probe_id, g_source_remove);
  if (services->probe_cancellable != NULL)
    g_cancellable_cancel (services->probe_cancellable);
  g_clear_object (&services->probe_cancellable);
  if (services->session != NULL)
    {
      station_session_end (services->session, STATION_END_SHUTDOWN);
      g_signal_handlers_disconnect_by_data (services->session, services);
    }
  g_clear_object (&services->session);
  if (services->link != NULL)
    relais_link_stop (services->link);
  g_clear_object (&services->link);
  g_clear_object (&services->scanner);
  g_clear_object (&services->printer);
  G_OBJECT_CLASS (station_services_parent_class)->dispose (object);
}

static void
station_services_finalize (GObject *object)
{
  StationServices *services = STATION_SERVICES (object);

  g_clear_error (&services->scanner_error);
  g_clear_error (&services->printer_error);
  g_clear_pointer (&services->config, relais_config_free);
  g_free (services->station_name);
  g_free (services->language);
  g_free (services->reported_step);
  g_free (services->printer_problem);
  g_clear_pointer (&services->web_sites, g_ptr_array_unref);
  g_clear_pointer (&services->web_policy, relais_web_policy_free);
  g_free (services->help_context);
  G_OBJECT_CLASS (station_services_parent_class)->finalize (object);
}

static void
station_services_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StationServices *services = STATION_SERVICES (object);

  switch (prop_id)
    {
    case PROP_SCANNER:
      g_value_set_object (value, services->scanner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_services_class_init (StationServicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_services_dispose;
  object_class->finalize = station_services_finalize;
  object_class->get_property = station_services_get_property;

  /* NULL while none is usable (scanner_error says why). Notified each
   * time the scanner is looked for by hand, and when the periodic probe
   * finds one: the scan page follows it. */
  properties[PROP_SCANNER] =
      g_param_spec_object ("scanner", NULL, NULL, RELAIS_TYPE_SCANNER,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
station_services_init (StationServices *services)
{
}
