/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ladder diagrams (`tshark -q -z tcplife,ladder[,STREAM][,ascii]`): the
 * textbook picture of a connection drawn from the capture. Client on the
 * left, server on the right, one arrow per segment in capture order with
 * its frame, flags, relative seq/ack and length, the lifecycle label, and
 * each endpoint's state written on its side whenever it changes. Long runs
 * of plain data and ACK segments are folded so the handshake and teardown
 * stay readable. Rows are evenly spaced (capture order, not time).
 *
 * The listener's filter names tcp.seq_raw, tcp.ack_raw and tcp.flags, which
 * makes Wireshark fill those fields on whatever pass runs the tap, so the
 * per-frame record needs no copy of them.
 */
#include <wireshark.h>

#include <epan/stat_tap_ui.h>
#include <epan/epan_dissect.h>
#include <epan/funnel.h>
#include <epan/tap.h>

#include "compat.h"
#include "tcplife-plugin.h"

/* The -z init callback returns void until 4.4 and bool from 4.6. */
#ifdef TCPLIFE_HAVE_BOOL_STAT_INIT
#define TLP_STAT_INIT_RET bool
#define TLP_STAT_INIT_OK return true
#define TLP_STAT_INIT_FAIL return false
#else
#define TLP_STAT_INIT_RET void
#define TLP_STAT_INIT_OK return
#define TLP_STAT_INIT_FAIL return
#endif

#define GAP 52  /* characters between the two lifelines */
#define FOLD 5  /* runs of at least this many plain segments are folded */

typedef struct ladder_row {
    guint32 frame;
    guint32 seq, ack, len;
    guint16 tcp_flags;
    tl_result r;
    char label[160];
} ladder_row;

typedef struct ladder {
    gint64 stream; /* -1: every connection */
    gboolean ascii;
    gboolean svg;
    funnel_text_window_t *window; /* GUI: draw here instead of stdout */
    GHashTable *rows; /* stream + 1 -> GArray of ladder_row */
    GArray *order;    /* streams in order of appearance */
    gboolean counted; /* in tlp_ladder_listeners */
} ladder;

/* Ladders listening: while there is none, a first pass queues the tap only
 * for what the connection table needs (packet-tcplife.c). */
guint tlp_ladder_listeners;

static void count_listener(ladder *l)
{
    l->counted = TRUE;
    tlp_ladder_listeners++;
}

static int hf_seq_raw = -1, hf_ack_raw = -1, hf_flags = -1;

static guint32 first_uint(proto_tree *tree, int hf, gboolean *ok)
{
    GPtrArray *a = tree ? proto_get_finfo_ptr_array(tree, hf) : NULL;
    if (!a || a->len == 0) {
        *ok = FALSE;
        return 0;
    }
    return fvalue_get_uinteger(TLP_FI_VALUE((field_info *)g_ptr_array_index(a, 0)));
}

static tap_packet_status ladder_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt,
                                       const void *data, tap_flags_t flags _U_)
{
    ladder *l = (ladder *)tapdata;
    const tlp_frame *f = (const tlp_frame *)data;
    if (tlp_frame_unreadable(f))
        return TAP_PACKET_DONT_REDRAW;
    guint32 stream = tlp_frame_stream(f, pinfo->num);
    if (l->stream >= 0 && (gint64)stream != l->stream)
        return TAP_PACKET_DONT_REDRAW;

    ladder_row row;
    memset(&row, 0, sizeof row);
    gboolean ok = TRUE;
    row.frame = pinfo->num;
    row.seq = first_uint(edt->tree, hf_seq_raw, &ok);
    row.ack = first_uint(edt->tree, hf_ack_raw, &ok);
    row.tcp_flags = (guint16)first_uint(edt->tree, hf_flags, &ok);
    tlp_frame_result(f, pinfo->num, &row.r);
    row.len = row.r.data_len;
    tl_format_label(&row.r, row.label, sizeof row.label);
    tlp_http_frame hf;
    if (tlp_http_frame_get(pinfo->num, &hf))
        tlp_render_http_label(&hf, row.label, sizeof row.label);

    GArray *rows = g_hash_table_lookup(l->rows, GUINT_TO_POINTER(stream + 1));
    if (!rows) {
        rows = g_array_new(FALSE, FALSE, sizeof(ladder_row));
        g_hash_table_insert(l->rows, GUINT_TO_POINTER(stream + 1), rows);
        g_array_append_val(l->order, stream);
    }
    g_array_append_val(rows, row);
    /* The GUI's periodic draw can run mid-retap (a loaded machine shows the
     * progress dialog, which runs the event loop): asking for a redraw makes
     * the next tick draw the finished ladder instead of leaving that one. */
    return TAP_PACKET_REDRAW;
}

/* Pad a UTF-8 string to a width in characters (not bytes). */
static void pad(GString *out, const char *s, guint width, gboolean right_align)
{
    guint n = (guint)g_utf8_strlen(s, -1);
    if (right_align)
        for (guint i = n; i < width; i++)
            g_string_append_c(out, ' ');
    g_string_append(out, s);
    if (!right_align)
        for (guint i = n; i < width; i++)
            g_string_append_c(out, ' ');
}

static void flags_str(GString *s, guint16 fl)
{
    static const struct {
        guint16 bit;
        const char *name;
    } names[] = {{0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x08, "PSH"},
                 {0x20, "URG"}, {0x10, "ACK"}, {0x40, "ECE"}, {0x80, "CWR"}};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (fl & names[i].bit)
            g_string_append_printf(s, "%s%s", s->len ? "," : "", names[i].name);
    if (!s->len)
        g_string_append(s, "none");
}

typedef struct glyphs {
    const char *line, *right, *left, *dash, *fold;
} glyphs;

static const glyphs unicode = {"\xe2\x94\x82", "\xe2\x96\xb6", "\xe2\x97\x80", "\xe2\x94\x80",
                               "\xe2\x8b\xae"};
static const glyphs ascii = {"|", ">", "<", "-", ":"};

/* One arrow between the lifelines, text near its tail. */
static void arrow(GString *out, const glyphs *g, gboolean to_server, const char *text)
{
    guint n = (guint)g_utf8_strlen(text, -1) + 2;
    guint dashes = n + 3 < GAP ? GAP - n - 1 : 2;
    if (to_server) {
        g_string_append_printf(out, " %s ", text);
        for (guint i = 0; i < dashes - 1; i++)
            g_string_append(out, g->dash);
        g_string_append(out, g->right);
    } else {
        g_string_append(out, g->left);
        for (guint i = 0; i < dashes - 1; i++)
            g_string_append(out, g->dash);
        g_string_append_printf(out, " %s ", text);
    }
}

static gboolean plain(const ladder_row *row)
{
    const tl_result *r = &row->r;
    return !r->hs_step && !r->td_mask && !(r->flags & (TL_F_STATE_CHANGE | TL_F_SYN | TL_F_FIN |
                                                       TL_F_RST)) &&
           !r->anomalies && !r->retrans_of;
}

static void draw_row(GString *out, const glyphs *g, const ladder_row *row, guint32 base[2])
{
    const tl_result *r = &row->r;
    gboolean to_server = r->sender == TL_CLIENT;
    GString *text = g_string_new(NULL);
    GString *fl = g_string_new(NULL);
    flags_str(fl, row->tcp_flags);
    g_string_append_printf(text, "#%u %s seq=%u", row->frame, fl->str,
                           row->seq - base[r->sender]);
    if (row->tcp_flags & 0x10)
        g_string_append_printf(text, " ack=%u", row->ack - base[!r->sender]);
    g_string_append_printf(text, " len=%u", row->len);

    const char *cs = r->state_after[0] != r->state_before[0] ? tl_state_name(r->state_after[0])
                                                               : "";
    const char *ss = r->state_after[1] != r->state_before[1] ? tl_state_name(r->state_after[1])
                                                               : "";
    pad(out, cs, 12, TRUE);
    g_string_append_printf(out, " %s", g->line);
    GString *a = g_string_new(NULL);
    arrow(a, g, to_server, text->str);
    pad(out, a->str, GAP, FALSE);
    g_string_append_printf(out, "%s ", g->line);
    pad(out, ss, 12, FALSE);
    if (g == &ascii) {
        /* The labels' arrows, for terminals that have only ASCII. */
        gchar **bits = g_strsplit(row->label, "\xe2\x86\x92", -1);
        gchar *plain_label = g_strjoinv("->", bits);
        g_string_append_printf(out, "  %s\n", plain_label);
        g_free(plain_label);
        g_strfreev(bits);
    } else {
        g_string_append_printf(out, "  %s\n", row->label);
    }
    g_string_free(a, TRUE);
    g_string_free(fl, TRUE);
    g_string_free(text, TRUE);
}

static void draw_fold(GString *out, const glyphs *g, const ladder_row *first,
                      const ladder_row *last, guint count, guint64 bytes[2])
{
    char text[160];
    const char *to = g == &ascii ? ">" : "\xe2\x86\x92";
    g_snprintf(text, sizeof text, "%s %u segments #%u-#%u: C%sS %" G_GUINT64_FORMAT
               " B, S%sC %" G_GUINT64_FORMAT " B",
               g->fold, count, first->frame, last->frame, to, bytes[0], to, bytes[1]);
    if (g_utf8_strlen(text, -1) > GAP - 2)
        g_snprintf(text, sizeof text, "%s %u segments #%u-#%u", g->fold, count, first->frame,
                   last->frame);
    pad(out, "", 12, TRUE);
    g_string_append_printf(out, " %s ", g->line);
    pad(out, text, GAP - 1, FALSE);
    g_string_append_printf(out, "%s\n", g->line);
}

/* Relative numbers as Wireshark counts them: the SYN is 0, a connection
 * picked up midstream starts at 1. */
static void seq_bases(GArray *rows, guint32 base[2])
{
    gboolean have[2] = {FALSE, FALSE};
    base[0] = base[1] = 0;
    for (guint i = 0; i < rows->len; i++) {
        const ladder_row *row = &g_array_index(rows, ladder_row, i);
        guint side = row->r.sender & 1;
        if (!have[side]) {
            base[side] = (row->tcp_flags & 0x02) ? row->seq : row->seq - 1;
            have[side] = TRUE;
        }
    }
}

static void draw_stream(GString *out, const glyphs *g, guint32 stream, GArray *rows)
{
    const tlp_conn *conn = tlp_store_conn(stream, FALSE);
    if (!conn || rows->len == 0)
        return;
    const ladder_row *r0 = &g_array_index(rows, ladder_row, 0);
    guint32 base[2];
    seq_bases(rows, base);
    g_string_append_printf(out, "\nStream %u: client %s, server %s\n", stream,
                           tlp_conn_endpoint(conn, TL_CLIENT), tlp_conn_endpoint(conn, TL_SERVER));
    pad(out, "client", 14, TRUE);
    pad(out, "", GAP - 1, FALSE);
    g_string_append(out, "server\n");
    pad(out, tl_state_name(r0->r.state_before[0]), 12, TRUE);
    g_string_append_printf(out, " %s", g->line);
    pad(out, "", GAP, FALSE);
    g_string_append_printf(out, "%s %s\n", g->line, tl_state_name(r0->r.state_before[1]));

    for (guint i = 0; i < rows->len;) {
        guint j = i;
        while (j < rows->len && plain(&g_array_index(rows, ladder_row, j)))
            j++;
        if (j - i >= FOLD) {
            guint64 bytes[2] = {0, 0};
            for (guint k = i + 1; k < j - 1; k++) {
                const ladder_row *row = &g_array_index(rows, ladder_row, k);
                bytes[row->r.sender & 1] += row->len;
            }
            draw_row(out, g, &g_array_index(rows, ladder_row, i), base);
            draw_fold(out, g, &g_array_index(rows, ladder_row, i + 1),
                      &g_array_index(rows, ladder_row, j - 2), j - i - 2, bytes);
            draw_row(out, g, &g_array_index(rows, ladder_row, j - 1), base);
            i = j;
        } else {
            for (guint k = i; k < MAX(j, i + 1); k++)
                draw_row(out, g, &g_array_index(rows, ladder_row, k), base);
            i = MAX(j, i + 1);
        }
    }
}

/* SVG: the same rows, drawn. Arrows evenly spaced in capture order;
 * colours as the shipped colouring rules: handshake green, teardown
 * blue, reset red, everything else grey. */
#define SVG_W 980
#define SVG_XC 220 /* client lifeline */
#define SVG_XS 640 /* server lifeline */
#define SVG_ROW 30

static void xml_text(GString *out, const char *s)
{
    gchar *e = g_markup_escape_text(s, -1);
    g_string_append(out, e);
    g_free(e);
}

static const char *row_colour(const tl_result *r)
{
    if (r->flags & TL_F_RST)
        return "#c62828";
    if (r->hs_step)
        return "#2e7d32";
    if (r->td_mask)
        return "#1565c0";
    return "#757575";
}

static void svg_state(GString *out, int x, int y, const char *state, gboolean left)
{
    int w = (int)strlen(state) * 8 + 12;
    int bx = left ? x - w - 8 : x + 8;
    g_string_append_printf(out,
                           "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" rx=\"3\" "
                           "fill=\"#fff8e1\" stroke=\"#8d6e63\"/>"
                           "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                           bx, y - 13, w, bx + 6, y, state);
}

static int svg_stream(GString *out, guint32 stream, GArray *rows, int y)
{
    const tlp_conn *conn = tlp_store_conn(stream, FALSE);
    if (!conn || rows->len == 0)
        return y;
    const ladder_row *r0 = &g_array_index(rows, ladder_row, 0);
    guint32 base[2];
    seq_bases(rows, base);
    g_string_append_printf(out, "<text x=\"20\" y=\"%d\" font-size=\"15\" "
                           "font-weight=\"bold\">Stream %u</text>\n", y, stream);
    y += 26;
    g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"14\" "
                           "text-anchor=\"middle\">client ", SVG_XC, y);
    xml_text(out, tlp_conn_endpoint(conn, TL_CLIENT));
    g_string_append_printf(out, "</text><text x=\"%d\" y=\"%d\" font-size=\"14\" "
                           "text-anchor=\"middle\">server ", SVG_XS, y);
    xml_text(out, tlp_conn_endpoint(conn, TL_SERVER));
    g_string_append(out, "</text>\n");
    int top = y + 8;
    y += 30;
    svg_state(out, SVG_XC, y, tl_state_name(r0->r.state_before[0]), TRUE);
    svg_state(out, SVG_XS, y, tl_state_name(r0->r.state_before[1]), FALSE);
    for (guint i = 0; i < rows->len;) {
        guint j = i;
        while (j < rows->len && plain(&g_array_index(rows, ladder_row, j)))
            j++;
        guint from = i, to = MAX(j, i + 1);
        for (guint k = from; k < to; k++) {
            const ladder_row *row = &g_array_index(rows, ladder_row, k);
            if (j - i >= FOLD && k > i && k < j - 1) {
                if (k == i + 1) {
                    y += SVG_ROW;
                    g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
                                           "text-anchor=\"middle\" fill=\"#757575\">"
                                           "\xe2\x8b\xae %u segments, #%u\xe2\x80\x93#%u"
                                           "</text>\n",
                                           (SVG_XC + SVG_XS) / 2, y, j - i - 2, row->frame,
                                           g_array_index(rows, ladder_row, j - 2).frame);
                }
                continue;
            }
            y += SVG_ROW;
            const tl_result *r = &row->r;
            gboolean to_server = r->sender == TL_CLIENT;
            const char *col = row_colour(r);
            GString *fl = g_string_new(NULL);
            flags_str(fl, row->tcp_flags);
            int x1 = to_server ? SVG_XC : SVG_XS, x2 = to_server ? SVG_XS : SVG_XC;
            g_string_append_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                                   "stroke=\"%s\" stroke-width=\"2\" "
                                   "marker-end=\"url(#head%c)\"/>\n",
                                   x1, y, x2 + (to_server ? -2 : 2), y, col, col[1]);
            g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
                                   "text-anchor=\"middle\" fill=\"%s\">#%u %s seq=%u",
                                   (SVG_XC + SVG_XS) / 2, y - 5, col, row->frame, fl->str,
                                   row->seq - base[r->sender & 1]);
            if (row->tcp_flags & 0x10)
                g_string_append_printf(out, " ack=%u", row->ack - base[!(r->sender & 1)]);
            g_string_append_printf(out, " len=%u</text>\n", row->len);
            g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
                                   "fill=\"%s\">", SVG_XS + 130, y + 4, col);
            xml_text(out, row->label);
            g_string_append(out, "</text>\n");
            if (r->state_after[0] != r->state_before[0])
                svg_state(out, SVG_XC, y + 4, tl_state_name(r->state_after[0]), TRUE);
            if (r->state_after[1] != r->state_before[1])
                svg_state(out, SVG_XS, y + 4, tl_state_name(r->state_after[1]), FALSE);
            g_string_free(fl, TRUE);
        }
        i = to;
    }
    y += 20;
    for (int k = 0; k < 2; k++)
        g_string_append_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                               "stroke=\"#424242\" stroke-width=\"1.5\"/>\n",
                               k ? SVG_XS : SVG_XC, top, k ? SVG_XS : SVG_XC, y);
    return y + 40;
}

static void ladder_draw_svg(ladder *l)
{
    GString *body = g_string_new(NULL);
    int y = 30;
    for (guint i = 0; i < l->order->len; i++) {
        guint32 stream = g_array_index(l->order, guint32, i);
        y = svg_stream(body, stream, g_hash_table_lookup(l->rows, GUINT_TO_POINTER(stream + 1)),
                       y);
    }
    GString *out = g_string_new(NULL);
    g_string_append_printf(out,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                           "height=\"%d\" viewBox=\"0 0 %d %d\" "
                           "font-family=\"monospace\">\n"
                           "<title>TCP connection lifecycle</title>\n"
                           "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<defs>\n",
                           SVG_W + 200, y, SVG_W + 200, y);
    static const char *const colours[] = {"#c62828", "#2e7d32", "#1565c0", "#757575"};
    for (guint c = 0; c < G_N_ELEMENTS(colours); c++)
        g_string_append_printf(out,
                               "<marker id=\"head%c\" markerWidth=\"10\" markerHeight=\"8\" "
                               "refX=\"9\" refY=\"4\" orient=\"auto\">"
                               "<path d=\"M0,0 L10,4 L0,8 z\" fill=\"%s\"/></marker>\n",
                               colours[c][1], colours[c]);
    g_string_append(out, "</defs>\n");
    g_string_append(out, body->str);
    g_string_append(out, "</svg>\n");
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
    g_string_free(body, TRUE);
}

static void ladder_draw(void *tapdata)
{
    ladder *l = (ladder *)tapdata;
    if (l->svg) {
        ladder_draw_svg(l);
        return;
    }
    GString *out = g_string_new(NULL);
    g_string_append(out, "\n==================================================================="
                         "=================\nTCP Connection Lifecycle: ladder\n");
    for (guint i = 0; i < l->order->len; i++) {
        guint32 stream = g_array_index(l->order, guint32, i);
        draw_stream(out, l->ascii ? &ascii : &unicode, stream,
                    g_hash_table_lookup(l->rows, GUINT_TO_POINTER(stream + 1)));
    }
    g_string_append(out, "======================================================================"
                         "==============\n");
    const funnel_ops_t *ops = funnel_get_funnel_ops();
    if (l->window && ops)
        ops->set_text(l->window, out->str);
    else
        fputs(out->str, stdout);
    g_string_free(out, TRUE);
}

static void free_rows(gpointer p)
{
    g_array_free((GArray *)p, TRUE);
}

static void ladder_reset(void *tapdata)
{
    ladder *l = (ladder *)tapdata;
    g_hash_table_remove_all(l->rows);
    g_array_set_size(l->order, 0);
}

static void ladder_finish(void *tapdata)
{
    ladder *l = (ladder *)tapdata;
    if (l->counted)
        tlp_ladder_listeners--;
    g_hash_table_destroy(l->rows);
    g_array_free(l->order, TRUE);
    g_free(l);
}

static TLP_STAT_INIT_RET ladder_init(const char *opt_arg, void *userdata _U_)
{
    ladder *l = g_new0(ladder, 1);
    l->stream = -1;
    gchar **parts = g_strsplit(opt_arg, ",", -1);
    for (guint i = 2; parts[0] && parts[1] && parts[i]; i++) {
        if (g_ascii_isdigit(parts[i][0]))
            l->stream = g_ascii_strtoll(parts[i], NULL, 10);
        else if (strcmp(parts[i], "ascii") == 0)
            l->ascii = TRUE;
        else if (strcmp(parts[i], "svg") == 0)
            l->svg = TRUE;
    }
    g_strfreev(parts);
    l->rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_rows);
    l->order = g_array_new(FALSE, FALSE, sizeof(guint32));
    /* Naming the fields makes Wireshark fill them for this listener. */
    GString *err = register_tap_listener("tcplife", l, "tcp.seq_raw || tcp.ack_raw || tcp.flags",
                                         TL_REQUIRES_PROTO_TREE, ladder_reset, ladder_packet,
                                         ladder_draw, ladder_finish);
    if (err) {
        fprintf(stderr, "tshark: tcplife,ladder: %s\n", err->str);
        g_string_free(err, TRUE);
        ladder_finish(l);
        TLP_STAT_INIT_FAIL;
    }
    count_listener(l);
    TLP_STAT_INIT_OK;
}

/* GUI: Statistics > TCP Connection Lifecycle Ladder: a text window fed by
 * the same listener. Qt's funnel menus only call this callback (the retap
 * flag given to funnel_register_menu is stored but not acted on), so the
 * callback retaps the capture itself, as Lua menu scripts do; otherwise the
 * window would show an empty ladder until something else retapped. */
static void window_closed(void *data)
{
    ladder *l = (ladder *)data;
    remove_tap_listener(l);
    ladder_finish(l);
}

static void gui_ladder(gpointer data _U_)
{
    const funnel_ops_t *ops = funnel_get_funnel_ops();
    if (!ops)
        return;
    ladder *l = g_new0(ladder, 1);
    l->stream = -1;
    l->rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_rows);
    l->order = g_array_new(FALSE, FALSE, sizeof(guint32));
    l->window = ops->new_text_window(ops->ops_id, "TCP connection lifecycle: ladder");
    GString *err = register_tap_listener("tcplife", l, "tcp.seq_raw || tcp.ack_raw || tcp.flags",
                                         TL_REQUIRES_PROTO_TREE, ladder_reset, ladder_packet,
                                         ladder_draw, NULL);
    if (err) {
        ops->set_text(l->window, err->str);
        g_string_free(err, TRUE);
        ladder_finish(l);
        return;
    }
    count_listener(l);
    ops->set_close_cb(l->window, window_closed, l);
    if (ops->retap_packets)
        ops->retap_packets(ops->ops_id);
}

void tlp_ladder_register(void)
{
    /* The Qt main window places dynamic menu items by group and silently
     * drops the groups it has no menu for, REGISTER_STAT_GROUP_GENERIC among
     * them: REGISTER_PACKET_STAT_GROUP_UNSORTED is the Statistics menu
     * itself (see stats.c). */
    funnel_register_menu("TCP Connection Lifecycle Ladder", REGISTER_PACKET_STAT_GROUP_UNSORTED,
                         gui_ladder, NULL, NULL, TRUE);
    /* -z only: a stat_tap_ui makes no menu item, its group is not used. */
    static stat_tap_ui ui = {REGISTER_PACKET_STAT_GROUP_UNSORTED, NULL, "tcplife,ladder",
                             ladder_init, 0, NULL};
    register_stat_tap_ui(&ui, NULL);
}

void tlp_ladder_handoff(void)
{
    hf_seq_raw = proto_registrar_get_id_byname("tcp.seq_raw");
    hf_ack_raw = proto_registrar_get_id_byname("tcp.ack_raw");
    hf_flags = proto_registrar_get_id_byname("tcp.flags");
}
