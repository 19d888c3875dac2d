/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ending a connection with RST. SPEC §3 States: "RST: phase reset; the
 * receiver goes to CLOSED (or back to LISTEN for a server in SYN-RECEIVED
 * reached from LISTEN), the sender to CLOSED. An RST that answers a SYN is a
 * refused connection." Fine points: "A SYN nobody answers leaves the server
 * predicted in SYN-RECEIVED ...; an RST from the server then moves both to
 * CLOSED" and "An RST has phase reset; segments after it have phase closed".
 */
#include "fixture.h"
#include "tests.h"

/* RST+ACK answering the SYN: refused; both CLOSED (the server is the sender,
 * so "the sender to CLOSED" applies to it). */
void test_reset_refused(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 1, RA, 0, C0 + 1, 0, SRV, P_RST, 0, 0, CL, CL, 0, F_REF, 0),
    };
    static const scenario sc = {"reset_refused", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    tl_result res[NROWS(rows)];
    char buf[64];
    run_scenario(&sc, &c, res);
    CHECK_U(2, c.rst_frame);
    CHECK_U(TL_CLOSER_NONE, c.closer); /* SPEC: none when no FIN was sent */
    CHECK(c.cflags & TL_C_RESET);
    CHECK_PREFIX("Reset by server", tl_format_label(&res[1], buf, sizeof buf));
    CHECK_STR("[RST] ", tl_format_info_prefix(&res[1], buf, sizeof buf));
}

/* An unanswered, retransmitted SYN: the server stays predicted SYN-RECEIVED
 * (delivery rule); the repeats point at frame 1 and stay step 1; the server's
 * eventual RST moves both to CLOSED and, answering a SYN, means refused. */
void test_reset_unanswered_syn_then_server_rst(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 1, 0, 0),
        ROW(3, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 1, 0, 0),
        ROW(4, 1, RA, 0, C0 + 1, 0, SRV, P_RST, 0, 0, CL, CL, 0, F_REF, 0),
    };
    static const scenario sc = {"unanswered_syn_then_rst", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(1, c.hs_frame[0]);
    CHECK_U(0, c.hs_frame[1]);
    CHECK_U(4, c.rst_frame);
}

/* The client gives up with an RST while the server is (predicted)
 * SYN-RECEIVED, reached from LISTEN: the receiver goes back to LISTEN, the
 * sender to CLOSED. The RST answers no SYN of the peer: not refused. */
void test_reset_client_rst_server_syn_received(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 0, R, C0 + 1, 0, 0, CLI, P_RST, 0, 0, CL, LI, 0, 0, 0),
    };
    static const scenario sc = {"client_rst_server_syn_received", {52749, 80}, SVC_DIR1, true, CL,
                                LI, rows, NROWS(rows)};
    tl_conn c;
    tl_result res[NROWS(rows)];
    char buf[64];
    run_scenario(&sc, &c, res);
    CHECK_PREFIX("Reset by client", tl_format_label(&res[1], buf, sizeof buf));
}

/* The same after the server's SYN+ACK (a SYN-scan pattern: SYN, SYN+ACK,
 * RST): the server was SYN-RECEIVED from LISTEN, so back to LISTEN (RFC 9293
 * §3.10.7.4 first: "If this connection was initiated with a passive OPEN
 * (i.e., came from the LISTEN state), then return this connection to LISTEN
 * state"). */
void test_reset_client_rst_after_synack(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),
        ROW(2, 1, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),
        /* CHOICE: not TL_F_REFUSED: "refused" is the server turning down a
         * SYN (SPEC §6 "connection refused (RST answers SYN)"); a client RST
         * after the SYN+ACK is the client aborting, not a refusal. */
        ROW(3, 0, R, C0 + 1, 0, 0, CLI, P_RST, 0, 0, CL, LI, 0, 0, 0),
    };
    static const scenario sc = {"client_rst_after_synack", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(3, c.rst_frame);
}

/* Abort in ESTABLISHED, from the client: both CLOSED, phase reset, not
 * refused, closer none. */
void test_reset_abort_by_client(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, PA, C0 + 1, S0 + 1, 300, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 301, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(6, 0, RA, C0 + 301, S0 + 1, 0, CLI, P_RST, 0, 0, CL, CL, 0, 0, 0),
    };
    static const scenario sc = {"abort_by_client", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    tl_result res[NROWS(rows)];
    char buf[64];
    run_scenario(&sc, &c, res);
    CHECK_U(6, c.rst_frame);
    CHECK_U(TL_CLOSER_NONE, c.closer);
    CHECK_PREFIX("Reset by client", tl_format_label(&res[5], buf, sizeof buf));
}

#define ABORT_BY_SERVER_ROWS                                                                       \
    HANDSHAKE_ROWS, ROW(4, 0, PA, C0 + 1, S0 + 1, 300, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),         \
        ROW(5, 1, RA, S0 + 1, C0 + 301, 0, SRV, P_RST, 0, 0, CL, CL, 0, 0, 0)

/* Abort in ESTABLISHED, from the server. */
void test_reset_abort_by_server(void)
{
    static const tl_row rows[] = {ABORT_BY_SERVER_ROWS};
    static const scenario sc = {"abort_by_server", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    tl_result res[NROWS(rows)];
    char buf[64];
    run_scenario(&sc, &c, res);
    CHECK_U(5, c.rst_frame);
    CHECK_U(TL_CLOSER_NONE, c.closer);
    /* SPEC §3 label example and §7 Info prefix. */
    CHECK_PREFIX("Reset by server", tl_format_label(&res[4], buf, sizeof buf));
    CHECK_STR("[RST] ", tl_format_info_prefix(&res[4], buf, sizeof buf));
}

/* A repeated RST: "on a repeated ... RST: the frame of the first one". */
void test_reset_retransmitted_rst(void)
{
    static const tl_row rows[] = {
        ABORT_BY_SERVER_ROWS,
        /* CHOICE: a repeated RST is still an RST: phase reset (SPEC "An RST
         * has phase reset"), not closed, and no TL_A_AFTER_CLOSE: it is the
         * same reset again, marked by retrans_of, not a stray segment. */
        ROW(6, 1, RA, S0 + 1, C0 + 301, 0, SRV, P_RST, 0, 0, CL, CL, 5, 0, 0),
    };
    static const scenario sc = {"retransmitted_rst", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(5, c.rst_frame);
}

/* "segments after it have phase closed"; the connection has ended, so they
 * are TL_A_AFTER_CLOSE; states stay CLOSED. */
void test_reset_segments_after_rst(void)
{
    static const tl_row rows[] = {
        ABORT_BY_SERVER_ROWS,
        ROW(6, 0, PA, C0 + 301, S0 + 1, 40, CLI, P_CLD, 0, 0, CL, CL, 0, 0, A_AC),
        ROW(7, 0, A, C0 + 341, S0 + 1, 0, CLI, P_CLD, 0, 0, CL, CL, 0, 0, A_AC),
    };
    static const scenario sc = {"segments_after_rst", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* RST after a FIN: client FIN (step 1), server ACK (step 2), then the server
 * aborts. Both CLOSED, phase reset, no step; the closer stays the client (a
 * FIN was sent). */
void test_reset_after_fin(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
        ROW(6, 1, RA, S0 + 1, C0 + 2, 0, SRV, P_RST, 0, 0, CL, CL, 0, 0, 0),
    };
    static const scenario sc = {"reset_after_fin", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(6, c.rst_frame);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
    CHECK(!(c.cflags & TL_C_TEARDOWN_DONE));
}
