/* relais-test-letters.c: five letters as French administrations write
 * them (a CAF overpayment, a CPAM request for papers, a tax reminder, a
 * France Travail summons, a landlord's formal notice), with the facts a
 * reader must find in each. Names and numbers are invented. */
#define G_LOG_DOMAIN "relais-test"

#include "relais-test-letters.h"

#include <string.h>

static const RelaisTestLetter letters[RELAIS_TEST_LETTER_COUNT] = {
  {
      "Caisse d'allocations familiales\n"
      "Numéro allocataire : 0457 1289 B\n"
      "Saint-Denis, le 14 novembre 2026\n"
      "Madame Fatou Diallo, 12 allée des Peupliers, 93200 Saint-Denis\n"
      "\n"
      "Objet : trop-perçu d'aide personnalisée au logement\n"
      "\n"
      "Madame,\n"
      "Nous avons réexaminé votre dossier. Vos ressources ont changé et vous avez reçu "
      "trop d'APL entre avril et septembre 2026. Cette somme est un indu.\n"
      "Le montant à rembourser est de 1 234,56 €. Vous pouvez payer en une fois ou demander "
      "un échéancier.\n"
      "Merci de nous répondre avant le 15 janvier 2027. Sans réponse, la somme sera retenue "
      "sur vos prochaines prestations.\n"
      "Si vous n'êtes pas d'accord avec cette décision, vous pouvez faire un recours amiable "
      "auprès de la commission de recours amiable dans un délai de deux mois.\n"
      "Nous vous prions d'agréer, Madame, nos salutations distinguées.",
      "caf",
      "decision",
      15,
      1,
      2027,
      1234.56,
      "Numéro allocataire",
      "9 B",
      "trop-perçu|APL|indu|prestations|recours amiable|échéancier",
  },
  {
      "Assurance Maladie\n"
      "Caisse primaire d'assurance maladie de la Seine-Saint-Denis\n"
      "Numéro de sécurité sociale : 2 85 05 93 066 042 17\n"
      "Bobigny, le 2 décembre 2026\n"
      "\n"
      "Objet : demande de pièces justificatives pour votre complémentaire santé solidaire\n"
      "\n"
      "Madame, Monsieur,\n"
      "Votre demande de complémentaire santé solidaire est incomplète. Pour l'étudier, "
      "nous avons besoin des pièces justificatives suivantes : votre avis d'imposition 2026 "
      "et une attestation de domicile.\n"
      "Merci de nous les envoyer sous 30 jours, par courrier ou sur votre compte ameli.\n"
      "Sans ces documents, nous ne pourrons pas ouvrir vos droits.\n"
      "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
      "cpam",
      "documents",
      1,
      1,
      2027,
      0,
      "Numéro de sécurité sociale",
      "7",
      "pièces justificatives|complémentaire santé solidaire|avis d'imposition|attestation|droits",
  },
  {
      "Direction générale des Finances publiques\n"
      "Service des impôts des particuliers de Saint-Denis\n"
      "Numéro fiscal : 30 12 345 678 901\n"
      "Saint-Denis, le 20 novembre 2026\n"
      "\n"
      "Objet : rappel, impôt sur le revenu restant dû\n"
      "\n"
      "Madame, Monsieur,\n"
      "Sauf erreur de notre part, nous n'avons pas reçu le paiement de votre impôt sur le "
      "revenu 2025. Le solde restant à payer est de 312,00 €.\n"
      "Vous devez régler cette somme au plus tard le 31 décembre 2026. Après cette date, "
      "une majoration de 10 % sera appliquée.\n"
      "Si vous avez des difficultés pour payer, vous pouvez demander un délai de paiement "
      "ou une remise gracieuse sur impots.gouv.fr.\n"
      "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
      "dgfip",
      "reminder",
      31,
      12,
      2026,
      312.00,
      "Numéro fiscal",
      "901",
      "impôt sur le revenu|majoration|délai de paiement|remise gracieuse",
  },
  {
      "France Travail\n"
      "Agence de Saint-Denis Pleyel\n"
      "Identifiant France Travail : 4823157K\n"
      "Saint-Denis, le 25 novembre 2026\n"
      "\n"
      "Objet : convocation à un entretien\n"
      "\n"
      "Madame,\n"
      "Vous êtes convoquée à un entretien avec votre conseillère, au sujet de votre projet "
      "personnalisé d'accès à l'emploi, le 9 décembre 2026 à 10 h 30.\n"
      "Cet entretien est obligatoire. Merci de venir avec votre pièce d'identité et votre "
      "curriculum vitae.\n"
      "Si vous ne pouvez pas venir, prévenez-nous au plus tard le 7 décembre 2026. "
      "Une absence sans motif peut entraîner une radiation et la suspension de votre allocation.\n"
      "Nous vous prions d'agréer, Madame, nos salutations distinguées.",
      "france-travail",
      "summons",
      7,
      12,
      2026,
      0,
      "Identifiant France Travail",
      "57K",
      "convocation|projet personnalisé d'accès à l'emploi|radiation|allocation|pièce d'identité",
  },
  {
      "Office public de l'habitat Plaine Commune\n"
      "Numéro de locataire : 77 0412 58\n"
      "Saint-Denis, le 16 novembre 2026\n"
      "\n"
      "Objet : mise en demeure de payer\n"
      "\n"
      "Madame, Monsieur,\n"
      "Malgré nos relances, votre loyer et vos charges des mois d'août, septembre et octobre "
      "2026 restent impayés. Le montant dû s'élève à 1 458,90 €.\n"
      "Par la présente, nous vous mettons en demeure de régler cette somme dans un délai "
      "de 15 jours.\n"
      "Vous pouvez nous contacter pour proposer un plan d'apurement. Vous pouvez aussi "
      "demander l'aide du fonds de solidarité pour le logement.\n"
      "À défaut, nous saisirons le tribunal pour demander la résiliation du bail et votre "
      "expulsion.\n"
      "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
      "bailleur",
      "formal-notice",
      1,
      12,
      2026,
      1458.90,
      "Numéro de dossier",
      "58",
      "mise en demeure|loyer|charges|plan d'apurement|fonds de solidarité pour le logement|bail|expulsion",
  },
};

const RelaisTestLetter *
relais_test_letter_get (guint index)
{
  g_assert (index < RELAIS_TEST_LETTER_COUNT);
  return &letters[index];
}

static gunichar *
normalised (const char *text, glong *out_len)
{
  GString *s = g_string_new (NULL);
  gboolean space = TRUE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F)
        {
          if (!space)
            g_string_append_c (s, ' ');
          space = TRUE;
        }
      else
        {
          /* Typographic apostrophes and hyphens read as plain ones. */
          if (c == 0x2019 || c == 0x2018)
            c = '\'';
          else if (c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2014)
            c = '-';
          g_string_append_unichar (s, c);
          space = FALSE;
        }
    }
  while (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  {
    gunichar *u = g_utf8_to_ucs4_fast (s->str, -1, out_len);

    g_string_free (s, TRUE);
    return u;
  }
}

double
relais_test_letter_cer (const char *reference, const char *read)
{
  glong                n, m;
  g_autofree gunichar *a = normalised (reference, &n);
  g_autofree gunichar *b = normalised (read, &m);
  g_autofree int      *prev = g_new (int, m + 1);
  g_autofree int      *cur = g_new (int, m + 1);

  if (n == 0)
    return m == 0 ? 0 : 1;
  for (glong j = 0; j <= m; j++)
    prev[j] = (int) j;
  for (glong i = 1; i <= n; i++)
    {
      cur[0] = (int) i;
      for (glong j = 1; j <= m; j++)
        {
          int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

          cur[j] = MIN (sub, MIN (prev[j] + 1, cur[j - 1] + 1));
        }
      memcpy (prev, cur, sizeof (int) * (m + 1));
    }
  return (double) prev[m] / (double) n;
}
