#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make_workloads.sh: make the benchmark captures in bench/work/ (gitignored).
#
#   bench/make_workloads.sh [--quick] [--force] [--packets N]
#
# Full (default), each >= N packets (default 1,000,000):
#   keepalive.pcap  nginx on 127.0.0.1 serving a small static file, driven by
#                   wrk with HTTP keep-alive (8 connections, 1 thread).
#   close.pcap      the same with `Connection: close`: one request per
#                   connection, nginx closes first.
#   synthetic.pcap  100,000 ten-segment connections written by gen_synthetic.py.
#   *.meta          packets, connections (tcp.stream count), tcpdump drops.
# --quick makes only quick.pcap (2,000 synthetic connections, 20,000 packets),
# without nginx or wrk: enough for the CI smoke run of bench/run.sh --quick.
# Existing files are kept unless --force.
#
# Run as root on Debian 12 (tcpdump on lo). Installs what is missing from
# Debian's packages (nginx-light, wrk, tcpdump, tshark for capinfos/editcap).
# Talks to 127.0.0.1 only. Bounded: tcpdump -c N, wrk -d with a total cap,
# everything under `timeout`, every process started here is stopped by pid.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${TCPLIFE_BENCH_WORK:-$HERE/work}
PACKETS=1000000
QUICK=0
FORCE=0
PORT=${BENCH_PORT:-18480}
ADDR=127.0.0.1
CAP_SECONDS=240   # a capture that has not reached N packets by then stops anyway

while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --force) FORCE=1 ;;
        --packets) PACKETS=$2; shift ;;
        *) echo "usage: $0 [--quick] [--force] [--packets N]" >&2; exit 2 ;;
    esac
    shift
done

die() { echo "make_workloads.sh: $*" >&2; exit 1; }
log() { echo "make_workloads.sh: $*" >&2; }

need_pkgs=()
command -v capinfos >/dev/null || need_pkgs+=(tshark)
command -v python3 >/dev/null || need_pkgs+=(python3)
if [ $QUICK = 0 ]; then
    command -v nginx >/dev/null || need_pkgs+=(nginx-light)
    command -v wrk >/dev/null || need_pkgs+=(wrk)
    command -v tcpdump >/dev/null || need_pkgs+=(tcpdump)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${need_pkgs[*]}; install them (apt-get install -y ${need_pkgs[*]})"
    log "installing ${need_pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" >/dev/null ||
        { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" >/dev/null; }
fi

mkdir -p "$WORK"
chmod a+rx "$WORK"

# Metadata beside each capture, read by run.sh.
write_meta() { # pcap [drops]
    local f=$1 drops=${2:-0} pk conns
    pk=$(capinfos -c -M "$f" | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
    # Connections = tcp.stream values; one cheap tshark pass.
    conns=$(timeout 900 tshark -n -r "$f" -T fields -e tcp.stream 2>/dev/null |
            sort -un | wc -l)
    chmod a+r "$f"
    printf 'packets=%s\nconnections=%s\ndrops=%s\n' "$pk" "$conns" "$drops" > "${f%.pcap}.meta"
    log "$(basename "$f"): $pk packets, $conns connections, $drops dropped by tcpdump"
}

make_synthetic() { # out conns
    local out=$1 conns=$2
    if [ $FORCE = 0 ] && [ -s "$out" ] && [ -s "${out%.pcap}.meta" ]; then log "keeping $out"; return; fi
    timeout 600 python3 "$HERE/gen_synthetic.py" "$out" --conns "$conns" --concurrency 16
    write_meta "$out" 0
}

if [ $QUICK = 1 ]; then
    make_synthetic "$WORK/quick.pcap" 2000
    exit 0
fi

# ---- real traffic: nginx + wrk, captured on lo ----------------------------
TMP=$(mktemp -d /tmp/tcplife-bench.XXXXXX)
NGINX_PID=
TCPDUMP_PID=
WRK_PID=

stop_pid() { # pid signal seconds
    local pid=$1 sig=$2 secs=$3 i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "pid $pid ignored SIG$sig for ${secs}s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    stop_pid "$WRK_PID" INT 5; WRK_PID=
    stop_pid "$TCPDUMP_PID" INT 10; TCPDUMP_PID=
    if [ -z "$NGINX_PID" ] && [ -s "$TMP/nginx.pid" ]; then NGINX_PID=$(cat "$TMP/nginx.pid"); fi
    stop_pid "$NGINX_PID" QUIT 5; NGINX_PID=
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_nginx() {
    if command -v ss >/dev/null && ss -Hltn "sport = :$PORT" | grep -q .; then
        die "TCP port $PORT is in use; set BENCH_PORT"
    fi
    mkdir -p "$TMP/site" "$TMP/logs" "$TMP/tmp"
    # A small static page (about 600 bytes).
    { echo '<!doctype html><html><head><title>tcplife bench</title></head><body>'
      for i in $(seq 1 10); do echo "<p>line $i of a small static page served by nginx for the tcplife benchmark.</p>"; done
      echo '</body></html>'; } > "$TMP/site/index.html"
    chmod -R a+rX "$TMP"
    cat > "$TMP/nginx.conf" <<EOF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_timeout 60s;
    keepalive_requests 1000;
    client_body_temp_path $TMP/tmp/body;
    proxy_temp_path $TMP/tmp/proxy;
    fastcgi_temp_path $TMP/tmp/fastcgi;
    uwsgi_temp_path $TMP/tmp/uwsgi;
    scgi_temp_path $TMP/tmp/scgi;
    types { text/html html; }
    server {
        listen $ADDR:$PORT;
        root $TMP/site;
    }
}
EOF
    timeout 10 nginx -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/logs/error.log" ||
        die "nginx did not start: $(cat "$TMP/logs/error.log" 2>/dev/null)"
    local i
    for ((i = 0; i < 50; i++)); do [ -s "$TMP/nginx.pid" ] && break; sleep 0.1; done
    NGINX_PID=$(cat "$TMP/nginx.pid")
    # One probe request (not captured).
    timeout 10 wrk -t1 -c1 -d1s "http://$ADDR:$PORT/index.html" > "$TMP/probe.txt" 2>&1 ||
        die "wrk probe failed: $(cat "$TMP/probe.txt")"
    grep -q 'Requests/sec' "$TMP/probe.txt" || die "wrk probe failed: $(cat "$TMP/probe.txt")"
    grep -q 'Non-2xx' "$TMP/probe.txt" && die "nginx answers errors: $(cat "$TMP/probe.txt")"
    true
}

capture() { # out [wrk header args...]
    local out=$1; shift
    if [ $FORCE = 0 ] && [ -s "$out" ] && [ -s "${out%.pcap}.meta" ]; then log "keeping $out"; return; fi
    rm -f "$out"
    log "capturing $PACKETS packets to $(basename "$out") (cap ${CAP_SECONDS}s)"
    timeout $((CAP_SECONDS + 30)) tcpdump -i lo -n -s 0 -B 262144 -U -c "$PACKETS" \
        -w "$out" "tcp port $PORT" 2> "$TMP/tcpdump.err" &
    TCPDUMP_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$TMP/tcpdump.err" 2>/dev/null && break
        sleep 0.1
    done
    grep -q 'listening on' "$TMP/tcpdump.err" || die "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
    local t0=$SECONDS
    # wrk runs in rounds of at most 60 s until tcpdump has its N packets or
    # the cap is reached.
    while kill -0 "$TCPDUMP_PID" 2>/dev/null && ((SECONDS - t0 < CAP_SECONDS)); do
        timeout 75 wrk -t1 -c8 -d60s --timeout 2s "$@" "http://$ADDR:$PORT/index.html" \
            > "$TMP/wrk.out" 2>&1 &
        WRK_PID=$!
        while kill -0 "$WRK_PID" 2>/dev/null; do
            kill -0 "$TCPDUMP_PID" 2>/dev/null || break
            ((SECONDS - t0 < CAP_SECONDS)) || break
            sleep 0.2
        done
        stop_pid "$WRK_PID" INT 5; WRK_PID=
    done
    stop_pid "$TCPDUMP_PID" INT 10; TCPDUMP_PID=
    local drops
    drops=$(awk '/dropped by kernel/ {print $1}' "$TMP/tcpdump.err")
    log "tcpdump: $(tr '\n' ' ' < "$TMP/tcpdump.err")"
    [ -s "$out" ] || die "no capture written"
    write_meta "$out" "${drops:-0}"
}

need_real=0
for n in keepalive close; do
    if [ $FORCE = 1 ] || [ ! -s "$WORK/$n.pcap" ] || [ ! -s "$WORK/$n.meta" ]; then need_real=1; fi
done
if [ $need_real = 1 ]; then
    [ "$(id -u)" = 0 ] || die "must run as root (tcpdump on lo)"
    start_nginx
    capture "$WORK/keepalive.pcap"
    capture "$WORK/close.pcap" -H 'Connection: close'
    stop_pid "$NGINX_PID" QUIT 5; NGINX_PID=
fi
make_synthetic "$WORK/synthetic.pcap" 100000
make_synthetic "$WORK/quick.pcap" 2000
ls -l "$WORK"/*.pcap >&2
