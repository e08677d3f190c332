/* test-station-touch.c: the kiosk under Xvfb at 1280 × 800, as a resident
 * with only a finger meets it: every screen of every page, in the seven
 * languages, with and without "Grand texte". Every control a finger can
 * reach is at least 48 × 48 px and has a name a screen reader speaks; no
 * screen is wider or taller than the screen; large text turned off gives
 * the window its size back. Screenshots kept.
 *
 * This file: walking a screen's controls, showing each screen, the targets'
 * size and main (). By concern: test-station-touch-screens.c (each screen's
 * size, screenshots, plain words), test-station-touch-input.c (every field
 * by touch alone, no menu), test-station-touch-session.c ("Terminer", the
 * overlays, the feeder); see test-station-touch.h. */
#include "test-station-touch.h"

static RelaisTestHub *hub;
StationServices      *services;
StationWindow        *window;
GFile                *key; /* a folder standing for a USB key */

const char * const    languages[N_LANGUAGES] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

/* ---- what a finger can touch ---- */

gboolean
is_interactive (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SWITCH (widget)
      || GTK_IS_COMBO_BOX (widget) || GTK_IS_SCALE (widget))
    return TRUE;
  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));
  if (GTK_IS_FLOW_BOX_CHILD (widget))
    {
      GtkWidget *box = gtk_widget_get_parent (widget);

      return GTK_IS_FLOW_BOX (box) && gtk_flow_box_get_selection_mode (GTK_FLOW_BOX (box)) != GTK_SELECTION_NONE;
    }
  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));
  const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  return g_strdup_printf ("%s « %s »", G_OBJECT_TYPE_NAME (widget),
                          name != NULL && *name != '\0' ? name : label != NULL ? label
                                                                               : "?");
}

static void
walk_child (GtkWidget *child,
            gpointer   data)
{
  walk (child, data);
}

void
walk (GtkWidget *widget,
      Walk      *w)
{
  /* What is on the screen now: a stack's other pages are not. */
  if (!gtk_widget_is_drawable (widget))
    return;
  if (is_interactive (widget))
    {
      int              width = gtk_widget_get_allocated_width (widget);
      int              height = gtk_widget_get_allocated_height (widget);
      const char      *name = atk_object_get_name (gtk_widget_get_accessible (widget));
      g_autofree char *what = describe (widget);

      w->checked++;
      if (width < MIN_TARGET || height < MIN_TARGET)
        g_ptr_array_add (w->problems, g_strdup_printf ("%s: %s is %d × %d px", w->where, what, width, height));
      if (name == NULL || *name == '\0')
        g_ptr_array_add (w->problems, g_strdup_printf ("%s: %s has no accessible name", w->where, what));
      /* A button's insides are the button's. */
      if (GTK_IS_BUTTON (widget))
        return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), walk_child, w);
}

/* ---- the screens ---- */

void
set_large_text (gboolean large)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (window));

  if (large)
    gtk_style_context_add_class (style, "relais-large");
  else
    gtk_style_context_remove_class (style, "relais-large");
}

static void
show_page (const char *name)
{
  station_window_show_page (window, name);
}

static void
show_safe (const char *screen)
{
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));

  station_window_show_page (window, "safe");
  _station_safe_page_show_screen (page, screen);
}

static gboolean
usb_idle (gpointer page)
{
  return !station_usb_page_is_busy (page);
}

/* The USB page with a three-page document chosen: its page list too. */
static void
show_usb_document (const char *arg)
{
  StationUsbPage *page = STATION_USB_PAGE (station_window_get_page (window, "usb"));

  station_window_show_page (window, "usb");
  station_usb_page_set_root (page, key);
  g_assert_true (relais_test_wait (usb_idle, page));
  station_usb_page_select (page, 0);
  g_assert_true (relais_test_wait (usb_idle, page));
  g_assert_cmpint (station_usb_page_get_n_pages (page), ==, 3);
}

const TouchScreen screens[N_SCREENS] = {
  { "welcome", show_page, "welcome" },
  { "home", show_page, "home" },
  { "scan", show_page, "scan" },
  { "copy", show_page, "copy" },
  { "usb", show_page, "usb" },
  { "usb-document", show_usb_document, NULL },
  { "mail", show_page, "mail" },
  { "help", show_page, "help" },
  { "safe-login", show_safe, "login" },
  { "safe-code", show_safe, "code" },
  { "safe-category", show_safe, "category" },
  { "safe-list", show_safe, "list" },
  { "safe-consent", show_safe, "consent" },
  { "safe-pin", show_safe, "pin" },
  { "safe-journal", show_safe, "journal" },
};

/* Whether a control on screen has not had its first layout yet (GTK gives
 * 1 × 1 px until then). */
static void
awaits_layout_child (GtkWidget *widget,
                     gpointer   data)
{
  gboolean *awaits = data;

  if (*awaits || !gtk_widget_is_drawable (widget))
    return;
  if (is_interactive (widget) && gtk_widget_get_allocated_width (widget) <= 1)
    *awaits = TRUE;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), awaits_layout_child, awaits);
}

static gboolean
awaits_layout (GtkWidget *widget)
{
  gboolean awaits = FALSE;

  awaits_layout_child (widget, &awaits);
  return awaits;
}

/* The stack slides: the new page is laid out once it is in (a page just
 * rebuilt has no size before its first layout). On a loaded machine the
 * layout of its controls may come frames later: wait for them too, so a
 * control is never measured before GTK has sized it. */
void
settle_on_page (void)
{
  GtkWidget *stack = gtk_widget_get_parent (station_window_get_page (window, "home"));

  relais_test_ui_settle (60);
  for (guint i = 0; i < 150 && (gtk_stack_get_transition_running (GTK_STACK (stack)) || gtk_widget_get_allocated_width (gtk_stack_get_visible_child (GTK_STACK (stack))) <= 1 || awaits_layout (GTK_WIDGET (window)));
       i++)
    relais_test_ui_settle (100);
}

void
each_screen (const char *language,
             gboolean    large,
             CheckScreen check,
             gpointer    data)
{
  station_window_set_language (window, language);
  station_session_begin (services->session, language);
  set_large_text (large);
  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s%s %s", language, large ? " large" : "", screens[i].name);

      screens[i].show (screens[i].arg);
      settle_on_page ();
      check (where, data);
    }
  set_large_text (FALSE);
  station_session_end (services->session, STATION_END_BUTTON);
}

static void
check_targets (const char *where,
               gpointer    data)
{
  Walk *w = data;

  w->where = where;
  walk (GTK_WIDGET (window), w);
}

void
report (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Every control on every screen: 48 × 48 px at least, and a name. */
static void
test_targets (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (int large = 0; large <= 1; large++)
      {
        Walk w = { NULL, problems, 0 };

        each_screen (languages[l], large, check_targets, &w);
        g_test_message ("%s%s: %u controls checked", languages[l], large ? " large" : "", w.checked);
        g_assert_cmpuint (w.checked, >, 50);
      }
  report (problems);
}

/* A folder holding a three-page PDF, as a resident's key would. */
static GFile *
make_key (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-key-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "attestation.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t         *cr = cairo_create (surface);

  for (int i = 0; i < 3; i++)
    {
      cairo_move_to (cr, 72, 100);
      cairo_set_font_size (cr, 24);
      cairo_show_text (cr, "Attestation");
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return g_file_new_for_path (dir);
}

int
main (int argc, char **argv)
{
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  key = make_key ();
  services = relais_test_station_services_new (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });
  station_services_set_probe_interval (services, 0);
  window = relais_test_station_window_new (services);
  /* Every screen is looked at, many times: no slide between them. */
  gtk_stack_set_transition_type (GTK_STACK (gtk_widget_get_parent (station_window_get_page (window, "home"))),
                                 GTK_STACK_TRANSITION_TYPE_NONE);

  g_test_add_func ("/station-touch/targets", test_targets);
  g_test_add_func ("/station-touch/fits", test_fits);
  g_test_add_func ("/station-touch/shrinks-back", test_shrinks_back);
  g_test_add_func ("/station-touch/screenshots", test_screenshots);
  g_test_add_func ("/station-touch/fields", test_fields);
  g_test_add_func ("/station-touch/plain-words", test_plain_words);
  g_test_add_func ("/station-touch/end-asks-first", test_end_asks_first);
  g_test_add_func ("/station-touch/overlays-follow-language", test_overlays_follow_language);
  g_test_add_func ("/station-touch/end-away-from-help", test_end_away_from_help);
  g_test_add_func ("/station-touch/feeder", test_feeder);
  g_test_add_func ("/station-touch/keyboards", test_keyboards);
  g_test_add_func ("/station-touch/date-keypad", test_date_keypad);
  /* Last: it checks what every test before it did too. */
  g_test_add_func ("/station-touch/no-menu-no-file-chooser", test_no_menu_no_file_chooser);
  if (g_getenv ("RELAIS_TEST_PAGE_SIZES") != NULL)
    g_test_add_func ("/station-touch/page-sizes", test_page_sizes);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  return rc;
}
