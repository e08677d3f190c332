/* relais-db-mail-contacts.c: contacts, NPAI and mail forwarding (hub). */

#include "relais-db-mail-contacts.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <string.h>

#define MAX_ADDRESS_CHARS 200

/* 24 (contacts): what the last contact was, the NPAI flag of a person and
 * of a letter, and where a person's mail is forwarded from which day. */
const char relais_db_mail_hub_migration_contacts[] =
    "ALTER TABLE mail_people ADD COLUMN last_contact_kind TEXT"
    "  CHECK (last_contact_kind IN ('pickup', 'visit', 'phone', 'kiosk'));"
    "ALTER TABLE mail_people ADD COLUMN npai_at INTEGER;"
    "ALTER TABLE mail_people ADD COLUMN npai_by TEXT;"
    "ALTER TABLE mail_people ADD COLUMN forward_address TEXT;"
    "ALTER TABLE mail_people ADD COLUMN forward_from TEXT;"
    "ALTER TABLE mail_letters ADD COLUMN npai_at INTEGER;";

gboolean
relais_mail_contact_kind_valid (const char *kind)
{
  return g_strcmp0 (kind, "visit") == 0 || g_strcmp0 (kind, "phone") == 0 || g_strcmp0 (kind, "kiosk") == 0;
}

static gboolean
contact_by_id (RelaisDb   *db,
               gint64      person_id,
               const char *kind,
               gint64      at,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "UPDATE mail_people SET last_contact_at = ?2, last_contact_kind = ?3"
                                                     " WHERE id = ?1 AND (last_contact_at IS NULL OR last_contact_at <= ?2)",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

gboolean
relais_db_mail_contact_add (RelaisDb   *db,
                            const char *number,
                            const char *kind,
                            gint64      at,
                            GError    **error)
{
  gint64 id;

  g_return_val_if_fail (db != NULL && number != NULL, FALSE);

  if (!relais_mail_contact_kind_valid (kind))
    return relais_db_mail_set_invalid (error, "Contact inconnu : visite, appel ou borne.");
  id = relais_db_mail_person_id (db, number, error);
  return id != 0 && contact_by_id (db, id, kind, at, error);
}

/* The person of the snapshot whose card or number and birth date hash to
 * @hash, 0 when none. The kiosk never sends more than the hash. */
static gint64
person_of_hash (RelaisDb   *db,
                const char *salt,
                const char *hash,
                GError    **error)
{
  g_autoptr(GPtrArray) entries = relais_db_mail_snapshot (db, error);

  if (entries == NULL)
    return -1;
  for (guint i = 0; i < entries->len; i++)
    {
      const RelaisMailSnapshotEntry *e = g_ptr_array_index (entries, i);
      g_autofree char               *by_number = relais_mail_kiosk_hash (salt, e->number, e->birth_date);
      g_autofree char               *by_card = e->card_id != NULL ? relais_mail_kiosk_hash (salt, e->card_id, NULL) : NULL;

      if (strcmp (by_number, hash) == 0 || g_strcmp0 (by_card, hash) == 0)
        return relais_db_mail_person_id (db, e->number, error);
    }
  return 0;
}

gboolean
relais_db_mail_kiosk_contact (RelaisDb              *db,
                              const RelaisEventInfo *event,
                              const char            *salt,
                              const char            *hash,
                              gboolean              *duplicate,
                              GError               **error)
{
  gint64   seq, id;
  gboolean ok;

  g_return_val_if_fail (db != NULL && event != NULL && salt != NULL && hash != NULL && duplicate != NULL, FALSE);

  *duplicate = FALSE;
  if (!relais_db_savepoint (db, error))
    return FALSE;
  seq = relais_db_event_append (db, event, error);
  if (seq <= 0)
    {
      *duplicate = seq == 0;
      return relais_db_savepoint_release (db, seq == 0 ? GINT_TO_POINTER (TRUE) : NULL, error) != NULL;
    }
  id = person_of_hash (db, salt, hash, error);
  if (id == 0)
    g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Personne ne correspond à cette vérification.");
  ok = id > 0 && contact_by_id (db, id, "kiosk", event->at, error);
  return relais_db_savepoint_release (db, ok ? GINT_TO_POINTER (TRUE) : NULL, error) != NULL;
}

gboolean
relais_db_mail_npai_set (RelaisDb   *db,
                         const char *number,
                         gboolean    npai,
                         const char *by,
                         gint64      now,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (db != NULL && number != NULL && by != NULL, FALSE);

  id = relais_db_mail_person_id (db, number, error);
  if (id == 0)
    return FALSE;
  stmt = relais_db_prepare (db, "UPDATE mail_people SET npai_at = ?2, npai_by = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (npai)
    {
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_text (stmt, 3, by, -1, SQLITE_STATIC);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

gboolean
relais_db_mail_letter_npai (RelaisDb *db,
                            gint64    id,
                            gint64    now,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  stmt = relais_db_prepare (db,
                            "UPDATE mail_letters SET npai_at = ?2, return_due_at = ?2,"
                            "  return_reason = 'NPAI : n''habite pas à l''adresse indiquée'"
                            " WHERE id = ?1 AND handed_at IS NULL AND returned_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                   "Le courrier n° %" G_GINT64_FORMAT " n'attend pas (déjà remis, renvoyé ou inconnu).", id);
      return FALSE;
    }
  return TRUE;
}

gboolean
relais_db_mail_forward_set (RelaisDb   *db,
                            const char *number,
                            const char *address,
                            const char *from,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (db != NULL && number != NULL, FALSE);

  address = relais_db_mail_empty_to_null (address);
  if (address != NULL)
    {
      if (!relais_db_mail_free_text_valid (address, MAX_ADDRESS_CHARS))
        return relais_db_mail_set_invalid (error, "Nouvelle adresse : une ligne de 200 caractères au plus.");
      if (!relais_db_mail_date_valid (from))
        return relais_db_mail_set_invalid (error, "Date de début de la réexpédition invalide (AAAA-MM-JJ).");
    }
  id = relais_db_mail_person_id (db, number, error);
  if (id == 0)
    return FALSE;
  stmt = relais_db_prepare (db, "UPDATE mail_people SET forward_address = ?2, forward_from = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (address != NULL)
    {
      sqlite3_bind_text (stmt, 2, address, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, from, -1, SQLITE_STATIC);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

char *
relais_db_mail_held_reason (const RelaisMailPerson *p,
                            gint64                  now)
{
  g_autofree char *today = relais_db_mail_today_of (now);

  g_return_val_if_fail (p != NULL, NULL);

  if (p->npai)
    return g_strdup ("NPAI : n'habite pas à l'adresse indiquée");
  if (p->forward_address != NULL && p->forward_from != NULL && strcmp (p->forward_from, today) <= 0)
    return g_strdup_printf ("à réexpédier : %s", p->forward_address);
  return NULL;
}
