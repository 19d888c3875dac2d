/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fuzz target's input format, shared by the libFuzzer entry point
 * (fuzz_core.c) and the replay main (replay.c). The format itself is
 * described at the top of fuzz_core.c; tests/fuzz/make_seeds.py writes it.
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
