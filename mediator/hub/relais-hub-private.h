/* relais-hub-private.h: what the hub's files share, nobody else. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "relais-hub.h"
#include "relais-db-help.h"

#define MAX_KEY_LENGTH 128

typedef enum {
  CLIENT_STATION = 1,
  CLIENT_CONSOLE,
} ClientKind;

typedef struct {
  ClientKind  kind;
  char       *name;
} Client;

/* A live stream. Invariant: msg is paused only while body has no pending
 * chunk; it is removed from the list when the message finishes. */
typedef struct {
  RelaisHub         *hub;      /* borrowed; the hub outlives its streams */
  SoupServerMessage *msg;      /* owned */
  Client             client;
} Subscriber;

struct _RelaisHub
{
  GObject     parent_instance;

  /* Owned */
  RelaisDb   *db;
  SoupServer *server;
  GList      *subscribers;      /* Subscriber* */
  guint       keepalive_id;

  gsize       max_body;
  guint       port;
};

void        _relais_hub_reply_json      (SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *node);
void        _relais_hub_reply_error     (SoupServerMessage *msg,
                                         guint              status,
                                         const char        *message);
/* Parses the request body as one JSON object, or replies 400/413. */
JsonObject *_relais_hub_read_json_body  (RelaisHub         *self,
                                         SoupServerMessage *msg,
                                         JsonParser        *parser);
char       *_relais_hub_client_source   (const Client      *client);

/* relais-hub-stream.c */
void        _relais_hub_subscriber_free (Subscriber        *sub);
void        _relais_hub_handle_stream   (RelaisHub         *self,
                                         SoupServerMessage *msg,
                                         const Client      *client);
void        _relais_hub_broadcast_help  (RelaisHub               *self,
                                         const RelaisHelpRequest *request);
gboolean    _relais_hub_keepalive_cb    (gpointer           user_data);

/* relais-hub-events.c */
void        _relais_hub_handle_events   (RelaisHub         *self,
                                         SoupServerMessage *msg,
                                         const Client      *client);
void        _relais_hub_handle_help_list (RelaisHub         *self,
                                          SoupServerMessage *msg);
void        _relais_hub_handle_help_action (RelaisHub         *self,
                                            SoupServerMessage *msg,
                                            const Client      *client,
                                            const char        *id,
                                            const char        *verb);
