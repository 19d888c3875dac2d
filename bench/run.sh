#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh: tshark with the tcplife plugin versus tshark without it, on identical
# work, and the plugin's instruction counts. One command, one table.
#
#   bench/run.sh [--quick] [--runs N] [--workloads "keepalive close synthetic"]
#                [--no-callgrind | --callgrind-only] [--cg-packets N]
#                [--passes "filter fields:base,plugin twopass conns"]
#                [--cg-configs "filter/base filter/plugin conns/base conns/plugin"]
#
# --quick: the small synthetic workload (20,000 packets), 1 run, callgrind on
# 1,000 packets with two configurations: a CI smoke test of the whole path.
# Default: the three 1,000,000-packet workloads of make_workloads.sh (made
# first if missing), 3 runs each (medians), callgrind on 30,000 packets.
#
# Results: bench/work/results/<UTC time>/ (report.md, callgrind.md, raw.tsv,
# callgrind output files), bench/work/latest points at the newest; the
# report is also printed. See bench/README.md for the columns.
#
# "Without the plugin" is the same tshark run the same way (same user, same
# environment, WIRESHARK_PLUGIN_DIR set) with an empty plugin folder, so the
# plugin is not loaded at all and no other plugin is loaded on either side.
# As root, tshark runs as nobody (Wireshark ignores plugin folders for uid 0).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${TCPLIFE_BENCH_WORK:-$HERE/work}
QUICK=0
RUNS=
WORKLOADS=
CALLGRIND=1
TIMING=1
CG_PACKETS=
PASS_SPEC="filter fields twopass conns"
CG_CONFIGS=
RUN_TIMEOUT=900      # one tshark run
CG_TIMEOUT=2400      # one callgrind run

while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --runs) RUNS=$2; shift ;;
        --workloads) WORKLOADS=$2; shift ;;
        --no-callgrind) CALLGRIND=0 ;;
        --callgrind-only) TIMING=0 ;;
        --cg-packets) CG_PACKETS=$2; shift ;;
        --passes) PASS_SPEC=$2; shift ;;
        --cg-configs) CG_CONFIGS=$2; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ $QUICK = 1 ]; then
    RUNS=${RUNS:-1}; WORKLOADS=${WORKLOADS:-quick}; CG_PACKETS=${CG_PACKETS:-1000}
else
    RUNS=${RUNS:-3}; WORKLOADS=${WORKLOADS:-keepalive close synthetic}; CG_PACKETS=${CG_PACKETS:-30000}
fi

log() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ---- tools ---------------------------------------------------------------
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v tshark >/dev/null || need+=(tshark)
command -v editcap >/dev/null || need+=(wireshark-common)
command -v setpriv >/dev/null || need+=(util-linux)
command -v python3 >/dev/null || need+=(python3)
if [ $CALLGRIND = 1 ]; then command -v valgrind >/dev/null || need+=(valgrind); command -v cc >/dev/null || need+=(gcc); fi
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${need[*]}: apt-get install -y ${need[*]}"
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null ||
        { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }
fi

# ---- build (benchmarks the current sources) --------------------------------
# TCPLIFE_SO=path/tcplife.so benchmarks that file as it is (no build).
BUILD=${TCPLIFE_BUILD:-$ROOT/build-bench}
if [ -n "${TCPLIFE_SO:-}" ]; then
    SO=$TCPLIFE_SO
    [ -f "$SO" ] || die "TCPLIFE_SO=$SO: no such file"
    VER=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    BUILD=$SO
else
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    cmake --build "$BUILD" --target tcplife >/dev/null || die "build failed in $BUILD"
    SO=$(find "$BUILD/plugins" -name tcplife.so | head -n 1)
    [ -n "$SO" ] || die "no tcplife.so under $BUILD/plugins"
    VER=$(basename "$(dirname "$(dirname "$SO")")")
fi
[ -n "$VER" ] || die "cannot tell the Wireshark version"

# ---- workloads ------------------------------------------------------------
if [ $QUICK = 1 ]; then "$HERE/make_workloads.sh" --quick; else "$HERE/make_workloads.sh"; fi
for w in $WORKLOADS; do
    [ -s "$WORK/$w.pcap" ] && [ -s "$WORK/$w.meta" ] || die "no workload $WORK/$w.pcap"
done

# ---- staging: a plugin folder with tcplife.so and an empty one -------------
STAGE=$(mktemp -d /tmp/tcplife-bench-run.XXXXXX)
JOBS=()
cleanup() {
    local p
    for p in "${JOBS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$STAGE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$STAGE/with/$VER/epan" "$STAGE/without/$VER/epan" "$STAGE/home" "$STAGE/cg"
cp "$SO" "$STAGE/with/$VER/epan/"
chmod -R a+rX "$STAGE"
chmod a+rwx "$STAGE/home" "$STAGE/cg"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
# Callgrind runs preload a fixed wmem hash seed (fixed-seed.c says why).
SEED_SO="$STAGE/fixed-seed.so"
if [ $CALLGRIND = 1 ]; then
    cc -O2 -shared -fPIC -o "$SEED_SO" "$HERE/fixed-seed.c" || die "cannot build fixed-seed.so"
    chmod a+r "$SEED_SO"
fi
envs() { # with|without
    echo HOME="$STAGE/home" WIRESHARK_PLUGIN_DIR="$STAGE/$1" \
         WIRESHARK_CONFIG_DIR="$STAGE/home/.config/wireshark" TZ=UTC LC_ALL=C.UTF-8
}
ts() { # with|without tshark-args...
    local m=$1; shift
    # shellcheck disable=SC2046
    "${RUNAS[@]}" env $(envs "$m") tshark "$@"
}
ts with -G plugins 2>/dev/null | grep -q 'tcplife\.so' || die "tshark did not load $SO"
if ts without -G plugins 2>/dev/null | grep -q 'tcplife\.so'; then die "plugin loaded from the empty folder?"; fi
HAS_CONNS=0
if ts with -z help 2>&1 | grep -qE '^[[:space:]]*tcplife,conns'; then HAS_CONNS=1; fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RES=$WORK/results/$STAMP$([ $QUICK = 1 ] && echo -quick || true)$([ $TIMING = 0 ] && echo -cg || true)
mkdir -p "$RES/cg"
ln -sfn "$RES" "$WORK/latest"

variant() { # pass variant: sets MODE, ARGS
    case $1/$2 in
        filter/base)    MODE=without; ARGS=(-q -Y 'tcp.flags.fin == 1') ;;
        filter/loaded)  MODE=with;    ARGS=(-q -Y 'tcp.flags.fin == 1') ;;
        filter/plugin)  MODE=with;    ARGS=(-q -Y 'tcplife.teardown.step == 1') ;;
        fields/base)    MODE=without; ARGS=(-T fields -e frame.number -e tcp.stream) ;;
        fields/loaded)  MODE=with;    ARGS=(-T fields -e frame.number -e tcp.stream) ;;
        fields/plugin)  MODE=with;    ARGS=(-T fields -e frame.number -e tcp.stream -e tcplife.phase) ;;
        # Same three columns without the plugin, the third a TCP field:
        # on Wireshark 4.4+ any third column costs thousands of instructions.
        fields/control) MODE=without; ARGS=(-T fields -e frame.number -e tcp.stream -e tcp.flags.str) ;;
        twopass/base)   MODE=without; ARGS=(-2 -q -Y 'tcp.flags.fin == 1') ;;
        twopass/loaded) MODE=with;    ARGS=(-2 -q -Y 'tcp.flags.fin == 1') ;;
        twopass/plugin) MODE=with;    ARGS=(-2 -q -Y 'tcplife.teardown.step == 1') ;;
        conns/base)     MODE=without; ARGS=(-q -z conv,tcp) ;;
        conns/loaded)   MODE=with;    ARGS=(-q -z conv,tcp) ;;
        conns/plugin)   MODE=with;    ARGS=(-q -z tcplife,conns) ;;
        *) die "no variant $1/$2" ;;
    esac
}
# --passes: PASS or PASS:VARIANT,VARIANT (variants: base loaded plugin, and
# control for fields; base is always run).
PASSES=
declare -A PASS_VARIANTS
for item in $PASS_SPEC; do
    p=${item%%:*}
    case $p in filter|fields|twopass|conns) ;; *) die "unknown pass $p" ;; esac
    if [ "$p" = conns ] && [ $HAS_CONNS = 0 ]; then
        log "tshark -z help lists no tcplife,conns: skipping the -z pass"; continue
    fi
    vs="base loaded plugin"
    [ "$p" = fields ] && vs="$vs control"
    if [ "$item" != "$p" ]; then vs="base $(tr ',' ' ' <<< "${item#*:}" | sed 's/\bbase\b//g')"; fi
    PASSES="$PASSES $p"
    PASS_VARIANTS[$p]=$vs
done

to_seconds() { # [h:]mm:ss.ss
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<< "$1"
}

# ---- timing ------------------------------------------------------------------
RAW=$RES/raw.tsv
printf '# workload\tpass\tvariant\trep\twall_s\tcpu_s\tmaxrss_kb\trc\n' > "$RAW"
timed() { # workload pass variant rep
    local w=$1 p=$2 v=$3 rep=$4 rc=0
    variant "$p" "$v"
    # shellcheck disable=SC2046
    /usr/bin/time -v -o "$STAGE/time.txt" "${RUNAS[@]}" env $(envs "$MODE") \
        timeout "$RUN_TIMEOUT" tshark -n -r "$WORK/$w.pcap" "${ARGS[@]}" \
        > "$STAGE/out.$v" 2> "$STAGE/err.txt" || rc=$?
    local wall user sys rss
    wall=$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$STAGE/time.txt")")
    user=$(sed -n 's/.*User time (seconds): //p' "$STAGE/time.txt")
    sys=$(sed -n 's/.*System time (seconds): //p' "$STAGE/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$STAGE/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$p" "$v" "$rep" "$wall" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" "$rss" "$rc" >> "$RAW"
    log "$w $p $v #$rep: wall ${wall}s cpu $user+$sys s rss ${rss} kB rc $rc"
    if [ $rc != 0 ] || { [ "$rep" = 1 ] && [ -s "$STAGE/err.txt" ]; }; then
        log "  stderr: $(head -c 400 "$STAGE/err.txt")"
    fi
}

# Same work on both sides: the fields pass must print the same frame and
# stream columns with and without the plugin.
check_fields() { # workload
    local b l p c
    [ -f "$STAGE/out.base" ] && [ -f "$STAGE/out.plugin" ] || return 0
    b=$(md5sum < "$STAGE/out.base" | cut -c1-32)
    l=$b
    [ -f "$STAGE/out.loaded" ] && l=$(md5sum < "$STAGE/out.loaded" | cut -c1-32)
    p=$(cut -f1,2 "$STAGE/out.plugin" | md5sum | cut -c1-32)
    c=$p
    [ -f "$STAGE/out.control" ] && c=$(cut -f1,2 "$STAGE/out.control" | md5sum | cut -c1-32)
    if [ "$b" != "$l" ] || [ "$b" != "$p" ] || [ "$b" != "$c" ]; then
        log "WARNING: $1: -T fields frame/stream columns differ with the plugin"
        echo "WARNING: $1: -T fields frame/stream columns differ with the plugin" >> "$RES/warnings.txt"
    fi
    if [ "$(cut -f3 "$STAGE/out.plugin" | grep -c .)" = 0 ]; then
        log "WARNING: $1: tcplife.phase is empty in every frame"
        echo "WARNING: $1: tcplife.phase is empty in every frame" >> "$RES/warnings.txt"
    fi
}

if [ $TIMING = 1 ]; then
    # Rep outermost: a stopped run still has every workload; a base run and
    # its plugin runs are adjacent in time.
    for ((rep = 1; rep <= RUNS; rep++)); do
        for w in $WORKLOADS; do
            for p in $PASSES; do
                for v in ${PASS_VARIANTS[$p]}; do
                    timed "$w" "$p" "$v" "$rep"
                done
                if [ "$p" = fields ] && [ "$rep" = 1 ]; then check_fields "$w"; fi
                rm -f "$STAGE"/out.*
            done
        done
    done
fi

# ---- callgrind ---------------------------------------------------------------
if [ -z "$CG_CONFIGS" ]; then
    if [ $QUICK = 1 ]; then CG_CONFIGS="filter/base filter/plugin"
    else CG_CONFIGS="filter/base filter/loaded filter/plugin fields/base fields/plugin fields/control"; fi
    if [ $HAS_CONNS = 1 ] && [ $QUICK = 0 ]; then CG_CONFIGS="$CG_CONFIGS conns/base conns/plugin"; fi
fi
cg_job() { # workload pass variant slice(N|1)
    local w=$1 p=$2 v=$3 n=$4
    variant "$p" "$v"
    local f="$w.$p.$v.$n.out"
    # shellcheck disable=SC2046
    "${RUNAS[@]}" env $(envs "$MODE") LD_PRELOAD="$SEED_SO" timeout "$CG_TIMEOUT" \
        valgrind --tool=callgrind --callgrind-out-file="$STAGE/cg/$f" \
        tshark -n -r "$WORK/$w-cg$n.pcap" "${ARGS[@]}" > /dev/null 2> "$STAGE/cg/$f.log" ||
        { echo "callgrind failed: $f: $(tail -n 3 "$STAGE/cg/$f.log")" >&2; return 1; }
    mv "$STAGE/cg/$f" "$RES/cg/$f"
    log "callgrind $f: $(sed -n 's/.*Collected : //p' "$STAGE/cg/$f.log") Ir"
}
if [ $CALLGRIND = 1 ]; then
    # Deterministic instruction counts: two jobs at a time (after the timing).
    for w in $WORKLOADS; do
        [ -s "$WORK/$w-cg$CG_PACKETS.pcap" ] ||
            editcap -r "$WORK/$w.pcap" "$WORK/$w-cg$CG_PACKETS.pcap" "1-$CG_PACKETS"
        [ -s "$WORK/$w-cg1.pcap" ] || editcap -r "$WORK/$w.pcap" "$WORK/$w-cg1.pcap" 1
        chmod a+r "$WORK/$w-cg$CG_PACKETS.pcap" "$WORK/$w-cg1.pcap"
    done
    cg_failed=0
    for w in $WORKLOADS; do
        for c in $CG_CONFIGS; do
            for n in "$CG_PACKETS" 1; do
                while [ ${#JOBS[@]} -ge 2 ]; do
                    wait -n || cg_failed=1
                    alive=()
                    for pid in "${JOBS[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
                    JOBS=("${alive[@]}")
                done
                cg_job "$w" "${c%/*}" "${c#*/}" "$n" &
                JOBS+=($!)
            done
        done
    done
    for pid in "${JOBS[@]}"; do wait "$pid" || cg_failed=1; done
    JOBS=()
    [ $cg_failed = 0 ] || die "a callgrind run failed"
    : > "$RES/callgrind.md"
    for w in $WORKLOADS; do
        for p in filter fields conns; do
            pairs=()
            for v in base loaded plugin control; do
                [ -s "$RES/cg/$w.$p.$v.$CG_PACKETS.out" ] || continue
                pairs+=("$v=$RES/cg/$w.$p.$v.$CG_PACKETS.out,$RES/cg/$w.$p.$v.1.out")
            done
            [ ${#pairs[@]} -ge 2 ] || continue
            variant "$p" plugin
            python3 "$HERE/cg_profile.py" --packets "$CG_PACKETS" --top 10 \
                --title "$w, $p pass ($CG_PACKETS packets; plugin: tshark ${ARGS[*]})" \
                "${pairs[@]}" >> "$RES/callgrind.md"
            # The plugin's column against a TCP column: the same work.
            if [ -s "$RES/cg/$w.$p.control.$CG_PACKETS.out" ] && [ -s "$RES/cg/$w.$p.plugin.$CG_PACKETS.out" ]; then
                python3 "$HERE/cg_profile.py" --packets "$CG_PACKETS" --top 10 \
                    --title "$w, $p pass, the plugin's column against a TCP column (tshark ${ARGS[*]})" \
                    "control=$RES/cg/$w.$p.control.$CG_PACKETS.out,$RES/cg/$w.$p.control.1.out" \
                    "plugin=$RES/cg/$w.$p.plugin.$CG_PACKETS.out,$RES/cg/$w.$p.plugin.1.out" >> "$RES/callgrind.md"
            fi
        done
    done
fi

# ---- report ------------------------------------------------------------------
conn_size=$(gdb -batch -ex 'print sizeof(tlp_conn)' "$SO" 2>/dev/null | sed -n 's/^\$1 = //p' || true)
# The per-connection bound the project states (README, "Performance"): the
# connection record, and for a connection with payload its HTTP tracker and
# the records of one request/response exchange. Keep-alive connections add
# about 100 B per further HTTP message, which this bound does not cover.
conn_budget=1700
{
    echo "## tcplife benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
         "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $(tshark --version 2>/dev/null | head -n 1 | sed 's/\.$//'); plugin md5 $(md5sum < "$STAGE/with/$VER/epan/tcplife.so" | cut -c1-12), sources $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" status --porcelain -- plugin core include 2>/dev/null | grep -q . && echo ' + uncommitted changes' || true), $BUILD"
    echo "- workloads:$(for w in $WORKLOADS; do printf ' %s %s packets / %s connections;' "$w" \
        "$(sed -n 's/packets=//p' "$WORK/$w.meta")" "$(sed -n 's/connections=//p' "$WORK/$w.meta")"; done)"
    echo "- runs: $RUNS per command (median); memory budget used below: 24 B per packet + $conn_budget B per connection (sizeof(tlp_conn) = ${conn_size:-?} B)"
    echo
    if [ $TIMING = 1 ]; then
        python3 "$HERE/summarize.py" "$RAW" "$WORK" --conn-budget "$conn_budget"
    fi
    [ -s "$RES/warnings.txt" ] && cat "$RES/warnings.txt" && echo
    if [ $CALLGRIND = 1 ]; then
        echo "### Instructions (callgrind, start-up subtracted)"
        echo
        cat "$RES/callgrind.md"
    fi
} > "$RES/report.md"
cat "$RES/report.md"
log "report: $RES/report.md"
