/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP/1.x message boundaries over one TCP connection, in a single pass
 * (SPEC §5). An incremental byte parser per direction in the spirit of
 * picohttpparser and llhttp, reduced to what framing needs: the start line
 * (kept for the summary), Content-Length, Transfer-Encoding, Connection and
 * Upgrade, then the body by length, chunks (RFC 9112 §7.1) or until close
 * (RFC 9112 §6.3). Body bytes are skipped in runs, never looked at.
 */
#include <string.h>
#include <stdarg.h>
#include <stdio.h>

#include "tcplife/http.h"

/* What a direction carries (tl_http_dir.mode). */
enum {
    M_IDLE,   /* no captured payload yet: the first bytes decide */
    M_HTTP,   /* HTTP/1.x, in sync: st says where */
    M_LOST,   /* HTTP, but bytes went missing where the framing could not skip them:
                 resume at a segment that begins with a start line */
    M_TUNNEL, /* after 101 / CONNECT 2xx, or TLS from the start: tl_http_dir.app */
    M_OTHER   /* its first bytes were not HTTP/1.x */
};

/* Parser states within M_HTTP (tl_http_dir.st). */
enum {
    S_BOUNDARY,      /* between messages: CR LF skipped, anything else starts one */
    S_WAIT,          /* client after an Upgrade or CONNECT request: until the verdict */
    S_RQ_METHOD,     /* request line: method token */
    S_RQ_TARGET,     /* request-target */
    S_RQ_VERSION,    /* "HTTP/1.x", matched in tok_len */
    S_LINE_END,      /* after the version: CR LF */
    S_RS_VERSION,    /* status line: "HTTP/1.x " matched in tok_len */
    S_RS_CODE,       /* three digits, then SP or the line end */
    S_RS_REASON,     /* reason phrase */
    S_H_START,       /* start of a header line (empty line: end of headers) */
    S_H_NAME,        /* field name up to ':' */
    S_H_VALUE,       /* field value up to LF */
    S_B_LEN,         /* body of Content-Length: remaining bytes */
    S_B_CLOSE,       /* response body delimited by close */
    S_C_SIZE,        /* chunk size (hex) */
    S_C_EXT,         /* chunk extension up to LF */
    S_C_DATA,        /* chunk data: remaining bytes */
    S_C_DATA_END,    /* CR LF after chunk data */
    S_C_TRAILER,     /* start of a trailer line (empty line: end of message) */
    S_C_TRAILER_LINE /* rest of a trailer line */
};

/* tl_http_dir.dflags */
enum {
    DF_SEQ = 1u << 0,     /* next_seq is valid */
    DF_CLOSED = 1u << 1,  /* its FIN was seen */
    DF_VALID = 1u << 2,   /* a complete start line was seen in this direction */
    DF_SUMMARY = 1u << 3, /* the current message's start line is complete */
    DF_DETECT = 1u << 4   /* tunnel: app decided by the next bytes */
};

/* tl_http_dir.hflags: facts from the current message's headers. */
enum {
    HF_CL = 1u << 0,         /* Content-Length present (value in clen) */
    HF_TE = 1u << 1,         /* Transfer-Encoding present */
    HF_CHUNKED = 1u << 2,    /* ... and its last coding is chunked */
    HF_CONN_CLOSE = 1u << 3, /* Connection: close */
    HF_CONN_UPG = 1u << 4,   /* Connection: upgrade */
    HF_UPG = 1u << 5,        /* Upgrade present */
    HF_UPG_WS = 1u << 6      /* ... offering websocket */
};

/* Method facts (tl_http_dir.meth, tl_http.pending). */
enum {
    MF_HEAD = 1u << 0,    /* HEAD: the response has no body (RFC 9110 §9.3.2) */
    MF_CONNECT = 1u << 1, /* CONNECT: a 2xx makes a tunnel (RFC 9110 §9.3.6) */
    MF_UPG = 1u << 2,     /* the request asked to Upgrade */
    MF_UPG_WS = 1u << 3,  /* ... to websocket */
    MF_KNOWN = 1u << 4    /* a ring entry holds a request's facts */
};

/* Which header value is being read (tl_http_dir.hdr). */
enum { H_OTHER, H_CL, H_TE, H_CONN, H_UPG };

/* Largest Content-Length / chunk size accepted: beyond it is not framing. */
#define NUM_MAX ((uint64_t)1 << 56)

/* One call's context. Positions are offsets in the payload; during a gap
 * before the payload they wrap below zero in uint32 arithmetic, so
 * seq0 + pos is always the sequence number. */
typedef struct ctx {
    tl_http *h;
    tl_http_dir *dir;
    unsigned d; /* TL_HTTP_REQUEST (client) or TL_HTTP_RESPONSE (server) */
    const uint8_t *p;
    uint32_t seq0, cap, len;
    tl_http_result *out;
    tl_http_piece *pc;   /* the current message's piece in this segment, or NULL */
    tl_http_piece spare; /* pieces beyond TL_HTTP_MAX_PIECES land here */
} ctx;

static bool in_message(const tl_http_dir *dir)
{
    return dir->mode == M_HTTP && dir->st != S_BOUNDARY && dir->st != S_WAIT;
}

/* A response's status code once its three digits are in, else 0: the
 * digits parsed so far are no status (http.h: "once known"). */
static uint16_t known_status(const tl_http_dir *dir)
{
    return dir->st == S_RS_CODE && dir->tok_len < 3 ? 0 : dir->status;
}

static char lower(uint8_t c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* RFC 9110 §5.6.2 tchar (digits, letters, !#$%&'*+-.^_`|~) by table, as
 * the byte in lower case; 0 for any other byte. Every header-name byte is
 * looked up. */
static const uint8_t name_char[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0x21, 0, 0x23, 0x24, 0x25, 0x26, 0x27, 0, 0, 0x2a, 0x2b, 0, 0x2d, 0x2e, 0,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0, 0, 0, 0, 0, 0,
    0, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0, 0, 0, 0x5e, 0x5f,
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0, 0x7c, 0, 0x7e, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* A method as this parser accepts one: upper-case letters, '-' and '_'. */
static bool is_method_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool tok_is(const tl_http_dir *dir, const char *s)
{
    size_t n = strlen(s);
    return dir->tok_len == n && memcmp(dir->tok, s, n) == 0;
}

static void tok_put(tl_http_dir *dir, char c)
{
    if (dir->tok_len < sizeof(dir->tok))
        dir->tok[dir->tok_len] = c;
    if (dir->tok_len < 255) /* longer than tok: matches no name we look for */
        dir->tok_len++;
}

/* n start-line bytes at once (as line_put, CRs left out). */
static void line_put_n(tl_http_dir *dir, const uint8_t *b, uint32_t n)
{
    if (!memchr(b, '\r', n)) { /* a target, most reasons: one copy */
        uint32_t room = TL_HTTP_SUMMARY_MAX - 1 - dir->line_len;
        if (n > room)
            n = room;
        memcpy(dir->line + dir->line_len, b, n);
        dir->line_len = (uint8_t)(dir->line_len + n);
        return;
    }
    for (uint32_t k = 0; k < n && dir->line_len < TL_HTTP_SUMMARY_MAX - 1; k++)
        if (b[k] != '\r')
            dir->line[dir->line_len++] = (char)b[k];
}


static void line_put(tl_http_dir *dir, char c)
{
    if (dir->line_len < TL_HTTP_SUMMARY_MAX - 1)
        dir->line[dir->line_len++] = c;
}

static tl_http_hist *hist_cur(tl_http_dir *dir)
{
    return &dir->hist[(dir->hist_head + TL_HTTP_HISTORY - 1) % TL_HTTP_HISTORY];
}

/* ---- pieces ---------------------------------------------------------- */

static void piece_summary(const tl_http_dir *dir, tl_http_piece *pc)
{
    if (dir->dflags & DF_SUMMARY) {
        memcpy(pc->summary, dir->line, dir->line_len);
        pc->summary[dir->line_len] = '\0';
        pc->flags |= TL_HTTP_P_SUMMARY;
        pc->status = dir->status;
    }
}

static tl_http_piece *new_piece(ctx *c)
{
    tl_http_result *out = c->out;
    tl_http_piece *pc = out->n < TL_HTTP_MAX_PIECES ? &out->piece[out->n++] : &c->spare;
    out->n_total++;
    pc->exchange = pc->part = pc->offset = pc->length = pc->line_off = pc->line_len = 0;
    pc->flags = pc->status = 0;
    pc->kind = (uint8_t)c->d;
    pc->summary[0] = '\0';
    return pc;
}

/* Bytes of the current message begin at pos in this payload: make sure it
 * has a piece here. A repeated prefix of the same message is continued. */
static void open_piece(ctx *c, uint32_t pos)
{
    tl_http_dir *dir = c->dir;
    if (c->pc)
        return;
    tl_http_result *out = c->out;
    tl_http_piece *last = out->n ? &out->piece[out->n - 1] : NULL;
    if (last && (last->flags & TL_HTTP_P_REPEAT) && last->exchange == dir->exchange &&
        last->kind == c->d && last->offset + last->length == pos && !(last->flags & TL_HTTP_P_END)) {
        c->pc = last;
    } else {
        c->pc = new_piece(c);
        c->pc->exchange = dir->exchange;
        c->pc->offset = pos;
    }
    c->pc->part = ++dir->part;
    c->pc->status = known_status(dir);
    piece_summary(dir, c->pc);
    if (dir->exchange > c->h->max_exchange)
        c->h->max_exchange = dir->exchange;
}

static void close_piece(ctx *c, uint32_t pos)
{
    if (c->pc) {
        c->pc->length = pos - c->pc->offset;
        c->pc = NULL;
    }
}

/* ---- messages -------------------------------------------------------- */

static void switch_tunnel(ctx *c, tl_http_dir *dir, bool ws)
{
    dir->mode = M_TUNNEL;
    if (ws) {
        dir->app = TL_APP_WEBSOCKET;
        dir->dflags = (uint8_t)(dir->dflags & ~DF_DETECT);
    } else if (dir->app == TL_APP_NONE) {
        dir->dflags |= DF_DETECT;
    }
    c->out->flags |= TL_HTTP_R_UPGRADED;
}

static void start_message(ctx *c, uint32_t pos)
{
    tl_http *h = c->h;
    tl_http_dir *dir = c->dir;
    dir->part = 0;
    dir->hflags = 0;
    dir->status = 0;
    dir->line_len = 0;
    dir->tok_len = 0;
    dir->remaining = dir->clen = dir->num = 0;
    dir->dflags = (uint8_t)(dir->dflags & ~DF_SUMMARY);
    if (c->d == TL_HTTP_REQUEST) {
        dir->exchange = ++h->requests;
        dir->meth = 0;
        dir->st = S_RQ_METHOD;
    } else {
        /* Responses answer requests in order (RFC 9112 §9.3.2); 1xx do not
         * end the exchange. A response to a request not captured still
         * takes the next exchange, and later requests follow it. */
        uint32_t ex = h->finals + 1;
        unsigned slot = (ex - 1) % TL_HTTP_PENDING;
        dir->exchange = ex;
        dir->meth = 0;
        if (ex > h->requests)
            h->requests = ex;
        else if ((h->pending[slot] & MF_KNOWN) && h->pending_tag[slot] == (uint8_t)ex)
            dir->meth = h->pending[slot];
        dir->st = S_RS_VERSION;
    }
    tl_http_hist *e = &dir->hist[dir->hist_head];
    dir->hist_head = (uint8_t)((dir->hist_head + 1) % TL_HTTP_HISTORY);
    if (dir->hist_used < TL_HTTP_HISTORY)
        dir->hist_used++;
    e->start = c->seq0 + pos;
    e->end = 0;
    e->exchange = dir->exchange;
    e->ended = 0;
    c->pc = NULL;
    open_piece(c, pos);
    c->pc->flags |= TL_HTTP_P_START;
    c->pc->line_off = pos;
}

/* The message ends before pos. */
static void finish(ctx *c, uint32_t pos)
{
    tl_http *h = c->h;
    tl_http_dir *dir = c->dir;
    if (c->pc) {
        c->pc->flags |= TL_HTTP_P_END;
        close_piece(c, pos);
    }
    tl_http_hist *e = hist_cur(dir);
    e->end = c->seq0 + pos;
    e->ended = 1;
    dir->st = S_BOUNDARY;
    if (c->d == TL_HTTP_REQUEST) {
        /* The client waits for the server's verdict before it speaks a new
         * protocol (RFC 9110 §7.8, §9.3.6). */
        if (dir->meth & (MF_CONNECT | MF_UPG))
            dir->st = S_WAIT;
        return;
    }
    unsigned s = dir->status;
    tl_http_dir *cl = &h->d[TL_HTTP_REQUEST];
    if (s >= 200 || s == 101)
        h->finals++;
    if (s == 101 || ((dir->meth & MF_CONNECT) && s >= 200 && s < 300)) {
        bool ws = s == 101 && ((dir->meth & MF_UPG_WS) || (dir->hflags & HF_UPG_WS));
        switch_tunnel(c, dir, ws);
        if (cl->mode == M_HTTP && (cl->st == S_WAIT || cl->st == S_BOUNDARY))
            switch_tunnel(c, cl, ws);
        else if (cl->mode == M_TUNNEL && ws)
            switch_tunnel(c, cl, ws);
    } else if (s >= 200 && cl->mode == M_HTTP && cl->st == S_WAIT && cl->exchange == dir->exchange) {
        cl->st = S_BOUNDARY; /* upgrade refused: HTTP goes on */
    }
}

static void abandon(ctx *c, uint32_t pos);

/* Bytes that break the framing. A direction that never showed a complete
 * start line is not HTTP at all: its half-parsed message is withdrawn (its
 * piece in this segment, its history entry, its exchange). Otherwise the
 * direction has lost sync. */
static void fail(ctx *c, uint32_t pos)
{
    tl_http *h = c->h;
    tl_http_dir *dir = c->dir;
    c->out->flags |= TL_HTTP_R_MALFORMED;
    if (!(dir->dflags & DF_VALID)) {
        tl_http_result *out = c->out;
        /* Its piece here goes too, even when repeated bytes began it: the
         * message leaves the history and the exchange count as well. */
        if (c->pc && out->n && c->pc == &out->piece[out->n - 1]) {
            out->n--;
            out->n_total--;
            c->pc = NULL;
        }
        close_piece(c, pos);
        if (c->d == TL_HTTP_REQUEST && h->requests == dir->exchange)
            h->requests--;
        dir->hist_head = (uint8_t)((dir->hist_head + TL_HTTP_HISTORY - 1) % TL_HTTP_HISTORY);
        dir->hist_used--;
        h->max_exchange = h->requests > h->finals ? h->requests : h->finals;
        dir->mode = M_OTHER;
        return;
    }
    abandon(c, pos);
}

/* The current message is abandoned at pos: its end is not known. A
 * response other than a known 1xx still counts as the exchange's answer, so
 * that the next one found gets the next exchange. */
static void abandon(ctx *c, uint32_t pos)
{
    tl_http_dir *dir = c->dir;
    close_piece(c, pos);
    if (in_message(dir) && dir->hist_used) {
        tl_http_hist *e = hist_cur(dir);
        if (!e->ended) {
            e->end = c->seq0 + pos;
            e->ended = 2; /* cut: no END to report */
        }
        if (c->d == TL_HTTP_RESPONSE && !(dir->status >= 100 && dir->status < 200 && dir->status != 101))
            c->h->finals++;
    }
    dir->mode = M_LOST;
    /* Bytes of this payload from pos on are not attributed (a gap before
     * the payload has pos "below zero"). */
    if ((int32_t)pos >= 0 && pos < c->len)
        c->out->flags |= TL_HTTP_R_UNSYNCED;
}


/* The start line is complete at the LF at pos. */
static void line_done(ctx *c, uint32_t pos)
{
    tl_http_dir *dir = c->dir;
    while (dir->line_len && dir->line[dir->line_len - 1] == ' ')
        dir->line_len--;
    dir->line[dir->line_len] = '\0';
    dir->dflags |= DF_SUMMARY | DF_VALID;
    if (c->pc) {
        if (c->pc->flags & TL_HTTP_P_START) {
            uint32_t e = pos;
            if (e > c->pc->line_off && c->p[e - 1] == '\r')
                e--;
            c->pc->line_len = e - c->pc->line_off;
        }
        piece_summary(dir, c->pc);
    }
    dir->st = S_H_START;
}

/* The header section ended; the body starts at pos (RFC 9112 §6.3). */
static void headers_done(ctx *c, uint32_t pos)
{
    tl_http *h = c->h;
    tl_http_dir *dir = c->dir;
    tl_http_piece *pc = c->pc;
    if (pc)
        pc->flags |= TL_HTTP_P_HEADERS_END;
    if (c->d == TL_HTTP_REQUEST) {
        unsigned slot = (dir->exchange - 1) % TL_HTTP_PENDING;
        if (dir->hflags & HF_UPG)
            dir->meth |= MF_UPG;
        if (dir->hflags & HF_UPG_WS)
            dir->meth |= MF_UPG_WS;
        if (h->pending_tag[slot] == (uint8_t)dir->exchange)
            h->pending[slot] = (uint8_t)(dir->meth | MF_KNOWN);
        if (dir->hflags & HF_TE) {
            if (!(dir->hflags & HF_CHUNKED)) {
                fail(c, pos); /* a request it cannot frame: RFC 9112 §6.3 item 4 */
                return;
            }
            dir->st = S_C_SIZE;
            dir->num = dir->tok_len = 0;
        } else if ((dir->hflags & HF_CL) && dir->clen > 0) {
            dir->remaining = dir->clen;
            dir->st = S_B_LEN;
        } else {
            finish(c, pos); /* requests without framing headers have no body */
        }
        return;
    }
    unsigned s = dir->status;
    if (s < 200) {
        /* 1xx: interim, or 101 switching protocols: no body either way. */
        if (pc)
            pc->flags |= TL_HTTP_P_NO_BODY | (s == 101 ? TL_HTTP_P_UPGRADE : TL_HTTP_P_INTERIM);
        finish(c, pos);
    } else if ((dir->meth & MF_CONNECT) && s < 300) {
        if (pc)
            pc->flags |= TL_HTTP_P_UPGRADE | TL_HTTP_P_NO_BODY;
        finish(c, pos);
    } else if ((dir->meth & MF_HEAD) || s == 204 || s == 304) {
        if (pc)
            pc->flags |= TL_HTTP_P_NO_BODY;
        finish(c, pos);
    } else if (dir->hflags & HF_TE) {
        if (dir->hflags & HF_CHUNKED) {
            dir->st = S_C_SIZE;
            dir->num = dir->tok_len = 0;
        } else {
            dir->st = S_B_CLOSE;
        }
    } else if (dir->hflags & HF_CL) {
        if (dir->clen == 0) {
            finish(c, pos);
        } else {
            dir->remaining = dir->clen;
            dir->st = S_B_LEN;
        }
    } else {
        dir->st = S_B_CLOSE;
    }
}

static void value_token_end(tl_http_dir *dir)
{
    if (dir->tok_len == 0)
        return;
    switch (dir->hdr) {
    case H_TE:
        dir->hflags |= HF_TE;
        if (tok_is(dir, "chunked"))
            dir->hflags |= HF_CHUNKED;
        else
            dir->hflags = (uint8_t)(dir->hflags & ~HF_CHUNKED); /* chunked must be last */
        break;
    case H_CONN:
        if (tok_is(dir, "close"))
            dir->hflags |= HF_CONN_CLOSE;
        else if (tok_is(dir, "upgrade"))
            dir->hflags |= HF_CONN_UPG;
        break;
    case H_UPG:
        dir->hflags |= HF_UPG;
        if (tok_is(dir, "websocket"))
            dir->hflags |= HF_UPG_WS;
        break;
    default:
        break;
    }
    dir->tok_len = 0;
    dir->tok_stop = 0;
}

/* One Content-Length value ends (at LF or ','). Repeats must agree
 * (RFC 9112 §6.3 item 5). */
static bool cl_value_end(tl_http_dir *dir)
{
    if (dir->tok_len == 0)
        return false;
    if ((dir->hflags & HF_CL) && dir->clen != dir->num)
        return false;
    dir->clen = dir->num;
    dir->hflags |= HF_CL;
    dir->num = 0;
    dir->tok_len = 0;
    dir->tok_stop = 0;
    return true;
}

static void name_done(tl_http_dir *dir)
{
    /* By length first: most names are none of these. */
    switch (dir->tok_len) {
    case 14:
        dir->hdr = tok_is(dir, "content-length") ? H_CL : H_OTHER;
        break;
    case 17:
        dir->hdr = tok_is(dir, "transfer-encoding") ? H_TE : H_OTHER;
        break;
    case 10:
        dir->hdr = tok_is(dir, "connection") ? H_CONN : H_OTHER;
        break;
    case 7:
        dir->hdr = tok_is(dir, "upgrade") ? H_UPG : H_OTHER;
        break;
    default:
        dir->hdr = H_OTHER;
        break;
    }
    dir->tok_len = 0;
    dir->tok_stop = 0;
    dir->num = 0;
}

/* Parse payload bytes [i, end) of a direction in M_HTTP; returns where it
 * stopped (end, or earlier when the mode changed). */
static uint32_t run_http(ctx *c, uint32_t i, uint32_t end)
{
    tl_http_dir *dir = c->dir;
    while (i < end && dir->mode == M_HTTP) {
        uint64_t k;
        uint8_t ch = c->p[i];
        switch (dir->st) {
        case S_BOUNDARY:
            if (ch == '\r' || ch == '\n') { /* RFC 9112 §2.2: empty lines between messages */
                i++;
                break;
            }
            start_message(c, i);
            break;
        case S_WAIT:
            /* Bytes before the verdict: another request if it looks like one,
             * else the client is already speaking the new protocol. */
            if (is_method_char(ch) || ch == '\r' || ch == '\n') {
                dir->st = S_BOUNDARY;
            } else {
                switch_tunnel(c, dir, (dir->meth & MF_UPG_WS) != 0);
            }
            break;
        case S_RQ_METHOD:
            i++;
            if (ch == ' ' && dir->tok_len > 0) {
                line_put(dir, ' ');
                if (tok_is(dir, "HEAD"))
                    dir->meth |= MF_HEAD;
                else if (tok_is(dir, "CONNECT"))
                    dir->meth |= MF_CONNECT;
                else if (tok_is(dir, "PRI")) { /* HTTP/2 connection preface */
                    fail(c, i);
                    break;
                }
                unsigned slot = (dir->exchange - 1) % TL_HTTP_PENDING;
                c->h->pending[slot] = (uint8_t)(dir->meth | MF_KNOWN);
                c->h->pending_tag[slot] = (uint8_t)dir->exchange;
                dir->tok_len = 0;
                dir->st = S_RQ_TARGET;
            } else if (is_method_char(ch) && dir->tok_len < 20) {
                tok_put(dir, (char)ch);
                line_put(dir, (char)ch);
            } else {
                fail(c, i);
            }
            break;
        case S_RQ_TARGET: {
            uint32_t j = i;
            while (j < end && c->p[j] > ' ' && c->p[j] != 0x7f)
                j++;
            if (j > i) {
                line_put_n(dir, c->p + i, j - i);
                dir->tok_len = 1;
                i = j;
                break;
            }
            i++;
            if (ch == ' ' && dir->tok_len > 0) {
                dir->tok_len = 0;
                dir->st = S_RQ_VERSION;
            } else {
                fail(c, i); /* HTTP/0.9 or not HTTP */
            }
            break;
        }
        case S_RQ_VERSION:
            if (dir->tok_len == 0 && end - i >= 8 && memcmp(c->p + i, "HTTP/1.", 7) == 0 &&
                c->p[i + 7] >= '0' && c->p[i + 7] <= '9') {
                /* The whole version at once (byte by byte below when split). */
                i += 8;
                dir->tok_len = 8;
                dir->st = S_LINE_END;
                break;
            }
            i++;
            if (dir->tok_len < 7 ? ch == (uint8_t)"HTTP/1."[dir->tok_len] : (ch >= '0' && ch <= '9')) {
                if (++dir->tok_len == 8)
                    dir->st = S_LINE_END;
            } else {
                fail(c, i);
            }
            break;
        case S_LINE_END:
            i++;
            if (ch == '\n')
                line_done(c, i - 1);
            else if (ch != '\r')
                fail(c, i);
            break;
        case S_RS_VERSION:
            if (dir->tok_len == 0 && end - i >= 9 && memcmp(c->p + i, "HTTP/1.", 7) == 0 &&
                c->p[i + 7] >= '0' && c->p[i + 7] <= '9' && c->p[i + 8] == ' ') {
                i += 9;
                dir->st = S_RS_CODE;
                break;
            }
            i++;
            if (dir->tok_len < 7 ? ch == (uint8_t)"HTTP/1."[dir->tok_len]
                                 : dir->tok_len == 7 ? (ch >= '0' && ch <= '9') : ch == ' ') {
                if (++dir->tok_len == 9) {
                    dir->tok_len = 0;
                    dir->st = S_RS_CODE;
                }
            } else {
                fail(c, i);
            }
            break;
        case S_RS_CODE:
            i++;
            if (dir->tok_len < 3) {
                if (ch >= '0' && ch <= '9' && !(dir->tok_len == 0 && ch == '0')) {
                    dir->status = (uint16_t)(dir->status * 10 + (ch - '0'));
                    dir->tok_len++;
                    line_put(dir, (char)ch);
                } else {
                    fail(c, i);
                }
            } else if (ch == ' ') {
                line_put(dir, ' ');
                dir->st = S_RS_REASON;
            } else if (ch == '\n') {
                line_done(c, i - 1);
            } else if (ch != '\r') {
                fail(c, i);
            }
            break;
        case S_RS_REASON: {
            const uint8_t *nl = memchr(c->p + i, '\n', end - i);
            uint32_t stop = nl ? (uint32_t)(nl - c->p) : end;
            line_put_n(dir, c->p + i, stop - i);
            i = stop;
            if (nl)
                line_done(c, i++);
            break;
        }
        case S_H_START:
            i++;
            if (ch == '\n') {
                headers_done(c, i);
            } else if (ch == '\r') {
                /* CR before LF */
            } else if (ch == ' ' || ch == '\t') {
                dir->hdr = H_OTHER; /* obs-fold continuation: ignored */
                dir->st = S_H_VALUE;
            } else if (name_char[ch]) {
                dir->tok_len = 0;
                dir->st = S_H_NAME;
                i--;
                goto name;
            } else {
                fail(c, i);
            }
            break;
        case S_H_NAME:
        name: {
            /* The whole name in one scan: names are most header bytes after
             * the values nobody reads. Its bytes (in lower case, as far as
             * tok holds) are kept only if it may be a name name_done()
             * looks for; tok_len counts on, to 255. */
            const uint8_t *p = c->p;
            uint32_t j = i;
            while (j < end && name_char[p[j]])
                j++;
            uint32_t n = j - i, len = dir->tok_len + n;
            if (j == end || len == 7 || len == 10 || len == 14 || len == 17) {
                uint32_t room = dir->tok_len < sizeof(dir->tok) ? sizeof(dir->tok) - dir->tok_len : 0;
                uint32_t keep = n < room ? n : room;
                for (uint32_t m = 0; m < keep; m++)
                    dir->tok[dir->tok_len + m] = (char)name_char[p[i + m]];
            }
            dir->tok_len = (uint8_t)(len < 255 ? len : 255);
            i = j;
            if (i == end)
                break;
            ch = c->p[i++];
            if (ch == ':') {
                name_done(dir);
                dir->st = S_H_VALUE;
            } else {
                fail(c, i); /* no colon, or space before it: RFC 9112 §5.1 */
            }
            break;
        }
        case S_H_VALUE:
            if (dir->hdr == H_OTHER) {
                /* A value nobody reads: only where it ends matters. */
                const uint8_t *nl = memchr(c->p + i, '\n', end - i);
                if (!nl) {
                    i = end;
                } else {
                    i = (uint32_t)(nl - c->p) + 1;
                    dir->st = S_H_START;
                }
                break;
            }
            i++;
            if (ch == '\n') {
                if (dir->hdr == H_CL) {
                    if (!cl_value_end(dir)) {
                        fail(c, i);
                        break;
                    }
                } else {
                    value_token_end(dir);
                }
                dir->st = S_H_START;
            } else if (ch == '\r' || dir->hdr == H_OTHER) {
                /* nothing to read */
            } else if (dir->hdr == H_CL) {
                if (ch >= '0' && ch <= '9' && !dir->tok_stop && dir->num < NUM_MAX) {
                    dir->num = dir->num * 10 + (uint64_t)(ch - '0');
                    dir->tok_len = 1;
                } else if (ch == ' ' || ch == '\t') {
                    dir->tok_stop = dir->tok_len;
                } else if (ch == ',' && cl_value_end(dir)) {
                    /* "Content-Length: 5, 5" */
                } else {
                    fail(c, i);
                }
            } else if (ch == ',') {
                value_token_end(dir);
            } else if (ch == ' ' || ch == '\t' || ch == ';' || ch == '/' || ch == '=') {
                dir->tok_stop = dir->tok_len > 0;
            } else if (!dir->tok_stop) {
                tok_put(dir, lower(ch));
            }
            break;
        case S_B_LEN:
            k = end - i < dir->remaining ? end - i : dir->remaining;
            i += (uint32_t)k;
            dir->remaining -= k;
            if (dir->remaining == 0)
                finish(c, i);
            break;
        case S_B_CLOSE:
            i = end;
            break;
        case S_C_SIZE:
            i++;
            if (hexval(ch) >= 0 && dir->num < NUM_MAX) {
                dir->num = dir->num * 16 + (uint64_t)hexval(ch);
                dir->tok_len = 1;
            } else if (dir->tok_len && (ch == ';' || ch == ' ' || ch == '\t')) {
                dir->st = S_C_EXT;
            } else if (dir->tok_len && ch == '\n') {
                goto chunk_size_done;
            } else if (ch != '\r') {
                fail(c, i);
            }
            break;
        case S_C_EXT:
            i++;
            if (ch == '\n')
                goto chunk_size_done;
            break;
        chunk_size_done:
            dir->tok_len = 0;
            if (dir->num == 0) {
                dir->st = S_C_TRAILER; /* last-chunk: trailers, then an empty line */
            } else {
                dir->remaining = dir->num;
                dir->st = S_C_DATA;
            }
            break;
        case S_C_DATA:
            k = end - i < dir->remaining ? end - i : dir->remaining;
            i += (uint32_t)k;
            dir->remaining -= k;
            if (dir->remaining == 0)
                dir->st = S_C_DATA_END;
            break;
        case S_C_DATA_END:
            i++;
            if (ch == '\n') {
                dir->num = 0;
                dir->st = S_C_SIZE;
            } else if (ch != '\r') {
                fail(c, i);
            }
            break;
        case S_C_TRAILER:
            i++;
            if (ch == '\n')
                finish(c, i);
            else if (ch != '\r')
                dir->st = S_C_TRAILER_LINE;
            break;
        case S_C_TRAILER_LINE:
            i++;
            if (ch == '\n')
                dir->st = S_C_TRAILER;
            break;
        default:
            fail(c, i);
            break;
        }
    }
    return i;
}

/* n bytes starting at pos are missing (a gap before the payload, or the
 * uncaptured tail of it). Count them off a body where the framing says how
 * long it is; anywhere else the direction loses sync. */
static void skip_missing(ctx *c, uint32_t pos, uint32_t n)
{
    tl_http_dir *dir = c->dir;
    while (n > 0 && dir->mode == M_HTTP) {
        uint64_t k;
        switch (dir->st) {
        case S_B_LEN:
        case S_C_DATA:
            k = n < dir->remaining ? n : dir->remaining;
            dir->remaining -= k;
            n -= (uint32_t)k;
            pos += (uint32_t)k;
            if (dir->remaining == 0) {
                if (dir->st == S_B_LEN)
                    finish(c, pos);
                else
                    dir->st = S_C_DATA_END;
            }
            break;
        case S_B_CLOSE:
            n = 0;
            break;
        default:
            abandon(c, pos); /* bytes missing where the framing cannot count them */
            n = 0;
            break;
        }
    }
}

/* ---- recognising a direction ------------------------------------------ */

static bool looks_tls(const uint8_t *p, uint32_t n)
{
    /* TLS record: handshake (22), version 3.x (RFC 8446 §5.1). */
    return n >= 2 && p[0] == 0x16 && p[1] == 0x03 && (n < 3 || p[2] <= 0x04);
}

/* The first bytes of a direction could begin an HTTP/1.x message. */
static bool plausible(unsigned d, const uint8_t *p, uint32_t n)
{
    if (d == TL_HTTP_RESPONSE) {
        uint32_t m = n < 7 ? n : 7;
        return n > 0 && memcmp(p, "HTTP/1.", m) == 0;
    }
    uint32_t i = 0;
    while (i < n && i < 21 && is_method_char(p[i]))
        i++;
    return i > 0 && i <= 20 && (i == n || p[i] == ' ');
}

/* The bytes begin with a whole start line (or at least "HTTP/1.x NNN"):
 * strong enough to resume parsing after losing sync. */
static bool starts_message(unsigned d, const uint8_t *p, uint32_t n)
{
    if (d == TL_HTTP_RESPONSE)
        return n >= 12 && memcmp(p, "HTTP/1.", 7) == 0 && p[7] >= '0' && p[7] <= '9' &&
               p[8] == ' ' && p[9] >= '1' && p[9] <= '9' && p[10] >= '0' && p[10] <= '9' &&
               p[11] >= '0' && p[11] <= '9';
    uint32_t i = 0;
    while (i < n && i < 21 && is_method_char(p[i]))
        i++;
    if (i == 0 || i > 20 || i >= n || p[i] != ' ')
        return false;
    uint32_t t = ++i;
    while (i < n && p[i] > ' ' && p[i] != 0x7f)
        i++;
    if (i == t || i + 9 >= n || p[i] != ' ')
        return false;
    i++;
    if (n - i < 9 || memcmp(p + i, "HTTP/1.", 7) != 0 || p[i + 7] < '0' || p[i + 7] > '9')
        return false;
    return p[i + 8] == '\r' || p[i + 8] == '\n';
}

static void detect_tunnel(tl_http_dir *dir, const uint8_t *p, uint32_t n)
{
    if ((dir->dflags & DF_DETECT) && n > 0) {
        dir->app = looks_tls(p, n) ? TL_APP_TLS : TL_APP_OTHER;
        dir->dflags = (uint8_t)(dir->dflags & ~DF_DETECT);
    }
}

/* First captured bytes of a direction. */
static void detect(ctx *c, const uint8_t *p, uint32_t n)
{
    tl_http *h = c->h;
    tl_http_dir *dir = c->dir, *peer = &h->d[!c->d];
    if (looks_tls(p, n)) {
        /* TLS from the start: the whole connection is TLS. */
        dir->mode = M_TUNNEL;
        dir->app = TL_APP_TLS;
        if (peer->mode == M_IDLE || peer->mode == M_OTHER) {
            peer->mode = M_TUNNEL;
            peer->app = TL_APP_TLS;
        }
    } else if (plausible(c->d, p, n)) {
        dir->mode = M_HTTP;
        dir->st = S_BOUNDARY;
    } else if (peer->dflags & DF_VALID) {
        dir->mode = M_LOST; /* HTTP picked up in the middle of a message */
    } else {
        dir->mode = M_OTHER;
    }
}

/* ---- repeated bytes ---------------------------------------------------- */

/* Payload [0, hi) was seen before: name the messages it belonged to. */
static void repeat_pieces(ctx *c, uint32_t hi)
{
    tl_http_dir *dir = c->dir;
    unsigned first = ((unsigned)dir->hist_head + TL_HTTP_HISTORY - dir->hist_used) % TL_HTTP_HISTORY;
    for (unsigned k = 0; k < dir->hist_used; k++) {
        unsigned idx = (first + k) % TL_HTTP_HISTORY;
        const tl_http_hist *e = &dir->hist[idx];
        bool current = k + 1 == dir->hist_used && !e->ended && in_message(dir);
        if (!e->ended && !current)
            continue;
        int64_t rs = (int32_t)(e->start - c->seq0);
        int64_t re = (int32_t)((e->ended ? e->end : dir->next_seq) - c->seq0);
        int64_t lo = rs > 0 ? rs : 0, top = re < (int64_t)hi ? re : (int64_t)hi;
        if (lo >= top)
            continue;
        tl_http_piece *pc = new_piece(c);
        pc->exchange = e->exchange;
        pc->offset = (uint32_t)lo;
        pc->length = (uint32_t)(top - lo);
        pc->flags = TL_HTTP_P_REPEAT;
        if (rs >= 0) {
            uint32_t j = (uint32_t)rs;
            pc->flags |= TL_HTTP_P_START;
            pc->line_off = j;
            while (j < c->cap && j < (uint32_t)top && c->p[j] != '\r' && c->p[j] != '\n')
                j++;
            pc->line_len = j - (uint32_t)rs;
        }
        if (e->ended == 1 && re <= (int64_t)hi)
            pc->flags |= TL_HTTP_P_END;
        if (current)
            piece_summary(dir, pc);
    }
}

/* ---- API --------------------------------------------------------------- */

void tl_http_init(tl_http *h)
{
    memset(h, 0, sizeof(*h));
}

/* What a payload of this direction is when no message piece is in it. */
static uint8_t dir_app(const tl_http_dir *dir)
{
    switch (dir->mode) {
    case M_HTTP:
    case M_LOST:
        return TL_APP_HTTP;
    case M_TUNNEL:
        return dir->app != TL_APP_NONE ? dir->app : TL_APP_OTHER;
    case M_OTHER:
        return TL_APP_OTHER;
    case M_IDLE:
    default:
        return TL_APP_NONE;
    }
}

void tl_http_segment(tl_http *h, int from_client, uint32_t seq, const uint8_t *payload,
                     uint32_t len, uint32_t captured, tl_http_result *out)
{
    ctx c;
    c.h = h;
    c.d = from_client ? TL_HTTP_REQUEST : TL_HTTP_RESPONSE;
    c.dir = &h->d[c.d];
    c.p = payload;
    c.seq0 = seq;
    c.cap = payload ? (captured < len ? captured : len) : 0;
    c.len = len;
    c.out = out;
    c.pc = NULL;
    out->app = TL_APP_NONE;
    out->n = 0;
    out->flags = 0;
    out->n_total = 0;
    if (len == 0)
        return;
    tl_http_dir *dir = c.dir;
    if (c.cap < len)
        out->flags |= TL_HTTP_R_TRUNCATED;
    if (dir->dflags & DF_CLOSED) {
        out->flags |= TL_HTTP_R_AFTER_FIN;
        out->app = dir_app(dir);
        return;
    }
    if (!(dir->dflags & DF_SEQ)) {
        dir->next_seq = seq;
        dir->dflags |= DF_SEQ;
    }

    uint32_t start = 0;
    if (tl_seq_lt(seq, dir->next_seq)) {
        uint32_t old = dir->next_seq - seq;
        start = old < len ? old : len;
        out->flags |= TL_HTTP_R_REPEAT;
        repeat_pieces(&c, start);
        if (start == len) {
            out->app = out->n_total ? TL_APP_HTTP : dir_app(dir);
            return;
        }
    } else if (tl_seq_lt(dir->next_seq, seq)) {
        out->flags |= TL_HTTP_R_GAP;
        skip_missing(&c, dir->next_seq - seq, seq - dir->next_seq);
    }

    /* New bytes [start, len), of which [start, cap) are present. */
    if (dir->mode == M_IDLE && start < c.cap)
        detect(&c, payload + start, c.cap - start);
    if ((dir->mode == M_LOST || (dir->mode == M_OTHER && (h->d[!c.d].dflags & DF_VALID))) &&
        start < c.cap && starts_message(c.d, payload + start, c.cap - start)) {
        dir->mode = M_HTTP;
        dir->st = S_BOUNDARY;
        out->flags |= TL_HTTP_R_RESYNC;
    }
    if (in_message(dir))
        open_piece(&c, start);
    uint32_t i = start;
    while (i < c.cap) {
        if (dir->mode == M_HTTP) {
            i = run_http(&c, i, c.cap);
            continue;
        }
        if (dir->mode == M_TUNNEL)
            detect_tunnel(dir, payload + i, c.cap - i);
        if (dir->mode == M_LOST)
            out->flags |= TL_HTTP_R_UNSYNCED;
        i = c.cap;
    }
    if (c.cap < len && start < len) {
        uint32_t from = start > c.cap ? start : c.cap;
        if (in_message(dir))
            open_piece(&c, from);
        skip_missing(&c, from, len - from);
    }
    if (c.pc) {
        tl_http_piece *pc = c.pc;
        if ((pc->flags & TL_HTTP_P_START) && !(dir->dflags & DF_SUMMARY)) {
            uint32_t e = c.cap > pc->line_off ? c.cap : pc->line_off;
            if (e > pc->line_off && payload[e - 1] == '\r')
                e--;
            pc->line_len = e - pc->line_off;
        }
        close_piece(&c, len);
    }
    dir->next_seq = seq + len;
    out->app = out->n_total ? TL_APP_HTTP : dir_app(dir);
}

int tl_http_fin(tl_http *h, int from_client, tl_http_piece *ended)
{
    unsigned d = from_client ? TL_HTTP_REQUEST : TL_HTTP_RESPONSE;
    tl_http_dir *dir = &h->d[d];
    if (dir->dflags & DF_CLOSED)
        return TL_HTTP_FIN_NONE;
    dir->dflags |= DF_CLOSED;
    if (!in_message(dir))
        return TL_HTTP_FIN_NONE;
    bool close_delimited = dir->st == S_B_CLOSE;
    if (ended) {
        memset(ended, 0, sizeof(*ended));
        ended->exchange = dir->exchange;
        ended->kind = (uint8_t)d;
        ended->part = dir->part;
        ended->status = known_status(dir);
        piece_summary(dir, ended);
        if (close_delimited)
            ended->flags |= TL_HTTP_P_END;
    }
    tl_http_hist *e = hist_cur(dir);
    e->end = dir->next_seq;
    e->ended = close_delimited ? 1 : 2;
    dir->st = S_BOUNDARY;
    if (close_delimited && d == TL_HTTP_RESPONSE)
        h->finals++;
    return close_delimited ? TL_HTTP_FIN_ENDED : TL_HTTP_FIN_CUT;
}

uint32_t tl_http_exchanges(const tl_http *h)
{
    return h->max_exchange;
}

tl_app tl_http_conn_app(const tl_http *h)
{
    const tl_http_dir *a = &h->d[0], *b = &h->d[1];
    for (unsigned k = 0; k < 2; k++) {
        const tl_http_dir *dir = &h->d[k];
        if (dir->mode == M_TUNNEL && dir->app != TL_APP_NONE)
            return (tl_app)dir->app;
    }
    if (a->mode == M_TUNNEL || b->mode == M_TUNNEL)
        return TL_APP_OTHER;
    if ((a->dflags | b->dflags) & DF_VALID || a->mode == M_HTTP || b->mode == M_HTTP ||
        a->mode == M_LOST || b->mode == M_LOST)
        return TL_APP_HTTP;
    if (a->mode == M_OTHER || b->mode == M_OTHER)
        return TL_APP_OTHER;
    return TL_APP_NONE;
}

/* ---- names and text ---------------------------------------------------- */

#define TL_NAME_ITEM(sym, name) name,
static const char *const app_names[] = {"", TL_APP_LIST(TL_NAME_ITEM)};
static const char *const msg_names[] = {TL_HTTP_MSG_LIST(TL_NAME_ITEM)};
#undef TL_NAME_ITEM

const char *tl_app_name(unsigned a)
{
    return a < sizeof(app_names) / sizeof(app_names[0]) ? app_names[a] : "?";
}

const char *tl_http_msg_name(unsigned m)
{
    return m < sizeof(msg_names) / sizeof(msg_names[0]) ? msg_names[m] : "?";
}

typedef struct text {
    char *buf;
    size_t size, len;
} text;

static void put(text *t, const char *fmt, ...)
{
    if (t->size == 0 || t->len >= t->size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

char *tl_http_format(const tl_http_result *r, char *buf, size_t size)
{
    text t = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    for (unsigned k = 0; k < r->n; k++) {
        const tl_http_piece *pc = &r->piece[k];
        put(&t, "%s%s %u", k ? "; " : "", tl_http_msg_name(pc->kind), (unsigned)pc->exchange);
        if (pc->flags & TL_HTTP_P_SUMMARY)
            put(&t, " (%s)", pc->summary);
        if (pc->part)
            put(&t, ", part %u", (unsigned)pc->part);
        else
            put(&t, ", repeat");
    }
    if (r->n_total > r->n)
        put(&t, "; +%u more", (unsigned)(r->n_total - r->n));
    return buf;
}
