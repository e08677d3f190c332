/* relais-link.h: a station's or console's link to the hub (libcurl).
 *
 * Events go first into the station's outbox (durable), then a sender
 * thread delivers them in batches with retries and backoff; the hub records
 * each idempotency key once, so delivery is exactly once. A stream thread
 * follows the hub's server-sent events and re-emits them on the main
 * context of the thread that created the link. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "relais-db.h"
#include "relais-protocol.h"

G_BEGIN_DECLS

#define RELAIS_LINK_ERROR (relais_link_error_quark ())
typedef enum {
  RELAIS_LINK_ERROR_UNREACHABLE = 1,
  RELAIS_LINK_ERROR_UNAUTHORIZED,
  RELAIS_LINK_ERROR_REFUSED,  /* 4xx other than 401/404/409/413/429 */
  RELAIS_LINK_ERROR_CONFLICT, /* 409: someone else got there first */
  RELAIS_LINK_ERROR_NOT_FOUND,
  RELAIS_LINK_ERROR_SERVER, /* 5xx */
  RELAIS_LINK_ERROR_TOO_LARGE,
  RELAIS_LINK_ERROR_PROTOCOL,
  RELAIS_LINK_ERROR_STORE,
  RELAIS_LINK_ERROR_BUSY, /* 429: slow down, nothing refused */
} RelaisLinkError;
GQuark relais_link_error_quark (void);

typedef enum {
  RELAIS_LINK_OFFLINE = 0, /* the hub does not answer */
  RELAIS_LINK_CONNECTING,
  RELAIS_LINK_ONLINE,       /* the live stream is up */
  RELAIS_LINK_UNAUTHORIZED, /* the hub refuses our token */
} RelaisLinkState;

#define RELAIS_TYPE_LINK (relais_link_get_type ())
G_DECLARE_FINAL_TYPE (RelaisLink, relais_link, RELAIS, LINK, GObject)

/* @outbox_path: the station database holding the outbox, or NULL for a
 * console (which sends nothing through an outbox). Nothing happens on the
 * network until relais_link_start (). Signals:
 *   "help-changed" (RelaisHelpRequest *request): a help request as the
 *     hub has it (read once, here: one without an id or with a state we
 *     do not know is dropped);
 *   "station-changed" (RelaisStationStatus *station): consoles only, a
 *     station's presence and step;
 *   "ring" (RelaisHelpRequest *request): consoles only, a request nobody
 *     took;
 *   "stream-event::NAME" (const char *name, JsonObject *data): every event
 *     of the stream, detailed by its name ("mail", "safe"…);
 *   "ready": the stream's catch-up is complete.
 * Property "state" (RelaisLinkState). */
RelaisLink     *relais_link_new (const char *hub_url,
                                 const char *token,
                                 const char *outbox_path,
                                 GError    **error);
/* Pins the hub's public key, as "sha256//BASE64" (curl's
 * CURLOPT_PINNEDPUBLICKEY; several joined by ';'), given by
 * « relais-hub tls-pin »: the hub's certificate, self-signed or not, is
 * then accepted when, and only when, its key matches. Only with an
 * https:// URL. NULL or "" removes the pin (https then checks the
 * certificate against the system's CAs). Refuses anything else with
 * RELAIS_LINK_ERROR_PROTOCOL. */
gboolean        relais_link_set_pin (RelaisLink *self,
                                     const char *pin,
                                     GError    **error);
void            relais_link_start (RelaisLink *self);
void            relais_link_stop (RelaisLink *self);
RelaisLinkState relais_link_get_state (RelaisLink *self);
const char     *relais_link_get_url (RelaisLink *self);

/* Puts an event in the outbox (durable on return) and wakes the sender.
 * @data is taken. Returns the idempotency key. */
char           *relais_link_queue_event (RelaisLink *self,
                                         const char *type,
                                         JsonObject *data,
                                         GError    **error);
/* An event with bytes that go with it (a sealed safe deposit), queued in
 * the same outbox, in order with every other event. Its delivery is done
 * by the sender registered for @type, in the link's sending thread. */
char           *relais_link_queue_event_attached (RelaisLink *self,
                                                  const char *type,
                                                  JsonObject *data,
                                                  GBytes     *attachment,
                                                  GError    **error);

typedef enum {
  RELAIS_LINK_SENT = 1, /* the hub has it (or had it already) */
  RELAIS_LINK_REFUSED,  /* for good: set aside, with @error's message */
  RELAIS_LINK_RETRY,    /* unreachable: try again later */
} RelaisLinkSendResult;

/* Delivers one event of a type with attachments. Runs in the sending
 * thread; may block on the network. */
typedef RelaisLinkSendResult (*RelaisLinkAttachmentSender) (RelaisLink *link,
                                                            JsonObject *data,
                                                            GBytes     *attachment,
                                                            GError    **error);
void   relais_link_set_attachment_sender (RelaisLink                *self,
                                          const char                *type,
                                          RelaisLinkAttachmentSender sender);
/* Makes every pending event due now (someone asked to try again). */
void   relais_link_retry_now (RelaisLink *self);
/* Pending events of @type. */
gint64 relais_link_get_pending_of_type (RelaisLink *self,
                                        const char *type);

/* Sends what is due now, in this thread; for tests and tools. Returns the
 * number of events the hub acknowledged, or -1 with @error. */
int    relais_link_flush (RelaisLink *self,
                          GError    **error);
gint64 relais_link_get_pending (RelaisLink *self);
/* Events the hub refused for good, kept aside in the outbox. */
gint64 relais_link_get_rejected (RelaisLink *self);

/* Who logged in, as the hub answered (read once, in the link). */
typedef struct {
  char      *login;
  char      *name;        /* the display name, never empty */
  RelaisRole role;        /* UNKNOWN for a role this console does not know */
  gboolean   responsable; /* may grant, refuse and radiate a domiciliation */
  gint64     expires_at;  /* the session's end, ms; 0 when not said */
} RelaisLoginReply;

void relais_login_reply_free (RelaisLoginReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisLoginReply, relais_login_reply_free)

/* A mediator logs in on a console: the hub checks the password and gives
 * a session that every later action carries, so each is attributed.
 * Finish returns who logged in; wrong password →
 * RELAIS_LINK_ERROR_UNAUTHORIZED, an answer without a session, a login
 * or a name → RELAIS_LINK_ERROR_PROTOCOL (no session kept). */
void               relais_link_login_async (RelaisLink         *self,
                                            const char         *login,
                                            const char         *password,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
RelaisLoginReply  *relais_link_login_finish (RelaisLink   *self,
                                             GAsyncResult *result,
                                             GError      **error);
/* Forgets the session (and tells the hub, best effort). */
void               relais_link_logout (RelaisLink *self);
gboolean           relais_link_has_session (RelaisLink *self);

/* Console actions on a help request: a RelaisHelpVerb's word ("seen",
 * "take", "resolve", "cancel"); finish gives the request as it now
 * stands. The hub arbitrates: a second "take" fails with
 * RELAIS_LINK_ERROR_CONFLICT. */
void               relais_link_help_action_async (RelaisLink         *self,
                                                  const char         *id,
                                                  const char         *verb,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
RelaisHelpRequest *relais_link_help_action_finish (RelaisLink   *self,
                                                   GAsyncResult *result,
                                                   GError      **error);
/* "resolve" saying what the request was about (issue 16): @need,
 * @outcome, @partner are words of relais-help-outcome.h's lists and the
 * site's partners, each NULL when the mediator said nothing. Finish with
 * relais_link_help_action_finish (). */
void               relais_link_help_resolve_async (RelaisLink         *self,
                                                   const char         *id,
                                                   const char         *need,
                                                   const char         *outcome,
                                                   const char         *partner,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
/* GET /help/choices read once: the site's partners, NULL-terminated;
 * RELAIS_LINK_ERROR_PROTOCOL naming the member when "partners" is not an
 * array of strings. */
char             **relais_help_partners_from_reply (JsonObject *reply,
                                                    GError    **error);
/* Any call to the hub in a thread: GET when @body is NULL, else POST of
 * @body (taken). The session header goes along when logged in. Finish
 * returns the JSON object answered, or the hub's message as the error. */
void               relais_link_request_async (RelaisLink         *self,
                                              const char         *path,
                                              JsonNode           *body,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
JsonObject        *relais_link_request_finish (RelaisLink   *self,
                                               GAsyncResult *result,
                                               GError      **error);
/* Blocking request with raw bytes both ways (the digital safe's
 * ciphertext): @method "GET", "POST" or "DELETE"; @body NULL for none;
 * @extra_headers NULL-terminated "Name: value" lines. Returns the body
 * answered, whatever the HTTP @status (the caller reads the hub's
 * refusals), at most @max_response bytes; errors are only transport ones
 * (UNREACHABLE, TOO_LARGE). Never on the main thread. */
GBytes            *relais_link_transfer (RelaisLink         *self,
                                         const char         *method,
                                         const char         *path,
                                         GBytes             *body,
                                         const char            *const *extra_headers,
                                         gsize               max_response,
                                         long               *status,
                                         GError            **error);
/* The hub's sentence in the body of a refusal ({"error": "…"}), or NULL
 * when the body says none. */
char              *relais_link_refusal_message (const char *data,
                                                gsize       length);
/* Blocking GET of a JSON object, e.g. "/help". */
JsonObject        *relais_link_get_json (RelaisLink *self,
                                         const char *path,
                                         GError    **error);

/* Enrolment by one-time code (`relais-hub enroll station|console NAME`):
 * what the hub gave for the code. @pin and @fingerprint are NULL over
 * plain http; @fingerprint is the pin's short form the staff compare with
 * the one the hub's command printed. */
typedef struct {
  char *url;  /* the hub's address, as given, without a final '/' */
  char *kind; /* "station" or "console" */
  char *name;
  char *token;
  char *pin;         /* "sha256//…" */
  char *fingerprint; /* "1A2B 3C4D 5E6F 7A8B" */
} RelaisEnrolment;

void relais_enrolment_free (RelaisEnrolment *enrolment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisEnrolment, relais_enrolment_free)

/* Exchanges @code for a token at the hub @hub_url (blocking). Over
 * https, the certificate is taken without a CA, then a second connection
 * pinned to the key the answer names must succeed. A wrong, expired or
 * used code is RELAIS_LINK_ERROR_REFUSED with the hub's French sentence;
 * too many tries, RELAIS_LINK_ERROR_BUSY. Nothing is written anywhere. */
RelaisEnrolment *relais_link_enrol (const char *hub_url,
                                    const char *code,
                                    GError    **error);
/* The same in a thread. */
void             relais_link_enrol_async (const char         *hub_url,
                                          const char         *code,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
RelaisEnrolment *relais_link_enrol_finish (GAsyncResult *result,
                                           GError      **error);
/* Writes the hub's url and pin, the client's name and token into the key
 * file @config_path (made 0600; its other settings and comments kept). */
gboolean         relais_enrolment_save (const RelaisEnrolment *enrolment,
                                        const char            *config_path,
                                        GError               **error);

G_END_DECLS
