/* station-mail-page.c: "Mon courrier": the resident passes their card, or
 * types their number and birth date, and reads how many letters wait and
 * when to collect them: no sender, no name. The answer comes from the
 * hashed snapshot kept on the station, so it works with the hub down
 * (assets/ui/station-mail-page.ui). */

#include "station-mail-page.h"
#include "station-widgets.h"
#include "relais-mail-kiosk.h"
#include "station-keypad.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* The answer stays this long, then the page forgets it. */
#define ANSWER_SECONDS 30

struct _StationMailPage {
  StationPage      parent_instance;

  /* Template widgets */
  GtkWidget       *subtitle;
  GtkWidget       *grid;
  GtkWidget       *number_label;
  GtkWidget       *birth_label;
  GtkWidget       *keypad;
  GtkWidget       *answer;

  /* Made by station_entry_new (), in the grid */
  GtkWidget       *number_entry;
  GtkWidget       *birth_entry;

  /* Owned */
  RelaisMailKiosk *kiosk;
  guint            clear_id;
};

G_DEFINE_FINAL_TYPE (StationMailPage, station_mail_page, STATION_TYPE_PAGE)

/* "02/04/1980", "2-4-1980" or "02041980" → "1980-04-02"; NULL if not a date. */
static char *
parse_birth_date (const char *text)
{
  int              d = 0, m = 0, y = 0;
  g_autofree char *digits = g_strdup (text);
  char            *out = digits;

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

/* Two months before the end: the body that domiciles has up to two
 * months to decide on an application, a renewal included, so a renewal
 * asked by then is decided before the end and the mail never stops (the
 * hub's first expiry notice goes at 60 days for the same reason). */
#define RENEWAL_MONTHS 2

/* "Votre domiciliation se termine le …\nRenouvellement à demander avant
 * le …", or NULL when the snapshot has no end for them. */
static char *
renewal_text (StationMailPage *self,
              const char      *key,
              const char      *iso_birth)
{
  g_autofree char *end = relais_mail_kiosk_active_to (self->kiosk, key, iso_birth);
  g_autofree char *end_text = NULL;
  g_autofree char *ask_text = NULL;
  GDate            date;
  int              y, m, d;

  if (end == NULL || sscanf (end, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  end_text = g_strdup_printf ("%02d/%02d/%04d", d, m, y);
  g_date_subtract_months (&date, RENEWAL_MONTHS);
  ask_text = g_strdup_printf ("%02d/%02d/%04d", g_date_get_day (&date), g_date_get_month (&date),
                              g_date_get_year (&date));
  /* TRANSLATORS: the end of the person's domiciliation (their postal
   * address here), then the day before which to ask for its renewal. */
  return g_strdup_printf (_ ("Votre domiciliation se termine le %s.\nRenouvellement à demander avant le %s."), end_text,
                          ask_text);
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
  gint64           waiting;

  g_return_if_fail (STATION_IS_MAIL_PAGE (self));

  g_clear_handle_id (&self->clear_id, g_source_remove);
  self->clear_id = g_timeout_add_seconds (ANSWER_SECONDS, clear_cb, self);
  if (*key == '\0')
    {
      show_answer (self, _ ("Passez votre carte devant le lecteur, ou tapez votre numéro."), "relais-status-problem");
      gtk_widget_grab_focus (self->number_entry);
      return;
    }
  if (birth_date != NULL && *birth_date != '\0')
    {
      iso = parse_birth_date (birth_date);
      if (iso == NULL)
        {
          show_answer (self, _ ("Tapez votre date de naissance ainsi : 02/04/1980 (jour, mois, année)."),
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
      show_answer (self, _ ("Impossible de vérifier pour le moment. Demandez à l'accueil."), "relais-status-problem");
      return;
    }
  if (waiting < 0 && iso == NULL)
    {
      /* Not a card we know: perhaps the number, which needs the date. */
      show_answer (self, _ ("Carte inconnue. Tapez votre numéro et votre date de naissance, ou demandez à l'accueil."),
                   "relais-status-problem");
      gtk_widget_grab_focus (self->birth_entry);
      return;
    }
  if (waiting < 0)
    show_answer (self, _ ("Numéro ou date de naissance inconnus. Vérifiez, ou demandez à l'accueil."), "relais-status-problem");
  else
    {
      g_autofree char *ends = renewal_text (self, key, iso);

      if (waiting == 0)
        text = g_strdup (_ ("Pas de courrier pour vous en ce moment."));
      else
        text = g_strdup_printf (g_dngettext (NULL, "%d courrier vous attend.\nRetrait à l'accueil : %s.",
                                             "%d courriers vous attendent.\nRetrait à l'accueil : %s.", waiting),
                                (int) waiting, hours != NULL && *hours != '\0' ? hours : _ ("voir l'affichage"));
      if (ends != NULL)
        {
          g_autofree char *both = g_strconcat (text, "\n\n", ends, NULL);

          g_free (text);
          text = g_steal_pointer (&both);
        }
      show_answer (self, text, waiting == 0 ? "relais-status-wait" : "relais-status-ok");
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

/* page.check: "Vérifier". */
static void
check_activate_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       self)
{
  number_activate_cb (self);
}

/* page.back: "Retour" forgets what was typed. */
static void
back_activate_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       self)
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
unmap_cb (StationMailPage *self)
{
  station_mail_page_clear (self);
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
station_mail_page_constructed (GObject *object)
{
  StationMailPage *self = STATION_MAIL_PAGE (object);
  StationServices *services = STATION_PAGE_SERVICES (self);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (station_mail_page_parent_class)->constructed (object);

  g_return_if_fail (services != NULL);

  self->kiosk = relais_mail_kiosk_new (services->link, relais_config_get (services->config, "station", "database"), &error);
  if (self->kiosk == NULL)
    g_message ("courrier : %s", error->message); /* the page then says to ask at the desk */
}

static void
station_mail_page_class_init (StationMailPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = station_mail_page_constructed;
  object_class->dispose = station_mail_page_dispose;

  g_type_ensure (STATION_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, subtitle);
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, grid);
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, number_label);
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, birth_label);
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, StationMailPage, answer);
  gtk_widget_class_bind_template_callback (widget_class, map_cb);
  gtk_widget_class_bind_template_callback (widget_class, unmap_cb);
}

static void
station_mail_page_init (StationMailPage *self)
{
  static const GActionEntry actions[] = {
    { .name = "check", .activate = check_activate_cb },
    { .name = "back", .activate = back_activate_cb },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (station_page_get_actions (STATION_PAGE (self)), actions, G_N_ELEMENTS (actions),
                                   self);
  station_label_wrap (self->subtitle, 48);

  self->number_entry = station_entry_new (_ ("Votre numéro"), _ ("sur votre carte"));
  /* TRANSLATORS: an example of a birth date as it is typed. */
  self->birth_entry = station_entry_new (_ ("Votre date de naissance"), _ ("par exemple 02/04/1980"));
  gtk_entry_set_width_chars (GTK_ENTRY (self->number_entry), 22);
  gtk_entry_set_width_chars (GTK_ENTRY (self->birth_entry), 22);
  gtk_entry_set_max_length (GTK_ENTRY (self->number_entry), 32);
  gtk_entry_set_max_length (GTK_ENTRY (self->birth_entry), 10);
  /* A card reader types its identifier: the number's field takes letters
   * too; a finger types digits. */
  station_keypad_attach (STATION_KEYPAD (self->keypad), GTK_ENTRY (self->number_entry), STATION_KEYPAD_DIGITS);
  station_keypad_attach (STATION_KEYPAD (self->keypad), GTK_ENTRY (self->birth_entry), STATION_KEYPAD_DATE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->number_label), self->number_entry);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->birth_label), self->birth_entry);
  station_label_wrap (self->number_label, 16);
  station_label_wrap (self->birth_label, 16);
  g_signal_connect_swapped (self->number_entry, "activate", G_CALLBACK (number_activate_cb), self);
  g_signal_connect_swapped (self->birth_entry, "activate", G_CALLBACK (number_activate_cb), self);
  gtk_grid_attach (GTK_GRID (self->grid), self->number_entry, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), self->birth_entry, 1, 1, 1, 1);
  gtk_widget_show (self->number_entry);
  gtk_widget_show (self->birth_entry);
  /* The keys are made by the keypad's init, not shown by the template. */
  gtk_widget_show_all (self->keypad);

  station_label_wrap (self->answer, 40);
}

GtkWidget *
station_mail_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_MAIL_PAGE, "services", services, NULL);
}
