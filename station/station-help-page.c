/* station-help-page.c: ask for help in one touch, and see that a person
 * saw it. */

#include "station-help-page.h"
#include "station-widgets.h"

#include <glib/gi18n.h>

struct _StationHelpPage
{
  GtkBox           parent_instance;

  /* Widgets */
  GtkWidget       *stack;        /* "choose" or "waiting" */
  GtkWidget       *status;
  GtkWidget       *detail;
  GtkWidget       *cancel_button;

  /* Owned */
  char            *request_id;   /* the current request, or NULL */
  char            *state;        /* its state as the hub last said */
  char            *status_text;
  char            *language;     /* the language chosen under "Je parle" */
  GPtrArray       *language_buttons; /* borrowed GtkRadioButton*, one per language */
  guint            back_home_id;

  /* Borrowed */
  StationServices *services;
};

G_DEFINE_FINAL_TYPE (StationHelpPage, station_help_page, GTK_TYPE_BOX)

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
    case RELAIS_HELP_CATEGORY_SCANNER: return _("Le scanner");
    case RELAIS_HELP_CATEGORY_PRINTER: return _("L'imprimante");
    case RELAIS_HELP_CATEGORY_WEBSITE: return _("Un site internet (CAF, impôts, ameli, France Travail…)");
    case RELAIS_HELP_CATEGORY_MAIL: return _("Mon courrier");
    case RELAIS_HELP_CATEGORY_SAFE: return _("Mon coffre-fort");
    case RELAIS_HELP_CATEGORY_OTHER: return _("Autre chose");
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
  g_clear_pointer (&self->state, g_free);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "choose");
  station_page_navigate (GTK_WIDGET (self), "home");
  return G_SOURCE_REMOVE;
}

static void
show_sent (StationHelpPage *self)
{
  if (relais_link_get_state (self->services->link) == RELAIS_LINK_ONLINE)
    set_status (self, "relais-status-wait", _("Votre demande est envoyée."),
                _("Restez près du poste : un médiateur va la voir."));
  else
    set_status (self, "relais-status-problem",
                _("La console des médiateurs ne répond pas : adressez-vous à l'accueil."),
                _("Votre demande partira toute seule dès que la liaison reviendra."));
}

static void
help_changed_cb (RelaisLink      *link,
                 JsonObject      *request,
                 StationHelpPage *self)
{
  const char *id = json_object_get_string_member_with_default (request, "id", NULL);
  const char *state = json_object_get_string_member_with_default (request, "state", NULL);
  const char *who = json_object_get_string_member_with_default (request, "taken_by", NULL);

  if (self->request_id == NULL || g_strcmp0 (id, self->request_id) != 0 || state == NULL)
    return;
  g_free (self->state);
  self->state = g_strdup (state);

  if (g_str_equal (state, "raised"))
    show_sent (self);
  else if (g_str_equal (state, "seen"))
    set_status (self, "relais-status-ok", _("Vu ✓ Un médiateur a vu votre demande."),
                _("Il arrive dès qu'il est libre."));
  else if (g_str_equal (state, "taken"))
    {
      g_autofree char *text = g_strdup_printf (_("%s arrive."), who != NULL ? who : _("Un médiateur"));
      set_status (self, "relais-status-ok", text, _("Restez près du poste."));
    }
  else
    {
      set_status (self, "relais-status-ok",
                  g_str_equal (state, "cancelled") ? _("Demande annulée.") : _("Demande terminée. Merci !"),
                  NULL);
      gtk_widget_set_sensitive (self->cancel_button, FALSE);
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
  if (self->request_id != NULL && g_strcmp0 (self->state, "raised") == 0)
    show_sent (self);
}

const char *
station_help_page_raise (StationHelpPage *self,
                         const char      *category)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (STATION_IS_HELP_PAGE (self), NULL);

  id = station_services_raise_help (self->services, category, self->language, NULL, &error);

  g_clear_handle_id (&self->back_home_id, g_source_remove);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "waiting");
  if (id == NULL)
    {
      /* Even the local disk failed: say where help is, never a void. */
      g_message ("help request not stored: %s", error->message);
      set_status (self, "relais-status-problem",
                  _("La console des médiateurs ne répond pas : adressez-vous à l'accueil."), NULL);
      return NULL;
    }
  g_free (self->request_id);
  self->request_id = g_steal_pointer (&id);
  g_free (self->state);
  self->state = g_strdup ("raised");
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  show_sent (self);
  return self->request_id;
}

const char *
station_help_page_get_state (StationHelpPage *self)
{
  return self->state;
}

const char *
station_help_page_get_status (StationHelpPage *self)
{
  return self->status_text;
}

static void
category_clicked_cb (GtkButton       *button,
                     StationHelpPage *self)
{
  station_help_page_raise (self, g_object_get_data (G_OBJECT (button), "category"));
}

static void
cancel_clicked_cb (StationHelpPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  JsonObject *data;

  if (self->request_id == NULL)
    return;
  data = json_object_new ();
  json_object_set_string_member (data, "id", self->request_id);
  key = relais_link_queue_event (self->services->link, relais_event_type_to_string (RELAIS_EVENT_HELP_CANCEL),
                                 data, &error);
  if (key == NULL)
    g_message ("cancel not stored: %s", error->message);
  else if (self->services->session != NULL)
    station_session_close_help (self->services->session, self->request_id);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  set_status (self, "relais-status-ok", _("Demande annulée."), NULL);
  g_clear_handle_id (&self->back_home_id, g_source_remove);
  self->back_home_id = g_timeout_add_seconds (3, back_home_cb, self);
}

static void
home_clicked_cb (StationHelpPage *self)
{
  station_page_navigate (GTK_WIDGET (self), "home");
}

static void
station_help_page_dispose (GObject *object)
{
  StationHelpPage *self = STATION_HELP_PAGE (object);

  g_clear_handle_id (&self->back_home_id, g_source_remove);
  if (self->services != NULL)
    g_signal_handlers_disconnect_by_data (self->services->link, self);
  self->services = NULL;
  G_OBJECT_CLASS (station_help_page_parent_class)->dispose (object);
}

static void
station_help_page_finalize (GObject *object)
{
  StationHelpPage *self = STATION_HELP_PAGE (object);

  g_free (self->request_id);
  g_free (self->state);
  g_free (self->status_text);
  g_free (self->language);
  g_ptr_array_unref (self->language_buttons);
  G_OBJECT_CLASS (station_help_page_parent_class)->finalize (object);
}

static void
station_help_page_class_init (StationHelpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_help_page_dispose;
  object_class->finalize = station_help_page_finalize;
  station_page_class_add_navigate (object_class);
}

static void
station_help_page_init (StationHelpPage *self)
{
  self->language_buttons = g_ptr_array_new ();
}

/* Each language in its own script: a person who reads little French finds
 * theirs. Flags would name countries, not languages. */
static const struct { const char *code; const char *name; } languages[] = {
  { "fr", "Français" }, { "en", "English" }, { "ar", "العربية" }, { "es", "Español" },
  { "pt", "Português" }, { "ro", "Română" }, { "tr", "Türkçe" },
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

static GtkWidget *
build_languages (StationHelpPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (_("Je parle :"));
  /* Seven languages wrap rather than widen the screen. */
  GtkWidget *flow = gtk_flow_box_new ();
  GSList *group = NULL;

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 6);
  gtk_box_pack_start (GTK_BOX (box), flow, FALSE, FALSE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      GtkWidget *button = gtk_radio_button_new_with_label (group, languages[i].name);

      group = gtk_radio_button_get_group (GTK_RADIO_BUTTON (button));
      gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (button), FALSE);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-choice");
      g_object_set_data (G_OBJECT (button), "code", (gpointer) languages[i].code);
      g_signal_connect (button, "toggled", G_CALLBACK (language_toggled_cb), self);
      g_ptr_array_add (self->language_buttons, button);
      gtk_container_add (GTK_CONTAINER (flow), button);
    }
  return box;
}

static GtkWidget *
build_choose (StationHelpPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  GtkWidget *title = gtk_label_new (_("Pour quoi avez-vous besoin d'aide ?"));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *home = station_page_big_button (_("_Retour à l'accueil"), NULL);

  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);

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
      g_object_set_data (G_OBJECT (button), "category", (gpointer) relais_help_category_to_string (category));
      g_signal_connect (button, "clicked", G_CALLBACK (category_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (grid), button, (category - 1) % 3, (category - 1) / 3, 1, 1);
    }
  gtk_widget_set_halign (home, GTK_ALIGN_START);
  g_signal_connect_swapped (home, "clicked", G_CALLBACK (home_clicked_cb), self);

  station_label_wrap (title, 40);
  gtk_box_pack_start (GTK_BOX (box), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), grid, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), build_languages (self), FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (box), home, FALSE, FALSE, 0);
  return box;
}

static GtkWidget *
build_waiting (StationHelpPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *image = gtk_image_new_from_icon_name ("system-users-symbolic", GTK_ICON_SIZE_DIALOG);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 128);
  self->status = gtk_label_new (NULL);
  self->detail = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->status), GTK_JUSTIFY_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->detail), "relais-subtitle");
  self->cancel_button = station_page_big_button (_("_Annuler ma demande"), NULL);
  gtk_widget_set_halign (self->cancel_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->detail, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->cancel_button, FALSE, FALSE, 24);
  return box;
}

GtkWidget *
station_help_page_new (StationServices *services)
{
  StationHelpPage *self = g_object_new (STATION_TYPE_HELP_PAGE,
                                        "orientation", GTK_ORIENTATION_VERTICAL,
                                        "margin", 24,
                                        NULL);

  self->services = services;
  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (GTK_STACK (self->stack), build_choose (self), "choose");
  gtk_stack_add_named (GTK_STACK (self->stack), build_waiting (self), "waiting");
  gtk_box_pack_start (GTK_BOX (self), self->stack, TRUE, TRUE, 0);

  g_signal_connect (services->link, "help-changed", G_CALLBACK (help_changed_cb), self);
  g_signal_connect (services->link, "notify::state", G_CALLBACK (link_state_cb), self);
  gtk_widget_show_all (GTK_WIDGET (self));
  /* The pages are rebuilt in the language chosen at the welcome screen:
   * "Je parle" starts on it, and the request says it. */
  station_help_page_set_language (self, services->session != NULL && station_session_is_active (services->session)
                                        ? station_session_get_language (services->session) : NULL);
  return GTK_WIDGET (self);
}
