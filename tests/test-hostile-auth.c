/* test-hostile-auth.c: who may call: bodies without a token refused on
 * their headers, logins in parallel, who did what, one station's share of
 * open requests. Part of test-hostile.c. */
#include "test-hostile.h"

/* 2. A body without a valid token is refused on its headers: three 39 MB
 * POSTs to the safe's route with no token (or a wrong one) were read in
 * full before their 401. */
void
test_no_token_no_body (void)
{
  Hub        *hub = hub_new (NULL);
  const char *auth[] = { "", "Authorization: Bearer not-a-token\r\n", "Authorization: Basic c29waGll\r\n" };
  gint64      rss_before = hub_rss_kb (hub);

  for (guint i = 0; i < G_N_ELEMENTS (auth); i++)
    {
      int              fd = raw_connect (hub);
      g_autofree char *head = g_strdup_printf ("POST /api/v1/safe/deposit HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                                               "Content-Type: application/octet-stream\r\n"
                                               "Content-Length: %u\r\n\r\n",
                                               auth[i], 39 * 1024 * 1024);
      g_autoptr(GString) answer = NULL;

      g_assert_true (raw_send (fd, head, strlen (head)));
      answer = raw_answer (fd);
      g_assert_cmpuint (answer_status (answer), ==, 401);
      raw_send_junk (fd, 39 * 1024 * 1024);
      close (fd);
    }
  g_test_message ("RSS %" G_GINT64_FORMAT " kB after 3 × 39 MB without a token, %" G_GINT64_FORMAT " kB before",
                  hub_rss_kb (hub), rss_before);
  assert_memory_below (hub_rss_kb (hub) - rss_before, 8 * 1024);
  hub_free (hub);
}

/* @n POSTs of @body to /login from console @token at once (curl multi);
 * counts the answers by status in @statuses (status → count). */
static void
parallel_logins (Hub        *hub,
                 const char *token,
                 const char *body,
                 guint       n,
                 GHashTable *statuses)
{
  g_autofree char   *url = g_strdup_printf ("%s/api/v1/login", hub->url);
  g_autofree char   *auth = g_strdup_printf ("Authorization: Bearer %s", token);
  struct curl_slist *headers = curl_slist_append (curl_slist_append (NULL, auth), "Content-Type: application/json");
  CURLM             *multi = curl_multi_init ();
  g_autoptr(GPtrArray) handles = g_ptr_array_new ();
  g_autoptr(GString) sink = g_string_new (NULL);
  int running = 1;

  curl_multi_setopt (multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) n);
  for (guint i = 0; i < n; i++)
    {
      CURL *curl = curl_easy_init ();

      curl_easy_setopt (curl, CURLOPT_URL, url);
      curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_cb);
      curl_easy_setopt (curl, CURLOPT_WRITEDATA, sink);
      curl_easy_setopt (curl, CURLOPT_TIMEOUT, 60L);
      curl_easy_setopt (curl, CURLOPT_FRESH_CONNECT, 1L);
      curl_multi_add_handle (multi, curl);
      g_ptr_array_add (handles, curl);
    }
  while (running > 0)
    {
      curl_multi_perform (multi, &running);
      if (running > 0)
        curl_multi_poll (multi, NULL, 0, 1000, NULL);
    }
  for (guint i = 0; i < handles->len; i++)
    {
      CURL *curl = handles->pdata[i];
      long  status = 0;

      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      g_hash_table_insert (statuses, GINT_TO_POINTER (status),
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (statuses, GINT_TO_POINTER (status))) + 1));
      curl_multi_remove_handle (multi, curl);
      curl_easy_cleanup (curl);
    }
  curl_multi_cleanup (multi);
  curl_slist_free_all (headers);
}

static guint
n_status (GHashTable *statuses,
          long        status)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (statuses, GINT_TO_POINTER (status)));
}

/* 4. The failure count was checked before the password hash ran and
 * counted after: 100 guesses at once checked 97 passwords, each Argon2id
 * holding 32 MiB (448 MB peak). Now each attempt counts before its hash,
 * two hashes run at once, and the count is per console and account: the
 * console under attack is refused, not the mediator everywhere. */
void
test_parallel_logins (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GHashTable) statuses = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  gint64 peak_before = hub_status_kb (hub, "VmHWM");
  gint64 peak_after;

  parallel_logins (hub, hub->console_token, "{\"login\":\"sophie\",\"password\":\"guess-guess\"}", 100, statuses);
  peak_after = hub_status_kb (hub, "VmHWM");
  g_test_message ("100 wrong passwords at once: %u × 401, %u × 429, %u × 503; peak RSS %" G_GINT64_FORMAT
                  " kB (%" G_GINT64_FORMAT " kB before)",
                  n_status (statuses, 401), n_status (statuses, 429),
                  n_status (statuses, 503), peak_after, peak_before);
  /* Five passwords checked, no more; every attempt answered. */
  g_assert_cmpuint (n_status (statuses, 401), ==, 5);
  g_assert_cmpuint (n_status (statuses, 401) + n_status (statuses, 429) + n_status (statuses, 503), ==, 100);
  /* Two Argon2id at most (32 MiB each), not ninety-seven. */
  assert_memory_below (peak_after - MAX (peak_before, hub_rss_kb (hub)), 100 * 1024);

  /* Sophie is locked out of that console only. */
  g_assert_cmpint (call (hub, "POST", "/login", hub->console_token, NULL,
                         "{\"login\":\"sophie\",\"password\":\"" SOPHIE_PASSWORD "\"}", reply),
                   ==, 429);
  g_assert_cmpint (call (hub, "POST", "/login", hub->console2_token, NULL,
                         "{\"login\":\"sophie\",\"password\":\"" SOPHIE_PASSWORD "\"}", reply),
                   ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"session\""));

  /* A console trying many logins is stopped too (20 failures). */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"login\":\"nobody-%u\",\"password\":\"guess-guess\"}", i);
      long             status = call (hub, "POST", "/login", hub->console2_token, NULL, body, reply);

      g_assert_cmpint (status, ==, i < 20 ? 401 : 429);
    }
  hub_free (hub);
}

/* A direct look at the hub's database (read only, or what only a test
 * may do: age a session). */
static sqlite3 *
hub_sql (Hub *hub)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (hub->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gint64
sql_int (Hub        *hub,
         const char *sql)
{
  sqlite3      *db = hub_sql (hub);
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
sql_text (Hub        *hub,
          const char *sql)
{
  sqlite3      *db = hub_sql (hub);
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
sql_exec (Hub        *hub,
          const char *sql)
{
  sqlite3 *db = hub_sql (hub);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Logs @login in on @console_token; returns the session. */
char *
login (Hub        *hub,
       const char *console_token,
       const char *login,
       const char *password)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login, password);

  g_assert_cmpint (call (hub, "POST", "/login", console_token, NULL, body, reply), ==, 200);
  node = json_from_string (reply->str, NULL);
  g_assert_nonnull (node);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "session"));
}

char *
login_sophie (Hub        *hub,
              const char *console_token)
{
  return login (hub, console_token, "sophie", SOPHIE_PASSWORD);
}

/* 5. Who did what: a console token with nobody logged in could raise and
 * cancel help requests through POST /events; one console could end
 * another's session; a second Authorization header was read when the
 * first was wrong. And an expired session is refused. */
void
test_attribution (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autofree char  *session = NULL;
  g_autofree char  *session_header = NULL;
  g_autofree char  *source = NULL;
  g_autofree char  *two_tokens = NULL;
  static const char raise[] = "{\"key\":\"k-raise\",\"type\":\"help.raise\",\"data\":{\"id\":\"r1\",\"category\":\"other\"}}";
  static const char cancel[] = "{\"key\":\"k-cancel\",\"type\":\"help.cancel\",\"data\":{\"id\":\"r1\"}}";
  static const char cancel2[] = "{\"key\":\"k-cancel-2\",\"type\":\"help.cancel\",\"data\":{\"id\":\"r1\"}}";
  gint64            events;

  g_assert_cmpint (post_events (hub, hub->station_token, raise, reply), ==, 200);
  events = sql_int (hub, "SELECT count (*) FROM events");

  /* A console with nobody logged in: neither raise nor cancel. */
  g_assert_cmpint (post_events (hub, hub->console_token,
                                "{\"key\":\"k-c\",\"type\":\"help.raise\",\"data\":{\"id\":\"c1\",\"category\":\"other\"}}",
                                reply),
                   ==, 401);
  g_assert_cmpint (post_events (hub, hub->console_token, cancel, reply), ==, 401);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, events);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE state = 'raised'"), ==, 1);

  /* Logged in, a mediator may cancel (and it says who); raising is the
   * stations' part. */
  session = login_sophie (hub, hub->console_token);
  session_header = g_strdup_printf ("X-Relais-Session: %s", session);
  {
    const char      *extra[] = { session_header, NULL };
    g_autofree char *body = g_strdup_printf ("{\"events\":[%s]}",
                                             "{\"key\":\"k-c2\",\"type\":\"help.raise\",\"data\":{\"id\":\"c2\",\"category\":\"other\"}}");
    g_autofree char *cancel_body = g_strdup_printf ("{\"events\":[%s]}", cancel);

    g_assert_cmpint (call (hub, "POST", "/events", hub->console_token, extra, body, reply), ==, 403);
    g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, events);
    g_assert_cmpint (call (hub, "POST", "/events", hub->console_token, extra, cancel_body, reply), ==, 200);
    g_assert_nonnull (strstr (reply->str, "\"stored\""));
  }
  source = sql_text (hub, "SELECT source FROM events WHERE key = 'k-cancel'");
  g_assert_cmpstr (source, ==, "console:accueil/sophie");
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE state = 'cancelled'"), ==, 1);

  /* Another console cannot end this session... */
  {
    const char *extra[] = { session_header, NULL };

    g_assert_cmpint (call (hub, "POST", "/logout", hub->console2_token, extra, "{}", reply), ==, 401);
    g_assert_cmpint (call (hub, "GET", "/stats?from=2026-01-01&to=2026-01-31", hub->console_token, extra, NULL, reply),
                     ==, 403); /* still logged in: a mediator, not staff */
  }

  /* ...and a second Authorization header is no second chance. */
  two_tokens = g_strdup_printf ("Authorization: Bearer %s", hub->station_token);
  {
    const char *extra[] = { two_tokens, NULL };

    g_assert_cmpint (call (hub, "POST", "/events", "wrong-token", extra, cancel2, reply), ==, 400);
  }
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events WHERE key = 'k-cancel-2'"), ==, 0);

  /* An expired session is refused. */
  sql_exec (hub, "UPDATE sessions SET expires_at = 1");
  {
    const char *extra[] = { session_header, NULL };

    g_assert_cmpint (call (hub, "POST", "/help/r1/seen", hub->console_token, extra, "{}", reply), ==, 401);
    g_assert_cmpint (call (hub, "POST", "/events", hub->console_token, extra, cancel2, reply), ==, 401);
  }
  hub_free (hub);
}

/* 6. One station could flood the queue: 500 help.raise in one POST were
 * all accepted. A station has at most 3 open requests of its residents'
 * (and 3 of its own calls); the rest are refused (a final answer, so its
 * outbox does not retry them); a replay of one stored stays a duplicate;
 * other stations are not affected. */
void
test_open_requests_per_station (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) events = g_string_new (NULL);

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (events, "%s{\"key\":\"f-%u\",\"type\":\"help.raise\",\"data\":{\"id\":\"flood-%u\","
                                    "\"category\":\"other\"}}",
                            i > 0 ? "," : "", i, i);
  g_assert_cmpint (post_events (hub, hub->station_token, events->str, reply), ==, 200);
  g_assert_cmpuint (count (reply->str, "\"stored\""), ==, 3);
  g_assert_cmpuint (count (reply->str, "\"refused\""), ==, 497);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE station = 'poste-1'"), ==, 3);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, 3);

  /* A replay of a stored one is a duplicate, not a refusal. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"f-2\",\"type\":\"help.raise\",\"data\":{\"id\":\"flood-2\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"duplicate\""));
  /* Another station still calls. */
  g_assert_cmpint (post_events (hub, hub->station2_token,
                                "{\"key\":\"p2\",\"type\":\"help.raise\",\"data\":{\"id\":\"p2-1\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"stored\""));
  /* A station's own calls (a jam, a printer out of paper) count apart:
   * three of them open never keep a resident from calling. */
  {
    g_autoptr(GString) own = g_string_new (NULL);

    for (guint i = 0; i < 5; i++)
      g_string_append_printf (own, "%s{\"key\":\"own-%u\",\"type\":\"help.raise\",\"data\":{\"id\":\"own-%u\","
                                   "\"category\":\"scanner\",\"origin\":\"station\",\"reason\":\"scanner-jammed\"}}",
                              i > 0 ? "," : "", i, i);
    g_assert_cmpint (post_events (hub, hub->station2_token, own->str, reply), ==, 200);
    g_assert_cmpuint (count (reply->str, "\"stored\""), ==, 3);
    g_assert_cmpuint (count (reply->str, "\"refused\""), ==, 2);
    g_assert_cmpint (post_events (hub, hub->station2_token,
                                  "{\"key\":\"p2-2\",\"type\":\"help.raise\",\"data\":{\"id\":\"p2-2\",\"category\":\"other\"}}",
                                  reply),
                     ==, 200);
    g_assert_nonnull (strstr (reply->str, "\"stored\""));
  }
  /* One closed, the station may call again. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"c-0\",\"type\":\"help.cancel\",\"data\":{\"id\":\"flood-0\"}},"
                                "{\"key\":\"again\",\"type\":\"help.raise\",\"data\":{\"id\":\"again\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_cmpuint (count (reply->str, "\"stored\""), ==, 2);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE station = 'poste-1'"
                                 " AND state IN ('raised', 'seen', 'taken')"),
                   ==, 3);
  hub_free (hub);
}
