/* test-central-safe.c: what else crosses sites through the central
 * registry (issue 19), against the real PostgreSQL 15 cluster and real
 * hubs on loopback: a safe made at site A opened at site C through the
 * station's own routes (the same ciphertext, byte for byte, decrypted by
 * the resident's PIN at C, and again at C with the centre stopped); what
 * a site's role may not read of a safe, refused by PostgreSQL itself; the
 * accounts' directory; the statistics of two sites summed for the
 * département's role only; the second queue's keys applied once. */

#include "test-central.h"
#include "relais-central-safe.h"
#include "relais-hub-central.h"
#include "relais-hub-central-safe.h"
#include "relais-hub-safe.h"
#include "relais-db-mail.h"
#include "relais-db-safe.h"
#include "relais-db-stats.h"
#include "relais-limits.h"
#include "relais-safe-client.h"
#include "relais-test-hub.h"

#include <glib/gstdio.h>
#include <string.h>

#define PIN "482190"

/* A site hub of the département: its station's safe client, the safes'
 * key file of the département, joined as @role. */
typedef struct {
  RelaisTestHub    *th;
  RelaisLink       *station;
  RelaisSafeClient *resident;
  char             *station_db;
} Site;

static void
site_init (Site *site, Departement *d, const char *role, const char *key_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = departement_url (d, role);

  site->th = relais_test_hub_new ();
  g_assert_true (relais_hub_set_safe (site->th->hub, key_file, 3 * 365, 90, RELAIS_HUB_SAFE_MAX_DOCUMENT, &error));
  g_assert_no_error (error);
  relais_hub_set_central (site->th->hub, url, &error);
  g_assert_no_error (error);
  relais_hub_central_set_retry (site->th->hub, 50, 400);
  site->station_db = g_build_filename (site->th->dir, "station.db", NULL);
  site->station = relais_link_new (site->th->url, site->th->station_token, site->station_db, &error);
  g_assert_no_error (error);
  site->resident = relais_safe_client_new (site->station, site->station_db, &error);
  g_assert_no_error (error);
}

static void
site_clear (Site *site)
{
  g_clear_pointer (&site->resident, relais_safe_client_free);
  g_clear_object (&site->station);
  g_clear_pointer (&site->th, relais_test_hub_free);
  g_clear_pointer (&site->station_db, g_free);
}

/* The département's safes' key file: the same on every hub. */
static char *
departement_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-departement-XXXXXX", &error);
  char            *path = g_build_filename (dir, "coffres.key", NULL);
  guint8           key[32];

  g_assert_no_error (error);
  for (guint i = 0; i < sizeof key; i++)
    key[i] = g_random_int_range (0, 256);
  g_assert_true (g_file_set_contents_full (path, (const char *) key, sizeof key, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                           &error));
  g_assert_no_error (error);
  return path;
}

static gboolean
up_empty (gpointer data)
{
  Site *site = data;

  return relais_hub_central_up_pending (site->th->hub) == 0;
}

static gboolean
people_empty (gpointer data)
{
  Site *site = data;

  return relais_hub_central_pending (site->th->hub) == 0;
}

/* ---- the station's blocking calls, off the main loop where the hubs
 * serve ---- */

typedef enum {
  CALL_HELLO,
  CALL_OPEN,
  CALL_ADD,
  CALL_LIST,
  CALL_FETCH,
  CALL_CLOSE,
} CallKind;

typedef struct {
  CallKind          kind;
  RelaisSafeClient *client;
  const char       *a, *b;
  GBytes           *bytes;
  /* results */
  char             *text;
  GPtrArray        *list;
  GBytes           *out;
  gboolean          ok;
  GError           *error;
  gint              done;
} Call;

static void
call_clear (Call *call)
{
  g_clear_pointer (&call->text, g_free);
  g_clear_pointer (&call->list, g_ptr_array_unref);
  g_clear_pointer (&call->out, g_bytes_unref);
  g_clear_error (&call->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Call, call_clear)

static gpointer
call_thread (gpointer data)
{
  Call    *call = data;
  gboolean queued = FALSE;

  switch (call->kind)
    {
    case CALL_HELLO:
      call->text = relais_safe_client_hello (call->client, call->a, NULL, &call->error);
      call->ok = call->text != NULL;
      break;
    case CALL_OPEN:
      call->ok = relais_safe_client_open (call->client, call->a, call->b, NULL, &call->error);
      break;
    case CALL_ADD:
      call->text = relais_safe_client_add (call->client, "impots", call->a, call->bytes, &queued, &call->error);
      call->ok = call->text != NULL && !queued;
      break;
    case CALL_LIST:
      call->list = relais_safe_client_list (call->client, &call->error);
      call->ok = call->list != NULL;
      break;
    case CALL_FETCH:
      call->out = relais_safe_client_fetch (call->client, call->a, &call->text, &call->error);
      call->ok = call->out != NULL;
      break;
    case CALL_CLOSE:
      relais_safe_client_close (call->client);
      call->ok = TRUE;
      break;
    }
  g_atomic_int_set (&call->done, 1);
  return NULL;
}

static gboolean
call_done (gpointer data)
{
  return g_atomic_int_get (&((Call *) data)->done);
}

static gboolean
call (Call *c)
{
  GThread *thread = g_thread_new ("station", call_thread, c);

  g_assert_true (relais_test_wait (call_done, c));
  g_thread_join (thread);
  if (c->error != NULL)
    g_test_message ("%d: %s", c->kind, c->error->message);
  return c->ok;
}

static GBytes *
document (void)
{
  GString *text = g_string_new ("%PDF-1.4\n% avis d'imposition\n");

  for (int i = 0; i < 4000; i++)
    g_string_append_printf (text, "ligne %d : revenu fiscal de reference DUPONT-CENTRAL\n", i);
  return g_string_free_to_bytes (text);
}

/* The envelope as hub @th stores document @id of safe @number. */
static GBytes *
stored_envelope (RelaisTestHub *th, const char *number, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisSafeRecord) record = relais_db_safe_get (relais_hub_get_db (th->hub), number, &error);
  GBytes *body;

  g_assert_no_error (error);
  body = relais_db_safe_document_body (relais_hub_get_db (th->hub), record->id, id, &error);
  g_assert_no_error (error);
  return body;
}

/* What PostgreSQL answers @conn for one document's envelope, in hex. */
static char *
centre_envelope_hex (PGconn *conn, const char *number, const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT encode (d.body, 'hex') FROM relais.safe_documents d"
                                          " JOIN relais.safes s ON s.id = d.safe_id"
                                          " WHERE s.number = '%s' AND d.id = '%s'",
                                          number, id);

  return ask (conn, sql);
}

static char *
hex_of (GBytes *bytes)
{
  gsize         n = 0;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  GString      *out = g_string_sized_new (n * 2);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02x", p[i]);
  return g_string_free (out, FALSE);
}

/* Opens @number with the PIN at @site and reads document @id: the
 * resident's plaintext. */
static void
open_and_read (Site *site, const char *number, const char *id, GBytes *expected)
{
  g_auto (Call) c = { CALL_HELLO, site->resident, number };

  g_assert_true (call (&c));
  g_assert_cmpstr (c.text, ==, "ready");
  call_clear (&c);
  c = (Call) { CALL_OPEN, site->resident, number, PIN };
  g_assert_true (call (&c));
  call_clear (&c);
  c = (Call) { CALL_LIST, site->resident };
  g_assert_true (call (&c));
  g_assert_cmpuint (c.list->len, ==, 1);
  g_assert_cmpstr (((RelaisSafeItem *) g_ptr_array_index (c.list, 0))->id, ==, id);
  g_assert_cmpstr (((RelaisSafeItem *) g_ptr_array_index (c.list, 0))->name, ==, "Avis 2025");
  call_clear (&c);
  c = (Call) { CALL_FETCH, site->resident, id };
  g_assert_true (call (&c));
  g_assert_true (g_bytes_equal (c.out, expected));
  call_clear (&c);
  c = (Call) { CALL_CLOSE, site->resident };
  call (&c);
}

/* A safe made at A (CCAS, centre) opens at C (Secours Catholique, a
 * third hub): C has never seen it, the station asks C as it asks any
 * hub, C fetches it from the centre. The same envelope bytes at A, in
 * PostgreSQL and at C; the PIN opens it at C; with the centre stopped C
 * still opens the copy it holds, and says it does not know a safe it
 * never saw. */
static void
test_safe_visit (void)
{
  g_auto (Departement) d = { 0 };
  g_autofree char *key = departement_key ();
  g_autoptr(GBytes) doc = document ();
  g_autoptr(GBytes) at_a = NULL;
  g_autoptr(GBytes) at_c = NULL;
  g_autoptr(PGconn) owner = NULL;
  g_autoptr(RelaisLink) console_a = NULL;
  g_autoptr(RelaisLink) console_b = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  g_autofree char *other_code = NULL;
  g_autofree char *other = NULL;
  g_autofree char *id = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *centre_hex = NULL;
  g_autofree char *home = NULL;
  g_auto (Call) c = { 0 };
  Site a = { 0 }, b = { 0 }, site_c = { 0 };

  departement_init (&d);
  owner = raw_as (&d, NULL);
  site_init (&a, &d, d.role_a, key);
  site_init (&b, &d, d.role_a2, key);
  site_init (&site_c, &d, d.role_b, key);

  /* At A: the desk makes the safe, the resident chooses a PIN and puts a
   * document in. */
  console_a = relais_test_console (a.th, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  number = relais_test_safe_create (console_a, &code);
  relais_test_safe_activate (a.resident, number, code, PIN, FALSE);
  c = (Call) { CALL_ADD, a.resident, "Avis 2025" };
  c.bytes = doc;
  g_assert_true (call (&c));
  id = g_strdup (c.text);
  call_clear (&c);
  c = (Call) { CALL_CLOSE, a.resident };
  call (&c);
  /* And B makes one of its own, never opened at C. */
  console_b = relais_test_console (b.th, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  other = relais_test_safe_create (console_b, &other_code);

  g_assert_true (relais_test_wait (up_empty, &a));
  g_assert_true (relais_test_wait (up_empty, &b));
  at_a = stored_envelope (a.th, number, id);
  hex = hex_of (at_a);
  centre_hex = centre_envelope_hex (owner, number, id);
  g_assert_cmpstr (centre_hex, ==, hex);
  g_clear_pointer (&centre_hex, g_free);
  /* Its home is A; nothing of its PIN is at the centre but what the hub
   * itself holds: a salt, a keyed hash, the secret encrypted. */
  home = ask (owner, "SELECT t.code || ':' || s.state || ':' || octet_length (s.hub_secret) FROM relais.safes s"
                     " JOIN relais.sites t ON t.id = s.home_site_id ORDER BY s.id LIMIT 1");
  g_assert_cmpstr (home, ==, "ccas-centre:ready:72");

  /* At C: never seen here; the station's hello makes C fetch it. */
  g_assert_null (relais_db_safe_get (relais_hub_get_db (site_c.th->hub), number, NULL));
  open_and_read (&site_c, number, id, doc);
  /* Each hello of a copy refreshes it from its home's record. */
  g_assert_cmpuint (relais_hub_central_safes_fetched (site_c.th->hub), >=, 1);
  at_c = stored_envelope (site_c.th, number, id);
  g_assert_true (g_bytes_equal (at_c, at_a));
  /* C's copy goes nowhere: the centre's record is written by its home. */
  g_assert_cmpint (relais_hub_central_up_pending (site_c.th->hub), ==, 0);
  centre_hex = ask (owner, "SELECT count(*) FROM relais.safes s JOIN relais.sites t ON t.id = s.home_site_id"
                           " WHERE t.code = 'secours-gare'");
  g_assert_cmpstr (centre_hex, ==, "0");

  /* The centre stopped: C opens the copy it holds, with the same PIN;
   * a safe it never saw is unknown here, not an error of C's. */
  relais_test_pg_stop (cluster);
  open_and_read (&site_c, number, id, doc);
  c = (Call) { CALL_HELLO, site_c.resident, other };
  g_assert_false (call (&c));
  g_assert_error (c.error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_NOT_FOUND);
  call_clear (&c);
  relais_test_pg_start (cluster);

  /* Back: B's safe is fetched at C too (state "new": the card's code
   * would activate it here). */
  c = (Call) { CALL_HELLO, site_c.resident, other };
  g_assert_true (call (&c));
  g_assert_cmpstr (c.text, ==, "new");
  call_clear (&c);

  site_clear (&a);
  site_clear (&b);
  site_clear (&site_c);
  g_unlink (key);
}

/* What PostgreSQL itself lets a site's role and the département's role
 * read: a safe's public columns and its ciphertext for every site, never
 * the columns an opening needs; no other organisation's people; the
 * accounts' directory within the organisation, with no password at all;
 * the département no people and no safes. */
static void
test_safe_privileges (void)
{
  g_auto (Departement) d = { 0 };
  g_autofree char *key = departement_key ();
  g_autoptr(PGconn) owner = NULL;
  g_autoptr(PGconn) secours = NULL;
  g_autoptr(PGconn) dep = NULL;
  g_autoptr(RelaisLink) console = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  g_autofree char *dep_role = NULL;
  g_autofree char *dep_url = NULL;
  RelaisMailPerson person = {
    .number = (char *) "A-1",
    .surname = (char *) "Dupont",
    .first_names = (char *) "Marie",
    .birth_date = (char *) "1980-04-02",
    .notify = (char *) "none",
  };
  const char * const secret_columns[] = { "salt", "verifier", "hub_secret", "wrapped_keys", "activation_hash",
                                          "recovery_hash", "*" };
  Site               a = { 0 };

  departement_init (&d);
  owner = raw_as (&d, NULL);
  site_init (&a, &d, d.role_a, key);
  console = relais_test_console (a.th, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  number = relais_test_safe_create (console, &code);
  saved = relais_db_mail_person_save (relais_hub_get_db (a.th->hub), &person, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_wait (up_empty, &a));
  g_assert_true (relais_test_wait (people_empty, &a));

  secours = raw_as (&d, d.role_b);
  for (guint i = 0; i < G_N_ELEMENTS (secret_columns); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM relais.safes", secret_columns[i]);
      g_autofree char *answer = ask (secours, sql);

      g_test_message ("%s → %s", sql, answer);
      g_assert_cmpstr (answer, ==, "error:42501");
    }
  {
    g_autofree char *public = ask (secours, "SELECT number || ':' || state || ':' || (box_pk IS NULL)::text"
                                            " FROM relais.safes");
    g_autofree char *expected = g_strdup_printf ("%s:new:true", number);
    g_autofree char *fetches = NULL;
    g_autofree char *people = ask (secours, "SELECT count(*) FROM relais.people");
    g_autofree char *off = ask (secours, "SET row_security = off; SELECT surname FROM relais.people");
    g_autofree char *write = ask (secours, "UPDATE relais.safes SET state = 'ready'");
    g_autofree char *forge = NULL;
    g_autofree char *accounts = ask (secours, "SELECT count(*) FROM relais.accounts");
    g_autofree char *at_owner = ask (owner, "SELECT count(*) FROM relais.people");

    g_assert_cmpstr (public, ==, expected);
    /* Another organisation's people: none, and no switching the policies
     * off (PostgreSQL refuses: the role is subject to them). */
    g_assert_cmpstr (at_owner, ==, "1");
    g_assert_cmpstr (people, ==, "0");
    g_assert_cmpstr (off, ==, "error:42501");
    /* Another site's safe is not written by this one. */
    g_assert_cmpstr (write, ==, "ok:0");
    forge = ask (secours, "INSERT INTO relais.safes (home_site_id, number, state, created_at)"
                          " SELECT home_site_id, '1234567', 'new', 0 FROM relais.safes LIMIT 1");
    g_assert_cmpstr (forge, ==, "error:42501");
    /* The accounts' directory stays within the organisation. */
    g_assert_cmpstr (accounts, ==, "0");
    g_clear_pointer (&accounts, g_free);
    accounts = ask (owner, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'relais'"
                           " AND table_name = 'accounts' AND column_name LIKE '%pass%'");
    g_assert_cmpstr (accounts, ==, "0");
    /* The one door gives one safe by its number, and journals it. */
    fetches = ask (secours, "SELECT count(*) FROM relais.safe_fetches");
    g_assert_cmpstr (fetches, ==, "error:42501");
  }

  /* The département's role: the directory and the reports, nothing else. */
  dep_role = g_strdup_printf ("%s_dep", d.database);
  relais_central_add_departement_role (d.owner, dep_role, PASSWORD, &error);
  g_assert_no_error (error);
  dep_url = departement_url (&d, dep_role);
  dep = PQconnectdb (dep_url);
  g_assert_cmpint (PQstatus (dep), ==, CONNECTION_OK);
  {
    g_autofree char *people = ask (dep, "SELECT count(*) FROM relais.people");
    g_autofree char *safes = ask (dep, "SELECT number FROM relais.safes");
    g_autofree char *documents = ask (dep, "SELECT count(*) FROM relais.safe_documents");
    g_autofree char *opening = g_strdup_printf ("SELECT * FROM relais.safe_for_opening ('%s')", number);
    g_autofree char *opened = ask (dep, opening);
    g_autofree char *accounts = ask (dep, "SELECT string_agg (login || '=' || array_to_string (roles, '+'), ','"
                                          " ORDER BY login) FROM relais.accounts");

    g_assert_cmpstr (people, ==, "error:42501");
    g_assert_cmpstr (safes, ==, "error:42501");
    g_assert_cmpstr (documents, ==, "error:42501");
    g_assert_cmpstr (opened, ==, "error:42501");
    g_assert_cmpstr (accounts, ==, "claire=responsable+staff,marc=mediator,sophie=mediator");
  }

  site_clear (&a);
  g_unlink (key);
}

static void
record_session (RelaisTestHub *th, const char *key, const char *day, gint64 pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *iso = g_strdup_printf ("%sT10:00:00", day);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  RelaisEventInfo  event = { key, "station:poste-1", "session.end", 0, "{}" };
  RelaisSessionLog log = { 0 };
  gboolean         duplicate = FALSE;

  when = g_date_time_new_from_iso8601 (iso, local);
  event.at = g_date_time_to_unix (when) * 1000;
  log.started_at = event.at;
  log.duration_s = 600;
  log.language = "fr";
  log.end_reason = "button";
  log.pages_scanned = pages;
  relais_db_stats_record_session (relais_hub_get_db (th->hub), &event, "poste-1", &log, &duplicate, &error);
  g_assert_no_error (error);
}

/* Two sites' sessions summed at the centre, by month, for the
 * département's role; a site's role reads its own months only and not
 * the département's view. */
static void
test_stats_summed (void)
{
  g_auto (Departement) d = { 0 };
  g_autofree char *key = departement_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) months = NULL;
  g_autoptr(RelaisCentral) dep = NULL;
  g_autoptr(RelaisCentral) site_b = NULL;
  g_autoptr(PGconn) raw_b = NULL;
  g_autofree char       *dep_role = NULL;
  g_autofree char       *dep_url = NULL;
  g_autofree char       *own = NULL;
  RelaisCentralMonthRow *row;
  Site                   a = { 0 }, b = { 0 };

  departement_init (&d);
  site_init (&a, &d, d.role_a, key);
  site_init (&b, &d, d.role_b, key);
  record_session (a.th, "a-1", "2026-11-03", 4);
  record_session (a.th, "a-2", "2026-11-20", 1);
  record_session (a.th, "a-3", "2026-12-01", 2);
  record_session (b.th, "b-1", "2026-11-05", 10);
  g_assert_true (relais_test_wait (up_empty, &a));
  g_assert_true (relais_test_wait (up_empty, &b));

  dep_role = g_strdup_printf ("%s_dep", d.database);
  relais_central_add_departement_role (d.owner, dep_role, PASSWORD, &error);
  g_assert_no_error (error);
  dep_url = departement_url (&d, dep_role);
  dep = relais_central_connect (dep_url, &error);
  g_assert_no_error (error);
  months = relais_central_departement_months (dep, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (months->len, ==, 2);
  row = g_ptr_array_index (months, 0);
  g_assert_cmpstr (row->month, ==, "2026-11");
  g_assert_cmpint (row->sites, ==, 2);
  g_assert_cmpint (row->counts.sessions, ==, 3);
  g_assert_cmpint (row->counts.pages_scanned, ==, 15);
  g_assert_cmpint (row->counts.duration_s, ==, 1800);
  row = g_ptr_array_index (months, 1);
  g_assert_cmpstr (row->month, ==, "2026-12");
  g_assert_cmpint (row->sites, ==, 1);
  g_assert_cmpint (row->counts.sessions, ==, 1);

  /* A later session of the month: the month's line replaced, not added. */
  record_session (b.th, "b-2", "2026-11-06", 1);
  g_assert_true (relais_test_wait (up_empty, &b));
  g_clear_pointer (&months, g_ptr_array_unref);
  months = relais_central_departement_months (dep, &error);
  g_assert_no_error (error);
  row = g_ptr_array_index (months, 0);
  g_assert_cmpint (row->counts.sessions, ==, 4);
  g_assert_cmpint (row->counts.pages_scanned, ==, 16);

  /* A site's role: refused by PostgreSQL. */
  site_b = connect_as (&d, d.role_b);
  g_clear_pointer (&months, g_ptr_array_unref);
  months = relais_central_departement_months (site_b, &error);
  g_assert_null (months);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_REFUSED);
  g_clear_error (&error);
  raw_b = raw_as (&d, d.role_b);
  own = ask (raw_b, "SELECT string_agg (month || '=' || sessions, ',' ORDER BY month) FROM relais.stats_monthly");
  g_assert_cmpstr (own, ==, "2026-11=2");

  site_clear (&a);
  site_clear (&b);
  g_unlink (key);
}

/* The second queue's batch sent twice (the acknowledgement lost): applied
 * once; a key re-sent in a later batch changes nothing. */
static void
test_up_idempotent (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) site = NULL;
  g_autoptr(GPtrArray) ups = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_up_free);
  g_autoptr(PGconn) owner = NULL;
  g_autofree char *count = NULL;
  g_autofree char *sessions = NULL;
  RelaisCentralUp *up;
  guint            applied = 99;

  departement_init (&d);
  owner = raw_as (&d, NULL);
  site = connect_as (&d, d.role_a);
  for (int i = 0; i < 2; i++)
    {
      up = g_new0 (RelaisCentralUp, 1);
      up->seq = i + 1;
      up->key = g_strdup_printf ("up-key-%d", i);
      up->kind = g_strdup (RELAIS_CENTRAL_UP_STATS);
      up->ref = g_strdup ("2026-10");
      up->queued_at = 1764720000123;
      up->month.sessions = 5 + i;
      g_ptr_array_add (ups, up);
    }
  g_assert_true (relais_central_push_up (site, ups, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 2);
  /* The same again, the second with another value: nothing applied. */
  ((RelaisCentralUp *) g_ptr_array_index (ups, 1))->month.sessions = 100;
  g_assert_true (relais_central_push_up (site, ups, &applied, &error));
  g_assert_cmpuint (applied, ==, 0);
  count = ask (owner, "SELECT count(*) FROM relais.up_changes");
  sessions = ask (owner, "SELECT sessions FROM relais.stats_monthly");
  g_assert_cmpstr (count, ==, "2");
  g_assert_cmpstr (sessions, ==, "6");
}

void
test_central_safe_add (void)
{
  g_test_add_func ("/central/safe/up-idempotent", test_up_idempotent);
  g_test_add_func ("/central/safe/visit", test_safe_visit);
  g_test_add_func ("/central/safe/privileges", test_safe_privileges);
  g_test_add_func ("/central/stats/departement", test_stats_summed);
}
