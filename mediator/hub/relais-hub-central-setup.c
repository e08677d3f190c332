/* relais-hub-central-setup.c: `relais-hub central-setup`: makes or
 * upgrades the central registry's schema, adds a body, adds a site and
 * its PostgreSQL role, as the database's owner (issue 19). Each step can
 * be run again: it changes nothing twice. */

#include <stdio.h>
#include <string.h>

#include "relais-hub-central-setup.h"
#include "relais-central.h"

#define PASSWORD_MAX 256

static void
usage (void)
{
  g_printerr ("usage : relais-hub central-setup URL\n"
              "        relais-hub central-setup URL organisation CODE NOM\n"
              "        relais-hub central-setup URL site ORGANISATION CODE NOM RÔLE   (mot de passe du rôle sur"
              " l'entrée standard)\n"
              "URL : postgresql://PROPRIÉTAIRE@SERVEUR/BASE?sslmode=verify-full&sslrootcert=… (mot de passe :"
              " PGPASSWORD ou passfile)\n");
}

/* The first line of @in, without its end; NULL when empty or too long. */
static char *
read_password (FILE *in)
{
  char   line[PASSWORD_MAX + 2];
  size_t len;

  if (fgets (line, sizeof line, in) == NULL)
    return NULL;
  len = strcspn (line, "\r\n");
  if (len == 0 || (line[len] == '\0' && len > PASSWORD_MAX))
    return NULL;
  line[len] = '\0';
  return g_strdup (line);
}

int
relais_hub_central_setup_run (int                 n_args,
                              const char * const *args,
                              FILE               *password_in)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) owner = NULL;
  g_autofree char *password = NULL;

  if (!(n_args == 1 || (n_args == 4 && g_str_equal (args[1], "organisation"))
        || (n_args == 6 && g_str_equal (args[1], "site"))))
    {
      usage ();
      return 2;
    }
  if (!g_str_has_prefix (args[0], "postgresql://") && !g_str_has_prefix (args[0], "postgres://"))
    {
      g_printerr ("relais-hub : central-setup : l'URL doit commencer par postgresql://\n");
      return 2;
    }
  /* Read before connecting: a password refused is said before anything
   * is changed. */
  if (n_args == 6 && (password = read_password (password_in)) == NULL)
    {
      g_printerr ("relais-hub : central-setup : donnez le mot de passe du rôle %s sur l'entrée standard (une ligne,"
                  " %d caractères au plus).\n",
                  args[5], PASSWORD_MAX);
      return 2;
    }
  owner = relais_central_connect (args[0], &error);
  if (owner == NULL)
    {
      g_printerr ("relais-hub : registre central : %s\n", error->message);
      return 1;
    }
  /* The schema first, always: a new version of the hub upgrades it. */
  if (!relais_central_migrate (owner, &error))
    {
      g_printerr ("relais-hub : registre central : %s\n", error->message);
      return 1;
    }
  if (n_args == 1)
    {
      g_print ("Registre central prêt : schéma version %d.\n", relais_central_get_version (owner));
      return 0;
    }
  if (g_str_equal (args[1], "organisation"))
    {
      if (!relais_central_add_organisation (owner, args[2], args[3], &error))
        {
          g_printerr ("relais-hub : registre central : %s\n", error->message);
          return 1;
        }
      g_print ("Organisme « %s » (%s) enregistré.\n", args[3], args[2]);
      return 0;
    }
  if (!relais_central_add_site (owner, args[2], args[3], args[4], args[5], password, &error))
    {
      /* A second run: the site, or its role, is there (a role's password
       * is changed in PostgreSQL: ALTER ROLE … PASSWORD). */
      if (strstr (error->message, "already exists") != NULL)
        {
          g_printerr ("relais-hub : registre central : le site %s ou le rôle %s existe déjà ; rien n'est changé.\n",
                      args[3], args[5]);
          return 1;
        }
      g_printerr ("relais-hub : registre central : %s\n", error->message);
      return 1;
    }
  g_print ("Site « %s » (%s) de l'organisme %s enregistré ; son hub se connecte avec le rôle %s.\n", args[4],
           args[3], args[2], args[5]);
  return 0;
}
