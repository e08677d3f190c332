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

const char *
mediator_language_name (const char *code)
{
  /* The French name for the mediator, the language's own for checking
   * with the resident. */
  static const struct { const char *code; const char *label; } names[] = {
    { "fr", N_("français") },
    { "en", N_("anglais (English)") },
    { "ar", N_("arabe (العربية)") },
    { "es", N_("espagnol (Español)") },
    { "pt", N_("portugais (Português)") },
    { "ro", N_("roumain (Română)") },
    { "tr", N_("turc (Türkçe)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (code, names[i].code) == 0)
      return _(names[i].label);
  return code;
}
