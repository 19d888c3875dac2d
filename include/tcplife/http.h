/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP/1.x over one TCP connection (SPEC §5): which request/response
 * message each payload byte belongs to, computed in a single pass.
 *
 * TShark's one pass knows only past segments, so the core cannot wait for
 * Wireshark's reassembly: it parses the payload bytes itself, incrementally,
 * one parser per direction (start line, the few headers that frame a message,
 * body by Content-Length, chunked coding with trailers, or until close), and
 * pairs responses with requests in order through a small ring of pending
 * request methods (so pipelining, HEAD, CONNECT and 1xx work). After a 101 or
 * a successful CONNECT the connection is a tunnel (WebSocket, TLS or other).
 *
 * Pure C11: no allocation, no I/O, no globals; all state is in the
 * caller-owned tl_http (about 600 bytes per connection).
 *
 * Sequence numbers: each direction remembers the sequence number of the
 * next byte it expects. Bytes before it (retransmissions, late out-of-order
 * segments) are not parsed again: they are mapped to the messages they
 * belonged to through a short history (pieces flagged TL_HTTP_P_REPEAT).
 * Bytes missing before a segment (a gap, or the uncaptured tail of a
 * truncated segment) are skipped by arithmetic where the framing allows it
 * (inside a Content-Length body or chunk, or a body delimited by close, or a
 * tunnel); anywhere else the direction loses sync and resumes only at a
 * segment that begins with a complete-looking start line.
 */
#ifndef TCPLIFE_HTTP_H
#define TCPLIFE_HTTP_H

#include "tcplife/tcplife.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SPEC §5 tcplife.app. TL_APP_NONE (0, not in the list) means "no payload
 * or not known": the glue adds no field then. */
#define TL_APP_LIST(X)                                                                             \
    X(TL_APP_HTTP, "HTTP")                                                                         \
    X(TL_APP_WEBSOCKET, "WebSocket")                                                               \
    X(TL_APP_TLS, "TLS")                                                                           \
    X(TL_APP_OTHER, "other")

/* SPEC §5 tcplife.http.message. A request travels client to server. */
#define TL_HTTP_MSG_LIST(X)                                                                        \
    X(TL_HTTP_REQUEST, "request")                                                                  \
    X(TL_HTTP_RESPONSE, "response")

#define TL_ENUM_ITEM(sym, name) sym,
typedef enum tl_app { TL_APP_NONE, TL_APP_LIST(TL_ENUM_ITEM) TL_APP_COUNT } tl_app;
typedef enum tl_http_msg { TL_HTTP_MSG_LIST(TL_ENUM_ITEM) TL_HTTP_MSG_COUNT } tl_http_msg;
#undef TL_ENUM_ITEM

enum {
    TL_HTTP_MAX_PIECES = 8,   /* messages reported per segment (more are parsed, not reported) */
    TL_HTTP_SUMMARY_MAX = 128, /* summary text, NUL included; longer targets are cut */
    TL_HTTP_PENDING = 16,     /* pipelined requests whose method is remembered */
    TL_HTTP_HISTORY = 4       /* recent messages per direction, for repeated bytes */
};

/* tl_http_piece.flags */
enum {
    TL_HTTP_P_START = 1u << 0,       /* the message's first byte is in this segment */
    TL_HTTP_P_HEADERS_END = 1u << 1, /* its header section ends here: the PDU frame */
    TL_HTTP_P_END = 1u << 2,         /* its last byte is here (never for a body ended by close:
                                        see tl_http_fin) */
    TL_HTTP_P_SUMMARY = 1u << 3,     /* summary[] holds the text (start line complete) */
    TL_HTTP_P_REPEAT = 1u << 4,      /* some bytes were seen before (retransmission or late
                                        out-of-order segment), mapped from the history */
    TL_HTTP_P_INTERIM = 1u << 5,     /* a 1xx response other than 101 (does not end the exchange) */
    TL_HTTP_P_UPGRADE = 1u << 6,     /* this message switches the connection to a tunnel
                                        (101, or 2xx answering CONNECT) */
    TL_HTTP_P_NO_BODY = 1u << 7      /* a response that has no body whatever its headers say
                                        (to HEAD, 1xx, 204, 304) */
};

/* The bytes of one HTTP message inside one segment's payload. */
typedef struct tl_http_piece {
    uint32_t exchange; /* 1-based request/response pair index in the connection */
    uint32_t part;     /* this is the part-th segment holding bytes of the message (1-based);
                          0 when all its bytes here are repeated (TL_HTTP_P_REPEAT) */
    uint32_t offset;   /* first byte of the message in this payload */
    uint32_t length;   /* its bytes in this payload (may reach past `captured`) */
    uint32_t line_off; /* with TL_HTTP_P_START: the start line's bytes here, */
    uint32_t line_len; /*   without CR LF, cut at the end of the captured bytes */
    uint16_t flags;    /* TL_HTTP_P_* */
    uint16_t status;   /* responses: status code once known, else 0 */
    uint8_t kind;      /* tl_http_msg */
    char summary[TL_HTTP_SUMMARY_MAX]; /* "GET /local.html", "200 OK"; valid with
                                          TL_HTTP_P_SUMMARY, NUL-terminated */
} tl_http_piece;

/* tl_http_result.flags */
enum {
    TL_HTTP_R_GAP = 1u << 0,       /* bytes were missing before this segment */
    TL_HTTP_R_TRUNCATED = 1u << 1, /* captured < len */
    TL_HTTP_R_REPEAT = 1u << 2,    /* the segment starts with bytes already seen */
    TL_HTTP_R_UNSYNCED = 1u << 3,  /* some bytes here could not be attributed (lost sync) */
    TL_HTTP_R_RESYNC = 1u << 4,    /* parsing resumed at this segment after losing sync */
    TL_HTTP_R_MALFORMED = 1u << 5, /* bytes that break HTTP/1.x framing were met here */
    TL_HTTP_R_UPGRADED = 1u << 6,  /* the connection became a tunnel in this segment */
    TL_HTTP_R_AFTER_FIN = 1u << 7  /* payload after this direction's FIN: ignored */
};

/* What one segment's payload is. Only n pieces are written: read no further. */
typedef struct tl_http_result {
    uint8_t app;     /* tl_app of this payload; TL_APP_NONE when len == 0 */
    uint8_t n;       /* pieces filled, in payload order */
    uint16_t flags;  /* TL_HTTP_R_* */
    uint32_t n_total; /* messages touching this payload (> n when more than fit) */
    tl_http_piece piece[TL_HTTP_MAX_PIECES];
} tl_http_result;

/* A message recently seen in one direction (for repeated bytes). */
typedef struct tl_http_hist {
    uint32_t start, end; /* its sequence range; end valid once it ended */
    uint32_t exchange;
    uint8_t ended;
} tl_http_hist;

/* One direction's incremental parser. Private: read it only through the API. */
typedef struct tl_http_dir {
    uint64_t remaining;   /* body or chunk bytes still to come */
    uint64_t num;         /* number being parsed (Content-Length, chunk size) */
    uint64_t clen;        /* Content-Length of the current message */
    uint32_t next_seq;    /* sequence number of the next byte to parse */
    uint32_t exchange;    /* current message's exchange */
    uint32_t part;        /* segments of the current message so far */
    uint16_t status;      /* current response's status */
    uint8_t mode;         /* what this direction carries (core/http.c) */
    uint8_t st;           /* parser state within HTTP */
    uint8_t dflags;       /* direction facts */
    uint8_t hflags;       /* header facts of the current message */
    uint8_t hdr;          /* header whose value is being read */
    uint8_t meth;         /* method facts of the request (or the answered request) */
    uint8_t tok_len;      /* bytes in tok (also: version / digit counters) */
    uint8_t tok_stop;     /* current list token ended (parameters follow) */
    uint8_t line_len;     /* bytes in line */
    uint8_t app;          /* tl_app of a tunnel */
    uint8_t hist_head;    /* hist is a ring: next entry written at hist_head */
    uint8_t hist_used;    /* entries valid in hist */
    char tok[20];
    char line[TL_HTTP_SUMMARY_MAX];
    tl_http_hist hist[TL_HTTP_HISTORY];
} tl_http_dir;

/* HTTP state of one connection; tl_http_init before the first segment. */
typedef struct tl_http {
    tl_http_dir d[2];           /* [TL_HTTP_REQUEST] client, [TL_HTTP_RESPONSE] server */
    uint32_t requests;          /* requests started (exchange of the latest) */
    uint32_t finals;            /* final responses ended */
    uint32_t max_exchange;      /* highest exchange reported */
    uint8_t pending[TL_HTTP_PENDING];     /* method facts of request n at (n-1) % size */
    uint8_t pending_tag[TL_HTTP_PENDING]; /* low byte of n, to detect a ring overrun */
} tl_http;

/* Start a connection: nothing seen in either direction. */
void tl_http_init(tl_http *h);

/* Feed the payload of one segment, in capture order.
 *   from_client: nonzero when the client sent it;
 *   seq:         sequence number of payload[0] (for a SYN with data: ISN + 1);
 *   len:         payload length on the wire (tcp.len);
 *   captured:    bytes of it present in `payload` (< len when the snapshot cut it);
 *   out:         always filled (app NONE and no pieces when len == 0).
 * Never fails; input that is not HTTP/1.x changes only what is reported. */
void tl_http_segment(tl_http *h, int from_client, uint32_t seq, const uint8_t *payload,
                     uint32_t len, uint32_t captured, tl_http_result *out);

/* tl_http_fin return values */
enum {
    TL_HTTP_FIN_NONE = 0,  /* no message was open in that direction */
    TL_HTTP_FIN_ENDED = 1, /* the FIN ended a response delimited by close (*ended: its END) */
    TL_HTTP_FIN_CUT = 2    /* the FIN cut a message short (*ended: the incomplete message) */
};

/* The sender's FIN was seen (call after tl_http_segment for a FIN carrying
 * payload). Later payload from that side is ignored. Fills *ended (may be
 * NULL) with the message the FIN closed: exchange, kind, status, summary;
 * part is the message's last part, offset and length are 0. */
int tl_http_fin(tl_http *h, int from_client, tl_http_piece *ended);

/* Request/response exchanges seen so far (SPEC §4 tcplife.conn.http_exchanges). */
uint32_t tl_http_exchanges(const tl_http *h);

/* The app of the connection as a whole so far: TLS, WebSocket once upgraded,
 * HTTP once a message was seen, other, or NONE before any payload. */
tl_app tl_http_conn_app(const tl_http *h);

/* "response 2 (200 OK), part 2" for every piece of r, joined by "; "
 * ("request 3, part 1" while the summary is unknown; "(repeat)" for parts
 * 0). UTF-8, always NUL-terminated when size > 0. Returns buf. */
char *tl_http_format(const tl_http_result *r, char *buf, size_t size);

/* Names for the enums; out-of-range values give "?", TL_APP_NONE "". */
const char *tl_app_name(unsigned a);
const char *tl_http_msg_name(unsigned m);

#ifdef __cplusplus
}
#endif

#endif
