/* bench-names.h: names as a French register holds them (common surnames
 * first, accents, compound and particle names, names from the countries
 * people come from), for the mail benchmarks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

extern const char * const bench_surnames[];
extern const guint        bench_n_surnames;
extern const char * const bench_first_names[];
extern const guint        bench_n_first_names;

G_END_DECLS
