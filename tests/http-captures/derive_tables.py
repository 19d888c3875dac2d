#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Draft an expected table (NAME.tsv) for a capture from Wireshark's own
two-pass view, independent of tcplife's parser: HTTP messages where TShark
shows them (http.request.method / http.response.code), earlier segments of
a message through tcp.reassembled_in, exchanges counted per stream
(requests in order; final responses in order, 1xx other than 101 belonging
to the next final response's exchange), app from frame.protocols.

It is only a draft: each committed table was read against the packets
(tshark and the payload bytes) and corrected by hand where Wireshark's view
is not what SPEC §5 asks (see the '#' comments in each table).

Usage: derive_tables.py CAPTURE.pcap [tshark options, e.g. -d tcp.port==47123,http]
Prints the draft on stdout.
"""
import subprocess
import sys

FIELDS = ["frame.number", "tcp.stream", "tcp.len", "http.request.method", "http.request.uri",
          "http.response.code", "http.response.phrase", "tcp.reassembled_in", "frame.protocols"]


def main():
    pcap, extra = sys.argv[1], sys.argv[2:]
    cmd = ["tshark", "-2", "-r", pcap, "-Y", "tcp", "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=|"] + extra
    for f in FIELDS:
        cmd += ["-e", f]
    rows = [l.split("\t") for l in subprocess.run(cmd, capture_output=True, text=True,
                                                  check=True).stdout.splitlines()]
    reqs, finals, own = {}, {}, {}
    for r in rows:
        frame, stream = int(r[0]), r[1]
        msgs = []
        if r[3]:
            for m, u in zip(r[3].split("|"), r[4].split("|")):
                reqs[stream] = reqs.get(stream, 0) + 1
                msgs.append((reqs[stream], "request", "%s %s" % (m, u)))
        if r[5]:
            phrases = r[6].split("|") if r[6] else [""] * len(r[5].split("|"))
            for c, p in zip(r[5].split("|"), phrases):
                code = int(c)
                if 100 <= code < 200 and code != 101:
                    ex = finals.get(stream, 0) + 1
                else:
                    finals[stream] = finals.get(stream, 0) + 1
                    ex = finals[stream]
                msgs.append((ex, "response", ("%s %s" % (c, p)).strip()))
        own[frame] = msgs
    print("frame\tstream\texchange\tmessage\tsummary\tapp")
    for r in rows:
        frame, stream, tcplen, protos = int(r[0]), r[1], int(r[2]), r[8]
        msgs = []
        if r[7]:
            later = own.get(int(r[7].split("|")[0]), [])
            if later:
                msgs.append(later[0])
        for m in own[frame]:
            if m not in msgs:
                msgs.append(m)
        app = ""
        if tcplen:
            if ":tls" in protos:
                app = "TLS"
            elif msgs:
                app = "HTTP"
            elif "websocket" in protos:
                app = "WebSocket"
            elif ":http" in protos:
                app = "HTTP"
            else:
                app = "other"
        print("%d\t%s\t%s\t%s\t%s\t%s" % (frame, stream, ",".join(str(m[0]) for m in msgs),
                                          ",".join(m[1] for m in msgs),
                                          ",".join(m[2] for m in msgs), app))


if __name__ == "__main__":
    main()
