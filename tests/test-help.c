/* test-help.c: a help request's round trip station → hub → console over
 * loopback, with the real hub, the real links and their outbox. */
#include <curl/curl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relais-hub.h"
#include "relais-db-help.h"
#include "relais-db-stats.h"
#include "relais-link.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

typedef struct {
  RelaisTestHub *th;
  char          *dir;
  RelaisHub     *hub;           /* borrowed from th */
  char          *url;           /* borrowed from th */
  char          *station_token; /* borrowed from th */
  RelaisLink    *station;
  RelaisLink    *console;         /* Sophie, on "accueil" */
  RelaisLink    *console2;        /* Marc, on "bureau" */
  GHashTable    *seen_by_console; /* id → state */
  GHashTable    *seen_by_station; /* id → state */
  GHashTable    *taken_by;        /* id → name, as the station saw it */
} Fixture;

static void
record_cb (RelaisLink        *link,
           RelaisHelpRequest *request,
           GHashTable        *table)
{
  g_hash_table_replace (table, g_strdup (request->id), g_strdup (relais_help_state_to_string (request->state)));
}

static void
record_taker_cb (RelaisLink        *link,
                 RelaisHelpRequest *request,
                 Fixture           *fx)
{
  if (request->taken_by != NULL)
    g_hash_table_replace (fx->taken_by, g_strdup (request->id), g_strdup (request->taken_by));
}

typedef gboolean (*Condition) (Fixture *fx, gconstpointer data);

typedef struct {
  Fixture      *fx;
  Condition     condition;
  gconstpointer data;
} Wait;

static gboolean
wait_check (gpointer user_data)
{
  Wait *w = user_data;
  return w->condition (w->fx, w->data);
}

static gboolean
wait_for (Fixture *fx, Condition condition, gconstpointer data)
{
  Wait w = { fx, condition, data };
  return relais_test_wait (wait_check, &w);
}

static gboolean
both_online (Fixture *fx, gconstpointer data)
{
  return relais_link_get_state (fx->station) == RELAIS_LINK_ONLINE
         && relais_link_get_state (fx->console) == RELAIS_LINK_ONLINE;
}

typedef struct {
  GHashTable *table;
  const char *id;
  const char *state;
} Expect;

static gboolean
has_state (Fixture *fx, gconstpointer data)
{
  const Expect *e = data;
  return g_strcmp0 (g_hash_table_lookup (e->table, e->id), e->state) == 0;
}

static gboolean
station_state_is (Fixture *fx, gconstpointer data)
{
  return (int) relais_link_get_state (fx->station) == GPOINTER_TO_INT (data);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = NULL;

  fx->th = relais_test_hub_new ();
  fx->dir = fx->th->dir;
  fx->hub = fx->th->hub;
  fx->url = fx->th->url;
  fx->station_token = fx->th->station_token;

  outbox = g_build_filename (fx->dir, "station.db", NULL);
  fx->station = relais_link_new (fx->url, fx->station_token, outbox, &error);
  g_assert_no_error (error);
  fx->console = relais_link_new (fx->url, fx->th->console_token, NULL, &error);
  g_assert_no_error (error);

  fx->seen_by_console = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fx->seen_by_station = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fx->taken_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect (fx->console, "help-changed", G_CALLBACK (record_cb), fx->seen_by_console);
  g_signal_connect (fx->station, "help-changed", G_CALLBACK (record_cb), fx->seen_by_station);
  g_signal_connect (fx->station, "help-changed", G_CALLBACK (record_taker_cb), fx);
  fx->console2 = relais_link_new (fx->url, fx->th->console2_token, NULL, &error);
  g_assert_no_error (error);
  relais_link_start (fx->station);
  relais_link_start (fx->console);
  g_assert_true (wait_for (fx, both_online, NULL));
  g_assert_true (relais_test_login (fx->console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  g_assert_true (relais_test_login (fx->console2, "marc", RELAIS_TEST_MARC_PASSWORD, &error));
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  relais_link_stop (fx->station);
  relais_link_stop (fx->console);
  g_clear_object (&fx->station);
  g_clear_object (&fx->console);
  g_clear_object (&fx->console2);
  g_clear_pointer (&fx->th, relais_test_hub_free);
  g_hash_table_unref (fx->seen_by_console);
  g_hash_table_unref (fx->seen_by_station);
  g_hash_table_unref (fx->taken_by);
}

static char *
raise_request (Fixture *fx, const char *category)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char            *id = g_uuid_string_random ();
  JsonObject      *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", category);
  key = relais_link_queue_event (fx->station, "help.raise", data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return id;
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
action_done (Fixture *fx, gconstpointer data)
{
  return *(GError * const *) data != NULL;
}

/* Runs a console action to its end; returns the error, NULL on success. */
static GError *
console_action (Fixture *fx, RelaisLink *link, const char *id, const char *verb)
{
  GError *result = NULL;

  relais_link_help_action_async (link, id, verb, NULL, action_cb, &result);
  g_assert_true (wait_for (fx, action_done, &result));
  if (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_NONE))
    g_clear_error (&result);
  return result;
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  g_autofree char *id = raise_request (fx, "printer");
  g_autoptr(GError) error = NULL;
  Expect console_raised = { fx->seen_by_console, id, "raised" };
  Expect station_seen = { fx->seen_by_station, id, "seen" };
  Expect station_taken = { fx->seen_by_station, id, "taken" };
  Expect console_resolved = { fx->seen_by_console, id, "resolved" };

  /* The console sees the request live. */
  g_assert_true (wait_for (fx, has_state, &console_raised));
  /* The console shows it: "Vu" reaches the station. */
  error = console_action (fx, fx->console, id, "seen");
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &station_seen));
  /* Sophie takes it; the station learns who comes. */
  error = console_action (fx, fx->console, id, "take");
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &station_taken));
  g_assert_cmpstr (g_hash_table_lookup (fx->taken_by, id), ==, "Sophie");
  /* A second console cannot take the same request. */
  error = console_action (fx, fx->console2, id, "take");
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Sophie"));
  g_clear_error (&error);
  error = console_action (fx, fx->console, id, "resolve");
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &console_resolved));
  g_assert_cmpint (relais_link_get_pending (fx->station), ==, 0);
}

static gboolean
pending_is_zero (Fixture *fx, gconstpointer data)
{
  return relais_link_get_pending (fx->station) == 0;
}

static void
test_offline_then_delivered (Fixture *fx, gconstpointer data)
{
  g_autofree char *id = NULL;
  Expect           console_raised = { fx->seen_by_console, NULL, "raised" };

  /* The hub goes away. */
  relais_test_hub_stop (fx->th);
  g_assert_true (wait_for (fx, station_state_is, GINT_TO_POINTER (RELAIS_LINK_OFFLINE)));

  /* The help button still answers at once: the request waits, durable. */
  id = raise_request (fx, "website");
  g_assert_cmpint (relais_link_get_pending (fx->station), ==, 1);

  /* The hub comes back on the same port and database. */
  relais_test_hub_start (fx->th);
  fx->hub = fx->th->hub;
  console_raised.id = id;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  g_assert_true (wait_for (fx, pending_is_zero, NULL));
  {
    g_autoptr(RelaisHelpRequest) request = relais_db_help_get (relais_hub_get_db (fx->hub), id, NULL);
    g_assert_nonnull (request);
    g_assert_cmpstr (request->station, ==, "poste-1");
    g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 1);
  }
}

static gboolean
unauthorized (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_UNAUTHORIZED;
}

static gboolean
link_unauthorized (Fixture *fx, gconstpointer data)
{
  return unauthorized ((gpointer) data);
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
flush_done (Fixture *fx, gconstpointer data)
{
  return g_atomic_int_get (&((const Flush *) data)->done);
}

static void
test_wrong_token (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = g_build_filename (fx->dir, "intruder.db", NULL);
  g_autoptr(RelaisLink) intruder = relais_link_new (fx->url, "not-a-token", outbox, &error);
  JsonObject      *event_data = json_object_new ();
  g_autofree char *key = NULL;

  g_assert_no_error (error);
  /* Not started yet: only this test's flush sends, no retry races it. */
  json_object_set_string_member (event_data, "id", "x");
  json_object_set_string_member (event_data, "category", "other");
  key = relais_link_queue_event (intruder, "help.raise", event_data, &error);
  g_assert_no_error (error);
  /* The hub answers on this thread: flush from another one. */
  {
    Flush    flush = { intruder, 0, NULL, 0 };
    GThread *thread = g_thread_new ("flush", flush_thread, &flush);

    g_assert_true (wait_for (fx, flush_done, &flush));
    g_thread_join (thread);
    g_assert_cmpint (flush.result, ==, -1);
    g_assert_error (flush.error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNAUTHORIZED);
    g_clear_error (&flush.error);
  }
  /* Kept for later, not lost; and nothing reached the hub. */
  g_assert_cmpint (relais_link_get_pending (intruder), ==, 1);
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 0);
  /* Its stream is refused too, and it says so. */
  relais_link_start (intruder);
  g_assert_true (wait_for (fx, link_unauthorized, intruder));
  relais_link_stop (intruder);
}

typedef struct {
  const char *url;
  const char *auth;
  const char *body;
  GByteArray *reply;
  long        status;
  gint        done;
} Post;

static size_t
post_write_cb (char *ptr, size_t size, size_t nmemb, void *user_data)
{
  g_byte_array_append (user_data, (const guint8 *) ptr, size * nmemb);
  return size * nmemb;
}

static gpointer
post_thread (gpointer user_data)
{
  Post              *post = user_data;
  CURL              *curl = curl_easy_init ();
  struct curl_slist *headers = curl_slist_append (NULL, post->auth);

  curl_easy_setopt (curl, CURLOPT_URL, post->url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, post->body);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, post_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, post->reply);
  curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &post->status);
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  g_atomic_int_set (&post->done, 1);
  return NULL;
}

static gboolean
post_done (Fixture *fx, gconstpointer data)
{
  return g_atomic_int_get (&((const Post *) data)->done);
}

static void
test_malformed_refused (Fixture *fx, gconstpointer data)
{
  static const struct {
    const char *body;
    const char *expect;
  } inputs[] = {
    { "not json", "JSON invalide" },
    { "[1,2]", "objet JSON" },
    { "{\"events\": 3}", "events" },
    { "{\"events\": []}", "1 à 500" },
    { "{\"events\": [{\"type\":\"help.raise\",\"data\":{}}]}", "key" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"plumbing\"}}]}", "catégorie" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"rm -rf\",\"data\":{}}]}", "type d'événement" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"other\",\"name\":\"Mme X\"}}]}", "champ inconnu" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"priority\":1,\"data\":{\"id\":\"i\",\"category\":\"other\"}}]}", "champ inconnu" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"station.status\",\"data\":{\"step\":\"scan\",\"in_session\":\"yes\"}}]}", "true ou false" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"station.status\",\"data\":{\"step\":\"scan\",\"in_session\":true,\"ends_in\":86400}}]}", "hors limites" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.leave\",\"data\":{\"id\":\"i\",\"why\":\"parti\"}}]}", "champ inconnu" },
    /* A context says what it is in the protocol's words only, and a
     * kind comes with a context. */
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"mail\",\"context\":\"CAF\",\"context_kind\":\"fax\"}}]}", "type de contexte inconnu « fax »" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"mail\",\"context_kind\":\"letter\"}}]}", "sans contexte" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"mail\",\"context\":\"CAF\",\"context_kind\":1}}]}", "context_kind" },
    { "{\"events\": [{\"key\":\"k\",\"type\":\"help.raise\",\"data\":{\"id\":\"i\",\"category\":\"mail\",\"context\":\"CAF\",\"context_kind\":\"letterletterletter\"}}]}", "1 à 16 octets" },
    /* One bad event spoils the batch: the good one is not stored either. */
    { "{\"events\": [{\"key\":\"ok\",\"type\":\"help.raise\",\"data\":{\"id\":\"i1\",\"category\":\"other\"}},"
      "{\"key\":\"k2\",\"type\":\"help.raise\",\"data\":{\"id\":7,\"category\":\"other\"}}]}",
      "chaîne" },
  };
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", fx->station_token);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/events", fx->url);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GByteArray) reply = g_byte_array_new ();
      Post     post = { url, auth, inputs[i].body, reply, 0, 0 };
      GThread *thread;

      /* The hub answers on this thread's main loop: post from another. */
      thread = g_thread_new ("post", post_thread, &post);
      g_assert_true (wait_for (fx, post_done, &post));
      g_thread_join (thread);
      g_byte_array_append (reply, (const guint8 *) "", 1);
      g_test_message ("%s → %ld %s", inputs[i].body, post.status, (const char *) reply->data);
      g_assert_cmpint (post.status, ==, 400);
      g_assert_nonnull (strstr ((const char *) reply->data, inputs[i].expect));
    }
  /* Nothing stored. */
  g_assert_cmpint (relais_db_event_count (relais_hub_get_db (fx->hub)), ==, 0);
}

typedef struct {
  GHashTable *table;
  const char *id;
} Heard;

static void
record_context_cb (RelaisLink        *link,
                   RelaisHelpRequest *request,
                   GHashTable        *table)
{
  g_hash_table_replace (table, g_strdup (request->id), relais_help_request_copy (request));
}

static gboolean
heard (Fixture *fx, gconstpointer data)
{
  const Heard *h = data;
  return g_hash_table_contains (h->table, h->id);
}

static char *
raise_with_context (Fixture    *fx,
                    const char *context,
                    const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char            *id = g_uuid_string_random ();
  JsonObject      *data = json_object_new ();

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "category", "mail");
  json_object_set_string_member (data, "context", context);
  if (kind != NULL)
    json_object_set_string_member (data, "context_kind", kind);
  key = relais_link_queue_event (fx->station, "help.raise", data, &error);
  g_assert_no_error (error);
  return id;
}

/* A request's context travels with its kind, station → hub → console,
 * stored and sent again on a console's catch-up; an older station's
 * context, without a kind, is still taken and stays without one. */
static void
test_context_kinds (Fixture *fx, gconstpointer data)
{
  static const struct {
    const char           *context;
    const char           *kind;
    RelaisHelpContextKind expect;
  } cases[] = {
    { "www.caf.fr — Mon compte", "site", RELAIS_HELP_CONTEXT_SITE },
    { "CAF — Décision", "letter", RELAIS_HELP_CONTEXT_LETTER },
    { "www.caf.fr — Mon compte", NULL, RELAIS_HELP_CONTEXT_UNKNOWN },
  };
  g_autoptr(GHashTable) requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) relais_help_request_free);
  g_autoptr(GHashTable) caught_up = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) relais_help_request_free);
  g_autoptr(GError) error = NULL;
  char *ids[G_N_ELEMENTS (cases)];

  g_signal_connect (fx->console, "help-changed", G_CALLBACK (record_context_cb), requests);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    ids[i] = raise_with_context (fx, cases[i].context, cases[i].kind);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelaisHelpRequest) stored = NULL;
      RelaisHelpRequest *live;

      g_assert_true (wait_for (fx, heard, &(Heard) { requests, ids[i] }));
      live = g_hash_table_lookup (requests, ids[i]);
      g_assert_cmpstr (live->context, ==, cases[i].context);
      g_assert_cmpint (live->context_kind, ==, cases[i].expect);
      stored = relais_db_help_get (relais_hub_get_db (fx->hub), ids[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (stored->context, ==, cases[i].context);
      g_assert_cmpint (stored->context_kind, ==, cases[i].expect);
    }

  /* A console starting later hears them from the stored rows. */
  g_signal_connect (fx->console2, "help-changed", G_CALLBACK (record_context_cb), caught_up);
  relais_link_start (fx->console2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (wait_for (fx, heard, &(Heard) { caught_up, ids[i] }));
      g_assert_cmpint (((RelaisHelpRequest *) g_hash_table_lookup (caught_up, ids[i]))->context_kind, ==,
                       cases[i].expect);
      g_free (ids[i]);
    }
  g_signal_handlers_disconnect_by_data (fx->console, requests);
  relais_link_stop (fx->console2);
  g_signal_handlers_disconnect_by_data (fx->console2, caught_up);
}

/* The resident's session ended with the request open: the station says
 * so through its outbox, the hub records "left", and the consoles hear it.
 * A console cannot claim it; a request already closed stays as it was. */
static void
test_resident_left (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = raise_request (fx, "website");
  g_autofree char *done = raise_request (fx, "printer");
  g_autoptr(RelaisHelpRequest) stored = NULL;
  Expect      raised = { fx->seen_by_console, id, "raised" };
  Expect      raised_done = { fx->seen_by_console, done, "raised" };
  Expect      left = { fx->seen_by_console, id, "left" };
  Expect      resolved = { fx->seen_by_console, done, "resolved" };
  JsonObject *leave;

  /* Both requests at the hub before the console acts on them: the second
   * may come in a later batch of the station's outbox than the first
   * (CI, under load: "Demande d'aide inconnue" when taken too early). */
  g_assert_true (wait_for (fx, has_state, &raised));
  g_assert_true (wait_for (fx, has_state, &raised_done));
  error = console_action (fx, fx->console, id, "leave");
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_no_error (console_action (fx, fx->console, done, "take"));
  g_assert_no_error (console_action (fx, fx->console, done, "resolve"));
  g_assert_true (wait_for (fx, has_state, &resolved));

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *k = NULL;

      leave = json_object_new ();
      json_object_set_string_member (leave, "id", i == 0 ? id : done);
      k = relais_link_queue_event (fx->station, "help.leave", leave, &error);
      g_assert_no_error (error);
    }
  g_assert_true (wait_for (fx, has_state, &left));
  stored = relais_db_help_get (relais_hub_get_db (fx->hub), id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->state, ==, RELAIS_HELP_STATE_LEFT);
  g_assert_cmpint (stored->closed_at, >, 0);
  g_clear_pointer (&stored, relais_help_request_free);
  stored = relais_db_help_get (relais_hub_get_db (fx->hub), done, &error);
  g_assert_cmpint (stored->state, ==, RELAIS_HELP_STATE_RESOLVED);
  /* Nobody takes a request whose resident left. */
  error = console_action (fx, fx->console, id, "take");
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
}

static void
count_ring_cb (RelaisLink *link, RelaisHelpRequest *request, GHashTable *rings)
{
  const char *id = request->id;

  g_hash_table_replace (rings, g_strdup (id),
                        GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (rings, id)) + 1));
}

typedef struct {
  GHashTable *rings;
  const char *id;
  int         at_least;
} RingExpect;

static gboolean
rang (Fixture *fx, gconstpointer data)
{
  const RingExpect *e = data;
  return GPOINTER_TO_INT (g_hash_table_lookup (e->rings, e->id)) >= e->at_least;
}

static void
test_ring_again (Fixture *fx, gconstpointer data)
{
  g_autoptr(GHashTable) rings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  Expect     console_raised = { fx->seen_by_console, NULL, "raised" };
  Expect     taken = { fx->seen_by_console, NULL, "taken" };
  RingExpect twice = { rings, NULL, 2 };
  int        rings_when_taken;

  relais_hub_set_ring_again (fx->hub, 300);
  g_signal_connect (fx->console, "ring", G_CALLBACK (count_ring_cb), rings);
  id = raise_request (fx, "mail");
  console_raised.id = taken.id = twice.id = id;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  /* Nobody takes it: it rings, and rings again. */
  g_assert_true (wait_for (fx, rang, &twice));

  error = console_action (fx, fx->console, id, "take");
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &taken));
  rings_when_taken = GPOINTER_TO_INT (g_hash_table_lookup (rings, id));
  /* Taken: silence. Let three ring periods pass. */
  {
    gint64 until = g_get_monotonic_time () + 1000 * 1000;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (rings, id)), ==, rings_when_taken);
  g_signal_handlers_disconnect_by_data (fx->console, rings);
}

static void
record_station_cb (RelaisLink *link, RelaisStationStatus *station, GHashTable *stations)
{
  g_autofree char *state = g_strdup_printf ("%s %s %s",
                                            station->online ? "online" : "offline",
                                            relais_station_step_to_string (station->step),
                                            station->in_session ? "session" : "free");
  g_hash_table_replace (stations, g_strdup (station->name), g_steal_pointer (&state));
}

static void
test_station_presence (Fixture *fx, gconstpointer data)
{
  g_autoptr(GHashTable) stations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) watcher = relais_link_new (fx->url, fx->th->console2_token, NULL, &error);
  g_autofree char *key = NULL;
  JsonObject      *status = json_object_new ();
  Expect           online_home = { stations, "poste-1", "online home free" };
  Expect           scanning = { stations, "poste-1", "online scan session" };
  Expect           gone = { stations, "poste-1", "offline scan session" };

  /* A console arriving learns every station's state in its catch-up. */
  g_signal_connect (watcher, "station-changed", G_CALLBACK (record_station_cb), stations);
  relais_link_start (watcher);
  g_assert_true (wait_for (fx, has_state, &online_home));

  json_object_set_string_member (status, "step", "scan");
  json_object_set_boolean_member (status, "in_session", TRUE);
  key = relais_link_queue_event (fx->station, "station.status", status, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &scanning));

  /* The station's link drops: the consoles see it at once. */
  relais_link_stop (fx->station);
  g_assert_true (wait_for (fx, has_state, &gone));
  relais_link_stop (watcher);
}

static void
record_reason_cb (RelaisLink *link, RelaisHelpRequest *request, char **reason)
{
  if (request->reason != NULL && request->origin == RELAIS_HELP_ORIGIN_STATION)
    {
      g_free (*reason);
      *reason = g_strdup (request->reason);
    }
}

static gboolean
reason_seen (Fixture *fx, gconstpointer data)
{
  return *(char * const *) data != NULL;
}

static void
test_station_raises_by_itself (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *reason = NULL;
  JsonObject      *event = json_object_new ();

  g_signal_connect (fx->console, "help-changed", G_CALLBACK (record_reason_cb), &reason);
  json_object_set_string_member (event, "id", "auto-1");
  json_object_set_string_member (event, "category", "printer");
  json_object_set_string_member (event, "origin", "station");
  json_object_set_string_member (event, "reason", "printer-media-empty");
  key = relais_link_queue_event (fx->station, "help.raise", event, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, reason_seen, &reason));
  g_assert_cmpstr (reason, ==, "printer-media-empty");
  g_signal_handlers_disconnect_by_data (fx->console, &reason);
}

static gboolean
poison_set_aside (Fixture *fx, gconstpointer data)
{
  return relais_link_get_pending (fx->station) == 0 && relais_link_get_rejected (fx->station) == 1;
}

static void
test_refused_event_does_not_block (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *after = NULL;
  JsonObject      *poison = json_object_new ();
  Expect           console_raised = { fx->seen_by_console, NULL, "raised" };

  /* An event this hub will never take (say, from a newer station)... */
  json_object_set_string_member (poison, "id", "p1");
  json_object_set_string_member (poison, "category", "plumbing");
  key = relais_link_queue_event (fx->station, "help.raise", poison, &error);
  g_assert_no_error (error);
  /* ...must not hold back the resident's request queued after it. */
  after = raise_request (fx, "scanner");
  console_raised.id = after;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  g_assert_true (wait_for (fx, poison_set_aside, NULL));
}

/* Runs @sql on the database at @path (a test's own look: the programs go
 * through db/). */
static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

typedef struct {
  gint64 pending;
  gint64 rejected;
} Counts;

static gboolean
outbox_counts (Fixture *fx, gconstpointer data)
{
  const Counts *counts = data;

  return relais_link_get_pending (fx->station) == counts->pending
         && relais_link_get_rejected (fx->station) == counts->rejected;
}

/* Every answer of the hub that says "never" sets the event aside: a body
 * too large (413) and a key it knows for another event (409) used to be
 * retried for ever, and every event behind them waited. */
static void
test_outbox_sets_aside_refusals (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = g_build_filename (fx->dir, "station.db", NULL);
  g_autofree char *first = NULL;
  g_autofree char *reused = NULL;
  g_autofree char *after = NULL;
  g_autofree char *huge = g_strnfill (70 * 1024, 'x');
  JsonObject      *big = json_object_new ();
  Expect           console_raised = { fx->seen_by_console, NULL, "raised" };
  Counts           one_aside = { 0, 1 };
  Counts           two_aside = { 0, 2 };

  /* 413: an event past the hub's 64 KiB. */
  json_object_set_string_member (big, "step", huge);
  json_object_set_boolean_member (big, "in_session", FALSE);
  g_free (relais_link_queue_event (fx->station, "station.status", big, &error));
  g_assert_no_error (error);
  after = raise_request (fx, "printer");
  console_raised.id = after;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  g_assert_true (wait_for (fx, outbox_counts, &one_aside));

  /* 409: a key the hub recorded for another event (a station restored
   * from an old copy, say): the delivered row comes back with the same
   * key and another category. */
  first = raise_request (fx, "other");
  console_raised.id = first;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  g_assert_true (wait_for (fx, pending_is_zero, NULL));
  reused = g_strdup_printf ("BEGIN;"
                            "CREATE TEMP TABLE copy AS SELECT key, type, at, body FROM outbox"
                            " WHERE body LIKE '%%\"%s\"%%';"
                            "DELETE FROM outbox WHERE body LIKE '%%\"%s\"%%';"
                            "INSERT INTO outbox (key, type, at, body) SELECT key, type, at,"
                            " replace (body, '\"other\"', '\"mail\"') FROM copy;"
                            "COMMIT;",
                            first, first);
  sql_exec (outbox, reused);
  relais_link_retry_now (fx->station);
  g_free (after);
  after = raise_request (fx, "scanner");
  console_raised.id = after;
  g_assert_true (wait_for (fx, has_state, &console_raised));
  g_assert_true (wait_for (fx, outbox_counts, &two_aside));
}

/* An event the hub cannot store (5xx each time it comes alone) is set
 * aside after a few tries, once an event behind it goes through: the
 * queue never waits for ever. The hub's database is made to fail on that
 * one event (a trigger); nothing else is faked. */
static void
test_outbox_sets_aside_unstorable (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  JsonObject      *poison = json_object_new ();
  Expect           b_raised = { fx->seen_by_console, NULL, "raised" };
  Expect           c_raised = { fx->seen_by_console, NULL, "raised" };
  Counts           one_aside = { 0, 1 };

  sql_exec (fx->th->db_path, "CREATE TRIGGER poison BEFORE INSERT ON events"
                             " WHEN NEW.body LIKE '%\"poison-me\"%' BEGIN SELECT json ('{'); END;");
  json_object_set_string_member (poison, "id", "poison-me");
  json_object_set_string_member (poison, "category", "other");
  g_free (relais_link_queue_event (fx->station, "help.raise", poison, &error));
  g_assert_no_error (error);
  b = raise_request (fx, "printer");
  c = raise_request (fx, "scanner");
  b_raised.id = b;
  c_raised.id = c;
  g_assert_true (wait_for (fx, has_state, &b_raised));
  g_assert_true (wait_for (fx, has_state, &c_raised));
  g_assert_true (wait_for (fx, outbox_counts, &one_aside));
}

/* A hub that says "slow down" (429) has refused nothing: the events wait
 * and go, none is set aside. */
static void
test_outbox_throttled_waits (Fixture *fx, gconstpointer data)
{
  Counts all_sent = { 0, 0 };

  relais_hub_set_rate_limit (fx->hub, 1, 1);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonObject *status = json_object_new ();

      json_object_set_string_member (status, "step", i % 2 ? "scan" : "home");
      json_object_set_boolean_member (status, "in_session", TRUE);
      g_free (relais_link_queue_event (fx->station, "station.status", status, &error));
      g_assert_no_error (error);
      /* Each its own request. */
      g_usleep (100 * 1000);
    }
  g_assert_true (wait_for (fx, outbox_counts, &all_sent));
}

/* A link keeps its connection to the hub from one call to the next
 * (each used to open its own): 40 console calls and 20 station events,
 * one after the other, take a handful of connections, not 60. */
static void
test_link_reuses_connections (Fixture *fx, gconstpointer data)
{
  guint64 accepted = relais_hub_get_n_accepted (fx->hub);

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) reply = relais_test_call (fx->console, "/help", NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (reply);
    }
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = raise_request (fx, "other");

      g_assert_true (wait_for (fx, pending_is_zero, NULL));
    }
  g_test_message ("60 calls, %" G_GUINT64_FORMAT " connections", relais_hub_get_n_accepted (fx->hub) - accepted);
  g_assert_cmpuint (relais_hub_get_n_accepted (fx->hub) - accepted, <=, 4);
  /* And the hub holds no more than the links use: two streams, a few
   * kept-alive connections. */
  g_assert_cmpuint (relais_hub_get_n_connections (fx->hub), <=, 8);
}

static void
test_console_catches_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GHashTable) late_view = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) late = NULL;
  g_autofree char *first = raise_request (fx, "website");
  g_autofree char *second = raise_request (fx, "mail");
  Expect           second_raised = { fx->seen_by_console, second, "raised" };
  Expect           first_seen_late = { late_view, first, "raised" };
  Expect           second_seen_late = { late_view, second, "raised" };

  g_assert_true (wait_for (fx, has_state, &second_raised));
  /* A console opened afterwards sees the queue as it stands. */
  late = relais_link_new (fx->url, fx->th->console2_token, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (late, "help-changed", G_CALLBACK (record_cb), late_view);
  relais_link_start (late);
  g_assert_true (wait_for (fx, has_state, &first_seen_late));
  g_assert_true (wait_for (fx, has_state, &second_seen_late));
  relais_link_stop (late);
}

static void
test_resident_cancels (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = raise_request (fx, "scanner");
  g_autofree char *key = NULL;
  JsonObject      *cancel = json_object_new ();
  Expect           raised = { fx->seen_by_console, id, "raised" };
  Expect           cancelled = { fx->seen_by_console, id, "cancelled" };

  g_assert_true (wait_for (fx, has_state, &raised));
  json_object_set_string_member (cancel, "id", id);
  key = relais_link_queue_event (fx->station, "help.cancel", cancel, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &cancelled));
  /* Nobody can take it any more. */
  error = console_action (fx, fx->console, id, "take");
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
}

static GPtrArray *attached_sent;
static gboolean   attached_hub_up;

/* Behaves as the safe's real sender does: while the hub is away nothing
 * is delivered and the outbox keeps the event for later. */
static RelaisLinkSendResult
record_attached (RelaisLink *link, JsonObject *data, GBytes *attachment, GError **error)
{
  g_assert_cmpuint (g_bytes_get_size (attachment), ==, 5);
  if (!g_atomic_int_get (&attached_hub_up))
    {
      g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE, "hub down");
      return RELAIS_LINK_RETRY;
    }
  g_ptr_array_add (attached_sent, g_strdup (json_object_get_string_member (data, "id")));
  return RELAIS_LINK_SENT;
}

static gboolean
pending_none (Fixture *fx, gconstpointer data)
{
  return relais_link_get_pending (fx->station) == 0;
}

static void
test_attachment_in_order (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = g_bytes_new_static ("sealed", 5);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  JsonObject *attached = json_object_new ();

  attached_sent = g_ptr_array_new_with_free_func (g_free);
  g_atomic_int_set (&attached_hub_up, FALSE);
  relais_link_set_attachment_sender (fx->station, "test.attached", record_attached);
  /* Hub down: three events wait, one of them with bytes. */
  relais_test_hub_stop (fx->th);
  first = raise_request (fx, "scanner");
  json_object_set_string_member (attached, "id", "doc-1");
  key = relais_link_queue_event_attached (fx->station, "test.attached", attached, blob, &error);
  g_assert_no_error (error);
  second = raise_request (fx, "printer");
  g_assert_cmpint (relais_link_get_pending (fx->station), ==, 3);
  g_assert_cmpint (relais_link_get_pending_of_type (fx->station, "test.attached"), ==, 1);

  /* Back: one outbox, in order, each once. */
  relais_test_hub_start (fx->th);
  fx->hub = fx->th->hub;
  g_atomic_int_set (&attached_hub_up, TRUE);
  relais_link_retry_now (fx->station);
  g_assert_true (wait_for (fx, pending_none, NULL));
  g_assert_cmpuint (attached_sent->len, ==, 1);
  g_assert_cmpstr (attached_sent->pdata[0], ==, "doc-1");
  keys = relais_db_event_keys (relais_hub_get_db (fx->hub), &error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_clear_pointer (&attached_sent, g_ptr_array_unref);
}

/* POST /help/ID/resolve with @json as body; the error, NULL when taken. */
static GError *
resolve_with (Fixture *fx, const char *id, const char *json)
{
  g_autoptr(JsonNode) body = json_from_string (json, NULL);
  g_autofree char *path = g_strdup_printf ("/help/%s/resolve", id);
  g_autoptr(JsonObject) reply = NULL;
  GError *error = NULL;

  g_assert_nonnull (body);
  reply = relais_test_call (fx->console, path, g_steal_pointer (&body), &error);
  g_assert_true ((reply == NULL) == (error != NULL));
  return error;
}

/* What each request was about (issue 16): the need and outcome a
 * mediator may give when resolving, checked against the lists and the
 * site's partners before anything changes; stored as words and counted
 * by month, said or not. */
static void
test_what_it_was_about (Fixture *fx, gconstpointer data)
{
  const char      *partners[] = { "CAF", "Mission locale", NULL };
  g_autofree char *id = raise_request (fx, "website");
  g_autofree char *plain = raise_request (fx, "printer");
  g_autofree char *today = NULL;
  g_autofree char *month = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) choices = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  Expect taken = { fx->seen_by_console, id, "taken" };
  Expect plain_taken = { fx->seen_by_console, plain, "taken" };
  Expect resolved = { fx->seen_by_console, id, "resolved" };
  Expect plain_resolved = { fx->seen_by_console, plain, "resolved" };
  static const struct {
    const char *json;
    const char *says;
  } bad[] = {
    { "{\"need\": \"piscine\"}", "need" },
    { "{\"outcome\": \"reussi\"}", "outcome" },
    { "{\"need\": 3}", "need" },
    { "{\"outcome\": \"ensemble\", \"partner\": \"CAF\"}", "partner" },
    { "{\"outcome\": \"oriente\", \"partner\": \"CPAM\"}", "partner" },
    { "{\"need\": \"caf\", \"name\": \"Mme Martin\"}", "name" },
  };

  relais_hub_set_help_partners (fx->hub, partners);
  /* The lists the console offers, the site's partners among them. */
  choices = relais_test_call (fx->console, "/help/choices", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (choices, "needs")), ==, 10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (choices, "outcomes")), ==, 6);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (choices, "partners")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (choices, "partners"), 1), ==,
                   "Mission locale");

  g_assert_true (wait_for (fx, has_state, &(Expect) { fx->seen_by_console, id, "raised" }));
  g_assert_true (wait_for (fx, has_state, &(Expect) { fx->seen_by_console, plain, "raised" }));
  g_assert_no_error (console_action (fx, fx->console, id, "take"));
  g_assert_no_error (console_action (fx, fx->console, plain, "take"));
  g_assert_true (wait_for (fx, has_state, &taken));
  g_assert_true (wait_for (fx, has_state, &plain_taken));

  /* Bad values: refused by name, the request still taken. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) refused = resolve_with (fx, id, bad[i].json);
      g_autoptr(RelaisHelpRequest) still = relais_db_help_get (relais_hub_get_db (fx->hub), id, NULL);

      g_assert_nonnull (refused);
      g_test_message ("%s → %s", bad[i].json, refused->message);
      g_assert_nonnull (strstr (refused->message, bad[i].says));
      g_assert_cmpint (still->state, ==, RELAIS_HELP_STATE_TAKEN);
    }
  /* Only resolving says what it was about. */
  {
    g_autoptr(GError) refused = NULL;
    g_autofree char *path = g_strdup_printf ("/help/%s/seen", id);
    g_autoptr(JsonObject) reply = relais_test_call (fx->console, path, json_from_string ("{\"need\": \"caf\"}", NULL),
                                                     &refused);

    g_assert_null (reply);
    g_assert_nonnull (strstr (refused->message, "need"));
  }

  /* Said: CAF, referred to the Mission locale; the other, nothing said. */
  error = resolve_with (fx, id, "{\"need\": \"caf\", \"outcome\": \"oriente\", \"partner\": \"Mission locale\"}");
  g_assert_no_error (error);
  error = resolve_with (fx, plain, "{}");
  g_assert_no_error (error);
  g_assert_true (wait_for (fx, has_state, &resolved));
  g_assert_true (wait_for (fx, has_state, &plain_resolved));

  today = g_date_time_format (now, "%Y-%m-%d");
  month = g_date_time_format (now, "%Y-%m");
  lines = relais_db_stats_outcomes (relais_hub_get_db (fx->hub), today, today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  {
    RelaisStatsOutcome *unsaid = g_ptr_array_index (lines, 0);
    RelaisStatsOutcome *said = g_ptr_array_index (lines, 1);

    g_assert_cmpstr (unsaid->month, ==, month);
    g_assert_cmpstr (unsaid->need, ==, "");
    g_assert_cmpstr (unsaid->outcome, ==, "");
    g_assert_cmpint (unsaid->requests, ==, 1);
    g_assert_cmpstr (said->need, ==, "caf");
    g_assert_cmpstr (said->outcome, ==, "oriente");
    g_assert_cmpstr (said->partner, ==, "Mission locale");
    g_assert_cmpint (said->requests, ==, 1);
  }
  /* Resolving again changes nothing, counts nothing. */
  error = resolve_with (fx, id, "{\"need\": \"emploi\"}");
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = relais_db_stats_outcomes (relais_hub_get_db (fx->hub), today, today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (((RelaisStatsOutcome *) g_ptr_array_index (lines, 1))->requests, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/help/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/help/offline-then-delivered", Fixture, NULL, fixture_set_up, test_offline_then_delivered, fixture_tear_down);
  g_test_add ("/help/wrong-token", Fixture, NULL, fixture_set_up, test_wrong_token, fixture_tear_down);
  g_test_add ("/help/console-catches-up", Fixture, NULL, fixture_set_up, test_console_catches_up, fixture_tear_down);
  g_test_add ("/help/outbox-sets-aside-refusals", Fixture, NULL, fixture_set_up, test_outbox_sets_aside_refusals, fixture_tear_down);
  g_test_add ("/help/outbox-sets-aside-unstorable", Fixture, NULL, fixture_set_up, test_outbox_sets_aside_unstorable, fixture_tear_down);
  g_test_add ("/help/outbox-throttled-waits", Fixture, NULL, fixture_set_up, test_outbox_throttled_waits, fixture_tear_down);
  g_test_add ("/help/link-reuses-connections", Fixture, NULL, fixture_set_up, test_link_reuses_connections, fixture_tear_down);
  g_test_add ("/help/resident-cancels", Fixture, NULL, fixture_set_up, test_resident_cancels, fixture_tear_down);
  g_test_add ("/help/resident-left", Fixture, NULL, fixture_set_up, test_resident_left, fixture_tear_down);
  g_test_add ("/help/ring-again", Fixture, NULL, fixture_set_up, test_ring_again, fixture_tear_down);
  g_test_add ("/help/station-presence", Fixture, NULL, fixture_set_up, test_station_presence, fixture_tear_down);
  g_test_add ("/help/station-raises-by-itself", Fixture, NULL, fixture_set_up, test_station_raises_by_itself, fixture_tear_down);
  g_test_add ("/help/refused-event-does-not-block", Fixture, NULL, fixture_set_up, test_refused_event_does_not_block, fixture_tear_down);
  g_test_add ("/help/attachment-in-order", Fixture, NULL, fixture_set_up, test_attachment_in_order, fixture_tear_down);
  g_test_add ("/help/what-it-was-about", Fixture, NULL, fixture_set_up, test_what_it_was_about, fixture_tear_down);
  g_test_add ("/help/context-kinds", Fixture, NULL, fixture_set_up, test_context_kinds, fixture_tear_down);
  g_test_add ("/help/malformed-refused", Fixture, NULL, fixture_set_up, test_malformed_refused, fixture_tear_down);
  return g_test_run ();
}
