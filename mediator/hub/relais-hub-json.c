/* relais-hub-json.c: the hub's JSON shapes and strict readers. */

#include "relais-hub-json.h"
#include "relais-hub.h"
#include "relais-db-stations.h"

void
relais_hub_json_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
relais_hub_json_add_int (JsonBuilder *builder,
                         const char  *member,
                         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
relais_hub_json_add_time (JsonBuilder *builder,
                          const char  *member,
                          gint64       ms)
{
  json_builder_set_member_name (builder, member);
  if (ms > 0)
    json_builder_add_int_value (builder, ms);
  else
    json_builder_add_null_value (builder);
}

void
relais_hub_json_add_bool (JsonBuilder *builder,
                          const char  *member,
                          gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

void
relais_hub_json_add_array (JsonBuilder           *builder,
                           const char            *member,
                           GPtrArray             *items,
                           RelaisHubJsonBuildFunc build)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; items != NULL && i < items->len; i++)
    build (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

JsonNode *
relais_hub_json_status (const char *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "status", status);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
relais_hub_json_help (const RelaisHelpRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "id", request->id);
  relais_hub_json_add_string (builder, "station", request->station);
  relais_hub_json_add_string (builder, "category", relais_help_category_to_string (request->category));
  relais_hub_json_add_string (builder, "language", request->language);
  relais_hub_json_add_string (builder, "origin", relais_help_origin_to_string (request->origin));
  relais_hub_json_add_string (builder, "reason", request->reason);
  relais_hub_json_add_string (builder, "context", request->context);
  relais_hub_json_add_string (builder, "context_kind", relais_help_context_kind_to_string (request->context_kind));
  relais_hub_json_add_string (builder, "state", relais_help_state_to_string (request->state));
  relais_hub_json_add_time (builder, "raised_at", request->raised_at);
  relais_hub_json_add_time (builder, "seen_at", request->seen_at);
  relais_hub_json_add_time (builder, "taken_at", request->taken_at);
  relais_hub_json_add_string (builder, "taken_by", request->taken_by);
  relais_hub_json_add_time (builder, "closed_at", request->closed_at);
  relais_hub_json_add_int (builder, "seq", request->seq);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
relais_hub_json_station (const RelaisStationInfo *info,
                         gboolean                 online)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "name", info->name);
  relais_hub_json_add_bool (builder, "online", online);
  relais_hub_json_add_string (builder, "step", info->step);
  relais_hub_json_add_bool (builder, "in_session", info->in_session);
  relais_hub_json_add_time (builder, "since", info->since);
  relais_hub_json_add_time (builder, "last_event_at", info->last_event_at);
  relais_hub_json_add_time (builder, "ends_at", info->ends_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
relais_hub_json_error (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "error", message);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
relais_hub_json_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* The scalar @member of type @type: TRUE with *@node set (NULL when absent
 * and not @required), FALSE with a message naming the member. */
static gboolean
scalar_member (JsonObject *object,
               const char *member,
               gboolean    required,
               GType       type,
               const char *expected,
               JsonNode  **node,
               GError    **error)
{
  *node = json_object_get_member (object, member);
  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      if (!required)
        return TRUE;
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » manque", member);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (*node) || json_node_get_value_type (*node) != type)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » doit être %s", member, expected);
      return FALSE;
    }
  return TRUE;
}

const char *
relais_hub_json_string (JsonObject *object,
                        const char *member,
                        gboolean    required,
                        gsize       max_length,
                        GError    **error)
{
  JsonNode   *node;
  const char *value;

  if (!scalar_member (object, member, required, G_TYPE_STRING, "une chaîne", &node, error) || node == NULL)
    return NULL;
  value = json_node_get_string (node);
  if (strlen (value) == 0 || strlen (value) > max_length || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                   "« %s » doit faire de 1 à %zu octets", member, max_length);
      return NULL;
    }
  return value;
}

gboolean
relais_hub_json_int (JsonObject *object,
                     const char *member,
                     gboolean    required,
                     gint64     *value,
                     GError    **error)
{
  JsonNode *node;

  if (!scalar_member (object, member, required, G_TYPE_INT64, "un entier", &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_int (node);
  return TRUE;
}

gboolean
relais_hub_json_int_range (JsonObject *object,
                           const char *member,
                           gboolean    required,
                           gint64      min,
                           gint64      max,
                           gint64     *value,
                           GError    **error)
{
  gint64    read = min;
  JsonNode *node;

  if (!scalar_member (object, member, required, G_TYPE_INT64, "un entier", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  read = json_node_get_int (node);
  if (read < min || read > max)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                   "« %s » hors limites : de %" G_GINT64_FORMAT " à %" G_GINT64_FORMAT, member, min, max);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

gint64
relais_hub_max_time_ms (void)
{
  return g_get_real_time () / 1000 + 24 * 3600 * 1000;
}

gboolean
relais_hub_json_only (JsonObject         *object,
                      const char * const *allowed,
                      GError            **error)
{
  JsonObjectIter iter;
  const char    *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      {
        g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "champ inconnu « %s »", member);
        return FALSE;
      }
  return TRUE;
}

gboolean
relais_hub_json_bool (JsonObject *object,
                      const char *member,
                      gboolean    required,
                      gboolean   *value,
                      GError    **error)
{
  JsonNode *node;

  if (!scalar_member (object, member, required, G_TYPE_BOOLEAN, "true ou false", &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_boolean (node);
  return TRUE;
}
