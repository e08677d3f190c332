/* relais-hub-safe.h: the hub's side of residents' digital safes. */
#pragma once

#include "relais-hub.h"

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
gboolean relais_hub_set_safe           (RelaisHub    *self,
                                        const char   *key_path,
                                        int           retention_days,
                                        int           notice_days,
                                        gsize         max_document,
                                        GError      **error);
/* Tests: the clock the safes read (ms since the epoch); NULL restores
 * the real one. */
void     relais_hub_safe_set_clock     (RelaisHub    *self,
                                        gint64      (*now) (void));
/* Runs retention now (also daily by itself). */
gboolean relais_hub_safe_run_retention (RelaisHub    *self,
                                        GError      **error);

G_END_DECLS
