/* station-widgets.c: the kiosk's building blocks, shared by the pages:
 * big buttons, labels that wrap, the pages' "navigate" signal and action.
 * The choices, steppers and entries are classes of their own, usable from
 * templates (station-choice.c, station-stepper.c, station-entry.c); their
 * _new () functions stay for the pages that build those in code. */

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
station_page_set_status (GtkWidget  *label,
                         char      **kept,
                         const char *css_class,
                         const char *text)
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
