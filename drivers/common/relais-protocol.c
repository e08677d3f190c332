/* relais-protocol.c: the string of each protocol word, and back. */

#include "relais-protocol.h"

#include <string.h>

/* Each table is indexed by its enum; [0] (unknown) has no string. */
static const char * const event_types[] = {
  NULL,
  "help.raise",
  "help.cancel",
  "help.leave",
  "session.end",
  "station.status",
  "safe.deposit",
  "mail.check",
};
G_STATIC_ASSERT (G_N_ELEMENTS (event_types) == RELAIS_EVENT_N_TYPES);

static const char * const help_states[] = {
  NULL,
  "raised",
  "seen",
  "taken",
  "resolved",
  "cancelled",
  "left",
};
G_STATIC_ASSERT (G_N_ELEMENTS (help_states) == RELAIS_HELP_N_STATES);

static const char * const help_verbs[] = {
  NULL,
  "seen",
  "take",
  "resolve",
  "cancel",
};
G_STATIC_ASSERT (G_N_ELEMENTS (help_verbs) == RELAIS_HELP_N_VERBS);

static const char * const help_categories[] = {
  NULL,
  "scanner",
  "printer",
  "website",
  "mail",
  "safe",
  "other",
};
G_STATIC_ASSERT (G_N_ELEMENTS (help_categories) == RELAIS_HELP_N_CATEGORIES);

static const char * const help_origins[] = {
  NULL,
  "resident",
  "station",
};
G_STATIC_ASSERT (G_N_ELEMENTS (help_origins) == RELAIS_HELP_N_ORIGINS);

static const char * const help_context_kinds[] = {
  NULL,
  "site",
  "letter",
};
G_STATIC_ASSERT (G_N_ELEMENTS (help_context_kinds) == RELAIS_HELP_N_CONTEXTS);

static const char * const station_reasons[] = {
  NULL,
  "scanner-jammed",
  "scanner-cover-open",
  "scanner-failed",
  "scanner-repeated-failures",
  "printer-stopped",
  "printer-failed",
  "printer-media-empty",
  "printer-media-jam",
  "printer-toner-empty",
  "printer-door-open",
  "printer-offline",
  "printer-unreachable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (station_reasons) == RELAIS_STATION_N_REASONS);

static const char * const station_steps[] = {
  NULL,
  "welcome",
  "home",
  "scan",
  "copy",
  "help",
  "mail",
  "safe",
  "usb",
  "browser",
};
G_STATIC_ASSERT (G_N_ELEMENTS (station_steps) == RELAIS_STATION_N_STEPS);

static const char * const roles[] = {
  NULL,
  "mediator",
  "staff",
};
G_STATIC_ASSERT (G_N_ELEMENTS (roles) == RELAIS_N_ROLES);

static const char * const stream_events[] = {
  NULL,
  "ready",
  "help",
  "ring",
  "station",
  "mail-changed",
  "mail-notices",
  "mail-snapshot",
  "safe",
  "central",
};
G_STATIC_ASSERT (G_N_ELEMENTS (stream_events) == RELAIS_STREAM_N_EVENTS);

static const char *
word_to_string (const char * const *table,
                guint               n,
                guint               value)
{
  return value < n ? table[value] : NULL;
}

static guint
word_from_string (const char * const *table,
                  guint               n,
                  const char         *word)
{
  if (word == NULL)
    return 0;
  for (guint i = 1; i < n; i++)
    if (g_str_equal (word, table[i]))
      return i;
  return 0;
}

#define WORD_FUNCS(prefix, Type, table)                                 \
  const char *                                                          \
      prefix##_to_string (Type value)                                   \
  {                                                                     \
    return word_to_string (table, G_N_ELEMENTS (table), (guint) value); \
  }                                                                     \
  Type                                                                  \
      prefix##_from_string (const char *word)                           \
  {                                                                     \
    return (Type) word_from_string (table, G_N_ELEMENTS (table), word); \
  }

WORD_FUNCS (relais_event_type, RelaisEventType, event_types)
WORD_FUNCS (relais_help_state, RelaisHelpState, help_states)
WORD_FUNCS (relais_help_verb, RelaisHelpVerb, help_verbs)
WORD_FUNCS (relais_help_category, RelaisHelpCategory, help_categories)
WORD_FUNCS (relais_help_origin, RelaisHelpOrigin, help_origins)
WORD_FUNCS (relais_help_context_kind, RelaisHelpContextKind, help_context_kinds)
WORD_FUNCS (relais_station_reason, RelaisStationReason, station_reasons)
WORD_FUNCS (relais_station_step, RelaisStationStep, station_steps)
WORD_FUNCS (relais_role, RelaisRole, roles)
WORD_FUNCS (relais_stream_event, RelaisStreamEvent, stream_events)

gboolean
relais_help_state_is_open (RelaisHelpState state)
{
  return state == RELAIS_HELP_STATE_RAISED || state == RELAIS_HELP_STATE_SEEN
         || state == RELAIS_HELP_STATE_TAKEN;
}

gboolean
relais_help_state_is_waiting (RelaisHelpState state)
{
  return state == RELAIS_HELP_STATE_RAISED || state == RELAIS_HELP_STATE_SEEN;
}

gboolean
relais_help_category_is_valid (const char *category)
{
  return relais_help_category_from_string (category) != RELAIS_HELP_CATEGORY_UNKNOWN;
}

RelaisHelpRequest *
relais_help_request_copy (const RelaisHelpRequest *request)
{
  RelaisHelpRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_memdup2 (request, sizeof *request);
  copy->id = g_strdup (request->id);
  copy->station = g_strdup (request->station);
  copy->language = g_strdup (request->language);
  copy->reason = g_strdup (request->reason);
  copy->context = g_strdup (request->context);
  copy->taken_by = g_strdup (request->taken_by);
  copy->taken_by_login = g_strdup (request->taken_by_login);
  return copy;
}

void
relais_help_request_free (RelaisHelpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->id);
  g_free (request->station);
  g_free (request->language);
  g_free (request->reason);
  g_free (request->context);
  g_free (request->taken_by);
  g_free (request->taken_by_login);
  g_free (request);
}

G_DEFINE_BOXED_TYPE (RelaisHelpRequest, relais_help_request, relais_help_request_copy, relais_help_request_free)

RelaisStationStatus *
relais_station_status_copy (const RelaisStationStatus *status)
{
  RelaisStationStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->name = g_strdup (status->name);
  return copy;
}

void
relais_station_status_free (RelaisStationStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->name);
  g_free (status);
}

G_DEFINE_BOXED_TYPE (RelaisStationStatus, relais_station_status, relais_station_status_copy, relais_station_status_free)

char *
relais_tls_pin_short (const char *pin)
{
  g_autofree guchar *digest = NULL;
  gsize              length = 0;

  if (pin == NULL || !g_str_has_prefix (pin, "sha256//") || strlen (pin) != strlen ("sha256//") + 44)
    return NULL;
  digest = g_base64_decode (pin + strlen ("sha256//"), &length);
  if (length != 32)
    return NULL;
  return g_strdup_printf ("%02X%02X %02X%02X %02X%02X %02X%02X",
                          digest[0], digest[1], digest[2], digest[3],
                          digest[4], digest[5], digest[6], digest[7]);
}
