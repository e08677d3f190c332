/* station-services.h: the devices and link the station's pages share. */
#pragma once

#include "relais-config.h"
#include "relais-link.h"
#include "relais-printer.h"
#include "relais-scanner.h"
#include "station-session.h"

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
  StationSession *session;       /* the resident's visit: pages count into it */
  char          *reported_step;  /* the last step told to the hub */
} StationServices;

/* Fails only when the station cannot run at all (unusable database or
 * hub address); a missing scanner or printer is recorded, not fatal. */
StationServices *station_services_new  (RelaisConfig     *config,
                                        GError          **error);
void             station_services_free (StationServices  *services);
/* Queues a help request in the outbox (durable on return) and returns its
 * id. @language and @reason may be NULL; @reason marks a request the
 * station raised by itself ("scanner-jammed", "printer-stopped"…). */
char            *station_services_raise_help (StationServices  *services,
                                              const char       *category,
                                              const char       *language,
                                              const char       *reason,
                                              GError          **error);
/* Tells the hub which screen is shown (only when it changes). */
void             station_services_report_step (StationServices *services,
                                               const char      *step);
/* Looks for a scanner again (hot-plug): replaces scanner/scanner_error. */
void             station_services_probe_scanner (StationServices *services);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StationServices, station_services_free)

G_END_DECLS
