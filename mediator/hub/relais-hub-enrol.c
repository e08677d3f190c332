/* relais-hub-enrol.c: enrolment by one-time code. `relais-hub enroll`
 * makes a code (8 characters, 15 minutes, single use, stored hashed); a
 * new station or console sends it once to POST /enrol, unauthenticated,
 * and gets its token and the hub's TLS pin. The token is made at that
 * moment: the database never holds it, nor the code, in clear. */

#include "relais-hub-private.h"
#include "relais-hub-handlers.h"
#include "relais-hub-json.h"
#include "relais-db-enrol.h"
#include "relais-db-help.h"

#include <sodium.h>

/* No 0/O, 1/I/L, 5/S, 8/B, 2/Z, 6/G: read aloud or copied by hand, a
 * code cannot be mistaken. 24 symbols, 8 of them: 36 bits, against a
 * few tries per address for 15 minutes. */
static const char code_alphabet[] = "ACDEFGHJKMNPQRTUVWXY3479";

/* A client address may try this many codes per window. */
#define ENROL_ATTEMPTS  10
#define ENROL_WINDOW_US (15 * 60 * G_USEC_PER_SEC)
/* Addresses remembered at most; past that a full table refuses new ones
 * until windows end (a flood of addresses cannot grow the hub). */
#define ENROL_MAX_ADDRESSES 1024

static const char unknown_sentence[] =
    "Ce code d'inscription est inconnu : vérifiez-le, ou demandez-en un nouveau au responsable du hub.";
static const char expired_sentence[] =
    "Ce code d'inscription a expiré (15 minutes) : demandez-en un nouveau au responsable du hub.";
static const char used_sentence[] =
    "Ce code d'inscription a déjà servi : demandez-en un nouveau au responsable du hub.";

gboolean
_relais_hub_enroll_check (const char *kind,
                          const char *name,
                          GError    **error)
{
  if (!g_str_equal (kind, "station") && !g_str_equal (kind, "console"))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Type inconnu « %s » : station ou console", kind);
      return FALSE;
    }
  if (*name == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_ENROLL,
                   "Nom invalide : de 1 à 64 caractères");
      return FALSE;
    }
  return TRUE;
}

/* @text without spaces and dashes, upper case, when it is 8 symbols of
 * the alphabet; else NULL. */
static char *
code_normalize (const char *text)
{
  g_autoptr(GString) code = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-')
        continue;
      if (strchr (code_alphabet, c) == NULL || code->len >= RELAIS_HUB_ENROL_CODE_LENGTH)
        return NULL;
      g_string_append_c (code, c);
    }
  if (code->len != RELAIS_HUB_ENROL_CODE_LENGTH)
    return NULL;
  return g_string_free (g_steal_pointer (&code), FALSE);
}

char *
relais_hub_enrol_code_new (RelaisDb   *db,
                           const char *kind,
                           const char *name,
                           gint64      lifetime_ms,
                           GError    **error)
{
  char             code[RELAIS_HUB_ENROL_CODE_LENGTH + 1];
  g_autofree char *hash = NULL;
  gint64           now = relais_db_now_ms ();

  g_return_val_if_fail (db != NULL && kind != NULL && name != NULL, NULL);
  g_return_val_if_fail (lifetime_ms > 0, NULL);

  if (!_relais_hub_enroll_check (kind, name, error))
    return NULL;
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  for (guint i = 0; i < RELAIS_HUB_ENROL_CODE_LENGTH; i++)
    code[i] = code_alphabet[randombytes_uniform (sizeof code_alphabet - 1)];
  code[RELAIS_HUB_ENROL_CODE_LENGTH] = '\0';
  hash = relais_hub_hash_token (code);
  if (!relais_db_enrol_code_add (db, hash, kind, name, now, now + lifetime_ms, error))
    return NULL;
  /* Read in two halves: ABCD-EFGH. */
  return g_strdup_printf ("%.4s-%s", code, code + 4);
}

gsize
_relais_hub_enrol_cap (RelaisHub *self)
{
  return 1024;
}

/* Counts one attempt from @address; FALSE when it is past its share. */
gboolean
_relais_hub_enrol_allow (RelaisHub  *self,
                         const char *address)
{
  gint64  now = g_get_monotonic_time ();
  gint64 *entry;

  if (address == NULL)
    address = "";
  entry = g_hash_table_lookup (self->enrol_attempts, address);
  if (entry != NULL && now - entry[0] > ENROL_WINDOW_US)
    {
      g_hash_table_remove (self->enrol_attempts, address);
      entry = NULL;
    }
  if (entry == NULL)
    {
      if (g_hash_table_size (self->enrol_attempts) >= ENROL_MAX_ADDRESSES)
        {
          GHashTableIter iter;
          gpointer       value;

          g_hash_table_iter_init (&iter, self->enrol_attempts);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (now - ((gint64 *) value)[0] > ENROL_WINDOW_US)
              g_hash_table_iter_remove (&iter);
          if (g_hash_table_size (self->enrol_attempts) >= ENROL_MAX_ADDRESSES)
            return FALSE;
        }
      entry = g_new0 (gint64, 2);
      entry[0] = now;
      g_hash_table_insert (self->enrol_attempts, g_strdup (address), entry);
    }
  if (entry[1] >= ENROL_ATTEMPTS)
    return FALSE;
  entry[1]++;
  return TRUE;
}

void
_relais_hub_handle_enrol (RelaisHub           *self,
                          SoupServerMessage   *msg,
                          const RelaisHubCall *call)
{
  static const char * const allowed[] = { "code", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char     *code = NULL;
  g_autofree char     *code_hash = NULL;
  g_autofree char     *token = NULL;
  g_autofree char     *token_hash = NULL;
  g_autofree char     *kind = NULL;
  g_autofree char     *name = NULL;
  RelaisEnrolCodeState state;
  const char          *text;

  text = relais_hub_json_string (call->body, "code", TRUE, 32, &error);
  if (text == NULL || !relais_hub_json_only (call->body, allowed, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  code = code_normalize (text);
  if (code == NULL)
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, unknown_sentence);
      return;
    }
  code_hash = relais_hub_hash_token (code);
  token = relais_hub_new_token ();
  token_hash = relais_hub_hash_token (token);
  if (!relais_db_enrol_code_redeem (self->db, code_hash, token_hash, relais_db_now_ms (),
                                    &state, &kind, &name, &error))
    {
      _relais_hub_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  switch (state)
    {
    case RELAIS_ENROL_CODE_OK:
      break;
    case RELAIS_ENROL_CODE_EXPIRED:
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, expired_sentence);
      return;
    case RELAIS_ENROL_CODE_USED:
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, used_sentence);
      return;
    case RELAIS_ENROL_CODE_UNKNOWN:
    default:
      _relais_hub_reply_error (msg, SOUP_STATUS_FORBIDDEN, unknown_sentence);
      return;
    }
  g_message ("%s « %s » enrolled by code from %s", kind, name,
             soup_server_message_get_remote_host (msg));
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  relais_hub_json_add_string (builder, "kind", kind);
  relais_hub_json_add_string (builder, "name", name);
  relais_hub_json_add_string (builder, "token", token);
  if (self->tls_pin != NULL)
    relais_hub_json_add_string (builder, "pin", self->tls_pin);
  json_builder_end_object (builder);
  _relais_hub_reply_builder (msg, builder);
  sodium_memzero (token, strlen (token));
}
