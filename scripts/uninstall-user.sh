#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Undo scripts/install-user.sh for the current user:
#   scripts/uninstall-user.sh [--keep-profile]
# Removes tcplife.so from every ~/.local/lib/wireshark/plugins/<version>/epan/
# and the profile folder <personal configuration>/profiles/tcplife (same
# rule as install-user.sh; --keep-profile leaves it, with any edits made in
# the GUI). Folders left empty are removed; nothing else is touched.
set -euo pipefail
keep=0
while [ $# -gt 0 ]; do
    case $1 in
        --keep-profile) keep=1; shift ;;
        -h|--help) sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "uninstall-user: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
home=${HOME:?HOME is not set}
# shellcheck source=wireshark-config-dir.sh
. "$(dirname "$0")/wireshark-config-dir.sh"
conf=$(wireshark_config_dir "$home")

removed=0
for so in "$home"/.local/lib/wireshark/plugins/*/epan/tcplife.so; do
    [ -e "$so" ] || continue
    rm -f "$so"
    echo "removed $so"
    d=$(dirname "$so")
    rmdir --ignore-fail-on-non-empty "$d" "$(dirname "$d")" 2>/dev/null || true
    removed=1
done
if [ $keep = 0 ] && [ -d "$conf/profiles/tcplife" ]; then
    rm -rf "$conf/profiles/tcplife"
    echo "removed $conf/profiles/tcplife/"
    rmdir --ignore-fail-on-non-empty "$conf/profiles" 2>/dev/null || true
    removed=1
fi
[ $removed = 1 ] || echo "nothing to remove"
