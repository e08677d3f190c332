/* relais-mail-kiosk.c: the station's offline copy of who has mail. */

#include "relais-mail-kiosk.h"
#include "relais-db-mail.h"
#include "relais-protocol.h"

#include <string.h>

struct _RelaisMailKiosk {
  GObject       parent_instance;

  /* Owned */
  RelaisLink   *link;
  RelaisDb     *db;
  GCancellable *cancellable;
  gboolean      fetching;
  gboolean      again; /* changed while fetching: fetch once more */
};

G_DEFINE_FINAL_TYPE (RelaisMailKiosk, relais_mail_kiosk, G_TYPE_OBJECT)

enum {
  SIGNAL_UPDATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static gboolean
store (RelaisMailKiosk *self,
       JsonObject      *reply,
       GError         **error)
{
  const char             *salt = json_object_get_string_member_with_default (reply, "salt", NULL);
  const char             *hours = json_object_get_string_member_with_default (reply, "hours", "");
  JsonArray              *entries = json_object_has_member (reply, "entries") ? json_object_get_array_member (reply, "entries") : NULL;
  guint                   n = entries != NULL ? json_array_get_length (entries) : 0;
  g_autofree const char **hashes = g_new0 (const char *, n + 1);
  g_autofree gint64      *counts = g_new0 (gint64, n + 1);
  g_autofree const char **ends = g_new0 (const char *, n + 1);
  g_autoptr(GHashTable) end_of = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *end_list = json_object_has_member (reply, "ends") ? json_object_get_array_member (reply, "ends") : NULL;
  guint      kept = 0;

  if (salt == NULL || entries == NULL)
    {
      g_set_error_literal (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL, "liste du courrier illisible");
      return FALSE;
    }
  /* The end of each domiciliation, when the hub sends them. */
  for (guint i = 0; end_list != NULL && i < json_array_get_length (end_list); i++)
    {
      JsonArray  *pair = json_array_get_array_element (end_list, i);
      const char *hash = pair != NULL && json_array_get_length (pair) == 2 ? json_array_get_string_element (pair, 0) : NULL;
      const char *end = hash != NULL ? json_array_get_string_element (pair, 1) : NULL;

      if (end != NULL)
        g_hash_table_insert (end_of, (gpointer) hash, (gpointer) end);
    }
  for (guint i = 0; i < n; i++)
    {
      JsonArray *pair = json_array_get_array_element (entries, i);

      if (pair == NULL || json_array_get_length (pair) != 2)
        continue;
      hashes[kept] = json_array_get_string_element (pair, 0);
      counts[kept] = json_array_get_int_element (pair, 1);
      if (hashes[kept] != NULL)
        {
          ends[kept] = g_hash_table_lookup (end_of, hashes[kept]);
          kept++;
        }
    }
  return relais_db_mail_kiosk_store (self->db, salt, hours, hashes, counts, ends, kept, relais_db_now_ms (), error);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelaisMailKiosk) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);

  self->fetching = FALSE;
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("liste du courrier non reçue : %s", error->message);
      return;
    }
  if (self->db == NULL)
    return;
  if (!store (self, reply, &error))
    g_message ("liste du courrier non gardée : %s", error->message);
  else
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  if (self->again)
    {
      self->again = FALSE;
      relais_mail_kiosk_refresh (self);
    }
}

void
relais_mail_kiosk_refresh (RelaisMailKiosk *self)
{
  g_return_if_fail (RELAIS_IS_MAIL_KIOSK (self));

  if (self->fetching)
    {
      self->again = TRUE;
      return;
    }
  self->fetching = TRUE;
  relais_link_request_async (self->link, "/mail-snapshot", NULL, self->cancellable,
                             fetched_cb, g_object_ref (self));
}

static void
ready_cb (RelaisLink      *link,
          RelaisMailKiosk *self)
{
  relais_mail_kiosk_refresh (self);
}

static void
changed_cb (RelaisLink      *link,
            const char      *name,
            JsonObject      *data,
            RelaisMailKiosk *self)
{
  relais_mail_kiosk_refresh (self);
}

gint64
relais_mail_kiosk_check (RelaisMailKiosk *self,
                         const char      *card_or_number,
                         const char      *birth_date,
                         char           **hours,
                         GError         **error)
{
  g_autofree char *salt = NULL;
  g_autofree char *stored_hours = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *key = NULL;
  gint64           waiting;

  g_return_val_if_fail (RELAIS_IS_MAIL_KIOSK (self) && card_or_number != NULL, -1);

  if (!relais_db_mail_kiosk_meta (self->db, &salt, &stored_hours, NULL, error))
    return -1;
  /* Readers add spaces or lower case; the hub stored the bare token. */
  key = g_strstrip (g_strdup (card_or_number));
  hash = relais_mail_kiosk_hash (salt, key, birth_date);
  waiting = relais_db_mail_kiosk_lookup (self->db, hash, error);
  /* Someone the snapshot knows checked: a contact, which keeps their
   * domiciliation alive. Only the hash goes, through the outbox, so it
   * reaches the hub when the link comes back. Not queued, it is only
   * lost as a contact: the answer is given all the same. */
  if (waiting >= 0)
    {
      g_autoptr(GError) local = NULL;
      JsonObject      *data = json_object_new ();
      g_autofree char *queued = NULL;

      json_object_set_string_member (data, "hash", hash);
      queued = relais_link_queue_event (self->link, relais_event_type_to_string (RELAIS_EVENT_MAIL_CHECK), data, &local);
      if (queued == NULL)
        g_message ("vérification du courrier non transmise : %s", local->message);
    }
  if (hours != NULL)
    *hours = g_steal_pointer (&stored_hours);
  return waiting;
}

char *
relais_mail_kiosk_active_to (RelaisMailKiosk *self,
                             const char      *card_or_number,
                             const char      *birth_date)
{
  g_autofree char *salt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (RELAIS_IS_MAIL_KIOSK (self) && card_or_number != NULL, NULL);

  if (!relais_db_mail_kiosk_meta (self->db, &salt, NULL, NULL, NULL) || salt == NULL)
    return NULL;
  key = g_strstrip (g_strdup (card_or_number));
  hash = relais_mail_kiosk_hash (salt, key, birth_date);
  return relais_db_mail_kiosk_active_to (self->db, hash, NULL);
}

gint64
relais_mail_kiosk_get_updated_at (RelaisMailKiosk *self)
{
  gint64 at = 0;

  g_return_val_if_fail (RELAIS_IS_MAIL_KIOSK (self), 0);
  if (!relais_db_mail_kiosk_meta (self->db, NULL, NULL, &at, NULL))
    return 0;
  return at;
}

static void
relais_mail_kiosk_dispose (GObject *object)
{
  RelaisMailKiosk *self = RELAIS_MAIL_KIOSK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  g_clear_object (&self->link);
  G_OBJECT_CLASS (relais_mail_kiosk_parent_class)->dispose (object);
}

static void
relais_mail_kiosk_finalize (GObject *object)
{
  RelaisMailKiosk *self = RELAIS_MAIL_KIOSK (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->db, relais_db_close);
  G_OBJECT_CLASS (relais_mail_kiosk_parent_class)->finalize (object);
}

static void
relais_mail_kiosk_class_init (RelaisMailKioskClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relais_mail_kiosk_dispose;
  G_OBJECT_CLASS (klass)->finalize = relais_mail_kiosk_finalize;
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
relais_mail_kiosk_init (RelaisMailKiosk *self)
{
  self->cancellable = g_cancellable_new ();
}

RelaisMailKiosk *
relais_mail_kiosk_new (RelaisLink *link,
                       const char *db_path,
                       GError    **error)
{
  g_autoptr(RelaisMailKiosk) self = NULL;

  g_return_val_if_fail (RELAIS_IS_LINK (link) && db_path != NULL, NULL);

  self = g_object_new (RELAIS_TYPE_MAIL_KIOSK, NULL);
  /* Its own connection: the link's sender thread uses another. */
  self->db = relais_db_open (db_path, RELAIS_DB_STATION, error);
  if (self->db == NULL)
    return NULL;
  self->link = g_object_ref (link);
  g_signal_connect (link, "ready", G_CALLBACK (ready_cb), self);
  g_signal_connect (link, "stream-event::mail-snapshot", G_CALLBACK (changed_cb), self);
  return g_steal_pointer (&self);
}
