/* mediator-report-outcomes.c: the needs and outcomes of resolved help
 * requests, summed by month from the hub's aggregate. */

#include "mediator-report-outcomes.h"
#include "mediator-labels.h"
#include "relais-help-outcome.h"

#include <glib/gi18n.h>
#include <string.h>

/* A word and its count stay on one line. */
#define NBSP "\xc2\xa0"

/* Counts of one month, by word; "" (nothing said) and words this console
 * does not know kept apart, in the order they come. */
typedef struct {
  char       *month;
  gint64      total;
  GHashTable *needs; /* word → gint64* */
  GHashTable *outcomes;
  GHashTable *partners; /* partner → gint64*, « oriente » only */
  GPtrArray  *partner_order;
} Month;

static void
month_free (Month *m)
{
  g_free (m->month);
  g_hash_table_unref (m->needs);
  g_hash_table_unref (m->outcomes);
  g_hash_table_unref (m->partners);
  g_ptr_array_unref (m->partner_order);
  g_free (m);
}

static void
add (GHashTable *table,
     const char *word,
     gint64      n)
{
  gint64 *count = g_hash_table_lookup (table, word);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (table, g_strdup (word), count);
    }
  *count += n;
}

static gint64
count_of (GHashTable *table,
          const char *word)
{
  gint64 *count = g_hash_table_lookup (table, word);

  return count != NULL ? *count : 0;
}

/* "Fait ensemble 2, Orienté vers… 2 (…)": the list's words in order, then
 * those it does not know, then « non précisé ». */
static void
append_counts (GString            *out,
               GHashTable         *table,
               const char * const *words,
               const char *(*label) (const char *),
               const Month *m)
{
  gboolean first = TRUE;
  g_autoptr(GList) keys = g_hash_table_get_keys (table);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gint64 n = count_of (table, words[i]);

      if (n == 0)
        continue;
      g_string_append_printf (out, "%s%s" NBSP "%" G_GINT64_FORMAT, first ? "" : ", ", label (words[i]), n);
      first = FALSE;
      if (g_str_equal (words[i], RELAIS_HELP_OUTCOME_REFERRED) && m != NULL && m->partner_order->len > 0)
        {
          g_string_append (out, " (");
          for (guint p = 0; p < m->partner_order->len; p++)
            {
              const char *partner = g_ptr_array_index (m->partner_order, p);

              g_string_append_printf (out, "%s%s" NBSP "%" G_GINT64_FORMAT, p > 0 ? ", " : "",
                                      *partner != '\0' ? partner : _ ("partenaire non précisé"),
                                      count_of (m->partners, partner));
            }
          g_string_append_c (out, ')');
        }
    }
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    if (*(const char *) l->data != '\0' && !g_strv_contains (words, l->data))
      {
        g_string_append_printf (out, "%s%s" NBSP "%" G_GINT64_FORMAT, first ? "" : ", ", (const char *) l->data,
                                count_of (table, l->data));
        first = FALSE;
      }
  if (count_of (table, "") > 0)
    g_string_append_printf (out, "%s%s" NBSP "%" G_GINT64_FORMAT, first ? "" : ", ", _ ("non précisé"), count_of (table, ""));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
mediator_report_outcomes_text (const RelaisSiteStats *stats)
{
  g_autoptr(GPtrArray) months = g_ptr_array_new_with_free_func ((GDestroyNotify) month_free);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (stats != NULL, NULL);
  /* The hub sends them by month: a new month starts a new paragraph. */
  for (guint i = 0; stats->outcomes != NULL && i < stats->outcomes->len; i++)
    {
      const RelaisStatsOutcome *line = g_ptr_array_index (stats->outcomes, i);
      Month                    *m = months->len > 0 ? g_ptr_array_index (months, months->len - 1) : NULL;

      if (m == NULL || g_strcmp0 (m->month, line->month) != 0)
        {
          m = g_new0 (Month, 1);
          m->month = g_strdup (line->month);
          m->needs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          m->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          m->partners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          m->partner_order = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (months, m);
        }
      m->total += line->requests;
      add (m->needs, line->need, line->requests);
      add (m->outcomes, line->outcome, line->requests);
      if (g_str_equal (line->outcome, RELAIS_HELP_OUTCOME_REFERRED))
        {
          if (!g_hash_table_contains (m->partners, line->partner))
            g_ptr_array_add (m->partner_order, g_strdup (line->partner));
          add (m->partners, line->partner, line->requests);
        }
    }
  for (guint i = 0; i < months->len; i++)
    {
      Month           *m = g_ptr_array_index (months, i);
      /* "2026-11" → "11/2026" */
      g_autofree char *month = strlen (m->month) == 7 ? g_strdup_printf ("%.2s/%.4s", m->month + 5, m->month)
                                                      : g_strdup (m->month);

      g_ptr_array_sort (m->partner_order, (GCompareFunc) compare_strings);
      if (i > 0)
        g_string_append (out, "\n\n");
      g_string_append_printf (out, g_dngettext (NULL, "%s — %lld demande résolue", "%s — %lld demandes résolues", m->total),
                              month, (long long) m->total);
      g_string_append_printf (out, "\n%s", _ ("Besoins : "));
      append_counts (out, m->needs, relais_help_needs, mediator_help_need_label, NULL);
      g_string_append_printf (out, "\n%s", _ ("Résultats : "));
      append_counts (out, m->outcomes, relais_help_outcomes, mediator_help_outcome_label, m);
    }
  return g_string_free (out, FALSE);
}
