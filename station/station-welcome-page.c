/* station-welcome-page.c: the screen a resident finds: greeting, language,
 * larger text, stronger contrast (assets/ui/station-welcome-page.ui).
 * Touching a language starts a session. */

#include "station-welcome-page.h"
#include "station-widgets.h"

#include <glib/gi18n.h>

struct _StationWelcomePage {
  StationPage parent_instance;

  /* Template widgets */
  GtkWidget  *greetings;
  GtkWidget  *invite;
  GtkWidget  *options;
  GtkWidget  *privacy;
};

G_DEFINE_FINAL_TYPE (StationWelcomePage, station_welcome_page, STATION_TYPE_PAGE)

enum {
  SIGNAL_START,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* page.start ('fr', 'en'…): a language button of the template. */
static void
start_activate_cb (GSimpleAction      *action,
                   GVariant           *language,
                   StationWelcomePage *self)
{
  g_signal_emit (self, signals[SIGNAL_START], 0, g_variant_get_string (language, NULL));
}

static void
toggle_class_cb (GtkToggleButton *button,
                 const char      *css_class)
{
  GtkWidget       *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (button));
  GtkStyleContext *style = gtk_widget_get_style_context (toplevel);

  if (gtk_toggle_button_get_active (button))
    gtk_style_context_add_class (style, css_class);
  else
    gtk_style_context_remove_class (style, css_class);
}

static void
station_welcome_page_class_init (StationWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* "start" (const char *language): the resident chose and began. */
  signals[SIGNAL_START] = g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationWelcomePage, greetings);
  gtk_widget_class_bind_template_child (widget_class, StationWelcomePage, invite);
  gtk_widget_class_bind_template_child (widget_class, StationWelcomePage, options);
  gtk_widget_class_bind_template_child (widget_class, StationWelcomePage, privacy);
}

static void
station_welcome_page_init (StationWelcomePage *self)
{
  GActionMap *actions;
  g_autoptr(GSimpleAction) start = g_simple_action_new ("start", G_VARIANT_TYPE_STRING);
  GtkWidget *large;
  GtkWidget *contrast;

  gtk_widget_init_template (GTK_WIDGET (self));
  actions = station_page_get_actions (STATION_PAGE (self));
  g_signal_connect_object (start, "activate", G_CALLBACK (start_activate_cb), self, 0);
  g_action_map_add_action (actions, G_ACTION (start));

  station_label_wrap (self->privacy, 70);
  station_label_wrap (self->invite, 50);
  station_label_wrap (self->greetings, 60);

  large = station_check_new ("relais-large-text", _ ("A+ _Grand texte"));
  contrast = station_check_new ("relais-contrast", _ ("◐ _Contraste fort"));
  g_signal_connect (large, "toggled", G_CALLBACK (toggle_class_cb), (gpointer) "relais-large");
  g_signal_connect (contrast, "toggled", G_CALLBACK (toggle_class_cb), (gpointer) "relais-contrast");
  gtk_box_pack_start (GTK_BOX (self->options), large, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self->options), contrast, FALSE, FALSE, 0);
  gtk_widget_show_all (self->options);
}

GtkWidget *
station_welcome_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_WELCOME_PAGE, "services", services, NULL);
}
