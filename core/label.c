/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one-line human label (SPEC §3 tcplife.label) and the Info column
 * prefix (SPEC §7), made from a stored tl_result alone so that the plugin
 * formats them only when something displays them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tcplife/tcplife.h"

#define ARROW "\xe2\x86\x92" /* U+2192 RIGHTWARDS ARROW */

typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *fmt, ...)
{
    if (o->size == 0 || o->len >= o->size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len = o->len + (size_t)n < o->size ? o->len + (size_t)n : o->size - 1;
}

static const char *direction(const tl_result *r)
{
    return r->sender == TL_CLIENT ? "C" ARROW "S" : "S" ARROW "C";
}

/* "2+3" for a td_mask of 0x06. */
static void put_steps(out *o, unsigned mask)
{
    const char *sep = "";
    for (unsigned n = 1; n <= 4; n++)
        if ((mask >> (n - 1)) & 1u) {
            put(o, "%s%u", sep, n);
            sep = "+";
        }
}

static void put_data_suffix(out *o, const tl_result *r)
{
    if (r->data_len > 0)
        put(o, " + %u B data", (unsigned)r->data_len);
}

char *tl_format_label(const tl_result *r, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';

    if (r->anomalies & TL_A_BOGUS_FLAGS) {
        put(&o, "Invalid flags %s", direction(r));
    } else if (r->flags & TL_F_RST) {
        put(&o, "Reset by %s", r->sender == TL_CLIENT ? "client" : "server");
        if (r->flags & TL_F_REFUSED)
            put(&o, ": connection refused");
    } else if (r->td_mask) {
        /* Teardown outranks handshake: a FIN on the third handshake
         * segment is read first as the start of the close. */
        put(&o, "Teardown ");
        put_steps(&o, r->td_mask);
        bool fin = r->td_mask & 0x05 /* steps 1 and 3 are FINs */;
        const char *what = (r->td_mask & 0x06) == 0x06 ? "FIN+ACK" : fin ? "FIN" : "ACK";
        put(&o, "/4: %s %s", what, direction(r));
        put_data_suffix(&o, r);
    } else if (r->hs_step) {
        static const char *const what[] = {"SYN", "SYN+ACK", "ACK"};
        put(&o, "Handshake %u/3: %s", (unsigned)r->hs_step, what[(r->hs_step - 1) % 3]);
        put_data_suffix(&o, r);
    } else if (r->flags & TL_F_KEEPALIVE) {
        put(&o, "Keep-alive %s", direction(r));
    } else if (r->flags & TL_F_ZERO_WINDOW_PROBE) {
        put(&o, "Zero-window probe %s", direction(r));
    } else if (r->data_len > 0) {
        put(&o, "Data %s %u B", direction(r), (unsigned)r->data_len);
        if (r->anomalies & TL_A_DATA_AFTER_FIN)
            put(&o, " after FIN");
        if (r->flags & TL_F_DATA_RETRANS)
            put(&o, " (retransmission)");
    } else if (r->anomalies & TL_A_SYNACK_BAD_ACK) {
        put(&o, "SYN+ACK %s not acking the SYN", direction(r));
    } else if (r->flags & TL_F_FIN) {
        put(&o, "FIN %s", direction(r));
    } else if (r->flags & TL_F_SYN) {
        put(&o, "SYN %s", direction(r));
    } else {
        put(&o, "ACK %s", direction(r));
    }

    if (r->retrans_of)
        put(&o, " (retransmission)");
    if ((r->anomalies & TL_A_AFTER_CLOSE) && r->phase != TL_PHASE_RESET)
        put(&o, " after close");
    return buf;
}

char *tl_format_info_prefix(const tl_result *r, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size > 0)
        buf[0] = '\0';
    if (r->flags & TL_F_RST) {
        put(&o, "[RST] ");
    } else if (r->td_mask) {
        put(&o, "[TD ");
        put_steps(&o, r->td_mask);
        put(&o, "/4] ");
    } else if (r->hs_step) {
        put(&o, "[HS %u/3] ", (unsigned)r->hs_step);
    }
    return buf;
}
