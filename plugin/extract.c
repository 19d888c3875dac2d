/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a segment out of a dissected packet, on the first pass only.
 *
 * Every field a post-dissector asks Wireshark to keep costs per-packet
 * bookkeeping, so we ask for three: the `tcp` protocol item (which says
 * where the TCP header lies in its data source), tcp.stream (the
 * connection, with Wireshark's port-reuse rules) and tcp.len (the payload,
 * which the header alone cannot give). Ports, seq, ack, flags and window
 * are read from the header bytes: always raw, whatever the TCP
 * preferences say about relative numbers.
 */
#include <epan/proto.h>

#include "compat.h"
#include "tcplife-plugin.h"

static int hf_tcp = -1, hf_tcp_stream = -1, hf_tcp_len = -1;
static int proto_icmp = -1, proto_icmpv6 = -1;

void tlp_extract_register_fields(void)
{
    hf_tcp = proto_get_id_by_filter_name("tcp");
    hf_tcp_stream = proto_registrar_get_id_byname("tcp.stream");
    hf_tcp_len = proto_registrar_get_id_byname("tcp.len");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}

GArray *tlp_extract_wanted_hfids(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), 3);
    g_array_append_val(wanted, hf_tcp);
    g_array_append_val(wanted, hf_tcp_stream);
    g_array_append_val(wanted, hf_tcp_len);
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

gboolean tlp_extract(proto_tree *tree, packet_info *pinfo, tlp_packet *out)
{
    field_info *tcp = first_finfo(tree, hf_tcp);
    if (!tcp || !tcp->ds_tvb || tcp->start < 0)
        return FALSE;
    if (tcp_is_quoted(pinfo))
        return FALSE;
    field_info *stream = first_finfo(tree, hf_tcp_stream);
    field_info *len = first_finfo(tree, hf_tcp_len);

    memset(out, 0, sizeof *out);
    if (!stream) {
        /* TCP stopped before it could name the connection (header cut). */
        out->stream = TLP_NO_STREAM;
        out->truncated = TRUE;
        return TRUE;
    }
    out->stream = fvalue_get_uinteger(TLP_FI_VALUE(stream));
    /* The fixed header up to the window: 16 bytes (RFC 9293 §3.1). */
    if (!len || tvb_captured_length_remaining(tcp->ds_tvb, tcp->start) < 16) {
        out->truncated = TRUE;
        return TRUE;
    }

    tvbuff_t *t = tcp->ds_tvb;
    int o = tcp->start;
    tl_segment *s = &out->seg;
    s->frame = pinfo->num;
    s->sport = tvb_get_ntohs(t, o);
    s->dport = tvb_get_ntohs(t, o + 2);
    s->seq = tvb_get_ntohl(t, o + 4);
    s->ack = tvb_get_ntohl(t, o + 8);
    s->flags = tvb_get_guint8(t, o + 13);
    s->win = tvb_get_ntohs(t, o + 14);
    s->len = fvalue_get_uinteger(TLP_FI_VALUE(len));

    /* The payload starts after the header's own length (data offset). */
    int payload_off = o + ((tvb_get_guint8(t, o + 12) >> 4) * 4);
    int avail = tvb_captured_length_remaining(t, payload_off);
    out->captured = avail > 0 ? MIN((guint32)avail, s->len) : 0;
    out->payload = out->captured ? tvb_get_ptr(t, payload_off, (gint)out->captured) : NULL;
    s->time_us = (gint64)pinfo->abs_ts.secs * 1000000 + pinfo->abs_ts.nsecs / 1000;
    return TRUE;
}
