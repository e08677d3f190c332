/* relais-hub-private.h: what the hub's files share, nobody else. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "relais-hub.h"
#include "relais-buffer.h"
#include "relais-db-help.h"
#include "relais-db-stations.h"
#include "relais-db-stats.h"
#include "relais-db-accounts.h"
#include "relais-protocol.h"

#define MAX_KEY_LENGTH 128
/* libsoup 3.2 names no 429. */
#define RELAIS_HUB_STATUS_TOO_MANY_REQUESTS 429

typedef enum {
  CLIENT_STATION = 1,
  CLIENT_CONSOLE,
} ClientKind;

typedef struct {
  ClientKind            kind;
  char                 *name;
  const RelaisMediator *mediator; /* borrowed: who is logged in on this console, when the route asks */
} Client;

/* A live stream. Invariant: msg is paused only while body has no pending
 * chunk; it is removed from the list when the message finishes. */
typedef struct {
  RelaisHub         *hub; /* borrowed; the hub outlives its streams */
  SoupServerMessage *msg; /* owned */
  Client             client;
  GSource           *hangup;  /* owned: notices the peer closing */
  gsize              queued;  /* bytes given to libsoup, not yet written */
  gboolean           dropped; /* being closed: sends nothing more */
} Subscriber;

/* A client keeps this many streams at most (a station coming back before
 * its old stream is seen dead needs a second one); a stream whose reader
 * lets RELAIS_HUB_MAX_STREAM_QUEUE (relais-limits.h) wait is dropped. */
#define RELAIS_HUB_MAX_STREAMS_PER_CLIENT 4
/* A stream's catch-up: the open requests and this many closed ones. */
#define RELAIS_HUB_CATCH_UP_CLOSED 200

struct _RelaisHub {
  GObject                parent_instance;

  /* Owned */
  RelaisDb              *db;
  SoupServer            *server;
  GList                 *subscribers; /* Subscriber* */
  guint                  keepalive_id;
  GHashTable            *login_failures; /* "console\nlogin" or "console\n" → gint64[2]: window start (µs), count */
  GThreadPool           *hashers;        /* relais-hub-accounts.c: the password hashes */
  GHashTable            *buckets;        /* "kind:name" → RateBucket */
  GHashTable            *rung_at;        /* help request id → gint64 last ring (ms) */
  guint                  ring_id;
  gint64                 ring_after_ms;

  gsize                  max_body;
  guint                  port;
  double                 rate_per_s;       /* requests a client may sustain */
  double                 rate_burst;       /* and in a burst */
  guint                  max_open_help;    /* open help requests a station may have */
  int                    retention_months; /* detailed rows kept this long */
  guint                  purge_id;
  struct _RelaisHubSafe *safe; /* relais-hub-safe.c; made on first use */

  /* relais-hub-conn.c */
  GHashTable            *connections;       /* SoupServerConnection → Conn */
  guint                  request_timeout_s; /* headers complete, body never silent longer */
  guint                  idle_timeout_s;    /* a kept-alive connection between requests */
  guint64                n_accepted;
  guint64                n_idle_closed; /* idle connections closed (by the client or the timeout) */
  guint64                n_timed_out;   /* requests that took too long to arrive */

  /* relais-hub-enrol.c */
  GHashTable            *enrol_attempts; /* client address → gint64[2]: window start (µs), count */
  char                  *tls_pin;        /* "sha256//…" of the certificate served; NULL over plain http */
};

/* A token bucket per client: a runaway station cannot starve the others. */
typedef struct {
  double tokens;
  gint64 updated; /* monotonic µs */
} RateBucket;

/* A request the gate let through, as its route's handler sees it. */
typedef struct {
  const Client       *client; /* client->mediator: who is logged in, on routes with ROUTE_SESSION */
  const char * const *args;   /* the path's segments the route's "*" stood for, in order (raw, not unescaped) */
  JsonObject         *body;   /* the request's JSON object on routes with ROUTE_JSON, else NULL */
  gconstpointer       data;   /* the route's own data (RelaisHubRoute.data) */
} RelaisHubCall;

/* What a route calls (relais-hub-routes.c lists them all). */
typedef void (*RelaisHubHandler) (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call);

/* ROUTE_SESSION: a console must have a mediator logged in (its actions
 * are attributed); stations need none. ROUTE_JSON: the body is one JSON
 * object, read (or refused with a 400/413) before the handler. */
enum {
  ROUTE_SESSION = 1 << 0,
  ROUTE_JSON = 1 << 1,
  /* No token: the one route a client calls before it has one (enrolment
   * by code), bounded per client address instead. */
  ROUTE_OPEN = 1 << 2,
  /* A whole register in one request (the console's import): outside the
   * per-token request rate meant for stations, bounded by its own body
   * cap, row count and one-at-a-time instead. */
  ROUTE_BULK = 1 << 3,
};

/* One line of the API: who may call it and how big a body it takes, all
 * decided on the headers, before any byte of the body is read. */
typedef struct {
  const char *method;
  const char *pattern; /* after RELAIS_HUB_API; "*" stands for one non-empty segment */
  int         who;     /* 0: any enrolled client; else CLIENT_STATION or CLIENT_CONSOLE */
  int         flags;
  const char *role; /* NULL: any mediator; "staff": staff only (consoles with ROUTE_SESSION) */
  /* The largest body the route takes (NULL: the hub's JSON cap), and the
   * sentence past it. */
  gsize (*cap) (RelaisHub *self);
  const char      *cap_sentence;
  RelaisHubHandler handler;
  /* What tells apart the routes one handler serves (a help verb…);
   * the handler gets it as call->data. */
  gconstpointer    data;
} RelaisHubRoute;

/* relais-hub-routes.c: the route for @method on @path (after
 * RELAIS_HUB_API), with what its "*" matched in *@args; NULL when none. */
const RelaisHubRoute         *_relais_hub_route_find (const char *method,
                                                      const char *path,
                                                      GStrv      *args);

/* relais-hub-http.c: reading requests, answering them. */
void                          _relais_hub_reply_json (SoupServerMessage *msg,
                                                      guint              status,
                                                      JsonNode          *node);
/* 200 with the object @builder holds, complete. */
void                          _relais_hub_reply_builder (SoupServerMessage *msg,
                                                         JsonBuilder       *builder);
void                          _relais_hub_reply_error (SoupServerMessage *msg,
                                                       guint              status,
                                                       const char        *message);
/* Parses the request body as one JSON object, or replies 400/413. */
JsonObject                   *_relais_hub_read_json_body (RelaisHub         *self,
                                                          SoupServerMessage *msg,
                                                          JsonParser        *parser);
char                         *_relais_hub_client_source (const Client *client);

/* relais-hub-conn.c */
/* Once, after the first soup_server_listen (): libsoup's connection type
 * exists from then on. */
void                          _relais_hub_conn_init (void);
GHashTable                   *_relais_hub_conn_table_new (void);
/* Every message, from the server's "request-started". */
void                          _relais_hub_conn_request_started (RelaisHub         *self,
                                                                SoupServerMessage *msg);

/* relais-hub-stream.c */
void                          _relais_hub_subscriber_free (Subscriber *sub);
void                          _relais_hub_broadcast_help (RelaisHub               *self,
                                                          const RelaisHelpRequest *request);
/* Sends "event: @event" with @data (JSON) on the live streams: to every
 * console when @to_consoles, and to the station named @station if not
 * NULL. For any area's live news (mail, safe…). */
void                          _relais_hub_broadcast (RelaisHub        *self,
                                                     RelaisStreamEvent event,
                                                     JsonNode         *data,
                                                     gboolean          to_consoles,
                                                     const char       *station);
gboolean                      _relais_hub_keepalive_cb (gpointer user_data);
gboolean                      _relais_hub_ring_cb (gpointer user_data);
void                          _relais_hub_broadcast_station (RelaisHub               *self,
                                                             const RelaisStationInfo *info);

/* relais-hub-accounts.c */
GThreadPool                  *_relais_hub_hashers_new (void);
/* The mediator logged in on this console (X-Relais-Session), or NULL
 * with the reason (for a 401) in *@refusal. */
RelaisMediator               *_relais_hub_session (RelaisHub         *self,
                                                   SoupServerMessage *msg,
                                                   const Client      *client,
                                                   const char       **refusal);

/* A station's check at the kiosk, a contact (relais-hub-mail-contacts.c). */
gboolean                      _relais_hub_mail_kiosk_check_validate (JsonObject *data,
                                                                     GError    **error);
gboolean                      _relais_hub_mail_kiosk_check (RelaisHub             *self,
                                                            const RelaisEventInfo *info,
                                                            JsonObject            *data,
                                                            gboolean              *duplicate,
                                                            GError               **error);

/* relais-hub-stats.c */
gboolean                      _relais_hub_stats_validate_session (JsonObject *data,
                                                                  GError    **error);
gboolean                      _relais_hub_stats_record_session (RelaisHub             *self,
                                                                const char            *station,
                                                                const RelaisEventInfo *info,
                                                                JsonObject            *data,
                                                                gboolean              *duplicate,
                                                                GError               **error);
JsonNode                     *relais_hub_json_stats (const RelaisStats *stats,
                                                     const char        *from,
                                                     const char        *to,
                                                     const char        *station);
/* Deletes detailed rows past the retention time (daily timer). */
gboolean                      _relais_hub_stats_purge_cb (gpointer user_data);

/* relais-hub-enrol.c */
/* The kind and name a client may be enrolled as, or RELAIS_HUB_ERROR_ENROLL. */
gboolean                      _relais_hub_enroll_check (const char *kind,
                                                        const char *name,
                                                        GError    **error);
/* Counts one enrolment attempt from @address; FALSE past its share. */
gboolean                      _relais_hub_enrol_allow (RelaisHub  *self,
                                                       const char *address);

/* relais-hub-safe.c */
typedef struct _RelaisHubSafe RelaisHubSafe;

/* A supporting document's cap: RELAIS_HUB_MAIL_MAX_DOCUMENT (relais-limits.h). */
void                          _relais_hub_safe_free (RelaisHubSafe *safe);
