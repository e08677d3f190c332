/* relais-central-safe.c: the safes, the accounts' directory and the
 * monthly statistics in the département's central registry (issue 19).
 * A safe's row is the hub's row minus the site's counters: any site's
 * role reads its public columns (number, state, box_pk) and its
 * documents, which are ciphertext; the columns an opening needs (the salt,
 * the keyed hashes, the hub secret encrypted with the safes' key file,
 * the wrapped keys) are not granted to it: one function gives them for
 * one number at a time, and journals it. The key file is never here. */

#include "relais-central-safe.h"
#include "relais-central-private.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define SAFE_BYTES(name, max) "  " name " bytea CHECK (octet_length (" name ") <= " max "),"

/* 3: see the file's head. A push function runs as the site's role (not
 * SECURITY DEFINER): the policies hold for it, as for relais.push_person. */
const char relais_central_migration_shared[] =
    "DO $$ BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'relais_departement') THEN"
    "    CREATE ROLE relais_departement NOLOGIN;"
    "  END IF;"
    "END $$;"
    "CREATE TABLE relais.up_changes ("
    "  pos bigserial PRIMARY KEY,"
    "  site_id int NOT NULL REFERENCES relais.sites,"
    "  key text NOT NULL CHECK (length (key) BETWEEN 1 AND 64),"
    "  seq bigint NOT NULL,"
    "  kind text NOT NULL CHECK (kind IN ('safe', 'safe-delete', 'document', 'document-delete', 'account',"
    "    'stats')),"
    "  ref text NOT NULL CHECK (length (ref) BETWEEN 1 AND 128),"
    "  ref2 text CHECK (length (ref2) <= 128),"
    "  queued_at timestamptz NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now (),"
    "  UNIQUE (site_id, key));"
    "CREATE TABLE relais.safes ("
    "  id bigserial PRIMARY KEY,"
    "  home_site_id int NOT NULL REFERENCES relais.sites,"
    "  number text NOT NULL CHECK (number ~ '^[0-9]{6,32}$'),"
    "  state text NOT NULL CHECK (state IN ('new', 'ready')),"
    "  box_pk bytea CHECK (octet_length (box_pk) = 32)," SAFE_BYTES ("activation_hash", "64")
        SAFE_BYTES ("recovery_hash", "64") SAFE_BYTES ("salt", "64") SAFE_BYTES ("verifier", "64")
            SAFE_BYTES ("hub_secret", "128") SAFE_BYTES ("wrapped_keys", "4096") "  created_at bigint NOT NULL,"
                                                                                 "  updated_at timestamptz NOT NULL DEFAULT now (),"
                                                                                 "  UNIQUE (home_site_id, number));"
                                                                                 "CREATE INDEX safes_number ON relais.safes (number);"
                                                                                 /* The hub's own cap is 40 MiB an envelope (relais-limits.h). */
                                                                                 "CREATE TABLE relais.safe_documents ("
                                                                                 "  safe_id bigint NOT NULL REFERENCES relais.safes ON DELETE CASCADE,"
                                                                                 "  id text NOT NULL CHECK (length (id) BETWEEN 8 AND 128),"
                                                                                 "  category text NOT NULL CHECK (length (category) BETWEEN 1 AND 32),"
                                                                                 "  head bytea NOT NULL CHECK (octet_length (head) <= 65536),"
                                                                                 "  body bytea NOT NULL CHECK (octet_length (body) <= 41943040),"
                                                                                 "  deposited boolean NOT NULL,"
                                                                                 "  created_at bigint NOT NULL,"
                                                                                 "  PRIMARY KEY (safe_id, id));"
                                                                                 "CREATE TABLE relais.safe_fetches ("
                                                                                 "  site_id int NOT NULL REFERENCES relais.sites,"
                                                                                 "  number text NOT NULL,"
                                                                                 "  at timestamptz NOT NULL DEFAULT now ());"
                                                                                 "CREATE TABLE relais.accounts ("
                                                                                 "  home_site_id int NOT NULL REFERENCES relais.sites,"
                                                                                 "  login text NOT NULL CHECK (length (login) BETWEEN 1 AND 128),"
                                                                                 "  display_name text NOT NULL CHECK (length (display_name) <= 200),"
                                                                                 "  roles text[] NOT NULL CHECK (roles <@ ARRAY['mediator', 'responsable', 'staff']),"
                                                                                 "  active boolean NOT NULL,"
                                                                                 "  updated_at timestamptz NOT NULL DEFAULT now (),"
                                                                                 "  PRIMARY KEY (home_site_id, login));"
                                                                                 "CREATE TABLE relais.stats_monthly ("
                                                                                 "  site_id int NOT NULL REFERENCES relais.sites,"
                                                                                 "  month text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),"
                                                                                 "  sessions bigint NOT NULL, duration_s bigint NOT NULL, pages_scanned bigint NOT NULL,"
                                                                                 "  pages_printed bigint NOT NULL, copies bigint NOT NULL, saved_usb bigint NOT NULL,"
                                                                                 "  saved_safe bigint NOT NULL, mail_checks bigint NOT NULL, help_requests bigint NOT NULL,"
                                                                                 "  updated_at timestamptz NOT NULL DEFAULT now (),"
                                                                                 "  PRIMARY KEY (site_id, month));"
                                                                                 /* Row-level security: the home writes; any site reads a safe's public
                                                                                  * columns and its documents (ciphertext); accounts are read within the
                                                                                  * organisation; a site's statistics by that site. */
                                                                                 "ALTER TABLE relais.up_changes ENABLE ROW LEVEL SECURITY;"
                                                                                 "CREATE POLICY up_changes_own ON relais.up_changes TO relais_site"
                                                                                 "  USING (site_id = relais.my_site ()) WITH CHECK (site_id = relais.my_site ());"
                                                                                 "ALTER TABLE relais.safes ENABLE ROW LEVEL SECURITY;"
                                                                                 "CREATE POLICY safes_read ON relais.safes FOR SELECT TO relais_site USING (true);"
                                                                                 "CREATE POLICY safes_insert ON relais.safes FOR INSERT TO relais_site"
                                                                                 "  WITH CHECK (home_site_id = relais.my_site ());"
                                                                                 "CREATE POLICY safes_update ON relais.safes FOR UPDATE TO relais_site"
                                                                                 "  USING (home_site_id = relais.my_site ()) WITH CHECK (home_site_id = relais.my_site ());"
                                                                                 "CREATE POLICY safes_delete ON relais.safes FOR DELETE TO relais_site"
                                                                                 "  USING (home_site_id = relais.my_site ());"
                                                                                 "ALTER TABLE relais.safe_documents ENABLE ROW LEVEL SECURITY;"
                                                                                 "CREATE POLICY safe_documents_read ON relais.safe_documents FOR SELECT TO relais_site USING (true);"
                                                                                 "CREATE POLICY safe_documents_insert ON relais.safe_documents FOR INSERT TO relais_site"
                                                                                 "  WITH CHECK (EXISTS (SELECT 1 FROM relais.safes s WHERE s.id = safe_id"
                                                                                 "    AND s.home_site_id = relais.my_site ()));"
                                                                                 "CREATE POLICY safe_documents_delete ON relais.safe_documents FOR DELETE TO relais_site"
                                                                                 "  USING (EXISTS (SELECT 1 FROM relais.safes s WHERE s.id = safe_id AND s.home_site_id = relais.my_site ()));"
                                                                                 "ALTER TABLE relais.safe_fetches ENABLE ROW LEVEL SECURITY;"
                                                                                 "ALTER TABLE relais.accounts ENABLE ROW LEVEL SECURITY;"
                                                                                 "CREATE POLICY accounts_read ON relais.accounts FOR SELECT TO relais_site"
                                                                                 "  USING (EXISTS (SELECT 1 FROM relais.sites s WHERE s.id = home_site_id"
                                                                                 "    AND s.organisation_id = relais.my_organisation ()));"
                                                                                 "CREATE POLICY accounts_write ON relais.accounts FOR ALL TO relais_site"
                                                                                 "  USING (home_site_id = relais.my_site ()) WITH CHECK (home_site_id = relais.my_site ());"
                                                                                 "CREATE POLICY accounts_departement ON relais.accounts FOR SELECT TO relais_departement USING (true);"
                                                                                 "ALTER TABLE relais.stats_monthly ENABLE ROW LEVEL SECURITY;"
                                                                                 "CREATE POLICY stats_own ON relais.stats_monthly TO relais_site"
                                                                                 "  USING (site_id = relais.my_site ()) WITH CHECK (site_id = relais.my_site ());"
                                                                                 /* The département's report: the sums over every site, by month, and
                                                                                  * each site's line. Views run as their owner: only the grant below
                                                                                  * opens them. */
                                                                                 "CREATE VIEW relais.departement_months AS"
                                                                                 "  SELECT month, count (*) AS sites, sum (sessions)::bigint AS sessions, sum (duration_s)::bigint AS duration_s,"
                                                                                 "    sum (pages_scanned)::bigint AS pages_scanned, sum (pages_printed)::bigint AS pages_printed,"
                                                                                 "    sum (copies)::bigint AS copies, sum (saved_usb)::bigint AS saved_usb,"
                                                                                 "    sum (saved_safe)::bigint AS saved_safe, sum (mail_checks)::bigint AS mail_checks,"
                                                                                 "    sum (help_requests)::bigint AS help_requests"
                                                                                 "  FROM relais.stats_monthly GROUP BY month;"
                                                                                 "CREATE VIEW relais.departement_site_months AS"
                                                                                 "  SELECT m.month, o.name AS organisation, s.name AS site, m.sessions, m.duration_s, m.pages_scanned,"
                                                                                 "    m.pages_printed, m.copies, m.saved_usb, m.saved_safe, m.mail_checks, m.help_requests"
                                                                                 "  FROM relais.stats_monthly m JOIN relais.sites s ON s.id = m.site_id"
                                                                                 "  JOIN relais.organisations o ON o.id = s.organisation_id;"
                                                                                 /* Each entry's key once; FALSE when it was applied before. */
                                                                                 "CREATE FUNCTION relais.up_key (p_key text, p_seq bigint, p_kind text, p_ref text, p_ref2 text,"
                                                                                 "    p_queued_at timestamptz)"
                                                                                 "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "DECLARE"
                                                                                 "  v_pos bigint;"
                                                                                 "BEGIN"
                                                                                 "  IF relais.my_site () IS NULL THEN"
                                                                                 "    RAISE EXCEPTION 'this role is no site of the registry' USING ERRCODE = 'insufficient_privilege';"
                                                                                 "  END IF;"
                                                                                 "  INSERT INTO relais.up_changes (site_id, key, seq, kind, ref, ref2, queued_at)"
                                                                                 "    VALUES (relais.my_site (), p_key, p_seq, p_kind, p_ref, p_ref2, p_queued_at)"
                                                                                 "    ON CONFLICT (site_id, key) DO NOTHING RETURNING pos INTO v_pos;"
                                                                                 "  RETURN v_pos IS NOT NULL;"
                                                                                 "END $$;"
                                                                                 "CREATE FUNCTION relais.push_safe (p_key text, p_seq bigint, p_queued_at timestamptz, p_op text,"
                                                                                 "    p_number text, p_gone boolean, p_state text, p_box_pk bytea, p_activation_hash bytea,"
                                                                                 "    p_recovery_hash bytea, p_salt bytea, p_verifier bytea, p_hub_secret bytea, p_wrapped_keys bytea,"
                                                                                 "    p_created_at bigint)"
                                                                                 "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "BEGIN"
                                                                                 "  IF NOT relais.up_key (p_key, p_seq, p_op, p_number, NULL, p_queued_at) THEN"
                                                                                 "    RETURN false;"
                                                                                 "  END IF;"
                                                                                 "  IF p_op = 'safe-delete' THEN"
                                                                                 "    DELETE FROM relais.safes WHERE home_site_id = relais.my_site () AND number = p_number;"
                                                                                 "  ELSIF NOT p_gone THEN"
                                                                                 "    UPDATE relais.safes SET state = p_state, box_pk = p_box_pk, activation_hash = p_activation_hash,"
                                                                                 "        recovery_hash = p_recovery_hash, salt = p_salt, verifier = p_verifier, hub_secret = p_hub_secret,"
                                                                                 "        wrapped_keys = p_wrapped_keys, updated_at = now ()"
                                                                                 "      WHERE home_site_id = relais.my_site () AND number = p_number;"
                                                                                 "    IF NOT FOUND THEN"
                                                                                 "      INSERT INTO relais.safes (home_site_id, number, state, box_pk, activation_hash, recovery_hash, salt,"
                                                                                 "          verifier, hub_secret, wrapped_keys, created_at)"
                                                                                 "        VALUES (relais.my_site (), p_number, p_state, p_box_pk, p_activation_hash, p_recovery_hash, p_salt,"
                                                                                 "          p_verifier, p_hub_secret, p_wrapped_keys, p_created_at);"
                                                                                 "    END IF;"
                                                                                 "  END IF;"
                                                                                 "  RETURN true;"
                                                                                 "END $$;"
                                                                                 "CREATE FUNCTION relais.push_document (p_key text, p_seq bigint, p_queued_at timestamptz, p_op text,"
                                                                                 "    p_number text, p_id text, p_gone boolean, p_category text, p_head bytea, p_body bytea,"
                                                                                 "    p_deposited boolean, p_created_at bigint)"
                                                                                 "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "DECLARE"
                                                                                 "  v_safe bigint;"
                                                                                 "BEGIN"
                                                                                 "  IF NOT relais.up_key (p_key, p_seq, p_op, p_number, p_id, p_queued_at) THEN"
                                                                                 "    RETURN false;"
                                                                                 "  END IF;"
                                                                                 "  SELECT id INTO v_safe FROM relais.safes WHERE home_site_id = relais.my_site () AND number = p_number;"
                                                                                 "  IF v_safe IS NULL THEN"
                                                                                 "    RETURN true;"
                                                                                 "  END IF;"
                                                                                 "  IF p_op = 'document-delete' THEN"
                                                                                 "    DELETE FROM relais.safe_documents WHERE safe_id = v_safe AND id = p_id;"
                                                                                 "  ELSIF NOT p_gone THEN"
                                                                                 "    INSERT INTO relais.safe_documents (safe_id, id, category, head, body, deposited, created_at)"
                                                                                 "      VALUES (v_safe, p_id, p_category, p_head, p_body, p_deposited, p_created_at)"
                                                                                 "      ON CONFLICT (safe_id, id) DO NOTHING;"
                                                                                 "  END IF;"
                                                                                 "  RETURN true;"
                                                                                 "END $$;"
                                                                                 "CREATE FUNCTION relais.push_account (p_key text, p_seq bigint, p_queued_at timestamptz, p_login text,"
                                                                                 "    p_gone boolean, p_display_name text, p_roles text, p_active boolean)"
                                                                                 "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "BEGIN"
                                                                                 "  IF NOT relais.up_key (p_key, p_seq, 'account', p_login, NULL, p_queued_at) THEN"
                                                                                 "    RETURN false;"
                                                                                 "  END IF;"
                                                                                 "  IF p_gone THEN"
                                                                                 "    DELETE FROM relais.accounts WHERE home_site_id = relais.my_site () AND login = p_login;"
                                                                                 "    RETURN true;"
                                                                                 "  END IF;"
                                                                                 "  UPDATE relais.accounts SET display_name = p_display_name,"
                                                                                 "      roles = coalesce (string_to_array (nullif (p_roles, ''), ','), '{}'), active = p_active,"
                                                                                 "      updated_at = now ()"
                                                                                 "    WHERE home_site_id = relais.my_site () AND login = p_login;"
                                                                                 "  IF NOT FOUND THEN"
                                                                                 "    INSERT INTO relais.accounts (home_site_id, login, display_name, roles, active)"
                                                                                 "      VALUES (relais.my_site (), p_login, p_display_name,"
                                                                                 "        coalesce (string_to_array (nullif (p_roles, ''), ','), '{}'), p_active);"
                                                                                 "  END IF;"
                                                                                 "  RETURN true;"
                                                                                 "END $$;"
                                                                                 "CREATE FUNCTION relais.push_stats (p_key text, p_seq bigint, p_queued_at timestamptz, p_month text,"
                                                                                 "    p_gone boolean, p_counts bigint[])"
                                                                                 "  RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "BEGIN"
                                                                                 "  IF NOT relais.up_key (p_key, p_seq, 'stats', p_month, NULL, p_queued_at) THEN"
                                                                                 "    RETURN false;"
                                                                                 "  END IF;"
                                                                                 "  IF p_gone THEN"
                                                                                 "    DELETE FROM relais.stats_monthly WHERE site_id = relais.my_site () AND month = p_month;"
                                                                                 "    RETURN true;"
                                                                                 "  END IF;"
                                                                                 "  IF array_length (p_counts, 1) IS DISTINCT FROM 9 THEN"
                                                                                 "    RAISE EXCEPTION 'nine counts expected' USING ERRCODE = 'invalid_parameter_value';"
                                                                                 "  END IF;"
                                                                                 "  UPDATE relais.stats_monthly SET sessions = p_counts[1], duration_s = p_counts[2],"
                                                                                 "      pages_scanned = p_counts[3], pages_printed = p_counts[4], copies = p_counts[5],"
                                                                                 "      saved_usb = p_counts[6], saved_safe = p_counts[7], mail_checks = p_counts[8],"
                                                                                 "      help_requests = p_counts[9], updated_at = now ()"
                                                                                 "    WHERE site_id = relais.my_site () AND month = p_month;"
                                                                                 "  IF NOT FOUND THEN"
                                                                                 "    INSERT INTO relais.stats_monthly (site_id, month, sessions, duration_s, pages_scanned, pages_printed,"
                                                                                 "        copies, saved_usb, saved_safe, mail_checks, help_requests)"
                                                                                 "      VALUES (relais.my_site (), p_month, p_counts[1], p_counts[2], p_counts[3], p_counts[4], p_counts[5],"
                                                                                 "        p_counts[6], p_counts[7], p_counts[8], p_counts[9]);"
                                                                                 "  END IF;"
                                                                                 "  RETURN true;"
                                                                                 "END $$;"
                                                                                 /* The one door to what an opening needs: one number, journaled. */
                                                                                 "CREATE FUNCTION relais.safe_for_opening (p_number text)"
                                                                                 "  RETURNS TABLE (site_code text, state text, box_pk bytea, activation_hash bytea, recovery_hash bytea,"
                                                                                 "    salt bytea, verifier bytea, hub_secret bytea, wrapped_keys bytea, created_at bigint)"
                                                                                 "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
                                                                                 "#variable_conflict use_column\n"
                                                                                 "BEGIN"
                                                                                 "  IF relais.my_site () IS NULL THEN"
                                                                                 "    RAISE EXCEPTION 'this role is no site of the registry' USING ERRCODE = 'insufficient_privilege';"
                                                                                 "  END IF;"
                                                                                 "  IF p_number IS NULL OR length (p_number) > 32 THEN"
                                                                                 "    RETURN;"
                                                                                 "  END IF;"
                                                                                 "  INSERT INTO relais.safe_fetches (site_id, number) VALUES (relais.my_site (), p_number);"
                                                                                 "  RETURN QUERY SELECT t.code, s.state, s.box_pk, s.activation_hash, s.recovery_hash, s.salt, s.verifier,"
                                                                                 "      s.hub_secret, s.wrapped_keys, s.created_at"
                                                                                 "    FROM relais.safes s JOIN relais.sites t ON t.id = s.home_site_id"
                                                                                 "    WHERE s.number = p_number ORDER BY s.id LIMIT 2;"
                                                                                 "END $$;"
                                                                                 "REVOKE ALL ON FUNCTION relais.up_key (text, bigint, text, text, text, timestamptz),"
                                                                                 "  relais.push_safe (text, bigint, timestamptz, text, text, boolean, text, bytea, bytea, bytea, bytea, bytea,"
                                                                                 "    bytea, bytea, bigint),"
                                                                                 "  relais.push_document (text, bigint, timestamptz, text, text, text, boolean, text, bytea, bytea, boolean,"
                                                                                 "    bigint),"
                                                                                 "  relais.push_account (text, bigint, timestamptz, text, boolean, text, text, boolean),"
                                                                                 "  relais.push_stats (text, bigint, timestamptz, text, boolean, bigint[]),"
                                                                                 "  relais.safe_for_opening (text) FROM PUBLIC;"
                                                                                 "GRANT EXECUTE ON FUNCTION relais.up_key (text, bigint, text, text, text, timestamptz),"
                                                                                 "  relais.push_safe (text, bigint, timestamptz, text, text, boolean, text, bytea, bytea, bytea, bytea, bytea,"
                                                                                 "    bytea, bytea, bigint),"
                                                                                 "  relais.push_document (text, bigint, timestamptz, text, text, text, boolean, text, bytea, bytea, boolean,"
                                                                                 "    bigint),"
                                                                                 "  relais.push_account (text, bigint, timestamptz, text, boolean, text, text, boolean),"
                                                                                 "  relais.push_stats (text, bigint, timestamptz, text, boolean, bigint[]),"
                                                                                 "  relais.safe_for_opening (text) TO relais_site;"
                                                                                 "GRANT SELECT, INSERT ON relais.up_changes TO relais_site;"
                                                                                 /* A safe: the public columns only; the others may be written by
                                                                                  * the home, never read back by a site's role. */
                                                                                 "GRANT SELECT (id, home_site_id, number, state, box_pk, created_at, updated_at) ON relais.safes TO relais_site;"
                                                                                 "GRANT INSERT (home_site_id, number, state, box_pk, activation_hash, recovery_hash, salt, verifier, hub_secret,"
                                                                                 "  wrapped_keys, created_at) ON relais.safes TO relais_site;"
                                                                                 "GRANT UPDATE (state, box_pk, activation_hash, recovery_hash, salt, verifier, hub_secret, wrapped_keys,"
                                                                                 "  updated_at) ON relais.safes TO relais_site;"
                                                                                 "GRANT DELETE ON relais.safes TO relais_site;"
                                                                                 "GRANT SELECT, INSERT, DELETE ON relais.safe_documents TO relais_site;"
                                                                                 "GRANT SELECT, INSERT, UPDATE, DELETE ON relais.accounts, relais.stats_monthly TO relais_site;"
                                                                                 "GRANT USAGE ON SEQUENCE relais.up_changes_pos_seq, relais.safes_id_seq TO relais_site;"
                                                                                 "GRANT USAGE ON SCHEMA relais TO relais_departement;"
                                                                                 "GRANT SELECT ON relais.organisations, relais.sites, relais.accounts, relais.departement_months,"
                                                                                 "  relais.departement_site_months TO relais_departement;";

/* The role's name as SQL and its password hashed, for CREATE ROLE. */
gboolean
relais_central_add_departement_role (RelaisCentral *owner,
                                     const char    *role,
                                     const char    *password,
                                     GError       **error)
{
  PGconn          *conn;
  char            *hashed, *ident = NULL, *literal = NULL;
  g_autofree char *create = NULL;
  g_autoptr(PGresult) result = NULL;
  gsize n = role != NULL ? strlen (role) : 0;

  g_return_val_if_fail (owner != NULL, FALSE);

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (role[i]) && !g_ascii_isdigit (role[i]) && role[i] != '_')
      n = 0;
  if (n == 0 || n > 63 || password == NULL || strlen (password) < 12)
    {
      g_set_error_literal (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID,
                           "Département : un rôle PostgreSQL (minuscules, chiffres, _) et un mot de passe de 12"
                           " caractères au moins.");
      return FALSE;
    }
  conn = _relais_central_conn (owner, error);
  if (conn == NULL)
    return FALSE;
  hashed = PQencryptPasswordConn (conn, password, role, "scram-sha-256");
  ident = hashed != NULL ? PQescapeIdentifier (conn, role, strlen (role)) : NULL;
  literal = ident != NULL ? PQescapeLiteral (conn, hashed, strlen (hashed)) : NULL;
  if (literal != NULL)
    create = g_strdup_printf ("CREATE ROLE %s LOGIN IN ROLE relais_departement PASSWORD %s", ident, literal);
  PQfreemem (hashed);
  PQfreemem (ident);
  PQfreemem (literal);
  if (create == NULL)
    return _relais_central_fail (owner, NULL, error);
  result = PQexec (conn, create);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return _relais_central_fail (owner, result, error);
  return TRUE;
}

/* ---- up ---- */

static char *
bytea_or_null (GBytes *bytes)
{
  return bytes != NULL ? (char *) g_bytes_get_data (bytes, NULL) : NULL;
}

/* Runs one entry's push function; *@applied += 1 when it was new. */
static gboolean
push_one (RelaisCentral   *site,
          PGconn          *conn,
          RelaisCentralUp *up,
          guint           *applied,
          GError         **error)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, up->seq);
  g_autofree char *queued = g_strdup_printf ("%" G_GINT64_FORMAT ".%03d", up->queued_at / 1000,
                                             (int) (up->queued_at % 1000));
  g_autofree char *created = g_strdup_printf ("%" G_GINT64_FORMAT, up->created_at);
  g_autofree char *counts = NULL;
  const char      *gone = up->gone ? "t" : "f";
  const char      *sql;
  const char      *values[15] = { up->key, seq, queued };
  int              lengths[15] = { 0 };
  int              formats[15] = { 0 };
  int              n;
  g_autoptr(PGresult) result = NULL;

#define BYTES(i, b)                                            \
  G_STMT_START                                                 \
  {                                                            \
    values[i] = bytea_or_null (b);                             \
    lengths[i] = (b) != NULL ? (int) g_bytes_get_size (b) : 0; \
    formats[i] = 1;                                            \
    if ((b) != NULL && values[i] == NULL)                      \
      values[i] = ""; /* an empty blob is not SQL NULL */      \
  }                                                            \
  G_STMT_END

  if (up->merged)
    {
      sql = "SELECT relais.up_key ($1, $2, $4, $5, $6, to_timestamp ($3::double precision))";
      n = 6;
      values[3] = up->kind;
      values[4] = up->ref;
      values[5] = up->ref2;
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_SAFE) || g_str_equal (up->kind, RELAIS_CENTRAL_UP_SAFE_DELETE))
    {
      sql = "SELECT relais.push_safe ($1, $2, to_timestamp ($3::double precision), $4, $5, $6, $7, $8, $9, $10,"
            " $11, $12, $13, $14, $15)";
      n = 15;
      values[3] = up->kind;
      values[4] = up->ref;
      values[5] = gone;
      values[6] = up->state;
      BYTES (7, up->box_pk);
      BYTES (8, up->activation_hash);
      BYTES (9, up->recovery_hash);
      BYTES (10, up->salt);
      BYTES (11, up->verifier);
      BYTES (12, up->hub_secret);
      BYTES (13, up->wrapped_keys);
      values[14] = created;
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_DOCUMENT)
           || g_str_equal (up->kind, RELAIS_CENTRAL_UP_DOCUMENT_DELETE))
    {
      sql = "SELECT relais.push_document ($1, $2, to_timestamp ($3::double precision), $4, $5, $6, $7, $8, $9,"
            " $10, $11, $12)";
      n = 12;
      values[3] = up->kind;
      values[4] = up->ref;
      values[5] = up->ref2;
      values[6] = gone;
      values[7] = up->category;
      BYTES (8, up->head);
      BYTES (9, up->body);
      values[10] = up->deposited ? "t" : "f";
      values[11] = created;
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_ACCOUNT))
    {
      sql = "SELECT relais.push_account ($1, $2, to_timestamp ($3::double precision), $4, $5, $6, $7, $8)";
      n = 8;
      values[3] = up->ref;
      values[4] = gone;
      values[5] = up->display_name;
      values[6] = up->roles;
      values[7] = up->active ? "t" : "f";
    }
  else if (g_str_equal (up->kind, RELAIS_CENTRAL_UP_STATS))
    {
      const RelaisCentralMonth *m = &up->month;

      counts = g_strdup_printf ("{%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                                ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                                ",%" G_GINT64_FORMAT "}",
                                m->sessions, m->duration_s, m->pages_scanned, m->pages_printed, m->copies,
                                m->saved_usb, m->saved_safe, m->mail_checks, m->help_requests);
      sql = "SELECT relais.push_stats ($1, $2, to_timestamp ($3::double precision), $4, $5, $6::bigint[])";
      n = 6;
      values[3] = up->ref;
      values[4] = gone;
      values[5] = counts;
    }
  else
    {
      g_set_error (error, RELAIS_CENTRAL_ERROR, RELAIS_CENTRAL_ERROR_INVALID, "unknown kind « %s »", up->kind);
      return FALSE;
    }
#undef BYTES
  result = PQexecParams (conn, sql, n, NULL, values, lengths, formats, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) != 1)
    return _relais_central_fail (site, result, error);
  *applied += g_strcmp0 (PQgetvalue (result, 0, 0), "t") == 0;
  return TRUE;
}

static gboolean
exec_done (RelaisCentral *site,
           PGconn        *conn,
           const char    *sql,
           GError       **error)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return _relais_central_fail (site, result, error);
  return TRUE;
}

gboolean
relais_central_push_up (RelaisCentral *site,
                        GPtrArray     *ups,
                        guint         *applied,
                        GError       **error)
{
  PGconn *conn;
  guint   n_applied = 0;

  g_return_val_if_fail (site != NULL && ups != NULL, FALSE);

  conn = _relais_central_conn (site, error);
  if (conn == NULL || !exec_done (site, conn, "BEGIN", error))
    return FALSE;
  for (guint i = 0; i < ups->len; i++)
    if (!push_one (site, conn, g_ptr_array_index (ups, i), &n_applied, error))
      {
        if (PQstatus (conn) == CONNECTION_OK)
          exec_done (site, conn, "ROLLBACK", NULL);
        return FALSE;
      }
  if (!exec_done (site, conn, "COMMIT", error))
    return FALSE;
  if (applied != NULL)
    *applied = n_applied;
  return TRUE;
}

/* ---- down: a safe of another site ---- */

static GBytes *
value_bytes (PGresult *result,
             int       row,
             int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return g_bytes_new (PQgetvalue (result, row, column), PQgetlength (result, row, column));
}

static char *
value_dup (PGresult *result,
           int       row,
           int       column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strndup (PQgetvalue (result, row, column), PQgetlength (result, row, column));
}

/* A big-endian int8 of a binary result. */
static gint64
value_int64 (PGresult *result,
             int       row,
             int       column)
{
  guint64       v = 0;
  const guint8 *p = (const guint8 *) PQgetvalue (result, row, column);

  if (PQgetlength (result, row, column) != 8)
    return 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return (gint64) v;
}

RelaisCentralSafe *
relais_central_safe_fetch (RelaisCentral *site,
                           const char    *number,
                           GError       **error)
{
  PGconn            *conn;
  RelaisCentralSafe *safe;
  g_autoptr(PGresult) result = NULL;
  const char * const params[] = { number };

  g_return_val_if_fail (site != NULL && number != NULL, NULL);

  conn = _relais_central_conn (site, error);
  if (conn == NULL)
    return NULL;
  result = PQexecParams (conn,
                         "SELECT site_code, state, box_pk, activation_hash, recovery_hash, salt, verifier,"
                         " hub_secret, wrapped_keys, created_at FROM relais.safe_for_opening ($1)",
                         1, NULL, params, NULL, NULL, 1);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      _relais_central_fail (site, result, error);
      return NULL;
    }
  if (PQntuples (result) != 1)
    return NULL;
  safe = g_new0 (RelaisCentralSafe, 1);
  safe->site_code = value_dup (result, 0, 0);
  safe->record = g_new0 (RelaisSafeRecord, 1);
  safe->record->number = g_strdup (number);
  safe->record->state = value_dup (result, 0, 1);
  safe->record->box_pk = value_bytes (result, 0, 2);
  safe->record->activation_hash = value_bytes (result, 0, 3);
  safe->record->recovery_hash = value_bytes (result, 0, 4);
  safe->record->salt = value_bytes (result, 0, 5);
  safe->record->verifier = value_bytes (result, 0, 6);
  safe->record->hub_secret = value_bytes (result, 0, 7);
  safe->record->wrapped_keys = value_bytes (result, 0, 8);
  safe->record->created_at = value_int64 (result, 0, 9);
  return safe;
}

GPtrArray *
relais_central_safe_documents (RelaisCentral     *site,
                               RelaisCentralSafe *safe,
                               GHashTable        *have,
                               GError           **error)
{
  PGconn *conn;
  g_autoptr(PGresult) list = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_safe_document_free);
  const char * const params[] = { safe->site_code, safe->record->number };

  g_return_val_if_fail (site != NULL && safe != NULL, NULL);

  conn = _relais_central_conn (site, error);
  if (conn == NULL)
    return NULL;
  /* The list first (small), then each envelope alone: one 40 MB scan at
   * a time in memory, not a safe's 600 MB. */
  list = PQexecParams (conn,
                       "SELECT d.id, d.category, d.deposited::text, d.created_at::text FROM relais.safe_documents d"
                       " JOIN relais.safes s ON s.id = d.safe_id JOIN relais.sites t ON t.id = s.home_site_id"
                       " WHERE t.code = $1 AND s.number = $2 ORDER BY d.created_at, d.id LIMIT 5000",
                       2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (list) != PGRES_TUPLES_OK)
    {
      _relais_central_fail (site, list, error);
      return NULL;
    }
  for (int i = 0; i < PQntuples (list); i++)
    {
      RelaisCentralSafeDocument *d;
      const char                *id = PQgetvalue (list, i, 0);
      const char * const         one[] = { safe->site_code, safe->record->number, id };
      g_autoptr(PGresult) body = NULL;

      if (have != NULL && g_hash_table_contains (have, id))
        continue;
      body = PQexecParams (conn,
                           "SELECT d.head, d.body FROM relais.safe_documents d JOIN relais.safes s ON s.id = d.safe_id"
                           " JOIN relais.sites t ON t.id = s.home_site_id"
                           " WHERE t.code = $1 AND s.number = $2 AND d.id = $3",
                           3, NULL, one, NULL, NULL, 1);
      if (PQresultStatus (body) != PGRES_TUPLES_OK)
        {
          _relais_central_fail (site, body, error);
          return NULL;
        }
      if (PQntuples (body) != 1)
        continue; /* deleted meanwhile */
      d = g_new0 (RelaisCentralSafeDocument, 1);
      d->id = g_strdup (id);
      d->category = g_strdup (PQgetvalue (list, i, 1));
      d->deposited = g_str_equal (PQgetvalue (list, i, 2), "true");
      d->created_at = g_ascii_strtoll (PQgetvalue (list, i, 3), NULL, 10);
      d->head = value_bytes (body, 0, 0);
      d->body = value_bytes (body, 0, 1);
      g_ptr_array_add (out, d);
    }
  return g_steal_pointer (&out);
}

/* ---- the département ---- */

void
relais_central_month_row_free (RelaisCentralMonthRow *row)
{
  if (row == NULL)
    return;
  g_free (row->month);
  g_free (row->site);
  g_free (row);
}

GPtrArray *
relais_central_departement_months (RelaisCentral *departement,
                                   GError       **error)
{
  PGconn *conn;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_central_month_row_free);

  g_return_val_if_fail (departement != NULL, NULL);

  conn = _relais_central_conn (departement, error);
  if (conn == NULL)
    return NULL;
  result = PQexec (conn,
                   "SELECT month, sites, sessions, duration_s, pages_scanned, pages_printed, copies, saved_usb,"
                   " saved_safe, mail_checks, help_requests FROM relais.departement_months ORDER BY month");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      _relais_central_fail (departement, result, error);
      return NULL;
    }
  for (int i = 0; i < PQntuples (result); i++)
    {
      RelaisCentralMonthRow *r = g_new0 (RelaisCentralMonthRow, 1);
      RelaisCentralMonth    *m = &r->counts;

#define COUNT(k) g_ascii_strtoll (PQgetvalue (result, i, (k)), NULL, 10)
      r->month = value_dup (result, i, 0);
      r->sites = COUNT (1);
      m->sessions = COUNT (2);
      m->duration_s = COUNT (3);
      m->pages_scanned = COUNT (4);
      m->pages_printed = COUNT (5);
      m->copies = COUNT (6);
      m->saved_usb = COUNT (7);
      m->saved_safe = COUNT (8);
      m->mail_checks = COUNT (9);
      m->help_requests = COUNT (10);
#undef COUNT
      g_ptr_array_add (rows, r);
    }
  return g_steal_pointer (&rows);
}
