#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer target with clang (ASan + UBSan) and fuzz the core for
# a bounded time, starting from the seed corpus; print the executions.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [--install-clang] [-- LIBFUZZER-ARGS...]
#
# SECONDS defaults to 60. --install-clang installs Debian's clang and its
# libFuzzer runtime when clang is missing (otherwise a missing clang is an
# error). New inputs go to $BUILD/corpus (never into the source tree), crash
# inputs to $BUILD/artifacts/; BUILD is $TCPLIFE_FUZZ_BUILD or
# build-fuzz-clang. Exit status: libFuzzer's (non-zero when it found a
# crash or an invariant violation).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=60
install=0
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --install-clang) install=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "run_fuzz.sh: bad argument: $1" >&2; exit 2 ;;
    *) secs=$1 ;;
    esac
    shift
done

# clang and its libFuzzer runtime: link a trivial target to be sure.
have_fuzzer() {
    command -v clang > /dev/null || return 1
    local t
    t=$(mktemp -d)
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
        > "$t/probe.c"
    clang -fsanitize=fuzzer,address,undefined "$t/probe.c" -o "$t/probe" > /dev/null 2>&1
    local rc=$?
    rm -rf "$t"
    return $rc
}
if ! have_fuzzer; then
    if [ "$install" = 0 ]; then
        echo "run_fuzz.sh: clang with libFuzzer not found (rerun with --install-clang)" >&2
        exit 2
    fi
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        clang libclang-rt-dev
fi

build=${TCPLIFE_FUZZ_BUILD:-$root/build-fuzz-clang}
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTCPLIFE_FUZZ=ON -DTCPLIFE_PLUGIN=OFF > /dev/null
cmake --build "$build" --target tcplife_fuzz -j "$(nproc)" > /dev/null
mkdir -p "$build/corpus" "$build/artifacts"

log="$build/fuzz.log"
echo "Fuzzing for $secs s (log: $log)"
rc=0
"$build/tests/fuzz/tcplife_fuzz" -max_total_time="$secs" -max_len=1024 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/" "${extra[@]}" \
    "$build/corpus" "$here/corpus" > "$log" 2>&1 || rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
time=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
grep -E '^#[0-9]+ +(INITED|DONE)' "$log" | tail -n 2 || true
echo "executions: ${runs:-?} (${time:-?} exec/s)"
if [ "$rc" != 0 ]; then
    grep -E 'invariant violated|ERROR: (AddressSanitizer|libFuzzer)|runtime error|Test unit written' \
        "$log" | head -n 20 >&2 || true
    echo "run_fuzz.sh: the fuzzer failed (exit $rc); reproduce with" >&2
    echo "  $build/tests/fuzz/tcplife_fuzz $build/artifacts/<file>" >&2
    echo "and print its segments with tcplife_fuzz_replay -d <file> (any build)" >&2
fi
exit "$rc"
