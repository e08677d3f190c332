/* test-central-hubs.c: site hubs joined to the central registry (issue
 * 19): the durable queue pushed up in order and exactly once, the centre
 * down and back, a hub restarted with changes waiting; the console's
 * "domiciled elsewhere?" across two hubs; a hub without [central] as
 * before. */

#include "test-central.h"
#include "relais-hub-central.h"
#include "relais-db-mail.h"
#include "relais-test-hub.h"

#include <string.h>

static void
save_person (RelaisTestHub *hub, const char *number, const char *surname, const char *first_names, const char *birth_date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson in = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) first_names,
    .birth_date = (char *) birth_date,
    .notify = (char *) "none",
  };

  saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &in, &error);
  g_assert_no_error (error);
}

static void
join (RelaisTestHub *hub, Departement *d, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = departement_url (d, role);

  relais_hub_set_central (hub->hub, url, &error);
  g_assert_no_error (error);
  relais_hub_central_set_retry (hub->hub, 50, 400);
}

static gboolean
queue_empty (gpointer data)
{
  RelaisTestHub *hub = data;

  return relais_hub_central_pending (hub->hub) == 0;
}

/* Turns the main loop for @ms: the pusher meets the centre down. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

/* What the centre holds of site @code, "number:surname:state;…". */
static char *
centre_people (PGconn *owner, const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (string_agg (p.number || ':' || p.surname || ':' || p.state,"
                                          " ';' ORDER BY p.number), '') FROM relais.people p JOIN relais.sites s"
                                          " ON s.id = p.home_site_id WHERE s.code = '%s'",
                                          code);

  return ask (owner, sql);
}

/* A hub without [central] is the single site it always was: nothing
 * queued, and the console's question says there is no registry. */
static void
test_single_site (void)
{
  g_autoptr(GError) error = NULL;
  RelaisTestHub *hub = relais_test_hub_new ();
  g_autoptr(RelaisLink) console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(JsonObject) reply = NULL;

  save_person (hub, "100", "Dupont", "Marie", "1980-04-02");
  g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, -1);
  g_assert_cmpint (relais_db_central_queue_length (relais_hub_get_db (hub->hub)), ==, 0);
  g_assert_false (relais_db_central_is_enabled (relais_hub_get_db (hub->hub)));
  reply = relais_test_call (console, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (reply, "central"));
  g_assert_false (json_object_get_boolean_member (reply, "checked"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "elsewhere")), ==, 0);
  relais_test_hub_free (hub);
}

/* The queue goes up in order and exactly once: the people already there
 * when the site joins, every change after; the centre stopped for a while
 * (the hub keeps working, the changes wait), then back; the hub stopped
 * with changes waiting and started again; keys the centre already has
 * acknowledged without being applied twice. */
static void
test_push (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) owner = NULL;
  g_autofree char *n = NULL;
  RelaisTestHub   *hub = relais_test_hub_new ();

  departement_init (&d);
  owner = raw_as (&d, NULL);
  save_person (hub, "100", "Dupont", "Marie", "1980-04-02");
  save_person (hub, "101", "Martin", "Paul", "1975-11-30");
  join (hub, &d, d.role_a);
  /* Joined: the two already here are queued, durably. */
  g_assert_true (relais_db_central_is_enabled (relais_hub_get_db (hub->hub)));
  g_assert_true (relais_test_wait (queue_empty, hub));
  n = centre_people (owner, "ccas-centre");
  g_assert_cmpstr (n, ==, "100:Dupont:none;101:Martin:none");
  g_clear_pointer (&n, g_free);

  save_person (hub, "100", "Dupont-Roux", "Marie", "1980-04-02");
  g_assert_true (relais_test_wait (queue_empty, hub));
  n = centre_people (owner, "ccas-centre");
  g_assert_cmpstr (n, ==, "100:Dupont-Roux:none;101:Martin:none");
  g_clear_pointer (&n, g_free);

  /* The centre down: the site works on, its changes wait in its queue. */
  relais_test_pg_stop (cluster);
  save_person (hub, "102", "Bernard", "Ali", "1990-01-01");
  save_person (hub, "103", "Petit", "Zoé", "1991-02-03");
  save_person (hub, "102", "Bernard", "Ali Karim", "1990-01-01");
  spin (600);
  g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, 3);
  /* …and the hub itself stopped and started again meanwhile. */
  relais_test_hub_stop (hub);
  relais_test_hub_start (hub);
  join (hub, &d, d.role_a);
  g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, 3);
  spin (300);
  relais_test_pg_start (cluster);
  g_assert_true (relais_test_wait (queue_empty, hub));
  g_clear_pointer (&owner, PQfinish);
  owner = raw_as (&d, NULL);
  n = centre_people (owner, "ccas-centre");
  g_assert_cmpstr (n, ==, "100:Dupont-Roux:none;101:Martin:none;102:Bernard:none;103:Petit:none");
  g_clear_pointer (&n, g_free);
  n = ask (owner, "SELECT first_names FROM relais.people WHERE number = '102'");
  g_assert_cmpstr (n, ==, "Ali Karim");
  g_clear_pointer (&n, g_free);
  /* Six changes, each applied once, in the site's order. */
  n = ask (owner, "SELECT count(*) || ',' || bool_and (ordered) FROM (SELECT seq > coalesce (lag (seq) OVER"
                  " (ORDER BY pos), 0) AS ordered FROM relais.changes) c");
  g_assert_cmpstr (n, ==, "6,true");
  g_clear_pointer (&n, g_free);

  /* The centre committed but the site never heard (a crash between the
   * two): the same keys go up again and are acknowledged, not applied. */
  relais_test_hub_stop (hub);
  {
    g_autoptr(RelaisDb) db = relais_db_open (hub->db_path, RELAIS_DB_HUB, &error);
    g_autoptr(RelaisCentral) a = connect_as (&d, d.role_a);
    g_autoptr(GPtrArray) queued = NULL;
    RelaisMailPerson in = { .number = (char *) "104", .surname = (char *) "Roux", .first_names = (char *) "Léa", .birth_date = (char *) "1985-05-05", .notify = (char *) "none" };
    g_autoptr(RelaisMailPerson) saved = NULL;
    guint applied = 0;

    g_assert_no_error (error);
    saved = relais_db_mail_person_save (db, &in, &error);
    g_assert_no_error (error);
    queued = relais_db_central_queue_peek (db, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (queued->len, ==, 1);
    relais_central_push (a, queued, &applied, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (applied, ==, 1);
  }
  relais_test_hub_start (hub);
  join (hub, &d, d.role_a);
  g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, 1);
  g_assert_true (relais_test_wait (queue_empty, hub));
  n = ask (owner, "SELECT count(*) FROM relais.changes");
  g_assert_cmpstr (n, ==, "7");
  g_clear_pointer (&n, g_free);

  /* The server killed (SIGKILL, as a crash) with changes on their way:
   * started again, it recovers, and they go up once. */
  relais_test_pg_kill (cluster);
  save_person (hub, "105", "Moreau", "Inès", "1999-09-09");
  save_person (hub, "101", "Martin", "Paul Henri", "1975-11-30");
  spin (300);
  g_assert_cmpint (relais_hub_central_pending (hub->hub), ==, 2);
  relais_test_pg_start (cluster);
  g_assert_true (relais_test_wait (queue_empty, hub));
  g_clear_pointer (&owner, PQfinish);
  owner = raw_as (&d, NULL);
  n = ask (owner, "SELECT count(*) || ',' || count (DISTINCT key) FROM relais.changes");
  g_assert_cmpstr (n, ==, "9,9");
  g_clear_pointer (&n, g_free);
  n = ask (owner, "SELECT first_names FROM relais.people WHERE number = '101'");
  g_assert_cmpstr (n, ==, "Paul Henri");
  g_clear_pointer (&n, g_free);

  relais_test_hub_free (hub);
}

static gboolean
found_elsewhere (gpointer data)
{
  RelaisLink *console = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_test_call (console,
                                                   "/central/elsewhere?surname=DUPONT&first_names=marie&birth_date="
                                                   "1980-04-02",
                                                   NULL, &error);

  g_assert_no_error (error);
  return json_array_get_length (json_object_get_array_member (reply, "elsewhere")) > 0;
}

static gboolean
copied (gpointer data)
{
  RelaisTestHub *hub = data;
  g_autoptr(GPtrArray) rows = relais_db_central_copy_lookup (relais_hub_get_db (hub->hub), "dupont|marie",
                                                              "1980-04-02", NULL);

  return rows != NULL && rows->len == 1;
}

static gboolean
copy_adjourned (gpointer data)
{
  RelaisTestHub *hub = data;
  g_autoptr(GPtrArray) rows = relais_db_central_copy_lookup (relais_hub_get_db (hub->hub), "dupont|marie",
                                                              "1980-04-02", NULL);

  return rows != NULL && rows->len == 1
         && g_strcmp0 (((RelaisCentralCopyRow *) rows->pdata[0])->state, "adjourned") == 0;
}

/* A hub whose centre has never answered: the answer is "unknown". */
static void
test_elsewhere_unknown (void)
{
  g_autoptr(GError) error = NULL;
  RelaisTestHub *hub = relais_test_hub_new ();
  g_autoptr(RelaisLink) console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *url = g_strdup_printf ("postgresql://nobody:x@127.0.0.1:%u/relais", relais_test_free_port ());
  const char      *message;

  relais_hub_set_central (hub->hub, url, &error);
  g_assert_no_error (error);
  reply = relais_test_call (console, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (reply, "central"));
  g_assert_false (json_object_get_boolean_member (reply, "checked"));
  message = json_object_get_string_member (reply, "message");
  g_assert_nonnull (strstr (message, "impossible de savoir"));
  g_assert_null (strstr (message, "127.0.0.1"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "elsewhere")), ==, 0);
  g_clear_object (&console);
  relais_test_hub_free (hub);
}

/* Person created at site A (the CCAS), found "domiciled elsewhere" at
 * site B (the Secours Catholique), through each hub's console route. */
static void
test_elsewhere (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  RelaisTestHub *hub_a = relais_test_hub_new ();
  RelaisTestHub *hub_b = relais_test_hub_new ();
  g_autoptr(RelaisLink) console_a = relais_test_console (hub_a, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) console_b = relais_test_console (hub_b, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *number = NULL;
  JsonArray       *elsewhere;
  JsonObject      *body;
  const char      *message;

  departement_init (&d);
  join (hub_a, &d, d.role_a);
  join (hub_b, &d, d.role_b);

  /* At A, the desk enters her and records her application. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "surname");
  json_builder_add_string_value (b, "Dupont");
  json_builder_set_member_name (b, "first_names");
  json_builder_add_string_value (b, "Marie Louise");
  json_builder_set_member_name (b, "birth_date");
  json_builder_add_string_value (b, "1980-04-02");
  json_builder_set_member_name (b, "notify");
  json_builder_add_string_value (b, "none");
  json_builder_end_object (b);
  reply = relais_test_call (console_a, "/mail/people", json_builder_get_root (b), &error);
  g_assert_no_error (error);
  number = g_strdup (json_object_get_string_member (json_object_get_object_member (reply, "person"), "number"));
  g_clear_pointer (&reply, json_object_unref);
  {
    g_autofree char *path = g_strdup_printf ("/mail/people/%s/decision", number);
    JsonNode        *decision = json_from_string ("{\"decision\": \"applied\", \"reason\": \"no-home\"}", &error);

    g_assert_no_error (error);
    reply = relais_test_call (console_a, path, decision /* taken */, &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, json_object_unref);
  }

  /* At B, before creating a new file: she is known elsewhere. */
  g_assert_true (relais_test_wait (found_elsewhere, console_b));
  reply = relais_test_call (console_b, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (reply, "central"));
  g_assert_true (json_object_get_boolean_member (reply, "checked"));
  elsewhere = json_object_get_array_member (reply, "elsewhere");
  g_assert_cmpuint (json_array_get_length (elsewhere), ==, 1);
  body = json_array_get_object_element (elsewhere, 0);
  g_assert_cmpstr (json_object_get_string_member (body, "organisation"), ==, "CCAS de Villeneuve");
  g_assert_cmpstr (json_object_get_string_member (body, "site"), ==, "CCAS — centre");
  g_assert_cmpstr (json_object_get_string_member (body, "state"), ==, "applied");
  /* Only that: no number, no phone, no birth date. */
  g_assert_cmpuint (json_object_get_size (body), ==, 3);
  g_clear_pointer (&reply, json_object_unref);

  /* At A, her own site is not "elsewhere". */
  reply = relais_test_call (console_a, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "elsewhere")), ==, 0);
  g_clear_pointer (&reply, json_object_unref);

  /* A question missing its birth date, or with a date of another shape,
   * is told what to give. */
  reply = relais_test_call (console_b, "/central/elsewhere?surname=Dupont&first_names=Marie", NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "date de naissance"));
  g_clear_error (&error);
  reply = relais_test_call (console_b, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=02%2F04%2F1980",
                            NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "AAAA-MM-JJ"));
  g_clear_error (&error);

  /* B keeps a copy of the others' records, read down by cursor. */
  g_assert_true (relais_test_wait (copied, hub_b));

  /* The centre down: B answers from its copy and says so, with no
   * server's address or path. */
  relais_test_pg_stop (cluster);
  reply = relais_test_call (console_b, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-02",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (reply, "central"));
  g_assert_false (json_object_get_boolean_member (reply, "checked"));
  message = json_object_get_string_member (reply, "message");
  g_assert_nonnull (strstr (message, "registre du département ne répond pas"));
  g_assert_nonnull (strstr (message, "copie"));
  g_assert_null (strstr (message, "127.0.0.1"));
  g_assert_null (strstr (message, cluster->dir));
  elsewhere = json_object_get_array_member (reply, "elsewhere");
  g_assert_cmpuint (json_array_get_length (elsewhere), ==, 1);
  body = json_array_get_object_element (elsewhere, 0);
  g_assert_cmpstr (json_object_get_string_member (body, "organisation"), ==, "CCAS de Villeneuve");
  g_assert_cmpstr (json_object_get_string_member (body, "state"), ==, "applied");
  g_clear_pointer (&reply, json_object_unref);
  /* Someone else: nobody, from the copy too. */
  reply = relais_test_call (console_b, "/central/elsewhere?surname=Dupont&first_names=Marie&birth_date=1980-04-03",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (reply, "checked"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "elsewhere")), ==, 0);
  g_clear_pointer (&reply, json_object_unref);

  /* Meanwhile A adjourns her application (queued at A). Back: A's change
   * goes up, B's copy follows. */
  {
    g_autofree char *path = g_strdup_printf ("/mail/people/%s/decision", number);
    JsonNode        *decision = json_from_string ("{\"decision\": \"adjourned\", \"missing\": \"justificatif\"}",
                                                  &error);

    g_assert_no_error (error);
    reply = relais_test_call (console_a, path, decision /* taken */, &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, json_object_unref);
  }
  relais_test_pg_start (cluster);
  g_assert_true (relais_test_wait (copy_adjourned, hub_b));

  /* Back: answered again. */
  g_assert_true (relais_test_wait (found_elsewhere, console_b));

  /* The home rule: B receives her too and makes its own file, with the
   * same number as A's (each site numbers its own). It is B's record:
   * A's stays as A left it. */
  {
    g_autoptr(PGconn) owner = raw_as (&d, NULL);
    g_autofree char *n = NULL;
    g_autofree char *expected = g_strdup_printf ("ccas-centre:%s:Marie Louise:adjourned;secours-gare:%s:Marie:none",
                                                 number, number);

    save_person (hub_b, number, "Dupont", "Marie", "1980-04-02");
    g_assert_true (relais_test_wait (queue_empty, hub_b));
    n = ask (owner, "SELECT string_agg (s.code || ':' || p.number || ':' || p.first_names || ':' || p.state, ';'"
                    " ORDER BY s.code) FROM relais.people p JOIN relais.sites s ON s.id = p.home_site_id");
    g_assert_cmpstr (n, ==, expected);
  }

  g_clear_object (&console_a);
  g_clear_object (&console_b);
  relais_test_hub_free (hub_a);
  relais_test_hub_free (hub_b);
}

/* The hub program with a [central] url that is no PostgreSQL address
 * says so and does not start. */
static void
test_bad_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-central-XXXXXX", &error);
  g_autofree char *conf = g_build_filename (dir, "hub.conf", NULL);
  g_autofree char *db = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *text = g_strdup_printf ("[hub]\ndatabase=%s\nport=0\n[central]\nurl=mysql://site@centre/relais\n", db);
  g_autofree char *hub = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autofree char *err = NULL;
  int              status = 0;

  g_assert_no_error (error);
  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char *[]) { hub, (char *) "--config", conf, NULL }, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "[central] url"));
  g_assert_nonnull (strstr (err, "postgresql://"));
}

void
test_central_hubs_add (void)
{
  g_test_add_func ("/central/hub/bad-url", test_bad_url);
  g_test_add_func ("/central/hub/single-site", test_single_site);
  g_test_add_func ("/central/hub/push", test_push);
  g_test_add_func ("/central/hub/elsewhere", test_elsewhere);
  g_test_add_func ("/central/hub/elsewhere-unknown", test_elsewhere_unknown);
}
