#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the plugin with warnings as errors and run every test (ctest)
# against several Wireshark versions, from Debian's packages:
#   scripts/matrix.sh [4.0|4.4|4.6|all]...      (default: all)
# 4.0 is this Debian 12 host (in build-matrix/4.0/w). 4.4 is a Debian
# trixie chroot, 4.6 a Debian sid chroot: each made once with debootstrap
# --variant=minbase under <root>/.chroots/<suite> (about 1 GB, 5-10 minutes)
# and reused afterwards (delete the folder to refresh it). Needs root.
# Every version builds a snapshot of the working tree (no .git, no build
# trees) copied to w/src, with <root>/../shared/corpus copied to
# w/shared/corpus beside it (the Zeek corpus test skips without it): under
# build-matrix/4.0 on the host, at /w in a chroot. In a chroot, build and
# tests run as root in private mount and PID namespaces with /proc mounted,
# unmounted when they end.
# Logs: build-matrix/<version>/*.log. Exit status 0 when every version
# asked for built and passed its tests.
# Environment: TCPLIFE_MIRROR (default http://deb.debian.org/debian),
# TCPLIFE_CHROOTS (default <root>/.chroots), TCPLIFE_JOBS (default nproc).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
chroots=${TCPLIFE_CHROOTS:-$root/.chroots}
mirror=${TCPLIFE_MIRROR:-http://deb.debian.org/debian}
jobs=${TCPLIFE_JOBS:-$(nproc)}
logs=$root/build-matrix
pkgs=(tshark wireshark-dev libwireshark-dev cmake gcc make pkg-config python3
      libglib2.0-dev util-linux bsdextrautils)
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# debootstrap, chroot and unshare live in sbin, which a CI shell may lack.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

[ "$(id -u)" = 0 ] || { echo "matrix.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(all)
[ "${versions[*]}" = all ] && versions=(4.0 4.4 4.6)
for v in "${versions[@]}"; do
    case $v in 4.0|4.4|4.6) ;; *) echo "usage: $0 [4.0|4.4|4.6|all]..." >&2; exit 2 ;; esac
done

now() { date +%s; }
say() { echo "matrix: $*" >&2; }

# Run a command in a chroot: its own mount and PID namespaces (nothing it
# starts outlives it), /proc mounted for it, a clean environment.
in_chroot() {
    local dir=$1 limit=$2; shift 2
    timeout -k 30 "$limit" unshare --mount --propagation private --pid --fork --kill-child \
        --mount-proc="$dir/proc" chroot "$dir" \
        env -i HOME=/root PATH=$path LC_ALL=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}

# Nothing may be mounted below a tree before it is deleted.
safe_rm() {
    local dir=$1
    if findmnt -rn -o TARGET | awk -v d="$dir" '$0 == d || index($0, d "/") == 1 { f = 1 }
                                               END { exit !f }'; then
        say "refusing to delete $dir: something is mounted below it"; return 1
    fi
    rm -rf --one-file-system "$dir"
}

# Make <chroots>/<suite> once; later runs find the .tcplife-ready mark.
make_chroot() {
    local suite=$1 dir=$chroots/$1 log=$2
    mkdir -p "$chroots"
    exec 9>"$chroots/$suite.lock"
    flock -w 3600 9 || { say "$suite: lock busy"; return 1; }
    [ -f "$dir/.tcplife-ready" ] && return 0
    # A fresh host may have no debootstrap, and (a container image) no
    # package lists yet: install it, after apt-get update if need be.
    if ! command -v debootstrap > /dev/null; then
        say "installing debootstrap on the host (log $log)"
        { DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q debootstrap ||
          { timeout 600 apt-get update -q &&
            DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q debootstrap; }
        } >> "$log" 2>&1 && command -v debootstrap > /dev/null ||
            { say "cannot install debootstrap (see $log)"; return 1; }
    fi
    local t0; t0=$(now)
    if [ ! -f "$dir/.tcplife-base" ]; then
        if [ -e "$dir" ]; then
            say "$suite: removing an unfinished chroot"
            safe_rm "$dir" || return 1
        fi
        say "$suite: debootstrap --variant=minbase (log $log)"
        # In a private mount namespace: what debootstrap mounts in the tree
        # (/proc, /sys) goes away with it, even when it is killed.
        timeout -k 30 1800 unshare --mount --propagation private \
            debootstrap --variant=minbase "$suite" "$dir" "$mirror" >> "$log" 2>&1 ||
            { say "$suite: debootstrap failed (see $log)"; return 1; }
        # sid's Release file is valid for a week only: a mirror snapshot or
        # a clock that is off would make apt refuse it.
        echo 'Acquire::Check-Valid-Until "false";' > "$dir/etc/apt/apt.conf.d/99tcplife"
        touch "$dir/.tcplife-base"
    fi
    local t1; t1=$(now)
    say "$suite: installing ${pkgs[*]}"
    in_chroot "$dir" 600 apt-get update -q >> "$log" 2>&1 ||
        { say "$suite: apt-get update failed (see $log)"; return 1; }
    if ! in_chroot "$dir" 1800 apt-get install -y -q --no-install-recommends "${pkgs[@]}" \
            >> "$log" 2>&1; then
        # sid is sometimes uninstallable as a whole (a dependency not built
        # yet for a new version): unpack what apt downloaded, dependencies
        # forced, then let apt settle what it can.
        say "$suite: apt-get install failed; retrying with dpkg --force-depends"
        in_chroot "$dir" 1800 sh -c 'apt-get install -y -q --no-install-recommends --download-only "$@" ||
                                     apt-get download "$@"' sh "${pkgs[@]}" >> "$log" 2>&1
        in_chroot "$dir" 1800 sh -c 'dpkg -i --force-depends /var/cache/apt/archives/*.deb /*.deb 2>/dev/null;
                                     dpkg --configure -a --force-depends' >> "$log" 2>&1
        for p in "${pkgs[@]}"; do
            in_chroot "$dir" 60 dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
                grep -q 'install ok installed' ||
                { say "$suite: $p still not installed (see $log)"; return 1; }
        done
    fi
    in_chroot "$dir" 300 apt-get clean >> "$log" 2>&1
    local t2; t2=$(now)
    echo "debootstrap $((t1 - t0)) s, packages $((t2 - t1)) s" > "$dir/.tcplife-ready"
    say "$suite: chroot ready in $((t2 - t0)) s (debootstrap $((t1 - t0)) s, packages $((t2 - t1)) s)"
}

# Fresh copy of the working tree (and the shared corpus) at $1/w.
stage_source() {
    local w=$1/w
    rm -rf --one-file-system "$w"
    mkdir -p "$w/src" "$w/shared"
    tar -C "$root" --exclude=./.git --exclude='./build*' --exclude=./.chroots \
        --exclude=./bench/work --exclude=__pycache__ -cf - . | tar -C "$w/src" -xf -
    if [ -d "$root/../shared/corpus" ]; then
        cp -a "$root/../shared/corpus" "$w/shared/"
    else
        say "no $root/../shared/corpus: the Zeek corpus test will be skipped"
    fi
    chmod -R a+rX "$w"
}

declare -A result
status=0

# build_and_test VERSION RUNNER... : RUNNER is "" (host) or "in_chroot DIR".
build_and_test() {
    local v=$1 src=$2 build=$3 out=$4; shift 4
    local run=("$@") t0 t1 t2 werr warn errs build_res tests_res checks
    local lim_cfg=300 lim_build=1200 lim_test=2400
    t0=$(now)
    if [ ${#run[@]} -eq 0 ]; then
        rm -rf "$build"
        timeout -k 30 $lim_cfg cmake -S "$src" -B "$build" -DTCPLIFE_WERROR=ON > "$out/configure.log" 2>&1 &&
        timeout -k 30 $lim_build cmake --build "$build" -j "$jobs" > "$out/build.log" 2>&1
    else
        "${run[@]}" 120 rm -rf "$build"
        "${run[@]}" $lim_cfg cmake -S "$src" -B "$build" -DTCPLIFE_WERROR=ON > "$out/configure.log" 2>&1 &&
        "${run[@]}" $lim_build cmake --build "$build" -j "$jobs" > "$out/build.log" 2>&1
    fi
    local built=$?
    t1=$(now)
    touch "$out/build.log"
    werr=$(grep -c -e '\[-Werror' "$out/build.log")
    warn=$(grep -c -e 'warning:' "$out/build.log")
    errs=$(grep -c -e 'error:' "$out/build.log")
    checks=$(grep -ho -e 'TCPLIFE_HAVE_[A-Z0-9_]* - [A-Za-z]*' "$out/configure.log" | sed 's/TCPLIFE_HAVE_//; s/ - /=/' | tr '\n' ' ')
    if [ $built -eq 0 ] && [ $((werr + warn)) -eq 0 ]; then
        build_res="built ok, no warnings"
    elif [ $built -eq 0 ]; then
        build_res="built with $warn warnings"
    else
        build_res="BUILD FAILED ($werr warnings as errors, $errs errors; $out/build.log)"
    fi
    tests_res="tests not run"
    if [ $built -eq 0 ]; then
        if [ ${#run[@]} -eq 0 ]; then
            (cd "$build" && timeout -k 30 $lim_test ctest --output-on-failure -j "$jobs") > "$out/ctest.log" 2>&1
        else
            "${run[@]}" $lim_test sh -c 'cd "$1" && ctest --output-on-failure -j "$2"' sh "$build" "$jobs" \
                > "$out/ctest.log" 2>&1
        fi
        local rc=$?
        local line skipped
        line=$(grep -E 'tests passed, [0-9]+ tests failed out of' "$out/ctest.log" | tail -n 1)
        skipped=$(grep -c -e '\*\*\*Skipped' "$out/ctest.log")
        if [ -n "$line" ]; then
            local failed total
            failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<< "$line")
            total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<< "$line")
            tests_res="$((total - failed - skipped))/$total tests passed"
            [ "$skipped" -gt 0 ] && tests_res+=" ($skipped skipped)"
            [ "$failed" -gt 0 ] && tests_res="TESTS FAILED: $tests_res; $out/ctest.log"
        else
            tests_res="TESTS FAILED (ctest exit $rc; $out/ctest.log)"
        fi
        [ $rc -eq 0 ] || status=1
    else
        status=1
    fi
    t2=$(now)
    result[$v]="$build_res; $tests_res; build $((t1 - t0)) s, tests $((t2 - t1)) s; checks: ${checks:-?}"
}

for v in "${versions[@]}"; do
    out=$logs/$v
    mkdir -p "$out"
    if [ "$v" = 4.0 ]; then
        say "4.0: host build"
        timeout -k 30 1800 bash "$root/scripts/deps.sh" > "$out/deps.log" 2>&1 ||
            { result[$v]="DEPENDENCIES FAILED ($out/deps.log)"; status=1; continue; }
        ws=$(tshark --version 2>/dev/null | head -n 1)
        stage_source "$out"
        build_and_test "$v" "$out/w/src" "$out/w/build" "$out"
    else
        suite=trixie
        [ "$v" = 4.6 ] && suite=sid
        dir=$chroots/$suite
        if ! make_chroot "$suite" "$out/chroot.log"; then
            result[$v]="CHROOT FAILED ($out/chroot.log)"; status=1; continue
        fi
        stage_source "$dir"
        ws=$(in_chroot "$dir" 60 tshark --version 2>/dev/null | head -n 1)
        say "$v: $ws ($suite chroot)"
        build_and_test "$v" /w/src /w/build "$out" in_chroot "$dir"
    fi
    ws=$(sed -E 's/^TShark \(Wireshark\) ([0-9.]*[0-9]).*/\1/' <<< "$ws")
    case $ws in "$v".*) ;; *) result[$v]="NOT $v: ${ws:-no tshark}; ${result[$v]}"; status=1 ;; esac
    result[$v]="Wireshark ${ws}: ${result[$v]}"
    echo "$v: ${result[$v]}"
done

echo "== tcplife matrix"
for v in "${versions[@]}"; do
    echo "$v: ${result[$v]}"
done
exit $status
