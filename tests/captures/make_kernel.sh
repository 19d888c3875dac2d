#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Regenerate the kernel_*.pcap captures: real Linux TCP on the loopback,
# one scenario per capture, driven by kernel_scenarios.py and recorded by
# tcpdump on that scenario's port only. Needs root (tcpdump on lo) and
# Debian's python3. Run: bash tests/captures/make_kernel.sh [scenario...]
#
# Kernel captures differ from run to run (ports, ISNs, timing, sometimes
# which segments merge), so the committed pcaps are the reference that
# tests/expected/*.tsv describe: after regenerating, re-check the tables.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3

# scenario  port (each scenario its own port, so the captures cannot mix)
SCENARIOS=(
    "close_client_first 47101"
    "close_server_first 47102"
    "three_segment_close 47103"
    "half_close 47104"
    "refused 47105"
    "abort_established 47106"
    "rst_after_fin 47107"
    "keepalive 47108"
    "port_reuse 47109"
)

capture() {
    local name="$1" port="$2"
    local out="$HERE/kernel_$name.pcap" log
    log="$(mktemp)"
    # The filter also matches the client port of port_reuse (port+1) only
    # through connections that involve the server port.
    timeout 30 tcpdump -i lo -s 0 -U -n --immediate-mode -Z root -w "$out" "tcp port $port" 2>"$log" &
    local pid=$!
    for _ in $(seq 1 50); do            # wait (at most 5 s) until tcpdump listens
        grep -q "listening on" "$log" && break
        sleep 0.1
    done
    timeout 20 "$PY" "$HERE/kernel_scenarios.py" "$name" "$port" ||
        echo "scenario $name exited with $?" >&2
    sleep 0.5                             # let the last segments be written
    kill -INT "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$log"
    echo "kernel_$name.pcap: $(tshark -r "$out" 2>/dev/null | wc -l) frames"
}

want=("$@")
for s in "${SCENARIOS[@]}"; do
    set -- $s
    if [ ${#want[@]} -eq 0 ] || [[ " ${want[*]} " == *" $1 "* ]]; then
        capture "$1" "$2"
    fi
done
