/* mediator-mail-elsewhere.c: before a new file is made, the desk sees
 * whether another body of the département already domiciles the person
 * (GET /central/elsewhere, issue 19). A single site shows nothing; a
 * site whose registry is away says the answer comes from its copy, or
 * that it cannot know. */

#include "mediator-mail-elsewhere.h"
#include "mediator-mail-people.h"

#include <glib/gi18n.h>

/* Typing a name is many keystrokes: one question after the last. */
#define ASK_DELAY_MS 400

struct _MediatorMailElsewhere {
  GtkLabel      parent_instance;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable; /* the question on its way, or NULL */
  char         *path;        /* the question waiting for its delay */
  guint         delay_id;
};

G_DEFINE_FINAL_TYPE (MediatorMailElsewhere, mediator_mail_elsewhere, GTK_TYPE_LABEL)

static void
show_text (MediatorMailElsewhere *self,
           const char            *text)
{
  gboolean shown = text != NULL && *text != '\0';

  gtk_label_set_text (GTK_LABEL (self), shown ? text : "");
  /* Read out whole by a screen reader, as it is shown. */
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)),
                       shown ? text : _ ("Domicilié(e) par un autre organisme du département"));
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
}

void
mediator_mail_elsewhere_clear (MediatorMailElsewhere *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_ELSEWHERE (self));
  g_clear_handle_id (&self->delay_id, g_source_remove);
  g_clear_pointer (&self->path, g_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_text (self, NULL);
}

/* "CCAS de Villeneuve (CCAS — centre, demande en cours)". */
static char *
body_text (JsonObject *body)
{
  const char *organisation = json_object_get_string_member_with_default (body, "organisation", "?");
  const char *site = json_object_get_string_member_with_default (body, "site", "");
  const char *state = json_object_get_string_member_with_default (body, "state", "");

  return g_strdup_printf ("%s (%s%s%s)", organisation, site, *site != '\0' ? ", " : "",
                          mediator_mail_state_label (state));
}

/* A question on its way: an answer to a question since replaced is
 * dropped, even one that arrived before it was cancelled. */
typedef struct {
  MediatorMailElsewhere *self;        /* a ref */
  GCancellable          *cancellable; /* a ref */
} Asked;

static void
asked_free (Asked *asked)
{
  g_object_unref (asked->self);
  g_object_unref (asked->cancellable);
  g_free (asked);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Asked, asked_free)

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Asked) asked = user_data;
  MediatorMailElsewhere *self = asked->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray  *elsewhere;
  const char *message;

  if (g_cancellable_is_cancelled (asked->cancellable))
    return;
  g_clear_object (&self->cancellable);
  /* No answer is no "not elsewhere": nothing is shown, the hub's
   * message (if any) stays in the form's own line. */
  if (reply == NULL)
    {
      g_debug ("« Domicilié ailleurs ? » sans réponse : %s", error->message);
      show_text (self, NULL);
      return;
    }
  /* A single site: there is no département to ask. */
  if (!json_object_get_boolean_member_with_default (reply, "central", FALSE))
    {
      show_text (self, NULL);
      return;
    }
  elsewhere = json_object_has_member (reply, "elsewhere") ? json_object_get_array_member (reply, "elsewhere") : NULL;
  message = json_object_get_string_member_with_default (reply, "message", NULL);
  for (guint i = 0; elsewhere != NULL && i < json_array_get_length (elsewhere); i++)
    {
      JsonObject      *body = json_array_get_object_element (elsewhere, i);
      g_autofree char *one = body != NULL ? body_text (body) : NULL;

      if (one == NULL)
        continue;
      g_string_append (text, text->len == 0 ? _ ("Déjà domicilié(e) par : ") : " ; ");
      g_string_append (text, one);
    }
  /* From the site's copy, or unknown: the desk is told so. */
  if (message != NULL && !json_object_get_boolean_member_with_default (reply, "checked", FALSE))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, message);
    }
  show_text (self, text->str);
}

static gboolean
ask_now (gpointer data)
{
  MediatorMailElsewhere *self = data;
  g_autofree char       *path = g_steal_pointer (&self->path);
  Asked                 *asked = g_new0 (Asked, 1);

  self->delay_id = 0;
  self->cancellable = g_cancellable_new ();
  asked->self = g_object_ref (self);
  asked->cancellable = g_object_ref (self->cancellable);
  relais_link_request_async (self->link, path, NULL, self->cancellable, answered_cb, asked);
  return G_SOURCE_REMOVE;
}

void
mediator_mail_elsewhere_ask (MediatorMailElsewhere *self,
                             const char            *surname,
                             const char            *first_names,
                             const char            *birth_date)
{
  g_autofree char *s = NULL;
  g_autofree char *f = NULL;
  g_autofree char *b = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL_ELSEWHERE (self));
  mediator_mail_elsewhere_clear (self);
  if (surname == NULL || first_names == NULL || birth_date == NULL)
    return;
  s = g_strstrip (g_strdup (surname));
  f = g_strstrip (g_strdup (first_names));
  if (*s == '\0' || *f == '\0' || *birth_date == '\0' || !relais_link_has_session (self->link))
    return;
  s = g_uri_escape_string (s, NULL, FALSE);
  f = g_uri_escape_string (f, NULL, FALSE);
  b = g_uri_escape_string (birth_date, NULL, FALSE);
  self->path = g_strdup_printf ("/central/elsewhere?surname=%s&first_names=%s&birth_date=%s", s, f, b);
  self->delay_id = g_timeout_add (ASK_DELAY_MS, ask_now, self);
}

gboolean
mediator_mail_elsewhere_is_busy (MediatorMailElsewhere *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_ELSEWHERE (self), FALSE);
  return self->delay_id != 0 || self->cancellable != NULL;
}

const char *
mediator_mail_elsewhere_get_text (MediatorMailElsewhere *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_ELSEWHERE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self));
}

static void
mediator_mail_elsewhere_dispose (GObject *object)
{
  MediatorMailElsewhere *self = MEDIATOR_MAIL_ELSEWHERE (object);

  g_clear_handle_id (&self->delay_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->link);
  G_OBJECT_CLASS (mediator_mail_elsewhere_parent_class)->dispose (object);
}

static void
mediator_mail_elsewhere_finalize (GObject *object)
{
  g_free (MEDIATOR_MAIL_ELSEWHERE (object)->path);
  G_OBJECT_CLASS (mediator_mail_elsewhere_parent_class)->finalize (object);
}

static void
mediator_mail_elsewhere_class_init (MediatorMailElsewhereClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mediator_mail_elsewhere_dispose;
  object_class->finalize = mediator_mail_elsewhere_finalize;
}

static void
mediator_mail_elsewhere_init (MediatorMailElsewhere *self)
{
  GtkLabel      *label = GTK_LABEL (self);
  PangoAttrList *bold = pango_attr_list_new ();

  /* Seen at a glance, before the desk saves a second file. */
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (label, bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (label, 0);
  gtk_label_set_line_wrap (label, TRUE);
  gtk_label_set_selectable (label, TRUE);
  gtk_widget_set_no_show_all (GTK_WIDGET (self), TRUE);
  show_text (self, NULL);
}

GtkWidget *
mediator_mail_elsewhere_new (RelaisLink *link)
{
  MediatorMailElsewhere *self;

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);
  self = g_object_new (MEDIATOR_TYPE_MAIL_ELSEWHERE, NULL);
  self->link = g_object_ref (link);
  return GTK_WIDGET (self);
}
