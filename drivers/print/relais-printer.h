/* relais-printer.h: what the programs see of a printer (CUPS behind it). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAIS_PRINTER_ERROR (relais_printer_error_quark ())
typedef enum {
  RELAIS_PRINTER_ERROR_NO_PRINTER = 1,
  RELAIS_PRINTER_ERROR_UNREACHABLE,
  RELAIS_PRINTER_ERROR_REFUSED,
  RELAIS_PRINTER_ERROR_FILE,
  RELAIS_PRINTER_ERROR_FAILED,
  RELAIS_PRINTER_ERROR_NO_JOB, /* the server does not know the job (any more) */
} RelaisPrinterError;
GQuark relais_printer_error_quark (void);

typedef enum {
  RELAIS_JOB_PENDING = 1,
  RELAIS_JOB_PROCESSING,
  RELAIS_JOB_HELD,
  RELAIS_JOB_STOPPED,
  RELAIS_JOB_COMPLETED,
  RELAIS_JOB_CANCELLED,
  RELAIS_JOB_ABORTED,
} RelaisJobState;

typedef struct {
  int      copies; /* 0 means 1 */
  gboolean grayscale;
  gboolean duplex;          /* both sides; ignored (printed one-sided) when
                             * relais_printer_supports_duplex () says no */
  char     page_ranges[32]; /* "" for all, else IPP page-ranges: "2-3,5" */
} RelaisPrintOptions;

#define RELAIS_TYPE_PRINTER (relais_printer_get_type ())
G_DECLARE_INTERFACE (RelaisPrinter, relais_printer, RELAIS, PRINTER, GObject)

struct _RelaisPrinterInterface {
  GTypeInterface parent_iface;

  const char *(*get_label) (RelaisPrinter *self);
  /* Blocking. Returns the job id (> 0), or 0 with @error set. */
  int (*print_bytes) (RelaisPrinter            *self,
                      GBytes                   *document,
                      const char               *mime_type,
                      const char               *title,
                      const RelaisPrintOptions *options,
                      GError                  **error);
  RelaisJobState (*get_job_state) (RelaisPrinter *self,
                                   int            job_id,
                                   GError       **error);
  /* Whether the destination accepts @value for the IPP attribute @option. */
  gboolean (*supports) (RelaisPrinter *self,
                        const char    *option,
                        const char    *value);
  /* The printer's printer-state-reasons, normalised (see below). */
  GStrv (*dup_state_reasons) (RelaisPrinter *self,
                              GError       **error);
};

const char    *relais_printer_get_label (RelaisPrinter *self);
int            relais_printer_print_bytes (RelaisPrinter            *self,
                                           GBytes                   *document,
                                           const char               *mime_type,
                                           const char               *title,
                                           const RelaisPrintOptions *options,
                                           GError                  **error);
/* Reads @path and prints it; the MIME type is guessed from its content. */
int            relais_printer_print_file (RelaisPrinter            *self,
                                          const char               *path,
                                          const char               *title,
                                          const RelaisPrintOptions *options,
                                          GError                  **error);
RelaisJobState relais_printer_get_job_state (RelaisPrinter *self,
                                             int            job_id,
                                             GError       **error);
/* Two-sided printing, as the destination says (never assumed). */
gboolean       relais_printer_supports_duplex (RelaisPrinter *self);
/* What stops the printer now: IPP printer-state-reasons without their
 * -error/-warning/-report suffix ("media-empty", "media-jam",
 * "toner-empty", "door-open", "offline", …), "stopped" for a queue that is
 * stopped or paused; "none" is dropped, so an empty array means all is
 * well. Blocking (one IPP request). */
GStrv          relais_printer_dup_state_reasons (RelaisPrinter *self,
                                                 GError       **error);
/* A sentence for the resident about @reason, or NULL when @reason does not
 * stop printing (warnings, reports, reasons we do not know). */
const char    *relais_printer_reason_get_message (const char *reason);
/* The help request's reason for @reason: "media-empty" → "printer-media-empty"
 * (RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY); NULL for a reason that has
 * no message (relais_printer_reason_get_message ()). Owned. */
char          *relais_printer_reason_dup_help_reason (const char *reason);
/* TRUE for "", "3", "1-2", "1-2,5,7-9" with numbers from 1 up, increasing. */
gboolean       relais_printer_page_ranges_are_valid (const char *ranges);

/* Runs print_bytes in a thread; finish returns the job id or 0. */
void           relais_printer_print_async (RelaisPrinter            *self,
                                           GBytes                   *document,
                                           const char               *mime_type,
                                           const char               *title,
                                           const RelaisPrintOptions *options,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
int            relais_printer_print_finish (RelaisPrinter *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* CUPS implementation (the server comes from CUPS_SERVER / client.conf).
 * @destination NULL or "" picks the default destination, else the first one.
 * Fails with RELAIS_PRINTER_ERROR_NO_PRINTER when there is none. */
RelaisPrinter *relais_printer_cups_new (const char *destination,
                                        GError    **error);

G_END_DECLS
