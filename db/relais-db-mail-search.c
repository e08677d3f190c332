/* relais-db-mail-search.c: name folding, sound keys and the type-ahead
 * search over domiciled people (hub). */

#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-db-mail-private.h"

#include <stdio.h>
#include <string.h>

/* ---- names ---- */

char *
relais_mail_fold (const char *text)
{
  g_autofree char *nfd = NULL;
  GString         *out;
  gboolean         space = TRUE; /* no leading space */

  g_return_val_if_fail (text != NULL, NULL);

  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (text));
  if (nfd == NULL)
    return g_string_free (out, FALSE);
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar    c = g_utf8_get_char (p);
      const char *ligature = NULL;

      if (g_unichar_ismark (c))
        continue;
      switch (c)
        {
        case 0x0152:
        case 0x0153: ligature = "oe"; break; /* Œ œ */
        case 0x00C6:
        case 0x00E6: ligature = "ae"; break; /* Æ æ */
        case 0x00DF: ligature = "ss"; break; /* ß */
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
  static const struct {
    const char *from;
    const char *to;
  } rules[] = {
    { "eau", "o" },
    { "ph", "f" },
    { "qu", "k" },
    { "ck", "k" },
    { "bv", "v" },
    { "au", "o" },
    { "ai", "e" },
    { "ei", "e" },
    { "gu", "g" },
    { "th", "t" },
    { "ch", "ch" },
    { "ce", "se" },
    { "ci", "si" },
    { "cy", "si" },
  };
  GString *w = g_string_sized_new (n);
  gsize    start = out->len;

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
  GString    *out = g_string_new (NULL);
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
relais_mail_name_valid (const char *name,
                        const char *what,
                        GError    **error)
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
                       "(« %.*s » refusé).",
                       what, (int) (g_utf8_next_char (p) - p), p);
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

/* Fills the homonym counts of @p. */
static void
count_homonyms (RelaisDb *db, RelaisMailPerson *p)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     "SELECT coalesce (sum (o.name_key = me.name_key), 0),"
                                                     "  coalesce (sum (o.name_key != me.name_key), 0)"
                                                     " FROM mail_people me JOIN mail_people o ON o.id != me.id"
                                                     "  AND (o.name_key = me.name_key OR o.sound_key = me.sound_key)"
                                                     " WHERE me.id = ?1",
                                                     NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, p->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      p->homonyms = sqlite3_column_int (stmt, 0);
      p->near_homonyms = sqlite3_column_int (stmt, 1);
    }
}

/* ---- the type-ahead ----
 *
 * A query is up to six folded words, typed in any order ("dupont marie",
 * "marie dupont", "le gall", "mukendi sahin"). A name matches when every
 * word of the query finds its own word of the name: the same word, its
 * start, a piece of it (three letters or more), or, when nothing closer
 * exists, the word with a slip or two (a typo in any word, not only the
 * first). The candidates come from indexes (the B-tree on the folded name
 * for prefixes, the register's words and who bears each for pieces and
 * slips) with every other word filtered in SQL, so that a common first
 * word ("le", "ben", "martin") cannot fill the candidate bound before the
 * rest of the query is looked at. Ranked: an exact full name first (with
 * its namesakes), then people still domiciled before those refused,
 * radiated or expired, then fewer slips, closer matches, the surname
 * typed first, and the alphabet. */

/* Hub migration: every word of people's folded names with who bears it
 * (mail_people_words, the slips' way in: a typed word with a slip is
 * measured against the register's words, then their bearers are read),
 * and the register's vocabulary with how many people bear each word
 * (mail_name_words), both kept by triggers whatever writes mail_people.
 * A folded name is letters and digits between single spaces, never a
 * quote nor a backslash: split as a JSON array of its words. */
#define WORDS_OF(name) "json_each ('[\"' || replace (" name ", ' ', '\",\"') || '\"]')"

const char relais_db_mail_hub_migration_words[] =
    "CREATE TABLE mail_people_words ("
    "  word TEXT NOT NULL,"
    "  person_id INTEGER NOT NULL,"
    "  PRIMARY KEY (word, person_id)) WITHOUT ROWID;"
    "CREATE TABLE mail_name_words ("
    "  word TEXT PRIMARY KEY,"
    "  people INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TRIGGER mail_people_words_ai AFTER INSERT ON mail_people_words BEGIN"
    "  INSERT INTO mail_name_words (word, people) VALUES (new.word, 1)"
    "  ON CONFLICT (word) DO UPDATE SET people = people + 1; END;"
    "CREATE TRIGGER mail_people_words_ad AFTER DELETE ON mail_people_words BEGIN"
    "  UPDATE mail_name_words SET people = people - 1 WHERE word = old.word;"
    "  DELETE FROM mail_name_words WHERE word = old.word AND people <= 0; END;"
    "CREATE TRIGGER mail_people_words_pi AFTER INSERT ON mail_people BEGIN"
    "  INSERT OR IGNORE INTO mail_people_words (word, person_id)"
    "  SELECT value, new.id FROM " WORDS_OF ("new.folded") "; END;"
                                                           "CREATE TRIGGER mail_people_words_pd AFTER DELETE ON mail_people BEGIN"
                                                           "  DELETE FROM mail_people_words WHERE person_id = old.id"
                                                           "  AND word IN (SELECT value FROM " WORDS_OF ("old.folded") "); END;"
                                                                                                                       "CREATE TRIGGER mail_people_words_pu AFTER UPDATE OF folded ON mail_people"
                                                                                                                       "  WHEN old.folded IS NOT new.folded BEGIN"
                                                                                                                       "  DELETE FROM mail_people_words WHERE person_id = old.id"
                                                                                                                       "  AND word IN (SELECT value FROM " WORDS_OF ("old.folded") ");"
                                                                                                                                                                                   "  INSERT OR IGNORE INTO mail_people_words (word, person_id)"
                                                                                                                                                                                   "  SELECT value, new.id FROM " WORDS_OF ("new.folded") "; END;"
                                                                                                                                                                                                                                          "INSERT OR IGNORE INTO mail_people_words (word, person_id)"
                                                                                                                                                                                                                                          "  SELECT j.value, p.id FROM mail_people p, " WORDS_OF ("p.folded") " j;";

/* Hub migration: every pass of the search reads a person's id, folded
 * name and state, nothing else, and 20,000 people's rows (3 MB) do not
 * stay in SQLite's page cache with the rest: two narrow indexes that
 * answer it alone. By name, for the ranges on the folded name (the
 * folded name alone, which it replaces, is its first column); by id,
 * for the people a word or a proxy leads to (named in those
 * statements: the planner would rather read the table by rowid). */
const char relais_db_mail_hub_migration_search_index[] =
    "DROP INDEX IF EXISTS mail_people_folded;"
    "CREATE INDEX IF NOT EXISTS mail_people_by_name ON mail_people (folded, state);"
    "CREATE INDEX IF NOT EXISTS mail_people_names ON mail_people (id, folded, state);";

#define MAX_QUERY_WORDS 6
#define MAX_NAME_WORDS  16

/* A rank is a sum of these, lowest first; each outweighs all below it. */
#define RANK_NOT_EXACT 10000000 /* not the full name as typed */
#define RANK_INACTIVE  1000000  /* refused, radiated or expired */
#define RANK_VIA_PROXY 500000   /* found through a proxy's name */
#define RANK_PER_SLIP  100000
#define RANK_PER_COST  100 /* word_cost () summed */
#define RANK_PER_EXTRA 10  /* name words left over, up to 9 */

typedef struct {
  char *words[MAX_QUERY_WORDS];
  char *needles[MAX_QUERY_WORDS]; /* what SQL looks for in " " || folded */
  gsize len[MAX_QUERY_WORDS];
  guint n;
  char *text; /* the whole folded query */
} Query;

typedef struct {
  gint64   id;
  int      rank;
  guint    prior; /* bearers of the word a slip was read as */
  gboolean approximate;
  char    *folded;
  char    *via_proxy; /* the proxy's name when the match was theirs */
} Candidate;

static void
candidate_clear (gpointer data)
{
  Candidate *c = data;

  g_free (c->folded);
  g_free (c->via_proxy);
}

static int
candidate_compare (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;
  int              order;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  /* A slip that two names explain as well: the commoner name first (a
   * slip in Martin is likelier than one in Marie as a surname). */
  if (x->prior != y->prior)
    return x->prior > y->prior ? -1 : 1;
  order = strcmp (x->folded, y->folded);
  if (order != 0)
    return order;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Smallest edit distance between @q and any prefix of @word (Levenshtein
 * with adjacent transpositions), stopping early past @max; *@whole gets
 * the distance to the whole word. */
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
      int  low = cur[0] = i;

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

/* Slips allowed in a typed word: none under four letters (too many names
 * would match), one up to seven, two from eight. */
static int
slips_allowed (gsize m)
{
  return m >= 8 ? 2 : m >= 4 ? 1
                             : 0;
}

/* How typed word @w (@m bytes) matches name word @nw (@n bytes): 0 the
 * same word, 1 its start, 8 a piece inside it (after any number of word
 * starts: "dia ahm" is Diaby Ahmed before Dia-Rahmani), 3 + 3 per slip
 * (+1 when the slip is on a start, not the whole word: "piere" is Pierre
 * before Perez; slips are ranked on their own first); -1 not at all.
 * *@slips gets the slips. */
static int
word_cost (const char *w, gsize m, const char *nw, gsize n, gboolean typos, int *slips)
{
  *slips = 0;
  if (m <= n && memcmp (w, nw, m) == 0)
    return m == n ? 0 : 1;
  if (m >= 3 && m < n && g_strstr_len (nw, n, w) != NULL)
    return 8;
  if (typos && slips_allowed (m) > 0)
    {
      int max = slips_allowed (m), whole = max + 1;
      int d = prefix_distance (w, m, nw, n, max, &whole);

      if (d <= max)
        {
          *slips = d;
          return 3 + 3 * d + (whole > d);
        }
    }
  return -1;
}

static gboolean
state_inactive (const char *state)
{
  return state != NULL && (g_str_equal (state, "refused") || g_str_equal (state, "radiated") || g_str_equal (state, "expired"));
}

/* Ranks @folded (a name, or a proxy's name) against @q: FALSE when some
 * typed word finds no word of its own in it. */
static gboolean
rank_name (const char  *folded,
           const Query *q,
           gboolean     typos,
           gboolean     inactive,
           int         *rank,
           gboolean    *approximate)
{
  const char *start[MAX_NAME_WORDS];
  gsize       len[MAX_NAME_WORDS];
  guint       n = 0, used = 0;
  int         cost = 0, slips = 0, order = 0;
  gboolean    exact = TRUE;

  for (const char *p = folded; *p != '\0' && n < MAX_NAME_WORDS;)
    {
      start[n] = p;
      len[n] = strcspn (p, " ");
      p += len[n];
      n++;
      while (*p == ' ')
        p++;
    }
  for (guint i = 0; i < q->n; i++)
    {
      int   best = -1, best_slips = 0;
      guint best_j = 0;

      for (guint j = 0; j < n; j++)
        {
          int s, c;

          if (used & (1u << j))
            continue;
          c = word_cost (q->words[i], q->len[i], start[j], len[j], typos, &s);
          if (c >= 0 && (best < 0 || c < best))
            {
              best = c;
              best_slips = s;
              best_j = j;
            }
        }
      if (best < 0)
        return FALSE;
      used |= 1u << best_j;
      cost += best;
      slips += best_slips;
      exact = exact && best == 0;
      if (i == 0 && best_j != 0)
        order = 1;
    }
  exact = exact && q->n == n;
  *approximate = slips > 0;
  /* Then fewer name words left over: Martin Jean before Martin
   * Jean-Pierre when "martin jean" is typed, slip or not. */
  *rank = (exact ? 0 : RANK_NOT_EXACT) + (inactive ? RANK_INACTIVE : 0) + slips * RANK_PER_SLIP
          + cost * RANK_PER_COST + MIN (9, (int) (n - q->n)) * RANK_PER_EXTRA + order;
  return TRUE;
}

static void
query_clear (Query *q)
{
  for (guint i = 0; i < q->n; i++)
    {
      g_free (q->words[i]);
      g_free (q->needles[i]);
    }
  g_free (q->text);
}

/* SQL narrowing every candidate row by the typed words other than those
 * an index looked up: a short word must start a word of the name, a
 * longer one be in it (bind_words () binds ?3 to ?8; a word not to filter
 * on is bound NULL, which lets every row through). The statements stay
 * the same text whatever the query: prepared once, cached. */
#define WORD_FILTER(column, n) " AND (?" #n " IS NULL OR instr (' ' || " column ", ?" #n ") > 0)"
/* clang-format off */
#define WORD_FILTERS(column) \
  WORD_FILTER (column, 3) WORD_FILTER (column, 4) WORD_FILTER (column, 5) \
  WORD_FILTER (column, 6) WORD_FILTER (column, 7) WORD_FILTER (column, 8)
/* clang-format on */

/* Binds the needles of the words not in @skip (a bit per word). */
static void
bind_words (sqlite3_stmt *stmt, const Query *q, guint skip)
{
  for (guint i = 0; i < MAX_QUERY_WORDS; i++)
    if (i < q->n && !(skip & (1u << i)))
      sqlite3_bind_text (stmt, 3 + (int) i, q->needles[i], -1, SQLITE_STATIC);
    else
      sqlite3_bind_null (stmt, 3 + (int) i);
}

/* Steps @stmt (rows of id, folded, state and, for proxies, the proxy's
 * folded and written name) and keeps what @q matches, ranked, with
 * @prior; counts the rows in *@rows when not NULL. */
static gboolean
collect (RelaisDb     *db,
         sqlite3_stmt *stmt,
         const Query  *q,
         gboolean      typos,
         guint         prior,
         GHashTable   *seen,
         GArray       *out,
         guint        *rows,
         GError      **error)
{
  gboolean proxies = sqlite3_column_count (stmt) > 3;
  int      rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (rows != NULL)
        (*rows)++;
      gint64      id = sqlite3_column_int64 (stmt, 0);
      const char *folded = (const char *) sqlite3_column_text (stmt, 1);
      const char *state = (const char *) sqlite3_column_text (stmt, 2);
      Candidate   c = { id, 0, prior, FALSE, NULL, NULL };
      gint64     *key;

      if (g_hash_table_contains (seen, &id))
        continue;
      if (!rank_name (proxies ? (const char *) sqlite3_column_text (stmt, 3) : folded, q, typos,
                      state_inactive (state), &c.rank, &c.approximate))
        continue;
      c.folded = g_strdup (folded);
      if (proxies)
        {
          /* A person found through their proxy comes after those found by
           * their own name. */
          c.rank += RANK_VIA_PROXY;
          c.via_proxy = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
        }
      key = g_new (gint64, 1);
      *key = id;
      g_hash_table_add (seen, key);
      g_array_append_val (out, c);
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

/* Runs @sql (a string literal: the statement is cached by it) with ?1
 * @one, ?2 the bound @cap and the words not in @skip as filters, and
 * collects its rows. */
static gboolean
run_pass (RelaisDb    *db,
          const char  *sql,
          const char  *one,
          int          cap,
          const Query *q,
          guint        skip,
          gboolean     typos,
          GHashTable  *seen,
          GArray      *found,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, one, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, cap);
  bind_words (stmt, q, skip);
  return collect (db, stmt, q, typos, 0, seen, found, NULL, error);
}

/* The register's words typed word @i can be a piece of (one of three
 * letters or more anywhere in them, a shorter one at their start: "po"
 * is the "pont" of "du pont", not the "po" of "lopez") into @words, and
 * how many people bear them in *@people. */
static gboolean
piece_words (RelaisDb    *db,
             const Query *q,
             guint        i,
             GPtrArray   *words,
             gint64      *people,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                     q->len[i] >= 3 ? "SELECT word, people FROM mail_name_words"
                                                                      " WHERE instr (word, ?1) > 0 /* pieces */"
                                                                    : "SELECT word, people FROM mail_name_words"
                                                                      " WHERE word >= ?1 AND word < ?1 || char (1114111) /* starts */",
                                                     error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, q->words[i], -1, SQLITE_STATIC);
  *people = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (words, relais_db_column_dup (stmt, 0));
      *people += sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  return TRUE;
}

/* Pieces anywhere in a name. Every typed word in @indexed must be a
 * piece of some word of the name: the one whose words have the fewest
 * bearers leads (read through mail_people_words, as for a slip), every
 * other word filtered in SQL, within the bound of rows. A trigram index
 * did this once, but ANDing the trigrams of common words ("christophe",
 * "marie") cost milliseconds where a rare word's bearers cost tens of
 * microseconds. */
static gboolean
piece_pass (RelaisDb    *db,
            const Query *q,
            guint        indexed,
            GHashTable  *seen,
            GArray      *found,
            gboolean    *whole,
            GError     **error)
{
  g_autoptr(GPtrArray) lead = NULL;
  gint64 fewest = G_MAXINT64;
  guint  led_by = 0, rows = 0, k, before = found->len;

  for (guint i = 0; i < q->n && fewest > 0; i++)
    {
      g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
      gint64 people;

      if (!(indexed & (1u << i)))
        continue;
      if (!piece_words (db, q, i, words, &people, error))
        return FALSE;
      if (people < fewest)
        {
          fewest = people;
          led_by = i;
          g_clear_pointer (&lead, g_ptr_array_unref);
          lead = g_steal_pointer (&words);
        }
    }

  /* Bounded by the people it finds, and by ten times as many rows: a
   * filter can be met by the leading word itself ("be be": Bernard
   * passes the filter " be" without a second word starting so), rows
   * rank_name () then turns down. */
  for (k = 0; lead != NULL && k < lead->len && found->len - before < MAX_CANDIDATES && rows < MAX_CANDIDATES * 10;
       k++)
    {
      g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db,
                                                         "SELECT p.id, p.folded, p.state FROM mail_people_words w"
                                                         " JOIN mail_people p INDEXED BY mail_people_names ON p.id = w.person_id"
                                                         " WHERE w.word = ?1" WORD_FILTERS ("p.folded") " LIMIT ?2 /* a piece's bearers */",
                                                         error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, lead->pdata[k], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, MAX_CANDIDATES * 10 - rows);
      bind_words (stmt, q, 1u << led_by);
      if (!collect (db, stmt, q, FALSE, 0, seen, found, &rows, error))
        return FALSE;
    }
  *whole = lead == NULL || (k == lead->len && found->len - before < MAX_CANDIDATES && rows < MAX_CANDIDATES * 10);
  return TRUE;
}

/* TRUE when someone found bears exactly the name typed. */
static gboolean
found_exact (GArray *found)
{
  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, Candidate, i).rank < RANK_NOT_EXACT)
      return TRUE;
  return FALSE;
}

/* How many found so far match without a slip. */
static guint
count_close (GArray *found)
{
  guint n = 0;

  for (guint i = 0; i < found->len; i++)
    if (!g_array_index (found, Candidate, i).approximate)
      n++;
  return n;
}

/* A word of the register close to a typed word that may have slipped. */
typedef struct {
  guint typed;  /* which typed word */
  int   cost;   /* word_cost ()'s measure */
  guint people; /* how many bear it */
  char *word;
} SlipWord;

static void
slip_word_clear (gpointer data)
{
  g_free (((SlipWord *) data)->word);
}

static int
slip_word_compare (gconstpointer a, gconstpointer b)
{
  const SlipWord *x = a, *y = b;

  if (x->typed != y->typed)
    return (int) x->typed - (int) y->typed;
  if (x->cost != y->cost)
    return x->cost - y->cost;
  return x->people > y->people ? -1 : x->people < y->people;
}

/* One pass over the register's vocabulary: for each typed word a slip
 * may hide in, the words within its budget (word_cost ()'s measure, a
 * start of the word counting as it), closest first, then commonest.
 * With @slipped_only, not the words the typed word starts without a
 * slip: the pieces pass, when it saw all its candidates, read their
 * bearers already with the same filters ("martin thoams": the 1,300
 * Martins filtered by "thoams" again, for nobody). */
static gboolean
slip_words (RelaisDb    *db,
            const Query *q,
            gboolean     slipped_only,
            GArray      *out,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT word, people FROM mail_name_words /* vocabulary */", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *word = (const char *) sqlite3_column_text (stmt, 0);
      gsize       n = sqlite3_column_bytes (stmt, 0);

      for (guint i = 0; i < q->n; i++)
        {
          int max = slips_allowed (q->len[i]), whole = max + 1, d;

          /* A start within the budget is at least the typed word's
           * length less the budget. */
          if (max == 0 || n + max < q->len[i])
            continue;
          d = prefix_distance (q->words[i], q->len[i], word, n, max, &whole);
          if (d <= max && !(slipped_only && d == 0))
            {
              SlipWord w = { i, d == 0 ? (whole == 0 ? 0 : 1) : 3 + 3 * d + (whole > d),
                             (guint) sqlite3_column_int (stmt, 1), g_strdup (word) };

              g_array_append_val (out, w);
            }
        }
    }
  if (rc != SQLITE_DONE)
    return relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
  g_array_sort (out, slip_word_compare);
  return TRUE;
}

/* How many found so far by their own name are still domiciled: those
 * an answer shows first. */
static guint
count_active (GArray *found)
{
  guint n = 0;

  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, Candidate, i).rank % RANK_NOT_EXACT < RANK_VIA_PROXY)
      n++;
  return n;
}

/* Steps through @words from @start to @end (each typed word's close
 * words, closest first), reading each one's bearers with @sql (?1 the word, the other typed
 * words filtered); a typed word's further words are left once @limit
 * people still domiciled are found, and everything after a bound of
 * rows. */
static gboolean
read_bearers (RelaisDb    *db,
              const char  *sql,
              GArray      *words,
              guint        start,
              guint        end,
              const Query *q,
              guint        limit,
              guint       *rows,
              GHashTable  *seen,
              GArray      *found,
              GError     **error)
{
  for (guint k = start; k < end && *rows < MAX_CANDIDATES * 10; k++)
    {
      SlipWord *w = &g_array_index (words, SlipWord, k);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (k > start)
        {
          SlipWord *prev = &g_array_index (words, SlipWord, k - 1);

          if (prev->typed == w->typed && prev->cost < w->cost && count_active (found) >= limit)
            {
              while (k + 1 < end && g_array_index (words, SlipWord, k + 1).typed == w->typed)
                k++;
              continue;
            }
        }
      stmt = relais_db_prepare (db, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, w->word, -1, SQLITE_STATIC);
      bind_words (stmt, q, 1u << w->typed);
      if (!collect (db, stmt, q, TRUE, w->people, seen, found, rows, error))
        return FALSE;
    }
  return TRUE;
}

/* The people bearing the words a slipped typed word may be. First, for
 * the first typed word, those whose name starts with such a word (the
 * surname typed first, as most do: "marin" is Martin before Marie, a
 * B-tree range each); then the bearers anywhere in the name, through
 * mail_people_words. Both within one bound of rows. */
static gboolean
slip_pass (RelaisDb    *db,
           const Query *q,
           gboolean     slipped_only,
           guint        limit,
           GHashTable  *seen,
           GArray      *found,
           GError     **error)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (SlipWord));
  guint rows = 0, first = 0;

  g_array_set_clear_func (words, slip_word_clear);
  if (!slip_words (db, q, slipped_only, words, error))
    return FALSE;
  while (first < words->len && g_array_index (words, SlipWord, first).typed == 0)
    first++;
  if (!read_bearers (db,
                     "SELECT id, folded, state FROM mail_people"
                     " WHERE folded >= ?1 AND folded < ?1 || ' ' || char (1114111)" WORD_FILTERS ("folded") " /* a word first */",
                     words, 0, first, q, limit, &rows, seen, found, error))
    return FALSE;
  /* Enough found with the first typed word first: the same words later
   * in a name would rank after them. */
  return read_bearers (db,
                       "SELECT p.id, p.folded, p.state FROM mail_people_words w"
                       " JOIN mail_people p INDEXED BY mail_people_names ON p.id = w.person_id WHERE w.word = ?1" WORD_FILTERS ("p.folded") " /* a word's bearers */",
                       words, count_active (found) >= limit ? first : 0, words->len, q, limit, &rows, seen,
                       found, error);
}

GPtrArray *
relais_db_mail_search (RelaisDb   *db,
                       const char *query,
                       guint       limit,
                       GError    **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  Query    q = { { NULL }, { NULL }, { 0 }, 0, NULL };
  guint    indexed = 0;          /* a bit per word the pieces pass can lead by */
  gboolean pieces_whole = FALSE; /* it saw every candidate */
  gboolean own = FALSE;          /* the read transaction is this search's */
  gboolean ok = FALSE;

  g_return_val_if_fail (db != NULL && query != NULL, NULL);

  g_array_set_clear_func (found, candidate_clear);
  if (!relais_mail_name_valid (query, "Recherche", error))
    return NULL;
  q.text = relais_mail_fold (query);
  {
    g_auto(GStrv) words = g_strsplit (q.text, " ", MAX_QUERY_WORDS);

    /* A seventh word and beyond stay glued to the sixth: still matched
     * as a piece of the name. */
    for (guint i = 0; words[i] != NULL && q.n < MAX_QUERY_WORDS; i++)
      if (*words[i] != '\0')
        {
          q.words[q.n] = g_strdup (words[i]);
          q.len[q.n] = strlen (words[i]);
          q.needles[q.n] = q.len[q.n] >= 3 ? g_strdup (words[i]) : g_strconcat (" ", words[i], NULL);
          if (q.len[q.n] >= 2)
            indexed |= 1u << q.n;
          q.n++;
        }
  }
  limit = CLAMP (limit, 1, 100);

  /* Every pass in one read transaction: one snapshot of the register,
   * and the WAL's read lock taken once, not by each of the twenty-odd
   * statements (the lock's fcntl calls and the pager's check showed in
   * the hub's profile). Inside a caller's transaction, theirs. */
  if (sqlite3_get_autocommit (db->handle))
    {
      if (!relais_db_exec (db, "BEGIN DEFERRED /* search */", error))
        goto out;
      own = TRUE;
    }

  /* 1. The whole query starts the name ("le valerie", "marty emilie"). */
  if (q.n > 1
      && !run_pass (db,
                    "SELECT id, folded, state FROM mail_people WHERE folded >= ?1 AND folded < ?1 || char (1114111)"
                    " ORDER BY folded LIMIT ?2 /* whole query */",
                    q.text, MAX_CANDIDATES, &q, ~0u, FALSE, seen, found, error))
    goto out;

  /* 2. The surname's start, the other words filtered in SQL. */
  if (!run_pass (db,
                 "SELECT id, folded, state FROM mail_people WHERE folded >= ?1 AND folded < ?1 || char (1114111)" WORD_FILTERS ("folded") " ORDER BY folded LIMIT ?2",
                 q.words[0], MAX_CANDIDATES, &q, 1u, FALSE, seen, found, error))
    goto out;

  /* 2b. The words typed in another order ("sy an" for André Sylvie):
   * each later word as the surname's start. */
  for (guint i = 1; i < q.n && count_close (found) < limit; i++)
    if (!run_pass (db,
                   "SELECT id, folded, state FROM mail_people WHERE folded >= ?1 AND folded < ?1 || char (1114111)" WORD_FILTERS ("folded") " ORDER BY folded LIMIT ?2 /* other order */",
                   q.words[i], MAX_CANDIDATES, &q, 1u << i, FALSE, seen, found, error))
      goto out;

  /* 3. Pieces anywhere (first names, later words of compound surnames):
   * through the register's words, for the typed word of two letters or
   * more whose words fewest people bear (piece_pass ()). */
  if (indexed != 0 && count_close (found) < limit)
    {
      if (!piece_pass (db, &q, indexed, seen, found, &pieces_whole, error))
        goto out;
    }

  /* 4. Someone's proxy: the person they collect for. */
  if (count_close (found) < limit
      && !run_pass (db,
                    "SELECT p.id, p.folded, p.state, x.folded, x.name"
                    " FROM mail_proxies x JOIN mail_people p INDEXED BY mail_people_names ON p.id = x.person_id"
                    " WHERE ?1 IS NOT NULL" WORD_FILTERS ("x.folded") " LIMIT ?2",
                    "", limit, &q, 0, FALSE, seen, found, error))
    goto out;

  /* 5. A slip, in any one word: the register's words within the typed
   * word's budget (the first letter may be the one that slipped), then
   * who bears them, closest words first, every other word filtered in
   * SQL. */
  if (count_close (found) < limit && !found_exact (found)
      && !slip_pass (db, &q, pieces_whole, limit, seen, found, error))
    goto out;

  g_array_sort (found, candidate_compare);
  for (guint i = 0; i < found->len && people->len < limit; i++)
    {
      Candidate        *c = &g_array_index (found, Candidate, i);
      RelaisMailPerson *p = relais_db_mail_person_get_by_id (db, c->id, error);

      if (p == NULL)
        goto out;
      p->approximate = c->approximate;
      p->via_proxy = g_steal_pointer (&c->via_proxy);
      count_homonyms (db, p);
      g_ptr_array_add (people, p);
    }
  ok = TRUE;

out:
  if (own && !sqlite3_get_autocommit (db->handle))
    relais_db_exec (db, "COMMIT /* search */", NULL);
  query_clear (&q);
  return ok ? g_steal_pointer (&people) : NULL;
}
