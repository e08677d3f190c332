/* relais-db-mail.c: mail for domiciled people (hub) and the kiosk's hashed
 * snapshot (station). */

#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

/* Hub migration: people, decisions, proxies, batches, letters, the
 * "not domiciled here" list, templates and the notification outbox. The
 * FTS5 trigram index (SQLite ≥ 3.34) over accent-folded names serves the
 * type-ahead; the B-tree on folded serves prefixes of 1-2 letters, which
 * trigrams cannot. */
const char relais_db_mail_hub_migration[] =
    "CREATE TABLE mail_people ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  surname TEXT NOT NULL,"
    "  first_names TEXT NOT NULL,"
    "  birth_date TEXT NOT NULL,"
    "  phone TEXT,"
    "  email TEXT,"
    "  notify TEXT NOT NULL DEFAULT 'sms' CHECK (notify IN ('sms', 'email', 'none')),"
    "  card_id TEXT UNIQUE,"
    "  language TEXT NOT NULL DEFAULT 'fr',"
    "  last_met_by TEXT,"
    "  last_met_phone TEXT,"
    "  folded TEXT NOT NULL,"
    "  name_key TEXT NOT NULL,"
    "  sound_key TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'none' CHECK (state IN ('none', 'applied', 'granted', 'refused', 'adjourned', 'expired', 'radiated')),"
    "  active_from TEXT,"
    "  active_to TEXT,"
    "  expiry_notices INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  last_contact_at INTEGER);"
    "CREATE INDEX mail_people_folded ON mail_people (folded);"
    "CREATE INDEX mail_people_name_key ON mail_people (name_key);"
    "CREATE INDEX mail_people_sound_key ON mail_people (sound_key);"
    "CREATE VIRTUAL TABLE mail_people_fts USING fts5 (folded, content='mail_people', content_rowid='id', tokenize='trigram');"
    "CREATE TRIGGER mail_people_ai AFTER INSERT ON mail_people BEGIN"
    "  INSERT INTO mail_people_fts (rowid, folded) VALUES (new.id, new.folded); END;"
    "CREATE TRIGGER mail_people_ad AFTER DELETE ON mail_people BEGIN"
    "  INSERT INTO mail_people_fts (mail_people_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END;"
    "CREATE TRIGGER mail_people_au AFTER UPDATE OF folded ON mail_people BEGIN"
    "  INSERT INTO mail_people_fts (mail_people_fts, rowid, folded) VALUES ('delete', old.id, old.folded);"
    "  INSERT INTO mail_people_fts (rowid, folded) VALUES (new.id, new.folded); END;"
    "CREATE TABLE mail_decisions ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES mail_people (id),"
    "  decision TEXT NOT NULL CHECK (decision IN ('applied', 'granted', 'refused', 'adjourned', 'radiated')),"
    "  missing TEXT,"
    "  active_from TEXT,"
    "  active_to TEXT,"
    "  decided_by TEXT NOT NULL,"
    "  decided_at INTEGER NOT NULL);"
    "CREATE TABLE mail_proxies ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES mail_people (id),"
    "  name TEXT NOT NULL,"
    "  authorised_on TEXT NOT NULL,"
    "  id_copies TEXT NOT NULL,"
    "  ends_on TEXT,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX mail_proxies_person ON mail_proxies (person_id);"
    "CREATE TABLE mail_batches ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  registered_by TEXT NOT NULL,"
    "  registered_at INTEGER NOT NULL);"
    "CREATE TABLE mail_letters ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES mail_people (id),"
    "  batch_id INTEGER NOT NULL REFERENCES mail_batches (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'registered', 'court', 'social', 'tax', 'other')),"
    "  tracking TEXT,"
    "  sender TEXT,"
    "  urgent INTEGER NOT NULL DEFAULT 0,"
    "  registered_at INTEGER NOT NULL,"
    "  registered_by TEXT NOT NULL,"
    "  handed_at INTEGER,"
    "  handed_by TEXT,"
    "  handed_to TEXT,"
    "  proxy_id INTEGER REFERENCES mail_proxies (id),"
    "  reminders INTEGER NOT NULL DEFAULT 0,"
    "  last_reminder_at INTEGER,"
    "  return_due_at INTEGER,"
    "  return_reason TEXT,"
    "  returned_at INTEGER,"
    "  returned_by TEXT);"
    "CREATE INDEX mail_letters_waiting ON mail_letters (person_id) WHERE handed_at IS NULL AND returned_at IS NULL;"
    "CREATE INDEX mail_letters_batch ON mail_letters (batch_id);"
    "CREATE INDEX mail_letters_handed ON mail_letters (person_id, handed_at);"
    "CREATE TABLE mail_unknown ("
    "  id INTEGER PRIMARY KEY,"
    "  batch_id INTEGER NOT NULL REFERENCES mail_batches (id),"
    "  name TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  registered_at INTEGER NOT NULL,"
    "  returned_at INTEGER);"
    "CREATE TABLE mail_templates ("
    "  name TEXT NOT NULL,"
    "  language TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (name, language));"
    "INSERT INTO mail_templates (name, language, body) VALUES"
    "  ('subject', 'fr', 'Votre courrier à {place}'),"
    "  ('batch-one', 'fr', 'Bonjour, 1 courrier vous attend à {place}. Retrait {hours}.'),"
    "  ('batch-many', 'fr', 'Bonjour, {count} courriers vous attendent à {place}. Retrait {hours}.'),"
    "  ('reminder-one', 'fr', 'Rappel : 1 courrier vous attend à {place}. Retrait {hours}. Sans retrait, il sera renvoyé à l''expéditeur.'),"
    "  ('reminder-many', 'fr', 'Rappel : {count} courriers vous attendent à {place}. Retrait {hours}. Sans retrait, ils seront renvoyés à l''expéditeur.'),"
    "  ('decision-granted', 'fr', 'Bonjour, votre domiciliation à {place} est accordée jusqu''au {date}. Votre numéro : {number}.'),"
    "  ('decision-refused', 'fr', 'Bonjour, votre demande de domiciliation à {place} est refusée. Passez à l''accueil ({hours}) pour la décision écrite et les recours.'),"
    "  ('decision-adjourned', 'fr', 'Bonjour, il manque un document pour votre domiciliation : {missing}. Apportez-le à {place}, {hours}.'),"
    "  ('decision-radiated', 'fr', 'Bonjour, votre domiciliation à {place} a pris fin. Passez à l''accueil ({hours}) pour en savoir plus.'),"
    "  ('subject', 'en', 'Your mail at {place}'),"
    "  ('batch-one', 'en', 'Hello, 1 letter is waiting for you at {place}. Pickup {hours}.'),"
    "  ('batch-many', 'en', 'Hello, {count} letters are waiting for you at {place}. Pickup {hours}.'),"
    "  ('reminder-one', 'en', 'Reminder: 1 letter is waiting for you at {place}. Pickup {hours}. If not collected, it goes back to the sender.'),"
    "  ('reminder-many', 'en', 'Reminder: {count} letters are waiting for you at {place}. Pickup {hours}. If not collected, they go back to the sender.');"
    "CREATE TABLE mail_notices ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES mail_people (id),"
    "  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),"
    "  recipient TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  sent_at INTEGER);"
    "CREATE INDEX mail_notices_due ON mail_notices (next_attempt_at) WHERE status = 'pending';"
    "CREATE INDEX mail_notices_person ON mail_notices (person_id);"
    "CREATE TABLE mail_settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);";

/* Hub migration: sex and household type on the person, for the annual
 * activity report (both optional: never asked of anyone who would
 * rather not say). */
const char * const relais_mail_sexes[] = { "female", "male", "other", NULL };
const char * const relais_mail_households[] = { "single", "couple", "single-parent", "couple-children", "other", NULL };
const char         relais_db_mail_hub_migration_profile[] =
    "ALTER TABLE mail_people ADD COLUMN sex TEXT CHECK (sex IN ('female', 'male', 'other'));"
    "ALTER TABLE mail_people ADD COLUMN household TEXT"
    "  CHECK (household IN ('single', 'couple', 'single-parent', 'couple-children', 'other'));";

/* Station migration (second step): the end of the domiciliation, to say
 * at the kiosk when to ask for its renewal. */
const char relais_db_mail_station_migration_ends[] =
    "ALTER TABLE mail_kiosk ADD COLUMN active_to TEXT;";

/* Station migration: the kiosk's snapshot, hashed (no number, no name). */
const char relais_db_mail_station_migration[] =
    "CREATE TABLE mail_kiosk ("
    "  hash TEXT PRIMARY KEY,"
    "  waiting INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE mail_kiosk_meta ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  salt TEXT NOT NULL,"
    "  hours TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL);";

/* Hub migration (second step): the message telling a person their
 * domiciliation is about to end. */
const char relais_db_mail_hub_migration_expiry[] =
    "INSERT INTO mail_templates (name, language, body) VALUES"
    "  ('expiry', 'fr', 'Bonjour, votre domiciliation à {place} se termine le {date}. Pour la renouveler, venez à l''accueil ({hours}) avec votre carte.'),"
    "  ('expiry', 'en', 'Hello, your postal address at {place} ends on {date}. To renew it, come to the front desk ({hours}) with your card.');"
    "CREATE INDEX mail_people_state ON mail_people (state, active_to);";

/* ---- frees ---- */

void
relais_mail_person_free (RelaisMailPerson *p)
{
  if (p == NULL)
    return;
  g_free (p->number);
  g_free (p->surname);
  g_free (p->first_names);
  g_free (p->birth_date);
  g_free (p->phone);
  g_free (p->email);
  g_free (p->notify);
  g_free (p->card_id);
  g_free (p->language);
  g_free (p->last_met_by);
  g_free (p->last_met_phone);
  g_free (p->sex);
  g_free (p->household);
  g_free (p->state);
  g_free (p->active_to);
  g_free (p->last_contact);
  g_free (p->via_proxy);
  g_free (p->last_contact_kind);
  g_free (p->forward_address);
  g_free (p->forward_from);
  g_free (p);
}

void
relais_mail_letter_free (RelaisMailLetter *l)
{
  if (l == NULL)
    return;
  g_free (l->number);
  g_free (l->person);
  g_free (l->kind);
  g_free (l->tracking);
  g_free (l->sender);
  g_free (l->registered_by);
  g_free (l->handed_by);
  g_free (l->handed_to);
  g_free (l->return_reason);
  g_free (l->notice_deadline);
  g_free (l->parcel_note);
  g_free (l);
}

void
relais_mail_proxy_free (RelaisMailProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_free (proxy->name);
  g_free (proxy->authorised_on);
  g_free (proxy->id_copies);
  g_free (proxy->ends_on);
  g_free (proxy);
}

void
relais_mail_notice_free (RelaisMailNotice *n)
{
  if (n == NULL)
    return;
  g_free (n->number);
  g_free (n->channel);
  g_free (n->recipient);
  g_free (n->subject);
  g_free (n->body);
  g_free (n->reason);
  g_free (n->status);
  g_free (n->last_error);
  g_free (n);
}

void
relais_mail_snapshot_entry_free (RelaisMailSnapshotEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->number);
  g_free (entry->birth_date);
  g_free (entry->card_id);
  g_free (entry->active_to);
  g_free (entry);
}

/* ---- small checks ---- */

gboolean
relais_db_mail_set_invalid (GError **error, const char *message)
{
  g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, message);
  return FALSE;
}

gboolean
relais_db_mail_date_valid (const char *date)
{
  int  y, m, d;
  char tail;

  return date != NULL && strlen (date) == 10
         && sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
         && g_date_valid_dmy (d, m, y) && y >= 1900;
}

/* Letters, digits and hyphens: numbers, card ids, languages. */
gboolean
relais_db_mail_token_valid (const char *text, gsize max)
{
  gsize n = text != NULL ? strlen (text) : 0;

  if (n == 0 || n > max)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
phone_valid (const char *phone)
{
  gsize digits = 0;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '.' && *p != '+' && *p != '-')
        return FALSE;
    }
  return digits >= 6 && digits <= 15;
}

/* No spaces or line breaks: the address goes into an SMTP envelope and a
 * mail header. */
static gboolean
email_valid (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL || strlen (email) > 254)
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"' || *p == 0x7f)
      return FALSE;
  return strchr (at, '.') != NULL;
}

gboolean
relais_db_mail_free_text_valid (const char *text, gsize max)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > (glong) max)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < ' ')
      return FALSE;
  return TRUE;
}

const char *
relais_db_mail_empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

char *
relais_db_mail_today_of (gint64 now_ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (now_ms / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

/* ---- people ---- */

RelaisMailPerson *
relais_db_mail_person_from_row (sqlite3_stmt *stmt)
{
  RelaisMailPerson *p = g_new0 (RelaisMailPerson, 1);

  p->id = sqlite3_column_int64 (stmt, 0);
  p->number = relais_db_column_dup (stmt, 1);
  p->surname = relais_db_column_dup (stmt, 2);
  p->first_names = relais_db_column_dup (stmt, 3);
  p->birth_date = relais_db_column_dup (stmt, 4);
  p->phone = relais_db_column_dup (stmt, 5);
  p->email = relais_db_column_dup (stmt, 6);
  p->notify = relais_db_column_dup (stmt, 7);
  p->card_id = relais_db_column_dup (stmt, 8);
  p->language = relais_db_column_dup (stmt, 9);
  p->last_met_by = relais_db_column_dup (stmt, 10);
  p->last_met_phone = relais_db_column_dup (stmt, 11);
  p->state = relais_db_column_dup (stmt, 12);
  p->active_to = relais_db_column_dup (stmt, 13);
  p->waiting = sqlite3_column_int64 (stmt, 14);
  p->last_contact = relais_db_column_dup (stmt, 15);
  p->sex = relais_db_column_dup (stmt, 16);
  p->household = relais_db_column_dup (stmt, 17);
  p->last_contact_kind = relais_db_column_dup (stmt, 18);
  p->npai = sqlite3_column_int (stmt, 19) != 0;
  p->forward_address = relais_db_column_dup (stmt, 20);
  p->forward_from = relais_db_column_dup (stmt, 21);
  return p;
}

static RelaisMailPerson *
person_step (RelaisDb     *db,
             sqlite3_stmt *stmt,
             const char   *what,
             GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return relais_db_mail_person_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                 "Personne inconnue : %s. Vérifiez le numéro ou cherchez par le nom.", what);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

RelaisMailPerson *
relais_db_mail_person_get (RelaisDb   *db,
                           const char *number,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  stmt = relais_db_prepare (db, "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.number = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return person_step (db, stmt, number, error);
}

/* The person's row id from their number, or 0 with NOT_FOUND set. */
gint64
relais_db_mail_person_id (RelaisDb   *db,
                          const char *number,
                          GError    **error)
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

RelaisMailPerson *
relais_db_mail_person_get_by_id (RelaisDb *db,
                                 gint64    id,
                                 GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return person_step (db, stmt, "?", error);
}

RelaisMailPerson *
relais_db_mail_person_by_card (RelaisDb   *db,
                               const char *card,
                               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && card != NULL, NULL);

  stmt = relais_db_prepare (db,
                            "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.card_id = ?1"
                            " UNION ALL SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.number = ?1"
                            " LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, card, -1, SQLITE_STATIC);
  return person_step (db, stmt, card, error);
}

/* The key two people share when they are homonyms: surname and first
 * first name, folded. */
static char *
name_key_of (const char *surname, const char *first_names)
{
  g_autofree char *s = relais_mail_fold (surname);
  g_autofree char *f = relais_mail_fold (first_names);
  gsize            n = strcspn (f, " ");

  return g_strdup_printf ("%s|%.*s", s, (int) n, f);
}

gboolean
relais_db_mail_person_check (const RelaisMailPerson *in,
                             GError                **error)
{
  const char *notify = in->notify != NULL ? in->notify : "sms";
  const char *phone = relais_db_mail_empty_to_null (in->phone);
  const char *email = relais_db_mail_empty_to_null (in->email);
  const char *card = relais_db_mail_empty_to_null (in->card_id);
  const char *language = in->language != NULL && *in->language != '\0' ? in->language : "fr";
  const char *sex, *household;

  g_return_val_if_fail (in != NULL, FALSE);

  if (in->number == NULL || *in->number == '\0')
    return relais_db_mail_set_invalid (error, "Numéro d'usager obligatoire.");
  if (!relais_db_mail_token_valid (in->number, 32))
    return relais_db_mail_set_invalid (error, "Numéro d'usager invalide : chiffres, lettres et tirets, 32 au plus.");
  if (!relais_mail_name_valid (in->surname, "Nom", error)
      || !relais_mail_name_valid (in->first_names, "Prénom", error))
    return FALSE;
  /* The format is the API's (AAAA-MM-JJ): a console shows its own. */
  if (relais_db_mail_empty_to_null (in->birth_date) == NULL)
    return relais_db_mail_set_invalid (error, "Date de naissance obligatoire.");
  if (!relais_db_mail_date_valid (in->birth_date))
    return relais_db_mail_set_invalid (error, "Date de naissance invalide.");
  if (!g_str_equal (notify, "sms") && !g_str_equal (notify, "email") && !g_str_equal (notify, "none"))
    return relais_db_mail_set_invalid (error, "Préférence de notification : sms, email ou none.");
  if ((phone != NULL && !phone_valid (phone)) || (g_str_equal (notify, "sms") && phone == NULL))
    return relais_db_mail_set_invalid (error, "Téléphone invalide ou manquant (pour les SMS).");
  if ((email != NULL && !email_valid (email)) || (g_str_equal (notify, "email") && email == NULL))
    return relais_db_mail_set_invalid (error, "Adresse e-mail invalide ou manquante.");
  if ((card != NULL && !relais_db_mail_token_valid (card, 64)) || !relais_db_mail_token_valid (language, 8))
    return relais_db_mail_set_invalid (error, "Carte ou langue invalide : lettres, chiffres et tirets.");
  if (!relais_db_mail_free_text_valid (in->last_met_by, 100)
      || (relais_db_mail_empty_to_null (in->last_met_phone) != NULL && !phone_valid (in->last_met_phone)))
    return relais_db_mail_set_invalid (error, "« Dernier contact » : un nom (100 caractères au plus) et un téléphone.");

  sex = relais_db_mail_empty_to_null (in->sex);
  household = relais_db_mail_empty_to_null (in->household);
  if ((sex != NULL && !g_strv_contains (relais_mail_sexes, sex))
      || (household != NULL && !g_strv_contains (relais_mail_households, household)))
    return relais_db_mail_set_invalid (error, "Sexe (female, male, other) ou ménage (single, couple, single-parent,"
                                              " couple-children, other) invalide.");
  return TRUE;
}

RelaisMailPerson *
relais_db_mail_person_save (RelaisDb               *db,
                            const RelaisMailPerson *in,
                            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *name_key = NULL;
  g_autofree char *sound_key = NULL;
  g_autofree char *full = NULL;
  const char      *notify = in->notify != NULL ? in->notify : "sms";
  const char      *phone = relais_db_mail_empty_to_null (in->phone);
  const char      *email = relais_db_mail_empty_to_null (in->email);
  const char      *card = relais_db_mail_empty_to_null (in->card_id);
  const char      *language = in->language != NULL && *in->language != '\0' ? in->language : "fr";
  const char      *sex, *household;

  g_return_val_if_fail (db != NULL && in != NULL, NULL);

  if (!relais_db_mail_person_check (in, error))
    return NULL;
  sex = relais_db_mail_empty_to_null (in->sex);
  household = relais_db_mail_empty_to_null (in->household);

  full = g_strdup_printf ("%s %s", in->surname, in->first_names);
  folded = relais_mail_fold (full);
  name_key = name_key_of (in->surname, in->first_names);
  {
    /* Each part sounds on its own: "dupont|marie" as "dupont marie". */
    g_autofree char *spaced = g_strdelimit (g_strdup (name_key), "|", ' ');
    sound_key = relais_mail_sound_key (spaced);
  }
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_people (number, surname, first_names, birth_date, phone, email,"
                            "  notify, card_id, language, last_met_by, last_met_phone, folded, name_key,"
                            "  sound_key, created_at, sex, household)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
                            " ON CONFLICT (number) DO UPDATE SET surname = excluded.surname,"
                            "  first_names = excluded.first_names, birth_date = excluded.birth_date,"
                            "  phone = excluded.phone, email = excluded.email, notify = excluded.notify,"
                            "  card_id = excluded.card_id, language = excluded.language,"
                            "  last_met_by = excluded.last_met_by, last_met_phone = excluded.last_met_phone,"
                            "  folded = excluded.folded, name_key = excluded.name_key,"
                            "  sound_key = excluded.sound_key, sex = excluded.sex, household = excluded.household",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, in->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, in->surname, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, in->first_names, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, in->birth_date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, notify, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, card, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, language, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, relais_db_mail_empty_to_null (in->last_met_by), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, relais_db_mail_empty_to_null (in->last_met_phone), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, folded, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, name_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, sound_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 15, relais_db_now_ms ());
  sqlite3_bind_text (stmt, 16, sex, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, household, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if ((sqlite3_extended_errcode (db->handle) & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                     "La carte %s est déjà attribuée à une autre personne.", card);
      else
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  g_clear_pointer (&stmt, relais_db_stmt_release);
  return relais_db_mail_person_get (db, in->number, error);
}

/* ---- proxies ---- */

static gpointer
proxy_from_row (sqlite3_stmt *stmt,
                gpointer      data)
{
  RelaisMailProxy *proxy = g_new0 (RelaisMailProxy, 1);

  proxy->id = sqlite3_column_int64 (stmt, 0);
  proxy->name = relais_db_column_dup (stmt, 1);
  proxy->authorised_on = relais_db_column_dup (stmt, 2);
  proxy->id_copies = relais_db_column_dup (stmt, 3);
  proxy->ends_on = relais_db_column_dup (stmt, 4);
  proxy->valid = sqlite3_column_int (stmt, 5) != 0;
  return proxy;
}

GPtrArray *
relais_db_mail_proxies (RelaisDb   *db,
                        const char *number,
                        const char *today,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT x.id, x.name, x.authorised_on, x.id_copies, x.ends_on,"
                                                     "  x.authorised_on <= ?2 AND (x.ends_on IS NULL OR x.ends_on >= ?2)"
                                                     " FROM mail_proxies x JOIN mail_people p ON p.id = x.person_id WHERE p.number = ?1 ORDER BY x.id",
                                                     error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_STATIC);
  return relais_db_rows (db, stmt, proxy_from_row, NULL, (GDestroyNotify) relais_mail_proxy_free, error);
}

RelaisMailProxy *
relais_db_mail_proxy_add (RelaisDb   *db,
                          const char *number,
                          const char *name,
                          const char *authorised_on,
                          const char *id_copies,
                          const char *ends_on,
                          GError    **error)
{
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if (!relais_mail_name_valid (name, "Nom du mandataire", error))
    return NULL;
  if (!relais_db_mail_date_valid (authorised_on) || (relais_db_mail_empty_to_null (ends_on) != NULL && !relais_db_mail_date_valid (ends_on)))
    {
      relais_db_mail_set_invalid (error, "Dates de la procuration invalides : AAAA-MM-JJ.");
      return NULL;
    }
  if (relais_db_mail_empty_to_null (ends_on) != NULL && strcmp (ends_on, authorised_on) < 0)
    {
      relais_db_mail_set_invalid (error, "La procuration finit avant d'être signée.");
      return NULL;
    }
  if (relais_db_mail_empty_to_null (id_copies) == NULL || !relais_db_mail_free_text_valid (id_copies, 100))
    {
      relais_db_mail_set_invalid (error, "Notez les deux copies de pièces d'identité (« scannées », « au dossier »…).");
      return NULL;
    }
  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL)
    return NULL;
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_proxies (person_id, name, authorised_on, id_copies, ends_on, created_at,"
                            "  folded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, relais_fold (?2))",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, authorised_on, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, id_copies, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, relais_db_mail_empty_to_null (ends_on), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, relais_db_now_ms ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  {
    gint64 id = sqlite3_last_insert_rowid (db->handle);

    g_clear_pointer (&stmt, relais_db_stmt_release);
    all = relais_db_mail_proxies (db, number, authorised_on, error);
    for (guint i = 0; all != NULL && i < all->len; i++)
      if (((RelaisMailProxy *) g_ptr_array_index (all, i))->id == id)
        return g_ptr_array_steal_index (all, i);
  }
  return NULL;
}

/* ---- the kiosk ---- */

char *
relais_db_mail_salt (RelaisDb *db,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) get = relais_db_prepare (db, "SELECT value FROM mail_settings WHERE key = 'kiosk-salt'", error);
  int rc;

  if (get == NULL)
    return NULL;
  rc = sqlite3_step (get);
  if (rc == SQLITE_ROW)
    return relais_db_column_dup (get, 0);
  g_clear_pointer (&get, relais_db_stmt_release);
  {
    g_autoptr(sqlite3_stmt) put = relais_db_prepare (db,
                                                      "INSERT INTO mail_settings (key, value) VALUES ('kiosk-salt', ?1)", error);
    GString *salt = g_string_new (NULL);

    /* 128 bits from GLib's generator, seeded from /dev/urandom. */
    for (int i = 0; i < 4; i++)
      g_string_append_printf (salt, "%08x", g_random_int ());
    if (put == NULL)
      {
        g_string_free (salt, TRUE);
        return NULL;
      }
    sqlite3_bind_text (put, 1, salt->str, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (put) != SQLITE_DONE)
      {
        g_string_free (salt, TRUE);
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return NULL;
      }
    return g_string_free (salt, FALSE);
  }
}

static gpointer
snapshot_entry_from_row (sqlite3_stmt *stmt,
                         gpointer      data)
{
  RelaisMailSnapshotEntry *e = g_new0 (RelaisMailSnapshotEntry, 1);

  e->number = relais_db_column_dup (stmt, 0);
  e->birth_date = relais_db_column_dup (stmt, 1);
  e->card_id = relais_db_column_dup (stmt, 2);
  e->waiting = sqlite3_column_int64 (stmt, 3);
  e->active_to = relais_db_column_dup (stmt, 4);
  return e;
}

GPtrArray *
relais_db_mail_snapshot (RelaisDb *db,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT p.number, p.birth_date, p.card_id,"
                                                     "  (SELECT count(*) FROM mail_letters l WHERE l.person_id = p.id AND l.handed_at IS NULL AND l.returned_at IS NULL"
                                                     "   AND l.return_due_at IS NULL) AS waiting,"
                                                     "  CASE WHEN p.state = 'granted' THEN p.active_to END"
                                                     " FROM mail_people p WHERE p.state NOT IN ('refused', 'radiated') OR waiting > 0",
                                                     error);

  if (stmt == NULL)
    return NULL;
  return relais_db_rows (db, stmt, snapshot_entry_from_row, NULL, (GDestroyNotify) relais_mail_snapshot_entry_free, error);
}

char *
relais_mail_kiosk_hash (const char *salt,
                        const char *card_or_number,
                        const char *birth_date)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *message = NULL;
  char            *hex;

  g_return_val_if_fail (salt != NULL && card_or_number != NULL, NULL);

  message = birth_date != NULL ? g_strdup_printf ("number:%s|%s", card_or_number, birth_date)
                               : g_strdup_printf ("card:%s", card_or_number);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) salt, strlen (salt));
  g_hmac_update (hmac, (const guchar *) message, -1);
  hex = g_strdup (g_hmac_get_string (hmac));
  hex[32] = '\0';
  return hex;
}

static gboolean
kiosk_store_in_savepoint (RelaisDb           *db,
                          const char         *salt,
                          const char         *hours,
                          const char * const *hashes,
                          const gint64       *counts,
                          const char * const *ends,
                          gsize               n,
                          gint64              now,
                          GError            **error)
{
  if (!relais_db_exec (db, "DELETE FROM mail_kiosk", error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "INSERT OR REPLACE INTO mail_kiosk (hash, waiting, active_to) VALUES (?1, ?2, ?3)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, hashes[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, counts[i]);
      if (ends != NULL && ends[i] != NULL && relais_db_mail_date_valid (ends[i]))
        sqlite3_bind_text (stmt, 3, ends[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
    }
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                       "INSERT OR REPLACE INTO mail_kiosk_meta (id, salt, hours, updated_at) VALUES (1, ?1, ?2, ?3)", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, salt, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, hours, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, now);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  }
  return TRUE;
}

gboolean
relais_db_mail_kiosk_store (RelaisDb           *db,
                            const char         *salt,
                            const char         *hours,
                            const char * const *hashes,
                            const gint64       *counts,
                            const char * const *ends,
                            gsize               n,
                            gint64              now,
                            GError            **error)
{
  g_return_val_if_fail (db != NULL && salt != NULL && hours != NULL, FALSE);

  /* One transaction: the kiosk never reads half a snapshot. */
  if (!relais_db_begin (db, error))
    return FALSE;
  if (!kiosk_store_in_savepoint (db, salt, hours, hashes, counts, ends, n, now, error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

gint64
relais_db_mail_kiosk_lookup (RelaisDb   *db,
                             const char *hash,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT waiting FROM mail_kiosk WHERE hash = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return -1;
}

char *
relais_db_mail_kiosk_active_to (RelaisDb   *db,
                                const char *hash,
                                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT active_to FROM mail_kiosk WHERE hash = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return relais_db_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

gboolean
relais_db_mail_kiosk_meta (RelaisDb *db,
                           char    **salt,
                           char    **hours,
                           gint64   *updated_at,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT salt, hours, updated_at FROM mail_kiosk_meta WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "pas encore de liste du courrier");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (salt != NULL)
    *salt = relais_db_column_dup (stmt, 0);
  if (hours != NULL)
    *hours = relais_db_column_dup (stmt, 1);
  if (updated_at != NULL)
    *updated_at = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* ---- user numbers the hub gives ---- */

/* "{n}" or "{n:W}" once, W from 1 to 9, between a prefix and a suffix of
 * letters, digits and dashes (a number is a token). */
static gboolean
parse_number_format (const char *format,
                     char      **prefix,
                     char      **suffix,
                     int        *width,
                     GError    **error)
{
  const char      *open = format != NULL ? strstr (format, "{n") : NULL;
  const char      *close = open != NULL ? strchr (open, '}') : NULL;
  g_autofree char *head = NULL;

  *width = 0;
  if (open != NULL && close != NULL)
    {
      if (close == open + 2)
        *width = 1;
      else if (close == open + 4 && open[2] == ':' && open[3] >= '1' && open[3] <= '9')
        *width = open[3] - '0';
    }
  if (*width == 0 || strstr (close + 1, "{") != NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                   "Forme des numéros « %s » : il faut {n} (ou {n:4} pour 4 chiffres) une fois, par exemple A-{n:4}.",
                   format != NULL ? format : "");
      return FALSE;
    }
  head = g_strndup (format, open - format);
  if ((*head != '\0' && !relais_db_mail_token_valid (head, 16))
      || (close[1] != '\0' && !relais_db_mail_token_valid (close + 1, 16)))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                   "Forme des numéros « %s » : autour de {n}, seulement des lettres, des chiffres et des tirets.", format);
      return FALSE;
    }
  *prefix = g_steal_pointer (&head);
  *suffix = g_strdup (close + 1);
  return TRUE;
}

gboolean
relais_mail_number_format_valid (const char *format,
                                 GError    **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  int              width;

  return parse_number_format (format, &prefix, &suffix, &width, error);
}

char *
relais_db_mail_next_number (RelaisDb   *db,
                            const char *format,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint64          last = 0;
  int              width;
  int              rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (!parse_number_format (format, &prefix, &suffix, &width, error))
    return NULL;
  /* The numbers of this form, whatever their width: the highest + 1. */
  stmt = relais_db_prepare (db,
                            "SELECT number FROM mail_people"
                            " WHERE length (number) > length (?1) + length (?2)"
                            "  AND substr (number, 1, length (?1)) = ?1"
                            "  AND substr (number, length (number) - length (?2) + 1) = ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, suffix, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char      *number = (const char *) sqlite3_column_text (stmt, 0);
      gsize            length = strlen (number);
      g_autofree char *middle = g_strndup (number + strlen (prefix), length - strlen (prefix) - strlen (suffix));
      gboolean         digits = *middle != '\0' && strlen (middle) <= 12;

      for (const char *p = middle; digits && *p != '\0'; p++)
        digits = g_ascii_isdigit (*p);
      if (digits)
        last = MAX (last, g_ascii_strtoull (middle, NULL, 10));
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_strdup_printf ("%s%0*" G_GUINT64_FORMAT "%s", prefix, width, last + 1, suffix);
}
