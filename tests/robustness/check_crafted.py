#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check the hostile captures of make_hostile.py against their base
connection (captures/base_v4.pcap, base_v6.pcap), with TShark + plugin.

What is asserted, and why:

  every capture  same exit status, stderr and malformed count as without the
                 plugin, no "Dissector bug"; per-segment fields identical in
                 one pass and two passes (-2); tcplife.stream == tcp.stream.
  icmp_quote_*   a TCP header quoted inside an ICMP/ICMPv6 error is the
                 peer's report about a segment, not a segment: the ICMP
                 frames carry no tcplife tree, and every real segment has
                 exactly the fields (per segment and connection summary,
                 frame links mapped) it has in the capture without the ICMP
                 packets. A quoted SYN, FIN or RST changes nothing.
  tunnel_*       the inner TCP is the connection: its handshake and teardown
                 steps, states, labels and summary (client/server = inner
                 addresses) are those of the same connection without the
                 tunnel. An ICMP error inside the tunnel is still a quote.
  dup_*          the same segment captured twice (two interfaces, or both
                 sides of a router, copy 1 us later or one frame late): the
                 originals are labelled exactly as in the base capture (the
                 copies change nothing, summary and conn_state included; the
                 Zeek history may gain retransmission letters t/T, as Zeek's
                 would); a copy never changes a state or the phase; a copy
                 of a SYN, SYN+ACK or FIN is a retransmission of its
                 original (same steps, tcplife.retransmission = original);
                 a copy of any other segment carries no step.
  bad_checksums  checksums do not decide what a segment did (offloading
                 makes bad ones normal in captures, Wireshark's own TCP
                 analysis and Zeek -C ignore them): identical to the base,
                 with Wireshark's checksum validation off (default) and on.
  bogus_flags    SYN+FIN, SYN+RST, no control flag, all flags, PSH alone:
                 no stack sends these in a connection (scans, injection,
                 corruption), so they are noted (expert info "Invalid flag
                 combination"), take no step, change no state or phase;
                 every other segment is labelled as in the base capture and
                 the connection is still complete (the SYN+RST is no reset).
                 The Zeek summary is not compared: Zeek's IsReuse() opens a
                 new record at the peer's SYN+RST, and so does the plugin's.
  bogus_flags_split  the same, but the in-window SYN+FIN makes Wireshark
                 start tcp.stream 1 (port reuse): the plugin follows
                 tcp.stream; the first 7 segments are the base's, and stream
                 1 (midstream, roles guessed from port 80) is labelled
                 through its close as frames 8-11 of the base.
  Wireshark 4.4 and later start one more tcp.stream in both bogus captures
                 (BOGUS_STREAMS): then each is checked as bogus_flags_split
                 is, the base's last 4 segments in the last stream.
  ipv6_ext_headers, eth_padding  extension headers before TCP, an Ethernet
                 trailer or non-zero padding after the IP packet: not payload,
                 every field as in the base capture.
  ip_fragments   a segment in IP fragments (first one with 8 bytes of TCP
                 header, captured last first; IPv6 fragment headers) is the
                 segment of the frame where IP reassembles it: fields as in
                 the base captures, fragment-only frames not annotated.
  time_backwards the capture clock steps back 1 s: capture order is what
                 happened, every field as in the base (the duration, not
                 compared, is last minus first segment: printed as a note).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robust_common as rc  # noqa: E402
sys.path.insert(0, os.path.join(rc.ROOT, "tests"))
import wsversion  # noqa: E402

CAPS = os.path.join(rc.HERE, "captures")
TCP = ["frame.number", "tcp.stream", "tcp.flags", "tcp.srcport", "tcp.seq_raw", "tcp.ack_raw",
       "tcp.len", "icmp", "icmpv6", "_ws.malformed", "_ws.expert.message"]
PER = ["tcplife.sender", "tcplife.phase", "tcplife.handshake.step", "tcplife.teardown.step",
       "tcplife.client.state", "tcplife.server.state", "tcplife.state_change",
       "tcplife.retransmission", "tcplife.label", "tcplife.data", "tcplife.midstream",
       "tcplife.endpoints_guessed", "tcplife.simultaneous_open", "tcplife.simultaneous_close",
       "tcplife.app", "tcplife.http.exchange", "tcplife.http.message", "tcplife.http.summary"]
CONN = ["tcplife.conn.client", "tcplife.conn.server", "tcplife.conn.handshake1",
        "tcplife.conn.handshake2", "tcplife.conn.handshake3", "tcplife.conn.teardown1",
        "tcplife.conn.teardown2", "tcplife.conn.teardown3", "tcplife.conn.teardown4",
        "tcplife.conn.reset", "tcplife.conn.closer", "tcplife.conn.complete",
        "tcplife.conn.state", "tcplife.conn.history", "tcplife.conn.http_exchanges"]
FIELDS = TCP + ["tcplife.stream"] + PER + CONN + ["tcplife.conn.duration"]
FRAME_FIELDS = {"tcplife.retransmission", "tcplife.conn.handshake1", "tcplife.conn.handshake2",
                "tcplife.conn.handshake3", "tcplife.conn.teardown1", "tcplife.conn.teardown2",
                "tcplife.conn.teardown3", "tcplife.conn.teardown4", "tcplife.conn.reset"}
SYN, RST, FIN, ACK = 0x02, 0x04, 0x01, 0x10

# tcp.stream of each frame of the bogus captures, by the Wireshark version
# that numbers them (tcplife follows tcp.stream, SPEC §1). Frame 11, the
# all-flags segment from the server, carries SYN and ACK: from 4.4,
# dissect_tcp() (epan/dissectors/packet-tcp.c) starts a new conversation at
# a SYN+ACK when the side's base sequence number is set and `th_seq !=
# base_seq` or the conversation has seen a RST or FIN (Wireshark merge
# request !15278, issue #19771; #18333). bogus_flags: seq 3000044, base
# 3000000 (frame 2's SYN+ACK). bogus_flags_split: stream 1's base is frame
# 9's 3000044, but frame 9 was a SYN+RST. Wireshark 4.0 never split at a
# SYN+ACK. Seen with tshark 4.0.17, 4.4.19, 4.6.9; 4.2 not tried.
BOGUS_STREAMS = {
    "bogus_flags": {(4, 0): [0] * 16, (4, 4): [0] * 10 + [1] * 6},
    "bogus_flags_split": {(4, 0): [0] * 7 + [1] * 9, (4, 4): [0] * 7 + [1] * 3 + [2] * 6},
}


class Checker:
    def __init__(self, ts):
        self.ts = ts
        self.failures = []
        self.cache = {}

    def fail(self, cap, msg):
        self.failures.append("%s: %s" % (cap, msg))
        print("FAIL %s: %s" % (cap, msg))

    def fields(self, cap, extra=()):
        """Rows (dicts) of a capture read in two passes, after checking it
        against the run without the plugin and against one pass."""
        key = (cap, tuple(extra))
        if key in self.cache:
            return self.cache[key]
        path = self.ts.readable_copy(os.path.join(CAPS, cap + ".pcap"))
        args = ["-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
        for f in FIELDS:
            args += ["-e", f]
        args += list(extra)
        r2 = self.ts.run(args + ["-2"])
        r1 = self.ts.run(args)
        r0 = self.ts.run(args + ["-2", "--disable-protocol", "tcplife"])
        for name, r in (("-2", r2), ("one pass", r1)):
            if r[0] != r0[0]:
                self.fail(cap, "%s: exit %s, without plugin %s" % (name, r[0], r0[0]))
            if "Dissector bug" in r[1] + r[2]:
                self.fail(cap, "%s: Dissector bug" % name)
            new = [l for l in r[2].splitlines() if l.strip() and l not in r0[2].splitlines()]
            if new:
                self.fail(cap, "%s: new stderr %r" % (name, new[:3]))
        rows2, rows1, rows0 = (self.parse(r[1]) for r in (r2, r1, r0))
        mal = lambda rows: sum(1 for r in rows if r["_ws.malformed"])  # noqa: E731
        if mal(rows2) > mal(rows0) or mal(rows1) > mal(rows0):
            self.fail(cap, "malformed frames: %d/%d with plugin, %d without" %
                      (mal(rows1), mal(rows2), mal(rows0)))
        for a, b in zip(rows1, rows2):
            for f in PER + ["tcplife.stream"]:
                if a[f] != b[f]:
                    self.fail(cap, "frame %s %s: one pass %r, two passes %r" %
                              (a["frame.number"], f, a[f], b[f]))
        for r in rows2:
            if r["tcplife.stream"] and r["tcplife.stream"] != r["tcp.stream"].split("|")[0]:
                self.fail(cap, "frame %s: tcplife.stream %s, tcp.stream %s" %
                          (r["frame.number"], r["tcplife.stream"], r["tcp.stream"]))
        self.cache[key] = rows2
        return rows2

    @staticmethod
    def parse(out):
        rows = []
        for line in out.splitlines():
            cols = line.split("\t")
            cols += [""] * (len(FIELDS) - len(cols))
            rows.append(dict(zip(FIELDS, cols)))
        return rows

    def compare(self, cap, rows, base, mapping, fields, what=""):
        """rows[mapping[i]] must show base[i]'s fields; frame-valued fields
        are mapped from base frame numbers to the capture's."""
        fmap = {b["frame.number"]: rows[j]["frame.number"] for b, j in zip(base, mapping)}
        bad = 0
        for b, j in zip(base, mapping):
            r = rows[j]
            for f in fields:
                want = b[f]
                if f in FRAME_FIELDS and want:
                    want = "|".join(fmap.get(x, "?" + x) for x in want.split("|"))
                if r[f] != want:
                    bad += 1
                    self.fail(cap, "frame %s (base %s)%s %s: %r, base has %r" %
                              (r["frame.number"], b["frame.number"], what, f, r[f], want))
        return bad

    @staticmethod
    def flags(r):
        return int(r["tcp.flags"].split("|")[0], 16) if r["tcp.flags"] else 0

    # ---- scenarios --------------------------------------------------------

    def icmp(self, cap, base_cap, n_icmp):
        rows, base = self.fields(cap), self.fields(base_cap)
        quoted = [i for i, r in enumerate(rows) if r["icmp"] or r["icmpv6"]]
        real = [i for i, r in enumerate(rows) if not (r["icmp"] or r["icmpv6"])]
        if len(quoted) != n_icmp or len(real) != len(base):
            self.fail(cap, "%d ICMP and %d other frames, expected %d and %d" %
                      (len(quoted), len(real), n_icmp, len(base)))
            return
        for i in quoted:
            if rows[i]["tcplife.stream"] or rows[i]["tcplife.label"]:
                self.fail(cap, "frame %s: quoted TCP header annotated: %r" %
                          (rows[i]["frame.number"], rows[i]["tcplife.label"]))
        self.compare(cap, rows, base, real, PER + CONN)

    def tunnel(self, cap, base_cap):
        rows, base = self.fields(cap), self.fields(base_cap)
        real = [i for i, r in enumerate(rows) if not (r["icmp"] or r["icmpv6"])]
        if len(real) != len(base):
            self.fail(cap, "%d segments, base has %d" % (len(real), len(base)))
            return
        for i, r in enumerate(rows):
            if i not in real and r["tcplife.stream"]:
                self.fail(cap, "frame %s: quoted TCP header annotated" % r["frame.number"])
        self.compare(cap, rows, base, real, PER + CONN)

    def dup(self, cap, base_cap, notes):
        rows, base = self.fields(cap), self.fields(base_cap)
        first, orig, copies = {}, [], []
        for i, r in enumerate(rows):
            k = tuple(r[f].split("|")[0] for f in ("tcp.srcport", "tcp.seq_raw", "tcp.ack_raw",
                                                   "tcp.flags", "tcp.len"))
            if k in first:
                copies.append((i, first[k]))
            else:
                first[k] = i
                orig.append(i)
        if len(orig) != len(base) or len(copies) != len(base):
            self.fail(cap, "%d originals, %d copies; base has %d" %
                      (len(orig), len(copies), len(base)))
            return
        self.compare(cap, rows, base, orig, PER + [f for f in CONN if f != "tcplife.conn.history"])
        for i, o in copies:
            r, org, prev = rows[i], rows[o], rows[i - 1]
            fr = r["frame.number"]
            for f in ("tcplife.client.state", "tcplife.server.state", "tcplife.phase"):
                if r[f] != prev[f]:
                    self.fail(cap, "copy %s of %s: %s %r, was %r" % (fr, org["frame.number"], f,
                                                                    r[f], prev[f]))
            if r["tcplife.state_change"] not in ("", "0", "False"):
                self.fail(cap, "copy %s: state_change" % fr)
            if r["tcplife.sender"] != org["tcplife.sender"]:
                self.fail(cap, "copy %s: other sender than %s" % (fr, org["frame.number"]))
            ctl = self.flags(org) & (SYN | FIN | RST)
            want = ((org["tcplife.handshake.step"], org["tcplife.teardown.step"],
                     org["frame.number"]) if ctl else ("", "", ""))
            got = (r["tcplife.handshake.step"], r["tcplife.teardown.step"],
                   r["tcplife.retransmission"])
            if got != want:
                self.fail(cap, "copy %s of %s: (hs, td, retransmission) %r, expected %r" %
                          (fr, org["frame.number"], got, want))
        notes.append("%s: history %s (base %s), copies labelled %s" % (
            cap, rows[-1]["tcplife.conn.history"], base[-1]["tcplife.conn.history"],
            "; ".join(sorted({rows[i]["tcplife.label"] for i, _ in copies}))))

    def checksums(self, cap, base_cap):
        base = self.fields(base_cap)
        for extra in ((), ("-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE")):
            rows = self.fields(cap, extra)
            bad = sum(1 for r in rows if "Bad checksum" in r["_ws.expert.message"])
            if extra and bad != 4:
                self.fail(cap, "%d frames with a bad checksum found, expected 4" % bad)
            self.compare(cap, rows, base, list(range(len(rows))), PER + CONN,
                         " (validation %s)" % ("on" if extra else "off"))

    def fragments(self, cap, bases):
        """Frames holding a TCP header (the reassembled ones) are the base
        connections' segments, one base after the other; fragment-only
        frames carry nothing."""
        rows = self.fields(cap)
        real = [i for i, r in enumerate(rows) if r["tcp.stream"]]
        for i, r in enumerate(rows):
            if i not in real and r["tcplife.stream"]:
                self.fail(cap, "frame %s: fragment without TCP annotated" % r["frame.number"])
        at = 0
        for b in bases:
            base = self.fields(b)
            self.compare(cap, rows, base, real[at:at + len(base)], PER + CONN, " (%s)" % b)
            at += len(base)
        if at != len(real):
            self.fail(cap, "%d frames with TCP, bases have %d" % (len(real), at))

    def is_bogus(self, r):
        f = self.flags(r)
        return bool((f & SYN and f & (FIN | RST)) or not f & (SYN | ACK | RST | FIN))

    def bogus_common(self, cap, rows, inj):
        for i in inj:
            r = rows[i]
            fr = r["frame.number"]
            prev = [p for p in rows[:i] if p["tcplife.stream"] == r["tcplife.stream"]]
            if "Invalid flag combination" not in r["_ws.expert.message"]:
                self.fail(cap, "frame %s: no bogus-flags expert info" % fr)
            if r["tcplife.handshake.step"] or r["tcplife.teardown.step"] or \
                    r["tcplife.retransmission"]:
                self.fail(cap, "frame %s: bogus segment took a step" % fr)
            if r["tcplife.state_change"] not in ("", "0", "False"):
                self.fail(cap, "frame %s: bogus segment changed a state" % fr)
            if prev:
                for f in ("tcplife.client.state", "tcplife.server.state", "tcplife.phase"):
                    if r[f] != prev[-1][f]:
                        self.fail(cap, "frame %s: %s %r after %r" % (fr, f, r[f], prev[-1][f]))

    def bogus(self, cap, base_cap):
        rows, base = self.fields(cap), self.fields(base_cap)
        inj = [i for i, r in enumerate(rows) if self.is_bogus(r)]
        real = [i for i, r in enumerate(rows) if i not in inj]
        if len(inj) != 5 or len(real) != len(base):
            self.fail(cap, "%d injected, %d other frames" % (len(inj), len(real)))
            return
        self.bogus_common(cap, rows, inj)
        self.compare(cap, rows, base, real,
                     PER + [f for f in CONN if f not in ("tcplife.conn.history",
                                                         "tcplife.conn.state")])

    def bogus_split(self, cap, base_cap, layout):
        """layout: tcp.stream of every frame. The first 7 segments (stream
        0) are the base's; the base's last 4 (its close) are in the last
        stream, which starts without a SYN (midstream, roles guessed)."""
        rows, base = self.fields(cap), self.fields(base_cap)
        inj = [i for i, r in enumerate(rows) if self.is_bogus(r)]
        real = [i for i, r in enumerate(rows) if i not in inj]
        streams = [r["tcp.stream"] for r in rows]
        if len(inj) != 5 or len(real) != len(base) or streams != [str(x) for x in layout]:
            self.fail(cap, "%d injected, %d other frames, streams %s, expected %s" % (
                len(inj), len(real), streams, layout))
            return
        self.bogus_common(cap, rows, inj)
        self.compare(cap, rows, base[:7], real[:7], PER)
        self.compare(cap, rows, base[7:], real[7:],
                     [f for f in PER if f not in ("tcplife.midstream",
                                                  "tcplife.endpoints_guessed")],
                     " stream %s" % layout[-1])


    def bad_header(self, cap, base_cap):
        """The two injected segments (frames 5, 6) are said unreadable and
        change nothing; every other frame reads as in the base."""
        rows, base = self.fields(cap), self.fields(base_cap)
        said = [i for i, r in enumerate(rows)
                if "TCP header cut short or invalid" in r["_ws.expert.message"]]
        if said != [4, 5] or len(rows) != len(base) + 2:
            self.fail(cap, "unreadable at %s, %d frames" % ([i + 1 for i in said], len(rows)))
            return
        for i in said:
            if rows[i]["tcplife.label"] or rows[i]["tcplife.data"]:
                self.fail(cap, "frame %d labelled %r" % (i + 1, rows[i]["tcplife.label"]))
        real = [i for i in range(len(rows)) if i not in said]
        self.compare(cap, rows, base, real, PER + CONN)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(rc.ROOT, "build"))
    a = ap.parse_args()
    ts = rc.Tshark(a.build)
    ck = Checker(ts)
    notes = []
    try:
        ck.icmp("icmp_quote_v4", "base_v4", 5)
        ck.icmp("icmp_quote_v6", "base_v6", 4)
        for t in ("ipip", "gre", "vxlan", "4in6"):
            ck.tunnel("tunnel_" + t, "base_v4")
        ck.tunnel("tunnel_6in4", "base_v6")
        ck.tunnel("tunnel_gre_icmp", "base_v4")
        for d in ("exact", "routed", "interleaved"):
            ck.dup("dup_" + d, "base_v4", notes)
        ck.checksums("bad_checksums", "base_v4")
        ck.tunnel("ipv6_ext_headers", "base_v6")
        ck.tunnel("eth_padding", "base_v4")
        ck.fragments("ip_fragments", ["base_v4", "base_v6"])
        ck.tunnel("time_backwards", "base_v4")
        notes.append("time_backwards: conn.duration %s (base %s)" % (
            ck.fields("time_backwards")[-1]["tcplife.conn.duration"],
            ck.fields("base_v4")[-1]["tcplife.conn.duration"]))
        ck.bad_header("bad_header_length", "base_v4")
        version = wsversion.tshark_version()
        layout = wsversion.pick(BOGUS_STREAMS["bogus_flags"], version)
        if set(layout) == {0}:
            ck.bogus("bogus_flags", "base_v4")
        else:
            ck.bogus_split("bogus_flags", "base_v4", layout)
        ck.bogus_split("bogus_flags_split", "base_v4",
                       wsversion.pick(BOGUS_STREAMS["bogus_flags_split"], version))
    finally:
        ts.close()
    for n in notes:
        print("note", n)
    print("crafted: %d captures, %d failures" % (len({k[0] for k in ck.cache}),
                                                 len(ck.failures)))
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
