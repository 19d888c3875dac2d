/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP over TCP (SPEC §5): feeds each segment's payload to the core's
 * HTTP tracker on the first pass and keeps what it says.
 *
 * Per message (exchange, request/response) a record that later segments
 * complete: its summary text, the frame where its headers end (the PDU
 * frame) and how many segments it took. Per frame with HTTP payload, the
 * pieces it carries, each pointing at its message record. A single pass
 * shows what was known when the frame was read; revisits (tshark -2, the
 * GUI) also show what only later frames told.
 */
#include "tcplife-plugin.h"

typedef struct tlp_http_msg {
    const char *summary; /* file scope, NULL until the start line is complete */
    guint32 pdu_frame;   /* 0 until the headers end */
    guint32 parts;       /* segments of the message, once it ended */
    guint32 exchange;
    struct tlp_http_msg *prev; /* the connection's previous message of this kind */
} tlp_http_msg;

/* Frames with HTTP payload, in frame order: the first pass appends (it
 * reads frames in order), revisits search. Cheaper than a hash map on the
 * first pass, where every HTTP segment adds one. */
typedef struct frame_entry {
    guint32 frame;
    tlp_http_frame *hf;
} frame_entry;
static frame_entry *frames;
static guint32 n_frames, frames_cap;

void tlp_http_reset(void)
{
    g_free(frames);
    frames = NULL;
    n_frames = frames_cap = 0;
}

static void add_frame(guint32 frame_num, tlp_http_frame *hf)
{
    if (n_frames == frames_cap) {
        frames_cap = frames_cap ? frames_cap * 2 : 1024;
        frames = g_renew(frame_entry, frames, frames_cap);
    }
    guint32 i = n_frames++;
    /* Only a first pass out of frame order would need the move. */
    for (; i > 0 && frames[i - 1].frame > frame_num; i--)
        frames[i] = frames[i - 1];
    frames[i].frame = frame_num;
    frames[i].hf = hf;
}

const tlp_http_frame *tlp_http_frame_get(guint32 frame_num)
{
    guint32 lo = 0, hi = n_frames;
    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (frames[mid].frame < frame_num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_frames && frames[lo].frame == frame_num ? frames[lo].hf : NULL;
}

/* The message record for (exchange, kind): a piece that starts a message
 * starts a new record (an interim 100 Continue and the final 200 OK share
 * an exchange), later pieces continue the latest one. The core reports
 * pieces of the last few messages of a direction only (repeated bytes
 * included), so the search back is short. */
static tlp_http_msg *message(tlp_conn *conn, guint32 exchange, guint8 kind, gboolean starts)
{
    tlp_http_msg *m = conn->http_last[kind & 1];
    for (int k = 0; m && !starts && k < 4 * TL_HTTP_HISTORY; k++, m = m->prev)
        if (m->exchange == exchange)
            return m;
    m = tlp_arena_alloc(sizeof *m);
    m->exchange = exchange;
    m->prev = conn->http_last[kind & 1];
    conn->http_last[kind & 1] = m;
    return m;
}

void tlp_http_first_pass(tlp_conn *conn, const tlp_packet *p, const tl_result *r)
{
    const tl_segment *s = &p->seg;
    int from_client = r->sender == TL_CLIENT;

    if (s->len > 0 && !(s->flags & TL_TH_RST)) {
        if (!conn->http) {
            conn->http = tlp_arena_alloc(sizeof *conn->http);
            tl_http_init(conn->http);
        }
        /* Data on a SYN (TCP Fast Open) starts after the SYN's number. */
        guint32 seq = s->seq + ((s->flags & TL_TH_SYN) ? 1u : 0u);
        tl_http_result res;
        tl_http_segment(conn->http, from_client, seq, p->payload, s->len, p->captured, &res);
        if (res.app != TL_APP_NONE) {
            tlp_http_frame *hf = tlp_arena_alloc(sizeof *hf + res.n * sizeof hf->piece[0]);
            hf->app = res.app;
            hf->n = res.n;
            for (guint i = 0; i < res.n; i++) {
                const tl_http_piece *pc = &res.piece[i];
                gboolean starts = (pc->flags & TL_HTTP_P_START) && !(pc->flags & TL_HTTP_P_REPEAT);
                tlp_http_msg *m = message(conn, pc->exchange, pc->kind, starts);
                if ((pc->flags & TL_HTTP_P_SUMMARY) && !m->summary)
                    m->summary = tlp_arena_strdup(pc->summary);
                if ((pc->flags & TL_HTTP_P_HEADERS_END) && !m->pdu_frame)
                    m->pdu_frame = s->frame;
                if (pc->flags & TL_HTTP_P_END)
                    m->parts = pc->part;
                tlp_http_piece *out = &hf->piece[i];
                out->msg = m;
                out->part = pc->part;
                out->flags = pc->flags;
                out->kind = pc->kind;
                out->then = (guint8)((m->summary ? TLP_THEN_SUMMARY : 0) |
                                     (m->pdu_frame ? TLP_THEN_PDU_FRAME : 0));
            }
            add_frame(s->frame, hf);
        }
    }
    if ((s->flags & TL_TH_FIN) && conn->http) {
        tl_http_piece ended;
        if (tl_http_fin(conn->http, from_client, &ended) != TL_HTTP_FIN_NONE)
            message(conn, ended.exchange, ended.kind, FALSE)->parts = ended.part;
    }
    if (conn->http)
        conn->http_exchanges = tl_http_exchanges(conn->http);
}

guint32 tlp_http_piece_exchange(const tlp_http_piece *pc)
{
    return pc->msg->exchange;
}

const char *tlp_http_piece_summary(const tlp_http_piece *pc, gboolean revisit)
{
    return revisit || (pc->then & TLP_THEN_SUMMARY) ? pc->msg->summary : NULL;
}

guint32 tlp_http_piece_pdu_frame(const tlp_http_piece *pc, gboolean revisit)
{
    return revisit || (pc->then & TLP_THEN_PDU_FRAME) ? pc->msg->pdu_frame : 0;
}

guint32 tlp_http_piece_parts(const tlp_http_piece *pc)
{
    return pc->msg->parts;
}
