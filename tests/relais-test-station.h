/* relais-test-station.h: a station on a test hub, as the station's own
 * start (station-application.c) builds it, for the UI tests that show
 * one. */
#pragma once

#include "relais-test-hub.h"
#include "station-services.h"
#include "station-window.h"

G_BEGIN_DECLS

/* The services of the station "poste-1" of @hub: its key file with
 * @settings (NULL or "group", "key", "value" triples, NULL-terminated, as
 * relais_test_hub_station_config () takes them), asserting that they
 * start. The link is not started. */
StationServices *relais_test_station_services_new (RelaisTestHub      *hub,
                                                   const char * const *settings);
/* The station's window on @services, with the station's CSS, shown. */
StationWindow   *relais_test_station_window_new (StationServices *services);
/* Every file now under the folders a station may write to (HOME, the
 * XDG data, config, cache, state and runtime dirs, TMPDIR), as a set of
 * paths: the proof that a session leaves nothing behind. */
GHashTable      *relais_test_station_list_files (void);
/* The files there now that are not in @before, one a line ("" for none). */
char            *relais_test_station_new_files (GHashTable *before);
/* Destroys @window, then frees @services (either may be NULL). */
void             relais_test_station_free (StationWindow   *window,
                                           StationServices *services);

G_END_DECLS
