/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcplife_unit: runs every core unit test case (tests.h), or only those whose
 * name contains argv[1]. Prints each failing check, then one line per case
 * and the plain "N passed, N failed" closing line. Exit status 1 on failure.
 */
#define TH_IMPLEMENTATION
#include "harness.h"
#include "tests.h"

struct th_case {
    const char *name;
    void (*fn)(void);
};

#define TL_UNIT_ENTRY(fn) {#fn, fn},
static const struct th_case cases[] = {TL_UNIT_TESTS(TL_UNIT_ENTRY)};
#undef TL_UNIT_ENTRY

int main(int argc, char **argv)
{
    unsigned passed = 0, failed = 0;
    const char *filter = argc > 1 ? argv[1] : NULL;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (filter && !strstr(cases[i].name, filter))
            continue;
        unsigned long before = th_failed_checks;
        th_test_name = cases[i].name;
        cases[i].fn();
        if (th_failed_checks == before) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s (%lu failed checks)\n", cases[i].name, th_failed_checks - before);
        }
        fflush(stdout);
    }
    printf("%lu checks, %lu failed\n", th_checks, th_failed_checks);
    printf("unit: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
