/* test-link.c: the link against a hub that sends too much on its event
 * stream. A station's memory must not follow what a broken or hostile hub
 * sends: an event past RELAIS_LINK_MAX_STREAM_EVENT is dropped whole, and
 * the stream goes on with the next one (relais-limits.h). */
#define G_LOG_DOMAIN "relais-test"

#include <string.h>

#include "relais-link.h"
#include "relais-limits.h"
#include "relais-safe-records.h"
#include "relais-test-util.h"

typedef struct {
  GSocketService *service;
  guint16         port;
  gint            quit;
} FakeHub;

/* Valid JSON whose whitespace spreads over many "data:" lines: what the
 * link would deliver if nothing capped it. */
static void
append_padded_event (GString    *out,
                     const char *id,
                     gsize       size)
{
  g_autofree char *spaces = g_strnfill (64 * 1024, ' ');

  g_string_append_printf (out, "event: help\ndata: {\"id\":\"%s\",\n", id);
  for (gsize written = 0; written < size; written += 64 * 1024)
    g_string_append_printf (out, "data: %s\n", spaces);
  g_string_append (out, "data: \"state\":\"raised\"}\n\n");
}

/* In one of the service's threads: answers the stream, then holds the
 * connection open until the test ends. */
static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  FakeHub       *hub = user_data;
  GInputStream  *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) answer = g_string_new (NULL);
  char buffer[4096];

  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buffer, n);
    }
  if (!g_str_has_prefix (request->str, "GET /api/v1/stream "))
    {
      static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

      g_output_stream_write_all (out, not_found, strlen (not_found), NULL, NULL, NULL);
      return TRUE;
    }
  g_string_append (answer, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                           "event: ready\ndata: {}\n\n");
  append_padded_event (answer, "too-big", RELAIS_LINK_MAX_STREAM_EVENT + 64 * 1024);
  append_padded_event (answer, "fits", 256 * 1024);
  if (!g_output_stream_write_all (out, answer->str, answer->len, NULL, NULL, NULL))
    return TRUE;
  while (!g_atomic_int_get (&hub->quit))
    g_usleep (10 * 1000);
  return TRUE;
}

static void
fake_hub_start (FakeHub *hub)
{
  g_autoptr(GError) error = NULL;

  hub->service = g_threaded_socket_service_new (4);
  hub->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (hub->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (hub->service, "run", G_CALLBACK (run_cb), hub);
  g_socket_service_start (hub->service);
}

static void
fake_hub_stop (FakeHub *hub)
{
  g_atomic_int_set (&hub->quit, 1);
  g_socket_service_stop (hub->service);
  g_socket_listener_close (G_SOCKET_LISTENER (hub->service));
  g_clear_object (&hub->service);
}

static void
event_cb (RelaisLink *link,
          const char *event,
          JsonObject *data,
          gpointer    user_data)
{
  GPtrArray *ids = user_data;

  g_ptr_array_add (ids, g_strdup (json_object_get_string_member_with_default (data, "id", "")));
}

static gboolean
got_fits (gpointer data)
{
  GPtrArray *ids = data;

  return g_ptr_array_find_with_equal_func (ids, "fits", g_str_equal, NULL);
}

static void
test_event_past_cap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RelaisLink) link = NULL;
  g_autofree char *url = NULL;
  FakeHub          hub = { 0 };
  gint64           deadline;

  fake_hub_start (&hub);
  url = g_strdup_printf ("http://127.0.0.1:%u", hub.port);
  link = relais_link_new (url, "station-token", NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (link, "stream-event::help", G_CALLBACK (event_cb), ids);
  relais_link_start (link);

  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (!got_fits (ids) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  relais_link_stop (link);
  fake_hub_stop (&hub);

  /* The event after the dropped one came through the same connection. */
  g_assert_true (got_fits (ids));
  g_assert_false (g_ptr_array_find_with_equal_func (ids, "too-big", g_str_equal, NULL));
  g_assert_cmpuint (ids->len, ==, 1);
}

/* A new safe's answer is read whole or refused, naming what is missing:
 * the console never shows a card with an empty code. */
static void
test_safe_created (void)
{
  static const struct {
    const char *json;
    const char *member;
  } bad[] = {
    { "{}", "number" },
    { "{\"number\":\"A-1\",\"code\":\"\",\"recovery\":\"r\"}", "code" },
    { "{\"number\":\"A-1\",\"code\":\"c\",\"recovery\":7}", "recovery" },
    { "{\"number\":null,\"code\":\"c\",\"recovery\":\"r\"}", "number" },
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"number\":\"A-1\",\"code\":\"c0de\",\"recovery\":\"r3c\"}", NULL);
  g_autoptr(RelaisSafeCreated) created = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i].json, NULL);
      g_autoptr(RelaisSafeCreated) refused = NULL;
      g_autoptr(GError) local_error = NULL;

      refused = relais_safe_created_from_reply (json_node_get_object (node), &local_error);
      g_assert_null (refused);
      g_assert_error (local_error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (local_error->message, bad[i].member));
    }
  created = relais_safe_created_from_reply (json_node_get_object (good), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->number, ==, "A-1");
  g_assert_cmpstr (created->code, ==, "c0de");
  g_assert_cmpstr (created->recovery, ==, "r3c");
}

/* A refusal's sentence is the hub's own, when it gave one. */
static void
test_refusal_message (void)
{
  static const char said[] = "{\"error\":\"numéro inconnu\"}";
  g_autofree char  *message = relais_link_refusal_message (said, strlen (said));

  g_assert_cmpstr (message, ==, "numéro inconnu");
  g_assert_null (relais_link_refusal_message ("<html>", 6));
  g_assert_null (relais_link_refusal_message ("[1]", 3));
  g_assert_null (relais_link_refusal_message ("{\"error\":3}", 11));
  g_assert_null (relais_link_refusal_message (NULL, 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/link/stream/event-past-cap", test_event_past_cap);
  g_test_add_func ("/link/safe-created", test_safe_created);
  g_test_add_func ("/link/refusal-message", test_refusal_message);
  return g_test_run ();
}
