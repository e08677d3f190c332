/* relais-config.c: one documented key file per program, with defaults. */

#include "relais-config.h"
#include "relais-help-outcome.h"

#include <errno.h>
#include <stdlib.h>
#include <gio/gio.h>

G_DEFINE_QUARK (relais-config-error-quark, relais_config_error);

typedef struct {
  const char *group;
  const char *key;
  const char *value;
  const char *doc;
} ConfigDefault;

/* The single source of every key: defaults and their documentation. */
static const ConfigDefault hub_defaults[] = {
  { "hub", "site-name", "Maison des Solidarités", "Nom du site, tel qu'il figure sur les rapports (tableau de bord mensuel)." },
  { "hub", "listen", "127.0.0.1", "Adresse d'écoute (127.0.0.1 : ce poste seulement ; 0.0.0.0 : le réseau du site)." },
  { "hub", "port", "8470", "Port TCP de l'API HTTP." },
  { "hub", "database", "$XDG_DATA_HOME/relais/hub.db", "Base de référence du site (SQLite)." },
  { "hub", "max-body-bytes", "65536", "Taille maximale d'une requête reçue, en octets." },
  { "hub", "rate-per-second", "50", "Requêtes par seconde permises à chaque poste ou console (au-delà : 429)." },
  { "hub", "max-open-help-per-station", "3", "Demandes d'aide ouvertes à la fois pour un poste, celles des usagers et, à part, celles du poste lui-même (bourrage, imprimante) ; au-delà, les nouvelles sont refusées (0 : sans limite, pour les essais de charge)." },
  { "hub", "retention-months", "13", "Mois de conservation des lignes détaillées (séances, demandes closes) ; les agrégats restent." },
  { "hub", "ring-again-minutes", "3", "Une demande d'aide non prise sonne de nouveau sur les consoles après ce délai." },
  { "hub", "tls-certificate", "", "Certificat PEM du hub ; vide : HTTP simple (réseau local de confiance)." },
  { "hub", "tls-key", "", "Clé privée PEM du certificat." },
  { "hub", "request-timeout-seconds", "15", "Une requête doit arriver sans pause plus longue (ses en-têtes dans ce délai) ; au-delà, la connexion est fermée." },
  { "hub", "idle-timeout-seconds", "60", "Une connexion gardée ouverte est fermée après ce délai sans requête." },
  { "help", "partners", RELAIS_HELP_DEFAULT_PARTNERS, "Partenaires vers qui un médiateur peut orienter une personne (« orienté vers… », à la fin d'une demande d'aide), séparés par « ; » : 40 au plus, 60 caractères chacun." },
  { "safe", "key-file", "", "Clé maîtresse des coffres-forts (32 octets, créée au premier démarrage, mode 0600) ; vide : à côté de la base. À sauvegarder à part de la base : sans elle, aucun coffre ne s'ouvre." },
  { "safe", "retention-years", "3", "Un coffre inutilisé depuis ce nombre d'années est annoncé aux médiateurs, puis supprimé." },
  { "safe", "notice-days", "90", "Jours entre l'annonce et la suppression réelle d'un coffre inutilisé (une ouverture l'annule)." },
  { "safe", "max-document-mb", "40", "Taille maximale d'un document envoyé au coffre, en Mo (chiffré)." },
  { "safe", "quota-mb", "600", "Place d'un coffre, en Mo (chiffrés), tous documents compris." },
  { "safe", "quota-documents", "1000", "Nombre maximal de documents dans un coffre." },
  { "safe", "deposits-per-hour", "30", "Documents qu'un poste peut déposer sans code (tous coffres confondus) par heure." },
  { "safe", "deposit-mb-per-hour", "400", "Mo qu'un poste peut déposer sans code (tous coffres confondus) par heure." },
  { "mail", "place", "la Maison des Solidarités", "Le lieu de retrait, tel que les messages le disent (« … vous attendent à {place} »)." },
  { "mail", "pickup-hours", "le lundi, le mercredi et le vendredi, de 9 h à 12 h", "Les heures de retrait, dans les messages et sur la borne, en toutes lettres (« le lundi, de 9 h à 12 h ») : beaucoup lisent mal les abréviations." },
  { "mail", "number-format", "{n}", "Forme des numéros d'usager que le hub donne aux nouvelles personnes : {n} est le numéro suivant, {n:4} l'écrit sur 4 chiffres ; « A-{n:4} » donne A-0042. Un numéro tapé sur la fiche reste possible." },
  { "mail", "reminder-days", "30", "Un rappel pour le courrier non retiré tous les N jours." },
  { "mail", "max-reminders", "3", "Après ce nombre de rappels (et un délai de plus), le courrier va sur la liste des retours à l'expéditeur." },
  { "mail", "expiry-first-days", "60", "Premier message à la personne ce nombre de jours avant la fin de sa domiciliation." },
  { "mail", "expiry-second-days", "14", "Second message ce nombre de jours avant la fin (chacun n'est envoyé qu'une fois)." },
  { "mail", "retention-days", "730", "Les données d'une personne sans domiciliation en cours sont supprimées (après aperçu et confirmation : console ou relais-hub purge) ce nombre de jours après la fin de sa domiciliation et son dernier contact." },
  { "mail", "no-contact-days", "75", "Signaler à l'accueil les personnes sans contact (retrait, décision) depuis ce nombre de jours : la domiciliation peut prendre fin après trois mois." },
  { "decisions", "body-name", "", "Organisme qui domicilie, tel que les décisions écrites (attestation, refus, radiation) le nomment ; vide : le nom du site." },
  { "decisions", "body-address", "", "Son adresse sur les décisions, lignes séparées par « \\n » (« 1 place de la Mairie\\n69000 Lyon »)." },
  { "decisions", "approval", "", "Référence de l'agrément préfectoral ; vide pour un CCAS (qui n'en a pas besoin)." },
  { "decisions", "town", "", "Ville du « Fait à … » des décisions." },
  { "decisions", "tribunal", "", "Tribunal administratif compétent et son adresse, pour les voies de recours." },
  { "central", "url", "", "Registre central du département (PostgreSQL, docs/multi-site.md) : postgresql://rôle-du-site@serveur/base?sslmode=verify-full ; vide : site seul, comme avant." },
  { "notify", "sms-url", "", "Adresse de la passerelle SMS ({to} et {text} y sont remplacés) ; vide : pas de SMS." },
  { "notify", "sms-method", "POST", "Méthode HTTP de la passerelle SMS : POST, PUT ou GET." },
  { "notify", "sms-content-type", "application/json", "Type du corps envoyé à la passerelle SMS." },
  { "notify", "sms-body", "{\"to\":\"{to}\",\"text\":\"{text}\"}", "Corps de la requête SMS ; {to} et {text} y sont remplacés (échappés selon le type)." },
  { "notify", "sms-auth", "", "Valeur de l'en-tête Authorization de la passerelle SMS (« Bearer … », « Basic … ») ; vide : aucun." },
  { "notify", "smtp-url", "", "Serveur d'e-mail : smtp://hôte:587 (STARTTLS s'il est proposé) ou smtps://hôte:465 ; vide : pas d'e-mail." },
  { "notify", "smtp-from", "", "Adresse d'expédition des e-mails." },
  { "notify", "smtp-user", "", "Identifiant SMTP ; vide : sans authentification." },
  { "notify", "smtp-password", "", "Mot de passe SMTP." },
  { "notify", "smtp-require-tls", "false", "true : n'envoyer un e-mail que chiffré (STARTTLS ou smtps)." },
  { "notify", "timeout-seconds", "20", "Délai maximal d'un envoi." },
  { "notify", "retry-seconds", "60", "Premier délai avant de réessayer un envoi échoué (doublé à chaque échec)." },
  { "notify", "max-attempts", "6", "Essais avant qu'un message soit marqué en échec (visible sur la console)." },
  { NULL }
};

static const ConfigDefault station_defaults[] = {
  { "hub", "url", "http://127.0.0.1:8470", "Adresse du hub du site." },
  { "hub", "pin", "", "Empreinte de la clé du hub (https) : « sha256//… », donnée par « relais-hub tls-pin »." },
  { "station", "name", "poste-1", "Nom du poste, tel que les médiateurs le voient." },
  { "station", "token", "", "Jeton remis par « relais-hub enroll station NOM »." },
  { "station", "enrolment", "", "Fichier où l'inscription par code (l'écran du premier démarrage, ou --enrol) écrit l'adresse du hub, son empreinte, le nom et le jeton du poste ; lu après celui-ci, ses valeurs l'emportent. Vide : ce fichier-ci. Le paquet y met /var/lib/relais-station/enrolment.conf, que la borne (relais-kiosk) peut écrire." },
  { "station", "database", "$XDG_DATA_HOME/relais/station.db", "État local et boîte d'envoi du poste (SQLite)." },
  { "station", "fullscreen", "true", "Plein écran (borne) ou fenêtre." },
  { "station", "idle-timeout", "180", "Secondes sans toucher le poste avant la fin de la séance (tout est effacé)." },
  { "scanner", "device", "", "Nom SANE du scanner ; vide : le premier trouvé." },
  { "scanner", "web-max-bytes", "2000000", "Taille maximale (octets) d'un document « Pour un site internet »." },
  { "printer", "destination", "", "File CUPS ; vide : l'imprimante par défaut." },
  { "printer", "session-page-cap", "0", "Pages qu'une personne peut imprimer par visite ; 0 : sans limite." },
  { "browser", "sites",
    "CAF|https://www.caf.fr/;ameli|https://www.ameli.fr/;impots.gouv|https://www.impots.gouv.fr/;"
    "France Travail|https://www.francetravail.fr/;ANTS|https://ants.gouv.fr/;La Poste|https://www.laposte.fr/;"
    "service-public.fr|https://www.service-public.fr/",
    "Tuiles de la page « Internet », séparées par « ; » : « Nom|https://adresse » ou « Nom|https://adresse|icône »." },
  { "browser", "policy", "all", "Sites permis : « all » (tous), « block » (tous sauf ceux de « hosts ») ou « allow » (seulement ceux de « hosts » et des tuiles)." },
  { "browser", "hosts", "", "Noms d'hôtes séparés par « ; » pour « block » ou « allow » ; « caf.fr » vaut aussi pour « www.caf.fr »." },
  { "browser", "search", "https://duckduckgo.com/html/?q=%s", "Recherche de la barre d'adresse (« %s » : les mots tapés) ; vide : pas de recherche." },
  { "browser", "prewarm", "true", "Préparer le navigateur de la personne dès le début de sa séance (la première page s'ouvre plus vite ; un navigateur neuf, vide, à chaque séance ; rien au repos)." },
  { NULL }
};

static const ConfigDefault mediator_defaults[] = {
  { "hub", "url", "http://127.0.0.1:8470", "Adresse du hub du site." },
  { "hub", "pin", "", "Empreinte de la clé du hub (https) : « sha256//… », donnée par « relais-hub tls-pin »." },
  { "console", "name", "accueil", "Nom de cette console." },
  { "console", "token", "", "Jeton remis par « relais-hub enroll console NOM »." },
  { "console", "enrolment", "", "Fichier où l'inscription par code (l'écran du premier démarrage, ou --enrol) écrit l'adresse du hub, son empreinte, le nom et le jeton de la console ; lu après celui-ci, ses valeurs l'emportent. Vide : ce fichier-ci. Le paquet y met $XDG_CONFIG_HOME/relais/mediator-enrolment.conf, à la personne qui lance la console." },
  { "printer", "destination", "", "File CUPS où la console imprime les décisions écrites ; vide : l'imprimante par défaut." },
  { NULL }
};

struct _RelaisConfig {
  RelaisProgram        program;
  const ConfigDefault *defaults;
  GKeyFile            *file;
  char                *path;
  GHashTable          *expanded; /* "group/key" → expanded value */
};

static const ConfigDefault *
defaults_for (RelaisProgram program)
{
  switch (program)
    {
    case RELAIS_PROGRAM_HUB: return hub_defaults;
    case RELAIS_PROGRAM_STATION: return station_defaults;
    case RELAIS_PROGRAM_MEDIATOR: return mediator_defaults;
    default: g_assert_not_reached ();
    }
}

static const char *
program_name (RelaisProgram program)
{
  switch (program)
    {
    case RELAIS_PROGRAM_HUB: return "hub";
    case RELAIS_PROGRAM_STATION: return "station";
    case RELAIS_PROGRAM_MEDIATOR: return "mediator";
    default: g_assert_not_reached ();
    }
}

/* The group that holds a client's name and token, NULL for the hub. */
static const char *
client_group (RelaisProgram program)
{
  switch (program)
    {
    case RELAIS_PROGRAM_STATION: return "station";
    case RELAIS_PROGRAM_MEDIATOR: return "console";
    default: return NULL;
    }
}

static const ConfigDefault *
find_default (const ConfigDefault *defaults,
              const char          *group,
              const char          *key)
{
  for (const ConfigDefault *d = defaults; d->group != NULL; d++)
    if (g_str_equal (d->group, group) && g_str_equal (d->key, key))
      return d;
  return NULL;
}

static char *
find_config_file (RelaisProgram program)
{
  const char      *env = g_getenv ("RELAIS_CONFIG");
  g_autofree char *base = g_strdup_printf ("%s.conf", program_name (program));
  g_autofree char *user = g_build_filename (g_get_user_config_dir (), "relais", base, NULL);
  g_autofree char *system = g_build_filename ("/etc/relais", base, NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (user, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&user);
  if (g_file_test (system, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&system);
  return NULL;
}

static gboolean
enrolment_key (const char *client,
               const char *group,
               const char *key)
{
  if (g_str_equal (group, "hub"))
    return g_str_equal (key, "url") || g_str_equal (key, "pin");
  return g_str_equal (group, client) && (g_str_equal (key, "name") || g_str_equal (key, "token"));
}

/* The file the enrolment wrote ("enrolment=" set), read after the main
 * one: its values win. It may hold only what the enrolment writes; not
 * there yet is not an error (the program is simply not enrolled). */
static gboolean
load_enrolment (RelaisConfig *config,
                GError      **error)
{
  const char *client = client_group (config->program);
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;
  const char *path;

  if (client == NULL)
    return TRUE;
  path = relais_config_get (config, client, "enrolment");
  if (*path == '\0')
    return TRUE;
  file = g_key_file_new ();
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ,
                   "Inscription %s illisible : %s", path, local->message);
      return FALSE;
    }
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (file, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = NULL;

          if (!enrolment_key (client, groups[i], keys[j]))
            {
              g_set_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY,
                           "Inscription %s : la clé [%s] %s n'a pas sa place ici "
                           "(seulement [hub] url et pin, [%s] name et token)",
                           path, groups[i], keys[j], client);
              return FALSE;
            }
          value = g_key_file_get_string (file, groups[i], keys[j], NULL);
          g_key_file_set_string (config->file, groups[i], keys[j], value != NULL ? value : "");
        }
    }
  g_hash_table_remove_all (config->expanded);
  return TRUE;
}

RelaisConfig *
relais_config_load (RelaisProgram program,
                    const char   *path,
                    GError      **error)
{
  g_autoptr(RelaisConfig) config = g_new0 (RelaisConfig, 1);
  g_auto(GStrv) groups = NULL;

  config->program = program;
  config->defaults = defaults_for (program);
  config->file = g_key_file_new ();
  config->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  config->path = path != NULL ? g_strdup (path) : find_config_file (program);

  if (config->path == NULL)
    return g_steal_pointer (&config);

  if (!g_key_file_load_from_file (config->file, config->path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "Configuration %s illisible : ", config->path);
      if (error != NULL && *error != NULL)
        {
          (*error)->domain = RELAIS_CONFIG_ERROR;
          (*error)->code = RELAIS_CONFIG_ERROR_READ;
        }
      return NULL;
    }

  groups = g_key_file_get_groups (config->file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (config->file, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        if (find_default (config->defaults, groups[i], keys[j]) == NULL)
          {
            g_set_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY,
                         "Configuration %s : clé inconnue [%s] %s",
                         config->path, groups[i], keys[j]);
            return NULL;
          }
    }

  if (!load_enrolment (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

void
relais_config_free (RelaisConfig *config)
{
  if (config == NULL)
    return;
  g_key_file_unref (config->file);
  g_hash_table_unref (config->expanded);
  g_free (config->path);
  g_free (config);
}

const char *
relais_config_get_path (RelaisConfig *config)
{
  return config->path;
}

const char *
relais_config_get_enrolment_path (RelaisConfig *config)
{
  const char *group = client_group (config->program);
  const char *path = group != NULL ? relais_config_get (config, group, "enrolment") : "";

  return *path != '\0' ? path : config->path;
}

static char *
expand (const char *value)
{
  if (g_str_has_prefix (value, "$XDG_DATA_HOME/"))
    return g_build_filename (g_get_user_data_dir (), value + strlen ("$XDG_DATA_HOME/"), NULL);
  if (g_str_has_prefix (value, "$XDG_CONFIG_HOME/"))
    return g_build_filename (g_get_user_config_dir (), value + strlen ("$XDG_CONFIG_HOME/"), NULL);
  if (g_str_has_prefix (value, "~/"))
    return g_build_filename (g_get_home_dir (), value + 2, NULL);
  return g_strdup (value);
}

const char *
relais_config_get (RelaisConfig *config,
                   const char   *group,
                   const char   *key)
{
  const ConfigDefault *d;
  g_autofree char     *id = NULL;
  g_autofree char     *raw = NULL;
  char                *value;

  g_return_val_if_fail (config != NULL, NULL);
  d = find_default (config->defaults, group, key);
  g_return_val_if_fail (d != NULL, NULL);

  id = g_strconcat (group, "/", key, NULL);
  value = g_hash_table_lookup (config->expanded, id);
  if (value != NULL)
    return value;

  raw = g_key_file_get_string (config->file, group, key, NULL);
  value = expand (raw != NULL ? g_strstrip (raw) : d->value);
  g_hash_table_insert (config->expanded, g_steal_pointer (&id), value);
  return value;
}

int
relais_config_get_int (RelaisConfig *config,
                       const char   *group,
                       const char   *key)
{
  const char *value = relais_config_get (config, group, key);
  gint64      number = 0;

  if (!g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &number, NULL))
    {
      const ConfigDefault *d = find_default (config->defaults, group, key);
      g_message ("Configuration : [%s] %s = « %s » n'est pas un nombre, valeur par défaut %s",
                 group, key, value, d->value);
      return atoi (d->value);
    }
  return (int) number;
}

gboolean
relais_config_get_bool (RelaisConfig *config,
                        const char   *group,
                        const char   *key)
{
  const char *value = relais_config_get (config, group, key);

  return g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1")
         || g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "oui") == 0;
}

void
relais_config_set (RelaisConfig *config,
                   const char   *group,
                   const char   *key,
                   const char   *value)
{
  g_return_if_fail (find_default (config->defaults, group, key) != NULL);

  g_key_file_set_string (config->file, group, key, value);
  g_hash_table_remove_all (config->expanded);
}

char *
relais_config_dump_defaults (RelaisProgram program)
{
  GString    *out = g_string_new (NULL);
  const char *group = NULL;

  g_string_append_printf (out, "# relais-%s : configuration (valeurs par défaut)\n", program_name (program));
  for (const ConfigDefault *d = defaults_for (program); d->group != NULL; d++)
    {
      if (group == NULL || !g_str_equal (group, d->group))
        {
          group = d->group;
          g_string_append_printf (out, "\n[%s]\n", group);
        }
      g_string_append_printf (out, "# %s\n%s=%s\n", d->doc, d->key, d->value);
    }
  return g_string_free (out, FALSE);
}
