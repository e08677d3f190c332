/* test-mail-kinds.c: the registered-mail notice (« avis de passage ») and
 * the parcel, kinds of mail with their own hand-over (issue 15): the
 * migration widens the kind's check (an unknown kind is still refused),
 * a notice gets La Poste's 15-day deadline on registration, a parcel the
 * note of where it waits (through the hub's route), one of each at a
 * time; a notice is handed over only against an ID check (the hub's
 * hand-over route refuses it without, nothing handed), which is
 * recorded; the figures count both kinds apart. */
#include <sqlite3.h>
#include <string.h>

#include "relais-db-mail.h"
#include "relais-db-mail-kinds.h"
#include "relais-test-hub.h"

static RelaisTestHub       *hub;
static RelaisLink          *console;
static const RelaisMailSite site = { "le CCAS", "mardi 9h-12h" };

static void
add_person (const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = { .number = (char *) number, .surname = (char *) "Diallo", .first_names = (char *) "Fatou", .birth_date = (char *) "1985-06-07", .notify = (char *) "none" };

  saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &p, &error);
  g_assert_no_error (error);
}

static GPtrArray *
register_items (const char *key, const RelaisMailItem *items, gsize n, gint64 now, GError **error)
{
  gboolean duplicate = FALSE;

  return relais_db_mail_register (relais_hub_get_db (hub->hub), key, "Sophie", items, n, NULL, 0, &site, now,
                                  &duplicate, error);
}

static gint64
letter_of (GPtrArray *letters, const char *kind)
{
  for (guint i = 0; i < letters->len; i++)
    if (g_str_equal (((RelaisMailLetter *) g_ptr_array_index (letters, i))->kind, kind))
      return ((RelaisMailLetter *) g_ptr_array_index (letters, i))->id;
  g_assert_not_reached ();
}

static void
test_migration (void)
{
  sqlite3      *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  const char   *sql;

  /* The check itself, as SQLite keeps it: wider, still a check. */
  g_assert_cmpint (sqlite3_open_v2 (hub->db_path, &raw, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT sql FROM sqlite_master WHERE name = 'mail_letters'", -1, &stmt,
                                       NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sql = (const char *) sqlite3_column_text (stmt, 0);
  g_assert_nonnull (strstr (sql, "'tax', 'other', 'notice', 'parcel')"));
  g_assert_nonnull (strstr (sql, "notice_deadline TEXT"));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO mail_letters (person_id, batch_id, kind, registered_at, registered_by)"
                                      " VALUES (1, 1, 'bogus', 0, 'x')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "CHECK constraint failed"));
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
}

static void
test_register (void)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(RelaisMailKindDetails) notice = NULL;
  g_autoptr(RelaisMailKindDetails) parcel = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 20, 10, 0, 0);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *path = NULL;
  RelaisMailItem   items[] = {
      { "5001", "notice", 1, "1A00123456789", "La Poste", FALSE },
      { "5001", "parcel", 1, NULL, "Amazon", FALSE },
      { "5001", "ordinary", 2, NULL, NULL, FALSE },
  };
  RelaisMailItem two_notices[] = { { "5001", "notice", 2, NULL, NULL, FALSE } };
  RelaisMailItem unknown_kind[] = { { "5001", "bogus", 1, NULL, NULL, FALSE } };

  add_person ("5001");
  g_assert_null (register_items ("k-two", two_notices, 1, g_date_time_to_unix (day) * 1000, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Avis de passage ou colis pour 5001 : un à la fois.");
  g_clear_error (&error);
  g_assert_null (register_items ("k-bogus", unknown_kind, 1, g_date_time_to_unix (day) * 1000, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);

  letters = register_items ("k-1", items, G_N_ELEMENTS (items), g_date_time_to_unix (day) * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 4);
  /* La Poste keeps the letter 15 days from the notice. */
  notice = relais_db_mail_kind_details (db, letter_of (letters, "notice"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (notice->notice_deadline, ==, "2026-12-05");
  g_assert_null (notice->parcel_note);
  g_assert_false (notice->id_checked);
  g_assert_null (relais_db_mail_kind_details (db, letter_of (letters, "ordinary"), &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Where the parcel waits, through the console's route. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, "grand carton, réserve 2");
  json_builder_end_object (b);
  path = g_strdup_printf ("/mail/letters/%" G_GINT64_FORMAT "/parcel-note", letter_of (letters, "parcel"));
  reply = relais_test_call (console, path, json_builder_get_root (b), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (reply, "parcel_note"), ==, "grand carton, réserve 2");
  parcel = relais_db_mail_kind_details (db, letter_of (letters, "parcel"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parcel->parcel_note, ==, "grand carton, réserve 2");
  /* Not on a letter, not empty, not a novel. */
  g_assert_false (relais_db_mail_parcel_note_set (db, letter_of (letters, "ordinary"), "étagère", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relais_db_mail_parcel_note_set (db, letter_of (letters, "parcel"), "", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autofree char *long_note = g_strnfill (RELAIS_MAIL_PARCEL_NOTE_MAX + 1, 'x');

    g_assert_false (relais_db_mail_parcel_note_set (db, letter_of (letters, "parcel"), long_note, &error));
    g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static JsonObject *
hand_over (const char *number, const gint64 *ids, gsize n_ids, gboolean with_check, gboolean id_checked, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *path = g_strdup_printf ("/mail/people/%s/hand-over", number);

  json_builder_begin_object (b);
  if (n_ids > 0)
    {
      json_builder_set_member_name (b, "letters");
      json_builder_begin_array (b);
      for (gsize i = 0; i < n_ids; i++)
        json_builder_add_int_value (b, ids[i]);
      json_builder_end_array (b);
    }
  if (with_check)
    {
      json_builder_set_member_name (b, "id_checked");
      json_builder_add_boolean_value (b, id_checked);
    }
  json_builder_end_object (b);
  return relais_test_call (console, path, json_builder_get_root (b), error);
}

static guint
waiting (const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = relais_db_mail_waiting (relais_hub_get_db (hub->hub), number, &error);

  g_assert_no_error (error);
  return letters->len;
}

static void
test_hand_over (void)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailKindDetails) notice = NULL;
  RelaisMailItem items[] = {
    { "5002", "notice", 1, "1A00999", NULL, FALSE },
    { "5002", "ordinary", 1, NULL, NULL, FALSE },
    { "5002", "parcel", 1, NULL, NULL, FALSE },
  };
  gint64 notice_id, ordinary_id;

  add_person ("5002");
  letters = register_items ("k-2", items, G_N_ELEMENTS (items), g_get_real_time () / 1000, &error);
  g_assert_no_error (error);
  notice_id = letter_of (letters, "notice");
  ordinary_id = letter_of (letters, "ordinary");

  /* Everything at once, no ID seen: refused whole, nothing handed. */
  reply = hand_over ("5002", NULL, 0, FALSE, FALSE, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Avis de passage : vérifiez une pièce d'identité"));
  g_clear_error (&error);
  reply = hand_over ("5002", &notice_id, 1, TRUE, FALSE, &error);
  g_assert_null (reply);
  g_clear_error (&error);
  g_assert_cmpuint (waiting ("5002"), ==, 3);

  /* The ordinary letter alone needs no check. */
  reply = hand_over ("5002", &ordinary_id, 1, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_cmpuint (waiting ("5002"), ==, 2);

  /* With the ID seen: handed, and the check recorded. */
  reply = hand_over ("5002", &notice_id, 1, TRUE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "letters")), ==, 1);
  g_assert_cmpuint (waiting ("5002"), ==, 1);
  notice = relais_db_mail_kind_details (db, notice_id, &error);
  g_assert_no_error (error);
  g_assert_true (notice->id_checked);
}

static void
test_figures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(RelaisMailFigures) f = relais_db_mail_figures (relais_hub_get_db (hub->hub), today, today, &error);
  gboolean seen_notice = FALSE, seen_parcel = FALSE;

  g_assert_no_error (error);
  /* 5002's notice, ordinary letter and parcel today; 5001's in November. */
  for (guint i = 0; i < f->kinds->len; i++)
    {
      RelaisMailFiguresRow *row = g_ptr_array_index (f->kinds, i);

      if (g_str_equal (row->kind, "notice"))
        {
          seen_notice = TRUE;
          g_assert_cmpint (row->registered, ==, 1);
          g_assert_cmpint (row->handed, ==, 1);
        }
      else if (g_str_equal (row->kind, "parcel"))
        {
          seen_parcel = TRUE;
          g_assert_cmpint (row->registered, ==, 1);
          g_assert_cmpint (row->handed, ==, 0);
        }
      else if (g_str_equal (row->kind, "ordinary"))
        g_assert_cmpint (row->registered, ==, 1);
    }
  g_assert_true (seen_notice && seen_parcel);
  g_assert_cmpstr (relais_mail_kind_label ("notice"), ==, "avis de passage");
  g_assert_cmpstr (relais_mail_kind_label ("parcel"), ==, "colis");
}

/* A parcel's shelf said as it is registered, through the console's batch
 * route: kept on the parcel, refused on another kind or past its length
 * (nothing registered then), and a batch sent again with its key
 * registers once; the same key with another shelf is another batch. */
static void
test_register_parcel_note (void)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(RelaisMailKindDetails) parcel = NULL;
  g_autofree char *long_note = g_strnfill (RELAIS_MAIL_PARCEL_NOTE_MAX + 1, 'x');
  g_autofree char *too_long = g_strdup_printf ("{\"key\":\"k-note-long\",\"items\":[{\"number\":\"5003\","
                                               "\"kind\":\"parcel\",\"parcel_note\":\"%s\"}]}",
                                               long_note);
  JsonArray       *letters;
  gint64           id;

  add_person ("5003");
  reply = relais_test_call (console, "/mail/batch",
                            json_from_string ("{\"key\":\"k-note\",\"items\":[{\"number\":\"5003\",\"kind\":\"parcel\","
                                              "\"sender\":\"Amazon\",\"parcel_note\":\"grand carton, réserve 2\"}]}",
                                              NULL),
                            &error);
  g_assert_no_error (error);
  letters = json_object_get_array_member (reply, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (letters, 0), "parcel_note"), ==,
                   "grand carton, réserve 2");
  id = json_object_get_int_member (json_array_get_object_element (letters, 0), "id");
  parcel = relais_db_mail_kind_details (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parcel->parcel_note, ==, "grand carton, réserve 2");
  g_assert_cmpuint (waiting ("5003"), ==, 1);

  /* Sent again as it was: the same letter, registered once. */
  again = relais_test_call (console, "/mail/batch",
                            json_from_string ("{\"key\":\"k-note\",\"items\":[{\"number\":\"5003\",\"kind\":\"parcel\","
                                              "\"sender\":\"Amazon\",\"parcel_note\":\"grand carton, réserve 2\"}]}",
                                              NULL),
                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (again, "letters"), 0), "id"),
                   ==, id);
  g_assert_cmpuint (waiting ("5003"), ==, 1);
  /* The same key with another shelf is not the same batch. */
  g_assert_null (relais_test_call (console, "/mail/batch",
                                   json_from_string ("{\"key\":\"k-note\",\"items\":[{\"number\":\"5003\",\"kind\":\"parcel\","
                                                     "\"sender\":\"Amazon\",\"parcel_note\":\"réserve 3\"}]}",
                                                     NULL),
                                   &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A shelf for a letter, a shelf too long, a control character: refused, nothing registered. */
  g_assert_null (relais_test_call (console, "/mail/batch",
                                   json_from_string ("{\"key\":\"k-note-letter\",\"items\":[{\"number\":\"5003\","
                                                     "\"kind\":\"ordinary\",\"parcel_note\":\"étagère\"}]}",
                                                     NULL),
                                   &error));
  g_assert_nonnull (strstr (error->message, "un colis seulement"));
  g_clear_error (&error);
  g_assert_null (relais_test_call (console, "/mail/batch", json_from_string (too_long, NULL), &error));
  g_assert_nonnull (strstr (error->message, "un colis seulement"));
  g_clear_error (&error);
  g_assert_null (relais_test_call (console, "/mail/batch",
                                   json_from_string ("{\"key\":\"k-note-ctl\",\"items\":[{\"number\":\"5003\","
                                                     "\"kind\":\"parcel\",\"parcel_note\":\"a\\nb\"}]}",
                                                     NULL),
                                   &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (waiting ("5003"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  hub = relais_test_hub_new ();
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));

  g_test_add_func ("/mail-kinds/migration", test_migration);
  g_test_add_func ("/mail-kinds/register", test_register);
  g_test_add_func ("/mail-kinds/hand-over", test_hand_over);
  g_test_add_func ("/mail-kinds/figures", test_figures);
  g_test_add_func ("/mail-kinds/register-parcel-note", test_register_parcel_note);
  rc = g_test_run ();

  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
