/* bench-mail-import.c: a centre's register brought in by the installed
 * command, as an administrator runs it.
 *
 *   bench-mail-import --hub PATH/relais-hub [--people N]
 *
 * Writes a CSV as Excel saves it in French (';', a BOM, JJ/MM/AAAA) with
 * N people (20,000 by default) named as a register has them
 * (bench-names.c: common surnames far more often, accents, compound and
 * particle names), phones, e-mails, states (valide, radié, refus,
 * instruction, expiré) and dates, then times `relais-hub import-people`
 * on a new database, the whole process (its start, the migrations, the
 * reading, the checks, the transaction). Ends with
 * RESULT mail-import seconds=… per_s=… people=…. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "bench-names.h"

static guint
pick (GRand *rand, guint n)
{
  double u = g_rand_double (rand);
  return MIN (n - 1, (guint) (n * u * u));
}

static char *
write_register (const char *dir, guint n, GRand *rand)
{
  static const char * const states[] = { "Valide", "Valide", "Valide", "Valide", "Radié", "Refus", "Instruction",
                                         "Expiré" };
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF"
                                          "Numéro;Nom;Prénom;Date de naissance;Téléphone;E-mail;"
                                          "Statut;Date de début;Date de fin\r\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "usagers.csv", NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *state = states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))];
      gboolean    dated = g_str_equal (state, "Valide") || g_str_equal (state, "Expiré");
      int         year = g_str_equal (state, "Expiré") ? 2023 : 2026;

      g_string_append_printf (csv, "D-%05u;%s;%s;%02d/%02d/%04d;", i + 1, bench_surnames[pick (rand, bench_n_surnames)],
                              bench_first_names[g_rand_int_range (rand, 0, bench_n_first_names)],
                              g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13),
                              g_rand_int_range (rand, 1940, 2006));
      if (g_rand_int_range (rand, 0, 10) < 7)
        g_string_append_printf (csv, "06 %02d %02d %02d %02d", g_rand_int_range (rand, 0, 100),
                                g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 100),
                                g_rand_int_range (rand, 0, 100));
      g_string_append_c (csv, ';');
      if (g_rand_int_range (rand, 0, 10) == 0)
        g_string_append_printf (csv, "usager%u@example.org", i + 1);
      g_string_append_printf (csv, ";%s;", state);
      if (dated)
        g_string_append_printf (csv, "%02d/%02d/%04d;%02d/%02d/%04d", g_rand_int_range (rand, 1, 29),
                                g_rand_int_range (rand, 1, 13), year, g_rand_int_range (rand, 1, 29),
                                g_rand_int_range (rand, 1, 13), year + 1);
      else
        g_string_append_c (csv, ';');
      g_string_append (csv, "\r\n");
    }
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  g_print ("register: %u people, %.1f MB\n", n, csv->len / 1e6);
  return path;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hub = NULL;
  int              people = 20000;
  GOptionEntry     entries[] = {
        { "hub", 0, 0, G_OPTION_ARG_FILENAME, &hub, "The relais-hub program", "PATH" },
        { "people", 0, 0, G_OPTION_ARG_INT, &people, "People in the register", "N" },
        { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GSubprocess) import = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64           start;
  double           seconds;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || hub == NULL || people < 1)
    {
      g_printerr ("bench-mail-import: %s\n", error != NULL ? error->message : "--hub PATH needed");
      return 2;
    }
  dir = g_dir_make_tmp ("relais-mail-import-XXXXXX", &error);
  g_assert_no_error (error);
  csv = write_register (dir, people, rand);
  db = g_build_filename (dir, "hub.db", NULL);

  start = g_get_monotonic_time ();
  import = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, hub, "-d", db,
                             "import-people", csv, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (import, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("%s%s", out, err);
  if (!g_subprocess_get_successful (import))
    {
      g_printerr ("bench-mail-import: relais-hub import-people failed\n");
      return 1;
    }
  g_print ("RESULT mail-import seconds=%.2f per_s=%.0f people=%d\n", seconds, people / seconds, people);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (csv);
    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
