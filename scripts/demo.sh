#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: install what is missing, build, and print the annotated
# lifecycle of the bundled capture (a browser loading a page from a web
# server on 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j "$(nproc)" > /dev/null
scripts/lifecycle demo/demo.pcap
