/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a segment out of a dissected packet, on the first pass only.
 *
 * Every field a post-dissector asks Wireshark to keep costs per-packet
 * bookkeeping (measured: about a thousand instructions a field, a third of
 * what tshark spends on a packet's whole TCP layer), so we ask for one: the
 * `tcp` protocol item, which says where the TCP header lies in its data
 * source. Ports, seq, ack, flags and window are read from the header bytes
 * (always raw, whatever the TCP preferences say); the connection index is
 * the one TCP keeps in its conversation data (tcp.stream, with Wireshark's
 * port-reuse rules); the payload length comes from the IP header right
 * before the TCP header, identified by its protocol and addresses.
 */
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/proto.h>

#include "compat.h"
#include "tcplife-plugin.h"

static int hf_tcp = -1;
static int proto_icmp = -1, proto_icmpv6 = -1;

void tlp_extract_register_fields(void)
{
    hf_tcp = proto_get_id_by_filter_name("tcp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}

GArray *tlp_extract_wanted_hfids(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), 1);
    g_array_append_val(wanted, hf_tcp);
    return wanted;
}

static field_info *first_finfo(proto_tree *tree, int hf)
{
    GPtrArray *a = proto_get_finfo_ptr_array(tree, hf);
    return (a && a->len > 0) ? (field_info *)g_ptr_array_index(a, 0) : NULL;
}

/* A TCP header quoted inside an ICMP error is not a segment of the
 * connection: it is the peer's report about one. */
static gboolean tcp_is_quoted(packet_info *pinfo)
{
    wmem_list_frame_t *it;
    for (it = wmem_list_head(pinfo->layers); it; it = wmem_list_frame_next(it)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(it));
        if (proto == hf_tcp)
            return FALSE;
        if (proto == proto_icmp || proto == proto_icmpv6)
            return TRUE;
    }
    return FALSE;
}

/* Extension headers are rarely more than a few; a bound keeps a corrupt
 * frame from costing more than a few dozen probes. */
#define MAX_V6_EXT 256

/* Whether the IPv6 next-header chain starting with the byte at nh_at and
 * the first header at h ends with TCP (6) exactly at offset o. */
static gboolean v6_chain_reaches(tvbuff_t *t, int nh_at, int h, int o)
{
    guint8 nh = tvb_get_uint8(t, nh_at);
    while (h < o) {
        int size;
        switch (nh) {
        case 0: case 43: case 60: case 135: case 139: case 140: /* hop, routing, dest, mobility, HIP, shim6 */
            size = (tvb_get_uint8(t, h + 1) + 1) * 8;
            break;
        case 44: /* fragment */
            size = 8;
            break;
        case 51: /* AH: length in 4-byte units, minus 2 */
            size = (tvb_get_uint8(t, h + 1) + 2) * 4;
            break;
        default:
            return FALSE;
        }
        nh = tvb_get_uint8(t, h);
        h += size;
    }
    return h == o && nh == 6;
}

/* The TCP segment's length (header and data) from the IP header just
 * before the TCP header at offset o of t: IPv4 total length or IPv6
 * payload length, the header recognised by version, protocol 6 and the
 * packet's own addresses, across IPv6 extension headers. FALSE when there
 * is no such header or it gives no length (TSO captures, jumbograms): then,
 * as TCP itself does, the frame's remaining bytes are the segment. */
static gboolean ip_segment_len(tvbuff_t *t, int o, packet_info *pinfo, guint *len)
{
    if (pinfo->src.type == AT_IPv4 && pinfo->dst.type == AT_IPv4) {
        for (guint ihl = 5; ihl <= 15; ihl++) {
            int ip = o - (int)ihl * 4;
            if (ip < 0 || tvb_captured_length_remaining(t, ip) < 20)
                break;
            if (tvb_get_uint8(t, ip) != (0x40 | ihl) || tvb_get_uint8(t, ip + 9) != 6 ||
                tvb_memeql(t, ip + 12, (const guint8 *)pinfo->src.data, 4) != 0 ||
                tvb_memeql(t, ip + 16, (const guint8 *)pinfo->dst.data, 4) != 0)
                continue;
            guint total = tvb_get_ntohs(t, ip + 2);
            if (total == 0)
                return FALSE;
            *len = total > ihl * 4 ? total - ihl * 4 : 0;
            return TRUE;
        }
        return FALSE;
    }
    if (pinfo->src.type == AT_IPv6 && pinfo->dst.type == AT_IPv6) {
        /* Extension headers sit between IPv6 and TCP, each a multiple of 8
         * bytes long; try each place the IPv6 header could start and keep
         * the one whose chain of headers ends exactly at TCP. */
        for (int ext = 0; ext <= MAX_V6_EXT; ext += 8) {
            int ip = o - 40 - ext;
            if (ip < 0 || tvb_captured_length_remaining(t, ip) < 40)
                break;
            if ((tvb_get_uint8(t, ip) >> 4) != 6 ||
                tvb_memeql(t, ip + 8, (const guint8 *)pinfo->src.data, 16) != 0 ||
                tvb_memeql(t, ip + 24, (const guint8 *)pinfo->dst.data, 16) != 0 ||
                !v6_chain_reaches(t, ip + 6, ip + 40, o))
                continue;
            guint plen = tvb_get_ntohs(t, ip + 4);
            if (plen == 0) /* jumbogram or TSO: the frame tells */
                return FALSE;
            *len = plen > (guint)ext ? plen - (guint)ext : 0;
            return TRUE;
        }
    }
    return FALSE;
}

/* tcp.stream by 4-tuple, remembered: TCP's conversation lookup costs
 * about as much as a primed field. Wireshark gives a 4-tuple a new stream
 * only on a SYN (port reuse), so a SYN always asks TCP again. */
#define CACHE_SIZE 4096
typedef struct cached_stream {
    guint32 stream_plus1; /* 0: empty */
    guint16 sport, dport;
    guint8 len;           /* address length */
    guint8 addr[32];      /* source then destination */
} cached_stream;
static cached_stream *cache;

void tlp_extract_reset(void)
{
    g_free(cache);
    cache = NULL;
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
    guint32 h = 2166136261u ^ ((guint32)sport << 16 | dport);
    for (int i = 0; i < alen; i++)
        h = (h ^ a[i] ^ ((guint32)b[i] << 8)) * 16777619u;
    cached_stream *c = &cache[(h ^ (h >> 15)) & (CACHE_SIZE - 1)];
    *hit = c->stream_plus1 && c->sport == sport && c->dport == dport && c->len == alen &&
           memcmp(c->addr, a, (size_t)alen) == 0 && memcmp(c->addr + alen, b, (size_t)alen) == 0;
    if (!*hit) {
        c->stream_plus1 = 0;
        c->sport = sport;
        c->dport = dport;
        c->len = (guint8)alen;
        memcpy(c->addr, a, (size_t)alen);
        memcpy(c->addr + alen, b, (size_t)alen);
    }
    return c;
}

static gboolean stream_of(packet_info *pinfo, tvbuff_t *t, int o, guint32 *stream)
{
    gboolean hit = FALSE;
    cached_stream *c = NULL;
    if (tvb_captured_length_remaining(t, o) >= 14) {
        gboolean syn = (tvb_get_uint8(t, o + 13) & 0x02) != 0;
        c = cache_slot(pinfo, tvb_get_ntohs(t, o), tvb_get_ntohs(t, o + 2), &hit);
        if (hit && !syn) {
            *stream = c->stream_plus1 - 1;
            return TRUE;
        }
    }
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    struct tcp_analysis *ta = conv ? conversation_get_proto_data(conv, hf_tcp) : NULL;
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

gboolean tlp_extract(proto_tree *tree, packet_info *pinfo, tlp_packet *out)
{
    field_info *tcp = first_finfo(tree, hf_tcp);
    if (!tcp || !tcp->ds_tvb || tcp->start < 0)
        return FALSE;
    if (tcp_is_quoted(pinfo))
        return FALSE;

    memset(out, 0, sizeof *out);
    tvbuff_t *t = tcp->ds_tvb;
    int o = tcp->start;
    if (!stream_of(pinfo, t, o, &out->stream)) {
        /* TCP stopped before it could name the connection (header cut). */
        out->stream = TLP_NO_STREAM;
        out->truncated = TRUE;
        return TRUE;
    }
    /* The fixed header up to the window: 16 bytes (RFC 9293 §3.1), and a
     * data offset that says where data starts: at least 5 words, within
     * the segment (TCP itself stops at a bogus one). */
    guint hlen, seglen;
    if (tvb_captured_length_remaining(t, o) < 16) {
        out->truncated = TRUE;
        return TRUE;
    }
    hlen = (guint)(tvb_get_uint8(t, o + 12) >> 4) * 4;
    if (!ip_segment_len(t, o, pinfo, &seglen)) {
        int rest = tvb_reported_length_remaining(t, o);
        seglen = rest > 0 ? (guint)rest : 0;
    }
    if (hlen < 20 || hlen > seglen) {
        out->truncated = TRUE;
        return TRUE;
    }

    tl_segment *s = &out->seg;
    s->frame = pinfo->num;
    s->sport = tvb_get_ntohs(t, o);
    s->dport = tvb_get_ntohs(t, o + 2);
    s->seq = tvb_get_ntohl(t, o + 4);
    s->ack = tvb_get_ntohl(t, o + 8);
    s->flags = tvb_get_uint8(t, o + 13);
    s->win = tvb_get_ntohs(t, o + 14);
    s->time_us = time_us(&pinfo->abs_ts);

    s->len = seglen - hlen;
    int payload_off = o + (int)hlen;
    int avail = tvb_captured_length_remaining(t, payload_off);
    out->captured = avail > 0 ? MIN((guint32)avail, s->len) : 0;
    out->payload = out->captured ? tvb_get_ptr(t, payload_off, (gint)out->captured) : NULL;
    return TRUE;
}
