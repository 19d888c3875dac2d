#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the HTTP storage regressions of regressions/ (see its README):

    make_http_regressions.py   # writes regressions/fin_after_nine_requests.pcap,
                               # regressions/continue_retransmitted.pcap
                               # and regressions/response_end_retransmitted.pcap

127.0.0.2:4000 -> 127.0.0.1:80, struct-packed like gen_conns.py.
"""
import os
import struct

import gen_conns as g

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
C, S = bytes([127, 0, 0, 2]), bytes([127, 0, 0, 1])
HERE = os.path.dirname(os.path.abspath(__file__))


def c2s(seq, ack, fl, d=b""):
    return g.packet(C, S, 4000, 80, 1000 + seq, 5000 + ack, fl, d)


def s2c(seq, ack, fl, d=b""):
    return g.packet(S, C, 80, 4000, 5000 + seq, 1000 + ack, fl, d)


def write(name, packets):
    with open(os.path.join(HERE, "regressions", name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(packets):
            f.write(g.REC.pack(1700000000, i * 1000, len(p), len(p)) + p)


def main():
    # Eight whole pipelined requests and the start of a ninth in one
    # segment (8 is the most a segment reports), then the client's FIN,
    # which cuts the ninth.
    reqs = b"".join(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(8))
    reqs += b"GET /9 HTTP/1.1\r\nHost: x\r\n"
    write("fin_after_nine_requests.pcap",
          [c2s(0, -5000, SYN), s2c(0, 1, SYN | ACK), c2s(1, 1, ACK), c2s(1, 1, PSH | ACK, reqs),
           c2s(1 + len(reqs), 1, FIN | ACK)])
    # A 100 Continue and the final 200 OK of one exchange in one segment,
    # which is then sent again.
    req = b"POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"
    resp = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    write("continue_retransmitted.pcap",
          [c2s(0, -5000, SYN), s2c(0, 1, SYN | ACK), c2s(1, 1, ACK),
           c2s(1, 1, PSH | ACK, req), s2c(1, 1 + len(req), PSH | ACK, resp),
           s2c(1, 1 + len(req), PSH | ACK, resp)])
    # A response in two segments whose second (its end) is sent again.
    req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    r1, r2 = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", b"world"
    write("response_end_retransmitted.pcap",
          [c2s(0, -5000, SYN), s2c(0, 1, SYN | ACK), c2s(1, 1, ACK),
           c2s(1, 1, PSH | ACK, req), s2c(1, 1 + len(req), ACK, r1),
           s2c(1 + len(r1), 1 + len(req), PSH | ACK, r2),
           s2c(1 + len(r1), 1 + len(req), PSH | ACK, r2)])


if __name__ == "__main__":
    main()
