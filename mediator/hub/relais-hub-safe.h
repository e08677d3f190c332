/* relais-hub-safe.h: the hub's side of residents' digital safes. */
#pragma once

#include "relais-hub.h"
#include "relais-db.h"

G_BEGIN_DECLS

/* Wrong PINs before a safe locks (a mediator unlocks it). */
#define RELAIS_HUB_SAFE_MAX_ATTEMPTS 5
/* Unlocks a mediator alone may make with no right PIN in between; past
 * them a locked safe needs the card's recovery code or a responsable, so
 * "unlock, guess five more" cannot go on for ever. */
#define RELAIS_HUB_SAFE_FREE_UNLOCKS 2
/* Wrong recovery codes before only a responsable can unlock. */
#define RELAIS_HUB_SAFE_MAX_RECOVERY_ATTEMPTS 5
/* Default length of a consent to a mediator. */
#define RELAIS_HUB_SAFE_CONSENT_MINUTES 30

/* Configures the safes: @key_path holds the hub's 32-byte master key
 * (made, mode 0600, when missing; NULL or "": next to the database);
 * a safe unused for @retention_days is announced, then deleted
 * @notice_days later if still unused; @max_document caps one upload.
 * Without this call the defaults apply on first use (3 years, 90 days,
 * 40 MiB, key next to the database). */
gboolean relais_hub_set_safe (RelaisHub  *self,
                              const char *key_path,
                              int         retention_days,
                              int         notice_days,
                              gsize       max_document,
                              GError    **error);
/* What deposits and uploads may take. A safe holds at most @quota_bytes
 * and @quota_documents in all (Reconnect's 600 MB a person is the
 * default); a station deposits without the PIN at most
 * @deposits_per_hour documents and @deposit_bytes_per_hour bytes an hour
 * (a burst of an hour's worth, then the rate). */
typedef struct {
  gint64 quota_bytes;
  gint64 quota_documents;
  gint64 deposits_per_hour;
  gint64 deposit_bytes_per_hour;
} RelaisHubSafeLimits;

#define RELAIS_HUB_SAFE_QUOTA_MB            600
#define RELAIS_HUB_SAFE_QUOTA_DOCUMENTS     1000
#define RELAIS_HUB_SAFE_DEPOSITS_PER_HOUR   30
#define RELAIS_HUB_SAFE_DEPOSIT_MB_PER_HOUR 400
/* Deposits a safe takes without the PIN before its owner opens it: a
 * stranger who knows the number cannot fill the owner's space. */
#define RELAIS_HUB_SAFE_WAITING_DEPOSITS   20
#define RELAIS_HUB_SAFE_WAITING_DEPOSIT_MB 200

void     relais_hub_safe_set_limits (RelaisHub                 *self,
                                     const RelaisHubSafeLimits *limits);
/* Where the safes' master key is: @configured ([safe] key-file) or, when
 * NULL or empty, next to the database at @db_path. */
char    *relais_hub_safe_key_path (const char *db_path,
                                   const char *configured);
/* Whether the key file at @key_path is the one @db's safes were made
 * with (it opens a safe's hub secret; never made when missing). TRUE too
 * when no safe has a PIN yet (@checked FALSE: nothing to compare). */
gboolean relais_hub_safe_check_key (RelaisDb   *db,
                                    const char *key_path,
                                    gboolean   *checked,
                                    GError    **error);
/* Tests: the clock the safes read (ms since the epoch); NULL restores
 * the real one. */
void     relais_hub_safe_set_clock (RelaisHub *self,
                                    gint64 (*now) (void));
/* Runs retention now (also daily by itself). */
gboolean relais_hub_safe_run_retention (RelaisHub *self,
                                        GError   **error);

G_END_DECLS
