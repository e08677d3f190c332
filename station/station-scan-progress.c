/* station-scan-progress.c: a progress bar fed from the scanning thread. */

#include "station-scan-progress.h"

void
station_scan_progress_cb (double   fraction,
                          gpointer data)
{
  StationScanProgress *progress = data;

  /* Scanning thread: only an atomic store here. */
  g_atomic_int_set (&progress->permille, fraction < 0 ? -1 : (int) (fraction * 1000));
}

static gboolean
tick_cb (gpointer data)
{
  StationScanProgress *progress = data;
  int                  permille = g_atomic_int_get (&progress->permille);

  if (permille < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (progress->bar));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress->bar), permille / 1000.0);
  return G_SOURCE_CONTINUE;
}

void
station_scan_progress_start (StationScanProgress *progress,
                             GtkWidget           *bar)
{
  station_scan_progress_stop (progress);
  progress->bar = bar;
  g_atomic_int_set (&progress->permille, 0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), 0);
  progress->tick_id = g_timeout_add (100, tick_cb, progress);
}

void
station_scan_progress_pulse (StationScanProgress *progress,
                             GtkWidget           *bar)
{
  if (progress->tick_id != 0 && progress->bar == bar && g_atomic_int_get (&progress->permille) < 0)
    return;
  station_scan_progress_stop (progress);
  progress->bar = bar;
  g_atomic_int_set (&progress->permille, -1);
  gtk_progress_bar_set_pulse_step (GTK_PROGRESS_BAR (bar), 0.08);
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (bar));
  progress->tick_id = g_timeout_add (100, tick_cb, progress);
}

void
station_scan_progress_stop (StationScanProgress *progress)
{
  g_clear_handle_id (&progress->tick_id, g_source_remove);
}
