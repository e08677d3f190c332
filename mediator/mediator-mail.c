/* mediator-mail.c: the console's "Courrier" view: its tabs, the calls
 * to the hub they share, and what a logout empties. Each tab's work is
 * in its own file (mediator-mail-register.c, -hand-over.c, -returns.c;
 * the people and messages tabs are widgets of their own). */
#define G_LOG_DOMAIN "relais-mediator"

#include "mediator-mail-private.h"
#include "mediator-mail-people.h"
#include "mediator-mail-templates.h"

G_DEFINE_FINAL_TYPE (MediatorMail, mediator_mail, GTK_TYPE_BOX)

/* The kinds of letters, as the hub names them and as the agents say them. */
static const struct { const char *id; const char *label; } kinds[] = {
  { "ordinary", N_("ordinaire") },
  { "registered", N_("recommandé") },
  { "court", N_("tribunal") },
  { "social", N_("CAF, CPAM, France Travail") },
  { "tax", N_("impôts") },
  { "other", N_("autre") },
};

const char *
_mediator_mail_kind_label (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].id) == 0)
      return _(kinds[i].label);
  return kind;
}

void
_mediator_mail_kinds_fill (GtkComboBoxText *combo)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_combo_box_text_append (combo, kinds[i].id, _(kinds[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "ordinary");
}

/* A person found by name, as a line of the candidates (registering and
 * handing over). The warning is our own markup; the rest is escaped. */
char *
_mediator_mail_candidate_markup (JsonObject *p)
{
  g_autofree char *name = person_name (p);
  g_autofree char *born = date_fr (member (p, "birth_date"));
  g_autofree char *base = g_markup_printf_escaped ("<b>%s</b>   n° <b>%s</b>   né(e) le %s", name,
                                                   member (p, "number"), born);
  gint64 homonyms = json_object_get_int_member_with_default (p, "homonyms", 0);
  gint64 near = json_object_get_int_member_with_default (p, "near_homonyms", 0);
  gint64 waiting = json_object_get_int_member_with_default (p, "waiting", 0);
  g_autofree char *waiting_text = waiting > 0 ? g_strdup_printf (_("   (%d en attente)"), (int) waiting) : g_strdup ("");
  g_autofree char *warning = NULL;

  if (homonyms > 0)
    warning = g_strdup_printf (_("   <span background='#b00020' foreground='#ffffff' weight='bold'> ⚠ HOMONYME (%d) : vérifiez la date de naissance </span>"),
                               (int) homonyms);
  else if (near > 0)
    warning = g_strdup_printf (_("   <span background='#f0a000' foreground='#000000' weight='bold'> ⚠ nom proche (%d) : vérifiez </span>"),
                               (int) near);
  return g_strconcat (base, waiting_text,
                      json_object_get_boolean_member_with_default (p, "approximate", FALSE) ? _("   <i>orthographe proche</i>") : "",
                      warning != NULL ? warning : "", NULL);
}

/* ---- calls ---- */

typedef struct {
  MediatorMail *self;   /* owned ref */
  Done          done;
  guint         seq;
} CallData;

static void
call_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CallData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  MediatorMail *self = data->self;

  self->busy--;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && (data->seq == 0 || data->seq == self->search_seq))
    data->done (self, reply, error);
  g_object_unref (self);
  g_free (data);
}

void
_mediator_mail_call (MediatorMail *self, const char *path, JsonNode *body, Done done, guint seq)
{
  CallData *data = g_new0 (CallData, 1);

  data->self = g_object_ref (self);
  data->done = done;
  data->seq = seq;
  self->busy++;
  relais_link_request_async (self->link, path, body, self->cancellable, call_cb, data);
}

/* ---- the tabs ---- */

static void
stream_cb (RelaisLink *link, const char *name, JsonObject *data, MediatorMail *self)
{
  _mediator_mail_returns_refresh (self);
}

static void
tab_changed_cb (MediatorMail *self)
{
  _mediator_mail_returns_refresh (self);
  /* Only when shown: a refresh puts the hub's text back in the editor. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->tabs)), "messages") == 0)
    mediator_mail_templates_refresh (MEDIATOR_MAIL_TEMPLATES (self->templates_page));
}

void
mediator_mail_show (MediatorMail *self, const char *tab)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->tabs), tab);
  if (g_str_equal (tab, "register"))
    gtk_widget_grab_focus (self->name_entry);
  else if (g_str_equal (tab, "hand-over"))
    gtk_widget_grab_focus (self->card_entry);
}

void
mediator_mail_reset (MediatorMail *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));

  /* The last mediator's calls answer into nothing. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->search_seq++;

  _mediator_mail_register_reset (self);
  _mediator_mail_hand_over_reset (self);
  _mediator_mail_returns_reset (self);
  mediator_mail_people_reset (MEDIATOR_MAIL_PEOPLE (self->people_page));
  mediator_mail_templates_reset (MEDIATOR_MAIL_TEMPLATES (self->templates_page));
  set_message (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->tabs), "register");
}

const char *
mediator_mail_get_message (MediatorMail *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
mediator_mail_is_busy (MediatorMail *self)
{
  return self->busy > 0;
}

/* ---- construction ---- */

static void
mediator_mail_dispose (GObject *object)
{
  MediatorMail *self = MEDIATOR_MAIL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  g_clear_object (&self->link);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->hand_people, g_ptr_array_unref);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, json_object_unref);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->after_lookup, g_free);
  g_clear_pointer (&self->hand_query, g_free);
  G_OBJECT_CLASS (mediator_mail_parent_class)->dispose (object);
}

static void
mediator_mail_finalize (GObject *object)
{
  g_clear_object (&MEDIATOR_MAIL (object)->cancellable);
  G_OBJECT_CLASS (mediator_mail_parent_class)->finalize (object);
}

static void
mediator_mail_class_init (MediatorMailClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_mail_dispose;
  G_OBJECT_CLASS (klass)->finalize = mediator_mail_finalize;
}

static void
mediator_mail_init (MediatorMail *self)
{
  self->cancellable = g_cancellable_new ();
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->hand_people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

GtkWidget *
mediator_mail_new (RelaisLink *link)
{
  MediatorMail *self = g_object_new (MEDIATOR_TYPE_MAIL,
                                     "orientation", GTK_ORIENTATION_VERTICAL,
                                     "spacing", 8,
                                     "margin", 18,
                                     NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *switcher = gtk_stack_switcher_new ();

  self->link = g_object_ref (link);
  gtk_label_set_markup (GTK_LABEL (title), _("<span size='x-large' weight='bold'>Courrier des personnes domiciliées</span>"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  self->tabs = gtk_stack_new ();
  self->returns_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  self->failed_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_stack_add_titled (GTK_STACK (self->tabs), _mediator_mail_register_build (self), "register", _("Enregistrer"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), _mediator_mail_hand_over_build (self), "hand-over", _("Remettre"));
  self->people_page = mediator_mail_people_new (link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->people_page, "people", _("Personnes"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), scrolled (self->returns_list, 200), "returns", _("Retours à l'expéditeur"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), scrolled (self->failed_list, 200), "failed", _("Messages non partis"));
  self->templates_page = mediator_mail_templates_new (link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->templates_page, "messages", _("Textes des messages"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->tabs));
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  g_signal_connect_swapped (self->tabs, "notify::visible-child", G_CALLBACK (tab_changed_cb), self);
  g_signal_connect (self, "key-press-event", G_CALLBACK (_mediator_mail_register_key_cb), self);

  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), switcher, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->message, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->tabs, TRUE, TRUE, 0);
  g_signal_connect (link, "stream-event::mail-changed", G_CALLBACK (stream_cb), self);
  g_signal_connect (link, "stream-event::mail-notices", G_CALLBACK (stream_cb), self);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

GtkWidget *
mediator_mail_get_templates (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  return self->templates_page;
}

GtkWidget *
mediator_mail_get_people (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  return self->people_page;
}
