/* test-config.c: one documented key file per program, defaults, typos. */
#include <glib/gstdio.h>
#include <string.h>

#include "relais-config.h"
#include "relais-web.h"
#include "relais-test-util.h"

static void
test_defaults_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = NULL;

  g_unsetenv ("RELAIS_CONFIG");
  config = relais_config_load (RELAIS_PROGRAM_STATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (relais_config_get_path (config));
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "http://127.0.0.1:8470");
  /* Paths under the user's data dir, never a fixed place. */
  g_assert_true (g_str_has_prefix (relais_config_get (config, "station", "database"), g_get_user_data_dir ()));
  g_assert_true (relais_config_get_bool (config, "station", "fullscreen"));
}

static void
test_shipped_examples_load (void)
{
  static const struct {
    const char   *file;
    RelaisProgram program;
  } examples[] = {
    { "hub.conf", RELAIS_PROGRAM_HUB },
    { "station.conf", RELAIS_PROGRAM_STATION },
    { "mediator.conf", RELAIS_PROGRAM_MEDIATOR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *path = g_build_filename (relais_test_source_dir (), "assets", "config", examples[i].file, NULL);
      g_autofree char *shipped = NULL;
      g_autofree char *dumped = relais_config_dump_defaults (examples[i].program);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaisConfig) config = relais_config_load (examples[i].program, path, &error);

      g_assert_no_error (error);
      /* The documentation shipped is what the program knows. */
      g_assert_true (g_file_get_contents (path, &shipped, NULL, NULL));
      g_assert_cmpstr (shipped, ==, dumped);
    }
}

static char *
write_config (const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-config-XXXXXX", NULL);
  char            *path = g_build_filename (dir, "station.conf", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_values_and_overrides (void)
{
  g_autofree char *path = write_config ("[hub]\nurl = http://hub.local:9000 \n[station]\nname=Accueil 2\nfullscreen=false\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get_path (config), ==, path);
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "http://hub.local:9000");
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "Accueil 2");
  g_assert_false (relais_config_get_bool (config, "station", "fullscreen"));
  relais_config_set (config, "station", "name", "Poste 3");
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "Poste 3");
}

static void
test_unknown_key_refused (void)
{
  g_autofree char *path = write_config ("[station]\nfulscreen=false\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);

  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "fulscreen"));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_unreadable_refused (void)
{
  g_autofree char *garbage = write_config ("this is = not [a key file\n\x01");
  g_autoptr(GError) error = NULL;
  RelaisConfig *config;

  config = relais_config_load (RELAIS_PROGRAM_HUB, "/nonexistent/relais/hub.conf", &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/relais/hub.conf"));
  g_clear_error (&error);

  config = relais_config_load (RELAIS_PROGRAM_HUB, garbage, &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ);
}

static void
test_bad_number_falls_back (void)
{
  g_autofree char *path = write_config ("[hub]\nport=huit mille\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_HUB, path, &error);

  g_assert_no_error (error);
  g_test_expect_message ("relais-common", G_LOG_LEVEL_MESSAGE, "*huit mille*");
  g_assert_cmpint (relais_config_get_int (config, "hub", "port"), ==, 8470);
  g_test_assert_expected_messages ();
}

/* The browser's tiles (issue 14): the defaults parse; a staff's typo is
 * refused with the entry named, never a tile silently dropped. */
static void
test_browser_sites (void)
{
  g_autoptr(RelaisConfig) config = relais_config_load (RELAIS_PROGRAM_STATION, NULL, NULL);
  g_autoptr(GPtrArray) sites = relais_web_sites_parse (relais_config_get (config, "browser", "sites"), NULL);
  const char          *bad[] = { "CAF", "CAF|caf.fr", "CAF|file:///etc/passwd", "|https://www.caf.fr/",
                                 "CAF|https://www.caf.fr/|icône|de trop", "CAF|javascript:alert(1)" };
  const RelaisWebSite *site;

  g_assert_nonnull (sites);
  g_assert_cmpuint (sites->len, ==, 7);
  site = g_ptr_array_index (sites, 0);
  g_assert_cmpstr (site->name, ==, "CAF");
  g_assert_cmpstr (site->uri, ==, "https://www.caf.fr/");
  g_assert_cmpstr (site->icon, ==, "relais-web");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("ameli|https://www.ameli.fr/; %s", bad[i]);
      g_autoptr(GPtrArray) refused = relais_web_sites_parse (text, &error);

      g_assert_null (refused);
      g_assert_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
test_browser_policy (void)
{
  g_autoptr(GPtrArray) sites = relais_web_sites_parse ("CAF|https://www.caf.fr/", NULL);
  g_autoptr(RelaisWebPolicy) all = relais_web_policy_new ("all", "", sites, NULL);
  g_autoptr(RelaisWebPolicy) block = relais_web_policy_new ("block", "leboncoin.fr; Jeux.example", sites, NULL);
  g_autoptr(RelaisWebPolicy) allow = relais_web_policy_new ("allow", "impots.gouv.fr", sites, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *context = NULL;
  g_autofree char *address = NULL;

  /* Nothing but http(s), whatever the policy. */
  g_assert_cmpint (relais_web_policy_check (all, "https://www.caf.fr/"), ==, RELAIS_WEB_VERDICT_ALLOWED);
  g_assert_cmpint (relais_web_policy_check (all, "file:///etc/passwd"), ==, RELAIS_WEB_VERDICT_SCHEME);
  g_assert_cmpint (relais_web_policy_check (all, "webkit://gpu"), ==, RELAIS_WEB_VERDICT_SCHEME);
  g_assert_cmpint (relais_web_policy_check (all, "data:text/html,x"), ==, RELAIS_WEB_VERDICT_SCHEME);
  g_assert_cmpint (relais_web_policy_check (all, "about:blank"), ==, RELAIS_WEB_VERDICT_ALLOWED);
  /* A listed host covers its subdomains, not a look-alike. */
  g_assert_cmpint (relais_web_policy_check (block, "https://www.leboncoin.fr/x"), ==, RELAIS_WEB_VERDICT_BLOCKED);
  g_assert_cmpint (relais_web_policy_check (block, "https://JEUX.example/"), ==, RELAIS_WEB_VERDICT_BLOCKED);
  g_assert_cmpint (relais_web_policy_check (block, "https://faux-leboncoin.fr/"), ==, RELAIS_WEB_VERDICT_ALLOWED);
  /* An allow list lets the tiles' hosts through too. */
  g_assert_cmpint (relais_web_policy_check (allow, "https://www.impots.gouv.fr/"), ==, RELAIS_WEB_VERDICT_ALLOWED);
  g_assert_cmpint (relais_web_policy_check (allow, "https://www.caf.fr/mon-compte"), ==, RELAIS_WEB_VERDICT_ALLOWED);
  g_assert_cmpint (relais_web_policy_check (allow, "https://caf.fr/"), ==, RELAIS_WEB_VERDICT_BLOCKED);
  g_assert_cmpint (relais_web_policy_check (allow, "https://www.leboncoin.fr/"), ==, RELAIS_WEB_VERDICT_BLOCKED);

  g_assert_null (relais_web_policy_new ("tout", "", NULL, &error));
  g_assert_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relais_web_policy_new ("block", "https://caf.fr/", NULL, &error));
  g_assert_error (error, RELAIS_WEB_ERROR, RELAIS_WEB_ERROR_INVALID);

  /* The address bar: an address, a bare host, or a search. */
  address = relais_web_address_from_words ("  caf.fr ", "https://s.example/?q=%s");
  g_assert_cmpstr (address, ==, "https://caf.fr/");
  g_clear_pointer (&address, g_free);
  address = relais_web_address_from_words ("http://127.0.0.1:8080/a", "https://s.example/?q=%s");
  g_assert_cmpstr (address, ==, "http://127.0.0.1:8080/a");
  g_clear_pointer (&address, g_free);
  address = relais_web_address_from_words ("prime d'activité", "https://s.example/?q=%s");
  g_assert_cmpstr (address, ==, "https://s.example/?q=prime%20d%27activit%C3%A9");
  g_clear_pointer (&address, g_free);
  g_assert_null (relais_web_address_from_words ("prime", ""));
  g_assert_null (relais_web_address_from_words ("   ", "https://s.example/?q=%s"));

  /* A help request's context: the host and the title, never the path,
   * its query or a fragment (they can hold what the person typed). */
  context = relais_web_help_context ("https://www.caf.fr/compte?nir=1234567&code=42#x", "Mon compte");
  g_assert_cmpstr (context, ==, "www.caf.fr — Mon compte");
  g_clear_pointer (&context, g_free);
  context = relais_web_help_context ("https://user:mdp@www.caf.fr/", NULL);
  g_assert_cmpstr (context, ==, "www.caf.fr");
  g_clear_pointer (&context, g_free);
  g_assert_null (relais_web_help_context ("file:///etc/passwd", "x"));
}

/* The packaged kiosk cannot write /etc/relais/station.conf: the
 * enrolment goes to "enrolment=", read after the main file, its values
 * winning, nothing else allowed in it; not there yet is no error. */
static void
test_enrolment_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "station.conf", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *enrolment = g_build_filename (state, "enrolment.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[hub]\nurl=http://hub.local:8470\n[station]\nname=poste-1\nenrolment=%s\n"
                                           "idle-timeout=90\n",
                                           enrolment);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisConfig) config = NULL;
  g_autoptr(RelaisConfig) mediator = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  /* Not enrolled yet: the main file alone; the enrolment goes there. */
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "station", "token"), ==, "");
  g_assert_cmpstr (relais_config_get_enrolment_path (config), ==, enrolment);
  g_clear_pointer (&config, relais_config_free);

  /* Enrolled: its four values win, the rest stays the main file's. */
  g_assert_cmpint (g_mkdir (state, 0700), ==, 0);
  g_assert_true (g_file_set_contents (enrolment, "[hub]\nurl=https://hub.site:8470\npin=sha256//AAAA\n"
                                                 "[station]\nname=accueil-2\ntoken=jeton\n",
                                      -1, NULL));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get_path (config), ==, path);
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "https://hub.site:8470");
  g_assert_cmpstr (relais_config_get (config, "hub", "pin"), ==, "sha256//AAAA");
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "accueil-2");
  g_assert_cmpstr (relais_config_get (config, "station", "token"), ==, "jeton");
  g_assert_cmpint (relais_config_get_int (config, "station", "idle-timeout"), ==, 90);
  g_clear_pointer (&config, relais_config_free);

  /* Anything else in it is refused by name: it is the program's file,
   * not a second place to configure the station. */
  g_assert_true (g_file_set_contents (enrolment, "[station]\ntoken=jeton\nidle-timeout=5\n", -1, NULL));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "idle-timeout"));
  g_assert_nonnull (strstr (error->message, enrolment));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (enrolment, "[console]\ntoken=jeton\n", -1, NULL));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);
  /* Unreadable (not a key file): a clear error, not a silent default. */
  g_assert_true (g_file_set_contents (enrolment, "pas un fichier de clés\n", -1, NULL));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_null (config);
  g_assert_error (error, RELAIS_CONFIG_ERROR, RELAIS_CONFIG_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "Inscription"));
  g_clear_error (&error);

  /* Without "enrolment=", the enrolment writes into the file read; with
   * defaults only, nowhere yet (the program picks the user's own). */
  g_assert_true (g_file_set_contents (path, "[station]\nname=poste-1\n", -1, NULL));
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get_enrolment_path (config), ==, path);
  g_clear_pointer (&config, relais_config_free);
  g_unsetenv ("RELAIS_CONFIG");
  config = relais_config_load (RELAIS_PROGRAM_STATION, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (relais_config_get_enrolment_path (config));

  /* The console's the same way, in its user's folder. */
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "mediator.conf", NULL);
  g_assert_true (g_file_set_contents (path, "[console]\nenrolment=$XDG_CONFIG_HOME/relais/mediator-enrolment.conf\n", -1, NULL));
  mediator = relais_config_load (RELAIS_PROGRAM_MEDIATOR, path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = g_build_filename (g_get_user_config_dir (), "relais", "mediator-enrolment.conf", NULL);
  g_assert_cmpstr (relais_config_get_enrolment_path (mediator), ==, text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/config/defaults-only", test_defaults_only);
  g_test_add_func ("/config/shipped-examples-load", test_shipped_examples_load);
  g_test_add_func ("/config/values-and-overrides", test_values_and_overrides);
  g_test_add_func ("/config/unknown-key-refused", test_unknown_key_refused);
  g_test_add_func ("/config/unreadable-refused", test_unreadable_refused);
  g_test_add_func ("/config/bad-number-falls-back", test_bad_number_falls_back);
  g_test_add_func ("/config/browser-sites", test_browser_sites);
  g_test_add_func ("/config/browser-policy", test_browser_policy);
  g_test_add_func ("/config/enrolment-file", test_enrolment_file);
  return g_test_run ();
}
