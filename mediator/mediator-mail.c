/* mediator-mail.c: the console's "Courrier" view: its tabs, the calls
 * to the hub they share, and what a logout empties. Each tab's work is
 * in its own file (mediator-mail-register.c, -hand-over.c, -returns.c;
 * the people and messages tabs are widgets of their own). */

#include "mediator-mail-private.h"
#include "mediator-mail-people.h"
#include "mediator-mail-templates.h"

G_DEFINE_FINAL_TYPE (MediatorMail, mediator_mail, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kinds of letters, as the hub names them and as the agents say them. */
static const struct {
  const char *id;
  const char *label;
} kinds[] = {
  { "ordinary", N_ ("ordinaire") },
  { "registered", N_ ("recommandé") },
  { "court", N_ ("tribunal") },
  { "social", N_ ("CAF, CPAM, France Travail") },
  { "tax", N_ ("impôts") },
  { "other", N_ ("autre") },
  /* Their own hand-over: an ID seen for a notice, the shelf of a parcel. */
  { "notice", N_ ("avis de passage") },
  { "parcel", N_ ("colis") },
};

const char *
_mediator_mail_kind_label (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].id) == 0)
      return _ (kinds[i].label);
  return kind;
}

void
_mediator_mail_kinds_fill (GtkComboBoxText *combo)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_combo_box_text_append (combo, kinds[i].id, _ (kinds[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "ordinary");
}

/* A person found by name, as a line of the candidates (registering and
 * handing over). The warning is our own markup; the rest is escaped. */
static char *
candidate_markup (const RelaisMailPerson *p)
{
  g_autofree char *name = person_name (p);
  g_autofree char *born = mediator_date_fr (p->birth_date, "?");
  g_autofree char *base = g_markup_printf_escaped ("<b>%s</b>   n° <b>%s</b>   né(e) le %s", name,
                                                   p->number, born);
  g_autofree char *waiting_text = p->waiting > 0 ? g_strdup_printf (_ ("   (%d en attente)"), (int) p->waiting) : g_strdup ("");
  g_autofree char *warning = NULL;
  g_autofree char *proxy = p->via_proxy != NULL
                               ? g_markup_printf_escaped (_ ("   — trouvé(e) par son mandataire <b>%s</b>"), p->via_proxy)
                               : g_strdup ("");
  g_autofree char *state = NULL;

  /* Found, but not domiciled here any more: said on the line itself. */
  if (g_strcmp0 (p->state, "refused") == 0 || g_strcmp0 (p->state, "radiated") == 0
      || g_strcmp0 (p->state, "expired") == 0)
    state = g_markup_printf_escaped (_ ("   <span background='#555555' foreground='#ffffff'> domiciliation %s </span>"),
                                     mediator_mail_state_label (p->state));
  if (p->homonyms > 0)
    warning = g_strdup_printf (_ ("   <span background='#b00020' foreground='#ffffff' weight='bold'> ⚠ HOMONYME (%d) : vérifiez la date de naissance </span>"),
                               p->homonyms);
  else if (p->near_homonyms > 0)
    warning = g_strdup_printf (_ ("   <span background='#f0a000' foreground='#000000' weight='bold'> ⚠ nom proche (%d) : vérifiez </span>"),
                               p->near_homonyms);
  return g_strconcat (base, waiting_text, proxy, state != NULL ? state : "",
                      p->approximate ? _ ("   <i>orthographe proche</i>") : "",
                      warning != NULL ? warning : "", NULL);
}

gboolean
_mediator_mail_show_candidates (MediatorMail *self,
                                GtkWidget    *list,
                                GPtrArray    *people,
                                int           margin,
                                const char   *none,
                                JsonObject   *reply,
                                GError       *error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) local_error = NULL;

  clear_container (list);
  g_ptr_array_set_size (people, 0);
  if (reply != NULL)
    found = relais_mail_people_from_reply (reply, "people", &local_error);
  if (found == NULL)
    {
      set_message (self, error != NULL ? error->message : local_error->message);
      return FALSE;
    }
  for (guint i = 0; i < found->len; i++)
    {
      GtkWidget       *label = gtk_label_new (NULL);
      g_autofree char *markup = candidate_markup (g_ptr_array_index (found, i));

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* Wrapped, not cut: the homonym warning ends the line. */
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      g_object_set (label, "margin", margin, NULL);
      gtk_container_add (GTK_CONTAINER (list), label);
    }
  g_ptr_array_extend_and_steal (people, g_steal_pointer (&found));
  if (people->len == 0)
    {
      GtkWidget *label = gtk_label_new (none);

      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set (label, "margin", margin, NULL);
      gtk_container_add (GTK_CONTAINER (list), label);
    }
  gtk_widget_show_all (list);
  return TRUE;
}

void
_mediator_mail_search (MediatorMail *self,
                       const char   *text,
                       guint         limit,
                       GtkWidget    *list,
                       GPtrArray    *people,
                       Done          done)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  self->search_seq++;
  if (*trimmed == '\0')
    {
      clear_container (list);
      g_ptr_array_set_size (people, 0);
      return;
    }
  escaped = g_uri_escape_string (trimmed, NULL, FALSE);
  path = g_strdup_printf ("/mail/search?q=%s&limit=%u", escaped, limit);
  _mediator_mail_call (self, path, NULL, done, self->search_seq);
}

/* ---- calls ---- */

typedef struct {
  MediatorMail *self; /* owned ref */
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
  g_clear_object (&self->link);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->hand_people, g_ptr_array_unref);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, relais_mail_person_free);
  g_clear_pointer (&self->record, relais_mail_record_free);
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
mediator_mail_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MediatorMail *self = MEDIATOR_MAIL (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_mail_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MediatorMail *self = MEDIATOR_MAIL (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The tabs that need the link, and the hub's news of the mail. */
static void
mediator_mail_constructed (GObject *object)
{
  MediatorMail *self = MEDIATOR_MAIL (object);

  G_OBJECT_CLASS (mediator_mail_parent_class)->constructed (object);

  g_assert (self->link != NULL);
  self->people_page = mediator_mail_people_new (self->link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->people_page, "people", _ ("Personnes"));
  /* After "Remettre", before the returns, as staff know the tabs. */
  gtk_container_child_set (GTK_CONTAINER (self->tabs), self->people_page, "position", 2, NULL);
  self->templates_page = mediator_mail_templates_new (self->link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->templates_page, "messages", _ ("Textes des messages"));
  g_signal_connect_object (self->link, "stream-event::mail-changed", G_CALLBACK (stream_cb), self, 0);
  g_signal_connect_object (self->link, "stream-event::mail-notices", G_CALLBACK (stream_cb), self, 0);
}

static void
mediator_mail_class_init (MediatorMailClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mediator_mail_constructed;
  object_class->dispose = mediator_mail_dispose;
  object_class->finalize = mediator_mail_finalize;
  object_class->set_property = mediator_mail_set_property;
  object_class->get_property = mediator_mail_get_property;

  /* The console's link: the mail's calls and the hub's news of it. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-mail.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, tabs);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, name_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, name_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, candidates);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, count_spin);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, kind_combo);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, tracking_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, parcel_note_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, parcel_note_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, batch_list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, submit_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, done_list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, batch_scroller);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, done_scroller);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, card_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, person_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, recipient_combo);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, letters_box);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, hand_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, returns_list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, failed_list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, hand_search_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, hand_search);
  gtk_widget_class_bind_template_child (widget_class, MediatorMail, hand_candidates);
  gtk_widget_class_bind_template_callback (widget_class, tab_changed_cb);
  _mediator_mail_register_class_init (widget_class);
  _mediator_mail_hand_over_class_init (widget_class);
}

static void
mediator_mail_init (MediatorMail *self)
{
  self->cancellable = g_cancellable_new ();
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  self->hand_people = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_mail_person_free);
  self->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_batch_item_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  _mediator_mail_register_init (self);
  _mediator_mail_hand_over_init (self);
  g_signal_connect (self, "key-press-event", G_CALLBACK (_mediator_mail_register_key_cb), self);
}

GtkWidget *
mediator_mail_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_MAIL, "link", link, NULL);
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
