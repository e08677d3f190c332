/* relais-hub-import.h: a centre's people from a spreadsheet (its own, or
 * Domifa's export), CSV or XLSX: `relais-hub import-people FILE`. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  guint      rows;     /* people rows read (the header not counted) */
  guint      imported; /* 0 when a bad row stopped it all; written when
                        * the database failed midway */
  GPtrArray *problems; /* "ligne N : reason", one per bad row */
  GPtrArray *ignored;  /* headers no field maps to */
} RelaisImportReport;

void     relais_import_report_clear (RelaisImportReport *report);

/* Reads @path (.xlsx: its first sheet; anything else: CSV separated by
 * ';', ',' or tabs, UTF-8 or Windows-1252), maps its columns by their
 * headers (number, surname, first names, birth date, phone, e-mail,
 * state, start and end dates), checks every row, writing nothing, then
 * imports them 1,000 a transaction (others' writes get in between):
 * nothing when a row is bad, unless @skip_bad, then the good ones. FALSE
 * when the file cannot be read or lacks a column a person needs, or when
 * the database fails while writing (@report->imported people stay, the
 * error says how many); bad rows are in @report with their line and
 * reason. */
gboolean relais_hub_import_people (RelaisDb           *db,
                                   const char         *path,
                                   const char         *number_format,
                                   gboolean            skip_bad,
                                   RelaisImportReport *report,
                                   GError            **error);

/* The same on a file's bytes (@xlsx: a workbook, else CSV), as the
 * console's bulk route gets them: more than @max_people rows of people
 * is refused whole, before any is checked. */
gboolean relais_hub_import_people_bytes (RelaisDb           *db,
                                         GBytes             *data,
                                         gboolean            xlsx,
                                         const char         *number_format,
                                         gboolean            skip_bad,
                                         guint               max_people,
                                         RelaisImportReport *report,
                                         GError            **error);

G_END_DECLS
