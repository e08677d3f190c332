/* relais-decision-letter.h: a domiciliation's written decisions as PDF (cairo),
 * ready to print and sign: the attestation d'élection de domicile laid
 * out like the Cerfa form n° 13482, the refusal letter and the radiation
 * letter, each with its motive and the ways to appeal. The documents are
 * French administrative acts: they are written in French whatever the
 * console's language. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAIS_DECISION_LETTER_ERROR (relais_decision_letter_error_quark ())
typedef enum {
  RELAIS_DECISION_LETTER_ERROR_INCOMPLETE = 1, /* a field the document needs is missing */
  RELAIS_DECISION_LETTER_ERROR_RENDER,         /* cairo failed */
} RelaisDecisionLetterError;
GQuark relais_decision_letter_error_quark (void);

typedef enum {
  RELAIS_DECISION_LETTER_ATTESTATION = 1, /* Cerfa n° 13482: the grant */
  RELAIS_DECISION_LETTER_REFUSAL,
  RELAIS_DECISION_LETTER_RADIATION,
} RelaisDecisionLetterKind;

/* What a letter says. Dates are YYYY-MM-DD; motives and orientations are
 * relais_mail_decision_motives / relais_mail_orientations' words. */
typedef struct {
  /* The body that receives the mail (organisme domiciliataire). */
  const char *body_name;     /* "CCAS de Villeneuve" */
  const char *body_address;  /* lines separated by '\n' */
  const char *body_approval; /* agrément's reference, or NULL (a CCAS needs none) */
  const char *town;          /* "Fait à …" */
  const char *tribunal;      /* "Tribunal administratif de Lyon, 184 rue Duguesclin, 69003 Lyon" */
  /* The person. */
  const char *surname;
  const char *first_names;
  const char *birth_date;
  const char *birth_place; /* nullable */
  const char *number;      /* the user number, on the mail's address */
  /* The decision. */
  const char *decided_on;
  const char *decided_by;  /* signs */
  const char *election;    /* attestation: "first" or "renewal" */
  const char *applied_on;  /* attestation, refusal */
  const char *active_from; /* attestation */
  const char *active_to;   /* attestation */
  const char *motive;      /* refusal, radiation */
  const char *motive_text; /* with motive "other" */
  const char *orientation; /* refusal */
  const char *orientation_text;
} RelaisDecisionLetter;

/* The sentence a letter gives for @motive ("no-link"…; "other" gives
 * @text), NULL for an unknown one. */
const char *relais_decision_letter_motive_sentence (const char *motive,
                                                    const char *text);

/* The PDF (A4, one page or more), or NULL with @error when a field its
 * kind needs is missing (nothing half-written). */
GBytes     *relais_decision_letter_render (RelaisDecisionLetterKind    kind,
                                           const RelaisDecisionLetter *letter,
                                           GError                    **error);

G_END_DECLS
