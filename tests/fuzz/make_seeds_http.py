#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the HTTP fuzz target's seed corpus (tests/fuzz/corpus-http/*.bin):
realistic HTTP/1.x conversations, most of them those of tests/http/test_http.c
(keep-alive, pipelining, chunked bodies, Content-Length bodies across
segments, 100-continue, WebSocket and h2c upgrades, CONNECT, HEAD/204/304,
close-delimited bodies, TLS, garbage, gaps, repeats, snapshot cuts), in the
input format that fuzz_http.c documents.

  tests/fuzz/make_seeds_http.py      rewrite tests/fuzz/corpus-http/
  tests/fuzz/make_seeds_http.py --dump   print every seed's events

The output is deterministic: same script, same bytes.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
M32 = 1 << 32
BIG = [1000, 65535, 65536, 1 << 20, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF]
ISN_C, ISN_S = 0xFFFFFFF0, 0xFFFFFF80  # test_http.c's: every seed wraps


class Conv:
    """One connection as test_http.c's golden tables write it: each payload
    is sent at the sender's next sequence number plus `shift` (> 0 a gap,
    < 0 a repeat), `wire` bytes long (more than the bytes: a snapshot cut)."""

    def __init__(self, isn_c=ISN_C, isn_s=ISN_S):
        self.isn = [isn_c, isn_s]
        self.nxt = [isn_c, isn_s]
        self.ops = []

    def send(self, who, data, wire=None, shift=0, fin=False):
        d = 0 if who == "C" else 1
        if isinstance(data, str):
            data = data.encode("latin-1")
        wire = len(data) if wire is None else wire
        seq = (self.nxt[d] + shift) % M32
        self.ops.append(("P", d, seq, data, wire, fin))
        self.nxt[d] = (seq + wire) % M32
        return self

    def C(self, data, **kw):
        return self.send("C", data, **kw)

    def S(self, data, **kw):
        return self.send("S", data, **kw)

    def fin(self, who, null=False):
        self.ops.append(("F", 0 if who == "C" else 1, null))
        return self

    def encode(self):
        if all(v >= 0xFFFFFC00 for v in self.isn):
            cfg, raw = 1, [0xFFFFFFFF - v for v in self.isn]
        else:
            cfg, raw = 0, list(self.isn)
        out = bytearray(struct.pack("<BII", cfg, raw[0], raw[1]))
        nxt = list(self.isn)
        for op in self.ops:
            if op[0] == "F":
                out.append(op[1] | (5 if op[2] else 4) << 1)
                continue
            _, d, seq, data, wire, fin = op
            delta = (seq - nxt[d]) % M32
            if delta == 0:
                mode, extra = 0, b""
            elif delta - 1 < 0x10000:
                mode, extra = 1, struct.pack("<H", delta - 1)
            elif M32 - delta - 1 < 0x10000:
                mode, extra = 2, struct.pack("<H", M32 - delta - 1)
            else:
                mode, extra = 3, struct.pack("<I", delta)
            more = wire - len(data)
            assert more >= 0
            if more == 0:
                wmode = 0
            elif more < 0x100:
                wmode, extra = 1, extra + bytes([more])
            elif more < 0x10000:
                wmode, extra = 2, extra + struct.pack("<H", more)
            else:
                wmode, extra = 3, extra + bytes([BIG.index(more)])
            n = len(data)
            caplen = bytes([n]) if n < 0xFF else b"\xff" + struct.pack("<H", n)
            out.append(d | mode << 1 | wmode << 4 | (0x40 if fin else 0))
            out += extra + caplen + data
            nxt[d] = (seq + wire) % M32
        data = bytes(out)
        assert decode(data) == self.events(), "round trip"
        return data

    def events(self):
        ev = []
        for op in self.ops:
            if op[0] == "F":
                ev.append(("F", op[1], op[2]))
            else:
                _, d, seq, data, wire, fin = op
                ev.append(("P", d, seq, len(data), wire, data))
                if fin:
                    ev.append(("F", d, False))
        return ev


def decode(data):
    """Python mirror of fuzz_http.c's decode(), for --dump and the round trip."""
    if len(data) < 9:
        return []
    cfg, a, b = struct.unpack_from("<BII", data)
    nxt = [a, b] if not cfg & 1 else [0xFFFFFFFF - (a & 0x3FF), 0xFFFFFFFF - (b & 0x3FF)]
    off, ev = 9, []
    while len(ev) < 256 and off < len(data):
        op = data[off]
        off += 1
        d, mode, wmode = op & 1, (op >> 1) & 7, (op >> 4) & 3
        if mode in (4, 5):
            ev.append(("F", d, mode == 5))
            continue
        mode = 0 if mode >= 6 else mode
        need = (2 if mode in (1, 2) else 4 if mode == 3 else 0) + \
            (2 if wmode == 2 else 1 if wmode else 0) + 1
        if len(data) - off < need:
            break
        seq = nxt[d]
        if mode == 1:
            seq += 1 + struct.unpack_from("<H", data, off)[0]
        elif mode == 2:
            seq -= 1 + struct.unpack_from("<H", data, off)[0]
        elif mode == 3:
            seq += struct.unpack_from("<I", data, off)[0]
        seq %= M32
        off += 2 if mode in (1, 2) else 4 if mode == 3 else 0
        extra = [0, data[off] if wmode == 1 else 0,
                 struct.unpack_from("<H", data, off)[0] if wmode == 2 else 0,
                 BIG[data[off] & 7] if wmode == 3 else 0][wmode]
        off += 2 if wmode == 2 else 1 if wmode else 0
        cap = data[off]
        off += 1
        if cap == 0xFF:
            if len(data) - off < 2:
                break
            cap = struct.unpack_from("<H", data, off)[0]
            off += 2
        cap = min(cap, len(data) - off)
        wire = min(cap + extra, 0xFFFFFFFF)
        ev.append(("P", d, seq, cap, wire, data[off:off + cap]))
        off += cap
        nxt[d] = (seq + wire) % M32
        if op & 0x40 and len(ev) < 256:
            ev.append(("F", d, False))
    return ev


R10 = "GET / HTTP/1.1\r\n\r\n"
WS_REQ = ("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
WS_101 = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
TLS_CH = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32))
TLS_SH = b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03" + bytes(range(32, 64))


def scenarios():
    sc = {}
    sc["get_keepalive"] = (Conv()
        .C("GET /a HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123").S("456").S("789")
        .C("GET /b HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!")
        .C("GET /c HTTP/1.1\r\n\r\n").S("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"))
    sc["pipelined"] = (Conv()
        .C("GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\nContent-Length: 50"
           "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nxy").S("zw"))
    sc["ten_requests"] = Conv().C(R10 * 10).C("GET /11 HTTP/1.1\r\n\r\n").S(
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" * 9)
    sc["post_body_split"] = (Conv()
        .C("PO").C("ST /upload HT")
        .C("TP/1.1\r\nContent-Length: 11\r\nContent-Type: x\r\n\r\nfirst")
        .C("secon").C("dGET /next HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 405 Not Allowed\r\nContent-Length: 0\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    sc["chunked"] = (Conv()
        .C("GET /c HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
        .S("lo\r\n6;name=val\r\n world\r").S("\n0\r\nX-Trailer: 1\r\n\r").S("\n")
        .C("PUT /u HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
           "A\r\n0123456789\r\n0\r\n\r\n")
        .S("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
    sc["head_204_304"] = (Conv()
        .C("HEAD / HTTP/1.1\r\n\r\n").S("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        .C("GET /x HTTP/1.1\r\nIf-None-Match: \"a\"\r\n\r\n")
        .S("HTTP/1.1 304 Not Modified\r\nContent-Length: 77\r\n\r\n")
        .C("DELETE /y HTTP/1.1\r\n\r\n").S("HTTP/1.1 204 No Content\r\n\r\n")
        .C("GET /z HTTP/1.1\r\n\r\n").S("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"))
    sc["close_delimited"] = (Conv()
        .C("GET / HTTP/1.0\r\n\r\n")
        .S("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody").S("more body", fin=True)
        .S("late").fin("C"))
    sc["te_gzip_until_close"] = (Conv()
        .C("GET / HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef")
        .fin("S", null=True))
    sc["expect_100_continue"] = (Conv()
        .C("POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        .S("HTTP/1.1 100 Continue\r\n\r\n").C("data")
        .S("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\n"
           "Content-Length: 0\r\n\r\n")
        .C("GET /2 HTTP/1.1\r\n\r\n").S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    sc["websocket_101"] = (Conv()
        .C(WS_REQ).S(WS_101 + "\x81\x02hi").C(b"\x81\x85\x01\x02\x03\x04iaoip")
        .S(b"\x88\x02\x03\xe8").C(R10).fin("C").fin("S"))
    sc["upgrade_refused"] = (Conv()
        .C("GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
           "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        .C("GET /2 HTTP/1.1\r\n\r\n").S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    sc["upgrade_h2c"] = (Conv()
        .C("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
        .S("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
        .S(b"\x00\x00\x00\x04\x00\x00\x00\x00\x00").C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
    sc["connect_tls"] = (Conv()
        .C("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        .S("HTTP/1.1 200 Connection established\r\n\r\n").C(TLS_CH).S(TLS_SH))
    sc["tls"] = Conv(0x1000, 0x8000).C(TLS_CH).S(TLS_SH).C(b"\x17\x03\x03\x00\x10GET / HTTP/1.1") \
        .S("HTTP/1.1 200 OK\r\n\r\n")
    sc["garbage_ssh"] = Conv().S("SSH-2.0-OpenSSH_9.2\r\n").C("SSH-2.0-OpenSSH_9.2\r\n").C(R10)
    sc["garbage_h2_preface"] = Conv().C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").S(
        b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    sc["garbage_word"] = Conv().C("HELLO there\r\n").S(
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    sc["garbage_bytes"] = Conv(0x2000, 0x3000).C(bytes(range(256))).S(bytes(range(255, -1, -1)))
    sc["http09"] = Conv().C("GET /").C("\r\n")
    sc["response_first"] = (Conv()
        .S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        .C("GET /2 HTTP/1.1\r\n\r\n").S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    sc["midstream_resync"] = (Conv()
        .S("tail of some body\r\n").C("GET /n HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    sc["gap_in_body"] = (Conv()
        .C("GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        .S("last 40 bytes of the body, 40 bytes long", shift=50)
        .S("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234")
        .S("HTTP/1.1 200 OK\r\n", shift=20))
    sc["gap_in_headers"] = (Conv()
        .C("GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nServ").S("Length: 5\r\n\r\nhello", shift=20)
        .S("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
    sc["retransmissions"] = (Conv()
        .C(R10).C(R10, shift=-18)
        .S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", shift=-44)
        .S("56789", shift=-5).C("GET /2 HTTP/1.1\r\n\r\n"))
    sc["out_of_order"] = (Conv()
        .C(R10).S("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n0123456789")
        .S("klmnopqrst", shift=10).S("abcdefghij", shift=-20))
    sc["truncated_snaplen"] = (Conv()
        .C("GET /big HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
        .S("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nxx", wire=65000)
        .S("xx", wire=35043).S("HTTP/1.1 200 OK\r\nCon", wire=60).fin("S"))
    huge = "HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\n\r\n"
    sc["truncated_big"] = (Conv()
        .C("GET /huge HTTP/1.1\r\n\r\n").S(huge, wire=len(huge) + 0x7FFFFFFF)
        .S("x", wire=1 + 0x80000000).S("HTTP/1.1 200 OK\r\n\r\n", shift=0x12345678))
    sc["conflicting_length"] = (Conv()
        .C(R10).S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        .C("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!").C("more"))
    sc["long_target"] = Conv().C("GET /" + "a" * 300 + " HTTP/1.1\r\n\r\n").S(
        "HTTP/1.1 200 " + "\xc3\xa9t\xc3\xa9 " * 30 + "\r\nContent-Length: 0\r\n\r\n")
    sc["fin_cut"] = Conv().C("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc").fin("C").C("xyz")
    sc["nothing_captured"] = Conv().C("", wire=18).C("GET /2 HTTP/1.1\r\n\r\n")
    sc["bare_lf"] = (Conv()
        .C("GET /lf HTTP/1.1\nHost: a\n\n\r\n\r\nGET /2 HTTP/1.0\n\n")
        .S("HTTP/1.1 200 OK\nContent-Length: 1\n\nxHTTP/1.1 200 OK\n\n", fin=True))
    # Realistic browser-ish traffic: long headers, a body in MSS-sized segments.
    body = "".join("line %04d of the body\n" % i for i in range(150))
    resp = ("HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: nginx\r\n"
            "Content-Type: text/plain\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n"
            % len(body) + body)
    c = Conv(0x12345678, 0x9ABCDEF0).C(
        "GET /index.txt HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\n"
        "Accept: text/html,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\n"
        "Cookie: a=1; b=2\r\nConnection: keep-alive\r\n\r\n")
    for k in range(0, len(resp), 1448):
        c.S(resp[k:k + 1448])
    sc["browser_mss"] = c.C("GET /favicon.ico HTTP/1.1\r\nHost: www.example.com\r\n\r\n").S(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", fin=True) \
        .fin("C")
    return {name: conv.encode() for name, conv in sc.items()}


def main():
    sc = scenarios()
    if "--dump" in sys.argv[1:]:
        for name in sorted(sc):
            print("# %s (%d bytes)" % (name, len(sc[name])))
            for i, e in enumerate(decode(sc[name])):
                who = "C" if e[1] == 0 else "S"
                if e[0] == "F":
                    print("ev %d %s FIN%s" % (i, who, " (ended NULL)" if e[2] else ""))
                else:
                    print("ev %d %s seq=%d len=%d cap=%d %r"
                          % (i, who, e[2], e[4], e[3], e[5][:40]))
        return
    out = os.path.join(HERE, "corpus-http")
    os.makedirs(out, exist_ok=True)
    for name in sorted(sc):
        with open(os.path.join(out, name + ".bin"), "wb") as fp:
            fp.write(sc[name])
    print("%d seeds, %d bytes in %s" % (len(sc), sum(len(v) for v in sc.values()), out))


if __name__ == "__main__":
    main()
