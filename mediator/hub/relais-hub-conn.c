/* relais-hub-conn.c: the hub's client connections: how long a request may
 * take to arrive, how long a kept-alive connection may sit idle, and the
 * idle connections a client closes, which libsoup 3.2 never closes.
 *
 * libsoup 3.2.3 (Debian 12) waits for the next request of a kept-alive
 * connection with a message that has no completion callback: when the
 * client closes, that message ends and nothing disconnects the connection,
 * so its socket stays in CLOSE_WAIT and the server keeps it in its list
 * for ever (upstream d20c6601, "server: do not leak idle connections
 * closed by the client", in 3.3.0). A station's link used to open a
 * connection per call: the hub ran out of file descriptors after about a
 * thousand requests. Here each connection's socket is watched while it is
 * idle; once the client has closed it, the connection is disconnected as
 * libsoup 3.3 would. The accepted socket itself leaks one reference too
 * before libsoup 3.4 (see _relais_hub_conn_request_started ()). */

#include "relais-hub-private.h"

#include <errno.h>
#include <sys/socket.h>

typedef enum {
  PHASE_REQUEST = 1, /* a request is arriving: the request timeout runs */
  PHASE_HANDLING,    /* read; answered now or later (streams, logins) */
  PHASE_IDLE,        /* between two requests: the idle timeout runs */
} Phase;

/* One connection libsoup accepted. Invariant: in hub->connections while
 * its SoupServerConnection is connected; freed on its "disconnected". */
typedef struct {
  RelaisHub *hub;    /* borrowed: the hub disconnects every connection before it goes */
  GObject   *conn;   /* borrowed: SoupServerConnection (not public in libsoup 3.2) */
  GSocket   *socket; /* owned */
  Phase      phase;
  GSource   *watch; /* owned, while idle: the client closing */
  GSource   *timer; /* owned: the current phase's deadline */
  gulong     disconnected_id;
  GPtrArray *messages;  /* the messages seen (weak references) still alive */
  guint      postponed; /* the end seen before libsoup's reader saw it */
} Conn;

static void
conn_stop_watch (Conn *c)
{
  if (c->watch != NULL)
    {
      g_source_destroy (c->watch);
      g_clear_pointer (&c->watch, g_source_unref);
    }
}

static void
conn_stop_timer (Conn *c)
{
  if (c->timer != NULL)
    {
      g_source_destroy (c->timer);
      g_clear_pointer (&c->timer, g_source_unref);
    }
}

static void conn_gone_cb (gpointer data, GObject *where_it_was);

static void
message_gone_cb (gpointer data,
                 GObject *where_it_was)
{
  Conn *c = data;

  g_ptr_array_remove_fast (c->messages, where_it_was);
}

static void
conn_free (Conn *c)
{
  conn_stop_watch (c);
  conn_stop_timer (c);
  for (guint i = 0; i < c->messages->len; i++)
    g_object_weak_unref (c->messages->pdata[i], message_gone_cb, c);
  g_ptr_array_unref (c->messages);
  if (c->conn != NULL)
    {
      g_clear_signal_handler (&c->disconnected_id, c->conn);
      g_object_weak_unref (c->conn, conn_gone_cb, c);
    }
  g_clear_object (&c->socket);
  g_free (c);
}

/* Finalized without saying "disconnected" (libsoup does not do that, but
 * a dangling pointer would be worse than a check). */
static void
conn_gone_cb (gpointer data,
              GObject *where_it_was)
{
  Conn *c = data;

  c->conn = NULL;
  g_hash_table_remove (c->hub->connections, where_it_was);
}

static void
conn_disconnected_cb (GObject *conn,
                      Conn    *c)
{
  /* Frees @c through the table. */
  g_hash_table_remove (c->hub->connections, conn);
}

/* What libsoup 3.3 does for an idle connection the client closed: the
 * server forgets it and, with the last reference, its stream is closed
 * (the last may be that of libsoup's message waiting for the next request,
 * which ends when its reader sees the EOF too). */
static void
conn_disconnect (Conn *c)
{
  GObject *conn = g_object_ref (c->conn);

  c->hub->n_idle_closed++;
  /* Frees @c (our handler runs too). */
  g_signal_emit_by_name (conn, "disconnected");
  g_object_unref (conn);
}

/* Ends a connection that overstayed: both directions shut, libsoup's
 * reader sees the end, finishes what it was reading and disconnects the
 * connection itself, or, when idle, the watch does. */
static void
conn_shutdown (Conn *c)
{
  g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
}

/* TRUE while the message libsoup waits for the next request with (the one
 * it never announces) is alive. Every message of a connection connects to
 * its "disconnected", as the server does and we do: with the server's, ours
 * and those of the messages seen set aside, any handler left is that
 * message's. Disconnecting under it would leave it without its reader's
 * data, which libsoup 3.2 then dereferences. */
static gboolean
waiting_message_alive (Conn *c)
{
  guint    id = g_signal_lookup ("disconnected", G_OBJECT_TYPE (c->conn));
  gboolean alive;

  g_signal_handlers_block_matched (c->conn, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA, id, 0, NULL, NULL,
                                   c->hub->server);
  g_signal_handler_block (c->conn, c->disconnected_id);
  for (guint i = 0; i < c->messages->len; i++)
    g_signal_handlers_block_matched (c->conn, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA, id, 0, NULL, NULL,
                                     c->messages->pdata[i]);
  alive = g_signal_has_handler_pending (c->conn, id, 0, FALSE);
  for (guint i = 0; i < c->messages->len; i++)
    g_signal_handlers_unblock_matched (c->conn, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA, id, 0, NULL, NULL,
                                       c->messages->pdata[i]);
  g_signal_handler_unblock (c->conn, c->disconnected_id);
  g_signal_handlers_unblock_matched (c->conn, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA, id, 0, NULL, NULL,
                                     c->hub->server);
  return alive;
}

static gboolean
idle_watch_cb (GSocket     *socket,
               GIOCondition condition,
               gpointer     user_data)
{
  Conn   *c = user_data;
  char    byte;
  ssize_t n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      /* The next request: libsoup reads it (and says so with
       * "request-started"). Watching a socket that stays readable would
       * spin; the idle timeout still stands. */
      g_clear_pointer (&c->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  /* EOF or an error: the client is gone. libsoup's reader sees it in
   * this round of the loop or the next (the socket stays readable): its
   * message must have ended first. */
  if (waiting_message_alive (c))
    {
      if (++c->postponed < 100)
        return G_SOURCE_CONTINUE;
      /* Never seen in practice; better a connection left to the idle
       * timeout than a loop that spins. */
      g_message ("connection %p: closed by its client, still read by libsoup", c->conn);
      g_clear_pointer (&c->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  g_clear_pointer (&c->watch, g_source_unref);
  conn_disconnect (c);
  return G_SOURCE_REMOVE;
}

static void
conn_watch_idle (Conn *c)
{
  conn_stop_watch (c);
  c->postponed = 0;
  c->watch = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  /* At libsoup's own priority: below it, the watch waited behind every
   * request of a busy hub (2,000 sockets held during a benchmark). Its
   * reader may see the end after us: the message it waits with holds the
   * connection until then, and its end releases it. */
  g_source_set_callback (c->watch, (GSourceFunc) (void (*) (void)) idle_watch_cb, c, NULL);
  g_source_attach (c->watch, g_main_context_get_thread_default ());
}

static gboolean
timeout_cb (gpointer user_data)
{
  Conn *c = user_data;

  g_clear_pointer (&c->timer, g_source_unref);
  g_debug ("connection %p: %s timed out", c->conn, c->phase == PHASE_IDLE ? "idle" : "request");
  if (c->phase == PHASE_IDLE)
    {
      c->hub->n_idle_closed++;
      /* The watch may have stepped aside for bytes that never became a
       * request: it is needed to see the end. */
      conn_watch_idle (c);
    }
  else
    c->hub->n_timed_out++;
  conn_shutdown (c);
  return G_SOURCE_REMOVE;
}

static void
conn_set_timer (Conn *c,
                guint seconds)
{
  conn_stop_timer (c);
  c->timer = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (c->timer, timeout_cb, c, NULL);
  g_source_attach (c->timer, g_main_context_get_thread_default ());
}

static Conn *
conn_lookup (RelaisHub         *self,
             SoupServerMessage *msg)
{
  GObject *conn = g_object_get_data (G_OBJECT (msg), "relais-connection");

  return conn != NULL ? g_hash_table_lookup (self->connections, conn) : NULL;
}

static void
got_headers_cb (SoupServerMessage *msg,
                RelaisHub         *self)
{
  Conn *c = conn_lookup (self, msg);

  /* The body must keep coming. */
  if (c != NULL)
    conn_set_timer (c, self->request_timeout_s);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RelaisHub         *self)
{
  Conn *c = conn_lookup (self, msg);

  if (c != NULL && c->phase == PHASE_REQUEST)
    conn_set_timer (c, self->request_timeout_s);
}

static void
got_body_cb (SoupServerMessage *msg,
             RelaisHub         *self)
{
  Conn *c = conn_lookup (self, msg);

  if (c == NULL)
    return;
  c->phase = PHASE_HANDLING;
  conn_stop_timer (c);
}

static void
finished_cb (SoupServerMessage *msg,
             RelaisHub         *self)
{
  Conn *c = conn_lookup (self, msg);

  /* Kept alive or not: libsoup decides right after, and a connection it
   * closes takes its watch and timer with it. */
  if (c == NULL)
    return;
  c->phase = PHASE_IDLE;
  conn_watch_idle (c);
  conn_set_timer (c, self->idle_timeout_s);
}

/* Emitted by every SoupServerConnection (a process-wide hook): it names
 * the connection of each message, which libsoup 3.2 keeps private. */
static gboolean
connection_request_started_hook (GSignalInvocationHint *hint,
                                 guint                  n_values,
                                 const GValue          *values,
                                 gpointer               data)
{
  GObject *conn = g_value_get_object (&values[0]);
  GObject *msg = n_values > 1 ? g_value_get_object (&values[1]) : NULL;

  if (msg != NULL)
    g_object_set_data (msg, "relais-connection", conn);
  return TRUE;
}

void
_relais_hub_conn_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      /* Registered by soup_server_listen (), through its listener. */
      GType type = g_type_from_name ("SoupServerConnection");
      guint signal_id = 0;

      if (type != 0)
        {
          /* Kept for ever: its signals must stay registered. */
          g_type_class_ref (type);
          signal_id = g_signal_lookup ("request-started", type);
        }
      if (signal_id != 0)
        g_signal_add_emission_hook (signal_id, 0, connection_request_started_hook, NULL, NULL);
      else
        g_message ("libsoup without SoupServerConnection::request-started: idle connections are not watched");
      g_once_init_leave (&done, 1);
    }
}

void
_relais_hub_conn_request_started (RelaisHub         *self,
                                  SoupServerMessage *msg)
{
  GObject *conn = g_object_get_data (G_OBJECT (msg), "relais-connection");
  Conn    *c;

  if (conn == NULL)
    return;
  c = g_hash_table_lookup (self->connections, conn);
  if (c == NULL)
    {
      GSocket *socket = NULL;

      g_object_get (conn, "socket", &socket, NULL);
      if (socket == NULL)
        return;
      /* libsoup before 3.4 also leaks the accepted socket itself: its
       * listener keeps the reference g_socket_accept () gave it (upstream
       * b545d5f0, "soup-listener: Plug a leak"). While the connection's
       * first message starts, the socket has exactly that one, the
       * connection's and ours; nothing will ever drop the listener's. */
      if (soup_get_major_version () == 3 && soup_get_minor_version () < 4
          && g_atomic_int_get (&G_OBJECT (socket)->ref_count) == 3)
        g_object_unref (socket);
      c = g_new0 (Conn, 1);
      c->hub = self;
      c->conn = conn;
      c->socket = socket;
      c->messages = g_ptr_array_new ();
      c->disconnected_id = g_signal_connect (conn, "disconnected", G_CALLBACK (conn_disconnected_cb), c);
      g_object_weak_ref (conn, conn_gone_cb, c);
      g_hash_table_insert (self->connections, conn, c);
      self->n_accepted++;
    }
  g_ptr_array_add (c->messages, msg);
  g_object_weak_ref (G_OBJECT (msg), message_gone_cb, c);
  /* The first request starts as the connection is accepted, the next ones
   * with their first byte: either way the headers have this long. */
  c->phase = PHASE_REQUEST;
  conn_stop_watch (c);
  conn_set_timer (c, self->request_timeout_s);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), self);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), self);
}

GHashTable *
_relais_hub_conn_table_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) conn_free);
}

guint
relais_hub_get_n_connections (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), 0);
  return g_hash_table_size (self->connections);
}

guint64
relais_hub_get_n_accepted (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), 0);
  return self->n_accepted;
}
