/* relais-hub-handlers.h: the handlers relais-hub-routes.c names, one
 * per route, each in the file of its area. Only the route table calls
 * them. */
#pragma once

#include "relais-hub-private.h"

G_BEGIN_DECLS

/* Past a route's own body cap. */
#define RELAIS_HUB_SAFE_TOO_BIG          "Document trop grand pour le coffre."
#define RELAIS_HUB_MAIL_DOCUMENT_TOO_BIG "Pièce trop grande (8 Mo au plus)."

/* relais-hub-safe.c: what a station may upload to a safe. */
gsize _relais_hub_safe_max_upload (RelaisHub *self);
/* relais-hub-mail-docs.c: a person's supporting document. */
gsize _relais_hub_mail_documents_cap (RelaisHub *self);
/* relais-hub-mail-import.c: a centre's register, CSV or XLSX, from the
 * console. 20,000 people are ~2 MiB of CSV, less as XLSX. */
#define RELAIS_HUB_MAIL_IMPORT_MAX_BYTES  (16 * 1024 * 1024)
#define RELAIS_HUB_MAIL_IMPORT_MAX_PEOPLE 50000
#define RELAIS_HUB_MAIL_IMPORT_TOO_BIG    "Fichier trop grand pour un import (16 Mo au plus)."
gsize    _relais_hub_mail_import_cap (RelaisHub *self);
void     _relais_hub_handle_mail_import (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
/* relais-hub-mail-letters.c: a parcel's note (where it is stored). */
void     _relais_hub_handle_mail_parcel_note (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-events.c */
void     _relais_hub_handle_events (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void     _relais_hub_handle_help_list (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
/* POST /help/ID/VERB: call->data is the route's RelaisHelpVerb. */
void     _relais_hub_handle_help_action (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-help-outcome.c: the need and outcome of a resolved request.
 * Reads "need", "outcome", "partner" (each optional) from @root into
 * @outcome (pointers into @root), checked against the lists and the
 * site's partners; RELAIS_HUB_ERROR_REFUSED or the member's type error. */
gboolean _relais_hub_help_outcome_read (RelaisHub *self, JsonObject *root, RelaisHelpOutcome *outcome, GError **error);
void     _relais_hub_handle_help_choices (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-stream.c */
void     _relais_hub_handle_stream (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-accounts.c */
void     _relais_hub_handle_login (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void     _relais_hub_handle_logout (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-enrol.c: POST /enrol, a one-time code for a token. */
#define RELAIS_HUB_ENROL_TOO_BIG "Requête d'inscription trop grande."
gsize _relais_hub_enrol_cap (RelaisHub *self);
void  _relais_hub_handle_enrol (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-stats.c */
void  _relais_hub_handle_stats (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-safe.c */
void  _relais_hub_handle_safe_hello (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_open (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_activate (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_deposit (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_list (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_upload (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_download (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_delete (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_journal (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_close (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safe_pin (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-safe-console.c */
void  _relais_hub_handle_safe_consent (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safes_create (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safes_unlock (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safes_consented (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void  _relais_hub_handle_safes_document (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-mail-notify.c */
void  _relais_hub_handle_mail_snapshot (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-mail-people.c */
void  _relais_hub_handle_mail_search (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
/* GET /mail/people/NUMBER and /mail/card/CARD: call->data says which. */
typedef enum {
  RELAIS_HUB_MAIL_PERSON_BY_NUMBER = 1,
  RELAIS_HUB_MAIL_PERSON_BY_CARD,
} RelaisHubMailPersonBy;
void _relais_hub_handle_mail_person (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_person_save (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_decision (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_decisions (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_unknown_confirm (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_proxy_add (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_contact (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_person_npai (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_letter_npai (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_forward (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_return_confirm (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-mail-letters.c */
void _relais_hub_handle_mail_hand_over (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_batch (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_returns (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_registered (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_notices_failed (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_templates (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_template_save (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_stats (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_no_contact (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-stats.c: the prefecture's annual figures. */
void _relais_hub_handle_mail_annual (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-mail-life.c: deletion on request, the retention purge. */
void _relais_hub_handle_mail_person_delete (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_purge_preview (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_purge (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_register (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-mail-docs.c */
void _relais_hub_handle_mail_document_add (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_documents (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);
void _relais_hub_handle_mail_document (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

/* relais-hub-central.c */
void _relais_hub_handle_central_elsewhere (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call);

G_END_DECLS
