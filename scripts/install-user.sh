#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install tcplife for the current (non-root) user, no root needed:
#   scripts/install-user.sh [--build DIR] [--no-build] [--force]
# Builds the plugin if needed (default build folder: build/; --no-build
# takes the tcplife.so already there), then copies
#   tcplife.so -> ~/.local/lib/wireshark/plugins/<major.minor>/epan/
#   profile    -> <personal configuration>/profiles/tcplife
# where the personal configuration is $WIRESHARK_CONFIG_DIR if set, else
# ~/.config/wireshark (or ~/.wireshark if only that exists), as Wireshark
# itself decides. Undo with scripts/uninstall-user.sh.
# Wireshark ignores personal plugin folders when it runs as root, so as root
# this refuses unless --force (system-wide: `sudo cmake --install build` or
# the .deb from `cpack -G DEB`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build
force=0
nobuild=0
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$(realpath -m "$2"); shift 2 ;;
        --force) force=1; shift ;;
        --no-build) nobuild=1; shift ;;
        -h|--help) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-user: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" = 0 ] && [ $force = 0 ]; then
    cat >&2 <<'EOF'
install-user: you are root. Wireshark ignores personal plugin folders when it
runs as root, so this would install a plugin nobody loads. Run this script as
the user who runs Wireshark, or install system-wide with
  cmake --install build        (or: cd build && cpack -G DEB && dpkg -i tcplife_*.deb)
(--force installs into root's home anyway.)
EOF
    exit 2
fi

# Build if needed: configure once, then an incremental build of the plugin
# (nothing to do when it is up to date).
if [ $nobuild = 1 ]; then
    :
elif ! command -v cmake >/dev/null || ! pkg-config --exists wireshark 2>/dev/null; then
    if ! find "$build/plugins" -name tcplife.so 2>/dev/null | grep -q .; then
        echo "install-user: need cmake and wireshark-dev to build (as root: bash scripts/deps.sh)" >&2
        exit 1
    fi
else
    [ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target tcplife -j "$(nproc)" >/dev/null
fi
so=$(find "$build/plugins" -name tcplife.so | head -n 1)
[ -n "$so" ] || { echo "install-user: no tcplife.so under $build/plugins" >&2; exit 1; }
ver=$(basename "$(dirname "$(dirname "$so")")")

# A plugin built for another major.minor is refused by Wireshark at start-up.
if command -v tshark >/dev/null; then
    have=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    if [ -n "$have" ] && [ "$have" != "$ver" ]; then
        echo "install-user: warning: plugin built for Wireshark $ver, installed Wireshark is $have" >&2
    fi
fi

home=${HOME:?HOME is not set}
plugdir=$home/.local/lib/wireshark/plugins/$ver/epan
# shellcheck source=wireshark-config-dir.sh
. "$(dirname "$0")/wireshark-config-dir.sh"
conf=$(wireshark_config_dir "$home")
profile=$conf/profiles/tcplife

mkdir -p "$plugdir" "$profile"
install -m 0644 "$so" "$plugdir/tcplife.so"
# Wireshark rewrites a profile's files when its preferences or colours are
# changed in the GUI: keep such edits as *.bak rather than losing them.
for f in "$here"/profile/tcplife/*; do
    dst=$profile/$(basename "$f")
    if [ -f "$dst" ] && ! cmp -s "$f" "$dst"; then
        cp -p "$dst" "$dst.bak"
        echo "install-user: kept your previous $(basename "$f") as $dst.bak"
    fi
    install -m 0644 "$f" "$dst"
done
echo "installed $plugdir/tcplife.so"
echo "installed $profile/"

if [ "$(id -u)" != 0 ] && command -v tshark >/dev/null; then
    if tshark -G plugins 2>/dev/null | grep -q 'tcplife\.so'; then
        echo "tshark -G plugins lists tcplife: ok"
    else
        echo "install-user: warning: tshark -G plugins does not list tcplife (WIRESHARK_PLUGIN_DIR set? version mismatch?)" >&2
    fi
fi
echo "Use it: wireshark -C tcplife FILE   (or Edit → Configuration Profiles → tcplife)"
