/* relais-usb.c: USB keys through GIO: list, read, save, unmount safely. */

#include "relais-usb.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define RELAIS_USB_MAX_DEPTH 3
#define RELAIS_USB_MAX_FILES 200
/* Folders looked at in all, so that a key full of photos answers quickly. */
#define RELAIS_USB_MAX_ENTRIES 5000
/* "document (99).pdf" at most: past that the key is someone's archive. */
#define RELAIS_USB_MAX_NAME_TRIES 99

G_DEFINE_QUARK (relais-usb-error-quark, relais_usb_error);

GList *
relais_usb_list_keys (GVolumeMonitor *monitor)
{
  GList *mounts;
  GList *keys = NULL;

  g_return_val_if_fail (G_IS_VOLUME_MONITOR (monitor), NULL);

  mounts = g_volume_monitor_get_mounts (monitor);
  for (GList *l = mounts; l != NULL; l = l->next)
    {
      GMount *mount = l->data;

      if (!g_mount_is_shadowed (mount) && (g_mount_can_unmount (mount) || g_mount_can_eject (mount)))
        keys = g_list_prepend (keys, g_object_ref (mount));
    }
  g_list_free_full (mounts, g_object_unref);
  /* The monitor lists in mount order: the key plugged last comes last. */
  return g_list_reverse (keys);
}

static gboolean
is_printable_name (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  return g_str_has_suffix (lower, ".pdf") || g_str_has_suffix (lower, ".jpg")
         || g_str_has_suffix (lower, ".jpeg") || g_str_has_suffix (lower, ".png");
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *name_a = g_file_get_basename (*(GFile * const *) a);
  g_autofree char *name_b = g_file_get_basename (*(GFile * const *) b);
  g_autofree char *key_a = g_utf8_collate_key_for_filename (name_a, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (name_b, -1);

  return strcmp (key_a, key_b);
}

static gboolean
list_folder (GFile        *folder,
             int           depth,
             GPtrArray    *found,
             guint        *entries,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (folder,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile     *child = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL || found->len >= RELAIS_USB_MAX_FILES || ++*entries > RELAIS_USB_MAX_ENTRIES)
        break;
      /* Hidden files are the system's (".Trash-1000", "._photo.jpg"). */
      if (g_file_info_get_is_hidden (info))
        continue;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && depth < RELAIS_USB_MAX_DEPTH)
        {
          /* An unreadable folder is skipped, not fatal. */
          if (!list_folder (child, depth + 1, found, entries, cancellable, NULL)
              && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR
               && is_printable_name (g_file_info_get_name (info)))
        g_ptr_array_add (found, g_object_ref (child));
    }
  return TRUE;
}

GPtrArray *
relais_usb_list_printable (GFile        *root,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  guint entries = 0;

  g_return_val_if_fail (G_IS_FILE (root), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!list_folder (root, 1, found, &entries, cancellable, &local_error))
    {
      g_debug ("cannot list %s: %s", g_file_peek_path (root), local_error->message);
      g_set_error_literal (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_NO_KEY,
                           _ ("La clé USB ne peut pas être lue. Retirez-la, rebranchez-la, "
                              "puis réessayez."));
      return NULL;
    }
  g_ptr_array_sort (found, compare_files);
  return g_steal_pointer (&found);
}

static void
set_write_error (GError    **error,
                 int         saved_errno,
                 const char *detail)
{
  g_debug ("writing to the key: %s", detail);
  if (saved_errno == ENOSPC || saved_errno == EFBIG)
    g_set_error_literal (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_FULL,
                         _ ("La clé USB est pleine. Libérez de la place, ou utilisez une autre clé."));
  else if (saved_errno == EROFS || saved_errno == EACCES || saved_errno == EPERM)
    g_set_error_literal (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_READ_ONLY,
                         _ ("La clé USB est protégée en écriture. Vérifiez le petit verrou sur "
                            "son côté, ou utilisez une autre clé."));
  else
    g_set_error_literal (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_WRITE,
                         _ ("Le document n'a pas pu être enregistré sur la clé USB. Retirez-la, "
                            "rebranchez-la, puis réessayez."));
}

/* @basename with " (n)" before its extension. */
static char *
numbered_name (const char *basename,
               int         n)
{
  const char *dot = strrchr (basename, '.');

  if (n == 1)
    return g_strdup (basename);
  if (dot == NULL || dot == basename)
    return g_strdup_printf ("%s (%d)", basename, n);
  return g_strdup_printf ("%.*s (%d)%s", (int) (dot - basename), basename, n, dot);
}

GFile *
relais_usb_save (GFile        *root,
                 const char   *basename,
                 GBytes       *data,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autofree char *root_path = NULL;
  gsize            size;
  const guint8    *bytes;

  g_return_val_if_fail (G_IS_FILE (root), NULL);
  g_return_val_if_fail (basename != NULL && *basename != '\0' && strchr (basename, '/') == NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root_path = g_file_get_path (root);
  if (root_path == NULL || !g_file_test (root_path, G_FILE_TEST_IS_DIR))
    {
      g_set_error_literal (error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_NO_KEY,
                           _ ("La clé USB n'est plus là. Rebranchez-la, puis réessayez."));
      return NULL;
    }

  bytes = g_bytes_get_data (data, &size);
  for (int n = 1; n <= RELAIS_USB_MAX_NAME_TRIES; n++)
    {
      g_autofree char *name = numbered_name (basename, n);
      g_autofree char *path = g_build_filename (root_path, name, NULL);
      g_autofree char *tmp = g_strdup_printf ("%s/.relais-%s.tmp", root_path, name);
      gsize            done = 0;
      int              fd;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;

      /* Written beside, synced, then linked under its name: a key pulled
       * out mid-write leaves no half document that looks whole. link ()
       * fails if the name appeared meanwhile; vfat has no hard links, so
       * there rename () after a last look. */
      fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0)
        {
          int saved = errno;
          set_write_error (error, saved, g_strerror (saved));
          return NULL;
        }
      while (done < size)
        {
          gssize written = write (fd, bytes + done, size - done);

          if (written < 0 && errno == EINTR)
            continue;
          if (written <= 0 || g_cancellable_is_cancelled (cancellable))
            {
              int saved = written < 0 ? errno : ECANCELED;

              close (fd);
              g_unlink (tmp);
              set_write_error (error, saved, g_strerror (saved));
              return NULL;
            }
          done += (gsize) written;
        }
      if (fsync (fd) != 0 || close (fd) != 0)
        {
          int saved = errno;

          g_unlink (tmp);
          set_write_error (error, saved, g_strerror (saved));
          return NULL;
        }
      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_rename (tmp, path) != 0)
        {
          int saved = errno;

          g_unlink (tmp);
          if (g_file_test (path, G_FILE_TEST_EXISTS))
            continue;
          set_write_error (error, saved, g_strerror (saved));
          return NULL;
        }
      g_debug ("saved %" G_GSIZE_FORMAT " bytes as %s", size, path);
      return g_file_new_for_path (path);
    }

  set_write_error (error, EEXIST, "no free name");
  return NULL;
}

/* A key still busy (a file manager or the system finishing a write) is
 * tried again a few times before the resident is told anything: there is
 * no button for them to press again. */
#define UNMOUNT_TRIES 4

typedef struct {
  gboolean eject;
  guint    tries;
} Unmount;

static void unmount_start (GTask *task);

static gboolean
unmount_again_cb (gpointer user_data)
{
  unmount_start (user_data);
  return G_SOURCE_REMOVE;
}

static void
unmount_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GMount  *mount = G_MOUNT (object);
  Unmount *unmount = g_task_get_task_data (task);
  gboolean ok = unmount->eject
                    ? g_mount_eject_with_operation_finish (mount, result, &error)
                    : g_mount_unmount_with_operation_finish (mount, result, &error);

  if (ok)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_debug ("unmount failed (try %u): %s", unmount->tries, error->message);
  /* Busy shows as G_IO_ERROR_BUSY through udisks but only as umount's
   * "target is busy" (G_IO_ERROR_FAILED) through GIO's unix monitor: any
   * failure is tried again. */
  if (unmount->tries < UNMOUNT_TRIES
      && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_timeout_add_seconds (1, unmount_again_cb, task);
      return;
    }
  g_task_return_new_error (task, RELAIS_USB_ERROR, RELAIS_USB_ERROR_BUSY, "%s",
                           _ ("La clé USB n'a pas pu être libérée. Ne la retirez pas encore : "
                              "appelez un médiateur."));
  g_object_unref (task);
}

static void
unmount_start (GTask *task)
{
  GMount  *mount = g_task_get_source_object (task);
  Unmount *unmount = g_task_get_task_data (task);

  unmount->tries++;
  /* Ejecting also powers the key down where the system can. */
  if (unmount->eject)
    g_mount_eject_with_operation (mount, G_MOUNT_UNMOUNT_NONE, NULL,
                                  g_task_get_cancellable (task), unmount_done_cb, task);
  else
    g_mount_unmount_with_operation (mount, G_MOUNT_UNMOUNT_NONE, NULL,
                                    g_task_get_cancellable (task), unmount_done_cb, task);
}

void
relais_usb_unmount_async (GMount             *mount,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  GTask   *task;
  Unmount *unmount;

  g_return_if_fail (G_IS_MOUNT (mount));

  task = g_task_new (mount, cancellable, callback, user_data);
  g_task_set_source_tag (task, relais_usb_unmount_async);
  unmount = g_new0 (Unmount, 1);
  unmount->eject = g_mount_can_eject (mount);
  g_task_set_task_data (task, unmount, g_free);
  unmount_start (task);
}

gboolean
relais_usb_unmount_finish (GMount       *mount,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, mount), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
