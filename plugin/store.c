/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-capture memory: one tlp_frame per frame number (10 bytes a frame,
 * in chunks of 4,096 allocated as the capture reaches them, so memory
 * follows the frame count instead of doubling past it; no hashing on the
 * hot path) and one tlp_conn per tcp.stream (dense indices, so an array
 * of pointers; the records in the arena). Both live from the file's first
 * dissection to its close (init and cleanup routines). The lookups are
 * inline in tcplife-plugin.h; here is what allocates.
 */
#include <epan/to_str.h>
#include <wsutil/inet_addr.h>

#include "tcplife-plugin.h"

tlp_frame **tlp_chunks;
guint32 *tlp_chunk_base; /* stream of the chunk's first annotated frame; G_MAXUINT32: none yet */
guint32 tlp_chunks_cap;
tlp_conn **tlp_conns;
guint32 tlp_conns_cap;

/* Side tables: (frame, value) in frame order, which the first pass reads
 * in; revisits search. Retransmitted SYN/FIN/RST, anomalies, jumbo
 * payloads and streams far from their neighbours are a small part of any
 * capture, so not worth space in every frame's record. */
typedef struct side_entry {
    guint32 frame, value;
} side_entry;
typedef struct side_table {
    side_entry *e;
    guint32 n, cap;
} side_table;
static side_table sides[TLP_SIDES];

void tlp_store_side_put(tlp_side side, guint32 frame_num, guint32 value)
{
    side_table *t = &sides[side];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->e = g_renew(side_entry, t->e, t->cap);
    }
    guint32 i = t->n++;
    for (; i > 0 && t->e[i - 1].frame >= frame_num; i--) /* only if out of order */
        t->e[i] = t->e[i - 1];
    t->e[i].frame = frame_num;
    t->e[i].value = value;
}

guint32 tlp_store_side(tlp_side side, guint32 frame_num)
{
    const side_table *t = &sides[side];
    guint32 lo = 0, hi = t->n;
    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (t->e[mid].frame < frame_num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && t->e[lo].frame == frame_num ? t->e[lo].value : 0;
}

void tlp_store_init(void)
{
    tlp_http_reset();
    tlp_extract_reset();
    tlp_chunks = NULL;
    tlp_chunk_base = NULL;
    tlp_chunks_cap = 0;
    tlp_conns = NULL;
    tlp_conns_cap = 0;
    memset(sides, 0, sizeof sides);
}

void tlp_store_cleanup(void)
{
    g_free(tlp_conns);
    tlp_arena_free_all(); /* the connections, their HTTP records and text */
    for (guint32 i = 0; i < tlp_chunks_cap; i++)
        g_free(tlp_chunks[i]);
    g_free(tlp_chunks);
    g_free(tlp_chunk_base);
    for (int i = 0; i < TLP_SIDES; i++)
        g_free(sides[i].e);
    tlp_store_init();
}

static guint32 grown(guint32 cap, guint32 need)
{
    guint32 n = cap ? cap : 1024;
    while (n <= need && n < G_MAXUINT32 / 2)
        n *= 2;
    return n > need ? n : need + 1;
}

tlp_frame *tlp_store_frame_slow(guint32 frame_num, gboolean create)
{
    guint32 c = frame_num >> TLP_CHUNK_BITS;
    if (c >= tlp_chunks_cap || !tlp_chunks[c]) {
        if (!create)
            return NULL;
        if (c >= tlp_chunks_cap) {
            guint32 n = grown(tlp_chunks_cap, c);
            tlp_chunks = g_renew(tlp_frame *, tlp_chunks, n);
            tlp_chunk_base = g_renew(guint32, tlp_chunk_base, n);
            memset(tlp_chunks + tlp_chunks_cap, 0, (n - tlp_chunks_cap) * sizeof *tlp_chunks);
            memset(tlp_chunk_base + tlp_chunks_cap, 0xff,
                   (n - tlp_chunks_cap) * sizeof *tlp_chunk_base);
            tlp_chunks_cap = n;
        }
        tlp_chunks[c] = g_new0(tlp_frame, TLP_CHUNK);
    }
    tlp_frame *f = &tlp_chunks[c][frame_num & (TLP_CHUNK - 1)];
    return (create || (f->roles & TLP_FR_ANNOTATED)) ? f : NULL;
}

G_STATIC_ASSERT(TL_STATE_COUNT <= 16 && TL_PHASE_COUNT <= 8 && TL_ROLE_COUNT <= 2);
G_STATIC_ASSERT(sizeof(tlp_frame) == 10);

/* Streams within +-32,767 of the chunk's first one are stored as the
 * difference: tcp.stream numbers follow the capture, so a chunk's
 * connections are mostly close together. */
static void set_stream(tlp_frame *f, guint32 frame_num, guint32 stream)
{
    guint32 *base = &tlp_chunk_base[frame_num >> TLP_CHUNK_BITS];
    if (*base == G_MAXUINT32 && stream != TLP_NO_STREAM)
        *base = stream;
    gint64 delta = (gint64)stream - (gint64)*base;
    if (stream != TLP_NO_STREAM && delta > G_MININT16 && delta <= G_MAXINT16) {
        f->stream_delta = (gint16)delta;
    } else {
        f->stream_delta = TLP_FR_FAR;
        tlp_store_side_put(TLP_SIDE_STREAM, frame_num, stream);
    }
    f->roles |= TLP_FR_ANNOTATED;
}

void tlp_frame_pack(tlp_frame *f, guint32 frame_num, guint32 stream, const tl_result *r)
{
    f->flags = r->flags;
    f->states = (guint16)((r->state_before[0] & 0xf) | (r->state_before[1] & 0xf) << 4 |
                          (r->state_after[0] & 0xf) << 8 | (r->state_after[1] & 0xf) << 12);
    f->roles = (guint8)((r->sender & TLP_FR_SENDER) | (r->phase & 7) << TLP_FR_PHASE_SHIFT |
                        (r->hs_step & 3) << TLP_FR_HS_SHIFT);
    f->extra = r->td_mask & TLP_FX_TD_MASK;
    if (r->data_len < TLP_FR_LONG) {
        f->data_len = (guint16)r->data_len;
    } else {
        f->data_len = TLP_FR_LONG;
        tlp_store_side_put(TLP_SIDE_LEN, frame_num, r->data_len);
    }
    guint16 anomalies = r->anomalies & (guint16)~TL_A_UNREADABLE;
    if (anomalies) {
        f->extra |= TLP_FX_ANOMALIES;
        tlp_store_side_put(TLP_SIDE_ANOMALIES, frame_num, anomalies);
    }
    if (r->retrans_of) {
        f->roles |= TLP_FR_RETRANS;
        tlp_store_side_put(TLP_SIDE_RETRANS, frame_num, r->retrans_of);
    }
    set_stream(f, frame_num, stream);
}

void tlp_frame_mark_unreadable(tlp_frame *f, guint32 frame_num, guint32 stream)
{
    f->extra = TLP_FX_UNREADABLE;
    set_stream(f, frame_num, stream);
}

tlp_conn *tlp_store_conn_slow(guint32 stream, gboolean create)
{
    if (stream >= tlp_conns_cap) {
        if (!create)
            return NULL;
        guint32 n = grown(tlp_conns_cap, stream);
        tlp_conns = g_renew(tlp_conn *, tlp_conns, n);
        memset(tlp_conns + tlp_conns_cap, 0, (n - tlp_conns_cap) * sizeof *tlp_conns);
        tlp_conns_cap = n;
    }
    if (!tlp_conns[stream] && create) {
        tlp_conns[stream] = tlp_arena_alloc(sizeof(tlp_conn));
        tl_conn_init(&tlp_conns[stream]->core);
        tl_zeek_init(&tlp_conns[stream]->zeek);
    }
    return tlp_conns[stream];
}

const char *tlp_conn_endpoint(const tlp_conn *conn, tl_role role)
{
    guint d = (role == TL_CLIENT ? conn->core.client_dir : !conn->core.client_dir) & 1;
    if (!conn->dir_str[d]) {
        /* Formatting costs more than the rest of a segment's first pass:
         * done for the connections somebody looks at. The text is a cache
         * of the addresses, so a const connection may fill it. */
        address a;
        set_address(&a, conn->ipv6 ? AT_IPv6 : AT_IPv4, conn->ipv6 ? 16 : 4, conn->ip[d]);
        char text[WS_INET6_ADDRSTRLEN + 10], *p = text;
        if (conn->ipv6)
            *p++ = '[';
        address_to_str_buf(&a, p, WS_INET6_ADDRSTRLEN);
        p += strlen(p);
        if (conn->ipv6)
            *p++ = ']';
        *p++ = ':';
        p = tlp_put_decimal(p, conn->port[d]);
        *p = '\0';
        ((tlp_conn *)conn)->dir_str[d] = tlp_arena_strdup(text);
    }
    return conn->dir_str[d];
}
