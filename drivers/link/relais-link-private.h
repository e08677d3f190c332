/* relais-link-private.h: what the link's files share, nobody else. */
#pragma once

#include <curl/curl.h>

#include "relais-link.h"
#include "relais-buffer.h"
#include "relais-db-outbox.h"

/* Caps: RELAIS_LINK_MAX_* in relais-limits.h. */
#define BATCH_SIZE          200
#define BACKOFF_MIN_MS      250
#define BACKOFF_MAX_MS      30000
#define STREAM_RETRY_MAX_MS 5000
/* An event the hub fails to store (5xx) this many times in a row, alone,
 * is set aside once an event behind it goes through. */
#define MAX_SERVER_FAILURES 5
/* Calls running at once keep at most this many connections open between
 * calls; a connection idle longer than MAX_CONNECTION_IDLE_S is not
 * reused (the hub closes them after a minute: [hub] idle-timeout-seconds). */
#define MAX_IDLE_HANDLES      4
#define MAX_CONNECTION_IDLE_S 30
/* The hub pings every 15 s: 40 s of silence means a dead link. */
#define STREAM_SILENCE_S 40

struct _RelaisLink {
  GObject         parent_instance;

  char           *url; /* without trailing slash */
  char           *auth_header;
  char           *session_header; /* guarded by lock; NULL when logged out */
  char           *pin;            /* guarded by lock; "sha256//…", NULL: none */
  char           *outbox_path;
  GMainContext   *context; /* where signals are emitted */

  /* Owned; db is shared by the caller's thread (queue) and the sender. */
  RelaisDb       *db;
  GMutex          db_lock;
  guint           batch_size;    /* guarded by db_lock; 1 while isolating a refused event */
  char           *failing_key;   /* guarded by db_lock: the event alone the hub failed to store… */
  guint           failing_count; /* …that many times in a row */
  GHashTable     *senders;       /* guarded by lock: event type → RelaisLinkAttachmentSender */

  /* Easy handles between two calls: each keeps its connection to the hub
   * open, so calls one after the other use one connection. Guarded by
   * lock; at most MAX_IDLE_HANDLES. */
  GPtrArray      *idle_handles;

  GThread        *sender;
  GThread        *streamer;
  GMutex          lock; /* guards the fields below */
  GCond           cond;
  gboolean        quit;
  gboolean        wake;

  RelaisLinkState state; /* as last announced on context */
};

enum {
  SIGNAL_STREAM_EVENT,
  SIGNAL_HELP_CHANGED,
  SIGNAL_STATION_CHANGED,
  SIGNAL_RING,
  SIGNAL_READY,
  N_SIGNALS
};
extern guint _relais_link_signals[N_SIGNALS];

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

/* relais-link.c */
/* curl_global_init (), once, whichever thread comes first. */
void               _relais_link_curl_init (void);
/* Emits @signal (0: a state change to @state) with @object (taken) on the
 * link's main context. */
void               _relais_link_announce (RelaisLink     *self,
                                          guint           signal,
                                          RelaisLinkState state,
                                          JsonObject     *object);
/* @signal ("help-changed", "ring"…) with @boxed, a protocol record of
 * @boxed_type (taken). */
void               _relais_link_announce_boxed (RelaisLink *self,
                                                guint       signal,
                                                GType       boxed_type,
                                                gpointer    boxed);
/* relais-link-stream.c */
/* The one reader of a help request's JSON (a stream event or an action's
 * answer). NULL without an id or with a state this link does not know. */
RelaisHelpRequest *_relais_link_help_from_json (JsonObject *object);

/* "stream-event::DETAIL" with @object (taken). */
void               _relais_link_announce_event (RelaisLink *self,
                                                GQuark      detail,
                                                JsonObject *object);
void               _relais_link_set_state (RelaisLink     *self,
                                           RelaisLinkState state);
gboolean           _relais_link_quit_requested (RelaisLink *self);
/* A handle for one call to @path, with its connection to the hub if it
 * had one; give it back with _relais_link_give_handle () (not
 * curl_easy_cleanup ()). */
CURL              *_relais_link_take_handle (RelaisLink         *self,
                                             const char         *path,
                                             struct curl_slist **headers,
                                             char               *errbuf);
void               _relais_link_give_handle (RelaisLink *self,
                                             CURL       *curl);
JsonObject        *_relais_link_request_json (RelaisLink *self,
                                              const char *path,
                                              const char *body,
                                              GError    **error);

/* relais-link-outbox.c */
gint64             _relais_link_backoff_ms (int attempts);
void               _relais_link_wake_sender (RelaisLink *self);
gpointer           _relais_link_sender_thread (gpointer user_data);

/* relais-link-stream.c */
gpointer           _relais_link_stream_thread (gpointer user_data);
