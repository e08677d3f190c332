/* mediator-files.c: the console's save dialog, opening in Documents. */

#include "mediator-files.h"

#include <glib/gi18n.h>

char *
mediator_files_default_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_strdup (documents);
  return g_strdup (g_get_home_dir ());
}

GtkWidget *
mediator_files_save_dialog (GtkWindow  *parent,
                            const char *title,
                            const char *name)
{
  g_autofree char *folder = mediator_files_default_folder ();
  /* A dialog, not GtkFileChooserNative: the same one on every desktop,
   * in the console's language. */
  GtkWidget       *dialog = gtk_file_chooser_dialog_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                                         _ ("_Annuler"), GTK_RESPONSE_CANCEL,
                                                         _ ("_Enregistrer"), GTK_RESPONSE_ACCEPT,
                                                         NULL);

  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder);
  if (name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  return dialog;
}

char *
mediator_files_choose_save (GtkWidget  *from,
                            const char *title,
                            const char *name)
{
  GtkWidget *toplevel = from != NULL ? gtk_widget_get_toplevel (from) : NULL;
  GtkWidget *dialog = mediator_files_save_dialog (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                                  title, name);
  char *path = NULL;

  if (gtk_dialog_run (GTK_DIALOG (dialog)) == GTK_RESPONSE_ACCEPT)
    path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));
  gtk_widget_destroy (dialog);
  return path;
}
