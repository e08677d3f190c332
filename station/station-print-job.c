/* station-print-job.c: one document printed for a resident, from the page
 * cap to the last sheet out, with a mediator called when only one can
 * help. The screen never waits on the print server: the sending and every
 * poll of the job's state run in a thread. */

#include "station-print-job.h"

#include <glib/gi18n.h>

#define POLL_MS 500
/* While the print server does not answer: it is being restarted, or its
 * machine is down; no need to knock twice a second. */
#define POLL_LOST_MS 2000

struct _StationPrintJob {
  GObject          parent_instance;

  StationCount     count_what; /* counted once completed */
  guint            sheets;
  int              job_id;
  guint            poll_id;
  /* Owned */
  GCancellable    *cancellable; /* the sending or the poll under way */
  /* Borrowed */
  StationServices *services;

  gboolean         started;
  /* Cancelled or finished: no signal any more. */
  gboolean         over;
  /* The print server stopped answering while the job was followed: the
   * job may come back with it, or be lost. */
  gboolean         lost;
};

G_DEFINE_FINAL_TYPE (StationPrintJob, station_print_job, G_TYPE_OBJECT)
G_DEFINE_QUARK (station-print-job-error-quark, station_print_job_error);

enum {
  SIGNAL_STATUS,
  SIGNAL_OFFER_HELP,
  SIGNAL_SENT,
  SIGNAL_FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char *
job_state_text (RelaisJobState state)
{
  switch (state)
    {
    case RELAIS_JOB_PENDING: return _ ("Votre document attend son tour à l'imprimante…");
    case RELAIS_JOB_PROCESSING: return _ ("Impression en cours…");
    case RELAIS_JOB_HELD: return _ ("L'impression est en attente. Un médiateur peut vous aider.");
    case RELAIS_JOB_STOPPED: return _ ("L'imprimante est arrêtée. Un médiateur va vous aider.");
    case RELAIS_JOB_COMPLETED: return _ ("C'est imprimé. Prenez votre feuille dans l'imprimante.");
    case RELAIS_JOB_CANCELLED: return _ ("L'impression a été annulée.");
    case RELAIS_JOB_ABORTED: return _ ("L'impression a échoué. Un médiateur peut vous aider.");
    default: return "";
    }
}

/* The first reason in @reasons that stops printing, as a help reason, and
 * its sentence in @message; NULL when nothing stops it. */
static char *
first_problem (GStrv        reasons,
               const char **message)
{
  *message = NULL;
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    {
      const char *text = relais_printer_reason_get_message (reasons[i]);

      /* Warnings do not stop printing. */
      if (text != NULL)
        {
          *message = text;
          return relais_printer_reason_dup_help_reason (reasons[i]);
        }
    }
  return NULL;
}

static void
report (StationPrintJob *self,
        const char      *css_class,
        const char      *text)
{
  g_assert (!self->over);
  g_signal_emit (self, signals[SIGNAL_STATUS], 0, css_class, text);
}

static void
finish (StationPrintJob *self)
{
  g_assert (!self->over);
  g_assert (self->poll_id == 0);
  self->over = TRUE;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* The station calls a mediator once per problem (station_services_raise_printer
 * ()), and says so. */
static void
report_problem (StationPrintJob *self,
                const char      *reason,
                const char      *message,
                const char      *then)
{
  g_autofree char *text = NULL;

  if (!station_services_raise_printer (self->services, reason))
    text = g_strjoin (" ", message, then, NULL);
  else
    text = g_strjoin (" ", message, _ ("Un médiateur a été prévenu."), then, NULL);
  report (self, "relais-status-problem", text);
  /* Unless the station already called a mediator for it. */
  g_signal_emit (self, signals[SIGNAL_OFFER_HELP], 0, self->services->printer_problem == NULL);
}

/* ---- following: one poll at a time, in a worker, since the print server
 * may be a machine that no longer answers and the screen must not wait
 * for it ---- */

typedef struct {
  RelaisPrinter *printer;
  int            job_id;
  /* results */
  RelaisJobState state;
  GError        *error;
  char          *reason;  /* the printer's problem, as a help reason */
  const char    *message; /* its sentence */
} Poll;

static void
poll_free (Poll *poll)
{
  g_clear_object (&poll->printer);
  g_clear_error (&poll->error);
  g_free (poll->reason);
  g_free (poll);
}

static void
poll_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Poll *poll = task_data;

  poll->state = relais_printer_get_job_state (poll->printer, poll->job_id, &poll->error);
  if (poll->error == NULL && poll->state != RELAIS_JOB_COMPLETED && poll->state != RELAIS_JOB_CANCELLED)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) reasons = relais_printer_dup_state_reasons (poll->printer, &error);

      if (reasons == NULL)
        g_debug ("printer state unknown: %s", error->message);
      poll->reason = first_problem (reasons, &poll->message);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean poll_cb (gpointer user_data);

static void
schedule (StationPrintJob *self,
          guint            ms)
{
  g_assert (self->poll_id == 0);
  self->poll_id = g_timeout_add (ms, poll_cb, self);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StationPrintJob) self = g_object_ref (STATION_PRINT_JOB (source));
  Poll *poll = g_task_get_task_data (G_TASK (result));

  if (self->over)
    return;

  if (g_error_matches (poll->error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE))
    {
      /* The print server died, or is being restarted: the job it had
       * accepted may come back with it. Not finished: sending it again now
       * could print it twice. */
      self->lost = TRUE;
      report_problem (self, relais_station_reason_to_string (RELAIS_STATION_REASON_PRINTER_UNREACHABLE),
                      _ ("L'imprimante ne répond plus."),
                      _ ("Votre document sortira quand elle remarchera. Attendez ici."));
      schedule (self, POLL_LOST_MS);
      return;
    }
  if (g_error_matches (poll->error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_JOB) && self->lost)
    {
      /* Back, but without the job: it was lost with the server, so
       * sending it again prints it once. */
      station_services_printer_ok (self->services);
      report (self, "relais-status-problem",
              _ ("L'imprimante s'est arrêtée et votre document n'a pas été imprimé. "
                 "Elle remarche : vous pouvez réessayer."));
      finish (self);
      return;
    }
  if (poll->error != NULL)
    {
      report (self, "relais-status-problem", poll->error->message);
      finish (self);
      return;
    }
  self->lost = FALSE;

  if (poll->state == RELAIS_JOB_COMPLETED || poll->state == RELAIS_JOB_CANCELLED)
    {
      /* Only now is it a printed page, for the session's log and the
       * monthly figures; a job cancelled or aborted never was. */
      if (poll->state == RELAIS_JOB_COMPLETED && self->sheets > 0 && self->services->session != NULL
          && station_session_is_active (self->services->session))
        station_session_count (self->services->session, self->count_what, self->sheets);
      if (poll->state == RELAIS_JOB_COMPLETED)
        station_services_printer_ok (self->services);
      report (self, poll->state == RELAIS_JOB_COMPLETED ? "relais-status-ok" : NULL,
              job_state_text (poll->state));
      finish (self);
      return;
    }

  /* Waiting or stopped: the printer itself may say why. */
  if (poll->reason != NULL)
    {
      report_problem (self, poll->reason, poll->message, NULL);
      schedule (self, POLL_MS);
      return;
    }
  if (poll->state == RELAIS_JOB_STOPPED || poll->state == RELAIS_JOB_ABORTED)
    {
      report_problem (self, relais_station_reason_to_string (poll->state == RELAIS_JOB_STOPPED ? RELAIS_STATION_REASON_PRINTER_STOPPED : RELAIS_STATION_REASON_PRINTER_FAILED),
                      job_state_text (poll->state), NULL);
      if (poll->state == RELAIS_JOB_ABORTED)
        {
          report (self, "relais-status-problem", job_state_text (poll->state));
          finish (self);
          return;
        }
      schedule (self, POLL_MS);
      return;
    }
  /* The problem went away (paper put back): say where the job is. */
  station_services_printer_ok (self->services);
  report (self, "relais-status-wait", job_state_text (poll->state));
  schedule (self, POLL_MS);
}

static gboolean
poll_cb (gpointer user_data)
{
  StationPrintJob *self = user_data;
  g_autoptr(GTask) task = NULL;
  Poll *poll = g_new0 (Poll, 1);

  self->poll_id = 0;
  poll->printer = g_object_ref (self->services->printer);
  poll->job_id = self->job_id;
  /* The task holds the job until its answer is read (and dropped, when
   * the job was cancelled meanwhile). */
  task = g_task_new (self, NULL, polled_cb, NULL);
  g_task_set_source_tag (task, poll_cb);
  g_task_set_task_data (task, poll, (GDestroyNotify) poll_free);
  g_task_run_in_thread (task, poll_thread);
  return G_SOURCE_REMOVE;
}

/* ---- sending ---- */

/* A job that could not be sent: the sentence for the resident, owned.
 * When only a mediator can help (the print server does not answer), the
 * station calls one by itself, once per problem, and the sentence says
 * so. */
static char *
failure_text (StationServices *services,
              const GError    *error)
{
  g_assert (error != NULL);

  /* The print server is down: nobody at the station can fix that, and
   * "prévenez un médiateur" would leave the resident to find one. */
  if (g_error_matches (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE)
      && station_services_raise_printer (services, relais_station_reason_to_string (RELAIS_STATION_REASON_PRINTER_UNREACHABLE)))
    return g_strdup (_ ("L'imprimante ne répond pas. Un médiateur a été prévenu : il va la remettre en marche. "
                        "Réessayez quand il vous le dit."));
  return g_strdup (error->message);
}

static void
print_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StationPrintJob) self = user_data;
  g_autoptr(GError) error = NULL;
  int job = relais_printer_print_finish (RELAIS_PRINTER (object), result, &error);

  if (self->over)
    return;
  if (job <= 0)
    {
      g_autofree char *text = failure_text (self->services, error);

      report (self, "relais-status-problem", text);
      g_signal_emit (self, signals[SIGNAL_OFFER_HELP], 0, self->services->printer_problem == NULL);
      finish (self);
      return;
    }
  self->job_id = job;
  /* The cap counts what was sent; the log, what the printer completed. */
  if (self->services->session != NULL)
    station_session_note_sent (self->services->session, self->sheets);
  g_signal_emit (self, signals[SIGNAL_SENT], 0, job);
  if (self->over)
    return;
  schedule (self, POLL_MS);
  report (self, "relais-status-wait", job_state_text (RELAIS_JOB_PENDING));
}

gboolean
station_print_job_check (StationServices *services,
                         guint            sheets,
                         GError         **error)
{
  int   cap;
  guint done = 0;

  g_return_val_if_fail (services != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (services->printer == NULL)
    {
      g_set_error_literal (error, STATION_PRINT_JOB_ERROR, STATION_PRINT_JOB_ERROR_NO_PRINTER,
                           services->printer_error->message);
      return FALSE;
    }
  /* [printer] session-page-cap, 0 = none. */
  cap = relais_config_get_int (services->config, "printer", "session-page-cap");
  if (cap <= 0)
    return TRUE;
  if (services->session != NULL)
    done = station_session_get_sent (services->session);
  if (done + sheets > (guint) cap)
    {
      g_set_error_literal (error, STATION_PRINT_JOB_ERROR, STATION_PRINT_JOB_ERROR_CAP,
                           _ ("Vous avez atteint le nombre de pages que vous pouvez imprimer aujourd'hui. "
                              "Un médiateur peut vous aider."));
      return FALSE;
    }
  return TRUE;
}

void
station_print_job_start (StationPrintJob          *self,
                         GBytes                   *document,
                         const char               *mime_type,
                         const char               *title,
                         const RelaisPrintOptions *options)
{
  g_autoptr(GError) error = NULL;
  /* A "finished" handler may drop the caller's reference. */
  g_autoptr(StationPrintJob) hold = NULL;

  g_return_if_fail (STATION_IS_PRINT_JOB (self));
  g_return_if_fail (document != NULL);
  g_return_if_fail (!self->started);

  self->started = TRUE;
  hold = g_object_ref (self);
  if (self->over)
    return;
  if (!station_print_job_check (self->services, self->sheets, &error))
    {
      report (self, "relais-status-problem", error->message);
      g_signal_emit (self, signals[SIGNAL_OFFER_HELP], 0, TRUE);
      finish (self);
      return;
    }
  report (self, "relais-status-wait", _ ("Envoi à l'imprimante…"));
  relais_printer_print_async (self->services->printer, document, mime_type, title, options,
                              self->cancellable, print_done_cb, g_object_ref (self));
}

void
station_print_job_cancel (StationPrintJob *self)
{
  g_return_if_fail (STATION_IS_PRINT_JOB (self));

  self->over = TRUE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
}

int
station_print_job_get_id (StationPrintJob *self)
{
  g_return_val_if_fail (STATION_IS_PRINT_JOB (self), 0);

  return self->job_id;
}

StationPrintJob *
station_print_job_new (StationServices *services,
                       StationCount     what,
                       guint            sheets)
{
  StationPrintJob *self;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (what == STATION_COUNT_PAGES_PRINTED || what == STATION_COUNT_COPIES, NULL);

  self = g_object_new (STATION_TYPE_PRINT_JOB, NULL);
  self->services = services;
  self->count_what = what;
  self->sheets = sheets;
  return self;
}

static void
station_print_job_dispose (GObject *object)
{
  StationPrintJob *self = STATION_PRINT_JOB (object);

  station_print_job_cancel (self);
  G_OBJECT_CLASS (station_print_job_parent_class)->dispose (object);
}

static void
station_print_job_finalize (GObject *object)
{
  StationPrintJob *self = STATION_PRINT_JOB (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (station_print_job_parent_class)->finalize (object);
}

static void
station_print_job_class_init (StationPrintJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_print_job_dispose;
  object_class->finalize = station_print_job_finalize;

  signals[SIGNAL_STATUS] = g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_OFFER_HELP] = g_signal_new ("offer-help", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
station_print_job_init (StationPrintJob *self)
{
  self->cancellable = g_cancellable_new ();
}
