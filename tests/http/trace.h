/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A readable trace of the HTTP core: segments in, one text line per segment
 * out, for golden tables (test_http.c) and the capture check (pcap_check.c).
 */
#ifndef TCPLIFE_TESTS_HTTP_TRACE_H
#define TCPLIFE_TESTS_HTTP_TRACE_H

#include <stdio.h>
#include <string.h>

#include "tcplife/http.h"

/* "C HTTP {g}: req#1 p1 [SHE] 0+18 "GET /"" — sender, app, result flags,
 * then every piece: kind and exchange, part, piece flags, offset+length,
 * summary when known. Pieces are joined by " | ". */
static inline void trace_result(char who, const tl_http_result *r, char *buf, size_t size)
{
    static const char rflags[] = "gtruymUf";
    static const char pflags[] = "SHE$RIUN";
    size_t len = 0;
#define TR_PUT(...)                                                                                \
    do {                                                                                           \
        if (len < size) {                                                                          \
            int n_ = snprintf(buf + len, size - len, __VA_ARGS__);                                 \
            if (n_ > 0)                                                                            \
                len += (size_t)n_;                                                                 \
        }                                                                                          \
    } while (0)
    TR_PUT("%c %s", who, r->app ? tl_app_name(r->app) : "-");
    if (r->flags) {
        TR_PUT(" {");
        for (unsigned b = 0; b < 8; b++)
            if (r->flags & (1u << b))
                TR_PUT("%c", rflags[b]);
        TR_PUT("}");
    }
    for (unsigned k = 0; k < r->n; k++) {
        const tl_http_piece *pc = &r->piece[k];
        TR_PUT("%s%s#%u p%u [", k ? " | " : ": ", pc->kind == TL_HTTP_REQUEST ? "req" : "resp",
               (unsigned)pc->exchange, (unsigned)pc->part);
        for (unsigned b = 0; b < 8; b++)
            if ((pc->flags & (1u << b)) && b != 3)
                TR_PUT("%c", pflags[b]);
        TR_PUT("] %u+%u", (unsigned)pc->offset, (unsigned)pc->length);
        if (pc->flags & TL_HTTP_P_START)
            TR_PUT(" L%u+%u", (unsigned)pc->line_off, (unsigned)pc->line_len);
        if (pc->flags & TL_HTTP_P_SUMMARY)
            TR_PUT(" \"%s\"", pc->summary);
    }
    if (r->n_total > r->n)
        TR_PUT(" (+%u)", (unsigned)(r->n_total - r->n));
#undef TR_PUT
    if (size)
        buf[len < size ? len : size - 1] = '\0';
}

#endif
