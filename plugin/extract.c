/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a segment out of a dissected packet, on the first pass only.
 *
 * Nothing is asked of the protocol tree. A post-dissector that wants even
 * one field makes TShark build a tree for every packet (measured with
 * callgrind: +16,000 instructions a packet, +40%, for `-q -z
 * tcplife,conns`, which otherwise needs no tree at all). TCP leaves its
 * ports and the innermost IP addresses in pinfo and its connection index
 * in its conversation data; the header itself is found in the frame: the
 * IP header between pinfo's addresses that carries protocol 6, followed by
 * a TCP header with pinfo's ports. Ports, seq, ack, flags and window are
 * read from the header bytes (raw, whatever TCP's preferences say), the
 * segment's length from that IP header.
 */
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/proto.h>

#include "compat.h"
#include "tcplife-plugin.h"

static int proto_tcp = -1, proto_icmp = -1, proto_icmpv6 = -1;

void tlp_extract_register_fields(void)
{
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}

/* Network byte order (wsutil's pntoh16 became pntohu16 in 4.6). */
static inline guint16 be16(const guint8 *p)
{
    return (guint16)(p[0] << 8 | p[1]);
}

static inline guint32 be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* TCP dissected this frame, and not as a header quoted inside an ICMP
 * error (that is the peer's report about a segment, not a segment). */
static gboolean tcp_dissected(packet_info *pinfo)
{
    wmem_list_frame_t *it;
    for (it = wmem_list_head(pinfo->layers); it; it = wmem_list_frame_next(it)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(it));
        if (proto == proto_tcp)
            return TRUE;
        if (proto == proto_icmp || proto == proto_icmpv6)
            return FALSE;
    }
    return FALSE;
}

/* Where the TCP header is: its bytes, read directly (a tvb accessor call
 * per field costs more than the rest of the extraction). */
typedef struct tcp_at {
    tvbuff_t *t;
    int off;
    const guint8 *h; /* header bytes */
    int cap;         /* bytes captured from h on */
    guint seglen;      /* header + data, from IP */
    gboolean have_len; /* FALSE: IP says nothing (TSO, jumbogram): TCP's own rule */
} tcp_at;

enum { NOT_HERE, FOUND, FRAGMENTED };

static gboolean ports_at(const guint8 *p, int n, int o, packet_info *pinfo)
{
    return o + 4 <= n && (guint)(p[o] << 8 | p[o + 1]) == pinfo->srcport &&
           (guint)(p[o + 2] << 8 | p[o + 3]) == pinfo->destport;
}

static int ipv4_at(const guint8 *p, int n, int i, packet_info *pinfo, tcp_at *at)
{
    if ((p[i] & 0xF0) != 0x40 || (p[i] & 0x0F) < 5 || i + 20 > n || p[i + 9] != 6 ||
        memcmp(p + i + 12, pinfo->src.data, 4) != 0 || memcmp(p + i + 16, pinfo->dst.data, 4) != 0)
        return NOT_HERE;
    guint ihl = (guint)(p[i] & 0x0F) * 4;
    if ((p[i + 6] << 8 | p[i + 7]) & 0x3FFF) /* more fragments, or not the first */
        return FRAGMENTED;
    if (!ports_at(p, n, i + (int)ihl, pinfo))
        return NOT_HERE;
    guint total = (guint)(p[i + 2] << 8 | p[i + 3]);
    at->off = i + (int)ihl;
    at->have_len = total != 0;
    at->seglen = total > ihl ? total - ihl : 0;
    return FOUND;
}

static int ipv6_at(const guint8 *p, int n, int i, packet_info *pinfo, tcp_at *at)
{
    if ((p[i] >> 4) != 6 || i + 40 > n || memcmp(p + i + 8, pinfo->src.data, 16) != 0 ||
        memcmp(p + i + 24, pinfo->dst.data, 16) != 0)
        return NOT_HERE;
    /* Extension headers (a bounded number) between IPv6 and TCP. */
    guint8 nh = p[i + 6];
    int h = i + 40;
    for (int k = 0; k < 8 && nh != 6; k++) {
        if (h + 2 > n)
            return NOT_HERE;
        int size;
        switch (nh) {
        case 0: case 43: case 60: case 135: case 139: case 140: /* hop, routing, dest, mobility, HIP, shim6 */
            size = (p[h + 1] + 1) * 8;
            break;
        case 44:
            return FRAGMENTED;
        case 51: /* AH: length in 4-byte words, minus 2 */
            size = (p[h + 1] + 2) * 4;
            break;
        default:
            return NOT_HERE;
        }
        nh = p[h];
        h += size;
    }
    if (nh != 6 || !ports_at(p, n, h, pinfo))
        return NOT_HERE;
    guint plen = (guint)(p[i + 4] << 8 | p[i + 5]), ext = (guint)(h - i - 40);
    at->off = h;
    at->have_len = plen != 0;
    at->seglen = plen > ext ? plen - ext : 0;
    return FOUND;
}

/* A fragmented datagram's TCP header starts the data source IP reassembly
 * added (its bytes are the datagram's payload). */
static gboolean in_reassembled(packet_info *pinfo, tvbuff_t *frame, tcp_at *at)
{
    for (GSList *l = pinfo->data_src; l; l = l->next) {
        tvbuff_t *t = get_data_source_tvb((struct data_source *)l->data);
        if (!t || t == frame || tvb_captured_length(t) < 4)
            continue;
        if ((guint)tvb_get_ntohs(t, 0) == pinfo->srcport &&
            (guint)tvb_get_ntohs(t, 2) == pinfo->destport) {
            at->t = t;
            at->off = 0;
            at->cap = (int)tvb_captured_length(t);
            at->h = tvb_get_ptr(t, 0, at->cap);
            at->seglen = tvb_reported_length(t);
            at->have_len = TRUE;
            return TRUE;
        }
    }
    return FALSE;
}

static int ip_hint[2]; /* offset of the last IPv4 and IPv6 header found */

/* hint_only: look where the last header was, nowhere else. */
static gboolean find_tcp(packet_info *pinfo, tvbuff_t *frame, tcp_at *at, gboolean hint_only)
{
    gboolean v4 = pinfo->src.type == AT_IPv4 && pinfo->dst.type == AT_IPv4;
    gboolean v6 = pinfo->src.type == AT_IPv6 && pinfo->dst.type == AT_IPv6;
    int n = (int)tvb_captured_length(frame);
    if (!(v4 || v6) || n < 24)
        return FALSE;
    const guint8 *p = tvb_get_ptr(frame, 0, n);
    gboolean fragmented = FALSE;
    /* Where the last one was (a capture's link layer rarely changes), then
     * every place in order. */
    int hint = ip_hint[v6];
    for (int k = -1; k < (hint_only ? 0 : n - 19); k++) {
        int i = k < 0 ? hint : k;
        if ((k >= 0 && i == hint) || i + 20 > n)
            continue;
        int r = v4 ? ipv4_at(p, n, i, pinfo, at) : ipv6_at(p, n, i, pinfo, at);
        if (r == FOUND) {
            ip_hint[v6] = i;
            at->t = frame;
            at->h = p + at->off;
            at->cap = n - at->off;
            return TRUE;
        }
        fragmented |= r == FRAGMENTED;
    }
    return !hint_only && fragmented && in_reassembled(pinfo, frame, at);
}

/* tcp.stream by connection, remembered: TCP's conversation lookup costs
 * more than the rest of the extraction. Wireshark gives two endpoints a new
 * stream only at a segment with SYN (port reuse; from 4.4 also a SYN+ACK
 * after a RST or FIN), so such a segment asks TCP again (but see
 * answers_cached_syn), and the answer is kept for both directions: the key
 * is the endpoint pair in a fixed order. */
#define CACHE_SIZE 4096
typedef struct cached_stream {
    guint32 stream_plus1; /* 0: empty */
    guint16 port[2];      /* lower endpoint first */
    guint8 len;           /* address length */
    guint8 addr[32];      /* lower endpoint's address, then the other's */
} cached_stream;
static cached_stream *cache;

void tlp_extract_reset(void)
{
    ip_hint[0] = ip_hint[1] = 0;
    g_free(cache);
    cache = NULL;
}

/* The slot for an endpoint pair. Inlined for each address length, so that
 * the compares, copies and hash loop work on a known size. */
static inline __attribute__((always_inline)) cached_stream *
slot_for(const guint8 *a, const guint8 *b, guint16 sport, guint16 dport, int alen,
         gboolean *hit)
{
    int order = alen == 4 ? (be32(a) > be32(b)) - (be32(a) < be32(b)) : memcmp(a, b, (size_t)alen);
    if (order > 0 || (order == 0 && sport > dport)) {
        const guint8 *t = a;
        a = b;
        b = t;
        guint16 p = sport;
        sport = dport;
        dport = p;
    }
    /* Multiplicative hash, 4 bytes of each address at a time. */
    guint32 h = ((guint32)sport << 16 | dport) * 0x9E3779B1u;
    for (int i = 0; i < alen; i += 4) {
        guint32 wa, wb;
        memcpy(&wa, a + i, 4);
        memcpy(&wb, b + i, 4);
        h = (h ^ wa) * 0x85EBCA77u ^ wb;
        h *= 0xC2B2AE3Du;
    }
    cached_stream *c = &cache[(h ^ (h >> 16)) & (CACHE_SIZE - 1)];
    *hit = c->stream_plus1 && c->port[0] == sport && c->port[1] == dport && c->len == alen &&
           memcmp(c->addr, a, (size_t)alen) == 0 && memcmp(c->addr + alen, b, (size_t)alen) == 0;
    if (!*hit) {
        c->stream_plus1 = 0;
        c->port[0] = sport;
        c->port[1] = dport;
        c->len = (guint8)alen;
        memcpy(c->addr, a, (size_t)alen);
        memcpy(c->addr + alen, b, (size_t)alen);
    }
    return c;
}

static cached_stream *cache_slot(packet_info *pinfo, guint16 sport, guint16 dport,
                                 gboolean *hit)
{
    *hit = FALSE;
    int alen = pinfo->src.len;
    if (alen != pinfo->dst.len || (alen != 4 && alen != 16) ||
        (pinfo->src.type != AT_IPv4 && pinfo->src.type != AT_IPv6))
        return NULL;
    if (!cache)
        cache = g_new0(cached_stream, CACHE_SIZE);
    const guint8 *a = pinfo->src.data, *b = pinfo->dst.data;
    return alen == 4 ? slot_for(a, b, sport, dport, 4, hit) : slot_for(a, b, sport, dport, 16, hit);
}

/* A SYN+ACK answering the SYN that last started this stream, the first
 * SYN+ACK and nothing closed yet: TCP keeps it in that stream (4.4 starts
 * a new one at a SYN+ACK only after a FIN or RST), so the cached answer
 * stands and TCP need not be asked twice per connection. */
static gboolean answers_cached_syn(guint32 stream, guint8 flags)
{
    if ((flags & (TL_TH_SYN | TL_TH_ACK | TL_TH_FIN | TL_TH_RST)) != (TL_TH_SYN | TL_TH_ACK))
        return FALSE;
    const tlp_conn *conn = tlp_store_conn(stream, FALSE);
    if (!conn)
        return FALSE;
    const tl_endpoint *e = conn->core.ep;
    return (e[0].syn_frame || e[1].syn_frame) && !e[0].synack_frame && !e[1].synack_frame &&
           !e[0].fin_frame && !e[1].fin_frame && !e[0].rst_frame && !e[1].rst_frame;
}

static gboolean stream_of(packet_info *pinfo, const tcp_at *at, guint32 *stream)
{
    gboolean hit = FALSE;
    cached_stream *c = NULL;
    if (at->cap >= 14) {
        guint8 flags = at->h[13];
        c = cache_slot(pinfo, (guint16)pinfo->srcport, (guint16)pinfo->destport, &hit);
        if (hit && (!(flags & TL_TH_SYN) || answers_cached_syn(c->stream_plus1 - 1, flags))) {
            *stream = c->stream_plus1 - 1;
            return TRUE;
        }
    }
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    struct tcp_analysis *ta = conv ? conversation_get_proto_data(conv, proto_tcp) : NULL;
    if (!ta)
        return FALSE;
    *stream = ta->stream;
    if (c)
        c->stream_plus1 = ta->stream + 1;
    return TRUE;
}

/* Microseconds since the epoch, clamped to +-2^62 (146,000 years) so that
 * neither this nor a difference of two such times can overflow on a
 * corrupt or far-future timestamp. */
static gint64 time_us(const nstime_t *ts)
{
    const gint64 max_s = ((gint64)1 << 62) / 1000000 - 1;
    gint64 s = ts->secs > max_s ? max_s : ts->secs < -max_s ? -max_s : (gint64)ts->secs;
    return s * 1000000 + ts->nsecs / 1000;
}

gboolean tlp_extract(tvbuff_t *frame, packet_info *pinfo, tlp_packet *out)
{
    /* Most segments: TCP was the last to set the ports and the header is
     * where the last one was. A header found anywhere else is taken only
     * if TCP dissected the frame, and not inside an ICMP error. */
    tcp_at at;
    gboolean found = pinfo->ptype == PT_TCP && find_tcp(pinfo, frame, &at, TRUE);
    if (!found) {
        if (!tcp_dissected(pinfo))
            return FALSE;
        found = find_tcp(pinfo, frame, &at, FALSE);
    }

    memset(out, 0, sizeof *out);
    if (!found || !stream_of(pinfo, &at, &out->stream)) {
        /* TCP stopped before it could name the connection (header cut). */
        out->stream = TLP_NO_STREAM;
        out->truncated = TRUE;
        return TRUE;
    }
    const guint8 *h = at.h;
    /* The fixed header up to the window: 16 bytes (RFC 9293 §3.1), and a
     * data offset that says where data starts: at least 5 words, within
     * the segment (TCP itself stops at a bogus one). */
    if (at.cap < 16) {
        out->truncated = TRUE;
        return TRUE;
    }
    guint hlen = (guint)(h[12] >> 4) * 4, seglen = at.seglen;
    if (!at.have_len) {
        /* As TCP does: the frame's remaining bytes. */
        int rest = tvb_reported_length_remaining(at.t, at.off);
        seglen = rest > 0 ? (guint)rest : 0;
    }
    if (hlen < 20 || hlen > seglen) {
        out->truncated = TRUE;
        return TRUE;
    }

    tl_segment *s = &out->seg;
    s->frame = pinfo->num;
    s->sport = be16(h);
    s->dport = be16(h + 2);
    s->seq = be32(h + 4);
    s->ack = be32(h + 8);
    s->flags = h[13];
    s->win = be16(h + 14);
    s->time_us = time_us(&pinfo->abs_ts);

    s->len = seglen - hlen;
    int avail = at.cap - (int)hlen;
    out->captured = avail > 0 ? MIN((guint32)avail, s->len) : 0;
    out->payload = out->captured ? h + hlen : NULL;
    return TRUE;
}
