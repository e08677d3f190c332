/* test-station-touch-screens.c: each screen fits the screen (and says
 * which widgets do not), large text turned off gives the window its size
 * back, screenshots in French and Arabic, and words a weak reader
 * understands. Part of test-station-touch.c. */
#include "test-station-touch.h"

/* ---- the screen's size ---- */

/* The deepest widgets whose natural width or height passes @limit: what
 * makes a screen too big (a stack is as big as its biggest page), for the
 * failure message. Returns TRUE when @widget passes it. */
static gboolean
culprits (GtkWidget     *widget,
          GtkOrientation orientation,
          int            limit,
          GString       *out)
{
  g_autoptr(GList) children = NULL;
  gboolean deeper = FALSE;
  int      min, natural;

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
      const char *text = GTK_IS_LABEL (widget)    ? gtk_label_get_text (GTK_LABEL (widget))
                         : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                                                  : NULL;
      GtkWidget  *page = widget;

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
  int        min, natural, header_min, header_natural, height, header_height;

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
                                                  "header of %d",
                                                  where, smallest.height, smallest.width,
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
  int         min, natural, min_height, height;
  const char *text = GTK_IS_LABEL (widget)    ? gtk_label_get_text (GTK_LABEL (widget))
                     : GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                                              : NULL;

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
void
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
            int        min_width, width, min_height, height;

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

void
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

  /* The size once it holds still: on a loaded machine the X server's
   * answer to a resize can come after any fixed wait, so the window is
   * read again until two readings 200 ms apart agree (10 s at most). */
  relais_test_ui_settle (400);
  *width = gtk_widget_get_allocated_width (content);
  *height = gtk_widget_get_allocated_height (content);
  for (guint i = 0; i < 50; i++)
    {
      int w, h;

      relais_test_ui_settle (200);
      w = gtk_widget_get_allocated_width (content);
      h = gtk_widget_get_allocated_height (content);
      if (w == *width && h == *height)
        break;
      *width = w;
      *height = h;
    }
}

void
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
void
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
  "recto",
  "verso",
  "chargeur",
  " mo)",
  " mo ",
  " mo.",
  " ko",
  "appuy",
  "n° ",
  "lun/",
  "9h-",
  "jj/mm",
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
  GPtrArray  *problems = ((gpointer *) data)[0];
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
  gpointer         pictograms[2] = { problems, (gpointer) where };

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

void
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
      if (strstr (strchr (lower, '='), stumbling[i]) != NULL && strstr (lower, "\n") > strstr (lower, stumbling[i]))
        g_ptr_array_add (problems, g_strdup_printf ("[mail] pickup-hours: « %s »", stumbling[i]));
  }
  report (problems);
}
