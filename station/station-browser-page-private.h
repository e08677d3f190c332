/* station-browser-page-private.h: what the browser page's files share
 * (station-browser-page.c: the page, its web views, printing;
 * station-browser-page-files.c: the files a site asks for and gives, a
 * chooser of the session's own documents and the downloads' USB key and
 * safe; station-browser-page-keyboard.c: the on-screen keyboard in web
 * fields). The parts call the core's functions; the core calls the parts'
 * only through their _init () functions and signal handlers. */
#pragma once

#include "station-browser.h"
#include "station-browser-page.h"
#include "station-document-chooser.h"
#include "station-widgets.h"
#include "station-print-job.h"
#include "relais-web.h"

#include <webkit2/webkit2.h>

G_BEGIN_DECLS

/* A− / A+: from 50 % to 300 %, by steps of a quarter. */
#define ZOOM_STEP 0.25
#define ZOOM_MIN  0.5
#define ZOOM_MAX  3.0
/* Pop-ups a page may open at once (each a tab). */
#define MAX_TABS 6

struct _StationBrowserPage {
  StationPage               parent_instance;

  /* Template widgets */
  GtkWidget                *address_bar;
  GtkWidget                *sites_button;
  GtkWidget                *address;
  GtkWidget                *go_button;
  GtkWidget                *nav_bar;
  GtkWidget                *back_button;
  GtkWidget                *forward_button;
  GtkWidget                *reload_button;
  GtkWidget                *zoom_out_button;
  GtkWidget                *zoom_in_button;
  GtkWidget                *views;
  GtkWidget                *hint;
  GtkWidget                *tiles;
  GtkWidget                *tabs;
  GtkWidget                *problem_title;
  GtkWidget                *problem_text;
  GtkWidget                *problem_help;
  GtkWidget                *status;
  GtkWidget                *print_button;
  GtkWidget                *dialog_box;
  GtkWidget                *dialog_text;
  GtkWidget                *dialog_cancel;
  GtkWidget                *dialog_ok;
  GtkWidget                *download_bar;
  GtkWidget                *download_label;
  GtkWidget                *download_print;
  GtkWidget                *download_usb;
  GtkWidget                *download_safe;
  GtkWidget                *choices; /* the chooser's tiles (GtkFlowBox) */
  GtkWidget                *chooser_hint;
  GtkWidget                *keyboard_box;  /* the on-screen keyboard for web fields */
  GtkWidget                *keyboard_text; /* what it typed, shown above it */

  /* Owned: the page's question shown, until a button answers it */
  WebKitScriptDialog       *dialog;
  /* Owned: the last file the site gave, a document of the session (in
   * memory: its file is removed as soon as it is read) */
  GBytes                   *download;
  char                     *download_name;
  StationPrintJob          *print; /* followed until "finished" */

  /* Owned: the spare's, taken with the first site opened (made then if
   * there was none), gone with the page */
  WebKitWebContext         *context;
  WebKitSettings           *settings;
  char                     *problem;
  char                     *problem_uri; /* the address refused, while "problem" is shown */
  char                     *status_text;

  /* Owned (station-browser-page-files.c) */
  WebKitFileChooserRequest *upload;  /* the site's request, until answered */
  StationDocumentChooser   *chooser; /* fills "choices" */
  /* The only folder of the station's that WebKit's sandbox has (read
   * only): the files given to sites. Made with the context in the
   * runtime dir, removed with the page. */
  char                     *web_dir;
  char                     *uploaded_name; /* the last file given to a site */
  GVolumeMonitor           *volumes;
  GFile                    *key_root; /* tests: a folder standing for the key */
  gboolean                  saving;   /* a key being written or unmounted */

  /* Owned (station-browser-page-keyboard.c) */
  GtkWidget                *keyboard; /* StationKeyboard, in keyboard_box */
  WebKitInputMethodContext *input;    /* the focused field's view's, while it has it */
};

/* ---- station-browser-page.c ---- */
void       _station_browser_page_set_status (StationBrowserPage *self,
                                             const char         *css_class,
                                             const char         *text);
/* "sites", "web", "problem" or "chooser". */
void       _station_browser_page_show_view (StationBrowserPage *self,
                                            const char         *name);

/* ---- station-browser-page-files.c ---- */
void       _station_browser_page_files_class_init (GtkWidgetClass *widget_class);
void       _station_browser_page_files_init (StationBrowserPage *self);
/* Before @context's first web process: the uploads' folder, made and
 * given to its sandbox (NULL when it could not be made). */
char      *_station_browser_page_files_prepare (WebKitWebContext *context);
void       _station_browser_page_files_dispose (StationBrowserPage *self);
/* WebKitWebView::run-file-chooser: the page's own chooser, never the
 * file system. */
gboolean   _station_browser_page_run_file_chooser_cb (WebKitWebView            *view,
                                                      WebKitFileChooserRequest *request,
                                                      StationBrowserPage       *self);
/* A file the site gave: what may be done with it now. */
void       _station_browser_page_files_downloaded (StationBrowserPage *self);

/* ---- station-browser-page-context.c ---- */
/* Makes the spare (the person's context, settings and first view)
 * if there is none; with @start, its web process is started on
 * about:blank. */
void       _station_browser_page_spare_make (gboolean start);
/* The spare's context, settings, uploads' folder, and its view (a
 * reference for the caller), made now if there is none. */
GtkWidget *_station_browser_page_spare_take (WebKitWebContext **context,
                                             WebKitSettings   **settings,
                                             char             **web_dir);

/* ---- station-browser-page-keyboard.c ---- */
/* Gives @view the page's input method: the keyboard shows when one of
 * its editable elements has the focus. */
void       _station_browser_page_keyboard_attach (StationBrowserPage *self,
                                                  WebKitWebView      *view);
void       _station_browser_page_keyboard_dispose (StationBrowserPage *self);

G_END_DECLS
