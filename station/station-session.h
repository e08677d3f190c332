/* station-session.h: one resident's visit, from the welcome screen to the
 * end, and its anonymous log. */
#pragma once

#include <glib-object.h>
#include "relais-link.h"

G_BEGIN_DECLS

/* What a session counts; nothing in it names or identifies the resident. */
typedef enum {
  STATION_COUNT_PAGES_SCANNED = 0,
  STATION_COUNT_PAGES_PRINTED, /* pages of jobs the printer completed */
  STATION_COUNT_COPIES,        /* pages printed by the photocopy, completed */
  STATION_COUNT_SAVED_USB,
  STATION_COUNT_SAVED_SAFE,
  STATION_COUNT_MAIL_CHECKS,
  STATION_N_COUNTS
} StationCount;

typedef enum {
  STATION_END_BUTTON = 1, /* "Terminer" */
  STATION_END_TIMEOUT,    /* nobody touched the station */
  STATION_END_SHUTDOWN,   /* the program stops */
} StationEndReason;

/* Microseconds, monotonic; tests pass their own clock. */
typedef gint64 (*StationClock) (gpointer data);

#define STATION_TYPE_SESSION (station_session_get_type ())
G_DECLARE_FINAL_TYPE (StationSession, station_session, STATION, SESSION, GObject)

/* @link (borrowed, may be NULL in tests) receives the log at the end and
 * tells the session when its help requests are seen, taken, resolved.
 * Signals: "started", "ended" (StationEndReason): listeners forget
 * everything the resident left (scans, previews, safe contents…). */
StationSession *station_session_new (RelaisLink *link);
void            station_session_set_clock (StationSession *self,
                                           StationClock    clock,
                                           gpointer        data);
gint64          station_session_now (StationSession *self);

/* Starts a session if none is under way; @language e.g. "fr". */
void            station_session_begin (StationSession *self,
                                       const char     *language);
gboolean        station_session_is_active (StationSession *self);
const char     *station_session_get_language (StationSession *self);
void            station_session_count (StationSession *self,
                                       StationCount    what,
                                       guint           n);
guint           station_session_get_count (StationSession *self,
                                           StationCount    what);
/* Sheets handed to the printer in this session, printed or not yet: what
 * [printer] session-page-cap limits (the log counts completed pages). */
void            station_session_note_sent (StationSession *self,
                                           guint           sheets);
guint           station_session_get_sent (StationSession *self);
/* A help request raised during the session: its response times go into
 * the log. */
void            station_session_note_help (StationSession *self,
                                           const char     *id,
                                           const char     *category);
/* Request @id was cancelled at the station: no "help.leave" for it when
 * the session ends. (Requests still open then are sent as "help.leave",
 * through the outbox, so that the consoles show the resident left.) */
void            station_session_close_help (StationSession *self,
                                            const char     *id);
/* Any touch or key: pushes the idle deadline back. */
void            station_session_touch (StationSession *self);
/* Microseconds since the last touch (0 when no session). */
gint64          station_session_idle_for (StationSession *self);
/* Queues the log (through the outbox) and emits "ended". */
void            station_session_end (StationSession  *self,
                                     StationEndReason reason);
/* The log as it would be sent now (for tests). */
JsonObject     *station_session_dup_log (StationSession  *self,
                                         StationEndReason reason);

G_END_DECLS
