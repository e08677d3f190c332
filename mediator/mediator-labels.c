/* mediator-labels.c: the words staff read for the hub's codes. */

#include "mediator-labels.h"

#include <glib/gi18n.h>

const char *
mediator_help_category_label (RelaisHelpCategory category)
{
  switch (category)
    {
    case RELAIS_HELP_CATEGORY_SCANNER: return _ ("Scanner");
    case RELAIS_HELP_CATEGORY_PRINTER: return _ ("Imprimante");
    case RELAIS_HELP_CATEGORY_WEBSITE: return _ ("Site internet");
    case RELAIS_HELP_CATEGORY_MAIL: return _ ("Courrier");
    case RELAIS_HELP_CATEGORY_SAFE: return _ ("Coffre-fort");
    case RELAIS_HELP_CATEGORY_OTHER: return _ ("Autre");
    case RELAIS_HELP_CATEGORY_UNKNOWN:
    case RELAIS_HELP_N_CATEGORIES:
    default:
      return NULL;
    }
}

const char *
mediator_category_label (const char *category)
{
  const char *label = mediator_help_category_label (relais_help_category_from_string (category));

  return label != NULL ? label : category;
}

const char *
mediator_station_reason_label (const char *reason)
{
  switch (relais_station_reason_from_string (reason))
    {
    case RELAIS_STATION_REASON_SCANNER_JAMMED: return _ ("papier coincé dans le scanner");
    case RELAIS_STATION_REASON_SCANNER_COVER_OPEN: return _ ("capot du scanner ouvert");
    case RELAIS_STATION_REASON_SCANNER_FAILED: return _ ("le scanner ne répond plus");
    case RELAIS_STATION_REASON_SCANNER_REPEATED_FAILURES: return _ ("numérisations ratées à la suite");
    case RELAIS_STATION_REASON_PRINTER_STOPPED: return _ ("imprimante arrêtée");
    case RELAIS_STATION_REASON_PRINTER_FAILED: return _ ("impression échouée");
    case RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY: return _ ("plus de papier");
    case RELAIS_STATION_REASON_PRINTER_MEDIA_JAM: return _ ("papier coincé dans l'imprimante");
    case RELAIS_STATION_REASON_PRINTER_TONER_EMPTY: return _ ("plus d'encre");
    case RELAIS_STATION_REASON_PRINTER_DOOR_OPEN: return _ ("porte de l'imprimante ouverte");
    case RELAIS_STATION_REASON_PRINTER_OFFLINE: return _ ("imprimante éteinte ou débranchée");
    case RELAIS_STATION_REASON_PRINTER_UNREACHABLE: return _ ("le serveur d'impression ne répond plus");
    case RELAIS_STATION_REASON_UNKNOWN:
    case RELAIS_STATION_N_REASONS:
    default:
      return reason;
    }
}

const char *
mediator_help_state_label (RelaisHelpState state)
{
  switch (state)
    {
    case RELAIS_HELP_STATE_RAISED: return _ ("nouvelle");
    case RELAIS_HELP_STATE_SEEN: return _ ("vue, en attente");
    case RELAIS_HELP_STATE_TAKEN: return _ ("prise en charge");
    case RELAIS_HELP_STATE_LEFT: return _ ("parti : la personne a quitté le poste");
    case RELAIS_HELP_STATE_RESOLVED:
    case RELAIS_HELP_STATE_CANCELLED:
    case RELAIS_HELP_STATE_UNKNOWN:
    case RELAIS_HELP_N_STATES:
    default:
      return relais_help_state_to_string (state);
    }
}

const char *
mediator_station_step_label (const char *step)
{
  switch (relais_station_step_from_string (step))
    {
    case RELAIS_STATION_STEP_WELCOME: return _ ("écran de bienvenue");
    case RELAIS_STATION_STEP_HOME: return _ ("menu principal");
    case RELAIS_STATION_STEP_SCAN: return _ ("numérisation");
    case RELAIS_STATION_STEP_COPY: return _ ("photocopie");
    case RELAIS_STATION_STEP_HELP: return _ ("demande d'aide");
    case RELAIS_STATION_STEP_MAIL: return _ ("« Mon courrier »");
    case RELAIS_STATION_STEP_SAFE: return _ ("coffre-fort");
    case RELAIS_STATION_STEP_USB: return _ ("impression depuis une clé USB");
    case RELAIS_STATION_STEP_BROWSER: return _ ("Internet");
    case RELAIS_STATION_STEP_UNKNOWN:
    case RELAIS_STATION_N_STEPS:
    default:
      return _ ("autre écran");
    }
}

const char *
mediator_language_name (const char *code)
{
  /* The French name for the mediator, the language's own for checking
   * with the resident. */
  static const struct {
    const char *code;
    const char *label;
  } names[] = {
    { "fr", N_ ("français") },
    { "en", N_ ("anglais (English)") },
    { "ar", N_ ("arabe (العربية)") },
    { "es", N_ ("espagnol (Español)") },
    { "pt", N_ ("portugais (Português)") },
    { "ro", N_ ("roumain (Română)") },
    { "tr", N_ ("turc (Türkçe)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (code, names[i].code) == 0)
      return _ (names[i].label);
  return code;
}

typedef struct {
  const char *word;
  const char *label;
} Word;

static const char *
word_label (const Word *words,
            const char *word)
{
  if (word == NULL || *word == '\0')
    return _ ("non précisé");
  for (guint i = 0; words[i].word != NULL; i++)
    if (g_str_equal (words[i].word, word))
      return _ (words[i].label);
  return word;
}

const char *
mediator_help_need_label (const char *need)
{
  static const Word needs[] = {
    { "caf", N_ ("CAF") },
    { "sante", N_ ("Santé / CPAM") },
    { "impots", N_ ("Impôts") },
    { "emploi", N_ ("Emploi") },
    { "logement", N_ ("Logement") },
    { "energie", N_ ("Énergie") },
    { "identite", N_ ("Identité / titre de séjour") },
    { "banque", N_ ("Banque") },
    { "ecole", N_ ("École") },
    { "autre", N_ ("Autre") },
    { NULL, NULL }
  };

  return word_label (needs, need);
}

const char *
mediator_help_outcome_label (const char *outcome)
{
  static const Word outcomes[] = {
    { "ensemble", N_ ("Fait ensemble") },
    { "personne", N_ ("Fait par la personne") },
    { "oriente", N_ ("Orienté vers…") },
    { "rendez-vous", N_ ("Rendez-vous pris") },
    { "droit-ouvert", N_ ("Droit ouvert") },
    { "pas-abouti", N_ ("Pas abouti") },
    { NULL, NULL }
  };

  return word_label (outcomes, outcome);
}
