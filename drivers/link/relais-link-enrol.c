/* relais-link-enrol.c: a new station or console gets its token from the
 * hub with a one-time code (POST /enrol, no token yet), and keeps it with
 * the hub's pin in its configuration. */

#include "relais-link-private.h"
#include "relais-protocol.h"

#include <errno.h>
#include <string.h>

/* The hub's answer is a few hundred bytes. */
#define ENROL_MAX_RESPONSE (16 * 1024)

void
relais_enrolment_free (RelaisEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  g_free (enrolment->url);
  g_free (enrolment->kind);
  g_free (enrolment->name);
  if (enrolment->token != NULL)
    {
      memset (enrolment->token, 0, strlen (enrolment->token));
      g_free (enrolment->token);
    }
  g_free (enrolment->pin);
  g_free (enrolment->fingerprint);
  g_free (enrolment);
}

/* One request to @url + @path: a POST of @body, or a GET when NULL;
 * pinned to @pin when not NULL; without a pin, an https certificate is
 * taken unchecked (the answer's pin is checked next). The answer's JSON
 * object, or NULL with @error (the hub's sentence on a refusal). */
static JsonObject *
enrol_request (const char *url,
               const char *path,
               const char *body,
               const char *pin,
               GError    **error)
{
  g_autoptr(CURL) curl = NULL;
  g_autofree char *full = g_strconcat (url, "/api/v1", path, NULL);
  g_auto(RelaisBuffer) data = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  struct curl_slist *headers = NULL;
  char               errbuf[CURL_ERROR_SIZE] = "";
  long               status = 0;
  CURLcode           rc;
  JsonNode          *root;

  _relais_link_curl_init ();
  curl = curl_easy_init ();
  relais_buffer_init (&data, ENROL_MAX_RESPONSE);
  headers = curl_slist_append (headers, "Content-Type: application/json");
  headers = curl_slist_append (headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_URL, full);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, relais_buffer_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &data);
  /* A site's hub has a self-signed certificate no CA vouches for: its
   * pin does, once known. */
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
  if (pin != NULL)
    curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, pin);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (headers);

  if (data.too_large)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE, "Réponse du hub trop grande.");
      return NULL;
    }
  if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "La clé du hub ne correspond pas à l'empreinte qu'il a donnée : rien n'est enregistré.");
      return NULL;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE,
                   "Le hub ne répond pas à l'adresse %s : %s", url, *errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      return NULL;
    }
  if (status < 200 || status >= 300)
    {
      g_autofree char *message = relais_link_refusal_message (data.data->str, data.data->len);

      g_set_error (error, RELAIS_LINK_ERROR,
                   status == 429 ? RELAIS_LINK_ERROR_BUSY : status == 404 ? RELAIS_LINK_ERROR_NOT_FOUND
                                                        : status >= 500   ? RELAIS_LINK_ERROR_SERVER
                                                                          : RELAIS_LINK_ERROR_REFUSED,
                   "%s", message != NULL ? message : "Le hub refuse l'inscription.");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data.data->str, data.data->len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL, "Réponse illisible du hub.");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* @object's string @member, at most @max bytes, or NULL. */
static char *
member_dup (JsonObject *object,
            const char *member,
            gsize       max)
{
  JsonNode   *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  if (value == NULL || *value == '\0' || strlen (value) > max || !g_utf8_validate (value, -1, NULL))
    return NULL;
  return g_strdup (value);
}

RelaisEnrolment *
relais_link_enrol (const char *hub_url,
                   const char *code,
                   GError    **error)
{
  g_autoptr(RelaisEnrolment) enrolment = g_new0 (RelaisEnrolment, 1);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) health = NULL;
  g_autofree char *body = NULL;
  gboolean         https;

  g_return_val_if_fail (hub_url != NULL && code != NULL, NULL);

  uri = g_uri_parse (hub_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "Adresse du hub invalide : %s (par exemple https://hub.local:8470)", hub_url);
      return NULL;
    }
  https = g_str_equal (g_uri_get_scheme (uri), "https");
  if (*code == '\0' || strlen (code) > 32)
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED,
                   "Le code d'inscription a 8 caractères, par exemple ACDE-FH34.");
      return NULL;
    }
  enrolment->url = g_strdup (hub_url);
  while (g_str_has_suffix (enrolment->url, "/"))
    enrolment->url[strlen (enrolment->url) - 1] = '\0';

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  answer = enrol_request (enrolment->url, "/enrol", body, NULL, error);
  if (answer == NULL)
    return NULL;
  enrolment->kind = member_dup (answer, "kind", 16);
  enrolment->name = member_dup (answer, "name", 64);
  enrolment->token = member_dup (answer, "token", 128);
  enrolment->pin = member_dup (answer, "pin", 512);
  if (enrolment->kind == NULL || enrolment->name == NULL || enrolment->token == NULL
      || (!g_str_equal (enrolment->kind, "station") && !g_str_equal (enrolment->kind, "console"))
      || (https && enrolment->pin == NULL))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                   "Réponse du hub incomplète : rien n'est enregistré.");
      return NULL;
    }
  if (!https)
    g_clear_pointer (&enrolment->pin, g_free);
  if (enrolment->pin != NULL)
    {
      enrolment->fingerprint = relais_tls_pin_short (enrolment->pin);
      if (enrolment->fingerprint == NULL)
        {
          g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL,
                       "Empreinte du hub illisible : rien n'est enregistré.");
          return NULL;
        }
      /* The key that answered must be the one the answer names: a second
       * connection, pinned, proves it. */
      health = enrol_request (enrolment->url, "/health", NULL, enrolment->pin, error);
      if (health == NULL)
        return NULL;
    }
  return g_steal_pointer (&enrolment);
}

static void
enrol_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  char           **args = task_data;
  GError          *error = NULL;
  RelaisEnrolment *enrolment = relais_link_enrol (args[0], args[1], &error);

  if (enrolment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, enrolment, (GDestroyNotify) relais_enrolment_free);
}

void
relais_link_enrol_async (const char         *hub_url,
                         const char         *code,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  char **args = g_new0 (char *, 3);

  args[0] = g_strdup (hub_url);
  args[1] = g_strdup (code);
  g_task_set_source_tag (task, relais_link_enrol_async);
  g_task_set_task_data (task, args, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, enrol_thread);
}

RelaisEnrolment *
relais_link_enrol_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
relais_enrolment_save (const RelaisEnrolment *enrolment,
                       const char            *config_path,
                       GError               **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  const char      *group;
  gsize            length;

  g_return_val_if_fail (enrolment != NULL && config_path != NULL, FALSE);

  group = g_str_equal (enrolment->kind, "station") ? "station" : "console";
  /* The other settings and their comments stay as they are. */
  if (!g_key_file_load_from_file (file, config_path, G_KEY_FILE_KEEP_COMMENTS, &local)
      && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_STORE,
                   "La configuration %s est illisible : %s", config_path, local->message);
      return FALSE;
    }
  g_key_file_set_string (file, "hub", "url", enrolment->url);
  g_key_file_set_string (file, "hub", "pin", enrolment->pin != NULL ? enrolment->pin : "");
  g_key_file_set_string (file, group, "name", enrolment->name);
  g_key_file_set_string (file, group, "token", enrolment->token);
  text = g_key_file_to_data (file, &length, NULL);
  dir = g_path_get_dirname (config_path);
  g_clear_error (&local);
  /* The token is a secret: the file is the program's own. */
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (config_path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_STORE,
                   "La configuration %s ne peut pas être écrite : %s", config_path,
                   local != NULL ? local->message : g_strerror (errno));
      return FALSE;
    }
  memset (text, 0, length);
  return TRUE;
}
