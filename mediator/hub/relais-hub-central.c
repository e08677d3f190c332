/* relais-hub-central.c: the site's side of the département's central
 * registry (issue 19). The queue is filled by the database itself
 * (relais-central-queue.c); this file empties it: the oldest changes, in
 * order, pushed on a worker thread (libpq blocks) in one transaction, and
 * dropped from the queue only once the centre has committed them. A crash
 * between the two re-sends the same keys, which the centre acknowledges
 * without applying them again: exactly once. It also answers the
 * consoles' "domiciled elsewhere?" question (GET /central/elsewhere). */

#include "relais-hub-private.h"
#include "relais-hub-central.h"
#include "relais-hub-central-private.h"
#include "relais-central-up.h"
#include "relais-hub-json.h"
#include "relais-central.h"

#define CENTRAL_KEY "relais-hub-central"
/* How often the queue is looked at, and how much goes up at once. */
#define TICK_MS      100
#define PUSH_BATCH   256
#define RETRY_MIN_MS 250
#define RETRY_MAX_MS (30 * 1000)
/* Down: how often the others' changes are read, and how many at once. */
#define PULL_MS        1000
#define PULL_BATCH     1000
#define ELSEWHERE_TEXT 400
/* While the centre is away: how often the consoles hear the queue's
 * length, when it changed. */
#define AWAY_ANNOUNCE_MS 1000

/* The connection, shared by the worker threads one at a time. */
typedef struct {
  GMutex         lock;
  char          *url;
  RelaisCentral *conn; /* NULL until connected, and after it dropped */
} Link;

/* The hub's state, hung on the hub in a g_atomic_rc_box; a worker holds a
 * ref, and hub is NULL once the hub is gone (its results dropped). */
typedef struct {
  RelaisHub *hub; /* borrowed */
  Link      *link;
  guint      tick_id;
  gboolean   pushing;
  guint      retry_min_ms;
  guint      retry_max_ms;
  guint      retry_ms; /* the pause after the next failure */
  gint64     next_try; /* monotonic µs: nothing before */
  guint64    pushed;
  gboolean   failing; /* the last try failed: said once in the log */
  gboolean   pulling;
  gint64     next_pull; /* monotonic µs */
  guint64    pulled;
  gboolean   pull_failing;
  gint64     away_since;        /* real ms: the centre away since, 0 while reached */
  gint64     announced_pending; /* what the consoles last heard */
  gint64     next_announce;     /* monotonic µs */
} Central;

static void
link_free (Link *link)
{
  g_mutex_clear (&link->lock);
  g_free (link->url);
  g_clear_pointer (&link->conn, relais_central_close);
}

static void
central_clear (Central *central)
{
  g_atomic_rc_box_release_full (central->link, (GDestroyNotify) link_free);
}

static Central *
central_ref (Central *central)
{
  return g_atomic_rc_box_acquire (central);
}

static void
central_unref (Central *central)
{
  g_atomic_rc_box_release_full (central, (GDestroyNotify) central_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Central, central_unref)

static void
central_detach (gpointer data)
{
  Central *central = data;

  central->hub = NULL;
  g_clear_handle_id (&central->tick_id, g_source_remove);
  central_unref (central);
}

static Central *
central_get (RelaisHub *self)
{
  return g_object_get_data (G_OBJECT (self), CENTRAL_KEY);
}

/* ---- the consoles: the centre reached or not ---- */

static gint64
central_queued (RelaisDb *db)
{
  return MAX (relais_db_central_queue_length (db), 0) + MAX (relais_db_central_up_length (db), 0);
}

JsonNode *
_relais_hub_central_state (RelaisHub *self)
{
  Central *central = central_get (self);
  g_autoptr(JsonBuilder) b = NULL;
  gint64 xid = 0, pos = 0, copied_at = 0;

  if (central == NULL)
    return NULL;
  b = json_builder_new ();
  central->announced_pending = central_queued (self->db);
  json_builder_begin_object (b);
  relais_hub_json_add_bool (b, "joined", central->away_since == 0);
  if (central->away_since > 0)
    relais_hub_json_add_int (b, "away_since", central->away_since);
  if (relais_db_central_copy_cursor (self->db, &xid, &pos, &copied_at) && copied_at > 0)
    relais_hub_json_add_int (b, "copy_at", copied_at);
  relais_hub_json_add_int (b, "pending", central->announced_pending);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
central_announce (Central *central)
{
  g_autoptr(JsonNode) node = _relais_hub_central_state (central->hub);

  central->next_announce = g_get_monotonic_time () + AWAY_ANNOUNCE_MS * 1000;
  _relais_hub_broadcast (central->hub, RELAIS_STREAM_CENTRAL, node, TRUE, NULL);
}

/* After a push or a pull: the centre is away while either fails. */
static void
central_reached (Central *central,
                 gboolean push,
                 gboolean ok)
{
  gboolean was_away = central->away_since > 0;
  gboolean away;

  if (push)
    central->failing = !ok;
  else
    central->pull_failing = !ok;
  away = central->failing || central->pull_failing;
  if (away == was_away)
    return;
  central->away_since = away ? relais_db_now_ms () : 0;
  central_announce (central);
}

/* While away, the queue grows with the desk's work: said now and then. */
static void
central_announce_queue (Central *central)
{
  if (central->away_since == 0 || g_get_monotonic_time () < central->next_announce)
    return;
  central->next_announce = g_get_monotonic_time () + AWAY_ANNOUNCE_MS * 1000;
  if (central_queued (central->hub->db) != central->announced_pending)
    central_announce (central);
}

/* On a worker: the connection, made when missing. Call with the lock. */
static RelaisCentral *
link_connection (Link    *link,
                 GError **error)
{
  if (link->conn == NULL)
    link->conn = relais_central_connect (link->url, error);
  return link->conn;
}

/* A connection that dropped is made anew next time. */
static void
link_failed (Link         *link,
             const GError *error)
{
  if (g_error_matches (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_UNREACHABLE))
    g_clear_pointer (&link->conn, relais_central_close);
}

/* A worker thread's use of the link: its lock held, its connection made
 * or kept, @work done on it; a failure drops the connection (the next
 * use makes a new one) and is the task's error. */
static void
link_run (GTask               *task,
          Link                *link,
          RelaisHubCentralWork work,
          gpointer             data)
{
  GError        *error = NULL;
  RelaisCentral *conn;

  g_mutex_lock (&link->lock);
  conn = link_connection (link, &error);
  if (conn != NULL && !work (conn, data, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_QUERY, "?");
      link_failed (link, error);
    }
  g_mutex_unlock (&link->lock);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- up: the queue ---- */

typedef struct {
  Link      *link;    /* a ref */
  GPtrArray *changes; /* RelaisCentralChange, in order */
  guint      applied;
} Push;

static void
push_free (Push *push)
{
  g_atomic_rc_box_release_full (push->link, (GDestroyNotify) link_free);
  g_ptr_array_unref (push->changes);
  g_free (push);
}

static gboolean
push_work (RelaisCentral *conn,
           gpointer       data,
           GError       **error)
{
  Push *push = data;

  return relais_central_push (conn, push->changes, &push->applied, error);
}

static void
push_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  link_run (task, ((Push *) data)->link, push_work, data);
}

static gboolean central_tick (gpointer data);

static void
push_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(Central) central = data;
  g_autoptr(GError) error = NULL;
  Push    *push = g_task_get_task_data (G_TASK (result));
  gboolean full = push->changes->len == PUSH_BATCH;

  central->pushing = FALSE;
  if (central->hub == NULL)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!central->failing)
        g_message ("Registre central injoignable ou en refus, nouvel essai plus tard : %s", error->message);
      central_reached (central, TRUE, FALSE);
      central->next_try = g_get_monotonic_time () + (gint64) central->retry_ms * 1000;
      central->retry_ms = MIN (central->retry_ms * 2, central->retry_max_ms);
      return;
    }
  /* Committed at the centre: they leave the queue. Should this fail, the
   * same keys go up again and the centre acknowledges them. */
  if (!relais_db_central_queue_done (central->hub->db,
                                     ((RelaisCentralChange *) g_ptr_array_index (push->changes,
                                                                                 push->changes->len - 1))
                                         ->seq,
                                     &error))
    g_message ("File du registre central : %s", error->message);
  if (central->failing)
    g_message ("Registre central joint de nouveau.");
  central_reached (central, TRUE, TRUE);
  central->pushed += push->changes->len;
  central->retry_ms = central->retry_min_ms;
  central->next_try = 0;
  if (full)
    central_tick (central);
}

/* ---- down: the others' changes into the local copy ---- */

typedef struct {
  Link      *link; /* a ref */
  gint64     xid, pos;
  GPtrArray *rows; /* RelaisCentralCopyRow */
} Pull;

static void
pull_free (Pull *pull)
{
  g_atomic_rc_box_release_full (pull->link, (GDestroyNotify) link_free);
  g_clear_pointer (&pull->rows, g_ptr_array_unref);
  g_free (pull);
}

static gboolean
pull_work (RelaisCentral *conn,
           gpointer       data,
           GError       **error)
{
  Pull *pull = data;

  pull->rows = relais_central_pull (conn, pull->xid, pull->pos, PULL_BATCH, error);
  return pull->rows != NULL;
}

static void
pull_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  link_run (task, ((Pull *) data)->link, pull_work, data);
}

static void
pull_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(Central) central = data;
  g_autoptr(GError) error = NULL;
  Pull *pull = g_task_get_task_data (G_TASK (result));

  central->pulling = FALSE;
  if (central->hub == NULL)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The push's log says the centre is away; the copy waits. */
      central_reached (central, FALSE, FALSE);
      central->next_pull = g_get_monotonic_time () + (gint64) central->retry_ms * 1000;
      return;
    }
  if (!relais_db_central_copy_apply (central->hub->db, pull->rows, &error))
    {
      g_message ("Copie locale du registre central : %s", error->message);
      return;
    }
  central->pulled += pull->rows->len;
  central_reached (central, FALSE, TRUE);
  /* More waiting: read on at once. */
  central->next_pull = pull->rows->len == PULL_BATCH ? 0 : g_get_monotonic_time () + PULL_MS * 1000;
}

static void
central_pull (Central *central)
{
  g_autoptr(GTask) task = NULL;
  Pull *pull;

  if (central->pulling || g_get_monotonic_time () < central->next_pull)
    return;
  pull = g_new0 (Pull, 1);
  if (!relais_db_central_copy_cursor (central->hub->db, &pull->xid, &pull->pos, NULL))
    {
      g_free (pull);
      return;
    }
  pull->link = g_atomic_rc_box_acquire (central->link);
  central->pulling = TRUE;
  task = g_task_new (NULL, NULL, pull_done, central_ref (central));
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);
  g_task_run_in_thread (task, pull_thread);
}

static gboolean
central_tick (gpointer data)
{
  Central *central = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GTask) task = NULL;
  Push *push;

  if (central->hub == NULL)
    return G_SOURCE_CONTINUE;
  central_pull (central);
  _relais_hub_central_up_tick (central->hub);
  central_announce_queue (central);
  if (central->pushing || g_get_monotonic_time () < central->next_try)
    return G_SOURCE_CONTINUE;
  changes = relais_db_central_queue_peek (central->hub->db, PUSH_BATCH, &error);
  if (changes == NULL)
    {
      g_message ("File du registre central : %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (changes->len == 0)
    return G_SOURCE_CONTINUE;
  push = g_new0 (Push, 1);
  push->link = g_atomic_rc_box_acquire (central->link);
  push->changes = g_steal_pointer (&changes);
  central->pushing = TRUE;
  task = g_task_new (NULL, NULL, push_done, central_ref (central));
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);
  g_task_run_in_thread (task, push_thread);
  return G_SOURCE_CONTINUE;
}

gboolean
relais_hub_set_central (RelaisHub  *self,
                        const char *url,
                        GError    **error)
{
  Central *central;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);
  g_return_val_if_fail (central_get (self) == NULL, FALSE);

  if (url == NULL || (!g_str_has_prefix (url, "postgresql://") && !g_str_has_prefix (url, "postgres://")))
    {
      g_set_error_literal (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_INVALID,
                           "[central] url : une adresse postgresql://… (le rôle du site, le serveur, la base).");
      return FALSE;
    }
  if (!relais_db_central_enable (self->db, error) || !relais_db_central_up_enable (self->db, error))
    return FALSE;
  central = g_atomic_rc_box_new0 (Central);
  central->hub = self;
  central->link = g_atomic_rc_box_new0 (Link);
  g_mutex_init (&central->link->lock);
  central->link->url = g_strdup (url);
  central->retry_min_ms = RETRY_MIN_MS;
  central->retry_max_ms = RETRY_MAX_MS;
  central->retry_ms = RETRY_MIN_MS;
  central->tick_id = g_timeout_add (TICK_MS, central_tick, central);
  g_object_set_data_full (G_OBJECT (self), CENTRAL_KEY, central, central_detach);
  return TRUE;
}

void
relais_hub_central_set_retry (RelaisHub *self,
                              guint      min_ms,
                              guint      max_ms)
{
  Central *central = central_get (self);

  g_return_if_fail (central != NULL && min_ms > 0 && max_ms >= min_ms);

  central->retry_min_ms = central->retry_ms = min_ms;
  central->retry_max_ms = max_ms;
}

gint64
relais_hub_central_pending (RelaisHub *self)
{
  return central_get (self) != NULL ? relais_db_central_queue_length (self->db) : -1;
}

guint64
relais_hub_central_pushed (RelaisHub *self)
{
  Central *central = central_get (self);

  return central != NULL ? central->pushed : 0;
}

/* ---- a console's question: domiciled elsewhere? ---- */

typedef struct {
  Link              *link; /* a ref */
  SoupServerMessage *msg;  /* a ref, paused */
  char              *surname;
  char              *first_names;
  char              *birth_date;
  GPtrArray         *found; /* RelaisCentralElsewhere */
} Ask;

static void
ask_free (Ask *ask)
{
  g_atomic_rc_box_release_full (ask->link, (GDestroyNotify) link_free);
  g_object_unref (ask->msg);
  g_free (ask->surname);
  g_free (ask->first_names);
  g_free (ask->birth_date);
  g_clear_pointer (&ask->found, g_ptr_array_unref);
  g_free (ask);
}

static gboolean
ask_work (RelaisCentral *conn,
          gpointer       data,
          GError       **error)
{
  Ask *ask = data;

  ask->found = relais_central_domiciled_elsewhere (conn, ask->surname, ask->first_names, ask->birth_date, error);
  return ask->found != NULL;
}

static void
ask_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  link_run (task, ((Ask *) data)->link, ask_work, data);
}

static void
build_elsewhere (JsonBuilder                  *b,
                 const RelaisCentralElsewhere *e)
{
  json_builder_begin_object (b);
  relais_hub_json_add_string (b, "organisation", e->organisation);
  relais_hub_json_add_string (b, "site", e->site);
  relais_hub_json_add_string (b, "state", e->state);
  json_builder_end_object (b);
}

/* "central": whether the site is joined to a registry; "checked": whether
 * it answered (else "message" says why not, for the desk to know the
 * answer is unknown, not "no"). */
static void
reply_elsewhere (SoupServerMessage *msg,
                 gboolean           central,
                 GPtrArray         *found,
                 const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  relais_hub_json_add_bool (b, "central", central);
  relais_hub_json_add_bool (b, "checked", central && message == NULL);
  if (message != NULL)
    relais_hub_json_add_string (b, "message", message);
  relais_hub_json_add_array (b, "elsewhere", found, (RelaisHubJsonBuildFunc) build_elsewhere);
  json_builder_end_object (b);
  _relais_hub_reply_builder (msg, b);
}

/* The centre away: the local copy answers, saying how old it is; with no
 * copy yet, the answer is "unknown for now". */
static void
reply_from_copy (Central *central,
                 Ask     *ask)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = relais_central_name_key (ask->surname, ask->first_names);
  g_autoptr(GPtrArray) copy = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *when_text = NULL;
  g_autofree char *message = NULL;
  gint64           xid = 0, pos = 0, copied_at = 0;

  if (!relais_db_central_copy_cursor (central->hub->db, &xid, &pos, &copied_at) || copied_at <= 0
      || (copy = relais_db_central_copy_lookup (central->hub->db, key, ask->birth_date, &error)) == NULL)
    {
      reply_elsewhere (ask->msg, TRUE, NULL,
                       "Le registre du département ne répond pas : impossible de savoir pour l'instant si la"
                       " personne est domiciliée ailleurs.");
      return;
    }
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_elsewhere_free);
  for (guint i = 0; i < copy->len; i++)
    {
      RelaisCentralCopyRow   *r = g_ptr_array_index (copy, i);
      RelaisCentralElsewhere *e = g_new0 (RelaisCentralElsewhere, 1);

      e->organisation = g_strdup (r->organisation);
      e->site = g_strdup (r->site);
      e->state = g_strdup (r->state);
      g_ptr_array_add (found, e);
    }
  when = g_date_time_new_from_unix_local (copied_at / 1000);
  when_text = g_date_time_format (when, "%d/%m/%Y à %H h %M");
  message = g_strdup_printf ("Le registre du département ne répond pas : réponse d'après sa copie sur ce site,"
                             " à jour au %s.",
                             when_text);
  reply_elsewhere (ask->msg, TRUE, found, message);
}

static void
ask_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(Central) central = data;
  g_autoptr(GError) error = NULL;
  Ask *ask = g_task_get_task_data (G_TASK (result));

  if (central->hub == NULL)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID))
        _relais_hub_reply_error (ask->msg, SOUP_STATUS_BAD_REQUEST, error->message);
      else
        {
          /* What went wrong stays in the hub's log: no server's name or
           * path to the console. */
          g_message ("Registre central, « domicilié ailleurs ? » : %s", error->message);
          reply_from_copy (central, ask);
        }
    }
  else
    reply_elsewhere (ask->msg, TRUE, ask->found, NULL);
  soup_server_message_unpause (ask->msg);
}

/* GET /central/elsewhere?surname=…&first_names=…&birth_date=AAAA-MM-JJ:
 * which other body of the département domiciles this person (or examines
 * their application). A single site answers "central": false. */
void
_relais_hub_handle_central_elsewhere (RelaisHub           *self,
                                      SoupServerMessage   *msg,
                                      const RelaisHubCall *call)
{
  Central    *central = central_get (self);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) form = query != NULL ? soup_form_decode (query) : NULL;
  const char *names[] = { "surname", "first_names", "birth_date" };
  const char *values[G_N_ELEMENTS (names)] = { NULL };
  g_autoptr(GTask) task = NULL;
  Ask *ask;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      values[i] = form != NULL ? g_hash_table_lookup (form, names[i]) : NULL;
      if (values[i] == NULL || *values[i] == '\0' || strlen (values[i]) > ELSEWHERE_TEXT
          || !g_utf8_validate (values[i], -1, NULL))
        {
          _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                                   "Pour savoir si la personne est domiciliée ailleurs : nom, prénom et date de"
                                   " naissance (AAAA-MM-JJ).");
          return;
        }
    }
  if (central == NULL)
    {
      reply_elsewhere (msg, FALSE, NULL, NULL);
      return;
    }
  ask = g_new0 (Ask, 1);
  ask->link = g_atomic_rc_box_acquire (central->link);
  ask->msg = g_object_ref (msg);
  ask->surname = g_strdup (values[0]);
  ask->first_names = g_strdup (values[1]);
  ask->birth_date = g_strdup (values[2]);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, ask_done, central_ref (central));
  g_task_set_task_data (task, ask, (GDestroyNotify) ask_free);
  g_task_run_in_thread (task, ask_thread);
}

/* ---- work for relais-hub-central-safe.c ---- */

typedef struct {
  Link                *link; /* a ref */
  RelaisHubCentralWork work;
  RelaisHubCentralDone done;
  gpointer             data;
  GDestroyNotify       data_free;
} Job;

static void
job_free (Job *job)
{
  g_atomic_rc_box_release_full (job->link, (GDestroyNotify) link_free);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  Job *job = data;

  link_run (task, job->link, job->work, job->data);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(Central) central = data;
  g_autoptr(GError) error = NULL;
  Job *job = g_task_get_task_data (G_TASK (result));

  g_task_propagate_boolean (G_TASK (result), &error);
  if (central->hub != NULL)
    job->done (central->hub, job->data, error);
}

gboolean
_relais_hub_central_run (RelaisHub           *self,
                         RelaisHubCentralWork work,
                         RelaisHubCentralDone done,
                         gpointer             data,
                         GDestroyNotify       data_free)
{
  Central *central = central_get (self);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (central == NULL)
    {
      if (data_free != NULL)
        data_free (data);
      return FALSE;
    }
  job = g_new0 (Job, 1);
  job->link = g_atomic_rc_box_acquire (central->link);
  job->work = work;
  job->done = done;
  job->data = data;
  job->data_free = data_free;
  task = g_task_new (NULL, NULL, job_done, central_ref (central));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
  return TRUE;
}
