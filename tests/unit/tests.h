/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The list of unit test cases: one X-macro so that main.c's table and the
 * declarations cannot drift. Grouped by scenario family.
 */
#ifndef TCPLIFE_UNIT_TESTS_H
#define TCPLIFE_UNIT_TESTS_H

#define TL_UNIT_TESTS(X)                                                                           \
    X(test_handshake_normal)                                                                       \
    X(test_handshake_simultaneous_open)                                                            \
    X(test_handshake_retransmitted_syn_synack)                                                     \
    X(test_handshake_third_ack_with_data)                                                          \
    X(test_handshake_syn_with_data)                                                                \
    X(test_handshake_capture_starts_at_synack)                                                     \
    X(test_wraparound_everywhere)                                                                  \
    X(test_close_linux_three_segments)                                                             \
    X(test_close_segment_after_end)                                                                \
    X(test_close_four_segments_client_first)                                                       \
    X(test_close_four_segments_server_first)                                                       \
    X(test_close_simultaneous)                                                                     \
    X(test_close_simultaneous_step2_last)                                                          \
    X(test_close_half_close_with_data)                                                             \
    X(test_close_fin_crossing_peer_data)                                                           \
    X(test_close_step2_with_data)                                                                  \
    X(test_close_data_after_own_fin)                                                               \
    X(test_close_retransmitted_fin)                                                                \
    X(test_close_fin_captured_after_its_ack)                                                       \
    X(test_labels_linux_close)                                                                     \
    X(test_reset_refused)                                                                          \
    X(test_reset_unanswered_syn_then_server_rst)                                                   \
    X(test_reset_client_rst_server_syn_received)                                                   \
    X(test_reset_client_rst_after_synack)                                                          \
    X(test_reset_abort_by_client)                                                                  \
    X(test_reset_abort_by_server)                                                                  \
    X(test_reset_retransmitted_rst)                                                                \
    X(test_reset_segments_after_rst)                                                               \
    X(test_reset_after_fin)                                                                        \
    X(test_midstream_low_port)                                                                     \
    X(test_midstream_http_port_hint)                                                               \
    X(test_midstream_no_port_rule)                                                                 \
    X(test_keepalive_probes)                                                                       \
    X(test_zero_window_probe)                                                                      \
    X(test_names)                                                                                  \
    X(test_seq_compare)                                                                            \
    X(test_duration_saturates)

#define TL_UNIT_DECLARE(fn) void fn(void);
TL_UNIT_TESTS(TL_UNIT_DECLARE)
#undef TL_UNIT_DECLARE

#endif
