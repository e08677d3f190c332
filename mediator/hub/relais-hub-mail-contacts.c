/* relais-hub-mail-contacts.c: the console's routes for a contact without
 * mail (a visit, a phone call), the NPAI flag on a person or a letter, and
 * mail forwarding; the stations' "mail.check" event (a check at the kiosk)
 * is applied by relais-hub-events.c through _relais_hub_mail_kiosk_check. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail.h"
#include "relais-db-mail-contacts.h"

/* The person's number from the path, or NULL with a 400 sent. */
static char *
path_number (SoupServerMessage   *msg,
             const RelaisHubCall *call)
{
  char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL || *number == '\0')
    {
      g_free (number);
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
      return NULL;
    }
  return number;
}

/* {"person": …} as it is now. */
static void
reply_person (RelaisHub         *self,
              SoupServerMessage *msg,
              const char        *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get (self->db, number, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (p == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "person");
  _relais_hub_mail_build_person (b, p);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* POST /mail/people/N/contact {"kind": "visit"|"phone"}: they came to the
 * desk with no mail to take, or a phone call with them. */
void
_relais_hub_handle_mail_contact (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  Mail            *mail = _relais_hub_mail_get (self);
  g_autofree char *number = path_number (msg, call);
  g_autoptr(GError) error = NULL;
  const char *kind = NULL;

  if (number == NULL)
    return;
  if (!relais_hub_json_only (call->body, (const char *[]) { "kind", NULL }, &error)
      || !_relais_hub_mail_read_text (call->body, "kind", 16, &kind, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  /* The kiosk's checks come from the stations, as events, not from here. */
  if (g_strcmp0 (kind, "visit") != 0 && g_strcmp0 (kind, "phone") != 0)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« kind » : « visit » ou « phone »");
      return;
    }
  if (!relais_db_mail_contact_add (self->db, number, kind, _relais_hub_mail_now (mail), &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_person (self, msg, number);
}

/* POST /mail/people/N/npai {"npai": true|false}. */
void
_relais_hub_handle_mail_person_npai (RelaisHub           *self,
                                     SoupServerMessage   *msg,
                                     const RelaisHubCall *call)
{
  Mail            *mail = _relais_hub_mail_get (self);
  g_autofree char *number = path_number (msg, call);
  g_autoptr(GError) error = NULL;
  gboolean npai = FALSE;

  if (number == NULL)
    return;
  if (!relais_hub_json_only (call->body, (const char *[]) { "npai", NULL }, &error)
      || !relais_hub_json_bool (call->body, "npai", TRUE, &npai, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_npai_set (self->db, number, npai, call->client->mediator->display_name,
                                _relais_hub_mail_now (mail), &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_person (self, msg, number);
}

/* POST /mail/letters/ID/npai {}: this letter goes back, NPAI. */
void
_relais_hub_handle_mail_letter_npai (RelaisHub           *self,
                                     SoupServerMessage   *msg,
                                     const RelaisHubCall *call)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  if (!_relais_hub_mail_parse_id (call->args[0], &id))
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de courrier invalide");
  else if (!relais_hub_json_only (call->body, (const char *[]) { NULL }, &error))
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
  else if (!relais_db_mail_letter_npai (self->db, id, _relais_hub_mail_now (mail), &error))
    _relais_hub_mail_reply_db_error (msg, error);
  else
    {
      _relais_hub_mail_changed (mail);
      node = relais_hub_json_status ("ok");
      _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
    }
}

/* POST /mail/people/N/forward {"address": "…", "from": "YYYY-MM-DD"};
 * an empty or absent address ends the forwarding. */
void
_relais_hub_handle_mail_forward (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  g_autofree char *number = path_number (msg, call);
  g_autoptr(GError) error = NULL;
  const char *address = NULL, *from = NULL;

  if (number == NULL)
    return;
  if (!relais_hub_json_only (call->body, (const char *[]) { "address", "from", NULL }, &error)
      || !_relais_hub_mail_read_text (call->body, "address", 800, &address, &error)
      || !_relais_hub_mail_read_text (call->body, "from", 10, &from, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_forward_set (self->db, number, address, from, &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  reply_person (self, msg, number);
}

/* ---- the kiosk's checks ---- */

gboolean
_relais_hub_mail_kiosk_check_validate (JsonObject *data,
                                       GError    **error)
{
  const char *hash;

  if (!relais_hub_json_only (data, (const char *[]) { "hash", NULL }, error))
    return FALSE;
  hash = relais_hub_json_string (data, "hash", TRUE, 32, error);
  if (hash == NULL)
    return FALSE;
  /* 128 bits in hex, as relais_mail_kiosk_hash () makes them. */
  for (const char *c = hash; *c != '\0'; c++)
    if (!g_ascii_isxdigit (*c) || g_ascii_isupper (*c))
      hash = NULL;
  if (hash == NULL || strlen (json_object_get_string_member (data, "hash")) != 32)
    {
      g_set_error_literal (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "« hash » : 32 chiffres hexadécimaux");
      return FALSE;
    }
  return TRUE;
}

gboolean
_relais_hub_mail_kiosk_check (RelaisHub             *self,
                              const RelaisEventInfo *info,
                              JsonObject            *data,
                              gboolean              *duplicate,
                              GError               **error)
{
  g_autofree char *salt = relais_db_mail_salt (self->db, error);

  if (salt == NULL)
    return FALSE;
  return relais_db_mail_kiosk_contact (self->db, info, salt, json_object_get_string_member (data, "hash"),
                                       duplicate, error);
}
