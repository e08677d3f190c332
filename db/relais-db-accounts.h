/* relais-db-accounts.h: mediators' accounts and their sessions (hub). */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;
  char  *login;
  char  *display_name; /* what residents see: "Sophie arrive" */
  char  *role;         /* "mediator" or "staff": the account's kind as
                        * it was before roles; rights go by @roles */
  GStrv  roles;        /* relais_account_roles the account holds */
} RelaisMediator;

/* "mediator" (the desk: help, mail), "responsable" (grants and refuses
 * domiciliations), "staff" (figures, exports). An account holds one or
 * more. NULL-terminated. */
extern const char * const relais_account_roles[];

void                      relais_mediator_free (RelaisMediator *mediator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMediator, relais_mediator_free)

gboolean        relais_mediator_has_role (const RelaisMediator *mediator,
                                          const char           *role);

/* @password_hash is already hashed (Argon2id, libsodium's string form).
 * @role is the account's one role to begin with (relais_account_roles).
 * CONFLICT when @login exists. */
gboolean        relais_db_mediator_add (RelaisDb   *db,
                                        const char *login,
                                        const char *display_name,
                                        const char *password_hash,
                                        const char *role,
                                        GError    **error);
/* Replaces @login's roles by @roles (at least one, each from
 * relais_account_roles: RELAIS_DB_ERROR_INVALID otherwise). */
gboolean        relais_db_mediator_set_roles (RelaisDb           *db,
                                              const char         *login,
                                              const char        *const *roles,
                                              GError            **error);
gboolean        relais_db_mediator_set_password (RelaisDb   *db,
                                                 const char *login,
                                                 const char *password_hash,
                                                 GError    **error);
/* An enabled account and its hash; NOT_FOUND otherwise. */
RelaisMediator *relais_db_mediator_lookup (RelaisDb   *db,
                                           const char *login,
                                           char      **password_hash,
                                           GError    **error);
gboolean        relais_db_session_add (RelaisDb   *db,
                                       const char *token_hash,
                                       gint64      mediator_id,
                                       const char *console,
                                       gint64      expires_at,
                                       GError    **error);
/* The mediator of a session still valid at @now on @console. */
RelaisMediator *relais_db_session_lookup (RelaisDb   *db,
                                          const char *token_hash,
                                          const char *console,
                                          gint64      now,
                                          GError    **error);
/* Ends the session, when it is @console's (RELAIS_DB_ERROR_NOT_FOUND
 * otherwise). */
gboolean        relais_db_session_end (RelaisDb   *db,
                                       const char *token_hash,
                                       const char *console,
                                       GError    **error);

G_END_DECLS
