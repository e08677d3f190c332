/* relais-safe-records.c: the one place a console reads the hub's answers
 * about safes. */

#include <string.h>

#include "relais-safe-records.h"
#include "relais-link.h"

static char *
required_string (JsonObject *reply,
                 const char *name,
                 GError    **error)
{
  JsonNode *node = json_object_get_member (reply, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "Réponse du hub illisible : « %s » manque.", name);
      return NULL;
    }
  return json_node_dup_string (node);
}

RelaisSafeCreated *
relais_safe_created_from_reply (JsonObject *reply,
                                GError    **error)
{
  g_autoptr(RelaisSafeCreated) created = g_new0 (RelaisSafeCreated, 1);

  g_return_val_if_fail (reply != NULL, NULL);

  if ((created->number = required_string (reply, "number", error)) == NULL
      || (created->code = required_string (reply, "code", error)) == NULL
      || (created->recovery = required_string (reply, "recovery", error)) == NULL)
    return NULL;
  return g_steal_pointer (&created);
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
relais_safe_created_free (RelaisSafeCreated *created)
{
  if (created == NULL)
    return;
  g_free (created->number);
  wipe (created->code);
  wipe (created->recovery);
  g_free (created);
}
