/* test-import.c: a centre's people from a spreadsheet (relais-hub
 * import-people): CSV as Excel writes it in French, an XLSX made here as
 * a zip of its XML parts (libarchive), bad rows told by line and reason
 * with nothing imported, --skip-bad, and the people found by the
 * console's search afterwards. */
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-hub-import.h"

typedef struct {
  char     *dir;
  RelaisDb *db;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("relais-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "hub.db", NULL);
  f->db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  relais_db_close (f->db);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture *f, const char *name, const char *data, gssize length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

static RelaisMailPerson *
person (Fixture *f, const char *number)
{
  g_autoptr(GError) error = NULL;
  RelaisMailPerson *p = relais_db_mail_person_get (f->db, number, &error);

  g_assert_no_error (error);
  return p;
}

static guint
count_people (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = relais_db_mail_search (f->db, "a", 100, &error);

  g_assert_no_error (error);
  return all->len;
}

/* Excel's French CSV: ';', a BOM, quotes, dates as JJ/MM/AAAA; a column
 * nobody maps is said. One bad row of each kind: nothing imported, each
 * told with its line; with --skip-bad, the good rows only. */
static void
test_csv (Fixture *f, gconstpointer data)
{
  static const char csv[] =
      "\xEF\xBB\xBF"
      "Numéro;Nom;Prénom;Date de naissance;Téléphone;E-mail;Statut;Date de début;Date de fin;Remarque\r\n"
      "A-101;Dupont;Marie;02/04/1980;06 11 22 33 44;;Valide;05/01/2026;04/01/2027;\"suivie; par Sophie\"\r\n"
      "A-102;\"Le Goff\";Yann;1975-11-30;;yann@example.org;radié;;;\r\n"
      "A-103;Martin;;01/01/1990;;;;;;\r\n"            /* line 4: no first name */
      "A-104;Ben Ahmed;Mohamed;31/02/1985;;;;;;\r\n"  /* line 5: no such day */
      "A-105;Durand;Paul;01/01/1970;;;inconnu;;;\r\n" /* line 6: unknown state */
      "A-101;Petit;Léa;01/01/1999;;;;;;\r\n"          /* line 7: number twice */
      ";;;;;;;;;\r\n"
      "A-106;Kowalczyk;Zofia;07/07/1977;;;;10/03/2026;;\r\n";
  g_autofree char *path = write_file (f, "people.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) dupont = NULL;
  g_autoptr(RelaisMailPerson) le_goff = NULL;
  g_autoptr(RelaisMailPerson) kowalczyk = NULL;
  g_autoptr(GPtrArray) found = NULL;
  RelaisImportReport report = { 0 };

  g_assert_true (relais_hub_import_people (f->db, path, "{n}", FALSE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.rows, ==, 7);
  g_assert_cmpuint (report.imported, ==, 0);
  g_assert_cmpuint (report.problems->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (report.problems, 0), ==, "ligne 4 : Prénom vide : tapez au moins une lettre.");
  g_assert_cmpstr (g_ptr_array_index (report.problems, 1), ==, "ligne 5 : date de naissance illisible « 31/02/1985 »");
  g_assert_cmpstr (g_ptr_array_index (report.problems, 2), ==, "ligne 6 : statut inconnu « inconnu »");
  g_assert_cmpstr (g_ptr_array_index (report.problems, 3), ==, "ligne 7 : Numéro d'usager déjà dans le registre.");
  g_assert_cmpuint (report.ignored->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report.ignored, 0), ==, "Remarque");
  /* Nothing of the good rows either. */
  g_assert_cmpuint (count_people (f), ==, 0);
  relais_import_report_clear (&report);

  g_assert_true (relais_hub_import_people (f->db, path, "{n}", TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 3);
  g_assert_cmpuint (report.problems->len, ==, 4);
  relais_import_report_clear (&report);

  dupont = person (f, "A-101");
  g_assert_cmpstr (dupont->surname, ==, "Dupont");
  g_assert_cmpstr (dupont->birth_date, ==, "1980-04-02");
  g_assert_cmpstr (dupont->phone, ==, "06 11 22 33 44");
  g_assert_cmpstr (dupont->notify, ==, "sms");
  g_assert_cmpstr (dupont->state, ==, "granted");
  g_assert_cmpstr (dupont->active_to, ==, "2027-01-04");
  /* Its decision is dated on its start, not on the import day, so that a
   * year's figures count it in its year; no SMS for it. */
  {
    g_autoptr(GPtrArray) decisions = relais_db_mail_decisions_of (f->db, "A-101", &error);
    g_autoptr(GDateTime) at = NULL;
    g_autofree char    *day = NULL;
    RelaisMailDecision *d;

    g_assert_no_error (error);
    g_assert_cmpuint (decisions->len, ==, 1);
    d = g_ptr_array_index (decisions, 0);
    g_assert_cmpstr (d->decision, ==, "granted");
    at = g_date_time_new_from_unix_local (d->decided_at / 1000);
    day = g_date_time_format (at, "%Y-%m-%d");
    g_assert_cmpstr (day, ==, "2026-01-05");
  }
  {
    g_autoptr(GPtrArray) notices = relais_db_mail_notices_of (f->db, "A-101", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (notices->len, ==, 0);
  }
  le_goff = person (f, "A-102");
  g_assert_cmpstr (le_goff->state, ==, "radiated");
  g_assert_cmpstr (le_goff->notify, ==, "email");
  /* A start with no end: one year. */
  kowalczyk = person (f, "A-106");
  g_assert_cmpstr (kowalczyk->active_to, ==, "2027-03-09");

  /* The search finds them, with a slip too. */
  found = relais_db_mail_search (f->db, "kowalcyzk", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (found, 0))->number, ==, "A-106");
}

/* A file that is no register: its reason, nothing imported. */
static void
test_refused_files (Fixture *f, gconstpointer data)
{
  g_autofree char *no_birth = write_file (f, "no-birth.csv", "Nom,Prénom\nDupont,Marie\n", -1);
  g_autofree char *empty = write_file (f, "empty.csv", "\n\n", -1);
  g_autofree char *quote = write_file (f, "quote.csv", "Nom;Prénom;Naissance\n\"Dupont;Marie;01/01/1980\n", -1);
  g_autofree char *binary = write_file (f, "binary.csv", "Nom\0;", 5);
  g_autofree char *not_zip = write_file (f, "people.xlsx", "Nom;Prénom\n", -1);
  const char      *paths[] = { no_birth, empty, quote, binary, not_zip };
  const char      *reasons[] = {
         "ligne 1 : pas de colonne « date de naissance »",
         "fichier vide",
         "ligne 2 : guillemet ouvert jamais fermé",
         "octet nul",
         "classeur illisible",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      RelaisImportReport report = { 0 };

      g_assert_false (relais_hub_import_people (f->db, paths[i], "{n}", TRUE, &report, &error));
      g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, reasons[i]));
      /* The server's own paths are not in the sentence. */
      g_assert_null (strstr (error->message, f->dir));
      relais_import_report_clear (&report);
    }
  g_assert_cmpuint (count_people (f), ==, 0);
}

static void
zip_add (struct archive *zip, const char *name, const char *text)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_size (entry, strlen (text));
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_data (zip, text, strlen (text)), ==, (la_ssize_t) strlen (text));
  archive_entry_free (entry);
}

/* An XLSX as a spreadsheet writes it: shared strings (one in rich-text
 * runs with a phonetic reading to leave out), an inline string, a birth
 * date as a day number, an empty cell skipped (no <c> for it), a header
 * further down than row 1. */
static void
test_xlsx (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "domifa.xlsx", NULL);
  struct archive  *zip = archive_write_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  RelaisImportReport report = { 0 };

  archive_write_set_format_zip (zip);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  zip_add (zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
  zip_add (zip, "xl/sharedStrings.xml",
           "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"6\" uniqueCount=\"6\">"
           "<si><t>ID</t></si><si><t>Nom</t></si><si><t>Prénom</t></si><si><t>Date de naissance</t></si>"
           "<si><r><t>N&apos;</t></r><r><rPr><b/></rPr><t>Diaye</t></r><rPh sb=\"0\" eb=\"1\"><t>ndiaye</t></rPh></si>"
           "<si><t xml:space=\"preserve\"> Aïssatou </t></si></sst>");
  zip_add (zip, "xl/worksheets/sheet1.xml",
           "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
           "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>"
           "<c r=\"C2\" t=\"s\"><v>2</v></c><c r=\"D2\" t=\"s\"><v>3</v></c></row>"
           "<row r=\"3\"><c r=\"A3\"><v>7001</v></c><c r=\"B3\" t=\"s\"><v>4</v></c>"
           "<c r=\"C3\" t=\"s\"><v>5</v></c><c r=\"D3\"><v>30000</v></c></row>"
           "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>7002</t></is></c>"
           "<c r=\"B4\" t=\"inlineStr\"><is><t>Şahin</t></is></c><c r=\"C4\" t=\"inlineStr\"><is><t>Emre</t></is></c>"
           "<c r=\"D4\" t=\"str\"><v>15/08/1991</v></c></row>"
           "<row r=\"5\"><c r=\"A5\"><v>7003</v></c><c r=\"B5\" t=\"inlineStr\"><is><t>Sans</t></is></c>"
           "<c r=\"D5\"><v>31000</v></c></row>"
           "</sheetData></worksheet>");
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);

  g_assert_true (relais_hub_import_people (f->db, path, "{n}", FALSE, &report, &error));
  g_assert_no_error (error);
  /* Row 5 has no first name: its line in the sheet, nothing imported. */
  g_assert_cmpuint (report.problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report.problems, 0), ==, "ligne 5 : Prénom vide : tapez au moins une lettre.");
  g_assert_cmpuint (report.imported, ==, 0);
  relais_import_report_clear (&report);

  g_assert_true (relais_hub_import_people (f->db, path, "{n}", TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 2);
  relais_import_report_clear (&report);
  p = person (f, "7001");
  g_assert_cmpstr (p->surname, ==, "N'Diaye");
  g_assert_cmpstr (p->first_names, ==, "Aïssatou");
  /* Day 30000 of a spreadsheet (from 1899-12-30) is 1982-02-18. */
  g_assert_cmpstr (p->birth_date, ==, "1982-02-18");
  g_clear_pointer (&p, relais_mail_person_free);
  p = person (f, "7002");
  g_assert_cmpstr (p->surname, ==, "Şahin");
  g_assert_cmpstr (p->birth_date, ==, "1991-08-15");
}

static char *
inline_cell (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return g_strdup_printf ("<c t=\"inlineStr\"><is><t>%s</t></is></c>", escaped);
}

static void
sheet_row (GString *sheet, guint r, const char * const *cells)
{
  g_string_append_printf (sheet, "<row r=\"%u\">", r);
  for (guint i = 0; cells[i] != NULL; i++)
    {
      g_autofree char *cell = inline_cell (cells[i]);
      g_string_append (sheet, cell);
    }
  g_string_append (sheet, "</row>");
}

/* Domifa's export as its backend writes it
 * (packages/backend/src/usagers/utils/xlsx-structure-usagers-renderer,
 * CUSTOM_DOCS_LABELS, USAGER_DECISION_STATUT_LABELS): the export's date
 * alone in row 1, its headers in row 2 word for word, with the example
 * after the dates' colon, its state words ("Actif", "Refusé", "Radié",
 * "À valider", "Instruction"), dates as JJ/MM/AAAA. */
static void
test_domifa (Fixture *f, gconstpointer data)
{
  static const char * const headers[] = {
    "Identifiant personnalisé",
    "Civilité",
    "Nom",
    "Prénom",
    "Nom d'usage / Surnom",
    "Date naissance",
    "Lieu naissance",
    "Numéro de téléphone",
    "Adresse email",
    "Langue parlée",
    "Nationalité",
    "Numéro de distribution (TSA, BP, etc)",
    "Statut de la domiciliation",
    "Date de la radiation",
    "Motif de la radiation",
    "Date du refus",
    "Motif du refus",
    "Utilisateur ayant prit la décision",
    "Utilisateur ayant validé la 1ere dom",
    "Type de domiciliation",
    "Date de Début de la domiciliation: 12 octobre 2020",
    "Date de fin de la domiciliation: 12 octobre 2020",
    "Date de la 1ere domiciliation: 12 octobre 2020",
    "Date de dernier passage (ex: 01/09/2020 à 10h45)",
    "Référent du dossier",
    "Nombre d'ayants droit",
    NULL,
  };
  static const char * const rows[][27] = {
    { "6", "Monsieur", "NOUVEAU", "DOSSIER", "TEST", "02/11/1988", "Paris", "06 06 06 06 06",
      "fake-mail@yopmail.com", "", "", "", "Actif", "", "", "", "", "Patrick Roméro", "",
      "Première domiciliation", "01/11/2020", "31/10/2099", "01/10/2018", "01/11/2020", "", "0", NULL },
    { "5", "Madame", "Martine", "Sembat", "", "07/08/1998", "Bouaké, Côte d'Ivoire", "06 06 06 06 06",
      "domicilie2@yopmail.com", "", "", "", "Refusé", "", "", "12/02/2020", "Absence de lien avec la commune",
      "Testeur Robin", "", "Renouvellement", "", "", "11/01/2018", "01/12/2020", "", "1", NULL },
    { "7", "Madame", "Ba", "Awa", "", "03/03/1970", "", "", "", "", "", "", "À valider", "", "", "", "", "", "",
      "Première domiciliation", "", "", "", "", "", "0", NULL },
    { "8", "Monsieur", "Kaya", "Ali", "", "04/04/1975", "", "", "", "", "", "", "Radié", "01/01/2021",
      "Sans contact", "", "", "", "", "Renouvellement", "01/01/2020", "31/12/2020", "", "", "", "0", NULL },
  };
  g_autofree char *path = g_build_filename (f->dir, "export-domifa.xlsx", NULL);
  g_autoptr(GString) sheet = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "
                                            "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                                            "<sheetData>");
  struct archive *zip = archive_write_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  RelaisImportReport report = { 0 };

  sheet_row (sheet, 1, (const char *[]) { "02/12/2026 10:00", NULL });
  sheet_row (sheet, 2, headers);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sheet_row (sheet, 3 + i, rows[i]);
  g_string_append (sheet, "</sheetData></worksheet>");
  archive_write_set_format_zip (zip);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  zip_add (zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
  zip_add (zip, "xl/worksheets/sheet1.xml", sheet->str);
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);

  g_assert_true (relais_hub_import_people (f->db, path, "{n}", FALSE, &report, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < report.problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (report.problems, i));
  g_assert_cmpuint (report.problems->len, ==, 0);
  g_assert_cmpuint (report.rows, ==, 4);
  g_assert_cmpuint (report.imported, ==, 4);
  /* Every one of Domifa's columns the register has no field for is told. */
  g_assert_true (g_ptr_array_find_with_equal_func (report.ignored, "Civilité", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (report.ignored, "Date de fin de la domiciliation: 12 octobre 2020",
                                                    g_str_equal, NULL));
  relais_import_report_clear (&report);

  p = person (f, "6");
  g_assert_cmpstr (p->surname, ==, "NOUVEAU");
  g_assert_cmpstr (p->first_names, ==, "DOSSIER");
  g_assert_cmpstr (p->birth_date, ==, "1988-11-02");
  g_assert_cmpstr (p->phone, ==, "06 06 06 06 06");
  g_assert_cmpstr (p->email, ==, "fake-mail@yopmail.com");
  g_assert_cmpstr (p->state, ==, "granted");
  g_assert_cmpstr (p->active_to, ==, "2099-10-31");
  g_clear_pointer (&p, relais_mail_person_free);
  p = person (f, "5");
  g_assert_cmpstr (p->state, ==, "refused");
  g_clear_pointer (&p, relais_mail_person_free);
  p = person (f, "7");
  g_assert_cmpstr (p->state, ==, "applied");
  g_clear_pointer (&p, relais_mail_person_free);
  p = person (f, "8");
  g_assert_cmpstr (p->state, ==, "radiated");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/import/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/import/refused-files", Fixture, NULL, fixture_set_up, test_refused_files, fixture_tear_down);
  g_test_add ("/import/xlsx", Fixture, NULL, fixture_set_up, test_xlsx, fixture_tear_down);
  g_test_add ("/import/domifa", Fixture, NULL, fixture_set_up, test_domifa, fixture_tear_down);
  return g_test_run ();
}
