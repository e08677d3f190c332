/* relais-safe-client.c: opening a digital safe, encrypting on the station. */

#include "relais-safe-client.h"
#include "relais-db-safe.h"
#include "relais-limits.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>


struct _RelaisSafeClient
{
  /* Borrowed */
  RelaisLink        *link;
  /* Owned */
  RelaisDb          *db;          /* station only; guarded by db_lock */
  GMutex             db_lock;
  char              *number;      /* the open safe, or NULL */
  char              *session_header;
  RelaisSafeKeys    *keys;        /* the safe's keys, at a station with the PIN */
  RelaisSafeChannel *channel;
  gboolean           consented;   /* a mediator's view: other routes */
  RelaisSafeKeyring *doc_keys;    /* consented: the covered documents' keys */
  gint64             consent_until; /* ms, while consented */
};

/* How many document keys go in one consent request (the hub takes up to
 * CONSENT_BATCH_MAX, 256). */
#define CONSENT_BATCH 200

void
relais_safe_item_free (RelaisSafeItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->category);
  if (item->name != NULL)
    sodium_memzero (item->name, strlen (item->name));
  g_free (item->name);
  g_free (item);
}

static RelaisLinkSendResult deposit_sender (RelaisLink  *link,
                                            JsonObject  *data,
                                            GBytes      *envelope,
                                            GError     **error);

RelaisSafeClient *
relais_safe_client_new (RelaisLink  *link,
                        const char  *station_db_path,
                        GError     **error)
{
  g_autoptr(RelaisSafeClient) self = g_new0 (RelaisSafeClient, 1);

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  self->link = link;
  g_mutex_init (&self->db_lock);
  relais_link_set_attachment_sender (link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT), deposit_sender);
  if (station_db_path != NULL)
    {
      self->db = relais_db_open (station_db_path, RELAIS_DB_STATION, error);
      if (self->db == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

static void
forget (RelaisSafeClient *self)
{
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->session_header, g_free);
  g_clear_pointer (&self->keys, relais_safe_keys_free);
  g_clear_pointer (&self->channel, relais_safe_channel_free);
  g_clear_pointer (&self->doc_keys, relais_safe_keyring_free);
  self->consented = FALSE;
}

void
relais_safe_client_free (RelaisSafeClient *self)
{
  if (self == NULL)
    return;
  forget (self);
  g_clear_pointer (&self->db, relais_db_close);
  g_mutex_clear (&self->db_lock);
  g_free (self);
}

gboolean
relais_safe_client_is_open (RelaisSafeClient *self)
{
  return self->keys != NULL || self->doc_keys != NULL;
}

const char *
relais_safe_client_get_number (RelaisSafeClient *self)
{
  return self->number;
}

/* ---- HTTP ---- */

/* "600 Mo", or "100 Ko" below a megabyte: the hub counts its quotas so. */
static char *
size_text (gint64 bytes)
{
  bytes = MAX (0, bytes);
  if (bytes >= 1024 * 1024)
    return g_strdup_printf (_("%u Mo"), (guint) (bytes / (1024 * 1024)));
  return g_strdup_printf (_("%u Ko"), (guint) (bytes / 1024));
}

/* The hub's answer as an error of our domain, translated once here: the
 * resident reads it in the session's language. The hub writes its
 * sentences in French; those a resident may meet are marked N_() in the
 * hub and the database, so the catalogues translate them. A sentence with
 * numbers in it cannot be looked up: for those the hub also sends the
 * numbers, and the station writes the sentence. @card: the call checked
 * the card's code, not the secret code. */
static void
set_hub_error (long         status,
               JsonObject  *answer,
               gboolean     card,
               GError     **error)
{
  const char *message = answer != NULL ? json_object_get_string_member_with_default (answer, "error", NULL) : NULL;
  const char *full = answer != NULL ? json_object_get_string_member_with_default (answer, "full", NULL) : NULL;
  RelaisSafeError code = status == 423 ? RELAIS_SAFE_ERROR_LOCKED
                       : status == 403 && answer != NULL && json_object_has_member (answer, "remaining") ? RELAIS_SAFE_ERROR_WRONG_PIN
                       : status == 404 ? RELAIS_SAFE_ERROR_NOT_FOUND
                       : status == 413 ? RELAIS_SAFE_ERROR_TOO_LARGE
                       : status == 507 ? RELAIS_SAFE_ERROR_FULL
                       : status == 429 ? RELAIS_SAFE_ERROR_BUSY
                       : status >= 500 ? RELAIS_SAFE_ERROR_UNREACHABLE
                       : RELAIS_SAFE_ERROR_REFUSED;

  if (code == RELAIS_SAFE_ERROR_LOCKED)
    g_set_error_literal (error, RELAIS_SAFE_ERROR, code,
                         _("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."));
  else if (code == RELAIS_SAFE_ERROR_WRONG_PIN)
    {
      int left = json_object_get_int_member_with_default (answer, "remaining", 0);

      if (left <= 1)
        g_set_error_literal (error, RELAIS_SAFE_ERROR, code,
                             card ? _("Code de la carte faux. Attention : encore une erreur et le coffre sera bloqué.")
                                  : _("Code secret faux. Attention : encore une erreur et le coffre sera bloqué."));
      else if (card)
        g_set_error (error, RELAIS_SAFE_ERROR, code,
                     ngettext ("Code de la carte faux. Il vous reste %d essai.",
                               "Code de la carte faux. Il vous reste %d essais.", left), left);
      else
        g_set_error (error, RELAIS_SAFE_ERROR, code,
                     ngettext ("Code secret faux. Il vous reste %d essai.",
                               "Code secret faux. Il vous reste %d essais.", left), left);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "documents") == 0)
    {
      gint64 most = json_object_get_int_member_with_default (answer, "quota_documents", 0);

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Le coffre est plein : %d document au plus. Supprimez-en pour en mettre d'autres.",
                             "Le coffre est plein : %d documents au plus. Supprimez-en pour en mettre d'autres.",
                             (gulong) most), (int) most);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "bytes") == 0)
    {
      g_autofree char *most = size_text (json_object_get_int_member_with_default (answer, "quota_bytes", 0));
      g_autofree char *left = size_text (json_object_get_int_member_with_default (answer, "left_bytes", 0));

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   _("Le coffre est plein : %s au plus, il reste %s. Supprimez des documents pour en mettre d'autres."),
                   most, left);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "waiting") == 0)
    {
      gint64 waiting = json_object_get_int_member_with_default (answer, "waiting_documents", 0);

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Ce coffre a déjà %d document déposé sans code qui attend : la personne doit ouvrir "
                             "son coffre avec son code secret avant d'en recevoir d'autres.",
                             "Ce coffre a déjà %d documents déposés sans code qui attendent : la personne doit ouvrir "
                             "son coffre avec son code secret avant d'en recevoir d'autres.", (gulong) waiting),
                   (int) waiting);
    }
  else if (code == RELAIS_SAFE_ERROR_BUSY && answer != NULL && json_object_has_member (answer, "minutes"))
    {
      gint64 minutes = MAX (1, json_object_get_int_member_with_default (answer, "minutes", 1));

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Trop de documents déposés sans code depuis ce poste : réessayez dans %d minute.",
                             "Trop de documents déposés sans code depuis ce poste : réessayez dans %d minutes.",
                             (gulong) minutes), (int) minutes);
    }
  /* 400: the hub did not understand the station. Its words are for the
   * developers: the log keeps them. */
  else if (message == NULL || status == 400)
    {
      if (message != NULL)
        g_message ("the hub refused a safe call (%ld): %s", status, message);
      g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _("Le coffre ne répond pas comme prévu. Réessayez."));
    }
  else
    g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _(message));
}

/* The station cannot make sense of the hub's answer: a bug, or the hub
 * of another version. */
static void
set_unreadable (GError          **error,
                RelaisSafeError   code,
                const char       *detail)
{
  g_message ("unreadable answer from the hub: %s", detail);
  g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _("Le coffre ne répond pas comme prévu. Réessayez."));
}

/* The hub does not answer. The link's words (curl's) go to the log, not to
 * the resident. */
static void
set_unreachable (GError       **error,
                 const GError  *cause)
{
  g_message ("safe unreachable: %s", cause->message);
  g_set_error_literal (error, RELAIS_SAFE_ERROR,
                       g_error_matches (cause, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE)
                       ? RELAIS_SAFE_ERROR_TOO_LARGE : RELAIS_SAFE_ERROR_UNREACHABLE,
                       _("Le coffre-fort est injoignable pour le moment. Réessayez plus tard."));
}

static GBytes *
call (RelaisSafeClient  *self,
      const char        *method,
      const char        *path,
      GBytes            *body,
      gsize              max_answer,
      long              *status,
      GError           **error)
{
  const char *headers[2] = { self->session_header, NULL };
  g_autoptr(GError) local = NULL;
  GBytes *answer = relais_link_transfer (self->link, method, path, body, headers, max_answer, status, &local);

  if (answer == NULL)
    {
      set_unreachable (error, local);
      return NULL;
    }
  return answer;
}

/* A JSON call; any non-2xx answer becomes @error. */
static JsonObject *
call_json (RelaisSafeClient  *self,
           const char        *method,
           const char        *path,
           JsonNode          *body,
           long              *status_out,
           GError           **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;
  long status = 0;

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      request = g_bytes_new_take (text, strlen (text));
    }
  answer = call (self, method, path, request, RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER, &status, error);
  if (request != NULL)
    sodium_memzero ((gpointer) g_bytes_get_data (request, NULL), g_bytes_get_size (request));
  if (answer == NULL)
    return NULL;
  if (status_out != NULL)
    *status_out = status;
  if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);
  if (status < 200 || status >= 300)
    {
      set_hub_error (status, object, g_str_equal (path, "/safe/activate"), error);
      return NULL;
    }
  if (object == NULL)
    {
      set_unreadable (error, RELAIS_SAFE_ERROR_REFUSED, "not a JSON object");
      return NULL;
    }
  return json_object_ref (object);
}

static JsonNode *
object_node (JsonBuilder *builder)
{
  return json_builder_get_root (builder);
}

static GBytes *
member_bytes (JsonObject  *object,
              const char  *member,
              gsize        expected,
              GError     **error)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  GBytes *bytes = relais_safe_unbase64 (text, expected, NULL);

  if (bytes == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("no \"%s\"", member);

      set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, detail);
    }
  return bytes;
}

/* ---- opening ---- */

typedef struct {
  char   *state;
  int     remaining;
  GBytes *hub_pk;
  GBytes *salt;     /* NULL for a new safe */
  GBytes *box_pk;
} Hello;

static void
hello_free (Hello *hello)
{
  g_free (hello->state);
  g_clear_pointer (&hello->hub_pk, g_bytes_unref);
  g_clear_pointer (&hello->salt, g_bytes_unref);
  g_clear_pointer (&hello->box_pk, g_bytes_unref);
  g_free (hello);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hello, hello_free)

static gboolean
valid_number (const char  *number,
              GError     **error)
{
  gsize n = number != NULL ? strlen (number) : 0;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (number[i]))
      n = 0;
  if (n < 4 || n > 16)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND,
                           _("Ce numéro ne correspond à aucun coffre-fort. Vérifiez la carte."));
      return FALSE;
    }
  return TRUE;
}

static Hello *
hello (RelaisSafeClient  *self,
       const char        *number,
       GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(Hello) result = g_new0 (Hello, 1);

  if (!valid_number (number, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, number);
  json_builder_end_object (builder);
  body = object_node (builder);
  answer = call_json (self, "POST", "/safe/hello", body, NULL, error);
  if (answer == NULL)
    return NULL;
  result->state = g_strdup (json_object_get_string_member_with_default (answer, "state", "ready"));
  result->remaining = json_object_get_int_member_with_default (answer, "remaining", 0);
  result->hub_pk = member_bytes (answer, "hub_pk", 32, error);
  if (result->hub_pk == NULL)
    return NULL;
  if (json_object_has_member (answer, "salt"))
    {
      result->salt = member_bytes (answer, "salt", RELAIS_SAFE_SALT_BYTES, error);
      result->box_pk = member_bytes (answer, "box_pk", 32, error);
      if (result->salt == NULL || result->box_pk == NULL)
        return NULL;
      /* Remembered, so that a scan can go into this safe with the hub down. */
      if (self->db != NULL)
        {
          g_mutex_lock (&self->db_lock);
          relais_db_safe_key_remember (self->db, number, result->box_pk, relais_db_now_ms (), NULL);
          g_mutex_unlock (&self->db_lock);
        }
    }
  return g_steal_pointer (&result);
}

char *
relais_safe_client_hello (RelaisSafeClient  *self,
                          const char        *number,
                          int               *remaining,
                          GError           **error)
{
  g_autoptr(Hello) h = hello (self, number, error);

  if (h == NULL)
    return NULL;
  if (remaining != NULL)
    *remaining = h->remaining;
  return g_strdup (h->state);
}

/* POSTs {number, epk, sealed} to @path over a fresh channel. */
static JsonObject *
sealed_call (RelaisSafeClient   *self,
             const char         *path,
             const char         *number,
             GBytes             *hub_pk,
             const guint8       *plain,
             gsize               length,
             RelaisSafeChannel **channel_out,
             int                *remaining,
             GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *epk_b64 = NULL;
  g_autofree char *sealed = NULL;
  guint8 epk[32];
  JsonObject *answer;
  long status = 0;

  channel = relais_safe_channel_new_client (g_bytes_get_data (hub_pk, NULL), epk);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  sealed = relais_safe_channel_seal (channel, plain, length);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, number);
  json_builder_set_member_name (builder, "epk");
  json_builder_add_string_value (builder, epk_b64);
  json_builder_set_member_name (builder, "sealed");
  json_builder_add_string_value (builder, sealed);
  json_builder_end_object (builder);
  body = object_node (builder);
  answer = call_json (self, "POST", path, body, &status, &local);
  if (answer == NULL)
    {
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED))
        *remaining = 0;
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *channel_out = g_steal_pointer (&channel);
  return answer;
}

static void
set_session (RelaisSafeClient  *self,
             const char        *number,
             JsonObject        *answer,
             RelaisSafeKeys    *keys,
             RelaisSafeChannel *channel)
{
  forget (self);
  self->number = g_strdup (number);
  self->session_header = g_strconcat ("X-Relais-Safe: ",
                                      json_object_get_string_member_with_default (answer, "session", ""), NULL);
  self->keys = keys;
  self->channel = channel;
}

gboolean
relais_safe_client_activate (RelaisSafeClient  *self,
                             const char        *number,
                             const char        *code,
                             const char        *pin,
                             GError           **error)
{
  g_autoptr(Hello) h = NULL;
  g_autoptr(RelaisSafeKeys) keys = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) inner = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *text = NULL;
  RelaisSafeChannel *channel = NULL;
  RelaisSafePinKeys pin_keys;
  guint8 salt[RELAIS_SAFE_SALT_BYTES];
  guint8 hub_secret[32];
  char *b64;

  g_return_val_if_fail (self != NULL && code != NULL, FALSE);

  if (!relais_safe_pin_valid (pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _("Le code secret doit avoir de 4 à 8 chiffres."));
      return FALSE;
    }
  h = hello (self, number, error);
  if (h == NULL)
    return FALSE;

  /* Every key is made here; the hub gets only what it must keep. */
  randombytes_buf (salt, sizeof salt);
  randombytes_buf (hub_secret, sizeof hub_secret);
  if (!relais_safe_derive_pin (pin, salt, &pin_keys, error))
    return FALSE;
  keys = relais_safe_keys_new_random ();
  wrapped = relais_safe_keys_wrap (keys, pin_keys.wrap, hub_secret);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
#define ADD_B64(name, data, length) \
  b64 = relais_safe_base64 (data, length); \
  json_builder_set_member_name (builder, name); \
  json_builder_add_string_value (builder, b64); \
  sodium_memzero (b64, strlen (b64)); \
  g_free (b64)
  ADD_B64 ("salt", salt, sizeof salt);
  ADD_B64 ("auth", pin_keys.auth, sizeof pin_keys.auth);
  ADD_B64 ("hub_secret", hub_secret, sizeof hub_secret);
  ADD_B64 ("wrapped_keys", g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped));
  ADD_B64 ("box_pk", keys->box_pk, sizeof keys->box_pk);
#undef ADD_B64
  json_builder_end_object (builder);
  inner = object_node (builder);
  text = json_to_string (inner, FALSE);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero (hub_secret, sizeof hub_secret);

  answer = sealed_call (self, "/safe/activate", number, h->hub_pk, (const guint8 *) text, strlen (text),
                        &channel, NULL, error);
  sodium_memzero (text, strlen (text));
  if (answer == NULL)
    return FALSE;
  if (self->db != NULL)
    {
      g_autoptr(GBytes) box_pk = g_bytes_new (keys->box_pk, sizeof keys->box_pk);

      g_mutex_lock (&self->db_lock);
      relais_db_safe_key_remember (self->db, number, box_pk, relais_db_now_ms (), NULL);
      g_mutex_unlock (&self->db_lock);
    }
  set_session (self, number, answer, g_steal_pointer (&keys), channel);
  return TRUE;
}

gboolean
relais_safe_client_open (RelaisSafeClient  *self,
                         const char        *number,
                         const char        *pin,
                         int               *remaining,
                         GError           **error)
{
  g_autoptr(Hello) h = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) inner = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) hub_secret = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  RelaisSafeKeys *keys;
  RelaisSafePinKeys pin_keys;
  JsonNode *root;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!relais_safe_pin_valid (pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN,
                           _("Le code secret a de 4 à 8 chiffres."));
      return FALSE;
    }
  h = hello (self, number, error);
  if (h == NULL)
    return FALSE;
  if (remaining != NULL)
    *remaining = h->remaining;
  if (g_str_equal (h->state, "locked"))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED,
                           _("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."));
      return FALSE;
    }
  if (h->salt == NULL)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _("Ce coffre est neuf : tapez d'abord le code de la carte."));
      return FALSE;
    }

  /* Argon2id runs here, on the station: the hub never sees the PIN. */
  if (!relais_safe_derive_pin (pin, g_bytes_get_data (h->salt, NULL), &pin_keys, error))
    return FALSE;
  answer = sealed_call (self, "/safe/open", number, h->hub_pk, pin_keys.auth, sizeof pin_keys.auth,
                        &channel, NULL, &local);
  if (answer == NULL)
    {
      sodium_memzero (&pin_keys, sizeof pin_keys);
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN))
        *remaining = MAX (0, h->remaining - 1);
      if (remaining != NULL && g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED))
        *remaining = 0;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  inner = relais_safe_channel_open (channel, json_object_get_string_member_with_default (answer, "sealed", NULL), &local);
  if (inner == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (inner, NULL), g_bytes_get_size (inner), &local)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* The channel's and the parser's words are for the log. */
      set_unreadable (error, local != NULL && local->domain == RELAIS_SAFE_ERROR ? local->code : RELAIS_SAFE_ERROR_FORMAT,
                      local != NULL ? local->message : "not a JSON object");
      sodium_memzero (&pin_keys, sizeof pin_keys);
      return FALSE;
    }
  if ((hub_secret = member_bytes (json_node_get_object (root), "hub_secret", 32, error)) == NULL
      || (wrapped = member_bytes (json_node_get_object (root), "wrapped_keys", 0, error)) == NULL)
    {
      sodium_memzero (&pin_keys, sizeof pin_keys);
      return FALSE;
    }
  keys = relais_safe_keys_unwrap (wrapped, pin_keys.wrap, g_bytes_get_data (hub_secret, NULL), error);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero ((gpointer) g_bytes_get_data (hub_secret, NULL), 32);
  sodium_memzero ((gpointer) g_bytes_get_data (inner, NULL), g_bytes_get_size (inner));
  if (keys == NULL)
    return FALSE;
  set_session (self, number, answer, keys, g_steal_pointer (&channel));
  return TRUE;
}

void
relais_safe_client_close (RelaisSafeClient *self)
{
  if (self->session_header != NULL && !self->consented)
    {
      long status = 0;
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
      g_autoptr(GBytes) answer = call (self, "POST", "/safe/close", empty, 4096, &status, NULL);
    }
  forget (self);
}

static gboolean
check_open (RelaisSafeClient  *self,
            GError           **error)
{
  if (!relais_safe_client_is_open (self))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _("Le coffre est fermé. Ouvrez-le avec votre code secret."));
      return FALSE;
    }
  return TRUE;
}

/* ---- documents ---- */

static char *
consented_path (RelaisSafeClient *self,
                const char       *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (self->number, NULL, FALSE);

  return g_strconcat ("/safes/", escaped, suffix, NULL);
}

static gboolean consented_call (RelaisSafeClient  *self,
                                JsonObject       **answer,
                                GError           **error);

/* The items of a listing; names open with the safe's keys, or on a
 * console with the document's own key. */
static GPtrArray *
items_from_answer (RelaisSafeClient *self,
                   JsonObject       *answer)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_item_free);
  JsonArray *documents = json_object_get_array_member (answer, "documents");

  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    {
      JsonObject *doc = json_array_get_object_element (documents, i);
      g_autoptr(RelaisSafeItem) item = g_new0 (RelaisSafeItem, 1);
      g_autoptr(GBytes) head = NULL;
      g_autoptr(GError) local = NULL;

      if (doc == NULL)
        continue;
      item->id = g_strdup (json_object_get_string_member_with_default (doc, "id", ""));
      item->category = g_strdup (json_object_get_string_member_with_default (doc, "category", "autre"));
      item->size = json_object_get_int_member_with_default (doc, "size", 0);
      item->created_at = json_object_get_int_member_with_default (doc, "created_at", 0);
      item->deposited = json_object_get_boolean_member_with_default (doc, "deposited", FALSE);
      head = relais_safe_unbase64 (json_object_get_string_member_with_default (doc, "head", NULL), 0, NULL);
      if (head != NULL && self->keys != NULL)
        item->name = relais_safe_open_name (self->keys, head, &local);
      else if (head != NULL && self->doc_keys != NULL)
        {
          const guint8 *dk = relais_safe_keyring_lookup (self->doc_keys, item->id);

          item->name = dk != NULL ? relais_safe_open_name_with_key (dk, head, &local) : NULL;
        }
      /* A document whose name does not open is listed, marked: opening it
       * will say it was altered. */
      if (item->name == NULL)
        item->name = g_strdup (_("(document abîmé)"));
      g_ptr_array_add (list, g_steal_pointer (&item));
    }
  return g_steal_pointer (&list);
}

GPtrArray *
relais_safe_client_list (RelaisSafeClient  *self,
                         GError           **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!check_open (self, error))
    return NULL;
  if (self->consented)
    {
      if (!consented_call (self, &answer, error))
        return NULL;
    }
  else
    answer = call_json (self, "GET", "/safe/documents", NULL, NULL, error);
  if (answer == NULL)
    return NULL;
  return items_from_answer (self, answer);
}

GBytes *
relais_safe_client_fetch (RelaisSafeClient  *self,
                          const char        *id,
                          char             **name,
                          GError           **error)
{
  g_autoptr(GBytes) envelope = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  long status = 0;

  if (!check_open (self, error))
    return NULL;
  escaped = g_uri_escape_string (id, NULL, FALSE);
  if (self->consented)
    {
      g_autofree char *suffix = g_strconcat ("/documents/", escaped, NULL);
      path = consented_path (self, suffix);
    }
  else
    path = g_strconcat ("/safe/documents/", escaped, NULL);
  envelope = call (self, "GET", path, NULL, RELAIS_SAFE_CLIENT_MAX_DOCUMENT_ANSWER, &status, error);
  if (envelope == NULL)
    return NULL;
  if (status != 200)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = NULL;

      if (json_parser_load_from_data (parser, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), NULL))
        root = json_parser_get_root (parser);
      set_hub_error (status, root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL, FALSE, error);
      return NULL;
    }
  if (self->consented)
    {
      const guint8 *dk = relais_safe_keyring_lookup (self->doc_keys, id);

      /* The hub refuses those first; a key missing here would be its bug. */
      if (dk == NULL)
        {
          g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                               _("Ce document n'était pas dans le coffre quand la personne a donné son accord."));
          return NULL;
        }
      return relais_safe_open_document_with_key (dk, envelope, name, error);
    }
  return relais_safe_open_document (self->keys, envelope, name, error);
}

static char *
upload (RelaisSafeClient  *self,
        const char        *path_prefix,
        const char        *number,
        const char        *id,
        const char        *category,
        GBytes            *envelope,
        GError           **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *escaped_number = number != NULL ? g_uri_escape_string (number, NULL, FALSE) : NULL;
  JsonNode *root = NULL;
  long status = 0;

  path = number != NULL ? g_strdup_printf ("%s?id=%s&category=%s&number=%s", path_prefix, id, category, escaped_number)
                        : g_strdup_printf ("%s?id=%s&category=%s", path_prefix, id, category);
  answer = call (self, "POST", path, envelope, RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER, &status, error);
  if (answer == NULL)
    return NULL;
  if (status != 200)
    {
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL))
        root = json_parser_get_root (parser);
      set_hub_error (status, root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL, FALSE, error);
      return NULL;
    }
  return g_strdup (id);
}

static gboolean
check_document (const char  *category,
                GBytes      *plain,
                GError     **error)
{
  if (category == NULL || !relais_db_safe_category_valid (category))
    {
      g_set_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED, _("Catégorie inconnue : %s"),
                   category != NULL ? category : "");
      return FALSE;
    }
  if (plain == NULL || g_bytes_get_size (plain) == 0)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED, _("Le document est vide."));
      return FALSE;
    }
  return TRUE;
}

/* A deposit that could not go now waits in the station's one outbox, in
 * order with every other event; deposit_sender () delivers it. */
static char *
queue_deposit (RelaisSafeClient  *self,
               const char        *number,
               const char        *id,
               const char        *category,
               GBytes            *envelope,
               GError           **error)
{
  JsonObject *data = json_object_new ();
  g_autofree char *key = NULL;
  g_autoptr(GError) local = NULL;

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "number", number);
  json_object_set_string_member (data, "category", category);
  key = relais_link_queue_event_attached (self->link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT), data, envelope, &local);
  if (key == NULL)
    {
      set_unreachable (error, local);
      return NULL;
    }
  return g_strdup (id);
}

/* Runs in the link's sending thread, with the outbox's retry rules. */
static RelaisLinkSendResult
deposit_sender (RelaisLink  *link,
                JsonObject  *data,
                GBytes      *envelope,
                GError     **error)
{
  RelaisSafeClient sender = { .link = link };
  g_autoptr(GError) local = NULL;
  g_autofree char *id = upload (&sender, "/safe/deposit",
                                json_object_get_string_member_with_default (data, "number", ""),
                                json_object_get_string_member_with_default (data, "id", ""),
                                json_object_get_string_member_with_default (data, "category", ""),
                                envelope, &local);

  if (id != NULL)
    return RELAIS_LINK_SENT;
  /* Unreachable, or this station's hourly share of deposits used up:
   * later. A refusal (the safe deleted since, or full) is final: the
   * deposit is set aside in the outbox, not lost. */
  g_propagate_error (error, g_steal_pointer (&local));
  return g_error_matches (*error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE)
         || g_error_matches (*error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_BUSY)
         ? RELAIS_LINK_RETRY : RELAIS_LINK_REFUSED;
}

char *
relais_safe_client_add (RelaisSafeClient  *self,
                        const char        *category,
                        const char        *name,
                        GBytes            *plain,
                        gboolean          *queued,
                        GError           **error)
{
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = g_uuid_string_random ();
  char *result;

  *queued = FALSE;
  if (!check_open (self, error) || !check_document (category, plain, error))
    return NULL;
  envelope = relais_safe_seal_document (self->keys, NULL, name, plain, error);
  if (envelope == NULL)
    return NULL;
  result = upload (self, "/safe/documents", NULL, id, category, envelope, &local);
  if (result != NULL || !g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return result;
    }
  /* The hub went away meanwhile: seal it to the box key and queue it. */
  g_clear_pointer (&envelope, g_bytes_unref);
  envelope = relais_safe_seal_document (NULL, self->keys->box_pk, name, plain, error);
  if (envelope == NULL)
    return NULL;
  *queued = TRUE;
  return queue_deposit (self, self->number, id, category, envelope, error);
}

gboolean
relais_safe_client_delete (RelaisSafeClient  *self,
                           const char        *id,
                           GError           **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
  g_autoptr(JsonObject) answer = NULL;

  if (!check_open (self, error))
    return FALSE;
  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/safe/documents/", escaped, "/delete", NULL);
  answer = call_json (self, "POST", path, body, NULL, error);
  return answer != NULL;
}

gboolean
relais_safe_client_change_pin (RelaisSafeClient  *self,
                               const char        *new_pin,
                               GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonBuilder) outer = json_builder_new ();
  g_autoptr(JsonNode) inner = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sealed = NULL;
  RelaisSafePinKeys pin_keys;
  guint8 salt[RELAIS_SAFE_SALT_BYTES];
  guint8 hub_secret[32];
  char *b64;

  if (!check_open (self, error))
    return FALSE;
  if (!relais_safe_pin_valid (new_pin))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _("Le code secret doit avoir de 4 à 8 chiffres."));
      return FALSE;
    }
  /* The station wiped the hub's secret after opening: the keys are
   * re-wrapped under a fresh one, sent boxed, that replaces the old. */
  randombytes_buf (salt, sizeof salt);
  randombytes_buf (hub_secret, sizeof hub_secret);
  if (!relais_safe_derive_pin (new_pin, salt, &pin_keys, error))
    return FALSE;
  wrapped = relais_safe_keys_wrap (self->keys, pin_keys.wrap, hub_secret);
  json_builder_begin_object (builder);
#define ADD_B64(name, data, length) \
  b64 = relais_safe_base64 (data, length); \
  json_builder_set_member_name (builder, name); \
  json_builder_add_string_value (builder, b64); \
  sodium_memzero (b64, strlen (b64)); \
  g_free (b64)
  ADD_B64 ("salt", salt, sizeof salt);
  ADD_B64 ("auth", pin_keys.auth, sizeof pin_keys.auth);
  ADD_B64 ("hub_secret", hub_secret, sizeof hub_secret);
  ADD_B64 ("wrapped_keys", g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped));
#undef ADD_B64
  json_builder_end_object (builder);
  sodium_memzero (&pin_keys, sizeof pin_keys);
  sodium_memzero (hub_secret, sizeof hub_secret);
  inner = object_node (builder);
  text = json_to_string (inner, FALSE);
  sealed = relais_safe_channel_seal (self->channel, (const guint8 *) text, strlen (text));
  sodium_memzero (text, strlen (text));
  json_builder_begin_object (outer);
  json_builder_set_member_name (outer, "sealed");
  json_builder_add_string_value (outer, sealed);
  json_builder_end_object (outer);
  body = object_node (outer);
  answer = call_json (self, "POST", "/safe/pin", body, NULL, error);
  return answer != NULL;
}

void
relais_safe_journal_line_free (RelaisSafeJournalLine *line)
{
  if (line == NULL)
    return;
  g_free (line->who);
  g_free (line->mediator);
  g_free (line->what);
  g_free (line->station);
  g_free (line->detail);
  g_free (line);
}

/* @member of @object as a string: NULL when absent or null; FALSE when it
 * is there but not a string. */
static gboolean
string_member (JsonObject  *object,
               const char  *member,
               const char **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

/* One journal line, or NULL when it is not one (@why says what is wrong,
 * for the log). */
static RelaisSafeJournalLine *
journal_line_from_json (JsonNode    *node,
                         const char **why)
{
  g_autoptr(RelaisSafeJournalLine) line = g_new0 (RelaisSafeJournalLine, 1);
  JsonObject *object;
  JsonNode *at;
  const char *who, *what, *station, *detail;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *why = "a journal line is not an object";
      return NULL;
    }
  object = json_node_get_object (node);
  at = json_object_get_member (object, "at");
  if (at == NULL || !JSON_NODE_HOLDS_VALUE (at) || json_node_get_value_type (at) != G_TYPE_INT64
      || json_node_get_int (at) < 0)
    {
      *why = "a journal line has no \"at\"";
      return NULL;
    }
  if (!string_member (object, "what", &what) || what == NULL || *what == '\0')
    {
      *why = "a journal line has no \"what\"";
      return NULL;
    }
  if (!string_member (object, "who", &who) || !string_member (object, "station", &station)
      || !string_member (object, "detail", &detail))
    {
      *why = "a journal line's member is not a string";
      return NULL;
    }
  line->at = json_node_get_int (at);
  line->what = g_strdup (what);
  line->who = g_strdup (who != NULL ? who : "");
  if (g_str_has_prefix (line->who, "mediator:") && line->who[strlen ("mediator:")] != '\0')
    line->mediator = g_strdup (line->who + strlen ("mediator:"));
  line->station = g_strdup (station != NULL ? station : "");
  line->detail = g_strdup (detail);
  return g_steal_pointer (&line);
}

GPtrArray *
relais_safe_journal_from_json (JsonObject  *answer,
                               GError     **error)
{
  g_autoptr(GPtrArray) journal = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_safe_journal_line_free);
  JsonNode *lines;

  g_return_val_if_fail (answer != NULL, NULL);

  lines = json_object_get_member (answer, "journal");
  if (lines == NULL || JSON_NODE_HOLDS_NULL (lines))
    return g_steal_pointer (&journal);
  if (!JSON_NODE_HOLDS_ARRAY (lines))
    {
      set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, "\"journal\" is not an array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lines)); i++)
    {
      const char *why = NULL;
      RelaisSafeJournalLine *line = journal_line_from_json (json_array_get_element (json_node_get_array (lines), i),
                                                            &why);

      if (line == NULL)
        {
          set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, why);
          return NULL;
        }
      g_ptr_array_add (journal, line);
    }
  return g_steal_pointer (&journal);
}

GPtrArray *
relais_safe_client_journal (RelaisSafeClient  *self,
                            GError           **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!check_open (self, error))
    return NULL;
  answer = call_json (self, "GET", "/safe/journal", NULL, NULL, error);
  if (answer == NULL)
    return NULL;
  return relais_safe_journal_from_json (answer, error);
}

/* One request of a consent: the keys in @entries (id length, id, key),
 * boxed over the safe's channel; the first one names the mediator. */
static JsonObject *
consent_batch (RelaisSafeClient  *self,
               const char        *login,
               int                minutes,
               gint64             consent_id,
               GByteArray        *entries,
               GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *sealed = relais_safe_channel_seal (self->channel, entries->data, entries->len);

  json_builder_begin_object (builder);
  if (consent_id == 0)
    {
      json_builder_set_member_name (builder, "mediator");
      json_builder_add_string_value (builder, login);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, minutes);
    }
  else
    {
      json_builder_set_member_name (builder, "consent");
      json_builder_add_int_value (builder, consent_id);
    }
  json_builder_set_member_name (builder, "sealed");
  json_builder_add_string_value (builder, sealed);
  json_builder_end_object (builder);
  body = object_node (builder);
  return call_json (self, "POST", "/safe/consent", body, NULL, error);
}

gint64
relais_safe_client_consent (RelaisSafeClient  *self,
                            const char        *login,
                            int                minutes,
                            guint             *n_documents,
                            GError           **error)
{
  g_autoptr(JsonObject) listing = NULL;
  g_autoptr(GByteArray) entries = g_byte_array_new ();
  JsonArray *documents;
  gint64 consent_id = 0;
  gint64 until = 0;
  guint n = 0;
  guint total;

  if (!check_open (self, error))
    return 0;
  if (self->keys == NULL)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _("Seule la personne, avec son code secret, peut donner un accord."));
      return 0;
    }
  /* The consent covers the documents in the safe now: their own keys go,
   * never the safe's, so nothing added later opens with them. */
  listing = call_json (self, "GET", "/safe/documents", NULL, NULL, error);
  if (listing == NULL)
    return 0;
  documents = json_object_get_array_member (listing, "documents");
  total = documents != NULL ? json_array_get_length (documents) : 0;
  for (guint i = 0; i <= total; i++)
    {
      if (i < total)
        {
          JsonObject *doc = json_array_get_object_element (documents, i);
          const char *id = doc != NULL ? json_object_get_string_member_with_default (doc, "id", NULL) : NULL;
          g_autoptr(GBytes) head = doc != NULL ? relais_safe_unbase64 (json_object_get_string_member_with_default (doc, "head", NULL), 0, NULL) : NULL;
          guint8 dk[RELAIS_SAFE_KEY_BYTES];
          guint8 id_length;

          /* A document whose key does not open is left out: the mediator
           * could not open it either. */
          if (id == NULL || head == NULL || strlen (id) > 255
              || !relais_safe_document_key (self->keys, head, dk, NULL))
            continue;
          id_length = strlen (id);
          g_byte_array_append (entries, &id_length, 1);
          g_byte_array_append (entries, (const guint8 *) id, id_length);
          g_byte_array_append (entries, dk, sizeof dk);
          sodium_memzero (dk, sizeof dk);
          n++;
          if (n % CONSENT_BATCH != 0)
            continue;
        }
      /* A batch is full, or the list is done (the first request goes
       * even for an empty safe: it opens the consent). */
      if (entries->len > 0 || consent_id == 0)
        {
          g_autoptr(JsonObject) answer = consent_batch (self, login, minutes, consent_id, entries, error);

          sodium_memzero (entries->data, entries->len);
          g_byte_array_set_size (entries, 0);
          if (answer == NULL)
            return 0;
          if (consent_id == 0)
            {
              consent_id = json_object_get_int_member_with_default (answer, "consent", 0);
              until = json_object_get_int_member_with_default (answer, "until", 0);
              if (consent_id <= 0 || until <= 0)
                {
                  set_unreadable (error, RELAIS_SAFE_ERROR_REFUSED, "not a JSON object");
                  return 0;
                }
            }
        }
    }
  if (n_documents != NULL)
    *n_documents = n;
  return until;
}

/* ---- deposits without the PIN ---- */

char *
relais_safe_client_deposit (RelaisSafeClient  *self,
                            const char        *number,
                            const char        *category,
                            const char        *name,
                            GBytes            *plain,
                            gboolean          *queued,
                            GError           **error)
{
  g_autoptr(GBytes) box_pk = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = g_uuid_string_random ();
  char *result;

  *queued = FALSE;
  if (!valid_number (number, error) || !check_document (category, plain, error))
    return NULL;
  if (self->db != NULL)
    {
      g_mutex_lock (&self->db_lock);
      box_pk = relais_db_safe_key_lookup (self->db, number);
      g_mutex_unlock (&self->db_lock);
    }
  if (box_pk == NULL)
    {
      g_autoptr(Hello) h = hello (self, number, error);

      if (h == NULL)
        return NULL;
      if (h->box_pk == NULL)
        {
          g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                               _("Ce coffre est neuf : ouvrez-le d'abord avec le code de la carte."));
          return NULL;
        }
      box_pk = g_bytes_ref (h->box_pk);
    }
  envelope = relais_safe_seal_document (NULL, g_bytes_get_data (box_pk, NULL), name, plain, error);
  if (envelope == NULL)
    return NULL;
  result = upload (self, "/safe/deposit", number, id, category, envelope, &local);
  if (result != NULL || !g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return result;
    }
  *queued = TRUE;
  return queue_deposit (self, number, id, category, envelope, error);
}

int
relais_safe_client_flush (RelaisSafeClient  *self,
                          GError           **error)
{
  gint64 before = relais_safe_client_get_pending (self);
  g_autoptr(GError) local = NULL;

  if (before <= 0)
    return 0;
  /* Asked for now: the queue's backoff does not make it wait. */
  relais_link_retry_now (self->link);
  if (relais_link_flush (self->link, &local) < 0)
    {
      set_unreachable (error, local);
      return -1;
    }
  return (int) (before - relais_safe_client_get_pending (self));
}

gint64
relais_safe_client_get_pending (RelaisSafeClient *self)
{
  return relais_link_get_pending_of_type (self->link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT));
}

/* ---- a mediator, with consent ---- */

/* POST /safes/NUMBER/consented with a key pair made for this answer
 * alone: the hub seals each covered document's key to it. The keys go in
 * self->doc_keys (replacing the last ones); the answer in @answer. */
static gboolean
consented_call (RelaisSafeClient  *self,
                JsonObject       **answer_out,
                GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) hub_epk = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(RelaisSafeKeyring) ring = relais_safe_keyring_new ();
  g_autofree char *path = NULL;
  g_autofree char *epk_b64 = NULL;
  guint8 epk[32];
  guint8 esk[32];
  JsonArray *documents;

  crypto_box_keypair (epk, esk);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epk");
  json_builder_add_string_value (builder, epk_b64);
  json_builder_end_object (builder);
  body = object_node (builder);
  path = consented_path (self, "/consented");
  answer = call_json (self, "POST", path, body, NULL, error);
  if (answer == NULL
      || (hub_epk = member_bytes (answer, "hub_epk", 32, error)) == NULL
      || (channel = relais_safe_channel_new_server (esk, g_bytes_get_data (hub_epk, NULL), error)) == NULL)
    {
      sodium_memzero (esk, sizeof esk);
      return FALSE;
    }
  sodium_memzero (esk, sizeof esk);
  documents = json_object_get_array_member (answer, "documents");
  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    {
      JsonObject *doc = json_array_get_object_element (documents, i);
      const char *id = doc != NULL ? json_object_get_string_member_with_default (doc, "id", NULL) : NULL;
      const char *sealed = doc != NULL ? json_object_get_string_member_with_default (doc, "key", NULL) : NULL;
      g_autoptr(GBytes) dk = sealed != NULL ? relais_safe_channel_open (channel, sealed, NULL) : NULL;

      if (id != NULL && dk != NULL && g_bytes_get_size (dk) == RELAIS_SAFE_KEY_BYTES)
        relais_safe_keyring_add (ring, id, g_bytes_get_data (dk, NULL));
      if (dk != NULL)
        sodium_memzero ((gpointer) g_bytes_get_data (dk, NULL), g_bytes_get_size (dk));
    }
  g_clear_pointer (&self->doc_keys, relais_safe_keyring_free);
  self->doc_keys = g_steal_pointer (&ring);
  self->consent_until = json_object_get_int_member_with_default (answer, "until", 0);
  *answer_out = g_steal_pointer (&answer);
  return TRUE;
}

gboolean
relais_safe_client_open_consented (RelaisSafeClient  *self,
                                   const char        *number,
                                   GError           **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!valid_number (number, error))
    return FALSE;
  forget (self);
  self->number = g_strdup (number);
  self->consented = TRUE;
  if (!consented_call (self, &answer, error))
    {
      forget (self);
      return FALSE;
    }
  return TRUE;
}

gint64
relais_safe_client_get_consent_until (RelaisSafeClient *self)
{
  return self->consented ? self->consent_until : 0;
}
