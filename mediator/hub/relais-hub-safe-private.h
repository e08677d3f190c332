/* relais-hub-safe-private.h: what the pieces of the hub's safes share
 * (relais-hub-safe.c: helpers and station routes; relais-hub-safe-state.c:
 * master key, settings, retention; relais-hub-safe-console.c: consent and
 * mediators' routes). Not for other modules. */
#pragma once

#include "relais-hub-private.h"
#include "relais-hub-safe.h"
#include "relais-db-safe.h"
#include "relais-safe-crypto.h"

G_BEGIN_DECLS

#define SESSION_IDLE_MS (10 * 60 * 1000)
#define NUMBER_DIGITS   10
#define CODE_DIGITS     6
#define RECOVERY_DIGITS 10
#define JOURNAL_LIMIT   200
/* 423 Locked: libsoup names it, but spell the reason out. */
#define STATUS_LOCKED 423

/* Keys derived from the master key: a stolen database without the key
 * file gives nothing to brute-force PINs with. Lives in locked memory. */
typedef struct {
  guint8 verifier_key[32]; /* keyed hash of PIN proofs */
  guint8 secret_key[32];   /* encrypts each safe's hub secret */
  guint8 code_key[32];     /* keyed hash of first-opening codes */
  guint8 box_sk[32];       /* the channel's static key */
  guint8 box_pk[32];
  guint8 document_key[32]; /* seals the mail desk's scanned documents */
} HubKeys;

/* An open safe at a station. Invariant: expires_at moves forward on use. */
typedef struct {
  gint64             safe_id;
  char              *number;
  char              *station;
  RelaisSafeChannel *channel;
  gint64             expires_at;
} SafeSession;

/* A consent, in memory only: a hub restart ends every consent. It holds
 * the keys of the documents in the safe when it was given, never the
 * safe's own keys: what a mediator is shown opens nothing added later. */
typedef struct {
  RelaisSafeKeyring *keys; /* document id → its key (locked memory) */
  gint64             safe_id;
  gint64             consent_id; /* its row in safe_consents */
  char              *station;    /* where it was given: more keys come from there */
  gint64             until;
} Grant;

/* A station's deposits of the last hour, as a token bucket (ms clock of
 * the safes). */
typedef struct {
  double documents;
  double bytes;
  gint64 updated;
} DepositBucket;

/* A consent sends at most this many document keys per request, so that
 * a full safe's keys stay far below the hub's body cap. */
#define CONSENT_BATCH_MAX 256

struct _RelaisHubSafe {
  HubKeys    *keys;     /* sodium_malloc */
  GHashTable *sessions; /* token hash → SafeSession */
  GHashTable *grants;   /* "safe_id/login" → Grant */
  gint64 (*now) (void);
  gint64              retention_ms;
  gint64              notice_ms;
  gsize               max_document;
  RelaisHubSafeLimits limits;
  GHashTable         *deposit_buckets; /* station name → DepositBucket */
  guint               retention_id;
  guint               sweep_id; /* forgets ended consents and sessions */
};

/* The key sealing the mail desk's scanned documents at rest, derived
 * from the master key (its file, 0600, beside the database); NULL with
 * @error when the key cannot be had. */
const guint8  *_relais_hub_document_key (RelaisHub *self,
                                         GError   **error);
RelaisHubSafe *_relais_hub_safe_get (RelaisHub *self,
                                     GError   **error);
GBytes        *_relais_hub_safe_keyed_hash (const guint8 *key,
                                            const guint8 *data,
                                            gsize         length);
char          *_relais_hub_safe_random_digits (guint n);
void           _relais_hub_safe_reply_bytes (SoupServerMessage *msg,
                                             GBytes            *bytes);
void           _relais_hub_safe_reply_db_error (SoupServerMessage *msg,
                                                const GError      *error);
void           _relais_hub_safe_journal (RelaisHub  *self,
                                         gint64      safe_id,
                                         const char *who,
                                         const char *what,
                                         const char *station,
                                         const char *detail);
/* A string member (at most 4096 characters) decoded from base64 to
 * exactly @expected bytes (any length when 0), or NULL with @error
 * naming it. */
GBytes        *_relais_hub_safe_json_bytes (JsonObject *object,
                                            const char *member,
                                            gsize       expected,
                                            GError    **error);
/* The documents of @list; with @only, those it has a key for, each with
 * its key sealed over @channel. */
JsonNode      *_relais_hub_safe_documents_json (GPtrArray         *list,
                                                RelaisSafeKeyring *only,
                                                RelaisSafeChannel *channel);
/* Forgets consents that have ended and sessions past their time. */
void           _relais_hub_safe_sweep (RelaisHubSafe *safe);
/* relais-hub-safe.c: the safe open at this station (X-Relais-Safe, on
 * the routes that need one), or NULL once answered (503, 401). */
SafeSession   *_relais_hub_safe_opened (RelaisHub           *self,
                                        SoupServerMessage   *msg,
                                        const RelaisHubCall *call);

G_END_DECLS
