/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Zeek conn_state/history: placeholder until the real rules land. */
#include <string.h>

#include "tcplife/zeek.h"

void tl_zeek_init(tl_zeek *z)
{
    memset(z, 0, sizeof *z);
}

void tl_zeek_segment(tl_zeek *z, const tl_segment *s)
{
    (void)s;
    z->started = 1;
}

const char *tl_zeek_conn_state(const tl_zeek *z)
{
    (void)z;
    return "OTH";
}

const char *tl_zeek_history(const tl_zeek *z)
{
    return z->history;
}
