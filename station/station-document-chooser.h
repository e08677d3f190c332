/* station-document-chooser.h: the documents a person may take at the
 * station: this session's scan, the USB key's files (PDF, JPEG, PNG) and
 * the open safe's documents, each a tile with its first page large, in a
 * GtkFlowBox of the page's own template; never the station's file system.
 * The browser's uploads and the letter page use it. */
#pragma once

#include <gtk/gtk.h>
#include "relais-page.h"

G_BEGIN_DECLS

#define STATION_TYPE_DOCUMENT_CHOOSER (station_document_chooser_get_type ())
G_DECLARE_FINAL_TYPE (StationDocumentChooser, station_document_chooser, STATION, DOCUMENT_CHOOSER, GObject)

/* @owner: the page, in the window's stack (its siblings "scan" and "safe"
 * are read; "Ouvrir mon coffre-fort" navigates from it); @choices: a
 * GtkFlowBox and @hint: a GtkLabel, both @owner's. Signals: "gathered"
 * (guint offered), once the documents are read; "chosen" (const char
 * *name, GBytes *bytes, RelaisPage *page) on a touch: @bytes the file, or
 * NULL for a scanned page offered apart, then @page. */
StationDocumentChooser *station_document_chooser_new (GtkWidget *owner,
                                                      GtkWidget *choices,
                                                      GtkWidget *hint);
/* The session's scan: one PDF of all its pages, lightened under
 * @max_bytes (a website's cap), or, @max_bytes 0, each page apart, as
 * scanned (a letter to read). */
void                    station_document_chooser_set_scan_max_bytes (StationDocumentChooser *self,
                                                                     gsize                   max_bytes);
/* Reads again what is offered, on a worker; @key (nullable): the USB key's
 * folder. Tiles already shown go. */
void                    station_document_chooser_gather (StationDocumentChooser *self,
                                                         GFile                  *key);
/* Stops a gathering under way ("gathered" does not come). */
void                    station_document_chooser_cancel (StationDocumentChooser *self);
gboolean                station_document_chooser_is_gathering (StationDocumentChooser *self);

/* The USB key plugged in last (its root, transfer full), or NULL;
 * @mount (nullable): its mount, to unmount. */
GFile                  *station_document_chooser_find_key (GVolumeMonitor *volumes,
                                                           GMount        **mount);

G_END_DECLS
