/* station-enrol-window.c: enrolment by one-time code, at first start. */

#include "station-enrol-window.h"

#include <glib/gi18n.h>

#include "relais-link.h"

struct _StationEnrolWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkEntry   *hub_entry;
  GtkEntry   *code_entry;
  GtkButton  *enrol_button;
  GtkLabel   *status_label;
  GtkLabel   *fingerprint_label;
  GtkButton  *confirm_button;
  GtkButton  *cancel_button;

  /* Owned */
  char             *config_path;
  RelaisEnrolment  *enrolment;   /* answered, not saved yet */
  GCancellable     *cancellable;
};

enum { PROP_0, PROP_CONFIG_PATH, PROP_HUB_URL, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_ENROLLED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StationEnrolWindow, station_enrol_window, GTK_TYPE_APPLICATION_WINDOW)

/* Back to the form; @sentence (may be NULL) says why. */
static void
show_form (StationEnrolWindow *self,
           const char         *sentence)
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
  g_autoptr(StationEnrolWindow) self = user_data;
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
  if (!g_str_equal (enrolment->kind, "station"))
    {
      show_form (self, _("Ce code inscrit une console, pas un poste : demandez un code « relais-hub enroll station »."));
      return;
    }
  self->enrolment = g_steal_pointer (&enrolment);
  if (self->enrolment->fingerprint != NULL)
    text = g_strdup_printf (_("Empreinte du hub : %s\nComparez-la avec celle que « relais-hub enroll » a affichée."),
                            self->enrolment->fingerprint);
  else
    text = g_strdup (_("Le hub parle en HTTP simple : aucune empreinte à comparer (réseau local de confiance seulement)."));
  gtk_label_set_text (self->fingerprint_label, text);
  gtk_widget_show (GTK_WIDGET (self->fingerprint_label));
  gtk_widget_show (GTK_WIDGET (self->confirm_button));
  gtk_widget_show (GTK_WIDGET (self->cancel_button));
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (_("Le hub inscrit ce poste sous le nom « %s »."), self->enrolment->name);
  gtk_label_set_text (self->status_label, text);
}

static void
on_enrol_clicked (GtkButton          *button,
                  StationEnrolWindow *self)
{
  const char *url = gtk_entry_get_text (self->hub_entry);
  const char *code = gtk_entry_get_text (self->code_entry);

  if (*url == '\0' || *code == '\0')
    {
      gtk_label_set_text (self->status_label, _("Saisissez l'adresse du hub et le code d'inscription."));
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), FALSE);
  gtk_label_set_text (self->status_label, _("Connexion au hub…"));
  relais_link_enrol_async (url, code, self->cancellable, enrolled_cb, g_object_ref (self));
}

static void
on_confirm_clicked (GtkButton          *button,
                    StationEnrolWindow *self)
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
  gtk_label_set_text (self->status_label, _("Poste inscrit. Il démarre."));
  g_signal_emit (self, signals[SIGNAL_ENROLLED], 0);
}

static void
on_cancel_clicked (GtkButton          *button,
                   StationEnrolWindow *self)
{
  /* Fingerprints that differ: nothing is kept; the code is spent, the
   * staff make a new one. */
  show_form (self, _("Rien n'est enregistré. Demandez un nouveau code."));
}

static void
station_enrol_window_dispose (GObject *object)
{
  StationEnrolWindow *self = STATION_ENROL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (station_enrol_window_parent_class)->dispose (object);
}

static void
station_enrol_window_finalize (GObject *object)
{
  StationEnrolWindow *self = STATION_ENROL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->enrolment, relais_enrolment_free);
  g_free (self->config_path);
  G_OBJECT_CLASS (station_enrol_window_parent_class)->finalize (object);
}

static void
station_enrol_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StationEnrolWindow *self = STATION_ENROL_WINDOW (object);

  switch (prop_id)
    {
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

static void
station_enrol_window_class_init (StationEnrolWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = station_enrol_window_dispose;
  object_class->finalize = station_enrol_window_finalize;
  object_class->set_property = station_enrol_window_set_property;

  properties[PROP_CONFIG_PATH] =
    g_param_spec_string ("config-path", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HUB_URL] =
    g_param_spec_string ("hub-url", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_ENROLLED] = g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-enrol-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, hub_entry);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, StationEnrolWindow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_enrol_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
station_enrol_window_init (StationEnrolWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

StationEnrolWindow *
station_enrol_window_new (GtkApplication *application,
                          const char     *config_path,
                          const char     *hub_url)
{
  g_return_val_if_fail (config_path != NULL, NULL);
  return g_object_new (STATION_TYPE_ENROL_WINDOW,
                       "application", application,
                       "config-path", config_path,
                       "hub-url", hub_url,
                       NULL);
}
