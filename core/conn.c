/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The observer of one connection: for each captured segment, decide the
 * roles (once), then read the segment as evidence in a fixed order:
 *
 *   1. what the sender sent (SYN, FIN, data): its own facts and steps;
 *   2. what its ack field proves it had received (SPEC §2 "evidence");
 *   3. delivery: the receiver gets what was sent (SPEC §3 delivery rule);
 *   4. both states are re-derived from the facts (state.c), then the phase.
 *
 * Steps are assigned by meaning (SPEC §3): the first segment that carries a
 * given piece of evidence gets the step, whatever order it is captured in.
 */
#include <string.h>

#include "state.h"
#include "tcplife/tcplife.h"

#define HAS(e, bit) (((e)->facts & (bit)) != 0)
#define SET(e, bit) ((e)->facts = (uint16_t)((e)->facts | (bit)))

void tl_conn_init(tl_conn *c)
{
    memset(c, 0, sizeof *c);
    c->ep[TL_CLIENT].state = TL_CLOSED;
    c->ep[TL_SERVER].state = TL_LISTEN;
    c->phase = TL_PHASE_HANDSHAKE;
}

static bool is_service_port(uint16_t port, bool hinted)
{
    return port < 1024 || hinted;
}

/* SPEC §2: who is the client, from the connection's first captured segment. */
static void decide_roles(tl_conn *c, const tl_segment *s)
{
    bool syn = s->flags & TL_TH_SYN, ack = s->flags & TL_TH_ACK;
    uint8_t sender_dir = s->dir & 1u;

    if (syn && !(s->flags & (TL_TH_RST | TL_TH_FIN))) {
        /* The sender of a bare SYN is the client; the receiver of a SYN+ACK. */
        c->client_dir = ack ? (uint8_t)!sender_dir : sender_dir;
        return;
    }

    /* No SYN: the higher port is the client when the other one is a
     * service port; otherwise the sender of the first segment. A guess. */
    c->cflags |= TL_C_GUESSED | TL_C_MIDSTREAM;
    bool src_svc = is_service_port(s->sport, s->port_hint & TL_HINT_SRC_SERVICE);
    bool dst_svc = is_service_port(s->dport, s->port_hint & TL_HINT_DST_SERVICE);
    if (s->sport < s->dport && src_svc)
        c->client_dir = (uint8_t)!sender_dir;
    else if (s->dport < s->sport && dst_svc)
        c->client_dir = sender_dir;
    else
        c->client_dir = sender_dir;
}

/* Set up the endpoints for a connection whose first captured segment is s. */
static void start(tl_conn *c, const tl_segment *s)
{
    decide_roles(c, s);
    c->cflags |= TL_C_STARTED;
    if (c->cflags & TL_C_MIDSTREAM) {
        /* SPEC §3: with no SYN captured, both endpoints start ESTABLISHED:
         * the handshake happened before the capture did. */
        for (int i = 0; i < 2; i++)
            c->ep[i].facts = TL_E_SYN_SENT | TL_E_SYN_RCVD | TL_E_SYN_ACKED |
                             TL_E_ACKED_PEER_SYN;
        c->cflags |= TL_C_HANDSHAKE_DONE;
        c->phase = TL_PHASE_ESTABLISHED;
    } else if (s->flags & TL_TH_ACK) {
        /* First captured segment is a SYN+ACK: the client's SYN happened
         * (its ack proves it) but was not captured: client in SYN-SENT with
         * the ISN the ack implies; the server had received it. */
        tl_endpoint *cl = &c->ep[TL_CLIENT];
        cl->facts = TL_E_SYN_SENT | TL_E_SEQ_KNOWN;
        cl->isn = s->ack - 1u;
        cl->next_seq = s->ack;
        c->ep[TL_SERVER].facts = TL_E_SYN_RCVD | TL_E_PASSIVE_OPEN;
    }
    for (int i = 0; i < 2; i++)
        c->ep[i].state = (uint8_t)tl_derive_state(&c->ep[i], (tl_role)i);
    c->first_frame = s->frame;
    c->first_time_us = s->time_us;
}

/* A new bare SYN after the connection ended (same tcp.stream): a new life.
 * The first-frame links of the summary are kept; endpoint evidence is not. */
static void reopen(tl_conn *c, const tl_segment *s, tl_result *r)
{
    uint8_t dir = s->dir & 1u;
    tl_role sender = dir == c->client_dir ? TL_CLIENT : TL_SERVER;
    uint32_t old_isn = c->ep[sender].isn, old_frame = c->ep[sender].syn_frame;
    bool had_syn = HAS(&c->ep[sender], TL_E_SYN_SENT);
    tl_endpoint old[2] = {c->ep[0], c->ep[1]};

    memset(c->ep, 0, sizeof c->ep);
    c->client_dir = dir;
    c->closer = TL_CLOSER_NONE;
    c->td_done = 0;
    c->cflags &= (uint16_t) ~(TL_C_RESET | TL_C_TEARDOWN_DONE | TL_C_HANDSHAKE_DONE |
                              TL_C_SIM_OPEN | TL_C_SIM_CLOSE | TL_C_CLOSING | TL_C_MIDSTREAM |
                              TL_C_GUESSED);
    c->ep[TL_CLIENT].state = TL_CLOSED;
    c->ep[TL_SERVER].state = TL_LISTEN;
    c->phase = TL_PHASE_HANDSHAKE;

    if (had_syn && old_isn == s->seq && sender == TL_CLIENT && old_frame) {
        /* The same SYN again (a Windows stack retries a refused connect with
         * the same ISN): a retransmission, which restarts the attempt. */
        c->ep[TL_CLIENT].syn_frame = old_frame;
        c->ep[TL_CLIENT].isn = old_isn;
        r->retrans_of = old_frame;
        /* ...and the answer to it will repeat the first RST. */
        for (int i = 0; i < 2; i++) {
            c->ep[i].rst_frame = old[i].rst_frame;
            c->ep[i].rst_seq = old[i].rst_seq;
        }
    } else {
        r->anomalies |= TL_A_REOPENED;
    }
}

static void mark_hs(tl_conn *c, tl_result *r, unsigned step, uint32_t frame)
{
    r->hs_step = (uint8_t)step;
    if (!c->hs_frame[step - 1])
        c->hs_frame[step - 1] = frame;
}

static void mark_td(tl_conn *c, tl_result *r, unsigned step, uint32_t frame)
{
    r->td_mask = (uint8_t)(r->td_mask | (1u << (step - 1)));
    c->td_done = (uint8_t)(c->td_done | (1u << (step - 1)));
    if (frame && !c->td_frame[step - 1])
        c->td_frame[step - 1] = frame;
}

/* The sender's bare SYN or SYN+ACK (RFC 9293 §3.5). */
static void on_syn(tl_conn *c, const tl_segment *s, tl_result *r, tl_role sender)
{
    tl_endpoint *tx = &c->ep[sender], *rx = &c->ep[!sender];
    bool ack = s->flags & TL_TH_ACK;

    if (!ack) {
        if (HAS(tx, TL_E_SYN_SENT) && tx->isn == s->seq) {
            /* Same ISN: a retransmission, or the original captured after a
             * SYN+ACK that already implied it (then it is no repeat). */
            if (tx->syn_frame)
                r->retrans_of = tx->syn_frame;
            else
                tx->syn_frame = s->frame;
        } else {
            if (sender == TL_SERVER && !HAS(rx, TL_E_SYN_SENT))
                r->anomalies |= TL_A_ROLE_CONFLICT;
            /* A bare SYN proves its sender had not got the peer's SYN (or it
             * would have sent SYN+ACK): if the peer sent a bare SYN too, this
             * is a simultaneous open (RFC 9293 §3.5, Figure 8). */
            if (HAS(rx, TL_E_SYN_SENT))
                c->cflags |= TL_C_SIM_OPEN;
            tx->facts = (uint16_t)(tx->facts & ~TL_E_PASSIVE_OPEN);
            SET(tx, TL_E_SYN_SENT);
            if (!(tx->syn_frame && tx->isn == s->seq))
                tx->syn_frame = s->frame;
            tx->isn = s->seq;
        }
        mark_hs(c, r, 1, s->frame);
    } else {
        /* With TCP Fast Open the SYN carried data: the ack may cover it. */
        bool acks_syn = HAS(rx, TL_E_SYN_SENT) && tl_seq_le(rx->isn + 1u, s->ack) &&
                        (!HAS(rx, TL_E_SEQ_KNOWN) || tl_seq_le(s->ack, rx->next_seq));
        if (tx->synack_frame && tx->isn == s->seq) {
            r->retrans_of = tx->synack_frame;
        } else {
            if (!HAS(tx, TL_E_SYN_SENT)) {
                tx->isn = s->seq;
                SET(tx, TL_E_SYN_SENT);
            }
            tx->synack_frame = s->frame;
            if (sender == TL_CLIENT && !(c->cflags & TL_C_SIM_OPEN))
                r->anomalies |= TL_A_ROLE_CONFLICT;
        }
        if (acks_syn) {
            /* The ack proves the sender holds the peer's SYN. */
            SET(tx, TL_E_SYN_RCVD);
            SET(rx, TL_E_SYN_ACKED);
            mark_hs(c, r, 2, s->frame);
        } else {
            r->anomalies |= TL_A_SYNACK_BAD_ACK;
        }
    }
    /* Delivery: the receiver gets the SYN. Had it not sent its own, it was
     * listening: a passive open (LISTEN -> SYN-RECEIVED). */
    if (!HAS(rx, TL_E_SYN_SENT) && !HAS(rx, TL_E_SYN_RCVD))
        SET(rx, TL_E_PASSIVE_OPEN);
    SET(rx, TL_E_SYN_RCVD);
}

/* Endpoint e (role who) sent its first FIN, occupying fin_seq, in frame
 * (0: inferred, not captured). Returns the teardown steps the FIN is. */
static uint8_t send_fin(tl_conn *c, tl_role who, uint32_t fin_seq, uint32_t frame)
{
    tl_endpoint *e = &c->ep[who], *peer = &c->ep[!who];
    uint8_t steps;

    SET(e, TL_E_FIN_SENT);
    e->fin_seq = fin_seq;
    e->fin_frame = frame;
    if (!(c->cflags & TL_C_CLOSING)) {
        c->cflags |= TL_C_CLOSING;
        c->active = (uint8_t)who;
        c->closer = who == TL_CLIENT ? TL_CLOSER_CLIENT : TL_CLOSER_SERVER;
        steps = 0x01;
    } else if (HAS(e, TL_E_ACKED_PEER_FIN)) {
        /* Its ack covers the first FIN: it closed second. A FIN whose own
         * segment first acked that FIN is also step 2 (on_ack marked it). */
        SET(e, TL_E_PASSIVE_CLOSE);
        steps = 0x04;
    } else {
        /* It sent its FIN before it had the first one: simultaneous close
         * (RFC 9293 §3.6, Figure 13). */
        c->cflags |= TL_C_SIM_CLOSE;
        c->closer = TL_CLOSER_BOTH;
        steps = 0x04;
    }
    for (unsigned n = 1; n <= 4; n++)
        if (((unsigned)steps >> (n - 1)) & 1u) {
            c->td_done = (uint8_t)(c->td_done | (1u << (n - 1)));
            if (frame && !c->td_frame[n - 1])
                c->td_frame[n - 1] = frame;
        }
    e->fin_steps = steps;
    /* Delivery: the peer gets the FIN. */
    SET(peer, TL_E_FIN_RCVD);
    return steps;
}

/* Segments that ack what the peer sent: handshake step 3, teardown 2 and 4. */
static void on_ack(tl_conn *c, const tl_segment *s, tl_result *r, tl_role sender)
{
    tl_endpoint *tx = &c->ep[sender], *rx = &c->ep[!sender];
    uint32_t ack = s->ack;

    if (HAS(tx, TL_E_ACK_KNOWN) && tl_seq_lt(ack, tx->max_ack)) {
        /* An older ack than one already seen: reordered or retransmitted,
         * it proves nothing new. */
    } else {
        tx->max_ack = ack;
        SET(tx, TL_E_ACK_KNOWN);
    }
    tx->win = s->win;

    /* A client in SYN-SENT sending a plain ACK (its SYN already counted in
     * its sequence number) proves it got the server's SYN+ACK, uncaptured
     * (one direction missing from the capture): the server's SYN is the
     * one this acks (RFC 9293 §3.5, step 2 of Figure 6). */
    if (sender == TL_CLIENT && HAS(tx, TL_E_SYN_SENT) && !HAS(tx, TL_E_SYN_RCVD) &&
        !HAS(rx, TL_E_SYN_SENT) && !(s->flags & TL_TH_SYN) && tl_seq_lt(tx->isn, s->seq)) {
        SET(rx, TL_E_SYN_SENT);
        SET(rx, TL_E_SEQ_KNOWN);
        rx->isn = ack - 1u;
        rx->next_seq = ack;
        SET(tx, TL_E_SYN_RCVD);
        SET(tx, TL_E_SYN_ACKED);
        r->flags |= TL_F_INFERRED_SYNACK;
    }

    /* An ack exactly one past everything the peer sent, with no FIN seen
     * from it: the peer's FIN is on its way but not yet captured. Read it as
     * that FIN (RFC 9293 §3.4: a FIN takes one sequence number). */
    if (HAS(rx, TL_E_SEQ_KNOWN) && !HAS(rx, TL_E_FIN_SENT) && !HAS(rx, TL_E_RST) &&
        (rx->facts & TL_E_SYN_ACKED) && ack == rx->next_seq + 1u && !(s->flags & TL_TH_SYN)) {
        uint32_t fin_seq = rx->next_seq;
        rx->next_seq = ack;
        send_fin(c, (tl_role)!sender, fin_seq, 0);
        r->flags |= TL_F_INFERRED_FIN;
    } else if (HAS(rx, TL_E_SEQ_KNOWN) && tl_seq_lt(rx->next_seq, ack)) {
        r->anomalies |= TL_A_ACK_UNSEEN;
    }

    if (HAS(rx, TL_E_SYN_SENT) && tl_seq_le(rx->isn + 1u, ack)) {
        /* It holds the peer's SYN; its first non-SYN ack of it is
         * handshake step 3 (the client's, or either side's after a
         * simultaneous open). */
        SET(tx, TL_E_SYN_RCVD);
        SET(rx, TL_E_SYN_ACKED);
        if (!HAS(tx, TL_E_ACKED_PEER_SYN) && !(s->flags & TL_TH_SYN)) {
            SET(tx, TL_E_ACKED_PEER_SYN);
            if (sender == TL_CLIENT || (c->cflags & TL_C_SIM_OPEN))
                mark_hs(c, r, 3, s->frame);
        }
    }

    if (HAS(rx, TL_E_FIN_SENT) && tl_seq_le(rx->fin_seq + 1u, ack)) {
        SET(tx, TL_E_FIN_RCVD);
        SET(rx, TL_E_FIN_ACKED);
        if (!HAS(tx, TL_E_ACKED_PEER_FIN)) {
            SET(tx, TL_E_ACKED_PEER_FIN);
            /* The peer of the active closer acks its FIN: step 2; the
             * active closer acks the peer's FIN: step 4. */
            mark_td(c, r, c->active == (uint8_t)sender ? 4 : 2, s->frame);
        }
    }
}

/* The sender's FIN (RFC 9293 §3.6). Runs after on_ack, whose evidence
 * tells whether the sender already had the peer's FIN. */
static void on_fin(tl_conn *c, const tl_segment *s, tl_result *r, tl_role sender)
{
    tl_endpoint *tx = &c->ep[sender], *rx = &c->ep[!sender];
    uint32_t fin_seq = s->seq + s->len;

    if (HAS(tx, TL_E_FIN_SENT)) {
        if (fin_seq != tx->fin_seq) {
            r->anomalies |= TL_A_FIN_CHANGED;
            return;
        }
        if (tx->fin_frame) {
            r->retrans_of = tx->fin_frame;
        } else {
            /* The FIN an earlier ack made us infer, captured late. */
            tx->fin_frame = s->frame;
            for (unsigned n = 1; n <= 4; n++)
                if (((unsigned)tx->fin_steps >> (n - 1)) & 1u)
                    c->td_frame[n - 1] = c->td_frame[n - 1] ? c->td_frame[n - 1] : s->frame;
        }
        r->td_mask = (uint8_t)(r->td_mask | tx->fin_steps);
        return;
    }

    r->td_mask = (uint8_t)(r->td_mask | send_fin(c, sender, fin_seq, s->frame));
    /* A retransmission repeats all this FIN was (2+3 for a merged one). */
    tx->fin_steps = r->td_mask;
    (void)rx;
}

/* An RST (RFC 9293 §3.10.7): both ends are done with this connection. */
static void on_rst(tl_conn *c, const tl_segment *s, tl_result *r, tl_role sender)
{
    tl_endpoint *tx = &c->ep[sender], *rx = &c->ep[!sender];

    if (c->cflags & TL_C_RESET) {
        if (tx->rst_frame)
            r->retrans_of = tx->rst_frame;
        return;
    }
    /* It answers a SYN when the receiver sent one and the sender never
     * sent a SYN of its own: the connection was refused. */
    if (HAS(rx, TL_E_SYN_SENT) && !HAS(rx, TL_E_SYN_RCVD) && !HAS(tx, TL_E_SYN_SENT))
        r->flags |= TL_F_REFUSED;
    /* A server that got here from LISTEN and was never synchronized goes
     * back to LISTEN (§3.10.7.3, SYN-RECEIVED). */
    if (sender == TL_CLIENT && HAS(rx, TL_E_PASSIVE_OPEN) && !HAS(rx, TL_E_SYN_ACKED) &&
        !HAS(rx, TL_E_FIN_SENT | TL_E_FIN_RCVD))
        SET(rx, TL_E_LISTEN_RESET);
    SET(tx, TL_E_RST);
    SET(rx, TL_E_RST);
    if (tx->rst_frame && tx->rst_seq == s->seq) {
        /* The same RST as in an earlier attempt of a retried SYN. */
        r->retrans_of = tx->rst_frame;
    } else {
        tx->rst_frame = s->frame;
        tx->rst_seq = s->seq;
    }
    if (!c->rst_frame)
        c->rst_frame = s->frame;
    c->cflags |= TL_C_RESET;
}

/* Sequence bookkeeping: keep-alives, zero-window probes, repeated data and
 * data beyond the sender's own FIN. */
static void track_seq(tl_conn *c, const tl_segment *s, tl_result *r, tl_role sender)
{
    tl_endpoint *tx = &c->ep[sender], *rx = &c->ep[!sender];
    bool syn = s->flags & TL_TH_SYN, fin = s->flags & TL_TH_FIN, rst = s->flags & TL_TH_RST;
    uint32_t end = s->seq + s->len + (syn ? 1u : 0u) + (fin ? 1u : 0u);

    if (HAS(tx, TL_E_SEQ_KNOWN) && !syn && !fin && !rst) {
        if (s->len <= 1 && s->seq == tx->next_seq - 1u) {
            r->flags |= TL_F_KEEPALIVE;
            return;
        }
        if (s->len == 1 && s->seq == tx->next_seq && HAS(rx, TL_E_ACK_KNOWN) && rx->win == 0)
            r->flags |= TL_F_ZERO_WINDOW_PROBE;
        else if (s->len > 0 && tl_seq_lt(s->seq, tx->next_seq))
            r->flags |= TL_F_DATA_RETRANS;
    }
    if (s->len > 0 && HAS(tx, TL_E_FIN_SENT) && !(fin && s->seq + s->len == tx->fin_seq) &&
        tl_seq_lt(tx->fin_seq, s->seq + s->len))
        r->anomalies |= TL_A_DATA_AFTER_FIN;
    if (rst)
        return;
    bool new_isn = syn && !(HAS(tx, TL_E_SYN_SENT) && tx->isn == s->seq);
    if (!HAS(tx, TL_E_SEQ_KNOWN) || new_isn || tl_seq_lt(tx->next_seq, end)) {
        tx->next_seq = end;
        SET(tx, TL_E_SEQ_KNOWN);
    }
}

static tl_phase next_phase(tl_conn *c, const tl_segment *s, bool ended_before, bool was_reset)
{
    /* An RST is phase reset, a repeat of it too; an RST after a completed
     * teardown is a stray segment of a closed connection. */
    if (s->flags & TL_TH_RST)
        return (ended_before && !was_reset) ? TL_PHASE_CLOSED : TL_PHASE_RESET;
    if (ended_before || (c->cflags & TL_C_RESET))
        return TL_PHASE_CLOSED;
    if (c->td_done == 0x0F) {
        c->cflags |= TL_C_TEARDOWN_DONE;
        return TL_PHASE_CLOSED;
    }
    if (c->cflags & TL_C_CLOSING)
        return TL_PHASE_CLOSING;
    if (c->ep[TL_CLIENT].state == TL_ESTABLISHED && c->ep[TL_SERVER].state == TL_ESTABLISHED)
        c->cflags |= TL_C_HANDSHAKE_DONE;
    return (c->cflags & TL_C_HANDSHAKE_DONE) ? TL_PHASE_ESTABLISHED : TL_PHASE_HANDSHAKE;
}

void tl_conn_segment(tl_conn *c, const tl_segment *s, tl_result *r)
{
    memset(r, 0, sizeof *r);
    if (!(c->cflags & TL_C_STARTED))
        start(c, s);

    uint8_t f = s->flags;
    bool syn = f & TL_TH_SYN, ack = f & TL_TH_ACK, rst = f & TL_TH_RST, fin = f & TL_TH_FIN;
    bool ended = (c->cflags & (TL_C_RESET | TL_C_TEARDOWN_DONE)) != 0;

    /* Before any reopening: the tree shows e.g. TIME-WAIT -> SYN-SENT. */
    r->state_before[0] = c->ep[0].state;
    r->state_before[1] = c->ep[1].state;
    if (syn && !ack && !rst && !fin && ended)
        reopen(c, s, r);

    tl_role sender = (s->dir & 1u) == c->client_dir ? TL_CLIENT : TL_SERVER;
    uint16_t cflags_before = c->cflags;
    ended = (c->cflags & (TL_C_RESET | TL_C_TEARDOWN_DONE)) != 0;
    bool was_reset = (c->cflags & TL_C_RESET) != 0;
    r->sender = (uint8_t)sender;
    r->data_len = s->len;
    r->flags = (uint16_t)((syn ? TL_F_SYN : 0) | (fin ? TL_F_FIN : 0) | (rst ? TL_F_RST : 0));

    c->segments++;
    c->last_frame = s->frame;
    c->last_time_us = s->time_us;

    bool bogus = (syn && (fin || rst)) || (f & (TL_TH_SYN | TL_TH_ACK | TL_TH_RST | TL_TH_FIN)) == 0;
    if (bogus) {
        /* SYN+FIN, SYN+RST or no control bit at all: scans and corruption,
         * which no stack in a real connection sends. Noted, not believed. */
        r->anomalies |= TL_A_BOGUS_FLAGS;
    } else if (c->cflags & TL_C_RESET && !rst) {
        /* Nothing after an RST changes either state: stray. */
        r->anomalies |= TL_A_AFTER_CLOSE;
    } else {
        track_seq(c, s, r, sender);
        if (rst) {
            on_rst(c, s, r, sender);
        } else {
            if (syn)
                on_syn(c, s, r, sender);
            if (ack)
                on_ack(c, s, r, sender);
            if (fin)
                on_fin(c, s, r, sender);
            /* After a completed close everything is stray but a repeated FIN,
             * which is the peer's normal reaction to a lost last ACK. */
            if (ended && !r->retrans_of)
                r->anomalies |= TL_A_AFTER_CLOSE;
        }
    }

    for (int i = 0; i < 2; i++) {
        c->ep[i].state = (uint8_t)tl_derive_state(&c->ep[i], (tl_role)i);
        r->state_after[i] = c->ep[i].state;
    }
    if (r->state_after[0] != r->state_before[0] || r->state_after[1] != r->state_before[1])
        r->flags |= TL_F_STATE_CHANGE;

    /* A segment not believed leaves the phase where it was, except that
     * only an RST is phase reset: what follows one is closed. */
    if (!bogus)
        c->phase = (uint8_t)next_phase(c, s, ended, was_reset);
    else if (c->phase == TL_PHASE_RESET)
        c->phase = TL_PHASE_CLOSED;
    r->phase = c->phase;

    if ((c->cflags & TL_C_SIM_OPEN) && !(cflags_before & TL_C_SIM_OPEN))
        r->anomalies |= TL_A_SIM_OPEN_SEEN;
    if ((c->cflags & TL_C_SIM_CLOSE) && !(cflags_before & TL_C_SIM_CLOSE))
        r->anomalies |= TL_A_SIM_CLOSE_SEEN;
    if (c->cflags & TL_C_GUESSED)
        r->flags |= TL_F_GUESSED;
    if (c->cflags & TL_C_MIDSTREAM)
        r->flags |= TL_F_MIDSTREAM;
    if (c->cflags & TL_C_SIM_OPEN)
        r->flags |= TL_F_SIMULTANEOUS_OPEN;
    if (c->cflags & TL_C_SIM_CLOSE)
        r->flags |= TL_F_SIMULTANEOUS_CLOSE;
}

int64_t tl_conn_duration_us(const tl_conn *c)
{
    if (c->last_time_us <= c->first_time_us)
        return 0;
    uint64_t d = (uint64_t)c->last_time_us - (uint64_t)c->first_time_us;
    return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}
