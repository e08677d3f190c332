/* relais-db-mail-docs.c: scanned supporting documents of a domiciled
 * person (hub). */

#include "relais-db-mail-docs.h"
#include "relais-db-private.h"

#include <stdio.h>
#include <string.h>

const char * const relais_mail_document_labels[] = { "identity", "resources", "certificate", "other", NULL };
const char * const relais_mail_application_reasons[] = { "no-home", "hosted", "emergency", "other", NULL };

/* Hub migration: the documents (the PDF kept in the row: a few hundred
 * kilobytes each, a handful per person) and the application's reason. */
const char relais_db_mail_hub_migration_documents[] =
  "CREATE TABLE mail_documents ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES mail_people (id),"
  "  label TEXT NOT NULL CHECK (label IN ('identity', 'resources', 'certificate', 'other')),"
  "  size INTEGER NOT NULL,"
  "  added_at INTEGER NOT NULL,"
  "  added_by TEXT NOT NULL,"
  "  pdf BLOB NOT NULL);"
  "CREATE INDEX mail_documents_person ON mail_documents (person_id, added_at);"
  "ALTER TABLE mail_decisions ADD COLUMN reason TEXT"
  "  CHECK (reason IN ('no-home', 'hosted', 'emergency', 'other'));"
  "CREATE INDEX mail_decisions_at ON mail_decisions (decision, decided_at);";

static gboolean
set_invalid (GError **error, const char *message)
{
  g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, message);
  return FALSE;
}

void
relais_mail_document_free (RelaisMailDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->label);
  g_free (doc->added_by);
  g_free (doc);
}

/* The person's row id, or 0 with NOT_FOUND set. */
static gint64
person_id (RelaisDb *db, const char *number, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT id FROM mail_people WHERE number = ?1", error);
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Personne inconnue : %s.", number);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return 0;
}

RelaisMailDocument *
relais_db_mail_document_add (RelaisDb    *db,
                             const char  *number,
                             const char  *label,
                             GBytes      *pdf,
                             const char  *by,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RelaisMailDocument) doc = NULL;
  gsize size;
  const char *data;
  gint64 pid;

  g_return_val_if_fail (db != NULL && number != NULL && pdf != NULL && by != NULL, NULL);

  if (label == NULL || !g_strv_contains (relais_mail_document_labels, label))
    {
      set_invalid (error, "Type de pièce : identity, resources, certificate ou other.");
      return NULL;
    }
  data = g_bytes_get_data (pdf, &size);
  /* Only what the console makes (a PDF) is kept: anything else would be
   * opened later by an agent's viewer without having been checked. */
  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      set_invalid (error, "Ce n'est pas un document PDF.");
      return NULL;
    }
  if ((pid = person_id (db, number, error)) == 0)
    return NULL;
  stmt = relais_db_prepare (db,
    "INSERT INTO mail_documents (person_id, label, size, added_at, added_by, pdf)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, pid);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) size);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 6, data, size, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  doc = g_new0 (RelaisMailDocument, 1);
  doc->id = sqlite3_last_insert_rowid (db->handle);
  doc->label = g_strdup (label);
  doc->size = (gint64) size;
  doc->added_at = now;
  doc->added_by = g_strdup (by);
  return g_steal_pointer (&doc);
}

static gpointer
document_from_row (sqlite3_stmt *stmt,
                   gpointer      data)
{
  RelaisMailDocument *doc = g_new0 (RelaisMailDocument, 1);

  doc->id = sqlite3_column_int64 (stmt, 0);
  doc->label = relais_db_column_dup (stmt, 1);
  doc->size = sqlite3_column_int64 (stmt, 2);
  doc->added_at = sqlite3_column_int64 (stmt, 3);
  doc->added_by = relais_db_column_dup (stmt, 4);
  return doc;
}

GPtrArray *
relais_db_mail_documents (RelaisDb    *db,
                          const char  *number,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 pid;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if ((pid = person_id (db, number, error)) == 0)
    return NULL;
  stmt = relais_db_prepare (db,
    "SELECT id, label, size, added_at, added_by FROM mail_documents"
    " WHERE person_id = ?1 ORDER BY added_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, pid);
  return relais_db_rows (db, stmt, document_from_row, NULL, (GDestroyNotify) relais_mail_document_free, error);
}

GBytes *
relais_db_mail_document_get (RelaisDb    *db,
                             const char  *number,
                             gint64       id,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 pid;
  int rc;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if ((pid = person_id (db, number, error)) == 0)
    return NULL;
  stmt = relais_db_prepare (db, "SELECT pdf FROM mail_documents WHERE id = ?1 AND person_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, pid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Pièce inconnue : %" G_GINT64_FORMAT ".", id);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}
