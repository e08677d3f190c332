/* relais-hub-mail-import.c: POST /mail/import, the console's way in for
 * a centre's people (issue 15, « The data's whole life »): the
 * spreadsheet itself is the body (CSV or XLSX, ?format=xlsx), checked
 * exactly as `relais-hub import-people` checks it (the same
 * relais_hub_import_people_bytes ()), a responsable's act.
 *
 * Bounds: the body (RELAIS_HUB_MAIL_IMPORT_MAX_BYTES, on the headers),
 * the people in it (RELAIS_HUB_MAIL_IMPORT_MAX_PEOPLE, counted before
 * any is checked), one import at a time on the hub. The whole register
 * is one request, so the per-token request rate meant for stations does
 * not apply to it (ROUTE_BULK).
 *
 * 20,000 people take seconds: the import runs on a thread with its own
 * connection to the database, so the hub keeps answering help requests
 * and stations meanwhile: every row is checked first, then written 1,000
 * a transaction, and a write from the desk that had to wait goes in
 * between two of them (relais_db_busy_waits ()), well within its 5 s. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-mail.h"
#include "relais-hub-mail-private.h"
#include "relais-hub-import.h"

#define IMPORTING_KEY "relais-hub-mail-importing"

typedef struct {
  RelaisHub         *hub; /* owned ref */
  SoupServerMessage *msg; /* owned ref */
  char              *db_path;
  GBytes            *data;
  gboolean           xlsx;
  gboolean           skip_bad;
  char              *number_format;
  RelaisImportReport report;
  GError            *error;
  gboolean           ok;
} Import;

static void
import_free (Import *import)
{
  g_object_set_data (G_OBJECT (import->hub), IMPORTING_KEY, NULL);
  g_object_unref (import->hub);
  g_object_unref (import->msg);
  g_free (import->db_path);
  g_bytes_unref (import->data);
  g_free (import->number_format);
  relais_import_report_clear (&import->report);
  g_clear_error (&import->error);
  g_free (import);
}

gsize
_relais_hub_mail_import_cap (RelaisHub *self)
{
  return RELAIS_HUB_MAIL_IMPORT_MAX_BYTES;
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Import *import = task_data;
  g_autoptr(RelaisDb) db = relais_db_open (import->db_path, RELAIS_DB_HUB, &import->error);

  if (db != NULL)
    import->ok = relais_hub_import_people_bytes (db, import->data, import->xlsx, import->number_format,
                                                 import->skip_bad, RELAIS_HUB_MAIL_IMPORT_MAX_PEOPLE, &import->report,
                                                 &import->error);
  g_task_return_boolean (task, TRUE);
}

static void
build_strings (JsonBuilder *b, const char *member, GPtrArray *strings)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Import *import = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonBuilder) b = NULL;

  if (!import->ok)
    {
      /* The file's fault (unreadable, a column missing, too many rows):
       * the sentence says which; the database's: no path shown. */
      if (import->error != NULL && import->error->domain == RELAIS_DB_ERROR
          && import->error->code == RELAIS_DB_ERROR_INVALID)
        _relais_hub_reply_error (import->msg, SOUP_STATUS_BAD_REQUEST, import->error->message);
      else
        {
          g_autofree char *text = NULL;

          g_message ("import : %s", import->error != NULL ? import->error->message : "?");
          if (import->report.imported == 0)
            text = g_strdup ("Import impossible : la base de données a refusé (rien n'a été importé).");
          else
            text = g_strdup_printf ("Import arrêté : la base de données a refusé après %u personnes importées "
                                    "(les suivantes ne le sont pas).",
                                    import->report.imported);
          _relais_hub_reply_error (import->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, text);
        }
      soup_server_message_unpause (import->msg);
      if (import->report.imported > 0)
        _relais_hub_mail_changed (_relais_hub_mail_get (import->hub));
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, import->report.rows);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, import->report.imported);
  build_strings (b, "problems", import->report.problems);
  build_strings (b, "ignored", import->report.ignored);
  json_builder_end_object (b);
  _relais_hub_reply_builder (import->msg, b);
  soup_server_message_unpause (import->msg);
  if (import->report.imported > 0)
    _relais_hub_mail_changed (_relais_hub_mail_get (import->hub));
}

void
_relais_hub_handle_mail_import (RelaisHub           *self,
                                SoupServerMessage   *msg,
                                const RelaisHubCall *call)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char      *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *format = NULL;
  const char *skip = NULL;
  Mail       *mail = _relais_hub_mail_get (self);
  g_autoptr(GTask) task = NULL;
  Import *import;

  if ((gsize) body->length > RELAIS_HUB_MAIL_IMPORT_MAX_BYTES)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, RELAIS_HUB_MAIL_IMPORT_TOO_BIG);
      return;
    }
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    {
      format = g_hash_table_lookup (params, "format");
      skip = g_hash_table_lookup (params, "skip-bad");
    }
  if ((format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "xlsx"))
      || (skip != NULL && !g_str_equal (skip, "0") && !g_str_equal (skip, "1")))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "format : csv ou xlsx ; skip-bad : 0 ou 1");
      return;
    }
  if (body->length == 0)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "fichier vide");
      return;
    }
  if (g_object_get_data (G_OBJECT (self), IMPORTING_KEY) != NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_CONFLICT, "Un import est déjà en cours : attendez qu'il finisse.");
      return;
    }
  g_object_set_data (G_OBJECT (self), IMPORTING_KEY, GINT_TO_POINTER (1));

  import = g_new0 (Import, 1);
  import->hub = g_object_ref (self);
  import->msg = g_object_ref (msg);
  import->db_path = g_strdup (relais_db_get_path (self->db));
  import->data = soup_message_body_flatten (body);
  import->xlsx = g_strcmp0 (format, "xlsx") == 0;
  import->skip_bad = g_strcmp0 (skip, "1") == 0;
  import->number_format = g_strdup (mail->number_format);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, import_done, NULL);
  g_task_set_task_data (task, import, (GDestroyNotify) import_free);
  g_task_run_in_thread (task, import_thread);
}
