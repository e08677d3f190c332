/* relais-scanner-sane-read.c: SANE frames read (1, 8, 16 bits; one pass or
 * three; known or unknown height) and turned into a RelaisPage. */

#include "relais-scanner-sane-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct
{
  SANE_Parameters params;
  GByteArray     *data; /* Owned; as read: relais_frame_height () counts whole lines */
} RelaisFrame;

/* ------------------------------------------------------------------------ */
/* The spare frames.
 *
 * A 300 dpi colour page is 26 MB that the kernel hands out zeroed: even in
 * huge pages, zeroing them was a quarter of the scanning thread's time (10
 * colour papers through the pnm backend, perf: clear_page 11 % of all the
 * samples, 27 ms a page, as much as half of what the backend took to read
 * them). A page that the PDF writer has finished with is the size of the
 * next one: its buffer is kept and a next frame read into it, already
 * faulted in, no zeroing.
 *
 * Every buffer given back is kept, not one only: the writer encodes two
 * or three pages at once and they often finish together; with one spare,
 * one frame in two or three was still fresh memory (clear_page still 9 %
 * of the samples). Keeping them never raises the peak: a frame is
 * allocated only when no spare is left, so frames alive plus spares never
 * exceed the most frames alive at once without them. A spare is taken by
 * the next frame if it is the right size (the others are freed before
 * that frame's buffer is allocated, a size that changed is not coming
 * back soon), and all are dropped RELAIS_FRAME_SPARE_SECONDS after the
 * last was given back if no frame took them (by a timeout on the default
 * main context: a station at rest does not keep 26 MB for a scan that may
 * not come), or when the scanner goes. */
#define RELAIS_FRAME_SPARE_SECONDS 10

typedef struct
{
  guint8 *data;
  gsize   size;
} RelaisFrameBuffer;

struct _RelaisFrameSpare {
  gatomicrefcount ref;
  GMutex          lock;
  gboolean        closed;   /* the scanner is gone */
  gboolean        timeout;  /* a drop is scheduled */
  gint64          given_at; /* monotonic, µs: the last given back */
  /* Owned */
  GArray         *buffers; /* of RelaisFrameBuffer */
};

/* A page's pixels, given back to the spare when the page goes. */
typedef struct
{
  RelaisFrameSpare *spare; /* a reference */
  guint8           *data;
  gsize             size;
} RelaisFrameLoan;

static void
relais_frame_buffer_clear (gpointer data)
{
  RelaisFrameBuffer *buffer = data;

  g_clear_pointer (&buffer->data, g_free);
}

static GArray *
relais_frame_buffers_new (void)
{
  GArray *buffers = g_array_new (FALSE, FALSE, sizeof (RelaisFrameBuffer));

  g_array_set_clear_func (buffers, relais_frame_buffer_clear);
  return buffers;
}

RelaisFrameSpare *
_relais_frame_spare_new (void)
{
  RelaisFrameSpare *spare = g_new0 (RelaisFrameSpare, 1);

  g_atomic_ref_count_init (&spare->ref);
  g_mutex_init (&spare->lock);
  spare->buffers = relais_frame_buffers_new ();
  return spare;
}

static void
relais_frame_spare_unref (RelaisFrameSpare *spare)
{
  if (!g_atomic_ref_count_dec (&spare->ref))
    return;
  g_array_unref (spare->buffers);
  g_mutex_clear (&spare->lock);
  g_free (spare);
}

/* The buffers, out of the lock: freeing 26 MB is a munmap (). */
static GArray *
relais_frame_spare_steal_all (RelaisFrameSpare *spare)
{
  GArray *all = spare->buffers;

  spare->buffers = relais_frame_buffers_new ();
  return all;
}

void
_relais_frame_spare_close (RelaisFrameSpare *spare)
{
  g_autoptr(GArray) all = NULL;

  g_mutex_lock (&spare->lock);
  spare->closed = TRUE;
  all = relais_frame_spare_steal_all (spare);
  g_mutex_unlock (&spare->lock);
  relais_frame_spare_unref (spare);
}

/* A spare that fits a frame of @expected bytes (not much larger either: a
 * colour page's buffer kept for a grey page would hold twice its memory),
 * with its size in @size; NULL if none does. The spares that do not fit
 * are freed. */
static guint8 *
relais_frame_spare_take (RelaisFrameSpare *spare,
                         gsize             expected,
                         gsize            *size)
{
  g_autoptr(GArray) all = NULL;
  guint8 *data = NULL;

  g_mutex_lock (&spare->lock);
  all = relais_frame_spare_steal_all (spare);
  for (guint i = 0; i < all->len; i++)
    {
      RelaisFrameBuffer *buffer = &g_array_index (all, RelaisFrameBuffer, i);

      if (expected == 0 || buffer->size < expected || buffer->size - expected > expected / 8)
        continue;
      if (data == NULL)
        {
          data = g_steal_pointer (&buffer->data);
          *size = buffer->size;
        }
      else
        {
          g_array_append_val (spare->buffers, *buffer);
          buffer->data = NULL;
        }
    }
  g_mutex_unlock (&spare->lock);
  return data;
}

static gboolean
relais_frame_spare_drop_cb (gpointer user_data)
{
  RelaisFrameSpare *spare = user_data;
  g_autoptr(GArray) all = NULL;
  gboolean again = FALSE;

  g_mutex_lock (&spare->lock);
  if (spare->buffers->len > 0 && g_get_monotonic_time () - spare->given_at < RELAIS_FRAME_SPARE_SECONDS * G_USEC_PER_SEC)
    again = TRUE;
  else
    all = relais_frame_spare_steal_all (spare);
  spare->timeout = again;
  g_mutex_unlock (&spare->lock);
  return again ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The page's GBytes' free function, in whichever thread lets the page go. */
static void
relais_frame_loan_return (gpointer user_data)
{
  RelaisFrameLoan   *loan = user_data;
  RelaisFrameSpare  *spare = loan->spare;
  g_autofree guint8 *data = loan->data;

  g_mutex_lock (&spare->lock);
  if (!spare->closed)
    {
      RelaisFrameBuffer buffer = { g_steal_pointer (&data), loan->size };

      g_array_append_val (spare->buffers, buffer);
      spare->given_at = g_get_monotonic_time ();
      if (!spare->timeout)
        {
          spare->timeout = TRUE;
          g_atomic_ref_count_inc (&spare->ref);
          g_timeout_add_seconds_full (G_PRIORITY_LOW, RELAIS_FRAME_SPARE_SECONDS, relais_frame_spare_drop_cb, spare,
                                      (GDestroyNotify) relais_frame_spare_unref);
        }
    }
  g_mutex_unlock (&spare->lock);
  relais_frame_spare_unref (spare);
  g_free (loan);
}

/* @data (@size bytes, g_malloc ()ed) as a page's bytes that go back to
 * @spare when the page is freed. */
static GBytes *
relais_frame_spare_lend (RelaisFrameSpare *spare,
                         guint8           *data,
                         gsize             size)
{
  RelaisFrameLoan *loan = g_new (RelaisFrameLoan, 1);

  g_atomic_ref_count_inc (&spare->ref);
  loan->spare = spare;
  loan->data = data;
  loan->size = size;
  return g_bytes_new_with_free_func (data, size, relais_frame_loan_return, loan);
}

static void
relais_frame_clear (RelaisFrame *frame)
{
  g_clear_pointer (&frame->data, g_byte_array_unref);
}

static int
relais_frame_channels (const SANE_Parameters *params)
{
  return params->format == SANE_FRAME_RGB ? 3 : 1;
}

/* Bytes a line needs at least, from SANE's image format rules. */
static gsize
relais_frame_min_bpl (const SANE_Parameters *params)
{
  gsize samples = (gsize) relais_frame_channels (params) * (gsize) params->pixels_per_line;

  return params->depth == 1 ? (samples + 7) / 8 : samples * (gsize) (params->depth / 8);
}

static int
relais_frame_height (const RelaisFrame *frame)
{
  gsize lines = frame->data->len / (gsize) frame->params.bytes_per_line;

  /* A backend may send fewer lines than announced (the page was shorter),
   * never more than the cap allows; ignore a trailing partial line. */
  if (frame->params.lines > 0)
    lines = MIN (lines, (gsize) frame->params.lines);
  return (int) MIN (lines, (gsize) G_MAXINT);
}

static gboolean
relais_frame_params_check (const SANE_Parameters *params,
                           GError               **error)
{
  gboolean ok = TRUE;

  switch (params->format)
    {
    case SANE_FRAME_GRAY:
    case SANE_FRAME_RGB:
    case SANE_FRAME_RED:
    case SANE_FRAME_GREEN:
    case SANE_FRAME_BLUE:
      break;
    default:
      ok = FALSE;
      break;
    }

  ok = ok && (params->depth == 1 || params->depth == 8 || params->depth == 16);
  ok = ok && params->pixels_per_line > 0 && params->bytes_per_line > 0;
  ok = ok && (gsize) params->bytes_per_line >= relais_frame_min_bpl (params);

  if (!ok)
    {
      g_debug ("unusable SANE parameters: format %d, depth %d, %d pixels and %d bytes per line",
               params->format, params->depth, params->pixels_per_line, params->bytes_per_line);
      _relais_sane_set_error (error, SANE_STATUS_UNSUPPORTED);
    }
  return ok;
}

static void
relais_progress_report (RelaisProgress *progress,
                        gsize           frame_bytes)
{
  gsize bytes = progress->done + frame_bytes;

  if (progress->func == NULL)
    return;

  /* Once per percent, or per MiB when the size is unknown: the callback
   * usually hops to the main loop, which must not be flooded. */
  if (progress->expected > 0)
    {
      double fraction = MIN (1.0, (double) bytes / (double) progress->expected);
      int    percent = (int) (fraction * 100);

      if (percent != progress->reported)
        {
          progress->reported = percent;
          progress->func (fraction, progress->data);
        }
    }
  else if (progress->reported < 0 || bytes >= progress->reported_bytes + 1024 * 1024)
    {
      progress->reported = 0;
      progress->reported_bytes = bytes;
      progress->func (-1, progress->data);
    }
}

static const char *
relais_frame_format_name (SANE_Frame format)
{
  static const char * const names[] = { "grey", "RGB", "red", "green", "blue" };

  return (guint) format < G_N_ELEMENTS (names) ? names[format] : "unknown";
}

/* What a pipe holds on Linux unless told otherwise: a backend's reader
 * thread can write a frame's last bytes without anyone reading them. */
#define RELAIS_SANE_PIPE_BYTES (64 * 1024)

/* A 300 dpi colour page is 26 MB written once by sane_read (): in 4 KiB
 * pages that is 6,300 page faults a page, each zeroing its page, which
 * took more of the scanning thread than the backend's own reading (10
 * papers, stations' virtual machines: 1.2 s of system time out of 2.7 s).
 * In 2 MiB pages it is 13: 0.3 s of system time for the ten and half the
 * wall time. Linux only gives them to a region that asks (madvise mode,
 * Debian's default); the region's unaligned ends stay in small pages. */
static void
relais_frame_ask_huge_pages (guint8 *data,
                             gsize   size)
{
#ifdef MADV_HUGEPAGE
  const guintptr huge = 2 * 1024 * 1024;
  guintptr       start = ((guintptr) data + huge - 1) & ~(huge - 1);
  guintptr       end = ((guintptr) data + size) & ~(huge - 1);

  /* Advice only: a kernel without transparent huge pages says EINVAL
   * and the frame is read the same in small pages. */
  if (end > start)
    (void) madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

/* Reads one frame until EOF. sane_start () has been called for it. */
static gboolean
relais_scanner_sane_read_frame (RelaisScannerSane *self,
                                RelaisFrame       *frame,
                                gsize              room,
                                RelaisProgress    *progress,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_autofree guint8 *chunk = g_malloc (RELAIS_SCAN_READ_CHUNK);
  SANE_Status        status;
  gsize              expected = 0;
  gboolean           direct;
  guint              before;

  status = sane_get_parameters (self->handle, &frame->params);
  if (status != SANE_STATUS_GOOD)
    {
      _relais_sane_set_error (error, status);
      return FALSE;
    }
  if (!relais_frame_params_check (&frame->params, error))
    return FALSE;

  g_debug ("%s: %s frame%s, depth %d, %dx%d pixels, %d bytes per line", self->name,
           relais_frame_format_name (frame->params.format),
           frame->params.last_frame ? " (last)" : "",
           frame->params.depth, frame->params.pixels_per_line, frame->params.lines,
           frame->params.bytes_per_line);

  if (frame->params.lines > 0)
    {
      expected = (gsize) frame->params.lines * (gsize) frame->params.bytes_per_line;
      if (expected > room)
        {
          _relais_sane_set_too_large_error (error, expected);
          return FALSE;
        }
    }
  {
    gsize   spare_size = 0;
    guint8 *spare = relais_frame_spare_take (self->spare, expected, &spare_size);

    if (spare != NULL)
      {
        /* Already faulted in, its huge pages asked for when it was new. */
        frame->data = g_byte_array_new_take (spare, spare_size);
        /* (Under G_DEBUG=gc-friendly, as in the tests, this zeroes it.) */
        g_byte_array_set_size (frame->data, 0);
      }
    else
      {
        frame->data = g_byte_array_sized_new (expected);
        relais_frame_ask_huge_pages (frame->data->data, expected);
      }
  }

  for (;;)
    {
      SANE_Int length = 0;

      /* The read that reaches the end may cancel the backend's reader:
       * once the rest fits in the pipe, let it finish first (see
       * relais-scanner-sane.c). Done once: the list empties. A backend
       * whose readers wait for sane_cancel () is soon not waited for. */
      if (expected > 0 && expected - MIN (expected, frame->data->len) <= RELAIS_SANE_PIPE_BYTES
          && self->reader_threads->len > 0 && !g_cancellable_is_cancelled (cancellable))
        {
          if (_relais_scanner_sane_let_readers_finish (self))
            self->readers_lingered = 0;
          else if (++self->readers_lingered == 3)
            g_debug ("%s: this backend's threads outlive their frames: not waited for again", self->name);
        }

      /* Straight into the frame while it has room (its size is known and
       * was allocated): a 300 dpi colour page is 26 MB, and one copy of it
       * fewer is a tenth of a second on a small station. */
      before = frame->data->len;
      if (before + RELAIS_SCAN_READ_CHUNK <= expected)
        {
          /* Never shrunk before the data is in: with G_DEBUG=gc-friendly
           * a shrinking GByteArray zeroes what it lets go. */
          g_byte_array_set_size (frame->data, before + RELAIS_SCAN_READ_CHUNK);
          status = sane_read (self->handle, frame->data->data + before, RELAIS_SCAN_READ_CHUNK, &length);
          g_byte_array_set_size (frame->data, before + (status == SANE_STATUS_GOOD && length > 0 && length <= RELAIS_SCAN_READ_CHUNK ? (guint) length : 0));
          direct = TRUE;
        }
      else
        {
          status = sane_read (self->handle, chunk, RELAIS_SCAN_READ_CHUNK, &length);
          direct = FALSE;
        }

      /* A sane_cancel () from another thread may surface as anything: EOF
       * on a closed pipe, an I/O error… The cancellable says what it was. */
      if (g_cancellable_is_cancelled (cancellable))
        status = SANE_STATUS_CANCELLED;
      if (status == SANE_STATUS_EOF)
        break;
      if (status != SANE_STATUS_GOOD)
        {
          _relais_sane_set_error (error, status);
          return FALSE;
        }
      if (length < 0 || length > RELAIS_SCAN_READ_CHUNK)
        {
          g_debug ("%s: sane_read () returned %d bytes", self->name, length);
          _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
          return FALSE;
        }
      if ((gsize) length > room - before)
        {
          _relais_sane_set_too_large_error (error, before + (gsize) length);
          return FALSE;
        }
      if (length == 0)
        {
          /* Nothing yet (a backend in non-blocking mode): don't spin. */
          g_usleep (1000);
          continue;
        }

      /* Read in place, the frame has grown already. */
      if (!direct)
        g_byte_array_append (frame->data, chunk, (guint) length);
      relais_progress_report (progress, frame->data->len);
    }

  if (relais_frame_height (frame) == 0)
    {
      g_debug ("%s: frame ended after %u bytes, not one line", self->name, frame->data->len);
      _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
      return FALSE;
    }

  return TRUE;
}

/* Expands @n_samples samples at @depth to 8 bits, 255 = full intensity.
 * SANE's 16-bit samples are in host byte order; we keep the high byte. */
static void
relais_unpack_samples (const guint8 *src,
                       int           depth,
                       gsize         n_samples,
                       guint8       *dst)
{
  switch (depth)
    {
    case 1:
      for (gsize i = 0; i < n_samples; i++)
        dst[i] = (src[i >> 3] & (0x80 >> (i & 7))) ? 255 : 0;
      break;
    case 8:
      memcpy (dst, src, n_samples);
      break;
    case 16:
      for (gsize i = 0; i < n_samples; i++)
        {
          guint16 sample;

          memcpy (&sample, src + 2 * i, sizeof sample);
          dst[i] = sample >> 8;
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Builds the page from one GRAY or RGB frame, or from three RED, GREEN
 * and BLUE frames (@frames indexed by channel). */
static RelaisPage *
relais_scanner_sane_build_page (RelaisFrame             *frames,
                                guint                    n_frames,
                                RelaisFrameSpare        *spare,
                                const RelaisScanOptions *options,
                                int                      dpi,
                                GError                 **error)
{
  const SANE_Parameters *first = &frames[0].params;
  gboolean               source_gray = n_frames == 1 && first->format == SANE_FRAME_GRAY;
  gboolean               page_gray = source_gray || options->mode != RELAIS_SCAN_COLOR;
  int                    width = first->pixels_per_line;
  int                    height = G_MAXINT;
  int                    bpp = page_gray ? 1 : 3;
  g_autofree guint8     *rgb = g_malloc ((gsize) width * 3);
  g_autofree guint8     *channel = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  gsize   size;

  g_assert (n_frames == 1 || n_frames == 3);

  /* The frame is already the page (8 bits, one frame in the mode asked
   * for): it becomes the page's data as it is, its padding as the page's
   * stride. No second 26 MB buffer, no copy. */
  if (n_frames == 1 && first->depth == 8 && options->mode != RELAIS_SCAN_TEXT
      && (first->format == SANE_FRAME_RGB) == (options->mode == RELAIS_SCAN_COLOR)
      && (first->format == SANE_FRAME_RGB || first->format == SANE_FRAME_GRAY))
    {
      int   frame_height = relais_frame_height (&frames[0]);
      gsize frame_bytes = (gsize) frame_height * (gsize) first->bytes_per_line;

      if (frame_height > 0 && first->bytes_per_line <= G_MAXINT / 2)
        {
          gsize   stolen = 0;
          guint8 *data;

          g_byte_array_set_size (frames[0].data, (guint) frame_bytes);
          data = g_byte_array_steal (frames[0].data, &stolen);
          g_clear_pointer (&frames[0].data, g_byte_array_unref);
          /* Back to the spare when the PDF writer is done with the page. */
          bytes = relais_frame_spare_lend (spare, data, stolen);
          return relais_page_new (bpp == 3 ? RELAIS_PAGE_RGB : RELAIS_PAGE_GRAY, width, frame_height,
                                  first->bytes_per_line, dpi, bytes);
        }
    }

  for (guint i = 0; i < n_frames; i++)
    {
      height = MIN (height, relais_frame_height (&frames[i]));
      /* Three-pass frames describe one image: they must agree. */
      if (frames[i].params.pixels_per_line != width
          || frames[i].params.depth != first->depth
          || frames[i].params.bytes_per_line != first->bytes_per_line)
        {
          g_debug ("three-pass frames disagree on their geometry");
          _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
          return NULL;
        }
    }

  size = (gsize) width * (gsize) bpp * (gsize) height;
  if (size > RELAIS_SCAN_MAX_BYTES)
    {
      _relais_sane_set_too_large_error (error, size);
      return NULL;
    }
  pixels = g_malloc (size);
  if (n_frames == 3)
    channel = g_malloc ((gsize) width);

  for (int y = 0; y < height; y++)
    {
      guint8 *out = pixels + (gsize) y * (gsize) width * (gsize) bpp;
      gsize   offset = (gsize) y * (gsize) first->bytes_per_line;

      if (source_gray)
        {
          relais_unpack_samples (frames[0].data->data + offset, first->depth, width, out);
          /* In a 1-bit grey frame, SANE says 1 is black. */
          if (first->depth == 1)
            for (int x = 0; x < width; x++)
              out[x] = ~out[x];
        }
      else
        {
          if (n_frames == 1)
            relais_unpack_samples (frames[0].data->data + offset, first->depth, (gsize) width * 3, rgb);
          else
            for (int c = 0; c < 3; c++)
              {
                relais_unpack_samples (frames[c].data->data + offset, first->depth, width, channel);
                for (int x = 0; x < width; x++)
                  rgb[3 * x + c] = channel[x];
              }

          if (page_gray)
            for (int x = 0; x < width; x++)
              out[x] = (77 * rgb[3 * x] + 150 * rgb[3 * x + 1] + 29 * rgb[3 * x + 2]) >> 8;
          else
            memcpy (out, rgb, (gsize) width * 3);
        }

      if (options->mode == RELAIS_SCAN_TEXT)
        for (int x = 0; x < width; x++)
          out[x] = out[x] < RELAIS_SCAN_TEXT_THRESHOLD ? 0 : 255;
    }

  bytes = g_bytes_new_take (pixels, size);
  return relais_page_new (page_gray ? RELAIS_PAGE_GRAY : RELAIS_PAGE_RGB,
                          width, height, width * bpp, dpi, bytes);
}

int
_relais_frame_channel_index (SANE_Frame format)
{
  switch (format)
    {
    case SANE_FRAME_RED:
      return 0;
    case SANE_FRAME_GREEN:
      return 1;
    case SANE_FRAME_BLUE:
      return 2;
    default:
      return -1;
    }
}

/* Reads all the frames of one page: sane_start () has succeeded. */
RelaisPage *
_relais_scanner_sane_read_page (RelaisScannerSane       *self,
                                const RelaisScanOptions *options,
                                int                      dpi,
                                RelaisProgress          *progress,
                                GCancellable            *cancellable,
                                GError                 **error)
{
  RelaisFrame frames[3] = { { { 0 }, NULL } };
  RelaisPage *page = NULL;
  gsize       total = 0;
  guint       n_frames = 0;
  gboolean    ok = TRUE;

  for (guint pass = 0; ok; pass++)
    {
      RelaisFrame frame = { { 0 }, NULL };
      int         channel;

      if (pass > 0)
        {
          SANE_Status status;

          /* The handler cannot stop a sane_start () that has not begun. */
          if (g_cancellable_is_cancelled (cancellable))
            status = SANE_STATUS_CANCELLED;
          else
            status = _relais_scanner_sane_start (self);
          if (status != SANE_STATUS_GOOD)
            {
              _relais_sane_set_error (error, status);
              ok = FALSE;
              break;
            }
        }

      ok = relais_scanner_sane_read_frame (self, &frame, RELAIS_SCAN_MAX_BYTES - total,
                                           progress, cancellable, error);
      if (!ok)
        {
          relais_frame_clear (&frame);
          break;
        }

      total += frame.data->len;
      progress->done += frame.data->len;
      channel = _relais_frame_channel_index (frame.params.format);

      if (channel < 0)
        {
          /* GRAY or RGB: a whole image. A well-behaved backend marks it as
           * the last frame; we would not know what to do with more. */
          if (n_frames > 0)
            {
              relais_frame_clear (&frame);
              _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
              ok = FALSE;
              break;
            }
          frames[0] = frame;
          n_frames = 1;
          break;
        }

      if (frames[channel].data != NULL || (pass == 0 && frame.params.last_frame))
        {
          /* A colour twice, or a one-pass "red" image: not a colour scan. */
          g_debug ("%s: unexpected frame order", self->name);
          relais_frame_clear (&frame);
          _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
          ok = FALSE;
          break;
        }
      frames[channel] = frame;
      n_frames++;

      if (frame.params.lines <= 0)
        progress->expected = 0;

      if (n_frames == 3 || frame.params.last_frame)
        {
          if (n_frames != 3)
            {
              _relais_sane_set_error (error, SANE_STATUS_IO_ERROR);
              ok = FALSE;
            }
          break;
        }
    }

  if (ok)
    page = relais_scanner_sane_build_page (frames, n_frames, self->spare, options, dpi, error);

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    relais_frame_clear (&frames[i]);

  if (page != NULL && progress->func != NULL && progress->reported != 100)
    progress->func (1.0, progress->data);

  return page;
}
