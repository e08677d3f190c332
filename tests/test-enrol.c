/* test-enrol.c: enrolment by one-time code, end to end with the real hub
 * on loopback and the link's exchange: the right code gives a working
 * token (and, over TLS, the hub's pin), a wrong, expired or reused code
 * gets a clear sentence and stores nothing, and an address is bounded. */
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

#include "relais-hub.h"
#include "relais-db-help.h"
#include "relais-link.h"
#include "relais-config.h"
#include "relais-protocol.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

#define LIFETIME RELAIS_HUB_ENROL_CODE_LIFETIME_MS

typedef struct {
  gboolean         done;
  RelaisEnrolment *enrolment;
  GError          *error;
} Exchange;

static void
enrolled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->enrolment = relais_link_enrol_finish (result, &exchange->error);
  exchange->done = TRUE;
}

static gboolean
exchange_done (gpointer data)
{
  return ((Exchange *) data)->done;
}

/* The link's exchange, the hub answering in this same process. */
static RelaisEnrolment *
enrol (const char *url,
       const char *code,
       GError    **error)
{
  Exchange exchange = { 0 };

  relais_link_enrol_async (url, code, NULL, enrolled_cb, &exchange);
  g_assert_true (relais_test_wait (exchange_done, &exchange));
  if (exchange.error != NULL)
    g_propagate_error (error, exchange.error);
  return exchange.enrolment;
}

static char *
new_code (RelaisTestHub *th,
          const char    *kind,
          const char    *name,
          gint64         lifetime_ms)
{
  g_autoptr(GError) error = NULL;
  char *code = relais_hub_enrol_code_new (relais_hub_get_db (th->hub), kind, name, lifetime_ms, &error);

  g_assert_no_error (error);
  /* ABCD-EFGH */
  g_assert_cmpuint (strlen (code), ==, RELAIS_HUB_ENROL_CODE_LENGTH + 1);
  g_assert_cmpint (code[4], ==, '-');
  return code;
}

/* The kind and name the hub knows @token by, or NULL. */
static char *
client_of (RelaisTestHub *th,
           const char    *token)
{
  g_autofree char *hash = relais_hub_hash_token (token);
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;

  if (!relais_db_client_lookup (relais_hub_get_db (th->hub), hash, &kind, &name, NULL))
    return NULL;
  return g_strdup_printf ("%s:%s", kind, name);
}

/* The new token works: a call the station makes. */
static void
assert_token_works (const char *url,
                    const char *token,
                    const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) link = relais_link_new (url, token, NULL, &error);
  g_autoptr(JsonObject) answer = NULL;

  g_assert_no_error (error);
  relais_link_set_pin (link, pin, &error);
  g_assert_no_error (error);
  answer = relais_test_call (link, "/mail-snapshot", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
}

static void
test_right_code (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = new_code (th, "station", "poste-2", LIFETIME);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autofree char *client = NULL;
  g_autofree char *url_slash = g_strconcat (th->url, "/", NULL);

  /* Typed in lower case, with the hub's address ending in '/'. */
  enrolment = enrol (url_slash, lower, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enrolment->url, ==, th->url);
  g_assert_cmpstr (enrolment->kind, ==, "station");
  g_assert_cmpstr (enrolment->name, ==, "poste-2");
  g_assert_nonnull (enrolment->token);
  /* Plain http: no key to pin, nothing to compare. */
  g_assert_null (enrolment->pin);
  g_assert_null (enrolment->fingerprint);
  client = client_of (th, enrolment->token);
  g_assert_cmpstr (client, ==, "station:poste-2");
  assert_token_works (th->url, enrolment->token, NULL);
  /* The other clients keep theirs. */
  g_clear_pointer (&client, g_free);
  client = client_of (th, th->station_token);
  g_assert_cmpstr (client, ==, "station:poste-1");

  relais_test_hub_free (th);
}

/* Enrolling again by code replaces the client's token, as --token does. */
static void
test_replaces_token (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = new_code (th, "console", "accueil", LIFETIME);
  g_autoptr(RelaisEnrolment) enrolment = enrol (th->url, code, &error);
  g_autofree char *old = NULL;
  g_autofree char *client = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (enrolment->kind, ==, "console");
  old = client_of (th, th->console_token);
  g_assert_null (old);
  client = client_of (th, enrolment->token);
  g_assert_cmpstr (client, ==, "console:accueil");
  relais_test_hub_free (th);
}

static void
test_reused_code (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = new_code (th, "station", "poste-2", LIFETIME);
  g_autoptr(RelaisEnrolment) first = enrol (th->url, code, &error);
  g_autoptr(RelaisEnrolment) second = NULL;
  g_autofree char *client = NULL;

  g_assert_no_error (error);
  second = enrol (th->url, code, &error);
  g_assert_null (second);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "déjà servi"));
  /* The first token still stands. */
  client = client_of (th, first->token);
  g_assert_cmpstr (client, ==, "station:poste-2");
  relais_test_hub_free (th);
}

static void
test_wrong_code (void)
{
  RelaisTestHub   *th = relais_test_hub_new ();
  g_autofree char *code = new_code (th, "station", "poste-2", LIFETIME);
  const char      *wrong[] = { "ACDE-FH34", "hello", "ACDE-FH3", "ACDE-FH344", "0000-0000", "AC DE FH 34" };
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(RelaisEnrolment) none = NULL;

      if (g_ascii_strcasecmp (wrong[i], code) == 0)
        continue;
      none = enrol (th->url, wrong[i], &local);
      g_assert_null (none);
      g_assert_error (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
      g_assert_nonnull (strstr (local->message, "inconnu"));
    }
  /* Nothing was used up: the right code still works, once. */
  enrolment = enrol (th->url, code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enrolment->name, ==, "poste-2");
  relais_test_hub_free (th);
}

static void
test_expired_code (void)
{
  RelaisTestHub   *th = relais_test_hub_new ();
  g_autofree char *code = new_code (th, "station", "poste-2", 1);
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;

  g_usleep (20 * 1000);
  enrolment = enrol (th->url, code, &error);
  g_assert_null (enrolment);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "expiré"));
  /* Expired stays expired, and nobody called poste-2 was enrolled: a
   * code made now is a new one. */
  enrolment = enrol (th->url, code, &again);
  g_assert_error (again, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  relais_test_hub_free (th);
}

/* An address gets a few tries, then waits: the right code too. */
static void
test_attempts_bounded (void)
{
  RelaisTestHub   *th = relais_test_hub_new ();
  g_autofree char *code = new_code (th, "station", "poste-2", LIFETIME);
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  guint refused = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(RelaisEnrolment) none = enrol (th->url, "XXXX-XXXX", &local);

      g_assert_null (none);
      if (g_error_matches (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_BUSY))
        break;
      g_assert_error (local, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
      refused++;
    }
  g_assert_cmpuint (refused, >=, 3);
  g_assert_cmpuint (refused, <=, 20);
  enrolment = enrol (th->url, code, &error);
  g_assert_null (enrolment);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "trop d'essais"));
  relais_test_hub_free (th);
}

/* The route's own bounds, seen by any client: a body past its small cap
 * is refused on its headers, an unknown member too. */
static void
test_body_bounded (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) link = relais_link_new (th->url, "", NULL, &error);
  g_autofree char *big = g_strnfill (4096, 'A');
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) extra = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(RelaisEnrolment) none = NULL;

  g_assert_no_error (error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, big);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  answer = relais_test_call (link, "/enrol", g_steal_pointer (&body), &error);
  g_assert_null (answer);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE);
  g_clear_error (&error);

  extra = json_from_string ("{\"code\": \"ACDE-FH34\", \"kind\": \"console\"}", NULL);
  answer = relais_test_call (link, "/enrol", g_steal_pointer (&extra), &error);
  g_assert_null (answer);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_clear_error (&error);

  /* The link does not even send a code that cannot be one. */
  none = enrol (th->url, big, &error);
  g_assert_null (none);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  relais_test_hub_free (th);
}

/* Over TLS, a hub with a self-signed certificate: the answer gives its
 * pin, which the link checks on a second connection; the fingerprint is
 * the one `relais-hub enroll` prints. */
static void
test_tls (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tls_dir = g_build_filename (th->dir, "tls", NULL);
  g_autofree char *cert = g_build_filename (tls_dir, "hub.crt", NULL);
  g_autofree char *key = g_build_filename (tls_dir, "hub.key", NULL);
  g_autofree char *pin = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autoptr(RelaisHub) hub = NULL;
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  RelaisDb *db;

  relais_test_hub_stop (th);
  g_assert_cmpint (g_mkdir (tls_dir, 0700), ==, 0);
  relais_hub_tls_make_certificate (cert, key, "relais-test", &error);
  g_assert_no_error (error);
  pin = relais_hub_tls_pin (cert, &error);
  g_assert_no_error (error);
  db = relais_db_open (th->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  hub = relais_hub_new (db);
  relais_hub_set_tls (hub, cert, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_hub_get_tls_pin (hub), ==, pin);
  relais_hub_listen (hub, "127.0.0.1", th->port, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u", relais_hub_get_port (hub));
  code = relais_hub_enrol_code_new (relais_hub_get_db (hub), "station", "poste-2", LIFETIME, &error);
  g_assert_no_error (error);

  enrolment = enrol (url, code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enrolment->pin, ==, pin);
  fingerprint = relais_tls_pin_short (pin);
  g_assert_cmpstr (enrolment->fingerprint, ==, fingerprint);
  g_assert_cmpuint (strlen (fingerprint), ==, 19);
  assert_token_works (url, enrolment->token, enrolment->pin);
  g_clear_object (&hub);
  relais_test_hub_free (th);
}

/* What the link writes: the hub's address and pin, the name and token,
 * in a file only the program reads; the other settings stay. */
static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-enrol-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relais", "station.conf", NULL);
  g_autoptr(RelaisConfig) config = NULL;
  RelaisEnrolment enrolment = {
    "https://hub.local:8470",
    "station",
    "poste-2",
    "jeton-secret",
    "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "0000 0000 0000 0000",
  };
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (relais_enrolment_save (&enrolment, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* Once more, over a file that says more. */
  g_assert_true (g_file_set_contents (path, "# réglé à la main\n[station]\nidle-timeout=60\n", -1, &error));
  g_assert_true (relais_enrolment_save (&enrolment, path, &error));
  g_assert_no_error (error);
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, "https://hub.local:8470");
  g_assert_cmpstr (relais_config_get (config, "hub", "pin"), ==, enrolment.pin);
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "poste-2");
  g_assert_cmpstr (relais_config_get (config, "station", "token"), ==, "jeton-secret");
  g_assert_cmpint (relais_config_get_int (config, "station", "idle-timeout"), ==, 60);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* The hub's command: a code and its expiry by default, the token alone
 * with --token; the code printed is one the hub takes. */
static void
test_command (void)
{
  RelaisTestHub   *th = relais_test_hub_new ();
  g_autofree char *hub = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *token_out = NULL;
  g_autoptr(GRegex) regex = g_regex_new (": ([A-Z0-9]{4}-[A-Z0-9]{4})\n", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *code = NULL;
  g_autoptr(RelaisEnrolment) enrolment = NULL;
  g_autofree char *client = NULL;
  const char      *argv_code[] = { hub, "-d", th->db_path, "enroll", "station", "poste-3", NULL };
  const char      *argv_token[] = { hub, "-d", th->db_path, "enroll", "--token", "station", "poste-4", NULL };
  int              status;

  g_spawn_sync (NULL, (char **) argv_code, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", out);
  g_assert_true (g_regex_match (regex, out, 0, &match));
  code = g_match_info_fetch (match, 1);
  g_assert_nonnull (strstr (out, "15 minutes"));
  g_assert_nonnull (strstr (out, "sans TLS"));

  enrolment = enrol (th->url, code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enrolment->name, ==, "poste-3");

  g_spawn_sync (NULL, (char **) argv_token, NULL, G_SPAWN_DEFAULT, NULL, NULL, &token_out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (token_out);
  client = client_of (th, token_out);
  g_assert_cmpstr (client, ==, "station:poste-4");
  relais_test_hub_free (th);
}

typedef struct {
  gboolean done;
  int      status;
} Child;

static void
child_done_cb (GPid pid, int status, gpointer data)
{
  Child *child = data;

  child->status = status;
  child->done = TRUE;
  g_spawn_close_pid (pid);
}

static gboolean
child_done (gpointer data)
{
  return ((Child *) data)->done;
}

/* The built program with @args, @input on its stdin, the hub in this
 * process answering meanwhile; its exit status, its output in @out. */
static int
run_program (const char  *program,
             const char **args,
             const char  *input,
             char       **out)
{
  g_autofree char *path = g_build_filename (relais_test_build_dir (), program, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  Child  child = { 0 };
  GPid   pid;
  int    in_fd, out_fd;
  char   buffer[4096];
  gssize n;

  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, &in_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, input, strlen (input)), ==, (gssize) strlen (input));
  close (in_fd);
  g_child_watch_add (pid, child_done_cb, &child);
  g_assert_true (relais_test_wait (child_done, &child));
  while ((n = read (out_fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
  close (out_fd);
  g_test_message ("%s: %s", program, text->str);
  *out = g_string_free (g_steal_pointer (&text), FALSE);
  return WIFEXITED (child.status) ? WEXITSTATUS (child.status) : -1;
}

/* `relais-station --enrol CODE`, the packaged kiosk's way: the main file
 * names an enrolment file ("enrolment="); the token, pin, name and url go
 * there, made 0600, and the main file is left byte for byte as it was.
 * A wrong code writes nothing; enrolled, a second code is refused. */
static void
test_program_enrols (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-enrol-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "station.conf", NULL);
  g_autofree char *state = g_build_filename (dir, "var-lib-relais-station", NULL);
  g_autofree char *enrolment_path = g_build_filename (state, "enrolment.conf", NULL);
  g_autofree char *main_text = g_strdup_printf ("# la configuration de l'administrateur\n[hub]\nurl=%s\n"
                                                "[station]\nenrolment=%s\nidle-timeout=120\n",
                                                th->url, enrolment_path);
  g_autofree char *code = new_code (th, "station", "accueil-2", LIFETIME);
  g_autofree char *second = new_code (th, "station", "accueil-3", LIFETIME);
  g_autofree char *out = NULL;
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *client = NULL;
  g_autoptr(RelaisConfig) config = NULL;
  const char *wrong[] = { "--config", path, "--enrol", "ACDE-FH34", NULL };
  const char *right[] = { "--config", path, "--enrol", code, NULL };
  const char *again[] = { "--config", path, "--enrol", second, NULL };
  GStatBuf    st;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, main_text, -1, &error));
  g_assert_cmpint (g_ascii_strcasecmp (code, "ACDE-FH34") != 0 && g_ascii_strcasecmp (second, "ACDE-FH34") != 0, ==, TRUE);

  /* A wrong code: the hub's sentence, nothing written. */
  g_assert_cmpint (run_program ("station/relais-station", wrong, "", &out), ==, 1);
  g_assert_nonnull (strstr (out, "inconnu"));
  g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);

  /* The right one, over plain http: nothing to compare, saved. */
  g_assert_cmpint (run_program ("station/relais-station", right, "", &out), ==, 0);
  g_assert_nonnull (strstr (out, "« accueil-2 »"));
  g_assert_nonnull (strstr (out, enrolment_path));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, main_text);
  g_assert_cmpint (g_stat (enrolment_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "station", "name"), ==, "accueil-2");
  g_assert_cmpint (relais_config_get_int (config, "station", "idle-timeout"), ==, 120);
  client = client_of (th, relais_config_get (config, "station", "token"));
  g_assert_cmpstr (client, ==, "station:accueil-2");
  assert_token_works (th->url, relais_config_get (config, "station", "token"), NULL);
  g_clear_pointer (&out, g_free);

  /* Enrolled: another code is refused and the token stays. */
  g_assert_true (g_file_get_contents (enrolment_path, &saved, NULL, NULL));
  g_assert_cmpint (run_program ("station/relais-station", again, "", &out), ==, 1);
  g_assert_nonnull (strstr (out, "déjà inscrit"));
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (enrolment_path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, saved);
  relais_test_hub_free (th);
}

/* Over TLS the technician compares the fingerprint: « non » saves
 * nothing; « oui » saves the pin with the token. The console's command. */
static void
test_program_fingerprint (void)
{
  RelaisTestHub *th = relais_test_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tls_dir = g_build_filename (th->dir, "tls", NULL);
  g_autofree char *cert = g_build_filename (tls_dir, "hub.crt", NULL);
  g_autofree char *key = g_build_filename (tls_dir, "hub.key", NULL);
  g_autofree char *conf_dir = g_build_filename (th->dir, "conf", NULL);
  g_autofree char *path = g_build_filename (conf_dir, "mediator.conf", NULL);
  g_autofree char *enrolment_path = g_build_filename (conf_dir, "mediator-enrolment.conf", NULL);
  g_autofree char *main_text = g_strdup_printf ("[console]\nenrolment=%s\n", enrolment_path);
  g_autofree char *pin = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *url = NULL;
  g_autofree char *first = NULL;
  g_autofree char *code = NULL;
  g_autofree char *out = NULL;
  g_autoptr(RelaisHub) hub = NULL;
  g_autoptr(RelaisConfig) config = NULL;
  RelaisDb *db;

  relais_test_hub_stop (th);
  g_assert_cmpint (g_mkdir (tls_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (conf_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, main_text, -1, &error));
  relais_hub_tls_make_certificate (cert, key, "relais-test", &error);
  g_assert_no_error (error);
  pin = relais_hub_tls_pin (cert, &error);
  g_assert_no_error (error);
  fingerprint = relais_tls_pin_short (pin);
  db = relais_db_open (th->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  hub = relais_hub_new (db);
  relais_hub_set_tls (hub, cert, key, &error);
  g_assert_no_error (error);
  relais_hub_listen (hub, "127.0.0.1", th->port, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u", relais_hub_get_port (hub));
  first = relais_hub_enrol_code_new (relais_hub_get_db (hub), "console", "bureau-2", LIFETIME, &error);
  g_assert_no_error (error);
  code = relais_hub_enrol_code_new (relais_hub_get_db (hub), "console", "bureau-2", LIFETIME, &error);
  g_assert_no_error (error);

  {
    const char *args[] = { "--config", path, "--enrol", first, "--hub", url, NULL };

    g_assert_cmpint (run_program ("mediator/relais-mediator", args, "non\n", &out), ==, 1);
    g_assert_nonnull (strstr (out, fingerprint));
    g_assert_nonnull (strstr (out, "Rien n'est enregistré"));
    g_assert_false (g_file_test (enrolment_path, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--config", path, "--enrol", code, "--hub", url, NULL };

    g_assert_cmpint (run_program ("mediator/relais-mediator", args, "oui\n", &out), ==, 0);
    g_assert_nonnull (strstr (out, fingerprint));
  }
  config = relais_config_load (RELAIS_PROGRAM_MEDIATOR, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relais_config_get (config, "console", "name"), ==, "bureau-2");
  g_assert_cmpstr (relais_config_get (config, "hub", "url"), ==, url);
  g_assert_cmpstr (relais_config_get (config, "hub", "pin"), ==, pin);
  {
    g_autofree char *hash = relais_hub_hash_token (relais_config_get (config, "console", "token"));
    g_autofree char *kind = NULL;
    g_autofree char *name = NULL;

    g_assert_true (relais_db_client_lookup (relais_hub_get_db (hub), hash, &kind, &name, NULL));
    g_assert_cmpstr (kind, ==, "console");
    g_assert_cmpstr (name, ==, "bureau-2");
  }
  g_clear_object (&hub);
  relais_test_hub_free (th);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/enrol/right-code", test_right_code);
  g_test_add_func ("/enrol/replaces-token", test_replaces_token);
  g_test_add_func ("/enrol/reused-code", test_reused_code);
  g_test_add_func ("/enrol/wrong-code", test_wrong_code);
  g_test_add_func ("/enrol/expired-code", test_expired_code);
  g_test_add_func ("/enrol/attempts-bounded", test_attempts_bounded);
  g_test_add_func ("/enrol/body-bounded", test_body_bounded);
  g_test_add_func ("/enrol/tls", test_tls);
  g_test_add_func ("/enrol/save", test_save);
  g_test_add_func ("/enrol/command", test_command);
  g_test_add_func ("/enrol/program-enrols", test_program_enrols);
  g_test_add_func ("/enrol/program-fingerprint", test_program_fingerprint);
  return g_test_run ();
}
