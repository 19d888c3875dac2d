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

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPLIFE_WERROR=ON > /dev/null
cmake --build build -j "$jobs" > /dev/null
cd build && ctest --output-on-failure -j "$jobs"
