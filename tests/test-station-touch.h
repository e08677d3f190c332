/* test-station-touch.h: what the files of test-station-touch share: the
 * station's window on a test hub, walking a screen's controls, showing
 * each screen, and each file's tests for main (). */
#pragma once

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <gdk/gdkx.h>
#include <X11/extensions/XTest.h>

#include "relais-i18n.h"
#include "relais-test-hub.h"
#include "relais-test-station.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-scan-page.h"
#include "station-usb-page.h"
#include "station-safe-page-private.h"
#include "station-window.h"
#include "station-keyboard.h"
#include "station-keypad.h"

/* The smallest screen a station has (Xvfb runs at this size). */
#define SCREEN_WIDTH  1280
#define SCREEN_HEIGHT 800
/* Full screen the station has all of it; in a window on a desktop (the
 * demo, the journeys) its frame takes a few pixels. */
#define FRAME 10
/* The smallest target a finger hits without aiming (WCAG 2.5.5 asks 44). */
#define MIN_TARGET 48

typedef struct {
  const char *where;
  GPtrArray  *problems; /* char* */
  guint       checked;
} Walk;

typedef void (*ShowScreen) (const char *arg);

/* Every screen: its name in the reports, and how it is shown. */
typedef struct {
  const char *name;
  ShowScreen  show;
  const char *arg;
} TouchScreen;

/* Every screen, in @language and text size, through @check. */
typedef void (*CheckScreen) (const char *where, gpointer data);

/* test-station-touch.c: the window on a test hub, made by main (). */
extern StationServices *services;
extern StationWindow   *window;
extern GFile           *key; /* a folder standing for a USB key */
#define N_LANGUAGES 7
extern const char * const languages[N_LANGUAGES];
#define N_SCREENS 15
extern const TouchScreen screens[N_SCREENS];

/* test-station-touch.c */
gboolean
is_interactive (GtkWidget *widget);
void
walk (GtkWidget *widget,
      Walk      *w);
void
set_large_text (gboolean large);
void
settle_on_page (void);
void
each_screen (const char *language,
             gboolean    large,
             CheckScreen check,
             gpointer    data);
void
report (GPtrArray *problems);

/* test-station-touch-screens.c */
void
test_page_sizes (void);
void
test_fits (void);
void
test_shrinks_back (void);
void
test_screenshots (void);
void
test_plain_words (void);

/* test-station-touch-input.c */
void
test_fields (void);
void
test_keyboards (void);
void
test_date_keypad (void);
void
test_no_menu_no_file_chooser (void);

/* test-station-touch-session.c */
void
test_end_asks_first (void);
void
test_overlays_follow_language (void);
void
test_end_away_from_help (void);
void
test_feeder (void);
