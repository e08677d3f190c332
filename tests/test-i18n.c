/* test-i18n.c: every sentence the station can show is translated in every
 * catalogue, and no catalogue lags behind the sources (issue 20, item 20).
 *
 * The messages are those xgettext finds now in the files POTFILES.in lists
 * (not the relais.pot kept in git, which may be stale). A message is the
 * station's when one of its references is in station/ or drivers/, or in
 * the hub (mediator/hub/, db/): the hub is headless, its sentences reach
 * people through a station. The console's own screens (the rest of
 * mediator/) are read by mediators, in French, and are not checked here.
 * Each catalogue is also checked by msgfmt --check (formats, header). */
#include <string.h>

#include <glib/gstdio.h>

#include "relais-test-util.h"

/* Where the station's sentences come from (its templates too). */
static const char * const station_domains[] = { "station/", "drivers/", "mediator/hub/", "db/", "assets/ui/station-",
                                                NULL };

typedef struct {
  char      *context; /* NULL without msgctxt */
  char      *id;      /* as written in the file: escapes kept */
  char      *id_plural;
  GPtrArray *strs; /* msgstr, or msgstr[0..n-1] */
  GPtrArray *refs; /* "station/x.c:12" */
  gboolean   fuzzy;
} PoEntry;

static void
po_entry_free (PoEntry *entry)
{
  g_free (entry->context);
  g_free (entry->id);
  g_free (entry->id_plural);
  g_ptr_array_unref (entry->strs);
  g_ptr_array_unref (entry->refs);
  g_free (entry);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PoEntry, po_entry_free)

static PoEntry *
po_entry_new (void)
{
  PoEntry *entry = g_new0 (PoEntry, 1);

  entry->strs = g_ptr_array_new_with_free_func (g_free);
  entry->refs = g_ptr_array_new_with_free_func (g_free);
  return entry;
}

static char *
po_entry_key (const PoEntry *entry)
{
  return entry->context != NULL ? g_strconcat (entry->context, "\004", entry->id, NULL) : g_strdup (entry->id);
}

static gboolean
po_entry_is_station (const PoEntry *entry)
{
  for (guint i = 0; i < entry->refs->len; i++)
    for (guint d = 0; station_domains[d] != NULL; d++)
      if (g_str_has_prefix (entry->refs->pdata[i], station_domains[d]))
        return TRUE;
  return FALSE;
}

/* A catalogue's live entries (obsolete "#~" ones left out), in file
 * order, and by key. */
typedef struct {
  GPtrArray  *entries;
  GHashTable *by_key; /* borrowed entries */
} Po;

static void
po_free (Po *po)
{
  g_hash_table_unref (po->by_key);
  g_ptr_array_unref (po->entries);
  g_free (po);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Po, po_free)

typedef enum {
  FIELD_NONE,
  FIELD_CONTEXT,
  FIELD_ID,
  FIELD_ID_PLURAL,
  FIELD_STR
} Field;

typedef struct {
  Po      *po;
  PoEntry *entry;
  Field    field;
  GString *text;
} Parser;

/* The string being read is complete: it goes where its keyword said. */
static void
parser_store (Parser *p)
{
  char *text = g_string_free (g_steal_pointer (&p->text), FALSE);

  switch (p->field)
    {
    case FIELD_CONTEXT: p->entry->context = text; break;
    case FIELD_ID: p->entry->id = text; break;
    case FIELD_ID_PLURAL: p->entry->id_plural = text; break;
    case FIELD_STR: g_ptr_array_add (p->entry->strs, text); break;
    case FIELD_NONE:
    default: g_free (text); break;
    }
  p->field = FIELD_NONE;
}

static void
parser_end_entry (Parser *p)
{
  if (p->text != NULL)
    parser_store (p);
  if (p->entry != NULL && p->entry->id != NULL)
    {
      g_ptr_array_add (p->po->entries, p->entry);
      g_hash_table_replace (p->po->by_key, po_entry_key (p->entry), p->entry);
    }
  else if (p->entry != NULL)
    po_entry_free (p->entry);
  p->entry = NULL;
}

/* The text between the first and the last quote of @line, escapes kept. */
static gboolean
append_quoted (GString    *into,
               const char *line)
{
  const char *open = strchr (line, '"');
  const char *close = strrchr (line, '"');

  if (open == NULL || close == open)
    return FALSE;
  g_string_append_len (into, open + 1, close - open - 1);
  return TRUE;
}

/* Parses the PO syntax gettext's tools write. */
static Po *
po_parse (const char *text,
          GError    **error)
{
  g_autoptr(Po) po = g_new0 (Po, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  Parser   p = { po, NULL, FIELD_NONE, NULL };
  gboolean seen_str = FALSE;

  po->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) po_entry_free);
  po->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      char *line = g_strstrip (lines[n]);
      static const struct {
        const char *keyword;
        Field       field;
      } keywords[] = {
        { "msgctxt ", FIELD_CONTEXT },
        { "msgid ", FIELD_ID },
        { "msgid_plural ", FIELD_ID_PLURAL },
        { "msgstr ", FIELD_STR },
        { "msgstr[", FIELD_STR },
      };
      Field field = FIELD_NONE;

      /* A blank line, or a comment or msgctxt/msgid after a msgstr, ends
       * an entry. */
      if (line[0] == '\0'
          || (seen_str && (line[0] == '#' || g_str_has_prefix (line, "msgctxt ") || g_str_has_prefix (line, "msgid "))))
        {
          parser_end_entry (&p);
          seen_str = FALSE;
          if (line[0] == '\0')
            continue;
        }
      if (p.entry == NULL)
        p.entry = po_entry_new ();

      if (line[0] == '#')
        {
          if (g_str_has_prefix (line, "#:"))
            {
              g_auto(GStrv) refs = g_strsplit_set (line + 2, " \t", -1);

              for (guint i = 0; refs[i] != NULL; i++)
                if (refs[i][0] != '\0')
                  g_ptr_array_add (p.entry->refs, g_strdup (refs[i]));
            }
          else if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
            p.entry->fuzzy = TRUE;
          /* "#~" (obsolete) and "#|" (previous msgid) are comments here. */
          continue;
        }
      if (line[0] == '"')
        {
          if (p.text == NULL || !append_quoted (p.text, line))
            {
              g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "line %u: a string out of place", n + 1);
              parser_end_entry (&p);
              return NULL;
            }
          continue;
        }
      for (guint k = 0; k < G_N_ELEMENTS (keywords) && field == FIELD_NONE; k++)
        if (g_str_has_prefix (line, keywords[k].keyword))
          field = keywords[k].field;
      if (field == FIELD_NONE)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "line %u: not PO syntax: %s", n + 1, line);
          parser_end_entry (&p);
          return NULL;
        }
      if (p.text != NULL)
        parser_store (&p);
      p.field = field;
      p.text = g_string_new (NULL);
      if (!append_quoted (p.text, line))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "line %u: no string: %s", n + 1, line);
          parser_end_entry (&p);
          return NULL;
        }
      if (field == FIELD_STR)
        seen_str = TRUE;
    }
  parser_end_entry (&p);
  return g_steal_pointer (&po);
}

static Po *
po_load (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Po *po;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  po = po_parse (text, &error);
  if (po == NULL)
    g_error ("%s: %s", path, error->message);
  return po;
}

/* What is wrong with @pot's station messages in @po, one line each;
 * empty when nothing is. */
static GPtrArray *
po_check (Po *pot,
          Po *po)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < pot->entries->len; i++)
    {
      PoEntry         *want = pot->entries->pdata[i];
      g_autofree char *key = po_entry_key (want);
      PoEntry         *have;
      const char      *where;
      const char      *what = NULL;

      if (want->id[0] == '\0' || !po_entry_is_station (want))
        continue;
      where = want->refs->pdata[0];
      have = g_hash_table_lookup (po->by_key, key);
      if (have == NULL)
        what = "missing: the catalogue is older than the sources (ninja relais-pot relais-update-po)";
      else if (g_strcmp0 (have->id_plural, want->id_plural) != 0)
        what = "plural changed: the catalogue is older than the sources";
      else if (have->fuzzy)
        what = "fuzzy";
      else
        {
          if (have->strs->len == 0)
            what = "untranslated";
          for (guint s = 0; s < have->strs->len; s++)
            if (*(const char *) have->strs->pdata[s] == '\0')
              what = "untranslated";
        }
      if (what != NULL)
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s: \"%s\"", where, what, want->id));
    }
  /* A station message the sources no longer have is still live: the
   * catalogue was not merged. */
  for (guint i = 0; i < po->entries->len; i++)
    {
      PoEntry         *have = po->entries->pdata[i];
      g_autofree char *key = po_entry_key (have);

      if (have->id[0] != '\0' && po_entry_is_station (have) && !g_hash_table_contains (pot->by_key, key))
        g_ptr_array_add (problems, g_strdup_printf ("%s: no longer in the sources (ninja relais-update-po): \"%s\"",
                                                    (const char *) have->refs->pdata[0], have->id));
    }
  return problems;
}

/* ---- the sources' messages, now ---- */

static char *pot_dir;
static char *pot_path;

/* xgettext over POTFILES.in, with the keywords the build gives it
 * (RELAIS_XGETTEXT_ARGS, one per line). Once per run. */
static const char *
current_pot (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *potfiles = g_build_filename (relais_test_source_dir (), "assets", "po", "POTFILES.in", NULL);
  g_autofree char *files_from = g_strconcat ("--files-from=", potfiles, NULL);
  g_autofree char *directory = g_strconcat ("--directory=", relais_test_source_dir (), NULL);
  g_autofree char *output = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  const char *xgettext = g_getenv ("RELAIS_XGETTEXT");
  int         status = 0;

  if (pot_path != NULL)
    return pot_path;
  /* meson gives both (tests/meson.build). */
  g_assert_nonnull (xgettext);
  g_assert_nonnull (g_getenv ("RELAIS_XGETTEXT_ARGS"));
  args = g_strsplit (g_getenv ("RELAIS_XGETTEXT_ARGS"), "\n", -1);
  /* Its own folder: meson runs one of these per catalogue at once. */
  pot_dir = g_dir_make_tmp ("relais-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  pot_path = g_build_filename (pot_dir, "relais-now.pot", NULL);
  output = g_strconcat ("--output=", pot_path, NULL);
  g_ptr_array_add (argv, (char *) xgettext);
  g_ptr_array_add (argv, files_from);
  g_ptr_array_add (argv, directory);
  g_ptr_array_add (argv, output);
  for (guint i = 0; args[i] != NULL; i++)
    if (args[i][0] != '\0')
      g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xgettext: %s\n%s", error->message, err);
  return pot_path;
}

/* ---- tests ---- */

/* The checker itself finds what it must: a test that cannot fail is a
 * defect. */
static void
test_checker_finds_problems (void)
{
  static const char pot_text[] =
      "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
      "#: station/a.c:1\nmsgid \"Touchez ici.\"\nmsgstr \"\"\n\n"
      "#: station/a.c:2\n#, c-format\nmsgid \"%d page\"\nmsgid_plural \"%d pages\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\n"
      "#: drivers/b.c:3\nmsgid \"Le scanner est \"\n\"occupé.\"\nmsgstr \"\"\n\n"
      "#: drivers/b.c:4\nmsgid \"Nouvelle phrase.\"\nmsgstr \"\"\n\n"
      "#: mediator/mediator-window.c:5\nmsgid \"Console seulement.\"\nmsgstr \"\"\n\n"
      "#: station/a.c:6\nmsgctxt \"bouton\"\nmsgid \"Ouvrir\"\nmsgstr \"\"\n";
  static const char po_text[] =
      "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
      "#: station/a.c:1\nmsgid \"Touchez ici.\"\nmsgstr \"Toque aquí.\"\n\n"
      "#: station/a.c:2\n#, c-format\nmsgid \"%d page\"\nmsgid_plural \"%d pages\"\nmsgstr[0] \"%d página\"\nmsgstr[1] \"\"\n\n"
      "#: drivers/b.c:3\n#, fuzzy\n#| msgid \"Le scanner est pris.\"\nmsgid \"Le scanner est occupé.\"\nmsgstr \"El escáner está ocupado.\"\n\n"
      "#: station/old.c:9\nmsgid \"Ancienne phrase.\"\nmsgstr \"Frase antigua.\"\n\n"
      "#: station/a.c:6\nmsgctxt \"bouton\"\nmsgid \"Ouvrir\"\nmsgstr \"Abrir\"\n\n"
      "#~ msgid \"Oubliée.\"\n#~ msgstr \"\"\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(Po) pot = po_parse (pot_text, &error);
  g_autoptr(Po) po = po_parse (po_text, &error);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (pot->entries->len, ==, 7);
  g_assert_cmpuint (po->entries->len, ==, 6); /* the obsolete one is not live */
  problems = po_check (pot, po);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_true (g_str_has_prefix (problems->pdata[0], "station/a.c:2: untranslated"));
  g_assert_true (g_str_has_prefix (problems->pdata[1], "drivers/b.c:3: fuzzy"));
  g_assert_true (g_str_has_prefix (problems->pdata[2], "drivers/b.c:4: missing"));
  g_assert_true (g_str_has_prefix (problems->pdata[3], "station/old.c:9: no longer in the sources"));

  /* Broken syntax is an error, not an empty catalogue. */
  g_assert_null (po_parse ("msgid \"a\"\nmsgstr \"b\"\nnonsense\n", &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE);
}

/* Every file of station/ and drivers/ that calls gettext, and every
 * template with words to translate, is in POTFILES.in: otherwise its
 * sentences escape xgettext, and this test. */
static void
test_potfiles_complete (void)
{
  static const char * const dirs[] = { "station", "drivers", "assets/ui", NULL };
  g_autofree char          *potfiles_path = g_build_filename (relais_test_source_dir (), "assets", "po", "POTFILES.in", NULL);
  g_autofree char          *potfiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) calls = g_regex_new ("\\b(N?_|C_|NC_|ngettext|g_dngettext)\\s*\\(\\s*\"", 0, 0, &error);
  g_auto(GStrv) listed = NULL;
  guint missing = 0;

  g_assert_no_error (error);
  g_file_get_contents (potfiles_path, &potfiles, NULL, &error);
  g_assert_no_error (error);
  listed = g_strsplit (potfiles, "\n", -1);
  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autofree char *dir_path = g_build_filename (relais_test_source_dir (), dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *relative = g_build_filename (dirs[d], name, NULL);
          g_autofree char *source = NULL;

          if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h") && !g_str_has_suffix (name, ".ui"))
            continue;
          g_file_get_contents (path, &source, NULL, &error);
          g_assert_no_error (error);
          if ((g_str_has_suffix (name, ".ui") ? strstr (source, "translatable=\"yes\"") != NULL
                                              : g_regex_match (calls, source, 0, NULL))
              && !g_strv_contains ((const char * const *) listed, relative))
            {
              g_test_message ("%s has words to translate but is not in assets/po/POTFILES.in", relative);
              missing++;
            }
        }
    }
  g_assert_cmpuint (missing, ==, 0);
}

/* msgfmt --check: formats (%s, %d…) match, the header is sound. */
static void
test_msgfmt_check (gconstpointer data)
{
  const char      *language = data;
  g_autofree char *file = g_strconcat (language, ".po", NULL);
  g_autofree char *path = g_build_filename (relais_test_source_dir (), "assets", "po", file, NULL);
  const char      *msgfmt = g_getenv ("RELAIS_MSGFMT");
  const char      *argv[] = { msgfmt, "--check", "--output-file=/dev/null", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (msgfmt);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("msgfmt --check %s:\n%s", file, err);
      g_test_fail ();
    }
}

/* Every station message of the sources, translated, and not fuzzy. */
static void
test_station_translated (gconstpointer data)
{
  const char      *language = data;
  g_autofree char *file = g_strconcat (language, ".po", NULL);
  g_autofree char *path = g_build_filename (relais_test_source_dir (), "assets", "po", file, NULL);
  g_autoptr(Po) pot = po_load (current_pot ());
  g_autoptr(Po) po = po_load (path);
  g_autoptr(GPtrArray) problems = po_check (pot, po);
  guint station = 0;

  for (guint i = 0; i < pot->entries->len; i++)
    station += po_entry_is_station (pot->entries->pdata[i]);
  /* The sources were read: the station alone has hundreds of sentences. */
  g_assert_cmpuint (station, >, 100);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", file, (char *) problems->pdata[i]);
  if (problems->len > 0)
    {
      g_test_message ("%s: %u of the station's %u messages need a translator", file, problems->len, station);
      g_test_fail ();
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *linguas_path = NULL;
  g_autofree char *linguas = NULL;
  g_auto(GStrv) languages = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/i18n/checker/finds-problems", test_checker_finds_problems);
  g_test_add_func ("/i18n/checker/potfiles-complete", test_potfiles_complete);
  /* One group per catalogue of LINGUAS: meson runs each on its own, so a
   * language's translator sees their own list. */
  linguas_path = g_build_filename (relais_test_source_dir (), "assets", "po", "LINGUAS", NULL);
  g_file_get_contents (linguas_path, &linguas, NULL, &error);
  g_assert_no_error (error);
  languages = g_strsplit_set (linguas, " \n", -1);
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *check = NULL;
      g_autofree char *translated = NULL;

      if (languages[i][0] == '\0' || languages[i][0] == '#')
        continue;
      check = g_strdup_printf ("/i18n/%s/msgfmt-check", languages[i]);
      translated = g_strdup_printf ("/i18n/%s/station-translated", languages[i]);
      g_test_add_data_func (check, languages[i], test_msgfmt_check);
      g_test_add_data_func (translated, languages[i], test_station_translated);
    }
  status = g_test_run ();
  if (pot_path != NULL)
    {
      g_unlink (pot_path);
      g_rmdir (pot_dir);
    }
  g_free (pot_path);
  g_free (pot_dir);
  return status;
}
