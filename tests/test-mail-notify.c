/* test-mail-notify.c: the notices a person gets (SMS retried after the
 * gateway fails, e-mail through the SMTP sink), reminders and returns,
 * decisions told by SMS, domiciliations about to end and people not seen. */
#include "test-mail.h"

static gboolean
sms_sent (gpointer data)
{
  return sms_ok >= 1;
}

static gboolean
notice_status (gpointer data)
{
  g_autoptr(GPtrArray) notices = relais_db_mail_notices_of (hub_db (), data, NULL);
  return notices != NULL && notices->len > 0
         && g_strcmp0 (last_notice (notices)->status, "pending") != 0;
}

void
test_batch_and_sms_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) notices = NULL;
  JsonArray  *letters;
  JsonObject *sms;
  gint64      deadline;

  reply = call ("/mail/batch",
                "{\"key\":\"batch-1\",\"items\":["
                "{\"number\":\"1001\",\"count\":2},"
                "{\"number\":\"1001\",\"kind\":\"registered\",\"tracking\":\"1A23456789012\",\"sender\":\"Tribunal judiciaire\",\"urgent\":true},"
                "{\"number\":\"1005\",\"kind\":\"social\",\"count\":1}],"
                "\"unknown\":[{\"name\":\"Jean Inconnu\",\"count\":1}]}",
                &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (reply, "duplicate"));
  letters = json_object_get_array_member (reply, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (letters, 0), "id"), >, 0);

  /* Sent twice (the console retried the same batch): registered once.
   * (The same key with other letters is a 409: test-hostile.) */
  again = call ("/mail/batch",
                "{\"key\":\"batch-1\",\"items\":["
                "{\"number\":\"1001\",\"count\":2},"
                "{\"number\":\"1001\",\"kind\":\"registered\",\"tracking\":\"1A23456789012\",\"sender\":\"Tribunal judiciaire\",\"urgent\":true},"
                "{\"number\":\"1005\",\"kind\":\"social\",\"count\":1}],"
                "\"unknown\":[{\"name\":\"Jean Inconnu\",\"count\":1}]}",
                &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (again, "duplicate"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (again, "letters")), ==, 4);

  /* One message for 1001 (three letters), none for 1005 (asked none):
   * the gateway fails once, the retry goes through, one SMS in all. */
  g_assert_true (relais_test_wait (sms_sent, NULL));
  g_assert_true (relais_test_wait (notice_status, "1001"));
  deadline = g_get_monotonic_time () + 1500 * 1000;
  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  g_assert_cmpuint (sms_bodies->len, ==, 2);
  g_assert_cmpuint (sms_ok, ==, 1);
  json_parser_load_from_data (parser, g_ptr_array_index (sms_bodies, 1), -1, &error);
  g_assert_no_error (error);
  sms = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (sms, "to"), ==, "06 11 22 33 44");
  g_assert_cmpstr (json_object_get_string_member (sms, "text"), ==,
                   "Bonjour, 3 courriers vous attendent à la Maison des Solidarités. Retrait le lundi, le mercredi et le vendredi, de 9 h à 12 h.");
  notices = relais_db_mail_notices_of (hub_db (), "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_cmpstr (last_notice (notices)->status, ==, "sent");
  g_assert_cmpint (last_notice (notices)->attempts, ==, 2);
  g_clear_pointer (&notices, g_ptr_array_unref);
  notices = relais_db_mail_notices_of (hub_db (), "1005", &error);
  g_assert_cmpuint (notices->len, ==, 0);
}

static gboolean
mail_received (gpointer data)
{
  g_autofree char *path = g_build_filename (smtp_dir, "1.txt", NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

void
test_email (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autofree char *path = g_build_filename (smtp_dir, "1.txt", NULL);
  g_autofree char *text = NULL;
  gboolean         duplicate = TRUE;
  RelaisMailItem   item = { "1004", "tax", 1, NULL, "DGFiP", FALSE };
  RelaisMailSite   site = { "la Maison des Solidarités", "lun/mer/ven 9h-12h" };

  letters = relais_db_mail_register (hub_db (), "batch-mail", "Sophie", &item, 1, NULL, 0, &site,
                                     relais_db_now_ms (), &duplicate, &error);
  g_assert_no_error (error);
  g_assert_false (duplicate);
  relais_hub_mail_kick (hub->hub);
  g_assert_true (relais_test_wait (mail_received, NULL));
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "To: elodie@example.org"));
  g_assert_nonnull (strstr (text, "Subject: Votre courrier à la Maison des Solidarités"));
  g_assert_nonnull (strstr (text, "Bonjour, 1 courrier vous attend à la Maison des Solidarités. Retrait lun/mer/ven 9h-12h."));
}

void
test_reminders_and_returns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GPtrArray) to_return = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  gboolean       duplicate;
  RelaisMailItem item = { "1003", "court", 1, NULL, "Tribunal", TRUE };
  int            counts[] = { 0, 1, 1, 1, 0 };
  gint64         days[] = { 29, 30, 60, 90, 120 };
  /* Months before the letters the other tests registered "now", so that
   * only this one comes due whatever the machine's date. */
  gint64         t0 = relais_db_now_ms () - 200 * DAY_MS;

  relais_hub_mail_set_timing (hub->hub, 200, 4, 30 * DAY_MS, 3);
  relais_hub_mail_set_clock (hub->hub, t0);
  letters = relais_db_mail_register (hub_db (), "batch-court", "Marc", &item, 1, NULL, 0,
                                     &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, t0, &duplicate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 1);

  /* A reminder a month, three times; a month after the third, the letter
   * goes on the return list, with its reason. */
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      relais_hub_mail_set_clock (hub->hub, t0 + days[i] * DAY_MS);
      g_assert_cmpint (relais_hub_mail_run_reminders (hub->hub, &error), ==, counts[i]);
      g_assert_no_error (error);
      to_return = relais_db_mail_to_return (hub_db (), &error);
      g_assert_cmpuint (to_return->len, ==, days[i] >= 120 ? 1 : 0);
      g_clear_pointer (&to_return, g_ptr_array_unref);
    }
  notices = relais_db_mail_notices_of (hub_db (), "1003", &error);
  {
    guint reminders = 0;

    for (guint i = 0; i < notices->len; i++)
      if (g_str_equal (((RelaisMailNotice *) g_ptr_array_index (notices, i))->reason, "reminder"))
        reminders++;
    g_assert_cmpuint (reminders, ==, 3);
  }
  g_assert_nonnull (strstr (last_notice (notices)->body, "Rappel : 1 courrier vous attend"));
  to_return = relais_db_mail_to_return (hub_db (), &error);
  g_assert_cmpstr (((RelaisMailLetter *) g_ptr_array_index (to_return, 0))->return_reason, ==,
                   "non retiré après 3 rappels");

  /* The agent confirms; the list empties; once only. */
  g_assert_true (relais_db_mail_confirm_return (hub_db (), ((RelaisMailLetter *) g_ptr_array_index (to_return, 0))->id,
                                                "Marc", t0 + 121 * DAY_MS, &error));
  g_assert_false (relais_db_mail_confirm_return (hub_db (), ((RelaisMailLetter *) g_ptr_array_index (to_return, 0))->id,
                                                 "Marc", t0 + 121 * DAY_MS, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT);
  g_clear_pointer (&to_return, g_ptr_array_unref);
  to_return = relais_db_mail_to_return (hub_db (), NULL);
  g_assert_cmpuint (to_return->len, ==, 0);
  relais_hub_mail_set_clock (hub->hub, 0);
}

void
test_decision_sms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GPtrArray) notices = NULL;

  record = call ("/mail/people/1006/decision",
                 "{\"decision\":\"adjourned\",\"missing\":\"justificatif de lien avec la commune\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "person"), "state"), ==, "adjourned");
  notices = relais_db_mail_notices_of (hub_db (), "1006", &error);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_nonnull (strstr (last_notice (notices)->body, "il manque un document pour votre domiciliation : justificatif de lien avec la commune"));
  g_clear_pointer (&record, json_object_unref);
  /* Granting is a responsable's (test-mail-decisions.c has the rest). */
  record = call ("/mail/people/1006/decision", "{\"decision\":\"granted\"}", &error);
  g_assert_null (record);
  g_assert_nonnull (strstr (error->message, "Seul un responsable"));
}

static guint
count_reason (const char *number, const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notices = relais_db_mail_notices_of (hub_db (), number, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < notices->len; i++)
    if (g_str_equal (((RelaisMailNotice *) g_ptr_array_index (notices, i))->reason, reason))
      n++;
  return n;
}

void
test_expiry_reminders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  /* Days after the grant, and the expiry notices 1010 has then: one at
   * 60 days before the end (day 40 of 100), one at 14 (day 86), never
   * twice, none once it has ended. */
  int   days[] = { 0, 39, 40, 41, 60, 85, 86, 87, 99, 101, 130 };
  guint expected[] = { 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2 };

  relais_hub_mail_set_expiry (hub->hub, 60, 14, 75);
  add_person ("1010", "Benali", "Karim", "1979-05-04", "sms", "0611223344", NULL);
  add_person ("1011", "Roussel", "Anne", "1983-10-10", "sms", "0611223355", NULL);
  add_person ("1012", "Vidal", "Paul", "1960-01-01", "none", NULL, NULL);
  grant ("1010", T0, 100);
  grant ("1011", T0, 100);
  grant ("1012", T0, 100);
  /* Radiated: no more messages about the end, nor about anything. */
  g_assert_true (relais_db_mail_decide (hub_db (), "1011", "radiated", NULL, NULL, NULL, "Sophie",
                                        &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, T0 + DAY_MS, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      relais_hub_mail_set_clock (hub->hub, T0 + days[i] * DAY_MS + 3600 * 1000);
      g_assert_cmpint (relais_hub_mail_run_reminders (hub->hub, &error), >=, 0);
      g_assert_no_error (error);
      g_assert_cmpint (relais_hub_mail_run_expiry (hub->hub, &error), >=, 0);
      g_assert_no_error (error);
      g_assert_cmpuint (count_reason ("1010", "expiry"), ==, expected[i]);
      g_assert_cmpuint (count_reason ("1011", "expiry"), ==, 0);
      /* "none" asked for no message: none is queued. */
      g_assert_cmpuint (count_reason ("1012", "expiry"), ==, 0);
    }
  notices = relais_db_mail_notices_of (hub_db (), "1010", &error);
  {
    g_autofree char *end = day_of (T0, 100);
    g_autofree char *french = g_strdup_printf ("%.2s/%.2s/%.4s", end + 8, end + 5, end);
    g_autofree char *text = g_strdup_printf ("se termine le %s", french);

    g_assert_nonnull (strstr (last_notice (notices)->body, text));
    g_assert_nonnull (strstr (last_notice (notices)->body, "renouveler"));
  }
  {
    g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get (hub_db (), "1010", &error);
    g_assert_cmpstr (p->state, ==, "expired");
  }

  /* A renewal starts the two notices again. */
  grant ("1010", T0 + 131 * DAY_MS, 365);
  relais_hub_mail_set_clock (hub->hub, T0 + (131 + 306) * DAY_MS);
  g_assert_cmpint (relais_hub_mail_run_expiry (hub->hub, &error), >=, 1);
  g_assert_cmpuint (count_reason ("1010", "expiry"), ==, 3);
  relais_hub_mail_set_clock (hub->hub, 0);
}

void
test_no_contact (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 t = T0 + 1000 * DAY_MS;

  add_person ("1013", "Lemaire", "Sophie", "1990-02-02", "sms", "0611223366", NULL);
  grant ("1013", t, 365);
  relais_hub_mail_set_expiry (hub->hub, 60, 14, 75);

  relais_hub_mail_set_clock (hub->hub, t + 74 * DAY_MS);
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "days"), ==, 75);
  g_assert_false (listed (reply, "1013"));
  g_clear_pointer (&reply, json_object_unref);

  /* Eleven weeks without a pickup: the agents are warned, with the date. */
  relais_hub_mail_set_clock (hub->hub, t + 76 * DAY_MS);
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (listed (reply, "1013"));
  {
    JsonArray       *people = json_object_get_array_member (reply, "people");
    g_autofree char *day = day_of (t, 0);

    for (guint i = 0; i < json_array_get_length (people); i++)
      {
        JsonObject *p = json_array_get_object_element (people, i);

        if (g_str_equal (json_object_get_string_member (p, "number"), "1013"))
          g_assert_cmpstr (json_object_get_string_member (p, "last_contact"), ==, day);
      }
  }
  g_clear_pointer (&reply, json_object_unref);

  /* A pickup is a contact: off the list. */
  {
    RelaisMailItem item = { "1013", "ordinary", 1, NULL, NULL, FALSE };
    gboolean       duplicate;
    g_autoptr(GPtrArray) letters = relais_db_mail_register (hub_db (), "batch-1013", "Marc", &item, 1, NULL, 0,
                                                             &(RelaisMailSite) { "la MDS", "mardi 9h-12h" },
                                                             t + 70 * DAY_MS, &duplicate, &error);
    g_assert_no_error (error);
    reply = call ("/mail/people/1013/hand-over", "{}", &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, json_object_unref);
  }
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (listed (reply, "1013"));
  relais_hub_mail_set_clock (hub->hub, 0);
}
