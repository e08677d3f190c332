/* relais-enrol-window.c: enrolment by one-time code, at the first start
 * of a station or a console (one window, its words by kind). */

#include "relais-enrol-window.h"
#include "relais-ui-resources.h"

#include <glib/gi18n.h>

#include "relais-link.h"

struct _RelaisEnrolWindow {
  GtkApplicationWindow parent_instance;

  /* Template children */
  GtkEntry            *hub_entry;
  GtkEntry            *code_entry;
  GtkButton           *enrol_button;
  GtkLabel            *status_label;
  GtkLabel            *fingerprint_label;
  GtkButton           *confirm_button;
  GtkButton           *cancel_button;

  GtkLabel            *heading_label;
  GtkLabel            *intro_label;

  /* Owned */
  char                *kind; /* "station" or "console" */
  char                *config_path;
  RelaisEnrolment     *enrolment; /* answered, not saved yet */
  GCancellable        *cancellable;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_CONFIG_PATH,
  PROP_HUB_URL,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ENROLLED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelaisEnrolWindow, relais_enrol_window, GTK_TYPE_APPLICATION_WINDOW)

static gboolean
is_console (RelaisEnrolWindow *self)
{
  return g_strcmp0 (self->kind, "console") == 0;
}

/* Back to the form; @sentence (may be NULL) says why. */
static void
show_form (RelaisEnrolWindow *self,
           const char        *sentence)
{
  g_clear_pointer (&self->enrolment, relais_enrolment_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_entry), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_entry), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), TRUE);
  gtk_widget_hide (GTK_WIDGET (self->fingerprint_label));
  gtk_widget_hide (GTK_WIDGET (self->confirm_button));
  gtk_widget_hide (GTK_WIDGET (self->cancel_button));
  gtk_label_set_text (self->status_label, sentence != NULL ? sentence : "");
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelaisEnrolWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisEnrolment) enrolment = relais_link_enrol_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (enrolment == NULL)
    {
      /* The hub's own sentence (wrong, expired, used code…). */
      show_form (self, error->message);
      return;
    }
  if (!g_str_equal (enrolment->kind, self->kind))
    {
      show_form (self, is_console (self)
                           ? _ ("Ce code inscrit un poste, pas une console : demandez un code « relais-hub enroll console ».")
                           : _ ("Ce code inscrit une console, pas un poste : demandez un code « relais-hub enroll station »."));
      return;
    }
  self->enrolment = g_steal_pointer (&enrolment);
  if (self->enrolment->fingerprint != NULL)
    text = g_strdup_printf (_ ("Empreinte du hub : %s\nComparez-la avec celle que « relais-hub enroll » a affichée."),
                            self->enrolment->fingerprint);
  else
    text = g_strdup (_ ("Le hub parle en HTTP simple : aucune empreinte à comparer (réseau local de confiance seulement)."));
  gtk_label_set_text (self->fingerprint_label, text);
  gtk_widget_show (GTK_WIDGET (self->fingerprint_label));
  gtk_widget_show (GTK_WIDGET (self->confirm_button));
  gtk_widget_show (GTK_WIDGET (self->cancel_button));
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (is_console (self) ? _ ("Le hub inscrit cette console sous le nom « %s ».")
                                            : _ ("Le hub inscrit ce poste sous le nom « %s »."),
                          self->enrolment->name);
  gtk_label_set_text (self->status_label, text);
}

static void
on_enrol_clicked (GtkButton         *button,
                  RelaisEnrolWindow *self)
{
  const char *url = gtk_entry_get_text (self->hub_entry);
  const char *code = gtk_entry_get_text (self->code_entry);

  if (*url == '\0' || *code == '\0')
    {
      gtk_label_set_text (self->status_label, _ ("Saisissez l'adresse du hub et le code d'inscription."));
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), FALSE);
  gtk_label_set_text (self->status_label, _ ("Connexion au hub…"));
  relais_link_enrol_async (url, code, self->cancellable, enrolled_cb, g_object_ref (self));
}

static void
on_confirm_clicked (GtkButton         *button,
                    RelaisEnrolWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->enrolment != NULL);
  if (!relais_enrolment_save (self->enrolment, self->config_path, &error))
    {
      show_form (self, error->message);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->confirm_button));
  gtk_widget_hide (GTK_WIDGET (self->cancel_button));
  gtk_label_set_text (self->status_label, is_console (self) ? _ ("Console inscrite. Elle démarre.")
                                                            : _ ("Poste inscrit. Il démarre."));
  g_signal_emit (self, signals[SIGNAL_ENROLLED], 0);
}

static void
on_cancel_clicked (GtkButton         *button,
                   RelaisEnrolWindow *self)
{
  /* Fingerprints that differ: nothing is kept; the code is spent, the
   * staff make a new one. */
  show_form (self, _ ("Rien n'est enregistré. Demandez un nouveau code."));
}

static void
relais_enrol_window_dispose (GObject *object)
{
  RelaisEnrolWindow *self = RELAIS_ENROL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (relais_enrol_window_parent_class)->dispose (object);
}

static void
relais_enrol_window_finalize (GObject *object)
{
  RelaisEnrolWindow *self = RELAIS_ENROL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->enrolment, relais_enrolment_free);
  g_free (self->config_path);
  g_free (self->kind);
  G_OBJECT_CLASS (relais_enrol_window_parent_class)->finalize (object);
}

static void
relais_enrol_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelaisEnrolWindow *self = RELAIS_ENROL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_CONFIG_PATH:
      self->config_path = g_value_dup_string (value);
      break;
    case PROP_HUB_URL:
      gtk_entry_set_text (self->hub_entry, g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The words that differ between a station and a console. */
static void
relais_enrol_window_constructed (GObject *object)
{
  RelaisEnrolWindow *self = RELAIS_ENROL_WINDOW (object);
  const char        *action = is_console (self) ? _ ("Inscrire cette console") : _ ("Inscrire ce poste");

  G_OBJECT_CLASS (relais_enrol_window_parent_class)->constructed (object);
  gtk_window_set_title (GTK_WINDOW (self), is_console (self) ? _ ("Inscription de la console") : _ ("Inscription du poste"));
  gtk_label_set_text (self->heading_label, action);
  gtk_button_set_label (self->enrol_button, action);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->enrol_button)), action);
  gtk_label_set_text (self->intro_label,
                      is_console (self)
                          ? _ ("Réservé au personnel. Cette console n'est inscrite auprès d'aucun hub : saisissez l'adresse du hub et le code que « relais-hub enroll console NOM » a affiché.")
                          : _ ("Réservé au personnel. Ce poste n'est inscrit auprès d'aucun hub : saisissez l'adresse du hub et le code que « relais-hub enroll station NOM » a affiché."));
}

static void
relais_enrol_window_class_init (RelaisEnrolWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relais_enrol_window_dispose;
  object_class->finalize = relais_enrol_window_finalize;
  object_class->set_property = relais_enrol_window_set_property;
  object_class->constructed = relais_enrol_window_constructed;

  properties[PROP_KIND] =
      g_param_spec_string ("kind", NULL, NULL, "station",
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG_PATH] =
      g_param_spec_string ("config-path", NULL, NULL, NULL,
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HUB_URL] =
      g_param_spec_string ("hub-url", NULL, NULL, NULL,
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_ENROLLED] = g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  relais_ui_register_resource ();
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/ui/relais-enrol-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, hub_entry);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, RelaisEnrolWindow, intro_label);
  gtk_widget_class_bind_template_callback (widget_class, on_enrol_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
relais_enrol_window_init (RelaisEnrolWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

RelaisEnrolWindow *
relais_enrol_window_new (GtkApplication *application,
                         const char     *kind,
                         const char     *config_path,
                         const char     *hub_url)
{
  g_return_val_if_fail (g_strcmp0 (kind, "station") == 0 || g_strcmp0 (kind, "console") == 0, NULL);
  g_return_val_if_fail (config_path != NULL, NULL);
  return g_object_new (RELAIS_TYPE_ENROL_WINDOW,
                       "application", application,
                       "kind", kind,
                       "config-path", config_path,
                       "hub-url", hub_url,
                       NULL);
}
