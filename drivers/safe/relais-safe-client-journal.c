/* relais-safe-client-journal.c: who opened the safe, and when: the hub's
 * journal read once, checked, into typed lines. Part of
 * relais-safe-client.c. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <string.h>

void
relais_safe_journal_line_free (RelaisSafeJournalLine *line)
{
  if (line == NULL)
    return;
  g_free (line->who);
  g_free (line->mediator);
  g_free (line->what);
  g_free (line->station);
  g_free (line->detail);
  g_free (line);
}

/* @member of @object as a string: NULL when absent or null; FALSE when it
 * is there but not a string. */
static gboolean
string_member (JsonObject  *object,
               const char  *member,
               const char **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

/* One journal line, or NULL when it is not one (@why says what is wrong,
 * for the log). */
static RelaisSafeJournalLine *
journal_line_from_json (JsonNode    *node,
                        const char **why)
{
  g_autoptr(RelaisSafeJournalLine) line = g_new0 (RelaisSafeJournalLine, 1);
  JsonObject *object;
  JsonNode   *at;
  const char *who, *what, *station, *detail;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *why = "a journal line is not an object";
      return NULL;
    }
  object = json_node_get_object (node);
  at = json_object_get_member (object, "at");
  if (at == NULL || !JSON_NODE_HOLDS_VALUE (at) || json_node_get_value_type (at) != G_TYPE_INT64
      || json_node_get_int (at) < 0)
    {
      *why = "a journal line has no \"at\"";
      return NULL;
    }
  if (!string_member (object, "what", &what) || what == NULL || *what == '\0')
    {
      *why = "a journal line has no \"what\"";
      return NULL;
    }
  if (!string_member (object, "who", &who) || !string_member (object, "station", &station)
      || !string_member (object, "detail", &detail))
    {
      *why = "a journal line's member is not a string";
      return NULL;
    }
  line->at = json_node_get_int (at);
  line->what = g_strdup (what);
  line->who = g_strdup (who != NULL ? who : "");
  if (g_str_has_prefix (line->who, "mediator:") && line->who[strlen ("mediator:")] != '\0')
    line->mediator = g_strdup (line->who + strlen ("mediator:"));
  line->station = g_strdup (station != NULL ? station : "");
  line->detail = g_strdup (detail);
  return g_steal_pointer (&line);
}

GPtrArray *
relais_safe_journal_from_json (JsonObject *answer,
                               GError    **error)
{
  g_autoptr(GPtrArray) journal = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_journal_line_free);
  JsonNode *lines;

  g_return_val_if_fail (answer != NULL, NULL);

  lines = json_object_get_member (answer, "journal");
  if (lines == NULL || JSON_NODE_HOLDS_NULL (lines))
    return g_steal_pointer (&journal);
  if (!JSON_NODE_HOLDS_ARRAY (lines))
    {
      _relais_safe_client_set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, "\"journal\" is not an array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lines)); i++)
    {
      const char            *why = NULL;
      RelaisSafeJournalLine *line = journal_line_from_json (json_array_get_element (json_node_get_array (lines), i),
                                                            &why);

      if (line == NULL)
        {
          _relais_safe_client_set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, why);
          return NULL;
        }
      g_ptr_array_add (journal, line);
    }
  return g_steal_pointer (&journal);
}

GPtrArray *
relais_safe_client_journal (RelaisSafeClient *self,
                            GError          **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!_relais_safe_client_check_open (self, error))
    return NULL;
  answer = _relais_safe_client_call_json (self, "GET", "/safe/journal", NULL, NULL, error);
  if (answer == NULL)
    return NULL;
  return relais_safe_journal_from_json (answer, error);
}
