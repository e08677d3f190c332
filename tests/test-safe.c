/* test-safe.c: the digital safe end to end over loopback: the real hub,
 * the real link, the station's encryption; PIN lock, consent, tampering,
 * offline deposits, the journal, retention, and no plaintext on the hub. */
#define _GNU_SOURCE   /* memmem */
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
#define MARKER "RELAIS-MARQUEUR-EN-CLAIR-7731"
#define NAME_MARKER "Avis-imposition-NOMCLAIR-4409"
#define PIN "4821"

/* ---- running blocking client calls off the main loop ---- */

typedef enum {
  OP_HELLO, OP_ACTIVATE, OP_OPEN, OP_CLOSE, OP_ADD, OP_LIST, OP_FETCH, OP_DELETE,
  OP_PIN, OP_JOURNAL, OP_CONSENT, OP_DEPOSIT, OP_FLUSH, OP_CONSENTED, OP_RAW,
} OpKind;

typedef struct {
  OpKind            kind;
  RelaisSafeClient *client;
  const char       *a, *b, *c;
  GBytes           *bytes;
  int               n;
  RelaisLink       *link;   /* OP_RAW */
  /* results */
  gboolean          ok;
  int               remaining;
  gboolean          queued;
  char             *text;
  GPtrArray        *list;
  GBytes           *out;
  GPtrArray        *journal;   /* RelaisSafeJournalLine* */
  gint64            value;
  GError           *error;
  gint              done;
} Op;

static void
op_clear (Op *op)
{
  g_clear_pointer (&op->text, g_free);
  g_clear_pointer (&op->list, g_ptr_array_unref);
  g_clear_pointer (&op->out, g_bytes_unref);
  g_clear_pointer (&op->journal, g_ptr_array_unref);
  g_clear_error (&op->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)

/* Makes @op a new call, freeing the last one's results. */
static void
op_reset (Op *op,
          Op  next)
{
  op_clear (op);
  *op = next;
}

static gpointer
op_thread (gpointer data)
{
  Op *op = data;
  RelaisSafeClient *c = op->client;

  switch (op->kind)
    {
    case OP_HELLO:
      op->text = relais_safe_client_hello (c, op->a, &op->remaining, &op->error);
      op->ok = op->text != NULL;
      break;
    case OP_ACTIVATE:
      op->ok = relais_safe_client_activate (c, op->a, op->b, op->c, &op->error);
      break;
    case OP_OPEN:
      op->ok = relais_safe_client_open (c, op->a, op->b, &op->remaining, &op->error);
      break;
    case OP_CLOSE:
      relais_safe_client_close (c);
      op->ok = TRUE;
      break;
    case OP_ADD:
      op->text = relais_safe_client_add (c, op->a, op->b, op->bytes, &op->queued, &op->error);
      op->ok = op->text != NULL;
      break;
    case OP_LIST:
      op->list = relais_safe_client_list (c, &op->error);
      op->ok = op->list != NULL;
      break;
    case OP_FETCH:
      op->out = relais_safe_client_fetch (c, op->a, &op->text, &op->error);
      op->ok = op->out != NULL;
      break;
    case OP_DELETE:
      op->ok = relais_safe_client_delete (c, op->a, &op->error);
      break;
    case OP_PIN:
      op->ok = relais_safe_client_change_pin (c, op->a, &op->error);
      break;
    case OP_JOURNAL:
      op->journal = relais_safe_client_journal (c, &op->error);
      op->ok = op->journal != NULL;
      break;
    case OP_CONSENT:
      op->value = relais_safe_client_consent (c, op->a, op->n, NULL, &op->error);
      op->ok = op->value > 0;
      break;
    case OP_DEPOSIT:
      op->text = relais_safe_client_deposit (c, op->a, op->b, op->c, op->bytes, &op->queued, &op->error);
      op->ok = op->text != NULL;
      break;
    case OP_FLUSH:
      op->value = relais_safe_client_flush (c, &op->error);
      op->ok = op->value >= 0;
      break;
    case OP_CONSENTED:
      op->ok = relais_safe_client_open_consented (c, op->a, &op->error);
      break;
    case OP_RAW:
      {
        long status = 0;

        op->out = relais_link_transfer (op->link, op->a, op->b, op->bytes, NULL, 4 * 1024 * 1024, &status, &op->error);
        op->value = status;
        op->ok = op->out != NULL;
      }
      break;
    default:
      g_assert_not_reached ();
    }
  g_atomic_int_set (&op->done, 1);
  return NULL;
}

static gboolean
op_done (gpointer data)
{
  return g_atomic_int_get (&((Op *) data)->done);
}

/* Runs @op in a thread while the hub keeps serving on this main loop. */
static gboolean
run (Op *op)
{
  GThread *thread;

  op_clear (op);
  op->done = 0;
  thread = g_thread_new ("safe-op", op_thread, op);
  g_assert_true (relais_test_wait (op_done, op));
  g_thread_join (thread);
  return op->ok;
}

/* ---- fixture ---- */

typedef struct {
  RelaisTestHub    *th;
  RelaisLink       *station;
  RelaisLink       *console;    /* Sophie on "accueil" */
  RelaisLink       *console2;   /* Marc on "bureau" */
  RelaisSafeClient *resident;   /* the station's client */
  RelaisSafeClient *sophie;
  RelaisSafeClient *marc;
  char             *station_db;
  char             *number;
  char             *code;
} Fixture;

static gint64 clock_offset;

static gint64
test_now (void)
{
  return relais_db_now_ms () + clock_offset;
}

typedef struct {
  JsonObject *answer;
  GError     *error;
  gboolean    done;
} Request;

static void
request_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Request *r = user_data;

  r->answer = relais_link_request_finish (RELAIS_LINK (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
request_done (gpointer data)
{
  return ((Request *) data)->done;
}

/* A mediator's JSON call through the console link. */
static JsonObject *
console_call (RelaisLink  *link,
              const char  *path,
              const char  *body,
              GError     **error)
{
  Request r = { NULL, NULL, FALSE };

  relais_link_request_async (link, path, body != NULL ? json_from_string (body, NULL) : NULL, NULL, request_cb, &r);
  g_assert_true (relais_test_wait (request_done, &r));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.answer;
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  clock_offset = 0;
  fx->th = relais_test_hub_new ();
  relais_hub_safe_set_clock (fx->th->hub, test_now);
  dir = g_dir_make_tmp ("relais-safe-station-XXXXXX", &error);
  g_assert_no_error (error);
  fx->station_db = g_build_filename (dir, "station.db", NULL);
  fx->station = relais_link_new (fx->th->url, fx->th->station_token, fx->station_db, &error);
  g_assert_no_error (error);
  fx->console = relais_link_new (fx->th->url, fx->th->console_token, NULL, &error);
  g_assert_no_error (error);
  fx->console2 = relais_link_new (fx->th->url, fx->th->console2_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_login (fx->console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  g_assert_true (relais_test_login (fx->console2, "marc", RELAIS_TEST_MARC_PASSWORD, &error));

  fx->resident = relais_safe_client_new (fx->station, fx->station_db, &error);
  g_assert_no_error (error);
  fx->sophie = relais_safe_client_new (fx->console, NULL, &error);
  g_assert_no_error (error);
  fx->marc = relais_safe_client_new (fx->console2, NULL, &error);
  g_assert_no_error (error);

  /* A mediator creates the safe and prints the card: number and code. */
  fx->number = relais_test_safe_create (fx->console, &fx->code);
  g_assert_cmpuint (strlen (fx->number), ==, 10);
  g_assert_cmpuint (strlen (fx->code), ==, 6);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_pointer (&fx->resident, relais_safe_client_free);
  g_clear_pointer (&fx->sophie, relais_safe_client_free);
  g_clear_pointer (&fx->marc, relais_safe_client_free);
  g_clear_object (&fx->station);
  g_clear_object (&fx->console);
  g_clear_object (&fx->console2);
  g_clear_pointer (&fx->th, relais_test_hub_free);
  g_free (fx->station_db);
  g_free (fx->number);
  g_free (fx->code);
}

static GBytes *
test_document (void)
{
  GString *text = g_string_new ("%PDF-1.4\n% test\n");

  /* Several secretstream chunks, the marker in the middle of one. */
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (text, "ligne %d du document " MARKER " fin\n", i);
  return g_string_free_to_bytes (text);
}

static void
activate (Fixture *fx)
{
  g_auto(Op) op = { OP_ACTIVATE, fx->resident, fx->number, fx->code, PIN };

  g_assert_true (run (&op));
  g_assert_true (relais_safe_client_is_open (fx->resident));
  op_clear (&op);
}

static char *
add_document (Fixture *fx, GBytes *doc)
{
  g_auto(Op) op = { OP_ADD, fx->resident, "impots", NAME_MARKER };
  char *id;

  op.bytes = doc;
  g_assert_true (run (&op));
  g_assert_false (op.queued);
  id = g_steal_pointer (&op.text);
  op_clear (&op);
  return id;
}

/* ---- crypto alone ---- */

static void
test_crypto_roundtrip (void)
{
  g_autoptr(RelaisSafeKeys) keys = relais_safe_keys_new_random ();
  g_autoptr(RelaisSafeKeys) other = relais_safe_keys_new_random ();
  g_autoptr(GBytes) plain = test_document ();
  g_autoptr(GBytes) env = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree guint8 *bad = NULL;
  gsize length;

  env = relais_safe_seal_document (keys, NULL, "papiers", plain, &error);
  g_assert_no_error (error);
  g_assert_null (memmem (g_bytes_get_data (env, NULL), g_bytes_get_size (env), MARKER, strlen (MARKER)));
  back = relais_safe_open_document (keys, env, &name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "papiers");
  g_assert_true (g_bytes_equal (back, plain));

  /* Another safe's keys open nothing. */
  g_assert_null (relais_safe_open_document (other, env, NULL, &error));
  g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);
  g_clear_error (&error);

  /* One bit flipped anywhere in the stream: refused, with a message. */
  length = g_bytes_get_size (env);
  bad = g_memdup2 (g_bytes_get_data (env, NULL), length);
  bad[length / 2] ^= 0x01;
  {
    g_autoptr(GBytes) tampered = g_bytes_new (bad, length);
    g_assert_null (relais_safe_open_document (keys, tampered, NULL, &error));
    g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);
    g_assert_nonnull (strstr (error->message, "modifié"));
    g_clear_error (&error);
  }
  /* Cut after a whole chunk: the final tag is missing. */
  {
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (env, 0, length - 100);
    g_assert_null (relais_safe_open_document (keys, cut, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  /* Not an envelope at all. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("%PDF-1.4 not encrypted", 22);
    g_assert_null (relais_safe_open_document (keys, junk, NULL, &error));
    g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT);
    g_clear_error (&error);
  }
  /* Sealed with the public key only (a deposit): the safe opens it. */
  sealed = relais_safe_seal_document (NULL, keys->box_pk, "dépôt", plain, &error);
  g_assert_no_error (error);
  g_clear_pointer (&back, g_bytes_unref);
  back = relais_safe_open_document (keys, sealed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, plain));
}

static void
test_crypto_keys (void)
{
  g_autoptr(RelaisSafeKeys) keys = relais_safe_keys_new_random ();
  g_autoptr(RelaisSafeKeys) back = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GError) error = NULL;
  RelaisSafePinKeys right, wrong;
  guint8 salt[RELAIS_SAFE_SALT_BYTES] = { 1, 2, 3 };
  guint8 hub_secret[32] = { 7 };
  guint8 other_secret[32] = { 8 };

  g_assert_true (relais_safe_derive_pin ("4821", salt, &right, &error));
  g_assert_true (relais_safe_derive_pin ("4822", salt, &wrong, &error));
  g_assert_cmpmem (right.auth, 32, right.auth, 32);
  g_assert_true (memcmp (right.auth, wrong.auth, 32) != 0);
  g_assert_true (memcmp (right.auth, right.wrap, 32) != 0);

  wrapped = relais_safe_keys_wrap (keys, right.wrap, hub_secret);
  back = relais_safe_keys_unwrap (wrapped, right.wrap, hub_secret, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back->safe_key, 32, keys->safe_key, 32);
  g_assert_cmpmem (back->box_pk, 32, keys->box_pk, 32);

  /* The PIN alone (without the hub's secret) opens nothing, nor the
   * hub's secret with a wrong PIN. */
  g_assert_null (relais_safe_keys_unwrap (wrapped, right.wrap, other_secret, &error));
  g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);
  g_clear_error (&error);
  g_assert_null (relais_safe_keys_unwrap (wrapped, wrong.wrap, hub_secret, &error));
  g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);

  g_assert_false (relais_safe_pin_valid ("12"));
  g_assert_false (relais_safe_pin_valid ("12a4"));
  g_assert_true (relais_safe_pin_valid ("123456"));
}

/* Documents sealed before consents gave per-document keys (the same
 * RSF1 envelope, made by the code of the time and kept in
 * tests/fixtures/safe/): they open with the safe's keys as before, and
 * with their own key alone, as a consent now gives it. */
static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("RELAIS_SOURCE_DIR"), "tests", "fixtures", "safe", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Safe keys from 64 bytes (safe_key ‖ box_sk), as a consent used to hand
 * them out. */
static RelaisSafeKeys *
keys_from_64 (GBytes *bytes)
{
  RelaisSafeKeys *keys = relais_safe_keys_new_random ();

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 64);
  memcpy (keys->safe_key, g_bytes_get_data (bytes, NULL), 32);
  memcpy (keys->box_sk, (const guint8 *) g_bytes_get_data (bytes, NULL) + 32, 32);
  crypto_scalarmult_base (keys->box_pk, keys->box_sk);
  return keys;
}

static void
test_crypto_old_envelopes (void)
{
  g_autoptr(GBytes) key_bytes = fixture_bytes ("keys.bin");
  g_autoptr(RelaisSafeKeys) keys = keys_from_64 (key_bytes);
  g_autoptr(GBytes) plain = fixture_bytes ("plain.pdf");
  const char * const files[] = { "wrapped.rsf1", "sealed.rsf1" };
  const char * const names[] = { "Avis d'imposition 2025", "Dépôt sans code" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) envelope = fixture_bytes (files[i]);
      g_autoptr(GBytes) back = NULL;
      g_autoptr(GBytes) alone = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *name2 = NULL;
      g_autofree char *head_name = NULL;
      guint8 dk[RELAIS_SAFE_KEY_BYTES];

      back = relais_safe_open_document (keys, envelope, &name, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (back, plain));
      g_assert_cmpstr (name, ==, names[i]);

      g_assert_true (relais_safe_document_key (keys, envelope, dk, &error));
      g_assert_no_error (error);
      alone = relais_safe_open_document_with_key (dk, envelope, &name2, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (alone, plain));
      g_assert_cmpstr (name2, ==, names[i]);
      head_name = relais_safe_open_name_with_key (dk, envelope, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (head_name, ==, names[i]);

      /* One document's key opens no other. */
      {
        g_autoptr(GBytes) other = fixture_bytes (files[1 - i]);

        g_assert_null (relais_safe_open_document_with_key (dk, other, NULL, &error));
        g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);
      }
    }
}

/* A hub database from before the unlock counters and per-safe document
 * ids (schema 7, tests/fixtures/safe/hub-v7.sql): it migrates, its
 * documents open as they did, and an id of its safe may now be used in
 * another safe. */
static void
test_migrate_v7 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-safe-v7-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *sql_path = g_build_filename (g_getenv ("RELAIS_SOURCE_DIR"), "tests", "fixtures", "safe", "hub-v7.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GBytes) key_bytes = fixture_bytes ("keys.bin");
  g_autoptr(RelaisSafeKeys) keys = keys_from_64 (key_bytes);
  g_autoptr(GBytes) plain = fixture_bytes ("plain.pdf");
  g_autoptr(RelaisDb) db = NULL;
  g_autoptr(RelaisSafeRecord) record = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) activation = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  gboolean duplicate = TRUE;
  sqlite3 *raw = NULL;
  gint64 other;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_HUB));
  record = relais_db_safe_get (db, "4271093385", &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->unlocks, ==, 0);
  g_assert_null (record->recovery_hash);
  list = relais_db_safe_document_list (db, record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      RelaisSafeDocument *doc = g_ptr_array_index (list, i);
      g_autoptr(GBytes) body = relais_db_safe_document_body (db, record->id, doc->id, &error);
      g_autoptr(GBytes) back = NULL;
      guint8 dk[RELAIS_SAFE_KEY_BYTES];

      g_assert_no_error (error);
      back = relais_safe_open_document (keys, body, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (back, plain));
      /* And as a consent now hands it out. */
      g_assert_true (relais_safe_document_key (keys, doc->head, dk, &error));
      g_clear_pointer (&back, g_bytes_unref);
      back = relais_safe_open_document_with_key (dk, body, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (back, plain));
    }

  other = relais_db_safe_create (db, "5550001111", NULL, activation, NULL, "mediator:sophie", 1, &error);
  g_assert_no_error (error);
  g_assert_true (relais_db_safe_document_add (db, other, "0f3c1a52-doc-avant-1", "autre",
                                              ((RelaisSafeDocument *) g_ptr_array_index (list, 0))->head,
                                              plain, FALSE, 2, &duplicate, &error));
  g_assert_no_error (error);
  g_assert_false (duplicate);
}

/* ---- with the hub ---- */

static void
test_roundtrip (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_auto(Op) op = { OP_LIST, fx->resident };
  RelaisSafeItem *item;

  activate (fx);
  id = add_document (fx, doc);

  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 1);
  item = g_ptr_array_index (op.list, 0);
  g_assert_cmpstr (item->id, ==, id);
  g_assert_cmpstr (item->name, ==, NAME_MARKER);
  g_assert_cmpstr (item->category, ==, "impots");
  g_assert_false (item->deposited);

  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc));
  g_assert_cmpstr (op.text, ==, NAME_MARKER);

  /* Change the PIN: the old one no longer opens, the new one does. */
  op_reset (&op, (Op) { OP_PIN, fx->resident, "909090" });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  g_assert_false (relais_safe_client_is_open (fx->resident));
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN);
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, "909090" });
  g_assert_true (run (&op));

  /* Delete: gone from the list and from the hub. */
  op_reset (&op, (Op) { OP_DELETE, fx->resident, id });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 0);
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND);
  op_clear (&op);
}

static void
test_wrong_pin_locks (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) unlocked = NULL;
  g_autofree char *path = NULL;
  g_auto(Op) op = { 0 };

  /* The card's code, wrong, counts too. */
  op_reset (&op, (Op) { OP_ACTIVATE, fx->resident, fx->number, "000000", PIN });
  if (g_str_equal (fx->code, "000000"))
    op.b = "111111";
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN);
  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  for (int i = 1; i <= 4; i++)
    {
      op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, "1111" });
      g_assert_false (run (&op));
      g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN);
      g_assert_cmpint (op.remaining, ==, 5 - i);
      g_test_message ("%s", op.error->message);
    }
  /* A good PIN in between resets nothing here: we go on to five. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, "2222" });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED);
  g_assert_nonnull (strstr (op.error->message, "bloqué"));

  /* Locked: even the right PIN is refused, and the hub says so before
   * any Argon2id. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_LOCKED);
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_true (run (&op));
  g_assert_cmpstr (op.text, ==, "locked");

  /* A station cannot unlock; a mediator can. */
  path = g_strdup_printf ("/safes/%s/unlock", fx->number);
  unlocked = console_call (fx->console, path, "{}", &error);
  g_assert_no_error (error);
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  op_clear (&op);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
test_no_plaintext_on_hub (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint files = 0;
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc));
  op_clear (&op);

  /* Every file of the hub's folder: database, WAL, key file. */
  dir = g_dir_open (fx->th->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->th->dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      files++;
      g_test_message ("checked %s", path);
      g_assert_false (file_contains (path, MARKER));
      g_assert_false (file_contains (path, NAME_MARKER));
      g_assert_false (file_contains (path, PIN));
    }
  g_assert_cmpuint (files, >=, 2);
  /* Nor anything on the station's disk. */
  g_assert_false (file_contains (fx->station_db, MARKER));
}

static void
test_tampered_on_hub (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);

  /* Someone with the hub's disk flips a byte of the stored ciphertext. */
  g_assert_cmpint (sqlite3_open (fx->th->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE safe_documents SET body ="
                                           " substr (body, 1, 5000) || x'00' || substr (body, 5002)"
                                           " WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED);
  g_test_message ("%s", op.error->message);
  g_assert_nonnull (strstr (op.error->message, "modifié"));
  op_clear (&op);
}

static void
test_consent_expires (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);

  /* Without consent, nothing. */
  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);

  /* The resident, safe open, lets Sophie see it for 30 minutes. */
  op_reset (&op, (Op) { OP_CONSENT, fx->resident, "sophie" });
  op.n = 30;
  g_assert_true (run (&op));
  g_assert_cmpint (op.value, >, test_now () + 29 * 60 * 1000);

  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_LIST, fx->sophie });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 1);
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc));

  /* Marc was not given consent. */
  op_reset (&op, (Op) { OP_CONSENTED, fx->marc, fx->number });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);

  /* 31 minutes later it has ended. */
  clock_offset += 31 * 60 * 1000;
  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, id });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);
  op_clear (&op);
}

/* Every string in @node and below, decoded from base64 when it is. */
static void
harvest_node (JsonNode  *node,
              GPtrArray *found)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        harvest_node (member, found);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        harvest_node (json_array_get_element (array, i), found);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_ptr_array_add (found, g_strdup (json_node_get_string (node)));
}

/* Tries every key material a console kept on @envelope: 64 bytes as the
 * safe's keys (what consents used to give), 32 bytes as a document key,
 * and anything sealed to the console's ephemeral key, opened. Returns
 * how many open it. */
static guint
kept_keys_open (GPtrArray         *strings,
                RelaisSafeChannel *console_channel,
                GBytes            *envelope)
{
  guint opened = 0;

  for (guint i = 0; i < strings->len; i++)
    {
      const char *text = g_ptr_array_index (strings, i);
      g_autoptr(GBytes) raw = relais_safe_unbase64 (text, 0, NULL);
      g_autoptr(GBytes) unsealed = console_channel != NULL ? relais_safe_channel_open (console_channel, text, NULL) : NULL;
      GBytes *candidates[] = { raw, unsealed };

      for (guint j = 0; j < G_N_ELEMENTS (candidates); j++)
        {
          g_autoptr(GBytes) plain = NULL;
          gsize size = candidates[j] != NULL ? g_bytes_get_size (candidates[j]) : 0;

          if (size == 64)
            {
              g_autoptr(RelaisSafeKeys) keys = keys_from_64 (candidates[j]);
              plain = relais_safe_open_document (keys, envelope, NULL, NULL);
            }
          else if (size == RELAIS_SAFE_KEY_BYTES)
            plain = relais_safe_open_document_with_key (g_bytes_get_data (candidates[j], NULL), envelope, NULL, NULL);
          if (plain != NULL)
            opened++;
        }
    }
  return opened;
}

/* The envelope of document @id as the hub stores it (what a copy of the
 * hub's disk or a backup holds). */
static GBytes *
stored_envelope (Fixture    *fx,
                 const char *id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *body;

  g_assert_cmpint (sqlite3_open (fx->th->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT body FROM safe_documents WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  body = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return body;
}

/* A console that keeps everything: every answer of every route a console
 * can call during the consent, the envelopes, and its own ephemeral key.
 * The documents the consent covered open with it; one added after the
 * consent ended (by the resident or deposited without the PIN), or even
 * while it held, does not. */
static void
test_consent_ends (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  static const char later_text[] = "%PDF-1.4\n% ajouté après l'accord\n";
  g_autoptr(GBytes) later = g_bytes_new_static (later_text, strlen (later_text));
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RelaisSafeChannel) console_channel = NULL;
  g_autoptr(GBytes) covered_envelope = NULL;
  g_autoptr(GBytes) during_envelope = NULL;
  g_autoptr(GBytes) later_envelope = NULL;
  g_autoptr(GBytes) deposit_envelope = NULL;
  g_autofree char *id = NULL;
  g_autofree char *during = NULL;
  g_autofree char *added_later = NULL;
  g_autofree char *deposited_later = NULL;
  g_autofree char *list_path = g_strdup_printf ("/safes/%s", fx->number);
  g_autofree char *consented_path = g_strdup_printf ("/safes/%s/consented", fx->number);
  g_autofree char *doc_path = NULL;
  g_autofree char *during_path = NULL;
  g_autofree char *epk_b64 = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(GBytes) body = NULL;
  guint8 epk[32], esk[32];
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);
  op_reset (&op, (Op) { OP_CONSENT, fx->resident, "sophie" });
  op.n = 15;
  g_assert_true (run (&op));

  /* While it holds, the resident adds one more: the consent covered
   * what was there when it was given. */
  during = add_document (fx, later);

  /* The console as it is meant to work. */
  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_LIST, fx->sophie });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 1);
  g_assert_cmpstr (((RelaisSafeItem *) g_ptr_array_index (op.list, 0))->id, ==, id);
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc));
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, during });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);

  /* The same console keeps every answer it can get, with an ephemeral
   * key of its own for the routes that seal to one. */
  crypto_box_keypair (epk, esk);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  body_text = g_strdup_printf ("{\"epk\":\"%s\"}", epk_b64);
  body = g_bytes_new (body_text, strlen (body_text));
  doc_path = g_strdup_printf ("/safes/%s/documents/%s", fx->number, id);
  during_path = g_strdup_printf ("/safes/%s/documents/%s", fx->number, during);
  {
    struct { const char *method; const char *path; GBytes *body; } calls[] = {
      { "GET", list_path, NULL }, { "POST", consented_path, body },
      { "GET", doc_path, NULL }, { "GET", during_path, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
      {
        g_autoptr(JsonNode) node = NULL;
        g_autofree char *text = NULL;

        op_reset (&op, (Op) { OP_RAW });
        op.link = fx->console;
        op.a = calls[i].method;
        op.b = calls[i].path;
        op.bytes = calls[i].body;
        g_assert_true (run (&op));
        g_test_message ("%s %s: %ld, %zu bytes", calls[i].method, calls[i].path, (long) op.value, g_bytes_get_size (op.out));
        text = g_strndup (g_bytes_get_data (op.out, NULL), g_bytes_get_size (op.out));
        node = json_from_string (text, NULL);
        if (node != NULL)
          {
            harvest_node (node, kept);
            /* The hub's side of a sealed answer. */
            if (JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), "hub_epk"))
              {
                g_autoptr(GBytes) hub_epk = relais_safe_unbase64 (json_object_get_string_member (json_node_get_object (node), "hub_epk"), 32, NULL);

                g_assert_nonnull (hub_epk);
                console_channel = relais_safe_channel_new_server (esk, g_bytes_get_data (hub_epk, NULL), NULL);
              }
          }
        else if (op.value == 200)
          {
            /* An envelope: its own bytes are kept too. */
            g_ptr_array_add (kept, relais_safe_base64 (g_bytes_get_data (op.out, NULL), g_bytes_get_size (op.out)));
            if (g_str_equal (calls[i].path, doc_path))
              covered_envelope = g_bytes_ref (op.out);
          }
      }
  }
  g_assert_nonnull (covered_envelope);

  /* The consent ends; the resident adds a document, and someone deposits
   * one without the PIN. */
  clock_offset += 16 * 60 * 1000;
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  added_later = add_document (fx, later);
  op_reset (&op, (Op) { OP_DEPOSIT, fx->resident, fx->number, "identite", "déposé après" });
  op.bytes = later;
  g_assert_true (run (&op));
  g_assert_false (op.queued);
  deposited_later = g_steal_pointer (&op.text);
  op_clear (&op);

  /* What was kept opens the covered document (the harvest is real)… */
  g_assert_cmpuint (kept_keys_open (kept, console_channel, covered_envelope), >=, 1);
  /* …and none of the others, taken straight from the hub's database. */
  during_envelope = stored_envelope (fx, during);
  later_envelope = stored_envelope (fx, added_later);
  deposit_envelope = stored_envelope (fx, deposited_later);
  g_assert_cmpuint (kept_keys_open (kept, console_channel, during_envelope), ==, 0);
  g_assert_cmpuint (kept_keys_open (kept, console_channel, later_envelope), ==, 0);
  g_assert_cmpuint (kept_keys_open (kept, console_channel, deposit_envelope), ==, 0);
  sodium_memzero (esk, sizeof esk);
}

/* A consent over more documents than one request carries (200 a
 * request): every one reaches the console, with its key. */
static void
test_consent_many (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% petit\n";
  g_autoptr(GBytes) small = g_bytes_new_static (text, strlen (text));
  g_autofree char *last = NULL;
  g_auto(Op) op = { 0 };

  /* 205 uploads in a row: past the default rate of a station. */
  relais_hub_set_rate_limit (fx->th->hub, 1000, 2000);
  activate (fx);
  for (int i = 0; i < 205; i++)
    {
      g_free (last);
      last = add_document (fx, small);
    }
  op_reset (&op, (Op) { OP_CONSENT, fx->resident, "sophie" });
  op.n = 30;
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_LIST, fx->sophie });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 205);
  for (guint i = 0; i < op.list->len; i++)
    g_assert_cmpstr (((RelaisSafeItem *) g_ptr_array_index (op.list, i))->name, ==, NAME_MARKER);
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, last });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, small));
  op_clear (&op);
}

static void
test_offline_deposit (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_auto(Op) op = { 0 };
  RelaisSafeItem *item;

  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  /* The hub goes down; a resident scans and puts it in the safe. */
  relais_test_hub_stop (fx->th);
  op_reset (&op, (Op) { OP_DEPOSIT, fx->resident, fx->number, "identite", "Carte d'identité" });
  op.bytes = doc;
  g_assert_true (run (&op));
  g_assert_true (op.queued);
  id = g_steal_pointer (&op.text);
  g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 1);
  g_assert_false (file_contains (fx->station_db, MARKER));

  /* Opening says plainly the safe cannot be reached. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (op.error->message, "injoignable"));
  op_reset (&op, (Op) { OP_FLUSH, fx->resident });
  g_assert_false (run (&op));
  g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 1);

  /* Back: the deposit goes, once, and the resident finds it. */
  relais_test_hub_start (fx->th);
  relais_hub_safe_set_clock (fx->th->hub, test_now);
  op_reset (&op, (Op) { OP_FLUSH, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpint (op.value, ==, 1);
  g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 0);
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 1);
  item = g_ptr_array_index (op.list, 0);
  g_assert_cmpstr (item->id, ==, id);
  g_assert_true (item->deposited);
  g_assert_cmpstr (item->name, ==, "Carte d'identité");
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc));
  op_clear (&op);
}

static gboolean
journal_has (GPtrArray  *journal,
             const char *who,
             const char *what)
{
  for (guint i = 0; i < journal->len; i++)
    {
      RelaisSafeJournalLine *line = g_ptr_array_index (journal, i);

      if (g_str_equal (line->what, what) && g_str_has_prefix (line->who, who))
        return TRUE;
    }
  return FALSE;
}

static void
test_journal (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_auto(Op) op = { 0 };
  static const char * const expected[][2] = {
    { "mediator:sophie", "create" }, { "resident", "activate" }, { "resident", "open" },
    { "resident", "add" }, { "resident", "view" }, { "resident", "wrong-pin" },
    { "resident", "consent" }, { "mediator:sophie", "mediator-open" },
    { "mediator:sophie", "mediator-view" }, { "resident", "delete" }, { "resident", "pin" },
  };

  activate (fx);
  id = add_document (fx, doc);
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  run (&op);
  op_reset (&op, (Op) { OP_CONSENT, fx->resident, "sophie" });
  op.n = 30;
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_CONSENTED, fx->sophie, fx->number });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_FETCH, fx->sophie, id });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_DELETE, fx->resident, id });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_PIN, fx->resident, "5555" });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_false (run (&op));
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, "5555" });
  g_assert_true (run (&op));

  op_reset (&op, (Op) { OP_JOURNAL, fx->resident });
  g_assert_true (run (&op));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("journal: %s %s", expected[i][0], expected[i][1]);
      g_assert_true (journal_has (op.journal, expected[i][0], expected[i][1]));
    }
  op_clear (&op);
}

static guint
journal_count (GPtrArray  *journal,
               const char *what)
{
  guint n = 0;

  for (guint i = 0; i < journal->len; i++)
    if (g_str_equal (((RelaisSafeJournalLine *) g_ptr_array_index (journal, i))->what, what))
      n++;
  return n;
}

/* A mediator's unlock, as the console sends it: the HTTP status, and the
 * hub's sentence in @message. */
static long
unlock_status (Fixture     *fx,
               RelaisLink  *console,
               const char  *body,
               char       **message)
{
  g_autofree char *path = g_strdup_printf ("/safes/%s/unlock", fx->number);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_auto(Op) op = { OP_RAW };
  long status;

  op.link = console;
  op.a = "POST";
  op.b = path;
  op.bytes = bytes;
  g_assert_true (run (&op));
  status = op.value;
  text = g_strndup (g_bytes_get_data (op.out, NULL), g_bytes_get_size (op.out));
  node = json_from_string (text, NULL);
  if (message != NULL)
    *message = g_strdup (node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                         ? json_object_get_string_member_with_default (json_node_get_object (node), "error", "")
                         : "");
  op_clear (&op);
  return status;
}

/* One wrong PIN proof, as a station sends it (boxed to the hub's channel
 * key) but without the Argon2id a real PIN costs: the hub cannot tell. */
static long
wrong_guess (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(GBytes) hub_pk = NULL;
  g_autoptr(RelaisSafeChannel) channel = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *hello_body = g_strdup_printf ("{\"number\":\"%s\"}", fx->number);
  g_autofree char *epk_b64 = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *text = NULL;
  guint8 epk[32], auth[32];
  g_auto(Op) op = { OP_RAW };
  long status;

  hello = console_call (fx->station, "/safe/hello", hello_body, &error);
  g_assert_no_error (error);
  hub_pk = relais_safe_unbase64 (json_object_get_string_member (hello, "hub_pk"), 32, &error);
  g_assert_no_error (error);
  channel = relais_safe_channel_new_client (g_bytes_get_data (hub_pk, NULL), epk);
  randombytes_buf (auth, sizeof auth);
  sealed = relais_safe_channel_seal (channel, auth, sizeof auth);
  epk_b64 = relais_safe_base64 (epk, sizeof epk);
  text = g_strdup_printf ("{\"number\":\"%s\",\"epk\":\"%s\",\"sealed\":\"%s\"}", fx->number, epk_b64, sealed);
  body = g_bytes_new (text, strlen (text));
  op.link = fx->station;
  op.a = "POST";
  op.b = "/safe/open";
  op.bytes = body;
  g_assert_true (run (&op));
  status = op.value;
  op_clear (&op);
  return status;
}

/* Five wrong PINs at the station: how many the hub checked (a locked safe
 * is refused before any check). */
static int
guess_five (Fixture *fx)
{
  int checked = 0;

  for (int i = 0; i < 5; i++)
    {
      g_auto(Op) hello = { OP_HELLO, fx->resident, fx->number };
      long status;

      g_assert_true (run (&hello));
      if (!g_str_equal (hello.text, "locked"))
        checked++;
      op_clear (&hello);
      status = wrong_guess (fx);
      g_assert_true (status == 403 || status == 423);
    }
  return checked;
}

/* "The mediator unlocks, the station guesses five more", over and over:
 * after two unlocks without the right PIN in between, a mediator alone
 * cannot unlock; the card's recovery code or a responsable can, and every
 * unlock (and refusal) is in the journal the resident reads. */
static void
test_unlock_limit (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autofree char *message = NULL;
  g_autofree char *wrong_body = NULL;
  g_autofree char *right_body = NULL;
  const char *recovery;
  int checked = 0;
  int unlocked = 0;
  g_auto(Op) op = { 0 };

  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  /* Four rounds of the attack. */
  for (int cycle = 0; cycle < 4; cycle++)
    {
      g_autofree char *refusal = NULL;
      long status;

      checked += guess_five (fx);
      op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
      g_assert_true (run (&op));
      g_assert_cmpstr (op.text, ==, "locked");
      status = unlock_status (fx, fx->console, "{}", &refusal);
      g_test_message ("cycle %d: unlock %ld %s", cycle, status, refusal);
      if (status == 200)
        unlocked++;
      else
        {
          g_assert_cmpint (status, ==, 403);
          g_assert_nonnull (strstr (refusal, "code de secours"));
          g_assert_nonnull (strstr (refusal, "responsable"));
        }
    }
  g_test_message ("%d PINs checked, %d unlocks", checked, unlocked);
  g_assert_cmpint (unlocked, ==, 2);
  g_assert_cmpint (checked, ==, 15);
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_true (run (&op));
  g_assert_cmpstr (op.text, ==, "locked");

  /* The recovery code (given once, at creation, with the card): a wrong
   * one is refused, the right one unlocks. This safe's was not kept by
   * the fixture: make a second safe to read one. */
  created = console_call (fx->console, "/safes/create", "{}", &error);
  g_assert_no_error (error);
  recovery = json_object_get_string_member_with_default (created, "recovery", NULL);
  g_assert_nonnull (recovery);
  g_assert_cmpuint (strlen (recovery), >=, 10);
  g_free (fx->number);
  g_free (fx->code);
  fx->number = g_strdup (json_object_get_string_member (created, "number"));
  fx->code = g_strdup (json_object_get_string_member (created, "code"));
  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  for (int cycle = 0; cycle < 2; cycle++)
    {
      guess_five (fx);
      g_assert_cmpint (unlock_status (fx, fx->console, "{}", NULL), ==, 200);
    }
  guess_five (fx);
  g_assert_cmpint (unlock_status (fx, fx->console, "{}", NULL), ==, 403);
  wrong_body = g_strdup_printf ("{\"recovery\":\"%s\"}", g_str_equal (recovery, "1234567890") ? "1234567891" : "1234567890");
  g_assert_cmpint (unlock_status (fx, fx->console, wrong_body, &message), ==, 403);
  g_test_message ("wrong recovery code: %s", message);
  g_assert_nonnull (strstr (message, "faux"));
  right_body = g_strdup_printf ("{\"recovery\":\"%s\"}", recovery);
  g_assert_cmpint (unlock_status (fx, fx->console, right_body, NULL), ==, 200);

  /* A responsable unlocks without the code. */
  guess_five (fx);
  g_assert_cmpint (unlock_status (fx, fx->console, "{}", NULL), ==, 403);
  g_assert_true (relais_test_login (fx->console2, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  g_assert_cmpint (unlock_status (fx, fx->console2, "{}", NULL), ==, 200);

  /* The owner, with the right PIN, sees it all in the journal. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_JOURNAL, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (journal_count (op.journal, "unlock"), ==, 4);
  g_assert_cmpuint (journal_count (op.journal, "unlock-refused"), ==, 2);
  g_assert_cmpuint (journal_count (op.journal, "recovery-wrong"), ==, 1);
  g_assert_true (journal_has (op.journal, "mediator:claire", "unlock"));
  g_assert_true (journal_has (op.journal, "mediator:sophie", "unlock-refused"));
  op_clear (&op);

  /* The right PIN resets the count: a mediator alone may unlock again. */
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  guess_five (fx);
  g_assert_cmpint (unlock_status (fx, fx->console, "{}", NULL), ==, 200);
  op_clear (&op);
}

/* A deposit as a station sends it: @plain sealed to safe @number's public
 * key under document id @id. The HTTP status, and the hub's answer. */
static long
raw_deposit (Fixture     *fx,
             const char  *number,
             const char  *id,
             GBytes      *plain,
             char       **answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(GBytes) box_pk = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autofree char *hello_body = g_strdup_printf ("{\"number\":\"%s\"}", number);
  g_autofree char *path = g_strdup_printf ("/safe/deposit?id=%s&category=autre&number=%s", id, number);
  g_auto(Op) op = { OP_RAW };
  long status;

  hello = console_call (fx->station, "/safe/hello", hello_body, &error);
  g_assert_no_error (error);
  box_pk = relais_safe_unbase64 (json_object_get_string_member (hello, "box_pk"), 32, &error);
  g_assert_no_error (error);
  envelope = relais_safe_seal_document (NULL, g_bytes_get_data (box_pk, NULL), "dépôt", plain, &error);
  g_assert_no_error (error);
  op.link = fx->station;
  op.a = "POST";
  op.b = path;
  op.bytes = envelope;
  g_assert_true (run (&op));
  status = op.value;
  if (answer != NULL)
    *answer = g_strndup (g_bytes_get_data (op.out, NULL), g_bytes_get_size (op.out));
  op_clear (&op);
  return status;
}

/* A second safe, made by Sophie and activated with PIN at the station
 * (the station's client is left on it). Returns its number. */
static char *
second_safe (Fixture *fx)
{
  g_autofree char *code = NULL;
  char *number = relais_test_safe_create (fx->console, &code);

  relais_test_safe_activate (fx->resident, number, code, PIN, FALSE);
  return number;
}

/* Document ids belong to their safe: the same id in another safe is
 * another document, not a resend; in the same safe, a resend of the same
 * bytes is a duplicate and other bytes are refused. */
static void
test_ids_per_safe (Fixture *fx, gconstpointer data)
{
  static const char text_a[] = "%PDF-1.4\n% pour le coffre A\n";
  static const char text_b[] = "%PDF-1.4\n% pour le coffre B\n";
  g_autoptr(GBytes) doc_a = g_bytes_new_static (text_a, strlen (text_a));
  g_autoptr(GBytes) doc_b = g_bytes_new_static (text_b, strlen (text_b));
  g_autofree char *number_b = NULL;
  g_autofree char *answer = NULL;
  const char *id = "a1b2c3d4-meme-identifiant";
  RelaisSafeItem *item;
  g_auto(Op) op = { 0 };

  activate (fx);
  number_b = second_safe (fx);

  g_assert_cmpint (raw_deposit (fx, fx->number, id, doc_a, &answer), ==, 200);
  g_assert_nonnull (strstr (answer, "stored"));
  g_clear_pointer (&answer, g_free);
  /* The same id, another safe: stored there. */
  g_assert_cmpint (raw_deposit (fx, number_b, id, doc_b, &answer), ==, 200);
  g_test_message ("same id, other safe: %s", answer);
  g_assert_nonnull (strstr (answer, "stored"));
  g_clear_pointer (&answer, g_free);
  op_reset (&op, (Op) { OP_LIST, fx->resident });   /* the station is on safe B */
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 1);
  item = g_ptr_array_index (op.list, 0);
  g_assert_cmpstr (item->id, ==, id);
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc_b));

  /* The same id again in safe A with other bytes: refused, not taken for
   * a resend; A keeps its own document. */
  g_assert_cmpint (raw_deposit (fx, fx->number, id, doc_b, &answer), ==, 409);
  g_test_message ("same id, same safe, other bytes: %s", answer);
  g_clear_pointer (&answer, g_free);
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_FETCH, fx->resident, id });
  g_assert_true (run (&op));
  g_assert_true (g_bytes_equal (op.out, doc_a));
  op_clear (&op);
}

/* Deposits need no PIN, so they are bounded: a safe takes a limited
 * number of them before its owner opens it, and a station a limited
 * number an hour; each refusal says why in French. */
static void
test_deposit_limits (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% dépôt\n";
  g_autoptr(GBytes) doc = g_bytes_new_static (text, strlen (text));
  g_autofree char *number_b = NULL;
  g_autofree char *answer = NULL;
  int stored = 0;
  int n = 0;
  long status;
  g_auto(Op) op = { 0 };

  /* The hub's general rate per client is not what is tested here. */
  relais_hub_set_rate_limit (fx->th->hub, 1000, 2000);
  activate (fx);
  number_b = second_safe (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  /* Into safe A until it refuses. */
  for (n = 0; n < 40; n++)
    {
      g_autofree char *id = g_strdup_printf ("depot-a-%04d", n);

      g_clear_pointer (&answer, g_free);
      status = raw_deposit (fx, fx->number, id, doc, &answer);
      if (status != 200)
        break;
      stored++;
    }
  g_test_message ("safe A: %d deposits taken, then %ld %s", stored, status, answer);
  g_assert_cmpint (stored, ==, 20);
  g_assert_cmpint (status, ==, 507);
  g_assert_nonnull (strstr (answer, "sans code"));
  g_assert_nonnull (strstr (answer, "ouvrir"));

  /* Into safe B from the same station: the station's hourly rate. */
  for (n = 0; n < 40; n++)
    {
      g_autofree char *id = g_strdup_printf ("depot-b-%04d", n);

      g_clear_pointer (&answer, g_free);
      status = raw_deposit (fx, number_b, id, doc, &answer);
      if (status != 200)
        break;
      stored++;
    }
  g_test_message ("station: %d deposits taken, then %ld %s", stored, status, answer);
  g_assert_cmpint (stored, ==, 30);
  g_assert_cmpint (status, ==, 429);
  g_assert_nonnull (strstr (answer, "ce poste"));

  /* A deposit queued in the station's outbox (made with the hub down)
   * that meets the station's limit waits and is sent later: it is not set
   * aside, and nothing is lost. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) hello = NULL;
    g_autoptr(GBytes) box_pk = NULL;
    g_autoptr(GBytes) envelope = NULL;
    g_autofree char *hello_body = g_strdup_printf ("{\"number\":\"%s\"}", number_b);
    g_autofree char *key = NULL;
    JsonObject *event = json_object_new ();

    hello = console_call (fx->station, "/safe/hello", hello_body, &error);
    g_assert_no_error (error);
    box_pk = relais_safe_unbase64 (json_object_get_string_member (hello, "box_pk"), 32, &error);
    envelope = relais_safe_seal_document (NULL, g_bytes_get_data (box_pk, NULL), "en attente", doc, &error);
    g_assert_no_error (error);
    json_object_set_string_member (event, "id", "depot-en-file-0001");
    json_object_set_string_member (event, "number", number_b);
    json_object_set_string_member (event, "category", "autre");
    key = relais_link_queue_event_attached (fx->station, "safe.deposit", event, envelope, &error);
    g_assert_no_error (error);
    op_reset (&op, (Op) { OP_FLUSH, fx->resident });
    g_assert_false (run (&op));
    g_test_message ("queued deposit, station over its rate: %s", op.error->message);
    g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 1);
    g_assert_cmpint (relais_link_get_rejected (fx->station), ==, 0);

    /* A resident calls for help meanwhile: the request does not wait the
     * hour behind the deposit. */
    {
      g_autoptr(RelaisHelpRequest) request = NULL;
      g_autofree char *help_key = NULL;
      JsonObject *help = json_object_new ();

      json_object_set_string_member (help, "id", "aide-pendant-le-depot");
      json_object_set_string_member (help, "category", "scanner");
      help_key = relais_link_queue_event (fx->station, "help.raise", help, &error);
      g_assert_no_error (error);
      op_reset (&op, (Op) { OP_FLUSH, fx->resident });
      g_assert_false (run (&op));   /* the deposit still waits */
      request = relais_db_help_get (relais_hub_get_db (fx->th->hub), "aide-pendant-le-depot", &error);
      g_assert_no_error (error);
      g_assert_nonnull (request);
      g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 1);
    }
  }

  /* The owner opens A: its waiting deposits are seen, it takes more
   * (once the station's hour has passed), and the queued one goes. */
  clock_offset += 61 * 60 * 1000;
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  g_assert_cmpint (raw_deposit (fx, fx->number, "depot-a-apres", doc, NULL), ==, 200);
  op_reset (&op, (Op) { OP_FLUSH, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpint (relais_safe_client_get_pending (fx->resident), ==, 0);
  op_clear (&op);
}

/* A safe's quota holds for the resident's own uploads too, in bytes and
 * in documents, with a sentence that says so; what was there stays. */
static void
test_quota (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% petit\n";
  g_autoptr(GBytes) small = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) big = test_document ();   /* ~150 KB */
  RelaisHubSafeLimits limits = {
    .quota_bytes = 100 * 1024, .quota_documents = 3,
    .deposits_per_hour = 30, .deposit_bytes_per_hour = 400 * 1024 * 1024,
  };
  g_auto(Op) op = { 0 };

  relais_hub_safe_set_limits (fx->th->hub, &limits);
  activate (fx);
  /* Bytes: the big one does not fit. */
  op_reset (&op, (Op) { OP_ADD, fx->resident, "impots", "gros" });
  op.bytes = big;
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FULL);
  g_test_message ("%s", op.error->message);
  g_assert_nonnull (strstr (op.error->message, "plein"));
  g_assert_nonnull (strstr (op.error->message, "100 Ko"));
  g_assert_false (op.queued);
  /* Documents: three, not four. */
  for (int i = 0; i < 3; i++)
    g_free (add_document (fx, small));
  op_reset (&op, (Op) { OP_ADD, fx->resident, "impots", "quatrième" });
  op.bytes = small;
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FULL);
  g_test_message ("%s", op.error->message);
  g_assert_nonnull (strstr (op.error->message, "3 documents"));
  /* Nor by a deposit. */
  op_reset (&op, (Op) { OP_DEPOSIT, fx->resident, fx->number, "autre", "dépôt" });
  op.bytes = small;
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FULL);
  g_assert_false (op.queued);
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 3);
  op_clear (&op);
}

/* A mediator cannot tell a safe number that exists from one that does
 * not: the same status and sentence for either. */
static void
test_numbers_hidden (Fixture *fx, gconstpointer data)
{
  const char *unknown = g_str_equal (fx->number, "1234567890") ? "1234567891" : "1234567890";
  static const char body_text[] = "{\"epk\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}";
  g_autoptr(GBytes) epk_body = g_bytes_new_static (body_text, strlen (body_text));
  g_autoptr(GBytes) empty = g_bytes_new_static ("{}", 2);
  const char *numbers[2] = { fx->number, unknown };
  struct { const char *method; const char *suffix; GBytes *body; } calls[] = {
    { "GET", "", NULL },
    { "POST", "/consented", epk_body },
    { "GET", "/documents/abcdefgh-1234", NULL },
    { "POST", "/unlock", empty },
  };

  activate (fx);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      long status[2];
      char *answers[2] = { NULL, NULL };

      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *path = g_strdup_printf ("/safes/%s%s", numbers[j], calls[i].suffix);
          g_auto(Op) op = { OP_RAW };

          op.link = fx->console;
          op.a = calls[i].method;
          op.b = path;
          op.bytes = calls[i].body;
          g_assert_true (run (&op));
          status[j] = op.value;
          answers[j] = g_strndup (g_bytes_get_data (op.out, NULL), g_bytes_get_size (op.out));
          op_clear (&op);
        }
      g_test_message ("%s /safes/N%s: %ld %s | %ld %s", calls[i].method, calls[i].suffix,
                      status[0], answers[0], status[1], answers[1]);
      g_assert_cmpint (status[0], ==, status[1]);
      g_assert_cmpstr (answers[0], ==, answers[1]);
      g_free (answers[0]);
      g_free (answers[1]);
    }
}

static void
test_retention (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);

  /* Used today: nothing happens. */
  g_assert_true (relais_hub_safe_run_retention (fx->th->hub, &error));
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_true (run (&op));

  /* Three years and a day later: announced, still there. */
  clock_offset += (gint64) (3 * 365 + 1) * 24 * 3600 * 1000;
  g_assert_true (relais_hub_safe_run_retention (fx->th->hub, &error));
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_true (run (&op));
  /* 91 days after the announcement: deleted for real. */
  clock_offset += (gint64) 91 * 24 * 3600 * 1000;
  g_assert_true (relais_hub_safe_run_retention (fx->th->hub, &error));
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND);
  op_clear (&op);
}

static void
test_retention_reset_by_use (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  clock_offset += (gint64) (3 * 365 + 1) * 24 * 3600 * 1000;
  g_assert_true (relais_hub_safe_run_retention (fx->th->hub, &error));
  /* The resident comes back after the announcement: the safe stays. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, PIN });
  g_assert_true (run (&op));
  clock_offset += (gint64) 91 * 24 * 3600 * 1000;
  g_assert_true (relais_hub_safe_run_retention (fx->th->hub, &error));
  op_reset (&op, (Op) { OP_HELLO, fx->resident, fx->number });
  g_assert_true (run (&op));
  op_clear (&op);
}

/* Raw status of a call made through @link, off the main loop. */
static long
raw_status (RelaisLink *link,
            const char *method,
            const char *path,
            GBytes     *body)
{
  g_auto(Op) op = { OP_RAW };
  long status;

  op.link = link;
  op.a = method;
  op.b = path;
  op.bytes = body;
  g_assert_true (run (&op));
  status = op.value;
  op_clear (&op);
  return status;
}

/* Bad input gets a clear answer and stores nothing. */
static void
test_bad_input (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("%PDF-1.4 en clair " MARKER, 18 + strlen (MARKER));
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *path = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);

  /* An unknown safe: 404; plaintext posing as a document: 400. */
  g_assert_cmpint (raw_status (fx->station, "POST", "/safe/deposit?id=abcdefgh-1&category=impots&number=1234567890", junk), ==, 404);
  path = g_strdup_printf ("/safe/deposit?id=abcdefgh-1&category=impots&number=%s", fx->number);
  g_assert_cmpint (raw_status (fx->station, "POST", path, junk), ==, 400);
  /* Unknown category. */
  op_reset (&op, (Op) { OP_ADD, fx->resident, "loisirs", "x" });
  op.bytes = junk;
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_REFUSED);
  /* Empty document. */
  op_reset (&op, (Op) { OP_ADD, fx->resident, "autre", "x" });
  op.bytes = empty;
  g_assert_false (run (&op));
  /* A console cannot use the station routes, nor a station the console's;
   * without an open safe, no listing. */
  g_assert_cmpint (raw_status (fx->console, "GET", "/safe/documents", NULL), ==, 403);
  g_assert_cmpint (raw_status (fx->station, "POST", "/safes/create", empty), ==, 403);
  g_assert_cmpint (raw_status (fx->station, "GET", "/safe/documents", NULL), ==, 401);

  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 0);
  /* A number that does not exist. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, "9999999999", PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND);
  op_clear (&op);
}

/* A document larger than the upload route's own cap: 413, said plainly. */
static void
test_too_large (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = test_document ();
  g_auto(Op) op = { 0 };

  g_assert_true (relais_hub_set_safe (fx->th->hub, NULL, 3 * 365, 90, 50 * 1024, &error));
  g_assert_no_error (error);
  relais_hub_safe_set_clock (fx->th->hub, test_now);
  activate (fx);
  op_reset (&op, (Op) { OP_ADD, fx->resident, "autre", "grand" });
  op.bytes = doc;   /* ~150 KB */
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TOO_LARGE);
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 0);
  op_clear (&op);
}

/* @message is @french in the session's language: the catalogue has it
 * (so the test can fail), and the station showed it translated. */
static void
assert_translated (const GError *error,
                   const char   *expected,
                   const char   *french)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (expected, !=, french);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
assert_translated_n (const GError *error,
                     const char   *french,
                     const char   *french_plural,
                     int           n)
{
  g_autofree char *expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, french, french_plural, n), n);
  g_autofree char *in_french = g_strdup_printf (n == 1 ? french : french_plural, n);

  assert_translated (error, expected, in_french);
}

/* The hub answers in French; a resident at a station reads its refusals
 * in the session's language (issue 20, item 20): an unknown card, a
 * wrong code, a full safe, a safe closed meanwhile, a station that
 * deposited enough, a locked safe. Spanish here. */
static void
test_sentences_translated (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% traduit\n";
  g_autoptr(GBytes) small = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) big = test_document ();   /* ~150 KB */
  const char *unknown = g_str_equal (fx->number, "1234567890") ? "1234567891" : "1234567890";
  RelaisHubSafeLimits limits = {
    .quota_bytes = 100 * 1024, .quota_documents = 2,
    .deposits_per_hour = 25, .deposit_bytes_per_hour = 400 * 1024 * 1024,
  };
  g_autofree char *number_b = NULL;
  g_autofree char *size = NULL;
  g_autofree char *bytes_expected = NULL;
  g_auto(Op) op = { 0 };
  int n;

  relais_hub_set_rate_limit (fx->th->hub, 1000, 2000);
  relais_hub_safe_set_limits (fx->th->hub, &limits);
  g_setenv ("LANGUAGE", "es", TRUE);

  /* A sentence of the database, said by the hub as is. */
  op_reset (&op, (Op) { OP_OPEN, fx->resident, unknown, PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND);
  assert_translated (op.error, _("Ce numéro ne correspond à aucun coffre-fort."),
                     "Ce numéro ne correspond à aucun coffre-fort.");
  /* Sentences with a number: the station writes them. */
  op_reset (&op, (Op) { OP_ACTIVATE, fx->resident, fx->number, g_str_equal (fx->code, "000000") ? "111111" : "000000", PIN });
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_WRONG_PIN);
  assert_translated_n (op.error, "Code de la carte faux. Il vous reste %d essai.",
                       "Code de la carte faux. Il vous reste %d essais.", 4);
  activate (fx);
  op_reset (&op, (Op) { OP_ADD, fx->resident, "impots", "gros" });
  op.bytes = big;
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FULL);
  size = g_strdup_printf (_("%u Ko"), 100u);
  bytes_expected = g_strdup_printf (_("Le coffre est plein : %s au plus, il reste %s. "
                                      "Supprimez des documents pour en mettre d'autres."), size, size);
  assert_translated (op.error, bytes_expected,
                     "Le coffre est plein : 100 Ko au plus, il reste 100 Ko. "
                     "Supprimez des documents pour en mettre d'autres.");
  for (int i = 0; i < 2; i++)
    g_free (add_document (fx, small));
  op_reset (&op, (Op) { OP_ADD, fx->resident, "impots", "troisième" });
  op.bytes = small;
  g_assert_false (run (&op));
  assert_translated_n (op.error, "Le coffre est plein : %d document au plus. Supprimez-en pour en mettre d'autres.",
                       "Le coffre est plein : %d documents au plus. Supprimez-en pour en mettre d'autres.", 2);

  /* The safe closes by itself after a while without use. */
  clock_offset += 11 * 60 * 1000;
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_false (run (&op));
  assert_translated (op.error, _("Le coffre s'est refermé. Ouvrez-le de nouveau."),
                     "Le coffre s'est refermé. Ouvrez-le de nouveau.");
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  /* Deposits: safe B takes 20 waiting ones, then says why not more; the
   * station's hourly share ends with the 25th. */
  limits.quota_documents = 1000;
  limits.quota_bytes = 600 * 1024 * 1024;
  relais_hub_safe_set_limits (fx->th->hub, &limits);
  number_b = second_safe (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);
  for (n = 0; n < 40; n++)
    {
      op_reset (&op, (Op) { OP_DEPOSIT, fx->resident, number_b, "autre", "dépôt" });
      op.bytes = small;
      if (!run (&op))
        break;
      g_assert_false (op.queued);
    }
  g_assert_cmpint (n, ==, 20);
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FULL);
  assert_translated_n (op.error,
                       "Ce coffre a déjà %d document déposé sans code qui attend : la personne doit ouvrir "
                       "son coffre avec son code secret avant d'en recevoir d'autres.",
                       "Ce coffre a déjà %d documents déposés sans code qui attendent : la personne doit ouvrir "
                       "son coffre avec son code secret avant d'en recevoir d'autres.", 20);
  for (n = 0; n < 40; n++)
    {
      op_reset (&op, (Op) { OP_DEPOSIT, fx->resident, fx->number, "autre", "dépôt" });
      op.bytes = small;
      if (!run (&op))
        break;
    }
  g_assert_cmpint (n, ==, 5);
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_BUSY);
  g_test_message ("%s", op.error->message);
  g_assert_nonnull (strstr (op.error->message, "Demasiados documentos"));

  /* Five wrong secret codes: the last warning, then locked. */
  for (int i = 1; i <= 5; i++)
    {
      op_reset (&op, (Op) { OP_OPEN, fx->resident, fx->number, "1111" });
      g_assert_false (run (&op));
      if (i < 4)
        assert_translated_n (op.error, "Code secret faux. Il vous reste %d essai.",
                             "Code secret faux. Il vous reste %d essais.", 5 - i);
      else if (i == 4)
        assert_translated (op.error, _("Code secret faux. Attention : encore une erreur et le coffre sera bloqué."),
                           "Code secret faux. Attention : encore une erreur et le coffre sera bloqué.");
      else
        assert_translated (op.error, _("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."),
                           "Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil.");
    }
  g_setenv ("LANGUAGE", "", TRUE);
  op_clear (&op);
}

/* The journal the page shows is read once, checked, into typed lines: a
 * hub answer that is not a journal is a clear error, never half a list nor
 * a crash on a missing member. */
static void
test_journal_lines (void)
{
  static const char * const bad[] = {
    "{\"journal\": 3}",
    "{\"journal\": [1]}",
    "{\"journal\": [{\"at\": 1, \"who\": \"resident\", \"what\": \"open\"}, {\"at\": 2, \"who\": \"resident\"}]}",
    "{\"journal\": [{\"at\": 1, \"what\": \"\"}]}",
    "{\"journal\": [{\"at\": \"hier\", \"what\": \"open\"}]}",
    "{\"journal\": [{\"at\": -5, \"what\": \"open\"}]}",
    "{\"journal\": [{\"at\": 1, \"what\": \"open\", \"who\": 7}]}",
    "{\"journal\": [{\"at\": 1, \"what\": \"open\", \"detail\": [\"x\"]}]}",
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"journal\": ["
                                               "{\"at\": 1700000000000, \"who\": \"mediator:claire\", "
                                               "\"what\": \"unlock\", \"station\": \"poste-1\", \"detail\": \"staff\"},"
                                               "{\"at\": 1600000000000, \"who\": \"resident\", \"what\": \"open\"},"
                                               "{\"at\": 1500000000000, \"who\": \"mediator:\", \"what\": \"create\", "
                                               "\"detail\": null}]}", NULL);
  g_autoptr(JsonNode) empty = json_from_string ("{}", NULL);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  RelaisSafeJournalLine *line;

  lines = relais_safe_journal_from_json (json_node_get_object (good), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpint (line->at, ==, 1700000000000);
  g_assert_cmpstr (line->who, ==, "mediator:claire");
  g_assert_cmpstr (line->mediator, ==, "claire");
  g_assert_cmpstr (line->what, ==, "unlock");
  g_assert_cmpstr (line->station, ==, "poste-1");
  g_assert_cmpstr (line->detail, ==, "staff");
  line = g_ptr_array_index (lines, 1);
  g_assert_cmpstr (line->who, ==, "resident");
  g_assert_null (line->mediator);
  g_assert_cmpstr (line->station, ==, "");
  g_assert_null (line->detail);
  /* "mediator:" with no login names nobody. */
  line = g_ptr_array_index (lines, 2);
  g_assert_null (line->mediator);
  g_assert_null (line->detail);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* No journal yet: an empty one. */
  lines = relais_safe_journal_from_json (json_node_get_object (empty), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);

      g_test_message ("%s", bad[i]);
      g_assert_nonnull (node);
      g_assert_null (relais_safe_journal_from_json (json_node_get_object (node), &error));
      g_assert_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT);
      g_assert_cmpstr (error->message, ==, _("Le coffre ne répond pas comme prévu. Réessayez."));
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  /* Before any thread: a test changes LANGUAGE (relais-i18n.c). */
  relais_i18n_init ();

  g_test_add_func ("/safe/crypto/roundtrip", test_crypto_roundtrip);
  g_test_add_func ("/safe/crypto/keys", test_crypto_keys);
  g_test_add_func ("/safe/crypto/old-envelopes", test_crypto_old_envelopes);
  g_test_add_func ("/safe/migrate-v7", test_migrate_v7);
  g_test_add_func ("/safe/journal-lines", test_journal_lines);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/safe/roundtrip", test_roundtrip);
  ADD ("/safe/wrong-pin-locks", test_wrong_pin_locks);
  ADD ("/safe/no-plaintext-on-hub", test_no_plaintext_on_hub);
  ADD ("/safe/tampered-on-hub", test_tampered_on_hub);
  ADD ("/safe/consent-expires", test_consent_expires);
  ADD ("/safe/consent-ends", test_consent_ends);
  ADD ("/safe/consent-many", test_consent_many);
  ADD ("/safe/offline-deposit", test_offline_deposit);
  ADD ("/safe/journal", test_journal);
  ADD ("/safe/unlock-limit", test_unlock_limit);
  ADD ("/safe/ids-per-safe", test_ids_per_safe);
  ADD ("/safe/deposit-limits", test_deposit_limits);
  ADD ("/safe/quota", test_quota);
  ADD ("/safe/numbers-hidden", test_numbers_hidden);
  ADD ("/safe/retention", test_retention);
  ADD ("/safe/retention-reset-by-use", test_retention_reset_by_use);
  ADD ("/safe/bad-input", test_bad_input);
  ADD ("/safe/too-large", test_too_large);
  ADD ("/safe/sentences-translated", test_sentences_translated);
#undef ADD
  return g_test_run ();
}
