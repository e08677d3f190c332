/* mediator-labels.c: the words staff read for the hub's codes. */
#define G_LOG_DOMAIN "relais-mediator"

#include "mediator-labels.h"

#include <glib/gi18n.h>

const char *
mediator_category_label (const char *category)
{
  static const struct { const char *id; const char *label; } labels[] = {
    { "scanner", N_("Scanner") },
    { "printer", N_("Imprimante") },
    { "website", N_("Site internet") },
    { "mail", N_("Courrier") },
    { "safe", N_("Coffre-fort") },
    { "other", N_("Autre") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (category, labels[i].id) == 0)
      return _(labels[i].label);
  return category;
}
