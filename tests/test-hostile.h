/* test-hostile.h: what the files of test-hostile share: the hub as its
 * own process, what /proc says of it, plain sockets and curl calls, and
 * each file's cases for main (). */
#pragma once

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relais-hub.h"
#include "relais-db-help.h"
#include "relais-link.h"
#include "relais-test-util.h"

#define SOPHIE_PASSWORD "sophie-secret"

/* Under AddressSanitizer (tools/relais-test-sanitizers) freed memory waits
 * in a quarantine and every allocation has shadow memory: the hub's RSS
 * says nothing about what it holds. The memory bounds are checked in the
 * normal build; the rest of each case stands. */
#if defined(__SANITIZE_ADDRESS__)
#define MEMORY_FIGURES_MEAN_SOMETHING FALSE
#else
#define MEMORY_FIGURES_MEAN_SOMETHING TRUE
#endif
#define assert_memory_below(kb, limit)    \
  G_STMT_START                            \
  {                                       \
    if (MEMORY_FIGURES_MEAN_SOMETHING)    \
      g_assert_cmpint ((kb), <, (limit)); \
  }                                       \
  G_STMT_END
#define CLAIRE_PASSWORD "claire-secret" /* staff */

typedef struct {
  char   *dir;
  char   *db_path;
  char   *config_path;
  char   *log_path;       /* the hub's stderr */
  char   *station_token;  /* poste-1 */
  char   *station2_token; /* poste-2 */
  char   *console_token;  /* accueil */
  char   *console2_token; /* bureau */
  guint16 port;
  GPid    pid;
  char   *url;
  rlim_t  file_size_limit; /* RLIM_INFINITY: none */
  int     log_fd;          /* for the child */
} Hub;

typedef gboolean (*HubCondition) (Hub *hub, gconstpointer data);

/* test-hostile.c */
void
hub_start (Hub *hub);
void
hub_stop (Hub *hub);
Hub *
hub_new (const char *config);
void
hub_free (Hub *hub);
guint
hub_fds (Hub *hub);
gint64
hub_status_kb (Hub        *hub,
               const char *field);
gint64
hub_rss_kb (Hub *hub);
gboolean
hub_wait (Hub *hub, HubCondition condition, gconstpointer data);
gboolean
fds_at_most (Hub *hub, gconstpointer data);
int
raw_connect (Hub *hub);
gboolean
raw_send (int         fd,
          const void *data,
          gsize       size);
GString *
raw_answer (int fd);
guint
answer_status (const GString *answer);
gboolean
raw_closed_by_hub (int fd);
size_t
sink_cb (char *ptr, size_t size, size_t nmemb, void *data);
long
call (Hub                *hub,
      const char         *method,
      const char         *path,
      const char         *token,
      const char * const *extra,
      const char         *body,
      GString            *reply);
long
post_events (Hub        *hub,
             const char *token,
             const char *events,
             GString    *reply);
guint
count (const char *haystack,
       const char *needle);
int
stream_open (Hub        *hub,
             const char *token,
             int         receive_buffer,
             GString    *text);
gboolean
stream_wait_for (int         fd,
                 const char *needle);

/* test-hostile-availability.c */
void
test_closed_connections (void);
void
test_slow_requests (void);
void
raw_send_junk (int   fd,
               gsize size);
void
test_lying_lengths (void);
void
test_streams_per_token (void);
void
test_slow_stream_reader (void);
void
test_catch_up_bounded (void);

/* test-hostile-auth.c */
void
test_no_token_no_body (void);
void
test_parallel_logins (void);
gint64
sql_int (Hub        *hub,
         const char *sql);
char *
login (Hub        *hub,
       const char *console_token,
       const char *login,
       const char *password);
char *
login_sophie (Hub        *hub,
              const char *console_token);
void
test_attribution (void);
void
test_open_requests_per_station (void);

/* test-hostile-integrity.c */
void
test_keys_bound_to_body (void);
void
test_out_of_range (void);
void
test_nul_and_unknown (void);
void
test_no_paths_in_errors (void);
