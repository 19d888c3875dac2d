/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A main for a fuzz target without libFuzzer: runs every file named on the
 * command line (directories: every file in them, in name order) through
 * LLVMFuzzerTestOneInput, so a gcc build checks the seed corpus and the
 * regression inputs under ctest. An invariant violation aborts, as under
 * libFuzzer. Linked with fuzz_core.c (tcplife_fuzz_replay) or with
 * fuzz_http.c (tcplife_fuzz_http_replay): both define the hooks of
 * fuzz_core.h.
 *
 *   tcplife_fuzz_replay [-d] PATH...
 *
 * -d prints each decoded segment (or HTTP event) and its result: a crash
 * file becomes a sequence to quote in a report. Files whose names start
 * with "." or "README" are skipped.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_core.h"

static unsigned long inputs, failures;
static jmp_buf on_failure;

/* An invariant failed (already printed): count it, go on with the next
 * input. The target holds no resources across the jump. */
static void next_input(void) { longjmp(on_failure, 1); }

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        unsigned char *more = realloc(buf, cap * 2);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return 1;
    }
    if (fz_verbose)
        printf("# %s (%zu bytes)\n", path, len);
    inputs++;
    if (setjmp(on_failure) == 0) {
        LLVMFuzzerTestOneInput(buf, len);
    } else {
        fprintf(stderr, "fuzz_replay: FAILED: %s\n", path);
        failures++;
    }
    free(buf);
    return 0;
}

static int skip_name(const char *name) { return name[0] == '.' || strncmp(name, "README", 6) == 0; }

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);

    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return 1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        if (!skip_name(names[i]->d_name)) {
            size_t sz = strlen(path) + strlen(names[i]->d_name) + 2;
            char *full = malloc(sz);
            if (!full) {
                failed = 1;
            } else {
                snprintf(full, sz, "%s/%s", path, names[i]->d_name);
                struct stat fst;
                if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode))
                    failed |= run_file(full);
                free(full);
            }
        }
        free(names[i]);
    }
    free(names);
    return failed || failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    int failed = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-d") == 0) {
        fz_verbose = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-d] FILE-OR-DIR...\n", argv[0]);
        return 2;
    }
    fz_on_failure = next_input;
    fz_determinism_every = 1;
    for (int i = first; i < argc; i++)
        failed |= run_path(argv[i]);
    printf("fuzz_replay: %lu inputs, %lu violated an invariant\n", inputs, failures);
    if (inputs == 0) {
        fprintf(stderr, "fuzz_replay: no input found\n");
        return 1;
    }
    return failed || failures ? 1 : 0;
}
