/* bench-hub-memory: holds every station's and console's stream open on a
 * running hub, pushes help requests through it and reads the hub's memory
 * from /proc. Driven by tests/bench/hub-memory. */
#define G_LOG_DOMAIN "relais-bench"

#include "bench-hub-common.h"

#include <stdio.h>
#include <string.h>

#define READY_TIMEOUT_US         (30 * G_TIME_SPAN_SECOND)
#define DELIVERY_TIMEOUT_US      (120 * G_TIME_SPAN_SECOND)
#define SERVER_TOO_MANY_REQUESTS 429

typedef struct {
  BenchClient       *client; /* borrowed */

  /* Owned */
  CURL              *curl;
  struct curl_slist *headers;
  BenchSse           sse;

  gboolean           ready;    /* the hub sent "event: ready" */
  gboolean           finished; /* the transfer ended: it never should */
  CURLcode           result;
  guint              n_catchup;  /* help messages before "ready" */
  guint              n_raised;   /* live help messages, state raised */
  guint              n_expected; /* live raised messages it must get */
} Stream;

typedef struct {
  const char *url;
  CURLM      *multi;
  GPtrArray  *streams; /* Stream*, stations first */
} Memory;

typedef struct {
  const char  *url;      /* borrowed */
  BenchClient *client;   /* borrowed */
  BenchPoster *poster;   /* owned */
  guint        n_events; /* this round */
  guint        n_stored;
  guint        n_failed;
  guint        n_throttled; /* 429 answers, sent again */
  char        *first_error;
  gint        *n_done; /* atomic, shared by all senders */
} Sender;

/* ---- streams, all on the main thread ---- */

static void
stream_event_cb (const char *event,
                 const char *data,
                 gint64      now_us,
                 gpointer    user_data)
{
  Stream *stream = user_data;
  char    state[16];

  if (g_str_equal (event, "ready"))
    stream->ready = TRUE;
  else if (g_str_equal (event, "help"))
    {
      if (!stream->ready)
        stream->n_catchup++;
      else if (bench_json_peek (data, "state", state, sizeof state) && g_str_equal (state, "raised"))
        stream->n_raised++;
    }
}

static Stream *
stream_open (Memory      *memory,
             BenchClient *client)
{
  Stream *stream = g_new0 (Stream, 1);

  stream->client = client;
  bench_sse_init (&stream->sse, stream_event_cb, stream);
  stream->curl = bench_stream_new (memory->url, client->token, &stream->sse, &stream->headers);
  curl_easy_setopt (stream->curl, CURLOPT_PRIVATE, stream);
  curl_multi_add_handle (memory->multi, stream->curl);
  return stream;
}

static void
stream_close (Memory *memory,
              Stream *stream)
{
  curl_multi_remove_handle (memory->multi, stream->curl);
  curl_easy_cleanup (stream->curl);
  curl_slist_free_all (stream->headers);
  bench_sse_clear (&stream->sse);
  g_free (stream);
}

static gboolean
stream_is_console (const Stream *stream)
{
  return g_str_equal (stream->client->kind, "console");
}

/* Runs the streams until @done says so; FALSE on timeout or when a stream
 * ended. */
static gboolean
pump_until (Memory *memory,
            gboolean (*done) (Memory *memory),
            gint64 timeout_us)
{
  gint64 deadline_us = g_get_monotonic_time () + timeout_us;

  for (;;)
    {
      CURLMsg *message;
      int      running;
      int      left;

      curl_multi_perform (memory->multi, &running);
      while ((message = curl_multi_info_read (memory->multi, &left)) != NULL)
        {
          Stream *stream = NULL;

          if (message->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &stream);
          stream->finished = TRUE;
          stream->result = message->data.result;
        }
      for (guint i = 0; i < memory->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (memory->streams, i);

          if (stream->finished)
            {
              g_printerr ("bench-hub-memory: the stream of %s ended: %s\n",
                          stream->client->name, curl_easy_strerror (stream->result));
              return FALSE;
            }
        }
      if (done (memory))
        return TRUE;
      if (g_get_monotonic_time () > deadline_us)
        return FALSE;
      curl_multi_poll (memory->multi, NULL, 0, 20, NULL);
    }
}

static gboolean
all_ready (Memory *memory)
{
  for (guint i = 0; i < memory->streams->len; i++)
    if (!((Stream *) g_ptr_array_index (memory->streams, i))->ready)
      return FALSE;
  return TRUE;
}

static gboolean
all_delivered (Memory *memory)
{
  for (guint i = 0; i < memory->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (memory->streams, i);

      if (stream->n_raised < stream->n_expected)
        return FALSE;
    }
  return TRUE;
}

static guint
count_ready (Memory *memory)
{
  guint n = 0;

  for (guint i = 0; i < memory->streams->len; i++)
    n += ((Stream *) g_ptr_array_index (memory->streams, i))->ready;
  return n;
}

static guint
count_missing (Memory *memory)
{
  guint n = 0;

  for (guint i = 0; i < memory->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (memory->streams, i);

      if (stream->n_raised < stream->n_expected)
        n += stream->n_expected - stream->n_raised;
    }
  return n;
}

/* ---- traffic, one thread per station ---- */

static gpointer
sender_main (gpointer data)
{
  Sender *sender = data;
  g_autoptr(GString) body = g_string_sized_new (256);

  for (guint i = 0; i < sender->n_events; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_uuid_string_random ();
      long             status;

      g_string_assign (body, "{\"events\":[");
      bench_append_raise (body, id);
      g_string_append (body, "]}");
      /* Throttled (429): wait as the station's outbox does, send again. */
      while (bench_poster_post (sender->poster, body->str, body->len, &status, &error)
             && status == SERVER_TOO_MANY_REQUESTS)
        {
          sender->n_throttled++;
          g_usleep (bench_poster_get_retry_after (sender->poster) * G_TIME_SPAN_SECOND);
        }
      if (error == NULL && status == 200
          && bench_count (bench_poster_get_response (sender->poster), "\"status\":\"stored\"") == 1)
        sender->n_stored++;
      else
        {
          sender->n_failed++;
          if (sender->first_error == NULL)
            sender->first_error = error != NULL ? g_strdup (error->message)
                                                : g_strdup_printf ("HTTP %ld: %.200s", status,
                                                                   bench_poster_get_response (sender->poster));
        }
    }
  g_atomic_int_inc (sender->n_done);
  return NULL;
}

/* ---- /proc ---- */

static double
hub_mb (int         pid,
        const char *field)
{
  g_autoptr(GError) error = NULL;
  gint64 kb = 0;

  if (!bench_proc_status_kb (pid, field, &kb, &error))
    {
      g_printerr ("bench-hub-memory: %s\n", error->message);
      return -1;
    }
  return kb / 1024.0;
}

static double
print_memory (int         pid,
              const char *when)
{
  g_autoptr(GError) error = NULL;
  gint64 threads = 0;
  double rss = hub_mb (pid, "VmRSS");

  bench_proc_status_kb (pid, "Threads", &threads, &error);
  g_print ("  %-40s VmRSS %5.1f MB (anon %5.1f, file %4.1f), VmHWM %5.1f MB, %" G_GINT64_FORMAT " threads\n",
           when, rss, hub_mb (pid, "RssAnon"), hub_mb (pid, "RssFile"), hub_mb (pid, "VmHWM"), threads);
  return rss;
}

/* Lets the hub finish whatever the last messages started. */
static void
settle (Memory *memory)
{
  gint64 until_us = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < until_us)
    {
      int running;

      curl_multi_perform (memory->multi, &running);
      curl_multi_poll (memory->multi, NULL, 0, 20, NULL);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *tokens_path = NULL;
  int              hub_pid = 0;
  int              n_events = 2000;
  int              n_rounds = 4;
  GOptionEntry     entries[] = {
        { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The hub, http://127.0.0.1:PORT", "URL" },
        { "tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens_path, "Written by bench-hub-setup enroll", "FILE" },
        { "hub-pid", 0, 0, G_OPTION_ARG_INT, &hub_pid, "The hub's process", "PID" },
        { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Help requests in all (2000)", "N" },
        { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "Rounds they are sent in (4)", "N" },
        { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- hub memory with every stream open");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) stations = NULL;
  g_autoptr(GPtrArray) consoles = NULL;
  g_autoptr(GString) rounds_mb = g_string_new (NULL);
  Memory   memory = { 0 };
  Sender  *senders;
  guint    n_stored = 0;
  guint    n_failed = 0;
  guint    n_throttled = 0;
  guint    n_sent = 0;
  guint    connections;
  gboolean delivered = TRUE;
  gboolean caught_up;
  gboolean all_connected;
  double   idle_mb, streams_mb, rss_mb, reconnect_mb, peak_mb;

  /* Figures show up as they come, even through a pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-hub-memory: %s\n", error->message);
      return 2;
    }
  if (url == NULL || tokens_path == NULL || hub_pid <= 0 || n_events < 1 || n_rounds < 1)
    {
      g_printerr ("bench-hub-memory: --url, --tokens and --hub-pid are required\n");
      return 2;
    }
  clients = bench_clients_load (tokens_path, &error);
  if (clients == NULL)
    {
      g_printerr ("bench-hub-memory: %s\n", error->message);
      return 1;
    }
  stations = bench_clients_filter (clients, "station");
  consoles = bench_clients_filter (clients, "console");
  if (stations->len == 0 || consoles->len == 0)
    {
      g_printerr ("bench-hub-memory: %s must hold stations and consoles\n", tokens_path);
      return 1;
    }

  curl_global_init (CURL_GLOBAL_DEFAULT);
  memory.url = url;
  memory.multi = curl_multi_init ();
  memory.streams = g_ptr_array_new ();

  g_print ("hub-memory: hub %s (pid %d), %u station streams, %u console streams, %d help requests\n",
           url, hub_pid, stations->len, consoles->len, n_events);
  idle_mb = print_memory (hub_pid, "idle, nothing connected:");

  for (guint i = 0; i < clients->len; i++)
    {
      BenchClient *client = g_ptr_array_index (clients, i);

      if (g_str_equal (client->kind, "station") || g_str_equal (client->kind, "console"))
        g_ptr_array_add (memory.streams, stream_open (&memory, client));
    }
  if (!pump_until (&memory, all_ready, READY_TIMEOUT_US))
    g_printerr ("bench-hub-memory: %u of %u streams ready\n", count_ready (&memory), memory.streams->len);
  connections = count_ready (&memory);
  all_connected = connections == memory.streams->len;
  settle (&memory);
  {
    g_autofree char *when = g_strdup_printf ("%u streams open:", connections);

    streams_mb = print_memory (hub_pid, when);
  }

  senders = g_new0 (Sender, stations->len);
  for (guint i = 0; i < stations->len; i++)
    {
      senders[i].url = url;
      senders[i].client = g_ptr_array_index (stations, i);
      senders[i].poster = bench_poster_new (url, senders[i].client->token);
    }
  for (int round = 0; round < n_rounds; round++)
    {
      guint            in_round = n_events / n_rounds + ((guint) round < (guint) n_events % n_rounds);
      gint             n_done = 0;
      g_autofree char *when = NULL;
      GThread        **threads = g_new0 (GThread *, stations->len);

      for (guint i = 0; i < stations->len; i++)
        {
          senders[i].n_events = in_round / stations->len + (i < in_round % stations->len);
          senders[i].n_done = &n_done;
          senders[i].n_stored = senders[i].n_failed = senders[i].n_throttled = 0;
          threads[i] = g_thread_new (senders[i].client->name, sender_main, &senders[i]);
        }
      /* The streams must keep reading while the stations send. */
      while (g_atomic_int_get (&n_done) < (gint) stations->len)
        {
          int running;

          curl_multi_perform (memory.multi, &running);
          curl_multi_poll (memory.multi, NULL, 0, 5, NULL);
        }
      for (guint i = 0; i < stations->len; i++)
        {
          g_thread_join (threads[i]);
          n_stored += senders[i].n_stored;
          n_failed += senders[i].n_failed;
          n_throttled += senders[i].n_throttled;
          n_sent += senders[i].n_events;
        }
      g_free (threads);
      for (guint i = 0; i < memory.streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (memory.streams, i);

          if (stream_is_console (stream))
            stream->n_expected = n_stored;
          else
            for (guint j = 0; j < stations->len; j++)
              if (senders[j].client == stream->client)
                stream->n_expected += senders[j].n_stored;
        }
      if (!pump_until (&memory, all_delivered, DELIVERY_TIMEOUT_US))
        {
          g_printerr ("bench-hub-memory: %u messages never arrived\n", count_missing (&memory));
          delivered = FALSE;
        }
      settle (&memory);
      when = g_strdup_printf ("after %u requests (round %d):", n_sent, round + 1);
      g_string_append_printf (rounds_mb, "%s%.1f", round > 0 ? "/" : "", print_memory (hub_pid, when));
    }
  rss_mb = hub_mb (hub_pid, "VmRSS");

  /* A console that comes back is sent every open request at once. */
  for (guint i = 0; i < memory.streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (memory.streams, i);

      if (stream_is_console (stream))
        {
          BenchClient *client = stream->client;

          stream_close (&memory, stream);
          memory.streams->pdata[i] = stream_open (&memory, client);
        }
    }
  caught_up = pump_until (&memory, all_ready, READY_TIMEOUT_US);
  for (guint i = 0; i < memory.streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (memory.streams, i);

      if (stream_is_console (stream) && stream->n_catchup < n_stored)
        caught_up = FALSE;
    }
  settle (&memory);
  {
    g_autofree char *when = g_strdup_printf ("%u consoles reconnected (catch-up):", consoles->len);

    reconnect_mb = print_memory (hub_pid, when);
  }
  peak_mb = hub_mb (hub_pid, "VmHWM");

  g_print ("\n  %u help requests stored, %u failed, %u answers 429", n_stored, n_failed, n_throttled);
  for (guint i = 0; i < stations->len && n_failed > 0; i++)
    if (senders[i].first_error != NULL)
      {
        g_print (" (first: %s)", senders[i].first_error);
        break;
      }
  g_print ("; every stream got its messages: %s; consoles' catch-up complete: %s\n",
           delivered ? "yes" : "NO", caught_up ? "yes" : "NO");
  g_print ("  RSS after each round: %s MB\n", rounds_mb->str);

  g_print ("\nRESULT hub-memory rss_mb=%.1f peak_mb=%.1f connections=%u idle_mb=%.1f streams_mb=%.1f"
           " reconnect_mb=%.1f events=%u failed=%u throttled=%u missing=%u\n",
           rss_mb, peak_mb, connections, idle_mb, streams_mb, reconnect_mb, n_stored, n_failed, n_throttled,
           count_missing (&memory));

  for (guint i = 0; i < stations->len; i++)
    {
      bench_poster_free (senders[i].poster);
      g_free (senders[i].first_error);
    }
  g_free (senders);
  for (guint i = 0; i < memory.streams->len; i++)
    stream_close (&memory, g_ptr_array_index (memory.streams, i));
  g_ptr_array_unref (memory.streams);
  curl_multi_cleanup (memory.multi);
  curl_global_cleanup ();
  return all_connected && delivered && caught_up && n_failed == 0 ? 0 : 1;
}
