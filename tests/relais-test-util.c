/* relais-test-util.c: small helpers shared by the test programs. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-util.h"

#include <gio/gio.h>

const char *
relais_test_source_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("RELAIS_SOURCE_DIR");
      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else
        {
          g_autofree char *tests = g_path_get_dirname (__FILE__);
          dir = g_path_get_dirname (tests);
        }
    }
  return dir;
}

const char *
relais_test_build_dir (void)
{
  const char *env = g_getenv ("RELAIS_BUILD_DIR");
  return env != NULL ? env : ".";
}

char *
relais_test_artifact_path (const char *name)
{
  const char      *env = g_getenv ("RELAIS_TEST_ARTIFACTS");
  g_autofree char *dir = env != NULL ? g_strdup (env)
                                     : g_build_filename (g_get_tmp_dir (), "relais-test-artifacts", NULL);

  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

guint16
relais_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

void
relais_test_no_sound (void)
{
  g_setenv ("PULSE_SERVER", "unix:/nonexistent/relais-no-sound", TRUE);
  g_setenv ("ALSA_CONFIG_PATH", "/dev/null", TRUE);
}
