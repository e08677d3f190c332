/* relais-web.h: what the station's browser may show, as staff configure it
 * in station.conf's [browser] group: the sites' tiles and the policy
 * (everything allowed, a block list or an allow list). GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAIS_WEB_ERROR (relais_web_error_quark ())
typedef enum {
  RELAIS_WEB_ERROR_INVALID = 1,
} RelaisWebError;
GQuark relais_web_error_quark (void);

/* One tile of the "Internet" page. Invariant: @uri is an absolute
 * http(s) address with a host. */
typedef struct {
  char *name; /* "CAF", as the tile says it */
  char *uri;  /* "https://www.caf.fr/" */
  char *icon; /* an icon name; never NULL ("relais-web" by default) */
} RelaisWebSite;

void relais_web_site_free (RelaisWebSite *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisWebSite, relais_web_site_free)

/* Parses "Name|https://address[|icon]" entries joined by ";" (at most
 * RELAIS_WEB_MAX_SITES). A malformed entry is an error naming it: a
 * staff's typo never silently drops a tile. Returns RelaisWebSite *s. */
#define RELAIS_WEB_MAX_SITES 24
GPtrArray *relais_web_sites_parse (const char *text,
                                   GError    **error);

typedef enum {
  RELAIS_WEB_POLICY_ALL = 1, /* "all": every site but those blocked */
  RELAIS_WEB_POLICY_BLOCK,   /* "block": every site but the block list */
  RELAIS_WEB_POLICY_ALLOW,   /* "allow": only the allow list (and the tiles' hosts) */
} RelaisWebPolicyMode;

typedef struct _RelaisWebPolicy RelaisWebPolicy;

/* @mode: "all", "block" or "allow"; @hosts: hosts joined by ";" (a host
 * also covers its subdomains: "caf.fr" covers "www.caf.fr"); @sites: the
 * tiles, whose hosts an allow list always lets through. */
RelaisWebPolicy                *relais_web_policy_new (const char *mode,
                                                       const char *hosts,
                                                       GPtrArray  *sites,
                                                       GError    **error);
void                            relais_web_policy_free (RelaisWebPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisWebPolicy, relais_web_policy_free)

typedef enum {
  RELAIS_WEB_VERDICT_ALLOWED = 1,
  RELAIS_WEB_VERDICT_BLOCKED, /* the staff's policy */
  RELAIS_WEB_VERDICT_SCHEME,  /* file:, data:, about: (but about:blank), internal schemes */
} RelaisWebVerdict;

/* Whether the browser may load @uri. Only http and https with a host
 * (and about:blank) ever load. */
RelaisWebVerdict relais_web_policy_check (RelaisWebPolicy *policy,
                                          const char      *uri);

/* What an address bar's words become: an address as typed when it
 * parses as http(s), "www.caf.fr" → "https://www.caf.fr/", anything else
 * a search on @search_uri (its "%s" replaced by the escaped words; NULL
 * returned when @search_uri is empty). */
char            *relais_web_address_from_words (const char *words,
                                                const char *search_uri);

/* The host and title a help request may carry: the host of @uri (never
 * its path or query: they can hold what the person typed) and @title cut
 * at 80 characters, "host — title" or the host alone; NULL when @uri has
 * no host. */
char            *relais_web_help_context (const char *uri,
                                          const char *title);

G_END_DECLS
