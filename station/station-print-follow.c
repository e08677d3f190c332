/* station-print-follow.c: a print job's state and the printer's problems,
 * in plain words, with a help request when a mediator must act. */

#include "station-print-follow.h"

#include <glib/gi18n.h>

#define POLL_MS 500
/* While the print server does not answer: it is being restarted, or its
 * machine is down; no need to knock twice a second. */
#define POLL_LOST_MS 2000

struct _StationPrintFollow
{
  int                 job_id;
  guint               poll_id;
  StationPrintUpdate  update;
  gpointer            user_data;
  StationCount        count_what;    /* counted once completed */
  guint               count_pages;
  /* Owned */
  GCancellable       *cancellable;     /* the poll under way, if any */
  /* Borrowed */
  StationServices    *services;

  /* The print server stopped answering while the job was followed: the
   * job may come back with it, or be lost. */
  gboolean            lost;
};

static const char *
job_state_text (RelaisJobState state)
{
  switch (state)
    {
    case RELAIS_JOB_PENDING: return _("Votre document attend son tour à l'imprimante…");
    case RELAIS_JOB_PROCESSING: return _("Impression en cours…");
    case RELAIS_JOB_HELD: return _("L'impression est en attente. Un médiateur peut vous aider.");
    case RELAIS_JOB_STOPPED: return _("L'imprimante est arrêtée. Un médiateur va vous aider.");
    case RELAIS_JOB_COMPLETED: return _("C'est imprimé. Prenez votre feuille dans l'imprimante.");
    case RELAIS_JOB_CANCELLED: return _("L'impression a été annulée.");
    case RELAIS_JOB_ABORTED: return _("L'impression a échoué. Un médiateur peut vous aider.");
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

char *
station_print_check_printer (StationServices  *services,
                             const char      **message)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;

  *message = NULL;
  if (services->printer == NULL)
    return NULL;
  reasons = relais_printer_dup_state_reasons (services->printer, &error);
  if (reasons == NULL)
    {
      g_debug ("printer state unknown: %s", error->message);
      return NULL;
    }
  return first_problem (reasons, message);
}

char *
station_print_failure_text (StationServices *services,
                            const GError    *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  /* The print server is down: nobody at the station can fix that, and
   * "prévenez un médiateur" would leave the resident to find one. */
  if (g_error_matches (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE)
      && station_services_raise_printer (services, "printer-unreachable"))
    return g_strdup (_("L'imprimante ne répond pas. Un médiateur a été prévenu : il va la remettre en marche. "
                       "Réessayez quand il vous le dit."));
  return g_strdup (error->message);
}

static void
report (StationPrintFollow *self,
        const char         *css_class,
        const char         *text,
        gboolean            finished)
{
  self->update (css_class, text, finished, self->user_data);
}

/* The station calls a mediator once per problem (station_services_raise_printer
 * ()), and says so. */
static void
report_problem (StationPrintFollow *self,
                const char         *reason,
                const char         *message,
                const char         *then)
{
  g_autofree char *text = NULL;

  if (!station_services_raise_printer (self->services, reason))
    text = g_strjoin (" ", message, then, NULL);
  else
    text = g_strjoin (" ", message, _("Un médiateur a été prévenu."), then, NULL);
  report (self, "relais-status-problem", text, FALSE);
}

/* ---- one poll, in a worker: the print server may be a machine that no
 * longer answers, and the screen must not wait for it ---- */

typedef struct {
  RelaisPrinter  *printer;
  int             job_id;
  /* results */
  RelaisJobState  state;
  GError         *error;
  char           *reason;     /* the printer's problem, as a help reason */
  const char     *message;    /* its sentence */
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
schedule (StationPrintFollow *self,
          guint               ms)
{
  g_assert (self->poll_id == 0);
  self->poll_id = g_timeout_add (ms, poll_cb, self);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = G_TASK (result);
  Poll *poll = g_task_get_task_data (task);
  StationPrintFollow *self;

  /* Freed meanwhile: the follower is gone, touch nothing of it. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;
  self = user_data;
  g_clear_object (&self->cancellable);

  if (g_error_matches (poll->error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE))
    {
      /* The print server died, or is being restarted: the job it had
       * accepted may come back with it. Not finished: sending it again now
       * could print it twice. */
      self->lost = TRUE;
      report_problem (self, "printer-unreachable", _("L'imprimante ne répond plus."),
                      _("Votre document sortira quand elle remarchera. Attendez ici."));
      schedule (self, POLL_LOST_MS);
      return;
    }
  if (g_error_matches (poll->error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_JOB) && self->lost)
    {
      /* Back, but without the job: it was lost with the server, so
       * sending it again prints it once. */
      station_services_printer_ok (self->services);
      report (self, "relais-status-problem",
              _("L'imprimante s'est arrêtée et votre document n'a pas été imprimé. "
                "Elle remarche : vous pouvez réessayer."), TRUE);
      return;
    }
  if (poll->error != NULL)
    {
      report (self, "relais-status-problem", poll->error->message, TRUE);
      return;
    }
  self->lost = FALSE;

  if (poll->state == RELAIS_JOB_COMPLETED || poll->state == RELAIS_JOB_CANCELLED)
    {
      /* Only now is it a printed page, for the session's log and the
       * monthly figures; a job cancelled or aborted never was. */
      if (poll->state == RELAIS_JOB_COMPLETED && self->count_pages > 0 && self->services->session != NULL
          && station_session_is_active (self->services->session))
        station_session_count (self->services->session, self->count_what, self->count_pages);
      if (poll->state == RELAIS_JOB_COMPLETED)
        station_services_printer_ok (self->services);
      report (self, poll->state == RELAIS_JOB_COMPLETED ? "relais-status-ok" : NULL,
              job_state_text (poll->state), TRUE);
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
      report_problem (self, poll->state == RELAIS_JOB_STOPPED ? "printer-stopped" : "printer-failed",
                      job_state_text (poll->state), NULL);
      if (poll->state == RELAIS_JOB_ABORTED)
        {
          report (self, "relais-status-problem", job_state_text (poll->state), TRUE);
          return;
        }
      schedule (self, POLL_MS);
      return;
    }
  /* The problem went away (paper put back): say where the job is. */
  station_services_printer_ok (self->services);
  report (self, "relais-status-wait", job_state_text (poll->state), FALSE);
  schedule (self, POLL_MS);
}

static gboolean
poll_cb (gpointer user_data)
{
  StationPrintFollow *self = user_data;
  g_autoptr(GTask) task = NULL;
  Poll *poll = g_new0 (Poll, 1);

  self->poll_id = 0;
  poll->printer = g_object_ref (self->services->printer);
  poll->job_id = self->job_id;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, polled_cb, self);
  g_task_set_task_data (task, poll, (GDestroyNotify) poll_free);
  g_task_run_in_thread (task, poll_thread);
  return G_SOURCE_REMOVE;
}

StationPrintFollow *
station_print_follow_new (StationServices    *services,
                          int                 job_id,
                          StationPrintUpdate  update,
                          gpointer            user_data)
{
  StationPrintFollow *self;

  g_return_val_if_fail (services != NULL && services->printer != NULL, NULL);
  g_return_val_if_fail (job_id > 0, NULL);
  g_return_val_if_fail (update != NULL, NULL);

  self = g_new0 (StationPrintFollow, 1);
  self->services = services;
  self->job_id = job_id;
  self->update = update;
  self->user_data = user_data;
  schedule (self, POLL_MS);
  report (self, "relais-status-wait", job_state_text (RELAIS_JOB_PENDING), FALSE);
  return self;
}

void
station_print_follow_count (StationPrintFollow *follow,
                            StationCount        what,
                            guint               pages)
{
  g_return_if_fail (follow != NULL);
  g_return_if_fail (what == STATION_COUNT_PAGES_PRINTED || what == STATION_COUNT_COPIES);

  follow->count_what = what;
  follow->count_pages = pages;
}

void
station_print_follow_free (StationPrintFollow *follow)
{
  if (follow == NULL)
    return;
  g_clear_handle_id (&follow->poll_id, g_source_remove);
  if (follow->cancellable != NULL)
    g_cancellable_cancel (follow->cancellable);
  g_clear_object (&follow->cancellable);
  g_free (follow);
}
