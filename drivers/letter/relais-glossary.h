/* relais-glossary.h: the administration's words explained in plain
 * French (FALC) and in the station's six other languages, from the data
 * file the project writes and ships (assets/glossary/glossaire.ini, built
 * into the program). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RelaisGlossary RelaisGlossary;

typedef struct
{
  int         start, end; /* byte offsets in the text searched */
  const char *term;       /* the glossary's headword (borrowed) */
} RelaisGlossaryMatch;

/* The glossary shipped with Relais (never fails: it is in the program). */
RelaisGlossary *relais_glossary_get_default (void);
/* A glossary file: groups are headwords; keys fr, en, ar, es, pt, ro, tr
 * (the explanation) and "forms" (other spellings, ";" between). */
RelaisGlossary *relais_glossary_new_from_data (const char *data,
                                               gsize       length,
                                               GError    **error);
void            relais_glossary_free (RelaisGlossary *glossary);

guint           relais_glossary_get_n_terms (RelaisGlossary *glossary);
/* The explanation of @term in @language (French when missing there);
 * NULL for an unknown term. Borrowed. */
const char     *relais_glossary_explain (RelaisGlossary *glossary,
                                         const char     *term,
                                         const char     *language);
/* Every headword, sorted (borrowed strings, the array is the caller's). */
GPtrArray      *relais_glossary_list_terms (RelaisGlossary *glossary);
/* The terms in @text, in text order, the longest at each place, whole
 * words only, accents, case and line breaks aside. */
GArray         *relais_glossary_find (RelaisGlossary *glossary,
                                      const char     *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisGlossary, relais_glossary_free)

G_END_DECLS
