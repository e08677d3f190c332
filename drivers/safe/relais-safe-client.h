/* relais-safe-client.h: a station's (or a consented console's) way into a
 * resident's digital safe. Everything is encrypted and decrypted here;
 * the hub sees ciphertext. Calls block on the network: run them in a
 * thread (GTask), never on the main loop that may be serving a hub. */
#pragma once

#include "relais-link.h"
#include "relais-safe-crypto.h"

G_BEGIN_DECLS

typedef struct _RelaisSafeClient RelaisSafeClient;

typedef struct {
  char    *id;
  char    *category; /* identite, ressources, logement, sante, impots, famille, emploi, autre */
  char    *name;     /* decrypted; "" when none was given */
  gint64   size;     /* ciphertext bytes */
  gint64   created_at;
  gboolean deposited; /* added without the PIN (hub down) */
} RelaisSafeItem;

void relais_safe_item_free (RelaisSafeItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeItem, relais_safe_item_free)

/* One line of a safe's journal, as the hub wrote it, checked once here. */
typedef struct {
  gint64 at;       /* ms since the epoch */
  char  *who;      /* "resident", "hub", "mediator:LOGIN"; never NULL */
  char  *mediator; /* LOGIN when who is "mediator:LOGIN", else NULL */
  char  *what;     /* "open", "add", "consent", "unlock"…; never NULL */
  char  *station;  /* where it happened; "" when unknown */
  char  *detail;   /* the consent's mediator, the unlock's way…; or NULL */
} RelaisSafeJournalLine;

void relais_safe_journal_line_free (RelaisSafeJournalLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeJournalLine, relais_safe_journal_line_free)

/* @station_db_path: the station database (public keys seen, sealed scans
 * waiting for the hub), or NULL on a console. */
RelaisSafeClient *relais_safe_client_new (RelaisLink *link,
                                          const char *station_db_path,
                                          GError    **error);
void              relais_safe_client_free (RelaisSafeClient *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeClient, relais_safe_client_free)

/* What the hub says of @number: "new" (the card's code, then a PIN to
 * choose), "ready" or "locked"; @remaining tries (may be NULL). */
char       *relais_safe_client_hello (RelaisSafeClient *self,
                                      const char       *number,
                                      int              *remaining,
                                      GError          **error);
/* First opening: the card's @code and the PIN the resident chose. */
gboolean    relais_safe_client_activate (RelaisSafeClient *self,
                                         const char       *number,
                                         const char       *code,
                                         const char       *pin,
                                         GError          **error);
/* RELAIS_SAFE_ERROR_WRONG_PIN (message says how many tries are left,
 * @remaining too), _LOCKED, _UNREACHABLE, _NOT_FOUND. */
gboolean    relais_safe_client_open (RelaisSafeClient *self,
                                     const char       *number,
                                     const char       *pin,
                                     int              *remaining,
                                     GError          **error);
gboolean    relais_safe_client_is_open (RelaisSafeClient *self);
const char *relais_safe_client_get_number (RelaisSafeClient *self);
/* Forgets the keys (wiped) and tells the hub, best effort. */
void        relais_safe_client_close (RelaisSafeClient *self);

/* RelaisSafeItem*, oldest first. */
GPtrArray  *relais_safe_client_list (RelaisSafeClient *self,
                                     GError          **error);
/* The plaintext, in memory only; RELAIS_SAFE_ERROR_TAMPERED if altered. */
GBytes     *relais_safe_client_fetch (RelaisSafeClient *self,
                                      const char       *id,
                                      char            **name,
                                      GError          **error);
/* Encrypts and uploads; returns the new document's id. With the hub
 * unreachable the document is sealed and queued instead (@queued). */
char       *relais_safe_client_add (RelaisSafeClient *self,
                                    const char       *category,
                                    const char       *name,
                                    GBytes           *plain,
                                    gboolean         *queued,
                                    GError          **error);
gboolean    relais_safe_client_delete (RelaisSafeClient *self,
                                       const char       *id,
                                       GError          **error);
gboolean    relais_safe_client_change_pin (RelaisSafeClient *self,
                                           const char       *new_pin,
                                           GError          **error);
/* The journal, newest first: RelaisSafeJournalLine*. An answer that is
 * not a journal is RELAIS_SAFE_ERROR_FORMAT, nothing half read. */
GPtrArray  *relais_safe_client_journal (RelaisSafeClient *self,
                                        GError          **error);
/* The journal in the hub's answer to GET /safe/journal, checked: what
 * relais_safe_client_journal () returns (here for the tests). */
GPtrArray  *relais_safe_journal_from_json (JsonObject *answer,
                                           GError    **error);
/* Lets mediator @login see, for @minutes, the documents in the safe now
 * (@n_documents, may be NULL): their own keys go to the hub, never the
 * safe's, so nothing added later is shown. Returns when it ends. */
gint64      relais_safe_client_consent (RelaisSafeClient *self,
                                        const char       *login,
                                        int               minutes,
                                        guint            *n_documents,
                                        GError          **error);

/* Without the PIN: seals a scan to safe @number's public key (remembered
 * from an earlier visit, or asked of the hub) and sends it, or keeps it
 * in the station's safe outbox when the hub does not answer (@queued). */
char       *relais_safe_client_deposit (RelaisSafeClient *self,
                                        const char       *number,
                                        const char       *category,
                                        const char       *name,
                                        GBytes           *plain,
                                        gboolean         *queued,
                                        GError          **error);
/* Sends queued deposits; returns how many the hub took, -1 on error
 * (the rest stay queued). */
int         relais_safe_client_flush (RelaisSafeClient *self,
                                      GError          **error);
gint64      relais_safe_client_get_pending (RelaisSafeClient *self);

/* On a console, with a mediator logged in on @link: opens safe @number
 * under the resident's consent (then list and fetch work, on the documents
 * it covers); RELAIS_SAFE_ERROR_REFUSED when there is none or it ended.
 * The console gets each covered document's key sealed to a key pair it
 * makes for each answer, never the safe's keys. */
gboolean    relais_safe_client_open_consented (RelaisSafeClient *self,
                                               const char       *number,
                                               GError          **error);
/* When the consent seen by the last open_consented ends (ms), 0 if none. */
gint64      relais_safe_client_get_consent_until (RelaisSafeClient *self);

G_END_DECLS
