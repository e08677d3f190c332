/* test-mail-ui.c: the console's "Courrier" view and the station's "Mon
 * courrier" page under Xvfb, fed by the real hub; screenshots kept. The
 * registration's cases are in test-mail-ui-register.c, run in the same
 * program, in the order main () gives. */
#include "test-mail-ui.h"

RelaisTestHub   *hub;
RelaisLink      *console;
MediatorWindow  *window;
StationServices *services;
StationWindow   *station;

void
add_person (const char *number, const char *surname, const char *first, const char *birth, const char *card)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) first,
    .birth_date = (char *) birth,
    .notify = "sms",
    .phone = "06 12 34 56 78",
    .card_id = (char *) card,
  };

  saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &p, &error);
  g_assert_no_error (error);
}

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (window) != NULL;
}

static gboolean
has_candidates (gpointer data)
{
  MediatorMail *mail = data;
  return !mediator_mail_is_busy (mail) && mediator_mail_get_n_candidates (mail) >= GPOINTER_TO_UINT (g_object_get_data (data, "want"));
}

gboolean
idle (gpointer data)
{
  return !mediator_mail_is_busy (data);
}

void
wait_candidates (MediatorMail *mail, guint n)
{
  g_object_set_data (G_OBJECT (mail), "want", GUINT_TO_POINTER (n));
  g_assert_true (relais_test_wait (has_candidates, mail));
}

static gboolean
has_waiting (gpointer data)
{
  return !mediator_mail_is_busy (data) && mediator_mail_get_n_waiting (data) > 0;
}

static void
test_hand_over (void)
{
  MediatorMail    *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  g_autofree char *shot = NULL;

  mediator_mail_show (mail, "hand-over");
  mediator_mail_lookup (mail, "CARTE-4");
  g_assert_true (relais_test_wait (has_waiting, mail));
  g_assert_cmpuint (mediator_mail_get_n_waiting (mail), ==, 1);
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-hand-over");
  mediator_mail_hand_over (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "1 courrier remis"));
  mediator_mail_show (mail, "returns");
  g_assert_true (relais_test_wait (idle, mail));
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-returns");
}

static gboolean
handed_or_refused (gpointer data)
{
  return !mediator_mail_is_busy (data) && *mediator_mail_get_message (data) != '\0';
}

/* A registered-mail notice (avis de passage) at the hand-over: its own
 * tick, an ID seen and the register signed; without it the hub refuses
 * and the notice still waits. */
static void
test_notice_hand_over (void)
{
  MediatorMail               *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  static const RelaisMailSite site = { "la MDS", "mardi 9h-12h" };
  RelaisMailItem              items[] = { { "1009", "notice", 1, "1A00555", "La Poste", FALSE } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autofree char *shot = NULL;
  gboolean         duplicate = FALSE;
  GtkWidget       *id_check;

  add_person ("1009", "Moreau", "Inès", "1970-01-09", "CARTE-AVIS");
  letters = relais_db_mail_register (relais_hub_get_db (hub->hub), "ui-notice", "Sophie", items, 1, NULL, 0, &site,
                                     g_get_real_time () / 1000, &duplicate, &error);
  g_assert_no_error (error);
  mediator_mail_show (mail, "hand-over");
  mediator_mail_lookup (mail, "CARTE-AVIS");
  g_assert_true (relais_test_wait (has_waiting, mail));
  id_check = relais_test_ui_find_named (GTK_WIDGET (window), "Pièce d’identité vérifiée pour l’avis de passage");
  g_assert_nonnull (id_check);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (id_check)));
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (window), "avis de passage 1A00555"));

  mediator_mail_hand_over (mail);
  g_assert_true (relais_test_wait (handed_or_refused, mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Avis de passage : vérifiez une pièce d'identité"));
  g_assert_cmpuint (mediator_mail_get_n_waiting (mail), ==, 1);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (id_check), TRUE);
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-notice-hand-over");
  mediator_mail_hand_over (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "1 courrier remis"));
}

static gboolean
waiting_is (gpointer data)
{
  return !mediator_mail_is_busy (data)
         && mediator_mail_get_n_waiting (data) == GPOINTER_TO_UINT (g_object_get_data (data, "want-waiting"));
}

void
wait_waiting (MediatorMail *mail, guint n)
{
  g_object_set_data (G_OBJECT (mail), "want-waiting", GUINT_TO_POINTER (n));
  g_assert_true (relais_test_wait (waiting_is, mail));
}

/* The person's letters at the hand-over say a notice's last day at La
 * Poste and a parcel's shelf; the shelf is written from the console (an
 * empty note refused, nothing sent), and one letter is sent back NPAI by
 * its own button: it leaves the list for the return list. */
static void
test_letter_npai_and_parcel (void)
{
  MediatorMail               *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  static const RelaisMailSite site = { "la MDS", "mardi 9h-12h" };
  RelaisMailItem              items[] = { { "1010", "ordinary", 1, NULL, "CAF", FALSE },
                                          { "1010", "notice", 1, "1A00777", "La Poste", FALSE },
                                          { "1010", "parcel", 1, NULL, "Amazon", FALSE } };
  RelaisDb                   *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) to_return = NULL;
  g_autoptr(RelaisMailKindDetails) details = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *name = NULL;
  gboolean         duplicate = FALSE;
  gint64           ordinary = 0, notice = 0, parcel = 0;
  GtkWidget       *entry, *save, *npai;
  AtkObject       *accessible;
  gboolean         returned = FALSE;

  add_person ("1010", "Nguyen", "Lan", "1982-02-10", "CARTE-COLIS");
  letters = relais_db_mail_register (db, "ui-npai-parcel", "Sophie", items, G_N_ELEMENTS (items), NULL, 0, &site,
                                     g_get_real_time () / 1000, &duplicate, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < letters->len; i++)
    {
      RelaisMailLetter *l = letters->pdata[i];

      if (g_str_equal (l->kind, "ordinary"))
        ordinary = l->id;
      else if (g_str_equal (l->kind, "notice"))
        {
          notice = l->id;
          g_assert_cmpuint (strlen (l->notice_deadline), ==, 10);
          deadline = g_strdup_printf ("à retirer à La Poste au plus tard le %.2s/%.2s/%.4s", l->notice_deadline + 8,
                                      l->notice_deadline + 5, l->notice_deadline);
        }
      else
        parcel = l->id;
    }
  g_assert_true (ordinary > 0 && notice > 0 && parcel > 0);
  mediator_mail_show (mail, "hand-over");
  mediator_mail_lookup (mail, "CARTE-COLIS");
  wait_waiting (mail, 3);
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (window), deadline));

  /* The parcel's shelf: empty is refused at the desk, nothing sent. */
  name = g_strdup_printf ("Noter le rangement du colis n° %" G_GINT64_FORMAT, parcel);
  save = relais_test_ui_find_named (GTK_WIDGET (window), name);
  g_assert_cmpint (atk_object_get_role (gtk_widget_get_accessible (save)), ==, ATK_ROLE_PUSH_BUTTON);
  /* Its entry, beside it, named for a screen reader too. */
  entry = g_object_get_data (G_OBJECT (save), "note-entry");
  g_assert_true (GTK_IS_ENTRY (entry));
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("Rangement du colis n° %" G_GINT64_FORMAT, parcel);
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (entry)), ==, name);
  gtk_entry_set_text (GTK_ENTRY (entry), "   ");
  gtk_button_clicked (GTK_BUTTON (save));
  g_assert_false (mediator_mail_is_busy (mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "notez sa taille"));
  details = relais_db_mail_kind_details (db, parcel, &error);
  g_assert_no_error (error);
  g_assert_null (details->parcel_note);
  g_clear_pointer (&details, relais_mail_kind_details_free);
  /* Written: the hub keeps it and the list says it. */
  gtk_entry_set_text (GTK_ENTRY (entry), "grand carton, réserve 2");
  gtk_button_clicked (GTK_BUTTON (save));
  g_assert_true (relais_test_wait (idle, mail));
  wait_waiting (mail, 3);
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Rangement du colis noté"));
  details = relais_db_mail_kind_details (db, parcel, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (details->parcel_note, ==, "grand carton, réserve 2");
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (window), "rangé : grand carton, réserve 2"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-letters-notice-parcel");

  /* NPAI on the ordinary letter: a button a screen reader names. */
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("Courrier n° %" G_GINT64_FORMAT " : n’habite pas à l’adresse indiquée, au retour", ordinary);
  npai = relais_test_ui_find_named (GTK_WIDGET (window), name);
  accessible = gtk_widget_get_accessible (npai);
  g_assert_cmpint (atk_object_get_role (accessible), ==, ATK_ROLE_PUSH_BUTTON);
  gtk_button_clicked (GTK_BUTTON (npai));
  wait_waiting (mail, 2);
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "NPAI"));
  g_assert_null (relais_test_ui_lookup_named (GTK_WIDGET (window), name));
  to_return = relais_db_mail_to_return (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < to_return->len; i++)
    if (((RelaisMailLetter *) to_return->pdata[i])->id == ordinary)
      {
        g_assert_cmpstr (((RelaisMailLetter *) to_return->pdata[i])->return_reason, ==,
                         "NPAI : n'habite pas à l'adresse indiquée");
        returned = TRUE;
      }
  g_assert_true (returned);
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-letter-npai");
}

static gboolean
snapshot_has (gpointer data)
{
  station_mail_page_check (data, "1001", "02/04/1980");
  return strstr (station_mail_page_get_answer (data), "2 courriers") != NULL;
}

static void
test_station_page (void)
{
  StationMailPage *page = STATION_MAIL_PAGE (station_window_get_page (station, "mail"));
  g_autofree char *shot = NULL;

  gtk_widget_hide (GTK_WIDGET (window));
  gtk_widget_show (GTK_WIDGET (station));
  station_window_show_page (station, "mail");
  g_assert_true (relais_test_wait (snapshot_has, page));
  g_assert_nonnull (strstr (station_mail_page_get_answer (page), "le lundi, le mercredi et le vendredi, de 9 h à 12 h"));
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "mail-station-waiting");

  /* A bad date is explained; the hub stopped changes nothing. */
  station_mail_page_check (page, "1001", "31/02/1980");
  g_assert_nonnull (strstr (station_mail_page_get_answer (page), "02/04/1980"));
  relais_test_hub_stop (hub);
  station_mail_page_check (page, "1001", "02041980");
  g_assert_nonnull (strstr (station_mail_page_get_answer (page), "2 courriers vous attendent"));
  station_mail_page_check (page, "CARTE-4", NULL);
  g_assert_nonnull (strstr (station_mail_page_get_answer (page), "Pas de courrier"));
  /* Her domiciliation's end, and two months before it, offline too. */
  g_test_message ("%s", station_mail_page_get_answer (page));
  g_assert_nonnull (strstr (station_mail_page_get_answer (page),
                            "Votre domiciliation se termine le 15/06/2027.\nRenouvellement à demander avant le 15/04/2027."));
  /* Marie (1001) has no domiciliation granted: no end is said. */
  station_mail_page_check (page, "1001", "02041980");
  g_assert_null (strstr (station_mail_page_get_answer (page), "Renouvellement"));
  station_mail_page_check (page, "CARTE-4", NULL);
  relais_test_ui_settle (300);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "mail-station-none");
  station_mail_page_clear (page);
  g_assert_cmpstr (station_mail_page_get_answer (page), ==, "");
  relais_test_hub_start (hub);
}

static gboolean
people_idle (gpointer data)
{
  return !mediator_mail_people_is_busy (data);
}

static gboolean
has_hand_candidates (gpointer data)
{
  return !mediator_mail_is_busy (data) && mediator_mail_get_n_hand_candidates (data) > 0;
}

static void
test_people (void)
{
  MediatorMail       *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  g_autofree char    *shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autoptr(GPtrArray) proxies = NULL;

  mediator_mail_show (mail, "people");
  /* A name that is no name: refused with the hub's message, nothing lost. */
  mediator_mail_people_set_field (people, "number", "2001");
  mediator_mail_people_set_field (people, "surname", "<b>Ngo</b>");
  mediator_mail_people_set_field (people, "first_names", "Van Anh");
  mediator_mail_people_set_field (people, "birth_date", "1992-09-17");
  mediator_mail_people_set_field (people, "phone", "06 98 76 54 32");
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Nom"));
  g_assert_cmpstr (mediator_mail_people_get_field (people, "first_names"), ==, "Van Anh");

  mediator_mail_people_set_field (people, "surname", "N'Go");
  mediator_mail_people_set_field (people, "card_id", "CARTE-9");
  mediator_mail_people_set_field (people, "last_met_by", "Sophie (accueil)");
  mediator_mail_people_set_field (people, "last_met_phone", "01 23 45 67 89");
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Fiche de Van Anh N'GO enregistrée, n° 2001"));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->surname, ==, "N'Go");
  g_assert_cmpstr (saved->card_id, ==, "CARTE-9");
  g_assert_cmpstr (saved->last_met_by, ==, "Sophie (accueil)");
  g_clear_pointer (&saved, relais_mail_person_free);

  /* Adjourned with the missing document, then granted with its dates. */
  mediator_mail_people_set_field (people, "decision", "adjourned");
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "document manque"));
  mediator_mail_people_set_field (people, "missing", "justificatif de lien avec la commune");
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  /* Granting is a responsable's: Sophie is told so, nothing changes. */
  mediator_mail_people_set_field (people, "decision", "granted");
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Seul un responsable"));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_cmpstr (saved->state, ==, "adjourned");
  g_clear_pointer (&saved, relais_mail_person_free);
  /* Made responsable, she grants: no dates typed, a year from the
   * application (today, none was recorded), the day before. */
  g_assert_true (relais_db_mediator_set_roles (relais_hub_get_db (hub->hub), "sophie",
                                               (const char *[]) { "mediator", "responsable", NULL }, &error));
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_cmpstr (saved->state, ==, "granted");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
    g_autofree char *end = relais_mail_domiciliation_end (today);

    g_assert_cmpstr (saved->active_to, ==, end);
  }
  g_assert_true (relais_db_mediator_set_roles (relais_hub_get_db (hub->hub), "sophie", (const char *[]) { "mediator", NULL },
                                               &error));

  mediator_mail_people_set_field (people, "proxy_name", "Thi Ngo");
  mediator_mail_people_set_field (people, "authorised_on", "2026-01-05");
  mediator_mail_people_set_field (people, "id_copies", "scannées");
  mediator_mail_people_set_field (people, "ends_on", "2026-12-31");
  mediator_mail_people_add_proxy (people);
  g_assert_true (relais_test_wait (people_idle, people));
  proxies = relais_db_mail_proxies (relais_hub_get_db (hub->hub), "2001", "2026-06-01", &error);
  g_assert_cmpuint (proxies->len, ==, 1);
  g_assert_true (((RelaisMailProxy *) g_ptr_array_index (proxies, 0))->valid);
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-people");

  /* No card with them: found by name, then handed over as with a card. */
  {
    RelaisMailItem item = { "2001", "social", 1, NULL, "CAF", FALSE };
    gboolean       duplicate;
    g_autoptr(GPtrArray) letters = relais_db_mail_register (relais_hub_get_db (hub->hub), "ui-2001", "Sophie", &item, 1,
                                                             NULL, 0, &(RelaisMailSite) { "la MDS", "lundi" },
                                                             relais_db_now_ms (), &duplicate, &error);
    g_assert_no_error (error);
  }
  mediator_mail_show (mail, "hand-over");
  mediator_mail_hand_over_search (mail, "n'go van");
  g_assert_true (relais_test_wait (has_hand_candidates, mail));
  mediator_mail_hand_over_choose (mail, 0);
  g_assert_true (relais_test_wait (has_waiting, mail));
  g_assert_cmpuint (mediator_mail_get_n_waiting (mail), ==, 1);
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-hand-over-by-name");

  /* The proxy comes with the letters: their name finds the person, and
   * the line says through whom. */
  mediator_mail_show (mail, "register");
  mediator_mail_type_name (mail, "thi ngo");
  wait_candidates (mail, 1);
  g_test_message ("%s", mediator_mail_get_candidate (mail, 0));
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 0), "n° 2001"));
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 0), "trouvé(e) par son mandataire Thi Ngo"));
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-proxy");
  /* Cleared, as the next person starts from an empty field. */
  mediator_mail_type_name (mail, "");
  g_assert_cmpuint (mediator_mail_get_n_candidates (mail), ==, 0);
}

/* A turn of the mouse wheel over @widget, as a person scrolling the form. */
static void
scroll_over (GtkWidget *widget)
{
  GdkEvent *event = gdk_event_new (GDK_SCROLL);
  GdkSeat  *seat = gdk_display_get_default_seat (gtk_widget_get_display (widget));

  event->scroll.window = g_object_ref (gtk_widget_get_window (widget));
  event->scroll.direction = GDK_SCROLL_DOWN;
  event->scroll.time = GDK_CURRENT_TIME;
  gdk_event_set_device (event, gdk_seat_get_pointer (seat));
  gtk_widget_event (widget, event);
  gdk_event_free (event);
}

static void
test_people_form (void)
{
  MediatorMail       *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  GtkWidget          *notify;
  g_autofree char    *shot = NULL;
  g_autofree char    *saved_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autofree char *number = NULL;
  g_autofree char *from_typed = NULL;
  g_autofree char *to_typed = NULL;
  g_autofree char *to_iso = NULL;

  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "people");
  mediator_mail_people_reset (people);
  relais_test_ui_settle (100);

  /* The wheel over « Prévenir par » scrolls, and changes nothing. */
  notify = mediator_mail_people_get_field_widget (people, "notify");
  g_assert_nonnull (notify);
  g_assert_cmpstr (mediator_mail_people_get_field (people, "notify"), ==, "sms");
  scroll_over (notify);
  scroll_over (notify);
  g_assert_cmpstr (mediator_mail_people_get_field (people, "notify"), ==, "sms");

  /* A new person, notified by e-mail: the decision button says so. */
  mediator_mail_people_set_field (people, "notify", "email");
  g_assert_nonnull (strstr (mediator_mail_people_get_decide_label (people), "reçoit un e-mail"));
  g_assert_null (strstr (mediator_mail_people_get_decide_label (people), "SMS"));

  /* Dates as a person types them, a number typed. But the e-mail address
   * is missing: the save fails, in red, and says why. */
  mediator_mail_people_set_field (people, "number", "2010");
  mediator_mail_people_set_field (people, "surname", "Diallo");
  mediator_mail_people_set_field (people, "first_names", "Fatou");
  mediator_mail_people_set_field (people, "birth_date", "17/09/1992");
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_message (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "e-mail"));
  g_assert_true (mediator_mail_people_message_is_error (people));
  /* The decision asked now does not hide that behind « Personne inconnue ». */
  mediator_mail_people_set_field (people, "decision", "granted");
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_message (people));
  g_assert_null (strstr (mediator_mail_people_get_message (people), "inconnue"));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "n'est pas enregistrée"));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "e-mail"));

  /* A date that is none is said before anything is sent. */
  mediator_mail_people_set_field (people, "number", "");
  mediator_mail_people_set_field (people, "email", "fatou.diallo@example.org");
  mediator_mail_people_set_field (people, "birth_date", "31/02/1992");
  mediator_mail_people_save (people);
  g_assert_false (mediator_mail_people_is_busy (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "JJ/MM/AAAA"));

  /* No number: the hub gives the next. Saved: plain, not red; its own
   * words, with that number. */
  mediator_mail_people_set_field (people, "birth_date", "17091992");
  mediator_mail_people_save (people);
  /* Clicked twice before the hub answers: saved once. */
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_message (people));
  number = g_strdup (mediator_mail_people_get_field (people, "number"));
  g_assert_cmpstr (number, ==, "2002");
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Fiche de Fatou DIALLO enregistrée, n° 2002"));
  g_assert_false (mediator_mail_people_message_is_error (people));
  g_assert_cmpstr (mediator_mail_people_get_field (people, "birth_date"), ==, "17/09/1992");
  saved_text = g_strdup (mediator_mail_people_get_message (people));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->birth_date, ==, "1992-09-17");
  {
    g_autoptr(RelaisMailPerson) twice = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2003", NULL);

    g_assert_null (twice);
  }

  /* The decision (a responsable's; a shorter end than the year, from
   * today, the day of the application): other words, saying how she
   * hears of it. */
  g_assert_true (relais_db_mediator_set_roles (relais_hub_get_db (hub->hub), "sophie",
                                               (const char *[]) { "mediator", "responsable", NULL }, &error));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) end = g_date_time_add_months (now, 6);

    from_typed = g_date_time_format (now, "%d/%m/%Y");
    to_typed = g_date_time_format (end, "%d/%m/%Y");
    to_iso = g_date_time_format (end, "%Y-%m-%d");
  }
  mediator_mail_people_set_field (people, "active_from", from_typed);
  mediator_mail_people_set_field (people, "active_to", to_typed);
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_message (people));
  g_assert_cmpstr (mediator_mail_people_get_message (people), !=, saved_text);
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Décision enregistrée"));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "par e-mail"));
  g_assert_false (mediator_mail_people_message_is_error (people));
  g_assert_cmpstr (mediator_mail_people_get_field (people, "active_to"), ==, to_typed);
  g_clear_pointer (&saved, relais_mail_person_free);
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2002", &error);
  g_assert_cmpstr (saved->active_to, ==, to_iso);
  g_assert_true (relais_db_mediator_set_roles (relais_hub_get_db (hub->hub), "sophie", (const char *[]) { "mediator", NULL },
                                               &error));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-people-form");
}

/* Refusing is a responsable's: for a mediator the button is off and a
 * sentence says why; a responsable refuses with the motive and the
 * orientation the law asks for, chosen in the form. */
static void
test_decision_roles (void)
{
  MediatorMail       *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  RelaisDb           *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *shot = NULL;
  RelaisMailPerson p = {
    .number = (char *) "2050",
    .surname = (char *) "Okafor",
    .first_names = (char *) "Grace",
    .birth_date = (char *) "1991-02-03",
    .phone = (char *) "0611223366",
    .notify = (char *) "sms",
  };
  RelaisMailDecision *last;

  saved = relais_db_mail_person_save (db, &p, &error);
  g_assert_no_error (error);
  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "people");
  mediator_mail_people_open (people, "2050");
  g_assert_true (relais_test_wait (people_idle, people));

  /* Sophie is a mediator: an application yes, a refusal no, and why. */
  mediator_mail_people_set_field (people, "decision", "applied");
  g_assert_true (mediator_mail_people_may_decide (people));
  mediator_mail_people_set_field (people, "decision", "refused");
  g_assert_false (mediator_mail_people_may_decide (people));
  relais_test_ui_settle (100);
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (people), "Seul un responsable peut accorder, refuser ou radier"));

  /* As a responsable (the hub's account, and the console told so at
   * login): the motive and the orientation, then recorded. */
  g_assert_true (relais_db_mediator_set_roles (db, "sophie", (const char *[]) { "mediator", "responsable", NULL }, &error));
  mediator_mail_people_set_responsable (people, TRUE);
  g_assert_true (mediator_mail_people_may_decide (people));
  mediator_mail_people_set_field (people, "missing", "left over from another decision");
  mediator_mail_people_set_field (people, "motive", "no-link");
  mediator_mail_people_set_field (people, "orientation", "association");
  mediator_mail_people_set_field (people, "orientation_text", "Secours populaire, 12 rue Pasteur");
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-decision-refusal");
  g_test_message ("screenshot: %s", shot);
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_message (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Décision enregistrée"));
  history = relais_db_mail_decisions_of (db, "2050", &error);
  g_assert_no_error (error);
  last = history->pdata[0];
  g_assert_cmpstr (last->decision, ==, "refused");
  g_assert_cmpstr (last->motive, ==, "no-link");
  g_assert_cmpstr (last->orientation, ==, "association");
  g_assert_cmpstr (last->orientation_text, ==, "Secours populaire, 12 rue Pasteur");
  g_assert_null (last->missing);
  g_assert_cmpstr (last->decided_by, ==, "Sophie");
  mediator_mail_people_set_responsable (people, FALSE);
  g_assert_true (relais_db_mediator_set_roles (db, "sophie", (const char *[]) { "mediator", NULL }, &error));

  /* A letter for her now: the console says it goes back, unannounced. */
  mediator_mail_show (mail, "register");
  mediator_mail_type_name (mail, "okafor");
  wait_candidates (mail, 1);
  mediator_mail_choose (mail, 0);
  mediator_mail_add (mail, 1, "ordinary", NULL);
  mediator_mail_submit (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_test_message ("%s", mediator_mail_get_message (mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Lot enregistré : 1 courrier"));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "plus domiciliée ici"));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (mail), "à renvoyer à l'expéditeur (plus domicilié(e) ici : domiciliation refusée)"));
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-not-domiciled");
}

static gboolean
unseen_listed (gpointer data)
{
  return mediator_mail_people_get_n_unseen (data) >= 2;
}

/* Past three months without contact the console proposes a radiation,
 * with its decision prepared, and never makes it by itself. */
static void
test_propose_radiation (void)
{
  MediatorMail        *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople  *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  RelaisDb            *db = relais_hub_get_db (hub->hub);
  const RelaisMailSite site = { "la MDS", "mardi 9h-12h" };
  gint64               now = g_get_real_time () / 1000;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) after = NULL;
  GtkWidget *button;
  struct {
    const char *number, *surname;
    int         days;
  } stale[] = { { "2060", "Abebe", 100 }, { "2061", "Bianchi", 80 } };

  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autoptr(RelaisMailPerson) saved = NULL;
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local ((now - stale[i].days * G_GINT64_CONSTANT (86400000)) / 1000);
      g_autoptr(GDateTime) end = g_date_time_add_months (t, 11);
      g_autofree char *from = g_date_time_format (t, "%Y-%m-%d");
      g_autofree char *to = g_date_time_format (end, "%Y-%m-%d");
      RelaisMailPerson p = {
        .number = (char *) stale[i].number,
        .surname = (char *) stale[i].surname,
        .first_names = (char *) "Sam",
        .birth_date = (char *) "1980-01-01",
        .notify = (char *) "none",
      };

      saved = relais_db_mail_person_save (db, &p, &error);
      g_assert_no_error (error);
      /* Granted that day, and not seen since. */
      g_assert_true (relais_db_mail_decide (db, stale[i].number, "granted", NULL, from, to, "Claire", &site,
                                            now - stale[i].days * G_GINT64_CONSTANT (86400000), &error));
      g_assert_no_error (error);
    }
  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "people");
  mediator_mail_people_refresh (people);
  g_assert_true (relais_test_wait (unseen_listed, people));
  relais_test_ui_settle (200);
  /* 100 days: proposed; 80 days: only warned. */
  g_assert_cmpuint (mediator_mail_people_get_n_to_radiate (people), ==, 1);
  button = relais_test_ui_find (GTK_WIDGET (people), GTK_TYPE_BUTTON, "Plus de 3 mois : proposer la radiation");
  g_assert_nonnull (button);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (button), "number"), ==, "2060");
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_cmpstr (mediator_mail_people_get_field (people, "number"), ==, "2060");
  g_assert_cmpstr (mediator_mail_people_get_field (people, "decision"), ==, "radiated");
  g_assert_cmpstr (mediator_mail_people_get_field (people, "motive"), ==, "no-contact");
  /* Proposed, not made: still granted until a responsable decides. */
  after = relais_db_mail_person_get (db, "2060", &error);
  g_assert_cmpstr (after->state, ==, "granted");
  g_assert_false (mediator_mail_people_may_decide (people));
}

static gboolean
unknown_button_shown (gpointer data)
{
  return relais_test_ui_find (data, GTK_TYPE_BUTTON, "Renvoyées à l'expéditeur") != NULL;
}

static gboolean
unknown_button_gone (gpointer data)
{
  return !unknown_button_shown (data);
}

/* The "not domiciled here" list (Ctrl+I) is confirmed returned and
 * cleared, not left to grow. */
static void
test_unknown_returned (void)
{
  MediatorMail        *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  RelaisDb            *db = relais_hub_get_db (hub->hub);
  RelaisMailUnknown    unknown[] = { { "Jean Personne", 1 } };
  const RelaisMailSite site = { "la MDS", "mardi 9h-12h" };
  gboolean             duplicate = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *shot = NULL;
  GtkWidget       *button;
  guint            before;

  letters = relais_db_mail_register (db, "ui-unknown", "Sophie", NULL, 0, unknown, 1, &site, relais_db_now_ms (),
                                     &duplicate, &error);
  g_assert_no_error (error);
  lines = relais_db_mail_unknown_list (db, &error);
  before = lines->len;
  g_assert_cmpuint (before, >=, 1);
  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "returns");
  g_assert_true (relais_test_wait (unknown_button_shown, mail));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-unknown-returned");
  for (guint i = 0; i < before; i++)
    {
      button = relais_test_ui_find (GTK_WIDGET (mail), GTK_TYPE_BUTTON, "Renvoyées à l'expéditeur");
      g_assert_nonnull (button);
      gtk_button_clicked (GTK_BUTTON (button));
      g_assert_true (relais_test_wait (idle, mail));
      relais_test_ui_settle (100);
    }
  g_assert_true (relais_test_wait (unknown_button_gone, mail));
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = relais_db_mail_unknown_list (db, &error);
  g_assert_cmpuint (lines->len, ==, 0);
}

/* Handing over by name: looking for the next person leaves none of the
 * last one's letters ticked, and after the hand-over the names found no
 * longer say a letter waits. */
static void
test_hand_over_next_person (void)
{
  MediatorMail    *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  g_autofree char *shot = NULL;

  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "hand-over");
  mediator_mail_hand_over_search (mail, "dupond");
  g_assert_true (relais_test_wait (has_hand_candidates, mail));
  mediator_mail_hand_over_choose (mail, 0);
  g_assert_true (relais_test_wait (has_waiting, mail));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (mail), "impôts"));

  /* The next person: Dupond's letters are gone at once, not left ticked. */
  mediator_mail_hand_over_search (mail, "diallo");
  g_assert_cmpuint (mediator_mail_get_n_waiting (mail), ==, 0);
  g_assert_false (relais_test_ui_has_text (GTK_WIDGET (mail), "impôts"));
  g_assert_false (relais_test_ui_shows_text (GTK_WIDGET (mail), "DUPOND"));
  g_assert_true (relais_test_wait (has_hand_candidates, mail));
  g_assert_nonnull (strstr (mediator_mail_get_hand_candidate (mail, 0), "(1 en attente)"));
  mediator_mail_hand_over_choose (mail, 0);
  g_assert_true (relais_test_wait (has_waiting, mail));
  mediator_mail_hand_over (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "1 courrier remis"));
  g_assert_true (relais_test_wait (has_hand_candidates, mail));
  g_test_message ("%s", mediator_mail_get_hand_candidate (mail, 0));
  g_assert_null (strstr (mediator_mail_get_hand_candidate (mail, 0), "en attente"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-hand-over-done");
}

static gboolean
templates_idle (gpointer data)
{
  return !mediator_mail_templates_is_busy (data);
}

static gboolean
templates_loaded (gpointer data)
{
  return templates_idle (data) && *mediator_mail_templates_get_text (data) != '\0';
}

/* The hub's text of @name in @language, or NULL. */
static char *
hub_template (const char *name,
              const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_db_mail_template_list (relais_hub_get_db (hub->hub), &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_str_equal (row[0], name) && g_str_equal (row[1], language))
        return g_strdup (row[2]);
    }
  return NULL;
}

static void
test_templates (void)
{
  MediatorMail          *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailTemplates *templates = MEDIATOR_MAIL_TEMPLATES (mediator_mail_get_templates (mail));
  const char            *wording = "Bonjour, {count} lettres vous attendent à {place}. Venez {hours}, avec une pièce d'identité.";
  g_autofree char       *before = hub_template ("batch-many", "fr");
  g_autofree char       *after = NULL;
  g_autofree char       *shot = NULL;

  /* The site's own place and hours, as hub.conf says them. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (hub->dir, "hub-site.conf", NULL);
    g_autoptr(RelaisConfig) config = NULL;

    g_assert_true (g_file_set_contents (path, "[mail]\nplace=l'Espace Solidarité Nord\n"
                                              "pickup-hours=mardi et jeudi, 14 h – 17 h\n",
                                        -1, &error));
    config = relais_config_load (RELAIS_PROGRAM_HUB, path, &error);
    g_assert_no_error (error);
    relais_hub_mail_setup (hub->hub, config);
  }
  mediator_mail_show (mail, "messages");
  g_assert_true (relais_test_wait (templates_loaded, templates));
  mediator_mail_templates_select (templates, "batch-many", "fr");
  g_assert_cmpstr (mediator_mail_templates_get_text (templates), ==, before);
  /* The preview says what people will read: not hours written in the
   * console's code. */
  g_test_message ("%s", mediator_mail_templates_get_preview (templates));
  g_assert_nonnull (strstr (mediator_mail_templates_get_preview (templates), "mardi et jeudi, 14 h – 17 h"));
  g_assert_nonnull (strstr (mediator_mail_templates_get_preview (templates), "l'Espace Solidarité Nord"));
  g_assert_null (strstr (mediator_mail_templates_get_preview (templates), "lundi"));

  /* An empty text is refused with the hub's sentence, and nothing changes. */
  mediator_mail_templates_set_text (templates, "");
  mediator_mail_templates_save (templates);
  g_assert_true (relais_test_wait (templates_idle, templates));
  g_test_message ("%s", mediator_mail_templates_get_message (templates));
  g_assert_nonnull (strstr (mediator_mail_templates_get_message (templates), "Modèle"));
  after = hub_template ("batch-many", "fr");
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* New wording: saved, and what the next notices use. */
  mediator_mail_templates_set_text (templates, wording);
  mediator_mail_templates_save (templates);
  g_assert_true (relais_test_wait (templates_idle, templates));
  g_assert_nonnull (strstr (mediator_mail_templates_get_message (templates), "enregistré"));
  after = hub_template ("batch-many", "fr");
  g_assert_cmpstr (after, ==, wording);
  g_assert_true (relais_test_wait (templates_loaded, templates));
  g_assert_cmpstr (mediator_mail_templates_get_text (templates), ==, wording);
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-templates");

  /* A language without its own text says who gets the French one. */
  mediator_mail_templates_select (templates, "batch-many", "ar");
  g_assert_cmpstr (mediator_mail_templates_get_text (templates), ==, "");
  g_assert_nonnull (strstr (mediator_mail_templates_get_message (templates), "en français"));

  /* Back to the defaults for the station's page. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (hub->dir, "hub-defaults.conf", NULL);
    g_autoptr(RelaisConfig) config = NULL;

    g_assert_true (g_file_set_contents (path, "[mail]\n", -1, &error));
    config = relais_config_load (RELAIS_PROGRAM_HUB, path, &error);
    g_assert_no_error (error);
    relais_hub_mail_setup (hub->hub, config);
  }
}

/* Every contact counts, NPAI and forwarding from the person's file. */
static void
test_contacts (void)
{
  MediatorMail       *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  g_autofree char    *shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;

  mediator_mail_show (mail, "people");
  mediator_mail_people_open (people, "2001");
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_contacts (people), "Dernier contact le"));

  /* A phone call: the hub records it, the file says so. */
  mediator_mail_people_record_contact (people, "phone");
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_contacts (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_contacts (people), "appel téléphonique"));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->last_contact_kind, ==, "phone");
  g_clear_pointer (&saved, relais_mail_person_free);
  mediator_mail_people_record_contact (people, "visit");
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_contacts (people), "visite sans courrier"));

  /* NPAI on the person. */
  mediator_mail_people_set_npai (people, TRUE);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_contacts (people), "NPAI"));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_true (saved->npai);
  g_clear_pointer (&saved, relais_mail_person_free);

  /* Forwarding: a date that is none is said, nothing sent, nothing lost. */
  mediator_mail_people_set_field (people, "forward_address", "3 place Bellecour, 69002 Lyon");
  mediator_mail_people_set_field (people, "forward_from", "demain");
  mediator_mail_people_forward (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Date invalide"));
  g_assert_cmpstr (mediator_mail_people_get_field (people, "forward_address"), ==, "3 place Bellecour, 69002 Lyon");
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_null (saved->forward_address);
  g_clear_pointer (&saved, relais_mail_person_free);
  mediator_mail_people_set_field (people, "forward_from", "01/02/2027");
  mediator_mail_people_forward (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_test_message ("%s", mediator_mail_people_get_contacts (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_contacts (people),
                            "Réexpédition à partir du 01/02/2027 vers : 3 place Bellecour, 69002 Lyon"));
  saved = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "2001", &error);
  g_assert_cmpstr (saved->forward_from, ==, "2027-02-01");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-contacts");
  g_test_message ("screenshot: %s", shot);

  /* Left as the other tests found it. */
  mediator_mail_people_set_npai (people, FALSE);
  g_assert_true (relais_test_wait (people_idle, people));
  mediator_mail_people_set_field (people, "forward_address", "");
  mediator_mail_people_set_field (people, "forward_from", "");
  mediator_mail_people_forward (people);
  g_assert_true (relais_test_wait (people_idle, people));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  RelaisConfig *config;
  int           rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  add_person ("1001", "Dupont", "Marie", "1980-04-02", "CARTE-1");
  add_person ("1002", "Dupont", "Marie-Claire", "1975-11-30", NULL);
  add_person ("1003", "Dupond", "Marie", "1990-01-15", NULL);
  add_person ("1004", "Lefèvre", "Élodie", "1988-07-07", "CARTE-4");
  /* Élodie is domiciled until 15 June 2027: the kiosk says when to ask
   * for the renewal. */
  g_assert_true (relais_db_mail_decide (relais_hub_get_db (hub->hub), "1004", "granted", NULL, "2026-06-16", "2027-06-15",
                                        "Sophie", &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, relais_db_now_ms (),
                                        &error));
  g_assert_no_error (error);

  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (NULL, console);
  gtk_window_resize (GTK_WINDOW (window), 1100, 720);
  relais_link_start (console);
  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));

  config = relais_test_hub_station_config (hub, NULL);
  services = station_services_new (config, &error);
  g_assert_no_error (error);
  station_load_css ();
  station = station_window_new (NULL, services);
  /* One window on screen at a time: screenshots read the screen. */
  gtk_widget_hide (GTK_WIDGET (station));
  relais_link_start (services->link);

  g_test_add_func ("/mail-ui/register", test_register);
  g_test_add_func ("/mail-ui/hand-over", test_hand_over);
  g_test_add_func ("/mail-ui/notice-hand-over", test_notice_hand_over);
  g_test_add_func ("/mail-ui/letter-npai-and-parcel", test_letter_npai_and_parcel);
  g_test_add_func ("/mail-ui/people", test_people);
  g_test_add_func ("/mail-ui/people-form", test_people_form);
  g_test_add_func ("/mail-ui/contacts", test_contacts);
  g_test_add_func ("/mail-ui/decision-roles", test_decision_roles);
  g_test_add_func ("/mail-ui/propose-radiation", test_propose_radiation);
  g_test_add_func ("/mail-ui/unknown-returned", test_unknown_returned);
  g_test_add_func ("/mail-ui/register-morning", test_register_morning);
  g_test_add_func ("/mail-ui/register-notice-parcel", test_register_notice_parcel);
  g_test_add_func ("/mail-ui/hand-over-next-person", test_hand_over_next_person);
  g_test_add_func ("/mail-ui/templates", test_templates);
  g_test_add_func ("/mail-ui/station-page", test_station_page);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (station));
  g_object_unref (services);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
