/* mediator-annual.h: the domiciliation body's annual activity report to
 * the prefecture, as tables (XLSX, CSV) and as a PDF to print and sign. */
#pragma once

#include <gio/gio.h>
#include "relais-db-mail-annual.h"
#include "mediator-export.h"

G_BEGIN_DECLS

/* The report's tables, in order: decisions, refusals by motive,
 * radiations by motive, orientations, then the people domiciled on 31
 * December by age band, sex and household type; each with its total.
 * MediatorTable*, owned by the array. */
GPtrArray     *mediator_annual_tables (const RelaisMailAnnual *annual);
/* The same as an XLSX workbook, one sheet per table. */
gboolean       mediator_annual_xlsx (const RelaisMailAnnual *annual,
                                     const char             *path,
                                     GError                **error);
/* The same as one CSV for a French spreadsheet (UTF-8 with BOM, ';',
 * decimal comma): each table under its name, a blank line between. */
GBytes        *mediator_annual_csv (const RelaisMailAnnual *annual);
/* The PDF (A4): title with @site and the year, every table, a line to
 * sign. Written beside @path and renamed: nothing half-written. */
gboolean       mediator_annual_pdf (const RelaisMailAnnual *annual,
                                    const char             *site,
                                    const char             *path,
                                    GError                **error);

/* The domiciliation register (the hub's GET /mail/register, people as
 * RelaisMailPerson*) as a table with French headers. */
MediatorTable *mediator_register_table (GPtrArray *people);

G_END_DECLS
