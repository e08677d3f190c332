/* relais-hub-json.h: the hub's JSON shapes and strict readers. */
#pragma once

#include <json-glib/json-glib.h>
#include "relais-db-help.h"
#include "relais-db-stations.h"
#include "relais-protocol.h"

G_BEGIN_DECLS

JsonNode *relais_hub_json_help (const RelaisHelpRequest *request);
JsonNode *relais_hub_json_station (const RelaisStationInfo *info,
                                   gboolean                 online);
char     *relais_hub_json_to_string (JsonNode *node);
JsonNode *relais_hub_json_error (const char *message);
/* {"status": @status}: the answer of an action with nothing more to say. */
JsonNode *relais_hub_json_status (const char *status);

/* The one way the hub writes JSON: a JsonBuilder, one member a call. A
 * NULL string and a time (ms since the epoch) <= 0 are written null. */
void      relais_hub_json_add_string (JsonBuilder *builder,
                                      const char  *member,
                                      const char  *value);
void      relais_hub_json_add_int (JsonBuilder *builder,
                                   const char  *member,
                                   gint64       value);
void      relais_hub_json_add_time (JsonBuilder *builder,
                                    const char  *member,
                                    gint64       ms);
void      relais_hub_json_add_bool (JsonBuilder *builder,
                                    const char  *member,
                                    gboolean     value);
/* @member: an array of @items, each written by @build. */
typedef void (*RelaisHubJsonBuildFunc) (JsonBuilder  *builder,
                                        gconstpointer item);
void        relais_hub_json_add_array (JsonBuilder           *builder,
                                       const char            *member,
                                       GPtrArray             *items,
                                       RelaisHubJsonBuildFunc build);

/* Strict readers: a member of the wrong type or an over-long string is an
 * error with a message naming the member. */
const char *relais_hub_json_string (JsonObject *object,
                                    const char *member,
                                    gboolean    required,
                                    gsize       max_length,
                                    GError    **error);
/* @value is left alone when the member is absent and not @required. */
gboolean    relais_hub_json_bool (JsonObject *object,
                                  const char *member,
                                  gboolean    required,
                                  gboolean   *value,
                                  GError    **error);
gboolean    relais_hub_json_int (JsonObject *object,
                                 const char *member,
                                 gboolean    required,
                                 gint64     *value,
                                 GError    **error);
/* relais_hub_json_int () within [@min, @max] (JSON integers past 2^63
 * reach us wrapped or clamped: out of any sane range). */
gboolean    relais_hub_json_int_range (JsonObject *object,
                                       const char *member,
                                       gboolean    required,
                                       gint64      min,
                                       gint64      max,
                                       gint64     *value,
                                       GError    **error);
/* A time in ms since the epoch a station or console may send: from 2020
 * to a day ahead of the hub's clock. */
#define RELAIS_HUB_MIN_TIME_MS G_GINT64_CONSTANT (1577836800000)
gint64   relais_hub_max_time_ms (void);
/* FALSE with a message naming the first member of @object not in @allowed
 * (NULL-terminated): unknown fields are refused, not ignored. */
gboolean relais_hub_json_only (JsonObject         *object,
                               const char * const *allowed,
                               GError            **error);

G_END_DECLS
