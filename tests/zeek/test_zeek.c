/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the Zeek conn_state / history model (core/zeek.c): short
 * hand-made segment sequences, one per conn_state and per history rule,
 * each checked against what Zeek's rules give (the comment above each test
 * says why). Sequence numbers sit near 2^32 so wrap-around is exercised
 * everywhere. Plain C11, no framework, no Wireshark.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tcplife/zeek.h"

static unsigned long checks, failures;
static const char *test_name = "?";

static void check_str(const char *what, const char *want, const char *got, int line)
{
    checks++;
    if (strcmp(want, got) != 0) {
        failures++;
        printf("FAIL %s (line %d): %s: want \"%s\", got \"%s\"\n", test_name, line, what, want,
               got);
    }
}

static void check_int(const char *what, long want, long got, int line)
{
    checks++;
    if (want != got) {
        failures++;
        printf("FAIL %s (line %d): %s: want %ld, got %ld\n", test_name, line, what, want, got);
    }
}

/* ---- a tiny connection driver -------------------------------------------- */

/* Endpoint A (dir 0) sends first. Ports: A's and B's. Sequence numbers are
 * tracked per side so a test only says what each segment carries. */
typedef struct conn {
    tl_zeek z;
    uint16_t port[2];
    uint32_t nxt[2]; /* next sequence number of each side */
    uint32_t frame;
} conn;

#define ISN_A 0xFFFFFFF0u /* wraps after 16 octets */
#define ISN_B 0x7FFFFFFAu

static void start(conn *c, uint16_t port_a, uint16_t port_b)
{
    memset(c, 0, sizeof *c);
    tl_zeek_init(&c->z);
    c->port[0] = port_a;
    c->port[1] = port_b;
    c->nxt[0] = ISN_A;
    c->nxt[1] = ISN_B;
}

/* A segment from side d with flags f and len payload octets, at the side's
 * next sequence number, acking all the other side sent. */
static void seg_full(conn *c, unsigned d, uint8_t f, uint32_t seq, uint32_t ack, uint32_t len,
                     uint32_t win)
{
    tl_segment s;
    memset(&s, 0, sizeof s);
    s.frame = ++c->frame;
    s.dir = (uint8_t)d;
    s.flags = f;
    s.sport = c->port[d];
    s.dport = c->port[!d];
    s.seq = seq;
    s.ack = (f & TL_TH_ACK) ? ack : 0;
    s.len = len;
    s.win = win;
    s.time_us = (int64_t)c->frame * 1000;
    tl_zeek_segment(&c->z, &s);
}

static void seg(conn *c, unsigned d, uint8_t f, uint32_t len)
{
    uint32_t seq = c->nxt[d];
    seg_full(c, d, f, seq, c->nxt[!d], len, 65535);
    uint32_t adv = len + ((f & TL_TH_SYN) ? 1u : 0u) + ((f & TL_TH_FIN) ? 1u : 0u);
    if (f & TL_TH_RST)
        adv = 0;
    c->nxt[d] = seq + adv;
}

#define SYN TL_TH_SYN
#define SA (TL_TH_SYN | TL_TH_ACK)
#define ACK TL_TH_ACK
#define PA (TL_TH_PSH | TL_TH_ACK)
#define FA (TL_TH_FIN | TL_TH_ACK)
#define RST TL_TH_RST
#define RA (TL_TH_RST | TL_TH_ACK)

/* Non-server ports on both sides: Zeek's role flip by port never applies. */
#define EPH_A 40000
#define EPH_B 50000

static void handshake(conn *c)
{
    seg(c, 0, SYN, 0);
    seg(c, 1, SA, 0);
    seg(c, 0, ACK, 0);
}

#define EXPECT(c, state, history)                                                                  \
    do {                                                                                           \
        check_str("conn_state", (state), tl_zeek_conn_state(&(c)->z), __LINE__);                 \
        check_str("history", (history), tl_zeek_history(&(c)->z), __LINE__);                     \
    } while (0)

#define TEST(name) static void name(void)
#define RUN(name) (test_name = #name, name())

/* ---- conn_state, one per value ------------------------------------------ */

/* Full open, data both ways, both FINs: both endpoints CLOSED. */
TEST(state_SF)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, PA, 100);
    seg(&c, 1, ACK, 0);
    seg(&c, 1, PA, 300);
    seg(&c, 0, ACK, 0);
    seg(&c, 0, FA, 0);
    seg(&c, 1, FA, 0);
    seg(&c, 0, ACK, 0);
    EXPECT(&c, "SF", "ShADadFf");
}

/* A lone SYN: originator SYN_SENT, responder INACTIVE. */
TEST(state_S0)
{
    conn c;
    start(&c, EPH_A, 80);
    seg(&c, 0, SYN, 0);
    seg(&c, 0, SYN, 0); /* retransmitted SYN (same ISN): no second 'S' */
    EXPECT(&c, "S0", "S");
}

/* SYN answered by RST+ACK: the responder resets an originator in SYN_SENT. */
TEST(state_REJ)
{
    conn c;
    start(&c, EPH_A, 80);
    seg(&c, 0, SYN, 0);
    seg(&c, 1, RA, 0);
    EXPECT(&c, "REJ", "Sr");
}

/* Established, then the originator aborts. */
TEST(state_RSTO)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, PA, 10);
    seg(&c, 0, RA, 0);
    EXPECT(&c, "RSTO", "ShADR");
}

/* Established, then the responder aborts. */
TEST(state_RSTR)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, PA, 10);
    seg(&c, 1, RST, 0);
    EXPECT(&c, "RSTR", "ShADr");
}

/* SYN then the originator's own RST, no SYN-ACK: history matches
 * ^?S[^HAFGIQ]*R.* (a responder's bare ack in between is allowed). */
TEST(state_RSTOS0)
{
    conn c;
    start(&c, EPH_A, EPH_B);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 1, ACK, 123, c.nxt[0], 0, 65535); /* acks the SYN, no SYN-ACK */
    seg(&c, 0, RST, 0);
    EXPECT(&c, "RSTOS0", "SaR");

    /* ...but an originator FIN before the RST makes it OTH (Zeek's regex). */
    start(&c, EPH_A, EPH_B);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 1, ACK, 123, c.nxt[0], 0, 65535);
    seg(&c, 0, FA, 0);
    seg(&c, 0, RST, 0);
    EXPECT(&c, "OTH", "SaFR");
}

/* Capture starts at the SYN-ACK from port 80: Zeek flips at once ("^"),
 * the responder then resets; the originator never sent anything. */
TEST(state_RSTRH)
{
    conn c;
    start(&c, 80, EPH_A);
    seg(&c, 0, SA, 0);
    seg(&c, 0, RST, 0);
    EXPECT(&c, "RSTRH", "^hr");
}

/* SYN then the originator's FIN, the responder silent: half open. */
TEST(state_SH)
{
    conn c;
    start(&c, EPH_A, 22);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 0, ACK, c.nxt[0], ISN_B, 0, 65535);
    seg_full(&c, 0, PA, c.nxt[0], ISN_B, 20, 65535);
    seg_full(&c, 0, FA, c.nxt[0] + 20u, ISN_B, 0, 65535);
    EXPECT(&c, "SH", "SADF");
}

/* Only the server side: its SYN-ACK (from port 22, flipped), data, FIN. */
TEST(state_SHR)
{
    conn c;
    start(&c, 22, EPH_A);
    seg(&c, 0, SA, 0);
    seg(&c, 0, PA, 40);
    seg(&c, 0, FA, 0);
    EXPECT(&c, "SHR", "^hdf");
}

/* Midstream data both ways, no SYN, ports not telling: partial, OTH. */
TEST(state_OTH)
{
    conn c;
    start(&c, EPH_A, EPH_B);
    seg(&c, 0, PA, 10);
    seg(&c, 1, PA, 20);
    seg(&c, 0, ACK, 0);
    EXPECT(&c, "OTH", "DdA");

    /* A lone RST: OTH 'R' (no SYN, so not RSTOS0). */
    start(&c, EPH_A, EPH_B);
    seg(&c, 0, RA, 0);
    EXPECT(&c, "OTH", "R");
}

/* Established, not closed. */
TEST(state_S1)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, PA, 5);
    seg(&c, 1, PA, 5);
    EXPECT(&c, "S1", "ShADd");
}

/* Established, the originator's FIN acked, no FIN back. */
TEST(state_S2)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, FA, 0);
    seg(&c, 1, ACK, 0);
    EXPECT(&c, "S2", "ShAFa");
}

/* Established, only the responder closes. */
TEST(state_S3)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 1, FA, 0);
    seg(&c, 0, ACK, 0);
    EXPECT(&c, "S3", "ShAf");
}

/* RST after both FINs does not make it RST*: Zeek keeps both CLOSED. And a
 * FIN after the peer's FIN+RST turns the RST back into a normal close. */
TEST(state_rst_after_close)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, FA, 0);
    seg(&c, 1, FA, 0);
    seg(&c, 1, RST, 0);
    EXPECT(&c, "SF", "ShAFfr");

    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, FA, 0);
    seg(&c, 0, RST, 0);
    EXPECT(&c, "RSTO", "ShAFR");
    seg(&c, 1, FA, 0);
    EXPECT(&c, "SF", "ShAFRf");
}

/* ---- history letters ------------------------------------------------------ */

/* Midstream from a likely server port to an ephemeral one: flipped at
 * creation, so the sender is the responder ('^d'). */
TEST(flip_by_port)
{
    conn c;
    start(&c, 443, EPH_A);
    seg(&c, 0, PA, 10);
    seg(&c, 1, ACK, 0);
    EXPECT(&c, "OTH", "^dA");

    /* Both likely server ports: a non-SYN from the lower port flips... */
    start(&c, 80, 443);
    seg(&c, 0, PA, 10);
    EXPECT(&c, "OTH", "^d");
    /* ...from the higher one it does not. */
    start(&c, 443, 80);
    seg(&c, 0, PA, 10);
    EXPECT(&c, "OTH", "D");
    /* A SYN-ACK between two server ports never flips at creation (stealth
     * scans), but an ack that follows does (Zeek PR #2191): "^h". */
    start(&c, 80, 6669);
    seg(&c, 0, SA, 0);
    EXPECT(&c, "OTH", "H");
    seg(&c, 1, ACK, 0);
    seg(&c, 1, PA, 30);
    seg(&c, 0, PA, 50);
    EXPECT(&c, "OTH", "^hADd");
}

/* A SYN-ACK first and the SYN after it (capture reordering): Zeek flips in
 * the middle of the handshake, "Hs^", and both sides are established. */
TEST(flip_reordered_handshake)
{
    conn c;
    start(&c, EPH_B, EPH_A); /* B = server sends the SYN-ACK first */
    seg_full(&c, 0, SA, ISN_B, ISN_A + 1u, 0, 65535);
    seg_full(&c, 1, SYN, ISN_A, 0, 0, 65535);
    seg_full(&c, 1, ACK, ISN_A + 1u, ISN_B + 1u, 0, 65535);
    seg_full(&c, 1, PA, ISN_A + 1u, ISN_B + 1u, 10, 65535);
    EXPECT(&c, "S1", "Hs^AD");
    check_int("originator is the SYN's sender", 1, c.z.orig, __LINE__);
    check_int("orig state", TL_ZEEK_ESTABLISHED, c.z.ep[1].state, __LINE__);
    check_int("resp state", TL_ZEEK_ESTABLISHED, c.z.ep[0].state, __LINE__);

    /* With the SYN-ACK from a likely server port the flip comes first. */
    start(&c, 80, EPH_A);
    seg_full(&c, 0, SA, ISN_B, ISN_A + 1u, 0, 65535);
    seg_full(&c, 1, SYN, ISN_A, 0, 0, 65535);
    seg_full(&c, 1, ACK, ISN_A + 1u, ISN_B + 1u, 0, 65535);
    EXPECT(&c, "OTH", "^hSA");
}

/* S, H, F and R repeat only at a new sequence number. */
TEST(repeats_by_sequence)
{
    conn c;
    start(&c, EPH_A, 80);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 0, SYN, ISN_A, 0, 0, 65535); /* same ISN: nothing */
    seg(&c, 1, SA, 0);
    seg_full(&c, 1, SA, ISN_B, ISN_A + 1u, 0, 65535); /* same: nothing */
    seg(&c, 0, ACK, 0);
    seg(&c, 0, FA, 0);
    seg_full(&c, 0, FA, ISN_A + 1u, c.nxt[1], 0, 65535); /* FIN again, same seq */
    EXPECT(&c, "S2", "ShAF");
    seg_full(&c, 1, RST, ISN_B + 1u, 0, 0, 0);
    seg_full(&c, 1, RST, ISN_B + 1u, 0, 0, 0);   /* same seq: nothing */
    seg_full(&c, 1, RST, ISN_B + 100u, 0, 0, 0); /* new seq: 'r' again */
    EXPECT(&c, "RSTR", "ShAFrr");
}

/* A, D, I and Q at most once per direction. */
TEST(once_per_direction)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    for (int i = 0; i < 5; i++) {
        seg(&c, 0, PA, 10);
        seg(&c, 1, ACK, 0);
        seg(&c, 1, PA, 10);
        seg(&c, 0, ACK, 0);
    }
    EXPECT(&c, "S1", "ShADad");
    seg(&c, 0, TL_TH_FIN | TL_TH_RST, 0);
    seg(&c, 0, TL_TH_FIN | TL_TH_RST, 0);
    EXPECT(&c, "RSTO", "ShADadI");

    start(&c, EPH_A, EPH_B);
    seg(&c, 0, TL_TH_SYN | TL_TH_FIN, 0);
    seg(&c, 0, TL_TH_SYN | TL_TH_RST, 0);
    check_str("history", "Q", tl_zeek_history(&c.z), __LINE__);
}

/* T, W and G: the letter at the 1st, 10th and 100th occurrence. */
TEST(logarithmic_letters)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, PA, 100);
    uint32_t again = c.nxt[0] - 100u;
    for (int i = 1; i <= 100; i++) {
        seg_full(&c, 0, PA, again, c.nxt[1], 100, 65535);
        if (i == 1)
            check_str("after 1 retransmission", "ShADT", tl_zeek_history(&c.z), __LINE__);
        if (i == 9)
            check_str("after 9", "ShADT", tl_zeek_history(&c.z), __LINE__);
        if (i == 10)
            check_str("after 10", "ShADTT", tl_zeek_history(&c.z), __LINE__);
        if (i == 99)
            check_str("after 99", "ShADTT", tl_zeek_history(&c.z), __LINE__);
    }
    check_str("after 100", "ShADTTT", tl_zeek_history(&c.z), __LINE__);

    /* Zero windows from the responder: 'w', again at the 10th. */
    start(&c, EPH_A, 80);
    handshake(&c);
    for (int i = 0; i < 10; i++)
        seg_full(&c, 1, ACK, c.nxt[1], c.nxt[0], 0, 0);
    EXPECT(&c, "S1", "ShAaww");
    /* ...but not after the peer's FIN. */
    seg(&c, 0, FA, 0);
    seg_full(&c, 1, ACK, c.nxt[1], c.nxt[0], 0, 0);
    EXPECT(&c, "S2", "ShAawwF");
}

/* A content gap: the responder acks originator data never captured, while
 * both sides are established. Data held above the hole is delivered when
 * the ack passes it; one 'G' per hole the ack reveals. */
TEST(gaps)
{
    conn c;
    start(&c, EPH_A, 80);
    handshake(&c);
    uint32_t base = c.nxt[0];
    seg_full(&c, 0, PA, base, c.nxt[1], 10, 65535);        /* [0,10) */
    seg_full(&c, 0, PA, base + 20u, c.nxt[1], 10, 65535);  /* [20,30): hole [10,20) */
    check_str("no gap before the ack", "ShAD", tl_zeek_history(&c.z), __LINE__);
    seg_full(&c, 1, ACK, c.nxt[1], base + 30u, 0, 65535);  /* acks past the hole */
    EXPECT(&c, "S1", "ShADaG");
    /* The hole filled late changes nothing; an ack of captured data neither. */
    seg_full(&c, 0, PA, base + 10u, c.nxt[1], 10, 65535);
    seg_full(&c, 0, PA, base + 30u, c.nxt[1], 10, 65535);
    seg_full(&c, 1, ACK, c.nxt[1], base + 40u, 0, 65535);
    EXPECT(&c, "S1", "ShADaGT");
    /* An ack of the FIN octet is no gap. */
    seg_full(&c, 0, FA, base + 40u, c.nxt[1], 0, 65535);
    seg_full(&c, 1, ACK, c.nxt[1], base + 41u, 0, 65535);
    EXPECT(&c, "S2", "ShADaGTF");

    /* Midstream (partial) connections never get 'G'. */
    start(&c, EPH_A, EPH_B);
    seg_full(&c, 0, PA, 1000, 5000, 10, 65535);
    seg_full(&c, 1, ACK, 5000, 2000, 0, 65535);
    EXPECT(&c, "OTH", "Da");
}

/* A new SYN on a reset connection starts a new Zeek connection record
 * (port reuse): the history starts over. A SYN retransmission does not. */
TEST(reuse)
{
    conn c;
    start(&c, EPH_A, 110);
    seg(&c, 0, SYN, 0);
    seg(&c, 1, RA, 0);
    EXPECT(&c, "REJ", "Sr");
    seg_full(&c, 0, SYN, ISN_A + 5000u, 0, 0, 65535);
    EXPECT(&c, "S0", "S");
    seg_full(&c, 1, RA, 0, ISN_A + 5001u, 0, 0);
    EXPECT(&c, "REJ", "Sr");

    /* After an orderly close, too. */
    start(&c, EPH_A, 80);
    handshake(&c);
    seg(&c, 0, FA, 0);
    seg(&c, 1, FA, 0);
    seg(&c, 0, ACK, 0);
    EXPECT(&c, "SF", "ShAFf");
    seg_full(&c, 0, SYN, 12345, 0, 0, 65535);
    seg_full(&c, 1, SA, 999, 12346, 0, 65535);
    EXPECT(&c, "S1", "Sh");
}

/* Endpoint states Zeek printed at connection removal (corpus oracles
 * tcp-fin-retransmission and tcp-rst-inject-rae), on the same shapes. */
TEST(endpoint_states)
{
    /* SYN, a FIN before any SYN-ACK, the SYN-ACK, the FIN again, the
     * responder's RST: orig CLOSED, resp RESET (RSTR). */
    conn c;
    start(&c, EPH_A, 443);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 0, TL_TH_FIN, ISN_A + 1u, 0, 0, 65535);
    seg_full(&c, 1, SA, ISN_B, ISN_A + 1u, 0, 65535);
    seg_full(&c, 0, FA, ISN_A + 1u, ISN_B + 1u, 0, 65535);
    seg_full(&c, 1, RST, ISN_B + 1u, 0, 0, 0);
    check_int("orig state", TL_ZEEK_CLOSED, c.z.ep[0].state, __LINE__);
    check_int("resp state", TL_ZEEK_RESET, c.z.ep[1].state, __LINE__);
    EXPECT(&c, "RSTR", "SFhr");

    /* SYN, an injected RST from the responder's side before the real
     * SYN-ACK, then the handshake goes on: the RST reset the responder
     * and nothing brings it back; the originator stays SYN_SENT (REJ). */
    start(&c, EPH_A, 6649);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 1, RA, 0, ISN_A + 1u, 0, 0);
    seg_full(&c, 1, SA, ISN_B, ISN_A + 1u, 0, 65535);
    seg_full(&c, 0, ACK, ISN_A + 1u, ISN_B + 1u, 0, 65535);
    seg_full(&c, 0, PA, ISN_A + 1u, ISN_B + 1u, 10, 65535);
    seg_full(&c, 1, ACK, ISN_B + 1u, ISN_A + 11u, 0, 65535);
    check_int("orig state", TL_ZEEK_SYN_SENT, c.z.ep[0].state, __LINE__);
    check_int("resp state", TL_ZEEK_RESET, c.z.ep[1].state, __LINE__);
    EXPECT(&c, "REJ", "SrhADa");
}

/* The responder's bare ack of the SYN before any SYN-ACK keeps it inactive
 * ("eccentric" stacks): still S0, not OTH. */
TEST(ack_before_synack)
{
    conn c;
    start(&c, EPH_A, 80);
    seg(&c, 0, SYN, 0);
    seg_full(&c, 1, ACK, 777, c.nxt[0], 0, 65535);
    EXPECT(&c, "S0", "Sa");
}

int main(void)
{
    RUN(state_SF);
    RUN(state_S0);
    RUN(state_REJ);
    RUN(state_RSTO);
    RUN(state_RSTR);
    RUN(state_RSTOS0);
    RUN(state_RSTRH);
    RUN(state_SH);
    RUN(state_SHR);
    RUN(state_OTH);
    RUN(state_S1);
    RUN(state_S2);
    RUN(state_S3);
    RUN(state_rst_after_close);
    RUN(flip_by_port);
    RUN(flip_reordered_handshake);
    RUN(repeats_by_sequence);
    RUN(once_per_direction);
    RUN(logarithmic_letters);
    RUN(gaps);
    RUN(reuse);
    RUN(endpoint_states);
    RUN(ack_before_synack);
    printf("zeek unit: %lu passed, %lu failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
