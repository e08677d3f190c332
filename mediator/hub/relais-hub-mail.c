/* relais-hub-mail.c: what every part of the hub's mail for domiciled
 * people uses: the state's clock and site, the JSON shapes, the strict
 * readers. It calls no other relais-hub-mail*.c file: the state's life
 * and settings are in relais-hub-mail-notify.c, the routes in
 * relais-hub-mail-people.c, -letters.c and -docs.c. */

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

Mail *
_relais_hub_mail_ref (Mail *mail)
{
  return g_atomic_rc_box_acquire (mail);
}

static void
mail_clear (Mail *mail)
{
  relais_notify_unref (mail->notify);
  g_free (mail->place);
  g_free (mail->hours);
  g_free (mail->number_format);
}

void
_relais_hub_mail_unref (Mail *mail)
{
  g_atomic_rc_box_release_full (mail, (GDestroyNotify) mail_clear);
}

gint64
_relais_hub_mail_now (Mail *mail)
{
  return mail->clock_ms != 0 ? mail->clock_ms : relais_db_now_ms ();
}

char *
_relais_hub_mail_today (Mail *mail)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (_relais_hub_mail_now (mail) / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

RelaisMailSite
_relais_hub_mail_site (Mail *mail)
{
  RelaisMailSite site = { mail->place, mail->hours };
  return site;
}

/* ---- JSON ---- */

void
_relais_hub_mail_build_person (JsonBuilder *b, const RelaisMailPerson *p)
{
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "number", p->number);
  relais_hub_json_add_string (b, "surname", p->surname);
  relais_hub_json_add_string (b, "first_names", p->first_names);
  relais_hub_json_add_string (b, "birth_date", p->birth_date);
  relais_hub_json_add_string (b, "phone", p->phone);
  relais_hub_json_add_string (b, "email", p->email);
  relais_hub_json_add_string (b, "notify", p->notify);
  relais_hub_json_add_string (b, "card_id", p->card_id);
  relais_hub_json_add_string (b, "language", p->language);
  relais_hub_json_add_string (b, "last_met_by", p->last_met_by);
  relais_hub_json_add_string (b, "last_met_phone", p->last_met_phone);
  relais_hub_json_add_string (b, "sex", p->sex);
  relais_hub_json_add_string (b, "household", p->household);
  relais_hub_json_add_string (b, "state", p->state);
  relais_hub_json_add_string (b, "active_to", p->active_to);
  relais_hub_json_add_int (b, "waiting", p->waiting);
  relais_hub_json_add_string (b, "last_contact", p->last_contact);
  relais_hub_json_add_string (b, "last_contact_kind", p->last_contact_kind);
  relais_hub_json_add_bool (b, "npai", p->npai);
  relais_hub_json_add_string (b, "forward_address", p->forward_address);
  relais_hub_json_add_string (b, "forward_from", p->forward_from);
  relais_hub_json_add_int (b, "homonyms", p->homonyms);
  relais_hub_json_add_int (b, "near_homonyms", p->near_homonyms);
  relais_hub_json_add_bool (b, "approximate", p->approximate);
  if (p->via_proxy != NULL)
    relais_hub_json_add_string (b, "via_proxy", p->via_proxy);
  json_builder_end_object (b);
}

void
_relais_hub_mail_build_letter (JsonBuilder *b, const RelaisMailLetter *l)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", l->id);
  relais_hub_json_add_string (b, "number", l->number);
  relais_hub_json_add_string (b, "person", l->person);
  relais_hub_json_add_string (b, "kind", l->kind);
  relais_hub_json_add_string (b, "tracking", l->tracking);
  relais_hub_json_add_string (b, "sender", l->sender);
  relais_hub_json_add_bool (b, "urgent", l->urgent);
  relais_hub_json_add_time (b, "registered_at", l->registered_at);
  relais_hub_json_add_string (b, "registered_by", l->registered_by);
  relais_hub_json_add_time (b, "handed_at", l->handed_at);
  relais_hub_json_add_string (b, "handed_by", l->handed_by);
  relais_hub_json_add_string (b, "handed_to", l->handed_to);
  relais_hub_json_add_int (b, "reminders", l->reminders);
  relais_hub_json_add_time (b, "return_due_at", l->return_due_at);
  relais_hub_json_add_time (b, "returned_at", l->returned_at);
  relais_hub_json_add_string (b, "return_reason", l->return_reason);
  relais_hub_json_add_string (b, "notice_deadline", l->notice_deadline);
  relais_hub_json_add_string (b, "parcel_note", l->parcel_note);
  json_builder_end_object (b);
}

void
_relais_hub_mail_build_notice (JsonBuilder *b, const RelaisMailNotice *n)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", n->id);
  relais_hub_json_add_string (b, "number", n->number);
  relais_hub_json_add_string (b, "channel", n->channel);
  relais_hub_json_add_string (b, "recipient", n->recipient);
  relais_hub_json_add_string (b, "body", n->body);
  relais_hub_json_add_string (b, "reason", n->reason);
  relais_hub_json_add_string (b, "status", n->status);
  relais_hub_json_add_int (b, "attempts", n->attempts);
  relais_hub_json_add_time (b, "next_attempt_at", n->next_attempt_at);
  relais_hub_json_add_string (b, "last_error", n->last_error);
  relais_hub_json_add_time (b, "created_at", n->created_at);
  relais_hub_json_add_time (b, "sent_at", n->sent_at);
  json_builder_end_object (b);
}

/* A database error to the console: its message is already French for
 * the cases a person causes (invalid, unknown, conflict). */
void
_relais_hub_mail_reply_db_error (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
    status = SOUP_STATUS_BAD_REQUEST;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT)
           || g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED))
    status = SOUP_STATUS_CONFLICT;
  _relais_hub_reply_error (msg, status, error->message);
}

/* ---- strict readers (empty strings allowed: the db says why not) ---- */

gboolean
_relais_hub_mail_read_text (JsonObject *o, const char *member, gsize max, const char **value, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » doit être une chaîne", member);
      return FALSE;
    }
  *value = json_node_get_string (node);
  if (strlen (*value) > max || !g_utf8_validate (*value, -1, NULL))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« %s » : %zu octets au plus", member, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
_relais_hub_mail_parse_id (const char *text, gint64 *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}
