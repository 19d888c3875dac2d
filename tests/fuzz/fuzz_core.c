/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the lifecycle core: decodes the input into the
 * segments of one connection, feeds them to tl_conn_segment (and to the Zeek
 * summary, tl_zeek_segment) and checks invariants that hold whatever the
 * segments are, never expected outputs. Any violation calls abort(), which
 * libFuzzer (or replay.c under gcc) reports as a crash.
 *
 * Input format (all multi-byte numbers little-endian). A 13-byte header
 * picks the configuration, as picohttpparser's and llhttp's harnesses do:
 *
 *   cfg      1  bit 0: ISNs near 2^32 (isn = 0xFFFFFFFF - (raw & 0x3FF))
 *               bit 1: the first segment is forced to be a bare SYN from dir 0
 *               bits 2-3: ports 0: 52749/80, 1: 80/52749, 2: 40000/50000,
 *                         3: from portA/portB below
 *               bits 4-5: port hints: bit 4 dir 1's port is a service port
 *                         (Wireshark maps it to HTTP), bit 5 dir 0's
 *               bit 6: frame numbers step by 2 from 7 (other streams between)
 *               bit 7: ack field zero when the ACK flag is clear
 *   isnA     4  raw ISN of dir 0 (the sender of the first captured segment)
 *   isnB     4  raw ISN of dir 1
 *   portA    2, portB 2
 *
 * then segments, each 7 bytes plus optional extras:
 *
 *   b0       bit 0: dir; bits 1-3: seq mode; bits 4-6: ack mode;
 *            bit 7: window 0 (otherwise 65535)
 *   flags    TCP flags byte, any value (TL_TH_*)
 *   lencode  0..0xEF: that length; 0xF0..0xFD: lengths from LEN_TABLE;
 *            0xFE: 2-byte length follows; 0xFF: 4-byte length follows
 *   sdelta   int16, used by the seq modes below
 *   adelta   int16, used by the ack modes below
 *   extras   4-byte raw seq (seq mode 6), 4-byte raw ack (ack mode 6), then
 *            the length (lencode 0xFE/0xFF), in that order
 *
 * Seq and ack are mostly relative to a model of the conversation (d: the
 * sender's dir, p: the peer's), so that mutations stay plausible:
 *   seq mode 0 nxt[d]          ack mode 0 nxt[p]
 *            1 nxt[d]+sd                1 nxt[p]+ad
 *            2 isn[d]+sd                2 isn[p]+1+ad
 *            3 last_seq[d]+sd           3 last_ack[d]+ad
 *            4 nxt[d]-1 (keep-alive)    4 last_seq[p]+ad
 *            5 fin_seq[d]+sd            5 fin_seq[p]+1+ad
 *            6 raw                      6 raw
 *            7 last_ack[p]+sd           7 ad (sign-extended)
 * The model starts with isn from the header, nxt = last_seq = fin_seq = isn,
 * last_ack[d] = isn[p]+1, and after each segment: a SYN sets isn[d] = seq;
 * nxt[d] moves to seq+len(+SYN+FIN) when that is ahead (or on a SYN);
 * last_seq[d] = seq; a FIN sets fin_seq[d] = seq+len; an ACK sets
 * last_ack[d] = ack. make_seeds.py mirrors this exactly.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_checks.h"
#include "fuzz_core.h"
#include "tcplife/zeek.h"

int fz_verbose;
unsigned fz_determinism_every = 4;
void (*fz_on_failure)(void);

enum {
    CFG_WRAP = 0x01,
    CFG_FORCE_SYN = 0x02,
    CFG_HINT_DIR1 = 0x10,
    CFG_HINT_DIR0 = 0x20,
    CFG_SPARSE_FRAMES = 0x40,
    CFG_CLEAN_ACK = 0x80
};

#define FZ_HEADER 13
#define FZ_RECORD 7

static const uint32_t LEN_TABLE[14] = {1000,        1448,        1460,        4096,    8192,
                                       16384,       32768,       65535,       65536,   0x7FFFFFFFu,
                                       0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu, 1u << 20};

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (unsigned)p[1] << 8); }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A signed 16-bit delta as a 32-bit sequence-space offset. */
static uint32_t delta(const uint8_t *p) { return (uint32_t)(int32_t)(int16_t)le16(p); }

typedef struct model {
    uint32_t isn[2], nxt[2], last_seq[2], last_ack[2], fin_seq[2];
} model;

size_t fz_decode(const uint8_t *data, size_t size, tl_segment *segs, size_t max)
{
    if (size < FZ_HEADER)
        return 0;
    uint8_t cfg = data[0];
    model m;
    uint16_t port[2];
    static const uint16_t port_sets[3][2] = {{52749, 80}, {80, 52749}, {40000, 50000}};

    m.isn[0] = le32(data + 1);
    m.isn[1] = le32(data + 5);
    if (cfg & CFG_WRAP) {
        m.isn[0] = 0xFFFFFFFFu - (m.isn[0] & 0x3FFu);
        m.isn[1] = 0xFFFFFFFFu - (m.isn[1] & 0x3FFu);
    }
    unsigned ports = (cfg >> 2) & 3u;
    if (ports == 3) {
        port[0] = le16(data + 9);
        port[1] = le16(data + 11);
    } else {
        port[0] = port_sets[ports][0];
        port[1] = port_sets[ports][1];
    }
    for (int d = 0; d < 2; d++) {
        m.nxt[d] = m.last_seq[d] = m.fin_seq[d] = m.isn[d];
        m.last_ack[d] = m.isn[!d] + 1u;
    }

    size_t off = FZ_HEADER, n = 0;
    uint32_t frame = (cfg & CFG_SPARSE_FRAMES) ? 7u : 1u;
    while (n < max && size - off >= FZ_RECORD) {
        const uint8_t *r = data + off;
        uint8_t dir = r[0] & 1u, p = (uint8_t)!dir;
        unsigned smode = (r[0] >> 1) & 7u, amode = (r[0] >> 4) & 7u;
        uint8_t flags = r[1], lcode = r[2];
        uint32_t sd = delta(r + 3), ad = delta(r + 5);
        size_t need = FZ_RECORD + (smode == 6 ? 4u : 0u) + (amode == 6 ? 4u : 0u) +
                      (lcode == 0xFF   ? 4u
                       : lcode == 0xFE ? 2u
                                       : 0u);
        if (size - off < need)
            break;
        const uint8_t *x = r + FZ_RECORD;
        uint32_t seq = 0, ack = 0, len;

        switch (smode) {
        case 0:
            seq = m.nxt[dir];
            break;
        case 1:
            seq = m.nxt[dir] + sd;
            break;
        case 2:
            seq = m.isn[dir] + sd;
            break;
        case 3:
            seq = m.last_seq[dir] + sd;
            break;
        case 4:
            seq = m.nxt[dir] - 1u;
            break;
        case 5:
            seq = m.fin_seq[dir] + sd;
            break;
        case 6:
            seq = le32(x);
            x += 4;
            break;
        default:
            seq = m.last_ack[p] + sd;
            break;
        }
        switch (amode) {
        case 0:
            ack = m.nxt[p];
            break;
        case 1:
            ack = m.nxt[p] + ad;
            break;
        case 2:
            ack = m.isn[p] + 1u + ad;
            break;
        case 3:
            ack = m.last_ack[dir] + ad;
            break;
        case 4:
            ack = m.last_seq[p] + ad;
            break;
        case 5:
            ack = m.fin_seq[p] + 1u + ad;
            break;
        case 6:
            ack = le32(x);
            x += 4;
            break;
        default:
            ack = ad;
            break;
        }
        if (lcode < 0xF0)
            len = lcode;
        else if (lcode < 0xFE)
            len = LEN_TABLE[lcode - 0xF0];
        else if (lcode == 0xFE)
            len = le16(x);
        else
            len = le32(x);

        if (n == 0 && (cfg & CFG_FORCE_SYN)) {
            dir = 0;
            p = 1;
            flags = TL_TH_SYN;
            seq = m.isn[0];
            ack = 0;
            len = 0;
        }
        if ((cfg & CFG_CLEAN_ACK) && !(flags & TL_TH_ACK))
            ack = 0;

        tl_segment *s = &segs[n++];
        memset(s, 0, sizeof *s);
        s->frame = frame;
        s->dir = dir;
        s->flags = flags;
        s->port_hint =
            (uint8_t)(((cfg & (dir ? CFG_HINT_DIR1 : CFG_HINT_DIR0)) ? TL_HINT_SRC_SERVICE : 0) |
                      ((cfg & (p ? CFG_HINT_DIR1 : CFG_HINT_DIR0)) ? TL_HINT_DST_SERVICE : 0));
        s->sport = port[dir];
        s->dport = port[p];
        s->seq = seq;
        s->ack = ack;
        s->len = len;
        s->win = (r[0] & 0x80u) ? 0u : 65535u;
        s->time_us = 1700000000000000LL + (int64_t)frame * 1000;

        bool syn = flags & TL_TH_SYN, fin = flags & TL_TH_FIN;
        uint32_t end = seq + len + (syn ? 1u : 0u) + (fin ? 1u : 0u);
        if (syn)
            m.isn[dir] = seq;
        if (syn || tl_seq_lt(m.nxt[dir], end))
            m.nxt[dir] = end;
        m.last_seq[dir] = seq;
        if (fin)
            m.fin_seq[dir] = seq + len;
        if (flags & TL_TH_ACK)
            m.last_ack[dir] = ack;

        off += need;
        frame += (cfg & CFG_SPARSE_FRAMES) ? 2u : 1u;
    }
    return n;
}

/* ---- reporting ---- */

static const tl_segment *cur_seg; /* the segment being checked, for messages */
static size_t cur_index;

static void flag_letters(uint8_t f, char out[9])
{
    static const char letters[] = "FSRPAUEC";
    size_t k = 0;
    for (unsigned b = 0; b < 8; b++)
        if (f & (1u << b))
            out[k++] = letters[b];
    if (k == 0)
        out[k++] = '-';
    out[k] = '\0';
}

static void print_segment(FILE *fp, size_t i, const tl_segment *s)
{
    char fl[9];
    flag_letters(s->flags, fl);
    fprintf(fp,
            "seg %zu frame=%u dir=%u flags=%s seq=%u ack=%u len=%u win=%u hint=%u ports=%u>%u\n", i,
            s->frame, s->dir, fl, s->seq, s->ack, s->len, s->win, s->port_hint, s->sport, s->dport);
}

static void print_result(FILE *fp, const tl_result *r)
{
    char label[256];
    fprintf(fp,
            "res sender=%s phase=%s hs=%u td=0x%x client=%s>%s server=%s>%s rtx=%u flags=0x%x "
            "anom=0x%x label=\"%s\"\n",
            tl_role_name(r->sender), tl_phase_name(r->phase), r->hs_step, r->td_mask,
            tl_state_name(r->state_before[0]), tl_state_name(r->state_after[0]),
            tl_state_name(r->state_before[1]), tl_state_name(r->state_after[1]), r->retrans_of,
            r->flags, r->anomalies, tl_format_label(r, label, sizeof label));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3), noreturn))
#endif
static void
fz_fail(const char *cond, const char *fmt, ...)
{
    fprintf(stderr, "tcplife fuzz: invariant violated at segment %zu", cur_index);
    if (cur_seg)
        fprintf(stderr, " (frame %u)", cur_seg->frame);
    fprintf(stderr, ": %s: ", cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cur_seg)
        print_segment(stderr, cur_index, cur_seg);
    if (fz_on_failure)
        fz_on_failure();
    abort();
}

/* ---- label and info-prefix formatting ---- */


typedef char *(*formatter)(const tl_result *, char *, size_t);

/* fmt never writes outside [buf, buf+size), always NUL-terminates when
 * size > 0, returns buf, and a short buffer gets a prefix of the full text. */
static void check_formatter(const tl_result *r, formatter fmt, const char *what, bool nonempty)
{
    char full[512];
    memset(full, 0x5A, sizeof full);
    FZ_CHECK(fmt(r, full, sizeof full) == full, "%s: does not return buf", what);
    size_t flen = bounded_len(full, sizeof full);
    FZ_CHECK(flen < sizeof full - 1, "%s: 511 bytes or more, or not NUL-terminated", what);
    FZ_CHECK(utf8_valid((const unsigned char *)full, flen), "%s: not UTF-8: \"%s\"", what, full);
    if (nonempty)
        FZ_CHECK(flen > 0, "%s: empty", what);

    static const size_t sizes[] = {0, 1, 5, 64};
    enum { GUARD = 16 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        unsigned char area[GUARD + 64 + GUARD];
        memset(area, 0xA5, sizeof area);
        char *b = (char *)area + GUARD;
        FZ_CHECK(fmt(r, b, n) == b, "%s(size %zu): does not return buf", what, n);
        for (size_t j = 0; j < sizeof area; j++)
            FZ_CHECK(area[j] == 0xA5 || (j >= GUARD && j < GUARD + n),
                     "%s(size %zu): wrote byte %d outside the buffer", what, n, (int)j - GUARD);
        if (n == 0)
            continue;
        size_t len = bounded_len(b, n);
        FZ_CHECK(len < n, "%s(size %zu): not NUL-terminated", what, n);
        FZ_CHECK(memcmp(b, full, len) == 0, "%s(size %zu): \"%.*s\" is not a prefix of \"%s\"",
                 what, n, (int)len, b, full);
        /* As much as fits; a formatter may stop at a UTF-8 boundary. */
        size_t fit = flen < n - 1 ? flen : n - 1;
        FZ_CHECK(len + 3 >= fit, "%s(size %zu): only %zu of %zu bytes written", what, n, len, fit);
    }
}

static void check_formatting(const tl_result *r)
{
    check_formatter(r, tl_format_label, "tl_format_label", true);
    check_formatter(r, tl_format_info_prefix, "tl_format_info_prefix", false);
}

/* Formatting is most of the harness's cost, and a long connection repeats
 * the same few results: check each distinct one once per input. */
static tl_result fmt_seen[64];
static bool fmt_valid[64];

static void check_formatting_once(const tl_result *r)
{
    tl_result key = *r;
    memset(key.state_before, 0, sizeof key.state_before); /* labels ignore states */
    memset(key.state_after, 0, sizeof key.state_after);
    key.data_len = key.data_len != 0; /* and the exact length hardly matters */
    key.retrans_of = key.retrans_of != 0;
    const unsigned char *b = (const unsigned char *)&key;
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < sizeof key; k++)
        h = (h ^ b[k]) * 16777619u;
    h &= 63u;
    if (fmt_valid[h] && memcmp(&fmt_seen[h], &key, sizeof key) == 0)
        return;
    check_formatting(r);
    fmt_seen[h] = key;
    fmt_valid[h] = true;
}

/* ---- invariants over one run ---- */

static const char *const ZEEK_STATES[] = {"S0",   "S1",     "SF",    "REJ", "S2",  "S3", "RSTO",
                                          "RSTR", "RSTOS0", "RSTRH", "SH",  "SHR", "OTH"};

static void check_zeek(const tl_zeek *z)
{
    static const char *good_state; /* the last string found valid */
    const char *st = tl_zeek_conn_state(z), *h = tl_zeek_history(z);
    FZ_CHECK(st != NULL, "zeek conn_state is NULL");
    if (st != good_state) {
        bool valid = false;
        for (size_t k = 0; k < sizeof ZEEK_STATES / sizeof ZEEK_STATES[0]; k++)
            valid = valid || strcmp(st, ZEEK_STATES[k]) == 0;
        FZ_CHECK(valid, "zeek conn_state \"%.16s\" is not a Zeek conn_state", st);
        /* Remember a string outside *z only (a literal, not a buffer). */
        bool inside = (uintptr_t)st >= (uintptr_t)z && (uintptr_t)st < (uintptr_t)(z + 1);
        good_state = inside ? NULL : st;
    }
    FZ_CHECK(memchr(z->history, '\0', sizeof z->history) != NULL, "zeek history[] unterminated");
    FZ_CHECK(h != NULL, "zeek history is NULL");
    size_t hl = bounded_len(h, TL_ZEEK_HISTORY_MAX + 1);
    FZ_CHECK(hl <= TL_ZEEK_HISTORY_MAX, "zeek history longer than %d", TL_ZEEK_HISTORY_MAX);
    for (size_t k = 0; k < hl; k++)
        FZ_CHECK(h[k] != '\0' && strchr("SsHhAaDdFfRrCcGgTtWwIiQq^", h[k]) != NULL,
                 "zeek history \"%s\": '%c' is not a Zeek history letter", h, h[k]);
}

static unsigned phase_rank(unsigned ph)
{
    switch (ph) {
    case TL_PHASE_HANDSHAKE:
        return 0;
    case TL_PHASE_ESTABLISHED:
        return 1;
    case TL_PHASE_CLOSING:
        return 2;
    default:
        return 3; /* closed, reset */
    }
}

static bool terminal(const uint8_t st[2])
{
    return st[TL_CLIENT] == TL_CLOSED && (st[TL_SERVER] == TL_CLOSED || st[TL_SERVER] == TL_LISTEN);
}

/* Index of frame among segs[0..n), or -1 (frames strictly increase). */
static long frame_index(const tl_segment *segs, size_t n, uint32_t frame)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (segs[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && segs[lo].frame == frame ? (long)lo : -1;
}

/* A first-frame link of the summary: once set it never changes, and it
 * names a frame already fed. */
static void check_link(uint32_t *seen, uint32_t now, const tl_segment *segs, size_t i,
                       const char *what)
{
    if (*seen)
        FZ_CHECK(now == *seen, "%s changed from %u to %u", what, *seen, now);
    else if (now)
        FZ_CHECK(frame_index(segs, i + 1, now) >= 0, "%s = %u is not a frame fed so far", what,
                 now);
    *seen = now;
}

enum { CTRL = TL_TH_SYN | TL_TH_FIN | TL_TH_RST };

static void check_step(const tl_conn *c, const tl_segment *segs, size_t i, const tl_result *r,
                       const tl_result *prev, int *client_dir, uint32_t links[8])
{
    const tl_segment *s = &segs[i];
    bool syn = s->flags & TL_TH_SYN, ack = s->flags & TL_TH_ACK, fin = s->flags & TL_TH_FIN,
         rst = s->flags & TL_TH_RST;

    /* Every value in range. */
    for (int k = 0; k < 2; k++) {
        FZ_CHECK(r->state_before[k] < TL_STATE_COUNT, "state_before[%d] = %u", k,
                 r->state_before[k]);
        FZ_CHECK(r->state_after[k] < TL_STATE_COUNT, "state_after[%d] = %u", k, r->state_after[k]);
        FZ_CHECK(strcmp(tl_state_name(r->state_after[k]), "?") != 0, "state without a name");
    }
    FZ_CHECK(r->phase < TL_PHASE_COUNT, "phase = %u", r->phase);
    FZ_CHECK(r->sender < TL_ROLE_COUNT, "sender = %u", r->sender);
    FZ_CHECK(r->hs_step <= 3, "hs_step = %u", r->hs_step);
    FZ_CHECK((r->td_mask & ~0x0Fu) == 0, "td_mask = 0x%x", r->td_mask);
    FZ_CHECK(c->closer < TL_CLOSER_COUNT, "closer = %u", c->closer);
    FZ_CHECK(c->phase == r->phase, "tl_conn.phase %u != result phase %u", c->phase, r->phase);
    FZ_CHECK(c->segments == i + 1 && c->last_frame == s->frame && c->first_frame == segs[0].frame,
             "segments/first_frame/last_frame bookkeeping");

    /* The result echoes the segment. */
    FZ_CHECK(!(r->flags & TL_F_SYN) == !syn && !(r->flags & TL_F_FIN) == !fin &&
                 !(r->flags & TL_F_RST) == !rst,
             "TL_F_SYN/FIN/RST 0x%x do not echo TCP flags 0x%x", r->flags, s->flags);
    FZ_CHECK(r->data_len == s->len, "data_len %u != len %u", r->data_len, s->len);

    /* States chain from one segment to the next. */
    bool changed =
        r->state_before[0] != r->state_after[0] || r->state_before[1] != r->state_after[1];
    FZ_CHECK(changed == !!(r->flags & TL_F_STATE_CHANGE), "TL_F_STATE_CHANGE %d, changed %d",
             !!(r->flags & TL_F_STATE_CHANGE), changed);
    if (prev) {
        FZ_CHECK(r->state_before[0] == prev->state_after[0] &&
                     r->state_before[1] == prev->state_after[1],
                 "state_before %s/%s != previous state_after %s/%s",
                 tl_state_name(r->state_before[0]), tl_state_name(r->state_before[1]),
                 tl_state_name(prev->state_after[0]), tl_state_name(prev->state_after[1]));
        /* Both ends closed (or CLOSED/LISTEN after an RST): only a SYN starts
         * anything again. */
        if (terminal(prev->state_after) && !syn)
            FZ_CHECK(!changed, "left %s/%s without a SYN: now %s/%s",
                     tl_state_name(prev->state_after[0]), tl_state_name(prev->state_after[1]),
                     tl_state_name(r->state_after[0]), tl_state_name(r->state_after[1]));
        /* handshake -> established -> closing -> closed/reset: never back,
         * except when a SYN reopens the connection. */
        if (!syn)
            FZ_CHECK(phase_rank(r->phase) >= phase_rank(prev->phase), "phase went back: %s -> %s",
                     tl_phase_name(prev->phase), tl_phase_name(r->phase));
    }
    /* After an RST both ends are CLOSED (the server perhaps LISTEN), and
     * only the server can be in LISTEN, ever. */
    if (c->cflags & TL_C_RESET)
        for (int k = 0; k < 2; k++)
            FZ_CHECK(r->state_after[k] == TL_CLOSED || r->state_after[k] == TL_LISTEN,
                     "after an RST, %s is %s", tl_role_name((unsigned)k),
                     tl_state_name(r->state_after[k]));
    FZ_CHECK(r->state_after[TL_CLIENT] != TL_LISTEN, "the client is in LISTEN");
    /* SPEC §3: "An RST has phase reset; segments after it have phase closed". */
    if (r->phase == TL_PHASE_RESET)
        FZ_CHECK(rst, "phase reset on a segment without RST");
    if (r->flags & TL_F_REFUSED)
        FZ_CHECK(rst, "refused on a segment without RST");

    /* Roles change only when a SYN (re)starts the connection. */
    int dir_now = r->sender == TL_CLIENT ? s->dir : !s->dir;
    if (*client_dir >= 0 && !syn)
        FZ_CHECK(dir_now == *client_dir, "client moved from dir %d to dir %d without a SYN",
                 *client_dir, dir_now);
    *client_dir = dir_now;

    /* Steps agree with the segment's flags (SPEC §3). */
    if (r->hs_step == 1)
        FZ_CHECK(syn && !ack, "handshake step 1 without a bare SYN");
    if (r->hs_step == 2)
        FZ_CHECK(syn && ack, "handshake step 2 without SYN+ACK");
    if (r->hs_step == 3)
        FZ_CHECK(ack && !syn, "handshake step 3 not a non-SYN ACK");
    if (r->hs_step)
        FZ_CHECK(c->hs_frame[r->hs_step - 1] != 0, "handshake step %u without hs_frame",
                 r->hs_step);
    if (r->td_mask & 0x05)
        FZ_CHECK(fin, "teardown step 1 or 3 (td 0x%x) without FIN", r->td_mask);
    if (r->td_mask & 0x0A)
        FZ_CHECK(ack || r->retrans_of, "teardown step 2 or 4 (td 0x%x) without ACK", r->td_mask);
    for (unsigned n = 1; n <= 4; n++)
        if (tl_has_td_step(r, n))
            FZ_CHECK(c->td_frame[n - 1] != 0, "teardown step %u without td_frame", n);

    /* Invalid flag combinations are noted, not believed. */
    if (r->anomalies & TL_A_BOGUS_FLAGS)
        FZ_CHECK(!changed && !r->hs_step && !r->td_mask && !r->retrans_of,
                 "a bogus-flags segment changed something");

    /* A retransmission names an earlier frame from the same sender that
     * carried the same control flag. */
    if (r->retrans_of) {
        FZ_CHECK(s->flags & CTRL, "retrans_of %u on a segment without SYN/FIN/RST", r->retrans_of);
        FZ_CHECK(r->retrans_of < s->frame, "retrans_of %u is not earlier", r->retrans_of);
        long j = frame_index(segs, i, r->retrans_of);
        FZ_CHECK(j >= 0, "retrans_of %u is not a frame fed before", r->retrans_of);
        const tl_segment *o = &segs[j];
        FZ_CHECK(o->dir == s->dir, "retrans_of %u was sent by the other side", r->retrans_of);
        FZ_CHECK(o->flags & s->flags & CTRL, "retrans_of %u (flags 0x%x) shares no SYN/FIN/RST",
                 r->retrans_of, o->flags);
    }

    /* The summary's first-frame links never change once set. */
    static const char *const link_names[8] = {"hs_frame[0]", "hs_frame[1]", "hs_frame[2]",
                                              "td_frame[0]", "td_frame[1]", "td_frame[2]",
                                              "td_frame[3]", "rst_frame"};
    const uint32_t now[8] = {c->hs_frame[0], c->hs_frame[1], c->hs_frame[2], c->td_frame[0],
                             c->td_frame[1], c->td_frame[2], c->td_frame[3], c->rst_frame};
    for (int k = 0; k < 8; k++)
        check_link(&links[k], now[k], segs, i, link_names[k]);
}

static bool same_conn(const tl_conn *a, const tl_conn *b)
{
    for (int k = 0; k < 2; k++) {
        const tl_endpoint *x = &a->ep[k], *y = &b->ep[k];
        if (x->isn != y->isn || x->fin_seq != y->fin_seq || x->next_seq != y->next_seq ||
            x->max_ack != y->max_ack || x->syn_frame != y->syn_frame ||
            x->synack_frame != y->synack_frame || x->fin_frame != y->fin_frame ||
            x->rst_frame != y->rst_frame || x->rst_seq != y->rst_seq || x->win != y->win ||
            x->facts != y->facts || x->state != y->state || x->fin_steps != y->fin_steps)
            return false;
    }
    return a->client_dir == b->client_dir && a->closer == b->closer && a->cflags == b->cflags &&
           a->active == b->active && a->td_done == b->td_done && a->phase == b->phase &&
           memcmp(a->hs_frame, b->hs_frame, sizeof a->hs_frame) == 0 &&
           memcmp(a->td_frame, b->td_frame, sizeof a->td_frame) == 0 &&
           a->rst_frame == b->rst_frame && a->first_frame == b->first_frame &&
           a->last_frame == b->last_frame && a->segments == b->segments &&
           a->first_time_us == b->first_time_us && a->last_time_us == b->last_time_us;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tl_segment segs[FZ_MAX_SEGMENTS];
    static tl_result res[FZ_MAX_SEGMENTS];
    size_t n = fz_decode(data, size, segs, FZ_MAX_SEGMENTS);

    cur_seg = NULL;
    cur_index = 0;
    /* The formatters take any tl_result, not only the core's. */
    if (size >= sizeof(tl_result)) {
        tl_result raw;
        memcpy(&raw, data + size - sizeof raw, sizeof raw);
        check_formatting(&raw);
        for (unsigned k = 0; k < 4; k++)
            FZ_CHECK(tl_state_name(data[k]) && tl_phase_name(data[k]) && tl_role_name(data[k]) &&
                         tl_closer_name(data[k]),
                     "a name function returned NULL");
    }
    if (n == 0)
        return 0;
    memset(fmt_valid, 0, sizeof fmt_valid);

    tl_conn c;
    tl_zeek z;
    int client_dir = -1;
    uint32_t links[8] = {0};
    tl_conn_init(&c);
    tl_zeek_init(&z);
    for (size_t i = 0; i < n; i++) {
        cur_seg = &segs[i];
        cur_index = i;
        memset(&res[i], 0xA5, sizeof res[i]);
        tl_conn_segment(&c, &segs[i], &res[i]);
        if (fz_verbose) {
            print_segment(stdout, i, &segs[i]);
            print_result(stdout, &res[i]);
        }
        check_step(&c, segs, i, &res[i], i ? &res[i - 1] : NULL, &client_dir, links);
        check_formatting_once(&res[i]);
        tl_zeek_segment(&z, &segs[i]);
        check_zeek(&z);
    }
    char hist[TL_ZEEK_HISTORY_MAX + 1];
    const char *zstate = tl_zeek_conn_state(&z);
    snprintf(hist, sizeof hist, "%s", tl_zeek_history(&z));

    /* Determinism: the same segments into a fresh tl_conn (on memory full of
     * garbage, as a wmem allocation would be) give the same results. It
     * doubles the cost of an input, so libFuzzer does it for one input in
     * fz_determinism_every (always for the first: a crash file replays it). */
    static unsigned long calls;
    if (fz_determinism_every > 1 && calls++ % fz_determinism_every != 0)
        return 0;
    cur_seg = NULL;
    cur_index = n;
    tl_conn c2;
    tl_zeek z2;
    memset(&c2, 0xA5, sizeof c2);
    memset(&z2, 0xA5, sizeof z2);
    tl_conn_init(&c2);
    tl_zeek_init(&z2);
    for (size_t i = 0; i < n; i++) {
        tl_result r2;
        memset(&r2, 0x5A, sizeof r2);
        tl_conn_segment(&c2, &segs[i], &r2);
        tl_zeek_segment(&z2, &segs[i]);
        cur_index = i;
        FZ_CHECK(memcmp(&r2, &res[i], sizeof r2) == 0, "second run gave another result");
    }
    FZ_CHECK(same_conn(&c, &c2), "second run left another tl_conn");
    FZ_CHECK(strcmp(zstate, tl_zeek_conn_state(&z2)) == 0 &&
                 strcmp(hist, tl_zeek_history(&z2)) == 0,
             "second run gave another Zeek summary");
    return 0;
}
