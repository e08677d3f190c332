/* mediator-letter.h: "Comprendre un courrier" at the console: the
 * mediator scans a resident's letter and gets the station's reading (its
 * facts, the glossary's words explained in the resident's language, read
 * aloud), to explain it face to face. */
#pragma once

#include <gtk/gtk.h>
#include "relais-letter-facts.h"
#include "relais-page.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_LETTER (mediator_letter_get_type ())
G_DECLARE_FINAL_TYPE (MediatorLetter, mediator_letter, MEDIATOR, LETTER, GtkWindow)

MediatorLetter          *mediator_letter_new (GtkWindow *parent);
/* Scans with the console's scanner (the first SANE device), then reads. */
void                     mediator_letter_scan (MediatorLetter *self);
/* Reads the first page of a PDF @file (the « Ouvrir un PDF… » button's
 * choice); a file that is no PDF says so in the status line. */
void                     mediator_letter_read_file (MediatorLetter *self,
                                                    GFile          *file);
/* Reads @page (a test's, or a page scanned elsewhere). */
void                     mediator_letter_read_page (MediatorLetter *self,
                                                    RelaisPage     *page);
gboolean                 mediator_letter_is_busy (MediatorLetter *self);
/* The resident's language ("fr", "ar"…): explanations and speech. */
void                     mediator_letter_set_language (MediatorLetter *self,
                                                       const char     *language);
const RelaisLetterFacts *mediator_letter_get_facts (MediatorLetter *self);
/* The card's words, as shown (for tests). */
const char              *mediator_letter_get_summary (MediatorLetter *self);
const char              *mediator_letter_get_explanations (MediatorLetter *self);

G_END_DECLS
