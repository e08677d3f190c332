/* test-mail-decisions.c: a domiciliation's decisions as the law wants
 * them (issue 15, « Decisions and the law »): accounts' roles, motives
 * and orientations checked whole, first election and renewal, a grant's
 * year from the application, the annual report's figures on a known
 * data set, who was domiciled on a given day, and the two migrations on
 * a database made before them. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "relais-db.h"
#include "relais-db-accounts.h"
#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-db-mail-docs.h"
#include "relais-test-hub.h"
#include "relais-test-util.h"

#define DAY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

static const RelaisMailSite site = { "la MDS", "mardi 9h-12h" };

static char *
temp_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("relais-decisions-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "hub.db", NULL);
}

static RelaisDb *
hub_db (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr (GError) error = NULL;
  RelaisDb *db = relais_db_open (path, RELAIS_DB_HUB, &error);

  g_assert_no_error (error);
  return db;
}

/* Noon, local time, on @y-@m-@d: decisions are counted by local day. */
static gint64
at (int y, int m, int d)
{
  g_autoptr (GDateTime) t = g_date_time_new_local (y, m, d, 12, 0, 0);

  return g_date_time_to_unix (t) * 1000;
}

static void
add_person (RelaisDb *db, const char *number, const char *surname, const char *birth)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisMailPerson) saved = NULL;
  RelaisMailPerson p = {
    .number = (char *) number,
    .surname = (char *) surname,
    .first_names = (char *) "Anne",
    .birth_date = (char *) birth,
    .phone = (char *) "0611223344",
    .notify = (char *) "sms",
  };

  saved = relais_db_mail_person_save (db, &p, &error);
  g_assert_no_error (error);
}

static RelaisMailDecision *
decide (RelaisDb *db, const char *number, gint64 now, const RelaisMailDecisionRequest *request)
{
  g_autoptr (GError) error = NULL;
  RelaisMailDecision *d = relais_db_mail_decision_add (db, number, request, "Claire", &site, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
  return d;
}

static void
decide_only (RelaisDb *db, const char *number, gint64 now, const RelaisMailDecisionRequest *request)
{
  relais_mail_decision_free (decide (db, number, now, request));
}

/* The decision is refused as invalid, its message holds @words, and
 * nothing is recorded (the person's decisions and state unchanged). */
static void
assert_refused (RelaisDb *db, const char *number, gint64 now, const RelaisMailDecisionRequest *request, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = relais_db_mail_decisions_of (db, number, NULL);
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (RelaisMailPerson) p_before = relais_db_mail_person_get (db, number, NULL);
  g_autoptr (RelaisMailPerson) p_after = NULL;
  g_autoptr (RelaisMailDecision) d = relais_db_mail_decision_add (db, number, request, "Claire", &site, now, &error);

  g_assert_null (d);
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  if (strstr (error->message, words) == NULL)
    g_error ("« %s » does not say « %s »", error->message, words);
  after = relais_db_mail_decisions_of (db, number, NULL);
  p_after = relais_db_mail_person_get (db, number, NULL);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpstr (p_after->state, ==, p_before->state);
  g_assert_cmpstr (p_after->active_to, ==, p_before->active_to);
}

static guint
notices_of (RelaisDb *db, const char *number)
{
  g_autoptr (GPtrArray) notices = relais_db_mail_notices_of (db, number, NULL);

  g_assert_nonnull (notices);
  return notices->len;
}

static void
test_roles (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisMediator) m = NULL;

  g_assert_true (relais_db_mediator_add (db, "claire", "Claire", "hash", "responsable", &error));
  g_assert_no_error (error);
  g_assert_true (relais_db_mediator_add (db, "sophie", "Sophie", "hash", "mediator", &error));
  g_assert_no_error (error);
  g_assert_false (relais_db_mediator_add (db, "marc", "Marc", "hash", "admin", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relais_db_mediator_lookup (db, "marc", NULL, NULL));

  m = relais_db_mediator_lookup (db, "claire", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_mediator_has_role (m, "responsable"));
  g_assert_false (relais_mediator_has_role (m, "staff"));
  g_assert_cmpstr (m->role, ==, "mediator");
  g_clear_pointer (&m, relais_mediator_free);

  g_assert_true (relais_db_mediator_set_roles (db, "sophie", (const char *[]) { "staff", "mediator", NULL }, &error));
  g_assert_no_error (error);
  m = relais_db_mediator_lookup (db, "sophie", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (m->roles), ==, 2);
  g_assert_true (relais_mediator_has_role (m, "staff"));
  g_assert_true (relais_mediator_has_role (m, "mediator"));
  g_assert_false (relais_mediator_has_role (m, "responsable"));
  g_assert_cmpstr (m->role, ==, "staff");
  g_clear_pointer (&m, relais_mediator_free);

  /* A session carries the same roles. */
  g_assert_true (relais_db_session_add (db, "tok", 2, "accueil", relais_db_now_ms () + DAY_MS, &error));
  g_assert_no_error (error);
  m = relais_db_session_lookup (db, "tok", "accueil", relais_db_now_ms (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->login, ==, "sophie");
  g_assert_true (relais_mediator_has_role (m, "staff"));
  g_clear_pointer (&m, relais_mediator_free);

  /* No role, an unknown one, an unknown account: refused, nothing changed. */
  g_assert_false (relais_db_mediator_set_roles (db, "sophie", (const char *[]) { NULL }, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relais_db_mediator_set_roles (db, "sophie", (const char *[]) { "mediator", "boss", NULL }, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relais_db_mediator_set_roles (db, "nobody", (const char *[]) { "mediator", NULL }, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  m = relais_db_mediator_lookup (db, "sophie", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (m->roles), ==, 2);
}

/* `relais-hub add-mediator --role`: the account gets the roles named,
 * the password read from standard input; an unknown role, or --role with
 * --staff, is refused and writes nothing. */
static int
add_mediator (const char *db_path, const char * const *options, const char *login, char **err)
{
  g_autofree char *hub = g_build_filename (relais_test_build_dir (), "mediator", "hub", "relais-hub", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, hub);
  g_ptr_array_add (argv, (char *) "-d");
  g_ptr_array_add (argv, (char *) db_path);
  g_ptr_array_add (argv, (char *) "add-mediator");
  for (guint i = 0; options[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) options[i]);
  g_ptr_array_add (argv, (char *) login);
  g_ptr_array_add (argv, (char *) "Nom affiché");
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "un mot de passe\n", NULL, &out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_add_mediator_role (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisDb) db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_autofree char *err = NULL;
  RelaisMediator  *m;

  g_assert_no_error (error);
  g_clear_pointer (&db, relais_db_close);

  g_assert_cmpint (add_mediator (path, (const char *[]) { "--role", "responsable", NULL }, "rita", &err), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_mediator (path, (const char *[]) { "--role", "staff", NULL }, "sam", &err), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_mediator (path, (const char *[]) { "--role", "mediator", "--role", "responsable", NULL },
                                 "mona", &err),
                   ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_mediator (path, (const char *[]) { "--role", "chef", NULL }, "bob", &err), !=, 0);
  g_assert_nonnull (strstr (err, "Rôle inconnu « chef »"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (add_mediator (path, (const char *[]) { "--staff", "--role", "mediator", NULL }, "zoe", &err), !=, 0);
  g_assert_nonnull (strstr (err, "usage"));
  g_clear_pointer (&err, g_free);

  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  m = relais_db_mediator_lookup (db, "rita", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_mediator_has_role (m, "responsable"));
  g_assert_false (relais_mediator_has_role (m, "mediator"));
  g_assert_false (relais_mediator_has_role (m, "staff"));
  relais_mediator_free (m);
  m = relais_db_mediator_lookup (db, "sam", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_mediator_has_role (m, "staff"));
  g_assert_false (relais_mediator_has_role (m, "responsable"));
  relais_mediator_free (m);
  m = relais_db_mediator_lookup (db, "mona", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_mediator_has_role (m, "mediator"));
  g_assert_true (relais_mediator_has_role (m, "responsable"));
  relais_mediator_free (m);
  g_assert_null (relais_db_mediator_lookup (db, "bob", NULL, NULL));
  g_assert_null (relais_db_mediator_lookup (db, "zoe", NULL, NULL));
}

static void
test_end_date (void)
{
  struct
  {
    const char *applied, *end;
  } cases[] = {
    { "2026-03-15", "2027-03-14" },
    { "2026-01-01", "2026-12-31" },
    { "2023-03-01", "2024-02-29" },
    { "2024-02-29", "2025-02-28" },
    { "2025-12-31", "2026-12-30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *end = relais_mail_domiciliation_end (cases[i].applied);

      g_assert_cmpstr (end, ==, cases[i].end);
    }
  g_assert_null (relais_mail_domiciliation_end ("2026-02-30"));
  g_assert_null (relais_mail_domiciliation_end ("15/03/2026"));
  g_assert_null (relais_mail_domiciliation_end (NULL));
}

static void
test_grant_year (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (RelaisMailDecision) applied = NULL;
  g_autoptr (RelaisMailDecision) granted = NULL;
  g_autoptr (RelaisMailDecision) shorter = NULL;
  g_autoptr (RelaisMailPerson) p = NULL;
  g_autoptr (GPtrArray) history = NULL;
  guint notices;

  add_person (db, "100", "Benali", "1979-05-04");
  applied = decide (db, "100", at (2026, 3, 2), &(RelaisMailDecisionRequest) { .decision = "applied", .reason = "no-home" });
  g_assert_cmpstr (applied->election, ==, "first");
  g_assert_cmpstr (applied->reason, ==, "no-home");
  g_assert_null (applied->active_to);
  notices = notices_of (db, "100");

  /* Longer than a year from the application, starting before it, a date
   * in the future: refused, nothing recorded. */
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .active_to = "2027-03-02" }, "2027-03-01");
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .active_from = "2026-03-01" }, "avant la demande");
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .applied_on = "2026-04-01" }, "futur");
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .active_to = "2026-03-11" }, "la fin après le début");
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .motive = "fraud" }, "refus ou une radiation");
  assert_refused (db, "100", at (2026, 3, 12),
                  &(RelaisMailDecisionRequest) { .decision = "granted", .election = "third" }, "first ou renewal");
  g_assert_cmpuint (notices_of (db, "100"), ==, notices);

  /* Ten days later, granted: from the day decided to a year from the
   * application, the day before. */
  granted = decide (db, "100", at (2026, 3, 12), &(RelaisMailDecisionRequest) { .decision = "granted" });
  g_assert_cmpstr (granted->number, ==, "100");
  g_assert_cmpstr (granted->decision, ==, "granted");
  g_assert_cmpstr (granted->election, ==, "first");
  g_assert_cmpstr (granted->applied_on, ==, "2026-03-02");
  g_assert_cmpstr (granted->active_from, ==, "2026-03-12");
  g_assert_cmpstr (granted->active_to, ==, "2027-03-01");
  g_assert_cmpstr (granted->decided_by, ==, "Claire");
  g_assert_cmpint (granted->decided_at, ==, at (2026, 3, 12));
  g_assert_null (granted->motive);
  p = relais_db_mail_person_get (db, "100", NULL);
  g_assert_cmpstr (p->state, ==, "granted");
  g_assert_cmpstr (p->active_to, ==, "2027-03-01");
  /* The SMS telling it. */
  g_assert_cmpuint (notices_of (db, "100"), ==, notices + 1);

  /* Staff may set a shorter end; the renewal counts from its own
   * application, made before the end. */
  decide_only (db, "100", at (2027, 2, 1), &(RelaisMailDecisionRequest) { .decision = "applied" });
  shorter = decide (db, "100", at (2027, 2, 15),
                    &(RelaisMailDecisionRequest) { .decision = "granted", .active_from = "2027-03-02", .active_to = "2027-09-30" });
  g_assert_cmpstr (shorter->election, ==, "renewal");
  g_assert_cmpstr (shorter->applied_on, ==, "2027-02-01");
  g_assert_cmpstr (shorter->active_from, ==, "2027-03-02");
  g_assert_cmpstr (shorter->active_to, ==, "2027-09-30");

  history = relais_db_mail_decisions_of (db, "100", NULL);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpint (((RelaisMailDecision *) history->pdata[0])->id, ==, shorter->id);
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[1])->decision, ==, "applied");
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[1])->election, ==, "renewal");
  g_assert_cmpint (((RelaisMailDecision *) history->pdata[3])->id, ==, applied->id);
}

static void
test_refusal (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (RelaisMailDecision) refused = NULL;
  g_autoptr (RelaisMailDecision) again = NULL;
  g_autoptr (RelaisMailPerson) p = NULL;
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t = at (2026, 5, 4);

  add_person (db, "200", "Roussel", "1983-10-10");
  g_assert_true (relais_db_mail_decide_reason (db, "200", "applied", "hosted", NULL, NULL, NULL, "Sophie", &site, t, &error));
  g_assert_no_error (error);

  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "refused", .orientation = "ccas" }, "motif");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link" }, "oriente");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "bored", .orientation = "ccas" },
                  "no-link, stable-home");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "mairie" },
                  "ccas, association");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "other", .orientation = "ccas" },
                  "précisez");
  assert_refused (db, "200", t,
                  &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "other" },
                  "nommez");
  assert_refused (db, "200", t,
                  &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "other", .motive_text = "ligne\nsuivante", .orientation = "ccas" }, "précisez");
  assert_refused (db, "200", t,
                  &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "ccas", .active_to = "2026-12-01" }, "accord seulement");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "request" }, "en cours");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "applied", .motive = "fraud" }, "refus ou une radiation");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "ended" }, "Décision");
  assert_refused (db, "200", t, &(RelaisMailDecisionRequest) { .decision = "adjourned" }, "document manque");

  refused = decide (db, "200", t,
                    &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "association", .orientation_text = "Secours catholique, 3 rue Hoche" });
  g_assert_cmpstr (refused->motive, ==, "no-link");
  g_assert_null (refused->motive_text);
  g_assert_cmpstr (refused->orientation, ==, "association");
  g_assert_cmpstr (refused->orientation_text, ==, "Secours catholique, 3 rue Hoche");
  g_assert_null (refused->election);
  g_assert_null (refused->active_to);
  p = relais_db_mail_person_get (db, "200", NULL);
  g_assert_cmpstr (p->state, ==, "refused");
  notices = relais_db_mail_notices_of (db, "200", NULL);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_cmpstr (((RelaisMailNotice *) notices->pdata[0])->reason, ==, "decision");
  /* The SMS promises what exists now: a letter to collect. */
  g_assert_nonnull (strstr (((RelaisMailNotice *) notices->pdata[0])->body, "Un courrier expliquant la décision et les"
                                                                            " recours possibles est à retirer à l'accueil"));

  /* "other" with its text. */
  again = decide (db, "200", t + DAY_MS,
                  &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "other", .motive_text = "Demande faite pour un tiers", .orientation = "other", .orientation_text = "Mairie de quartier" });
  g_assert_cmpstr (again->motive_text, ==, "Demande faite pour un tiers");
}

static void
test_radiation (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (RelaisMailDecision) granted = NULL;
  g_autoptr (RelaisMailDecision) radiated = NULL;
  g_autoptr (RelaisMailPerson) p = NULL;
  gint64 t = at (2026, 1, 5);

  add_person (db, "300", "Vidal", "1960-01-01");
  granted = decide (db, "300", t, &(RelaisMailDecisionRequest) { .decision = "granted" });
  /* Granted with no application recorded: the year counts from the day. */
  g_assert_cmpstr (granted->applied_on, ==, "2026-01-05");
  g_assert_cmpstr (granted->active_to, ==, "2027-01-04");
  g_assert_cmpstr (granted->election, ==, "first");

  assert_refused (db, "300", t + 100 * DAY_MS, &(RelaisMailDecisionRequest) { .decision = "radiated" }, "motif");
  assert_refused (db, "300", t + 100 * DAY_MS,
                  &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "no-contact", .orientation = "ccas" },
                  "refus seulement");
  radiated = decide (db, "300", t + 100 * DAY_MS,
                     &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "no-contact" });
  g_assert_cmpstr (radiated->motive, ==, "no-contact");
  g_assert_null (radiated->orientation);
  p = relais_db_mail_person_get (db, "300", NULL);
  g_assert_cmpstr (p->state, ==, "radiated");
  /* Once radiated, not again. */
  assert_refused (db, "300", t + 101 * DAY_MS,
                  &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "no-contact" }, "en cours");
}

/* The annual report's known data set: 2025's decisions, with some in
 * 2024 and 2026 that must not count. */
static void
annual_data_set (RelaisDb *db)
{
  g_autoptr (GError) error = NULL;
  const char *numbers[] = { "1", "2", "3", "4", "5", "6", "7", "8" };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    add_person (db, numbers[i], "Personne", "1970-06-15");
#define D(number, t, ...) decide_only (db, number, t, &(RelaisMailDecisionRequest) { __VA_ARGS__ })
  /* 1: first in 2024, renewed in 2025 (application and grant). */
  D ("1", at (2024, 2, 1), .decision = "applied");
  D ("1", at (2024, 2, 10), .decision = "granted");
  D ("1", at (2025, 1, 20), .decision = "applied");
  D ("1", at (2025, 1, 31), .decision = "granted", .active_from = "2025-02-10");
  /* 2: first in 2025, adjourned, then granted; radiated at its request in 2025. */
  D ("2", at (2025, 3, 3), .decision = "applied");
  D ("2", at (2025, 3, 10), .decision = "adjourned", .missing = "justificatif de lien avec la commune");
  D ("2", at (2025, 3, 20), .decision = "granted");
  D ("2", at (2025, 11, 5), .decision = "radiated", .motive = "request");
  /* 3: refused (no link, sent to a CCAS). */
  D ("3", at (2025, 4, 1), .decision = "applied");
  D ("3", at (2025, 4, 8), .decision = "refused", .motive = "no-link", .orientation = "ccas");
  /* 4: refused (other, sent to an association). */
  D ("4", at (2025, 5, 1), .decision = "applied");
  D ("4", at (2025, 5, 2), .decision = "refused", .motive = "other", .motive_text = "Dossier incomplet depuis 3 mois",
     .orientation = "association");
  /* 5: granted in 2025, radiated for no contact in 2025. */
  D ("5", at (2025, 1, 2), .decision = "granted");
  D ("5", at (2025, 6, 30), .decision = "radiated", .motive = "no-contact");
  /* 6: granted in 2025 and in force on 31 December. */
  D ("6", at (2025, 12, 31), .decision = "granted");
  /* 7: granted in 2024, ended in 2025 without renewal. */
  D ("7", at (2024, 3, 1), .decision = "granted", .active_to = "2025-02-28");
  /* 8: applied in 2025, refused in 2026: an application of 2025, a refusal of 2026. */
  D ("8", at (2025, 12, 20), .decision = "applied");
  D ("8", at (2026, 1, 6), .decision = "refused", .motive = "stable-home", .orientation = "ccas");
#undef D
  /* A radiation of before motives were asked (the old entry point). */
  g_assert_true (relais_db_mail_decide (db, "1", "radiated", NULL, NULL, NULL, "Sophie", &site, at (2025, 12, 1), &error));
  g_assert_no_error (error);
}

static void
test_figures (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (GError) error = NULL;
  RelaisMailDecisionFigures f;

  annual_data_set (db);
  g_assert_true (relais_db_mail_decision_figures (db, "2025-01-01", "2025-12-31", &f, &error));
  g_assert_no_error (error);
  g_assert_cmpint (f.applications_first, ==, 4);   /* 2, 3, 4, 8 */
  g_assert_cmpint (f.applications_renewal, ==, 1); /* 1 */
  g_assert_cmpint (f.grants_first, ==, 3);         /* 2, 5, 6 */
  g_assert_cmpint (f.grants_renewal, ==, 1);       /* 1 */
  g_assert_cmpint (f.adjournments, ==, 1);
  g_assert_cmpint (f.refusals, ==, 2);
  g_assert_cmpint (f.refusals_by_motive[0], ==, 1); /* no-link */
  g_assert_cmpint (f.refusals_by_motive[5], ==, 1); /* other */
  g_assert_cmpint (f.refusals_by_motive[1], ==, 0); /* stable-home: 2026 */
  g_assert_cmpint (f.refusals_by_orientation[0], ==, 1);
  g_assert_cmpint (f.refusals_by_orientation[1], ==, 1);
  g_assert_cmpint (f.refusals_by_orientation[2], ==, 0);
  g_assert_cmpint (f.refusals_by_orientation[RELAIS_MAIL_N_ORIENTATIONS], ==, 0);
  g_assert_cmpint (f.radiations, ==, 3);
  g_assert_cmpint (f.radiations_by_motive[2], ==, 1);                     /* no-contact */
  g_assert_cmpint (f.radiations_by_motive[3], ==, 1);                     /* request */
  g_assert_cmpint (f.radiations_by_motive[RELAIS_MAIL_N_MOTIVES], ==, 1); /* not given */

  /* 2026 alone: person 8's refusal. */
  g_assert_true (relais_db_mail_decision_figures (db, "2026-01-01", "2026-12-31", &f, &error));
  g_assert_cmpint (f.refusals, ==, 1);
  g_assert_cmpint (f.refusals_by_motive[1], ==, 1);
  g_assert_cmpint (f.applications_first + f.applications_renewal + f.grants_first + f.grants_renewal, ==, 0);

  g_assert_false (relais_db_mail_decision_figures (db, "2025-12-31", "2025-01-01", &f, &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
}

static void
test_domiciled_on (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autoptr (GPtrArray) mid = NULL;
  GString *numbers = g_string_new (NULL);

  annual_data_set (db);
  /* On 31 December 2025: 6 (granted that day). 1 was radiated on 1
   * December, 2 and 5 radiated, 3 and 4 refused, 7 ended, 8 waiting. */
  people = relais_db_mail_domiciled_on (db, "2025-12-31", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < people->len; i++)
    g_string_append_printf (numbers, "%s ", ((RelaisMailPerson *) people->pdata[i])->number);
  g_assert_cmpstr (numbers->str, ==, "6 ");
  g_assert_cmpstr (((RelaisMailPerson *) people->pdata[0])->birth_date, ==, "1970-06-15");

  /* On 15 February 2025: 1 (renewed from 10 February), 5, 7 (to 28
   * February); 2 not yet granted. */
  g_string_truncate (numbers, 0);
  mid = relais_db_mail_domiciled_on (db, "2025-02-15", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < mid->len; i++)
    g_string_append_printf (numbers, "%s ", ((RelaisMailPerson *) mid->pdata[i])->number);
  g_assert_cmpstr (numbers->str, ==, "1 5 7 ");
  g_string_free (numbers, TRUE);

  g_assert_null (relais_db_mail_domiciled_on (db, "31/12/2025", &error));
  g_assert_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID);
}

/* A database made before roles and motives (version 16, as a centre has
 * it) is brought up to date: staff accounts keep their rights and become
 * responsables, past decisions are told first or renewal. */
static void
test_migration (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisMediator) claire = NULL;
  g_autoptr (RelaisMediator) sophie = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) templates = NULL;
  RelaisDb *db = relais_db_open (path, RELAIS_DB_HUB, &error);
  sqlite3  *raw = NULL;
  char     *undo_error = NULL;

  g_assert_no_error (error);
  g_assert_true (relais_db_mediator_add (db, "claire", "Claire", "hash", "staff", &error));
  g_assert_true (relais_db_mediator_add (db, "sophie", "Sophie", "hash", "mediator", &error));
  add_person (db, "9", "Martin", "1990-09-09");
  g_assert_true (relais_db_mail_decide (db, "9", "applied", NULL, NULL, NULL, "Sophie", &site, at (2024, 1, 2), &error));
  g_assert_true (relais_db_mail_decide (db, "9", "granted", NULL, "2024-01-10", "2025-01-01", "Sophie", &site,
                                        at (2024, 1, 10), &error));
  g_assert_true (relais_db_mail_decide (db, "9", "applied", NULL, NULL, NULL, "Sophie", &site, at (2024, 12, 2), &error));
  g_assert_true (relais_db_mail_decide (db, "9", "granted", NULL, "2025-01-02", "2025-12-01", "Sophie", &site,
                                        at (2024, 12, 10), &error));
  g_assert_no_error (error);
  /* A centre's own words for a radiation stay theirs. */
  g_assert_true (relais_db_mail_template_set (db, "decision-radiated", "fr", "Votre domiciliation est terminée. {place}.",
                                              &error));
  g_assert_no_error (error);
  relais_db_close (db);

  /* Back to version 16: the steps after it undone by hand (19: what a
   * help request was about; 20–21: sex and household, the data journal;
   * 22: the decision letters' template; 23: the search's words; 24: the
   * notice's and parcel's columns, the kinds' check staying wide; 25:
   * the last contact's kind, NPAI, forwarding; 26: a help context's
   * kind). */
  g_assert_cmpint (relais_db_latest_version (RELAIS_DB_HUB), >=, 18);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw,
                "DROP TABLE stats_help_outcomes_monthly;"
                "ALTER TABLE help_requests DROP COLUMN need;"
                "ALTER TABLE help_requests DROP COLUMN outcome;"
                "ALTER TABLE help_requests DROP COLUMN partner;"
                "DROP TRIGGER mail_people_words_pi;"
                "DROP TRIGGER mail_people_words_pd;"
                "DROP TRIGGER mail_people_words_pu;"
                "DROP TABLE mail_people_words;"
                "DROP TABLE mail_name_words;"
                "DROP TABLE mediator_roles;"
                "DROP INDEX mail_decisions_person;"
                "ALTER TABLE mail_decisions DROP COLUMN motive;"
                "ALTER TABLE mail_decisions DROP COLUMN motive_text;"
                "ALTER TABLE mail_decisions DROP COLUMN orientation;"
                "ALTER TABLE mail_decisions DROP COLUMN orientation_text;"
                "ALTER TABLE mail_decisions DROP COLUMN election;"
                "ALTER TABLE mail_decisions DROP COLUMN applied_on;"
                "UPDATE mail_templates SET body = 'Bonjour, votre demande de domiciliation à {place}"
                " est refusée. Passez à l''accueil ({hours}) pour la décision écrite et les recours.'"
                " WHERE name = 'decision-refused' AND language = 'fr';"
                "ALTER TABLE mail_people DROP COLUMN sex;"
                "ALTER TABLE mail_people DROP COLUMN household;"
                "DROP TABLE data_journal;"
                "DROP TRIGGER mail_letters_notice_deadline;"
                "ALTER TABLE mail_letters DROP COLUMN notice_deadline;"
                "ALTER TABLE mail_letters DROP COLUMN parcel_note;"
                "ALTER TABLE mail_letters DROP COLUMN id_checked;"
                "ALTER TABLE mail_people DROP COLUMN last_contact_kind;"
                "ALTER TABLE mail_people DROP COLUMN npai_at;"
                "ALTER TABLE mail_people DROP COLUMN npai_by;"
                "ALTER TABLE mail_people DROP COLUMN forward_address;"
                "ALTER TABLE mail_people DROP COLUMN forward_from;"
                "ALTER TABLE mail_letters DROP COLUMN npai_at;" RELAIS_TEST_UNDO_HUB_MIGRATIONS_27_TO_30
                "PRAGMA user_version = 16;",
                NULL, NULL, &undo_error);
  /* SQLite's own words, should a later migration need undoing too. */
  g_assert_cmpstr (undo_error, ==, NULL);
  sqlite3_close (raw);

  db = relais_db_open (path, RELAIS_DB_HUB, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_db_get_version (db), ==, relais_db_latest_version (RELAIS_DB_HUB));
  claire = relais_db_mediator_lookup (db, "claire", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (relais_mediator_has_role (claire, "staff"));
  g_assert_true (relais_mediator_has_role (claire, "responsable"));
  sophie = relais_db_mediator_lookup (db, "sophie", NULL, &error);
  g_assert_true (relais_mediator_has_role (sophie, "mediator"));
  g_assert_false (relais_mediator_has_role (sophie, "responsable"));
  history = relais_db_mail_decisions_of (db, "9", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[0])->election, ==, "renewal");
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[1])->election, ==, "renewal");
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[2])->election, ==, "first");
  g_assert_cmpstr (((RelaisMailDecision *) history->pdata[3])->election, ==, "first");
  templates = relais_db_mail_template_list (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < templates->len; i++)
    {
      char **row = templates->pdata[i];

      if (g_str_equal (row[0], "decision-refused") && g_str_equal (row[1], "fr"))
        g_assert_nonnull (strstr (row[2], "est à retirer à l'accueil"));
      if (g_str_equal (row[0], "decision-radiated") && g_str_equal (row[1], "fr"))
        g_assert_cmpstr (row[2], ==, "Votre domiciliation est terminée. {place}.");
    }
  relais_db_close (db);
}

/* Mail for someone not domiciled any more is not registered as waiting:
 * it goes to the return list at once, with the reason, and no message
 * is sent; a person still domiciled gets theirs as before. */
static void
test_mail_after_end (void)
{
  g_autoptr (RelaisDb) db = hub_db ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) letters = NULL;
  g_autoptr (GPtrArray) to_return = NULL;
  g_autoptr (GPtrArray) waiting = NULL;
  gint64         t = at (2026, 1, 5);
  gboolean       duplicate = FALSE;
  RelaisMailItem items[] = {
    { .number = "601", .kind = "ordinary", .count = 2 },
    { .number = "602", .kind = "court", .count = 1 },
    { .number = "603", .kind = "ordinary", .count = 1 },
    { .number = "604", .kind = "tax", .count = 1 },
  };
  const char *reasons[] = { "domiciliation radiée", "domiciliation radiée", "domiciliation refusée", "domiciliation expirée" };

  add_person (db, "601", "Radié", "1970-01-01");
  add_person (db, "602", "Refusé", "1970-01-01");
  add_person (db, "603", "Expiré", "1970-01-01");
  add_person (db, "604", "Domicilié", "1970-01-01");
  decide_only (db, "601", t, &(RelaisMailDecisionRequest) { .decision = "granted" });
  decide_only (db, "601", t + DAY_MS, &(RelaisMailDecisionRequest) { .decision = "radiated", .motive = "stable-home" });
  decide_only (db, "602", t, &(RelaisMailDecisionRequest) { .decision = "refused", .motive = "no-link", .orientation = "ccas" });
  decide_only (db, "603", t, &(RelaisMailDecisionRequest) { .decision = "granted", .active_to = "2026-02-01" });
  decide_only (db, "604", t, &(RelaisMailDecisionRequest) { .decision = "granted" });
  g_assert_cmpuint (notices_of (db, "601"), ==, 2);
  g_assert_cmpuint (notices_of (db, "602"), ==, 1);
  g_assert_cmpuint (notices_of (db, "603"), ==, 1);

  /* 603's end passed on 1 February, before the daily run said so. */
  letters = relais_db_mail_register (db, "batch-after-end", "Sophie", items, G_N_ELEMENTS (items), NULL, 0, &site,
                                     at (2026, 3, 2), &duplicate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (letters->len, ==, 5);
  to_return = relais_db_mail_to_return (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_return->len, ==, 4);
  for (guint i = 0; i < to_return->len; i++)
    {
      RelaisMailLetter *l = to_return->pdata[i];
      guint             j = 0;

      /* Ordered by due time then letter: the order of the batch. */
      while (j < G_N_ELEMENTS (items) && g_strcmp0 (items[j].number, l->number) != 0)
        j++;
      g_assert_cmpuint (j, <, 3);
      g_assert_nonnull (strstr (l->return_reason, "plus domicilié(e) ici"));
      g_assert_nonnull (strstr (l->return_reason, reasons[i]));
      g_assert_cmpint (l->return_due_at, ==, at (2026, 3, 2));
    }
  /* Nobody was told mail waits for them, but the one domiciled. */
  g_assert_cmpuint (notices_of (db, "601"), ==, 2);
  g_assert_cmpuint (notices_of (db, "602"), ==, 1);
  g_assert_cmpuint (notices_of (db, "603"), ==, 1);
  g_assert_cmpuint (notices_of (db, "604"), ==, 2);
  waiting = relais_db_mail_waiting (db, "604", &error);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpint (((RelaisMailLetter *) waiting->pdata[0])->return_due_at, ==, 0);
}

/* ---- over HTTP, as the console asks ---- */

static JsonObject *
post (RelaisLink *link, const char *path, const char *json, GError **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *body = json_from_string (json, &parse_error);

  g_assert_no_error (parse_error);
  return relais_test_call (link, path, body, error);
}

typedef struct {
  RelaisLoginReply *who;
  GError           *error;
  gboolean          done;
} Login;

static void
login_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Login *login = data;

  login->who = relais_link_login_finish (RELAIS_LINK (object), result, &login->error);
  login->done = TRUE;
}

static gboolean
login_done (gpointer data)
{
  return ((Login *) data)->done;
}

/* Logs in and gives the console's reading of the hub's answer. */
static RelaisLoginReply *
login_reply (RelaisTestHub *hub, const char *token, const char *login, const char *password)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelaisLink) link = relais_link_new (hub->url, token, NULL, &error);
  Login state = { NULL, NULL, FALSE };

  g_assert_no_error (error);
  relais_link_login_async (link, login, password, NULL, login_cb, &state);
  g_assert_true (relais_test_wait (login_done, &state));
  g_assert_no_error (state.error);
  relais_link_stop (link);
  return state.who;
}

static void
test_route (void)
{
  RelaisTestHub *hub = relais_test_hub_new ();
  RelaisDb      *db = relais_hub_get_db (hub->hub);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisLink) desk = relais_link_new (hub->url, hub->console_token, NULL, &error);
  g_autoptr(RelaisLink) office = relais_link_new (hub->url, hub->console2_token, NULL, &error);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(RelaisMailPerson) p = NULL;
  g_autoptr(RelaisMediator) claire = NULL;
  JsonArray  *decisions;
  JsonObject *last;

  g_assert_no_error (error);
  g_assert_true (relais_test_login (desk, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error));
  g_assert_true (relais_test_login (office, "claire", RELAIS_TEST_CLAIRE_PASSWORD, &error));
  g_assert_no_error (error);
  /* Claire was made "staff", as the responsables were: she decides. */
  claire = relais_db_mediator_lookup (db, "claire", NULL, &error);
  g_assert_true (relais_mediator_has_role (claire, "responsable"));
  /* The console learns it from the login's answer, to switch off what
   * the account may not do. */
  {
    g_autoptr (RelaisLoginReply) as_claire = login_reply (hub, hub->console2_token, "claire", RELAIS_TEST_CLAIRE_PASSWORD);
    g_autoptr (RelaisLoginReply) as_sophie = login_reply (hub, hub->console2_token, "sophie", RELAIS_TEST_SOPHIE_PASSWORD);

    g_assert_true (as_claire->responsable);
    g_assert_false (as_sophie->responsable);
  }
  add_person (db, "500", "Diallo", "1992-09-17");

  /* At the desk: an application, yes; a grant, refusal or radiation, no
   * (and nothing recorded). */
  reply = post (desk, "/mail/people/500/decision", "{\"decision\":\"applied\",\"reason\":\"hosted\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  for (guint i = 0; i < 3; i++)
    {
      const char *bodies[] = {
        "{\"decision\":\"granted\"}",
        "{\"decision\":\"refused\",\"motive\":\"no-link\",\"orientation\":\"ccas\"}",
        "{\"decision\":\"radiated\",\"motive\":\"request\"}",
      };

      reply = post (desk, "/mail/people/500/decision", bodies[i], &error);
      g_assert_null (reply);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "Seul un responsable"));
      g_clear_error (&error);
    }
  history = relais_db_mail_decisions_of (db, "500", NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* The responsable: an incomplete refusal, an unknown member, a motive
   * too long are refused with their reason; the whole one is recorded. */
  reply = post (office, "/mail/people/500/decision", "{\"decision\":\"refused\",\"motive\":\"no-link\"}", &error);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "oriente"));
  g_clear_error (&error);
  reply = post (office, "/mail/people/500/decision",
                "{\"decision\":\"refused\",\"motive\":\"no-link\",\"orientation\":\"ccas\",\"why\":\"x\"}", &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_clear_error (&error);
  reply = post (office, "/mail/people/500/decision", "{\"decision\":\"refused\",\"motive\":[1]}", &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_clear_error (&error);
  history = relais_db_mail_decisions_of (db, "500", NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_clear_pointer (&history, g_ptr_array_unref);

  reply = post (office, "/mail/people/500/decision",
                "{\"decision\":\"refused\",\"motive\":\"no-link\",\"orientation\":\"association\","
                "\"orientation_text\":\"Secours populaire, 12 rue Pasteur\"}",
                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "person"), "state"), ==, "refused");
  g_clear_pointer (&reply, json_object_unref);

  /* The history, newest first, with who decided. */
  reply = relais_test_call (desk, "/mail/people/500/decisions", NULL, &error);
  g_assert_no_error (error);
  decisions = json_object_get_array_member (reply, "decisions");
  g_assert_cmpuint (json_array_get_length (decisions), ==, 2);
  last = json_array_get_object_element (decisions, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "decision"), ==, "refused");
  g_assert_cmpstr (json_object_get_string_member (last, "motive"), ==, "no-link");
  g_assert_cmpstr (json_object_get_string_member (last, "orientation"), ==, "association");
  g_assert_cmpstr (json_object_get_string_member (last, "orientation_text"), ==, "Secours populaire, 12 rue Pasteur");
  g_assert_cmpstr (json_object_get_string_member (last, "decided_by"), ==, "Claire");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (decisions, 1), "election"), ==, "first");
  g_clear_pointer (&reply, json_object_unref);
  reply = relais_test_call (desk, "/mail/people/999/decisions", NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A grant with no dates: a year from the application, the day before. */
  p = relais_db_mail_person_get (db, "500", NULL);
  g_assert_cmpstr (p->state, ==, "refused");
  reply = post (desk, "/mail/people/500/decision", "{\"decision\":\"applied\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, json_object_unref);
  reply = post (office, "/mail/people/500/decision", "{\"decision\":\"granted\"}", &error);
  g_assert_no_error (error);
  history = relais_db_mail_decisions_of (db, "500", NULL);
  {
    RelaisMailDecision *granted = history->pdata[0];
    g_autofree char    *end = relais_mail_domiciliation_end (granted->applied_on);

    g_assert_cmpstr (granted->decision, ==, "granted");
    g_assert_cmpstr (granted->active_to, ==, end);
  }

  /* The "not domiciled here" list: confirmed returned, a line leaves it;
   * twice, or a line that is none, is refused. */
  {
    RelaisMailUnknown unknown[] = { { "Jean Inconnu", 2 }, { "Marie Personne", 1 } };
    gboolean          duplicate = FALSE;
    g_autoptr (GPtrArray) letters = relais_db_mail_register (db, "batch-unknown", "Sophie", NULL, 0, unknown, 2, &site,
                                                             relais_db_now_ms (), &duplicate, &error);
    g_autoptr (GPtrArray) lines = NULL;
    g_autofree char *path = NULL;

    g_assert_no_error (error);
    lines = relais_db_mail_unknown_list (db, &error);
    g_assert_cmpuint (lines->len, ==, 2);
    path = g_strdup_printf ("/mail/unknown/%s/confirm", ((char **) lines->pdata[0])[0]);
    g_clear_pointer (&reply, json_object_unref);
    reply = post (desk, path, "{}", &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, json_object_unref);
    g_clear_pointer (&lines, g_ptr_array_unref);
    lines = relais_db_mail_unknown_list (db, &error);
    g_assert_cmpuint (lines->len, ==, 1);
    g_assert_cmpstr (((char **) lines->pdata[0])[1], ==, "Marie Personne");
    reply = post (desk, path, "{}", &error);
    g_assert_null (reply);
    g_assert_nonnull (error);
    g_clear_error (&error);
    reply = post (desk, "/mail/unknown/abc/confirm", "{}", &error);
    g_assert_null (reply);
    g_assert_nonnull (error);
    g_clear_error (&error);
    lines = (g_ptr_array_unref (lines), relais_db_mail_unknown_list (db, &error));
    g_assert_cmpuint (lines->len, ==, 1);
  }

  relais_link_stop (desk);
  relais_link_stop (office);
  g_clear_object (&desk);
  g_clear_object (&office);
  relais_test_hub_free (hub);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mail-decisions/roles", test_roles);
  g_test_add_func ("/mail-decisions/add-mediator-role", test_add_mediator_role);
  g_test_add_func ("/mail-decisions/end-date", test_end_date);
  g_test_add_func ("/mail-decisions/grant-year", test_grant_year);
  g_test_add_func ("/mail-decisions/refusal", test_refusal);
  g_test_add_func ("/mail-decisions/radiation", test_radiation);
  g_test_add_func ("/mail-decisions/figures", test_figures);
  g_test_add_func ("/mail-decisions/domiciled-on", test_domiciled_on);
  g_test_add_func ("/mail-decisions/migration", test_migration);
  g_test_add_func ("/mail-decisions/mail-after-end", test_mail_after_end);
  g_test_add_func ("/mail-decisions/route", test_route);
  return g_test_run ();
}
