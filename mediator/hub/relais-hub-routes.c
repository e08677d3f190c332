/* relais-hub-routes.c: the hub's API, one line a route. The gate
 * (relais-hub.c) checks each line's who, session, role and body cap on
 * the headers; the handler comes last. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"

#define STATION CLIENT_STATION
#define CONSOLE CLIENT_CONSOLE
#define SESSION ROUTE_SESSION
#define JSON    ROUTE_JSON
/* The route's own data, for handlers that serve several routes. */
#define VERB(v) GINT_TO_POINTER (RELAIS_HELP_VERB_##v)
#define BY(k)   GINT_TO_POINTER (RELAIS_HUB_MAIL_PERSON_BY_##k)

/* clang-format off */
static const RelaisHubRoute routes[] = {
  /* Anyone, once, with a one-time code (relais-hub-enrol.c). */
  { "POST", "/enrol",                       0,       ROUTE_OPEN | JSON, NULL, _relais_hub_enrol_cap, RELAIS_HUB_ENROL_TOO_BIG,
    _relais_hub_handle_enrol },

  /* Any enrolled client. */
  { "POST", "/events",                      0,       SESSION, NULL, NULL, NULL, _relais_hub_handle_events },
  { "GET",  "/stream",                      0,       0,       NULL, NULL, NULL, _relais_hub_handle_stream },

  /* A console, before and after its mediator logs in. */
  { "POST", "/login",                       CONSOLE, 0,       NULL, NULL, NULL, _relais_hub_handle_login },
  { "POST", "/logout",                      CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_logout },
  { "GET",  "/help",                        CONSOLE, 0,       NULL, NULL, NULL, _relais_hub_handle_help_list },

  /* Help requests (relais-hub-events.c). */
  { "POST", "/help/*/seen",                 CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_help_action, VERB (SEEN) },
  { "POST", "/help/*/take",                 CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_help_action, VERB (TAKE) },
  { "GET",  "/help/choices",                CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_help_choices },
  { "POST", "/help/*/resolve",              CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_help_action, VERB (RESOLVE) },
  { "POST", "/help/*/cancel",               CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_help_action, VERB (CANCEL) },

  /* The staff's figures (relais-hub-stats.c). */
  { "GET",  "/stats",                       CONSOLE, SESSION, "staff", NULL, NULL, _relais_hub_handle_stats },

  /* A station's safe (relais-hub-safe.c); the routes after "deposit" need
   * an open safe (X-Relais-Safe), which their handler checks. */
  { "POST", "/safe/hello",                  STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_hello },
  { "POST", "/safe/open",                   STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_open },
  { "POST", "/safe/activate",               STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_activate },
  { "POST", "/safe/deposit",                STATION, 0, NULL, _relais_hub_safe_max_upload, RELAIS_HUB_SAFE_TOO_BIG,
    _relais_hub_handle_safe_deposit },
  { "GET",  "/safe/documents",              STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_list },
  { "POST", "/safe/documents",              STATION, 0, NULL, _relais_hub_safe_max_upload, RELAIS_HUB_SAFE_TOO_BIG,
    _relais_hub_handle_safe_upload },
  { "GET",  "/safe/documents/*",            STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_download },
  { "POST", "/safe/documents/*/delete",     STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_delete },
  { "GET",  "/safe/journal",                STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_journal },
  { "POST", "/safe/close",                  STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_close },
  { "POST", "/safe/pin",                    STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_pin },
  /* A resident lets a mediator see documents (relais-hub-safe-console.c). */
  { "POST", "/safe/consent",                STATION, 0, NULL, NULL, NULL, _relais_hub_handle_safe_consent },

  /* A mediator and a resident's safe (relais-hub-safe-console.c). */
  { "POST", "/safes/create",                CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_safes_create },
  { "POST", "/safes/*/unlock",              CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_safes_unlock },
  { "POST", "/safes/*/consented",           CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_safes_consented },
  { "GET",  "/safes/*/documents/*",         CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_safes_document },

  /* The kiosk's view of the mail (relais-hub-mail-notify.c). */
  { "GET",  "/mail-snapshot",               STATION, 0, NULL, NULL, NULL, _relais_hub_handle_mail_snapshot },

  /* Mail for domiciled people (relais-hub-mail*.c). */
  { "GET",  "/mail/search",                 CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_search },
  /* The département's registry (relais-hub-central.c, issue 19). */
  { "GET",  "/central/elsewhere",            CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_central_elsewhere },
  { "GET",  "/mail/people/*",               CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_person, BY (NUMBER) },
  { "GET",  "/mail/card/*",                 CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_person, BY (CARD) },
  { "POST", "/mail/people",                 CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_person_save },
  { "POST", "/mail/people/*/hand-over",     CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_hand_over },
  { "POST", "/mail/people/*/decision",      CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_decision },
  { "GET",  "/mail/people/*/decisions",     CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_decisions },
  { "POST", "/mail/people/*/proxies",       CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_proxy_add },
  /* Contacts, NPAI, forwarding (relais-hub-mail-contacts.c). */
  { "POST", "/mail/people/*/contact",       CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_contact },
  { "POST", "/mail/people/*/npai",          CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_person_npai },
  { "POST", "/mail/people/*/forward",       CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_forward },
  { "POST", "/mail/letters/*/npai",         CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_letter_npai },
  /* Supporting documents come as a raw PDF, not JSON (relais-hub-mail-docs.c). */
  { "POST", "/mail/people/*/documents",     CONSOLE, SESSION, NULL, _relais_hub_mail_documents_cap, RELAIS_HUB_MAIL_DOCUMENT_TOO_BIG,
    _relais_hub_handle_mail_document_add },
  { "GET",  "/mail/people/*/documents",     CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_documents },
  { "GET",  "/mail/people/*/documents/*",   CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_document },
  { "POST", "/mail/batch",                  CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_batch },
  { "GET",  "/mail/returns",                CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_returns },
  { "POST", "/mail/returns/*/confirm",      CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_return_confirm },
  { "POST", "/mail/unknown/*/confirm",      CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_unknown_confirm },
  /* Notices and parcels (relais-db-mail-kinds.c): where a parcel waits. */
  { "POST", "/mail/letters/*/parcel-note",  CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_parcel_note },
  { "GET",  "/mail/registered",             CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_registered },
  { "GET",  "/mail/notices/failed",         CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_notices_failed },
  { "GET",  "/mail/templates",              CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_templates },
  { "POST", "/mail/templates",              CONSOLE, SESSION | JSON, NULL, NULL, NULL, _relais_hub_handle_mail_template_save },
  { "GET",  "/mail/stats",                  CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_stats },
  { "GET",  "/mail/no-contact",             CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_no_contact },
  /* The domiciliation register, for export (relais-hub-mail-life.c). */
  { "GET",  "/mail/register",               CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_register },
  /* The prefecture's annual report (relais-hub-stats.c). */
  { "GET",  "/mail/annual",                 CONSOLE, SESSION, NULL, NULL, NULL, _relais_hub_handle_mail_annual },
  /* The data's end, a responsable's act (relais-hub-mail-life.c). */
  { "POST", "/mail/people/*/delete",        CONSOLE, SESSION | JSON, "responsable", NULL, NULL, _relais_hub_handle_mail_person_delete },
  { "GET",  "/mail/purge",                  CONSOLE, SESSION, "responsable", NULL, NULL, _relais_hub_handle_mail_purge_preview },
  { "POST", "/mail/purge",                  CONSOLE, SESSION | JSON, "responsable", NULL, NULL, _relais_hub_handle_mail_purge },
  /* The data's beginning: a register from the console, the file as the
   * body (relais-hub-mail-import.c). */
  { "POST", "/mail/import",                 CONSOLE, SESSION | ROUTE_BULK, "responsable", _relais_hub_mail_import_cap,
    RELAIS_HUB_MAIL_IMPORT_TOO_BIG, _relais_hub_handle_mail_import },
};
/* clang-format on */

/* The end of the segment starting at @s. */
static const char *
segment_end (const char *s)
{
  const char *slash = strchr (s, '/');

  return slash != NULL ? slash : s + strlen (s);
}

/* TRUE when @path's segments match @pattern's, "*" for any non-empty
 * one; those are added to @args. */
static gboolean
pattern_matches (const char *pattern,
                 const char *path,
                 GPtrArray  *args)
{
  g_assert (*pattern == '/');
  if (*path != '/')
    return FALSE;
  while (*pattern != '\0')
    {
      const char *p_end, *s_end;

      g_assert (*pattern == '/');
      if (*path != '/')
        return FALSE;
      pattern++, path++;
      p_end = segment_end (pattern);
      s_end = segment_end (path);
      if (p_end - pattern == 1 && *pattern == '*')
        {
          if (s_end == path)
            return FALSE;
          g_ptr_array_add (args, g_strndup (path, s_end - path));
        }
      else if (p_end - pattern != s_end - path || memcmp (pattern, path, p_end - pattern) != 0)
        return FALSE;
      pattern = p_end;
      path = s_end;
    }
  return *path == '\0';
}

const RelaisHubRoute *
_relais_hub_route_find (const char *method,
                        const char *path,
                        GStrv      *args)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (!g_str_equal (method, routes[i].method) || !pattern_matches (routes[i].pattern, path, found))
        continue;
      g_ptr_array_add (found, NULL);
      *args = (GStrv) g_ptr_array_free (g_steal_pointer (&found), FALSE);
      return &routes[i];
    }
  *args = NULL;
  return NULL;
}
