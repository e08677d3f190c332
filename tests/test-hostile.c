/* test-hostile.c: a hostile client on loopback against the hub running as
 * its own process: connections left open or closed at the worst moment,
 * lying headers, bodies without a token, floods, replayed keys, values out
 * of range. Each case checks the answer AND that nothing was lost and
 * nothing extra stored; the hub's file descriptors and memory are read
 * from /proc. Every case is bounded in count and time.
 *
 * This file: the hub as a process, what /proc says of it, plain sockets,
 * calls through curl, and main (). The cases by concern:
 * test-hostile-availability.c, test-hostile-auth.c,
 * test-hostile-integrity.c; see test-hostile.h. */
#include "test-hostile.h"

/* The hub dies with the test, even when an assertion aborts it; a file
 * size limit stands for a full disk. */
static void
child_setup (gpointer data)
{
  Hub *hub = data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  dup2 (hub->log_fd, STDERR_FILENO);
  if (hub->file_size_limit != RLIM_INFINITY)
    {
      struct rlimit limit = { hub->file_size_limit, hub->file_size_limit };

      /* Past the limit write () fails with EFBIG, as on a full disk,
       * instead of killing the hub. */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
    }
}

void
hub_start (Hub *hub)
{
  g_autofree char *exe = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autofree char *port = g_strdup_printf ("%u", hub->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  const char      *argv[] = { exe, "-c", hub->config_path, "-d", hub->db_path, "-p", port, NULL };
  int              out = -1;

  hub->log_fd = open (hub->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (hub->log_fd, >=, 0);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            child_setup, hub, &hub->pid, NULL, &out, NULL, &error);
  close (hub->log_fd);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "listening"));
}

void
hub_stop (Hub *hub)
{
  int status = 0;

  if (hub->pid == 0)
    return;
  kill (hub->pid, SIGTERM);
  waitpid (hub->pid, &status, 0);
  g_spawn_close_pid (hub->pid);
  hub->pid = 0;
}

/* A hub with two stations, two consoles and sophie; @config: lines added
 * to its [hub] group (NULL: none). */
static Hub *
hub_new_full (const char *config,
              rlim_t      file_size_limit)
{
  Hub *hub = g_new0 (Hub, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = NULL;
  g_autofree char *text = g_strdup_printf ("[hub]\n%s\n", config != NULL ? config : "");

  hub->dir = g_dir_make_tmp ("relais-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  hub->db_path = g_build_filename (hub->dir, "data", "hub.db", NULL);
  hub->config_path = g_build_filename (hub->dir, "hub.conf", NULL);
  hub->log_path = g_build_filename (hub->dir, "hub.log", NULL);
  hub->file_size_limit = file_size_limit;
  g_file_set_contents (hub->config_path, text, -1, &error);
  g_assert_no_error (error);
  db = relais_db_open (hub->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  hub->station_token = relais_hub_enroll (db, "station", "poste-1", &error);
  g_assert_no_error (error);
  hub->station2_token = relais_hub_enroll (db, "station", "poste-2", &error);
  g_assert_no_error (error);
  hub->console_token = relais_hub_enroll (db, "console", "accueil", &error);
  g_assert_no_error (error);
  hub->console2_token = relais_hub_enroll (db, "console", "bureau", &error);
  g_assert_no_error (error);
  relais_hub_add_mediator (db, "sophie", "Sophie", SOPHIE_PASSWORD, FALSE, &error);
  g_assert_no_error (error);
  relais_hub_add_mediator (db, "claire", "Claire", CLAIRE_PASSWORD, TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, relais_db_close);
  hub->port = relais_test_free_port ();
  hub->url = g_strdup_printf ("http://127.0.0.1:%u", hub->port);
  hub_start (hub);
  return hub;
}

Hub *
hub_new (const char *config)
{
  return hub_new_full (config, RLIM_INFINITY);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
hub_free (Hub *hub)
{
  hub_stop (hub);
  remove_tree (hub->dir);
  g_free (hub->dir);
  g_free (hub->db_path);
  g_free (hub->config_path);
  g_free (hub->log_path);
  g_free (hub->station_token);
  g_free (hub->station2_token);
  g_free (hub->console_token);
  g_free (hub->console2_token);
  g_free (hub->url);
  g_free (hub);
}

/* ---- what /proc says of the hub ---- */

guint
hub_fds (Hub *hub)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", hub->pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A "VmRSS"-style line of /proc/PID/status, in kB. */
gint64
hub_status_kb (Hub        *hub,
               const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", hub->pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_ascii_strtoll (lines[i] + strlen (field) + 1, NULL, 10);
  g_assert_not_reached ();
}

gint64
hub_rss_kb (Hub *hub)
{
  return hub_status_kb (hub, "VmRSS");
}

/* Waits (20 s at most: a bound, not a timing) until @condition holds. */
gboolean
hub_wait (Hub *hub, HubCondition condition, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!condition (hub, data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (20 * 1000);
    }
  return TRUE;
}

gboolean
fds_at_most (Hub *hub, gconstpointer data)
{
  return hub_fds (hub) <= GPOINTER_TO_UINT (data);
}

/* ---- plain sockets, for what curl would never send ---- */

int
raw_connect (Hub *hub)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (hub->port), .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  struct timeval     timeout = { 10, 0 };
  int                fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int                one = 1;

  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    g_error ("connect to the hub: %s", g_strerror (errno));
  return fd;
}

/* FALSE when the hub closed the connection meanwhile. */
gboolean
raw_send (int         fd,
          const void *data,
          gsize       size)
{
  const char *p = data;

  while (size > 0)
    {
      ssize_t n = send (fd, p, size, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* Reads one whole answer (headers and a Content-Length body) and returns
 * it; NULL when the connection ends first. The socket's 10 s timeout fails
 * the test if the hub waits for something instead of answering. */
GString *
raw_answer (int fd)
{
  GString *answer = g_string_new (NULL);
  gsize    expected = G_MAXSIZE;

  while (answer->len < expected)
    {
      char        buffer[4096];
      ssize_t     n = recv (fd, buffer, sizeof buffer, 0);
      const char *end;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        g_error ("the hub did not answer within 10 s");
      if (n <= 0)
        break;
      g_string_append_len (answer, buffer, n);
      if (expected == G_MAXSIZE && (end = strstr (answer->str, "\r\n\r\n")) != NULL)
        {
          const char *length = strstr (answer->str, "\r\nContent-Length:");

          expected = (gsize) (end + 4 - answer->str);
          if (length != NULL && length < end)
            expected += (gsize) g_ascii_strtoull (length + strlen ("\r\nContent-Length:"), NULL, 10);
        }
    }
  if (answer->len == 0)
    {
      g_string_free (answer, TRUE);
      return NULL;
    }
  return answer;
}

/* The status code of an answer ("HTTP/1.1 413 …" → 413). */
guint
answer_status (const GString *answer)
{
  g_assert_nonnull (answer);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1."));
  return (guint) g_ascii_strtoull (answer->str + strlen ("HTTP/1.1 "), NULL, 10);
}

/* TRUE when the hub closed @fd (EOF or reset), reading and dropping what
 * comes first; FALSE if it stays open for 10 s. */
gboolean
raw_closed_by_hub (int fd)
{
  for (;;)
    {
      char    buffer[4096];
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        return TRUE;
      if (n < 0)
        return FALSE;
    }
}

/* ---- calls through curl ---- */

size_t
sink_cb (char *ptr, size_t size, size_t nmemb, void *data)
{
  g_string_append_len (data, ptr, size * nmemb);
  return size * nmemb;
}

/* One call; @headers: NULL-terminated extra lines. Returns the status (0:
 * no answer), the body in @reply. */
long
call (Hub                *hub,
      const char         *method,
      const char         *path,
      const char         *token,
      const char * const *extra,
      const char         *body,
      GString            *reply)
{
  g_autofree char   *url = g_strdup_printf ("%s/api/v1%s", hub->url, path);
  g_autofree char   *auth = token != NULL ? g_strdup_printf ("Authorization: Bearer %s", token) : NULL;
  struct curl_slist *headers = NULL;
  CURL              *curl = curl_easy_init ();
  long               status = 0;

  if (auth != NULL)
    headers = curl_slist_append (headers, auth);
  headers = curl_slist_append (headers, "Content-Type: application/json");
  headers = curl_slist_append (headers, "Expect:");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    headers = curl_slist_append (headers, extra[i]);
  g_string_truncate (reply, 0);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform (curl) == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  return status;
}

long
post_events (Hub        *hub,
             const char *token,
             const char *events,
             GString    *reply)
{
  g_autofree char *body = g_strdup_printf ("{\"events\":[%s]}", events);

  return call (hub, "POST", "/events", token, NULL, body, reply);
}

guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* A live stream on a plain socket: returns its fd once the catch-up is
 * read (up to "event: ready"), the catch-up in @text. */
int
stream_open (Hub        *hub,
             const char *token,
             int         receive_buffer,
             GString    *text)
{
  g_autofree char *request = g_strdup_printf ("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              token);
  int              fd;

  if (receive_buffer > 0)
    {
      /* Set before connecting, so the window stays this small. */
      struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (hub->port), .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
      struct timeval     timeout = { 10, 0 };

      fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
      setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      g_assert_cmpint (connect (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
    }
  else
    fd = raw_connect (hub);
  g_assert_true (raw_send (fd, request, strlen (request)));
  g_string_truncate (text, 0);
  while (strstr (text->str, "event: ready") == NULL)
    {
      char    buffer[4096];
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n <= 0)
        g_error ("the stream ended before its catch-up: %s", n < 0 ? g_strerror (errno) : "closed");
      g_string_append_len (text, buffer, n);
    }
  return fd;
}

/* Reads @fd until @needle comes (10 s at most). */
gboolean
stream_wait_for (int         fd,
                 const char *needle)
{
  g_autoptr(GString) text = g_string_new (NULL);

  while (strstr (text->str, needle) == NULL)
    {
      char    buffer[4096];
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n <= 0)
        return FALSE;
      g_string_append_len (text, buffer, n);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/hostile/availability/closed-connections", test_closed_connections);
  g_test_add_func ("/hostile/availability/slow-requests", test_slow_requests);
  g_test_add_func ("/hostile/availability/lying-lengths", test_lying_lengths);
  g_test_add_func ("/hostile/availability/streams-per-token", test_streams_per_token);
  g_test_add_func ("/hostile/availability/slow-stream-reader", test_slow_stream_reader);
  g_test_add_func ("/hostile/availability/catch-up-bounded", test_catch_up_bounded);
  g_test_add_func ("/hostile/auth/no-token-no-body", test_no_token_no_body);
  g_test_add_func ("/hostile/auth/parallel-logins", test_parallel_logins);
  g_test_add_func ("/hostile/auth/attribution", test_attribution);
  g_test_add_func ("/hostile/auth/open-requests-per-station", test_open_requests_per_station);
  g_test_add_func ("/hostile/integrity/keys-bound-to-body", test_keys_bound_to_body);
  g_test_add_func ("/hostile/integrity/out-of-range", test_out_of_range);
  g_test_add_func ("/hostile/integrity/nul-and-unknown", test_nul_and_unknown);
  g_test_add_func ("/hostile/operations/no-paths-in-errors", test_no_paths_in_errors);
  return g_test_run ();
}
