/* station-print-job.h: one document printed for a resident, the same way
 * from every page (scan, copy, USB key, safe, and the browser to come):
 * the session's page cap, the sending, the job followed to its end with the
 * printer's problems in plain words (no paper, jam, no toner, door open,
 * offline, stopped, the print server gone), a mediator called by the
 * station itself once per problem, and the pages counted in the session's
 * log once, and only once, the printer completed them. */
#pragma once

#include "station-services.h"

G_BEGIN_DECLS

#define STATION_PRINT_JOB_ERROR (station_print_job_error_quark ())
typedef enum {
  STATION_PRINT_JOB_ERROR_NO_PRINTER = 1,
  STATION_PRINT_JOB_ERROR_CAP, /* [printer] session-page-cap reached */
} StationPrintJobError;
GQuark station_print_job_error_quark (void);

/* Signals, all on the main thread, none after station_print_job_cancel ():
 *  "status" (const char *css_class, const char *text): what to tell the
 *    resident now; @css_class "relais-status-ok", "-wait", "-problem" or
 *    NULL.
 *  "offer-help" (gboolean offer): whether the page shows its "Appeler un
 *    médiateur" button (not when the station already called one).
 *  "sent" (int job_id): the print server accepted the job; following it
 *    begins.
 *  "finished": the job is over (refused, not sent, completed, cancelled,
 *    aborted, or lost with the print server); nothing follows. */
#define STATION_TYPE_PRINT_JOB (station_print_job_get_type ())
G_DECLARE_FINAL_TYPE (StationPrintJob, station_print_job, STATION, PRINT_JOB, GObject)

/* @services: borrowed, must outlive the job's signals (cancel the job
 * before freeing them). @sheets: what the job prints (pages × copies), for
 * the page cap and, as @what (STATION_COUNT_PAGES_PRINTED or
 * STATION_COUNT_COPIES), for the session's log. */
StationPrintJob *station_print_job_new (StationServices *services,
                                        StationCount     what,
                                        guint            sheets);
/* Checks, sends (in a thread) and follows (polling in a thread); refused
 * (no printer, cap reached): "status", "offer-help" and "finished" at
 * once. Call once. */
void             station_print_job_start (StationPrintJob          *self,
                                          GBytes                   *document,
                                          const char               *mime_type,
                                          const char               *title,
                                          const RelaisPrintOptions *options);
/* Whether @sheets more may be printed now, for a page that checks before
 * preparing its document (scan, build the PDF…); the refusal in @error, in
 * the resident's words. */
gboolean         station_print_job_check (StationServices *services,
                                          guint            sheets,
                                          GError         **error);
/* Stops following and drops the answer of a sending under way: no signal
 * after this (the job itself, once accepted, still prints). */
void             station_print_job_cancel (StationPrintJob *self);
/* The job's id at the print server, 0 until "sent". */
int              station_print_job_get_id (StationPrintJob *self);

G_END_DECLS
