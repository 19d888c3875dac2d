#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check that tests/expected/*.tsv and *.flags are well formed and fit their
captures in tests/captures/. It does not compute the expected values (those
were derived by hand; see the comments in each table); it only catches
typos and drift after a capture is regenerated:

- header exact; one row per TCP frame of the capture, in order;
- frame and stream equal tshark's frame.number and tcp.stream;
- within a stream one endpoint (address, port) is always the same sender
  and the two endpoints differ;
- value names from SPEC §3; td steps 1-4 ascending; hs 1-3;
- retrans names an earlier frame from the same endpoint with the same raw
  sequence number and the same SYN/FIN/RST flags;
- .flags lines name existing frames and known fields;
- a table in a wireshark-X.Y folder (used instead of the one here from
  Wireshark X.Y on, see README.md) gets the same checks, except that its
  stream column is compared with tshark's tcp.stream only when it is the
  table that applies to the running tshark (and then the table here is
  not compared on streams).

Usage: check_tables.py [name...]   (default: every table). Needs tshark.
Exit status 1 on any problem.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPS = os.path.join(HERE, "..", "captures")
sys.path.insert(0, os.path.join(HERE, ".."))
import wsversion  # noqa: E402
HEADER = ["frame", "stream", "sender", "phase", "hs", "td", "client", "server", "retrans"]
PHASES = {"handshake", "established", "closing", "closed", "reset"}
STATES = {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
          "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"}
FLAG_FIELDS = {"tcplife.midstream", "tcplife.endpoints_guessed",
               "tcplife.simultaneous_open", "tcplife.simultaneous_close"}
TD_OK = {"", "1", "2", "3", "4", "2,3"} | {",".join(map(str, s)) for s in
                                        [(1, 2), (2, 4), (3, 4), (1, 2, 3), (2, 3, 4)]}


def tshark_rows(pcap):
    out = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp", "-T", "fields",
         "-e", "frame.number", "-e", "tcp.stream", "-e", "ip.src", "-e", "ipv6.src",
         "-e", "tcp.srcport", "-e", "tcp.seq_raw", "-e", "tcp.flags"],
        capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split("\t")
        rows.append({"frame": f[0], "stream": f[1], "src": (f[2] or f[3], f[4]),
                     "seq": f[5], "ctl": int(f[6], 16) & 0x07})
    return rows


def check(name, tsv, compare_streams):
    errs = []
    pcap = os.path.join(CAPS, name + ".pcap")
    if not os.path.exists(pcap):
        return ["%s: no capture %s" % (name, pcap)]
    lines = [l.rstrip("\n") for l in open(tsv) if not l.startswith("#") and l.strip()]
    if lines[0].split("\t") != HEADER:
        errs.append("header is %r" % lines[0])
    rows = [l.split("\t") for l in lines[1:]]
    pkts = tshark_rows(pcap)
    if len(rows) != len(pkts):
        errs.append("%d rows for %d TCP frames" % (len(rows), len(pkts)))
    role_of = {}
    by_frame = {}
    for r, p in zip(rows, pkts):
        if len(r) != len(HEADER):
            errs.append("frame %s: %d columns" % (r[0], len(r)))
            continue
        frame, stream, sender, phase, hs, td, cst, sst, rt = r
        by_frame[frame] = p
        where = "frame %s" % frame
        if frame != p["frame"] or (compare_streams and stream != p["stream"]):
            errs.append("%s stream %s: tshark says frame %s stream %s"
                        % (where, stream, p["frame"], p["stream"]))
        if sender not in ("client", "server"):
            errs.append("%s: sender %r" % (where, sender))
        key = (stream, p["src"])
        if role_of.setdefault(key, sender) != sender:
            errs.append("%s: %s:%s is %s here, %s before" % ((where,) + p["src"] +
                                                          (sender, role_of[key])))
        if phase not in PHASES:
            errs.append("%s: phase %r" % (where, phase))
        if hs not in ("", "1", "2", "3"):
            errs.append("%s: hs %r" % (where, hs))
        if td not in TD_OK:
            errs.append("%s: td %r" % (where, td))
        for s in (cst, sst):
            if s not in STATES:
                errs.append("%s: state %r" % (where, s))
        if rt:
            q = by_frame.get(rt)
            if q is None or int(rt) >= int(frame):
                errs.append("%s: retrans %s is not an earlier frame" % (where, rt))
            elif (q["src"], q["seq"], q["ctl"]) != (p["src"], p["seq"], p["ctl"]) or not p["ctl"]:
                errs.append("%s: retrans %s is not the same SYN/FIN/RST" % (where, rt))
    for stream in {k[0] for k in role_of}:
        roles = [v for k, v in role_of.items() if k[0] == stream]
        if len(roles) != len(set(roles)):
            errs.append("stream %s: both endpoints are %s" % (stream, roles[0]))
    flags = os.path.splitext(tsv)[0] + ".flags"
    if os.path.exists(flags):
        for l in open(flags):
            if l.startswith("#") or not l.strip():
                continue
            f = l.rstrip("\n").split("\t")
            if len(f) != 2 or f[0] not in by_frame or f[1] not in FLAG_FIELDS:
                errs.append("flags: bad line %r" % l.rstrip("\n"))
    label = os.path.relpath(tsv, HERE)[:-4]
    return ["%s: %s" % (label, e) for e in errs]


def main():
    names = sys.argv[1:] or sorted(f[:-4] for f in os.listdir(HERE) if f.endswith(".tsv"))
    version = wsversion.tshark_version()
    overrides = wsversion.override_dirs(HERE)
    bad = []
    tables = 0
    for n in names:
        base = os.path.join(HERE, n + ".tsv")
        applies = wsversion.versioned_table(base, version)
        for tsv in [base] + [os.path.join(d, n + ".tsv") for _, d in sorted(overrides.items())]:
            if os.path.exists(tsv):
                tables += 1
                bad += check(n, tsv, tsv == applies)
    for d in overrides.values():
        for f in os.listdir(d):
            if os.path.splitext(f)[0] not in names and not sys.argv[1:]:
                bad.append("%s: no %s beside it to replace" % (os.path.relpath(os.path.join(
                    d, f), HERE), os.path.splitext(f)[0] + ".tsv"))
    for b in bad:
        print(b)
    print("%d tables checked (Wireshark %s: streams compared with %s), %d problems"
          % (tables, ".".join(map(str, version)), "the newest table not above it",
             len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
