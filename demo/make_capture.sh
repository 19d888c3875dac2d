#!/bin/bash
# make_capture.sh: record demo/demo.pcap, a real browser loading demo/site/
# from a local nginx on 127.0.0.1:9000, captured on loopback with tcpdump.
#
# Run as root on Debian 12. Installs nothing; needs the packages
# nginx-light (or any nginx), chromium and tcpdump. Talks to 127.0.0.1 only.
#
#   sudo demo/make_capture.sh [OUT.pcap]     (default: demo/demo.pcap)
#
# What happens:
#   1. nginx starts from a private config in a mktemp folder (its own prefix,
#      pid file, logs and temp dirs), listening on 127.0.0.1:9000 with root
#      demo/site. If curl is installed, one probe request checks it serves
#      (before tcpdump starts, so not in the capture). keepalive_timeout is long (60 s) so nginx never closes an
#      idle connection during the run: the browser closes them.
#   2. tcpdump -i lo -s 0 -U -w OUT 'tcp port 9000' starts; we wait until it
#      says it is listening.
#   3. headless chromium loads http://127.0.0.1:9000/ with --dump-dom and
#      exits once the page (and its logo) has loaded. Exiting closes its
#      keep-alive connections, so every connection in the capture ends with
#      the browser's FIN (the client is the active closer), nginx's FIN+ACK
#      and the browser's last ACK. (Usually nginx's ACK of the FIN and its
#      own FIN are merged into that one FIN+ACK; now and then, by timing,
#      they are two segments: a four-segment close. The committed demo.pcap
#      has one close of each form; see demo/README.md.)
#   4. after a short settle delay tcpdump is stopped (SIGINT, bounded wait,
#      SIGKILL on timeout), then nginx (SIGQUIT, bounded, SIGKILL on timeout).
# Every external command runs under `timeout`.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SITE=$HERE/site
OUT=${1:-$HERE/demo.pcap}
PORT=9000
ADDR=127.0.0.1

die() { echo "make_capture.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (tcpdump on lo, nginx)"
for cmd in nginx chromium tcpdump timeout; do
    command -v "$cmd" >/dev/null 2>&1 ||
        die "'$cmd' not found; install it first: apt-get install -y nginx-light chromium tcpdump"
done
{ [ -f "$SITE/index.html" ] && [ -f "$SITE/logo.jpg" ]; } ||
    die "missing $SITE/index.html or $SITE/logo.jpg"
if command -v ss >/dev/null 2>&1 &&
        ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; then
    die "something already listens on TCP port $PORT"
fi

TMP=$(mktemp -d /tmp/tcplife-demo.XXXXXX)
NGINX_STARTED=0
TCPDUMP_PID=

# Stop a background process by pid: signal, wait up to N seconds, then KILL.
stop_pid() { # pid signal seconds
    local pid=$1 sig=$2 secs=$3 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "make_capture.sh: pid $pid ignored SIG$sig for ${secs}s, killing" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

stop_nginx() {
    [ "$NGINX_STARTED" -eq 1 ] || return 0
    NGINX_STARTED=0
    local pid
    pid=$(cat "$TMP/nginx.pid" 2>/dev/null) || return 0
    # SIGQUIT = graceful shutdown of master and workers.
    stop_pid "$pid" QUIT 5
}

cleanup() {
    if [ -n "$TCPDUMP_PID" ]; then stop_pid "$TCPDUMP_PID" INT 5; TCPDUMP_PID=; fi
    stop_nginx
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. nginx -------------------------------------------------------------
mkdir -p "$TMP/prefix/logs" "$TMP/prefix/tmp"
cat >"$TMP/nginx.conf" <<EOF
# private nginx for the tcplife demo capture
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/prefix/logs/error.log info;
events { worker_connections 64; }
http {
    types {
        text/html  html;
        image/jpeg jpg;
    }
    default_type application/octet-stream;
    charset utf-8;
    access_log $TMP/prefix/logs/access.log;
    client_body_temp_path $TMP/prefix/tmp/body;
    proxy_temp_path       $TMP/prefix/tmp/proxy;
    fastcgi_temp_path     $TMP/prefix/tmp/fastcgi;
    uwsgi_temp_path       $TMP/prefix/tmp/uwsgi;
    scgi_temp_path        $TMP/prefix/tmp/scgi;
    server_tokens off;
    sendfile off;
    gzip off;
    # Long enough that nginx never closes an idle keep-alive connection
    # while the browser runs: the browser is the active closer.
    keepalive_timeout 60s;
    server {
        listen $ADDR:$PORT;
        server_name localhost;
        root $SITE;
        index index.html;
    }
}
EOF
timeout 10 nginx -t -q -p "$TMP/prefix/" -c "$TMP/nginx.conf" ||
    die "nginx rejected the generated config ($TMP/nginx.conf)"
timeout 10 nginx -p "$TMP/prefix/" -c "$TMP/nginx.conf" ||
    die "nginx failed to start (see $TMP/prefix/logs/error.log)"
NGINX_STARTED=1
for ((i = 0; i < 50; i++)); do
    [ -s "$TMP/nginx.pid" ] && break
    sleep 0.1
done
[ -s "$TMP/nginx.pid" ] || die "nginx wrote no pid file"
# Check that the server answers before capturing, without touching port 9000
# traffic in the capture (tcpdump is not running yet).
if command -v curl >/dev/null 2>&1; then
    timeout 5 curl -sf -o /dev/null "http://$ADDR:$PORT/" ||
        die "nginx does not serve http://$ADDR:$PORT/ (see $TMP/prefix/logs/error.log)"
fi
# Let any TIME-WAIT from the probe be irrelevant: it used another client port.

# ---- 2. tcpdump -----------------------------------------------------------
rm -f "$OUT"
timeout 120 tcpdump -i lo -s 0 -U -n -w "$OUT" "tcp port $PORT" \
    2>"$TMP/tcpdump.err" &
TCPDUMP_PID=$!
for ((i = 0; i < 100; i++)); do
    grep -q "listening on" "$TMP/tcpdump.err" 2>/dev/null && break
    kill -0 "$TCPDUMP_PID" 2>/dev/null ||
        die "tcpdump exited: $(cat "$TMP/tcpdump.err")"
    sleep 0.1
done
grep -q "listening on" "$TMP/tcpdump.err" || die "tcpdump did not start listening"
sleep 0.5

# ---- 3. chromium ----------------------------------------------------------
mkdir -p "$TMP/profile"
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-extensions --disable-default-apps \
    --user-data-dir="$TMP/profile" \
    --dump-dom "http://$ADDR:$PORT/" >"$TMP/dom.html" 2>"$TMP/chromium.err" ||
    die "chromium failed (exit $?): $(tail -5 "$TMP/chromium.err")"
grep -q "2099001" "$TMP/dom.html" || die "chromium did not load the page"

# Chromium has exited and its sockets are closed; give the FIN, FIN+ACK and
# last ACK time to cross loopback and tcpdump time to write them.
sleep 2

# ---- 4. stop --------------------------------------------------------------
stop_pid "$TCPDUMP_PID" INT 5
wait "$TCPDUMP_PID" 2>/dev/null || true
TCPDUMP_PID=
stop_nginx
# tcpdump drops privileges to its own user; give the file its folder's owner.
chown "$(stat -c %u:%g "$(dirname "$OUT")")" "$OUT" 2>/dev/null || true

echo "make_capture.sh: wrote $OUT ($(wc -c <"$OUT") bytes)"
echo "nginx access log:"
sed 's/^/  /' "$TMP/prefix/logs/access.log"
grep -E "packets (captured|received|dropped)" "$TMP/tcpdump.err" | sed 's/^/  tcpdump: /' || true
