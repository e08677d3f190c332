/* relais-test-ui.c: helpers for the GTK tests under Xvfb. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-ui.h"
#include "relais-test-util.h"

void
relais_test_ui_isolate_user_dirs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-ui-XXXXXX", NULL);
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

char *
relais_test_ui_screenshot (GtkWidget  *window,
                           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = relais_test_artifact_path (file);
  GdkWindow *gdk_window;

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
