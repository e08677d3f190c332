/* relais-hub-mail-life.c: a person deleted on request, the retention
 * purge's preview and its confirmation (console, "responsable" role). */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail-life.h"

#include <string.h>

/* A purge confirms at most this many people at once. */
#define MAX_PURGE 20000

static char *
today_of (Mail *mail)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (_relais_hub_mail_now (mail) / 1000);

  return g_date_time_format (t, "%Y-%m-%d");
}

/* POST /mail/people/NUMBER/delete, body {}. */
void
_relais_hub_handle_mail_person_delete (RelaisHub           *self,
                                       SoupServerMessage   *msg,
                                       const RelaisHubCall *call)
{
  Mail            *mail = _relais_hub_mail_get (self);
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (number == NULL || *number == '\0' || !relais_hub_json_only (call->body, (const char *[]) { NULL }, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error != NULL ? error->message : "numéro invalide");
      return;
    }
  if (!relais_db_mail_person_delete (self->db, number, call->client->mediator->display_name,
                                     _relais_hub_mail_now (mail), &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  _relais_hub_mail_changed (mail);
  json_builder_begin_object (b);
  relais_hub_json_add_bool (b, "deleted", TRUE);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* {"days": …, "today": …, "people": [...]}: the purge's preview and the
 * register list people the same way (@days < 0: no retention fields). */
static void
reply_people (SoupServerMessage *msg,
              GPtrArray         *people,
              int                days,
              const char        *today)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (days >= 0)
    {
      relais_hub_json_add_int (b, "days", days);
      relais_hub_json_add_string (b, "today", today);
    }
  json_builder_set_member_name (b, "people");
  json_builder_begin_array (b);
  for (guint i = 0; i < people->len; i++)
    _relais_hub_mail_build_person (b, g_ptr_array_index (people, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* GET /mail/purge: who the purge would delete today. */
void
_relais_hub_handle_mail_purge_preview (RelaisHub           *self,
                                       SoupServerMessage   *msg,
                                       const RelaisHubCall *call)
{
  Mail            *mail = _relais_hub_mail_get (self);
  g_autofree char *today = today_of (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = relais_db_mail_purge_preview (self->db, mail->retention_days, today, &error);

  if (people == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_people (msg, people, mail->retention_days, today);
}

/* POST /mail/purge {"numbers": [...]}: the preview staff confirmed. */
void
_relais_hub_handle_mail_purge (RelaisHub           *self,
                               SoupServerMessage   *msg,
                               const RelaisHubCall *call)
{
  Mail            *mail = _relais_hub_mail_get (self);
  g_autofree char *today = today_of (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode  *list;
  JsonArray *array;
  int        deleted;

  if (!relais_hub_json_only (call->body, (const char *[]) { "numbers", NULL }, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  list = json_object_get_member (call->body, "numbers");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« numbers » : la liste des numéros confirmés.");
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > MAX_PURGE)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Trop de numéros à la fois (20 000 au plus).");
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
          || strlen (json_node_get_string (item)) > 64)
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« numbers » : des numéros (texte, 64 caractères au plus).");
          return;
        }
      g_ptr_array_add (numbers, (gpointer) json_node_get_string (item));
    }
  g_ptr_array_add (numbers, NULL);
  deleted = relais_db_mail_purge (self->db, (const char * const *) numbers->pdata, mail->retention_days, today,
                                  call->client->mediator->display_name, _relais_hub_mail_now (mail), &error);
  if (deleted < 0)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  if (deleted > 0)
    _relais_hub_mail_changed (mail);
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "deleted", deleted);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* GET /mail/register: the domiciliation register, for export. */
void
_relais_hub_handle_mail_register (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = relais_db_mail_register_list (self->db, MAX_PURGE * 2, &error);

  if (people == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_people (msg, people, -1, NULL);
}
