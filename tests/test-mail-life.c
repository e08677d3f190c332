/* test-mail-life.c: the whole life of a domiciled person's data on the
 * real hub: sex and household on the person (the annual report counts
 * them), deletion on request, the retention purge with its preview, the
 * data journal. */
#include <string.h>
#include <glib/gstdio.h>

#include "relais-db-accounts.h"
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"
#include "relais-db-mail-life.h"
#include "relais-db-private.h"
#include "relais-hub.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

static RelaisTestHub       *hub;
static RelaisLink          *console;

static const RelaisMailSite site = { "la MDS", "le lundi" };

static RelaisDb *
db (void)
{
  return relais_hub_get_db (hub->hub);
}

static void
add_person_notified (const char *number, const char *surname, const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) "Anne",
    .birth_date = (char *) "1980-01-02",
    .phone = (char *) phone,
    .notify = (char *) (phone != NULL ? "sms" : "none"),
  };

  saved = relais_db_mail_person_save (db (), &p, &error);
  g_assert_no_error (error);
}

static void
add_person (const char *number, const char *surname)
{
  add_person_notified (number, surname, NULL);
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* Sex and household are saved with the person from the console's form,
 * given back with the record; a value off the list is refused with a
 * clear sentence and changes nothing. */
static void
test_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;

  reply = relais_test_call (console, "/mail/people",
                            json ("{\"number\":\"L-1\",\"surname\":\"Keita\",\"first_names\":\"Awa\","
                                  "\"birth_date\":\"1990-05-06\",\"notify\":\"none\",\"sex\":\"female\","
                                  "\"household\":\"single-parent\"}"),
                            &error);
  g_assert_no_error (error);
  p = relais_db_mail_person_get (db (), "L-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->sex, ==, "female");
  g_assert_cmpstr (p->household, ==, "single-parent");
  g_clear_pointer (&reply, json_object_unref);

  /* The console reads them back from the record. */
  reply = relais_test_call (console, "/mail/people/L-1", NULL, &error);
  g_assert_no_error (error);
  {
    JsonObject *person = json_object_get_object_member (reply, "person");

    g_assert_cmpstr (json_object_get_string_member (person, "sex"), ==, "female");
    g_assert_cmpstr (json_object_get_string_member (person, "household"), ==, "single-parent");
  }
  g_clear_pointer (&reply, json_object_unref);

  /* Off the list: refused, the record as it was. */
  reply = relais_test_call (console, "/mail/people",
                            json ("{\"number\":\"L-1\",\"surname\":\"Keita\",\"first_names\":\"Awa\","
                                  "\"birth_date\":\"1990-05-06\",\"notify\":\"none\",\"sex\":\"F\","
                                  "\"household\":\"single\"}"),
                            &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Sexe"));
  g_clear_error (&error);
  g_clear_pointer (&p, relais_mail_person_free);
  p = relais_db_mail_person_get (db (), "L-1", &error);
  g_assert_cmpstr (p->sex, ==, "female");
  g_assert_cmpstr (p->household, ==, "single-parent");

  /* Both may stay unsaid (empty: not asked). */
  reply = relais_test_call (console, "/mail/people",
                            json ("{\"number\":\"L-1\",\"surname\":\"Keita\",\"first_names\":\"Awa\","
                                  "\"birth_date\":\"1990-05-06\",\"notify\":\"none\",\"sex\":\"\","
                                  "\"household\":\"\"}"),
                            &error);
  g_assert_no_error (error);
  g_clear_pointer (&p, relais_mail_person_free);
  p = relais_db_mail_person_get (db (), "L-1", &error);
  g_assert_null (p->sex);
  g_assert_null (p->household);
}

static gint64
count_rows (const char *table_sql)
{
  return relais_db_single_int (db (), table_sql);
}

/* A person deleted on request goes with their letters, notices,
 * documents, proxies and decisions; the journal says what was deleted and
 * by whom, never who it was. */
static void
test_delete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) journal = NULL;
  g_autoptr(RelaisMailProxy) proxy = NULL;
  g_autoptr(RelaisMailDocument) doc = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  RelaisMailItem               items[] = { { "L-2", "ordinary", 2, NULL, NULL, FALSE } };
  gint64                       now = relais_db_now_ms ();
  const RelaisDataJournalLine *line;
  gboolean                     duplicate = FALSE;

  add_person_notified ("L-2", "Zyxwvu", "0612345678");
  add_person ("L-3", "Voisin");
  g_assert_true (relais_db_mail_decide (db (), "L-2", "granted", NULL, "2026-01-01", "2026-12-31", "Sophie",
                                        &site, now, &error));
  g_assert_no_error (error);
  letters = relais_db_mail_register (db (), "life-batch-1", "Sophie", items, 1, NULL, 0, &site, now, &duplicate, &error);
  g_assert_no_error (error);
  proxy = relais_db_mail_proxy_add (db (), "L-2", "Jean Zyxwvu", "2026-01-02", "scannées", NULL, &error);
  g_assert_no_error (error);
  doc = relais_db_mail_document_add (db (), "L-2", "identity", pdf, "Sophie", now, &error);
  g_assert_no_error (error);

  g_assert_true (relais_db_mail_person_delete (db (), "L-2", "Claire", now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number = 'L-2'"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_letters WHERE person_id NOT IN (SELECT id FROM mail_people)"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_documents WHERE person_id NOT IN (SELECT id FROM mail_people)"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_proxies WHERE name = 'Jean Zyxwvu'"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_notices WHERE person_id NOT IN (SELECT id FROM mail_people)"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_decisions WHERE person_id NOT IN (SELECT id FROM mail_people)"), ==, 0);
  /* Nobody finds them any more; the neighbour stays. */
  g_assert_null (relais_db_mail_person_get (db (), "L-2", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people_fts WHERE mail_people_fts MATCH 'zyxwvu'"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number = 'L-3'"), ==, 1);

  journal = relais_db_data_journal (db (), 10, &error);
  g_assert_no_error (error);
  line = g_ptr_array_index (journal, 0);
  g_assert_cmpstr (line->what, ==, "person-deleted");
  g_assert_cmpstr (line->who, ==, "Claire");
  g_assert_cmpstr (line->detail, ==, "courriers=2 messages=2 documents=1 mandataires=1 decisions=1");
  g_assert_null (strstr (line->detail, "L-2"));
  g_assert_null (strstr (line->detail, "Zyxwvu"));

  /* An unknown number: a clear error, nothing journalled. */
  g_assert_false (relais_db_mail_person_delete (db (), "L-2", "Claire", now, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  g_clear_pointer (&journal, g_ptr_array_unref);
  journal = relais_db_data_journal (db (), 10, NULL);
  g_assert_cmpuint (journal->len, ==, 1);
}

static gboolean
has_number (GPtrArray *people, const char *number)
{
  for (guint i = 0; i < people->len; i++)
    if (g_str_equal (((RelaisMailPerson *) g_ptr_array_index (people, i))->number, number))
      return TRUE;
  return FALSE;
}

/* On a day far ahead, the preview lists those whose domiciliation ended
 * and whose last contact is older than the retention period, and only
 * them; the purge deletes the confirmed ones still due. */
static void
test_purge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) preview = NULL;
  g_autoptr(GPtrArray) journal = NULL;
  gint64      now = relais_db_now_ms ();
  const char *confirmed[] = { "P-none", "P-ended", "P-running", "P-unknown", NULL };
  int         deleted;

  add_person ("P-none", "Ancien");
  add_person ("P-ended", "Fini");
  add_person ("P-running", "Encours");
  add_person ("P-applied", "Demande");
  g_assert_true (relais_db_mail_decide (db (), "P-ended", "granted", NULL, "2026-01-01", "2026-12-31", "Sophie",
                                        &site, now, &error));
  g_assert_true (relais_db_mail_decide (db (), "P-running", "granted", NULL, "2030-01-01", "2031-06-30", "Sophie",
                                        &site, now, &error));
  g_assert_true (relais_db_mail_decide (db (), "P-applied", "applied", NULL, NULL, NULL, "Sophie", &site, now,
                                        &error));
  g_assert_no_error (error);

  /* Today: nobody is due. */
  {
    g_autoptr(GDateTime) t = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (t, "%Y-%m-%d");

    preview = relais_db_mail_purge_preview (db (), RELAIS_MAIL_RETENTION_DAYS_DEFAULT, today, &error);
    g_assert_no_error (error);
    g_assert_false (has_number (preview, "P-none"));
    g_assert_false (has_number (preview, "P-ended"));
    g_clear_pointer (&preview, g_ptr_array_unref);
  }
  /* 2031-03-01: two years after 2026's end and last contact. */
  preview = relais_db_mail_purge_preview (db (), RELAIS_MAIL_RETENTION_DAYS_DEFAULT, "2031-03-01", &error);
  g_assert_no_error (error);
  g_assert_true (has_number (preview, "P-none"));
  g_assert_true (has_number (preview, "P-ended"));
  g_assert_false (has_number (preview, "P-running"));
  g_assert_false (has_number (preview, "P-applied"));
  /* A longer retention keeps them. */
  g_clear_pointer (&preview, g_ptr_array_unref);
  preview = relais_db_mail_purge_preview (db (), 3650, "2031-03-01", &error);
  g_assert_false (has_number (preview, "P-ended"));
  /* Bad settings: a clear error. */
  g_assert_null (relais_db_mail_purge_preview (db (), 0, "2031-03-01", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relais_db_mail_purge_preview (db (), 730, "01/03/2031", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);

  /* Confirmed: the due ones go; one not due (running) or unknown stays. */
  deleted = relais_db_mail_purge (db (), confirmed, RELAIS_MAIL_RETENTION_DAYS_DEFAULT, "2031-03-01", "Claire", now,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (deleted, ==, 2);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number IN ('P-none', 'P-ended')"), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number IN ('P-running', 'P-applied')"), ==, 2);
  journal = relais_db_data_journal (db (), 1, &error);
  g_assert_cmpstr (((RelaisDataJournalLine *) g_ptr_array_index (journal, 0))->what, ==, "purge");
  g_assert_cmpstr (((RelaisDataJournalLine *) g_ptr_array_index (journal, 0))->detail, ==,
                   "personnes=2 conservation=730j");
}

/* The routes: deletion and purge are a responsable's acts; a mediator is
 * refused; the purge's list is checked before anything is deleted. */
static void
test_routes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) responsable = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_autoptr(JsonObject) reply = NULL;

  g_assert_no_error (error);
  g_assert_true (relais_db_mediator_set_roles (db (), "claire", (const char *[]) { "staff", "responsable", NULL },
                                               &error));
  g_assert_true (relais_test_login (responsable, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  g_assert_no_error (error);
  add_person ("R-1", "Supprimer");

  /* A mediator may not. */
  reply = relais_test_call (console, "/mail/people/R-1/delete", json ("{}"), &error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "responsables"));
  g_clear_error (&error);
  reply = relais_test_call (console, "/mail/purge", NULL, &error);
  g_assert_null (reply);
  g_clear_error (&error);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number = 'R-1'"), ==, 1);

  /* A responsable may; the person is gone. */
  reply = relais_test_call (responsable, "/mail/people/R-1/delete", json ("{}"), &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (reply, "deleted"));
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number = 'R-1'"), ==, 0);
  reply = relais_test_call (responsable, "/mail/people/R-1/delete", json ("{}"), &error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "inconnue"));
  g_clear_error (&error);

  /* The preview says the period; today nobody is due. */
  reply = relais_test_call (responsable, "/mail/purge", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "days"), ==, 730);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "people")), ==, 0);
  g_clear_pointer (&reply, json_object_unref);
  /* A confirmation names only people still due: none here. */
  reply = relais_test_call (responsable, "/mail/purge", json ("{\"numbers\":[\"P-running\"]}"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "deleted"), ==, 0);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM mail_people WHERE number = 'P-running'"), ==, 1);
  /* Bad bodies: refused with the member named. */
  reply = relais_test_call (responsable, "/mail/purge", json ("{\"numbers\":\"P-running\"}"), &error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "numbers"));
  g_clear_error (&error);
  reply = relais_test_call (responsable, "/mail/purge", json ("{\"numbers\":[3]}"), &error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "numbers"));
  g_clear_error (&error);
  relais_link_stop (responsable);
}

/* `relais-hub purge --dry-run` lists who is due and deletes nothing;
 * without --dry-run it deletes them. */
static void
test_cli (void)
{
  g_autofree char *exe = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autofree char *dir = g_dir_make_tmp ("relais-purge-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  {
    g_autoptr(RelaisDb) other = relais_db_open (path, RELAIS_DB_HUB, &error);
    RelaisMailPerson p = { .number = (char *) "C-1", .surname = (char *) "Vieux", .first_names = (char *) "Jean", .birth_date = (char *) "1950-01-01", .notify = (char *) "none" };
    g_autoptr(RelaisMailPerson) saved = NULL;

    g_assert_no_error (error);
    saved = relais_db_mail_person_save (other, &p, &error);
    g_assert_no_error (error);
    /* Entered (and last seen) in 1970. */
    g_assert_true (relais_db_exec (other, "UPDATE mail_people SET created_at = 0", &error));
  }
  {
    const char *argv[] = { exe, "--database", path, "purge", "--dry-run", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_test_message ("%s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "C-1  Vieux Jean"));
    g_assert_nonnull (strstr (out, "1 personne(s) à supprimer (rien n'est supprimé : --dry-run)"));
  }
  {
    /* Nothing was deleted; now for real. */
    const char *argv[] = { exe, "--database", path, "purge", NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "1 personne(s) supprimée(s)."));
  }
  {
    g_autoptr(RelaisDb) other = relais_db_open (path, RELAIS_DB_HUB, &error);

    g_assert_null (relais_db_mail_person_get (other, "C-1", &error));
    g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    /* A bad argument: the usage, nothing done. */
    const char *argv[] = { exe, "--database", path, "purge", "now", NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "usage : relais-hub purge"));
  }
  g_remove (path);
  g_rmdir (dir);
}

/* A raw transfer runs in a thread: the hub answers on this loop. */
typedef struct {
  RelaisLink *link;
  const char *method;
  const char *path;
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

  t->reply = relais_link_transfer (t->link, t->method, t->path, t->body, NULL, 16 * 1024 * 1024, &t->status,
                                   &t->error);
  g_atomic_int_set (&t->done, TRUE);
  return NULL;
}

static gboolean
transfer_done (gpointer data)
{
  return g_atomic_int_get (&((Transfer *) data)->done);
}

static GBytes *
transfer (RelaisLink *link, const char *method, const char *path, GBytes *body, long *status)
{
  Transfer t = { link, method, path, body, NULL, 0, NULL, FALSE };
  GThread *thread = g_thread_new ("transfer", transfer_thread, &t);

  g_assert_true (relais_test_wait (transfer_done, &t));
  g_thread_join (thread);
  g_assert_no_error (t.error);
  *status = t.status;
  return t.reply;
}

/* The stored bytes of document @id, as a stolen database would show. */
static GBytes *
stored_blob (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db (), "SELECT pdf FROM mail_documents WHERE id = ?1", &error);

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
}

/* An identity document scanned at the desk is sealed at rest on the hub:
 * the database holds no byte of the PDF; the console gets it back whole;
 * each opening is journalled; a figures-only account cannot open it; a
 * wrong key opens nothing. */
static void
test_documents_sealed (void)
{
  static const char pdf_text[] = "%PDF-1.4\n% CARTE D'IDENTITE KEITA AWA 1990\n%%EOF\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_text, sizeof pdf_text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) journal = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(RelaisLink) staff = NULL;
  g_autofree char             *path = NULL;
  const RelaisDataJournalLine *line;
  guint8                       wrong[RELAIS_DB_DOCUMENT_KEY_BYTES] = { 1 };
  long                         status = 0;
  gint64                       id;

  add_person ("D-1", "Keita");
  reply = transfer (console, "POST", "/mail/people/D-1/documents?label=identity", pdf, &status);
  g_assert_cmpint (status, ==, 200);
  node = json_from_string (g_bytes_get_data (reply, NULL), &error);
  g_assert_no_error (error);
  id = json_object_get_int_member (json_node_get_object (node), "id");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "size"), ==, sizeof pdf_text - 1);

  /* At rest: neither the PDF's header nor its words. */
  blob = stored_blob (id);
  g_assert_cmpuint (g_bytes_get_size (blob), >, sizeof pdf_text - 1);
  g_assert_null (g_strstr_len (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), "%PDF"));
  g_assert_null (g_strstr_len (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), "KEITA"));
  /* Without the key, or with another, nothing. */
  g_assert_null (relais_db_mail_document_get (db (), "D-1", id, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relais_db_mail_document_open (db (), "D-1", id, wrong, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);

  /* The mediator opens it: the same bytes, and a journal line. */
  path = g_strdup_printf ("/mail/people/D-1/documents/%" G_GINT64_FORMAT, id);
  g_clear_pointer (&reply, g_bytes_unref);
  reply = transfer (console, "GET", path, NULL, &status);
  g_assert_cmpint (status, ==, 200);
  g_assert_true (g_bytes_equal (reply, pdf));
  journal = relais_db_data_journal (db (), 1, &error);
  line = g_ptr_array_index (journal, 0);
  g_assert_cmpstr (line->what, ==, "document-opened");
  g_assert_cmpstr (line->who, ==, "Sophie");
  expected = g_strdup_printf ("n° D-1, pièce %" G_GINT64_FORMAT, id);
  g_assert_cmpstr (line->detail, ==, expected);

  /* A figures-only account: refused, and nothing journalled. */
  g_assert_true (relais_hub_add_mediator (db (), "paul", "Paul", "paul-secret", TRUE, &error));
  g_assert_true (relais_db_mediator_set_roles (db (), "paul", (const char *[]) { "staff", NULL }, &error));
  staff = relais_test_console (hub, "paul", "paul-secret");
  g_clear_pointer (&reply, g_bytes_unref);
  reply = transfer (staff, "GET", path, NULL, &status);
  g_assert_cmpint (status, ==, 403);
  g_clear_pointer (&journal, g_ptr_array_unref);
  journal = relais_db_data_journal (db (), 1, &error);
  g_assert_cmpstr (((RelaisDataJournalLine *) g_ptr_array_index (journal, 0))->who, ==, "Sophie");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  hub = relais_test_hub_new ();
  console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);

  g_test_add_func ("/mail-life/profile", test_profile);
  g_test_add_func ("/mail-life/delete", test_delete);
  g_test_add_func ("/mail-life/purge", test_purge);
  g_test_add_func ("/mail-life/routes", test_routes);
  g_test_add_func ("/mail-life/cli", test_cli);
  g_test_add_func ("/mail-life/documents-sealed", test_documents_sealed);
  rc = g_test_run ();

  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
