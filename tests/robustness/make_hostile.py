#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write tests/robustness/captures/*.pcap: one ordinary connection (base_v4,
base_v6) and hostile variants of it, checked by check_crafted.py against the
base capture.

  base_v4        10.1.0.1:40000 -> 10.2.0.2:80, handshake, one HTTP exchange,
                 four-segment close, client first (11 frames)
  base_v6        [2001:db8:1::1]:40001 -> [2001:db8:2::2]:80, the same with the
                 Linux three-segment close (FIN, FIN+ACK, ACK; 10 frames)
  icmp_quote_v4  base_v4 plus 5 ICMP errors quoting its segments (SYN with only
                 the 8 bytes RFC 792 requires, SYN+ACK, request with payload,
                 the client's FIN, a client RST that never arrived)
  icmp_quote_v6  base_v6 plus 4 ICMPv6 errors quoting its segments (SYN, data,
                 both FINs)
  tunnel_ipip    base_v4 inside IPv4-in-IPv4 (192.0.2.1 <-> 192.0.2.2)
  tunnel_gre     base_v4 inside GRE
  tunnel_vxlan   base_v4 inside VXLAN (UDP 4789, VNI 42, inner Ethernet)
  tunnel_6in4    base_v6 inside IPv4 protocol 41 (6in4)
  tunnel_4in6    base_v4 inside IPv6 next header 4
  tunnel_gre_icmp  tunnel_gre plus 2 ICMP errors (quoting the request and the
                 server's FIN) carried in the same GRE tunnel
  dup_exact      every frame of base_v4 captured twice, 1 us apart, same bytes
  dup_routed     every frame twice: the copy from the other side of a router
                 (TTL - 1, other MAC addresses)
  dup_interleaved  every frame twice, the copy one frame late (two interfaces
                 merged: SYN, SYN+ACK, SYN copy, ACK, SYN+ACK copy, ...)
  bad_checksums  base_v4 with wrong TCP checksums on the SYN, the request and
                 the client FIN, and a wrong IPv4 header checksum on the SYN+ACK
  bogus_flags    base_v4 with injected segments after the exchange: client
                 SYN+FIN and server SYN+RST (seq = the sender's ISN), client
                 without flags, server with all 8 flags (in window), and a
                 client segment with PSH alone in FIN-WAIT-2
  bogus_flags_split  the same with the SYN+FIN and SYN+RST in window: Wireshark
                 then starts a new tcp.stream at the SYN+FIN (port reuse)
  ipv6_ext_headers  base_v6 with hop-by-hop and destination-options headers
                 before TCP in every packet, and a 4-byte Ethernet trailer
  ip_fragments   base_v4 then base_v6, each request in IP fragments (IPv4:
                 first fragment with 8 bytes of TCP header, captured in
                 reverse order), the IPv6 response too
  eth_padding    base_v4 with short frames padded to 60 bytes (non-zero)
  time_backwards base_v4 with the clock stepped back 1 s after the request
  reuse_refused  a Linux-closed connection (SYN, SYN+ACK, ACK, FIN, FIN+ACK,
                 ACK), then the client's new SYN on the same ports with
                 another ISN, refused by the server's RST+ACK: Wireshark
                 makes the SYN and the RST a new tcp.stream (both directions)
  bad_header_length  base_v4 with two segments injected after the request
                 whose TCP data offset is bogus: 3 words (under the minimum
                 of 5) with 10 bytes after the header, and 15 words (60
                 bytes) in a 28-byte segment

Run with Debian's python (scapy): /usr/bin/python3 tests/robustness/make_hostile.py [NAME...]
Deterministic: same script, same bytes; --check compares the committed
captures with a fresh run (exit 77 without scapy).
"""
import os
import sys
import tempfile

try:
    from scapy.all import (GRE, ICMP, IP, TCP, UDP, Ether, ICMPv6DestUnreach,
                           ICMPv6PacketTooBig, ICMPv6TimeExceeded, IPv6, IPv6ExtHdrDestOpt,
                           IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, Raw, fragment, fragment6,
                           wrpcap)
    from scapy.layers.vxlan import VXLAN
except ImportError:
    if "--check" in sys.argv:
        print("no scapy: skipped")
        sys.exit(77)
    raise

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "captures")
T0 = 1700000000.0
M32 = 1 << 32
REQ = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"


class Conn:
    """Both ends of one connection, as L3 packets (IP/TCP or IPv6/TCP)."""

    def __init__(self, caddr, saddr, cport, sport, cisn, sisn):
        self.addr = {"c": caddr, "s": saddr}
        self.port = {"c": cport, "s": sport}
        self.isn = {"c": cisn, "s": sisn}
        self.nxt = {"c": 0, "s": 0}
        self.v6 = ":" in caddr
        self.pkts = []      # (who, L3 packet)

    def seg(self, who, flags, data=b"", seq=None, ack=None, advance=True):
        peer = "s" if who == "c" else "c"
        seq = self.nxt[who] if seq is None else seq
        ack = self.nxt[peer] if ack is None else ack
        opts = [("MSS", 1460), ("SAckOK", b""), ("WScale", 7)] if "S" in flags else []
        l3 = (IPv6(src=self.addr[who], dst=self.addr[peer], hlim=64) if self.v6 else
              IP(src=self.addr[who], dst=self.addr[peer], ttl=64, flags="DF", id=0))
        p = l3 / TCP(sport=self.port[who], dport=self.port[peer], flags=flags,
                     seq=(self.isn[who] + seq) % M32,
                     ack=(self.isn[peer] + ack) % M32 if "A" in flags else 0,
                     window=502, options=opts)
        if data:
            p = p / Raw(load=data)
        if advance:
            self.nxt[who] = seq + len(data) + ("S" in flags) + ("F" in flags)
        self.pkts.append((who, p))
        return p


def open_and_exchange(c):
    """Handshake, then one HTTP request and its response, each acked."""
    c.seg("c", "S")
    c.seg("s", "SA")
    c.seg("c", "A")
    c.seg("c", "PA", REQ)
    c.seg("s", "A")
    c.seg("s", "PA", RESP)
    c.seg("c", "A")


def base_v4():
    c = Conn("10.1.0.1", "10.2.0.2", 40000, 80, 1000000, 3000000)
    open_and_exchange(c)
    c.seg("c", "FA")
    c.seg("s", "A")
    c.seg("s", "FA")
    c.seg("c", "A")
    return c


def base_v6():
    c = Conn("2001:db8:1::1", "2001:db8:2::2", 40001, 80, 7000000, 9000000)
    open_and_exchange(c)
    c.seg("c", "FA")
    c.seg("s", "FA")
    c.seg("c", "A")
    return c


def eth(who, l3):
    src, dst = (MAC_C, MAC_S) if who == "c" else (MAC_S, MAC_C)
    return Ether(src=src, dst=dst) / l3


def timed(frames, dt=0.001):
    """Give frames strictly increasing timestamps."""
    for i, f in enumerate(frames):
        f.time = T0 + i * dt
    return frames


def plain(conn):
    return [eth(w, p) for w, p in conn.pkts]


OUTER = {"c": ("192.0.2.1", "192.0.2.2"), "s": ("192.0.2.2", "192.0.2.1")}
OUTER6 = {"c": ("2001:db8:ff::1", "2001:db8:ff::2"), "s": ("2001:db8:ff::2", "2001:db8:ff::1")}


def outer_ip(who, proto):
    s, d = OUTER[who]
    return IP(src=s, dst=d, ttl=64, id=0, proto=proto)


def tunnel(conn, kind):
    out = []
    for who, p in conn.pkts:
        if kind == "ipip":
            f = eth(who, outer_ip(who, 4) / p)
        elif kind == "6in4":
            f = eth(who, outer_ip(who, 41) / p)
        elif kind == "4in6":
            s, d = OUTER6[who]
            f = eth(who, IPv6(src=s, dst=d, nh=4, hlim=64) / p)
        elif kind == "gre":
            f = eth(who, outer_ip(who, 47) / GRE(proto=0x0800) / p)
        elif kind == "vxlan":
            s, d = OUTER[who]
            inner = eth(who, p)
            f = eth(who, IP(src=s, dst=d, ttl=64, id=0) /
                    UDP(sport=49152 if who == "c" else 49153, dport=4789) /
                    VXLAN(flags=0x08, vni=42) / inner)
        else:
            raise ValueError(kind)
        out.append(f)
    return out


def quote(p, nbytes=None):
    """What an ICMP error quotes: the IP header and the start of the packet
    (the whole packet when nbytes is None)."""
    raw = bytes(p)
    if nbytes is not None:
        hl = 40 if isinstance(p, IPv6) else (raw[0] & 15) * 4
        raw = raw[:hl + nbytes]
    return raw


def icmp4(src, dst, typ, code, quoted, **kw):
    return IP(src=src, dst=dst, ttl=255, id=0) / ICMP(type=typ, code=code, **kw) / Raw(quoted)


def icmp_quote_v4():
    c = base_v4()
    frames = plain(c)
    P = [p for _, p in c.pkts]
    router = "10.1.0.254"
    # A client RST that a router dropped (TTL expired): never seen as a segment.
    lost_rst = IP(src="10.1.0.1", dst="10.2.0.2", ttl=1, flags="DF", id=0) / TCP(
        sport=40000, dport=80, flags="R", seq=(1000000 + 1 + len(REQ)) % M32, window=0)
    ins = {  # insert after base frame index (0-based)
        0: [eth("s", icmp4(router, "10.1.0.1", 3, 1, quote(P[0], 8)))],        # host unreachable
        1: [eth("c", icmp4("10.2.0.254", "10.2.0.2", 11, 0, quote(P[1])))],    # TTL exceeded
        3: [eth("s", icmp4(router, "10.1.0.1", 3, 4, quote(P[3]), nexthopmtu=1400))],
        7: [eth("s", icmp4(router, "10.1.0.1", 3, 13, quote(P[7])))],          # admin prohibited
        8: [eth("s", icmp4(router, "10.1.0.1", 11, 0, quote(lost_rst)))],
    }
    out = []
    for i, f in enumerate(frames):
        out.append(f)
        out += ins.get(i, [])
    return out


def icmp6(src, dst, layer, quoted):
    return IPv6(src=src, dst=dst, hlim=255) / layer / Raw(quoted)


def icmp_quote_v6():
    c = base_v6()
    frames = plain(c)
    P = [p for _, p in c.pkts]
    r1, r2 = "2001:db8:1::fe", "2001:db8:2::fe"
    ins = {
        0: [eth("s", icmp6(r1, "2001:db8:1::1", ICMPv6TimeExceeded(code=0), quote(P[0])))],
        3: [eth("s", icmp6(r1, "2001:db8:1::1", ICMPv6PacketTooBig(mtu=1280), quote(P[3])))],
        7: [eth("c", icmp6(r2, "2001:db8:2::2", ICMPv6DestUnreach(code=1), quote(P[7])))],
        8: [eth("s", icmp6("2001:db8:1::1", "2001:db8:2::2", ICMPv6DestUnreach(code=4),
                           quote(P[8])))],
    }
    out = []
    for i, f in enumerate(frames):
        out.append(f)
        out += ins.get(i, [])
    return out


def tunnel_gre_icmp():
    c = base_v4()
    frames = tunnel(c, "gre")
    P = [p for _, p in c.pkts]
    ins = {
        3: [eth("s", outer_ip("s", 47) / GRE(proto=0x0800) /
                icmp4("10.1.0.254", "10.1.0.1", 3, 4, quote(P[3]), nexthopmtu=1400))],
        9: [eth("c", outer_ip("c", 47) / GRE(proto=0x0800) /
                icmp4("10.2.0.254", "10.2.0.2", 3, 1, quote(P[9])))],
    }
    out = []
    for i, f in enumerate(frames):
        out.append(f)
        out += ins.get(i, [])
    return out


def dup(kind):
    c = base_v4()
    frames = plain(c)
    copies = []
    for (who, p), f in zip(c.pkts, frames):
        if kind == "routed":
            q = p.copy()
            q[IP].ttl -= 1
            del q[IP].chksum
            g = Ether(src="02:00:00:00:01:fe", dst="02:00:00:00:02:fe") / q
            copies.append(Ether(bytes(g)))
        else:
            copies.append(Ether(bytes(f)))
    out = []
    if kind == "interleaved":
        for i, f in enumerate(frames):
            out.append(f)
            if i > 0:
                out.append(copies[i - 1])
        out.append(copies[-1])
        return timed(out, 0.0005)
    for f, g in zip(frames, copies):
        out += [f, g]
    timed(out, 0.001)
    for i in range(1, len(out), 2):        # the copy 1 us after its original
        out[i].time = out[i - 1].time + 0.000001
    return out


def bad_checksums():
    c = base_v4()
    frames = [Ether(bytes(f)) for f in plain(c)]
    for i in (0, 3, 7):                    # SYN, request, client FIN: TCP checksum
        frames[i][TCP].chksum = (frames[i][TCP].chksum + 0x1111) & 0xFFFF
    frames[1][IP].chksum = (frames[1][IP].chksum + 0x2222) & 0xFFFF   # SYN+ACK: IP
    return [Ether(bytes(f)) for f in frames]


def bogus_flags(split=False):
    c = Conn("10.1.0.1", "10.2.0.2", 40000, 80, 1000000, 3000000)
    open_and_exchange(c)
    # Injected, nothing advances. A segment with SYN and without ACK whose
    # seq is not the sender's ISN makes Wireshark start a new tcp.stream
    # (port reuse): at the ISN (bogus_flags) the connection stays one
    # stream, in window (bogus_flags_split) Wireshark splits it.
    c.seg("c", "SF", seq=None if split else 0, advance=False)
    c.seg("s", "SR", seq=None if split else 0, advance=False)
    c.seg("c", "", advance=False)
    c.seg("s", "FSRPAUEC", advance=False)
    c.seg("c", "FA")
    c.seg("s", "A")
    c.seg("c", "P", b"x", advance=False)      # PSH alone, in FIN-WAIT-2
    c.seg("s", "FA")
    c.seg("c", "A")
    return plain(c)


def ipv6_ext_headers():
    """Every IPv6 packet with a hop-by-hop and a destination-options header
    before TCP, and a 4-byte Ethernet trailer after it (not payload)."""
    c = base_v6()
    out = []
    for who, p in c.pkts:
        q = p.copy()
        tcp = q[TCP]
        q[IPv6].remove_payload()
        q[IPv6].nh = 0
        q = q / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / tcp
        del q[IPv6].plen
        out.append(Ether(bytes(eth(who, q)) + b"\xde\xad\xbe\xef"))
    return out


def ip_fragments():
    """base_v4 and base_v6 one after the other; the request of each is sent
    in IP fragments (IPv4: 8 bytes of TCP header in the first fragment, the
    fragments captured last first), the response of the IPv6 one too."""
    out = []
    c = base_v4()
    for i, (who, p) in enumerate(c.pkts):
        if i == 3:
            q = p.copy()
            q[IP].flags = 0
            q[IP].id = 77
            frags = fragment(q, fragsize=8)
            out += [eth(who, f) for f in reversed(frags)]
        else:
            out.append(eth(who, p))
    c = base_v6()
    for i, (who, p) in enumerate(c.pkts):
        if i in (3, 5):
            tcp = p[TCP]
            q = p.copy()
            q[IPv6].remove_payload()
            q = q / IPv6ExtHdrFragment(id=0x1234 + i) / tcp
            frags = fragment6(q, 40 + 8 + 24)
            out += [eth(who, f) for f in frags]
        else:
            out.append(eth(who, p))
    return out


def eth_padding():
    """base_v4 as an Ethernet NIC sends it: frames under 60 bytes padded,
    with non-zero bytes (seen on real switches), not part of the segment."""
    out = []
    for f in plain(base_v4()):
        raw = bytes(f)
        if len(raw) < 60:
            raw += bytes((0x55 + i) & 0xFF for i in range(60 - len(raw)))
        out.append(Ether(raw))
    return out


def time_backwards():
    """base_v4 with the capture clock stepped back 1 s after the request
    (two interfaces merged without a common clock): capture order is what
    happened, the timestamps are not monotonic."""
    frames = timed(plain(base_v4()))
    for f in frames[4:]:
        f.time -= 1.0
    return frames


def bad_header_length():
    """Two injected segments, in window, that a reader cannot place the data
    of: TCP itself stops at their header length, so must tcplife."""
    c = base_v4()
    short = c.seg("c", "PA", b"0123456789", advance=False)
    short[TCP].dataofs = 3
    long_ = c.seg("s", "PA", b"01234567", advance=False)
    long_[TCP].dataofs = 15
    pkts = c.pkts[:4] + c.pkts[-2:] + c.pkts[4:-2]
    c.pkts = pkts
    return plain(c)


def reuse_refused():
    c = Conn("10.1.0.1", "10.2.0.2", 40000, 80, 1000000, 3000000)
    c.seg("c", "S")
    c.seg("s", "SA")
    c.seg("c", "A")
    c.seg("c", "FA")
    c.seg("s", "FA")
    c.seg("c", "A")
    c.isn["c"] = 5000000        # the port's next connection
    c.nxt["c"] = 0
    c.seg("c", "S")
    c.seg("s", "RA", seq=0, ack=1, advance=False)
    # RST+ACK from a listener-less port: seq 0, ack = the SYN's ISN + 1.
    rst = c.pkts[-1][1]
    rst[TCP].seq = 0
    rst[TCP].ack = 5000001
    return plain(c)


CAPTURES = {
    "base_v4": lambda: plain(base_v4()),
    "base_v6": lambda: plain(base_v6()),
    "icmp_quote_v4": icmp_quote_v4,
    "icmp_quote_v6": icmp_quote_v6,
    "tunnel_ipip": lambda: tunnel(base_v4(), "ipip"),
    "tunnel_gre": lambda: tunnel(base_v4(), "gre"),
    "tunnel_vxlan": lambda: tunnel(base_v4(), "vxlan"),
    "tunnel_6in4": lambda: tunnel(base_v6(), "6in4"),
    "tunnel_4in6": lambda: tunnel(base_v4(), "4in6"),
    "tunnel_gre_icmp": tunnel_gre_icmp,
    "dup_exact": lambda: dup("exact"),
    "dup_routed": lambda: dup("routed"),
    "dup_interleaved": lambda: dup("interleaved"),
    "bad_checksums": bad_checksums,
    "bogus_flags": bogus_flags,
    "bogus_flags_split": lambda: bogus_flags(split=True),
    "ipv6_ext_headers": ipv6_ext_headers,
    "ip_fragments": ip_fragments,
    "eth_padding": eth_padding,
    "time_backwards": time_backwards,
    "bad_header_length": bad_header_length,
    "reuse_refused": reuse_refused,
}


def write(out, names):
    os.makedirs(out, exist_ok=True)
    for name in names or CAPTURES:
        frames = CAPTURES[name]()
        if not name.startswith("dup_") and name != "time_backwards":
            timed(frames)
        path = os.path.join(out, name + ".pcap")
        wrpcap(path, frames, linktype=1)
        print("%s: %d frames" % (path, len(frames)))


def check():
    """The committed captures are what this script writes."""
    with tempfile.TemporaryDirectory() as d:
        write(d, [])
        stale = [n for n in CAPTURES
                 if not os.path.exists(os.path.join(OUT, n + ".pcap")) or
                 open(os.path.join(d, n + ".pcap"), "rb").read() !=
                 open(os.path.join(OUT, n + ".pcap"), "rb").read()]
    for n in stale:
        print("STALE captures/%s.pcap (rerun make_hostile.py)" % n)
    return 1 if stale else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    write(OUT, sys.argv[1:])
