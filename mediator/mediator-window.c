/* mediator-window.c: the mediators' console: live help requests. */

#include "mediator-letter.h"
#include "mediator-window.h"
#include "mediator-labels.h"
#include "mediator-stations.h"
#include "mediator-mail.h"
#include "mediator-mail-people.h"
#include "mediator-safes.h"
#include "mediator-dashboard.h"
#include "mediator-help-outcome.h"

#include <glib/gi18n.h>

/* One row per request; rows of closed requests are removed. */
typedef struct {
  MediatorWindow    *window; /* borrowed */
  GtkWidget         *row;    /* borrowed: owned by the list */
  GtkWidget         *bell;   /* shown while ringing */
  GtkWidget         *what;
  GtkWidget         *state;
  GtkWidget         *age;
  GtkWidget         *take;
  GtkWidget         *resolve;
  GtkWidget         *dismiss;   /* for a request whose resident left */
  GtkWidget         *outcome;   /* MediatorHelpOutcome: what it was about, once taken */
  RelaisHelpRequest *request;   /* owned: the hub's latest version */
  gboolean           ringing;   /* nobody took it in time */
  gboolean           seen_sent; /* "seen" already asked of the hub */
} Row;

/* A request whose resident left stays this long, greyed, then goes. */
#define LEFT_SHOWN_MS (10 * 60 * 1000)

struct _MediatorWindow {
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkWidget           *pages; /* "login" or "queue" */
  GtkWidget           *header;
  GtkWidget           *login_entry;
  GtkWidget           *password_entry;
  GtkWidget           *login_button;
  GtkWidget           *login_message;
  GtkWidget           *logout_button;
  GtkWidget           *views;    /* "requests" or "stations" */
  GtkWidget           *requests; /* the "requests" view */
  GtkWidget           *list;
  GtkWidget           *empty;
  GtkWidget           *link_label;
  GtkWidget           *message;
  GtkWidget           *central_bar;
  GtkWidget           *central_label;

  /* Views added once the link is known (borrowed: the stack owns them) */
  GtkWidget           *stations;
  GtkWidget           *dashboard; /* staff only, NULL otherwise */

  /* Owned */
  RelaisLink          *link;
  GHashTable          *rows;     /* id → Row* */
  char                *mediator; /* display name once logged in */
  char               **partners; /* the site's, from GET /help/choices once logged in */
  GCancellable        *cancellable;
  guint                tick_id;
  /* The département's registry, from the stream; central_known FALSE
   * for a single site. Times in ms. */
  gboolean             central_known;
  gboolean             central_joined;
  gint64               central_away_since;
  gint64               central_copy_at;
  gint64               central_pending;
};

G_DEFINE_FINAL_TYPE (MediatorWindow, mediator_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void        update_empty (MediatorWindow *self);
static void        mark_all_seen (MediatorWindow *self);

/* A category this console does not know yet (a newer station's) shows as
 * nothing rather than as a code. */
static const char *
category_text (const RelaisHelpRequest *request)
{
  const char *label = mediator_help_category_label (request->category);

  return label != NULL ? label : "";
}

static char *
age_text (gint64 raised_at)
{
  gint64 seconds = MAX (0, (g_get_real_time () / 1000 - raised_at) / 1000);

  if (seconds < 60)
    return g_strdup_printf (_ ("il y a %d s"), (int) seconds);
  return g_strdup_printf (_ ("il y a %d min"), (int) (seconds / 60));
}

static void
row_free (Row *row)
{
  if (row->row != NULL)
    gtk_widget_destroy (row->row);
  g_clear_pointer (&row->request, relais_help_request_free);
  g_free (row);
}

static void
set_message (MediatorWindow *self,
             const char     *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

static void
action_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MediatorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisHelpRequest) reply = relais_link_help_action_finish (RELAIS_LINK (object), result, &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_message (self, error->message); /* e.g. "Sophie a déjà pris cette demande." */
  /* Success shows up through the live stream, like any other change. */
}

static void
send_action (MediatorWindow *self,
             const char     *id,
             RelaisHelpVerb  verb)
{
  relais_link_help_action_async (self->link, id, relais_help_verb_to_string (verb), self->cancellable,
                                 action_done_cb, g_object_ref (self));
}

void
mediator_window_take (MediatorWindow *self,
                      const char     *id)
{
  set_message (self, NULL);
  send_action (self, id, RELAIS_HELP_VERB_TAKE);
}

/* « Terminé »: with what the mediator tapped on the row, if anything. */
void
mediator_window_resolve (MediatorWindow *self,
                         const char     *id)
{
  Row                 *row = g_hash_table_lookup (self->rows, id);
  MediatorHelpOutcome *outcome = row != NULL ? MEDIATOR_HELP_OUTCOME (row->outcome) : NULL;

  set_message (self, NULL);
  if (outcome == NULL)
    {
      send_action (self, id, RELAIS_HELP_VERB_RESOLVE);
      return;
    }
  relais_link_help_resolve_async (self->link, id, mediator_help_outcome_get_need (outcome),
                                  mediator_help_outcome_get_outcome (outcome),
                                  mediator_help_outcome_get_partner (outcome),
                                  self->cancellable, action_done_cb, g_object_ref (self));
}

GtkWidget *
mediator_window_get_outcome (MediatorWindow *self,
                             const char     *id)
{
  Row *row = g_hash_table_lookup (self->rows, id);

  return row != NULL ? row->outcome : NULL;
}

/* Where the resident was, said by what the station says it is: "Sur le
 * site : caf.fr — Mon compte", "Courrier : CAF — Décision"; an older
 * station's context, which says no kind, on its own. Markup. */
static char *
context_text (const RelaisHelpRequest *request)
{
  if (request->context == NULL)
    return g_strdup ("");
  switch (request->context_kind)
    {
    case RELAIS_HELP_CONTEXT_SITE:
      return g_markup_printf_escaped (_ ("\nSur le site : %s"), request->context);
    case RELAIS_HELP_CONTEXT_LETTER:
      return g_markup_printf_escaped (_ ("\nCourrier : %s"), request->context);
    case RELAIS_HELP_CONTEXT_UNKNOWN:
    case RELAIS_HELP_N_CONTEXTS:
    default:
      return g_markup_printf_escaped ("\n%s", request->context);
    }
}

static void
row_update (Row *row)
{
  const RelaisHelpRequest *request = row->request;
  const char              *reason = request->reason;
  const char              *language = request->language;
  gboolean                 left = request->state == RELAIS_HELP_STATE_LEFT;
  gboolean                 taken = request->state == RELAIS_HELP_STATE_TAKEN;
  g_autofree char         *station = g_markup_escape_text (request->station != NULL ? request->station : "?", -1);
  /* French is the default: only another language is worth a word. */
  g_autofree char         *extra = reason != NULL ? g_markup_printf_escaped (_ (" — <i>signalé par le poste : %s</i>"), mediator_station_reason_label (reason))
                                   : language != NULL && !g_str_equal (language, "fr")
                                       ? g_markup_printf_escaped (_ (" — parle : %s"), mediator_language_name (language))
                                       : g_strdup ("");
  g_autofree char         *context = context_text (request);
  g_autofree char         *what = g_strdup_printf ("<b>%s</b> — %s%s%s", station,
                                                   category_text (request),
                                                   extra, context);
  g_autofree char         *state_text = taken && request->taken_by != NULL
                                            ? g_strdup_printf (_ ("prise par %s"), request->taken_by)
                                            : g_strdup (mediator_help_state_label (request->state));
  g_autofree char         *age = age_text (request->raised_at);

  gtk_label_set_markup (GTK_LABEL (row->what), what);
  gtk_label_set_text (GTK_LABEL (row->state), state_text);
  gtk_label_set_text (GTK_LABEL (row->age), age);
  /* An icon, not a glyph: the fonts a Debian desktop ships may lack ⏰. */
  gtk_widget_set_visible (row->bell, row->ringing && !left);
  gtk_widget_set_visible (row->take, !left && !taken);
  gtk_widget_set_visible (row->resolve, !left && taken);
  gtk_widget_set_visible (row->outcome, !left && taken);
  gtk_widget_set_visible (row->dismiss, left);
  gtk_widget_set_sensitive (row->what, !left);
}

void
mediator_window_dismiss (MediatorWindow *self,
                         const char     *id)
{
  Row *row;

  g_return_if_fail (MEDIATOR_IS_WINDOW (self));
  row = g_hash_table_lookup (self->rows, id);
  /* Only a request whose resident left: the others are the hub's to close. */
  if (row == NULL || row->request->state != RELAIS_HELP_STATE_LEFT)
    return;
  g_hash_table_remove (self->rows, id);
  update_empty (self);
}

/* A row from assets/ui/mediator-help-row.ui; its buttons activate
 * win.take, win.resolve and win.dismiss with the request's id. */
static Row *
row_new (MediatorWindow          *self,
         const RelaisHelpRequest *request)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/fr/relais/mediator/ui/mediator-help-row.ui");
  Row        *row = g_new0 (Row, 1);
  const char *id;

  row->window = self;
  row->request = relais_help_request_copy (request);
  id = row->request->id;
  row->row = GTK_WIDGET (gtk_builder_get_object (builder, "row"));
  row->bell = GTK_WIDGET (gtk_builder_get_object (builder, "bell"));
  row->what = GTK_WIDGET (gtk_builder_get_object (builder, "what"));
  row->state = GTK_WIDGET (gtk_builder_get_object (builder, "state"));
  row->age = GTK_WIDGET (gtk_builder_get_object (builder, "age"));
  row->take = GTK_WIDGET (gtk_builder_get_object (builder, "take"));
  row->resolve = GTK_WIDGET (gtk_builder_get_object (builder, "resolve"));
  row->dismiss = GTK_WIDGET (gtk_builder_get_object (builder, "dismiss"));
  row->outcome = mediator_help_outcome_new ();
  mediator_help_outcome_set_partners (MEDIATOR_HELP_OUTCOME (row->outcome), (const char * const *) self->partners);
  gtk_widget_set_no_show_all (row->outcome, TRUE);
  gtk_box_pack_start (GTK_BOX (gtk_builder_get_object (builder, "outcome_slot")), row->outcome, TRUE, TRUE, 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->take), "s", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->resolve), "s", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->dismiss), "s", id);
  /* The list owns the row once the builder is gone. */
  gtk_list_box_insert (GTK_LIST_BOX (self->list), row->row, -1);
  return row;
}

static gboolean
row_waits (Row *row)
{
  return relais_help_state_is_waiting (row->request->state);
}

guint
mediator_window_get_n_waiting (MediatorWindow *self)
{
  GHashTableIter iter;
  gpointer       value;
  guint          n = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += row_waits (value) ? 1 : 0;
  return n;
}

/* The tab says how many wait, so that a mediator on another view knows. */
static void
update_empty (MediatorWindow *self)
{
  guint            waiting = mediator_window_get_n_waiting (self);
  g_autofree char *title = waiting > 0 ? g_strdup_printf (_ ("Demandes d'aide (%u)"), waiting)
                                       : g_strdup (_ ("Demandes d'aide"));

  gtk_widget_set_visible (self->empty, g_hash_table_size (self->rows) == 0);
  if (self->requests != NULL)
    gtk_container_child_set (GTK_CONTAINER (self->views), self->requests, "title", title, NULL);
}

/* Sound, urgency and a desktop notification: a mediator busy with someone
 * else must notice without watching the screen. */
static void
alert (MediatorWindow *self,
       Row            *row,
       const char     *title)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  gtk_widget_error_bell (GTK_WIDGET (self));
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    gtk_window_set_urgency_hint (GTK_WINDOW (self), TRUE);
  /* Notifications go over the session bus; without one (a kiosk session,
   * a demo under Xvfb) GLib would log a critical: the bell and the urgency
   * hint must do. */
  if (app != NULL && g_application_get_is_registered (app)
      && g_application_get_dbus_connection (app) != NULL)
    {
      g_autoptr(GNotification) notification = g_notification_new (title);
      g_autofree char *body = g_strdup_printf ("%s — %s",
                                               row->request->station != NULL ? row->request->station : "?",
                                               category_text (row->request));

      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      g_application_send_notification (app, "relais-help", notification);
    }
}

static void
ring_cb (RelaisLink        *link,
         RelaisHelpRequest *request,
         MediatorWindow    *self)
{
  Row *row = g_hash_table_lookup (self->rows, request->id);

  if (row == NULL)
    return;
  row->ringing = TRUE;
  row_update (row);
  alert (self, row, _ ("Une demande attend toujours"));
}

gboolean
mediator_window_is_ringing (MediatorWindow *self,
                            const char     *id)
{
  Row *row = g_hash_table_lookup (self->rows, id);

  return row != NULL && row->ringing;
}

GtkWidget *
mediator_window_get_stations (MediatorWindow *self)
{
  return self->stations;
}

GtkWidget *
mediator_window_get_mail (MediatorWindow *self)
{
  return gtk_stack_get_child_by_name (GTK_STACK (self->views), "mail");
}

static void
help_changed_cb (RelaisLink        *link,
                 RelaisHelpRequest *request,
                 MediatorWindow    *self)
{
  Row *row = g_hash_table_lookup (self->rows, request->id);

  /* Closed: the row goes; one whose resident left stays a while, greyed,
   * if it was on screen. */
  if (request->state == RELAIS_HELP_STATE_RESOLVED || request->state == RELAIS_HELP_STATE_CANCELLED
      || (request->state == RELAIS_HELP_STATE_LEFT && row == NULL))
    {
      g_hash_table_remove (self->rows, request->id);
      update_empty (self);
      return;
    }
  if (row == NULL)
    {
      row = row_new (self, request);
      g_hash_table_insert (self->rows, g_strdup (request->id), row);
      if (request->state == RELAIS_HELP_STATE_RAISED)
        alert (self, row, _ ("Nouvelle demande d'aide"));
    }
  else
    {
      relais_help_request_free (row->request);
      row->request = relais_help_request_copy (request);
      if (request->state == RELAIS_HELP_STATE_TAKEN || request->state == RELAIS_HELP_STATE_LEFT)
        row->ringing = FALSE;
    }
  row_update (row);
  update_empty (self);
  /* "Vu" only if a person has the queue in front of them now. */
  mark_all_seen (self);
}

/* « depuis 10 h 42 », or « depuis le 02/12 à 10 h 42 » another day. */
static char *
central_when (gint64      ms,
              const char *today,
              const char *other_day)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *hour = g_date_time_format (when, "%H h %M");
  g_autofree char *day = NULL;

  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_strdup_printf (today, hour);
  day = g_date_time_format (when, "%d/%m");
  return g_strdup_printf (other_day, day, hour);
}

/* While the hub cannot reach the département's registry, the desk is
 * told that its answers come from the site's copy, and how old it is. */
static void
central_update (MediatorWindow *self)
{
  g_autofree char *since = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *text = NULL;
  int              n = (int) CLAMP (self->central_pending, 0, G_MAXINT);

  if (!self->central_known || self->central_joined || relais_link_get_state (self->link) != RELAIS_LINK_ONLINE)
    {
      gtk_widget_hide (self->central_bar);
      return;
    }
  since = central_when (self->central_away_since, _ ("depuis %s"), _ ("depuis le %s à %s"));
  pending = n == 0 ? g_strdup (_ ("aucun changement en attente"))
                   : g_strdup_printf (ngettext ("%d changement en attente", "%d changements en attente", n), n);
  if (self->central_copy_at > 0)
    {
      copy = central_when (self->central_copy_at, _ ("à jour de %s"), _ ("à jour du %s à %s"));
      text = g_strdup_printf (_ ("Registre du département injoignable %s — réponses d'après la copie du site (%s),"
                                 " %s"),
                              since, copy, pending);
    }
  else
    text = g_strdup_printf (_ ("Registre du département injoignable %s — pas encore de copie sur ce site : ce qui"
                               " se passe ailleurs est inconnu, %s"),
                            since, pending);
  gtk_label_set_text (GTK_LABEL (self->central_label), text);
  atk_object_set_name (gtk_widget_get_accessible (self->central_bar), text);
  gtk_widget_show (self->central_bar);
}

static void
central_cb (RelaisLink     *link,
            const char     *event,
            JsonObject     *object,
            MediatorWindow *self)
{
  self->central_known = TRUE;
  self->central_joined = json_object_get_boolean_member_with_default (object, "joined", TRUE);
  self->central_away_since = json_object_get_int_member_with_default (object, "away_since", 0);
  self->central_copy_at = json_object_get_int_member_with_default (object, "copy_at", 0);
  self->central_pending = json_object_get_int_member_with_default (object, "pending", 0);
  if (self->central_away_since <= 0)
    self->central_away_since = g_get_real_time () / 1000;
  central_update (self);
}

GtkWidget *
mediator_window_get_central (MediatorWindow *self)
{
  g_return_val_if_fail (MEDIATOR_IS_WINDOW (self), NULL);

  return self->central_bar;
}

const char *
mediator_window_get_central_text (MediatorWindow *self)
{
  g_return_val_if_fail (MEDIATOR_IS_WINDOW (self), NULL);

  return gtk_widget_get_visible (self->central_bar) ? gtk_label_get_text (GTK_LABEL (self->central_label)) : "";
}

static void
link_state_cb (RelaisLink     *link,
               GParamSpec     *pspec,
               MediatorWindow *self)
{
  const char *text;

  switch (relais_link_get_state (link))
    {
    case RELAIS_LINK_ONLINE: text = _ ("Relié au hub"); break;
    case RELAIS_LINK_CONNECTING: text = _ ("Connexion au hub…"); break;
    case RELAIS_LINK_UNAUTHORIZED: text = _ ("Console non enregistrée auprès du hub"); break;
    case RELAIS_LINK_OFFLINE:
    default: text = _ ("Hub injoignable : nouvelle tentative…"); break;
    }
  gtk_label_set_text (GTK_LABEL (self->link_label), text);
  central_update (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  MediatorWindow *self = user_data;
  gint64          now = g_get_real_time () / 1000;
  GHashTableIter  iter;
  gpointer        value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Row   *row = value;
      gint64 closed = row->request->closed_at;

      if (row->request->state == RELAIS_HELP_STATE_LEFT && closed > 0 && now - closed > LEFT_SHOWN_MS)
        g_hash_table_iter_remove (&iter);
      else
        row_update (row);
    }
  update_empty (self);
  return G_SOURCE_CONTINUE;
}

gboolean
mediator_window_queue_on_screen (MediatorWindow *self)
{
  g_return_val_if_fail (MEDIATOR_IS_WINDOW (self), FALSE);

  return self->mediator != NULL
         && gtk_widget_get_mapped (GTK_WIDGET (self))
         && gtk_window_is_active (GTK_WINDOW (self))
         && g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "queue") == 0
         && gtk_stack_get_visible_child (GTK_STACK (self->views)) == self->requests;
}

/* "Vu" tells the resident a person saw the request: only when someone is
 * logged in, the window has the focus and the queue is the view shown.
 * Called again whenever one of these changes. */
static void
mark_all_seen (MediatorWindow *self)
{
  GHashTableIter iter;
  gpointer       key, value;

  /* (rows is gone while the window is being destroyed.) */
  if (self->rows == NULL || !mediator_window_queue_on_screen (self))
    return;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Row *row = value;

      if (!row->seen_sent && row->request->state == RELAIS_HELP_STATE_RAISED)
        {
          row->seen_sent = TRUE;
          send_action (self, key, RELAIS_HELP_VERB_SEEN);
        }
    }
}

static void
on_screen_changed_cb (MediatorWindow *self)
{
  mark_all_seen (self);
  if (gtk_window_is_active (GTK_WINDOW (self)))
    gtk_window_set_urgency_hint (GTK_WINDOW (self), FALSE);
}

/* « Se connecter » waits while a login is under way. */
static void
set_login_enabled (MediatorWindow *self,
                   gboolean        enabled)
{
  GAction *login = g_action_map_lookup_action (G_ACTION_MAP (self), "login");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (login), enabled);
}

/* The site's partners for « Orienté vers… », on every row. */
static void
choices_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MediatorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  GHashTableIter iter;
  gpointer       value;

  if (reply == NULL || self->rows == NULL)
    return; /* an older hub: the taps work, « Orienté vers… » lists nobody */
  g_strfreev (self->partners);
  self->partners = relais_help_partners_from_reply (reply, &error);
  if (self->partners == NULL)
    {
      set_message (self, error->message);
      return;
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    mediator_help_outcome_set_partners (MEDIATOR_HELP_OUTCOME (((Row *) value)->outcome),
                                        (const char * const *) self->partners);
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MediatorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLoginReply) who = relais_link_login_finish (RELAIS_LINK (object), result, &error);

  set_login_enabled (self, TRUE);
  gtk_window_set_urgency_hint (GTK_WINDOW (self), FALSE);
  if (who == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->login_message),
                          g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE)
                              ? _ ("Le hub ne répond pas. Réessayez dans un instant.")
                              : error->message);
      return;
    }
  g_free (self->mediator);
  self->mediator = g_strdup (who->name);
  gtk_entry_set_text (GTK_ENTRY (self->password_entry), "");
  gtk_label_set_text (GTK_LABEL (self->login_message), "");
  gtk_header_bar_set_subtitle (GTK_HEADER_BAR (self->header), self->mediator);
  gtk_widget_show (self->logout_button);
  /* Every mediator starts on the queue. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), "requests");
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "queue");
  /* Statistics are for staff: the view exists only for them. */
  if (who->role == RELAIS_ROLE_STAFF)
    {
      self->dashboard = mediator_dashboard_new (self->link);
      gtk_stack_add_titled (GTK_STACK (self->views), self->dashboard, "statistics", _ ("Statistiques"));
      mediator_dashboard_load_month (MEDIATOR_DASHBOARD (self->dashboard), NULL);
    }
  /* Granting, refusing and radiating are a responsable's. */
  mediator_mail_people_set_responsable (MEDIATOR_MAIL_PEOPLE (mediator_mail_get_people (MEDIATOR_MAIL (mediator_window_get_mail (self)))),
                                        who->responsable);
  /* What waited while nobody was logged in, if the queue is shown. */
  mark_all_seen (self);
  relais_link_request_async (self->link, "/help/choices", NULL, self->cancellable, choices_done_cb,
                             g_object_ref (self));
}

GtkWidget *
mediator_window_get_dashboard (MediatorWindow *self)
{
  return self->dashboard;
}

void
mediator_window_show_view (MediatorWindow *self,
                           const char     *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), name);
}

void
mediator_window_login (MediatorWindow *self,
                       const char     *login,
                       const char     *password)
{
  g_return_if_fail (MEDIATOR_IS_WINDOW (self));

  set_login_enabled (self, FALSE);
  gtk_label_set_text (GTK_LABEL (self->login_message), _ ("Connexion…"));
  relais_link_login_async (self->link, login, password, self->cancellable,
                           login_done_cb, g_object_ref (self));
}

const char *
mediator_window_get_mediator (MediatorWindow *self)
{
  return self->mediator;
}

const char *
mediator_window_get_login_message (MediatorWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->login_message));
}

static void
login_activate_cb (MediatorWindow *self)
{
  mediator_window_login (self,
                         gtk_entry_get_text (GTK_ENTRY (self->login_entry)),
                         gtk_entry_get_text (GTK_ENTRY (self->password_entry)));
}

void
mediator_window_logout (MediatorWindow *self)
{
  g_return_if_fail (MEDIATOR_IS_WINDOW (self));

  relais_link_logout (self->link);
  g_clear_pointer (&self->mediator, g_free);
  if (self->dashboard != NULL)
    gtk_widget_destroy (g_steal_pointer (&self->dashboard));
  /* The next mediator finds nothing of this one's work: documents seen
   * under a consent given to them only, a safe's one-time code, a person
   * looked up, a form, a batch. (The help queue and the stations are the
   * site's.) */
  mediator_mail_reset (MEDIATOR_MAIL (mediator_window_get_mail (self)));
  mediator_safes_reset (MEDIATOR_SAFES (gtk_stack_get_child_by_name (GTK_STACK (self->views), "safes")));
  set_message (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), "requests");
  gtk_header_bar_set_subtitle (GTK_HEADER_BAR (self->header), NULL);
  gtk_widget_hide (self->logout_button);
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "login");
  gtk_widget_grab_focus (self->login_entry);
}

static void
login_entry_activate_cb (MediatorWindow *self)
{
  gtk_widget_grab_focus (self->password_entry);
}

static void
password_activate_cb (MediatorWindow *self)
{
  login_activate_cb (self);
}

static void
login_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  login_activate_cb (MEDIATOR_WINDOW (user_data));
}

/* « Je m'en occupe », « Terminé », « Retirer » on the row of request
 * @parameter (its id). */
static void
row_action_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  MediatorWindow *self = MEDIATOR_WINDOW (user_data);
  const char     *name = g_action_get_name (G_ACTION (action));
  const char     *id = g_variant_get_string (parameter, NULL);

  if (g_str_equal (name, "take"))
    mediator_window_take (self, id);
  else if (g_str_equal (name, "resolve"))
    mediator_window_resolve (self, id);
  else if (g_str_equal (name, "dismiss"))
    mediator_window_dismiss (self, id);
  else
    g_assert_not_reached ();
}

/* "Comprendre un courrier": the station's reading of a letter, at the desk. */
static void
letter_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MediatorLetter *letter = mediator_letter_new (GTK_WINDOW (user_data));

  gtk_window_present (GTK_WINDOW (letter));
}

static void
logout_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  mediator_window_logout (MEDIATOR_WINDOW (user_data));
}

guint
mediator_window_get_n_open (MediatorWindow *self)
{
  GHashTableIter iter;
  gpointer       value;
  guint          n = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((Row *) value)->request->state != RELAIS_HELP_STATE_LEFT;
  return n;
}

const char *
mediator_window_get_state (MediatorWindow *self,
                           const char     *id)
{
  Row *row = g_hash_table_lookup (self->rows, id);

  return row != NULL ? relais_help_state_to_string (row->request->state) : NULL;
}

const char *
mediator_window_get_text (MediatorWindow *self,
                          const char     *id)
{
  Row *row = g_hash_table_lookup (self->rows, id);

  return row != NULL ? gtk_label_get_text (GTK_LABEL (row->what)) : NULL;
}

const char *
mediator_window_get_message (MediatorWindow *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static void
mediator_window_dispose (GObject *object)
{
  MediatorWindow *self = MEDIATOR_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->link);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  G_OBJECT_CLASS (mediator_window_parent_class)->dispose (object);
}

static void
mediator_window_finalize (GObject *object)
{
  MediatorWindow *self = MEDIATOR_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->mediator);
  g_strfreev (self->partners);
  G_OBJECT_CLASS (mediator_window_parent_class)->finalize (object);
}

static void
mediator_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MediatorWindow *self = MEDIATOR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MediatorWindow *self = MEDIATOR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The views that need the link, and the link's signals. */
static void
mediator_window_constructed (GObject *object)
{
  MediatorWindow *self = MEDIATOR_WINDOW (object);

  G_OBJECT_CLASS (mediator_window_parent_class)->constructed (object);

  g_assert (self->link != NULL);
  self->stations = mediator_stations_new (self->link);
  gtk_stack_add_titled (GTK_STACK (self->views), self->stations, "stations", _ ("Postes"));
  gtk_stack_add_titled (GTK_STACK (self->views), mediator_mail_new (self->link), "mail", _ ("Courrier"));
  gtk_stack_add_titled (GTK_STACK (self->views), mediator_safes_new (self->link), "safes", _ ("Coffres-forts"));

  g_signal_connect_object (self->link, "help-changed", G_CALLBACK (help_changed_cb), self, 0);
  g_signal_connect_object (self->link, "notify::state", G_CALLBACK (link_state_cb), self, 0);
  g_signal_connect_object (self->link, "ring", G_CALLBACK (ring_cb), self, 0);
  g_signal_connect_object (self->link, "stream-event::central", G_CALLBACK (central_cb), self, 0);
  link_state_cb (self->link, NULL, self);
  self->tick_id = g_timeout_add_seconds (10, tick_cb, self);
  /* A stack shows the first child visible when added: say which. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), "requests");
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "login");
  gtk_widget_grab_focus (self->login_entry);
  update_empty (self);
}

static void
mediator_window_class_init (MediatorWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mediator_window_constructed;
  object_class->dispose = mediator_window_dispose;
  object_class->finalize = mediator_window_finalize;
  object_class->set_property = mediator_window_set_property;
  object_class->get_property = mediator_window_get_property;

  /* A console link (no outbox): help requests, stations, the views' calls. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, header);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, login_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, login_message);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, logout_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, views);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, requests);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, list);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, empty);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, link_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, central_bar);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, central_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorWindow, message);
  gtk_widget_class_bind_template_callback (widget_class, login_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_screen_changed_cb);
}

static void
mediator_window_init (MediatorWindow *self)
{
  /* What the buttons do, so that anything pressing them (a person, a
   * screen reader, a test) goes the same way. */
  static const GActionEntry actions[] = {
    { "login", login_action_cb },
    { "logout", logout_action_cb },
    { "letter", letter_action_cb },
    { "take", row_action_cb, "s" },
    { "resolve", row_action_cb, "s" },
    { "dismiss", row_action_cb, "s" },
  };

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) row_free);
  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_screen_changed_cb), NULL);
  g_signal_connect (self, "map", G_CALLBACK (on_screen_changed_cb), NULL);
}

MediatorWindow *
mediator_window_new (GtkApplication *application,
                     RelaisLink     *link)
{
  MediatorWindow *self;

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  self = g_object_new (MEDIATOR_TYPE_WINDOW,
                       "application", application,
                       "link", link,
                       NULL);
  gtk_widget_show (GTK_WIDGET (self));
  return self;
}
