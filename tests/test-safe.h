/* test-safe.h: what the files of test-safe share: the fixture (a real
 * hub on loopback, a station's and two consoles' links, clients), running
 * a blocking client call off the main loop, and each file's tests for
 * main (). */
#pragma once

#define _GNU_SOURCE /* memmem */
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sodium.h>

#include <glib/gi18n-lib.h>

#include "relais-hub.h"
#include "relais-db-safe.h"
#include "relais-i18n.h"
#include "relais-hub-safe.h"
#include "relais-link.h"
#include "relais-safe-client.h"
#include "relais-safe-crypto.h"
#include "relais-test-hub.h"
#include "relais-db-help.h"
#include "relais-test-util.h"

/* Appears in a test document and its name: it must never be found in
 * any file the hub writes. */
#define MARKER      "RELAIS-MARQUEUR-EN-CLAIR-7731"
#define NAME_MARKER "Avis-imposition-NOMCLAIR-4409"
#define PIN         "4821"

typedef enum {
  OP_HELLO,
  OP_ACTIVATE,
  OP_OPEN,
  OP_CLOSE,
  OP_ADD,
  OP_LIST,
  OP_FETCH,
  OP_DELETE,
  OP_PIN,
  OP_JOURNAL,
  OP_CONSENT,
  OP_DEPOSIT,
  OP_FLUSH,
  OP_CONSENTED,
  OP_RAW,
} OpKind;

typedef struct {
  OpKind            kind;
  RelaisSafeClient *client;
  const char       *a, *b, *c;
  GBytes           *bytes;
  int               n;
  RelaisLink       *link; /* OP_RAW */
  /* results */
  gboolean          ok;
  int               remaining;
  gboolean          queued;
  char             *text;
  GPtrArray        *list;
  GBytes           *out;
  GPtrArray        *journal; /* RelaisSafeJournalLine* */
  gint64            value;
  GError           *error;
  gint              done;
} Op;

typedef struct {
  RelaisTestHub    *th;
  RelaisLink       *station;
  RelaisLink       *console;  /* Sophie on "accueil" */
  RelaisLink       *console2; /* Marc on "bureau" */
  RelaisSafeClient *resident; /* the station's client */
  RelaisSafeClient *sophie;
  RelaisSafeClient *marc;
  char             *station_db;
  char             *number;
  char             *code;
} Fixture;

/* test-safe.c */
extern gint64 clock_offset; /* the hub's clock: now plus this (ms) */

void
op_clear (Op *op);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)
void
op_reset (Op *op,
          Op  next);
gboolean
run (Op *op);
gint64
test_now (void);
JsonObject *
console_call (RelaisLink *link,
              const char *path,
              const char *body,
              GError    **error);
GBytes *
test_document (void);
void
activate (Fixture *fx);
char *
add_document (Fixture *fx, GBytes *doc);
gboolean
file_contains (const char *path,
               const char *needle);

/* test-safe-crypto.c */
void
test_crypto_roundtrip (void);
void
test_crypto_keys (void);
RelaisSafeKeys *
keys_from_64 (GBytes *bytes);
void
test_crypto_old_envelopes (void);
void
test_migrate_v7 (void);
void
test_journal_lines (void);

/* test-safe-consent.c */
void
test_consent_expires (Fixture *fx, gconstpointer data);
void
test_consent_ends (Fixture *fx, gconstpointer data);
void
test_consent_many (Fixture *fx, gconstpointer data);
void
test_journal (Fixture *fx, gconstpointer data);
void
test_unlock_limit (Fixture *fx, gconstpointer data);

/* test-safe-deposits.c */
void
test_offline_deposit (Fixture *fx, gconstpointer data);
char *
second_safe (Fixture *fx);
void
test_ids_per_safe (Fixture *fx, gconstpointer data);
void
test_deposit_limits (Fixture *fx, gconstpointer data);
void
test_quota (Fixture *fx, gconstpointer data);
void
test_numbers_hidden (Fixture *fx, gconstpointer data);
void
test_retention (Fixture *fx, gconstpointer data);
void
test_retention_reset_by_use (Fixture *fx, gconstpointer data);
void
test_bad_input (Fixture *fx, gconstpointer data);
void
test_too_large (Fixture *fx, gconstpointer data);
