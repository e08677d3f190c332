/* mediator-report-outcomes.h: what the help requests were about, month by
 * month (issue 16), in words staff and funders read: the dashboard's and
 * the monthly report's section. */
#pragma once

#include "relais-stats-records.h"

G_BEGIN_DECLS

/* One paragraph a month of @stats' outcomes, months in order:
 * "11/2026 — 5 demandes résolues\nBesoins : CAF 2, Logement 1, non précisé 2\n
 *  Résultats : Fait ensemble 2, Orienté vers… 2 (Mission locale 1, CAF 1), …"
 * with only what happened; "" when no request was resolved. */
char *mediator_report_outcomes_text (const RelaisSiteStats *stats);

G_END_DECLS
