/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to the core: the evidence-to-state function. */
#ifndef TCPLIFE_CORE_STATE_H
#define TCPLIFE_CORE_STATE_H

#include "tcplife/tcplife.h"

tl_state tl_derive_state(const tl_endpoint *e, tl_role role);

#endif
