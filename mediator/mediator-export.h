/* mediator-export.h: a table staff take away, written the way a French
 * office opens it: XLSX (one sheet per table, numbers as numbers) or CSV
 * (';' between cells, French headers, UTF-8 with a BOM, decimal comma). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  MEDIATOR_CELL_TEXT = 0,
  MEDIATOR_CELL_INTEGER,
  MEDIATOR_CELL_DECIMAL, /* one decimal, "2,5" in the CSV */
} MediatorCellKind;

typedef struct _MediatorTable MediatorTable;

/* @name is the sheet's name (XLSX, at most 31 characters) and the
 * table's title line in a CSV holding several tables. */
MediatorTable                *mediator_table_new (const char *name);
void                          mediator_table_free (MediatorTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MediatorTable, mediator_table_free)

const char *mediator_table_get_name (const MediatorTable *table);
guint       mediator_table_get_n_rows (const MediatorTable *table);
/* Columns, declared before any row; @header in French (already
 * translated). */
void        mediator_table_add_column (MediatorTable *table, const char *header, MediatorCellKind kind);
/* A new row; then one set per column, in order. A cell never set stays
 * empty (an average nobody has). */
void        mediator_table_add_row (MediatorTable *table);
void        mediator_table_set_text (MediatorTable *table, guint column, const char *value);
void        mediator_table_set_number (MediatorTable *table, guint column, double value);
/* The last row, when it is a total: bold in the XLSX. */
void        mediator_table_mark_total (MediatorTable *table);

/* One table as CSV: BOM, header line, rows, CRLF line ends. */
GBytes     *mediator_export_csv (const MediatorTable *table);
/* Several tables in one CSV: each after a title line and a blank line
 * between them, one BOM at the start. */
GBytes     *mediator_export_csv_tables (const MediatorTable     *const *tables, guint n_tables);
/* An XLSX workbook at @path, one sheet per table, header row bold and
 * frozen, columns wide enough for their header. */
gboolean    mediator_export_xlsx (const MediatorTable    *const *tables,
                                  guint                        n_tables,
                                  const char                  *path,
                                  GError                     **error);

G_END_DECLS
