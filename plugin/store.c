/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-capture memory: one tlp_frame per frame number (24 bytes a frame,
 * in chunks of 65,536 allocated as the capture reaches them, so memory
 * follows the frame count instead of doubling past it; no hashing on the
 * hot path) and one tlp_conn per
 * tcp.stream (dense indices, so an array of pointers). Both live from the
 * file's first dissection to its close (init and cleanup routines).
 */
#include <epan/to_str.h>
#include <wsutil/inet_addr.h>

#include "tcplife-plugin.h"

#define CHUNK_BITS 16
#define CHUNK (1u << CHUNK_BITS)
static tlp_frame **chunks;
static guint32 chunks_cap;
static tlp_conn **conns;
static guint32 conns_cap;

void tlp_store_init(void)
{
    tlp_http_reset();
    tlp_extract_reset();
    chunks = NULL;
    chunks_cap = 0;
    conns = NULL;
    conns_cap = 0;
}

void tlp_store_cleanup(void)
{
    for (guint32 i = 0; i < conns_cap; i++) {
        if (conns[i])
            g_free(conns[i]->http);
        g_free(conns[i]);
    }
    g_free(conns);
    for (guint32 i = 0; i < chunks_cap; i++)
        g_free(chunks[i]);
    g_free(chunks);
    tlp_store_init();
}

static guint32 grown(guint32 cap, guint32 need)
{
    guint32 n = cap ? cap : 1024;
    while (n <= need && n < G_MAXUINT32 / 2)
        n *= 2;
    return n > need ? n : need + 1;
}

tlp_frame *tlp_store_frame(guint32 frame_num, gboolean create)
{
    guint32 c = frame_num >> CHUNK_BITS;
    if (c >= chunks_cap || !chunks[c]) {
        if (!create)
            return NULL;
        if (c >= chunks_cap) {
            guint32 n = grown(chunks_cap, c);
            chunks = g_renew(tlp_frame *, chunks, n);
            memset(chunks + chunks_cap, 0, (n - chunks_cap) * sizeof *chunks);
            chunks_cap = n;
        }
        chunks[c] = g_new0(tlp_frame, CHUNK);
    }
    tlp_frame *f = &chunks[c][frame_num & (CHUNK - 1)];
    return (create || f->stream_plus1) ? f : NULL;
}

tlp_conn *tlp_store_conn(guint32 stream, gboolean create)
{
    if (stream >= conns_cap) {
        if (!create)
            return NULL;
        guint32 n = grown(conns_cap, stream);
        conns = g_renew(tlp_conn *, conns, n);
        memset(conns + conns_cap, 0, (n - conns_cap) * sizeof *conns);
        conns_cap = n;
    }
    if (!conns[stream] && create) {
        conns[stream] = g_new0(tlp_conn, 1);
        tl_conn_init(&conns[stream]->core);
        tl_zeek_init(&conns[stream]->zeek);
    }
    return conns[stream];
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
        char digits[6], *q = digits + sizeof digits;
        guint port = conn->port[d];
        *--q = '\0';
        do
            *--q = (char)('0' + port % 10);
        while ((port /= 10) != 0);
        memcpy(p, q, (size_t)(digits + sizeof digits - q));
        ((tlp_conn *)conn)->dir_str[d] = wmem_strdup(wmem_file_scope(), text);
    }
    return conn->dir_str[d];
}
