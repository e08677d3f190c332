/* station-mail-page.c: "Mon courrier": the resident passes their card, or
 * types their number and birth date, and reads how many letters wait and
 * when to collect them: no sender, no name. The answer comes from the
 * hashed snapshot kept on the station, so it works with the hub down. */

#include "station-mail-page.h"
#include "station-widgets.h"
#include "relais-mail-kiosk.h"
#include "station-keypad.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* The answer stays this long, then the page forgets it. */
#define ANSWER_SECONDS 30

struct _StationMailPage
{
  GtkBox           parent_instance;

  /* Widgets */
  GtkWidget       *number_entry;
  GtkWidget       *birth_entry;
  GtkWidget       *answer;

  /* Owned */
  RelaisMailKiosk *kiosk;
  guint            clear_id;

  /* Borrowed */
  StationServices *services;
};

G_DEFINE_FINAL_TYPE (StationMailPage, station_mail_page, GTK_TYPE_BOX)

/* "02/04/1980", "2-4-1980" or "02041980" → "1980-04-02"; NULL if not a date. */
static char *
parse_birth_date (const char *text)
{
  int d = 0, m = 0, y = 0;
  g_autofree char *digits = g_strdup (text);
  char *out = digits;

  if (sscanf (text, "%d/%d/%d", &d, &m, &y) != 3 && sscanf (text, "%d-%d-%d", &d, &m, &y) != 3
      && sscanf (text, "%d.%d.%d", &d, &m, &y) != 3)
    {
      for (const char *p = text; *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          *out++ = *p;
      *out = '\0';
      if (strlen (digits) != 8 || sscanf (digits, "%2d%2d%4d", &d, &m, &y) != 3)
        return NULL;
    }
  if (!g_date_valid_dmy (d, m, y) || y < 1900)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static void
show_answer (StationMailPage *self,
             const char      *text,
             const char      *style)
{
  GtkStyleContext *context = gtk_widget_get_style_context (self->answer);

  gtk_style_context_remove_class (context, "relais-status-ok");
  gtk_style_context_remove_class (context, "relais-status-wait");
  gtk_style_context_remove_class (context, "relais-status-problem");
  gtk_style_context_add_class (context, style);
  gtk_label_set_text (GTK_LABEL (self->answer), text);
}

static gboolean
clear_cb (gpointer user_data)
{
  StationMailPage *self = user_data;

  self->clear_id = 0;
  station_mail_page_clear (self);
  return G_SOURCE_REMOVE;
}

void
station_mail_page_clear (StationMailPage *self)
{
  g_return_if_fail (STATION_IS_MAIL_PAGE (self));

  g_clear_handle_id (&self->clear_id, g_source_remove);
  gtk_entry_set_text (GTK_ENTRY (self->number_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->birth_entry), "");
  gtk_label_set_text (GTK_LABEL (self->answer), "");
}

void
station_mail_page_check (StationMailPage *self,
                         const char      *card_or_number,
                         const char      *birth_date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *key = g_strstrip (g_strdup (card_or_number != NULL ? card_or_number : ""));
  g_autofree char *text = NULL;
  gint64 waiting;

  g_return_if_fail (STATION_IS_MAIL_PAGE (self));

  g_clear_handle_id (&self->clear_id, g_source_remove);
  self->clear_id = g_timeout_add_seconds (ANSWER_SECONDS, clear_cb, self);
  if (*key == '\0')
    {
      show_answer (self, _("Passez votre carte devant le lecteur, ou tapez votre numéro."), "relais-status-problem");
      gtk_widget_grab_focus (self->number_entry);
      return;
    }
  if (birth_date != NULL && *birth_date != '\0')
    {
      iso = parse_birth_date (birth_date);
      if (iso == NULL)
        {
          show_answer (self, _("Tapez votre date de naissance ainsi : 02/04/1980 (jour, mois, année)."),
                       "relais-status-problem");
          gtk_widget_grab_focus (self->birth_entry);
          return;
        }
    }
  if (self->kiosk == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "base du poste inutilisable");
  waiting = self->kiosk != NULL ? relais_mail_kiosk_check (self->kiosk, key, iso, &hours, &error) : -1;
  if (error != NULL)
    {
      g_message ("courrier : %s", error->message);
      show_answer (self, _("Impossible de vérifier pour le moment. Demandez à l'accueil."), "relais-status-problem");
      return;
    }
  if (waiting < 0 && iso == NULL)
    {
      /* Not a card we know: perhaps the number, which needs the date. */
      show_answer (self, _("Carte inconnue. Tapez votre numéro et votre date de naissance, ou demandez à l'accueil."),
                   "relais-status-problem");
      gtk_widget_grab_focus (self->birth_entry);
      return;
    }
  if (waiting < 0)
    show_answer (self, _("Numéro ou date de naissance inconnus. Vérifiez, ou demandez à l'accueil."), "relais-status-problem");
  else if (waiting == 0)
    show_answer (self, _("Pas de courrier pour vous en ce moment."), "relais-status-wait");
  else
    {
      text = g_strdup_printf (g_dngettext (NULL, "%d courrier vous attend.\nRetrait à l'accueil : %s.",
                                           "%d courriers vous attendent.\nRetrait à l'accueil : %s.", waiting),
                              (int) waiting, hours != NULL && *hours != '\0' ? hours : _("voir l'affichage"));
      show_answer (self, text, "relais-status-ok");
    }
}

const char *
station_mail_page_get_answer (StationMailPage *self)
{
  return gtk_label_get_text (GTK_LABEL (self->answer));
}

static void
number_activate_cb (StationMailPage *self)
{
  const char *birth = gtk_entry_get_text (GTK_ENTRY (self->birth_entry));

  /* A card reader types its identifier and Enter: check at once. */
  station_mail_page_check (self, gtk_entry_get_text (GTK_ENTRY (self->number_entry)),
                           *birth != '\0' ? birth : NULL);
}

static void
check_clicked_cb (StationMailPage *self)
{
  number_activate_cb (self);
}

static void
back_clicked_cb (StationMailPage *self)
{
  station_mail_page_clear (self);
  station_page_navigate (GTK_WIDGET (self), "home");
}

static void
map_cb (StationMailPage *self)
{
  gtk_widget_grab_focus (self->number_entry);
}

static void
station_mail_page_dispose (GObject *object)
{
  StationMailPage *self = STATION_MAIL_PAGE (object);

  g_clear_handle_id (&self->clear_id, g_source_remove);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (station_mail_page_parent_class)->dispose (object);
}

static void
station_mail_page_class_init (StationMailPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = station_mail_page_dispose;
  station_page_class_add_navigate (G_OBJECT_CLASS (klass));
}

static void
station_mail_page_init (StationMailPage *self)
{
}

GtkWidget *
station_mail_page_new (StationServices *services)
{
  StationMailPage *self = g_object_new (STATION_TYPE_MAIL_PAGE,
                                        "orientation", GTK_ORIENTATION_VERTICAL,
                                        "spacing", 16,
                                        "margin", 32,
                                        NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *title = gtk_label_new (_("Mon courrier"));
  GtkWidget *subtitle = gtk_label_new (_("Passez votre carte devant le lecteur.\n"
                                         "Ou touchez une case et tapez votre numéro et votre date de naissance."));
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 40);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *keypad = station_keypad_new ();
  /* TRANSLATORS: the user number printed on the resident's mail card. */
  GtkWidget *number_label = gtk_label_new_with_mnemonic (_("Votre _numéro"));
  GtkWidget *birth_label = gtk_label_new_with_mnemonic (_("Votre date de _naissance"));
  GtkWidget *check = gtk_button_new_with_mnemonic (_("_Vérifier"));
  GtkWidget *back = gtk_button_new_with_mnemonic (_("_Retour"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);

  self->services = services;
  self->kiosk = relais_mail_kiosk_new (services->link, relais_config_get (services->config, "station", "database"), &error);
  if (self->kiosk == NULL)
    g_message ("courrier : %s", error->message);   /* the page then says to ask at the desk */
  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  gtk_style_context_add_class (gtk_widget_get_style_context (subtitle), "relais-subtitle");
  gtk_label_set_justify (GTK_LABEL (subtitle), GTK_JUSTIFY_CENTER);
  station_label_wrap (subtitle, 48);

  self->number_entry = station_entry_new (_("Votre numéro"), _("sur votre carte"));
  /* TRANSLATORS: an example of a birth date as it is typed. */
  self->birth_entry = station_entry_new (_("Votre date de naissance"), _("par exemple 02/04/1980"));
  gtk_entry_set_width_chars (GTK_ENTRY (self->number_entry), 22);
  gtk_entry_set_width_chars (GTK_ENTRY (self->birth_entry), 22);
  gtk_entry_set_max_length (GTK_ENTRY (self->number_entry), 32);
  gtk_entry_set_max_length (GTK_ENTRY (self->birth_entry), 10);
  /* A card reader types its identifier: the number's field takes letters
   * too; a finger types digits. */
  station_keypad_attach (STATION_KEYPAD (keypad), GTK_ENTRY (self->number_entry), STATION_KEYPAD_DIGITS);
  station_keypad_attach (STATION_KEYPAD (keypad), GTK_ENTRY (self->birth_entry), STATION_KEYPAD_DATE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (number_label), self->number_entry);
  gtk_label_set_mnemonic_widget (GTK_LABEL (birth_label), self->birth_entry);
  station_label_wrap (number_label, 16);
  station_label_wrap (birth_label, 16);
  gtk_label_set_xalign (GTK_LABEL (number_label), 1);
  gtk_label_set_xalign (GTK_LABEL (birth_label), 1);
  g_signal_connect_swapped (self->number_entry, "activate", G_CALLBACK (number_activate_cb), self);
  g_signal_connect_swapped (self->birth_entry, "activate", G_CALLBACK (number_activate_cb), self);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_grid_attach (GTK_GRID (grid), number_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->number_entry, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), birth_label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->birth_entry, 1, 1, 1, 1);

  self->answer = gtk_label_new (NULL);
  gtk_label_set_justify (GTK_LABEL (self->answer), GTK_JUSTIFY_CENTER);
  station_label_wrap (self->answer, 40);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->answer), "relais-status-wait");

  for (GtkWidget **b = (GtkWidget *[]) { check, back, NULL }; *b != NULL; b++)
    gtk_style_context_add_class (gtk_widget_get_style_context (*b), "relais-big-button");
  gtk_style_context_add_class (gtk_widget_get_style_context (check), "relais-primary");
  g_signal_connect_swapped (check, "clicked", G_CALLBACK (check_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (buttons), back, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (buttons), check, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), buttons, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (columns), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (columns), keypad, FALSE, FALSE, 0);
  gtk_widget_set_halign (columns, GTK_ALIGN_CENTER);

  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), subtitle, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), columns, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->answer, TRUE, FALSE, 0);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  /* Leaving the page (help button, end of session) forgets the answer. */
  g_signal_connect (self, "unmap", G_CALLBACK (station_mail_page_clear), NULL);
  /* See station_home_page_new (): each page shows its own contents. */
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
