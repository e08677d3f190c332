/* relais-help-outcome.h: what a help request was about, as the mediator
 * says when resolving it (issue 16): a need and an outcome, each a word of
 * a fixed list, and for « orienté vers… » a partner of the site's list
 * ([help] partners in hub.conf). No personal data: words only. The hub
 * checks them; the console labels them (mediator-labels.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NULL-terminated, in the order the console offers them. */
extern const char * const relais_help_needs[];
extern const char * const relais_help_outcomes[];

/* The outcome that names a partner. */
#define RELAIS_HELP_OUTCOME_REFERRED "oriente"

/* The site's partners, by default (hub.conf's [help] partners). */
#define RELAIS_HELP_DEFAULT_PARTNERS \
  "CAF;CPAM;France Travail;CCAS;Mission locale;France Services;Point-justice;ADIL"
#define RELAIS_HELP_MAX_PARTNERS       40
#define RELAIS_HELP_MAX_PARTNER_LENGTH 60 /* characters */

gboolean relais_help_need_is_valid (const char *need);
gboolean relais_help_outcome_is_valid (const char *outcome);
/* "CAF; CPAM;…" → the names, trimmed, empty ones skipped; NULL with an
 * error naming the fault when there are more than MAX_PARTNERS, one
 * longer than MAX_PARTNER_LENGTH, or the same twice. */
char   **relais_help_partners_parse (const char *text,
                                     GError    **error);

G_END_DECLS
