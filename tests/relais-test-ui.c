/* relais-test-ui.c: helpers for the GTK tests under Xvfb. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "relais-i18n.h"

#include <gdk/gdkx.h>
#include <X11/extensions/XTest.h>

void
relais_test_ui_init (int     *argc,
                     char  ***argv,
                     gboolean with_i18n)
{
  g_test_init (argc, argv, NULL);
  relais_test_ui_isolate_user_dirs ();
  if (with_i18n)
    relais_i18n_init ();
  gtk_init (argc, argv);
}

void
relais_test_ui_isolate_user_dirs (void)
{
  g_autofree char          *dir = g_dir_make_tmp ("relais-ui-XXXXXX", NULL);
  static const char * const vars[] = { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *path = g_build_filename (dir, vars[i], NULL);
      g_mkdir_with_parents (path, 0700);
      g_setenv (vars[i], path, TRUE);
    }
}

void
relais_test_ui_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

void
relais_test_ui_touch (GtkWidget *widget)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (widget);
  Display   *display = GDK_DISPLAY_XDISPLAY (gtk_widget_get_display (widget));
  int        x = 0, y = 0, origin_x = 0, origin_y = 0;

  /* A widget just shown (keys in a popover) is touched once it is on the
   * screen where GTK will put it. */
  relais_test_ui_settle (20);
  for (guint i = 0; i < 100 && !(gtk_widget_is_drawable (widget) && gdk_window_is_viewable (gtk_widget_get_window (widget)) && gtk_widget_get_allocated_width (widget) > 1); i++)
    relais_test_ui_settle (20);
  g_assert_true (gtk_widget_is_drawable (widget));
  g_assert_true (gtk_widget_translate_coordinates (widget, toplevel, gtk_widget_get_allocated_width (widget) / 2,
                                                   gtk_widget_get_allocated_height (widget) / 2, &x, &y));
  gdk_window_get_origin (gtk_widget_get_window (toplevel), &origin_x, &origin_y);
  /* Not gdk_test_simulate_button (): it sends core events, which GTK's
   * XInput 2 handling never sees. */
  XTestFakeMotionEvent (display, -1, origin_x + x, origin_y + y, CurrentTime);
  XSync (display, False);
  XTestFakeButtonEvent (display, 1, True, CurrentTime);
  XTestFakeButtonEvent (display, 1, False, CurrentTime);
  XSync (display, False);
  relais_test_ui_settle (100);
}

/* What a key of a keypad or keyboard types: the string its
 * "keypad.press" or "keyboard.press" action is activated with. */
static const char *
key_typed (GtkWidget *button)
{
  const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));
  GVariant   *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));

  if (action == NULL || target == NULL || !g_variant_is_of_type (target, G_VARIANT_TYPE_STRING)
      || (!g_str_equal (action, "keypad.press") && !g_str_equal (action, "keyboard.press")))
    return NULL;
  return g_variant_get_string (target, NULL);
}

static void
find_key_cb (GtkWidget *widget,
             gpointer   data)
{
  gpointer *found = data;

  if (found[1] != NULL || !gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_BUTTON (widget) && key_typed (widget) != NULL && g_str_equal (key_typed (widget), found[0]))
    found[1] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_key_cb, data);
}

GtkWidget *
relais_test_ui_find_key (GtkWidget  *root,
                         const char *key)
{
  gpointer found[2] = { (gpointer) key, NULL };

  find_key_cb (root, found);
  g_assert_nonnull (found[1]);
  return found[1];
}

static void
find_named_cb (GtkWidget *widget,
               gpointer   data)
{
  gpointer *found = data;

  if (found[1] != NULL || !gtk_widget_is_drawable (widget))
    return;
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), found[0]) == 0)
    found[1] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_named_cb, data);
}

GtkWidget *
relais_test_ui_lookup_named (GtkWidget  *root,
                             const char *name)
{
  gpointer found[2] = { (gpointer) name, NULL };

  find_named_cb (root, found);
  return found[1];
}

GtkWidget *
relais_test_ui_find_named (GtkWidget  *root,
                           const char *name)
{
  GtkWidget *found = relais_test_ui_lookup_named (root, name);

  if (found == NULL)
    g_error ("no button called « %s » on the screen", name);
  return found;
}

char *
relais_test_ui_screenshot (GtkWidget  *window,
                           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char            *path = relais_test_artifact_path (file);
  GdkWindow       *gdk_window;

  relais_test_ui_settle (400);
  gdk_window = gtk_widget_get_window (window);
  g_assert_nonnull (gdk_window);
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0,
                                       gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return path;
}

static gboolean
label_has (GtkWidget  *widget,
           const char *text,
           gboolean    shown)
{
  /* Mapped: a stack's other pages are visible but not on screen. */
  if (shown && !gtk_widget_is_drawable (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget))
    return strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
  if (GTK_IS_ENTRY (widget))
    return strstr (gtk_entry_get_text (GTK_ENTRY (widget)), text) != NULL;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
      && strstr (gtk_button_get_label (GTK_BUTTON (widget)), text) != NULL)
    return TRUE;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        if (label_has (l->data, text, shown))
          return TRUE;
    }
  return FALSE;
}

gboolean
relais_test_ui_has_text (GtkWidget  *root,
                         const char *text)
{
  return label_has (root, text, FALSE);
}

gboolean
relais_test_ui_shows_text (GtkWidget  *root,
                           const char *text)
{
  return label_has (root, text, TRUE);
}

typedef struct {
  GType       type;
  const char *text;
  GtkWidget  *found;
} Find;

static void
find_cb (GtkWidget *widget,
         gpointer   data)
{
  Find *find = data;

  if (find->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, find->type)
      && (find->text == NULL || label_has (widget, find->text, FALSE)))
    {
      find->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_cb, find);
}

GtkWidget *
relais_test_ui_find (GtkWidget  *root,
                     GType       type,
                     const char *text)
{
  Find find = { type, text, NULL };

  find_cb (root, &find);
  return find.found;
}

typedef struct {
  GString *report;
  guint    total;
} Unknown;

static void
unknown_cb (GtkWidget *widget,
            gpointer   data)
{
  Unknown *unknown = data;

  if (!gtk_widget_is_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      int n = pango_layout_get_unknown_glyphs_count (gtk_label_get_layout (GTK_LABEL (widget)));

      if (n > 0)
        g_string_append_printf (unknown->report, "%d in « %s »\n", n, gtk_label_get_text (GTK_LABEL (widget)));
      unknown->total += MAX (0, n);
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), unknown_cb, data);
}

guint
relais_test_ui_count_unknown_glyphs (GtkWidget *root,
                                     GString   *report)
{
  Unknown unknown = { report, 0 };

  relais_test_ui_settle (100);
  unknown_cb (root, &unknown);
  return unknown.total;
}
