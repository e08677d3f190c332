/* relais-db-mail.c: mail for domiciled people (hub) and the kiosk's hashed
 * snapshot (station). */
#define G_LOG_DOMAIN "relais-db"

#include "relais-db-mail.h"
#include "relais-db-private.h"

#include <stdio.h>
#include <string.h>

#define MAX_NAME_CHARS 100
#define MAX_LETTERS_PER_ITEM 50
#define MAX_CANDIDATES 300

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
  g_free (p->state);
  g_free (p->active_to);
  g_free (p->last_contact);
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
  g_free (entry);
}

/* ---- names ---- */

char *
relais_mail_fold (const char *text)
{
  g_autofree char *nfd = NULL;
  GString *out;
  gboolean space = TRUE;   /* no leading space */

  g_return_val_if_fail (text != NULL, NULL);

  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (text));
  if (nfd == NULL)
    return g_string_free (out, FALSE);
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *ligature = NULL;

      if (g_unichar_ismark (c))
        continue;
      switch (c)
        {
        case 0x0152: case 0x0153: ligature = "oe"; break;   /* Œ œ */
        case 0x00C6: case 0x00E6: ligature = "ae"; break;   /* Æ æ */
        case 0x00DF: ligature = "ss"; break;                /* ß */
        default: break;
        }
      if (ligature != NULL)
        {
          g_string_append (out, ligature);
          space = FALSE;
        }
      else if (g_unichar_isalnum (c))
        {
          g_string_append_unichar (out, g_unichar_tolower (c));
          space = FALSE;
        }
      else if (!space)
        {
          g_string_append_c (out, ' ');
          space = TRUE;
        }
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* One word's sound key: French spellings that sound alike meet. */
static void
sound_word (GString *out, const char *word, gsize n)
{
  static const struct { const char *from; const char *to; } rules[] = {
    { "eau", "o" }, { "ph", "f" }, { "qu", "k" }, { "ck", "k" }, { "bv", "v" },
    { "au", "o" }, { "ai", "e" }, { "ei", "e" }, { "gu", "g" }, { "th", "t" },
    { "ch", "ch" }, { "ce", "se" }, { "ci", "si" }, { "cy", "si" },
  };
  GString *w = g_string_sized_new (n);
  gsize start = out->len;

  for (gsize i = 0; i < n;)
    {
      gboolean done = FALSE;

      for (guint r = 0; r < G_N_ELEMENTS (rules) && !done; r++)
        {
          gsize len = strlen (rules[r].from);
          if (i + len <= n && strncmp (word + i, rules[r].from, len) == 0)
            {
              g_string_append (w, rules[r].to);
              i += len;
              done = TRUE;
            }
        }
      if (done)
        continue;
      switch (word[i])
        {
        case 'h': break;
        case 'y': g_string_append_c (w, 'i'); break;
        case 'w': g_string_append_c (w, 'v'); break;
        case 'z': g_string_append_c (w, 's'); break;
        case 'c': g_string_append_c (w, 'k'); break;
        case 'k': g_string_append_c (w, 'k'); break;
        default: g_string_append_c (w, word[i]); break;
        }
      i++;
    }
  /* Doubled letters, then silent endings. */
  for (gsize i = 0; i < w->len; i++)
    if (out->len == start || out->str[out->len - 1] != w->str[i])
      g_string_append_c (out, w->str[i]);
  while (out->len > start + 2 && strchr ("estdxz", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);
  g_string_free (w, TRUE);
}

char *
relais_mail_sound_key (const char *folded)
{
  GString *out = g_string_new (NULL);
  const char *p = folded;

  g_return_val_if_fail (folded != NULL, NULL);

  while (*p != '\0')
    {
      gsize n = strcspn (p, " ");

      if (out->len > 0)
        g_string_append_c (out, ' ');
      sound_word (out, p, n);
      p += n;
      while (*p == ' ')
        p++;
    }
  return g_string_free (out, FALSE);
}

gboolean
relais_mail_name_valid (const char  *name,
                        const char  *what,
                        GError     **error)
{
  gboolean letter = FALSE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "%s : texte illisible.", what);
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                   "%s trop long : %d caractères au plus.", what, MAX_NAME_CHARS);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c))
        letter = TRUE;
      else if (!g_unichar_ismark (c) && c != ' ' && c != '-' && c != '\'' && c != 0x2019 && c != '.')
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "%s : seulement des lettres, des espaces, des tirets et des apostrophes "
                       "(« %.*s » refusé).", what, (int) (g_utf8_next_char (p) - p), p);
          return FALSE;
        }
    }
  if (!letter)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "%s vide : tapez au moins une lettre.", what);
      return FALSE;
    }
  return TRUE;
}

static const struct { const char *id; const char *label; } kinds[] = {
  { "ordinary", "ordinaire" },
  { "registered", "recommandé" },
  { "court", "tribunal" },
  { "social", "CAF, CPAM, France Travail" },
  { "tax", "impôts" },
  { "other", "autre" },
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

/* ---- small checks ---- */

static gboolean
set_invalid (GError **error, const char *message)
{
  g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
date_valid (const char *date)
{
  int y, m, d;
  char tail;

  return date != NULL && strlen (date) == 10
         && sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
         && g_date_valid_dmy (d, m, y) && y >= 1900;
}

/* Letters, digits and hyphens: numbers, card ids, languages. */
static gboolean
token_valid (const char *text, gsize max)
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

static gboolean
free_text_valid (const char *text, gsize max)
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

static const char *
empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static char *
today_of (gint64 now_ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (now_ms / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

/* ---- people ---- */

#define PERSON_COLUMNS \
  "p.id, p.number, p.surname, p.first_names, p.birth_date, p.phone, p.email, p.notify," \
  " p.card_id, p.language, p.last_met_by, p.last_met_phone, p.state, p.active_to," \
  " (SELECT count(*) FROM mail_letters l WHERE l.person_id = p.id AND l.handed_at IS NULL AND l.returned_at IS NULL)," \
  " strftime ('%Y-%m-%d', coalesce (p.last_contact_at, p.created_at) / 1000, 'unixepoch', 'localtime')"

static RelaisMailPerson *
person_from_row (sqlite3_stmt *stmt)
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
  return p;
}

static RelaisMailPerson *
person_step (RelaisDb      *db,
             sqlite3_stmt  *stmt,
             const char    *what,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return person_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND,
                 "Personne inconnue : %s. Vérifiez le numéro ou cherchez par le nom.", what);
  else
    relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return NULL;
}

RelaisMailPerson *
relais_db_mail_person_get (RelaisDb    *db,
                           const char  *number,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  stmt = relais_db_prepare (db, "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.number = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return person_step (db, stmt, number, error);
}

static RelaisMailPerson *
person_get_by_id (RelaisDb  *db,
                  gint64     id,
                  GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT " PERSON_COLUMNS " FROM mail_people p WHERE p.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return person_step (db, stmt, "?", error);
}

RelaisMailPerson *
relais_db_mail_person_by_card (RelaisDb    *db,
                               const char  *card,
                               GError     **error)
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
  gsize n = strcspn (f, " ");

  return g_strdup_printf ("%s|%.*s", s, (int) n, f);
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
  const char *notify = in->notify != NULL ? in->notify : "sms";
  const char *phone = empty_to_null (in->phone);
  const char *email = empty_to_null (in->email);
  const char *card = empty_to_null (in->card_id);
  const char *language = in->language != NULL && *in->language != '\0' ? in->language : "fr";

  g_return_val_if_fail (db != NULL && in != NULL, NULL);

  if (!token_valid (in->number, 32))
    {
      set_invalid (error, "Numéro d'usager invalide : chiffres, lettres et tirets, 32 au plus.");
      return NULL;
    }
  if (!relais_mail_name_valid (in->surname, "Nom", error)
      || !relais_mail_name_valid (in->first_names, "Prénom", error))
    return NULL;
  if (!date_valid (in->birth_date))
    {
      set_invalid (error, "Date de naissance invalide : AAAA-MM-JJ.");
      return NULL;
    }
  if (!g_str_equal (notify, "sms") && !g_str_equal (notify, "email") && !g_str_equal (notify, "none"))
    {
      set_invalid (error, "Préférence de notification : sms, email ou none.");
      return NULL;
    }
  if ((phone != NULL && !phone_valid (phone)) || (g_str_equal (notify, "sms") && phone == NULL))
    {
      set_invalid (error, "Téléphone invalide ou manquant (pour les SMS).");
      return NULL;
    }
  if ((email != NULL && !email_valid (email)) || (g_str_equal (notify, "email") && email == NULL))
    {
      set_invalid (error, "Adresse e-mail invalide ou manquante.");
      return NULL;
    }
  if ((card != NULL && !token_valid (card, 64)) || !token_valid (language, 8))
    {
      set_invalid (error, "Carte ou langue invalide : lettres, chiffres et tirets.");
      return NULL;
    }
  if (!free_text_valid (in->last_met_by, 100)
      || (empty_to_null (in->last_met_phone) != NULL && !phone_valid (in->last_met_phone)))
    {
      set_invalid (error, "« Dernier contact » : un nom (100 caractères au plus) et un téléphone.");
      return NULL;
    }

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
                            "  sound_key, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                            " ON CONFLICT (number) DO UPDATE SET surname = excluded.surname,"
                            "  first_names = excluded.first_names, birth_date = excluded.birth_date,"
                            "  phone = excluded.phone, email = excluded.email, notify = excluded.notify,"
                            "  card_id = excluded.card_id, language = excluded.language,"
                            "  last_met_by = excluded.last_met_by, last_met_phone = excluded.last_met_phone,"
                            "  folded = excluded.folded, name_key = excluded.name_key,"
                            "  sound_key = excluded.sound_key",
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
  sqlite3_bind_text (stmt, 10, empty_to_null (in->last_met_by), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, empty_to_null (in->last_met_phone), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, folded, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, name_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, sound_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 15, relais_db_now_ms ());
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

/* Fills the homonym counts of @p. */
static void
count_homonyms (RelaisDb *db, RelaisMailPerson *p)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT coalesce (sum (o.name_key = me.name_key), 0),"
    "  coalesce (sum (o.name_key != me.name_key), 0)"
    " FROM mail_people me JOIN mail_people o ON o.id != me.id"
    "  AND (o.name_key = me.name_key OR o.sound_key = me.sound_key)"
    " WHERE me.id = ?1", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, p->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      p->homonyms = sqlite3_column_int (stmt, 0);
      p->near_homonyms = sqlite3_column_int (stmt, 1);
    }
}

typedef struct {
  gint64 id;
  int    score;   /* 0 surname starts so, 1 a word does, 2 inside, 3+ typo */
  char  *folded;
} Candidate;

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->folded);
}

static int
candidate_compare (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->score != y->score)
    return x->score - y->score;
  return strcmp (x->folded, y->folded);
}

/* Smallest edit distance between @q and any prefix of @word (Levenshtein
 * with adjacent transpositions), stopping early past @max. */
static int
prefix_distance (const char *q, gsize m, const char *word, gsize n, int max, int *whole)
{
  int rows[3][72];
  int best = max + 1;

  if (m > 70 || n > 70)
    return max + 1;
  for (gsize j = 0; j <= n; j++)
    rows[0][j] = j;
  for (gsize i = 1; i <= m; i++)
    {
      int *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *prev2 = rows[(i + 1) % 3];
      int low = cur[0] = i;

      for (gsize j = 1; j <= n; j++)
        {
          int cost = q[i - 1] == word[j - 1] ? 0 : 1;
          int v = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);

          if (i > 1 && j > 1 && q[i - 1] == word[j - 2] && q[i - 2] == word[j - 1])
            v = MIN (v, prev2[j - 2] + 1);
          cur[j] = v;
          low = MIN (low, v);
        }
      if (low > max)
        return max + 1;
      if (i == m)
        {
          for (gsize j = 0; j <= n; j++)
            best = MIN (best, cur[j]);
          *whole = cur[n];
        }
    }
  return best;
}

/* How @folded matches word @w: 0 its start, 1 a word's start, 2 inside,
 * -1 not at all. */
static int
match_score (const char *folded, const char *w)
{
  const char *hit = strstr (folded, w);

  if (hit == NULL)
    return -1;
  if (hit == folded)
    return 0;
  for (; hit != NULL; hit = strstr (hit + 1, w))
    if (hit[-1] == ' ')
      return 1;
  return 2;
}

/* TRUE when every word of @words after the first starts a word of @folded. */
static gboolean
other_words_match (const char *folded, char **words)
{
  for (guint i = 1; words[i] != NULL; i++)
    {
      int s = match_score (folded, words[i]);
      if (s < 0 || s == 2)
        return FALSE;
    }
  return TRUE;
}

/* 3 and up for a match within @max edits; -1 for none. */
static int
typo_score (const char *folded, const char *w)
{
  gsize m = strlen (w);
  int max = m >= 8 ? 2 : 1;
  int best = -1;
  const char *p = folded;

  for (int index = 0; *p != '\0'; index++)
    {
      gsize n = strcspn (p, " ");
      int whole = max + 1;
      int d = prefix_distance (w, m, p, n, max, &whole);

      /* Fewer edits first; then a whole word before a word's start
       * ("piere": Pierre before Perez); then the surname. */
      if (d <= max)
        {
          int score = 3 + 4 * d + 2 * (whole > d) + (index > 0);
          if (best < 0 || score < best)
            best = score;
        }
      p += n;
      while (*p == ' ')
        p++;
    }
  return best;
}

static void
add_phrase (GString *match, const char *op, const char *text, gsize n)
{
  if (match->len > 0)
    g_string_append_printf (match, " %s ", op);
  g_string_append_c (match, '"');
  g_string_append_len (match, text, n);
  g_string_append_c (match, '"');
}

/* Runs @sql (one text parameter, rows of id and folded) and keeps what
 * @words match, scored. */
static gboolean
collect (RelaisDb     *db,
         sqlite3_stmt *stmt,
         char        **words,
         gboolean      typos,
         GHashTable   *seen,
         GArray       *out,
         GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *folded = (const char *) sqlite3_column_text (stmt, 1);
      int score;

      if (g_hash_table_contains (seen, &id) || !other_words_match (folded, words))
        continue;
      score = typos ? typo_score (folded, words[0]) : match_score (folded, words[0]);
      if (score < 0)
        continue;
      {
        Candidate c = { id, score, g_strdup (folded) };
        gint64 *key = g_new (gint64, 1);

        *key = id;
        g_hash_table_add (seen, key);
        g_array_append_val (out, c);
      }
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

GPtrArray *
relais_db_mail_search (RelaisDb    *db,
                       const char  *query,
                       guint        limit,
                       GError     **error)
{
  g_autofree char *q = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  g_autoptr(GString) match = g_string_new (NULL);
  gsize m;

  g_return_val_if_fail (db != NULL && query != NULL, NULL);

  g_array_set_clear_func (found, candidate_clear);
  if (!relais_mail_name_valid (query, "Recherche", error))
    return NULL;
  q = relais_mail_fold (query);
  words = g_strsplit (q, " ", 6);
  m = strlen (words[0]);
  limit = CLAMP (limit, 1, 100);

  /* Whole surname prefixes first: the B-tree answers 1-2 letters too. */
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
      "SELECT id, folded FROM mail_people WHERE folded >= ?1 AND folded < ?1 || char (1114111)"
      " ORDER BY folded LIMIT ?2", error);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, words[0], -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, MAX_CANDIDATES);
    if (!collect (db, stmt, words, FALSE, seen, found, error))
      return NULL;
  }

  /* Then words inside the name (first names, compound surnames): the
   * trigram index, narrowed by every other word of three letters or more. */
  if (m >= 3 && found->len < limit)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      for (guint i = 0; words[i] != NULL; i++)
        if (strlen (words[i]) >= 3)
          add_phrase (match, "AND", words[i], strlen (words[i]));
      stmt = relais_db_prepare (db,
        "SELECT p.id, p.folded FROM mail_people p WHERE p.id IN"
        " (SELECT rowid FROM mail_people_fts WHERE mail_people_fts MATCH ?1 LIMIT ?2)", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, match->str, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, MAX_CANDIDATES);
      if (!collect (db, stmt, words, FALSE, seen, found, error))
        return NULL;
    }

  /* One typo: it spares either the first or the second half of the word,
   * so names containing either half are the candidates. */
  if (m >= 4 && found->len < limit)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gsize half = (m + 1) / 2;
      g_autoptr(GString) halves = g_string_new (NULL);

      add_phrase (halves, "OR", words[0], MAX (3, half));
      add_phrase (halves, "OR", words[0] + m - MAX (3, m - half), MAX (3, m - half));
      g_string_truncate (match, 0);
      g_string_append_printf (match, "(%s)", halves->str);
      for (guint i = 1; words[i] != NULL; i++)
        if (strlen (words[i]) >= 3)
          add_phrase (match, "AND", words[i], strlen (words[i]));
      stmt = relais_db_prepare (db,
        "SELECT p.id, p.folded FROM mail_people p WHERE p.id IN"
        " (SELECT rowid FROM mail_people_fts WHERE mail_people_fts MATCH ?1 LIMIT ?2)"
        " /* typos */", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, match->str, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, MAX_CANDIDATES * 3);
      if (!collect (db, stmt, words, TRUE, seen, found, error))
        return NULL;
    }

  /* Typos seldom hit the first letter, and a transposition or a slip
   * near the middle can break both halves: surnames with the same first
   * letter are few enough (a B-tree range) to measure them all. */
  if (m >= 4 && found->len < limit)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
        "SELECT id, folded FROM mail_people WHERE folded >= ?1 AND folded < ?1 || char (1114111)"
        " /* same first letter */ LIMIT ?2", error);
      g_autofree char *first = g_strndup (words[0], g_utf8_next_char (words[0]) - words[0]);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, first, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, MAX_CANDIDATES * 20);
      if (!collect (db, stmt, words, TRUE, seen, found, error))
        return NULL;
    }

  g_array_sort (found, candidate_compare);
  for (guint i = 0; i < found->len && people->len < limit; i++)
    {
      Candidate *c = &g_array_index (found, Candidate, i);
      RelaisMailPerson *p = person_get_by_id (db, c->id, error);

      if (p == NULL)
        return NULL;
      p->approximate = c->score >= 3;
      count_homonyms (db, p);
      g_ptr_array_add (people, p);
    }
  return g_steal_pointer (&people);
}

/* ---- notices ---- */

static char *
template_get (RelaisDb *db, const char *name, const char *language)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT body FROM mail_templates WHERE name = ?1 AND language IN (?2, 'fr')"
    " ORDER BY language = ?2 DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return relais_db_column_dup (stmt, 0);
}

static char *
render (const char *template, const char * const *vars)
{
  GString *out = g_string_new (NULL);

  for (const char *p = template; *p != '\0';)
    {
      gboolean replaced = FALSE;

      if (*p == '{')
        for (guint i = 0; vars[i] != NULL; i += 2)
          {
            gsize n = strlen (vars[i]);
            if (strncmp (p + 1, vars[i], n) == 0 && p[1 + n] == '}')
              {
                g_string_append (out, vars[i + 1] != NULL ? vars[i + 1] : "");
                p += n + 2;
                replaced = TRUE;
                break;
              }
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

gboolean
relais_db_mail_template_set (RelaisDb    *db,
                             const char  *name,
                             const char  *language,
                             const char  *text,
                             GError     **error)
{
  static const char * const names[] = {
    "subject", "batch-one", "batch-many", "reminder-one", "reminder-many", "decision-granted",
    "decision-refused", "decision-adjourned", "decision-radiated", "expiry", NULL
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && name != NULL && language != NULL && text != NULL, FALSE);

  if (!g_strv_contains (names, name))
    return set_invalid (error, "Modèle inconnu.");
  if (!token_valid (language, 8) || *text == '\0' || !free_text_valid (text, 480))
    return set_invalid (error, "Modèle : une langue (fr, en…) et un texte d'une ligne, 480 caractères au plus.");
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_templates (name, language, body) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (name, language) DO UPDATE SET body = excluded.body", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

/* Queues one notice to @p from template @name. A person who asked for
 * none, or whose domiciliation ended, gets none. */
static gboolean
queue_notice (RelaisDb               *db,
              const RelaisMailPerson *p,
              const char             *reason,
              const char             *name,
              gint64                  count,
              const char             *missing,
              const char             *date,
              const RelaisMailSite   *site,
              gint64                  now,
              GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  g_autofree char *template = NULL;
  g_autofree char *subject_template = NULL;
  g_autofree char *body = NULL;
  g_autofree char *subject = NULL;
  const char *recipient;
  const char *vars[] = {
    "count", count_text, "place", site->place, "hours", site->hours, "number", p->number,
    "missing", missing, "date", date, NULL
  };

  if (g_str_equal (p->notify, "none")
      || (g_str_equal (p->state, "expired") || (g_str_equal (p->state, "radiated") && !g_str_equal (reason, "decision"))))
    return TRUE;
  recipient = g_str_equal (p->notify, "sms") ? p->phone : p->email;
  if (recipient == NULL)
    return TRUE;
  template = template_get (db, name, p->language);
  subject_template = template_get (db, "subject", p->language);
  if (template == NULL || subject_template == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND, "Modèle de message « %s » absent.", name);
      return FALSE;
    }
  body = render (template, vars);
  subject = render (subject_template, vars);
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_notices (person_id, channel, recipient, subject, body, reason,"
                            "  next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, p->notify, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, recipient, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

#define NOTICE_COLUMNS \
  "n.id, p.number, n.channel, n.recipient, n.subject, n.body, n.reason, n.status, n.attempts," \
  " n.next_attempt_at, n.last_error, n.created_at, coalesce (n.sent_at, 0)" \
  " FROM mail_notices n JOIN mail_people p ON p.id = n.person_id"

static GPtrArray *
notices_from (RelaisDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_notice_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisMailNotice *n = g_new0 (RelaisMailNotice, 1);

      n->id = sqlite3_column_int64 (stmt, 0);
      n->number = relais_db_column_dup (stmt, 1);
      n->channel = relais_db_column_dup (stmt, 2);
      n->recipient = relais_db_column_dup (stmt, 3);
      n->subject = relais_db_column_dup (stmt, 4);
      n->body = relais_db_column_dup (stmt, 5);
      n->reason = relais_db_column_dup (stmt, 6);
      n->status = relais_db_column_dup (stmt, 7);
      n->attempts = sqlite3_column_int (stmt, 8);
      n->next_attempt_at = sqlite3_column_int64 (stmt, 9);
      n->last_error = relais_db_column_dup (stmt, 10);
      n->created_at = sqlite3_column_int64 (stmt, 11);
      n->sent_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (out, n);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
relais_db_mail_notices_due (RelaisDb    *db,
                            gint64       now,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT " NOTICE_COLUMNS " WHERE n.status = 'pending' AND n.next_attempt_at <= ?1"
    " ORDER BY n.next_attempt_at, n.id LIMIT ?2", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, limit);
  return notices_from (db, stmt, error);
}

GPtrArray *
relais_db_mail_notices_failing (RelaisDb  *db,
                                GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT " NOTICE_COLUMNS " WHERE n.status = 'failed' OR (n.status = 'pending' AND n.attempts > 0)"
    " ORDER BY n.id DESC LIMIT 500", error);

  if (stmt == NULL)
    return NULL;
  return notices_from (db, stmt, error);
}

GPtrArray *
relais_db_mail_notices_of (RelaisDb    *db,
                           const char  *number,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT " NOTICE_COLUMNS " WHERE p.number = ?1 ORDER BY n.id DESC", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return notices_from (db, stmt, error);
}

gboolean
relais_db_mail_notice_done (RelaisDb    *db,
                            gint64       id,
                            const char  *error_text,
                            gint64       retry_at,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "UPDATE mail_notices SET attempts = attempts + 1,"
    "  status = CASE WHEN ?2 IS NULL THEN 'sent' WHEN ?3 = 0 THEN 'failed' ELSE 'pending' END,"
    "  last_error = ?2,"
    "  next_attempt_at = CASE WHEN ?2 IS NOT NULL AND ?3 != 0 THEN ?3 ELSE next_attempt_at END,"
    "  sent_at = CASE WHEN ?2 IS NULL THEN ?4 END"
    " WHERE id = ?1 AND status = 'pending'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, retry_at);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

/* ---- letters ---- */

#define LETTER_COLUMNS \
  "l.id, p.number, upper (p.surname) || ' ' || p.first_names, l.kind, l.tracking, l.sender, l.urgent," \
  " l.registered_at, l.registered_by, coalesce (l.handed_at, 0), l.handed_by, l.handed_to, l.reminders," \
  " coalesce (l.return_due_at, 0), coalesce (l.returned_at, 0), l.return_reason" \
  " FROM mail_letters l JOIN mail_people p ON p.id = l.person_id"

static GPtrArray *
letters_from (RelaisDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_letter_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisMailLetter *l = g_new0 (RelaisMailLetter, 1);

      l->id = sqlite3_column_int64 (stmt, 0);
      l->number = relais_db_column_dup (stmt, 1);
      l->person = relais_db_column_dup (stmt, 2);
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
      g_ptr_array_add (out, l);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
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
    return set_invalid (error, "Lot vide : tapez au moins un nom.");
  for (gsize i = 0; i < n_items; i++)
    {
      const RelaisMailItem *it = &items[i];

      if (it->number == NULL || !token_valid (it->number, 32))
        return set_invalid (error, "Numéro d'usager invalide dans le lot.");
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
      if (g_str_equal (it->kind, "registered") && (it->count != 1 || empty_to_null (it->tracking) == NULL))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Recommandé pour %s : une lettre à la fois, avec son numéro de suivi.", it->number);
          return FALSE;
        }
      if ((it->tracking != NULL && !token_valid (it->tracking, 32)) || !free_text_valid (it->sender, 100))
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                       "Suivi (lettres et chiffres) ou expéditeur (100 caractères) invalide pour %s.", it->number);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n_unknown; i++)
    {
      if (!relais_mail_name_valid (unknown[i].name, "Nom du destinataire inconnu", error))
        return FALSE;
      if (unknown[i].count < 1 || unknown[i].count > MAX_LETTERS_PER_ITEM)
        return set_invalid (error, "Nombre de lettres pour un destinataire inconnu : de 1 à 50.");
    }
  return TRUE;
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

      if (p == NULL)
        return NULL;
      for (int k = 0; k < it->count; k++)
        {
          g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
            "INSERT INTO mail_letters (person_id, batch_id, kind, tracking, sender, urgent, registered_at,"
            "  registered_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 1, p->id);
          sqlite3_bind_int64 (stmt, 2, batch_id);
          sqlite3_bind_text (stmt, 3, it->kind, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, empty_to_null (it->tracking), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 5, empty_to_null (it->sender), -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 6, it->urgent);
          sqlite3_bind_int64 (stmt, 7, now);
          sqlite3_bind_text (stmt, 8, by, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
              return NULL;
            }
        }
      if (!g_hash_table_contains (seen, p->number))
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
      g_autoptr(RelaisMailPerson) p = person_get_by_id (db, stale->id, error);

      if (p == NULL
          || !queue_notice (db, p, "batch", p->waiting == 1 ? "batch-one" : "batch-many", p->waiting,
                            NULL, NULL, site, now, error))
        return NULL;
    }
  return batch_letters (db, batch_id, error);
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
  gint64 batch_id;

  g_return_val_if_fail (db != NULL && key != NULL && by != NULL && site != NULL && duplicate != NULL, NULL);

  *duplicate = FALSE;
  if (!token_valid (key, 128))
    {
      set_invalid (error, "Clé de lot invalide.");
      return NULL;
    }
  if (!items_valid (items, n_items, unknown, n_unknown, error))
    return NULL;
  if (!relais_db_savepoint (db, error))
    return NULL;
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_batches (key, registered_by, registered_at) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT (key) DO NOTHING", error);
  if (stmt == NULL)
    return relais_db_savepoint_release (db, NULL, error);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return relais_db_savepoint_release (db, NULL, NULL);
    }
  if (sqlite3_changes (db->handle) == 0)
    {
      g_autoptr(sqlite3_stmt) old = NULL;

      g_clear_pointer (&stmt, relais_db_stmt_release);
      old = relais_db_prepare (db, "SELECT id FROM mail_batches WHERE key = ?1", error);
      if (old == NULL)
        return relais_db_savepoint_release (db, NULL, NULL);
      sqlite3_bind_text (old, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (old) != SQLITE_ROW)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return relais_db_savepoint_release (db, NULL, NULL);
        }
      batch_id = sqlite3_column_int64 (old, 0);
      *duplicate = TRUE;
      return relais_db_savepoint_release (db, batch_letters (db, batch_id, error), error);
    }
  batch_id = sqlite3_last_insert_rowid (db->handle);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  return relais_db_savepoint_release (db, register_in_savepoint (db, batch_id, by, items, n_items,
                                                                 unknown, n_unknown, site, now, error),
                                      error);
}

GPtrArray *
relais_db_mail_waiting (RelaisDb    *db,
                        const char  *number,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT " LETTER_COLUMNS " WHERE p.number = ?1 AND l.handed_at IS NULL AND l.returned_at IS NULL"
    " ORDER BY l.urgent DESC, l.id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  return letters_from (db, stmt, error);
}

static RelaisMailProxy *
proxy_from_row (sqlite3_stmt *stmt)
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
relais_db_mail_proxies (RelaisDb    *db,
                        const char  *number,
                        const char  *today,
                        GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_proxy_free);
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT x.id, x.name, x.authorised_on, x.id_copies, x.ends_on,"
    "  x.authorised_on <= ?2 AND (x.ends_on IS NULL OR x.ends_on >= ?2)"
    " FROM mail_proxies x JOIN mail_people p ON p.id = x.person_id WHERE p.number = ?1 ORDER BY x.id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, proxy_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

RelaisMailProxy *
relais_db_mail_proxy_add (RelaisDb    *db,
                          const char  *number,
                          const char  *name,
                          const char  *authorised_on,
                          const char  *id_copies,
                          const char  *ends_on,
                          GError     **error)
{
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (db != NULL && number != NULL, NULL);

  if (!relais_mail_name_valid (name, "Nom du mandataire", error))
    return NULL;
  if (!date_valid (authorised_on) || (empty_to_null (ends_on) != NULL && !date_valid (ends_on)))
    {
      set_invalid (error, "Dates de la procuration invalides : AAAA-MM-JJ.");
      return NULL;
    }
  if (empty_to_null (ends_on) != NULL && strcmp (ends_on, authorised_on) < 0)
    {
      set_invalid (error, "La procuration finit avant d'être signée.");
      return NULL;
    }
  if (empty_to_null (id_copies) == NULL || !free_text_valid (id_copies, 100))
    {
      set_invalid (error, "Notez les deux copies de pièces d'identité (« scannées », « au dossier »…).");
      return NULL;
    }
  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL)
    return NULL;
  stmt = relais_db_prepare (db,
                            "INSERT INTO mail_proxies (person_id, name, authorised_on, id_copies, ends_on, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, authorised_on, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, id_copies, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, empty_to_null (ends_on), -1, SQLITE_STATIC);
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
        " WHERE person_id = ?1 AND handed_at IS NULL AND returned_at IS NULL", error);

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
        " WHERE id = ?1 AND person_id = ?2 AND handed_at IS NULL AND returned_at IS NULL", error);

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
                       "Le courrier n° %" G_GINT64_FORMAT " n'attend pas %s (déjà remis, renvoyé ou à quelqu'un d'autre).",
                       ids[i], p->number);
          return FALSE;
        }
    }
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
      "UPDATE mail_people SET last_contact_at = ?2 WHERE id = ?1", error);

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
relais_db_mail_hand_over (RelaisDb      *db,
                          const char    *number,
                          const gint64  *ids,
                          gsize          n_ids,
                          gint64         proxy_id,
                          const char    *by,
                          const char    *today,
                          gint64         now,
                          GError       **error)
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
      "  AND reminders >= ?3 AND coalesce (last_reminder_at, registered_at) + ?2 <= ?1", error);

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
      " GROUP BY person_id", error);
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
      g_autoptr(RelaisMailPerson) p = person_get_by_id (db, id, error);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (p == NULL
          || !queue_notice (db, p, "reminder", n == 1 ? "reminder-one" : "reminder-many", n,
                            NULL, NULL, site, now, error))
        return -1;
      stmt = relais_db_prepare (db,
        "UPDATE mail_letters SET reminders = reminders + 1, last_reminder_at = ?1"
        " WHERE person_id = ?4 AND handed_at IS NULL AND returned_at IS NULL AND return_due_at IS NULL"
        "  AND reminders < ?3 AND coalesce (last_reminder_at, registered_at) + ?2 <= ?1", error);
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
    g_autofree char *today = today_of (now);
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
relais_db_mail_run_reminders (RelaisDb              *db,
                              gint64                 now,
                              gint64                 interval_ms,
                              int                    max_reminders,
                              const RelaisMailSite  *site,
                              GError               **error)
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
relais_db_mail_to_return (RelaisDb  *db,
                          GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT " LETTER_COLUMNS " WHERE l.return_due_at IS NOT NULL AND l.returned_at IS NULL"
    "  AND l.handed_at IS NULL ORDER BY l.return_due_at, l.id", error);

  if (stmt == NULL)
    return NULL;
  return letters_from (db, stmt, error);
}

gboolean
relais_db_mail_confirm_return (RelaisDb    *db,
                               gint64       id,
                               const char  *by,
                               gint64       now,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "UPDATE mail_letters SET returned_at = ?2, returned_by = ?3"
    " WHERE id = ?1 AND return_due_at IS NOT NULL AND returned_at IS NULL AND handed_at IS NULL", error);

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
relais_db_mail_unknown_list (RelaisDb  *db,
                             GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT id, name, count, registered_at FROM mail_unknown WHERE returned_at IS NULL ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 5);

      for (int i = 0; i < 4; i++)
        row[i] = relais_db_column_dup (stmt, i);
      g_ptr_array_add (out, row);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- domiciliation ---- */

static gboolean
decide_in_savepoint (RelaisDb             *db,
                     RelaisMailPerson     *p,
                     const char           *decision,
                     const char           *missing,
                     const char           *active_from,
                     const char           *active_to,
                     const char           *by,
                     const RelaisMailSite *site,
                     gint64                now,
                     GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "INSERT INTO mail_decisions (person_id, decision, missing, active_from, active_to, decided_by, decided_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  g_autofree char *name = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, missing, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, active_to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, by, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  g_clear_pointer (&stmt, relais_db_stmt_release);
  stmt = relais_db_prepare (db,
    "UPDATE mail_people SET state = ?2,"
    "  active_from = CASE WHEN ?2 = 'granted' THEN ?3 ELSE active_from END,"
    "  active_to = CASE WHEN ?2 = 'granted' THEN ?4 ELSE active_to END,"
    "  expiry_notices = CASE WHEN ?2 = 'granted' THEN 0 ELSE expiry_notices END,"
    "  last_contact_at = CASE WHEN ?2 IN ('applied', 'granted', 'adjourned') THEN ?5 ELSE last_contact_at END"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p->id);
  sqlite3_bind_text (stmt, 2, decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, active_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, active_to, -1, SQLITE_STATIC);
  /* The person came for it: that is a contact, as a pickup is. */
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  if (g_str_equal (decision, "applied"))
    return TRUE;
  g_free (p->state);
  p->state = g_strdup (decision);
  name = g_strdup_printf ("decision-%s", decision);
  return queue_notice (db, p, "decision", name, 0, missing, active_to, site, now, error);
}

gboolean
relais_db_mail_decide (RelaisDb              *db,
                       const char            *number,
                       const char            *decision,
                       const char            *missing,
                       const char            *active_from,
                       const char            *active_to,
                       const char            *by,
                       const RelaisMailSite  *site,
                       gint64                 now,
                       GError               **error)
{
  static const char * const decisions[] = { "applied", "granted", "refused", "adjourned", "radiated", NULL };
  g_autoptr(RelaisMailPerson) p = NULL;

  g_return_val_if_fail (db != NULL && number != NULL && decision != NULL && by != NULL && site != NULL, FALSE);

  if (!g_strv_contains (decisions, decision))
    return set_invalid (error, "Décision : applied, granted, refused, adjourned ou radiated.");
  if (g_str_equal (decision, "granted")
      && (!date_valid (active_from) || !date_valid (active_to) || strcmp (active_from, active_to) > 0))
    return set_invalid (error, "Domiciliation accordée : dates de début et de fin (AAAA-MM-JJ) requises.");
  if (g_str_equal (decision, "adjourned") && (empty_to_null (missing) == NULL || !free_text_valid (missing, 100)))
    return set_invalid (error, "Ajournement : dites quel document manque (100 caractères au plus).");
  p = relais_db_mail_person_get (db, number, error);
  if (p == NULL || !relais_db_savepoint (db, error))
    return FALSE;
  return relais_db_savepoint_release (db, GINT_TO_POINTER (decide_in_savepoint (db, p, decision, empty_to_null (missing),
                                                                                 active_from, active_to, by, site, now, error)),
                                      error) != NULL;
}

/* ---- the kiosk ---- */

char *
relais_db_mail_salt (RelaisDb  *db,
                     GError   **error)
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

GPtrArray *
relais_db_mail_snapshot (RelaisDb  *db,
                         GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_snapshot_entry_free);
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT p.number, p.birth_date, p.card_id,"
    "  (SELECT count(*) FROM mail_letters l WHERE l.person_id = p.id AND l.handed_at IS NULL AND l.returned_at IS NULL) AS waiting"
    " FROM mail_people p WHERE p.state NOT IN ('refused', 'radiated') OR waiting > 0", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaisMailSnapshotEntry *e = g_new0 (RelaisMailSnapshotEntry, 1);

      e->number = relais_db_column_dup (stmt, 0);
      e->birth_date = relais_db_column_dup (stmt, 1);
      e->card_id = relais_db_column_dup (stmt, 2);
      e->waiting = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (out, e);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

char *
relais_mail_kiosk_hash (const char *salt,
                        const char *card_or_number,
                        const char *birth_date)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *message = NULL;
  char *hex;

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
                          gsize               n,
                          gint64              now,
                          GError            **error)
{
  if (!relais_db_exec (db, "DELETE FROM mail_kiosk", error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
        "INSERT OR REPLACE INTO mail_kiosk (hash, waiting) VALUES (?1, ?2)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, hashes[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, counts[i]);
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
                            gsize               n,
                            gint64              now,
                            GError            **error)
{
  g_return_val_if_fail (db != NULL && salt != NULL && hours != NULL, FALSE);

  /* One transaction: the kiosk never reads half a snapshot. */
  if (!relais_db_begin (db, error))
    return FALSE;
  if (!kiosk_store_in_savepoint (db, salt, hours, hashes, counts, n, now, error))
    {
      relais_db_rollback (db);
      return FALSE;
    }
  return relais_db_commit (db, error);
}

gint64
relais_db_mail_kiosk_lookup (RelaisDb    *db,
                             const char  *hash,
                             GError     **error)
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

gboolean
relais_db_mail_kiosk_meta (RelaisDb    *db,
                           char       **salt,
                           char       **hours,
                           gint64      *updated_at,
                           GError     **error)
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

/* ---- statistics ---- */

GPtrArray *
relais_db_mail_stats (RelaisDb  *db,
                      GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
    "SELECT strftime ('%Y-%m', registered_at / 1000, 'unixepoch', 'localtime') AS month, kind,"
    "  count(*), count(handed_at), count(returned_at), sum(reminders),"
    "  printf ('%.1f', coalesce (avg ((handed_at - registered_at) / 86400000.0), 0))"
    " FROM mail_letters GROUP BY month, kind ORDER BY month, kind", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 8);

      for (int i = 0; i < 7; i++)
        row[i] = relais_db_column_dup (stmt, i);
      g_ptr_array_add (out, row);
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- domiciliations about to end, people not seen ---- */

static int
expiry_in_savepoint (RelaisDb             *db,
                     const char           *today,
                     int                   first_days,
                     int                   second_days,
                     const RelaisMailSite *site,
                     gint64                now,
                     GError              **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (int));
  int queued = 0;

  /* expiry_notices says how many were sent: 1 after the first, 2 after the
   * second. A person granted late, already inside the second window, gets
   * one notice, counted as both. */
  {
    g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
      "SELECT id, CASE WHEN date (active_to, printf ('-%d days', ?3)) <= ?1 THEN 2 ELSE 1 END AS step"
      " FROM mail_people"
      " WHERE state = 'granted' AND active_to IS NOT NULL AND active_to >= ?1"
      "  AND ((expiry_notices < 1 AND date (active_to, printf ('-%d days', ?2)) <= ?1)"
      "    OR (expiry_notices < 2 AND date (active_to, printf ('-%d days', ?3)) <= ?1))"
      " ORDER BY id", error);
    int rc;

    if (stmt == NULL)
      return -1;
    sqlite3_bind_text (stmt, 1, today, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, first_days);
    sqlite3_bind_int (stmt, 3, second_days);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        int step = sqlite3_column_int (stmt, 1);

        g_array_append_val (ids, id);
        g_array_append_val (steps, step);
      }
    if (rc != SQLITE_DONE)
      {
        relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
        return -1;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelaisMailPerson) p = person_get_by_id (db, g_array_index (ids, gint64, i), error);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      int y = 0, m = 0, d = 0;
      g_autofree char *date = NULL;

      if (p == NULL)
        return -1;
      /* The way people write a date: 30/06/2025. */
      if (sscanf (p->active_to, "%4d-%2d-%2d", &y, &m, &d) == 3)
        date = g_strdup_printf ("%02d/%02d/%04d", d, m, y);
      if (!queue_notice (db, p, "expiry", "expiry", 0, NULL, date != NULL ? date : p->active_to, site, now, error))
        return -1;
      stmt = relais_db_prepare (db, "UPDATE mail_people SET expiry_notices = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, p->id);
      sqlite3_bind_int (stmt, 2, g_array_index (steps, int, i));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
          return -1;
        }
      queued++;
    }
  return queued;
}

int
relais_db_mail_run_expiry (RelaisDb              *db,
                           gint64                 now,
                           int                    first_days,
                           int                    second_days,
                           const RelaisMailSite  *site,
                           GError               **error)
{
  g_autofree char *today = NULL;
  int queued;

  g_return_val_if_fail (db != NULL && site != NULL, -1);
  g_return_val_if_fail (first_days >= second_days && second_days >= 0, -1);

  today = today_of (now);
  if (!relais_db_savepoint (db, error))
    return -1;
  queued = expiry_in_savepoint (db, today, first_days, second_days, site, now, error);
  if (relais_db_savepoint_release (db, queued >= 0 ? GINT_TO_POINTER (1) : NULL, queued >= 0 ? error : NULL) == NULL)
    return -1;
  return queued;
}

GPtrArray *
relais_db_mail_no_contact (RelaisDb    *db,
                           gint64       now,
                           int          days,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && days >= 0, NULL);

  /* With no contact recorded, the day they were first entered counts. */
  stmt = relais_db_prepare (db,
    "SELECT " PERSON_COLUMNS
    " FROM mail_people p"
    " WHERE p.state = 'granted' AND coalesce (p.last_contact_at, p.created_at) <= ?1"
    " ORDER BY coalesce (p.last_contact_at, p.created_at), p.id LIMIT 1000", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - (gint64) days * 24 * 3600 * 1000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (out, person_from_row (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&out);
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

  if (!date_valid (day) || sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return FALSE;
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (t == NULL || (shifted = g_date_time_add_days (t, add_days)) == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (shifted) * 1000;
  return TRUE;
}

RelaisMailFigures *
relais_db_mail_figures (RelaisDb    *db,
                        const char  *from,
                        const char  *to,
                        GError     **error)
{
  g_autoptr(RelaisMailFigures) f = g_new0 (RelaisMailFigures, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  double handed_days = 0;
  gint64 start, end;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (!day_start_ms (from, 0, &start) || !day_start_ms (to, 1, &end) || start >= end)
    {
      set_invalid (error, "Période invalide : du AAAA-MM-JJ au AAAA-MM-JJ.");
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
    " GROUP BY kind", error);
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
          double days = sqlite3_column_double (stmt, 4);

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
    " FROM mail_notices WHERE created_at >= ?1 AND created_at < ?2", error);
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
