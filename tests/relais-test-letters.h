/* relais-test-letters.h: administrations' letters whose every word and
 * fact is known (the letter test and the letter-ocr bench), drawn by
 * relais-test-papers.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *text;      /* the letter's words, "\n" between paragraphs */
  const char *sender_id; /* relais_letter_facts: "caf", "cpam"… */
  const char *kind;      /* relais_letter_kind_to_string () */
  int         deadline_day, deadline_month, deadline_year;
  double      amount;          /* the main amount, 0 for none */
  const char *reference_label; /* NULL for none */
  const char *reference_end;   /* its last three characters, shown unmasked */
  const char *terms;           /* glossary terms the letter uses, "|" between */
} RelaisTestLetter;

#define RELAIS_TEST_LETTER_COUNT 5
const RelaisTestLetter *relais_test_letter_get (guint index);

/* Character error rate of @read against @reference: Levenshtein distance
 * over characters, every run of white space counted as one space, divided
 * by the reference's length. */
double                  relais_test_letter_cer (const char *reference,
                                                const char *read);

G_END_DECLS
