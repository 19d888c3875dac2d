#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a synthetic pcap of N complete TCP connections, fast (struct-packed).

    gen_conns.py OUT.pcap N [--concurrency K]

Each connection is 8 segments: SYN, SYN+ACK, ACK, request (C->S, 37 B of
HTTP), response (S->C, 59 B of HTTP, acking the request), FIN+ACK (C->S),
FIN+ACK (S->C), ACK (C->S): handshake steps 1-3, teardown steps 1, 2+3, 4.
K connections (default 100) are in flight at once, their segments
interleaved round-robin. Every 4-tuple is distinct: the server is
127.0.0.1:80, the client of connection i is 127.0.0.0 + 2 + i (so up to
16 M connections stay inside 127.0.0.0/8) port 1024 + i % 64000.
Ethernet framing, IPv4 checksums computed, TCP checksums 0 (Wireshark does
not check them by default), 10 us between packets.
"""
import argparse
import struct
import sys

REQ = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\r\n"
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"[:59]
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
ETH = b"\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x01\x08\x00"
IPH = struct.Struct("!BBHHHBBH4s4s")
TCPH = struct.Struct("!HHIIBBHHH")
REC = struct.Struct("<IIII")
SERVER = bytes([127, 0, 0, 1])


def ip_checksum(h):
    s = sum(struct.unpack("!10H", h))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def packet(src, dst, sport, dport, seq, ack, flags, data=b""):
    tcp = TCPH.pack(sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                    65535, 0, 0) + data
    total = 20 + len(tcp)
    h = IPH.pack(0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
    h = h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]
    return ETH + h + tcp


def connection(i):
    """The 8 frames of connection i."""
    a = 0x7F000002 + i
    cip = struct.pack("!I", a)
    cport, sport = 1024 + i % 64000, 80
    cisn, sisn = (i * 2654435761) & 0xFFFFFFFF, (i * 40503 + 12345) & 0xFFFFFFFF
    c2s = lambda seq, ack, fl, d=b"": packet(cip, SERVER, cport, sport, cisn + seq,  # noqa
                                             sisn + ack, fl, d)
    s2c = lambda seq, ack, fl, d=b"": packet(SERVER, cip, sport, cport, sisn + seq,  # noqa
                                             cisn + ack, fl, d)
    q, r = len(REQ), len(RESP)
    return [
        packet(cip, SERVER, cport, sport, cisn, 0, SYN),
        s2c(0, 1, SYN | ACK),
        c2s(1, 1, ACK),
        c2s(1, 1, PSH | ACK, REQ),
        s2c(1, 1 + q, PSH | ACK, RESP),
        c2s(1 + q, 1 + r, FIN | ACK),
        s2c(1 + r, 2 + q, FIN | ACK),
        c2s(2 + q, 2 + r, ACK),
    ]


def write(path, n, k):
    t = 1700000000 * 1000000
    with open(path, "wb", buffering=1 << 22) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        frames = 0
        for base in range(0, n, k):
            batch = [connection(i) for i in range(base, min(n, base + k))]
            for step in range(8):
                for conn in batch:
                    p = conn[step]
                    f.write(REC.pack(t // 1000000, t % 1000000, len(p), len(p)))
                    f.write(p)
                    t += 10
                    frames += 1
    return frames


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--concurrency", type=int, default=100)
    a = ap.parse_args()
    if a.n > (1 << 24) - 4:
        sys.exit("at most 16 M connections fit in 127.0.0.0/8")
    frames = write(a.out, a.n, a.concurrency)
    print("%s: %d connections, %d frames" % (a.out, a.n, frames))


if __name__ == "__main__":
    main()
