/* bench-page-latency: stations raise help requests on a running hub; one
 * console measures how long each takes to reach it, then how many events a
 * second the hub accepts. Driven by tests/bench/page-latency. */
#define G_LOG_DOMAIN "relais-bench"

#include "bench-hub-common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define UUID_LENGTH              36
#define SERVER_TOO_MANY_REQUESTS 429
/* How long the console may stay silent while events are still missing. */
#define DRAIN_STALL_US (10 * G_TIME_SPAN_SECOND)

typedef enum {
  PHASE_PACED = 1, /* each station one request every min..max gap ms */
  PHASE_BURST,     /* each station as fast as it can, @batch per POST */
} PhaseKind;

typedef struct {
  PhaseKind   kind;
  const char *title;
  guint       batch;
  gboolean    fresh; /* each POST on a new connection */
  guint       min_gap_ms;
  guint       max_gap_ms;
  gint64      duration_us;
  gint64      start_us; /* set by run_phase () */
  gint64      deadline_us;
} Phase;

typedef struct {
  char  *id;
  gint64 sent_us; /* just before curl_easy_perform () of its POST */
} Sent;

typedef struct _Bench Bench;

typedef struct {
  Bench       *bench;  /* borrowed */
  BenchClient *client; /* borrowed */

  /* Owned */
  BenchPoster *poster; /* one keep-alive connection, for every phase */
  GRand       *rand;
  GThread     *thread;

  /* Reset before each phase, then touched only by the station's thread
   * until it is joined. */
  GArray      *sent;        /* Sent: events the hub answered "stored" */
  GArray      *post_ms;     /* double: each POST's round trip */
  guint64      n_failed;    /* events of POSTs that failed or were not stored */
  guint64      n_throttled; /* 429 answers (the batch was sent again) */
  gint64       last_ack_us;
  char        *first_error;
} Station;

struct _Bench {
  /* Borrowed */
  const char  *url;
  int          hub_pid;
  const Phase *phase; /* the one running */
  BenchClient *console;
  FILE        *timeline; /* NULL, or one line an event: phase, sent, latency */
  guint        n_phases;

  /* Owned */
  GPtrArray   *stations; /* Station* */
  GThread     *console_thread;

  /* The console thread writes, others read under @lock. */
  GMutex       lock;
  GHashTable  *arrivals; /* request id → gint64* first arrival, monotonic µs */
  char        *console_error;
  gint         n_raised; /* atomic: distinct requests seen raised */
  gint         ready;    /* atomic: the stream sent "ready" */
  gint         stop;     /* atomic: the console thread is to end */

  /* The hub's file descriptors, sampled by their own thread. */
  GThread     *fd_thread;
  gint64       fds_max; /* atomic (under lock) */
};

typedef struct {
  guint64 n_stored;
  guint64 n_failed;
  guint64 n_throttled;
  guint   n_lost;
  double  seconds;
  double  per_s;
  double  drain_ms; /* from the last acknowledgement to the last arrival */
  double  hub_cpu_pct;
  double  load_cpu_pct;
  double  other_cpu_pct; /* everything else on the machine */
  GArray *latency_ms;    /* double, station call -> console */
  GArray *post_ms;       /* double, POST round trips */
} Report;

static void
report_clear (Report *report)
{
  g_clear_pointer (&report->latency_ms, g_array_unref);
  g_clear_pointer (&report->post_ms, g_array_unref);
}

/* ---- the console ---- */

static void
console_event_cb (const char *event,
                  const char *data,
                  gint64      now_us,
                  gpointer    user_data)
{
  Bench *bench = user_data;
  char   state[16];
  char   id[UUID_LENGTH + 1];

  if (g_str_equal (event, "ready"))
    {
      g_atomic_int_set (&bench->ready, 1);
      return;
    }
  if (!g_str_equal (event, "help")
      || !bench_json_peek (data, "state", state, sizeof state) || !g_str_equal (state, "raised")
      || !bench_json_peek (data, "id", id, sizeof id))
    return;

  g_mutex_lock (&bench->lock);
  if (!g_hash_table_contains (bench->arrivals, id))
    {
      g_hash_table_insert (bench->arrivals, g_strdup (id), g_memdup2 (&now_us, sizeof now_us));
      g_atomic_int_inc (&bench->n_raised);
    }
  g_mutex_unlock (&bench->lock);
}

static int
console_progress_cb (void      *user_data,
                     curl_off_t dltotal,
                     curl_off_t dlnow,
                     curl_off_t ultotal,
                     curl_off_t ulnow)
{
  Bench *bench = user_data;

  return g_atomic_int_get (&bench->stop);
}

static gpointer
console_main (gpointer data)
{
  Bench             *bench = data;
  struct curl_slist *headers = NULL;
  BenchSse           sse;
  g_autoptr(CURL) curl = NULL;
  CURLcode rc;

  bench_sse_init (&sse, console_event_cb, bench);
  curl = bench_stream_new (bench->url, bench->console->token, &sse, &headers);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, console_progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, bench);
  rc = curl_easy_perform (curl);
  if (!g_atomic_int_get (&bench->stop))
    {
      g_mutex_lock (&bench->lock);
      bench->console_error = g_strdup_printf ("the console stream ended: %s%s",
                                              curl_easy_strerror (rc),
                                              sse.overflow ? " (line too long)" : "");
      g_mutex_unlock (&bench->lock);
    }
  g_clear_pointer (&curl, curl_easy_cleanup);
  curl_slist_free_all (headers);
  bench_sse_clear (&sse);
  return NULL;
}

/* ---- the hub's file descriptors ---- */

static gpointer
fd_sampler_main (gpointer data)
{
  Bench *bench = data;

  while (!g_atomic_int_get (&bench->stop))
    {
      gint64 n = bench_proc_fds (bench->hub_pid);

      g_mutex_lock (&bench->lock);
      bench->fds_max = MAX (bench->fds_max, n);
      g_mutex_unlock (&bench->lock);
      g_usleep (50 * 1000);
    }
  return NULL;
}

/* ---- the stations ---- */

static void
station_fail (Station    *station,
              guint       n_events,
              const char *message)
{
  station->n_failed += n_events;
  if (station->first_error == NULL)
    station->first_error = g_strdup (message);
}

static gpointer
station_main (gpointer data)
{
  Station     *station = data;
  const Phase *phase = station->bench->phase;
  g_autoptr(GString) body = g_string_sized_new (200 * phase->batch + 64);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 next_us = phase->start_us;

  /* Stations do not all press the button at the same instant. */
  if (phase->kind == PHASE_PACED)
    next_us += g_rand_int_range (station->rand, 0, phase->max_gap_ms * 1000);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gint64 now_us = g_get_monotonic_time ();
      gint64 sent_us;
      gint64 attempt_us = 0;
      gint64 acked_us;
      long   status;

      if (phase->kind == PHASE_PACED)
        {
          if (next_us >= phase->deadline_us)
            break;
          if (now_us < next_us)
            g_usleep (next_us - now_us);
          else
            next_us = now_us; /* late: send now, do not burst to catch up */
        }
      else if (now_us >= phase->deadline_us)
        break;

      g_ptr_array_set_size (ids, 0);
      g_string_assign (body, "{\"events\":[");
      for (guint i = 0; i < phase->batch; i++)
        {
          char *id = g_uuid_string_random ();

          if (i > 0)
            g_string_append_c (body, ',');
          bench_append_raise (body, id);
          g_ptr_array_add (ids, id);
        }
      g_string_append (body, "]}");

      sent_us = g_get_monotonic_time ();
      for (;;)
        {
          gint64 wait_us;

          g_clear_error (&error);
          attempt_us = g_get_monotonic_time ();
          if (!bench_poster_post (station->poster, body->str, body->len, &status, &error)
              || status != SERVER_TOO_MANY_REQUESTS)
            break;
          /* Throttled: wait as the station's outbox does, then resend the
           * same events (same keys). */
          station->n_throttled++;
          wait_us = bench_poster_get_retry_after (station->poster) * G_TIME_SPAN_SECOND;
          if (g_get_monotonic_time () + wait_us >= phase->deadline_us)
            break;
          g_usleep (wait_us);
        }
      if (error != NULL)
        {
          station_fail (station, phase->batch, error->message);
          g_usleep (100 * 1000); /* a hub gone is not to be hammered */
        }
      else if (status == SERVER_TOO_MANY_REQUESTS)
        break; /* the phase ends before the hub lets this batch in */
      else if (status != 200)
        {
          g_autofree char *message = g_strdup_printf ("HTTP %ld: %.200s", status,
                                                      bench_poster_get_response (station->poster));
          station_fail (station, phase->batch, message);
        }
      else
        {
          guint n_stored = bench_count (bench_poster_get_response (station->poster), "\"status\":\"stored\"");

          if (n_stored != phase->batch)
            {
              g_autofree char *message = g_strdup_printf ("%u \"stored\" of %u: %.200s", n_stored, phase->batch,
                                                          bench_poster_get_response (station->poster));
              station_fail (station, phase->batch, message);
            }
          else
            for (guint i = 0; i < ids->len; i++)
              {
                Sent sent = { g_strdup (g_ptr_array_index (ids, i)), sent_us };

                g_array_append_val (station->sent, sent);
              }
        }
      acked_us = g_get_monotonic_time ();
      station->last_ack_us = acked_us;
      {
        double ms = (acked_us - attempt_us) / 1000.0;

        g_array_append_val (station->post_ms, ms);
      }
      if (phase->kind == PHASE_PACED)
        next_us += g_rand_int_range (station->rand, phase->min_gap_ms * 1000, phase->max_gap_ms * 1000 + 1);
    }
  return NULL;
}

static void
sent_clear (Sent *sent)
{
  g_free (sent->id);
}

static void
station_reset (Station *station)
{
  g_clear_pointer (&station->sent, g_array_unref);
  g_clear_pointer (&station->post_ms, g_array_unref);
  g_clear_pointer (&station->first_error, g_free);
  station->sent = g_array_new (FALSE, FALSE, sizeof (Sent));
  g_array_set_clear_func (station->sent, (GDestroyNotify) sent_clear);
  station->post_ms = g_array_new (FALSE, FALSE, sizeof (double));
  station->n_failed = 0;
  station->n_throttled = 0;
  station->last_ack_us = 0;
}

static void
station_free (Station *station)
{
  bench_poster_free (station->poster);
  g_rand_free (station->rand);
  g_clear_pointer (&station->sent, g_array_unref);
  g_clear_pointer (&station->post_ms, g_array_unref);
  g_free (station->first_error);
  g_free (station);
}

/* ---- phases ---- */

/* Waits until the console saw @n_expected more raised requests than
 * @n_before, or stops hearing anything. Returns when the last came. */
static gint64
wait_console (Bench *bench,
              gint   n_before,
              gint64 n_expected)
{
  gint   last_count = g_atomic_int_get (&bench->n_raised);
  gint64 last_change_us = g_get_monotonic_time ();

  for (;;)
    {
      gint   count = g_atomic_int_get (&bench->n_raised);
      gint64 now_us = g_get_monotonic_time ();

      if (count - n_before >= n_expected)
        return now_us;
      if (count != last_count)
        {
          last_count = count;
          last_change_us = now_us;
        }
      else if (now_us - last_change_us > DRAIN_STALL_US)
        return last_change_us;
      g_usleep (1000);
    }
}

static void
run_phase (Bench  *bench,
           Phase  *phase,
           Report *report)
{
  gint   n_before = g_atomic_int_get (&bench->n_raised);
  double hub_cpu_before = bench_proc_cpu_seconds (bench->hub_pid);
  double load_cpu_before = bench_proc_cpu_seconds (getpid ());
  double machine_before = bench_machine_busy_seconds ();
  gint64 end_us = 0;
  gint64 drained_us;
  char  *first_error = NULL;

  memset (report, 0, sizeof *report);
  report->latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  report->post_ms = g_array_new (FALSE, FALSE, sizeof (double));

  phase->start_us = g_get_monotonic_time () + 50 * 1000;
  phase->deadline_us = phase->start_us + phase->duration_us;
  bench->phase = phase;
  for (guint i = 0; i < bench->stations->len; i++)
    {
      Station *station = g_ptr_array_index (bench->stations, i);

      station_reset (station);
      bench_poster_set_fresh (station->poster, phase->fresh);
      station->thread = g_thread_new (station->client->name, station_main, station);
    }
  for (guint i = 0; i < bench->stations->len; i++)
    {
      Station *station = g_ptr_array_index (bench->stations, i);

      g_thread_join (g_steal_pointer (&station->thread));
      report->n_stored += station->sent->len;
      report->n_failed += station->n_failed;
      report->n_throttled += station->n_throttled;
      end_us = MAX (end_us, station->last_ack_us);
      g_array_append_vals (report->post_ms, station->post_ms->data, station->post_ms->len);
      if (first_error == NULL && station->first_error != NULL)
        first_error = station->first_error;
    }
  if (phase->kind == PHASE_PACED || end_us <= phase->start_us)
    end_us = MAX (end_us, phase->deadline_us);
  report->seconds = (end_us - phase->start_us) / (double) G_TIME_SPAN_SECOND;
  report->per_s = report->n_stored / report->seconds;
  report->hub_cpu_pct = 100 * (bench_proc_cpu_seconds (bench->hub_pid) - hub_cpu_before) / report->seconds;
  report->load_cpu_pct = 100 * (bench_proc_cpu_seconds (getpid ()) - load_cpu_before) / report->seconds;
  report->other_cpu_pct = 100 * (bench_machine_busy_seconds () - machine_before) / report->seconds
                          - report->hub_cpu_pct - report->load_cpu_pct;

  drained_us = wait_console (bench, n_before, report->n_stored);
  report->drain_ms = MAX (0, drained_us - end_us) / 1000.0;

  g_mutex_lock (&bench->lock);
  for (guint i = 0; i < bench->stations->len; i++)
    {
      Station *station = g_ptr_array_index (bench->stations, i);

      for (guint j = 0; j < station->sent->len; j++)
        {
          Sent   *sent = &g_array_index (station->sent, Sent, j);
          gint64 *arrival_us = g_hash_table_lookup (bench->arrivals, sent->id);
          double  ms;

          if (arrival_us == NULL)
            {
              report->n_lost++;
              continue;
            }
          ms = (*arrival_us - sent->sent_us) / 1000.0;
          g_array_append_val (report->latency_ms, ms);
          if (bench->timeline != NULL)
            fprintf (bench->timeline, "%u %s %.3f %.3f\n", bench->n_phases, station->client->name,
                     (sent->sent_us - phase->start_us) / 1000.0, ms);
        }
    }
  g_mutex_unlock (&bench->lock);
  bench->n_phases++;

  g_print ("\n%s\n", phase->title);
  g_print ("  %" G_GUINT64_FORMAT " events stored in %.1f s: %.0f/s (%u POSTs, %" G_GUINT64_FORMAT " events failed,"
           " %" G_GUINT64_FORMAT " answers 429)\n",
           report->n_stored, report->seconds, report->per_s, report->post_ms->len, report->n_failed,
           report->n_throttled);
  if (first_error != NULL)
    g_print ("  first failure: %s\n", first_error);
  g_print ("  POST round trip: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           bench_percentile (report->post_ms, 50), bench_percentile (report->post_ms, 99),
           bench_max (report->post_ms));
  g_print ("  station call -> console: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%u events)\n",
           bench_percentile (report->latency_ms, 50), bench_percentile (report->latency_ms, 90),
           bench_percentile (report->latency_ms, 99), bench_max (report->latency_ms),
           report->latency_ms->len);
  g_print ("  console: %u lost, caught up %.1f ms after the last acknowledgement\n",
           report->n_lost, report->drain_ms);
  g_print ("  CPU (100 %% = one core): hub %.0f %%, load generator %.0f %%, other processes %.0f %%\n",
           report->hub_cpu_pct, report->load_cpu_pct, MAX (0, report->other_cpu_pct));
}

/* ---- main ---- */

int
main (int argc, char **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *tokens_path = NULL;
  g_autofree char *timeline_path = NULL;
  int              hub_pid = 0;
  int              latency_seconds = 20;
  int              burst_seconds = 10;
  int              batch = 50;
  int              n_stations_wanted = 50;
  GOptionEntry     entries[] = {
        { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The hub, http://127.0.0.1:PORT", "URL" },
        { "tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens_path, "Written by bench-hub-setup enroll", "FILE" },
        { "hub-pid", 0, 0, G_OPTION_ARG_INT, &hub_pid, "The hub's process, for its CPU time", "PID" },
        { "stations", 0, 0, G_OPTION_ARG_INT, &n_stations_wanted, "Stations to simulate (50)", "N" },
        { "latency-seconds", 0, 0, G_OPTION_ARG_INT, &latency_seconds, "Paced phase (20)", "S" },
        { "burst-seconds", 0, 0, G_OPTION_ARG_INT, &burst_seconds, "Each throughput phase (10)", "S" },
        { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Events per POST when flooding (50)", "N" },
        { "timeline", 0, 0, G_OPTION_ARG_FILENAME, &timeline_path,
          "Writes \"phase station sent_ms latency_ms\" for every event", "FILE" },
        { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- hub latency and throughput");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) station_clients = NULL;
  g_autoptr(GPtrArray) console_clients = NULL;
  Bench  bench = { 0 };
  Report paced = { 0 };
  Report burst = { 0 };
  Report single = { 0 };
  Report fresh = { 0 };
  gint64 deadline_us;
  gint64 fds_start;
  gint64 fds_end;
  int    status = 0;

  /* Figures show up as they come, even through a pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-page-latency: %s\n", error->message);
      return 2;
    }
  if (url == NULL || tokens_path == NULL || hub_pid <= 0 || batch < 1 || batch > 500
      || latency_seconds < 1 || burst_seconds < 1)
    {
      g_printerr ("bench-page-latency: --url, --tokens and --hub-pid are required (batch 1..500)\n");
      return 2;
    }
  clients = bench_clients_load (tokens_path, &error);
  if (clients == NULL)
    {
      g_printerr ("bench-page-latency: %s\n", error->message);
      return 1;
    }
  station_clients = bench_clients_filter (clients, "station");
  console_clients = bench_clients_filter (clients, "console");
  if (station_clients->len < (guint) n_stations_wanted || console_clients->len < 1)
    {
      g_printerr ("bench-page-latency: %d stations and a console expected in %s\n", n_stations_wanted, tokens_path);
      return 1;
    }

  if (timeline_path != NULL && (bench.timeline = fopen (timeline_path, "w")) == NULL)
    {
      g_printerr ("bench-page-latency: %s: %s\n", timeline_path, g_strerror (errno));
      return 1;
    }

  curl_global_init (CURL_GLOBAL_DEFAULT);
  bench.url = url;
  bench.hub_pid = hub_pid;
  bench.console = g_ptr_array_index (console_clients, 0);
  g_mutex_init (&bench.lock);
  bench.arrivals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bench.stations = g_ptr_array_new_with_free_func ((GDestroyNotify) station_free);
  for (int i = 0; i < n_stations_wanted; i++)
    {
      Station *station = g_new0 (Station, 1);

      station->bench = &bench;
      station->client = g_ptr_array_index (station_clients, i);
      station->poster = bench_poster_new (url, station->client->token);
      station->rand = g_rand_new ();
      g_ptr_array_add (bench.stations, station);
    }

  bench.console_thread = g_thread_new ("console", console_main, &bench);
  deadline_us = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!g_atomic_int_get (&bench.ready) && g_get_monotonic_time () < deadline_us)
    g_usleep (1000);
  if (!g_atomic_int_get (&bench.ready))
    {
      g_atomic_int_set (&bench.stop, 1);
      g_thread_join (bench.console_thread);
      g_printerr ("bench-page-latency: the console got no \"ready\": %s\n",
                  bench.console_error != NULL ? bench.console_error : "timed out");
      return 1;
    }

  fds_start = bench_proc_fds (hub_pid);
  bench.fds_max = fds_start;
  bench.fd_thread = g_thread_new ("fds", fd_sampler_main, &bench);
  g_print ("page-latency: hub %s (pid %d), %u stations, 1 console stream; the hub holds %" G_GINT64_FORMAT " fds\n",
           url, hub_pid, bench.stations->len, fds_start);
  {
    g_autofree char *title = g_strdup_printf ("Latency phase: %u stations, one request every 100-200 ms each, %d s",
                                              bench.stations->len, latency_seconds);
    Phase            phase = { .kind = PHASE_PACED, .title = title, .batch = 1, .min_gap_ms = 100, .max_gap_ms = 200, .duration_us = latency_seconds * G_TIME_SPAN_SECOND };

    run_phase (&bench, &phase, &paced);
  }
  {
    g_autofree char *title = g_strdup_printf ("Throughput phase: %u stations flooding, %d events per POST, %d s",
                                              bench.stations->len, batch, burst_seconds);
    Phase            phase = { .kind = PHASE_BURST, .title = title, .batch = batch, .duration_us = burst_seconds * G_TIME_SPAN_SECOND };

    run_phase (&bench, &phase, &burst);
  }
  {
    g_autofree char *title = g_strdup_printf ("Throughput phase: %u stations flooding, 1 event per POST, %d s",
                                              bench.stations->len, burst_seconds);
    Phase            phase = { .kind = PHASE_BURST, .title = title, .batch = 1, .duration_us = burst_seconds * G_TIME_SPAN_SECOND };

    run_phase (&bench, &phase, &single);
  }
  {
    g_autofree char *title = g_strdup_printf ("Throughput phase: %u stations flooding, 1 event per POST, each on a new"
                                              " connection closed after it (as the link did), %d s",
                                              bench.stations->len, burst_seconds);
    Phase            phase = { .kind = PHASE_BURST, .title = title, .batch = 1, .fresh = TRUE, .duration_us = burst_seconds * G_TIME_SPAN_SECOND };

    run_phase (&bench, &phase, &fresh);
  }
  /* The hub sees the last closes in its own time. */
  g_usleep (500 * 1000);
  fds_end = bench_proc_fds (hub_pid);
  g_print ("\nhub file descriptors: %" G_GINT64_FORMAT " at the start, %" G_GINT64_FORMAT " at most, %" G_GINT64_FORMAT
           " at the end\n",
           fds_start, bench.fds_max, fds_end);

  g_atomic_int_set (&bench.stop, 1);
  g_thread_join (bench.console_thread);
  g_thread_join (bench.fd_thread);
  if (bench.console_error != NULL)
    {
      g_print ("\nconsole: %s\n", bench.console_error);
      status = 1;
    }

  g_print ("\nRESULT page-latency p50_ms=%.2f p99_ms=%.2f max_ms=%.2f count=%u lost=%u"
           " per_s=%.0f single_per_s=%.0f fresh_per_s=%.0f paced_per_s=%.0f burst_lost=%u errors=%" G_GUINT64_FORMAT
           " throttled=%" G_GUINT64_FORMAT " post_p99_ms=%.2f burst_p99_ms=%.1f hub_cpu_pct=%.0f other_cpu_pct=%.0f"
           " stations=%u batch=%d hub_fds_start=%" G_GINT64_FORMAT " hub_fds_max=%" G_GINT64_FORMAT
           " hub_fds_end=%" G_GINT64_FORMAT "\n",
           bench_percentile (paced.latency_ms, 50), bench_percentile (paced.latency_ms, 99),
           bench_max (paced.latency_ms), paced.latency_ms->len, paced.n_lost,
           burst.per_s, single.per_s, fresh.per_s, paced.per_s, burst.n_lost + single.n_lost + fresh.n_lost,
           paced.n_failed + burst.n_failed + single.n_failed + fresh.n_failed,
           paced.n_throttled + burst.n_throttled + single.n_throttled + fresh.n_throttled,
           bench_percentile (paced.post_ms, 99), bench_percentile (burst.latency_ms, 99),
           paced.hub_cpu_pct, MAX (0, MAX (paced.other_cpu_pct, MAX (burst.other_cpu_pct, single.other_cpu_pct))),
           bench.stations->len, batch, fds_start, bench.fds_max, fds_end);

  report_clear (&paced);
  report_clear (&burst);
  report_clear (&single);
  report_clear (&fresh);
  g_ptr_array_unref (bench.stations);
  g_hash_table_unref (bench.arrivals);
  g_free (bench.console_error);
  g_mutex_clear (&bench.lock);
  if (bench.timeline != NULL)
    fclose (bench.timeline);
  curl_global_cleanup ();
  return status;
}
