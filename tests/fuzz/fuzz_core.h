/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the replay main (replay.c) needs of a fuzz target: the core's
 * (fuzz_core.c: input format at its top, seeds by make_seeds.py) and the
 * HTTP tracker's (fuzz_http.c, seeds by make_seeds_http.py) both define
 * the hooks below and LLVMFuzzerTestOneInput (fz_decode is the core
 * target's own), and each is linked with replay.c into its own binary.
 */
#ifndef TCPLIFE_FUZZ_CORE_H
#define TCPLIFE_FUZZ_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "tcplife/tcplife.h"

/* At most this many segments are decoded from one input. */
#define FZ_MAX_SEGMENTS 512

/* Decode data into at most max segments; returns how many. */
size_t fz_decode(const uint8_t *data, size_t size, tl_segment *segs, size_t max);

/* When non-zero, LLVMFuzzerTestOneInput prints every decoded segment and its
 * result on stdout (replay -d): the way to turn a crash file into a
 * segment-sequence reproducer. */
extern int fz_verbose;

/* The determinism check (a second run on a fresh tl_conn) is done for one
 * input in this many; replay.c sets 1. */
extern unsigned fz_determinism_every;

/* Called after an invariant violation has been printed; abort() when NULL
 * (libFuzzer). replay.c sets it to go on with the next input. */
extern void (*fz_on_failure)(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
