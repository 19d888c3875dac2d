#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The inputs of regressions/ (see its README), each with what it must give.

ipv6_ext_trailer.pcap: SYN, SYN+ACK, ACK over IPv6 with two extension
headers and a 4-byte Ethernet trailer. The IPv6 payload length (16 bytes of
extension headers + the TCP header) says there is no data: the trailer is
not payload.

time_huge.pcapng: a normal 11-frame connection, frames 1 ms apart from
t0 = 1,700,000,000 s, except frame 6 (2^64-1 us) and frame 10 (2^63 us).
The duration is last - first segment time, never negative, and must not
overflow: frames 1-5 give (n-1) ms; frame 6 is clamped to the largest
time tcplife keeps (2^62 us, minus less than a second); frames 7-9 and 11,
whose time lies before frame 6's, are back to (n-1) ms.

captures/reuse_refused.pcap (make_hostile.py): a closed connection, then
the client's new SYN on the same ports, refused by RST+ACK. Wireshark puts
the SYN and the RST in a new tcp.stream; tcplife must follow it in both
directions (its stream cache once kept the reply direction on the old
stream: frame 8 became a retransmitted RST of stream 0). Frame 7 is step 1
of stream 1, frame 8 refuses it: phase reset, no retransmission link.

fin_after_nine_requests.pcap, continue_retransmitted.pcap
(make_http_regressions.py): see regressions/README.md. The first must be
read to the end (TShark crashed: the FIN's message record was written
through a pointer the record array's growth had moved); frame 4 carries
requests 1-8, frame 5 is teardown step 1. In the second, frame 5 carries
the 100 Continue and the 200 OK of exchange 1 and frame 6 repeats it: its
repeated bytes hold that 200 OK, so frame 6's summaries name it.

response_end_retransmitted.pcap (make_http_regressions.py): a 200 OK with
Content-Length 10 in two segments (headers + "hello", then "world"), the
second sent again. With -2 frames 5 and 6 are parts 1 and 2 of 2; frame 7,
a retransmission, has no part. The repeat once set the count to 0, so
neither frame said "of 2".
"""
import argparse
import sys

import robust_common as rc

CLAMP_S = (1 << 62) / 1e6
T0 = 1_700_000_000


def check_trailer(ts, fails):
    cap = ts.readable_copy(rc.ROOT + "/tests/robustness/regressions/ipv6_ext_trailer.pcap")
    code, out, err = ts.run(["-r", cap, "-T", "fields", "-e", "tcp.len", "-e", "tcplife.data",
                             "-e", "tcplife.label"])
    rows = [l.split("\t") for l in out.splitlines()]
    want = ["Handshake 1/3: SYN", "Handshake 2/3: SYN+ACK", "Handshake 3/3: ACK"]
    if code != 0 or err.strip() or len(rows) != 3:
        fails.append("ipv6_ext_trailer: rc %s, %d rows, stderr %r" % (code, len(rows), err[:200]))
        return
    for i, (tcp_len, data, label) in enumerate(rows):
        if tcp_len != "0" or data not in ("", "0") or label != want[i]:
            fails.append("ipv6_ext_trailer frame %d: tcp.len %s tcplife.data %r label %r"
                         % (i + 1, tcp_len, data, label))


def check_time(ts, fails):
    cap = ts.readable_copy(rc.ROOT + "/tests/robustness/regressions/time_huge.pcapng")
    code, out, err = ts.run(["-r", cap, "-T", "fields", "-e", "frame.number",
                             "-e", "tcplife.conn.duration"])
    rows = [l.split("\t") for l in out.splitlines()]
    if code != 0 or err.strip() or len(rows) != 11:
        fails.append("time_huge: rc %s, %d rows, stderr %r" % (code, len(rows), err[:200]))
        return
    for num, dur in rows:
        n, d = int(num), float(dur)
        if n == 6:
            ok = CLAMP_S - T0 - 1 <= d <= CLAMP_S - T0
        elif n == 10:
            ok = CLAMP_S - T0 - 1 <= d <= CLAMP_S - T0   # 2^63 us is past the clamp too
        else:
            ok = abs(d - (n - 1) / 1000) < 1e-6
        if not ok:
            fails.append("time_huge frame %d: duration %s" % (n, dur))


def check_reuse(ts, fails):
    cap = ts.readable_copy(rc.ROOT + "/tests/robustness/captures/reuse_refused.pcap")
    for extra in ([], ["-2"]):
        code, out, err = ts.run(["-r", cap, "-T", "fields", "-e", "tcp.stream",
                                 "-e", "tcplife.stream", "-e", "tcplife.phase",
                                 "-e", "tcplife.retransmission", "-e", "tcplife.label",
                                 "-e", "tcplife.expert.refused"] + extra)
        rows = [l.split("\t") for l in out.splitlines()]
        if code != 0 or err.strip() or len(rows) != 8:
            fails.append("reuse_refused: rc %s, %d rows, stderr %r" % (code, len(rows), err[:200]))
            return
        want_stream = ["0"] * 6 + ["1", "1"]
        for i, (ws, tl, phase, retr, label, refused) in enumerate(rows):
            if ws != want_stream[i] or tl != ws:
                fails.append("reuse_refused%s frame %d: tcp.stream %s tcplife.stream %s"
                             % (" -2" if extra else "", i + 1, ws, tl))
        ws, tl, phase, retr, label, refused = rows[7]
        if phase != "4" or retr or label != "Reset by server: connection refused" or not refused:
            fails.append("reuse_refused frame 8: phase %s retrans %r label %r refused %r"
                         % (phase, retr, label, refused))
        if rows[6][4] != "Handshake 1/3: SYN":
            fails.append("reuse_refused frame 7: label %r" % rows[6][4])


def fields(ts, cap, extra, names):
    args = ["-r", cap, "-T", "fields"] + extra
    for n in names:
        args += ["-e", n]
    code, out, err = ts.run(args)
    return code, err, [l.split("\t") for l in out.splitlines()]


def check_http_records(ts, fails):
    reg = rc.ROOT + "/tests/robustness/regressions/"
    fin = ts.readable_copy(reg + "fin_after_nine_requests.pcap")
    cont = ts.readable_copy(reg + "continue_retransmitted.pcap")
    for extra in ([], ["-2"]):
        mode = " -2" if extra else ""
        code, err, rows = fields(ts, fin, extra, ["tcplife.http.exchange", "tcplife.label"])
        if code != 0 or err.strip() or len(rows) != 5:
            fails.append("fin_after_nine_requests%s: rc %s, %d rows, stderr %r"
                         % (mode, code, len(rows), err[:200]))
        else:
            if rows[3][0] != "1,2,3,4,5,6,7,8":
                fails.append("fin_after_nine_requests%s frame 4: exchanges %r" % (mode, rows[3][0]))
            if rows[4][1] != "Teardown 1/4: FIN C\u2192S":
                fails.append("fin_after_nine_requests%s frame 5: label %r" % (mode, rows[4][1]))
        code, err, rows = fields(ts, cont, extra, ["tcplife.http.exchange",
                                                   "tcplife.http.summary"])
        if code != 0 or err.strip() or len(rows) != 6:
            fails.append("continue_retransmitted%s: rc %s, %d rows, stderr %r"
                         % (mode, code, len(rows), err[:200]))
            continue
        if rows[4] != ["1,1", "100 Continue,200 OK"]:
            fails.append("continue_retransmitted%s frame 5: %r" % (mode, rows[4]))
        if rows[5][0] != "1,1" or "200 OK" not in rows[5][1].split(","):
            fails.append("continue_retransmitted%s frame 6: %r" % (mode, rows[5]))
    # The part count shows only where the whole message is known (-2).
    rer = ts.readable_copy(reg + "response_end_retransmitted.pcap")
    code, out, err = ts.run(["-r", rer, "-2", "-V", "-O", "tcplife"])
    frames = out.split("\nFrame ")
    if code != 0 or err.strip() or len(frames) != 7:
        fails.append("response_end_retransmitted -2: rc %s, %d frames, stderr %r"
                     % (code, len(frames), err[:200]))
        return
    for i, want in ((4, "HTTP exchange: 1, response, part 1 of 2"),
                    (5, "HTTP exchange: 1, response, part 2 of 2"),
                    (6, "HTTP exchange: 1, response\n")):
        if want not in frames[i]:
            fails.append("response_end_retransmitted -2 frame %d: no %r" % (i + 1, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    ts = rc.Tshark(a.build)
    fails = []
    try:
        check_trailer(ts, fails)
        check_time(ts, fails)
        check_reuse(ts, fails)
        check_http_records(ts, fails)
    finally:
        ts.close()
    for f in fails:
        print("FAIL", f)
    print("regressions: %d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
