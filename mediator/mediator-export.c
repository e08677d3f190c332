/* mediator-export.c: tables as XLSX (libxlsxwriter) and as the CSV a
 * French spreadsheet opens without an import dialog. */

#include "mediator-export.h"
#include "mediator-report.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct {
  char    *text;   /* MEDIATOR_CELL_TEXT */
  double   number; /* the others */
  gboolean set;
} Cell;

typedef struct {
  char            *header;
  MediatorCellKind kind;
} Column;

struct _MediatorTable {
  char      *name;
  GArray    *columns; /* Column */
  GPtrArray *rows;    /* Cell[n_columns] */
  gboolean   last_is_total;
};

static void
column_clear (gpointer data)
{
  g_free (((Column *) data)->header);
}

MediatorTable *
mediator_table_new (const char *name)
{
  MediatorTable *table = g_new0 (MediatorTable, 1);

  g_return_val_if_fail (name != NULL, NULL);
  table->name = g_strdup (name);
  table->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (table->columns, column_clear);
  table->rows = g_ptr_array_new ();
  return table;
}

void
mediator_table_free (MediatorTable *table)
{
  if (table == NULL)
    return;
  for (guint r = 0; r < table->rows->len; r++)
    {
      Cell *cells = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->columns->len; c++)
        g_free (cells[c].text);
      g_free (cells);
    }
  g_ptr_array_unref (table->rows);
  g_array_unref (table->columns);
  g_free (table->name);
  g_free (table);
}

const char *
mediator_table_get_name (const MediatorTable *table)
{
  return table->name;
}

guint
mediator_table_get_n_rows (const MediatorTable *table)
{
  return table->rows->len;
}

void
mediator_table_add_column (MediatorTable *table, const char *header, MediatorCellKind kind)
{
  Column column = { g_strdup (header), kind };

  g_return_if_fail (table->rows->len == 0);
  g_array_append_val (table->columns, column);
}

void
mediator_table_add_row (MediatorTable *table)
{
  g_ptr_array_add (table->rows, g_new0 (Cell, table->columns->len));
  table->last_is_total = FALSE;
}

static Cell *
last_cell (MediatorTable *table, guint column)
{
  g_assert (table->rows->len > 0 && column < table->columns->len);
  return &((Cell *) g_ptr_array_index (table->rows, table->rows->len - 1))[column];
}

void
mediator_table_set_text (MediatorTable *table, guint column, const char *value)
{
  Cell *cell;

  g_return_if_fail (column < table->columns->len && table->rows->len > 0);
  g_return_if_fail (g_array_index (table->columns, Column, column).kind == MEDIATOR_CELL_TEXT);
  cell = last_cell (table, column);
  g_free (cell->text);
  cell->text = g_strdup (value);
  cell->set = value != NULL;
}

void
mediator_table_set_number (MediatorTable *table, guint column, double value)
{
  Cell *cell;

  g_return_if_fail (column < table->columns->len && table->rows->len > 0);
  g_return_if_fail (g_array_index (table->columns, Column, column).kind != MEDIATOR_CELL_TEXT);
  cell = last_cell (table, column);
  cell->number = value;
  cell->set = TRUE;
}

void
mediator_table_mark_total (MediatorTable *table)
{
  g_return_if_fail (table->rows->len > 0);
  table->last_is_total = TRUE;
}

/* ---- CSV ---- */

/* RFC 4180 with ';': quote when needed, double the quotes. */
static void
csv_text (GString *out, const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ";\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_cell (GString *out, const Column *column, const Cell *cell)
{
  if (!cell->set)
    return;
  switch (column->kind)
    {
    case MEDIATOR_CELL_TEXT:
      csv_text (out, cell->text);
      break;
    case MEDIATOR_CELL_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) llround (cell->number));
      break;
    case MEDIATOR_CELL_DECIMAL:
      {
        /* "2,5" whatever the C library's locale. */
        char  buffer[G_ASCII_DTOSTR_BUF_SIZE];
        char *point;

        g_ascii_formatd (buffer, sizeof buffer, "%.1f", cell->number);
        if ((point = strchr (buffer, '.')) != NULL)
          *point = ',';
        g_string_append (out, buffer);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
csv_append (GString *out, const MediatorTable *table)
{
  for (guint c = 0; c < table->columns->len; c++)
    {
      if (c > 0)
        g_string_append_c (out, ';');
      csv_text (out, g_array_index (table->columns, Column, c).header);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < table->rows->len; r++)
    {
      const Cell *cells = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->columns->len; c++)
        {
          if (c > 0)
            g_string_append_c (out, ';');
          csv_cell (out, &g_array_index (table->columns, Column, c), &cells[c]);
        }
      g_string_append (out, "\r\n");
    }
}

#define UTF8_BOM "\xEF\xBB\xBF"

GBytes *
mediator_export_csv (const MediatorTable *table)
{
  GString *out = g_string_new (UTF8_BOM);

  g_return_val_if_fail (table != NULL, NULL);
  csv_append (out, table);
  return g_string_free_to_bytes (out);
}

GBytes *
mediator_export_csv_tables (const MediatorTable * const *tables, guint n_tables)
{
  GString *out = g_string_new (UTF8_BOM);

  for (guint i = 0; i < n_tables; i++)
    {
      if (i > 0)
        g_string_append (out, "\r\n");
      csv_text (out, tables[i]->name);
      g_string_append (out, "\r\n");
      csv_append (out, tables[i]);
    }
  return g_string_free_to_bytes (out);
}

/* ---- XLSX ---- */

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
static char *
sheet_name (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = name; *p != '\0' && n < 31; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\", (int) c) != NULL && c < 0x80)
        c = '-';
      g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
mediator_export_xlsx (const MediatorTable * const *tables,
                      guint                        n_tables,
                      const char                  *path,
                      GError                     **error)
{
  lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
  lxw_workbook        *workbook;
  lxw_format          *bold, *decimal, *bold_decimal;
  lxw_error            status;

  g_return_val_if_fail (path != NULL, FALSE);
  workbook = workbook_new_opt (path, &options);
  if (workbook == NULL)
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE,
                   _ ("Le classeur n’a pas pu être créé."));
      return FALSE;
    }
  bold = workbook_add_format (workbook);
  format_set_bold (bold);
  decimal = workbook_add_format (workbook);
  format_set_num_format (decimal, "0.0");
  bold_decimal = workbook_add_format (workbook);
  format_set_bold (bold_decimal);
  format_set_num_format (bold_decimal, "0.0");

  for (guint i = 0; i < n_tables; i++)
    {
      const MediatorTable *table = tables[i];
      g_autofree char     *name = sheet_name (table->name);
      lxw_worksheet       *sheet = workbook_add_worksheet (workbook, name);

      if (sheet == NULL) /* two tables of the same name */
        sheet = workbook_add_worksheet (workbook, NULL);
      for (guint c = 0; c < table->columns->len; c++)
        {
          const Column *column = &g_array_index (table->columns, Column, c);

          worksheet_write_string (sheet, 0, (lxw_col_t) c, column->header, bold);
          worksheet_set_column (sheet, (lxw_col_t) c, (lxw_col_t) c,
                                MAX (10, g_utf8_strlen (column->header, -1) + 2), NULL);
        }
      worksheet_freeze_panes (sheet, 1, 0);
      for (guint r = 0; r < table->rows->len; r++)
        {
          const Cell *cells = g_ptr_array_index (table->rows, r);
          gboolean    total = table->last_is_total && r + 1 == table->rows->len;

          for (guint c = 0; c < table->columns->len; c++)
            {
              const Column *column = &g_array_index (table->columns, Column, c);
              lxw_row_t     row = (lxw_row_t) r + 1;

              if (!cells[c].set)
                continue;
              if (column->kind == MEDIATOR_CELL_TEXT)
                worksheet_write_string (sheet, row, (lxw_col_t) c, cells[c].text, total ? bold : NULL);
              else if (column->kind == MEDIATOR_CELL_DECIMAL)
                worksheet_write_number (sheet, row, (lxw_col_t) c, cells[c].number,
                                        total ? bold_decimal : decimal);
              else
                worksheet_write_number (sheet, row, (lxw_col_t) c, cells[c].number, total ? bold : NULL);
            }
        }
    }
  status = workbook_close (workbook);
  if (status != LXW_NO_ERROR)
    {
      g_set_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE,
                   _ ("Le classeur n’a pas pu être écrit : %s"), lxw_strerror (status));
      return FALSE;
    }
  return TRUE;
}
