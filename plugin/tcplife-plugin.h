/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared declarations of the Wireshark glue: the only code of tcplife that
 * includes <epan/...>. packet-tcplife.c registers and dispatches,
 * extract.c reads a segment out of the dissected packet, store.c keeps
 * connections and per-frame results, render.c builds the tree.
 */
#ifndef TCPLIFE_PLUGIN_H
#define TCPLIFE_PLUGIN_H

#include <wireshark.h>

#include <epan/address.h>
#include <epan/packet.h>

#include "tcplife/tcplife.h"
#include "tcplife/http.h"
#include "tcplife/zeek.h"

/* arena.c: zeroed memory that lives until the capture file closes. */
extern char *tlp_arena_cur, *tlp_arena_end;
void *tlp_arena_alloc_slow(size_t size);
char *tlp_arena_strdup(const char *s);
void tlp_arena_free_all(void);

/* Under AddressSanitizer every record is a block of its own, so that ASan
 * knows each one's bounds. */
#if defined(__SANITIZE_ADDRESS__)
#define TLP_ARENA_EXACT 1
#else
#define TLP_ARENA_EXACT 0
#endif

static inline void *tlp_arena_alloc(size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (!TLP_ARENA_EXACT && (size_t)(tlp_arena_end - tlp_arena_cur) >= size) {
        void *p = tlp_arena_cur;
        tlp_arena_cur += size;
        return memset(p, 0, size);
    }
    return tlp_arena_alloc_slow(size);
}

/* Writes v in decimal at p (no terminator); returns the end. The table
 * and the endpoint text format numbers often enough for snprintf to show. */
static inline char *tlp_put_decimal(char *p, guint32 v)
{
    guint len = 1;
    for (guint32 t = v; t >= 10; t /= 10)
        len++;
    for (guint d = len; d-- > 0; v /= 10)
        p[d] = (char)('0' + v % 10);
    return p + len;
}

/* What the glue keeps for a connection (one per tcp.stream). */
typedef struct tlp_conn {
    tl_conn core;
    tl_zeek zeek;     /* Zeek conn_state / history */
    guint8 ip[2][16];  /* endpoint A (source of the first captured segment), B */
    guint16 port[2];
    gboolean ipv6;
    const char *dir_str[2]; /* "addr:port" of A and B, made when first asked for */
    guint32 http_exchanges;
    struct tlp_http_conn *http; /* allocated at the first payload (http.c) */
} tlp_conn;

/* http.c: a connection's HTTP tracker and its recent messages. */
enum { TLP_HTTP_RECENT = 4 * TL_HTTP_HISTORY };
typedef struct tlp_http_conn {
    tl_http core;
    /* Handles of the latest messages, requests [0] and responses [1], in a
     * ring: later segments (continuations, repeated bytes) find theirs. */
    guint32 recent[2][TLP_HTTP_RECENT];
    guint8 next[2];
} tlp_http_conn;

static inline gboolean tlp_conn_is_http(const tlp_conn *conn)
{
    tl_app app = conn->http ? tl_http_conn_app(&conn->http->core) : TL_APP_NONE;
    return app == TL_APP_HTTP || app == TL_APP_WEBSOCKET;
}

/* "addr:port" of the client or the server ("[addr]:port" for IPv6). */
const char *tlp_conn_endpoint(const tlp_conn *conn, tl_role role);

/* tlp_packet.stream when TCP could not name the connection. */
#define TLP_NO_STREAM G_MAXUINT32

/* What the glue keeps for a frame: computed once, replayed on revisits.
 * Every TCP segment of the capture has one, so it is the core's tl_result
 * packed into 10 bytes. What is rare or large lives in side tables keyed
 * by frame (store.c): the retransmission link, anomalies, a payload
 * length of 65,535 or more, a stream far from its chunk's first one. */
typedef struct tlp_frame {
    gint16 stream_delta; /* tcp.stream minus the chunk's base stream (TLP_FR_FAR: side table) */
    guint16 data_len;    /* TLP_FR_LONG: side table */
    guint16 flags;       /* TL_F_* */
    guint16 states;      /* 4 bits each: client, server before; client, server after */
    guint8 roles;        /* TLP_FR_*: sender, phase, handshake step, side-table bits */
    guint8 extra;        /* TLP_FX_*: teardown steps, side-table bits */
} tlp_frame;

enum {
    TLP_FR_SENDER = 0x01,   /* bit 0: tl_role */
    TLP_FR_PHASE_SHIFT = 1, /* bits 1-3: tl_phase */
    TLP_FR_HS_SHIFT = 4,    /* bits 4-5: handshake step */
    TLP_FR_RETRANS = 0x40,  /* retrans_of is in its side table */
    TLP_FR_ANNOTATED = 0x80,
    TLP_FX_TD_MASK = 0x0f,    /* tl_result.td_mask */
    TLP_FX_ANOMALIES = 0x10,  /* anomalies (other than unreadable) in their side table */
    TLP_FX_UNREADABLE = 0x20, /* TL_A_UNREADABLE: nothing else is set */
    TLP_FR_FAR = G_MININT16,
    TLP_FR_LONG = G_MAXUINT16
};

/* Side tables: values of rare frames, by frame number. */
typedef enum {
    TLP_SIDE_RETRANS,
    TLP_SIDE_ANOMALIES,
    TLP_SIDE_LEN,
    TLP_SIDE_STREAM,
    TLP_SIDE_HTTP_PART, /* http.c: a piece's part past 65,534 */
    TLP_SIDES
} tlp_side;
guint32 tlp_store_side(tlp_side side, guint32 frame_num);
void tlp_store_side_put(tlp_side side, guint32 frame_num, guint32 value);

void tlp_frame_pack(tlp_frame *f, guint32 frame_num, guint32 stream, const tl_result *r);
void tlp_frame_mark_unreadable(tlp_frame *f, guint32 frame_num, guint32 stream);

static inline gboolean tlp_frame_unreadable(const tlp_frame *f)
{
    return (f->extra & TLP_FX_UNREADABLE) != 0;
}

static inline void tlp_frame_result(const tlp_frame *f, guint32 frame_num, tl_result *r)
{
    r->data_len = f->data_len != TLP_FR_LONG ? f->data_len
                                             : tlp_store_side(TLP_SIDE_LEN, frame_num);
    r->flags = f->flags;
    r->anomalies = (f->extra & TLP_FX_ANOMALIES)
                       ? (guint16)tlp_store_side(TLP_SIDE_ANOMALIES, frame_num) : 0;
    if (f->extra & TLP_FX_UNREADABLE)
        r->anomalies |= TL_A_UNREADABLE;
    r->state_before[0] = f->states & 0xf;
    r->state_before[1] = (f->states >> 4) & 0xf;
    r->state_after[0] = (f->states >> 8) & 0xf;
    r->state_after[1] = (guint8)(f->states >> 12);
    r->sender = f->roles & TLP_FR_SENDER;
    r->phase = (f->roles >> TLP_FR_PHASE_SHIFT) & 7;
    r->hs_step = (f->roles >> TLP_FR_HS_SHIFT) & 3;
    r->td_mask = f->extra & TLP_FX_TD_MASK;
    r->retrans_of = (f->roles & TLP_FR_RETRANS) ? tlp_store_side(TLP_SIDE_RETRANS, frame_num) : 0;
}

/* extract.c */
typedef struct tlp_packet {
    tl_segment seg;
    guint32 stream;
    gboolean truncated;     /* header not fully captured: nothing inferred */
    const guint8 *payload;  /* captured payload bytes (NULL if none) */
    guint32 captured;       /* how many of seg.len bytes were captured */
} tlp_packet;

void tlp_extract_register_fields(void);
void tlp_extract_reset(void);
gboolean tlp_extract(tvbuff_t *frame, packet_info *pinfo, tlp_packet *out);

/* store.c */
void tlp_store_init(void);
void tlp_store_cleanup(void);
tlp_frame *tlp_store_frame_slow(guint32 frame_num, gboolean create);
tlp_conn *tlp_store_conn_slow(guint32 stream, gboolean create);

/* Looked up on every segment: the common case inline, store.c for the rest
 * (allocation). Frames in chunks of 2^TLP_CHUNK_BITS, each with the stream
 * its records count from; connections by tcp.stream. */
#define TLP_CHUNK_BITS 12
#define TLP_CHUNK (1u << TLP_CHUNK_BITS)
extern tlp_frame **tlp_chunks;
extern guint32 *tlp_chunk_base;
extern guint32 tlp_chunks_cap;
extern tlp_conn **tlp_conns;
extern guint32 tlp_conns_cap;

/* The frame's record; NULL when not annotated, unless create. */
static inline tlp_frame *tlp_store_frame(guint32 frame_num, gboolean create)
{
    guint32 c = frame_num >> TLP_CHUNK_BITS;
    if (c < tlp_chunks_cap && tlp_chunks[c]) {
        tlp_frame *f = &tlp_chunks[c][frame_num & (TLP_CHUNK - 1)];
        return (create || (f->roles & TLP_FR_ANNOTATED)) ? f : NULL;
    }
    return tlp_store_frame_slow(frame_num, create);
}

/* tcp.stream of an annotated frame (TLP_NO_STREAM when unreadable without). */
static inline guint32 tlp_frame_stream(const tlp_frame *f, guint32 frame_num)
{
    if (f->stream_delta != TLP_FR_FAR)
        return tlp_chunk_base[frame_num >> TLP_CHUNK_BITS] + (guint32)(gint32)f->stream_delta;
    return tlp_store_side(TLP_SIDE_STREAM, frame_num);
}

/* The connection with this tcp.stream; NULL when unknown, unless create. */
static inline tlp_conn *tlp_store_conn(guint32 stream, gboolean create)
{
    if (stream < tlp_conns_cap && tlp_conns[stream])
        return tlp_conns[stream];
    return tlp_store_conn_slow(stream, create);
}

/* http.c */
/* 12 bytes: one per HTTP message a segment carries, in frame order. A
 * message the segment carries whole (start line, headers, end) keeps its
 * exchange and summary here; any other points at a message record that
 * later segments complete. Read them through the accessors. */
typedef struct tlp_http_piece {
    guint32 frame;
    guint32 msg;  /* TLP_PIECE_WHOLE: the exchange; else the message record */
    guint16 part; /* TLP_PIECE_WHOLE: the summary (1 part); else the part, or
                     TLP_PART_FAR: in the side table (a frame has one such piece at most,
                     its first: a segment continues one message) */
    guint8 flags; /* TL_HTTP_P_* */
    guint8 bits;  /* the frame's tl_app (bits 0-2), the message's tl_http_msg, TLP_* below */
} tlp_http_piece;
enum {
    TLP_APP_MASK = 7,
    TLP_PIECE_RESPONSE = 8, /* tl_http_msg: set for TL_HTTP_RESPONSE */
    TLP_THEN_SUMMARY = 16,  /* TLP_THEN_*: known when the frame was first read */
    TLP_THEN_PDU_FRAME = 32,
    TLP_PIECE_WHOLE = 64,
    TLP_PIECE_NONE = 128, /* no message: the frame's payload is not HTTP (only tl_app) */
    TLP_PART_FAR = G_MAXUINT16
};

static inline guint8 tlp_http_piece_kind(const tlp_http_piece *pc)
{
    return (pc->bits & TLP_PIECE_RESPONSE) ? TL_HTTP_RESPONSE : TL_HTTP_REQUEST;
}

/* The pieces of one frame. */
typedef struct tlp_http_frame {
    guint8 app; /* tl_app */
    guint8 n;
    const tlp_http_piece *piece;
} tlp_http_frame;

void tlp_http_reset(void);
void tlp_http_first_pass(tlp_conn *conn, const tlp_packet *p, const tl_result *r);
gboolean tlp_http_frame_get(guint32 frame_num, tlp_http_frame *out);
guint32 tlp_http_piece_exchange(const tlp_http_piece *pc);
guint32 tlp_http_piece_part(const tlp_http_piece *pc);
const char *tlp_http_piece_summary(const tlp_http_piece *pc, gboolean revisit);
guint32 tlp_http_piece_pdu_frame(const tlp_http_piece *pc, gboolean revisit);
guint32 tlp_http_piece_parts(const tlp_http_piece *pc);

/* stats.c */
void tlp_stats_register(int proto);
void tlp_stats_queue(packet_info *pinfo, const tlp_frame *f);
gboolean tlp_stats_update(guint32 frame, guint32 stream, const tlp_conn *conn);

/* ladder.c */
void tlp_ladder_register(void);
void tlp_ladder_handoff(void);
extern guint tlp_ladder_listeners;

/* render.c */
void tlp_render_register(int proto);
void tlp_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, guint32 stream,
                const tl_result *r, const tlp_conn *conn, gboolean info_column);
void tlp_render_http_register(int proto);
void tlp_render_info(packet_info *pinfo, const tl_result *r);
void tlp_render_handoff(void);
gboolean tlp_expert_listened(void);
void tlp_render_unreadable(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const tlp_frame *f);
void tlp_render_http_label(const tlp_http_frame *hf, char *buf, size_t size);
void tlp_render_http(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const tlp_http_frame *hf);

#endif
