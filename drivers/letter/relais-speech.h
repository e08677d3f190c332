/* relais-speech.h: a letter read aloud with espeak-ng's C API, in the
 * station's seven languages, each word told as it is spoken. espeak-ng
 * is one engine per process: every call here goes through one lock. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAIS_SPEECH_ERROR (relais_speech_error_quark ())
GQuark relais_speech_error_quark (void);

typedef enum {
  RELAIS_SPEECH_ERROR_ENGINE = 1, /* espeak-ng or its data missing */
  RELAIS_SPEECH_ERROR_VOICE,      /* no voice for the language */
  RELAIS_SPEECH_ERROR_AUDIO,      /* no sound output */
} RelaisSpeechError;

#define RELAIS_SPEECH_RATE_SLOWEST 110
#define RELAIS_SPEECH_RATE_NORMAL  160
#define RELAIS_SPEECH_RATE_FASTEST 260

typedef struct
{
  int start, end; /* byte offsets in the text given */
  int sample;     /* where it starts in the samples */
} RelaisSpeechWord;

/* espeak-ng's voice for a station language ("fr", "ar"…); NULL if none. */
const char *relais_speech_voice (const char *language);

/* Blocking, into memory (tests, the first sound's delay): 16-bit mono
 * @out_samples at @out_rate Hz and the words in order. @text from byte
 * @start. @out_first_sound_us (nullable): from the call to the first
 * non-silent sample. */
gboolean    relais_speech_synthesize (const char *text,
                                      int         start,
                                      const char *language,
                                      int         rate,
                                      GArray    **out_samples,
                                      GArray    **out_words,
                                      int        *out_rate,
                                      gint64     *out_first_sound_us,
                                      GError    **error);

/* Played through the sound output, words told on the main context. */
#define RELAIS_TYPE_SPEECH (relais_speech_get_type ())
G_DECLARE_FINAL_TYPE (RelaisSpeech, relais_speech, RELAIS, SPEECH, GObject)

/* Signals: "word" (int start, int end: byte offsets in the text given to
 * speak), "finished" (gboolean completed: FALSE when stopped or failed),
 * "failed" (GError *: no voice, no sound). */
RelaisSpeech *relais_speech_new (void);
/* Stops what was under way, then speaks @text from byte @start. */
void          relais_speech_speak (RelaisSpeech *self,
                                   const char   *text,
                                   int           start,
                                   const char   *language,
                                   int           rate);
/* Pause keeps the place (the last word told); resume speaks on from it. */
void          relais_speech_pause (RelaisSpeech *self);
void          relais_speech_resume (RelaisSpeech *self);
void          relais_speech_stop (RelaisSpeech *self);
gboolean      relais_speech_is_speaking (RelaisSpeech *self);
gboolean      relais_speech_is_paused (RelaisSpeech *self);
/* Changes the rate; speaking goes on at the new rate from the current word. */
void          relais_speech_set_rate (RelaisSpeech *self,
                                      int           rate);
int           relais_speech_get_rate (RelaisSpeech *self);

G_END_DECLS
