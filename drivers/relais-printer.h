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
  int      copies;     /* 0 means 1 */
  gboolean grayscale;
} RelaisPrintOptions;

#define RELAIS_TYPE_PRINTER (relais_printer_get_type ())
G_DECLARE_INTERFACE (RelaisPrinter, relais_printer, RELAIS, PRINTER, GObject)

struct _RelaisPrinterInterface
{
  GTypeInterface parent_iface;

  const char     *(*get_label)     (RelaisPrinter *self);
  /* Blocking. Returns the job id (> 0), or 0 with @error set. */
  int             (*print_bytes)   (RelaisPrinter            *self,
                                    GBytes                   *document,
                                    const char               *mime_type,
                                    const char               *title,
                                    const RelaisPrintOptions *options,
                                    GError                  **error);
  RelaisJobState  (*get_job_state) (RelaisPrinter *self,
                                    int            job_id,
                                    GError       **error);
};

const char     *relais_printer_get_label     (RelaisPrinter            *self);
int             relais_printer_print_bytes   (RelaisPrinter            *self,
                                              GBytes                   *document,
                                              const char               *mime_type,
                                              const char               *title,
                                              const RelaisPrintOptions *options,
                                              GError                  **error);
/* Reads @path and prints it; the MIME type is guessed from its content. */
int             relais_printer_print_file    (RelaisPrinter            *self,
                                              const char               *path,
                                              const char               *title,
                                              const RelaisPrintOptions *options,
                                              GError                  **error);
RelaisJobState  relais_printer_get_job_state (RelaisPrinter            *self,
                                              int                       job_id,
                                              GError                  **error);
/* Runs print_bytes in a thread; finish returns the job id or 0. */
void            relais_printer_print_async   (RelaisPrinter            *self,
                                              GBytes                   *document,
                                              const char               *mime_type,
                                              const char               *title,
                                              const RelaisPrintOptions *options,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
int             relais_printer_print_finish  (RelaisPrinter            *self,
                                              GAsyncResult             *result,
                                              GError                  **error);

/* CUPS implementation (the server comes from CUPS_SERVER / client.conf).
 * @destination NULL or "" picks the default destination, else the first one.
 * Fails with RELAIS_PRINTER_ERROR_NO_PRINTER when there is none. */
RelaisPrinter  *relais_printer_cups_new      (const char  *destination,
                                              GError     **error);

G_END_DECLS
