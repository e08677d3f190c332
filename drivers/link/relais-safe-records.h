/* relais-safe-records.h: the hub's answers to a console about residents'
 * safes, read once (the station's own safe client is drivers/safe). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* POST /safes/create: a new safe and its two codes, shown once. */
typedef struct {
  char *number;   /* the safe's number, for the card */
  char *code;     /* the first opening's code (secret) */
  char *recovery; /* the recovery code, for the sheet kept at home (secret) */
} RelaisSafeCreated;

/* Every member required, a non-empty string; else
 * RELAIS_LINK_ERROR_PROTOCOL naming it. */
RelaisSafeCreated *relais_safe_created_from_reply (JsonObject *reply,
                                                   GError    **error);
/* Wipes the codes before freeing them. */
void               relais_safe_created_free (RelaisSafeCreated *created);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeCreated, relais_safe_created_free)

G_END_DECLS
