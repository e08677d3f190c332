/* station-safe-page-screens.c: building the safe page's screens: the big
 * buttons, the keypad and each screen of the stack. Part of
 * station-safe-page.c; see station-safe-page-private.h. */

#include "station-safe-page-private.h"
#include "station-widgets.h"
#include "relais-document.h"
#include "relais-safe-client.h"
#include "relais-usb.h"
#include "station-keyboard.h"
#include "station-keypad.h"

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

/* A row of @grid: @label, then its big entry (a secret code's digits are
 * hidden), called by @label for screen readers. */
static GtkWidget *
labelled_entry (GtkWidget     *grid,
                int            row,
                const char    *label,
                gboolean       secret,
                StationKeypad *keypad)
{
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *entry = station_entry_new (label, NULL);

  station_label_wrap (text, 26);
  gtk_label_set_xalign (GTK_LABEL (text), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (text), entry);
  gtk_entry_set_visibility (GTK_ENTRY (entry), !secret);
  gtk_entry_set_max_length (GTK_ENTRY (entry), secret ? 8 : 16);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 10);
  gtk_grid_attach (GTK_GRID (grid), text, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  station_keypad_attach (keypad, GTK_ENTRY (entry), STATION_KEYPAD_DIGITS);
  if (secret)
    gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PIN);
  return entry;
}

static void
add_class_cb (GtkWidget *widget,
              gpointer   css_class)
{
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), css_class);
}

/* The fields and their buttons at the start, the keypad at the end. */
static GtkWidget *
keypad_screen (GtkWidget *left,
               GtkWidget *keypad)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 40);

  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad, FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
fields_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  return grid;
}

/* First the card's number alone: whether a secret code is asked, or the
 * code written on a new card, depends on the safe. */
GtkWidget *
_station_safe_page_screen_login (StationSafePage *self)
{
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = fields_grid ();
  GtkWidget *keypad = station_keypad_new ();
  GtkWidget *next = _station_safe_page_big_button (_("_Continuer"), "go-next-symbolic", TRUE);
  GtkWidget *hint = gtk_label_new (_("Le numéro est écrit sur votre carte du coffre-fort."));

  self->number_entry = labelled_entry (grid, 0, _("Numéro de la carte"), FALSE, STATION_KEYPAD (keypad));
  station_label_wrap (hint, 28);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  g_signal_connect_swapped (next, "clicked", G_CALLBACK (_station_safe_page_open_clicked_cb), self);
  g_signal_connect_swapped (self->number_entry, "activate", G_CALLBACK (_station_safe_page_open_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), hint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), next, FALSE, FALSE, 0);
  return keypad_screen (left, keypad);
}

/* The safe is known and opened before: its secret code. */
GtkWidget *
_station_safe_page_screen_secret (StationSafePage *self)
{
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = fields_grid ();
  GtkWidget *keypad = station_keypad_new ();
  GtkWidget *open = _station_safe_page_big_button (_("_Ouvrir mon coffre"), "changes-allow-symbolic", TRUE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour"), "go-previous-symbolic", FALSE);
  GtkWidget *hint = gtk_label_new (_("Le code secret, vous seul le connaissez. Personne ne vous le demandera."));

  self->pin_entry = labelled_entry (grid, 0, _("Code secret"), TRUE, STATION_KEYPAD (keypad));
  station_label_wrap (hint, 28);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (_station_safe_page_secret_clicked_cb), self);
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (_station_safe_page_secret_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_close_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), hint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), open, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), back, FALSE, FALSE, 0);
  return keypad_screen (left, keypad);
}

/* A new safe: the code written on the card, once, then the secret code
 * the resident chooses, twice. */
GtkWidget *
_station_safe_page_screen_code (StationSafePage *self)
{
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = fields_grid ();
  GtkWidget *keypad = station_keypad_new ();
  GtkWidget *ok = _station_safe_page_big_button (_("_Choisir ce code secret"), "emblem-ok-symbolic", TRUE);

  /* TRANSLATORS: the one-time code printed on a new safe's card, not the
   * secret code the resident chooses. */
  self->code_entry = labelled_entry (grid, 0, _("Code écrit sur la carte"), FALSE, STATION_KEYPAD (keypad));
  self->new_pin_entry = labelled_entry (grid, 1, _("Votre code secret (4 à 8 chiffres)"), TRUE,
                                        STATION_KEYPAD (keypad));
  self->new_pin2_entry = labelled_entry (grid, 2, _("Le même code encore une fois"), TRUE, STATION_KEYPAD (keypad));
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (_station_safe_page_activate_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  return keypad_screen (left, keypad);
}

GtkWidget *
_station_safe_page_screen_pin (StationSafePage *self)
{
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = fields_grid ();
  GtkWidget *keypad = station_keypad_new ();
  GtkWidget *ok = _station_safe_page_big_button (_("_Enregistrer"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour"), "go-previous-symbolic", FALSE);

  self->change_pin_entry = labelled_entry (grid, 0, _("Votre nouveau code secret"), TRUE, STATION_KEYPAD (keypad));
  self->change_pin2_entry = labelled_entry (grid, 1, _("Le même code encore une fois"), TRUE,
                                            STATION_KEYPAD (keypad));
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (_station_safe_page_pin_ok_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (_station_safe_page_back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), back, FALSE, FALSE, 0);
  return keypad_screen (left, keypad);
}

/* Buttons two by two: four side by side do not fit 1280 pixels in every
 * language and in large text. */
static GtkWidget *
two_by_two (GtkWidget **buttons)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  for (guint i = 0; i < 4; i++)
    {
      gtk_widget_set_hexpand (buttons[i], TRUE);
      gtk_grid_attach (GTK_GRID (grid), buttons[i], i % 2, i / 2, 1, 1);
    }
  return grid;
}

GtkWidget *
_station_safe_page_screen_list (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *actions[4];
  GtkWidget *more[4];

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 5);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  g_signal_connect (self->flow, "selected-children-changed", G_CALLBACK (_station_safe_page_tile_toggled_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 170);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_container_add (GTK_CONTAINER (scrolled), self->flow);

  actions[0] = _station_safe_page_big_button (_("_Voir"), "zoom-in-symbolic", TRUE);
  g_signal_connect_swapped (actions[0], "clicked", G_CALLBACK (_station_safe_page_view_clicked_cb), self);
  actions[1] = _station_safe_page_big_button (_("_Imprimer"), "printer-symbolic", FALSE);
  g_signal_connect_swapped (actions[1], "clicked", G_CALLBACK (_station_safe_page_print_clicked_cb), self);
  actions[2] = _station_safe_page_big_button (_("Copier sur _clé USB"), "media-removable-symbolic", FALSE);
  g_signal_connect_swapped (actions[2], "clicked", G_CALLBACK (_station_safe_page_usb_clicked_cb), self);
  self->delete_button = actions[3] = _station_safe_page_big_button (_("_Supprimer"), "user-trash-symbolic", FALSE);
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (_station_safe_page_delete_clicked_cb), self);

  more[0] = _station_safe_page_big_button (_("Changer mon code _secret"), "dialog-password-symbolic", FALSE);
  g_signal_connect_swapped (more[0], "clicked", G_CALLBACK (_station_safe_page_change_pin_clicked_cb), self);
  more[1] = _station_safe_page_big_button (_("Qui a ouvert mon _coffre ?"), "document-open-recent-symbolic", FALSE);
  g_signal_connect_swapped (more[1], "clicked", G_CALLBACK (_station_safe_page_journal_clicked_cb), self);
  more[2] = _station_safe_page_big_button (_("Autoriser un _médiateur"), "contact-new-symbolic", FALSE);
  g_signal_connect_swapped (more[2], "clicked", G_CALLBACK (_station_safe_page_consent_clicked_cb), self);
  more[3] = _station_safe_page_big_button (_("_Fermer mon coffre"), "changes-prevent-symbolic", FALSE);
  g_signal_connect_swapped (more[3], "clicked", G_CALLBACK (_station_safe_page_close_clicked_cb), self);
  /* Secondary actions in smaller type. */
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    add_class_cb (more[i], (gpointer) "relais-secondary");

  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), two_by_two (actions), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), two_by_two (more), FALSE, FALSE, 0);
  return box;
}

GtkWidget *
_station_safe_page_screen_consent (StationSafePage *self)
{
  GtkWidget *grid = gtk_grid_new ();
  /* TRANSLATORS: the login a mediator gives the resident, to let them see
   * the safe. */
  GtkWidget *label = gtk_label_new (_("Nom du médiateur"));
  GtkWidget *minutes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *thirty;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *ok = _station_safe_page_big_button (_("_Autoriser"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = _station_safe_page_big_button (_("_Retour à mes documents"), "go-up-symbolic", FALSE);
  GtkWidget *keyboard = station_keyboard_new (self->services->language);

  self->consent_entry = station_entry_new (_("Nom du médiateur"), NULL);
  gtk_entry_set_max_length (GTK_ENTRY (self->consent_entry), 64);
  gtk_entry_set_width_chars (GTK_ENTRY (self->consent_entry), 14);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->consent_entry);
  /* A mediator's login is in Latin letters, whatever the resident reads. */
  station_keyboard_attach (STATION_KEYBOARD (keyboard), GTK_ENTRY (self->consent_entry));
  station_keyboard_show_latin (STATION_KEYBOARD (keyboard), TRUE);
  station_touch_input_popover (self->consent_entry, keyboard);
  self->consent_15 = station_choice_new (NULL, "relais-clock-15", _("15 minutes"));
  thirty = station_choice_new (self->consent_15, "relais-clock-30", _("30 minutes"));
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
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->consent_entry);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->consent_entry, 1, 0, 1, 1);
  /* TRANSLATORS: how long the mediator may see the safe: "Pendant
   * [15 minutes] [30 minutes]". */
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
