/* relais-hub-events.c: events from stations and consoles, and the
 * consoles' actions on help requests. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-db-stations.h"

#define MAX_EVENTS_PER_BATCH 500

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

typedef struct _EventKind EventKind;

typedef struct {
  const EventKind *kind;
  const char      *key;
  const char      *type;
  gint64           at;
  JsonObject      *data;
  JsonNode        *node; /* the event as received */
} ParsedEvent;

/* One line of the event table: who may send the type, how its "data" is
 * checked (before anything of the batch is stored), and what storing it
 * does. @apply returns NULL with @error when the event is refused. */
struct _EventKind {
  RelaisEventType type;
  gboolean        mediators_too; /* else the stations' alone */
  gboolean (*validate) (JsonObject *data,
                        GError    **error);
  Change *(*apply) (RelaisHub             *self,
                    const Client          *client,
                    const ParsedEvent     *event,
                    const RelaisEventInfo *info,
                    gboolean              *duplicate,
                    GError               **error);
};

/* ---- help.raise ---- */

/* A context says what it is, in the table's words only: the console
 * labels it by that word. An older station's context comes without one
 * and is still taken; a kind with no context means nothing and is a
 * station's bug. */
static gboolean
help_context_kind_validate (JsonObject *data,
                            GError    **error)
{
  g_autoptr(GError) local = NULL;
  const char *kind = relais_hub_json_string (data, "context_kind", FALSE, 16, &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (kind == NULL)
    return TRUE;
  if (relais_help_context_kind_from_string (kind) == RELAIS_HELP_CONTEXT_UNKNOWN)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "type de contexte inconnu « %s »", kind);
      return FALSE;
    }
  if (json_object_get_string_member_with_default (data, "context", NULL) == NULL)
    {
      g_set_error_literal (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                           "un type de contexte sans contexte");
      return FALSE;
    }
  return TRUE;
}

static gboolean
help_raise_validate (JsonObject *data,
                     GError    **error)
{
  const char *category;
  g_autoptr(GError) local = NULL;

  if (!relais_hub_json_only (data, (const char *[]) { "id", "category", "language", "origin", "reason", "context", "context_kind", NULL }, error)
      || relais_hub_json_string (data, "id", TRUE, MAX_KEY_LENGTH, error) == NULL)
    return FALSE;
  category = relais_hub_json_string (data, "category", TRUE, 32, error);
  if (category == NULL)
    return FALSE;
  if (!relais_help_category_is_valid (category))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "catégorie inconnue « %s »", category);
      return FALSE;
    }
  relais_hub_json_string (data, "language", FALSE, 16, &local);
  if (local == NULL)
    relais_hub_json_string (data, "origin", FALSE, 16, &local);
  if (local == NULL)
    relais_hub_json_string (data, "reason", FALSE, 64, &local);
  if (local == NULL)
    relais_hub_json_string (data, "context", FALSE, RELAIS_HELP_CONTEXT_MAX, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return help_context_kind_validate (data, error);
}

static Change *
help_raise_apply (RelaisHub             *self,
                  const Client          *client,
                  const ParsedEvent     *event,
                  const RelaisEventInfo *info,
                  gboolean              *duplicate,
                  GError               **error)
{
  const char *id = json_object_get_string_member (event->data, "id");
  const char *origin = json_object_get_string_member_with_default (event->data, "origin", "resident");
  Change      change = { NULL, NULL };

  /* A station has a few requests open at most: one cannot fill the
   * consoles' queue. Counted apart for the residents and for the
   * station's own calls (a jammed scanner, a printer out of paper),
   * so that those never keep a resident from calling. A replay of one
   * already stored is still a duplicate. */
  if (self->max_open_help > 0
      && relais_db_help_count_open (self->db, client->name, g_str_equal (origin, "station") ? "station" : "resident",
                                    self->max_open_help)
             >= self->max_open_help)
    {
      g_autoptr(RelaisHelpRequest) known = relais_db_help_get (self->db, id, NULL);

      if (known == NULL)
        {
          g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED,
                       "ce poste a déjà %u demandes d'aide ouvertes%s : pas plus", self->max_open_help,
                       g_str_equal (origin, "station") ? " qu'il a faites lui-même" : "");
          return NULL;
        }
    }

  change.help = relais_db_help_raise (self->db, info, id, client->name,
                                      json_object_get_string_member (event->data, "category"),
                                      json_object_get_string_member_with_default (event->data, "language", NULL),
                                      g_str_equal (origin, "station") ? "station" : "resident",
                                      json_object_get_string_member_with_default (event->data, "reason", NULL),
                                      json_object_get_string_member_with_default (event->data, "context", NULL),
                                      relais_help_context_kind_from_string (
                                          json_object_get_string_member_with_default (event->data, "context_kind", NULL)),
                                      duplicate, error);
  return change.help != NULL ? g_memdup2 (&change, sizeof change) : NULL;
}

/* ---- help.cancel, help.leave ---- */

static gboolean
help_id_validate (JsonObject *data,
                  GError    **error)
{
  return relais_hub_json_only (data, (const char *[]) { "id", NULL }, error)
         && relais_hub_json_string (data, "id", TRUE, MAX_KEY_LENGTH, error) != NULL;
}

static Change *
help_cancel_apply (RelaisHub             *self,
                   const Client          *client,
                   const ParsedEvent     *event,
                   const RelaisEventInfo *info,
                   gboolean              *duplicate,
                   GError               **error)
{
  Change change = { NULL, NULL };

  change.help = relais_db_help_apply (self->db, info, json_object_get_string_member (event->data, "id"),
                                      RELAIS_HELP_CANCEL, NULL, NULL,
                                      client->kind == CLIENT_STATION ? client->name : NULL,
                                      duplicate, error);
  return change.help != NULL ? g_memdup2 (&change, sizeof change) : NULL;
}

/* Only the station itself knows its resident went. */
static Change *
help_leave_apply (RelaisHub             *self,
                  const Client          *client,
                  const ParsedEvent     *event,
                  const RelaisEventInfo *info,
                  gboolean              *duplicate,
                  GError               **error)
{
  Change change = { NULL, NULL };

  change.help = relais_db_help_apply (self->db, info, json_object_get_string_member (event->data, "id"),
                                      RELAIS_HELP_LEAVE, NULL, NULL, client->name, duplicate, error);
  return change.help != NULL ? g_memdup2 (&change, sizeof change) : NULL;
}

/* ---- session.end ---- */

static Change *
session_end_apply (RelaisHub             *self,
                   const Client          *client,
                   const ParsedEvent     *event,
                   const RelaisEventInfo *info,
                   gboolean              *duplicate,
                   GError               **error)
{
  /* Nothing to announce live: the dashboard reads the aggregates. */
  if (!_relais_hub_stats_record_session (self, client->name, info, event->data, duplicate, error))
    return NULL;
  return g_new0 (Change, 1);
}

/* ---- station.status ---- */

static gboolean
station_status_validate (JsonObject *data,
                         GError    **error)
{
  gboolean in_session = FALSE;
  gint64   ends_in = 0;

  if (!relais_hub_json_only (data, (const char *[]) { "step", "in_session", "ends_in", NULL }, error)
      || relais_hub_json_string (data, "step", TRUE, 32, error) == NULL
      || !relais_hub_json_bool (data, "in_session", TRUE, &in_session, error)
      || !relais_hub_json_int (data, "ends_in", FALSE, &ends_in, error))
    return FALSE;
  /* Seconds left in an idle countdown: a countdown lasts a minute or so. */
  if (ends_in < 0 || ends_in > 3600)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« ends_in » hors limites");
      return FALSE;
    }
  return TRUE;
}

static Change *
station_status_apply (RelaisHub             *self,
                      const Client          *client,
                      const ParsedEvent     *event,
                      const RelaisEventInfo *info,
                      gboolean              *duplicate,
                      GError               **error)
{
  gint64 ends_in = json_object_get_int_member_with_default (event->data, "ends_in", 0);
  Change change = { NULL, NULL };

  change.station = relais_db_station_report (self->db, info, client->name,
                                             json_object_get_string_member (event->data, "step"),
                                             json_object_get_boolean_member (event->data, "in_session"),
                                             ends_in > 0 ? event->at + ends_in * 1000 : 0,
                                             duplicate, error);
  return change.station != NULL ? g_memdup2 (&change, sizeof change) : NULL;
}

/* ---- mail.check ---- */

static Change *
mail_check_apply (RelaisHub             *self,
                  const Client          *client,
                  const ParsedEvent     *event,
                  const RelaisEventInfo *info,
                  gboolean              *duplicate,
                  GError               **error)
{
  if (!_relais_hub_mail_kiosk_check (self, info, event->data, duplicate, error))
    return NULL;
  return g_new0 (Change, 1);
}

/* The event types a client may send, one line each. A mediator logged in
 * on a console may send those marked (the event is then attributed to
 * them); the others are the stations' alone. */
/* clang-format off */
static const EventKind event_kinds[] = {
  { RELAIS_EVENT_HELP_RAISE,     FALSE, help_raise_validate,                 help_raise_apply },
  { RELAIS_EVENT_HELP_CANCEL,    TRUE,  help_id_validate,                    help_cancel_apply },
  { RELAIS_EVENT_HELP_LEAVE,     FALSE, help_id_validate,                    help_leave_apply },
  { RELAIS_EVENT_SESSION_END,    FALSE, _relais_hub_stats_validate_session,  session_end_apply },
  { RELAIS_EVENT_STATION_STATUS, FALSE, station_status_validate,             station_status_apply },
  { RELAIS_EVENT_MAIL_CHECK,     FALSE, _relais_hub_mail_kiosk_check_validate, mail_check_apply },
};
/* clang-format on */

/* NULL for a word the protocol does not know, or one not sent to /events
 * ("safe.deposit" has its own route). */
static const EventKind *
event_kind_find (const char *word)
{
  RelaisEventType type = relais_event_type_from_string (word);

  for (guint i = 0; i < G_N_ELEMENTS (event_kinds); i++)
    if (event_kinds[i].type == type)
      return &event_kinds[i];
  return NULL;
}

static gboolean
parse_event (JsonNode    *node,
             ParsedEvent *event,
             GError     **error)
{
  JsonObject *object;
  JsonNode   *data;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "un événement doit être un objet");
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
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« data » doit être un objet");
      return FALSE;
    }
  event->data = json_node_get_object (data);
  event->kind = event_kind_find (event->type);
  if (event->kind == NULL)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "type d'événement inconnu « %s »", event->type);
      return FALSE;
    }
  return event->kind->validate (event->data, error);
}

static gboolean
sender_allowed (const Client    *client,
                const EventKind *kind)
{
  if (client->kind == CLIENT_STATION)
    return TRUE;
  return client->mediator != NULL && kind->mediators_too;
}

/* Applies one validated event, which its sender may send; NULL with
 * @error when refused. */
static Change *
apply_event (RelaisHub         *self,
             const Client      *client,
             const ParsedEvent *event,
             gboolean          *duplicate,
             GError           **error)
{
  g_autofree char *source = _relais_hub_client_source (client);
  g_autofree char *body = relais_hub_json_to_string (event->node);
  RelaisEventInfo  info = { event->key, source, event->type, event->at, body };

  g_assert (sender_allowed (client, event->kind));
  return event->kind->apply (self, client, event, &info, duplicate, error);
}

void
_relais_hub_handle_events (RelaisHub           *self,
                           SoupServerMessage   *msg,
                           const RelaisHubCall *call)
{
  const Client *client = call->client;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (ParsedEvent));
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *root;
  JsonNode   *list;
  JsonArray  *array;

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
      if (!sender_allowed (client, event.kind))
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
      gboolean    duplicate = FALSE;
      Change     *change = apply_event (self, client, event, &duplicate, &local);
      const char *status;

      /* A refused transition (cancel of a resolved request) is an answer,
       * not a failure: the station must not retry it forever. */
      if (change != NULL)
        status = duplicate ? "duplicate" : "stored";
      else if (g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
               || g_error_matches (local, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND)
               || g_error_matches (local, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED))
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
      relais_hub_json_add_string (builder, "key", event->key);
      relais_hub_json_add_string (builder, "status", status);
      if (local != NULL)
        {
          relais_hub_json_add_string (builder, "message", local->message);
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
_relais_hub_handle_help_list (RelaisHub           *self,
                              SoupServerMessage   *msg,
                              const RelaisHubCall *call)
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

/* What the database does for a console's verb. */
static RelaisHelpAction
help_action_for_verb (RelaisHelpVerb verb)
{
  switch (verb)
    {
    case RELAIS_HELP_VERB_SEEN: return RELAIS_HELP_SEEN;
    case RELAIS_HELP_VERB_TAKE: return RELAIS_HELP_TAKE;
    case RELAIS_HELP_VERB_RESOLVE: return RELAIS_HELP_RESOLVE;
    case RELAIS_HELP_VERB_CANCEL: return RELAIS_HELP_CANCEL;
    case RELAIS_HELP_VERB_UNKNOWN:
    case RELAIS_HELP_N_VERBS:
    default:
      g_assert_not_reached ();
    }
}

/* POST /help/ID/VERB: a mediator acts on a request; the route says
 * which verb (call->data). */
void
_relais_hub_handle_help_action (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  RelaisHelpVerb        verb = GPOINTER_TO_INT (call->data);
  RelaisHelpAction      action = help_action_for_verb (verb);
  const Client         *client = call->client;
  const RelaisMediator *mediator = client->mediator;
  const char           *id = call->args[0];
  JsonObject           *root = call->body;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisHelpRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char   *source = NULL;
  g_autofree char   *generated_key = NULL;
  g_autofree char   *type = NULL;
  g_autofree char   *body = NULL;
  const char        *key = NULL;
  gboolean           duplicate = FALSE;
  RelaisHelpOutcome  outcome = { NULL };
  /* Resolving may say what the request was about (issue 16); the other
   * verbs take the key alone. */
  const char * const resolve_members[] = { "key", "need", "outcome", "partner", NULL };
  const char * const other_members[] = { "key", NULL };

  if (relais_hub_json_only (root, verb == RELAIS_HELP_VERB_RESOLVE ? resolve_members : other_members, &error))
    key = relais_hub_json_string (root, "key", FALSE, MAX_KEY_LENGTH, &error);
  if (error == NULL && verb == RELAIS_HELP_VERB_RESOLVE)
    _relais_hub_help_outcome_read (self, root, &outcome, &error);
  if (error != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (key == NULL)
    key = generated_key = g_uuid_string_random ();
  /* Who did it is the logged-in mediator, never a name the client sends. */
  source = g_strdup_printf ("console:%s/%s", client->name, mediator->login);

  type = g_strconcat ("help.", relais_help_verb_to_string (verb), NULL);
  /* The request the key stands for: its verb (the type) and its target. */
  json_object_set_string_member (root, "id", id);
  {
    g_autoptr(JsonNode) root_node = json_node_init_object (json_node_alloc (), root);

    body = relais_hub_json_to_string (root_node);
  }
  {
    RelaisEventInfo info = { key, source, type, g_get_real_time () / 1000, body };

    /* The state and what it was about, in one transaction. Every resolve
     * is counted in its month, said or not (the report's « non précisé »). */
    if (!relais_db_batch_begin (self->db, &error))
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
        return;
      }
    request = relais_db_help_apply (self->db, &info, id, action, mediator->display_name,
                                    mediator->login, NULL, &duplicate, &error);
    if (request != NULL && !duplicate && verb == RELAIS_HELP_VERB_RESOLVE)
      {
        g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (info.at / 1000);
        g_autofree char *month = g_date_time_format (at, "%Y-%m");

        if (!relais_db_help_record_outcome (self->db, id, month, &outcome, &error))
          g_clear_pointer (&request, relais_help_request_free);
      }
    if (request == NULL)
      relais_db_batch_rollback (self->db);
    else if (!relais_db_batch_commit (self->db, &error))
      g_clear_pointer (&request, relais_help_request_free);
  }
  if (request == NULL)
    {
      guint status = g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
                             || g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED)
                         ? SOUP_STATUS_CONFLICT
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
