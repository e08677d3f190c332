/* relais-hub: the site's headless service. */

#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "relais-config.h"
#include "relais-db-backup.h"
#include "relais-db-mail-life.h"
#include "relais-hub.h"
#include "relais-hub-central.h"
#include "relais-hub-central-setup.h"
#include "relais-i18n.h"
#include "relais-protocol.h"
#include "relais-hub-mail.h"
#include "relais-hub-safe.h"
#include "relais-hub-import.h"
#include "relais-version.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* A one-time code for the staff to type on the new station or console,
 * and the short fingerprint of the hub's key to compare with the one it
 * shows; with --token, the token itself on one line (for scripts). */
static int
run_enroll (RelaisConfig *config,
            const char   *kind,
            const char   *name,
            gboolean      token_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (relais_config_get (config, "hub", "database"), RELAIS_DB_HUB, &error);
  g_autofree char *token = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *until_text = NULL;
  const char      *cert_path = relais_config_get (config, "hub", "tls-certificate");

  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (token_only)
    {
      token = relais_hub_enroll (db, kind, name, &error);
      if (token == NULL)
        {
          g_printerr ("relais-hub : %s\n", error->message);
          return 1;
        }
      g_print ("%s\n", token);
      return 0;
    }
  if (*cert_path != '\0')
    {
      pin = relais_hub_tls_pin (cert_path, &error);
      if (pin == NULL)
        {
          g_printerr ("relais-hub : %s\n", error->message);
          return 1;
        }
      fingerprint = relais_tls_pin_short (pin);
    }
  code = relais_hub_enrol_code_new (db, kind, name, RELAIS_HUB_ENROL_CODE_LIFETIME_MS, &error);
  if (code == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  now = g_date_time_new_now_local ();
  until = g_date_time_add (now, (GTimeSpan) RELAIS_HUB_ENROL_CODE_LIFETIME_MS * 1000);
  until_text = g_date_time_format (until, "%H:%M");
  g_print ("Code d'inscription %s « %s » : %s\n", g_str_equal (kind, "station") ? "du poste" : "de la console",
           name, code);
  g_print ("Valable une fois, jusqu'à %s (15 minutes).\n", until_text);
  if (fingerprint != NULL)
    g_print ("Empreinte du hub à comparer avec celle que l'écran affiche : %s\n", fingerprint);
  else
    g_print ("Le hub sert en HTTP simple (sans TLS) : aucune empreinte à comparer.\n");
  return 0;
}

/* The password is read from standard input, never from the command line
 * (it would show in ps and in the shell's history). */
static int
run_add_mediator (RelaisConfig       *config,
                  const char         *login,
                  const char         *name,
                  gboolean            staff,
                  const char * const *roles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (relais_config_get (config, "hub", "database"), RELAIS_DB_HUB, &error);
  char password[257] = "";

  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (isatty (STDIN_FILENO))
    g_printerr ("Mot de passe de %s : ", login);
  if (fgets (password, sizeof password, stdin) == NULL)
    {
      g_printerr ("relais-hub : aucun mot de passe lu sur l'entrée standard\n");
      return 1;
    }
  password[strcspn (password, "\r\n")] = '\0';
  if (roles != NULL ? !relais_hub_add_mediator_roles (db, login, name, password, roles, &error)
                    : !relais_hub_add_mediator (db, login, name, password, staff, &error))
    {
      memset (password, 0, sizeof password);
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  memset (password, 0, sizeof password);
  g_print ("Compte « %s » (%s) créé.\n", login, name);
  return 0;
}

/* What a station's or console's [hub] pin must say for this hub. */
static int
run_tls_pin (RelaisConfig *config,
             const char   *cert_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  if (cert_path == NULL)
    cert_path = relais_config_get (config, "hub", "tls-certificate");
  if (*cert_path == '\0')
    {
      g_printerr ("relais-hub : aucun certificat TLS configuré (paramètre « tls-certificate » de hub.conf)\n");
      return 1;
    }
  pin = relais_hub_tls_pin (cert_path, &error);
  if (pin == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", pin);
  return 0;
}

static int
run_tls_make_certificate (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_path = g_build_filename (dir, "hub.crt", NULL);
  g_autofree char *key_path = g_build_filename (dir, "hub.key", NULL);
  g_autofree char *pin = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("relais-hub : %s : %s\n", dir, g_strerror (errno));
      return 1;
    }
  if (!relais_hub_tls_make_certificate (cert_path, key_path, g_get_host_name (), &error)
      || (pin = relais_hub_tls_pin (cert_path, &error)) == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("Certificat auto-signé : %s\n"
           "Clé privée (à ne pas copier) : %s\n"
           "\n"
           "Dans hub.conf, section [hub] :\n"
           "tls-certificate=%s\n"
           "tls-key=%s\n"
           "\n"
           "Dans station.conf et mediator.conf, section [hub] :\n"
           "url=https://%s:PORT\n"
           "pin=%s\n",
           cert_path, key_path, cert_path, key_path, g_get_host_name (), pin);
  return 0;
}

/* ---- purge ---- */

/* The people past the retention period: listed, then deleted unless
 * --dry-run (the console shows the same list before confirming). */
static int
run_purge (RelaisConfig *config,
           gboolean      dry_run,
           int           days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (relais_config_get (config, "hub", "database"), RELAIS_DB_HUB, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  int deleted;

  if (days <= 0)
    days = relais_config_get_int (config, "mail", "retention-days");
  if (db == NULL || (people = relais_db_mail_purge_preview (db, days, today, &error)) == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("Conservation : %d jours après la fin de la domiciliation et le dernier contact.\n", days);
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);

      g_print ("  %s  %s %s  (dernier contact le %s)\n", p->number, p->surname, p->first_names, p->last_contact);
      g_ptr_array_add (numbers, p->number);
    }
  g_ptr_array_add (numbers, NULL);
  if (dry_run || people->len == 0)
    {
      g_print ("%u personne(s) à supprimer%s.\n", people->len, dry_run ? " (rien n'est supprimé : --dry-run)" : "");
      return 0;
    }
  deleted = relais_db_mail_purge (db, (const char * const *) numbers->pdata, days, today, "relais-hub purge",
                                  relais_db_now_ms (), &error);
  if (deleted < 0)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("%d personne(s) supprimée(s).\n", deleted);
  return 0;
}

/* ---- backup, restore, check ---- */

static char *
safe_key_path (RelaisConfig *config)
{
  return relais_hub_safe_key_path (relais_config_get (config, "hub", "database"),
                                   relais_config_get (config, "safe", "key-file"));
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / (1024.0 * 1024.0) : 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Keeps the @keep newest hub-*.db of @dir (names sort by date). */
static void
rotate_backups (const char *dir,
                int         keep)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "hub-") && g_str_has_suffix (name, ".db"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; (int) names->len - (int) i > keep; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_unlink (path) == 0)
        g_print ("Ancienne sauvegarde supprimée : %s\n", path);
      else
        g_printerr ("relais-hub : %s : %s\n", path, g_strerror (errno));
    }
}

/* A consistent copy while the hub runs (VACUUM INTO, read only), checked.
 * DEST: a file, or a folder (a name ending in "/", an existing folder, or
 * with --keep N): it then gets hub-DATE.db and, with --keep N, only the N
 * newest stay. The safes' key is not copied: see docs/safe.md. */
static int
run_backup (RelaisConfig *config,
            const char   *dest,
            int           keep)
{
  g_autoptr(GError) error = NULL;
  const char *db_path = relais_config_get (config, "hub", "database");
  g_autoptr(RelaisDb) db = relais_db_open_read_only (db_path, RELAIS_DB_HUB, &error);
  g_autoptr(RelaisDb) copy = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *target = NULL;
  g_autofree char *key_path = safe_key_path (config);
  /* --keep only makes sense for a folder of dated copies. */
  gboolean         folder = g_str_has_suffix (dest, "/") || g_file_test (dest, G_FILE_TEST_IS_DIR) || keep > 0;
  gint64           start;
  double           seconds;

  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (folder)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *name = g_date_time_format (now, "hub-%Y%m%d-%H%M%S.db");

      if (g_mkdir_with_parents (dest, 0700) != 0)
        {
          g_printerr ("relais-hub : %s : %s\n", dest, g_strerror (errno));
          return 1;
        }
      target = g_build_filename (dest, name, NULL);
    }
  else
    target = g_strdup (dest);

  start = g_get_monotonic_time ();
  if (!relais_db_backup (db, target, &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  /* The copy is read back before it counts as a backup. */
  copy = relais_db_open_read_only (target, RELAIS_DB_HUB, &error);
  if (copy != NULL)
    problems = relais_db_integrity (copy, TRUE, &error);
  if (problems == NULL || problems->len > 0)
    {
      g_printerr ("relais-hub : la copie %s ne se relit pas : %s\n", target,
                  error != NULL ? error->message : (const char *) g_ptr_array_index (problems, 0));
      return 1;
    }
  g_print ("Sauvegarde : %s (%.1f Mo, schéma %d, %.2f s, relue).\n",
           target, file_mb (target), relais_db_get_version (copy), seconds);
  g_print ("Clé des coffres non copiée : %s. Elle ne change pas : gardez-en une copie, une fois, "
           "ailleurs que ces sauvegardes (voir docs/safe.md).\n",
           key_path);
  if (folder && keep > 0)
    rotate_backups (dest, keep);
  return 0;
}

/* Puts a backup back in place of the configured database, refused while
 * a hub runs on it; the database replaced is kept beside it. */
static int
run_restore (RelaisConfig *config,
             const char   *src,
             gboolean      force)
{
  g_autoptr(GError) error = NULL;
  const char      *db_path = relais_config_get (config, "hub", "database");
  g_autofree char *key_path = safe_key_path (config);
  g_autofree char *aside = NULL;
  g_autoptr(RelaisDbLock) lock = relais_db_lock (db_path, &error);
  g_autoptr(RelaisDb) source = NULL;
  gboolean checked = FALSE;
  gboolean key_ok;

  if (lock == NULL)
    {
      g_printerr ("relais-hub : %s Arrêtez-le d'abord (systemctl stop relais-hub), "
                  "puis relancez « relais-hub restore ».\n",
                  error->message);
      return 1;
    }
  source = relais_db_open_read_only (src, RELAIS_DB_HUB, &error);
  if (source == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  /* Without the key its safes were made with, none would open: say so
   * before anything is replaced. */
  key_ok = relais_hub_safe_check_key (source, key_path, &checked, &error);
  if (!key_ok)
    {
      if (!force)
        {
          g_printerr ("relais-hub : %s\nRien n'a été restauré. Pour restaurer quand même (les coffres resteront "
                      "fermés) : relais-hub restore --force %s\n",
                      error->message, src);
          return 1;
        }
      g_printerr ("relais-hub : attention : %s\n", error->message);
      g_clear_error (&error);
    }
  g_clear_pointer (&source, relais_db_close);
  if (!relais_db_restore (src, db_path, RELAIS_DB_HUB, &aside, &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("Base restaurée depuis %s dans %s (%.1f Mo).\n", src, db_path, file_mb (db_path));
  if (aside != NULL)
    g_print ("L'ancienne base est gardée : %s\n", aside);
  if (checked && key_ok)
    g_print ("Clé des coffres : %s, la bonne.\n", key_path);
  return 0;
}

/* PRAGMA integrity_check of the configured database (or @path), read
 * only: it can run while the hub does. */
static int
run_check (RelaisConfig *config,
           const char   *path)
{
  g_autoptr(GError) error = NULL;
  const char *db_path = path != NULL ? path : relais_config_get (config, "hub", "database");
  g_autoptr(RelaisDb) db = relais_db_open_read_only (db_path, RELAIS_DB_HUB, &error);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *key_path = safe_key_path (config);
  gboolean         checked = FALSE;
  int              status = 0;

  /* A copy damaged where its schema lies cannot even be opened: the
   * same verdict as a damaged page found by the check. */
  if (db == NULL && g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
    {
      g_print ("Intégrité : 1 problème\n  %s\n", error->message);
      g_print ("Restaurez la dernière sauvegarde saine : relais-hub restore FICHIER\n");
      return 1;
    }
  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  problems = relais_db_integrity (db, FALSE, &error);
  if (problems == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  g_print ("Base : %s (%.1f Mo)\nSchéma : %d (ce programme : %d)\n", db_path, file_mb (db_path),
           relais_db_get_version (db), relais_db_latest_version (RELAIS_DB_HUB));
  if (problems->len == 0)
    g_print ("Intégrité : ok\n");
  else
    {
      g_print ("Intégrité : %u problème(s)\n", problems->len);
      for (guint i = 0; i < problems->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (problems, i));
      g_print ("Restaurez la dernière sauvegarde saine : relais-hub restore FICHIER\n");
      status = 1;
    }
  /* The key only matters for the database the hub uses. */
  if (path == NULL)
    {
      if (!relais_hub_safe_check_key (db, key_path, &checked, &error))
        {
          g_print ("Clé des coffres : %s\n", error->message);
          status = 1;
        }
      else
        g_print ("Clé des coffres : %s%s\n", key_path, checked ? ", la bonne" : " (aucun coffre à vérifier)");
    }
  return status;
}

/* People from a former register's spreadsheet: every row checked,
 * nothing imported when one is bad (each said with its line), unless
 * --skip-bad. */
static int
run_import_people (RelaisConfig *config,
                   const char   *path,
                   gboolean      skip_bad)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (relais_config_get (config, "hub", "database"), RELAIS_DB_HUB, &error);
  RelaisImportReport report = { 0 };
  int                status;

  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (!relais_hub_import_people (db, path, relais_config_get (config, "mail", "number-format"), skip_bad, &report,
                                 &error))
    {
      g_printerr ("relais-hub : %s : %s\n", path, error->message);
      relais_import_report_clear (&report);
      return 1;
    }
  for (guint i = 0; i < report.ignored->len; i++)
    g_print ("Colonne ignorée : « %s »\n", (const char *) g_ptr_array_index (report.ignored, i));
  for (guint i = 0; i < report.problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (report.problems, i));
  if (report.problems->len > 0 && !skip_bad)
    {
      g_printerr ("relais-hub : %u ligne(s) sur %u à corriger : rien n'est importé "
                  "(ou --skip-bad pour importer les autres).\n",
                  report.problems->len, report.rows);
      status = 1;
    }
  else
    {
      g_print ("%u personne(s) importée(s) sur %u ligne(s)", report.imported, report.rows);
      g_print (report.problems->len > 0 ? ", %u ligne(s) écartée(s).\n" : ".\n", report.problems->len);
      status = 0;
    }
  relais_import_report_clear (&report);
  return status;
}

int
main (int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *database = NULL;
  gboolean         print_config = FALSE;
  gboolean         version = FALSE;
  gboolean         staff = FALSE;
  gboolean         force = FALSE;
  gboolean         token_only = FALSE;
  gboolean         dry_run = FALSE;
  int              days = 0;
  gboolean         skip_bad = FALSE;
  g_auto(GStrv) roles = NULL;
  int          keep = 0;
  int          port = -1;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Fichier de configuration", "FICHIER" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "Base de données (remplace la configuration)", "FICHIER" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port d'écoute (0 : libre)", "PORT" },
    { "print-config", 0, 0, G_OPTION_ARG_NONE, &print_config, "Affiche la configuration par défaut documentée", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Affiche la version", NULL },
    { "staff", 0, 0, G_OPTION_ARG_NONE, &staff, "Avec add-mediator : rôle « responsable » (statistiques)", NULL },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles,
      "Avec add-mediator : rôle du compte, mediator, responsable ou staff (répétable)", "RÔLE" },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, "Avec backup DOSSIER/ : ne garder que les N sauvegardes les plus récentes", "N" },
    { "token", 0, 0, G_OPTION_ARG_NONE, &token_only, "Avec enroll : afficher le jeton lui-même (scripts) plutôt qu'un code d'inscription", NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Avec purge : afficher qui serait supprimé, sans rien supprimer", NULL },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Avec purge : durée de conservation en jours (remplace [mail] retention-days)", "N" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Avec restore : restaurer même si la clé des coffres ne correspond pas", NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, "Avec import-people : importer les bonnes lignes malgré les mauvaises", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[enroll station|console NOM [--token] | add-mediator IDENTIFIANT NOM [--role mediator|responsable|staff]… | tls-pin [CERTIFICAT] | tls-make-certificate DOSSIER | backup FICHIER|DOSSIER/ [--keep N] | restore FICHIER [--force] | check [FICHIER] | purge [--dry-run] [--days N] | import-people FICHIER.xlsx|FICHIER.csv [--skip-bad] | central-setup URL [organisation CODE NOM | site ORGANISATION CODE NOM RÔLE]]");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = NULL;
  g_autoptr(RelaisDbLock) lock = NULL;
  g_autoptr(RelaisDb) db = NULL;
  g_autoptr(RelaisHub) hub = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *port_text = NULL;
  const char      *tls_certificate;
  const char      *tls_key;
  gboolean         tls;

  relais_i18n_init ();
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Le service du site Relais : reçoit les événements des postes et les diffuse aux consoles.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("relais-hub %s\n", RELAIS_VERSION);
      return 0;
    }
  if (print_config)
    {
      g_autofree char *text = relais_config_dump_defaults (RELAIS_PROGRAM_HUB);
      g_print ("%s", text);
      return 0;
    }

  config = relais_config_load (RELAIS_PROGRAM_HUB, config_path, &error);
  if (config == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (database != NULL)
    relais_config_set (config, "hub", "database", database);
  if (port >= 0)
    {
      port_text = g_strdup_printf ("%d", port);
      relais_config_set (config, "hub", "port", port_text);
    }

  if (argc >= 2 && g_str_equal (argv[1], "enroll"))
    {
      if (argc != 4)
        {
          g_printerr ("usage : relais-hub enroll station|console NOM [--token]\n");
          return 2;
        }
      return run_enroll (config, argv[2], argv[3], token_only);
    }
  if (argc >= 2 && g_str_equal (argv[1], "add-mediator"))
    {
      if (argc != 4 || (staff && roles != NULL))
        {
          g_printerr ("usage : relais-hub add-mediator IDENTIFIANT \"Nom affiché\" [--role mediator|responsable|staff]… "
                      "< mot-de-passe\n");
          return 2;
        }
      return run_add_mediator (config, argv[2], argv[3], staff, (const char * const *) roles);
    }
  if (argc >= 2 && g_str_equal (argv[1], "tls-pin"))
    {
      if (argc > 3)
        {
          g_printerr ("usage : relais-hub tls-pin [CERTIFICAT.pem]\n");
          return 2;
        }
      return run_tls_pin (config, argc == 3 ? argv[2] : NULL);
    }
  if (argc >= 2 && g_str_equal (argv[1], "tls-make-certificate"))
    {
      if (argc != 3)
        {
          g_printerr ("usage : relais-hub tls-make-certificate DOSSIER\n");
          return 2;
        }
      return run_tls_make_certificate (argv[2]);
    }
  if (argc >= 2 && g_str_equal (argv[1], "backup"))
    {
      if (argc != 3 || keep < 0)
        {
          g_printerr ("usage : relais-hub backup FICHIER | DOSSIER/ [--keep N]\n");
          return 2;
        }
      return run_backup (config, argv[2], keep);
    }
  if (argc >= 2 && g_str_equal (argv[1], "restore"))
    {
      if (argc != 3)
        {
          g_printerr ("usage : relais-hub restore FICHIER [--force]\n");
          return 2;
        }
      return run_restore (config, argv[2], force);
    }
  if (argc >= 2 && g_str_equal (argv[1], "purge"))
    {
      if (argc != 2)
        {
          g_printerr ("usage : relais-hub purge [--dry-run] [--days N]\n");
          return 2;
        }
      return run_purge (config, dry_run, days);
    }
  if (argc >= 2 && g_str_equal (argv[1], "check"))
    {
      if (argc > 3)
        {
          g_printerr ("usage : relais-hub check [FICHIER]\n");
          return 2;
        }
      return run_check (config, argc == 3 ? argv[2] : NULL);
    }
  /* The département's registry: no hub.conf, no site database. */
  if (argc >= 2 && g_str_equal (argv[1], "central-setup"))
    return relais_hub_central_setup_run (argc - 2, (const char * const *) argv + 2, stdin);
  if (argc >= 2 && g_str_equal (argv[1], "import-people"))
    {
      if (argc != 3)
        {
          g_printerr ("usage : relais-hub import-people FICHIER.xlsx|FICHIER.csv [--skip-bad]\n");
          return 2;
        }
      return run_import_people (config, argv[2], skip_bad);
    }
  if (argc > 1)
    {
      g_printerr ("relais-hub : commande inconnue « %s »\n", argv[1]);
      return 2;
    }

  /* One hub per database, and no restore under it (relais-hub restore). */
  lock = relais_db_lock (relais_config_get (config, "hub", "database"), &error);
  if (lock == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  db = relais_db_open (relais_config_get (config, "hub", "database"), RELAIS_DB_HUB, &error);
  if (db == NULL)
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  hub = relais_hub_new (g_steal_pointer (&db));
  relais_hub_set_max_body (hub, relais_config_get_int (config, "hub", "max-body-bytes"));
  relais_hub_set_rate_limit (hub, MAX (1, relais_config_get_int (config, "hub", "rate-per-second")),
                             2 * MAX (1, relais_config_get_int (config, "hub", "rate-per-second")));
  relais_hub_set_timeouts (hub, MAX (1, relais_config_get_int (config, "hub", "request-timeout-seconds")),
                           MAX (1, relais_config_get_int (config, "hub", "idle-timeout-seconds")));
  relais_hub_set_max_open_help (hub, MAX (0, relais_config_get_int (config, "hub", "max-open-help-per-station")));
  relais_hub_set_retention (hub, MAX (1, relais_config_get_int (config, "hub", "retention-months")));
  relais_hub_set_ring_again (hub, (gint64) MAX (1, relais_config_get_int (config, "hub", "ring-again-minutes")) * 60 * 1000);
  relais_hub_set_site_name (hub, relais_config_get (config, "hub", "site-name"));
  relais_hub_mail_setup (hub, config);
  {
    g_autofree char    *address = g_strcompress (relais_config_get (config, "decisions", "body-address"));
    RelaisHubLetterhead letterhead = {
      relais_config_get (config, "decisions", "body-name"),
      address,
      relais_config_get (config, "decisions", "approval"),
      relais_config_get (config, "decisions", "town"),
      relais_config_get (config, "decisions", "tribunal"),
    };

    relais_hub_mail_set_letterhead (hub, &letterhead);
  }
  if (!relais_hub_mail_set_number_format (hub, relais_config_get (config, "mail", "number-format"), &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (!relais_hub_set_safe (hub, relais_config_get (config, "safe", "key-file"),
                            MAX (1, relais_config_get_int (config, "safe", "retention-years")) * 365,
                            relais_config_get_int (config, "safe", "notice-days"),
                            (gsize) MAX (1, relais_config_get_int (config, "safe", "max-document-mb")) * 1024 * 1024,
                            &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  {
    RelaisHubSafeLimits limits = {
      .quota_bytes = (gint64) MAX (1, relais_config_get_int (config, "safe", "quota-mb")) * 1024 * 1024,
      .quota_documents = MAX (1, relais_config_get_int (config, "safe", "quota-documents")),
      .deposits_per_hour = MAX (1, relais_config_get_int (config, "safe", "deposits-per-hour")),
      .deposit_bytes_per_hour = (gint64) MAX (1, relais_config_get_int (config, "safe", "deposit-mb-per-hour")) * 1024 * 1024,
    };

    relais_hub_safe_set_limits (hub, &limits);
  }
  /* Joined to the département's registry, or a single site as before. */
  if (*relais_config_get (config, "central", "url") != '\0'
      && !relais_hub_set_central (hub, relais_config_get (config, "central", "url"), &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  tls_certificate = relais_config_get (config, "hub", "tls-certificate");
  tls_key = relais_config_get (config, "hub", "tls-key");
  /* Both empty: plain HTTP. One alone is a mistake relais_hub_set_tls ()
   * explains. */
  tls = *tls_certificate != '\0' || *tls_key != '\0';
  if (tls && !relais_hub_set_tls (hub, tls_certificate, tls_key, &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  if (!relais_hub_listen (hub, relais_config_get (config, "hub", "listen"),
                          relais_config_get_int (config, "hub", "port"), &error))
    {
      g_printerr ("relais-hub : %s\n", error->message);
      return 1;
    }
  /* One line a launcher can wait for. */
  g_print ("relais-hub listening on %s:%u%s\n", relais_config_get (config, "hub", "listen"),
           relais_hub_get_port (hub), tls ? " (https)" : "");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
