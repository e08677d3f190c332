/* test-usb.c: USB keys. The file-level logic on a folder; then, as root, a
 * real vfat key: a loop-mounted image that GIO's volume monitor sees
 * appear, written to, unmounted, and read back. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-usb.h"
#include "relais-test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-usb-XXXXXX", &error);
  g_autoptr(GFile) root = NULL;
  g_autoptr(GFile) first = NULL;
  g_autoptr(GFile) second = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 un document", 20);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_assert_no_error (error);
  root = g_file_new_for_path (dir);

  /* Never over an existing file: the resident's own papers stay. */
  first = relais_usb_save (root, "document.pdf", pdf, NULL, &error);
  g_assert_no_error (error);
  second = relais_usb_save (root, "document.pdf", pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_file_peek_path (first) + strlen (dir), ==, "/document.pdf");
  g_assert_cmpstr (g_file_peek_path (second) + strlen (dir), ==, "/document (2).pdf");
  g_assert_true (g_file_get_contents (g_file_peek_path (second), &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "%PDF-1.4 un document");
  /* No temporary file left behind. */
  listing = g_dir_open (dir, 0, &error);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".tmp"));

  write_file (dir, "Photos/CAF/attestation.JPG", "x");
  write_file (dir, "Photos/b.png", "x");
  write_file (dir, "notes.txt", "x");
  write_file (dir, ".cache/caché.pdf", "x");
  write_file (dir, "a/b/c/d/trop-profond.pdf", "x");
  files = relais_usb_list_printable (root, NULL, &error);
  g_assert_no_error (error);
  /* The two documents, the photo and the picture: not the text file, the
   * hidden folder's nor the one 4 folders deep. */
  g_assert_cmpuint (files->len, ==, 4);
  {
    g_autofree char *n0 = g_file_get_basename (g_ptr_array_index (files, 0));
    g_autofree char *n1 = g_file_get_basename (g_ptr_array_index (files, 1));

    g_assert_cmpstr (n0, ==, "attestation.JPG");
    g_assert_cmpstr (n1, ==, "b.png");
  }

  /* A key gone: a sentence, not a crash. */
  {
    g_autoptr(GFile) gone = g_file_new_for_path ("/nonexistent/cle");
    g_autoptr(GFile) none = relais_usb_save (gone, "document.pdf", pdf, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_NO_KEY);
    g_clear_error (&error);
  }

  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (rm), ==, 0);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  char    *mount_dir;
  GMount  *key;
  gboolean done;
  GError  *error;
} KeyState;

/* Iterates the main loop until @cond holds, 20 s at most. */
static gboolean
wait_for (GSourceFunc cond,
          gpointer    data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return TRUE;
}

static gboolean
run (const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  if (!g_spawn_command_line_sync (command, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s: %s", command, error != NULL ? error->message : err);
      return FALSE;
    }
  return TRUE;
}

static gboolean
key_mounted (gpointer data)
{
  KeyState *state = data;
  g_autoptr(GVolumeMonitor) monitor = g_volume_monitor_get ();
  GList *keys = relais_usb_list_keys (monitor);

  for (GList *l = keys; l != NULL && state->key == NULL; l = l->next)
    {
      g_autoptr(GFile) root = g_mount_get_root (l->data);

      if (g_strcmp0 (g_file_peek_path (root), state->mount_dir) == 0)
        state->key = g_object_ref (l->data);
    }
  g_list_free_full (keys, g_object_unref);
  return state->key != NULL;
}

static void
unmounted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  KeyState *state = data;

  relais_usb_unmount_finish (G_MOUNT (object), result, &state->error);
  state->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((KeyState *) data)->done;
}

static gboolean
is_mounted (const char *dir)
{
  g_autofree char *mounts = NULL;
  g_autofree char *needle = g_strdup_printf (" %s ", dir);

  g_file_get_contents ("/proc/self/mounts", &mounts, NULL, NULL);
  return mounts != NULL && strstr (mounts, needle) != NULL;
}

static gboolean
close_fd_cb (gpointer data)
{
  close (GPOINTER_TO_INT (data));
  return G_SOURCE_REMOVE;
}

static void
test_real_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *work = NULL;
  g_autofree char *image = NULL;
  g_autofree char *command = NULL;
  g_autofree char *saved_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) root = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GVolumeMonitor) monitor = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 sur la clé", 20);
  KeyState         state = { NULL, NULL, FALSE, NULL };
  int              busy_fd;
  char             mount_template[] = "/run/media/relais-test-XXXXXX";

  g_autofree char *filesystems = NULL;
  const char      *fs;
  g_autofree char *mkfs = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to loop-mount a key");
      return;
    }
  /* Keys are vfat; a kernel without vfat (some containers) still has
   * ext2, and what is tested here (GIO sees it, write, unmount) does not
   * depend on the filesystem. */
  g_file_get_contents ("/proc/filesystems", &filesystems, NULL, NULL);
  if (filesystems != NULL && strstr (filesystems, "\tvfat\n") != NULL
      && (mkfs = g_find_program_in_path ("mkfs.vfat")) != NULL)
    fs = "vfat";
  else if ((mkfs = g_find_program_in_path ("mke2fs")) != NULL)
    fs = "ext2";
  else
    {
      g_test_skip ("neither vfat (dosfstools) nor ext2 (e2fsprogs) to make a key");
      return;
    }
  g_test_message ("key formatted as %s", fs);

  work = g_dir_make_tmp ("relais-key-XXXXXX", &error);
  g_assert_no_error (error);
  image = g_build_filename (work, "key.img", NULL);
  g_assert_cmpint (g_mkdir_with_parents ("/run/media", 0755), ==, 0);
  /* Under /run/media: where GIO shows removable mounts to root. */
  state.mount_dir = g_mkdtemp (mount_template);
  g_assert_nonnull (state.mount_dir);

  command = g_strdup_printf ("truncate -s 8M '%s'", image);
  g_assert_true (run (command));
  g_clear_pointer (&command, g_free);
  command = g_str_equal (fs, "vfat") ? g_strdup_printf ("mkfs.vfat -n RELAIS '%s'", image)
                                     : g_strdup_printf ("mke2fs -q -F -L RELAIS '%s'", image);
  g_assert_true (run (command));
  g_clear_pointer (&command, g_free);

  /* The monitor must exist before the key arrives, as on the station. */
  monitor = g_volume_monitor_get ();
  command = g_strdup_printf ("mount -o loop -t %s '%s' '%s'", fs, image, state.mount_dir);
  if (!run (command))
    {
      g_rmdir (state.mount_dir);
      g_test_skip ("loop mounts are not allowed here");
      return;
    }
  g_clear_pointer (&command, g_free);

  /* Seen through GIO, as the station sees keys. */
  g_assert_true (wait_for (key_mounted, &state));
  root = g_mount_get_root (state.key);
  saved = relais_usb_save (root, "Scan CAF.pdf", pdf, NULL, &error);
  g_assert_no_error (error);
  saved_path = g_file_get_path (saved);

  /* Something still holds a file on the key for a moment (as a system
   * finishing a write does): the station waits for it instead of telling
   * the resident to press a button that does not exist. */
  busy_fd = open (saved_path, O_RDONLY);
  g_assert_cmpint (busy_fd, >=, 0);
  g_timeout_add (1500, close_fd_cb, GINT_TO_POINTER (busy_fd));
  relais_usb_unmount_async (state.key, NULL, unmounted_cb, &state);
  g_assert_true (wait_for (is_done, &state));
  g_assert_no_error (state.error);
  /* "Vous pouvez retirer la clé": it is really unmounted. */
  g_assert_false (is_mounted (state.mount_dir));

  /* Plugged in again: the document is there, whole. */
  command = g_strdup_printf ("mount -o loop,ro -t %s '%s' '%s'", fs, image, state.mount_dir);
  g_assert_true (run (command));
  g_clear_pointer (&command, g_free);
  g_assert_true (g_file_get_contents (saved_path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "%PDF-1.4 sur la clé");
  command = g_strdup_printf ("umount '%s'", state.mount_dir);
  g_assert_true (run (command));
  g_clear_pointer (&command, g_free);

  g_clear_object (&state.key);
  g_rmdir (state.mount_dir);
  g_unlink (image);
  g_rmdir (work);
}

int
main (int   argc,
      char *argv[])
{
  /* GIO's own monitor of /proc/self/mountinfo, whatever else is installed. */
  g_setenv ("GIO_USE_VOLUME_MONITOR", "unix", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/usb/folder", test_folder);
  g_test_add_func ("/usb/real-key", test_real_key);

  return g_test_run ();
}
