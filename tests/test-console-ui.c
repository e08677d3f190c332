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

static RelaisTestHub *hub;
static RelaisLink *console;
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
  GtkWidget *dialog;

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

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *station_token = NULL;
  RelaisDb *db;
  int rc;

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
    RelaisEventInfo info = { "long-session", "station:" LONG_STATION, "session.end", log.started_at, "{}" };
    gboolean duplicate;

    g_assert_true (relais_db_stats_record_session (db, &info, LONG_STATION, &log, &duplicate, &error));
    g_assert_no_error (error);
  }
  {
    RelaisMailPerson p = {
      .number = "7001", .surname = "Abdelkader-Benmoussa de la Tour d'Auvergne-Lauraguais",
      .first_names = "Marie-Christine Jeanne Fatima-Zahra Anne-Sophie", .birth_date = "1971-06-21",
      .notify = "sms", .phone = "06 12 34 56 78",
    };
    RelaisMailPerson q = p;
    RelaisMailItem item = { "7001", "court", 1, NULL,
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
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_link_stop (console);
  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
