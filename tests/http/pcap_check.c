/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feed the TCP payloads of a capture to the HTTP core, as the plugin does
 * (one tl_http per connection, segments in capture order, FINs reported),
 * and compare what it says with an expected table
 * (tests/http-captures/NAME.tsv: frame, stream, exchange, message, summary,
 * app; several messages in one segment comma-joined; '#' lines are
 * comments). No Wireshark needed: a small reader for pcap files (Ethernet,
 * Linux cooked v1/v2, raw IP, BSD loopback; IPv4 and IPv6).
 *
 * Streams are numbered like tcp.stream: by first appearance of the address
 * and port pair, a new one when a bare SYN reuses the pair of a connection
 * that ended. The client is the sender of the bare SYN, or without one the
 * sender of the first segment.
 *
 * Usage: tcplife_http_pcap CAPTURE TABLE   (compare; exit 1 on a difference)
 *        tcplife_http_pcap -p CAPTURE      (print the table it computes)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcplife/http.h"

#define MAX_CONNS 256

typedef struct conn {
    uint8_t addr[2][16]; /* [0] first sender seen */
    uint16_t port[2];
    uint8_t alen;
    uint8_t client;      /* index (0/1) of the client in addr/port */
    uint8_t fin[2];      /* by index */
    uint8_t rst;
    uint32_t stream;
    tl_http h;
} conn;

static conn conns[MAX_CONNS];
static unsigned nconns;

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t rd32(const uint8_t *p, int swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

typedef struct row {
    char text[4096];
} row;

/* Append one TCP frame's row to out. */
static void tcp_frame(uint32_t frame, const uint8_t *src, const uint8_t *dst, uint8_t alen,
                      const uint8_t *tcp, uint32_t tcp_cap, uint32_t tcp_len, row *out)
{
    out->text[0] = '\0';
    if (tcp_cap < 20 || tcp_len < 20)
        return;
    uint16_t sport = be16(tcp), dport = be16(tcp + 2);
    uint32_t seq = be32(tcp + 4);
    uint32_t hl = (uint32_t)(tcp[12] >> 4) * 4;
    uint8_t flags = tcp[13];
    if (hl < 20 || hl > tcp_len)
        return;
    conn *c = NULL;
    unsigned side = 0;
    for (unsigned k = nconns; k-- > 0;) {
        conn *x = &conns[k];
        if (x->alen != alen)
            continue;
        if (!memcmp(x->addr[0], src, alen) && !memcmp(x->addr[1], dst, alen) &&
            x->port[0] == sport && x->port[1] == dport)
            side = 0;
        else if (!memcmp(x->addr[1], src, alen) && !memcmp(x->addr[0], dst, alen) &&
                 x->port[1] == sport && x->port[0] == dport)
            side = 1;
        else
            continue;
        c = x;
        break;
    }
    bool bare_syn = (flags & 0x12) == 0x02;
    if (c && bare_syn && (c->rst || (c->fin[0] && c->fin[1])))
        c = NULL; /* port reuse: a new connection */
    if (!c) {
        if (nconns == MAX_CONNS)
            return;
        c = &conns[nconns];
        memset(c, 0, sizeof(*c));
        memcpy(c->addr[0], src, alen);
        memcpy(c->addr[1], dst, alen);
        c->port[0] = sport;
        c->port[1] = dport;
        c->alen = alen;
        c->stream = nconns++;
        c->client = 0; /* sender of a bare SYN, or of the first segment */
        if ((flags & 0x12) == 0x12)
            c->client = 1; /* first seen is a SYN+ACK: its receiver is the client */
        tl_http_init(&c->h);
        side = 0;
    }
    uint32_t plen = tcp_len - hl;
    uint32_t pcap_len = tcp_cap > hl ? tcp_cap - hl : 0;
    if (pcap_len > plen)
        pcap_len = plen;
    int from_client = side == c->client;
    tl_http_result r;
    char ex[512] = "", msg[512] = "", sum[2048] = "";
    const char *app = "";
    if (plen) {
        tl_http_segment(&c->h, from_client, seq + ((flags & 0x02) ? 1u : 0u), tcp + hl, plen,
                        pcap_len, &r);
        app = tl_app_name(r.app);
        for (unsigned k = 0; k < r.n; k++) {
            const tl_http_piece *pc = &r.piece[k];
            size_t l;
            l = strlen(ex);
            snprintf(ex + l, sizeof ex - l, "%s%u", k ? "," : "", (unsigned)pc->exchange);
            l = strlen(msg);
            snprintf(msg + l, sizeof msg - l, "%s%s", k ? "," : "", tl_http_msg_name(pc->kind));
            l = strlen(sum);
            snprintf(sum + l, sizeof sum - l, "%s%s", k ? "," : "",
                     (pc->flags & TL_HTTP_P_SUMMARY) ? pc->summary : "");
        }
    }
    if (flags & 0x01) {
        if (!c->fin[side])
            tl_http_fin(&c->h, from_client, NULL);
        c->fin[side] = 1;
    }
    if (flags & 0x04)
        c->rst = 1;
    snprintf(out->text, sizeof out->text, "%u\t%u\t%s\t%s\t%s\t%s", (unsigned)frame,
             (unsigned)c->stream, ex, msg, sum, app);
}

/* Read the capture; call back with every TCP frame's row. */
static int read_pcap(const char *path, void (*emit)(const row *, void *), void *arg)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint8_t gh[24];
    if (fread(gh, 1, 24, f) != 24) {
        fclose(f);
        return -1;
    }
    uint32_t magic;
    memcpy(&magic, gh, 4);
    int swap;
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
        swap = 0;
    else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
        swap = 1;
    else {
        fprintf(stderr, "%s: not a pcap file\n", path);
        fclose(f);
        return -1;
    }
    uint32_t linktype = rd32(gh + 20, swap) & 0xffff;
    static uint8_t pkt[262144];
    static row out;
    uint8_t rh[16];
    uint32_t frame = 0;
    while (fread(rh, 1, 16, f) == 16) {
        uint32_t cap = rd32(rh + 8, swap);
        if (cap > sizeof pkt || fread(pkt, 1, cap, f) != cap)
            break;
        frame++;
        uint32_t off;
        uint16_t ethertype;
        switch (linktype) {
        case 1: /* Ethernet */
            if (cap < 14)
                continue;
            off = 14;
            ethertype = be16(pkt + 12);
            while ((ethertype == 0x8100 || ethertype == 0x88a8) && cap >= off + 4) {
                ethertype = be16(pkt + off + 2);
                off += 4;
            }
            break;
        case 113: /* Linux cooked v1 */
            if (cap < 16)
                continue;
            off = 16;
            ethertype = be16(pkt + 14);
            break;
        case 276: /* Linux cooked v2 */
            if (cap < 20)
                continue;
            off = 20;
            ethertype = be16(pkt);
            break;
        case 0:
        case 108: /* BSD loopback: 4-byte family */
            if (cap < 4)
                continue;
            off = 4;
            ethertype = (pkt[0] == 2 || pkt[3] == 2) ? 0x0800 : 0x86dd;
            break;
        case 12:
        case 14:
        case 101: /* raw IP */
            off = 0;
            ethertype = cap && (pkt[0] >> 4) == 6 ? 0x86dd : 0x0800;
            break;
        default:
            fprintf(stderr, "%s: link type %u not supported\n", path, (unsigned)linktype);
            fclose(f);
            return -1;
        }
        const uint8_t *ip = pkt + off;
        uint32_t ipcap = cap - off;
        if (ethertype == 0x0800 && ipcap >= 20 && (ip[9] == 6)) {
            uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, tot = be16(ip + 2);
            if (ihl < 20 || ipcap < ihl || tot < ihl || (be16(ip + 6) & 0x1fff))
                continue;
            tcp_frame(frame, ip + 12, ip + 16, 4, ip + ihl, ipcap - ihl, tot - ihl, &out);
        } else if (ethertype == 0x86dd && ipcap >= 40) {
            uint32_t len = be16(ip + 4), hoff = 40;
            uint8_t nh = ip[6];
            while ((nh == 0 || nh == 43 || nh == 60) && ipcap >= hoff + 8) {
                uint32_t el = ((uint32_t)ip[hoff + 1] + 1) * 8;
                nh = ip[hoff];
                hoff += el;
                if (len < el)
                    break;
                len -= el;
            }
            if (nh != 6 || ipcap < hoff)
                continue;
            tcp_frame(frame, ip + 8, ip + 24, 16, ip + hoff, ipcap - hoff, len, &out);
        } else {
            continue;
        }
        if (out.text[0])
            emit(&out, arg);
    }
    fclose(f);
    return 0;
}

static void print_row(const row *r, void *arg)
{
    (void)arg;
    printf("%s\n", r->text);
}

typedef struct cmp {
    FILE *table;
    unsigned rows, bad;
    char line[4096];
} cmp;

static int next_line(cmp *c)
{
    while (fgets(c->line, sizeof c->line, c->table)) {
        c->line[strcspn(c->line, "\r\n")] = '\0';
        if (c->line[0] == '#' || c->line[0] == '\0')
            continue;
        return 1;
    }
    return 0;
}

static void compare_row(const row *r, void *arg)
{
    cmp *c = arg;
    c->rows++;
    if (!next_line(c)) {
        printf("table ends before frame row %s\n", r->text);
        c->bad++;
        return;
    }
    if (strcmp(c->line, r->text) != 0) {
        printf("  want %s\n  got  %s\n", c->line, r->text);
        c->bad++;
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-p") == 0) {
        printf("frame\tstream\texchange\tmessage\tsummary\tapp\n");
        return read_pcap(argv[2], print_row, NULL) ? 2 : 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s CAPTURE TABLE | -p CAPTURE\n", argv[0]);
        return 2;
    }
    cmp c = {fopen(argv[2], "r"), 0, 0, ""};
    if (!c.table) {
        perror(argv[2]);
        return 2;
    }
    if (!next_line(&c) || strcmp(c.line, "frame\tstream\texchange\tmessage\tsummary\tapp") != 0) {
        printf("%s: bad header\n", argv[2]);
        return 1;
    }
    if (read_pcap(argv[1], compare_row, &c))
        return 2;
    if (next_line(&c)) {
        printf("table has rows beyond the capture: %s\n", c.line);
        c.bad++;
    }
    fclose(c.table);
    printf("%s: %u frames, %u differ\n", argv[1], c.rows, c.bad);
    return c.bad ? 1 : 0;
}
