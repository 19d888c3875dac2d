#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The rare values a frame's 10-byte record keeps outside it (plugin/store.c):
a tcp.stream more than 32,767 away from its chunk's first one, a payload
of 65,535 bytes or more, a retransmission link. Writes a capture that has
each, runs TShark with the built plugin, one pass and two, and checks the
fields against what the packets say.

The capture (127.0.0.0/8 only):
  1-3      stream 0, 127.0.0.2:4000 -> 127.0.0.1:80: SYN, SYN+ACK, ACK
  4-33003  streams 1..33000: one SYN each from 127.0.0.(3+k):(1024+k), so the
           streams of frames past 32,770 are over 32,767 from stream 0,
           the first stream of the frames' chunk
  33004    stream 0: 70,000 bytes C->S, IPv4 total length 0 (a TSO capture:
           Wireshark takes the frame's length)
  33005    stream 0: the server's ACK of them
  33006    stream 33000: its SYN again, same sequence number
  33007-9  stream 0: FIN C->S, FIN+ACK S->C, ACK C->S
  33010-   stream 33001, 127.0.0.2:4001 -> 127.0.0.1:80: handshake, GET, the
           response's headers (Content-Length: 65,600), then its body one
           byte a segment: the last body segments are parts 65,535 to 65,601
           of the response, past what a piece keeps in 16 bits
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
N_SYNS = 33000
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
    out = [g.packet(C, S, 4000, 80, CISN, 0, SYN),
           g.packet(S, C, 80, 4000, SISN, CISN + 1, SYN | ACK),
           g.packet(C, S, 4000, 80, CISN + 1, SISN + 1, ACK)]
    out += [syn_of(k) for k in range(1, N_SYNS + 1)]
    out += [tso_packet(C, S, 4000, 80, CISN + 1, SISN + 1, PSH | ACK, b"x" * BIG),
            g.packet(S, C, 80, 4000, SISN + 1, CISN + 1 + BIG, ACK),
            syn_of(N_SYNS),
            g.packet(C, S, 4000, 80, CISN + 1 + BIG, SISN + 1, FIN | ACK),
            g.packet(S, C, 80, 4000, SISN + 1, CISN + 2 + BIG, FIN | ACK),
            g.packet(C, S, 4000, 80, CISN + 2 + BIG, SISN + 2, ACK)]
    # stream 33001: one HTTP response in BODY + 1 segments
    out += [g.packet(C, S, 4001, 80, 0, 0, SYN), g.packet(S, C, 80, 4001, 0, 1, SYN | ACK),
            g.packet(C, S, 4001, 80, 1, 1, ACK),
            g.packet(C, S, 4001, 80, 1, 1, PSH | ACK, GET),
            g.packet(S, C, 80, 4001, 1, 1 + len(GET), PSH | ACK, HEAD)]
    seq = 1 + len(HEAD)
    for _ in range(BODY):
        out.append(g.packet(S, C, 80, 4001, seq, 1 + len(GET), ACK, b"b"))
        seq += 1
    return out


def write(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, p in enumerate(frames()):
            f.write(g.REC.pack(1 + i // 100000, (i % 100000) * 10, len(p), len(p)) + p)


FIELDS = ["frame.number", "tcp.stream", "tcplife.stream", "tcplife.data",
          "tcplife.handshake.step", "tcplife.teardown.step", "tcplife.retransmission",
          "tcplife.client.state", "tcplife.sender", "tcplife.http.exchange",
          "tcplife.http.message", "tcplife.label"]

# frame -> {field: value} that the packets above mean (SPEC §3)
LAST_SYN = 3 + N_SYNS
EXPECT = {
    1: {"tcplife.stream": "0", "tcplife.handshake.step": "1"},
    2: {"tcplife.stream": "0", "tcplife.handshake.step": "2"},
    3: {"tcplife.stream": "0", "tcplife.handshake.step": "3",
        "tcplife.client.state": "ESTABLISHED"},
    3 + 32767: {"tcplife.stream": "32767", "tcplife.handshake.step": "1",
                "tcplife.client.state": "SYN-SENT"},
    3 + 32768: {"tcplife.stream": "32768", "tcplife.handshake.step": "1",
                "tcplife.client.state": "SYN-SENT"},
    LAST_SYN: {"tcplife.stream": str(N_SYNS), "tcplife.handshake.step": "1",
               "tcplife.retransmission": ""},
    LAST_SYN + 1: {"tcplife.stream": "0", "tcplife.data": str(BIG), "tcplife.sender": "client"},
    LAST_SYN + 2: {"tcplife.stream": "0", "tcplife.data": "", "tcplife.sender": "server"},
    LAST_SYN + 3: {"tcplife.stream": str(N_SYNS), "tcplife.handshake.step": "1",
                   "tcplife.retransmission": str(LAST_SYN)},
    LAST_SYN + 4: {"tcplife.stream": "0", "tcplife.teardown.step": "1"},
    LAST_SYN + 5: {"tcplife.stream": "0", "tcplife.teardown.step": "2,3"},
    LAST_SYN + 6: {"tcplife.stream": "0", "tcplife.teardown.step": "4",
                   "tcplife.client.state": "TIME-WAIT"},
}
HTTP_FIRST = LAST_SYN + 7  # stream 33001's SYN
HEAD_FRAME = HTTP_FIRST + 4  # part 1 of the response
# the body segment that is part n of the response: frame HEAD_FRAME + n - 1
for n in (2, 65534, 65535, 65536, BODY + 1):
    EXPECT[HEAD_FRAME + n - 1] = {"tcplife.stream": str(N_SYNS + 1), "tcplife.http.exchange": "1",
                                  "tcplife.http.message": "response",
                                  "tcplife.label": "part %d" % n}
N_FRAMES = HEAD_FRAME + BODY


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
           "response": "1"}


def check(rows, mode):
    failures = 0
    n = N_FRAMES
    if len(rows) != n:
        print("FAIL %s: %d frames, expected %d" % (mode, len(rows), n))
        return 1
    for row in rows:
        if row["tcplife.stream"] != row["tcp.stream"]:
            failures += 1
            if failures < 10:
                print("FAIL %s frame %s: tcplife.stream %r, tcp.stream %r" %
                      (mode, row["frame.number"], row["tcplife.stream"], row["tcp.stream"]))
    for frame, want in EXPECT.items():
        row = rows[frame - 1]
        for field, value in want.items():
            got = row[field]
            if field == "tcplife.label":  # "...: response 1 (200 OK), part n"
                ok = got.endswith(": response 1 (200 OK), " + value)
            else:
                ok = got in (value, NUMBERS.get(value))
            if not ok:
                failures += 1
                print("FAIL %s frame %d %s: expected %r, got %r" %
                      (mode, frame, field, value, row[field]))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="tcplife-side.")
    os.chmod(d, 0o755)
    pcap = os.path.join(d, "side.pcap")
    try:
        write(pcap)
        os.chmod(pcap, 0o644)
        failures = 0
        for two_pass in (False, True):
            failures += check(run(a.build, pcap, two_pass), "two pass" if two_pass else "one pass")
    finally:
        os.remove(pcap)
        os.rmdir(d)
    checks = 2 * (N_FRAMES + sum(len(v) for v in EXPECT.values()))
    print("side tables: %d checks, %d failures" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
