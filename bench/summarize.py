#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn bench/run.sh's raw.tsv into the markdown table.

    summarize.py RAW.tsv WORKDIR [--conn-budget BYTES] [--pkt-budget 24] [--time-budget 1.05]

raw.tsv columns: workload pass variant rep wall_s cpu_s maxrss_kb rc.
Variant "base" of each pass is tshark without the plugin (not loaded); the
other variants are compared with it, rep by rep (runs of one rep are
adjacent in time), and the median of those ratios is reported. The fields
pass's "control" (three columns, the third a TCP field, no plugin) is also
the reference of a second "plugin" row: the same work on both sides.
"""
import argparse
import collections
import statistics
import sys

PASS_TITLE = {
    "filter": "-q -Y",
    "fields": "-T fields",
    "twopass": "-2 -q -Y",
    "conns": "-q -z",
}
VARIANT_TITLE = {
    ("filter", "base"): "-Y 'tcp.flags.fin == 1'",
    ("filter", "loaded"): "same TCP filter, plugin loaded",
    ("filter", "plugin"): "-Y 'tcplife.teardown.step == 1'",
    ("fields", "base"): "-e frame.number -e tcp.stream",
    ("fields", "loaded"): "same fields, plugin loaded",
    ("fields", "plugin"): "+ -e tcplife.phase",
    ("fields", "control"): "+ -e tcp.flags.str, no plugin",
    ("twopass", "base"): "-2 -Y 'tcp.flags.fin == 1'",
    ("twopass", "loaded"): "same TCP filter, plugin loaded",
    ("twopass", "plugin"): "-2 -Y 'tcplife.teardown.step == 1'",
    ("conns", "base"): "-z conv,tcp",
    ("conns", "loaded"): "-z conv,tcp, plugin loaded",
    ("conns", "plugin"): "-z tcplife,conns",
}
PASS_ORDER = ["filter", "fields", "twopass", "conns"]


def read_meta(path):
    meta = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                if k:
                    meta[k] = int(v) if v.isdigit() else v
    except OSError:
        pass
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("workdir")
    ap.add_argument("--pkt-budget", type=float, default=24.0)
    ap.add_argument("--conn-budget", type=float, default=None)
    ap.add_argument("--time-budget", type=float, default=1.05)
    a = ap.parse_args()

    runs = collections.defaultdict(dict)  # (w, pass, variant) -> rep -> (wall, cpu, rss)
    failed = collections.Counter()
    order = []
    with open(a.raw) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            w, p, v, rep, wall, cpu, rss, rc = line.rstrip("\n").split("\t")
            if rc != "0":
                failed[(w, p, v)] += 1
                continue
            if w not in order:
                order.append(w)
            runs[(w, p, v)][int(rep)] = (float(wall), float(cpu), int(rss))

    out = []
    out.append("| workload | pass | with the plugin | runs | base CPU s | with CPU s | CPU × | wall × "
               "| base MB | with MB | Δ B/packet | Δ B/conn | budget |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    fits = collections.defaultdict(list)  # (pass, variant) -> [(pkts, conns, delta bytes)]
    for w in order:
        meta = read_meta("%s/%s.meta" % (a.workdir, w))
        pk, cn = meta.get("packets", 0), meta.get("connections", 0)
        for p in PASS_ORDER:
            for v, ref in (("loaded", "base"), ("plugin", "base"), ("control", "base"), ("plugin", "control")):
                base = runs.get((w, p, ref))
                mine = runs.get((w, p, v))
                if not base or not mine:
                    continue
                reps = sorted(set(base) & set(mine))
                if not reps:
                    continue
                cpu_r = statistics.median(mine[r][1] / base[r][1] for r in reps)
                wall_r = statistics.median(mine[r][0] / base[r][0] for r in reps)
                bc = statistics.median(base[r][1] for r in reps)
                mc = statistics.median(mine[r][1] for r in reps)
                bm = statistics.median(base[r][2] for r in reps)
                mm = statistics.median(mine[r][2] for r in reps)
                dbytes = (mm - bm) * 1024.0
                if ref == "base" and v != "control":
                    fits[(p, v)].append((pk, cn, dbytes))
                dpp = dbytes / pk if pk else float("nan")
                dpc = dbytes / cn if cn else float("nan")
                verdict = []
                title = VARIANT_TITLE[(p, v)]
                if ref != "base":
                    title += " vs " + VARIANT_TITLE[(p, ref)]
                if v != "control" and p in ("filter", "fields", "conns"):  # control: tshark alone
                    verdict.append("time ok" if cpu_r <= a.time_budget else "TIME OVER")
                if a.conn_budget is not None and pk and v != "control" and ref == "base":
                    allowed = a.pkt_budget * pk + a.conn_budget * cn
                    verdict.append("mem ok" if dbytes <= allowed else "MEM OVER")
                out.append("| %s | %s | %s | %d | %.2f | %.2f | %.3f | %.3f | %.0f | %.0f | %.1f | %.0f | %s |" % (
                    w, PASS_TITLE[p], title, len(reps), bc, mc, cpu_r, wall_r,
                    bm / 1024, mm / 1024, dpp, dpc, ", ".join(verdict)))
    print("\n".join(out))
    print()
    # Memory model: delta = x * packets + y * connections, least squares over workloads.
    lines = []
    for (p, v), pts in sorted(fits.items(), key=lambda kv: (PASS_ORDER.index(kv[0][0]), kv[0][1])):
        if len(pts) < 2:
            continue
        sxx = sum(x * x for x, _, _ in pts)
        syy = sum(y * y for _, y, _ in pts)
        sxy = sum(x * y for x, y, _ in pts)
        sxz = sum(x * z for x, _, z in pts)
        syz = sum(y * z for _, y, z in pts)
        det = sxx * syy - sxy * sxy
        if abs(det) < 1e-9:
            continue
        x = (sxz * syy - syz * sxy) / det
        y = (syz * sxx - sxz * sxy) / det
        lines.append("- %s, %s: %.1f B/packet + %.0f B/connection" % (PASS_TITLE[p], VARIANT_TITLE[(p, v)], x, y))
    if lines:
        print("Peak-RSS difference fitted as bytes/packet × packets + bytes/connection × connections "
              "(least squares over the workloads):")
        print()
        print("\n".join(lines))
        print()
    if failed:
        print("Failed runs (non-zero exit, left out): " +
              ", ".join("%s/%s/%s ×%d" % (k + (n,)) for k, n in sorted(failed.items())))
        print()


if __name__ == "__main__":
    sys.exit(main())
