/* test-safe-crypto.c: the safe's cryptography alone, without a hub:
 * envelopes, keys, envelopes sealed by an older version, a hub database of
 * schema 7, the journal's lines. Part of test-safe.c. */
#include "test-safe.h"

/* ---- crypto alone ---- */

void
test_crypto_roundtrip (void)
{
  g_autoptr(RelaisSafeKeys) keys = relais_safe_keys_new_random ();
  g_autoptr(RelaisSafeKeys) other = relais_safe_keys_new_random ();
  g_autoptr(GBytes) plain = test_document ();
  g_autoptr(GBytes) env = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char   *name = NULL;
  g_autofree guint8 *bad = NULL;
  gsize              length;

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

void
test_crypto_keys (void)
{
  g_autoptr(RelaisSafeKeys) keys = relais_safe_keys_new_random ();
  g_autoptr(RelaisSafeKeys) back = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GError) error = NULL;
  RelaisSafePinKeys right, wrong;
  guint8            salt[RELAIS_SAFE_SALT_BYTES] = { 1, 2, 3 };
  guint8            hub_secret[32] = { 7 };
  guint8            other_secret[32] = { 8 };

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
RelaisSafeKeys *
keys_from_64 (GBytes *bytes)
{
  RelaisSafeKeys *keys = relais_safe_keys_new_random ();

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 64);
  memcpy (keys->safe_key, g_bytes_get_data (bytes, NULL), 32);
  memcpy (keys->box_sk, (const guint8 *) g_bytes_get_data (bytes, NULL) + 32, 32);
  crypto_scalarmult_base (keys->box_pk, keys->box_sk);
  return keys;
}

void
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
      guint8           dk[RELAIS_SAFE_KEY_BYTES];

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
void
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
  gint64   other;

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

/* The journal the page shows is read once, checked, into typed lines: a
 * hub answer that is not a journal is a clear error, never half a list nor
 * a crash on a missing member. */
void
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
                                                "\"detail\": null}]}",
                                                NULL);
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
      g_assert_cmpstr (error->message, ==, _ ("Le coffre ne répond pas comme prévu. Réessayez."));
      g_clear_error (&error);
    }
}
