#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the fuzz target's seed corpus (tests/fuzz/corpus/*.bin): one input
per lifecycle scenario of the unit tests and crafted captures (normal
connection, three- and four-segment closes, simultaneous open and close,
RST cases, retransmissions, mid-stream pickup, wrap-around, keep-alives,
zero-window probes, port reuse, bogus flags...), in the input format that
fuzz_core.c documents.

Segments are written with absolute sequence numbers, as a capture has them;
the encoder mirrors the decoder's model of the conversation and picks, for
each seq and ack, the model-relative mode that reproduces it (raw only when
nothing else does), so that mutations of a seed stay plausible.

  tests/fuzz/make_seeds.py            rewrite tests/fuzz/corpus/
  tests/fuzz/make_seeds.py --dump     print every seed's decoded segments in
                                      the format of `tcplife_fuzz_replay -d`
The output is deterministic: same script, same bytes.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
M32 = 1 << 32

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
LETTERS = "FSRPAUEC"

CFG_WRAP, CFG_FORCE_SYN = 0x01, 0x02
CFG_HINT_DIR1, CFG_HINT_DIR0, CFG_SPARSE, CFG_CLEAN_ACK = 0x10, 0x20, 0x40, 0x80
PORT_SETS = [(52749, 80), (80, 52749), (40000, 50000)]
LEN_TABLE = [1000, 1448, 1460, 4096, 8192, 16384, 32768, 65535, 65536, 0x7FFFFFFF,
             0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 1 << 20]
HINT_SRC, HINT_DST = 0x01, 0x02


def u32(x):
    return x % M32


def seq_lt(a, b):
    d = u32(a - b)
    return d >= M32 // 2


def s16(x):
    """x (mod 2^32) as a signed 16-bit delta, or None."""
    x = u32(x)
    if x < 0x8000:
        return x
    if x >= M32 - 0x8000:
        return x - M32
    return None


def flag_bits(text):
    return sum(1 << LETTERS.index(ch) for ch in text)


class Model:
    """The decoder's model (fuzz_core.c, fz_decode), step for step."""

    def __init__(self, isn):
        self.isn = list(isn)
        self.nxt = list(isn)
        self.last_seq = list(isn)
        self.fin_seq = list(isn)
        self.last_ack = [u32(isn[1] + 1), u32(isn[0] + 1)]

    def seq_base(self, mode, d):
        p = 1 - d
        return {0: self.nxt[d], 1: self.nxt[d], 2: self.isn[d], 3: self.last_seq[d],
                4: u32(self.nxt[d] - 1), 5: self.fin_seq[d], 7: self.last_ack[p]}[mode]

    def ack_base(self, mode, d):
        p = 1 - d
        return {0: self.nxt[p], 1: self.nxt[p], 2: u32(self.isn[p] + 1), 3: self.last_ack[d],
                4: self.last_seq[p], 5: u32(self.fin_seq[p] + 1), 7: 0}[mode]

    def update(self, d, flags, seq, ack, length):
        syn, fin = bool(flags & SYN), bool(flags & FIN)
        end = u32(seq + length + syn + fin)
        if syn:
            self.isn[d] = seq
        if syn or seq_lt(self.nxt[d], end):
            self.nxt[d] = end
        self.last_seq[d] = seq
        if fin:
            self.fin_seq[d] = u32(seq + length)
        if flags & ACK:
            self.last_ack[d] = ack


def header_isn(cfg, raw):
    return 0xFFFFFFFF - (raw & 0x3FF) if cfg & CFG_WRAP else raw


def decode(data):
    """Python mirror of fz_decode, for --dump and the round-trip check."""
    if len(data) < 13:
        return []
    cfg = data[0]
    raw = struct.unpack_from("<II", data, 1)
    isn = [header_isn(cfg, raw[0]), header_isn(cfg, raw[1])]
    ports = (cfg >> 2) & 3
    port = list(struct.unpack_from("<HH", data, 9)) if ports == 3 else list(PORT_SETS[ports])
    m = Model(isn)
    off, frame, out = 13, (7 if cfg & CFG_SPARSE else 1), []
    while len(out) < 512 and len(data) - off >= 7:
        b0, flags, lcode = data[off], data[off + 1], data[off + 2]
        sd, ad = struct.unpack_from("<hh", data, off + 3)
        d, smode, amode = b0 & 1, (b0 >> 1) & 7, (b0 >> 4) & 7
        need = 7 + (4 if smode == 6 else 0) + (4 if amode == 6 else 0) + \
            (4 if lcode == 0xFF else 2 if lcode == 0xFE else 0)
        if len(data) - off < need:
            break
        x = off + 7
        if smode == 6:
            seq = struct.unpack_from("<I", data, x)[0]
            x += 4
        elif smode == 4:
            seq = m.seq_base(4, d)
        else:
            seq = u32(m.seq_base(smode, d) + (0 if smode == 0 else sd))
        if amode == 6:
            ack = struct.unpack_from("<I", data, x)[0]
            x += 4
        else:
            ack = u32(m.ack_base(amode, d) + (0 if amode == 0 else ad))
        if lcode < 0xF0:
            length = lcode
        elif lcode < 0xFE:
            length = LEN_TABLE[lcode - 0xF0]
        elif lcode == 0xFE:
            length = struct.unpack_from("<H", data, x)[0]
        else:
            length = struct.unpack_from("<I", data, x)[0]
        if not out and cfg & CFG_FORCE_SYN:
            d, flags, seq, ack, length = 0, SYN, m.isn[0], 0, 0
        if cfg & CFG_CLEAN_ACK and not flags & ACK:
            ack = 0
        p = 1 - d
        hint = ((HINT_SRC if cfg & (CFG_HINT_DIR1 if d else CFG_HINT_DIR0) else 0) |
                (HINT_DST if cfg & (CFG_HINT_DIR1 if p else CFG_HINT_DIR0) else 0))
        out.append(dict(frame=frame, dir=d, flags=flags, seq=seq, ack=ack, len=length,
                        win=0 if b0 & 0x80 else 65535, hint=hint, sport=port[d], dport=port[p]))
        m.update(d, flags, seq, ack, length)
        off += need
        frame += 2 if cfg & CFG_SPARSE else 1
    return out


def encode(cfg, isn, ports, segs):
    """segs: dicts with dir, flags, seq, ack, len, zw. Returns the input bytes."""
    if all(v >= 0xFFFFFC00 for v in isn):
        cfg |= CFG_WRAP
        raw = [0xFFFFFFFF - v for v in isn]
    else:
        cfg &= ~CFG_WRAP
        raw = list(isn)
    if tuple(ports) in PORT_SETS:
        cfg = (cfg & ~0x0C) | (PORT_SETS.index(tuple(ports)) << 2)
    else:
        cfg |= 0x0C
    out = bytearray(struct.pack("<BIIHH", cfg, raw[0], raw[1], ports[0], ports[1]))
    m = Model(isn)
    for i, s in enumerate(segs):
        d, flags, seq, ack, length = s["dir"], s["flags"], s["seq"], s["ack"], s["len"]
        extra = b""
        # seq: exact modes first, then the smallest delta, raw last.
        if seq == m.seq_base(0, d):
            smode, sd = 0, 0
        elif seq == m.seq_base(4, d):
            smode, sd = 4, 0
        else:
            cands = [(abs(s16(seq - m.seq_base(k, d))), k, s16(seq - m.seq_base(k, d)))
                     for k in (2, 3, 5, 7, 1) if s16(seq - m.seq_base(k, d)) is not None]
            if cands:
                _, smode, sd = min(cands, key=lambda c: c[0])
            else:
                smode, sd = 6, 0
                extra += struct.pack("<I", seq)
        if not flags & ACK and cfg & CFG_CLEAN_ACK:
            amode, ad = 7, 0
        elif ack == m.ack_base(0, d):
            amode, ad = 0, 0
        else:
            cands = [(abs(s16(ack - m.ack_base(k, d))), k, s16(ack - m.ack_base(k, d)))
                     for k in (5, 2, 3, 4, 7, 1) if s16(ack - m.ack_base(k, d)) is not None]
            if cands:
                _, amode, ad = min(cands, key=lambda c: c[0])
            else:
                amode, ad = 6, 0
                extra += struct.pack("<I", ack)
        if length < 0xF0:
            lcode = length
        elif length in LEN_TABLE:
            lcode = 0xF0 + LEN_TABLE.index(length)
        elif length < 0x10000:
            lcode = 0xFE
            extra += struct.pack("<H", length)
        else:
            lcode = 0xFF
            extra += struct.pack("<I", length)
        b0 = d | smode << 1 | amode << 4 | (0x80 if s.get("zw") else 0)
        out += struct.pack("<BBBhh", b0, flags, lcode, sd, ad) + extra
        if i == 0 and cfg & CFG_FORCE_SYN:
            m.update(0, SYN, m.isn[0], 0, 0)  # the decoder replaces the first segment
        else:
            m.update(d, flags, seq, ack, length)
    return bytes(out)


class Flow:
    """One connection, written like tests/captures/make_crafted.py: sequence
    numbers relative to each side's ISN (0 = its SYN), defaults are the
    side's next sequence number and, for the ack, all the peer sent."""

    def __init__(self, cisn, sisn, cport=52749, sport=80, svc="s", cdir=0, cfg=CFG_CLEAN_ACK):
        self.isn = {"c": cisn, "s": sisn}
        self.nxt = {"c": 0, "s": 0}
        self.dir = {"c": cdir, "s": 1 - cdir}
        self.port = {"c": cport, "s": sport}
        self.svc = svc
        self.cfg = cfg
        self.segs = []

    def send(self, who, flags, length=0, seq=None, ack=None, zw=False, advance=True):
        peer = "s" if who == "c" else "c"
        f = flag_bits(flags)
        seq = self.nxt[who] if seq is None else seq
        ack = self.nxt[peer] if ack is None else ack
        self.segs.append(dict(dir=self.dir[who], flags=f, seq=u32(self.isn[who] + seq),
                              ack=u32(self.isn[peer] + ack) if f & ACK else 0, len=length, zw=zw))
        if advance:
            end = seq + length + (1 if f & SYN else 0) + (1 if f & FIN else 0)
            if u32(end - self.nxt[who]) < M32 // 2:
                self.nxt[who] = end
        return self

    def handshake(self):
        return self.send("c", "S").send("s", "SA").send("c", "A")

    def exchange(self, req=35, resp=62):
        return self.send("c", "PA", req).send("s", "A").send("s", "PA", resp).send("c", "A")

    def close3(self, first="c"):
        other = "s" if first == "c" else "c"
        return self.send(first, "FA").send(other, "FA").send(first, "A")

    def close4(self, first="c"):
        other = "s" if first == "c" else "c"
        return self.send(first, "FA").send(other, "A").send(other, "FA").send(first, "A")

    def reisn(self, cisn, sisn):
        """Port reuse: a new incarnation with new ISNs (same ports)."""
        self.isn = {"c": cisn, "s": sisn}
        self.nxt = {"c": 0, "s": 0}
        return self

    def seed(self, extra_cfg=0):
        ports = [0, 0]
        ports[self.dir["c"]] = self.port["c"]
        ports[self.dir["s"]] = self.port["s"]
        cfg = self.cfg | extra_cfg
        for who in ("c", "s"):
            if self.svc in (who, "both"):
                cfg |= CFG_HINT_DIR1 if self.dir[who] else CFG_HINT_DIR0
        # The model's ISN of each dir: the first sequence number it sends.
        isn = [0, 0]
        for d in (0, 1):
            isn[d] = next((s["seq"] for s in self.segs if s["dir"] == d), 0)
        data = encode(cfg, isn, ports, self.segs)
        # Round trip: the decoder must give back exactly these segments.
        got = decode(data)
        assert len(got) == len(self.segs), (len(got), len(self.segs))
        for i, (g, s) in enumerate(zip(got, self.segs)):
            if i == 0 and cfg & CFG_FORCE_SYN:
                continue
            want = (s["dir"], s["flags"], s["seq"], s["ack"], s["len"], 0 if s.get("zw") else 65535)
            assert (g["dir"], g["flags"], g["seq"], g["ack"], g["len"], g["win"]) == want, (i, g, s)
        return data


C0, S0 = 0xFFFFFF00, 0xFFFFFFF0  # the unit tests' ISNs: every fixture wraps


def scenarios():
    sc = {}

    def add(name, flow, extra_cfg=0):
        sc[name] = flow.seed(extra_cfg)

    # Handshakes.
    add("handshake_only", Flow(C0, S0).handshake())
    add("normal_connection", Flow(0x1000, 0x5000).handshake().exchange().close3())
    add("normal_connection_wrap", Flow(C0, S0).handshake().exchange().close3())
    add("simultaneous_open", Flow(C0, S0, 5000, 6000, None)
        .send("c", "S").send("s", "S", ack=0).send("c", "SA", seq=0).send("s", "SA", seq=0)
        .send("c", "A").send("s", "A").send("c", "PA", 100))
    add("simultaneous_open_close", Flow(0x1000, 0x5000, 40000, 40001, None)
        .send("c", "S").send("s", "S", ack=0).send("c", "SA", seq=0).send("s", "SA", seq=0)
        .send("c", "A").send("s", "PA", 6).send("c", "A").close3())
    add("retransmitted_syn_synack", Flow(C0, S0)
        .send("c", "S").send("c", "S", seq=0).send("s", "SA").send("s", "SA", seq=0)
        .send("c", "A"))
    add("third_ack_with_data", Flow(C0, S0, 52749, 443, None)
        .send("c", "S").send("s", "SA").send("c", "PA", 517).send("s", "A"))
    add("tfo_syn_data", Flow(0x4300, 0x8300).send("c", "S", 35).send("s", "SA").send("c", "A")
        .send("s", "PA", 62).send("c", "A").close3())
    f = Flow(C0, S0, cdir=1)
    f.nxt["c"] = 1  # the client's SYN was not captured
    add("capture_starts_at_synack", f.send("s", "SA").send("c", "A").send("c", "PA", 945)
        .exchange().close3())
    add("wraparound_everywhere", Flow(0xFFFFFFFF, 0xFFFFFF00).handshake()
        .send("c", "PA", 100).send("s", "PA", 0xFE).send("c", "A").close3("s"))
    add("wraparound_crafted", Flow(0xFFFFFFF0, 0xFFFFFFFA, 40000, 80).handshake()
        .send("c", "PA", 40).send("s", "A").send("s", "PA", 20).send("c", "A").close4("c"))

    # Teardowns.
    add("close_linux_three_segments", Flow(C0, S0).handshake().send("c", "PA", 945)
        .send("s", "A").close3())
    add("close_four_client_first", Flow(C0, S0).handshake().close4("c"))
    add("close_four_server_first", Flow(C0, S0).handshake().send("s", "PA", 945).close4("s"))
    add("close_four_crafted", Flow(0x3000, 0x7000, 40000, 80).handshake().exchange().close4("s"))
    add("close_simultaneous", Flow(C0, S0).handshake().send("c", "FA").send("s", "FA", ack=1)
        .send("s", "A").send("c", "A"))
    add("close_simultaneous_step2_last", Flow(C0, S0).handshake().send("c", "FA")
        .send("s", "FA", ack=1).send("c", "A").send("s", "A"))
    add("close_simultaneous_crafted", Flow(0x2000, 0x6000, 40000, 80).handshake()
        .send("c", "PA", 10).send("s", "A").send("c", "FA").send("s", "FA", ack=11)
        .send("c", "A").send("s", "A"))
    add("half_close_with_data", Flow(C0, S0).handshake().send("c", "FA").send("s", "A")
        .send("s", "PA", 500).send("c", "A").send("s", "PA", 1000).send("c", "A")
        .send("s", "FA").send("c", "A"))
    add("fin_crossing_peer_data", Flow(C0, S0).handshake().send("c", "FA")
        .send("s", "PA", 300, ack=1).send("c", "A").send("s", "A").send("s", "FA").send("c", "A"))
    add("step2_with_data", Flow(C0, S0).handshake().send("c", "FA").send("s", "PA", 200)
        .send("c", "A").send("s", "FA").send("c", "A"))
    add("data_after_own_fin", Flow(C0, S0).handshake().send("c", "FA")
        .send("c", "PA", 10, seq=2).send("s", "A", ack=2))
    add("data_after_fin_crafted", Flow(0x4800, 0x8800, 40000, 80).handshake()
        .send("c", "PA", 10).send("s", "A").send("c", "FA").send("s", "A")
        .send("c", "PA", 5, seq=12).send("s", "A", ack=12).send("s", "FA", ack=12)
        .send("c", "A", seq=12))
    add("retransmitted_fin", Flow(C0, S0).handshake().send("c", "FA").send("c", "FA", seq=1)
        .send("s", "FA").send("s", "FA", seq=1).send("c", "A"))
    add("retransmissions_crafted", Flow(0x4000, 0x8000, 40000, 80)
        .send("c", "S").send("c", "S", seq=0).send("s", "SA").send("s", "SA", seq=0)
        .send("c", "A").send("c", "PA", 20).send("s", "PA", 30).send("c", "A")
        .send("c", "FA").send("c", "FA", seq=21).send("s", "FA").send("s", "FA", seq=31)
        .send("c", "A"))
    add("data_retransmission", Flow(C0, S0).handshake().send("c", "PA", 1000)
        .send("c", "PA", 1000).send("c", "PA", 1000, seq=1).send("s", "A").close4("c"))
    f = Flow(C0, S0).handshake().send("c", "PA", 100).send("s", "A")
    f.segs.append(dict(dir=1, flags=ACK, seq=u32(S0 + 1), ack=u32(C0 + 102), len=0))
    add("fin_captured_after_its_ack", f.send("c", "FA").send("s", "FA", ack=102)
        .send("c", "A", ack=2))
    f = Flow(0x4600, 0x8600, 40000, 80).handshake().exchange()
    f.send("c", "FA").send("s", "A")
    f.segs[-2], f.segs[-1] = f.segs[-1], f.segs[-2]
    add("ack_before_fin", f.send("s", "FA").send("c", "A"))
    add("segment_after_end", Flow(C0, S0).handshake().send("c", "PA", 945).send("s", "A")
        .close3().send("c", "A", seq=947, ack=2).send("s", "PA", 20, seq=2))

    # Resets.
    add("reset_refused", Flow(C0, S0).send("c", "S").send("s", "RA", seq=0, ack=1))
    add("unanswered_syn_then_rst", Flow(C0, S0).send("c", "S").send("c", "S", seq=0)
        .send("c", "S", seq=0).send("s", "RA", seq=0, ack=1))
    add("client_rst_server_syn_received", Flow(C0, S0).send("c", "S").send("c", "R"))
    add("client_rst_after_synack", Flow(C0, S0).send("c", "S").send("s", "SA").send("c", "R"))
    add("abort_by_client", Flow(C0, S0).handshake().send("c", "PA", 300).send("s", "A")
        .send("c", "RA"))
    add("abort_by_server", Flow(C0, S0).handshake().send("c", "PA", 300).send("s", "RA"))
    add("retransmitted_rst", Flow(C0, S0).handshake().send("c", "PA", 300).send("s", "RA")
        .send("s", "RA", seq=1))
    add("segments_after_rst", Flow(C0, S0).handshake().send("c", "PA", 300).send("s", "RA")
        .send("c", "PA", 40).send("c", "A"))
    add("reset_after_fin", Flow(C0, S0).handshake().send("c", "FA").send("s", "A")
        .send("s", "RA"))
    add("rst_retrans_crafted", Flow(0x4100, 0x8100, 40000, 80).handshake()
        .send("c", "PA", 10).send("s", "R").send("c", "PA", 10).send("s", "R", seq=1))
    add("refused_retry", Flow(0x4B00, 0, 40000, 80)
        .send("c", "S").send("s", "RA", seq=0, ack=1, advance=False)
        .send("c", "S", seq=0).send("s", "RA", seq=0, ack=1, advance=False))
    add("synack_rst", Flow(0x4C00, 0x8C00, 40000, 80).send("c", "S").send("s", "SA")
        .send("c", "R", seq=1))
    add("rst_after_fin_kernel", Flow(0x10000, 0x20000).handshake().exchange()
        .send("s", "FA").send("c", "A").send("c", "PA", 10).send("s", "R"))

    # Mid-stream pickups.
    M0, N0 = 0xFFFFFF80, 0xFFFFFFC0
    f = Flow(N0, M0, 52749, 443, None, cdir=1)
    add("midstream_low_port", f.send("s", "PA", 200).send("c", "A").send("c", "FA")
        .send("s", "FA").send("c", "A"))
    f = Flow(N0, M0, 40000, 8080, "s", cdir=1)
    add("midstream_http_port_hint", f.send("s", "PA", 100).send("c", "A").send("c", "PA", 50))
    f = Flow(N0, M0, 40000, 50000, None)
    add("midstream_no_port_rule", f.send("c", "PA", 100).send("s", "A"))
    f = Flow(0x4400, 0x8400, 40000, 80, "s", cdir=1)
    f.nxt = {"c": 1001, "s": 5001}
    add("midstream_crafted", f.send("s", "A", 101).send("s", "PA", 101).send("c", "A")
        .send("c", "FA").send("s", "FA").send("c", "A"))
    f = Flow(0x4400, 0x8400, 40000, 80, "s", cdir=1)
    f.nxt = {"c": 1001, "s": 5001}
    add("midstream_rst", f.send("s", "PA", 101).send("c", "RA"))

    # Probes.
    add("keepalive_probes", Flow(C0, S0).handshake().send("c", "PA", 300).send("s", "A")
        .send("c", "A", seq=300).send("s", "A").send("c", "A", 1, seq=300).send("s", "A")
        .send("s", "A", seq=0).send("c", "A").send("c", "PA", 20))
    add("zero_window_probe", Flow(C0, S0).handshake().send("c", "PA", 1000)
        .send("s", "A", zw=True).send("c", "A", 1, advance=False).send("s", "A", zw=True)
        .send("c", "A", 1).send("s", "A").send("c", "PA", 100))

    # Port reuse: a new SYN after the end.
    f = Flow(0x1000, 0x5000).handshake().exchange().close4("c")
    add("port_reuse_after_close", f.reisn(0x9000, 0xD000).handshake().exchange().close3())
    f = Flow(C0, S0).handshake().send("c", "PA", 10).send("s", "RA")
    add("reopen_after_rst", f.reisn(0x1234, 0x5678).handshake().close3("s"))
    f = Flow(C0, S0).handshake().close3()
    f.isn, f.nxt, f.dir = {"c": S0 + 77, "s": C0 + 99}, {"c": 0, "s": 0}, {"c": 1, "s": 0}
    f.port, f.svc = {"c": 80, "s": 52749}, "c"  # the ports stay with their dirs
    add("reopen_from_other_side", f.handshake().send("s", "RA"))

    # Bogus flags and odd lengths.
    add("bogus_syn_fin_first", Flow(C0, S0).send("c", "SF").handshake())
    add("bogus_flags_mid", Flow(C0, S0).handshake().send("c", "").send("s", "FSRPAUEC")
        .send("c", "SR").send("c", "PA", 10).close3())
    add("big_lengths", Flow(0x1000, 0x5000).handshake().send("c", "PA", 65535)
        .send("c", "PA", 0x7FFFFFFF).send("s", "A").send("s", "PA", 0xFFFFFFFF).close3())
    add("ece_cwr_urg", Flow(0x1000, 0x5000).send("c", "SEC").send("s", "SAE").send("c", "A")
        .send("c", "PAU", 5).send("s", "AE").send("c", "FAC").send("s", "FA").send("c", "A"))

    # A longer exchange, for depth.
    f = Flow(0x7FFFFF00, 0x80000000).handshake()
    for i in range(60):
        f.send("c", "PA", 100 + i).send("s", "A").send("s", "PA", 1448).send("c", "A")
    add("long_connection", f.close4("s"))

    # The same scenarios under other configurations.
    add("force_syn_midstream", Flow(N0, M0, 40000, 50000, None).send("c", "PA", 100)
        .send("s", "A"), CFG_FORCE_SYN)
    add("sparse_frames_close", Flow(C0, S0).handshake().close4("s"), CFG_SPARSE)
    add("raw_ports_both_hinted", Flow(0x1000, 0x5000, 8080, 8443, "both").handshake()
        .close3(), 0)
    return sc


def dump(name, data):
    print("# %s (%d bytes)" % (name, len(data)))
    for i, s in enumerate(decode(data)):
        fl = "".join(LETTERS[b] for b in range(8) if s["flags"] & (1 << b)) or "-"
        print("seg %d frame=%d dir=%d flags=%s seq=%d ack=%d len=%d win=%d hint=%d ports=%d>%d"
              % (i, s["frame"], s["dir"], fl, s["seq"], s["ack"], s["len"], s["win"], s["hint"],
                 s["sport"], s["dport"]))


def main():
    sc = scenarios()
    if "--dump" in sys.argv[1:]:
        for name in sorted(sc):
            dump(os.path.join(HERE, "corpus", name + ".bin"), sc[name])
        return
    out = os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for name in sorted(sc):
        with open(os.path.join(out, name + ".bin"), "wb") as fp:
            fp.write(sc[name])
    print("%d seeds, %d bytes in %s" % (len(sc), sum(len(v) for v in sc.values()), out))


if __name__ == "__main__":
    main()
