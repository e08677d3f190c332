/* relais-link.c: a station's or console's link to the hub (libcurl). */

#include "relais-link-private.h"

G_DEFINE_QUARK (relais-link-error-quark, relais_link_error);

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

guint              _relais_link_signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelaisLink, relais_link, G_TYPE_OBJECT)

void
_relais_link_curl_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

/* ---- announcing on the owner's main context ---- */

typedef struct {
  RelaisLink     *self;   /* owned ref */
  guint           signal; /* 0: state change */
  GQuark          detail; /* for stream-event: the event's name */
  RelaisLinkState state;
  JsonObject     *object; /* owned, may be NULL */
  GType           boxed_type;
  gpointer        boxed; /* owned, may be NULL: a protocol record */
} Announce;

static void
announce_free (Announce *a)
{
  g_object_unref (a->self);
  g_clear_pointer (&a->object, json_object_unref);
  if (a->boxed != NULL)
    g_boxed_free (a->boxed_type, a->boxed);
  g_free (a);
}

static gboolean
announce_cb (gpointer user_data)
{
  Announce *a = user_data;

  if (a->signal == 0)
    {
      if (a->self->state != a->state)
        {
          a->self->state = a->state;
          g_object_notify_by_pspec (G_OBJECT (a->self), properties[PROP_STATE]);
        }
    }
  else if (a->signal == _relais_link_signals[SIGNAL_STREAM_EVENT])
    g_signal_emit (a->self, a->signal, a->detail, g_quark_to_string (a->detail), a->object);
  else if (a->boxed != NULL)
    g_signal_emit (a->self, a->signal, 0, a->boxed);
  else if (a->object != NULL)
    g_signal_emit (a->self, a->signal, 0, a->object);
  else
    g_signal_emit (a->self, a->signal, 0);
  return G_SOURCE_REMOVE;
}

void
_relais_link_announce (RelaisLink     *self,
                       guint           signal,
                       RelaisLinkState state,
                       JsonObject     *object)
{
  Announce *a = g_new0 (Announce, 1);

  a->self = g_object_ref (self);
  a->signal = signal;
  a->state = state;
  a->object = object;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, announce_cb, a,
                              (GDestroyNotify) announce_free);
}

void
_relais_link_announce_boxed (RelaisLink *self,
                             guint       signal,
                             GType       boxed_type,
                             gpointer    boxed)
{
  Announce *a = g_new0 (Announce, 1);

  g_assert (boxed != NULL);
  a->self = g_object_ref (self);
  a->signal = signal;
  a->boxed_type = boxed_type;
  a->boxed = boxed;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, announce_cb, a,
                              (GDestroyNotify) announce_free);
}

void
_relais_link_announce_event (RelaisLink *self,
                             GQuark      detail,
                             JsonObject *object)
{
  Announce *a = g_new0 (Announce, 1);

  a->self = g_object_ref (self);
  a->signal = _relais_link_signals[SIGNAL_STREAM_EVENT];
  a->detail = detail;
  a->object = object;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, announce_cb, a,
                              (GDestroyNotify) announce_free);
}

void
_relais_link_set_state (RelaisLink     *self,
                        RelaisLinkState state)
{
  _relais_link_announce (self, 0, state, NULL);
}

/* ---- HTTP ---- */

gboolean
_relais_link_quit_requested (RelaisLink *self)
{
  gboolean quit;

  g_mutex_lock (&self->lock);
  quit = self->quit;
  g_mutex_unlock (&self->lock);
  return quit;
}

static int
xferinfo_cb (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  return _relais_link_quit_requested (user_data) ? 1 : 0;
}

CURL *
_relais_link_take_handle (RelaisLink         *self,
                          const char         *path,
                          struct curl_slist **headers,
                          char               *errbuf)
{
  g_autofree char *url = g_strconcat (self->url, "/api/v1", path, NULL);
  CURL            *curl = NULL;

  g_mutex_lock (&self->lock);
  if (self->idle_handles->len > 0)
    curl = g_ptr_array_steal_index_fast (self->idle_handles, self->idle_handles->len - 1);
  g_mutex_unlock (&self->lock);
  if (curl != NULL)
    /* Every option back to its default; the open connection stays. */
    curl_easy_reset (curl);
  else
    curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_MAXAGE_CONN, (long) MAX_CONNECTION_IDLE_S);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt (curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, self);
  *headers = curl_slist_append (*headers, self->auth_header);
  g_mutex_lock (&self->lock);
  if (self->session_header != NULL)
    *headers = curl_slist_append (*headers, self->session_header);
  /* A site hub has a self-signed certificate: no CA can vouch for it, the
   * pin does. curl checks the pin even with peer verification off, and
   * fails the handshake when the hub's key is not the pinned one. Without
   * a pin, https keeps curl's usual CA and host name checks. The pin only
   * exists with an https:// URL (relais_link_set_pin ()). */
  if (self->pin != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, self->pin);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  g_mutex_unlock (&self->lock);
  *headers = curl_slist_append (*headers, "Content-Type: application/json");
  *headers = curl_slist_append (*headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, *headers);
  errbuf[0] = '\0';
  return curl;
}

void
_relais_link_give_handle (RelaisLink *self,
                          CURL       *curl)
{
  if (curl == NULL)
    return;
  /* The callbacks' data lived on the caller's stack. */
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, NULL);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, NULL);
  g_mutex_lock (&self->lock);
  if (self->idle_handles->len < MAX_IDLE_HANDLES)
    {
      g_ptr_array_add (self->idle_handles, curl);
      curl = NULL;
    }
  g_mutex_unlock (&self->lock);
  if (curl != NULL)
    curl_easy_cleanup (curl);
}

/* Maps a finished transfer to an error, translating curl exactly once. */
char *
relais_link_refusal_message (const char *data,
                             gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  /* The hub explains refusals as {"error": "..."}. */
  if (data == NULL || length == 0)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL));
}

static gboolean
check_transfer (CURLcode            rc,
                const char         *errbuf,
                long                status,
                const RelaisBuffer *body,
                GError            **error)
{
  g_autofree char *message = NULL;

  if (body->too_large)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE, "réponse du hub trop grande");
      return FALSE;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE,
                   "Le hub ne répond pas : %s", *errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      return FALSE;
    }
  if (status >= 200 && status < 300)
    return TRUE;

  message = relais_link_refusal_message (body->data->str, body->data->len);
  if (message == NULL)
    message = g_strdup_printf ("HTTP %ld", status);

  g_set_error (error, RELAIS_LINK_ERROR,
               status == 401 ? RELAIS_LINK_ERROR_UNAUTHORIZED : status == 404 ? RELAIS_LINK_ERROR_NOT_FOUND
                                                            : status == 409   ? RELAIS_LINK_ERROR_CONFLICT
                                                            : status == 413   ? RELAIS_LINK_ERROR_TOO_LARGE
                                                            : status == 429   ? RELAIS_LINK_ERROR_BUSY
                                                            : status >= 500   ? RELAIS_LINK_ERROR_SERVER
                                                                              : RELAIS_LINK_ERROR_REFUSED,
               "%s", message);
  return FALSE;
}

/* One request with a JSON answer. @body NULL makes a GET. */
JsonObject *
_relais_link_request_json (RelaisLink *self,
                           const char *path,
                           const char *body,
                           GError    **error)
{
  struct curl_slist *headers = NULL;
  char               errbuf[CURL_ERROR_SIZE];
  CURL              *curl = _relais_link_take_handle (self, path, &headers, errbuf);
  g_auto(RelaisBuffer) data = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  long      status = 0;
  CURLcode  rc;
  JsonNode *root;

  relais_buffer_init (&data, RELAIS_LINK_MAX_RESPONSE);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, relais_buffer_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &data);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  _relais_link_give_handle (self, curl);
  curl_slist_free_all (headers);

  if (!check_transfer (rc, errbuf, status, &data, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data.data->str, data.data->len, &parse_error)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "réponse illisible du hub : %s", parse_error != NULL ? parse_error->message : "pas un objet");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
relais_link_get_json (RelaisLink *self,
                      const char *path,
                      GError    **error)
{
  g_return_val_if_fail (RELAIS_IS_LINK (self), NULL);
  return _relais_link_request_json (self, path, NULL, error);
}

/* ---- console actions ---- */

typedef struct {
  char *path;
  char *body;
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_free (data->path);
  if (data->body != NULL)
    memset (data->body, 0, strlen (data->body)); /* may hold a password */
  g_free (data->body);
  g_free (data);
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RelaisLink *self = source_object;
  ActionData *data = task_data;
  GError     *error = NULL;
  JsonObject *reply = _relais_link_request_json (self, data->path, data->body, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) json_object_unref);
}

static void
post_async (RelaisLink         *self,
            gpointer            source_tag,
            char               *path,
            JsonNode           *body,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ActionData *data = g_new0 (ActionData, 1);

  data->path = path;
  if (body != NULL)
    {
      data->body = json_to_string (body, FALSE);
      json_node_unref (body);
    }
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) action_data_free);
  g_task_run_in_thread (task, action_thread);
}

void
relais_link_help_resolve_async (RelaisLink         *self,
                                const char         *id,
                                const char         *need,
                                const char         *outcome,
                                const char         *partner,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *escaped = NULL;
  const char      *members[] = { "need", "outcome", "partner" };
  const char      *values[] = { need, outcome, partner };

  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (values[i] != NULL)
      {
        json_builder_set_member_name (builder, members[i]);
        json_builder_add_string_value (builder, values[i]);
      }
  json_builder_end_object (builder);
  /* The same task as the other verbs: one finish for all. */
  post_async (self, relais_link_help_action_async, g_strdup_printf ("/help/%s/resolve", escaped),
              json_builder_get_root (builder), cancellable, callback, user_data);
}

char **
relais_help_partners_from_reply (JsonObject *reply,
                                 GError    **error)
{
  JsonNode *node = json_object_get_member (reply, "partners");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                           "le hub a répondu sans « partners »");
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                               "« partners » : un partenaire n'est pas un texte");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

void
relais_link_help_action_async (RelaisLink         *self,
                               const char         *id,
                               const char         *verb,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *escaped = NULL;

  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (id != NULL && verb != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_end_object (builder);
  post_async (self, relais_link_help_action_async, g_strdup_printf ("/help/%s/%s", escaped, verb),
              json_builder_get_root (builder), cancellable, callback, user_data);
}

RelaisHelpRequest *
relais_link_help_action_finish (RelaisLink   *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_autoptr(JsonObject) reply = NULL;
  RelaisHelpRequest *request;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;
  request = _relais_link_help_from_json (reply);
  if (request == NULL)
    g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                         "le hub a répondu sans la demande d'aide attendue");
  return request;
}

void
relais_link_request_async (RelaisLink         *self,
                           const char         *path,
                           JsonNode           *body,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  post_async (self, relais_link_request_async, g_strdup (path), body, cancellable, callback, user_data);
}

JsonObject *
relais_link_request_finish (RelaisLink   *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- raw transfers (the digital safe's ciphertext) ---- */

GBytes *
relais_link_transfer (RelaisLink         *self,
                      const char         *method,
                      const char         *path,
                      GBytes             *body,
                      const char * const *extra_headers,
                      gsize               max_response,
                      long               *status,
                      GError            **error)
{
  struct curl_slist *headers = NULL;
  char               errbuf[CURL_ERROR_SIZE];
  CURL              *curl = NULL;
  g_auto(RelaisBuffer) data = { 0 };
  CURLcode rc;

  g_return_val_if_fail (RELAIS_IS_LINK (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && path[0] == '/' && status != NULL, NULL);

  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
    headers = curl_slist_append (headers, extra_headers[i]);
  relais_buffer_init (&data, max_response);
  curl = _relais_link_take_handle (self, path, &headers, errbuf);
  /* A 20 MB scan over a slow site network: minutes, not seconds. */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 300000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, relais_buffer_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &data);
  if (body != NULL)
    {
      gsize       length = 0;
      const void *bytes = g_bytes_get_data (body, &length);

      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, length > 0 ? bytes : "");
    }
  if (!g_str_equal (method, body != NULL ? "POST" : "GET"))
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  rc = curl_easy_perform (curl);
  *status = 0;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
  _relais_link_give_handle (self, curl);
  curl_slist_free_all (headers);

  if (data.too_large)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE, "réponse du hub trop grande");
      return NULL;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE,
                   "Le hub ne répond pas : %s", *errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      return NULL;
    }
  return relais_buffer_steal_bytes (&data);
}

void
relais_login_reply_free (RelaisLoginReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->login);
  g_free (reply->name);
  g_free (reply);
}

/* The one place the hub's answer to a login is read. NULL when it
 * lacks the login or the name. */
static RelaisLoginReply *
login_reply_from_json (JsonObject *object)
{
  const char       *login = json_object_get_string_member_with_default (object, "login", NULL);
  const char       *name = json_object_get_string_member_with_default (object, "name", NULL);
  RelaisLoginReply *reply;

  if (login == NULL || *login == '\0' || name == NULL || *name == '\0')
    return NULL;
  reply = g_new0 (RelaisLoginReply, 1);
  reply->login = g_strdup (login);
  reply->name = g_strdup (name);
  reply->role = relais_role_from_string (json_object_get_string_member_with_default (object, "role", NULL));
  reply->expires_at = json_object_get_int_member_with_default (object, "expires_at", 0);
  /* An older hub sends no roles: nobody is a responsable then, and the
   * hub still says no where it must. */
  if (json_object_has_member (object, "roles") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "roles")))
    {
      JsonArray *roles = json_object_get_array_member (object, "roles");

      for (guint i = 0; i < json_array_get_length (roles); i++)
        if (JSON_NODE_HOLDS_VALUE (json_array_get_element (roles, i))
            && g_strcmp0 (json_array_get_string_element (roles, i), "responsable") == 0)
          reply->responsable = TRUE;
    }
  return reply;
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RelaisLink *self = RELAIS_LINK (object);
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) reply = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(RelaisLoginReply) who = NULL;
  const char *session;

  if (reply == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  session = json_object_get_string_member_with_default (reply, "session", NULL);
  who = login_reply_from_json (reply);
  if (session == NULL || who == NULL)
    {
      g_task_return_new_error (outer, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                               session == NULL ? "réponse de connexion sans session"
                                               : "réponse de connexion sans identifiant ni nom");
      return;
    }
  g_mutex_lock (&self->lock);
  g_free (self->session_header);
  self->session_header = g_strdup_printf ("X-Relais-Session: %s", session);
  g_mutex_unlock (&self->lock);
  /* The session stays inside the link. */
  g_task_return_pointer (outer, g_steal_pointer (&who), (GDestroyNotify) relais_login_reply_free);
}

void
relais_link_login_async (RelaisLink         *self,
                         const char         *login,
                         const char         *password,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GTask *outer;

  g_return_if_fail (RELAIS_IS_LINK (self));
  g_return_if_fail (login != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, relais_link_login_async);
  post_async (self, relais_link_login_async, g_strdup ("/login"), json_builder_get_root (builder),
              cancellable, login_done_cb, outer);
}

RelaisLoginReply *
relais_link_login_finish (RelaisLink   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
logout_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JsonObject) reply = g_task_propagate_pointer (G_TASK (result), NULL);
}

void
relais_link_logout (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  if (!relais_link_has_session (self))
    return;
  /* The request carries the session header; it is forgotten once sent. */
  post_async (self, relais_link_logout, g_strdup ("/logout"), json_from_string ("{}", NULL),
              NULL, logout_done_cb, NULL);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->session_header, g_free);
  g_mutex_unlock (&self->lock);
}

gboolean
relais_link_has_session (RelaisLink *self)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = self->session_header != NULL;
  g_mutex_unlock (&self->lock);
  return has;
}

/* ---- life cycle ---- */

static void
relais_link_dispose (GObject *object)
{
  relais_link_stop (RELAIS_LINK (object));
  G_OBJECT_CLASS (relais_link_parent_class)->dispose (object);
}

static void
relais_link_finalize (GObject *object)
{
  RelaisLink *self = RELAIS_LINK (object);

  g_clear_pointer (&self->db, relais_db_close);
  g_clear_pointer (&self->senders, g_hash_table_unref);
  g_clear_pointer (&self->idle_handles, g_ptr_array_unref);
  g_mutex_clear (&self->db_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->url);
  g_free (self->auth_header);
  g_free (self->session_header);
  g_free (self->pin);
  g_free (self->failing_key);
  g_free (self->outbox_path);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (relais_link_parent_class)->finalize (object);
}

static void
relais_link_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RelaisLink *self = RELAIS_LINK (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relais_link_class_init (RelaisLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relais_link_dispose;
  object_class->finalize = relais_link_finalize;
  object_class->get_property = relais_link_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL,
                                             RELAIS_LINK_OFFLINE, RELAIS_LINK_UNAUTHORIZED,
                                             RELAIS_LINK_OFFLINE,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _relais_link_signals[SIGNAL_STREAM_EVENT] = g_signal_new ("stream-event", G_TYPE_FROM_CLASS (klass),
                                                            G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                                                            G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
  _relais_link_signals[SIGNAL_HELP_CHANGED] = g_signal_new ("help-changed", G_TYPE_FROM_CLASS (klass),
                                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                            G_TYPE_NONE, 1, RELAIS_TYPE_HELP_REQUEST);
  _relais_link_signals[SIGNAL_STATION_CHANGED] = g_signal_new ("station-changed", G_TYPE_FROM_CLASS (klass),
                                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                               G_TYPE_NONE, 1, RELAIS_TYPE_STATION_STATUS);
  _relais_link_signals[SIGNAL_RING] = g_signal_new ("ring", G_TYPE_FROM_CLASS (klass),
                                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                    G_TYPE_NONE, 1, RELAIS_TYPE_HELP_REQUEST);
  _relais_link_signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass),
                                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                     G_TYPE_NONE, 0);
}

static void
relais_link_init (RelaisLink *self)
{
  g_mutex_init (&self->db_lock);
  g_mutex_init (&self->lock);
  self->batch_size = BATCH_SIZE;
  self->senders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->idle_handles = g_ptr_array_new_with_free_func ((GDestroyNotify) curl_easy_cleanup);
  g_cond_init (&self->cond);
  self->state = RELAIS_LINK_CONNECTING;
}

RelaisLink *
relais_link_new (const char *hub_url,
                 const char *token,
                 const char *outbox_path,
                 GError    **error)
{
  g_autoptr(RelaisLink) self = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (hub_url != NULL, NULL);

  uri = g_uri_parse (hub_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    {
      g_prefix_error (error, "Adresse du hub invalide : ");
      return NULL;
    }
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "Adresse du hub invalide : %s (http:// ou https:// attendu)", hub_url);
      return NULL;
    }

  _relais_link_curl_init ();
  self = g_object_new (RELAIS_TYPE_LINK, NULL);
  self->url = g_strdup (hub_url);
  while (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->auth_header = g_strdup_printf ("Authorization: Bearer %s", token != NULL ? token : "");
  self->context = g_main_context_ref_thread_default ();
  if (outbox_path != NULL)
    {
      self->outbox_path = g_strdup (outbox_path);
      self->db = relais_db_open (outbox_path, RELAIS_DB_STATION, error);
      if (self->db == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

/* One pin: "sha256//" + the base64 of 32 bytes. */
static gboolean
pin_is_valid (const char *pin,
              gsize       length)
{
  const gsize prefix = strlen ("sha256//");

  if (length != prefix + 44 || strncmp (pin, "sha256//", prefix) != 0 || pin[length - 1] != '=')
    return FALSE;
  for (gsize i = prefix; i < length - 1; i++)
    if (!g_ascii_isalnum (pin[i]) && pin[i] != '+' && pin[i] != '/')
      return FALSE;
  return TRUE;
}

gboolean
relais_link_set_pin (RelaisLink *self,
                     const char *pin,
                     GError    **error)
{
  g_autofree char *copy = NULL;
  g_autoptr(GPtrArray) old_handles = NULL;

  g_return_val_if_fail (RELAIS_IS_LINK (self), FALSE);

  if (pin != NULL && *pin != '\0')
    {
      /* Several pins, separated by ';', let a site change its key without
       * a day when stations cannot connect. */
      const char *start = pin;

      for (;;)
        {
          const char *end = strchr (start, ';');
          gsize       length = end != NULL ? (gsize) (end - start) : strlen (start);

          if (!pin_is_valid (start, length))
            {
              g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                           "Empreinte de la clé du hub invalide : « %s » (attendu : « sha256//… », "
                           "tel que l'affiche « relais-hub tls-pin »)",
                           pin);
              return FALSE;
            }
          if (end == NULL)
            break;
          start = end + 1;
        }
      /* Over plain http the pin would protect nothing: say so rather than
       * let a site believe its link is checked. */
      if (g_strcmp0 (g_uri_peek_scheme (self->url), "https") != 0)
        {
          g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                       "Une empreinte de clé (pin) est donnée mais l'adresse du hub n'est pas en https:// : %s",
                       self->url);
          return FALSE;
        }
      copy = g_strdup (pin);
    }

  g_mutex_lock (&self->lock);
  g_free (self->pin);
  self->pin = g_steal_pointer (&copy);
  /* A kept connection was checked against the old pin: none is reused. */
  old_handles = g_steal_pointer (&self->idle_handles);
  self->idle_handles = g_ptr_array_new_with_free_func ((GDestroyNotify) curl_easy_cleanup);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
relais_link_start (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  if (self->streamer != NULL)
    return;
  self->quit = FALSE;
  self->streamer = g_thread_new ("relais-link-stream", _relais_link_stream_thread, self);
  if (self->db != NULL)
    self->sender = g_thread_new ("relais-link-send", _relais_link_sender_thread, self);
}

void
relais_link_stop (RelaisLink *self)
{
  g_return_if_fail (RELAIS_IS_LINK (self));

  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->streamer, g_thread_join);
  g_clear_pointer (&self->sender, g_thread_join);
}

RelaisLinkState
relais_link_get_state (RelaisLink *self)
{
  g_return_val_if_fail (RELAIS_IS_LINK (self), RELAIS_LINK_OFFLINE);
  return self->state;
}

const char *
relais_link_get_url (RelaisLink *self)
{
  return self->url;
}
