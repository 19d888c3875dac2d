/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tcplife subtree, expert info and Info column prefix, rendered from a
 * stored tlp_frame: identical on the first pass, in tshark -2 and on GUI
 * revisits. Items are always added (a NULL or fake tree is fine), so that
 * -T fields and filters see them; text that only a reader sees (the label,
 * the endpoint lines) is formatted only when the tree is visible or the
 * field is asked for.
 */
#include <epan/expert.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/unit_strings.h> /* not included by proto.h from 4.4 */

#include "tcplife-plugin.h"

static int hf_stream = -1, hf_sender = -1, hf_phase = -1, hf_hs_step = -1, hf_td_step = -1;
static int hf_data = -1, hf_client_state = -1, hf_server_state = -1, hf_state_change = -1;
static int hf_retrans = -1, hf_label = -1, hf_guessed = -1, hf_midstream = -1;
static int hf_sim_open = -1, hf_sim_close = -1;
static int hf_conn_client = -1, hf_conn_server = -1, hf_conn_hs[3] = {-1, -1, -1};
static int hf_conn_td[4] = {-1, -1, -1, -1}, hf_conn_reset = -1, hf_conn_closer = -1;
static int hf_conn_complete = -1, hf_conn_duration = -1;
static int hf_conn_zeek_state = -1, hf_conn_zeek_history = -1, hf_conn_http = -1;
static int *const conn_hfs[] = {
    &hf_conn_client, &hf_conn_server, &hf_conn_hs[0], &hf_conn_hs[1], &hf_conn_hs[2],
    &hf_conn_td[0], &hf_conn_td[1], &hf_conn_td[2], &hf_conn_td[3], &hf_conn_reset,
    &hf_conn_closer, &hf_conn_complete, &hf_conn_duration, &hf_conn_zeek_state,
    &hf_conn_zeek_history, &hf_conn_http};
static gint ett_tcplife = -1, ett_conn = -1;
static int proto_tcplife = -1;

static expert_field ei_handshake = EI_INIT, ei_teardown = EI_INIT, ei_refused = EI_INIT;
static expert_field ei_reset_client = EI_INIT, ei_reset_server = EI_INIT;
static expert_field ei_midstream = EI_INIT, ei_data_after_fin = EI_INIT;
static expert_field ei_sim_open = EI_INIT, ei_sim_close = EI_INIT, ei_bogus = EI_INIT;
static expert_field ei_after_close = EI_INIT, ei_inferred_fin = EI_INIT;
static expert_field ei_reopened = EI_INIT, ei_role_conflict = EI_INIT;
static expert_field ei_synack_bad_ack = EI_INIT, ei_fin_changed = EI_INIT;
static expert_field ei_never_established = EI_INIT, ei_still_open = EI_INIT;
static expert_field ei_unreadable = EI_INIT;

#define TLP_VS_ITEM(sym, name) {sym, name},
static const value_string state_vals[] = {TL_STATE_LIST(TLP_VS_ITEM){0, NULL}};
static const value_string phase_vals[] = {TL_PHASE_LIST(TLP_VS_ITEM){0, NULL}};
static const value_string role_vals[] = {TL_ROLE_LIST(TLP_VS_ITEM){0, NULL}};
static const value_string closer_vals[] = {TL_CLOSER_LIST(TLP_VS_ITEM){0, NULL}};
#undef TLP_VS_ITEM

#define ARROW "\xe2\x86\x92"

/* Is a field of ours wanted in this packet's tree: shown, or named by a
 * filter, column or -e? proto_field_is_referenced() without the call (a
 * filtered pass asks ~30 times a packet): the header_field_info of our
 * fields are the static hf[] below, whose ref_type Wireshark sets and
 * resets packet by packet. */
static const hf_register_info *our_hf; /* registered in id order: bit i is id first_hf + i */
static int first_hf = -1, n_our_hf;
static guint64 conn_bits; /* the connection summary's fields */

static void remember_fields(const hf_register_info *hf, int n)
{
    if (n > 64)
        return;
    for (int i = 0; i < n; i++)
        if (*hf[i].p_id != *hf[0].p_id + i)
            return; /* not one block of ids in order: ask Wireshark every time */
    our_hf = hf;
    first_hf = *hf[0].p_id;
    n_our_hf = n;
    for (guint i = 0; i < G_N_ELEMENTS(conn_hfs); i++)
        conn_bits |= (guint64)1 << (*conn_hfs[i] - first_hf);
}

/* Bit (id - first_hf) set: that field is named in this packet's tree.
 * The protocol's own ref_type says whether any of its fields is. */
static guint64 named_fields(proto_tree *tree, int proto)
{
    const hf_register_info *hf = our_hf;
    int n = n_our_hf;
    if (!tree || !hf || proto_registrar_get_nth(proto)->ref_type == HF_REF_TYPE_NONE)
        return 0;
    guint64 m = 0;
    for (int i = 0; i < n; i++)
        if (hf[i].hfinfo.ref_type != HF_REF_TYPE_NONE)
            m |= (guint64)1 << i;
    return m;
}

/* Unless the tree is shown, add only what a filter, column or -e asks
 * for: a faked item still costs a call, its arguments (strings) more. */
#define NAMED(hf) \
    (our_hf ? ((named >> ((hf) - first_hf)) & 1) != 0 : proto_field_is_referenced(tree, hf))
#define WANT(hf) (visible || NAMED(hf))

void tlp_render_register(int proto)
{
    proto_tcplife = proto;
    static hf_register_info hf[] = {
        {&hf_stream, {"Stream index", "tcplife.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
                      "Same as tcp.stream", HFILL}},
        {&hf_sender, {"Sender", "tcplife.sender", FT_UINT8, BASE_DEC, VALS(role_vals), 0x0,
                      "Who sent this segment", HFILL}},
        {&hf_phase, {"Phase", "tcplife.phase", FT_UINT8, BASE_DEC, VALS(phase_vals), 0x0,
                     "Phase of the connection once this segment is delivered", HFILL}},
        {&hf_hs_step, {"Handshake step", "tcplife.handshake.step", FT_UINT8, BASE_DEC, NULL, 0x0,
                       "Step 1-3 of the three-way handshake", HFILL}},
        {&hf_td_step, {"Teardown step", "tcplife.teardown.step", FT_UINT8, BASE_DEC, NULL, 0x0,
                       "Step 1-4 of the teardown (twice on a merged FIN+ACK)", HFILL}},
        {&hf_data, {"Payload", "tcplife.data", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
                    &units_byte_bytes, 0x0, "Payload length", HFILL}},
        {&hf_client_state, {"Client state", "tcplife.client.state", FT_UINT8, BASE_DEC,
                            VALS(state_vals), 0x0,
                            "Client's RFC 9293 state after this segment", HFILL}},
        {&hf_server_state, {"Server state", "tcplife.server.state", FT_UINT8, BASE_DEC,
                            VALS(state_vals), 0x0,
                            "Server's RFC 9293 state after this segment", HFILL}},
        {&hf_state_change, {"State change", "tcplife.state_change", FT_BOOLEAN, BASE_NONE, NULL,
                            0x0, "Either endpoint's state changed on this segment", HFILL}},
        {&hf_retrans, {"Retransmission of", "tcplife.retransmission", FT_FRAMENUM, BASE_NONE,
                       FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
                       "First frame of the SYN, SYN+ACK, FIN or RST this one repeats", HFILL}},
        {&hf_label, {"Label", "tcplife.label", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Lifecycle role in words", HFILL}},
        {&hf_guessed, {"Endpoints guessed", "tcplife.endpoints_guessed", FT_BOOLEAN, BASE_NONE,
                       NULL, 0x0, "No SYN captured: client and server were guessed", HFILL}},
        {&hf_midstream, {"Midstream", "tcplife.midstream", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                         "The connection's first captured segment was not a SYN", HFILL}},
        {&hf_sim_open, {"Simultaneous open", "tcplife.simultaneous_open", FT_BOOLEAN, BASE_NONE,
                        NULL, 0x0, "Both sides sent a SYN without ACK", HFILL}},
        {&hf_sim_close, {"Simultaneous close", "tcplife.simultaneous_close", FT_BOOLEAN,
                         BASE_NONE, NULL, 0x0, "The peer's FIN did not ack the first FIN",
                         HFILL}},
        {&hf_conn_client, {"Client", "tcplife.conn.client", FT_STRING, BASE_NONE, NULL, 0x0,
                           "Client address:port", HFILL}},
        {&hf_conn_server, {"Server", "tcplife.conn.server", FT_STRING, BASE_NONE, NULL, 0x0,
                           "Server address:port", HFILL}},
        {&hf_conn_hs[0], {"Handshake step 1", "tcplife.conn.handshake1", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_hs[1], {"Handshake step 2", "tcplife.conn.handshake2", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_hs[2], {"Handshake step 3", "tcplife.conn.handshake3", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_td[0], {"Teardown step 1", "tcplife.conn.teardown1", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_td[1], {"Teardown step 2", "tcplife.conn.teardown2", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_td[2], {"Teardown step 3", "tcplife.conn.teardown3", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_td[3], {"Teardown step 4", "tcplife.conn.teardown4", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, NULL, HFILL}},
        {&hf_conn_reset, {"Reset", "tcplife.conn.reset", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0, "First RST", HFILL}},
        {&hf_conn_closer, {"Closer", "tcplife.conn.closer", FT_UINT8, BASE_DEC,
                           VALS(closer_vals), 0x0, "Who sent the first FIN", HFILL}},
        {&hf_conn_complete, {"Complete", "tcplife.conn.complete", FT_BOOLEAN, BASE_NONE, NULL,
                             0x0, "All handshake and teardown steps seen, no RST", HFILL}},
        {&hf_conn_zeek_state, {"Zeek conn_state", "tcplife.conn.state", FT_STRING, BASE_NONE,
                               NULL, 0x0, "Zeek conn.log conn_state", HFILL}},
        {&hf_conn_zeek_history, {"Zeek history", "tcplife.conn.history", FT_STRING, BASE_NONE,
                                 NULL, 0x0, "Zeek conn.log history", HFILL}},
        {&hf_conn_http, {"HTTP exchanges", "tcplife.conn.http_exchanges", FT_UINT32, BASE_DEC,
                         NULL, 0x0, "HTTP request/response pairs seen", HFILL}},
        {&hf_conn_duration, {"Duration", "tcplife.conn.duration", FT_RELATIVE_TIME, BASE_NONE,
                             NULL, 0x0, "First to last segment of the connection", HFILL}},
    };
    static gint *ett[] = {&ett_tcplife, &ett_conn};
    static ei_register_info ei[] = {
        {&ei_handshake, {"tcplife.expert.handshake", PI_SEQUENCE, PI_CHAT,
                         "Handshake step", EXPFILL}},
        {&ei_teardown, {"tcplife.expert.teardown", PI_SEQUENCE, PI_CHAT, "Teardown step",
                        EXPFILL}},
        {&ei_refused, {"tcplife.expert.refused", PI_SEQUENCE, PI_WARN,
                       "Connection refused (RST answers SYN)", EXPFILL}},
        {&ei_reset_client, {"tcplife.expert.reset_by_client", PI_SEQUENCE, PI_WARN,
                            "Connection reset by client", EXPFILL}},
        {&ei_reset_server, {"tcplife.expert.reset_by_server", PI_SEQUENCE, PI_WARN,
                            "Connection reset by server", EXPFILL}},
        {&ei_midstream, {"tcplife.expert.midstream", PI_SEQUENCE, PI_NOTE,
                         "Capture starts mid-connection: no SYN seen", EXPFILL}},
        {&ei_data_after_fin, {"tcplife.expert.data_after_fin", PI_PROTOCOL, PI_WARN,
                              "Data after the sender's own FIN", EXPFILL}},
        {&ei_sim_open, {"tcplife.expert.simultaneous_open", PI_SEQUENCE, PI_NOTE,
                        "Simultaneous open: both sides sent SYN", EXPFILL}},
        {&ei_sim_close, {"tcplife.expert.simultaneous_close", PI_SEQUENCE, PI_NOTE,
                         "Simultaneous close: FINs crossed", EXPFILL}},
        {&ei_bogus, {"tcplife.expert.bogus_flags", PI_PROTOCOL, PI_WARN,
                     "Invalid flag combination: not used for the lifecycle", EXPFILL}},
        {&ei_after_close, {"tcplife.expert.after_close", PI_SEQUENCE, PI_NOTE,
                           "Segment after the connection ended", EXPFILL}},
        {&ei_inferred_fin, {"tcplife.expert.inferred_fin", PI_SEQUENCE, PI_NOTE,
                            "Acknowledges a FIN not captured yet (capture out of order)",
                            EXPFILL}},
        {&ei_reopened, {"tcplife.expert.reopened", PI_SEQUENCE, PI_NOTE,
                        "New SYN restarts an ended connection in the same stream", EXPFILL}},
        {&ei_role_conflict, {"tcplife.expert.role_conflict", PI_SEQUENCE, PI_NOTE,
                             "SYN from the side taken for the server", EXPFILL}},
        {&ei_synack_bad_ack, {"tcplife.expert.synack_bad_ack", PI_SEQUENCE, PI_WARN,
                              "SYN+ACK does not acknowledge the client's SYN", EXPFILL}},
        {&ei_never_established, {"tcplife.expert.handshake_incomplete", PI_SEQUENCE, PI_WARN,
                                 "Handshake never completed", EXPFILL}},
        {&ei_still_open, {"tcplife.expert.still_open", PI_SEQUENCE, PI_NOTE,
                          "Connection still open at end of capture", EXPFILL}},
        {&ei_unreadable, {"tcplife.expert.unreadable", PI_UNDECODED, PI_NOTE,
                          "TCP header cut short or invalid: segment not used for the lifecycle",
                          EXPFILL}},
        {&ei_fin_changed, {"tcplife.expert.fin_changed", PI_SEQUENCE, PI_WARN,
                           "Second FIN at a different sequence number", EXPFILL}},
    };
    proto_register_field_array(proto, hf, array_length(hf));
    remember_fields(hf, (int)array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

/* "Client 127.0.0.1:52749: FIN-WAIT-1 → FIN-WAIT-2" (SPEC §3). Built by
 * hand: with a shown tree this runs twice a segment, and one vsnprintf of
 * four strings cost more than the item itself. */
static void add_state_line(proto_tree *t, int hf, tvbuff_t *tvb, const char *who,
                           const char *endpoint, guint8 before, guint8 after, gboolean text)
{
    if (!text) {
        proto_tree_add_uint(t, hf, tvb, 0, 0, after);
        return;
    }
    char line[128];
    size_t len = 0;
    const char *parts[] = {who, " ", endpoint, ": ", tl_state_name(before), " " ARROW " ",
                           tl_state_name(after)};
    for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
        if (before == after && (i == 4 || i == 5)) /* no "before →" */
            continue;
        size_t n = strlen(parts[i]);
        if (len + n >= sizeof line)
            n = sizeof line - 1 - len;
        memcpy(line + len, parts[i], n);
        len += n;
    }
    line[len] = '\0';
    proto_tree_add_uint_format(t, hf, tvb, 0, 0, after, "%s", line);
}

/* Expert info costs an item and more; add it when something can show or
 * filter it: a visible tree, the expert tap (GUI dialog, -z expert), or a
 * filter on _ws.expert or on the item itself. */
static int hf_ws_expert = -1, expert_tap_id = -1;

gboolean tlp_expert_listened(void)
{
    /* Looked up on first use: the expert module registers its tap after
     * the plugins' handoff. */
    static gboolean looked_up;
    if (!looked_up) {
        expert_tap_id = find_tap_id("expert");
        looked_up = TRUE;
    }
    return expert_tap_id >= 0 && have_tap_listener(expert_tap_id);
}

/* Shown, or listened to, or _ws.expert filtered: then every expert info is
 * wanted. Asked once a packet (tlp_render). */
static gboolean experts_wanted(proto_tree *tree)
{
    if (tree && PTREE_DATA(tree)->visible)
        return TRUE;
    if (tlp_expert_listened())
        return TRUE;
    static gboolean hf_looked_up;
    if (!hf_looked_up) {
        hf_ws_expert = proto_registrar_get_id_byname("_ws.expert");
        hf_looked_up = TRUE;
    }
    return hf_ws_expert > 0 && proto_field_is_referenced(tree, hf_ws_expert);
}

static gboolean want_expert(gboolean all, proto_tree *tree, expert_field *ei)
{
    return all || (ei->hf > 0 && proto_field_is_referenced(tree, ei->hf));
}

static void add_expert(gboolean all, packet_info *pinfo, proto_tree *tree, proto_item *at,
                       expert_field *ei)
{
    if (want_expert(all, tree, ei))
        expert_add_info(pinfo, at, ei);
}

static void add_framenum(proto_tree *t, int hf, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(t, hf, tvb, 0, 0, frame));
}

static void add_flag(proto_tree *t, int hf, tvbuff_t *tvb, gboolean on)
{
    if (on)
        proto_item_set_generated(proto_tree_add_boolean(t, hf, tvb, 0, 0, TRUE));
}

void tlp_render_handoff(void)
{
}

void tlp_render_unreadable(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const tlp_frame *f)
{
    proto_item *top = proto_tree_add_item(tree, proto_tcplife, tvb, 0, 0, ENC_NA);
    proto_tree *t = proto_item_add_subtree(top, ett_tcplife);
    proto_item_append_text(top, ": TCP header not captured");
    guint32 stream = tlp_frame_stream(f, pinfo->num);
    if (stream != TLP_NO_STREAM)
        proto_item_set_generated(proto_tree_add_uint(t, hf_stream, tvb, 0, 0, stream));
    expert_add_info(pinfo, top, &ei_unreadable);
}

/* Is any field of the connection summary asked for? */
static gboolean conn_fields_wanted(proto_tree *tree, guint64 named)
{
    if (our_hf)
        return (named & conn_bits) != 0;
    for (guint i = 0; i < G_N_ELEMENTS(conn_hfs); i++)
        if (proto_field_is_referenced(tree, *conn_hfs[i]))
            return TRUE;
    return FALSE;
}

/* Connection summary: as known now (first pass) or at the end (revisits). */
static void add_conn_summary(tvbuff_t *tvb, proto_tree *t, proto_tree *tree,
                             const tlp_conn *conn, gboolean visible, guint64 named)
{
    const tl_conn *c = &conn->core;
    proto_tree *ct = proto_tree_add_subtree(t, tvb, 0, 0, ett_conn, NULL, "Connection");
    if (WANT(hf_conn_client))
        proto_tree_add_string(ct, hf_conn_client, tvb, 0, 0, tlp_conn_endpoint(conn, TL_CLIENT));
    if (WANT(hf_conn_server))
        proto_tree_add_string(ct, hf_conn_server, tvb, 0, 0, tlp_conn_endpoint(conn, TL_SERVER));
    for (int i = 0; i < 3; i++)
        add_framenum(ct, hf_conn_hs[i], tvb, c->hs_frame[i]);
    for (int i = 0; i < 4; i++)
        add_framenum(ct, hf_conn_td[i], tvb, c->td_frame[i]);
    add_framenum(ct, hf_conn_reset, tvb, c->rst_frame);
    proto_tree_add_uint(ct, hf_conn_closer, tvb, 0, 0, c->closer);
    gboolean complete = c->hs_frame[0] && c->hs_frame[1] && c->hs_frame[2] && c->td_frame[0] &&
                        c->td_frame[1] && c->td_frame[2] && c->td_frame[3] && !c->rst_frame;
    proto_tree_add_boolean(ct, hf_conn_complete, tvb, 0, 0, complete);
    if (WANT(hf_conn_zeek_state))
        proto_tree_add_string(ct, hf_conn_zeek_state, tvb, 0, 0,
                              tl_zeek_conn_state(&conn->zeek));
    if (WANT(hf_conn_zeek_history))
        proto_tree_add_string(ct, hf_conn_zeek_history, tvb, 0, 0,
                              tl_zeek_history(&conn->zeek));
    gint64 us = tl_conn_duration_us(c);
    nstime_t dur = {(time_t)(us / 1000000), (int)(us % 1000000) * 1000};
    proto_tree_add_time(ct, hf_conn_duration, tvb, 0, 0, &dur);
    proto_tree_add_uint(ct, hf_conn_http, tvb, 0, 0, conn->http_exchanges);
}

void tlp_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, guint32 stream,
                const tl_result *r, const tlp_conn *conn, gboolean info_column)
{
    const tl_conn *c = &conn->core;
    gboolean visible = tree && PTREE_DATA(tree)->visible;
    guint64 named = visible ? 0 : named_fields(tree, proto_tcplife);
    gboolean experts = experts_wanted(tree);
    char label[512];
    /* HTTP records exist for segments with payload only. */
    tlp_http_frame http;
    const tlp_http_frame *hf =
        r->data_len && tlp_http_frame_get(pinfo->num, &http) ? &http : NULL;

    gboolean want_label = WANT(hf_label);
    if (want_label) {
        tl_format_label(r, label, sizeof label);
        if (hf)
            tlp_render_http_label(hf, label, sizeof label);
    }
    proto_item *top = proto_tree_add_item(tree, proto_tcplife, tvb, 0, 0, ENC_NA);
    proto_tree *t = proto_item_add_subtree(top, ett_tcplife);
    if (want_label)
        proto_item_append_text(top, ": %s", label);

    if (WANT(hf_stream))
        proto_item_set_generated(
            proto_tree_add_uint(t, hf_stream, tvb, 0, 0, stream));
    if (WANT(hf_sender))
        proto_tree_add_uint(t, hf_sender, tvb, 0, 0, r->sender);
    if (WANT(hf_phase))
        proto_tree_add_uint(t, hf_phase, tvb, 0, 0, r->phase);
    /* The step item anchors the step's expert info: added when either is wanted. */
    proto_item *step_item = NULL;
    if (r->hs_step && (WANT(hf_hs_step) || want_expert(experts, tree, &ei_handshake)))
        step_item = proto_tree_add_uint(t, hf_hs_step, tvb, 0, 0, r->hs_step);
    if (r->td_mask && (WANT(hf_td_step) || want_expert(experts, tree, &ei_teardown)))
        for (unsigned n = 1; n <= 4; n++)
            if (tl_has_td_step(r, n))
                step_item = proto_tree_add_uint(t, hf_td_step, tvb, 0, 0, n);
    if (r->data_len && WANT(hf_data))
        proto_tree_add_uint(t, hf_data, tvb, 0, 0, r->data_len);

    if (WANT(hf_client_state))
        add_state_line(t, hf_client_state, tvb, "Client",
                       visible ? tlp_conn_endpoint(conn, TL_CLIENT) : NULL, r->state_before[0],
                       r->state_after[0], visible);
    if (WANT(hf_server_state))
        add_state_line(t, hf_server_state, tvb, "Server",
                       visible ? tlp_conn_endpoint(conn, TL_SERVER) : NULL, r->state_before[1],
                       r->state_after[1], visible);
    if (WANT(hf_state_change))
        proto_tree_add_boolean(t, hf_state_change, tvb, 0, 0,
                               (r->flags & TL_F_STATE_CHANGE) != 0);
    if (r->retrans_of && WANT(hf_retrans))
        proto_item_set_generated(proto_tree_add_uint(t, hf_retrans, tvb, 0, 0, r->retrans_of));
    if (want_label)
        proto_tree_add_string(t, hf_label, tvb, 0, 0, label);
    if (r->flags & (TL_F_GUESSED | TL_F_MIDSTREAM | TL_F_SIMULTANEOUS_OPEN |
                    TL_F_SIMULTANEOUS_CLOSE)) {
        add_flag(t, hf_guessed, tvb, r->flags & TL_F_GUESSED);
        add_flag(t, hf_midstream, tvb, r->flags & TL_F_MIDSTREAM);
        add_flag(t, hf_sim_open, tvb, r->flags & TL_F_SIMULTANEOUS_OPEN);
        add_flag(t, hf_sim_close, tvb, r->flags & TL_F_SIMULTANEOUS_CLOSE);
    }

    if (hf)
        tlp_render_http(tvb, pinfo, t, hf);

    if (visible || conn_fields_wanted(tree, named))
        add_conn_summary(tvb, t, tree, conn, visible, named);

    /* Expert info: each at the frame where it becomes known. */
    proto_item *at = step_item ? step_item : top;
    if (r->hs_step && want_expert(experts, tree, &ei_handshake))
        expert_add_info_format(pinfo, at, &ei_handshake, "Handshake step %u/3",
                               (unsigned)r->hs_step);
    if (r->td_mask && want_expert(experts, tree, &ei_teardown)) {
        char steps[16] = "";
        for (unsigned n = 1; n <= 4; n++)
            if (tl_has_td_step(r, n))
                g_snprintf(steps + strlen(steps), sizeof steps - strlen(steps), "%s%u",
                           steps[0] ? "+" : "", n);
        expert_add_info_format(pinfo, at, &ei_teardown, "Teardown step %s/4", steps);
    }
    if ((r->flags & TL_F_RST) && r->phase == TL_PHASE_RESET && !r->retrans_of) {
        if (r->flags & TL_F_REFUSED)
            add_expert(experts, pinfo, tree, top, &ei_refused);
        else
            add_expert(experts, pinfo, tree, top, r->sender == TL_CLIENT ? &ei_reset_client
                                                               : &ei_reset_server);
    }
    if ((r->flags & TL_F_MIDSTREAM) && c->first_frame == pinfo->num)
        add_expert(experts, pinfo, tree, top, &ei_midstream);
    if (r->anomalies & TL_A_DATA_AFTER_FIN)
        add_expert(experts, pinfo, tree, top, &ei_data_after_fin);
    if (r->anomalies & TL_A_SIM_OPEN_SEEN)
        add_expert(experts, pinfo, tree, top, &ei_sim_open);
    if (r->anomalies & TL_A_SIM_CLOSE_SEEN)
        add_expert(experts, pinfo, tree, top, &ei_sim_close);
    if (r->anomalies & TL_A_BOGUS_FLAGS)
        add_expert(experts, pinfo, tree, top, &ei_bogus);
    if (r->anomalies & TL_A_AFTER_CLOSE)
        add_expert(experts, pinfo, tree, top, &ei_after_close);
    if (r->flags & TL_F_INFERRED_FIN)
        add_expert(experts, pinfo, tree, top, &ei_inferred_fin);
    if (r->anomalies & TL_A_REOPENED)
        add_expert(experts, pinfo, tree, top, &ei_reopened);
    if (r->anomalies & TL_A_ROLE_CONFLICT)
        add_expert(experts, pinfo, tree, top, &ei_role_conflict);
    if (r->anomalies & TL_A_SYNACK_BAD_ACK)
        add_expert(experts, pinfo, tree, top, &ei_synack_bad_ack);
    if (r->anomalies & TL_A_FIN_CHANGED)
        add_expert(experts, pinfo, tree, top, &ei_fin_changed);

    /* Known only once the whole capture was read (tshark -2, the GUI):
     * said on the connection's last frame. */
    if (PINFO_FD_VISITED(pinfo) && pinfo->num == c->last_frame) {
        if (c->hs_frame[0] && !(c->cflags & TL_C_HANDSHAKE_DONE) && !c->rst_frame)
            add_expert(experts, pinfo, tree, top, &ei_never_established);
        if (c->phase != TL_PHASE_CLOSED && c->phase != TL_PHASE_RESET)
            add_expert(experts, pinfo, tree, top, &ei_still_open);
    }

    if (info_column)
        tlp_render_info(pinfo, r);
}

void tlp_render_info(packet_info *pinfo, const tl_result *r)
{
    if (!pinfo->cinfo || !(r->hs_step || r->td_mask || (r->flags & TL_F_RST)))
        return;
    char prefix[24];
    tl_format_info_prefix(r, prefix, sizeof prefix);
    col_prepend_fstr(pinfo->cinfo, COL_INFO, "%s", prefix);
}
