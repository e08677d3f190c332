/* test-central-ui.c: the console's person form asks the département's
 * registry (issue 19) before a new file is made: a person with an
 * application at another body's site shows « Déjà domicilié(e) par »;
 * with the registry away the answer comes from the site's copy and says
 * so; a single site shows nothing. While the registry is away, the
 * console's bar says so, how old the copy is and what waits to go up.
 * The real console window, two real hubs joined to a throwaway
 * PostgreSQL 15; screenshots kept. */
#include <string.h>

#include "mediator-mail.h"
#include "mediator-mail-elsewhere.h"
#include "mediator-mail-people.h"
#include "mediator-window.h"
#include "relais-central.h"
#include "relais-hub-central.h"
#include "relais-hub-central-safe.h"
#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-pg.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

#define PASSWORD "mot-de-passe-long-1"

static RelaisTestPg  *cluster;
static char          *database;
static RelaisTestHub *hub_a; /* the CCAS */
static RelaisTestHub *hub_b; /* the Secours Catholique: the console's */

static void
make_departement (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(RelaisCentral) owner = NULL;

  database = relais_test_pg_new_database (cluster);
  url = relais_test_pg_owner_url (cluster, database);
  owner = relais_central_connect (url, &error);
  g_assert_no_error (error);
  relais_central_migrate (owner, &error);
  g_assert_no_error (error);
  relais_central_add_organisation (owner, "ccas", "CCAS de Villeneuve", &error);
  g_assert_no_error (error);
  relais_central_add_organisation (owner, "secours", "Secours Catholique", &error);
  g_assert_no_error (error);
  relais_central_add_site (owner, "ccas", "ccas-centre", "CCAS — centre", "ui_ccas", PASSWORD, &error);
  g_assert_no_error (error);
  relais_central_add_site (owner, "secours", "secours-gare", "Secours Catholique — gare", "ui_secours", PASSWORD,
                           &error);
  g_assert_no_error (error);
}

static void
join (RelaisTestHub *hub, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = relais_test_pg_url (cluster, database, role, PASSWORD);

  relais_hub_set_central (hub->hub, url, &error);
  g_assert_no_error (error);
  relais_hub_central_set_retry (hub->hub, 50, 400);
}

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (data) != NULL;
}

static gboolean
answered (gpointer data)
{
  return !mediator_mail_elsewhere_is_busy (data);
}

static gboolean
copied (gpointer data)
{
  g_autoptr(GPtrArray) rows = relais_db_central_copy_lookup (relais_hub_get_db (hub_b->hub), "dupont|marie",
                                                              "1980-04-02", NULL);

  return rows != NULL && rows->len == 1;
}

/* Types a new person as the desk does, and waits for the registry's
 * answer under the birth date. */
static const char *
type_person (MediatorMailPeople *people, const char *surname, const char *first_names, const char *birth)
{
  MediatorMailElsewhere *elsewhere = MEDIATOR_MAIL_ELSEWHERE (mediator_mail_people_get_elsewhere (people));

  mediator_mail_people_set_field (people, "number", "");
  mediator_mail_people_set_field (people, "surname", surname);
  mediator_mail_people_set_field (people, "first_names", first_names);
  mediator_mail_people_set_field (people, "birth_date", birth);
  g_assert_true (mediator_mail_elsewhere_is_busy (elsewhere));
  g_assert_true (relais_test_wait (answered, elsewhere));
  relais_test_ui_settle (200);
  return mediator_mail_elsewhere_get_text (elsewhere);
}

static gboolean
people_idle (gpointer data)
{
  return !mediator_mail_people_is_busy (data);
}

/* At A the desk records Marie Louise Dupont's application; at B, before
 * creating her file, the desk sees it. */
static void
test_elsewhere_shown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) console_a = relais_test_console (hub_a, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) link = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char    *number = NULL;
  g_autofree char    *shot = NULL;
  g_autofree char    *path = NULL;
  MediatorWindow     *window;
  MediatorMail       *mail;
  MediatorMailPeople *people;
  GtkWidget          *elsewhere;
  const char         *text;
  AtkObject          *accessible;

  reply = relais_test_call (console_a, "/mail/people",
                            json_from_string ("{\"surname\": \"Dupont\", \"first_names\": \"Marie Louise\","
                                              " \"birth_date\": \"1980-04-02\", \"notify\": \"none\"}",
                                              NULL),
                            &error);
  g_assert_no_error (error);
  number = g_strdup (json_object_get_string_member (json_object_get_object_member (reply, "person"), "number"));
  g_clear_pointer (&reply, json_object_unref);
  path = g_strdup_printf ("/mail/people/%s/decision", number);
  reply = relais_test_call (console_a, path,
                            json_from_string ("{\"decision\": \"applied\", \"reason\": \"no-home\"}", NULL), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);

  /* B's console, as the desk uses it. */
  link = relais_link_new (hub_b->url, hub_b->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (NULL, link);
  relais_link_start (link);
  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, window));
  gtk_window_resize (GTK_WINDOW (window), 1280, 800);
  mediator_window_show_view (window, "mail");
  mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  mediator_mail_show (mail, "people");
  people = MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (mail));
  elsewhere = mediator_mail_people_get_elsewhere (people);
  relais_test_ui_settle (200);
  g_assert_false (gtk_widget_get_visible (elsewhere));

  /* Typed as B's desk types it: another case, one first name, the date
   * JJ/MM/AAAA. Pushed by A and answered by the centre. */
  text = type_person (people, "DUPONT", "Marie", "02/04/1980");
  for (guint i = 0; i < 50 && strstr (text, "Déjà") == NULL; i++)
    {
      /* A's push is every 100 ms: ask again until it is there. */
      relais_test_ui_settle (100);
      mediator_mail_people_set_field (people, "birth_date", "");
      text = type_person (people, "DUPONT", "Marie", "02/04/1980");
    }
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==, "Déjà domicilié(e) par : CCAS de Villeneuve (CCAS — centre, demande en cours)");
  g_assert_true (gtk_widget_get_mapped (elsewhere));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "Déjà domicilié(e) par : CCAS de Villeneuve"));
  /* A screen reader says the same. */
  accessible = gtk_widget_get_accessible (elsewhere);
  g_assert_cmpstr (atk_object_get_name (accessible), ==, text);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "central-console-elsewhere");

  /* Someone else (another birth date): nothing. */
  text = type_person (people, "Dupont", "Marie", "03/04/1980");
  g_assert_cmpstr (text, ==, "");
  g_assert_false (gtk_widget_get_visible (elsewhere));

  /* The registry away: B's copy answers, and the line says so. */
  g_assert_true (relais_test_wait (copied, NULL));
  relais_test_pg_stop (cluster);
  text = type_person (people, "Dupont", "Marie", "02/04/1980");
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Déjà domicilié(e) par : CCAS de Villeneuve"));
  g_assert_nonnull (strstr (text, "ne répond pas"));
  g_assert_nonnull (strstr (text, "copie"));
  g_assert_null (strstr (text, "127.0.0.1"));
  g_assert_null (strstr (text, cluster->dir));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "central-console-elsewhere-offline");
  relais_test_pg_start (cluster);

  /* B makes its own file for her (the home rule): an open record is no
   * new file, the line goes. */
  mediator_mail_people_set_field (people, "notify", "none");
  mediator_mail_people_save (people);
  g_assert_true (relais_test_wait (people_idle, people));
  relais_test_ui_settle (200);
  g_test_message ("%s", mediator_mail_people_get_message (people));
  g_assert_nonnull (strstr (mediator_mail_people_get_message (people), "enregistrée"));
  g_assert_false (gtk_widget_get_visible (elsewhere));

  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
count_central (RelaisLink *link, const char *event, JsonObject *object, guint *n)
{
  (*n)++;
}

static void
note_joined (RelaisLink *link, const char *event, JsonObject *object, int *joined)
{
  *joined = json_object_get_boolean_member_with_default (object, "joined", TRUE);
}

static void
set_flag (RelaisLink *link, gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
central_away_shown (gpointer data)
{
  MediatorWindow  *window = data;
  gint64           queued = relais_hub_central_pending (hub_b->hub) + relais_hub_central_up_pending (hub_b->hub);
  g_autofree char *count = g_strdup_printf ("%d changement", (int) queued);

  return queued > 0 && strstr (mediator_window_get_central_text (window), count) != NULL;
}

static gboolean
central_hidden (gpointer data)
{
  return !gtk_widget_get_visible (mediator_window_get_central (data));
}

static gboolean
central_shown (gpointer data)
{
  return gtk_widget_get_visible (mediator_window_get_central (data));
}

static gboolean
central_drained (gpointer data)
{
  return relais_hub_central_pending (hub_b->hub) == 0;
}

/* The registry away: B's console says so, with the copy's age and what
 * B's desk did meanwhile waiting to go up; back, the bar goes. */
static void
test_away_shown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) console = relais_test_console (hub_b, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) link = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *shot = NULL;
  MediatorWindow  *window;
  const char      *text;

  link = relais_link_new (hub_b->url, hub_b->console_token, NULL, &error);
  g_assert_no_error (error);
  window = mediator_window_new (NULL, link);
  relais_link_start (link);
  mediator_window_login (window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, window));
  gtk_window_resize (GTK_WINDOW (window), 1280, 800);
  gtk_widget_show (GTK_WIDGET (window));
  relais_test_ui_settle (300);
  /* Reached: nothing more than before. */
  g_assert_true (relais_test_wait (central_hidden, window));
  g_assert_cmpstr (mediator_window_get_central_text (window), ==, "");

  relais_test_pg_stop (cluster);
  /* Nothing to push: the copy's pull alone finds the centre away. */
  g_assert_true (relais_test_wait (central_shown, window));
  g_test_message ("%s", mediator_window_get_central_text (window));
  /* The desk goes on: a new file waits to go up. */
  reply = relais_test_call (console, "/mail/people",
                            json_from_string ("{\"surname\": \"Martin\", \"first_names\": \"Paul\","
                                              " \"birth_date\": \"1975-09-12\", \"notify\": \"none\"}",
                                              NULL),
                            &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_wait (central_away_shown, window));
  relais_test_ui_settle (200);
  text = mediator_window_get_central_text (window);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Registre du département injoignable depuis "));
  g_assert_nonnull (strstr (text, "réponses d'après la copie du site (à jour de"));
  g_assert_null (strstr (text, "127.0.0.1"));
  g_assert_true (gtk_widget_get_mapped (mediator_window_get_central (window)));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "Registre du département injoignable"));
  /* A screen reader says the same. */
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (mediator_window_get_central (window))), ==,
                   text);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "central-console-away");

  /* A console that connects meanwhile hears it before "ready". */
  {
    g_autoptr(RelaisLink) late = relais_link_new (hub_b->url, hub_b->console_token, NULL, &error);
    int      joined = -1;
    gboolean ready = FALSE;

    g_assert_no_error (error);
    g_signal_connect (late, "stream-event::central", G_CALLBACK (note_joined), &joined);
    g_signal_connect (late, "ready", G_CALLBACK (set_flag), &ready);
    relais_link_start (late);
    g_assert_true (relais_test_wait (flag_set, &ready));
    g_assert_cmpint (joined, ==, FALSE);
  }

  /* Back: the queue goes up and the bar goes. */
  relais_test_pg_start (cluster);
  g_assert_true (relais_test_wait (central_drained, NULL));
  g_assert_true (relais_test_wait (central_hidden, window));
  g_assert_cmpstr (mediator_window_get_central_text (window), ==, "");
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "central-console-back");

  gtk_widget_destroy (GTK_WIDGET (window));
}

/* A hub with no [central]: the form shows nothing more than before, and
 * the stream says nothing of a registry. */
static void
test_single_site (void)
{
  RelaisTestHub *hub = relais_test_hub_new ();
  g_autoptr(RelaisLink) link = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  GtkWidget  *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget  *people = mediator_mail_people_new (link);
  GtkWidget  *elsewhere = mediator_mail_people_get_elsewhere (MEDIATOR_MAIL_PEOPLE (people));
  const char *text;

  gtk_container_add (GTK_CONTAINER (window), people);
  gtk_widget_show_all (window);
  g_assert_true (relais_test_wait (people_idle, people));
  text = type_person (MEDIATOR_MAIL_PEOPLE (people), "Dupont", "Marie", "02/04/1980");
  g_assert_cmpstr (text, ==, "");
  g_assert_false (gtk_widget_get_visible (elsewhere));
  gtk_widget_destroy (window);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelaisLink) console = relais_link_new (hub->url, hub->console_token, NULL, &error);
    guint    n_central = 0;
    gboolean ready = FALSE;

    g_assert_no_error (error);
    g_signal_connect (console, "stream-event::central", G_CALLBACK (count_central), &n_central);
    g_signal_connect (console, "ready", G_CALLBACK (set_flag), &ready);
    relais_link_start (console);
    g_assert_true (relais_test_wait (flag_set, &ready));
    relais_test_ui_settle (200);
    g_assert_cmpuint (n_central, ==, 0);
  }
  relais_test_hub_free (hub);
}

int
main (int argc, char **argv)
{
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);
  relais_i18n_default_language ("fr");
  cluster = relais_test_pg_new ();
  make_departement ();
  hub_a = relais_test_hub_new ();
  hub_b = relais_test_hub_new ();
  join (hub_a, "ui_ccas");
  join (hub_b, "ui_secours");

  g_test_add_func ("/central-ui/elsewhere-shown", test_elsewhere_shown);
  g_test_add_func ("/central-ui/away-shown", test_away_shown);
  g_test_add_func ("/central-ui/single-site", test_single_site);
  rc = g_test_run ();

  relais_test_hub_free (hub_a);
  relais_test_hub_free (hub_b);
  g_free (database);
  relais_test_pg_free (cluster);
  return rc;
}
