/* relais-enrol-command.c: the enrolment by code from a shell; the same
 * exchange (relais_link_enrol) and the same file as the screen. */

#include "relais-enrol-command.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relais-link.h"

int
relais_enrol_command (const char   *kind,
                      RelaisConfig *config,
                      const char   *own_path,
                      const char   *code,
                      const char   *hub_url,
                      FILE         *in,
                      FILE         *out)
{
  gboolean    console = g_strcmp0 (kind, "console") == 0;
  const char *group = console ? "console" : "station";
  const char *path = relais_config_get_enrolment_path (config);
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  char answer[32] = "";

  g_return_val_if_fail (g_strcmp0 (kind, "station") == 0 || console, 2);
  if (path == NULL)
    path = own_path;
  /* Enrolled already: a new code would leave the old token behind. */
  if (*relais_config_get (config, group, "token") != '\0')
    {
      fprintf (out, console ? _ ("Cette console est déjà inscrite sous le nom « %s » (%s). Pour l'inscrire de nouveau, retirez son jeton de %s.\n") : _ ("Ce poste est déjà inscrit sous le nom « %s » (%s). Pour l'inscrire de nouveau, retirez son jeton de %s.\n"),
               relais_config_get (config, group, "name"), relais_config_get (config, "hub", "url"), path);
      return 1;
    }
  if (hub_url == NULL || *hub_url == '\0')
    hub_url = relais_config_get (config, "hub", "url");
  fprintf (out, "%s\n", _ ("Connexion au hub…"));
  fflush (out);
  enrolment = relais_link_enrol (hub_url, code, &error);
  if (enrolment == NULL)
    {
      /* The hub's own sentence (wrong, expired, used code…). */
      fprintf (out, "%s\n", error->message);
      return 1;
    }
  if (!g_str_equal (enrolment->kind, kind))
    {
      fprintf (out, "%s\n", console ? _ ("Ce code inscrit un poste, pas une console : demandez un code « relais-hub enroll console ».") : _ ("Ce code inscrit une console, pas un poste : demandez un code « relais-hub enroll station »."));
      return 1;
    }
  fprintf (out, console ? _ ("Le hub inscrit cette console sous le nom « %s ».") : _ ("Le hub inscrit ce poste sous le nom « %s »."),
           enrolment->name);
  fputc ('\n', out);
  if (enrolment->fingerprint != NULL)
    {
      fprintf (out, _ ("Empreinte du hub : %s\nComparez-la avec celle que « relais-hub enroll » a affichée."),
               enrolment->fingerprint);
      fprintf (out, "\n%s ", _ ("Est-ce la même ? (oui/non)"));
      fflush (out);
      if (fgets (answer, sizeof answer, in) == NULL || g_ascii_strcasecmp (g_strstrip (answer), _ ("oui")) != 0)
        {
          fprintf (out, "%s\n", _ ("Rien n'est enregistré. Demandez un nouveau code."));
          return 1;
        }
    }
  else
    fprintf (out, "%s\n", _ ("Le hub parle en HTTP simple : aucune empreinte à comparer (réseau local de confiance seulement)."));
  if (!relais_enrolment_save (enrolment, path, &error))
    {
      fprintf (out, "%s\n", error->message);
      return 1;
    }
  fprintf (out, _ ("Inscription enregistrée dans %s.\n"), path);
  return 0;
}
