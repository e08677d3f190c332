/* relais-db-mail-letters.c: letters, hand-over, reminders, returns,
 * statistics and figures (hub). */

#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"
#include "relais-db-mail-contacts.h"
#include "relais-db-mail-kinds.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *id;
  const char *label;
} kinds[] = {
  { "ordinary", "ordinaire" },
  { "registered", "recommandé" },
  { "court", "tribunal" },
  { "social", "CAF, CPAM, France Travail" },
  { "tax", "impôts" },
  { "other", "autre" },
  /* Their own hand-over (relais-db-mail-kinds.c). */
  { "notice", "avis de passage" },
  { "parcel", "colis" },
};

gboolean
relais_mail_kind_valid (const char *kind)
{
  return relais_mail_kind_label (kind) != NULL;
}

const char *
relais_mail_kind_label (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind, kinds[i].id))
      return kinds[i].label;
  return NULL;
}

/* ---- letters ---- */

/* The surname is upper-cased here, not by SQLite's upper (), which
 * knows ASCII only ("LEFèVRE"). */
#define LETTER_COLUMNS                                                                                   \
  "l.id, p.number, p.surname, l.kind, l.tracking, l.sender, l.urgent,"                                   \
  " l.registered_at, l.registered_by, coalesce (l.handed_at, 0), l.handed_by, l.handed_to, l.reminders," \
  " coalesce (l.return_due_at, 0), coalesce (l.returned_at, 0), l.return_reason, p.first_names,"         \
  " l.notice_deadline, l.parcel_note"                                                                    \
  " FROM mail_letters l JOIN mail_people p ON p.id = l.person_id"

static gpointer
letter_from_row (sqlite3_stmt *stmt,
                 gpointer      data)
{
  RelaisMailLetter *l = g_new0 (RelaisMailLetter, 1);
  g_autofree char  *surname = g_utf8_strup ((const char *) sqlite3_column_text (stmt, 2), -1);

  l->id = sqlite3_column_int64 (stmt, 0);
  l->number = relais_db_column_dup (stmt, 1);
  l->person = g_strdup_printf ("%s %s", surname, (const char *) sqlite3_column_text (stmt, 16));
  l->kind = relais_db_column_dup (stmt, 3);
  l->tracking = relais_db_column_dup (stmt, 4);
  l->sender = relais_db_column_dup (stmt, 5);
  l->urgent = sqlite3_column_int (stmt, 6) != 0;
  l->registered_at = sqlite3_column_int64 (stmt, 7);
  l->registered_by = relais_db_column_dup (stmt, 8);
  l->handed_at = sqlite3_column_int64 (stmt, 9);
  l->handed_by = relais_db_column_dup (stmt, 10);
  l->handed_to = relais_db_column_dup (stmt, 11);
  l->reminders = sqlite3_column_int (stmt, 12);
  l->return_due_at = sqlite3_column_int64 (stmt, 13);
  l->returned_at = sqlite3_column_int64 (stmt, 14);
  l->return_reason = relais_db_column_dup (stmt, 15);
  l->notice_deadline = relais_db_column_dup (stmt, 17);
  l->parcel_note = relais_db_column_dup (stmt, 18);
  return l;
}

static GPtrArray *
letters_from (RelaisDb *db, sqlite3_stmt *stmt, GError **error)
{
  return relais_db_rows (db, stmt, letter_from_row, NULL, (GDestroyNotify) relais_mail_letter_free, error);
}

static GPtrArray *
batch_letters (RelaisDb *db, gint64 batch_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " LETTER_COLUMNS " WHERE l.batch_id = ?1 ORDER BY l.id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  return letters_from (db, stmt, error);
}

static gboolean
items_valid (const RelaisMailItem    *items,
             gsize                    n_items,
             const RelaisMailUnknown *unknown,
             gsize                    n_unknown,
             GError                 **error)
{
  if (n_items + n_unknown == 0)
    return relais_db_mail_set_invalid (error, "Lot vide : tapez au moins un nom.");
  for (gsize i = 0; i < n_items; i++)
    {
      const RelaisMailItem *it = &items[i];

      if (it->number == NULL || !relais_db_mail_token_valid (it->number, 32))
        return relais_db_mail_set_invalid (error, "Numéro d'usager invalide dans le lot.");
      if (!relais_mail_kind_valid (it->kind))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Sorte de courrier inconnue pour %s.", it->number);
          return FALSE;
        }
      if (it->count < 1 || it->count > MAX_LETTERS_PER_ITEM)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Nombre de lettres pour %s : de 1 à %d.", it->number, MAX_LETTERS_PER_ITEM);
          return FALSE;
        }
      if (g_str_equal (it->kind, "registered") && (it->count != 1 || relais_db_mail_empty_to_null (it->tracking) == NULL))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Recommandé pour %s : une lettre à la fois, avec son numéro de suivi.", it->number);
          return FALSE;
        }
      /* Each notice and each parcel has its own deadline or note. */
      if ((g_str_equal (it->kind, "notice") || g_str_equal (it->kind, "parcel")) && it->count != 1)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Avis de passage ou colis pour %s : un à la fois.", it->number);
          return FALSE;
        }
      if ((it->tracking != NULL && !relais_db_mail_token_valid (it->tracking, 32)) || !relais_db_mail_free_text_valid (it->sender, 100))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Suivi (lettres et chiffres) ou expéditeur (100 caractères) invalide pour %s.", it->number);
          return FALSE;
        }
      /* Where a parcel is put, said as it is registered; only a parcel has a shelf. */
      if (relais_db_mail_empty_to_null (it->parcel_note) != NULL
          && (!g_str_equal (it->kind, "parcel") || !relais_db_mail_free_text_valid (it->parcel_note, RELAIS_MAIL_PARCEL_NOTE_MAX)))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Rangement pour %s : un colis seulement, %d caractères au plus.", it->number,
                       RELAIS_MAIL_PARCEL_NOTE_MAX);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n_unknown; i++)
    {
      if (!relais_mail_name_valid (unknown[i].name, "Nom du destinataire inconnu", error))
        return FALSE;
      if (unknown[i].count < 1 || unknown[i].count > MAX_LETTERS_PER_ITEM)
        return relais_db_mail_set_invalid (error, "Nombre de lettres pour un destinataire inconnu : de 1 à 50.");
    }
  return TRUE;
}

/* Why mail for @p goes straight back, or NULL while they are domiciled
 * here (or asking to be): refused, radiated, or past the end. */
static const char *
not_domiciled_reason (const RelaisMailPerson *p,
                      gint64                  now)
{
  g_autofree char *today = relais_db_mail_today_of (now);

  if (g_strcmp0 (p->state, "refused") == 0)
    return "plus domicilié(e) ici : domiciliation refusée";
  if (g_strcmp0 (p->state, "radiated") == 0)
    return "plus domicilié(e) ici : domiciliation radiée";
  if (g_strcmp0 (p->state, "expired") == 0
      || (g_strcmp0 (p->state, "granted") == 0 && p->active_to != NULL && strcmp (p->active_to, today) < 0))
    return "plus domicilié(e) ici : domiciliation expirée";
  return NULL;
}

static GPtrArray *
register_in_savepoint (RelaisDb                *db,
                       gint64                   batch_id,
                       const char              *by,
                       const RelaisMailItem    *items,
                       gsize                    n_items,
                       const RelaisMailUnknown *unknown,
                       gsize                    n_unknown,
                       const RelaisMailSite    *site,
                       gint64                   now,
                       GError                 **error)
{
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < n_items; i++)
    {
      const RelaisMailItem *it = &items[i];
      g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get (db, it->number, error);

      const char      *ended = NULL;
      g_autofree char *held = NULL;

      if (p == NULL)
        return NULL;
      ended = not_domiciled_reason (p, now);
      /* NPAI, or forwarded: listed to send on, not kept in the cabinet. */
      if (ended == NULL)
        ended = held = relais_db_mail_held_reason (p, now);
      for (int k = 0; k < it->count; k++)
        {
          g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                             "INSERT INTO mail_letters (person_id, batch_id, kind, tracking, sender, urgent, registered_at,"
                                                             "  registered_by, return_due_at, return_reason, parcel_note)"
                                                             "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                                             error);

          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 1, p->id);
          sqlite3_bind_int64 (stmt, 2, batch_id);
          sqlite3_bind_text (stmt, 3, it->kind, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, relais_db_mail_empty_to_null (it->tracking), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 5, relais_db_mail_empty_to_null (it->sender), -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 6, it->urgent);
          sqlite3_bind_int64 (stmt, 7, now);
          sqlite3_bind_text (stmt, 8, by, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 11, relais_db_mail_empty_to_null (it->parcel_note), -1, SQLITE_STATIC);
          if (ended != NULL)
            {
              sqlite3_bind_int64 (stmt, 9, now);
              sqlite3_bind_text (stmt, 10, ended, -1, SQLITE_STATIC);
            }
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
              return NULL;
            }
        }
      /* Nobody to tell: the letters go back at once. */
      if (ended == NULL && !g_hash_table_contains (seen, p->number))
        {
          g_hash_table_add (seen, p->number);
          g_ptr_array_add (touched, g_steal_pointer (&p));
        }
    }
  for (gsize i = 0; i < n_unknown; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "INSERT INTO mail_unknown (batch_id, name, count, registered_at) VALUES (?1, ?2, ?3, ?4)", error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, batch_id);
      sqlite3_bind_text (stmt, 2, unknown[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, unknown[i].count);
      sqlite3_bind_int64 (stmt, 4, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return NULL;
        }
    }
  /* One message per person, saying all that waits for them. */
  for (guint i = 0; i < touched->len; i++)
    {
      RelaisMailPerson *stale = g_ptr_array_index (touched, i);
      g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get_by_id (db, stale->id, error);

      if (p == NULL
          || !relais_db_mail_queue_notice (db, p, "batch", p->waiting == 1 ? "batch-one" : "batch-many", p->waiting,
                                           NULL, NULL, site, now, error))
        return NULL;
    }
  return batch_letters (db, batch_id, error);
}

/* 12: a batch's key is bound to what it registered (a SHA-256 of its
 * items): the same key with other letters is refused, not taken for a
 * duplicate. Batches from before have none and stay replayable. */
const char relais_db_mail_hub_migration_batch_hash[] =
    "ALTER TABLE mail_batches ADD COLUMN request_hash TEXT;";

static void
checksum_field (GChecksum  *checksum,
                const char *text)
{
  /* NULL and "" differ; the separators cannot appear in the text. */
  if (text != NULL)
    g_checksum_update (checksum, (const guchar *) text, -1);
  g_checksum_update (checksum, (const guchar *) (text != NULL ? "\x1f" : "\x1e"), 1);
}

static char *
batch_hash (const RelaisMailItem    *items,
            gsize                    n_items,
            const RelaisMailUnknown *unknown,
            gsize                    n_unknown)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (gsize i = 0; i < n_items; i++)
    {
      g_autofree char *numbers = g_strdup_printf ("%d %d", items[i].count, items[i].urgent ? 1 : 0);

      checksum_field (checksum, items[i].number);
      checksum_field (checksum, items[i].kind);
      checksum_field (checksum, numbers);
      checksum_field (checksum, items[i].tracking);
      checksum_field (checksum, items[i].sender);
      /* Only when given, so the batches of before keep the hash they
       * had; behind a mark no token or text can hold. */
      if (relais_db_mail_empty_to_null (items[i].parcel_note) != NULL)
        {
          checksum_field (checksum, "\x1d");
          checksum_field (checksum, items[i].parcel_note);
        }
    }
  checksum_field (checksum, "unknown");
  for (gsize i = 0; i < n_unknown; i++)
    {
      g_autofree char *n = g_strdup_printf ("%d", unknown[i].count);

      checksum_field (checksum, unknown[i].name);
      checksum_field (checksum, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

GPtrArray *
relais_db_mail_register (RelaisDb                *db,
                         const char              *key,
                         const char              *by,
                         const RelaisMailItem    *items,
                         gsize                    n_items,
                         const RelaisMailUnknown *unknown,
                         gsize                    n_unknown,
                         const RelaisMailSite    *site,
                         gint64                   now,
                         gboolean                *duplicate,
                         GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64           batch_id;

  g_return_val_if_fail (db != NULL && key != NULL && by != NULL && site != NULL && duplicate != NULL, NULL);

  *duplicate = FALSE;
  if (!relais_db_mail_token_valid (key, 128))
    {
      relais_db_mail_set_invalid (error, "Clé de lot invalide.");
      return NULL;
    }
  if (!items_valid (items, n_items, unknown, n_unknown, error))
    return NULL;
  hash = batch_hash (items, n_items, unknown, n_unknown);
  if (!relais_db_savepoint (db, error))
    return NULL;
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_batches (key, registered_by, registered_at, request_hash)"
                            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO NOTHING",
                            error);
  if (stmt == NULL)
    return relais_db_savepoint_release (db, NULL, error);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return relais_db_savepoint_release (db, NULL, NULL);
    }
  if (sqlite3_changes (db->handle) == 0)
    {
      g_autoptr(sqlite3_stmt) old = NULL;

      g_clear_pointer (&stmt, relais_db_stmt_release);
      old = relais_db_prepare (db, "SELECT id, request_hash IS NULL OR request_hash = ?2 FROM mail_batches"
                                   " WHERE key = ?1",
                               error);
      if (old == NULL)
        return relais_db_savepoint_release (db, NULL, NULL);
      sqlite3_bind_text (old, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (old, 2, hash, -1, SQLITE_STATIC);
      if (sqlite3_step (old) != SQLITE_ROW)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return relais_db_savepoint_release (db, NULL, NULL);
        }
      if (sqlite3_column_int (old, 1) != 1)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_KEY_REUSED,
                       "Ce lot (clé « %s ») a déjà été enregistré avec d'autres lettres : rien n'est enregistré. "
                       "Un nouveau lot prend une nouvelle clé.",
                       key);
          return relais_db_savepoint_release (db, NULL, NULL);
        }
      batch_id = sqlite3_column_int64 (old, 0);
      *duplicate = TRUE;
      return relais_db_savepoint_release (db, batch_letters (db, batch_id, error), error);
    }
  batch_id = sqlite3_last_insert_rowid (db->handle);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  return relais_db_savepoint_release (db, register_in_savepoint (db, batch_id, by, items, n_items, unknown, n_unknown, site, now, error),
                                      error);
}

GPtrArray *
relais_db_mail_registered_between (RelaisDb *db,
                                   gint64    from_ms,
                                   gint64    to_ms,
                                   guint     limit,
                                   GError  **error)
{
  /* In the cabinet's order: by user number (shorter first, so that 99
   * comes before 100), then by letter. */
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " LETTER_COLUMNS " WHERE l.registered_at >= ?1 AND l.registered_at < ?2"
                                                     " ORDER BY length (p.number), p.number, l.id LIMIT ?3",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  sqlite3_bind_int64 (stmt, 3, limit);
  return letters_from (db, stmt, error);
}

GPtrArray *
relais_db_mail_waiting (RelaisDb   *db,
                        const char *number,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " LETTER_COLUMNS " WHERE p.number = ?1 AND l.handed_at IS NULL AND l.returned_at IS NULL"
                                                     "  AND l.return_due_at IS NULL"
                                                     " ORDER BY l.urgent DESC, l.id",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return letters_from (db, stmt, error);
}

static gboolean
hand_in_savepoint (RelaisDb               *db,
                   const RelaisMailPerson *p,
                   const gint64           *ids,
                   gsize                   n_ids,
                   gint64                  proxy_id,
                   const char             *to,
                   const char             *by,
                   gint64                  now,
                   GError                **error)
{
  if (n_ids == 0)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "UPDATE mail_letters SET handed_at = ?2, handed_by = ?3, handed_to = ?4, proxy_id = ?5"
                                                         " WHERE person_id = ?1 AND handed_at IS NULL AND returned_at IS NULL"
                                                         "  AND return_due_at IS NULL",
                                                         error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, p->id);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_text (stmt, 3, by, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, to, -1, SQLITE_STATIC);
      if (proxy_id != 0)
        sqlite3_bind_int64 (stmt, 5, proxy_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      if (sqlite3_changes (db->handle) == 0)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                       "Aucun courrier n'attend %s.", p->number);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n_ids; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "UPDATE mail_letters SET handed_at = ?3, handed_by = ?4, handed_to = ?5, proxy_id = ?6"
                                                         " WHERE id = ?1 AND person_id = ?2 AND handed_at IS NULL AND returned_at IS NULL"
                                                         "  AND return_due_at IS NULL",
                                                         error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, p->id);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_text (stmt, 4, by, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, to, -1, SQLITE_STATIC);
      if (proxy_id != 0)
        sqlite3_bind_int64 (stmt, 6, proxy_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      if (sqlite3_changes (db->handle) == 0)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                       "Le courrier n° %" G_GINT64_FORMAT " n'attend pas %s (déjà remis, sur la liste des retours ou à quelqu'un d'autre).",
                       ids[i], p->number);
          return FALSE;
        }
    }
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "UPDATE mail_people SET last_contact_at = ?2, last_contact_kind = 'pickup' WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, p->id);
    sqlite3_bind_int64 (stmt, 2, now);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  }
  return TRUE;
}

GPtrArray *
relais_db_mail_hand_over (RelaisDb     *db,
                          const char   *number,
                          const gint64 *ids,
                          gsize         n_ids,
                          gint64        proxy_id,
                          const char   *by,
                          const char   *today,
                          gint64        now,
                          GError      **error)
{
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autofree char *to = g_strdup ("person");
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && number != NULL && by != NULL && today != NULL, NULL);

  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL)
    return NULL;
  if (proxy_id != 0)
    {
      g_autoptr(GPtrArray) proxies = relais_db_mail_proxies (db, number, today, error);
      RelaisMailProxy *proxy = NULL;

      if (proxies == NULL)
        return NULL;
      for (guint i = 0; i < proxies->len; i++)
        if (((RelaisMailProxy *) g_ptr_array_index (proxies, i))->id == proxy_id)
          proxy = g_ptr_array_index (proxies, i);
      if (proxy == NULL)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                       "Ce mandataire n'a pas de procuration pour %s.", number);
          return NULL;
        }
      if (!proxy->valid)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                       "La procuration de %s n'est pas valable aujourd'hui (du %s au %s) : "
                       "remettez le courrier à la personne elle-même.",
                       proxy->name, proxy->authorised_on, proxy->ends_on != NULL ? proxy->ends_on : "…");
          return NULL;
        }
      g_free (to);
      to = g_strdup (proxy->name);
    }
  if (!relais_db_savepoint (db, error))
    return NULL;
  if (!relais_db_savepoint_release (db, GINT_TO_POINTER (hand_in_savepoint (db, p, ids, n_ids, proxy_id, to, by, now, error)),
                                    error))
    return NULL;
  stmt = relais_db_prepare (db,
                            "SELECT " LETTER_COLUMNS " WHERE l.person_id = ?1 AND l.handed_at = ?2 ORDER BY l.id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_int64 (stmt, 2, now);
  return letters_from (db, stmt, error);
}

/* ---- reminders and returns ---- */

static int
reminders_in_savepoint (RelaisDb             *db,
                        gint64                now,
                        gint64                interval_ms,
                        int                   max_reminders,
                        const RelaisMailSite *site,
                        GError              **error)
{
  g_autoptr(GArray) people = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  int queued = 0;

  /* Letters reminded enough, and given one more interval: to return. */
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "UPDATE mail_letters SET return_due_at = ?1,"
                                                       "  return_reason = 'non retiré après ' || reminders || ' rappels'"
                                                       " WHERE handed_at IS NULL AND returned_at IS NULL AND return_due_at IS NULL"
                                                       "  AND reminders >= ?3 AND coalesce (last_reminder_at, registered_at) + ?2 <= ?1",
                                                       error);

    if (stmt == NULL)
      return -1;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, interval_ms);
    sqlite3_bind_int (stmt, 3, max_reminders);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return -1;
      }
  }
  /* Whom to remind, and of how many letters. */
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "SELECT person_id, count(*) FROM mail_letters"
                                                       " WHERE handed_at IS NULL AND returned_at IS NULL AND return_due_at IS NULL"
                                                       "  AND reminders < ?3 AND coalesce (last_reminder_at, registered_at) + ?2 <= ?1"
                                                       " GROUP BY person_id",
                                                       error);
    int rc;

    if (stmt == NULL)
      return -1;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, interval_ms);
    sqlite3_bind_int (stmt, 3, max_reminders);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        gint64 n = sqlite3_column_int64 (stmt, 1);

        g_array_append_val (people, id);
        g_array_append_val (counts, n);
      }
    if (rc != SQLITE_DONE)
      {
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return -1;
      }
  }
  for (guint i = 0; i < people->len; i++)
    {
      gint64 id = g_array_index (people, gint64, i);
      gint64 n = g_array_index (counts, gint64, i);
      g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get_by_id (db, id, error);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (p == NULL
          || !relais_db_mail_queue_notice (db, p, "reminder", n == 1 ? "reminder-one" : "reminder-many", n,
                                           NULL, NULL, site, now, error))
        return -1;
      stmt = relais_db_prepare (db,
                                "UPDATE mail_letters SET reminders = reminders + 1, last_reminder_at = ?1"
                                " WHERE person_id = ?4 AND handed_at IS NULL AND returned_at IS NULL AND return_due_at IS NULL"
                                "  AND reminders < ?3 AND coalesce (last_reminder_at, registered_at) + ?2 <= ?1",
                                error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, interval_ms);
      sqlite3_bind_int (stmt, 3, max_reminders);
      sqlite3_bind_int64 (stmt, 4, id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return -1;
        }
      queued++;
    }
  /* Domiciliations past their end stop notices. */
  {
    g_autofree char *today = relais_db_mail_today_of (now);
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "UPDATE mail_people SET state = 'expired' WHERE state = 'granted' AND active_to < ?1", error);

    if (stmt == NULL)
      return -1;
    sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return -1;
      }
  }
  return queued;
}

int
relais_db_mail_run_reminders (RelaisDb             *db,
                              gint64                now,
                              gint64                interval_ms,
                              int                   max_reminders,
                              const RelaisMailSite *site,
                              GError              **error)
{
  int queued;

  g_return_val_if_fail (db != NULL && site != NULL && interval_ms > 0, -1);

  if (!relais_db_savepoint (db, error))
    return -1;
  queued = reminders_in_savepoint (db, now, interval_ms, max_reminders, site, error);
  if (relais_db_savepoint_release (db, queued >= 0 ? GINT_TO_POINTER (1) : NULL, queued >= 0 ? error : NULL) == NULL)
    return -1;
  return queued;
}

GPtrArray *
relais_db_mail_to_return (RelaisDb *db,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT " LETTER_COLUMNS " WHERE l.return_due_at IS NOT NULL AND l.returned_at IS NULL"
                                                     "  AND l.handed_at IS NULL ORDER BY l.return_due_at, l.id",
                                                     error);

  if (stmt == NULL)
    return NULL;
  return letters_from (db, stmt, error);
}

gboolean
relais_db_mail_confirm_return (RelaisDb   *db,
                               gint64      id,
                               const char *by,
                               gint64      now,
                               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "UPDATE mail_letters SET returned_at = ?2, returned_by = ?3"
                                                     " WHERE id = ?1 AND return_due_at IS NOT NULL AND returned_at IS NULL AND handed_at IS NULL",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, by, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                   "Le courrier n° %" G_GINT64_FORMAT " n'est pas sur la liste des retours.", id);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
relais_db_mail_unknown_list (RelaisDb *db,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT id, name, count, registered_at FROM mail_unknown WHERE returned_at IS NULL ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  return relais_db_rows_of_strings (db, stmt, 4, error);
}

/* ---- statistics ---- */

GPtrArray *
relais_db_mail_stats (RelaisDb *db,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT strftime ('%Y-%m', registered_at / 1000, 'unixepoch', 'localtime') AS month, kind,"
                                                     "  count(*), count(handed_at), count(returned_at), sum(reminders),"
                                                     "  printf ('%.1f', coalesce (avg ((handed_at - registered_at) / 86400000.0), 0))"
                                                     " FROM mail_letters GROUP BY month, kind ORDER BY month, kind",
                                                     error);

  if (stmt == NULL)
    return NULL;
  return relais_db_rows_of_strings (db, stmt, 7, error);
}

/* ---- figures of a period ---- */

static void
figures_row_clear (RelaisMailFiguresRow *row)
{
  g_free (row->kind);
}

static void
figures_row_free (RelaisMailFiguresRow *row)
{
  figures_row_clear (row);
  g_free (row);
}

void
relais_mail_figures_free (RelaisMailFigures *figures)
{
  if (figures == NULL)
    return;
  figures_row_clear (&figures->totals);
  g_clear_pointer (&figures->kinds, g_ptr_array_unref);
  g_free (figures);
}

/* Local midnight of @day, in ms. */
static gboolean
day_start_ms (const char *day, int add_days, gint64 *ms)
{
  int y, m, d;
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  if (!relais_db_mail_date_valid (day) || sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return FALSE;
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (t == NULL || (shifted = g_date_time_add_days (t, add_days)) == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (shifted) * 1000;
  return TRUE;
}

RelaisMailFigures *
relais_db_mail_figures (RelaisDb   *db,
                        const char *from,
                        const char *to,
                        GError    **error)
{
  g_autoptr(RelaisMailFigures) f = g_new0 (RelaisMailFigures, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  double handed_days = 0;
  gint64 start, end;
  int    rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (!day_start_ms (from, 0, &start) || !day_start_ms (to, 1, &end) || start >= end)
    {
      relais_db_mail_set_invalid (error, "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ.");
      return NULL;
    }
  f->kinds = g_ptr_array_new_with_free_func ((GDestroyNotify) figures_row_free);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      RelaisMailFiguresRow *row = g_new0 (RelaisMailFiguresRow, 1);

      row->kind = g_strdup (kinds[i].id);
      g_ptr_array_add (f->kinds, row);
    }
  /* Each figure counts what happened in the period: a letter registered
   * in March and handed over in April counts in both months. */
  stmt = relais_db_prepare (db,
                            "SELECT kind,"
                            "  sum (registered_at >= ?1 AND registered_at < ?2),"
                            "  sum (handed_at >= ?1 AND handed_at < ?2),"
                            "  sum (returned_at >= ?1 AND returned_at < ?2),"
                            "  coalesce (sum (CASE WHEN handed_at >= ?1 AND handed_at < ?2"
                            "                 THEN (handed_at - registered_at) / 86400000.0 END), 0)"
                            " FROM mail_letters"
                            " WHERE (registered_at >= ?1 AND registered_at < ?2) OR (handed_at >= ?1 AND handed_at < ?2)"
                            "  OR (returned_at >= ?1 AND returned_at < ?2)"
                            " GROUP BY kind",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; i < f->kinds->len; i++)
        {
          RelaisMailFiguresRow *row = g_ptr_array_index (f->kinds, i);
          double                days = sqlite3_column_double (stmt, 4);

          if (g_strcmp0 (row->kind, kind) != 0)
            continue;
          row->registered = sqlite3_column_int64 (stmt, 1);
          row->handed = sqlite3_column_int64 (stmt, 2);
          row->returned = sqlite3_column_int64 (stmt, 3);
          row->avg_days = row->handed > 0 ? days / row->handed : 0;
          f->totals.registered += row->registered;
          f->totals.handed += row->handed;
          f->totals.returned += row->returned;
          handed_days += days;
        }
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  f->totals.avg_days = f->totals.handed > 0 ? handed_days / f->totals.handed : 0;
  g_clear_pointer (&stmt, relais_db_stmt_release);
  /* Reminders are messages queued, one per person and round. */
  stmt = relais_db_prepare (db,
                            "SELECT coalesce (sum (reason = 'reminder'), 0), coalesce (sum (reason = 'expiry'), 0)"
                            " FROM mail_notices WHERE created_at >= ?1 AND created_at < ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  f->reminders = sqlite3_column_int64 (stmt, 0);
  f->expiry_reminders = sqlite3_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  stmt = relais_db_prepare (db,
                            "SELECT coalesce (sum (count), 0) FROM mail_unknown WHERE registered_at >= ?1 AND registered_at < ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  f->unknown = sqlite3_column_int64 (stmt, 0);
  return g_steal_pointer (&f);
}
