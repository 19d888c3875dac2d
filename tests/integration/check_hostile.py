#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Broken input through TShark with the plugin: snaplen-truncated copies
(cutting inside the TCP header and inside the payload) and randomly
corrupted copies (editcap -E) of captures.

For every file: tshark exits as it does without the plugin; no "Dissector
bug" and no stderr that the run without the plugin does not print; no more
malformed packets than without the plugin; every frame with a `tcp` layer
carries a `tcplife` tree (annotated, or said to be unreadable), except TCP
headers quoted inside ICMP errors, which are not segments of a connection.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_capture as cc  # noqa: E402

SNAPLENS = [40, 44, 50, 54, 60, 70, 90]
RATES = ["0.001", "0.01", "0.05"]


def run(path, build, plugin):
    args = ["-r", path, "-T", "fields", "-e", "frame.number", "-e", "tcp.srcport",
            "-e", "tcplife", "-e", "_ws.malformed", "-e", "icmp", "-e", "icmpv6"]
    if not plugin:
        args += ["--disable-protocol", "tcplife"]
    env = dict(os.environ, TCPLIFE_BUILD=build, TCPLIFE_LOADED="1")
    p = subprocess.run([cc.TSHARK] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def variants(capture, work, seed):
    out = []
    base = os.path.splitext(os.path.basename(capture))[0]
    for s in SNAPLENS:
        dst = os.path.join(work, "%s.s%d.pcap" % (base, s))
        subprocess.run(["editcap", "-s", str(s), capture, dst], check=True,
                       capture_output=True)
        out.append(dst)
    for i, rate in enumerate(RATES):
        dst = os.path.join(work, "%s.e%s.pcap" % (base, rate))
        subprocess.run(["editcap", "-E", rate, "--seed", str(seed + i), capture, dst],
                       check=True, capture_output=True)
        out.append(dst)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("captures", nargs="+")
    ap.add_argument("--build", default=os.path.join(cc.ROOT, "build"))
    ap.add_argument("--seed", type=int, default=1124)
    a = ap.parse_args()
    names = cc.value_names(a.build)  # also proves the plugin loads
    assert "tcplife.sender" in names
    work = tempfile.mkdtemp(prefix="tcplife-hostile.")
    os.chmod(work, 0o755)
    failures, files = [], 0
    try:
        for cap in a.captures:
            for path in variants(cap, work, a.seed):
                os.chmod(path, 0o644)
                files += 1
                rc1, out1, err1 = run(path, a.build, True)
                rc0, out0, err0 = run(path, a.build, False)
                name = os.path.basename(path)
                if rc1 != rc0:
                    failures.append("%s: exit %d with plugin, %d without" % (name, rc1, rc0))
                if "Dissector bug" in out1 + err1 or (err1.strip() and err1 != err0):
                    failures.append("%s: stderr %r" % (name, err1.strip()[:200]))
                mal1 = sum(1 for l in out1.splitlines() if len(l.split("\t")) > 3
                           and l.split("\t")[3])
                mal0 = sum(1 for l in out0.splitlines() if len(l.split("\t")) > 3
                           and l.split("\t")[3])
                if mal1 > mal0:
                    failures.append("%s: %d malformed with plugin, %d without" % (name, mal1,
                                                                                 mal0))
                for line in out1.splitlines():
                    cols = line.split("\t") + [""] * 6
                    quoted = cols[4] or cols[5]
                    if cols[1] and not cols[2] and not quoted:
                        failures.append("%s frame %s: TCP without tcplife" % (name, cols[0]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures[:40]:
        print("FAIL", f)
    print("hostile: %d files, %d failures" % (files, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
