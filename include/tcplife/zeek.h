/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zeek-compatible connection summary (SPEC §4 tcplife.conn.state and
 * tcplife.conn.history): Zeek conn.log's conn_state and history, computed
 * from the same segments the lifecycle core sees. Pure C, no allocation.
 *
 * The model follows Zeek's TCP analyzer (TCPSessionAdapter, TCP_Endpoint,
 * TCP_Reassembler) and scripts/base/protocols/conn/main.zeek: one coarse
 * Zeek state per endpoint, the history letters with Zeek's repeat rules,
 * content gaps from acks that pass data never captured, and Zeek's role
 * flips. What it does not model is listed in core/zeek.c.
 */
#ifndef TCPLIFE_ZEEK_H
#define TCPLIFE_ZEEK_H

#include "tcplife/tcplife.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_ZEEK_HISTORY_MAX 48

/* Zeek's endpoint states (analyzer::tcp::EndpointState, the values
 * c$orig$state and c$resp$state carry). */
#define TL_ZEEK_STATE_LIST(X)                                                                      \
    X(TL_ZEEK_INACTIVE, "INACTIVE")                                                                \
    X(TL_ZEEK_SYN_SENT, "SYN_SENT")                                                                \
    X(TL_ZEEK_SYN_ACK_SENT, "SYN_ACK_SENT")                                                        \
    X(TL_ZEEK_PARTIAL, "PARTIAL")                                                                  \
    X(TL_ZEEK_ESTABLISHED, "ESTABLISHED")                                                          \
    X(TL_ZEEK_CLOSED, "CLOSED")                                                                    \
    X(TL_ZEEK_RESET, "RESET")

#define TL_ZEEK_ENUM_ITEM(sym, name) sym,
typedef enum tl_zeek_state { TL_ZEEK_STATE_LIST(TL_ZEEK_ENUM_ITEM) TL_ZEEK_STATE_COUNT } tl_zeek_state;
#undef TL_ZEEK_ENUM_ITEM

/* Out-of-order payload a direction holds above its first hole, in the
 * direction's relative sequence space (Zeek's reassembler block list). */
#define TL_ZEEK_BLOCKS 8

typedef struct tl_zeek_block {
    uint32_t lo, hi; /* [lo, hi) relative */
} tl_zeek_block;

/* One endpoint as Zeek's TCP_Endpoint sees it. Sequence numbers are raw;
 * "relative" ones count from start_seq (the SYN, or one before the first
 * byte seen when no SYN was). */
typedef struct tl_zeek_endpoint {
    uint32_t start_seq;   /* Zeek StartSeq() */
    uint32_t last_seq;    /* Zeek LastSeq(): one past the highest sequence sent */
    uint32_t ack_seq;     /* Zeek AckSeq(): the highest ack the peer sent for it */
    uint32_t fin_seq;     /* relative, one past its FIN (valid with fin_cnt) */
    uint32_t fin_cnt, rst_cnt;
    uint32_t hist_last_syn, hist_last_fin, hist_last_rst; /* relative, for S/H, F, R repeats */
    uint32_t rxmt_cnt, rxmt_thresh;                       /* T: logarithmic counters */
    uint32_t win0_cnt, win0_thresh;                       /* W */
    uint32_t gap_cnt, gap_thresh;                         /* G */
    uint32_t trim_seq;    /* relative: acked up to here */
    uint32_t reassem_seq; /* relative: delivered (or given up as a gap) up to here */
    tl_zeek_block blocks[TL_ZEEK_BLOCKS];
    uint8_t nblocks;
    uint8_t state, prev_state; /* tl_zeek_state */
    uint8_t did_close;         /* its FIN or RST closed it (Zeek did_close) */
} tl_zeek_endpoint;

typedef struct tl_zeek {
    char history[TL_ZEEK_HISTORY_MAX + 1]; /* NUL-terminated */
    uint8_t started;
    uint8_t history_len;
    uint8_t orig;       /* the tl_segment.dir Zeek calls the originator */
    uint8_t is_partial; /* Zeek is_partial: a side's first packet was no bare SYN */
    uint8_t first_seen; /* bit d: a packet from dir d was processed */
    uint8_t history_gen; /* changes whenever history does (wraps): lets a viewer skip a copy */
    uint32_t hist_seen; /* once-only letters seen: originator bits low, responder << 16 */
    tl_zeek_endpoint ep[2]; /* indexed by tl_segment.dir */
} tl_zeek;

/* Start a connection. */
void tl_zeek_init(tl_zeek *z);

/* Feed the next captured segment (tl_segment.dir: 0 = sender of the first
 * captured segment). */
void tl_zeek_segment(tl_zeek *z, const tl_segment *s);

/* Zeek's conn_state for what was fed so far: "S0", "S1", "SF", "REJ", "S2",
 * "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR" or "OTH". */
const char *tl_zeek_conn_state(const tl_zeek *z);

/* Zeek's history string for what was fed so far. */
const char *tl_zeek_history(const tl_zeek *z);

#ifdef __cplusplus
}
#endif

#endif
