#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate docs/ladder/: the bundled capture's ladder as text, SVG, and a
# PNG rendered by headless Chromium (Debian package chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/ladder
tmp=$(mktemp -d /tmp/tcplife-ladder.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"; cp demo/demo.pcap "$tmp/"; chmod 644 "$tmp/demo.pcap"
scripts/tshark-tcplife -r "$tmp/demo.pcap" -q -z tcplife,ladder,0 > "$out/demo-stream0.txt"
scripts/tshark-tcplife -r "$tmp/demo.pcap" -q -z tcplife,ladder,0,svg > "$out/demo-stream0.svg"
cp "$out/demo-stream0.svg" "$tmp/l.svg"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --window-size=1180,420 \
    --screenshot="$out/demo-stream0.png" "file://$tmp/l.svg" > /dev/null 2>&1
ls -la "$out"
