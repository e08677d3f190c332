/* relais-hub-mail-people.c: the console's routes for domiciled people:
 * search, a person's record (by number or card), saving it, the
 * domiciliation decision, proxies, and a returned letter confirmed. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"
#include "relais-db-mail-decisions.h"
#include "relais-db-accounts.h"

static void
build_proxy (JsonBuilder *b, const RelaisMailProxy *x)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", x->id);
  relais_hub_json_add_string (b, "name", x->name);
  relais_hub_json_add_string (b, "authorised_on", x->authorised_on);
  relais_hub_json_add_string (b, "id_copies", x->id_copies);
  relais_hub_json_add_string (b, "ends_on", x->ends_on);
  relais_hub_json_add_bool (b, "valid", x->valid);
  json_builder_end_object (b);
}

static void
reply_person_record (RelaisHub *self, SoupServerMessage *msg, RelaisMailPerson *p)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *today = _relais_hub_mail_today (mail);
  g_autoptr(GPtrArray) letters = relais_db_mail_waiting (self->db, p->number, &error);
  g_autoptr(GPtrArray) proxies = letters != NULL ? relais_db_mail_proxies (self->db, p->number, today, &error) : NULL;
  g_autoptr(GPtrArray) notices = proxies != NULL ? relais_db_mail_notices_of (self->db, p->number, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (notices == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "person");
  _relais_hub_mail_build_person (b, p);
  relais_hub_json_add_array (b, "letters", letters, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  relais_hub_json_add_array (b, "proxies", proxies, (RelaisHubJsonBuildFunc) build_proxy);
  relais_hub_json_add_array (b, "notices", notices, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_notice);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* GET /mail/search?q=NAME&limit=N */
void
_relais_hub_handle_mail_search (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) form = query != NULL ? soup_form_decode (query) : NULL;
  const char *q = form != NULL ? g_hash_table_lookup (form, "q") : NULL;
  const char *limit_text = form != NULL ? g_hash_table_lookup (form, "limit") : NULL;
  guint64     limit = 20;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, 100, &limit, NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "limit : de 1 à 100");
      return;
    }
  people = relais_db_mail_search (self->db, q != NULL ? q : "", limit, &error);
  if (people == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "people", people, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_person);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* POST /mail/people: a new person or a changed record. */
void
_relais_hub_handle_mail_person_save (RelaisHub           *self,
                                     SoupServerMessage   *msg,
                                     const RelaisHubCall *call)
{
  JsonObject               *root = call->body;
  static const char * const fields[] = {
    "number", "surname", "first_names", "birth_date", "phone", "email", "notify", "card_id",
    "language", "last_met_by", "last_met_phone", "sex", "household", NULL
  };
  const char *values[G_N_ELEMENTS (fields)] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autofree char *given = NULL;
  RelaisMailPerson in = { 0 };

  if (!relais_hub_json_only (root, fields, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  for (guint i = 0; fields[i] != NULL; i++)
    if (!_relais_hub_mail_read_text (root, fields[i], 400, &values[i], &error))
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
        return;
      }
  /* No number typed: a new person gets the next free one; a number
   * typed is kept (cards already printed, another numbering). */
  if (values[0] == NULL || *values[0] == '\0')
    {
      given = relais_db_mail_next_number (self->db, _relais_hub_mail_get (self)->number_format, &error);
      if (given == NULL)
        {
          _relais_hub_mail_reply_db_error (msg, error);
          return;
        }
    }
  in.number = given != NULL ? given : (char *) values[0];
  in.surname = (char *) (values[1] != NULL ? values[1] : "");
  in.first_names = (char *) (values[2] != NULL ? values[2] : "");
  in.birth_date = (char *) values[3];
  in.phone = (char *) values[4];
  in.email = (char *) values[5];
  in.notify = (char *) values[6];
  in.card_id = (char *) values[7];
  in.language = (char *) values[8];
  in.last_met_by = (char *) values[9];
  in.last_met_phone = (char *) values[10];
  in.sex = (char *) values[11];
  in.household = (char *) values[12];
  saved = relais_db_mail_person_save (self->db, &in, &error);
  if (saved == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  _relais_hub_mail_changed (_relais_hub_mail_get (self));
  reply_person_record (self, msg, saved);
}

/* Granting, refusing and radiating are a responsable's (issue 15); an
 * application and an adjournment anyone's at the desk. */
static gboolean
may_decide (const RelaisMediator *mediator, const char *decision)
{
  static const char * const reserved[] = { "granted", "refused", "radiated", NULL };

  return decision == NULL || !g_strv_contains (reserved, decision) || relais_mediator_has_role (mediator, "responsable");
}

static void
handle_decision (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number, const RelaisMediator *mediator)
{
  static const char * const members[] = {
    "decision", "reason", "motive", "motive_text", "orientation", "orientation_text", "election", "missing",
    "applied_on", "active_from", "active_to", NULL
  };
  static const gsize caps[] = { 32, 32, 32, 800, 32, 800, 16, 400, 16, 16, 16 };
  Mail              *mail = _relais_hub_mail_get (self);
  RelaisMailSite     site = _relais_hub_mail_site (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autoptr(RelaisMailDecision) d = NULL;
  const char               *v[G_N_ELEMENTS (members)] = { NULL };
  RelaisMailDecisionRequest request;

  G_STATIC_ASSERT (G_N_ELEMENTS (caps) == G_N_ELEMENTS (members) - 1);
  if (!relais_hub_json_only (root, members, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  for (guint i = 0; members[i] != NULL; i++)
    if (!_relais_hub_mail_read_text (root, members[i], caps[i], &v[i], &error))
      {
        _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
        return;
      }
  if (!may_decide (mediator, v[0]))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN,
                               "Seul un responsable peut accorder, refuser ou radier une domiciliation.");
      return;
    }
  request = (RelaisMailDecisionRequest) {
    .decision = v[0] != NULL ? v[0] : "",
    .reason = v[1],
    .motive = v[2],
    .motive_text = v[3],
    .orientation = v[4],
    .orientation_text = v[5],
    .election = v[6],
    .missing = v[7],
    .applied_on = v[8],
    .active_from = v[9],
    .active_to = v[10],
  };
  d = relais_db_mail_decision_add (self->db, number, &request, mediator->display_name, &site,
                                   _relais_hub_mail_now (mail), &error);
  if (d == NULL || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  relais_hub_mail_kick (self);
  _relais_hub_mail_changed (mail);
  reply_person_record (self, msg, p);
}

static void
handle_proxy_add (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailProxy) proxy = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  const char *name, *on, *copies, *ends;

  if (!relais_hub_json_only (root, (const char *[]) { "name", "authorised_on", "id_copies", "ends_on", NULL }, &error)
      || !_relais_hub_mail_read_text (root, "name", 400, &name, &error)
      || !_relais_hub_mail_read_text (root, "authorised_on", 16, &on, &error)
      || !_relais_hub_mail_read_text (root, "id_copies", 400, &copies, &error)
      || !_relais_hub_mail_read_text (root, "ends_on", 16, &ends, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  proxy = relais_db_mail_proxy_add (self->db, number, name != NULL ? name : "", on, copies, ends, &error);
  if (proxy == NULL || (p = relais_db_mail_person_get (self->db, number, &error)) == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_person_record (self, msg, p);
}

/* ---- the routes under /mail/ (relais-hub-routes.c) ---- */

/* GET /mail/people/NUMBER or /mail/card/CARD: a person's record; the
 * route says which (call->data, a RelaisHubMailPersonBy). */
void
_relais_hub_handle_mail_person (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  gboolean by_card = GPOINTER_TO_INT (call->data) == RELAIS_HUB_MAIL_PERSON_BY_CARD;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uri_unescape_string (call->args[0], NULL);
  g_autoptr(RelaisMailPerson) p = NULL;

  if (key == NULL || *key == '\0')
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro manquant");
      return;
    }
  p = by_card ? relais_db_mail_person_by_card (self->db, key, &error) : relais_db_mail_person_get (self->db, key, &error);
  if (p == NULL)
    _relais_hub_mail_reply_db_error (msg, error);
  else
    reply_person_record (self, msg, p);
}

void
_relais_hub_handle_mail_decision (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL)
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
  else
    handle_decision (self, msg, call->body, number, call->client->mediator);
}

void
_relais_hub_handle_mail_proxy_add (RelaisHub           *self,
                                   SoupServerMessage   *msg,
                                   const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL)
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
  else
    handle_proxy_add (self, msg, call->body, number);
}

/* POST /mail/returns/ID/confirm: the letter went back to its sender. */
void
_relais_hub_handle_mail_return_confirm (RelaisHub           *self,
                                        SoupServerMessage   *msg,
                                        const RelaisHubCall *call)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  if (!_relais_hub_mail_parse_id (call->args[0], &id))
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de courrier invalide");
  else if (!relais_db_mail_confirm_return (self->db, id, call->client->mediator->display_name,
                                           _relais_hub_mail_now (mail), &error))
    _relais_hub_mail_reply_db_error (msg, error);
  else
    {
      _relais_hub_mail_changed (mail);
      node = relais_hub_json_status ("ok");
      _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
    }
}
