/* mediator-files.h: where the console saves what staff take away (cards,
 * reports, lists): a save dialog that opens in the user's documents. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The folder a save dialog opens in: the user's Documents when there is
 * one, else their home; never the folder the console was started from
 * (the demo starts it in the source tree). */
char      *mediator_files_default_folder (void);
/* A save dialog titled @title, proposing @name in that folder, asking
 * before replacing a file. Its own buttons say « Enregistrer » and
 * « Annuler »; GTK's labels follow the console's language. */
GtkWidget *mediator_files_save_dialog (GtkWindow  *parent,
                                       const char *title,
                                       const char *name);
/* Runs that dialog over @from's window; the path chosen, or NULL. */
char      *mediator_files_choose_save (GtkWidget  *from,
                                       const char *title,
                                       const char *name);

G_END_DECLS
