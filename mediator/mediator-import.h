/* mediator-import.h: a centre's register brought in from the console (a
 * responsable's act): the file picked here (CSV or XLSX, Domifa's export
 * as it is), sent whole to the hub's POST /mail/import, which checks
 * every row as `relais-hub import-people` does; the rows refused are
 * listed with their line and reason. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_IMPORT (mediator_import_get_type ())
G_DECLARE_FINAL_TYPE (MediatorImport, mediator_import, MEDIATOR, IMPORT, GtkDialog)

MediatorImport *mediator_import_new (GtkWindow  *parent,
                                     RelaisLink *link);
/* The file to import (what « Choisir le fichier… » sets); « Importer »
 * is sensitive once there is one. */
void            mediator_import_set_file (MediatorImport *self,
                                          const char     *path);
void            mediator_import_set_skip_bad (MediatorImport *self,
                                              gboolean        skip_bad);
/* What « Importer » does (tests call it as a click would). */
void            mediator_import_run (MediatorImport *self);
/* TRUE while the hub works. */
gboolean        mediator_import_is_busy (MediatorImport *self);
/* The sentence under the buttons (the file, an error, the result). */
const char     *mediator_import_get_message (MediatorImport *self);
/* The refused rows listed ("ligne N : reason"). */
guint           mediator_import_get_n_problems (MediatorImport *self);

G_END_DECLS
