/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connections picked up mid-stream (role guessing, SPEC §2), keep-alive and
 * zero-window probes (no state change, no step), and the small pure
 * helpers: enum names (SPEC §3 "State names are RFC 9293's, exactly") and
 * wrap-safe sequence comparison.
 */
#include "fixture.h"
#include "tests.h"

#define M0 0xFFFFFF80u /* server's sequence number at pick-up */
#define N0 0xFFFFFFC0u /* client's sequence number at pick-up */

/* SPEC §2: no SYN, no SYN+ACK: "the endpoint with the higher port when the
 * other port is < 1024 ... ; mark the guess". The first captured segment
 * comes from port 443 (dir 0), so the client is dir 1 (port 52749).
 * "Midstream (no SYN captured): both endpoints start in ESTABLISHED", so the
 * first segment changes no state; midstream and guessed hold for the whole
 * connection (connection properties, SPEC §3). The close that follows is an
 * ordinary Linux close by the client. */
void test_midstream_low_port(void)
{
    static const tl_row rows[] = {
        /* CHOICE: no TL_A_ACK_UNSEEN mid-stream: nothing was seen to ack. */
        ROW(1, 0, PA, M0, N0, 200, SRV, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
        ROW(2, 1, A, N0, M0 + 200, 0, CLI, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
        ROW(3, 1, FA, N0, M0 + 200, 0, CLI, P_CLG, 0, TD1, FW1, CW, 0, F_MID | F_GU, 0),
        ROW(4, 0, FA, M0 + 200, N0 + 1, 0, SRV, P_CLG, 0, TD23, TW, LA, 0, F_MID | F_GU, 0),
        ROW(5, 1, A, N0 + 1, M0 + 201, 0, CLI, P_CLD, 0, TD4, TW, CL, 0, F_MID | F_GU, 0),
    };
    static const scenario sc = {"midstream_low_port", {443, 52749}, SVC_NONE, true, ES, ES, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(1, c.client_dir);
    CHECK_U(TL_CLOSER_CLIENT, c.closer);
    CHECK_U(0, c.hs_frame[0]);
    CHECK_U(0, c.hs_frame[2]);
}

/* SPEC §2: "... or a port Wireshark maps to HTTP": 8080 carries the glue's
 * service hint, the other endpoint (40000, the higher port) is the client. */
void test_midstream_http_port_hint(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, PA, M0, N0, 100, SRV, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
        ROW(2, 1, A, N0, M0 + 100, 0, CLI, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
        ROW(3, 1, PA, N0, M0 + 100, 50, CLI, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
    };
    static const scenario sc = {"midstream_http_port_hint", {8080, 40000}, SVC_DIR0, true, ES, ES,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(1, c.client_dir);
}

/* SPEC §2: neither port < 1024 nor HTTP: "else the sender of the first
 * captured segment" is the client, even though it has the lower port. */
void test_midstream_no_port_rule(void)
{
    static const tl_row rows[] = {
        ROW(1, 0, PA, N0, M0, 100, CLI, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
        ROW(2, 1, A, M0, N0 + 100, 0, SRV, P_EST, 0, 0, ES, ES, 0, F_MID | F_GU, 0),
    };
    static const scenario sc = {"midstream_no_port_rule", {40000, 50000}, SVC_NONE, true, ES, ES,
                                rows, NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
    CHECK_U(0, c.client_dir);
    CHECK(c.cflags & TL_C_GUESSED);
    CHECK(c.cflags & TL_C_MIDSTREAM);
}

/* Keep-alive probes: seq = next - 1 with 0 or 1 byte (header: "a keep-alive
 * probe (seq = snd.nxt - 1)"). No state change, no step. The client's 300
 * bytes from C0+1 wrap: its next is C0+301 = 0x2D, so the probe is at 0x2C.
 * The server has sent nothing after its SYN: its probe sits at S0. */
void test_keepalive_probes(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, PA, C0 + 1, S0 + 1, 300, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(5, 1, A, S0 + 1, C0 + 301, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(6, 0, A, C0 + 300, S0 + 1, 0, CLI, P_EST, 0, 0, ES, ES, 0, F_KA, 0),
        ROW(7, 1, A, S0 + 1, C0 + 301, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        /* CHOICE: a one-byte keep-alive is not TL_F_DATA_RETRANS although its
         * byte was seen: like Wireshark, keep-alive takes precedence. */
        ROW(8, 0, A, C0 + 300, S0 + 1, 1, CLI, P_EST, 0, 0, ES, ES, 0, F_KA, 0),
        ROW(9, 1, A, S0 + 1, C0 + 301, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(10, 1, A, S0, C0 + 301, 0, SRV, P_EST, 0, 0, ES, ES, 0, F_KA, 0),
        ROW(11, 0, A, C0 + 301, S0 + 1, 0, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        /* After the probes, ordinary data is ordinary. */
        ROW(12, 0, PA, C0 + 301, S0 + 1, 20, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"keepalive_probes", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* Zero-window probe: one byte at the sender's next sequence number after the
 * peer advertised window 0 (header: "one byte sent into a zero window"). */
void test_zero_window_probe(void)
{
    static const tl_row rows[] = {
        HANDSHAKE_ROWS,
        ROW(4, 0, PA, C0 + 1, S0 + 1, 1000, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROWZ(5, 1, A, S0 + 1, C0 + 1001, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(6, 0, A, C0 + 1001, S0 + 1, 1, CLI, P_EST, 0, 0, ES, ES, 0, F_ZWP, 0),
        ROWZ(7, 1, A, S0 + 1, C0 + 1001, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        /* Window opens and the probe byte is accepted. */
        ROW(8, 1, A, S0 + 1, C0 + 1002, 0, SRV, P_EST, 0, 0, ES, ES, 0, 0, 0),
        ROW(9, 0, PA, C0 + 1002, S0 + 1, 100, CLI, P_EST, 0, 0, ES, ES, 0, 0, 0),
    };
    static const scenario sc = {"zero_window_probe", {52749, 80}, SVC_DIR1, true, CL, LI, rows,
                                NROWS(rows)};
    tl_conn c;
    run_scenario(&sc, &c, NULL);
}

/* SPEC §3: the 11 names exactly; header: out of range gives "?". */
void test_names(void)
{
    static const char *const states[] = {
        "CLOSED",     "LISTEN",     "SYN-SENT",   "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
        "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",    "LAST-ACK",     "TIME-WAIT",
    };
    CHECK_U(11, TL_STATE_COUNT);
    for (unsigned i = 0; i < 11; i++)
        CHECK_STR(states[i], tl_state_name(i));
    CHECK_STR("CLOSED", tl_state_name(TL_CLOSED));
    CHECK_STR("SYN-RECEIVED", tl_state_name(TL_SYN_RECEIVED));
    CHECK_STR("TIME-WAIT", tl_state_name(TL_TIME_WAIT));
    CHECK_STR("?", tl_state_name(11));
    CHECK_STR("?", tl_state_name(0xFFFFFFFFu));

    CHECK_STR("handshake", tl_phase_name(TL_PHASE_HANDSHAKE));
    CHECK_STR("established", tl_phase_name(TL_PHASE_ESTABLISHED));
    CHECK_STR("closing", tl_phase_name(TL_PHASE_CLOSING));
    CHECK_STR("closed", tl_phase_name(TL_PHASE_CLOSED));
    CHECK_STR("reset", tl_phase_name(TL_PHASE_RESET));
    CHECK_STR("?", tl_phase_name(TL_PHASE_COUNT));

    CHECK_STR("client", tl_role_name(TL_CLIENT));
    CHECK_STR("server", tl_role_name(TL_SERVER));
    CHECK_STR("?", tl_role_name(2));

    CHECK_STR("none", tl_closer_name(TL_CLOSER_NONE));
    CHECK_STR("client", tl_closer_name(TL_CLOSER_CLIENT));
    CHECK_STR("server", tl_closer_name(TL_CLOSER_SERVER));
    CHECK_STR("both", tl_closer_name(TL_CLOSER_BOTH));
    CHECK_STR("?", tl_closer_name(4));
}

/* RFC 9293 §3.4: comparisons are modulo 2^32. */
void test_seq_compare(void)
{
    CHECK(tl_seq_lt(0xFFFFFFF0u, 0x10u));
    CHECK(!tl_seq_lt(0x10u, 0xFFFFFFF0u));
    CHECK(tl_seq_lt(0xFFFFFFFFu, 0u));
    CHECK(!tl_seq_lt(0u, 0xFFFFFFFFu));
    CHECK(!tl_seq_lt(5u, 5u));
    CHECK(tl_seq_le(5u, 5u));
    CHECK(tl_seq_le(0xFFFFFFFFu, 0u));
    CHECK(!tl_seq_le(0u, 0xFFFFFFFFu));
    CHECK(tl_seq_lt(C0, C0 + 946));  /* across 2^32 */
    CHECK(!tl_seq_lt(C0 + 946, C0)); /* C0 + 946 == 0x2B2 */
    CHECK(tl_seq_lt(0x7FFFFFFFu, 0x80000000u));
}

/* A clock that steps back gives 0, times too far apart saturate: the
 * plugin shows durations of captures with corrupt timestamps. */
void test_duration_saturates(void)
{
    tl_conn c;
    tl_conn_init(&c);
    c.first_time_us = 1700000000000000;
    c.last_time_us = 1700000001500000;
    CHECK(tl_conn_duration_us(&c) == 1500000);
    c.last_time_us = c.first_time_us - 1;
    CHECK(tl_conn_duration_us(&c) == 0);
    c.first_time_us = INT64_MIN;
    c.last_time_us = INT64_MAX;
    CHECK(tl_conn_duration_us(&c) == INT64_MAX);
    c.first_time_us = -1;
    c.last_time_us = INT64_MAX;
    CHECK(tl_conn_duration_us(&c) == INT64_MAX);
    c.first_time_us = c.last_time_us = 0;
    CHECK(tl_conn_duration_us(&c) == 0);
}
