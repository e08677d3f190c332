/* station-help-page.c: ask for help in one touch, and see that a person
 * saw it (assets/ui/station-help-page.ui). */

#include "station-help-page.h"
#include "station-widgets.h"

#include <glib/gi18n.h>

struct _StationHelpPage {
  StationPage     parent_instance;

  /* Template widgets */
  GtkWidget      *stack; /* "choose" or "waiting" */
  GtkWidget      *title;
  GtkWidget      *categories; /* a grid of tiles, one a category */
  GtkWidget      *languages;  /* a flow box of choices, from languages[] */
  GtkWidget      *status;
  GtkWidget      *detail;

  /* Owned by the page's action group */
  GSimpleAction  *cancel; /* page.cancel: "Annuler ma demande" */

  /* Owned */
  char           *request_id; /* the current request, or NULL */
  RelaisHelpState state;      /* its state as the hub last said */
  char           *status_text;
  char           *language;         /* the language chosen under "Je parle" */
  GPtrArray      *language_buttons; /* borrowed GtkRadioButton*, one per language */
  guint           back_home_id;
};

G_DEFINE_FINAL_TYPE (StationHelpPage, station_help_page, STATION_TYPE_PAGE)

/* The categories' buttons, in the protocol's order. */
static const char *
category_icon (RelaisHelpCategory category)
{
  switch (category)
    {
    case RELAIS_HELP_CATEGORY_SCANNER: return "scanner-symbolic";
    case RELAIS_HELP_CATEGORY_PRINTER: return "printer-symbolic";
    case RELAIS_HELP_CATEGORY_WEBSITE: return "web-browser-symbolic";
    case RELAIS_HELP_CATEGORY_MAIL: return "mail-unread-symbolic";
    case RELAIS_HELP_CATEGORY_SAFE: return "security-high-symbolic";
    case RELAIS_HELP_CATEGORY_OTHER: return "dialog-question-symbolic";
    case RELAIS_HELP_CATEGORY_UNKNOWN:
    case RELAIS_HELP_N_CATEGORIES:
    default:
      g_assert_not_reached ();
    }
}

static const char *
category_label (RelaisHelpCategory category)
{
  switch (category)
    {
    case RELAIS_HELP_CATEGORY_SCANNER: return _ ("Le scanner");
    case RELAIS_HELP_CATEGORY_PRINTER: return _ ("L'imprimante");
    case RELAIS_HELP_CATEGORY_WEBSITE: return _ ("Un site internet (CAF, impôts, ameli, France Travail…)");
    case RELAIS_HELP_CATEGORY_MAIL: return _ ("Mon courrier");
    case RELAIS_HELP_CATEGORY_SAFE: return _ ("Mon coffre-fort");
    case RELAIS_HELP_CATEGORY_OTHER: return _ ("Autre chose");
    case RELAIS_HELP_CATEGORY_UNKNOWN:
    case RELAIS_HELP_N_CATEGORIES:
    default:
      g_assert_not_reached ();
    }
}

static void
set_status (StationHelpPage *self,
            const char      *css_class,
            const char      *text,
            const char      *detail)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
  gtk_label_set_text (GTK_LABEL (self->detail), detail != NULL ? detail : "");
}

static gboolean
back_home_cb (gpointer user_data)
{
  StationHelpPage *self = user_data;

  self->back_home_id = 0;
  g_clear_pointer (&self->request_id, g_free);
  self->state = RELAIS_HELP_STATE_UNKNOWN;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "choose");
  station_page_navigate (GTK_WIDGET (self), "home");
  return G_SOURCE_REMOVE;
}

static void
show_sent (StationHelpPage *self)
{
  if (relais_link_get_state (STATION_PAGE_SERVICES (self)->link) == RELAIS_LINK_ONLINE)
    set_status (self, "relais-status-wait", _ ("Votre demande est envoyée."),
                _ ("Restez près du poste : un médiateur va la voir."));
  else
    set_status (self, "relais-status-problem",
                _ ("La console des médiateurs ne répond pas : adressez-vous à l'accueil."),
                _ ("Votre demande partira toute seule dès que la liaison reviendra."));
}

static void
help_changed_cb (RelaisLink        *link,
                 RelaisHelpRequest *request,
                 StationHelpPage   *self)
{
  if (self->request_id == NULL || g_strcmp0 (request->id, self->request_id) != 0)
    return;
  self->state = request->state;

  if (request->state == RELAIS_HELP_STATE_RAISED)
    show_sent (self);
  else if (request->state == RELAIS_HELP_STATE_SEEN)
    set_status (self, "relais-status-ok", _ ("Vu ✓ Un médiateur a vu votre demande."),
                _ ("Il arrive dès qu'il est libre."));
  else if (request->state == RELAIS_HELP_STATE_TAKEN)
    {
      g_autofree char *text = g_strdup_printf (_ ("%s arrive."),
                                               request->taken_by != NULL ? request->taken_by : _ ("Un médiateur"));
      set_status (self, "relais-status-ok", text, _ ("Restez près du poste."));
    }
  else
    {
      set_status (self, "relais-status-ok",
                  request->state == RELAIS_HELP_STATE_CANCELLED ? _ ("Demande annulée.") : _ ("Demande terminée. Merci !"),
                  NULL);
      g_simple_action_set_enabled (self->cancel, FALSE);
      g_clear_handle_id (&self->back_home_id, g_source_remove);
      self->back_home_id = g_timeout_add_seconds (4, back_home_cb, self);
    }
}

static void
link_state_cb (RelaisLink      *link,
               GParamSpec      *pspec,
               StationHelpPage *self)
{
  /* Refresh the wording while nobody has seen the request yet. */
  if (self->request_id != NULL && self->state == RELAIS_HELP_STATE_RAISED)
    show_sent (self);
}

const char *
station_help_page_raise (StationHelpPage *self,
                         const char      *category)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (STATION_IS_HELP_PAGE (self), NULL);

  id = station_services_raise_help (STATION_PAGE_SERVICES (self), category, self->language, NULL, &error);

  g_clear_handle_id (&self->back_home_id, g_source_remove);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "waiting");
  if (id == NULL)
    {
      /* Even the local disk failed: say where help is, never a void. */
      g_message ("help request not stored: %s", error->message);
      set_status (self, "relais-status-problem",
                  _ ("La console des médiateurs ne répond pas : adressez-vous à l'accueil."), NULL);
      return NULL;
    }
  g_free (self->request_id);
  self->request_id = g_steal_pointer (&id);
  self->state = RELAIS_HELP_STATE_RAISED;
  g_simple_action_set_enabled (self->cancel, TRUE);
  show_sent (self);
  return self->request_id;
}

const char *
station_help_page_get_state (StationHelpPage *self)
{
  return relais_help_state_to_string (self->state);
}

const char *
station_help_page_get_status (StationHelpPage *self)
{
  return self->status_text;
}

/* page.raise ('scanner', 'printer'…): a category's tile. */
static void
raise_activate_cb (GSimpleAction   *action,
                   GVariant        *category,
                   StationHelpPage *self)
{
  station_help_page_raise (self, g_variant_get_string (category, NULL));
}

/* page.cancel: "Annuler ma demande". */
static void
cancel_activate_cb (GSimpleAction   *action,
                    GVariant        *parameter,
                    StationHelpPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  JsonObject      *data;

  if (self->request_id == NULL)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "id", self->request_id);
  key = relais_link_queue_event (STATION_PAGE_SERVICES (self)->link,
                                 relais_event_type_to_string (RELAIS_EVENT_HELP_CANCEL),
                                 data, &error);
  if (key == NULL)
    g_message ("cancel not stored: %s", error->message);
  else if (STATION_PAGE_SERVICES (self)->session != NULL)
    station_session_close_help (STATION_PAGE_SERVICES (self)->session, self->request_id);
  g_simple_action_set_enabled (self->cancel, FALSE);
  set_status (self, "relais-status-ok", _ ("Demande annulée."), NULL);
  g_clear_handle_id (&self->back_home_id, g_source_remove);
  self->back_home_id = g_timeout_add_seconds (3, back_home_cb, self);
}

static void
station_help_page_dispose (GObject *object)
{
  StationHelpPage *self = STATION_HELP_PAGE (object);

  /* The link's handlers go with the page (g_signal_connect_object). */
  g_clear_handle_id (&self->back_home_id, g_source_remove);
  G_OBJECT_CLASS (station_help_page_parent_class)->dispose (object);
}

static void
station_help_page_finalize (GObject *object)
{
  StationHelpPage *self = STATION_HELP_PAGE (object);

  g_free (self->request_id);
  g_free (self->status_text);
  g_free (self->language);
  g_ptr_array_unref (self->language_buttons);
  G_OBJECT_CLASS (station_help_page_parent_class)->finalize (object);
}

/* Each language in its own script: a person who reads little French finds
 * theirs. Flags would name countries, not languages. */
static const struct {
  const char *code;
  const char *name;
} languages[] = {
  { "fr", "Français" },
  { "en", "English" },
  { "ar", "العربية" },
  { "es", "Español" },
  { "pt", "Português" },
  { "ro", "Română" },
  { "tr", "Türkçe" },
};

static void
language_toggled_cb (GtkToggleButton *button,
                     StationHelpPage *self)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");

  if (!gtk_toggle_button_get_active (button))
    return;
  g_free (self->language);
  self->language = g_strdup (code);
}

void
station_help_page_set_language (StationHelpPage *self,
                                const char      *code)
{
  g_return_if_fail (STATION_IS_HELP_PAGE (self));

  if (code == NULL)
    code = "fr";
  g_free (self->language);
  self->language = g_strdup (code);
  /* The choice shown is the one sent. */
  for (guint i = 0; i < self->language_buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->language_buttons, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "code"), code) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
    }
}

const char *
station_help_page_get_language (StationHelpPage *self)
{
  g_return_val_if_fail (STATION_IS_HELP_PAGE (self), NULL);
  return self->language;
}

/* The choices under "Je parle", one radio group. */
static void
add_languages (StationHelpPage *self)
{
  GSList *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      GtkWidget *button = gtk_radio_button_new_with_label (group, languages[i].name);

      group = gtk_radio_button_get_group (GTK_RADIO_BUTTON (button));
      gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (button), FALSE);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-choice");
      g_object_set_data (G_OBJECT (button), "code", (gpointer) languages[i].code);
      g_signal_connect (button, "toggled", G_CALLBACK (language_toggled_cb), self);
      g_ptr_array_add (self->language_buttons, button);
      gtk_widget_show (button);
      gtk_container_add (GTK_CONTAINER (self->languages), button);
    }
}

/* A tile per category, activating page.raise with its id. */
static void
add_categories (StationHelpPage *self)
{
  for (RelaisHelpCategory category = 1; category < RELAIS_HELP_N_CATEGORIES; category++)
    {
      GtkWidget *button = gtk_button_new ();
      /* The picture beside its words: two rows of tiles, the languages and
       * the way back fit 800 pixels of height, in large text too. */
      GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *image = gtk_image_new_from_icon_name (category_icon (category), GTK_ICON_SIZE_DIALOG);
      GtkWidget *label = gtk_label_new (category_label (category));

      gtk_image_set_pixel_size (GTK_IMAGE (image), 48);
      station_label_wrap (label, 14);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_pack_start (GTK_BOX (inner), image, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (inner), label, TRUE, TRUE, 0);
      gtk_container_add (GTK_CONTAINER (button), inner);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile-small");
      atk_object_set_name (gtk_widget_get_accessible (button), category_label (category));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "page.raise");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", relais_help_category_to_string (category));
      gtk_widget_show_all (button);
      gtk_grid_attach (GTK_GRID (self->categories), button, (category - 1) % 3, (category - 1) / 3, 1, 1);
    }
}

static void
station_help_page_constructed (GObject *object)
{
  StationHelpPage *self = STATION_HELP_PAGE (object);
  StationServices *services = STATION_PAGE_SERVICES (self);

  G_OBJECT_CLASS (station_help_page_parent_class)->constructed (object);

  g_return_if_fail (services != NULL);

  g_signal_connect_object (services->link, "help-changed", G_CALLBACK (help_changed_cb), self, 0);
  g_signal_connect_object (services->link, "notify::state", G_CALLBACK (link_state_cb), self, 0);
  /* The pages are rebuilt in the language chosen at the welcome screen:
   * "Je parle" starts on it, and the request says it. */
  station_help_page_set_language (self, services->session != NULL && station_session_is_active (services->session)
                                            ? station_session_get_language (services->session)
                                            : NULL);
}

static void
station_help_page_class_init (StationHelpPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = station_help_page_constructed;
  object_class->dispose = station_help_page_dispose;
  object_class->finalize = station_help_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-help-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, title);
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, categories);
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, languages);
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationHelpPage, detail);
}

static void
station_help_page_init (StationHelpPage *self)
{
  GActionMap *actions;
  g_autoptr(GSimpleAction) raise = g_simple_action_new ("raise", G_VARIANT_TYPE_STRING);

  self->language_buttons = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  actions = station_page_get_actions (STATION_PAGE (self));
  g_signal_connect_object (raise, "activate", G_CALLBACK (raise_activate_cb), self, 0);
  g_action_map_add_action (actions, G_ACTION (raise));
  self->cancel = g_simple_action_new ("cancel", NULL);
  g_signal_connect_object (self->cancel, "activate", G_CALLBACK (cancel_activate_cb), self, 0);
  g_action_map_add_action (actions, G_ACTION (self->cancel));
  /* The group holds it now; the page's group lives as long as the page. */
  g_object_unref (self->cancel);

  station_label_wrap (self->title, 40);
  add_categories (self);
  add_languages (self);
}

GtkWidget *
station_help_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_HELP_PAGE, "services", services, NULL);
}
