/* relais-scanner.h: what the programs see of a scanner (SANE behind it). */
#pragma once

#include <gio/gio.h>
#include "relais-page.h"

G_BEGIN_DECLS

#define RELAIS_SCANNER_ERROR (relais_scanner_error_quark ())
typedef enum {
  RELAIS_SCANNER_ERROR_NO_DEVICE = 1,
  RELAIS_SCANNER_ERROR_JAMMED,
  RELAIS_SCANNER_ERROR_NO_DOCS,
  RELAIS_SCANNER_ERROR_COVER_OPEN,
  RELAIS_SCANNER_ERROR_BUSY,
  RELAIS_SCANNER_ERROR_IO,
  RELAIS_SCANNER_ERROR_ACCESS_DENIED,
  RELAIS_SCANNER_ERROR_NO_MEM,
  RELAIS_SCANNER_ERROR_CANCELLED,
  RELAIS_SCANNER_ERROR_UNSUPPORTED,
  RELAIS_SCANNER_ERROR_FAILED,
} RelaisScannerError;
GQuark relais_scanner_error_quark (void);

typedef enum {
  RELAIS_SCAN_COLOR = 1,
  RELAIS_SCAN_GRAY,
  RELAIS_SCAN_TEXT, /* black and white, for letters */
} RelaisScanMode;

typedef enum {
  RELAIS_SCAN_SOURCE_DEFAULT = 0, /* whatever the device is set to */
  RELAIS_SCAN_SOURCE_FLATBED,     /* "Recto": the glass */
  RELAIS_SCAN_SOURCE_FEEDER,      /* "Chargeur": the automatic document feeder */
} RelaisScanSource;

typedef struct {
  RelaisScanMode   mode;
  int              dpi;    /* wanted; the nearest the device allows is used */
  RelaisScanSource source; /* a feeder gives one sheet per call, then NO_DOCS */
} RelaisScanOptions;

/* Called from the scanning thread; @fraction in 0..1, or -1 if unknown. */
typedef void (*RelaisScanProgress) (double fraction, gpointer user_data);

#define RELAIS_TYPE_SCANNER (relais_scanner_get_type ())
G_DECLARE_INTERFACE (RelaisScanner, relais_scanner, RELAIS, SCANNER, GObject)

struct _RelaisScannerInterface {
  GTypeInterface parent_iface;

  const char *(*get_label) (RelaisScanner *self);
  /* Blocking; run in a worker thread by relais_scanner_scan_async (). */
  RelaisPage *(*scan_page) (RelaisScanner           *self,
                            const RelaisScanOptions *options,
                            RelaisScanProgress       progress,
                            gpointer                 progress_data,
                            GCancellable            *cancellable,
                            GError                 **error);
  /* Optional: whether the device has a sheet feeder (default: no). */
  gboolean (*has_feeder) (RelaisScanner *self);
};

const char *relais_scanner_get_label (RelaisScanner *self);
gboolean    relais_scanner_has_feeder (RelaisScanner *self);
RelaisPage *relais_scanner_scan_page (RelaisScanner           *self,
                                      const RelaisScanOptions *options,
                                      RelaisScanProgress       progress,
                                      gpointer                 progress_data,
                                      GCancellable            *cancellable,
                                      GError                 **error);
/* Runs scan_page in a thread. @progress is called in that thread. */
void        relais_scanner_scan_async (RelaisScanner           *self,
                                       const RelaisScanOptions *options,
                                       RelaisScanProgress       progress,
                                       gpointer                 progress_data,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
RelaisPage *relais_scanner_scan_finish (RelaisScanner *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Scans every sheet of the feeder (or the one page on the glass), until the
 * device says it has no more: NO_DOCS after at least one page ends the
 * batch normally. @page_func (nullable) is called in the calling thread
 * with each page as it comes. Fails as relais_scanner_scan_page () does,
 * keeping nothing of a partial batch but what @page_func was given.
 * Returns: (transfer container) (element-type RelaisPage): the pages. */
typedef void (*RelaisScanPageFunc) (RelaisPage *page, guint index, gpointer user_data);
GPtrArray     *relais_scanner_scan_batch (RelaisScanner           *self,
                                          const RelaisScanOptions *options,
                                          RelaisScanPageFunc       page_func,
                                          gpointer                 page_data,
                                          GCancellable            *cancellable,
                                          GError                 **error);

/* SANE implementation. @device NULL or "" picks the first device found.
 * Fails with RELAIS_SCANNER_ERROR_NO_DEVICE when there is none. */
RelaisScanner *relais_scanner_sane_new (const char *device,
                                        GError    **error);
/* Names of the devices SANE sees now (a new probe each call). */
GStrv          relais_scanner_sane_list (GError **error);
/* Sets the SANE option @name of a RelaisScannerSane from text: a string
 * option takes @value as is (it must be one the device offers), a number
 * becomes the nearest allowed value, a boolean takes yes/no/true/false/1/0.
 * Meant for tests and for settings read from the station's configuration
 * (the SANE test backend's "test-picture", "read-return-value", "source"…).
 * An option set here is left alone by the scans, except "mode" and
 * "resolution", which every scan sets from its RelaisScanOptions, and
 * "source" when the options name one.
 * Fails with RELAIS_SCANNER_ERROR_UNSUPPORTED for an unknown, inactive or
 * read-only option or a value the device refuses, with
 * RELAIS_SCANNER_ERROR_BUSY during a scan. */
gboolean       relais_scanner_sane_set_option_string (RelaisScanner *self,
                                                      const char    *name,
                                                      const char    *value,
                                                      GError       **error);

G_END_DECLS
