/* mediator-import.c: the register's import dialog. The file is read and
 * sent on a thread (relais_link_transfer ()); the hub answers once every
 * row is checked, and imports nothing when a row is bad unless told to
 * skip them. */

#include "mediator-import.h"
#include "mediator-files.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

/* The hub takes 16 MiB (RELAIS_HUB_MAIL_IMPORT_MAX_BYTES): a bigger file
 * is told here, before it is sent. */
#define MAX_FILE_BYTES (16 * 1024 * 1024)
/* Its answer lists the refused rows: 50,000 of them at most. */
#define MAX_ANSWER_BYTES (8 * 1024 * 1024)

struct _MediatorImport {
  GtkDialog     parent_instance;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  char         *path;
  /* Borrowed */
  GtkWidget    *message;
  GtkWidget    *skip_bad;
  GtkWidget    *problems;
  GtkWidget    *run;
  guint         n_problems;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (MediatorImport, mediator_import, GTK_TYPE_DIALOG)

typedef struct {
  RelaisLink *link; /* owned ref */
  char       *path;
  char       *query;
  GBytes     *reply;
  long        status;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->link);
  g_free (job->path);
  g_free (job->query);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_free (job);
}

static void
set_message (MediatorImport *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text);
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (job->path, FALSE, &error);
  g_autoptr(GBytes) body = NULL;

  if (file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Fichier illisible : %s"), error->message);
      return;
    }
  if (g_mapped_file_get_length (file) > MAX_FILE_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _ ("Fichier trop grand pour un import (16 Mo au plus) : coupez-le en plusieurs."));
      return;
    }
  body = g_mapped_file_get_bytes (file);
  job->reply = relais_link_transfer (job->link, "POST", job->query, body, NULL, MAX_ANSWER_BYTES, &job->status,
                                     &error);
  if (job->reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (job->status != 200)
    {
      g_autofree char *sentence = relais_link_refusal_message (g_bytes_get_data (job->reply, NULL),
                                                               g_bytes_get_size (job->reply));

      if (sentence != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Import refusé : %s"), sentence);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Le serveur a refusé (%ld)."), job->status);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_problems (MediatorImport *self)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->problems));

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  self->n_problems = 0;
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MediatorImport) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autoptr(RelaisMailImport) answer = NULL;
  gint64 rows, imported;

  /* Closed meanwhile (dispose cancels and drops the cancellable). */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->busy = FALSE;
  gtk_widget_set_sensitive (self->run, TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_message (self, error->message);
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (job->reply, NULL), g_bytes_get_size (job->reply), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_message (self, _ ("Réponse du serveur illisible."));
      return;
    }
  answer = relais_mail_import_from_reply (json_node_get_object (json_parser_get_root (parser)), &error);
  if (answer == NULL)
    {
      set_message (self, error->message);
      return;
    }
  imported = answer->imported;
  rows = answer->rows;
  for (guint i = 0; answer->problems[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (answer->problems[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->problems), label);
      self->n_problems++;
    }
  if (self->n_problems > 0 && imported == 0)
    text = g_strdup_printf (ngettext ("%u ligne refusée (liste ci-dessous) : rien n’a été importé. Corrigez-la, ou "
                                      "cochez « Importer les bonnes lignes malgré les mauvaises ».",
                                      "%u lignes refusées (liste ci-dessous) : rien n’a été importé. Corrigez-les, ou "
                                      "cochez « Importer les bonnes lignes malgré les mauvaises ».",
                                      self->n_problems),
                            self->n_problems);
  else if (self->n_problems > 0)
    text = g_strdup_printf (_ ("Personnes importées : %d sur %d ; lignes refusées : %u (liste ci-dessous)."), (int) imported,
                            (int) rows, self->n_problems);
  else
    text = g_strdup_printf (ngettext ("%d personne importée.", "%d personnes importées.", (gulong) imported),
                            (int) imported);
  set_message (self, text);
}

void
mediator_import_run (MediatorImport *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (MEDIATOR_IS_IMPORT (self));
  if (self->path == NULL || self->busy)
    return;
  clear_problems (self);
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->run, FALSE);
  set_message (self, _ ("Import en cours : chaque ligne est vérifiée…"));
  job = g_new0 (Job, 1);
  job->link = g_object_ref (self->link);
  job->path = g_strdup (self->path);
  job->query = g_strdup_printf ("/mail/import?format=%s&skip-bad=%d",
                                g_str_has_suffix (self->path, ".xlsx") || g_str_has_suffix (self->path, ".XLSX")
                                    ? "xlsx"
                                    : "csv",
                                gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->skip_bad)) ? 1 : 0);
  task = g_task_new (NULL, self->cancellable, job_done, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

void
mediator_import_set_file (MediatorImport *self, const char *path)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MEDIATOR_IS_IMPORT (self));
  g_free (self->path);
  self->path = g_strdup (path);
  name = path != NULL ? g_path_get_basename (path) : NULL;
  if (name != NULL)
    text = g_strdup_printf (_ ("Fichier choisi : %s. Cliquez sur « Importer »."), name);
  set_message (self, text != NULL ? text : "");
  gtk_widget_set_sensitive (self->run, path != NULL && !self->busy);
}

void
mediator_import_set_skip_bad (MediatorImport *self, gboolean skip_bad)
{
  g_return_if_fail (MEDIATOR_IS_IMPORT (self));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->skip_bad), skip_bad);
}

gboolean
mediator_import_is_busy (MediatorImport *self)
{
  g_return_val_if_fail (MEDIATOR_IS_IMPORT (self), FALSE);
  return self->busy;
}

const char *
mediator_import_get_message (MediatorImport *self)
{
  g_return_val_if_fail (MEDIATOR_IS_IMPORT (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

guint
mediator_import_get_n_problems (MediatorImport *self)
{
  g_return_val_if_fail (MEDIATOR_IS_IMPORT (self), 0);
  return self->n_problems;
}

static void
choose_clicked_cb (MediatorImport *self)
{
  g_autofree char *folder = mediator_files_default_folder ();
  /* A dialog, not GtkFileChooserNative: the same one on every desktop
   * (mediator-files.c). */
  GtkWidget       *dialog = gtk_file_chooser_dialog_new (_ ("Fichier des personnes à importer"), GTK_WINDOW (self),
                                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Annuler"), GTK_RESPONSE_CANCEL,
                                                         _ ("_Ouvrir"), GTK_RESPONSE_ACCEPT, NULL);
  GtkFileFilter   *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Tableurs (CSV, XLSX)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_pattern (filter, "*.xlsx");
  gtk_file_filter_add_pattern (filter, "*.XLSX");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder);
  if (gtk_dialog_run (GTK_DIALOG (dialog)) == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));

      mediator_import_set_file (self, path);
    }
  gtk_widget_destroy (dialog);
}

static void
response_cb (MediatorImport *self, int response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    mediator_import_run (self);
  else if (!self->busy)
    gtk_widget_destroy (GTK_WIDGET (self));
}

static void
mediator_import_dispose (GObject *object)
{
  MediatorImport *self = MEDIATOR_IMPORT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (mediator_import_parent_class)->dispose (object);
}

static void
mediator_import_class_init (MediatorImportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_import_dispose;
}

static void
mediator_import_init (MediatorImport *self)
{
  GtkWidget *area = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *intro;
  GtkWidget *choose;
  GtkWidget *close;

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _ ("Importer des personnes"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 420);
  gtk_container_set_border_width (GTK_CONTAINER (area), 12);
  gtk_box_set_spacing (GTK_BOX (area), 8);
  intro = gtk_label_new (_ ("Le registre d’un autre logiciel, en CSV ou XLSX (l’export de Domifa tel quel) : numéro, nom, "
                            "prénom, date de naissance, téléphone, e-mail, statut et dates. Chaque ligne est vérifiée "
                            "d’abord ; si une ligne est mauvaise, rien n’est importé."));
  gtk_label_set_line_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_container_add (GTK_CONTAINER (area), intro);
  choose = gtk_button_new_with_mnemonic (_ ("_Choisir le fichier…"));
  atk_object_set_name (gtk_widget_get_accessible (choose), _ ("Choisir le fichier à importer"));
  gtk_widget_set_halign (choose, GTK_ALIGN_START);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (choose_clicked_cb), self);
  gtk_container_add (GTK_CONTAINER (area), choose);
  self->skip_bad = gtk_check_button_new_with_mnemonic (_ ("Importer les _bonnes lignes malgré les mauvaises"));
  atk_object_set_name (gtk_widget_get_accessible (self->skip_bad), _ ("Importer les bonnes lignes malgré les mauvaises"));
  gtk_container_add (GTK_CONTAINER (area), self->skip_bad);
  self->message = gtk_label_new (_ ("Aucun fichier choisi."));
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_container_add (GTK_CONTAINER (area), self->message);
  self->problems = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->problems), GTK_SELECTION_NONE);
  atk_object_set_name (gtk_widget_get_accessible (self->problems), _ ("Lignes refusées"));
  gtk_container_add (GTK_CONTAINER (scroller), self->problems);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_container_add (GTK_CONTAINER (area), scroller);
  close = gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Fermer"), GTK_RESPONSE_CLOSE);
  atk_object_set_name (gtk_widget_get_accessible (close), _ ("Fermer"));
  self->run = gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Importer"), GTK_RESPONSE_ACCEPT);
  atk_object_set_name (gtk_widget_get_accessible (self->run), _ ("Importer"));
  gtk_style_context_add_class (gtk_widget_get_style_context (self->run), "suggested-action");
  gtk_widget_set_sensitive (self->run, FALSE);
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
  gtk_widget_show_all (area);
}

MediatorImport *
mediator_import_new (GtkWindow *parent, RelaisLink *link)
{
  MediatorImport *self;

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);
  self = g_object_new (MEDIATOR_TYPE_IMPORT, "transient-for", parent, "modal", TRUE, "use-header-bar", FALSE, NULL);
  self->link = g_object_ref (link);
  return self;
}
