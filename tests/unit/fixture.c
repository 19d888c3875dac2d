/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scenario runner: builds each tl_segment from a table row, feeds it to
 * the core and compares the whole tl_result with the row's expectation. A
 * failure names the scenario, the frame and the field, with enum values
 * spelled out, so a report can quote it as is.
 */
#include <string.h>

#include "fixture.h"

typedef const char *(*namer)(unsigned);

static void cmp(const scenario *sc, uint32_t frame, const char *field, unsigned exp, unsigned got,
                namer name)
{
    if (name)
        th_check(exp == got, __FILE__, __LINE__, "scenario %s frame %u: %s: expected %s, got %s (%u)",
                 sc->name, frame, field, name(exp), name(got), got);
    else
        th_check(exp == got, __FILE__, __LINE__,
                 "scenario %s frame %u: %s: expected %u (0x%x), got %u (0x%x)", sc->name, frame,
                 field, exp, exp, got, got);
}

void run_scenario(const scenario *sc, tl_conn *c, tl_result *out)
{
    uint8_t prev[2] = {sc->init_c, sc->init_s};
    bool have_prev = sc->check_init;

    tl_conn_init(c);
    for (size_t i = 0; i < sc->n; i++) {
        const tl_row *w = &sc->rows[i];
        tl_segment seg;
        tl_result r;

        memset(&seg, 0, sizeof seg);
        seg.frame = w->frame;
        seg.dir = w->dir;
        seg.flags = w->tcp;
        seg.sport = sc->port[w->dir];
        seg.dport = sc->port[!w->dir];
        if (sc->svc != SVC_NONE)
            seg.port_hint = (uint8_t)(w->dir == sc->svc - 1 ? TL_HINT_SRC_SERVICE
                                                              : TL_HINT_DST_SERVICE);
        seg.seq = w->seq;
        seg.ack = (w->tcp & TL_TH_ACK) ? w->ack : 0;
        seg.len = w->len;
        seg.win = w->zero_win ? 0 : 65535;
        seg.time_us = 1700000000000000LL + (int64_t)w->frame * 1000;

        /* Poison the result so a field the core forgot to fill shows. */
        memset(&r, 0xA5, sizeof r);
        tl_conn_segment(c, &seg, &r);

        cmp(sc, w->frame, "sender", w->sender, r.sender, tl_role_name);
        cmp(sc, w->frame, "phase", w->phase, r.phase, tl_phase_name);
        cmp(sc, w->frame, "hs_step", w->hs, r.hs_step, NULL);
        cmp(sc, w->frame, "td_mask", w->td, r.td_mask, NULL);
        cmp(sc, w->frame, "client state_after", w->cst, r.state_after[TL_CLIENT], tl_state_name);
        cmp(sc, w->frame, "server state_after", w->sst, r.state_after[TL_SERVER], tl_state_name);
        cmp(sc, w->frame, "retrans_of", w->rtx, r.retrans_of, NULL);
        cmp(sc, w->frame, "data_len", w->len, r.data_len, NULL);
        /* TL_F_SYN/FIN/RST echo the segment's own header flags (for labels). */
        {
            unsigned echo = ((w->tcp & TL_TH_SYN) ? (unsigned)TL_F_SYN : 0u) |
                            ((w->tcp & TL_TH_FIN) ? (unsigned)TL_F_FIN : 0u) |
                            ((w->tcp & TL_TH_RST) ? (unsigned)TL_F_RST : 0u);
            cmp(sc, w->frame, "flags (without STATE_CHANGE)", w->fl | echo,
                (unsigned)r.flags & ~(unsigned)TL_F_STATE_CHANGE, NULL);
        }
        cmp(sc, w->frame, "anomalies", w->an, r.anomalies, NULL);

        /* Invariant: each result starts where the previous one ended. */
        if (have_prev) {
            cmp(sc, w->frame, "client state_before", prev[TL_CLIENT], r.state_before[TL_CLIENT],
                tl_state_name);
            cmp(sc, w->frame, "server state_before", prev[TL_SERVER], r.state_before[TL_SERVER],
                tl_state_name);
        }
        /* Invariant: TL_F_STATE_CHANGE exactly when a state changed. */
        {
            bool changed = r.state_before[0] != r.state_after[0] ||
                           r.state_before[1] != r.state_after[1];
            cmp(sc, w->frame, "TL_F_STATE_CHANGE", changed,
                (r.flags & TL_F_STATE_CHANGE) ? 1u : 0u, NULL);
        }
        prev[0] = r.state_after[0];
        prev[1] = r.state_after[1];
        have_prev = true;
        if (out)
            out[i] = r;
    }
}
