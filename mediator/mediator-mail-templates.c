/* mediator-mail-templates.c: the Courrier view's "Messages" tab. The
 * reception staff choose a message and a language, read it with example
 * values put in, change its wording and save it; the hub checks it (one
 * line, 480 characters) and its French sentence is shown as is. */

#include "mediator-mail-templates.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>

struct _MediatorMailTemplates {
  GtkBox        parent_instance;

  /* Template widgets */
  GtkWidget    *message;
  GtkWidget    *name_combo;
  GtkWidget    *language_combo;
  GtkWidget    *entry;
  GtkWidget    *preview;
  GtkWidget    *save_button;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  GHashTable   *texts; /* "name language" → text, as the hub has them */
  char         *place; /* the site's, as configured on the hub */
  char         *hours;
  guint         busy;
};

G_DEFINE_FINAL_TYPE (MediatorMailTemplates, mediator_mail_templates, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The hub's messages (relais_db_mail_template_set ()), as staff know them. */
static const struct {
  const char *name;
  const char *label;
} messages[] = {
  { "batch-one", N_ ("Courrier arrivé (une lettre)") },
  { "batch-many", N_ ("Courrier arrivé (plusieurs lettres)") },
  { "reminder-one", N_ ("Rappel (une lettre)") },
  { "reminder-many", N_ ("Rappel (plusieurs lettres)") },
  { "decision-granted", N_ ("Domiciliation accordée") },
  { "decision-refused", N_ ("Domiciliation refusée") },
  { "decision-adjourned", N_ ("Pièce manquante") },
  { "decision-radiated", N_ ("Fin de domiciliation") },
  { "expiry", N_ ("Domiciliation bientôt finie") },
  { "subject", N_ ("Objet des e-mails") },
};

/* The languages a person may have asked for (those of the station). */
static const struct {
  const char *code;
  const char *label;
} languages[] = {
  { "fr", N_ ("français") },
  { "en", N_ ("anglais") },
  { "ar", N_ ("arabe") },
  { "es", N_ ("espagnol") },
  { "pt", N_ ("portugais") },
  { "ro", N_ ("roumain") },
  { "tr", N_ ("turc") },
};

/* What the preview puts in the placeholders; {place} and {hours} are
 * the site's own, as the hub sends them. */
static const struct {
  const char *placeholder;
  const char *example;
  gboolean    words;
} examples[] = {
  { "{count}", "2", FALSE },
  { "{number}", "A-0042", FALSE },
  { "{missing}", N_ ("un justificatif de ressources"), TRUE },
  { "{date}", "31/12/2027", FALSE },
};

static void
set_message (MediatorMailTemplates *self,
             const char            *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

static char *
text_key (const char *name,
          const char *language)
{
  return g_strdup_printf ("%s %s", name, language);
}

static void
update_preview (MediatorMailTemplates *self)
{
  g_autoptr(GString) preview = g_string_new (gtk_entry_get_text (GTK_ENTRY (self->entry)));
  g_autofree char *markup = NULL;
  gboolean         empty = preview->len == 0;
  glong            length;

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    g_string_replace (preview, examples[i].placeholder,
                      examples[i].words ? _ (examples[i].example) : examples[i].example, 0);
  g_string_replace (preview, "{place}", self->place != NULL ? self->place : "…", 0);
  g_string_replace (preview, "{hours}", self->hours != NULL ? self->hours : "…", 0);
  /* The length as sent (an SMS past 160 characters costs two). */
  length = g_utf8_strlen (preview->str, -1);
  markup = g_markup_printf_escaped (ngettext ("<b>Aperçu</b> (environ %ld caractère une fois envoyé) : %s",
                                              "<b>Aperçu</b> (environ %ld caractères une fois envoyé) : %s", length),
                                    length, preview->str);
  gtk_label_set_markup (GTK_LABEL (self->preview), markup);
  gtk_widget_set_sensitive (self->save_button, self->busy == 0 && !empty);
}

/* Shows the text of the message and language chosen; @announce: say
 * whether it has one of its own (else the last message stays). */
static void
show_text_full (MediatorMailTemplates *self,
                gboolean               announce)
{
  const char      *name = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->name_combo));
  const char      *language = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->language_combo));
  g_autofree char *key = NULL;
  const char      *text;

  if (name == NULL || language == NULL)
    return;
  key = text_key (name, language);
  text = g_hash_table_lookup (self->texts, key);
  gtk_entry_set_text (GTK_ENTRY (self->entry), text != NULL ? text : "");
  if (text == NULL && !g_str_equal (language, "fr"))
    set_message (self, _ ("Pas encore de texte dans cette langue : ces personnes reçoivent le message en français."));
  else if (announce)
    set_message (self, "");
  update_preview (self);
}

static void
show_text (MediatorMailTemplates *self)
{
  show_text_full (self, TRUE);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MediatorMailTemplates) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(RelaisMailTemplates) templates = NULL;

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply != NULL)
    templates = relais_mail_templates_from_reply (reply, &error);
  if (templates == NULL)
    {
      set_message (self, error->message);
      update_preview (self);
      return;
    }
  g_hash_table_remove_all (self->texts);
  g_free (self->place);
  self->place = g_steal_pointer (&templates->place);
  g_free (self->hours);
  self->hours = g_steal_pointer (&templates->hours);
  for (guint i = 0; i < templates->templates->len; i++)
    {
      RelaisMailTemplate *t = g_ptr_array_index (templates->templates, i);

      g_hash_table_insert (self->texts, text_key (t->name, t->language), g_steal_pointer (&t->text));
    }
  show_text_full (self, FALSE);
}

void
mediator_mail_templates_refresh (MediatorMailTemplates *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self));

  if (!relais_link_has_session (self->link))
    return;
  self->busy++;
  relais_link_request_async (self->link, "/mail/templates", NULL, self->cancellable, list_cb,
                             g_object_ref (self));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MediatorMailTemplates) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  update_preview (self);
  if (reply == NULL)
    {
      /* The hub's sentence; what was typed stays in the editor. */
      set_message (self, error->message);
      return;
    }
  mediator_mail_templates_refresh (self);
  set_message (self, _ ("Message enregistré : les prochains envois l'utiliseront."));
}

void
mediator_mail_templates_save (MediatorMailTemplates *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self));

  if (self->busy > 0)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->name_combo)));
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->language_combo)));
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, gtk_entry_get_text (GTK_ENTRY (self->entry)));
  json_builder_end_object (b);

  self->busy++;
  gtk_widget_set_sensitive (self->save_button, FALSE);
  /* The link takes the body. */
  relais_link_request_async (self->link, "/mail/templates", json_builder_get_root (b), self->cancellable,
                             save_cb, g_object_ref (self));
}

void
mediator_mail_templates_select (MediatorMailTemplates *self,
                                const char            *name,
                                const char            *language)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self));

  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->name_combo), name);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->language_combo), language);
  show_text (self);
}

void
mediator_mail_templates_reset (MediatorMailTemplates *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self));

  /* What the last mediator typed and did not save goes with them. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->texts);
  gtk_entry_set_text (GTK_ENTRY (self->entry), "");
  set_message (self, NULL);
}

const char *
mediator_mail_templates_get_preview (MediatorMailTemplates *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->preview));
}

const char *
mediator_mail_templates_get_text (MediatorMailTemplates *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self), NULL);
  return gtk_entry_get_text (GTK_ENTRY (self->entry));
}

void
mediator_mail_templates_set_text (MediatorMailTemplates *self,
                                  const char            *text)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self));
  gtk_entry_set_text (GTK_ENTRY (self->entry), text);
}

const char *
mediator_mail_templates_get_message (MediatorMailTemplates *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
mediator_mail_templates_is_busy (MediatorMailTemplates *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_TEMPLATES (self), FALSE);
  return self->busy > 0;
}

static void
mediator_mail_templates_dispose (GObject *object)
{
  MediatorMailTemplates *self = MEDIATOR_MAIL_TEMPLATES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->link);
  G_OBJECT_CLASS (mediator_mail_templates_parent_class)->dispose (object);
}

static void
mediator_mail_templates_finalize (GObject *object)
{
  MediatorMailTemplates *self = MEDIATOR_MAIL_TEMPLATES (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->texts, g_hash_table_unref);
  g_free (self->place);
  g_free (self->hours);
  G_OBJECT_CLASS (mediator_mail_templates_parent_class)->finalize (object);
}

static void
mediator_mail_templates_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MediatorMailTemplates *self = MEDIATOR_MAIL_TEMPLATES (object);

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
mediator_mail_templates_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MediatorMailTemplates *self = MEDIATOR_MAIL_TEMPLATES (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_mail_templates_class_init (MediatorMailTemplatesClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_mail_templates_dispose;
  object_class->finalize = mediator_mail_templates_finalize;
  object_class->set_property = mediator_mail_templates_set_property;
  object_class->get_property = mediator_mail_templates_get_property;

  /* The console's link: the texts are the hub's. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-mail-templates.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, name_combo);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, language_combo);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, preview);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailTemplates, save_button);
  gtk_widget_class_bind_template_callback (widget_class, update_preview);
  gtk_widget_class_bind_template_callback_full (widget_class, "save_clicked_cb", G_CALLBACK (mediator_mail_templates_save));
}

static void
mediator_mail_templates_init (MediatorMailTemplates *self)
{
  self->cancellable = g_cancellable_new ();
  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The messages and languages from their tables; the first of each
   * chosen before "changed" is connected. */
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->name_combo), messages[i].name, _ (messages[i].label));
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->name_combo), 0);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->language_combo), languages[i].code, _ (languages[i].label));
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->language_combo), 0);
  g_signal_connect_swapped (self->name_combo, "changed", G_CALLBACK (show_text), self);
  g_signal_connect_swapped (self->language_combo, "changed", G_CALLBACK (show_text), self);
  update_preview (self);
}

GtkWidget *
mediator_mail_templates_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_MAIL_TEMPLATES, "link", link, NULL);
}
