/* relais-hub-events.c: events from stations and consoles, and the
 * consoles' actions on help requests. */

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-db-stations.h"

#define MAX_EVENTS_PER_BATCH 500

typedef struct {
  const char *key;
  const char *type;
  gint64      at;
  JsonObject *data;
  JsonNode   *node;   /* the event as received */
} ParsedEvent;

static gboolean
parse_event (JsonNode     *node,
             ParsedEvent  *event,
             GError      **error)
{
  JsonObject *object;
  JsonNode *data;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "un événement doit être un objet");
      return FALSE;
    }
  object = json_node_get_object (node);
  event->node = node;
  if (!relais_hub_json_only (object, (const char *[]) { "key", "type", "at", "data", NULL }, error))
    return FALSE;
  event->key = relais_hub_json_string (object, "key", TRUE, MAX_KEY_LENGTH, error);
  if (event->key == NULL)
    return FALSE;
  event->type = relais_hub_json_string (object, "type", TRUE, 64, error);
  if (event->type == NULL)
    return FALSE;
  event->at = g_get_real_time () / 1000;
  if (!relais_hub_json_int_range (object, "at", FALSE, RELAIS_HUB_MIN_TIME_MS, relais_hub_max_time_ms (),
                                  &event->at, error))
    return FALSE;
  data = json_object_get_member (object, "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "« data » doit être un objet");
      return FALSE;
    }
  event->data = json_node_get_object (data);

  if (g_str_equal (event->type, "help.raise"))
    {
      const char *category;
      g_autoptr(GError) local = NULL;

      if (!relais_hub_json_only (event->data, (const char *[]) { "id", "category", "language", "origin", "reason", NULL }, error)
          || relais_hub_json_string (event->data, "id", TRUE, MAX_KEY_LENGTH, error) == NULL)
        return FALSE;
      category = relais_hub_json_string (event->data, "category", TRUE, 32, error);
      if (category == NULL)
        return FALSE;
      if (!relais_help_category_is_valid (category))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "catégorie inconnue « %s »", category);
          return FALSE;
        }
      relais_hub_json_string (event->data, "language", FALSE, 16, &local);
      if (local == NULL)
        relais_hub_json_string (event->data, "origin", FALSE, 16, &local);
      if (local == NULL)
        relais_hub_json_string (event->data, "reason", FALSE, 64, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (event->type, "session.end"))
    return _relais_hub_stats_validate_session (event->data, error);
  if (g_str_equal (event->type, "station.status"))
    {
      gboolean in_session = FALSE;
      gint64 ends_in = 0;

      if (!relais_hub_json_only (event->data, (const char *[]) { "step", "in_session", "ends_in", NULL }, error)
          || relais_hub_json_string (event->data, "step", TRUE, 32, error) == NULL
          || !relais_hub_json_bool (event->data, "in_session", TRUE, &in_session, error)
          || !relais_hub_json_int (event->data, "ends_in", FALSE, &ends_in, error))
        return FALSE;
      /* Seconds left in an idle countdown: a countdown lasts a minute or so. */
      if (ends_in < 0 || ends_in > 3600)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "« ends_in » hors limites");
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (event->type, "help.cancel") || g_str_equal (event->type, "help.leave"))
    return relais_hub_json_only (event->data, (const char *[]) { "id", NULL }, error)
           && relais_hub_json_string (event->data, "id", TRUE, MAX_KEY_LENGTH, error) != NULL;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "type d'événement inconnu « %s »", event->type);
  return FALSE;
}

/* Who may send each type besides the stations: a mediator logged in on a
 * console (the event is then attributed to them), for a cancel only. Any
 * other type is the stations' alone. */
static gboolean
sender_allowed (const Client *client,
                const char   *type)
{
  if (client->kind == CLIENT_STATION)
    return TRUE;
  return client->mediator != NULL && relais_event_type_from_string (type) == RELAIS_EVENT_HELP_CANCEL;
}

/* What an event changed, to announce once the batch is durable. */
typedef struct {
  RelaisHelpRequest *help;
  RelaisStationInfo *station;
} Change;

static void
change_free (Change *change)
{
  relais_help_request_free (change->help);
  relais_station_info_free (change->station);
  g_free (change);
}

/* Applies one validated event; NULL with @error when refused. */
static Change *
apply_event (RelaisHub          *self,
             const Client       *client,
             const ParsedEvent  *event,
             gboolean           *duplicate,
             GError            **error)
{
  g_autofree char *source = _relais_hub_client_source (client);
  g_autofree char *body = relais_hub_json_to_string (event->node);
  RelaisEventInfo info = { event->key, source, event->type, event->at, body };
  const char *id = json_object_get_string_member_with_default (event->data, "id", NULL);
  Change change = { NULL, NULL };

  if (g_str_equal (event->type, "help.raise"))
    {
      const char *origin = json_object_get_string_member_with_default (event->data, "origin", "resident");
      /* A station has a few requests open at most: one cannot fill the
       * consoles' queue. Counted apart for the residents and for the
       * station's own calls (a jammed scanner, a printer out of paper),
       * so that those never keep a resident from calling. A replay of one
       * already stored is still a duplicate. */
      if (self->max_open_help > 0
          && relais_db_help_count_open (self->db, client->name, g_str_equal (origin, "station") ? "station" : "resident",
                                        self->max_open_help) >= self->max_open_help)
        {
          g_autoptr(RelaisHelpRequest) known = relais_db_help_get (self->db, id, NULL);

          if (known == NULL)
            {
              g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                           "ce poste a déjà %u demandes d'aide ouvertes%s : pas plus", self->max_open_help,
                           g_str_equal (origin, "station") ? " qu'il a faites lui-même" : "");
              return NULL;
            }
        }

      change.help = relais_db_help_raise (self->db, &info, id, client->name,
                                          json_object_get_string_member (event->data, "category"),
                                          json_object_get_string_member_with_default (event->data, "language", NULL),
                                          g_str_equal (origin, "station") ? "station" : "resident",
                                          json_object_get_string_member_with_default (event->data, "reason", NULL),
                                          duplicate, error);
    }
  else if (g_str_equal (event->type, "session.end"))
    {
      if (client->kind != CLIENT_STATION)
        {
          g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "réservé aux postes");
          return NULL;
        }
      /* Nothing to announce live: the dashboard reads the aggregates. */
      if (!_relais_hub_stats_record_session (self, client->name, &info, event->data, duplicate, error))
        return NULL;
      return g_new0 (Change, 1);
    }
  else if (g_str_equal (event->type, "help.cancel"))
    change.help = relais_db_help_apply (self->db, &info, id, RELAIS_HELP_CANCEL, NULL, NULL,
                                        client->kind == CLIENT_STATION ? client->name : NULL,
                                        duplicate, error);
  else if (g_str_equal (event->type, "help.leave"))
    {
      /* Only the station itself knows its resident went. */
      if (client->kind != CLIENT_STATION)
        {
          g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "réservé aux postes");
          return NULL;
        }
      change.help = relais_db_help_apply (self->db, &info, id, RELAIS_HELP_LEAVE, NULL, NULL,
                                          client->name, duplicate, error);
    }
  else
    {
      gint64 ends_in = json_object_get_int_member_with_default (event->data, "ends_in", 0);

      g_assert (g_str_equal (event->type, "station.status"));
      if (client->kind != CLIENT_STATION)
        {
          g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "réservé aux postes");
          return NULL;
        }
      change.station = relais_db_station_report (self->db, &info, client->name,
                                                 json_object_get_string_member (event->data, "step"),
                                                 json_object_get_boolean_member (event->data, "in_session"),
                                                 ends_in > 0 ? event->at + ends_in * 1000 : 0,
                                                 duplicate, error);
    }
  if (change.help == NULL && change.station == NULL)
    return NULL;
  return g_memdup2 (&change, sizeof change);
}

void
_relais_hub_handle_events (RelaisHub         *self,
               SoupServerMessage *msg,
               const Client      *client)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (ParsedEvent));
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *root;
  JsonNode *list;
  JsonArray *array;

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (!relais_hub_json_only (root, (const char *[]) { "events", NULL }, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  list = json_object_get_member (root, "events");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« events » doit être un tableau");
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > MAX_EVENTS_PER_BATCH)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "de 1 à 500 événements par envoi");
      return;
    }

  /* Validate the whole batch first: a bad one stores nothing. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ParsedEvent event = { 0 };

      if (!parse_event (json_array_get_element (array, i), &event, &error))
        {
          g_autofree char *message = g_strdup_printf ("événement %u : %s", i, error->message);
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
      if (!sender_allowed (client, event.type))
        {
          g_autofree char *message = g_strdup_printf ("événement %u : « %s » est réservé aux postes", i, event.type);
          _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, message);
          return;
        }
      g_array_append_val (events, event);
    }

  if (!relais_db_batch_begin (self->db, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      ParsedEvent *event = &g_array_index (events, ParsedEvent, i);
      g_autoptr(GError) local = NULL;
      gboolean duplicate = FALSE;
      Change *change = apply_event (self, client, event, &duplicate, &local);
      const char *status;

      /* A refused transition (cancel of a resolved request) is an answer,
       * not a failure: the station must not retry it forever. */
      if (change != NULL)
        status = duplicate ? "duplicate" : "stored";
      else if (g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
               || g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
        status = "refused";
      else if (g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED))
        {
          /* Never a "duplicate" that did nothing: the whole batch is
           * refused, as for a malformed one. */
          g_autofree char *message = g_strdup_printf ("événement %u : %s", i, local->message);

          relais_db_batch_rollback (self->db);
          _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT, message);
          return;
        }
      else
        {
          relais_db_batch_rollback (self->db);
          _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, local->message);
          return;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, event->key);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status);
      if (local != NULL)
        {
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, local->message);
        }
      json_builder_end_object (builder);
      if (change != NULL && !duplicate)
        g_ptr_array_add (touched, change);
      else if (change != NULL)
        change_free (change);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (!relais_db_batch_commit (self->db, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  /* Only what is durable is announced. */
  for (guint i = 0; i < touched->len; i++)
    {
      Change *change = g_ptr_array_index (touched, i);

      if (change->help != NULL)
        _relais_hub_broadcast_help (self, change->help);
      if (change->station != NULL)
        _relais_hub_broadcast_station (self, change->station);
    }

  reply = json_builder_get_root (builder);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, reply);
}

/* ---- help requests, for consoles ---- */

void
_relais_hub_handle_help_list (RelaisHub         *self,
                              SoupServerMessage *msg,
                              const Client      *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = relais_db_help_list_since (self->db, G_MAXINT64, NULL, &error);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (list == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, relais_hub_json_help (g_ptr_array_index (list, i)));
  json_object_set_array_member (object, "requests", g_steal_pointer (&array));
  json_node_set_object (node, object);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_help_action (RelaisHub            *self,
                    SoupServerMessage    *msg,
                    const Client         *client,
                    const RelaisMediator *mediator,
                    const char           *id,
                    const char           *verb)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisHelpRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *source = NULL;
  g_autofree char *generated_key = NULL;
  g_autofree char *type = NULL;
  g_autofree char *body = NULL;
  RelaisHelpAction action;
  const char *key = NULL;
  gboolean duplicate = FALSE;
  JsonObject *root;

  switch (relais_help_verb_from_string (verb))
    {
    case RELAIS_HELP_VERB_SEEN: action = RELAIS_HELP_SEEN; break;
    case RELAIS_HELP_VERB_TAKE: action = RELAIS_HELP_TAKE; break;
    case RELAIS_HELP_VERB_RESOLVE: action = RELAIS_HELP_RESOLVE; break;
    case RELAIS_HELP_VERB_CANCEL: action = RELAIS_HELP_CANCEL; break;
    case RELAIS_HELP_VERB_UNKNOWN:
    case RELAIS_HELP_N_VERBS:
    default:
      _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "action inconnue");
      return;
    }

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (relais_hub_json_only (root, (const char *[]) { "key", NULL }, &error))
    key = relais_hub_json_string (root, "key", FALSE, MAX_KEY_LENGTH, &error);
  if (error != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (key == NULL)
    key = generated_key = g_uuid_string_random ();
  /* Who did it is the logged-in mediator, never a name the client sends. */
  source = g_strdup_printf ("console:%s/%s", client->name, mediator->login);

  type = g_strconcat ("help.", verb, NULL);
  /* The request the key stands for: its verb (the type) and its target. */
  json_object_set_string_member (root, "id", id);
  body = relais_hub_json_to_string (json_parser_get_root (parser));
  {
    RelaisEventInfo info = { key, source, type, g_get_real_time () / 1000, body };

    request = relais_db_help_apply (self->db, &info, id, action, mediator->display_name,
                                    mediator->login, NULL, &duplicate, &error);
  }
  if (request == NULL)
    {
      guint status = g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
                     || g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED) ? SOUP_STATUS_CONFLICT
                   : g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND) ? SOUP_STATUS_NOT_FOUND
                   : SOUP_STATUS_SERVICE_UNAVAILABLE;
      _relais_hub_reply_error (msg, status, error->message);
      return;
    }
  if (!duplicate)
    _relais_hub_broadcast_help (self, request);
  node = relais_hub_json_help (request);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}

void
_relais_hub_handle_help_route (RelaisHub            *self,
                               SoupServerMessage    *msg,
                               const Client         *client,
                               const RelaisMediator *mediator,
                               const char           *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", 0);

  if (g_strv_length (parts) != 2 || *parts[0] == '\0')
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_NOT_FOUND, "chemin inconnu");
      return;
    }
  handle_help_action (self, msg, client, mediator, parts[0], parts[1]);
}
