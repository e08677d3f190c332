/* test-hostile-availability.c: the hub stays available: connections
 * closed or left open, requests that never finish, lengths that lie,
 * streams that pile up or never read. Part of test-hostile.c. */
#include "test-hostile.h"

/* 1. Clients that close their keep-alive connection, as a station's link
 * does after each call: libsoup 3.2 kept one socket in CLOSE_WAIT for each,
 * and the hub stopped answering past its file descriptor limit. */
void
test_closed_connections (void)
{
  Hub              *hub = hub_new (NULL);
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  guint             fds_before = 0;
  gint64            rss_before = 0;
  guint             fds_after;
  gint64            rss_after;

  /* Warm up: the allocator and libsoup reach their steady state. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < (round == 0 ? 500 : 5000); i++)
        {
          int fd = raw_connect (hub);
          g_autoptr(GString) answer = NULL;

          g_assert_true (raw_send (fd, request, strlen (request)));
          answer = raw_answer (fd);
          g_assert_cmpuint (answer_status (answer), ==, 200);
          close (fd);
        }
      /* The hub sees each close in its own time: wait for the count to
       * come down to where it was (bounded), then compare. */
      if (round == 0)
        {
          g_usleep (200 * 1000);
          fds_before = hub_fds (hub);
          rss_before = hub_rss_kb (hub);
          continue;
        }
      hub_wait (hub, fds_at_most, GUINT_TO_POINTER (fds_before + 8));
    }
  fds_after = hub_fds (hub);
  rss_after = hub_rss_kb (hub);
  g_test_message ("after 5,000 connections closed by the client: %u fds (%u before), RSS %" G_GINT64_FORMAT
                  " kB (%" G_GINT64_FORMAT " kB before)",
                  fds_after, fds_before, rss_after, rss_before);
  g_assert_cmpuint (fds_after, <=, fds_before + 8);
  assert_memory_below (rss_after - rss_before, 1536);
  hub_free (hub);
}

static gboolean
fds_at_least (Hub *hub, gconstpointer data)
{
  return hub_fds (hub) >= GPOINTER_TO_UINT (data);
}

/* 3. Requests that never finish arriving, and connections kept open
 * without a request: each used to hold a connection for ever (600
 * half-sent requests all still open after 60 s). With the timeouts at 4
 * and 5 s (long enough for the 200 to be open at once even on a slow
 * machine, under the sanitizers), every one is closed by the hub and its
 * fds come back. */
void
test_slow_requests (void)
{
  Hub *hub = hub_new ("request-timeout-seconds=4\nidle-timeout-seconds=5");
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char  *partial_body = g_strdup_printf ("POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                     "Authorization: Bearer %s\r\nContent-Length: 100\r\n\r\n{\"events\"",
                                                    hub->station_token);
  static const char health[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  guint             fds_before = hub_fds (hub);

  for (guint i = 0; i < 200; i++)
    {
      int fd = raw_connect (hub);

      switch (i % 4)
        {
        case 0: /* nothing at all */
          break;
        case 1: /* headers without their end */
          g_assert_true (raw_send (fd, "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n", 48));
          break;
        case 2: /* a body that stops coming */
          g_assert_true (raw_send (fd, partial_body, strlen (partial_body)));
          break;
        default: /* one request, then silence on a kept-alive connection */
          {
            g_autoptr(GString) answer = NULL;

            g_assert_true (raw_send (fd, health, strlen (health)));
            answer = raw_answer (fd);
            g_assert_cmpuint (answer_status (answer), ==, 200);
          }
        }
      g_array_append_val (fds, fd);
    }
  /* All held at once: the hub accepted each (it may lag behind the
   * client's connect ()). */
  g_assert_true (hub_wait (hub, fds_at_least, GUINT_TO_POINTER (fds_before + 200)));
  /* Each waits 10 s at most for the hub to close it. */
  for (guint i = 0; i < fds->len; i++)
    {
      int fd = g_array_index (fds, int, i);

      if (!raw_closed_by_hub (fd))
        g_error ("connection %u (kind %u) still open after 10 s", i, i % 4);
      close (fd);
    }
  g_assert_true (hub_wait (hub, fds_at_most, GUINT_TO_POINTER (fds_before + 2)));
  /* And the hub still answers. */
  {
    int fd = raw_connect (hub);
    g_autoptr(GString) answer = NULL;

    g_assert_true (raw_send (fd, health, strlen (health)));
    answer = raw_answer (fd);
    g_assert_cmpuint (answer_status (answer), ==, 200);
    close (fd);
  }
  hub_free (hub);
}

/* Sends @size bytes of junk (fewer if the hub closes first). */
void
raw_send_junk (int   fd,
               gsize size)
{
  g_autofree char *junk = g_strnfill (256 * 1024, 'x');

  while (size > 0)
    {
      gsize n = MIN (size, 256 * 1024);

      if (!raw_send (fd, junk, n))
        return;
      size -= n;
    }
}

/* 2. Lengths that lie: "Content-Length: -1", 2^64 or two different ones
 * skipped every cap, and libsoup read until the client stopped (3 × 100
 * MB → 329 MB held after the connections closed). Each is refused with
 * 400 on its headers; what the client sends after is dropped, not held;
 * nothing is stored. */
void
test_lying_lengths (void)
{
  Hub        *hub = hub_new (NULL);
  const char *lengths[] = {
    "Content-Length: -1\r\n",
    "Content-Length: 18446744073709551616\r\n", /* 2^64 */
    "Content-Length: 18446744073709551615\r\n", /* 2^64 - 1 */
    "Content-Length: 9223372036854775808\r\n",  /* 2^63 */
    "Content-Length: 10\r\nContent-Length: 30000000\r\n",
    "Content-Length: 10, 30000000\r\n",
    "Content-Length: +10\r\n",
    "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n",
  };
  gint64 rss_before;

  /* The first connection's allocations are not the attack's. */
  {
    int               fd = raw_connect (hub);
    static const char health[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    g_autoptr(GString) answer = NULL;

    g_assert_true (raw_send (fd, health, strlen (health)));
    answer = raw_answer (fd);
    close (fd);
  }
  rss_before = hub_rss_kb (hub);
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      int              fd = raw_connect (hub);
      g_autofree char *head = g_strdup_printf ("POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                               "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                               "%s\r\n",
                                               hub->station_token, lengths[i]);
      g_autoptr(GString) answer = NULL;

      g_assert_true (raw_send (fd, head, strlen (head)));
      /* The answer comes on the headers: the socket's timeout fails the
       * test if the hub waits for a body. */
      answer = raw_answer (fd);
      g_test_message ("%s→ %.*s", lengths[i], (int) strcspn (answer->str, "\r"), answer->str);
      g_assert_cmpuint (answer_status (answer), ==, 400);
      /* Then 30 MB the hub must not keep. */
      raw_send_junk (fd, 30 * 1024 * 1024);
      close (fd);
    }
  g_test_message ("RSS %" G_GINT64_FORMAT " kB after, %" G_GINT64_FORMAT " kB before", hub_rss_kb (hub), rss_before);
  assert_memory_below (hub_rss_kb (hub) - rss_before, 8 * 1024);
  /* Nothing stored. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelaisDb) db = relais_db_open (hub->db_path, RELAIS_DB_HUB, &error);

    g_assert_no_error (error);
    g_assert_cmpint (relais_db_event_count (db), ==, 0);
  }
  hub_free (hub);
}

/* 3. One station token opened 1,000 streams. A client keeps at most 4:
 * a fifth closes its oldest (a station coming back while its old stream
 * is not yet seen dead must get through). */
void
test_streams_per_token (void)
{
  Hub *hub = hub_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  int fds[10];

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = stream_open (hub, hub->station_token, 0, text);
  /* The six oldest were closed by the hub. */
  for (guint i = 0; i < 6; i++)
    {
      if (!raw_closed_by_hub (fds[i]))
        g_error ("stream %u still open after 10 s", i);
      close (fds[i]);
    }
  /* The four others live on: each hears the station's request. */
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"s1\",\"type\":\"help.raise\",\"data\":{\"id\":\"r1\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);
  for (guint i = 6; i < G_N_ELEMENTS (fds); i++)
    {
      g_assert_true (stream_wait_for (fds[i], "\"id\":\"r1\""));
      close (fds[i]);
    }
  hub_free (hub);
}

/* 3. A stream that never reads kept growing in the hub's memory. Its
 * queue is bounded: past it, the hub drops that stream (the client
 * catches up when it comes back). */
void
test_slow_stream_reader (void)
{
  Hub *hub = hub_new ("rate-per-second=1000");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) events = g_string_new (NULL);
  gint64 rss_before;
  gint64 rss_peak = 0;
  int    fd = stream_open (hub, hub->console_token, 4096, text);

  rss_before = hub_rss_kb (hub);
  /* 70 MB of news for the consoles (each status a station event), none
   * read. */
  for (guint round = 0; round < 400; round++)
    {
      g_string_truncate (events, 0);
      for (guint i = 0; i < 500; i++)
        g_string_append_printf (events, "%s{\"key\":\"st-%u-%u\",\"type\":\"station.status\","
                                        "\"data\":{\"step\":\"step-%u-xxxxxxxxxxxxxxxxxxxxxx\",\"in_session\":%s}}",
                                i > 0 ? "," : "", round, i, i, i % 2 ? "true" : "false");
      g_assert_cmpint (post_events (hub, hub->station_token, events->str, reply), ==, 200);
      rss_peak = MAX (rss_peak, hub_rss_kb (hub));
    }
  g_test_message ("RSS %" G_GINT64_FORMAT " kB at most while flooding a stream that does not read (%" G_GINT64_FORMAT
                  " kB before)",
                  rss_peak, rss_before);
  /* The queue is bounded at 8 MiB (a console behind a burst must not be
   * dropped): before, the 70 MB all stayed. */
  assert_memory_below (rss_peak - rss_before, 24 * 1024);
  /* What the kernel still holds comes, then the end. */
  g_assert_true (raw_closed_by_hub (fd));
  close (fd);
  hub_free (hub);
}

/* 3. A console stream without Last-Event-ID received the whole history
 * (13,815 events, 3.8 MB). Its catch-up is the open requests and the
 * last 200 closed ones. */
void
test_catch_up_bounded (void)
{
  Hub *hub = hub_new ("rate-per-second=1000");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) events = g_string_new (NULL);

  /* 300 requests raised and cancelled, then 2 left open. */
  for (guint round = 0; round < 3; round++)
    {
      g_string_truncate (events, 0);
      for (guint i = 0; i < 100; i++)
        g_string_append_printf (events, "%s{\"key\":\"r-%u-%u\",\"type\":\"help.raise\",\"data\":{\"id\":\"h-%u-%u\","
                                        "\"category\":\"other\"}},{\"key\":\"c-%u-%u\",\"type\":\"help.cancel\","
                                        "\"data\":{\"id\":\"h-%u-%u\"}}",
                                i > 0 ? "," : "", round, i, round, i, round, i, round, i);
      g_assert_cmpint (post_events (hub, hub->station_token, events->str, reply), ==, 200);
      g_assert_cmpuint (count (reply->str, "\"stored\""), ==, 200);
    }
  g_assert_cmpint (post_events (hub, hub->station_token,
                                "{\"key\":\"o1\",\"type\":\"help.raise\",\"data\":{\"id\":\"open-1\",\"category\":\"other\"}},"
                                "{\"key\":\"o2\",\"type\":\"help.raise\",\"data\":{\"id\":\"open-2\",\"category\":\"other\"}}",
                                reply),
                   ==, 200);

  close (stream_open (hub, hub->console_token, 0, text));
  g_test_message ("catch-up: %u help events, %zu bytes", count (text->str, "event: help"), text->len);
  g_assert_cmpuint (count (text->str, "event: help"), ==, 202);
  g_assert_nonnull (strstr (text->str, "\"id\":\"open-1\""));
  g_assert_nonnull (strstr (text->str, "\"id\":\"open-2\""));
  /* The newest closed ones, not the oldest. */
  g_assert_nonnull (strstr (text->str, "\"id\":\"h-2-99\""));
  g_assert_null (strstr (text->str, "\"id\":\"h-0-0\""));
  hub_free (hub);
}
