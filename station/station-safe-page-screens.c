/* station-safe-page-screens.c: the safe page's screens come from
 * assets/ui/station-safe-page.ui; this puts the kiosk's own widgets in
 * their places: the big entries with their keypad or keyboard, the
 * category tiles, the consent's minutes. Part of station-safe-page.c; see
 * station-safe-page-private.h. */

#include "station-safe-page-private.h"
#include "station-widgets.h"
#include "station-keyboard.h"
#include "station-keypad.h"

#include <glib/gi18n.h>

/* The kinds of paper, as the hub stores them, with their pictogram. */
static const struct {
  const char *id;
  const char *icon;
  const char *label;
} categories[] = {
  { "identite", "avatar-default-symbolic", N_ ("Identité") },
  { "ressources", "accessories-calculator-symbolic", N_ ("Ressources") },
  { "logement", "go-home-symbolic", N_ ("Logement") },
  { "sante", "emblem-favorite-symbolic", N_ ("Santé") },
  { "impots", "x-office-document-symbolic", N_ ("Impôts") },
  { "famille", "system-users-symbolic", N_ ("Famille") },
  { "emploi", "emblem-system-symbolic", N_ ("Emploi") },
  { "autre", "folder-symbolic", N_ ("Autre") },
};

const char *
_station_safe_page_category_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (categories[i].id, id))
      return _ (categories[i].label);
  return _ ("Autre");
}

const char *
_station_safe_page_category_icon (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (categories[i].id, id))
      return categories[i].icon;
  return "folder-symbolic";
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

/* A screen's keypad, at the end of its row: it types in the screen's
 * entries. */
static StationKeypad *
add_keypad (GtkWidget *screen)
{
  GtkWidget *keypad = station_keypad_new ();

  gtk_box_pack_start (GTK_BOX (screen), keypad, FALSE, FALSE, 0);
  return STATION_KEYPAD (keypad);
}

static void
category_clicked_cb (GtkButton       *button,
                     StationSafePage *self)
{
  station_safe_page_choose_category (self, g_object_get_data (G_OBJECT (button), "category"));
}

static void
fill_categories (StationSafePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *image = gtk_image_new_from_icon_name (categories[i].icon, GTK_ICON_SIZE_DIALOG);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 64);
      gtk_box_pack_start (GTK_BOX (inner), image, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (inner), gtk_label_new (_ (categories[i].label)), FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), inner);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      g_object_set_data (G_OBJECT (button), "category", (gpointer) categories[i].id);
      g_signal_connect_object (button, "clicked", G_CALLBACK (category_clicked_cb), self, 0);
      atk_object_set_name (gtk_widget_get_accessible (button), _ (categories[i].label));
      gtk_grid_attach (GTK_GRID (self->category_grid), button, i % 4, i / 4, 1, 1);
    }
}

void
_station_safe_page_screens_init (StationSafePage *self)
{
  StationKeypad *keypad;
  GtkWidget     *keyboard;
  GtkWidget     *thirty;

  station_label_wrap (self->status, 70);
  station_label_wrap (self->login_hint, 28);
  station_label_wrap (self->secret_hint, 28);

  /* "login": the card's number alone. */
  keypad = add_keypad (self->login_screen);
  self->number_entry = labelled_entry (self->login_grid, 0, _ ("Numéro de la carte"), FALSE, keypad);
  g_signal_connect_object (self->number_entry, "activate", G_CALLBACK (_station_safe_page_open_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  /* "secret": the safe is known and opened before. */
  keypad = add_keypad (self->secret_screen);
  self->pin_entry = labelled_entry (self->secret_grid, 0, _ ("Code secret"), TRUE, keypad);
  g_signal_connect_object (self->pin_entry, "activate", G_CALLBACK (_station_safe_page_secret_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  /* "code": a new safe. */
  keypad = add_keypad (self->code_screen);
  /* TRANSLATORS: the one-time code printed on a new safe's card, not the
   * secret code the resident chooses. */
  self->code_entry = labelled_entry (self->code_grid, 0, _ ("Code écrit sur la carte"), FALSE, keypad);
  self->new_pin_entry = labelled_entry (self->code_grid, 1, _ ("Votre code secret (4 à 8 chiffres)"), TRUE, keypad);
  self->new_pin2_entry = labelled_entry (self->code_grid, 2, _ ("Le même code encore une fois"), TRUE, keypad);

  /* "pin": changing the secret code. */
  keypad = add_keypad (self->pin_screen);
  self->change_pin_entry = labelled_entry (self->pin_grid, 0, _ ("Votre nouveau code secret"), TRUE, keypad);
  self->change_pin2_entry = labelled_entry (self->pin_grid, 1, _ ("Le même code encore une fois"), TRUE, keypad);

  /* "category": the kind of paper, and a name if the resident wants one. */
  fill_categories (self);
  keyboard = station_keyboard_new (self->services->language);
  self->name_entry = station_entry_new (_ ("Nom du document"), _ ("Si vous voulez : touchez ici pour écrire"));
  gtk_entry_set_max_length (GTK_ENTRY (self->name_entry), 60);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->name_label), self->name_entry);
  station_keyboard_attach (STATION_KEYBOARD (keyboard), GTK_ENTRY (self->name_entry));
  station_keyboard_set_capitalize (STATION_KEYBOARD (keyboard), TRUE);
  station_touch_input_popover (self->name_entry, keyboard);
  gtk_box_pack_start (GTK_BOX (self->name_box), self->name_entry, TRUE, TRUE, 0);

  /* "consent": the mediator's login and for how long. */
  keyboard = station_keyboard_new (self->services->language);
  self->consent_entry = station_entry_new (_ ("Nom du médiateur"), NULL);
  gtk_entry_set_max_length (GTK_ENTRY (self->consent_entry), 64);
  gtk_entry_set_width_chars (GTK_ENTRY (self->consent_entry), 14);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->consent_label), self->consent_entry);
  /* A mediator's login is in Latin letters, whatever the resident reads. */
  station_keyboard_attach (STATION_KEYBOARD (keyboard), GTK_ENTRY (self->consent_entry));
  station_keyboard_show_latin (STATION_KEYBOARD (keyboard), TRUE);
  station_touch_input_popover (self->consent_entry, keyboard);
  g_signal_connect_object (self->consent_entry, "activate", G_CALLBACK (_station_safe_page_consent_ok_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_grid_attach (GTK_GRID (self->consent_grid), self->consent_entry, 1, 0, 1, 1);
  self->consent_15 = station_choice_new (NULL, "relais-clock-15", _ ("15 minutes"));
  thirty = station_choice_new (self->consent_15, "relais-clock-30", _ ("30 minutes"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (thirty), TRUE);
  gtk_box_pack_start (GTK_BOX (self->consent_minutes), self->consent_15, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self->consent_minutes), thirty, FALSE, FALSE, 0);
}

void
_station_safe_page_screens_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-safe-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, stack);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, status);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, progress);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, login_screen);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, login_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, login_hint);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, secret_screen);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, secret_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, secret_hint);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, code_screen);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, code_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, pin_screen);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, pin_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, category_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, name_box);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, flow);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, view_image);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, view_label);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, journal_box);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, consent_grid);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, consent_label);
  gtk_widget_class_bind_template_child (widget_class, StationSafePage, consent_minutes);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_secret_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_activate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_tile_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_view_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_previous_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_next_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_usb_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_delete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_change_pin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_pin_ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_journal_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_back_to_list_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_consent_ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, _station_safe_page_consent_clicked_cb);
}
