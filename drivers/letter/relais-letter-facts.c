/* relais-letter-facts.c: sender, kind, dates and deadlines, amounts and
 * references of a French administration's letter, by patterns over its
 * folded text (lower case, no accents), so that "Échéance" and "echeance",
 * "trop-perçu" and "trop percu" read alike, as recognised text varies. */
#include "relais-letter-facts.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Folding */

static void
fold_put (GString *out, GArray *map, const char *s, int from)
{
  for (; *s != '\0'; s++)
    {
      g_string_append_c (out, *s);
      if (map != NULL)
        g_array_append_val (map, from);
    }
}

char *
relais_letter_fold (const char *text, GArray **out_map)
{
  GString    *out = g_string_sized_new (strlen (text));
  GArray     *map = out_map != NULL ? g_array_new (FALSE, FALSE, sizeof (int)) : NULL;
  const char *p = text;

  while (*p != '\0')
    {
      gunichar    c = g_utf8_get_char_validated (p, -1);
      int         from = (int) (p - text);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          fold_put (out, map, "?", from);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0x2009)
        {
          /* Lines of a letter wrap anywhere: every run of space is one. */
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            fold_put (out, map, " ", from);
        }
      else if (c < 0x80)
        {
          char s[2] = { g_ascii_tolower ((char) c), '\0' };

          fold_put (out, map, s, from);
        }
      else if (c == 0x20AC) /* € */
        fold_put (out, map, "eur", from);
      else if (c == 0x0153 || c == 0x0152) /* œ */
        fold_put (out, map, "oe", from);
      else if (c == 0x00E6 || c == 0x00C6) /* æ */
        fold_put (out, map, "ae", from);
      else if (c == 0x2019 || c == 0x2018 || c == 0x02BC) /* ’ */
        fold_put (out, map, "'", from);
      else if (c == 0x00B0 || c == 0x00BA) /* n° */
        fold_put (out, map, "o", from);
      else if (c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2014)
        fold_put (out, map, "-", from);
      else
        {
          gunichar decomposed[4];
          gsize    n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
          gunichar base = n > 0 ? g_unichar_tolower (decomposed[0]) : c;

          if (base < 0x80)
            {
              char s[2] = { (char) base, '\0' };

              fold_put (out, map, s, from);
            }
          else
            {
              /* Another script: kept as it is, byte for byte. */
              for (const char *q = p; q < next; q++)
                {
                  int at = (int) (q - text);

                  g_string_append_c (out, *q);
                  if (map != NULL)
                    g_array_append_val (map, at);
                }
            }
        }
      p = next;
    }
  if (map != NULL)
    {
      int end = (int) (p - text);

      g_array_append_val (map, end);
      *out_map = map;
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Kinds */

const char *
relais_letter_kind_to_string (RelaisLetterKind kind)
{
  switch (kind)
    {
    case RELAIS_LETTER_KIND_DOCUMENTS: return "documents";
    case RELAIS_LETTER_KIND_DECISION: return "decision";
    case RELAIS_LETTER_KIND_REMINDER: return "reminder";
    case RELAIS_LETTER_KIND_FORMAL: return "formal-notice";
    case RELAIS_LETTER_KIND_SUMMONS: return "summons";
    case RELAIS_LETTER_KIND_UNKNOWN:
    default: return NULL;
    }
}

const char *
relais_letter_kind_label (RelaisLetterKind kind)
{
  switch (kind)
    {
    case RELAIS_LETTER_KIND_DOCUMENTS: return N_ ("Demande de pièces");
    case RELAIS_LETTER_KIND_DECISION: return N_ ("Décision");
    case RELAIS_LETTER_KIND_REMINDER: return N_ ("Rappel");
    case RELAIS_LETTER_KIND_FORMAL: return N_ ("Mise en demeure");
    case RELAIS_LETTER_KIND_SUMMONS: return N_ ("Convocation");
    case RELAIS_LETTER_KIND_UNKNOWN:
    default: return N_ ("Courrier");
    }
}

/* Strongest first: a formal notice is also a reminder, a summons often
 * asks for papers too. */
static const struct
{
  RelaisLetterKind kind;
  const char      *pattern;
} kinds[] = {
  { RELAIS_LETTER_KIND_FORMAL, "mise en demeure|mettons en demeure|commandement de payer" },
  { RELAIS_LETTER_KIND_SUMMONS, "convocation|vous etes convoquee?|vous convoquons|vous invitons a vous presenter|rendez-vous (le|fixe)" },
  { RELAIS_LETTER_KIND_REMINDER, "\\brappel\\b|relance|nous n'avons pas (encore )?recu|toujours pas|sans reponse de votre part|deuxieme envoi" },
  { RELAIS_LETTER_KIND_DOCUMENTS, "pieces? justificatives?|nous (faire parvenir|transmettre|adresser|envoyer)|merci de (nous )?(fournir|joindre|envoyer|transmettre)|documents? (suivants|manquants)|justificatifs? suivants|veuillez (nous )?(fournir|joindre|envoyer|transmettre)" },
  { RELAIS_LETTER_KIND_DECISION, "decision|nous avons (decide|etudie|examine)|notification|votre droit|vos droits|accord|refus|a compter du|montant de votre|avis d'imposition" },
};

/* ------------------------------------------------------------------------ */
/* Senders: the first named in the letter (its letterhead) wins. */

static const struct
{
  const char *id;
  const char *name;
  const char *pattern;
} senders[] = {
  { "caf", "CAF", "\\bcaf\\b|caisse d'allocations? familiales?|allocations familiales|caf\\.fr" },
  { "cpam", "Assurance Maladie (CPAM)", "\\bcpam\\b|assurance maladie|ameli|caisse primaire" },
  { "dgfip", "Impôts (DGFiP)", "\\bdgfip\\b|finances publiques|impots\\.gouv|centre des impots|service des impots|\\bsip\\b" },
  { "france-travail", "France Travail", "france travail|pole emploi|francetravail" },
  { "prefecture", "Préfecture", "prefecture|sous-prefecture|titre de sejour" },
  { "tribunal", "Tribunal", "tribunal|greffe|commissaire de justice|huissier" },
  { "bailleur", "Bailleur", "\\bbailleur|office public de l'habitat|\\bhlm\\b|habitat social|\\bopac\\b|votre loyer|avis d'echeance" },
  { "energie", "Fournisseur d'énergie", "\\bedf\\b|\\bengie\\b|totalenergies|fournisseur d'energie|electricite|gaz naturel" },
  { "urssaf", "Urssaf", "\\burssaf\\b" },
  { "msa", "MSA", "\\bmsa\\b|mutualite sociale agricole" },
  { "retraite", "Assurance retraite", "assurance retraite|\\bcarsat\\b|\\bcnav\\b" },
  { "mairie", "Mairie / CCAS", "\\bmairie\\b|\\bccas\\b|hotel de ville" },
  { "banque", "Banque", "\\bbanque\\b|credit agricole|societe generale|\\bbnp\\b|la banque postale|caisse d'epargne" },
};

/* ------------------------------------------------------------------------ */
/* Dates */

static const char * const months[] = {
  "janvier",
  "fevrier",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "aout",
  "septembre",
  "octobre",
  "novembre",
  "decembre",
};

static gboolean
parse_date_at (GMatchInfo *info, GDate *out)
{
  g_autofree char *day = g_match_info_fetch_named (info, "d");
  g_autofree char *month = g_match_info_fetch_named (info, "m");
  g_autofree char *nmonth = g_match_info_fetch_named (info, "mm");
  g_autofree char *year = g_match_info_fetch_named (info, "y");
  int              d, m = 0, y;

  if (day == NULL || year == NULL)
    return FALSE;
  d = atoi (day);
  y = atoi (year);
  if (month != NULL && month[0] != '\0')
    {
      for (int i = 0; i < 12; i++)
        if (strcmp (month, months[i]) == 0)
          m = i + 1;
    }
  else if (nmonth != NULL)
    m = atoi (nmonth);
  if (y < 100)
    y += 2000;
  if (m < 1 || m > 12 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static int
number_word (const char *word)
{
  static const struct
  {
    const char *w;
    int         n;
  } words[] = {
    { "un", 1 },
    { "une", 1 },
    { "deux", 2 },
    { "trois", 3 },
    { "quatre", 4 },
    { "cinq", 5 },
    { "six", 6 },
    { "sept", 7 },
    { "huit", 8 },
    { "dix", 10 },
    { "quinze", 15 },
    { "vingt", 20 },
    { "trente", 30 },
    { "soixante", 60 },
  };

  if (g_ascii_isdigit (word[0]))
    return atoi (word);
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (word, words[i].w) == 0)
      return words[i].n;
  return 0;
}

#define DATE_RE                                                                                                                       \
  "(?:(?<d>[0-3]?\\d)(?:er)? (?<m>janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) (?<y>\\d{4})" \
  "|(?<d>[0-3]?\\d)[/.](?<mm>[01]?\\d)[/.](?<y>\\d{4}))"

/* The original text between two folded offsets, spaces tidied. */
static char *
original_span (const char *text, GArray *map, int start, int end)
{
  int              from = g_array_index (map, int, start);
  int              to = g_array_index (map, int, end);
  g_autofree char *raw = g_strndup (text + from, (gsize) (to - from));

  return g_strstrip (g_strdelimit (g_steal_pointer (&raw), "\n\t", ' '));
}

static void
find_dates (RelaisLetterFacts *facts, const char *text, const char *folded, GArray *map, const GDate *today)
{
  g_autoptr (GRegex) date_re = g_regex_new (
      "(?:\\b(?<lead>avant le|au plus tard le|au plus tard|d'ici le|jusqu'au|date limite(?: de [a-z ]+)? ?:?|"
      "echeance ?:?|le) )?" DATE_RE,
      G_REGEX_DUPNAMES, 0, NULL);
  g_autoptr (GRegex) relative_re = g_regex_new (
      "(sous|dans (un delai de|les)|d'ici) (?<n>\\d{1,3}|un|une|deux|trois|quatre|cinq|six|huit|dix|quinze|vingt|trente|soixante) (?<u>jours?|mois|semaines?)",
      0, 0, NULL);
  g_autoptr (GMatchInfo) info = NULL;
  GDate first;

  g_date_clear (&first, 1);
  g_regex_match (date_re, folded, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char *lead = g_match_info_fetch_named (info, "lead");
      GDate            date;
      int              start, end;

      g_date_clear (&date, 1);
      if (parse_date_at (info, &date))
        {
          g_match_info_fetch_pos (info, 0, &start, &end);
          if (!g_date_valid (&first))
            first = date;
          if (lead != NULL && lead[0] != '\0' && strcmp (lead, "le") != 0)
            {
              if (!g_date_valid (&facts->deadline))
                {
                  facts->deadline = date;
                  facts->deadline_text = original_span (text, map, start + (folded[start] == ' '), end);
                }
            }
          else if (lead != NULL && strcmp (lead, "le") == 0 && !g_date_valid (&facts->letter_date))
            facts->letter_date = date;
        }
      g_match_info_next (info, NULL);
    }
  if (!g_date_valid (&facts->letter_date) && g_date_valid (&first))
    facts->letter_date = first;

  if (!g_date_valid (&facts->deadline))
    {
      g_autoptr (GMatchInfo) rel = NULL;

      if (g_regex_match (relative_re, folded, 0, &rel))
        {
          g_autofree char *n = g_match_info_fetch_named (rel, "n");
          g_autofree char *unit = g_match_info_fetch_named (rel, "u");
          int              count = number_word (n);
          int              start, end;

          g_match_info_fetch_pos (rel, 0, &start, &end);
          if (count > 0 && count <= 366)
            {
              GDate from = g_date_valid (&facts->letter_date) ? facts->letter_date : *today;

              if (g_date_valid (&from))
                {
                  facts->deadline = from;
                  if (g_str_has_prefix (unit, "mois"))
                    g_date_add_months (&facts->deadline, (guint) count);
                  else if (g_str_has_prefix (unit, "semaine"))
                    g_date_add_days (&facts->deadline, (guint) count * 7);
                  else
                    g_date_add_days (&facts->deadline, (guint) count);
                  facts->deadline_text = original_span (text, map, start, end);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Amounts */

static void
amount_clear (gpointer p)
{
  g_free (((RelaisLetterAmount *) p)->text);
}

static void
find_amounts (RelaisLetterFacts *facts, const char *text, const char *folded, GArray *map)
{
  g_autoptr (GRegex) amount_re = g_regex_new (
      "(?<![\\d,])(?<int>\\d{1,3}(?:[ .]\\d{3})+|\\d+)(?:,(?<cents>\\d{2}))? ?(?:eur(?:os?)?\\b|eur)",
      0, 0, NULL);
  g_autoptr (GRegex) owed_re = g_regex_new (
      "rembourser|trop[- ]percu|\\bindu|dette|a payer|a regler|reste du|montant du|vous devez|somme due|solde debiteur|impaye|penalite|majoration",
      0, 0, NULL);
  g_autoptr (GMatchInfo) info = NULL;

  g_regex_match (amount_re, folded, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char   *whole = g_match_info_fetch_named (info, "int");
      g_autofree char   *cents = g_match_info_fetch_named (info, "cents");
      GString           *digits = g_string_new (NULL);
      RelaisLetterAmount amount = { 0 };
      int                start, end, ctx, stop;
      g_autofree char   *context = NULL;

      for (const char *c = whole; *c; c++)
        if (g_ascii_isdigit (*c))
          g_string_append_c (digits, *c);
      amount.euros = g_ascii_strtod (digits->str, NULL);
      g_string_free (digits, TRUE);
      if (cents != NULL && cents[0] != '\0')
        amount.euros += atoi (cents) / 100.0;
      g_match_info_fetch_pos (info, 0, &start, &end);
      amount.text = original_span (text, map, start, end);
      /* "à rembourser" in the amount's own sentence. */
      ctx = start;
      while (ctx > 0 && start - ctx < 160 && !(folded[ctx - 1] == ' ' && ctx >= 2 && folded[ctx - 2] == '.'))
        ctx--;
      stop = end;
      while (folded[stop] != '\0' && stop - end < 60 && !(folded[stop] == '.' && (folded[stop + 1] == ' ' || folded[stop + 1] == '\0')))
        stop++;
      context = g_strndup (folded + ctx, (gsize) (stop - ctx));
      amount.owed = g_regex_match (owed_re, context, 0, NULL);
      g_array_append_val (facts->amounts, amount);
      g_match_info_next (info, NULL);
    }
}

const RelaisLetterAmount *
relais_letter_facts_get_main_amount (const RelaisLetterFacts *facts)
{
  const RelaisLetterAmount *largest = NULL;

  for (guint i = 0; i < facts->amounts->len; i++)
    {
      const RelaisLetterAmount *a = &g_array_index (facts->amounts, RelaisLetterAmount, i);

      if (a->owed)
        return a;
      if (largest == NULL || a->euros > largest->euros)
        largest = a;
    }
  return largest;
}

/* ------------------------------------------------------------------------ */
/* References */

char *
relais_letter_mask_reference (const char *number, guint keep)
{
  GString *out = g_string_new (NULL);
  guint    total = 0, seen = 0;

  for (const char *c = number; *c; c++)
    if (g_ascii_isalnum (*c))
      total++;
  for (const char *c = number; *c; c++)
    {
      if (g_ascii_isalnum (*c))
        {
          seen++;
          if (total - seen < keep)
            g_string_append_c (out, *c);
          else
            g_string_append (out, "•");
        }
      else
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

static void
reference_clear (gpointer p)
{
  RelaisLetterReference *r = p;

  g_free (r->label);
  g_free (r->masked);
}

static const struct
{
  const char *label;
  const char *pattern;
} references[] = {
  { N_ ("Numéro allocataire"), "(?:numero|no|n) ?(?:d')?allocataire" },
  { N_ ("Numéro fiscal"), "(?:numero|no|n) ?fiscal|identifiant fiscal|\\bspi\\b" },
  { N_ ("Numéro de sécurité sociale"), "(?:numero|no|n) ?(?:de )?securite sociale|\\bnir\\b|numero d'immatriculation" },
  { N_ ("Identifiant France Travail"), "identifiant (?:france travail|pole emploi)" },
  { N_ ("Numéro de dossier"), "(?:numero|no|n) ?(?:de )?(?:dossier|client|contrat|locataire)|reference (?:du dossier|client)|\\bref(?:erence)?\\b" },
};

static void
find_references (RelaisLetterFacts *facts, const char *text, const char *folded, GArray *map)
{
  for (gsize r = 0; r < G_N_ELEMENTS (references); r++)
    {
      g_autofree char *pattern = g_strdup_printf (
          "(?:%s) ?(?:[a-z' ]{0,20})?:? ?(?<num>[0-9a-z](?:[0-9a-z]| (?=[0-9]))*[0-9](?: ?[a-z](?![a-z]))?)",
          references[r].pattern);
      g_autoptr (GRegex) re = g_regex_new (pattern, 0, 0, NULL);
      g_autoptr (GMatchInfo) info = NULL;

      if (re == NULL || !g_regex_match (re, folded, 0, &info))
        continue;
      {
        int                   start, end;
        g_autofree char      *number = NULL;
        RelaisLetterReference ref;
        gboolean              known = FALSE;

        g_match_info_fetch_named_pos (info, "num", &start, &end);
        number = original_span (text, map, start, end);
        if (strlen (number) < 4)
          continue;
        for (guint i = 0; i < facts->references->len; i++)
          known |= strcmp (g_array_index (facts->references, RelaisLetterReference, i).label,
                           references[r].label)
                   == 0;
        if (known)
          continue;
        ref.label = g_strdup (references[r].label);
        ref.masked = relais_letter_mask_reference (number, 3);
        g_array_append_val (facts->references, ref);
      }
    }
}

/* ------------------------------------------------------------------------ */

RelaisLetterFacts *
relais_letter_facts_find (const char *text, const GDate *today)
{
  RelaisLetterFacts *facts = g_new0 (RelaisLetterFacts, 1);
  g_autoptr (GArray) map = NULL;
  g_autofree char *folded = relais_letter_fold (text, &map);
  int              best_at = G_MAXINT;

  g_date_clear (&facts->letter_date, 1);
  g_date_clear (&facts->deadline, 1);
  facts->amounts = g_array_new (FALSE, TRUE, sizeof (RelaisLetterAmount));
  g_array_set_clear_func (facts->amounts, amount_clear);
  facts->references = g_array_new (FALSE, TRUE, sizeof (RelaisLetterReference));
  g_array_set_clear_func (facts->references, reference_clear);

  for (gsize i = 0; i < G_N_ELEMENTS (senders); i++)
    {
      g_autoptr (GRegex) re = g_regex_new (senders[i].pattern, 0, 0, NULL);
      g_autoptr (GMatchInfo) info = NULL;
      int start, end;

      if (g_regex_match (re, folded, 0, &info) && g_match_info_fetch_pos (info, 0, &start, &end) && start < best_at)
        {
          best_at = start;
          facts->sender = (char *) senders[i].name;
          facts->sender_id = (char *) senders[i].id;
        }
    }
  facts->sender = g_strdup (facts->sender);
  facts->sender_id = g_strdup (facts->sender_id);

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GRegex) re = g_regex_new (kinds[i].pattern, 0, 0, NULL);

      if (g_regex_match (re, folded, 0, NULL))
        {
          facts->kind = kinds[i].kind;
          break;
        }
    }

  find_dates (facts, text, folded, map, today);
  find_amounts (facts, text, folded, map);
  find_references (facts, text, folded, map);
  return facts;
}

void
relais_letter_facts_free (RelaisLetterFacts *facts)
{
  if (facts == NULL)
    return;
  g_free (facts->sender);
  g_free (facts->sender_id);
  g_free (facts->deadline_text);
  g_array_unref (facts->amounts);
  g_array_unref (facts->references);
  g_free (facts);
}
