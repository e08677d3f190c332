/* relais-hub-mail-letters.c: the console's routes for letters: batches,
 * hand-over, returns, failed messages, statistics, figures and templates. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-db-mail-kinds.h"

#include <stdio.h>
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

void
_relais_hub_handle_mail_batch (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  JsonObject           *root = call->body;
  const RelaisMediator *mediator = call->client->mediator;
  Mail                 *mail = _relais_hub_mail_get (self);
  RelaisMailSite        site = _relais_hub_mail_site (mail);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RelaisMailItem));
  g_autoptr(GArray) unknown = g_array_new (FALSE, TRUE, sizeof (RelaisMailUnknown));
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *key;
  JsonNode   *node;
  gboolean    duplicate = FALSE;

  if (!relais_hub_json_only (root, (const char *[]) { "key", "items", "unknown", NULL }, &error)
      || (key = relais_hub_json_string (root, "key", TRUE, MAX_KEY_LENGTH, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  node = json_object_get_member (root, "items");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_BATCH_ITEMS; i++)
        {
          JsonNode      *element = json_array_get_element (array, i);
          JsonObject    *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          RelaisMailItem item = { 0 };
          gint64         count = 1;

          if (o == NULL
              || !relais_hub_json_only (o, (const char *[]) { "number", "kind", "count", "tracking", "sender", "urgent", "parcel_note", NULL }, &error)
              || !_relais_hub_mail_read_text (o, "number", 64, &item.number, &error)
              || !_relais_hub_mail_read_text (o, "kind", 32, &item.kind, &error)
              || !_relais_hub_mail_read_text (o, "tracking", 64, &item.tracking, &error)
              || !_relais_hub_mail_read_text (o, "sender", 400, &item.sender, &error)
              || !_relais_hub_mail_read_text (o, "parcel_note", RELAIS_MAIL_PARCEL_NOTE_MAX * 4, &item.parcel_note, &error)
              || !relais_hub_json_int (o, "count", FALSE, &count, &error)
              || !relais_hub_json_bool (o, "urgent", FALSE, &item.urgent, &error))
            {
              if (error == NULL)
                g_set_error_literal (&error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "chaque élément de « items » est un objet");
              _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
              return;
            }
          item.count = (int) CLAMP (count, -1, 1000);
          if (item.kind == NULL)
            item.kind = "ordinary";
          g_array_append_val (items, item);
        }
    }
  else if (node != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« items » doit être une liste");
      return;
    }
  node = json_object_get_member (root, "unknown");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_BATCH_ITEMS; i++)
        {
          JsonNode         *element = json_array_get_element (array, i);
          JsonObject       *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          RelaisMailUnknown u = { "", 1 };
          gint64            count = 1;

          if (o == NULL
              || !relais_hub_json_only (o, (const char *[]) { "name", "count", NULL }, &error)
              || !_relais_hub_mail_read_text (o, "name", 400, &u.name, &error)
              || !relais_hub_json_int (o, "count", FALSE, &count, &error))
            {
              if (error == NULL)
                g_set_error_literal (&error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID, "chaque élément de « unknown » est un objet");
              _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
              return;
            }
          u.count = (int) CLAMP (count, -1, 1000);
          if (u.name == NULL)
            u.name = "";
          g_array_append_val (unknown, u);
        }
    }
  else if (node != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "« unknown » doit être une liste");
      return;
    }
  letters = relais_db_mail_register (self->db, key, mediator->display_name,
                                     (const RelaisMailItem *) items->data, items->len,
                                     (const RelaisMailUnknown *) unknown->data, unknown->len,
                                     &site, _relais_hub_mail_now (mail), &duplicate, &error);
  if (letters == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  if (!duplicate)
    {
      relais_hub_mail_kick (self);
      _relais_hub_mail_changed (mail);
    }
  json_builder_begin_object (b);
  relais_hub_json_add_bool (b, "duplicate", duplicate);
  relais_hub_json_add_array (b, "letters", letters, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

static void
handle_hand_over (RelaisHub *self, SoupServerMessage *msg, JsonObject *root, const char *number, const RelaisMediator *mediator)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) handed = NULL;
  g_autofree char *today = _relais_hub_mail_today (mail);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64    proxy = 0;
  gboolean  id_checked = FALSE;
  JsonNode *node;

  if (!relais_hub_json_only (root, (const char *[]) { "letters", "proxy", "id_checked", NULL }, &error)
      || !relais_hub_json_int (root, "proxy", FALSE, &proxy, &error)
      || !relais_hub_json_bool (root, "id_checked", FALSE, &id_checked, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  node = json_object_get_member (root, "letters");
  if (node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          gint64    id;

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64
              || (id = json_node_get_int (e)) <= 0)
            {
              array = NULL;
              break;
            }
          g_array_append_val (ids, id);
        }
      if (array == NULL || ids->len == 0 || ids->len > 500)
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                                   "« letters » : une liste de 1 à 500 numéros de courrier (absente : tout remettre)");
          return;
        }
    }
  /* A notice (avis de passage) is handed against an ID seen and a
   * signature (id_checked), recorded with it: all in one transaction. */
  if (!relais_db_batch_begin (self->db, &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  if (relais_db_mail_kinds_hand_over_check (self->db, number, (const gint64 *) ids->data, ids->len, id_checked,
                                            &error))
    handed = relais_db_mail_hand_over (self->db, number, (const gint64 *) ids->data, ids->len, proxy,
                                       mediator->display_name, today, _relais_hub_mail_now (mail), &error);
  if (handed == NULL || !relais_db_mail_kinds_handed (self->db, handed, &error)
      || !relais_db_batch_commit (self->db, &error))
    {
      relais_db_batch_rollback (self->db);
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  _relais_hub_mail_changed (mail);
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "letters", handed, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

void
_relais_hub_handle_mail_hand_over (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL)
    _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
  else
    handle_hand_over (self, msg, call->body, number, call->client->mediator);
}

/* POST /mail/letters/ID/parcel-note {"note": "…"}: where a parcel waits
 * (its size, the shelf), told again at its hand-over. */
void
_relais_hub_handle_mail_parcel_note (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailKindDetails) details = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *note = NULL;
  gint64      id;

  if (!_relais_hub_mail_parse_id (call->args[0], &id))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de courrier invalide");
      return;
    }
  if (!relais_hub_json_only (call->body, (const char *[]) { "note", NULL }, &error)
      || !_relais_hub_mail_read_text (call->body, "note", RELAIS_MAIL_PARCEL_NOTE_MAX * 4, &note, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_parcel_note_set (self->db, id, note, &error)
      || (details = relais_db_mail_kind_details (self->db, id, &error)) == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", details->id);
  relais_hub_json_add_string (b, "parcel_note", details->parcel_note);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* Past this, a day's list is cut short: a busy service registers 200. */
#define MAX_DAY_LETTERS 5000

/* GET /mail/registered?day=YYYY-MM-DD (today when absent): the day's
 * letters, by user number, for the list the agents file them by. */
void
_relais_hub_handle_mail_registered (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  const char *text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = text != NULL ? soup_form_decode (text) : NULL;
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *today = _relais_hub_mail_today (mail);
  const char      *day = query != NULL ? g_hash_table_lookup (query, "day") : NULL;
  int              y, m, d;

  if (day == NULL)
    day = today;
  if (strlen (day) != 10 || sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "jour invalide : AAAA-MM-JJ");
      return;
    }
  start = g_date_time_new_local (y, m, d, 0, 0, 0);
  end = g_date_time_add_days (start, 1);
  letters = relais_db_mail_registered_between (self->db, g_date_time_to_unix (start) * 1000,
                                               g_date_time_to_unix (end) * 1000, MAX_DAY_LETTERS, &error);
  if (letters == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "day", day);
  relais_hub_json_add_array (b, "letters", letters, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

void
_relais_hub_handle_mail_returns (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = relais_db_mail_to_return (self->db, &error);
  g_autoptr(GPtrArray) unknown = letters != NULL ? relais_db_mail_unknown_list (self->db, &error) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (unknown == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "letters", letters, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_letter);
  json_builder_set_member_name (b, "unknown");
  json_builder_begin_array (b);
  for (guint i = 0; i < unknown->len; i++)
    {
      char **row = g_ptr_array_index (unknown, i);

      json_builder_begin_object (b);
      relais_hub_json_add_int (b, "id", g_ascii_strtoll (row[0], NULL, 10));
      relais_hub_json_add_string (b, "name", row[1]);
      relais_hub_json_add_int (b, "count", g_ascii_strtoll (row[2], NULL, 10));
      relais_hub_json_add_time (b, "registered_at", g_ascii_strtoll (row[3], NULL, 10));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

void
_relais_hub_handle_mail_notices_failed (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notices = relais_db_mail_notices_failing (self->db, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (notices == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_array (b, "notices", notices, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_notice);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

void
_relais_hub_handle_mail_stats (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  static const char * const columns[] = { "month", "kind", "registered", "handed", "returned", "reminders", "avg_days" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_db_mail_stats (self->db, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        if (c < 2)
          relais_hub_json_add_string (b, columns[c], row[c]);
        else if (c == 6)
          {
            json_builder_set_member_name (b, columns[c]);
            json_builder_add_double_value (b, g_ascii_strtod (row[c] != NULL ? row[c] : "0", NULL));
          }
        else
          relais_hub_json_add_int (b, columns[c], row[c] != NULL ? g_ascii_strtoll (row[c], NULL, 10) : 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* GET /mail/no-contact: people not seen for nearly three months. */
void
_relais_hub_handle_mail_no_contact (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  Mail *mail = _relais_hub_mail_get (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = relais_db_mail_no_contact (self->db, _relais_hub_mail_now (mail), mail->no_contact_days, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (people == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "days", mail->no_contact_days);
  relais_hub_json_add_array (b, "people", people, (RelaisHubJsonBuildFunc) _relais_hub_mail_build_person);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

JsonNode *
relais_hub_mail_figures (RelaisHub  *self,
                         const char *from,
                         const char *to,
                         GError    **error)
{
  g_autoptr(RelaisMailFigures) f = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint              n_reasons = g_strv_length ((GStrv) relais_mail_application_reasons);
  g_autofree gint64 *reasons = g_new0 (gint64, n_reasons + 1);

  g_return_val_if_fail (RELAIS_IS_HUB (self), NULL);

  f = relais_db_mail_figures (self->db, from, to, error);
  if (f == NULL || !relais_db_mail_reason_counts (self->db, from, to, reasons, error))
    return NULL;
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "registered", f->totals.registered);
  relais_hub_json_add_int (b, "handed", f->totals.handed);
  relais_hub_json_add_int (b, "returned", f->totals.returned);
  relais_hub_json_add_int (b, "reminders", f->reminders);
  relais_hub_json_add_int (b, "expiry_reminders", f->expiry_reminders);
  relais_hub_json_add_int (b, "unknown", f->unknown);
  json_builder_set_member_name (b, "avg_days");
  json_builder_add_double_value (b, f->totals.avg_days);
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->kinds->len; i++)
    {
      RelaisMailFiguresRow *row = g_ptr_array_index (f->kinds, i);

      json_builder_begin_object (b);
      relais_hub_json_add_string (b, "kind", row->kind);
      relais_hub_json_add_int (b, "registered", row->registered);
      relais_hub_json_add_int (b, "handed", row->handed);
      relais_hub_json_add_int (b, "returned", row->returned);
      json_builder_set_member_name (b, "avg_days");
      json_builder_add_double_value (b, row->avg_days);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Applications of the period by reason; "unknown": none was given. */
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_object (b);
  for (guint i = 0; i <= n_reasons; i++)
    relais_hub_json_add_int (b, i < n_reasons ? relais_mail_application_reasons[i] : "unknown", reasons[i]);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* GET /mail/templates: every message's text, for the console's editor. */
void
_relais_hub_handle_mail_templates (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_db_mail_template_list (self->db, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "templates");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      relais_hub_json_add_string (b, "name", row[0]);
      relais_hub_json_add_string (b, "language", row[1]);
      relais_hub_json_add_string (b, "text", row[2]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* What {place} and {hours} become, for the console's preview. */
  {
    RelaisMailSite site = _relais_hub_mail_site (_relais_hub_mail_get (self));

    relais_hub_json_add_string (b, "place", site.place);
    relais_hub_json_add_string (b, "hours", site.hours);
  }
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

void
_relais_hub_handle_mail_template_save (RelaisHub *self, SoupServerMessage *msg, const RelaisHubCall *call)
{
  JsonObject *root = call->body;
  g_autoptr(GError) error = NULL;
  const char *name, *language, *text;
  g_autoptr(JsonNode) node = NULL;

  if (!relais_hub_json_only (root, (const char *[]) { "name", "language", "text", NULL }, &error)
      || !_relais_hub_mail_read_text (root, "name", 32, &name, &error)
      || !_relais_hub_mail_read_text (root, "language", 8, &language, &error)
      || !_relais_hub_mail_read_text (root, "text", 2000, &text, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!relais_db_mail_template_set (self->db, name != NULL ? name : "", language != NULL ? language : "fr",
                                    text != NULL ? text : "", &error))
    {
      _relais_hub_mail_reply_db_error (msg, error);
      return;
    }
  node = relais_hub_json_status ("ok");
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}
