/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcplife: "TCP Connection Lifecycle", a post-dissector that labels every
 * TCP segment with its role in the life of its connection and with both
 * endpoints' RFC 9293 states.
 *
 * First pass (frames visited in capture order): read the segment, feed the
 * connection's core observer, store the result under the frame number.
 * Every later look at a frame (tshark -2, GUI clicks, sharkd) renders the
 * stored result, so every mode shows the same per-segment answer.
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "compat.h"
#include "tcplife-plugin.h"

#ifndef TCPLIFE_VERSION
#define TCPLIFE_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TCPLIFE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);
#ifdef TCPLIFE_HAVE_PLUGIN_DESCRIBE /* optional from 4.4; 4.0 has no wsutil/plugins.h */
#include <wsutil/plugins.h>
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#endif

static int proto_tcplife = -1;
static dissector_handle_t tcplife_handle;
static tlp_pref_bool pref_info_column = TRUE;
static tlp_pref_bool pref_http_only = FALSE;

static dissector_table_t tcp_port_table;
static dissector_handle_t http_handle;

/* Ports a user or Wireshark maps to HTTP count as service ports when the
 * roles must be guessed (SPEC §2). */
static guint8 port_hint(const tl_segment *s)
{
    guint8 hint = 0;
    if (!tcp_port_table || !http_handle)
        return 0;
    if (dissector_get_uint_handle(tcp_port_table, s->sport) == http_handle)
        hint |= TL_HINT_SRC_SERVICE;
    if (dissector_get_uint_handle(tcp_port_table, s->dport) == http_handle)
        hint |= TL_HINT_DST_SERVICE;
    return hint;
}

/* Endpoint A is the source of the connection's first captured segment. */
static guint8 direction(const tlp_conn *conn, const tl_segment *s, packet_info *pinfo)
{
    if (s->sport != s->dport)
        return s->sport == conn->port[0] ? 0 : 1;
    return memcmp(pinfo->src.data, conn->ip[0], (size_t)pinfo->src.len) == 0 ? 0 : 1;
}

/* Fills f (still zero) and r for this frame; returns its connection, or
 * NULL when the frame is no TCP segment or its header is unreadable.
 * *rows_filled: every open connection table has this connection's row,
 * filled now. */
static tlp_conn *first_pass(tvbuff_t *tvb, packet_info *pinfo, tlp_frame *f, tl_result *r,
                            gboolean *rows_filled)
{
    tlp_packet p;
    if (!tlp_extract(tvb, pinfo, &p))
        return NULL;
    if (p.truncated) {
        /* Say so rather than stay silent; the connection learns nothing. */
        tlp_frame_mark_unreadable(f, pinfo->num, p.stream);
        return NULL;
    }

    tlp_conn *conn = tlp_store_conn(p.stream, TRUE);
    if (conn->core.segments == 0) {
        /* tlp_extract() found the header between these IPv4 or IPv6 addresses. */
        conn->ipv6 = pinfo->src.type == AT_IPv6;
        memcpy(conn->ip[0], pinfo->src.data, (size_t)pinfo->src.len);
        memcpy(conn->ip[1], pinfo->dst.data, (size_t)pinfo->dst.len);
        conn->port[0] = p.seg.sport;
        conn->port[1] = p.seg.dport;
        if (!(p.seg.flags & TL_TH_SYN))
            p.seg.port_hint = port_hint(&p.seg);
    }
    p.seg.dir = direction(conn, &p.seg, pinfo);

    tl_conn_segment(&conn->core, &p.seg, r);
    tl_zeek_segment(&conn->zeek, &p.seg);
    tlp_http_first_pass(conn, &p, r);
    tlp_frame_pack(f, pinfo->num, p.stream, r);
    *rows_filled = tlp_stats_update(pinfo->num, p.stream, conn);
    return conn;
}

static int dissect_tcplife(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    tlp_frame *f;
    tl_result r;
    const tlp_conn *conn = NULL;
    gboolean rows_filled = FALSE;
    if (!PINFO_FD_VISITED(pinfo)) {
        f = tlp_store_frame(pinfo->num, TRUE);
        if (!(f->roles & TLP_FR_ANNOTATED))
            conn = first_pass(tvb, pinfo, f, &r, &rows_filled);
        if (!(f->roles & TLP_FR_ANNOTATED))
            return 0;
        if (!conn) /* a first pass again (a redissection): the record is there */
            tlp_frame_result(f, pinfo->num, &r);
    } else {
        f = tlp_store_frame(pinfo->num, FALSE);
        if (!f)
            return 0;
        tlp_frame_result(f, pinfo->num, &r);
    }
    if (tlp_frame_unreadable(f)) {
        tlp_render_unreadable(tvb, pinfo, tree, f);
        return tvb_captured_length(tvb);
    }
    if (!conn)
        conn = tlp_store_conn(tlp_frame_stream(f, pinfo->num), FALSE);
    if (!conn)
        return 0;
    /* As far as is known now: a single pass starts annotating a connection
     * at its first HTTP payload, revisits from its first segment. */
    if (pref_http_only && !tlp_conn_is_http(conn))
        return 0;
    /* Nobody looks at the tree (invisible, no tcplife field in a filter,
     * column or -e, nobody listening for expert info): skip building it.
     * The record is stored already; the Info column and the table still
     * want this frame. */
    if (proto_field_is_referenced(tree, proto_tcplife) || tlp_expert_listened())
        tlp_render(tvb, pinfo, tree, tlp_frame_stream(f, pinfo->num), &r, conn,
                   pref_info_column);
    else if (pref_info_column && pinfo->cinfo)
        tlp_render_info(pinfo, &r);
    /* The tap adds a connection's row to the table, fills it on revisits
     * and feeds the ladder. On a first pass whose rows are filled already,
     * with no ladder listening, it would only say "redraw": TShark prints
     * at the end, and for the GUI (a live capture with the table open) one
     * frame in 256 says it. */
    static guint32 last_queued;
    if (!rows_filled || tlp_ladder_listeners || pinfo->num - last_queued >= 256) {
        tlp_stats_queue(pinfo, f);
        last_queued = pinfo->num;
    }
    return tvb_captured_length(tvb);
}

static void tcplife_init(void)
{
    tlp_store_init();
}

static void tcplife_cleanup(void)
{
    tlp_store_cleanup();
}

static void proto_register_tcplife(void)
{
    proto_tcplife = proto_register_protocol("TCP Connection Lifecycle", "TCPLife", "tcplife");
    tlp_render_register(proto_tcplife);
    tlp_render_http_register(proto_tcplife);
    tlp_stats_register(proto_tcplife);
    tlp_ladder_register();

    module_t *m = prefs_register_protocol(proto_tcplife, NULL);
    prefs_register_bool_preference(m, "info_column", "Prefix the Info column",
                                   "Prefix the Info column with [HS n/3], [TD n/4] or [RST]",
                                   &pref_info_column);

    prefs_register_bool_preference(m, "http_only", "Only connections carrying HTTP",
                                   "Annotate only connections that carry HTTP (or a WebSocket "
                                   "upgraded from it)",
                                   &pref_http_only);

    register_init_routine(tcplife_init);
    register_cleanup_routine(tcplife_cleanup);
}

static void proto_reg_handoff_tcplife(void)
{
    tcplife_handle = create_dissector_handle(dissect_tcplife, proto_tcplife);
    register_postdissector(tcplife_handle);
    tlp_extract_register_fields();
    tlp_ladder_handoff();
    tcp_port_table = find_dissector_table("tcp.port");
    tlp_render_handoff();
    http_handle = find_dissector("http");
}

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_tcplife;
    plug.register_handoff = proto_reg_handoff_tcplife;
    proto_register_plugin(&plug);
}
