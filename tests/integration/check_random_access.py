#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Random access, as GUI clicks do it: load captures in sharkd with the
built plugin, request every frame in a shuffled order (some twice), and
compare every per-segment tcplife field with TShark's single first pass.

Per-segment fields must not depend on the order frames are looked at: they
are computed on the first pass and replayed.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PER_SEGMENT = ["tcplife.stream", "tcplife.sender", "tcplife.phase", "tcplife.handshake.step",
               "tcplife.teardown.step", "tcplife.data", "tcplife.client.state",
               "tcplife.server.state", "tcplife.state_change", "tcplife.retransmission",
               "tcplife.label", "tcplife.endpoints_guessed", "tcplife.midstream",
               "tcplife.simultaneous_open", "tcplife.simultaneous_close"]
FILTER_RE = re.compile(r'^(tcplife\.[a-z_.0-9]+) == (.*)$')


def stage(build, captures):
    """World-readable copies of the plugin and captures for user nobody."""
    d = tempfile.mkdtemp(prefix="tcplife-ra.")
    so = None
    for dirpath, _, files in os.walk(os.path.join(build, "plugins")):
        if "tcplife.so" in files:
            so = os.path.join(dirpath, "tcplife.so")
    if not so:
        raise SystemExit("no tcplife.so under %s/plugins" % build)
    rel = os.path.relpath(os.path.dirname(so), os.path.join(build, "plugins"))
    os.makedirs(os.path.join(d, "plugins", rel))
    shutil.copy(so, os.path.join(d, "plugins", rel))
    os.makedirs(os.path.join(d, "home"))
    copies = []
    for c in captures:
        dst = os.path.join(d, os.path.basename(c))
        shutil.copyfile(c, dst)
        copies.append(dst)
    for dirpath, dirs, files in os.walk(d):
        os.chmod(dirpath, 0o777 if dirpath.endswith("home") else 0o755)
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o644)
    os.chmod(d, 0o755)
    return d, copies


def unprivileged(cmd, d):
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    env = ["env", "HOME=" + os.path.join(d, "home"),
           "WIRESHARK_PLUGIN_DIR=" + os.path.join(d, "plugins"), "TZ=UTC", "LC_ALL=C.UTF-8"]
    return prefix + env + cmd


def first_pass(capture, d):
    """TShark's single pass: {frame: {field: [values]}}."""
    cmd = ["tshark", "-r", capture, "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=\x1f", "-e", "frame.number"]
    for f in PER_SEGMENT:
        cmd += ["-e", f]
    out = subprocess.run(unprivileged(cmd, d), capture_output=True, text=True, check=True).stdout
    result = {}
    for line in out.splitlines():
        cols = line.split("\t")
        rec = {}
        for name, val in zip(PER_SEGMENT, cols[1:]):
            if val:
                rec[name] = val.split("\x1f")
        result[int(cols[0])] = rec
    return result


def collect(nodes, rec):
    for n in nodes:
        m = FILTER_RE.match(n.get("f", ""))
        if m and m.group(1) in PER_SEGMENT:
            v = m.group(2)
            if v.startswith('"'):
                v = json.loads(v)
            rec.setdefault(m.group(1), []).append(v)
        collect(n.get("n", []), rec)


def normalise(field, values):
    # sharkd prints booleans as 1/0 like -T fields; framenum and ints as digits.
    return [("1" if v in ("1", "True") else "0" if v in ("0", "False") else v) for v in values]


def random_access(capture, d, frames, seed):
    order = list(frames) + random.Random(seed).sample(list(frames), k=len(frames) // 3)
    random.Random(seed).shuffle(order)
    # sharkd wants positive ids: 1 is the load, frame requests from 2 on.
    reqs = [{"jsonrpc": "2.0", "id": 1, "method": "load", "params": {"file": capture}}]
    for i, fr in enumerate(order, 2):
        reqs.append({"jsonrpc": "2.0", "id": i, "method": "frame",
                     "params": {"frame": fr, "proto": True}})
    text = "\n".join(json.dumps(r) for r in reqs) + "\n"
    p = subprocess.run(unprivileged(["sharkd", "-"], d), input=text, capture_output=True,
                       text=True, timeout=300)
    got = {}
    for line in p.stdout.splitlines():
        if not line.startswith("{"):
            continue
        msg = json.loads(line)
        rid = msg.get("id", 0)
        if rid >= 2 and "result" in msg:
            rec = {}
            collect(msg["result"].get("tree", []), rec)
            got.setdefault(order[rid - 2], []).append(rec)
    return got, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("captures", nargs="+")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--seed", type=int, default=20261124)
    a = ap.parse_args()
    d, copies = stage(a.build, a.captures)
    failures, checks, frames_seen = [], 0, 0
    try:
        for cap in copies:
            ref = first_pass(cap, d)
            got, err = random_access(cap, d, sorted(ref), a.seed)
            if "Dissector bug" in err:
                failures.append("%s: %s" % (cap, err.strip()[:300]))
            for frame, want in sorted(ref.items()):
                views = got.get(frame, [])
                if not views:
                    failures.append("%s frame %d: sharkd returned no tree" % (cap, frame))
                for view in views:
                    frames_seen += 1
                    for field in PER_SEGMENT:
                        checks += 1
                        w = normalise(field, want.get(field, []))
                        g = normalise(field, view.get(field, []))
                        if w != g:
                            failures.append("%s frame %d %s: first pass %s, random access %s"
                                            % (os.path.basename(cap), frame, field, w, g))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    for f in failures[:50]:
        print("FAIL", f)
    print("random access: %d captures, %d frame views, %d checks, %d failures"
          % (len(copies), frames_seen, checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
