/* relais-stats-records.c: the one place the hub's figures are read. */

#include "relais-stats-records.h"
#include "relais-records-private.h"
#include "relais-link.h"

#include <string.h>

RelaisStatsRow *
relais_stats_row_new (const char *key)
{
  RelaisStatsRow *row = g_new0 (RelaisStatsRow, 1);

  row->key = g_strdup (key);
  return row;
}

void
relais_stats_row_free (RelaisStatsRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row);
}

/* The counters of a row (every member but its key). */
static gboolean
read_counters (JsonObject     *object,
               RelaisStatsRow *row,
               GError        **error)
{
  return _relais_record_int (object, "sessions", &row->sessions, error)
         && _relais_record_int (object, "duration_s", &row->duration_s, error)
         && _relais_record_int (object, "pages_scanned", &row->pages_scanned, error)
         && _relais_record_int (object, "pages_printed", &row->pages_printed, error)
         && _relais_record_int (object, "copies", &row->copies, error)
         && _relais_record_int (object, "saved_usb", &row->saved_usb, error)
         && _relais_record_int (object, "saved_safe", &row->saved_safe, error)
         && _relais_record_int (object, "mail_checks", &row->mail_checks, error)
         && _relais_record_int (object, "help_requests", &row->help_requests, error);
}

static RelaisStatsRow *
keyed_row (JsonObject *object,
           const char *key_name,
           GError    **error)
{
  g_autoptr(RelaisStatsRow) row = g_new0 (RelaisStatsRow, 1);

  if (!_relais_record_string (object, key_name, TRUE, &row->key, error) || !read_counters (object, row, error))
    return NULL;
  return g_steal_pointer (&row);
}

static gpointer
day_row (JsonObject *object, GError **error)
{
  return keyed_row (object, "day", error);
}

static gpointer
station_row (JsonObject *object, GError **error)
{
  return keyed_row (object, "station", error);
}

static gpointer
language_row (JsonObject *object, GError **error)
{
  return keyed_row (object, "language", error);
}

/* An average: -1 when the hub has none (null). */
static gboolean
read_average (JsonObject *object,
              const char *name,
              gint64     *out,
              GError    **error)
{
  if (!_relais_record_int (object, name, out, error))
    return FALSE;
  if (_relais_record_value (object, name) == NULL)
    *out = -1;
  return TRUE;
}

static void
help_line_free (RelaisStatsHelpLine *line)
{
  g_free (line->category);
  g_free (line);
}

static gpointer
help_line (JsonObject *object,
           GError    **error)
{
  RelaisStatsHelpLine *line = g_new0 (RelaisStatsHelpLine, 1);

  if (!_relais_record_string (object, "category", TRUE, &line->category, error)
      || !_relais_record_int (object, "requests", &line->requests, error)
      || !read_average (object, "avg_seen_s", &line->avg_seen_s, error)
      || !read_average (object, "avg_taken_s", &line->avg_taken_s, error)
      || !read_average (object, "avg_resolved_s", &line->avg_resolved_s, error))
    {
      help_line_free (line);
      return NULL;
    }
  return line;
}

static gpointer
outcome_line (JsonObject *object,
              GError    **error)
{
  RelaisStatsOutcome *line = g_new0 (RelaisStatsOutcome, 1);

  /* "" where the mediator said nothing: present, maybe empty. */
  if (!_relais_record_string (object, "month", TRUE, &line->month, error)
      || !_relais_record_string (object, "need", FALSE, &line->need, error)
      || !_relais_record_string (object, "outcome", FALSE, &line->outcome, error)
      || !_relais_record_string (object, "partner", FALSE, &line->partner, error)
      || !_relais_record_int (object, "requests", &line->requests, error))
    {
      relais_stats_outcome_free (line);
      return NULL;
    }
  if (line->need == NULL)
    line->need = g_strdup ("");
  if (line->outcome == NULL)
    line->outcome = g_strdup ("");
  if (line->partner == NULL)
    line->partner = g_strdup ("");
  return line;
}

static void
mail_free (RelaisStatsMail *mail)
{
  if (mail == NULL)
    return;
  g_clear_pointer (&mail->reasons, g_hash_table_unref);
  g_free (mail);
}

static RelaisStatsMail *
mail_from_json (JsonObject *object,
                GError    **error)
{
  RelaisStatsMail *mail = g_new0 (RelaisStatsMail, 1);
  JsonNode        *node;

  mail->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!_relais_record_int (object, "registered", &mail->registered, error)
      || !_relais_record_int (object, "handed", &mail->handed, error)
      || !_relais_record_int (object, "returned", &mail->returned, error)
      || !_relais_record_int (object, "reminders", &mail->reminders, error))
    {
      mail_free (mail);
      return NULL;
    }
  node = _relais_record_value (object, "avg_days");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node)
          || (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
        {
          _relais_record_refuse ("avg_days", "n'est pas un nombre", error);
          mail_free (mail);
          return NULL;
        }
      mail->avg_days = json_node_get_double (node);
    }
  node = _relais_record_value (object, "reasons");
  if (node != NULL)
    {
      JsonObject *reasons;
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          _relais_record_refuse ("reasons", "n'est pas un objet", error);
          mail_free (mail);
          return NULL;
        }
      reasons = json_node_get_object (node);
      names = json_object_get_members (reasons);
      for (GList *l = names; l != NULL; l = l->next)
        {
          gint64 count;

          if (!_relais_record_int (reasons, l->data, &count, error))
            {
              mail_free (mail);
              return NULL;
            }
          g_hash_table_insert (mail->reasons, g_strdup (l->data), g_memdup2 (&count, sizeof count));
        }
    }
  return mail;
}

gint64
relais_stats_mail_reason (const RelaisStatsMail *mail,
                          const char            *reason)
{
  const gint64 *count;

  g_return_val_if_fail (mail != NULL && reason != NULL, 0);

  count = g_hash_table_lookup (mail->reasons, reason);
  return count != NULL ? *count : 0;
}

RelaisSiteStats *
relais_site_stats_new (void)
{
  RelaisSiteStats *stats = g_new0 (RelaisSiteStats, 1);

  stats->days = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_stats_row_free);
  stats->stations = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_stats_row_free);
  stats->languages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_stats_row_free);
  stats->help = g_ptr_array_new_with_free_func ((GDestroyNotify) help_line_free);
  stats->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_stats_outcome_free);
  return stats;
}

void
relais_site_stats_free (RelaisSiteStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->from);
  g_free (stats->to);
  g_free (stats->station);
  g_free (stats->site);
  g_free (stats->totals.key);
  g_clear_pointer (&stats->days, g_ptr_array_unref);
  g_clear_pointer (&stats->stations, g_ptr_array_unref);
  g_clear_pointer (&stats->languages, g_ptr_array_unref);
  g_clear_pointer (&stats->help, g_ptr_array_unref);
  g_clear_pointer (&stats->outcomes, g_ptr_array_unref);
  mail_free (stats->mail);
  g_free (stats);
}

/* heat[weekday][hour]: at most 7 × 24 integers. */
static gboolean
read_heat (JsonObject      *reply,
           RelaisSiteStats *stats,
           GError         **error)
{
  JsonNode  *node = _relais_record_value (reply, "heat");
  JsonArray *days;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _relais_record_refuse ("heat", "n'est pas une liste", error);
  days = json_node_get_array (node);
  for (guint d = 0; d < MIN (7, json_array_get_length (days)); d++)
    {
      JsonNode  *day = json_array_get_element (days, d);
      JsonArray *hours;

      if (!JSON_NODE_HOLDS_ARRAY (day))
        return _relais_record_refuse ("heat", "contient autre chose qu'une liste", error);
      hours = json_node_get_array (day);
      for (guint h = 0; h < MIN (24, json_array_get_length (hours)); h++)
        {
          JsonNode *cell = json_array_get_element (hours, h);

          if (!JSON_NODE_HOLDS_VALUE (cell) || json_node_get_value_type (cell) != G_TYPE_INT64)
            return _relais_record_refuse ("heat", "contient autre chose qu'un nombre", error);
          stats->heat[d][h] = json_node_get_int (cell);
        }
    }
  return TRUE;
}

RelaisSiteStats *
relais_site_stats_from_reply (JsonObject *reply,
                              GError    **error)
{
  g_autoptr(RelaisSiteStats) stats = relais_site_stats_new ();
  JsonNode *node;

  g_return_val_if_fail (reply != NULL, NULL);

  if (!_relais_record_string (reply, "from", TRUE, &stats->from, error)
      || !_relais_record_string (reply, "to", TRUE, &stats->to, error)
      || !_relais_record_string (reply, "station", FALSE, &stats->station, error)
      || !_relais_record_string (reply, "site", FALSE, &stats->site, error))
    return NULL;
  if (stats->site == NULL)
    stats->site = g_strdup ("Relais");
  node = _relais_record_value (reply, "totals");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    {
      _relais_record_refuse ("totals", "n'est pas un objet", error);
      return NULL;
    }
  if (node != NULL && !read_counters (json_node_get_object (node), &stats->totals, error))
    return NULL;
#define LIST(field, member, read, free_func)                                                                 \
  g_clear_pointer (&stats->field, g_ptr_array_unref);                                                        \
  if ((stats->field = _relais_record_list (reply, member, read, (GDestroyNotify) free_func, error)) == NULL) \
    return NULL;
  LIST (days, "days", day_row, relais_stats_row_free)
  LIST (stations, "stations", station_row, relais_stats_row_free)
  LIST (languages, "languages", language_row, relais_stats_row_free)
  LIST (help, "help", help_line, help_line_free)
  LIST (outcomes, "outcomes", outcome_line, relais_stats_outcome_free)
#undef LIST
  if (!read_heat (reply, stats, error))
    return NULL;
  node = _relais_record_value (reply, "mail");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    {
      _relais_record_refuse ("mail", "n'est pas un objet", error);
      return NULL;
    }
  if (node != NULL && (stats->mail = mail_from_json (json_node_get_object (node), error)) == NULL)
    return NULL;
  return g_steal_pointer (&stats);
}

gboolean
relais_mail_annual_from_reply (JsonObject       *reply,
                               RelaisMailAnnual *annual,
                               GError          **error)
{
  gint64 year = 0;

  g_return_val_if_fail (reply != NULL && annual != NULL, FALSE);

  memset (annual, 0, sizeof *annual);
  if (!_relais_record_int (reply, "year", &year, error))
    return FALSE;
  if (year < 2000 || year > 2999)
    return _relais_record_refuse ("year", "une année", error);
  annual->year = (int) year;
  for (guint i = 0; relais_mail_annual_fields[i].name != NULL; i++)
    {
      gint64 *count = &G_STRUCT_MEMBER (gint64, annual, relais_mail_annual_fields[i].offset);

      if (!_relais_record_int (reply, relais_mail_annual_fields[i].name, count, error))
        return FALSE;
      if (*count < 0)
        return _relais_record_refuse (relais_mail_annual_fields[i].name, "un nombre positif", error);
    }
  return TRUE;
}
