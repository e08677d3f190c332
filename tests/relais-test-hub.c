/* relais-test-hub.c: a real hub on loopback, in the test's own process. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-hub.h"

RelaisTestHub *
relais_test_hub_new (void)
{
  g_autoptr(GError) error = NULL;
  RelaisTestHub *hub = g_new0 (RelaisTestHub, 1);
  RelaisDb      *db;

  hub->dir = g_dir_make_tmp ("relais-hub-XXXXXX", &error);
  g_assert_no_error (error);
  hub->db_path = g_build_filename (hub->dir, "hub.db", NULL);
  db = relais_db_open (hub->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  hub->station_token = relais_hub_enroll (db, "station", "poste-1", &error);
  g_assert_no_error (error);
  hub->console_token = relais_hub_enroll (db, "console", "accueil", &error);
  g_assert_no_error (error);
  hub->console2_token = relais_hub_enroll (db, "console", "bureau", &error);
  g_assert_no_error (error);
  relais_hub_add_mediator (db, "sophie", "Sophie", RELAIS_TEST_SOPHIE_PASSWORD, FALSE, &error);
  g_assert_no_error (error);
  relais_hub_add_mediator (db, "marc", "Marc", RELAIS_TEST_MARC_PASSWORD, FALSE, &error);
  g_assert_no_error (error);
  relais_hub_add_mediator (db, "claire", "Claire", RELAIS_TEST_CLAIRE_PASSWORD, TRUE, &error);
  g_assert_no_error (error);
  relais_db_close (db);

  relais_test_hub_start (hub);
  hub->url = g_strdup_printf ("http://127.0.0.1:%u", hub->port);
  return hub;
}

void
relais_test_hub_start (RelaisTestHub *hub)
{
  g_autoptr(GError) error = NULL;
  RelaisDb *db;

  g_assert_null (hub->hub);
  db = relais_db_open (hub->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  hub->hub = relais_hub_new (db);
  relais_hub_listen (hub->hub, "127.0.0.1", hub->port, &error);
  g_assert_no_error (error);
  hub->port = relais_hub_get_port (hub->hub);
}

void
relais_test_hub_stop (RelaisTestHub *hub)
{
  g_clear_object (&hub->hub);
}

void
relais_test_hub_free (RelaisTestHub *hub)
{
  if (hub == NULL)
    return;
  relais_test_hub_stop (hub);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (hub->dir);
  g_free (hub->db_path);
  g_free (hub->url);
  g_free (hub->station_token);
  g_free (hub->console_token);
  g_free (hub->console2_token);
  g_free (hub);
}

gboolean
relais_test_wait (gboolean (*condition) (gpointer data),
                  gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

typedef struct {
  GError           *error;
  RelaisLoginReply *who;
  gboolean          done;
} Login;

static void
login_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Login *login = user_data;

  login->who = relais_link_login_finish (RELAIS_LINK (object), result, &login->error);
  login->done = TRUE;
}

static gboolean
login_done (gpointer data)
{
  return ((Login *) data)->done;
}

gboolean
relais_test_login (RelaisLink *link,
                   const char *login,
                   const char *password,
                   GError    **error)
{
  Login state = { NULL, NULL, FALSE };

  relais_link_login_async (link, login, password, NULL, login_cb, &state);
  g_assert_true (relais_test_wait (login_done, &state));
  if (state.who == NULL)
    {
      g_propagate_error (error, state.error);
      return FALSE;
    }
  relais_login_reply_free (state.who);
  return TRUE;
}

RelaisLink *
relais_test_console (RelaisTestHub *hub,
                     const char    *login,
                     const char    *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) link = relais_link_new (hub->url, hub->console_token, NULL, &error);

  g_assert_no_error (error);
  relais_test_login (link, login, password, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&link);
}

typedef struct {
  JsonObject *reply;
  GError     *error;
  gboolean    done;
} Call;

static void
call_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Call *call = data;

  call->reply = relais_link_request_finish (RELAIS_LINK (object), result, &call->error);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

JsonObject *
relais_test_call (RelaisLink *link,
                  const char *path,
                  JsonNode   *body,
                  GError    **error)
{
  Call call = { NULL, NULL, FALSE };

  relais_link_request_async (link, path, body, NULL, call_cb, &call);
  g_assert_true (relais_test_wait (call_done, &call));
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.reply;
}

char *
relais_test_hub_station_config_path (RelaisTestHub      *hub,
                                     const char * const *extra)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (hub->dir, "station.db", NULL);
  char            *config_path = g_build_filename (hub->dir, "station.conf", NULL);

  g_key_file_set_string (keyfile, "hub", "url", hub->url);
  g_key_file_set_string (keyfile, "station", "token", hub->station_token);
  g_key_file_set_string (keyfile, "station", "database", db_path);
  g_key_file_set_string (keyfile, "station", "fullscreen", "false");
  /* No web process made ahead unless a test asks ("browser", "prewarm",
   * "true"): the other pages' tests start no WebKit. */
  g_key_file_set_string (keyfile, "browser", "prewarm", "false");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i += 3)
    {
      g_assert_nonnull (extra[i + 1]);
      g_assert_nonnull (extra[i + 2]);
      g_key_file_set_string (keyfile, extra[i], extra[i + 1], extra[i + 2]);
    }
  g_key_file_save_to_file (keyfile, config_path, &error);
  g_assert_no_error (error);
  return config_path;
}

RelaisConfig *
relais_test_hub_station_config (RelaisTestHub      *hub,
                                const char * const *extra)
{
  g_autofree char *path = relais_test_hub_station_config_path (hub, extra);
  g_autoptr(GError) error = NULL;
  RelaisConfig *config = relais_config_load (RELAIS_PROGRAM_STATION, path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

char *
relais_test_safe_create (RelaisLink *console,
                         char      **code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) created = relais_test_call (console, "/safes/create", json_from_string ("{}", NULL), &error);

  g_assert_no_error (error);
  g_assert_nonnull (created);
  *code = g_strdup (json_object_get_string_member (created, "code"));
  return g_strdup (json_object_get_string_member (created, "number"));
}

typedef struct {
  RelaisSafeClient *client;
  const char       *number;
  const char       *code;
  const char       *pin;
  gboolean          and_close;
  GError           *error;
  gint              done;
} Activation;

static gpointer
activate_thread (gpointer data)
{
  Activation *a = data;

  if (relais_safe_client_activate (a->client, a->number, a->code, a->pin, &a->error) && a->and_close)
    relais_safe_client_close (a->client);
  g_atomic_int_set (&a->done, 1);
  return NULL;
}

static gboolean
activation_done (gpointer data)
{
  return g_atomic_int_get (&((Activation *) data)->done);
}

void
relais_test_safe_activate (RelaisSafeClient *client,
                           const char       *number,
                           const char       *code,
                           const char       *pin,
                           gboolean          and_close)
{
  Activation a = { client, number, code, pin, and_close, NULL, 0 };
  GThread   *thread = g_thread_new ("activate", activate_thread, &a);

  g_assert_true (relais_test_wait (activation_done, &a));
  g_thread_join (thread);
  g_assert_no_error (a.error);
}

void
relais_test_assert_refused (RelaisTestReader read,
                            const char      *json,
                            const char      *member)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  gpointer record;

  g_assert_nonnull (node);
  record = read (json_node_get_object (node), &error);
  g_test_message ("%s → %s", json, error != NULL ? error->message : "(read)");
  g_assert_null (record);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, member));
}
