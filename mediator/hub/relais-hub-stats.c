/* relais-hub-stats.c: sessions' anonymous logs in, the staff's dashboard
 * out, and the purge of detailed rows past the retention time. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-db-stats.h"
#include "relais-db-mail-annual.h"
#include "relais-hub-mail.h"

#define MAX_HELP_PER_SESSION 50
/* A session lasts a day at most; so do the waits within it. */
#define MAX_SECONDS (24 * 3600)
/* The dashboard's periods: within these years (GDateTime and the day
 * arithmetic of the aggregates stay well inside them). */
#define MIN_DAY "2000-01-01"
#define MAX_DAY "2099-12-31"

static const char * const counts[] = {
  "pages_scanned", "pages_printed", "copies", "saved_usb", "saved_safe", "mail_checks", NULL
};

gboolean
_relais_hub_stats_validate_session (JsonObject *data,
                                    GError    **error)
{
  static const char * const members[] = {
    "started_at", "duration_s", "language", "end", "help",
    "pages_scanned", "pages_printed", "copies", "saved_usb", "saved_safe", "mail_checks", NULL
  };
  static const char * const ends[] = { "button", "timeout", "shutdown", NULL };
  const char               *end;
  JsonNode                 *help;
  gint64                    value = 0;

  if (!relais_hub_json_only (data, members, error)
      || !relais_hub_json_int_range (data, "started_at", TRUE, RELAIS_HUB_MIN_TIME_MS, relais_hub_max_time_ms (),
                                     &value, error)
      || !relais_hub_json_int_range (data, "duration_s", TRUE, 0, MAX_SECONDS, &value, error)
      || relais_hub_json_string (data, "language", TRUE, 8, error) == NULL
      || (end = relais_hub_json_string (data, "end", TRUE, 16, error)) == NULL)
    return FALSE;
  if (!g_strv_contains (ends, end))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« end » inconnu : %s", end);
      return FALSE;
    }
  for (guint i = 0; counts[i] != NULL; i++)
    if (!relais_hub_json_int_range (data, counts[i], TRUE, 0, 100000, &value, error))
      return FALSE;
  help = json_object_get_member (data, "help");
  if (help == NULL || !JSON_NODE_HOLDS_ARRAY (help)
      || json_array_get_length (json_node_get_array (help)) > MAX_HELP_PER_SESSION)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« help » doit être un tableau (50 au plus)");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (help)); i++)
    {
      JsonNode   *item = json_array_get_element (json_node_get_array (help), i);
      JsonObject *object;
      const char *category;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« help » : objets attendus");
          return FALSE;
        }
      object = json_node_get_object (item);
      if (!relais_hub_json_only (object, (const char *[]) { "category", "to_seen_s", "to_taken_s", "to_resolved_s", NULL }, error)
          || (category = relais_hub_json_string (object, "category", TRUE, 32, error)) == NULL
          || !relais_hub_json_int_range (object, "to_seen_s", FALSE, 0, MAX_SECONDS, &value, error)
          || !relais_hub_json_int_range (object, "to_taken_s", FALSE, 0, MAX_SECONDS, &value, error)
          || !relais_hub_json_int_range (object, "to_resolved_s", FALSE, 0, MAX_SECONDS, &value, error))
        return FALSE;
      if (!relais_help_category_is_valid (category))
        {
          g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "catégorie inconnue « %s »", category);
          return FALSE;
        }
    }
  return TRUE;
}

static gint64
optional_seconds (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? MAX (0, json_node_get_int (node)) : -1;
}

gboolean
_relais_hub_stats_record_session (RelaisHub             *self,
                                  const char            *station,
                                  const RelaisEventInfo *info,
                                  JsonObject            *data,
                                  gboolean              *duplicate,
                                  GError               **error)
{
  JsonArray                    *help = json_object_get_array_member (data, "help");
  guint                         n_help = json_array_get_length (help);
  g_autofree RelaisSessionHelp *helps = g_new0 (RelaisSessionHelp, MAX (1, n_help));
  RelaisSessionLog              log = {
                 .started_at = json_object_get_int_member (data, "started_at"),
                 .duration_s = json_object_get_int_member (data, "duration_s"),
                 .language = json_object_get_string_member (data, "language"),
                 .end_reason = json_object_get_string_member (data, "end"),
                 .pages_scanned = json_object_get_int_member (data, "pages_scanned"),
                 .pages_printed = json_object_get_int_member (data, "pages_printed"),
                 .copies = json_object_get_int_member (data, "copies"),
                 .saved_usb = json_object_get_int_member (data, "saved_usb"),
                 .saved_safe = json_object_get_int_member (data, "saved_safe"),
                 .mail_checks = json_object_get_int_member (data, "mail_checks"),
                 .n_help = n_help,
                 .help = helps,
  };

  for (guint i = 0; i < n_help; i++)
    {
      JsonObject *object = json_array_get_object_element (help, i);

      helps[i].category = json_object_get_string_member (object, "category");
      helps[i].to_seen_s = optional_seconds (object, "to_seen_s");
      helps[i].to_taken_s = optional_seconds (object, "to_taken_s");
      helps[i].to_resolved_s = optional_seconds (object, "to_resolved_s");
    }
  return relais_db_stats_record_session (relais_hub_get_db (self), info, station, &log, duplicate, error);
}

static void
add_row (JsonBuilder          *builder,
         const char           *key_name,
         const RelaisStatsRow *row)
{
  json_builder_begin_object (builder);
  if (key_name != NULL)
    relais_hub_json_add_string (builder, key_name, row->key);
#define ADD(field) relais_hub_json_add_int (builder, #field, row->field)
  ADD (sessions);
  ADD (duration_s);
  ADD (pages_scanned);
  ADD (pages_printed);
  ADD (copies);
  ADD (saved_usb);
  ADD (saved_safe);
  ADD (mail_checks);
  ADD (help_requests);
#undef ADD
  json_builder_end_object (builder);
}

static void
add_rows (JsonBuilder *builder,
          const char  *member,
          const char  *key_name,
          GPtrArray   *rows)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_row (builder, key_name, g_ptr_array_index (rows, i));
  json_builder_end_array (builder);
}

static void
add_average (JsonBuilder *builder,
             const char  *member,
             gint64       sum,
             gint64       n)
{
  json_builder_set_member_name (builder, member);
  if (n > 0)
    json_builder_add_int_value (builder, sum / n);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
relais_hub_json_stats (const RelaisStats *stats,
                       const char        *from,
                       const char        *to,
                       const char        *station)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "from", from);
  relais_hub_json_add_string (builder, "to", to);
  relais_hub_json_add_string (builder, "station", station);
  json_builder_set_member_name (builder, "totals");
  add_row (builder, NULL, &stats->totals);
  add_rows (builder, "days", "day", stats->days);
  add_rows (builder, "stations", "station", stats->stations);
  json_builder_set_member_name (builder, "languages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stats->languages->len; i++)
    {
      RelaisStatsRow *row = g_ptr_array_index (stats->languages, i);

      json_builder_begin_object (builder);
      relais_hub_json_add_string (builder, "language", row->key);
      relais_hub_json_add_int (builder, "sessions", row->sessions);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "help");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stats->help->len; i++)
    {
      RelaisStatsHelp *help = g_ptr_array_index (stats->help, i);

      json_builder_begin_object (builder);
      relais_hub_json_add_string (builder, "category", help->category);
      relais_hub_json_add_int (builder, "requests", help->requests);
      add_average (builder, "avg_seen_s", help->seen_s, help->seen_n);
      add_average (builder, "avg_taken_s", help->taken_s, help->taken_n);
      add_average (builder, "avg_resolved_s", help->resolved_s, help->resolved_n);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* heat[weekday][hour], Monday first. */
  json_builder_set_member_name (builder, "heat");
  json_builder_begin_array (builder);
  for (int d = 0; d < 7; d++)
    {
      json_builder_begin_array (builder);
      for (int h = 0; h < 24; h++)
        json_builder_add_int_value (builder, stats->heat[d][h]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* AAAA-MM-JJ, a real day between MIN_DAY and MAX_DAY. */
static gboolean
day_valid (const char *day)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (day == NULL || strlen (day) != 10 || strspn (day, "0123456789-") != 10 || day[4] != '-' || day[7] != '-')
    return FALSE;
  if (strcmp (day, MIN_DAY) < 0 || strcmp (day, MAX_DAY) > 0)
    return FALSE;
  iso = g_strconcat (day, "T00:00:00Z", NULL);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  return parsed != NULL;
}

static gboolean
period_valid (const char *from,
              const char *to)
{
  return day_valid (from) && day_valid (to) && strcmp (from, to) <= 0;
}

void
_relais_hub_handle_stats (RelaisHub           *self,
                          SoupServerMessage   *msg,
                          const RelaisHubCall *call)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = g_uri_get_query (uri) != NULL ? soup_form_decode (g_uri_get_query (uri)) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisStats) stats = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *from = query != NULL ? g_hash_table_lookup (query, "from") : NULL;
  const char *to = query != NULL ? g_hash_table_lookup (query, "to") : NULL;
  const char *station = query != NULL ? g_hash_table_lookup (query, "station") : NULL;

  if (station != NULL && *station == '\0')
    station = NULL;
  if (!period_valid (from, to))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                               "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ, dans l'ordre, entre " MIN_DAY " et " MAX_DAY);
      return;
    }
  stats = relais_db_stats_query (relais_hub_get_db (self), from, to, station, &error);
  if (stats == NULL)
    {
      _relais_hub_reply_error (msg, g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID) ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_SERVICE_UNAVAILABLE,
                               error->message);
      return;
    }
  node = relais_hub_json_stats (stats, from, to, station);
  /* The mail desk's figures of the same days (site-wide, no station). */
  {
    JsonNode *mail = relais_hub_mail_figures (self, from, to, &error);

    if (mail == NULL)
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
        return;
      }
    json_object_set_member (json_node_get_object (node), "mail", mail);
  }
  /* What the resolved help requests were about, by month (issue 16). */
  {
    g_autoptr(GPtrArray) outcomes = relais_db_stats_outcomes (relais_hub_get_db (self), from, to, &error);
    JsonArray *array = json_array_new ();

    if (outcomes == NULL)
      {
        json_array_unref (array);
        _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
        return;
      }
    for (guint i = 0; i < outcomes->len; i++)
      {
        const RelaisStatsOutcome *line = g_ptr_array_index (outcomes, i);
        JsonObject               *object = json_object_new ();

        json_object_set_string_member (object, "month", line->month);
        json_object_set_string_member (object, "need", line->need);
        json_object_set_string_member (object, "outcome", line->outcome);
        json_object_set_string_member (object, "partner", line->partner);
        json_object_set_int_member (object, "requests", line->requests);
        json_array_add_object_element (array, object);
      }
    json_object_set_array_member (json_node_get_object (node), "outcomes", array);
  }
  /* The report's title names the site as its configuration does. */
  json_object_set_string_member (json_node_get_object (node), "site", relais_hub_get_site_name (self));
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

#define SITE_NAME_KEY "relais-hub-site-name"

void
relais_hub_set_site_name (RelaisHub  *self,
                          const char *name)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_object_set_data_full (G_OBJECT (self), SITE_NAME_KEY,
                          g_strdup (name != NULL && *name != '\0' ? name : "Relais"), g_free);
}

const char *
relais_hub_get_site_name (RelaisHub *self)
{
  const char *name;

  g_return_val_if_fail (RELAIS_IS_HUB (self), NULL);
  name = g_object_get_data (G_OBJECT (self), SITE_NAME_KEY);
  return name != NULL ? name : "Relais";
}

gboolean
_relais_hub_stats_purge_cb (gpointer user_data)
{
  RelaisHub *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) limit = g_date_time_add_months (now, -self->retention_months);
  gint64 deleted = 0;

  if (!relais_db_stats_purge (self->db, g_date_time_to_unix (limit) * 1000, &deleted, &error))
    g_message ("purge: %s", error->message);
  else if (deleted > 0)
    g_message ("purge: %" G_GINT64_FORMAT " detailed rows older than %d months deleted",
               deleted, self->retention_months);
  return G_SOURCE_CONTINUE;
}

/* GET /mail/annual?year=YYYY: the prefecture's annual figures, for staff
 * and responsables. */
void
_relais_hub_handle_mail_annual (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = g_uri_get_query (uri) != NULL ? soup_form_decode (g_uri_get_query (uri)) : NULL;
  const char *year_text = query != NULL ? g_hash_table_lookup (query, "year") : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  RelaisMailAnnual annual;
  guint64          year = 0;

  if (!relais_mediator_has_role (call->client->mediator, "staff")
      && !relais_mediator_has_role (call->client->mediator, "responsable"))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, "réservé aux responsables");
      return;
    }
  if (year_text == NULL || !g_ascii_string_to_unsigned (year_text, 10, 2000, 2999, &year, NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« year » : une année (2000 à 2999).");
      return;
    }
  if (!relais_db_mail_annual (relais_hub_get_db (self), (int) year, &annual, &error))
    {
      g_message ("rapport annuel : %s", error->message);
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Le rapport annuel n'a pas pu être calculé.");
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "year", annual.year);
  for (guint i = 0; relais_mail_annual_fields[i].name != NULL; i++)
    relais_hub_json_add_int (b, relais_mail_annual_fields[i].name,
                             G_STRUCT_MEMBER (gint64, &annual, relais_mail_annual_fields[i].offset));
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}
