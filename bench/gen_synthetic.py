#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a synthetic pcap of many short HTTP/1.1 connections, fast.

    gen_synthetic.py OUT.pcap [--conns N] [--concurrency K] [--seed S]

Each connection is 10 segments, the way a Linux client and server talk over
loopback when the server closes (Connection: close):

    SYN, SYN+ACK, ACK, GET (C->S), ACK, 200 OK (S->C), ACK,
    FIN+ACK (S->C), FIN+ACK (C->S), ACK (S->C)

K connections are in flight at once and their segments are interleaved
round-robin, so the dissectors see many concurrent streams, as in real
captures. Addresses are 127.0.0.0/8 only: the server is 127.0.0.1:80, the
client of connection i is 127.(1 + i/65536 % 254).(i/256 % 256).(i % 256)
port 1024 + i % 64000 (every 4-tuple distinct: no port reuse).

Ethernet framing with zero MACs (what tcpdump writes for lo), IPv4 header
checksums computed, TCP checksums left 0 (Wireshark does not check them by
default; loopback captures carry offloaded checksums anyway). Headers are
struct-packed from templates: about 1 M packets in a few seconds.
"""
import argparse
import random
import struct
import sys

SERVER_IP = bytes([127, 0, 0, 1])
SERVER_PORT = 80
REQ = (b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
       b"User-Agent: tcplife-bench\r\nAccept: */*\r\n"
       b"Connection: close\r\n\r\n")
BODY = b"<!doctype html><title>bench</title><p>" + b"x" * 400 + b"</p>\n"
RESP = (b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(BODY)) + BODY

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
ETH = b"\x00" * 12 + b"\x08\x00"
IP_HDR = struct.Struct("!BBHHHBBH4s4s")
TCP_HDR = struct.Struct("!HHIIBBHHH")
REC_HDR = struct.Struct("<IIII")
# MSS 65495, SACK permitted, timestamps, window scale 7: Linux's SYN options.
SYN_OPTS = b"\x02\x04\xff\xd7\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"
# NOP NOP timestamps on every other segment.
TS_OPTS = b"\x01\x01\x08\x0a\x00\x00\x00\x02\x00\x00\x00\x01"


def ip_checksum_partial(hdr_wo_addrs_sum, src, dst):
    s = hdr_wo_addrs_sum
    s += (src[0] << 8 | src[1]) + (src[2] << 8 | src[3])
    s += (dst[0] << 8 | dst[1]) + (dst[2] << 8 | dst[3])
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def segments(i, rng):
    """The 10 segments of connection i: (from_client, flags, seq, ack, opts, payload)."""
    cseq = rng.getrandbits(32)
    sseq = rng.getrandbits(32)
    m = 0xFFFFFFFF
    c1 = (cseq + 1) & m
    s1 = (sseq + 1) & m
    c2 = (c1 + len(REQ)) & m
    s2 = (s1 + len(RESP)) & m
    return (
        (True, SYN, cseq, 0, SYN_OPTS, b""),
        (False, SYN | ACK, sseq, c1, SYN_OPTS, b""),
        (True, ACK, c1, s1, TS_OPTS, b""),
        (True, PSH | ACK, c1, s1, TS_OPTS, REQ),
        (False, ACK, s1, c2, TS_OPTS, b""),
        (False, PSH | ACK, s1, c2, TS_OPTS, RESP),
        (True, ACK, c2, s2, TS_OPTS, b""),
        (False, FIN | ACK, s2, c2, TS_OPTS, b""),
        (True, FIN | ACK, c2, (s2 + 1) & m, TS_OPTS, b""),
        (False, ACK, (s2 + 1) & m, (c2 + 1) & m, TS_OPTS, b""),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--conns", type=int, default=100000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    if a.conns < 1 or a.conns > 254 * 65536:
        sys.exit("gen_synthetic.py: --conns out of range")
    rng = random.Random(a.seed)

    out = open(a.out, "wb", buffering=1 << 20)
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))  # DLT_EN10MB
    t_us = 1_700_000_000 * 1_000_000
    ip_id = 0
    active = []  # [client_ip, client_port, segment list, next index]
    started = 0
    written = 0
    buf = []
    while started < a.conns or active:
        while len(active) < a.concurrency and started < a.conns:
            i = started
            cip = bytes([127, 1 + (i >> 16) % 254, (i >> 8) & 255, i & 255])
            active.append([cip, 1024 + i % 64000, segments(i, rng), 0])
            started += 1
        still = []
        for c in active:
            cip, cport, segs, k = c
            from_client, flags, seq, ack, opts, payload = segs[k]
            src, dst = (cip, SERVER_IP) if from_client else (SERVER_IP, cip)
            sport, dport = (cport, SERVER_PORT) if from_client else (SERVER_PORT, cport)
            tcp_len = 20 + len(opts)
            total = 20 + tcp_len + len(payload)
            ip_id = (ip_id + 1) & 0xFFFF
            # Sum of the IP header words other than the addresses and checksum.
            s = 0x4500 + total + ip_id + 0x4000 + (64 << 8 | 6)
            csum = ip_checksum_partial(s, src, dst)
            ip = IP_HDR.pack(0x45, 0, total, ip_id, 0x4000, 64, 6, csum, src, dst)
            tcp = TCP_HDR.pack(sport, dport, seq, ack, (tcp_len // 4) << 4, flags,
                               65483 if flags & SYN else 512, 0, 0)
            frame_len = 14 + total
            t_us += 7 + (k * 3)
            buf.append(REC_HDR.pack(t_us // 1_000_000, t_us % 1_000_000, frame_len, frame_len))
            buf.append(ETH)
            buf.append(ip)
            buf.append(tcp)
            buf.append(opts)
            if payload:
                buf.append(payload)
            written += 1
            if k + 1 < len(segs):
                c[3] = k + 1
                still.append(c)
        active = still
        if len(buf) > 60000:
            out.write(b"".join(buf))
            buf.clear()
    out.write(b"".join(buf))
    out.close()
    print(f"gen_synthetic.py: {a.out}: {a.conns} connections, {written} packets", file=sys.stderr)


if __name__ == "__main__":
    main()
