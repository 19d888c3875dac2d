/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zeek-compatible connection summary (SPEC §4 tcplife.conn.state and
 * tcplife.conn.history): Zeek conn.log's conn_state and history, computed
 * from the same segments the lifecycle core sees. Pure C, no allocation.
 */
#ifndef TCPLIFE_ZEEK_H
#define TCPLIFE_ZEEK_H

#include "tcplife/tcplife.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_ZEEK_HISTORY_MAX 40

typedef struct tl_zeek {
    char history[TL_ZEEK_HISTORY_MAX + 1]; /* NUL-terminated */
    uint8_t started;
    /* The implementation (core/zeek.c) keeps its own per-endpoint state here. */
    uint8_t reserved[256];
} tl_zeek;

/* Start a connection. */
void tl_zeek_init(tl_zeek *z);

/* Feed the next captured segment (tl_segment.dir: 0 = sender of the first
 * captured segment). */
void tl_zeek_segment(tl_zeek *z, const tl_segment *s);

/* Zeek's conn_state for what was fed so far: "S0", "S1", "SF", "REJ", "S2",
 * "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR" or "OTH". */
const char *tl_zeek_conn_state(const tl_zeek *z);

/* Zeek's history string for what was fed so far. */
const char *tl_zeek_history(const tl_zeek *z);

#ifdef __cplusplus
}
#endif

#endif
