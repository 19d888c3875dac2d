/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-connection table (SPEC §7): `tshark -z tcplife,conns[,FILTER]`
 * and the same table under the GUI's Statistics menu, through Wireshark's
 * stat-table API.
 *
 * A connection gets a row when one of its segments passes the tap (and the
 * optional filter). Its cells are then rewritten from the connection's
 * record on every later segment of that connection, filtered or not, so a
 * single pass ends with the same rows as `-2`, whose second pass already
 * sees the whole capture.
 *
 * The table's strings are not its own: they point at the connection's text
 * (endpoints, history), at static names, or at the row's step text below.
 * TShark prints every cell with two printf calls, so each column costs
 * about as much per connection as a segment's whole first pass: the three
 * handshake and four teardown frames are two text columns, "1 2 3" and
 * "21 25 25 26" ("-" for a step not seen).
 */
#include <wireshark.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "tcplife-plugin.h"

enum {
    COL_STREAM,
    COL_CLIENT,
    COL_SERVER,
    COL_STATE,
    COL_HISTORY,
    COL_CLOSER,
    COL_HANDSHAKE,
    COL_TEARDOWN,
    COL_RST,
    COL_DURATION,
    COL_HTTP,
    N_COLS
};

static stat_tap_table_item fields[N_COLS] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Stream", "%6u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Client", "%-22s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Server", "%-22s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "State", "%-6s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "History", "%-12s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Closer", "%-6s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Handshake", "%-17s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Teardown", "%-23s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "RST", "%5u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Duration", "%10.6f"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "HTTP", "%4u"},
};

static tap_param params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};

/* A table in use, and which of its rows holds which stream. */
/* What a row's string cells were last made from: a segment rewrites only
 * the cells whose source changed (most segments change none of them). */
typedef struct row_source {
    stat_tap_table_item_type *cells; /* the row's cells (stable once made) */
    guint32 steps[7];                /* handshake and teardown frames shown */
    guint8 step_off[7];              /* where each is in its text */
    const char *state;               /* tl_zeek_conn_state(): a static string */
    guint8 zeek_states[2];           /* ... made from these, */
    guint8 zeek_orig;
    guint8 history_gen;              /* ... and the history */
    guint8 closer;
    guint8 client_dir;
    guint8 valid;
} row_source;

/* A row's step columns: 3 and 4 frame numbers of up to 10 digits. */
typedef struct step_text {
    char handshake[3 * 11];
    char teardown[4 * 11];
} step_text;

#define TEXT_CHUNK 1024u /* rows of step text per allocation (never moved) */

typedef struct live_table {
    stat_tap_table *table;
    guint32 *row_of;  /* by tcp.stream: row + 1, 0 for none */
    guint32 row_of_cap;
    guint allocated;  /* rows whose cells table->elements holds, used or not */
    guint row_array_cap; /* room in table->elements */
    row_source *src;  /* by row, src_cap of them */
    guint src_cap;
    GPtrArray *text;  /* of step_text[TEXT_CHUNK]: the cells point into them */
    guint32 filled_frame; /* this frame's first pass has just rewritten its row */
} live_table;

/* The row of a stream + 1, 0 for none. */
static inline guint32 row_of(const live_table *lt, guint32 stream)
{
    return stream < lt->row_of_cap ? lt->row_of[stream] : 0;
}

static GPtrArray *live; /* of live_table* */
static int tap_id = -1;
static const char table_name[] = "TCP connections";

static live_table *find_live(const stat_tap_table *table)
{
    for (guint i = 0; live && i < live->len; i++) {
        live_table *lt = g_ptr_array_index(live, i);
        if (lt->table == table)
            return lt;
    }
    return NULL;
}

static void forget_table(const stat_tap_table *table)
{
    live_table *lt = find_live(table);
    if (lt) {
        g_free(lt->row_of);
        g_free(lt->src);
        if (lt->text)
            g_ptr_array_free(lt->text, TRUE);
        g_ptr_array_remove(live, lt);
        g_free(lt);
    }
}

static step_text *row_text(live_table *lt, guint row)
{
    if (!lt->text)
        lt->text = g_ptr_array_new_with_free_func(g_free);
    while (row / TEXT_CHUNK >= lt->text->len)
        g_ptr_array_add(lt->text, g_new(step_text, TEXT_CHUNK));
    return &((step_text *)g_ptr_array_index(lt->text, row / TEXT_CHUNK))[row % TEXT_CHUNK];
}

/* "21 25 25 26": frame numbers, "-" for 0. Steps arrive one by one, so
 * the text is rewritten from the first step that changed (off[i]: where
 * step i's text starts, with its separator). */
static void format_steps(char *out, guint8 *off, const guint32 *frames, const guint32 *shown,
                         guint n, gboolean valid)
{
    guint k = 0;
    while (valid && k < n && frames[k] == shown[k])
        k++;
    char *p = out + (k ? off[k] : 0);
    for (guint i = k; i < n; i++) {
        off[i] = (guint8)(p - out);
        if (i)
            *p++ = ' ';
        if (frames[i])
            p = tlp_put_decimal(p, frames[i]);
        else
            *p++ = '-';
    }
    *p = '\0';
}

/* Zeek's conn_state is a function of the endpoints' states and, for
 * RSTOS0, the history; with a responder reset, also of sizes. */
static const char *conn_state(row_source *src, const tl_zeek *z)
{
    guint8 o = z->ep[z->orig].state, r = z->ep[!z->orig].state;
    if (!src->state || r == TL_ZEEK_RESET || o != src->zeek_states[0] ||
        r != src->zeek_states[1] || z->orig != src->zeek_orig ||
        (o == TL_ZEEK_RESET && z->history_gen != src->history_gen)) {
        src->zeek_states[0] = o;
        src->zeek_states[1] = r;
        src->zeek_orig = z->orig;
        return tl_zeek_conn_state(z);
    }
    return src->state;
}

static void fill_row(live_table *lt, guint row, guint32 stream, const tlp_conn *conn)
{
    const tl_conn *c = &conn->core;
    row_source *src = &lt->src[row];
    if (!src->cells)
        src->cells = stat_tap_get_field_data(lt->table, row, 0);
    stat_tap_table_item_type *cell = src->cells;
    if (!src->valid) {
        cell[COL_STREAM].value.uint_value = stream;
        /* The connection's own buffer: it stays current by itself. */
        cell[COL_HISTORY].value.string_value = tl_zeek_history(&conn->zeek);
    }
    if (!src->valid || src->client_dir != c->client_dir) {
        cell[COL_CLIENT].value.string_value = tlp_conn_endpoint(conn, TL_CLIENT);
        cell[COL_SERVER].value.string_value = tlp_conn_endpoint(conn, TL_SERVER);
        src->client_dir = c->client_dir;
    }
    const char *state = conn_state(src, &conn->zeek);
    cell[COL_STATE].value.string_value = src->state = state;
    src->history_gen = conn->zeek.history_gen;
    if (!src->valid || src->closer != c->closer) {
        cell[COL_CLOSER].value.string_value = tl_closer_name(c->closer);
        src->closer = c->closer;
    }
    if (!src->valid || memcmp(src->steps, c->hs_frame, sizeof c->hs_frame) != 0) {
        step_text *t = row_text(lt, row);
        format_steps(t->handshake, src->step_off, c->hs_frame, src->steps, 3, src->valid);
        cell[COL_HANDSHAKE].value.string_value = t->handshake;
        memcpy(src->steps, c->hs_frame, sizeof c->hs_frame);
    }
    if (!src->valid || memcmp(src->steps + 3, c->td_frame, sizeof c->td_frame) != 0) {
        step_text *t = row_text(lt, row);
        format_steps(t->teardown, src->step_off + 3, c->td_frame, src->steps + 3, 4, src->valid);
        cell[COL_TEARDOWN].value.string_value = t->teardown;
        memcpy(src->steps + 3, c->td_frame, sizeof c->td_frame);
    }
    src->valid = 1;
    cell[COL_RST].value.uint_value = c->rst_frame;
    cell[COL_DURATION].value.float_value = (double)tl_conn_duration_us(c) / 1e6;
    cell[COL_HTTP].value.uint_value = conn->http_exchanges;
}

static guint add_row(live_table *lt, guint32 stream)
{
    stat_tap_table_item_type items[N_COLS];
    memset(items, 0, sizeof items);
    for (guint i = 0; i < N_COLS; i++)
        items[i].type = fields[i].type;
    for (guint i = 0; i < N_COLS; i++)
        if (items[i].type == TABLE_ITEM_STRING)
            items[i].value.string_value = "";
    guint row = lt->table->num_elements;
    if (row >= lt->allocated) {
        /* stat_tap_init_table_row() reallocates the row array one row at a
         * time (a realloc per connection): its capacity grows by doubling
         * here instead; each row's cells are allocated as it is used. */
        if (row >= lt->row_array_cap) {
            lt->row_array_cap = MAX(64u, lt->row_array_cap * 2);
            lt->table->elements = g_renew(stat_tap_table_item_type *, lt->table->elements,
                                          lt->row_array_cap);
        }
        lt->table->elements[row] = g_new(stat_tap_table_item_type, N_COLS);
        lt->allocated = row + 1;
    }
    /* A new row, or one emptied by table_reset: (re)set its cells. */
    memcpy(lt->table->elements[row], items, sizeof items);
    lt->table->num_elements = row + 1;
    if (row >= lt->src_cap) {
        lt->src_cap = MAX(64, MAX(row + 1, lt->src_cap * 2));
        lt->src = g_renew(row_source, lt->src, lt->src_cap);
    }
    memset(&lt->src[row], 0, sizeof lt->src[row]);
    if (stream >= lt->row_of_cap) {
        guint32 n = MAX(1024, lt->row_of_cap);
        while (n <= stream && n < G_MAXUINT32 / 2)
            n *= 2;
        n = MAX(n, stream + 1);
        lt->row_of = g_renew(guint32, lt->row_of, n);
        memset(lt->row_of + lt->row_of_cap, 0, (n - lt->row_of_cap) * sizeof *lt->row_of);
        lt->row_of_cap = n;
    }
    lt->row_of[stream] = row + 1;
    return row;
}

gboolean tlp_stats_update(guint32 frame, guint32 stream, const tlp_conn *conn)
{
    gboolean all = live && live->len > 0;
    for (guint i = 0; live && i < live->len; i++) {
        live_table *lt = g_ptr_array_index(live, i);
        guint32 row = row_of(lt, stream);
        if (row) {
            fill_row(lt, row - 1, stream, conn);
            lt->filled_frame = frame;
        } else {
            all = FALSE;
        }
    }
    return all;
}

void tlp_stats_queue(packet_info *pinfo, const tlp_frame *f)
{
    if (have_tap_listener(tap_id))
        tap_queue_packet(tap_id, pinfo, f);
}

/* Is this table still one of the UI's? */
static gboolean ui_has_table(const stat_tap_table_ui *ui, const stat_tap_table *table)
{
    for (guint i = 0; ui->tables && i < ui->tables->len; i++)
        if (g_array_index(ui->tables, stat_tap_table *, i) == table)
            return TRUE;
    return FALSE;
}

static void table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, table_name);
    if (!live)
        live = g_ptr_array_new();
    if (!table) {
        /* A table freed while empty never reached table_free_item: forget
         * it now, before a new table can be allocated at its address. */
        for (guint i = live->len; i-- > 0;) {
            live_table *lt = g_ptr_array_index(live, i);
            if (!ui_has_table(ui, lt->table))
                forget_table(lt->table);
        }
        table = stat_tap_init_table(table_name, N_COLS, 0, NULL);
        stat_tap_add_table(ui, table);
    }
    if (!find_live(table)) {
        live_table *lt = g_new0(live_table, 1);
        lt->table = table;
        g_ptr_array_add(live, lt);
    }
}

static tap_packet_status table_packet(void *tapdata, packet_info *pinfo,
                                      epan_dissect_t *edt _U_, const void *data,
                                      tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    const tlp_frame *f = (const tlp_frame *)data;
    stat_tap_table *table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    live_table *lt = find_live(table);
    guint32 stream = tlp_frame_stream(f, pinfo->num);
    const tlp_conn *conn = tlp_store_conn(stream, FALSE);
    if (!lt || !conn)
        return TAP_PACKET_DONT_REDRAW;
    guint32 row = row_of(lt, stream);
    /* Taps run after the frame is marked visited, first pass or not: the
     * mark left by tlp_stats_update() tells a first pass. */
    gboolean just_filled = lt->filled_frame == pinfo->num;
    lt->filled_frame = 0;
    if (row && just_filled)
        return TAP_PACKET_REDRAW;
    guint r = row ? row - 1 : add_row(lt, stream);
    fill_row(lt, r, stream, conn);
    return TAP_PACKET_REDRAW;
}

/* Every retap starts from no rows. The rows' cells stay allocated and are
 * reused by add_row: two GUI dialogs of this table share it, and the one
 * not retapping keeps pointers to those cells (Wireshark's own tables keep
 * their rows on reset and only zero them). */
static void table_reset(stat_tap_table *table)
{
    live_table *lt = find_live(table);
    if (lt && lt->row_of)
        memset(lt->row_of, 0, lt->row_of_cap * sizeof *lt->row_of);
    if (lt)
        lt->filled_frame = 0;
    /* The cells' strings belong to the connections, which go away with the
     * capture file: nothing may point at them after a reset. */
    for (guint row = 0; row < table->num_elements; row++)
        for (guint col = 0; col < table->num_fields; col++) {
            stat_tap_table_item_type *it = stat_tap_get_field_data(table, row, col);
            if (it->type == TABLE_ITEM_STRING)
                it->value.string_value = "";
        }
    table->num_elements = 0;
}

/* Called as the GUI or TShark frees a table: the table is going away. */
static void table_free_item(stat_tap_table *table, guint row _U_, guint column,
                            stat_tap_table_item_type *field)
{
    live_table *lt = find_live(table);
    if (lt) {
        /* Wireshark frees the rows in use; rows emptied by a reset or
         * not reused yet are ours to free. */
        for (guint r = table->num_elements; r < lt->allocated; r++)
            g_free(table->elements[r]);
        forget_table(table);
    }
    (void)column;
    /* Its strings were never the table's (see the top of this file). */
    field->value.string_value = NULL;
}

void tlp_stats_register(int proto)
{
    /* The group decides where the Qt GUI puts the menu item. Its main
     * window sorts dynamic items into menus by group and drops every group
     * it has no menu for: REGISTER_STAT_GROUP_GENERIC is listed but falls
     * to "default: return" in WiresharkMainWindow::addMenuActions, so with
     * it the table worked in TShark and never appeared in the GUI.
     * REGISTER_PACKET_STAT_GROUP_UNSORTED is the Statistics menu itself
     * (next to "DHCP (BOOTP) Statistics"). */
    static stat_tap_table_ui ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        "TCP Connection Lifecycle",
        "tcplife",
        "tcplife,conns",
        table_init,
        table_packet,
        table_reset,
        table_free_item,
        NULL,
        N_COLS,
        fields,
        G_N_ELEMENTS(params),
        params,
        NULL,
        0,
    };
    tap_id = register_tap("tcplife");
    (void)proto;
    register_stat_tap_table_ui(&ui);
}
