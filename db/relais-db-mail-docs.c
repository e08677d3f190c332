/* relais-db-mail-docs.c: scanned supporting documents of a domiciled
 * person (hub). */

#include "relais-db-mail-docs.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char * const relais_mail_document_labels[] = { "identity", "resources", "certificate", "other", NULL };
const char * const relais_mail_application_reasons[] = { "no-home", "hosted", "emergency", "other", NULL };

/* Hub migration: the documents (the PDF kept in the row: a few hundred
 * kilobytes each, a handful per person) and the application's reason. */
const char         relais_db_mail_hub_migration_documents[] =
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

/* A sealed document begins with this, then the nonce, then the box. */
#define SEALED_MAGIC     "RLS1"
#define SEALED_MAGIC_LEN 4

static RelaisMailDocument *
document_insert (RelaisDb     *db,
                 const char   *number,
                 const char   *label,
                 GBytes       *pdf,
                 const guint8 *key,
                 const char   *by,
                 gint64        now,
                 GError      **error)
{
  g_autofree guint8 *sealed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(RelaisMailDocument) doc = NULL;
  gsize       size, stored;
  const char *data;
  gint64      pid;

  g_return_val_if_fail (db != NULL && number != NULL && pdf != NULL && by != NULL, NULL);

  if (label == NULL || !g_strv_contains (relais_mail_document_labels, label))
    {
      set_invalid (error, "Type de pièce : identity, resources, certificate ou other.");
      return NULL;
    }
  data = g_bytes_get_data (pdf, &size);
  stored = size;
  /* Only what the console makes (a PDF) is kept: anything else would be
   * opened later by an agent's viewer without having been checked. */
  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      set_invalid (error, "Ce n'est pas un document PDF.");
      return NULL;
    }
  if ((pid = relais_db_mail_person_id (db, number, error)) == 0)
    return NULL;
  if (key != NULL)
    {
      gsize   sealed_size = SEALED_MAGIC_LEN + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + size;
      guint8 *nonce;

      sealed = g_malloc (sealed_size);
      memcpy (sealed, SEALED_MAGIC, SEALED_MAGIC_LEN);
      nonce = sealed + SEALED_MAGIC_LEN;
      randombytes_buf (nonce, crypto_secretbox_NONCEBYTES);
      crypto_secretbox_easy (nonce + crypto_secretbox_NONCEBYTES, (const guint8 *) data, size, nonce, key);
      data = (const char *) sealed;
      stored = sealed_size;
    }
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_documents (person_id, label, size, added_at, added_by, pdf)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, pid);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) size);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 6, data, stored, SQLITE_STATIC);
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

RelaisMailDocument *
relais_db_mail_document_add (RelaisDb   *db,
                             const char *number,
                             const char *label,
                             GBytes     *pdf,
                             const char *by,
                             gint64      now,
                             GError    **error)
{
  return document_insert (db, number, label, pdf, NULL, by, now, error);
}

RelaisMailDocument *
relais_db_mail_document_add_sealed (RelaisDb     *db,
                                    const char   *number,
                                    const char   *label,
                                    GBytes       *pdf,
                                    const guint8 *key,
                                    const char   *by,
                                    gint64        now,
                                    GError      **error)
{
  g_return_val_if_fail (key != NULL, NULL);
  return document_insert (db, number, label, pdf, key, by, now, error);
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
relais_db_mail_documents (RelaisDb   *db,
                          const char *number,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 pid;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if ((pid = relais_db_mail_person_id (db, number, error)) == 0)
    return NULL;
  stmt = relais_db_prepare (db,
                            "SELECT id, label, size, added_at, added_by FROM mail_documents"
                            " WHERE person_id = ?1 ORDER BY added_at DESC, id DESC",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, pid);
  return relais_db_rows (db, stmt, document_from_row, NULL, (GDestroyNotify) relais_mail_document_free, error);
}

GBytes *
relais_db_mail_document_get (RelaisDb   *db,
                             const char *number,
                             gint64      id,
                             GError    **error)
{
  return relais_db_mail_document_open (db, number, id, NULL, error);
}

GBytes *
relais_db_mail_document_open (RelaisDb     *db,
                              const char   *number,
                              gint64        id,
                              const guint8 *key,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 pid;
  int    rc;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if ((pid = relais_db_mail_person_id (db, number, error)) == 0)
    return NULL;
  stmt = relais_db_prepare (db, "SELECT pdf FROM mail_documents WHERE id = ?1 AND person_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, pid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const guint8      *blob = sqlite3_column_blob (stmt, 0);
      gsize              length = (gsize) sqlite3_column_bytes (stmt, 0);
      gsize              header = SEALED_MAGIC_LEN + crypto_secretbox_NONCEBYTES;
      g_autofree guint8 *plain = NULL;

      if (length < SEALED_MAGIC_LEN || memcmp (blob, SEALED_MAGIC, SEALED_MAGIC_LEN) != 0)
        return g_bytes_new (blob, length);
      if (key == NULL)
        {
          set_invalid (error, "Pièce chiffrée : la clé du hub est nécessaire pour l'ouvrir.");
          return NULL;
        }
      if (length < header + crypto_secretbox_MACBYTES)
        {
          set_invalid (error, "Pièce chiffrée illisible.");
          return NULL;
        }
      plain = g_malloc (length - header - crypto_secretbox_MACBYTES + 1);
      if (crypto_secretbox_open_easy (plain, blob + header, length - header, blob + SEALED_MAGIC_LEN, key) != 0)
        {
          set_invalid (error, "Pièce chiffrée avec une autre clé : elle ne s'ouvre pas.");
          return NULL;
        }
      return g_bytes_new_take (g_steal_pointer (&plain), length - header - crypto_secretbox_MACBYTES);
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Pièce inconnue : %" G_GINT64_FORMAT ".", id);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}
