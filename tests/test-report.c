/* test-report.c: the staff's CSV and XLSX tables and monthly PDF report, from the
 * real hub's statistics. */
#include <glib/gstdio.h>
#include <poppler.h>

/* poppler-glib 22.02 defines no autoptr for its page type. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

#include "mediator-report.h"
#include "mediator-report-outcomes.h"
#include "relais-db-help.h"
#include "mediator-annual.h"
#include "relais-db-mail.h"
#include "relais-db-private.h"
#include "relais-mail-records.h"
#include "relais-db-stats.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"
#include "relais-test-xlsx.h"

static RelaisTestHub   *hub;
static RelaisLink      *console;
static RelaisSiteStats *march;
static RelaisSiteStats *february;

/* The hub's answer, read as the dashboard reads it. */
static RelaisSiteStats *
get_stats (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_test_call (console, path, NULL, &error);
  RelaisSiteStats *stats;

  g_assert_no_error (error);
  stats = relais_site_stats_from_reply (reply, &error);
  g_assert_no_error (error);
  return stats;
}

static gboolean
online (gpointer link)
{
  return relais_link_get_state (link) == RELAIS_LINK_ONLINE;
}

/* A month of activity for two stations, written as the hub records it. */
static void
fill (void)
{
  RelaisDb                 *db = relais_hub_get_db (hub->hub);
  static const char * const categories[] = { "website", "printer", "scanner", "mail" };
  g_autoptr(GError) error = NULL;

  for (int day = 1; day <= 31; day++)
    for (int i = 0; i < day % 5 + 1; i++)
      {
        g_autoptr(GDateTime) when = g_date_time_new_local (2026, day <= 28 && i == 0 ? 2 : 3,
                                                            MIN (day, 28), 9 + (i * 3 + day) % 8, 0, 0);
        g_autofree char  *key = g_strdup_printf ("s-%d-%d", day, i);
        RelaisSessionHelp help = { categories[(day + i) % 4], 30, 120, 600 };
        RelaisSessionLog  log = { g_date_time_to_unix (when) * 1000, 240 + 60 * i, i % 3 ? "fr" : "ar", "button",
                                  i + 1, 2 * i, i % 2, 0, 0, 1, i % 2, &help };
        RelaisEventInfo   info = { key, "station:poste-1", "session.end", log.started_at, "{}" };
        gboolean          duplicate = FALSE;

        g_assert_true (relais_db_stats_record_session (db, &info, i % 2 ? "poste-1" : "poste-2",
                                                       &log, &duplicate, &error));
        g_assert_no_error (error);
      }
}

/* What resolved help requests were about (issue 16), as the hub counts
 * them when a mediator resolves one: March has 8, February 1. */
static void
fill_outcomes (void)
{
  RelaisDb *db = relais_hub_get_db (hub->hub);
  static const struct {
    const char       *month;
    RelaisHelpOutcome said;
    int               times;
  } known[] = {
    { "2026-03", { "caf", "ensemble", NULL }, 3 },
    { "2026-03", { "caf", "oriente", "CAF" }, 1 },
    { "2026-03", { "logement", "oriente", "Mission locale" }, 2 },
    { "2026-03", { "sante", "droit-ouvert", NULL }, 1 },
    { "2026-03", { NULL, NULL, NULL }, 1 },
    { "2026-02", { "emploi", "rendez-vous", NULL }, 1 },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    for (int n = 0; n < known[i].times; n++)
      {
        g_autofree char *id = g_strdup_printf ("r-%u-%d", i, n);

        g_assert_true (relais_db_help_record_outcome (db, id, known[i].month, &known[i].said, &error));
        g_assert_no_error (error);
      }
}

#define BOM "\xEF\xBB\xBF"

/* The sum of @column over the data rows (not the header, not the last
 * "Total" row), the total row's own cell in @total. */
static gint64
csv_column_sum (GBytes *csv, guint column, guint *n_rows, gint64 *total)
{
  const char *text = g_bytes_get_data (csv, NULL);
  g_auto(GStrv) lines = NULL;
  gint64 sum = 0;
  guint  n;

  g_assert_true (g_str_has_prefix (text, BOM));
  lines = g_strsplit (text + strlen (BOM), "\r\n", -1);
  n = g_strv_length (lines);
  /* header, rows, "Total", and the empty string after the last CRLF */
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_true (g_str_has_prefix (lines[n - 2], "Total;"));
  *n_rows = 0;
  for (guint i = 1; i < n - 1; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (cells), >, column);
      if (i == n - 2)
        *total = g_ascii_strtoll (cells[column], NULL, 10);
      else
        {
          sum += g_ascii_strtoll (cells[column], NULL, 10);
          (*n_rows)++;
        }
    }
  return sum;
}

static void
test_csv_equals_dashboard (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) days = mediator_report_csv (march, "days", &error);
  g_autoptr(GBytes) stations = mediator_report_csv (march, "stations", &error);
  g_autoptr(GBytes) help = mediator_report_csv (march, "help", &error);
  g_autoptr(GBytes) mail = mediator_report_csv (march, "mail", &error);
  /* What the hub's database has, not what was read from its answer. */
  g_autoptr(RelaisStats) truth = NULL;
  const RelaisStatsRow *totals;
  guint                 rows = 0;
  gint64                total = -1;

  g_assert_no_error (error);
  truth = relais_db_stats_query (relais_hub_get_db (hub->hub), "2026-03-01", "2026-03-31", NULL, &error);
  g_assert_no_error (error);
  totals = &truth->totals;
  g_assert_cmpint (totals->sessions, >, 0);
  /* A French spreadsheet opens it as it is: BOM, ';', French headers. */
  g_assert_true (g_str_has_prefix (g_bytes_get_data (days, NULL),
                                   BOM "Jour;Sessions;Durée (s);Pages numérisées;Pages imprimées;Photocopies;"
                                       "Enregistrés sur clé USB;Mis au coffre-fort;Consultations du courrier;"
                                       "Demandes d’aide\r\n"));
  g_assert_cmpint (csv_column_sum (days, 1, &rows, &total), ==, totals->sessions);
  g_assert_cmpint (total, ==, totals->sessions);
  g_assert_cmpuint (rows, ==, truth->days->len);
  g_assert_cmpint (csv_column_sum (days, 4, &rows, &total), ==, totals->pages_printed);
  g_assert_cmpint (total, ==, totals->pages_printed);
  g_assert_cmpint (csv_column_sum (stations, 1, &rows, &total), ==, totals->sessions);
  g_assert_cmpuint (rows, ==, 2);
  g_assert_cmpint (csv_column_sum (help, 1, &rows, &total), ==, totals->help_requests);
  g_assert_cmpint (total, ==, totals->help_requests);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (mail, NULL),
                                   BOM "Courriers enregistrés;Courriers remis;Courriers retournés;"
                                       "Relances envoyées;Délai moyen avant remise (jours)\r\n"));

  /* An unknown table is a clear error. */
  g_assert_null (mediator_report_csv (march, "people", &error));
  g_assert_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_TABLE);
}

static void
test_csv_quotes (void)
{
  g_autoptr(RelaisSiteStats) stats = relais_site_stats_new ();
  RelaisStatsRow *row = relais_stats_row_new ("Accueil; \"rez\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;

  row->sessions = 3;
  g_ptr_array_add (stats->stations, row);
  stats->mail = g_new0 (RelaisStatsMail, 1);
  stats->mail->registered = 1234;
  stats->mail->avg_days = 2.25;
  csv = mediator_report_csv (stats, "stations", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (csv, NULL), "\r\n\"Accueil; \"\"rez\"\"\";3;"));
  /* A comma needs no quotes with ';' between cells. */
  g_clear_pointer (&csv, g_bytes_unref);
  relais_stats_row_free (g_ptr_array_steal_index (stats->stations, 0));
  g_ptr_array_add (stats->stations, relais_stats_row_new ("Accueil, rez"));
  csv = mediator_report_csv (stats, "stations", &error);
  g_assert_nonnull (strstr (g_bytes_get_data (csv, NULL), "\r\nAccueil, rez;0;"));
  /* Decimal comma, whatever the C library's locale. */
  g_clear_pointer (&csv, g_bytes_unref);
  csv = mediator_report_csv (stats, "mail", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (csv, NULL), "\r\n1234;0;0;0;2,2\r\n")
                        ?: strstr (g_bytes_get_data (csv, NULL), "\r\n1234;0;0;0;2,3\r\n"));
  g_assert_null (strstr (g_bytes_get_data (csv, NULL), "2.2"));
}

/* The dashboard's tables as a workbook, read back from its sheets' XML:
 * French headers, numbers as numbers, the totals the dashboard's. */
static void
test_xlsx_equals_dashboard (void)
{
  g_autofree char *path = relais_test_artifact_path ("tableau-de-bord.xlsx");
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) mediator_table_free);
  g_autoptr(RelaisStats) truth = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  for (guint i = 0; mediator_report_tables[i] != NULL; i++)
    {
      g_ptr_array_add (tables, mediator_report_table (march, mediator_report_tables[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (mediator_export_xlsx ((const MediatorTable * const *) tables->pdata, tables->len, path, &error));
  g_assert_no_error (error);
  truth = relais_db_stats_query (relais_hub_get_db (hub->hub), "2026-03-01", "2026-03-31", NULL, &error);
  g_assert_no_error (error);

  names = relais_test_xlsx_sheet_names (path);
  g_assert_cmpuint (g_strv_length (names), ==, 6);
  g_assert_cmpstr (names[0], ==, "Par jour");
  g_assert_cmpstr (names[2], ==, "Demandes d’aide");
  g_assert_cmpstr (names[4], ==, "Courrier");
  {
    g_autoptr(GHashTable) days = relais_test_xlsx_read_sheet (path, 1);
    guint  last = truth->days->len + 2; /* header, the days, the total */
    gint64 sum = 0;

    g_assert_cmpstr (relais_test_xlsx_cell (days, 0, 1), ==, "Jour");
    g_assert_cmpstr (relais_test_xlsx_cell (days, 1, 1), ==, "Sessions");
    g_assert_cmpstr (relais_test_xlsx_cell (days, 4, 1), ==, "Pages imprimées");
    for (guint row = 2; row < last; row++)
      sum += g_ascii_strtoll (relais_test_xlsx_cell (days, 1, row), NULL, 10);
    g_assert_cmpint (sum, ==, truth->totals.sessions);
    g_assert_cmpstr (relais_test_xlsx_cell (days, 0, last), ==, "Total");
    g_assert_cmpint (g_ascii_strtoll (relais_test_xlsx_cell (days, 1, last), NULL, 10), ==, truth->totals.sessions);
    g_assert_cmpint (g_ascii_strtoll (relais_test_xlsx_cell (days, 4, last), NULL, 10), ==,
                     truth->totals.pages_printed);
    g_assert_null (relais_test_xlsx_cell (days, 0, last + 1));
  }
  {
    g_autoptr(GHashTable) help = relais_test_xlsx_read_sheet (path, 3);
    guint last = march->help->len + 2;

    g_assert_cmpstr (relais_test_xlsx_cell (help, 0, 1), ==, "Catégorie");
    g_assert_cmpstr (relais_test_xlsx_cell (help, 0, last), ==, "Total");
    g_assert_cmpint (g_ascii_strtoll (relais_test_xlsx_cell (help, 1, last), NULL, 10), ==,
                     truth->totals.help_requests);
  }
  {
    g_autoptr(GHashTable) mail = relais_test_xlsx_read_sheet (path, 5);

    g_assert_cmpstr (relais_test_xlsx_cell (mail, 0, 1), ==, "Courriers enregistrés");
    g_assert_nonnull (march->mail);
    g_assert_cmpint (g_ascii_strtoll (relais_test_xlsx_cell (mail, 0, 2), NULL, 10), ==, march->mail->registered);
  }

  /* An unwritable place: a clear error. */
  g_assert_false (mediator_export_xlsx ((const MediatorTable * const *) tables->pdata, tables->len,
                                        "/nonexistent/dir/t.xlsx", &error));
  g_assert_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE);
}

/* An answer that is not the hub's figures is refused whole, naming the
 * member, never drawn half read. */
static void
test_stats_refused (void)
{
  static const struct {
    const char *json;
    const char *member;
  } bad[] = {
    { "{}", "from" },
    { "{\"from\":\"2026-03-01\"}", "to" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"totals\":[]}", "totals" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"totals\":{\"sessions\":\"12\"}}", "sessions" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"days\":[{\"sessions\":1}]}", "day" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"help\":[{\"category\":\"mail\",\"avg_seen_s\":true}]}", "avg_seen_s" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"heat\":[[1,\"x\"]]}", "heat" },
    { "{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"mail\":{\"reasons\":{\"hosted\":\"2\"}}}", "hosted" },
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"from\":\"2026-03-01\",\"to\":\"2026-03-31\","
                                                "\"help\":[{\"category\":\"mail\",\"requests\":2,\"avg_seen_s\":null}]}",
                                                NULL);
  g_autoptr(RelaisSiteStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    relais_test_assert_refused ((RelaisTestReader) relais_site_stats_from_reply, bad[i].json, bad[i].member);
  /* No delay yet is said as none, not as 0 s; a short answer is empty. */
  stats = relais_site_stats_from_reply (json_node_get_object (good), &error);
  g_assert_no_error (error);
  g_assert_cmpint (((RelaisStatsHelpLine *) g_ptr_array_index (stats->help, 0))->avg_seen_s, ==, -1);
  g_assert_cmpuint (stats->days->len, ==, 0);
  g_assert_null (stats->mail);
  g_assert_cmpstr (stats->site, ==, "Relais");
}

/* Columns of ink right of the margin on @page, drawn at 1 px per point. */
static int
ink_past (PopplerPage *page,
          double       margin_x)
{
  double           width, height;
  cairo_surface_t *surface;
  cairo_t         *cr;
  int              found = 0;

  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + y * cairo_image_surface_get_stride (surface));

      for (int x = (int) margin_x + 2; x < cairo_image_surface_get_width (surface); x++)
        if ((row[x] & 0xffffff) != 0xffffff)
          found = MAX (found, x - (int) margin_x);
    }
  cairo_surface_destroy (surface);
  return found;
}

/* The rectangle of the first @text on @page, FALSE when absent. */
static gboolean
find_text (PopplerPage      *page,
           const char       *text,
           PopplerRectangle *rect)
{
  GList *found = poppler_page_find_text (page, text);

  if (found == NULL)
    return FALSE;
  *rect = *(PopplerRectangle *) found->data;
  g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
  return TRUE;
}

/* The report's layout, as a reader sees it: nothing on top of anything,
 * nothing past the right margin, French numbers, the site's own name,
 * every printed page (photocopies too). */
static void
test_pdf_layout (void)
{
  g_autofree char *path = relais_test_artifact_path ("rapport-mensuel-site.pdf");
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = NULL;
  g_autoptr(RelaisSiteStats) stats = NULL;
  const char           *site;
  const RelaisStatsRow *totals = &march->totals;
  g_autofree char      *printed = g_strdup_printf ("%" G_GINT64_FORMAT, totals->pages_printed + totals->copies);

  /* The hub says the site's name, as configured. */
  relais_hub_set_site_name (hub->hub, "Espace Solidarité Nord — Villeneuve-Saint-Germain-des-Prés");
  stats = get_stats ("/stats?from=2026-03-01&to=2026-03-31");
  site = stats->site;
  g_assert_cmpstr (site, ==, "Espace Solidarité Nord — Villeneuve-Saint-Germain-des-Prés");
  g_assert_cmpint (totals->copies, >, 0);

  g_assert_true (mediator_report_pdf (stats, february, site, path, &error));
  g_assert_no_error (error);
  doc = G_OBJECT (poppler_document_new_from_file (uri, NULL, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (POPPLER_DOCUMENT (doc), i);
      g_autofree char *text = poppler_page_get_text (page);
      int              past = ink_past (page, 595.28 - 56.7);

      g_test_message ("page %d: ink %d pt past the right margin", i + 1, past);
      g_assert_cmpint (past, ==, 0);
      if (i == 0)
        {
          PopplerRectangle title = { 0 }, period = { 0 };

          g_assert_nonnull (strstr (text, "Espace Solidarité Nord"));
          g_assert_true (find_text (page, "tableau de bord", &title));
          g_assert_true (find_text (page, "Du 01/03/2026 au 31/03/2026", &period));
          /* poppler's rectangles run from the page's bottom. */
          g_test_message ("title y %.1f–%.1f, period y %.1f–%.1f", title.y1, title.y2, period.y1, period.y2);
          g_assert_cmpfloat (period.y2, <=, title.y1);
          /* « Pages imprimées »: documents and photocopies. */
          g_assert_nonnull (strstr (text, printed));
        }
      else
        {
          g_assert_nonnull (strstr (text, "0,0 jours"));
          g_assert_null (strstr (text, "0.0 jours"));
        }
    }
  {
    g_autofree char *png = relais_test_artifact_path ("rapport-mensuel-site");
    g_autofree char *command = g_strdup_printf ("pdftoppm -png -r 70 %s %s", path, png);

    /* Pictures of both pages, to look at (pdftoppm is in poppler-utils). */
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
}

static void
test_pdf_report (void)
{
  g_autofree char *path = relais_test_artifact_path ("rapport-mensuel.pdf");
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *png = relais_test_artifact_path ("rapport-mensuel-page1.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = NULL;
  double width = 0, height = 0;

  g_assert_true (mediator_report_pdf (march, february, "MDS Centre", path, &error));
  g_assert_no_error (error);
  doc = G_OBJECT (poppler_document_new_from_file (uri, NULL, &error));
  g_assert_no_error (error);
  /* A third page: what the help requests were about (issue 16). */
  g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (doc)), ==, 3);
  {
    g_autoptr(PopplerPage) third = poppler_document_get_page (POPPLER_DOCUMENT (doc), 2);
    g_autofree char *text3 = poppler_page_get_text (third);

    g_assert_nonnull (strstr (text3, "Ce que les demandes d'aide concernaient"));
    g_assert_nonnull (strstr (text3, "8 demandes résolues"));
    /* (poppler may give the no-break space back as a plain one) */
    g_assert_true (strstr (text3, "Mission locale\u00a02") != NULL || strstr (text3, "Mission locale 2") != NULL);
  }
  {
    g_autoptr(PopplerPage) page = poppler_document_get_page (POPPLER_DOCUMENT (doc), 0);
    g_autoptr(PopplerPage) second = poppler_document_get_page (POPPLER_DOCUMENT (doc), 1);
    g_autofree char *text = poppler_page_get_text (page);
    g_autofree char *text2 = poppler_page_get_text (second);
    cairo_surface_t *surface;
    cairo_t         *cr;

    poppler_page_get_size (page, &width, &height);
    g_assert_cmpfloat_with_epsilon (width, 595.28, 1);
    g_assert_cmpfloat_with_epsilon (height, 841.89, 1);
    g_assert_nonnull (strstr (text, "MDS Centre"));
    g_assert_nonnull (strstr (text, "Séances"));
    g_assert_nonnull (strstr (text2, "Site internet"));
    /* The mail desk's figures come with the hub's statistics. */
    g_assert_nonnull (strstr (text2, "Courrier des personnes domiciliées"));
    g_assert_nonnull (strstr (text2, "Demandes de domiciliation"));
    /* Keep a picture of the first page, to look at. */
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
    cr = cairo_create (surface);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    poppler_page_render (page, cr);
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);
  }

  /* An unwritable place: a clear error, nothing half-written. */
  g_assert_false (mediator_report_pdf (march, NULL, "MDS", "/nonexistent/dir/rapport.pdf", &error));
  g_assert_error (error, MEDIATOR_REPORT_ERROR, MEDIATOR_REPORT_ERROR_WRITE);
  g_assert_false (g_file_test ("/nonexistent/dir/rapport.pdf.part", G_FILE_TEST_EXISTS));
}

/* The dashboard's and report's words for the known month, the CSV's
 * figures, and an answer with a malformed line refused by name. */
static void
test_outcomes (void)
{
  g_autofree char *text = mediator_report_outcomes_text (march);
  g_autofree char *none = mediator_report_outcomes_text (february);
  g_autoptr(RelaisSiteStats) empty = relais_site_stats_new ();
  g_autofree char *nothing = mediator_report_outcomes_text (empty);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = mediator_report_csv (march, "outcomes", &error);
  guint  rows = 0;
  gint64 total = -1;

  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==,
                   "03/2026 — 8 demandes résolues\n"
                   "Besoins : CAF\u00a04, Santé / CPAM\u00a01, Logement\u00a02, non précisé\u00a01\n"
                   "Résultats : Fait ensemble\u00a03, Orienté vers…\u00a03 (CAF\u00a01, Mission locale\u00a02), Droit ouvert\u00a01, "
                   "non précisé\u00a01");
  /* Only the months of the period. */
  g_assert_cmpstr (none, ==,
                   "02/2026 — 1 demande résolue\n"
                   "Besoins : Emploi\u00a01\n"
                   "Résultats : Rendez-vous pris\u00a01");
  g_assert_cmpstr (nothing, ==, "");
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, NULL), BOM "Mois;Besoin;Résultat;Partenaire;Demandes\r\n"));
  g_assert_cmpint (csv_column_sum (csv, 4, &rows, &total), ==, 8);
  g_assert_cmpint (total, ==, 8);
  g_assert_cmpuint (rows, ==, 5);

  relais_test_assert_refused ((RelaisTestReader) relais_site_stats_from_reply,
                              "{\"from\": \"2026-03-01\", \"to\": \"2026-03-31\", \"outcomes\": "
                              "[{\"month\": \"2026-03\", \"need\": 3, \"outcome\": \"\", \"partner\": \"\", \"requests\": 1}]}",
                              "need");
  relais_test_assert_refused ((RelaisTestReader) relais_site_stats_from_reply,
                              "{\"from\": \"2026-03-01\", \"to\": \"2026-03-31\", \"outcomes\": {}}",
                              "outcomes");
}

/* Noon, local time, on @y-@m-@d. */
static gint64
at (int y, int m, int d)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, 12, 0, 0);

  return g_date_time_to_unix (t) * 1000;
}

static void
annual_person (RelaisDb *db, const char *number, const char *birth, const char *sex, const char *household)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = { .number = (char *) number, .surname = (char *) "Annuel", .first_names = (char *) number, .birth_date = (char *) birth, .notify = (char *) "none", .sex = (char *) sex, .household = (char *) household };

  saved = relais_db_mail_person_save (db, &p, &error);
  g_assert_no_error (error);
}

static void
annual_decide (RelaisDb *db, const char *number, gint64 now, const RelaisMailDecisionRequest *request)
{
  static const RelaisMailSite site = { "la MDS", "le lundi" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailDecision) decision = relais_db_mail_decision_add (db, number, request, "Claire", &site, now,
                                                                         &error);

  g_assert_no_error (error);
  g_assert_nonnull (decision);
}

static gpointer
read_annual (JsonObject *reply, GError **error)
{
  g_autofree RelaisMailAnnual *annual = g_new0 (RelaisMailAnnual, 1);

  return relais_mail_annual_from_reply (reply, annual, error) ? g_steal_pointer (&annual) : NULL;
}

/* The prefecture's annual report on a known data set: the figures, the
 * PDF's words and numbers (poppler), the workbook read back. */
static void
test_annual (void)
{
  RelaisDb        *db = relais_hub_get_db (hub->hub);
  g_autofree char *pdf_path = relais_test_artifact_path ("rapport-annuel-2025.pdf");
  g_autofree char *xlsx_path = relais_test_artifact_path ("rapport-annuel-2025.xlsx");
  g_autofree char *uri = g_filename_to_uri (pdf_path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  RelaisMailAnnual a;

#define D(number, t, ...) annual_decide (db, number, t, &(RelaisMailDecisionRequest) { __VA_ARGS__ })
  /* A: first election in 2025, in force on 31 December (35 years old). */
  annual_person (db, "AN-A", "1990-03-01", "female", "single");
  D ("AN-A", at (2025, 1, 10), .decision = "applied");
  D ("AN-A", at (2025, 1, 20), .decision = "granted");
  /* B: granted in June, in force (25 on 31 December). */
  annual_person (db, "AN-B", "2000-12-31", "male", "couple-children");
  D ("AN-B", at (2025, 6, 1), .decision = "granted");
  /* C: refused, no link with the town, sent to a CCAS (75, sex not said). */
  annual_person (db, "AN-C", "1950-01-01", NULL, NULL);
  D ("AN-C", at (2025, 2, 1), .decision = "applied");
  D ("AN-C", at (2025, 2, 5), .decision = "refused", .motive = "no-link", .orientation = "ccas");
  /* D: granted, then radiated for no contact. */
  annual_person (db, "AN-D", "1980-05-05", "female", "single-parent");
  D ("AN-D", at (2025, 2, 1), .decision = "granted");
  D ("AN-D", at (2025, 9, 1), .decision = "radiated", .motive = "no-contact");
  /* E: granted on 31 December itself (17 years old). */
  annual_person (db, "AN-E", "2008-01-01", "female", "other");
  D ("AN-E", at (2025, 12, 31), .decision = "granted");
#undef D

  g_assert_true (relais_db_mail_annual (db, 2025, &a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a.decisions.applications_first, ==, 2);
  g_assert_cmpint (a.decisions.grants_first, ==, 4);
  g_assert_cmpint (a.decisions.refusals, ==, 1);
  g_assert_cmpint (a.decisions.radiations, ==, 1);
  g_assert_cmpint (a.decisions.refusals_by_motive[0], ==, 1);
  g_assert_cmpint (a.decisions.radiations_by_motive[2], ==, 1);
  g_assert_cmpint (a.decisions.refusals_by_orientation[0], ==, 1);
  g_assert_cmpint (a.domiciled, ==, 3);
  g_assert_cmpint (a.by_age[0], ==, 1); /* E, under 18 */
  g_assert_cmpint (a.by_age[2], ==, 1); /* B, 25 to 34 */
  g_assert_cmpint (a.by_age[3], ==, 1); /* A, 35 to 44 */
  g_assert_cmpint (a.by_sex[0], ==, 2);
  g_assert_cmpint (a.by_sex[1], ==, 1);
  g_assert_cmpint (a.by_household[0], ==, 1);
  g_assert_cmpint (a.by_household[3], ==, 1);
  g_assert_cmpint (a.by_household[4], ==, 1);
  /* A bad year: a clear error. */
  g_assert_false (relais_db_mail_annual (db, 25, &a, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (relais_db_mail_annual (db, 2025, &a, &error));

  /* The console gets the same figures from the hub. */
  {
    g_autoptr(JsonObject) reply = relais_test_call (console, "/mail/annual?year=2025", NULL, &error);
    RelaisMailAnnual read;

    g_assert_no_error (error);
    g_assert_true (relais_mail_annual_from_reply (reply, &read, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (&read, sizeof read, &a, sizeof a);
    g_assert_null (relais_test_call (console, "/mail/annual?year=1999", NULL, &error));
    g_assert_nonnull (strstr (error->message, "year"));
    g_clear_error (&error);
    relais_test_assert_refused (read_annual, "{}", "year");
    relais_test_assert_refused (read_annual, "{\"year\":2025,\"refusals\":-1}", "refusals");
    relais_test_assert_refused (read_annual, "{\"year\":2025,\"by_sex_0\":\"2\"}", "by_sex_0");
  }

  /* The PDF says it in words a prefecture reads. */
  g_assert_true (mediator_annual_pdf (&a, "CCAS de Villeneuve", pdf_path, &error));
  g_assert_no_error (error);
  doc = G_OBJECT (poppler_document_new_from_file (uri, NULL, &error));
  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (POPPLER_DOCUMENT (doc)); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (POPPLER_DOCUMENT (doc), i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append (all, text);
    }
  g_assert_nonnull (strstr (all->str, "année 2025"));
  g_assert_nonnull (strstr (all->str, "CCAS de Villeneuve"));
  g_assert_nonnull (strstr (all->str, "Personnes domiciliées au 31 décembre : 3."));
  g_assert_nonnull (strstr (all->str, "Absence de lien avec la commune"));
  g_assert_nonnull (strstr (all->str, "Sans contact depuis plus de trois mois"));
  g_assert_nonnull (strstr (all->str, "Un autre CCAS ou CIAS"));
  g_assert_nonnull (strstr (all->str, "Parent seul avec enfant(s)"));
  g_assert_nonnull (strstr (all->str, "Signature du responsable"));
  {
    g_autofree char *png = relais_test_artifact_path ("rapport-annuel-2025");
    g_autofree char *command = g_strdup_printf ("pdftoppm -png -r 70 %s %s", pdf_path, png);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }

  /* The workbook: the same tables, totals right. */
  g_assert_true (mediator_annual_xlsx (&a, xlsx_path, &error));
  g_assert_no_error (error);
  {
    g_auto(GStrv) names = relais_test_xlsx_sheet_names (xlsx_path);
    g_autoptr(GHashTable) decisions = relais_test_xlsx_read_sheet (xlsx_path, 1);
    g_autoptr(GHashTable) ages = relais_test_xlsx_read_sheet (xlsx_path, 5);
    g_autoptr(GHashTable) sexes = relais_test_xlsx_read_sheet (xlsx_path, 6);

    g_assert_cmpuint (g_strv_length (names), ==, 7);
    g_assert_cmpstr (names[0], ==, "Demandes et décisions");
    g_assert_cmpstr (relais_test_xlsx_cell (decisions, 0, 1), ==, "Libellé");
    g_assert_cmpstr (relais_test_xlsx_cell (decisions, 0, 2), ==, "Demandes de première élection de domicile");
    g_assert_cmpstr (relais_test_xlsx_cell (decisions, 1, 2), ==, "2");
    g_assert_cmpstr (relais_test_xlsx_cell (decisions, 1, 4), ==, "4");
    /* 8 bands + total; the total is everyone domiciled. */
    g_assert_cmpstr (relais_test_xlsx_cell (ages, 0, 10), ==, "Total");
    g_assert_cmpstr (relais_test_xlsx_cell (ages, 1, 10), ==, "3");
    g_assert_cmpstr (relais_test_xlsx_cell (ages, 1, 2), ==, "1");
    g_assert_cmpstr (relais_test_xlsx_cell (sexes, 0, 2), ==, "Femmes");
    g_assert_cmpstr (relais_test_xlsx_cell (sexes, 1, 2), ==, "2");
  }

  /* And as one CSV a French spreadsheet opens as it is: each table under
   * its name, French headers, ';', the same figures and totals. */
  {
    g_autoptr(GBytes) csv = mediator_annual_csv (&a);
    const char      *text = g_bytes_get_data (csv, NULL);
    g_autofree char *csv_path = relais_test_artifact_path ("rapport-annuel-2025.csv");

    g_assert_true (g_file_set_contents (csv_path, text, g_bytes_get_size (csv), NULL));
    g_assert_true (g_str_has_prefix (text, BOM "Demandes et décisions\r\nLibellé;Nombre\r\n"
                                               "Demandes de première élection de domicile;2\r\n"));
    g_assert_nonnull (strstr (text, "\r\nPremières élections accordées;4\r\n"));
    g_assert_nonnull (strstr (text, "\r\n\r\nRefus par motif\r\nLibellé;Nombre\r\n"
                                    "Absence de lien avec la commune;1\r\n"));
    g_assert_nonnull (strstr (text, "\r\n\r\nDomiciliés au 31 décembre, âge\r\nLibellé;Nombre\r\n"
                                    "Moins de 18 ans;1\r\n"));
    g_assert_nonnull (strstr (text, "\r\nDate de naissance inconnue;0\r\nTotal;3\r\n"));
    g_assert_nonnull (strstr (text, "\r\nFemmes;2\r\nHommes;1\r\n"));
  }
}

/* The domiciliation register from the hub, as CSV and XLSX: French
 * headers, one row per person, labels in words. */
static void
test_register (void)
{
  g_autofree char *xlsx_path = relais_test_artifact_path ("registre-domiciliations.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_test_call (console, "/mail/register", NULL, &error);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(MediatorTable) table = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GHashTable) cells = NULL;
  gint64 in_db = relais_db_single_int (relais_hub_get_db (hub->hub), "SELECT count(*) FROM mail_people");
  guint  row_a = 0;

  g_assert_no_error (error);
  people = relais_mail_people_from_reply (reply, "people", &error);
  g_assert_no_error (error);
  g_assert_cmpint (people->len, ==, in_db);
  g_assert_cmpint (in_db, >=, 5);
  table = mediator_register_table (people);
  csv = mediator_export_csv (table);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, NULL),
                                   BOM "Numéro;Nom;Prénoms;Date de naissance;Sexe;Ménage;Domiciliation;"
                                       "Fin de domiciliation;Dernier contact;Courriers en attente\r\n"));
  g_assert_nonnull (strstr (g_bytes_get_data (csv, NULL), "\r\nAN-A;Annuel;AN-A;1990-03-01;femme;Personne seule;"
                                                          "domicilié(e);"));
  g_assert_true (mediator_export_xlsx ((const MediatorTable * const *) &table, 1, xlsx_path, &error));
  g_assert_no_error (error);
  cells = relais_test_xlsx_read_sheet (xlsx_path, 1);
  g_assert_cmpstr (relais_test_xlsx_cell (cells, 0, 1), ==, "Numéro");
  g_assert_nonnull (relais_test_xlsx_cell (cells, 0, (guint) in_db + 1));
  g_assert_null (relais_test_xlsx_cell (cells, 0, (guint) in_db + 2));
  for (guint row = 2; row <= in_db + 1; row++)
    if (g_strcmp0 (relais_test_xlsx_cell (cells, 0, row), "AN-A") == 0)
      row_a = row;
  g_assert_cmpuint (row_a, >, 0);
  g_assert_cmpstr (relais_test_xlsx_cell (cells, 6, row_a), ==, "domicilié(e)");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  hub = relais_test_hub_new ();
  fill ();
  fill_outcomes ();
  console = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_assert_no_error (error);
  relais_link_start (console);
  g_assert_true (relais_test_wait (online, console));
  g_assert_true (relais_test_login (console, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  march = get_stats ("/stats?from=2026-03-01&to=2026-03-31");
  february = get_stats ("/stats?from=2026-02-01&to=2026-02-28");

  g_test_add_func ("/report/csv-equals-dashboard", test_csv_equals_dashboard);
  g_test_add_func ("/report/csv-quotes", test_csv_quotes);
  g_test_add_func ("/report/xlsx-equals-dashboard", test_xlsx_equals_dashboard);
  g_test_add_func ("/report/stats-refused", test_stats_refused);
  g_test_add_func ("/report/pdf", test_pdf_report);
  g_test_add_func ("/report/outcomes", test_outcomes);
  g_test_add_func ("/report/pdf-layout", test_pdf_layout);
  g_test_add_func ("/report/annual", test_annual);
  g_test_add_func ("/report/register", test_register);
  rc = g_test_run ();

  relais_site_stats_free (march);
  relais_site_stats_free (february);
  relais_link_stop (console);
  g_clear_object (&console);
  relais_test_hub_free (hub);
  return rc;
}
