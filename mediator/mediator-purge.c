/* mediator-purge.c: the purge's preview and confirmation. */

#include "mediator-purge.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>

struct _MediatorPurge
{
  GtkDialog parent_instance;

  /* Owned */
  RelaisLink *link;
  GCancellable *cancellable;
  GPtrArray *numbers; /* char*, the people shown */
  /* Borrowed */
  GtkWidget *list;
  GtkWidget *message;
  GtkWidget *confirm;
  int n_listed;
};

G_DEFINE_FINAL_TYPE (MediatorPurge, mediator_purge, GTK_TYPE_DIALOG)

static void
set_message (MediatorPurge *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text);
}

static void
preview_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MediatorPurge) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(GPtrArray) people = reply != NULL ? relais_mail_people_from_reply (reply, "people", &error) : NULL;
  g_autofree char *text = NULL;

  if (people == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message);
      return;
    }
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);
      g_autofree char *line = g_strdup_printf (_("n° %s — %s %s — dernier contact le %s"), p->number, p->surname,
                                               p->first_names, p->last_contact != NULL ? p->last_contact : "?");
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->list), label);
      g_ptr_array_add (self->numbers, g_strdup (p->number));
    }
  self->n_listed = (int) people->len;
  if (people->len == 0)
    text = g_strdup_printf (_("Personne n’est à supprimer : la durée de conservation (%d jours) n’est dépassée pour "
                              "aucune personne sans domiciliation en cours."),
                            (int) json_object_get_int_member_with_default (reply, "days", 0));
  else
    text = g_strdup_printf (ngettext ("%u personne dont la domiciliation a pris fin depuis plus de %d jours, sans "
                                      "contact depuis : ses courriers, pièces et messages seront supprimés.",
                                      "%u personnes dont la domiciliation a pris fin depuis plus de %d jours, sans "
                                      "contact depuis : leurs courriers, pièces et messages seront supprimés.",
                                      people->len),
                            people->len, (int) json_object_get_int_member_with_default (reply, "days", 0));
  set_message (self, text);
  gtk_widget_set_sensitive (self->confirm, people->len > 0);
}

static void
purge_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MediatorPurge) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autofree char *text = NULL;
  gint64 deleted;

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_message (self, error->message);
          gtk_widget_set_sensitive (self->confirm, TRUE);
        }
      return;
    }
  deleted = json_object_get_int_member_with_default (reply, "deleted", 0);
  text = g_strdup_printf (ngettext ("%d personne supprimée.", "%d personnes supprimées.", (gulong) deleted),
                          (int) deleted);
  set_message (self, text);
}

void
mediator_purge_confirm (MediatorPurge *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (MEDIATOR_IS_PURGE (self));
  if (self->numbers->len == 0 || !gtk_widget_get_sensitive (self->confirm))
    return;
  gtk_widget_set_sensitive (self->confirm, FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "numbers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->numbers->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (self->numbers, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  set_message (self, _("Suppression…"));
  relais_link_request_async (self->link, "/mail/purge", json_builder_get_root (b), self->cancellable, purge_cb,
                             g_object_ref (self));
}

int
mediator_purge_get_n_listed (MediatorPurge *self)
{
  g_return_val_if_fail (MEDIATOR_IS_PURGE (self), -1);
  return self->n_listed;
}

const char *
mediator_purge_get_message (MediatorPurge *self)
{
  g_return_val_if_fail (MEDIATOR_IS_PURGE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static void
response_cb (MediatorPurge *self, int response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    mediator_purge_confirm (self);
  else
    gtk_widget_destroy (GTK_WIDGET (self));
}

static void
mediator_purge_dispose (GObject *object)
{
  MediatorPurge *self = MEDIATOR_PURGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link);
  g_clear_pointer (&self->numbers, g_ptr_array_unref);
  G_OBJECT_CLASS (mediator_purge_parent_class)->dispose (object);
}

static void
mediator_purge_class_init (MediatorPurgeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_purge_dispose;
}

static void
mediator_purge_init (MediatorPurge *self)
{
  GtkWidget *area = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *close;

  self->n_listed = -1;
  self->numbers = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Conservation des données : suppression"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 420);
  gtk_container_set_border_width (GTK_CONTAINER (area), 12);
  gtk_box_set_spacing (GTK_BOX (area), 8);
  self->message = gtk_label_new (_("Chargement…"));
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_container_add (GTK_CONTAINER (area), self->message);
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  atk_object_set_name (gtk_widget_get_accessible (self->list), _("Personnes à supprimer"));
  gtk_container_add (GTK_CONTAINER (scroller), self->list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_container_add (GTK_CONTAINER (area), scroller);
  close = gtk_dialog_add_button (GTK_DIALOG (self), _("_Fermer"), GTK_RESPONSE_CLOSE);
  atk_object_set_name (gtk_widget_get_accessible (close), _("Fermer"));
  self->confirm = gtk_dialog_add_button (GTK_DIALOG (self), _("_Supprimer ces personnes"), GTK_RESPONSE_ACCEPT);
  atk_object_set_name (gtk_widget_get_accessible (self->confirm), _("Supprimer ces personnes"));
  gtk_style_context_add_class (gtk_widget_get_style_context (self->confirm), "destructive-action");
  gtk_widget_set_sensitive (self->confirm, FALSE);
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
  gtk_widget_show_all (area);
}

MediatorPurge *
mediator_purge_new (GtkWindow *parent, RelaisLink *link)
{
  MediatorPurge *self;

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);
  self = g_object_new (MEDIATOR_TYPE_PURGE, "transient-for", parent, "modal", TRUE, "use-header-bar", FALSE, NULL);
  self->link = g_object_ref (link);
  relais_link_request_async (link, "/mail/purge", NULL, self->cancellable, preview_cb, g_object_ref (self));
  return self;
}
