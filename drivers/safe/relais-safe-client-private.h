/* relais-safe-client-private.h: what the files of relais-safe-client.c
 * share: the client's state, its calls to the hub and their errors, what
 * the hub says of a safe. Not for other modules. */
#pragma once

#include "relais-safe-client.h"
#include "relais-limits.h"
#include "relais-db-safe.h"

G_BEGIN_DECLS

struct _RelaisSafeClient {
  /* Borrowed */
  RelaisLink        *link;
  /* Owned */
  RelaisDb          *db; /* station only; guarded by db_lock */
  GMutex             db_lock;
  char              *number; /* the open safe, or NULL */
  char              *session_header;
  RelaisSafeKeys    *keys; /* the safe's keys, at a station with the PIN */
  RelaisSafeChannel *channel;
  gboolean           consented;     /* a mediator's view: other routes */
  RelaisSafeKeyring *doc_keys;      /* consented: the covered documents' keys */
  gint64             consent_until; /* ms, while consented */
};

/* What the hub says of a safe (POST /safe/hello). */
typedef struct {
  char   *state;
  int     remaining;
  GBytes *hub_pk;
  GBytes *salt; /* NULL for a new safe */
  GBytes *box_pk;
} RelaisSafeHello;

/* relais-safe-client.c */
void
_relais_safe_client_forget (RelaisSafeClient *self);
void
_relais_safe_client_set_hub_error (long        status,
                                   JsonObject *answer,
                                   gboolean    card,
                                   GError    **error);
void
_relais_safe_client_set_unreadable (GError        **error,
                                    RelaisSafeError code,
                                    const char     *detail);
void
_relais_safe_client_set_unreachable (GError      **error,
                                     const GError *cause);
GBytes *
_relais_safe_client_call (RelaisSafeClient *self,
                          const char       *method,
                          const char       *path,
                          GBytes           *body,
                          gsize             max_answer,
                          long             *status,
                          GError          **error);
JsonObject *
_relais_safe_client_call_json (RelaisSafeClient *self,
                               const char       *method,
                               const char       *path,
                               JsonNode         *body,
                               long             *status_out,
                               GError          **error);
JsonNode *
_relais_safe_client_object_node (JsonBuilder *builder);
GBytes *
_relais_safe_client_member_bytes (JsonObject *object,
                                  const char *member,
                                  gsize       expected,
                                  GError    **error);
gboolean
_relais_safe_client_valid_number (const char *number,
                                  GError    **error);
gboolean
_relais_safe_client_check_open (RelaisSafeClient *self,
                                GError          **error);

/* relais-safe-client-open.c */
void
_relais_safe_client_hello_free (RelaisSafeHello *hello);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeHello, _relais_safe_client_hello_free)
RelaisSafeHello *
_relais_safe_client_hello (RelaisSafeClient *self,
                           const char       *number,
                           GError          **error);

/* relais-safe-client-documents.c */
char *
_relais_safe_client_upload (RelaisSafeClient *self,
                            const char       *path_prefix,
                            const char       *number,
                            const char       *id,
                            const char       *category,
                            GBytes           *envelope,
                            GError          **error);
gboolean
_relais_safe_client_check_document (const char *category,
                                    GBytes     *plain,
                                    GError    **error);

/* relais-safe-client-consent.c */
char *
_relais_safe_client_consented_path (RelaisSafeClient *self,
                                    const char       *suffix);
gboolean
_relais_safe_client_consented_call (RelaisSafeClient *self,
                                    JsonObject      **answer_out,
                                    GError          **error);

/* relais-safe-client-deposit.c */
char *
_relais_safe_client_queue_deposit (RelaisSafeClient *self,
                                   const char       *number,
                                   const char       *id,
                                   const char       *category,
                                   GBytes           *envelope,
                                   GError          **error);
RelaisLinkSendResult
_relais_safe_client_deposit_sender (RelaisLink *link,
                                    JsonObject *data,
                                    GBytes     *envelope,
                                    GError    **error);

G_END_DECLS
