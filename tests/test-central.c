/* test-central.c: the département's central registry (issue 19) against a
 * real PostgreSQL 15 cluster (relais-test-pg.c): the schema, row-level
 * security as PostgreSQL itself enforces it, the push's idempotency, the
 * "domiciled elsewhere" answer. */

#include "test-central.h"

#include <libpq-fe.h>
#include <string.h>

RelaisTestPg *cluster;

void
departement_init (Departement *d)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  d->database = relais_test_pg_new_database (cluster);
  url = relais_test_pg_owner_url (cluster, d->database);
  d->owner = relais_central_connect (url, &error);
  g_assert_no_error (error);
  relais_central_migrate (d->owner, &error);
  g_assert_no_error (error);
  d->role_a = g_strdup_printf ("%s_ccas_centre", d->database);
  d->role_a2 = g_strdup_printf ("%s_ccas_nord", d->database);
  d->role_b = g_strdup_printf ("%s_secours", d->database);
  relais_central_add_organisation (d->owner, "ccas", "CCAS de Villeneuve", &error);
  g_assert_no_error (error);
  relais_central_add_organisation (d->owner, "secours", "Secours Catholique", &error);
  g_assert_no_error (error);
  relais_central_add_site (d->owner, "ccas", "ccas-centre", "CCAS — centre", d->role_a, PASSWORD, &error);
  g_assert_no_error (error);
  relais_central_add_site (d->owner, "ccas", "ccas-nord", "CCAS — antenne nord", d->role_a2, PASSWORD, &error);
  g_assert_no_error (error);
  relais_central_add_site (d->owner, "secours", "secours-gare", "Secours Catholique — gare", d->role_b, PASSWORD,
                           &error);
  g_assert_no_error (error);
}

void
departement_clear (Departement *d)
{
  g_clear_pointer (&d->owner, relais_central_close);
  g_free (d->database);
  g_free (d->role_a);
  g_free (d->role_a2);
  g_free (d->role_b);
}

char *
departement_url (Departement *d, const char *role)
{
  return relais_test_pg_url (cluster, d->database, role, PASSWORD);
}

RelaisCentral *
connect_as (Departement *d, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = departement_url (d, role);
  RelaisCentral   *central = relais_central_connect (url, &error);

  g_assert_no_error (error);
  return central;
}

/* The typed functions would hide what PostgreSQL lets the role do. */
PGconn *
raw_as (Departement *d, const char *role)
{
  g_autofree char *url = role != NULL ? departement_url (d, role) : relais_test_pg_owner_url (cluster, d->database);
  PGconn          *conn = PQconnectdb (url);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static RelaisCentralChange *
change_new (gint64 seq, const char *op, const char *number, const char *surname, const char *first_names, const char *birth_date, const char *state)
{
  RelaisCentralChange *c = g_new0 (RelaisCentralChange, 1);

  c->seq = seq;
  c->key = g_strdup_printf ("key-%s-%" G_GINT64_FORMAT, number, seq);
  c->op = g_strdup (op);
  c->number = g_strdup (number);
  c->surname = g_strdup (surname);
  c->first_names = g_strdup (first_names);
  c->birth_date = g_strdup (birth_date);
  c->name_key = surname != NULL ? relais_central_name_key (surname, first_names) : NULL;
  c->state = g_strdup (state);
  c->queued_at = 1764720000123;
  return c;
}

static GPtrArray *
changes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_change_free);
}

char *
ask (PGconn *conn, const char *sql)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) == PGRES_TUPLES_OK)
    return g_strdup (PQntuples (result) > 0 ? PQgetvalue (result, 0, 0) : "");
  if (PQresultStatus (result) == PGRES_COMMAND_OK)
    return g_strdup_printf ("ok:%s", PQcmdTuples (result));
  return g_strdup_printf ("error:%s", PQresultErrorField (result, PG_DIAG_SQLSTATE));
}

static void
test_schema (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;

  departement_init (&d);
  g_assert_cmpint (relais_central_get_version (d.owner), ==, relais_central_latest_version ());
  /* A second run changes nothing and fails nothing. */
  relais_central_migrate (d.owner, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relais_central_get_version (d.owner), ==, relais_central_latest_version ());

  /* Bad names are refused before anything is sent. */
  relais_central_add_organisation (d.owner, "Pas Bon", "x", &error);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID);
  g_clear_error (&error);
  relais_central_add_site (d.owner, "ccas", "x", "X", "role; DROP", PASSWORD, &error);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID);
  g_clear_error (&error);
  relais_central_add_site (d.owner, "nobody", "x", "X", "relais_nobody_x", PASSWORD, &error);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_clear_error (&error);

  /* A wrong password does not get in. */
  {
    g_autofree char *url = relais_test_pg_url (cluster, d.database, d.role_a, "pas-le-bon-mot-de-passe");
    g_autoptr(RelaisCentral) c = relais_central_connect (url, &error);

    g_assert_null (c);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
}

/* A site's role reads only its organisation's people, writes only its own
 * site's, and PostgreSQL itself says so: the queries below bypass every
 * function of ours. */
static void
test_row_level_security (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) a = NULL;
  g_autoptr(RelaisCentral) a2 = NULL;
  g_autoptr(RelaisCentral) b = NULL;
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(PGconn) raw_b = NULL;
  g_autoptr(PGconn) raw_a2 = NULL;
  g_autofree char *n = NULL;
  guint            applied = 0;

  departement_init (&d);
  a = connect_as (&d, d.role_a);
  a2 = connect_as (&d, d.role_a2);
  b = connect_as (&d, d.role_b);
  g_ptr_array_add (changes, change_new (1, "save", "A-0001", "Dupont", "Marie Louise", "1980-04-02", "granted"));
  g_ptr_array_add (changes, change_new (2, "save", "A-0002", "Martin", "Paul", "1975-11-30", "applied"));
  relais_central_push (a, changes, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 2);

  /* The owner sees both; the other site of the same body too… */
  seen = relais_central_people (a2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (((RelaisCentralPerson *) seen->pdata[0])->site, ==, "ccas-centre");
  g_assert_cmpstr (((RelaisCentralPerson *) seen->pdata[0])->surname, ==, "Dupont");
  g_clear_pointer (&seen, g_ptr_array_unref);
  /* …another body's site none. */
  seen = relais_central_people (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 0);

  raw_b = raw_as (&d, d.role_b);
  n = ask (raw_b, "SELECT count(*) FROM relais.people");
  g_assert_cmpstr (n, ==, "0");
  g_clear_pointer (&n, g_free);
  n = ask (raw_b, "SELECT count(*) FROM relais.people WHERE surname = 'Dupont'");
  g_assert_cmpstr (n, ==, "0");
  g_clear_pointer (&n, g_free);
  n = ask (raw_b, "UPDATE relais.people SET state = 'radiated'");
  g_assert_cmpstr (n, ==, "ok:0");
  g_clear_pointer (&n, g_free);
  n = ask (raw_b, "DELETE FROM relais.people");
  g_assert_cmpstr (n, ==, "ok:0");
  g_clear_pointer (&n, g_free);
  /* A row claiming to be another site's is refused (row-level security,
   * SQLSTATE 42501). */
  n = ask (raw_b,
           "INSERT INTO relais.people (home_site_id, organisation_id, number, surname, first_names, birth_date,"
           " name_key, state) SELECT s.id, s.organisation_id, 'X-1', 'X', 'Y', '2000-01-01', 'x|y', 'granted'"
           " FROM relais.sites s WHERE s.code = 'ccas-centre'");
  g_assert_cmpstr (n, ==, "error:42501");
  g_clear_pointer (&n, g_free);
  /* The change log is each site's own; the schema's version not a site's
   * business at all (permission denied). */
  n = ask (raw_b, "SELECT count(*) FROM relais.changes");
  g_assert_cmpstr (n, ==, "0");
  g_clear_pointer (&n, g_free);
  n = ask (raw_b, "SELECT count(*) FROM relais.schema_version");
  g_assert_cmpstr (n, ==, "error:42501");
  g_clear_pointer (&n, g_free);
  n = ask (raw_b, "SET row_security = off; SELECT count(*) FROM relais.people");
  g_assert_cmpstr (n, ==, "error:42501");
  g_clear_pointer (&n, g_free);

  /* Each record has a home: the other site of the same body reads A's
   * people but cannot change them. */
  raw_a2 = raw_as (&d, d.role_a2);
  n = ask (raw_a2, "UPDATE relais.people SET state = 'radiated'");
  g_assert_cmpstr (n, ==, "ok:0");
  g_clear_pointer (&n, g_free);
  /* Still as A left them (the owner's look, under no policy). */
  {
    g_autoptr(PGconn) raw = raw_as (&d, NULL);

    n = ask (raw, "SELECT string_agg (state, ',' ORDER BY number) FROM relais.people");
    g_assert_cmpstr (n, ==, "granted,applied");
    g_clear_pointer (&n, g_free);
  }
}

/* Pushing the same changes again applies nothing twice; a batch with one
 * bad change applies nothing at all. */
static void
test_push_idempotent (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) a = NULL;
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) bad = changes_new ();
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(PGconn) raw_a = NULL;
  g_autofree char *n = NULL;
  guint            applied = 99;

  departement_init (&d);
  a = connect_as (&d, d.role_a);
  g_ptr_array_add (changes, change_new (1, "save", "A-0001", "Dupont", "Marie", "1980-04-02", "applied"));
  g_ptr_array_add (changes, change_new (2, "save", "A-0001", "Dupont", "Marie", "1980-04-02", "granted"));
  g_ptr_array_add (changes, change_new (3, "save", "A-0002", "Martin", "Paul", "1975-11-30", "granted"));
  g_ptr_array_add (changes, change_new (4, "delete", "A-0002", NULL, NULL, NULL, NULL));
  relais_central_push (a, changes, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 4);
  relais_central_push (a, changes, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);
  seen = relais_central_people (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (((RelaisCentralPerson *) seen->pdata[0])->state, ==, "granted");
  raw_a = raw_as (&d, d.role_a);
  n = ask (raw_a, "SELECT string_agg (seq::text, ',' ORDER BY pos) FROM relais.changes");
  g_assert_cmpstr (n, ==, "1,2,3,4");
  g_clear_pointer (&n, g_free);

  g_ptr_array_add (bad, change_new (5, "save", "A-0003", "Bernard", "Ali", "1990-01-01", "granted"));
  g_ptr_array_add (bad, change_new (6, "save", "A-0004", "Petit", "Zoé", "1990-13-45", "granted"));
  g_assert_false (relais_central_push (a, bad, &applied, &error));
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_QUERY);
  g_clear_error (&error);
  n = ask (raw_a, "SELECT count(*) FROM relais.changes");
  g_assert_cmpstr (n, ==, "4");
  g_clear_pointer (&n, g_free);
  g_clear_pointer (&seen, g_ptr_array_unref);
  seen = relais_central_people (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
}

/* Another body sees that a person is domiciled (or examined) elsewhere,
 * and which body: nothing else of them. */
static void
test_domiciled_elsewhere (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) a = NULL;
  g_autoptr(RelaisCentral) b = NULL;
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) found = NULL;
  RelaisCentralElsewhere *e;

  departement_init (&d);
  a = connect_as (&d, d.role_a);
  b = connect_as (&d, d.role_b);
  g_ptr_array_add (changes, change_new (1, "save", "A-0001", "Dupont", "Marie Louise", "1980-04-02", "granted"));
  g_ptr_array_add (changes, change_new (2, "save", "A-0002", "Lefèvre", "Jean", "1960-05-05", "refused"));
  relais_central_push (a, changes, NULL, &error);
  g_assert_no_error (error);

  /* Accents, case and further first names do not matter. */
  found = relais_central_domiciled_elsewhere (b, "DUPONT", "marie", "1980-04-02", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  e = found->pdata[0];
  g_assert_cmpstr (e->organisation, ==, "CCAS de Villeneuve");
  g_assert_cmpstr (e->site, ==, "CCAS — centre");
  g_assert_cmpstr (e->state, ==, "granted");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Another birth date is another person; a refusal is no domiciliation. */
  found = relais_central_domiciled_elsewhere (b, "Dupont", "Marie", "1981-04-02", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = relais_central_domiciled_elsewhere (b, "Lefevre", "Jean", "1960-05-05", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  /* The home site itself is not "elsewhere". */
  found = relais_central_domiciled_elsewhere (a, "Dupont", "Marie", "1980-04-02", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  found = relais_central_domiciled_elsewhere (b, "Dupont", "Marie", "02/04/1980", &error);
  g_assert_null (found);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID);
}

static guint
pull_len (RelaisCentral *site, gint64 *xid, gint64 *pos)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relais_central_pull (site, *xid, *pos, 100, &error);
  RelaisCentralCopyRow *last;

  g_assert_no_error (error);
  if (rows->len == 0)
    return 0;
  last = rows->pdata[rows->len - 1];
  *xid = last->xid;
  *pos = last->pos;
  return rows->len;
}

#define PUSH_SQL(key, number)                                                                                \
  "SELECT relais.push_person ('" key "', 1, 'save', '" number "', 'Roux', 'Léa', '1985-05-05', 'roux|lea'," \
  " 'granted', NULL, now ())"

/* Down: the others' changes read by cursor, each once; a change
 * committed after a later one, with an earlier position, is not skipped
 * (the read stops below the oldest transaction still running). */
static void
test_pull (void)
{
  g_auto (Departement) d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisCentral) a = NULL;
  g_autoptr(RelaisCentral) b = NULL;
  g_autoptr(GPtrArray) changes = changes_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PGconn) slow = NULL;
  g_autoptr(PGconn) fast = NULL;
  RelaisCentralCopyRow *r;
  gint64                xid = 0, pos = 0;
  g_autofree char      *n = NULL;

  departement_init (&d);
  a = connect_as (&d, d.role_a);
  b = connect_as (&d, d.role_b);
  g_ptr_array_add (changes, change_new (1, "save", "A-0001", "Dupont", "Marie", "1980-04-02", "granted"));
  g_ptr_array_add (changes, change_new (2, "save", "A-0002", "Martin", "Paul", "1975-11-30", "applied"));
  g_ptr_array_add (changes, change_new (3, "delete", "A-0002", NULL, NULL, NULL, NULL));
  relais_central_push (a, changes, NULL, &error);
  g_assert_no_error (error);

  rows = relais_central_pull (b, 0, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  r = rows->pdata[0];
  g_assert_cmpstr (r->site_code, ==, "ccas-centre");
  g_assert_cmpstr (r->number, ==, "A-0001");
  g_assert_cmpstr (r->name_key, ==, "dupont|marie");
  g_assert_cmpstr (r->birth_date, ==, "1980-04-02");
  g_assert_cmpstr (r->organisation, ==, "CCAS de Villeneuve");
  g_assert_cmpstr (r->state, ==, "granted");
  /* A-0002 is deleted now: both its changes say so. */
  g_assert_null (((RelaisCentralCopyRow *) rows->pdata[1])->name_key);
  g_assert_null (((RelaisCentralCopyRow *) rows->pdata[2])->name_key);
  g_assert_cmpuint (pull_len (b, &xid, &pos), ==, 3);
  g_assert_cmpuint (pull_len (b, &xid, &pos), ==, 0);
  /* A site does not read its own changes back. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = relais_central_pull (a, 0, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);

  /* A slow transaction takes a position, a fast one a later one and
   * commits first: nothing is read past the slow one until it ends. */
  slow = raw_as (&d, d.role_a);
  fast = raw_as (&d, d.role_a);
  n = ask (slow, "BEGIN");
  g_assert_cmpstr (n, ==, "ok:");
  g_clear_pointer (&n, g_free);
  n = ask (slow, PUSH_SQL ("slow", "A-0010"));
  g_assert_cmpstr (n, ==, "t");
  g_clear_pointer (&n, g_free);
  n = ask (fast, PUSH_SQL ("fast", "A-0011"));
  g_assert_cmpstr (n, ==, "t");
  g_clear_pointer (&n, g_free);
  g_assert_cmpuint (pull_len (b, &xid, &pos), ==, 0);
  n = ask (slow, "COMMIT");
  g_clear_pointer (&n, g_free);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = relais_central_pull (b, xid, pos, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((RelaisCentralCopyRow *) rows->pdata[0])->number, ==, "A-0010");
  g_assert_cmpstr (((RelaisCentralCopyRow *) rows->pdata[1])->number, ==, "A-0011");
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("postgresql://nobody:x@127.0.0.1:%u/relais", relais_test_free_port ());
  g_autoptr(RelaisCentral) c = relais_central_connect (url, &error);

  g_assert_null (c);
  g_assert_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_UNREACHABLE);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/central/unreachable", test_unreachable);
  g_test_add_func ("/central/schema", test_schema);
  g_test_add_func ("/central/row-level-security", test_row_level_security);
  g_test_add_func ("/central/push-idempotent", test_push_idempotent);
  g_test_add_func ("/central/domiciled-elsewhere", test_domiciled_elsewhere);
  g_test_add_func ("/central/pull", test_pull);
  test_central_hubs_add ();
  test_central_sites_add ();
  test_central_ops_add ();
  test_central_safe_add ();
  cluster = relais_test_pg_new ();
  status = g_test_run ();
  relais_test_pg_free (cluster);
  return status;
}
