/* station-window.c: the kiosk's one window; screens are pages of a stack
 * (assets/ui/station-window.ui). */

#include "station-window.h"
#include "station-browser.h"
#include "station-copy-page.h"
#include "station-letter-page.h"
#include "station-help-page.h"
#include "station-home-page.h"
#include "station-scan-page.h"
#include "station-usb-page.h"
#include "station-welcome-page.h"
#include "station-widgets.h"
#include "relais-usb.h"
#include "station-mail-page.h"
#include "station-safe-page.h"

#include <glib/gi18n.h>

struct _StationWindow {
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkWidget           *stack;
  GtkWidget           *name_label;
  GtkWidget           *link_label;
  GtkWidget           *help_button;
  GtkWidget           *end_button;
  GtkWidget           *countdown; /* over every page, near the end */
  GtkWidget           *countdown_label;
  GtkWidget           *still_here;
  GtkWidget           *confirm_end; /* "Terminer" with work not saved */
  GtkWidget           *confirm_end_label;
  GtkWidget           *keep_button;
  GtkWidget           *end_anyway_button;

  /* Borrowed: the application's, they outlive the window */
  StationServices     *services;

  guint                idle_id;
  gint64               idle_timeout; /* µs without a touch that end a session */

  /* "Grand texte": the window's size before it, given back after. */
  gboolean             large;
  int                  small_width;
  int                  small_height;
};

/* The countdown shows this long before the end. */
#define COUNTDOWN_US (30 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (StationWindow, station_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
link_state_cb (RelaisLink    *link,
               GParamSpec    *pspec,
               StationWindow *self)
{
  const char *text;

  /* Discreet, never alarming: the resident does not need to know. */
  switch (relais_link_get_state (link))
    {
    case RELAIS_LINK_ONLINE: text = _ ("● relié"); break;
    case RELAIS_LINK_CONNECTING: text = _ ("○ connexion…"); break;
    case RELAIS_LINK_UNAUTHORIZED: text = _ ("○ poste non enregistré"); break;
    case RELAIS_LINK_OFFLINE:
    default: text = _ ("○ hors ligne"); break;
    }
  gtk_label_set_text (GTK_LABEL (self->link_label), text);
}

const char *
station_window_get_link_text (StationWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->link_label));
}

static gboolean ensure_browser_page (StationWindow *self);

void
station_window_show_page (StationWindow *self,
                          const char    *name)
{
  g_return_if_fail (STATION_IS_WINDOW (self));

  /* The browser, made at the "Internet" tile when it was not made with
   * the session (prewarm=false); the person stays where they are if it
   * cannot be (the module missing: a broken installation). */
  if (g_str_equal (name, "browser") && !ensure_browser_page (self))
    return;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
  gtk_widget_set_visible (self->help_button, !g_str_equal (name, "help"));
  /* A help request says where the person was only from the browser (or
   * the help screen reached from it). */
  if (!g_str_equal (name, "help") && !g_str_equal (name, "browser"))
    station_services_set_help_context (self->services, RELAIS_HELP_CONTEXT_UNKNOWN, NULL);
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

/* win.help: the help button, on every screen. */
static void
help_activate_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       self)
{
  station_window_show_page (self, "help");
}

static void
add_page (StationWindow *self,
          GtkWidget     *page,
          const char    *name)
{
  g_signal_connect (page, "navigate", G_CALLBACK (navigate_cb), self);
  /* A stack shows only visible children; pages are rebuilt after each
   * session, long after the window's first show_all. */
  gtk_widget_show (page);
  gtk_stack_add_named (GTK_STACK (self->stack), page, name);
}

static void populate_pages (StationWindow *self);

static gboolean
ensure_browser_page (StationWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  if (station_window_get_page (self, "browser") != NULL)
    return TRUE;
  page = station_browser_new_page (self->services, &error);
  if (page == NULL)
    {
      g_message ("no browser: %s", error->message);
      return FALSE;
    }
  add_page (self, page, "browser");
  return TRUE;
}

/* The words of the window's own widgets, over every page: built once,
 * they are said again in each language chosen (the pages are rebuilt). */
static void
say_window_words (StationWindow *self)
{
  gtk_button_set_label (GTK_BUTTON (self->help_button), _ ("J'ai besoin d'_aide"));
  gtk_button_set_label (GTK_BUTTON (self->end_button), _ ("_Terminer"));
  gtk_button_set_label (GTK_BUTTON (self->still_here), _ ("Je suis encore _là"));
  gtk_label_set_text (GTK_LABEL (self->confirm_end_label),
                      _ ("Vos pages numérisées ne sont ni imprimées ni enregistrées.\n"
                         "Si vous terminez, elles seront effacées."));
  gtk_button_set_label (GTK_BUTTON (self->keep_button), _ ("_Continuer mon travail"));
  gtk_button_set_label (GTK_BUTTON (self->end_anyway_button), _ ("Terminer et _tout effacer"));
}

static void
start_cb (StationWelcomePage *page,
          const char         *language,
          StationWindow      *self)
{
  /* The session first: the pages rebuilt in @language read it from there
   * (the help page's "Je parle"). */
  station_session_begin (self->services->session, language);
  station_window_set_language (self, language);
  station_window_show_page (self, "home");
}

/* Each screen is rebuilt at the end of a session: whatever a page held
 * (previews, numbers typed, a safe's thumbnails) goes with its widgets. */
static void
populate_pages (StationWindow *self)
{
  StationServices *services = self->services;
  GtkWidget       *welcome = station_welcome_page_new (services);

  g_signal_connect (welcome, "start", G_CALLBACK (start_cb), self);
  add_page (self, welcome, "welcome");
  add_page (self, station_home_page_new (services), "home");
  add_page (self, station_scan_page_new (services), "scan");
  add_page (self, station_copy_page_new (services), "copy");
  add_page (self, station_help_page_new (services), "help");
  add_page (self, station_mail_page_new (services), "mail");
  add_page (self, station_safe_page_new (services), "safe");
  add_page (self, station_usb_page_new (services), "usb");
  add_page (self, station_letter_page_new (services), "letter");
  /* The browser's page loads WebKit (station-browser.c): made only
   * within a session, at its start when the person's browser is made
   * ahead, else at the "Internet" tile. At rest, before the station's
   * first browser, what a stopped station left in the runtime dir goes. */
  if (!station_session_is_active (services->session))
    station_browser_forget_leftovers ();
  else if (relais_config_get_bool (services->config, "browser", "prewarm"))
    ensure_browser_page (self);
}

static void
clear_pages (StationWindow *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->stack));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

void
station_window_set_language (StationWindow *self,
                             const char    *language)
{
  g_return_if_fail (STATION_IS_WINDOW (self));

  if (language == NULL)
    language = "fr";
  /* gettext reads LANGUAGE at each call; the pages are rebuilt so that
   * every label is translated, and Arabic reads from the right. The
   * variable exists since relais_i18n_init (): changing it swaps a pointer
   * that other threads may be reading, it never moves the environment. */
  g_warn_if_fail (g_getenv ("LANGUAGE") != NULL);
  g_setenv ("LANGUAGE", language, TRUE);
  g_free (self->services->language);
  self->services->language = g_strdup (language);
  /* glibc caches translations: textdomain () bumps its catalogue counter,
   * without which a second change of LANGUAGE shows the first one's. */
  textdomain (GETTEXT_PACKAGE);
  gtk_widget_set_default_direction (g_str_equal (language, "ar") ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (GTK_WIDGET (self), g_str_equal (language, "ar") ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  clear_pages (self);
  populate_pages (self);
  say_window_words (self);
  link_state_cb (self->services->link, NULL, self);
}

static void
key_unmounted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!relais_usb_unmount_finish (G_MOUNT (object), result, &error))
    g_message ("USB key left mounted after the session: %s", error->message);
  if (user_data != NULL)
    g_application_release (user_data);
}

/* A key forgotten in the station must not stay readable by the next
 * person: every removable key is unmounted when a session ends. The
 * application (none in the tests) is held until it is: a station that
 * renews its process after the session waits for it (station-application.c). */
static void
unmount_keys (void)
{
  g_autoptr(GVolumeMonitor) monitor = g_volume_monitor_get ();
  GList        *keys = relais_usb_list_keys (monitor);
  GApplication *app = g_application_get_default ();

  for (GList *l = keys; l != NULL; l = l->next)
    {
      if (app != NULL)
        g_application_hold (app);
      relais_usb_unmount_async (l->data, NULL, key_unmounted_cb, app);
    }
  g_list_free_full (keys, g_object_unref);
}

/* The end of a session, whatever ended it: nothing of the resident stays. */
static void
session_ended_cb (StationSession  *session,
                  StationEndReason reason,
                  StationWindow   *self)
{
  GtkClipboard *clipboard = gtk_clipboard_get (GDK_SELECTION_CLIPBOARD);
  GtkClipboard *primary = gtk_clipboard_get (GDK_SELECTION_PRIMARY);
  g_autoptr(GError) error = NULL;

  gtk_clipboard_set_text (clipboard, "", 0);
  gtk_clipboard_clear (clipboard);
  gtk_clipboard_set_text (primary, "", 0);
  gtk_clipboard_clear (primary);
  if (gtk_recent_manager_purge_items (gtk_recent_manager_get_default (), &error) < 0)
    g_message ("recent files not purged: %s", error->message);
  unmount_keys ();
  gtk_widget_hide (self->countdown);
  gtk_widget_hide (self->confirm_end);
  /* Back in French, ordinary text, for the next person. */
  gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-large");
  gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-contrast");
  station_window_set_language (self, "fr");
  station_window_show_page (self, "welcome");
}

static void
session_started_cb (StationSession *session,
                    StationWindow  *self)
{
  gtk_widget_show (self->end_button);
}

/* Runs every second, and by tests after moving their clock. */
void
station_window_check_idle (StationWindow *self)
{
  StationSession *session = self->services->session;
  gint64          idle = station_session_idle_for (session);
  gint64          left = self->idle_timeout - idle;

  if (!station_session_is_active (session))
    {
      gtk_widget_hide (self->countdown);
      gtk_widget_hide (self->end_button);
      station_services_report_countdown (self->services, -1);
      return;
    }
  if (left <= 0)
    {
      station_session_end (session, STATION_END_TIMEOUT);
      return;
    }
  if (left <= COUNTDOWN_US)
    {
      g_autofree char *text = g_strdup_printf (_ ("Êtes-vous encore là ?\nLa séance se termine dans %d s\net tout sera effacé."),
                                               (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
      gtk_label_set_text (GTK_LABEL (self->countdown_label), text);
      gtk_widget_show (self->countdown);
      station_services_report_countdown (self->services, (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
    }
  else
    {
      gtk_widget_hide (self->countdown);
      station_services_report_countdown (self->services, -1);
    }
}

gboolean
station_window_is_counting_down (StationWindow *self)
{
  return gtk_widget_get_visible (self->countdown);
}

static gboolean
idle_tick_cb (gpointer user_data)
{
  station_window_check_idle (user_data);
  return G_SOURCE_CONTINUE;
}

/* win.still-here: "Je suis encore là", under the countdown. */
static void
still_here_activate_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  StationWindow *self = user_data;

  station_session_touch (self->services->session);
  gtk_widget_hide (self->countdown);
  station_services_report_countdown (self->services, -1);
}

/* Scanned pages not printed nor saved, a scan waiting for the safe: what
 * "Terminer" would wipe without the resident meaning it. */
static gboolean
has_unsaved_work (StationWindow *self)
{
  GtkWidget *scan = station_window_get_page (self, "scan");
  GtkWidget *safe = station_window_get_page (self, "safe");

  return (scan != NULL && station_scan_page_has_unsaved_work (STATION_SCAN_PAGE (scan)))
         || (safe != NULL && station_safe_page_has_unsaved_work (STATION_SAFE_PAGE (safe)));
}

/* win.end: "Terminer". */
static void
end_activate_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StationWindow *self = user_data;

  if (has_unsaved_work (self))
    {
      gtk_widget_show (self->confirm_end);
      return;
    }
  station_session_end (self->services->session, STATION_END_BUTTON);
}

/* win.end-anyway: "Terminer et tout effacer". */
static void
end_anyway_activate_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  StationWindow *self = user_data;

  gtk_widget_hide (self->confirm_end);
  station_session_end (self->services->session, STATION_END_BUTTON);
}

/* win.keep-working: "Continuer mon travail". */
static void
keep_working_activate_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  StationWindow *self = user_data;

  gtk_widget_hide (self->confirm_end);
}

gboolean
station_window_is_asking_to_end (StationWindow *self)
{
  return gtk_widget_get_visible (self->confirm_end);
}

static void
main_do_event (GdkEvent *event,
               gpointer  data)
{
  gtk_main_do_event (event);
}

/* Every key, click or touch anywhere counts as "still here". */
static void
event_handler (GdkEvent *event,
               gpointer  data)
{
  StationWindow *self = data;

  switch (event->type)
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_SCROLL:
      if (self->services != NULL)
        station_session_touch (self->services->session);
      break;
    default:
      break;
    }
  gtk_main_do_event (event);
}

/* Larger text needs a larger window when it is not full screen (within
 * the screen: every page fits 1280 × 800 in large text); back to
 * ordinary text, the window is given back its size, as GTK never shrinks
 * a window by itself. */
static void
style_updated_cb (StationWindow *self)
{
  gboolean large = gtk_style_context_has_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-large");

  if (large == self->large)
    return;
  self->large = large;
  if (large)
    gtk_window_get_size (GTK_WINDOW (self), &self->small_width, &self->small_height);
  else if (self->small_width > 0)
    gtk_window_resize (GTK_WINDOW (self), self->small_width, self->small_height);
}

static void
station_window_dispose (GObject *object)
{
  StationWindow *self = STATION_WINDOW (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  /* The link's and the session's handlers go with the window
   * (g_signal_connect_object); the event handler is the process's. */
  if (self->services != NULL)
    gdk_event_handler_set (main_do_event, NULL, NULL);
  self->services = NULL;
  G_OBJECT_CLASS (station_window_parent_class)->dispose (object);
}

static void
station_window_constructed (GObject *object)
{
  StationWindow   *self = STATION_WINDOW (object);
  StationServices *services = self->services;

  G_OBJECT_CLASS (station_window_parent_class)->constructed (object);

  g_return_if_fail (services != NULL);

  gtk_label_set_text (GTK_LABEL (self->name_label), services->station_name);
  populate_pages (self);
  say_window_words (self);
  self->idle_timeout = (gint64) MAX (10, relais_config_get_int (services->config, "station", "idle-timeout")) * G_USEC_PER_SEC;
  g_signal_connect_object (services->session, "ended", G_CALLBACK (session_ended_cb), self, 0);
  g_signal_connect_object (services->session, "started", G_CALLBACK (session_started_cb), self, 0);
  gdk_event_handler_set (event_handler, self, NULL);
  self->idle_id = g_timeout_add_seconds (1, idle_tick_cb, self);
  g_signal_connect (self, "style-updated", G_CALLBACK (style_updated_cb), NULL);

  g_signal_connect_object (services->link, "notify::state", G_CALLBACK (link_state_cb), self, 0);
  link_state_cb (services->link, NULL, self);
}

static void
station_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StationWindow *self = STATION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      g_value_set_object (value, self->services);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StationWindow *self = STATION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      self->services = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_window_class_init (StationWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = station_window_dispose;
  object_class->constructed = station_window_constructed;
  object_class->get_property = station_window_get_property;
  object_class->set_property = station_window_set_property;

  /* Borrowed: they must outlive the window. */
  properties[PROP_SERVICES] =
      g_param_spec_object ("services", NULL, NULL, STATION_TYPE_SERVICES,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StationWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, link_label);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, help_button);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, end_button);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, countdown);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, still_here);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, confirm_end);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, confirm_end_label);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, keep_button);
  gtk_widget_class_bind_template_child (widget_class, StationWindow, end_anyway_button);
}

static void
station_window_init (StationWindow *self)
{
  /* What the window's own buttons do (tests may activate them too). */
  static const GActionEntry actions[] = {
    { .name = "help", .activate = help_activate_cb },
    { .name = "end", .activate = end_activate_cb },
    { .name = "end-anyway", .activate = end_anyway_activate_cb },
    { .name = "keep-working", .activate = keep_working_activate_cb },
    { .name = "still-here", .activate = still_here_activate_cb },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  station_label_wrap (self->confirm_end_label, 44);
}

StationWindow *
station_window_new (GtkApplication  *application,
                    StationServices *services)
{
  StationWindow *self = g_object_new (STATION_TYPE_WINDOW,
                                      "application", application,
                                      "services", services,
                                      NULL);

  /* As before the template: everything shown, then the countdown and
   * "Terminer" hidden until needed; but not inside the pages, shown each
   * as its template says (add_page ()), the first ones as every later
   * one: a page hides some of its widgets until needed ("Appeler un
   * médiateur" under a problem), and shown they made a station just
   * started (or renewed, station-application.c) taller in large text
   * than the screen (journeys-languages). */
  gtk_widget_set_no_show_all (self->stack, TRUE);
  gtk_widget_show_all (GTK_WIDGET (self));
  gtk_widget_set_no_show_all (self->stack, FALSE);
  gtk_widget_show (self->stack);
  gtk_widget_hide (self->countdown);
  gtk_widget_hide (self->end_button);
  station_window_show_page (self, "welcome");
  return self;
}
