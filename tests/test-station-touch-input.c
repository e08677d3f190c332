/* test-station-touch-input.c: every field filled by touch alone (the
 * keypads and each language's keyboard, a date by digits), and no GTK
 * menu nor file chooser of its own. Part of test-station-touch.c. */
#include "test-station-touch.h"

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
  static const struct {
    const char *language;
    const char *letter;
  } own[] = {
    { "fr", "é" },
    { "en", "w" },
    { "es", "ñ" },
    { "pt", "ã" },
    { "ro", "ș" },
    { "tr", "ğ" },
    { "ar", "ش" },
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

static gboolean
popover_hidden (gpointer popover)
{
  return !gtk_widget_get_visible (popover);
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
      GtkWidget       *entry = g_ptr_array_index (entries, i);
      GtkWidget       *input = g_object_get_data (G_OBJECT (entry), "station-touch-input");
      const char      *name = atk_object_get_name (gtk_widget_get_accessible (entry));
      g_autofree char *before = NULL;
      g_autofree char *lower = NULL;
      const char      *key;
      GtkWidget       *popover;

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
          /* Then waited for (20 s at most), not timed: under load the
           * touch can take longer than the pause to arrive. */
          if (!relais_test_wait (popover_hidden, popover))
            g_ptr_array_add (f->problems, g_strdup_printf ("%s: « Fini » left the keys of « %s » open", where, name));
        }
    }
}

void
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
void
test_keyboards (void)
{
  static const struct {
    const char *language;
    const char *letters;
  } expected[] = {
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
      GtkWidget       *keyboard = g_object_ref_sink (station_keyboard_new (expected[i].language));
      GtkWidget       *entry = g_object_ref_sink (gtk_entry_new ());
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
void
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

void
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
