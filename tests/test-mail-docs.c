/* test-mail-docs.c: a domiciled person's scanned supporting documents
 * (the SANE test backend → PDF → the hub), and the reasons of
 * domiciliation applications in the statistics. */
#include <string.h>

#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"
#include "relais-hub-mail.h"
#include "relais-pdf.h"
#include "relais-scanner.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

static RelaisTestHub *hub;
static RelaisLink    *console;

static void
add_person (const char *number, const char *surname)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) "Anne",
    .birth_date = (char *) "1980-01-02",
    .notify = (char *) "none",
  };

  saved = relais_db_mail_person_save (relais_hub_get_db (hub->hub), &p, &error);
  g_assert_no_error (error);
}

/* A raw transfer runs in a thread: the hub answers on this loop. */
typedef struct {
  const char *method;
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

  t->reply = relais_link_transfer (console, t->method, t->path, t->body, NULL, 16 * 1024 * 1024,
                                   &t->status, &t->error);
  g_atomic_int_set (&t->done, TRUE);
  return NULL;
}

static gboolean
transfer_done (gpointer data)
{
  return g_atomic_int_get (&((Transfer *) data)->done);
}

static GBytes *
transfer (const char *method, const char *path, GBytes *body, long *status)
{
  Transfer t = { method, g_strdup (path), body, NULL, 0, NULL, FALSE };
  GThread *thread = g_thread_new ("transfer", transfer_thread, &t);

  g_assert_true (relais_test_wait (transfer_done, &t));
  g_thread_join (thread);
  g_assert_no_error (t.error);
  g_free (t.path);
  *status = t.status;
  return t.reply;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
count_documents (const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = relais_db_mail_documents (relais_hub_get_db (hub->hub), number, &error);

  g_assert_no_error (error);
  return docs->len;
}

static void
test_scan_and_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisScanner) scanner = relais_scanner_sane_new (NULL, &error);
  RelaisScanOptions options = { RELAIS_SCAN_GRAY, 75, RELAIS_SCAN_SOURCE_DEFAULT };
  g_autoptr(RelaisPage) page = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *path = NULL;
  JsonArray       *docs;
  long             status;

  add_person ("2001", "Martin");
  g_assert_no_error (error);
  /* A small page: libsane-test can hang on a large cancelled scan. */
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "br-x", "20", &error));
  g_assert_true (relais_scanner_sane_set_option_string (scanner, "br-y", "20", &error));
  page = relais_scanner_scan_page (scanner, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (pages, page);
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  g_assert_no_error (error);

  reply = transfer ("POST", "/mail/people/2001/documents?label=identity", pdf, &status);
  g_assert_cmpint (status, ==, 200);
  doc = parse_object (reply);
  g_assert_cmpstr (json_object_get_string_member (doc, "label"), ==, "identity");
  g_assert_cmpint (json_object_get_int_member (doc, "size"), ==, g_bytes_get_size (pdf));
  g_assert_cmpstr (json_object_get_string_member (doc, "added_by"), ==, "Sophie");

  /* Listed for that person, and given back byte for byte. */
  list = relais_test_call (console, "/mail/people/2001/documents", NULL, &error);
  g_assert_no_error (error);
  docs = json_object_get_array_member (list, "documents");
  g_assert_cmpuint (json_array_get_length (docs), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (docs, 0), "id"), ==,
                   json_object_get_int_member (doc, "id"));
  path = g_strdup_printf ("/mail/people/2001/documents/%" G_GINT64_FORMAT, json_object_get_int_member (doc, "id"));
  back = transfer ("GET", path, NULL, &status);
  g_assert_cmpint (status, ==, 200);
  g_assert_true (g_bytes_equal (back, pdf));

  /* Another person's number does not reach it. */
  add_person ("2002", "Petit");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&back, g_bytes_unref);
  path = g_strdup_printf ("/mail/people/2002/documents/%" G_GINT64_FORMAT, json_object_get_int_member (doc, "id"));
  back = transfer ("GET", path, NULL, &status);
  g_assert_cmpint (status, ==, 404);
}

static void
test_refused (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("<html>pas un pdf</html>", 23);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.5\n%%EOF\n", 15);
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *big_data = g_malloc0 (8 * 1024 * 1024 + 1);
  g_autoptr(GBytes) big = NULL;
  long status;

  add_person ("2003", "Roux");
  /* Not a PDF: refused with a message, nothing kept. */
  reply = transfer ("POST", "/mail/people/2003/documents?label=other", text, &status);
  g_assert_cmpint (status, ==, 400);
  g_assert_nonnull (strstr (g_bytes_get_data (reply, NULL), "PDF"));
  g_clear_pointer (&reply, g_bytes_unref);
  /* A label outside the list. */
  reply = transfer ("POST", "/mail/people/2003/documents?label=passeport", pdf, &status);
  g_assert_cmpint (status, ==, 400);
  g_clear_pointer (&reply, g_bytes_unref);
  /* Nobody by that number. */
  reply = transfer ("POST", "/mail/people/9999/documents?label=other", pdf, &status);
  g_assert_cmpint (status, ==, 404);
  g_clear_pointer (&reply, g_bytes_unref);
  /* Past the cap. */
  memcpy (big_data, "%PDF-", 5);
  big = g_bytes_new_take (g_steal_pointer (&big_data), 8 * 1024 * 1024 + 1);
  reply = transfer ("POST", "/mail/people/2003/documents?label=other", big, &status);
  g_assert_cmpint (status, ==, 413);
  g_assert_cmpuint (count_documents ("2003"), ==, 0);
}

static gint64
local_ms (int y, int m, int d, int h)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

static void
decide (const char *number, const char *body, guint expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (body, &error);
  g_autofree char *path = g_strdup_printf ("/mail/people/%s/decision", number);
  g_autoptr(JsonObject) reply = NULL;

  g_assert_no_error (error);
  reply = relais_test_call (console, path, g_steal_pointer (&node), &error);
  if (expected == 200)
    g_assert_no_error (error);
  else
    g_assert_nonnull (error);
}

static void
test_reasons (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) staff = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *reasons;
  gint64      counts[5];

  /* Applications in May 2025, a month no other test touches. */
  relais_hub_mail_set_clock (hub->hub, local_ms (2025, 5, 12, 10));
  add_person ("2010", "Bernard");
  add_person ("2011", "Thomas");
  add_person ("2012", "Robert");
  add_person ("2013", "Richard");
  decide ("2010", "{\"decision\":\"applied\",\"reason\":\"hosted\"}", 200);
  decide ("2011", "{\"decision\":\"applied\",\"reason\":\"hosted\"}", 200);
  decide ("2012", "{\"decision\":\"applied\",\"reason\":\"no-home\"}", 200);
  decide ("2013", "{\"decision\":\"applied\"}", 200);
  /* Categories only, and only with an application: nothing recorded. */
  decide ("2013", "{\"decision\":\"applied\",\"reason\":\"il dort dans sa voiture\"}", 400);
  decide ("2010", "{\"decision\":\"refused\",\"reason\":\"hosted\"}", 400);
  /* A later month does not count in May. */
  relais_hub_mail_set_clock (hub->hub, local_ms (2025, 6, 12, 10));
  decide ("2013", "{\"decision\":\"applied\",\"reason\":\"emergency\"}", 200);
  relais_hub_mail_set_clock (hub->hub, 0);

  g_assert_true (relais_db_mail_reason_counts (relais_hub_get_db (hub->hub), "2025-05-01", "2025-05-31",
                                               counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[0], ==, 1); /* no-home */
  g_assert_cmpint (counts[1], ==, 2); /* hosted */
  g_assert_cmpint (counts[2], ==, 0); /* emergency */
  g_assert_cmpint (counts[3], ==, 0); /* other */
  g_assert_cmpint (counts[4], ==, 1); /* not given */

  staff = relais_link_new (hub->url, hub->console2_token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_test_login (staff, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  stats = relais_test_call (staff, "/stats?from=2025-05-01&to=2025-06-30", NULL, &error);
  g_assert_no_error (error);
  reasons = json_object_get_object_member (json_object_get_object_member (stats, "mail"), "reasons");
  g_assert_nonnull (reasons);
  g_assert_cmpint (json_object_get_int_member (reasons, "hosted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (reasons, "no-home"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (reasons, "emergency"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (reasons, "other"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (reasons, "unknown"), ==, 1);
  relais_link_stop (staff);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  hub = relais_test_hub_new ();
  console = relais_test_console (hub, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);

  g_test_add_func ("/mail-docs/scan-and-store", test_scan_and_store);
  g_test_add_func ("/mail-docs/refused", test_refused);
  g_test_add_func ("/mail-docs/reasons", test_reasons);
  rc = g_test_run ();

  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
