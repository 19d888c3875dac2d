/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP over TCP (SPEC §5): feeds each segment's payload to the core's
 * HTTP tracker on the first pass and keeps what it says.
 *
 * Per frame with HTTP payload, the pieces it carries (one per message), in
 * one array in frame order. A message that one segment carries whole, the
 * common case, lives in its piece. Any other gets a message record that
 * later segments complete: its summary, the frame where its headers end
 * (the PDU frame) and how many segments it took. Summaries are kept once
 * per distinct text: keep-alive traffic repeats the same few. A single
 * pass shows what was known when the frame was read; revisits (tshark -2,
 * the GUI) also show what only later frames told.
 */
#include "tcplife-plugin.h"

typedef struct tlp_http_msg {
    guint32 summary;   /* summary id, 0 until the start line is complete */
    guint32 pdu_frame; /* 0 until the headers end */
    guint32 parts;     /* segments of the message, once it ended */
    guint32 exchange;
} tlp_http_msg;

G_STATIC_ASSERT(sizeof(tlp_http_piece) == 12 && TL_APP_COUNT <= TLP_APP_MASK + 1);
G_STATIC_ASSERT(TL_HTTP_MSG_COUNT == 2 && TL_HTTP_P_NO_BODY <= 0x80);

static tlp_http_piece *pieces; /* the first pass appends (it reads frames in order) */
static guint32 n_pieces, pieces_cap;
static tlp_http_msg *msgs; /* index 0 unused: a handle of 0 is no message */
static guint32 n_msgs, msgs_cap;
static const char **summaries; /* by id; id 0 is none */
static guint32 n_summaries, summaries_cap;
static GHashTable *summary_ids; /* text (in the arena) -> id */
static guint32 last_summary[TL_HTTP_MSG_COUNT];

/* A recent-message handle: a record's index, or with HANDLE_WHOLE the
 * frame of a whole message's piece. */
#define HANDLE_WHOLE 0x80000000u

void tlp_http_reset(void)
{
    g_free(pieces);
    g_free(msgs);
    g_free(summaries);
    if (summary_ids)
        g_hash_table_destroy(summary_ids);
    pieces = NULL;
    msgs = NULL;
    summaries = NULL;
    summary_ids = NULL;
    n_pieces = pieces_cap = n_msgs = msgs_cap = n_summaries = summaries_cap = 0;
    memset(last_summary, 0, sizeof last_summary);
}

#define GROW(arr, n, cap, first)                                                                   \
    do {                                                                                           \
        if ((n) >= (cap)) {                                                                        \
            (cap) = (cap) ? (cap) * 2 : (first);                                                   \
            (arr) = g_renew(__typeof__(*(arr)), (arr), (cap));                                     \
        }                                                                                          \
    } while (0)

/* The id of this summary text. Most messages repeat the previous one of
 * their kind ("200 OK", a page fetched again), which a compare finds
 * before any hashing. */
static guint32 summary_id(guint8 kind, const char *text)
{
    guint32 last = last_summary[kind & 1];
    if (last && strcmp(summaries[last], text) == 0)
        return last;
    if (!summary_ids) {
        summary_ids = g_hash_table_new(g_str_hash, g_str_equal);
        GROW(summaries, n_summaries, summaries_cap, 64);
        summaries[n_summaries++] = NULL;
    }
    gpointer id = g_hash_table_lookup(summary_ids, text);
    if (!id) {
        GROW(summaries, n_summaries, summaries_cap, 64);
        char *copy = tlp_arena_strdup(text);
        summaries[n_summaries] = copy;
        id = GUINT_TO_POINTER(n_summaries++);
        g_hash_table_insert(summary_ids, copy, id);
    }
    last_summary[kind & 1] = GPOINTER_TO_UINT(id);
    return last_summary[kind & 1];
}

/* The first piece of the frame, or of the first frame after it. */
static guint32 first_piece(guint32 frame_num)
{
    guint32 lo = 0, hi = n_pieces;
    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (pieces[mid].frame < frame_num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

gboolean tlp_http_frame_get(guint32 frame_num, tlp_http_frame *out)
{
    guint32 i = first_piece(frame_num), n = 0;
    while (i + n < n_pieces && pieces[i + n].frame == frame_num)
        n++;
    if (!n)
        return FALSE;
    out->app = pieces[i].bits & TLP_APP_MASK;
    out->n = (pieces[i].bits & TLP_PIECE_NONE) ? 0 : (guint8)n;
    out->piece = &pieces[i];
    return TRUE;
}

static guint32 new_msg(guint32 exchange)
{
    if (!n_msgs)
        n_msgs = 1;
    GROW(msgs, n_msgs, msgs_cap, 256);
    memset(&msgs[n_msgs], 0, sizeof msgs[0]);
    msgs[n_msgs].exchange = exchange;
    return n_msgs++;
}

static void remember(tlp_http_conn *h, guint8 kind, guint32 handle)
{
    guint k = kind & 1;
    h->recent[k][h->next[k]] = handle;
    h->next[k] = (guint8)((h->next[k] + 1) % TLP_HTTP_RECENT);
}

/* The whole message (kind, exchange) that frame carries, made a record
 * that later pieces can share (its ring slot now names the record); 0 when
 * the frame carries no such message. */
static guint32 promote(tlp_http_conn *h, guint k, guint slot, guint32 frame, guint8 kind,
                       guint32 exchange)
{
    guint32 first = first_piece(frame), end = first;
    while (end < n_pieces && pieces[end].frame == frame)
        end++;
    /* The latest: an interim 100 Continue and the final response of one
     * exchange can share a segment. */
    for (guint32 i = end; i-- > first;) {
        const tlp_http_piece *pc = &pieces[i];
        if ((pc->bits & TLP_PIECE_WHOLE) && tlp_http_piece_kind(pc) == kind &&
            pc->msg == exchange) {
            guint32 summary = pc->part;
            guint32 m = new_msg(exchange);
            msgs[m].summary = summary;
            msgs[m].pdu_frame = frame;
            msgs[m].parts = 1;
            h->recent[k][slot] = m;
            return m;
        }
    }
    return 0;
}

/* The message record for (exchange, kind): a piece that starts a message
 * starts a new record (an interim 100 Continue and the final 200 OK share
 * an exchange), later pieces continue the latest one. The core reports
 * pieces of the last few messages of a direction only (repeated bytes
 * included), so the recent ones are enough. */
static guint32 message(tlp_http_conn *h, guint32 exchange, guint8 kind, gboolean starts)
{
    guint k = kind & 1;
    for (guint n = 0; !starts && n < TLP_HTTP_RECENT; n++) {
        guint slot = (h->next[k] + TLP_HTTP_RECENT - 1 - n) % TLP_HTTP_RECENT;
        guint32 handle = h->recent[k][slot];
        if (!handle)
            break;
        if (handle & HANDLE_WHOLE) {
            guint32 m = promote(h, k, slot, handle & ~HANDLE_WHOLE, kind, exchange);
            if (m)
                return m;
        } else if (msgs[handle].exchange == exchange) {
            return handle;
        }
    }
    guint32 m = new_msg(exchange);
    remember(h, kind, m);
    return m;
}

/* Carried whole by this segment: nothing later can add to it. */
static gboolean whole(const tl_http_piece *pc)
{
    enum { ALL = TL_HTTP_P_START | TL_HTTP_P_HEADERS_END | TL_HTTP_P_END | TL_HTTP_P_SUMMARY };
    return (pc->flags & (ALL | TL_HTTP_P_REPEAT)) == ALL && pc->part == 1;
}

void tlp_http_first_pass(tlp_conn *conn, const tlp_packet *p, const tl_result *r)
{
    const tl_segment *s = &p->seg;
    int from_client = r->sender == TL_CLIENT;

    if (s->len > 0 && !(s->flags & TL_TH_RST)) {
        if (!conn->http) {
            conn->http = tlp_arena_alloc(sizeof *conn->http);
            tl_http_init(&conn->http->core);
        }
        tlp_http_conn *h = conn->http;
        /* Data on a SYN (TCP Fast Open) starts after the SYN's number. */
        guint32 seq = s->seq + ((s->flags & TL_TH_SYN) ? 1u : 0u);
        tl_http_result res;
        tl_http_segment(&h->core, from_client, seq, p->payload, s->len, p->captured, &res);
        if (res.app != TL_APP_NONE) {
            /* Only a first pass out of frame order would need the move. */
            guint32 at = n_pieces;
            while (at > 0 && pieces[at - 1].frame > s->frame)
                at--;
            /* No message (TLS, WebSocket, bytes out of sync): a marker
             * piece keeps what the payload is. */
            for (guint i = 0; i < MAX(res.n, 1u); i++) {
                const tl_http_piece *pc = &res.piece[i];
                tlp_http_piece out = {s->frame, 0, 0, 0, (guint8)res.app};
                if (res.n) {
                    out.flags = (guint8)pc->flags;
                    if (pc->kind == TL_HTTP_RESPONSE)
                        out.bits |= TLP_PIECE_RESPONSE;
                } else {
                    out.bits |= TLP_PIECE_NONE;
                }
                guint32 sid = res.n && whole(pc) && s->frame < HANDLE_WHOLE
                                  ? summary_id(pc->kind, pc->summary) : 0;
                if (sid && sid < TLP_PART_FAR) {
                    out.msg = pc->exchange;
                    out.part = (guint16)sid;
                    out.bits |= TLP_PIECE_WHOLE;
                    remember(h, pc->kind, HANDLE_WHOLE | s->frame);
                } else if (res.n) {
                    gboolean starts =
                        (pc->flags & TL_HTTP_P_START) && !(pc->flags & TL_HTTP_P_REPEAT);
                    guint32 mi = message(h, pc->exchange, pc->kind, starts);
                    tlp_http_msg *m = &msgs[mi];
                    if ((pc->flags & TL_HTTP_P_SUMMARY) && !m->summary)
                        m->summary = summary_id(pc->kind, pc->summary);
                    if ((pc->flags & TL_HTTP_P_HEADERS_END) && !m->pdu_frame)
                        m->pdu_frame = s->frame;
                    /* A repeated piece has part 0: the count stays the original's. */
                    if ((pc->flags & TL_HTTP_P_END) && pc->part)
                        m->parts = pc->part;
                    out.msg = mi;
                    out.part = (guint16)MIN(pc->part, TLP_PART_FAR);
                    if (pc->part >= TLP_PART_FAR)
                        tlp_store_side_put(TLP_SIDE_HTTP_PART, s->frame, pc->part);
                    out.bits |= (guint8)((m->summary ? TLP_THEN_SUMMARY : 0) |
                                         (m->pdu_frame ? TLP_THEN_PDU_FRAME : 0));
                }
                GROW(pieces, n_pieces, pieces_cap, 1024);
                if (at < n_pieces) /* out of frame order */
                    memmove(&pieces[at + 1], &pieces[at], (n_pieces - at) * sizeof pieces[0]);
                pieces[at++] = out;
                n_pieces++;
            }
        }
    }
    if ((s->flags & TL_TH_FIN) && conn->http) {
        tl_http_piece ended;
        if (tl_http_fin(&conn->http->core, from_client, &ended) != TL_HTTP_FIN_NONE) {
            guint32 mi = message(conn->http, ended.exchange, ended.kind, FALSE); /* may move msgs */
            msgs[mi].parts = ended.part;
        }
    }
    if (conn->http)
        conn->http_exchanges = tl_http_exchanges(&conn->http->core);
}

guint32 tlp_http_piece_exchange(const tlp_http_piece *pc)
{
    return (pc->bits & TLP_PIECE_WHOLE) ? pc->msg : msgs[pc->msg].exchange;
}

guint32 tlp_http_piece_part(const tlp_http_piece *pc)
{
    if (pc->bits & TLP_PIECE_WHOLE)
        return 1;
    return pc->part != TLP_PART_FAR ? pc->part : tlp_store_side(TLP_SIDE_HTTP_PART, pc->frame);
}

const char *tlp_http_piece_summary(const tlp_http_piece *pc, gboolean revisit)
{
    guint32 id = (pc->bits & TLP_PIECE_WHOLE) ? pc->part
                 : revisit || (pc->bits & TLP_THEN_SUMMARY) ? msgs[pc->msg].summary
                                                             : 0;
    return id ? summaries[id] : NULL;
}

guint32 tlp_http_piece_pdu_frame(const tlp_http_piece *pc, gboolean revisit)
{
    if (pc->bits & TLP_PIECE_WHOLE)
        return pc->frame;
    return revisit || (pc->bits & TLP_THEN_PDU_FRAME) ? msgs[pc->msg].pdu_frame : 0;
}

guint32 tlp_http_piece_parts(const tlp_http_piece *pc)
{
    return (pc->bits & TLP_PIECE_WHOLE) ? 1 : msgs[pc->msg].parts;
}
