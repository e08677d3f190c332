/* bench-hub-backup.c: fills a hub database (made by `bench-mail morning`,
 * 20,000 people) with what a site gathers over months: help requests and
 * their events, and safes holding documents. The hub-backup script then
 * times `relais-hub backup`, `check` and `restore` on it.
 *
 *   bench-hub-backup DB [--requests N] [--safes N] [--documents N] [--kib N] */
#define G_LOG_DOMAIN "relais-bench"

#include <glib.h>
#include <string.h>

#include "relais-db-help.h"
#include "relais-db-safe.h"
#include "bench-safes.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("DB");
  g_autoptr(RelaisDb) db = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  int          requests = 50000;
  int          safes = 100;
  int          documents = 5;
  int          kib = 1024;
  gint64       now = relais_db_now_ms ();
  gint64       start;
  GOptionEntry entries[] = {
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests, "Help requests (one event each)", "N" },
    { "safes", 0, 0, G_OPTION_ARG_INT, &safes, "Safes with a PIN", "N" },
    { "documents", 0, 0, G_OPTION_ARG_INT, &documents, "Documents per safe", "N" },
    { "kib", 0, 0, G_OPTION_ARG_INT, &kib, "KiB per document (ciphertext)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: bench-hub-backup DB [--requests N] [--safes N] [--documents N] [--kib N]\n");
      return 2;
    }
  db = relais_db_open (argv[1], RELAIS_DB_HUB, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  if (!relais_db_batch_begin (db, &error))
    g_error ("%s", error->message);
  for (int i = 0; i < requests; i++)
    {
      g_autofree char *key = g_strdup_printf ("bench-raise-%07d", i);
      g_autofree char *id = g_strdup_printf ("bench-req-%07d", i);
      g_autofree char *body = g_strdup_printf ("{\"key\":\"%s\",\"type\":\"help.raise\",\"data\":{\"id\":\"%s\",\"category\":\"scan\"}}",
                                               key, id);
      RelaisEventInfo  info = { key, "station:poste-1", "help.raise", now - (requests - i) * 60000, body };
      gboolean         duplicate = FALSE;
      g_autoptr(RelaisHelpRequest) request = relais_db_help_raise (db, &info, id, "poste-1", "scan", "fr", "resident",
                                                                    NULL, NULL, RELAIS_HELP_CONTEXT_UNKNOWN, &duplicate, &error);

      if (request == NULL)
        g_error ("%s", error->message);
    }
  for (int s = 0; s < safes; s++)
    {
      g_autofree char *number = g_strdup_printf ("%010d", 1000000000 + s);
      g_autofree char *prefix = g_strdup_printf ("bench-doc-%04d", s);

      bench_fill_safe (db, rand, number, "mediator:bench", prefix, documents, (gsize) kib * 1024, now);
    }
  if (!relais_db_batch_commit (db, &error))
    g_error ("%s", error->message);
  g_print ("filled: %d help requests, %d safes × %d documents of %d KiB in %.1f s\n",
           requests, safes, documents, kib, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
