/* relais-hub-accounts.c: mediators' accounts, login and sessions, so that
 * every action on a help request is attributed to a person. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-db-accounts.h"

#include <sodium.h>

/* Argon2id, sized for the hub's small memory budget: 32 MiB, 3 passes
 * (above OWASP's 19 MiB × 2), about 0.1 s here. */
#define PWHASH_OPSLIMIT 3
#define PWHASH_MEMLIMIT (32 * 1024 * 1024)
#define SESSION_HOURS   12
/* Failed logins allowed in FAILURE_WINDOW_US: for one account from one
 * console (a console under attack cannot lock a mediator out of the
 * others), and for one console over all accounts (no spraying). */
#define MAX_FAILURES         5
#define MAX_CONSOLE_FAILURES 20
#define FAILURE_WINDOW_US    (15 * G_TIME_SPAN_MINUTE)
/* Argon2id running at once (32 MiB each), and waiting for a turn. */
#define MAX_HASHES         2
#define MAX_HASHES_WAITING 8

gboolean
relais_hub_add_mediator_roles (RelaisDb           *db,
                               const char         *login,
                               const char         *display_name,
                               const char         *password,
                               const char * const *roles,
                               GError            **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (db != NULL && login != NULL && display_name != NULL && password != NULL, FALSE);
  g_return_val_if_fail (roles != NULL, FALSE);

  if (*login == '\0' || strlen (login) > 64 || *display_name == '\0' || strlen (display_name) > 64)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Identifiant et nom : de 1 à 64 caractères");
      return FALSE;
    }
  /* Checked before the slow hash: a misspelt role is told at once. */
  if (roles[0] == NULL)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL, "Rôle : mediator, responsable ou staff.");
      return FALSE;
    }
  for (guint i = 0; roles[i] != NULL; i++)
    if (!g_strv_contains (relais_account_roles, roles[i]))
      {
        g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                     "Rôle inconnu « %s » : mediator, responsable ou staff.", roles[i]);
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
                                crypto_pwhash_ALG_ARGON2ID13)
             != 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL, "Hachage du mot de passe impossible (mémoire ?)");
      return FALSE;
    }
  return relais_db_mediator_add (db, login, display_name, hash, roles[0], error)
         && (roles[1] == NULL || relais_db_mediator_set_roles (db, login, roles, error));
}

gboolean
relais_hub_add_mediator (RelaisDb   *db,
                         const char *login,
                         const char *display_name,
                         const char *password,
                         gboolean    staff,
                         GError    **error)
{
  /* Staff were the responsables before roles ("--staff"): they still are. */
  return relais_hub_add_mediator_roles (db, login, display_name, password,
                                        staff ? (const char *[]) { "staff", "responsable", NULL }
                                              : (const char *[]) { "mediator", NULL },
                                        error);
}

/* ---- login ---- */

typedef struct {
  RelaisHub         *hub;      /* owned ref */
  SoupServerMessage *msg;      /* owned ref */
  RelaisMediator    *mediator; /* owned; NULL: no such account */
  char              *hash;
  char              *password; /* wiped on free */
  char              *console;
  char              *account_key; /* hub->login_failures keys */
  char              *console_key;
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
  g_free (login->account_key);
  g_free (login->console_key);
  g_free (login);
}

/* What an unknown login's password is checked against, so that it takes
 * as long as a known one's: logins are not to be guessed. */
static const char *
dummy_hash (void)
{
  static char  hash[crypto_pwhash_STRBYTES];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      guchar secret[16];

      randombytes_buf (secret, sizeof secret);
      if (crypto_pwhash_str_alg (hash, (const char *) secret, sizeof secret, PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13)
          != 0)
        hash[0] = '\0';
      g_once_init_leave (&done, 1);
    }
  return hash;
}

/* In one of the MAX_HASHES threads of hub->hashers. */
static void
verify_worker (gpointer data,
               gpointer pool_data)
{
  g_autoptr(GTask) task = data;
  Login      *login = g_task_get_task_data (task);
  const char *hash = login->mediator != NULL ? login->hash : dummy_hash ();
  gboolean    ok = crypto_pwhash_str_verify (hash, login->password, strlen (login->password)) == 0;

  /* The answer is made on the hub's loop. */
  g_task_return_boolean (task, ok && login->mediator != NULL);
}

GThreadPool *
_relais_hub_hashers_new (void)
{
  return g_thread_pool_new (verify_worker, NULL, MAX_HASHES, FALSE, NULL);
}

/* The failures counted under @key in the current window (an old window is
 * forgotten), or NULL. */
static gint64 *
failures_lookup (RelaisHub  *self,
                 const char *key)
{
  gint64 *entry = g_hash_table_lookup (self->login_failures, key);

  if (entry != NULL && g_get_monotonic_time () - entry[0] > FAILURE_WINDOW_US)
    {
      g_hash_table_remove (self->login_failures, key);
      entry = NULL;
    }
  return entry;
}

static gboolean
too_many_failures (RelaisHub  *self,
                   const char *key,
                   gint64      max)
{
  gint64 *entry = failures_lookup (self, key);

  return entry != NULL && entry[1] >= max;
}

static void
count_failure (RelaisHub  *self,
               const char *key,
               int         delta)
{
  gint64 *entry = failures_lookup (self, key);

  if (entry == NULL)
    {
      GHashTableIter iter;
      gpointer       value;

      /* Forget the windows that ended, now and then: the table stays the
       * size of the last quarter of an hour's failures. */
      if (g_hash_table_size (self->login_failures) > 256)
        {
          g_hash_table_iter_init (&iter, self->login_failures);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (g_get_monotonic_time () - ((gint64 *) value)[0] > FAILURE_WINDOW_US)
              g_hash_table_iter_remove (&iter);
        }
      entry = g_new0 (gint64, 2);
      entry[0] = g_get_monotonic_time ();
      g_hash_table_insert (self->login_failures, g_strdup (key), entry);
    }
  entry[1] = MAX (0, entry[1] + delta);
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
  relais_hub_json_add_string (builder, "session", token);
  relais_hub_json_add_int (builder, "expires_at", expires_at);
  relais_hub_json_add_string (builder, "login", login->mediator->login);
  relais_hub_json_add_string (builder, "name", login->mediator->display_name);
  relais_hub_json_add_string (builder, "role", login->mediator->role);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; login->mediator->roles != NULL && login->mediator->roles[i] != NULL; i++)
    json_builder_add_string_value (builder, login->mediator->roles[i]);
  json_builder_end_array (builder);
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
      /* The attempt was counted as a failure before its hash: undo. */
      g_hash_table_remove (login->hub->login_failures, login->account_key);
      count_failure (login->hub, login->console_key, -1);
      reply_session (login);
    }
  else
    _relais_hub_reply_error (login->msg, SOUP_STATUS_UNAUTHORIZED, "identifiant ou mot de passe incorrect");
  soup_server_message_unpause (login->msg);
}

void
_relais_hub_handle_login (RelaisHub           *self,
                          SoupServerMessage   *msg,
                          const RelaisHubCall *call)
{
  const Client *client = call->client;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *account_key = NULL;
  g_autofree char *console_key = NULL;
  const char      *name;
  const char      *password;
  JsonObject      *root;
  Login           *login;

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
  account_key = g_strdup_printf ("%s\n%s", client->name, name);
  console_key = g_strdup_printf ("%s\n", client->name);
  if (too_many_failures (self, account_key, MAX_FAILURES)
      || too_many_failures (self, console_key, MAX_CONSOLE_FAILURES))
    {
      _relais_hub_reply_error (msg, RELAIS_HUB_STATUS_TOO_MANY_REQUESTS,
                               "trop d'essais : réessayez dans un quart d'heure ou demandez à un responsable");
      return;
    }
  if (g_thread_pool_unprocessed (self->hashers) >= MAX_HASHES_WAITING)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      _relais_hub_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "trop de connexions en cours : réessayez");
      return;
    }
  /* Counted now, before the hash: attempts at once cannot all pass the
   * check above. A success takes it back. */
  count_failure (self, account_key, 1);
  count_failure (self, console_key, 1);

  login = g_new0 (Login, 1);
  login->hub = g_object_ref (self);
  login->msg = g_object_ref (msg);
  /* An unknown login is checked against a dummy hash: same answer, same
   * time as a wrong password. */
  login->mediator = relais_db_mediator_lookup (self->db, name, &hash, NULL);
  login->hash = g_steal_pointer (&hash);
  login->password = g_strdup (password);
  login->console = g_strdup (client->name);
  login->account_key = g_steal_pointer (&account_key);
  login->console_key = g_steal_pointer (&console_key);

  /* Argon2id takes a tenth of a second: off the loop that serves streams,
   * in one of MAX_HASHES threads. */
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, verify_done_cb, NULL);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_thread_pool_push (self->hashers, g_steal_pointer (&task), NULL);
}

RelaisMediator *
_relais_hub_session (RelaisHub         *self,
                     SoupServerMessage *msg,
                     const Client      *client,
                     const char       **refusal)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *session = soup_message_headers_get_one (headers, "X-Relais-Session");
  g_autofree char    *hash = NULL;
  RelaisMediator     *mediator;

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
_relais_hub_handle_logout (RelaisHub           *self,
                           SoupServerMessage   *msg,
                           const RelaisHubCall *call)
{
  const Client       *client = call->client;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *session = soup_message_headers_get_one (headers, "X-Relais-Session");
  g_autofree char    *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* The gate found the session, on this console (ROUTE_SESSION). */
  g_assert (session != NULL && client->mediator != NULL);
  hash = relais_hub_hash_token (session);
  if (!relais_db_session_end (self->db, hash, client->name, &error))
    {
      _relais_hub_reply_error (msg, g_error_matches (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND) ? SOUP_STATUS_UNAUTHORIZED : SOUP_STATUS_SERVICE_UNAVAILABLE,
                               error->message);
      return;
    }
  node = relais_hub_json_status ("ok");
  _relais_hub_reply_json (msg, SOUP_STATUS_OK, node);
}
