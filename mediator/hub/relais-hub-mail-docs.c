/* relais-hub-mail-docs.c: a domiciled person's scanned supporting
 * documents: POST a raw PDF, list them, fetch one (console + session). */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-hub-safe-private.h"
#include "relais-db-mail-docs.h"
#include "relais-db-mail-life.h"

#include <string.h>

/* This route's own cap: the global max-body-bytes stays small for JSON,
 * and one scanned page in a PDF weighs well under a megabyte. */

static void
reply_db_error (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
    status = SOUP_STATUS_BAD_REQUEST;
  else if (g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  _relais_hub_reply_error (msg, status, error->message);
}

static void
build_document (JsonBuilder *b, const RelaisMailDocument *doc)
{
  json_builder_begin_object (b);
  relais_hub_json_add_int (b, "id", doc->id);
  relais_hub_json_add_string (b, "label", doc->label);
  relais_hub_json_add_int (b, "size", doc->size);
  relais_hub_json_add_int (b, "added_at", doc->added_at);
  relais_hub_json_add_string (b, "added_by", doc->added_by);
  json_builder_end_object (b);
}

static void
handle_upload (RelaisHub            *self,
               SoupServerMessage    *msg,
               const RelaisMediator *mediator,
               const char           *number,
               gint64                now)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri            *uri = soup_server_message_get_uri (msg);
  const char      *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailDocument) doc = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const guint8 *key;

  if ((gsize) body->length > RELAIS_HUB_MAIL_MAX_DOCUMENT)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                               "Pièce trop grande (8 Mo au plus).");
      return;
    }
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  bytes = soup_message_body_flatten (body);
  /* Sealed at rest: identity papers above all must not lie in clear in
   * the database or its backups. */
  if ((key = _relais_hub_document_key (self, &error)) == NULL)
    {
      g_message ("pièces : %s", error->message);
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "La clé des pièces est indisponible.");
      return;
    }
  doc = relais_db_mail_document_add_sealed (self->db, number,
                                            params != NULL ? g_hash_table_lookup (params, "label") : NULL,
                                            bytes, key, mediator->display_name, now, &error);
  if (doc == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  build_document (b, doc);
  _relais_hub_reply_builder (msg, b);
}

static void
handle_list (RelaisHub *self, SoupServerMessage *msg, const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = relais_db_mail_documents (self->db, number, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (docs == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "documents");
  json_builder_begin_array (b);
  for (guint i = 0; i < docs->len; i++)
    build_document (b, g_ptr_array_index (docs, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

static void
handle_get (RelaisHub *self, SoupServerMessage *msg, const RelaisMediator *mediator, const char *number, const char *id_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *detail = NULL;
  const guint8    *key;
  guint64          id;

  /* The documents are for those who handle domiciliations: figures-only
   * staff accounts never see them. */
  if (!relais_mediator_has_role (mediator, "mediator") && !relais_mediator_has_role (mediator, "responsable"))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, "réservé aux médiateurs et aux responsables");
      return;
    }
  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro de pièce invalide");
      return;
    }
  if ((key = _relais_hub_document_key (self, &error)) == NULL)
    {
      g_message ("pièces : %s", error->message);
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "La clé des pièces est indisponible.");
      return;
    }
  pdf = relais_db_mail_document_open (self->db, number, (gint64) id, key, &error);
  if (pdf == NULL)
    {
      reply_db_error (msg, error);
      return;
    }
  /* Every opening is journalled: who, when, which document. */
  detail = g_strdup_printf ("n° %s, pièce %" G_GUINT64_FORMAT, number, id);
  if (!relais_db_data_journal_add (self->db, mediator->display_name, "document-opened", detail,
                                   _relais_hub_mail_now (_relais_hub_mail_get (self)), &error))
    {
      reply_db_error (msg, error);
      return;
    }
  soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/* ---- the routes (relais-hub-routes.c) ---- */

gsize
_relais_hub_mail_documents_cap (RelaisHub *self)
{
  return MAX (self->max_body, RELAIS_HUB_MAIL_MAX_DOCUMENT);
}

/* The person's number in /mail/people/NUMBER/documents…, or NULL once
 * answered. */
static char *
document_owner (SoupServerMessage   *msg,
                const RelaisHubCall *call)
{
  g_autofree char *number = g_uri_unescape_string (call->args[0], NULL);

  if (number == NULL || *number == '\0')
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "numéro invalide");
      return NULL;
    }
  return g_steal_pointer (&number);
}

void
_relais_hub_handle_mail_document_add (RelaisHub           *self,
                                      SoupServerMessage   *msg,
                                      const RelaisHubCall *call)
{
  g_autofree char *number = document_owner (msg, call);

  if (number != NULL)
    handle_upload (self, msg, call->client->mediator, number, _relais_hub_mail_now (_relais_hub_mail_get (self)));
}

void
_relais_hub_handle_mail_documents (RelaisHub           *self,
                                   SoupServerMessage   *msg,
                                   const RelaisHubCall *call)
{
  g_autofree char *number = document_owner (msg, call);

  if (number != NULL)
    handle_list (self, msg, number);
}

void
_relais_hub_handle_mail_document (RelaisHub           *self,
                                  SoupServerMessage   *msg,
                                  const RelaisHubCall *call)
{
  g_autofree char *number = document_owner (msg, call);

  if (number != NULL)
    handle_get (self, msg, call->client->mediator, number, call->args[1]);
}
