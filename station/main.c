/* relais-station: the self-service kiosk. */
#define _GNU_SOURCE /* close_range () */
#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "relais-i18n.h"

#include "station-application.h"
#include "station-browser.h"

/* Executes @program again in this process (station-application.c's
 * renewal); returns only if it cannot. Every descriptor but the standard
 * three closes on the way: a library's socket without its close-on-exec
 * flag would otherwise pile up, one more at each renewal. */
static void
renew (const char *program,
       char      **argv)
{
  if (close_range (3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
    g_printerr ("relais-station : %s\n", g_strerror (errno));
  execv (program, argv);
  g_printerr ("relais-station : %s : %s\n", program, g_strerror (errno));
}

int
main (int argc, char **argv)
{
  g_autoptr(StationApplication) app = NULL;
  /* Read now: the program's path, even if a newer one replaces it on
   * disk before a renewal (then the newer one runs, with its module). */
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  int              status;

  /* The kiosk draws nothing with OpenGL; without this, GDK initialises
   * GLX at start and a software Mesa driver (llvmpipe) alone takes 45 MB
   * of the station's memory (tests/bench/station-startup). */
  g_setenv ("GDK_GL", "disable", FALSE);
  station_browser_prepare_environment ();
  relais_i18n_init ();

  app = station_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* The next person's browser, made ahead: its processes and its files
   * in the runtime dir go with the station. */
  station_browser_shutdown ();
  if (station_application_renews (app) && program != NULL)
    {
      g_clear_object (&app);
      renew (program, argv);
      return 1; /* the supervisor starts the station again */
    }
  return status;
}
