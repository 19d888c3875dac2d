/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcplife core: a passive observer of one TCP connection.
 *
 * The caller feeds the segments of one connection in capture order, one
 * tl_segment at a time; the core answers with a tl_result that says which
 * role the segment plays (handshake step, teardown step, data, reset...) and
 * the RFC 9293 state of both endpoints once the segment is sent and
 * delivered. The core knows nothing of Wireshark: no allocation, no I/O,
 * no globals. All state lives in the caller-owned tl_conn.
 *
 * Endpoint index 0 is always the client, 1 the server (see tl_role).
 */
#ifndef TCPLIFE_TCPLIFE_H
#define TCPLIFE_TCPLIFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One X-macro list per enum: the enum, the name table and the plugin's
 * value_string are generated from these, so they cannot drift. */

/* RFC 9293 §3.3.2 state names, exactly as SPEC §3 spells them. */
#define TL_STATE_LIST(X)                                                                           \
    X(TL_CLOSED, "CLOSED")                                                                         \
    X(TL_LISTEN, "LISTEN")                                                                         \
    X(TL_SYN_SENT, "SYN-SENT")                                                                     \
    X(TL_SYN_RECEIVED, "SYN-RECEIVED")                                                             \
    X(TL_ESTABLISHED, "ESTABLISHED")                                                               \
    X(TL_FIN_WAIT_1, "FIN-WAIT-1")                                                                 \
    X(TL_FIN_WAIT_2, "FIN-WAIT-2")                                                                 \
    X(TL_CLOSE_WAIT, "CLOSE-WAIT")                                                                 \
    X(TL_CLOSING, "CLOSING")                                                                       \
    X(TL_LAST_ACK, "LAST-ACK")                                                                     \
    X(TL_TIME_WAIT, "TIME-WAIT")

#define TL_PHASE_LIST(X)                                                                           \
    X(TL_PHASE_HANDSHAKE, "handshake")                                                             \
    X(TL_PHASE_ESTABLISHED, "established")                                                         \
    X(TL_PHASE_CLOSING, "closing")                                                                 \
    X(TL_PHASE_CLOSED, "closed")                                                                   \
    X(TL_PHASE_RESET, "reset")

#define TL_ROLE_LIST(X)                                                                            \
    X(TL_CLIENT, "client")                                                                         \
    X(TL_SERVER, "server")

/* Who closed first: SPEC §4 tcplife.conn.closer. */
#define TL_CLOSER_LIST(X)                                                                          \
    X(TL_CLOSER_NONE, "none")                                                                      \
    X(TL_CLOSER_CLIENT, "client")                                                                  \
    X(TL_CLOSER_SERVER, "server")                                                                  \
    X(TL_CLOSER_BOTH, "both")

#define TL_ENUM_ITEM(sym, name) sym,
typedef enum tl_state { TL_STATE_LIST(TL_ENUM_ITEM) TL_STATE_COUNT } tl_state;
typedef enum tl_phase { TL_PHASE_LIST(TL_ENUM_ITEM) TL_PHASE_COUNT } tl_phase;
typedef enum tl_role { TL_ROLE_LIST(TL_ENUM_ITEM) TL_ROLE_COUNT } tl_role;
typedef enum tl_closer { TL_CLOSER_LIST(TL_ENUM_ITEM) TL_CLOSER_COUNT } tl_closer;
#undef TL_ENUM_ITEM

/* TCP header flag bits, as on the wire (RFC 9293 §3.1). */
enum {
    TL_TH_FIN = 0x01,
    TL_TH_SYN = 0x02,
    TL_TH_RST = 0x04,
    TL_TH_PSH = 0x08,
    TL_TH_ACK = 0x10,
    TL_TH_URG = 0x20,
    TL_TH_ECE = 0x40,
    TL_TH_CWR = 0x80
};

/* tl_segment.port_hint bits: the glue knows which ports Wireshark maps to
 * HTTP; the core uses that only to guess roles when no SYN was seen. */
enum { TL_HINT_SRC_SERVICE = 0x01, TL_HINT_DST_SERVICE = 0x02 };

/* One captured segment of the connection. */
typedef struct tl_segment {
    uint32_t frame;    /* capture frame number, > 0 */
    uint8_t dir;       /* 0: sent by the source of the connection's first captured
                          segment ("endpoint A"), 1: sent by the other one */
    uint8_t flags;     /* TL_TH_* */
    uint8_t port_hint; /* TL_HINT_* */
    uint16_t sport, dport;
    uint32_t seq, ack; /* raw 32-bit numbers; ack meaningful only with TL_TH_ACK */
    uint32_t len;      /* payload bytes */
    uint32_t win;      /* window field as on the wire (unscaled) */
    int64_t time_us;   /* capture time, microseconds */
} tl_segment;

/* tl_result.flags */
enum {
    TL_F_STATE_CHANGE = 1u << 0,       /* either endpoint's state changed */
    TL_F_GUESSED = 1u << 1,            /* client/server were guessed (SPEC §2) */
    TL_F_MIDSTREAM = 1u << 2,          /* connection's first captured segment was not a SYN */
    TL_F_SIMULTANEOUS_OPEN = 1u << 3,  /* both sides sent SYN without ACK (from the 2nd SYN on) */
    TL_F_SIMULTANEOUS_CLOSE = 1u << 4, /* peer's FIN did not ack the first FIN (from it on) */
    TL_F_KEEPALIVE = 1u << 5,          /* a keep-alive probe (seq = snd.nxt - 1) */
    TL_F_ZERO_WINDOW_PROBE = 1u << 6,  /* one byte sent into a zero window */
    TL_F_DATA_RETRANS = 1u << 7,       /* payload already seen (retransmitted data) */
    TL_F_REFUSED = 1u << 8,            /* an RST answering a SYN: connection refused */
    TL_F_INFERRED_FIN = 1u << 9,       /* acks a FIN not yet captured (capture reordering) */
    TL_F_SYN = 1u << 10,               /* the segment has SYN set (for labels) */
    TL_F_FIN = 1u << 11,               /* ... FIN set */
    TL_F_RST = 1u << 12,               /* ... RST set */
    TL_F_INFERRED_SYNACK = 1u << 13    /* acks a SYN+ACK never captured (one-sided capture) */
};

/* tl_result.anomalies: what the observer found odd; never fatal. The glue
 * turns each into expert info. */
enum {
    TL_A_DATA_AFTER_FIN = 1u << 0,      /* new payload beyond the sender's own FIN */
    TL_A_SYNACK_BAD_ACK = 1u << 1,      /* SYN+ACK that does not ack the client's SYN */
    TL_A_AFTER_CLOSE = 1u << 2,         /* segment after the connection ended */
    TL_A_REOPENED = 1u << 3,            /* a new SYN restarted a closed connection */
    TL_A_ROLE_CONFLICT = 1u << 4,       /* SYN from the server side, or SYN+ACK from client */
    TL_A_BOGUS_FLAGS = 1u << 5,         /* SYN+FIN, SYN+RST, or no flags at all */
    TL_A_ACK_UNSEEN = 1u << 6,          /* acks data the observer never saw */
    TL_A_FIN_CHANGED = 1u << 7,         /* a second FIN at a different sequence number */
    /* Not odd, but worth saying once, on the segment that reveals it: */
    TL_A_SIM_OPEN_SEEN = 1u << 8,       /* this segment shows a simultaneous open */
    TL_A_SIM_CLOSE_SEEN = 1u << 9,      /* this segment shows a simultaneous close */
    /* Set by the caller, never by the core: the segment could not be read
     * (TCP header cut short by the capture); nothing else is valid. */
    TL_A_UNREADABLE = 1u << 15
};

/* What one segment is, as computed when it is first seen. 20 bytes; the
 * glue stores it per frame and replays it on revisits. */
typedef struct tl_result {
    uint32_t retrans_of;      /* frame of the first SYN / SYN+ACK / FIN / RST this repeats, or 0 */
    uint32_t data_len;        /* payload bytes (0: none) */
    uint8_t state_before[2];  /* tl_state, [TL_CLIENT], [TL_SERVER] */
    uint8_t state_after[2];   /* tl_state after this segment is sent and delivered */
    uint8_t sender;           /* tl_role */
    uint8_t phase;            /* tl_phase after delivery */
    uint8_t hs_step;          /* 0, or handshake step 1..3 */
    uint8_t td_mask;          /* teardown steps: bit (n-1) set for step n; 0x06 = 2+3 */
    uint16_t flags;           /* TL_F_* */
    uint16_t anomalies;       /* TL_A_* */
} tl_result;

/* One endpoint as the observer sees it. */
typedef struct tl_endpoint {
    uint32_t isn;        /* sequence number of its SYN (valid with TL_E_SYN_SENT) */
    uint32_t fin_seq;    /* sequence number its FIN occupies (valid with TL_E_FIN_SENT) */
    uint32_t next_seq;   /* highest seq + len (+1 for SYN/FIN) it sent (valid with TL_E_SEQ_KNOWN) */
    uint32_t max_ack;    /* highest ack it sent (valid with TL_E_ACK_KNOWN) */
    uint32_t syn_frame;  /* first bare SYN it sent (0: none captured) */
    uint32_t synack_frame; /* first SYN+ACK it sent */
    uint32_t fin_frame;  /* first FIN it sent */
    uint32_t rst_frame;  /* first RST it sent */
    uint32_t rst_seq;    /* its sequence number (to recognise a repeat) */
    uint32_t win;        /* last window it advertised */
    uint16_t facts;      /* TL_E_*: the evidence its state is derived from */
    uint8_t state;       /* tl_state */
    uint8_t fin_steps;   /* teardown steps its first FIN carried (for retransmissions) */
} tl_endpoint;

/* tl_endpoint.facts: each is evidence the observer has; the endpoint's state
 * is a function of these (see core/state.c). */
enum {
    TL_E_SYN_SENT = 1u << 0,     /* it sent a SYN */
    TL_E_SYN_RCVD = 1u << 1,     /* the peer's SYN was delivered to it */
    TL_E_SYN_ACKED = 1u << 2,    /* an ack of its SYN was delivered to it */
    TL_E_PASSIVE_OPEN = 1u << 3, /* it received the peer's SYN before sending its own */
    TL_E_FIN_SENT = 1u << 4,     /* it sent a FIN */
    TL_E_FIN_RCVD = 1u << 5,     /* the peer's FIN was delivered to it */
    TL_E_FIN_ACKED = 1u << 6,    /* an ack of its FIN was delivered to it */
    TL_E_PASSIVE_CLOSE = 1u << 7,/* its FIN acked the peer's FIN: it closed second */
    TL_E_RST = 1u << 8,          /* it sent or received an RST */
    TL_E_SEQ_KNOWN = 1u << 9,    /* next_seq is valid */
    TL_E_ACK_KNOWN = 1u << 10,   /* max_ack is valid */
    TL_E_ACKED_PEER_SYN = 1u << 11, /* it sent a segment acking the peer's SYN */
    TL_E_ACKED_PEER_FIN = 1u << 12, /* it sent a segment acking the peer's FIN */
    TL_E_LISTEN_RESET = 1u << 13 /* RST took it back to LISTEN, not CLOSED */
};

/* Connection-wide facts (tl_conn.cflags). */
enum {
    TL_C_STARTED = 1u << 0,       /* roles decided */
    TL_C_GUESSED = 1u << 1,
    TL_C_MIDSTREAM = 1u << 2,
    TL_C_SIM_OPEN = 1u << 3,
    TL_C_SIM_CLOSE = 1u << 4,
    TL_C_RESET = 1u << 5,         /* an RST ended it */
    TL_C_TEARDOWN_DONE = 1u << 6, /* all four teardown steps seen */
    TL_C_HANDSHAKE_DONE = 1u << 7, /* both endpoints reached ESTABLISHED */
    TL_C_CLOSING = 1u << 8        /* a FIN was sent (or inferred): active is set */
};

/* The whole observer state of one connection; zero it (tl_conn_init) to start. */
typedef struct tl_conn {
    tl_endpoint ep[2];       /* [TL_CLIENT], [TL_SERVER] */
    uint8_t client_dir;      /* which tl_segment.dir the client sends on */
    uint8_t closer;          /* tl_closer */
    uint16_t cflags;         /* TL_C_* */
    uint8_t active;          /* tl_role of the first FIN's sender (valid with TL_C_CLOSING) */
    uint8_t td_done;         /* teardown steps that happened, bit (n-1) for step n */
    uint8_t phase;           /* tl_phase after the last segment */
    uint32_t hs_frame[3];    /* first frame of each handshake step, 0 if none */
    uint32_t td_frame[4];    /* first frame of each teardown step, 0 if none */
    uint32_t rst_frame;      /* first RST */
    uint32_t first_frame, last_frame, segments;
    int64_t first_time_us, last_time_us;
} tl_conn;

/* Start observing a connection: no segment seen, nothing known. */
void tl_conn_init(tl_conn *c);

/* Feed the next captured segment of connection c; fills *out. Never fails:
 * odd input sets an anomaly bit and leaves the state as the evidence allows. */
void tl_conn_segment(tl_conn *c, const tl_segment *seg, tl_result *out);

/* Time from the first to the last segment, in microseconds: 0 when the
 * capture's clock went backwards, INT64_MAX when the times are too far
 * apart to subtract. */
int64_t tl_conn_duration_us(const tl_conn *c);

/* Names for the enums; out-of-range values give "?". */
const char *tl_state_name(unsigned s);
const char *tl_phase_name(unsigned p);
const char *tl_role_name(unsigned r);
const char *tl_closer_name(unsigned c);

/* True when r carries teardown step n (1..4). */
static inline bool tl_has_td_step(const tl_result *r, unsigned n)
{
    return n >= 1 && n <= 4 && (r->td_mask >> (n - 1)) & 1u;
}

/* The human line of SPEC §3 tcplife.label ("Handshake 1/3: SYN",
 * "Teardown 2+3/4: FIN+ACK S→C", "Data C→S 945 B"...), UTF-8, written into
 * buf (always NUL-terminated when size > 0). Returns buf. */
char *tl_format_label(const tl_result *r, char *buf, size_t size);

/* The Info column prefix of SPEC §7 ("[HS 1/3] ", "[TD 2+3/4] ", "[RST] "),
 * or "" when the segment has none. Returns buf. */
char *tl_format_info_prefix(const tl_result *r, char *buf, size_t size);

/* Wrap-safe sequence comparisons (RFC 9293 §3.4): a before b. */
static inline bool tl_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}
static inline bool tl_seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

#ifdef __cplusplus
}
#endif

#endif
