/* station-scan-page-private.h: what the scan page's files share
 * (station-scan-page.c: the page, its state and its words;
 * station-scan-page-scan.c: scanning; station-scan-page-strip.c: the
 * pictures of the document; station-scan-page-send.c: where the document
 * goes). The parts call the core's functions; the core calls the parts'
 * only through their _init () and the public API. */
#pragma once

#include "station-scan-page.h"
#include "station-widgets.h"
#include "station-scan-progress.h"
#include "station-print-job.h"
#include "station-services.h"
#include "relais-scan-book.h"

G_BEGIN_DECLS

/* The JPEG quality of the document as it is printed or saved (not for a
 * website, which is lightened under a size cap). */
#define STATION_SCAN_PDF_QUALITY 85

struct _StationScanPage {
  StationPage         parent_instance;

  /* Template widgets */
  GtkWidget          *preview;
  GtkWidget          *strip; /* one button per page, rows of them */
  GtkWidget          *strip_scroller;
  GtkWidget          *page_tools; /* rotate, move, delete */
  GtkWidget          *mode_color;
  GtkWidget          *mode_gray;
  GtkWidget          *mode_text;
  GtkWidget          *source_glass;
  GtkWidget          *source_feeder;
  GtkWidget          *source_card; /* an identity card, both sides on one page */
  GtkWidget          *web;
  GtkWidget          *document; /* straighten and trim a letter's page */
  GtkWidget          *scan_button;
  GtkWidget          *cancel_button;
  GtkWidget          *print_button;
  GtkWidget          *usb_button;
  GtkWidget          *safe_button;
  GtkWidget          *copies;
  GtkWidget          *progress;
  GtkWidget          *status;
  GtkWidget          *help_button;

  /* Owned */
  RelaisScanBook     *book; /* the document: pages, selection, a card's front; in memory only */
  GCancellable       *cancellable;
  GCancellable       *builds; /* the PDFs being made; cancelled by a new session */
  StationPrintJob    *print;  /* the last one sent, while followed */
  GVolumeMonitor     *volumes;
  StationScanProgress scan_progress; /* the bar, fed by the scanning thread */
  char               *status_text;

  /* Written by the scanning thread, read by a timeout: permille, or < 0
   * when the height is unknown (hand scanners). */
  gboolean            busy;
  gboolean            scanning;      /* busy with the scanner (it may be stopped) */
  gboolean            feeding;       /* a feeder batch is under way */
  guint               batch_pages;   /* pages of the current feeder batch */
  gboolean            show_selected; /* its thumbnail to be scrolled into view */
  int                 job_id;
  gboolean            job_active;
  guint               failures;        /* scans failed in a row */
  gboolean            help_raised;     /* the station already called for this problem */
  gsize               web_size;        /* the lightened PDF's size, 0 if not made */
  guint               web_changes;     /* "Pour un site internet" toggled: the PDF changes too */
  guint               sent_generation; /* the last one printed or saved somewhere */
  guint               sizing;          /* website sizes being measured */
  /* The PDF a feeder's batch wrote as it scanned, at STATION_SCAN_PDF_QUALITY,
   * valid while the book's generation is kept_pdf_generation. */
  GBytes             *kept_pdf;
  guint               kept_pdf_generation;
};

/* ---- station-scan-page.c ---- */
void        _station_scan_page_set_status (StationScanPage *self,
                                           const char      *css_class,
                                           const char      *text);
void        _station_scan_page_update_sensitivity (StationScanPage *self);
/* Nothing under way any more: buttons back, progress gone. */
void        _station_scan_page_finish_busy (StationScanPage *self);
/* Changes whenever the document as it would leave does: its pages (the
 * book's generation) or the website box. */
guint       _station_scan_page_generation (StationScanPage *self);
/* Keeps @pdf (a reference) as the document's PDF while its pages do not
 * change. */
void        _station_scan_page_keep_pdf (StationScanPage *self,
                                         GBytes          *pdf);
/* Forgets the print job (it prints on, unfollowed); TRUE when it was
 * being sent, the page busy with it. */
gboolean    _station_scan_page_drop_print (StationScanPage *self);
/* The USB key plugged in, if any. Returns: (transfer full) (nullable). */
GMount     *_station_scan_page_current_key (StationScanPage *self);
/* "Remettre la feuille droite" ticked, and not for a card: each page scanned
 * goes through relais_page_as_document (). */
gboolean    _station_scan_page_document_wanted (StationScanPage *self);
/* "Une carte d'identité" chosen. */
gboolean    _station_scan_page_card_wanted (StationScanPage *self);
/* The scan button's words, the ones the instructions quote. */
const char *_station_scan_page_scan_label (StationScanPage *self);

/* ---- station-scan-page-strip.c ---- */
/* Binds the strip's template callbacks. */
void        _station_scan_page_strip_class_init (GtkWidgetClass *widget_class);
/* Makes the preview and the thumbnails follow the page's book. */
void        _station_scan_page_strip_init (StationScanPage *self);
/* Shows the selected page (or a card's front) large. */
void        _station_scan_page_show_preview (StationScanPage *self);

/* ---- station-scan-page-send.c ---- */
/* "Pour un site internet" ticked, and the size cap it means. */
gboolean    _station_scan_page_web_wanted (StationScanPage *self);
gsize       _station_scan_page_web_cap (StationScanPage *self);
/* Tells what was scanned (and, for a website, measures the file's size). */
void        _station_scan_page_say_scanned (StationScanPage *self);

G_END_DECLS
