/* relais-glossary.c: a GKeyFile of headwords; each headword and its other
 * forms folded (relais_letter_fold ()) for matching, longest first. */
#include "relais-glossary.h"
#include "relais-letter-facts.h"
#include "letter-resources.h"

#include <gio/gio.h>
#include <string.h>

struct _RelaisGlossary {
  GKeyFile   *file;
  GHashTable *by_term; /* headword → itself (for lookups) */
  GPtrArray  *forms;   /* Form, longest first */
};

typedef struct
{
  char       *folded;
  const char *term; /* borrowed from by_term */
} Form;

static void
form_free (gpointer p)
{
  Form *form = p;

  g_free (form->folded);
  g_free (form);
}

static int
form_longest_first (gconstpointer a, gconstpointer b)
{
  const Form *fa = *(const Form **) a, *fb = *(const Form **) b;

  return (int) strlen (fb->folded) - (int) strlen (fa->folded);
}

static void
add_form (RelaisGlossary *glossary, const char *spelling, const char *term)
{
  Form            *form;
  g_autofree char *folded = relais_letter_fold (spelling, NULL);

  g_strstrip (folded);
  if (folded[0] == '\0')
    return;
  form = g_new0 (Form, 1);
  form->folded = g_steal_pointer (&folded);
  form->term = term;
  g_ptr_array_add (glossary->forms, form);
}

RelaisGlossary *
relais_glossary_new_from_data (const char *data, gsize length, GError **error)
{
  g_autoptr (RelaisGlossary) glossary = g_new0 (RelaisGlossary, 1);
  g_auto (GStrv) groups = NULL;

  glossary->file = g_key_file_new ();
  glossary->by_term = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  glossary->forms = g_ptr_array_new_with_free_func (form_free);
  if (!g_key_file_load_from_data (glossary->file, data, length, G_KEY_FILE_NONE, error))
    return NULL;
  groups = g_key_file_get_groups (glossary->file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      char            *term = g_strdup (groups[i]);
      g_autofree char *forms = g_key_file_get_string (glossary->file, term, "forms", NULL);

      if (!g_key_file_has_key (glossary->file, term, "fr", NULL))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "Glossary term “%s” has no French explanation", term);
          g_free (term);
          return NULL;
        }
      g_hash_table_insert (glossary->by_term, term, term);
      add_form (glossary, term, term);
      if (forms != NULL)
        {
          g_auto (GStrv) each = g_strsplit (forms, ";", -1);

          for (guint j = 0; each[j] != NULL; j++)
            add_form (glossary, each[j], term);
        }
    }
  g_ptr_array_sort (glossary->forms, form_longest_first);
  return g_steal_pointer (&glossary);
}

RelaisGlossary *
relais_glossary_get_default (void)
{
  static RelaisGlossary *glossary;

  if (g_once_init_enter (&glossary))
    {
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;
      RelaisGlossary *loaded;
      gsize           length;
      const char     *data;

      relais_letter_register_resource ();
      bytes = g_resources_lookup_data ("/fr/relais/letter/glossaire.ini", 0, NULL);
      g_assert (bytes != NULL);
      data = g_bytes_get_data (bytes, &length);
      loaded = relais_glossary_new_from_data (data, length, &error);
      if (loaded == NULL)
        g_error ("The shipped glossary is broken: %s", error->message);
      g_once_init_leave (&glossary, loaded);
    }
  return glossary;
}

void
relais_glossary_free (RelaisGlossary *glossary)
{
  if (glossary == NULL)
    return;
  g_clear_pointer (&glossary->file, g_key_file_unref);
  g_clear_pointer (&glossary->by_term, g_hash_table_unref);
  g_clear_pointer (&glossary->forms, g_ptr_array_unref);
  g_free (glossary);
}

guint
relais_glossary_get_n_terms (RelaisGlossary *glossary)
{
  return g_hash_table_size (glossary->by_term);
}

const char *
relais_glossary_explain (RelaisGlossary *glossary, const char *term, const char *language)
{
  const char        *headword = g_hash_table_lookup (glossary->by_term, term);
  GKeyFile          *file = glossary->file;
  /* GKeyFile's strings are copies: keep one per (term, language). */
  static GHashTable *cache;
  static GMutex      lock;
  g_autofree char   *key = NULL;
  const char        *found;

  if (headword == NULL)
    return NULL;
  if (language == NULL || !g_key_file_has_key (file, headword, language, NULL))
    language = "fr";
  key = g_strdup_printf ("%p/%s/%s", (void *) glossary, headword, language);
  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  found = g_hash_table_lookup (cache, key);
  if (found == NULL)
    {
      char *value = g_key_file_get_string (file, headword, language, NULL);

      g_hash_table_insert (cache, g_steal_pointer (&key), value);
      found = value;
    }
  g_mutex_unlock (&lock);
  return found;
}

static int
compare_terms (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

GPtrArray *
relais_glossary_list_terms (RelaisGlossary *glossary)
{
  GPtrArray     *terms = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, glossary->by_term);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (terms, key);

  g_ptr_array_sort (terms, compare_terms);
  return terms;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

GArray *
relais_glossary_find (RelaisGlossary *glossary, const char *text)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (RelaisGlossaryMatch));
  g_autoptr (GArray) map = NULL;
  g_autofree char *folded = relais_letter_fold (text, &map);
  gsize            length = strlen (folded);

  for (gsize at = 0; at < length; at++)
    {
      if (!is_word_char (folded[at]) || (at > 0 && is_word_char (folded[at - 1])))
        continue;
      for (guint f = 0; f < glossary->forms->len; f++)
        {
          const Form *form = g_ptr_array_index (glossary->forms, f);
          gsize       n = strlen (form->folded);

          if (at + n <= length && memcmp (folded + at, form->folded, n) == 0 && !is_word_char (folded[at + n]))
            {
              RelaisGlossaryMatch match;

              match.start = g_array_index (map, int, at);
              match.end = g_array_index (map, int, at + n);
              match.term = form->term;
              g_array_append_val (matches, match);
              at += n - 1;
              break;
            }
        }
    }
  return matches;
}
