/* relais-hub.h: the site's HTTP service (libsoup), owner of the database. */
#pragma once

#include <gio/gio.h>
#include "relais-db.h"

G_BEGIN_DECLS

#define RELAIS_HUB_ERROR (relais_hub_error_quark ())
typedef enum {
  RELAIS_HUB_ERROR_LISTEN = 1,
  RELAIS_HUB_ERROR_ENROLL,
} RelaisHubError;
GQuark relais_hub_error_quark (void);

/* The API version in every path: /api/v1/… */
#define RELAIS_HUB_API "/api/v1"

#define RELAIS_TYPE_HUB (relais_hub_get_type ())
G_DECLARE_FINAL_TYPE (RelaisHub, relais_hub, RELAIS, HUB, GObject)

/* Takes ownership of @db (a RELAIS_DB_HUB database). */
RelaisHub *relais_hub_new        (RelaisDb    *db);
void       relais_hub_set_max_body (RelaisHub *self,
                                    gsize      max_body);
/* @port 0 picks a free one; see relais_hub_get_port (). */
gboolean   relais_hub_listen     (RelaisHub   *self,
                                  const char  *address,
                                  guint        port,
                                  GError     **error);
guint      relais_hub_get_port   (RelaisHub   *self);
RelaisDb  *relais_hub_get_db     (RelaisHub   *self);
guint      relais_hub_get_n_subscribers (RelaisHub *self);

/* Creates or replaces the token of a station or console; returns the token
 * (shown once, only its hash is stored). */
char      *relais_hub_enroll     (RelaisDb    *db,
                                  const char  *kind,
                                  const char  *name,
                                  GError     **error);
/* Creates a mediator's account; @password is hashed with Argon2id. */
gboolean   relais_hub_add_mediator (RelaisDb    *db,
                                    const char  *login,
                                    const char  *display_name,
                                    const char  *password,
                                    gboolean     staff,
                                    GError     **error);
/* Requests per second a station or console may sustain, and burst. */
void       relais_hub_set_rate_limit (RelaisHub *self,
                                      double     per_second,
                                      double     burst);
/* 256 random bits, URL-safe base64. */
char      *relais_hub_new_token  (void);
/* The stored form of a token. */
char      *relais_hub_hash_token (const char  *token);

G_END_DECLS
