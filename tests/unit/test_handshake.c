/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening a connection: the three-way handshake, simultaneous open,
 * retransmitted SYN and SYN+ACK, data on the third ACK and on the SYN (TFO),
 * a capture that starts at the SYN+ACK, and ISNs that wrap across 2^32.
 * Every expectation is derived from SPEC §2/§3 and RFC 9293 §3.10; the rule
 * is quoted next to the row.
 */
#include "fixture.h"
#include "tests.h"

/* SPEC §3 Handshake: step 1 "client SYN-SENT, server SYN-RECEIVED"; step 2
 * "client ESTABLISHED"; step 3 "server ESTABLISHED". Phase is the phase
 * "once this segment is delivered": established after step 3. */
void test_handshake_normal(void)
{
    static const tl_row rows[] = {HANDSHAKE_ROWS};
    /* CHOICE: before the first SYN the client is CLOSED and the server LISTEN
     * (RFC 9293 §3.3.2: a server waits in LISTEN; SPEC's "back to LISTEN for
     * a server in SYN-RECEIVED reached from LISTEN" presumes it). */
    static const scenario sc = {"handshake_normal", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(0, c.client_dir);
    CHECK_U(1, c.hs_frame[0]);
    CHECK_U(2, c.hs_frame[1]);
    CHECK_U(3, c.hs_frame[2]);
    CHECK_U(TL_CLOSER_NONE, c.closer); /* SPEC §3: none while still open */
    CHECK_U(3, c.segments);
    CHECK_U(1, c.first_frame);
    CHECK_U(3, c.last_frame);
}

/* Simultaneous open (RFC 9293 §3.5 Figure 8): both send SYN without ACK.
 * SPEC: "each side's SYN is step 1, each SYN+ACK step 2, each ACK of the
 * other's SYN step 3"; TL_F_SIMULTANEOUS_OPEN "from the second SYN on". */
void test_handshake_simultaneous_open(void)
{
#define A0 0xFFFFFF00u
#define B0 0xFFFFFFF0u
    static const tl_row rows[] = {
        /* fr dir tcp seq  ack     len  sender phase  hs td client server rtx flags anom */
        /* The first SYN without ACK makes dir 0 the client (SPEC §2). */
        ROW(1, 0, SYN, A0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        /* Second SYN, no ACK: its sender had not received the client's SYN
         * when it sent it (SPEC §3 States: move the sender back to its
         * evidence), so it sends SYN from LISTEN/CLOSED: SYN-SENT; then the
         * already captured client SYN is delivered to it: SYN-RECEIVED. The
         * client in SYN-SENT gets a SYN without ACK: SYN-RECEIVED
         * (§3.10.7.3, Figure 8 line 3-4). Both SYN-RECEIVED. */
        /* CHOICE: no TL_A_ROLE_CONFLICT: a SYN from the server side is the
         * named, normal simultaneous open here, reported by its own flag;
         * TL_A_SIM_OPEN_SEEN once, here (SPEC §6 "each once at the frame
         * where it becomes known"). */
        ROW(2, 1, SYN, B0, 0, 0, SRV, P_HS, 1, 0, SR, SR, 0, F_SO, A_SOS),
        /* Client's SYN+ACK (step 2). Sender stays SYN-RECEIVED (its own SYN
         * is not acked yet); the server in SYN-RECEIVED gets the ack of its
         * SYN: ESTABLISHED (§3.10.7.4 SYN-RECEIVED, Figure 8 line 5). */
        /* CHOICE: retrans_of 0: the SYN+ACK carries the SYN again, but it is
         * the client's first SYN+ACK and plays another step. */
        ROW(3, 0, SA, A0, B0 + 1, 0, CLI, P_HS, 2, 0, SR, ES, 0, F_SO, 0),
        /* Server's SYN+ACK (step 2): the client gets the ack of its SYN:
         * ESTABLISHED. */
        /* CHOICE: phase established as soon as both endpoints are
         * ESTABLISHED (TL_C_HANDSHAKE_DONE), although the step-3 ACKs follow. */
        ROW(4, 1, SA, B0, A0 + 1, 0, SRV, P_EST, 2, 0, ES, ES, 0, F_SO, 0),
        /* "each side's first non-SYN ack of the other's SYN": step 3 twice. */
        ROW(5, 0, A, A0 + 1, B0 + 1, 0, CLI, P_EST, 3, 0, ES, ES, 0, F_SO, 0),
        ROW(6, 1, A, B0 + 1, A0 + 1, 0, SRV, P_EST, 3, 0, ES, ES, 0, F_SO, 0),
        /* Later segments keep the flag ("every later segment"). */
        ROW(7, 0, PA, A0 + 1, B0 + 1, 100, CLI, P_EST, 0, 0, ES, ES, 0, F_SO, 0),
    };
#undef A0
#undef B0
    static const scenario sc = {"simultaneous_open", {5000, 6000}, SVC_NONE, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(0, c.client_dir);
    CHECK_U(1, c.hs_frame[0]);
    CHECK_U(3, c.hs_frame[1]);
    CHECK_U(5, c.hs_frame[2]);
    CHECK(c.cflags & TL_C_SIM_OPEN);
}

/* SPEC §3 tcplife.retransmission: "on a repeated SYN, SYN+ACK ...: the frame
 * of the first one; the repeat keeps the same step". A repeat changes no
 * state (the endpoint is already where the first one put it). */
void test_handshake_retransmitted_syn_synack(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 1, 0, 0),
        ROW(3, 1, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        ROW(4, 1, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 3, 0, 0),
        ROW(5, 0, A, C0 + 1, S0 + 1, 0, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"retransmitted_syn_synack", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(1, c.hs_frame[0]);
    CHECK_U(3, c.hs_frame[1]);
    CHECK_U(5, c.hs_frame[2]);
}

/* SPEC step 3: "the client's first segment that acks the server's SYN,
 * whether or not it carries data (with data it is also a data segment)". */
void test_handshake_third_ack_with_data(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 1, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        ROW(3, 0, PA, C0 + 1, S0 + 1, 517, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0),
        ROW(4, 1, A, S0 + 1, C0 + 518, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"third_ack_with_data", {52749, 443}, SVC_NONE, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(3, c.hs_frame[2]);
}

/* TCP Fast Open: the SYN carries 50 bytes; the SYN+ACK acks SYN and data
 * (C0 + 51 covers C0 + 1, so it "acks the client's SYN", SPEC §2). */
void test_handshake_syn_with_data(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 50, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 1, SA, S0, C0 + 51, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        ROW(3, 0, A, C0 + 51, S0 + 1, 0, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"syn_with_data", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* SPEC §2: no SYN captured: the client is "the receiver of the first
 * SYN+ACK" (not a guess). Here the capture's first sender (dir 0) is the
 * server. The SYN+ACK acks C0+1, so its sender had the client's SYN:
 * SYN-RECEIVED; the client gets the ack of its SYN: ESTABLISHED. */
void test_handshake_capture_starts_at_synack(void)
{
    static const tl_row rows[] = {
        /* CHOICE: not TL_F_MIDSTREAM: SPEC defines midstream as "the first
         * captured segment was not a SYN", and a SYN+ACK carries SYN.
         * CHOICE: no TL_A_ACK_UNSEEN for acking the uncaptured SYN. */
        ROW(1, 0, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        ROW(2, 1, A, C0 + 1, S0 + 1, 0, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0),
        ROW(3, 1, PA, C0 + 1, S0 + 1, 945, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"capture_starts_at_synack", {80, 52749}, SVC_DIR0, false, 0, 0,
                                rows, NROWS(rows)};
    tl_conn c;
    tl_result res[NROWS(rows)];
    char buf[64];
    run_scenario(&sc, &c, res);
    CHECK_U(1, c.client_dir);
    CHECK(!(c.cflags & TL_C_GUESSED));
    CHECK_U(0, c.hs_frame[0]);
    CHECK_U(1, c.hs_frame[1]);
    CHECK_U(2, c.hs_frame[2]);
    /* SPEC §3 label example "Data C→S 945 B". */
    CHECK_PREFIX("Data C" ARROW "S 945 B", tl_format_label(&res[2], buf, sizeof buf));
}

/* Sequence numbers wrapping across 2^32 in the handshake (the client's SYN
 * sits at 0xFFFFFFFF, so its ack is 0), in data (server bytes end at
 * 0xFFFFFFFF) and at the FIN (the server's FIN at 0xFFFFFFFF is acked by 0).
 * The server closes first, Linux-style: SPEC §3 "Linux usually merges 2 and
 * 3 into one FIN+ACK"; server FIN-WAIT-1/client CLOSE-WAIT at step 1; the
 * FIN+ACK makes the client LAST-ACK and the server (its FIN acked, then FIN
 * received: §3.10.7.4 FIN-WAIT-1) TIME-WAIT; step 4 leaves the client
 * CLOSED and the connection closed. */
void test_wraparound_everywhere(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, 0xFFFFFFFFu, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 1, SA, 0xFFFFFF00u, 0x0u, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        ROW(3, 0, A, 0x0u, 0xFFFFFF01u, 0, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0),
        ROW(4, 0, PA, 0x0u, 0xFFFFFF01u, 100, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(5, 1, PA, 0xFFFFFF01u, 100, 0xFE, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(6, 0, A, 100, 0xFFFFFFFFu, 0, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(7, 1, FA, 0xFFFFFFFFu, 100, 0, SRV, P_CLG, 0, TD1, CW, FW1, 0, 0, 0),
        ROW(8, 0, FA, 100, 0x0u, 0, CLI, P_CLG, 0, TD23, LA, TW, 0, 0, 0),
        ROW(9, 1, A, 0x0u, 101, 0, SRV, P_CLD, 0, TD4, CL, TW, 0, 0, 0),
    };
    static const scenario sc = {"wraparound_everywhere", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_SERVER, c.closer);
    CHECK_U(7, c.td_frame[0]);
    CHECK_U(8, c.td_frame[1]);
    CHECK_U(8, c.td_frame[2]);
    CHECK_U(9, c.td_frame[3]);
}
