/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the HTTP core (include/tcplife/http.h), no Wireshark needed.
 *
 * Golden tables: a conversation given as segments (who sends, bytes, and
 * optionally a sequence jump, a wire length beyond the captured bytes, or a
 * FIN), and the trace line (trace.h) expected for each. Sequence numbers
 * start just below 2^32 so every case crosses the wrap.
 *
 * Split tests: the same byte streams cut at every point (and at every pair
 * of points, and byte by byte) must give the same messages as the uncut
 * stream: same byte ranges, one start, one end of headers, one end each,
 * parts numbered 1..k, same summary.
 *
 * Usage: tcplife_http_unit [name-filter]. Exit status 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "trace.h"

static unsigned long checks, failures;
static const char *current;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("  %s:%d %s: ", __FILE__, __LINE__, current);                                   \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

/* ---- golden tables --------------------------------------------------------- */

typedef struct seg {
    char who;         /* 'C' / 'S' payload from client / server; 'c' / 's' their FIN */
    const char *data; /* captured bytes */
    uint32_t n;       /* bytes in data (0: strlen) */
    uint32_t wire;    /* payload length on the wire (0: n); more than n = truncated */
    int32_t shift;    /* added to the sender's sequence number first: > 0 gap, < 0 repeat */
} seg;

#define ISN_C 0xFFFFFFF0u
#define ISN_S 0xFFFFFF80u

/* Feed segs, write one trace line each into lines[]. */
static void run_segs(const seg *s, size_t n, char lines[][600])
{
    static tl_http h;
    static tl_http_result r;
    uint32_t next[2] = {ISN_C, ISN_S};
    tl_http_init(&h);
    for (size_t i = 0; i < n; i++) {
        int client = s[i].who == 'C' || s[i].who == 'c';
        unsigned d = client ? 0 : 1;
        if (s[i].who == 'c' || s[i].who == 's') {
            tl_http_piece p;
            int k = tl_http_fin(&h, client, &p);
            static const char *const what[] = {"none", "ended", "cut"};
            int len = snprintf(lines[i], 600, "FIN %c: %s", client ? 'C' : 'S', what[k]);
            if (k)
                snprintf(lines[i] + len, (size_t)(600 - len), " %s#%u p%u%s%s%s%s",
                         p.kind ? "resp" : "req", (unsigned)p.exchange, (unsigned)p.part,
                         (p.flags & TL_HTTP_P_END) ? " [E]" : "",
                         (p.flags & TL_HTTP_P_SUMMARY) ? " \"" : "",
                         (p.flags & TL_HTTP_P_SUMMARY) ? p.summary : "",
                         (p.flags & TL_HTTP_P_SUMMARY) ? "\"" : "");
            continue;
        }
        uint32_t cap = s[i].n ? s[i].n : (uint32_t)strlen(s[i].data);
        uint32_t wire = s[i].wire ? s[i].wire : cap;
        next[d] += (uint32_t)s[i].shift;
        tl_http_segment(&h, client, next[d], (const uint8_t *)s[i].data, wire, cap, &r);
        next[d] += wire;
        trace_result(s[i].who, &r, lines[i], 600);
    }
}

static void golden(const char *name, const seg *s, size_t n, const char *const *want, size_t nw)
{
    static char lines[64][600];
    current = name;
    CHECK(n == nw, "%zu segments but %zu expected lines", n, nw);
    run_segs(s, n, lines);
    for (size_t i = 0; i < n && i < nw; i++)
        CHECK(strcmp(lines[i], want[i]) == 0, "segment %zu\n    got  %s\n    want %s", i + 1,
              lines[i], want[i]);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define GOLDEN(name) golden(#name, name##_segs, NELEM(name##_segs), name##_want, NELEM(name##_want))

/* One request, one response with a body. */
static const seg get_simple_segs[] = {
    {'C', "GET /local.html HTTP/1.1\r\nHost: a\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"},
};
static const char *const get_simple_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+37 L0+24 \"GET /local.html\"",
    "S HTTP: resp#1 p1 [SHE] 0+43 L0+15 \"200 OK\"",
};

/* Keep-alive: three exchanges, bodies across segments, a part count per
 * message, an empty reason phrase. */
static const seg keepalive_segs[] = {
    {'C', "GET /a HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123"},
    {'S', "456"},
    {'S', "789"},
    {'C', "GET /b HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!"},
    {'C', "GET /c HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const keepalive_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"GET /a\"",
    "S HTTP: resp#1 p1 [SH] 0+43 L0+15 \"200 OK\"",
    "S HTTP: resp#1 p2 [] 0+3 \"200 OK\"",
    "S HTTP: resp#1 p3 [E] 0+3 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+19 L0+15 \"GET /b\"",
    "S HTTP: resp#2 p1 [SHE] 0+48 L0+22 \"404 Not Found\"",
    "C HTTP: req#3 p1 [SHE] 0+19 L0+15 \"GET /c\"",
    "S HTTP: resp#3 p1 [SHE] 0+35 L0+12 \"200\"",
};

/* Pipelining: three requests in one segment, their responses in one segment
 * and a half; a segment carrying several messages has a piece for each. */
static const seg pipelined_segs[] = {
    {'C', "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"
          "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nxy"},
    {'S', "zw"},
};
static const char *const pipelined_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"GET /1\" | req#2 p1 [SHE] 19+20 L19+16 \"HEAD /2\" | "
    "req#3 p1 [SHE] 39+19 L39+15 \"GET /3\"",
    "S HTTP: resp#1 p1 [SHE] 0+40 L0+15 \"200 OK\" | resp#2 p1 [SHEN] 40+39 L40+15 \"200 OK\" | "
    "resp#3 p1 [SH] 79+40 L79+15 \"200 OK\"",
    "S HTTP: resp#3 p2 [E] 0+2 \"200 OK\"",
};

/* More messages in one segment than pieces: 10 requests, 8 reported. */
#define R10 "GET / HTTP/1.1\r\n\r\n"
static const seg ten_requests_segs[] = {
    {'C', R10 R10 R10 R10 R10 R10 R10 R10 R10 R10},
    {'C', "GET /11 HTTP/1.1\r\n\r\n"},
};
static const char *const ten_requests_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\" | req#2 p1 [SHE] 18+18 L18+14 \"GET /\" | "
    "req#3 p1 [SHE] 36+18 L36+14 \"GET /\" | req#4 p1 [SHE] 54+18 L54+14 \"GET /\" | "
    "req#5 p1 [SHE] 72+18 L72+14 \"GET /\" | req#6 p1 [SHE] 90+18 L90+14 \"GET /\" | "
    "req#7 p1 [SHE] 108+18 L108+14 \"GET /\" | req#8 p1 [SHE] 126+18 L126+14 \"GET /\" (+2)",
    "C HTTP: req#11 p1 [SHE] 0+20 L0+16 \"GET /11\"",
};

/* A POST whose body spans segments; the start line split in three. */
static const seg post_body_segs[] = {
    {'C', "PO"},
    {'C', "ST /upload HT"},
    {'C', "TP/1.1\r\nContent-Length: 11\r\nContent-Type: x\r\n\r\nfirst"},
    {'C', "secon"},
    {'C', "dGET /next HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 405 Not Allowed\r\nContent-Length: 0\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const post_body_want[] = {
    "C HTTP: req#1 p1 [S] 0+2 L0+2",
    "C HTTP: req#1 p2 [] 0+13",
    "C HTTP: req#1 p3 [H] 0+52 \"POST /upload\"",
    "C HTTP: req#1 p4 [] 0+5 \"POST /upload\"",
    "C HTTP: req#1 p5 [E] 0+1 \"POST /upload\" | req#2 p1 [SHE] 1+22 L1+18 \"GET /next\"",
    "S HTTP: resp#1 p1 [SHE] 0+47 L0+24 \"405 Not Allowed\"",
    "S HTTP: resp#2 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* Chunked response: extensions, chunk boundaries across segments, trailers;
 * then a chunked request body. */
static const seg chunked_segs[] = {
    {'C', "GET /c HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"},
    {'S', "lo\r\n6;name=val\r\n world\r"},
    {'S', "\n0\r\nX-Trailer: 1\r\n\r"},
    {'S', "\n"},
    {'C', "PUT /u HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"},
    {'S', "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
};
static const char *const chunked_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"GET /c\"",
    "S HTTP: resp#1 p1 [SH] 0+53 L0+15 \"200 OK\"",
    "S HTTP: resp#1 p2 [] 0+23 \"200 OK\"",
    "S HTTP: resp#1 p3 [] 0+19 \"200 OK\"",
    "S HTTP: resp#1 p4 [E] 0+1 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+73 L0+15 \"PUT /u\"",
    "S HTTP: resp#2 p1 [SHE] 0+57 L0+20 \"201 Created\"",
};

/* HEAD: the response's Content-Length describes a body it does not have;
 * 304 and 204 have none either; 404 has one. */
static const seg no_body_segs[] = {
    {'C', "HEAD / HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"},
    {'C', "GET /x HTTP/1.1\r\nIf-None-Match: \"a\"\r\n\r\n"},
    {'S', "HTTP/1.1 304 Not Modified\r\nContent-Length: 77\r\n\r\n"},
    {'C', "DELETE /y HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 204 No Content\r\n\r\n"},
    {'C', "GET /z HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"},
};
static const char *const no_body_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"HEAD /\"",
    "S HTTP: resp#1 p1 [SHEN] 0+41 L0+15 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+39 L0+15 \"GET /x\"",
    "S HTTP: resp#2 p1 [SHEN] 0+49 L0+25 \"304 Not Modified\"",
    "C HTTP: req#3 p1 [SHE] 0+22 L0+18 \"DELETE /y\"",
    "S HTTP: resp#3 p1 [SHEN] 0+27 L0+23 \"204 No Content\"",
    "C HTTP: req#4 p1 [SHE] 0+19 L0+15 \"GET /z\"",
    "S HTTP: resp#4 p1 [SHE] 0+49 L0+22 \"404 Not Found\"",
};

/* HTTP/1.0 response without Content-Length: the body runs until the
 * server's FIN; tl_http_fin reports the end. Data after FIN is ignored. */
static const seg close_delimited_segs[] = {
    {'C', "GET / HTTP/1.0\r\n\r\n"},
    {'S', "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody"},
    {'S', "more body"},
    {'s', ""},
    {'S', "late"},
    {'c', ""},
};
static const char *const close_delimited_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [SH] 0+49 L0+15 \"200 OK\"",
    "S HTTP: resp#1 p2 [] 0+9 \"200 OK\"",
    "FIN S: ended resp#1 p2 [E] \"200 OK\"",
    "S HTTP {f}",
    "FIN C: none",
};

/* Transfer-Encoding that is not chunked in a response: until close. */
static const seg te_gzip_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef"},
    {'s', ""},
};
static const char *const te_gzip_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [SH] 0+69 L0+15 \"200 OK\"",
    "FIN S: ended resp#1 p1 [E] \"200 OK\"",
};

/* 100 Continue and 103 Early Hints belong to the exchange they precede. */
static const seg interim_segs[] = {
    {'C', "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"},
    {'S', "HTTP/1.1 100 Continue\r\n\r\n"},
    {'C', "data"},
    {'S', "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
    {'C', "GET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const interim_want[] = {
    "C HTTP: req#1 p1 [SH] 0+61 L0+16 \"POST /p\"",
    "S HTTP: resp#1 p1 [SHEIN] 0+25 L0+21 \"100 Continue\"",
    "C HTTP: req#1 p2 [E] 0+4 \"POST /p\"",
    "S HTTP: resp#1 p1 [SHEIN] 0+44 L0+24 \"103 Early Hints\" | resp#1 p1 [SHE] 44+38 L44+15 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+19 L0+15 \"GET /2\"",
    "S HTTP: resp#2 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* WebSocket: Upgrade, 101 (with the server's first frame in the same
 * segment), then frames both ways are WebSocket, not HTTP. */
static const seg websocket_segs[] = {
    {'C', "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"},
    {'S', "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x02hi", 0},
    {'C', "\x81\x85\x01\x02\x03\x04iaoip"},
    {'S', "\x88\x02\x03\xe8"},
    {'C', "GET / HTTP/1.1\r\n\r\n"},
};
static const char *const websocket_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+142 L0+16 \"GET /ws\"",
    "S HTTP {U}: resp#1 p1 [SHEUN] 0+129 L0+32 \"101 Switching Protocols\"",
    "C WebSocket",
    "S WebSocket",
    "C WebSocket",
};

/* An upgrade the server declines: HTTP goes on. */
static const seg upgrade_refused_segs[] = {
    {'C', "GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
    {'C', "GET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const upgrade_refused_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+111 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [SHE] 0+40 L0+15 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+19 L0+15 \"GET /2\"",
    "S HTTP: resp#2 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* h2c upgrade accepted: a tunnel that is neither WebSocket nor TLS. */
static const seg upgrade_h2c_segs[] = {
    {'C', "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"},
    {'S', "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"},
    {'S', "\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9},
    {'C', "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
};
static const char *const upgrade_h2c_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+53 L0+14 \"GET /\"",
    "S HTTP {U}: resp#1 p1 [SHEUN] 0+71 L0+32 \"101 Switching Protocols\"",
    "S other",
    "C other",
};

/* CONNECT, 200, then TLS through the tunnel. */
static const seg connect_segs[] = {
    {'C', "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"},
    {'S', "HTTP/1.1 200 Connection established\r\n\r\n"},
    {'C', "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11},
    {'S', "\x16\x03\x03\x00\x7a\x02", 6},
};
static const char *const connect_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+59 L0+32 \"CONNECT example.com:443\"",
    "S HTTP {U}: resp#1 p1 [SHEUN] 0+39 L0+35 \"200 Connection established\"",
    "C TLS",
    "S TLS",
};

/* TLS from the first byte: the whole connection is TLS. */
static const seg tls_segs[] = {
    {'C', "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11},
    {'S', "\x16\x03\x03\x00\x7a\x02", 6},
    {'C', "\x17\x03\x03\x00\x10GET / HTTP/1.1", 19},
    {'S', "HTTP/1.1 200 OK\r\n\r\n"},
};
static const char *const tls_want[] = {
    "C TLS",
    "S TLS",
    "C TLS",
    "S TLS",
};

/* Not HTTP: an SSH banner; the HTTP/2 preface; a word, a space, then no
 * version (the half-parsed request is withdrawn); a 0.9 request. */
static const seg garbage_segs[] = {
    {'S', "SSH-2.0-OpenSSH_9.2\r\n"},
    {'C', "SSH-2.0-OpenSSH_9.2\r\n"},
    {'C', "GET / HTTP/1.1\r\n\r\n"},
};
static const char *const garbage_want[] = {
    "S other",
    "C other",
    "C other",
};
static const seg h2_preface_segs[] = {
    {'C', "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
    {'S', "\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9},
};
static const char *const h2_preface_want[] = {
    "C other {m}",
    "S other",
};
static const seg not_http_word_segs[] = {
    {'C', "HELLO there\r\n"},
    {'S', "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const not_http_word_want[] = {
    "C other {m}",
    "S HTTP: resp#1 p1 [SHE] 0+47 L0+24 \"400 Bad Request\"",
};
static const seg http09_segs[] = {
    {'C', "GET /"},
    {'C', "\r\n"},
};
static const char *const http09_want[] = {
    "C HTTP: req#1 p1 [S] 0+5 L0+5",
    "C other {m}",
};

/* A response with no request captured takes exchange 1; the next request
 * is exchange 2. */
static const seg response_first_segs[] = {
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"},
    {'C', "GET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const response_first_want[] = {
    "S HTTP: resp#1 p1 [SHE] 0+40 L0+15 \"200 OK\"",
    "C HTTP: req#2 p1 [SHE] 0+19 L0+15 \"GET /2\"",
    "S HTTP: resp#2 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* Midstream: the server's first captured bytes are the tail of a body.
 * Once the client is seen to speak HTTP, the server's next segment that
 * begins with a status line resyncs. */
static const seg midstream_segs[] = {
    {'S', "tail of some body\r\n"},
    {'C', "GET /n HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const midstream_want[] = {
    "S other",
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"GET /n\"",
    "S HTTP {y}: resp#1 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* A gap inside a Content-Length body is counted off: the message still
 * ends where it should and the next one parses. */
static const seg gap_in_body_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"},
    {'S', "last 40 bytes of the body, 40 bytes long", 0, 0, 50},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234"},
    {'S', "HTTP/1.1 200 OK\r\n", 0, 0, 20},
};
static const char *const gap_in_body_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\" | req#2 p1 [SHE] 18+19 L18+15 \"GET /2\"",
    "S HTTP: resp#1 p1 [SH] 0+50 L0+15 \"200 OK\"",
    "S HTTP {g}: resp#1 p2 [E] 0+40 \"200 OK\"",
    "S HTTP: resp#2 p1 [SH] 0+44 L0+15 \"200 OK\"",
    /* 20 bytes missing; the body ends 15 bytes into them, so a message
     * starts in the gap: lost, then resynced at this segment, which starts
     * with a status line. */
    "S HTTP {gy}: resp#3 p1 [S] 0+17 L0+15 \"200 OK\"",
};

/* A gap inside the headers: lost; bytes until a segment that starts with a
 * start line are unattributed. */
static const seg gap_in_headers_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nServ"},
    {'S', "Length: 5\r\n\r\nhello", 0, 0, 20},
    {'S', "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const gap_in_headers_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\" | req#2 p1 [SHE] 18+19 L18+15 \"GET /2\"",
    "S HTTP: resp#1 p1 [S] 0+21 L0+15 \"200 OK\"",
    "S HTTP {gu}",
    "S HTTP {y}: resp#2 p1 [SHE] 0+45 L0+22 \"404 Not Found\"",
};

/* Retransmissions: a whole repeated request; a repeated response prefix
 * followed by new bytes of the same message. */
static const seg retrans_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\n"},
    {'C', "GET / HTTP/1.1\r\n\r\n", 0, 0, -18},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 0, 0, -44},
    {'S', "56789", 0, 0, -5},
    {'C', "GET /2 HTTP/1.1\r\n\r\n"},
};
static const char *const retrans_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "C HTTP {r}: req#1 p0 [SER] 0+18 L0+14",
    "S HTTP: resp#1 p1 [SH] 0+44 L0+15 \"200 OK\"",
    "S HTTP {r}: resp#1 p2 [SER] 0+49 L0+15 \"200 OK\"",
    "S HTTP {r}: resp#1 p0 [ER] 0+5",
    "C HTTP: req#2 p1 [SHE] 0+19 L0+15 \"GET /2\"",
};

/* Out of order inside a body: the later segment first (gap counted off),
 * the missing one after (repeat, mapped to the message). */
static const seg out_of_order_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n0123456789"},
    {'S', "klmnopqrst", 0, 0, 10},
    {'S', "abcdefghij", 0, 0, -20},
};
static const char *const out_of_order_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [SH] 0+49 L0+15 \"200 OK\"",
    "S HTTP {g}: resp#1 p2 [E] 0+10 \"200 OK\"",
    "S HTTP {r}: resp#1 p0 [R] 0+10",
};

/* A small snapshot length: headers captured, body bytes not; the body is
 * counted off by Content-Length. Cut inside the headers: lost. */
static const seg truncated_segs[] = {
    {'C', "GET /big HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nxx", 0, 65000},
    {'S', "xx", 0, 35043},
    {'S', "HTTP/1.1 200 OK\r\nCon", 0, 60},
    {'s', ""},
};
static const char *const truncated_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+21 L0+17 \"GET /big\" | req#2 p1 [SHE] 21+19 L21+15 \"GET /2\"",
    "S HTTP {t}: resp#1 p1 [SH] 0+65000 L0+15 \"200 OK\"",
    "S HTTP {t}: resp#1 p2 [E] 0+35043 \"200 OK\"",
    "S HTTP {tu}: resp#2 p1 [S] 0+20 L0+15 \"200 OK\"",
    "FIN S: none",
};

/* Malformed framing after a valid exchange: lost, not "other". */
static const seg conflicting_length_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
    {'C', "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"},
    {'C', "more"},
};
static const char *const conflicting_length_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [SHE] 0+38 L0+15 \"200 OK\"",
    "C HTTP {um}: req#2 p1 [S] 0+55 L0+15 \"POST /\"",
    "C HTTP {u}",
};

/* A request-target longer than the summary buffer: the summary is cut, the
 * framing is not. */
#define A58 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG64 "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
static const seg long_target_segs[] = {
    {'C', "GET " LONG64 LONG64 LONG64 " HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
};
static const char *const long_target_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+209 L0+205 \"GET " LONG64 "/" A58 "\"",
    "S HTTP: resp#1 p1 [SHE] 0+38 L0+15 \"200 OK\"",
};

/* A FIN in the middle of a Content-Length body cuts the message. */
static const seg fin_cut_segs[] = {
    {'C', "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"},
    {'c', ""},
    {'C', "xyz"},
};
static const char *const fin_cut_want[] = {
    "C HTTP: req#1 p1 [SH] 0+43 L0+15 \"POST /\"",
    "FIN C: cut req#1 p1 \"POST /\"",
    "C HTTP {f}",
};

/* A truncated segment with no captured bytes leaves the direction
 * undecided; a later request decides. */
static const seg nothing_captured_segs[] = {
    {'C', "", 0, 18},
    {'C', "GET /2 HTTP/1.1\r\n\r\n"},
};
static const char *const nothing_captured_want[] = {
    "C - {t}",
    "C HTTP: req#1 p1 [SHE] 0+19 L0+15 \"GET /2\"",
};

/* Lenient line ends: bare LF, and empty lines between messages. */
static const seg bare_lf_segs[] = {
    {'C', "GET /lf HTTP/1.1\nHost: a\n\n\r\n\r\nGET /2 HTTP/1.0\n\n"},
    {'S', "HTTP/1.1 200 OK\nContent-Length: 1\n\nxHTTP/1.1 200 OK\n\n"},
    {'s', ""},
};
static const char *const bare_lf_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+26 L0+16 \"GET /lf\" | req#2 p1 [SHE] 30+17 L30+15 \"GET /2\"",
    "S HTTP: resp#1 p1 [SHE] 0+36 L0+15 \"200 OK\" | resp#2 p1 [SH] 36+17 L36+15 \"200 OK\"",
    "FIN S: ended resp#2 p1 [E] \"200 OK\"",
};

/* Found by fuzz_http.c. A response cut inside its status line by a gap,
 * then retransmitted whole: the repeated start line ends where the message
 * was cut, not at the retransmission's CR LF. */
static const seg repeat_cut_line_segs[] = {
    {'C', "GET / HTTP/1.1\r\n\r\n"},
    {'S', "HTTP/1.1 2"},
    {'S', "Content-Length: 0\r\n\r\n", 0, 0, 20},
    {'S', "HTTP/1.1 200 OK\r\n", 0, 0, -51},
};
static const char *const repeat_cut_line_want[] = {
    "C HTTP: req#1 p1 [SHE] 0+18 L0+14 \"GET /\"",
    "S HTTP: resp#1 p1 [S] 0+10 L0+10",
    "S HTTP {gu}",
    "S HTTP {r}: resp#1 p0 [SR] 0+10 L0+10",
};

/* Found by fuzz_http.c. A first request that turns out not to be HTTP is
 * withdrawn from the segment that shows it, also when that segment begins
 * by repeating its last byte. */
static const seg withdrawn_after_repeat_segs[] = {
    {'C', "POST /upload"},
    {'C', "d\x01", 0, 0, -1},
};
static const char *const withdrawn_after_repeat_want[] = {
    "C HTTP: req#1 p1 [S] 0+12 L0+12",
    "C other {rm}",
};

static void test_golden(void)
{
    GOLDEN(get_simple);
    GOLDEN(keepalive);
    GOLDEN(pipelined);
    GOLDEN(ten_requests);
    GOLDEN(post_body);
    GOLDEN(chunked);
    GOLDEN(no_body);
    GOLDEN(close_delimited);
    GOLDEN(te_gzip);
    GOLDEN(interim);
    GOLDEN(websocket);
    GOLDEN(upgrade_refused);
    GOLDEN(upgrade_h2c);
    GOLDEN(connect);
    GOLDEN(tls);
    GOLDEN(garbage);
    GOLDEN(h2_preface);
    GOLDEN(not_http_word);
    GOLDEN(http09);
    GOLDEN(response_first);
    GOLDEN(midstream);
    GOLDEN(gap_in_body);
    GOLDEN(gap_in_headers);
    GOLDEN(retrans);
    GOLDEN(out_of_order);
    GOLDEN(truncated);
    GOLDEN(conflicting_length);
    GOLDEN(long_target);
    GOLDEN(fin_cut);
    GOLDEN(nothing_captured);
    GOLDEN(bare_lf);
    GOLDEN(repeat_cut_line);
    GOLDEN(withdrawn_after_repeat);
}

/* ---- split tests ------------------------------------------------------------ */

/* What the pieces of one direction add up to, per message. */
typedef struct msg {
    uint32_t exchange;
    uint64_t start; /* stream offset of its first byte */
    uint64_t bytes;
    unsigned starts, hdr_ends, ends, parts;
    char summary[TL_HTTP_SUMMARY_MAX];
    char line[TL_HTTP_SUMMARY_MAX]; /* start line bytes gathered from START pieces */
} msg;

typedef struct tally {
    msg m[32];
    unsigned n;
    int bad; /* a part number out of sequence or a piece out of place */
} tally;

static void tally_piece(tally *t, const tl_http_piece *pc, uint64_t seg_off, const uint8_t *payload)
{
    msg *m = NULL;
    for (unsigned k = 0; k < t->n; k++)
        if (t->m[k].exchange == pc->exchange && t->m[k].start + t->m[k].bytes == seg_off + pc->offset &&
            !t->m[k].ends)
            m = &t->m[k];
    if (!m) {
        if (t->n == 32 || !(pc->flags & TL_HTTP_P_START)) {
            t->bad = 1;
            return;
        }
        m = &t->m[t->n++];
        memset(m, 0, sizeof(*m));
        m->exchange = pc->exchange;
        m->start = seg_off + pc->offset;
    }
    m->bytes += pc->length;
    if (pc->part != ++m->parts)
        t->bad = 1;
    if (pc->flags & TL_HTTP_P_START) {
        m->starts++;
        size_t have = strlen(m->line), add = pc->line_len;
        if (have + add < sizeof(m->line)) {
            memcpy(m->line + have, payload + pc->line_off, add);
            m->line[have + add] = '\0';
        }
    } else if (m->starts && strlen(m->line) && !(m->hdr_ends) && !m->summary[0]) {
        /* the start line continues at offset 0 of this payload: gather it */
        size_t have = strlen(m->line), add = 0;
        while (add < pc->length && payload[pc->offset + add] != '\r' && payload[pc->offset + add] != '\n')
            add++;
        if (have + add < sizeof(m->line)) {
            memcpy(m->line + have, payload + pc->offset, add);
            m->line[have + add] = '\0';
        }
    }
    if (pc->flags & TL_HTTP_P_HEADERS_END)
        m->hdr_ends++;
    if (pc->flags & TL_HTTP_P_END)
        m->ends++;
    if (pc->flags & TL_HTTP_P_SUMMARY)
        snprintf(m->summary, sizeof(m->summary), "%s", pc->summary);
}

/* Feed `first` whole from one side (it sets up the other direction: the
 * requests a response stream answers), then `stream` from the other side
 * cut at the offsets in cuts[], then a FIN from that side. */
static void feed(int stream_from_client, const char *first, const char *stream, const size_t *cuts,
                 size_t ncuts, tally *t)
{
    static tl_http h;
    static tl_http_result r;
    tl_http_init(&h);
    memset(t, 0, sizeof(*t));
    if (first)
        tl_http_segment(&h, !stream_from_client, 1000, (const uint8_t *)first,
                        (uint32_t)strlen(first), (uint32_t)strlen(first), &r);
    size_t len = strlen(stream), from = 0;
    uint32_t seq = 0xFFFFFFFFu - 40; /* wraps inside the stream */
    for (size_t k = 0; k <= ncuts; k++) {
        size_t to = k < ncuts ? cuts[k] : len;
        if (to <= from)
            continue;
        /* copy so ASan catches any read past the segment */
        uint8_t *buf = malloc(to - from);
        memcpy(buf, stream + from, to - from);
        tl_http_segment(&h, stream_from_client, seq + (uint32_t)from, buf, (uint32_t)(to - from),
                        (uint32_t)(to - from), &r);
        if (r.n_total != r.n)
            t->bad = 1;
        for (unsigned i = 0; i < r.n; i++)
            tally_piece(t, &r.piece[i], from, buf);
        free(buf);
        from = to;
    }
    tl_http_piece end;
    if (tl_http_fin(&h, stream_from_client, &end) == TL_HTTP_FIN_ENDED) {
        for (unsigned k = 0; k < t->n; k++)
            if (t->m[k].exchange == end.exchange && !t->m[k].ends)
                t->m[k].ends++;
    }
}

static int same(const tally *a, const tally *b, char *why, size_t size)
{
    if (a->bad || b->bad) {
        snprintf(why, size, "pieces out of sequence");
        return 0;
    }
    if (a->n != b->n) {
        snprintf(why, size, "%u messages, want %u", b->n, a->n);
        return 0;
    }
    for (unsigned k = 0; k < a->n; k++) {
        const msg *x = &a->m[k], *y = &b->m[k];
        if (x->exchange != y->exchange || x->start != y->start || x->bytes != y->bytes ||
            y->starts != 1 || y->hdr_ends != 1 || y->ends != 1 || strcmp(x->summary, y->summary) ||
            strcmp(x->line, y->line)) {
            snprintf(why, size,
                     "message %u: exchange %u/%u start %llu/%llu bytes %llu/%llu starts %u hdr %u "
                     "ends %u summary '%s'/'%s' line '%s'/'%s'",
                     k + 1, y->exchange, x->exchange, (unsigned long long)y->start,
                     (unsigned long long)x->start, (unsigned long long)y->bytes,
                     (unsigned long long)x->bytes, y->starts, y->hdr_ends, y->ends, y->summary,
                     x->summary, y->line, x->line);
            return 0;
        }
    }
    return 1;
}

static const char split_requests[] =
    "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
    "POST /b HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello"
    "HEAD /c HTTP/1.1\r\n\r\n"
    "PUT /d HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: v\r\n\r\n"
    "GET /e HTTP/1.1\r\n\r\n"
    "GET /f HTTP/1.1\r\n\r\n";
static const char split_responses[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
    "HTTP/1.1 100 Continue\r\n\r\n"
    "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwxyz\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
    "HTTP/1.1 204 No Content\r\n\r\n"
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"
    "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody until close";

static void split_case(const char *name, int from_client, const char *first, const char *stream,
                       unsigned expect_msgs)
{
    static tally ref, got;
    char why[600];
    size_t len = strlen(stream), cuts[3];
    current = name;
    feed(from_client, first, stream, NULL, 0, &ref);
    CHECK(!ref.bad && ref.n == expect_msgs, "reference: %u messages (bad %d), want %u", ref.n,
          ref.bad, expect_msgs);
    for (unsigned k = 0; k < ref.n; k++)
        CHECK(ref.m[k].starts == 1 && ref.m[k].hdr_ends == 1 && ref.m[k].ends == 1 &&
                  ref.m[k].summary[0] && strstr(ref.m[k].line, ref.m[k].summary + 4) != NULL,
              "reference message %u incomplete", k + 1);
    unsigned long before = failures;
    /* every single cut */
    for (size_t i = 1; i < len && failures == before; i++) {
        cuts[0] = i;
        feed(from_client, first, stream, cuts, 1, &got);
        CHECK(same(&ref, &got, why, sizeof why), "cut at %zu: %s", i, why);
    }
    /* every pair of cuts */
    for (size_t i = 1; i < len && failures == before; i++)
        for (size_t j = i + 1; j < len && failures == before; j++) {
            cuts[0] = i;
            cuts[1] = j;
            feed(from_client, first, stream, cuts, 2, &got);
            CHECK(same(&ref, &got, why, sizeof why), "cuts at %zu, %zu: %s", i, j, why);
        }
    /* byte by byte */
    {
        static size_t all[4096];
        for (size_t i = 0; i + 1 < len && i < 4096; i++)
            all[i] = i + 1;
        feed(from_client, first, stream, all, len - 1, &got);
        CHECK(same(&ref, &got, why, sizeof why), "byte by byte: %s", why);
    }
}

static void test_splits(void)
{
    split_case("split_requests", 1, NULL, split_requests, 6);
    split_case("split_responses", 0, split_requests, split_responses, 7);
    split_case("split_get_simple", 1, NULL, "GET /local.html HTTP/1.1\r\nHost: a\r\n\r\n", 1);
    split_case("split_200", 0, "GET / HTTP/1.1\r\n\r\n",
               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello", 1);
}

/* ---- robustness: arbitrary bytes, seqs and lengths never crash ------------- */

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static void test_random(void)
{
    static const char *const words[] = {"GET / HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 101 x\r\n",
                                        "Content-Length: 7\r\n", "Transfer-Encoding: chunked\r\n",
                                        "Upgrade: websocket\r\n", "\r\n", "5\r\nhello\r\n", "0\r\n",
                                        "HEAD /x HTTP/1.0\r\n", "CONNECT a:1 HTTP/1.1\r\n", "\x16\x03\x01",
                                        "zz", ":", " ", "\n"};
    static tl_http h;
    static tl_http_result r;
    static uint8_t buf[512];
    char line[1200];
    current = "random";
    for (unsigned conn = 0; conn < 3000; conn++) {
        tl_http_init(&h);
        uint32_t seq[2] = {rnd(), rnd()};
        for (unsigned s = 0; s < 40; s++) {
            int client = rnd() & 1;
            uint32_t n = 0;
            while (n < 400 && (rnd() % 8)) {
                const char *w = words[rnd() % NELEM(words)];
                size_t wl = strlen(w);
                if (rnd() % 4 == 0)
                    buf[n++] = (uint8_t)rnd();
                else if (n + wl < sizeof buf) {
                    memcpy(buf + n, w, wl);
                    n += (uint32_t)wl;
                }
            }
            uint32_t wire = n + (rnd() % 5 == 0 ? rnd() % 3000 : 0);
            uint32_t shift = rnd() % 6 == 0 ? rnd() % 200 - 100 : 0;
            if (rnd() % 200 == 0)
                shift = rnd();
            seq[client] += shift;
            uint8_t *copy = malloc(n ? n : 1);
            memcpy(copy, buf, n);
            tl_http_segment(&h, client, seq[client], copy, wire, n, &r);
            free(copy);
            seq[client] += wire;
            CHECK(r.n <= TL_HTTP_MAX_PIECES && r.n <= r.n_total, "piece count");
            for (unsigned k = 0; k < r.n; k++) {
                const tl_http_piece *pc = &r.piece[k];
                CHECK(pc->offset <= wire && pc->length <= wire - pc->offset, "piece range");
                CHECK(!(pc->flags & TL_HTTP_P_START) ||
                          (pc->line_off + pc->line_len <= n || pc->line_len == 0),
                      "line range %u+%u of %u", (unsigned)pc->line_off, (unsigned)pc->line_len, n);
                CHECK(memchr(pc->summary, 0, sizeof pc->summary) != NULL, "summary NUL");
                CHECK(pc->exchange >= 1, "exchange");
            }
            trace_result('x', &r, line, sizeof line);
            tl_http_format(&r, line, sizeof line);
            if (rnd() % 30 == 0)
                tl_http_fin(&h, client, NULL);
        }
        CHECK(tl_http_exchanges(&h) <= h.requests + h.finals + 1, "exchanges");
    }
}

/* Header names: every byte value inside a name (RFC 9110 §5.6.2 tchar is
 * written out here independently of the parser's table), and the names
 * that frame a message matched case-insensitively and by exact length. */
static void test_names(void)
{
    static const char tchars[] = "!#$%&'*+-.^_`|~";
    static tl_http h;
    static tl_http_result r;
    char line[600];
    current = "names";
    for (unsigned b = 0; b < 256; b++) {
        char req[64];
        int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nA%cB: x\r\n\r\n", b ? (char)b : '?');
        req[17] = (char)b; /* the byte itself, NUL included */
        bool ok = (b < 128 && isalnum((int)b)) || (b && strchr(tchars, (int)b)) || b == ':';
        tl_http_init(&h);
        tl_http_segment(&h, 1, 1000, (const uint8_t *)req, (uint32_t)n, (uint32_t)n, &r);
        trace_result('C', &r, line, sizeof line);
        bool parsed = strstr(line, "[SHE]") != NULL;
        CHECK(parsed == ok, "byte 0x%02x in a header name: %s", b, line);
    }
    static const struct {
        const char *hdr;
        bool framed; /* the 3-byte body is counted off as this response's */
    } names[] = {
        {"Content-Length: 3", true},   {"CONTENT-LENGTH: 3", true}, {"content-length: 3", true},
        {"Content-Lengthx: 3", false}, {"Content-Lengt: 3", false}, {"X-Content-Length: 3", false},
    };
    for (size_t k = 0; k < NELEM(names); k++) {
        char resp[128];
        int n = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\n%s\r\n\r\nabc", names[k].hdr);
        tl_http_init(&h);
        tl_http_segment(&h, 1, 1000, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18, 18, &r);
        tl_http_segment(&h, 0, 5000, (const uint8_t *)resp, (uint32_t)n, (uint32_t)n, &r);
        trace_result('S', &r, line, sizeof line);
        /* Framed: the message ends with the body; unframed: it runs to the close. */
        CHECK((strstr(line, "[SHE]") != NULL) == names[k].framed, "%s: %s", names[k].hdr, line);
    }
}

/* Found by fuzz_http.c. A status code is reported once its three digits
 * are in (http.h: "once known, else 0"), never the digits so far. */
static void test_status(void)
{
    static tl_http h;
    static tl_http_result r;
    tl_http_piece end;
    current = "status";
    tl_http_init(&h);
    tl_http_segment(&h, 0, 100, (const uint8_t *)"HTTP/1.1 2", 10, 10, &r);
    tl_http_segment(&h, 0, 110, (const uint8_t *)"0", 1, 1, &r);
    CHECK(r.n == 1 && r.piece[0].status == 0, "after \"HTTP/1.1 20\": status %u",
          r.n ? (unsigned)r.piece[0].status : 0u);
    CHECK(tl_http_fin(&h, 0, &end) == TL_HTTP_FIN_CUT && end.status == 0,
          "FIN after \"HTTP/1.1 20\": status %u", (unsigned)end.status);
    tl_http_init(&h);
    tl_http_segment(&h, 0, 100, (const uint8_t *)"HTTP/1.1 204", 12, 12, &r);
    tl_http_segment(&h, 0, 112, (const uint8_t *)" No", 3, 3, &r);
    CHECK(r.n == 1 && r.piece[0].status == 204, "after \"HTTP/1.1 204 No\": status %u",
          r.n ? (unsigned)r.piece[0].status : 0u);
}

static void test_format(void)
{
    static tl_http h;
    static tl_http_result r;
    char buf[256];
    current = "format";
    tl_http_init(&h);
    const char *a = "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
    tl_http_segment(&h, 1, 5, (const uint8_t *)a, (uint32_t)strlen(a), (uint32_t)strlen(a), &r);
    const char *b = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab";
    tl_http_segment(&h, 0, 9, (const uint8_t *)b, (uint32_t)strlen(b), (uint32_t)strlen(b), &r);
    tl_http_format(&r, buf, sizeof buf);
    CHECK(strcmp(buf, "response 1 (200 OK), part 1") == 0, "got %s", buf);
    const char *c = "cdHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    tl_http_segment(&h, 0, 9 + (uint32_t)strlen(b), (const uint8_t *)c, (uint32_t)strlen(c),
                    (uint32_t)strlen(c), &r);
    tl_http_format(&r, buf, sizeof buf);
    CHECK(strcmp(buf, "response 1 (200 OK), part 2; response 2 (404 Not Found), part 1") == 0,
          "got %s", buf);
    tl_http_format(&r, buf, 12);
    CHECK(strlen(buf) == 11, "cut to size: %s", buf);
    CHECK(strcmp(tl_app_name(TL_APP_WEBSOCKET), "WebSocket") == 0 && tl_app_name(0)[0] == '\0' &&
              strcmp(tl_app_name(99), "?") == 0 && strcmp(tl_http_msg_name(1), "response") == 0,
          "names");
    CHECK(tl_http_exchanges(&h) == 2, "exchanges %u", tl_http_exchanges(&h));
    CHECK(tl_http_conn_app(&h) == TL_APP_HTTP, "conn app");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {{"golden", test_golden},
                 {"splits", test_splits},
                 {"random", test_random},
                 {"names", test_names},
                 {"status", test_status},
                 {"format", test_format}};
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < NELEM(cases); i++) {
        if (argc > 1 && !strstr(cases[i].name, argv[1]))
            continue;
        unsigned long before = failures;
        cases[i].fn();
        if (failures == before) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", cases[i].name);
        }
    }
    printf("%lu checks, %lu failed\n", checks, failures);
    printf("http: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
