/* relais-test-xlsx.h: an XLSX workbook read back the simple way (the
 * unzip command and the sheet's XML), to check what staff will open. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The cells of sheet @n (1-based) of the workbook at @path: reference
 * ("B3") → text, shared strings resolved, numbers as the file writes them
 * ("12", "2.5"). Fails the test when the file is no workbook. */
GHashTable *relais_test_xlsx_read_sheet (const char *path, guint n);
/* The names of the workbook's sheets, in order. */
GStrv       relais_test_xlsx_sheet_names (const char *path);
/* The cell at column @column (0 = A) and row @row (1-based), or NULL. */
const char *relais_test_xlsx_cell (GHashTable *cells, guint column, guint row);

G_END_DECLS
