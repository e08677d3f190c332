/* test-safe-ui.c: "Mon coffre-fort" on the kiosk under Xvfb, with the hub
 * on loopback: open with the card's number and PIN, put a scan in from
 * the scan page's hook, see its thumbnail, view it, read the journal;
 * with the hub down, the scan is sealed and waits. Screenshots kept. */
#include <glib/gstdio.h>

#include "relais-pdf.h"
#include "relais-safe-client.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-i18n.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-safe-page.h"
#include "station-safe-page-private.h"
#include "station-window.h"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *window;
static char            *number;

static gboolean
page_idle (gpointer page)
{
  return !station_safe_page_is_busy (page);
}

/* A letter-like page with a big title, so the thumbnail shows something. */
static GBytes *
letter_pdf (const char *title)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
  g_autoptr(GError) error = NULL;
  int              width = 1240, height = 1754; /* A4 at 150 dpi */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t         *cr = cairo_create (surface);
  guint8          *gray = g_malloc (width * height);
  GBytes          *pdf;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.2, 0.5);
  cairo_rectangle (cr, 100, 100, 400, 120);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 90);
  cairo_move_to (cr, 100, 400);
  cairo_show_text (cr, title);
  cairo_set_font_size (cr, 30);
  for (int y = 520; y < 1500; y += 50)
    {
      cairo_move_to (cr, 100, y);
      cairo_show_text (cr, "Madame, Monsieur, votre situation a été examinée le 12 mars.");
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = ((guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)))[x];
        gray[y * width + x] = (((px >> 16) & 0xff) + ((px >> 8) & 0xff) + (px & 0xff)) / 3;
      }
  cairo_surface_destroy (surface);
  g_ptr_array_add (pages, relais_page_new (RELAIS_PAGE_GRAY, width, height, width, 150,
                                           g_bytes_new_take (gray, width * height)));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);
  return pdf;
}

/* A mediator creates a safe and gives its card: the number, returned,
 * and the code written on it, in *@code. */
static char *
create_safe_unopened (char **code)
{
  g_autoptr(RelaisLink) console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);

  return relais_test_safe_create (console, code);
}

/* A mediator creates the safe; the resident chose the PIN 4821. */
static void
create_safe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeClient) client = NULL;
  g_autofree char *code = NULL;

  number = create_safe_unopened (&code);
  client = relais_safe_client_new (services->link, NULL, &error);
  g_assert_no_error (error);
  relais_test_safe_activate (client, number, code, "4821", TRUE);
}

static void
test_open_add_view (void)
{
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  g_autoptr(GBytes) pdf = letter_pdf ("Avis d'impôt");
  g_autofree char *shot = NULL;

  station_window_show_page (window, "safe");
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-login");

  /* The scan page's button hands the PDF over, as it will call it. */
  station_safe_page_deliver (station_window_get_page (window, "scan"), pdf);
  g_assert_true (station_window_get_page (window, "safe") == GTK_WIDGET (page));
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "category");
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-category");
  station_safe_page_choose_category (page, "impots");
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "login");

  /* A wrong PIN first: said plainly, with the tries left. */
  station_safe_page_open (page, number, "1111");
  g_assert_true (relais_test_wait (page_idle, page));
  g_test_message ("%s", station_safe_page_get_status (page));
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "4 essais"));

  station_safe_page_open (page, number, "4821");
  /* Opening takes a moment: something moves meanwhile. */
  {
    GtkWidget *bar = page->progress;

    relais_test_ui_settle (50);
    g_assert_true (station_safe_page_is_busy (page));
    g_assert_true (GTK_IS_PROGRESS_BAR (bar) && gtk_widget_is_drawable (bar));
  }
  /* open, then add, then load: wait for the list. */
  while (!g_str_equal (station_safe_page_get_screen (page), "list") || station_safe_page_is_busy (page))
    {
      g_assert_true (relais_test_wait (page_idle, page));
      relais_test_ui_settle (50);
    }
  g_assert_cmpuint (station_safe_page_get_n_documents (page), ==, 1);
  relais_test_ui_settle (300);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-list");
  /* The list, its buttons and the keypad screens fit the kiosk's
   * 1280 × 800 under the window's header. */
  {
    int min = 0, natural = 0;

    gtk_widget_get_preferred_height (GTK_WIDGET (page), &min, &natural);
    g_test_message ("safe page: %d px high at least", min);
    g_assert_cmpint (min, <=, 640);
  }
}

static GtkWidget *
visible_screen (StationSafePage *page)
{
  return gtk_stack_get_visible_child (GTK_STACK (page->stack));
}

/* Touching a field sends the keypad's digits there, and only there. */
static void
test_keypad_follows_touch (void)
{
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  g_autofree char *shot = NULL;

  station_window_show_page (window, "safe");
  _station_safe_page_show_screen (page, "code");
  relais_test_ui_settle (400);

  relais_test_ui_touch (page->new_pin2_entry);
  relais_test_ui_touch (relais_test_ui_find_key (visible_screen (page), "5"));
  relais_test_ui_touch (relais_test_ui_find_key (visible_screen (page), "7"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-keypad-touch");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->new_pin2_entry)), ==, "57");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->code_entry)), ==, "");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->new_pin_entry)), ==, "");

  /* Back to the first field: the digits follow the finger. */
  relais_test_ui_touch (page->code_entry);
  relais_test_ui_touch (relais_test_ui_find_key (visible_screen (page), "1"));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->code_entry)), ==, "1");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->new_pin2_entry)), ==, "57");

  gtk_entry_set_text (GTK_ENTRY (page->code_entry), "");
  gtk_entry_set_text (GTK_ENTRY (page->new_pin2_entry), "");
  _station_safe_page_show_screen (page, "login");
}

static void
type_on_keypad (StationSafePage *page,
                const char      *digits)
{
  for (const char *d = digits; *d != '\0'; d++)
    {
      char key[2] = { *d, '\0' };

      relais_test_ui_touch (relais_test_ui_find_key (visible_screen (page), key));
    }
}

/* When the page asks for a field again, the focus ring goes there, and so
 * do the keypad's digits: never one field lit and another filled. */
static void
test_keypad_types_where_focus_is (void)
{
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  GtkWidget       *focus;
  g_autofree char *before = NULL;

  station_window_show_page (window, "safe");
  _station_safe_page_show_screen (page, "code");
  relais_test_ui_settle (400);
  relais_test_ui_touch (page->code_entry);
  type_on_keypad (page, "123456");
  relais_test_ui_touch (page->new_pin_entry);
  type_on_keypad (page, "2468");
  relais_test_ui_touch (page->new_pin2_entry);
  type_on_keypad (page, "2469");
  /* Two different codes: the page says so and asks again. */
  relais_test_ui_touch (relais_test_ui_find_named (visible_screen (page), "Choisir ce code secret"));
  g_test_message ("%s", station_safe_page_get_status (page));
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (GTK_IS_ENTRY (focus));
  before = g_strdup (gtk_entry_get_text (GTK_ENTRY (focus)));
  type_on_keypad (page, "5");
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == focus);
  g_assert_cmpuint (strlen (gtk_entry_get_text (GTK_ENTRY (focus))), ==, strlen (before) + 1);

  gtk_entry_set_text (GTK_ENTRY (page->code_entry), "");
  gtk_entry_set_text (GTK_ENTRY (page->new_pin_entry), "");
  gtk_entry_set_text (GTK_ENTRY (page->new_pin2_entry), "");
  _station_safe_page_show_screen (page, "login");
}

/* The text of the label in front of @entry on its screen's grid. */
static const char *
label_of (GtkWidget *entry)
{
  GtkWidget *grid = gtk_widget_get_parent (entry);
  int        top = 0;

  gtk_container_child_get (GTK_CONTAINER (grid), entry, "top-attach", &top, NULL);
  return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 0, top)));
}

/* A first opening, by touch only: the number, then the code written on
 * the card, asked once and called so, then the secret code chosen. */
static void
test_first_opening (void)
{
  StationSafePage *page;
  g_autofree char *shot = NULL;
  g_autofree char *code = NULL;
  g_autofree char *fresh = create_safe_unopened (&code);

  station_window_set_language (window, "fr");
  page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  station_window_show_page (window, "safe");
  relais_test_ui_settle (400);
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "login");
  /* Nothing secret is asked before the station knows the safe. */
  g_assert_false (gtk_widget_is_drawable (page->pin_entry));

  relais_test_ui_touch (page->number_entry);
  type_on_keypad (page, fresh);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (page->number_entry)), ==, fresh);
  relais_test_ui_touch (relais_test_ui_find_named (visible_screen (page), "Continuer"));
  g_assert_true (relais_test_wait (page_idle, page));
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "code");
  relais_test_ui_settle (400);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-first-opening");
  g_test_message ("%s / %s / %s", label_of (page->code_entry), label_of (page->new_pin_entry),
                  label_of (page->new_pin2_entry));
  g_assert_nonnull (strstr (label_of (page->code_entry), "carte"));
  g_assert_null (strstr (label_of (page->code_entry), "secret"));

  relais_test_ui_touch (page->code_entry);
  type_on_keypad (page, code);
  relais_test_ui_touch (page->new_pin_entry);
  type_on_keypad (page, "2468");
  relais_test_ui_touch (page->new_pin2_entry);
  type_on_keypad (page, "2468");
  relais_test_ui_touch (relais_test_ui_find_named (visible_screen (page), "Choisir ce code secret"));
  while (!g_str_equal (station_safe_page_get_screen (page), "list") || station_safe_page_is_busy (page))
    {
      g_assert_true (relais_test_wait (page_idle, page));
      relais_test_ui_settle (50);
      g_assert_cmpstr (station_safe_page_get_screen (page), !=, "code");
    }
  g_test_message ("%s", station_safe_page_get_status (page));
}

static void
test_offline_deposit (void)
{
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  g_autoptr(GBytes) pdf = letter_pdf ("Bulletin de paie");
  g_autofree char *shot = NULL;

  /* A new session: the page is new, nothing of the last one is shown. */
  station_window_set_language (window, "fr");
  page = STATION_SAFE_PAGE (station_window_get_page (window, "safe"));
  g_assert_cmpuint (station_safe_page_get_n_documents (page), ==, 0);
  station_window_show_page (window, "safe");

  relais_test_hub_stop (hub);
  station_safe_page_add_document (page, pdf);
  station_safe_page_choose_category (page, "ressources");
  station_safe_page_open (page, number, "");
  g_assert_true (relais_test_wait (page_idle, page));
  g_test_message ("%s", station_safe_page_get_status (page));
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "dès que le réseau reviendra"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-safe-offline");
  relais_test_hub_start (hub);
}

int
main (int argc, char **argv)
{
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  services = relais_test_station_services_new (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });
  window = relais_test_station_window_new (services);
  create_safe ();

  g_test_add_func ("/safe-ui/open-add-view", test_open_add_view);
  g_test_add_func ("/safe-ui/keypad-follows-touch", test_keypad_follows_touch);
  g_test_add_func ("/safe-ui/keypad-types-where-focus-is", test_keypad_types_where_focus_is);
  g_test_add_func ("/safe-ui/first-opening", test_first_opening);
  g_test_add_func ("/safe-ui/offline-deposit", test_offline_deposit);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  g_free (number);
  return rc;
}
