/* relais-buffer.h: a buffer that grows from outside input up to a hard
 * cap (curl's dynbuf): an append past the cap is refused whole, and the
 * buffer remembers it, so the caller reports "too large" instead of
 * holding whatever a broken or hostile peer sends. Caps: relais-limits.h. */
#pragma once

#include <glib.h>

#include "relais-limits.h"

G_BEGIN_DECLS

typedef struct {
  GString *data; /* always NUL-terminated; never longer than max */
  gsize    max;
  gboolean too_large; /* an append was refused: data stops before it */
} RelaisBuffer;

void     relais_buffer_init (RelaisBuffer *buffer,
                             gsize         max);
/* Frees the contents; the buffer may be initialised again. */
void     relais_buffer_clear (RelaisBuffer *buffer);
/* Empty again, and not too large any more. */
void     relais_buffer_reset (RelaisBuffer *buffer);
/* Appends @length bytes, or none (and too_large) when they would pass the
 * cap: FALSE then. */
gboolean relais_buffer_append (RelaisBuffer *buffer,
                               const void   *bytes,
                               gsize         length);
/* A CURLOPT_WRITEFUNCTION for CURLOPT_WRITEDATA = a RelaisBuffer: past
 * the cap it returns 0, and curl ends the transfer (CURLE_WRITE_ERROR). */
size_t   relais_buffer_write_cb (char  *ptr,
                                 size_t size,
                                 size_t nmemb,
                                 void  *buffer);
/* The contents as GBytes; the buffer is left empty. */
GBytes  *relais_buffer_steal_bytes (RelaisBuffer *buffer);

/* TRUE when @used + @more stays within @max, without overflowing: for
 * bytes held elsewhere (libsoup's bodies) that are only counted. */
static inline gboolean
relais_limit_fits (gsize used,
                   gsize more,
                   gsize max)
{
  return used <= max && more <= max - used;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelaisBuffer, relais_buffer_clear)

G_END_DECLS
