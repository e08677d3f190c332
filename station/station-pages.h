/* station-pages.h: the station's screens, each an independent page of the
 * one window's GtkStack. A page asks to show another by emitting
 * "navigate" with its name ("home", "scan", "help"). */
#pragma once

#include <gtk/gtk.h>
#include "station-services.h"

G_BEGIN_DECLS

/* The welcome screen: emits "start" (const char *language) when the
 * resident begins. */
#define STATION_TYPE_WELCOME_PAGE (station_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (StationWelcomePage, station_welcome_page, STATION, WELCOME_PAGE, GtkBox)
GtkWidget *station_welcome_page_new (StationServices *services);

#define STATION_TYPE_HOME_PAGE (station_home_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHomePage, station_home_page, STATION, HOME_PAGE, GtkBox)
GtkWidget *station_home_page_new (StationServices *services);

#define STATION_TYPE_SCAN_PAGE (station_scan_page_get_type ())
G_DECLARE_FINAL_TYPE (StationScanPage, station_scan_page, STATION, SCAN_PAGE, GtkBox)
GtkWidget *station_scan_page_new        (StationServices *services);
/* What the buttons do, callable by tests. */
void       station_scan_page_scan       (StationScanPage *self);
void       station_scan_page_print      (StationScanPage *self);
/* Hands the document to the digital safe page. */
void       station_scan_page_save_safe  (StationScanPage *self);
/* Forgets every page scanned: the next resident finds nothing. */
void       station_scan_page_clear      (StationScanPage *self);
guint      station_scan_page_get_n_pages (StationScanPage *self);
/* Pages scanned and not yet printed nor saved (nor a card's front alone):
 * ending the session would lose them. */
gboolean   station_scan_page_has_unsaved_work (StationScanPage *self);
gboolean   station_scan_page_is_busy    (StationScanPage *self);
/* The last job sent, 0 if none; its state as last seen. */
int        station_scan_page_get_job    (StationScanPage *self);
const char *station_scan_page_get_status (StationScanPage *self);
/* The document being made (station-scan-page.c): pages in order; the
 * selected one is what rotate, move and delete act on. */
void       station_scan_page_set_options (StationScanPage *self,
                                          RelaisScanMode   mode,
                                          gboolean         feeder,
                                          gboolean         web,
                                          int              copies);
/* "Carte d'identité (recto et verso)": two scans, one page. */
void       station_scan_page_set_card   (StationScanPage *self,
                                         gboolean         card);
/* TRUE while a card's front waits for its back. */
gboolean   station_scan_page_has_card_front (StationScanPage *self);
void       station_scan_page_select     (StationScanPage *self,
                                         guint            index);
void       station_scan_page_rotate     (StationScanPage *self);
void       station_scan_page_delete     (StationScanPage *self);
void       station_scan_page_move       (StationScanPage *self,
                                         int              delta);
RelaisPage *station_scan_page_get_page  (StationScanPage *self,
                                         guint            index);
void       station_scan_page_save_usb   (StationScanPage *self);
/* Size of the last "Pour un site internet" PDF, 0 if none made. */
gsize      station_scan_page_get_web_size (StationScanPage *self);
/* [printer] session-page-cap: TRUE when @sheets more may be printed. */
gboolean   station_scan_page_cap_allows (StationServices *services,
                                         guint            sheets);

/* "Photocopie" (station-copy-page.c): scan the glass, print N copies. */
#define STATION_TYPE_COPY_PAGE (station_copy_page_get_type ())
G_DECLARE_FINAL_TYPE (StationCopyPage, station_copy_page, STATION, COPY_PAGE, GtkBox)
GtkWidget  *station_copy_page_new        (StationServices *services);
void        station_copy_page_copy       (StationCopyPage *self,
                                          int              copies,
                                          gboolean         colour);
gboolean    station_copy_page_is_busy    (StationCopyPage *self);
int         station_copy_page_get_job    (StationCopyPage *self);
const char *station_copy_page_get_status (StationCopyPage *self);

#define STATION_TYPE_HELP_PAGE (station_help_page_get_type ())
G_DECLARE_FINAL_TYPE (StationHelpPage, station_help_page, STATION, HELP_PAGE, GtkBox)
GtkWidget  *station_help_page_new        (StationServices *services);
/* Raises a request of @category ("scanner", "printer", "website", "mail",
 * "safe", "other"); returns its id. */
const char *station_help_page_raise      (StationHelpPage *self,
                                          const char      *category);
/* The state of the current request as the hub last said ("raised",
 * "seen", "taken", …) or NULL. */
const char *station_help_page_get_state  (StationHelpPage *self);
/* The spoken language sent with the next request ("fr", "en", "ar"…;
 * NULL for French), shown selected under "Je parle". A new page starts on
 * the session's language. */
void        station_help_page_set_language (StationHelpPage *self,
                                            const char      *code);
const char *station_help_page_get_language (StationHelpPage *self);
const char *station_help_page_get_status (StationHelpPage *self);

/* "Imprimer depuis une clé USB" (station-usb-page.c): the key's PDF and
 * pictures, a preview with the page count, then print and follow. */
#define STATION_TYPE_USB_PAGE (station_usb_page_get_type ())
G_DECLARE_FINAL_TYPE (StationUsbPage, station_usb_page, STATION, USB_PAGE, GtkBox)
GtkWidget  *station_usb_page_new         (StationServices *services);
/* Lists the newest key again (done on its own when a key comes or goes,
 * and when the page is shown). */
void        station_usb_page_refresh     (StationUsbPage  *self);
/* Lists @root instead of the keys (tests; NULL: the keys again). */
void        station_usb_page_set_root    (StationUsbPage  *self,
                                          GFile           *root);
guint       station_usb_page_get_n_files (StationUsbPage  *self);
/* Opens and previews file @index of the list. */
void        station_usb_page_select      (StationUsbPage  *self,
                                          guint            index);
/* Pages of the file opened; 0 when none is, or it could not be read. */
int         station_usb_page_get_n_pages (StationUsbPage  *self);
gboolean    station_usb_page_can_duplex  (StationUsbPage  *self);
/* What the choices do, callable by tests; @ranges "" or NULL for all. */
void        station_usb_page_set_options (StationUsbPage  *self,
                                          int              copies,
                                          const char      *ranges,
                                          gboolean         colour,
                                          gboolean         duplex);
void        station_usb_page_print       (StationUsbPage  *self);
gboolean    station_usb_page_is_busy     (StationUsbPage  *self);
int         station_usb_page_get_job     (StationUsbPage  *self);
const char *station_usb_page_get_status  (StationUsbPage  *self);

/* The kiosk's building blocks (station-widgets.c): each is at least
 * 48 × 48 px and has a name a screen reader speaks. */

/* One choice of a group (a radio button that looks like a big button):
 * @icon's pictogram beside @label, which wraps. @group: another choice of
 * the group, NULL for the first. */
GtkWidget *station_choice_new           (GtkWidget  *group,
                                         const char *icon,
                                         const char *label);
/* A yes/no choice (a check button), as big and in the same look. */
GtkWidget *station_check_new            (const char *icon,
                                         const char *label);
/* A number from @min to @max changed with big "−" and "+" only, called
 * @name for screen readers. */
GtkWidget *station_stepper_new          (int         min,
                                         int         max,
                                         const char *name);
/* A big entry called @name for screen readers. */
GtkWidget *station_entry_new            (const char *name,
                                         const char *placeholder);
/* Lets @label wrap at @max_chars characters, so that a long sentence
 * (or its translation) never widens the screen. */
void       station_label_wrap           (GtkWidget  *label,
                                         int         max_chars);
/* A button's words as the resident reads them (its mnemonic's "_"
 * dropped), to quote it in a sentence: « touchez « Continuer » ». */
char      *station_label_plain          (const char *label);
/* A large button with a mnemonic, in the kiosk's style, plus @css_class
 * when not NULL ("relais-primary", "relais-help-button"…). */
GtkWidget *station_page_big_button      (const char *label,
                                         const char *css_class);
/* Shows @text in a page's status @label, coloured by @css_class
 * ("relais-status-ok", "-wait", "-problem"; NULL for none), and keeps it in
 * *@kept (freed and replaced) for the page's get_status (). */
void       station_page_set_status      (GtkWidget  *label,
                                         char      **kept,
                                         const char *css_class,
                                         const char *text);
/* Emits "navigate" on @page. */
void       station_page_navigate        (GtkWidget  *page,
                                         const char *name);
/* Installs the "navigate" signal on a page class. */
void       station_page_class_add_navigate (GObjectClass *klass);

G_END_DECLS
