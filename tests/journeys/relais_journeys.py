"""relais_journeys.py: what the journey tests stand on.

A Site is a whole Relais site on this machine, as the demo starts it: the
configuration tools/relais-site-config writes, then relais-hub, relais-mediator
and relais-station as processes (the built binaries). The station has the X
server it was started under (xvfb-run's, 1280 × 800: the smallest screen a
station has), the console a second one of its own, as on the mediator's PC:
each has its own pointer and keyboard focus. One accessibility bus serves
both (the D-Bus session's).

Programs are driven through the accessibility tree (AT-SPI): every control is
found by its role and its accessible name, as a screen reader finds it. The
station is touched with real pointer clicks (XTest, through AT-SPI) at the
place its tree says, which also proves the control is on screen; the console
is driven with AT-SPI actions, as a screen reader user drives it.

Results are TAP lines. A check listed in the journeys' KNOWN_FAILING table is
reported "# TODO": meson counts it as an expected failure while it fails, and
as a failure (unexpected pass) once the fix lands, so the list stays honest.
"""

import fnmatch
import gettext
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import gi

gi.require_version("Atspi", "2.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Atspi, Gdk, GLib  # noqa: E402

SOURCE = os.environ.get("RELAIS_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("RELAIS_BUILD_DIR") or os.path.join(SOURCE, "build")
ARTIFACTS = os.path.join(os.environ.get("RELAIS_TEST_ARTIFACTS") or os.path.join(BUILD, "test-artifacts"),
                         "journeys")
LOCALEDIR = os.environ.get("RELAIS_LOCALEDIR") or os.path.join(BUILD, "assets", "po")

# The roles a person acts on: each must have a name and be big enough to touch.
CONTROL_ROLES = {
    "push button", "toggle button", "radio button", "check box", "spin button",
    "text", "password text", "combo box", "slider", "menu item", "page tab",
}
# What a person reads or touches: each must be on screen, whole.
SEEN_ROLES = CONTROL_ROLES | {"label", "icon", "image", "list item", "progress bar"}
# The kiosk's smallest touch target (BRIEF: 48 × 48 px).
TOUCH_PX = 48


class JourneyAbort(Exception):
    """A step could not be done: the rest of this journey is skipped."""


class Timeout(JourneyAbort):
    pass


# ---------------------------------------------------------------------------
# TAP with expected failures


class Tap:
    def __init__(self, known_failing):
        self.known = known_failing          # {glob pattern: reason}
        self.count = 0
        self.failed = 0
        self.used = set()
        self.journey = ""
        self.ran = []           # journeys that ran to their end

    def _known_reason(self, name):
        for pattern, reason in self.known.items():
            if fnmatch.fnmatchcase(name, pattern):
                self.used.add(pattern)
                return reason
        return None

    def check(self, name, ok, detail=""):
        """One TAP line. Returns OK so a journey may branch on it."""
        self.count += 1
        full = f"{self.journey}: {name}" if self.journey else name
        reason = self._known_reason(full)
        line = f"{'ok' if ok else 'not ok'} {self.count} - {full}"
        if reason is not None:
            line += f" # TODO known failing: {reason}"
        elif not ok:
            self.failed += 1
        print(line, flush=True)
        if detail and (not ok or reason is not None):
            for text in str(detail).splitlines():
                print(f"# {text}", flush=True)
        return ok

    def require(self, name, ok, detail=""):
        """A check the rest of the journey depends on."""
        if not self.check(name, ok, detail):
            raise JourneyAbort(name)

    def skip(self, name, reason):
        self.count += 1
        full = f"{self.journey}: {name}" if self.journey else name
        print(f"ok {self.count} - {full} # SKIP {reason}", flush=True)

    def step(self, name, wait):
        """One step of a journey, told in the TAP stream: @wait returns what
        it waited for, or raises Timeout, which ends the journey."""
        try:
            value = wait()
        except Timeout as error:
            self.require(name, False, str(error))
        self.check(name, True)
        return value

    def run(self, journey_name, journey, *args):
        """Runs one journey; a step it could not do ends it, not the others."""
        self.journey = journey_name
        started = time.monotonic()
        ok = True
        try:
            journey(self, *args)
        except JourneyAbort as error:
            ok = self.check("journey runs to its end", False, str(error))
        except Exception:
            ok = self.check("journey runs to its end", False, traceback.format_exc())
        if ok:
            self.ran.append(journey_name)
        if not ok and args and isinstance(args[0], Site):
            for app in (args[0].station, args[0].console):
                if app is not None and app.alive():
                    try:
                        self.note("screenshot: " + args[0].screenshot("failed", app))
                    except Exception as error:  # a dead display says nothing more
                        self.note(f"no screenshot: {error}")
        self.note(f"{journey_name}: {time.monotonic() - started:.1f} s")
        self.journey = ""
        return ok

    def note(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)

    def finish(self):
        print(f"1..{self.count}", flush=True)


# ---------------------------------------------------------------------------
# Translations: a control's expected name in the session's language.


class Words:
    def __init__(self, language):
        self.language = language
        if language == "fr":
            self.translation = gettext.NullTranslations()
        else:
            self.translation = gettext.translation("relais", LOCALEDIR, languages=[language])

    def __call__(self, french):
        """The accessible name GTK gives a label: translated, mnemonic gone."""
        return strip_mnemonic(self.translation.gettext(french))

    def n(self, singular, plural, count):
        return self.translation.ngettext(singular, plural, count)


def strip_mnemonic(text):
    return re.sub(r"_(.)", r"\1", text.replace("__", "\0")).replace("\0", "_")


# ---------------------------------------------------------------------------
# The accessibility tree


def _safe(call, default=None):
    try:
        return call()
    except GLib.Error:
        return default


def role(acc):
    return _safe(acc.get_role_name, "")


def name(acc):
    """The name a screen reader speaks: the accessible name, else the
    labels that say they label this control (a GtkLabel's mnemonic widget)."""
    own = _safe(acc.get_name, "") or ""
    if own:
        return own
    labels = []
    for relation in _safe(acc.get_relation_set, []) or []:
        if relation.get_relation_type() == Atspi.RelationType.LABELLED_BY:
            for i in range(relation.get_n_targets()):
                target = relation.get_target(i)
                labels.append(_safe(target.get_name, "") or "")
    return " ".join(label for label in labels if label)


def showing(acc):
    states = _safe(acc.get_state_set)
    return states is not None and states.contains(Atspi.StateType.SHOWING)


def state(acc, which):
    states = _safe(acc.get_state_set)
    return states is not None and states.contains(which)


def extents(acc):
    """(x, y, width, height) on the screen, or None."""
    rect = _safe(lambda: acc.get_extents(Atspi.CoordType.SCREEN))
    if rect is None:
        return None
    return (rect.x, rect.y, rect.width, rect.height)


def children(acc):
    count = _safe(acc.get_child_count, 0)
    result = []
    for i in range(count):
        child = _safe(lambda: acc.get_child_at_index(i))
        if child is not None:
            result.append(child)
    return result


def walk(acc, only_showing=True, _depth=0):
    """Every node under @acc, depth first; hidden branches are skipped."""
    if _depth > 60:
        return
    for child in children(acc):
        if only_showing and not showing(child):
            continue
        yield child
        yield from walk(child, only_showing, _depth + 1)


def matches(acc, want_role, want_name):
    if want_role is not None and role(acc) != want_role:
        return False
    if want_name is None:
        return True
    got = name(acc)
    if isinstance(want_name, re.Pattern):
        return want_name.search(got) is not None
    if callable(want_name):
        return want_name(got)
    return got == want_name


def text_of(acc):
    text = _safe(acc.get_text_iface)
    if text is None:
        return None
    return _safe(lambda: Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)), "")


def describe(acc, depth=0, limit=400):
    """The showing tree under @acc, one node a line, for failure reports."""
    lines = []

    def visit(node, depth):
        if len(lines) >= limit:
            return
        box = extents(node)
        where = f" @{box[0]},{box[1]} {box[2]}x{box[3]}" if box else ""
        r = role(node)
        value = f" text={text_of(node)!r}" if r in ("text", "password text", "spin button") else ""
        lines.append(f"{'  ' * depth}[{r}] {name(node)!r}{where}{value}")
        for child in children(node):
            if showing(child):
                visit(child, depth + 1)

    visit(acc, depth)
    return "\n".join(lines)


def wait_until(predicate, timeout, what, dump=None):
    """Polls @predicate until it returns something true, at most @timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            detail = f"waited {timeout:g} s for {what}"
            if dump is not None:
                detail += "\n" + dump()
            raise Timeout(detail)
        time.sleep(0.1)


def steady_extents(node, gap=0.05):
    """@node's place once GTK has laid it out: the same on two reads. A
    page that just changed may still report its old layout (the header's
    buttons move when the help button shows again), and a touch there
    would land on what was there before."""
    first = extents(node)
    time.sleep(gap)
    second = extents(node)
    if first != second or second is None or second[2] <= 0 or second[3] <= 0:
        return None
    return second


def inside(box, outer, slack=0):
    x, y, w, h = box
    ox, oy, ow, oh = outer
    return x >= ox - slack and y >= oy - slack and x + w <= ox + ow + slack and y + h <= oy + oh + slack


# ---------------------------------------------------------------------------
# Programs


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """One program of the site, its process and its accessible application."""

    def __init__(self, site, program, argv, display, log_name, touch):
        self.site = site
        self.program = program
        self.display = display
        self.touch = touch
        self.log_path = os.path.join(site.dir, log_name)
        self.process = None
        self.argv = argv
        self.accessible = None
        # None: a control out of reach ends the journey. A list: it is
        # pressed through its AT-SPI action and noted there, so that a walk
        # through every screen goes on past a screen that does not fit.
        self.out_of_reach = None

    def start(self, timeout=30):
        env = dict(self.site.env)
        if self.display is not None:
            env["DISPLAY"] = self.display
        with open(self.log_path, "ab") as log:
            # In the test's process group: a test killed on its timeout
            # takes its programs with it.
            self.process = subprocess.Popen(self.argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        if self.display is None:
            return
        self.accessible = wait_until(self._find_application, timeout,
                                     f"{self.program} on the accessibility bus")
        wait_until(self.window, timeout, f"{self.program}'s window")

    def _find_application(self):
        if self.process.poll() is not None:
            raise JourneyAbort(f"{self.program} exited ({self.process.returncode}):\n{self.log()}")
        desktop = Atspi.get_desktop(0)
        for app in children(desktop):
            if _safe(app.get_process_id) == self.process.pid:
                return app
        return None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # -- the tree --------------------------------------------------------

    def application(self):
        """The program's accessible application, found again when the
        process has executed itself anew: the station does after a session
        that loaded its browser (station-application.c), same pid, a new
        application on the accessibility bus and the old one gone."""
        if not self.alive():
            raise JourneyAbort(f"{self.program} exited ({self.process.returncode}):\n{self.log()[-4000:]}")
        if _safe(self.accessible.get_process_id) != self.process.pid:
            self.accessible = self._find_application() or self.accessible
        return self.accessible

    def window(self):
        """The program's main window (its one showing frame)."""
        for child in children(self.application()):
            if role(child) == "frame" and showing(child):
                return child
        return None

    def dialogs(self):
        return [c for c in children(self.application())
                if role(c) in ("dialog", "alert", "file chooser") and showing(c)]

    def tree(self):
        window = self.window()
        text = describe(window) if window else "(no window)"
        for dialog in self.dialogs():
            text += "\n" + describe(dialog)
        return text

    def roots(self):
        window = self.window()
        return self.dialogs() + ([window] if window is not None else [])

    def find_all(self, want_role, want_name=None, within=None):
        result = []
        for root in ([within] if within is not None else self.roots()):
            for node in walk(root):
                if matches(node, want_role, want_name):
                    result.append(node)
        return result

    def find(self, want_role, want_name=None, within=None):
        found = self.find_all(want_role, want_name, within)
        return found[0] if found else None

    def wait(self, want_role, want_name=None, timeout=10, within=None):
        return wait_until(lambda: self.find(want_role, want_name, within), timeout,
                          f"[{want_role}] {want_name!r} in {self.program}", dump=self.tree)

    def wait_text(self, pattern, timeout=10, within=None):
        """A label (or any node) whose name matches @pattern (a regex)."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        return wait_until(lambda: self.find(None, regex, within), timeout,
                          f"text /{regex.pattern}/ in {self.program}", dump=self.tree)

    def settle(self, timeout=5):
        """Waits until what shows stays where it is (see steady_extents)."""
        def layout():
            window = self.window()
            return [extents(window)] + [(role(n), extents(n)) for n in walk(window)]

        def same_twice():
            first = layout()
            time.sleep(0.05)
            return first == layout()

        wait_until(same_twice, timeout, f"{self.program}'s screen to settle", dump=self.tree)

    # -- acting ----------------------------------------------------------

    def press(self, want_role, want_name, timeout=10, within=None):
        """Finds a control by role and name, then activates it: a pointer
        click at its centre on the station, its AT-SPI action elsewhere."""
        node = self.wait(want_role, want_name, timeout, within)
        wait_until(lambda: state(node, Atspi.StateType.SENSITIVE), timeout,
                   f"[{want_role}] {want_name!r} to be sensitive", dump=self.tree)
        self.activate(node)
        return node

    def activate(self, node):
        if self.touch:
            try:
                box = wait_until(lambda: steady_extents(node), 5, f"[{role(node)}] {name(node)!r} to stay still")
            except Timeout:
                raise JourneyAbort(f"[{role(node)}] {name(node)!r} has no steady place on screen")
            x, y = box[0] + box[2] // 2, box[1] + box[3] // 2
            screen = self.site.screen_size
            if 0 <= x < screen[0] and 0 <= y < screen[1]:
                Atspi.generate_mouse_event(x, y, "abs")
                Atspi.generate_mouse_event(x, y, "b1c")
                return
            if self.out_of_reach is None:
                raise JourneyAbort(f"[{role(node)}] {name(node)!r} is off the screen at {box}")
            self.out_of_reach.append(f"[{role(node)}] {name(node)!r} {box}: off the screen, "
                                     "pressed through its accessible action")
        action = _safe(node.get_action_iface)
        if action is None or Atspi.Action.get_n_actions(node) == 0:
            raise JourneyAbort(f"[{role(node)}] {name(node)!r} has no action")
        Atspi.Action.do_action(node, 0)

    def type_text(self, node, text):
        """Puts @text in an entry as a keyboard would (the console)."""
        if self.touch:
            self.activate(node)
            wait_until(lambda: state(node, Atspi.StateType.FOCUSED), 5, f"focus on {name(node)!r}")
            Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
            wait_until(lambda: text in (text_of(node) or ""), 5, f"{text!r} typed in {name(node)!r}")
            return
        _safe(node.grab_focus)
        Atspi.EditableText.set_text_contents(node, text)
        # A password's text reads as bullets: its length tells.
        wait_until(lambda: len(text_of(node) or "") == len(text), 5, f"{len(text)} characters typed in {name(node)!r}")


class Site:
    """A whole site, as tools/relais-demo starts it."""

    def __init__(self, tap, label, station_keys=(), printer=False, console=True, station_conf="",
                 private_home=False, station=True, hub_conf="", console_x="console"):
        self.tap = tap
        self.label = label
        self.dir = tempfile.mkdtemp(prefix=f"relais-journey-{label}-", dir="/var/tmp")
        # cups-pdf's filters run as lp: the PDFs' folder must be reachable.
        os.chmod(self.dir, 0o711)
        self.port = free_port()
        self.display = os.environ["DISPLAY"]
        self.screen_size = (1280, 800)
        self.cups_dir = None
        self.shots = 0
        os.makedirs(ARTIFACTS, exist_ok=True)
        for old in os.listdir(ARTIFACTS):
            if old.startswith(label + "-"):
                os.unlink(os.path.join(ARTIFACTS, old))

        config = [os.path.join(SOURCE, "tools", "relais-site-config"), "--build", BUILD,
                  "--port", str(self.port), "--mediator", "karim:Karim:relais-test"]
        for key in station_keys:
            config += ["--station", key]
        subprocess.run(config + [self.dir], check=True)
        # More groups of hub.conf (the département's registry…) and of
        # station.conf (the browser's sites…), at their end.
        if hub_conf:
            with open(os.path.join(self.dir, "hub.conf"), "a") as f:
                f.write("\n" + hub_conf)
        if station_conf:
            with open(os.path.join(self.dir, "station.conf"), "a") as f:
                f.write("\n" + station_conf)

        self.env = dict(os.environ)
        for key in ("G_DEBUG", "MALLOC_CHECK_", "MALLOC_PERTURB_"):
            self.env.pop(key, None)
        self.env.update({
            "NO_AT_BRIDGE": "0",
            "GSETTINGS_BACKEND": "memory",
            "GIO_USE_VOLUME_MONITOR": "unix",
            "RELAIS_LOCALEDIR": LOCALEDIR,
            "SANE_CONFIG_DIR": os.environ.get("SANE_CONFIG_DIR") or os.path.join(SOURCE, "tests", "sane"),
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
            # The demo runs in the machine's locale; the programs pick French.
            "LANG": "C.UTF-8",
        })
        self.env.pop("LANGUAGE", None)
        # A home and a temporary folder of the site's own (a kiosk's home
        # is its own, on tmpfs): what a session leaves there is the
        # programs', not another test's on this machine.
        if private_home:
            for key, folder in (("HOME", "home"), ("TMPDIR", "tmp"), ("XDG_STATE_HOME", "state")):
                self.env[key] = os.path.join(self.dir, folder)
                os.makedirs(self.env[key], mode=0o700)
        # No sliding between pages: a control's place on screen is final as
        # soon as it shows, so what is measured is what a person sees.
        os.makedirs(os.path.join(self.dir, "config", "gtk-3.0"))
        with open(os.path.join(self.dir, "config", "gtk-3.0", "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-enable-animations=false\n")
        if printer:
            self.cups_dir = os.path.join(self.dir, "cups")
            os.makedirs(self.cups_dir)
            line = subprocess.run([os.path.join(SOURCE, "tests", "fixtures", "relais-cupsd"), "start",
                                   "--watch", str(os.getpid()), self.cups_dir],
                                  check=True, capture_output=True, text=True).stdout.strip()
            key, _, value = line.partition("=")
            self.env[key] = value
        else:
            # No printer: the station must not reach the machine's own.
            self.env["CUPS_SERVER"] = "127.0.0.1:1"

        self.hub = App(self, "relais-hub",
                       [os.path.join(BUILD, "mediator", "hub", "relais-hub"), "-c", os.path.join(self.dir, "hub.conf")],
                       None, "hub.log", touch=False)
        self.console = App(self, "relais-mediator",
                           [os.path.join(BUILD, "mediator", "relais-mediator"), "-c",
                            os.path.join(self.dir, "mediator.conf")],
                           None, "mediator.log", touch=False) if console else None
        # A station unmounts every USB key it sees when a session ends. On
        # this one machine it would see the keys of other tests (and they
        # its own): each station gets a private copy of the mount table.
        self.private_mounts = _can_unshare()
        # Its own X server for the console when several sites' consoles
        # run at once (each its own screen, as on each site's PC).
        self.console_x = console_x
        self.station = None if not station else App(self, "relais-station",
                           (["unshare", "--mount", "--propagation", "private"] if self.private_mounts else [])
                           + [os.path.join(BUILD, "station", "relais-station"), "-c",
                              os.path.join(self.dir, "station.conf")],
                           self.display, "station.log", touch=True)

    def in_station_mounts(self, command):
        """@command, run where the station sees mounts (its namespace)."""
        if not self.private_mounts:
            return command
        return ["nsenter", "--target", str(self.station.process.pid), "--mount"] + command

    def __enter__(self):
        self.failed_before = self.tap.failed
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind, value, tb):
        self.stop()
        # Kept when something failed: the programs' logs and databases.
        if kind is None and self.tap.failed == self.failed_before:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            self.tap.note(f"the site's logs and databases: {self.dir}")
        return False

    def start(self):
        self.hub.start()
        wait_until(lambda: "listening" in self.hub.log() or (not self.hub.alive() and self._dead(self.hub)),
                   20, "the hub to listen")
        if self.console is not None:
            self.console.display = self._start_console_x()
            self.console.start()
        if self.station is not None:
            self.station.start()

    def _start_console_x(self):
        """The console's own X server, one per name for the whole run: GDK ends the
        process when a server it is connected to (for screenshots) goes, so
        it goes only when the run is over (see main)."""
        if self.console_x not in _console_x:
            read_end, write_end = os.pipe()
            server = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write_end)
            with os.fdopen(read_end, "rb") as pipe:
                number = pipe.readline().strip()
            if not number:
                raise JourneyAbort("the console's Xvfb did not start")
            _console_x[self.console_x] = (server, ":" + number.decode())
        return _console_x[self.console_x][1]

    def _dead(self, app):
        raise JourneyAbort(f"{app.program} exited:\n{app.log()}")

    def restart_station(self):
        self.station.stop()
        self.station.start()

    def stop(self):
        for app in (self.station, self.console, self.hub):
            if app is not None:
                app.stop()
        if self.cups_dir is not None:
            subprocess.run([os.path.join(SOURCE, "tests", "fixtures", "relais-cupsd"), "stop", self.cups_dir],
                           capture_output=True)

    # -- screenshots -----------------------------------------------------

    def screenshot(self, step, app=None):
        """Saves the screen of @app (the station by default) as a PNG named
        after the step, in build/test-artifacts/journeys/."""
        app = app or self.station
        self.shots += 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", step).strip("-").lower()
        who = "console" if app is self.console else "station"
        path = os.path.join(ARTIFACTS, f"{self.label}-{self.shots:03d}-{who}-{slug}.png")
        display = _gdk_display(app.display)
        root = display.get_default_screen().get_root_window()
        pixbuf = Gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(), root.get_height())
        pixbuf.savev(path, "png", [], [])
        return path

    # -- what a person would see wrong ------------------------------------

    def layout_problems(self, app):
        """Controls cut off (outside the window or the screen), controls
        without a name, and touch targets under 48 px, on what shows now."""
        window = app.window()
        frame = extents(window)
        screen = (0, 0) + self.screen_size
        clipped, unnamed, small = [], [], []
        if frame is None or not inside(frame, screen):
            clipped.append(f"the window {frame} is larger than the screen {self.screen_size}")

        def visit(node, viewport):
            for child in children(node):
                if not showing(child):
                    continue
                box = extents(child)
                r = role(child)
                label = f"[{r}] {name(child)!r} {box}"
                if box is not None and box[2] > 0 and box[3] > 0:
                    if (viewport is None and r in SEEN_ROLES
                            and not (inside(box, frame, 1) and inside(box, screen, 1))):
                        clipped.append(label)
                    if r in CONTROL_ROLES and (box[2] < TOUCH_PX or box[3] < TOUCH_PX):
                        small.append(label)
                if r in CONTROL_ROLES and not name(child).strip():
                    unnamed.append(label)
                # Inside a scrolled area, only the area itself must fit: its
                # contents scroll into view.
                inner = viewport
                if r in ("scroll pane", "viewport"):
                    if viewport is None and box is not None and not (inside(box, frame, 1) and inside(box, screen, 1)):
                        clipped.append(label)
                    inner = box
                visit(child, inner)

        visit(window, None)
        return clipped, unnamed, small

    def page_controls(self, app):
        """The controls under the header (the page's own) a person can see:
        showing, and with their middle on the screen."""
        window = app.window()
        parts = [c for c in children(window) if showing(c)]
        # A GTK window's first child is its title bar; the page is the rest.
        result = []
        for part in parts[1:]:
            for node in walk(part):
                box = extents(node)
                if (role(node) in CONTROL_ROLES and box is not None
                        and 0 <= box[0] + box[2] // 2 < self.screen_size[0]
                        and 0 <= box[1] + box[3] // 2 < self.screen_size[1]):
                    result.append(node)
        return result


def _can_unshare():
    if shutil.which("unshare") is None or shutil.which("nsenter") is None:
        return False
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                          capture_output=True).returncode == 0


_displays = {}
_console_x = {}     # its name → (Xvfb process, display name)


def _gdk_display(name):
    if name not in _displays:
        display = Gdk.Display.open(name)
        if display is None:
            raise RuntimeError(f"cannot open display {name}")
        _displays[name] = display
    return _displays[name]


def main(groups, known_failing, argv):
    """Runs the groups named in @argv (each starts its own site and runs its
    journeys through Tap.run); the TAP stream says the rest."""
    Gdk.init([])
    # Stopped (meson's timeout, Ctrl-C): each site stops its programs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tap = Tap(known_failing)
    for group in argv or list(groups):
        groups[group](tap)
    tap.journey = ""
    # A known failure no check matched, in a journey that ran to its end,
    # is a list gone stale.
    unused = [p for p in known_failing
              if p not in tap.used and any(fnmatch.fnmatchcase(j, p.split(":")[0]) for j in tap.ran)]
    tap.check("every known-failing entry of these journeys still names a check", not unused,
              "\n".join(f"unused: {p}" for p in unused))
    tap.finish()
    sys.stdout.flush()
    for server, _ in _console_x.values():
        server.terminate()
        server.wait()
    # Not a normal exit: GDK would find its connection to that server gone.
    os._exit(0)
