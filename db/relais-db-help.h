/* relais-db-help.h: the hub's event log, enrolled clients and help requests. */
#pragma once

#include "relais-db.h"
#include "relais-protocol.h"

G_BEGIN_DECLS

typedef enum {
  RELAIS_HELP_SEEN = 1,
  RELAIS_HELP_TAKE,
  RELAIS_HELP_RESOLVE,
  RELAIS_HELP_CANCEL,
  RELAIS_HELP_LEAVE, /* the resident's session ended first (a station's event) */
} RelaisHelpAction;

/* What a resolved request was about (issue 16): words of
 * relais-help-outcome.h's lists, each NULL when not said. */
typedef struct {
  const char *need;
  const char *outcome;
  const char *partner; /* only with outcome "oriente" */
} RelaisHelpOutcome;

/* Clients: stations and consoles, each with its own token (hash stored). */
gboolean           relais_db_client_enroll (RelaisDb   *db,
                                            const char *kind,
                                            const char *name,
                                            const char *token_hash,
                                            GError    **error);
/* Sets *kind and *name of the live client with @token_hash, or NOT_FOUND. */
gboolean           relais_db_client_lookup (RelaisDb   *db,
                                            const char *token_hash,
                                            char      **kind,
                                            char      **name,
                                            GError    **error);

/* A batch groups many events in one transaction (one fsync). */
gboolean           relais_db_batch_begin (RelaisDb *db,
                                          GError  **error);
gboolean           relais_db_batch_commit (RelaisDb *db,
                                           GError  **error);
void               relais_db_batch_rollback (RelaisDb *db);

/* Records @event and the request it raises. On a replayed key, sets
 * *duplicate and returns the request as it stands. @context_kind says
 * what @context is (UNKNOWN: an older station's, stored without one). */
RelaisHelpRequest *relais_db_help_raise (RelaisDb              *db,
                                         const RelaisEventInfo *event,
                                         const char            *id,
                                         const char            *station,
                                         const char            *category,
                                         const char            *language,
                                         const char            *origin,
                                         const char            *reason,
                                         const char            *context,
                                         RelaisHelpContextKind  context_kind,
                                         gboolean              *duplicate,
                                         GError               **error);
/* Applies @action to request @id. CONFLICT when the state forbids it (two
 * consoles taking the same request), NOT_FOUND for an unknown id. When
 * @station is not NULL the request must belong to it. */
RelaisHelpRequest *relais_db_help_apply (RelaisDb              *db,
                                         const RelaisEventInfo *event,
                                         const char            *id,
                                         RelaisHelpAction       action,
                                         const char            *mediator_name,
                                         const char            *mediator_login,
                                         const char            *station,
                                         gboolean              *duplicate,
                                         GError               **error);
/* Stores what resolved request @id was about, and counts it in the
 * monthly aggregate of @month ("YYYY-MM", the local month it was
 * resolved in) that the dashboard reads (words only: no person). Call
 * once, in the resolve's transaction. */
gboolean           relais_db_help_record_outcome (RelaisDb                *db,
                                                  const char              *id,
                                                  const char              *month,
                                                  const RelaisHelpOutcome *outcome,
                                                  GError                 **error);
RelaisHelpRequest *relais_db_help_get (RelaisDb   *db,
                                       const char *id,
                                       GError    **error);
/* Open requests, plus closed ones changed after @after_seq, oldest change
 * first; only @station's when not NULL. The catch-up of a live stream. */
GPtrArray         *relais_db_help_list_since (RelaisDb   *db,
                                              gint64      after_seq,
                                              const char *station,
                                              GError    **error);
/* What a stream sends on connection: the open requests (bounded by the
 * stations' cap on them) and the last @max_closed closed after
 * @after_seq, by seq; only @station's when not NULL. */
GPtrArray         *relais_db_help_catch_up (RelaisDb   *db,
                                            gint64      after_seq,
                                            const char *station,
                                            guint       max_closed,
                                            GError    **error);
/* How many of @station's requests of @origin ("resident" or "station")
 * are open (raised, seen or taken), up to @at_most (counting stops
 * there); -1 on error. */
gint64             relais_db_help_count_open (RelaisDb   *db,
                                              const char *station,
                                              const char *origin,
                                              gint64      at_most);
/* Requests raised at or before @raised_before and still waiting for a
 * taker (raised or seen), oldest first. */
GPtrArray         *relais_db_help_list_unattended (RelaisDb *db,
                                                   gint64    raised_before,
                                                   GError  **error);
/* The highest event sequence number so far. */
gint64             relais_db_event_last_seq (RelaisDb *db);
gint64             relais_db_event_count (RelaisDb *db);
/* The keys of the events recorded, in the order they were received. */
GPtrArray         *relais_db_event_keys (RelaisDb *db,
                                         GError  **error);

G_END_DECLS
