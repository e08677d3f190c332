/* relais-speech.c: espeak-ng. Into memory, synchronous mode: samples and
 * word events collected by the synthesis callback. Aloud, espeak-ng's own
 * output (pcaudiolib: PulseAudio/PipeWire or ALSA), its word events
 * arriving as each word is played, carried to the main context. Pause is
 * a stop that keeps the last word told; resume speaks on from there.
 * With no sound card espeak-ng's output fails on its own thread and says
 * nothing (no word, no end, ever): a watchdog on the events turns that
 * silence into "failed" and "finished", so the page never waits. */
#include "relais-speech.h"

#include <espeak-ng/espeak_ng.h>
#include <string.h>

G_DEFINE_QUARK (relais-speech-error-quark, relais_speech_error);

/* The longest wait for the next event while speaking: the first word comes
 * within 1 s of the call on a working output, and no word of a letter
 * lasts seconds even at the slowest rate. */
#define SILENCE_LIMIT_MS 4000

/* One engine per process: its mode, voice and rate are global. */
static GMutex engine_lock;
static int    engine_mode = -1; /* espeak_ng_OUTPUT_MODE, or -1 before */

const char *
relais_speech_voice (const char *language)
{
  static const char * const voices[] = { "fr", "en", "ar", "es", "pt", "ro", "tr" };

  for (gsize i = 0; i < G_N_ELEMENTS (voices); i++)
    if (g_strcmp0 (language, voices[i]) == 0)
      return voices[i];
  return NULL;
}

/* Under engine_lock. */
static gboolean
engine_prepare (espeak_ng_OUTPUT_MODE mode, const char *language, int rate, GError **error)
{
  const char      *voice = relais_speech_voice (language);
  espeak_ng_STATUS status;

  if (engine_mode < 0)
    {
      espeak_ng_InitializePath (NULL);
      status = espeak_ng_Initialize (NULL);
      if (status != ENS_OK)
        {
          g_set_error_literal (error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_ENGINE,
                               "The speech engine's data is missing");
          return FALSE;
        }
      engine_mode = 0;
    }
  if (engine_mode != (int) mode)
    {
      /* Into memory: 100 ms buffers, so that the first word comes soon. */
      status = espeak_ng_InitializeOutput (mode, 100, NULL);
      if (status != ENS_OK)
        {
          engine_mode = 0;
          g_set_error_literal (error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_AUDIO,
                               "No sound output");
          return FALSE;
        }
      engine_mode = (int) mode;
    }
  if (voice == NULL || espeak_ng_SetVoiceByName (voice) != ENS_OK)
    {
      g_set_error (error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_VOICE,
                   "No voice for “%s”", language != NULL ? language : "");
      return FALSE;
    }
  espeak_ng_SetParameter (espeakRATE, CLAMP (rate, RELAIS_SPEECH_RATE_SLOWEST, RELAIS_SPEECH_RATE_FASTEST), 0);
  return TRUE;
}

/* espeak-ng counts characters from 1; we give byte offsets. */
static int
char_to_byte (const char *text, int chars)
{
  const char *p = text;

  for (int i = 0; i < chars && *p != '\0'; i++)
    p = g_utf8_next_char (p);
  return (int) (p - text);
}

/* ------------------------------------------------------------------------ */
/* Into memory */

typedef struct
{
  const char *text;   /* from the start given */
  int         offset; /* that start */
  GArray     *samples;
  GArray     *words;
  gint64      started;
  gint64      first_sound;
  int         rate;
} Buffer;

static int
buffer_cb (short *wav, int n, espeak_EVENT *events)
{
  Buffer *buffer = events != NULL ? events->user_data : NULL;

  if (buffer == NULL)
    return 0;
  for (espeak_EVENT *e = events; e->type != espeakEVENT_LIST_TERMINATED; e++)
    if (e->type == espeakEVENT_WORD)
      {
        RelaisSpeechWord word;

        word.start = buffer->offset + char_to_byte (buffer->text, e->text_position - 1);
        word.end = buffer->offset + char_to_byte (buffer->text, e->text_position - 1 + e->length);
        word.sample = (int) ((gint64) e->audio_position * buffer->rate / 1000);
        /* A voice switching language for a foreign word (ro, tr reading
         * French names) may count again from 0: the highlight never goes
         * back. */
        if (buffer->words->len > 0 && word.start < g_array_index (buffer->words, RelaisSpeechWord, buffer->words->len - 1).start)
          continue;
        g_array_append_val (buffer->words, word);
      }
  if (wav != NULL && n > 0)
    {
      if (buffer->first_sound == 0)
        for (int i = 0; i < n; i++)
          if (ABS (wav[i]) > 64)
            {
              buffer->first_sound = g_get_monotonic_time ();
              break;
            }
      g_array_append_vals (buffer->samples, wav, (guint) n);
    }
  return 0;
}

gboolean
relais_speech_synthesize (const char *text,
                          int         start,
                          const char *language,
                          int         rate,
                          GArray    **out_samples,
                          GArray    **out_words,
                          int        *out_rate,
                          gint64     *out_first_sound_us,
                          GError    **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&engine_lock);
  Buffer           buffer = { 0 };
  espeak_ng_STATUS status;

  g_return_val_if_fail (text != NULL && start >= 0 && start <= (int) strlen (text), FALSE);
  buffer.started = g_get_monotonic_time ();
  if (!engine_prepare (ENOUTPUT_MODE_SYNCHRONOUS, language, rate, error))
    return FALSE;
  buffer.text = text + start;
  buffer.offset = start;
  buffer.samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  buffer.words = g_array_new (FALSE, FALSE, sizeof (RelaisSpeechWord));
  buffer.rate = espeak_ng_GetSampleRate ();
  espeak_SetSynthCallback (buffer_cb);
  status = espeak_ng_Synthesize (buffer.text, strlen (buffer.text) + 1, 0, POS_CHARACTER, 0,
                                 espeakCHARS_UTF8, NULL, &buffer);
  if (status == ENS_OK)
    status = espeak_ng_Synchronize ();
  espeak_SetSynthCallback (NULL);
  if (status != ENS_OK)
    {
      g_array_unref (buffer.samples);
      g_array_unref (buffer.words);
      g_set_error_literal (error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_ENGINE, "Speech failed");
      return FALSE;
    }
  *out_samples = buffer.samples;
  *out_words = buffer.words;
  *out_rate = buffer.rate;
  if (out_first_sound_us != NULL)
    *out_first_sound_us = buffer.first_sound > 0 ? buffer.first_sound - buffer.started : -1;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Aloud */

struct _RelaisSpeech {
  GObject       parent_instance;

  char         *text;
  char         *language;
  int           rate;
  int           position;   /* byte offset of the last word told */
  guint         generation; /* bumped by every stop: late events are dropped */
  gboolean      speaking;
  gboolean      paused;
  GMainContext *context;
  GSource      *watchdog; /* owned, while speaking */
};

G_DEFINE_FINAL_TYPE (RelaisSpeech, relais_speech, G_TYPE_OBJECT)

enum {
  SIGNAL_WORD,
  SIGNAL_FINISHED,
  SIGNAL_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The one speaker espeak-ng's events go to (events carry a pointer to a
 * Call, whose speech may be gone: weak). */
typedef struct
{
  GWeakRef speech;
  guint    generation;
  int      offset;
  char    *text; /* from offset */
} Call;

static void
call_free (Call *call)
{
  g_weak_ref_clear (&call->speech);
  g_free (call->text);
  g_free (call);
}

typedef struct
{
  Call    *call; /* borrowed: freed by the terminating event */
  int      type;
  int      start, end;
  gboolean last;
} Event;

static void watch (RelaisSpeech *self);
static void unwatch (RelaisSpeech *self);

static gboolean
event_in_context (gpointer user_data)
{
  Event *event = user_data;
  g_autoptr (RelaisSpeech) self = g_weak_ref_get (&event->call->speech);

  if (self != NULL && self->generation == event->call->generation)
    {
      if (event->type == espeakEVENT_WORD)
        {
          self->position = event->start;
          watch (self);
          g_signal_emit (self, signals[SIGNAL_WORD], 0, event->start, event->end);
        }
      else if (event->type == espeakEVENT_MSG_TERMINATED)
        {
          self->speaking = FALSE;
          self->position = 0;
          unwatch (self);
          g_signal_emit (self, signals[SIGNAL_FINISHED], 0, TRUE);
        }
    }
  if (event->last)
    call_free (event->call);
  g_free (event);
  return G_SOURCE_REMOVE;
}

static GMainContext *speech_context;

static int
aloud_cb (short *wav, int n, espeak_EVENT *events)
{
  (void) wav, (void) n;
  for (espeak_EVENT *e = events; e != NULL && e->type != espeakEVENT_LIST_TERMINATED; e++)
    {
      Call  *call = e->user_data;
      Event *event;

      if (call == NULL || (e->type != espeakEVENT_WORD && e->type != espeakEVENT_MSG_TERMINATED))
        continue;
      event = g_new0 (Event, 1);
      event->call = call;
      event->type = e->type;
      event->last = e->type == espeakEVENT_MSG_TERMINATED;
      if (e->type == espeakEVENT_WORD)
        {
          event->start = call->offset + char_to_byte (call->text, e->text_position - 1);
          event->end = call->offset + char_to_byte (call->text, e->text_position - 1 + e->length);
        }
      g_main_context_invoke (speech_context, event_in_context, event);
    }
  return 0;
}

static void
speak_from (RelaisSpeech *self, int start)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&engine_lock);
  g_autoptr (GError) error = NULL;
  Call *call;

  if (!engine_prepare (ENOUTPUT_MODE_SPEAK_AUDIO, self->language, self->rate, &error))
    {
      self->speaking = FALSE;
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE);
      return;
    }
  speech_context = self->context;
  call = g_new0 (Call, 1);
  g_weak_ref_init (&call->speech, self);
  call->generation = self->generation;
  call->offset = start;
  call->text = g_strdup (self->text + start);
  espeak_SetSynthCallback (aloud_cb);
  self->speaking = TRUE;
  self->paused = FALSE;
  self->position = start;
  if (espeak_ng_Synthesize (call->text, strlen (call->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                            NULL, call)
      != ENS_OK)
    {
      call_free (call);
      self->speaking = FALSE;
      g_set_error_literal (&error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_AUDIO, "No sound output");
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE);
      return;
    }
  watch (self);
}

static void
cancel (RelaisSpeech *self)
{
  unwatch (self);
  self->generation++;
  if (self->speaking)
    {
      g_mutex_lock (&engine_lock);
      if (engine_mode == ENOUTPUT_MODE_SPEAK_AUDIO)
        espeak_ng_Cancel ();
      g_mutex_unlock (&engine_lock);
    }
  self->speaking = FALSE;
}

/* Silence for SILENCE_LIMIT_MS while speaking: the output is not there. */
static gboolean
silence_cb (gpointer user_data)
{
  RelaisSpeech *self = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->watchdog, g_source_unref);
  cancel (self);
  self->paused = FALSE;
  self->position = 0;
  g_set_error_literal (&error, RELAIS_SPEECH_ERROR, RELAIS_SPEECH_ERROR_AUDIO, "No sound output");
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE);
  return G_SOURCE_REMOVE;
}

static void
unwatch (RelaisSpeech *self)
{
  if (self->watchdog != NULL)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
}

/* (Re)starts the wait for the next event, on the speech's context. */
static void
watch (RelaisSpeech *self)
{
  unwatch (self);
  self->watchdog = g_timeout_source_new (SILENCE_LIMIT_MS);
  g_source_set_callback (self->watchdog, silence_cb, self, NULL);
  g_source_attach (self->watchdog, self->context);
}

void
relais_speech_speak (RelaisSpeech *self, const char *text, int start, const char *language, int rate)
{
  g_return_if_fail (RELAIS_IS_SPEECH (self));
  g_return_if_fail (text != NULL && start >= 0 && start <= (int) strlen (text));

  cancel (self);
  g_free (self->text);
  self->text = g_strdup (text);
  g_free (self->language);
  self->language = g_strdup (language);
  self->rate = rate;
  speak_from (self, start);
}

void
relais_speech_pause (RelaisSpeech *self)
{
  g_return_if_fail (RELAIS_IS_SPEECH (self));
  if (!self->speaking)
    return;
  cancel (self);
  self->paused = TRUE;
}

void
relais_speech_resume (RelaisSpeech *self)
{
  g_return_if_fail (RELAIS_IS_SPEECH (self));
  if (!self->paused || self->text == NULL)
    return;
  speak_from (self, self->position);
}

void
relais_speech_stop (RelaisSpeech *self)
{
  gboolean was = self->speaking || self->paused;

  g_return_if_fail (RELAIS_IS_SPEECH (self));
  cancel (self);
  self->paused = FALSE;
  self->position = 0;
  if (was)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE);
}

gboolean
relais_speech_is_speaking (RelaisSpeech *self)
{
  return self->speaking;
}

gboolean
relais_speech_is_paused (RelaisSpeech *self)
{
  return self->paused;
}

void
relais_speech_set_rate (RelaisSpeech *self, int rate)
{
  g_return_if_fail (RELAIS_IS_SPEECH (self));
  self->rate = CLAMP (rate, RELAIS_SPEECH_RATE_SLOWEST, RELAIS_SPEECH_RATE_FASTEST);
  if (self->speaking)
    {
      int at = self->position;

      cancel (self);
      speak_from (self, at);
    }
}

int
relais_speech_get_rate (RelaisSpeech *self)
{
  return self->rate;
}

static void
relais_speech_finalize (GObject *object)
{
  RelaisSpeech *self = RELAIS_SPEECH (object);

  cancel (self);
  g_free (self->text);
  g_free (self->language);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (relais_speech_parent_class)->finalize (object);
}

static void
relais_speech_class_init (RelaisSpeechClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relais_speech_finalize;
  signals[SIGNAL_WORD] = g_signal_new ("word", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
relais_speech_init (RelaisSpeech *self)
{
  self->rate = RELAIS_SPEECH_RATE_NORMAL;
  self->context = g_main_context_ref_thread_default ();
}

RelaisSpeech *
relais_speech_new (void)
{
  return g_object_new (RELAIS_TYPE_SPEECH, NULL);
}
