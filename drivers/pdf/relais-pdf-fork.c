/* relais-pdf-fork.c: a piece of one page's encoding run beside the rest,
 * on another core when one is free.
 *
 * Why: the writer encodes a page per core, which keeps every core busy in
 * the middle of a pile; but a single sheet (most scans at the station)
 * and the last of a pile are encoded by one thread while the other cores
 * wait. The encoders split their longest passes in two: the second half
 * is offered to a helper thread, the first is done at once, and the half
 * no helper has started by then is done by the page's own thread. When
 * every core is busy nothing waits for a helper and nothing is lost but a
 * queue push. */
#include "relais-pdf-private.h"

struct _RelaisPdfFork {
  gatomicrefcount ref;
  GMutex          lock;
  GCond           done_cond;
  int             state; /* atomic: RELAIS_FORK_* */
  gboolean        done;  /* with @lock */
  GFunc           func;
  gpointer        data;
};

enum {
  RELAIS_FORK_QUEUED,
  RELAIS_FORK_TAKEN,
};

static void
relais_pdf_fork_unref (RelaisPdfFork *fork)
{
  if (!g_atomic_ref_count_dec (&fork->ref))
    return;
  g_mutex_clear (&fork->lock);
  g_cond_clear (&fork->done_cond);
  g_free (fork);
}

static void
relais_pdf_fork_run (RelaisPdfFork *fork)
{
  fork->func (fork->data, NULL);
  g_mutex_lock (&fork->lock);
  fork->done = TRUE;
  g_cond_signal (&fork->done_cond);
  g_mutex_unlock (&fork->lock);
}

/* In a helper thread: the piece, unless its page's thread took it back. */
static void
relais_pdf_fork_helper (gpointer data,
                        gpointer user_data)
{
  RelaisPdfFork *fork = data;

  if (g_atomic_int_compare_and_exchange (&fork->state, RELAIS_FORK_QUEUED, RELAIS_FORK_TAKEN))
    relais_pdf_fork_run (fork);
  relais_pdf_fork_unref (fork);
}

/* One helper fewer than the cores: with the page's own thread, one
 * thread a core (none on a single core: every piece is then done in its
 * page's thread). Shared by every writer of the process. */
static GThreadPool *
relais_pdf_fork_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      int          helpers = CLAMP (g_get_num_processors (), 1, 4) - 1;
      GThreadPool *made = helpers > 0 ? g_thread_pool_new (relais_pdf_fork_helper, NULL, helpers, FALSE, NULL) : NULL;

      g_once_init_leave (&pool, made != NULL ? made : GINT_TO_POINTER (1));
    }
  return pool == GINT_TO_POINTER (1) ? NULL : pool;
}

/**
 * relais_pdf_fork:
 *
 * Offers @func (@data, NULL) to a helper thread; relais_pdf_fork_join ()
 * then has it done, by the helper or by the caller.
 */
RelaisPdfFork *
relais_pdf_fork (GFunc    func,
                 gpointer data)
{
  RelaisPdfFork *fork = g_new0 (RelaisPdfFork, 1);
  GThreadPool   *pool = relais_pdf_fork_pool ();

  g_atomic_ref_count_init (&fork->ref);
  g_mutex_init (&fork->lock);
  g_cond_init (&fork->done_cond);
  fork->state = RELAIS_FORK_QUEUED;
  fork->func = func;
  fork->data = data;
  if (pool != NULL)
    {
      g_atomic_ref_count_inc (&fork->ref);
      /* Non-exclusive pools never fail to take a task. */
      g_thread_pool_push (pool, fork, NULL);
    }
  return fork;
}

/* Returns once @fork's piece is done: by the caller if no helper has
 * started it, else when the helper has finished it. */
void
relais_pdf_fork_join (RelaisPdfFork *fork)
{
  if (g_atomic_int_compare_and_exchange (&fork->state, RELAIS_FORK_QUEUED, RELAIS_FORK_TAKEN))
    relais_pdf_fork_run (fork);
  g_mutex_lock (&fork->lock);
  while (!fork->done)
    g_cond_wait (&fork->done_cond, &fork->lock);
  g_mutex_unlock (&fork->lock);
  relais_pdf_fork_unref (fork);
}
