/* relais-station: the self-service kiosk. */
#include <glib/gi18n.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "relais-i18n.h"

#include "station-application.h"
#include "station-browser.h"

/* The descriptors this process was given (a supervisor's: cage, say,
 * keeps the write end of a pipe open in its client and ends itself when
 * it closes), read before anything of ours is opened. */
static GHashTable *
open_descriptors (void)
{
  GHashTable    *fds = g_hash_table_new (NULL, NULL);
  DIR           *dir = opendir ("/proc/self/fd");
  struct dirent *entry;

  while (dir != NULL && (entry = readdir (dir)) != NULL)
    if (g_ascii_isdigit (entry->d_name[0]) && atoi (entry->d_name) != dirfd (dir))
      g_hash_table_add (fds, GINT_TO_POINTER (atoi (entry->d_name)));
  if (dir != NULL)
    closedir (dir);
  return fds;
}

/* Executes @program again in this process (station-application.c's
 * renewal); returns only if it cannot. What this process opened closes
 * on the way, whatever a library forgot (a socket without its
 * close-on-exec flag would pile up, one more at each renewal); what it
 * was given stays open, as it came. */
static void
renew (const char *program,
       char      **argv,
       GHashTable *given)
{
  g_autoptr(GHashTable) now = open_descriptors ();
  GHashTableIter iter;
  gpointer       fd;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &fd, NULL))
    if (GPOINTER_TO_INT (fd) > 2 && !g_hash_table_contains (given, fd))
      fcntl (GPOINTER_TO_INT (fd), F_SETFD, FD_CLOEXEC);
  execv (program, argv);
  g_printerr ("relais-station : %s : %s\n", program, g_strerror (errno));
}

int
main (int argc, char **argv)
{
  g_autoptr(GHashTable) given = open_descriptors ();
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
      renew (program, argv, given);
      return 1; /* the supervisor starts the station again */
    }
  return status;
}
