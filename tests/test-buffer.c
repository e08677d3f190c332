/* test-buffer.c: the capped buffer (relais-buffer.h) that every buffer
 * growing from outside input goes through: it never passes its cap, it
 * says when something was refused, and it counts without overflowing. */
#define G_LOG_DOMAIN "relais-test"

#include <string.h>

#include "relais-buffer.h"
#include "relais-test-util.h"

static void
test_cap (void)
{
  g_auto(RelaisBuffer) buffer = { 0 };

  relais_buffer_init (&buffer, 8);
  g_assert_true (relais_buffer_append (&buffer, "abcd", 4));
  g_assert_true (relais_buffer_append (&buffer, "efgh", 4));
  g_assert_false (buffer.too_large);
  /* One byte more: refused whole, what was there stays. */
  g_assert_false (relais_buffer_append (&buffer, "i", 1));
  g_assert_true (buffer.too_large);
  g_assert_cmpstr (buffer.data->str, ==, "abcdefgh");
  /* Nothing is an append that always fits. */
  g_assert_true (relais_buffer_append (&buffer, NULL, 0));

  relais_buffer_reset (&buffer);
  g_assert_false (buffer.too_large);
  g_assert_cmpuint (buffer.data->len, ==, 0);
  /* An append that would pass the cap adds none of its bytes. */
  g_assert_true (relais_buffer_append (&buffer, "abc", 3));
  g_assert_false (relais_buffer_append (&buffer, "defghi", 6));
  g_assert_cmpstr (buffer.data->str, ==, "abc");
}

/* As curl calls it: the bytes taken, or 0 to end the transfer. */
static void
test_curl_write (void)
{
  g_auto(RelaisBuffer) buffer = { 0 };
  char chunk[100];
  g_autoptr(GBytes) bytes = NULL;

  memset (chunk, 'x', sizeof chunk);
  relais_buffer_init (&buffer, 250);
  g_assert_cmpuint (relais_buffer_write_cb (chunk, 1, sizeof chunk, &buffer), ==, sizeof chunk);
  g_assert_cmpuint (relais_buffer_write_cb (chunk, 1, sizeof chunk, &buffer), ==, sizeof chunk);
  g_assert_cmpuint (relais_buffer_write_cb (chunk, 1, sizeof chunk, &buffer), ==, 0);
  g_assert_true (buffer.too_large);
  /* A size × count that overflows is refused, not wrapped. */
  relais_buffer_reset (&buffer);
  g_assert_cmpuint (relais_buffer_write_cb (chunk, G_MAXSIZE / 2, 3, &buffer), ==, 0);
  g_assert_true (buffer.too_large);

  relais_buffer_reset (&buffer);
  g_assert_cmpuint (relais_buffer_write_cb (chunk, 1, 10, &buffer), ==, 10);
  bytes = relais_buffer_steal_bytes (&buffer);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 10);
  g_assert_cmpuint (buffer.data->len, ==, 0);
}

static void
test_limit_fits (void)
{
  g_assert_true (relais_limit_fits (0, 10, 10));
  g_assert_true (relais_limit_fits (4, 6, 10));
  g_assert_false (relais_limit_fits (4, 7, 10));
  g_assert_false (relais_limit_fits (11, 0, 10));
  /* used + more would wrap to a small number. */
  g_assert_false (relais_limit_fits (8, G_MAXSIZE - 4, 10));
  g_assert_false (relais_limit_fits (G_MAXSIZE, 1, G_MAXSIZE));
}

/* Every cap is a positive size, and an event fits in what an answer may
 * be (the stream's event cap is no looser than the answer's). */
static void
test_limits (void)
{
  const gsize caps[] = {
    RELAIS_LINK_MAX_RESPONSE,
    RELAIS_LINK_MAX_STREAM_LINE,
    RELAIS_LINK_MAX_STREAM_EVENT,
    RELAIS_NOTIFY_MAX_REPLY,
    RELAIS_NOTIFY_MAX_TEXT,
    RELAIS_HUB_MAX_BODY,
    RELAIS_HUB_MAX_STREAM_QUEUE,
    RELAIS_HUB_MAIL_MAX_DOCUMENT,
    RELAIS_HUB_SAFE_MAX_DOCUMENT,
    RELAIS_HUB_MAX_PEM,
    RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER,
    RELAIS_SAFE_CLIENT_MAX_DOCUMENT_ANSWER,
    RELAIS_MEDIATOR_MAX_MAIL_DOCUMENT_ANSWER,
    RELAIS_SCAN_MAX_BYTES,
    RELAIS_DOCUMENT_MAX_BYTES,
    RELAIS_PRINTER_MAX_FILE_SIZE,
    RELAIS_SAFE_MAX_DOCUMENT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
    g_assert_cmpuint (caps[i], >, 0);
  g_assert_cmpuint (RELAIS_LINK_MAX_STREAM_EVENT, <=, RELAIS_LINK_MAX_RESPONSE);
  g_assert_cmpuint (RELAIS_LINK_MAX_STREAM_LINE, <=, RELAIS_LINK_MAX_STREAM_EVENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/buffer/cap", test_cap);
  g_test_add_func ("/buffer/curl-write", test_curl_write);
  g_test_add_func ("/buffer/limit-fits", test_limit_fits);
  g_test_add_func ("/buffer/limits", test_limits);
  return g_test_run ();
}
