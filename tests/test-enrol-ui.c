/* test-enrol-ui.c: the station's first-start screen against the real
 * hub: a wrong code says so and writes nothing; the right one shows the
 * hub's fingerprint, and only the staff's confirmation writes the token. */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "relais-enrol-window.h"
#include "relais-hub.h"
#include "relais-config.h"
#include "relais-test-hub.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"

static gboolean
confirm_shown (gpointer data)
{
  relais_test_ui_settle (50);
  return relais_test_ui_find_named (data, "Enregistrer l'inscription") != NULL;
}

static gboolean
entry_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
enrolled_cb (RelaisEnrolWindow *window,
             gboolean          *enrolled)
{
  *enrolled = TRUE;
}

static void
test_enrol_screen (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-enrol-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "station.conf", NULL);
  g_autofree char *code = relais_hub_enrol_code_new (relais_hub_get_db (th->hub), "station", "poste-2",
                                                     RELAIS_HUB_ENROL_CODE_LIFETIME_MS, &error);
  g_autofree char *shot = NULL;
  g_autoptr(RelaisConfig) config = NULL;
  RelaisEnrolWindow *window;
  GtkWidget         *hub_entry, *code_entry, *enrol, *confirm;
  gboolean           enrolled = FALSE;

  g_assert_no_error (error);
  window = relais_enrol_window_new (NULL, "station", path, th->url);
  g_signal_connect (window, "enrolled", G_CALLBACK (enrolled_cb), &enrolled);
  gtk_widget_show (GTK_WIDGET (window));
  relais_test_ui_settle (300);

  /* Every control a screen reader can name, in French. */
  enrol = relais_test_ui_find_named (GTK_WIDGET (window), "Inscrire ce poste");
  g_assert_nonnull (enrol);
  hub_entry = relais_test_ui_find (GTK_WIDGET (window), GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (hub_entry);
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (hub_entry)), ==, "Adresse du hub");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (hub_entry)), ==, th->url);
  {
    g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent (hub_entry)));

    code_entry = NULL;
    for (GList *l = children; l != NULL; l = l->next)
      if (GTK_IS_ENTRY (l->data) && l->data != hub_entry)
        code_entry = l->data;
  }
  g_assert_nonnull (code_entry);
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (code_entry)), ==, "Code d'inscription");

  /* A wrong code: the hub's sentence, nothing written. */
  gtk_entry_set_text (GTK_ENTRY (code_entry), "ACDE-FH34");
  if (g_ascii_strcasecmp (code, "ACDE-FH34") == 0)
    gtk_entry_set_text (GTK_ENTRY (code_entry), "ACDE-FH37");
  relais_test_ui_touch (enrol);
  g_assert_true (relais_test_wait (entry_sensitive, code_entry));
  relais_test_ui_settle (100);
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "inconnu"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (relais_test_ui_screenshot (GTK_WIDGET (window), "enrol-wrong-code"));

  /* The right one: the name, then a confirmation before anything is saved. */
  gtk_entry_set_text (GTK_ENTRY (code_entry), code);
  relais_test_ui_touch (enrol);
  g_assert_true (relais_test_wait (confirm_shown, window));
  relais_test_ui_settle (200);
  confirm = relais_test_ui_find_named (GTK_WIDGET (window), "Enregistrer l'inscription");
  g_assert_nonnull (confirm);
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "poste-2"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "enrol-fingerprint");
  g_test_message ("screenshot: %s", shot);
  g_assert_cmpuint (relais_test_ui_count_unknown_glyphs (GTK_WIDGET (window), NULL), ==, 0);

  relais_test_ui_touch (confirm);
  g_assert_true (relais_test_wait (flag_set, &enrolled));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "poste-2");
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, th->url);
  g_assert_cmpuint (strlen (relais_config_get (config, "station", "token")), >, 20);

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_test_hub_free (th);
}

static void
console_enrolled_cb (RelaisEnrolWindow *window,
                     gboolean          *enrolled)
{
  *enrolled = TRUE;
}

static gboolean
console_confirm_shown (gpointer data)
{
  relais_test_ui_settle (50);
  return relais_test_ui_find_named (data, "Enregistrer l'inscription") != NULL;
}

/* The console's screen: a station's code is not for it; its own is. */
static void
test_console_screen (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-enrol-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mediator.conf", NULL);
  g_autofree char *code = relais_hub_enrol_code_new (relais_hub_get_db (th->hub), "console", "bureau-3",
                                                     RELAIS_HUB_ENROL_CODE_LIFETIME_MS, &error);
  g_autoptr(RelaisConfig) config = NULL;
  RelaisEnrolWindow *window;
  GtkWidget         *hub_entry, *code_entry = NULL, *enrol, *confirm;
  gboolean           enrolled = FALSE;

  g_assert_no_error (error);
  window = relais_enrol_window_new (NULL, "console", path, th->url);
  g_signal_connect (window, "enrolled", G_CALLBACK (console_enrolled_cb), &enrolled);
  gtk_widget_show (GTK_WIDGET (window));
  relais_test_ui_settle (300);
  enrol = relais_test_ui_find_named (GTK_WIDGET (window), "Inscrire cette console");
  g_assert_nonnull (enrol);
  hub_entry = relais_test_ui_find (GTK_WIDGET (window), GTK_TYPE_ENTRY, NULL);
  {
    g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent (hub_entry)));

    for (GList *l = children; l != NULL; l = l->next)
      if (GTK_IS_ENTRY (l->data) && l->data != hub_entry)
        code_entry = l->data;
  }
  g_assert_nonnull (code_entry);
  gtk_entry_set_text (GTK_ENTRY (code_entry), code);
  relais_test_ui_touch (enrol);
  g_assert_true (relais_test_wait (console_confirm_shown, window));
  confirm = relais_test_ui_find_named (GTK_WIDGET (window), "Enregistrer l'inscription");
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (window), "bureau-3"));
  g_free (relais_test_ui_screenshot (GTK_WIDGET (window), "enrol-console"));
  relais_test_ui_touch (confirm);
  g_assert_true (relais_test_wait (flag_set, &enrolled));
  config = relais_config_load (RELAIS_PROGRAM_MEDIATOR, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "console", "name"), ==, "bureau-3");
  g_assert_cmpuint (strlen (relais_config_get (config, "console", "token")), >, 20);

  gtk_widget_destroy (GTK_WIDGET (window));
  relais_test_hub_free (th);
}

int
main (int argc, char **argv)
{
  relais_test_ui_init (&argc, &argv, TRUE);
  g_test_add_func ("/enrol-ui/first-start", test_enrol_screen);
  g_test_add_func ("/enrol-ui/console-first-start", test_console_screen);
  return g_test_run ();
}
