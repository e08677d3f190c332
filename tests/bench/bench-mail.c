/* bench-mail.c: the mail benchmarks on a throwaway hub database.
 *
 *   bench-mail morning DIR [--people N]
 *     registers 200 letters for 150 people (each found by type-ahead, as
 *     the agent does) and queues the notification batch: machine seconds. */
#include <glib.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "relais-db-help.h"
#include "relais-db-mail.h"
#include "bench-names.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

typedef struct {
  char *surname;
  char *first;
  char *number;
} Person;

/* Zipf-like: a few names are very common, as in any register. */
static guint
pick (GRand *rand, guint n)
{
  double u = g_rand_double (rand);
  return MIN (n - 1, (guint) (n * u * u));
}

static GPtrArray *
populate (RelaisDb *db, guint n, GRand *rand)
{
  GPtrArray *people = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  /* One transaction: 20,000 fsyncs would measure the disk, not us. */
  g_assert (relais_db_batch_begin (db, NULL));
  for (guint i = 0; i < n; i++)
    {
      Person          *p = g_new0 (Person, 1);
      g_autofree char *phone = g_strdup_printf ("06 %02d %02d %02d %02d", g_rand_int_range (rand, 0, 100),
                                                g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 100),
                                                g_rand_int_range (rand, 0, 100));
      g_autofree char *birth = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1940, 2006),
                                                g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      g_autofree char *email = NULL;
      g_autoptr(RelaisMailPerson) saved = NULL;
      gboolean         by_mail = g_rand_int_range (rand, 0, 100) < 2;
      RelaisMailPerson in = { 0 };

      /* One in twenty has a compound surname. */
      if (g_rand_int_range (rand, 0, 20) == 0)
        p->surname = g_strdup_printf ("%s-%s", bench_surnames[pick (rand, bench_n_surnames)],
                                      bench_surnames[g_rand_int_range (rand, 0, bench_n_surnames)]);
      else
        p->surname = g_strdup (bench_surnames[pick (rand, bench_n_surnames)]);
      p->first = g_strdup (bench_first_names[g_rand_int_range (rand, 0, bench_n_first_names)]);
      p->number = g_strdup_printf ("%u", 10000 + i);
      email = g_strdup_printf ("u%u@example.org", i);
      in.number = p->number;
      in.surname = p->surname;
      in.first_names = p->first;
      in.birth_date = birth;
      in.notify = by_mail ? "email" : "sms";
      in.phone = phone;
      in.email = by_mail ? email : NULL;
      saved = relais_db_mail_person_save (db, &in, &error);
      g_assert_no_error (error);
      g_ptr_array_add (people, p);
    }
  g_assert (relais_db_batch_commit (db, NULL));
  g_print ("generated %u people in %.0f ms\n", n, now_ms () - start);
  return people;
}

/* The first @n characters (not bytes) of @text. */
static char *
utf8_prefix (const char *text, int n)
{
  const char *end = text;

  for (int i = 0; i < n && *end != '\0'; i++)
    end = g_utf8_next_char (end);
  return g_strndup (text, end - text);
}

static int
run_morning (RelaisDb *db, GPtrArray *people, GRand *rand)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (RelaisMailItem));
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) chosen = g_hash_table_new (g_direct_hash, g_direct_equal);
  RelaisMailSite site = { "la Maison des Solidarités", "lun/mer/ven 9h-12h" };
  double         cpu0 = cpu_s (), wall0 = now_ms (), wall_search, wall_register;
  guint          total = 0;
  gboolean       duplicate;

  /* 150 people, found by their first five letters as the agent types. */
  while (g_hash_table_size (chosen) < 150)
    {
      guint            i = g_rand_int_range (rand, 0, people->len);
      Person          *p = g_ptr_array_index (people, i);
      g_autofree char *full = g_strdup_printf ("%s %s", p->surname, p->first);
      g_autofree char *query = utf8_prefix (full, 5);
      g_autoptr(GPtrArray) found = NULL;
      RelaisMailItem item = { 0 };

      if (g_hash_table_contains (chosen, p))
        continue;
      g_hash_table_add (chosen, p);
      found = relais_db_mail_search (db, query, 20, &error);
      g_assert_no_error (error);
      /* The agent adds letters of the first name when the list is long. */
      if (found->len == 20)
        {
          g_autoptr(GPtrArray) narrower = NULL;

          g_free (query);
          query = g_strdup_printf ("%s %s", p->surname, p->first);
          narrower = relais_db_mail_search (db, query, 20, &error);
          g_assert_no_error (error);
        }
      item.number = p->number;
      /* 200 letters: 50 people get two, a few of them registered mail. */
      item.count = g_hash_table_size (chosen) <= 50 ? 2 : 1;
      item.kind = g_hash_table_size (chosen) % 25 == 0 ? "social" : "ordinary";
      total += item.count;
      g_array_append_val (items, item);
    }
  wall_search = now_ms () - wall0;
  letters = relais_db_mail_register (db, "morning", "bench", (RelaisMailItem *) items->data, items->len, NULL, 0,
                                     &site, relais_db_now_ms (), &duplicate, &error);
  g_assert_no_error (error);
  due = relais_db_mail_notices_due (db, relais_db_now_ms (), 1000, &error);
  g_assert_no_error (error);
  wall_register = now_ms () - wall0 - wall_search;
  {
    double cpu = cpu_s () - cpu0, wall = (now_ms () - wall0) / 1000.0;

    g_print ("letters registered: %u (asked %u) for %u people; notices queued: %u\n", letters->len, total,
             items->len, due->len);
    g_print ("example notice: %s\n", due->len > 0 ? ((RelaisMailNotice *) g_ptr_array_index (due, 0))->body : "-");
    g_print ("type-ahead lookups: %.1f ms; register + notification batch: %.1f ms (one fsync'd transaction)\n",
             wall_search, wall_register);
    g_print ("RESULT mail-morning seconds=%.3f wall_s=%.3f search_ms=%.1f register_ms=%.1f letters=%u notices=%u\n",
             cpu, wall, wall_search, wall_register, letters->len, due->len);
  }
  return letters->len == 200 && due->len == 150 ? 0 : 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260302);
  g_autofree char *path = NULL;
  GPtrArray       *people;
  int              n_people = 20000;
  GOptionEntry     entries[] = {
        { "people", 0, 0, G_OPTION_ARG_INT, &n_people, "People in the register", "N" },
        { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("morning DIR");

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3 || !g_str_equal (argv[1], "morning"))
    {
      g_printerr ("usage: bench-mail morning DIR [--people N]\n");
      return 2;
    }
  path = g_build_filename (argv[2], "hub.db", NULL);
  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  people = populate (db, n_people, rand);
  return run_morning (db, people, rand);
}
