/* station-safe-page-private.h: what the pieces of the safe page share
 * (station-safe-page.c: state, list, buttons; station-safe-page-screens.c:
 * the template and the kiosk's widgets put in it; station-safe-page-jobs.c:
 * the worker jobs). Not for other modules. */
#pragma once

#include "station-safe-page.h"
#include "relais-safe-client.h"
#include "station-scan-progress.h"
#include "station-print-job.h"

G_BEGIN_DECLS

#define THUMB_WIDTH   180
#define THUMB_HEIGHT  240
#define FLUSH_SECONDS 60

/* A document of the open safe. Invariant: plain is the decrypted PDF, in
 * memory only, or NULL when it could not be opened (error says why). */
typedef struct {
  RelaisSafeItem  *item;
  GBytes          *plain;
  cairo_surface_t *thumb;
  char            *error;
  int              n_pages; /* of plain, for the page cap and the log */
} Doc;

struct _StationSafePage {
  GtkBox              parent_instance;

  /* Template widgets (assets/ui/station-safe-page.ui) */
  GtkWidget          *stack;
  GtkWidget          *status;
  GtkWidget          *progress;     /* moves while the safe works for the resident */
  GtkWidget          *login_screen; /* the keypad screens' rows: fields, then keypad */
  GtkWidget          *login_grid;
  GtkWidget          *login_hint;
  GtkWidget          *secret_screen;
  GtkWidget          *secret_grid;
  GtkWidget          *secret_hint;
  GtkWidget          *code_screen;
  GtkWidget          *code_grid;
  GtkWidget          *pin_screen;
  GtkWidget          *pin_grid;
  GtkWidget          *category_grid;
  GtkWidget          *name_box;
  GtkWidget          *name_label;
  GtkWidget          *flow;
  GtkWidget          *delete_button;
  GtkWidget          *view_image;
  GtkWidget          *view_label;
  GtkWidget          *journal_box;
  GtkWidget          *consent_grid;
  GtkWidget          *consent_label;
  GtkWidget          *consent_minutes;
  /* The kiosk's own widgets, put in the template's places
   * (station-safe-page-screens.c) */
  GtkWidget          *number_entry; /* "login": the card's number alone */
  GtkWidget          *pin_entry;    /* "secret": once the safe is known */
  GtkWidget          *code_entry;   /* "code": the code written on the card */
  GtkWidget          *new_pin_entry;
  GtkWidget          *new_pin2_entry;
  GtkWidget          *change_pin_entry;
  GtkWidget          *change_pin2_entry;
  GtkWidget          *name_entry;
  GtkWidget          *consent_entry; /* the mediator's login */
  GtkWidget          *consent_15;

  /* Borrowed: the application's, they outlive every page */
  StationServices    *services;

  /* Owned */
  RelaisSafeClient   *client;
  GCancellable       *cancellable;
  GPtrArray          *docs;    /* Doc* */
  GBytes             *pending; /* a scan waiting for its category or the PIN */
  StationPrintJob    *print;   /* a document printing, while followed */
  char               *pending_category;
  char               *status_text;
  int                 selected; /* index in docs, -1 for none */
  int                 view_page;
  gboolean            busy;
  gboolean            delete_armed;
  guint               flush_id;
  StationScanProgress progress_tick;
};

/* ---- work in a thread ---- */

typedef enum {
  JOB_OPEN,
  JOB_ACTIVATE,
  JOB_LOAD,
  JOB_ADD,
  JOB_DEPOSIT,
  JOB_DELETE,
  JOB_PIN,
  JOB_JOURNAL,
  JOB_USB,
  JOB_FLUSH,
  JOB_CLOSE,
  JOB_CONSENT,
} JobKind;

typedef struct {
  JobKind    kind;
  char      *number;
  char      *secret; /* wiped on free */
  char      *secret2;
  char      *category;
  char      *name;
  GBytes    *bytes;
  GFile     *root; /* JOB_USB: the key's, found on the main thread */
  /* results */
  char      *state;
  GPtrArray *docs;    /* Doc*, JOB_LOAD */
  GPtrArray *journal; /* RelaisSafeJournalLine*, JOB_JOURNAL */
  gboolean   queued;
  int        remaining;   /* JOB_CONSENT: the minutes asked */
  gint64     until;       /* JOB_CONSENT */
  guint      n_documents; /* JOB_CONSENT: how many it covers */
} Job;

/* station-safe-page.c */
void
_station_safe_page_set_status (StationSafePage *self,
                               const char      *text);
void
_station_safe_page_show_screen (StationSafePage *self,
                                const char      *name);
void
_station_safe_page_doc_free (Doc *doc);
void
_station_safe_page_fill_list (StationSafePage *self);
void
_station_safe_page_tile_toggled_cb (GtkFlowBox      *flow,
                                    StationSafePage *self);
void
_station_safe_page_open_clicked_cb (StationSafePage *self);
void
_station_safe_page_secret_clicked_cb (StationSafePage *self);
void
_station_safe_page_activate_clicked_cb (StationSafePage *self);
void
_station_safe_page_view_clicked_cb (StationSafePage *self);
void
_station_safe_page_previous_page_cb (StationSafePage *self);
void
_station_safe_page_next_page_cb (StationSafePage *self);
void
_station_safe_page_print_clicked_cb (StationSafePage *self);
void
_station_safe_page_usb_clicked_cb (StationSafePage *self);
void
_station_safe_page_delete_clicked_cb (StationSafePage *self);
void
_station_safe_page_change_pin_clicked_cb (StationSafePage *self);
void
_station_safe_page_pin_ok_clicked_cb (StationSafePage *self);
void
_station_safe_page_journal_clicked_cb (StationSafePage *self);
void
_station_safe_page_back_to_list_cb (StationSafePage *self);
void
_station_safe_page_close_clicked_cb (StationSafePage *self);
void
_station_safe_page_consent_ok_clicked_cb (StationSafePage *self);
void
_station_safe_page_consent_clicked_cb (StationSafePage *self);

/* station-safe-page-screens.c */
void
_station_safe_page_screens_class_init (GtkWidgetClass *widget_class);
void
_station_safe_page_screens_init (StationSafePage *self);
const char *
_station_safe_page_category_label (const char *id);
const char *
_station_safe_page_category_icon (const char *id);

/* station-safe-page-jobs.c */
void
_station_safe_page_run_job (StationSafePage *self,
                            Job             *job);
Job *
_station_safe_page_job_new (JobKind kind);
void
_station_safe_page_add_pending (StationSafePage *self);
void
_station_safe_page_load_documents (StationSafePage *self);

G_END_DECLS
