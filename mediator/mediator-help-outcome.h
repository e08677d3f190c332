/* mediator-help-outcome.h: on a taken request's row, two optional rows of
 * taps saying what it was about (issue 16): the need, then the outcome,
 * and for « Orienté vers… » the partner; read when « Terminé » is
 * pressed. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEDIATOR_TYPE_HELP_OUTCOME (mediator_help_outcome_get_type ())
G_DECLARE_FINAL_TYPE (MediatorHelpOutcome, mediator_help_outcome, MEDIATOR, HELP_OUTCOME, GtkBox)

GtkWidget  *mediator_help_outcome_new (void);
/* The site's partners ([help] partners, from GET /help/choices). */
void        mediator_help_outcome_set_partners (MediatorHelpOutcome *self,
                                                const char        *const  *partners);
/* The words tapped, NULL for what was not: relais-help-outcome.h's. */
const char *mediator_help_outcome_get_need (MediatorHelpOutcome *self);
const char *mediator_help_outcome_get_outcome (MediatorHelpOutcome *self);
const char *mediator_help_outcome_get_partner (MediatorHelpOutcome *self);

G_END_DECLS
