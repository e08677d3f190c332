/* bench-hub-common.h: what the hub benchmarks share: tokens, POSTs and
 * streams over libcurl, figures from /proc. */
#pragma once

#include <glib.h>
#include <curl/curl.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

#define BENCH_ERROR (bench_error_quark ())
typedef enum {
  BENCH_ERROR_TOKENS = 1,
  BENCH_ERROR_TRANSFER,
  BENCH_ERROR_HTTP,
  BENCH_ERROR_TOO_LARGE,
  BENCH_ERROR_PROC,
} BenchError;
GQuark bench_error_quark (void);

/* One enrolled client, as bench-hub-setup wrote it: "kind name token". */
typedef struct {
  char *kind; /* "station" or "console" */
  char *name;
  char *token;
} BenchClient;

void                        bench_client_free (BenchClient *client);
/* BenchClient*, in the file's order. */
GPtrArray                  *bench_clients_load (const char *path,
                                                GError    **error);
/* The clients of @kind, borrowed from @all. */
GPtrArray                  *bench_clients_filter (GPtrArray  *all,
                                                  const char *kind);

/* A keep-alive connection that POSTs JSON to /api/v1/events, as a
 * station's outbox does (one handle, reused). */
typedef struct _BenchPoster BenchPoster;

BenchPoster                *bench_poster_new (const char *base_url,
                                              const char *token);
void                        bench_poster_free (BenchPoster *poster);
/* Sets *status to the HTTP status; the body stays readable through
 * bench_poster_get_response () until the next call. */
gboolean                    bench_poster_post (BenchPoster *poster,
                                               const char  *body,
                                               gsize        length,
                                               long        *status,
                                               GError     **error);
const char                 *bench_poster_get_response (BenchPoster *poster);
/* TRUE: each POST on a new connection, closed after it, as the station's
 * link did before it kept its connections. */
void                        bench_poster_set_fresh (BenchPoster *poster,
                                                    gboolean     fresh);
/* The Retry-After of the last answer (a 429), in seconds; 1 when absent. */
gint64                      bench_poster_get_retry_after (BenchPoster *poster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchPoster, bench_poster_free)

/* Appends one help.raise event (fresh key, request @id) to a JSON array
 * being built in @body. */
void  bench_append_raise (GString    *body,
                          const char *id);
/* How many times @needle occurs in @haystack. */
guint bench_count (const char *haystack,
                   const char *needle);

/* A server-sent-events reader fed by a curl write callback. @func gets
 * each complete message; @now_us is when its last bytes arrived. */
typedef void (*BenchSseFunc) (const char *event,
                              const char *data,
                              gint64      now_us,
                              gpointer    user_data);
typedef struct {
  BenchSseFunc func;
  gpointer     user_data;
  GString     *line; /* an incomplete line, capped */
  GString     *event;
  GString     *data;
  gboolean     overflow; /* a line went past the cap: the stream is broken */
} BenchSse;

void     bench_sse_init (BenchSse    *sse,
                         BenchSseFunc func,
                         gpointer     user_data);
void     bench_sse_clear (BenchSse *sse);
/* A CURLOPT_WRITEFUNCTION; CURLOPT_WRITEDATA is the BenchSse. */
size_t   bench_sse_write_cb (char  *ptr,
                             size_t size,
                             size_t nmemb,
                             void  *user_data);
/* A GET /api/v1/stream handle with @sse as its sink; *headers is to be
 * freed with curl_slist_free_all () after the handle. */
CURL    *bench_stream_new (const char         *base_url,
                           const char         *token,
                           BenchSse           *sse,
                           struct curl_slist **headers);

/* Copies the string member @member of compact JSON text @json (as the
 * hub's json_to_string writes it, no escapes in our ids) to @out. A scan,
 * not a parser: the console must keep up with thousands of events a
 * second on the same two cores as the hub. */
gboolean bench_json_peek (const char *json,
                          const char *member,
                          char       *out,
                          gsize       out_size);

/* Figures. @values is sorted in place; @p in [0, 100]. */
double   bench_percentile (GArray *values,
                           double  p);
double   bench_max (GArray *values);

/* A "VmRSS:"-style field of /proc/PID/status, in kB. */
gboolean bench_proc_status_kb (int         pid,
                               const char *field,
                               gint64     *kb,
                               GError    **error);
/* The file descriptors @pid holds now (entries of /proc/PID/fd), or -1. */
gint64   bench_proc_fds (int pid);
/* User + system CPU seconds used by @pid so far, or -1. */
double   bench_proc_cpu_seconds (int pid);
/* CPU seconds the whole machine spent busy so far (all cores), or -1:
 * what neither the hub nor the load generator used is someone else's. */
double   bench_machine_busy_seconds (void);

G_END_DECLS
