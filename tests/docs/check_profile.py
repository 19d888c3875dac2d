#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "tcplife" profile (profile/tcplife) works with `tshark -C tcplife`.

The profile is put where `cmake --install` puts it, in Wireshark's global
profiles folder, here a stand-in given by WIRESHARK_DATA_DIR (the wrapper
scripts/tshark-tcplife isolates HOME and the personal configuration, and
passes WIRESHARK_DATA_DIR through); TShark copies a global profile into the
personal configuration on first use, as the GUI does. (The personal-folder
route is tested with scripts/install-user.sh in check_install.py.)

For each capture with an expected table, checks:
  - the column titles are the profile's (No. ... Lifecycle, Client state,
    Server state, Info);
  - Client state / Server state equal the table on every frame, Lifecycle
    equals tcplife.label, and a few labels are the words of demo/expected.tsv;
  - with --color, each frame gets the expected colouring rule: handshake,
    teardown and reset frames the tcplife rules, others none of them;
  - nothing on stderr (a malformed preference or colour rule would warn).
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlenv  # noqa: E402

CAPTURES = [
    ("demo/demo.pcap", "demo/expected.tsv"),
    ("tests/captures/kernel_rst_after_fin.pcap", "tests/expected/kernel_rst_after_fin.tsv"),
    ("tests/captures/kernel_abort_established.pcap", "tests/expected/kernel_abort_established.tsv"),
    ("tests/captures/crafted_simultaneous_close.pcap", "tests/expected/crafted_simultaneous_close.tsv"),
]
# Words checked literally (demo/expected.tsv reasons the steps and states).
DEMO_LABELS = {
    1: ("Handshake 1/3: SYN", "SYN-SENT", "SYN-RECEIVED"),
    3: ("Handshake 3/3: ACK", "ESTABLISHED", "ESTABLISHED"),
    22: ("Teardown 2/4: ACK S→C", "FIN-WAIT-2", "CLOSE-WAIT"),
    25: ("Teardown 2+3/4: FIN+ACK S→C", "TIME-WAIT", "LAST-ACK"),
    26: ("Teardown 4/4: ACK C→S", "TIME-WAIT", "CLOSED"),
}

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


LOADED = []


def tshark(build, datadir, args):
    env = dict(os.environ, TCPLIFE_BUILD=build, WIRESHARK_DATA_DIR=datadir)
    if LOADED:  # the wrapper checked on the first call that the plugin loads
        env["TCPLIFE_LOADED"] = "1"
    p = subprocess.run([tlenv.WRAPPER] + args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("tshark %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    LOADED.append(True)
    if p.stderr.strip():
        fail("stderr from tshark %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


def check_capture(build, datadir, capture, table):
    name = os.path.basename(capture)
    rows = tlenv.expected_table(table)
    titles, psml = tlenv.psml_rows(tshark(build, datadir, ["-C", "tcplife", "-r", capture, "-T", "psml"]))
    if titles != tlenv.COLUMNS:
        fail("%s: columns %s, want %s" % (name, titles, tlenv.COLUMNS))
        return
    col = {t: i for i, t in enumerate(titles)}
    labels = {}
    for line in tshark(build, datadir, ["-r", capture, "-T", "fields", "-e", "frame.number",
                                        "-e", "tcplife.label"]).splitlines():
        num, _, label = line.partition("\t")
        labels[int(num)] = label
    if len(psml) != len(rows):
        fail("%s: %d frames in the packet list, %d in the table" % (name, len(psml), len(rows)))
    for cells in psml:
        frame = int(cells[col["No."]])
        row = rows.get(frame)
        if row is None:
            continue
        got = (cells[col["Lifecycle"]], cells[col["Client state"]], cells[col["Server state"]])
        if got[1:] != (row["client"], row["server"]):
            fail("%s frame %d: states %s, want %s" % (name, frame, got[1:], (row["client"], row["server"])))
        if got[0] != labels.get(frame):
            fail("%s frame %d: Lifecycle %r, tcplife.label %r" % (name, frame, got[0], labels.get(frame)))
        if name == "demo.pcap" and frame in DEMO_LABELS and got != DEMO_LABELS[frame]:
            fail("%s frame %d: %s, want %s" % (name, frame, got, DEMO_LABELS[frame]))

    colours = tshark(build, datadir, ["-C", "tcplife", "-r", capture, "--color", "-T", "fields",
                                      "-e", "frame.number", "-e", "frame.coloring_rule.name"])
    seen = set()
    for line in colours.splitlines():
        num, _, rule = line.partition("\t")
        frame = int(num)
        want = tlenv.expected_rule(rows[frame])
        ours = rule if rule.startswith("tcplife:") else None
        if ours != want:
            fail("%s frame %d: colouring rule %r, want %r" % (name, frame, rule, want))
        if ours:
            seen.add(ours)
    print("%s: %d frames, columns and colours as expected (%s)"
          % (name, len(rows), ", ".join(sorted(seen)) or "no tcplife rule"))
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(tlenv.ROOT, "build"))
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = tlenv.tmpdir("tcplife-profile.")
    try:
        datadir = tlenv.data_dir_with_profiles(os.path.join(work, "data"), {"tcplife": tlenv.PROFILE})
        seen = set()
        for capture, table in CAPTURES:
            copy = tlenv.copy_capture(os.path.join(tlenv.ROOT, capture), work)
            seen |= check_capture(build, datadir, copy, os.path.join(tlenv.ROOT, table)) or set()
        if seen != set(tlenv.RULES.values()):
            fail("rules never applied: %s" % (set(tlenv.RULES.values()) - seen))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    print("profile tcplife: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
