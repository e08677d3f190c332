/* mediator-application.c: the console application: options, link, window. */

#include "mediator-application.h"
#include "mediator-window.h"
#include "mediator-decision-print.h"
#include "relais-config.h"
#include "relais-enrol-command.h"
#include "relais-enrol-window.h"
#include "relais-version.h"

#include <glib/gi18n.h>

struct _MediatorApplication {
  GtkApplication parent_instance;

  /* Owned */
  RelaisConfig  *config;
  RelaisLink    *link;
};

G_DEFINE_FINAL_TYPE (MediatorApplication, mediator_application, GTK_TYPE_APPLICATION)

static int
mediator_application_handle_local_options (GApplication *application,
                                           GVariantDict *options)
{
  MediatorApplication *self = MEDIATOR_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("relais-mediator %s\n", RELAIS_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "print-config"))
    {
      g_autofree char *text = relais_config_dump_defaults (RELAIS_PROGRAM_MEDIATOR);
      g_print ("%s", text);
      return 0;
    }
  g_variant_dict_lookup (options, "config", "^ay", &path);
  self->config = relais_config_load (RELAIS_PROGRAM_MEDIATOR, path, &error);
  if (self->config == NULL)
    {
      g_printerr ("relais-mediator : %s\n", error->message);
      return 1;
    }
  mediator_decision_print_set_destination (relais_config_get (self->config, "printer", "destination"));
  if (g_variant_dict_contains (options, "enrol"))
    {
      g_autofree char *code = NULL;
      g_autofree char *url = NULL;
      g_autofree char *own = g_build_filename (g_get_user_config_dir (), "relais", "mediator.conf", NULL);

      g_variant_dict_lookup (options, "enrol", "s", &code);
      g_variant_dict_lookup (options, "hub", "s", &url);
      return relais_enrol_command ("console", self->config, own, code, url, stdin, stdout);
    }
  self->link = relais_link_new (relais_config_get (self->config, "hub", "url"),
                                relais_config_get (self->config, "console", "token"),
                                NULL, &error);
  if (self->link == NULL
      || !relais_link_set_pin (self->link, relais_config_get (self->config, "hub", "pin"), &error))
    {
      g_printerr ("relais-mediator : %s\n", error->message);
      return 1;
    }
  return -1;
}

static void
mediator_application_activate (GApplication *application)
{
  MediatorApplication *self = MEDIATOR_APPLICATION (application);
  GtkWindow           *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* First start, no token: the staff enrol the console by code; once
   * saved, it quits, to be started again enrolled. */
  if (window == NULL && *relais_config_get (self->config, "console", "token") == '\0')
    {
      const char      *path = relais_config_get_enrolment_path (self->config);
      g_autofree char *own = g_build_filename (g_get_user_config_dir (), "relais", "mediator.conf", NULL);

      window = GTK_WINDOW (relais_enrol_window_new (GTK_APPLICATION (self), "console", path != NULL ? path : own,
                                                    relais_config_get (self->config, "hub", "url")));
      g_signal_connect_object (window, "enrolled", G_CALLBACK (g_application_quit), self, G_CONNECT_SWAPPED);
    }
  if (window == NULL)
    {
      window = GTK_WINDOW (mediator_window_new (GTK_APPLICATION (self), self->link));
      relais_link_start (self->link);
    }
  gtk_window_present (window);
}

static void
mediator_application_shutdown (GApplication *application)
{
  MediatorApplication *self = MEDIATOR_APPLICATION (application);

  G_APPLICATION_CLASS (mediator_application_parent_class)->shutdown (application);
  if (self->link != NULL)
    relais_link_stop (self->link);
}

static void
mediator_application_finalize (GObject *object)
{
  MediatorApplication *self = MEDIATOR_APPLICATION (object);

  g_clear_object (&self->link);
  g_clear_pointer (&self->config, relais_config_free);
  G_OBJECT_CLASS (mediator_application_parent_class)->finalize (object);
}

static void
mediator_application_class_init (MediatorApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mediator_application_finalize;
  app_class->handle_local_options = mediator_application_handle_local_options;
  app_class->activate = mediator_application_activate;
  app_class->shutdown = mediator_application_shutdown;
}

static void
mediator_application_init (MediatorApplication *self)
{
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Fichier de configuration"), N_ ("FICHIER") },
    { "print-config", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Affiche la configuration par défaut documentée"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Affiche la version"), NULL },
    { "enrol", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Inscrit la console auprès du hub avec le code de « relais-hub enroll console NOM », sans écran"), N_ ("CODE") },
    { "hub", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Avec --enrol : l'adresse du hub, si ce n'est pas celle de la configuration"), N_ ("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

MediatorApplication *
mediator_application_new (void)
{
  return g_object_new (MEDIATOR_TYPE_APPLICATION,
                       "application-id", "fr.relais.Mediator",
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}
