/* relais-hub-import.c: a centre's people from a spreadsheet. The file is
 * read whole (bounded), as rows of cells with their line in the file;
 * the header row says which column is which field; each row becomes a
 * person checked as the console's form is, all in one transaction. */

#include "relais-hub-import.h"
#include "relais-db-help.h"
#include "relais-db-mail.h"
#include "relais-db-mail-import.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <string.h>

/* A register of 20,000 people is a few MiB; a sheet's XML ten times that. */
#define MAX_FILE_BYTES   (64 * 1024 * 1024)
#define MAX_MEMBER_BYTES (256 * 1024 * 1024)
#define MAX_ROWS         200000
#define MAX_COLUMNS      256
/* People written per transaction: the desk's writes wait for one chunk
 * (a few hundred ms), not the whole import. */
#define IMPORT_CHUNK 1000

typedef struct {
  guint      line;  /* in the file: the CSV line, the sheet's row */
  GPtrArray *cells; /* char *, NULL for an empty cell */
} Row;

static void
row_free (Row *row)
{
  g_ptr_array_unref (row->cells);
  g_free (row);
}

static Row *
row_new (guint line)
{
  Row *row = g_new0 (Row, 1);

  row->line = line;
  row->cells = g_ptr_array_new_with_free_func (g_free);
  return row;
}

static const char *
row_cell (const Row *row, int column)
{
  if (column < 0 || (guint) column >= row->cells->len)
    return NULL;
  return g_ptr_array_index (row->cells, column);
}

void
relais_import_report_clear (RelaisImportReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_clear_pointer (&report->ignored, g_ptr_array_unref);
}

/* ---- CSV ---- */

/* The separator the header line uses most, outside quotes. */
static char
csv_separator (const char *text)
{
  guint    semicolons = 0, commas = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0' && (quoted || (*p != '\n' && *p != '\r')); p++)
    if (*p == '"')
      quoted = !quoted;
    else if (!quoted)
      {
        semicolons += *p == ';';
        commas += *p == ',';
        tabs += *p == '\t';
      }
  if (tabs > semicolons && tabs > commas)
    return '\t';
  return commas > semicolons ? ',' : ';';
}

/* RFC 4180 with any of the separators: quoted cells may hold separators,
 * doubled quotes and line breaks. */
static GPtrArray *
read_csv (const char *text, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GString) cell = g_string_new (NULL);
  char     separator = csv_separator (text);
  guint    line = 1;
  Row     *row = row_new (line);
  gboolean quoted = FALSE, was_quoted = FALSE;

  g_ptr_array_add (rows, row);
  for (const char *p = text;; p++)
    {
      if (quoted)
        {
          if (*p == '\0')
            {
              g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                           "ligne %u : guillemet ouvert jamais fermé", row->line);
              return NULL;
            }
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            {
              line += *p == '\n';
              g_string_append_c (cell, *p);
            }
          continue;
        }
      if (*p == '"' && cell->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
          continue;
        }
      if (*p == separator || *p == '\n' || *p == '\r' || *p == '\0')
        {
          if (row->cells->len >= MAX_COLUMNS)
            {
              g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                           "ligne %u : plus de %d colonnes", row->line, MAX_COLUMNS);
              return NULL;
            }
          g_ptr_array_add (row->cells, cell->len > 0 ? g_strdup (cell->str) : NULL);
          g_string_truncate (cell, 0);
          was_quoted = FALSE;
          if (*p == separator)
            continue;
          if (*p == '\r' && p[1] == '\n')
            p++;
          if (*p == '\0')
            break;
          line++;
          if (rows->len >= MAX_ROWS)
            {
              g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                           "plus de %d lignes : coupez le fichier en plusieurs", MAX_ROWS);
              return NULL;
            }
          row = row_new (line);
          g_ptr_array_add (rows, row);
          continue;
        }
      g_string_append_c (cell, *p);
    }
  return g_steal_pointer (&rows);
}

/* ---- XLSX: a zip (libarchive) of XML parts (GMarkup) ---- */

static gboolean
read_member (struct archive *zip, GByteArray **out, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  char       buffer[65536];
  la_ssize_t n;

  while ((n = archive_read_data (zip, buffer, sizeof buffer)) > 0)
    {
      if (bytes->len + n > MAX_MEMBER_BYTES)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur trop grand");
          return FALSE;
        }
      g_byte_array_append (bytes, (const guint8 *) buffer, n);
    }
  if (n < 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur illisible : %s",
                   archive_error_string (zip));
      return FALSE;
    }
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  *out = g_steal_pointer (&bytes);
  return TRUE;
}

/* The element's name without its namespace prefix ("x:c" is "c"). */
static const char *
local_name (const char *name)
{
  const char *colon = strchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

typedef struct {
  GPtrArray *strings; /* shared strings */
  GString   *text;
  gboolean   in_text; /* inside <t> of a string (not of a phonetic run) */
  gboolean   phonetic;
} SharedParse;

static void
shared_start (GMarkupParseContext *context, const char *element, const char **names, const char **values, gpointer user_data, GError **error)
{
  SharedParse *s = user_data;
  const char  *name = local_name (element);

  if (g_str_equal (name, "si"))
    g_string_truncate (s->text, 0);
  else if (g_str_equal (name, "rPh"))
    s->phonetic = TRUE;
  else if (g_str_equal (name, "t") && !s->phonetic)
    s->in_text = TRUE;
}

static void
shared_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  SharedParse *s = user_data;
  const char  *name = local_name (element);

  if (g_str_equal (name, "si"))
    g_ptr_array_add (s->strings, g_strdup (s->text->str));
  else if (g_str_equal (name, "rPh"))
    s->phonetic = FALSE;
  else if (g_str_equal (name, "t"))
    s->in_text = FALSE;
}

static void
shared_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data, GError **error)
{
  SharedParse *s = user_data;

  if (s->in_text)
    g_string_append_len (s->text, text, len);
}

typedef struct {
  GPtrArray *strings;
  GPtrArray *rows;
  Row       *row;
  int        column;
  char      *type; /* the cell's t="…" */
  GString   *value;
  gboolean   in_value; /* inside <v>, or <t> of an inline string */
} SheetParse;

/* "BC12" → 54 (A is 0); -1 when it is no cell reference. */
static int
column_of (const char *ref)
{
  int         column = 0;
  const char *p = ref;

  for (; *p >= 'A' && *p <= 'Z'; p++)
    {
      column = column * 26 + (*p - 'A' + 1);
      if (column > MAX_COLUMNS)
        return -1;
    }
  return p == ref ? -1 : column - 1;
}

static void
sheet_start (GMarkupParseContext *context, const char *element, const char **names, const char **values, gpointer user_data, GError **error)
{
  SheetParse *s = user_data;
  const char *name = local_name (element);

  if (g_str_equal (name, "row"))
    {
      const char *r = NULL;
      guint64     line = s->rows->len + 1;

      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "r"))
          r = values[i];
      if (r != NULL && !g_ascii_string_to_unsigned (r, 10, 1, G_MAXUINT32, &line, NULL))
        line = s->rows->len + 1;
      if (s->rows->len >= MAX_ROWS)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "plus de %d lignes : coupez le fichier en plusieurs", MAX_ROWS);
          return;
        }
      s->row = row_new ((guint) line);
      g_ptr_array_add (s->rows, s->row);
      s->column = -1;
    }
  else if (g_str_equal (name, "c") && s->row != NULL)
    {
      int column = s->column + 1;

      g_clear_pointer (&s->type, g_free);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "r"))
          column = column_of (values[i]);
        else if (g_str_equal (names[i], "t"))
          s->type = g_strdup (values[i]);
      if (column < 0 || column >= MAX_COLUMNS)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "ligne %u : colonne au-delà de la %de", s->row->line, MAX_COLUMNS);
          return;
        }
      s->column = column;
      g_string_truncate (s->value, 0);
    }
  else if (g_str_equal (name, "v") || g_str_equal (name, "t"))
    s->in_value = TRUE;
}

static void
sheet_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  SheetParse *s = user_data;
  const char *name = local_name (element);

  if (g_str_equal (name, "v") || g_str_equal (name, "t"))
    s->in_value = FALSE;
  else if (g_str_equal (name, "c") && s->row != NULL && s->column >= 0)
    {
      char *value = NULL;

      if (g_strcmp0 (s->type, "s") == 0)
        {
          guint64 index;

          if (!g_ascii_string_to_unsigned (s->value->str, 10, 0, G_MAXUINT32, &index, NULL)
              || index >= s->strings->len)
            {
              g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "ligne %u : texte partagé introuvable", s->row->line);
              return;
            }
          value = g_strdup (g_ptr_array_index (s->strings, index));
        }
      else if (s->value->len > 0)
        value = g_strdup (s->value->str);
      while (s->row->cells->len <= (guint) s->column)
        g_ptr_array_add (s->row->cells, NULL);
      g_free (g_ptr_array_index (s->row->cells, s->column));
      g_ptr_array_index (s->row->cells, s->column) = value;
    }
  else if (g_str_equal (name, "row"))
    s->row = NULL;
}

static void
sheet_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data, GError **error)
{
  SheetParse *s = user_data;

  if (s->in_value)
    g_string_append_len (s->value, text, len);
}

static gboolean
parse_xml (const GMarkupParser *parser, gpointer data, GByteArray *xml, const char *what, GError **error)
{
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (parser, 0, data, NULL);
  g_autoptr(GError) local = NULL;

  if (!g_markup_parse_context_parse (context, (const char *) xml->data, xml->len - 1, &local)
      || !g_markup_parse_context_end_parse (context, &local))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur illisible (%s) : %s", what,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

/* The first sheet's rows, shared strings resolved. */
static GPtrArray *
read_xlsx (const void *data, gsize length, GError **error)
{
  struct archive       *zip = archive_read_new ();
  struct archive_entry *entry;
  g_autoptr(GByteArray) shared = NULL;
  g_autoptr(GByteArray) sheet = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  static const GMarkupParser shared_parser = { shared_start, shared_end, shared_text, NULL, NULL };
  static const GMarkupParser sheet_parser = { sheet_start, sheet_end, sheet_text, NULL, NULL };
  SharedParse                sp = { strings, text, FALSE, FALSE };
  SheetParse                 sh = { strings, rows, NULL, -1, NULL, value, FALSE };
  gboolean                   ok = TRUE;
  int                        rc;

  archive_read_support_format_zip (zip);
  if (archive_read_open_memory (zip, data, length) != ARCHIVE_OK)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur illisible : %s",
                   archive_error_string (zip));
      archive_read_free (zip);
      return NULL;
    }
  while (ok && (rc = archive_read_next_header (zip, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (g_strcmp0 (name, "xl/sharedStrings.xml") == 0)
        ok = read_member (zip, &shared, error);
      else if (g_strcmp0 (name, "xl/worksheets/sheet1.xml") == 0)
        ok = read_member (zip, &sheet, error);
      else
        archive_read_data_skip (zip);
    }
  if (ok && rc != ARCHIVE_EOF)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur illisible : %s",
                   archive_error_string (zip));
      ok = FALSE;
    }
  archive_read_free (zip);
  if (!ok)
    return NULL;
  if (sheet == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "classeur sans première feuille");
      return NULL;
    }
  if (shared != NULL && !parse_xml (&shared_parser, &sp, shared, "textes", error))
    return NULL;
  ok = parse_xml (&sheet_parser, &sh, sheet, "feuille", error);
  g_free (sh.type);
  return ok ? g_steal_pointer (&rows) : NULL;
}

/* ---- columns ---- */

typedef enum {
  F_NUMBER,
  F_SURNAME,
  F_FIRST,
  F_BIRTH,
  F_PHONE,
  F_EMAIL,
  F_STATE,
  F_FROM,
  F_TO,
  N_FIELDS
} Field;

/* Headers as a register writes them, folded (relais_mail_fold ()) and
 * cut at a ':' or '(' (header_fold ()). Domifa's export (its
 * CUSTOM_DOCS_LABELS: "Identifiant personnalisé", "Nom", "Prénom", "Date
 * naissance", "Numéro de téléphone", "Adresse email", "Statut de la
 * domiciliation", "Date de Début de la domiciliation: 12 octobre 2020",
 * "Date de fin de la domiciliation: 12 octobre 2020") maps as it is. */
static const char * const * const headers[N_FIELDS] = {
  [F_NUMBER] = (const char *[]) { "numero", "n", "no", "num", "numero d usager", "numero usager", "numero de dossier",
                                  "n dossier", "dossier", "id", "identifiant", "reference", "ref", "identifiant personnalise",
                                  "reference dossier", NULL },
  [F_SURNAME] = (const char *[]) { "nom", "nom de famille", "nom d usage", "nom usage", "nom de naissance", NULL },
  [F_FIRST] = (const char *[]) { "prenom", "prenoms", NULL },
  [F_BIRTH] = (const char *[]) { "date de naissance", "date naissance", "ne le", "ne e le", "naissance", NULL },
  [F_PHONE] = (const char *[]) { "telephone", "tel", "portable", "telephone portable", "numero de telephone", "mobile",
                                 NULL },
  [F_EMAIL] = (const char *[]) { "email", "e mail", "mail", "courriel", "adresse email", "adresse e mail",
                                 "adresse mail", NULL },
  [F_STATE] = (const char *[]) { "statut", "etat", "statut de la domiciliation", "decision", "statut domiciliation",
                                 NULL },
  [F_FROM] = (const char *[]) { "date de debut", "debut", "date debut", "date de debut de domiciliation",
                                "debut de domiciliation", "debut domiciliation", "date de decision",
                                "date de debut de la domiciliation", NULL },
  [F_TO] = (const char *[]) { "date de fin", "fin", "date fin", "date de fin de domiciliation", "fin de domiciliation",
                              "fin domiciliation", "date d echeance", "echeance", "date de fin de la domiciliation", NULL },
};

static const char * const field_names[N_FIELDS] = {
  "numéro",
  "nom",
  "prénom",
  "date de naissance",
  "téléphone",
  "e-mail",
  "statut",
  "date de début",
  "date de fin",
};

/* ---- values ---- */

/* YYYY-MM-DD from "JJ/MM/AAAA", "AAAA-MM-JJ", "JJ-MM-AAAA", "JJ.MM.AAAA"
 * (a time after it ignored) or a spreadsheet's day number; NULL when
 * unreadable. */
static char *
date_of (const char *text)
{
  g_autoptr(GDate) date = NULL;
  guint   a = 0, b = 0, c = 0;
  char    s1 = 0, s2 = 0;
  int     consumed = 0;
  guint64 serial;

  if (g_ascii_string_to_unsigned (text, 10, 1, 2958465, &serial, NULL))
    {
      /* Day 1 is 1900-01-01 and day 60 the 29 February 1900 that never
       * was: days from 1899-12-30 hold from day 61 on. */
      if (serial < 61)
        return NULL;
      date = g_date_new_dmy (30, G_DATE_DECEMBER, 1899);
      g_date_add_days (date, (guint) serial);
    }
  else if (sscanf (text, "%u%c%u%c%u%n", &a, &s1, &b, &s2, &c, &consumed) == 5 && s1 == s2
           && (s1 == '/' || s1 == '-' || s1 == '.') && (text[consumed] == '\0' || text[consumed] == ' '))
    {
      guint day = a, month = b, year = c;

      if (a > 31)
        {
          year = a;
          day = c;
        }
      if (year < 1000 || !g_date_valid_dmy (day, month, year))
        return NULL;
      date = g_date_new_dmy (day, month, year);
    }
  else
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

/* The state a register's word names; NULL when unknown. */
static const char *
state_of (const char *folded)
{
  static const struct {
    const char *word;
    const char *state;
  } states[] = {
    { "", "none" },
    { "aucun", "none" },
    { "brouillon", "none" },
    { "none", "none" },
    { "valide", "granted" },
    { "actif", "granted" },
    { "active", "granted" },
    { "accorde", "granted" },
    { "accordee", "granted" },
    { "domicilie", "granted" },
    { "domiciliee", "granted" },
    { "granted", "granted" },
    { "demande", "applied" },
    { "instruction", "applied" },
    { "en instruction", "applied" },
    { "en attente", "applied" },
    { "premiere demande", "applied" },
    { "applied", "applied" },
    { "a valider", "applied" }, /* Domifa's ATTENTE_DECISION */
    { "refus", "refused" },
    { "refuse", "refused" },
    { "refusee", "refused" },
    { "refused", "refused" },
    { "radie", "radiated" },
    { "radiee", "radiated" },
    { "radiation", "radiated" },
    { "radiated", "radiated" },
    { "expire", "expired" },
    { "expiree", "expired" },
    { "echu", "expired" },
    { "fin de droit", "expired" },
    { "expired", "expired" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (folded, states[i].word))
      return states[i].state;
  return NULL;
}

/* A header folded, without what follows a ':' or a '(' (Domifa writes
 * an example there: "Date de fin de la domiciliation: 12 octobre 2020",
 * "… (ex: 12/10/2020)"). */
static char *
header_fold (const char *header)
{
  g_autofree char *cut = g_strndup (header, strcspn (header, ":("));

  return relais_mail_fold (cut);
}

/* Cells with text in @row. */
static guint
row_filled (const Row *row)
{
  guint filled = 0;

  for (guint c = 0; c < row->cells->len; c++)
    filled += row_cell (row, c) != NULL && *row_cell (row, c) != '\0';
  return filled;
}

static char *
trimmed (const char *text)
{
  return text != NULL ? g_strstrip (g_strdup (text)) : g_strdup ("");
}

/* Checks one row (@numbers: the file's numbers taken by the rows
 * checked before) or, @numbers NULL, imports it (checked before); FALSE
 * with the reason in @error. */
static gboolean
import_row (RelaisDb   *db,
            const Row  *row,
            const int  *columns,
            const char *number_format,
            const char *today,
            gint64      now,
            GHashTable *numbers,
            GError    **error)
{
  /* NULL-terminated: every cell is set (trimmed () never gives NULL), so
   * g_strfreev () frees them all; g_autofree on an array freed only the
   * first. */
  g_auto(GStrv) cells = g_new0 (char *, N_FIELDS + 1);
  g_autofree char *birth = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *given = NULL;
  g_autofree char *state_folded = NULL;
  const char      *state;
  RelaisMailPerson in = { 0 };

  for (guint f = 0; f < N_FIELDS; f++)
    cells[f] = trimmed (row_cell (row, columns[f]));
  birth = date_of (cells[F_BIRTH]);
  if (birth == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "date de naissance illisible « %s »",
                   cells[F_BIRTH]);
      return FALSE;
    }
  if (*cells[F_FROM] != '\0' && (from = date_of (cells[F_FROM])) == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "date de début illisible « %s »", cells[F_FROM]);
      return FALSE;
    }
  if (*cells[F_TO] != '\0' && (to = date_of (cells[F_TO])) == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "date de fin illisible « %s »", cells[F_TO]);
      return FALSE;
    }
  state_folded = relais_mail_fold (cells[F_STATE]);
  state = state_of (state_folded);
  if (state == NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "statut inconnu « %s »", cells[F_STATE]);
      return FALSE;
    }
  /* No state written but dates: a domiciliation, running or ended. */
  if (g_str_equal (state, "none") && from != NULL)
    state = "granted";
  if (g_str_equal (state, "granted") || g_str_equal (state, "expired"))
    {
      if (from == NULL)
        {
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "domiciliation sans date de début");
          return FALSE;
        }
      if (to == NULL)
        {
          /* One year from the start, as the law gives it. */
          guint y, m, d;
          g_autoptr(GDate) end = NULL;

          sscanf (from, "%u-%u-%u", &y, &m, &d);
          end = g_date_new_dmy (d, m, y);
          g_date_add_years (end, 1);
          g_date_subtract_days (end, 1);
          to = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (end), g_date_get_month (end), g_date_get_day (end));
        }
      state = strcmp (to, today) < 0 ? "expired" : "granted";
    }
  if (*cells[F_NUMBER] == '\0' && numbers == NULL)
    {
      given = relais_db_mail_next_number (db, number_format, error);
      if (given == NULL)
        return FALSE;
    }
  /* Checking: a number to be given is any valid one. */
  in.number = given != NULL ? given : *cells[F_NUMBER] != '\0' ? cells[F_NUMBER]
                                                               : "0";
  in.surname = cells[F_SURNAME];
  in.first_names = cells[F_FIRST];
  in.birth_date = birth;
  in.phone = cells[F_PHONE];
  in.email = cells[F_EMAIL];
  in.notify = *cells[F_PHONE] != '\0' ? "sms" : *cells[F_EMAIL] != '\0' ? "email"
                                                                        : "none";
  if (numbers == NULL)
    return relais_db_mail_import_person (db, &in, state, from, to, "import", now, error);
  if (*cells[F_NUMBER] != '\0' && g_hash_table_contains (numbers, cells[F_NUMBER]))
    {
      g_set_error_literal (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "Numéro d'usager déjà dans le registre.");
      return FALSE;
    }
  if (*cells[F_NUMBER] == '\0')
    in.number = NULL;
  if (!relais_db_mail_import_check (db, &in, state, from, to, error))
    return FALSE;
  if (*cells[F_NUMBER] != '\0')
    g_hash_table_add (numbers, g_strdup (cells[F_NUMBER]));
  return TRUE;
}

/* A writer waited for the lock while a chunk was written: let it in
 * before the next (it asks again every 2 ms; a few rounds at most). */
static void
let_waiters_in (guint before)
{
  guint seen = relais_db_busy_waits ();

  for (guint i = 0; i < 100 && seen != before; i++)
    {
      before = seen;
      g_usleep (5000);
      seen = relais_db_busy_waits ();
    }
}

/* @data: the whole file, NUL after its @length bytes. */
static GPtrArray *
read_rows (const char *data, gsize length, gboolean xlsx, GError **error)
{
  g_autofree char *converted = NULL;
  const char      *text;

  if (length > MAX_FILE_BYTES)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "fichier trop grand (%d Mio au plus)",
                   MAX_FILE_BYTES / (1024 * 1024));
      return NULL;
    }
  if (xlsx)
    return read_xlsx (data, length, error);
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "ce n'est pas un fichier CSV (octet nul)");
      return NULL;
    }
  text = data;
  if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
    text += 3;
  else if (!g_utf8_validate (text, -1, NULL))
    {
      /* Excel's French CSV: Windows-1252. */
      converted = g_convert (text, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, error);
      if (converted == NULL)
        return NULL;
      text = converted;
    }
  return read_csv (text, error);
}

gboolean
relais_hub_import_people (RelaisDb           *db,
                          const char         *path,
                          const char         *number_format,
                          gboolean            skip_bad,
                          RelaisImportReport *report,
                          GError            **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (db != NULL && path != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return FALSE;
  if (g_mapped_file_get_length (file) > MAX_FILE_BYTES)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "fichier trop grand (%d Mio au plus)",
                   MAX_FILE_BYTES / (1024 * 1024));
      return FALSE;
    }
  bytes = g_mapped_file_get_bytes (file);
  return relais_hub_import_people_bytes (db, bytes, g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"),
                                         number_format, skip_bad, MAX_ROWS, report, error);
}

/* Whether a row has its number written (else the import gives one). */
static gboolean
has_number (const Row *row, const int *columns)
{
  g_autofree char *number = trimmed (row_cell (row, columns[F_NUMBER]));

  return *number != '\0';
}

/* The import stopped by the database after report->imported people: the
 * error says how many stay. */
static gboolean
import_stopped (RelaisImportReport *report, GError **error)
{
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "%u personne(s) importée(s), puis arrêt : ", report->imported);
  return FALSE;
}

gboolean
relais_hub_import_people_bytes (RelaisDb           *db,
                                GBytes             *data,
                                gboolean            xlsx,
                                const char         *number_format,
                                gboolean            skip_bad,
                                guint               max_people,
                                RelaisImportReport *report,
                                GError            **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  gsize            length;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  int              columns[N_FIELDS];
  guint            header = 0;
  Row             *first;
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) good = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) numberless = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (db != NULL && data != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  report->ignored = g_ptr_array_new_with_free_func (g_free);
  length = g_bytes_get_size (data);
  text = g_malloc (length + 1);
  memcpy (text, g_bytes_get_data (data, NULL), length);
  text[length] = '\0';
  rows = read_rows (text, length, xlsx, error);
  if (rows == NULL)
    return FALSE;
  /* The header: the first row with two cells or more (Domifa's export
   * has its date alone in the first row). */
  while (header < rows->len && row_filled (g_ptr_array_index (rows, header)) < 2)
    header++;
  if (header == rows->len)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "fichier vide");
      return FALSE;
    }
  /* Every row counted before anything is checked or written. */
  for (guint i = header + 1, people = 0; i < rows->len; i++)
    if (row_filled (g_ptr_array_index (rows, i)) > 0 && ++people > max_people)
      {
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                     "trop de lignes : %u personnes au plus par import", max_people);
        return FALSE;
      }
  first = g_ptr_array_index (rows, header);
  for (guint f = 0; f < N_FIELDS; f++)
    columns[f] = -1;
  for (guint c = 0; c < first->cells->len; c++)
    {
      g_autofree char *folded = header_fold (row_cell (first, c) != NULL ? row_cell (first, c) : "");
      gboolean         known = FALSE;

      for (guint f = 0; f < N_FIELDS && !known; f++)
        if (columns[f] < 0 && g_strv_contains (headers[f], folded))
          {
            columns[f] = c;
            known = TRUE;
          }
      if (!known && *folded != '\0')
        g_ptr_array_add (report->ignored, g_strdup (row_cell (first, c)));
    }
  for (guint f = F_SURNAME; f <= F_BIRTH; f++)
    if (columns[f] < 0)
      {
        g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                     "ligne %u : pas de colonne « %s » (en-têtes lus : nom, prénom, date de naissance, numéro, "
                     "téléphone, e-mail, statut, date de début, date de fin)",
                     first->line, field_names[f]);
        return FALSE;
      }

  /* Every row checked first, nothing written: a bad one, and nothing is
   * imported (unless told to skip them). */
  for (guint i = header + 1; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) bad = NULL;
      gboolean empty = TRUE;

      for (guint c = 0; c < row->cells->len && empty; c++)
        empty = row_cell (row, c) == NULL || *g_strstrip ((char *) row_cell (row, c)) == '\0';
      if (empty)
        continue;
      report->rows++;
      if (import_row (db, row, columns, number_format, today, g_get_real_time () / 1000, numbers, &bad))
        g_array_append_val (has_number (row, columns) ? good : numberless, i);
      else if (g_error_matches (bad, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
        g_ptr_array_add (report->problems, g_strdup_printf ("ligne %u : %s", row->line, bad->message));
      else
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&bad), "ligne %u : ", row->line);
          return FALSE;
        }
    }
  if (report->problems->len > 0 && !skip_bad)
    return TRUE;
  /* Then written, IMPORT_CHUNK people a transaction, so that the desk's
   * writes are not kept waiting the whole import. The numbers to give
   * last: they follow the file's own. */
  g_array_append_vals (good, numberless->data, numberless->len);
  for (guint done = 0; done < good->len;)
    {
      guint before = relais_db_busy_waits ();
      guint landed = 0;

      if (!relais_db_batch_begin (db, error))
        return import_stopped (report, error);
      for (guint n = 0; n < IMPORT_CHUNK && done < good->len; n++, done++)
        {
          Row *row = g_ptr_array_index (rows, g_array_index (good, guint, done));
          g_autoptr(GError) bad = NULL;

          if (import_row (db, row, columns, number_format, today, g_get_real_time () / 1000, NULL, &bad))
            landed++;
          else if (g_error_matches (bad, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID))
            /* Changed at the desk since the check (the number given to
             * someone meanwhile): this row only. */
            g_ptr_array_add (report->problems, g_strdup_printf ("ligne %u : %s", row->line, bad->message));
          else
            {
              /* The database itself failed: this chunk rolls back, the
               * ones before stay, and the report says how many. */
              relais_db_batch_rollback (db);
              g_propagate_prefixed_error (error, g_steal_pointer (&bad), "ligne %u : ", row->line);
              return import_stopped (report, error);
            }
        }
      if (!relais_db_batch_commit (db, error))
        return import_stopped (report, error);
      report->imported += landed;
      let_waiters_in (before);
    }
  return TRUE;
}
