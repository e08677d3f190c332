/* test-safe-deposits.c: deposits without the PIN (offline too) and their
 * limits, document ids, quotas, numbers that tell nothing, retention, bad
 * input and sizes. Part of test-safe.c. */
#include "test-safe.h"

void
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

/* A deposit as a station sends it: @plain sealed to safe @number's public
 * key under document id @id. The HTTP status, and the hub's answer. */
static long
raw_deposit (Fixture    *fx,
             const char *number,
             const char *id,
             GBytes     *plain,
             char      **answer)
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
char *
second_safe (Fixture *fx)
{
  g_autofree char *code = NULL;
  char            *number = relais_test_safe_create (fx->console, &code);

  relais_test_safe_activate (fx->resident, number, code, PIN, FALSE);
  return number;
}

/* Document ids belong to their safe: the same id in another safe is
 * another document, not a resend; in the same safe, a resend of the same
 * bytes is a duplicate and other bytes are refused. */
void
test_ids_per_safe (Fixture *fx, gconstpointer data)
{
  static const char text_a[] = "%PDF-1.4\n% pour le coffre A\n";
  static const char text_b[] = "%PDF-1.4\n% pour le coffre B\n";
  g_autoptr(GBytes) doc_a = g_bytes_new_static (text_a, strlen (text_a));
  g_autoptr(GBytes) doc_b = g_bytes_new_static (text_b, strlen (text_b));
  g_autofree char *number_b = NULL;
  g_autofree char *answer = NULL;
  const char      *id = "a1b2c3d4-meme-identifiant";
  RelaisSafeItem  *item;
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
  op_reset (&op, (Op) { OP_LIST, fx->resident }); /* the station is on safe B */
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
void
test_deposit_limits (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% dépôt\n";
  g_autoptr(GBytes) doc = g_bytes_new_static (text, strlen (text));
  g_autofree char *number_b = NULL;
  g_autofree char *answer = NULL;
  int              stored = 0;
  int              n = 0;
  long             status;
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
    JsonObject      *event = json_object_new ();

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
      JsonObject      *help = json_object_new ();

      json_object_set_string_member (help, "id", "aide-pendant-le-depot");
      json_object_set_string_member (help, "category", "scanner");
      help_key = relais_link_queue_event (fx->station, "help.raise", help, &error);
      g_assert_no_error (error);
      op_reset (&op, (Op) { OP_FLUSH, fx->resident });
      g_assert_false (run (&op)); /* the deposit still waits */
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
void
test_quota (Fixture *fx, gconstpointer data)
{
  static const char text[] = "%PDF-1.4\n% petit\n";
  g_autoptr(GBytes) small = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) big = test_document (); /* ~150 KB */
  RelaisHubSafeLimits limits = {
    .quota_bytes = 100 * 1024,
    .quota_documents = 3,
    .deposits_per_hour = 30,
    .deposit_bytes_per_hour = 400 * 1024 * 1024,
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
void
test_numbers_hidden (Fixture *fx, gconstpointer data)
{
  const char       *unknown = g_str_equal (fx->number, "1234567890") ? "1234567891" : "1234567890";
  static const char body_text[] = "{\"epk\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}";
  g_autoptr(GBytes) epk_body = g_bytes_new_static (body_text, strlen (body_text));
  g_autoptr(GBytes) empty = g_bytes_new_static ("{}", 2);
  const char *numbers[2] = { fx->number, unknown };
  struct {
    const char *method;
    const char *suffix;
    GBytes     *body;
  } calls[] = {
    { "GET", "", NULL },
    { "POST", "/consented", epk_body },
    { "GET", "/documents/abcdefgh-1234", NULL },
    { "POST", "/unlock", empty },
  };

  activate (fx);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      long  status[2];
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

void
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

void
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
void
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
void
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
  op.bytes = doc; /* ~150 KB */
  g_assert_false (run (&op));
  g_assert_error (op.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TOO_LARGE);
  op_reset (&op, (Op) { OP_LIST, fx->resident });
  g_assert_true (run (&op));
  g_assert_cmpuint (op.list->len, ==, 0);
  op_clear (&op);
}
