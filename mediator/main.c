/* relais-mediator: the mediators' console. */
#include <glib/gi18n.h>
#include <locale.h>

#include "relais-i18n.h"

#include "mediator-application.h"

int
main (int argc, char **argv)
{
  g_autoptr(MediatorApplication) app = NULL;

  relais_i18n_init ();
  /* The console's words are French: so are GTK's file and print dialogs,
   * even in a C locale. */
  relais_i18n_default_language ("fr");

  app = mediator_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
