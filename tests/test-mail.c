/* test-mail.c: mail for domiciled people, with the real hub on loopback,
 * a local SMS gateway (libsoup, in process) that fails once, a local SMTP
 * sink (python3-aiosmtpd) and a station's offline kiosk check. The fixture
 * and helpers are here with the tests of people's records, hand-over,
 * proxies, the kiosk, figures and templates; search in
 * test-mail-search.c, notices in test-mail-notify.c. */
#include "test-mail.h"

RelaisTestHub      *hub;
RelaisLink         *console;

/* The SMS gateway: answers 500 to the first request, 200 after. */
static SoupServer  *sms_server;
GPtrArray          *sms_bodies; /* every body received */
guint               sms_ok;     /* requests answered 200 */

/* The SMTP sink. */
static GSubprocess *smtp_sink;
char               *smtp_dir;

RelaisDb *
hub_db (void)
{
  return relais_hub_get_db (hub->hub);
}

/* ---- fixtures ---- */

static void
sms_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  g_ptr_array_add (sms_bodies, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
  if (sms_bodies->len == 1)
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "busy", 4);
      return;
    }
  sms_ok++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"id\":1}", 8);
}

static guint
start_sms_gateway (void)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint   port;

  sms_bodies = g_ptr_array_new_with_free_func (g_free);
  sms_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (sms_server, "/send", sms_handler, NULL, NULL);
  soup_server_listen_local (sms_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (sms_server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static guint
start_smtp_sink (void)
{
  g_autofree char *script = g_build_filename (relais_test_source_dir (), "tests", "fixtures", "relais-smtp-sink", NULL);
  g_autofree char *port_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  guint            port = relais_test_free_port ();

  smtp_dir = g_dir_make_tmp ("relais-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  port_text = g_strdup_printf ("%u", port);
  smtp_sink = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                /* Debian's python3, which has aiosmtpd (not a pyenv one). */
                                "/usr/bin/python3", script, port_text, smtp_dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (smtp_sink));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "READY");
  return port;
}

static void
stop_smtp_sink (void)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (smtp_sink), NULL, NULL);
  g_subprocess_wait (smtp_sink, NULL, NULL);
  g_clear_object (&smtp_sink);
}

static void
use_local_gateways (void)
{
  g_autofree char     *sms_url = g_strdup_printf ("http://127.0.0.1:%u/send", start_sms_gateway ());
  g_autofree char     *smtp_url = g_strdup_printf ("smtp://127.0.0.1:%u", start_smtp_sink ());
  RelaisNotifySettings settings = {
    .sms_url = sms_url,
    .sms_method = "POST",
    .sms_content_type = "application/json",
    .sms_body = "{\"to\":\"{to}\",\"text\":\"{text}\"}",
    .sms_auth = "Bearer test-gateway",
    .smtp_url = smtp_url,
    .smtp_from = "courrier@mds.example",
    .timeout_s = 10,
  };
  g_autoptr(RelaisNotify) notify = relais_notify_new (&settings);

  relais_hub_mail_set_notify (hub->hub, notify);
  /* Retries after 0.2 s, doubling: the test sees the second try soon. */
  relais_hub_mail_set_timing (hub->hub, 200, 4, 30 * DAY_MS, 3);
}

/* ---- helpers ---- */

void
add_person (const char *number,
            const char *surname,
            const char *first_names,
            const char *birth_date,
            const char *notify,
            const char *contact,
            const char *card)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) first_names,
    .birth_date = (char *) birth_date,
    .notify = (char *) notify,
    .phone = g_str_equal (notify, "sms") ? (char *) contact : NULL,
    .email = g_str_equal (notify, "email") ? (char *) contact : NULL,
    .card_id = (char *) card,
  };

  saved = relais_db_mail_person_save (hub_db (), &p, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->number, ==, number);
}

typedef struct {
  JsonObject *reply;
  GError     *error;
  gboolean    done;
} Call;

static void
call_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;

  call->reply = relais_link_request_finish (RELAIS_LINK (object), result, &call->error);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

JsonObject *
call (const char *path,
      const char *body,
      GError    **error)
{
  Call      state = { NULL, NULL, FALSE };
  JsonNode *node = NULL;

  if (body != NULL)
    {
      node = json_from_string (body, error);
      g_assert_nonnull (node);
    }
  relais_link_request_async (console, path, node, NULL, call_cb, &state);
  g_assert_true (relais_test_wait (call_done, &state));
  if (state.error != NULL)
    g_propagate_error (error, state.error);
  return state.reply;
}

RelaisMailPerson *
find (GPtrArray *people, const char *number)
{
  for (guint i = 0; i < people->len; i++)
    if (g_str_equal (((RelaisMailPerson *) g_ptr_array_index (people, i))->number, number))
      return g_ptr_array_index (people, i);
  return NULL;
}

GPtrArray *
search (const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *people = relais_db_mail_search (hub_db (), query, 20, &error);

  g_assert_no_error (error);
  return people;
}

RelaisMailNotice *
last_notice (GPtrArray *notices)
{
  g_assert_cmpuint (notices->len, >=, 1);
  return g_ptr_array_index (notices, 0);
}

char *
day_of (gint64 ms, int days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (ms / 1000 + (gint64) days * 24 * 3600);
  return g_date_time_format (t, "%Y-%m-%d");
}

void
grant (const char *number, gint64 at, int days)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from = day_of (at, 0);
  g_autofree char *to = day_of (at, days);

  g_assert_true (relais_db_mail_decide (hub_db (), number, "granted", NULL, from, to, "Sophie",
                                        &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, at, &error));
  g_assert_no_error (error);
}

gboolean
listed (JsonObject *reply, const char *number)
{
  JsonArray *people = json_object_get_array_member (reply, "people");

  for (guint i = 0; i < json_array_get_length (people); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (people, i), "number"), number))
      return TRUE;
  return FALSE;
}

/* ---- tests ---- */

static void
test_hand_over (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = call ("/mail/card/C1001", NULL, &error);
  g_autoptr(JsonObject) handed = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) twice = NULL;
  g_autofree char *body = NULL;
  JsonArray       *letters;
  gint64           first;

  /* The card reader typed the card: the waiting letters, urgent first. */
  g_assert_no_error (error);
  letters = json_object_get_array_member (record, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 3);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (letters, 0), "urgent"));
  first = json_object_get_int_member (json_array_get_object_element (letters, 0), "id");

  /* Some of them now. */
  body = g_strdup_printf ("{\"letters\":[%" G_GINT64_FORMAT "]}", first);
  handed = call ("/mail/people/1001/hand-over", body, &error);
  g_assert_no_error (error);
  letters = json_object_get_array_member (handed, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (letters, 0), "handed_by"), ==, "Sophie");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (letters, 0), "handed_to"), ==, "person");
  after = call ("/mail/people/1001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "letters")), ==, 2);

  /* The same letter twice: refused plainly. */
  twice = call ("/mail/people/1001/hand-over", body, &error);
  g_assert_null (twice);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "n'attend pas"));
}

/* What the console reads of a record is what the hub has: the link's
 * reader gives fields, the same as the database's. */
static void
test_records_from_hub (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = call ("/mail/people/1001", NULL, &error);
  g_autoptr(RelaisMailRecord) record = NULL;
  g_autoptr(RelaisMailPerson) person = NULL;
  g_autoptr(JsonObject) returns_reply = NULL;
  g_autoptr(RelaisMailReturns) returns = NULL;
  g_autoptr(JsonObject) templates_reply = NULL;
  g_autoptr(RelaisMailTemplates) templates = NULL;

  g_assert_no_error (error);
  record = relais_mail_record_from_reply (reply, &error);
  g_assert_no_error (error);
  person = relais_db_mail_person_get (hub_db (), "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->person->number, ==, "1001");
  g_assert_cmpstr (record->person->surname, ==, person->surname);
  g_assert_cmpstr (record->person->first_names, ==, person->first_names);
  g_assert_cmpstr (record->person->birth_date, ==, person->birth_date);
  g_assert_cmpstr (record->person->state, ==, person->state);
  g_assert_cmpint (record->person->waiting, ==, person->waiting);
  g_assert_cmpuint (record->letters->len, ==, (guint) person->waiting);
  for (guint i = 0; i < record->letters->len; i++)
    {
      RelaisMailLetter *l = g_ptr_array_index (record->letters, i);

      g_assert_cmpint (l->id, >, 0);
      g_assert_cmpstr (l->number, ==, "1001");
      g_assert_nonnull (l->kind);
      g_assert_cmpint (l->registered_at, >, 0);
      g_assert_cmpint (l->handed_at, ==, 0);
    }
  g_assert_nonnull (record->proxies);
  g_assert_nonnull (record->notices);

  returns_reply = call ("/mail/returns", NULL, &error);
  g_assert_no_error (error);
  returns = relais_mail_returns_from_reply (returns_reply, &error);
  g_assert_no_error (error);
  g_assert_nonnull (returns->letters);
  g_assert_nonnull (returns->unknown);

  templates_reply = call ("/mail/templates", NULL, &error);
  g_assert_no_error (error);
  templates = relais_mail_templates_from_reply (templates_reply, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->templates->len, >, 0);
  for (guint i = 0; i < templates->templates->len; i++)
    {
      RelaisMailTemplate *t = g_ptr_array_index (templates->templates, i);

      g_assert_nonnull (t->name);
      g_assert_nonnull (t->language);
      g_assert_nonnull (t->text);
    }
}

/* A reply that is not what the hub writes is refused whole, with a
 * sentence that names the member, never half read. */
static void
test_records_refused (void)
{
  static const struct {
    const char *json;
    const char *member;
  } bad[] = {
    { "{}", "person" },
    { "{\"person\":{}}", "number" },
    { "{\"person\":{\"number\":\"\"}}", "number" },
    { "{\"person\":{\"number\":12}}", "number" },
    { "{\"person\":{\"number\":\"7\",\"waiting\":\"3\"}}", "waiting" },
    { "{\"person\":{\"number\":\"7\",\"approximate\":1}}", "approximate" },
    { "{\"person\":{\"number\":\"7\"},\"letters\":{}}", "letters" },
    { "{\"person\":{\"number\":\"7\"},\"letters\":[1]}", "letters" },
    { "{\"person\":{\"number\":\"7\"},\"letters\":[{\"number\":\"7\"}]}", "id" },
    { "{\"person\":{\"number\":\"7\"},\"letters\":[{\"id\":-4,\"number\":\"7\"}]}", "id" },
    { "{\"person\":{\"number\":\"7\"},\"proxies\":[{\"valid\":true}]}", "name" },
    { "{\"person\":{\"number\":\"7\"},\"notices\":[{\"id\":1,\"attempts\":99999999999}]}", "attempts" },
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"person\":{\"number\":\"7\",\"surname\":null},"
                                                "\"letters\":[{\"id\":3,\"number\":\"7\",\"handed_at\":null}]}",
                                                NULL);
  g_autoptr(RelaisMailRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    relais_test_assert_refused ((RelaisTestReader) relais_mail_record_from_reply, bad[i].json, bad[i].member);
  /* null where the hub has nothing, and absent lists, are fine. */
  record = relais_mail_record_from_reply (json_node_get_object (good), &error);
  g_assert_no_error (error);
  g_assert_null (record->person->surname);
  g_assert_cmpuint (record->letters->len, ==, 1);
  g_assert_cmpint (((RelaisMailLetter *) g_ptr_array_index (record->letters, 0))->handed_at, ==, 0);
  g_assert_cmpuint (record->proxies->len, ==, 0);
}

/* The console's other answers read the same way (decisions to print,
 * an import's report, the purge's preview and count): a member of the
 * wrong type is refused, named, and nothing half-read is returned. */
static void
test_desk_records_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) decisions_json = json_from_string (
      "{\"decisions\":[{\"decision\":\"refused\",\"decided_at\":1767225600000,\"motive\":\"no-link\"}],"
      "\"letterhead\":{\"body_name\":\"CCAS de Villeneuve\",\"town\":null}}",
      NULL);
  g_autoptr(JsonNode) import_json = json_from_string ("{\"rows\":3,\"imported\":0,\"problems\":[\"ligne 2 : x\"]}", NULL);
  g_autoptr(RelaisMailDecisions) decisions = NULL;
  g_autoptr(RelaisMailImport) import = NULL;
  gint64 count = -1;

  relais_test_assert_refused ((RelaisTestReader) relais_mail_decisions_from_reply, "{\"decisions\":{}}", "decisions");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_decisions_from_reply, "{\"decisions\":[{}]}", "decision");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_decisions_from_reply,
                              "{\"decisions\":[{\"decision\":\"granted\",\"decided_at\":\"hier\"}]}", "decided_at");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_decisions_from_reply,
                              "{\"decisions\":[],\"letterhead\":[1]}", "letterhead");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_import_from_reply, "{\"rows\":\"3\"}", "rows");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_import_from_reply, "{\"problems\":[1]}", "problems");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_purge_from_reply, "{\"days\":\"730\"}", "days");
  relais_test_assert_refused ((RelaisTestReader) relais_mail_purge_from_reply, "{\"days\":730,\"people\":[{}]}",
                              "number");

  decisions = relais_mail_decisions_from_reply (json_node_get_object (decisions_json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->decisions->len, ==, 1);
  g_assert_cmpstr (((RelaisMailDecisionRecord *) g_ptr_array_index (decisions->decisions, 0))->motive, ==, "no-link");
  g_assert_cmpstr (decisions->body_name, ==, "CCAS de Villeneuve");
  g_assert_null (decisions->town);
  import = relais_mail_import_from_reply (json_node_get_object (import_json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (import->rows, ==, 3);
  g_assert_cmpstrv (import->problems, ((const char *[]) { "ligne 2 : x", NULL }));
  g_assert_false (relais_mail_count_from_reply (json_node_get_object (import_json), "problems", &count, &error));
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_PROTOCOL);
}

static void
test_proxy_expiry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailProxy) proxy = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) handed = NULL;
  g_autofree char *body = NULL;
  JsonObject      *shown;

  proxy = relais_db_mail_proxy_add (hub_db (), "1001", "Jeanne Dupont", "2026-01-05", "deux copies scannées",
                                    "2026-02-28", &error);
  g_assert_no_error (error);

  /* March: the authorisation ended in February. */
  relais_hub_mail_set_clock (hub->hub, T0);
  record = call ("/mail/people/1001", NULL, &error);
  g_assert_no_error (error);
  shown = json_array_get_object_element (json_object_get_array_member (record, "proxies"), 0);
  g_assert_cmpstr (json_object_get_string_member (shown, "name"), ==, "Jeanne Dupont");
  g_assert_false (json_object_get_boolean_member (shown, "valid"));
  body = g_strdup_printf ("{\"proxy\":%" G_GINT64_FORMAT "}", proxy->id);
  refused = call ("/mail/people/1001/hand-over", body, &error);
  g_assert_null (refused);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "pas valable"));
  g_clear_error (&error);

  /* In February it was valid: everything waiting goes to her. */
  relais_hub_mail_set_clock (hub->hub, T0 - 10 * DAY_MS);
  handed = call ("/mail/people/1001/hand-over", body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (handed, "letters")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (handed, "letters"), 0), "handed_to"),
                   ==, "Jeanne Dupont");
  relais_hub_mail_set_clock (hub->hub, 0);
}

static gboolean
kiosk_updated (gpointer data)
{
  return relais_mail_kiosk_get_updated_at (data) > 0;
}

static gboolean
kiosk_shows (gpointer data)
{
  RelaisMailKiosk *kiosk = data;
  return relais_mail_kiosk_check (kiosk, "1004", "1988-07-07", NULL, NULL) == 0;
}

static void
test_kiosk_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-kiosk-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "station.db", NULL);
  g_autoptr(RelaisLink) station = relais_link_new (hub->url, hub->station_token, db_path, &error);
  g_autoptr(RelaisMailKiosk) kiosk = relais_mail_kiosk_new (station, db_path, &error);
  g_autofree char *hours = NULL;
  g_autoptr(GPtrArray) handed = NULL;

  g_assert_no_error (error);
  relais_link_start (station);
  g_assert_true (relais_test_wait (kiosk_updated, kiosk));

  /* By card, and by number with birth date; a wrong date knows nothing. */
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "1004", "1988-07-07", &hours, &error), ==, 1);
  g_assert_cmpstr (hours, ==, "le lundi, le mercredi et le vendredi, de 9 h à 12 h");
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "C1001", NULL, NULL, &error), ==, 0);
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "1004", "1988-07-08", NULL, &error), ==, -1);
  g_assert_no_error (error);

  /* A hand-over at the desk reaches the kiosk through the stream. */
  handed = relais_db_mail_hand_over (hub_db (), "1004", NULL, 0, 0, "Sophie", "2026-03-02", relais_db_now_ms (), &error);
  g_assert_no_error (error);
  /* The db call bypassed the routes: tell the stations as a route would. */
  {
    g_autoptr(JsonObject) saved = call ("/mail/people",
                                         "{\"number\":\"1005\",\"surname\":\"Martin\",\"first_names\":\"Paul\","
                                         "\"birth_date\":\"1969-02-28\",\"notify\":\"none\"}",
                                         &error);
    g_assert_no_error (error);
  }
  g_assert_true (relais_test_wait (kiosk_shows, kiosk));

  /* The hub stops: the kiosk still answers from its copy. */
  relais_test_hub_stop (hub);
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "1005", "1969-02-28", NULL, &error), ==, 1);
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, " C1001 ", NULL, NULL, &error), ==, 0);
  g_assert_no_error (error);
  relais_link_stop (station);
  relais_test_hub_start (hub);
}

static gint64
local_ms (int y, int m, int d, int h)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

static JsonObject *
kind_of (JsonObject *mail, const char *kind)
{
  JsonArray *kinds = json_object_get_array_member (mail, "kinds");

  for (guint i = 0; i < json_array_get_length (kinds); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (kinds, i), "kind"), kind))
      return json_array_get_object_element (kinds, i);
  g_assert_not_reached ();
}

static void
test_figures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) handed = NULL;
  g_autoptr(RelaisLink) staff = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(RelaisMailFigures) f = NULL;
  RelaisMailItem items[] = {
    { "1020", "ordinary", 2, NULL, NULL, FALSE },
    { "1020", "court", 1, NULL, "Tribunal judiciaire", TRUE },
  };
  RelaisMailUnknown unknown = { "Inconnu Jean", 2 };
  gint64            ids[2];
  gboolean          duplicate;
  JsonObject       *mail;

  /* June 2025, a month no other test touches. */
  add_person ("1020", "Garnier", "Louise", "1970-03-03", "sms", "0611223377", NULL);
  letters = relais_db_mail_register (hub_db (), "batch-figures", "Marc", items, 2, &unknown, 1,
                                     &(RelaisMailSite) { "la MDS", "mardi 9h-12h" },
                                     local_ms (2025, 6, 2, 9), &duplicate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 3);
  for (guint i = 0, n = 0; i < letters->len; i++)
    if (g_str_equal (((RelaisMailLetter *) g_ptr_array_index (letters, i))->kind, "ordinary"))
      ids[n++] = ((RelaisMailLetter *) g_ptr_array_index (letters, i))->id;
  /* The two ordinary letters picked up three days later, the court's
   * summons not. */
  handed = relais_db_mail_hand_over (hub_db (), "1020", ids, 2, 0, "Sophie", "2025-06-05",
                                     local_ms (2025, 6, 5, 9), &error);
  g_assert_no_error (error);

  f = relais_db_mail_figures (hub_db (), "2025-06-01", "2025-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->totals.registered, ==, 3);
  g_assert_cmpint (f->totals.handed, ==, 2);
  g_assert_cmpint (f->totals.returned, ==, 0);
  g_assert_cmpint (f->unknown, ==, 2);
  g_assert_cmpfloat_with_epsilon (f->totals.avg_days, 3.0, 0.01);
  g_clear_pointer (&f, relais_mail_figures_free);
  /* Only the days asked count. */
  f = relais_db_mail_figures (hub_db (), "2025-06-03", "2025-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->totals.registered, ==, 0);
  g_assert_cmpint (f->totals.handed, ==, 2);
  g_clear_pointer (&f, relais_mail_figures_free);
  f = relais_db_mail_figures (hub_db (), "2025-06-30", "2025-06-01", &error);
  g_assert_null (f);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);

  /* The staff's statistics carry them, by kind. */
  staff = relais_link_new (hub->url, hub->console2_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_login (staff, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  stats = relais_test_call (staff, "/stats?from=2025-06-01&to=2025-06-30", NULL, &error);
  g_assert_no_error (error);
  mail = json_object_get_object_member (stats, "mail");
  g_assert_nonnull (mail);
  g_assert_cmpint (json_object_get_int_member (mail, "registered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (mail, "handed"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (mail, "avg_days"), 3.0, 0.01);
  g_assert_cmpint (json_object_get_int_member (kind_of (mail, "ordinary"), "handed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (kind_of (mail, "court"), "registered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (kind_of (mail, "court"), "handed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (kind_of (mail, "tax"), "registered"), ==, 0);
  relais_link_stop (staff);
}

static void
test_templates_api (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) refused = NULL;
  JsonArray *templates;
  gboolean   found_fr = FALSE, found_new = FALSE;

  /* Every seeded message, in French at least, each with its three fields. */
  list = call ("/mail/templates", NULL, &error);
  g_assert_no_error (error);
  templates = json_object_get_array_member (list, "templates");
  g_assert_cmpuint (json_array_get_length (templates), >=, 10);
  for (guint i = 0; i < json_array_get_length (templates); i++)
    {
      JsonObject *t = json_array_get_object_element (templates, i);

      g_assert_cmpuint (json_object_get_size (t), ==, 3);
      if (g_str_equal (json_object_get_string_member (t, "name"), "expiry")
          && g_str_equal (json_object_get_string_member (t, "language"), "fr"))
        found_fr = TRUE;
    }
  g_assert_true (found_fr);

  /* A text in a language not there yet: added, and listed. */
  saved = call ("/mail/templates", "{\"name\":\"expiry\",\"language\":\"es\","
                                   "\"text\":\"Hola, su domiciliación en {place} termina el {date}.\"}",
                &error);
  g_assert_no_error (error);
  again = call ("/mail/templates", NULL, &error);
  g_assert_no_error (error);
  templates = json_object_get_array_member (again, "templates");
  for (guint i = 0; i < json_array_get_length (templates); i++)
    {
      JsonObject *t = json_array_get_object_element (templates, i);

      if (g_str_equal (json_object_get_string_member (t, "language"), "es"))
        {
          g_assert_cmpstr (json_object_get_string_member (t, "text"), ==,
                           "Hola, su domiciliación en {place} termina el {date}.");
          found_new = TRUE;
        }
    }
  g_assert_true (found_new);
  g_assert_cmpuint (json_array_get_length (templates), ==,
                    json_array_get_length (json_object_get_array_member (list, "templates")) + 1);

  /* An unknown message: 400 with a sentence, nothing added. */
  refused = call ("/mail/templates", "{\"name\":\"lottery\",\"language\":\"fr\",\"text\":\"Gagné !\"}", &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Modèle inconnu"));
}

/* The day's letters by user number, names in capitals (accents too),
 * for the list the agents file them by; a day that is none is refused. */
static void
test_registered_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) refused = NULL;
  JsonArray  *letters;
  const char *last = "";
  gboolean    lefevre = FALSE;

  reply = call ("/mail/batch", "{\"key\":\"day-list\",\"items\":[{\"number\":\"1004\",\"count\":1},"
                               "{\"number\":\"1002\",\"count\":2}]}",
                &error);
  g_assert_no_error (error);
  list = call ("/mail/registered", NULL, &error);
  g_assert_no_error (error);
  letters = json_object_get_array_member (list, "letters");
  g_assert_cmpuint (json_array_get_length (letters), >=, 3);
  for (guint i = 0; i < json_array_get_length (letters); i++)
    {
      JsonObject *l = json_array_get_object_element (letters, i);
      const char *number = json_object_get_string_member (l, "number");

      g_assert_cmpint (strlen (number) > strlen (last) || (strlen (number) == strlen (last) && strcmp (number, last) >= 0), ==, TRUE);
      last = number;
      if (g_str_equal (number, "1004"))
        {
          g_assert_cmpstr (json_object_get_string_member (l, "person"), ==, "LEFÈVRE Élodie");
          lefevre = TRUE;
        }
    }
  g_assert_true (lefevre);
  refused = call ("/mail/registered?day=2026-02-30", NULL, &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "jour invalide"));
}

/* A person saved without a number gets the next free one, in the form
 * the site chose; a number typed is kept; a bad form is refused. */
static void
test_next_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) typed = NULL;
  g_autofree char          *next = NULL;
  static const char * const bad[] = { "", "A-", "{n}{n}", "{n:0}", "{n:12}", "A {n}", "{x}", "é{n}", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (relais_hub_mail_set_number_format (hub->hub, bad[i], &error));
      g_test_message ("« %s » : %s", bad[i], error->message);
      g_assert_nonnull (strstr (error->message, "Forme des numéros"));
      g_clear_error (&error);
    }

  g_assert_true (relais_hub_mail_set_number_format (hub->hub, "MDS-{n:4}", &error));
  next = relais_db_mail_next_number (hub_db (), "MDS-{n:4}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (next, ==, "MDS-0001");
  first = call ("/mail/people", "{\"surname\":\"Keita\",\"first_names\":\"Moussa\",\"notify\":\"none\",\"birth_date\":\"1990-05-01\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "person"), "number"), ==, "MDS-0001");
  second = call ("/mail/people", "{\"number\":\"\",\"surname\":\"Keita\",\"first_names\":\"Awa\",\"notify\":\"none\",\"birth_date\":\"1990-05-01\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (second, "person"), "number"), ==, "MDS-0002");
  /* Typed by hand (an old card): kept, and counted past. */
  typed = call ("/mail/people", "{\"number\":\"MDS-0040\",\"surname\":\"Keita\",\"first_names\":\"Binta\",\"notify\":\"none\",\"birth_date\":\"1990-05-01\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (typed, "person"), "number"), ==, "MDS-0040");
  g_clear_pointer (&next, g_free);
  next = relais_db_mail_next_number (hub_db (), "MDS-{n:4}", &error);
  g_assert_cmpstr (next, ==, "MDS-0041");
  /* Plain numbers: past the highest already given (the 1001… of the
   * other tests). */
  g_clear_pointer (&next, g_free);
  next = relais_db_mail_next_number (hub_db (), "{n}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_ascii_strtoull (next, NULL, 10), >, 1000);
  g_assert_true (relais_hub_mail_set_number_format (hub->hub, "{n}", &error));

  /* Below the hub, a person without a number is said so, not « invalide ». */
  {
    RelaisMailPerson p = { .number = "", .surname = "Keita", .first_names = "Ali", .birth_date = "1990-05-01", .notify = "none" };
    g_autoptr(RelaisMailPerson) saved = relais_db_mail_person_save (hub_db (), &p, &error);

    g_assert_null (saved);
    g_assert_cmpstr (error->message, ==, "Numéro d'usager obligatoire.");
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  hub = relais_test_hub_new ();
  use_local_gateways ();
  console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);

  g_test_add_func ("/mail/fold", test_fold);
  g_test_add_func ("/mail/search-homonyms", test_search_homonyms);
  g_test_add_func ("/mail/search-never-loses", test_search_never_loses);
  g_test_add_func ("/mail/search-slips", test_search_slips);
  g_test_add_func ("/mail/invalid-names", test_invalid_names);
  g_test_add_func ("/mail/batch-and-sms-retry", test_batch_and_sms_retry);
  g_test_add_func ("/mail/email", test_email);
  g_test_add_func ("/mail/hand-over", test_hand_over);
  g_test_add_func ("/mail/records-from-hub", test_records_from_hub);
  g_test_add_func ("/mail/records-refused", test_records_refused);
  g_test_add_func ("/mail/desk-records-refused", test_desk_records_refused);
  g_test_add_func ("/mail/proxy-expiry", test_proxy_expiry);
  g_test_add_func ("/mail/reminders-and-returns", test_reminders_and_returns);
  g_test_add_func ("/mail/decision-sms", test_decision_sms);
  g_test_add_func ("/mail/expiry-reminders", test_expiry_reminders);
  g_test_add_func ("/mail/no-contact", test_no_contact);
  g_test_add_func ("/mail/figures", test_figures);
  g_test_add_func ("/mail/kiosk-offline", test_kiosk_offline);
  g_test_add_func ("/mail/templates-api", test_templates_api);
  g_test_add_func ("/mail/next-number", test_next_number);
  g_test_add_func ("/mail/registered-list", test_registered_list);
  g_test_add_func ("/mail/contact-visit-phone", test_contact_visit_phone);
  g_test_add_func ("/mail/contact-kiosk-offline", test_contact_kiosk_offline);
  g_test_add_func ("/mail/npai", test_npai);
  g_test_add_func ("/mail/hand-over-skips-returns", test_hand_over_skips_returns);
  g_test_add_func ("/mail/forwarding", test_forwarding);
  rc = g_test_run ();

  g_clear_object (&console);
  stop_smtp_sink ();
  relais_test_hub_free (hub);
  g_clear_object (&sms_server);
  g_clear_pointer (&sms_bodies, g_ptr_array_unref);
  g_free (smtp_dir);
  return rc;
}
