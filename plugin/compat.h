/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Wireshark API drift between 4.0, 4.4 and 4.6, settled by configure-time
 * compile checks (CMake defines the HAVE_ macros), not by version numbers.
 */
#ifndef TCPLIFE_COMPAT_H
#define TCPLIFE_COMPAT_H

#include <epan/proto.h>

/* field_info::value is an embedded fvalue_t in 4.0 and a pointer from 4.4. */
#ifdef TCPLIFE_HAVE_FI_VALUE_PTR
#define TLP_FI_VALUE(fi) ((fi)->value)
#else
#define TLP_FI_VALUE(fi) (&(fi)->value)
#endif

/* Boolean preferences take gboolean* in 4.0 and bool* from 4.4. */
#ifdef TCPLIFE_HAVE_BOOL_PREFS
typedef bool tlp_pref_bool;
#else
typedef gboolean tlp_pref_bool;
#endif

/* tvb_get_guint8 is deprecated from 4.4 in favour of tvb_get_uint8, which
 * 4.0 does not have. */
#ifndef TCPLIFE_HAVE_TVB_GET_UINT8
#define tvb_get_uint8 tvb_get_guint8
#endif

#endif
