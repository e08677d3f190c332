/* relais-db-accounts.h: mediators' accounts and their sessions (hub). */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *login;
  char   *display_name;  /* what residents see: "Sophie arrive" */
  char   *role;          /* "mediator" or "staff" */
} RelaisMediator;

void            relais_mediator_free          (RelaisMediator *mediator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMediator, relais_mediator_free)

/* @password_hash is already hashed (Argon2id, libsodium's string form).
 * CONFLICT when @login exists. */
gboolean        relais_db_mediator_add        (RelaisDb    *db,
                                               const char  *login,
                                               const char  *display_name,
                                               const char  *password_hash,
                                               const char  *role,
                                               GError     **error);
gboolean        relais_db_mediator_set_password (RelaisDb    *db,
                                                 const char  *login,
                                                 const char  *password_hash,
                                                 GError     **error);
/* An enabled account and its hash; NOT_FOUND otherwise. */
RelaisMediator *relais_db_mediator_lookup     (RelaisDb    *db,
                                               const char  *login,
                                               char       **password_hash,
                                               GError     **error);
gboolean        relais_db_session_add         (RelaisDb    *db,
                                               const char  *token_hash,
                                               gint64       mediator_id,
                                               const char  *console,
                                               gint64       expires_at,
                                               GError     **error);
/* The mediator of a session still valid at @now on @console. */
RelaisMediator *relais_db_session_lookup      (RelaisDb    *db,
                                               const char  *token_hash,
                                               const char  *console,
                                               gint64       now,
                                               GError     **error);
/* Ends the session, when it is @console's (RELAIS_DB_ERROR_NOT_FOUND
 * otherwise). */
gboolean        relais_db_session_end         (RelaisDb    *db,
                                               const char  *token_hash,
                                               const char  *console,
                                               GError     **error);

G_END_DECLS
