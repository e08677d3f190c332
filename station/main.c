/* relais-station: the self-service kiosk. */
#include <glib/gi18n.h>
#include <locale.h>

#include "relais-i18n.h"

#include "station-application.h"
#include "station-browser-page.h"

int
main (int argc, char **argv)
{
  g_autoptr(StationApplication) app = NULL;
  int status;

  /* The kiosk draws nothing with OpenGL; without this, GDK initialises
   * GLX at start and a software Mesa driver (llvmpipe) alone takes 45 MB
   * of the station's memory (tests/bench/station-startup). */
  g_setenv ("GDK_GL", "disable", FALSE);
  station_browser_page_prepare_environment ();
  relais_i18n_init ();

  app = station_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* The next person's browser, made ahead: its processes and its files
   * in the runtime dir go with the station. */
  station_browser_page_forget_spare ();
  return status;
}
