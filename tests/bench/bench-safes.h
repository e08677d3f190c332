/* bench-safes.h: digital safes as a hub's database holds them, for the
 * benchmarks that fill one (hub-backup, multi-site). */
#pragma once

#include "relais-db-safe.h"

G_BEGIN_DECLS

/* @length bytes from @rand, as a safe's ciphertext weighs: they do not
 * compress. */
GBytes *bench_random_bytes (GRand *rand,
                            gsize  length);
/* A safe @number with a PIN set (random keys, hashes and salt, as the
 * hub's crypto would leave them) and @documents documents of
 * @document_bytes random bytes, ids "@doc_prefix-000" on. Aborts on a
 * database error. */
void    bench_fill_safe (RelaisDb   *db,
                         GRand      *rand,
                         const char *number,
                         const char *created_by,
                         const char *doc_prefix,
                         int         documents,
                         gsize       document_bytes,
                         gint64      now);

G_END_DECLS
