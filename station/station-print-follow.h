/* station-print-follow.h: follows a print job to its end for a page of the
 * station: its state in plain words, and the printer's own problems
 * (no paper, jam, no toner, door open, offline, stopped), for which the
 * station calls a mediator by itself, once per problem. */
#pragma once

#include "station-services.h"

G_BEGIN_DECLS

/* @css_class: "relais-status-ok", "-wait" or "-problem"; @finished: the
 * job ended (completed, cancelled, aborted) and following stops. */
typedef void (*StationPrintUpdate) (const char *css_class,
                                    const char *text,
                                    gboolean    finished,
                                    gpointer    user_data);

typedef struct _StationPrintFollow StationPrintFollow;

/* Starts polling job @job_id; @update is called on the main thread until
 * finished or the follower is freed. */
StationPrintFollow *station_print_follow_new  (StationServices    *services,
                                               int                 job_id,
                                               StationPrintUpdate  update,
                                               gpointer            user_data);
void                station_print_follow_free (StationPrintFollow *follow);
/* Counts @pages as @what (STATION_COUNT_PAGES_PRINTED or _COPIES) in the
 * session's log when, and only when, the job completes. */
void                station_print_follow_count (StationPrintFollow *follow,
                                                StationCount        what,
                                                guint               pages);
/* The printer's problem now, as a help reason ("printer-media-empty"), or
 * NULL; the sentence for the resident in @message. For tests, and for a
 * page that checks before sending. */
char               *station_print_check_printer (StationServices  *services,
                                                 const char      **message);
/* A job that could not be sent (@error from relais_printer_print_finish ()):
 * the sentence for the resident, owned. When only a mediator can help (the
 * print server does not answer), the station calls one by itself, once
 * per problem, and the sentence says so. */
char               *station_print_failure_text  (StationServices  *services,
                                                 const GError     *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StationPrintFollow, station_print_follow_free)

G_END_DECLS
