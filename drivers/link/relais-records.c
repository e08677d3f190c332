/* relais-records.c: reading the hub's answers member by member, each of
 * one type, for the typed records (relais-mail-records.c,
 * relais-stats-records.c). */

#include "relais-records-private.h"
#include "relais-link.h"

gboolean
_relais_record_refuse (const char *member,
                       const char *what,
                       GError    **error)
{
  g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
               "Réponse du hub illisible : « %s » %s.", member, what);
  return FALSE;
}

/* The member @name, or NULL when it is absent or null. */
JsonNode *
_relais_record_value (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

/* A string or nothing; with @required, a string that is not empty. */
gboolean
_relais_record_string (JsonObject *object,
                       const char *name,
                       gboolean    required,
                       char      **out,
                       GError    **error)
{
  JsonNode *node = _relais_record_value (object, name);

  g_assert (*out == NULL);
  if (node == NULL)
    return required ? _relais_record_refuse (name, "manque", error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _relais_record_refuse (name, "n'est pas un texte", error);
  if (required && *json_node_get_string (node) == '\0')
    return _relais_record_refuse (name, "est vide", error);
  *out = json_node_dup_string (node);
  return TRUE;
}

/* An integer, 0 when absent (the hub writes null for "not yet"). */
gboolean
_relais_record_int (JsonObject *object,
                    const char *name,
                    gint64     *out,
                    GError    **error)
{
  JsonNode *node = _relais_record_value (object, name);

  *out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return _relais_record_refuse (name, "n'est pas un nombre entier", error);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_relais_record_small_int (JsonObject *object,
                          const char *name,
                          int        *out,
                          GError    **error)
{
  gint64 value;

  if (!_relais_record_int (object, name, &value, error))
    return FALSE;
  if (value < G_MININT || value > G_MAXINT)
    return _relais_record_refuse (name, "est hors des bornes", error);
  *out = (int) value;
  return TRUE;
}

/* An id: a positive integer, required. */
gboolean
_relais_record_id (JsonObject *object,
                   const char *name,
                   gint64     *out,
                   GError    **error)
{
  if (!_relais_record_int (object, name, out, error))
    return FALSE;
  return *out > 0 ? TRUE : _relais_record_refuse (name, "manque", error);
}

gboolean
_relais_record_bool (JsonObject *object,
                     const char *name,
                     gboolean   *out,
                     GError    **error)
{
  JsonNode *node = _relais_record_value (object, name);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _relais_record_refuse (name, "n'est ni vrai ni faux", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Every element of the array @member of @reply read by @read; absent or
 * null: an empty list. The first bad element fails the whole list. */
GPtrArray *
_relais_record_list (JsonObject      *reply,
                     const char      *member,
                     RelaisRecordRead read,
                     GDestroyNotify   free_func,
                     GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  JsonNode  *node = _relais_record_value (reply, member);
  JsonArray *array;

  if (node == NULL)
    return g_steal_pointer (&list);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _relais_record_refuse (member, "n'est pas une liste", error);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          _relais_record_refuse (member, "contient autre chose qu'un objet", error);
          return NULL;
        }
      item = read (json_node_get_object (element), &local_error);
      if (item == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s[%u] : ", member, i);
          return NULL;
        }
      g_ptr_array_add (list, item);
    }
  return g_steal_pointer (&list);
}
