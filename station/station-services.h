/* station-services.h: the devices and link the station's pages share. */
#pragma once

#include "relais-config.h"
#include "relais-link.h"
#include "relais-printer.h"
#include "relais-scanner.h"
#include "relais-web.h"
#include "station-session.h"

G_BEGIN_DECLS

#define STATION_TYPE_SERVICES (station_services_get_type ())
G_DECLARE_FINAL_TYPE (StationServices, station_services, STATION, SERVICES, GObject)

/* The fields are public, read-only outside station-services.c: the pages
 * read the devices and the link directly. A change of scanner is notified
 * as "scanner" (a read-only property), on the main thread.
 * Invariant: scanner == NULL ⇔ scanner_error != NULL, same for printer.
 * The link always exists: with the hub down it queues in the outbox. */
struct _StationServices {
  GObject               parent_instance;

  RelaisConfig         *config;
  char                 *station_name;
  char                 *language; /* the screens' language ("fr", "ar"…) */
  RelaisScanner        *scanner;
  GError               *scanner_error;
  RelaisPrinter        *printer;
  GError               *printer_error;
  RelaisLink           *link;
  StationSession       *session;       /* the resident's visit: pages count into it */
  char                 *reported_step; /* the last step told to the hub */
  gboolean              reported_in_session;
  gboolean              reported_ending; /* the idle countdown was told */
  char                 *printer_problem; /* the printer problem a mediator was called for */
  /* Scanner hot-plug (station-services.c): while scanner is NULL, SANE is
   * probed again every probe_interval_ms in a worker thread. */
  guint                 probe_interval_ms;
  guint                 probe_id;
  GCancellable         *probe_cancellable; /* a probe under way */
  /* The browser's, from [browser] (relais-web.h): RelaisWebSite *s, and
   * what may load. Never NULL. */
  GPtrArray            *web_sites;
  RelaisWebPolicy      *web_policy;
  /* Where the resident is, for their help requests: the browser's "host —
   * page title" (relais_web_help_context ()) while a site is shown, a
   * letter's "sender — kind" while its help is raised; NULL elsewhere.
   * Cleared on every other screen and at the session's end.
   * help_context_kind says which: UNKNOWN exactly when it is NULL. */
  char                 *help_context;
  RelaisHelpContextKind help_context_kind;
};

/* Fails only when the station cannot run at all (unusable database or
 * hub address); a missing scanner or printer is recorded, not fatal.
 * Takes @config. The last unref ends the session (STATION_END_SHUTDOWN)
 * and stops the link. */
StationServices *station_services_new (RelaisConfig *config,
                                       GError      **error);

/* Queues a help request in the outbox (durable on return) and returns its
 * id. @language and @reason may be NULL; @reason marks a request the
 * station raised by itself ("scanner-jammed", "printer-stopped"…). A
 * resident's request carries help_context, when set. */
char            *station_services_raise_help (StationServices *services,
                                              const char      *category,
                                              const char      *language,
                                              const char      *reason,
                                              GError         **error);
/* A printer problem only a mediator can fix (@reason: "printer-media-empty",
 * "printer-unreachable"…): a help request raised by the station, once per
 * problem however many pages and jobs meet it, until
 * station_services_printer_ok () or the end of the session. TRUE when a
 * mediator was called for it, now or before. */
gboolean         station_services_raise_printer (StationServices *services,
                                                 const char      *reason);
/* The printer works again: its next problem calls a mediator anew. */
void             station_services_printer_ok (StationServices *services);
/* Sets help_context and what it is (@kind: SITE or LETTER), or with a
 * NULL @context clears both. */
void             station_services_set_help_context (StationServices      *services,
                                                    RelaisHelpContextKind kind,
                                                    const char           *context);
/* Tells the hub which screen is shown and whether a session is under way
 * (only when it changes): the consoles' "Postes". */
void             station_services_report_step (StationServices *services,
                                               const char      *step);
/* The idle countdown: @seconds_left before the session ends, or -1 once it
 * is over (a touch). Told once when it starts and once when it stops. */
void             station_services_report_countdown (StationServices *services,
                                                    int              seconds_left);
/* Looks for a scanner again (hot-plug): replaces scanner/scanner_error
 * and notifies "scanner" (even when still none is found). Blocking
 * (sane_get_devices () can take seconds): for start-up and tests; a page
 * uses the async one. */
void             station_services_probe_scanner (StationServices *services);
/* The same in a worker, for a page's button: when no scanner is known on
 * return, sets scanner or scanner_error (and notifies "scanner"); finish
 * returns whether a scanner is known. @services must outlive the call
 * unless @cancellable is cancelled first. */
void             station_services_probe_scanner_async (StationServices    *services,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean         station_services_probe_scanner_finish (StationServices *services,
                                                        GAsyncResult    *result,
                                                        GError         **error);
/* How often a missing scanner is looked for (default 10 s; 0: never). */
void             station_services_set_probe_interval (StationServices *services,
                                                      guint            interval_ms);

G_END_DECLS
