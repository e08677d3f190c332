/* relais-buffer.c: a buffer with a hard cap for what comes from outside. */

#include "relais-buffer.h"

void
relais_buffer_init (RelaisBuffer *buffer,
                    gsize         max)
{
  g_return_if_fail (buffer != NULL);

  buffer->data = g_string_new (NULL);
  buffer->max = max;
  buffer->too_large = FALSE;
}

void
relais_buffer_clear (RelaisBuffer *buffer)
{
  g_return_if_fail (buffer != NULL);

  if (buffer->data != NULL)
    g_string_free (g_steal_pointer (&buffer->data), TRUE);
  buffer->too_large = FALSE;
}

void
relais_buffer_reset (RelaisBuffer *buffer)
{
  g_return_if_fail (buffer != NULL && buffer->data != NULL);

  g_string_truncate (buffer->data, 0);
  buffer->too_large = FALSE;
}

gboolean
relais_buffer_append (RelaisBuffer *buffer,
                      const void   *bytes,
                      gsize         length)
{
  g_return_val_if_fail (buffer != NULL && buffer->data != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL || length == 0, FALSE);

  if (!relais_limit_fits (buffer->data->len, length, buffer->max))
    {
      buffer->too_large = TRUE;
      return FALSE;
    }
  g_string_append_len (buffer->data, bytes, (gssize) length);
  return TRUE;
}

size_t
relais_buffer_write_cb (char  *ptr,
                        size_t size,
                        size_t nmemb,
                        void  *buffer)
{
  /* curl passes size 1; a product that overflows is refused all the same. */
  if (nmemb != 0 && size > G_MAXSIZE / nmemb)
    {
      ((RelaisBuffer *) buffer)->too_large = TRUE;
      return 0;
    }
  return relais_buffer_append (buffer, ptr, size * nmemb) ? size * nmemb : 0;
}

GBytes *
relais_buffer_steal_bytes (RelaisBuffer *buffer)
{
  GBytes *bytes;

  g_return_val_if_fail (buffer != NULL && buffer->data != NULL, NULL);

  bytes = g_string_free_to_bytes (buffer->data);
  buffer->data = g_string_new (NULL);
  return bytes;
}
