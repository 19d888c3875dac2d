#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The Wireshark GUI (not only TShark) loads tcplife and dissects with it.

Runs the Qt `wireshark` under Xvfb, as "nobody" when we are root (root
ignores plugin folders), with the built plugin staged in a temporary plugin
folder (WIRESHARK_PLUGIN_DIR), an isolated HOME holding the tcplife profile,
and `-C tcplife -r demo/demo.pcap`. A Lua script given with -X lua_script
(probe.lua) runs inside the GUI process, reads tcplife.* fields through
Field extractors in a tap and writes them to a file. The test checks that
the script ran in the GUI (gui_enabled() is true), that every frame has the
label TShark gives it and the states and teardown steps of
demo/expected.tsv, and that the GUI logged no dissector bug or plugin load
failure. Wireshark is then stopped; the whole run is bounded by --timeout.

Exit 77 (skipped) when wireshark, xvfb-run or xauth is missing
(apt-get install -y wireshark-qt xvfb xauth).
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs"))
import tlenv  # noqa: E402

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURE = os.path.join(tlenv.ROOT, "demo", "demo.pcap")
TABLE = os.path.join(tlenv.ROOT, "demo", "expected.tsv")


def reference(build, capture):
    """tcplife.label per frame from TShark (the wrapper checks it loads)."""
    env = dict(os.environ, TCPLIFE_BUILD=build)
    p = subprocess.run([tlenv.WRAPPER, "-r", capture, "-T", "fields", "-e", "frame.number",
                        "-e", "tcplife.label"], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("tshark failed: %s" % p.stderr)
    labels = {}
    for line in p.stdout.splitlines():
        num, _, label = line.partition("\t")
        labels[int(num)] = label
    return labels


def stop(proc):
    """Stop the process group we started (xvfb-run or dbus-run-session, Xvfb,
    wireshark)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(tlenv.ROOT, "build"))
    ap.add_argument("--timeout", type=float, default=90)
    args = ap.parse_args()
    missing = [t for t in ("wireshark", "xvfb-run", "xauth", "Xvfb") if not shutil.which(t)]
    if missing:
        print("skipped: %s not installed (apt-get install -y wireshark-qt xvfb xauth)" % ", ".join(missing))
        return SKIP
    build = os.path.abspath(args.build)
    so, ver = tlenv.built_plugin(build)

    work = tlenv.tmpdir("tcplife-gui.")
    proc = None
    try:
        plugins = os.path.join(work, "plugins")
        os.makedirs(os.path.join(plugins, ver, "epan"))
        shutil.copy(so, os.path.join(plugins, ver, "epan"))
        conf = os.path.join(work, "home", ".config", "wireshark")
        shutil.copytree(tlenv.PROFILE, os.path.join(conf, "profiles", "tcplife"))
        with open(os.path.join(conf, "recent_common"), "w") as f:
            f.write("privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n")
        probe = shutil.copy(os.path.join(HERE, "probe.lua"), work)
        capture = tlenv.copy_capture(CAPTURE, work)
        outdir = os.path.join(work, "out")
        os.mkdir(outdir)
        tlenv.readable_tree(work)
        for d in (os.path.join(work, "home"), outdir):
            for dirpath, _, _ in os.walk(d):
                os.chmod(dirpath, 0o777)
        out = os.path.join(outdir, "probe.tsv")
        log = os.path.join(outdir, "wireshark.log")

        labels = reference(build, capture)
        table = tlenv.expected_table(TABLE)

        env = {"PATH": os.environ["PATH"], "HOME": os.path.join(work, "home"),
               "WIRESHARK_PLUGIN_DIR": plugins, "WIRESHARK_CONFIG_DIR": conf,
               "TZ": "UTC", "LC_ALL": "C.UTF-8"}
        cmd = tlenv.as_user() + ["env"] + ["%s=%s" % kv for kv in env.items()] + [
            "sh", "-c", 'exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@" >"$0" 2>&1', log,
            "wireshark", "-C", "tcplife", "-r", capture,
            "-X", "lua_script:" + probe, "-X", "lua_script1:" + out]
        proc = subprocess.Popen(cmd, start_new_session=True)
        deadline = time.monotonic() + args.timeout
        lines = []
        while time.monotonic() < deadline and proc.poll() is None:
            if os.path.exists(out):
                with open(out, encoding="utf-8") as f:
                    lines = f.read().splitlines()
                if "draw" in lines:
                    break
            time.sleep(0.5)
        stop(proc)
        with open(log, encoding="utf-8", errors="replace") if os.path.exists(log) else open(os.devnull) as f:
            logtext = f.read()
        if "draw" not in lines:
            print("wireshark log:\n" + logtext)
            raise SystemExit("the GUI did not finish the probe within %ds (%d lines written)"
                             % (args.timeout, len(lines)))

        fails = []
        head = dict(l.split("\t", 1) for l in lines if l.split("\t")[0] in ("gui_enabled", "version"))
        if head.get("gui_enabled") != "true":
            fails.append("probe did not run in the GUI: gui_enabled=%s" % head.get("gui_enabled"))
        if not head.get("version", "").startswith(ver + "."):
            fails.append("GUI Wireshark %s, plugin built for %s" % (head.get("version"), ver))
        got = {}
        for l in lines:
            cells = l.split("\t")
            if cells[0].isdigit():
                got[int(cells[0])] = cells[1:]
        if sorted(got) != sorted(table):
            fails.append("frames seen by the GUI: %s, want %s" % (sorted(got), sorted(table)))
        for frame, row in sorted(table.items()):
            if frame not in got:
                continue
            want = [labels.get(frame, ""), row["client"], row["server"], row["td"]]
            if got[frame] != want:
                fails.append("frame %d: GUI %s, want %s" % (frame, got[frame], want))
        for bad in ("Dissector bug", "Couldn't load plugin", "tcplife.so:", "Lua: Error"):
            if bad in logtext:
                fails.append("wireshark log mentions %r:\n%s" % (bad, logtext))
        for f in fails:
            print("FAIL:", f)
        if fails:
            return 1
        print("GUI Wireshark %s loaded tcplife: %d frames dissected as TShark and demo/expected.tsv "
              "say (frame 25: %s)" % (head["version"], len(got), " / ".join(got[25][:3])))
        return 0
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
