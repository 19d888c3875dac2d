#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer targets with clang (ASan + UBSan) and fuzz the core
# (tcplife_fuzz) then the HTTP tracker (tcplife_fuzz_http), half the time
# each, starting from their seed corpora; print the executions of each.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [--install-clang] [-- LIBFUZZER-ARGS...]
#
# SECONDS (in all) defaults to 60. --install-clang installs Debian's clang
# and its libFuzzer runtime when clang is missing (otherwise an error). New
# inputs go to $BUILD/corpus and $BUILD/corpus-http (never into the source
# tree), crash inputs to $BUILD/artifacts/ and $BUILD/artifacts-http/; BUILD
# is $TCPLIFE_FUZZ_BUILD or build-fuzz-clang. LIBFUZZER-ARGS go to both.
# Exit status: non-zero when either target found a crash or a violation.
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
    -h|--help) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
cmake --build "$build" --target tcplife_fuzz tcplife_fuzz_http -j "$(nproc)" > /dev/null

# fuzz TARGET SEEDS SUFFIX MAX_LEN SECONDS: one target, its own corpus,
# artifacts and log ($build/fuzz$SUFFIX.log); returns libFuzzer's status.
fuzz() {
    local target=$1 seeds=$2 sfx=$3 max_len=$4 t=$5 rc=0
    local log="$build/fuzz$sfx.log"
    mkdir -p "$build/corpus$sfx" "$build/artifacts$sfx"
    echo "$target: fuzzing for $t s (log: $log)"
    "$build/tests/fuzz/$target" -max_total_time="$t" -max_len="$max_len" -print_final_stats=1 \
        -artifact_prefix="$build/artifacts$sfx/" "${extra[@]}" \
        "$build/corpus$sfx" "$here/$seeds" > "$log" 2>&1 || rc=$?
    local runs speed
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -n 2 || true
    echo "$target: executions: ${runs:-?} (${speed:-?} exec/s)"
    if [ "$rc" != 0 ]; then
        grep -E 'invariant violated|ERROR: (AddressSanitizer|libFuzzer)|runtime error|Test unit written' \
            "$log" | head -n 20 >&2 || true
        echo "run_fuzz.sh: $target failed (exit $rc); reproduce with" >&2
        echo "  $build/tests/fuzz/$target $build/artifacts$sfx/<file>" >&2
        echo "and print its events with ${target}_replay -d <file> (any build)" >&2
    fi
    return "$rc"
}

# Half the time each (libFuzzer reads -max_total_time=0 as "no limit").
half=$((secs / 2))
[ "$half" -gt 0 ] || half=1
rest=$((secs - half))
[ "$rest" -gt 0 ] || rest=1
rc=0
fuzz tcplife_fuzz corpus "" 1024 "$half" || rc=$?
fuzz tcplife_fuzz_http corpus-http -http 4096 "$rest" || rc=$?
exit "$rc"
