/* relais-hub-mail-decisions.c: a domiciled person's decisions for the
 * console (the history, and what a written decision prints), and the
 * "not domiciled here" letters confirmed returned. Recording a decision
 * is relais-hub-mail-people.c's "decision" route. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail-decisions.h"

#define LETTERHEAD_KEY "relais-hub-mail-letterhead"

static void
letterhead_free (RelaisHubLetterhead *l)
{
  g_free ((char *) l->body_name);
  g_free ((char *) l->body_address);
  g_free ((char *) l->approval);
  g_free ((char *) l->town);
  g_free ((char *) l->tribunal);
  g_free (l);
}

void
relais_hub_mail_set_letterhead (RelaisHub                 *self,
                                const RelaisHubLetterhead *letterhead)
{
  RelaisHubLetterhead *copy;

  g_return_if_fail (RELAIS_IS_HUB (self) && letterhead != NULL);

  copy = g_new0 (RelaisHubLetterhead, 1);
  copy->body_name = g_strdup (letterhead->body_name);
  copy->body_address = g_strdup (letterhead->body_address);
  copy->approval = g_strdup (letterhead->approval);
  copy->town = g_strdup (letterhead->town);
  copy->tribunal = g_strdup (letterhead->tribunal);
  g_object_set_data_full (G_OBJECT (self), LETTERHEAD_KEY, copy, (GDestroyNotify) letterhead_free);
}

/* The body that writes the decisions, as the letters print it: the
 * configuration's [decisions], the site's name when it names none. */
static void
build_letterhead (RelaisHub *self, JsonBuilder *b)
{
  const RelaisHubLetterhead *l = g_object_get_data (G_OBJECT (self), LETTERHEAD_KEY);
  const char                *name = l != NULL && l->body_name != NULL && *l->body_name != '\0' ? l->body_name
                                                                                               : relais_hub_get_site_name (self);

  json_builder_set_member_name (b, "letterhead");
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "body_name", name);
  if (l != NULL)
    {
      relais_hub_json_add_string (b, "body_address", l->body_address);
      relais_hub_json_add_string (b, "approval", l->approval != NULL && *l->approval != '\0' ? l->approval : NULL);
      relais_hub_json_add_string (b, "town", l->town);
      relais_hub_json_add_string (b, "tribunal", l->tribunal);
    }
  json_builder_end_object (b);
}

static void
build_decision (JsonBuilder *b, const RelaisMailDecision *d)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", d->id);
  relais_hub_json_add_string (b, "number", d->number);
  relais_hub_json_add_string (b, "decision", d->decision);
  relais_hub_json_add_string (b, "reason", d->reason);
  relais_hub_json_add_string (b, "motive", d->motive);
  relais_hub_json_add_string (b, "motive_text", d->motive_text);
  relais_hub_json_add_string (b, "orientation", d->orientation);
  relais_hub_json_add_string (b, "orientation_text", d->orientation_text);
  relais_hub_json_add_string (b, "election", d->election);
  relais_hub_json_add_string (b, "missing", d->missing);
  relais_hub_json_add_string (b, "applied_on", d->applied_on);
  relais_hub_json_add_string (b, "active_from", d->active_from);
  relais_hub_json_add_string (b, "active_to", d->active_to);
  relais_hub_json_add_string (b, "decided_by", d->decided_by);
  relais_hub_json_add_int (b, "decided_at", d->decided_at);
  json_builder_end_object (b);
}

/* GET /mail/people/NUMBER/decisions: newest first. */
void
_relais_hub_handle_mail_decisions (RelaisHub           *self,
                                   SoupServerMessage   *msg,
                                   const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (number == NULL || *number == '\0')
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
      return;
    }
  decisions = relais_db_mail_decisions_of (self->db, number, &error);
  if (decisions == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "decisions", decisions, (RelaisHubJsonBuildFunc) build_decision);
  build_letterhead (self, b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* POST /mail/unknown/ID/confirm: those letters went back to the sender. */
void
_relais_hub_handle_mail_unknown_confirm (RelaisHub           *self,
                                         SoupServerMessage   *msg,
                                         const RelaisHubCall *call)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  gint64 id;

  if (!_relais_hub_mail_parse_id (call->args[0], &id))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de ligne invalide");
      return;
    }
  if (!relais_db_mail_unknown_returned (self->db, id, _relais_hub_mail_now (_relais_hub_mail_get (self)), &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", id);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}
