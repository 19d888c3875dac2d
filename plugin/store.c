/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-capture memory: one tlp_frame per frame number (16 bytes a frame,
 * in chunks of 65,536 allocated as the capture reaches them, so memory
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
guint32 tlp_chunks_cap;
tlp_conn **tlp_conns;
guint32 tlp_conns_cap;

/* Frames that repeat a SYN, SYN+ACK, FIN or RST, in frame order, with the
 * frame they repeat: a few per connection at most, so not worth four
 * bytes in every frame's record. */
typedef struct retrans_entry {
    guint32 frame, of;
} retrans_entry;
static retrans_entry *retrans;
static guint32 n_retrans, retrans_cap;

void tlp_store_init(void)
{
    tlp_http_reset();
    tlp_extract_reset();
    tlp_chunks = NULL;
    tlp_chunks_cap = 0;
    tlp_conns = NULL;
    tlp_conns_cap = 0;
    retrans = NULL;
    n_retrans = retrans_cap = 0;
}

void tlp_store_cleanup(void)
{
    g_free(tlp_conns);
    tlp_arena_free_all(); /* the connections, their HTTP records and text */
    for (guint32 i = 0; i < tlp_chunks_cap; i++)
        g_free(tlp_chunks[i]);
    g_free(tlp_chunks);
    g_free(retrans);
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
            memset(tlp_chunks + tlp_chunks_cap, 0, (n - tlp_chunks_cap) * sizeof *tlp_chunks);
            tlp_chunks_cap = n;
        }
        tlp_chunks[c] = g_new0(tlp_frame, TLP_CHUNK);
    }
    tlp_frame *f = &tlp_chunks[c][frame_num & (TLP_CHUNK - 1)];
    return (create || f->stream_plus1) ? f : NULL;
}

G_STATIC_ASSERT(TL_STATE_COUNT <= 16 && TL_PHASE_COUNT <= 8 && TL_ROLE_COUNT <= 2);
G_STATIC_ASSERT(sizeof(tlp_frame) == 16);

void tlp_frame_pack(tlp_frame *f, guint32 frame_num, const tl_result *r)
{
    f->data_len = r->data_len;
    f->flags = r->flags;
    f->anomalies = r->anomalies;
    f->states = (guint16)((r->state_before[0] & 0xf) | (r->state_before[1] & 0xf) << 4 |
                          (r->state_after[0] & 0xf) << 8 | (r->state_after[1] & 0xf) << 12);
    f->roles = (guint8)((r->sender & TLP_FR_SENDER) | (r->phase & 7) << TLP_FR_PHASE_SHIFT |
                        (r->hs_step & 3) << TLP_FR_HS_SHIFT);
    f->td_mask = r->td_mask;
    if (!r->retrans_of)
        return;
    f->roles |= TLP_FR_RETRANS;
    if (n_retrans == retrans_cap) {
        retrans_cap = retrans_cap ? retrans_cap * 2 : 64;
        retrans = g_renew(retrans_entry, retrans, retrans_cap);
    }
    guint32 i = n_retrans++;
    for (; i > 0 && retrans[i - 1].frame > frame_num; i--) /* the first pass is in order */
        retrans[i] = retrans[i - 1];
    retrans[i].frame = frame_num;
    retrans[i].of = r->retrans_of;
}

guint32 tlp_store_retrans_of(guint32 frame_num)
{
    guint32 lo = 0, hi = n_retrans;
    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (retrans[mid].frame < frame_num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_retrans && retrans[lo].frame == frame_num ? retrans[lo].of : 0;
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
