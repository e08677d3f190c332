/* relais-usb.h: USB keys seen through GIO's volume monitor: list what is
 * printable on them, save a document, unmount before the key is pulled. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAIS_USB_ERROR (relais_usb_error_quark ())
typedef enum {
  RELAIS_USB_ERROR_NO_KEY = 1,
  RELAIS_USB_ERROR_WRITE,
  RELAIS_USB_ERROR_FULL,
  RELAIS_USB_ERROR_READ_ONLY,
  RELAIS_USB_ERROR_BUSY, /* cannot unmount yet */
} RelaisUsbError;
GQuark     relais_usb_error_quark (void);

/* The removable mounts @monitor shows now (GMount*, owned), the most
 * recently plugged last. A mount counts when it can be unmounted or
 * ejected: internal disks and system mounts do not. */
GList     *relais_usb_list_keys (GVolumeMonitor *monitor);
/* Printable files (PDF, JPEG, PNG by name; their content is checked when
 * opened) under @root, at most 3 folders deep and 200 files, sorted by
 * name. Returns: (transfer full) (element-type GFile). */
GPtrArray *relais_usb_list_printable (GFile        *root,
                                      GCancellable *cancellable,
                                      GError      **error);
/* Writes @data as @basename in @root, never over an existing file
 * ("document (2).pdf"…), through a temporary file renamed into place and
 * synced to the key. Returns: (transfer full): the file written. */
GFile     *relais_usb_save (GFile        *root,
                            const char   *basename,
                            GBytes       *data,
                            GCancellable *cancellable,
                            GError      **error);
/* Unmounts @mount (eject when it can, so the key's light goes off). When
 * it finishes without error, the key can be pulled out. */
void       relais_usb_unmount_async (GMount             *mount,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean   relais_usb_unmount_finish (GMount       *mount,
                                      GAsyncResult *result,
                                      GError      **error);

G_END_DECLS
