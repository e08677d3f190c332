/* test-station-touch-session.c: "Terminer" asks before it wipes unsaved
 * work and stays away from "J'ai besoin d'aide", the words over every page
 * follow the language, a pile through the feeder. Part of
 * test-station-touch.c. */
#include "test-station-touch.h"

/* ---- "Terminer" ---- */

static void
set_scanner (const char *name,
             const char *value)
{
  g_autoptr(GError) error = NULL;

  relais_scanner_sane_set_option_string (services->scanner, name, value, &error);
  g_assert_no_error (error);
}

static gboolean
scan_page_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

/* Scanned pages not printed nor saved: "Terminer" asks before wiping
 * them, and the resident can go back to them. */
void
test_end_asks_first (void)
{
  StationScanPage *page;
  g_autofree char *shot = NULL;

  station_window_set_language (window, "fr");
  station_session_begin (services->session, "fr");
  station_window_show_page (window, "scan");
  page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 1);

  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Terminer"));
  g_assert_true (station_session_is_active (services->session));
  g_assert_true (station_window_is_asking_to_end (window));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "touch-fr-end-asks");
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Continuer mon travail"));
  g_assert_false (station_window_is_asking_to_end (window));
  g_assert_true (station_session_is_active (services->session));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 1);

  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Terminer"));
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Terminer et tout effacer"));
  g_assert_false (station_session_is_active (services->session));

  /* Nothing to lose: it ends at once. */
  station_session_begin (services->session, "fr");
  station_window_show_page (window, "home");
  settle_on_page ();
  relais_test_ui_touch (relais_test_ui_find_named (GTK_WIDGET (window), "Terminer"));
  g_assert_false (station_window_is_asking_to_end (window));
  g_assert_false (station_session_is_active (services->session));
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
}

/* The words over every page (the idle countdown, « Terminer » asking
 * first) belong to the window, built once: they follow the language the
 * resident chose, as the pages do. */
void
test_overlays_follow_language (void)
{
  static const char * const words[] = {
    "Je suis encore _là",
    "_Continuer mon travail",
    "Terminer et _tout effacer",
    "Vos pages numérisées ne sont ni imprimées ni enregistrées.\nSi vous terminez, elles seront effacées.",
  };
  guint translated = 0;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      station_window_set_language (window, languages[l]);
      for (guint i = 0; i < G_N_ELEMENTS (words); i++)
        {
          const char *said = g_dgettext ("relais", words[i]);

          if (said == words[i])
            continue; /* not in this catalogue yet: French is all it has */
          translated++;
          if (!relais_test_ui_has_text (GTK_WIDGET (window), said))
            g_error ("%s: « %s » not said as « %s »", languages[l], words[i], said);
        }
    }
  station_window_set_language (window, "fr");
  /* Arabic and Turkish at least have these words. */
  g_assert_cmpuint (translated, >=, 2 * G_N_ELEMENTS (words));
}

static int
centre_x (GtkWidget *widget)
{
  int x = 0, y = 0;

  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (window), gtk_widget_get_allocated_width (widget) / 2,
                                                   0, &x, &y));
  return x;
}

/* The header bar's button with style class @css_class. */
static GtkWidget *
header_button (const char *css_class)
{
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (window));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (header));

  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_BUTTON (l->data) && gtk_style_context_has_class (gtk_widget_get_style_context (l->data), css_class))
      return l->data;
  g_error ("no %s button in the header", css_class);
}

/* "Terminer" wipes everything, "J'ai besoin d'aide" is touched in a
 * hurry: never side by side, in either reading direction. */
void
test_end_away_from_help (void)
{
  for (guint i = 0; i < 2; i++)
    {
      const char      *language = i == 0 ? "fr" : "ar";
      g_autofree char *name = g_strdup_printf ("touch-%s-header", language);
      g_autofree char *shot = NULL;
      GtkWidget       *end;
      GtkWidget       *help;
      int              distance;

      station_window_set_language (window, language);
      station_session_begin (services->session, language);
      station_window_show_page (window, "home");
      settle_on_page ();
      end = header_button ("relais-big-button");
      help = header_button ("relais-help-button");
      g_assert_true (gtk_widget_is_drawable (end));
      g_assert_true (gtk_widget_is_drawable (help));
      distance = ABS (centre_x (end) - centre_x (help));
      g_test_message ("%s: « %s » and « %s » %d px apart", language, gtk_button_get_label (GTK_BUTTON (end)),
                      gtk_button_get_label (GTK_BUTTON (help)), distance);
      g_assert_cmpint (distance, >=, SCREEN_WIDTH / 2);
      shot = relais_test_ui_screenshot (GTK_WIDGET (window), name);
      station_session_end (services->session, STATION_END_BUTTON);
    }
}

/* A pile through the feeder: the bar never goes back, and every page's
 * thumbnail can be seen, the last one without scrolling. */
static void
fraction_cb (GtkProgressBar *bar,
             GParamSpec     *pspec,
             double         *last)
{
  double now = gtk_progress_bar_get_fraction (bar);

  if (now < last[0])
    last[1] += 1;
  last[0] = now;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  g_autoptr(GList) children = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_type (l->data, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
test_feeder (void)
{
  StationScanPage *page;
  GtkWidget       *bar;
  GtkWidget       *last_thumb;
  GtkWidget       *viewport;
  double           last[2] = { 0, 0 };
  g_autofree char *shot = NULL;
  int              x = 0, y = 0;

  station_window_set_language (window, "fr");
  station_session_begin (services->session, "fr");
  station_window_show_page (window, "scan");
  page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  bar = find_type (GTK_WIDGET (page), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (bar);
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  /* Each sheet slow enough (about 0.2 s) for the bar to move during it. */
  set_scanner ("read-delay", "yes");
  set_scanner ("read-delay-duration", "30000");
  /* The test backend's feeder holds 10 sheets, counted from its last
   * refill: a first batch empties it, the second has all 10. */
  station_scan_page_set_options (page, RELAIS_SCAN_COLOR, TRUE, FALSE, 1);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  station_scan_page_clear (page);
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (fraction_cb), last);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_signal_handlers_disconnect_by_func (bar, fraction_cb, last);
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 10);
  g_test_message ("the bar went back %g times", last[1]);
  g_assert_cmpfloat (last[1], ==, 0);

  settle_on_page ();
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "touch-fr-feeder-10-pages");
  last_thumb = relais_test_ui_find_named (GTK_WIDGET (page), "Page 10");
  viewport = gtk_widget_get_ancestor (last_thumb, GTK_TYPE_VIEWPORT);
  g_assert_nonnull (viewport);
  g_assert_true (gtk_widget_translate_coordinates (last_thumb, viewport, 0, 0, &x, &y));
  g_test_message ("page 10's thumbnail at %d,%d in a %d × %d view", x, y, gtk_widget_get_allocated_width (viewport),
                  gtk_widget_get_allocated_height (viewport));
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x + gtk_widget_get_allocated_width (last_thumb), <=, gtk_widget_get_allocated_width (viewport));
  g_assert_cmpint (y + gtk_widget_get_allocated_height (last_thumb), <=, gtk_widget_get_allocated_height (viewport));

  station_scan_page_clear (page);
  station_scan_page_set_options (page, RELAIS_SCAN_COLOR, FALSE, FALSE, 1);
  set_scanner ("read-delay", "no");
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_session_end (services->session, STATION_END_BUTTON);
}
