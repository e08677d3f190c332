/* test-station-ui.c: the kiosk under Xvfb with real parts: SANE's test
 * backend, a private cupsd with cups-pdf, the hub on loopback. The thin
 * path: scan → PDF → print → the PDF lands; help → "Vu". */
#include <cups/cups.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <stdlib.h>

#include "relais-test-cups.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-db-help.h"
#include "relais-i18n.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-copy-page.h"
#include "station-help-page.h"
#include "station-print-job.h"
#include "station-scan-page.h"
#include "station-window.h"

/* poppler-glib 22 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static RelaisTestHub   *hub;
static char            *cups_dir;
static StationServices *services;
static StationWindow   *window;
static RelaisLink      *console;

static gboolean
online (gpointer data)
{
  return relais_link_get_state (data) == RELAIS_LINK_ONLINE;
}

static gboolean
scan_page_idle (gpointer page)
{
  return !station_scan_page_is_busy (page);
}

static GtkWidget *
find_progress (GtkWidget *widget)
{
  g_autoptr(GList) children = NULL;

  if (GTK_IS_PROGRESS_BAR (widget))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_progress (l->data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* While a page works for the resident (scan, document made, job sent,
 * printing), something moves on the screen: its bar. Counts the moments
 * it did not. */
typedef struct {
  GtkWidget *page;
  gboolean (*busy) (gpointer page);
  guint still; /* busy, bar hidden */
  guint seen;
} Watch;

static gboolean
idle_watching_progress (gpointer data)
{
  Watch *w = data;

  if (!w->busy (w->page))
    return TRUE;
  w->seen++;
  if (!gtk_widget_is_drawable (find_progress (w->page)))
    w->still++;
  return FALSE;
}

static gboolean
copy_busy (gpointer page)
{
  return station_copy_page_is_busy (page);
}

static gboolean
scan_busy (gpointer page)
{
  return station_scan_page_is_busy (page);
}

static void
test_home (void)
{
  g_autofree char *shot = NULL;

  g_assert_true (relais_test_wait (online, services->link));
  station_window_show_page (window, "home");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-home");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (station_window_get_link_text (window), ==, "● relié");
}

static void
test_scan_and_print (void)
{
  GtkWidget       *page = station_window_get_page (window, "scan");
  g_autofree char *shot = NULL;
  g_autoptr(GObject) doc = NULL;

  g_assert_nonnull (services->scanner);
  g_assert_nonnull (services->printer);
  station_window_show_page (window, "scan");
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (page)), ==, 1);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan");

  station_scan_page_print (STATION_SCAN_PAGE (page));
  {
    Watch w = { page, scan_busy, 0, 0 };

    /* Made, sent, printed: the bar moves all along. */
    g_assert_true (relais_test_wait (idle_watching_progress, &w));
    g_test_message ("busy %u times, %u without a moving bar", w.seen, w.still);
    g_assert_cmpuint (w.seen, >, 0);
    g_assert_cmpuint (w.still, ==, 0);
  }
  g_assert_cmpint (station_scan_page_get_job (STATION_SCAN_PAGE (page)), >, 0);
  g_test_message ("status: %s", station_scan_page_get_status (STATION_SCAN_PAGE (page)));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-printed");

  /* "completed" is no proof: the PDF that landed is. */
  doc = G_OBJECT (relais_test_cupsd_wait_landed (cups_dir, 1));
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (doc)), ==, 1);

  /* Back home, nothing of the document remains in the page. */
  station_scan_page_clear (STATION_SCAN_PAGE (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (STATION_SCAN_PAGE (page)), ==, 0);

  /* "Imprimer", then the session ends before the document is made: it
   * goes nowhere, the next resident finds an idle page. */
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  station_scan_page_print (STATION_SCAN_PAGE (page));
  g_assert_true (station_scan_page_is_busy (STATION_SCAN_PAGE (page)));
  station_scan_page_clear (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpint (station_scan_page_get_job (STATION_SCAN_PAGE (page)), ==, 0);
  g_assert_null (strstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), "imprimante"));
}

static gboolean
hub_has_reason (gpointer reason)
{
  g_autoptr(GPtrArray) open = relais_db_help_list_since (relais_hub_get_db (hub->hub), G_MAXINT64, NULL, NULL);

  for (guint i = 0; open != NULL && i < open->len; i++)
    {
      RelaisHelpRequest *request = g_ptr_array_index (open, i);
      if (g_strcmp0 (request->reason, reason) == 0 && request->origin == RELAIS_HELP_ORIGIN_STATION)
        return TRUE;
    }
  return FALSE;
}

static void
test_jam_calls_for_help (void)
{
  GtkWidget       *page = station_window_get_page (window, "scan");
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;

  station_window_show_page (window, "scan");
  /* A page small enough (5 × 5 mm: 10 kB) for the test backend's reader
   * thread to write it all into its pipe and end before the scan is
   * cancelled. A bigger one leaves it blocked writing: sane_cancel ()
   * closes the pipe, the reader wakes to EPIPE and formats strerror ()
   * (holding the C library's locale lock) just as its asynchronous
   * cancellation lands, and the lock is never released: the process then
   * hangs at exit (seen about once in fifteen runs under load). */
  relais_scanner_sane_set_option_string (services->scanner, "br-x", "5", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-y", "5", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "read-return-value", "SANE_STATUS_JAMMED", &error);
  g_assert_no_error (error);
  station_scan_page_scan (STATION_SCAN_PAGE (page));
  g_assert_true (relais_test_wait (scan_page_idle, page));
  /* The resident reads what to do, and knows someone is coming. */
  g_assert_nonnull (strstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), "coincé"));
  g_assert_nonnull (strstr (station_scan_page_get_status (STATION_SCAN_PAGE (page)), "Un médiateur a été prévenu"));
  g_assert_true (relais_test_wait (hub_has_reason, "scanner-jammed"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scanner-jammed");

  relais_scanner_sane_set_option_string (services->scanner, "read-return-value", "Default", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-x", "80", &error);
  g_assert_no_error (error);
  relais_scanner_sane_set_option_string (services->scanner, "br-y", "100", &error);
  g_assert_no_error (error);
  station_scan_page_clear (STATION_SCAN_PAGE (page));
}

static void
set_scanner (const char *name,
             const char *value)
{
  g_autoptr(GError) error = NULL;

  relais_scanner_sane_set_option_string (services->scanner, name, value, &error);
  g_assert_no_error (error);
}

static void
test_multi_page_print (void)
{
  GtkWidget       *widget = station_window_get_page (window, "scan");
  StationScanPage *page = STATION_SCAN_PAGE (widget);
  g_autofree char *shot = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  RelaisPage *second, *third;
  int         width, height;

  station_window_show_page (window, "scan");
  station_scan_page_clear (page);
  /* Small sheets: the test backend's reader thread finishes each one. */
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  set_scanner ("test-picture", "Color pattern");

  /* "Chargeur": the whole pile in one touch, until the feeder is empty.
   * The test backend counts every scan, glass ones too, against its 10
   * sheets, and refills once it said NO_DOCS: a first batch empties it. */
  station_scan_page_set_options (page, RELAIS_SCAN_COLOR, TRUE, FALSE, 1);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  station_scan_page_clear (page);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 10);
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "10 pages"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan-feeder-10-pages");
  g_clear_pointer (&shot, g_free);

  /* Arrange: turn the 2nd page, move it after the 3rd, drop the last. */
  second = station_scan_page_get_page (page, 1);
  width = relais_page_get_width (second);
  height = relais_page_get_height (second);
  station_scan_page_select (page, 1);
  station_scan_page_rotate (page);
  second = station_scan_page_get_page (page, 1);
  g_assert_cmpint (relais_page_get_width (second), ==, height);
  g_assert_cmpint (relais_page_get_height (second), ==, width);
  station_scan_page_move (page, 1);
  third = station_scan_page_get_page (page, 2);
  g_assert_true (third == second);
  station_scan_page_select (page, 9);
  station_scan_page_delete (page);
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 9);

  /* "Ajouter une page": one more from the glass. */
  station_scan_page_set_options (page, RELAIS_SCAN_GRAY, FALSE, TRUE, 1);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 10);
  /* "Pour un site internet": the final size is said, under the cap. */
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "site internet"));
  g_assert_cmpuint (station_scan_page_get_web_size (page), >, 0);
  g_assert_cmpuint (station_scan_page_get_web_size (page), <=, 2000000);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan-arranged");
  g_clear_pointer (&shot, g_free);

  station_scan_page_set_options (page, RELAIS_SCAN_COLOR, FALSE, FALSE, 1);
  station_scan_page_print (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-scan-printed-10");

  /* The whole document landed: 10 A4 pages, the 3rd the turned one. */
  document = relais_test_cupsd_wait_landed (cups_dir, 2);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 10);
  {
    g_autoptr(PopplerPage) p = poppler_document_get_page (document, 2);
    double w, h;

    poppler_page_get_size (p, &w, &h);
    g_assert_cmpfloat_with_epsilon (w, 595, 2);
    g_assert_cmpfloat_with_epsilon (h, 842, 2);
  }

  set_scanner ("test-picture", "Solid black");
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

static int
job_copies (int job_id)
{
  g_autofree char *uri = g_strdup_printf ("ipp://localhost/jobs/%d", job_id);
  ipp_t           *request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ipp_t           *response;
  ipp_attribute_t *attr;
  int              copies;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "copies");
  response = cupsDoRequest (CUPS_HTTP_DEFAULT, request, "/");
  g_assert_cmpint (cupsLastError (), ==, IPP_STATUS_OK);
  attr = ippFindAttribute (response, "copies", IPP_TAG_INTEGER);
  g_assert_nonnull (attr);
  copies = ippGetInteger (attr, 0);
  ippDelete (response);
  return copies;
}

static void
test_copy (void)
{
  GtkWidget       *widget = station_window_get_page (window, "copy");
  StationCopyPage *page = STATION_COPY_PAGE (widget);
  g_autofree char *shot = NULL;
  g_autoptr(PopplerDocument) document = NULL;

  station_window_show_page (window, "copy");
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  /* One touch: the glass scanned, 2 copies in black and white, and the
   * bar moves until they are printed. */
  station_copy_page_copy (page, 2, FALSE);
  {
    Watch w = { widget, copy_busy, 0, 0 };

    g_assert_true (relais_test_wait (idle_watching_progress, &w));
    g_test_message ("busy %u times, %u without a moving bar", w.seen, w.still);
    g_assert_cmpuint (w.seen, >, 0);
    g_assert_cmpuint (w.still, ==, 0);
  }
  g_test_message ("status: %s", station_copy_page_get_status (page));
  g_assert_cmpint (station_copy_page_get_job (page), >, 0);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-copy");
  /* The job asks for 2 copies; cups-pdf leaves copies to the "printer" and
   * writes the page once (see test-printer's /printer/cups/copies). */
  g_assert_cmpint (job_copies (station_copy_page_get_job (page)), ==, 2);
  document = relais_test_cupsd_wait_landed (cups_dir, 3);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
}

/* Printer-side problems, reported by a real cupsd: the queue is stopped
 * and its printer-state-reasons say media-empty. */
static void
set_queue (gboolean    paused,
           const char *reason)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/printers/relais-pdf", g_getenv ("CUPS_SERVER"));
  const char      *server = g_getenv ("CUPS_SERVER");
  http_t          *http = httpConnect2 ("127.0.0.1", atoi (strrchr (server, ':') + 1), NULL, AF_INET,
                                        HTTP_ENCRYPTION_NEVER, 1, 10000, NULL);
  ipp_t           *request = ippNewRequest (IPP_OP_CUPS_ADD_MODIFY_PRINTER);

  g_assert_nonnull (http);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippAddString (request, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", NULL, reason);
  ippDelete (cupsDoRequest (http, request, "/admin/"));
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  request = ippNewRequest (paused ? IPP_OP_PAUSE_PRINTER : IPP_OP_RESUME_PRINTER);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippDelete (cupsDoRequest (http, request, "/admin/"));
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  httpClose (http);
}

static gboolean
status_mentions_paper (gpointer page)
{
  const char *status = station_scan_page_get_status (page);

  return status != NULL && strstr (status, "plus de papier") != NULL;
}

static void
test_printer_out_of_paper (void)
{
  GtkWidget       *widget = station_window_get_page (window, "scan");
  StationScanPage *page = STATION_SCAN_PAGE (widget);
  g_autofree char *shot = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  guint printed_before;

  station_window_show_page (window, "scan");
  station_scan_page_clear (page);
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));

  set_queue (TRUE, "media-empty-error");
  printed_before = station_session_get_count (services->session, STATION_COUNT_PAGES_PRINTED);
  station_scan_page_print (page);
  /* The resident reads it, and the station calls a mediator by itself. */
  g_assert_true (relais_test_wait (status_mentions_paper, page));
  /* Sent, not printed: the session's log does not count it (yet). */
  g_assert_cmpuint (station_session_get_count (services->session, STATION_COUNT_PAGES_PRINTED), ==, printed_before);
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "Un médiateur a été prévenu"));
  g_assert_true (relais_test_wait (hub_has_reason, "printer-media-empty"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-printer-no-paper");

  /* Paper put back: the job goes through, and now counts as printed. */
  set_queue (FALSE, "none");
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpuint (station_session_get_count (services->session, STATION_COUNT_PAGES_PRINTED), ==, printed_before + 1);
  document = relais_test_cupsd_wait_landed (cups_dir, 4);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

/* A connection to the private cupsd, for the test's own IPP requests. */
static http_t *
cupsd_connect (void)
{
  const char *server = g_getenv ("CUPS_SERVER");
  http_t     *http = httpConnect2 ("127.0.0.1", atoi (strrchr (server, ':') + 1), NULL, AF_INET,
                                   HTTP_ENCRYPTION_NEVER, 1, 10000, NULL);

  g_assert_nonnull (http);
  return http;
}

/* New jobs wait on the queue ("indefinite") until released, so that the
 * print server can die with a job accepted and not yet printed. */
static void
set_hold_new_jobs (gboolean hold)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/printers/relais-pdf", g_getenv ("CUPS_SERVER"));
  http_t          *http = cupsd_connect ();
  ipp_t           *request = ippNewRequest (IPP_OP_CUPS_ADD_MODIFY_PRINTER);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippAddString (request, IPP_TAG_PRINTER, IPP_TAG_NAME, "job-hold-until-default", NULL,
                hold ? "indefinite" : "no-hold");
  ippDelete (cupsDoRequest (http, request, "/admin/"));
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  httpClose (http);
}

/* Release-Job, or Cancel-Job with purge-job (gone from the history too). */
static void
job_request (ipp_op_t op,
             int      job_id)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/jobs/%d", g_getenv ("CUPS_SERVER"), job_id);
  http_t          *http = cupsd_connect ();
  ipp_t           *request = ippNewRequest (op);

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  if (op == IPP_OP_CANCEL_JOB)
    ippAddBoolean (request, IPP_TAG_OPERATION, "purge-job", 1);
  ippDelete (cupsDoRequest (http, request, "/jobs/"));
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  httpClose (http);
}

/* Every job the print server knows, finished ones included. */
static int
count_jobs (void)
{
  g_autofree char *uri = g_strdup_printf ("ipp://%s/printers/relais-pdf", g_getenv ("CUPS_SERVER"));
  http_t          *http = cupsd_connect ();
  ipp_t           *request = ippNewRequest (IPP_OP_GET_JOBS);
  ipp_t           *response;
  int              n = 0;

  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "root");
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL, "all");
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "job-id");
  response = cupsDoRequest (http, request, "/");
  g_assert_cmpint (cupsLastError (), <, IPP_STATUS_REDIRECTION_OTHER_SITE);
  for (ipp_attribute_t *attr = ippFindAttribute (response, "job-id", IPP_TAG_INTEGER); attr != NULL;
       attr = ippFindNextAttribute (response, "job-id", IPP_TAG_INTEGER))
    n++;
  ippDelete (response);
  httpClose (http);
  return n;
}

static gboolean
status_has (gpointer words)
{
  const char *status = station_scan_page_get_status (STATION_SCAN_PAGE (station_window_get_page (window, "scan")));

  return status != NULL && strstr (status, words) != NULL;
}

/* The print server dies with the resident's job accepted, not printed. */
static int
print_then_kill_cupsd (StationScanPage *page)
{
  int job;

  station_window_show_page (window, "scan");
  station_scan_page_clear (page);
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  set_hold_new_jobs (TRUE);
  station_scan_page_print (page);
  g_assert_true (relais_test_wait (status_has, "en attente"));
  job = station_scan_page_get_job (page);
  g_assert_cmpint (job, >, 0);

  relais_test_cupsd_kill (cups_dir);
  /* A sentence that says what happens, and a mediator called by the
   * station itself: nobody has to go and find one. */
  g_assert_true (relais_test_wait (status_has, "ne répond plus"));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "Un médiateur a été prévenu"));
  g_assert_null (strstr (station_scan_page_get_status (page), "prévenez"));
  g_assert_true (relais_test_wait (hub_has_reason, "printer-unreachable"));
  return job;
}

static void
test_print_server_dies (void)
{
  StationScanPage *page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  g_autofree char *shot = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  int jobs, job;

  jobs = count_jobs ();
  job = print_then_kill_cupsd (page);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-print-server-down");
  /* "Imprimer" touched again while the server is down, and once it is
   * back: the job it had accepted prints, nothing is sent twice. */
  station_scan_page_print (page);
  relais_test_cupsd_revive (cups_dir);
  g_assert_true (relais_test_wait (status_has, "en attente"));
  station_scan_page_print (page);
  g_assert_cmpint (station_scan_page_get_job (page), ==, job);
  g_assert_cmpint (count_jobs (), ==, jobs + 1);

  set_hold_new_jobs (FALSE);
  job_request (IPP_OP_RELEASE_JOB, job);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "C'est imprimé"));
  document = relais_test_cupsd_wait_landed (cups_dir, 5);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  g_assert_cmpint (count_jobs (), ==, jobs + 1);
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

/* The print server comes back without the job (lost with it): the
 * resident is told, and printing again prints it once. */
static void
test_print_server_loses_job (void)
{
  StationScanPage *page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  g_autoptr(PopplerDocument) document = NULL;
  int job;

  job = print_then_kill_cupsd (page);
  relais_test_cupsd_revive (cups_dir);
  job_request (IPP_OP_CANCEL_JOB, job);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "pas été imprimé"));

  set_hold_new_jobs (FALSE);
  station_scan_page_print (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_cmpint (station_scan_page_get_job (page), >, job);
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "C'est imprimé"));
  document = relais_test_cupsd_wait_landed (cups_dir, 6);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

static void
seen_cb (RelaisLink *link, RelaisHelpRequest *request, gpointer data)
{
  if (request->state == RELAIS_HELP_STATE_RAISED)
    relais_link_help_action_async (link, request->id, "seen", NULL, NULL, NULL);
}

static gboolean
help_seen (gpointer page)
{
  return g_strcmp0 (station_help_page_get_state (page), "seen") == 0;
}

static void
test_help_seen (void)
{
  GtkWidget       *page = station_window_get_page (window, "help");
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;

  station_window_show_page (window, "help");
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-choose");
  g_clear_pointer (&shot, g_free);

  /* A console that marks what it displays as seen, as the real one does. */
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (console, "help-changed", G_CALLBACK (seen_cb), NULL);
  g_assert_true (relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  relais_link_start (console);

  g_assert_nonnull (station_help_page_raise (STATION_HELP_PAGE (page), "scanner"));
  g_assert_true (relais_test_wait (help_seen, page));
  g_assert_nonnull (strstr (station_help_page_get_status (STATION_HELP_PAGE (page)), "Vu"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-seen");
  relais_link_stop (console);
  g_clear_object (&console);
}

static gboolean
offline (gpointer data)
{
  return relais_link_get_state (data) == RELAIS_LINK_OFFLINE;
}

static void
test_help_offline (void)
{
  GtkWidget       *page = station_window_get_page (window, "help");
  g_autofree char *shot = NULL;

  relais_test_hub_stop (hub);
  g_assert_true (relais_test_wait (offline, services->link));
  g_assert_nonnull (station_help_page_raise (STATION_HELP_PAGE (page), "printer"));
  /* An answer at once, never a void. */
  g_assert_cmpstr (station_help_page_get_status (STATION_HELP_PAGE (page)), ==,
                   "La console des médiateurs ne répond pas : adressez-vous à l'accueil.");
  g_assert_cmpint (relais_link_get_pending (services->link), ==, 1);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-help-offline");
}

static void
test_identity_card (void)
{
  StationScanPage *page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  g_autofree char *shot = NULL;
  RelaisPage      *sheet;
  double           mm_per_pixel;

  /* An identity card on the glass: 86 × 54 mm. */
  station_window_show_page (window, "scan");
  station_scan_page_clear (page);
  set_scanner ("br-x", "86");
  set_scanner ("br-y", "54");
  station_scan_page_set_card (page, TRUE);

  /* The front: kept aside, the resident told to turn the card over. */
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_test_message ("status: %s", station_scan_page_get_status (page));
  g_assert_true (station_scan_page_has_card_front (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 0);
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "Retournez la carte"));
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-card-front");

  /* The back: both sides on one page, the front above, at real size. */
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_false (station_scan_page_has_card_front (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 1);
  sheet = station_scan_page_get_page (page, 0);
  mm_per_pixel = 25.4 / relais_page_get_dpi (sheet);
  g_test_message ("card sheet: %d × %d pixels at %d dpi", relais_page_get_width (sheet),
                  relais_page_get_height (sheet), relais_page_get_dpi (sheet));
  g_assert_cmpfloat_with_epsilon (relais_page_get_width (sheet) * mm_per_pixel, 86, 2);
  g_assert_cmpfloat_with_epsilon (relais_page_get_height (sheet) * mm_per_pixel, 54 + 10 + 54, 3);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "station-card-both-sides");

  /* Leaving the card mode forgets a front scanned alone. */
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_true (station_scan_page_has_card_front (page));
  station_scan_page_set_card (page, FALSE);
  g_assert_false (station_scan_page_has_card_front (page));
  g_assert_cmpuint (station_scan_page_get_n_pages (page), ==, 1);

  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

/* What a page sees of a StationPrintJob. */
typedef struct {
  char    *status;
  gboolean offered;
  gboolean sent;
  gboolean finished;
} JobSeen;

static void
job_status_cb (StationPrintJob *job,
               const char      *css_class,
               const char      *text,
               JobSeen         *seen)
{
  g_free (seen->status);
  seen->status = g_strdup (text);
}

static void
job_offer_help_cb (StationPrintJob *job,
                   gboolean         offer,
                   JobSeen         *seen)
{
  seen->offered = offer;
}

static void
job_sent_cb (StationPrintJob *job,
             int              id,
             JobSeen         *seen)
{
  seen->sent = TRUE;
}

static void
job_finished_cb (StationPrintJob *job,
                 JobSeen         *seen)
{
  seen->finished = TRUE;
}

/* [printer] session-page-cap, for every page alike (the safe page too,
 * which once skipped it): refused before anything is sent, in the
 * resident's words, with the "call a mediator" button offered. */
static void
test_print_job_cap (void)
{
  guint            sent = station_session_get_sent (services->session);
  g_autofree char *cap = g_strdup_printf ("%u", sent + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(StationPrintJob) job = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n", 9);
  JobSeen seen = { 0 };

  relais_config_set (services->config, "printer", "session-page-cap", cap);
  g_assert_true (station_print_job_check (services, 1, NULL));
  g_assert_false (station_print_job_check (services, 2, &error));
  g_assert_error (error, STATION_PRINT_JOB_ERROR, STATION_PRINT_JOB_ERROR_CAP);

  job = station_print_job_new (services, STATION_COUNT_PAGES_PRINTED, 2);
  g_signal_connect (job, "status", G_CALLBACK (job_status_cb), &seen);
  g_signal_connect (job, "offer-help", G_CALLBACK (job_offer_help_cb), &seen);
  g_signal_connect (job, "sent", G_CALLBACK (job_sent_cb), &seen);
  g_signal_connect (job, "finished", G_CALLBACK (job_finished_cb), &seen);
  station_print_job_start (job, pdf, "application/pdf", "cap", NULL);
  g_assert_true (seen.finished);
  g_assert_true (seen.offered);
  g_assert_false (seen.sent);
  g_assert_cmpstr (seen.status, ==, error->message);
  g_assert_cmpint (station_print_job_get_id (job), ==, 0);
  g_assert_cmpuint (station_session_get_sent (services->session), ==, sent);

  relais_config_set (services->config, "printer", "session-page-cap", "0");
  g_free (seen.status);
}

/* A pile from the feeder, printed as it came: the PDF written while the
 * sheets were scanned (RelaisPdfWriter) is the one that lands, whole. */
static void
test_feeder_print_streamed (void)
{
  StationScanPage *page = STATION_SCAN_PAGE (station_window_get_page (window, "scan"));
  g_autoptr(PopplerDocument) document = NULL;
  guint n;

  station_window_show_page (window, "scan");
  station_scan_page_clear (page);
  set_scanner ("br-x", "40");
  set_scanner ("br-y", "56");
  station_scan_page_set_options (page, RELAIS_SCAN_GRAY, TRUE, FALSE, 1);
  station_scan_page_scan (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  /* The test backend's feeder was empty: it refills once it said so. */
  if (station_scan_page_get_n_pages (page) == 0)
    {
      station_scan_page_scan (page);
      g_assert_true (relais_test_wait (scan_page_idle, page));
    }
  n = station_scan_page_get_n_pages (page);
  g_test_message ("feeder: %u pages; %s", n, station_scan_page_get_status (page));
  g_assert_cmpuint (n, >, 1);

  station_scan_page_print (page);
  g_assert_true (relais_test_wait (scan_page_idle, page));
  g_assert_nonnull (strstr (station_scan_page_get_status (page), "C'est imprimé"));
  document = relais_test_cupsd_wait_landed (cups_dir, 7);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, (int) n);
  set_scanner ("br-x", "80");
  set_scanner ("br-y", "100");
  station_scan_page_clear (page);
}

int
main (int argc, char **argv)
{
  int rc;

  relais_test_ui_init (&argc, &argv, TRUE);

  cups_dir = relais_test_cupsd_start ();
  hub = relais_test_hub_new ();

  services = relais_test_station_services_new (hub, (const char * const[]) { "scanner", "device", "test:0", NULL });
  window = relais_test_station_window_new (services);
  relais_link_start (services->link);

  g_test_add_func ("/station-ui/home", test_home);
  g_test_add_func ("/station-ui/scan-and-print", test_scan_and_print);
  g_test_add_func ("/station-ui/jam-calls-for-help", test_jam_calls_for_help);
  g_test_add_func ("/station-ui/multi-page-print", test_multi_page_print);
  g_test_add_func ("/station-ui/copy", test_copy);
  g_test_add_func ("/station-ui/identity-card", test_identity_card);
  g_test_add_func ("/station-ui/printer-out-of-paper", test_printer_out_of_paper);
  g_test_add_func ("/station-ui/print-server-dies", test_print_server_dies);
  g_test_add_func ("/station-ui/print-server-loses-job", test_print_server_loses_job);
  g_test_add_func ("/station-ui/print-job-cap", test_print_job_cap);
  g_test_add_func ("/station-ui/feeder-print-streamed", test_feeder_print_streamed);
  g_test_add_func ("/station-ui/help-seen", test_help_seen);
  g_test_add_func ("/station-ui/help-offline", test_help_offline);
  rc = g_test_run ();

  relais_test_station_free (window, services);
  relais_test_hub_free (hub);
  relais_test_cupsd_stop (cups_dir);
  return rc;
}
