/* mediator-labels.h: the words staff read for the hub's codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "scanner" → "Scanner", "website" → "Site internet"…; unknown codes are
 * returned as they are. */
const char *mediator_category_label (const char *category);

G_END_DECLS
