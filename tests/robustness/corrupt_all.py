#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Corrupted copies (editcap -E) of every capture of the test suite
(tests/captures, tests/http-captures, demo, tests/robustness/captures) and
of the external corpus (<root>/../shared/corpus: Zeek traces, Suricata
pcaps), each run through TShark with the plugin and without
(--disable-protocol tcplife). SPEC §8: the plugin never crashes, asserts,
throws a dissector exception of its own or marks a packet malformed.

Per file, a failure is any of:
  - a different exit status with the plugin (a signal, a timeout);
  - "Dissector bug" in the output or stderr with the plugin only;
  - more frames with _ws.malformed with the plugin;
  - a stderr line with the plugin that the run without it does not print;
  - a different number of frames dissected;
  - a frame whose (outermost, not ICMP-quoted) TCP layer has no tcplife tree.
The run with the plugin also fills the -z tcplife,conns table. Files are
read with -T fields and our fields (full tree), except every fourth file in
two passes (-2) and every fourth as plain summary lines (the plugin's fast
path, no tree of ours: malformed frames counted from the Info column).

All variants: captures x RATES x SEEDS (about 1,000 with the corpus).
--limit N runs a deterministic, evenly spread sample of N of them (CI: 60).
Failing corrupted files are kept in --keep (default: a temp dir printed).
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust_common as rc  # noqa: E402

RATES = ["0.002", "0.02", "0.1"]
SEEDS = 3
FIELDS = ["frame.number", "tcp.srcport", "tcplife", "_ws.malformed",
          "_ws.malformed.dissector_bug", "icmp", "icmpv6", "tcplife.label",
          "tcplife.conn.history", "_ws.col.Info"]
COL = {f: i for i, f in enumerate(FIELDS)}


def variants(captures):
    out = []
    for cap in captures:
        name = os.path.basename(cap)
        base = zlib.crc32(name.encode()) % 100000
        for i, rate in enumerate(RATES):
            for k in range(SEEDS):
                out.append((cap, rate, base + 1000 * i + k))
    return out


def parse(out):
    rows = []
    for line in out.splitlines():
        if "\t" not in line:
            continue                       # the -z table, after the frames
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows.append(cols)
    return rows


def check(ts, work, var, index):
    cap, rate, seed = var
    name = "%s.E%s.s%d%s" % (os.path.basename(cap).split(".")[0], rate, seed,
                             ".pcapng" if ".pcapng" in cap else ".pcap")
    path = os.path.join(work, name)
    subprocess.run(["editcap", "-E", rate, "--seed", str(seed), cap, path], check=True,
                   capture_output=True)
    os.chmod(path, 0o644)
    summary = index % 4 == 1
    if summary:
        # Plain summary lines: the plugin's fast path (no field of ours
        # asked for, only the Info column prefix).
        args = ["-r", path]
    else:
        args = ["-r", path, "-T", "fields"]
        for f in FIELDS:
            args += ["-e", f]
        if index % 4 == 3:
            args.append("-2")
    r1 = ts.run(args + ["-z", "tcplife,conns"])
    r0 = ts.run(args + ["--disable-protocol", "tcplife"])
    fails = []
    (rc1, out1, err1), (rc0, out0, err0) = r1, r0
    crash = rc1 == "timeout" or (isinstance(rc1, int) and (rc1 < 0 or rc1 >= 128))
    if rc1 != rc0:
        fails.append("exit %s with plugin, %s without" % (rc1, rc0))
    bug1 = "Dissector bug" in out1 or "Dissector bug" in err1
    bug0 = "Dissector bug" in out0 or "Dissector bug" in err0
    if bug1 and not bug0:
        fails.append("Dissector bug with plugin only")
    new_err = [l for l in err1.splitlines() if l.strip() and l not in err0.splitlines()]
    if new_err:
        fails.append("new stderr: %r" % new_err[:3])
    if summary:
        ls1 = out1.splitlines()
        if "TCP Connection Lifecycle:" in ls1:     # the -z table follows the frames
            ls1 = ls1[:ls1.index("TCP Connection Lifecycle:")]
        lines1 = [l for l in ls1 if re.match(r"\s*\d+ ", l)]
        lines0 = [l for l in out0.splitlines() if re.match(r"\s*\d+ ", l)]
        mal1 = sum("Malformed Packet" in l for l in lines1)
        mal0 = sum("Malformed Packet" in l for l in lines0)
        n1, n0 = len(lines1), len(lines0)
    else:
        rows1, rows0 = parse(out1), parse(out0)
        mal1 = sum(1 for r in rows1 if r[COL["_ws.malformed"]])
        mal0 = sum(1 for r in rows0 if r[COL["_ws.malformed"]])
        n1, n0 = len(rows1), len(rows0)
        bare = [r[0] for r in rows1 if r[COL["tcp.srcport"]] and not r[COL["tcplife"]]
                and not (r[COL["icmp"]] or r[COL["icmpv6"]])]
        if bare:
            fails.append("TCP frames without tcplife: %s" % ",".join(bare[:10]))
    if mal1 > mal0:
        fails.append("%d malformed frames with plugin, %d without" % (mal1, mal0))
    if n1 != n0:
        fails.append("%d frames with plugin, %d without" % (n1, n0))
    return name, path, fails, crash, bug0, mal0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(rc.ROOT, "build"))
    ap.add_argument("--corpus", help="default: <root>/../shared/corpus (skipped if absent)")
    ap.add_argument("--limit", type=int, default=0, help="run a sample of N files (0: all)")
    ap.add_argument("--sample-seed", type=int, default=5)
    ap.add_argument("--match", help="only captures whose path matches this regex")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--keep", help="copy failing corrupted files here")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    corpus = rc.find_corpus(a.corpus)
    caps = rc.project_captures() + rc.corpus_captures(corpus)
    if a.match:
        caps = [c for c in caps if re.search(a.match, c)]
    allv = variants(caps)
    todo = allv
    if a.limit and a.limit < len(allv):
        rnd = random.Random(a.sample_seed)
        todo = rnd.sample(allv, a.limit)
    print("corrupt_all: %d captures (%s), %d variants, running %d" %
          (len(caps), "with corpus %s" % corpus if corpus else "no corpus", len(allv),
           len(todo)), flush=True)

    ts = rc.Tshark(a.build)
    work = tempfile.mkdtemp(prefix="tcplife-corrupt.")
    os.chmod(work, 0o755)
    keep = a.keep
    failures, crashes, ws_bugs, ws_malformed, done = [], 0, 0, 0, 0
    t0 = time.time()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            futs = [pool.submit(check, ts, work, v, i) for i, v in enumerate(todo)]
            for fut in futs:
                name, path, fails, crash, bug0, mal0 = fut.result()
                done += 1
                crashes += crash
                ws_bugs += bug0
                ws_malformed += mal0 > 0
                if fails:
                    if not keep:
                        keep = tempfile.mkdtemp(prefix="tcplife-corrupt-fail.")
                    os.makedirs(keep, exist_ok=True)
                    shutil.copy(path, keep)
                    for f in fails:
                        failures.append("%s: %s" % (name, f))
                        print("FAIL %s: %s" % (name, f), flush=True)
                os.unlink(path)
                if a.verbose or done % 50 == 0:
                    print("... %d/%d files, %d failures, %.0f s" %
                          (done, len(todo), len(failures), time.time() - t0), flush=True)
    finally:
        ts.close()
        shutil.rmtree(work, ignore_errors=True)
    print("corrupt_all: %d files tried, %d failures, %d crashes/timeouts; "
          "without the plugin: %d files with malformed frames, %d with a Wireshark "
          "dissector bug; %.0f s" % (done, len(failures), crashes, ws_malformed, ws_bugs,
                                     time.time() - t0))
    if keep and failures:
        print("failing files kept in %s" % keep)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
