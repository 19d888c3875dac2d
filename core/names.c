/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Names of the core's enums, generated from the X-macro lists in tcplife.h
 * so that the core, the plugin's value_strings and the tests agree.
 */
#include "tcplife/tcplife.h"

#define TL_NAME_ITEM(sym, name) name,

static const char *const state_names[] = {TL_STATE_LIST(TL_NAME_ITEM)};
static const char *const phase_names[] = {TL_PHASE_LIST(TL_NAME_ITEM)};
static const char *const role_names[] = {TL_ROLE_LIST(TL_NAME_ITEM)};
static const char *const closer_names[] = {TL_CLOSER_LIST(TL_NAME_ITEM)};

#define LOOKUP(table, i) ((i) < sizeof(table) / sizeof((table)[0]) ? (table)[i] : "?")

const char *tl_state_name(unsigned s)
{
    return LOOKUP(state_names, s);
}

const char *tl_phase_name(unsigned p)
{
    return LOOKUP(phase_names, p);
}

const char *tl_role_name(unsigned r)
{
    return LOOKUP(role_names, r);
}

const char *tl_closer_name(unsigned c)
{
    return LOOKUP(closer_names, c);
}
