/* bench-hub-common.c: tokens, POSTs and streams over libcurl, /proc figures. */
#define G_LOG_DOMAIN "relais-bench"

#include "bench-hub-common.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The hub answers at most 500 results of ~60 bytes; anything much larger
 * means something is wrong. */
#define MAX_RESPONSE_BYTES (1024 * 1024)
/* One SSE line is one help request of a few hundred bytes. */
#define MAX_SSE_LINE_BYTES (64 * 1024)

G_DEFINE_QUARK (relais-bench-error-quark, bench_error);

void
bench_client_free (BenchClient *client)
{
  if (client == NULL)
    return;
  g_free (client->kind);
  g_free (client->name);
  g_free (client->token);
  g_free (client);
}

GPtrArray *
bench_clients_load (const char *path,
                    GError    **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_client_free);

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      BenchClient *client;

      if (*lines[i] == '\0')
        continue;
      fields = g_strsplit (lines[i], " ", 3);
      if (g_strv_length (fields) != 3)
        {
          g_set_error (error, BENCH_ERROR, BENCH_ERROR_TOKENS, "%s:%u: expected \"kind name token\"", path, i + 1);
          return NULL;
        }
      client = g_new0 (BenchClient, 1);
      client->kind = g_strdup (fields[0]);
      client->name = g_strdup (fields[1]);
      client->token = g_strdup (fields[2]);
      g_ptr_array_add (clients, client);
    }
  return g_steal_pointer (&clients);
}

GPtrArray *
bench_clients_filter (GPtrArray  *all,
                      const char *kind)
{
  GPtrArray *some = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      BenchClient *client = g_ptr_array_index (all, i);

      if (g_str_equal (client->kind, kind))
        g_ptr_array_add (some, client);
    }
  return some;
}

/* ---- POST ---- */

struct _BenchPoster {
  CURL              *curl;
  struct curl_slist *headers;
  GString           *response; /* capped at MAX_RESPONSE_BYTES */
  gboolean           too_large;
  char               errbuf[CURL_ERROR_SIZE];
};

static size_t
poster_write_cb (char  *ptr,
                 size_t size,
                 size_t nmemb,
                 void  *user_data)
{
  BenchPoster *poster = user_data;

  if (poster->response->len + size * nmemb > MAX_RESPONSE_BYTES)
    {
      poster->too_large = TRUE;
      return 0;
    }
  g_string_append_len (poster->response, ptr, size * nmemb);
  return size * nmemb;
}

BenchPoster *
bench_poster_new (const char *base_url,
                  const char *token)
{
  BenchPoster     *poster = g_new0 (BenchPoster, 1);
  g_autofree char *url = g_strconcat (base_url, "/api/v1/events", NULL);
  g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token, NULL);

  poster->curl = curl_easy_init ();
  g_assert (poster->curl != NULL);
  poster->response = g_string_sized_new (4096);
  poster->headers = curl_slist_append (poster->headers, auth);
  poster->headers = curl_slist_append (poster->headers, "Content-Type: application/json");
  /* As drivers/relais-link.c: no 100-continue round trip for big batches. */
  poster->headers = curl_slist_append (poster->headers, "Expect:");
  curl_easy_setopt (poster->curl, CURLOPT_URL, url);
  curl_easy_setopt (poster->curl, CURLOPT_HTTPHEADER, poster->headers);
  curl_easy_setopt (poster->curl, CURLOPT_ERRORBUFFER, poster->errbuf);
  curl_easy_setopt (poster->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (poster->curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (poster->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt (poster->curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt (poster->curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt (poster->curl, CURLOPT_WRITEFUNCTION, poster_write_cb);
  curl_easy_setopt (poster->curl, CURLOPT_WRITEDATA, poster);
  return poster;
}

void
bench_poster_free (BenchPoster *poster)
{
  if (poster == NULL)
    return;
  curl_easy_cleanup (poster->curl);
  curl_slist_free_all (poster->headers);
  g_string_free (poster->response, TRUE);
  g_free (poster);
}

gboolean
bench_poster_post (BenchPoster *poster,
                   const char  *body,
                   gsize        length,
                   long        *status,
                   GError     **error)
{
  CURLcode rc;

  g_string_truncate (poster->response, 0);
  poster->too_large = FALSE;
  poster->errbuf[0] = '\0';
  *status = 0;
  curl_easy_setopt (poster->curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt (poster->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
  rc = curl_easy_perform (poster->curl);
  if (poster->too_large)
    {
      g_set_error (error, BENCH_ERROR, BENCH_ERROR_TOO_LARGE, "response larger than %d bytes", MAX_RESPONSE_BYTES);
      return FALSE;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, BENCH_ERROR, BENCH_ERROR_TRANSFER, "%s",
                   poster->errbuf[0] != '\0' ? poster->errbuf : curl_easy_strerror (rc));
      return FALSE;
    }
  curl_easy_getinfo (poster->curl, CURLINFO_RESPONSE_CODE, status);
  return TRUE;
}

void
bench_poster_set_fresh (BenchPoster *poster,
                        gboolean     fresh)
{
  curl_easy_setopt (poster->curl, CURLOPT_FORBID_REUSE, fresh ? 1L : 0L);
}

const char *
bench_poster_get_response (BenchPoster *poster)
{
  return poster->response->str;
}

gint64
bench_poster_get_retry_after (BenchPoster *poster)
{
  curl_off_t seconds = 0;

  if (curl_easy_getinfo (poster->curl, CURLINFO_RETRY_AFTER, &seconds) != CURLE_OK || seconds <= 0)
    return 1;
  return seconds;
}

void
bench_append_raise (GString    *body,
                    const char *id)
{
  g_autofree char *key = g_uuid_string_random ();

  g_string_append_printf (body,
                          "{\"key\":\"%s\",\"type\":\"help.raise\",\"at\":%" G_GINT64_FORMAT ","
                          "\"data\":{\"id\":\"%s\",\"category\":\"other\"}}",
                          key, g_get_real_time () / 1000, id);
}

guint
bench_count (const char *haystack,
             const char *needle)
{
  gsize length = strlen (needle);
  guint n = 0;

  g_assert (length > 0);
  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + length, needle))
    n++;
  return n;
}

/* ---- server-sent events ---- */

void
bench_sse_init (BenchSse    *sse,
                BenchSseFunc func,
                gpointer     user_data)
{
  sse->func = func;
  sse->user_data = user_data;
  sse->line = g_string_sized_new (1024);
  sse->event = g_string_new (NULL);
  sse->data = g_string_sized_new (1024);
  sse->overflow = FALSE;
}

void
bench_sse_clear (BenchSse *sse)
{
  if (sse->line != NULL)
    g_string_free (sse->line, TRUE);
  if (sse->event != NULL)
    g_string_free (sse->event, TRUE);
  if (sse->data != NULL)
    g_string_free (sse->data, TRUE);
  sse->line = sse->event = sse->data = NULL;
}

static void
sse_line (BenchSse   *sse,
          const char *line,
          gsize       length,
          gint64      now_us)
{
  const char *colon;
  const char *value;
  gsize       name_length;

  if (length == 0)
    {
      if (sse->data->len > 0 || sse->event->len > 0)
        sse->func (sse->event->len > 0 ? sse->event->str : "message", sse->data->str, now_us, sse->user_data);
      g_string_truncate (sse->event, 0);
      g_string_truncate (sse->data, 0);
      return;
    }
  if (line[0] == ':')
    return;
  colon = memchr (line, ':', length);
  name_length = colon != NULL ? (gsize) (colon - line) : length;
  value = colon != NULL ? colon + 1 : line + length;
  if (value < line + length && *value == ' ')
    value++;
  if (name_length == 5 && memcmp (line, "event", 5) == 0)
    {
      g_string_truncate (sse->event, 0);
      g_string_append_len (sse->event, value, line + length - value);
    }
  else if (name_length == 4 && memcmp (line, "data", 4) == 0)
    {
      if (sse->data->len > 0)
        g_string_append_c (sse->data, '\n');
      g_string_append_len (sse->data, value, line + length - value);
    }
}

size_t
bench_sse_write_cb (char  *ptr,
                    size_t size,
                    size_t nmemb,
                    void  *user_data)
{
  BenchSse   *sse = user_data;
  gsize       length = size * nmemb;
  gint64      now_us = g_get_monotonic_time ();
  const char *end = ptr + length;
  const char *p = ptr;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *stop = newline != NULL ? newline : end;

      if (sse->line->len + (stop - p) > MAX_SSE_LINE_BYTES)
        {
          sse->overflow = TRUE;
          return 0;
        }
      g_string_append_len (sse->line, p, stop - p);
      if (newline == NULL)
        break;
      if (sse->line->len > 0 && sse->line->str[sse->line->len - 1] == '\r')
        g_string_truncate (sse->line, sse->line->len - 1);
      sse_line (sse, sse->line->str, sse->line->len, now_us);
      g_string_truncate (sse->line, 0);
      p = newline + 1;
    }
  return length;
}

CURL *
bench_stream_new (const char         *base_url,
                  const char         *token,
                  BenchSse           *sse,
                  struct curl_slist **headers)
{
  g_autofree char *url = g_strconcat (base_url, "/api/v1/stream", NULL);
  g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token, NULL);
  CURL            *curl = curl_easy_init ();

  g_assert (curl != NULL);
  *headers = curl_slist_append (*headers, auth);
  *headers = curl_slist_append (*headers, "Accept: text/event-stream");
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, *headers);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt (curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, bench_sse_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, sse);
  return curl;
}

gboolean
bench_json_peek (const char *json,
                 const char *member,
                 char       *out,
                 gsize       out_size)
{
  g_autofree char *pattern = g_strdup_printf ("\"%s\":\"", member);
  const char      *start = strstr (json, pattern);
  const char      *end;

  if (start == NULL)
    return FALSE;
  start += strlen (pattern);
  end = strchr (start, '"');
  if (end == NULL || (gsize) (end - start) >= out_size)
    return FALSE;
  memcpy (out, start, end - start);
  out[end - start] = '\0';
  return TRUE;
}

/* ---- figures ---- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_percentile (GArray *values,
                  double  p)
{
  gsize rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  /* Nearest rank: the smallest value with at least p % at or below it. */
  rank = (gsize) (p / 100.0 * values->len + 0.999999);
  rank = CLAMP (rank, 1, values->len);
  return g_array_index (values, double, rank - 1);
}

double
bench_max (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

gboolean
bench_proc_status_kb (int         pid,
                      const char *field,
                      gint64     *kb,
                      GError    **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strconcat ("\n", field, ":", NULL);
  const char      *line;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  line = strstr (text, prefix);
  if (line == NULL)
    {
      g_set_error (error, BENCH_ERROR, BENCH_ERROR_PROC, "%s : pas de champ %s", path, field);
      return FALSE;
    }
  *kb = g_ascii_strtoll (line + strlen (prefix), NULL, 10);
  return TRUE;
}

gint64
bench_proc_fds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  gint64 n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

double
bench_proc_cpu_seconds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* The command name may hold spaces: count fields after its ')'. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", 0);
  /* Fields 14 and 15 of stat(5) (utime, stime) are 11 and 12 here. */
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

double
bench_machine_busy_seconds (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  double busy = 0;

  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL) || !g_str_has_prefix (text, "cpu "))
    return -1;
  *strchr (text, '\n') = '\0';
  fields = g_strsplit_set (text + strlen ("cpu "), " ", 0);
  /* user nice system idle iowait irq softirq steal: all but idle and iowait. */
  for (guint i = 0, n = 0; fields[i] != NULL && n < 8; i++)
    {
      if (*fields[i] == '\0')
        continue;
      if (n != 3 && n != 4)
        busy += g_ascii_strtod (fields[i], NULL);
      n++;
    }
  return busy / sysconf (_SC_CLK_TCK);
}
