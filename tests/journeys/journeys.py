#!/usr/bin/python3
"""journeys.py: what residents and mediators do, from the programs' start
(issue 20). Each group starts a whole site as tools/relais-demo does (see
relais_journeys.py) and drives it through the accessibility tree, finding
every control by its role and its accessible name, as a screen reader does.

    journeys.py [GROUP…]     GROUP: languages, documents, help, idle, browser, letters,
                             multisite

Run by tests/journeys/run-journeys under Xvfb and a D-Bus session with an
accessibility bus; prints TAP. Screenshots: build/test-artifacts/journeys/.
"""

import html
import http.server
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from relais_journeys import (  # noqa: E402
    ARTIFACTS, SOURCE, Atspi, Site, Timeout, Words, main, name, role, showing, state, text_of, wait_until, walk,
)
from multisite import journey_multisite  # noqa: E402

# Checks that fail on main because another branch fixes them (issue 20).
# Each is reported "# TODO": meson counts it as an expected failure while it
# fails and as an unexpected pass (a failure) once the fix is merged. Remove
# an entry when its fix lands.
KNOWN_FAILING = {
}

LANGUAGES = [
    ("fr", "Français"), ("en", "English"), ("ar", "العربية"), ("es", "Español"),
    ("pt", "Português"), ("ro", "Română"), ("tr", "Türkçe"),
]
# The home page's tiles, each with its page's way back home.
TILES = [
    ("Numériser un document", "_Retour à l'accueil"),
    ("Photocopier", "_Retour à l'accueil"),
    ("Imprimer depuis une clé USB", "_Retour à l'accueil"),
    ("Mon courrier", "_Retour"),
    ("Mon coffre-fort", "_Accueil"),
    ("Demander de l'aide", "_Retour à l'accueil"),
]
HOME_TILE = TILES[0][0]
FR = Words("fr")
MEDIATOR = ("sophie", "relais-demo", "Sophie")       # the demo's mediator
OTHER_MEDIATOR = ("karim", "relais-test", "Karim")  # added by the journeys
CUPSD = os.path.join(SOURCE, "tests", "fixtures", "relais-cupsd")


# ---------------------------------------------------------------------------
# The station


PRINTED = "C'est imprimé. Prenez votre feuille dans l'imprimante."


def one_page(words):
    return words.n("%u page numérisée. Ajoutez une page, imprimez ou enregistrez.",
                   "%u pages numérisées. Ajoutez une page, imprimez ou enregistrez.", 1).replace("%u", "1")


def welcome(site, timeout=20):
    """The welcome screen shows (a session can begin)."""
    return site.station.wait("push button", "Français", timeout)


def begin(site, language="fr", large=False, screens=None):
    """Touches the language on the welcome screen; returns its Words. With
    @screens, a home page without its tiles is looked at before the end."""
    station = site.station
    welcome(site)
    if large:
        toggle = station.press("check box", FR("A+ _Grand texte"))
        wait_until(lambda: state(toggle, Atspi.StateType.CHECKED), 5, "« Grand texte » on")
    if screens is not None and language == "fr":
        screens.look(f"welcome {'large' if large else 'normal'}")
    station.press("push button", dict(LANGUAGES)[language])
    words = Words(language)
    try:
        station.wait("push button", words(HOME_TILE))
    except Timeout:
        if screens is not None:
            screens.look(f"{language} {'large' if large else 'normal'} home")
        raise
    return words


def end(site, words):
    """Touches « Terminer »; the next person finds the welcome screen."""
    site.station.press("push button", words("_Terminer"))
    welcome(site, 10)


def fresh_station(site):
    """The welcome screen, whatever an aborted journey left."""
    try:
        welcome(site, 2)
    except Timeout:
        site.restart_station()
        welcome(site)


class Screens:
    """What a person would find wrong, screen after screen, gathered so that
    one check covers a language and a text size."""

    def __init__(self, site):
        self.site = site
        self.blank, self.clipped, self.unnamed, self.small = [], [], [], []

    def look(self, where, app=None):
        app = app or self.site.station
        app.settle()
        controls = [name(c) for c in self.site.page_controls(app)]
        # A page shows at least its own way on and its way back, on screen.
        if len([n for n in controls if n.strip()]) < 2:
            self.blank.append(f"{where}: {controls}")
        clipped, unnamed, small = self.site.layout_problems(app)
        self.clipped += [f"{where}: {c}" for c in clipped]
        self.unnamed += [f"{where}: {c}" for c in unnamed]
        self.small += [f"{where}: {c}" for c in small]
        self.site.screenshot(where, app)

    def report(self, tap, prefix, touch=True):
        tap.check(f"{prefix}: every screen shows its controls", not self.blank, "\n".join(self.blank))
        tap.check(f"{prefix}: nothing cut off", not self.clipped, "\n".join(self.clipped))
        tap.check(f"{prefix}: every control has a name", not self.unnamed, "\n".join(self.unnamed))
        if touch:
            tap.check(f"{prefix}: every control at least 48×48 px", not self.small, "\n".join(self.small))


def keypad(site):
    """The on-screen keypad's digit keys showing now, by name, or None."""
    keys = {}
    for node in site.station.find_all("push button", re.compile(r"^[0-9]$")):
        keys.setdefault(name(node), node)
    return keys if len(keys) == 10 else None


def type_by_touch(tap, site, field, digits, what):
    """Touches @field, then the keypad's keys. Checks that there is a keypad
    and that the digits land in @field; without a keypad (a resident with no
    keyboard is stuck), types with the keyboard so the journey goes on."""
    station = site.station
    station.activate(field)
    keys = keypad(site)
    if not tap.check(f"{what}: an on-screen keypad", keys is not None, station.tree()):
        station.type_text(field, digits)
        return False
    for digit in digits:
        station.activate(keys[digit])
    typed = lambda: re.sub(r"\D", "", text_of(field) or "") == digits or (  # noqa: E731
        role(field) == "password text" and len(text_of(field) or "") == len(digits))
    try:
        wait_until(typed, 5, f"{digits} in {name(field)!r}")
        landed = True
    except Timeout:
        landed = False
    tap.check(f"{what}: the keypad types where the person touched", landed,
              f"{name(field)!r} holds {text_of(field)!r}\n{station.tree()}")
    if not landed:
        Atspi.EditableText.set_text_contents(field, digits)
    return landed


def type_letters_by_touch(tap, site, field, text, what):
    """Touches @field, then an on-screen keyboard's keys (named by their
    letter). Checks that there is one; without it, types with the keyboard
    so the journey goes on."""
    station = site.station
    station.activate(field)
    keys = {}
    for node in station.find_all("push button", re.compile(r"^\w$")):
        keys.setdefault(name(node).lower(), node)
    if not tap.check(f"{what}: an on-screen keyboard", all(c in keys for c in text.lower()),
                     "keys: " + " ".join(sorted(keys))):
        station.type_text(field, text)
        return False
    for letter in text.lower():
        station.activate(keys[letter])
    tap.step(f"{what}: the keyboard types where the person touched",
             lambda: wait_until(lambda: (text_of(field) or "").lower() == text.lower(), 5,
                                f"{text!r} in {name(field)!r}", dump=station.tree))
    return True


def open_new_safe(tap, site, words, number, code):
    """On the safe's page: the card's number and code, then a secret code."""
    station = site.station
    number_field = station.wait("text", words("Numéro de la carte"))
    # Nothing secret is asked before the station knows the safe.
    tap.check("the number is asked alone first", not station.find_all("password text"), station.tree())
    type_by_touch(tap, site, number_field, number, "the safe's card number")
    tap.check("the safe's number stays as typed",
              text_of(number_field) == number, f"{text_of(number_field)!r} for {number}")
    if text_of(number_field) != number:
        Atspi.EditableText.set_text_contents(number_field, number)
    site.screenshot("number typed")
    station.press("push button", words("_Continuer"))
    # A new safe: the code written on the card, once, then the secret code
    # chosen, twice.
    code_field = station.wait("text", words("Code écrit sur la carte"), 30)
    codes = [f for f in station.find_all("text") if name(f) == name(code_field)]
    tap.check("the first opening asks the card's code once", len(codes) == 1, station.tree())
    type_by_touch(tap, site, code_field, code, "the card's code")
    type_by_touch(tap, site, station.wait("password text", words("Votre code secret (4 à 8 chiffres)")), "2468",
                  "the new secret code")
    type_by_touch(tap, site, station.wait("password text", words("Le même code encore une fois")), "2468",
                  "the new secret code, again")
    site.screenshot("secret code chosen")
    station.press("push button", words("_Choisir ce code secret"))


def create_safe(tap, site):
    """At the console: a new safe; returns its number and one-time code."""
    console = site.console
    console_tab(site, "Coffres-forts")
    card_text = re.compile(r"Coffre n°\s*\d+")
    before = console.find(None, card_text)
    before = name(before) if before is not None else None
    console.press("push button", FR("C_réer le coffre"))
    # The card of the safe made before stays until the new one replaces it.
    card = tap.step("the console shows the new safe's number and one-time code",
                    lambda: wait_until(lambda: next((n for n in console.find_all(None, card_text)
                                                     if name(n) != before), None),
                                       30, "a new safe's card", dump=console.tree))
    match = re.search(r"Coffre n°\s*(\d+).*?(\d{4,})", name(card), re.S)
    tap.require("the safe's number and code read", match is not None, name(card))
    tap.note(f"safe {match.group(1)}, one-time code {match.group(2)}: {name(card)!r}")
    site.screenshot("safe created", console)
    recovery = re.search(r"secours\s*:\s*(\d+)", name(card))
    site.last_recovery_code = recovery.group(1) if recovery else None
    return match.group(1), match.group(2)


# ---------------------------------------------------------------------------
# The console


def log_in(site, who):
    login, password, display_name = who
    console = site.console
    console.type_text(console.wait("text", FR("_Identifiant"), 20), login)
    console.type_text(console.wait("password text", FR("_Mot de passe")), password)
    console.press("push button", FR("_Se connecter"))
    console.wait("push button", FR("Se _déconnecter"), 15)
    console.wait("label", display_name)


def log_out(site):
    site.console.press("push button", FR("Se _déconnecter"))
    site.console.wait("push button", FR("_Se connecter"), 10)


def console_tab(site, label):
    """The console's views are a stack switcher: radio buttons by name."""
    site.console.press("radio button", re.compile("^" + re.escape(FR(label))))


def console_texts(site):
    """Every word the console shows now: names, and what fields hold."""
    words = []
    for root in site.console.roots():
        for node in walk(root):
            words.append(name(node))
            if role(node) in ("text", "spin button", "label"):
                words.append(text_of(node) or "")
    return "\n".join(w for w in words if w)


class HubApi:
    """The console's API over HTTP, as a logged-in mediator: what a console
    would send, for what the journeys need ready (people, letters)."""

    def __init__(self, site, who):
        with open(os.path.join(site.dir, "mediator.conf")) as f:
            self.token = re.search(r"^token=(.*)$", f.read(), re.M).group(1)
        self.base = f"http://127.0.0.1:{site.port}/api/v1"
        self.session = None
        self.session = self.post("/login", {"login": who[0], "password": who[1]})["session"]

    def post(self, path, body):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if self.session:
            headers["X-Relais-Session"] = self.session
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), headers=headers)
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read() or b"{}")


# ---------------------------------------------------------------------------
# Printed paper: the PDFs cups-pdf wrote, read with poppler.


def pdfs(site):
    folder = os.path.join(site.cups_dir, "pdf")
    return len(os.listdir(folder)) if os.path.isdir(folder) else 0


def printed(tap, site, count, what):
    """Waits for the @count-th PDF of the site's printer; returns its path."""
    out = subprocess.run([CUPSD, "wait-pdf", site.cups_dir, str(count), "90"],
                         capture_output=True, text=True)
    paths = out.stdout.split("\n")
    paths = [p for p in paths if p.strip()]
    tap.require("a PDF comes out of the printer", out.returncode == 0 and len(paths) >= count,
                out.stderr + "\n" + "\n".join(os.listdir(os.path.join(site.cups_dir, "pdf"))))
    path = paths[count - 1]
    # For a person to look at, beside the screenshots.
    png = os.path.join(ARTIFACTS, f"{site.label}-printed-{count}-{re.sub(r'[^a-z0-9]+', '-', what.lower())}")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", path, png], capture_output=True)
    return path


def pdf_info(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    info = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_images(path):
    out = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True)
    return len(out.stdout.splitlines()[2:])


def pdf_text(path):
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout


def check_pdf(tap, what, path, pages=1, images=None, text=None):
    info = pdf_info(path)
    tap.check(f"poppler reads {pages} A4 page(s)",
              info.get("Pages") == str(pages) and "A4" in info.get("Page size", ""), str(info))
    if images is not None:
        found = pdf_images(path)
        tap.check("the printed page holds the scanned image", found >= images, f"{found} image(s)")
    if text is not None:
        found = pdf_text(path)
        tap.check(f"the printed page reads « {text} »", text in found, found)


def write_pdf(path, text):
    """A one-page PDF saying @text (Helvetica), as a resident's download."""
    one_page_pdf(path, f"BT /F1 28 Tf 72 700 Td ({text}) Tj ET".encode(), b"/BaseFont /Helvetica")


def one_page_pdf(path, content, font):
    """A one-page A4 PDF drawing @content with /F1 the Type 1 @font."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 " + font + b" >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


class UsbKey:
    """A USB key as the station sees one: a loop-mounted image under
    /run/media (GIO's unix volume monitor shows it), vfat when the kernel
    has it, else ext2 (as tests/test-usb.c), mounted where only the station
    sees it (Site.in_station_mounts). Needs root."""

    def __init__(self, site):
        self.site = site
        self.mount = None
        self.image = os.path.join(site.dir, "key.img")
        self.reason = None
        if os.geteuid() != 0:
            self.reason = "needs root to loop-mount a key"
            return
        with open("/proc/filesystems") as f:
            vfat = "\tvfat\n" in f.read()
        if vfat and shutil.which("mkfs.vfat"):
            self.fs, mkfs = "vfat", ["mkfs.vfat", "-n", "RELAIS", self.image]
        elif shutil.which("mke2fs"):
            self.fs, mkfs = "ext2", ["mke2fs", "-q", "-F", "-L", "RELAIS", self.image]
        else:
            self.reason = "neither vfat (dosfstools) nor ext2 (e2fsprogs) to make a key"
            return
        subprocess.run(["truncate", "-s", "8M", self.image], check=True)
        subprocess.run(mkfs, check=True, capture_output=True)

    def plug(self, files):
        """Mounts the key with @files (paths) on it; False if not allowed."""
        os.makedirs("/run/media", exist_ok=True)
        mount = tempfile.mkdtemp(prefix="relais-journey-", dir="/run/media")
        run = lambda command: subprocess.run(self.site.in_station_mounts(command),  # noqa: E731
                                             capture_output=True).returncode == 0
        if not run(["mount", "-o", "loop", "-t", self.fs, self.image, mount]):
            os.rmdir(mount)
            self.reason = "loop mounts are not allowed here"
            return False
        self.mount = mount
        for path in files:
            run(["cp", path, mount])
        run(["sync"])
        return True

    def mounted(self):
        return self.mount is not None and subprocess.run(
            self.site.in_station_mounts(["mountpoint", "-q", self.mount])).returncode == 0

    def remove(self):
        if self.mount is None:
            return
        if self.mounted():
            subprocess.run(self.site.in_station_mounts(["umount", self.mount]), capture_output=True)
        os.rmdir(self.mount)
        self.mount = None


# ---------------------------------------------------------------------------
# Journeys: languages


def journey_languages(tap):
    """Every language, every tile and back, in ordinary and large text."""
    with Site(tap, "languages", console=False) as site:
        for large in (False, True):
            mode = "large text" if large else "normal text"
            for code, _ in LANGUAGES:
                tap.run(f"{code} {mode}", walk_every_tile, site, code, large)


def walk_every_tile(tap, site, code, large):
    station = site.station
    fresh_station(site)
    screens = Screens(site)
    station.out_of_reach = screens.clipped
    try:
        words = begin(site, code, large, screens)
        screens.look(f"{code} {'large' if large else 'normal'} home")
        for tile, back in TILES:
            station.press("push button", words(tile))
            station.wait("push button", words(back))
            screens.look(f"{code} {'large' if large else 'normal'} {FR(tile)}")
            station.press("push button", words(back))
            station.wait("push button", words(HOME_TILE))
        end(site, words)
    finally:
        station.out_of_reach = None
        screens.report(tap, "screens")


# ---------------------------------------------------------------------------
# Journeys: documents


def journey_documents(tap):
    with Site(tap, "documents", printer=True) as site:
        tap.run("scan-print", scan_print, site)
        tap.run("photocopy", photocopy, site)
        tap.run("id-card", id_card, site)
        tap.run("usb", usb_print, site)
        tap.run("mail", my_mail, site)
        tap.run("safe", safe_first_opening, site)


def scan_print(tap, site):
    fresh_station(site)
    station = site.station
    words = begin(site)
    station.press("push button", words(HOME_TILE))
    station.press("push button", words("_Numériser"))
    tap.step("the scanner gives one page", lambda: station.wait_text(re.escape(one_page(words)), 30))
    site.screenshot("scanned")
    before = pdfs(site)
    station.press("push button", words("_Imprimer"))
    tap.step("the station says it is printed", lambda: station.wait_text(re.escape(words(PRINTED)), 60))
    site.screenshot("printed")
    path = printed(tap, site, before + 1, "scan")
    check_pdf(tap, "scan", path, images=1)
    end(site, words)


def photocopy(tap, site):
    fresh_station(site)
    station = site.station
    words = begin(site)
    station.press("push button", words("Photocopier"))
    before = pdfs(site)
    station.press("push button", words("_Photocopier"))
    tap.step("the station says it is printed", lambda: station.wait_text(re.escape(words(PRINTED)), 60))
    site.screenshot("photocopied")
    path = printed(tap, site, before + 1, "photocopy")
    check_pdf(tap, "photocopy", path, images=1)
    end(site, words)


def id_card(tap, site):
    fresh_station(site)
    station = site.station
    words = begin(site)
    station.press("push button", words(HOME_TILE))
    station.press("radio button", words("Une carte d'identité"))
    station.press("push button", words("Numériser le devant de la carte"))
    station.press("push button", words("Numériser le dos de la carte"), 30)
    tap.step("both sides make one page", lambda: station.wait_text(re.escape(one_page(words)), 30))
    site.screenshot("card both sides")
    before = pdfs(site)
    station.press("push button", words("_Imprimer"))
    tap.step("the station says it is printed", lambda: station.wait_text(re.escape(words(PRINTED)), 60))
    path = printed(tap, site, before + 1, "id card")
    check_pdf(tap, "id card", path, images=1)
    end(site, words)


def usb_print(tap, site):
    fresh_station(site)
    key = UsbKey(site)
    document = os.path.join(site.dir, "attestation.pdf")
    write_pdf(document, "Attestation CAF de Aminata")
    if key.reason is not None or not key.plug([document]):
        tap.skip("print a document from a USB key", key.reason)
        return
    try:
        station = site.station
        words = begin(site)
        station.press("push button", words("Imprimer depuis une clé USB"))
        document = tap.step("the station lists the key's document",
                            lambda: station.wait("label", "attestation.pdf", 20))
        site.screenshot("key's documents")
        station.activate(document)
        before = pdfs(site)
        station.press("push button", words("_Imprimer"))
        tap.step("the station says it is printed", lambda: station.wait_text(re.escape(words(PRINTED)), 60))
        site.screenshot("printed from the key")
        path = printed(tap, site, before + 1, "usb")
        check_pdf(tap, "usb", path, text="Attestation CAF de Aminata")
        end(site, words)
        # The next person must not find the key readable.
        tap.step("the end of the session unmounts the key",
                 lambda: wait_until(lambda: not key.mounted(), 15, "the key to be unmounted"))
    finally:
        key.remove()


def my_mail(tap, site):
    fresh_station(site)
    api = HubApi(site, MEDIATOR)
    api.post("/mail/people", {"number": "1042", "surname": "Diallo", "first_names": "Aminata",
                              "birth_date": "1980-04-02", "notify": "none"})
    api.post("/mail/batch", {"key": "journey-mail", "items": [{"number": "1042", "count": 2}]})
    station = site.station
    words = begin(site)
    station.press("push button", words("Mon courrier"))
    number = station.wait("text", words("Votre numéro"))
    type_by_touch(tap, site, number, "1042", "Mon courrier's number")
    birth = station.wait("text", words("Votre date de naissance"))
    type_by_touch(tap, site, birth, "02041980", "Mon courrier's birth date")
    site.screenshot("number and date typed")
    station.press("push button", words("_Vérifier"))
    answer = words.n("%d courrier vous attend.\nRetrait à l'accueil : %s.",
                     "%d courriers vous attendent.\nRetrait à l'accueil : %s.", 2).split("\n")[0] % 2
    tap.step("the station says two letters wait", lambda: station.wait_text(re.escape(answer), 15))
    site.screenshot("letters waiting")
    end(site, words)


def safe_first_opening(tap, site):
    fresh_station(site)
    log_in(site, MEDIATOR)
    number, code = create_safe(tap, site)
    log_out(site)
    station = site.station
    words = begin(site)
    station.press("push button", words("Mon coffre-fort"))
    open_new_safe(tap, site, words, number, code)
    tap.step("the safe opens", lambda: station.wait("push button", words("_Fermer mon coffre"), 60))
    site.screenshot("safe open")
    tap.check("it says the safe is empty",
              station.find(None, re.compile(re.escape(words("Votre coffre est vide")))) is not None, station.tree())
    end(site, words)


# ---------------------------------------------------------------------------
# Journeys: help and the console


def journey_help(tap):
    with Site(tap, "help") as site:
        tap.run("help-arabic", help_in_arabic, site)
        tap.run("console-privacy", console_privacy, site)


def help_in_arabic(tap, site):
    fresh_station(site)
    station, console = site.station, site.console
    log_in(site, MEDIATOR)
    # The console shows another view: nobody has the queue on screen,
    # though a mediator is at the console (its window has the focus).
    console_tab(site, "Postes")
    tap.check("the console's window has the focus", state(console.window(), Atspi.StateType.ACTIVE))
    site.screenshot("console on another view", console)
    words = begin(site, "ar")
    station.press("push button", words("Demander de l'aide"))
    arabic = station.wait("radio button", "العربية")
    site.screenshot("help page")
    tap.check("« Je parle » preselects the session's language (العربية)",
              state(arabic, Atspi.StateType.CHECKED),
              "checked: " + ", ".join(name(r) for r in station.find_all("radio button")
                                      if state(r, Atspi.StateType.CHECKED)))
    station.press("push button", words("Autre chose"))
    tap.step("the station says the request is sent, in Arabic",
             lambda: station.wait_text(re.escape(words("Votre demande est envoyée.")) + "|"
                                       + re.escape(words("Vu ✓ Un médiateur a vu votre demande.")), 15))
    # The request reached the console, in a view that is not on screen.
    tap.step("the request reaches the console",
             lambda: wait_until(lambda: any("poste-1" in name(n) for n in walk(console.window(), only_showing=False)
                                            if role(n) == "label"), 15, "the request on the console"))
    seen = re.compile(re.escape(words("Vu ✓ Un médiateur a vu votre demande.")))
    try:
        wait_until(lambda: station.find("label", seen), 3, "« Vu » on the station")
        early = True
    except Timeout:
        early = False
    site.screenshot("raised, queue not on screen")
    tap.check("no « Vu » while the console shows another view", not early, station.tree())
    tab = console.find("radio button", re.compile("^" + re.escape(FR("Demandes d'aide"))))
    said = " ".join([name(tab)] + [name(n) for n in walk(tab)])
    tap.check("the console's help tab says how many requests wait", re.search(r"\b1\b", said) is not None, said)
    console_tab(site, "Demandes d'aide")
    row = tap.step("the queue on screen shows the request", lambda: console.wait_text(r"poste-1", 10))
    site.screenshot("queue on screen", console)
    tap.check("the console shows the request's language (Arabic)",
              re.search(r"parle\s*:\s*(ar\b|arabe|العربية)", name(row), re.I) is not None, name(row))
    tap.step("« Vu » once the console shows the queue", lambda: station.wait("label", seen, 15))
    site.screenshot("seen")
    console.press("push button", FR("Je m'en _occupe"))
    tap.step("the console says « prise par Sophie »",
             lambda: console.wait_text(re.escape(FR("prise par %s") % MEDIATOR[2]), 10))
    coming = words("%s arrive.") % MEDIATOR[2]
    tap.step("the station says « Sophie arrive. » in Arabic", lambda: station.wait_text(re.escape(coming), 15))
    site.screenshot("taken")
    site.screenshot("taken", console)
    console.press("push button", FR("_Terminé"))
    tap.step("the station thanks the resident in Arabic",
             lambda: station.wait_text(re.escape(words("Demande terminée. Merci !")), 15))
    tap.step("the request leaves the console's queue",
             lambda: wait_until(lambda: console.find("label", re.compile("poste-1 — ")) is None, 10,
                                "the row to go", dump=console.tree))
    site.screenshot("resolved")
    site.screenshot("resolved", console)
    end(site, words)
    log_out(site)


def console_privacy(tap, site):
    """Sophie's work, then Karim logs in on the same console: none of it shows."""
    fresh_station(site)
    station, console = site.station, site.console
    api = HubApi(site, MEDIATOR)
    api.post("/mail/people", {"number": "2077", "surname": "Kowalczyk", "first_names": "Jadwiga",
                              "birth_date": "1955-11-30", "notify": "none"})
    log_in(site, MEDIATOR)
    # A resident puts a scan in a new safe and lets Sophie see it.
    number, code = create_safe(tap, site)
    words = begin(site)
    station.press("push button", words(HOME_TILE))
    station.press("push button", words("_Numériser"))
    station.wait_text(re.escape(one_page(words)), 30)
    station.press("push button", words("Dans mon _coffre-fort"))
    tap.step("the safe asks what kind of paper it is",
             lambda: station.wait_text(re.escape(words("Quel genre de papier est-ce ? Touchez une image.")), 30))
    title = station.wait("text", words("Nom du document"))
    type_letters_by_touch(tap, site, title, "Quittance", "the document's name")
    # The keys came over the screen: put away, as the resident would.
    station.press("push button", words("Fini"))
    station.press("push button", words("Logement"))
    open_new_safe(tap, site, words, number, code)
    tap.step("the document is in the safe", lambda: station.wait(None, re.compile("Quittance"), 60))
    station.press("push button", words("Autoriser un _médiateur"))
    login = station.wait("text", words("Nom du médiateur"))
    type_letters_by_touch(tap, site, login, MEDIATOR[0], "the mediator's login")
    station.press("push button", words("Fini"))
    station.press("push button", words("_Autoriser"))
    tap.step("the resident consents to Sophie", lambda: station.wait_text(re.escape(MEDIATOR[0]), 30))
    site.screenshot("consent given")
    end(site, words)
    consult = console.find_all("text", FR("Numéro du coffre"))[-1]
    console.type_text(consult, number)
    console.press("push button", FR("_Voir les documents"))
    tap.step("Sophie sees the consented document", lambda: console.wait_text("Quittance", 30))
    site.screenshot("consented documents", console)
    # A help request, taken and resolved.
    console_tab(site, "Demandes d'aide")
    words = begin(site)
    station.press("push button", words("Demander de l'aide"))
    station.press("push button", words("Le scanner"))
    tap.step("Sophie sees the request", lambda: console.wait_text(r"poste-1", 15))
    console.press("push button", FR("Je m'en _occupe"))
    console.press("push button", FR("_Terminé"))
    tap.step("Sophie takes and resolves it",
             lambda: station.wait_text(re.escape(words("Demande terminée. Merci !")), 15))
    end(site, words)
    # Another safe: its one-time code shows once.
    number, code = create_safe(tap, site)
    # A hand-over search for someone without a card.
    console_tab(site, "Courrier")
    console.press("radio button", FR("Remettre"))
    search = console.wait("text", FR("ou son _nom :"))
    console.type_text(search, "Kowal")
    tap.step("Sophie's hand-over search finds the person", lambda: console.wait_text("(?i)kowalczyk", 10))
    site.screenshot("sophie's work", console)
    log_out(site)
    log_in(site, OTHER_MEDIATOR)
    secrets = {"Sophie's name": MEDIATOR[2], "the safe's number": number,
               "the safe's one-time code": code, "the hand-over search": "kowal",
               "the document a resident let Sophie see": "quittance"}
    if site.last_recovery_code is not None:
        secrets["the safe's recovery code"] = site.last_recovery_code
    seen = {}
    screens = Screens(site)
    for view in ("Demandes d'aide", "Postes", "Courrier", "Coffres-forts"):
        console_tab(site, view)
        subviews = [None]
        if view == "Courrier":
            subviews = ["Enregistrer", "Remettre", "Personnes", "Retours à l'expéditeur",
                        "Messages non partis", "Textes des messages"]
        for subview in subviews:
            if subview is not None:
                console.press("radio button", FR(subview))
            where = f"karim {view}" + (f" {subview}" if subview else "")
            screens.look(where, console)
            texts = console_texts(site).lower()
            for what, secret in secrets.items():
                if secret.lower() in texts:
                    seen.setdefault(what, []).append(where)
    for what in secrets:
        tap.check(f"after the logout, {what} shows nowhere", what not in seen,
                  f"{secrets[what]!r} seen in: {', '.join(seen.get(what, []))}")
    screens.report(tap, "the console's views", touch=False)
    log_out(site)


def journey_idle(tap):
    # The idle end comes 35 s after the last touch: long enough to raise a
    # request untouched by the countdown (the last 30 s).
    with Site(tap, "idle", station_keys=["idle-timeout=35"]) as site:
        tap.run("help-then-idle", help_then_idle, site)


def help_then_idle(tap, site):
    fresh_station(site)
    station, console = site.station, site.console
    log_in(site, MEDIATOR)
    console_tab(site, "Demandes d'aide")
    words = begin(site)
    station.press("push button", words("Demander de l'aide"))
    station.press("push button", words("Mon courrier"))
    tap.step("the request reaches the console", lambda: console.wait_text(r"poste-1", 15))
    site.screenshot("raised", console)
    # Nobody touches the station: the countdown, then the end.
    tap.step("the station counts down", lambda: station.wait("push button", words("Je suis encore _là"), 30))
    site.screenshot("countdown")
    # The countdown shows the last 30 s; the end comes at the next tick after.
    tap.step("the session ends by itself", lambda: welcome(site, 45))
    site.screenshot("session ended")
    try:
        console.wait_text(r"(?i)\bparti(e)?\b", 10)
        gone = True
    except Timeout:
        gone = False
    site.screenshot("after the end", console)
    tap.check("the console shows the request closed as « parti »", gone, console.tree())
    log_out(site)


# ---------------------------------------------------------------------------
# The browser (issue 14)


def multipart_files(content_type, body, field):
    """(file name, bytes) of each part of a multipart/form-data @body named
    @field, byte for byte (RFC 7578: parts between "--boundary" lines, each
    its headers, an empty line, its bytes, then CRLF)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        return []
    found = []
    for part in body.split(b"--" + match.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        head = head.decode("utf-8", "replace")
        if re.search(r'\bname="%s"' % re.escape(field), head) is None:
            continue
        filename = re.search(r'filename="([^"]*)"', head)
        found.append((filename.group(1) if filename else "", data[:-2] if data.endswith(b"\r\n") else data))
    return found


class AdminSite:
    """A site that behaves like an administration's, on loopback: one logs
    in (an HttpOnly session cookie; the page also keeps a script's cookie
    and a localStorage value), sends a document through a file field (the
    site checks what it receives), and gets an attestation (a PDF) handed
    over as such sites do ("votre téléchargement va commencer"). Its home
    page says what this browser remembers of anyone: the next person's
    must remember nothing. It records what it received, and every request's
    cookies, for the journey to check."""

    LOGIN, PASSWORD = "marie", "secret"
    SESSION = "jeton-marie"
    TITLE = "Caisse d'essai"

    def __init__(self, folder):
        self.pdf = os.path.join(folder, "attestation.pdf")
        write_pdf(self.pdf, "Attestation de paiement CAF")
        self.folder = folder
        self.logins = 0
        self.received = []      # (file name, bytes, what the site found)
        self.cookies = []       # (path, Cookie header or "")
        site = self

        def page(title, body):
            return ("<!DOCTYPE html><html lang=fr><head><meta charset=utf-8>"
                    f"<title>{site.TITLE} — {title}</title>"
                    "<style>body{font-size:22px} input,button{font-size:22px;margin:8px}</style>"
                    f"</head><body><h1>{title}</h1>{body}</body></html>")

        # What the page itself remembers (a script's cookie, localStorage),
        # said in words a screen reader reads.
        memory = ("<p id=memoire>…</p><script>"
                  "var kept = [];"
                  "if (document.cookie.indexOf('vue=oui') >= 0) kept.push('un cookie');"
                  "if (localStorage.getItem('caisse-essai')) kept.push('un stockage local');"
                  "document.getElementById('memoire').textContent = 'Ce navigateur se souvient de : '"
                  " + (kept.length ? kept.join(' et ') : 'rien');</script>")

        class Handler(http.server.BaseHTTPRequestHandler):
            def logged_in(self):
                return f"session={site.SESSION}" in (self.headers.get("Cookie") or "")

            def send(self, body, content_type="text/html; charset=utf-8", headers=()):
                if isinstance(body, str):
                    body = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                site.cookies.append((self.path, self.headers.get("Cookie") or ""))
                if self.path == "/attestation.pdf" and self.logged_in():
                    with open(site.pdf, "rb") as f:
                        self.send(f.read(), "application/pdf",
                                  [("Content-Disposition", 'attachment; filename="attestation.pdf"')])
                elif self.path == "/attestation" and self.logged_in():
                    self.send(page("Mon attestation",
                                   "<meta http-equiv=refresh content='1;url=/attestation.pdf'>"
                                   "<p>Le téléchargement va commencer.</p>"
                                   "<p><a href=/attestation.pdf>Mon attestation</a></p>"))
                elif self.path == "/upload" and self.logged_in():
                    self.send(page("Envoyer un justificatif",
                                   "<form method=post action=/upload enctype=multipart/form-data>"
                                   "<p><label>Votre justificatif <input type=file name=document id=document "
                                   "accept=application/pdf></label></p>"
                                   "<p><button type=submit id=envoyer>Envoyer le justificatif</button></p></form>"))
                elif self.logged_in():
                    self.send(page("Mon compte", "<p>Bonjour Marie.</p>"
                                   "<p><a href=/upload>Envoyer un justificatif</a></p>"
                                   "<p><a href=/attestation>Mon attestation</a></p>" + memory))
                else:
                    self.send(page("Connexion",
                                   "<form method=post action=/login>"
                                   "<p><label>Identifiant <input name=identifiant id=identifiant "
                                   "autocomplete=off></label></p>"
                                   "<p><label>Mot de passe <input type=password name=mdp id=mdp></label></p>"
                                   "<p><button type=submit id=connexion>Se connecter</button></p></form>"
                                   + memory))

            def do_POST(self):
                site.cookies.append((self.path, self.headers.get("Cookie") or ""))
                length = int(self.headers.get("Content-Length") or 0)
                if length > 16 * 1024 * 1024:
                    self.send_error(413)
                    return
                body = self.rfile.read(length)
                if self.path == "/login":
                    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
                    if form.get("identifiant") == [site.LOGIN] and form.get("mdp") == [site.PASSWORD]:
                        site.logins += 1
                        self.send(page("Mon compte", "<p>Vous êtes connectée.</p>"
                                       "<p><a href=/upload>Envoyer un justificatif</a></p>"
                                       "<p><a href=/attestation>Mon attestation</a></p>"
                                       "<script>localStorage.setItem('caisse-essai', 'marie');"
                                       "document.cookie = 'vue=oui; path=/; max-age=86400';</script>"),
                                  headers=[("Set-Cookie", f"session={site.SESSION}; Path=/; HttpOnly")])
                    else:
                        self.send(page("Connexion", "<p>Identifiant ou mot de passe incorrect : "
                                       f"{html.escape(repr(form))}</p>"))
                elif self.path == "/upload" and self.logged_in():
                    said = site.check_upload(self.headers.get("Content-Type") or "", body)
                    self.send(page("Justificatif", f"<p id=recu>{html.escape(said)}</p>"))
                else:
                    self.send(page("Connexion", "<p>Votre session a expiré. Connectez-vous.</p>"))

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def check_upload(self, content_type, body):
        """What the site says of a form's document: its name, its size, and
        whether it is a PDF poppler opens, with how many pages."""
        for filename, data in multipart_files(content_type, body, "document"):
            path = os.path.join(self.folder, f"recu-{len(self.received)}.pdf")
            with open(path, "wb") as f:
                f.write(data)
            info = pdf_info(path)
            found = {"name": filename, "size": len(data),
                     "pages": int(info.get("Pages", "0") or 0), "path": path,
                     "images": pdf_images(path) if info.get("Pages") else 0}
            self.received.append(found)
            if not data.startswith(b"%PDF-") or not found["pages"]:
                return f"Refusé : {filename} n'est pas un PDF lisible ({len(data)} octets)."
            return (f"Reçu : {filename}, {found['pages']} page(s), {len(data)} octets. "
                    "Votre justificatif est bien arrivé.")
        return "Refusé : aucun document dans le formulaire."

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def journey_browser(tap):
    folder = tempfile.mkdtemp(prefix="relais-journey-site-", dir="/var/tmp")
    # The received files are the site's to read (poppler): readable to all.
    os.chmod(folder, 0o755)
    admin = AdminSite(folder)
    try:
        conf = f"[browser]\nsites={AdminSite.TITLE}|{admin.url}|relais-web\n"
        with Site(tap, "browser", printer=True, station_conf=conf, private_home=True) as site:
            tap.run("whole-session", browser_whole_session, site, admin)
    finally:
        admin.close()
        shutil.rmtree(folder, ignore_errors=True)


def web_page(site, title=None, timeout=30):
    """The site's page in the station's browser: the document where
    WebKit's accessibility tree starts (its web process's, under the view),
    once its name (the page's title) matches @title."""
    station = site.station
    pattern = re.compile(title) if title is not None else None

    def find():
        for tabs in station.find_all("page tab list"):
            for node in walk(tabs, only_showing=False):
                if role(node) == "document web" and showing(node) and (
                        pattern is None or pattern.search(name(node))):
                    return node
        return None

    return wait_until(find, timeout, f"the site's page /{title}/", dump=station.tree)


def web_text(page):
    """Every word the page shows, as a screen reader reads it."""
    return "\n".join(t for t in ([name(page)] + [text_of(n) or name(n) for n in walk(page)]) if t)


def type_in_page(tap, site, field, text, what):
    """Touches a site's text field, then the station's on-screen keyboard's
    letters (keys named by their letter), then « Fini »: the field holds
    @text (a password field as many bullets)."""
    station = site.station
    station.activate(field)
    keys = tap.step(f"{what}: the on-screen keyboard shows",
                    lambda: wait_until(lambda: {name(k).lower(): k for k in station.find_all(
                        "push button", re.compile(r"^\w$"))} if station.find(
                        "push button", FR("Fini")) else None, 10, "the keyboard", dump=station.tree))
    for letter in text:
        station.activate(keys[letter])
    secret = role(field) == "password text"
    tap.step(f"{what}: the keyboard types in the site's field",
             lambda: wait_until(lambda: (len(text_of(field) or "") == len(text)) if secret
                                else (text_of(field) or "") == text, 10,
                                f"{text!r} in {name(field)!r}", dump=lambda: f"{text_of(field)!r}"))
    station.press("push button", FR("Fini"))


def station_files(site):
    """Every file the station may write to, by path: its home, temporary
    folder, XDG folders (the site's own) and the session's runtime folder
    (run-journeys's), with whether each is a socket."""
    folders = [site.env["HOME"], site.env["TMPDIR"], site.env["XDG_STATE_HOME"], site.env["XDG_DATA_HOME"],
               site.env["XDG_CONFIG_HOME"], site.env["XDG_CACHE_HOME"], os.environ["XDG_RUNTIME_DIR"]]
    found = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            for entry in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                path = os.path.join(root, entry)
                try:
                    found[path] = stat.S_ISSOCK(os.lstat(path).st_mode)
                except OSError:
                    pass
    return found


def web_processes(site):
    """The station's WebKit web processes alive now (pids), its descendants
    whose program is WebKitWebProcess (in their bubblewrap sandbox)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found = set()
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor != site.station.process.pid:
            ancestor = parents.get(ancestor)
        if not ancestor:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"WebKitWebProcess" in f.read().split(b"\0")[0]:
                    found.add(pid)
        except OSError:
            pass
    return found


def sandbox_child(path):
    """The process a WebKit sandbox's bwrapinfo.json names, if alive."""
    try:
        with open(path) as f:
            pid = json.load(f).get("child-pid")
        return pid if pid and os.path.exists(f"/proc/{pid}") else None
    except (OSError, ValueError):
        return None


def left_behind(before, after, session_processes):
    """What a session left: every file new since @before, but the sockets of
    WebKit's D-Bus proxies (no content) and the bwrapinfo.json of a sandbox
    alive now that served none of @session_processes (the next person's
    browser, made ahead)."""
    left = []
    for path, socket in sorted(after.items()):
        if path in before:
            continue
        if socket and "/webkitgtk/" in path:
            continue
        if re.search(r"/\.flatpak/webkit-[0-9]+-[0-9]+/bwrapinfo\.json$", path):
            child = sandbox_child(path)
            if child is not None and not any(_descends(p, child) for p in session_processes):
                continue
        left.append(path)
    return left


def _descends(pid, ancestor):
    """Whether process @pid is @ancestor or below it (False once gone)."""
    while pid and pid != ancestor:
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return pid == ancestor


def browser_whole_session(tap, site, admin):
    """A person's whole session on an administration's site (issue 14),
    from the station's start: a page scanned → the site's tile → log in
    with the on-screen keyboard (a session cookie) → the scanned page sent
    through the station's own chooser (the site checks what it receives) →
    the attestation downloaded and printed (cups-pdf, poppler) → help asked
    from the site (the console says « Sur le site : » and the host) →
    « Terminer »: nothing left on disk, the session's web process gone,
    and the next person's browser knows nothing of the last."""
    fresh_station(site)
    station, console = site.station, site.console
    log_in(site, MEDIATOR)
    console_tab(site, "Demandes d'aide")
    before = station_files(site)

    words = begin(site)
    station.press("push button", words(HOME_TILE))
    station.press("push button", words("_Numériser"))
    tap.step("the scanner gives one page", lambda: station.wait_text(re.escape(one_page(words)), 30))
    site.screenshot("page scanned")
    station.press("push button", words("_Retour à l'accueil"))

    station.press("push button", words("Internet"))
    site.screenshot("sites")
    station.press("push button", AdminSite.TITLE)
    # WebKit's processes start with the first site: seconds on this machine.
    page = tap.step("the site's tile opens its log-in page", lambda: web_page(site, "— Connexion$", 90))
    tap.check("the site's page says its browser remembers nothing",
              "Ce navigateur se souvient de : rien" in web_text(page), web_text(page))
    session_processes = web_processes(site)
    tap.check("the site runs in a web process of the station's", bool(session_processes), "none found")
    site.screenshot("site log-in")

    type_in_page(tap, site, station.wait("entry", "Identifiant", 10, within=page), AdminSite.LOGIN, "identifiant")
    site.screenshot("identifiant typed")
    type_in_page(tap, site, station.wait("password text", "Mot de passe", 10, within=page), AdminSite.PASSWORD,
                 "mot de passe")
    station.press("push button", "Se connecter", within=web_page(site))
    page = tap.step("the site says the person is logged in", lambda: web_page(site, "— Mon compte$", 30))
    tap.step("« Vous êtes connectée. »", lambda: wait_until(lambda: "Vous êtes connectée." in web_text(page), 10,
                                                            "the page's text", dump=lambda: web_text(page)))
    tap.check("the site set its session cookie once", admin.logins == 1, f"{admin.logins} log-ins")
    site.screenshot("logged in")

    # The scanned page, through the site's file field: the station's own
    # chooser, never the file system.
    station.press("link", "Envoyer un justificatif", within=page)
    page = tap.step("the site's upload page opens, the session still on", lambda: web_page(site, "— Envoyer", 30))
    field = station.wait("push button", re.compile("justificatif|Parcourir|Choisir|fichier", re.I), 10, within=page)
    station.activate(field)
    tile = tap.step("the station's chooser offers the page scanned in this session",
                    lambda: station.wait(None, words("Numérisé ici") + " : " + words("document-numerise.pdf"), 20))
    site.screenshot("upload chooser")
    station.activate(tile)
    page = web_page(site, "— Envoyer", 20)
    station.press("push button", "Envoyer le justificatif", within=page)
    page = tap.step("the site says what it received", lambda: web_page(site, "— Justificatif$", 60))
    said = web_text(page)
    site.screenshot("upload received")
    received = admin.received[-1] if admin.received else {}
    tap.check("the site received the scanned page as a PDF poppler reads, one page with its image",
              received.get("name") == "document-numerise.pdf" and received.get("pages") == 1
              and received.get("images", 0) >= 1, f"{received}\n{said}")
    tap.check("the site's page says it arrived", "Votre justificatif est bien arrivé." in said, said)

    # The attestation: the site hands it over as a download.
    station.press("push button", words("Page précédente"))
    page = web_page(site, "— Envoyer", 20)
    station.press("push button", words("Page précédente"))
    page = web_page(site, "— Mon compte$", 20)
    station.press("link", "Mon attestation", within=page)
    tap.step("the site's attestation becomes a document of the session",
             lambda: station.wait_text(re.escape(words("Document reçu : %s").replace("%s", "attestation.pdf")), 60))
    site.screenshot("downloaded")
    before_print = pdfs(site)
    station.press("push button", words("Imprimer le _document"))
    path = printed(tap, site, before_print + 1, "attestation")
    check_pdf(tap, "attestation", path, text="Attestation de paiement CAF")
    site.screenshot("printed")

    # Stuck on the site: the request says where (host and page title),
    # never the address's path or query.
    during = station_files(site)
    station.press("push button", words("J'ai besoin d'_aide"))
    station.press("push button", words("Autre chose"))
    row = tap.step("the console's queue says « Sur le site : » the site and its page",
                   lambda: console.wait_text(r"Sur le site : 127\.0\.0\.1 — " + re.escape(AdminSite.TITLE), 15))
    site.screenshot("help from the site")
    site.screenshot("help from the site", console)
    tap.check("the request carries no address, only the host", "http" not in name(row), name(row))
    tap.check("a site's request is not said to be a letter", "Courrier" not in name(row), name(row))
    session_processes |= web_processes(site)
    # The page scanned went to the site only: « Terminer » says it will be
    # erased, and the person confirms.
    station.press("push button", words("_Terminer"))
    confirm = tap.step("« Terminer » warns that the scanned page will be erased",
                       lambda: station.wait("push button", words("Terminer et tout effacer"), 10))
    site.screenshot("end warns")
    station.activate(confirm)
    tap.step("the next person finds the welcome screen", lambda: welcome(site, 15))

    # Nothing of the session stays: no file, no web process.
    tap.step("the session's web processes are gone",
             lambda: wait_until(lambda: not (session_processes & web_processes(site)), 20,
                                "the session's web processes to end",
                                dump=lambda: f"{session_processes & web_processes(site)}"))
    try:
        wait_until(lambda: not left_behind(before, station_files(site), session_processes), 20,
                   "the session's files to go")
    except Timeout:
        pass
    left = left_behind(before, station_files(site), session_processes)
    # The check looks where the session's files were: the page given to the
    # site (the uploads' folder), the sandbox's.
    made = sorted(set(during) - set(before))
    tap.note("the session's files, while it ran: " + ", ".join(p.replace(site.dir, "SITE") for p in made))
    tap.check("the session had files of its own where the check looks",
              any("/relais-web-" in p for p in made), "\n".join(made))
    tap.check("nothing of the session is left under HOME, the XDG folders, TMPDIR or the runtime folder",
              not left, "\n".join(left) + "\nduring the session: "
              + ", ".join(sorted(set(during) - set(before))))

    # The next person: the same site knows nothing of the last one.
    words = begin(site)
    since = len(admin.cookies)
    station.press("push button", words("Internet"))
    station.press("push button", AdminSite.TITLE)
    page = tap.step("the next person's site asks to log in again", lambda: web_page(site, "— Connexion$", 90))
    tap.step("the next person's browser remembers nothing (no cookie, no local storage)",
             lambda: wait_until(lambda: "Ce navigateur se souvient de : rien" in web_text(page), 10,
                                "the page's memory", dump=lambda: web_text(page)))
    sent = [cookie for _, cookie in admin.cookies[since:] if cookie]
    tap.check("the next person's browser sends the site no cookie", not sent, "\n".join(sent))
    site.screenshot("next person")
    end(site, words)
    log_out(site)


# ---------------------------------------------------------------------------
# Journeys: understanding a letter (issue 16)

LETTER = [
    "Caisse d'allocations familiales",
    "Numéro allocataire : 0457 1289 B",
    "Saint-Denis, le 14 novembre 2026",
    "Objet : trop-perçu d'aide personnalisée au logement",
    "Madame,",
    "Vous avez reçu trop d'APL. Cette somme est un indu.",
    "Le montant à rembourser est de 1 234,56 €.",
    "Vous devez payer avant le 15 janvier 2027.",
    "Cette décision peut faire l'objet d'un recours gracieux.",
]


def write_letter_pdf(path, lines):
    """A one-page letter in Helvetica 13 pt, WinAnsi (accents and €), as a
    CAF letter saved on a key; one page, so one page to recognise."""
    def escape(line):
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
    content = b"BT /F1 13 Tf 16 TL 72 760 Td " + b" ".join(b"(%s) '" % escape(line) for line in lines) + b" ET"
    one_page_pdf(path, content, b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding")


def scroll_into_view(app, node, timeout=10):
    """As a finger would: the wheel over @node's scrolled area until all of
    @node shows inside it (a card taller than the screen)."""
    pane = node.get_parent()
    while pane is not None and role(pane) != "scroll pane":
        pane = pane.get_parent()
    if pane is None:
        return

    def box(n):
        e = n.get_extents(Atspi.CoordType.SCREEN)
        return e.x, e.y, e.width, e.height

    def inside():
        x, y, w, h = box(pane)
        bx, by, bw, bh = box(node)
        if by >= y and by + bh <= y + h:
            return True
        Atspi.generate_mouse_event(x + w // 2, y + h // 2, "abs")
        Atspi.generate_mouse_event(x + w // 2, y + h // 2, "b5c" if by + bh > y + h else "b4c")
        app.settle()
        return False

    wait_until(inside, timeout, f"{name(node)!r} scrolled into view", dump=app.tree)


def journey_letters(tap):
    # No sound card, as in CI: the station must say so and not hang.
    os.environ["PULSE_SERVER"] = "unix:/nonexistent/relais-no-sound"
    os.environ["ALSA_CONFIG_PATH"] = "/dev/null"
    with Site(tap, "letters") as site:
        tap.run("usb-letter", usb_letter, site)


def usb_letter(tap, site):
    """Home → « Comprendre un courrier » → a CAF letter (PDF) on the key →
    its facts and glossary words, through the accessibility tree → « Lire à
    voix haute » with no sound card → help for this letter: the console's
    queue says « Courrier : » sender — kind, and nothing of the text."""
    fresh_station(site)
    station, console = site.station, site.console
    key = UsbKey(site)
    document = os.path.join(site.dir, "courrier-caf.pdf")
    write_letter_pdf(document, LETTER)
    if key.reason is not None or not key.plug([document]):
        tap.skip("read a letter from a USB key", key.reason)
        return
    screens = Screens(site)
    try:
        log_in(site, MEDIATOR)
        console_tab(site, "Demandes d'aide")
        words = begin(site)
        station.press("push button", words("Comprendre un courrier"))
        chooser = station.wait("push button", words("Choisir un document déjà là"), 10)
        screens.look("letter start")
        station.activate(chooser)
        tile = tap.step("the chooser shows the key's letter",
                        lambda: station.wait(None, words("Clé USB") + " : courrier-caf.pdf", 20))
        screens.look("letter chooser")
        station.activate(tile)
        # One page of OCR: seconds, more on a loaded machine (a bound).
        tap.step("the facts card names the sender",
                 lambda: station.wait_text(re.escape(words("De la part de : %s") % "CAF"), 180))
        screens.look("letter read")
        for fact in (words("À faire avant le : %s") % "15 janvier 2027", words("Somme à payer : %s") % "1 234,56 €"):
            tap.step(f"the card says « {fact} »", lambda fact=fact: station.wait_text(re.escape(fact), 5))
        letter = station.wait(None, words("Le courrier lu"), 5)
        said = letter.get_description() or ""
        tap.check("a screen reader hears the glossary's words found (indu, trop-perçu)",
                  re.search(r"\b(indu|trop-perçu)\b", said, re.I) is not None, said)
        station.press("push button", words("Lire à voix haute"), 5)
        tap.step("with no sound card the page says so",
                 lambda: station.wait_text(re.escape(words("Le son ne marche pas sur ce poste. Demandez de l’aide.")), 15))
        tap.step("the play button is back, the page not stuck",
                 lambda: station.wait("push button", words("Lire à voix haute"), 10))
        screens.look("letter no sound")
        ask = station.wait("push button", words("Demander de l'aide pour ce courrier"), 5)
        tap.step("the help button scrolls into view", lambda: scroll_into_view(station, ask))
        station.activate(ask)
        row = tap.step("the console's queue says « Courrier : CAF — » and the kind",
                       lambda: console.wait_text(re.compile(r"poste-1.*Courrier : CAF — \w", re.S), 15))
        site.screenshot("letter help", console)
        tap.step("the station says a mediator is told, where the person sees it",
                 lambda: station.wait_text(re.escape(words("Un médiateur est prévenu. Il vient vous aider avec ce courrier.")), 15))
        screens.look("letter help asked")
        tap.check("the request carries nothing of the letter's text",
                  not re.search(r"1 234|0457|indu|Diallo|janvier", name(row)), name(row))
        tap.check("a letter's request is not said to be on a site",
                  "Sur le site" not in name(row), name(row))
        end(site, words)
        log_out(site)
        screens.report(tap, "letters")
    finally:
        key.remove()


GROUPS = {
    "languages": journey_languages,
    "documents": journey_documents,
    "help": journey_help,
    "idle": journey_idle,
    "browser": journey_browser,
    "letters": journey_letters,
    "multisite": journey_multisite,
}

if __name__ == "__main__":
    sys.exit(main(GROUPS, KNOWN_FAILING, sys.argv[1:]))
