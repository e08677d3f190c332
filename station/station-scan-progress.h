/* station-scan-progress.h: a progress bar fed from the scanning thread. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Invariant: tick_id != 0 while a scan runs; permille is the only field
 * the scanning thread touches (atomically), -1 when the height is
 * unknown (hand scanners: the bar pulses). */
typedef struct {
  GtkWidget *bar; /* borrowed */
  gint       permille;
  guint      tick_id;
} StationScanProgress;

/* Resets @bar and refreshes it ten times a second until stopped. */
void station_scan_progress_start (StationScanProgress *progress,
                                  GtkWidget           *bar);
void station_scan_progress_stop (StationScanProgress *progress);
/* Work whose length is unknown (a pile of sheets, a document being made,
 * a print followed): @bar goes back and forth until stopped. Does nothing
 * when it already does. */
void station_scan_progress_pulse (StationScanProgress *progress,
                                  GtkWidget           *bar);
/* A RelaisScanProgress: pass the StationScanProgress as its data. */
void station_scan_progress_cb (double   fraction,
                               gpointer progress);

G_END_DECLS
