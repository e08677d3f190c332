/* mediator-mail-numbers.c: the day's numbers on A4 (cairo and Pango), as
 * a PDF or through GtkPrintOperation: the same drawing for both. */

#include "mediator-mail-numbers.h"
#include "relais-i18n.h"
#include "relais-mail-records.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>

/* A4 in points. */
#define PAGE_W   595.28
#define PAGE_H   841.89
#define MARGIN   42.0
#define FOOTER_H 24.0
#define ROW_PAD  7.0
#define HEADS_H  18.0 /* the column heads */
/* Columns, from the left margin; the page is 511 points wide inside. */
#define COL_BOX     0.0
#define COL_NUMBER  42.0
#define COL_NAME    122.0
#define COL_LETTERS 300.0
#define COL_COUNT   452.0

typedef struct {
  char    *number;
  char    *name;       /* and, below, the registered letters to sign for */
  char    *letters;    /* "12, 13, 14" */
  GString *registered; /* "13" or "13, 14": registered letters among them */
  GString *kinds;      /* a notice's last day at La Poste, a parcel's shelf: one line each */
  guint    count;
  double   height;
} Line;

typedef struct {
  GPtrArray *lines;  /* Line* */
  GArray    *starts; /* guint: first line of each page */
  char      *title;
  char      *summary;
  double     header_h; /* title and summary, measured */
  guint      n_letters;
} List;

static void
line_free (Line *line)
{
  g_free (line->number);
  g_free (line->name);
  g_free (line->letters);
  g_string_free (line->registered, TRUE);
  g_string_free (line->kinds, TRUE);
  g_free (line);
}

static void
list_free (List *list)
{
  g_ptr_array_unref (list->lines);
  g_array_unref (list->starts);
  g_free (list->title);
  g_free (list->summary);
  g_free (list);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (List, list_free)

/* "2026-12-03" → "jeudi 3 décembre 2026", whatever the locale. */
static char *
day_words (const char *day)
{
  static const char * const weekdays[] = {
    N_ ("lundi"),
    N_ ("mardi"),
    N_ ("mercredi"),
    N_ ("jeudi"),
    N_ ("vendredi"),
    N_ ("samedi"),
    N_ ("dimanche"),
  };
  g_autofree char *iso = g_strconcat (day != NULL ? day : "", "T12:00:00Z", NULL);
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (iso, NULL);

  if (when == NULL)
    return g_strdup (day != NULL ? day : "");
  return g_strdup_printf ("%s %d %s %d", _ (weekdays[g_date_time_get_day_of_week (when) - 1]),
                          g_date_time_get_day_of_month (when), relais_i18n_month_name (g_date_time_get_month (when)),
                          g_date_time_get_year (when));
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *font,
             const char *text,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_height (cairo_t    *cr,
             const char *font,
             const char *text,
             double      width)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, text, width);
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return (double) h / PANGO_SCALE;
}

static void
show (cairo_t    *cr,
      const char *font,
      const char *text,
      double      x,
      double      y,
      double      width)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, text, width);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

#define FONT_NUMBER  "Sans Bold 13"
#define FONT_TEXT    "Sans 10"
#define FONT_LETTERS "Sans Bold 11"
#define FONT_TITLE   "Sans Bold 15"
#define FONT_HEAD    "Sans Bold 8"

/* One line per person, in the order given; pages cut between lines. */
static List *
list_new (GPtrArray  *letters,
          const char *day)
{
  g_autoptr(List) list = g_new0 (List, 1);
  g_autofree char *words = day_words (day);
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t         *cr = cairo_create (scratch);
  GString         *ids = NULL;
  Line            *line = NULL;
  double           used = 0, room;

  list->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  list->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; letters != NULL && i < letters->len; i++)
    {
      const RelaisMailLetter *l = g_ptr_array_index (letters, i);
      const char             *number = l->number;
      char                    id[32];

      if (line == NULL || !g_str_equal (line->number, number))
        {
          if (line != NULL)
            line->letters = g_string_free (ids, FALSE);
          line = g_new0 (Line, 1);
          line->number = g_strdup (number);
          line->name = g_strdup (l->person != NULL ? l->person : "");
          line->registered = g_string_new (NULL);
          line->kinds = g_string_new (NULL);
          ids = g_string_new (NULL);
          g_ptr_array_add (list->lines, line);
        }
      g_snprintf (id, sizeof id, "%s%" G_GINT64_FORMAT, ids->len > 0 ? ", " : "",
                  l->id);
      g_string_append (ids, id);
      if (g_strcmp0 (l->kind, "registered") == 0)
        g_string_append_printf (line->registered, "%s%" G_GINT64_FORMAT, line->registered->len > 0 ? ", " : "",
                                l->id);
      /* A notice goes back to its sender after its last day at La Poste;
       * a parcel is found by its shelf. The letter's number as text: a
       * translator's string cannot hold G_GINT64_FORMAT. */
      if (g_strcmp0 (l->kind, "notice") == 0 && l->notice_deadline != NULL && strlen (l->notice_deadline) == 10)
        {
          g_autofree char *by = g_strdup_printf ("%.2s/%.2s/%.4s", l->notice_deadline + 8, l->notice_deadline + 5,
                                                 l->notice_deadline);

          g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, l->id);
          g_string_append_c (line->kinds, '\n');
          g_string_append_printf (line->kinds, _ ("avis de passage n° %s : à retirer à La Poste au plus tard le %s"), id, by);
        }
      else if (g_strcmp0 (l->kind, "parcel") == 0 && l->parcel_note != NULL)
        {
          g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, l->id);
          g_string_append_c (line->kinds, '\n');
          g_string_append_printf (line->kinds, _ ("colis n° %s, rangé : %s"), id, l->parcel_note);
        }
      line->count++;
      list->n_letters++;
    }
  if (line != NULL)
    line->letters = g_string_free (ids, FALSE);
  for (guint i = 0; i < list->lines->len; i++)
    {
      Line *l = g_ptr_array_index (list->lines, i);

      /* Registered letters are signed for at the desk: said by the name. */
      if (l->registered->len > 0)
        {
          g_autofree char *name = g_strdup_printf (_ ("%s\nrecommandé : n° %s"), l->name, l->registered->str);

          g_free (l->name);
          l->name = g_steal_pointer (&name);
        }
      if (l->kinds->len > 0)
        {
          g_autofree char *name = g_strconcat (l->name, l->kinds->str, NULL);

          g_free (l->name);
          l->name = g_steal_pointer (&name);
        }
    }

  list->title = g_strdup_printf (_ ("Courrier du %s"), words);
  list->summary = g_strdup_printf (ngettext ("Numéros à ranger : %u courrier pour %u personne. Écrivez son numéro sur la "
                                             "lettre, rangez-la sous le numéro d'usager, puis cochez la case.",
                                             "Numéros à ranger : %u courriers pour %u personnes. Écrivez son numéro sur "
                                             "chaque lettre, rangez-la sous le numéro d'usager, puis cochez la case.",
                                             list->n_letters),
                                   list->n_letters, list->lines->len);
  list->header_h = text_height (cr, FONT_TITLE, list->title, PAGE_W - 2 * MARGIN) + 6
                   + text_height (cr, FONT_TEXT, list->summary, PAGE_W - 2 * MARGIN) + 14 + HEADS_H;
  room = PAGE_H - 2 * MARGIN - list->header_h - FOOTER_H;

  /* Each line as tall as its longest cell; a page holds what fits. */
  for (guint i = 0; i < list->lines->len; i++)
    {
      Line *l = g_ptr_array_index (list->lines, i);

      l->height = ROW_PAD + MAX (MAX (text_height (cr, FONT_NUMBER, l->number, COL_NAME - COL_NUMBER - 6), text_height (cr, FONT_TEXT, l->name, COL_LETTERS - COL_NAME - 8)), text_height (cr, FONT_LETTERS, l->letters, COL_COUNT - COL_LETTERS - 8));
      if (list->starts->len == 0 || used + l->height > room)
        {
          g_array_append_val (list->starts, i);
          used = 0;
        }
      used += l->height;
    }
  if (list->starts->len == 0)
    {
      guint zero = 0;
      g_array_append_val (list->starts, zero);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  return g_steal_pointer (&list);
}

static void
draw_page (List    *list,
           cairo_t *cr,
           guint    page)
{
  guint            first = g_array_index (list->starts, guint, page);
  guint            end = page + 1 < list->starts->len ? g_array_index (list->starts, guint, page + 1) : list->lines->len;
  double           y = MARGIN, w = PAGE_W - 2 * MARGIN;
  g_autofree char *footer = g_strdup_printf (_ ("Page %u sur %u"), page + 1, list->starts->len);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  show (cr, FONT_TITLE, list->title, MARGIN, y, w);
  y += text_height (cr, FONT_TITLE, list->title, w) + 6;
  show (cr, FONT_TEXT, list->summary, MARGIN, y, w);
  y = MARGIN + list->header_h - HEADS_H;
  show (cr, FONT_HEAD, _ ("Rangé"), MARGIN + COL_BOX, y, 0);
  show (cr, FONT_HEAD, _ ("N° d'usager"), MARGIN + COL_NUMBER, y, COL_NAME - COL_NUMBER - 4);
  show (cr, FONT_HEAD, _ ("Nom"), MARGIN + COL_NAME, y, COL_LETTERS - COL_NAME - 4);
  show (cr, FONT_HEAD, _ ("Numéros des courriers"), MARGIN + COL_LETTERS, y, COL_COUNT - COL_LETTERS - 4);
  show (cr, FONT_HEAD, _ ("Lettres"), MARGIN + COL_COUNT, y, w - COL_COUNT);
  y = MARGIN + list->header_h - 4;
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, MARGIN + w, y);
  cairo_stroke (cr);
  y += 4;

  if (list->lines->len == 0)
    show (cr, FONT_TEXT, _ ("Aucun courrier enregistré ce jour-là."), MARGIN, y, w);
  for (guint i = first; i < end; i++)
    {
      Line            *l = g_ptr_array_index (list->lines, i);
      g_autofree char *count = g_strdup_printf ("%u", l->count);

      /* A box to tick once the letters are in the cabinet. */
      cairo_set_line_width (cr, 0.8);
      cairo_rectangle (cr, MARGIN + COL_BOX, y + 3, 11, 11);
      cairo_stroke (cr);
      show (cr, FONT_NUMBER, l->number, MARGIN + COL_NUMBER, y, COL_NAME - COL_NUMBER - 6);
      show (cr, FONT_TEXT, l->name, MARGIN + COL_NAME, y + 2, COL_LETTERS - COL_NAME - 8);
      show (cr, FONT_LETTERS, l->letters, MARGIN + COL_LETTERS, y + 1, COL_COUNT - COL_LETTERS - 8);
      show (cr, FONT_TEXT, count, MARGIN + COL_COUNT, y + 2, w - COL_COUNT);
      y += l->height;
      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, MARGIN, y - ROW_PAD / 2);
      cairo_line_to (cr, MARGIN + w, y - ROW_PAD / 2);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
    }
  show (cr, "Sans 8", footer, MARGIN, PAGE_H - MARGIN - 10, w);
  cairo_restore (cr);
}

gboolean
mediator_mail_numbers_pdf (GPtrArray  *letters,
                           const char *day,
                           const char *path,
                           GError    **error)
{
  g_autoptr(List) list = NULL;
  g_autofree char *tmp = NULL;
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;

  g_return_val_if_fail (path != NULL, FALSE);

  list = list_new (letters, day);
  tmp = g_strconcat (path, ".part", NULL);
  surface = cairo_pdf_surface_create (tmp, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, list->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  cr = cairo_create (surface);
  for (guint page = 0; page < list->starts->len; page++)
    {
      draw_page (list, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("La liste n'a pas pu être écrite dans %s : %s"), path,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                List              *list)
{
  gtk_print_operation_set_n_pages (operation, list->starts->len);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              List              *list)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  /* The drawing is in A4 points; the printer's page may differ a little. */
  cairo_scale (cr, gtk_print_context_get_width (context) / PAGE_W, gtk_print_context_get_height (context) / PAGE_H);
  draw_page (list, cr, (guint) page);
}

gboolean
mediator_mail_numbers_print (GtkWindow  *parent,
                             GPtrArray  *letters,
                             const char *day,
                             const char *export_path,
                             GError    **error)
{
  g_autoptr(List) list = list_new (letters, day);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  GtkPrintOperationResult result;

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, list->title);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), list);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), list);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);
  result = gtk_print_operation_run (operation,
                                    export_path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                        : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
