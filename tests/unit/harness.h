/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny assertion harness for the core's unit tests: no framework, no
 * allocation. Every CHECK counts one check; a failing one prints where and
 * why and the run goes on, so one wrong transition does not hide the next.
 * main.c defines the counters (TH_IMPLEMENTATION) and closes with the plain
 * "N passed, N failed" line CI reads.
 */
#ifndef TCPLIFE_UNIT_HARNESS_H
#define TCPLIFE_UNIT_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern unsigned long th_checks;        /* checks run */
extern unsigned long th_failed_checks; /* checks that failed */
extern const char *th_test_name;       /* the test case running now */

/* Count one check; when !ok print file:line and the formatted reason. */
bool th_check(bool ok, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#define CHECK(cond) th_check((cond) ? true : false, __FILE__, __LINE__, "%s", #cond)

#define CHECK_U(exp, got)                                                                          \
    do {                                                                                           \
        unsigned long long e_ = (unsigned long long)(exp);                                         \
        unsigned long long g_ = (unsigned long long)(got);                                         \
        th_check(e_ == g_, __FILE__, __LINE__, "%s: expected %llu (0x%llx), got %llu (0x%llx)",   \
                 #got, e_, e_, g_, g_);                                                            \
    } while (0)

#define CHECK_STR(exp, got)                                                                        \
    do {                                                                                           \
        const char *e_ = (exp), *g_ = (got);                                                       \
        th_check(g_ != NULL && strcmp(e_, g_) == 0, __FILE__, __LINE__,                            \
                 "%s: expected \"%s\", got \"%s\"", #got, e_, g_ ? g_ : "(null)");                 \
    } while (0)

#define CHECK_PREFIX(prefix, got)                                                                  \
    do {                                                                                           \
        const char *e_ = (prefix), *g_ = (got);                                                    \
        th_check(g_ != NULL && strncmp(e_, g_, strlen(e_)) == 0, __FILE__, __LINE__,               \
                 "%s: expected to start with \"%s\", got \"%s\"", #got, e_, g_ ? g_ : "(null)");   \
    } while (0)

#ifdef TH_IMPLEMENTATION
unsigned long th_checks;
unsigned long th_failed_checks;
const char *th_test_name = "?";

bool th_check(bool ok, const char *file, int line, const char *fmt, ...)
{
    th_checks++;
    if (ok)
        return true;
    th_failed_checks++;
    fprintf(stderr, "FAIL %s (%s:%d): ", th_test_name, file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}
#endif

#endif
