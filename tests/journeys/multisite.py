"""multisite.py: the département's journey (issue 19), as docs/multi-site.md
sets one up: a throwaway PostgreSQL 15 cluster made the central registry by
`relais-hub central-setup`, two bodies (the CCAS, the Secours Catholique),
three sites, each a real relais-hub with `[central] url=…` and a console of
its own on its own screen; site C (the CCAS's antenna) has a station too
and reaches the centre over TLS (verify-full), as docs/multi-site.md says.

A mediator at A records a person through the console's form; at B, another
body, a mediator starting a new file for the same name and birth date reads
« Déjà domicilié(e) par : … ». B is cut from the centre (its role refused,
as tests/test-central-sites.c does): B's console answers from its copy and
says so, and B records its own file for her. The centre lets B in again:
A sees B's file, C sees both. Meanwhile C's station asks for help and C's
console, joined to the centre, gets it as a single site would.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

from relais_journeys import BUILD, Atspi, GLib, Site, Timeout, Words, free_port, name, role, state, wait_until, walk

FR = Words("fr")
PG_BIN = "/usr/lib/postgresql/15/bin/"
OWNER = "relais_owner"
MEDIATOR = ("sophie", "relais-demo", "Sophie")   # every site's, from relais-site-config
ORGANISATIONS = [("ccas", "CCAS de Villeneuve"), ("secours", "Secours Catholique")]
# (label, organisation, code, name, role)
SITES = [
    ("multisite-a", "ccas", "ccas-centre", "CCAS — centre", "site_ccas_centre"),
    ("multisite-b", "secours", "secours-gare", "Secours Catholique — gare", "site_secours_gare"),
    ("multisite-c", "ccas", "ccas-nord", "CCAS — antenne nord", "site_ccas_nord"),
]
ELSEWHERE = re.compile("^" + re.escape("Déjà domicilié(e) par : "))


class Cluster:
    """initdb and pg_ctl in a temporary folder, as tests/relais-test-pg.c
    does: the owner trusted on the folder's socket, the sites' roles with a
    SCRAM password over TCP on 127.0.0.1."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="relais-journey-pg-", dir="/var/tmp")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "log")
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._pg([PG_BIN + "initdb", "-D", self.data, "-U", OWNER, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync"])
        self._write("pg_hba.conf", f"local all {OWNER} trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
        with open(os.path.join(self.data, "postgresql.conf")) as f:
            conf = f.read()
        self._write("postgresql.conf", conf + f"""
listen_addresses = '127.0.0.1'
port = {self.port}
unix_socket_directories = '{self.dir}'
max_connections = 40
shared_buffers = 16MB
fsync = off
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '{self.dir}/tls/server.pem'
ssl_key_file = '{self.dir}/tls/server.key'
""")
        self.ca = self._make_tls()
        self._pg([PG_BIN + "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start"])

    def _make_tls(self):
        """The département's authority and the server's certificate, as
        docs/multi-site.md makes them (for 127.0.0.1 here). Returns the
        authority's file, the sites' sslrootcert."""
        tls = os.path.join(self.dir, "tls")
        os.makedirs(tls)
        with open(os.path.join(tls, "server.ext"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for argv in (["req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                      "-subj", "/CN=Registre Relais du departement (journey)",
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                     ["req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
                     ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                      "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]):
            subprocess.run(["openssl", *argv], cwd=tls, check=True, capture_output=True)
        os.chmod(os.path.join(tls, "server.key"), 0o600)
        if os.geteuid() == 0:
            for file in ("server.key", "server.pem"):
                shutil.chown(os.path.join(tls, file), "postgres", "postgres")
        return os.path.join(tls, "ca.pem")

    def _pg(self, argv):
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, capture_output=True)

    def _write(self, file, text):
        path = os.path.join(self.data, file)
        with open(path, "w") as f:
            f.write(text)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    def owner_url(self, database):
        return f"postgresql:///{database}?host={self.dir}&port={self.port}&user={OWNER}"

    def sql(self, database, command):
        """One statement as the owner (psql on the socket); its output."""
        return subprocess.run([PG_BIN + "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                               "-d", self.owner_url(database), "-c", command],
                              check=True, capture_output=True, text=True).stdout.strip()

    def close(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._pg([PG_BIN + "pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def central_setup(owner_url, *args, stdin=None):
    hub = os.path.join(BUILD, "mediator", "hub", "relais-hub")
    return subprocess.run([hub, "central-setup", owner_url, *args], input=stdin, text=True,
                          capture_output=True, check=True)


def departement(cluster, folder):
    """The registry as docs/multi-site.md makes it; each site's [central]
    group (its password in a passfile, never in hub.conf)."""
    cluster.sql("postgres", "CREATE DATABASE relais")
    owner = cluster.owner_url("relais")
    central_setup(owner)
    for code, title in ORGANISATIONS:
        central_setup(owner, "organisation", code, title)
    groups = {}
    for label, organisation, code, title, role_name in SITES:
        password = os.urandom(12).hex()
        central_setup(owner, "site", organisation, code, title, role_name, stdin=password + "\n")
        passfile = os.path.join(folder, f"{label}.pgpass")
        with open(passfile, "w") as f:
            f.write(f"127.0.0.1:{cluster.port}:relais:{role_name}:{password}\n")
        os.chmod(passfile, 0o600)
        # C over TLS, its server's certificate and name checked.
        tls = f"sslmode=verify-full&sslrootcert={cluster.ca}&" if label == "multisite-c" else ""
        groups[label] = (f"[central]\nurl=postgresql://{role_name}@127.0.0.1:{cluster.port}/relais"
                         f"?{tls}passfile={passfile}\n")
    return groups


# ---------------------------------------------------------------------------
# The console


def log_in(site):
    console = site.console
    console.type_text(console.wait("text", FR("_Identifiant"), 30), MEDIATOR[0])
    console.type_text(console.wait("password text", FR("_Mot de passe")), MEDIATOR[1])
    console.press("push button", FR("_Se connecter"))
    console.wait("push button", FR("Se _déconnecter"), 20)


def people_form(site):
    """Courrier › Personnes, as the desk opens it."""
    console = site.console
    console.press("radio button", re.compile("^" + re.escape(FR("Courrier"))))
    console.press("radio button", FR("Personnes"))
    console.wait("text", FR("N_om(s) :"), 10)


def choose(site, label, index, item):
    """Picks @item, the @index-th choice of the combo box @label names,
    through its AT-SPI selection, as a screen reader's user does. A combo
    box's accessible name is its choice: it is found by its label."""
    tag = in_form(site, "label", label)
    combo = None
    for relation in tag.get_relation_set() or []:
        if relation.get_relation_type() == Atspi.RelationType.LABEL_FOR:
            combo = relation.get_target(0)
    if combo is None or role(combo) != "combo box":
        raise Timeout(f"{label!r} labels no combo box")
    combo.get_selection_iface().select_child(index)
    wait_until(lambda: _safe_name(combo) == FR(item), 5, f"{item!r} chosen in {label!r}")


def _safe_name(acc):
    try:
        return acc.get_name()
    except GLib.Error:
        return None


def in_form(site, want_role, label):
    """A control of the people's form by role and accessible name, also
    where the form's scrolled area hides it: a screen reader's user reaches
    it with Tab. (Pointer events go to the station's screen, not the
    console's: no wheel here.)"""
    console = site.console

    def find():
        for root in console.roots():
            for node in walk(root, only_showing=False):
                if role(node) == want_role and name(node) == FR(label) and state(node, Atspi.StateType.VISIBLE):
                    return node
        return None

    return wait_until(find, 10, f"[{want_role}] {FR(label)!r} in the form", dump=console.tree)


def press_below(site, label):
    """Tab to a button of the form, then its AT-SPI action."""
    button = in_form(site, "push button", label)
    wait_until(lambda: state(button, Atspi.StateType.SENSITIVE), 10, f"{FR(label)!r} to be sensitive")
    button.grab_focus()
    Atspi.Action.do_action(button, 0)


def type_person(site, surname, first_names, birth):
    """A new file: the number left empty, the name and birth date typed."""
    for label, value in (("_N° d'usager :", ""), ("N_om(s) :", surname), ("_Prénom(s) :", first_names),
                         ("Né(e) _le :", birth)):
        site.console.type_text(in_form(site, "text", label), value)


def elsewhere(site, want, timeout=20, retype=None):
    """The « Déjà domicilié(e) par » line's accessible name once it holds
    every regex of @want; @retype types the birth date again (a new
    question) while it does not."""
    console = site.console
    deadline = time.monotonic() + timeout
    while True:
        try:
            return wait_until(lambda: next((name(n) for n in console.find_all("label", ELSEWHERE)
                                            if all(re.search(w, name(n)) for w in want)), None),
                              3, f"« Déjà domicilié(e) par » with {want}")
        except Timeout:
            if time.monotonic() >= deadline:
                said = [name(n) for n in console.find_all("label", ELSEWHERE)]
                raise Timeout(f"waited {timeout} s for « Déjà domicilié(e) par » with {want}; it says {said}")
            if retype is not None:
                retype()


def save_with_application(tap, site, who):
    """« Enregistrer la personne », then the decision « demande reçue »,
    nobody notified."""
    console = site.console
    choose(site, "Préve_nir par :", 2, "aucun message")
    press_below(site, "En_registrer la personne")
    tap.step(f"{who}: the console says the file is recorded",
             lambda: console.wait_text(r"^✓ Fiche de .* enregistrée, n° \S+", 15))
    choose(site, "_Décision :", 3, "demande reçue")
    press_below(site, "Enregistrer la _décision (la personne n'est pas prévenue)")
    tap.step(f"{who}: the console says the application is recorded",
             lambda: console.wait_text(r"^✓ Décision enregistrée", 15))


# ---------------------------------------------------------------------------


def journey_multisite(tap):
    if not os.path.exists(PG_BIN + "initdb"):
        tap.skip("multisite", "postgresql-15 is not installed")
        return
    cluster = Cluster()
    folder = tempfile.mkdtemp(prefix="relais-journey-multisite-", dir="/var/tmp")
    sites = []
    try:
        groups = departement(cluster, folder)
        tap.check("relais-hub central-setup made the registry, two bodies and three sites",
                  cluster.sql("relais", "SELECT count (*) FROM relais.sites") == "3")
        for label, *_ in SITES:
            site = Site(tap, label, station=label == "multisite-c", hub_conf=groups[label], console_x=label)
            sites.append(site.__enter__())
        tap.run("multisite", departement_day, *sites, cluster)
    finally:
        for site in reversed(sites):
            site.__exit__(None, None, None)
        cluster.close()
        shutil.rmtree(folder, ignore_errors=True)


def departement_day(tap, a, b, c, cluster):
    for site in (a, b, c):
        log_in(site)
    tap.check("three hubs joined to the centre answer their consoles", True)

    # C: its station's help request reaches its console while joined.
    c.console.press("radio button", re.compile("^" + re.escape(FR("Demandes d'aide"))))
    c.station.wait("push button", "Français", 30)
    c.station.press("push button", "Français")
    c.station.press("push button", FR("Demander de l'aide"))
    c.station.press("push button", FR("Autre chose"))
    tap.step("C: the station's help request reaches C's console",
             lambda: c.console.wait_text(r"poste-1", 20))
    c.screenshot("help at C")
    c.screenshot("help at C", c.console)
    c.console.press("push button", FR("Je m'en _occupe"))
    tap.step("C: the station says « Sophie arrive. »", lambda: c.station.wait_text(r"Sophie arrive\.", 15))
    c.console.press("push button", FR("_Terminé"))
    c.station.press("push button", FR("_Terminer"))

    # A: the desk records Marie Louise Dupont's application.
    people_form(a)
    type_person(a, "Dupont", "Marie Louise", "02/04/1980")
    time.sleep(2)   # the console asks 400 ms after the last key; the centre answers
    tap.check("A: nobody domiciles her elsewhere yet", not a.console.find_all("label", ELSEWHERE),
              [name(n) for n in a.console.find_all("label", ELSEWHERE)])
    save_with_application(tap, a, "A")
    a.screenshot("A records Marie Dupont", a.console)

    # B, another body: a new file for the same person.
    people_form(b)

    def retype_b():
        type_person(b, "DUPONT", "Marie", "")
        type_person(b, "DUPONT", "Marie", "02/04/1980")

    type_person(b, "DUPONT", "Marie", "02/04/1980")
    said = tap.step("B: « Déjà domicilié(e) par : CCAS de Villeneuve (CCAS — centre, demande en cours) »",
                    lambda: elsewhere(b, [r"CCAS de Villeneuve \(CCAS — centre, demande en cours\)"], 30, retype_b))
    b.screenshot("B sees A's application", b.console)
    tap.check("B: the answer is the centre's (no word of a copy)", "copie" not in said, said)

    # B cut from the centre: its role refused, its sessions ended.
    time.sleep(2.5)  # B's copy follows the centre each second
    cluster.sql("relais", "ALTER ROLE site_secours_gare NOLOGIN")
    cluster.sql("relais", "SELECT count (pg_terminate_backend (pid)) FROM pg_stat_activity"
                          " WHERE usename = 'site_secours_gare'")
    retype_b()
    said = tap.step("B, cut off: the answer comes from B's copy, and the line says so",
                    lambda: elsewhere(b, [r"CCAS de Villeneuve \(CCAS — centre, demande en cours\)",
                                          r"ne répond pas", r"copie"], 20, retype_b))
    tap.check("B, cut off: no server address in the line", "127.0.0.1" not in said and cluster.dir not in said,
              said)
    b.screenshot("B cut off answers from its copy", b.console)
    save_with_application(tap, b, "B, cut off")
    b.screenshot("B records its own file offline", b.console)

    # The centre lets B in again: everything converges.
    cluster.sql("relais", "ALTER ROLE site_secours_gare LOGIN")
    type_person(a, "Dupont", "Marie", "")

    def retype_a():
        type_person(a, "Dupont", "Marie", "")
        type_person(a, "Dupont", "Marie", "02/04/1980")

    retype_a()
    tap.step("A, once B is back: « Déjà domicilié(e) par : Secours Catholique (…) »",
             lambda: elsewhere(a, [r"Secours Catholique \(Secours Catholique — gare, demande en cours\)"],
                               45, retype_a))
    a.screenshot("A sees B's file", a.console)
    retype_b()
    said = tap.step("B, back: its console reads the centre again",
                    lambda: elsewhere(b, [r"CCAS de Villeneuve \(CCAS — centre, demande en cours\)"], 30, retype_b))
    tap.check("B, back: the answer is the centre's again", "copie" not in said, said)
    tap.check("B, back: its own file is not « elsewhere »", "Secours" not in said, said)

    people_form(c)

    def retype_c():
        type_person(c, "Dupont", "Marie", "")
        type_person(c, "Dupont", "Marie", "02/04/1980")

    retype_c()
    said = tap.step("C (the CCAS's antenna) sees both files",
                    lambda: elsewhere(c, [r"CCAS de Villeneuve \(CCAS — centre, demande en cours\)",
                                          r"Secours Catholique \(Secours Catholique — gare, demande en cours\)"],
                                      30, retype_c))
    tap.check("C: the answer is the centre's", "copie" not in said, said)
    c.screenshot("C sees both", c.console)
    ssl = cluster.sql("relais", "SELECT DISTINCT a.usename || '=' || s.ssl FROM pg_stat_ssl s"
                                "  JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'site_ccas_nord'")
    tap.check("C reaches the centre over TLS (verify-full)", ssl == "site_ccas_nord=true", ssl)
    counts = cluster.sql("relais", "SELECT s.code || '=' || count (p.*) FROM relais.sites s"
                                   " LEFT JOIN relais.people p ON p.home_site_id = s.id GROUP BY s.code ORDER BY 1")
    tap.check("the centre holds one file from A and one from B, each once",
              counts.split() == ["ccas-centre=1", "ccas-nord=0", "secours-gare=1"], counts)
