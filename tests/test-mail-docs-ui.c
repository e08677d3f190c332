/* test-mail-docs-ui.c: the "Personnes" tab's supporting documents under
 * Xvfb: a page scanned through the SANE test backend, sent to the real
 * hub, listed and previewed; the application's reason; screenshot kept. */
#include <string.h>

#include "mediator-mail-docs.h"
#include "mediator-mail-people.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

static RelaisTestHub      *hub;
static RelaisLink         *console;
static GtkWidget          *window;
static MediatorMailPeople *people;

static gboolean
people_idle (gpointer data)
{
  return !mediator_mail_people_is_busy (people)
         && !mediator_mail_docs_is_busy (MEDIATOR_MAIL_DOCS (mediator_mail_people_get_documents (people)));
}

static void
test_scan_view (void)
{
  MediatorMailDocs *docs = MEDIATOR_MAIL_DOCS (mediator_mail_people_get_documents (people));
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autofree char *shot = NULL;
  gint64           counts[5];

  p = relais_db_mail_person_save (relais_hub_get_db (hub->hub),
                                  &(RelaisMailPerson) { .number = "3001", .surname = "Lambert", .first_names = "Nadia", .birth_date = "1985-05-05", .notify = "none" }, &error);
  g_assert_no_error (error);

  /* Before a record is open, the button says what to do first. */
  mediator_mail_docs_scan (docs);
  g_assert_nonnull (strstr (mediator_mail_docs_get_message (docs), "fiche"));

  mediator_mail_people_open (people, "3001");
  g_assert_true (relais_test_wait (people_idle, NULL));
  g_assert_cmpuint (mediator_mail_docs_get_n_documents (docs), ==, 0);

  /* A small page: libsane-test can hang on a large cancelled scan. */
  scanner = relais_scanner_sane_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "br-x", "20", &error));
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "br-y", "20", &error));
  mediator_mail_docs_set_scanner (docs, scanner);
  mediator_mail_docs_set_label (docs, "resources");
  mediator_mail_docs_scan (docs);
  g_assert_true (relais_test_wait (people_idle, NULL));
  g_assert_cmpstr (mediator_mail_docs_get_message (docs), ==, "Pièce numérisée et enregistrée.");
  g_assert_cmpuint (mediator_mail_docs_get_n_documents (docs), ==, 1);
  g_assert_nonnull (strstr (mediator_mail_docs_get_line (docs, 0), "Justificatif de ressources"));

  mediator_mail_docs_view (docs, 0);
  g_assert_true (relais_test_wait (people_idle, NULL));
  g_assert_cmpint (mediator_mail_docs_get_preview_pages (docs), ==, 1);

  /* The application with its reason. */
  mediator_mail_people_set_field (people, "decision", "applied");
  mediator_mail_people_set_field (people, "reason", "emergency");
  mediator_mail_people_decide (people);
  g_assert_true (relais_test_wait (people_idle, NULL));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "Décision enregistrée pour Nadia LAMBERT"));
  g_assert_false (mediator_mail_people_message_is_error (people));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

    g_assert_true (relais_db_mail_reason_counts (relais_hub_get_db (hub->hub), today, today, counts, &error));
    g_assert_cmpint (counts[2], ==, 1);
  }

  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (window, "mail-console-documents");
  g_assert_nonnull (shot);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  relais_test_ui_init (&argc, &argv, FALSE);

  hub = relais_test_hub_new ();
  console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_resize (GTK_WINDOW (window), 1200, 780);
  people = MEDIATOR_MAIL_PEOPLE (mediator_mail_people_new (console));
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (people));
  gtk_widget_show_all (window);

  g_test_add_func ("/mail-docs-ui/scan-view", test_scan_view);
  rc = g_test_run ();

  gtk_widget_destroy (window);
  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
