/* test-mail-search.c: folding names and the console's type-ahead (a
 * slip in any word, particles, exact names first, people no longer
 * domiciled after, proxies), and names refused whole. */
#include "test-mail.h"

void
test_fold (void)
{
  g_autofree char *a = relais_mail_fold ("  Lefèvre-ŒUVRAY  d’Arc ");
  g_autofree char *b = relais_mail_sound_key ("dupont marie");
  g_autofree char *c = relais_mail_sound_key ("dupond marie");
  g_autofree char *d = relais_mail_sound_key ("philippe");
  g_autofree char *e = relais_mail_sound_key ("filipe");

  g_assert_cmpstr (a, ==, "lefevre oeuvray d arc");
  g_assert_cmpstr (b, ==, c);
  g_assert_cmpstr (d, ==, e);
}

void
test_search_homonyms (void)
{
  g_autoptr(GPtrArray) dupont = NULL;
  g_autoptr(GPtrArray) typo = NULL;
  g_autoptr(GPtrArray) accents = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) first = NULL;
  RelaisMailPerson *p;

  add_person ("1001", "Dupont", "Marie", "1980-04-02", "sms", "06 11 22 33 44", "C1001");
  add_person ("1002", "DUPONT", "Marie Claire", "1975-11-30", "sms", "06 11 22 33 45", NULL);
  add_person ("1003", "Dupond", "Marie", "1990-01-15", "sms", "06 11 22 33 46", NULL);
  add_person ("1004", "Lefèvre", "Élodie", "1988-07-07", "email", "elodie@example.org", NULL);
  add_person ("1005", "Martin", "Paul", "1969-02-28", "none", NULL, NULL);
  add_person ("1006", "Ben Ahmed", "Mohamed", "1985-05-05", "sms", "+33 7 00 00 00 01", NULL);

  /* Two Marie Dupont: homonyms; Marie Dupond sounds the same. */
  dupont = search ("dupont");
  g_assert_cmpuint (dupont->len, >=, 2);
  p = find (dupont, "1001");
  g_assert_nonnull (p);
  g_assert_cmpint (p->homonyms, ==, 1);
  g_assert_cmpint (p->near_homonyms, ==, 1);
  g_assert_false (p->approximate);
  g_assert_cmpint (find (dupont, "1002")->homonyms, ==, 1);
  p = find (dupont, "1003");
  if (p != NULL) /* found as a one-typo match: still flagged */
    g_assert_true (p->approximate);

  /* One typo still finds them, flagged approximate. */
  typo = search ("dupomt");
  p = find (typo, "1001");
  g_assert_nonnull (p);
  g_assert_true (p->approximate);

  /* Case and accents do not matter; first names and inner words too. */
  accents = search ("LEFEVRE elo");
  g_assert_cmpuint (accents->len, ==, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (accents, 0))->number, ==, "1004");
  g_assert_cmpint (((RelaisMailPerson *) g_ptr_array_index (accents, 0))->homonyms, ==, 0);
  two = search ("du");
  g_assert_cmpuint (two->len, ==, 3);
  first = search ("ahmed");
  g_assert_nonnull (find (first, "1006"));
}

/* The type-ahead never loses a real person: a slip in any word of a
 * compound or particle surname, a short particle followed by the first
 * name behind hundreds of names starting the same way, an exact full
 * name before a longer one holding it, people still domiciled before
 * radiated ones, and a proxy's name. */
void
test_search_never_loses (void)
{
  static const char * const firsts[] = { "Anne", "Yann", "Gwen", "Loïc", "Maël", "Soizic", "Erwan", "Nolwenn" };
  RelaisMailSite            site = { "la MDS", "mardi 9h-12h" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) particle = NULL;
  g_autoptr(GPtrArray) slip = NULL;
  g_autoptr(GPtrArray) compound = NULL;
  g_autoptr(GPtrArray) dutch = NULL;
  g_autoptr(GPtrArray) exact = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GPtrArray) by_proxy = NULL;
  g_autoptr(GPtrArray) twice = NULL;
  g_autoptr(RelaisMailProxy) proxy = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *first;
  int         active = -1, radiated = -1;

  /* 320 "Le B…" people sort before "le valerie": more than the bound of
   * candidates one index range may bring. */
  g_assert_true (relais_db_batch_begin (hub_db (), NULL));
  for (guint i = 0; i < 320; i++)
    {
      g_autofree char *number = g_strdup_printf ("31%03u", i);
      g_autoptr(RelaisMailPerson) saved = NULL;
      RelaisMailPerson in = {
        .number = number,
        .surname = i % 2 ? "Le Bihan" : "Le Bris",
        .first_names = (char *) firsts[i % G_N_ELEMENTS (firsts)],
        .birth_date = "1970-01-01",
        .notify = "none",
      };

      saved = relais_db_mail_person_save (hub_db (), &in, &error);
      g_assert_no_error (error);
    }
  g_assert_true (relais_db_batch_commit (hub_db (), NULL));
  add_person ("3001", "Le", "Valérie", "1972-03-03", "none", NULL, NULL);
  add_person ("3002", "Le Goff", "Yannick", "1961-06-06", "none", NULL, NULL);
  add_person ("3003", "Mukendi-Şahin", "Grâce", "1990-09-09", "none", NULL, NULL);
  add_person ("3004", "Van Damme", "Luc", "1955-05-05", "none", NULL, NULL);
  add_person ("3005", "Marty", "Émilie", "1984-04-04", "none", NULL, NULL);
  add_person ("3006", "Marty-Barthélemy", "Émilie", "1986-06-06", "none", NULL, NULL);
  add_person ("3007", "Lambertin", "Paul", "1950-01-01", "none", NULL, NULL);
  add_person ("3008", "Lambertini", "Paul", "1951-01-01", "none", NULL, NULL);
  add_person ("3009", "Lebon", "Leïla", "1993-03-09", "none", NULL, NULL);
  grant ("3007", T0, 365);
  grant ("3008", T0, 365);
  g_assert_true (relais_db_mail_decide (hub_db (), "3007", "radiated", NULL, NULL, NULL, "Sophie", &site,
                                        T0 + DAY_MS, &error));
  g_assert_no_error (error);
  proxy = relais_db_mail_proxy_add (hub_db (), "3005", "Jeanne Moreau-Kessler", "2026-01-05", "scannées", NULL, &error);
  g_assert_no_error (error);

  particle = search ("le valérie");
  g_assert_cmpuint (particle->len, >=, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (particle, 0))->number, ==, "3001");

  slip = search ("Le Gboff");
  g_assert_nonnull (find (slip, "3002"));
  g_assert_true (find (slip, "3002")->approximate);
  compound = search ("Mukendi-Şoahin");
  g_assert_nonnull (find (compound, "3003"));
  dutch = search ("van dame luc");
  g_assert_nonnull (find (dutch, "3004"));

  exact = search ("marty émilie");
  g_assert_cmpuint (exact->len, ==, 2);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (exact, 0))->number, ==, "3005");

  /* Both start "lamber… paul": the one still domiciled comes first,
   * though the alphabet puts the radiated one before. */
  states = search ("lamber paul");
  for (guint i = 0; i < states->len; i++)
    {
      const char *number = ((RelaisMailPerson *) g_ptr_array_index (states, i))->number;

      if (g_str_equal (number, "3008"))
        active = i;
      else if (g_str_equal (number, "3007"))
        radiated = i;
    }
  g_assert_cmpint (active, >=, 0);
  g_assert_cmpint (radiated, >, active);

  /* A proxy's name finds the person, saying through whom; through the
   * console's route too. */
  by_proxy = search ("moreau kessler");
  g_assert_cmpuint (by_proxy->len, ==, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (by_proxy, 0))->number, ==, "3005");
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (by_proxy, 0))->via_proxy, ==, "Jeanne Moreau-Kessler");
  reply = call ("/mail/search?q=jeanne%20moreau", NULL, &error);
  g_assert_no_error (error);
  first = json_array_get_object_element (json_object_get_array_member (reply, "people"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "number"), ==, "3005");
  g_assert_cmpstr (json_object_get_string_member (first, "via_proxy"), ==, "Jeanne Moreau-Kessler");

  /* The same two letters twice: the 320 "Le B…" meet the filter " le"
   * with their first word alone, and the bearers of "le" fill a bound of
   * rows before Lebon Leïla's words are read. */
  twice = search ("le le");
  g_assert_nonnull (twice);
  g_assert_cmpuint (twice->len, >=, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (twice, 0))->number, ==, "3009");
}

/* A slip anywhere in a word, the first letter too, finds the person
 * through the register's words, which follow a renamed person: the old
 * name with a slip finds them no more, the new one does. */
void
test_search_slips (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first_letter = NULL;
  g_autoptr(GPtrArray) swapped = NULL;
  g_autoptr(GPtrArray) old_name = NULL;
  g_autoptr(GPtrArray) new_name = NULL;
  g_autoptr(RelaisMailPerson) renamed = NULL;
  RelaisMailPerson in = {
    .number = "3102",
    .surname = "Nowak",
    .first_names = "Anna",
    .birth_date = "1977-07-07",
    .notify = "none",
  };

  add_person ("3101", "Kowalczyk", "Zofia", "1975-05-05", "none", NULL, NULL);
  add_person ("3102", "Wiśniewska", "Anna", "1976-06-06", "none", NULL, NULL);

  /* The first letter slipped: "vupont" is Dupont. */
  first_letter = search ("vupont marie");
  g_assert_nonnull (find (first_letter, "1001"));
  g_assert_true (find (first_letter, "1001")->approximate);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (first_letter, 0))->surname, ==, "Dupont");

  /* Two letters swapped in the middle of a surname typed alone. */
  swapped = search ("kowalcyzk");
  g_assert_cmpuint (swapped->len, >=, 1);
  g_assert_cmpstr (((RelaisMailPerson *) g_ptr_array_index (swapped, 0))->number, ==, "3101");

  /* Renamed: the words follow. */
  renamed = relais_db_mail_person_save (hub_db (), &in, &error);
  g_assert_no_error (error);
  old_name = search ("wisniewsak anna");
  g_assert_null (find (old_name, "3102"));
  new_name = search ("nowka anna");
  g_assert_nonnull (find (new_name, "3102"));
  g_assert_true (find (new_name, "3102")->approximate);
}

void
test_invalid_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) empty = NULL;
  g_autoptr(GError) route_error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(RelaisMailPerson) person = NULL;
  RelaisMailPerson bad = {
    .number = "2001",
    .surname = "Robert'); DROP TABLE mail_people;--",
    .first_names = "Bob",
    .birth_date = "1970-01-01",
    .notify = "none",
  };
  RelaisMailPerson blank = {
    .number = "2002",
    .surname = "   ",
    .first_names = "Ana",
    .birth_date = "1970-01-01",
    .notify = "none",
  };

  g_assert_null (relais_db_mail_person_save (hub_db (), &bad, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "seulement des lettres"));
  g_assert_null (relais_db_mail_person_save (hub_db (), &blank, &empty));
  g_assert_error (empty, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_assert_nonnull (strstr (empty->message, "vide"));

  /* Through the console's route: 400 with the message, nothing stored. */
  reply = call ("/mail/people",
                "{\"number\":\"2003\",\"surname\":\"\",\"first_names\":\"Jean\",\"birth_date\":\"1970-01-01\",\"notify\":\"none\"}",
                &route_error);
  g_assert_null (reply);
  g_assert_error (route_error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (route_error->message, "Nom vide"));
  g_clear_error (&route_error);
  reply = call ("/mail/search?q=%22%3B%20--", NULL, &route_error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (route_error->message, "Recherche"));

  /* The table is intact and searchable. */
  none = search ("robert");
  g_assert_cmpuint (none->len, ==, 0);
  person = relais_db_mail_person_get (hub_db (), "1001", NULL);
  g_assert_nonnull (person);
}
