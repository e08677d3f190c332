/* relais-safe-client-deposit.c: a scan put in a safe without the PIN,
 * sealed to its public key, and kept in the station's one outbox while the
 * hub does not answer. Part of relais-safe-client.c. */

#include "relais-safe-client-private.h"
#include "relais-db-safe.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* ---- deposits without the PIN ---- */

/* A deposit that could not go now waits in the station's one outbox, in
 * order with every other event; _relais_safe_client_deposit_sender ()
 * delivers it. */
char *
_relais_safe_client_queue_deposit (RelaisSafeClient *self,
                                   const char       *number,
                                   const char       *id,
                                   const char       *category,
                                   GBytes           *envelope,
                                   GError          **error)
{
  JsonObject      *data = json_object_new ();
  g_autofree char *key = NULL;
  g_autoptr(GError) local = NULL;

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "number", number);
  json_object_set_string_member (data, "category", category);
  key = relais_link_queue_event_attached (self->link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT), data, envelope, &local);
  if (key == NULL)
    {
      _relais_safe_client_set_unreachable (error, local);
      return NULL;
    }
  return g_strdup (id);
}

/* Runs in the link's sending thread, with the outbox's retry rules. */
RelaisLinkSendResult
_relais_safe_client_deposit_sender (RelaisLink *link,
                                    JsonObject *data,
                                    GBytes     *envelope,
                                    GError    **error)
{
  RelaisSafeClient sender = { .link = link };
  g_autoptr(GError) local = NULL;
  g_autofree char *id = _relais_safe_client_upload (&sender, "/safe/deposit",
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
             ? RELAIS_LINK_RETRY
             : RELAIS_LINK_REFUSED;
}

char *
relais_safe_client_deposit (RelaisSafeClient *self,
                            const char       *number,
                            const char       *category,
                            const char       *name,
                            GBytes           *plain,
                            gboolean         *queued,
                            GError          **error)
{
  g_autoptr(GBytes) box_pk = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = g_uuid_string_random ();
  char            *result;

  *queued = FALSE;
  if (!_relais_safe_client_valid_number (number, error) || !_relais_safe_client_check_document (category, plain, error))
    return NULL;
  if (self->db != NULL)
    {
      g_mutex_lock (&self->db_lock);
      box_pk = relais_db_safe_key_lookup (self->db, number);
      g_mutex_unlock (&self->db_lock);
    }
  if (box_pk == NULL)
    {
      g_autoptr(RelaisSafeHello) h = _relais_safe_client_hello (self, number, error);

      if (h == NULL)
        return NULL;
      if (h->box_pk == NULL)
        {
          g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED,
                               _ ("Ce coffre est neuf : ouvrez-le d'abord avec le code de la carte."));
          return NULL;
        }
      box_pk = g_bytes_ref (h->box_pk);
    }
  envelope = relais_safe_seal_document (NULL, g_bytes_get_data (box_pk, NULL), name, plain, error);
  if (envelope == NULL)
    return NULL;
  result = _relais_safe_client_upload (self, "/safe/deposit", number, id, category, envelope, &local);
  if (result != NULL || !g_error_matches (local, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return result;
    }
  *queued = TRUE;
  return _relais_safe_client_queue_deposit (self, number, id, category, envelope, error);
}

int
relais_safe_client_flush (RelaisSafeClient *self,
                          GError          **error)
{
  gint64 before = relais_safe_client_get_pending (self);
  g_autoptr(GError) local = NULL;

  if (before <= 0)
    return 0;
  /* Asked for now: the queue's backoff does not make it wait. */
  relais_link_retry_now (self->link);
  if (relais_link_flush (self->link, &local) < 0)
    {
      _relais_safe_client_set_unreachable (error, local);
      return -1;
    }
  return (int) (before - relais_safe_client_get_pending (self));
}

gint64
relais_safe_client_get_pending (RelaisSafeClient *self)
{
  return relais_link_get_pending_of_type (self->link, relais_event_type_to_string (RELAIS_EVENT_SAFE_DEPOSIT));
}
