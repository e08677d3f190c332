/* test-hostile-integrity.c: what is stored is what was meant: replayed
 * keys bound to their body, values out of range, NUL and unknown members,
 * and errors that never show the server's paths (a full disk). Part of
 * test-hostile.c. */
#include "test-hostile.h"

/* 7. An idempotency key replayed with another body was taken as a
 * duplicate: a mail batch key reused with other letters answered
 * duplicate:true and those letters were never registered; a take key
 * reused on another request, or on /resolve, answered 200 and did
 * nothing. A key is bound to its request: same key, same request →
 * duplicate; same key, another request → 409, nothing done. */
void
test_keys_bound_to_body (void)
{
  Hub *hub = hub_new ("rate-per-second=1000");
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autofree char *session = NULL;
  g_autofree char *session_header = NULL;
  g_autofree char *batch = NULL;
  const char      *extra[] = { NULL, NULL };
  gint64           events;

  /* Events. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"K1\",\"type\":\"help.raise\",\"data\":{\"id\":\"a\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"K1\",\"type\":\"help.raise\",\"data\":{\"id\":\"a\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"duplicate\""));
  events = sql_int (hub, "SELECT count (*) FROM events");
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"K2\",\"type\":\"help.raise\",\"data\":{\"id\":\"b\",\"category\":\"other\"}},"
                                "{\"key\":\"K1\",\"type\":\"help.raise\",\"data\":{\"id\":\"c\",\"category\":\"other\"}}",
                                reply),
                   ==, 409);
  g_test_message ("%s", reply->str);
  g_assert_nonnull (strstr (reply->str, "K1"));
  /* The whole batch stored nothing. */
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, events);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests"), ==, 1);
  /* Another station's key is another station's. */
  g_assert_cmpint (post_events (hub, hub->station2_token,
                                "{\"key\":\"K1\",\"type\":\"help.raise\",\"data\":{\"id\":\"a\",\"category\":\"other\"}}",
                                reply),
                   ==, 409);

  /* Take and resolve. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"K3\",\"type\":\"help.raise\",\"data\":{\"id\":\"d\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  session = login_sophie (hub, hub->console_token);
  session_header = g_strdup_printf ("X-Relais-Session: %s", session);
  extra[0] = session_header;
  g_assert_cmpint (call (hub, "POST", "/help/a/take", hub->console_token, extra, "{\"key\":\"T1\"}", reply), ==, 200);
  g_assert_cmpint (call (hub, "POST", "/help/a/take", hub->console_token, extra, "{\"key\":\"T1\"}", reply), ==, 200);
  g_assert_cmpint (call (hub, "POST", "/help/d/take", hub->console_token, extra, "{\"key\":\"T1\"}", reply), ==, 409);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE id = 'd' AND state = 'raised'"), ==, 1);
  g_assert_cmpint (call (hub, "POST", "/help/a/resolve", hub->console_token, extra, "{\"key\":\"T1\"}", reply), ==, 409);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests WHERE id = 'a' AND state = 'taken'"), ==, 1);

  /* A mail batch. */
  g_assert_cmpint (call (hub, "POST", "/mail/people", hub->console_token, extra,
                         "{\"number\":\"1001\",\"surname\":\"Martin\",\"first_names\":\"Jeanne\","
                         "\"birth_date\":\"1970-01-01\",\"notify\":\"none\"}",
                         reply),
                   ==, 200);
  batch = g_strdup ("{\"key\":\"B1\",\"items\":[{\"number\":\"1001\",\"count\":2}]}");
  g_assert_cmpint (call (hub, "POST", "/mail/batch", hub->console_token, extra, batch, reply), ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"duplicate\":false"));
  g_assert_cmpint (call (hub, "POST", "/mail/batch", hub->console_token, extra, batch, reply), ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"duplicate\":true"));
  g_assert_cmpint (call (hub, "POST", "/mail/batch", hub->console_token, extra,
                         "{\"key\":\"B1\",\"items\":[{\"number\":\"1001\",\"count\":5}]}", reply),
                   ==, 409);
  g_assert_nonnull (strstr (reply->str, "B1"));
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM mail_letters"), ==, 2);
  hub_free (hub);
}

/* A session.end with @started_at and @help (the "help" array's items). */
static char *
session_end (const char *key,
             const char *started_at,
             const char *help)
{
  return g_strdup_printf ("{\"key\":\"%s\",\"type\":\"session.end\",\"data\":{\"started_at\":%s,"
                          "\"duration_s\":120,\"language\":\"fr\",\"end\":\"button\",\"help\":[%s],"
                          "\"pages_scanned\":1,\"pages_printed\":0,\"copies\":0,\"saved_usb\":0,"
                          "\"saved_safe\":0,\"mail_checks\":0}}",
                          key, started_at, help);
}

/* 8. Values out of range: a session.end started at ±2^63 got 503 (and the
 * station retried it for ever, blocking its queue); to_seen_s 2^63 was
 * stored and the dashboard showed an average of 1.8e17 s; "at" past 2^64
 * was stored as -1; /stats over 0001-01-01..9999-12-31 answered 503. Each
 * is 400 on input, nothing stored. */
void
test_out_of_range (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000 - 3600 * 1000);
  g_autofree char *session = NULL;
  g_autofree char *session_header = NULL;
  const char      *bad_times[] = {
         "9223372036854775807", "-9223372036854775808", "9223372036854775808", "100000000000000000000000",
         "1e23", "-1", "0", "4102444800000", /* 2100 */
  };
  const char *bad_help[] = {
    "{\"category\":\"other\",\"to_seen_s\":9223372036854775807}",
    "{\"category\":\"other\",\"to_taken_s\":-5}",
    "{\"category\":\"other\",\"to_resolved_s\":100000000000000000000}",
  };
  const char *bad_periods[] = {
    "from=0001-01-01&to=9999-12-31",
    "from=2026-01-01&to=9999-12-31",
    "from=2026-02-01&to=2026-01-01",
    "from=2026-13-01&to=2026-12-31",
    "from=2026-1-1&to=2026-12-31",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_times); i++)
    {
      g_autofree char *end = session_end ("s", bad_times[i], "");
      g_autofree char *raise = g_strdup_printf ("{\"key\":\"r\",\"type\":\"help.raise\",\"at\":%s,"
                                                "\"data\":{\"id\":\"x\",\"category\":\"other\"}}",
                                                bad_times[i]);

      g_assert_cmpint (post_events (hub, hub->station_token, end, reply), ==, 400);
      g_test_message ("started_at %s: %s", bad_times[i], reply->str);
      g_assert_cmpint (post_events (hub, hub->station_token, raise, reply), ==, 400);
      g_test_message ("at %s: %s", bad_times[i], reply->str);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_help); i++)
    {
      g_autofree char *end = session_end ("s", now, bad_help[i]);

      g_assert_cmpint (post_events (hub, hub->station_token, end, reply), ==, 400);
      g_test_message ("%s: %s", bad_help[i], reply->str);
    }
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, 0);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM session_logs"), ==, 0);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM help_requests"), ==, 0);

  /* In range, it is stored. */
  {
    g_autofree char *end = session_end ("ok", now, "{\"category\":\"other\",\"to_seen_s\":30}");

    g_assert_cmpint (post_events (hub, hub->station_token, end, reply), ==, 200);
    g_assert_nonnull (strstr (reply->str, "\"stored\""));
    g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM session_logs"), ==, 1);
  }

  session = login (hub, hub->console_token, "claire", CLAIRE_PASSWORD);
  session_header = g_strdup_printf ("X-Relais-Session: %s", session);
  for (guint i = 0; i < G_N_ELEMENTS (bad_periods); i++)
    {
      const char      *extra[] = { session_header, NULL };
      g_autofree char *path = g_strdup_printf ("/stats?%s", bad_periods[i]);

      g_assert_cmpint (call (hub, "GET", path, hub->console_token, extra, NULL, reply), ==, 400);
      g_test_message ("%s: %s", bad_periods[i], reply->str);
    }
  hub_free (hub);
}

/* 9. "\u0000" in a JSON string cut it short: "sophie\u0000admin" logged
 * in as sophie, two keys differing after the NUL collided. Any NUL in a
 * string (escaped or raw) is refused with 400, and so is an unknown
 * member at the top of /events, as README says. */
void
test_nul_and_unknown (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  static const char raw_nul[] = "{\"events\":[{\"key\":\"n\0x\",\"type\":\"help.raise\","
                                "\"data\":{\"id\":\"n\",\"category\":\"other\"}}]}";

  g_assert_cmpint (call (hub, "POST", "/login", hub->console_token, NULL,
                         "{\"login\":\"sophie\\u0000admin\",\"password\":\"" SOPHIE_PASSWORD "\"}", reply),
                   ==, 400);
  g_test_message ("%s", reply->str);
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"k\\u0000x\",\"type\":\"help.raise\",\"data\":{\"id\":\"a\",\"category\":\"other\"}}",
                                reply),
                   ==, 400);
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"k2\",\"type\":\"help.raise\",\"data\":{\"id\":\"b\\u0000c\",\"category\":\"other\"}}",
                                reply),
                   ==, 400);
  /* A NUL byte as it is. */
  {
    g_autofree char   *url = g_strdup_printf ("%s/api/v1/events", hub->url);
    g_autofree char   *auth = g_strdup_printf ("Authorization: Bearer %s", hub->station_token);
    struct curl_slist *headers = curl_slist_append (NULL, auth);
    CURL              *curl = curl_easy_init ();
    long               status = 0;

    curl_easy_setopt (curl, CURLOPT_URL, url);
    curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, raw_nul);
    curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, (long) (sizeof raw_nul - 1));
    curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_cb);
    curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply);
    g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
    g_assert_cmpint (status, ==, 400);
    curl_slist_free_all (headers);
    curl_easy_cleanup (curl);
  }
  /* An unknown member at the top. */
  g_assert_cmpint (call (hub, "POST", "/events", hub->station_token, NULL,
                         "{\"events\":[{\"key\":\"k3\",\"type\":\"help.raise\",\"data\":{\"id\":\"d\",\"category\":\"other\"}}],"
                         "\"admin\":true}",
                         reply),
                   ==, 400);
  g_assert_nonnull (strstr (reply->str, "admin"));
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM events"), ==, 0);
  g_assert_cmpint (sql_int (hub, "SELECT count (*) FROM sessions"), ==, 0);

  /* A backslash followed by "u0000" as text is no NUL: taken. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"k\\\\u0000\",\"type\":\"help.raise\",\"data\":{\"id\":\"e\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  g_assert_nonnull (strstr (reply->str, "\"stored\""));
  hub_free (hub);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* 13. Errors never show the server's paths: a full disk answered
 * "database or disk is full (/…/hub.db)", and a refused event said where
 * the database lives. The client gets a plain sentence, the log the
 * details. And hub.db is created 0600 in a folder 0700. (The disk is
 * made full for the hub alone: a file size limit, RLIMIT_FSIZE.) */
void
test_no_paths_in_errors (void)
{
  Hub *hub = hub_new ("rate-per-second=1000");
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) events = g_string_new (NULL);
  g_autofree char *data_dir = g_path_get_dirname (hub->db_path);
  g_autofree char *log = NULL;
  const char      *suffixes[] = { "", "-wal", "-shm" };
  GStatBuf         st;
  long             status = 200;

  /* What the hub made: the folder and the files of its database. */
  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (hub->db_path, suffixes[i], NULL);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_test_message ("%s: %o", path, st.st_mode & 0777);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }

  /* A refused event's message. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"k1\",\"type\":\"help.raise\",\"data\":{\"id\":\"same\",\"category\":\"other\"}},"
                                "{\"key\":\"k2\",\"type\":\"help.raise\",\"data\":{\"id\":\"same\",\"category\":\"mail\"}}",
                                reply),
                   ==, 200);
  g_test_message ("%s", reply->str);
  g_assert_nonnull (strstr (reply->str, "\"refused\""));
  g_assert_null (strstr (reply->str, hub->dir));
  g_assert_null (strstr (reply->str, "hub.db"));

  /* A full disk: the hub again, its files allowed 256 kB more. */
  hub_stop (hub);
  {
    g_autofree char *wal = g_strconcat (hub->db_path, "-wal", NULL);

    hub->file_size_limit = (rlim_t) (MAX (file_size (hub->db_path), file_size (wal)) + 256 * 1024);
  }
  hub_start (hub);
  for (guint round = 0; round < 200 && status == 200; round++)
    {
      g_string_truncate (events, 0);
      for (guint i = 0; i < 500; i++)
        g_string_append_printf (events, "%s{\"key\":\"full-%u-%u\",\"type\":\"station.status\","
                                        "\"data\":{\"step\":\"step-%u\",\"in_session\":false}}",
                                i > 0 ? "," : "", round, i, i);
      status = post_events (hub, hub->station_token, events->str, reply);
    }
  g_test_message ("disk full: %ld %s", status, reply->str);
  g_assert_cmpint (status, ==, 503);
  g_assert_null (strstr (reply->str, hub->dir));
  g_assert_null (strstr (reply->str, "hub.db"));
  g_assert_null (strstr (reply->str, "disk"));
  g_assert_nonnull (strstr (reply->str, "réessayez"));
  /* The details are for the log. */
  hub_stop (hub);
  g_assert_true (g_file_get_contents (hub->log_path, &log, NULL, NULL));
  g_test_message ("log: %s", log);
  /* (EFBIG is SQLite's "disk I/O error"; ENOSPC its "database or disk is
   * full".) */
  g_assert_nonnull (strstr (log, "POST /api/v1/events: 503: "));
  g_assert_true (strstr (log, "disk I/O error") != NULL || strstr (log, "database or disk is full") != NULL);
  hub_free (hub);
}
