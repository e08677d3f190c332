/* relais-scanner-sane-private.h: what the SANE driver's files share. */
#pragma once

#include "relais-scanner.h"
#include "relais-limits.h"

#include <sane/sane.h>

/* Bytes asked from sane_read () at a time. */
#define RELAIS_SCAN_READ_CHUNK (128 * 1024)
/* Grey level below which a TEXT scan's pixel becomes black. */
#define RELAIS_SCAN_TEXT_THRESHOLD 128

/* The last page's frame, kept to read the next page into (see
 * relais-scanner-sane-read.c). */
typedef struct _RelaisFrameSpare RelaisFrameSpare;

RelaisFrameSpare                *_relais_frame_spare_new (void);
/* The scanner is going: the spare is freed, and every frame after it. */
void                             _relais_frame_spare_close (RelaisFrameSpare *spare);

#define RELAIS_TYPE_SCANNER_SANE (relais_scanner_sane_get_type ())
G_DECLARE_FINAL_TYPE (RelaisScannerSane, relais_scanner_sane, RELAIS, SCANNER_SANE, GObject)

struct _RelaisScannerSane {
  GObject           parent_instance;

  /* Owned */
  SANE_Handle       handle; /* open from construction to finalize */
  char             *name;   /* SANE device name, e.g. "test:0" */
  char             *label;  /* what a person reads: vendor and model */
  GHashTable       *pinned; /* names set by relais_scanner_sane_set_option_string () */

  /* Held for a whole scan or option change: the handle is used by one thread
   * at a time (except sane_cancel (), which SANE allows from anywhere).
   * Only ever try-locked, so that a second scan fails BUSY at once instead
   * of queueing behind a page that may take a minute. */
  GMutex            scan_lock;
  /* Thread ids the backend started in this page's sane_start () calls
   * (sanei_thread's readers), to let them end before sane_cancel (). */
  GArray           *reader_threads;
  /* Frames in a row whose reader did not end with its data; from the
   * third on, this backend is taken to keep its threads until
   * sane_cancel (), and waiting for them would only slow every page. */
  guint             readers_lingered;
  RelaisFrameSpare *spare;
};

typedef struct
{
  RelaisScanProgress func;
  gpointer           data;
  gsize              expected; /* all frames; 0 when some height is unknown */
  gsize              done;     /* bytes of earlier frames */
  int                reported; /* last percentage reported, -1 for none */
  gsize              reported_bytes;
} RelaisProgress;

/* relais-scanner-sane.c: each SANE status to a French sentence, once. */
void        _relais_sane_set_error (GError    **error,
                                    SANE_Status status);
void        _relais_sane_set_too_large_error (GError **error,
                                              gsize    bytes);

/* relais-scanner-sane-read.c: frames read and turned into a page. */
int         _relais_frame_channel_index (SANE_Frame format);
RelaisPage *_relais_scanner_sane_read_page (RelaisScannerSane       *self,
                                            const RelaisScanOptions *options,
                                            int                      dpi,
                                            RelaisProgress          *progress,
                                            GCancellable            *cancellable,
                                            GError                 **error);

/* sane_start (), noting the threads it starts (relais-scanner-sane.c). */
SANE_Status _relais_scanner_sane_start (RelaisScannerSane *self);
/* Waits (a bounded time) for the threads it started to end by themselves;
 * FALSE when one still runs. */
gboolean    _relais_scanner_sane_let_readers_finish (RelaisScannerSane *self);
