/* mediator-decision-print.h: the written decision printed from the
 * person's file (issue 15): the newest grant, refusal or radiation the
 * hub has for the person (GET /mail/people/N/decisions, with the body's
 * letterhead), laid out by drivers/decisions (the Cerfa attestation, the
 * refusal or radiation letter with its motive and ways to appeal) and
 * sent to CUPS ([printer] destination of the console's configuration;
 * empty: the default printer). */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include "relais-decision-letter.h"
#include "relais-link.h"
#include "relais-mail-records.h"
#include "relais-printer.h"

G_BEGIN_DECLS

/* A letter to print: @letter's strings point into the reply and person
 * it was read from (keep them alive), the decision's day into
 * @decided_on. */
typedef struct {
  RelaisDecisionLetterKind kind;
  RelaisDecisionLetter     letter;
  char                     decided_on[11];
} MediatorDecisionDoc;

/* Reads @decisions (the hub's answer to GET /mail/people/N/decisions,
 * relais_mail_decisions_from_reply ()): its newest
 * written decision (granted, refused, radiated; an application or an
 * adjournment prints nothing) and its "letterhead", for the person
 * named. FALSE with a sentence to show when there is none. */
gboolean    mediator_decision_doc_read (MediatorDecisionDoc       *doc,
                                        const RelaisMailDecisions *decisions,
                                        const char                *number,
                                        const char                *surname,
                                        const char                *first_names,
                                        const char                *birth_date,
                                        GError                   **error);
/* Renders @doc and prints it on @printer (blocking: a worker thread).
 * Returns the job id, or 0 with @error. */
int         mediator_decision_doc_print (const MediatorDecisionDoc *doc,
                                         RelaisPrinter             *printer,
                                         GError                   **error);
/* What the letter is called on the button's message: « l'attestation
 * d'élection de domicile », « la lettre de refus »… */
const char *mediator_decision_doc_name (const MediatorDecisionDoc *doc);

/* The console's CUPS queue ([printer] destination), set once at start. */
void        mediator_decision_print_set_destination (const char *destination);

#define MEDIATOR_TYPE_DECISION_PRINT (mediator_decision_print_get_type ())
G_DECLARE_FINAL_TYPE (MediatorDecisionPrint, mediator_decision_print, MEDIATOR, DECISION_PRINT, GtkBox)

/* « Imprimer la décision écrite » and the sentence that follows it. */
GtkWidget  *mediator_decision_print_new (RelaisLink *link);
/* The person the file shows now (NULL @number: none; the button is off). */
void        mediator_decision_print_set_person (MediatorDecisionPrint *self,
                                                const char            *number,
                                                const char            *surname,
                                                const char            *first_names,
                                                const char            *birth_date);
/* What the button does (tests call it as a click would). */
void        mediator_decision_print_run (MediatorDecisionPrint *self);
gboolean    mediator_decision_print_is_busy (MediatorDecisionPrint *self);
const char *mediator_decision_print_get_message (MediatorDecisionPrint *self);

G_END_DECLS
