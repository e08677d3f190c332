/* test-tls.c: the hub over TLS with its key pinned by stations and consoles:
 * the right pin connects, a wrong pin, no pin or plain http never does. */
#include <glib/gstdio.h>

#include "relais-hub.h"
#include "relais-db-help.h"
#include "relais-link.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

typedef struct {
  RelaisTestHub *th;  /* tokens, database and port; stopped */
  RelaisHub     *hub; /* the same database, over TLS */
  char          *url; /* https://127.0.0.1:PORT */
  char          *cert_path;
  char          *key_path;
  char          *pin; /* the hub's */
  char          *other_cert_path;
  char          *other_key_path;
  char          *other_pin; /* a key the hub does not have */
} Fixture;

static void
make_certificate (const char *dir,
                  const char *name,
                  char      **cert_path,
                  char      **key_path,
                  char      **pin)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  *cert_path = g_build_filename (sub, "hub.crt", NULL);
  *key_path = g_build_filename (sub, "hub.key", NULL);
  relais_hub_tls_make_certificate (*cert_path, *key_path, "relais-test", &error);
  g_assert_no_error (error);
  *pin = relais_hub_tls_pin (*cert_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (*pin, "sha256//"));
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  RelaisDb *db;

  /* The test hub enrolls the station and consoles; it is then restarted
   * here, over TLS, on the same port and database. */
  fx->th = relais_test_hub_new ();
  relais_test_hub_stop (fx->th);
  make_certificate (fx->th->dir, "tls", &fx->cert_path, &fx->key_path, &fx->pin);
  make_certificate (fx->th->dir, "other", &fx->other_cert_path, &fx->other_key_path, &fx->other_pin);
  g_assert_cmpstr (fx->pin, !=, fx->other_pin);

  db = relais_db_open (fx->th->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  fx->hub = relais_hub_new (db);
  relais_hub_set_tls (fx->hub, fx->cert_path, fx->key_path, &error);
  g_assert_no_error (error);
  relais_hub_listen (fx->hub, "127.0.0.1", fx->th->port, &error);
  g_assert_no_error (error);
  fx->url = g_strdup_printf ("https://127.0.0.1:%u", relais_hub_get_port (fx->hub));
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->hub);
  g_clear_pointer (&fx->th, relais_test_hub_free);
  g_free (fx->url);
  g_free (fx->cert_path);
  g_free (fx->key_path);
  g_free (fx->pin);
  g_free (fx->other_cert_path);
  g_free (fx->other_key_path);
  g_free (fx->other_pin);
}

/* ---- helpers ---- */

static RelaisLink *
new_link (Fixture    *fx,
          const char *url,
          const char *token,
          const char *outbox_name,
          const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = outbox_name != NULL ? g_build_filename (fx->th->dir, outbox_name, NULL) : NULL;
  g_autoptr(RelaisLink) link = relais_link_new (url, token, outbox, &error);

  g_assert_no_error (error);
  relais_link_set_pin (link, pin, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&link);
}

static char *
queue_help (RelaisLink *station)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char            *id = g_uuid_string_random ();
  JsonObject      *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", "printer");
  key = relais_link_queue_event (station, "help.raise", data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return id;
}

typedef struct {
  RelaisLink *link;
  int         result;
  GError     *error;
  gint        done;
} Flush;

static gpointer
flush_thread (gpointer data)
{
  Flush *flush = data;

  flush->result = relais_link_flush (flush->link, &flush->error);
  g_atomic_int_set (&flush->done, 1);
  return NULL;
}

static gboolean
flush_done (gpointer data)
{
  return g_atomic_int_get (&((Flush *) data)->done);
}

/* The hub answers on this thread's main loop: flush from another one. */
static int
flush_in_thread (RelaisLink *link,
                 GError    **error)
{
  Flush    flush = { link, 0, NULL, 0 };
  GThread *thread = g_thread_new ("flush", flush_thread, &flush);

  g_assert_true (relais_test_wait (flush_done, &flush));
  g_thread_join (thread);
  if (flush.error != NULL)
    g_propagate_error (error, flush.error);
  return flush.result;
}

typedef struct {
  RelaisLink     *link;
  RelaisLinkState state;
} StateIs;

static gboolean
state_is (gpointer data)
{
  StateIs *s = data;
  return relais_link_get_state (s->link) == s->state;
}

static void
wait_state (RelaisLink     *link,
            RelaisLinkState state)
{
  StateIs s = { link, state };
  g_assert_true (relais_test_wait (state_is, &s));
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Runs the main loop (the hub) for @ms. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  g_assert_true (relais_test_wait (time_passed, &until));
}

static gboolean
outbox_empty (gpointer data)
{
  return relais_link_get_pending (data) == 0;
}

static void
note_online_cb (RelaisLink *link,
                GParamSpec *pspec,
                gboolean   *ever_online)
{
  if (relais_link_get_state (link) == RELAIS_LINK_ONLINE)
    *ever_online = TRUE;
}

static void
record_cb (RelaisLink        *link,
           RelaisHelpRequest *request,
           GHashTable        *table)
{
  g_hash_table_replace (table, g_strdup (request->id), g_strdup (relais_help_state_to_string (request->state)));
}

typedef struct {
  GHashTable *table;
  const char *id;
  const char *state;
} Expect;

static gboolean
has_state (gpointer data)
{
  Expect *e = data;
  return g_strcmp0 (g_hash_table_lookup (e->table, e->id), e->state) == 0;
}

static void
action_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **out = user_data;
  g_autoptr(RelaisHelpRequest) reply = relais_link_help_action_finish (RELAIS_LINK (object), result, out);

  if (reply != NULL)
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static gboolean
action_done (gpointer data)
{
  return *(GError **) data != NULL;
}

/* ---- tests ---- */

/* With the hub's pin, a station's help request reaches a console, both
 * over TLS, and the console acts on it. */
static void
test_pinned_round_trip (Fixture *fx, gconstpointer data)
{
  g_autoptr(RelaisLink) station = new_link (fx, fx->url, fx->th->station_token, "station.db", fx->pin);
  g_autoptr(RelaisLink) console = new_link (fx, fx->url, fx->th->console_token, NULL, fx->pin);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GError          *action = NULL;

  g_signal_connect (console, "help-changed", G_CALLBACK (record_cb), seen);
  relais_link_start (station);
  relais_link_start (console);
  wait_state (station, RELAIS_LINK_ONLINE);
  wait_state (console, RELAIS_LINK_ONLINE);

  id = queue_help (station);
  {
    Expect raised = { seen, id, "raised" };
    g_assert_true (relais_test_wait (has_state, &raised));
  }
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 1);
  /* The hub's answer reaches the outbox after the broadcast, maybe. */
  g_assert_true (relais_test_wait (outbox_empty, station));

  /* The console's own requests (login, actions) go through the pin too. */
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  g_assert_no_error (error);
  relais_link_help_action_async (console, id, "take", NULL, action_cb, &action);
  g_assert_true (relais_test_wait (action_done, &action));
  g_assert_error (action, G_IO_ERROR, G_IO_ERROR_NONE);
  g_clear_error (&action);
  {
    Expect taken = { seen, id, "taken" };
    g_assert_true (relais_test_wait (has_state, &taken));
  }

  relais_link_stop (station);
  relais_link_stop (console);
}

/* A pin of another key: curl refuses the hub although peer verification
 * is off for the self-signed certificate. Nothing reaches the hub. */
static void
test_wrong_pin (Fixture *fx, gconstpointer data)
{
  g_autoptr(RelaisLink) station = new_link (fx, fx->url, fx->th->station_token, "station.db", fx->other_pin);
  g_autoptr(RelaisLink) console = new_link (fx, fx->url, fx->th->console_token, NULL, fx->other_pin);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_help (station);
  gboolean         station_online = FALSE;
  gboolean         console_online = FALSE;

  g_assert_cmpint (flush_in_thread (station, &error), ==, -1);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE);
  g_test_message ("wrong pin: %s", error->message);
  g_assert_nonnull (strstr (error->message, "pinned public key"));
  g_clear_error (&error);

  g_signal_connect (station, "notify::state", G_CALLBACK (note_online_cb), &station_online);
  g_signal_connect (console, "notify::state", G_CALLBACK (note_online_cb), &console_online);
  relais_link_start (station);
  relais_link_start (console);
  wait_state (station, RELAIS_LINK_OFFLINE);
  wait_state (console, RELAIS_LINK_OFFLINE);
  /* Long enough for the stream threads to retry a few times. */
  spin (1500);
  relais_link_stop (station);
  relais_link_stop (console);
  spin (50);

  g_assert_false (station_online);
  g_assert_false (console_online);
  g_assert_cmpint (relais_link_get_state (station), !=, RELAIS_LINK_ONLINE);
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 0);
  g_assert_cmpint (relais_link_get_pending (station), ==, 1);
}

/* Several pins joined by ';' (a key being changed): one match is enough. */
static void
test_pin_list (Fixture *fx, gconstpointer data)
{
  g_autofree char *pins = g_strconcat (fx->other_pin, ";", fx->pin, NULL);
  g_autoptr(RelaisLink) station = new_link (fx, fx->url, fx->th->station_token, "station.db", pins);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_help (station);

  g_assert_cmpint (flush_in_thread (station, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 1);
}

/* https without a pin keeps curl's CA checks: a self-signed hub fails. */
static void
test_no_pin_checks_ca (Fixture *fx, gconstpointer data)
{
  g_autoptr(RelaisLink) station = new_link (fx, fx->url, fx->th->station_token, "station.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_help (station);

  g_assert_cmpint (flush_in_thread (station, &error), ==, -1);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE);
  g_test_message ("no pin: %s", error->message);
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 0);
}

/* The TLS port speaks no plain HTTP. */
static void
test_plain_http_refused (Fixture *fx, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", relais_hub_get_port (fx->hub));
  g_autoptr(RelaisLink) station = new_link (fx, url, fx->th->station_token, "station.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = queue_help (station);

  g_assert_cmpint (flush_in_thread (station, &error), ==, -1);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE);
  g_test_message ("plain http: %s", error->message);
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 0);
}

/* A link refuses a pin it cannot use rather than connect unchecked. */
static void
test_pin_refused (Fixture *fx, gconstpointer data)
{
  g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u", relais_hub_get_port (fx->hub));
  g_autoptr(RelaisLink) link = relais_link_new (fx->url, fx->th->console_token, NULL, NULL);
  g_autoptr(RelaisLink) plain = relais_link_new (plain_url, fx->th->console_token, NULL, NULL);
  g_autofree char *with_bad = g_strconcat (fx->pin, ";md5//abc", NULL);
  const char      *bad[] = {
         "md5//1B2M2Y8AsgTpgAmY7PhCfg==",
         "sha256/hdWLh8fvolQC/b8fSiKliCkqLteJCHhRnIKM51f1knk=",
         "sha256//court=",
         "sha256//hdWLh8fvolQC/b8fSiKliCkqLteJCHhRnIKM51f1kn!=",
         "/etc/relais/hub.pub",
         with_bad,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (relais_link_set_pin (link, bad[i], &error));
      g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "sha256//"));
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (relais_link_set_pin (plain, fx->pin, &error));
    g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL);
    g_assert_nonnull (strstr (error->message, "https://"));
    /* No pin is fine over http: the configuration's default. */
    g_assert_true (relais_link_set_pin (plain, "", NULL));
    g_assert_true (relais_link_set_pin (link, fx->pin, NULL));
    g_assert_true (relais_link_set_pin (link, NULL, NULL));
  }
}

static void
assert_tls_error (Fixture    *fx,
                  const char *cert_path,
                  const char *key_path,
                  const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->th->dir, "refused.db", NULL);
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autoptr(RelaisHub) hub = NULL;

  g_assert_no_error (error);
  hub = relais_hub_new (g_steal_pointer (&db));
  g_assert_false (relais_hub_set_tls (hub, cert_path, key_path, &error));
  g_assert_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expected));
}

/* Bad files are refused at start, each with what to fix. */
static void
test_bad_files (Fixture *fx, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (fx->th->dir, "absent.crt", NULL);
  g_autofree char *garbage = g_build_filename (fx->th->dir, "garbage.crt", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (garbage, "pas un certificat\n", -1, &error);
  g_assert_no_error (error);

  assert_tls_error (fx, missing, fx->key_path, "introuvable");
  assert_tls_error (fx, missing, fx->key_path, missing);
  assert_tls_error (fx, fx->cert_path, missing, "introuvable");
  assert_tls_error (fx, garbage, fx->key_path, "pas un certificat PEM valide");
  assert_tls_error (fx, fx->cert_path, garbage, "pas une clé privée PEM");
  assert_tls_error (fx, fx->cert_path, fx->other_key_path, "ne correspond pas");
  assert_tls_error (fx, fx->cert_path, "", "tls-key");
  assert_tls_error (fx, "", fx->key_path, "tls-certificate");
}

static GSubprocess *
spawn_hub (GSubprocessFlags flags,
           GError         **error,
           const char      *first_arg,
           ...)
{
  g_autofree char *hub = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, hub);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_newv ((const char * const *) argv->pdata, flags, error);
}

/* The program: tls-make-certificate, tls-pin, and no start on a bad file. */
static void
test_hub_program (Fixture *fx, gconstpointer data)
{
  g_autofree char *hub = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autofree char *dir = g_build_filename (fx->th->dir, "site", NULL);
  g_autofree char *cert = g_build_filename (dir, "hub.crt", NULL);
  g_autofree char *conf = g_build_filename (fx->th->dir, "hub.conf", NULL);
  g_autofree char *db = g_build_filename (fx->th->dir, "program.db", NULL);
  g_autofree char *conf_text = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *pin_line = NULL;
  g_autoptr(GError) error = NULL;
  const GSubprocessFlags pipes = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  if (!g_file_test (hub, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("relais-hub is not built");
      return;
    }

  /* A self-signed certificate for a site with no PKI. */
  {
    g_autoptr(GSubprocess) p = spawn_hub (pipes, &error, "tls-make-certificate", dir, NULL);
    g_autofree char *out = NULL;

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
    pin = relais_hub_tls_pin (cert, &error);
    g_assert_no_error (error);
    pin_line = g_strdup_printf ("pin=%s\n", pin);
    g_assert_nonnull (strstr (out, pin_line));
  }
  /* Never twice over the same files. */
  {
    g_autoptr(GSubprocess) p = spawn_hub (pipes, &error, "tls-make-certificate", dir, NULL);
    g_autofree char *err = NULL;

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (p), !=, 0);
    g_assert_nonnull (strstr (err, "existe déjà"));
  }
  /* tls-pin reads the configured certificate. */
  {
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *out = NULL;
    g_autofree char *expected = g_strdup_printf ("%s\n", pin);

    conf_text = g_strdup_printf ("[hub]\ntls-certificate=%s\ntls-key=%s/hub.key\n", cert, dir);
    g_file_set_contents (conf, conf_text, -1, &error);
    g_assert_no_error (error);
    p = spawn_hub (pipes, &error, "-c", conf, "tls-pin", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
    g_assert_cmpstr (out, ==, expected);
  }
  /* A key that is not the certificate's: the hub says so and exits. */
  {
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *err = NULL;

    g_clear_pointer (&conf_text, g_free);
    conf_text = g_strdup_printf ("[hub]\ntls-certificate=%s\ntls-key=%s\n", cert, fx->other_key_path);
    g_file_set_contents (conf, conf_text, -1, &error);
    g_assert_no_error (error);
    p = spawn_hub (pipes, &error, "-c", conf, "-d", db, "-p", "0", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (p));
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 1);
    g_assert_nonnull (strstr (err, "ne correspond pas"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/tls/pinned-round-trip", test_pinned_round_trip);
  ADD ("/tls/wrong-pin", test_wrong_pin);
  ADD ("/tls/pin-list", test_pin_list);
  ADD ("/tls/no-pin-checks-ca", test_no_pin_checks_ca);
  ADD ("/tls/plain-http-refused", test_plain_http_refused);
  ADD ("/tls/pin-refused", test_pin_refused);
  ADD ("/tls/bad-files", test_bad_files);
  ADD ("/tls/hub-program", test_hub_program);
#undef ADD
  return g_test_run ();
}
