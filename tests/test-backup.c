/* test-backup.c: `relais-hub backup`, `restore` and `check`, the real
 * programs against a real hub process: a backup taken while a station
 * writes through the hub's API holds every write acknowledged before it
 * began; a restore is refused while the hub runs, keeps the database it
 * replaces, and refuses a damaged copy or a key that is not the safes'. */
#include <curl/curl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "relais-db-backup.h"
#include "relais-db-help.h"
#include "relais-link.h"
#include "relais-safe-client.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

#define PIN "4821"

typedef struct {
  char   *dir;
  char   *db_path;
  char   *key_path;
  char   *config_path;
  char   *backups;
  char   *token;
  char   *console_token;
  guint16 port;
  char   *url;
  GPid    pid;
} Site;

/* The hub dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static char *
hub_exe (void)
{
  return g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
}

/* Runs `relais-hub -c CONFIG ARGS…` to its end: the exit status, and what
 * it printed (stdout then stderr) in @output. @input goes to its stdin. */
static int
relais_hub (Site       *site,
            const char *input,
            char      **output,
            ...)
{
  g_autofree char *exe = hub_exe ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  va_list     args;
  const char *arg;

  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, site->config_path);
  va_start (args, output);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("relais-hub %s: %s%s", (const char *) argv->pdata[3], out, err);
  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return g_subprocess_get_exit_status (process);
}

static void
hub_start (Site *site)
{
  g_autofree char *exe = hub_exe ();
  g_autofree char *port = g_strdup_printf ("%u", site->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  const char      *argv[] = { exe, "-c", site->config_path, "-p", port, NULL };
  int              out = -1;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            die_with_parent, NULL, &site->pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  /* It says so once it listens. */
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "listening"));
}

static void
hub_stop (Site *site)
{
  int status = 0;

  kill (site->pid, SIGTERM);
  waitpid (site->pid, &status, 0);
  g_spawn_close_pid (site->pid);
  site->pid = 0;
}

static Site *
site_new (void)
{
  Site *site = g_new0 (Site, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *out = NULL;

  site->dir = g_dir_make_tmp ("relais-backup-XXXXXX", &error);
  g_assert_no_error (error);
  site->db_path = g_build_filename (site->dir, "hub.db", NULL);
  site->key_path = g_build_filename (site->dir, "hub.db.safe-key", NULL);
  site->config_path = g_build_filename (site->dir, "hub.conf", NULL);
  site->backups = g_build_filename (site->dir, "sauvegardes", "/", NULL);
  /* A load, not a runaway: the per-client rate is out of the way. */
  config = g_strdup_printf ("[hub]\ndatabase=%s\nrate-per-second=100000\n", site->db_path);
  g_file_set_contents (site->config_path, config, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_hub (site, NULL, &out, "enroll", "--token", "station", "poste-1", NULL), ==, 0);
  site->token = g_strdup (g_strstrip (out));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (relais_hub (site, NULL, &out, "enroll", "--token", "console", "accueil", NULL), ==, 0);
  site->console_token = g_strdup (g_strstrip (out));
  g_assert_cmpint (relais_hub (site, RELAIS_TEST_SOPHIE_PASSWORD "\n", NULL, "add-mediator", "sophie", "Sophie", NULL), ==, 0);
  site->port = relais_test_free_port ();
  site->url = g_strdup_printf ("http://127.0.0.1:%u", site->port);
  return site;
}

static void
site_free (Site *site)
{
  if (site->pid != 0)
    hub_stop (site);
  g_free (site->dir);
  g_free (site->db_path);
  g_free (site->key_path);
  g_free (site->config_path);
  g_free (site->backups);
  g_free (site->token);
  g_free (site->console_token);
  g_free (site->url);
  g_free (site);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Site, site_free)

/* ---- a station writing through the hub's API, in a thread ---- */

typedef struct {
  Site      *site;
  GMutex     lock;
  GPtrArray *acked; /* keys the hub answered "stored", in order */
  gint       stop;
  guint      failures;
} Writer;

static size_t
sink_cb (char *ptr, size_t size, size_t nmemb, void *data)
{
  g_string_append_len (data, ptr, size * nmemb);
  return size * nmemb;
}

static gpointer
writer_thread (gpointer data)
{
  Writer          *w = data;
  g_autofree char *url = g_strdup_printf ("%s/api/v1/events", w->site->url);
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", w->site->token);
  g_autoptr(GString) reply = g_string_new (NULL);
  struct curl_slist *headers = curl_slist_append (NULL, auth);
  CURL              *curl = curl_easy_init ();

  /* One handle, kept alive: a station's link. */
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, reply);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
  for (guint i = 0; !g_atomic_int_get (&w->stop) && i < 200000; i++)
    {
      g_autofree char *key = g_strdup_printf ("ecrit-%06u", i);
      g_autofree char *body = g_strdup_printf ("{\"events\":[{\"key\":\"%s\",\"type\":\"station.status\","
                                               "\"data\":{\"step\":\"home\",\"in_session\":false}}]}",
                                               key);
      long             status = 0;

      g_string_truncate (reply, 0);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      if (curl_easy_perform (curl) == CURLE_OK)
        curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      /* Acknowledged: stored, as the hub said before answering. */
      if (status == 200 && strstr (reply->str, "\"stored\"") != NULL)
        {
          g_mutex_lock (&w->lock);
          g_ptr_array_add (w->acked, g_steal_pointer (&key));
          g_mutex_unlock (&w->lock);
        }
      else
        w->failures++;
    }
  curl_slist_free_all (headers);
  curl_easy_cleanup (curl);
  return NULL;
}

static guint
acked_count (Writer *w)
{
  guint n;

  g_mutex_lock (&w->lock);
  n = w->acked->len;
  g_mutex_unlock (&w->lock);
  return n;
}

static void
wait_acked (Writer *w,
            guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* Bounded: a hub that stops answering fails the test, not hangs it. */
  while (acked_count (w) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

/* The event keys a database holds, read only. */
static GHashTable *
keys_in (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open_read_only (path, RELAIS_DB_HUB, &error);
  g_autoptr(GPtrArray) keys = NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  keys = relais_db_event_keys (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < keys->len; i++)
    g_hash_table_add (set, g_strdup (g_ptr_array_index (keys, i)));
  return set;
}

/* The only backup in the site's backup folder. */
static char *
the_backup (Site *site)
{
  g_autoptr(GDir) dir = g_dir_open (site->backups, 0, NULL);
  const char *name;
  char       *path = NULL;
  guint       n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("in the backup folder: %s", name);
      g_assert_true (g_str_has_prefix (name, "hub-") && g_str_has_suffix (name, ".db"));
      g_free (path);
      path = g_build_filename (site->backups, name, NULL);
      n++;
    }
  /* Only the database: the safes' key is kept elsewhere. */
  g_assert_cmpuint (n, ==, 1);
  return path;
}

/* A safe with a PIN, made as at the desk and the station. */
static char *
make_safe (Site *site)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) console = relais_link_new (site->url, site->console_token, NULL, &error);
  g_autoptr(RelaisLink) station = NULL;
  g_autoptr(RelaisSafeClient) client = NULL;
  static const char text[] = "%PDF-1.4\n% sauvegardé\n";
  g_autoptr(GBytes) doc = g_bytes_new_static (text, strlen (text));
  g_autofree char *code = NULL;
  g_autofree char *id = NULL;
  gboolean         queued = TRUE;
  char            *number;

  g_assert_no_error (error);
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  number = relais_test_safe_create (console, &code);
  station = relais_link_new (site->url, site->token, NULL, &error);
  g_assert_no_error (error);
  client = relais_safe_client_new (station, NULL, &error);
  g_assert_no_error (error);
  relais_test_safe_activate (client, number, code, PIN, FALSE);
  /* A blocking call: the hub is another process. */
  id = relais_safe_client_add (client, "impots", "avis", doc, &queued, &error);
  g_assert_no_error (error);
  g_assert_false (queued);
  relais_safe_client_close (client);
  return number;
}

static void
test_backup_under_load (void)
{
  g_autoptr(Site) site = site_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) restored = NULL;
  g_autoptr(GHashTable) aside_keys = NULL;
  g_autofree char *number = NULL;
  g_autofree char *output = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *right_key = NULL;
  gsize            right_key_length = 0;
  Writer           writer = { site };
  GThread         *thread;
  guint            before;
  guint            after;
  guint            missing_after = 0;

  hub_start (site);
  number = make_safe (site);

  writer.acked = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&writer.lock);
  thread = g_thread_new ("writer", writer_thread, &writer);
  wait_acked (&writer, 300);

  /* The backup, while the station goes on writing. */
  before = acked_count (&writer);
  g_assert_cmpint (relais_hub (site, NULL, &output, "backup", site->backups, "--keep", "7", NULL), ==, 0);
  after = acked_count (&writer);
  g_test_message ("%u writes acknowledged before the backup, %u when it ended", before, after);
  g_assert_nonnull (strstr (output, "Clé des coffres non copiée"));
  g_assert_nonnull (strstr (output, site->key_path));
  g_clear_pointer (&output, g_free);
  backup = the_backup (site);
  /* Writes go on after it. */
  wait_acked (&writer, after + 200);

  /* A check while the hub runs. */
  g_assert_cmpint (relais_hub (site, NULL, &output, "check", NULL), ==, 0);
  g_assert_nonnull (strstr (output, "Intégrité : ok"));
  g_assert_nonnull (strstr (output, "la bonne"));
  g_clear_pointer (&output, g_free);

  /* No restore under a running hub. */
  g_assert_cmpint (relais_hub (site, NULL, &output, "restore", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "Arrêtez-le"));
  g_clear_pointer (&output, g_free);

  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
  g_test_message ("%u writes acknowledged in all, %u not", writer.acked->len, writer.failures);
  g_assert_cmpuint (writer.failures, ==, 0);
  hub_stop (site);

  /* A key that is not the safes': refused, nothing replaced. */
  g_assert_true (g_file_get_contents (site->key_path, &right_key, &right_key_length, &error));
  {
    guint8 wrong[32];

    randombytes_buf (wrong, sizeof wrong);
    g_assert_true (g_file_set_contents (site->key_path, (const char *) wrong, sizeof wrong, &error));
  }
  g_assert_cmpint (relais_hub (site, NULL, &output, "restore", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "n'est pas celle des coffres"));
  g_assert_nonnull (strstr (output, "Rien n'a été restauré"));
  g_clear_pointer (&output, g_free);
  g_assert_true (g_file_set_contents (site->key_path, right_key, right_key_length, &error));
  sodium_memzero (right_key, right_key_length);

  /* A damaged copy: check says so, restore refuses it. */
  {
    g_autofree char *damaged = g_build_filename (site->dir, "abimee.db", NULL);
    g_autofree char *contents = NULL;
    gsize            length = 0;

    g_assert_true (g_file_get_contents (backup, &contents, &length, &error));
    /* The last pages (tables' rows, not the schema) scrambled. */
    for (gsize i = length - length / 5; i < length; i++)
      contents[i] ^= 0x5a;
    g_assert_true (g_file_set_contents (damaged, contents, length, &error));
    g_assert_cmpint (relais_hub (site, NULL, &output, "check", damaged, NULL), ==, 1);
    g_assert_nonnull (strstr (output, "problème"));
    g_clear_pointer (&output, g_free);
    g_assert_cmpint (relais_hub (site, NULL, &output, "restore", damaged, NULL), ==, 1);
    g_assert_nonnull (strstr (output, "abîmée"));
    g_clear_pointer (&output, g_free);
  }
  /* Neither refusal touched the database in place. */
  aside_keys = keys_in (site->db_path);
  g_assert_cmpuint (g_hash_table_size (aside_keys), >=, writer.acked->len);
  g_clear_pointer (&aside_keys, g_hash_table_unref);

  /* The restore. */
  g_assert_cmpint (relais_hub (site, NULL, &output, "restore", backup, NULL), ==, 0);
  {
    const char *kept = strstr (output, "L'ancienne base est gardée : ");

    g_assert_nonnull (kept);
    aside = g_strndup (kept + strlen ("L'ancienne base est gardée : "),
                       strcspn (kept + strlen ("L'ancienne base est gardée : "), "\n"));
  }
  g_clear_pointer (&output, g_free);

  /* Every write acknowledged before the backup began is in it; those
   * after it ended are not (it is that moment's copy), and the database
   * set aside has every one: nothing is lost. */
  restored = keys_in (site->db_path);
  aside_keys = keys_in (aside);
  for (guint i = 0; i < writer.acked->len; i++)
    {
      const char *key = g_ptr_array_index (writer.acked, i);

      if (i < before)
        g_assert_true (g_hash_table_contains (restored, key));
      if (i >= after && !g_hash_table_contains (restored, key))
        missing_after++;
      g_assert_true (g_hash_table_contains (aside_keys, key));
    }
  g_test_message ("restored: %u events; acknowledged after the backup and not in it: %u",
                  g_hash_table_size (restored), missing_after);
  g_assert_cmpuint (missing_after, ==, writer.acked->len - after);

  /* The restored site works: the station's token, and the safe opens
   * with its PIN and the key that stayed in place. */
  hub_start (site);
  {
    g_autoptr(RelaisLink) station = relais_link_new (site->url, site->token, NULL, &error);
    g_autoptr(RelaisSafeClient) client = NULL;
    g_autoptr(GPtrArray) list = NULL;
    int remaining = 0;

    g_assert_no_error (error);
    client = relais_safe_client_new (station, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (relais_safe_client_open (client, number, PIN, &remaining, &error));
    g_assert_no_error (error);
    list = relais_safe_client_list (client, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 1);
    relais_safe_client_close (client);
  }
  g_assert_cmpint (relais_hub (site, NULL, &output, "check", NULL), ==, 0);
  hub_stop (site);

  g_ptr_array_unref (writer.acked);
  g_mutex_clear (&writer.lock);
}

/* A schema this program does not know, or a file that is no database:
 * refused, with nothing replaced. */
static void
test_restore_refuses (void)
{
  g_autoptr(Site) site = site_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *future = g_build_filename (site->dir, "futur.db", NULL);
  g_autofree char *text = g_build_filename (site->dir, "notes.txt", NULL);
  g_autofree char *output = NULL;
  g_autoptr(RelaisDb) db = NULL;

  g_assert_cmpint (relais_hub (site, NULL, NULL, "backup", future, NULL), ==, 0);
  {
    sqlite3 *raw = NULL;

    g_assert_cmpint (sqlite3_open (future, &raw), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (raw);
  }
  g_assert_cmpint (relais_hub (site, NULL, &output, "restore", future, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "999"));
  g_clear_pointer (&output, g_free);
  g_assert_true (g_file_set_contents (text, "pas une base", -1, &error));
  g_assert_cmpint (relais_hub (site, NULL, &output, "restore", text, NULL), ==, 1);
  g_clear_pointer (&output, g_free);
  /* The backup's name is never reused: a second backup to it fails. */
  g_assert_cmpint (relais_hub (site, NULL, &output, "backup", future, NULL), ==, 1);
  g_assert_nonnull (strstr (output, "existe déjà"));
  /* The database in place is as it was. */
  db = relais_db_open_read_only (site->db_path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_HUB));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/backup/under-load", test_backup_under_load);
  g_test_add_func ("/backup/restore-refuses", test_restore_refuses);
  return g_test_run ();
}
