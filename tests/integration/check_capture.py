#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run TShark with the built tcplife plugin on one capture and compare every
frame's lifecycle fields with an expected table written by reasoning from
the packets (tests/expected/<capture>.tsv, demo/expected.tsv).

Where Wireshark itself changed what the packets mean to it (tcp.stream
numbering, from 4.4), the table (or .flags) in the wireshark-X.Y folder
beside it with the highest X.Y not above the running tshark's version
replaces it; see tests/expected/README.md. The tables are never derived
from the plugin's output.

Checks, each of which fails the test:
  - the plugin loaded (scripts/tshark-tcplife refuses otherwise);
  - fields come out with -T fields alone (no -Y, no -V);
  - one pass equals two passes (-2), field for field;
  - each expected row matches: sender, phase, handshake step, teardown
    steps, client and server state, retransmission link;
  - optional <capture>.flags: boolean fields true exactly on those frames;
  - display filters on our fields select exactly the expected frames;
  - stderr is empty, and "Dissector bug" / malformed counts do not grow
    compared with the same tshark without the plugin.
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSHARK = os.path.join(ROOT, "scripts", "tshark-tcplife")
sys.path.insert(0, os.path.join(ROOT, "tests"))
import wsversion  # noqa: E402

FIELDS = ["frame.number", "tcp.stream", "tcplife.sender", "tcplife.phase",
          "tcplife.handshake.step", "tcplife.teardown.step", "tcplife.client.state",
          "tcplife.server.state", "tcplife.retransmission", "tcplife.midstream",
          "tcplife.endpoints_guessed", "tcplife.simultaneous_open",
          "tcplife.simultaneous_close", "tcplife.label", "_ws.malformed",
          "tcplife.stream", "tcplife.data", "tcp.len"]
COLUMNS = ["frame", "stream", "sender", "phase", "hs", "td", "client", "server", "retrans"]
FLAG_FIELDS = ["tcplife.midstream", "tcplife.endpoints_guessed",
               "tcplife.simultaneous_open", "tcplife.simultaneous_close"]


LOADED = {}


def run(args, build, stdin=None):
    env = dict(os.environ, TCPLIFE_BUILD=build)
    if LOADED.get(build):
        env["TCPLIFE_LOADED"] = "1"
    p = subprocess.run([TSHARK] + args, stdin=stdin, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("tshark failed (%d): %s\n%s" % (p.returncode, " ".join(args), p.stderr))
    return p.stdout, p.stderr


STAGED = {}


def tshark_read(capture, extra, build):
    """The unprivileged tshark may not be allowed to open files under the
    checkout (and -2 cannot read standard input): read a world-readable
    copy."""
    if capture not in STAGED:
        d = tempfile.mkdtemp(prefix="tcplife-cap.")
        os.chmod(d, 0o755)
        copy = os.path.join(d, os.path.basename(capture))
        shutil.copyfile(capture, copy)
        os.chmod(copy, 0o644)
        STAGED[capture] = copy
    return run(["-r", STAGED[capture]] + extra, build)


def cleanup():
    for copy in STAGED.values():
        shutil.rmtree(os.path.dirname(copy), ignore_errors=True)
    STAGED.clear()


def value_names(build):
    out, _ = run(["-G", "values"], build)
    LOADED[build] = True
    names = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == "V" and parts[1].startswith("tcplife."):
            names.setdefault(parts[1], {})[parts[2]] = parts[3]
    return names


def fields_table(capture, build, two_pass, names):
    args = ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        args += ["-e", f]
    if two_pass:
        args.append("-2")
    out, err = tshark_read(capture, args, build)
    rows = {}
    for line in out.splitlines():
        cols = line.split("\t")
        rec = dict(zip(FIELDS, cols))
        for f in ("tcplife.sender", "tcplife.phase", "tcplife.client.state",
                  "tcplife.server.state"):
            if rec.get(f):
                rec[f] = names.get(f, {}).get(rec[f], "?" + rec[f])
        rows[int(rec["frame.number"])] = rec
    return rows, err


def load_expected(path):
    rows = {}
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                if header[:len(COLUMNS)] != COLUMNS:
                    raise SystemExit("%s: header must start with %s" % (path, COLUMNS))
                continue
            cols += [""] * (len(header) - len(cols))
            rec = dict(zip(header, cols))
            rows[int(rec["frame"])] = rec
    return rows


def load_flags(path):
    flags = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    frame, field = line.split("\t")
                    flags.setdefault(field, set()).add(int(frame))
    return flags


def actual_row(rec):
    return {
        "stream": rec.get("tcp.stream", ""),
        "sender": rec.get("tcplife.sender", ""),
        "phase": rec.get("tcplife.phase", ""),
        "hs": rec.get("tcplife.handshake.step", ""),
        "td": rec.get("tcplife.teardown.step", ""),
        "client": rec.get("tcplife.client.state", ""),
        "server": rec.get("tcplife.server.state", ""),
        "retrans": rec.get("tcplife.retransmission", ""),
    }


def filter_frames(capture, build, expr):
    out, err = tshark_read(capture, ["-Y", expr, "-T", "fields", "-e", "frame.number"], build)
    if err.strip():
        raise SystemExit("filter %r: stderr: %s" % (expr, err))
    return {int(x) for x in out.split()}


def expected_conns(expected, flags):
    """Per stream, what the connection summary must say, derived from the
    per-frame table: first frame of each step and of the first RST, closer."""
    conns = {}
    for frame in sorted(expected):
        e = expected[frame]
        c = conns.setdefault(e["stream"], {"hs": [0, 0, 0], "td": [0, 0, 0, 0], "rst": 0,
                                           "closer": "none"})
        if e["hs"] and not c["hs"][int(e["hs"]) - 1]:
            c["hs"][int(e["hs"]) - 1] = frame
        for step in filter(None, e["td"].split(",")):
            if not c["td"][int(step) - 1]:
                c["td"][int(step) - 1] = frame
                if step == "1":
                    c["closer"] = e["sender"]
        if e["phase"] == "reset" and not c["rst"]:
            c["rst"] = frame
        if frame in flags.get("tcplife.simultaneous_close", set()):
            c["closer"] = "both"
    return conns


def stats_rows(capture, build, two_pass):
    args = ["-q", "-z", "tcplife,conns"] + (["-2"] if two_pass else [])
    out, err = tshark_read(capture, args, build)
    rows = {}
    for line in out.splitlines():
        cells = [x.strip() for x in line.split("|")]
        if len(cells) >= 11 and cells[0].isdigit():
            # Handshake "1 2 3", Teardown "21 25 25 26": "-" is a step not seen.
            rows[cells[0]] = {"client": cells[1], "server": cells[2], "closer": cells[5],
                              "hs": [0 if x == "-" else int(x) for x in cells[6].split()],
                              "td": [0 if x == "-" else int(x) for x in cells[7].split()],
                              "rst": int(cells[8])}
    return rows, out, err


def count_problems(capture, build, with_plugin):
    args = ["-T", "fields", "-e", "_ws.malformed", "-e", "_ws.expert.message", "-E",
            "occurrence=a"]
    if not with_plugin:
        args += ["--disable-protocol", "tcplife"]
    out, err = tshark_read(capture, args, build)
    malformed = sum(1 for line in out.splitlines() if line.split("\t")[0])
    bugs = out.count("Dissector bug") + err.count("Dissector bug")
    return malformed, bugs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("expected")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    a = ap.parse_args()

    names = value_names(a.build)
    if "tcplife.sender" not in names:
        raise SystemExit("tcplife did not load: no tcplife value names in tshark -G values")
    version = wsversion.tshark_version()
    table = wsversion.versioned_table(a.expected, version)
    flags_path = wsversion.versioned_table(os.path.splitext(a.expected)[0] + ".flags", version)
    expected = load_expected(table)
    flags = load_flags(flags_path)
    one, err1 = fields_table(a.capture, a.build, False, names)
    two, err2 = fields_table(a.capture, a.build, True, names)
    failures = []
    checks = 0

    for err, mode in ((err1, "one pass"), (err2, "two pass")):
        checks += 1
        if err.strip():
            failures.append("%s: unexpected stderr: %s" % (mode, err.strip()[:500]))

    for frame in sorted(one):
        checks += 1
        if one[frame] != two.get(frame):
            failures.append("frame %d: one pass %s != two pass %s"
                            % (frame, one[frame], two.get(frame)))

    # The plugin reads stream and length its own way: they must be TCP's.
    for frame, rec in sorted(one.items()):
        if rec.get("tcplife.sender"):
            checks += 2
            if rec.get("tcplife.stream") != rec.get("tcp.stream"):
                failures.append("frame %d: tcplife.stream %r, tcp.stream %r"
                                % (frame, rec.get("tcplife.stream"), rec.get("tcp.stream")))
            want_len = rec.get("tcp.len") if rec.get("tcp.len") not in ("", "0") else ""
            if rec.get("tcplife.data", "") != want_len:
                failures.append("frame %d: tcplife.data %r, tcp.len %r"
                                % (frame, rec.get("tcplife.data"), rec.get("tcp.len")))

    tcp_frames = {f for f, rec in one.items() if rec.get("tcp.stream", "")}
    missing = tcp_frames - set(expected)
    if missing:
        failures.append("frames with TCP but no expected row: %s" % sorted(missing))
    for frame, exp in sorted(expected.items()):
        got = actual_row(one.get(frame, {}))
        for col in COLUMNS[1:]:
            checks += 1
            if got[col] != exp[col]:
                failures.append("frame %d %s: expected %r, got %r (label %r)"
                                % (frame, col, exp[col], got[col],
                                   one.get(frame, {}).get("tcplife.label", "")))

    for field in FLAG_FIELDS:
        want = flags.get(field, set())
        got = {f for f, rec in one.items() if rec.get(field) in ("1", "True")}
        checks += 1
        if want != got:
            failures.append("%s: expected on frames %s, got %s" % (field, sorted(want),
                                                                   sorted(got)))

    # Display filters on our fields select exactly what the table says.
    # Each tshark run costs a start-up: probe the filters that select
    # something here, and always the one on a field that occurs twice.
    probes = [("tcplife.handshake.step == 1", lambda e: e["hs"] == "1"),
              ("tcplife.teardown.step == 2", lambda e: "2" in e["td"].split(",")),
              ("tcplife.teardown.step == 3", lambda e: "3" in e["td"].split(",")),
              ('tcplife.server.state == "LAST-ACK"', lambda e: e["server"] == "LAST-ACK"),
              ('tcplife.client.state == "time-wait"', lambda e: e["client"] == "TIME-WAIT"),
              ('tcplife.phase == "reset"', lambda e: e["phase"] == "reset")]
    for expr, pred in probes:
        want = {f for f, e in expected.items() if pred(e)}
        if not want and "teardown.step == 2" not in expr:
            continue
        got = filter_frames(a.capture, a.build, expr)
        checks += 1
        if want != got:
            failures.append("filter %r: expected %s, got %s" % (expr, sorted(want), sorted(got)))

    # The per-connection table, single pass and -2, against the summary the
    # per-frame table implies.
    want_conns = expected_conns(expected, flags)
    rows1, text1, e1 = stats_rows(a.capture, a.build, False)
    rows2, text2, e2 = stats_rows(a.capture, a.build, True)
    checks += 2
    if text1 != text2 or e1.strip() or e2.strip():
        failures.append("-z tcplife,conns differs between one and two passes (or stderr)")
    if set(rows2) != set(want_conns):
        failures.append("-z tcplife,conns streams %s, expected %s" % (sorted(rows2),
                                                                       sorted(want_conns)))
    for stream, want in sorted(want_conns.items()):
        got = rows2.get(stream, {})
        for key in ("hs", "td", "rst", "closer"):
            checks += 1
            if got.get(key) != want[key]:
                failures.append("stream %s %s: expected %s, got %s" % (stream, key, want[key],
                                                                      got.get(key)))

    # Whole-capture judgements (two passes): complete, and the expert infos
    # said on a connection's last frame.
    last = {}
    for frame, e in expected.items():
        last[e["stream"]] = max(frame, last.get(e["stream"], 0))
    reached = {e["stream"] for e in expected.values()
               if e["phase"] in ("established", "closing")}
    out, _ = tshark_read(a.capture, ["-2", "-T", "fields", "-e", "frame.number", "-e",
                                     "tcp.stream", "-e", "tcplife.conn.complete"], a.build)
    complete = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) == 3 and cols[1]:
            complete[cols[1]] = cols[2] in ("1", "True")
    for stream, c in want_conns.items():
        want = all(c["hs"]) and all(c["td"]) and not c["rst"]
        checks += 1
        if complete.get(stream) != want:
            failures.append("stream %s complete: expected %s, got %s"
                            % (stream, want, complete.get(stream)))
    for expr, pred in (
            ("tcplife.expert.handshake_incomplete",
             lambda st: st not in reached and not want_conns[st]["rst"]
             and want_conns[st]["hs"][0]),
            ("tcplife.expert.still_open",
             lambda st: expected[last[st]]["phase"] not in ("closed", "reset"))):
        want = {last[st] for st in last if pred(st)}
        out, _ = tshark_read(a.capture, ["-2", "-Y", expr, "-T", "fields", "-e",
                                         "frame.number"], a.build)
        got = {int(x) for x in out.split()}
        checks += 1
        if want != got:
            failures.append("-2 filter %r: expected %s, got %s" % (expr, sorted(want),
                                                                 sorted(got)))

    with_p = (sum(1 for r in one.values() if r.get("_ws.malformed")),
              err1.count("Dissector bug"))
    without_p = count_problems(a.capture, a.build, False)
    checks += 1
    if with_p[0] > without_p[0] or with_p[1] > 0:
        failures.append("malformed/dissector bug: with plugin %s, without %s" % (with_p,
                                                                               without_p))

    cleanup()
    name = os.path.basename(a.capture)
    for f in failures:
        print("FAIL %s: %s" % (name, f))
    used = [os.path.relpath(p, ROOT) for p in (table, flags_path)
            if p != a.expected and p != os.path.splitext(a.expected)[0] + ".flags"]
    print("%s: %d frames, %d checks, %d failures (Wireshark %s%s)"
          % (name, len(expected), checks, len(failures), ".".join(map(str, version)),
             "; " + ", ".join(used) if used else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
