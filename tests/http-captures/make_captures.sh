#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Regenerate the HTTP captures (tests/http-captures/*.pcap): real traffic on
# 127.0.0.1 between curl, headless Chromium, Python sockets (scenarios.py)
# and a private nginx run from a temporary prefix, one capture per
# behaviour, each recorded by tcpdump on its port only. Needs root (tcpdump
# on lo), Debian's nginx-light, curl, chromium, openssl, python3.
#
#   bash tests/http-captures/make_captures.sh [name...]
#
# Every process is bounded by timeout(1) and stopped by the trap; the
# temporary prefix is removed. Captures differ from run to run (ports,
# ISNs, how writes merge into segments): the committed pcaps are what the
# .tsv tables describe, so re-derive the tables after regenerating.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3
P_NGINX=8088     # nginx HTTP (Wireshark maps 8088 to HTTP)
P_TLS=8443       # nginx HTTPS (self-signed, made below)
P_UNMAPPED=47123 # nginx HTTP on a port Wireshark does not map to HTTP
P_PY=3128        # scenarios.py servers (Wireshark maps 3128 to HTTP)

for p in $P_NGINX $P_TLS $P_UNMAPPED $P_PY; do
    if ss -Hltn "sport = :$p" | grep -q .; then
        echo "port $p is in use: stop what listens there first" >&2
        exit 1
    fi
done

TMP="$(mktemp -d)"
chmod 755 "$TMP"
NGINX_PID=""
cleanup() {
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && sleep 0.3
    rm -rf "$TMP"
}
trap cleanup EXIT

# ---- the site ---------------------------------------------------------------
mkdir -p "$TMP/site/gz" "$TMP/tmp"
"$PY" - "$TMP/site" <<'EOF'
import os, struct, sys, zlib
site = sys.argv[1]
def png(path, w, h, seed):
    # RGB noise: incompressible, so the file is about w*h*3 bytes
    rnd = __import__("random").Random(seed)
    raw = b"".join(b"\0" + bytes(rnd.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
    def chunk(t, d):
        return struct.pack("!I", len(d)) + t + d + struct.pack("!I", zlib.crc32(t + d))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    open(path, "wb").write(data)
png(os.path.join(site, "img1.png"), 16, 16, 1)
png(os.path.join(site, "img2.png"), 48, 48, 2)
png(os.path.join(site, "img3.png"), 120, 120, 3)
png(os.path.join(site, "big.png"), 200, 200, 4)     # ~120 KB: several segments
png(os.path.join(site, "favicon.ico"), 16, 16, 5)   # a PNG favicon
open(os.path.join(site, "index.html"), "w").write("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>tcplife HTTP test page</title>
<link rel="icon" href="/favicon.ico"></head>
<body><h1>Four images</h1>
<img src="/img1.png"><img src="/img2.png"><img src="/img3.png"><img src="/big.png">
</body></html>
""")
open(os.path.join(site, "local.html"), "w").write("<html><body>local</body></html>\n")
open(os.path.join(site, "a.txt"), "w").write("file a\n")
open(os.path.join(site, "b.txt"), "w").write("file b, a little longer\n")
open(os.path.join(site, "gz", "words.txt"), "w").write(
    "".join("line %05d: the quick brown fox jumps over the lazy dog\n" % i for i in range(4000)))
rnd = __import__("random").Random(7)
open(os.path.join(site, "big.bin"), "wb").write(bytes(rnd.getrandbits(8) for _ in range(2 * 1024 * 1024)))
open(os.path.join(site, "huge.bin"), "wb").write(bytes(8 * 1024 * 1024))
open(os.path.join(site, "upload.bin"), "wb").write(bytes(rnd.getrandbits(8) for _ in range(300 * 1000)))
EOF
chmod -R a+rX "$TMP/site"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null

cat >"$TMP/nginx.conf" <<EOF
worker_processes 1;
error_log $TMP/error.log;
pid $TMP/nginx.pid;
events { worker_connections 64; }
http {
    access_log $TMP/access.log;
    client_body_temp_path $TMP/tmp/body;
    proxy_temp_path $TMP/tmp/proxy;
    fastcgi_temp_path $TMP/tmp/fastcgi;
    uwsgi_temp_path $TMP/tmp/uwsgi;
    scgi_temp_path $TMP/tmp/scgi;
    types { text/html html; image/png png; image/x-icon ico; text/plain txt;
            application/octet-stream bin; }
    keepalive_timeout 5;
    etag on;
    server {
        listen 127.0.0.1:$P_NGINX;
        listen 127.0.0.1:$P_UNMAPPED;
        root $TMP/site;
        location /gz/ { gzip on; gzip_types text/plain; gzip_min_length 1; }
    }
    server {
        listen 127.0.0.1:$P_TLS ssl;
        ssl_certificate $TMP/cert.pem;
        ssl_certificate_key $TMP/key.pem;
        root $TMP/site;
    }
}
EOF

start_nginx() {
    timeout 600 nginx -p "$TMP" -c "$TMP/nginx.conf" -g "daemon off;" 2>>"$TMP/error.log" &
    NGINX_PID=$!
    for _ in $(seq 1 50); do          # at most 5 s until it listens
        ss -Hltn "sport = :$P_NGINX" | grep -q . && return 0
        sleep 0.1
    done
    echo "nginx did not start:" >&2
    cat "$TMP/error.log" >&2
    exit 1
}

stop_nginx() {
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=""
}

# capture NAME PORT SNAPLEN COMMAND...: record tcp port PORT while COMMAND runs.
capture() {
    local name="$1" port="$2" snap="$3"
    shift 3
    local out="$HERE/$name.pcap" log
    log="$(mktemp)"
    timeout 120 tcpdump -i lo -B 65536 -s "$snap" -U -n --immediate-mode -Z root -w "$out" \
        "tcp port $port" 2>"$log" &
    local pid=$!
    for _ in $(seq 1 50); do          # wait (at most 5 s) until tcpdump listens
        grep -q "listening on" "$log" && break
        sleep 0.1
    done
    "$@" >/dev/null || echo "$name: command exited with $?" >&2
    sleep 1                            # let the last segments (and FINs) be written
    kill -INT "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$log"
    chmod 644 "$out"
    echo "$name.pcap: $(tshark -r "$out" 2>/dev/null | wc -l) frames, $(stat -c %s "$out") bytes"
}

chromium_page() {
    local profile
    profile="$(mktemp -d)"
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --dump-dom "http://127.0.0.1:$P_NGINX/index.html" >/dev/null 2>&1
    local rc=$?
    rm -rf "$profile"
    return $rc
}

U="http://127.0.0.1:$P_NGINX"
T="timeout 60"                         # every client is bounded
declare -A RUN
# One connection: keep-alive GET, 404, HEAD, conditional GET (304), POST to a
# static file (405), gzip through chunked coding.
RUN[curl_keepalive]="capture curl_keepalive $P_NGINX 0 $T curl -s -o /dev/null $U/a.txt $U/local.html $U/missing.html \
    --next -s -o /dev/null -I $U/b.txt \
    --next -s -o /dev/null -H 'If-None-Match: \"__ETAG__\"' $U/a.txt \
    --next -s -o /dev/null -d x=1 $U/a.txt \
    --next -s -o /dev/null --compressed $U/gz/words.txt"
RUN[chromium_page]="capture chromium_page $P_NGINX 0 chromium_page"
RUN[pipelined]="capture pipelined $P_NGINX 0 $T $PY $HERE/scenarios.py pipelined $P_NGINX"
RUN[download_2mb]="capture download_2mb $P_NGINX 0 $T curl -s -o /dev/null $U/big.bin"
RUN[download_snaplen]="capture download_snaplen $P_NGINX 400 $T curl -s -o /dev/null $U/huge.bin"
RUN[https]="capture https $P_TLS 0 $T curl -s -k -o /dev/null https://127.0.0.1:$P_TLS/a.txt https://127.0.0.1:$P_TLS/local.html"
RUN[unmapped_port]="capture unmapped_port $P_UNMAPPED 0 $T curl -s -o /dev/null http://127.0.0.1:$P_UNMAPPED/a.txt http://127.0.0.1:$P_UNMAPPED/local.html"
RUN[post_large]="post_large"
RUN[http10_close]="capture http10_close $P_PY 0 $T $PY $HERE/scenarios.py http10_close $P_PY"
RUN[chunked]="capture chunked $P_PY 0 $T $PY $HERE/scenarios.py chunked $P_PY"
RUN[websocket]="capture websocket $P_PY 0 $T $PY $HERE/scenarios.py websocket $P_PY"
ORDER="curl_keepalive chromium_page pipelined download_2mb download_snaplen https unmapped_port post_large http10_close chunked websocket"

post_large() {
    # the server first (scenarios.py), then curl with Expect: 100-continue
    timeout 30 "$PY" "$HERE/scenarios.py" post_server "$P_PY" &
    local spid=$!
    sleep 0.3
    capture post_large $P_PY 0 $T curl -s -o /dev/null -H "Expect: 100-continue" \
        --data-binary @"$TMP/site/upload.bin" "http://127.0.0.1:$P_PY/upload"
    wait "$spid" 2>/dev/null
}

want=" $* "
start_nginx
ETAG="$(curl -s -I "$U/a.txt" | sed -n 's/^ETag: "\(.*\)"\r$/\1/Ip')"
for name in $ORDER; do
    if [ $# -gt 0 ] && [[ "$want" != *" $name "* ]]; then
        continue
    fi
    eval "${RUN[$name]//__ETAG__/$ETAG}"
done
stop_nginx
