#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what building and testing tcplife needs, from Debian's packages,
# when it is missing. Needs root (or sudo) on Debian 12 or later.
set -euo pipefail
pkgs=(cmake gcc make pkg-config python3 tshark wireshark-dev libwireshark-dev
      libglib2.0-dev bsdextrautils util-linux
      wireshark-qt xvfb xauth   # the GUI tests: Qt Wireshark under a virtual display,
      dbus at-spi2-core python3-dbus xdotool  # its menus read through AT-SPI
      clang libclang-rt-dev     # the core's libFuzzer target (tests/fuzz/run_fuzz.sh)
      valgrind time)            # the benchmark's smoke run (bench/run.sh --quick)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "Installing: ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
