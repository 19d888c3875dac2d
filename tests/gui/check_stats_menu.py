#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tcplife's statistics in the Qt GUI: the Statistics menu entries, the
per-connection table and the ladder window.

The Qt `wireshark` runs under Xvfb, as "nobody" when we are root (root
ignores plugin folders), with the built plugin staged in a temporary plugin
folder, inside a private D-Bus session with Qt's accessibility bridge on
(QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1). A driver (this script with --inner,
run by the same user in the same session) reads the GUI through AT-SPI, the
accessibility tree screen readers use, so it sees exactly the menus and
widgets Qt built, with no screen coordinates or OCR:

1. `wireshark -r demo.pcap -z tcplife,conns` must open the table dialog
   (it does only if the table is registered for the GUI); its rows are read.
2. The Statistics menu must list "TCP Connection Lifecycle" and
   "TCP Connection Lifecycle Ladder".
3. Triggering "TCP Connection Lifecycle" opens a second table dialog; its
   rows are read too.
4. Triggering the ladder entry opens a text window; its text is read.

The outer run then checks, for demo/demo.pcap:
- two rows, streams 0 and 1, whose frame columns (Handshake, Teardown, RST) and
  closer follow from the hand-checked demo/expected.tsv (the first frame of
  each step; the closer sends teardown step 1), client and server are the
  addresses of the step-1 SYN, State is SF (all 3 + 4 steps, no reset),
  Duration is last minus first frame time of the stream and HTTP is the
  number of HTTP requests Wireshark's own HTTP dissector sees in it;
- every cell, column header included, equals TShark's
  `-z tcplife,conns` table (History is checked only this way);
- the ladder window's text equals `tshark -z tcplife,ladder`;
- the GUI logged no dissector bug or plugin load failure.

Exit 77 (skipped) when wireshark, xvfb-run, xauth, dbus-run-session, the
AT-SPI bus (at-spi2-core), python3-dbus or xdotool is missing
(apt-get install -y wireshark-qt xvfb xauth dbus at-spi2-core python3-dbus xdotool).

--screenshot FILE saves the table dialog opened by -z (256-colour PNG).
"""
import argparse
import decimal
import json
import os
import shutil
import signal
import subprocess
import sys
import time

SKIP = 77
MENU = "Statistics"
TABLE_ITEM = "TCP Connection Lifecycle"
LADDER_ITEM = "TCP Connection Lifecycle Ladder"
TABLE_TITLE = "TCP Connection Lifecycle"          # the dialog's window title contains it
LADDER_TITLE = "TCP connection lifecycle: ladder"
SYSTEM_PYTHON = "/usr/bin/python3"                # python3-dbus lives there, nobody can run it
A11Y_SERVICE = "/usr/share/dbus-1/services/org.a11y.Bus.service"


# ---------------------------------------------------------------- inner driver
# Runs as the unprivileged user inside dbus-run-session and xvfb-run.

class A11y:
    """Just enough AT-SPI over python3-dbus (no pyatspi needed)."""
    ACC = "org.a11y.atspi.Accessible"
    PROPS = "org.freedesktop.DBus.Properties"

    def __init__(self):
        import dbus  # noqa: F401 (python3-dbus, checked by the outer run)
        import dbus.bus
        self.dbus = dbus
        session = dbus.SessionBus()
        # Asking for the address starts the accessibility bus; Qt watches for
        # it and registers the application once it exists.
        addr = session.get_object("org.a11y.Bus", "/org/a11y/bus").GetAddress(
            dbus_interface="org.a11y.Bus")
        self.bus = dbus.bus.BusConnection(str(addr))
        self.root = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")

    def _obj(self, ref):
        return self.bus.get_object(ref[0], ref[1], introspect=False)

    def name(self, ref):
        return str(self._obj(ref).Get(self.ACC, "Name", dbus_interface=self.PROPS))

    def role(self, ref):
        return str(self._obj(ref).GetRoleName(dbus_interface=self.ACC))

    def children(self, ref):
        return [(str(b), str(p)) for b, p in self._obj(ref).GetChildren(dbus_interface=self.ACC)]

    def find(self, ref, pred, depth=10):
        """First descendant (depth-first, ref included) for which pred holds."""
        if pred(ref):
            return ref
        if depth == 0:
            return None
        for child in self.children(ref):
            hit = self.find(child, pred, depth - 1)
            if hit:
                return hit
        return None

    def find_all(self, ref, pred, depth=10):
        hits = [ref] if pred(ref) else []
        if depth > 0:
            for child in self.children(ref):
                hits += self.find_all(child, pred, depth - 1)
        return hits

    def press(self, ref):
        actions = self._obj(ref).GetActions(dbus_interface="org.a11y.atspi.Action")
        names = [str(a[0]) for a in actions]
        index = names.index("Press") if "Press" in names else 0
        return bool(self._obj(ref).DoAction(index, dbus_interface="org.a11y.atspi.Action",
                                            timeout=60))

    def text(self, ref):
        return str(self._obj(ref).GetText(0, -1, dbus_interface="org.a11y.atspi.Text"))


def wait_for(what, fn, deadline, interval=0.3):
    """Poll fn() until it returns something true; raise after the deadline."""
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = fn()
            if value:
                return value
        except Exception as e:  # the GUI may be busy or still building widgets
            last_error = e
        time.sleep(interval)
    raise SystemExit("timed out waiting for %s%s" % (what, " (%s)" % last_error if last_error else ""))


def table_rows(a11y, dialog):
    """(headers, rows) of the statistics dialog's tree widget."""
    tree = a11y.find(dialog, lambda r: a11y.role(r) in ("tree", "tree table", "table"), 4)
    if not tree:
        return None
    headers, cells = [], []
    for child in a11y.children(tree):
        role = a11y.role(child)
        if role == "column header":
            headers.append(a11y.name(child).strip())
        elif role in ("tree item", "table cell"):
            cells.append(a11y.name(child).strip())
    if not headers:
        return None
    rows = [cells[i:i + len(headers)] for i in range(0, len(cells), len(headers))]
    return headers, rows


def stable_rows(a11y, dialog, deadline):
    """The dialog's rows once it has some and two reads a second apart agree."""
    def read():
        first = table_rows(a11y, dialog)
        if not first or not first[1]:
            return None
        time.sleep(1)
        second = table_rows(a11y, dialog)
        return second if second == first else None
    return wait_for("the table dialog's rows", read, deadline)


def dialogs(a11y, app, title):
    return [w for w in a11y.children(app) if title in a11y.name(w)]


def screenshot(title, dest):
    """The dialog's own X window, widened to show every column."""
    if not (shutil.which("xdotool") and shutil.which("import")):
        return "xdotool or import (imagemagick) missing"
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title],
                         capture_output=True, text=True).stdout.split()
    if not ids:
        return "no visible window named %r" % title
    wid = ids[-1]
    # No window manager: the window keeps its centred place, so move it
    # into the screen before widening it.
    subprocess.run(["xdotool", "windowmove", wid, "0", "0"], check=False)
    subprocess.run(["xdotool", "windowsize", wid, "1000", "210"], check=False)
    time.sleep(2)
    p = subprocess.run(["import", "-window", wid, dest], capture_output=True, text=True)
    return None if p.returncode == 0 else p.stderr


def inner(args):
    result = {"errors": []}
    out = os.path.join(args.out, "result.json")
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    with open(os.path.join(args.out, "wireshark.log"), "w") as log:
        ws = subprocess.Popen(["wireshark", "-r", args.capture, "-z", "tcplife,conns"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + args.timeout
    title = os.path.basename(args.capture).replace(".", r"\.")
    try:
        # Qt 5.15 registers with AT-SPI when it sees the accessibility bus
        # appear; with the bus already up when Wireshark started, it never
        # registered here. So the bus is started only once the main window
        # shows the capture.
        wait_for("Wireshark's main window", lambda: subprocess.run(
            ["xdotool", "search", "--name", title], capture_output=True,
            text=True).stdout.strip(), deadline)
        a11y = A11y()
        app = wait_for("Wireshark on the accessibility bus",
                       lambda: next((r for r in a11y.children(a11y.root)
                                     if a11y.name(r).lower() == "wireshark"), None), deadline)

        # 1. -z tcplife,conns opened the table dialog.
        try:
            first = wait_for("the dialog opened by -z tcplife,conns",
                             lambda: dialogs(a11y, app, TABLE_TITLE),
                             min(deadline, time.monotonic() + 30))[0]
            result["z_title"] = a11y.name(first)
            result["z_headers"], result["z_rows"] = stable_rows(a11y, first, deadline)
            if args.screenshot:
                err = screenshot(TABLE_TITLE, args.screenshot)
                if err:
                    result["errors"].append("screenshot: %s" % err)
        except SystemExit as e:
            result["errors"].append(str(e))

        # 2. The Statistics menu, as Qt built it.
        main = wait_for("the main window", lambda: next(
            (w for w in a11y.children(app) if a11y.role(w) == "frame"), None), deadline)
        bar = wait_for("the menu bar", lambda: a11y.find(
            main, lambda r: a11y.role(r) == "menu bar", 4), deadline)
        menu = next((m for m in a11y.children(bar) if a11y.name(m) == MENU), None)
        if menu is None:
            raise SystemExit("no %s menu in the menu bar" % MENU)
        popup = a11y.children(menu)[0]
        items = {a11y.name(i): i for i in a11y.children(popup)}
        result["menu"] = [a11y.name(i) for i in a11y.children(popup)]

        # 3. The table's menu entry opens another table dialog.
        if TABLE_ITEM in items:
            before = len(dialogs(a11y, app, TABLE_TITLE))
            a11y.press(items[TABLE_ITEM])
            second = wait_for("a table dialog from the menu",
                              lambda: (lambda d: d[-1] if len(d) > before else None)(
                                  dialogs(a11y, app, TABLE_TITLE)), deadline)
            result["menu_title"] = a11y.name(second)
            result["menu_headers"], result["menu_rows"] = stable_rows(a11y, second, deadline)

        # 4. The ladder's menu entry opens a text window with the ladder.
        if LADDER_ITEM in items:
            a11y.press(items[LADDER_ITEM])
            window = wait_for("the ladder window", lambda: next(iter(
                dialogs(a11y, app, LADDER_TITLE)), None), deadline)
            # The window's longest text widget (it also has a search field).
            def longest_text():
                texts = [a11y.text(r) for r in a11y.find_all(
                    window, lambda r: a11y.role(r) == "text", 4)]
                return max(texts, key=len) if texts else None

            def ladder_text():
                text = longest_text()
                if not text or "Stream " not in text:
                    return None
                time.sleep(1)
                return text if longest_text() == text else None
            try:
                result["ladder"] = wait_for("a ladder in the window", ladder_text,
                                            min(deadline, time.monotonic() + 20))
            except SystemExit as e:
                result["ladder"] = longest_text()
                result["errors"].append(str(e))
    except SystemExit as e:
        result["errors"].append(str(e))
    finally:
        ws.terminate()
        try:
            ws.wait(10)
        except subprocess.TimeoutExpired:
            ws.kill()
            ws.wait()
        with open(out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    return 0


# ---------------------------------------------------------------- outer run

def tshark(tlenv, build, *args):
    env = dict(os.environ, TCPLIFE_BUILD=build)
    p = subprocess.run([tlenv.WRAPPER] + list(args), capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("tshark %s failed: %s" % (" ".join(args), p.stderr))
    return p.stdout


def tshark_table(text):
    """(headers, rows) of `-z tcplife,conns` output: cells split on '|'."""
    headers, rows = None, []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if line.startswith("Stream |"):
            headers = cells[:-1]
        elif headers and len(cells) == len(headers) + 1 and cells[0].isdigit():
            rows.append(cells[:-1])
    return headers, rows


def expected_rows(tlenv, build, capture, table):
    """What the hand-checked demo/expected.tsv and plain Wireshark fields say
    each connection's row must hold (History excepted)."""
    fields = tshark(tlenv, build, "-r", capture, "-T", "fields", "-E", "separator=\t",
                    "-e", "frame.number", "-e", "tcp.stream", "-e", "frame.time_epoch",
                    "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport",
                    "-e", "http.request")
    frames = {}
    for line in fields.splitlines():
        num, stream, t, src, sport, dst, dport, req = (line.split("\t") + [""] * 8)[:8]
        frames[int(num)] = {"stream": int(stream), "t": decimal.Decimal(t),
                            "src": "%s:%s" % (src, sport), "dst": "%s:%s" % (dst, dport),
                            "request": req != ""}
    rows = []
    for stream in sorted({int(r["stream"]) for r in table.values()}):
        mine = {n: r for n, r in table.items() if int(r["stream"]) == stream}

        def first(pred):
            hits = sorted(n for n, r in mine.items() if pred(r))
            return hits[0] if hits else 0
        hs = [first(lambda r, s=s: r["hs"] == str(s)) for s in (1, 2, 3)]
        td = [first(lambda r, s=s: str(s) in r["td"].split(",")) for s in (1, 2, 3, 4)]
        rst = first(lambda r: r["phase"] == "reset")
        syn = frames[hs[0]]
        times = [f["t"] for f in frames.values() if f["stream"] == stream]
        rows.append({
            "Stream": str(stream),
            "Client": syn["src"],
            "Server": syn["dst"],
            "State": "SF" if all(hs) and all(td) and not rst else None,
            "Closer": mine[td[0]]["sender"] if td[0] else None,
            "Handshake": " ".join(str(f) if f else "-" for f in hs),
            "Teardown": " ".join(str(f) if f else "-" for f in td),
            "RST": str(rst),
            "Duration": "%.6f" % (max(times) - min(times)),
            "HTTP": str(sum(1 for f in frames.values() if f["stream"] == stream and f["request"])),
        })
    return rows


def check_table(label, headers, rows, want_headers, want_rows, reasoned):
    fails = []
    if headers != want_headers:
        fails.append("%s: columns %s, TShark has %s" % (label, headers, want_headers))
        return fails
    if rows != want_rows:
        fails.append("%s: rows\n  %s\nTShark's -z tcplife,conns:\n  %s" % (
            label, "\n  ".join(map(str, rows)), "\n  ".join(map(str, want_rows))))
    if len(rows) != len(reasoned):
        fails.append("%s: %d rows, demo/expected.tsv has %d connections"
                     % (label, len(rows), len(reasoned)))
    for row, want in zip(rows, reasoned):
        got = dict(zip(headers, row))
        for col, value in want.items():
            if value is not None and got.get(col) != value:
                fails.append("%s: stream %s, %s = %r, expected %r"
                             % (label, got.get("Stream"), col, got.get(col), value))
    return fails


def outer(args):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "docs"))
    import tlenv
    from check_gui import stop  # the same process-group stop as the other GUI test
    missing = [t for t in ("wireshark", "xvfb-run", "xauth", "Xvfb", "dbus-run-session", "xdotool")
               if not shutil.which(t)]
    if not os.path.exists(A11Y_SERVICE):
        missing.append("at-spi2-core")
    if not os.access(SYSTEM_PYTHON, os.X_OK) or subprocess.run(
            tlenv.as_user() + [SYSTEM_PYTHON, "-c", "import dbus"],
            capture_output=True).returncode != 0:
        missing.append("python3-dbus")
    if missing:
        print("skipped: %s not installed (apt-get install -y wireshark-qt xvfb xauth dbus "
              "at-spi2-core python3-dbus xdotool)" % ", ".join(missing))
        return SKIP
    build = os.path.abspath(args.build)
    so, ver = tlenv.built_plugin(build)
    capture_src = os.path.join(tlenv.ROOT, "demo", "demo.pcap")
    table = tlenv.expected_table(os.path.join(tlenv.ROOT, "demo", "expected.tsv"))

    work = tlenv.tmpdir("tcplife-gui-stats.")
    proc = None
    started = time.monotonic()
    try:
        plugins = os.path.join(work, "plugins")
        os.makedirs(os.path.join(plugins, ver, "epan"))
        shutil.copy(so, os.path.join(plugins, ver, "epan"))
        home = os.path.join(work, "home")
        conf = os.path.join(home, ".config", "wireshark")
        os.makedirs(conf)
        with open(os.path.join(conf, "recent_common"), "w") as f:
            f.write("privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n"
                    "gui.geometry_main_x: 0\ngui.geometry_main_y: 0\n"
                    "gui.geometry_main_width: 1000\ngui.geometry_main_height: 700\n")
        driver = shutil.copy(os.path.abspath(__file__), os.path.join(work, "driver.py"))
        capture = tlenv.copy_capture(capture_src, work)
        outdir = os.path.join(work, "out")
        os.mkdir(outdir)
        tlenv.readable_tree(work)
        for d in (home, outdir):
            for dirpath, _, _ in os.walk(d):
                os.chmod(dirpath, 0o777)

        want_headers, want_rows = tshark_table(tshark(tlenv, build, "-r", capture, "-q",
                                                      "-z", "tcplife,conns"))
        want_ladder = tshark(tlenv, build, "-r", capture, "-q", "-z", "tcplife,ladder")
        reasoned = expected_rows(tlenv, build, capture, table)

        shot = os.path.join(outdir, "conns.png") if args.screenshot else None
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "WIRESHARK_PLUGIN_DIR": plugins,
               "WIRESHARK_CONFIG_DIR": conf, "TZ": "UTC", "LC_ALL": "C.UTF-8"}
        cmd = tlenv.as_user() + ["env", "-i"] + ["%s=%s" % kv for kv in env.items()] + [
            "dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
            SYSTEM_PYTHON, driver, "--inner", "--capture", capture, "--out", outdir,
            "--timeout", str(args.timeout)] + (["--screenshot", shot] if shot else [])
        with open(os.path.join(outdir, "session.log"), "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            try:
                proc.wait(args.timeout + 30)
            except subprocess.TimeoutExpired:
                pass
        stop(proc)

        logtext = ""
        for name in ("wireshark.log", "session.log"):
            path = os.path.join(outdir, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    logtext += "--- %s\n%s" % (name, f.read())
        try:
            with open(os.path.join(outdir, "result.json"), encoding="utf-8") as f:
                result = json.load(f)
        except (OSError, ValueError) as e:
            print(logtext)
            raise SystemExit("the GUI driver left no result (%s)" % e)

        fails = list(result.get("errors", []))
        menu = result.get("menu", [])
        for item in (TABLE_ITEM, LADDER_ITEM):
            if item not in menu:
                fails.append("no %r in the %s menu, which holds: %s" % (item, MENU, menu))
        if "z_rows" in result:
            fails += check_table("dialog opened by -z tcplife,conns", result["z_headers"],
                                 result["z_rows"], want_headers, want_rows, reasoned)
        else:
            fails.append("-z tcplife,conns opened no table dialog")
        if "menu_rows" in result:
            fails += check_table("dialog opened from the menu", result["menu_headers"],
                                 result["menu_rows"], want_headers, want_rows, reasoned)
        elif TABLE_ITEM in menu:
            fails.append("the %r menu entry opened no table dialog" % TABLE_ITEM)
        ladder = result.get("ladder")
        if ladder is None:
            if LADDER_ITEM in menu:
                fails.append("the %r menu entry opened no ladder window" % LADDER_ITEM)
        elif ladder.strip() != want_ladder.strip():
            fails.append("ladder window text:\n%s\ntshark -z tcplife,ladder:\n%s"
                         % (ladder, want_ladder))
        for bad in ("Dissector bug", "Couldn't load plugin", "tcplife.so:"):
            if bad in logtext:
                fails.append("the GUI's log mentions %r" % bad)
        if fails:
            print(logtext)
        for f in fails:
            print("FAIL:", f)
        if shot and os.path.exists(shot):
            dest = os.path.abspath(args.screenshot)
            subprocess.run(["convert", shot, "-strip", "+dither", "-colors", "256",
                            "PNG8:" + dest], check=True)
            print("wrote %s (%d bytes)" % (dest, os.path.getsize(dest)))
        if fails:
            return 1
        print("Statistics menu has %r and %r; the table (-z and menu) shows %d connections "
              "as TShark and demo/expected.tsv say; the ladder window equals "
              "tshark -z tcplife,ladder (%.0f s)"
              % (TABLE_ITEM, LADDER_ITEM, len(want_rows), time.monotonic() - started))
        return 0
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "build"))
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--screenshot", help="save the table dialog as this PNG")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--capture", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())
