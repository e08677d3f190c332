"""browser-rest: the real relais-station's memory at rest, before any
session and after a session that opened a site (after which the station
renews its process, station-application.c): rest_mb and rss_after_mb of
tests/bench/browser-open. The station, its hub and a local site are
started and driven as the journeys do it (tests/journeys/: the
accessibility tree, touches through the X server). Run by browser-open
under the same D-Bus session, accessibility bus and Xvfb as run-journeys.
Prints one line: REST rest_mb=… rss_after_mb=… …"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "journeys"))
import journeys  # noqa: E402
from relais_journeys import Gdk, Site, Tap, wait_until  # noqa: E402

AT_REST_S = 3  # as station-startup: the welcome screen shown, then left alone


def memory(pid):
    """VmRSS, RssAnon and RssFile of @pid in MB, and whether WebKit is mapped."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    with open(f"/proc/{pid}/maps") as f:
        webkit = "libwebkit2gtk" in f.read()
    mb = {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile")}
    return mb, webkit


def renewals(site):
    return site.station.log().count("a new process for the next person")


def main():
    Gdk.init([])
    tap = Tap({})
    folder = tempfile.mkdtemp(prefix="relais-bench-site-", dir="/var/tmp")
    os.chmod(folder, 0o755)
    admin = journeys.AdminSite(folder)
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    try:
        conf = f"[browser]\nsites={journeys.AdminSite.TITLE}|{admin.url}|relais-web\n"
        with Site(tap, "bench-browser-rest", console=False, station_conf=conf, private_home=True) as site:
            station = site.station
            pid = station.process.pid
            journeys.welcome(site)
            time.sleep(AT_REST_S)
            rest, rest_webkit = memory(pid)
            print(f"station at rest: {rest['VmRSS']:.1f} MB (anonymous {rest['RssAnon']:.1f}, "
                  f"files {rest['RssFile']:.1f}); WebKit mapped: {'yes' if rest_webkit else 'no'}", flush=True)
            site.screenshot("welcome at rest")
            for n in range(sessions):
                before = renewals(site)
                words = journeys.begin(site)
                station.press("push button", words("Internet"))
                station.press("push button", journeys.AdminSite.TITLE)
                journeys.web_page(site, "— Connexion$", 90)
                during, _ = memory(pid)
                station.press("push button", words("_Terminer"))
                # A station that does not renew (before issue 14's last
                # step) is measured too, for the comparison.
                try:
                    wait_until(lambda: renewals(site) > before, 20, "the station's renewal")
                    renewed = "renewed"
                except journeys.Timeout:
                    renewed = "not renewed"
                journeys.welcome(site, 20)
                print(f"session {n + 1}: station {during['VmRSS']:.1f} MB with the site open; {renewed}, "
                      f"welcome again", flush=True)
            time.sleep(AT_REST_S)
            after, after_webkit = memory(pid)
            if station.process.pid != pid or not station.alive():
                sys.exit("the station is not the same process any more")
            site.screenshot("welcome after a browser session")
            print(f"station after the session(s), at rest: {after['VmRSS']:.1f} MB (anonymous "
                  f"{after['RssAnon']:.1f}, files {after['RssFile']:.1f}); WebKit mapped: "
                  f"{'yes' if after_webkit else 'no'}; same pid {pid}", flush=True)
            print(f"REST rest_mb={rest['VmRSS']:.1f} rss_after_mb={after['VmRSS']:.1f} "
                  f"webkit_at_rest={'yes' if rest_webkit or after_webkit else 'no'} sessions={sessions}", flush=True)
    finally:
        admin.close()
        shutil.rmtree(folder, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
