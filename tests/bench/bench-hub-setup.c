/* bench-hub-setup: enrolls a benchmark's clients on a fresh hub database,
 * and finds a free loopback port for the hub. */
#define G_LOG_DOMAIN "relais-bench"

#include <gio/gio.h>
#include <stdio.h>

#include "relais-hub.h"

static int
run_enroll (const char *db_path,
            const char *tokens_path,
            guint       n_stations,
            guint       n_consoles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (db_path, RELAIS_DB_HUB, &error);
  g_autoptr(GString) tokens = g_string_new (NULL);

  if (db == NULL)
    {
      g_printerr ("bench-hub-setup: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n_stations + n_consoles; i++)
    {
      const char      *kind = i < n_stations ? "station" : "console";
      g_autofree char *name = i < n_stations ? g_strdup_printf ("poste-%02u", i + 1)
                                             : g_strdup_printf ("console-%u", i - n_stations + 1);
      g_autofree char *token = relais_hub_enroll (db, kind, name, &error);

      if (token == NULL)
        {
          g_printerr ("bench-hub-setup: %s\n", error->message);
          return 1;
        }
      g_string_append_printf (tokens, "%s %s %s\n", kind, name, token);
    }
  /* The tokens file lives in the benchmark's private temporary folder. */
  if (!g_file_set_contents_full (tokens_path, tokens->str, tokens->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_printerr ("bench-hub-setup: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* Binds port 0 and gives the port back: a small race with other programs,
 * which the scripts absorb by retrying the hub's start. */
static int
run_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, &error)
      || (bound = g_socket_get_local_address (socket, &error)) == NULL)
    {
      g_printerr ("bench-hub-setup: %s\n", error->message);
      return 1;
    }
  g_print ("%u\n", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return 0;
}

int
main (int argc, char **argv)
{
  guint64 n_stations;
  guint64 n_consoles;

  if (argc == 2 && g_str_equal (argv[1], "free-port"))
    return run_free_port ();
  if (argc == 6 && g_str_equal (argv[1], "enroll")
      && g_ascii_string_to_unsigned (argv[4], 10, 0, 1000, &n_stations, NULL)
      && g_ascii_string_to_unsigned (argv[5], 10, 0, 1000, &n_consoles, NULL))
    return run_enroll (argv[2], argv[3], n_stations, n_consoles);
  g_printerr ("usage : bench-hub-setup enroll DB TOKENS N_STATIONS N_CONSOLES\n"
              "        bench-hub-setup free-port\n");
  return 2;
}
