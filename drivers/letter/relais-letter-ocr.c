/* relais-letter-ocr.c: a page through Leptonica (the scanner's dark plate
 * cut, grey, background made white, turned straight) and Tesseract's C API
 * (LSTM engine), with its progress monitor and a cancel check. The text is
 * rebuilt word by word from the result iterator, so each word knows both
 * its box and its place in the text (what speech and the glossary need). */
#include "relais-letter.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>
#include <tesseract/capi.h>

G_DEFINE_QUARK (relais-letter-error-quark, relais_letter_error);

void
relais_letter_text_free (RelaisLetterText *text)
{
  if (text == NULL)
    return;
  g_free (text->text);
  g_clear_pointer (&text->words, g_array_unref);
  g_clear_pointer (&text->page, relais_page_unref);
  g_free (text);
}

const char *
relais_letter_tesseract_languages (const char *language)
{
  static const struct
  {
    const char *station, *tesseract;
  } map[] = {
    { "fr", "fra" },
    { "en", "eng+fra" },
    { "ar", "ara+fra" },
    { "es", "spa+fra" },
    { "pt", "por+fra" },
    { "ro", "ron+fra" },
    { "tr", "tur+fra" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (language != NULL && strcmp (language, map[i].station) == 0)
      return map[i].tesseract;
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Leptonica */

static void
pix_destroy (PIX *pix)
{
  pixDestroy (&pix);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, pix_destroy)

/* An 8-bit grey Pix of @page (luminance of a colour one). */
static PIX *
page_to_pix (const RelaisPage *page)
{
  int           width = relais_page_get_width (page), height = relais_page_get_height (page);
  int           stride = relais_page_get_stride (page);
  gboolean      rgb = relais_page_get_format (page) == RELAIS_PAGE_RGB;
  const guint8 *data = relais_page_get_data (page);
  PIX          *pix = pixCreate (width, height, 8);
  l_uint32     *lines = pixGetData (pix);
  int           wpl = pixGetWpl (pix);

  pixSetResolution (pix, relais_page_get_dpi (page), relais_page_get_dpi (page));
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = data + (gsize) y * stride;
      l_uint32     *line = lines + (gsize) y * wpl;

      for (int x = 0; x < width; x++)
        {
          int v = rgb ? (row[3 * x] * 77 + row[3 * x + 1] * 150 + row[3 * x + 2] * 29) >> 8 : row[x];

          SET_DATA_BYTE (line, x, v);
        }
    }
  return pix;
}

static RelaisPage *
pix_to_page (PIX *pix, int dpi)
{
  int       width = (int) pixGetWidth (pix), height = (int) pixGetHeight (pix);
  l_uint32 *lines = pixGetData (pix);
  int       wpl = pixGetWpl (pix);
  guint8   *out = g_malloc ((gsize) width * height);
  guint8    level[256];

  /* The background was brought to 200 for Tesseract; shown, paper is white. */
  for (int v = 0; v < 256; v++)
    level[v] = (guint8) MIN (255, v * 255 / 200);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      out[(gsize) y * width + x] = level[GET_DATA_BYTE (lines + (gsize) y * wpl, x)];
  return relais_page_new (RELAIS_PAGE_GRAY, width, height, width, dpi,
                          g_bytes_new_take (out, (gsize) width * height));
}

/* ------------------------------------------------------------------------ */
/* Tesseract's monitor */

typedef struct
{
  GCancellable        *cancellable;
  RelaisLetterProgress progress;
  gpointer             progress_data;
  int                  last;
} Monitor;

static bool
monitor_cancel (void *cancel_this, int words)
{
  Monitor *monitor = cancel_this;

  (void) words;
  return g_cancellable_is_cancelled (monitor->cancellable);
}

static bool
monitor_progress (ETEXT_DESC *desc, int left, int right, int top, int bottom)
{
  Monitor *monitor = TessMonitorGetCancelThis (desc);
  int      percent = TessMonitorGetProgress (desc);

  (void) left, (void) right, (void) top, (void) bottom;
  /* The page's preparation counted as the first 10 %. */
  percent = 10 + CLAMP (percent, 0, 100) * 9 / 10;
  if (monitor->progress != NULL && percent > monitor->last)
    {
      monitor->last = percent;
      monitor->progress (percent, monitor->progress_data);
    }
  return true;
}

/* ------------------------------------------------------------------------ */

RelaisLetterText *
relais_letter_read (RelaisPage          *page,
                    const char          *languages,
                    GCancellable        *cancellable,
                    RelaisLetterProgress progress,
                    gpointer             progress_data,
                    GError             **error)
{
  g_autoptr (RelaisPage) trimmed = relais_page_trim_dark_borders (page);
  g_autoptr (PIX) grey = page_to_pix (trimmed);
  g_autoptr (PIX) clean = NULL;
  g_autoptr (PIX) straight = NULL;
  g_autoptr (RelaisLetterText) result = NULL;
  Monitor             monitor = { cancellable, progress, progress_data, 0 };
  TessBaseAPI        *api;
  ETEXT_DESC         *desc;
  TessResultIterator *it;
  GString            *text;
  float               angle = 0, confidence = 0;
  int                 dpi = relais_page_get_dpi (page);

  g_return_val_if_fail (languages != NULL, NULL);

  /* Leptonica reports on stderr what its callers already handle (a page
   * with no background to find): errors only. */
  setMsgSeverity (L_SEVERITY_ERROR);

  if (progress != NULL)
    progress (0, progress_data);
  /* Uneven lighting and grey paper to white; then straight. */
  clean = pixBackgroundNormSimple (grey, NULL, NULL);
  if (clean == NULL)
    clean = pixClone (grey);
  {
    g_autoptr (PIX) binary = pixConvertTo1 (clean, 160);

    if (binary != NULL && pixFindSkew (binary, &angle, &confidence) == 0 && confidence > 2.0 && fabsf (angle) > 0.1f && fabsf (angle) < 10.0f)
      straight = pixRotate (clean, (l_float32) (angle * G_PI / 180.0),
                            L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
    else
      angle = 0;
  }
  if (straight == NULL)
    straight = pixCopy (NULL, clean);
  pixSetResolution (straight, dpi, dpi);
  {
    /* Logos, photos, stamps: shapes taller and wider than any letter
     * (10 mm) are painted white, or Tesseract reads them as "{ |. ms". */
    g_autoptr (PIX) ink = pixConvertTo1 (straight, 180);
    int big = dpi * 10 / 25;
    g_autoptr (PIX) shapes = ink != NULL ? pixSelectBySize (ink, big, big, 8, L_SELECT_IF_BOTH,
                                                            L_SELECT_IF_GT, NULL)
                                         : NULL;
    l_int32 empty = 1;

    if (shapes != NULL && pixZero (shapes, &empty) == 0 && !empty)
      {
        g_autoptr (PIX) grown = pixDilateBrick (NULL, shapes, 5, 5);

        pixPaintThroughMask (straight, grown, 0, 0, 255);
      }
  }
  if (progress != NULL)
    progress (10, progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  api = TessBaseAPICreate ();
  /* Tesseract prints its own warnings ("Estimating resolution…") on
   * stderr: the station has no use for them. */
  TessBaseAPISetVariable (api, "debug_file", "/dev/null");
  if (TessBaseAPIInit3 (api, NULL, languages) != 0)
    {
      TessBaseAPIDelete (api);
      g_set_error (error, RELAIS_LETTER_ERROR, RELAIS_LETTER_ERROR_LANGUAGE,
                   "Text recognition data for “%s” is not installed", languages);
      return NULL;
    }
  TessBaseAPISetPageSegMode (api, PSM_AUTO);
  TessBaseAPISetImage2 (api, straight);
  TessBaseAPISetSourceResolution (api, dpi);

  desc = TessMonitorCreate ();
  TessMonitorSetCancelThis (desc, &monitor);
  TessMonitorSetCancelFunc (desc, monitor_cancel);
  TessMonitorSetProgressFunc (desc, monitor_progress);
  if (TessBaseAPIRecognize (api, desc) != 0)
    {
      TessMonitorDelete (desc);
      TessBaseAPIEnd (api);
      TessBaseAPIDelete (api);
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error_literal (error, RELAIS_LETTER_ERROR, RELAIS_LETTER_ERROR_PAGE,
                             "The page could not be read");
      return NULL;
    }
  TessMonitorDelete (desc);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      TessBaseAPIEnd (api);
      TessBaseAPIDelete (api);
      return NULL;
    }

  result = g_new0 (RelaisLetterText, 1);
  result->words = g_array_new (FALSE, FALSE, sizeof (RelaisLetterWord));
  result->skew_degrees = angle;
  result->mean_confidence = TessBaseAPIMeanTextConf (api);
  text = g_string_new (NULL);
  it = TessBaseAPIGetIterator (api);
  if (it != NULL)
    {
      const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst (it);

      do
        {
          char            *word = TessResultIteratorGetUTF8Text (it, RIL_WORD);
          RelaisLetterWord w = { 0 };
          int              left, top, right, bottom;

          if (word == NULL)
            continue;
          if (text->len > 0)
            {
              if (TessPageIteratorIsAtBeginningOf (pit, RIL_PARA))
                g_string_append (text, "\n\n");
              else if (TessPageIteratorIsAtBeginningOf (pit, RIL_TEXTLINE))
                g_string_append_c (text, '\n');
              else
                g_string_append_c (text, ' ');
            }
          TessPageIteratorBoundingBox (pit, RIL_WORD, &left, &top, &right, &bottom);
          w.x = left;
          w.y = top;
          w.width = right - left;
          w.height = bottom - top;
          w.start = (int) text->len;
          g_string_append (text, word);
          w.end = (int) text->len;
          w.confidence = TessResultIteratorConfidence (it, RIL_WORD);
          g_array_append_val (result->words, w);
          TessDeleteText (word);
        }
      while (TessResultIteratorNext (it, RIL_WORD));
      TessResultIteratorDelete (it);
    }
  TessBaseAPIEnd (api);
  TessBaseAPIDelete (api);

  result->text = g_string_free (text, FALSE);
  result->page = pix_to_page (straight, dpi);
  if (progress != NULL)
    progress (100, progress_data);
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* On a worker thread */

typedef struct
{
  RelaisPage          *page;
  char                *languages;
  RelaisLetterProgress progress;
  gpointer             progress_data;
  GMainContext        *context;
} ReadData;

static void
read_data_free (ReadData *data)
{
  relais_page_unref (data->page);
  g_free (data->languages);
  g_main_context_unref (data->context);
  g_free (data);
}

typedef struct
{
  ReadData *data;
  GTask    *task;
  int       percent;
} ProgressCall;

static gboolean
progress_in_context (gpointer user_data)
{
  ProgressCall *call = user_data;

  if (!g_task_had_error (call->task) && !g_cancellable_is_cancelled (g_task_get_cancellable (call->task)))
    call->data->progress (call->percent, call->data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *call = user_data;

  g_object_unref (call->task);
  g_free (call);
}

static void
progress_from_thread (int percent, gpointer user_data)
{
  GTask        *task = user_data;
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->task = g_object_ref (task);
  call->data = g_task_get_task_data (task);
  call->percent = percent;
  g_main_context_invoke_full (call->data->context, G_PRIORITY_DEFAULT, progress_in_context,
                              call, progress_call_free);
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReadData         *data = task_data;
  GError           *error = NULL;
  RelaisLetterText *text;

  (void) source;
  text = relais_letter_read (data->page, data->languages, cancellable,
                             data->progress != NULL ? progress_from_thread : NULL, task, &error);
  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, (GDestroyNotify) relais_letter_text_free);
}

void
relais_letter_read_async (RelaisPage          *page,
                          const char          *languages,
                          GCancellable        *cancellable,
                          RelaisLetterProgress progress,
                          gpointer             progress_data,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, relais_letter_read_async);
  data->page = relais_page_ref (page);
  data->languages = g_strdup (languages);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_thread);
}

RelaisLetterText *
relais_letter_read_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
