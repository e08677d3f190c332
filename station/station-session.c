/* station-session.c: one resident's visit and its anonymous log. */

#include "station-session.h"

typedef struct {
  char    *id; /* the request's id: never sent in the log */
  char    *category;
  gint64   raised_at; /* µs, session clock */
  gint64   seen_at;   /* 0 until then */
  gint64   taken_at;
  gint64   resolved_at;
  gboolean closed; /* resolved or cancelled: nobody needs telling */
} HelpTiming;

struct _StationSession {
  GObject      parent_instance;

  /* Borrowed */
  RelaisLink  *link;

  /* Owned */
  GPtrArray   *help; /* HelpTiming* */
  char        *language;

  StationClock clock;
  gpointer     clock_data;
  gboolean     active;
  gint64       started_at;   /* µs, session clock */
  gint64       started_wall; /* ms since the epoch, for the log */
  gint64       last_touch;
  guint        counts[STATION_N_COUNTS];
  guint        sheets_sent; /* printed or not yet: the page cap's count */
};

enum {
  SIGNAL_STARTED,
  SIGNAL_ENDED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StationSession, station_session, G_TYPE_OBJECT)

static void
help_timing_free (HelpTiming *timing)
{
  g_free (timing->id);
  g_free (timing->category);
  g_free (timing);
}

static gint64
default_clock (gpointer data)
{
  return g_get_monotonic_time ();
}

gint64
station_session_now (StationSession *self)
{
  return self->clock (self->clock_data);
}

void
station_session_set_clock (StationSession *self,
                           StationClock    clock,
                           gpointer        data)
{
  g_return_if_fail (STATION_IS_SESSION (self));
  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = data;
}

static void
help_changed_cb (RelaisLink        *link,
                 RelaisHelpRequest *request,
                 StationSession    *self)
{
  RelaisHelpState state = request->state;
  gint64          now = station_session_now (self);

  for (guint i = 0; self->active && i < self->help->len; i++)
    {
      HelpTiming *timing = g_ptr_array_index (self->help, i);

      if (!g_str_equal (timing->id, request->id))
        continue;
      if ((state == RELAIS_HELP_STATE_SEEN || state == RELAIS_HELP_STATE_TAKEN) && timing->seen_at == 0)
        timing->seen_at = now;
      if (state == RELAIS_HELP_STATE_TAKEN && timing->taken_at == 0)
        timing->taken_at = now;
      if (state == RELAIS_HELP_STATE_RESOLVED && timing->resolved_at == 0)
        timing->resolved_at = now;
      if (!relais_help_state_is_open (state))
        timing->closed = TRUE;
    }
}

void
station_session_begin (StationSession *self,
                       const char     *language)
{
  g_return_if_fail (STATION_IS_SESSION (self));

  if (self->active)
    return;
  self->active = TRUE;
  self->started_at = self->last_touch = station_session_now (self);
  self->started_wall = g_get_real_time () / 1000;
  g_free (self->language);
  self->language = g_strdup (language != NULL ? language : "fr");
  memset (self->counts, 0, sizeof self->counts);
  self->sheets_sent = 0;
  g_ptr_array_set_size (self->help, 0);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
}

gboolean
station_session_is_active (StationSession *self)
{
  return self->active;
}

const char *
station_session_get_language (StationSession *self)
{
  return self->language;
}

void
station_session_count (StationSession *self,
                       StationCount    what,
                       guint           n)
{
  g_return_if_fail (STATION_IS_SESSION (self));
  g_return_if_fail (what < STATION_N_COUNTS);

  /* Work done outside a session (a test, a mediator at the station)
   * still belongs to one: start it. */
  if (!self->active)
    station_session_begin (self, NULL);
  self->counts[what] += n;
  station_session_touch (self);
}

void
station_session_note_sent (StationSession *self,
                           guint           sheets)
{
  g_return_if_fail (STATION_IS_SESSION (self));

  if (!self->active)
    station_session_begin (self, NULL);
  self->sheets_sent += sheets;
}

guint
station_session_get_sent (StationSession *self)
{
  g_return_val_if_fail (STATION_IS_SESSION (self), 0);
  return self->sheets_sent;
}

guint
station_session_get_count (StationSession *self,
                           StationCount    what)
{
  g_return_val_if_fail (what < STATION_N_COUNTS, 0);
  return self->counts[what];
}

void
station_session_note_help (StationSession *self,
                           const char     *id,
                           const char     *category)
{
  HelpTiming *timing;

  g_return_if_fail (STATION_IS_SESSION (self));
  if (!self->active)
    station_session_begin (self, NULL);
  /* Once per request, whoever notes it (the print follower did too). */
  for (guint i = 0; i < self->help->len; i++)
    if (g_str_equal (((HelpTiming *) g_ptr_array_index (self->help, i))->id, id))
      return;
  timing = g_new0 (HelpTiming, 1);
  timing->id = g_strdup (id);
  timing->category = g_strdup (category);
  timing->raised_at = station_session_now (self);
  g_ptr_array_add (self->help, timing);
}

void
station_session_close_help (StationSession *self,
                            const char     *id)
{
  g_return_if_fail (STATION_IS_SESSION (self));

  for (guint i = 0; id != NULL && i < self->help->len; i++)
    {
      HelpTiming *timing = g_ptr_array_index (self->help, i);

      if (g_str_equal (timing->id, id))
        timing->closed = TRUE;
    }
}

void
station_session_touch (StationSession *self)
{
  if (self->active)
    self->last_touch = station_session_now (self);
}

gint64
station_session_idle_for (StationSession *self)
{
  if (!self->active)
    return 0;
  return station_session_now (self) - self->last_touch;
}

static void
add_seconds (JsonBuilder *builder,
             const char  *member,
             gint64       from,
             gint64       to)
{
  json_builder_set_member_name (builder, member);
  if (to > 0)
    json_builder_add_int_value (builder, (to - from) / G_USEC_PER_SEC);
  else
    json_builder_add_null_value (builder);
}

static const char *
count_name (StationCount what)
{
  static const char * const names[] = {
    "pages_scanned",
    "pages_printed",
    "copies",
    "saved_usb",
    "saved_safe",
    "mail_checks",
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (names) == STATION_N_COUNTS);
  return names[what];
}

JsonObject *
station_session_dup_log (StationSession  *self,
                         StationEndReason reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 now = station_session_now (self);

  /* By construction: counts, categories, durations; no id, no name, no
   * document, nothing a resident typed. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_int_value (builder, self->started_wall);
  json_builder_set_member_name (builder, "duration_s");
  json_builder_add_int_value (builder, (now - self->started_at) / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, self->language != NULL ? self->language : "fr");
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, reason == STATION_END_TIMEOUT    ? "timeout"
                                          : reason == STATION_END_SHUTDOWN ? "shutdown"
                                                                           : "button");
  for (guint i = 0; i < STATION_N_COUNTS; i++)
    {
      json_builder_set_member_name (builder, count_name (i));
      json_builder_add_int_value (builder, self->counts[i]);
    }
  json_builder_set_member_name (builder, "help");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->help->len; i++)
    {
      HelpTiming *timing = g_ptr_array_index (self->help, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, timing->category);
      add_seconds (builder, "to_seen_s", timing->raised_at, timing->seen_at);
      add_seconds (builder, "to_taken_s", timing->raised_at, timing->taken_at);
      add_seconds (builder, "to_resolved_s", timing->raised_at, timing->resolved_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_object_ref (json_node_get_object (root));
}

void
station_session_end (StationSession  *self,
                     StationEndReason reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (STATION_IS_SESSION (self));

  if (!self->active)
    return;
  if (self->link != NULL)
    {
      /* A request still open has nobody left to help: the consoles say
       * "parti" instead of sending someone to an empty station. */
      for (guint i = 0; i < self->help->len; i++)
        {
          HelpTiming      *timing = g_ptr_array_index (self->help, i);
          JsonObject      *data;
          g_autofree char *left_key = NULL;

          if (timing->closed)
            continue;
          data = json_object_new ();
          json_object_set_string_member (data, "id", timing->id);
          left_key = relais_link_queue_event (self->link, relais_event_type_to_string (RELAIS_EVENT_HELP_LEAVE),
                                              data, &error);
          if (left_key == NULL)
            {
              g_message ("help request left open: %s", error->message);
              g_clear_error (&error);
            }
        }
      key = relais_link_queue_event (self->link, relais_event_type_to_string (RELAIS_EVENT_SESSION_END),
                                     station_session_dup_log (self, reason), &error);
      if (key == NULL)
        g_message ("session log not stored: %s", error->message);
    }
  self->active = FALSE;
  memset (self->counts, 0, sizeof self->counts);
  g_ptr_array_set_size (self->help, 0);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, reason);
}

static void
station_session_dispose (GObject *object)
{
  StationSession *self = STATION_SESSION (object);

  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  self->link = NULL;
  G_OBJECT_CLASS (station_session_parent_class)->dispose (object);
}

static void
station_session_finalize (GObject *object)
{
  StationSession *self = STATION_SESSION (object);

  g_ptr_array_unref (self->help);
  g_free (self->language);
  G_OBJECT_CLASS (station_session_parent_class)->finalize (object);
}

static void
station_session_class_init (StationSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_session_dispose;
  object_class->finalize = station_session_finalize;
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
station_session_init (StationSession *self)
{
  self->help = g_ptr_array_new_with_free_func ((GDestroyNotify) help_timing_free);
  self->clock = default_clock;
}

StationSession *
station_session_new (RelaisLink *link)
{
  StationSession *self = g_object_new (STATION_TYPE_SESSION, NULL);

  self->link = link;
  if (link != NULL)
    g_signal_connect (link, "help-changed", G_CALLBACK (help_changed_cb), self);
  return self;
}
