/* station-widgets.c: the kiosk's building blocks, shared by the pages:
 * big buttons, choices with a pictogram, steppers, big entries. Each is at
 * least 48 × 48 px (station.css) and has a name a screen reader speaks. */

#include "station-widgets.h"

#include <glib/gi18n.h>
#include <string.h>

void
station_page_class_add_navigate (GObjectClass *klass)
{
  g_signal_new ("navigate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
station_page_navigate (GtkWidget  *page,
                       const char *name)
{
  g_signal_emit_by_name (page, "navigate", name);
}

static void
navigate_activate_cb (GSimpleAction *action,
                      GVariant      *target,
                      gpointer       page)
{
  station_page_navigate (page, g_variant_get_string (target, NULL));
}

GActionMap *
station_page_add_actions (GtkWidget *page)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) navigate = g_simple_action_new ("navigate", G_VARIANT_TYPE_STRING);

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  /* The page owns the group, the group owns the action: the page is not
   * referenced back. */
  g_signal_connect (navigate, "activate", G_CALLBACK (navigate_activate_cb), page);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (navigate));
  gtk_widget_insert_action_group (page, "page", G_ACTION_GROUP (group));
  return G_ACTION_MAP (group);
}

void
station_page_set_status (GtkWidget   *label,
                         char       **kept,
                         const char  *css_class,
                         const char  *text)
{
  GtkStyleContext *style = gtk_widget_get_style_context (label);

  g_free (*kept);
  *kept = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_style_context_remove_class (style, "relais-status-ok");
  gtk_style_context_remove_class (style, "relais-status-wait");
  gtk_style_context_remove_class (style, "relais-status-problem");
  if (css_class != NULL)
    gtk_style_context_add_class (style, css_class);
}

GtkWidget *
station_page_big_button (const char *label,
                         const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-big-button");
  if (css_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (button), css_class);
  return button;
}

/* French typography keeps « and » with their words: a sentence that wraps
 * never leaves a « alone at the end of a line, nor a » at the start of
 * the next (the catalogues' strings use ordinary spaces). */
static void
keep_quotes_cb (GtkLabel   *label,
                GParamSpec *pspec,
                gpointer    data)
{
  const char *text = gtk_label_get_label (label);
  g_autoptr(GString) kept = NULL;

  if (text == NULL || (strstr (text, "« ") == NULL && strstr (text, " »") == NULL))
    return;
  kept = g_string_new (text);
  g_string_replace (kept, "« ", "«\u00a0", 0);
  g_string_replace (kept, " »", "\u00a0»", 0);
  gtk_label_set_label (label, kept->str);
}

void
station_label_wrap (GtkWidget *label,
                    int        max_chars)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  g_signal_connect (label, "notify::label", G_CALLBACK (keep_quotes_cb), NULL);
  keep_quotes_cb (GTK_LABEL (label), NULL, NULL);

  /* A wrapping label asks for its whole text on one line unless told a
   * width: the screen would be as wide as the longest sentence. */
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), max_chars);
}

/* A pictogram and its words, side by side, inside a button; the words
 * wrap at @max_chars. */
static void
fill_choice (GtkWidget  *button,
             const char *icon,
             const char *label,
             int         max_chars)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_label_new_with_mnemonic (label);

  if (icon != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_DND);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 40);
      gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
    }
  station_label_wrap (text, max_chars);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_box_pack_start (GTK_BOX (box), text, TRUE, TRUE, 0);
  gtk_container_add (GTK_CONTAINER (button), box);
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (button), FALSE);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-choice");
  /* The words inside a box are not the button's label for ATK. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (text), button);
  atk_object_set_name (gtk_widget_get_accessible (button), gtk_label_get_text (GTK_LABEL (text)));
}

GtkWidget *
station_choice_new (GtkWidget  *group,
                    const char *icon,
                    const char *label)
{
  GtkWidget *button;

  g_return_val_if_fail (group == NULL || GTK_IS_RADIO_BUTTON (group), NULL);

  button = gtk_radio_button_new_from_widget (group != NULL ? GTK_RADIO_BUTTON (group) : NULL);
  /* Three choices side by side fit beside the scan's preview, in large
   * text too. */
  fill_choice (button, icon, label, 10);
  return button;
}

GtkWidget *
station_check_new (const char *icon,
                   const char *label)
{
  GtkWidget *button = gtk_check_button_new ();

  /* Alone on its line. */
  fill_choice (button, icon, label, 32);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-check");
  return button;
}

GtkWidget *
station_stepper_new (int         min,
                     int         max,
                     const char *name)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  /* "−" and "+" only: typing would need a keypad for one number. */
  gtk_editable_set_editable (GTK_EDITABLE (spin), FALSE);
  gtk_widget_set_can_focus (spin, FALSE);
  gtk_entry_set_width_chars (GTK_ENTRY (spin), 2);
  gtk_entry_set_alignment (GTK_ENTRY (spin), 0.5);
  gtk_style_context_add_class (gtk_widget_get_style_context (spin), "relais-stepper");
  atk_object_set_name (gtk_widget_get_accessible (spin), name);
  return spin;
}

/* An entry's menu (cut, copy, paste, emoji, input methods) has small
 * items and leads to an emoji chooser: nothing a finger needs here, and a
 * way into GTK's own dialogs. */
static gboolean
no_menu_pressed_cb (GtkWidget      *entry,
                    GdkEventButton *event,
                    gpointer        data)
{
  return gdk_event_triggers_context_menu ((GdkEvent *) event);
}

static gboolean
no_menu_cb (GtkWidget *entry,
            gpointer   data)
{
  return TRUE;
}

GtkWidget *
station_entry_new (const char *name,
                   const char *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_input_hints (GTK_ENTRY (entry), GTK_INPUT_HINT_NO_EMOJI);
  g_signal_connect (entry, "button-press-event", G_CALLBACK (no_menu_pressed_cb), NULL);
  g_signal_connect (entry, "popup-menu", G_CALLBACK (no_menu_cb), NULL);

  if (placeholder != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_style_context_add_class (gtk_widget_get_style_context (entry), "relais-big-entry");
  atk_object_set_name (gtk_widget_get_accessible (entry), name);
  return entry;
}

char *
station_label_plain (const char *label)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (label != NULL, NULL);

  /* "__" is a "_" shown; "_x" underlines x. */
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
