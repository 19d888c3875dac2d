/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario tables for the core's unit tests: one row per captured segment
 * (what goes in) and the whole tl_result expected for it (what must come
 * out). run_scenario() feeds the rows to a fresh tl_conn in order and
 * compares every field after every segment: sender, phase, handshake step,
 * teardown steps, both states after, retransmission-of frame, payload
 * length, TL_F_* flags and TL_A_* anomalies. It also checks two invariants
 * on every row: state_before equals the previous row's state_after, and
 * TL_F_STATE_CHANGE is set exactly when one of the two states changed.
 */
#ifndef TCPLIFE_UNIT_FIXTURE_H
#define TCPLIFE_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "tcplife/tcplife.h"
#include "harness.h"

/* Short names so that a table row fits on one line. */
#define CL TL_CLOSED
#define LI TL_LISTEN
#define SS TL_SYN_SENT
#define SR TL_SYN_RECEIVED
#define ES TL_ESTABLISHED
#define FW1 TL_FIN_WAIT_1
#define FW2 TL_FIN_WAIT_2
#define CW TL_CLOSE_WAIT
#define CG TL_CLOSING
#define LA TL_LAST_ACK
#define TW TL_TIME_WAIT

#define P_HS TL_PHASE_HANDSHAKE
#define P_EST TL_PHASE_ESTABLISHED
#define P_CLG TL_PHASE_CLOSING
#define P_CLD TL_PHASE_CLOSED
#define P_RST TL_PHASE_RESET

#define CLI TL_CLIENT
#define SRV TL_SERVER

/* TCP header flags of a row. */
#define SYN TL_TH_SYN
#define SA (TL_TH_SYN | TL_TH_ACK)
#define A TL_TH_ACK
#define PA (TL_TH_PSH | TL_TH_ACK)
#define FA (TL_TH_FIN | TL_TH_ACK)
#define R TL_TH_RST
#define RA (TL_TH_RST | TL_TH_ACK)

/* Teardown step masks (tl_result.td_mask). */
#define TD1 0x01
#define TD2 0x02
#define TD3 0x04
#define TD4 0x08
#define TD23 0x06

/* Result flags and anomalies, short. TL_F_STATE_CHANGE and the header echo
 * bits TL_F_SYN/FIN/RST are never written in a row: the runner derives them
 * from the states and from the row's TCP flags. */
#define F_GU TL_F_GUESSED
#define F_MID TL_F_MIDSTREAM
#define F_SO TL_F_SIMULTANEOUS_OPEN
#define F_SC TL_F_SIMULTANEOUS_CLOSE
#define F_KA TL_F_KEEPALIVE
#define F_ZWP TL_F_ZERO_WINDOW_PROBE
#define F_REF TL_F_REFUSED
#define F_INF TL_F_INFERRED_FIN
#define A_DAF TL_A_DATA_AFTER_FIN
#define A_AC TL_A_AFTER_CLOSE
/* SPEC §6: expert info "each once at the frame where it becomes known". */
#define A_SOS TL_A_SIM_OPEN_SEEN
#define A_SCS TL_A_SIM_CLOSE_SEEN

/* UTF-8 "→" for labels. */
#define ARROW "\xe2\x86\x92"

/* Initial sequence numbers near 2^32: every fixture wraps somewhere. */
#define C0 0xFFFFFF00u /* client ISN */
#define S0 0xFFFFFFF0u /* server ISN: its first data byte wraps after 14 bytes */

typedef struct tl_row {
    /* in */
    uint32_t frame;
    uint8_t dir; /* relative to the first captured segment's sender */
    uint8_t tcp; /* TL_TH_* */
    uint32_t seq, ack, len;
    uint8_t zero_win; /* advertise window 0 (otherwise 65535) */
    /* expected out */
    uint8_t sender, phase, hs, td, cst, sst;
    uint32_t rtx;
    uint16_t fl, an;
} tl_row;

#define ROW(fr, d, tcp, sq, ak, ln, snd, ph, hs, td, cs, ss, rtx, fl, an)                          \
    {(fr), (d), (tcp), (sq), (ak), (ln), 0, (snd), (ph), (hs), (td), (cs), (ss), (rtx), (fl), (an)}
/* The same row with a zero window advertised by its sender. */
#define ROWZ(fr, d, tcp, sq, ak, ln, snd, ph, hs, td, cs, ss, rtx, fl, an)                         \
    {(fr), (d), (tcp), (sq), (ak), (ln), 1, (snd), (ph), (hs), (td), (cs), (ss), (rtx), (fl), (an)}

/* The normal handshake, client 52749 (dir 0) to server 80 (dir 1).
 * SPEC §3 Handshake: "step 1: client SYN-SENT, server SYN-RECEIVED; step 2:
 * client ESTABLISHED; step 3: server ESTABLISHED". */
#define HANDSHAKE_ROWS                                                                             \
    ROW(1, 0, SYN, C0, 0, 0, CLI, P_HS, 1, 0, SS, SR, 0, 0, 0),                                    \
        ROW(2, 1, SA, S0, C0 + 1, 0, SRV, P_HS, 2, 0, ES, SR, 0, 0, 0),                            \
        ROW(3, 0, A, C0 + 1, S0 + 1, 0, CLI, P_EST, 3, 0, ES, ES, 0, 0, 0)

enum { SVC_NONE = 0, SVC_DIR0 = 1, SVC_DIR1 = 2 };

typedef struct scenario {
    const char *name;
    uint16_t port[2]; /* port of the dir 0 endpoint, of the dir 1 endpoint */
    uint8_t svc;      /* SVC_*: which endpoint's port Wireshark maps to HTTP */
    bool check_init;  /* check the first row's state_before against init_c/init_s */
    uint8_t init_c, init_s;
    const tl_row *rows;
    size_t n;
} scenario;

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

/* Feed sc's rows to c (initialised here) and check every result. When out is
 * not NULL it receives the n results, for label and helper checks. */
void run_scenario(const scenario *sc, tl_conn *c, tl_result *out);

#endif
