/* test-safe-consent.c: a resident's consent to a mediator (it expires, it
 * ends, it covers many documents), the journal, and a mediator's unlocks.
 * Part of test-safe.c. */
#include "test-safe.h"

void
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
      JsonNode      *member;

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
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes       *body;

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
void
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
    struct {
      const char *method;
      const char *path;
      GBytes     *body;
    } calls[] = {
      { "GET", list_path, NULL },
      { "POST", consented_path, body },
      { "GET", doc_path, NULL },
      { "GET", during_path, NULL },
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
void
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

void
test_journal (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_auto(Op) op = { 0 };
  static const char * const expected[][2] = {
    { "mediator:sophie", "create" },
    { "resident", "activate" },
    { "resident", "open" },
    { "resident", "add" },
    { "resident", "view" },
    { "resident", "wrong-pin" },
    { "resident", "consent" },
    { "mediator:sophie", "mediator-open" },
    { "mediator:sophie", "mediator-view" },
    { "resident", "delete" },
    { "resident", "pin" },
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
unlock_status (Fixture    *fx,
               RelaisLink *console,
               const char *body,
               char      **message)
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
  guint8           epk[32], auth[32];
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
void
test_unlock_limit (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autofree char *message = NULL;
  g_autofree char *wrong_body = NULL;
  g_autofree char *right_body = NULL;
  const char      *recovery;
  int              checked = 0;
  int              unlocked = 0;
  g_auto(Op) op = { 0 };

  activate (fx);
  op_reset (&op, (Op) { OP_CLOSE, fx->resident });
  run (&op);

  /* Four rounds of the attack. */
  for (int cycle = 0; cycle < 4; cycle++)
    {
      g_autofree char *refusal = NULL;
      long             status;

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
