/* relais-test-xlsx.c: reads back an XLSX with `unzip -p` and GMarkup. */

#include "relais-test-xlsx.h"

#include <string.h>

static char *
unzip_member (const char *path, const char *member)
{
  const char *argv[] = { "unzip", "-p", path, member, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int              status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (out);
  return g_steal_pointer (&out);
}

typedef struct {
  GPtrArray  *strings; /* shared strings */
  GHashTable *cells;   /* ref → text */
  GStrv       names;   /* sheet names */
  GPtrArray  *name_list;
  GString    *text;
  char       *ref;
  gboolean    shared;
  gboolean    in_text;
} Reader;

static void
start_element (GMarkupParseContext *context, const char *element, const char **names, const char **values, gpointer user_data, GError **error)
{
  Reader *r = user_data;

  if (g_str_equal (element, "si"))
    g_string_truncate (r->text, 0);
  else if (g_str_equal (element, "t") || g_str_equal (element, "v"))
    {
      r->in_text = TRUE;
      if (g_str_equal (element, "v"))
        g_string_truncate (r->text, 0);
    }
  else if (g_str_equal (element, "c"))
    {
      g_free (r->ref);
      r->ref = NULL;
      r->shared = FALSE;
      g_string_truncate (r->text, 0);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "r"))
          r->ref = g_strdup (values[i]);
        else if (g_str_equal (names[i], "t") && g_str_equal (values[i], "s"))
          r->shared = TRUE;
    }
  else if (g_str_equal (element, "sheet") && r->name_list != NULL)
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], "name"))
        g_ptr_array_add (r->name_list, g_strdup (values[i]));
}

static void
end_element (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  Reader *r = user_data;

  if (g_str_equal (element, "t") || g_str_equal (element, "v"))
    r->in_text = FALSE;
  else if (g_str_equal (element, "si") && r->strings != NULL)
    g_ptr_array_add (r->strings, g_strdup (r->text->str));
  else if (g_str_equal (element, "c") && r->cells != NULL && r->ref != NULL)
    {
      char *value;

      if (r->shared)
        {
          guint64 index = g_ascii_strtoull (r->text->str, NULL, 10);

          g_assert_cmpuint (index, <, r->strings->len);
          value = g_strdup (g_ptr_array_index (r->strings, index));
        }
      else
        value = g_strdup (r->text->str);
      g_hash_table_insert (r->cells, g_steal_pointer (&r->ref), value);
    }
}

static void
text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data, GError **error)
{
  Reader *r = user_data;

  if (r->in_text)
    g_string_append_len (r->text, text, (gssize) len);
}

static void
parse (Reader *r, const char *xml)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, r, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_markup_parse_context_parse (context, xml, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

GHashTable *
relais_test_xlsx_read_sheet (const char *path, guint n)
{
  g_autofree char *strings_xml = unzip_member (path, "xl/sharedStrings.xml");
  g_autofree char *member = g_strdup_printf ("xl/worksheets/sheet%u.xml", n);
  g_autofree char *sheet_xml = unzip_member (path, member);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) buffer = g_string_new (NULL);
  Reader r = { .strings = strings, .text = buffer };

  parse (&r, strings_xml);
  r.cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parse (&r, sheet_xml);
  g_free (r.ref);
  return r.cells;
}

GStrv
relais_test_xlsx_sheet_names (const char *path)
{
  g_autofree char *xml = unzip_member (path, "xl/workbook.xml");
  g_autoptr(GString) buffer = g_string_new (NULL);
  Reader r = { .text = buffer, .name_list = g_ptr_array_new () };

  parse (&r, xml);
  g_free (r.ref);
  g_ptr_array_add (r.name_list, NULL);
  return (GStrv) g_ptr_array_free (r.name_list, FALSE);
}

const char *
relais_test_xlsx_cell (GHashTable *cells, guint column, guint row)
{
  char ref[16];

  g_assert_cmpuint (column, <, 26);
  g_snprintf (ref, sizeof ref, "%c%u", 'A' + column, row);
  return g_hash_table_lookup (cells, ref);
}
