/* test-station-hotplug.c: a scanner plugged in after the station started
 * is found by the periodic probe, without "Chercher le scanner". SANE's
 * test backend stands for it: its device held open by someone else is
 * busy (not usable), then released (plugged in). */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-hub.h"
#include "relais-test-util.h"
#include "station-services.h"

static RelaisTestHub *hub;
static char          *config_path;

static StationServices *
services_new (void)
{
  g_autoptr(GError) error = NULL;
  RelaisConfig    *config = relais_config_load (RELAIS_PROGRAM_STATION, config_path, &error);
  StationServices *services;

  g_assert_no_error (error);
  services = station_services_new (config, &error);
  g_assert_no_error (error);
  return services;
}

static gboolean
scanner_found (gpointer data)
{
  StationServices *services = data;

  return services->scanner != NULL;
}

static void
changed_cb (GObject    *services,
            GParamSpec *pspec,
            gpointer    data)
{
  guint *count = data;

  (*count)++;
}

static void
unwatched_cb (gpointer  data,
              GClosure *closure)
{
  guint *count = data;

  *count += 1000;
}

static void
test_plugged_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) holder = relais_scanner_sane_new ("test:0", &error);
  StationServices *services;
  guint            changes = 0;

  g_assert_no_error (error);
  /* Held elsewhere: at start the station has no scanner, and says why. */
  services = services_new ();
  g_assert_null (services->scanner);
  g_assert_nonnull (services->scanner_error);
  g_test_message ("at start: %s", services->scanner_error->message);
  g_signal_connect_data (services, "notify::scanner", G_CALLBACK (changed_cb), &changes, unwatched_cb, 0);
  station_services_set_probe_interval (services, 50);

  /* Still held: probes come and go, nothing changes. */
  {
    gint64 until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (services->scanner);
  g_assert_cmpuint (changes, ==, 0);

  /* "Plugged in": found on its own, and the pages are told. */
  g_clear_object (&holder);
  g_assert_true (relais_test_wait (scanner_found, services));
  g_assert_null (services->scanner_error);
  g_assert_cmpuint (changes, ==, 1);
  g_test_message ("found: %s", relais_scanner_get_label (services->scanner));

  /* The services freed end the watch (a page disposed later must not
   * touch them): the last unref drops the handlers. */
  g_object_unref (services);
  g_assert_cmpuint (changes, ==, 1001);
}

static gboolean
probing (gpointer data)
{
  StationServices *services = data;

  return services->probe_cancellable != NULL;
}

/* The station shuts down while a probe runs in its worker: the late
 * answer is dropped, nothing is touched. */
static void
test_free_while_probing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) holder = relais_scanner_sane_new ("test:0", &error);
  StationServices *services;
  gint64           until;

  g_assert_no_error (error);
  services = services_new ();
  g_assert_null (services->scanner);
  station_services_set_probe_interval (services, 1);
  g_assert_true (relais_test_wait (probing, services));
  g_object_unref (services);
  until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  hub = relais_test_hub_new ();
  config_path = relais_test_hub_station_config_path (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });

  g_test_add_func ("/station-hotplug/plugged-in", test_plugged_in);
  g_test_add_func ("/station-hotplug/free-while-probing", test_free_while_probing);
  rc = g_test_run ();

  relais_test_hub_free (hub);
  g_free (config_path);
  return rc;
}
