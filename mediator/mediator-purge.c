/* mediator-purge.c: the purge's preview and confirmation. */

#include "mediator-purge.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>

struct _MediatorPurge {
  GtkDialog     parent_instance;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  GPtrArray    *numbers; /* char*, the people shown */
  /* Borrowed */
  GtkWidget    *list;
  GtkWidget    *message;
  GtkWidget    *confirm;
  int           n_listed;
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
  g_autoptr(RelaisMailPurge) purge = reply != NULL ? relais_mail_purge_from_reply (reply, &error) : NULL;
  GPtrArray       *people;
  g_autofree char *text = NULL;

  if (purge == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message);
      return;
    }
  people = purge->people;
  for (guint i = 0; i < people->len; i++)
    {
      const RelaisMailPerson *p = g_ptr_array_index (people, i);
      g_autofree char        *line = g_strdup_printf (_ ("n° %s — %s %s — dernier contact le %s"), p->number, p->surname,
                                                      p->first_names, p->last_contact != NULL ? p->last_contact : "?");
      GtkWidget              *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->list), label);
      g_ptr_array_add (self->numbers, g_strdup (p->number));
    }
  self->n_listed = (int) people->len;
  if (people->len == 0)
    text = g_strdup_printf (_ ("Personne n’est à supprimer : la durée de conservation (%d jours) n’est dépassée pour "
                               "aucune personne sans domiciliation en cours."),
                            purge->days);
  else
    text = g_strdup_printf (ngettext ("%u personne dont la domiciliation a pris fin depuis plus de %d jours, sans "
                                      "contact depuis : ses courriers, pièces et messages seront supprimés.",
                                      "%u personnes dont la domiciliation a pris fin depuis plus de %d jours, sans "
                                      "contact depuis : leurs courriers, pièces et messages seront supprimés.",
                                      people->len),
                            people->len, purge->days);
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
  gint64           deleted;

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_message (self, error->message);
          gtk_widget_set_sensitive (self->confirm, TRUE);
        }
      return;
    }
  if (!relais_mail_count_from_reply (reply, "deleted", &deleted, &error))
    {
      set_message (self, error->message);
      return;
    }
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
  set_message (self, _ ("Suppression…"));
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

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mediator_purge_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MediatorPurge *self = MEDIATOR_PURGE (object);

  switch (prop_id)
    {
    case PROP_LINK: self->link = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_purge_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MediatorPurge *self = MEDIATOR_PURGE (object);

  switch (prop_id)
    {
    case PROP_LINK: g_value_set_object (value, self->link); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The preview is asked for as soon as the dialog has its link. */
static void
mediator_purge_constructed (GObject *object)
{
  MediatorPurge *self = MEDIATOR_PURGE (object);

  G_OBJECT_CLASS (mediator_purge_parent_class)->constructed (object);
  relais_link_request_async (self->link, "/mail/purge", NULL, self->cancellable, preview_cb, g_object_ref (self));
}

static void
mediator_purge_class_init (MediatorPurgeClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_purge_dispose;
  object_class->constructed = mediator_purge_constructed;
  object_class->set_property = mediator_purge_set_property;
  object_class->get_property = mediator_purge_get_property;
  properties[PROP_LINK] = g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-purge.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorPurge, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorPurge, list);
  gtk_widget_class_bind_template_child (widget_class, MediatorPurge, confirm);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);
}

static void
mediator_purge_init (MediatorPurge *self)
{
  self->n_listed = -1;
  self->numbers = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

MediatorPurge *
mediator_purge_new (GtkWindow *parent, RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);
  return g_object_new (MEDIATOR_TYPE_PURGE, "transient-for", parent, "modal", TRUE, "use-header-bar", FALSE, "link",
                       link, NULL);
}
