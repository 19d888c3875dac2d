/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the HTTP/1.x tracker (include/tcplife/http.h): decodes
 * the input into payload segments and FINs of one connection, feeds them to
 * a tl_http and, after every call, checks what http.h promises whatever the
 * bytes are, never expected outputs. A violation calls abort(), which
 * libFuzzer (or replay.c under gcc) reports as a crash.
 *
 * Input format (multi-byte numbers little-endian). A 9-byte header:
 *
 *   cfg      1  bit 0: ISNs near 2^32 (isn = 0xFFFFFFFF - (raw & 0x3FF)), so
 *               that sequence numbers wrap as in test_http.c; bits 1-7 unused
 *   isnC     4  raw first sequence number of the client's payload
 *   isnS     4  raw first sequence number of the server's
 *
 * then events, at most FZH_MAX_EVENTS:
 *
 *   op       bit 0: sender, 0 client, 1 server
 *            bits 1-3: 0, 6, 7 payload in order:     seq = nxt
 *                      1       payload after a gap:  seq = nxt + 1 + u16
 *                      2       repeated bytes:       seq = nxt - 1 - u16
 *                      3       payload anywhere:     seq = nxt + u32
 *                      4       FIN: tl_http_fin(..., &ended)
 *                      5       FIN: tl_http_fin(..., NULL)
 *            bits 4-5 (payload): bytes on the wire beyond the captured ones
 *                      (a snapshot cut): 0 none, 1 u8, 2 u16, 3 BIG[u8 & 7]
 *            bit 6 (payload): the segment also carries a FIN (fed after it)
 *   extras   the u16/u32 of the seq mode, then the u8/u16 of the wire mode
 *   caplen   u8, or 0xFF then u16: captured bytes, which follow (fewer when
 *            the input ends first)
 *
 * A FIN op has no extras, caplen or bytes. nxt[sender] starts at its ISN and
 * becomes seq + wire length after each payload, as next[] in test_http.c's
 * run_segs (a repeat followed by "in order" keeps overlapping).
 * make_seeds_http.py writes this format.
 *
 * The replay hooks (fz_verbose, fz_determinism_every, fz_on_failure) are
 * those fuzz_core.h declares, so replay.c serves both targets unchanged.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http/trace.h"
#include "fuzz_checks.h"
#include "fuzz_core.h"
#include "tcplife/http.h"

int fz_verbose;
unsigned fz_determinism_every = 4;
void (*fz_on_failure)(void);

#define FZH_HEADER 9
#define FZH_MAX_EVENTS 256

enum { EV_PAYLOAD, EV_FIN, EV_FIN_NULL };

static const uint32_t BIG[8] = {1000,        65535,       65536,       1u << 20,
                                0x7FFFFFFFu, 0x80000000u, 0xFFFFFFF0u, 0xFFFFFFFFu};

typedef struct fz_event {
    uint8_t kind;   /* EV_* */
    uint8_t client; /* sender */
    uint8_t how;    /* payload: seq mode 0-3 (for -d) */
    uint32_t seq, len, cap;
    const uint8_t *data; /* cap bytes inside the input */
} fz_event;

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (unsigned)p[1] << 8); }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t decode(const uint8_t *data, size_t size, fz_event *ev, size_t max)
{
    if (size < FZH_HEADER)
        return 0;
    uint32_t nxt[2] = {le32(data + 1), le32(data + 5)};
    if (data[0] & 1u)
        for (int d = 0; d < 2; d++)
            nxt[d] = 0xFFFFFFFFu - (nxt[d] & 0x3FFu);
    size_t off = FZH_HEADER, n = 0;
    while (n < max && off < size) {
        uint8_t op = data[off++];
        unsigned d = op & 1u, mode = (op >> 1) & 7u, wmode = (op >> 4) & 3u;
        fz_event *e = &ev[n];
        memset(e, 0, sizeof *e);
        e->client = d == 0;
        if (mode == 4 || mode == 5) {
            e->kind = mode == 4 ? EV_FIN : EV_FIN_NULL;
            n++;
            continue;
        }
        if (mode >= 6)
            mode = 0;
        size_t need = (mode == 1 || mode == 2 ? 2u : mode == 3 ? 4u : 0u) +
                      (wmode == 2 ? 2u : wmode ? 1u : 0u) + 1u;
        if (size - off < need)
            break;
        uint32_t seq = nxt[d];
        if (mode == 1)
            seq += 1u + le16(data + off);
        else if (mode == 2)
            seq -= 1u + le16(data + off);
        else if (mode == 3)
            seq += le32(data + off);
        off += mode == 1 || mode == 2 ? 2u : mode == 3 ? 4u : 0u;
        uint32_t extra = 0;
        if (wmode == 1)
            extra = data[off];
        else if (wmode == 2)
            extra = le16(data + off);
        else if (wmode == 3)
            extra = BIG[data[off] & 7u];
        off += wmode == 2 ? 2u : wmode ? 1u : 0u;
        size_t cap = data[off++];
        if (cap == 0xFF) {
            if (size - off < 2)
                break;
            cap = le16(data + off);
            off += 2;
        }
        if (cap > size - off)
            cap = size - off;
        e->kind = EV_PAYLOAD;
        e->how = (uint8_t)mode;
        e->seq = seq;
        e->cap = (uint32_t)cap;
        e->len = extra > 0xFFFFFFFFu - e->cap ? 0xFFFFFFFFu : e->cap + extra;
        e->data = data + off;
        off += cap;
        nxt[d] = seq + e->len;
        n++;
        if ((op & 0x40u) && n < max) {
            memset(&ev[n], 0, sizeof ev[n]);
            ev[n].kind = EV_FIN;
            ev[n].client = d == 0;
            n++;
        }
    }
    return n;
}

/* ---- reporting ---- */

static const fz_event *cur_ev;
static size_t cur_index;
static uint8_t *held;          /* the current payload's heap copy (freed on failure too) */
static const uint8_t *payload; /* its captured bytes: held + 1 */

static void print_event(FILE *fp, size_t i, const fz_event *e)
{
    static const char *const how[] = {"", " (gap)", " (repeat)", " (far)"};
    if (e->kind != EV_PAYLOAD)
        fprintf(fp, "ev %zu %c FIN%s\n", i, e->client ? 'C' : 'S',
                e->kind == EV_FIN_NULL ? " (ended NULL)" : "");
    else
        fprintf(fp, "ev %zu %c seq=%u len=%u cap=%u%s\n", i, e->client ? 'C' : 'S', e->seq, e->len,
                e->cap, how[e->how & 3u]);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3), noreturn))
#endif
static void
fz_fail(const char *cond, const char *fmt, ...)
{
    fprintf(stderr, "tcplife http fuzz: invariant violated at event %zu: %s: ", cur_index, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cur_ev)
        print_event(stderr, cur_index, cur_ev);
    free(held);
    held = NULL;
    if (fz_on_failure)
        fz_on_failure();
    abort();
}

/* ---- invariants ---- */

/* What the harness knows of one direction, from the API alone. */
typedef struct side {
    bool seq_known; /* a payload was fed (not after FIN): exp is valid */
    uint32_t exp;   /* the next new byte: the end of the furthest payload */
    uint64_t span;  /* bytes from the first payload's start to exp */
    bool fin;       /* its FIN was fed */
    bool msg_known; /* every piece of this side was reported so far */
    bool msg_open;  /* the last reported message had no END */
    uint32_t msg_exchange, msg_part;
    uint32_t last_exchange; /* of the latest new (non-repeat) piece */
} side;

typedef struct run_state {
    side s[2]; /* [0] server, [1] client */
    uint32_t exchanges;
    bool app_seen;
} run_state;

/* tl_http_format writes only inside [buf, buf+size), NUL-terminates when
 * size > 0, returns buf; a short buffer gets a prefix of the full text. The
 * text it adds is ASCII, so it is UTF-8 whenever the summaries are. */
static void check_format(const tl_http_result *r)
{
    static char full[2048];
    memset(full, 0x5A, sizeof full);
    FZ_CHECK(tl_http_format(r, full, sizeof full) == full, "tl_http_format: does not return buf");
    size_t flen = bounded_len(full, sizeof full);
    FZ_CHECK(flen < sizeof full - 1, "tl_http_format: 2047 bytes or more, or not NUL-terminated");
    if (r->n)
        FZ_CHECK(flen > 0, "tl_http_format: empty for %u pieces", r->n);
    bool utf8 = true;
    for (unsigned k = 0; k < r->n; k++)
        if (r->piece[k].flags & TL_HTTP_P_SUMMARY)
            utf8 = utf8 && utf8_valid((const unsigned char *)r->piece[k].summary,
                                      bounded_len(r->piece[k].summary, TL_HTTP_SUMMARY_MAX));
    if (utf8)
        FZ_CHECK(utf8_valid((const unsigned char *)full, flen), "tl_http_format: not UTF-8: %s",
                 full);

    static const size_t sizes[] = {0, 1, 5, 64};
    enum { GUARD = 16 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        unsigned char area[GUARD + 64 + GUARD];
        memset(area, 0xA5, sizeof area);
        char *b = (char *)area + GUARD;
        FZ_CHECK(tl_http_format(r, b, n) == b, "tl_http_format(size %zu): does not return buf", n);
        for (size_t j = 0; j < sizeof area; j++)
            FZ_CHECK(area[j] == 0xA5 || (j >= GUARD && j < GUARD + n),
                     "tl_http_format(size %zu): wrote byte %d outside the buffer", n,
                     (int)j - GUARD);
        if (n == 0)
            continue;
        size_t len = bounded_len(b, n);
        FZ_CHECK(len < n, "tl_http_format(size %zu): not NUL-terminated", n);
        FZ_CHECK(memcmp(b, full, len) == 0, "tl_http_format(size %zu): \"%.*s\" not a prefix of %s",
                 n, (int)len, b, full);
    }
}

static void check_summary(const tl_http_piece *pc, const char *what)
{
    if (!(pc->flags & TL_HTTP_P_SUMMARY))
        return;
    size_t sl = bounded_len(pc->summary, TL_HTTP_SUMMARY_MAX);
    FZ_CHECK(sl < TL_HTTP_SUMMARY_MAX, "%s: summary not NUL-terminated", what);
    /* "200 OK": a response's summary starts with its status code. */
    if (pc->kind == TL_HTTP_RESPONSE) {
        char code[4];
        snprintf(code, sizeof code, "%03u", (unsigned)pc->status % 1000u);
        FZ_CHECK(pc->status >= 100 && pc->status <= 999 && strncmp(pc->summary, code, 3) == 0,
                 "%s: status %u, summary \"%s\"", what, pc->status, pc->summary);
    }
}

/* Piece k of a result for payload e, whose first `start` bytes are old. */
static void check_piece(const tl_http_result *r, unsigned k, const fz_event *e, uint32_t start,
                        side *s)
{
    const tl_http_piece *pc = &r->piece[k];
    unsigned kind = e->client ? TL_HTTP_REQUEST : TL_HTTP_RESPONSE;
    bool rep = pc->flags & TL_HTTP_P_REPEAT, st = pc->flags & TL_HTTP_P_START;

    FZ_CHECK((pc->flags & ~0xFFu) == 0, "piece %u: flags 0x%x", k, pc->flags);
    FZ_CHECK(pc->kind == kind, "piece %u: kind %u from the %s", k, pc->kind,
             e->client ? "client" : "server");
    FZ_CHECK(strcmp(tl_http_msg_name(pc->kind), "?") != 0, "piece %u: kind without a name", k);
    FZ_CHECK(pc->exchange >= 1, "piece %u: exchange 0", k);
    FZ_CHECK((uint64_t)pc->offset + pc->length <= e->len, "piece %u: %u+%u beyond len %u", k,
             pc->offset, pc->length, e->len);
    /* In payload order, apart. Repeated bytes are mapped to old messages by
     * sequence number: once a side has sent 2^31 bytes (the fuzzer's lengths
     * reach 2^32 - 1), old ranges may wrap onto newer ones. */
    if (k > 0) {
        const tl_http_piece *pv = &r->piece[k - 1];
        if (!(rep && (pv->flags & TL_HTTP_P_REPEAT)) || s->span < 0x80000000u)
            FZ_CHECK(pc->offset >= (uint64_t)pv->offset + pv->length,
                     "piece %u at %u overlaps or precedes piece %u (%u+%u)", k, pc->offset, k - 1,
                     pv->offset, pv->length);
    }
    check_summary(pc, "piece");
    if (pc->status)
        FZ_CHECK(pc->status >= 100 && pc->status <= 999, "piece %u: status %u", k, pc->status);

    /* Repeated bytes are the payload's first `start` bytes; new ones follow. */
    FZ_CHECK(!rep || (r->flags & TL_HTTP_R_REPEAT), "piece %u: REPEAT in a result without it", k);
    if (rep)
        FZ_CHECK(pc->offset < start, "piece %u: REPEAT at %u, old bytes end at %u", k, pc->offset,
                 start);
    else
        FZ_CHECK(pc->offset >= start, "piece %u: new at %u, old bytes end at %u", k, pc->offset,
                 start);
    if (pc->part == 0)
        FZ_CHECK(rep && (uint64_t)pc->offset + pc->length <= start,
                 "piece %u: part 0 on bytes %u+%u not all repeated (old: %u)", k, pc->offset,
                 pc->length, start);

    /* The start line: from the message's first byte, captured bytes only,
     * inside the message, no LF. */
    if (st) {
        FZ_CHECK(pc->line_off == pc->offset, "piece %u: line_off %u, offset %u", k, pc->line_off,
                 pc->offset);
        if (pc->line_len) {
            FZ_CHECK((uint64_t)pc->line_off + pc->line_len <= e->cap &&
                         pc->line_len <= pc->length,
                     "piece %u: line %u+%u, captured %u, piece %u+%u", k, pc->line_off,
                     pc->line_len, e->cap, pc->offset, pc->length);
            /* Only where the line was parsed here: a repeat may carry other
             * bytes than the original (the fuzzer's do), and those are not
             * parsed again. */
            if (!rep)
                FZ_CHECK(memchr(payload + pc->line_off, '\n', pc->line_len) == NULL,
                         "piece %u: LF inside the start line", k);
        }
    }

    /* Flags that name a kind of message. */
    if (pc->flags & (TL_HTTP_P_INTERIM | TL_HTTP_P_UPGRADE | TL_HTTP_P_NO_BODY))
        FZ_CHECK(pc->kind == TL_HTTP_RESPONSE, "piece %u: request flagged 0x%x", k, pc->flags);
    if (pc->flags & TL_HTTP_P_INTERIM)
        FZ_CHECK(pc->status >= 100 && pc->status < 200 && pc->status != 101,
                 "piece %u: INTERIM with status %u", k, pc->status);
    if (pc->flags & TL_HTTP_P_UPGRADE)
        FZ_CHECK((pc->status == 101 || (pc->status >= 200 && pc->status < 300)) &&
                     (r->flags & TL_HTTP_R_UPGRADED),
                 "piece %u: UPGRADE with status %u, result flags 0x%x", k, pc->status, r->flags);
    if (pc->kind == TL_HTTP_RESPONSE && (pc->flags & TL_HTTP_P_HEADERS_END) &&
        ((pc->status >= 100 && pc->status < 200) || pc->status == 204 || pc->status == 304))
        FZ_CHECK(pc->flags & TL_HTTP_P_NO_BODY, "piece %u: status %u without NO_BODY", k,
                 pc->status);
    if ((pc->flags & TL_HTTP_P_NO_BODY) && (pc->flags & TL_HTTP_P_HEADERS_END))
        FZ_CHECK(pc->flags & TL_HTTP_P_END, "piece %u: no body, headers end, no END", k);

    /* Parts: the part-th segment with bytes of the message. A new message
     * starts at 1; any other numbered piece continues the side's last
     * message, at the first new byte unless repeated bytes lead into it. */
    if (pc->part == 0)
        return;
    if (st && !rep) {
        FZ_CHECK(pc->part == 1, "piece %u: new message at part %u", k, pc->part);
    } else {
        FZ_CHECK(pc->part >= 2, "piece %u: continuation at part %u", k, pc->part);
        if (!rep)
            FZ_CHECK(pc->offset == start, "piece %u: continuation at %u, new bytes at %u", k,
                     pc->offset, start);
        if (s->msg_known)
            FZ_CHECK(s->msg_open && pc->exchange == s->msg_exchange &&
                         pc->part == s->msg_part + 1,
                     "piece %u: #%u part %u continues #%u part %u (%s)", k, pc->exchange, pc->part,
                     s->msg_exchange, s->msg_part, s->msg_open ? "open" : "ended");
    }
    s->msg_known = true;
    s->msg_open = !(pc->flags & TL_HTTP_P_END);
    s->msg_exchange = pc->exchange;
    s->msg_part = pc->part;
}

static void check_segment(const tl_http *h, const fz_event *e, const tl_http_result *r,
                          run_state *rs)
{
    side *s = &rs->s[e->client];
    FZ_CHECK(r->app < TL_APP_COUNT && strcmp(tl_app_name(r->app), "?") != 0, "app %u", r->app);
    FZ_CHECK(r->n <= TL_HTTP_MAX_PIECES && r->n <= r->n_total, "n %u, n_total %u", r->n,
             r->n_total);
    FZ_CHECK(r->n_total == r->n || r->n == TL_HTTP_MAX_PIECES, "n %u < n_total %u with room",
             r->n, r->n_total);
    FZ_CHECK((r->flags & ~0xFFu) == 0, "result flags 0x%x", r->flags);
    uint32_t now = tl_http_exchanges(h);
    tl_app app = tl_http_conn_app(h);
    FZ_CHECK((unsigned)app < TL_APP_COUNT, "tl_http_conn_app %u", (unsigned)app);

    if (e->len == 0) {
        FZ_CHECK(r->app == TL_APP_NONE && r->n == 0 && r->n_total == 0,
                 "len 0: app %u, %u pieces", r->app, r->n_total);
        FZ_CHECK(now == rs->exchanges, "len 0: exchanges %u -> %u", rs->exchanges, now);
        return;
    }
    FZ_CHECK(!(r->flags & TL_HTTP_R_TRUNCATED) == !(e->cap < e->len),
             "TRUNCATED %d with captured %u of %u", !!(r->flags & TL_HTTP_R_TRUNCATED), e->cap,
             e->len);
    FZ_CHECK(!(r->flags & TL_HTTP_R_AFTER_FIN) == !s->fin, "AFTER_FIN %d, FIN fed %d",
             !!(r->flags & TL_HTTP_R_AFTER_FIN), s->fin);
    if (s->fin) {
        /* Later payload from that side is ignored. */
        FZ_CHECK(r->n_total == 0 && now == rs->exchanges && (!rs->app_seen || app != TL_APP_NONE),
                 "after FIN: %u pieces, exchanges %u -> %u", r->n_total, rs->exchanges, now);
        return;
    }

    /* Where the new bytes start: the side expects exp next. */
    uint32_t start = 0;
    bool rep = r->flags & TL_HTTP_R_REPEAT, gap = r->flags & TL_HTTP_R_GAP;
    FZ_CHECK(!(rep && gap), "both GAP and REPEAT");
    if (!s->seq_known) {
        FZ_CHECK(!rep && !gap, "first payload of its side flagged GAP/REPEAT (0x%x)", r->flags);
    } else {
        bool before = tl_seq_lt(e->seq, s->exp), after = tl_seq_lt(s->exp, e->seq);
        if (before && !after)
            FZ_CHECK(rep, "seq %u before the next byte %u, no REPEAT", e->seq, s->exp);
        if (after && !before)
            FZ_CHECK(gap, "seq %u after the next byte %u, no GAP", e->seq, s->exp);
        if (e->seq == s->exp)
            FZ_CHECK(!rep && !gap, "in order, flags 0x%x", r->flags);
        if (rep) {
            uint32_t old = s->exp - e->seq;
            start = old < e->len ? old : e->len;
        }
    }
    if (r->n_total)
        FZ_CHECK(r->app == TL_APP_HTTP, "%u HTTP pieces in a payload of app %s", r->n_total,
                 tl_app_name(r->app));

    for (unsigned k = 0; k < r->n && k < TL_HTTP_MAX_PIECES; k++) {
        const tl_http_piece *pc = &r->piece[k];
        check_piece(r, k, e, start, s);
        FZ_CHECK(pc->exchange <= now, "piece %u: exchange %u, tl_http_exchanges %u", k,
                 pc->exchange, now);
        if (!(pc->flags & TL_HTTP_P_REPEAT)) {
            FZ_CHECK(pc->exchange >= s->last_exchange, "piece %u: exchange %u after %u", k,
                     pc->exchange, s->last_exchange);
            s->last_exchange = pc->exchange;
        }
    }
    if (r->n_total > r->n)
        s->msg_known = false; /* pieces beyond n were not reported */

    /* Exchanges seen so far never go down, except when a direction that
     * never showed a whole start line turns out not to be HTTP: its
     * half-parsed message is withdrawn (test_http.c: http09), MALFORMED. */
    if (!(r->flags & TL_HTTP_R_MALFORMED))
        FZ_CHECK(now >= rs->exchanges, "tl_http_exchanges %u -> %u", rs->exchanges, now);
    rs->exchanges = now;
    if (r->n_total)
        rs->app_seen = true;
    if (rs->app_seen)
        FZ_CHECK(app != TL_APP_NONE, "tl_http_conn_app NONE after HTTP was seen");

    /* The model of the next byte: a payload wholly before it leaves it. */
    uint32_t old = s->exp - e->seq;
    if (!s->seq_known) {
        s->span = e->len;
        s->exp = e->seq + e->len;
    } else if (!tl_seq_lt(e->seq, s->exp) || old < e->len) {
        s->span += (uint32_t)(e->seq + e->len - s->exp);
        s->exp = e->seq + e->len;
    }
    s->seq_known = true;
}

static void check_fin(const tl_http *h, const fz_event *e, int ret, const tl_http_piece *ended,
                      run_state *rs)
{
    side *s = &rs->s[e->client];
    FZ_CHECK(ret == TL_HTTP_FIN_NONE || ret == TL_HTTP_FIN_ENDED || ret == TL_HTTP_FIN_CUT,
             "tl_http_fin returned %d", ret);
    if (s->fin)
        FZ_CHECK(ret == TL_HTTP_FIN_NONE, "second FIN from one side returned %d", ret);
    uint32_t now = tl_http_exchanges(h);
    FZ_CHECK(now >= rs->exchanges, "FIN: tl_http_exchanges %u -> %u", rs->exchanges, now);
    rs->exchanges = now;
    if (ret != TL_HTTP_FIN_NONE && ended) {
        FZ_CHECK(ended->kind == (e->client ? TL_HTTP_REQUEST : TL_HTTP_RESPONSE),
                 "FIN: ended kind %u", ended->kind);
        FZ_CHECK(ended->exchange >= 1 && ended->part >= 1 && ended->offset == 0 &&
                     ended->length == 0,
                 "FIN: ended #%u part %u %u+%u", ended->exchange, ended->part, ended->offset,
                 ended->length);
        FZ_CHECK(ret != TL_HTTP_FIN_ENDED ||
                     (ended->kind == TL_HTTP_RESPONSE && (ended->flags & TL_HTTP_P_END)),
                 "FIN ended a message: kind %u flags 0x%x", ended->kind, ended->flags);
        FZ_CHECK(ret != TL_HTTP_FIN_CUT || !(ended->flags & TL_HTTP_P_END),
                 "FIN cut a message: flags 0x%x", ended->flags);
        check_summary(ended, "FIN");
        if (s->msg_known)
            FZ_CHECK(s->msg_open && ended->exchange == s->msg_exchange &&
                         ended->part == s->msg_part,
                     "FIN ended #%u part %u, last reported #%u part %u (%s)", ended->exchange,
                     ended->part, s->msg_exchange, s->msg_part, s->msg_open ? "open" : "ended");
    }
    s->fin = true;
}

/* ---- one run ---- */

/* FNV-1a over what a result says (the bytes http.h lets one read). */
static uint64_t mix(uint64_t hsh, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++)
        hsh = (hsh ^ b[k]) * 1099511628211ull;
    return hsh;
}

static uint64_t digest(const tl_http_result *r, const tl_http_piece *ended, int ret,
                       const tl_http *h)
{
    uint64_t x = 14695981039346656037ull;
    uint32_t ex = tl_http_exchanges(h);
    unsigned app = (unsigned)tl_http_conn_app(h);
    x = mix(x, &ex, sizeof ex);
    x = mix(x, &app, sizeof app);
    x = mix(x, &ret, sizeof ret);
    const tl_http_piece *pcs = ended;
    unsigned n = ended ? 1 : 0;
    if (r) {
        x = mix(x, &r->app, sizeof r->app);
        x = mix(x, &r->n, sizeof r->n);
        x = mix(x, &r->flags, sizeof r->flags);
        x = mix(x, &r->n_total, sizeof r->n_total);
        pcs = r->piece;
        n = r->n < TL_HTTP_MAX_PIECES ? r->n : TL_HTTP_MAX_PIECES;
    }
    for (unsigned k = 0; k < n; k++) {
        const tl_http_piece *pc = &pcs[k];
        uint32_t v[6] = {pc->exchange, pc->part, pc->offset, pc->length, pc->line_off,
                         pc->line_len};
        x = mix(x, v, sizeof v);
        x = mix(x, &pc->flags, sizeof pc->flags);
        x = mix(x, &pc->status, sizeof pc->status);
        x = mix(x, &pc->kind, sizeof pc->kind);
        if (pc->flags & TL_HTTP_P_SUMMARY)
            x = mix(x, pc->summary, bounded_len(pc->summary, TL_HTTP_SUMMARY_MAX));
    }
    return x;
}

/* Feed the events to h; check every call when rs is given; write one
 * digest per event. The payload is copied to the heap, exactly its
 * captured bytes, so that ASan sees any read past them. */
static void feed(tl_http *h, const fz_event *ev, size_t n, run_state *rs, uint64_t *dig)
{
    static tl_http_result r;
    for (size_t i = 0; i < n; i++) {
        const fz_event *e = &ev[i];
        cur_ev = e;
        cur_index = i;
        if (e->kind == EV_PAYLOAD) {
            held = malloc(e->cap + 1u); /* payload at +1: its end is the block's */
            if (!held)
                abort();
            payload = held + 1;
            memcpy(held + 1, e->data, e->cap);
            memset(&r, 0xA5, sizeof r);
            tl_http_segment(h, e->client, e->seq, payload, e->len, e->cap, &r);
            if (fz_verbose) {
                char line[2048];
                print_event(stdout, i, e);
                trace_result(e->client ? 'C' : 'S', &r, line, sizeof line);
                printf("  %s\n", line);
            }
            if (rs) {
                check_segment(h, e, &r, rs);
                check_format(&r);
            }
            dig[i] = digest(&r, NULL, 0, h);
            free(held);
            held = NULL;
            payload = NULL;
        } else {
            tl_http_piece ended;
            memset(&ended, 0xA5, sizeof ended);
            bool want = e->kind == EV_FIN;
            int ret = tl_http_fin(h, e->client, want ? &ended : NULL);
            if (fz_verbose) {
                static const char *const what[] = {"none", "ended", "cut"};
                print_event(stdout, i, e);
                printf("  -> %s", ret >= 0 && ret <= 2 ? what[ret] : "?");
                if (ret && want)
                    printf(" %s#%u p%u%s \"%s\"", ended.kind ? "resp" : "req",
                           (unsigned)ended.exchange, (unsigned)ended.part,
                           (ended.flags & TL_HTTP_P_END) ? " [E]" : "",
                           (ended.flags & TL_HTTP_P_SUMMARY) ? ended.summary : "");
                printf("\n");
            }
            if (rs)
                check_fin(h, e, ret, want ? &ended : NULL, rs);
            dig[i] = digest(NULL, ret && want ? &ended : NULL, ret, h);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_event ev[FZH_MAX_EVENTS];
    static uint64_t dig[FZH_MAX_EVENTS], dig2[FZH_MAX_EVENTS];
    static tl_http h, h2;

    cur_ev = NULL;
    cur_index = 0;
    free(held); /* left by a failure that jumped out of feed() */
    held = NULL;
    for (size_t k = 0; k < 4 && k < size; k++)
        FZ_CHECK(tl_app_name(data[k]) && tl_http_msg_name(data[k]),
                 "a name function returned NULL");
    size_t n = decode(data, size, ev, FZH_MAX_EVENTS);
    if (n == 0)
        return 0;

    run_state rs;
    memset(&rs, 0, sizeof rs);
    for (int d = 0; d < 2; d++)
        rs.s[d].msg_known = true; /* nothing reported, nothing open */
    tl_http_init(&h);
    FZ_CHECK(tl_http_exchanges(&h) == 0 && tl_http_conn_app(&h) == TL_APP_NONE,
             "a fresh tracker has exchanges or an app");
    feed(&h, ev, n, &rs, dig);

    /* Determinism: the same events into a fresh tl_http (on memory full of
     * garbage, as a wmem allocation would be) say the same. It doubles the
     * cost, so libFuzzer does it for one input in fz_determinism_every
     * (always for the first: a crash file replays it). */
    static unsigned long calls;
    if (fz_determinism_every > 1 && calls++ % fz_determinism_every != 0)
        return 0;
    memset(&h2, 0x5A, sizeof h2);
    tl_http_init(&h2);
    int verbose = fz_verbose;
    fz_verbose = 0;
    feed(&h2, ev, n, NULL, dig2);
    fz_verbose = verbose;
    for (size_t i = 0; i < n; i++) {
        cur_ev = &ev[i];
        cur_index = i;
        FZ_CHECK(dig[i] == dig2[i], "second run on a fresh tl_http gave another result");
    }
    return 0;
}
