/* test-station-touch.c: the kiosk under Xvfb at 1280 × 800, as a resident
 * with only a finger meets it: every screen of every page, in the seven
 * languages, with and without "Grand texte". Every control a finger can
 * reach is at least 48 × 48 px and has a name a screen reader speaks; no
 * screen is wider or taller than the screen; large text turned off gives
 * the window its size back. Screenshots kept. */
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <gdk/gdkx.h>
#include <X11/extensions/XTest.h>

#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-scan-page.h"
#include "station-usb-page.h"
#include "station-safe-page-private.h"
#include "station-window.h"
#include "station-keyboard.h"
#include "station-keypad.h"

/* The smallest screen a station has (Xvfb runs at this size). */
#define SCREEN_WIDTH 1280
#define SCREEN_HEIGHT 800
/* Full screen the station has all of it; in a window on a desktop (the
 * demo, the journeys) its frame takes a few pixels. */
#define FRAME 10
/* The smallest target a finger hits without aiming (WCAG 2.5.5 asks 44). */
#define MIN_TARGET 48

static RelaisTestHub *hub;
static StationServices *services;
static StationWindow *window;
static GFile *key;             /* a folder standing for a USB key */

static const char * const languages[] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

/* ---- what a finger can touch ---- */

static gboolean
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
                          name != NULL && *name != '\0' ? name : label != NULL ? label : "?");
}

typedef struct {
  const char *where;
  GPtrArray  *problems;   /* char* */
  guint       checked;
} Walk;

static void walk (GtkWidget *widget, Walk *walk);

static void
walk_child (GtkWidget *child,
            gpointer   data)
{
  walk (child, data);
}

static void
walk (GtkWidget *widget,
      Walk      *w)
{
  /* What is on the screen now: a stack's other pages are not. */
  if (!gtk_widget_is_drawable (widget))
    return;
  if (is_interactive (widget))
    {
      int width = gtk_widget_get_allocated_width (widget);
      int height = gtk_widget_get_allocated_height (widget);
      const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));
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

static void
set_large_text (gboolean large)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (window));

  if (large)
    gtk_style_context_add_class (style, "relais-large");
  else
    gtk_style_context_remove_class (style, "relais-large");
}

typedef void (*ShowScreen) (const char *arg);

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

static const struct {
  const char *name;
  ShowScreen  show;
  const char *arg;
} screens[] = {
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
static void
settle_on_page (void)
{
  GtkWidget *stack = gtk_widget_get_parent (station_window_get_page (window, "home"));

  relais_test_ui_settle (60);
  for (guint i = 0; i < 150 && (gtk_stack_get_transition_running (GTK_STACK (stack))
                                || gtk_widget_get_allocated_width (gtk_stack_get_visible_child (GTK_STACK (stack))) <= 1
                                || awaits_layout (GTK_WIDGET (window)));
       i++)
    relais_test_ui_settle (100);
}

/* Every screen, in @language and text size, through @check. */
typedef void (*CheckScreen) (const char *where, gpointer data);

static void
each_screen (const char  *language,
             gboolean     large,
             CheckScreen  check,
             gpointer     data)
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

static void
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

/* ---- the screen's size ---- */

/* The deepest widgets whose natural width or height passes @limit: what
 * makes a screen too big (a stack is as big as its biggest page), for the
 * failure message. Returns TRUE when @widget passes it. */
static gboolean
culprits (GtkWidget      *widget,
          GtkOrientation  orientation,
          int             limit,
          GString        *out)
{
  g_autoptr(GList) children = NULL;
  gboolean deeper = FALSE;
  int min, natural;

  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    gtk_widget_get_preferred_width (widget, &min, &natural);
  else
    gtk_widget_get_preferred_height_for_width (widget, SCREEN_WIDTH - 100, &min, &natural);
  if (natural <= limit)
    return FALSE;
  if (GTK_IS_CONTAINER (widget))
    children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    deeper |= culprits (l->data, orientation, limit, out);
  if (!deeper && out->len < 600)
    {
      const char *text = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                         : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;
      GtkWidget *page = widget;

      while (page != NULL && !GTK_IS_STACK (gtk_widget_get_parent (page)))
        page = gtk_widget_get_parent (page);
      g_string_append_printf (out, " [%s %s « %.40s » %d, natural %d]",
                              page != NULL ? G_OBJECT_TYPE_NAME (page) : "", G_OBJECT_TYPE_NAME (widget),
                              text != NULL ? text : "", min, natural);
    }
  return TRUE;
}

static char *
blame (GtkOrientation orientation,
       int            limit)
{
  GString *out = g_string_new (NULL);

  culprits (gtk_bin_get_child (GTK_BIN (window)), orientation, limit, out);
  return g_string_free (out, FALSE);
}

/* What the window needs full screen, as on the kiosk: its contents under
 * the header bar (the shadows of a window on a desktop aside). */
static void
check_fits (const char *where,
            gpointer    data)
{
  GPtrArray *problems = data;
  GtkWidget *content = gtk_bin_get_child (GTK_BIN (window));
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (window));
  int min, natural, header_min, header_natural, height, header_height;

  gtk_widget_get_preferred_width (content, &min, &natural);
  gtk_widget_get_preferred_width (header, &header_min, &header_natural);
  if (natural > SCREEN_WIDTH || header_natural > SCREEN_WIDTH)
    {
      g_autofree char *why = blame (GTK_ORIENTATION_HORIZONTAL, SCREEN_WIDTH - 100);

      g_ptr_array_add (problems, g_strdup_printf ("%s: the screen wants %d px wide (at least %d), its header %d: %s",
                                                  where, natural, min, header_natural, why));
    }
  /* At the width the window has (the kiosk's is the screen's; a window
   * on a desktop, as in the demo, is a little narrower). */
  gtk_widget_get_preferred_height_for_width (content, gtk_widget_get_allocated_width (content), &min, &natural);
  gtk_widget_get_preferred_height_for_width (header, gtk_widget_get_allocated_width (header), &header_min,
                                             &header_natural);
  if (natural + header_natural > SCREEN_HEIGHT - FRAME)
    {
      g_autofree char *why = blame (GTK_ORIENTATION_VERTICAL, SCREEN_HEIGHT - header_natural - 40);

      g_ptr_array_add (problems, g_strdup_printf ("%s: the screen wants %d px high (at least %d) under a header of %d: %s",
                                                  where, natural, min, header_natural, why));
    }
  /* A window's smallest height, as GTK works it out (at its smallest
   * width): the window grows to it. */
  {
    GtkRequisition smallest, header_smallest;

    gtk_widget_get_preferred_size (content, &smallest, NULL);
    gtk_widget_get_preferred_size (header, &header_smallest, NULL);
    if (smallest.height + header_smallest.height > SCREEN_HEIGHT - FRAME)
      g_ptr_array_add (problems, g_strdup_printf ("%s: the screen needs at least %d px high (at %d px wide) under a "
                                                  "header of %d", where, smallest.height, smallest.width,
                                                  header_smallest.height));
  }
  /* And the window did not grow past the screen meanwhile. */
  height = gtk_widget_get_allocated_height (content);
  header_height = gtk_widget_get_allocated_height (header);
  if (gtk_widget_get_allocated_width (content) > SCREEN_WIDTH - FRAME || height + header_height > SCREEN_HEIGHT - FRAME)
    g_ptr_array_add (problems, g_strdup_printf ("%s: the window grew to %d × %d px under a header of %d", where,
                                                gtk_widget_get_allocated_width (content), height, header_height));
}

static void
dump_tree (GtkWidget *widget,
           int        depth,
           int        max_depth)
{
  g_autoptr(GList) children = NULL;
  int min, natural, min_height, height;
  const char *text = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                     : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  if (!gtk_widget_get_visible (widget) || depth > max_depth)
    return;
  gtk_widget_get_preferred_width (widget, &min, &natural);
  gtk_widget_get_preferred_height_for_width (widget, natural, &min_height, &height);
  g_test_message ("tree %*s%s « %.30s » %d (%d) × %d", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                  text != NULL ? text : "", natural, min, height);
  if (GTK_IS_CONTAINER (widget))
    children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    dump_tree (l->data, depth + 1, max_depth);
}

/* Each page's own size, for whoever reshapes a page (not a check). */
static void
test_page_sizes (void)
{
  static const char * const pages[] = { "welcome", "home", "scan", "copy", "usb", "mail", "help", "safe" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (int large = 0; large <= 1; large++)
      {
        station_window_set_language (window, languages[l]);
        set_large_text (large);
        for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
          {
            GtkWidget *page = station_window_get_page (window, pages[i]);
            int min_width, width, min_height, height;

            gtk_widget_get_preferred_width (page, &min_width, &width);
            gtk_widget_get_preferred_height_for_width (page, 1220, &min_height, &height);
            g_test_message ("size %s%s %s: %d (%d) × %d (%d)", languages[l], large ? " large" : "", pages[i],
                            width, min_width, height, min_height);
            if (g_strcmp0 (g_getenv ("RELAIS_TEST_PAGE_SIZES"), pages[i]) == 0)
              dump_tree (page, 0, 6);
          }
        set_large_text (FALSE);
      }
}

static void
test_fits (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (int large = 0; large <= 1; large++)
      each_screen (languages[l], large, check_fits, problems);
  report (problems);
}

/* "Grand texte" on, then off: the window is as it was. */
static void
content_size (int *width,
              int *height)
{
  GtkWidget *content = gtk_bin_get_child (GTK_BIN (window));

  relais_test_ui_settle (400);
  *width = gtk_widget_get_allocated_width (content);
  *height = gtk_widget_get_allocated_height (content);
}

static void
test_shrinks_back (void)
{
  int width, height, large_width, large_height, after_width, after_height;

  station_window_set_language (window, "fr");
  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      screens[i].show (screens[i].arg);
      content_size (&width, &height);
      set_large_text (TRUE);
      content_size (&large_width, &large_height);
      set_large_text (FALSE);
      content_size (&after_width, &after_height);
      g_test_message ("%s: %d × %d, large %d × %d, then %d × %d", screens[i].name, width, height,
                      large_width, large_height, after_width, after_height);
      g_assert_cmpint (large_width, <=, SCREEN_WIDTH);
      g_assert_cmpint (after_width, ==, width);
      g_assert_cmpint (after_height, ==, height);
    }
}

/* ---- what a person sees ---- */

static void
take_screenshot (const char *where,
                 gpointer    data)
{
  g_autofree char *name = g_strconcat ("touch-", where, NULL);
  g_autofree char *shot = NULL;

  g_strdelimit (name, " ", '-');
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), name);
}

/* Every screen in French and in Arabic (right to left), with and without
 * large text, kept in build/test-artifacts/touch-*.png. A translator
 * looks at their own language with RELAIS_TEST_SCREENSHOT_LANGUAGES="es pt"
 * (test_fits measures all of them on every run). */
static void
test_screenshots (void)
{
  const char *wanted = g_getenv ("RELAIS_TEST_SCREENSHOT_LANGUAGES");
  g_auto(GStrv) chosen = g_strsplit (wanted != NULL && *wanted != '\0' ? wanted : "fr ar", " ", -1);

  for (guint l = 0; chosen[l] != NULL; l++)
    if (*chosen[l] != '\0')
      for (int large = 0; large <= 1; large++)
        each_screen (chosen[l], large, take_screenshot, NULL);
}

/* ---- words a weak reader understands ---- */

/* Jargon, abbreviations and a second verb for "touch" (FALC: one word for
 * one thing). Matched in lower case. */
static const char * const stumbling[] = {
  "recto", "verso", "chargeur", " mo)", " mo ", " mo.", " ko", "appuy", "n° ", "lun/", "9h-", "jj/mm",
};

static void
collect_words (GtkWidget *widget,
               gpointer   data)
{
  GString *words = data;

  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (words, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_ENTRY (widget) && gtk_entry_get_placeholder_text (GTK_ENTRY (widget)) != NULL)
    g_string_append_printf (words, "%s\n", gtk_entry_get_placeholder_text (GTK_ENTRY (widget)));
  if (is_interactive (widget))
    {
      const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));

      g_string_append_printf (words, "%s\n", name != NULL ? name : "");
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_words, data);
}

static gboolean
has_pictogram (GtkWidget *widget)
{
  g_autoptr(GList) children = NULL;
  gboolean found = FALSE;

  if (GTK_IS_IMAGE (widget))
    return gtk_image_get_storage_type (GTK_IMAGE (widget)) != GTK_IMAGE_EMPTY;
  if (GTK_IS_CONTAINER (widget))
    children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL && !found; l = l->next)
    found = has_pictogram (l->data);
  return found;
}

/* A choice among several, or a yes/no one, shows a pictogram beside its
 * words, except a language's name, written in its own script. */
static void
check_pictograms (GtkWidget *widget,
                  gpointer   data)
{
  GPtrArray *problems = ((gpointer *) data)[0];
  const char *where = ((gpointer *) data)[1];

  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "code") == NULL
      && !has_pictogram (widget))
    g_ptr_array_add (problems, g_strdup_printf ("%s: the choice « %s » has no pictogram", where,
                                                atk_object_get_name (gtk_widget_get_accessible (widget))));
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), check_pictograms, data);
}

static void
check_words (const char *where,
             gpointer    data)
{
  GPtrArray *problems = data;
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *lower = NULL;
  gpointer pictograms[2] = { problems, (gpointer) where };

  collect_words (GTK_WIDGET (window), words);
  lower = g_utf8_strdown (words->str, -1);
  for (guint i = 0; i < G_N_ELEMENTS (stumbling); i++)
    {
      const char *at = strstr (lower, stumbling[i]);

      if (at != NULL)
        {
          const char *start = at;
          const char *end = strchr (at, '\n');

          while (start > lower && start[-1] != '\n')
            start--;
          g_ptr_array_add (problems, g_strdup_printf ("%s: « %s » in « %.*s »", where, stumbling[i],
                                                      (int) (end != NULL ? end - start : (gssize) strlen (start)),
                                                      start));
        }
    }
  check_pictograms (GTK_WIDGET (window), pictograms);
}

static void
test_plain_words (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *hub_defaults = relais_config_dump_defaults (RELAIS_PROGRAM_HUB);
  StationScanPage *scan;

  each_screen ("fr", FALSE, check_words, problems);
  /* The ways of scanning, each with what it asks of the resident. */
  station_window_set_language (window, "fr");
  station_window_show_page (window, "scan");
  scan = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  station_scan_page_set_options (scan, RELAIS_SCAN_TEXT, TRUE, TRUE, 1);
  settle_on_page ();
  check_words ("fr scan, pile", problems);
  station_scan_page_set_card (scan, TRUE);
  settle_on_page ();
  check_words ("fr scan, card", problems);
  /* The pick-up hours the station shows by default, in full words. */
  {
    g_autofree char *lower = g_utf8_strdown (strstr (hub_defaults, "pickup-hours="), -1);

    for (guint i = 0; i < G_N_ELEMENTS (stumbling); i++)
      if (strstr (strchr (lower, '=') , stumbling[i]) != NULL && strstr (lower, "\n") > strstr (lower, stumbling[i]))
        g_ptr_array_add (problems, g_strdup_printf ("[mail] pickup-hours: « %s »", stumbling[i]));
  }
  report (problems);
}

/* ---- every field by touch alone ---- */

/* The key to touch on @input to type one character into @entry, and the
 * character it types. */
static const char *
a_key (GtkWidget  *input,
       const char *language)
{
  g_autofree char *keys = NULL;

  if (STATION_IS_KEYPAD (input))
    return "7";
  static const struct { const char *language; const char *letter; } own[] = {
    { "fr", "é" }, { "en", "w" }, { "es", "ñ" }, { "pt", "ã" }, { "ro", "ș" }, { "tr", "ğ" }, { "ar", "ش" },
  };

  /* The language's own letter when its letters are shown, else the Latin
   * ones (a mediator's login) of a French station. */
  keys = station_keyboard_dup_keys (STATION_KEYBOARD (input));
  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    if (g_str_equal (own[i].language, language) && strstr (keys, own[i].letter) != NULL)
      return own[i].letter;
  return strstr (keys, "é") != NULL ? "é" : "w";
}

typedef struct {
  const char *language;
  GPtrArray  *problems;
  guint       fields;
} Fields;

static void
collect_entries (GtkWidget *widget,
                 gpointer   data)
{
  GPtrArray *entries = data;

  if (!gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_ENTRY (widget) && gtk_editable_get_editable (GTK_EDITABLE (widget)))
    g_ptr_array_add (entries, widget);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_entries, data);
}

static void
check_fields (const char *where,
              gpointer    data)
{
  Fields *f = data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect_entries (GTK_WIDGET (window), entries);
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (entries, i);
      GtkWidget *input = g_object_get_data (G_OBJECT (entry), "station-touch-input");
      const char *name = atk_object_get_name (gtk_widget_get_accessible (entry));
      g_autofree char *before = NULL;
      g_autofree char *lower = NULL;
      const char *key;
      GtkWidget *popover;

      f->fields++;
      if (input == NULL)
        {
          g_ptr_array_add (f->problems, g_strdup_printf ("%s: the field « %s » has no keypad nor keyboard",
                                                         where, name != NULL ? name : "?"));
          continue;
        }
      /* A finger on the field: its keys are on the screen. */
      relais_test_ui_touch (entry);
      if (!gtk_widget_is_drawable (input))
        {
          g_ptr_array_add (f->problems, g_strdup_printf ("%s: touching « %s » shows no keys", where, name));
          continue;
        }
      {
        Walk w = { where, f->problems, 0 };

        walk (input, &w);
      }
      /* A list of pages: "1-3,5" by touch too. */
      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "station-keypad-kind")) == STATION_KEYPAD_PAGES)
        {
          relais_test_ui_touch (relais_test_ui_find_key (input, "-"));
          relais_test_ui_touch (relais_test_ui_find_key (input, ","));
          if (!g_str_has_suffix (gtk_entry_get_text (GTK_ENTRY (entry)), "-,"))
            g_ptr_array_add (f->problems, g_strdup_printf ("%s: « – » and « , » typed « %s »", where,
                                                           gtk_entry_get_text (GTK_ENTRY (entry))));
          gtk_entry_set_text (GTK_ENTRY (entry), "");
        }
      before = g_strdup (gtk_entry_get_text (GTK_ENTRY (entry)));
      key = a_key (input, f->language);
      if (g_getenv ("RELAIS_TEST_SHOT_FIELDS") != NULL)
        {
          g_autofree char *shot_name = g_strdelimit (g_strdup_printf ("touch-field-%s-%s", where, name), " /", '-');
          g_autofree char *shot = relais_test_ui_screenshot (GTK_WIDGET (window), shot_name);
        }
      relais_test_ui_touch (relais_test_ui_find_key (input, key));
      /* A name's first letter comes as a capital. */
      lower = g_utf8_strdown (gtk_entry_get_text (GTK_ENTRY (entry)), -1);
      if (!g_str_has_suffix (lower, key)
          || g_utf8_strlen (gtk_entry_get_text (GTK_ENTRY (entry)), -1) != g_utf8_strlen (before, -1) + 1)
        g_ptr_array_add (f->problems, g_strdup_printf ("%s: « %s » typed « %s » into « %s » (was « %s »)", where, key,
                                                       gtk_entry_get_text (GTK_ENTRY (entry)), name, before));
      gtk_entry_set_text (GTK_ENTRY (entry), before);
      /* "Fini" puts away keys that came over the screen. */
      popover = g_object_get_data (G_OBJECT (entry), "station-touch-popover");
      if (popover != NULL)
        {
          relais_test_ui_touch (relais_test_ui_find_key (input, "done"));
          relais_test_ui_settle (200);
          if (gtk_widget_get_visible (popover))
            g_ptr_array_add (f->problems, g_strdup_printf ("%s: « Fini » left the keys of « %s » open", where, name));
        }
    }
}

static void
test_fields (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      Fields f = { languages[l], problems, 0 };

      each_screen (languages[l], FALSE, check_fields, &f);
      g_test_message ("%s: %u fields", languages[l], f.fields);
      g_assert_cmpuint (f.fields, >=, 10);
    }
  report (problems);
}

/* Each language's keyboard has its letters, capitals included. */
static void
test_keyboards (void)
{
  static const struct { const char *language; const char *letters; } expected[] = {
    { "fr", "éèêàçùâîôûëïazertyuiop" },
    { "en", "qwertyuiop" },
    { "es", "ñáéíóúü" },
    { "pt", "ãõçâêôáéíóú" },
    { "ro", "ăâîșț" },
    { "tr", "çğıöşüi" },
    { "ar", "ضصثقفغعهخحجدشسيبلاتنمكطئءؤرىةوزظذأإآ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *keyboard = g_object_ref_sink (station_keyboard_new (expected[i].language));
      GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());
      g_autofree char *keys = station_keyboard_dup_keys (STATION_KEYBOARD (keyboard));

      for (const char *p = expected[i].letters; *p != '\0'; p = g_utf8_next_char (p))
        {
          char letter[8] = { 0 };

          g_unichar_to_utf8 (g_utf8_get_char (p), letter);
          if (strstr (keys, letter) == NULL)
            g_error ("%s keyboard: no « %s » in « %s »", expected[i].language, letter, keys);
        }
      station_keyboard_attach (STATION_KEYBOARD (keyboard), GTK_ENTRY (entry));
      if (!g_str_equal (expected[i].language, "ar"))
        {
          /* A capital for one letter; Turkish i takes its dot along. */
          station_keyboard_press (STATION_KEYBOARD (keyboard), "shift");
          station_keyboard_press (STATION_KEYBOARD (keyboard), "i");
          station_keyboard_press (STATION_KEYBOARD (keyboard), "i");
          g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==,
                           g_str_equal (expected[i].language, "tr") ? "İi" : "Ii");
        }
      else
        {
          /* A mediator's login, from an Arabic screen: Latin letters. */
          station_keyboard_press (STATION_KEYBOARD (keyboard), "script");
          g_clear_pointer (&keys, g_free);
          keys = station_keyboard_dup_keys (STATION_KEYBOARD (keyboard));
          g_assert_nonnull (strstr (keys, "azerty"));
          station_keyboard_press (STATION_KEYBOARD (keyboard), "s");
          station_keyboard_press (STATION_KEYBOARD (keyboard), "script");
          station_keyboard_press (STATION_KEYBOARD (keyboard), "ش");
          g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "sش");
        }
      station_keyboard_press (STATION_KEYBOARD (keyboard), "space");
      station_keyboard_press (STATION_KEYBOARD (keyboard), "back");
      station_keyboard_press (STATION_KEYBOARD (keyboard), "back");
      g_assert_cmpuint (g_utf8_strlen (gtk_entry_get_text (GTK_ENTRY (entry)), -1), ==, 1);
      /* For a name, a capital to begin with. */
      if (!g_str_equal (expected[i].language, "ar"))
        {
          gtk_entry_set_text (GTK_ENTRY (entry), "");
          station_keyboard_set_capitalize (STATION_KEYBOARD (keyboard), TRUE);
          station_keyboard_press (STATION_KEYBOARD (keyboard), "q");
          station_keyboard_press (STATION_KEYBOARD (keyboard), "u");
          g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "Qu");
        }
      gtk_widget_destroy (keyboard);
      g_object_unref (keyboard);
      g_object_unref (entry);
    }
}

/* A date by digits alone: the slashes come by themselves. */
static void
test_date_keypad (void)
{
  GtkWidget *keypad = g_object_ref_sink (station_keypad_new ());
  GtkWidget *entry = g_object_ref_sink (gtk_entry_new ());

  station_keypad_attach (STATION_KEYPAD (keypad), GTK_ENTRY (entry), STATION_KEYPAD_DATE);
  for (const char *d = "020419801"; *d != '\0'; d++)
    {
      char key[2] = { *d, '\0' };

      station_keypad_press (STATION_KEYPAD (keypad), key);
    }
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "02/04/1980");
  station_keypad_press (STATION_KEYPAD (keypad), "back");
  station_keypad_press (STATION_KEYPAD (keypad), "back");
  station_keypad_press (STATION_KEYPAD (keypad), "back");
  station_keypad_press (STATION_KEYPAD (keypad), "back");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "02/04");
  gtk_widget_destroy (keypad);
  g_object_unref (keypad);
  g_object_unref (entry);
}

/* ---- no GTK dialog of its own ---- */

static GtkWidget *
shown_menu (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GtkWidget *child = gtk_bin_get_child (GTK_BIN (l->data));

      if (gtk_widget_get_mapped (l->data) && child != NULL && GTK_IS_MENU (child))
        return child;
    }
  return NULL;
}

/* A long press or a right click on a field opens nothing: no small menu,
 * no emoji chooser, no way into GTK's dialogs. */
static void
check_no_menu (const char *where,
               gpointer    data)
{
  GPtrArray *problems = data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  Display *display = GDK_DISPLAY_XDISPLAY (gdk_display_get_default ());

  collect_entries (GTK_WIDGET (window), entries);
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (entries, i);
      GtkWidget *menu;

      relais_test_ui_touch (entry);
      XTestFakeButtonEvent (display, 3, True, CurrentTime);
      XTestFakeButtonEvent (display, 3, False, CurrentTime);
      XSync (display, False);
      relais_test_ui_settle (200);
      menu = shown_menu ();
      if (menu != NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf ("%s: a menu opens on « %s »", where,
                                                      atk_object_get_name (gtk_widget_get_accessible (entry))));
          gtk_menu_popdown (GTK_MENU (menu));
        }
      {
        GtkWidget *popover = g_object_get_data (G_OBJECT (entry), "station-touch-popover");

        if (popover != NULL)
          gtk_widget_hide (popover);
      }
    }
}

static void
test_no_menu_no_file_chooser (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  each_screen ("fr", FALSE, check_no_menu, problems);
  report (problems);
  /* After every screen of every test of this program: GTK's file chooser
   * (English labels, the whole file system) was never even loaded. */
  g_assert_cmpuint (g_type_from_name ("GtkFileChooserWidget"), ==, 0);
  g_assert_cmpuint (g_type_from_name ("GtkFileChooserDialog"), ==, 0);
  g_assert_cmpuint (g_type_from_name ("GtkFileChooserNative"), ==, 0);
}

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
static void
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
static void
test_overlays_follow_language (void)
{
  static const char * const words[] = {
    "Je suis encore _là", "_Continuer mon travail", "Terminer et _tout effacer",
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
            continue;   /* not in this catalogue yet: French is all it has */
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
static void
test_end_away_from_help (void)
{
  for (guint i = 0; i < 2; i++)
    {
      const char *language = i == 0 ? "fr" : "ar";
      g_autofree char *name = g_strdup_printf ("touch-%s-header", language);
      g_autofree char *shot = NULL;
      GtkWidget *end;
      GtkWidget *help;
      int distance;

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

static void
test_feeder (void)
{
  StationScanPage *page;
  GtkWidget *bar;
  GtkWidget *last_thumb;
  GtkWidget *viewport;
  double last[2] = { 0, 0 };
  g_autofree char *shot = NULL;
  int x = 0, y = 0;

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

/* A folder holding a three-page PDF, as a resident's key would. */
static GFile *
make_key (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-key-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "attestation.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

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
  services = relais_test_station_services_new (hub, (const char * const []) { "scanner", "device", "test:0", NULL });
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
