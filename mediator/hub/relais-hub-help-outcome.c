/* relais-hub-help-outcome.c: what a help request was about (issue 16):
 * the need and outcome a mediator may give when resolving it, checked
 * against the lists before anything is stored, and GET /help/choices,
 * the lists the consoles offer (the site's partners among them). */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-help-outcome.h"

#define PARTNERS_KEY "relais-hub-help-partners"

void
relais_hub_set_help_partners (RelaisHub          *self,
                              const char * const *partners)
{
  g_return_if_fail (RELAIS_IS_HUB (self));
  g_object_set_data_full (G_OBJECT (self), PARTNERS_KEY, g_strdupv ((char **) partners),
                          (GDestroyNotify) g_strfreev);
}

/* [help] partners as configured; the default list until set. */
const char * const *
relais_hub_get_help_partners (RelaisHub *self)
{
  char **partners = g_object_get_data (G_OBJECT (self), PARTNERS_KEY);

  if (partners == NULL)
    {
      partners = relais_help_partners_parse (RELAIS_HELP_DEFAULT_PARTNERS, NULL);
      g_object_set_data_full (G_OBJECT (self), PARTNERS_KEY, partners, (GDestroyNotify) g_strfreev);
    }
  return (const char * const *) partners;
}

gboolean
_relais_hub_help_outcome_read (RelaisHub         *self,
                               JsonObject        *root,
                               RelaisHelpOutcome *outcome,
                               GError           **error)
{
  const char * const *partners = relais_hub_get_help_partners (self);

  outcome->need = relais_hub_json_string (root, "need", FALSE, 32, error);
  if (outcome->need == NULL && error != NULL && *error != NULL)
    return FALSE;
  outcome->outcome = relais_hub_json_string (root, "outcome", FALSE, 32, error);
  if (outcome->outcome == NULL && error != NULL && *error != NULL)
    return FALSE;
  outcome->partner = relais_hub_json_string (root, "partner", FALSE, RELAIS_HELP_MAX_PARTNER_LENGTH * 4, error);
  if (outcome->partner == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (outcome->need != NULL && !relais_help_need_is_valid (outcome->need))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED,
                   "« need » : besoin inconnu (caf, sante, impots, emploi, logement, energie, identite, banque, ecole ou autre)");
      return FALSE;
    }
  if (outcome->outcome != NULL && !relais_help_outcome_is_valid (outcome->outcome))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED,
                   "« outcome » : résultat inconnu (ensemble, personne, oriente, rendez-vous, droit-ouvert ou pas-abouti)");
      return FALSE;
    }
  if (outcome->partner != NULL && g_strcmp0 (outcome->outcome, RELAIS_HELP_OUTCOME_REFERRED) != 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED,
                   "« partner » ne va qu'avec « outcome » : « oriente »");
      return FALSE;
    }
  if (outcome->partner != NULL && !g_strv_contains (partners, outcome->partner))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_REFUSED,
                   "« partner » : ce partenaire n'est pas dans la liste du site ([help] partners)");
      return FALSE;
    }
  return TRUE;
}

static void
add_words (JsonBuilder        *builder,
           const char         *member,
           const char * const *words)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; words[i] != NULL; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
}

/* GET /help/choices: {"needs": […], "outcomes": […], "partners": […]}. */
void
_relais_hub_handle_help_choices (RelaisHub           *self,
                                 SoupServerMessage   *msg,
                                 const RelaisHubCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  add_words (builder, "needs", relais_help_needs);
  add_words (builder, "outcomes", relais_help_outcomes);
  add_words (builder, "partners", relais_hub_get_help_partners (self));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}
