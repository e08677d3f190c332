/* relais-central.c: the département's central registry in PostgreSQL
 * (issue 19). The schema's rules live in PostgreSQL itself: row-level
 * security keeps a site's role to its organisation's people and its own
 * site's writes; two functions are the only other doors (the push, run as
 * the site's role so the policies hold, and the "domiciled elsewhere"
 * answer, run as the owner but answering only yes/no and which body). */

#include "relais-central.h"
#include "relais-central-private.h"
#include "relais-central-safe.h"
#include "relais-db-mail.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (relais-central-error-quark, relais_central_error);

struct _RelaisCentral {
  PGconn *conn;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Each version once, in order; never edit one that shipped. */
static const char * const central_migrations[] = {
  /* 1: organisations, sites and their roles, the people registry with its
   * home, the change log (idempotency keys), row-level security. */
  "CREATE SCHEMA relais;"
  "DO $$ BEGIN"
  "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'relais_site') THEN"
  "    CREATE ROLE relais_site NOLOGIN;"
  "  END IF;"
  "END $$;"
  "CREATE TABLE relais.organisations ("
  "  id serial PRIMARY KEY,"
  "  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,31}$'),"
  "  name text NOT NULL CHECK (length (name) BETWEEN 1 AND 200));"
  "CREATE TABLE relais.sites ("
  "  id serial PRIMARY KEY,"
  "  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,31}$'),"
  "  organisation_id int NOT NULL REFERENCES relais.organisations,"
  "  name text NOT NULL CHECK (length (name) BETWEEN 1 AND 200),"
  "  role_name name NOT NULL UNIQUE);"
  "CREATE TABLE relais.people ("
  "  id bigserial PRIMARY KEY,"
  "  home_site_id int NOT NULL REFERENCES relais.sites,"
  "  organisation_id int NOT NULL REFERENCES relais.organisations,"
  "  number text NOT NULL CHECK (length (number) BETWEEN 1 AND 32),"
  "  surname text NOT NULL CHECK (length (surname) <= 400),"
  "  first_names text NOT NULL CHECK (length (first_names) <= 400),"
  "  birth_date date NOT NULL,"
  "  name_key text NOT NULL CHECK (length (name_key) <= 900),"
  "  state text NOT NULL CHECK (state IN ('none', 'applied', 'granted', 'refused', 'adjourned', 'expired',"
  "    'radiated')),"
  "  active_to date,"
  "  updated_at timestamptz NOT NULL DEFAULT now (),"
  "  UNIQUE (home_site_id, number));"
  "CREATE INDEX people_identity ON relais.people (name_key, birth_date);"
  "CREATE TABLE relais.changes ("
  "  pos bigserial PRIMARY KEY,"
  "  site_id int NOT NULL REFERENCES relais.sites,"
  "  key text NOT NULL CHECK (length (key) BETWEEN 1 AND 64),"
  "  seq bigint NOT NULL,"
  "  op text NOT NULL CHECK (op IN ('save', 'delete')),"
  "  number text NOT NULL,"
  "  queued_at timestamptz NOT NULL,"
  "  applied_at timestamptz NOT NULL DEFAULT now (),"
  "  UNIQUE (site_id, key));"
  /* The login role is the site: session_user, never current_user (which
   * is the owner inside a SECURITY DEFINER function). */
  "CREATE FUNCTION relais.my_site () RETURNS int LANGUAGE sql STABLE SECURITY DEFINER"
  "  SET search_path = pg_catalog, pg_temp"
  "  AS $$ SELECT id FROM relais.sites WHERE role_name = session_user $$;"
  "CREATE FUNCTION relais.my_organisation () RETURNS int LANGUAGE sql STABLE SECURITY DEFINER"
  "  SET search_path = pg_catalog, pg_temp"
  "  AS $$ SELECT organisation_id FROM relais.sites WHERE role_name = session_user $$;"
  "ALTER TABLE relais.people ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY people_read ON relais.people FOR SELECT TO relais_site"
  "  USING (organisation_id = relais.my_organisation ());"
  "CREATE POLICY people_insert ON relais.people FOR INSERT TO relais_site"
  "  WITH CHECK (home_site_id = relais.my_site () AND organisation_id = relais.my_organisation ());"
  "CREATE POLICY people_update ON relais.people FOR UPDATE TO relais_site"
  "  USING (home_site_id = relais.my_site ())"
  "  WITH CHECK (home_site_id = relais.my_site () AND organisation_id = relais.my_organisation ());"
  "CREATE POLICY people_delete ON relais.people FOR DELETE TO relais_site"
  "  USING (home_site_id = relais.my_site ());"
  "ALTER TABLE relais.changes ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY changes_own ON relais.changes TO relais_site"
  "  USING (site_id = relais.my_site ()) WITH CHECK (site_id = relais.my_site ());"
  /* The push runs as the site's role: the policies above hold for it. A
   * key already applied is acknowledged, not applied again. */
  "CREATE FUNCTION relais.push_person (p_key text, p_seq bigint, p_op text, p_number text, p_surname text,"
  "    p_first_names text, p_birth_date date, p_name_key text, p_state text, p_active_to date,"
  "    p_queued_at timestamptz)"
  "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
  "DECLARE"
  "  v_site int := relais.my_site ();"
  "  v_pos bigint;"
  "BEGIN"
  "  IF v_site IS NULL THEN"
  "    RAISE EXCEPTION 'this role is no site of the registry' USING ERRCODE = 'insufficient_privilege';"
  "  END IF;"
  "  INSERT INTO relais.changes (site_id, key, seq, op, number, queued_at)"
  "    VALUES (v_site, p_key, p_seq, p_op, p_number, p_queued_at)"
  "    ON CONFLICT (site_id, key) DO NOTHING RETURNING pos INTO v_pos;"
  "  IF v_pos IS NULL THEN"
  "    RETURN false;"
  "  END IF;"
  "  IF p_op = 'delete' THEN"
  "    DELETE FROM relais.people WHERE home_site_id = v_site AND number = p_number;"
  "  ELSE"
  "    INSERT INTO relais.people (home_site_id, organisation_id, number, surname, first_names, birth_date,"
  "        name_key, state, active_to)"
  "      VALUES (v_site, relais.my_organisation (), p_number, p_surname, p_first_names, p_birth_date,"
  "        p_name_key, p_state, p_active_to)"
  "      ON CONFLICT (home_site_id, number) DO UPDATE SET surname = excluded.surname,"
  "        first_names = excluded.first_names, birth_date = excluded.birth_date, name_key = excluded.name_key,"
  "        state = excluded.state, active_to = excluded.active_to, updated_at = now ();"
  "  END IF;"
  "  RETURN true;"
  "END $$;"
  /* The coordination's one answer across organisations: which other body
   * domiciles (or examines) this person; nothing else of them. */
  "CREATE FUNCTION relais.domiciled_elsewhere (p_name_key text, p_birth_date date)"
  "  RETURNS TABLE (organisation text, site text, state text)"
  "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
  "  SELECT o.name, s.name, p.state FROM relais.people p"
  "    JOIN relais.sites s ON s.id = p.home_site_id JOIN relais.organisations o ON o.id = p.organisation_id"
  "    WHERE relais.my_site () IS NOT NULL AND p.home_site_id <> relais.my_site ()"
  "      AND p.name_key = p_name_key AND p.birth_date = p_birth_date"
  "      AND p.state IN ('granted', 'applied', 'adjourned')"
  "    ORDER BY o.name, s.name LIMIT 20 $$;"
  "REVOKE ALL ON FUNCTION relais.my_site (), relais.my_organisation (), relais.push_person (text, bigint, text,"
  "  text, text, text, date, text, text, date, timestamptz), relais.domiciled_elsewhere (text, date) FROM PUBLIC;"
  "GRANT EXECUTE ON FUNCTION relais.my_site (), relais.my_organisation (), relais.push_person (text, bigint, text,"
  "  text, text, text, date, text, text, date, timestamptz), relais.domiciled_elsewhere (text, date)"
  "  TO relais_site;"
  "GRANT USAGE ON SCHEMA relais TO relais_site;"
  "GRANT SELECT ON relais.organisations, relais.sites TO relais_site;"
  "GRANT SELECT, INSERT, UPDATE, DELETE ON relais.people TO relais_site;"
  "GRANT SELECT, INSERT ON relais.changes TO relais_site;"
  "GRANT USAGE ON SEQUENCE relais.people_id_seq, relais.changes_pos_seq TO relais_site;",
  /* 2: down. Each change carries its transaction's id; a site reads the
   * others' changes by (xid, pos) and only below the oldest transaction
   * still running, so a change committed late with an earlier pos is never
   * skipped (every transaction still to commit has a larger xid). Each row
   * is the record's state now (NULL name_key: deleted); only what the
   * "domiciled elsewhere?" answer needs. */
  "ALTER TABLE relais.changes ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id ();"
  "CREATE INDEX changes_order ON relais.changes (xid, pos);"
  "CREATE FUNCTION relais.registry_since (p_xid xid8, p_pos bigint, p_limit int)"
  "  RETURNS TABLE (xid xid8, pos bigint, site_code text, number text, name_key text, birth_date date,"
  "    organisation text, site text, state text)"
  "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
  "  SELECT c.xid, c.pos, s.code, c.number, p.name_key, p.birth_date, o.name, s.name, p.state"
  "    FROM relais.changes c JOIN relais.sites s ON s.id = c.site_id"
  "    JOIN relais.organisations o ON o.id = s.organisation_id"
  "    LEFT JOIN relais.people p ON p.home_site_id = c.site_id AND p.number = c.number"
  "    WHERE relais.my_site () IS NOT NULL AND c.site_id <> relais.my_site ()"
  "      AND (c.xid, c.pos) > (p_xid, p_pos) AND c.xid < pg_snapshot_xmin (pg_current_snapshot ())"
  "    ORDER BY c.xid, c.pos LIMIT least (p_limit, 1000) $$;"
  "REVOKE ALL ON FUNCTION relais.registry_since (xid8, bigint, int) FROM PUBLIC;"
  "GRANT EXECUTE ON FUNCTION relais.registry_since (xid8, bigint, int) TO relais_site;",
  /* 3: the safes (ciphertext and public data), the accounts' directory,
   * the monthly statistics and the département's role
   * (relais-central-safe.c). */
  relais_central_migration_shared,
};

int
relais_central_latest_version (void)
{
  return G_N_ELEMENTS (central_migrations);
}

/* Sets @error from @result (or the connection when @result is NULL):
 * UNREACHABLE when the connection is gone, REFUSED for PostgreSQL's
 * privilege and row-level security refusals. Returns FALSE. */
static gboolean
set_error (RelaisCentral *central,
           PGresult      *result,
           GError       **error)
{
  const char        *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char        *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (central->conn);
  g_autofree char   *text = g_strstrip (g_strdup (message != NULL && *message != '\0' ? message : "?"));
  RelaisCentralError code = RELAIS_CENTRAL_ERROR_QUERY;

  if (PQstatus (central->conn) != CONNECTION_OK || (state != NULL && g_str_has_prefix (state, "08"))
      || g_strcmp0 (state, "57P01") == 0)
    code = RELAIS_CENTRAL_ERROR_UNREACHABLE;
  else if (g_strcmp0 (state, "42501") == 0)
    code = RELAIS_CENTRAL_ERROR_REFUSED;
  g_set_error (error, RELAIS_CENTRAL_ERROR, code, "%s", text);
  return FALSE;
}

/* The connection, made again if it dropped. */
static gboolean
ensure_connected (RelaisCentral *central,
                  GError       **error)
{
  if (PQstatus (central->conn) == CONNECTION_OK)
    return TRUE;
  PQreset (central->conn);
  if (PQstatus (central->conn) == CONNECTION_OK)
    return TRUE;
  return set_error (central, NULL, error);
}

/* The server's notices (a WARNING, a NOTICE) go to the debug log, not to
 * the hub's standard error. */
static void
notice_to_debug (void       *data,
                 const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* libpq's TLS refusals, said as what the département has to check; the
 * hub's log keeps libpq's own words after it. */
static void
explain_tls (GError *error)
{
  static const struct {
    const char *libpq;
    const char *hint;
  } refusals[] = {
    { "certificate verify failed", "le certificat du serveur n'est pas signé par l'autorité de certification donnée"
                                   " (sslrootcert) : mauvais fichier, ou ce serveur n'est pas celui du département" },
    { "does not match host name", "le certificat du serveur est fait pour un autre nom que celui de l'URL" },
    { "root certificate file", "le fichier de l'autorité de certification (sslrootcert) est introuvable ou illisible" },
    { "does not support SSL", "le serveur n'accepte pas TLS (ssl = on dans postgresql.conf)" },
  };
  char *text;

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    if (strstr (error->message, refusals[i].libpq) != NULL)
      {
        text = g_strdup_printf ("Connexion TLS refusée, %s. (libpq : %s)", refusals[i].hint,
                                error->message);
        g_free (error->message);
        error->message = text;
        return;
      }
}

RelaisCentral *
relais_central_connect (const char *url,
                        GError    **error)
{
  /* The URL's own settings come after ours, so they win. */
  const char * const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
  const char * const values[] = { "5", "relais-hub", url, NULL };
  g_autoptr(RelaisCentral) central = g_new0 (RelaisCentral, 1);

  g_return_val_if_fail (url != NULL, NULL);

  central->conn = PQconnectdbParams (keys, values, 1);
  if (central->conn == NULL)
    {
      g_set_error_literal (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_UNREACHABLE, "libpq: out of memory");
      return NULL;
    }
  PQsetNoticeProcessor (central->conn, notice_to_debug, NULL);
  if (PQstatus (central->conn) != CONNECTION_OK)
    {
      set_error (central, NULL, error);
      if (error != NULL)
        explain_tls (*error);
      return NULL;
    }
  return g_steal_pointer (&central);
}

void
relais_central_close (RelaisCentral *central)
{
  if (central == NULL)
    return;
  g_clear_pointer (&central->conn, PQfinish);
  g_free (central);
}

/* Runs @sql with @n text parameters (NULL: SQL NULL); the result on
 * success (PGRES_COMMAND_OK or PGRES_TUPLES_OK), else NULL with @error. */
static PGresult *
run (RelaisCentral      *central,
     const char         *sql,
     int                 n,
     const char * const *params,
     GError            **error)
{
  PGresult      *result;
  ExecStatusType status;

  if (!ensure_connected (central, error))
    return NULL;
  result = PQexecParams (central->conn, sql, n, NULL, params, NULL, NULL, 0);
  status = PQresultStatus (result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  set_error (central, result, error);
  PQclear (result);
  return NULL;
}

static gboolean
run_done (RelaisCentral      *central,
          const char         *sql,
          int                 n,
          const char * const *params,
          GError            **error)
{
  g_autoptr(PGresult) result = run (central, sql, n, params, error);

  return result != NULL;
}

int
relais_central_get_version (RelaisCentral *central)
{
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (central != NULL, -1);

  /* Two statements: PostgreSQL resolves a table's name before it runs. */
  result = run (central, "SELECT to_regclass ('relais.schema_version') IS NOT NULL", 0, NULL, NULL);
  if (result == NULL || PQntuples (result) != 1)
    return -1;
  if (g_strcmp0 (PQgetvalue (result, 0, 0), "t") != 0)
    return 0;
  g_clear_pointer (&result, PQclear);
  result = run (central, "SELECT coalesce (max (version), 0) FROM relais.schema_version", 0, NULL, NULL);
  if (result == NULL || PQntuples (result) != 1)
    return -1;
  return atoi (PQgetvalue (result, 0, 0));
}

gboolean
relais_central_migrate (RelaisCentral *owner,
                        GError       **error)
{
  int version;

  g_return_val_if_fail (owner != NULL, FALSE);

  if (!run_done (owner, "BEGIN", 0, NULL, error))
    return FALSE;
  /* One migrating hub or tool at a time. */
  if (!run_done (owner, "SELECT pg_advisory_xact_lock (19190119)", 0, NULL, error))
    goto fail;
  version = relais_central_get_version (owner);
  if (version < 0)
    {
      set_error (owner, NULL, error);
      goto fail;
    }
  if (version > relais_central_latest_version ())
    {
      g_set_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID,
                   "Le registre central est en version %d, plus récente que ce programme (%d).", version,
                   relais_central_latest_version ());
      goto fail;
    }
  for (int v = version; v < relais_central_latest_version (); v++)
    {
      g_autofree char *mark = g_strdup_printf ("INSERT INTO relais.schema_version (version) VALUES (%d)", v + 1);
      g_autoptr(PGresult) result = PQexec (owner->conn, central_migrations[v]);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          set_error (owner, result, error);
          goto fail;
        }
      if (v == 0 && !run_done (owner, "CREATE TABLE relais.schema_version (version int PRIMARY KEY)", 0, NULL, error))
        goto fail;
      if (!run_done (owner, mark, 0, NULL, error))
        goto fail;
    }
  return run_done (owner, "COMMIT", 0, NULL, error);

fail:
  run_done (owner, "ROLLBACK", 0, NULL, NULL);
  return FALSE;
}

static gboolean
code_valid (const char *code,
            const char *extra,
            gsize       max)
{
  gsize n = code != NULL ? strlen (code) : 0;

  if (n == 0 || n > max)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (code[i]) && !g_ascii_isdigit (code[i]) && strchr (extra, code[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
relais_central_add_organisation (RelaisCentral *owner,
                                 const char    *code,
                                 const char    *name,
                                 GError       **error)
{
  const char * const params[] = { code, name };

  g_return_val_if_fail (owner != NULL, FALSE);

  if (!code_valid (code, "-", 32) || name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 200)
    {
      g_set_error_literal (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID,
                           "Organisme : un code (lettres minuscules, chiffres, tirets, 32 au plus) et un nom.");
      return FALSE;
    }
  return run_done (owner,
                   "INSERT INTO relais.organisations (code, name) VALUES ($1, $2)"
                   " ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                   2, params, error);
}

gboolean
relais_central_add_site (RelaisCentral *owner,
                         const char    *organisation,
                         const char    *code,
                         const char    *name,
                         const char    *role,
                         const char    *password,
                         GError       **error)
{
  g_autofree char   *create = NULL;
  char              *hashed = NULL, *ident = NULL, *literal = NULL;
  const char * const params[] = { organisation, code, name, role };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (owner != NULL, FALSE);

  if (!code_valid (code, "-", 32) || !code_valid (role, "_", 63) || name == NULL || *name == '\0'
      || g_utf8_strlen (name, -1) > 200 || password == NULL || strlen (password) < 12)
    {
      g_set_error_literal (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID,
                           "Site : un code, un nom, un rôle PostgreSQL (minuscules, chiffres, _) et un mot de"
                           " passe de 12 caractères au moins.");
      return FALSE;
    }
  if (!ensure_connected (owner, error))
    return FALSE;
  /* The password leaves this process hashed: never in the server's logs. */
  hashed = PQencryptPasswordConn (owner->conn, password, role, "scram-sha-256");
  ident = hashed != NULL ? PQescapeIdentifier (owner->conn, role, strlen (role)) : NULL;
  literal = ident != NULL ? PQescapeLiteral (owner->conn, hashed, strlen (hashed)) : NULL;
  if (literal == NULL)
    {
      PQfreemem (hashed);
      PQfreemem (ident);
      return set_error (owner, NULL, error);
    }
  create = g_strdup_printf ("CREATE ROLE %s LOGIN IN ROLE relais_site PASSWORD %s", ident, literal);
  PQfreemem (hashed);
  PQfreemem (ident);
  PQfreemem (literal);

  if (!run_done (owner, "BEGIN", 0, NULL, error))
    return FALSE;
  result = run (owner,
                "INSERT INTO relais.sites (organisation_id, code, name, role_name)"
                " SELECT id, $2, $3, $4 FROM relais.organisations WHERE code = $1",
                4, params, error);
  if (result == NULL)
    goto fail;
  if (atoi (PQcmdTuples (result)) != 1)
    {
      g_set_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID, "Organisme inconnu : « %s ».",
                   organisation);
      goto fail;
    }
  if (!run_done (owner, create, 0, NULL, error))
    goto fail;
  return run_done (owner, "COMMIT", 0, NULL, error);

fail:
  run_done (owner, "ROLLBACK", 0, NULL, NULL);
  return FALSE;
}

/* The batch goes in one round trip (libpq's pipeline mode): BEGIN, each
 * change, COMMIT, then the results in the same order. A batch of a few
 * hundred small statements fits the sockets' buffers both ways, so the
 * blocking sends cannot wait on our own unread results. */
gboolean
relais_central_push (RelaisCentral *site,
                     GPtrArray     *changes,
                     guint         *applied,
                     GError       **error)
{
  PGconn  *conn;
  guint    n_applied = 0;
  gboolean sent = TRUE, failed = FALSE;
  GError  *first = NULL;

  g_return_val_if_fail (site != NULL && changes != NULL, FALSE);

  if (!ensure_connected (site, error))
    return FALSE;
  conn = site->conn;
  if (PQenterPipelineMode (conn) != 1)
    return set_error (site, NULL, error);
  sent = PQsendQueryParams (conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) == 1;
  for (guint i = 0; sent && i < changes->len; i++)
    {
      const RelaisCentralChange *c = g_ptr_array_index (changes, i);
      g_autofree char           *seq = g_strdup_printf ("%" G_GINT64_FORMAT, c->seq);
      /* Milliseconds since the epoch, as PostgreSQL reads them. */
      g_autofree char           *queued = g_strdup_printf ("%" G_GINT64_FORMAT ".%03d", c->queued_at / 1000,
                                                           (int) (c->queued_at % 1000));
      gboolean                   save = g_strcmp0 (c->op, "save") == 0;
      const char * const         params[] = {
                c->key,
                seq,
                c->op,
                c->number,
        save ? c->surname : NULL,
        save ? c->first_names : NULL,
        save ? c->birth_date : NULL,
        save ? c->name_key : NULL,
        save ? c->state : NULL,
        save ? c->active_to : NULL,
                queued,
      };

      sent = PQsendQueryParams (conn,
                                "SELECT relais.push_person ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                                " to_timestamp ($11::double precision))",
                                11, NULL, params, NULL, NULL, 0)
             == 1;
    }
  sent = sent && PQsendQueryParams (conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) == 1 && PQpipelineSync (conn) == 1;
  if (!sent)
    {
      set_error (site, NULL, error);
      PQexitPipelineMode (conn);
      return FALSE;
    }
  /* BEGIN, the changes, COMMIT: each one result then NULL; then the sync. */
  for (guint i = 0; i < changes->len + 2; i++)
    {
      g_autoptr(PGresult) result = PQgetResult (conn);
      ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;

      if (result == NULL)
        {
          failed = TRUE;
          if (first == NULL)
            set_error (site, NULL, &first);
          break;
        }
      if (status == PGRES_TUPLES_OK && i > 0 && i <= changes->len)
        n_applied += g_strcmp0 (PQgetvalue (result, 0, 0), "t") == 0;
      else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        {
          failed = TRUE;
          if (first == NULL && status != PGRES_PIPELINE_ABORTED)
            set_error (site, result, &first);
        }
      while ((result = (PQclear (result), PQgetResult (conn))) != NULL)
        ;
    }
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(PGresult) sync = PQgetResult (conn);

      if (sync == NULL || PQresultStatus (sync) == PGRES_PIPELINE_SYNC)
        break;
    }
  PQexitPipelineMode (conn);
  if (failed)
    {
      if (first == NULL)
        g_set_error_literal (&first, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_QUERY, "pipeline aborted");
      g_propagate_error (error, first);
      /* A connection that dropped took its transaction with it. */
      if (PQstatus (conn) == CONNECTION_OK)
        run_done (site, "ROLLBACK", 0, NULL, NULL);
      return FALSE;
    }
  if (applied != NULL)
    *applied = n_applied;
  return TRUE;
}

static char *
value_dup (PGresult *result, int row, int column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

void
relais_central_person_free (RelaisCentralPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->site);
  g_free (person->number);
  g_free (person->surname);
  g_free (person->first_names);
  g_free (person->birth_date);
  g_free (person->state);
  g_free (person->active_to);
  g_free (person);
}

GPtrArray *
relais_central_people (RelaisCentral *site,
                       GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_person_free);

  g_return_val_if_fail (site != NULL, NULL);

  result = run (site,
                "SELECT s.code, p.number, p.surname, p.first_names, p.birth_date::text, p.state, p.active_to::text"
                " FROM relais.people p JOIN relais.sites s ON s.id = p.home_site_id ORDER BY s.code, p.number",
                0, NULL, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      RelaisCentralPerson *p = g_new0 (RelaisCentralPerson, 1);

      p->site = value_dup (result, i, 0);
      p->number = value_dup (result, i, 1);
      p->surname = value_dup (result, i, 2);
      p->first_names = value_dup (result, i, 3);
      p->birth_date = value_dup (result, i, 4);
      p->state = value_dup (result, i, 5);
      p->active_to = value_dup (result, i, 6);
      g_ptr_array_add (people, p);
    }
  return g_steal_pointer (&people);
}

void
relais_central_elsewhere_free (RelaisCentralElsewhere *elsewhere)
{
  if (elsewhere == NULL)
    return;
  g_free (elsewhere->organisation);
  g_free (elsewhere->site);
  g_free (elsewhere->state);
  g_free (elsewhere);
}

/* As relais-db-mail.c keys homonyms: the folded surname, "|", the folded
 * first first name. */
char *
relais_central_name_key (const char *surname,
                         const char *first_names)
{
  g_autofree char *s = relais_mail_fold (surname);
  g_autofree char *f = relais_mail_fold (first_names);
  gsize            n = strcspn (f, " ");

  return g_strdup_printf ("%s|%.*s", s, (int) n, f);
}

static gboolean
date_valid (const char *date)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (date == NULL || strlen (date) != 10)
    return FALSE;
  iso = g_strdup_printf ("%sT00:00:00Z", date);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  return parsed != NULL;
}

GPtrArray *
relais_central_domiciled_elsewhere (RelaisCentral *site,
                                    const char    *surname,
                                    const char    *first_names,
                                    const char    *birth_date,
                                    GError       **error)
{
  g_autofree char *key = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_elsewhere_free);

  g_return_val_if_fail (site != NULL, NULL);

  if (surname == NULL || *surname == '\0' || first_names == NULL || *first_names == '\0'
      || strlen (surname) > 400 || strlen (first_names) > 400 || !date_valid (birth_date))
    {
      g_set_error_literal (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID,
                           "Pour savoir si la personne est domiciliée ailleurs : nom, prénom et date de naissance"
                           " (AAAA-MM-JJ).");
      return NULL;
    }
  key = relais_central_name_key (surname, first_names);
  result = run (site, "SELECT organisation, site, state FROM relais.domiciled_elsewhere ($1, $2)", 2,
                (const char * const[]) { key, birth_date }, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      RelaisCentralElsewhere *e = g_new0 (RelaisCentralElsewhere, 1);

      e->organisation = value_dup (result, i, 0);
      e->site = value_dup (result, i, 1);
      e->state = value_dup (result, i, 2);
      g_ptr_array_add (bodies, e);
    }
  return g_steal_pointer (&bodies);
}

GPtrArray *
relais_central_pull (RelaisCentral *site,
                     gint64         xid,
                     gint64         pos,
                     guint          limit,
                     GError       **error)
{
  g_autofree char *xid_text = g_strdup_printf ("%" G_GINT64_FORMAT, xid);
  g_autofree char *pos_text = g_strdup_printf ("%" G_GINT64_FORMAT, pos);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_copy_row_free);

  g_return_val_if_fail (site != NULL, NULL);

  result = run (site,
                "SELECT xid::text::bigint, pos, site_code, number, name_key, birth_date::text, organisation, site,"
                " state FROM relais.registry_since ($1::text::xid8, $2, $3)",
                3, (const char * const[]) { xid_text, pos_text, limit_text }, error);
  if (result == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      RelaisCentralCopyRow *r = g_new0 (RelaisCentralCopyRow, 1);

      r->xid = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      r->pos = g_ascii_strtoll (PQgetvalue (result, i, 1), NULL, 10);
      r->site_code = value_dup (result, i, 2);
      r->number = value_dup (result, i, 3);
      r->name_key = value_dup (result, i, 4);
      r->birth_date = value_dup (result, i, 5);
      r->organisation = value_dup (result, i, 6);
      r->site = value_dup (result, i, 7);
      r->state = value_dup (result, i, 8);
      g_ptr_array_add (rows, r);
    }
  return g_steal_pointer (&rows);
}

/* ---- for relais-central-safe.c ---- */

PGconn *
_relais_central_conn (RelaisCentral *central,
                      GError       **error)
{
  return ensure_connected (central, error) ? central->conn : NULL;
}

gboolean
_relais_central_fail (RelaisCentral *central,
                      PGresult      *result,
                      GError       **error)
{
  return set_error (central, result, error);
}
