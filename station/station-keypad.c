/* station-keypad.c: a big keypad for numbers, dates and page lists, that
 * types into the field the resident touched last
 * (assets/ui/station-keypad.ui). */

#include "station-keypad.h"

#include <string.h>

struct _StationKeypad {
  GtkGrid    parent_instance;

  /* Template widgets */
  GtkWidget *pages_keys; /* "–" and ",", shown for a page list */
  GtkWidget *done_key;   /* shown in a popover */

  /* Borrowed: the entries attached, each with its kind in its
   * "station-keypad-kind" data; weak references clear them. */
  GPtrArray *entries;
  GtkEntry  *target;
};

enum {
  SIGNAL_DONE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StationKeypad, station_keypad, GTK_TYPE_GRID)

#define DATE_DIGITS 8

static StationKeypadKind
kind_of (GtkEntry *entry)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "station-keypad-kind"));
}

static void
update_keys (StationKeypad *self)
{
  gtk_widget_set_visible (self->pages_keys, self->target != NULL && kind_of (self->target) == STATION_KEYPAD_PAGES);
}

void
station_keypad_set_target (StationKeypad *self,
                           GtkEntry      *entry)
{
  g_return_if_fail (STATION_IS_KEYPAD (self));
  g_return_if_fail (entry == NULL || g_ptr_array_find (self->entries, entry, NULL));

  self->target = entry;
  update_keys (self);
}

/* The field the resident sees the focus in wins: the keys type where the
 * focus ring is, whatever told the keypad before. */
GtkEntry *
station_keypad_get_target (StationKeypad *self)
{
  GtkWidget *toplevel;
  GtkWidget *focus = NULL;

  g_return_val_if_fail (STATION_IS_KEYPAD (self), NULL);

  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (toplevel))
    focus = gtk_window_get_focus (GTK_WINDOW (toplevel));
  /* In a popover, the window's focus is the entry under it. */
  if (focus == NULL && GTK_IS_POPOVER (toplevel))
    focus = gtk_popover_get_relative_to (GTK_POPOVER (toplevel));
  if (focus != NULL && g_ptr_array_find (self->entries, focus, NULL) && gtk_widget_is_drawable (focus))
    self->target = GTK_ENTRY (focus);
  if (self->target != NULL && !gtk_widget_is_drawable (GTK_WIDGET (self->target)))
    {
      /* Its screen is gone: the first field shown takes the keys. */
      self->target = NULL;
      for (guint i = 0; i < self->entries->len && self->target == NULL; i++)
        if (gtk_widget_is_drawable (g_ptr_array_index (self->entries, i)))
          self->target = g_ptr_array_index (self->entries, i);
    }
  if (self->target == NULL && self->entries->len > 0)
    self->target = g_ptr_array_index (self->entries, 0);
  return self->target;
}

/* "02041980" → "02/04/1980", and the parts typed so far. */
static char *
format_date (const char *digits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; digits[i] != '\0'; i++)
    {
      if (i == 2 || i == 4)
        g_string_append_c (out, '/');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
digits_of (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

void
station_keypad_press (StationKeypad *self,
                      const char    *key)
{
  GtkEntry        *entry;
  const char      *current;
  g_autofree char *text = NULL;
  int              max;

  g_return_if_fail (STATION_IS_KEYPAD (self));
  g_return_if_fail (key != NULL);

  if (g_str_equal (key, "done"))
    {
      g_signal_emit (self, signals[SIGNAL_DONE], 0);
      return;
    }
  entry = station_keypad_get_target (self);
  if (entry == NULL)
    return;
  current = gtk_entry_get_text (entry);
  max = gtk_entry_get_max_length (entry);

  if (kind_of (entry) == STATION_KEYPAD_DATE)
    {
      g_autofree char *digits = digits_of (current);
      gsize            n = strlen (digits);

      if (g_str_equal (key, "back"))
        digits[MAX (n, 1) - 1] = '\0';
      else if (g_ascii_isdigit (*key) && n < DATE_DIGITS)
        {
          char *more = g_strconcat (digits, key, NULL);

          g_free (digits);
          digits = more;
        }
      text = format_date (digits);
    }
  else if (g_str_equal (key, "back"))
    {
      const char *end = current + strlen (current);
      const char *last = g_utf8_find_prev_char (current, end);

      text = g_strndup (current, last != NULL ? (gsize) (last - current) : 0);
    }
  else if (max == 0 || g_utf8_strlen (current, -1) < max)
    text = g_strconcat (current, key, NULL);
  if (text == NULL)
    return;
  gtk_entry_set_text (entry, text);
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
}

/* "keypad.press": a key touched, its key as the target. */
static void
press_activate_cb (GSimpleAction *action,
                   GVariant      *target,
                   gpointer       self)
{
  g_autofree char *key = g_variant_dup_string (target, NULL);

  station_keypad_press (self, key);
}

/* A touch on a field gives it the keys: the focus follows the finger. */
static gboolean
entry_pressed_cb (GtkWidget     *entry,
                  GdkEvent      *event,
                  StationKeypad *self)
{
  station_keypad_set_target (self, GTK_ENTRY (entry));
  return FALSE;
}

static void
entry_focus_cb (GtkWidget     *entry,
                GParamSpec    *pspec,
                StationKeypad *self)
{
  if (gtk_widget_is_focus (entry))
    station_keypad_set_target (self, GTK_ENTRY (entry));
}

static void
entry_gone_cb (gpointer data,
               GObject *entry)
{
  StationKeypad *self = data;

  g_ptr_array_remove (self->entries, entry);
  if (self->target == (GtkEntry *) entry)
    self->target = NULL;
}

void
station_keypad_attach (StationKeypad    *self,
                       GtkEntry         *entry,
                       StationKeypadKind kind)
{
  g_return_if_fail (STATION_IS_KEYPAD (self));
  g_return_if_fail (GTK_IS_ENTRY (entry));

  g_ptr_array_add (self->entries, entry);
  g_object_weak_ref (G_OBJECT (entry), entry_gone_cb, self);
  g_object_set_data (G_OBJECT (entry), "station-keypad-kind", GINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (entry), "station-touch-input", self);
  gtk_entry_set_input_purpose (entry, kind == STATION_KEYPAD_DIGITS ? GTK_INPUT_PURPOSE_DIGITS
                                      : kind == STATION_KEYPAD_DATE ? GTK_INPUT_PURPOSE_NUMBER
                                                                    : GTK_INPUT_PURPOSE_FREE_FORM);
  g_signal_connect (entry, "button-press-event", G_CALLBACK (entry_pressed_cb), self);
  g_signal_connect (entry, "touch-event", G_CALLBACK (entry_pressed_cb), self);
  g_signal_connect (entry, "notify::is-focus", G_CALLBACK (entry_focus_cb), self);
  if (self->target == NULL)
    station_keypad_set_target (self, entry);
}

static void
station_keypad_dispose (GObject *object)
{
  StationKeypad *self = STATION_KEYPAD (object);

  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      GObject *entry = g_ptr_array_index (self->entries, i);

      g_object_weak_unref (entry, entry_gone_cb, self);
      g_signal_handlers_disconnect_by_data (entry, self);
      if (g_object_get_data (entry, "station-touch-input") == self)
        g_object_set_data (entry, "station-touch-input", NULL);
    }
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->target = NULL;
  G_OBJECT_CLASS (station_keypad_parent_class)->dispose (object);
}

static void
station_keypad_class_init (StationKeypadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = station_keypad_dispose;
  /* "done": the resident touched "Fini" (shown in a popover). */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-keypad.ui");
  gtk_widget_class_bind_template_child (widget_class, StationKeypad, pages_keys);
  gtk_widget_class_bind_template_child (widget_class, StationKeypad, done_key);
}

static void
station_keypad_init (StationKeypad *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) press = g_simple_action_new ("press", G_VARIANT_TYPE_STRING);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_ptr_array_new ();
  /* A keypad reads left to right in every language, as on a phone (GTK 3
   * has no property for it). */
  gtk_widget_set_direction (GTK_WIDGET (self), GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (self->pages_keys, GTK_TEXT_DIR_LTR);

  /* The keypad owns the group, the group owns the action: the keypad is
   * not referenced back. */
  g_signal_connect (press, "activate", G_CALLBACK (press_activate_cb), self);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (press));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "keypad", G_ACTION_GROUP (group));
}

GtkWidget *
station_keypad_new (void)
{
  return g_object_new (STATION_TYPE_KEYPAD, NULL);
}

/* ---- in a popover, for a field with no room beside it ---- */

static void
popup (GtkWidget *entry)
{
  GtkWidget *popover = g_object_get_data (G_OBJECT (entry), "station-touch-popover");

  if (popover != NULL && gtk_widget_is_drawable (entry) && !gtk_widget_get_visible (popover))
    gtk_popover_popup (GTK_POPOVER (popover));
}

static gboolean
popover_entry_pressed_cb (GtkWidget *entry,
                          GdkEvent  *event,
                          gpointer   data)
{
  popup (entry);
  return FALSE;
}

static void
popover_done_cb (GtkWidget *input,
                 GtkWidget *popover)
{
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
popover_entry_unmap_cb (GtkWidget *entry,
                        GtkWidget *popover)
{
  gtk_widget_hide (popover);
}

GtkWidget *
station_touch_input_popover (GtkWidget *entry,
                             GtkWidget *input)
{
  GtkWidget *popover;

  g_return_val_if_fail (GTK_IS_ENTRY (entry), NULL);
  g_return_val_if_fail (g_object_get_data (G_OBJECT (entry), "station-touch-input") == input, NULL);

  popover = gtk_popover_new (entry);
  /* Not modal: the screen's buttons stay usable with the keys shown. */
  gtk_popover_set_modal (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_container_set_border_width (GTK_CONTAINER (popover), 12);
  gtk_container_add (GTK_CONTAINER (popover), input);
  gtk_style_context_add_class (gtk_widget_get_style_context (popover), "relais-touch-input");
  if (STATION_IS_KEYPAD (input))
    gtk_widget_show (STATION_KEYPAD (input)->done_key);
  gtk_widget_show (input);
  g_object_set_data (G_OBJECT (entry), "station-touch-popover", popover);
  g_signal_connect (entry, "button-press-event", G_CALLBACK (popover_entry_pressed_cb), NULL);
  g_signal_connect (entry, "touch-event", G_CALLBACK (popover_entry_pressed_cb), NULL);
  g_signal_connect (entry, "unmap", G_CALLBACK (popover_entry_unmap_cb), popover);
  g_signal_connect (input, "done", G_CALLBACK (popover_done_cb), popover);
  return popover;
}
