/* station-print-follow.c: a print job's state and the printer's problems,
 * in plain words, with a help request when a mediator must act. */
#define G_LOG_DOMAIN "relais-station"

#include "station-print-follow.h"

#include <glib/gi18n.h>

#define POLL_MS 500

struct _StationPrintFollow
{
  int                 job_id;
  guint               poll_id;
  StationPrintUpdate  update;
  gpointer            user_data;
  StationCount        count_what;    /* counted once completed */
  guint               count_pages;
  /* Owned */
  char               *raised_reason;   /* the problem a mediator was called for */
  /* Borrowed */
  StationServices    *services;
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
  for (guint i = 0; reasons[i] != NULL; i++)
    {
      const char *text = relais_printer_reason_get_message (reasons[i]);

      /* The first problem that stops printing; warnings do not. */
      if (text != NULL)
        {
          *message = text;
          return relais_printer_reason_dup_help_reason (reasons[i]);
        }
    }
  return NULL;
}

static void
report (StationPrintFollow *self,
        const char         *css_class,
        const char         *text,
        gboolean            finished)
{
  self->update (css_class, text, finished, self->user_data);
}

/* Once per problem: a resident waiting in front of an empty tray must not
 * ring the consoles every half second. */
static void
raise_once (StationPrintFollow *self,
            const char         *reason,
            const char         *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (self->raised_reason, reason) == 0)
    return;
  g_free (self->raised_reason);
  self->raised_reason = g_strdup (reason);
  id = station_services_raise_help (self->services, "printer", NULL, reason, &error);
  if (id == NULL)
    {
      g_message ("help not raised: %s", error->message);
      report (self, "relais-status-problem", message, FALSE);
      return;
    }
  if (self->services->session != NULL)
    station_session_note_help (self->services->session, id, "printer");
  text = g_strdup_printf ("%s %s", message, _("Un médiateur a été prévenu."));
  report (self, "relais-status-problem", text, FALSE);
}

static gboolean
poll_cb (gpointer user_data)
{
  StationPrintFollow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const char *message = NULL;
  RelaisJobState state;

  state = relais_printer_get_job_state (self->services->printer, self->job_id, &error);
  if (error != NULL)
    {
      self->poll_id = 0;
      report (self, "relais-status-problem", error->message, TRUE);
      return G_SOURCE_REMOVE;
    }

  if (state == RELAIS_JOB_COMPLETED || state == RELAIS_JOB_CANCELLED)
    {
      self->poll_id = 0;
      /* Only now is it a printed page, for the session's log and the
       * monthly figures; a job cancelled or aborted never was. */
      if (state == RELAIS_JOB_COMPLETED && self->count_pages > 0 && self->services->session != NULL
          && station_session_is_active (self->services->session))
        station_session_count (self->services->session, self->count_what, self->count_pages);
      report (self, state == RELAIS_JOB_COMPLETED ? "relais-status-ok" : NULL,
              job_state_text (state), TRUE);
      return G_SOURCE_REMOVE;
    }

  /* Waiting or stopped: the printer itself may say why. */
  reason = station_print_check_printer (self->services, &message);
  if (reason != NULL)
    {
      raise_once (self, reason, message);
      return G_SOURCE_CONTINUE;
    }
  if (state == RELAIS_JOB_STOPPED || state == RELAIS_JOB_ABORTED)
    {
      raise_once (self, state == RELAIS_JOB_STOPPED ? "printer-stopped" : "printer-failed",
                  job_state_text (state));
      if (state == RELAIS_JOB_ABORTED)
        {
          self->poll_id = 0;
          report (self, "relais-status-problem", job_state_text (state), TRUE);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    }
  /* The problem went away (paper put back): say where the job is. */
  g_clear_pointer (&self->raised_reason, g_free);
  report (self, "relais-status-wait", job_state_text (state), FALSE);
  return G_SOURCE_CONTINUE;
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
  self->poll_id = g_timeout_add (POLL_MS, poll_cb, self);
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
  g_free (follow->raised_reason);
  g_free (follow);
}
