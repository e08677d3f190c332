/* test-safe-console-ui.c: the console's "Coffres-forts" view and the
 * station's "Autoriser un médiateur", under Xvfb with the hub on loopback:
 * a mediator creates a safe (number and code shown), the resident locks
 * it with wrong PINs, the mediator unlocks it, the resident opens it, puts
 * a paper in and gives Sophie 30 minutes; Sophie then sees the list and
 * the time left, which she could not before. Screenshots kept. */
#include <glib/gstdio.h>

#include "mediator-mail.h"
#include "mediator-safes.h"
#include "relais-db-mail.h"
#include "mediator-window.h"
#include "relais-safe-client.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-i18n.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-safe-page.h"
#include "station-window.h"

static RelaisTestHub   *hub;
static StationServices *services;
static StationWindow   *station;
static MediatorWindow  *console_window;
static RelaisLink      *console;

/* ---- finding widgets the view keeps private ---- */

typedef struct {
  GType       type;
  const char *text; /* a label's text, for buttons */
  GtkWidget  *found;
} Find;

static gboolean
has_text (GtkWidget  *widget,
          const char *text)
{
  if (GTK_IS_LABEL (widget))
    return strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        if (has_text (l->data, text))
          return TRUE;
    }
  return FALSE;
}

static void
find_cb (GtkWidget *widget,
         gpointer   data)
{
  Find *find = data;

  if (find->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, find->type) && (find->text == NULL || has_text (widget, find->text)))
    {
      find->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_cb, find);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  Find find = { type, text, NULL };

  gtk_container_forall (GTK_CONTAINER (root), find_cb, &find);
  g_assert_nonnull (find.found);
  return find.found;
}

/* ---- waiting ---- */

static gboolean
logged_in (gpointer data)
{
  return mediator_window_get_mediator (console_window) != NULL;
}

static gboolean
view_idle (gpointer view)
{
  return !mediator_safes_is_busy (view);
}

static gboolean
page_idle (gpointer page)
{
  return !station_safe_page_is_busy (page);
}

static void
wait_page (StationSafePage *page)
{
  g_assert_true (relais_test_wait (page_idle, page));
  relais_test_ui_settle (50);
  /* A job may start another (open, then add, then load). */
  g_assert_true (relais_test_wait (page_idle, page));
}

typedef struct {
  RelaisSafeClient *client;
  const char       *number;
  const char       *code;
  gboolean          ok;
  gint              done;
} Activation;

static gpointer
activate_thread (gpointer data)
{
  Activation *a = data;

  a->ok = relais_safe_client_activate (a->client, a->number, a->code, "4821", NULL);
  relais_safe_client_close (a->client);
  g_atomic_int_set (&a->done, 1);
  return NULL;
}

static gboolean
activation_done (gpointer data)
{
  return g_atomic_int_get (&((Activation *) data)->done);
}

static void
test_console_and_consent (void)
{
  g_autoptr(GError) error = NULL;
  MediatorSafes   *view = MEDIATOR_SAFES (find_widget (GTK_WIDGET (console_window), MEDIATOR_TYPE_SAFES, NULL));
  StationSafePage *page = STATION_SAFE_PAGE (station_window_get_page (station, "safe"));
  g_autofree char *number = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *card = NULL;
  g_autofree char *card_bytes = NULL;
  gsize            card_length;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(RelaisSafeClient) client = NULL;
  Activation a = { 0 };
  GThread   *thread;

  mediator_window_show_view (console_window, "safes");

  /* Bad input: said plainly, nothing sent. */
  mediator_safes_unlock (view, "12ab", NULL);
  g_assert_false (mediator_safes_is_busy (view));
  g_assert_nonnull (strstr (mediator_safes_get_message (view), "chiffres"));

  /* Create: number and code on screen. */
  mediator_safes_create (view, "Jean Martin");
  g_assert_true (relais_test_wait (view_idle, view));
  g_test_message ("%s", mediator_safes_get_message (view));
  g_assert_cmpuint (strlen (mediator_safes_get_number (view)), ==, 10);
  g_assert_cmpuint (strlen (mediator_safes_get_code (view)), ==, 6);
  number = g_strdup (mediator_safes_get_number (view));
  relais_test_ui_settle (300);
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_window), "console-safes-created");

  /* The card the button saves; its PDF is also what the resident adds. */
  card = g_build_filename (hub->dir, "carte.pdf", NULL);
  g_assert_true (mediator_safes_write_card (number, mediator_safes_get_code (view), mediator_safes_get_recovery (view), card, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (card, &card_bytes, &card_length, &error));
  pdf = g_bytes_new (card_bytes, card_length);

  /* The resident types the card's code and chooses 4821. */
  client = relais_safe_client_new (services->link, NULL, &error);
  g_assert_no_error (error);
  a.client = client;
  a.number = number;
  a.code = mediator_safes_get_code (view);
  thread = g_thread_new ("activate", activate_thread, &a);
  g_assert_true (relais_test_wait (activation_done, &a));
  g_thread_join (thread);
  g_assert_true (a.ok);

  /* Without consent, Sophie sees nothing. */
  mediator_safes_consult (view, number);
  g_assert_true (relais_test_wait (view_idle, view));
  g_test_message ("%s", mediator_safes_get_message (view));
  g_assert_nonnull (strstr (mediator_safes_get_message (view), "accord"));
  g_assert_cmpuint (mediator_safes_get_n_documents (view), ==, 0);

  /* Five wrong PINs lock the safe; the mediator unlocks it. Under Xvfb
   * without a window manager the console would cover the station in the
   * screenshots: it stays hidden while the resident acts. */
  gtk_widget_hide (GTK_WIDGET (console_window));
  station_window_show_page (station, "safe");
  for (int i = 0; i < 5; i++)
    {
      station_safe_page_open (page, number, "0000");
      wait_page (page);
    }
  g_test_message ("%s", station_safe_page_get_status (page));
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "bloqué"));
  station_safe_page_open (page, number, "4821");
  wait_page (page);
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "bloqué"));
  mediator_safes_unlock (view, number, NULL);
  g_assert_true (relais_test_wait (view_idle, view));
  g_test_message ("%s", mediator_safes_get_message (view));
  g_assert_nonnull (strstr (mediator_safes_get_message (view), "débloqué"));

  /* The resident opens it and puts a paper in. */
  station_safe_page_add_document (page, pdf);
  station_safe_page_choose_category (page, "identite");
  station_safe_page_open (page, number, "4821");
  while (!g_str_equal (station_safe_page_get_screen (page), "list") || station_safe_page_is_busy (page))
    wait_page (page);
  g_assert_cmpuint (station_safe_page_get_n_documents (page), ==, 1);

  /* "Autoriser un médiateur": the screen, an empty login refused, then
   * Sophie for the default 30 minutes. */
  gtk_button_clicked (GTK_BUTTON (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Autoriser un")));
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "consent");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_widget (GTK_WIDGET (page), GTK_TYPE_RADIO_BUTTON,
                                                                               "30 minutes"))));
  relais_test_ui_settle (300);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "station-safe-consent");
  station_safe_page_consent (page, "  ", 30);
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "identifiant"));
  station_safe_page_consent (page, "personne", 30);
  wait_page (page);
  g_test_message ("%s", station_safe_page_get_status (page));
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "consent");
  station_safe_page_consent (page, "sophie", 30);
  wait_page (page);
  g_test_message ("%s", station_safe_page_get_status (page));
  g_assert_nonnull (strstr (station_safe_page_get_status (page), "sophie peut voir"));
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "list");

  /* The resident sees it in the journal. */
  gtk_button_clicked (GTK_BUTTON (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Qui a ouvert")));
  wait_page (page);
  g_assert_cmpstr (station_safe_page_get_screen (page), ==, "journal");
  g_assert_true (has_text (GTK_WIDGET (page), "accord donné à sophie"));
  relais_test_ui_settle (300);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (station), "station-safe-consent-journal");

  /* Now Sophie sees the list and how long she may. */
  gtk_widget_show (GTK_WIDGET (console_window));
  mediator_safes_consult (view, number);
  g_assert_true (relais_test_wait (view_idle, view));
  g_test_message ("%s", mediator_safes_get_message (view));
  g_assert_cmpuint (mediator_safes_get_n_documents (view), ==, 1);
  g_assert_true (has_text (GTK_WIDGET (view), "encore 30 min"));
  g_assert_true (has_text (GTK_WIDGET (view), "Identité"));
  relais_test_ui_settle (300);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_window), "console-safes-consent");

  /* And she can open it, not just read its name. */
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (view), "Ouvrir"));
  mediator_safes_open_document (view, 0);
  g_assert_true (relais_test_wait (view_idle, view));
  g_test_message ("%s", mediator_safes_get_message (view));
  g_assert_cmpuint (mediator_safes_get_n_viewers (view), ==, 1);
  g_assert_cmpuint (mediator_viewer_get_n_pages (mediator_safes_get_viewer (view, 0)), ==, 1);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (mediator_safes_get_viewer (view, 0)), "console-safes-document");
  g_unlink (card);
}

static gboolean
viewer_shown (gpointer view)
{
  return !mediator_safes_is_busy (view) && mediator_safes_get_n_viewers (view) > 0;
}

/* The viewer takes what a safe holds: PDF or picture; anything else is
 * refused with a sentence, and no window. */
static void
test_viewer_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1600, 1000);
  g_autofree char *png = NULL;
  gsize            png_size = 0;
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("PK\003\004 not a document", 24);
  g_autoptr(GBytes) broken = g_bytes_new_static ("%PDF-1.4 truncated", 18);
  MediatorViewer *viewer;

  gdk_pixbuf_fill (pixbuf, 0x3060a0ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL));
  picture = g_bytes_new (png, png_size);
  viewer = mediator_viewer_new (NULL, "photo.png", picture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mediator_viewer_get_n_pages (viewer), ==, 1);
  gtk_widget_destroy (GTK_WIDGET (viewer));

  g_assert_null (mediator_viewer_new (NULL, "x", junk, &error));
  g_assert_error (error, MEDIATOR_VIEWER_ERROR, MEDIATOR_VIEWER_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "ne s'ouvre pas"));
  g_clear_error (&error);
  g_assert_null (mediator_viewer_new (NULL, "x", broken, &error));
  g_assert_error (error, MEDIATOR_VIEWER_ERROR, MEDIATOR_VIEWER_ERROR_UNREADABLE);
}

static gboolean
mail_idle (gpointer mail)
{
  return !mediator_mail_is_busy (mail);
}

static gboolean
mail_has_waiting (gpointer mail)
{
  return !mediator_mail_is_busy (mail) && mediator_mail_get_n_waiting (mail) > 0;
}

static gboolean
code_gone (gpointer view)
{
  return mediator_safes_get_code (view) == NULL;
}

/* What one mediator saw is gone for the next: the documents shown under
 * the consent given to Sophie, a safe's one-time code, the person she
 * looked up to hand mail over. */
static void
test_logout_clears (void)
{
  g_autoptr(GError) error = NULL;
  MediatorSafes   *view = MEDIATOR_SAFES (relais_test_ui_find (GTK_WIDGET (console_window), MEDIATOR_TYPE_SAFES, NULL));
  MediatorMail    *mail = MEDIATOR_MAIL (mediator_window_get_mail (console_window));
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;
  g_autofree char *shot = NULL;
  const char      *secrets[] = { "Identité", "encore 30 min", "TOUSSAINT", "Aminata", "3001", "touss", NULL, NULL };

  /* Sophie: the consented documents are on screen (previous test). */
  g_assert_cmpuint (mediator_safes_get_n_documents (view), ==, 1);
  /* A new safe, its code on screen. */
  mediator_safes_create (view, "Aminata Toussaint");
  g_assert_true (relais_test_wait (view_idle, view));
  number = g_strdup (mediator_safes_get_number (view));
  code = g_strdup (mediator_safes_get_code (view));
  secrets[6] = number;
  secrets[7] = code;
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (view), code));
  /* A document open. */
  if (mediator_safes_get_n_viewers (view) == 0)
    mediator_safes_open_document (view, 0);
  g_assert_true (relais_test_wait (viewer_shown, view));

  /* A person looked up at the mail desk, by name. */
  {
    g_autoptr(RelaisMailPerson) saved = NULL;
    g_autoptr(GPtrArray) letters = NULL;
    RelaisMailPerson p = { .number = "3001", .surname = "Toussaint", .first_names = "Aminata", .birth_date = "1979-03-08", .notify = "sms", .phone = "06 11 22 33 44" };
    RelaisMailItem   item = { "3001", "tax", 1, NULL, NULL, FALSE };
    gboolean         duplicate;

    saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &p, &error);
    g_assert_no_error (error);
    letters = relais_db_mail_register (relais_hub_get_db (hub->hub), "logout-3001", "Sophie", &item, 1, NULL, 0,
                                       &(RelaisMailSite) { "la MDS", "lundi" }, relais_db_now_ms (), &duplicate, &error);
    g_assert_no_error (error);
  }
  mediator_window_show_view (console_window, "mail");
  mediator_mail_show (mail, "hand-over");
  mediator_mail_hand_over_search (mail, "touss");
  g_assert_true (relais_test_wait (mail_idle, mail));
  g_assert_cmpuint (mediator_mail_get_n_hand_candidates (mail), ==, 1);
  mediator_mail_hand_over_choose (mail, 0);
  g_assert_true (relais_test_wait (mail_has_waiting, mail));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (console_window), "TOUSSAINT"));

  /* Sophie leaves; Marc logs in on the same console. */
  mediator_window_logout (console_window);
  mediator_window_login (console_window, "marc", RELAIS_TEST_MARC_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));
  g_assert_cmpstr (mediator_window_get_mediator (console_window), ==, "Marc");
  relais_test_ui_settle (300);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_test_message ("looking for « %s »", secrets[i]);
      g_assert_false (relais_test_ui_has_text (GTK_WIDGET (console_window), secrets[i]));
    }
  g_assert_cmpuint (mediator_safes_get_n_documents (view), ==, 0);
  g_assert_cmpuint (mediator_safes_get_n_viewers (view), ==, 0);
  g_assert_null (mediator_safes_get_code (view));
  g_assert_cmpuint (mediator_mail_get_n_hand_candidates (mail), ==, 0);
  g_assert_cmpuint (mediator_mail_get_n_waiting (mail), ==, 0);
  mediator_window_show_view (console_window, "safes");
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_window), "console-after-logout-safes");
  g_clear_pointer (&shot, g_free);
  mediator_window_show_view (console_window, "mail");
  mediator_mail_show (mail, "hand-over");
  shot = relais_test_ui_screenshot (GTK_WIDGET (console_window), "console-after-logout-hand-over");
}

/* The one-time code does not wait on screen: it goes when dismissed, or
 * after its lifetime (two minutes; shortened here). */
static void
test_code_goes (void)
{
  MediatorSafes   *view = MEDIATOR_SAFES (relais_test_ui_find (GTK_WIDGET (console_window), MEDIATOR_TYPE_SAFES, NULL));
  g_autofree char *code = NULL;

  mediator_window_show_view (console_window, "safes");
  mediator_safes_create (view, NULL);
  g_assert_true (relais_test_wait (view_idle, view));
  code = g_strdup (mediator_safes_get_code (view));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (view), code));
  gtk_button_clicked (GTK_BUTTON (relais_test_ui_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Masquer le code")));
  g_assert_null (mediator_safes_get_code (view));
  g_assert_false (relais_test_ui_has_text (GTK_WIDGET (view), code));

  g_clear_pointer (&code, g_free);
  mediator_safes_set_code_lifetime (view, 300);
  mediator_safes_create (view, NULL);
  g_assert_true (relais_test_wait (view_idle, view));
  code = g_strdup (mediator_safes_get_code (view));
  g_assert_nonnull (code);
  g_assert_true (relais_test_wait (code_gone, view));
  g_assert_false (relais_test_ui_has_text (GTK_WIDGET (view), code));
  g_assert_nonnull (strstr (mediator_safes_get_message (view), "n'est plus affiché"));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  hub = relais_test_hub_new ();
  services = relais_test_station_services_new (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });
  station = relais_test_station_window_new (services);

  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  console_window = mediator_window_new (NULL, console);
  gtk_widget_show (GTK_WIDGET (console_window));
  mediator_window_login (console_window, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_assert_true (relais_test_wait (logged_in, NULL));

  g_test_add_func ("/safe-console-ui/create-unlock-consent", test_console_and_consent);
  g_test_add_func ("/safe-console-ui/logout-clears", test_logout_clears);
  g_test_add_func ("/safe-console-ui/viewer-input", test_viewer_input);
  g_test_add_func ("/safe-console-ui/code-goes", test_code_goes);
  rc = g_test_run ();

  gtk_widget_destroy (GTK_WIDGET (console_window));
  g_object_unref (console);
  relais_test_station_free (station, services);
  relais_test_hub_free (hub);
  return rc;
}
