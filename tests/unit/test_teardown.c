/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Closing a connection: SPEC §3 teardown steps "by meaning, whatever order
 * they are captured in": 1 the first FIN (its sender is the active closer),
 * 2 the peer's first segment that acks that FIN, 3 the peer's FIN, 4 the
 * active closer's first segment that acks the peer's FIN. Covers the Linux
 * three-segment close, the four-segment close from either side,
 * simultaneous close in both capture orders, half-close, data on step 2,
 * data after one's own FIN, a FIN crossing the peer's data, retransmitted
 * FINs, a FIN captured after its ACK, and segments after the end.
 * All fixtures start from the normal handshake with ISNs near 2^32.
 */
#include "fixture.h"
#include "tests.h"

/* SPEC §3 States, "Four-segment close, client closing first: step 1: client
 * FIN-WAIT-1, server CLOSE-WAIT; step 2: client FIN-WAIT-2; step 3: server
 * LAST-ACK, client TIME-WAIT; step 4: server CLOSED". Linux merges 2 and 3:
 * the client in FIN-WAIT-1 gets the ack of its FIN and the peer's FIN at once:
 * TIME-WAIT (RFC 9293 §3.10.7.4). "The segment that completes the last of the
 * four teardown steps ... leaves the connection in phase closed". */
static const tl_row linux_close_rows[] = {
    HANDSHAKE_ROWS,
    /* 945 bytes from C0+1 wrap: next is C0+946 = 0x2B1. */
    ROW(4, 0, PA, C0 + 1, S0 + 1, 945, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
    ROW(5, 1, A, S0 + 1, C0 + 946, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
    ROW(6, 0, FA, C0 + 946, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
    ROW(7, 1, FA, S0 + 1, C0 + 947, 0, SRV, P_CLG, 0, TD23, TW, LA, 0, 0, 0),
    ROW(8, 0, A, C0 + 947, S0 + 2, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
};

void test_close_linux_three_segments(void)
{
    static const scenario sc = {"close_linux_three_segments", {52749, 80}, SVC_DIR1, true, CL, LI,
                                linux_close_rows, NROWS(linux_close_rows)};
    tl_conn c;
    tl_result res[NROWS(linux_close_rows)];
    run_scenario(&sc, &c, res);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
    CHECK_U(6, c.td_frame[0]);
    CHECK_U(7, c.td_frame[1]);
    CHECK_U(7, c.td_frame[2]);
    CHECK_U(8, c.td_frame[3]);
    CHECK_U(0, c.rst_frame);
    CHECK(c.cflags & TL_C_TEARDOWN_DONE);
    CHECK(!(c.cflags & TL_C_RESET));
    /* tl_has_td_step on the FIN+ACK: steps 2 and 3, not 1 or 4. */
    CHECK(!tl_has_td_step(&res[6], 1));
    CHECK(tl_has_td_step(&res[6], 2));
    CHECK(tl_has_td_step(&res[6], 3));
    CHECK(!tl_has_td_step(&res[6], 4));
    CHECK(!tl_has_td_step(&res[6], 0));
    CHECK(!tl_has_td_step(&res[6], 5));
}

/* SPEC "segments after the end": a duplicate of the last ACK after the
 * connection closed: phase closed, TL_A_AFTER_CLOSE, no step, no change. */
void test_close_segment_after_end(void)
{
    tl_row rows[NROWS(linux_close_rows) + 2];
    memcpy(rows, linux_close_rows, sizeof linux_close_rows);
    /* A pure duplicate of the last ACK, prompted by nothing: the header
     * defines TL_A_AFTER_CLOSE as "segment after the connection ended", with
     * no exception for segments without payload (after an RST the core
     * flags pure ACKs too, see test_reset_segments_after_rst). */
    rows[8] = (tl_row)ROW(9, 0, A, C0 + 947, S0 + 2, 0, CLI, P_CLD, 0, 0, TW, CL, 0, 0, A_AC);
    /* A stray data segment from the server after it is CLOSED; its FIN sat
     * at S0+1, so the payload at S0+2 is also "data from a side after its
     * own FIN" (SPEC §3). */
    rows[9] = (tl_row)ROW(10, 1, PA, S0 + 2, C0 + 947, 20, SRV, P_CLD, 0, 0, TW, CL, 0, 0,
                          A_AC | A_DAF);
    scenario sc = {"segment_after_end", {52749, 80}, SVC_DIR1, true, CL, LI, rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(8, c.td_frame[3]);
    CHECK_U(10, c.last_frame);
}

/* Textbook/Windows four-segment close, client first (SPEC §3 States, quoted
 * above). */
void test_close_four_segments_client_first(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
        ROW(6, 1, FA, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD3, TW, LA, 0, 0, 0),
        ROW(7, 0, A, C0 + 2, S0 + 2, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"close_four_client_first", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
    CHECK_U(4, c.td_frame[0]);
    CHECK_U(5, c.td_frame[1]);
    CHECK_U(6, c.td_frame[2]);
    CHECK_U(7, c.td_frame[3]);
}

/* Four-segment close, server first: the same rules with the roles swapped
 * (step 1 from either side, SPEC §3). Server data first: 945 bytes wrap. */
void test_close_four_segments_server_first(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 1, PA, S0 + 1, C0 + 1, 945, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(5, 1, FA, S0 + 946, C0 + 1, 0, SRV, P_CLG, 0, TD1, CW, FW1, 0, 0, 0),
        ROW(6, 0, A, C0 + 1, S0 + 947, 0, CLI, P_CLG, 0, TD2, CW, FW2, 0, 0, 0),
        ROW(7, 0, FA, C0 + 1, S0 + 947, 0, CLI, P_CLG, 0, TD3, LA, TW, 0, 0, 0),
        ROW(8, 1, A, S0 + 947, C0 + 2, 0, SRV, P_CLD, 0, TD4, CL, TW, 0, 0, 0),
    };
    static const scenario sc = {"close_four_server_first", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_SERVER, c.closer);
    CHECK_U(5, c.td_frame[0]);
    CHECK_U(8, c.td_frame[3]);
}

/* Simultaneous close, captured in step order 1, 3, 2, 4. SPEC: "the peer's
 * FIN does not ack the first FIN" sets the flag "from that FIN on" and "leads
 * both sides through CLOSING to TIME-WAIT".
 * Frame 5: the server's FIN acks C0+1, not the client's FIN (at C0+1): by its
 * evidence the server had not received that FIN, so it is moved back to
 * ESTABLISHED and sends FIN: FIN-WAIT-1; the already captured client FIN is
 * then delivered to it: CLOSING. The client in FIN-WAIT-1 gets a FIN that
 * does not ack its own: CLOSING (§3.10.7.4 eighth, FIN-WAIT-1). Steps:
 * "peer's FIN=3". Frame 6: the server's first segment acking the client FIN
 * (step 2): the client in CLOSING gets its FIN acked: TIME-WAIT. Frame 7: the
 * client's first ack of the server's FIN (step 4): server CLOSING to
 * TIME-WAIT; last of the four steps: phase closed. TL_A_SIM_CLOSE_SEEN once,
 * on frame 5 (SPEC §6 "each once at the frame where it becomes known"). */
void test_close_simultaneous(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, FA, S0 + 1, C0 + 1, 0, SRV, P_CLG, 0, TD3, CG, CG, 0, F_SC, A_SCS),
        ROW(6, 1, A, S0 + 2, C0 + 2, 0, SRV, P_CLG, 0, TD2, TW, CG, 0, F_SC, 0),
        ROW(7, 0, A, C0 + 2, S0 + 2, 0, CLI, P_CLD, 0, TD4, TW, TW, 0, F_SC, 0),
    };
    static const scenario sc = {"close_simultaneous", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_BOTH, c.closer); /* SPEC §4: both = simultaneous close */
    CHECK_U(4, c.td_frame[0]);
    CHECK_U(6, c.td_frame[1]);
    CHECK_U(5, c.td_frame[2]);
    CHECK_U(7, c.td_frame[3]);
    CHECK(c.cflags & TL_C_SIM_CLOSE);
}

/* Simultaneous close with the two ACKs captured the other way round (1, 3,
 * 4, 2): SPEC "(normally step 4; in a simultaneous close it can be step 2)"
 * completes the teardown. Frame 6 (step 4): the client stays CLOSING (its FIN
 * is not acked), the server in CLOSING gets its FIN acked: TIME-WAIT. Frame 7
 * (step 2): the client gets its FIN acked: TIME-WAIT; phase closed. */
void test_close_simultaneous_step2_last(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, FA, S0 + 1, C0 + 1, 0, SRV, P_CLG, 0, TD3, CG, CG, 0, F_SC, A_SCS),
        ROW(6, 0, A, C0 + 2, S0 + 2, 0, CLI, P_CLG, 0, TD4, CG, TW, 0, F_SC, 0),
        ROW(7, 1, A, S0 + 2, C0 + 2, 0, SRV, P_CLD, 0, TD2, TW, TW, 0, F_SC, 0),
    };
    static const scenario sc = {"close_simultaneous_step2_last", {52749, 80}, SVC_DIR1, true, CL,
                                LI, rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_BOTH, c.closer);
    CHECK_U(7, c.td_frame[1]);
    CHECK_U(6, c.td_frame[3]);
}

/* SPEC: "Data sent by the passive side between steps 1 and 3 is normal
 * (half-close): phase closing". The states stay FIN-WAIT-2/CLOSE-WAIT:
 * §3.10.7.4 FIN-WAIT-2 processes incoming text, CLOSE-WAIT may send. */
void test_close_half_close_with_data(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
        ROW(6, 1, PA, S0 + 1, C0 + 2, 500, SRV, P_CLG, 0, 0, FW2, CW, 0, 0, 0),
        ROW(7, 0, A, C0 + 2, S0 + 501, 0, CLI, P_CLG, 0, 0, FW2, CW, 0, 0, 0),
        ROW(8, 1, PA, S0 + 501, C0 + 2, 1000, SRV, P_CLG, 0, 0, FW2, CW, 0, 0, 0),
        ROW(9, 0, A, C0 + 2, S0 + 1501, 0, CLI, P_CLG, 0, 0, FW2, CW, 0, 0, 0),
        ROW(10, 1, FA, S0 + 1501, C0 + 2, 0, SRV, P_CLG, 0, TD3, TW, LA, 0, 0, 0),
        ROW(11, 0, A, C0 + 2, S0 + 1502, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"half_close_with_data", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
}

/* Server data sent before the client's FIN reached it (its ack stops short
 * of the FIN): the sender is moved back to its evidence (ESTABLISHED) to send,
 * then the captured FIN is delivered again: CLOSE-WAIT; so no state changes
 * and this is no step. Step 2 is the server's first segment that acks the
 * FIN, later. Phase stays closing (SPEC: half-close data is normal). */
void test_close_fin_crossing_peer_data(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, PA, S0 + 1, C0 + 1, 300, SRV, P_CLG, 0, 0, FW1, CW, 0, 0, 0),
        ROW(6, 0, A, C0 + 2, S0 + 301, 0, CLI, P_CLG, 0, 0, FW1, CW, 0, 0, 0),
        ROW(7, 1, A, S0 + 301, C0 + 2, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
        ROW(8, 1, FA, S0 + 301, C0 + 2, 0, SRV, P_CLG, 0, TD3, TW, LA, 0, 0, 0),
        ROW(9, 0, A, C0 + 2, S0 + 302, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"fin_crossing_peer_data", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(7, c.td_frame[1]);
}

/* Step 2 "the peer's first segment that acks that FIN" may carry data: it is
 * step 2 and a data segment (data_len 200). */
void test_close_step2_with_data(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 1, PA, S0 + 1, C0 + 2, 200, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
        ROW(6, 0, A, C0 + 2, S0 + 201, 0, CLI, P_CLG, 0, 0, FW2, CW, 0, 0, 0),
        ROW(7, 1, FA, S0 + 201, C0 + 2, 0, SRV, P_CLG, 0, TD3, TW, LA, 0, 0, 0),
        ROW(8, 0, A, C0 + 2, S0 + 202, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"step2_with_data", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* SPEC: "Data from a side after its own FIN is an error (expert info), not a
 * step": TL_A_DATA_AFTER_FIN, no step, states unchanged. */
void test_close_data_after_own_fin(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 0, PA, C0 + 2, S0 + 1, 10, CLI, P_CLG, 0, 0, FW1, CW, 0, 0, A_DAF),
        ROW(6, 1, A, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, 0, 0),
    };
    static const scenario sc = {"data_after_own_fin", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* Retransmitted FIN and FIN+ACK: "the frame of the first one; the repeat
 * keeps the same step" (so the FIN+ACK repeat is 2+3 again). A repeat changes
 * no state: LAST-ACK resending its FIN stays LAST-ACK, TIME-WAIT receiving
 * it stays TIME-WAIT (§3.10.7.4 eighth). */
void test_close_retransmitted_fin(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, 0, 0),
        ROW(5, 0, FA, C0 + 1, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW1, CW, 4, 0, 0),
        ROW(6, 1, FA, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD23, TW, LA, 0, 0, 0),
        ROW(7, 1, FA, S0 + 1, C0 + 2, 0, SRV, P_CLG, 0, TD23, TW, LA, 6, 0, 0),
        ROW(8, 0, A, C0 + 2, S0 + 2, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"retransmitted_fin", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(4, c.td_frame[0]);
    CHECK_U(6, c.td_frame[1]);
    CHECK_U(6, c.td_frame[2]);
    CHECK_U(8, c.td_frame[3]);
}

/* Capture reordering: the server's ACK of the client's FIN is captured
 * before the FIN. By meaning the ACK is step 2 and the late FIN step 1. The
 * ACK acks exactly one beyond what the client has sent (C0+101 sent, ack
 * C0+102): a FIN is inferred (TL_F_INFERRED_FIN); client FIN-WAIT-2, server
 * CLOSE-WAIT. The FIN when it arrives: step 1, no retrans_of, no change. */
void test_close_fin_captured_after_its_ack(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, PA, C0 + 1, S0 + 1, 100, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 101, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        /* CHOICE: TL_F_INFERRED_FIN explains the ack, so no TL_A_ACK_UNSEEN. */
        ROW(6, 1, A, S0 + 1, C0 + 102, 0, SRV, P_CLG, 0, TD2, FW2, CW, 0, F_INF, 0),
        ROW(7, 0, FA, C0 + 101, S0 + 1, 0, CLI, P_CLG, 0, TD1, FW2, CW, 0, 0, 0),
        ROW(8, 1, FA, S0 + 1, C0 + 102, 0, SRV, P_CLG, 0, TD3, TW, LA, 0, 0, 0),
        ROW(9, 0, A, C0 + 102, S0 + 2, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, 0, 0),
    };
    static const scenario sc = {"fin_captured_after_its_ack", {52749, 80}, SVC_DIR1, true, CL, LI,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
    /* tcplife.conn.teardownN: "first frame of each teardown step". */
    CHECK_U(7, c.td_frame[0]);
    CHECK_U(6, c.td_frame[1]);
    CHECK_U(8, c.td_frame[2]);
    CHECK_U(9, c.td_frame[3]);
}

/* SPEC §3 tcplife.label examples and §7 Info column prefixes, on the Linux
 * close: "Handshake 1/3: SYN", "Data C→S 945 B", "ACK S→C", "Teardown 1/4:
 * FIN C→S", "Teardown 2+3/4: FIN+ACK S→C"; "[HS 1/3] ", "[TD 2+3/4] ".
 * Labels are checked as prefixes (SPEC gives them as examples; for steps it
 * has no example, only "Handshake n/3" / "Teardown n/4"); the Info prefixes
 * exactly, following §7's pattern. */
void test_labels_linux_close(void)
{
    static const scenario sc = {"labels_linux_close", {52749, 80}, SVC_DIR1, true, CL, LI,
                                linux_close_rows, NROWS(linux_close_rows)};
    tl_conn c;
    tl_result res[NROWS(linux_close_rows)];
    char buf[80];

    run_scenario(&sc, &c, res);
    CHECK_PREFIX("Handshake 1/3: SYN", tl_format_label(&res[0], buf, sizeof buf));
    CHECK_PREFIX("Handshake 2/3", tl_format_label(&res[1], buf, sizeof buf));
    CHECK_PREFIX("Handshake 3/3", tl_format_label(&res[2], buf, sizeof buf));
    CHECK_PREFIX("Data C" ARROW "S 945 B", tl_format_label(&res[3], buf, sizeof buf));
    CHECK_PREFIX("ACK S" ARROW "C", tl_format_label(&res[4], buf, sizeof buf));
    CHECK_PREFIX("Teardown 1/4: FIN C" ARROW "S", tl_format_label(&res[5], buf, sizeof buf));
    CHECK_PREFIX("Teardown 2+3/4: FIN+ACK S" ARROW "C", tl_format_label(&res[6], buf, sizeof buf));
    CHECK_PREFIX("Teardown 4/4", tl_format_label(&res[7], buf, sizeof buf));

    CHECK_STR("[HS 1/3] ", tl_format_info_prefix(&res[0], buf, sizeof buf));
    CHECK_STR("[HS 3/3] ", tl_format_info_prefix(&res[2], buf, sizeof buf));
    CHECK_STR("", tl_format_info_prefix(&res[3], buf, sizeof buf));
    CHECK_STR("[TD 1/4] ", tl_format_info_prefix(&res[5], buf, sizeof buf));
    CHECK_STR("[TD 2+3/4] ", tl_format_info_prefix(&res[6], buf, sizeof buf));
    CHECK_STR("[TD 4/4] ", tl_format_info_prefix(&res[7], buf, sizeof buf));

    /* "always NUL-terminated when size > 0": a short buffer truncates. */
    memset(buf, 'x', sizeof buf);
    tl_format_label(&res[6], buf, 6);
    CHECK(strlen(buf) <= 5);
    memset(buf, 'x', sizeof buf);
    tl_format_label(&res[6], buf, 1);
    CHECK_U(0, buf[0]);
    memset(buf, 'x', sizeof buf);
    CHECK(tl_format_label(&res[6], buf, 0) == buf);
    CHECK_U('x', buf[0]); /* size 0: nothing written */
}
