/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An endpoint's RFC 9293 state as a function of the evidence the observer
 * holds about it (tl_endpoint.facts). Facts only accumulate, so a state can
 * only move forward through the diagram of RFC 9293 §3.3.2, except by RST;
 * the order questions (did it send its SYN or FIN before or after it got the
 * peer's?) are settled once, when the segment's ack field tells, and kept as
 * the PASSIVE_* facts. This replaces the "move the sender back, then
 * forward again" bookkeeping of SPEC §3 with its result.
 */
#include "state.h"

tl_state tl_derive_state(const tl_endpoint *e, tl_role role)
{
    unsigned f = e->facts;

    /* RFC 9293 §3.10.7: an acceptable RST closes the connection; a server
     * that reached SYN-RECEIVED from LISTEN goes back to LISTEN. */
    if (f & TL_E_RST)
        return (f & TL_E_LISTEN_RESET) ? TL_LISTEN : TL_CLOSED;

    if (!(f & (TL_E_SYN_SENT | TL_E_SYN_RCVD | TL_E_FIN_SENT | TL_E_FIN_RCVD)))
        return role == TL_SERVER ? TL_LISTEN : TL_CLOSED;

    if (!(f & (TL_E_FIN_SENT | TL_E_FIN_RCVD))) {
        /* ESTABLISHED needs both directions synchronized: it has the peer's
         * SYN and the peer has acked its own (§3.10.7.3, §3.10.7.4). */
        if ((f & TL_E_SYN_RCVD) && (f & TL_E_SYN_ACKED))
            return TL_ESTABLISHED;
        /* Sent a SYN, heard nothing: SYN-SENT. Got the peer's SYN (before or
         * after sending its own), own SYN not yet acked: SYN-RECEIVED. */
        if ((f & TL_E_SYN_SENT) && !(f & TL_E_SYN_RCVD))
            return TL_SYN_SENT;
        return TL_SYN_RECEIVED;
    }

    bool sent = f & TL_E_FIN_SENT, rcvd = f & TL_E_FIN_RCVD, acked = f & TL_E_FIN_ACKED;

    /* §3.10.7.4 eighth step: a FIN received in ESTABLISHED (or
     * SYN-RECEIVED) leads to CLOSE-WAIT. */
    if (!sent)
        return TL_CLOSE_WAIT;
    /* §3.10.4 CLOSE: its FIN is out; FIN-WAIT-2 once that FIN is acked. */
    if (!rcvd)
        return acked ? TL_FIN_WAIT_2 : TL_FIN_WAIT_1;
    /* Both FINs exchanged. It closed second (its FIN acked the peer's):
     * LAST-ACK until acked, then CLOSED. It closed first, or both at once:
     * CLOSING until its FIN is acked, then TIME-WAIT. */
    if (f & TL_E_PASSIVE_CLOSE)
        return acked ? TL_CLOSED : TL_LAST_ACK;
    return acked ? TL_TIME_WAIT : TL_CLOSING;
}
