/* station-welcome-page.c: the screen a resident finds: greeting, language,
 * larger text, stronger contrast. Touching it starts a session. */

#include "station-welcome-page.h"
#include "station-widgets.h"

#include <glib/gi18n.h>

struct _StationWelcomePage
{
  GtkBox           parent_instance;

  /* Borrowed */
  StationServices *services;
};

G_DEFINE_FINAL_TYPE (StationWelcomePage, station_welcome_page, GTK_TYPE_BOX)

/* Each language named in its own script, so that a person who reads no
 * French finds theirs; flags would name countries, not languages. */
static const struct {
  const char *code;
  const char *name;
  const char *hello;
} languages[] = {
  { "fr", "Français", "Bonjour" },
  { "en", "English", "Hello" },
  { "ar", "العربية", "مرحبا" },
  { "es", "Español", "Hola" },
  { "pt", "Português", "Olá" },
  { "ro", "Română", "Bună ziua" },
  { "tr", "Türkçe", "Merhaba" },
};

enum {
  SIGNAL_START,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
language_clicked_cb (GtkButton          *button,
                     StationWelcomePage *self)
{
  g_signal_emit (self, signals[SIGNAL_START], 0, g_object_get_data (G_OBJECT (button), "code"));
}

static void
toggle_class_cb (GtkToggleButton *button,
                 const char      *css_class)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (button));
  GtkStyleContext *style = gtk_widget_get_style_context (toplevel);

  if (gtk_toggle_button_get_active (button))
    gtk_style_context_add_class (style, css_class);
  else
    gtk_style_context_remove_class (style, css_class);
}

static void
station_welcome_page_class_init (StationWelcomePageClass *klass)
{
  station_page_class_add_navigate (G_OBJECT_CLASS (klass));
  /* "start" (const char *language): the resident chose and began. */
  signals[SIGNAL_START] = g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
station_welcome_page_init (StationWelcomePage *self)
{
}

GtkWidget *
station_welcome_page_new (StationServices *services)
{
  StationWelcomePage *self = g_object_new (STATION_TYPE_WELCOME_PAGE,
                                           "orientation", GTK_ORIENTATION_VERTICAL,
                                           "spacing", 14,
                                           "margin", 28,
                                           NULL);
  g_autoptr(GString) hellos = g_string_new (NULL);
  GtkWidget *title = gtk_label_new (_("Bienvenue"));
  GtkWidget *greetings = gtk_label_new (NULL);
  GtkWidget *invite = gtk_label_new (_("Touchez votre langue pour commencer."));
  GtkWidget *grid = gtk_flow_box_new ();
  GtkWidget *options = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *large = station_check_new ("relais-large-text", _("A+ _Grand texte"));
  GtkWidget *contrast = station_check_new ("relais-contrast", _("◐ _Contraste fort"));
  GtkWidget *privacy = gtk_label_new (_("Rien de ce que vous faites ici n'est gardé : tout est effacé quand vous touchez « Terminer »."));

  self->services = services;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    g_string_append_printf (hellos, "%s%s", i > 0 ? "  ·  " : "", languages[i].hello);
  gtk_label_set_text (GTK_LABEL (greetings), hellos->str);
  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_style_context_add_class (gtk_widget_get_style_context (greetings), "relais-subtitle");
  gtk_style_context_add_class (gtk_widget_get_style_context (invite), "relais-subtitle");
  station_label_wrap (privacy, 70);
  gtk_label_set_justify (GTK_LABEL (privacy), GTK_JUSTIFY_CENTER);
  station_label_wrap (invite, 50);
  gtk_label_set_justify (GTK_LABEL (invite), GTK_JUSTIFY_CENTER);
  station_label_wrap (greetings, 60);
  gtk_label_set_justify (GTK_LABEL (greetings), GTK_JUSTIFY_CENTER);


  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (grid), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (grid), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (grid), 16);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (grid), 16);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (languages[i].name);

      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-big-button");
      if (i == 0)
        gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-primary");
      gtk_widget_set_size_request (button, 220, -1);
      g_object_set_data (G_OBJECT (button), "code", (gpointer) languages[i].code);
      g_signal_connect (button, "clicked", G_CALLBACK (language_clicked_cb), self);
      gtk_container_add (GTK_CONTAINER (grid), button);
    }

  g_signal_connect (large, "toggled", G_CALLBACK (toggle_class_cb), (gpointer) "relais-large");
  g_signal_connect (contrast, "toggled", G_CALLBACK (toggle_class_cb), (gpointer) "relais-contrast");
  gtk_widget_set_halign (options, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (options), large, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (options), contrast, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), greetings, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), invite, FALSE, FALSE, 12);
  gtk_box_pack_start (GTK_BOX (self), grid, TRUE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), options, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (self), privacy, FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
