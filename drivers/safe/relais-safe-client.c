/* relais-safe-client.c: a digital safe's client, made and freed, and its
 * calls to the hub (answers capped, errors translated once). The rest by
 * concern: -open.c (what the hub says of a safe, first opening, opening,
 * closing), -documents.c, -journal.c, -consent.c (a resident's consent, a
 * mediator's view under it) and -deposit.c (without the PIN, and the
 * outbox); see relais-safe-client-private.h. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

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

RelaisSafeClient *
relais_safe_client_new (RelaisLink *link,
                        const char *station_db_path,
                        GError    **error)
{
  g_autoptr(RelaisSafeClient) self = g_new0 (RelaisSafeClient, 1);

  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  self->link = link;
  g_mutex_init (&self->db_lock);
  relais_link_set_attachment_sender (link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT),
                                     _relais_safe_client_deposit_sender);
  if (station_db_path != NULL)
    {
      self->db = relais_db_open (station_db_path, RELAIS_DB_STATION, error);
      if (self->db == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
_relais_safe_client_forget (RelaisSafeClient *self)
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
  _relais_safe_client_forget (self);
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
    return g_strdup_printf (_ ("%u Mo"), (guint) (bytes / (1024 * 1024)));
  return g_strdup_printf (_ ("%u Ko"), (guint) (bytes / 1024));
}

/* The hub's status, as the kiosk tells it: a wrong PIN is a 403 that says
 * how many tries remain; any other 403 is a refusal. */
static RelaisSafeError
safe_error_for_status (long        status,
                       JsonObject *answer)
{
  if (status == 423)
    return RELAIS_SAFE_ERROR_LOCKED;
  if (status == 403 && answer != NULL && json_object_has_member (answer, "remaining"))
    return RELAIS_SAFE_ERROR_WRONG_PIN;
  if (status == 404)
    return RELAIS_SAFE_ERROR_NOT_FOUND;
  if (status == 413)
    return RELAIS_SAFE_ERROR_TOO_LARGE;
  if (status == 507)
    return RELAIS_SAFE_ERROR_FULL;
  if (status == 429)
    return RELAIS_SAFE_ERROR_BUSY;
  if (status >= 500)
    return RELAIS_SAFE_ERROR_UNREACHABLE;
  return RELAIS_SAFE_ERROR_REFUSED;
}

/* The hub's answer as an error of our domain, translated once here: the
 * resident reads it in the session's language. The hub writes its
 * sentences in French; those a resident may meet are marked N_() in the
 * hub and the database, so the catalogues translate them. A sentence with
 * numbers in it cannot be looked up: for those the hub also sends the
 * numbers, and the station writes the sentence. @card: the call checked
 * the card's code, not the secret code. */
void
_relais_safe_client_set_hub_error (long        status,
                                   JsonObject *answer,
                                   gboolean    card,
                                   GError    **error)
{
  const char     *message = answer != NULL ? json_object_get_string_member_with_default (answer, "error", NULL) : NULL;
  const char     *full = answer != NULL ? json_object_get_string_member_with_default (answer, "full", NULL) : NULL;
  RelaisSafeError code = safe_error_for_status (status, answer);

  if (code == RELAIS_SAFE_ERROR_LOCKED)
    g_set_error_literal (error, RELAIS_SAFE_ERROR, code,
                         _ ("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."));
  else if (code == RELAIS_SAFE_ERROR_WRONG_PIN)
    {
      int left = json_object_get_int_member_with_default (answer, "remaining", 0);

      if (left <= 1)
        g_set_error_literal (error, RELAIS_SAFE_ERROR, code,
                             card ? _ ("Code de la carte faux. Attention : encore une erreur et le coffre sera bloqué.")
                                  : _ ("Code secret faux. Attention : encore une erreur et le coffre sera bloqué."));
      else if (card)
        g_set_error (error, RELAIS_SAFE_ERROR, code,
                     ngettext ("Code de la carte faux. Il vous reste %d essai.",
                               "Code de la carte faux. Il vous reste %d essais.", left),
                     left);
      else
        g_set_error (error, RELAIS_SAFE_ERROR, code,
                     ngettext ("Code secret faux. Il vous reste %d essai.",
                               "Code secret faux. Il vous reste %d essais.", left),
                     left);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "documents") == 0)
    {
      gint64 most = json_object_get_int_member_with_default (answer, "quota_documents", 0);

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Le coffre est plein : %d document au plus. Supprimez-en pour en mettre d'autres.",
                             "Le coffre est plein : %d documents au plus. Supprimez-en pour en mettre d'autres.",
                             (gulong) most),
                   (int) most);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "bytes") == 0)
    {
      g_autofree char *most = size_text (json_object_get_int_member_with_default (answer, "quota_bytes", 0));
      g_autofree char *left = size_text (json_object_get_int_member_with_default (answer, "left_bytes", 0));

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   _ ("Le coffre est plein : %s au plus, il reste %s. Supprimez des documents pour en mettre d'autres."),
                   most, left);
    }
  else if (code == RELAIS_SAFE_ERROR_FULL && g_strcmp0 (full, "waiting") == 0)
    {
      gint64 waiting = json_object_get_int_member_with_default (answer, "waiting_documents", 0);

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Ce coffre a déjà %d document déposé sans code qui attend : la personne doit ouvrir "
                             "son coffre avec son code secret avant d'en recevoir d'autres.",
                             "Ce coffre a déjà %d documents déposés sans code qui attendent : la personne doit ouvrir "
                             "son coffre avec son code secret avant d'en recevoir d'autres.",
                             (gulong) waiting),
                   (int) waiting);
    }
  else if (code == RELAIS_SAFE_ERROR_BUSY && answer != NULL && json_object_has_member (answer, "minutes"))
    {
      gint64 minutes = MAX (1, json_object_get_int_member_with_default (answer, "minutes", 1));

      g_set_error (error, RELAIS_SAFE_ERROR, code,
                   ngettext ("Trop de documents déposés sans code depuis ce poste : réessayez dans %d minute.",
                             "Trop de documents déposés sans code depuis ce poste : réessayez dans %d minutes.",
                             (gulong) minutes),
                   (int) minutes);
    }
  /* 400: the hub did not understand the station. Its words are for the
   * developers: the log keeps them. */
  else if (message == NULL || status == 400)
    {
      if (message != NULL)
        g_message ("the hub refused a safe _relais_safe_client_call (%ld): %s", status, message);
      g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _ ("Le coffre ne répond pas comme prévu. Réessayez."));
    }
  else
    g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _ (message));
}

/* The station cannot make sense of the hub's answer: a bug, or the hub
 * of another version. */
void
_relais_safe_client_set_unreadable (GError        **error,
                                    RelaisSafeError code,
                                    const char     *detail)
{
  g_message ("unreadable answer from the hub: %s", detail);
  g_set_error_literal (error, RELAIS_SAFE_ERROR, code, _ ("Le coffre ne répond pas comme prévu. Réessayez."));
}

/* The hub does not answer. The link's words (curl's) go to the log, not to
 * the resident. */
void
_relais_safe_client_set_unreachable (GError      **error,
                                     const GError *cause)
{
  g_message ("safe unreachable: %s", cause->message);
  g_set_error_literal (error, RELAIS_SAFE_ERROR,
                       g_error_matches (cause, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_TOO_LARGE)
                           ? RELAIS_SAFE_ERROR_TOO_LARGE
                           : RELAIS_SAFE_ERROR_UNREACHABLE,
                       _ ("Le coffre-fort est injoignable pour le moment. Réessayez plus tard."));
}

GBytes *
_relais_safe_client_call (RelaisSafeClient *self,
                          const char       *method,
                          const char       *path,
                          GBytes           *body,
                          gsize             max_answer,
                          long             *status,
                          GError          **error)
{
  const char *headers[2] = { self->session_header, NULL };
  g_autoptr(GError) local = NULL;
  GBytes *answer = relais_link_transfer (self->link, method, path, body, headers, max_answer, status, &local);

  if (answer == NULL)
    {
      _relais_safe_client_set_unreachable (error, local);
      return NULL;
    }
  return answer;
}

/* A JSON call; any non-2xx answer becomes @error. */
JsonObject *
_relais_safe_client_call_json (RelaisSafeClient *self,
                               const char       *method,
                               const char       *path,
                               JsonNode         *body,
                               long             *status_out,
                               GError          **error)
{
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode   *root;
  long        status = 0;

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      request = g_bytes_new_take (text, strlen (text));
    }
  answer = _relais_safe_client_call (self, method, path, request, RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER, &status, error);
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
      _relais_safe_client_set_hub_error (status, object, g_str_equal (path, "/safe/activate"), error);
      return NULL;
    }
  if (object == NULL)
    {
      _relais_safe_client_set_unreadable (error, RELAIS_SAFE_ERROR_REFUSED, "not a JSON object");
      return NULL;
    }
  return json_object_ref (object);
}

JsonNode *
_relais_safe_client_object_node (JsonBuilder *builder)
{
  return json_builder_get_root (builder);
}

GBytes *
_relais_safe_client_member_bytes (JsonObject *object,
                                  const char *member,
                                  gsize       expected,
                                  GError    **error)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  GBytes     *bytes = relais_safe_unbase64 (text, expected, NULL);

  if (bytes == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("no \"%s\"", member);

      _relais_safe_client_set_unreadable (error, RELAIS_SAFE_ERROR_FORMAT, detail);
    }
  return bytes;
}

gboolean
_relais_safe_client_valid_number (const char *number,
                                  GError    **error)
{
  gsize n = number != NULL ? strlen (number) : 0;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (number[i]))
      n = 0;
  if (n < 4 || n > 16)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND,
                           _ ("Ce numéro ne correspond à aucun coffre-fort. Vérifiez la carte."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_relais_safe_client_check_open (RelaisSafeClient *self,
                                GError          **error)
{
  if (!relais_safe_client_is_open (self))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                           _ ("Le coffre est fermé. Ouvrez-le avec votre code secret."));
      return FALSE;
    }
  return TRUE;
}
