/* relais-hub.h: the site's HTTP service (libsoup), owner of the database. */
#pragma once

#include <gio/gio.h>
#include "relais-db.h"

G_BEGIN_DECLS

#define RELAIS_HUB_ERROR (relais_hub_error_quark ())
typedef enum {
  RELAIS_HUB_ERROR_LISTEN = 1,
  RELAIS_HUB_ERROR_ENROLL,
  RELAIS_HUB_ERROR_TLS,
  /* A request the hub will not take, each a sentence for the client: */
  RELAIS_HUB_ERROR_INVALID,   /* malformed: a member missing, of the wrong type, too long */
  RELAIS_HUB_ERROR_REFUSED,   /* well formed, but past a limit (open help requests) */
  RELAIS_HUB_ERROR_NOT_FOUND, /* names nothing the hub knows */
  RELAIS_HUB_ERROR_FORBIDDEN, /* not for this kind of client ("réservé aux postes") */
} RelaisHubError;
GQuark relais_hub_error_quark (void);

/* The API version in every path: /api/v1/… */
#define RELAIS_HUB_API "/api/v1"

#define RELAIS_TYPE_HUB (relais_hub_get_type ())
G_DECLARE_FINAL_TYPE (RelaisHub, relais_hub, RELAIS, HUB, GObject)

/* Takes ownership of @db (a RELAIS_DB_HUB database). */
RelaisHub *relais_hub_new (RelaisDb *db);
void       relais_hub_set_max_body (RelaisHub *self,
                                    gsize      max_body);
/* Serves HTTPS with this PEM certificate (chain) and its PEM key; call it
 * before relais_hub_listen (). A missing or unreadable file, a key needing
 * a password or a key that is not the certificate's is a
 * RELAIS_HUB_ERROR_TLS in plain French. */
gboolean   relais_hub_set_tls (RelaisHub  *self,
                               const char *cert_path,
                               const char *key_path,
                               GError    **error);
/* @port 0 picks a free one; see relais_hub_get_port (). HTTPS after
 * relais_hub_set_tls (), plain HTTP otherwise. */
gboolean   relais_hub_listen (RelaisHub  *self,
                              const char *address,
                              guint       port,
                              GError    **error);
/* The pin of the certificate in @cert_path, as stations and consoles
 * write it in [hub] pin: "sha256//" + base64 of the SHA-256 of its DER
 * SubjectPublicKeyInfo (the form of curl's CURLOPT_PINNEDPUBLICKEY). */
char      *relais_hub_tls_pin (const char *cert_path,
                               GError    **error);
/* Writes a new self-signed certificate for @hostname (also valid for
 * localhost and 127.0.0.1) and its key (mode 0600), for a site with no
 * PKI: stations trust it through its pin. Never replaces a file. */
gboolean   relais_hub_tls_make_certificate (const char *cert_path,
                                            const char *key_path,
                                            const char *hostname,
                                            GError    **error);
guint      relais_hub_get_port (RelaisHub *self);
RelaisDb  *relais_hub_get_db (RelaisHub *self);
guint      relais_hub_get_n_subscribers (RelaisHub *self);
/* Connections open now, and accepted since the start. */
guint      relais_hub_get_n_connections (RelaisHub *self);
guint64    relais_hub_get_n_accepted (RelaisHub *self);
/* A request must arrive with no pause longer than @request_s (its headers
 * within @request_s of its first byte); a kept-alive connection is closed
 * after @idle_s without a request. */
void       relais_hub_set_timeouts (RelaisHub *self,
                                    guint      request_s,
                                    guint      idle_s);

/* Creates or replaces the token of a station or console; returns the token
 * (shown once, only its hash is stored). */
char      *relais_hub_enroll (RelaisDb   *db,
                              const char *kind,
                              const char *name,
                              GError    **error);
/* A one-time code for the station or console @kind named @name, valid
 * @lifetime_ms (RELAIS_HUB_ENROL_CODE_LIFETIME_MS from the command line),
 * once: POST /enrol exchanges it for a new token (which replaces the
 * client's old one) and the hub's TLS pin. Only its hash is stored.
 * Returned as "ABCD-EFGH"; the hub takes it with or without the dash,
 * in either case. */
#define RELAIS_HUB_ENROL_CODE_LENGTH      8
#define RELAIS_HUB_ENROL_CODE_LIFETIME_MS (15 * 60 * 1000)
char               *relais_hub_enrol_code_new (RelaisDb   *db,
                                               const char *kind,
                                               const char *name,
                                               gint64      lifetime_ms,
                                               GError    **error);
/* The pin of the certificate served (relais_hub_set_tls ()), NULL over
 * plain http. */
const char         *relais_hub_get_tls_pin (RelaisHub *self);
/* Creates a mediator's account; @password is hashed with Argon2id. */
gboolean            relais_hub_add_mediator (RelaisDb   *db,
                                             const char *login,
                                             const char *display_name,
                                             const char *password,
                                             gboolean    staff,
                                             GError    **error);
/* The same with the account's roles (relais_account_roles: "mediator",
 * "responsable", "staff"; one or more), told apart on the command line
 * by `add-mediator --role`. An unknown role is refused before anything
 * is written. */
gboolean            relais_hub_add_mediator_roles (RelaisDb           *db,
                                                   const char         *login,
                                                   const char         *display_name,
                                                   const char         *password,
                                                   const char            *const *roles,
                                                   GError            **error);
/* An untaken help request rings again on every console after @after_ms
 * (and every @after_ms after that). */
void                relais_hub_set_ring_again (RelaisHub *self,
                                               gint64     after_ms);
/* Detailed rows (session logs, closed requests, the event log) older than
 * @months are deleted at start and daily; the dashboard's aggregates stay. */
void                relais_hub_set_retention (RelaisHub *self,
                                              int        months);
/* The site's name ([hub] site-name), which the staff's reports carry
 * (the /stats answer's "site"); "Relais" until set. */
void                relais_hub_set_site_name (RelaisHub  *self,
                                              const char *name);
const char         *relais_hub_get_site_name (RelaisHub *self);
/* The partners a mediator may refer a person to ([help] partners), what
 * the hub accepts as a resolved request's "partner"; the default list
 * until set. */
void                relais_hub_set_help_partners (RelaisHub          *self,
                                                  const char                *const *partners);
const char * const *relais_hub_get_help_partners (RelaisHub *self);
/* Requests per second a station or console may sustain, and burst. */
void                relais_hub_set_rate_limit (RelaisHub *self,
                                               double     per_second,
                                               double     burst);
/* A station may have @max help requests open at once (3 by default; 0:
 * no limit, for load tests); past that its help.raise are refused. */
void                relais_hub_set_max_open_help (RelaisHub *self,
                                                  guint      max);
/* 256 random bits, URL-safe base64. */
char               *relais_hub_new_token (void);
/* The stored form of a token. */
char               *relais_hub_hash_token (const char *token);

G_END_DECLS
