/* relais-letter-facts.h: what a resident first wants to know about an
 * administration's letter, found in its recognised text: who writes, what
 * kind of letter it is, by when, how much, and under which reference
 * (shown partly masked). Pure functions: no I/O, no clock (the caller
 * gives "today"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RELAIS_LETTER_KIND_UNKNOWN = 0,
  RELAIS_LETTER_KIND_DOCUMENTS, /* demande de pièces */
  RELAIS_LETTER_KIND_DECISION,  /* décision, notification */
  RELAIS_LETTER_KIND_REMINDER,  /* rappel, relance */
  RELAIS_LETTER_KIND_FORMAL,    /* mise en demeure */
  RELAIS_LETTER_KIND_SUMMONS,   /* convocation */
} RelaisLetterKind;

/* A stable word for the kind ("documents", "decision"…): what travels in a
 * help request; NULL for UNKNOWN. */
const char *relais_letter_kind_to_string (RelaisLetterKind kind);
/* The kind in plain French, untranslated (the caller runs it through _()). */
const char *relais_letter_kind_label (RelaisLetterKind kind);

typedef struct
{
  char *label;  /* "Numéro allocataire", "Numéro fiscal"… */
  char *masked; /* "•••• •••9 B": the last characters only */
} RelaisLetterReference;

typedef struct
{
  double   euros;
  char    *text; /* as written: "1 234,56 €" */
  gboolean owed; /* "à rembourser", "trop-perçu", "à payer"… */
} RelaisLetterAmount;

typedef struct
{
  char            *sender;    /* "CAF", "Impôts (DGFiP)"…, or NULL */
  char            *sender_id; /* "caf", "dgfip"…: for help requests */
  RelaisLetterKind kind;
  GDate            letter_date;   /* invalid when not found */
  GDate            deadline;      /* invalid when none */
  char            *deadline_text; /* "avant le 15 janvier 2027", "sous 30 jours" */
  GArray          *amounts;       /* RelaisLetterAmount, in text order */
  GArray          *references;    /* RelaisLetterReference */
} RelaisLetterFacts;

/* Facts of @text (UTF-8, as recognised). @today: the day relative
 * deadlines count from when the letter's own date is not found. */
RelaisLetterFacts        *relais_letter_facts_find (const char  *text,
                                                    const GDate *today);
void                      relais_letter_facts_free (RelaisLetterFacts *facts);
/* The amount a resident most needs: the first one owed, else the largest;
 * NULL when none. Borrowed. */
const RelaisLetterAmount *relais_letter_facts_get_main_amount (const RelaisLetterFacts *facts);

/* @number with every letter or digit but the last @keep replaced by "•";
 * spaces kept. */
char                     *relais_letter_mask_reference (const char *number,
                                                        guint       keep);

/* @text folded for matching: lower case, accents and ligatures dropped,
 * every run of spaces or line breaks one space, apostrophes and dashes
 * made plain, "€" as "eur"; @out_map
 * (nullable) receives, for each byte of the result plus one, the byte
 * offset in @text it comes from. */
char                     *relais_letter_fold (const char *text,
                                              GArray    **out_map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisLetterFacts, relais_letter_facts_free)

G_END_DECLS
