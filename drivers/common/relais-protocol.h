/* relais-protocol.h: the words that cross between stations, hub and
 * consoles, each written once: event types, help states, verbs,
 * categories, origins, station reasons, station steps and the live
 * stream's event names.
 *
 * Each word is an enum whose 0 is "unknown", with a table that gives its
 * string on the wire and a parser that gives the enum back (unknown for a
 * word we do not know, or NULL). Code past a parser compares enums, never
 * strings. GLib only: the headless hub links it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Events a station (or a console) queues for the hub, in its outbox. */
typedef enum {
  RELAIS_EVENT_UNKNOWN = 0,
  RELAIS_EVENT_HELP_RAISE,     /* "help.raise" */
  RELAIS_EVENT_HELP_CANCEL,    /* "help.cancel" (stations and consoles) */
  RELAIS_EVENT_HELP_LEAVE,     /* "help.leave": the resident's session ended */
  RELAIS_EVENT_SESSION_END,    /* "session.end": the anonymous session log */
  RELAIS_EVENT_STATION_STATUS, /* "station.status": screen and presence */
  RELAIS_EVENT_SAFE_DEPOSIT,   /* "safe.deposit": delivered by its own sender, never to /events */
  RELAIS_EVENT_MAIL_CHECK,     /* "mail.check": someone checked their mail at the kiosk (a contact) */
  RELAIS_EVENT_N_TYPES
} RelaisEventType;

const char     *relais_event_type_to_string (RelaisEventType type);
RelaisEventType relais_event_type_from_string (const char *type);

/* A help request's life: raised → seen → taken → resolved; cancelled, or
 * left (the resident's session ended), from any open state. */
typedef enum {
  RELAIS_HELP_STATE_UNKNOWN = 0,
  RELAIS_HELP_STATE_RAISED,
  RELAIS_HELP_STATE_SEEN,
  RELAIS_HELP_STATE_TAKEN,
  RELAIS_HELP_STATE_RESOLVED,
  RELAIS_HELP_STATE_CANCELLED,
  RELAIS_HELP_STATE_LEFT,
  RELAIS_HELP_N_STATES
} RelaisHelpState;

const char     *relais_help_state_to_string (RelaisHelpState state);
RelaisHelpState relais_help_state_from_string (const char *state);
/* Raised, seen or taken: someone may still come. */
gboolean        relais_help_state_is_open (RelaisHelpState state);
/* Raised or seen: nobody has taken it yet. */
gboolean        relais_help_state_is_waiting (RelaisHelpState state);

/* What a console asks of the hub about a request (POST /help/ID/VERB). */
typedef enum {
  RELAIS_HELP_VERB_UNKNOWN = 0,
  RELAIS_HELP_VERB_SEEN,    /* "seen" */
  RELAIS_HELP_VERB_TAKE,    /* "take" */
  RELAIS_HELP_VERB_RESOLVE, /* "resolve" */
  RELAIS_HELP_VERB_CANCEL,  /* "cancel" */
  RELAIS_HELP_N_VERBS
} RelaisHelpVerb;

const char    *relais_help_verb_to_string (RelaisHelpVerb verb);
RelaisHelpVerb relais_help_verb_from_string (const char *verb);

/* What a resident needs help with, as the station offers it (in this
 * order) and the consoles show it. */
typedef enum {
  RELAIS_HELP_CATEGORY_UNKNOWN = 0,
  RELAIS_HELP_CATEGORY_SCANNER,
  RELAIS_HELP_CATEGORY_PRINTER,
  RELAIS_HELP_CATEGORY_WEBSITE,
  RELAIS_HELP_CATEGORY_MAIL,
  RELAIS_HELP_CATEGORY_SAFE,
  RELAIS_HELP_CATEGORY_OTHER,
  RELAIS_HELP_N_CATEGORIES
} RelaisHelpCategory;

const char        *relais_help_category_to_string (RelaisHelpCategory category);
RelaisHelpCategory relais_help_category_from_string (const char *category);
/* TRUE for the strings of the table only: what the hub accepts. */
gboolean           relais_help_category_is_valid (const char *category);

/* Who raised a request: the resident, or the station by itself. */
typedef enum {
  RELAIS_HELP_ORIGIN_UNKNOWN = 0,
  RELAIS_HELP_ORIGIN_RESIDENT, /* "resident" */
  RELAIS_HELP_ORIGIN_STATION,  /* "station" */
  RELAIS_HELP_N_ORIGINS
} RelaisHelpOrigin;

const char      *relais_help_origin_to_string (RelaisHelpOrigin origin);
RelaisHelpOrigin relais_help_origin_from_string (const char *origin);

/* What a help request's context is: the console labels it by its kind
 * (« Sur le site : », « Courrier : ») and never guesses it from the
 * text. UNKNOWN: no context, or an older station's, which said no kind. */
typedef enum {
  RELAIS_HELP_CONTEXT_UNKNOWN = 0,
  RELAIS_HELP_CONTEXT_SITE,   /* "site": "host — page title" */
  RELAIS_HELP_CONTEXT_LETTER, /* "letter": "sender — letter kind" */
  RELAIS_HELP_N_CONTEXTS
} RelaisHelpContextKind;

const char           *relais_help_context_kind_to_string (RelaisHelpContextKind kind);
RelaisHelpContextKind relais_help_context_kind_from_string (const char *kind);

/* Why a station raised a request by itself. A printer's IPP reason
 * ("media-empty") is translated once, in relais-printer.c, into one of
 * these ("printer-media-empty"). The hub carries any short reason: a newer
 * station may know more than this table. */
typedef enum {
  RELAIS_STATION_REASON_UNKNOWN = 0,
  RELAIS_STATION_REASON_SCANNER_JAMMED,
  RELAIS_STATION_REASON_SCANNER_COVER_OPEN,
  RELAIS_STATION_REASON_SCANNER_FAILED,
  RELAIS_STATION_REASON_SCANNER_REPEATED_FAILURES,
  RELAIS_STATION_REASON_PRINTER_STOPPED,
  RELAIS_STATION_REASON_PRINTER_FAILED,
  RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY,
  RELAIS_STATION_REASON_PRINTER_MEDIA_JAM,
  RELAIS_STATION_REASON_PRINTER_TONER_EMPTY,
  RELAIS_STATION_REASON_PRINTER_DOOR_OPEN,
  RELAIS_STATION_REASON_PRINTER_OFFLINE,
  RELAIS_STATION_REASON_PRINTER_UNREACHABLE,
  RELAIS_STATION_N_REASONS
} RelaisStationReason;

const char         *relais_station_reason_to_string (RelaisStationReason reason);
RelaisStationReason relais_station_reason_from_string (const char *reason);

/* The station's screens, as it reports them in "station.status". The
 * hub carries any short step. */
typedef enum {
  RELAIS_STATION_STEP_UNKNOWN = 0,
  RELAIS_STATION_STEP_WELCOME,
  RELAIS_STATION_STEP_HOME,
  RELAIS_STATION_STEP_SCAN,
  RELAIS_STATION_STEP_COPY,
  RELAIS_STATION_STEP_HELP,
  RELAIS_STATION_STEP_MAIL,
  RELAIS_STATION_STEP_SAFE,
  RELAIS_STATION_STEP_USB,
  RELAIS_STATION_STEP_BROWSER, /* "browser": "Internet" */
  RELAIS_STATION_N_STEPS
} RelaisStationStep;

const char       *relais_station_step_to_string (RelaisStationStep step);
RelaisStationStep relais_station_step_from_string (const char *step);

/* What a mediator's account may do: every mediator works the queue and
 * the mail; staff also see the site's figures. */
typedef enum {
  RELAIS_ROLE_UNKNOWN = 0,
  RELAIS_ROLE_MEDIATOR, /* "mediator" */
  RELAIS_ROLE_STAFF,    /* "staff" */
  RELAIS_N_ROLES
} RelaisRole;

const char *relais_role_to_string (RelaisRole role);
RelaisRole  relais_role_from_string (const char *role);

/* The names of the hub's live stream events ("event: NAME"). */
typedef enum {
  RELAIS_STREAM_UNKNOWN = 0,
  RELAIS_STREAM_READY,         /* "ready": the catch-up is complete */
  RELAIS_STREAM_HELP,          /* "help": a help request as it stands */
  RELAIS_STREAM_RING,          /* "ring": consoles, a request nobody took */
  RELAIS_STREAM_STATION,       /* "station": consoles, a station's presence and step */
  RELAIS_STREAM_MAIL_CHANGED,  /* "mail-changed": consoles */
  RELAIS_STREAM_MAIL_NOTICES,  /* "mail-notices": consoles */
  RELAIS_STREAM_MAIL_SNAPSHOT, /* "mail-snapshot": one station, its kiosk's list */
  RELAIS_STREAM_SAFE,          /* "safe": consoles */
  RELAIS_STREAM_CENTRAL,       /* "central": consoles, the département's registry reached or not */
  RELAIS_STREAM_N_EVENTS
} RelaisStreamEvent;

const char       *relais_stream_event_to_string (RelaisStreamEvent event);
RelaisStreamEvent relais_stream_event_from_string (const char *event);

/* A help request as the hub stores it and announces it: the database
 * reads it from its rows, the link from the stream, once; everyone else
 * reads these fields. */
typedef struct {
  char                 *id;
  char                 *station;
  RelaisHelpCategory    category;
  char                 *language; /* NULL unless the resident chose one */
  RelaisHelpOrigin      origin;
  char                 *reason;       /* a station's own request: why, as
                                       * relais_station_reason_to_string ()
                                       * (or a newer station's word); else NULL */
  char                 *context;      /* where the resident was when they
                                       * called: "host — page title" from the
                                       * browser (never a path or a query),
                                       * "sender — kind" from a letter, at most
                                       * RELAIS_HELP_CONTEXT_MAX characters;
                                       * else NULL */
  RelaisHelpContextKind context_kind; /* UNKNOWN when context is NULL */
  RelaisHelpState       state;
  gint64                raised_at;
  gint64                seen_at; /* 0 when not yet */
  gint64                taken_at;
  char                 *taken_by;       /* the mediator's display name */
  char                 *taken_by_login; /* the hub's own: never sent out */
  gint64                closed_at;
  gint64                seq; /* the last event that changed it */
} RelaisHelpRequest;

/* A help request's context, in characters. */
#define RELAIS_HELP_CONTEXT_MAX 160

#define RELAIS_TYPE_HELP_REQUEST (relais_help_request_get_type ())
GType              relais_help_request_get_type (void) G_GNUC_CONST;
RelaisHelpRequest *relais_help_request_copy (const RelaisHelpRequest *request);
void               relais_help_request_free (RelaisHelpRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisHelpRequest, relais_help_request_free)

/* A station as the hub announces it to the consoles ("station" events):
 * linked or not, in use or free, on which screen. */
typedef struct {
  char             *name;
  gboolean          online;        /* it holds a live stream */
  RelaisStationStep step;          /* UNKNOWN for a screen this console does not know */
  gboolean          in_session;    /* a resident is using it */
  gint64            since;         /* when the step or session began, ms; 0 unknown */
  gint64            ends_at;       /* the idle countdown ends then, ms; 0: none */
  gint64            last_event_at; /* 0 when it never reported */
} RelaisStationStatus;

#define RELAIS_TYPE_STATION_STATUS (relais_station_status_get_type ())
GType                relais_station_status_get_type (void) G_GNUC_CONST;
RelaisStationStatus *relais_station_status_copy (const RelaisStationStatus *status);
void                 relais_station_status_free (RelaisStationStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisStationStatus, relais_station_status_free)

/* The short form of a TLS pin ("sha256//" + base64 of 32 bytes), for
 * people to compare: the first 8 bytes in hex, in four groups
 * ("1A2B 3C4D 5E6F 7A8B"). The hub's `enroll` prints it, the enrolment
 * screen shows it. NULL when @pin is not one pin. */
char *relais_tls_pin_short (const char *pin);

G_END_DECLS
