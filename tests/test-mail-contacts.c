/* test-mail-contacts.c: every contact counts (a visit, a phone call, a
 * check at the kiosk, through the station's outbox even offline), NPAI on
 * a person and on a letter, and mail forwarding. */

#include "test-mail.h"
#include "relais-db-mail-contacts.h"
#include "relais-protocol.h"

#include <string.h>

static RelaisMailPerson *
person (const char *number)
{
  g_autoptr(GError) error = NULL;
  RelaisMailPerson *p = relais_db_mail_person_get (hub_db (), number, &error);

  g_assert_no_error (error);
  return p;
}

/* The one letter of a batch of one, registered at @now. */
static gint64
register_one (const char *key, const char *number, gint64 now)
{
  g_autoptr(GError) error = NULL;
  RelaisMailItem item = { number, "ordinary", 1, NULL, NULL, FALSE };
  gboolean       duplicate;
  g_autoptr(GPtrArray) letters = relais_db_mail_register (hub_db (), key, "Marc", &item, 1, NULL, 0,
                                                           &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, now,
                                                           &duplicate, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 1);
  return ((RelaisMailLetter *) g_ptr_array_index (letters, 0))->id;
}

/* @id's line of the return list, or NULL. */
static char *
return_reason (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = relais_db_mail_to_return (hub_db (), &error);

  g_assert_no_error (error);
  for (guint i = 0; i < letters->len; i++)
    {
      RelaisMailLetter *l = g_ptr_array_index (letters, i);

      if (l->id == id)
        return g_strdup (l->return_reason);
    }
  return NULL;
}

void
test_contact_visit_phone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) before = NULL;
  g_autoptr(RelaisMailPerson) after = NULL;
  g_autofree char *visit_day = NULL;
  gint64           t = T0 + 1200 * DAY_MS;

  add_person ("2401", "Benali", "Karim", "1981-04-04", "sms", "0611220001", NULL);
  grant ("2401", t, 365);
  relais_hub_mail_set_expiry (hub->hub, 60, 14, 75);

  /* 76 days without a pickup: on the no-contact list. */
  relais_hub_mail_set_clock (hub->hub, t + 76 * DAY_MS);
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (listed (reply, "2401"));
  g_clear_pointer (&reply, json_object_unref);

  /* A bad kind, or the kiosk's (stations only), changes nothing. */
  before = person ("2401");
  reply = call ("/mail/people/2401/contact", "{\"kind\":\"kiosk\"}", &error);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "visit"));
  g_clear_error (&error);
  reply = call ("/mail/people/2401/contact", "{\"kind\":\"visit\",\"extra\":1}", &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  reply = call ("/mail/people/9999/contact", "{\"kind\":\"visit\"}", &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  after = person ("2401");
  g_assert_cmpstr (after->last_contact, ==, before->last_contact);
  g_assert_null (after->last_contact_kind);
  g_clear_pointer (&after, relais_mail_person_free);

  /* A visit without mail is a contact: off the list, said so on the file. */
  reply = call ("/mail/people/2401/contact", "{\"kind\":\"visit\"}", &error);
  g_assert_no_error (error);
  visit_day = day_of (t, 76);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "person"), "last_contact_kind"),
                   ==, "visit");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "person"), "last_contact"),
                   ==, visit_day);
  g_clear_pointer (&reply, json_object_unref);
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (listed (reply, "2401"));
  g_clear_pointer (&reply, json_object_unref);

  /* 80 days later a phone call counts the same. */
  relais_hub_mail_set_clock (hub->hub, t + 156 * DAY_MS);
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (listed (reply, "2401"));
  g_clear_pointer (&reply, json_object_unref);
  reply = call ("/mail/people/2401/contact", "{\"kind\":\"phone\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  after = person ("2401");
  g_assert_cmpstr (after->last_contact_kind, ==, "phone");
  reply = call ("/mail/no-contact", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (listed (reply, "2401"));
  g_clear_pointer (&reply, json_object_unref);

  /* A contact never moves back: a late one (a kiosk check delivered days
   * after) leaves the later phone call. */
  g_assert_true (relais_db_mail_contact_add (hub_db (), "2401", "visit", t + 100 * DAY_MS, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, relais_mail_person_free);
  after = person ("2401");
  g_assert_cmpstr (after->last_contact_kind, ==, "phone");
  relais_hub_mail_set_clock (hub->hub, 0);
}

static gboolean
kiosk_ready (gpointer data)
{
  return relais_mail_kiosk_check (data, "2402", "1979-09-09", NULL, NULL) >= 0;
}

/* The number's last contact is a kiosk check. */
static gboolean
kiosk_contact_reached_hub (gpointer data)
{
  g_autoptr(RelaisMailPerson) p = relais_db_mail_person_get (hub_db (), data, NULL);

  return p != NULL && g_strcmp0 (p->last_contact_kind, "kiosk") == 0;
}

void
test_contact_kiosk_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relais-contact-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "station.db", NULL);
  g_autoptr(RelaisLink) station = NULL;
  g_autoptr(RelaisMailKiosk) kiosk = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autofree char *granted_day = day_of (T0, 0);
  g_autofree char *today = day_of (relais_db_now_ms (), 0);
  const char      *type = relais_event_type_to_string (RELAIS_EVENT_MAIL_CHECK);

  add_person ("2402", "Okafor", "Grace", "1979-09-09", "none", NULL, "C2402");
  grant ("2402", T0, 365);
  station = relais_link_new (hub->url, hub->station_token, db_path, &error);
  g_assert_no_error (error);
  kiosk = relais_mail_kiosk_new (station, db_path, &error);
  g_assert_no_error (error);
  relais_link_start (station);
  g_assert_true (relais_test_wait (kiosk_ready, kiosk));
  /* The kiosk knows the end of her domiciliation, by card and by number. */
  {
    g_autofree char *end = relais_mail_kiosk_active_to (kiosk, "C2402", NULL);
    g_autofree char *by_number = relais_mail_kiosk_active_to (kiosk, "2402", "1979-09-09");
    g_autofree char *expected = day_of (T0, 365);

    g_assert_cmpstr (end, ==, expected);
    g_assert_cmpstr (by_number, ==, expected);
  }

  /* Online: her card at the kiosk is a contact on the hub. */
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "C2402", NULL, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (relais_test_wait (kiosk_contact_reached_hub, "2402"));
  p = person ("2402");
  g_assert_cmpstr (p->last_contact, ==, today);
  g_clear_pointer (&p, relais_mail_person_free);

  /* Put her contact back in March, then the hub goes away: the kiosk
   * still answers, and the check waits in the station's outbox. */
  g_assert_true (relais_db_mail_decide (hub_db (), "2402", "granted", NULL, granted_day, "2027-03-01", "Sophie",
                                        &(RelaisMailSite) { "la MDS", "mardi 9h-12h" }, T0, &error));
  g_assert_no_error (error);
  p = person ("2402");
  g_assert_null (p->last_contact_kind);
  g_assert_cmpstr (p->last_contact, ==, granted_day);
  g_clear_pointer (&p, relais_mail_person_free);
  relais_test_hub_stop (hub);
  g_assert_cmpint (relais_mail_kiosk_check (kiosk, "2402", "1979-09-09", NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (relais_link_get_pending_of_type (station, type), >=, 1);
  /* Unknown people send nothing: there is nobody to count. */
  {
    gint64 pending = relais_link_get_pending_of_type (station, type);

    g_assert_cmpint (relais_mail_kiosk_check (kiosk, "2402", "1979-09-10", NULL, &error), ==, -1);
    g_assert_cmpint (relais_link_get_pending_of_type (station, type), ==, pending);
  }

  /* Back online: the outbox delivers it, the last contact is the check's. */
  relais_test_hub_start (hub);
  relais_link_retry_now (station);
  g_assert_true (relais_test_wait (kiosk_contact_reached_hub, "2402"));
  p = person ("2402");
  g_assert_cmpstr (p->last_contact, ==, today);
  relais_link_stop (station);
}

void
test_npai (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  gint64           now = relais_db_now_ms ();
  gint64           id;

  add_person ("2403", "Diallo", "Awa", "1985-05-05", "sms", "0611220003", NULL);
  grant ("2403", now, 365);

  /* One letter came back NPAI: on the return list at once, once. */
  id = register_one ("npai-letter", "2403", now);
  g_assert_null (return_reason (id));
  path = g_strdup_printf ("/mail/letters/%" G_GINT64_FORMAT "/npai", id);
  reply = call (path, "{}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reason = return_reason (id);
  g_assert_cmpstr (reason, ==, "NPAI : n'habite pas à l'adresse indiquée");
  g_clear_pointer (&reason, g_free);
  g_assert_true (relais_db_mail_confirm_return (hub_db (), id, "Sophie", now, &error));
  reply = call (path, "{}", &error);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);
  reply = call ("/mail/letters/abc/npai", "{}", &error);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The person flagged NPAI: a bad body changes nothing… */
  reply = call ("/mail/people/2403/npai", "{\"npai\":\"oui\"}", &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  p = person ("2403");
  g_assert_false (p->npai);
  g_clear_pointer (&p, relais_mail_person_free);
  /* …a good one flags them, and their new letters go back, NPAI. */
  reply = call ("/mail/people/2403/npai", "{\"npai\":true}", &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (reply, "person"), "npai"));
  g_clear_pointer (&reply, json_object_unref);
  id = register_one ("npai-person", "2403", now);
  reason = return_reason (id);
  g_assert_cmpstr (reason, ==, "NPAI : n'habite pas à l'adresse indiquée");
  g_clear_pointer (&reason, g_free);

  /* Cleared, letters wait for them again. */
  reply = call ("/mail/people/2403/npai", "{\"npai\":false}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  id = register_one ("npai-cleared", "2403", now);
  g_assert_null (return_reason (id));
}

/* Handing over "all" (no letter named) gives the letters that wait for
 * the person, never those on the return list (NPAI on the letter, or on
 * the person when it came): the card lists them not, the kiosk counts
 * them not, and naming one is refused plainly. */
void
test_hand_over_skips_returns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autoptr(GPtrArray) handed = NULL;
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  gint64           now = relais_db_now_ms ();
  gint64           kept, npai_letter, npai_person;
  JsonArray       *letters;

  add_person ("2405", "Okafor", "Chidi", "1977-07-07", "none", NULL, "C2405");
  grant ("2405", now, 365);
  kept = register_one ("skip-kept", "2405", now);
  npai_letter = register_one ("skip-npai-letter", "2405", now);
  path = g_strdup_printf ("/mail/letters/%" G_GINT64_FORMAT "/npai", npai_letter);
  reply = call (path, "{}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = call ("/mail/people/2405/npai", "{\"npai\":true}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  npai_person = register_one ("skip-npai-person", "2405", now);
  reply = call ("/mail/people/2405/npai", "{\"npai\":false}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);

  /* The card shows the one letter that waits; the person counts one. */
  reply = call ("/mail/card/C2405", NULL, &error);
  g_assert_no_error (error);
  letters = json_object_get_array_member (reply, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (letters, 0), "id"), ==, kept);
  g_clear_pointer (&reply, json_object_unref);
  p = person ("2405");
  g_assert_cmpint (p->waiting, ==, 1);
  snapshot = relais_db_mail_snapshot (hub_db (), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < snapshot->len; i++)
    if (g_str_equal (((RelaisMailSnapshotEntry *) snapshot->pdata[i])->number, "2405"))
      g_assert_cmpint (((RelaisMailSnapshotEntry *) snapshot->pdata[i])->waiting, ==, 1);

  /* Naming a letter on the return list: refused, nothing handed. */
  body = g_strdup_printf ("{\"letters\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}", kept, npai_letter);
  reply = call ("/mail/people/2405/hand-over", body, &error);
  g_assert_null (reply);
  g_assert_error (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "liste des retours"));
  g_clear_error (&error);
  g_clear_pointer (&p, relais_mail_person_free);
  p = person ("2405");
  g_assert_cmpint (p->waiting, ==, 1);

  /* "All": the one letter, the two others still to go back. */
  reply = call ("/mail/people/2405/hand-over", "{}", &error);
  g_assert_no_error (error);
  letters = json_object_get_array_member (reply, "letters");
  g_assert_cmpuint (json_array_get_length (letters), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (letters, 0), "id"), ==, kept);
  g_clear_pointer (&reply, json_object_unref);
  reason = return_reason (npai_letter);
  g_assert_cmpstr (reason, ==, "NPAI : n'habite pas à l'adresse indiquée");
  g_clear_pointer (&reason, g_free);
  reason = return_reason (npai_person);
  g_assert_cmpstr (reason, ==, "NPAI : n'habite pas à l'adresse indiquée");

  /* Nothing left to hand: "all" says so. */
  handed = relais_db_mail_hand_over (hub_db (), "2405", NULL, 0, 0, "Sophie", "2026-03-02", now, &error);
  g_assert_null (handed);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT);
}

void
test_forwarding (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *today = NULL;
  g_autofree char *body = NULL;
  g_autofree char *long_address = g_strnfill (201, 'a');
  gint64           now = relais_db_now_ms ();
  gint64           id;

  add_person ("2404", "Ionescu", "Maria", "1990-10-10", "none", NULL, NULL);
  grant ("2404", now, 365);

  /* Bad input is refused and nothing is recorded. */
  reply = call ("/mail/people/2404/forward", "{\"address\":\"12 rue des Lilas, 69003 Lyon\",\"from\":\"demain\"}",
                &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "AAAA-MM-JJ"));
  g_clear_error (&error);
  body = g_strdup_printf ("{\"address\":\"%s\",\"from\":\"2026-01-01\"}", long_address);
  reply = call ("/mail/people/2404/forward", body, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  p = person ("2404");
  g_assert_null (p->forward_address);
  g_clear_pointer (&p, relais_mail_person_free);

  /* From a day to come: letters still wait here. */
  reply = call ("/mail/people/2404/forward", "{\"address\":\"12 rue des Lilas, 69003 Lyon\",\"from\":\"2099-01-01\"}",
                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "person"), "forward_address"),
                   ==, "12 rue des Lilas, 69003 Lyon");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "person"), "forward_from"),
                   ==, "2099-01-01");
  g_clear_pointer (&reply, json_object_unref);
  id = register_one ("forward-later", "2404", now);
  g_assert_null (return_reason (id));

  /* From today: listed to forward, with the address, not kept to hand over. */
  today = day_of (now, 0);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"address\":\"12 rue des Lilas, 69003 Lyon\",\"from\":\"%s\"}", today);
  reply = call ("/mail/people/2404/forward", body, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  id = register_one ("forward-now", "2404", now);
  reason = return_reason (id);
  g_assert_cmpstr (reason, ==, "à réexpédier : 12 rue des Lilas, 69003 Lyon");

  /* Ended: an empty address. */
  reply = call ("/mail/people/2404/forward", "{\"address\":\"\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  p = person ("2404");
  g_assert_null (p->forward_address);
  g_assert_null (p->forward_from);
  id = register_one ("forward-ended", "2404", now);
  g_assert_null (return_reason (id));
}
