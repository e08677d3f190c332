/* relais-hub-central-private.h: what relais-hub-central.c shares with
 * relais-hub-central-safe.c (issue 19): work on the centre's connection,
 * off the main loop; the safes' queue's tick; a safe fetched at the
 * door. */
#pragma once

#include "relais-hub-private.h"
#include "relais-central.h"

G_BEGIN_DECLS

/* On a worker thread, with the site's connection (made when missing):
 * returns FALSE with @error set on failure. */
typedef gboolean (*RelaisHubCentralWork) (RelaisCentral *conn,
                                          gpointer       data,
                                          GError       **error);
/* Back on the main loop, only while the hub lives. */
typedef void (*RelaisHubCentralDone) (RelaisHub    *self,
                                      gpointer      data,
                                      const GError *error);

/* Runs @work then @done; FALSE (nothing run, @data freed) when the hub
 * is not joined to a centre. */
gboolean  _relais_hub_central_run (RelaisHub           *self,
                                   RelaisHubCentralWork work,
                                   RelaisHubCentralDone done,
                                   gpointer             data,
                                   GDestroyNotify       data_free);

/* What the consoles' stream says of the centre ("central" event):
 * "joined", "away_since" (ms, while away), "copy_at" (ms, the local
 * copy's last good pull), "pending" (changes waiting to go up). NULL
 * without [central]. */
JsonNode *_relais_hub_central_state (RelaisHub *self);

/* relais-hub-central-safe.c: the second queue, from the pusher's tick. */
void      _relais_hub_central_up_tick (RelaisHub *self);

/* A station's POST /safe/hello, before the hub answers: a safe this hub
 * lacks, or holds as a copy of another site's, is fetched (or refreshed)
 * from the centre, then @handler runs with the same request. TRUE when
 * it took the request over (the message is paused meanwhile). The centre
 * away, the hub answers from what it holds. */
typedef void (*RelaisHubSafeHello) (RelaisHub         *self,
                                    SoupServerMessage *msg,
                                    JsonObject        *root);
gboolean _relais_hub_central_safe_visit (RelaisHub         *self,
                                         SoupServerMessage *msg,
                                         JsonObject        *root,
                                         RelaisHubSafeHello handler);

G_END_DECLS
