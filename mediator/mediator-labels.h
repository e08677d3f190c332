/* mediator-labels.h: the words staff read for the hub's codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "scanner" → "Scanner", "website" → "Site internet"…; unknown codes are
 * returned as they are. */
const char *mediator_category_label (const char *category);
/* "ar" → "arabe (العربية)": a language a resident speaks, in French and
 * in its own script; unknown codes are returned as they are. */
const char *mediator_language_name  (const char *code);

G_END_DECLS
