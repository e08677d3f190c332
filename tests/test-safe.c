/* test-safe.c: the digital safe end to end over loopback: the real hub,
 * the real link, the station's encryption. This file: the fixture, running
 * blocking calls off the main loop, the round trip, the PIN lock, no
 * plaintext on the hub, tampering, the sentences' translations, and main ().
 * The rest by concern: test-safe-crypto.c (no hub), test-safe-consent.c
 * (consent, journal, unlocks), test-safe-deposits.c (deposits, limits,
 * retention, bad input); see test-safe.h. */
#include "test-safe.h"

gint64 clock_offset;

/* ---- running blocking client calls off the main loop ---- */

void
op_clear (Op *op)
{
  g_clear_pointer (&op->text, g_free);
  g_clear_pointer (&op->list, g_ptr_array_unref);
  g_clear_pointer (&op->out, g_bytes_unref);
  g_clear_pointer (&op->journal, g_ptr_array_unref);
  g_clear_error (&op->error);
}

/* Makes @op a new call, freeing the last one's results. */
void
op_reset (Op *op,
          Op  next)
{
  op_clear (op);
  *op = next;
}

static gpointer
op_thread (gpointer data)
{
  Op               *op = data;
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
gboolean
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

gint64
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
JsonObject *
console_call (RelaisLink *link,
              const char *path,
              const char *body,
              GError    **error)
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

GBytes *
test_document (void)
{
  GString *text = g_string_new ("%PDF-1.4\n% test\n");

  /* Several secretstream chunks, the marker in the middle of one. */
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (text, "ligne %d du document " MARKER " fin\n", i);
  return g_string_free_to_bytes (text);
}

void
activate (Fixture *fx)
{
  g_auto(Op) op = { OP_ACTIVATE, fx->resident, fx->number, fx->code, PIN };

  g_assert_true (run (&op));
  g_assert_true (relais_safe_client_is_open (fx->resident));
  op_clear (&op);
}

char *
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

gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* TRUE when @path holds the digits @pin standing alone: not inside a
 * longer number. A database full of millisecond times written as text
 * holds any four digits somewhere inside them, which tells nothing; a
 * stored PIN would stand alone (a text column, a JSON string). */
static gboolean
file_contains_pin (const char *path,
                   const char *pin)
{
  g_autofree char *contents = NULL;
  gsize            length = 0, n = strlen (pin);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (const char *p = contents; (p = memmem (p, length - (p - contents), pin, n)) != NULL; p++)
    if ((p == contents || !g_ascii_isdigit (p[-1])) && (p + n == contents + length || !g_ascii_isdigit (p[n])))
      return TRUE;
  return FALSE;
}

static void
test_no_plaintext_on_hub (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) doc = test_document ();
  g_autofree char *id = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint       files = 0;
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
      g_assert_false (file_contains_pin (path, PIN));
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
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  g_auto(Op) op = { 0 };

  activate (fx);
  id = add_document (fx, doc);

  /* Someone with the hub's disk flips a byte of the stored ciphertext. */
  g_assert_cmpint (sqlite3_open (fx->th->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE safe_documents SET body ="
                                           " substr (body, 1, 5000) || x'00' || substr (body, 5002)"
                                           " WHERE id = ?1",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
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
  g_autoptr(GBytes) big = test_document (); /* ~150 KB */
  const char         *unknown = g_str_equal (fx->number, "1234567890") ? "1234567891" : "1234567890";
  RelaisHubSafeLimits limits = {
    .quota_bytes = 100 * 1024,
    .quota_documents = 2,
    .deposits_per_hour = 25,
    .deposit_bytes_per_hour = 400 * 1024 * 1024,
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
  assert_translated (op.error, _ ("Ce numéro ne correspond à aucun coffre-fort."),
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
  size = g_strdup_printf (_ ("%u Ko"), 100u);
  bytes_expected = g_strdup_printf (_ ("Le coffre est plein : %s au plus, il reste %s. "
                                       "Supprimez des documents pour en mettre d'autres."),
                                    size, size);
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
  assert_translated (op.error, _ ("Le coffre s'est refermé. Ouvrez-le de nouveau."),
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
                       "son coffre avec son code secret avant d'en recevoir d'autres.",
                       20);
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
        assert_translated (op.error, _ ("Code secret faux. Attention : encore une erreur et le coffre sera bloqué."),
                           "Code secret faux. Attention : encore une erreur et le coffre sera bloqué.");
      else
        assert_translated (op.error, _ ("Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil."),
                           "Trop d'erreurs : le coffre est bloqué. Un médiateur peut le débloquer à l'accueil.");
    }
  g_setenv ("LANGUAGE", "", TRUE);
  op_clear (&op);
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
