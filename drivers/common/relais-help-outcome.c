/* relais-help-outcome.c: the words of a help request's need and outcome,
 * and the site's partners. */

#include "relais-help-outcome.h"

#include <gio/gio.h>

const char * const relais_help_needs[] = {
  "caf",
  "sante",
  "impots",
  "emploi",
  "logement",
  "energie",
  "identite",
  "banque",
  "ecole",
  "autre",
  NULL,
};

const char * const relais_help_outcomes[] = {
  "ensemble",
  "personne",
  RELAIS_HELP_OUTCOME_REFERRED,
  "rendez-vous",
  "droit-ouvert",
  "pas-abouti",
  NULL,
};

gboolean
relais_help_need_is_valid (const char *need)
{
  return need != NULL && g_strv_contains ((const char * const *) relais_help_needs, need);
}

gboolean
relais_help_outcome_is_valid (const char *outcome)
{
  return outcome != NULL && g_strv_contains ((const char * const *) relais_help_outcomes, outcome);
}

char **
relais_help_partners_parse (const char *text,
                            GError    **error)
{
  g_auto(GStrv) pieces = g_strsplit (text != NULL ? text : "", ";", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      char *name = g_strstrip (pieces[i]);

      if (*name == '\0')
        continue;
      if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > RELAIS_HELP_MAX_PARTNER_LENGTH)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "partenaire « %.20s… » : %d caractères au plus", name, RELAIS_HELP_MAX_PARTNER_LENGTH);
          return NULL;
        }
      for (guint j = 0; j < seen->len; j++)
        if (g_str_equal (g_ptr_array_index (seen, j), name))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "partenaire « %s » en double", name);
            return NULL;
          }
      if (seen->len == RELAIS_HELP_MAX_PARTNERS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%d partenaires au plus", RELAIS_HELP_MAX_PARTNERS);
          return NULL;
        }
      g_ptr_array_add (seen, name);
      g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}
