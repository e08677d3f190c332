/* relais-scanner-sane.c: RelaisScanner over SANE, one page per call. */

#include "relais-scanner-sane-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <string.h>

static void relais_scanner_sane_iface_init (RelaisScannerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelaisScannerSane, relais_scanner_sane, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (RELAIS_TYPE_SCANNER, relais_scanner_sane_iface_init))

/* sane_init (), sane_get_devices (), sane_open () and sane_close () touch
 * the process-wide state of SANE's dll backend, which is not thread-safe. */
static GMutex relais_sane_global_lock;

static void
relais_sane_close (SANE_Handle handle)
{
  g_mutex_lock (&relais_sane_global_lock);
  sane_close (handle);
  g_mutex_unlock (&relais_sane_global_lock);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SANE_Handle, relais_sane_close, NULL)

/* ------------------------------------------------------------------------ */
/* Errors: every SANE_Status becomes a RelaisScannerError here, and only here. */

void
_relais_sane_set_error (GError    **error,
                        SANE_Status status)
{
  RelaisScannerError code;
  const char        *message;

  g_assert (status != SANE_STATUS_GOOD);

  switch (status)
    {
    case SANE_STATUS_JAMMED:
      code = RELAIS_SCANNER_ERROR_JAMMED;
      message = _ ("Le papier est coincé dans le scanner. Ouvrez le capot, "
                   "retirez la feuille doucement, puis réessayez.");
      break;
    case SANE_STATUS_NO_DOCS:
      code = RELAIS_SCANNER_ERROR_NO_DOCS;
      message = _ ("Il n'y a pas de feuille dans le scanner. Posez votre document, "
                   "face à numériser vers la vitre, puis réessayez.");
      break;
    case SANE_STATUS_COVER_OPEN:
      code = RELAIS_SCANNER_ERROR_COVER_OPEN;
      message = _ ("Le capot du scanner est ouvert. Refermez-le, puis réessayez.");
      break;
    case SANE_STATUS_DEVICE_BUSY:
      code = RELAIS_SCANNER_ERROR_BUSY;
      message = _ ("Le scanner est occupé. Attendez un moment, puis réessayez.");
      break;
    case SANE_STATUS_IO_ERROR:
      code = RELAIS_SCANNER_ERROR_IO;
      message = _ ("Le scanner ne répond plus. Vérifiez qu'il est allumé et branché, "
                   "ou appelez un médiateur.");
      break;
    case SANE_STATUS_ACCESS_DENIED:
      code = RELAIS_SCANNER_ERROR_ACCESS_DENIED;
      message = _ ("L'ordinateur n'a pas le droit d'utiliser le scanner. "
                   "Appelez un médiateur.");
      break;
    case SANE_STATUS_NO_MEM:
      code = RELAIS_SCANNER_ERROR_NO_MEM;
      message = _ ("L'ordinateur manque de mémoire pour numériser. Réessayez, "
                   "et si cela recommence, appelez un médiateur.");
      break;
    case SANE_STATUS_CANCELLED:
      code = RELAIS_SCANNER_ERROR_CANCELLED;
      message = _ ("La numérisation a été annulée.");
      break;
    case SANE_STATUS_UNSUPPORTED:
    case SANE_STATUS_INVAL:
      code = RELAIS_SCANNER_ERROR_UNSUPPORTED;
      message = _ ("Le scanner ne sait pas faire cette numérisation. Essayez un autre "
                   "réglage, ou appelez un médiateur.");
      break;
    case SANE_STATUS_GOOD:
    case SANE_STATUS_EOF:
    default:
      code = RELAIS_SCANNER_ERROR_FAILED;
      message = _ ("Le scanner a rencontré un problème. Réessayez, et si cela "
                   "recommence, appelez un médiateur.");
      break;
    }

  g_debug ("SANE status %d (%s) -> scanner error %d", status, sane_strstatus (status), code);
  g_set_error_literal (error, RELAIS_SCANNER_ERROR, code, message);
}

static void
relais_sane_set_no_device_error (GError    **error,
                                 const char *name)
{
  g_debug ("no SANE device%s%s", name != NULL ? " named " : "", name != NULL ? name : "");
  g_set_error_literal (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DEVICE,
                       _ ("Aucun scanner n'est branché. Vérifiez que le scanner est allumé "
                          "et relié à l'ordinateur, ou appelez un médiateur."));
}

void
_relais_sane_set_too_large_error (GError **error,
                                  gsize    size)
{
  g_debug ("scan would need %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT " allowed",
           size, RELAIS_SCAN_MAX_BYTES);
  g_set_error_literal (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_MEM,
                       _ ("Cette page est trop grande pour être numérisée d'un coup. "
                          "Choisissez une qualité plus basse, ou appelez un médiateur."));
}

static SANE_Status
relais_sane_ensure_init (void)
{
  static gsize       inited = 0;
  static SANE_Status status;

  if (g_once_init_enter (&inited))
    {
      SANE_Int version = 0;

      /* Never undone with sane_exit (): other handles may be open, and SANE
       * cannot be re-initialised safely while they are. */
      g_mutex_lock (&relais_sane_global_lock);
      status = sane_init (&version, NULL);
      g_mutex_unlock (&relais_sane_global_lock);
      g_debug ("sane_init: %s, SANE %d.%d.%d", sane_strstatus (status),
               SANE_VERSION_MAJOR (version), SANE_VERSION_MINOR (version),
               SANE_VERSION_BUILD (version));
      g_once_init_leave (&inited, 1);
    }

  return status;
}

/* ------------------------------------------------------------------------ */
/* Options, always looked up by name. */

/* Finds option @name and fetches its descriptor afresh: after an option
 * change reports SANE_INFO_RELOAD_OPTIONS, earlier descriptors (and option
 * numbers) may be stale, and some backends, the test backend among them,
 * refuse to set an option whose descriptor was not fetched again. */
static const SANE_Option_Descriptor *
relais_sane_find_option (SANE_Handle handle,
                         const char *name,
                         SANE_Int   *out_index)
{
  SANE_Int count = 0;

  if (sane_get_option_descriptor (handle, 0) == NULL
      || sane_control_option (handle, 0, SANE_ACTION_GET_VALUE, &count, NULL) != SANE_STATUS_GOOD)
    return NULL;

  for (SANE_Int i = 1; i < count; i++)
    {
      const SANE_Option_Descriptor *desc = sane_get_option_descriptor (handle, i);

      if (desc != NULL && desc->name != NULL && strcmp (desc->name, name) == 0)
        {
          *out_index = i;
          return desc;
        }
    }

  return NULL;
}

/* For use inside g_assert () only. */
static gboolean
relais_sane_option_is_number (const SANE_Option_Descriptor *desc)
{
  return (desc->type == SANE_TYPE_INT || desc->type == SANE_TYPE_FIXED)
         && desc->size == sizeof (SANE_Word);
}

static double
relais_sane_word_to_double (const SANE_Option_Descriptor *desc,
                            SANE_Word                     word)
{
  return desc->type == SANE_TYPE_FIXED ? SANE_UNFIX (word) : (double) word;
}

static SANE_Word
relais_sane_double_to_word (const SANE_Option_Descriptor *desc,
                            double                        value)
{
  /* SANE_Fixed is 16.16: keep SANE_FIX () away from values it cannot hold. */
  if (desc->type == SANE_TYPE_FIXED)
    return SANE_FIX (CLAMP (value, -32767.0, 32767.0));
  return (SANE_Word) CLAMP (round (value), (double) G_MININT32, (double) G_MAXINT32);
}

/* The allowed value of a number option nearest to @wanted. */
static SANE_Word
relais_sane_nearest_word (const SANE_Option_Descriptor *desc,
                          double                        wanted)
{
  g_assert (relais_sane_option_is_number (desc));

  switch (desc->constraint_type)
    {
    case SANE_CONSTRAINT_RANGE:
      {
        const SANE_Range *range = desc->constraint.range;
        gint64            word = relais_sane_double_to_word (desc, wanted);

        word = CLAMP (word, (gint64) range->min, (gint64) range->max);
        if (range->quant > 0)
          {
            gint64 steps = llround ((double) (word - range->min) / range->quant);

            word = range->min + steps * range->quant;
            if (word > range->max)
              word -= range->quant;
          }
        return (SANE_Word) word;
      }

    case SANE_CONSTRAINT_WORD_LIST:
      {
        const SANE_Word *list = desc->constraint.word_list;
        SANE_Word        best = list[0] > 0 ? list[1] : relais_sane_double_to_word (desc, wanted);

        /* list[0] is the number of values that follow. */
        for (SANE_Int i = 1; i <= list[0]; i++)
          {
            double distance = fabs (relais_sane_word_to_double (desc, list[i]) - wanted);

            if (distance < fabs (relais_sane_word_to_double (desc, best) - wanted))
              best = list[i];
          }
        return best;
      }

    case SANE_CONSTRAINT_NONE:
    case SANE_CONSTRAINT_STRING_LIST:
    default:
      return relais_sane_double_to_word (desc, wanted);
    }
}

static gboolean
relais_sane_set_value (SANE_Handle handle,
                       SANE_Int    index,
                       const char *name,
                       void       *value,
                       GError    **error)
{
  SANE_Int    info = 0;
  SANE_Status status;

  status = sane_control_option (handle, index, SANE_ACTION_SET_VALUE, value, &info);
  if (status != SANE_STATUS_GOOD)
    {
      g_debug ("setting option %s: %s", name, sane_strstatus (status));
      _relais_sane_set_error (error, status);
      return FALSE;
    }

  /* RELOAD_OPTIONS needs no action here: every access finds its option
   * again by name (relais_sane_find_option ()). */
  g_debug ("option %s set%s%s%s", name,
           (info & SANE_INFO_INEXACT) ? ", inexact" : "",
           (info & SANE_INFO_RELOAD_OPTIONS) ? ", reload options" : "",
           (info & SANE_INFO_RELOAD_PARAMS) ? ", reload parameters" : "");
  return TRUE;
}

/* Sets a settable, active, single-number option to the allowed value
 * nearest @wanted; *@out_value receives what the device took (it may round
 * once more: SANE_INFO_INEXACT). A device without such an option is no
 * error: *@out_found says whether there was one. */
static gboolean
relais_sane_set_number (SANE_Handle handle,
                        const char *name,
                        double      wanted,
                        double     *out_value,
                        gboolean   *out_found,
                        GError    **error)
{
  const SANE_Option_Descriptor *desc;
  SANE_Int                      index = 0;
  SANE_Word                     word;
  SANE_Status                   status;

  *out_found = FALSE;
  desc = relais_sane_find_option (handle, name, &index);
  if (desc == NULL
      || !SANE_OPTION_IS_ACTIVE (desc->cap)
      || !SANE_OPTION_IS_SETTABLE (desc->cap)
      || !relais_sane_option_is_number (desc))
    return TRUE;

  *out_found = TRUE;
  word = relais_sane_nearest_word (desc, wanted);
  if (!relais_sane_set_value (handle, index, name, &word, error))
    return FALSE;

  /* Read back what the device chose, through a fresh descriptor. */
  desc = relais_sane_find_option (handle, name, &index);
  if (desc == NULL || !relais_sane_option_is_number (desc))
    {
      _relais_sane_set_error (error, SANE_STATUS_INVAL);
      return FALSE;
    }
  status = sane_control_option (handle, index, SANE_ACTION_GET_VALUE, &word, NULL);
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return FALSE;
    }
  if (out_value != NULL)
    *out_value = relais_sane_word_to_double (desc, word);
  return TRUE;
}

static gboolean
relais_sane_set_string (SANE_Handle                   handle,
                        SANE_Int                      index,
                        const SANE_Option_Descriptor *desc,
                        const char                   *value,
                        GError                      **error)
{
  g_autofree char *buffer = NULL;

  g_assert (desc->type == SANE_TYPE_STRING);

  /* The backend copies up to desc->size bytes: hand it a buffer that big. */
  if (desc->size <= 0 || strlen (value) >= (gsize) desc->size)
    {
      g_set_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED,
                   _ ("La valeur « %s » est trop longue pour le réglage « %s » du scanner."),
                   value, desc->name);
      return FALSE;
    }
  buffer = g_malloc0 (desc->size);
  memcpy (buffer, value, strlen (value));

  return relais_sane_set_value (handle, index, desc->name, buffer, error);
}

typedef enum {
  RELAIS_SANE_MODE_COLOR,
  RELAIS_SANE_MODE_GRAY,
  RELAIS_SANE_MODE_LINEART,
} RelaisSaneMode;

/* Backends name their modes freely; SANE only recommends these. */
static const char * const relais_sane_mode_names[][4] = {
  [RELAIS_SANE_MODE_COLOR] = { SANE_VALUE_SCAN_MODE_COLOR, "Colour", "24bit Color", NULL },
  [RELAIS_SANE_MODE_GRAY] = { SANE_VALUE_SCAN_MODE_GRAY, "Grey", "Grayscale", "True Gray" },
  [RELAIS_SANE_MODE_LINEART] = { SANE_VALUE_SCAN_MODE_LINEART, "Binary", "Black & White", NULL },
};
static const char * const relais_sane_mode_words[][3] = {
  [RELAIS_SANE_MODE_COLOR] = { "color", "colour", NULL },
  [RELAIS_SANE_MODE_GRAY] = { "gray", "grey", NULL },
  [RELAIS_SANE_MODE_LINEART] = { "lineart", "binary", NULL },
};

/* The entry of a mode option's string list that means @mode, or NULL. */
static const char *
relais_sane_find_mode (const SANE_Option_Descriptor *desc,
                       RelaisSaneMode                mode)
{
  const SANE_String_Const *list = desc->constraint.string_list;

  g_assert (desc->constraint_type == SANE_CONSTRAINT_STRING_LIST);

  for (guint n = 0; n < G_N_ELEMENTS (relais_sane_mode_names[mode]); n++)
    for (guint i = 0; relais_sane_mode_names[mode][n] != NULL && list[i] != NULL; i++)
      if (g_ascii_strcasecmp (list[i], relais_sane_mode_names[mode][n]) == 0)
        return list[i];

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *folded = g_ascii_strdown (list[i], -1);

      for (guint w = 0; relais_sane_mode_words[mode][w] != NULL; w++)
        if (strstr (folded, relais_sane_mode_words[mode][w]) != NULL)
          return list[i];
    }

  return NULL;
}

/* Sets mode, resolution and depth for @options. A device without a mode
 * option, or without the wanted mode, scans the way it can: the frames it
 * sends say what came out, and the page is converted from them.
 * *@out_dpi receives the resolution the device really uses. */
/* The entry of the "source" option that means @source, or NULL. Backends
 * name them freely: "Automatic Document Feeder", "ADF", "ADF Front",
 * "Flatbed", "Platen"… */
static const char *
relais_sane_find_source (const SANE_Option_Descriptor *desc,
                         RelaisScanSource              source)
{
  static const char * const feeder[] = { "adf", "feeder", "automatic", NULL };
  static const char * const flatbed[] = { "flatbed", "platen", "glass", "normal", NULL };
  const char * const       *words = source == RELAIS_SCAN_SOURCE_FEEDER ? feeder : flatbed;

  if (desc->type != SANE_TYPE_STRING || desc->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    return NULL;
  for (guint i = 0; desc->constraint.string_list[i] != NULL; i++)
    {
      g_autofree char *entry = g_ascii_strdown (desc->constraint.string_list[i], -1);

      /* A duplex feeder scans both sides: not what "Chargeur" promises. */
      if (strstr (entry, "duplex") != NULL || strstr (entry, "back") != NULL)
        continue;
      for (guint w = 0; words[w] != NULL; w++)
        if (strstr (entry, words[w]) != NULL)
          return desc->constraint.string_list[i];
    }
  return NULL;
}

static gboolean
relais_scanner_sane_has_feeder (RelaisScanner *scanner)
{
  RelaisScannerSane            *self = RELAIS_SCANNER_SANE (scanner);
  const SANE_Option_Descriptor *desc;
  SANE_Int                      index = 0;
  gboolean                      found;

  /* Not during a scan: the handle is the scanning thread's. */
  if (!g_mutex_trylock (&self->scan_lock))
    return FALSE;
  desc = relais_sane_find_option (self->handle, SANE_NAME_SCAN_SOURCE, &index);
  found = desc != NULL && SANE_OPTION_IS_ACTIVE (desc->cap)
          && relais_sane_find_source (desc, RELAIS_SCAN_SOURCE_FEEDER) != NULL;
  g_mutex_unlock (&self->scan_lock);
  return found;
}

static gboolean
relais_scanner_sane_set_source (RelaisScannerSane *self,
                                RelaisScanSource   source,
                                GError           **error)
{
  const SANE_Option_Descriptor *desc;
  SANE_Int                      index = 0;
  g_autofree char              *wanted = NULL;
  g_autofree char              *current = NULL;
  const char                   *entry;

  desc = relais_sane_find_option (self->handle, SANE_NAME_SCAN_SOURCE, &index);
  entry = desc != NULL && SANE_OPTION_IS_ACTIVE (desc->cap) && SANE_OPTION_IS_SETTABLE (desc->cap)
              ? relais_sane_find_source (desc, source)
              : NULL;
  if (entry == NULL)
    {
      if (source == RELAIS_SCAN_SOURCE_FLATBED)
        return TRUE; /* a flatbed-only scanner has nothing to choose */
      g_set_error_literal (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED,
                           _ ("Ce scanner ne prend pas plusieurs feuilles d'un coup. Posez vos feuilles "
                              "une par une sur la vitre (choisissez « Une feuille »)."));
      return FALSE;
    }
  wanted = g_strdup (entry);

  /* Set only when it changes: some feeders (the test backend's among them)
   * start counting their sheets again when the source is set. */
  current = g_malloc0 (MAX (desc->size, 1) + 1);
  if (sane_control_option (self->handle, index, SANE_ACTION_GET_VALUE, current, NULL) == SANE_STATUS_GOOD
      && g_str_equal (current, wanted))
    return TRUE;
  g_debug ("%s: source %s", self->name, wanted);
  return relais_sane_set_string (self->handle, index, desc, wanted, error);
}

static gboolean
relais_scanner_sane_configure (RelaisScannerSane       *self,
                               const RelaisScanOptions *options,
                               int                     *out_dpi,
                               GError                 **error)
{
  const SANE_Option_Descriptor *desc;
  SANE_Int                      index = 0;
  gboolean                      lineart = FALSE;
  gboolean                      found = FALSE;
  double                        dpi = options->dpi;

  desc = relais_sane_find_option (self->handle, SANE_NAME_SCAN_MODE, &index);
  if (desc != NULL
      && SANE_OPTION_IS_ACTIVE (desc->cap)
      && SANE_OPTION_IS_SETTABLE (desc->cap)
      && desc->type == SANE_TYPE_STRING
      && desc->constraint_type == SANE_CONSTRAINT_STRING_LIST)
    {
      const char *mode = NULL;

      switch (options->mode)
        {
        case RELAIS_SCAN_COLOR:
          mode = relais_sane_find_mode (desc, RELAIS_SANE_MODE_COLOR);
          break;
        case RELAIS_SCAN_TEXT:
          mode = relais_sane_find_mode (desc, RELAIS_SANE_MODE_LINEART);
          lineart = mode != NULL;
          G_GNUC_FALLTHROUGH;
        case RELAIS_SCAN_GRAY:
          if (mode == NULL)
            mode = relais_sane_find_mode (desc, RELAIS_SANE_MODE_GRAY);
          break;
        default:
          g_assert_not_reached ();
        }

      if (mode != NULL)
        {
          /* Copied: setting the option may reload the descriptor it lives in. */
          g_autofree char *mode_copy = g_strdup (mode);

          g_debug ("%s: mode %s", self->name, mode_copy);
          if (!relais_sane_set_string (self->handle, index, desc, mode_copy, error))
            return FALSE;
        }
    }

  /* A source asked for explicitly wins over a pinned one, as mode and
   * resolution do: "Chargeur" on a scanner left on its glass would scan
   * the glass forever. */
  if (options->source != RELAIS_SCAN_SOURCE_DEFAULT
      && !relais_scanner_sane_set_source (self, options->source, error))
    return FALSE;

  if (!relais_sane_set_number (self->handle, SANE_NAME_SCAN_RESOLUTION, options->dpi, &dpi,
                               &found, error))
    return FALSE;
  if (!found)
    g_debug ("%s: no settable resolution, assuming %d dpi", self->name, options->dpi);

  /* We keep 8 bits of each sample: more only costs transfer time. A
   * lineart mode chooses its own depth. */
  if (!lineart && !g_hash_table_contains (self->pinned, SANE_NAME_BIT_DEPTH)
      && !relais_sane_set_number (self->handle, SANE_NAME_BIT_DEPTH, 8, NULL, &found, error))
    return FALSE;

  *out_dpi = MAX (1, (int) lround (dpi));
  g_debug ("%s: %d dpi asked, %g dpi used", self->name, options->dpi, dpi);
  return TRUE;
}

static void
relais_scanner_sane_cancelled_cb (GCancellable *cancellable,
                                  gpointer      user_data)
{
  /* The SANE standard allows sane_cancel () from another thread (or a
   * signal handler) while sane_read () blocks; the read then returns
   * SANE_STATUS_CANCELLED. */
  sane_cancel ((SANE_Handle) user_data);
}

/* ------------------------------------------------------------------------ */
/* Ending a page without racing the backend's reader.
 *
 * Backends built on sanei_thread read the device in a thread of ours and
 * stop it with pthread_cancel () in asynchronous mode, from sane_cancel ()
 * and, in the test backend, from the sane_read () that returns a frame's
 * last bytes. Landing while the reader, its page sent, frees its buffer or
 * exits, that cancellation kills it holding a lock of the C library's (a
 * malloc arena, the locale lock), and the next thread to need that lock
 * hangs for ever, sane_cancel () or exit () with it: seen with the test
 * backend once the PDF writer's threads were added, in about one station
 * test run in five. So the threads sane_start () started are given a
 * bounded time to end by themselves before the last read of a frame (once
 * what remains fits in the pipe between them, they can finish writing)
 * and before sane_cancel () after a page that ended on a device status; a
 * reader still blocked writing when the time is up is safe to cancel. A
 * person's "Annuler" still cancels at once. */

#define RELAIS_SANE_READER_GRACE_US (250 * G_TIME_SPAN_MILLISECOND)

/* The ids of this process's threads (Linux); empty elsewhere. */
static GArray *
relais_scanner_sane_list_threads (void)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      gint64 id = g_ascii_strtoll (name, NULL, 10);

      if (id > 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
relais_scanner_sane_thread_listed (GArray *ids,
                                   gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

SANE_Status
_relais_scanner_sane_start (RelaisScannerSane *self)
{
  g_autoptr(GArray) before = relais_scanner_sane_list_threads ();
  g_autoptr(GArray) after = NULL;
  SANE_Status status = sane_start (self->handle);

  after = relais_scanner_sane_list_threads ();
  for (guint i = 0; i < after->len; i++)
    {
      gint64 id = g_array_index (after, gint64, i);

      if (!relais_scanner_sane_thread_listed (before, id) && self->readers_lingered < 3)
        g_array_append_val (self->reader_threads, id);
    }
  if (self->reader_threads->len > 0)
    g_debug ("%s: sane_start () started %u thread(s), the first %" G_GINT64_FORMAT, self->name,
             self->reader_threads->len, g_array_index (self->reader_threads, gint64, 0));
  return status;
}

gboolean
_relais_scanner_sane_let_readers_finish (RelaisScannerSane *self)
{
  gint64   start = g_get_monotonic_time ();
  gint64   deadline = start + RELAIS_SANE_READER_GRACE_US;
  gboolean ended = TRUE;

  for (guint i = 0; i < self->reader_threads->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%" G_GINT64_FORMAT,
                                               g_array_index (self->reader_threads, gint64, i));

      while (g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
        g_usleep (200);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_debug ("%s: a reader thread still runs after %d ms", self->name,
                   (int) (RELAIS_SANE_READER_GRACE_US / G_TIME_SPAN_MILLISECOND));
          ended = FALSE;
        }
    }
  if (self->reader_threads->len > 0)
    g_debug ("%s: waited %" G_GINT64_FORMAT " µs for the reader to end", self->name,
             g_get_monotonic_time () - start);
  /* Ended threads need no more waiting for. */
  g_array_set_size (self->reader_threads, 0);
  return ended;
}

/* Ends the page: SANE wants sane_cancel () before the next sane_start (),
 * error or not. */
static void
relais_scanner_sane_end_page (RelaisScannerSane *self,
                              GCancellable      *cancellable)
{
  if (!g_cancellable_is_cancelled (cancellable))
    _relais_scanner_sane_let_readers_finish (self);
  sane_cancel (self->handle);
  g_array_set_size (self->reader_threads, 0);
}

static RelaisPage *
relais_scanner_sane_scan_page (
    RelaisScanner           *scanner,
    const RelaisScanOptions *options,
    RelaisScanProgress       progress_func,
    gpointer                 progress_data,
    GCancellable            *cancellable,
    GError                 **error)
{
  RelaisScannerSane *self = RELAIS_SCANNER_SANE (scanner);
  RelaisProgress     progress = { progress_func, progress_data, 0, 0, -1, 0 };
  RelaisPage        *page = NULL;
  SANE_Parameters    params;
  SANE_Status        status;
  gulong             handler_id = 0;
  int                dpi = options->dpi;

  if (!g_mutex_trylock (&self->scan_lock))
    {
      g_set_error_literal (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_BUSY,
                           _ ("Le scanner est déjà en train de numériser. Attendez la fin, "
                              "puis réessayez."));
      return NULL;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      _relais_sane_set_error (error, SANE_STATUS_CANCELLED);
      goto out;
    }

  if (!relais_scanner_sane_configure (self, options, &dpi, error))
    goto out;

  status = _relais_scanner_sane_start (self);
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      relais_scanner_sane_end_page (self, cancellable);
      goto out;
    }

  /* The size to expect, for the progress: a three-pass scanner's first
   * frame is a third of the page. */
  if (sane_get_parameters (self->handle, &params) == SANE_STATUS_GOOD && params.lines > 0)
    progress.expected = (gsize) params.lines * (gsize) params.bytes_per_line
                        * (_relais_frame_channel_index (params.format) >= 0 ? 3 : 1);

  if (cancellable != NULL)
    handler_id = g_cancellable_connect (cancellable, G_CALLBACK (relais_scanner_sane_cancelled_cb),
                                        self->handle, NULL);
  page = _relais_scanner_sane_read_page (self, options, dpi, &progress, cancellable, error);
  /* Waits for a handler running in another thread to return. */
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler_id);

  relais_scanner_sane_end_page (self, cancellable);

out:
  g_mutex_unlock (&self->scan_lock);
  return page;
}

static const char *
relais_scanner_sane_get_label (RelaisScanner *scanner)
{
  return RELAIS_SCANNER_SANE (scanner)->label;
}

static void
relais_scanner_sane_iface_init (RelaisScannerInterface *iface)
{
  iface->get_label = relais_scanner_sane_get_label;
  iface->scan_page = relais_scanner_sane_scan_page;
  iface->has_feeder = relais_scanner_sane_has_feeder;
}

static void
relais_scanner_sane_finalize (GObject *object)
{
  RelaisScannerSane *self = RELAIS_SCANNER_SANE (object);

  g_clear_pointer (&self->handle, relais_sane_close);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->pinned, g_hash_table_unref);
  g_mutex_clear (&self->scan_lock);
  g_clear_pointer (&self->reader_threads, g_array_unref);
  g_clear_pointer (&self->spare, _relais_frame_spare_close);

  G_OBJECT_CLASS (relais_scanner_sane_parent_class)->finalize (object);
}

static void
relais_scanner_sane_class_init (RelaisScannerSaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relais_scanner_sane_finalize;
}

static void
relais_scanner_sane_init (RelaisScannerSane *self)
{
  g_mutex_init (&self->scan_lock);
  self->reader_threads = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->spare = _relais_frame_spare_new ();
  self->pinned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ------------------------------------------------------------------------ */
/* Public API */

/**
 * relais_scanner_sane_new:
 * @device: (nullable): a SANE device name, or %NULL or "" for the first one
 *
 * Returns: (transfer full): the scanner, holding the device open until it
 *   is finalized; or %NULL with @error set (NO_DEVICE when there is none).
 */
RelaisScanner *
relais_scanner_sane_new (const char *device,
                         GError    **error)
{
  g_auto(SANE_Handle) handle = NULL;
  g_autoptr(RelaisScannerSane) self = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  SANE_Status      status;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  status = relais_sane_ensure_init ();
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return NULL;
    }

  g_mutex_lock (&relais_sane_global_lock);
  if (device == NULL || *device == '\0')
    {
      const SANE_Device **devices = NULL;

      /* No device named: probe (possibly the network too) and take the first. */
      status = sane_get_devices (&devices, SANE_FALSE);
      if (status == SANE_STATUS_GOOD && devices != NULL && devices[0] != NULL)
        {
          name = g_strdup (devices[0]->name);
          label = g_strdup_printf ("%s %s", devices[0]->vendor, devices[0]->model);
        }
    }
  else
    {
      /* A named device is opened without a probe, which can take seconds. */
      name = g_strdup (device);
      label = g_strdup (device);
    }

  if (name != NULL)
    {
      status = sane_open (name, &handle);
      /* Not ours to close unless the open succeeded. */
      if (status != SANE_STATUS_GOOD)
        handle = NULL;
    }
  g_mutex_unlock (&relais_sane_global_lock);

  if (name == NULL)
    {
      relais_sane_set_no_device_error (error, NULL);
      return NULL;
    }
  if (status == SANE_STATUS_INVAL || status == SANE_STATUS_UNSUPPORTED)
    {
      /* The dll backend's way of saying "no such device". */
      relais_sane_set_no_device_error (error, name);
      return NULL;
    }
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return NULL;
    }

  g_debug ("opened SANE device %s (%s)", name, label);
  self = g_object_new (RELAIS_TYPE_SCANNER_SANE, NULL);
  self->handle = g_steal_pointer (&handle);
  self->name = g_steal_pointer (&name);
  self->label = g_steal_pointer (&label);

  return RELAIS_SCANNER (g_steal_pointer (&self));
}

/**
 * relais_scanner_sane_list:
 *
 * Returns: (transfer full): the names of the devices SANE finds now
 *   (possibly none), or %NULL with @error set.
 */
GStrv
relais_scanner_sane_list (GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const SANE_Device **devices = NULL;
  SANE_Status         status;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  status = relais_sane_ensure_init ();
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return NULL;
    }

  g_mutex_lock (&relais_sane_global_lock);
  status = sane_get_devices (&devices, SANE_FALSE);
  /* The list belongs to SANE and lives until the next call: copy it under the lock. */
  for (guint i = 0; status == SANE_STATUS_GOOD && devices != NULL && devices[i] != NULL; i++)
    g_strv_builder_add (builder, devices[i]->name);
  g_mutex_unlock (&relais_sane_global_lock);

  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static gboolean
relais_parse_bool (const char *value,
                   SANE_Bool  *out)
{
  static const char * const yes[] = { "yes", "true", "1", "on", "oui", NULL };
  static const char * const no[] = { "no", "false", "0", "off", "non", NULL };

  for (guint i = 0; yes[i] != NULL; i++)
    if (g_ascii_strcasecmp (value, yes[i]) == 0)
      {
        *out = SANE_TRUE;
        return TRUE;
      }
  for (guint i = 0; no[i] != NULL; i++)
    if (g_ascii_strcasecmp (value, no[i]) == 0)
      {
        *out = SANE_FALSE;
        return TRUE;
      }
  return FALSE;
}

static gboolean
relais_scanner_sane_apply_option (RelaisScannerSane *self,
                                  const char        *name,
                                  const char        *value,
                                  GError           **error)
{
  const SANE_Option_Descriptor *desc;
  SANE_Int                      index = 0;

  desc = relais_sane_find_option (self->handle, name, &index);
  if (desc == NULL)
    {
      g_set_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED,
                   _ ("Le scanner n'a pas de réglage « %s »."), name);
      return FALSE;
    }
  if (!SANE_OPTION_IS_ACTIVE (desc->cap) || !SANE_OPTION_IS_SETTABLE (desc->cap))
    {
      g_set_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED,
                   _ ("Le réglage « %s » du scanner ne peut pas être changé maintenant."), name);
      return FALSE;
    }

  switch (desc->type)
    {
    case SANE_TYPE_BOOL:
      {
        SANE_Bool flag;

        if (desc->size != sizeof (SANE_Word) || !relais_parse_bool (value, &flag))
          break;
        return relais_sane_set_value (self->handle, index, name, &flag, error);
      }

    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED:
      {
        char    *end = NULL;
        double   number = g_ascii_strtod (value, &end);
        gboolean found = FALSE;

        if (!relais_sane_option_is_number (desc) || end == value || *end != '\0'
            || !isfinite (number))
          break;
        /* Checked above: the option exists, so found comes back TRUE. */
        return relais_sane_set_number (self->handle, name, number, NULL, &found, error);
      }

    case SANE_TYPE_STRING:
      {
        if (desc->constraint_type == SANE_CONSTRAINT_STRING_LIST)
          {
            const SANE_String_Const *list = desc->constraint.string_list;
            g_autofree char         *entry = NULL;

            for (guint i = 0; list[i] != NULL && entry == NULL; i++)
              if (g_ascii_strcasecmp (list[i], value) == 0)
                entry = g_strdup (list[i]);
            if (entry == NULL)
              break;
            return relais_sane_set_string (self->handle, index, desc, entry, error);
          }
        return relais_sane_set_string (self->handle, index, desc, value, error);
      }

    case SANE_TYPE_BUTTON:
      return relais_sane_set_value (self->handle, index, name, NULL, error);

    case SANE_TYPE_GROUP:
    default:
      break;
    }

  g_set_error (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_UNSUPPORTED,
               _ ("La valeur « %s » ne convient pas au réglage « %s » du scanner."),
               value, name);
  return FALSE;
}

gboolean
relais_scanner_sane_set_option_string (RelaisScanner *scanner,
                                       const char    *name,
                                       const char    *value,
                                       GError       **error)
{
  RelaisScannerSane *self;
  gboolean           ok;

  g_return_val_if_fail (RELAIS_IS_SCANNER_SANE (scanner), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = RELAIS_SCANNER_SANE (scanner);
  if (!g_mutex_trylock (&self->scan_lock))
    {
      g_set_error_literal (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_BUSY,
                           _ ("Le scanner est déjà en train de numériser. Attendez la fin, "
                              "puis réessayez."));
      return FALSE;
    }

  ok = relais_scanner_sane_apply_option (self, name, value, error);
  if (ok)
    g_hash_table_add (self->pinned, g_strdup (name));

  g_mutex_unlock (&self->scan_lock);
  return ok;
}
