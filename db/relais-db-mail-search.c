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
      RelaisMailPerson *p = relais_db_mail_person_get_by_id (db, c->id, error);

      if (p == NULL)
        return NULL;
      p->approximate = c->score >= 3;
      count_homonyms (db, p);
      g_ptr_array_add (people, p);
    }
  return g_steal_pointer (&people);
}

