/* relais-mail-records.c: the one place the hub's mail answers are read. */

#include "relais-mail-records.h"
#include "relais-link.h"
#include "relais-records-private.h"

/* ---- records ---- */

RelaisMailPerson *
relais_mail_person_from_json (JsonObject *object,
                              GError    **error)
{
  g_autoptr(RelaisMailPerson) p = g_new0 (RelaisMailPerson, 1);

  g_return_val_if_fail (object != NULL, NULL);

  if (!_relais_record_string (object, "number", TRUE, &p->number, error)
      || !_relais_record_string (object, "surname", FALSE, &p->surname, error)
      || !_relais_record_string (object, "first_names", FALSE, &p->first_names, error)
      || !_relais_record_string (object, "birth_date", FALSE, &p->birth_date, error)
      || !_relais_record_string (object, "phone", FALSE, &p->phone, error)
      || !_relais_record_string (object, "email", FALSE, &p->email, error)
      || !_relais_record_string (object, "notify", FALSE, &p->notify, error)
      || !_relais_record_string (object, "card_id", FALSE, &p->card_id, error)
      || !_relais_record_string (object, "language", FALSE, &p->language, error)
      || !_relais_record_string (object, "last_met_by", FALSE, &p->last_met_by, error)
      || !_relais_record_string (object, "last_met_phone", FALSE, &p->last_met_phone, error)
      || !_relais_record_string (object, "state", FALSE, &p->state, error)
      || !_relais_record_string (object, "active_to", FALSE, &p->active_to, error)
      || !_relais_record_int (object, "waiting", &p->waiting, error)
      || !_relais_record_string (object, "last_contact", FALSE, &p->last_contact, error)
      || !_relais_record_small_int (object, "homonyms", &p->homonyms, error)
      || !_relais_record_small_int (object, "near_homonyms", &p->near_homonyms, error)
      || !_relais_record_bool (object, "approximate", &p->approximate, error)
      || !_relais_record_string (object, "via_proxy", FALSE, &p->via_proxy, error)
      || !_relais_record_string (object, "sex", FALSE, &p->sex, error)
      || !_relais_record_string (object, "household", FALSE, &p->household, error)
      || !_relais_record_string (object, "last_contact_kind", FALSE, &p->last_contact_kind, error)
      || !_relais_record_bool (object, "npai", &p->npai, error)
      || !_relais_record_string (object, "forward_address", FALSE, &p->forward_address, error)
      || !_relais_record_string (object, "forward_from", FALSE, &p->forward_from, error))
    return NULL;
  return g_steal_pointer (&p);
}

RelaisMailPerson *
relais_mail_person_copy (const RelaisMailPerson *person)
{
  RelaisMailPerson *copy;

  g_return_val_if_fail (person != NULL, NULL);

  copy = g_memdup2 (person, sizeof *person);
  copy->number = g_strdup (person->number);
  copy->surname = g_strdup (person->surname);
  copy->first_names = g_strdup (person->first_names);
  copy->birth_date = g_strdup (person->birth_date);
  copy->phone = g_strdup (person->phone);
  copy->email = g_strdup (person->email);
  copy->notify = g_strdup (person->notify);
  copy->card_id = g_strdup (person->card_id);
  copy->language = g_strdup (person->language);
  copy->last_met_by = g_strdup (person->last_met_by);
  copy->last_met_phone = g_strdup (person->last_met_phone);
  copy->state = g_strdup (person->state);
  copy->active_to = g_strdup (person->active_to);
  copy->last_contact = g_strdup (person->last_contact);
  copy->via_proxy = g_strdup (person->via_proxy);
  copy->sex = g_strdup (person->sex);
  copy->household = g_strdup (person->household);
  copy->last_contact_kind = g_strdup (person->last_contact_kind);
  copy->forward_address = g_strdup (person->forward_address);
  copy->forward_from = g_strdup (person->forward_from);
  return copy;
}

RelaisMailLetter *
relais_mail_letter_from_json (JsonObject *object,
                              GError    **error)
{
  g_autoptr(RelaisMailLetter) l = g_new0 (RelaisMailLetter, 1);

  g_return_val_if_fail (object != NULL, NULL);

  if (!_relais_record_id (object, "id", &l->id, error)
      || !_relais_record_string (object, "number", TRUE, &l->number, error)
      || !_relais_record_string (object, "person", FALSE, &l->person, error)
      || !_relais_record_string (object, "kind", FALSE, &l->kind, error)
      || !_relais_record_string (object, "tracking", FALSE, &l->tracking, error)
      || !_relais_record_string (object, "sender", FALSE, &l->sender, error)
      || !_relais_record_bool (object, "urgent", &l->urgent, error)
      || !_relais_record_int (object, "registered_at", &l->registered_at, error)
      || !_relais_record_string (object, "registered_by", FALSE, &l->registered_by, error)
      || !_relais_record_int (object, "handed_at", &l->handed_at, error)
      || !_relais_record_string (object, "handed_by", FALSE, &l->handed_by, error)
      || !_relais_record_string (object, "handed_to", FALSE, &l->handed_to, error)
      || !_relais_record_small_int (object, "reminders", &l->reminders, error)
      || !_relais_record_int (object, "return_due_at", &l->return_due_at, error)
      || !_relais_record_int (object, "returned_at", &l->returned_at, error)
      || !_relais_record_string (object, "return_reason", FALSE, &l->return_reason, error)
      || !_relais_record_string (object, "notice_deadline", FALSE, &l->notice_deadline, error)
      || !_relais_record_string (object, "parcel_note", FALSE, &l->parcel_note, error))
    return NULL;
  return g_steal_pointer (&l);
}

RelaisMailProxy *
relais_mail_proxy_from_json (JsonObject *object,
                             GError    **error)
{
  g_autoptr(RelaisMailProxy) x = g_new0 (RelaisMailProxy, 1);

  g_return_val_if_fail (object != NULL, NULL);

  if (!_relais_record_int (object, "id", &x->id, error)
      || !_relais_record_string (object, "name", TRUE, &x->name, error)
      || !_relais_record_string (object, "authorised_on", FALSE, &x->authorised_on, error)
      || !_relais_record_string (object, "id_copies", FALSE, &x->id_copies, error)
      || !_relais_record_string (object, "ends_on", FALSE, &x->ends_on, error)
      || !_relais_record_bool (object, "valid", &x->valid, error))
    return NULL;
  return g_steal_pointer (&x);
}

RelaisMailNotice *
relais_mail_notice_from_json (JsonObject *object,
                              GError    **error)
{
  g_autoptr(RelaisMailNotice) n = g_new0 (RelaisMailNotice, 1);

  g_return_val_if_fail (object != NULL, NULL);

  if (!_relais_record_id (object, "id", &n->id, error)
      || !_relais_record_string (object, "number", FALSE, &n->number, error)
      || !_relais_record_string (object, "channel", FALSE, &n->channel, error)
      || !_relais_record_string (object, "recipient", FALSE, &n->recipient, error)
      || !_relais_record_string (object, "subject", FALSE, &n->subject, error)
      || !_relais_record_string (object, "body", FALSE, &n->body, error)
      || !_relais_record_string (object, "reason", FALSE, &n->reason, error)
      || !_relais_record_string (object, "status", FALSE, &n->status, error)
      || !_relais_record_small_int (object, "attempts", &n->attempts, error)
      || !_relais_record_int (object, "next_attempt_at", &n->next_attempt_at, error)
      || !_relais_record_string (object, "last_error", FALSE, &n->last_error, error)
      || !_relais_record_int (object, "created_at", &n->created_at, error)
      || !_relais_record_int (object, "sent_at", &n->sent_at, error))
    return NULL;
  return g_steal_pointer (&n);
}

RelaisMailDocument *
relais_mail_document_from_json (JsonObject *object,
                                GError    **error)
{
  g_autoptr(RelaisMailDocument) d = g_new0 (RelaisMailDocument, 1);

  g_return_val_if_fail (object != NULL, NULL);

  if (!_relais_record_id (object, "id", &d->id, error)
      || !_relais_record_string (object, "label", TRUE, &d->label, error)
      || !_relais_record_int (object, "size", &d->size, error)
      || !_relais_record_int (object, "added_at", &d->added_at, error)
      || !_relais_record_string (object, "added_by", FALSE, &d->added_by, error))
    return NULL;
  return g_steal_pointer (&d);
}

static RelaisMailTemplate *
template_from_json (JsonObject *object,
                    GError    **error)
{
  RelaisMailTemplate *t = g_new0 (RelaisMailTemplate, 1);

  if (!_relais_record_string (object, "name", TRUE, &t->name, error)
      || !_relais_record_string (object, "language", TRUE, &t->language, error)
      || !_relais_record_string (object, "text", FALSE, &t->text, error))
    {
      g_free (t->name);
      g_free (t->language);
      g_free (t->text);
      g_free (t);
      return NULL;
    }
  if (t->text == NULL)
    t->text = g_strdup ("");
  return t;
}

static void
template_free (RelaisMailTemplate *t)
{
  g_free (t->name);
  g_free (t->language);
  g_free (t->text);
  g_free (t);
}

static gpointer
unknown_line_from_json (JsonObject *object,
                        GError    **error)
{
  RelaisMailUnknownLine *u = g_new0 (RelaisMailUnknownLine, 1);

  if (!_relais_record_int (object, "id", &u->id, error)
      || !_relais_record_string (object, "name", TRUE, &u->name, error)
      || !_relais_record_small_int (object, "count", &u->count, error))
    {
      g_free (u->name);
      g_free (u);
      return NULL;
    }
  return u;
}

static void
unknown_line_free (RelaisMailUnknownLine *u)
{
  g_free (u->name);
  g_free (u);
}

/* ---- lists ---- */

GPtrArray *
relais_mail_people_from_reply (JsonObject *reply,
                               const char *member,
                               GError    **error)
{
  g_return_val_if_fail (reply != NULL && member != NULL, NULL);
  return _relais_record_list (reply, member, (RelaisRecordRead) relais_mail_person_from_json,
                              (GDestroyNotify) relais_mail_person_free, error);
}

GPtrArray *
relais_mail_letters_from_reply (JsonObject *reply,
                                const char *member,
                                GError    **error)
{
  g_return_val_if_fail (reply != NULL && member != NULL, NULL);
  return _relais_record_list (reply, member, (RelaisRecordRead) relais_mail_letter_from_json,
                              (GDestroyNotify) relais_mail_letter_free, error);
}

GPtrArray *
relais_mail_notices_from_reply (JsonObject *reply,
                                const char *member,
                                GError    **error)
{
  g_return_val_if_fail (reply != NULL && member != NULL, NULL);
  return _relais_record_list (reply, member, (RelaisRecordRead) relais_mail_notice_from_json,
                              (GDestroyNotify) relais_mail_notice_free, error);
}

GPtrArray *
relais_mail_documents_from_reply (JsonObject *reply,
                                  const char *member,
                                  GError    **error)
{
  g_return_val_if_fail (reply != NULL && member != NULL, NULL);
  return _relais_record_list (reply, member, (RelaisRecordRead) relais_mail_document_from_json,
                              (GDestroyNotify) relais_mail_document_free, error);
}

/* ---- whole answers ---- */

GPtrArray *
relais_mail_documents_from_bytes (GBytes  *body,
                                  GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (body != NULL, NULL);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                           "Réponse du hub illisible : ce n'est pas un objet JSON.");
      return NULL;
    }
  return relais_mail_documents_from_reply (json_node_get_object (root), "documents", error);
}

RelaisMailRecord *
relais_mail_record_from_reply (JsonObject *reply,
                               GError    **error)
{
  g_autoptr(RelaisMailRecord) record = g_new0 (RelaisMailRecord, 1);
  JsonNode *person;

  g_return_val_if_fail (reply != NULL, NULL);

  person = _relais_record_value (reply, "person");
  if (person == NULL || !JSON_NODE_HOLDS_OBJECT (person))
    {
      _relais_record_refuse ("person", "manque", error);
      return NULL;
    }
  if ((record->person = relais_mail_person_from_json (json_node_get_object (person), error)) == NULL
      || (record->letters = relais_mail_letters_from_reply (reply, "letters", error)) == NULL
      || (record->proxies = _relais_record_list (reply, "proxies", (RelaisRecordRead) relais_mail_proxy_from_json,
                                                 (GDestroyNotify) relais_mail_proxy_free, error))
             == NULL
      || (record->notices = relais_mail_notices_from_reply (reply, "notices", error)) == NULL)
    return NULL;
  return g_steal_pointer (&record);
}

void
relais_mail_record_free (RelaisMailRecord *record)
{
  if (record == NULL)
    return;
  relais_mail_person_free (record->person);
  g_clear_pointer (&record->letters, g_ptr_array_unref);
  g_clear_pointer (&record->proxies, g_ptr_array_unref);
  g_clear_pointer (&record->notices, g_ptr_array_unref);
  g_free (record);
}

RelaisMailDay *
relais_mail_day_from_reply (JsonObject *reply,
                            GError    **error)
{
  g_autoptr(RelaisMailDay) day = g_new0 (RelaisMailDay, 1);

  g_return_val_if_fail (reply != NULL, NULL);

  if (!_relais_record_string (reply, "day", TRUE, &day->day, error)
      || (day->letters = relais_mail_letters_from_reply (reply, "letters", error)) == NULL)
    return NULL;
  return g_steal_pointer (&day);
}

void
relais_mail_day_free (RelaisMailDay *day)
{
  if (day == NULL)
    return;
  g_free (day->day);
  g_clear_pointer (&day->letters, g_ptr_array_unref);
  g_free (day);
}

RelaisMailReturns *
relais_mail_returns_from_reply (JsonObject *reply,
                                GError    **error)
{
  g_autoptr(RelaisMailReturns) returns = g_new0 (RelaisMailReturns, 1);

  g_return_val_if_fail (reply != NULL, NULL);

  if ((returns->letters = relais_mail_letters_from_reply (reply, "letters", error)) == NULL
      || (returns->unknown = _relais_record_list (reply, "unknown", unknown_line_from_json,
                                                  (GDestroyNotify) unknown_line_free, error))
             == NULL)
    return NULL;
  return g_steal_pointer (&returns);
}

void
relais_mail_returns_free (RelaisMailReturns *returns)
{
  if (returns == NULL)
    return;
  g_clear_pointer (&returns->letters, g_ptr_array_unref);
  g_clear_pointer (&returns->unknown, g_ptr_array_unref);
  g_free (returns);
}

RelaisMailTemplates *
relais_mail_templates_from_reply (JsonObject *reply,
                                  GError    **error)
{
  g_autoptr(RelaisMailTemplates) templates = g_new0 (RelaisMailTemplates, 1);

  g_return_val_if_fail (reply != NULL, NULL);

  if (!_relais_record_string (reply, "place", FALSE, &templates->place, error)
      || !_relais_record_string (reply, "hours", FALSE, &templates->hours, error)
      || (templates->templates = _relais_record_list (reply, "templates", (RelaisRecordRead) template_from_json,
                                                      (GDestroyNotify) template_free, error))
             == NULL)
    return NULL;
  return g_steal_pointer (&templates);
}

void
relais_mail_templates_free (RelaisMailTemplates *templates)
{
  if (templates == NULL)
    return;
  g_free (templates->place);
  g_free (templates->hours);
  g_clear_pointer (&templates->templates, g_ptr_array_unref);
  g_free (templates);
}

static void
decision_record_free (RelaisMailDecisionRecord *d)
{
  g_free (d->decision);
  g_free (d->decided_by);
  g_free (d->election);
  g_free (d->applied_on);
  g_free (d->active_from);
  g_free (d->active_to);
  g_free (d->motive);
  g_free (d->motive_text);
  g_free (d->orientation);
  g_free (d->orientation_text);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailDecisionRecord, decision_record_free)

static gpointer
decision_record_from_json (JsonObject *object,
                           GError    **error)
{
  g_autoptr(RelaisMailDecisionRecord) d = g_new0 (RelaisMailDecisionRecord, 1);

  if (!_relais_record_string (object, "decision", TRUE, &d->decision, error)
      || !_relais_record_string (object, "decided_by", FALSE, &d->decided_by, error)
      || !_relais_record_int (object, "decided_at", &d->decided_at, error)
      || !_relais_record_string (object, "election", FALSE, &d->election, error)
      || !_relais_record_string (object, "applied_on", FALSE, &d->applied_on, error)
      || !_relais_record_string (object, "active_from", FALSE, &d->active_from, error)
      || !_relais_record_string (object, "active_to", FALSE, &d->active_to, error)
      || !_relais_record_string (object, "motive", FALSE, &d->motive, error)
      || !_relais_record_string (object, "motive_text", FALSE, &d->motive_text, error)
      || !_relais_record_string (object, "orientation", FALSE, &d->orientation, error)
      || !_relais_record_string (object, "orientation_text", FALSE, &d->orientation_text, error))
    return NULL;
  return g_steal_pointer (&d);
}

RelaisMailDecisions *
relais_mail_decisions_from_reply (JsonObject *reply,
                                  GError    **error)
{
  g_autoptr(RelaisMailDecisions) decisions = g_new0 (RelaisMailDecisions, 1);
  JsonNode *head;

  g_return_val_if_fail (reply != NULL, NULL);

  decisions->decisions = _relais_record_list (reply, "decisions", decision_record_from_json,
                                              (GDestroyNotify) decision_record_free, error);
  if (decisions->decisions == NULL)
    return NULL;
  head = _relais_record_value (reply, "letterhead");
  if (head != NULL)
    {
      JsonObject *l;

      if (!JSON_NODE_HOLDS_OBJECT (head))
        {
          _relais_record_refuse ("letterhead", "n’est pas un objet", error);
          return NULL;
        }
      l = json_node_get_object (head);
      if (!_relais_record_string (l, "body_name", FALSE, &decisions->body_name, error)
          || !_relais_record_string (l, "body_address", FALSE, &decisions->body_address, error)
          || !_relais_record_string (l, "approval", FALSE, &decisions->approval, error)
          || !_relais_record_string (l, "town", FALSE, &decisions->town, error)
          || !_relais_record_string (l, "tribunal", FALSE, &decisions->tribunal, error))
        return NULL;
    }
  return g_steal_pointer (&decisions);
}

void
relais_mail_decisions_free (RelaisMailDecisions *decisions)
{
  if (decisions == NULL)
    return;
  g_clear_pointer (&decisions->decisions, g_ptr_array_unref);
  g_free (decisions->body_name);
  g_free (decisions->body_address);
  g_free (decisions->approval);
  g_free (decisions->town);
  g_free (decisions->tribunal);
  g_free (decisions);
}

RelaisMailImport *
relais_mail_import_from_reply (JsonObject *reply,
                               GError    **error)
{
  g_autoptr(RelaisMailImport) import = g_new0 (RelaisMailImport, 1);
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();
  JsonNode *list;

  g_return_val_if_fail (reply != NULL, NULL);

  if (!_relais_record_int (reply, "rows", &import->rows, error)
      || !_relais_record_int (reply, "imported", &import->imported, error))
    return NULL;
  list = _relais_record_value (reply, "problems");
  if (list != NULL && !JSON_NODE_HOLDS_ARRAY (list))
    {
      _relais_record_refuse ("problems", "n’est pas une liste de phrases", error);
      return NULL;
    }
  for (guint i = 0; list != NULL && i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          _relais_record_refuse ("problems", "n’est pas une liste de phrases", error);
          return NULL;
        }
      g_strv_builder_add (problems, json_node_get_string (item));
    }
  import->problems = g_strv_builder_end (problems);
  return g_steal_pointer (&import);
}

void
relais_mail_import_free (RelaisMailImport *import)
{
  if (import == NULL)
    return;
  g_strfreev (import->problems);
  g_free (import);
}

RelaisMailPurge *
relais_mail_purge_from_reply (JsonObject *reply,
                              GError    **error)
{
  g_autoptr(RelaisMailPurge) purge = g_new0 (RelaisMailPurge, 1);

  g_return_val_if_fail (reply != NULL, NULL);

  if (!_relais_record_small_int (reply, "days", &purge->days, error)
      || (purge->people = relais_mail_people_from_reply (reply, "people", error)) == NULL)
    return NULL;
  return g_steal_pointer (&purge);
}

void
relais_mail_purge_free (RelaisMailPurge *purge)
{
  if (purge == NULL)
    return;
  g_clear_pointer (&purge->people, g_ptr_array_unref);
  g_free (purge);
}

gboolean
relais_mail_count_from_reply (JsonObject *reply,
                              const char *member,
                              gint64     *count,
                              GError    **error)
{
  g_return_val_if_fail (reply != NULL && member != NULL && count != NULL, FALSE);
  return _relais_record_int (reply, member, count, error);
}
