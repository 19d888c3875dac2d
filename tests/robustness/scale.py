#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Scale: TShark with and without the plugin on gen_conns.py captures of N
connections (8 frames each), measured with /usr/bin/time -v.

    scale.py [--n 10000 100000 1000000] [--repeat R] [--dir DIR] [--build B]
    scale.py --smoke 2000       # CI: correctness at N connections + one timing

For each N: `tshark -r F -q -Y "tcp.flags.fin == 1"` with the plugin and with --disable-protocol
tcplife (plugin loaded, post-dissector off), best of R runs. CPU time
(user + sys, steadier than wall time on a shared machine) minus the start-up
measured on an empty capture, per frame; peak RSS (ru_maxrss) minus the
empty-capture RSS, per connection and per frame. Flat per-frame time across
N means no super-linear structure; the plugin's memory is the difference of
the two runs' peaks. The captures go to DIR (default a temp dir, kept for
reuse: pass the same --dir again); never commit them.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust_common as rc  # noqa: E402
import gen_conns  # noqa: E402

# tshark -q alone dissects nothing (no output, no tap, no filter needs it):
# a display filter makes it dissect every frame, as the project's
# benchmark does (WIRESHARK-NOTES: "What a post-dissector costs").
FILTER = "tcp.flags.fin == 1"


def timed(ts, path, plugin):
    args = ["-r", path, "-q", "-Y", FILTER] + ([] if plugin else ["--disable-protocol", "tcplife"])
    code, out, err = ts.run(args, timeout=7200)
    if code != 0:
        raise SystemExit("tshark failed (%s) on %s: %s" % (code, path, err[-2000:]))
    get = lambda pat: re.search(pat, err).group(1)  # noqa: E731
    cpu = float(get(r"User time \(seconds\): ([\d.]+)")) + \
        float(get(r"System time \(seconds\): ([\d.]+)"))
    wall = get(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)")
    w = 0.0
    for part in wall.split(":"):
        w = w * 60 + float(part)
    return cpu, w, int(get(r"Maximum resident set size \(kbytes\): (\d+)")) * 1024


def best(ts, path, plugin, repeat):
    runs = [timed(ts, path, plugin) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), min(r[2] for r in runs)


def capture(d, n):
    path = os.path.join(d, "conns-%d.pcap" % n)
    if not os.path.exists(path):
        subprocess.run(["nice", sys.executable, gen_conns.__file__, path, str(n)], check=True,
                       stdout=subprocess.DEVNULL)
        os.chmod(path, 0o644)
    return path


def smoke(ts, d, n):
    path = capture(d, n)
    code, out, err = ts.run(["-r", path, "-q", "-z", "tcplife,conns"], timeout=1800)
    rows = [l for l in out.splitlines() if re.match(r"\s*\d+ \|", l)]
    good = [l for l in rows if re.search(r"\|SF +\|ShADdFf +\|client \|", l)]
    ok = code == 0 and not err.strip() and len(rows) == n and len(good) == n
    print("smoke: %d connections, %d rows, %d SF ShADdFf closed by the client, stderr %r" %
          (n, len(rows), len(good), err.strip()[:200]))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--dir")
    ap.add_argument("--build", default=os.path.join(rc.ROOT, "build"))
    ap.add_argument("--smoke", type=int, metavar="N")
    a = ap.parse_args()
    d = a.dir or tempfile.mkdtemp(prefix="tcplife-scale.")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    if a.smoke:
        ts = rc.Tshark(a.build)
        try:
            return 0 if smoke(ts, d, a.smoke) else 1
        finally:
            ts.close()
            if not a.dir:
                shutil.rmtree(d, ignore_errors=True)
    ts = rc.Tshark(a.build, wrapper=["/usr/bin/time", "-v"])
    try:
        empty = os.path.join(d, "empty.pcap")
        gen_conns.write(empty, 0, 1)
        os.chmod(empty, 0o644)
        e = {p: best(ts, empty, p, max(3, a.repeat)) for p in (False, True)}
        print("start-up (empty capture): cpu %.2f s / %.2f s, RSS %.1f MB / %.1f MB "
              "(without / with plugin)" % (e[False][0], e[True][0], e[False][2] / 2**20,
                                           e[True][2] / 2**20))
        print("%9s %9s | %8s %8s %7s | %8s %8s | %9s %9s | %9s %8s" % (
            "conns", "frames", "us/frame", "us/frame", "extra", "RSS MB", "RSS MB",
            "B/conn", "B/conn", "plugin", "plugin"))
        print("%9s %9s | %8s %8s %7s | %8s %8s | %9s %9s | %9s %8s" % (
            "", "", "without", "with", "", "without", "with", "without", "with", "B/conn",
            "B/frame"))
        for n in a.n:
            path = capture(d, n)
            frames = 8 * n
            r0, r1 = best(ts, path, False, a.repeat), best(ts, path, True, a.repeat)
            us0 = (r0[0] - e[False][0]) / frames * 1e6
            us1 = (r1[0] - e[True][0]) / frames * 1e6
            m0, m1 = r0[2] - e[False][2], r1[2] - e[True][2]
            print("%9d %9d | %8.2f %8.2f %+6.0f%% | %8.1f %8.1f | %9.0f %9.0f | %9.0f %8.1f" % (
                n, frames, us0, us1, (us1 / us0 - 1) * 100, r0[2] / 2**20, r1[2] / 2**20,
                m0 / n, m1 / n, (r1[2] - r0[2]) / n, (r1[2] - r0[2]) / frames), flush=True)
    finally:
        ts.close()
    if not a.dir:
        print("captures kept in %s (delete when done, or pass --dir to reuse)" % d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
