#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The rare values a frame's 10-byte record keeps outside it (plugin/store.c,
plugin/http.c): a tcp.stream more than 32,767 away from the first stream of
its 4,096-frame chunk, a payload of 65,535 bytes or more, a retransmission
link, an HTTP message part past 65,534. Writes a capture that has each,
runs TShark with the built plugin, one pass and two, and checks every
frame's tcplife.stream against tcp.stream and chosen frames' fields
against what the packets say.

The capture (127.0.0.0/8 only), stream 0 is 127.0.0.2:4000 -> 127.0.0.1:80:
  1-3        stream 0: SYN, SYN+ACK, ACK
  4-41004    streams 1..41000: one SYN each from 127.0.0.(3+k):(1024+k), and
             at frame 36,864 (the first of chunk 9) a repeated ACK of stream
             0: chunk 9 counts from stream 0, so its SYNs past stream 32,767
             are far above it
  41005      stream 0: 70,000 bytes C->S, IPv4 total length 0 (a TSO
             capture: Wireshark takes the frame's length); chunk 10 counts
             from a SYN's stream past 40,000, so stream 0 is far below
  41006      stream 0: the server's ACK of them
  41007      stream 41000: its SYN again, same sequence number
  41008-10   stream 0: FIN C->S, FIN+ACK S->C, ACK C->S
  41011-     stream 41001, 127.0.0.2:4001 -> 127.0.0.1:80: handshake, GET, the
             response's headers (Content-Length: 65,600), then its body one
             byte a segment: parts 2 to 65,601 of the response
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "robustness"))
import gen_conns as g  # noqa: E402

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
N_SYNS = 41000
CHUNK9 = 9 * 4096  # frame number of chunk 9's first frame
C, S = bytes([127, 0, 0, 2]), bytes([127, 0, 0, 1])
CISN, SISN, BIG = 1000, 5000, 70000
BODY = 65600
GET = b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % BODY


def tso_packet(src, dst, sport, dport, seq, ack, flags, data):
    """IPv4 total length 0, as TSO-capable NICs leave it."""
    tcp = g.TCPH.pack(sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    h = g.IPH.pack(0x45, 0, 0, 0, 0x4000, 64, 6, 0, src, dst)
    h = h[:10] + struct.pack("!H", g.ip_checksum(h)) + h[12:]
    return g.ETH + h + tcp


def syn_of(k):
    ip = struct.pack("!I", 0x7F000003 + k)
    return g.packet(ip, S, 1024 + k, 80, k * 7919, 0, SYN)


def frames():
    """[(packet, {field: expected value})]: what each packet means (SPEC §3, §5)."""
    c2s = lambda seq, ack, fl, d=b"": g.packet(C, S, 4000, 80, CISN + seq, SISN + ack, fl, d)  # noqa
    s2c = lambda seq, ack, fl: g.packet(S, C, 80, 4000, SISN + seq, CISN + ack, fl)  # noqa
    out = [(c2s(0, -SISN, SYN), {"tcplife.stream": "0", "tcplife.handshake.step": "1"}),
           (s2c(0, 1, SYN | ACK), {"tcplife.stream": "0", "tcplife.handshake.step": "2"}),
           (c2s(1, 1, ACK), {"tcplife.stream": "0", "tcplife.handshake.step": "3",
                             "tcplife.client.state": "ESTABLISHED"})]
    for k in range(1, N_SYNS + 1):
        if len(out) + 1 == CHUNK9:
            out.append((c2s(1, 1, ACK), {"tcplife.stream": "0", "tcplife.sender": "client",
                                         "tcplife.handshake.step": ""}))
        out.append((syn_of(k), {"tcplife.stream": str(k), "tcplife.handshake.step": "1",
                                "tcplife.client.state": "SYN-SENT",
                                "tcplife.retransmission": ""}))
    last_syn = len(out)
    out += [(tso_packet(C, S, 4000, 80, CISN + 1, SISN + 1, PSH | ACK, b"x" * BIG),
             {"tcplife.stream": "0", "tcplife.data": str(BIG), "tcplife.sender": "client"}),
            (s2c(1, 1 + BIG, ACK), {"tcplife.stream": "0", "tcplife.data": "",
                                    "tcplife.sender": "server"}),
            (syn_of(N_SYNS), {"tcplife.stream": str(N_SYNS), "tcplife.handshake.step": "1",
                              "tcplife.retransmission": str(last_syn)}),
            (c2s(1 + BIG, 1, FIN | ACK), {"tcplife.stream": "0", "tcplife.teardown.step": "1"}),
            (s2c(1, 2 + BIG, FIN | ACK), {"tcplife.stream": "0", "tcplife.teardown.step": "2,3"}),
            (c2s(2 + BIG, 2, ACK), {"tcplife.stream": "0", "tcplife.teardown.step": "4",
                                    "tcplife.client.state": "TIME-WAIT"})]
    # stream N_SYNS + 1: one HTTP response in BODY + 1 segments
    http = str(N_SYNS + 1)
    out += [(g.packet(C, S, 4001, 80, 0, 0, SYN), {"tcplife.stream": http}),
            (g.packet(S, C, 80, 4001, 0, 1, SYN | ACK), {}),
            (g.packet(C, S, 4001, 80, 1, 1, ACK), {}),
            (g.packet(C, S, 4001, 80, 1, 1, PSH | ACK, GET),
             {"tcplife.http.message": "request", "tcplife.http.exchange": "1"}),
            (g.packet(S, C, 80, 4001, 1, 1 + len(GET), PSH | ACK, HEAD),
             {"tcplife.label": "part 1"})]
    seq = 1 + len(HEAD)
    for n in range(2, BODY + 2):  # the body segment that is part n of the response
        want = {}
        if n in (2, 65534, 65535, 65536, BODY + 1):
            want = {"tcplife.stream": http, "tcplife.http.exchange": "1",
                    "tcplife.http.message": "response", "tcplife.label": "part %d" % n}
        out.append((g.packet(S, C, 80, 4001, seq, 1 + len(GET), ACK, b"b"), want))
        seq += 1
    return out


def write(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, p in enumerate(packets):
            f.write(g.REC.pack(1 + i // 100000, (i % 100000) * 10, len(p), len(p)) + p)


FIELDS = ["frame.number", "tcp.stream", "tcplife.stream", "tcplife.data",
          "tcplife.handshake.step", "tcplife.teardown.step", "tcplife.retransmission",
          "tcplife.client.state", "tcplife.sender", "tcplife.http.exchange",
          "tcplife.http.message", "tcplife.label"]


def run(build, pcap, two_pass):
    # TShark's own HTTP reassembly of 65,600 one-byte segments takes minutes;
    # tcplife parses the payload itself, so HTTP's dissector is left out.
    cmd = [os.path.join(ROOT, "scripts", "tshark-tcplife"), "--build", build, "-n", "-r", pcap,
           "--disable-protocol", "http", "-T", "fields"]
    if two_pass:
        cmd.append("-2")
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if out.returncode:
        raise SystemExit("tshark failed: %s" % out.stderr)
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.stdout.splitlines()]


# Enum fields print as numbers in TShark 4.0 -T fields, as names later.
NUMBERS = {"ESTABLISHED": "4", "SYN-SENT": "2", "TIME-WAIT": "10", "client": "0", "server": "1",
           "request": "0", "response": "1"}


def check(rows, expected, mode):
    failures = 0
    if len(rows) != len(expected):
        print("FAIL %s: %d frames, expected %d" % (mode, len(rows), len(expected)))
        return 1
    for row in rows:
        if row["tcplife.stream"] != row["tcp.stream"]:
            failures += 1
            if failures < 10:
                print("FAIL %s frame %s: tcplife.stream %r, tcp.stream %r" %
                      (mode, row["frame.number"], row["tcplife.stream"], row["tcp.stream"]))
    for row, want in zip(rows, expected):
        for field, value in want.items():
            got = row[field]
            if field == "tcplife.label":  # "...: response 1 (200 OK), part n"
                ok = got.endswith(": response 1 (200 OK), " + value)
            else:
                ok = got in (value, NUMBERS.get(value))
            if not ok:
                failures += 1
                print("FAIL %s frame %s %s: expected %r, got %r" %
                      (mode, row["frame.number"], field, value, got))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    packets = frames()
    expected = [want for _, want in packets]
    d = tempfile.mkdtemp(prefix="tcplife-side.")
    os.chmod(d, 0o755)
    pcap = os.path.join(d, "side.pcap")
    try:
        write(pcap, [p for p, _ in packets])
        os.chmod(pcap, 0o644)
        failures = 0
        for two_pass in (False, True):
            failures += check(run(a.build, pcap, two_pass), expected,
                              "two pass" if two_pass else "one pass")
    finally:
        os.remove(pcap)
        os.rmdir(d)
    checks = 2 * (len(packets) + sum(len(w) for w in expected))
    print("side tables: %d checks, %d failures" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
