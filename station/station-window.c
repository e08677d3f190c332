/* station-window.c: the kiosk's one window; screens are pages of a stack. */
#define G_LOG_DOMAIN "relais-station"

#include "station-window.h"
#include "station-pages.h"

#include <glib/gi18n.h>

struct _StationWindow
{
  GtkApplicationWindow  parent_instance;

  /* Widgets */
  GtkWidget            *stack;
  GtkWidget            *link_label;
  GtkWidget            *help_button;

  /* Borrowed */
  StationServices      *services;
};

G_DEFINE_FINAL_TYPE (StationWindow, station_window, GTK_TYPE_APPLICATION_WINDOW)

static void
link_state_cb (RelaisLink    *link,
               GParamSpec    *pspec,
               StationWindow *self)
{
  const char *text;

  /* Discreet, never alarming: the resident does not need to know. */
  switch (relais_link_get_state (link))
    {
    case RELAIS_LINK_ONLINE: text = _("● relié"); break;
    case RELAIS_LINK_CONNECTING: text = _("○ connexion…"); break;
    case RELAIS_LINK_UNAUTHORIZED: text = _("○ poste non enregistré"); break;
    case RELAIS_LINK_OFFLINE:
    default: text = _("○ hors ligne"); break;
    }
  gtk_label_set_text (GTK_LABEL (self->link_label), text);
}

const char *
station_window_get_link_text (StationWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->link_label));
}

void
station_window_show_page (StationWindow *self,
                          const char    *name)
{
  g_return_if_fail (STATION_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
  gtk_widget_set_visible (self->help_button, !g_str_equal (name, "help"));
  station_services_report_step (self->services, name);
}

GtkWidget *
station_window_get_page (StationWindow *self,
                         const char    *name)
{
  return gtk_stack_get_child_by_name (GTK_STACK (self->stack), name);
}

static void
navigate_cb (GtkWidget     *page,
             const char    *name,
             StationWindow *self)
{
  station_window_show_page (self, name);
}

static void
help_clicked_cb (StationWindow *self)
{
  station_window_show_page (self, "help");
}

static void
add_page (StationWindow *self,
          GtkWidget     *page,
          const char    *name)
{
  g_signal_connect (page, "navigate", G_CALLBACK (navigate_cb), self);
  gtk_stack_add_named (GTK_STACK (self->stack), page, name);
}

static void
station_window_dispose (GObject *object)
{
  StationWindow *self = STATION_WINDOW (object);

  if (self->services != NULL)
    g_signal_handlers_disconnect_by_data (self->services->link, self);
  self->services = NULL;
  G_OBJECT_CLASS (station_window_parent_class)->dispose (object);
}

static void
station_window_class_init (StationWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = station_window_dispose;
}

static void
station_window_init (StationWindow *self)
{
}

StationWindow *
station_window_new (GtkApplication  *application,
                    StationServices *services)
{
  StationWindow *self = g_object_new (STATION_TYPE_WINDOW,
                                      "application", application,
                                      "title", "Relais",
                                      "default-width", 1280,
                                      "default-height", 800,
                                      NULL);
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *name = gtk_label_new (services->station_name);

  self->services = services;
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-station");

  /* The help button is on every screen. */
  self->help_button = gtk_button_new_with_mnemonic (_("J'ai besoin d'_aide"));
  gtk_style_context_add_class (gtk_widget_get_style_context (self->help_button), "relais-help-button");
  g_signal_connect_swapped (self->help_button, "clicked", G_CALLBACK (help_clicked_cb), self);
  self->link_label = gtk_label_new (NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->link_label), "relais-link-state");
  gtk_style_context_add_class (gtk_widget_get_style_context (name), "relais-link-state");
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), "Relais");
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->help_button);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), name);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), self->link_label);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  add_page (self, station_home_page_new (services), "home");
  add_page (self, station_scan_page_new (services), "scan");
  add_page (self, station_help_page_new (services), "help");
  gtk_container_add (GTK_CONTAINER (self), self->stack);

  g_signal_connect (services->link, "notify::state", G_CALLBACK (link_state_cb), self);
  link_state_cb (services->link, NULL, self);
  gtk_widget_show_all (GTK_WIDGET (self));
  station_window_show_page (self, "home");
  return self;
}
