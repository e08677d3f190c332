/* relais-hub-accounts.c: mediators' accounts, login and sessions, so that
 * every action on a help request is attributed to a person. */
#define G_LOG_DOMAIN "relais-hub"

#include "relais-hub-private.h"
#include "relais-hub-json.h"
#include "relais-db-accounts.h"

#include <sodium.h>

/* Argon2id, sized for the hub's small memory budget: 32 MiB, 3 passes
 * (above OWASP's 19 MiB × 2), about 0.1 s here. */
#define PWHASH_OPSLIMIT 3
#define PWHASH_MEMLIMIT (32 * 1024 * 1024)
#define SESSION_HOURS 12
#define MAX_FAILURES 5
#define FAILURE_WINDOW_US (15 * G_TIME_SPAN_MINUTE)

gboolean
relais_hub_add_mediator (RelaisDb    *db,
                         const char  *login,
                         const char  *display_name,
                         const char  *password,
                         gboolean     staff,
                         GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (db != NULL && login != NULL && display_name != NULL && password != NULL, FALSE);

  if (*login == '\0' || strlen (login) > 64 || *display_name == '\0' || strlen (display_name) > 64)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Identifiant et nom : de 1 à 64 caractères");
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < 8)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Mot de passe trop court : 8 caractères au moins");
      return FALSE;
    }
  if (sodium_init () < 0
      || crypto_pwhash_str_alg (hash, password, strlen (password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
                                crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL, "Hachage du mot de passe impossible (mémoire ?)");
      return FALSE;
    }
  return relais_db_mediator_add (db, login, display_name, hash, staff ? "staff" : "mediator", error);
}

/* ---- login ---- */

typedef struct {
  RelaisHub         *hub;        /* owned ref */
  SoupServerMessage *msg;        /* owned ref */
  RelaisMediator    *mediator;   /* owned */
  char              *hash;
  char              *password;   /* wiped on free */
  char              *console;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->hub);
  g_object_unref (login->msg);
  relais_mediator_free (login->mediator);
  g_free (login->hash);
  if (login->password != NULL)
    sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->console);
  g_free (login);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Login *login = task_data;
  gboolean ok = crypto_pwhash_str_verify (login->hash, login->password, strlen (login->password)) == 0;

  g_task_return_boolean (task, ok);
}

static gboolean
too_many_failures (RelaisHub  *self,
                   const char *login)
{
  gint64 *since = g_hash_table_lookup (self->login_failures, login);

  if (since == NULL)
    return FALSE;
  if (g_get_monotonic_time () - since[0] > FAILURE_WINDOW_US)
    {
      g_hash_table_remove (self->login_failures, login);
      return FALSE;
    }
  return since[1] >= MAX_FAILURES;
}

static void
count_failure (RelaisHub  *self,
               const char *login)
{
  gint64 *entry = g_hash_table_lookup (self->login_failures, login);

  if (entry == NULL)
    {
      entry = g_new0 (gint64, 2);
      entry[0] = g_get_monotonic_time ();
      g_hash_table_insert (self->login_failures, g_strdup (login), entry);
    }
  entry[1]++;
}

static void
reply_session (Login *login)
{
  g_autofree char *token = relais_hub_new_token ();
  g_autofree char *hash = relais_hub_hash_token (token);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 expires_at = relais_db_now_ms () + SESSION_HOURS * 3600 * 1000;

  if (!relais_db_session_add (relais_hub_get_db (login->hub), hash, login->mediator->id,
                              login->console, expires_at, &error))
    {
      _relais_hub_reply_error (login->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login->mediator->login);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, login->mediator->display_name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, login->mediator->role);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  _relais_hub_reply_json (login->msg, SOUP_STATUS_OK, node);
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Login *login = g_task_get_task_data (G_TASK (result));

  if (g_task_propagate_boolean (G_TASK (result), NULL))
    {
      g_hash_table_remove (login->hub->login_failures, login->mediator->login);
      reply_session (login);
    }
  else
    {
      count_failure (login->hub, login->mediator->login);
      _relais_hub_reply_error (login->msg, SOUP_STATUS_UNAUTHORIZED, "identifiant ou mot de passe incorrect");
    }
  soup_server_message_unpause (login->msg);
}

void
_relais_hub_handle_login (RelaisHub         *self,
                          SoupServerMessage *msg,
                          const Client      *client)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *hash = NULL;
  const char *name;
  const char *password;
  JsonObject *root;
  Login *login;
  RelaisMediator *mediator;

  root = _relais_hub_read_json_body (self, msg, parser);
  if (root == NULL)
    return;
  if (!relais_hub_json_only (root, (const char *[]) { "login", "password", NULL }, &error)
      || (name = relais_hub_json_string (root, "login", TRUE, 64, &error)) == NULL
      || (password = relais_hub_json_string (root, "password", TRUE, 256, &error)) == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (too_many_failures (self, name))
    {
      _relais_hub_reply_error (msg, RELAIS_HUB_STATUS_TOO_MANY_REQUESTS,
                               "trop d'essais : réessayez dans un quart d'heure ou demandez à un responsable");
      return;
    }
  mediator = relais_db_mediator_lookup (self->db, name, &hash, &error);
  if (mediator == NULL)
    {
      /* Same answer as a wrong password: logins are not to be guessed. */
      count_failure (self, name);
      _relais_hub_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "identifiant ou mot de passe incorrect");
      return;
    }

  login = g_new0 (Login, 1);
  login->hub = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->mediator = mediator;
  login->hash = g_steal_pointer (&hash);
  login->password = g_strdup (password);
  login->console = g_strdup (client->name);

  /* Argon2id takes a tenth of a second: off the loop that serves streams. */
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, verify_done_cb, NULL);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, verify_thread);
}

RelaisMediator *
_relais_hub_session (RelaisHub          *self,
                     SoupServerMessage  *msg,
                     const Client       *client,
                     const char        **refusal)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *session = soup_message_headers_get_one (headers, "X-Relais-Session");
  g_autofree char *hash = NULL;
  RelaisMediator *mediator;

  if (session == NULL || strlen (session) > 256)
    {
      *refusal = "connexion d'un médiateur requise";
      return NULL;
    }
  hash = relais_hub_hash_token (session);
  mediator = relais_db_session_lookup (self->db, hash, client->name, relais_db_now_ms (), NULL);
  if (mediator == NULL)
    *refusal = "session expirée : reconnectez-vous";
  return mediator;
}

void
_relais_hub_handle_logout (RelaisHub         *self,
                           SoupServerMessage *msg,
                           const Client      *client)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *session = soup_message_headers_get_one (headers, "X-Relais-Session");
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (session == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "X-Relais-Session manque");
      return;
    }
  hash = relais_hub_hash_token (session);
  if (!relais_db_session_end (self->db, hash, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, error->message);
      return;
    }
  node = json_from_string ("{\"status\":\"ok\"}", NULL);
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}
