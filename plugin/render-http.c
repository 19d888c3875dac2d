/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP part of the tcplife subtree (SPEC §5): what the payload is, and
 * for each HTTP message it carries, its exchange, kind, summary and PDU
 * frame. Also the label's HTTP suffix ("response 2 (200 OK), part 2").
 */
#include "tcplife-plugin.h"

static int hf_app = -1, hf_exchange = -1, hf_message = -1, hf_summary = -1, hf_pdu_frame = -1;
static gint ett_http = -1;

#define TLP_VS_ITEM(sym, name) {sym, name},
static const value_string app_vals[] = {TL_APP_LIST(TLP_VS_ITEM){0, NULL}};
static const value_string msg_vals[] = {TL_HTTP_MSG_LIST(TLP_VS_ITEM){0, NULL}};
#undef TLP_VS_ITEM

/* Our registered fields: their ref_type says, packet by packet, whether a
 * filter, column or -e names them. */
static const hf_register_info *http_hf;
static guint n_http_hf;

static gboolean wanted(proto_tree *tree)
{
    if (!tree)
        return FALSE;
    if (PTREE_DATA(tree)->visible)
        return TRUE;
    for (guint i = 0; i < n_http_hf; i++)
        if (http_hf[i].hfinfo.ref_type != HF_REF_TYPE_NONE)
            return TRUE;
    return FALSE;
}

void tlp_render_http_register(int proto)
{
    static hf_register_info hf[] = {
        {&hf_app, {"Application", "tcplife.app", FT_UINT8, BASE_DEC, VALS(app_vals), 0x0,
                   "What the payload is", HFILL}},
        {&hf_exchange, {"HTTP exchange", "tcplife.http.exchange", FT_UINT32, BASE_DEC, NULL, 0x0,
                        "1-based request/response pair in this connection", HFILL}},
        {&hf_message, {"HTTP message", "tcplife.http.message", FT_UINT8, BASE_DEC,
                       VALS(msg_vals), 0x0, NULL, HFILL}},
        {&hf_summary, {"HTTP summary", "tcplife.http.summary", FT_STRING, BASE_NONE, NULL, 0x0,
                       "Request line or status", HFILL}},
        {&hf_pdu_frame, {"HTTP PDU frame", "tcplife.http.pdu_frame", FT_FRAMENUM, BASE_NONE,
                         FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0,
                         "Frame where this message's headers are complete", HFILL}},
    };
    static gint *ett[] = {&ett_http};
    proto_register_field_array(proto, hf, array_length(hf));
    http_hf = hf;
    n_http_hf = array_length(hf);
    proto_register_subtree_array(ett, array_length(ett));
}

/* ": request 1 (GET /), part 1; response 1 ..." appended to the label.
 * Made from what was known on the first pass, so that it reads the same in
 * every mode. */
void tlp_render_http_label(const tlp_http_frame *hf, char *buf, size_t size)
{
    size_t len = strlen(buf);
    for (guint i = 0; i < hf->n && len + 1 < size; i++) {
        const tlp_http_piece *pc = &hf->piece[i];
        const char *sum = tlp_http_piece_summary(pc, FALSE);
        g_snprintf(buf + len, size - len, "%s%s %u%s%s%s", i ? "; " : ": ",
                   tl_http_msg_name(tlp_http_piece_kind(pc)), tlp_http_piece_exchange(pc),
                   sum ? " (" : "",
                   sum ? sum : "",
                   sum ? ")" : "");
        len = strlen(buf);
        guint32 part = tlp_http_piece_part(pc);
        if (part && len + 1 < size) {
            g_snprintf(buf + len, size - len, ", part %u", part);
            len = strlen(buf);
        }
    }
}

void tlp_render_http(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const tlp_http_frame *hf)
{
    if (!wanted(tree))
        return; /* faked items would still cost their calls and strings */
    gboolean revisit = PINFO_FD_VISITED(pinfo);
    proto_tree_add_uint(tree, hf_app, tvb, 0, 0, hf->app);
    for (guint i = 0; i < hf->n; i++) {
        const tlp_http_piece *pc = &hf->piece[i];
        guint32 parts = tlp_http_piece_parts(pc);
        proto_item *pi = proto_tree_add_uint(tree, hf_exchange, tvb, 0, 0,
                                              tlp_http_piece_exchange(pc));
        proto_tree *t = proto_item_add_subtree(pi, ett_http);
        if (tree && PTREE_DATA(tree)->visible) {
            proto_item_append_text(pi, ", %s", tl_http_msg_name(tlp_http_piece_kind(pc)));
            guint32 part = tlp_http_piece_part(pc);
            if (part && parts && revisit)
                proto_item_append_text(pi, ", part %u of %u", part, parts);
            else if (part)
                proto_item_append_text(pi, ", part %u", part);
        }
        proto_tree_add_uint(t, hf_message, tvb, 0, 0, tlp_http_piece_kind(pc));
        const char *sum = tlp_http_piece_summary(pc, revisit);
        if (sum)
            proto_tree_add_string(t, hf_summary, tvb, 0, 0, sum);
        guint32 pdu = tlp_http_piece_pdu_frame(pc, revisit);
        if (pdu)
            proto_item_set_generated(proto_tree_add_uint(t, hf_pdu_frame, tvb, 0, 0, pdu));
    }
}
