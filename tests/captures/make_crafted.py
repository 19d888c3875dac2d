#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the crafted_*.pcap captures: one TCP lifecycle edge case each.

These are segments no Linux loopback run produces on demand (simultaneous
open/close, Windows-style closes, retransmitted control segments, TFO,
mid-stream starts, sequence wrap-around, capture reordering...). Each is
built with scapy with realistic sequence and acknowledgment numbers and
strictly increasing timestamps, so that tshark's relative numbers (ISN = 0)
match the comments here and in tests/expected/<name>.tsv.

Run with Debian's python (scapy): /usr/bin/python3 tests/captures/make_crafted.py
The output is deterministic: same script, same bytes.
"""
import os
import sys

from scapy.all import IP, IPv6, TCP, Ether, Raw, wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1700000000.0          # 2023-11-14 22:13:20 UTC: fixed, so output is stable
M32 = 1 << 32

REQ = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"                          # 35 B
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"  # 62 B


class Flow:
    """Both ends of one connection. Sequence numbers are given relative to
    each side's ISN (0 = the SYN), like tshark's relative numbers; the
    defaults are the side's next sequence number and, for the ack, all that
    the peer has sent so far."""

    def __init__(self, cisn, sisn, caddr="127.0.0.1", saddr="127.0.0.1",
                 cport=40000, sport=80, t0=T0):
        self.isn = {"c": cisn, "s": sisn}
        self.addr = {"c": caddr, "s": saddr}
        self.port = {"c": cport, "s": sport}
        self.nxt = {"c": 0, "s": 0}       # relative next sequence number
        self.t = t0
        self.pkts = []
        self.v6 = ":" in caddr

    def send(self, who, flags, data=b"", seq=None, ack=None, win=65483,
             dt=0.0005, opts=None, advance=True):
        peer = "s" if who == "c" else "c"
        if seq is None:
            seq = self.nxt[who]
        if ack is None:
            ack = self.nxt[peer]
        raw_seq = (self.isn[who] + seq) % M32
        raw_ack = (self.isn[peer] + ack) % M32 if "A" in flags else 0
        if opts is None:
            opts = [("MSS", 65495), ("SAckOK", b""), ("WScale", 7)] if "S" in flags else []
        ipl = (IPv6(src=self.addr[who], dst=self.addr[peer]) if self.v6
               else IP(src=self.addr[who], dst=self.addr[peer], flags="DF", ttl=64))
        p = (Ether(src="00:00:00:00:00:00", dst="00:00:00:00:00:00") / ipl /
             TCP(sport=self.port[who], dport=self.port[peer], flags=flags,
                 seq=raw_seq, ack=raw_ack, window=win, options=opts))
        if data:
            p = p / Raw(load=data)
        self.t += dt
        p.time = self.t
        self.pkts.append(p)
        if advance:
            end = seq + len(data) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
            if (end - self.nxt[who]) % M32 < M32 // 2:
                self.nxt[who] = end
        return p

    def handshake(self):
        self.send("c", "S")
        self.send("s", "SA")
        self.send("c", "A")

    def exchange(self, req=REQ, resp=RESP):
        self.send("c", "PA", req)
        self.send("s", "A")
        self.send("s", "PA", resp)
        self.send("c", "A")


def write(name, pkts):
    path = os.path.join(HERE, name + ".pcap")
    wrpcap(path, pkts)
    print("%s.pcap: %d frames" % (name, len(pkts)))


def simultaneous_open():
    # Two peers with ephemeral ports connect to each other at the same time
    # (RFC 9293 §3.5 Figure 7). 40000 sends the first SYN: the client.
    f = Flow(0x1000, 0x5000, cport=40000, sport=40001)
    f.send("c", "S")                     # 1 SYN c
    f.send("s", "S", ack=0)              # 2 SYN s (no ACK: crossed c's SYN)
    f.send("c", "SA", seq=0)             # 3 SYN+ACK c, acks s's SYN
    f.send("s", "SA", seq=0)             # 4 SYN+ACK s, acks c's SYN
    f.send("c", "A")                     # 5 ACK c
    f.send("s", "PA", b"hello\n")        # 6 data s
    f.send("c", "A")                     # 7 ACK c
    f.send("c", "FA")                    # 8 FIN c
    f.send("s", "FA")                    # 9 FIN+ACK s
    f.send("c", "A")                     # 10 ACK c
    return f.pkts


def simultaneous_close():
    f = Flow(0x2000, 0x6000)
    f.handshake()                        # 1-3
    f.send("c", "PA", b"0123456789")     # 4 data c
    f.send("s", "A")                     # 5 ACK s
    f.send("c", "FA")                    # 6 FIN c   seq 11 ack 1
    f.send("s", "FA", ack=11)            # 7 FIN s   seq 1  ack 11: does not ack c's FIN
    f.send("c", "A")                     # 8 ACK c   seq 12 ack 2: acks s's FIN
    f.send("s", "A")                     # 9 ACK s   seq 2  ack 12: acks c's FIN
    return f.pkts


def four_segment_close(first):
    other = "s" if first == "c" else "c"
    f = Flow(0x3000, 0x7000)
    f.handshake()                        # 1-3
    f.exchange()                         # 4-7
    f.send(first, "FA", dt=0.05)         # 8 FIN
    f.send(other, "A")                   # 9 ACK of it
    f.send(other, "FA", dt=0.2)          # 10 FIN of the other side
    f.send(first, "A")                   # 11 last ACK
    return f.pkts


def retransmissions():
    f = Flow(0x4000, 0x8000)
    f.send("c", "S")                     # 1 SYN
    f.send("c", "S", seq=0, dt=1.0)      # 2 SYN again (RTO 1 s)
    f.send("s", "SA")                    # 3 SYN+ACK
    f.send("s", "SA", seq=0, dt=1.0)     # 4 SYN+ACK again
    f.send("c", "A")                     # 5 ACK
    f.send("c", "PA", b"x" * 20)         # 6 data c 20 B
    f.send("s", "PA", b"y" * 30)         # 7 data s 30 B
    f.send("c", "A")                     # 8 ACK
    f.send("c", "FA", dt=0.1)            # 9 FIN c     seq 21
    f.send("c", "FA", seq=21, dt=0.2)    # 10 FIN c again
    f.send("s", "FA")                    # 11 FIN+ACK s seq 31 ack 22
    f.send("s", "FA", seq=31, dt=0.2)    # 12 FIN+ACK s again
    f.send("c", "A")                     # 13 ACK c    seq 22 ack 32
    return f.pkts


def rst_retrans():
    # The server aborts; the client's data already in flight draws a second
    # RST with the same sequence number.
    f = Flow(0x4100, 0x8100)
    f.handshake()                        # 1-3
    f.send("c", "PA", b"a" * 10)         # 4 data c seq 1
    f.send("s", "R", dt=0.01)            # 5 RST s seq 1 (no ACK)
    f.send("c", "PA", b"b" * 10)         # 6 data c seq 11 (sent before the RST arrived)
    f.send("s", "R", seq=1)              # 7 RST s seq 1 again
    return f.pkts


def third_ack_data():
    f = Flow(0x4200, 0x8200)
    f.send("c", "S")                     # 1 SYN
    f.send("s", "SA")                    # 2 SYN+ACK
    f.send("c", "PA", REQ)               # 3 request, acks the SYN+ACK: no pure ACK
    f.send("s", "A")                     # 4
    f.send("s", "PA", RESP)              # 5
    f.send("c", "A")                     # 6
    f.send("c", "FA")                    # 7 FIN c
    f.send("s", "FA")                    # 8 FIN+ACK s
    f.send("c", "A")                     # 9 ACK c
    return f.pkts


def tfo_syn_data():
    f = Flow(0x4300, 0x8300)
    cookie = ("TFO", b"\x11\x22\x33\x44\x55\x66\x77\x88")
    f.send("c", "S", REQ, opts=[("MSS", 65495), ("SAckOK", b""), ("WScale", 7), cookie])
    f.send("s", "SA", opts=[("MSS", 65495), ("SAckOK", b""), ("WScale", 7), ("TFO", b"")])
    # 2 SYN+ACK acks ISN + 1 + 35: the SYN's data was accepted
    f.send("c", "A")                     # 3 ACK
    f.send("s", "PA", RESP)              # 4 response
    f.send("c", "A")                     # 5
    f.send("c", "FA")                    # 6 FIN c
    f.send("s", "FA")                    # 7 FIN+ACK s
    f.send("c", "A")                     # 8 ACK c
    return f.pkts


def midstream():
    # Capture starts while the server (port 80) is sending a response: the
    # first captured segment comes from the server.
    f = Flow(0x4400, 0x8400)
    f.nxt = {"c": 1001, "s": 5001}       # well into the connection
    body = b"<p>" + b"z" * 94 + b"</p>"  # 101 B
    f.send("s", "A", body)               # 1 data s
    f.send("s", "PA", body)              # 2 data s
    f.send("c", "A")                     # 3 ACK c
    f.send("c", "FA", dt=0.05)           # 4 FIN c
    f.send("s", "FA")                    # 5 FIN+ACK s
    f.send("c", "A")                     # 6 ACK c
    return f.pkts


def midstream_synack():
    f = Flow(0x4500, 0x8500)
    f.nxt["c"] = 1                       # the client's SYN was not captured
    f.send("s", "SA")                    # 1 SYN+ACK
    f.send("c", "A")                     # 2 ACK
    f.exchange()                         # 3-6
    f.send("c", "FA")                    # 7 FIN c
    f.send("s", "FA")                    # 8 FIN+ACK s
    f.send("c", "A")                     # 9 ACK c
    return f.pkts


def wraparound():
    f = Flow(0xFFFFFFF0, 0xFFFFFFFA)
    f.handshake()                        # 1-3
    f.send("c", "PA", b"c" * 40)         # 4 data c: seq 1..40 crosses 2^32
    f.send("s", "A")                     # 5
    f.send("s", "PA", b"s" * 20)         # 6 data s: crosses 2^32
    f.send("c", "A")                     # 7
    f.send("c", "FA")                    # 8 FIN c (raw seq 0x00000019)
    f.send("s", "A")                     # 9 ACK of it
    f.send("s", "FA")                    # 10 FIN s (raw seq 0x0000000f)
    f.send("c", "A")                     # 11 ACK c
    return f.pkts


def ack_before_fin():
    f = Flow(0x4600, 0x8600)
    f.handshake()                        # 1-3
    f.exchange()                         # 4-7
    fin = f.send("c", "FA", dt=0.05)     # the client's FIN, seq 36
    ack = f.send("s", "A")               # the server's ACK of it, ack 37
    # Captured in the wrong order (e.g. merged from two capture points):
    # the ACK becomes frame 8, the FIN frame 9.
    fin.time, ack.time = ack.time, fin.time
    f.pkts[-2], f.pkts[-1] = ack, fin
    f.send("s", "FA", dt=0.1)            # 10 FIN s
    f.send("c", "A")                     # 11 ACK c
    return f.pkts


def teardown_step2_data():
    f = Flow(0x4700, 0x8700)
    f.handshake()                        # 1-3
    f.send("c", "PA", REQ)               # 4 request
    f.send("c", "FA")                    # 5 FIN c (half-close after the request)
    f.send("s", "PA", RESP[:40])         # 6 data s acking the FIN
    f.send("c", "A")                     # 7
    f.send("s", "PA", RESP[40:])         # 8 more data s
    f.send("c", "A")                     # 9
    f.send("s", "FA")                    # 10 FIN s
    f.send("c", "A")                     # 11 ACK c
    return f.pkts


def data_after_fin():
    f = Flow(0x4800, 0x8800)
    f.handshake()                        # 1-3
    f.send("c", "PA", b"0123456789")     # 4 data c seq 1
    f.send("s", "A")                     # 5
    f.send("c", "FA")                    # 6 FIN c seq 11
    f.send("s", "A")                     # 7 ACK of FIN, ack 12
    f.send("c", "PA", b"extra", seq=12)  # 8 data c seq 12, after its own FIN
    f.send("s", "A", ack=12)             # 9 server does not accept it: ack 12
    f.send("s", "FA", ack=12)            # 10 FIN s seq 1
    f.send("c", "A", seq=12)             # 11 ACK c seq 12 ack 2
    return f.pkts


def zero_window_probe():
    f = Flow(0x4900, 0x8900)
    f.handshake()                        # 1-3
    f.send("c", "A", b"d" * 1000)        # 4 data c seq 1
    f.send("c", "PA", b"d" * 1000)       # 5 data c seq 1001
    f.send("s", "A", win=0)              # 6 ACK 2001, window 0
    f.send("c", "A", b"p", dt=0.2, advance=False)   # 7 probe seq 2001, 1 B
    f.send("s", "A", win=0)              # 8 ACK 2001, window still 0
    f.send("c", "A", b"p", dt=0.4, advance=False)   # 9 probe again
    f.send("s", "A", win=0)              # 10 ACK 2001, window 0
    f.send("s", "A", win=512, dt=0.1)    # 11 window update
    f.send("c", "PA", b"p" + b"d" * 99)  # 12 data c seq 2001, 100 B
    f.send("s", "A", win=512)            # 13 ACK 2101
    f.send("c", "FA")                    # 14 FIN c
    f.send("s", "FA", win=512)           # 15 FIN+ACK s
    f.send("c", "A")                     # 16 ACK c
    return f.pkts


def ipv6():
    f = Flow(0x4A00, 0x8A00, caddr="::1", saddr="::1", cport=40000, sport=80)
    f.handshake()                        # 1-3
    f.exchange()                         # 4-7
    f.send("c", "FA")                    # 8 FIN c
    f.send("s", "FA")                    # 9 FIN+ACK s
    f.send("c", "A")                     # 10 ACK c
    return f.pkts


def refused_retry():
    # Windows retries a refused connect: same ISN, RST+ACK again.
    f = Flow(0x4B00, 0)
    f.send("c", "S", win=64240)                            # 1 SYN
    f.send("s", "RA", seq=0, ack=1, win=0, advance=False)  # 2 RST+ACK
    f.send("c", "S", seq=0, win=64240, dt=0.5)             # 3 SYN again
    f.send("s", "RA", seq=0, ack=1, win=0, advance=False)  # 4 RST+ACK again
    return f.pkts


def synack_rst():
    # The client answers the SYN+ACK with an RST (its connect was abandoned):
    # the server, in SYN-RECEIVED from LISTEN, goes back to LISTEN.
    f = Flow(0x4C00, 0x8C00)
    f.send("c", "S")                     # 1 SYN
    f.send("s", "SA")                    # 2 SYN+ACK
    f.send("c", "R", seq=1)              # 3 RST c seq 1
    return f.pkts


def syn_unanswered():
    # Nobody answers: the client retransmits its SYN (RFC 6298 back-off).
    f = Flow(0x4D00, 0)
    f.send("c", "S", win=64240)                           # 1 SYN
    f.send("c", "S", seq=0, win=64240, dt=1.0)           # 2 SYN again
    f.send("c", "S", seq=0, win=64240, dt=2.0)           # 3 SYN again
    return f.pkts


CAPTURES = {
    "crafted_simultaneous_open": simultaneous_open,
    "crafted_simultaneous_close": simultaneous_close,
    "crafted_four_segment_close_client": lambda: four_segment_close("c"),
    "crafted_four_segment_close_server": lambda: four_segment_close("s"),
    "crafted_retransmissions": retransmissions,
    "crafted_rst_retrans": rst_retrans,
    "crafted_third_ack_data": third_ack_data,
    "crafted_tfo_syn_data": tfo_syn_data,
    "crafted_midstream": midstream,
    "crafted_midstream_synack": midstream_synack,
    "crafted_wraparound": wraparound,
    "crafted_ack_before_fin": ack_before_fin,
    "crafted_teardown_step2_data": teardown_step2_data,
    "crafted_data_after_fin": data_after_fin,
    "crafted_zero_window_probe": zero_window_probe,
    "crafted_ipv6": ipv6,
    "crafted_refused_retry": refused_retry,
    "crafted_synack_rst": synack_rst,
    "crafted_syn_unanswered": syn_unanswered,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(CAPTURES)
    for n in names:
        write(n, CAPTURES[n]())
