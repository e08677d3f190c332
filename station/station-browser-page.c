/* station-browser-page.c: "Internet": large tiles for the sites staff
 * configured, an address bar, and an ephemeral web browser
 * (assets/ui/station-browser-page.ui).
 *
 * Ephemeral by construction: the page's WebKitWebContext has an ephemeral
 * website data manager (cookies, local storage, IndexedDB, service
 * workers and cache in memory only) and is made when a site is first
 * opened; the window rebuilds every page at the end of a session, and the
 * context, its views and their data go with this page's widgets. WebKit's
 * web and network processes are its own, apart from the station's. */

#include "station-browser-page-private.h"
#include "relais-document.h"
#include "relais-version.h"

#include <cairo-pdf.h>
#include <gmodule.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>
#include <glib/gstdio.h>

G_DEFINE_FINAL_TYPE (StationBrowserPage, station_browser_page, STATION_TYPE_PAGE)

/* What station-browser.c checks before it uses this module: built with
 * the same station (the functions of relais-station it calls). */
G_MODULE_EXPORT const char station_browser_module_version[] = RELAIS_VERSION;

static WebKitWebView *
current_view (StationBrowserPage *self)
{
  int n = gtk_notebook_get_current_page (GTK_NOTEBOOK (self->tabs));

  if (n < 0)
    return NULL;
  return WEBKIT_WEB_VIEW (gtk_notebook_get_nth_page (GTK_NOTEBOOK (self->tabs), n));
}

static void
set_status (StationBrowserPage *self,
            const char         *css_class,
            const char         *text)
{
  station_page_set_status (self->status, &self->status_text, css_class, text);
}

/* Back from the first site's page would lead to the about:blank the
 * spare's web process was started on (_station_browser_page_spare_make ()): not a page. */
static gboolean
can_go_back (WebKitWebView *view)
{
  WebKitBackForwardListItem *item;

  if (view == NULL || !webkit_web_view_can_go_back (view))
    return FALSE;
  item = webkit_back_forward_list_get_back_item (webkit_web_view_get_back_forward_list (view));
  return item == NULL || g_strcmp0 (webkit_back_forward_list_item_get_uri (item), "about:blank") != 0;
}

/* Back, forward and the address follow the view shown. */
static void
update_nav (StationBrowserPage *self)
{
  WebKitWebView *view = current_view (self);
  const char    *uri = view != NULL ? webkit_web_view_get_uri (view) : NULL;

  gtk_widget_set_sensitive (self->back_button, can_go_back (view));
  gtk_widget_set_sensitive (self->forward_button, view != NULL && webkit_web_view_can_go_forward (view));
  if (uri != NULL && !gtk_widget_has_focus (self->address))
    gtk_entry_set_text (GTK_ENTRY (self->address), uri);
}

/* What a help request raised now says of where the person is: the
 * page's host and title, never its path or query. */
static void
update_help_context (StationBrowserPage *self)
{
  WebKitWebView   *view = current_view (self);
  g_autofree char *context = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->problem_uri != NULL)
    context = relais_web_help_context (self->problem_uri, gtk_label_get_text (GTK_LABEL (self->problem_title)));
  else if (view != NULL && (g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->views)), "web") || g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->views)), "chooser")))
    context = relais_web_help_context (webkit_web_view_get_uri (view), webkit_web_view_get_title (view));
  station_services_set_help_context (STATION_PAGE_SERVICES (self), RELAIS_HELP_CONTEXT_SITE, context);
}

static void
show_view (StationBrowserPage *self,
           const char         *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), name);
  gtk_widget_set_visible (self->nav_bar, g_str_equal (name, "web") || g_str_equal (name, "problem"));
  if (!g_str_equal (name, "problem"))
    {
      g_clear_pointer (&self->problem, g_free);
      g_clear_pointer (&self->problem_uri, g_free);
    }
  update_help_context (self);
}

/* A refusal, in plain French, with the help button; never a way round. */
static void
show_problem (StationBrowserPage *self,
              const char         *uri,
              const char         *title,
              const char         *text)
{
  gtk_label_set_text (GTK_LABEL (self->problem_title), title);
  gtk_label_set_text (GTK_LABEL (self->problem_text), text);
  g_free (self->problem_uri);
  self->problem_uri = g_strdup (uri);
  g_free (self->problem);
  self->problem = g_strdup (text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), "problem");
  gtk_widget_show (self->nav_bar);
  update_help_context (self);
}

static void
refuse (StationBrowserPage *self,
        RelaisWebVerdict    verdict,
        const char         *uri)
{
  g_autofree char *host = NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *text = NULL;

  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    host = g_strdup (g_uri_get_host (parsed));
  if (verdict == RELAIS_WEB_VERDICT_BLOCKED && host != NULL)
    text = g_strdup_printf (_ ("Le site « %s » n'est pas ouvert sur ce poste.\n"
                               "Si vous en avez besoin, un médiateur peut vous aider."),
                            host);
  else
    text = g_strdup (_ ("Cette adresse ne peut pas être ouverte sur ce poste.\n"
                        "Seuls les sites internet s'ouvrent ici."));
  show_problem (self, uri, _ ("Site non disponible"), text);
}

/* Every navigation, in every tab and pop-up, is asked for first: the
 * staff's policy, and nothing but http(s). */
static gboolean
decide_policy_cb (WebKitWebView           *view,
                  WebKitPolicyDecision    *decision,
                  WebKitPolicyDecisionType type,
                  StationBrowserPage      *self)
{
  WebKitNavigationAction *action;
  WebKitURIRequest       *request;
  const char             *uri;
  RelaisWebVerdict        verdict;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;
  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);
  verdict = relais_web_policy_check (STATION_PAGE_SERVICES (self)->web_policy, uri);
  if (verdict == RELAIS_WEB_VERDICT_ALLOWED)
    return FALSE;
  webkit_policy_decision_ignore (decision);
  /* A frame's or a script's own loads are refused quietly; what the
   * person asked for says why. */
  if (webkit_navigation_action_is_user_gesture (action) || webkit_navigation_action_is_redirect (action)
      || webkit_web_view_get_uri (view) == NULL)
    refuse (self, verdict, uri);
  return TRUE;
}

static void
load_changed_cb (WebKitWebView      *view,
                 WebKitLoadEvent     event,
                 StationBrowserPage *self)
{
  if (view != current_view (self))
    return;
  switch (event)
    {
    case WEBKIT_LOAD_STARTED:
      set_status (self, "relais-status-wait", _ ("Chargement…"));
      break;
    case WEBKIT_LOAD_COMMITTED:
      if (g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->views)), "problem"))
        show_view (self, "web");
      break;
    case WEBKIT_LOAD_FINISHED:
      set_status (self, NULL, "");
      break;
    case WEBKIT_LOAD_REDIRECTED:
    default:
      break;
    }
  update_nav (self);
}

static gboolean
load_failed_cb (WebKitWebView      *view,
                WebKitLoadEvent     event,
                const char         *uri,
                GError             *error,
                StationBrowserPage *self)
{
  /* Stopped, or refused by decide_policy_cb (which said why). */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || error->domain == WEBKIT_POLICY_ERROR
      || g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    {
      set_status (self, NULL, "");
      return TRUE;
    }
  g_message ("page not loaded: %s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  show_problem (self, uri, _ ("Page introuvable"),
                _ ("Cette page ne s'ouvre pas. Vérifiez l'adresse, ou réessayez dans un moment.\n"
                   "Un médiateur peut vous aider."));
  set_status (self, NULL, "");
  return TRUE;
}

/* A certificate that is not valid: refused, with no way to go on. */
static gboolean
load_failed_tls_cb (WebKitWebView       *view,
                    const char          *uri,
                    GTlsCertificate     *certificate,
                    GTlsCertificateFlags errors,
                    StationBrowserPage  *self)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  g_message ("TLS refused for %s (flags 0x%x)", parsed != NULL ? g_uri_get_host (parsed) : "?", errors);
  show_problem (self, uri, _ ("Site non sûr"),
                _ ("Ce site n'a pas pu prouver qu'il est bien celui qu'il dit être.\n"
                   "Pour votre sécurité, il ne s'ouvre pas. Un médiateur peut vous aider."));
  set_status (self, NULL, "");
  return TRUE;
}

static void
title_changed_cb (WebKitWebView      *view,
                  GParamSpec         *pspec,
                  StationBrowserPage *self)
{
  GtkWidget  *label = gtk_notebook_get_tab_label (GTK_NOTEBOOK (self->tabs), GTK_WIDGET (view));
  const char *title = webkit_web_view_get_title (view);

  if (view == current_view (self))
    update_help_context (self);
  if (label != NULL)
    {
      GtkWidget *name = g_object_get_data (G_OBJECT (label), "relais-title");

      if (name != NULL)
        gtk_label_set_text (GTK_LABEL (name), title != NULL && *title != '\0' ? title : _ ("Nouvelle fenêtre"));
    }
}

/* The person's touch on a page: menus of their own would lead out of the
 * kiosk (open in a new window, inspect, save the image). */
static gboolean
context_menu_cb (WebKitWebView       *view,
                 WebKitContextMenu   *menu,
                 GdkEvent            *event,
                 WebKitHitTestResult *hit,
                 gpointer             user_data)
{
  return TRUE;
}

static void       close_tab_clicked_cb (GtkButton *button, StationBrowserPage *self);
static GtkWidget *create_cb (WebKitWebView *view, WebKitNavigationAction *action, StationBrowserPage *self);

static void
page_close_cb (WebKitWebView      *view,
               StationBrowserPage *self)
{
  int n = gtk_notebook_page_num (GTK_NOTEBOOK (self->tabs), GTK_WIDGET (view));

  /* window.close () on a pop-up closes its tab; the first stays. */
  if (n > 0)
    gtk_notebook_remove_page (GTK_NOTEBOOK (self->tabs), n);
  gtk_notebook_set_show_tabs (GTK_NOTEBOOK (self->tabs), gtk_notebook_get_n_pages (GTK_NOTEBOOK (self->tabs)) > 1);
  update_nav (self);
}

/* alert (), confirm (), prompt (): a large question over the page,
 * answered by the page's own buttons; prompt () gets its default
 * answer (the on-screen keyboard types in pages, not in questions). */
static gboolean
script_dialog_cb (WebKitWebView      *view,
                  WebKitScriptDialog *dialog,
                  StationBrowserPage *self)
{
  WebKitScriptDialogType type = webkit_script_dialog_get_dialog_type (dialog);
  gboolean               question = type != WEBKIT_SCRIPT_DIALOG_ALERT;

  if (self->dialog != NULL)
    {
      webkit_script_dialog_close (self->dialog);
      g_clear_pointer (&self->dialog, webkit_script_dialog_unref);
    }
  self->dialog = webkit_script_dialog_ref (dialog);
  gtk_label_set_text (GTK_LABEL (self->dialog_text), webkit_script_dialog_get_message (dialog));
  gtk_widget_set_visible (self->dialog_cancel, question);
  gtk_button_set_label (GTK_BUTTON (self->dialog_ok), question ? _ ("_Oui") : _ ("_D'accord"));
  gtk_widget_show (self->dialog_box);
  return TRUE;
}

static void
answer_dialog (StationBrowserPage *self,
               gboolean            yes)
{
  WebKitScriptDialogType type;

  if (self->dialog == NULL)
    return;
  type = webkit_script_dialog_get_dialog_type (self->dialog);
  if (type == WEBKIT_SCRIPT_DIALOG_CONFIRM || type == WEBKIT_SCRIPT_DIALOG_BEFORE_UNLOAD_CONFIRM)
    webkit_script_dialog_confirm_set_confirmed (self->dialog, yes);
  else if (type == WEBKIT_SCRIPT_DIALOG_PROMPT)
    webkit_script_dialog_prompt_set_text (self->dialog, yes ? webkit_script_dialog_prompt_get_default_text (self->dialog) : NULL);
  webkit_script_dialog_close (self->dialog);
  g_clear_pointer (&self->dialog, webkit_script_dialog_unref);
  gtk_widget_hide (self->dialog_box);
}

static void
dialog_ok_clicked_cb (StationBrowserPage *self)
{
  answer_dialog (self, TRUE);
}

static void
dialog_cancel_clicked_cb (StationBrowserPage *self)
{
  answer_dialog (self, FALSE);
}

static void
print_status_cb (StationPrintJob    *job,
                 const char         *css_class,
                 const char         *text,
                 StationBrowserPage *self)
{
  set_status (self, css_class, text);
}

static void
print_finished_cb (StationPrintJob    *job,
                   StationBrowserPage *self)
{
  g_clear_object (&self->print);
}

/* Through the station's one print path: the session's page cap, the
 * printer's problems in plain words, a mediator called if needed. */
static void
print_document (StationBrowserPage *self,
                GBytes             *pdf,
                const char         *title)
{
  g_autoptr(GError) error = NULL;
  RelaisDocument    *document = relais_document_new_from_bytes (pdf, &error);
  RelaisPrintOptions options = { 1, TRUE, FALSE, "" };
  int                pages;

  if (document == NULL)
    {
      set_status (self, "relais-status-problem", error->message);
      return;
    }
  pages = relais_document_get_n_pages (document);
  relais_document_free (document);
  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
  self->print = station_print_job_new (STATION_PAGE_SERVICES (self), STATION_COUNT_PAGES_PRINTED, (guint) MAX (1, pages));
  g_signal_connect_object (self->print, "status", G_CALLBACK (print_status_cb), self, 0);
  g_signal_connect_object (self->print, "finished", G_CALLBACK (print_finished_cb), self, 0);
  station_print_job_start (self->print, pdf, "application/pdf", title, &options);
}

/* A page to paper: WebKit's own printing goes through its web process
 * and that process's GTK print backends, which the station cannot aim
 * at its print path (it looks for printers itself and wrote nothing in
 * the tests). The page is drawn instead (the whole document, as shown),
 * cut into A4 pages and made a PDF, then printed as any document. */
#define A4_WIDTH_PT     595.0
#define A4_HEIGHT_PT    842.0
#define PRINT_MARGIN_PT 28.0
/* A page longer than this is cut here (about 20 A4 pages). */
#define PRINT_MAX_PAGES 20

static cairo_status_t
append_pdf_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
pdf_from_snapshot (cairo_surface_t *snapshot)
{
  GByteArray      *pdf = g_byte_array_new ();
  int              width = cairo_image_surface_get_width (snapshot);
  int              height = cairo_image_surface_get_height (snapshot);
  double           scale = (A4_WIDTH_PT - 2 * PRINT_MARGIN_PT) / MAX (1, width);
  double           page_height = (A4_HEIGHT_PT - 2 * PRINT_MARGIN_PT) / scale; /* in the snapshot's pixels */
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_pdf_cb, pdf, A4_WIDTH_PT, A4_HEIGHT_PT);
  cairo_t         *cr = cairo_create (surface);

  for (int n = 0; n < PRINT_MAX_PAGES && n * page_height < height; n++)
    {
      cairo_save (cr);
      cairo_rectangle (cr, PRINT_MARGIN_PT, PRINT_MARGIN_PT, A4_WIDTH_PT - 2 * PRINT_MARGIN_PT,
                       MIN (page_height, height - n * page_height) * scale);
      cairo_clip (cr);
      cairo_translate (cr, PRINT_MARGIN_PT, PRINT_MARGIN_PT - n * page_height * scale);
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, snapshot, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (pdf);
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StationBrowserPage) self = user_data;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *snapshot = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (object), result, &error);
  g_autoptr(GBytes) pdf = NULL;

  if (snapshot == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("page not printed: %s", error->message);
          set_status (self, "relais-status-problem", _ ("La page n'a pas pu être préparée pour l'impression."));
        }
      return;
    }
  pdf = pdf_from_snapshot (snapshot);
  cairo_surface_destroy (snapshot);
  print_document (self, pdf, _ ("Page d'un site"));
}

static void
print_view (StationBrowserPage *self,
            WebKitWebView      *view)
{
  set_status (self, "relais-status-wait", _ ("Préparation de l'impression…"));
  webkit_web_view_get_snapshot (view, WEBKIT_SNAPSHOT_REGION_FULL_DOCUMENT, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                NULL, snapshot_cb, g_object_ref (self));
}

/* window.print (): the station's printing, never GTK's dialog. */
static gboolean
print_cb (WebKitWebView        *view,
          WebKitPrintOperation *operation,
          StationBrowserPage   *self)
{
  print_view (self, view);
  return TRUE;
}

static void
print_clicked_cb (StationBrowserPage *self)
{
  WebKitWebView *view = current_view (self);

  if (view != NULL)
    print_view (self, view);
}

static void
download_print_clicked_cb (StationBrowserPage *self)
{
  if (self->download != NULL)
    print_document (self, self->download, self->download_name);
}

/* A file the site gives (an attestation, a form): written by WebKit's
 * network process in a private folder, read into memory at once and
 * removed; it stays a document of the session, nowhere on disk. */
static gboolean
download_destination_cb (WebKitDownload     *download,
                         const char         *suggested,
                         StationBrowserPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-web-download-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  if (dir == NULL)
    {
      g_message ("download refused: %s", error->message);
      webkit_download_cancel (download);
      return TRUE;
    }
  path = g_build_filename (dir, "document", NULL);
  uri = g_filename_to_uri (path, NULL, NULL);
  g_object_set_data_full (G_OBJECT (download), "relais-dir", g_steal_pointer (&dir), g_free);
  g_object_set_data_full (G_OBJECT (download), "relais-name",
                          g_strdup (suggested != NULL && *suggested != '\0' ? suggested : _ ("document")), g_free);
  webkit_download_set_destination (download, uri);
  return TRUE;
}

static void
download_forget (WebKitDownload *download)
{
  const char      *dir = g_object_get_data (G_OBJECT (download), "relais-dir");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, "document", NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
download_failed_cb (WebKitDownload     *download,
                    GError             *error,
                    StationBrowserPage *self)
{
  g_message ("download failed: %s", error->message);
  download_forget (download);
  set_status (self, "relais-status-problem", _ ("Le document n'a pas pu être téléchargé. Réessayez."));
}

static void
download_finished_cb (WebKitDownload     *download,
                      StationBrowserPage *self)
{
  const char      *dir = g_object_get_data (G_OBJECT (download), "relais-dir");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, "document", NULL) : NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize            length = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    {
      download_forget (download);
      return;
    }
  download_forget (download);
  g_clear_pointer (&self->download, g_bytes_unref);
  self->download = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_free (self->download_name);
  self->download_name = g_strdup (g_object_get_data (G_OBJECT (download), "relais-name"));
  text = g_strdup_printf (_ ("Document reçu : %s"), self->download_name);
  gtk_label_set_text (GTK_LABEL (self->download_label), text);
  gtk_widget_show (self->download_bar);
  set_status (self, "relais-status-ok", _ ("Le document est prêt. Vous pouvez l'imprimer."));
  _station_browser_page_files_downloaded (self);
}

static void
download_started_cb (WebKitWebContext   *context,
                     WebKitDownload     *download,
                     StationBrowserPage *self)
{
  g_signal_connect_object (download, "decide-destination", G_CALLBACK (download_destination_cb), self, 0);
  g_signal_connect_object (download, "finished", G_CALLBACK (download_finished_cb), self, 0);
  g_signal_connect_object (download, "failed", G_CALLBACK (download_failed_cb), self, 0);
}

static void
connect_view (StationBrowserPage *self,
              WebKitWebView      *view)
{
  g_signal_connect_object (view, "script-dialog", G_CALLBACK (script_dialog_cb), self, 0);
  g_signal_connect_object (view, "print", G_CALLBACK (print_cb), self, 0);
  g_signal_connect_object (view, "decide-policy", G_CALLBACK (decide_policy_cb), self, 0);
  g_signal_connect_object (view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (view, "load-failed", G_CALLBACK (load_failed_cb), self, 0);
  g_signal_connect_object (view, "load-failed-with-tls-errors", G_CALLBACK (load_failed_tls_cb), self, 0);
  g_signal_connect_object (view, "notify::title", G_CALLBACK (title_changed_cb), self, 0);
  g_signal_connect_object (view, "notify::uri", G_CALLBACK (update_nav), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "notify::uri", G_CALLBACK (update_help_context), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "context-menu", G_CALLBACK (context_menu_cb), self, 0);
  g_signal_connect_object (view, "create", G_CALLBACK (create_cb), self, 0);
  g_signal_connect_object (view, "close", G_CALLBACK (page_close_cb), self, 0);
  g_signal_connect_object (view, "run-file-chooser", G_CALLBACK (_station_browser_page_run_file_chooser_cb), self, 0);
  _station_browser_page_keyboard_attach (self, view);
}

/* A tab's label: its page's title, and for a pop-up a "Fermer" button. */
static GtkWidget *
tab_label_new (StationBrowserPage *self,
               GtkWidget          *view,
               gboolean            closable)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (_ ("Nouvelle fenêtre"));

  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (title), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 24);
  gtk_box_pack_start (GTK_BOX (box), title, TRUE, TRUE, 0);
  g_object_set_data (G_OBJECT (box), "relais-title", title);
  if (closable)
    {
      GtkWidget *close = gtk_button_new_with_mnemonic (_ ("_Fermer"));

      atk_object_set_name (gtk_widget_get_accessible (close), _ ("Fermer cette fenêtre"));
      gtk_style_context_add_class (gtk_widget_get_style_context (close), "relais-big-button");
      g_object_set_data (G_OBJECT (close), "relais-view", view);
      g_signal_connect_object (close, "clicked", G_CALLBACK (close_tab_clicked_cb), self, 0);
      gtk_box_pack_start (GTK_BOX (box), close, FALSE, FALSE, 0);
    }
  gtk_widget_show_all (box);
  return box;
}

static void
add_tab (StationBrowserPage *self,
         GtkWidget          *view,
         gboolean            closable)
{
  int n;

  connect_view (self, WEBKIT_WEB_VIEW (view));
  gtk_widget_show (view);
  n = gtk_notebook_append_page (GTK_NOTEBOOK (self->tabs), view, tab_label_new (self, view, closable));
  gtk_notebook_set_show_tabs (GTK_NOTEBOOK (self->tabs), gtk_notebook_get_n_pages (GTK_NOTEBOOK (self->tabs)) > 1);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (self->tabs), n);
}

static void
close_tab_clicked_cb (GtkButton          *button,
                      StationBrowserPage *self)
{
  page_close_cb (g_object_get_data (G_OBJECT (button), "relais-view"), self);
}

static void
popup_ready_cb (WebKitWebView      *view,
                StationBrowserPage *self)
{
  add_tab (self, GTK_WIDGET (view), TRUE);
  show_view (self, "web");
}

/* window.open () and target="_blank": a tab the person can close, shown
 * once WebKit says it is ready. */
static GtkWidget *
create_cb (WebKitWebView          *view,
           WebKitNavigationAction *action,
           StationBrowserPage     *self)
{
  GtkWidget  *popup;
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (gtk_notebook_get_n_pages (GTK_NOTEBOOK (self->tabs)) >= MAX_TABS)
    return NULL;
  if (uri != NULL && *uri != '\0'
      && relais_web_policy_check (STATION_PAGE_SERVICES (self)->web_policy, uri) != RELAIS_WEB_VERDICT_ALLOWED
      && !g_str_equal (uri, "about:blank"))
    {
      refuse (self, relais_web_policy_check (STATION_PAGE_SERVICES (self)->web_policy, uri), uri);
      return NULL;
    }
  popup = g_object_new (WEBKIT_TYPE_WEB_VIEW, "related-view", view, "settings", self->settings, NULL);
  g_signal_connect_object (popup, "ready-to-show", G_CALLBACK (popup_ready_cb), self, 0);
  return popup;
}

/* The web context and the first view, the spare's (made now if there is
 * none): the kiosk at rest runs no web process of a session. */
static void
ensure_view (StationBrowserPage *self)
{
  GtkWidget *view;

  if (self->context != NULL)
    return;
  view = _station_browser_page_spare_take (&self->context, &self->settings, &self->web_dir);
  g_signal_connect_object (self->context, "download-started", G_CALLBACK (download_started_cb), self, 0);
  gtk_widget_set_vexpand (view, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (view), _ ("Page du site"));
  add_tab (self, view, FALSE);
  g_object_unref (view);
}

void
station_browser_page_open (StationBrowserPage *self,
                           const char         *uri)
{
  RelaisWebVerdict verdict;

  g_return_if_fail (STATION_IS_BROWSER_PAGE (self));
  g_return_if_fail (uri != NULL);

  verdict = relais_web_policy_check (STATION_PAGE_SERVICES (self)->web_policy, uri);
  if (verdict != RELAIS_WEB_VERDICT_ALLOWED)
    {
      refuse (self, verdict, uri);
      return;
    }
  ensure_view (self);
  /* Back to the person's own tab. */
  gtk_notebook_set_current_page (GTK_NOTEBOOK (self->tabs), 0);
  show_view (self, "web");
  webkit_web_view_load_uri (current_view (self), uri);
  gtk_entry_set_text (GTK_ENTRY (self->address), uri);
}

GtkWidget *
station_browser_page_get_view (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return GTK_WIDGET (current_view (self));
}

guint
station_browser_page_get_n_tabs (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), 0);

  return (guint) gtk_notebook_get_n_pages (GTK_NOTEBOOK (self->tabs));
}

const char *
station_browser_page_get_problem (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->problem;
}

const char *
station_browser_page_get_question (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->dialog != NULL ? webkit_script_dialog_get_message (self->dialog) : NULL;
}

GBytes *
station_browser_page_get_download (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->download;
}

int
station_browser_page_get_print_job (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), 0);

  return self->print != NULL ? station_print_job_get_id (self->print) : 0;
}

const char *
station_browser_page_get_status (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->status_text;
}

const char *
station_browser_page_get_view_name (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->views));
}

static void
site_clicked_cb (GtkButton          *button,
                 StationBrowserPage *self)
{
  station_browser_page_open (self, g_object_get_data (G_OBJECT (button), "relais-uri"));
}

static void
go_clicked_cb (StationBrowserPage *self)
{
  g_autofree char *uri = relais_web_address_from_words (gtk_entry_get_text (GTK_ENTRY (self->address)),
                                                        relais_config_get (STATION_PAGE_SERVICES (self)->config, "browser", "search"));

  if (uri == NULL)
    {
      set_status (self, "relais-status-problem", _ ("Écrivez l'adresse d'un site, par exemple « caf.fr »."));
      return;
    }
  station_browser_page_open (self, uri);
}

static void
sites_clicked_cb (StationBrowserPage *self)
{
  show_view (self, "sites");
}

static void
back_clicked_cb (StationBrowserPage *self)
{
  WebKitWebView *view = current_view (self);

  if (!can_go_back (view))
    return;
  show_view (self, "web");
  webkit_web_view_go_back (view);
}

static void
forward_clicked_cb (StationBrowserPage *self)
{
  WebKitWebView *view = current_view (self);

  if (view == NULL)
    return;
  show_view (self, "web");
  webkit_web_view_go_forward (view);
}

static void
reload_clicked_cb (StationBrowserPage *self)
{
  WebKitWebView *view = current_view (self);

  if (view == NULL)
    return;
  show_view (self, "web");
  webkit_web_view_reload (view);
}

static void
zoom_by (StationBrowserPage *self,
         double              step)
{
  WebKitWebView *view = current_view (self);

  if (view == NULL)
    return;
  webkit_web_view_set_zoom_level (view, CLAMP (webkit_web_view_get_zoom_level (view) + step, ZOOM_MIN, ZOOM_MAX));
}

static void
zoom_out_clicked_cb (StationBrowserPage *self)
{
  zoom_by (self, -ZOOM_STEP);
}

static void
zoom_in_clicked_cb (StationBrowserPage *self)
{
  zoom_by (self, ZOOM_STEP);
}

static void
tab_switched_cb (GtkNotebook        *tabs,
                 GtkWidget          *child,
                 guint               n,
                 StationBrowserPage *self)
{
  update_nav (self);
  update_help_context (self);
}

/* One large tile a site of station.conf, as the home screen's. */
static void
add_tiles (StationBrowserPage *self)
{
  GPtrArray *sites = STATION_PAGE_SERVICES (self)->web_sites;

  for (guint i = 0; sites != NULL && i < sites->len; i++)
    {
      const RelaisWebSite *site = g_ptr_array_index (sites, i);
      GtkWidget           *button = gtk_button_new ();
      GtkWidget           *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
      GtkWidget           *image = gtk_image_new_from_icon_name (site->icon, GTK_ICON_SIZE_DIALOG);
      GtkWidget           *label = gtk_label_new (site->name);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 64);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      station_label_wrap (label, 15);
      gtk_box_pack_start (GTK_BOX (box), image, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), box);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      atk_object_set_name (gtk_widget_get_accessible (button), site->name);
      g_object_set_data_full (G_OBJECT (button), "relais-uri", g_strdup (site->uri), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (site_clicked_cb), self, 0);
      gtk_widget_show_all (button);
      gtk_container_add (GTK_CONTAINER (self->tiles), button);
    }
}

static void
station_browser_page_constructed (GObject *object)
{
  StationBrowserPage *self = STATION_BROWSER_PAGE (object);

  G_OBJECT_CLASS (station_browser_page_parent_class)->constructed (object);
  add_tiles (self);
  /* The person's browser, made ahead when a session begins (the window
   * makes this page then, in the language chosen), never at rest:
   * between sessions the station holds no WebKit context and no web
   * process (issue 14's "RSS at rest unchanged"); a browser made for a
   * person who never opened a site goes, unused, with the page at the
   * session's end (dispose). */
  if (station_session_is_active (STATION_PAGE_SERVICES (self)->session)
      && relais_config_get_bool (STATION_PAGE_SERVICES (self)->config, "browser", "prewarm"))
    _station_browser_page_spare_make (TRUE);
}

static void
station_browser_page_dispose (GObject *object)
{
  StationBrowserPage *self = STATION_BROWSER_PAGE (object);

  if (self->dialog != NULL)
    {
      webkit_script_dialog_close (self->dialog);
      g_clear_pointer (&self->dialog, webkit_script_dialog_unref);
    }
  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
  _station_browser_page_files_dispose (self);
  _station_browser_page_keyboard_dispose (self);
  /* The views go first (with the page's widgets), then their context:
   * its last reference ends its network process and the data in it. */
  G_OBJECT_CLASS (station_browser_page_parent_class)->dispose (object);
  g_clear_object (&self->settings);
  /* The session's end (not a change of language within it): the
   * browser made for this person goes too, if they never opened a site. */
  if (!station_session_is_active (STATION_PAGE_SERVICES (self)->session))
    station_browser_page_forget_spare ();
  if (self->context != NULL)
    {
      g_clear_object (&self->context);
      station_browser_forget_sandbox_files ();
#ifdef __GLIBC__
      /* What the views and their context freed goes back to the system:
       * the station's RSS as at rest (tests/bench/browser-open). */
      malloc_trim (0);
#endif
    }
}

static void
station_browser_page_finalize (GObject *object)
{
  StationBrowserPage *self = STATION_BROWSER_PAGE (object);

  g_free (self->problem);
  g_free (self->problem_uri);
  g_free (self->status_text);
  g_clear_pointer (&self->download, g_bytes_unref);
  g_free (self->download_name);
  G_OBJECT_CLASS (station_browser_page_parent_class)->finalize (object);
}

static void
station_browser_page_class_init (StationBrowserPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = station_browser_page_constructed;
  object_class->dispose = station_browser_page_dispose;
  object_class->finalize = station_browser_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-browser-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, address_bar);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, sites_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, address);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, go_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, nav_bar);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, views);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, hint);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, tiles);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, tabs);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, problem_title);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, problem_text);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, problem_help);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, status);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, dialog_box);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, dialog_text);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, dialog_cancel);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, dialog_ok);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, download_bar);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, download_label);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, download_print);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, download_usb);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, download_safe);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, choices);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, chooser_hint);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, keyboard_box);
  gtk_widget_class_bind_template_child (widget_class, StationBrowserPage, keyboard_text);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dialog_ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dialog_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, go_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sites_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, forward_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_clicked_cb);
  _station_browser_page_files_class_init (widget_class);
}

static void
station_browser_page_init (StationBrowserPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The benchmark touches the first tile (tests/bench/bench-browser-open.c). */
  g_object_set_data (G_OBJECT (self), "relais-tiles", self->tiles);
  station_label_wrap (self->hint, 60);
  station_label_wrap (self->problem_text, 50);
  station_label_wrap (self->status, 60);
  station_label_wrap (self->dialog_text, 50);
  station_label_wrap (self->chooser_hint, 60);
  station_label_wrap (self->download_label, 30);
  g_signal_connect_object (self->tabs, "switch-page", G_CALLBACK (tab_switched_cb), self, G_CONNECT_AFTER);
  _station_browser_page_files_init (self);
  /* Back from the help screen: the context is the page's again. */
  g_signal_connect (self, "map", G_CALLBACK (update_help_context), NULL);
  show_view (self, "sites");
}

void
_station_browser_page_set_status (StationBrowserPage *self,
                                  const char         *css_class,
                                  const char         *text)
{
  set_status (self, css_class, text);
}

void
_station_browser_page_show_view (StationBrowserPage *self,
                                 const char         *name)
{
  show_view (self, name);
}

GtkWidget *
station_browser_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_BROWSER_PAGE, "services", services, NULL);
}
