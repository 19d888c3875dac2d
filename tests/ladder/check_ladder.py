#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Ladder diagrams (-z tcplife,ladder): for each capture, the text ladder of
a single pass equals that of two passes and equals the reviewed golden
file tests/ladder/golden/<capture>.txt (Unicode) and <capture>.ascii.txt;
the SVG variant is well-formed XML with one arrow per unfolded row; with
the connection table open too (which fills its rows without the tap on a
first pass), the ladder is the same.
--update rewrites the golden files (review the diff before committing: the
states and labels in them are those the per-frame tables check).
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import check_capture as cc  # noqa: E402


def ladder(capture, build, opts, two_pass, table=False):
    args = (["-q"] + (["-z", "tcplife,conns"] if table else []) +
            ["-z", "tcplife,ladder" + opts] + (["-2"] if two_pass else []))
    out, err = cc.tshark_read(capture, args, build)
    if err.strip():
        raise SystemExit("%s: stderr: %s" % (capture, err))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("captures", nargs="+")
    ap.add_argument("--build", default=os.path.join(cc.ROOT, "build"))
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    cc.value_names(a.build)
    failures, checks = [], 0
    for cap in a.captures:
        name = os.path.splitext(os.path.basename(cap))[0]
        text = None
        for opts, suffix in (("", ".txt"), (",ascii", ".ascii.txt")):
            one = ladder(cap, a.build, opts, False)
            text = text or one
            two = ladder(cap, a.build, opts, True)
            golden = os.path.join(HERE, "golden", name + suffix)
            checks += 2
            if one != two:
                failures.append("%s%s: one pass and two passes differ" % (name, opts))
            if a.update:
                with open(golden, "w", encoding="utf-8") as f:
                    f.write(one)
            elif not os.path.exists(golden):
                failures.append("%s: no golden file %s" % (name, golden))
            elif open(golden, encoding="utf-8").read() != one:
                failures.append("%s%s: differs from %s" % (name, opts, golden))
        checks += 1
        if text not in ladder(cap, a.build, "", False, table=True):
            failures.append("%s: the ladder differs when the connection table is open" % name)
        svg = ladder(cap, a.build, ",svg", False)
        checks += 2
        try:
            root = ET.fromstring(svg.encode("utf-8"))
            ns = "{http://www.w3.org/2000/svg}"
            arrows = [e for e in root.iter(ns + "line") if e.get("marker-end")]
            rows = sum(1 for line in text.splitlines() if "#" in line and ("\u25b6" in line or
                                                                         "\u25c0" in line))
            if len(arrows) != rows:
                failures.append("%s svg: %d arrows, text ladder has %d" % (name, len(arrows),
                                                                           rows))
        except ET.ParseError as e:
            failures.append("%s svg: not well-formed: %s" % (name, e))
    cc.cleanup()
    for f in failures:
        print("FAIL", f)
    print("ladder: %d captures, %d checks, %d failures" % (len(a.captures), checks,
                                                          len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
