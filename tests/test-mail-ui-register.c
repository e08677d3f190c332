/* test-mail-ui-register.c: the registration of the morning's mail at the
 * console (one letter, a batch, a notice and a parcel), its lists and PDF;
 * part of test-mail-ui's program (its hub, console and station). */
#include "test-mail-ui.h"

void
test_register (void)
{
  MediatorMail    *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  g_autofree char *shot = NULL;

  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "register");

  /* "dup": the two Marie Dupont are flagged homonyms, Dupond is close. */
  mediator_mail_type_name (mail, "dup");
  wait_candidates (mail, 3);
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 0), "DUPOND"));
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 0), "nom proche"));
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 1), "HOMONYME"));
  g_assert_nonnull (strstr (mediator_mail_get_candidate (mail, 2), "HOMONYME"));
  relais_test_ui_settle (200);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register");

  mediator_mail_choose (mail, 1);
  mediator_mail_add (mail, 2, "ordinary", NULL);
  mediator_mail_type_name (mail, "lefevre");
  wait_candidates (mail, 1);
  mediator_mail_choose (mail, 0);
  mediator_mail_add (mail, 1, "registered", "1A00112233445");
  mediator_mail_type_name (mail, "Personne Inconnue");
  g_assert_true (relais_test_wait (idle, mail));
  mediator_mail_add_unknown (mail, 1);
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 3);
  mediator_mail_submit (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_test_message ("%s", mediator_mail_get_message (mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Lot enregistré : 3 courriers"));
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 0);
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-registered");
}

/* The text of @path's PDF, every page. */
static char *
pdf_text (const char *path, int *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  PopplerDocument *doc = poppler_document_new_from_file (uri, NULL, &error);
  GString         *text = g_string_new (NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage     *page = poppler_document_get_page (doc, i);
      g_autofree char *t = poppler_page_get_text (page);

      g_string_append (text, t);
      g_object_unref (page);
    }
  g_object_unref (doc);
  return g_string_free (text, FALSE);
}

/* A morning's registering: « Lettres » and « Sorte » start afresh for
 * each name, the lists show many lines, a name unknown here is explained
 * plainly, and the day's list prints on A4 by user number. */
void
test_register_morning (void)
{
  MediatorMail             *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  static const char * const names[] = { "dupont marie-c", "n'go", "diallo", NULL };
  static const char * const unknown[] = { "Jean-Pierre Sansnom", "Aline Personne", "Marc Nulle-Part", "Ève Inconnue", NULL };
  g_autofree char          *pdf = relais_test_artifact_path ("mail-day-list.pdf");
  g_autofree char          *printed = relais_test_artifact_path ("mail-day-list-printed.pdf");
  g_autofree char          *shot = NULL;
  g_autofree char          *text = NULL;
  int                       n_pages = 0;

  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "register");

  /* Three registered letters for the first: the next name starts on one
   * ordinary letter again. */
  mediator_mail_type_name (mail, "dupond");
  wait_candidates (mail, 1);
  mediator_mail_choose (mail, 0);
  mediator_mail_set_count_kind (mail, 3, "tax");
  mediator_mail_add_as_typed (mail);
  g_assert_cmpint (mediator_mail_get_count (mail), ==, 1);
  g_assert_cmpstr (mediator_mail_get_kind (mail), ==, "ordinary");

  /* A name nobody has here: what to do, in plain words. */
  mediator_mail_type_name (mail, "Zyxwvu");
  g_assert_true (relais_test_wait (idle, mail));
  relais_test_ui_settle (300);
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (mail), "Aucune personne domiciliée ici ne porte ce nom"));
  g_assert_false (relais_test_ui_has_text (GTK_WIDGET (mail), "Personne de ce nom"));

  for (guint i = 0; names[i] != NULL; i++)
    {
      mediator_mail_type_name (mail, names[i]);
      wait_candidates (mail, 1);
      mediator_mail_choose (mail, 0);
      mediator_mail_add_as_typed (mail);
    }
  for (guint i = 0; unknown[i] != NULL; i++)
    {
      mediator_mail_type_name (mail, unknown[i]);
      g_assert_true (relais_test_wait (idle, mail));
      mediator_mail_add_unknown (mail, 1);
    }
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 8);
  relais_test_ui_settle (300);
  /* More than the three lines the list used to show. */
  g_test_message ("batch rows visible: %u", mediator_mail_get_visible_rows (mail, "batch"));
  g_assert_cmpuint (mediator_mail_get_visible_rows (mail, "batch"), >=, 6);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-batch");
  mediator_mail_submit (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_test_message ("%s", mediator_mail_get_message (mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Lot enregistré"));
  relais_test_ui_settle (300);
  g_test_message ("numbers rows visible: %u", mediator_mail_get_visible_rows (mail, "done"));
  g_assert_cmpuint (mediator_mail_get_visible_rows (mail, "done"), >=, 6);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-numbers");

  /* The day's list: every letter of the day, by user number. */
  mediator_mail_save_day_list (mail, pdf);
  g_assert_true (relais_test_wait (idle, mail));
  g_test_message ("%s", mediator_mail_get_message (mail));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  text = pdf_text (pdf, &n_pages);
  g_assert_cmpint (n_pages, >=, 1);
  g_assert_nonnull (strstr (text, "Numéros à ranger"));
  g_assert_nonnull (strstr (text, "LEFÈVRE Élodie"));
  g_assert_nonnull (strstr (text, "recommandé : n°"));
  g_assert_nonnull (strstr (text, "DIALLO Fatou"));
  g_assert_cmpint (strstr (text, "1001") < strstr (text, "1004") ? 1 : 0, ==, 1);
  g_assert_null (strstr (text, "Sansnom"));
  /* And through the print path, as the printer would get it. */
  mediator_mail_print_day_list (mail, printed);
  g_assert_true (relais_test_wait (idle, mail));
  g_assert_true (g_file_test (printed, G_FILE_TEST_EXISTS));
  g_clear_pointer (&text, g_free);
  text = pdf_text (printed, &n_pages);
  g_assert_nonnull (strstr (text, "LEFÈVRE Élodie"));
}

static void
find_entry_cb (GtkWidget *widget, gpointer data)
{
  gpointer *found = data;

  if (found[1] != NULL)
    return;
  if (GTK_IS_ENTRY (widget) && g_strcmp0 (atk_object_get_name (gtk_widget_get_accessible (widget)), found[0]) == 0)
    found[1] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_entry_cb, data);
}

/* The entry a screen reader calls @name, shown or not. */
static GtkWidget *
find_entry (GtkWidget *root, const char *name)
{
  gpointer found[2] = { (gpointer) name, NULL };

  find_entry_cb (root, found);
  g_assert_nonnull (found[1]);
  return found[1];
}

/* The text of @path's PDF with its lines joined: a cell's wrapped words
 * read as one sentence. */
static char *
pdf_sentences (const char *path)
{
  int              n_pages = 0;
  g_autofree char *text = pdf_text (path, &n_pages);

  g_assert_cmpint (n_pages, >=, 1);
  g_strdelimit (text, "\n", ' ');
  return g_steal_pointer (&text);
}

/* A notice and a parcel registered at the desk: the parcel's shelf is
 * typed as it is registered (its entry shown for a parcel only), and the
 * numbers to write say the notice's last day at La Poste and the
 * parcel's shelf, on screen and on the day's list; the hand-over shows
 * the shelf typed at registration. */
void
test_register_notice_parcel (void)
{
  MediatorMail    *mail = MEDIATOR_MAIL (mediator_window_get_mail (window));
  RelaisDb        *db = relais_hub_get_db (hub->hub);
  g_autofree char *pdf = relais_test_artifact_path ("mail-day-list-notice-parcel.pdf");
  g_autofree char *printed = relais_test_artifact_path ("mail-day-list-notice-parcel-printed.pdf");
  g_autofree char *shot = NULL;
  g_autofree char *text = NULL;
  g_autofree char *on_screen = NULL;
  g_autofree char *on_paper = NULL;
  g_autofree char *shelf_on_paper = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  const RelaisMailLetter *notice = NULL, *parcel = NULL;
  GtkWidget              *entry;

  add_person ("1011", "Garnier", "Paul", "1966-06-06", "CARTE-GARNIER");
  mediator_window_show_view (window, "mail");
  mediator_mail_show (mail, "register");
  entry = find_entry (GTK_WIDGET (mail), "Rangement du colis :");
  g_assert_false (gtk_widget_get_visible (entry));

  /* A notice: one at a time, Enter adds it. */
  mediator_mail_type_name (mail, "garnier");
  wait_candidates (mail, 1);
  mediator_mail_choose (mail, 0);
  mediator_mail_set_count_kind (mail, 1, "notice");
  g_assert_false (gtk_widget_get_visible (entry));
  mediator_mail_add_as_typed (mail);
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 1);

  /* A parcel: Enter on « Lettres » goes to its shelf, Enter there adds it. */
  mediator_mail_type_name (mail, "garnier");
  wait_candidates (mail, 1);
  mediator_mail_choose (mail, 0);
  mediator_mail_set_count_kind (mail, 1, "parcel");
  g_assert_true (gtk_widget_get_visible (entry));
  mediator_mail_add_as_typed (mail);
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 1);
  g_assert_true (gtk_widget_is_focus (entry));
  gtk_entry_set_text (GTK_ENTRY (entry), "  petit carton, étagère B ");
  relais_test_ui_settle (100);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-parcel-shelf");
  gtk_widget_activate (entry);
  g_assert_cmpuint (mediator_mail_get_batch_size (mail), ==, 2);
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (mail), "colis — rangé : petit carton, étagère B"));
  /* The next name starts on an ordinary letter: no shelf asked, none kept. */
  g_assert_false (gtk_widget_get_visible (entry));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "");

  mediator_mail_submit (mail);
  g_assert_true (relais_test_wait (idle, mail));
  g_test_message ("%s", mediator_mail_get_message (mail));
  g_assert_nonnull (strstr (mediator_mail_get_message (mail), "Lot enregistré : 2 courriers"));
  waiting = relais_db_mail_waiting (db, "1011", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 2);
  for (guint i = 0; i < waiting->len; i++)
    {
      const RelaisMailLetter *l = waiting->pdata[i];

      if (g_str_equal (l->kind, "notice"))
        notice = l;
      else if (g_str_equal (l->kind, "parcel"))
        parcel = l;
    }
  g_assert_nonnull (notice);
  g_assert_nonnull (parcel);
  g_assert_cmpstr (parcel->parcel_note, ==, "petit carton, étagère B");
  g_assert_cmpuint (strlen (notice->notice_deadline), ==, 10);

  /* The numbers to write, on screen. */
  on_screen = g_strdup_printf ("avis de passage — à retirer à La Poste au plus tard le %.2s/%.2s/%.4s",
                               notice->notice_deadline + 8, notice->notice_deadline + 5, notice->notice_deadline);
  relais_test_ui_settle (200);
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (mail), on_screen));
  g_assert_true (relais_test_ui_shows_text (GTK_WIDGET (mail), "colis — rangé : petit carton, étagère B"));
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-register-notice-parcel-numbers");

  /* And on the day's list, saved and printed alike. */
  on_paper = g_strdup_printf ("avis de passage n° %" G_GINT64_FORMAT " : à retirer à La Poste au plus tard le %.2s/%.2s/%.4s",
                              notice->id, notice->notice_deadline + 8, notice->notice_deadline + 5, notice->notice_deadline);
  shelf_on_paper = g_strdup_printf ("colis n° %" G_GINT64_FORMAT ", rangé : petit carton, étagère B", parcel->id);
  mediator_mail_save_day_list (mail, pdf);
  g_assert_true (relais_test_wait (idle, mail));
  text = pdf_sentences (pdf);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "GARNIER Paul"));
  g_assert_nonnull (strstr (text, on_paper));
  g_assert_nonnull (strstr (text, shelf_on_paper));
  mediator_mail_print_day_list (mail, printed);
  g_assert_true (relais_test_wait (idle, mail));
  g_clear_pointer (&text, g_free);
  text = pdf_sentences (printed);
  g_assert_nonnull (strstr (text, on_paper));
  g_assert_nonnull (strstr (text, shelf_on_paper));
  {
    g_autofree char *png = relais_test_artifact_path ("mail-day-list-notice-parcel");
    g_autofree char *command = g_strdup_printf ("pdftoppm -png -r 70 -f 1 -l 1 %s %s", pdf, png);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }

  /* The hand-over shows the shelf typed at registration. */
  mediator_mail_show (mail, "hand-over");
  mediator_mail_lookup (mail, "CARTE-GARNIER");
  wait_waiting (mail, 2);
  g_assert_true (relais_test_ui_has_text (GTK_WIDGET (window), "rangé : petit carton, étagère B"));
  relais_test_ui_settle (200);
  g_clear_pointer (&shot, g_free);
  shot = relais_test_ui_screenshot (GTK_WIDGET (window), "mail-console-hand-over-notice-parcel");
}
