/* station-services.h: the devices and link the station's pages share. */
#pragma once

#include "relais-config.h"
#include "relais-link.h"
#include "relais-printer.h"
#include "relais-scanner.h"

G_BEGIN_DECLS

/* Invariant: scanner == NULL ⇔ scanner_error != NULL, same for printer.
 * The link always exists: with the hub down it queues in the outbox. */
typedef struct {
  RelaisConfig  *config;
  char          *station_name;
  RelaisScanner *scanner;
  GError        *scanner_error;
  RelaisPrinter *printer;
  GError        *printer_error;
  RelaisLink    *link;
} StationServices;

/* Fails only when the station cannot run at all (unusable database or
 * hub address); a missing scanner or printer is recorded, not fatal. */
StationServices *station_services_new  (RelaisConfig     *config,
                                        GError          **error);
void             station_services_free (StationServices  *services);
/* Looks for a scanner again (hot-plug): replaces scanner/scanner_error. */
void             station_services_probe_scanner (StationServices *services);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StationServices, station_services_free)

G_END_DECLS
