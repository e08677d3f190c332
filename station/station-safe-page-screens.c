/* station-safe-page-screens.c: building the safe page's screens: the big
 * buttons, the keypad and each screen of the stack. Part of
 * station-safe-page.c; see station-safe-page-private.h. */
#define G_LOG_DOMAIN "relais-station"

#include "station-safe-page-private.h"
#include "station-pages.h"
#include "relais-document.h"
#include "relais-safe-client.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

GtkWidget *
_station_safe_page_big_button (const char *label,
            const char *icon,
            gboolean    primary)
{
  GtkWidget *button = station_page_big_button (label, primary ? "relais-primary" : NULL);

  if (icon != NULL)
    {
      gtk_button_set_image (GTK_BUTTON (button), gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_DND));
      gtk_button_set_always_show_image (GTK_BUTTON (button), TRUE);
    }
  return button;
}

static GtkWidget *
labelled_entry (GtkWidget  *grid,
                int         row,
                const char *label,
                gboolean    secret)
{
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_halign (text, GTK_ALIGN_END);
  gtk_entry_set_visibility (GTK_ENTRY (entry), !secret);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), secret ? GTK_INPUT_PURPOSE_PIN : GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_max_length (GTK_ENTRY (entry), secret ? 8 : 16);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 14);
  gtk_style_context_add_class (gtk_widget_get_style_context (entry), "relais-big-entry");
  /* The label names the field for screen readers. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (text), entry);
  gtk_grid_attach (GTK_GRID (grid), text, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  return entry;
}

/* ---- the keypad ---- */

gboolean
_station_safe_page_entry_focus_cb (GtkWidget       *entry,
                GdkEvent        *event,
                StationSafePage *self)
{
  self->target_entry = entry;
  return FALSE;
}

static void
key_clicked_cb (GtkButton       *button,
                StationSafePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkEntry *entry = GTK_ENTRY (self->target_entry);
  g_autofree char *text = NULL;
  const char *current;

  if (entry == NULL)
    return;
  current = gtk_entry_get_text (entry);
  if (g_str_equal (key, "back"))
    text = g_strndup (current, MAX (0, (int) strlen (current) - 1));
  else if (strlen (current) < (gsize) gtk_entry_get_max_length (entry))
    text = g_strconcat (current, key, NULL);
  if (text != NULL)
    gtk_entry_set_text (entry, text);
}

static GtkWidget *
keypad_new (StationSafePage *self)
{
  static const char * const keys[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", "back" };
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button;

      if (*keys[i] == '\0')
        continue;
      if (g_str_equal (keys[i], "back"))
        {
          button = gtk_button_new_from_icon_name ("edit-clear-symbolic", GTK_ICON_SIZE_DND);
          atk_object_set_name (gtk_widget_get_accessible (button), _("Effacer un chiffre"));
        }
      else
        button = gtk_button_new_with_label (keys[i]);
      gtk_widget_set_size_request (button, 88, 60);
      gtk_widget_set_can_focus (button, FALSE);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-key");
      g_object_set_data (G_OBJECT (button), "key", (gpointer) keys[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (grid), button, i % 3, i / 3, 1, 1);
    }
  return grid;
}

/* ---- building ---- */

static void
add_class_cb (GtkWidget *widget,
              gpointer   css_class)
{
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), css_class);
}

GtkWidget *
_station_safe_page_screen_login (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *open = _station_safe_page_big_button (_("_Ouvrir mon coffre"), "changes-allow-symbolic", TRUE);
  GtkWidget *hint = gtk_label_new (_("Le numéro est sur votre carte. Le code secret, vous seul le connaissez."));

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->number_entry = labelled_entry (grid, 0, _("Numéro de la carte"), FALSE);
  self->pin_entry = labelled_entry (grid, 1, _("Code secret"), TRUE);
  gtk_label_set_line_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 30);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (_station_safe_page_open_clicked_cb), self);
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (_station_safe_page_open_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), hint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), open, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

GtkWidget *
_station_safe_page_screen_code (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *ok = _station_safe_page_big_button (_("_Choisir ce code secret"), "emblem-ok-symbolic", TRUE);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->code_entry = labelled_entry (grid, 0, _("Code de la carte"), FALSE);
  self->new_pin_entry = labelled_entry (grid, 1, _("Nouveau code secret"), TRUE);
  self->new_pin2_entry = labelled_entry (grid, 2, _("Encore une fois"), TRUE);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (_station_safe_page_activate_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

GtkWidget *
_station_safe_page_screen_pin (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *ok = _station_safe_page_big_button (_("_Enregistrer"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour"), "go-previous-symbolic", FALSE);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->change_pin_entry = labelled_entry (grid, 0, _("Nouveau code secret"), TRUE);
  self->change_pin2_entry = labelled_entry (grid, 1, _("Encore une fois"), TRUE);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (_station_safe_page_pin_ok_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), back, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

GtkWidget *
_station_safe_page_screen_list (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *more = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button;

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 5);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  g_signal_connect (self->flow, "selected-children-changed", G_CALLBACK (_station_safe_page_tile_toggled_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_container_add (GTK_CONTAINER (scrolled), self->flow);

  button = _station_safe_page_big_button (_("_Voir"), "zoom-in-symbolic", TRUE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_view_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  button = _station_safe_page_big_button (_("_Imprimer"), "printer-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_print_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  button = _station_safe_page_big_button (_("Copier sur _clé USB"), "media-removable-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_usb_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  self->delete_button = _station_safe_page_big_button (_("_Supprimer"), "user-trash-symbolic", FALSE);
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (_station_safe_page_delete_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), self->delete_button, TRUE, TRUE, 0);

  button = _station_safe_page_big_button (_("Changer mon code _secret"), "dialog-password-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_change_pin_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = _station_safe_page_big_button (_("Qui a ouvert mon _coffre ?"), "document-open-recent-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_journal_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = _station_safe_page_big_button (_("Autoriser un _médiateur"), "contact-new-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_consent_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = _station_safe_page_big_button (_("_Fermer mon coffre"), "changes-prevent-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (_station_safe_page_close_clicked_cb), self);
  gtk_box_pack_end (GTK_BOX (more), button, FALSE, FALSE, 0);

  /* Secondary actions in smaller type, so that the screen fits 1280 px. */
  gtk_container_foreach (GTK_CONTAINER (more), add_class_cb, (gpointer) "relais-secondary");
  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), actions, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), more, FALSE, FALSE, 0);
  return box;
}

GtkWidget *
_station_safe_page_screen_consent (StationSafePage *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new (_("Identifiant du médiateur"));
  GtkWidget *minutes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *thirty;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *ok = _station_safe_page_big_button (_("_Autoriser"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour à mes documents"), "go-up-symbolic", FALSE);

  self->consent_entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->consent_entry), 64);
  gtk_entry_set_width_chars (GTK_ENTRY (self->consent_entry), 14);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->consent_entry), "relais-big-entry");
  self->consent_15 = gtk_radio_button_new_with_label (NULL, _("15 minutes"));
  thirty = gtk_radio_button_new_with_label_from_widget (GTK_RADIO_BUTTON (self->consent_15), _("30 minutes"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (thirty), TRUE);
  gtk_box_pack_start (GTK_BOX (minutes), self->consent_15, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (minutes), thirty, FALSE, FALSE, 0);
  g_signal_connect_swapped (self->consent_entry, "activate", G_CALLBACK (_station_safe_page_consent_ok_clicked_cb), self);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (_station_safe_page_consent_ok_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (buttons), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (buttons), back, FALSE, FALSE, 0);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (grid, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->consent_entry);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->consent_entry, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Pendant")), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), minutes, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), buttons, 0, 2, 2, 1);
  return grid;
}

GtkWidget *
_station_safe_page_screen_view (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *previous = _station_safe_page_big_button (_("Page _précédente"), "go-previous-symbolic", FALSE);
  GtkWidget *next = _station_safe_page_big_button (_("Page _suivante"), "go-next-symbolic", FALSE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour à mes documents"), "go-up-symbolic", TRUE);

  self->view_image = gtk_image_new ();
  self->view_label = gtk_label_new ("");
  g_object_set_data (G_OBJECT (previous), "step", GINT_TO_POINTER (-1));
  g_object_set_data (G_OBJECT (next), "step", GINT_TO_POINTER (1));
  g_signal_connect (previous, "clicked", G_CALLBACK (_station_safe_page_page_step_cb), self);
  g_signal_connect (next, "clicked", G_CALLBACK (_station_safe_page_page_step_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (bar), previous, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (bar), self->view_label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (bar), next, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (bar), back, FALSE, FALSE, 0);
  gtk_container_foreach (GTK_CONTAINER (bar), add_class_cb, (gpointer) "relais-secondary");
  gtk_box_pack_start (GTK_BOX (box), self->view_image, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
  return box;
}

GtkWidget *
_station_safe_page_screen_journal (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour à mes documents"), "go-up-symbolic", TRUE);

  self->journal_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_add (GTK_CONTAINER (scrolled), self->journal_box);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), back, FALSE, FALSE, 0);
  return box;
}
