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
#include "tcplife/zeek.h"

/* What the glue keeps for a connection (one per tcp.stream). */
typedef struct tlp_conn {
    tl_conn core;
    tl_zeek zeek;     /* Zeek conn_state / history */
    address a_addr;   /* source of the first captured segment ("endpoint A") */
    guint16 a_port;
    const char *dir_str[2]; /* "addr:port" of endpoint A (dir 0) and B, file scope */
    guint32 http_exchanges;
} tlp_conn;

/* "addr:port" of the client or the server. */
static inline const char *tlp_conn_endpoint(const tlp_conn *conn, tl_role role)
{
    guint8 dir = role == TL_CLIENT ? conn->core.client_dir : (guint8)!conn->core.client_dir;
    return conn->dir_str[dir & 1];
}

/* What the glue keeps for a frame: computed once, replayed on revisits. */
typedef struct tlp_frame {
    guint32 stream_plus1; /* 0: not annotated */
    tl_result r;
} tlp_frame;

/* extract.c */
typedef struct tlp_packet {
    tl_segment seg;
    guint32 stream;
    gboolean truncated; /* header not fully captured: nothing inferred */
} tlp_packet;

void tlp_extract_register_fields(void);
GArray *tlp_extract_wanted_hfids(void);
gboolean tlp_extract(proto_tree *tree, packet_info *pinfo, tlp_packet *out);

/* store.c */
void tlp_store_init(void);
void tlp_store_cleanup(void);
tlp_frame *tlp_store_frame(guint32 frame_num, gboolean create);
tlp_conn *tlp_store_conn(guint32 stream, gboolean create);

/* stats.c */
void tlp_stats_register(int proto);
void tlp_stats_queue(packet_info *pinfo, const tlp_frame *f);
void tlp_stats_update(guint32 stream, const tlp_conn *conn);

/* render.c */
void tlp_render_register(int proto);
void tlp_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const tlp_frame *f,
                const tlp_conn *conn, gboolean info_column);

#endif
