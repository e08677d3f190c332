/* relais-db-enrol.h: one-time enrolment codes, stored hashed. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

/* Why a code was not redeemed (RELAIS_DB_ERROR_NOT_FOUND for a code the
 * hub never made). */
typedef enum {
  RELAIS_ENROL_CODE_OK = 0,
  RELAIS_ENROL_CODE_UNKNOWN,
  RELAIS_ENROL_CODE_EXPIRED,
  RELAIS_ENROL_CODE_USED,
} RelaisEnrolCodeState;

/* Stores a code's hash for the client @kind ("station" or "console")
 * named @name, valid until @expires_at (ms). Codes expired before @now_ms
 * are forgotten at the same time. */
gboolean relais_db_enrol_code_add (RelaisDb   *db,
                                   const char *code_hash,
                                   const char *kind,
                                   const char *name,
                                   gint64      now_ms,
                                   gint64      expires_at,
                                   GError    **error);
/* In one transaction: when @code_hash names a code neither used nor
 * expired at @now_ms, marks it used and enrols its client with
 * @token_hash (replacing its token), setting *@kind and *@name. Otherwise
 * changes nothing and sets *@state (UNKNOWN, EXPIRED or USED); returns
 * FALSE with @error only when the database fails. */
gboolean relais_db_enrol_code_redeem (RelaisDb             *db,
                                      const char           *code_hash,
                                      const char           *token_hash,
                                      gint64                now_ms,
                                      RelaisEnrolCodeState *state,
                                      char                **kind,
                                      char                **name,
                                      GError              **error);

G_END_DECLS
