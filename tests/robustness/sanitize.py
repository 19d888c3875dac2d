#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The plugin under AddressSanitizer + UndefinedBehaviorSanitizer, or the
normal plugin under valgrind memcheck, inside the system TShark.

  sanitize.py asan --build build-asan-plugin [--corrupt N] [--no-corpus]
      Needs a build configured with
        -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
      tshark runs with LD_PRELOAD of gcc's libasan.so and libubsan.so
      (gcc -print-file-name=...), ASAN_OPTIONS=detect_leaks=0 (tshark leaks
      by design), UBSAN_OPTIONS=print_stacktrace=1, reports written to a log
      folder, WIRESHARK_DEBUG_WMEM_OVERRIDE=simple and G_SLICE=always-malloc
      (one malloc per wmem/slice allocation, so ASan sees their bounds). Every capture of the test suite and of the corpus, plus N
      corrupted copies (corrupt_all.py's variants, a fixed sample), each read
      three times: -V -z tcplife,conns (first pass, whole tree), -2 -V
      (revisits) and plain summary lines with -z tcplife,conns (fast path).

  sanitize.py valgrind --build build [CAPTURE...]
      valgrind --error-exitcode=99 tshark -r CAPTURE -V (default: 3 small
      captures); errors whose stack goes through tcplife.so are reported.

Exit 1 when a sanitizer report or a valgrind error in tcplife.so is found.
"""
import argparse
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust_common as rc  # noqa: E402
import corrupt_all  # noqa: E402


def gcc_lib(name):
    p = subprocess.run(["gcc", "-print-file-name=" + name], capture_output=True, text=True)
    path = p.stdout.strip()
    if not os.path.isabs(path) or not os.path.exists(path):
        raise SystemExit("gcc does not know %s" % name)
    return os.path.realpath(path)


def asan(a):
    logs = tempfile.mkdtemp(prefix="tcplife-asan-logs.")
    os.chmod(logs, 0o777)
    env = {"LD_PRELOAD": "%s %s" % (gcc_lib("libasan.so"), gcc_lib("libubsan.so")),
           "ASAN_OPTIONS": "detect_leaks=0:log_path=%s/asan" % logs,
           "UBSAN_OPTIONS": "print_stacktrace=1:log_path=%s/ubsan" % logs,
           # Every wmem and GSlice allocation its own malloc block, so that
           # ASan's redzones surround what the plugin allocates in file
           # and packet scope too.
           "WIRESHARK_DEBUG_WMEM_OVERRIDE": "simple", "G_SLICE": "always-malloc"}
    ts = rc.Tshark(a.build, env=env)
    caps = rc.project_captures() + ([] if a.no_corpus else
                                    rc.corpus_captures(rc.find_corpus(a.corpus)))
    jobs = [(c, None) for c in caps]
    if a.corrupt:
        allv = corrupt_all.variants(caps)
        jobs += [(None, v) for v in random.Random(a.sample_seed).sample(allv, a.corrupt)]
    reports, runs, bad_exit = [], 0, []
    try:
        for i, (cap, var) in enumerate(jobs):
            if var:
                cap, rate, seed = var
                path = os.path.join(ts.work, "%s.E%s.s%d%s" % (
                    os.path.basename(cap).split(".")[0], rate, seed,
                    ".pcapng" if ".pcapng" in cap else ".pcap"))
                subprocess.run(["editcap", "-E", rate, "--seed", str(seed), cap, path],
                               check=True, capture_output=True)
                os.chmod(path, 0o644)
            else:
                path = ts.readable_copy(cap)
            name = os.path.basename(path)
            # Whole tree in the first pass, revisits, and the fast path
            # (summary lines: nothing of ours asked for but the Info prefix).
            for args in (["-V", "-z", "tcplife,conns"], ["-2", "-V"], ["-z", "tcplife,conns"]):
                before = set(os.listdir(logs))
                code, _, err = ts.run(["-r", path] + args, keep_stdout=False, timeout=3600)
                runs += 1
                new = sorted(set(os.listdir(logs)) - before)
                text = "".join(open(os.path.join(logs, f), errors="replace").read()
                               for f in new)
                text += "".join(l + "\n" for l in err.splitlines()
                                if "Sanitizer" in l or "runtime error" in l)
                if text.strip():
                    reports.append((name, " ".join(args), text))
                    print("REPORT %s (%s):\n%s" % (name, " ".join(args), text[:3000]),
                          flush=True)
                if code not in (0, 2):     # 2: tshark read error on a cut file
                    bad_exit.append("%s (%s): exit %s" % (name, " ".join(args), code))
            if var:
                os.unlink(path)
            if (i + 1) % 25 == 0:
                print("... %d/%d files, %d tshark runs, %d reports" %
                      (i + 1, len(jobs), runs, len(reports)), flush=True)
    finally:
        ts.close()
    for b in bad_exit:
        print("EXIT", b)
    print("asan+ubsan: %d files (%d captures, %d corrupted), %d tshark runs, %d with a "
          "sanitizer report, %d unexpected exit codes; logs in %s" % (
              len(jobs), len(caps), len(jobs) - len(caps), runs, len(reports), len(bad_exit),
              logs))
    if not reports:
        shutil.rmtree(logs, ignore_errors=True)
    return 1 if reports or bad_exit else 0


DEFAULT_VG = ["demo/demo.pcap", "tests/http-captures/pipelined.pcap",
              "tests/robustness/captures/icmp_quote_v4.pcap"]


def valgrind(a):
    caps = a.captures or [os.path.join(rc.ROOT, c) for c in DEFAULT_VG]
    ts = rc.Tshark(a.build, wrapper=["valgrind", "--error-exitcode=99", "--num-callers=40",
                                     "--leak-check=no"])
    ours, total = [], 0
    try:
        for cap in caps:
            path = ts.readable_copy(cap)
            code, _, err = ts.run(["-r", path, "-V", "-z", "tcplife,conns"],
                                  keep_stdout=False, timeout=7200)
            m = re.search(r"ERROR SUMMARY: (\d+) errors", err)
            n = int(m.group(1)) if m else -1
            total += max(n, 0)
            # Error blocks: from a line naming the error to the next blank one.
            blocks = re.split(r"\n==\d+== \n", err)
            mine = [b for b in blocks if "tcplife" in b and re.search(
                r"Invalid|uninitialised|Conditional jump|Mismatched|overlap|free", b)]
            ours += [(cap, b) for b in mine]
            print("%s: exit %s, valgrind errors %d, through tcplife.so %d" %
                  (os.path.basename(cap), code, n, len(mine)), flush=True)
            for b in mine[:3]:
                print(b[:3000])
            if n < 0:
                print(err[-3000:])
    finally:
        ts.close()
    print("valgrind: %d captures, %d errors in all, %d through tcplife.so" %
          (len(caps), total, len(ours)))
    return 1 if ours else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("asan")
    s.add_argument("--build", default=os.path.join(rc.ROOT, "build-asan-plugin"))
    s.add_argument("--corpus")
    s.add_argument("--no-corpus", action="store_true")
    s.add_argument("--corrupt", type=int, default=100)
    s.add_argument("--sample-seed", type=int, default=11)
    v = sub.add_parser("valgrind")
    v.add_argument("--build", default=os.path.join(rc.ROOT, "build"))
    v.add_argument("captures", nargs="*")
    a = ap.parse_args()
    return asan(a) if a.cmd == "asan" else valgrind(a)


if __name__ == "__main__":
    sys.exit(main())
