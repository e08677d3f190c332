/* station-letter-page.h: "Comprendre un courrier", one page of the
 * window's GtkStack. */
#pragma once

#include <gtk/gtk.h>
#include "relais-letter-facts.h"
#include "relais-page.h"
#include "station-page.h"

G_BEGIN_DECLS

/* Scan a letter, read it (drivers/letter), show its key facts, the page
 * with its words, the administration's words explained, read it aloud;
 * ask for help with the sender and kind only. */
#define STATION_TYPE_LETTER_PAGE (station_letter_page_get_type ())
G_DECLARE_FINAL_TYPE (StationLetterPage, station_letter_page, STATION, LETTER_PAGE, StationPage)

GtkWidget               *station_letter_page_new (StationServices *services);
/* Scans the glass, then reads the page (the "Lire le courrier" button). */
void                     station_letter_page_scan (StationLetterPage *self);
/* Reads @page (a page already scanned, or a test's). */
void                     station_letter_page_read_page (StationLetterPage *self,
                                                        RelaisPage        *page);
gboolean                 station_letter_page_is_busy (StationLetterPage *self);
const char              *station_letter_page_get_status (StationLetterPage *self);
/* What was read (NULL before): its text and facts. Borrowed. */
const char              *station_letter_page_get_text (StationLetterPage *self);
const RelaisLetterFacts *station_letter_page_get_facts (StationLetterPage *self);
/* The glossary terms found in the text (RelaisGlossaryMatch). Borrowed. */
GArray                  *station_letter_page_get_terms (StationLetterPage *self);
/* As a touch on the word at byte @offset of the text does: explains a
 * glossary term there, or reads aloud from that word. */
void                     station_letter_page_touch_word (StationLetterPage *self,
                                                         int                offset);
/* The letter chosen among the documents already here (the "Choisir un
 * document déjà là" button): this visit's scanned pages, the USB key's
 * files, the open safe's documents. */
void                     station_letter_page_choose (StationLetterPage *self);
/* The next page of the file chosen (the "Page suivante" button): drawn,
 * then read. */
void                     station_letter_page_next_page (StationLetterPage *self);
/* Tests: a folder standing for the USB key (NULL: the key plugged in). */
void                     station_letter_page_set_key_root (StationLetterPage *self,
                                                           GFile             *root);
/* The explanation shown (NULL when none). */
const char              *station_letter_page_get_explanation (StationLetterPage *self);

G_END_DECLS
