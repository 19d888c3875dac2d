#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every test: install what is missing, build with warnings as errors, run
# the core's unit tests under ASan+UBSan, then all tests (unit and tshark
# integration) against the plugin build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build-asan -DTCPLIFE_PLUGIN=OFF -DTCPLIFE_SANITIZE=ON -DTCPLIFE_WERROR=ON > /dev/null
cmake --build build-asan -j "$jobs" > /dev/null
(cd build-asan && ctest --output-on-failure -L unit)

# The core under libFuzzer (clang, ASan+UBSan) for a fixed short time:
# invariant violations and sanitizer reports fail the run.
bash tests/fuzz/run_fuzz.sh "${TCPLIFE_FUZZ_SECONDS:-60}"

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPLIFE_WERROR=ON > /dev/null
cmake --build build -j "$jobs" > /dev/null
(cd build && ctest --output-on-failure -j "$jobs")

# The same build and tests against Wireshark 4.4 (a Debian trixie chroot made
# with debootstrap, then reused): one source for several Wireshark versions.
# TCPLIFE_MATRIX="" skips it, "4.4 4.6" adds sid's 4.6.
matrix=${TCPLIFE_MATRIX-4.4}
if [ -n "$matrix" ]; then
    # shellcheck disable=SC2086
    timeout 2700 bash scripts/matrix.sh $matrix
fi
