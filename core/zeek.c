/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zeek conn.log conn_state and history (SPEC §4), computed one segment at a
 * time with Zeek's own rules, so that a connection gets the same two
 * strings here as in Zeek's conn.log. Pure C11: no allocation, no I/O.
 *
 * The rules come from reading Zeek (github.com/zeek/zeek):
 *   src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc  Process(): the
 *       per-packet order of work, the endpoint state machine, IsReuse();
 *   src/packet_analysis/protocol/tcp/TCP.cc  WantConnection(): the flip of
 *       a connection that starts without a SYN, by likely server ports;
 *   src/analyzer/protocol/tcp/TCP_Endpoint.cc and src/Conn.cc  history
 *       letters, CheckHistory() once-only letters, ScaledHistoryEntry();
 *   src/analyzer/protocol/tcp/TCP_Reassembler.cc  content gaps (G/g);
 *   scripts/base/protocols/conn/main.zeek  conn_state().
 * Zeek PR #2191 (a connection whose history is only a SYN-ACK flips when
 * an ACK or data segment follows) is followed from its description.
 *
 * Deliberately not modelled (see tests/zeek-corpus/DISAGREEMENTS.md):
 *   - Zeek's timers (attempt, close, reset, partial-close, inactivity),
 *     which end a connection record early and start a new one for later
 *     packets: here one Wireshark TCP stream is one record, except that a
 *     new SYN on a closed or reset connection starts over (Zeek IsReuse);
 *   - checksum validation (C/c): Wireshark hands us every segment;
 *   - the X letter (an application analyzer hit a limit);
 *   - bare-mode (zeek -b) port lists: the likely server ports below are
 *     those of a default Zeek with all base protocol scripts loaded.
 */
#include <string.h>

#include "tcplife/zeek.h"

/* Zeek TOO_LARGE_SEQ_DELTA: jumps beyond this are not trusted for SYN/RST. */
#define TOO_LARGE_SEQ_DELTA 1048576

/* Once-only history bits (Zeek TCP_Endpoint HIST_*); the responder's are
 * the same shifted left by 16. */
enum {
    HIST_SYN = 1u << 0,
    HIST_FIN = 1u << 1,
    HIST_RST = 1u << 2,
    HIST_FIN_RST = 1u << 3,
    HIST_DATA = 1u << 4,
    HIST_ACK = 1u << 5,
    HIST_MULTI_FLAG = 1u << 6
};

/* likely_server_ports of a default Zeek (base/protocols/<p>/main.zeek,
 * "redef likely_server_ports += { ports }"), TCP ports only, sorted. */
static const uint16_t likely_server_ports[] = {
    21,   /* FTP */
    22,   /* SSH */
    25,   /* SMTP */
    53,   /* DNS */
    79,   /* Finger */
    80,   /* HTTP */
    81,   /* HTTP */
    88,   /* Kerberos */
    110,  /* POP3 */
    135,  /* DCE-RPC */
    139,  /* SMB */
    143,  /* IMAP */
    389,  /* LDAP */
    443,  /* SSL */
    445,  /* SMB */
    502,  /* Modbus */
    563,  /* SSL (NNTPS) */
    585,  /* SSL */
    587,  /* SMTP submission */
    614,  /* SSL */
    631,  /* HTTP (IPP) */
    636,  /* SSL (LDAPS) */
    989,  /* SSL (FTPS data) */
    990,  /* SSL (FTPS) */
    992,  /* SSL (telnets) */
    993,  /* SSL (IMAPS) */
    995,  /* SSL (POP3S) */
    1080, /* HTTP, SOCKS */
    1434, /* MySQL */
    1883, /* MQTT */
    2811, /* FTP (GridFTP) */
    3128, /* HTTP */
    3268, /* LDAP (global catalog) */
    3306, /* MySQL */
    3389, /* RDP */
    5222, /* XMPP */
    5223, /* SSL */
    5269, /* XMPP */
    5432, /* PostgreSQL */
    6379, /* Redis */
    6666, /* IRC */
    6667, /* IRC */
    6668, /* IRC */
    6669, /* IRC */
    8000, /* HTTP */
    8080, /* HTTP */
    8888, /* HTTP */
    20000 /* DNP3 */
};

static bool likely_server_port(uint16_t port)
{
    size_t lo = 0, hi = sizeof likely_server_ports / sizeof likely_server_ports[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (likely_server_ports[mid] == port)
            return true;
        if (likely_server_ports[mid] < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Wrap-safe comparisons of relative sequence numbers. */
static bool rel_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}
static bool rel_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* ---- history ------------------------------------------------------------ */

static void add_history(tl_zeek *z, char code)
{
    if (z->history_len < TL_ZEEK_HISTORY_MAX) {
        z->history[z->history_len++] = code;
        z->history[z->history_len] = '\0';
        z->history_gen++;
    }
}

/* The letter as the endpoint on dir d writes it: upper case for the
 * originator, lower case for the responder. */
static char role_letter(const tl_zeek *z, uint8_t d, char upper)
{
    return d == z->orig ? upper : (char)(upper - 'A' + 'a');
}

/* Zeek Connection::CheckHistory(): record the letter the first time only.
 * Returns true when it had been seen before (and so was not recorded). */
static bool check_history(tl_zeek *z, uint8_t d, uint32_t bit, char upper)
{
    uint32_t mask = d == z->orig ? bit : bit << 16;
    if (z->hist_seen & mask)
        return true;
    z->hist_seen |= mask;
    add_history(z, role_letter(z, d, upper));
    return false;
}

/* Zeek Connection::ScaledHistoryEntry(): the letter again at the 1st,
 * 10th, 100th... occurrence. */
static void scaled_history(tl_zeek *z, uint8_t d, char upper, uint32_t *count, uint32_t *thresh)
{
    if (++*count != *thresh)
        return;
    add_history(z, role_letter(z, d, upper));
    uint32_t next = *thresh * 10u;
    if (next <= *thresh) /* wrapped: Zeek restarts the count, keeps the threshold */
        *count = 0;
    else
        *thresh = next;
}

/* Connection::FlipRoles(): the other endpoint becomes the originator and
 * the history says so with '^'. The once-only bits follow the endpoints. */
static void flip_roles(tl_zeek *z)
{
    z->orig = (uint8_t)!z->orig;
    z->hist_seen = (z->hist_seen << 16) | (z->hist_seen >> 16);
    z->is_partial = 0;
    add_history(z, '^');
}

/* ---- endpoint bookkeeping ---------------------------------------------- */

static void set_state(tl_zeek_endpoint *e, uint8_t state)
{
    if (state != e->state) {
        e->prev_state = e->state;
        e->state = state;
    }
}

static void init_seqs(tl_zeek_endpoint *e, uint32_t start, uint32_t last)
{
    e->start_seq = start;
    e->ack_seq = start;
    e->last_seq = last;
}

/* Zeek init_endpoint(): (re)initialise the sequence space from this
 * segment where the endpoint's state says it is not yet trustworthy. */
static void init_endpoint(tl_zeek_endpoint *e, uint8_t flags, uint32_t seq, uint32_t last)
{
    bool syn = flags & TL_TH_SYN;
    switch ((tl_zeek_state)e->state) {
    case TL_ZEEK_INACTIVE:
        /* Without a SYN, pretend one came just before the first byte, so
         * relative numbering starts at 1 and this segment is no repeat. */
        if (syn)
            init_seqs(e, seq, last);
        else
            init_seqs(e, seq - 1u, seq);
        break;
    case TL_ZEEK_SYN_SENT:
    case TL_ZEEK_SYN_ACK_SENT:
        /* A SYN with another ISN: the new one wins (Zeek "SYN_seq_jump"). */
        if (syn && seq != e->start_seq)
            init_seqs(e, seq, last);
        break;
    case TL_ZEEK_ESTABLISHED:
    case TL_ZEEK_PARTIAL:
        /* A SYN inside a connection: guess it is the one that sets it up. */
        if (syn)
            init_seqs(e, seq, last);
        break;
    case TL_ZEEK_RESET:
        /* Numbers that came from an RST sent before anything else may be
         * spoofed: a SYN from the same side re-initialises them. */
        if (syn && e->prev_state == TL_ZEEK_INACTIVE)
            init_seqs(e, seq, last);
        break;
    case TL_ZEEK_CLOSED:
    case TL_ZEEK_STATE_COUNT:
        break;
    }
}

/* Zeek update_last_seq(): returns how far this segment moved the highest
 * sequence number; payload that moves it not at all is a retransmission. */
static int32_t update_last_seq(tl_zeek *z, uint8_t d, uint32_t last, uint8_t flags, uint32_t len)
{
    tl_zeek_endpoint *e = &z->ep[d];
    int32_t delta = (int32_t)(last - e->last_seq);
    if ((flags & (TL_TH_SYN | TL_TH_RST)) &&
        (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
        ; /* an outlandish SYN or RST: do not trust its number */
    else if ((flags & TL_TH_FIN) && e->last_seq == e->start_seq + 1u)
        e->last_seq = last; /* only the SYN seen so far: trust the FIN (> 2 GB) */
    else if (e->state == TL_ZEEK_RESET)
        ; /* nothing after a RST is trusted */
    else if (delta > 0)
        e->last_seq = last;
    else if (len > 0)
        scaled_history(z, d, 'T', &e->rxmt_cnt, &e->rxmt_thresh);
    return delta;
}

/* ---- content gaps (Zeek TCP_Reassembler, one per direction) ------------- */

static bool is_clean(const tl_zeek_endpoint *e)
{
    return e->state == TL_ZEEK_ESTABLISHED ||
           (e->state == TL_ZEEK_CLOSED && e->prev_state == TL_ZEEK_ESTABLISHED);
}

/* TCP_Reassembler::Gap(): a hole the peer acked. Only counted when both
 * sides are established or cleanly closing: elsewhere (partial
 * connections, RSTs) such holes are usually artefacts. */
static void gap(tl_zeek *z, uint8_t d)
{
    tl_zeek_endpoint *e = &z->ep[d];
    if (is_clean(e) && is_clean(&z->ep[!d]))
        scaled_history(z, d, 'G', &e->gap_cnt, &e->gap_thresh);
}

static void remove_block(tl_zeek_endpoint *e, unsigned i)
{
    memmove(&e->blocks[i], &e->blocks[i + 1], (e->nblocks - i - 1u) * sizeof e->blocks[0]);
    e->nblocks--;
}

/* Deliver every held block the in-order point has reached. */
static void absorb_blocks(tl_zeek_endpoint *e)
{
    while (e->nblocks > 0 && rel_le(e->blocks[0].lo, e->reassem_seq)) {
        if (rel_lt(e->reassem_seq, e->blocks[0].hi))
            e->reassem_seq = e->blocks[0].hi;
        remove_block(e, 0);
    }
}

/* Hold [lo, hi) above the first hole, sorted and merged. When the table
 * is full the new range joins its neighbour (a coarser hole map). */
static void hold_block(tl_zeek_endpoint *e, uint32_t lo, uint32_t hi)
{
    unsigned i = 0;
    while (i < e->nblocks && rel_lt(e->blocks[i].hi, lo))
        i++;
    if (i < e->nblocks && rel_le(e->blocks[i].lo, hi)) {
        /* overlaps or touches block i: merge, then swallow followers */
        if (rel_lt(lo, e->blocks[i].lo))
            e->blocks[i].lo = lo;
        if (rel_lt(e->blocks[i].hi, hi))
            e->blocks[i].hi = hi;
        while (i + 1u < e->nblocks && rel_le(e->blocks[i + 1u].lo, e->blocks[i].hi)) {
            if (rel_lt(e->blocks[i].hi, e->blocks[i + 1u].hi))
                e->blocks[i].hi = e->blocks[i + 1u].hi;
            remove_block(e, i + 1u);
        }
        return;
    }
    if (e->nblocks == TL_ZEEK_BLOCKS) {
        unsigned j = i < e->nblocks ? i : e->nblocks - 1u;
        if (rel_lt(lo, e->blocks[j].lo))
            e->blocks[j].lo = lo;
        if (rel_lt(e->blocks[j].hi, hi))
            e->blocks[j].hi = hi;
        return;
    }
    memmove(&e->blocks[i + 1u], &e->blocks[i], (e->nblocks - i) * sizeof e->blocks[0]);
    e->blocks[i].lo = lo;
    e->blocks[i].hi = hi;
    e->nblocks++;
}

/* TCP_Reassembler::DataSent() + NewBlock() + BlockInserted(). */
static void data_sent(tl_zeek_endpoint *e, uint32_t seq, uint32_t len)
{
    uint32_t upper = seq + len;
    uint32_t acked = e->ack_seq - e->start_seq;
    if (rel_lt(seq, acked)) {
        if (rel_le(upper, acked))
            return; /* delivered and acked already */
        seq = acked;
    }
    if (rel_le(upper, e->trim_seq))
        return;
    if (rel_lt(seq, e->trim_seq))
        seq = e->trim_seq;
    if (rel_le(seq, e->reassem_seq)) {
        if (rel_lt(e->reassem_seq, upper))
            e->reassem_seq = upper;
        absorb_blocks(e);
    } else {
        hold_block(e, seq, upper);
    }
}

/* TCP_Reassembler::AckReceived() for the data of the endpoint on dir d:
 * an ack beyond what was delivered reports the holes below it. */
static void ack_received(tl_zeek *z, uint8_t d, uint32_t seq)
{
    tl_zeek_endpoint *e = &z->ep[d];
    if (e->fin_cnt > 0 && !rel_lt(seq, e->fin_seq))
        seq = e->fin_seq - 1u; /* the FIN octet is no data */
    if (rel_le(seq, e->trim_seq))
        return;
    if (rel_lt(e->reassem_seq, seq)) {
        /* Undelivered(): a partial connection's faked first octets (or a
         * keep-alive's) are no loss. */
        if (!(seq <= 2u && z->is_partial)) {
            while (e->nblocks > 0 && rel_lt(e->blocks[0].lo, seq)) {
                if (rel_lt(e->reassem_seq, e->blocks[0].lo)) {
                    gap(z, d);
                    e->reassem_seq = e->blocks[0].lo;
                }
                absorb_blocks(e);
            }
            if (rel_lt(e->reassem_seq, seq))
                gap(z, d);
            e->reassem_seq = seq;
        }
    }
    while (e->nblocks > 0 && rel_le(e->blocks[0].hi, seq))
        remove_block(e, 0);
    e->trim_seq = seq;
}

/* ---- the state machine (TCPSessionAdapter::UpdateStateMachine) ---------- */

static void update_inactive(tl_zeek *z, uint8_t d, uint8_t flags, uint32_t seq, uint32_t len,
                            bool *do_close)
{
    tl_zeek_endpoint *e = &z->ep[d], *peer = &z->ep[!d];
    bool is_orig = d == z->orig;
    bool ack = flags & TL_TH_ACK;

    if (flags & TL_TH_SYN) {
        if (is_orig) {
            /* The originator opens (a SYN+ACK from it is odd but counts). */
            set_state(e, ack ? TL_ZEEK_SYN_ACK_SENT : TL_ZEEK_SYN_SENT);
        } else {
            if (!ack && peer->state == TL_ZEEK_SYN_ACK_SENT && seq == e->start_seq) {
                /* SYN after its own SYN-ACK (capture reordering): the
                 * roles were wrong; flip and call it established. */
                z->is_partial = 0;
                flip_roles(z);
                set_state(peer, TL_ZEEK_ESTABLISHED);
                z->first_seen |= (uint8_t)(1u << d);
            }
            /* A reply (or a simultaneous open) establishes both sides. */
            if (peer->state == TL_ZEEK_SYN_SENT)
                set_state(peer, TL_ZEEK_ESTABLISHED);
            set_state(e, TL_ZEEK_ESTABLISHED);
        }
    }
    if (flags & TL_TH_FIN) {
        set_state(e, TL_ZEEK_CLOSED);
        *do_close = true;
    }
    if (flags & TL_TH_RST) {
        set_state(e, TL_ZEEK_RESET);
        *do_close = true;
    }
    if (e->state == TL_ZEEK_INACTIVE) {
        if (!is_orig && len == 0 && z->ep[z->orig].state == TL_ZEEK_SYN_SENT) {
            /* A bare ack of the SYN before any SYN-ACK ("eccentric TCPs"):
             * not a partial connection yet. */
        } else if (ack && peer->state == TL_ZEEK_ESTABLISHED) {
            /* The peer's SYN-ACK was seen, the SYN was missed: an ack now
             * establishes rather than makes a partial connection. */
            set_state(e, TL_ZEEK_ESTABLISHED);
            z->is_partial = 0;
            z->first_seen |= (uint8_t)(1u << d);
        } else {
            set_state(e, TL_ZEEK_PARTIAL);
        }
    }
}

static void update_syn_sent(tl_zeek_endpoint *e, uint8_t flags, bool *do_close)
{
    if (flags & TL_TH_FIN) {
        set_state(e, TL_ZEEK_CLOSED);
        *do_close = true;
    }
    if (flags & TL_TH_RST) {
        set_state(e, TL_ZEEK_RESET);
        *do_close = true;
    }
}

static void update_established(tl_zeek_endpoint *e, tl_zeek_endpoint *peer, uint8_t flags,
                               bool *do_close)
{
    if ((flags & TL_TH_SYN) && !(flags & TL_TH_ACK) && e->state == TL_ZEEK_PARTIAL &&
        peer->state == TL_ZEEK_INACTIVE)
        set_state(e, TL_ZEEK_SYN_SENT); /* a SYN after partial traffic */
    if ((flags & TL_TH_FIN) && !(flags & TL_TH_RST)) {
        set_state(e, TL_ZEEK_CLOSED);
        /* The peer sent FIN then RST: that was a normal close after all. */
        if (peer->state == TL_ZEEK_RESET && peer->prev_state == TL_ZEEK_CLOSED)
            set_state(peer, TL_ZEEK_CLOSED);
        *do_close = true;
    }
    if (flags & TL_TH_RST) {
        set_state(e, TL_ZEEK_RESET);
        *do_close = true;
    }
}

static void update_closed(tl_zeek_endpoint *e, const tl_zeek_endpoint *peer, uint8_t flags,
                          bool *do_close)
{
    /* A RST after our FIN counts, unless both sides had closed already. */
    if ((flags & TL_TH_RST) && peer->state != TL_ZEEK_CLOSED) {
        set_state(e, TL_ZEEK_RESET);
        if (!e->did_close)
            *do_close = true;
    }
}

static void update_state_machine(tl_zeek *z, uint8_t d, uint8_t flags, uint32_t seq,
                                 uint32_t len)
{
    tl_zeek_endpoint *e = &z->ep[d], *peer = &z->ep[!d];
    bool do_close = false;
    switch ((tl_zeek_state)e->state) {
    case TL_ZEEK_INACTIVE:
        update_inactive(z, d, flags, seq, len, &do_close);
        break;
    case TL_ZEEK_SYN_SENT:
    case TL_ZEEK_SYN_ACK_SENT:
        update_syn_sent(e, flags, &do_close);
        break;
    case TL_ZEEK_ESTABLISHED:
    case TL_ZEEK_PARTIAL:
        update_established(e, peer, flags, &do_close);
        break;
    case TL_ZEEK_CLOSED:
        update_closed(e, peer, flags, &do_close);
        break;
    case TL_ZEEK_RESET:
    case TL_ZEEK_STATE_COUNT:
        break; /* nothing after a RST changes a reset endpoint */
    }
    if (do_close)
        e->did_close = 1; /* Zeek ConnectionClosed() */
}

/* ---- connection start, reuse and flips ----------------------------------- */

static void init_connection(tl_zeek *z)
{
    uint8_t gen = z->history_gen; /* a reuse empties the history: that is a change too */
    memset(z, 0, sizeof *z);
    z->history_gen = (uint8_t)(gen + 1);
    for (unsigned i = 0; i < 2; i++) {
        tl_zeek_endpoint *e = &z->ep[i];
        e->rxmt_thresh = e->win0_thresh = e->gap_thresh = 1;
        e->trim_seq = e->reassem_seq = 1; /* reassembly starts after the SYN */
    }
}

/* TCPAnalyzer::WantConnection(): a connection whose first packet is no
 * bare SYN is turned round when its source port is a likely server port
 * (and the destination is not; if both are, only a non-SYN from the lower
 * port flips: a SYN-ACK may be a stealth scan's answer). */
static void start_connection(tl_zeek *z, const tl_segment *s)
{
    z->started = 1;
    z->orig = s->dir;
    uint8_t f = s->flags;
    if (!(f & TL_TH_SYN) || (f & TL_TH_ACK)) {
        bool flip = false;
        if (likely_server_port(s->sport)) {
            if (likely_server_port(s->dport))
                flip = !(f & TL_TH_SYN) && s->sport < s->dport;
            else
                flip = true;
        }
        if (flip)
            flip_roles(z);
    }
}

/* TCPSessionAdapter::IsReuse(): a SYN that starts a new connection on the
 * same 4-tuple (then Zeek logs the old record and opens a new one). */
static bool is_reuse(const tl_zeek *z, const tl_segment *s)
{
    if (!(s->flags & TL_TH_SYN))
        return false;
    const tl_zeek_endpoint *orig = &z->ep[z->orig], *resp = &z->ep[!z->orig];
    const tl_zeek_endpoint *conn_orig = orig;
    if (s->flags & TL_TH_ACK) {
        /* A SYN-ACK can only restart a half connection. */
        if (orig->state != TL_ZEEK_INACTIVE)
            return false;
        conn_orig = resp;
    }
    if (!orig->did_close && !resp->did_close) {
        if (s->seq == conn_orig->start_seq)
            return false; /* a retransmission */
        if (!(s->flags & TL_TH_ACK) && conn_orig->state == TL_ZEEK_SYN_ACK_SENT &&
            resp->state == TL_ZEEK_INACTIVE && s->seq == resp->start_seq)
            return false; /* the SYN of a reordered SYN/SYN-ACK pair */
    }
    return true;
}

/* Zeek PR #2191: a connection that is only a SYN-ACK so far ("H": not
 * flipped by port) is turned round by the next ack or data segment, from
 * either side; scanners answer SYN-ACKs with RSTs or nothing. The SYN-ACK
 * is then the responder's: "^h". */
static void flip_after_synack(tl_zeek *z, const tl_segment *s)
{
    if ((s->flags & (TL_TH_SYN | TL_TH_FIN | TL_TH_RST)) ||
        !((s->flags & TL_TH_ACK) || s->len > 0))
        return;
    if (z->history_len != 1 || z->history[0] != 'H')
        return;
    z->history_len = 0;
    z->history_gen++;
    flip_roles(z);
    add_history(z, 'h');
}

/* ---- one segment (TCPSessionAdapter::Process) ----------------------------- */

void tl_zeek_init(tl_zeek *z)
{
    z->history_gen = 0;
    init_connection(z);
}

void tl_zeek_segment(tl_zeek *z, const tl_segment *s)
{
    if (!z->started) {
        start_connection(z, s);
    } else if (is_reuse(z, s)) {
        init_connection(z);
        start_connection(z, s);
    } else {
        flip_after_synack(z, s);
    }

    uint8_t d = s->dir & 1u, f = s->flags;
    tl_zeek_endpoint *e = &z->ep[d], *peer = &z->ep[!d];
    bool syn = f & TL_TH_SYN, fin = f & TL_TH_FIN, rst = f & TL_TH_RST, ack = f & TL_TH_ACK;

    /* SetPartialStatus(): the connection is partial when its first packet
     * from the originator was no bare SYN, or from the responder no SYN. */
    if (!(z->first_seen & (1u << d))) {
        if (d == z->orig)
            z->is_partial = !syn || ack;
        else if (!z->is_partial)
            z->is_partial = !syn;
    }

    /* Sequence space this segment occupies: SYN and FIN one octet each;
     * the payload of a RST is not part of the stream. */
    uint32_t seg_len = s->len + (syn ? 1u : 0u) + (fin ? 1u : 0u);
    if (rst)
        seg_len -= s->len;
    init_endpoint(e, f, s->seq, s->seq + seg_len);
    uint32_t rel_seq = s->seq - e->start_seq;
    bool seq_underflow = (int32_t)rel_seq < 0;

    /* update_history(): one letter for the segment's kind. */
    unsigned control = (syn ? 1u : 0u) + (fin ? 1u : 0u) + (rst ? 1u : 0u);
    if (control > 1) {
        if (fin && rst)
            check_history(z, d, HIST_FIN_RST, 'I');
        else
            check_history(z, d, HIST_MULTI_FLAG, 'Q');
    } else if (control == 1) {
        if (syn) {
            char code = ack ? 'H' : 'S';
            if (check_history(z, d, HIST_SYN, code) && rel_seq != e->hist_last_syn)
                add_history(z, role_letter(z, d, code));
            e->hist_last_syn = rel_seq;
        }
        if (fin) {
            /* a FIN's number is the one after its payload */
            if (check_history(z, d, HIST_FIN, 'F') && rel_seq + s->len != e->hist_last_fin)
                add_history(z, role_letter(z, d, 'F'));
            e->hist_last_fin = rel_seq + s->len;
        }
        if (rst) {
            if (check_history(z, d, HIST_RST, 'R') && rel_seq != e->hist_last_rst)
                add_history(z, role_letter(z, d, 'R'));
            e->hist_last_rst = rel_seq;
        }
    } else if (s->len > 0) {
        check_history(z, d, HIST_DATA, 'D');
    } else if (ack) {
        check_history(z, d, HIST_ACK, 'A');
    }

    /* update_window(): a zero window is news unless it comes with or after
     * our RST, or after the peer's FIN. */
    if (s->win == 0 && !rst && peer->state != TL_ZEEK_CLOSED && e->state != TL_ZEEK_RESET)
        scaled_history(z, d, 'W', &e->win0_cnt, &e->win0_thresh);

    if (fin) {
        e->fin_cnt++;
        e->fin_seq = rel_seq + seg_len;
    }
    if (rst)
        e->rst_cnt++;

    uint32_t rel_ack = 0;
    if (ack) {
        if (peer->state == TL_ZEEK_INACTIVE) {
            /* First word of the peer: number its stream as if its SYN
             * came just before what we ack (init_peer). */
            rel_ack = 1;
            peer->start_seq = peer->ack_seq = peer->last_seq = s->ack - 1u;
        } else {
            rel_ack = s->ack - peer->start_seq;
            if ((int32_t)rel_ack < 0) {
                rel_ack = 0;
            } else if (!rst) { /* acks in RSTs are not trusted */
                int32_t delta = (int32_t)(s->ack - peer->ack_seq);
                if (!(s->ack == 0 && delta > TOO_LARGE_SEQ_DELTA) && delta > 0)
                    peer->ack_seq = s->ack;
            }
        }
    }

    (void)update_last_seq(z, d, s->seq + seg_len, f, s->len);
    update_state_machine(z, d, f, s->seq, s->len);

    /* After the state machine, so a gap revealed by a closing segment is
     * judged with the states that segment produced. */
    if (ack)
        ack_received(z, (uint8_t)!d, rel_ack);
    if (s->len > 0 && !rst && !seq_underflow)
        data_sent(e, syn ? rel_seq + 1u : rel_seq, s->len);

    z->first_seen |= (uint8_t)(1u << d);
}

/* ---- conn_state (scripts/base/protocols/conn/main.zeek) -------------------- */

/* TCP_Endpoint::Size(): payload octets by sequence numbers. */
static uint32_t endpoint_size(const tl_zeek_endpoint *e, const tl_zeek_endpoint *peer)
{
    bool no_data_acked = e->ack_seq == e->start_seq || e->ack_seq == e->start_seq + 1u;
    if (e->prev_state == TL_ZEEK_SYN_SENT && e->state == TL_ZEEK_RESET &&
        peer->state == TL_ZEEK_INACTIVE && !no_data_acked)
        return 0; /* a half-open connection discovered and aborted */
    uint32_t top = (int32_t)(e->last_seq - e->ack_seq) > 0 ? e->last_seq : e->ack_seq;
    uint32_t size = top - e->start_seq;
    if (size != 0)
        size--; /* the SYN */
    if (e->fin_cnt > 0 && size != 0)
        size--; /* the FIN */
    return size;
}

/* conn_state()'s RSTOS0 test: history =~ /^\^?S[^HAFGIQ]*R.*$/, i.e. the
 * originator's SYN and then its RST with no originator handshake, ack,
 * FIN, gap or odd flags between. */
static bool syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h++ != 'S')
        return false;
    for (; *h; h++) {
        if (*h == 'R')
            return true;
        if (strchr("HAFGIQ", *h))
            return false;
    }
    return false;
}

const char *tl_zeek_conn_state(const tl_zeek *z)
{
    const tl_zeek_endpoint *o = &z->ep[z->orig], *r = &z->ep[!z->orig];
    uint8_t os = o->state, rs = r->state;
    bool o_inactive = os == TL_ZEEK_INACTIVE || os == TL_ZEEK_PARTIAL;
    bool r_inactive = rs == TL_ZEEK_INACTIVE || rs == TL_ZEEK_PARTIAL;

    if (rs == TL_ZEEK_RESET) {
        if (os == TL_ZEEK_SYN_SENT || os == TL_ZEEK_SYN_ACK_SENT ||
            (os == TL_ZEEK_RESET && endpoint_size(o, r) == 0 && endpoint_size(r, o) == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == TL_ZEEK_RESET) {
        if (r_inactive)
            return syn_then_rst(z->history) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (rs == TL_ZEEK_CLOSED && os == TL_ZEEK_CLOSED)
        return "SF";
    if (os == TL_ZEEK_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == TL_ZEEK_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == TL_ZEEK_SYN_SENT && rs == TL_ZEEK_INACTIVE)
        return "S0";
    if (os == TL_ZEEK_ESTABLISHED && rs == TL_ZEEK_ESTABLISHED)
        return "S1";
    return "OTH";
}

const char *tl_zeek_history(const tl_zeek *z)
{
    return z->history;
}
