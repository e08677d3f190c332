/* test-mail-import.c: the console's bulk import (POST /mail/import,
 * issue 15): a responsable's act (a mediator gets 403, a station too),
 * the same checks as `relais-hub import-people` (a bad row imports
 * nothing, ?skip-bad=1 the good ones, an unreadable workbook is told),
 * its bounds (body size on the headers, people counted first, a format
 * it does not know), and outside the per-token request rate: with a rate
 * of one request a second a console's ordinary calls are refused while
 * its imports go through. */
#include <string.h>

#include "relais-db-mail.h"
#include "relais-hub-handlers.h"
#include "relais-test-hub.h"

static RelaisTestHub *hub;

typedef struct {
  RelaisLink *link;
  char       *path;
  GBytes     *body;
  GBytes     *reply;
  long        status;
  GError     *error;
  gboolean    done;
} Transfer;

static gpointer
transfer_thread (gpointer data)
{
  Transfer *t = data;

  t->reply = relais_link_transfer (t->link, "POST", t->path, t->body, NULL, 1024 * 1024, &t->status, &t->error);
  g_atomic_int_set (&t->done, TRUE);
  return NULL;
}

static gboolean
transfer_done (gpointer data)
{
  return g_atomic_int_get (&((Transfer *) data)->done);
}

/* POSTs @text to @path through @link; the answer's object (or NULL when
 * not JSON) and the status in *@status. */
static JsonObject *
post (RelaisLink *link, const char *path, GBytes *body, long *status)
{
  Transfer t = { link, g_strdup (path), body, NULL, 0, NULL, FALSE };
  GThread *thread = g_thread_new ("transfer", transfer_thread, &t);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *reply = NULL;

  g_assert_true (relais_test_wait (transfer_done, &t));
  g_thread_join (thread);
  g_assert_no_error (t.error);
  g_free (t.path);
  *status = t.status;
  if (json_parser_load_from_data (parser, g_bytes_get_data (t.reply, NULL), g_bytes_get_size (t.reply), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    reply = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_bytes_unref (t.reply);
  return reply;
}

static JsonObject *
post_text (RelaisLink *link, const char *path, const char *text, long *status)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return post (link, path, body, status);
}

static RelaisLink *
console_as (const char *login, const char *password)
{
  g_autoptr(GError) error = NULL;
  RelaisLink *link = relais_link_new (hub->url, hub->console_token, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (relais_test_login (link, login, password, &error));
  g_assert_no_error (error);
  return link;
}

static gboolean
has_person (const char *number)
{
  g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get (relais_hub_get_db (hub->hub), number, NULL);

  return p != NULL;
}

/* A register as a centre's own spreadsheet writes it: French headers,
 * ';', JJ/MM/AAAA; line 4 has a birth date no calendar has. */
static const char register_csv[] =
    "Numéro;Nom;Prénom;Date de naissance;Téléphone;Statut;Date de début\n"
    "9101;Durand;Léa;04/05/1980;0601020304;Actif;01/02/2026\n"
    "9102;Benali;Karim;12/12/1975;;En instruction;\n"
    "9103;Petit;Jean;31/02/1990;;;\n"
    "9104;Nguyen;Thi;01/01/2000;;;\n";

static void
test_route (void)
{
  g_autoptr(RelaisLink) sophie = console_as ("sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(RelaisLink) claire = console_as ("claire", RELAIS_TEST_CLAIRE_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) station = relais_link_new (hub->url, hub->station_token, NULL, &error);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) durand = NULL;
  JsonArray *problems;
  long       status;

  g_assert_no_error (error);

  /* A mediator, a station: refused, nothing read. */
  reply = post_text (sophie, "/mail/import", register_csv, &status);
  g_assert_cmpint (status, ==, 403);
  g_assert_cmpstr (json_object_get_string_member (reply, "error"), ==, "réservé aux responsables");
  g_clear_pointer (&reply, json_object_unref);
  reply = post_text (station, "/mail/import", register_csv, &status);
  g_assert_cmpint (status, ==, 403);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_false (has_person ("9101"));

  /* A bad row: told with its line and reason, nothing imported. */
  reply = post_text (claire, "/mail/import", register_csv, &status);
  g_assert_cmpint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply, "rows"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (reply, "imported"), ==, 0);
  problems = json_object_get_array_member (reply, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (problems, 0), ==,
                   "ligne 4 : date de naissance illisible « 31/02/1990 »");
  g_clear_pointer (&reply, json_object_unref);
  g_assert_false (has_person ("9101"));

  /* Told to skip it: the three others. */
  reply = post_text (claire, "/mail/import?skip-bad=1", register_csv, &status);
  g_assert_cmpint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply, "imported"), ==, 3);
  g_clear_pointer (&reply, json_object_unref);
  durand = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "9101", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (durand->first_names, ==, "Léa");
  g_assert_cmpstr (durand->state, ==, "granted");
  g_assert_true (has_person ("9102"));
  g_assert_false (has_person ("9103"));
  g_assert_true (has_person ("9104"));
}

static void
test_bounds (void)
{
  g_autoptr(RelaisLink) claire = console_as ("claire", RELAIS_TEST_CLAIRE_PASSWORD);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GString) many = g_string_new ("Nom;Prénom;Date de naissance\n");
  g_autoptr(GBytes) huge = NULL;
  long status;

  /* Not a workbook: told, nothing else. */
  reply = post_text (claire, "/mail/import?format=xlsx", "Nom;Prénom\n", &status);
  g_assert_cmpint (status, ==, 400);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (reply, "error"), "classeur illisible"));
  g_clear_pointer (&reply, json_object_unref);
  reply = post_text (claire, "/mail/import?format=ods", "Nom;Prénom\n", &status);
  g_assert_cmpint (status, ==, 400);
  g_clear_pointer (&reply, json_object_unref);
  reply = post_text (claire, "/mail/import", "", &status);
  g_assert_cmpint (status, ==, 400);
  g_clear_pointer (&reply, json_object_unref);
  /* A column a person needs is missing: the sentence names it. */
  reply = post_text (claire, "/mail/import", "Nom;Téléphone\nDupont;06\n", &status);
  g_assert_cmpint (status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "pas de colonne « prénom »"));
  g_clear_pointer (&reply, json_object_unref);

  /* One person more than an import takes: refused whole, first. */
  for (guint i = 0; i <= RELAIS_HUB_MAIL_IMPORT_MAX_PEOPLE; i++)
    g_string_append_printf (many, "Nom%u;Prénom;01/01/1970\n", i);
  reply = post_text (claire, "/mail/import", many->str, &status);
  g_assert_cmpint (status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "trop de lignes"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_false (has_person ("1"));

  /* Past the body cap: refused on the headers (413). */
  huge = g_bytes_new_take (g_malloc0 (RELAIS_HUB_MAIL_IMPORT_MAX_BYTES + 1), RELAIS_HUB_MAIL_IMPORT_MAX_BYTES + 1);
  reply = post (claire, "/mail/import", huge, &status);
  g_assert_cmpint (status, ==, 413);
  g_clear_pointer (&reply, json_object_unref);
}

/* With one request a second and no burst, a console's second ordinary
 * call is refused (429); its imports, one after another, are not. */
static void
test_not_rate_limited (void)
{
  g_autoptr(RelaisLink) claire = console_as ("claire", RELAIS_TEST_CLAIRE_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  long status;

  relais_hub_set_rate_limit (hub->hub, 0.01, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *csv = g_strdup_printf ("Numéro;Nom;Prénom;Date de naissance\n95%02u;Rapide;Ana;01/01/1990\n", i);

      reply = post_text (claire, "/mail/import", csv, &status);
      g_assert_cmpint (status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (reply, "imported"), ==, 1);
      g_clear_pointer (&reply, json_object_unref);
    }
  /* The bucket is still whole (the imports took nothing): one ordinary
   * call passes, the next is refused. */
  reply = relais_test_call (claire, "/mail/stats", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = relais_test_call (claire, "/mail/stats", NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "trop de requêtes"));
  relais_hub_set_rate_limit (hub->hub, 50, 100);
}

/* A register as large as the (20,000 people), imported through
 * the route while the desk works: the import writes 1,000 people a
 * transaction and lets a waiting writer in between, so the desk's
 * writes go through (in one transaction, the import held the lock
 * longer than a writer waits, 5 s, and they failed). */
#define BIG_IMPORT 20000

static gboolean
import_writing (gpointer data)
{
  return has_person ("700000") || transfer_done (data);
}

/* relais_test_wait () six times over: 20,000 people on a busy machine
 * may take more than its 20 s. */
static gboolean
wait_long (gboolean (*condition) (gpointer data), gpointer data)
{
  for (guint i = 0; i < 6; i++)
    if (relais_test_wait (condition, data))
      return TRUE;
  return FALSE;
}

static void
test_desk_writes_during_import (void)
{
  g_autoptr(RelaisLink) claire = console_as ("claire", RELAIS_TEST_CLAIRE_PASSWORD);
  g_autoptr(RelaisLink) sophie = console_as ("sophie", RELAIS_TEST_SOPHIE_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  g_autoptr(RelaisMailPerson) after = NULL;
  g_autoptr(GString) csv = g_string_new ("Numéro;Nom;Prénom;Date de naissance\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  RelaisMailPerson desk = { .number = "9900", .surname = "Guichet", .first_names = "Anne", .birth_date = "1970-01-01", .notify = "none" };
  Transfer         t = { claire, g_strdup ("/mail/import"), NULL, NULL, 0, NULL, FALSE };
  GThread         *thread;
  JsonObject      *result;

  saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &desk, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < BIG_IMPORT; i++)
    g_string_append_printf (csv, "7%05u;N%c%c%c;Prénom;01/01/1980\n", i, 'a' + i % 26, 'a' + i / 26 % 26,
                            'a' + i / 676 % 26);
  t.body = g_bytes_new (csv->str, csv->len);
  thread = g_thread_new ("import", transfer_thread, &t);

  /* The import writes (its first people are in: with one transaction,
   * all of them)… */
  g_assert_true (wait_long (import_writing, &t));
  g_assert_false (transfer_done (&t));
  /* …and the desk records a visit and flags a person NPAI meanwhile. */
  {
    gint64 start = g_get_monotonic_time ();
    g_autoptr(JsonObject) visit = relais_test_call (sophie, "/mail/people/9900/contact",
                                                     json_from_string ("{\"kind\":\"visit\"}", NULL), &error);

    g_assert_no_error (error);
    g_test_message ("a visit recorded during the import in %.0f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
  }
  {
    g_autoptr(JsonObject) npai = relais_test_call (sophie, "/mail/people/9900/npai",
                                                    json_from_string ("{\"npai\":true}", NULL), &error);

    g_assert_no_error (error);
  }
  /* They went in between the import's transactions: its last people
   * were not written yet (in one transaction, the desk's writes waited
   * for all of it, or failed past 5 s). */
  g_assert_false (has_person ("719999"));
  after = relais_db_mail_person_get (relais_hub_get_db (hub->hub), "9900", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->last_contact_kind, ==, "visit");
  g_assert_true (after->npai);

  /* The import ends whole. */
  g_assert_true (wait_long (transfer_done, &t));
  g_thread_join (thread);
  g_assert_no_error (t.error);
  g_assert_cmpint (t.status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (t.reply, NULL), g_bytes_get_size (t.reply), NULL));
  result = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (result, "imported"), ==, BIG_IMPORT);
  g_assert_true (has_person ("719999"));
  g_bytes_unref (t.reply);
  g_bytes_unref (t.body);
  g_free (t.path);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  hub = relais_test_hub_new ();
  g_test_add_func ("/mail-import/route", test_route);
  g_test_add_func ("/mail-import/bounds", test_bounds);
  g_test_add_func ("/mail-import/desk-writes-during-import", test_desk_writes_during_import);
  g_test_add_func ("/mail-import/not-rate-limited", test_not_rate_limited);
  rc = g_test_run ();
  relais_test_hub_free (hub);
  return rc;
}
