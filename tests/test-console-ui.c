/* test-console-ui.c: the console as the demo starts it: in a C.UTF-8
 * locale, from the source tree, on a 1280 × 800 screen. GTK's own dialogs
 * speak French and open in the user's Documents; long names and messages
 * never push the window past the screen's edge. */
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mediator-dashboard.h"
#include "mediator-files.h"
#include "mediator-mail.h"
#include "mediator-mail-people.h"
#include "mediator-safes.h"
#include "mediator-window.h"
#include "relais-db-mail.h"
#include "relais-db-stats.h"
#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

#define SCREEN_WIDTH 1280

static RelaisTestHub  *hub;
static RelaisLink     *console;
static MediatorWindow *window;

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (window) != NULL;
}

#define LONG_STATION "poste-de-la-salle-d-attente-du-rez-de-chaussee-cote-jardin"

static gboolean
dashboard_loaded (gpointer data)
{
  GtkWidget *dashboard = mediator_window_get_dashboard (window);

  return dashboard != NULL && mediator_dashboard_get_stats (MEDIATOR_DASHBOARD (dashboard)) != NULL
         && strstr (mediator_dashboard_get_message (MEDIATOR_DASHBOARD (dashboard)), "Chargement") == NULL;
}

static gboolean
mail_idle (gpointer mail)
{
  return !mediator_mail_is_busy (mail);
}

static gboolean
people_idle (gpointer people)
{
  return !mediator_mail_people_is_busy (people);
}

static void
test_dialog_in_french (void)
{
  g_autofree char *documents = g_build_filename (g_getenv ("HOME"), "Documents", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  GtkWidget       *dialog;

  /* GTK's own words are French too. */
  g_assert_cmpstr (g_dgettext ("gtk30", "_Cancel"), ==, "A_nnuler");

  dialog = mediator_files_save_dialog (GTK_WINDOW (window), "Rapport mensuel (PDF)", "rapport.pdf");
  gtk_widget_show (dialog);
  relais_test_ui_settle (500);
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (dialog));
  g_test_message ("opens in %s (started in %s)", folder, cwd);
  /* The user's documents, not the folder the console was started from. */
  g_assert_cmpstr (folder, ==, documents);
  g_assert_cmpstr (folder, !=, cwd);
  g_assert_true (relais_test_ui_shows_text (dialog, "Nom"));
  g_assert_false (relais_test_ui_shows_text (dialog, "Name"));
  g_assert_false (relais_test_ui_shows_text (dialog, "Cancel"));
  g_assert_true (relais_test_ui_shows_text (dialog, "Annuler"));
  shot = relais_test_ui_screenshot (dialog, "console-save-dialog");
  gtk_widget_destroy (dialog);
}

/* The window's width now, and the least it would accept. */
static int
window_width (const char *step)
{
  int              minimum = 0, natural = 0;
  g_autofree char *name = g_strdup_printf ("console-width-%s", step);
  g_autofree char *shot = NULL;

  relais_test_ui_settle (300);
  gtk_widget_get_preferred_width (GTK_WIDGET (window), &minimum, &natural);
  g_test_message ("%s: width %d, minimum %d", step, gtk_widget_get_allocated_width (GTK_WIDGET (window)), minimum);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), name);
  return MAX (minimum, gtk_widget_get_allocated_width (GTK_WIDGET (window)));
}

static void
test_never_wider_than_the_screen (void)
{
  MediatorMail       *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  MediatorMailPeople *people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  const char         *long_message = "Le hub a refusé : ce message d'erreur est volontairement très long, comme celui d'un "
                                     "serveur SMS qui raconte sa vie, afin de voir si la fenêtre s'élargit toute seule au-delà "
                                     "du bord de l'écran, ce qui ne doit jamais arriver.";

  g_assert_cmpint (window_width ("queue"), <=, SCREEN_WIDTH);
  mediator_window_show_view (window, "stations");
  g_assert_cmpint (window_width ("stations"), <=, SCREEN_WIDTH);

  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "register");
  mediator_mail_type_name (mail, "Abdelkader");
  g_assert_true (relais_test_wait (mail_idle, mail));
  relais_test_ui_settle (400);
  g_assert_true (relais_test_wait (mail_idle, mail));
  g_assert_cmpuint (mediator_mail_get_n_candidates (mail), >=, 1);
  mediator_mail_choose (mail, 0);
  /* A parcel adds its shelf's entry to the row. */
  mediator_mail_set_count_kind (mail, 1, "parcel");
  g_assert_cmpint (window_width ("mail-register-parcel"), <=, SCREEN_WIDTH);
  mediator_mail_set_count_kind (mail, 1, "ordinary");
  mediator_mail_add (mail, 1, "ordinary", NULL);
  g_assert_cmpint (window_width ("mail-register"), <=, SCREEN_WIDTH);
  mediator_mail_submit (mail);
  g_assert_true (relais_test_wait (mail_idle, mail));
  g_assert_cmpint (window_width ("mail-registered"), <=, SCREEN_WIDTH);

  mediator_mail_show (mail, "hand-over");
  mediator_mail_hand_over_search (mail, "Abdelkader");
  g_assert_true (relais_test_wait (mail_idle, mail));
  mediator_mail_hand_over_choose (mail, 0);
  g_assert_true (relais_test_wait (mail_idle, mail));
  g_assert_cmpint (window_width ("mail-hand-over"), <=, SCREEN_WIDTH);

  mediator_mail_show (mail, "people");
  mediator_mail_people_open (people, "7001");
  g_assert_true (relais_test_wait (people_idle, people));
  mediator_mail_people_set_field (people, "last_met_by", long_message);
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  g_assert_cmpint (window_width ("mail-people"), <=, SCREEN_WIDTH);
  for (const char * const *tab = (const char *[]) { "returns", "failed", "messages", NULL }; *tab != NULL; tab++)
    {
      g_autofree char *step = g_strdup_printf ("mail-%s", *tab);

      mediator_mail_show (mail, *tab);
      g_assert_true (relais_test_wait (mail_idle, mail));
      g_assert_cmpint (window_width (step), <=, SCREEN_WIDTH);
    }

  mediator_window_show_view (window, "safes");
  mediator_safes_consult (MEDIATOR_SAFES (relais_test_ui_find (GTK_WIDGET (window), MEDIATOR_TYPE_SAFES, NULL)),
                          "12345678901234567890");
  g_assert_cmpint (window_width ("safes"), <=, SCREEN_WIDTH);

  /* Staff: the statistics, a station with a long name chosen. */
  mediator_window_logout (window);
  mediator_window_login (window, "claire", RELAIS_TEST_CLAIRE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));
  g_assert_true (relais_test_wait (dashboard_loaded, NULL));
  mediator_window_show_view (window, "statistics");
  mediator_dashboard_set_view (MEDIATOR_DASHBOARD (mediator_window_get_dashboard (window)), "month", 0, LONG_STATION);
  g_assert_true (relais_test_wait (dashboard_loaded, NULL));
  g_assert_cmpint (window_width ("statistics"), <=, SCREEN_WIDTH);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *station_token = NULL;
  RelaisDb        *db;
  int              rc;

  /* As the demo runs it: no language named anywhere. */
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  relais_test_ui_isolate_user_dirs ();
  /* A desktop's Documents folder, named as xdg-user-dirs does. */
  {
    g_autofree char *dirs = g_build_filename (g_get_user_config_dir (), "user-dirs.dirs", NULL);
    g_autofree char *documents = g_build_filename (g_getenv ("HOME"), "Documents", NULL);

    g_assert_cmpint (g_mkdir_with_parents (documents, 0700), ==, 0);
    g_assert_true (g_file_set_contents (dirs, "XDG_DOCUMENTS_DIR=\"$HOME/Documents\"\n", -1, NULL));
  }
  /* What relais-mediator's main () does. */
  relais_i18n_init ();
  relais_i18n_default_language ("fr");
  gtk_init (&argc, &argv);

  hub = relais_test_hub_new ();
  db = relais_hub_get_db (hub->hub);
  /* Long names, as they come. */
  station_token = relais_hub_enroll (db, "station", LONG_STATION, &error);
  g_assert_no_error (error);
  {
    RelaisSessionLog log = { relais_db_now_ms (), 300, "fr", "button", 2, 1, 0, 0, 0, 0, 0, NULL };
    RelaisEventInfo  info = { "long-session", "station:" LONG_STATION, "session.end", log.started_at, "{}" };
    gboolean         duplicate;

    g_assert_true (relais_db_stats_record_session (db, &info, LONG_STATION, &log, &duplicate, &error));
    g_assert_no_error (error);
  }
  {
    RelaisMailPerson p = {
      .number = "7001",
      .surname = "Abdelkader-Benmoussa de la Tour d'Auvergne-Lauraguais",
      .first_names = "Marie-Christine Jeanne Fatima-Zahra Anne-Sophie",
      .birth_date = "1971-06-21",
      .notify = "sms",
      .phone = "06 12 34 56 78",
    };
    RelaisMailPerson q = p;
    RelaisMailItem   item = { "7001", "court", 1, NULL,
                              "Tribunal judiciaire de Villeneuve-Saint-Georges, service des affaires familiales, cabinet 4",
                              TRUE };
    g_autoptr(RelaisMailPerson) saved = relais_db_mail_person_save (db, &p, &error);
    g_autoptr(RelaisMailPerson) other = NULL;
    g_autoptr(GPtrArray) letters = NULL;
    gboolean duplicate;

    g_assert_no_error (error);
    /* A homonym: the widest warning there is. */
    q.number = "7002";
    q.birth_date = "1988-02-02";
    other = relais_db_mail_person_save (db, &q, &error);
    g_assert_no_error (error);
    letters = relais_db_mail_register (db, "long-7001", "Sophie", &item, 1, NULL, 0,
                                       &(RelaisMailSite) { "la MDS", "lundi" }, relais_db_now_ms (), &duplicate, &error);
    g_assert_no_error (error);
  }

  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (NULL, console);
  relais_link_start (console);
  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));

  g_test_add_func ("/console-ui/dialog-in-french", test_dialog_in_french);
  g_test_add_func ("/console-ui/never-wider-than-the-screen", test_never_wider_than_the_screen);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_link_stop (console);
  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
