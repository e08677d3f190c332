/* relais-hub-central-safe.c: the site's second queue to the central
 * registry (issue 19): safes, accounts' directory and monthly statistics
 * pushed up in order, each once, with the people queue's discipline; and
 * a safe of another site fetched when a resident opens it here. */

#include "relais-hub-central-private.h"
#include "relais-hub-central-safe.h"
#include "relais-hub-json.h"
#include "relais-central-safe.h"
#include "relais-db-safe.h"

#define UP_KEY "relais-hub-central-up"
/* At most this many entries, and this many bytes of envelopes, at once
 * (a single larger envelope goes alone). */
#define UP_BATCH       128
#define UP_BATCH_BYTES (8 * 1024 * 1024)
#define RETRY_MIN_MS   250
#define RETRY_MAX_MS   (30 * 1000)
#define VISITED_KEY    "relais-hub-central-visited"

typedef struct {
  gboolean pushing;
  gboolean failing;
  guint    retry_ms;
  gint64   next_try; /* monotonic µs */
  guint64  pushed;
  guint64  fetched;
} Up;

static Up *
up_get (RelaisHub *self)
{
  Up *up = g_object_get_data (G_OBJECT (self), UP_KEY);

  if (up == NULL)
    {
      up = g_new0 (Up, 1);
      up->retry_ms = RETRY_MIN_MS;
      g_object_set_data_full (G_OBJECT (self), UP_KEY, up, g_free);
    }
  return up;
}

/* ---- up ---- */

typedef struct {
  GPtrArray *ups; /* RelaisCentralUp, in order */
  guint      applied;
} Push;

static void
push_free (Push *push)
{
  g_ptr_array_unref (push->ups);
  g_free (push);
}

static gboolean
push_work (RelaisCentral *conn,
           gpointer       data,
           GError       **error)
{
  Push *push = data;

  return relais_central_push_up (conn, push->ups, &push->applied, error);
}

static void
push_done (RelaisHub    *self,
           gpointer      data,
           const GError *error)
{
  Push            *push = data;
  Up              *up = up_get (self);
  RelaisCentralUp *last = g_ptr_array_index (push->ups, push->ups->len - 1);
  g_autoptr(GError) local = NULL;

  up->pushing = FALSE;
  if (error != NULL)
    {
      if (!up->failing)
        g_message ("Registre central (coffres, comptes, statistiques) injoignable ou en refus, nouvel essai"
                   " plus tard : %s",
                   error->message);
      up->failing = TRUE;
      up->next_try = g_get_monotonic_time () + (gint64) up->retry_ms * 1000;
      up->retry_ms = MIN (up->retry_ms * 2, RETRY_MAX_MS);
      return;
    }
  /* Committed at the centre: they leave the queue. Should this fail,
   * the same keys go up again and the centre acknowledges them. */
  if (!relais_db_central_up_done (self->db, last->seq, &local))
    g_message ("File du registre central (coffres) : %s", local->message);
  up->failing = FALSE;
  up->pushed += push->ups->len;
  up->retry_ms = RETRY_MIN_MS;
  up->next_try = 0;
}

void
_relais_hub_central_up_tick (RelaisHub *self)
{
  Up   *up = up_get (self);
  Push *push;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ups = NULL;

  if (up->pushing || g_get_monotonic_time () < up->next_try)
    return;
  ups = relais_db_central_up_peek (self->db, UP_BATCH, UP_BATCH_BYTES, &error);
  if (ups == NULL)
    {
      g_message ("File du registre central (coffres) : %s", error->message);
      return;
    }
  if (ups->len == 0)
    return;
  push = g_new0 (Push, 1);
  push->ups = g_steal_pointer (&ups);
  up->pushing = _relais_hub_central_run (self, push_work, push_done, push, (GDestroyNotify) push_free);
}

gint64
relais_hub_central_up_pending (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), -1);

  return relais_db_central_is_enabled (self->db) ? relais_db_central_up_length (self->db) : -1;
}

guint64
relais_hub_central_up_pushed (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), 0);

  return up_get (self)->pushed;
}

guint64
relais_hub_central_safes_fetched (RelaisHub *self)
{
  g_return_val_if_fail (RELAIS_IS_HUB (self), 0);

  return up_get (self)->fetched;
}

/* ---- a safe of another site, at the door ---- */

typedef struct {
  SoupServerMessage *msg;  /* a ref, paused */
  JsonObject        *root; /* a ref */
  RelaisHubSafeHello handler;
  char              *number;
  GHashTable        *have; /* the documents this hub has */
  RelaisCentralSafe *safe; /* NULL: the centre has none (or two) */
  GPtrArray         *documents;
} Visit;

static void
visit_free (Visit *visit)
{
  g_object_unref (visit->msg);
  json_object_unref (visit->root);
  g_free (visit->number);
  g_clear_pointer (&visit->have, g_hash_table_unref);
  g_clear_pointer (&visit->safe, relais_central_safe_free);
  g_clear_pointer (&visit->documents, g_ptr_array_unref);
  g_free (visit);
}

static gboolean
visit_work (RelaisCentral *conn,
            gpointer       data,
            GError       **error)
{
  Visit *visit = data;

  visit->safe = relais_central_safe_fetch (conn, visit->number, error);
  if (visit->safe == NULL)
    return error == NULL || *error == NULL;
  visit->documents = relais_central_safe_documents (conn, visit->safe, visit->have, error);
  return visit->documents != NULL;
}

static void
visit_done (RelaisHub    *self,
            gpointer      data,
            const GError *error)
{
  Visit *visit = data;
  g_autoptr(GError) local = NULL;

  if (error != NULL)
    /* The centre away: this hub answers from what it holds (a copy made
     * at an earlier visit opens; a safe never seen here is unknown). */
    g_message ("Registre central, coffre d'un autre site : %s", error->message);
  else if (visit->safe != NULL)
    {
      if (!relais_db_central_safe_store (self->db, visit->safe, visit->documents, &local))
        g_message ("Coffre d'un autre site : %s", local->message);
      else
        up_get (self)->fetched++;
    }
  visit->handler (self, visit->msg, visit->root);
  soup_server_message_unpause (visit->msg);
}

gboolean
_relais_hub_central_safe_visit (RelaisHub         *self,
                                SoupServerMessage *msg,
                                JsonObject        *root,
                                RelaisHubSafeHello handler)
{
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autofree char *home = NULL;
  g_autoptr(GError) error = NULL;
  Visit      *visit;
  JsonNode   *node;
  const char *number;

  if (!relais_db_central_is_enabled (self->db) || g_object_get_data (G_OBJECT (msg), VISITED_KEY) != NULL)
    return FALSE;
  node = json_object_get_member (root, "number");
  number = node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
               ? json_node_get_string (node)
               : NULL;
  if (number == NULL || *number == '\0' || strlen (number) > 32)
    return FALSE;
  record = relais_db_safe_get (self->db, number, NULL);
  home = record != NULL ? relais_db_central_safe_home (self->db, number) : NULL;
  /* A safe made here is this site's own: nothing to ask. A copy is not
   * refreshed while the centre is known to be away: the resident would
   * wait for the connection's timeout at each hello. */
  if (record != NULL && (home == NULL || up_get (self)->failing))
    return FALSE;
  visit = g_new0 (Visit, 1);
  visit->have = relais_db_central_safe_document_ids (self->db, number, &error);
  if (visit->have == NULL)
    {
      g_free (visit);
      return FALSE;
    }
  visit->msg = g_object_ref (msg);
  visit->root = json_object_ref (root);
  visit->handler = handler;
  visit->number = g_strdup (number);
  g_object_set_data (G_OBJECT (msg), VISITED_KEY, GINT_TO_POINTER (1));
  soup_server_message_pause (msg);
  if (!_relais_hub_central_run (self, visit_work, visit_done, visit, (GDestroyNotify) visit_free))
    {
      soup_server_message_unpause (msg);
      return FALSE;
    }
  return TRUE;
}
