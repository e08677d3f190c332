/* bench-safes.c: digital safes for the benchmarks (see the header). */
#include "bench-safes.h"

#include <string.h>

GBytes *
bench_random_bytes (GRand *rand,
                    gsize  length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i += 4)
    {
      guint32 v = g_rand_int (rand);

      memcpy (data + i, &v, MIN (4, length - i));
    }
  return g_bytes_new_take (data, length);
}

void
bench_fill_safe (RelaisDb   *db,
                 GRand      *rand,
                 const char *number,
                 const char *created_by,
                 const char *doc_prefix,
                 int         documents,
                 gsize       document_bytes,
                 gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) activation = bench_random_bytes (rand, 32);
  g_autoptr(GBytes) recovery = bench_random_bytes (rand, 32);
  g_autoptr(GBytes) salt = bench_random_bytes (rand, 16);
  g_autoptr(GBytes) verifier = bench_random_bytes (rand, 32);
  g_autoptr(GBytes) secret = bench_random_bytes (rand, 72);
  g_autoptr(GBytes) wrapped = bench_random_bytes (rand, 104);
  g_autoptr(GBytes) box_pk = bench_random_bytes (rand, 32);
  gint64 id = relais_db_safe_create (db, number, NULL, activation, recovery, created_by, now, &error);

  if (id == 0 || !relais_db_safe_setup (db, id, salt, verifier, secret, wrapped, box_pk, now, &error))
    g_error ("%s", error->message);
  for (int d = 0; d < documents; d++)
    {
      g_autofree char *doc_id = g_strdup_printf ("%s-%03d", doc_prefix, d);
      g_autoptr(GBytes) body = bench_random_bytes (rand, document_bytes);
      g_autoptr(GBytes) head = g_bytes_new_from_bytes (body, 0, MIN (140, document_bytes));
      gboolean duplicate = FALSE;

      if (!relais_db_safe_document_add (db, id, doc_id, "impots", head, body, FALSE, now, &duplicate, &error))
        g_error ("%s", error->message);
    }
}
