/* relais-db-mail-kinds.c: notices (« avis de passage ») and parcels,
 * the kinds of mail with their own hand-over (hub). */

#include "relais-db-mail-kinds.h"
#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <string.h>

/* Hub migration: the kinds "notice" and "parcel" on mail_letters, the
 * notice's deadline (set on registration by a trigger: La Poste keeps the
 * letter RELAIS_MAIL_NOTICE_KEEP_DAYS days; the notice reaches the desk
 * the day the postman leaves it), the parcel's note, and whether a
 * notice was handed over against an ID check.
 *
 * The kind's CHECK is widened in place (SQLite's documented way of
 * changing a constraint without rebuilding the table: the schema's text
 * edited under writable_schema, then reloaded): every row already
 * satisfies the wider check, and the table, its indexes and the tables
 * that refer to it stay as they are. The columns are added first, while
 * the schema's text is still the one SQLite parsed. */
const char relais_db_mail_hub_migration_kinds[] =
    "ALTER TABLE mail_letters ADD COLUMN notice_deadline TEXT;"
    "ALTER TABLE mail_letters ADD COLUMN parcel_note TEXT;"
    "ALTER TABLE mail_letters ADD COLUMN id_checked INTEGER NOT NULL DEFAULT 0;"
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_master SET sql = replace (sql, '''tax'', ''other'')', '''tax'', ''other'', ''notice'', ''parcel'')')"
    " WHERE type = 'table' AND name = 'mail_letters';"
    "PRAGMA writable_schema = RESET;"
    "CREATE TRIGGER mail_letters_notice_deadline AFTER INSERT ON mail_letters"
    " WHEN NEW.kind = 'notice' AND NEW.notice_deadline IS NULL BEGIN"
    "  UPDATE mail_letters SET notice_deadline = date (NEW.registered_at / 1000, 'unixepoch', 'localtime', '+15 days')"
    "   WHERE id = NEW.id;"
    " END;";

G_STATIC_ASSERT (RELAIS_MAIL_NOTICE_KEEP_DAYS == 15);

void
relais_mail_kind_details_free (RelaisMailKindDetails *details)
{
  if (details == NULL)
    return;
  g_free (details->kind);
  g_free (details->notice_deadline);
  g_free (details->parcel_note);
  g_free (details);
}

RelaisMailKindDetails *
relais_db_mail_kind_details (RelaisDb *db,
                             gint64    id,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RelaisMailKindDetails *d;
  int                    rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = relais_db_prepare (db,
                            "SELECT kind, notice_deadline, parcel_note, id_checked FROM mail_letters"
                            " WHERE id = ?1 AND kind IN ('notice', 'parcel')",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Ni avis de passage ni colis n° %" G_GINT64_FORMAT,
                   id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  d = g_new0 (RelaisMailKindDetails, 1);
  d->id = id;
  d->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  d->notice_deadline = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  d->parcel_note = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  d->id_checked = sqlite3_column_int (stmt, 3) != 0;
  return d;
}

gboolean
relais_db_mail_parcel_note_set (RelaisDb   *db,
                                gint64      id,
                                const char *note,
                                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  if (note == NULL || !relais_db_mail_free_text_valid (note, RELAIS_MAIL_PARCEL_NOTE_MAX) || *note == '\0')
    return relais_db_mail_set_invalid (error, "Colis : notez sa taille et où il est rangé (120 caractères au plus).");
  stmt = relais_db_prepare (db,
                            "UPDATE mail_letters SET parcel_note = ?2"
                            " WHERE id = ?1 AND kind = 'parcel' AND handed_at IS NULL AND returned_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, note, -1, SQLITE_STATIC);
  if (!relais_db_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    return relais_db_mail_set_invalid (error, "Ce n'est pas un colis qui attend ici.");
  return TRUE;
}

gboolean
relais_db_mail_kinds_hand_over_check (RelaisDb     *db,
                                      const char   *number,
                                      const gint64 *ids,
                                      gsize         n_ids,
                                      gboolean      id_checked,
                                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && number != NULL, FALSE);

  if (id_checked)
    return TRUE;
  /* The notices waiting for @number; each one asked for is refused. */
  stmt = relais_db_prepare (db,
                            "SELECT l.id FROM mail_letters l JOIN mail_people p ON p.id = l.person_id"
                            " WHERE p.number = ?1 AND l.kind = 'notice' AND l.handed_at IS NULL"
                            " AND l.returned_at IS NULL AND l.return_due_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64   id = sqlite3_column_int64 (stmt, 0);
      gboolean asked = n_ids == 0;

      for (gsize i = 0; i < n_ids && !asked; i++)
        asked = ids[i] == id;
      if (asked)
        return relais_db_mail_set_invalid (error, "Avis de passage : vérifiez une pièce d'identité de la personne et "
                                                  "faites-la signer avant de le remettre.");
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

gboolean
relais_db_mail_kinds_handed (RelaisDb  *db,
                             GPtrArray *handed,
                             GError   **error)
{
  g_return_val_if_fail (db != NULL && handed != NULL, FALSE);

  for (guint i = 0; i < handed->len; i++)
    {
      const RelaisMailLetter *l = g_ptr_array_index (handed, i);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (g_strcmp0 (l->kind, "notice") != 0)
        continue;
      stmt = relais_db_prepare (db, "UPDATE mail_letters SET id_checked = 1 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, l->id);
      if (!relais_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}
