#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Make the GUI screenshots of docs/ with the built plugin, never installed:
#   docs/make_screenshots.sh [--build DIR] [--out DIR]
#   docs/packet-list.png     demo/demo.pcap in profile "tcplife": the
#                            Lifecycle and state columns, the colouring
#   docs/frame25-details.png frame 25 selected, its tcplife subtree expanded
# Needs: apt-get install -y wireshark-qt xvfb xauth xdotool imagemagick
# Like scripts/tshark-tcplife: the plugin is staged in a temporary plugin
# folder (WIRESHARK_PLUGIN_DIR), the profile in an isolated HOME, and as root
# Wireshark runs as "nobody" (root ignores plugin folders). Wireshark runs
# under Xvfb with a fixed window geometry (a "recent" file per shot), so the
# same build gives the same pictures; xdotool expands the subtree by
# keyboard (details pane focused, End, Shift+Right = "Expand Subtrees").
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${TCPLIFE_BUILD:-$here/build}
out=$here/docs
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$(realpath "$2"); shift 2 ;;
        --out) out=$(realpath "$2"); shift 2 ;;
        *) echo "make_screenshots: unknown argument $1" >&2; exit 2 ;;
    esac
done
for tool in wireshark xvfb-run xauth xdotool import convert; do
    command -v "$tool" >/dev/null || {
        echo "make_screenshots: $tool missing (apt-get install -y wireshark-qt xvfb xauth xdotool imagemagick)" >&2
        exit 1; }
done
so=$(find "$build/plugins" -name tcplife.so 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "make_screenshots: no tcplife.so under $build/plugins (build first)" >&2; exit 1; }
ver=$(basename "$(dirname "$(dirname "$so")")")

stage=$(mktemp -d /tmp/tcplife-shots.XXXXXX)
trap 'rm -rf "$stage"' EXIT
conf=$stage/home/.config/wireshark
mkdir -p "$stage/plugins/$ver/epan" "$conf/profiles" "$stage/shots"
cp "$so" "$stage/plugins/$ver/epan/"
cp -r "$here/profile/tcplife" "$conf/profiles/"
cp "$here/demo/demo.pcap" "$stage/"

# The driver runs inside the X server: one Wireshark per shot. shot NAME
# FRAME HEIGHT: select FRAME in a window HEIGHT pixels high (the packet list
# always shows all 26 frames; the details pane gets the rest).
cat > "$stage/drive.sh" <<'EOF'
set -euo pipefail
stage=$1
recent() {  # window placement, no first-start dialogs; per profile: panes,
            # column widths, no byte view
    cat > "$stage/home/.config/wireshark/recent_common" <<EOR
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1400
gui.geometry_main_height: $1
gui.geometry_main_maximized: FALSE
gui.last_used_profile: tcplife
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOR
    cat > "$stage/home/.config/wireshark/profiles/tcplife/recent" <<EOR
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.geometry_main_upper_pane: 440
gui.geometry_main_lower_pane: 400
column.width:
	%m, 55,
	%t, 80,
	%s, 80,
	%d, 80,
	%p, 60,
	"%Cus:tcplife.label", 390,
	"%Cus:tcplife.client.state", 100,
	"%Cus:tcplife.server.state", 105,
	%i, 400
EOR
}
shot() {
    local name=$1 frame=$2 height=$3 wid="" i
    recent "$height"
    wireshark -C tcplife -r "$stage/demo.pcap" -g "$frame" >"$stage/shots/$name.log" 2>&1 &
    local pid=$!
    for i in $(seq 60); do
        wid=$(xdotool search --name 'demo\.pcap' 2>/dev/null | head -n 1) || true
        [ -n "$wid" ] && break
        sleep 0.5
    done
    [ -n "$wid" ] || { echo "no Wireshark window for $name" >&2; cat "$stage/shots/$name.log" >&2; kill $pid; exit 1; }
    sleep 3
    if [ "$name" = frame25-details ]; then
        # Focus the details pane by clicking below its last item (without a
        # window manager keyboard focus follows the pointer), select the last
        # top-level item (tcplife, the post-dissector's tree comes last) and
        # expand it with all its subtrees.
        xdotool mousemove 700 $((height - 40)) click 1
        sleep 0.5
        xdotool key End
        sleep 0.5
        xdotool key shift+Right
        xdotool mousemove 1399 $((height - 1))
        sleep 1
    fi
    import -window "$wid" "$stage/shots/$name.png"
    kill $pid
    wait $pid 2>/dev/null || true
}
shot packet-list 5 720
shot frame25-details 25 1150
EOF
chmod -R a+rX "$stage"
chmod -R a+rwX "$stage/home" "$stage/shots"

run=()
if [ "$(id -u)" = 0 ]; then
    run=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
"${run[@]}" env HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins" \
    WIRESHARK_CONFIG_DIR="$conf" TZ=UTC LC_ALL=C.UTF-8 \
    timeout 180 xvfb-run -a -s "-screen 0 1600x1200x24" bash "$stage/drive.sh" "$stage"

# 256 colours lose nothing visible on a UI picture and keep each PNG small.
mkdir -p "$out"
for name in packet-list frame25-details; do
    convert "$stage/shots/$name.png" -strip +dither -colors 256 "PNG8:$out/$name.png"
    echo "wrote $out/$name.png ($(stat -c %s "$out/$name.png") bytes)"
done
