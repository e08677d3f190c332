/* mediator-labels.h: the words staff read for the hub's codes. */
#pragma once

#include <glib.h>
#include "relais-protocol.h"

G_BEGIN_DECLS

/* RELAIS_HELP_CATEGORY_WEBSITE → "Site internet"…; NULL for unknown. */
const char *mediator_help_category_label (RelaisHelpCategory category);
/* "scanner" → "Scanner", "website" → "Site internet"…; unknown codes are
 * returned as they are. */
const char *mediator_category_label (const char *category);
/* "printer-media-empty" → "plus de papier"…; unknown reasons (a newer
 * station's) are returned as they are. */
const char *mediator_station_reason_label (const char *reason);
/* The state of an open request, or one whose resident left, as the queue
 * shows it; the code itself for the others (their rows are gone). */
const char *mediator_help_state_label (RelaisHelpState state);
/* The station's screens as staff know them; never an internal name
 * ("autre écran" for one we do not know). */
const char *mediator_station_step_label (const char *step);
/* "ar" → "arabe (العربية)": a language a resident speaks, in French and
 * in its own script; unknown codes are returned as they are. */
const char *mediator_language_name (const char *code);
/* What a resolved request was about (relais-help-outcome.h's words):
 * "caf" → "CAF", "oriente" → "Orienté vers…"; "" → "non précisé";
 * unknown words are returned as they are. */
const char *mediator_help_need_label (const char *need);
const char *mediator_help_outcome_label (const char *outcome);

G_END_DECLS
