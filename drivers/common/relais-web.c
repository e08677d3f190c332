/* relais-web.c: the browser's sites and policy, read once from
 * station.conf; the page asks before every load. */

#include "relais-web.h"

#include <string.h>

G_DEFINE_QUARK (relais-web-error-quark, relais_web_error);

struct _RelaisWebPolicy {
  RelaisWebPolicyMode mode;
  GPtrArray          *hosts; /* lower-case host names, owned */
};

void
relais_web_site_free (RelaisWebSite *site)
{
  if (site == NULL)
    return;
  g_free (site->name);
  g_free (site->uri);
  g_free (site->icon);
  g_free (site);
}

/* The lower-case host of an http(s) @uri, or NULL. */
static char *
http_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (parsed == NULL)
    return NULL;
  scheme = g_uri_get_scheme (parsed);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return NULL;
  return g_ascii_strdown (g_uri_get_host (parsed), -1);
}

GPtrArray *
relais_web_sites_parse (const char *text,
                        GError    **error)
{
  g_autoptr(GPtrArray) sites = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_web_site_free);
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  entries = g_strsplit (text, ";", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(RelaisWebSite) site = NULL;
      g_autofree char *host = NULL;
      g_autofree char *entry = g_strstrip (g_strdup (entries[i]));
      guint            n;

      if (*entry == '\0')
        continue;
      fields = g_strsplit (entry, "|", -1);
      n = g_strv_length (fields);
      for (guint f = 0; f < n; f++)
        g_strstrip (fields[f]);
      if (n < 2 || n > 3 || *fields[0] == '\0'
          || (host = http_host (fields[1])) == NULL)
        {
          g_set_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID,
                       "site « %s » : attendu « Nom|https://adresse » ou « Nom|https://adresse|icône »", entry);
          return NULL;
        }
      if (sites->len == RELAIS_WEB_MAX_SITES)
        {
          g_set_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID,
                       "plus de %d sites : pas plus", RELAIS_WEB_MAX_SITES);
          return NULL;
        }
      site = g_new0 (RelaisWebSite, 1);
      site->name = g_strdup (fields[0]);
      site->uri = g_strdup (fields[1]);
      site->icon = g_strdup (n == 3 && *fields[2] != '\0' ? fields[2] : "relais-web");
      g_ptr_array_add (sites, g_steal_pointer (&site));
    }
  return g_steal_pointer (&sites);
}

RelaisWebPolicy *
relais_web_policy_new (const char *mode,
                       const char *hosts,
                       GPtrArray  *sites,
                       GError    **error)
{
  g_autoptr(RelaisWebPolicy) policy = g_new0 (RelaisWebPolicy, 1);
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (mode != NULL, NULL);

  policy->hosts = g_ptr_array_new_with_free_func (g_free);
  if (g_str_equal (mode, "all"))
    policy->mode = RELAIS_WEB_POLICY_ALL;
  else if (g_str_equal (mode, "block"))
    policy->mode = RELAIS_WEB_POLICY_BLOCK;
  else if (g_str_equal (mode, "allow"))
    policy->mode = RELAIS_WEB_POLICY_ALLOW;
  else
    {
      g_set_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID,
                   "politique « %s » : attendu « all », « block » ou « allow »", mode);
      return NULL;
    }

  names = g_strsplit (hosts != NULL ? hosts : "", ";", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *host = g_ascii_strdown (g_strstrip (names[i]), -1);

      if (*host == '\0')
        continue;
      /* A bare host name: no scheme, path, port or blank. */
      if (strpbrk (host, "/:@ \t?#") != NULL || host[0] == '.')
        {
          g_set_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID,
                       "hôte « %s » : attendu un nom comme « caf.fr »", host);
          return NULL;
        }
      g_ptr_array_add (policy->hosts, g_steal_pointer (&host));
    }
  /* The tiles staff chose are always reachable under an allow list. */
  for (guint i = 0; policy->mode == RELAIS_WEB_POLICY_ALLOW && sites != NULL && i < sites->len; i++)
    {
      const RelaisWebSite *site = g_ptr_array_index (sites, i);

      g_ptr_array_add (policy->hosts, http_host (site->uri));
    }
  return g_steal_pointer (&policy);
}

void
relais_web_policy_free (RelaisWebPolicy *policy)
{
  if (policy == NULL)
    return;
  g_clear_pointer (&policy->hosts, g_ptr_array_unref);
  g_free (policy);
}

/* @host is @listed or one of its subdomains. */
static gboolean
host_matches (const char *host,
              const char *listed)
{
  size_t host_len = strlen (host);
  size_t listed_len = strlen (listed);

  if (host_len == listed_len)
    return g_str_equal (host, listed);
  return host_len > listed_len && host[host_len - listed_len - 1] == '.'
         && g_str_equal (host + host_len - listed_len, listed);
}

static gboolean
host_listed (RelaisWebPolicy *policy,
             const char      *host)
{
  for (guint i = 0; i < policy->hosts->len; i++)
    if (host_matches (host, g_ptr_array_index (policy->hosts, i)))
      return TRUE;
  return FALSE;
}

RelaisWebVerdict
relais_web_policy_check (RelaisWebPolicy *policy,
                         const char      *uri)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (policy != NULL, RELAIS_WEB_VERDICT_BLOCKED);

  if (uri == NULL)
    return RELAIS_WEB_VERDICT_SCHEME;
  if (g_str_equal (uri, "about:blank"))
    return RELAIS_WEB_VERDICT_ALLOWED;
  host = http_host (uri);
  if (host == NULL)
    return RELAIS_WEB_VERDICT_SCHEME;
  switch (policy->mode)
    {
    case RELAIS_WEB_POLICY_ALL:
      return RELAIS_WEB_VERDICT_ALLOWED;
    case RELAIS_WEB_POLICY_BLOCK:
      return host_listed (policy, host) ? RELAIS_WEB_VERDICT_BLOCKED : RELAIS_WEB_VERDICT_ALLOWED;
    case RELAIS_WEB_POLICY_ALLOW:
    default:
      return host_listed (policy, host) ? RELAIS_WEB_VERDICT_ALLOWED : RELAIS_WEB_VERDICT_BLOCKED;
    }
}

char *
relais_web_address_from_words (const char *words,
                               const char *search_uri)
{
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GString) search = NULL;

  g_return_val_if_fail (words != NULL, NULL);

  text = g_strstrip (g_strdup (words));
  if (*text == '\0')
    return NULL;
  host = http_host (text);
  if (host != NULL)
    return g_steal_pointer (&text);
  /* "caf.fr", "www.impots.gouv.fr/portail": a name with a dot and no blank. */
  if (strchr (text, '.') != NULL && strpbrk (text, " \t") == NULL && strstr (text, "://") == NULL
      && text[0] != '.')
    {
      g_autofree char *guess = g_strconcat ("https://", text, NULL);

      if (g_str_has_suffix (guess, "/") || strchr (text, '/') != NULL)
        host = http_host (guess);
      else
        {
          g_free (guess);
          guess = g_strconcat ("https://", text, "/", NULL);
          host = http_host (guess);
        }
      if (host != NULL)
        return g_steal_pointer (&guess);
    }
  if (search_uri == NULL || strstr (search_uri, "%s") == NULL)
    return NULL;
  escaped = g_uri_escape_string (text, NULL, FALSE);
  search = g_string_new (search_uri);
  g_string_replace (search, "%s", escaped, 1);
  return g_string_free (g_steal_pointer (&search), FALSE);
}

char *
relais_web_help_context (const char *uri,
                         const char *title)
{
  g_autofree char *host = uri != NULL ? http_host (uri) : NULL;
  g_autofree char *short_title = NULL;

  if (host == NULL)
    return NULL;
  if (title == NULL || *title == '\0')
    return g_steal_pointer (&host);
  short_title = g_utf8_substring (title, 0, MIN (80, g_utf8_strlen (title, -1)));
  g_strstrip (short_title);
  g_strdelimit (short_title, "\r\n\t", ' ');
  return g_strdup_printf ("%s — %s", host, short_title);
}
